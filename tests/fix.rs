//! `--fix` on the rule fixtures: every `invalid*` fixture that has a fix (safe or unsafe)
//! has its fixed twin under `fixtures/fixes/<ID>/` (the same name, a file or a directory),
//! and fixing it again changes nothing, and the fixed text has no fixable finding of the
//! rule left (each fixed finding is gone, none is new). `ERLINT_UPDATE_FIXES=1` writes the
//! twins (review them). The command line (`--fix`, `--diff`, `--unsafe-fixes`, stdin,
//! values from outside the repository) is tested at the end.

use crate::common::repo;
use assert_cmd::Command;
use erlint::fix::{self, Mode};
use erlint::linter::{Options, RuleFilter};
use std::path::{Path, PathBuf};

fn invalid_fixtures() -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    for dir in std::fs::read_dir(repo().join("fixtures/rules"))
        .unwrap()
        .flatten()
    {
        let id = dir.file_name().to_string_lossy().to_string();
        for case in std::fs::read_dir(dir.path()).unwrap().flatten() {
            let name = case.file_name().to_string_lossy().to_string();
            if name.starts_with("invalid") && !name.ends_with(".snap") && !name.ends_with(".new") {
                out.push((id.clone(), case.path()));
            }
        }
    }
    out.sort();
    out
}

fn copy_into(from: &Path, to: &Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap().flatten() {
            copy_into(&e.path(), &to.join(e.file_name()));
        }
    } else {
        std::fs::copy(from, to).unwrap();
    }
}

fn files_under(root: &Path) -> Vec<PathBuf> {
    if !root.is_dir() {
        return vec![root.to_path_buf()];
    }
    let mut out = Vec::new();
    for e in std::fs::read_dir(root).unwrap().flatten() {
        out.extend(files_under(&e.path()));
    }
    out.sort();
    out
}

fn options(path: &Path, id: &str) -> Options {
    Options {
        paths: vec![path.to_path_buf()],
        filter: RuleFilter {
            select: vec![id.to_string()],
            ..Default::default()
        },
        max_file_size: 10 * 1024 * 1024,
        cwd: path.parent().unwrap().to_path_buf(),
        ..Default::default()
    }
}

fn mode(root: &Path) -> Mode {
    Mode {
        unsafe_fixes: true,
        root: root.to_path_buf(),
        only: None,
    }
}

