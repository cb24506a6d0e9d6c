//! Fuzz target `git_index`: bytes as git's index, which `--callers-from-index` reads. It
//! must never panic, hang or exhaust memory, whatever the entry count, lengths and
//! extensions claim: see `erlint::fuzzing::run_target`, which `cargo test` also runs on the
//! committed corpus.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    erlint::fuzzing::run_target("git_index", data);
});
