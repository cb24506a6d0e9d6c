//! `--format human`: each finding as rustc prints one ([`finding`]: snippets with the
//! labelled lines, help, fix, docs link), a blank line after each, then a summary line.

mod finding;

use super::{Counts, Style, plural};
use crate::linter::Report;
use miette::{GraphicalReportHandler, GraphicalTheme};
use std::io::{self, Write};

pub fn write(out: &mut dyn Write, report: &Report, style: &Style) -> io::Result<()> {
    for d in report.diagnostics.iter().filter(|d| d.suppressed.is_none()) {
        // A bug in rendering one finding prints it on one line rather than losing the
        // rest of the report.
        let rendered = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            finding::render(d, &report.db, style)
        }));
        let s = rendered.unwrap_or_else(|_| {
            let at = report.db.line_col(d.primary.file, d.primary.start as usize);
            let file = report.db.display(d.primary.file);
            format!("{}[{}]: {file}:{at}: {}\n", d.severity, d.code, d.message)
        });
        out.write_all(s.as_bytes())?;
        // One blank line between findings, and before the summary.
        out.write_all(b"\n")?;
    }
    if !style.quiet {
        writeln!(out, "{}", summary(report))?;
    }
    Ok(())
}

/// miette's handler, for erlint's own fatal errors ([`crate::error::FileError`]).
pub fn handler(style: &Style) -> GraphicalReportHandler {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false)
        .with_urls(style.links)
}

/// `2 errors, 1 warning in 14 files (6 resources checked: 4 azurerm, 2 ARM)`, plus infos,
/// suppressed, time.
pub fn summary(report: &Report) -> String {
    let c = Counts::of(&report.diagnostics);
    let per_format = report.coverage.describe();
    let mut s = format!(
        "{}, {} in {} ({} checked{})",
        plural(c.errors, "error"),
        plural(c.warnings, "warning"),
        plural(report.files, "file"),
        plural(report.resources, "resource"),
        if per_format.is_empty() {
            String::new()
        } else {
            format!(": {per_format}")
        }
    );
    let mut extra = Vec::new();
    if c.infos > 0 {
        extra.push(plural(c.infos, "info"));
    }
    if c.suppressed > 0 {
        extra.push(format!("{} suppressed", c.suppressed));
    }
    if let Some(b) = &report.baseline {
        extra.push(format!("{} in baseline", c.baselined));
        let stale = b.stale_count();
        if stale > 0 {
            let entries = if stale == 1 {
                "1 baseline entry".to_string()
            } else {
                format!("{stale} baseline entries")
            };
            extra.push(format!(
                "{entries} no longer found (stale in {}; refresh it with --write-baseline)",
                b.file
            ));
        }
    }
    // What a reviewer must know was not looked at.
    let g = &report.gaps;
    if g.relaxed_rules > 0 {
        let rules = if g.relaxed_rules == 1 {
            "rule"
        } else {
            "rules"
        };
        extra.push(format!(
            "{} {rules} turned off or lowered by the configuration",
            g.relaxed_rules
        ));
    }
    if g.special_files > 0 {
        let files = if g.special_files == 1 {
            "file"
        } else {
            "files"
        };
        extra.push(format!(
            "{} special {files} (FIFO, device) not read",
            g.special_files
        ));
    }
    if report.skipped_json > 0 {
        let n = report.skipped_json;
        let files = if n == 1 { "file" } else { "files" };
        extra.push(format!("{n} other JSON {files} skipped"));
    }
    if report.skipped_generated > 0 {
        let n = report.skipped_generated;
        let files = if n == 1 { "file" } else { "files" };
        extra.push(format!(
            "{n} compiled Bicep JSON {files} skipped (the .bicep is linted)"
        ));
    }
    extra.push(format!("{:.2}s", report.duration.as_secs_f64()));
    s.push_str(&format!("; {}", extra.join(", ")));
    s
}

#[cfg(test)]
mod tests;