#[test]
fn fixable_fixtures_have_fixed_twins_and_fixing_is_idempotent() {
    let update = std::env::var_os("ERLINT_UPDATE_FIXES").is_some();
    let twins_root = repo().join("fixtures/fixes");
    let mut failures = Vec::new();
    let mut fixable = 0;
    for (id, path) in invalid_fixtures() {
        let name = path.file_name().unwrap().to_owned();
        let label = format!("fixtures/rules/{id}/{}", name.to_string_lossy());
        // A single file alone, so that a rule's fixtures do not become one module.
        let tmp = tempfile::tempdir().unwrap();
        let work = tmp.path().join("case");
        std::fs::create_dir(&work).unwrap();
        let copy = work.join(&name);
        copy_into(&path, &copy);
        let before = erlint::linter::run(&options(&work, &id)).unwrap();
        let own_before = before.diagnostics.iter().filter(|d| d.code == id).count();
        let fixed = fix::run(&options(&work, &id), &mode(tmp.path())).unwrap();
        let twin = twins_root.join(&id).join(&name);
        if fixed.changes.is_empty() {
            if twin.exists() {
                failures.push(format!("{label}: nothing to fix, but a twin exists"));
            }
            continue;
        }
        fixable += 1;
        for c in &fixed.changes {
            let bytes = if c.bom {
                format!("\u{feff}{}", c.after)
            } else {
                c.after.clone()
            };
            std::fs::write(&c.path, bytes).unwrap();
        }
        // The twin is the whole fixture once fixed.
        for f in files_under(&copy) {
            let rel = f.strip_prefix(&copy).unwrap();
            let expected = if rel.as_os_str().is_empty() {
                twin.clone()
            } else {
                twin.join(rel)
            };
            let got = std::fs::read_to_string(&f).unwrap();
            if update {
                std::fs::create_dir_all(expected.parent().unwrap()).unwrap();
                std::fs::write(&expected, &got).unwrap();
            } else if std::fs::read_to_string(&expected).ok().as_deref() != Some(got.as_str()) {
                failures.push(format!(
                    "{label}: fixed text differs from {} (ERLINT_UPDATE_FIXES=1 writes it):\n{got}",
                    expected.display()
                ));
            }
        }
        // Idempotent: fixing the fixed files changes nothing.
        let again = fix::run(&options(&work, &id), &mode(tmp.path())).unwrap();
        if !again.changes.is_empty() {
            failures.push(format!("{label}: a second --fix changes it again"));
        }
        // The fixed findings are gone, no finding of the rule is new, none left is fixable.
        let own_after: Vec<_> = again
            .report
            .diagnostics
            .iter()
            .filter(|d| d.code == id)
            .collect();
        if own_after.len() + fixed.fixed != own_before {
            failures.push(format!(
                "{label}: {own_before} findings, {} fixed, {} left",
                fixed.fixed,
                own_after.len()
            ));
        }
        if let Some(d) = own_after.iter().find(|d| {
            d.fix
                .as_ref()
                .is_some_and(|f| fix::text_edits(&again.report.db, f).is_ok())
        }) {
            failures.push(format!("{label}: still fixable: {}", d.message));
        }
    }
    // No twin without its fixture.
    for dir in std::fs::read_dir(&twins_root).unwrap().flatten() {
        for twin in std::fs::read_dir(dir.path()).unwrap().flatten() {
            let fixture = repo()
                .join("fixtures/rules")
                .join(dir.file_name())
                .join(twin.file_name());
            if !fixture.exists() {
                failures.push(format!("{}: no such fixture", twin.path().display()));
            }
        }
    }
    assert!(fixable >= 5, "only {fixable} fixtures have a fix");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

fn erlint_in(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("erlint").unwrap();
    c.current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("ERLINT_CONFIG")
        .env_remove("ARM_SUBSCRIPTION_ID");
    for (k, _) in std::env::vars() {
        if k.starts_with("TF_VAR_") {
            c.env_remove(k);
        }
    }
    c
}

/// A copy of the ER304 tfvars fixture (its values written in `terraform.tfvars` and
/// `network.auto.tfvars.json`) plus an ER301 peering with one session.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    copy_into(
        &repo().join("fixtures/rules/ER304/invalid-tfvars"),
        &dir.path().join("infra"),
    );
    std::fs::write(
        dir.path().join("infra/lab.tf"),
        r#"resource "azurerm_express_route_circuit_peering" "lab" {
  peering_type                = "AzurePrivatePeering"
  express_route_circuit_name  = "erc-lab"
  resource_group_name         = "rg-er"
  peer_asn                    = 65010
  vlan_id                     = 200
  primary_peer_address_prefix = "172.16.90.0/30"
}
"#,
    )
    .unwrap();
    dir
}

fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file)).unwrap()
}

#[test]
fn fix_writes_where_each_value_is_written_and_reports_what_is_left() {
    let dir = project();
    let tfvars = read(dir.path(), "infra/terraform.tfvars");
    let out = erlint_in(dir.path())
        .args(["infra", "--fix", "--format", "compact"])
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    );
    assert_eq!(stderr, "erlint: fixed 2 findings in 2 files\n");
    // ER304 fixed in the tfvars and the JSON tfvars; ER301 (unsafe) left.
    assert_eq!(
        read(dir.path(), "infra/terraform.tfvars"),
        tfvars.replace("172.16.30.6/30", "172.16.30.4/30")
    );
    assert!(read(dir.path(), "infra/network.auto.tfvars.json").contains("\"2001:db8:40::/126\""));
    assert!(!stdout.contains("ER304"), "{stdout}");
    assert!(stdout.contains("infra/lab.tf:1:1: error ER301"), "{stdout}");
    assert_eq!(out.status.code(), Some(1), "ER301 is left");
    // Idempotent.
    erlint_in(dir.path())
        .args(["infra", "--fix", "--select", "ER304"])
        .assert()
        .code(0)
        .stderr("");

    // --unsafe-fixes: the second session, written beside the first (a longer key than the
    // block's alignment: `terraform fmt` realigns the block).
    erlint_in(dir.path())
        .args(["infra", "--fix", "--unsafe-fixes"])
        .assert()
        .code(0)
        .stderr("erlint: fixed 1 finding in 1 file\n");
    assert!(
        read(dir.path(), "infra/lab.tf").contains(
            "  primary_peer_address_prefix = \"172.16.90.0/30\"\n  secondary_peer_address_prefix = \"172.16.90.4/30\"\n}"
        ),
        "{}",
        read(dir.path(), "infra/lab.tf")
    );
}

