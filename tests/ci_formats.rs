//! The CI formats from the command line: paths relative to the repository root whatever
//! directory erlint runs in, fingerprints that survive moving code, JUnit following
//! `--fail-on`.

use crate::common::repo;
use assert_cmd::Command;
use std::path::Path;

fn erlint(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("erlint").unwrap();
    c.current_dir(dir)
        .env_remove("ERLINT_CONFIG")
        .env_remove("ARM_SUBSCRIPTION_ID")
        .env("NO_COLOR", "1");
    c
}

/// A git repository with the baseline project (two single-session peerings) in
/// `infra/network/`.
fn checkout(main_tf: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let net = tmp.path().join("infra/network");
    std::fs::create_dir_all(&net).unwrap();
    std::fs::create_dir_all(tmp.path().join(".git")).unwrap();
    std::fs::write(net.join("main.tf"), main_tf).unwrap();
    tmp
}

fn baseline_project() -> String {
    std::fs::read_to_string(repo().join("fixtures/projects/baseline/main.tf")).unwrap()
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// (uri, fingerprint) of each SARIF result.
fn sarif_results(path: &Path) -> Vec<(String, String)> {
    json(path)["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap()
                    .to_string(),
                r["partialFingerprints"]["primaryLocationLineHash"]
                    .as_str()
                    .unwrap()
                    .to_string(),
            )
        })
        .collect()
}

#[test]
fn ci_formats_use_repository_paths_from_any_directory() {
    let tmp = checkout(&baseline_project());
    let root = tmp.path();
    let out = root.join("out");
    std::fs::create_dir_all(&out).unwrap();
    let formats = |c: &mut Command| {
        c.args([
            "--format",
            "github",
            "--format",
            &format!("sarif={}", out.join("r.sarif").display()),
            "--format",
            &format!("gitlab={}", out.join("gl.json").display()),
            "--format",
            &format!("azure={}", out.join("az.txt").display()),
        ])
        .output()
        .unwrap()
    };

    // From a subdirectory, `cd infra && erlint`.
    let run = formats(&mut erlint(&root.join("infra")));
    assert_eq!(run.status.code(), Some(1));
    let github = String::from_utf8(run.stdout).unwrap();
    assert_eq!(github.lines().count(), 2, "{github}");
    for line in github.lines() {
        assert!(
            line.starts_with("::error file=infra/network/main.tf,line="),
            "{line}"
        );
    }
    let from_infra = sarif_results(&out.join("r.sarif"));
    assert_eq!(from_infra.len(), 2);
    for (uri, _) in &from_infra {
        assert_eq!(uri, "infra/network/main.tf");
    }
    let sarif = json(&out.join("r.sarif"));
    let base = sarif["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        base.starts_with("file:///") && base.ends_with('/'),
        "{base}"
    );
    assert!(
        !base.ends_with("/infra/"),
        "the base is the repository root: {base}"
    );
    let gitlab = json(&out.join("gl.json"));
    assert_eq!(gitlab[0]["location"]["path"], "infra/network/main.tf");
    let azure = std::fs::read_to_string(out.join("az.txt")).unwrap();
    assert!(
        azure.starts_with(
            "##vso[task.logissue type=error;sourcepath=infra/network/main.tf;linenumber=9;columnnumber=1;code=ER301]"
        ),
        "{azure}"
    );

    // From deeper down, naming the file, and from the root: the same paths and
    // fingerprints.
    formats(erlint(&root.join("infra/network")).arg("main.tf"));
    assert_eq!(sarif_results(&out.join("r.sarif")), from_infra);
    formats(&mut erlint(root));
    assert_eq!(sarif_results(&out.join("r.sarif")), from_infra);
    let gitlab_again = json(&out.join("gl.json"));
    assert_eq!(gitlab_again, gitlab);
}

#[test]
fn fingerprints_survive_moving_a_block_but_follow_the_resource() {
    let tmp = checkout(&baseline_project());
    let root = tmp.path();
    let sarif = root.join("r.sarif");
    let run = |dir: &Path| {
        erlint(dir)
            .args(["--format", &format!("sarif={}", sarif.display())])
            .output()
            .unwrap();
        sarif_results(&sarif)
    };
    let before = run(root);
    assert_eq!(before.len(), 2);
    assert_ne!(before[0].1, before[1].1);

    // Swap the two peerings and add lines above them: both findings move.
    let text = baseline_project();
    let split = text
        .find("resource \"azurerm_express_route_circuit_peering\" \"neu\"")
        .unwrap();
    let (head, neu) = text.split_at(split);
    let weu_at = head
        .find("resource \"azurerm_express_route_circuit_peering\" \"weu\"")
        .unwrap();
    let (preamble, weu) = head.split_at(weu_at);
    let moved = format!("{preamble}# moved\n\n\n{neu}\n{weu}");
    std::fs::write(root.join("infra/network/main.tf"), &moved).unwrap();
    let after = run(root);
    let mut b = before.clone();
    let mut a = after.clone();
    b.sort();
    a.sort();
    assert_eq!(a, b, "the same two fingerprints after the move");
    // The results are in file order: what was first is now second.
    assert_eq!(after[0].1, before[1].1);

    // Renaming a resource is a new finding.
    std::fs::write(
        root.join("infra/network/main.tf"),
        moved.replace("\"weu\"", "\"westeurope\""),
    )
    .unwrap();
    let renamed = run(root);
    assert!(renamed.iter().any(|r| !before.contains(r)));
    assert!(renamed.iter().any(|r| before.contains(r)));
}

#[test]
fn junit_follows_fail_on() {
    let project = repo().join("fixtures/rules/ER304/invalid.tf");
    let tmp = tempfile::tempdir().unwrap();
    let xml = tmp.path().join("junit.xml");
    let run = |fail_on: &str| {
        let out = erlint(&repo())
            .arg(&project)
            .args(["--select", "ER304", "--fail-on", fail_on, "--format"])
            .arg(format!("junit={}", xml.display()))
            .output()
            .unwrap();
        (out.status.code(), std::fs::read_to_string(&xml).unwrap())
    };
    // ER304 is a warning: at `--fail-on error` the run passes, and so do the tests.
    let (code, text) = run("error");
    assert_eq!(code, Some(0));
    assert!(text.contains("failures=\"0\""), "{text}");
    assert!(!text.contains("<failure"), "{text}");
    assert!(
        text.contains("<system-out>warning below --fail-on error, not a failure"),
        "{text}"
    );
    let (code, text) = run("warning");
    assert_eq!(code, Some(1));
    assert!(text.contains("<failure"), "{text}");
    // Test names carry no line or column.
    for name in text.split("<testcase name=\"").skip(1) {
        let name = name.split('"').next().unwrap();
        assert!(
            name.starts_with("ER304 peer-subnet-host-bits in "),
            "{name}"
        );
        assert!(!name.contains(".tf:"), "{name}");
    }
}
