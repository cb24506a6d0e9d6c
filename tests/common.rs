//! Helpers shared by the integration tests.

use erlint::linter::{self, Options, Report, RuleFilter};
use erlint::rules::RuleSettings;
use std::path::{Path, PathBuf};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Lint `paths` with only the rules matching `select` (all when empty).
pub fn lint(paths: &[PathBuf], select: &[&str]) -> Report {
    lint_with(paths, select, RuleSettings::default())
}

pub fn lint_with(paths: &[PathBuf], select: &[&str], settings: RuleSettings) -> Report {
    let opts = Options {
        paths: paths.to_vec(),
        settings,
        filter: RuleFilter {
            select: select.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        },
        max_file_size: 10 * 1024 * 1024,
        cwd: repo(),
        ..Default::default()
    };
    linter::run(&opts).expect("lint run")
}

/// One line per finding: `ER301 file:line:col-line:col severity resource` + message, help
/// and labels, with `root` shown as `shown`.
pub fn compact(report: &Report, root: &Path, shown: &str) -> String {
    let db = &report.db;
    let fix = |s: &str| s.replace(&root.display().to_string(), shown);
    let mut out = String::new();
    for d in &report.diagnostics {
        let (s, e) = erlint::output::span_lines(db, d.primary);
        out.push_str(&format!(
            "{} {}:{}:{}-{}:{} {} {}\n  {}\n",
            d.code,
            fix(db.display(d.primary.file)),
            s.line,
            s.column,
            e.line,
            e.column,
            d.severity,
            d.resource.as_deref().unwrap_or("-"),
            d.message
        ));
        if let Some(h) = &d.help {
            out.push_str(&format!("  help: {h}\n"));
        }
        for l in &d.labels {
            let (ls, _) = erlint::output::span_lines(db, l.span);
            out.push_str(&format!(
                "  label: {}:{}:{} {}\n",
                fix(db.display(l.span.file)),
                ls.line,
                ls.column,
                l.message
            ));
        }
        if let Some(p) = d.parameter_file {
            out.push_str(&format!("  parameter file: {}\n", fix(db.display(p))));
        }
    }
    fix(&out)
}
