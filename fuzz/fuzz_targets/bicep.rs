//! Fuzz target `bicep`: Bicep text parsed as a template and as a parameters file, and
//! linted as a template (parse, evaluate, check). It must
//! never panic or hang: see `erlint::fuzzing::run_target`, which `cargo test` also runs on
//! the committed corpus and past crashes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    erlint::fuzzing::run_target("bicep", data);
});
