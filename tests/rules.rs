//! Per-rule fixtures: `fixtures/rules/<ID>/`.
//!
//! - `valid*` (a file, or a directory of files linted together) must produce no finding of
//!   the rule;
//! - `invalid*` must produce at least one, and every line ending in a `# <ID>` or
//!   `// <ID>` marker must carry exactly the findings its marker names (a marker may list
//!   several ids), while unmarked lines carry none;
//! - every fixture's findings (code, exact line:column span, message, help, labels) are
//!   snapshotted next to it (insta, `<name>.snap`).
//!
//! A single-file fixture is copied alone into a temporary directory, so that files of one
//! rule's folder do not become one Terraform module.

use crate::common::{compact, lint};
use erlint::model::Schema;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn fixture_cases() -> Vec<(String, PathBuf)> {
    let root = crate::common::repo().join("fixtures/rules");
    let mut cases = Vec::new();
    for dir in std::fs::read_dir(&root).expect("fixtures/rules").flatten() {
        let id = dir.file_name().to_string_lossy().to_string();
        for case in std::fs::read_dir(dir.path()).unwrap().flatten() {
            let name = case.file_name().to_string_lossy().to_string();
            if name.starts_with("valid") || name.starts_with("invalid") {
                if name.ends_with(".snap") || name.ends_with(".snap.new") {
                    continue;
                }
                cases.push((id.clone(), case.path()));
            }
        }
    }
    cases.sort();
    cases
}

/// `(file name, line) → ids` from `# ER301` / `// ER301 ER302` markers at line ends.
fn markers(path: &Path, id_prefix: &str) -> BTreeMap<(String, usize), Vec<String>> {
    let mut out = BTreeMap::new();
    let files: Vec<PathBuf> = if path.is_dir() {
        walk(path)
    } else {
        vec![path.to_path_buf()]
    };
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap_or_default();
        let name = f
            .strip_prefix(path)
            .ok()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(f.file_name().unwrap().as_ref())
            .to_string_lossy()
            .to_string();
        for (i, line) in text.lines().enumerate() {
            let comment = line
                .rfind(" # ")
                .map(|p| &line[p + 3..])
                .or_else(|| line.rfind(" // ").map(|p| &line[p + 4..]));
            let Some(comment) = comment else { continue };
            let ids: Vec<String> = comment
                .split([' ', ',', ':'])
                .filter(|w| {
                    w.len() == 5
                        && w.starts_with(id_prefix)
                        && w[2..].chars().all(|c| c.is_ascii_digit())
                })
                .map(str::to_string)
                .collect();
            if !ids.is_empty() && comment.trim_start().starts_with("ER") {
                out.insert((name.clone(), i + 1), ids);
            }
        }
    }
    out
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

