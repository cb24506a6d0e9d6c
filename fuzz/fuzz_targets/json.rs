//! Fuzz target `json`: JSON as an ARM template and as a Terraform plan. It must never panic, hang, exhaust memory
//! or report ER000 (a panic erlint caught): see `erlint::fuzzing::run_target`, which
//! `cargo test` also runs on the committed corpus and past crashes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    erlint::fuzzing::run_target("json", data);
});
