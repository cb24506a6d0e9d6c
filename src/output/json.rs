//! `--format json`: `{"version": 1, "diagnostics": [...], "summary": {...}}`, the same
//! shape whether or not anything was found. Suppressed findings are left out and counted.

use super::{Counts, span_lines};
use crate::diagnostic::docs_url;
use crate::linter::Report;
use serde_json::{Value, json};
use std::io::{self, Write};

pub fn write(out: &mut dyn Write, report: &Report) -> io::Result<()> {
    let v = to_value(report);
    serde_json::to_writer_pretty(&mut *out, &v)?;
    writeln!(out)
}

pub fn to_value(report: &Report) -> Value {
    let db = &report.db;
    let diagnostics: Vec<Value> = report
        .diagnostics
        .iter()
        .filter(|d| d.suppressed.is_none())
        .map(|d| {
            let (start, end) = span_lines(db, d.primary);
            let labels: Vec<Value> = d
                .labels
                .iter()
                .map(|l| {
                    let (s, e) = span_lines(db, l.span);
                    json!({"file": db.display(l.span.file), "start": s, "end": e, "message": l.message})
                })
                .collect();
            json!({
                "code": d.code,
                "name": d.name,
                "severity": d.severity,
                "message": d.message,
                "file": db.display(d.primary.file),
                "start": start,
                "end": end,
                "resource": d.resource,
                "help": d.help,
                "note": d.note,
                "labels": labels,
                "json_path": d.json_path,
                "parameter_file": d.parameter_file.map(|f| db.display(f).to_string()),
                "url": docs_url(d.code),
            })
        })
        .collect();
    let c = Counts::of(&report.diagnostics);
    let baseline = report.baseline.as_ref().map(|b| {
        json!({
            "file": b.file,
            "matched": b.matched,
            "stale": b.stale_count(),
            "stale_entries": b.stale.iter().map(|e| json!({
                "rule": e.rule,
                "file": e.file,
                "resource": e.resource,
                "count": e.count,
            })).collect::<Vec<_>>(),
        })
    });
    json!({
        "version": 1,
        "diagnostics": diagnostics,
        "summary": {
            "files": report.files,
            "resources": report.resources,
            "errors": c.errors,
            "warnings": c.warnings,
            "infos": c.infos,
            "suppressed": c.suppressed,
            "baselined": c.baselined,
            "skipped_json": report.skipped_json,
            "skipped_generated": report.skipped_generated,
            "baseline": baseline,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::sample;

    #[test]
    fn snapshot() {
        let text = serde_json::to_string_pretty(&to_value(&sample::report())).unwrap();
        insta::assert_snapshot!(text.replace(env!("CARGO_PKG_VERSION"), "[version]"));
    }
}