/// Bicep: a value set in a `.bicepparam` is fixed there, in Bicep syntax; the template
/// that reads it is left alone; a parameter's default is fixed in the template.
#[test]
fn fix_edits_bicepparam_values_and_bicep_literals() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    copy_into(
        &repo().join("fixtures/rules/ER304/invalid-bicepparam"),
        &dir.path().join("er"),
    );
    std::fs::copy(
        repo().join("fixtures/rules/ER411/invalid.bicep"),
        dir.path().join("registry.bicep"),
    )
    .unwrap();
    let template = read(dir.path(), "er/main.bicep");
    let params = read(dir.path(), "er/main.bicepparam");
    let registry = read(dir.path(), "registry.bicep");
    let out = erlint_in(dir.path())
        .args([
            ".",
            "--fix",
            "--select",
            "ER304,ER411",
            "--format",
            "compact",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.starts_with("erlint: fixed "), "{stderr}");
    assert_eq!(read(dir.path(), "er/main.bicep"), template);
    assert_eq!(
        read(dir.path(), "er/main.bicepparam"),
        params.replace("'192.168.60.1/30'", "'192.168.60.0/30'")
    );
    let fixed = read(dir.path(), "registry.bicep");
    assert_ne!(fixed, registry);
    assert!(
        fixed.contains("param routingRegistryName string = 'RIPENCC'"),
        "{fixed}"
    );
    // Nothing safe is left to fix, and a second run changes nothing.
    erlint_in(dir.path())
        .args([".", "--fix", "--select", "ER304"])
        .assert()
        .code(0)
        .stderr("");
}

/// azapi bodies and an ARM template deployed from Terraform with `file()`: each edit lands
/// where the value is written, in that file's syntax (an HCL object, `jsonencode()`, a
/// variable's default; the template's JSON with its comments).
#[test]
fn fix_edits_azapi_bodies_and_templates_deployed_from_terraform() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join(".git")).unwrap();
    std::fs::create_dir_all(d.join("templates")).unwrap();
    std::fs::copy(
        repo().join("fixtures/rules/ER304/invalid.json"),
        d.join("templates/er.json"),
    )
    .unwrap();
    let circuit = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-er/providers/Microsoft.Network/expressRouteCircuits";
    let main_tf = format!(
        r#"provider "azapi" {{
  subscription_id = "00000000-0000-0000-0000-000000000001"
}}

provider "azurerm" {{
  features {{}}
  subscription_id = "00000000-0000-0000-0000-000000000001"
}}

variable "secondary" {{
  type    = string
  default = "172.16.21.5/30"
}}

resource "azapi_resource" "object" {{
  type      = "Microsoft.Network/expressRouteCircuits/peerings@2024-05-01"
  name      = "AzurePrivatePeering"
  parent_id = "{circuit}/er-1"
  body = {{
    properties = {{
      peeringType                = "AzurePrivatePeering"
      peerASN                    = 65010
      vlanId                     = 100
      primaryPeerAddressPrefix   = "172.16.20.2/30" # the router's address
      secondaryPeerAddressPrefix = var.secondary
    }}
  }}
}}

resource "azapi_resource" "encoded" {{
  type      = "Microsoft.Network/expressRouteCircuits/peerings@2024-05-01"
  name      = "AzurePrivatePeering"
  parent_id = "{circuit}/er-2"
  body = jsonencode({{
    properties = {{
      peeringType                = "AzurePrivatePeering"
      peerASN                    = 65010
      vlanId                     = 110
      primaryPeerAddressPrefix   = "172.16.30.1/30"
      secondaryPeerAddressPrefix = "172.16.30.4/30"
    }}
  }})
}}

resource "azurerm_resource_group_template_deployment" "er" {{
  name                = "er"
  resource_group_name = "rg-er"
  deployment_mode     = "Incremental"
  template_content    = file("${{path.module}}/templates/er.json")
}}
"#
    );
    std::fs::write(d.join("main.tf"), &main_tf).unwrap();
    let out = erlint_in(d)
        .args([".", "--fix", "--select", "ER304", "--format", "compact"])
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    );
    assert_eq!(stderr, "erlint: fixed 6 findings in 2 files\n", "{stdout}");
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert_eq!(
        read(d, "main.tf"),
        main_tf
            .replace("\"172.16.21.5/30\"", "\"172.16.21.4/30\"")
            .replace("\"172.16.20.2/30\"", "\"172.16.20.0/30\"")
            .replace("\"172.16.30.1/30\"", "\"172.16.30.0/30\"")
    );
    // The template deployed with file() is fixed as the template alone is.
    assert_eq!(
        read(d, "templates/er.json"),
        std::fs::read_to_string(repo().join("fixtures/fixes/ER304/invalid.json")).unwrap()
    );
}

