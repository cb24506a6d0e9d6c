//! The benchmark corpus at scale 100: erlint reports every injected finding (same rule,
//! file and line) and nothing else from ER1xx–ER3xx. Runs `scripts/corpus-check.py` with
//! this build's binary: on the corpus alone, and with the generator's Bicep deployments,
//! azapi and OpenTofu kinds together (`--with bicep,azapi,tofu`: `.bicep`, `.bicepparam`,
//! local modules, compiled `main.json` twins whose defects are expected in the `.bicep`
//! only; azapi resources and ARM deployments in Terraform; `.tofu` files).

fn corpus_check(extra: &[&str]) {
    let repo = crate::common::repo();
    let out = std::process::Command::new("python3")
        .arg(repo.join("scripts/corpus-check.py"))
        .args(["--scale", "100"])
        .arg("--erlint")
        .arg(env!("CARGO_BIN_EXE_erlint"))
        .args(extra)
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("OK"), "{stdout}");
}

#[test]
fn benchmark_corpus_findings_are_exact() {
    corpus_check(&[]);
}

#[test]
fn benchmark_corpus_with_bicep_azapi_and_opentofu_findings_are_exact() {
    corpus_check(&["--with", "bicep,azapi,tofu"]);
}
