//! Fuzz target `hcl`: Terraform text through parse, evaluation and every rule. It must never panic, hang, exhaust memory
//! or report ER000 (a panic erlint caught): see `erlint::fuzzing::run_target`, which
//! `cargo test` also runs on the committed corpus and past crashes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    erlint::fuzzing::run_target("hcl", data);
});
