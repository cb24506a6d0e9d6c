//! The Bicep syntax suite: every file under `fixtures/bicep/syntax/valid/` parses, and every
//! file under `fixtures/bicep/syntax/invalid/` fails exactly where its first line says
//! (`// error: LINE:COL message fragment`, 1-based, columns in characters).

use crate::common::repo;
use erlint::bicep::{self, FileKind};
use erlint::source::{FileId, LineIndex};
use std::path::{Path, PathBuf};

fn files(dir: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(repo().join("fixtures/bicep/syntax").join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e == "bicep" || e == "bicepparam")
        })
        .collect();
    out.sort();
    out
}

fn parse(path: &Path) -> (String, Result<bicep::BicepFile, bicep::ParseError>) {
    let text = String::from_utf8(std::fs::read(path).unwrap()).unwrap();
    let result = bicep::parse(&text, FileId(0), FileKind::of_path(path));
    (text, result)
}

#[test]
fn the_suite_is_large_and_covers_both_kinds_of_file() {
    let all: Vec<PathBuf> = files("valid").into_iter().chain(files("invalid")).collect();
    assert!(all.len() >= 120, "only {} files", all.len());
    for dir in ["valid", "invalid"] {
        let f = files(dir);
        let params = f
            .iter()
            .filter(|p| p.extension().unwrap() == "bicepparam")
            .count();
        assert!(params >= 8, "{dir}: {params} .bicepparam files");
        assert!(
            f.len() - params >= 50,
            "{dir}: {} .bicep files",
            f.len() - params
        );
    }
}

