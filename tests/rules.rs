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

pub fn fixture_cases() -> Vec<(String, PathBuf)> {
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

/// One test per rule folder of `fixtures/rules/`, named by the id in lower case, so that
/// `cargo test er301` runs ER301's fixtures and `cargo test rule_fixtures` all of them.
/// `fixture_folders_have_tests` checks this list against the folders.
macro_rules! rule_fixtures {
    ($($id:ident),* $(,)?) => {
        mod rule_fixtures {
            $(
                #[test]
                fn $id() {
                    super::check_rule_fixtures(&stringify!($id).to_uppercase());
                }
            )*

            /// The ids above, upper case.
            pub fn listed() -> Vec<String> {
                vec![$(stringify!($id).to_uppercase()),*]
            }

            #[test]
            fn fixture_folders_have_tests() {
                let root = crate::common::repo().join("fixtures/rules");
                let mut folders: Vec<String> = std::fs::read_dir(&root)
                    .expect("fixtures/rules")
                    .flatten()
                    .filter(|e| e.path().is_dir())
                    .map(|e| e.file_name().to_string_lossy().to_string())
                    .collect();
                folders.sort();
                assert_eq!(
                    folders,
                    listed(),
                    "each folder of fixtures/rules/ needs its id in `rule_fixtures!` (tests/rules.rs), in order"
                );
            }
        }
    };
}

rule_fixtures! {
    er006, er101, er102, er103, er104, er105, er106, er201, er202, er203, er204, er205, er206,
    er207, er208, er209, er301, er302, er303, er304, er305, er401, er402, er403, er404, er405,
    er406, er407, er408, er409, er410, er411, er412, er413, er501, er502, er503, er504, er505,
    er506, er507, er508, er509, er510, er511, er512,
}

/// The fixtures of one rule (`fixtures/rules/<id>/`): findings, markers and snapshots.
fn check_rule_fixtures(id: &str) {
    let cases: Vec<(String, PathBuf)> = fixture_cases()
        .into_iter()
        .filter(|(dir, _)| dir == id)
        .collect();
    assert!(!cases.is_empty(), "fixtures/rules/{id}: no fixtures found");
    assert!(
        erlint::rules::find(id).is_some(),
        "fixtures/rules/{id}: no such rule"
    );
    let mut failures = Vec::new();
    for (_, path) in &cases {
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

/// The formats a fixture (a file, or a directory of files) is written in, each with its
/// schema: `.tf`, `.tf.json`, `.tofu` files are azurerm, or azapi when they declare an
/// `azapi_resource` (ARM schema, HCL syntax); `.bicep` files are Bicep (ARM schema); other
/// `.json` files are ARM.
pub fn fixture_formats(path: &Path) -> Vec<(Schema, &'static str)> {
    let files = if path.is_dir() {
        walk(path)
    } else {
        vec![path.to_path_buf()]
    };
    let mut out = Vec::new();
    for f in files {
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        let terraform = [".tf", ".tf.json", ".tofu", ".tofu.json"]
            .iter()
            .any(|e| name.ends_with(e));
        let format = if terraform {
            let text = std::fs::read_to_string(&f).unwrap_or_default();
            if text.contains("resource \"azapi_resource\"") {
                (Schema::Arm, "azapi")
            } else {
                (Schema::Azurerm, "azurerm")
            }
        } else if name.ends_with(".bicep") {
            (Schema::Arm, "Bicep")
        } else if name.ends_with(".json") && !name.ends_with(".tfvars.json") {
            (Schema::Arm, "ARM")
        } else {
            continue;
        };
        if !out.contains(&format) {
            out.push(format);
        }
    }
    out
}

/// The formats every rule of a schema needs fixtures in.
const FORMATS: [(Schema, &str); 4] = [
    (Schema::Azurerm, "azurerm"),
    (Schema::Arm, "ARM"),
    (Schema::Arm, "Bicep"),
    (Schema::Arm, "azapi"),
];

/// Every rule on the model has a valid and an invalid fixture in every format of every
/// schema it declares (a new front end adds its format to `FORMATS`).
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
        for (schema, format) in FORMATS.iter().filter(|(s, _)| meta.schemas.contains(s)) {
            for kind in ["valid", "invalid"] {
                let found = cases.iter().any(|p| {
                    let name = p.file_name().unwrap().to_string_lossy().to_string();
                    let is_kind = if kind == "valid" {
                        name.starts_with("valid")
                    } else {
                        name.starts_with("invalid")
                    };
                    is_kind && fixture_formats(p).contains(&(*schema, *format))
                });
                if !found {
                    missing.push(format!(
                        "{id}: no {kind} fixture in {format} ({} schema)",
                        schema.describe()
                    ));
                }
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}