#[test]
fn diff_prints_the_fixes_and_writes_nothing() {
    let dir = project();
    let before = read(dir.path(), "infra/terraform.tfvars");
    let out = erlint_in(dir.path())
        .args(["infra", "--diff"])
        .output()
        .unwrap();
    let diff = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "erlint: 2 findings fixable in 2 files\n"
    );
    assert!(
        diff.contains(
            "--- a/infra/terraform.tfvars\n+++ b/infra/terraform.tfvars\n@@ -1,3 +1,3 @@\n"
        ),
        "{diff}"
    );
    assert!(
        diff.contains("-secondary_prefix = \"172.16.30.6/30\" # the router's interface, not the subnet\n+secondary_prefix = \"172.16.30.4/30\" # the router's interface, not the subnet\n"),
        "{diff}"
    );
    assert!(
        !diff.contains("lab.tf"),
        "unsafe fixes only when asked:\n{diff}"
    );
    assert_eq!(read(dir.path(), "infra/terraform.tfvars"), before);
    let out = erlint_in(dir.path())
        .args(["infra", "--diff", "--unsafe-fixes"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("+++ b/infra/lab.tf")
    );
    // Nothing to fix: exit 0.
    erlint_in(dir.path())
        .args(["infra", "--diff", "--select", "ER205"])
        .assert()
        .code(0)
        .stdout("")
        .stderr("erlint: nothing to fix\n");
}

#[test]
fn values_from_outside_the_repository_are_never_written() {
    let dir = project();
    std::fs::remove_file(dir.path().join("infra/terraform.tfvars")).unwrap();
    let var_file = dir.path().join("infra/variables.tf");
    let before = read(dir.path(), "infra/variables.tf");
    // TF_VAR_* and --var: the finding stays, no file changes.
    let out = erlint_in(dir.path())
        .env("TF_VAR_secondary_prefix", "172.16.30.6/30")
        .args([
            "infra",
            "--fix",
            "--select",
            "ER304",
            "--var",
            "primary_prefix=172.16.30.1/30",
        ])
        .args(["--format", "compact"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("`primary_prefix`") || stdout.contains("172.16.30.1/30"),
        "{stdout}"
    );
    assert!(stdout.contains("172.16.30.6/30"), "{stdout}");
    assert_eq!(read(dir.path(), "infra/variables.tf"), before);
    assert!(var_file.exists());
    // Only the JSON tfvars (in the repository) was fixed.
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("fixed 1 finding in 1 file")
    );
    // A var file outside the repository is not written either.
    let outside = tempfile::tempdir().unwrap();
    let ext = outside.path().join("shared.tfvars");
    std::fs::write(
        &ext,
        "secondary_prefix = \"172.16.30.6/30\"\nprimary_prefix = \"172.16.30.0/30\"\n",
    )
    .unwrap();
    erlint_in(dir.path())
        .args(["infra", "--fix", "--select", "ER304", "--var-file"])
        .arg(&ext)
        .assert()
        .code(1);
    assert!(read(outside.path(), "shared.tfvars").contains("172.16.30.6/30"));
}

#[test]
fn fix_with_stdin_prints_the_fixed_text() {
    let dir = project();
    let buffer =
        read(dir.path(), "infra/main.tf").replace("var.secondary_prefix", "\"172.16.30.5/30\"");
    let out = erlint_in(dir.path())
        .args(["--fix", "--stdin-filename", "infra/main.tf", "-"])
        .write_stdin(buffer.clone())
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout, buffer.replace("172.16.30.5/30", "172.16.30.4/30"));
    // Only the buffer is fixed: the JSON tfvars' finding is left, and reported on stderr.
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("infra/main.tf:16:37: warning ER304"),
        "{stderr}"
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(read(dir.path(), "infra/network.auto.tfvars.json").contains("2001:db8:40::2/126"));
    assert!(!read(dir.path(), "infra/main.tf").contains("172.16.30"));
}

#[test]
fn fix_flags_that_do_not_go_together() {
    let dir = project();
    for (args, says) in [
        (&["--unsafe-fixes"][..], "--unsafe-fixes goes with --fix"),
        (
            &["--fix", "--write-baseline", "b.json"],
            "--write-baseline cannot be combined",
        ),
    ] {
        erlint_in(dir.path())
            .arg("infra")
            .args(args)
            .assert()
            .code(2)
            .stderr(predicates::str::contains(says));
    }
}