#[test]
fn valid_files_parse() {
    let mut failures = Vec::new();
    for path in files("valid") {
        let (text, result) = parse(&path);
        if let Err(e) = result {
            let at = LineIndex::new(&text).line_col(&text, e.span.start as usize);
            failures.push(format!("{}:{at}: {}", path.display(), e.message));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn invalid_files_fail_where_their_first_line_says() {
    let mut failures = Vec::new();
    for path in files("invalid") {
        let (text, result) = parse(&path);
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let header = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("// error: "))
            .unwrap_or_else(|| panic!("{name}: no `// error: L:C fragment` first line"));
        let (at, fragment) = header.split_once(' ').unwrap();
        match result {
            Ok(_) => failures.push(format!("{name}: parsed without error")),
            Err(e) => {
                let lc = LineIndex::new(&text).line_col(&text, e.span.start as usize);
                if lc.to_string() != at || !e.message.contains(fragment) {
                    failures.push(format!(
                        "{name}: expected {at} `{fragment}`, got {lc} `{}`",
                        e.message
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every strict prefix of a valid file either parses or fails with a located error; no
/// panic, and errors stay inside the text.
#[test]
fn truncated_valid_files_fail_cleanly() {
    for path in files("valid") {
        let (text, _) = parse(&path);
        let cuts: Vec<usize> = text.char_indices().map(|(i, _)| i).step_by(7).collect();
        for cut in cuts {
            let prefix = &text[..cut];
            let kind = FileKind::of_path(&path);
            if let Err(e) = bicep::parse(prefix, FileId(0), kind) {
                assert!(
                    (e.span.end as usize) <= prefix.len() && e.span.start <= e.span.end,
                    "{}: cut at {cut}: span {:?} outside the text",
                    path.display(),
                    e.span
                );
                assert!(!e.message.is_empty());
            }
        }
    }
}

/// Evaluation scenarios under `fixtures/bicep/eval/<case>/`: each linted as a directory,
/// with every finding as `(code, file below the case, line, message)`.
mod eval {
    use crate::common::{lint, repo};
    use std::path::Path;

    type Row = (String, String, usize, String);

    fn rows_of(report: &erlint::linter::Report, root: &Path) -> Vec<Row> {
        report
            .diagnostics
            .iter()
            .map(|d| {
                let path = report.db.path(d.primary.file);
                let rel = erlint::terraform::normalize(path);
                let rel = rel
                    .strip_prefix(erlint::terraform::normalize(root))
                    .map_or_else(|_| path.to_path_buf(), Path::to_path_buf);
                (
                    d.code.to_string(),
                    rel.to_string_lossy().replace('\\', "/"),
                    report
                        .db
                        .line_col(d.primary.file, d.primary.start as usize)
                        .line,
                    d.message.clone(),
                )
            })
            .collect()
    }

    fn run(case: &str) -> (erlint::linter::Report, Vec<Row>) {
        let root = repo().join("fixtures/bicep/eval").join(case);
        let report = lint(std::slice::from_ref(&root), &[]);
        let rows = rows_of(&report, &root);
        (report, rows)
    }

    fn codes(rows: &[Row]) -> Vec<(&str, &str, usize)> {
        rows.iter()
            .map(|(c, f, l, _)| (c.as_str(), f.as_str(), *l))
            .collect()
    }

    #[test]
    fn a_local_arm_module_is_read_by_the_arm_front_end() {
        let (r, rows) = run("json-module");
        assert_eq!(codes(&rows), [("ER301", "peering.json", 18)]);
        let d = &r.diagnostics[0];
        // The value came from the Bicep call; the call is in the chain.
        assert!(d.message.contains("`10.30.0.0/30`"), "{}", d.message);
        let labels: Vec<String> = d
            .labels
            .iter()
            .map(|l| format!("{}:{}", r.db.display(l.span.file), l.message))
            .collect();
        assert!(
            labels
                .iter()
                .any(|l| l.ends_with("main.bicep:in module `er`, called here")),
            "{labels:?}"
        );
    }

    #[test]
    fn load_json_content_values_are_evaluated_with_a_json_path() {
        let (r, rows) = run("load-json");
        assert_eq!(codes(&rows), [("ER302", "main.bicep", 9)]);
        // `vlanId: length(banner)` read the text file: 12 characters, a valid VLAN.
        let label_files: Vec<&str> = r.diagnostics[0]
            .labels
            .iter()
            .map(|l| r.db.display(l.span.file))
            .collect();
        assert!(
            label_files.iter().any(|f| f.ends_with("sessions.json")),
            "{label_files:?}"
        );
    }

    #[test]
    fn imported_variables_and_functions_are_evaluated() {
        let (_, rows) = run("imports");
        assert_eq!(codes(&rows), [("ER302", "main.bicep", 9)]);
    }

    #[test]
    fn a_parameter_file_extends_its_base() {
        let (r, rows) = run("extends");
        // The provider comes from the base file, the location from the derived one.
        assert_eq!(codes(&rows), [("ER201", "main.bicep", 9)]);
        let d = &r.diagnostics[0];
        assert!(
            d.labels
                .iter()
                .any(|l| r.db.display(l.span.file).ends_with("base.bicepparam")),
            "{:?}",
            d.labels
        );
        assert!(
            r.db.display(d.parameter_file.unwrap())
                .ends_with("prod.bicepparam")
        );
    }

    #[test]
    fn read_environment_variable_is_unknown() {
        let (_, rows) = run("env");
        // `fromEnvironment` is not known (the default applies only where the variable is
        // unset); `written` is, through a `var` and a condition.
        assert_eq!(codes(&rows), [("ER301", "main.bicep", 13)]);
        assert!(rows[0].3.contains("`10.61.0.0/30`"), "{}", rows[0].3);
    }

    #[test]
    fn module_scopes_decide_the_deployment_scope() {
        let (r, rows) = run("scopes");
        // Only the module without a scope deploys at subscription scope.
        assert_eq!(codes(&rows), [("ER102", "circuit.bicep", 3)]);
        let d = &r.diagnostics[0];
        assert!(
            d.labels
                .iter()
                .any(|l| l.message == "in module `unscoped`, called here"),
            "{:?}",
            d.labels
        );
        assert_eq!(r.resources, 4);
    }

    #[test]
    fn compiled_json_beside_its_source_is_skipped_and_counted() {
        let (r, rows) = run("generated");
        assert_eq!(
            codes(&rows),
            [("ER301", "main.bicep", 1), ("ER301", "other.json", 13)]
        );
        assert_eq!(r.skipped_generated, 1);
    }

    #[test]
    fn compiled_json_sorted_with_the_parameter_files_is_skipped_too() {
        // In a directory named `params`, the JSON files are sorted first (with the
        // parameter files): the compiled `main.json` is found beside its source there too.
        let (r, rows) = run("generated-in-params");
        assert_eq!(codes(&rows), [("ER301", "params/main.bicep", 1)]);
        assert_eq!(r.skipped_generated, 1);
    }

    #[test]
    fn a_parameter_file_found_evaluates_its_template_outside_the_walk() {
        // Only `envs` is linted; the template its `.bicepparam` names is above it.
        let root = repo().join("fixtures/bicep/eval/params-outside");
        let report = lint(&[root.join("envs")], &[]);
        let rows = rows_of(&report, &root);
        assert_eq!(codes(&rows), [("ER206", "main.bicep", 17)]);
        assert_eq!(report.resources, 1);
        let d = &report.diagnostics[0];
        assert_eq!(
            d.parameter_file.map(|f| report.db.display(f).to_string()),
            Some("fixtures/bicep/eval/params-outside/envs/prod/prod.bicepparam".to_string())
        );
    }

    #[test]
    fn a_parameter_file_whose_template_does_not_exist_says_so() {
        // Bicep cannot build it; erlint notes that its values were not checked (ER004, at
        // the `using` path), where it used to pass in silence.
        let (r, rows) = run("params-missing-template");
        assert_eq!(codes(&rows), [("ER004", "envs/prod/prod.bicepparam", 2)]);
        assert!(
            rows[0]
                .3
                .contains("the template `../../main.bicep` that `using` names does not exist"),
            "{}",
            rows[0].3
        );
        let d = &r.diagnostics[0];
        assert_eq!(
            erlint::output::span_lines(&r.db, d.primary),
            (
                erlint::source::LineCol { line: 2, column: 7 },
                erlint::source::LineCol {
                    line: 2,
                    column: 25
                }
            )
        );
        assert_eq!(r.resources, 0);
        // Only a parameters file's `using` names a template: in a `.bicep` file it is a
        // syntax error (ER001), and nothing more.
        let bad = repo().join("fixtures/bicep/syntax/invalid/using_in_template.bicep");
        let r = lint(std::slice::from_ref(&bad), &[]);
        let codes: Vec<&str> = r.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["ER001"]);
    }

    #[test]
    fn nullable_parameters_left_out_are_null() {
        let (r, rows) = run("nullable");
        // `hub` leaves both prefixes out: both fall back to the same /30.
        assert_eq!(codes(&rows), [("ER302", "peering.bicep", 20)]);
        assert!(rows[0].3.contains("`10.0.0.0/30`"), "{}", rows[0].3);
        // No caller passes Global Reach peers: the loop has no items, and no connection
        // is listed as one that may exist.
        assert_eq!(r.resources, 2);
    }

    #[test]
    fn a_named_compiled_json_reports_its_source() {
        // Staged or named alone, the compiled JSON stands for its `.bicep`: skipped, but
        // the source's findings are reported (not a silent pass).
        let root = repo().join("fixtures/bicep/eval/generated");
        let report = lint(&[root.join("main.json")], &[]);
        let rows = rows_of(&report, &root);
        assert_eq!(codes(&rows), [("ER301", "main.bicep", 1)]);
        assert_eq!(report.skipped_generated, 1);
        // Another named template does not name the `.bicep`.
        let report = lint(&[root.join("other.json")], &[]);
        let rows = rows_of(&report, &root);
        assert_eq!(codes(&rows), [("ER301", "other.json", 13)]);
    }

    #[test]
    fn cycles_are_reported_and_a_too_long_loop_is_not_guessed() {
        let (_, rows) = run("cycle");
        assert_eq!(
            codes(&rows),
            [("ER004", "main.bicep", 1), ("ER001", "main.bicep", 6)]
        );
        assert!(rows[1].3.contains("`a` → `b` → `a`"), "{}", rows[1].3);
    }

    #[test]
    fn the_evaluation_limit_is_a_located_warning_and_leaves_values_unknown() {
        let (_, rows) = run("limit");
        // ER005 where the unit's budget ran out; `vlanId` (5000, were it known) and the
        // secondary prefix are Unknown, so ER406 and ER301 stay silent.
        assert_eq!(codes(&rows), [("ER005", "main.bicep", 2)]);
        assert!(rows[0].3.contains("limit of"), "{}", rows[0].3);
    }

    /// A chain of modules deeper than erlint follows: ER005 at the call it stops at, and
    /// the resources above it are checked.
    #[test]
    fn a_module_chain_deeper_than_the_limit_is_a_located_warning() {
        let dir = tempfile::tempdir().unwrap();
        let depth = erlint::bicep::limits::MAX_MODULE_DEPTH as usize + 2;
        for i in 0..depth {
            std::fs::write(
                dir.path().join(format!("m{i}.bicep")),
                format!(
                    "module next './m{}.bicep' = {{\n  name: 'm{i}'\n}}\n\nresource p 'Microsoft.Network/expressRouteCircuits/peerings@2023-09-01' = {{\n  name: 'er-{i}/AzurePrivatePeering'\n  properties: {{\n    primaryPeerAddressPrefix: '10.0.{i}.0/30'\n  }}\n}}\n",
                    i + 1
                ),
            )
            .unwrap();
        }
        std::fs::write(
            dir.path().join(format!("m{depth}.bicep")),
            "param x string\n",
        )
        .unwrap();
        let report = lint(&[dir.path().to_path_buf()], &["ER301", "ER005"]);
        let rows = rows_of(&report, dir.path());
        let er005: Vec<&Row> = rows.iter().filter(|r| r.0 == "ER005").collect();
        assert_eq!(er005.len(), 1, "{rows:?}");
        assert!(
            er005[0].3.contains("nested more than 32 modules"),
            "{:?}",
            er005[0]
        );
        let checked = rows.iter().filter(|r| r.0 == "ER301").count();
        assert_eq!(
            checked,
            erlint::bicep::limits::MAX_MODULE_DEPTH as usize + 1
        );
    }

    #[test]
    fn a_file_that_does_not_parse_is_er001_at_the_token() {
        let (_, rows) = run("parse-error");
        assert_eq!(codes(&rows), [("ER001", "main.bicep", 2)]);
    }

    #[test]
    fn each_parameter_file_is_one_evaluation() {
        let (r, rows) = run("two-param-files");
        // The `.bicepparam` sets both sessions; the JSON parameter file (paired by name)
        // only the primary.
        assert_eq!(codes(&rows), [("ER301", "main.bicep", 9)]);
        assert!(
            r.db.display(r.diagnostics[0].parameter_file.unwrap())
                .ends_with("main.parameters.dev.json")
        );
    }

    /// Registry modules: followed from a module cache (here a fake one, named by
    /// `ERLINT_BICEP_CACHE`), ER004 when not restored; template specs read from their
    /// version resource.
    #[test]
    fn registry_modules_are_followed_from_the_cache() {
        let root = repo().join("fixtures/bicep/eval");
        let out = assert_cmd::Command::cargo_bin("erlint")
            .unwrap()
            .current_dir(&root)
            .env("ERLINT_BICEP_CACHE", root.join("registry-cache"))
            .args(["registry", "--format", "json"])
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let found: Vec<(String, String, u64)> = v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (
                    d["code"].as_str().unwrap().to_string(),
                    d["file"].as_str().unwrap().to_string(),
                    d["start"]["line"].as_u64().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                (
                    "ER301".to_string(),
                    "registry-cache/br/mcr.microsoft.com/bicep$avm$res$network$express-route-peering/0.6.0$/main.json".to_string(),
                    18
                ),
                (
                    "ER301".to_string(),
                    "registry-cache/ts/00000000-0000-0000-0000-000000000001/rg-specs/er-peering/1.0/main.json".to_string(),
                    36
                ),
                ("ER004".to_string(), "registry/main.bicep".to_string(), 10),
            ]
        );
        let er004 = &v["diagnostics"][2];
        assert!(
            er004["message"].as_str().unwrap().contains(
                "`br:contoso.azurecr.io/bicep/er-circuit:v2` is not in the local Bicep module cache"
            ),
            "{er004}"
        );
        // Without the cache, every registry module is ER004.
        let empty = tempfile::tempdir().unwrap();
        let out = assert_cmd::Command::cargo_bin("erlint")
            .unwrap()
            .current_dir(&root)
            .env("ERLINT_BICEP_CACHE", empty.path())
            .args(["registry", "--format", "json"])
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let codes: Vec<&str> = v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["code"].as_str().unwrap())
            .collect();
        assert_eq!(codes, ["ER004", "ER004", "ER004"]);
    }
}

/// `--parameters` takes a `.bicepparam` file too (here one with `using none`, which pairs
/// with nothing by itself).
#[test]
fn a_bicep_parameter_file_given_on_the_command_line_is_used() {
    let root = crate::common::repo().join("fixtures/bicep/eval/extends");
    let opts = erlint::linter::Options {
        paths: vec![root.join("main.bicep")],
        parameters: vec![root.join("base.bicepparam")],
        max_file_size: 10 << 20,
        cwd: crate::common::repo(),
        ..Default::default()
    };
    let r = erlint::linter::run(&opts).unwrap();
    let found: Vec<(&str, Option<&str>)> = r
        .diagnostics
        .iter()
        .map(|d| (d.code, d.parameter_file.map(|p| r.db.display(p))))
        .collect();
    assert_eq!(
        found,
        [("ER201", Some("fixtures/bicep/eval/extends/base.bicepparam"))]
    );
}
