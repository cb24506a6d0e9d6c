//! `--format json`: `{"version": 1, "diagnostics": [...], "summary": {...}}`, the same
//! shape whether or not anything was found. Suppressed findings are left out and counted.

use super::{Counts, span_lines};
use crate::diagnostic::{Diagnostic, docs_url};
use crate::linter::Report;
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Value, json};
use std::io::{self, Write};

/// Written as it is serialized, one finding at a time: the same text as [`to_value`]
/// pretty-printed, without holding the whole document in memory (on a large repository
/// the tree of values was the last and largest allocation of the run).
pub fn write(out: &mut dyn Write, report: &Report) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &Document(report))?;
    writeln!(out)
}

/// The document [`to_value`] builds, serialized lazily. The keys in the order of
/// `serde_json::Map` (sorted), which is how the value prints.
struct Document<'a>(&'a Report);

impl Serialize for Document<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let report = self.0;
        let mut map = s.serialize_map(Some(3))?;
        map.serialize_entry("diagnostics", &Findings(report))?;
        map.serialize_entry("summary", &summary(report))?;
        map.serialize_entry("version", &1)?;
        map.end()
    }
}

struct Findings<'a>(&'a Report);

impl Serialize for Findings<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let report = self.0;
        s.collect_seq(
            report
                .diagnostics
                .iter()
                .filter(|d| d.suppressed.is_none())
                .map(|d| finding(report, d)),
        )
    }
}

pub fn to_value(report: &Report) -> Value {
    let diagnostics: Vec<Value> = report
        .diagnostics
        .iter()
        .filter(|d| d.suppressed.is_none())
        .map(|d| finding(report, d))
        .collect();
    json!({
        "version": 1,
        "diagnostics": diagnostics,
        "summary": summary(report),
    })
}

/// One finding of the `diagnostics` array.
fn finding(report: &Report, d: &Diagnostic) -> Value {
    let db = &report.db;
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
}

fn summary(report: &Report) -> Value {
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
        "gaps": {
            "relaxed_rules": report.gaps.relaxed_rules,
            "unselected_rules": report.gaps.unselected_rules,
            "special_files": report.gaps.special_files,
            "unapplied_var_files": report.gaps.unapplied_var_files,
            "unpaired_parameter_files": report.gaps.unpaired_parameter_files,
        },
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

    #[test]
    fn written_lazily_as_the_value_prints() {
        let mut report = sample::report();
        for _ in 0..2 {
            let mut out = Vec::new();
            write(&mut out, &report).unwrap();
            let value = serde_json::to_string_pretty(&to_value(&report)).unwrap() + "\n";
            assert_eq!(String::from_utf8(out).unwrap(), value);
            // And with nothing found (`"diagnostics": []`).
            report.diagnostics.clear();
        }
    }
}
