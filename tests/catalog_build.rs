//! `rules/catalog.json` is what `scripts/build-catalog.py` makes of the pages saved in
//! `scripts/catalog-sources/`, and the build script's own tests pass.

use crate::common::repo;

fn python(args: &[&str]) -> (bool, String) {
    let out = std::process::Command::new("python3")
        .current_dir(repo())
        .args(args)
        .output()
        .expect("python3 runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
fn bundled_catalogue_is_built_from_the_saved_sources() {
    let (ok, text) = python(&["scripts/build-catalog.py", "--check"]);
    assert!(ok, "{text}");
}

#[test]
fn build_script_tests_pass() {
    let (ok, text) = python(&["scripts/test_build_catalog.py"]);
    assert!(ok, "{text}");
    assert!(text.contains("OK"), "{text}");
}
