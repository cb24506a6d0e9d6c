//! Inline suppressions end to end on `fixtures/projects/suppressions` (Terraform): which
//! findings each comment hides, ER003 for bad ones, and what the formats show.
//! ARM comments and resource metadata are covered by `src/suppress/tests.rs`.

use crate::common::repo;
use assert_cmd::Command;
use erlint::linter::{self, Options, Report};
use std::path::PathBuf;

fn project() -> PathBuf {
    repo().join("fixtures/projects/suppressions")
}

fn run(report_unused: bool) -> Report {
    let opts = Options {
        paths: vec![project()],
        max_file_size: 10 * 1024 * 1024,
        cwd: repo(),
        report_unused_ignores: report_unused,
        ..Default::default()
    };
    linter::run(&opts).unwrap()
}

/// `(code, file name, line, justification or "-")` for every diagnostic.
fn table(r: &Report) -> Vec<(String, String, usize, String)> {
    r.diagnostics
        .iter()
        .map(|d| {
            let path = r.db.display(d.primary.file);
            let name = path.rsplit_once("suppressions/").map_or(path, |(_, n)| n);
            (
                d.code.to_string(),
                name.to_string(),
                r.db.line_col(d.primary.file, d.primary.start as usize).line,
                d.suppressed
                    .as_ref()
                    .map_or("-".to_string(), |s| s.justification.clone()),
            )
        })
        .collect()
}

fn row(code: &str, file: &str, line: usize, why: &str) -> (String, String, usize, String) {
    (code.into(), file.into(), line, why.into())
}

#[test]
fn suppression_scopes() {
    let r = run(false);
    assert_eq!(
        table(&r),
        [
            // file-level comment at the top of legacy.tf
            row(
                "ER301",
                "legacy.tf",
                3,
                "legacy peerings, replaced by the new hub in Q3"
            ),
            row(
                "ER301",
                "legacy.tf",
                12,
                "legacy peerings, replaced by the new hub in Q3"
            ),
            // on the line before the block
            row(
                "ER301",
                "main.tf",
                29,
                "lab circuit, the second router ships in Q3"
            ),
            // first line inside the block
            row(
                "ER301",
                "main.tf",
                38,
                "test circuit owned by the network lab"
            ),
            // `//` comment before an attribute covers that attribute's finding
            row(
                "ER303",
                "main.tf",
                55,
                "the carrier assigned a /31 for this link, confirmed in CHG-2211"
            ),
            // expired: reported again, plus ER003 at the comment
            row("ER003", "main.tf", 59, "-"),
            row("ER301", "main.tf", 60, "-"),
            // no reason: applied, but ER003
            row("ER003", "main.tf", 69, "-"),
            row("ER301", "main.tf", 70, "no reason given"),
            // unknown id: ER003 at the id, the finding stays
            row("ER003", "main.tf", 79, "-"),
            row("ER301", "main.tf", 80, "-"),
            // two ids, not yet expired
            row(
                "ER301",
                "main.tf",
                90,
                "both sessions are planned, see change CHG-1042"
            ),
            // no comment
            row("ER301", "main.tf", 111, "-"),
            // the comment on `module "lab_peering"` covers that instance, not prod_peering
            row(
                "ER301",
                "modules/peering/main.tf",
                25,
                "the lab peering module is single-homed by design"
            ),
            row("ER301", "modules/peering/main.tf", 25, "-"),
        ]
    );
    let er003: Vec<&str> = r
        .diagnostics
        .iter()
        .filter(|d| d.code == "ER003")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        er003,
        [
            "suppression of `ER301` expired on 2020-01-31; the findings it hid are reported again",
            "suppression of `ER301` gives no reason",
            "`ER391` is not an erlint rule, so this suppression hides nothing",
        ]
    );
    let unknown = r
        .diagnostics
        .iter()
        .find(|d| d.message.contains("ER391"))
        .unwrap();
    assert_eq!(
        unknown.help.as_deref(),
        Some("did you mean `ER301` (`single-bgp-session`)? `erlint rules` lists every rule")
    );
    let text = r.db.text(unknown.primary.file).unwrap();
    assert_eq!(&text[unknown.primary.range()], "ER391");
}

