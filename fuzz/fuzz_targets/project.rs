//! Fuzz target `project`: a small project (Terraform roots, a module, tfvars, `.tf.json`, an ARM template and parameters, a plan; sections split at `#==#`) through `linter::run` in directory and file mode and every output format. It must never panic, hang, exhaust memory
//! or report ER000 (a panic erlint caught): see `erlint::fuzzing::run_target`, which
//! `cargo test` also runs on the committed corpus and past crashes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    erlint::fuzzing::run_target("project", data);
});
