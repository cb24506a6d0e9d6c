//! `--format gitlab`: a GitLab Code Quality report (`artifacts:reports:codequality`), the
//! subset of the Code Climate issue format GitLab reads, for the merge request widget
//! and the pipeline's Code Quality tab. A JSON array, one issue per unsuppressed finding:
//!
//! ```json
//! [{"type": "issue", "check_name": "ER301", "description": "ER301 single-bgp-session: …",
//!   "content": {"body": "help: …"}, "categories": ["Bug Risk"], "severity": "major",
//!   "fingerprint": "6c1e0d2f9a0b4c3d:1",
//!   "location": {"path": "infra/network/main.tf", "lines": {"begin": 10, "end": 10}}}]
//! ```
//!
//! - `location.path` is relative to the repository root (GitLab resolves it from the
//!   project directory), see [`RepoPaths`];
//! - `fingerprint` is the finding's [identity](super::identity), the same as SARIF's:
//!   GitLab compares the issues of the source and target branches by it, so it must not
//!   change when a block moves, and must be unique within the report;
//! - `severity`: error → `major`, warning → `minor`, info → `info`;
//! - control characters in text are made visible (JSON would carry them, GitLab's page
//!   would not show them).

use super::identity::identities;
use super::paths::RepoPaths;
use super::{span_lines, visible_controls};
use crate::diagnostic::{Severity, docs_url};
use crate::linter::Report;
use serde::Serialize;
use std::io::{self, Write};

#[derive(Serialize)]
struct Issue {
    #[serde(rename = "type")]
    kind: &'static str,
    check_name: &'static str,
    description: String,
    content: Content,
    categories: [&'static str; 1],
    severity: &'static str,
    fingerprint: String,
    location: Location,
}

#[derive(Serialize)]
struct Content {
    body: String,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
    end: usize,
}

pub fn write(out: &mut dyn Write, report: &Report, paths: &RepoPaths) -> io::Result<()> {
    let db = &report.db;
    let issues: Vec<Issue> = report
        .diagnostics
        .iter()
        .zip(identities(report, paths))
        .filter(|(d, _)| d.suppressed.is_none())
        .map(|(d, id)| {
            let (start, end) = span_lines(db, d.primary);
            let mut description = format!("{} {}: {}", d.code, d.name, d.message);
            if let Some(r) = &d.resource {
                description.push_str(&format!(" (in {r})"));
            }
            let mut body = String::new();
            if let Some(h) = &d.help {
                body.push_str(&format!("help: {h}\n\n"));
            }
            body.push_str(&format!("docs: {}", docs_url(d.code)));
            Issue {
                kind: "issue",
                check_name: d.code,
                description: visible_controls(&super::compact::one_line(&description)),
                content: Content {
                    body: visible_controls(&body),
                },
                categories: ["Bug Risk"],
                severity: match d.severity {
                    Severity::Error => "major",
                    Severity::Warning => "minor",
                    Severity::Info => "info",
                },
                fingerprint: id.fingerprint(),
                location: Location {
                    path: id.path,
                    lines: Lines {
                        begin: start.line,
                        end: end.line.max(start.line),
                    },
                },
            }
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &issues)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::sample;

    fn render(report: &Report, paths: &RepoPaths) -> String {
        sample::render(|o, r| write(o, r, paths), report)
    }

    fn infra() -> RepoPaths {
        RepoPaths {
            root: Some("/builds/net/infra".into()),
            cwd_in_root: "infra".into(),
        }
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(
            render(&sample::report(), &infra()).replace(env!("CARGO_PKG_VERSION"), "[version]")
        );
    }

    /// GitLab's documented report format as a JSON schema: the fields GitLab requires
    /// (`description`, `check_name`, `fingerprint`, `severity`, `location.path`,
    /// `location.lines.begin`) and the Code Climate types of the optional ones.
    fn schema() -> jsonschema::Validator {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/gitlab-codequality.schema.json"
        );
        let schema: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        jsonschema::validator_for(&schema).unwrap()
    }

    #[test]
    fn matches_the_code_quality_schema() {
        let v = schema();
        for report in [sample::report(), sample::clean_report()] {
            let doc: serde_json::Value = serde_json::from_str(&render(&report, &infra())).unwrap();
            let errors: Vec<String> = v.iter_errors(&doc).map(|e| e.to_string()).collect();
            assert!(errors.is_empty(), "{errors:#?}");
        }
        // Negative controls: the schema rejects what GitLab rejects.
        let good: serde_json::Value =
            serde_json::from_str(&render(&sample::report(), &infra())).unwrap();
        for (pointer, bad) in [
            ("/0/severity", serde_json::json!("fatal")),
            ("/0/location/lines/begin", serde_json::json!(0)),
            ("/0/fingerprint", serde_json::json!(7)),
        ] {
            let mut doc = good.clone();
            *doc.pointer_mut(pointer).unwrap() = bad;
            assert!(!v.is_valid(&doc), "{pointer}");
        }
        let mut doc = good.clone();
        doc[0].as_object_mut().unwrap().remove("check_name");
        assert!(!v.is_valid(&doc));
    }

    #[test]
    fn fingerprints_are_unique_and_suppressed_findings_are_left_out() {
        let mut r = sample::report();
        let copy = r.diagnostics[2].clone();
        r.diagnostics.insert(3, copy);
        let doc: serde_json::Value = serde_json::from_str(&render(&r, &infra())).unwrap();
        let issues = doc.as_array().unwrap();
        assert_eq!(issues.len(), 4, "the suppressed finding is not an issue");
        let mut fps: Vec<&str> = issues
            .iter()
            .map(|i| i["fingerprint"].as_str().unwrap())
            .collect();
        fps.sort_unstable();
        fps.dedup();
        assert_eq!(fps.len(), 4);
    }

    #[test]
    fn control_characters_are_made_visible() {
        let mut r = sample::report();
        r.diagnostics[1].message = "bad byte \u{1b}[2J in \"x\"\r\nnext".into();
        let doc: serde_json::Value = serde_json::from_str(&render(&r, &infra())).unwrap();
        assert_eq!(
            doc[1]["description"],
            "ER001 parse-error: bad byte \\u{1b}[2J in \"x\" next"
        );
    }

    #[test]
    fn clean_is_an_empty_array() {
        assert_eq!(render(&sample::clean_report(), &infra()), "[]\n");
    }
}
