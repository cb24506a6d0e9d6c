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
    extra.extend(gaps(report));
    extra.push(format!("{:.2}s", report.duration.as_secs_f64()));
    s.push_str(&format!("; {}", extra.join(", ")));
    s
}

/// What a reviewer must know was not looked at: rules turned off or lowered, files not
/// read, input files whose values were not checked, JSON skipped.
fn gaps(report: &Report) -> Vec<String> {
    let files = |n: usize| if n == 1 { "file" } else { "files" };
    let g = &report.gaps;
    let mut extra = Vec::new();
    if g.relaxed_rules > 0 {
        extra.push(format!(
            "{} turned off or lowered by the configuration",
            plural(g.relaxed_rules, "rule")
        ));
    }
    if g.unselected_rules > 0 {
        extra.push(format!(
            "{} left out by --select or --ignore",
            plural(g.unselected_rules, "rule")
        ));
    }
    if g.special_files > 0 {
        let n = g.special_files;
        extra.push(format!("{n} special {} (FIFO, device) not read", files(n)));
    }
    if g.unapplied_var_files > 0 {
        let n = g.unapplied_var_files;
        extra.push(format!(
            "{n} variable definitions {} not applied (`terraform.var_files` or --var-file applies them)",
            files(n)
        ));
    }
    if g.unpaired_parameter_files > 0 {
        let n = g.unpaired_parameter_files;
        let was = if n == 1 { "was" } else { "were" };
        extra.push(format!(
            "{n} parameter {} no template {was} linted with",
            files(n)
        ));
    }
    if report.skipped_json > 0 {
        let n = report.skipped_json;
        extra.push(format!("{n} other JSON {} skipped", files(n)));
    }
    if report.skipped_generated > 0 {
        let n = report.skipped_generated;
        extra.push(format!(
            "{n} compiled Bicep JSON {} skipped (the .bicep is linted)",
            files(n)
        ));
    }
    extra
}

#[cfg(test)]
mod tests;