#[test]
fn unused_suppressions_with_the_flag() {
    let r = run(true);
    let unused: Vec<(String, usize)> = r
        .diagnostics
        .iter()
        .filter(|d| d.code == "ER003" && d.message.contains("hides nothing here"))
        .map(|d| {
            let text = r.db.text(d.primary.file).unwrap();
            (
                text[d.primary.range()].to_string(),
                r.db.line_col(d.primary.file, d.primary.start as usize).line,
            )
        })
        .collect();
    // ER302 of `two_ids` (ER301 of it is used), and the stale comment on `unused`.
    assert_eq!(
        unused,
        [("ER302".to_string(), 89), ("ER301".to_string(), 100)]
    );
    assert!(
        !run(false)
            .diagnostics
            .iter()
            .any(|d| d.message.contains("hides nothing here"))
    );
}

fn erlint() -> Command {
    let mut c = Command::cargo_bin("erlint").unwrap();
    c.current_dir(repo())
        .env_remove("ERLINT_CONFIG")
        .env("NO_COLOR", "1");
    c
}

#[test]
fn suppressed_findings_never_fail_the_run_and_are_counted() {
    erlint()
        .args(["fixtures/projects/suppressions/legacy.tf"])
        .assert()
        .code(0)
        .stdout(predicates::str::contains("0 errors, 0 warnings in 3 files"))
        .stdout(predicates::str::contains("2 suppressed"));
}

