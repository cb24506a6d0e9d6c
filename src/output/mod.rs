//! Output formats. Every writer takes the same sorted [`Report`] and writes one format.

pub mod human;
pub mod json;

use crate::diagnostic::{Diagnostic, Severity};
use crate::linter::Report;
use crate::source::{LineCol, SourceDb, Span};
use std::io::{self, Write};

/// The formats `--format` accepts.
#[derive(Copy, Clone, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        <Format as clap::ValueEnum>::from_str(s, true).ok()
    }
}

/// How to render (human output).
#[derive(Clone, Debug)]
pub struct Style {
    pub color: bool,
    pub width: usize,
    /// Only findings, no summary.
    pub quiet: bool,
    /// Show documentation links.
    pub links: bool,
}

impl Default for Style {
    fn default() -> Self {
        Style {
            color: false,
            width: 100,
            quiet: false,
            links: true,
        }
    }
}

pub fn write(
    format: Format,
    out: &mut dyn Write,
    report: &Report,
    style: &Style,
) -> io::Result<()> {
    match format {
        Format::Human => human::write(out, report, style),
        Format::Json => json::write(out, report),
    }
}

/// Counts of unsuppressed findings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub suppressed: usize,
}

impl Counts {
    pub fn of(diags: &[Diagnostic]) -> Counts {
        let mut c = Counts::default();
        for d in diags {
            if d.suppressed.is_some() {
                c.suppressed += 1;
                continue;
            }
            match d.severity {
                Severity::Error => c.errors += 1,
                Severity::Warning => c.warnings += 1,
                Severity::Info => c.infos += 1,
            }
        }
        c
    }
}

/// Start and end (1-based line, column in characters) of a span.
pub fn span_lines(db: &SourceDb, span: Span) -> (LineCol, LineCol) {
    (
        db.line_col(span.file, span.start as usize),
        db.line_col(span.file, span.end as usize),
    )
}

/// `1 error`, `2 warnings`.
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}
