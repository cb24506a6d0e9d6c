//! Output formats. Every writer takes the same sorted [`Report`] and writes one format.

pub mod checkstyle;
pub mod compact;
pub mod github;
mod guard;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;

use crate::diagnostic::{Diagnostic, Severity, SuppressionKind};
use crate::linter::Report;
use crate::source::{LineCol, SourceDb, Span};
use std::io::{self, Write};

pub use guard::write_guarded;

/// The formats `--format` accepts.
#[derive(Copy, Clone, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Compact,
    Json,
    Sarif,
    Junit,
    Github,
    Checkstyle,
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
        Format::Compact => compact::write(out, report, style),
        Format::Json => json::write(out, report),
        Format::Sarif => sarif::write(out, report),
        Format::Junit => junit::write(out, report),
        Format::Github => github::write(out, report),
        Format::Checkstyle => checkstyle::write(out, report),
    }
}

/// Counts of unsuppressed findings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Hidden by an inline suppression (comment or ARM metadata).
    pub suppressed: usize,
    /// Hidden by the baseline.
    pub baselined: usize,
}

impl Counts {
    pub fn of(diags: &[Diagnostic]) -> Counts {
        let mut c = Counts::default();
        for d in diags {
            if let Some(s) = &d.suppressed {
                match s.kind {
                    SuppressionKind::InSource => c.suppressed += 1,
                    SuppressionKind::External => c.baselined += 1,
                }
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

/// The findings that count (not suppressed), in report order.
pub fn active(report: &Report) -> impl Iterator<Item = &Diagnostic> {
    report.diagnostics.iter().filter(|d| d.suppressed.is_none())
}

/// Escape text for an XML attribute or element: the five entities, line breaks and tabs
/// as character references (so attributes keep them), and characters XML 1.0 forbids
/// (other C0 controls such as ANSI escapes) dropped.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
pub mod sample;
