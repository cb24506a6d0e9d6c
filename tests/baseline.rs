//! `--write-baseline` / `--baseline`: a round trip on a copy of
//! `fixtures/projects/baseline`: write, move the code, add a finding, fix one.

use crate::common::repo;
use assert_cmd::Command;
use std::path::Path;

fn erlint_in(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("erlint").unwrap();
    c.current_dir(dir)
        .env_remove("ERLINT_CONFIG")
        .env_remove("ARM_SUBSCRIPTION_ID")
        .env("NO_COLOR", "1");
    c
}

fn json(dir: &Path, args: &[&str]) -> (serde_json::Value, i32) {
    let out = erlint_in(dir)
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let v = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (v, out.status.code().unwrap())
}

/// A temporary directory holding `fixtures/projects/baseline/main.tf`.
fn project_copy() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::copy(
        repo().join("fixtures/projects/baseline/main.tf"),
        tmp.path().join("main.tf"),
    )
    .unwrap();
    tmp
}

const NEW_PEERING: &str = r#"
resource "azurerm_express_route_circuit_peering" "sea" {
  peering_type                = "AzurePrivatePeering"
  express_route_circuit_name  = "erc-sea-01"
  resource_group_name         = "rg-er-sea"
  peer_asn                    = 65012
  primary_peer_address_prefix = "172.16.42.0/30"
  vlan_id                     = 102
}
"#;

#[test]
fn baseline_round_trip() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let main = dir.join("main.tf");
    std::fs::copy(repo().join("fixtures/projects/baseline/main.tf"), &main).unwrap();

    // Two findings; writing the baseline accepts them for this run.
    let (v, code) = json(dir, &["--write-baseline", ".erlint-baseline.json"]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["summary"]["baselined"], 2);
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join(".erlint-baseline.json")).unwrap())
            .unwrap();
    assert_eq!(written["version"], 1);
    let keys: Vec<(String, String, String, u64)> = written["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["file"].as_str().unwrap().to_string(),
                f["resource"].as_str().unwrap().to_string(),
                f["count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        keys,
        [
            (
                "ER301".into(),
                "main.tf".into(),
                "azurerm_express_route_circuit_peering.neu".into(),
                1
            ),
            (
                "ER301".into(),
                "main.tf".into(),
                "azurerm_express_route_circuit_peering.weu".into(),
                1
            ),
        ]
    );

    // Move everything down 10 lines: still accepted (keys have no line).
    let text = std::fs::read_to_string(&main).unwrap();
    std::fs::write(&main, format!("{}{text}", "# moved\n".repeat(10))).unwrap();
    let (v, code) = json(dir, &["--baseline", ".erlint-baseline.json"]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["diagnostics"], serde_json::json!([]));
    assert_eq!(v["summary"]["baselined"], 2);
    assert_eq!(v["summary"]["baseline"]["stale"], 0);

    // A new finding is reported; the baselined ones stay hidden.
    std::fs::write(
        &main,
        format!("{}{text}{NEW_PEERING}", "# moved\n".repeat(10)),
    )
    .unwrap();
    let (v, code) = json(dir, &["--baseline", ".erlint-baseline.json"]);
    assert_eq!(code, 1, "{v:#}");
    let d = v["diagnostics"].as_array().unwrap();
    assert_eq!(d.len(), 1, "{v:#}");
    assert_eq!(
        d[0]["resource"],
        "azurerm_express_route_circuit_peering.sea"
    );

    // Fix one (delete the `neu` peering): its entry is stale, in the summary line too.
    let without_neu = text
        .split("resource \"azurerm_express_route_circuit_peering\" \"neu\"")
        .next()
        .unwrap()
        .to_string();
    std::fs::write(&main, &without_neu).unwrap();
    let (v, code) = json(dir, &["--baseline", ".erlint-baseline.json"]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["summary"]["baseline"]["stale"], 1);
    assert_eq!(
        v["summary"]["baseline"]["stale_entries"][0]["resource"],
        "azurerm_express_route_circuit_peering.neu"
    );
    erlint_in(dir)
        .args(["--baseline", ".erlint-baseline.json"])
        .assert()
        .code(0)
        .stdout(predicates::str::contains(
            "1 in baseline, 1 baseline entry no longer found (stale in .erlint-baseline.json; refresh it with --write-baseline)",
        ));

    // SARIF shows baselined results as external suppressions.
    let out = erlint_in(dir)
        .args(["--baseline", ".erlint-baseline.json", "--format", "sarif"])
        .output()
        .unwrap();
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let sup = &s["runs"][0]["results"][0]["suppressions"][0];
    assert_eq!(sup["kind"], "external");
    assert_eq!(sup["justification"], "in baseline .erlint-baseline.json");
}