#[test]
fn sarif_carries_suppressed_results() {
    let out = erlint()
        .args(["fixtures/projects/suppressions", "--format", "sarif"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let results = v["runs"][0]["results"].as_array().unwrap();
    let suppressed: Vec<&serde_json::Value> = results
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .collect();
    assert_eq!(suppressed.len(), 8);
    for s in &suppressed {
        assert_eq!(s["suppressions"][0]["kind"], "inSource");
        assert!(
            !s["suppressions"][0]["justification"]
                .as_str()
                .unwrap()
                .is_empty()
        );
    }
    // JSON leaves them out but counts them.
    let out = erlint()
        .args(["fixtures/projects/suppressions", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["summary"]["suppressed"], 8);
    assert_eq!(v["diagnostics"].as_array().unwrap().len(), 7);
}

/// The ARM template of `src/suppress/tests.rs`, end to end.
#[test]
fn arm_suppressions_end_to_end() {
    let opts = Options {
        paths: vec![repo().join("fixtures/projects/suppressions-arm")],
        max_file_size: 10 * 1024 * 1024,
        cwd: repo(),
        ..Default::default()
    };
    let r = linter::run(&opts).unwrap();
    let rows: Vec<(String, usize, String)> = table(&r)
        .into_iter()
        .map(|(c, _, l, j)| (c, l, j))
        .collect();
    let row = |c: &str, l: usize, j: &str| (c.to_string(), l, j.to_string());
    assert_eq!(
        rows,
        [
            row("ER301", 7, "lab circuit, one router until Q3"),
            row("ER301", 18, "decommissioned with the old hub"),
            row("ER303", 43, "the carrier assigned a /31, see CHG-2211"),
            row("ER301", 49, "-"),
            row("ER003", 52, "-"),
            row("ER301", 61, "no reason given"),
            row("ER003", 64, "-"),
            row("ER301", 73, "-"),
        ]
    );
}

/// Terraform JSON has no comments; its `"//"` properties carry suppressions instead.
#[test]
fn tf_json_comment_properties_suppress() {
    let opts = Options {
        paths: vec![repo().join("fixtures/projects/suppressions-tfjson")],
        max_file_size: 10 * 1024 * 1024,
        cwd: repo(),
        ..Default::default()
    };
    let r = linter::run(&opts).unwrap();
    let rows: Vec<(String, String, usize, String)> = table(&r)
        .into_iter()
        .map(|(c, f, l, j)| (c, f.rsplit('/').next().unwrap_or("").to_string(), l, j))
        .collect();
    assert_eq!(
        rows,
        [
            // `erlint-ignore-file` in the root object covers the file
            row(
                "ER301",
                "legacy.tf.json",
                5,
                "legacy peerings, replaced by the new hub in Q3"
            ),
            // ... but not in a nested one
            row("ER003", "legacy.tf.json", 14, "-"),
            row("ER302", "legacy.tf.json", 21, "-"),
            // `"//": "erlint-ignore: …"` in a resource covers that resource
            row(
                "ER301",
                "peerings.tf.json",
                11,
                "lab circuit, the second router ships in Q3"
            ),
            // expired
            row("ER301", "peerings.tf.json", 20, "-"),
            row("ER003", "peerings.tf.json", 21, "-"),
            // no comment
            row("ER301", "peerings.tf.json", 29, "-"),
        ]
    );
}

/// Two roots share a module whose default is wrong: one finding per place, naming the
/// other call; a suppression on one root's module call hides only that root's finding.
#[test]
fn shared_module_findings_merge_after_suppressions() {
    let opts = Options {
        paths: vec![repo().join("fixtures/projects/shared-module")],
        max_file_size: 10 * 1024 * 1024,
        cwd: repo(),
        ..Default::default()
    };
    let r = linter::run(&opts).unwrap();
    let shown: Vec<(&str, bool, Option<&str>)> = r
        .diagnostics
        .iter()
        .map(|d| (d.code, d.suppressed.is_some(), d.note.as_deref()))
        .collect();
    assert_eq!(
        shown,
        [
            (
                "ER407",
                false,
                Some(
                    "the same for `module.peering.azurerm_express_route_circuit_peering.private` called at fixtures/projects/shared-module/envs/prod/main.tf:6"
                )
            ),
            ("ER407", true, None),
        ]
    );
    let calls: Vec<String> = r
        .diagnostics
        .iter()
        .map(|d| {
            let l = d.labels.iter().find(|l| l.context).unwrap();
            r.db.display(l.span.file)
                .rsplit("envs/")
                .next()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(calls, ["dev/main.tf", "lab/main.tf"]);
}

/// Bicep: `// erlint-ignore:` before a nested resource, after a property, before a module
/// call (covering what is reported inside the module), `erlint-ignore-file:` at the top,
/// and ER003 for an id that is not a rule.
#[test]
fn bicep_suppressions() {
    let opts = Options {
        paths: vec![repo().join("fixtures/projects/bicep-suppressions")],
        max_file_size: 10 * 1024 * 1024,
        cwd: repo(),
        ..Default::default()
    };
    let r = linter::run(&opts).unwrap();
    let rows: Vec<(String, String, usize, String)> = r
        .diagnostics
        .iter()
        .map(|d| {
            let path = r.db.display(d.primary.file);
            let name = path
                .rsplit_once("bicep-suppressions/")
                .map_or(path, |(_, n)| n);
            (
                d.code.to_string(),
                name.to_string(),
                r.db.line_col(d.primary.file, d.primary.start as usize).line,
                d.suppressed
                    .as_ref()
                    .map_or("-".to_string(), |s| s.justification.clone()),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            row(
                "ER205",
                "main.bicep",
                10,
                "the old name stays until the contract is renewed"
            ),
            row("ER301", "main.bicep", 17, "lab peering with one router"),
            row(
                "ER302",
                "main.bicep",
                32,
                "one subnet on purpose in the lab"
            ),
            row("ER003", "main.bicep", 46, "-"),
            row("ER301", "main.bicep", 47, "-"),
            row(
                "ER301",
                "modules/peering.bicep",
                15,
                "the branch keeps one session until its second router arrives"
            ),
        ]
    );
}

#[test]
fn a_file_that_does_not_parse_reports_its_syntax_error_only() {
    // Its comments are the parser's: a file that does not parse has none, so its
    // suppression is not also reported as covering nothing (it was, with a lexer of its own).
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        "# erlint-ignore: ER301 lab circuit, one router\nresource \"azurerm_express_route_circuit_peering\" \"lab\" {\n  peering_type =\n}\n",
    )
    .unwrap();
    let opts = Options {
        paths: vec![dir.path().to_path_buf()],
        cwd: dir.path().to_path_buf(),
        report_unused_ignores: true,
        ..Default::default()
    };
    let r = linter::run(&opts).unwrap();
    let codes: Vec<&str> = r.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["ER001"]);
}
