//! Fuzz target: `erlint::fuzzing::parse_bicep` (both grammars) and `lint_bicep` (parse,
//! evaluate, check) must never panic or hang on any input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = erlint::fuzzing::parse_bicep(text);
        let _ = erlint::fuzzing::lint_bicep(text);
    }
});