#[test]
fn rule_fixtures() {
    let cases = fixture_cases();
    assert!(!cases.is_empty(), "no fixtures found");
    let mut failures = Vec::new();
    for (id, path) in &cases {
        assert!(
            erlint::rules::find(id).is_some(),
            "fixtures/rules/{id}: no such rule"
        );
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let tmp = tempfile::tempdir().unwrap();
        let (lint_path, root) = if path.is_dir() {
            (path.clone(), path.clone())
        } else {
            let dest = tmp.path().join(&name);
            std::fs::copy(path, &dest).unwrap();
            (tmp.path().to_path_buf(), tmp.path().to_path_buf())
        };
        let report = lint(&[lint_path], &[id]);
        let shown_root = format!("fixtures/rules/{id}");
        let rendered = compact(
            &report,
            &root,
            &if path.is_dir() {
                format!("{shown_root}/{name}")
            } else {
                shown_root.clone()
            },
        );
        let own: Vec<_> = report.diagnostics.iter().filter(|d| d.code == id).collect();
        let other: Vec<_> = report
            .diagnostics
            .iter()
            .filter(|d| d.code != id && d.code != "ER004")
            .collect();
        let label = format!("fixtures/rules/{id}/{name}");
        if !other.is_empty() {
            failures.push(format!("{label}: findings of other rules:\n{rendered}"));
        }
        if name.starts_with("valid") {
            if !own.is_empty() {
                failures.push(format!(
                    "{label}: expected no {id} finding, got:\n{rendered}"
                ));
            }
        } else {
            if own.is_empty() {
                failures.push(format!("{label}: expected {id} findings, got none"));
            }
            // Markers: exact lines.
            let want = markers(path, "ER");
            let mut got: BTreeMap<(String, usize), Vec<String>> = BTreeMap::new();
            for d in &own {
                let file = report.db.path(d.primary.file);
                let rel = file
                    .strip_prefix(&root)
                    .map(|p| p.to_string_lossy().to_string())
                    .unwrap_or_else(|_| name.clone());
                let rel = if path.is_dir() { rel } else { name.clone() };
                let line = report
                    .db
                    .line_col(d.primary.file, d.primary.start as usize)
                    .line;
                got.entry((rel, line)).or_default().push(d.code.to_string());
            }
            let want: BTreeMap<_, _> = want
                .into_iter()
                .filter(|(_, ids)| ids.iter().any(|i| i == id))
                .map(|(k, ids)| (k, ids.into_iter().filter(|i| i == id).collect::<Vec<_>>()))
                .collect();
            if want != got {
                failures.push(format!(
                    "{label}: marked lines {want:?} but findings on {got:?}\n{rendered}"
                ));
            }
        }
        let body = format!("{label} (only {id} enabled)\n{rendered}");
        let snap_dir = path.parent().unwrap().to_path_buf();
        let snap_name = name.clone();
        let result = std::panic::catch_unwind(|| {
            insta::with_settings!({
                snapshot_path => snap_dir,
                prepend_module_to_snapshot => false,
                omit_expression => true,
            }, {
                insta::assert_snapshot!(snap_name, body);
            });
        });
        if result.is_err() {
            failures.push(format!("{label}: snapshot differs (review with `cargo insta review` or INSTA_UPDATE=always)"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} fixture failures:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// The formats a fixture is written in: `.tf`/`.tf.json` (the azurerm schema), other
/// `.json` (an ARM template), `.bicep` (Bicep, also the ARM schema).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Format {
    Terraform,
    ArmJson,
    Bicep,
}

impl Format {
    /// The formats every rule of `schema` needs fixtures in.
    fn of_schema(schema: Schema) -> &'static [Format] {
        match schema {
            Schema::Azurerm => &[Format::Terraform],
            Schema::Arm => &[Format::ArmJson, Format::Bicep],
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Format::Terraform => "Terraform (azurerm)",
            Format::ArmJson => "ARM JSON",
            Format::Bicep => "Bicep",
        }
    }
}

/// The formats of the files of a fixture (a file, or a directory of files).
fn fixture_formats(path: &Path) -> Vec<Format> {
    let files = if path.is_dir() {
        walk(path)
    } else {
        vec![path.to_path_buf()]
    };
    let mut out = Vec::new();
    for f in files {
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        let format = if name.ends_with(".tf") || name.ends_with(".tf.json") {
            Format::Terraform
        } else if name.ends_with(".bicep") {
            Format::Bicep
        } else if name.ends_with(".json") && !name.ends_with(".tfvars.json") {
            Format::ArmJson
        } else {
            continue;
        };
        if !out.contains(&format) {
            out.push(format);
        }
    }
    out
}

/// Every rule on the model has a valid and an invalid fixture in every format of every
/// schema it declares (ARM: JSON and Bicep; a front end of a new format adds it here).
#[test]
fn every_rule_has_fixtures_for_its_schemas() {
    let mut missing = Vec::new();
    for rule in erlint::rules::RULES {
        let meta = rule.meta();
        if !meta.checks_model() {
            continue;
        }
        let id = meta.id;
        assert!(!meta.schemas.is_empty(), "{id} declares no schema");
        let dir = crate::common::repo().join("fixtures/rules").join(id);
        let cases: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|_| panic!("{id}: no fixtures/rules/{id}/"))
            .flatten()
            .map(|e| e.path())
            .filter(|p| !p.to_string_lossy().ends_with(".snap"))
            .collect();
        for format in meta.schemas.iter().flat_map(|s| Format::of_schema(*s)) {
            for kind in ["valid", "invalid"] {
                let found = cases.iter().any(|p| {
                    let name = p.file_name().unwrap().to_string_lossy().to_string();
                    name.starts_with(kind) && fixture_formats(p).contains(format)
                });
                if !found {
                    missing.push(format!("{id}: no {kind} fixture in {}", format.describe()));
                }
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

/// Where the compiled twin of a Bicep fixture is: `fixtures/bicep/compiled/<ID>/<name>`
/// with `.json` for `.bicep` (a directory stays a directory).
fn twin_of(id: &str, fixture: &Path) -> PathBuf {
    let name = fixture.file_name().unwrap().to_string_lossy().to_string();
    let name = name
        .strip_suffix(".bicep")
        .map_or(name.clone(), |n| format!("{n}.json"));
    crate::common::repo()
        .join("fixtures/bicep/compiled")
        .join(id)
        .join(name)
}

/// The rule's findings as (rule, resource, count), with an unknown name (written as its
/// expression in brackets, which differs between Bicep and JSON) shown as `[?]`.
fn findings_of(path: &Path, id: &str) -> BTreeMap<(String, String), usize> {
    let tmp = tempfile::tempdir().unwrap();
    let target = if path.is_dir() {
        path.to_path_buf()
    } else {
        let dest = tmp.path().join(path.file_name().unwrap());
        std::fs::copy(path, &dest).unwrap();
        tmp.path().to_path_buf()
    };
    let report = lint(&[target], &[id]);
    let mut out = BTreeMap::new();
    for d in report.diagnostics.iter().filter(|d| d.code == id) {
        let resource = normalize_address(d.resource.as_deref().unwrap_or("-"));
        *out.entry((d.code.to_string(), resource)).or_insert(0) += 1;
    }
    out
}

/// `…/[parameters('x')]/p[1]` → `…/[?]/p[1]`: bracketed parts that are not loop indexes.
fn normalize_address(a: &str) -> String {
    let mut out = String::new();
    let mut rest = a;
    while let Some(i) = rest.find('[') {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        // The matching bracket (expressions nest them).
        let mut depth = 0;
        let mut end = after.len();
        for (j, c) in after.char_indices() {
            match c {
                '[' => depth += 1,
                ']' => {
                    depth -= 1;
                    if depth == 0 {
                        end = j + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        let inner = &after[1..end.saturating_sub(1).max(1)];
        if inner.chars().all(|c| c.is_ascii_digit()) {
            out.push_str(&after[..end]);
        } else {
            out.push_str("[?]");
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// Every Bicep fixture has a compiled twin, written as `bicep build` writes it (classic
/// output), and both give the same findings: the same rule, resources and counts.
#[test]
fn bicep_fixtures_match_their_compiled_twins() {
    let mut failures = Vec::new();
    let mut compared = 0;
    for (id, path) in fixture_cases() {
        if !fixture_formats(&path).contains(&Format::Bicep) {
            continue;
        }
        let twin = twin_of(&id, &path);
        if !twin.exists() {
            failures.push(format!(
                "fixtures/rules/{id}/{}: no compiled twin at {}",
                path.file_name().unwrap().to_string_lossy(),
                twin.display()
            ));
            continue;
        }
        let (b, j) = (findings_of(&path, &id), findings_of(&twin, &id));
        compared += 1;
        if b != j {
            failures.push(format!(
                "fixtures/rules/{id}/{}: Bicep {b:?}\n  compiled twin {j:?}",
                path.file_name().unwrap().to_string_lossy()
            ));
        }
    }
    assert!(compared >= 58, "only {compared} Bicep fixtures compared");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn twin_addresses_are_normalized() {
    assert_eq!(
        normalize_address("Microsoft.Network/expressRouteCircuits/[parameters('x')[0]]/p[12]"),
        "Microsoft.Network/expressRouteCircuits/[?]/p[12]"
    );
    assert_eq!(normalize_address("a/[circuitName]"), "a/[?]");
}