#[test]
fn a_second_identical_finding_is_new() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let main = dir.join("main.tf");
    std::fs::copy(repo().join("fixtures/projects/baseline/main.tf"), &main).unwrap();
    let (_, code) = json(dir, &["--write-baseline", "baseline.json"]);
    assert_eq!(code, 0);
    // `count` on the weu peering: two instances, two findings with the same rule and file
    // but different addresses (`…weu[0]`, `…weu[1]`): both new.
    let text = std::fs::read_to_string(&main).unwrap().replace(
        "resource \"azurerm_express_route_circuit_peering\" \"weu\" {\n",
        "resource \"azurerm_express_route_circuit_peering\" \"weu\" {\n  count = 2\n",
    );
    std::fs::write(&main, text).unwrap();
    let (v, code) = json(dir, &["--baseline", "baseline.json"]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(v["summary"]["baselined"], 1, "{v:#}");
    assert_eq!(v["summary"]["baseline"]["stale"], 1, "{v:#}");
}

#[test]
fn baseline_errors_exit_two() {
    let tmp = project_copy();
    let dir = tmp.path();
    erlint_in(dir)
        .args(["--baseline", "missing.json"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "cannot read baseline `missing.json`",
        ));
    std::fs::write(dir.join("old.json"), "{\"version\": 7, \"findings\": []}").unwrap();
    erlint_in(dir)
        .args(["--baseline", "old.json"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("has version 7"));
    std::fs::write(
        dir.join("broken.json"),
        "{\"version\": 1,\n \"findings\": [\n",
    )
    .unwrap();
    erlint_in(dir)
        .args(["--baseline", "broken.json"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("invalid baseline"))
        .stderr(predicates::str::contains("╭─[broken.json:"));
}

/// `--write-baseline` with file arguments (the pre-commit case) rewrites the entries of
/// the named files and keeps those of every other file.
#[test]
fn writing_for_one_file_keeps_the_others() {
    let tmp = project_copy();
    let dir = tmp.path();
    std::fs::write(dir.join("sea.tf"), NEW_PEERING).unwrap();
    let files = |b: &str| -> Vec<String> {
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join(b)).unwrap()).unwrap();
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["file"].as_str().unwrap().to_string())
            .collect()
    };
    let (_, code) = json(dir, &["--write-baseline", "bl.json"]);
    assert_eq!(code, 0);
    assert_eq!(files("bl.json"), ["main.tf", "main.tf", "sea.tf"]);
    // Fix sea.tf and rewrite the baseline for it alone: main.tf's entries stay.
    std::fs::write(
        dir.join("sea.tf"),
        NEW_PEERING.replace(
            "  vlan_id",
            "  secondary_peer_address_prefix = \"172.16.42.4/30\"\n  vlan_id",
        ),
    )
    .unwrap();
    let (_, code) = json(dir, &["sea.tf", "--write-baseline", "bl.json"]);
    assert_eq!(code, 0);
    assert_eq!(files("bl.json"), ["main.tf", "main.tf"]);
    let (v, code) = json(dir, &["--baseline", "bl.json"]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["summary"]["baselined"], 2);
}

/// A finding located in another file but caused by the named one (its value is set in
/// the named tfvars) is rewritten, not recorded again, by a file-mode `--write-baseline`.
#[test]
fn writing_for_a_tfvars_file_does_not_duplicate_entries() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(
        dir.join("main.tf"),
        NEW_PEERING.replace(
            "  vlan_id",
            "  secondary_peer_address_prefix = var.secondary\n  vlan_id",
        ) + "\nvariable \"secondary\" {\n  type = string\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("terraform.tfvars"),
        "secondary = \"172.16.42.0/30\"\n",
    )
    .unwrap();
    let entries = || -> usize {
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("bl.json")).unwrap()).unwrap();
        v["findings"].as_array().unwrap().len()
    };
    json(dir, &["--write-baseline", "bl.json"]);
    let first = entries();
    assert!(first >= 1);
    for _ in 0..2 {
        let (v, code) = json(dir, &["terraform.tfvars", "--write-baseline", "bl.json"]);
        assert_eq!(code, 0, "{v:#}");
        assert_eq!(entries(), first);
    }
}
