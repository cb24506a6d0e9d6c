//! Output formats. Every writer takes the same sorted [`Report`] and writes one format.

pub mod azure;
pub mod checkstyle;
pub mod compact;
pub mod github;
pub mod gitlab;
mod guard;
pub mod human;
pub mod identity;
pub mod json;
pub mod junit;
pub mod paths;
pub mod sarif;

use crate::diagnostic::{Diagnostic, Severity, SuppressionKind};
use crate::linter::Report;
use crate::source::{LineCol, SourceDb, Span};
pub use paths::RepoPaths;
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
    Gitlab,
    Azure,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        <Format as clap::ValueEnum>::from_str(s, true).ok()
    }
}

/// How to render.
#[derive(Clone, Debug)]
pub struct Style {
    pub color: bool,
    pub width: usize,
    /// Only findings, no summary.
    pub quiet: bool,
    /// Show documentation links.
    pub links: bool,
    /// The lowest severity that fails the run (`--fail-on`): JUnit reports only findings
    /// at or above it as failures.
    pub fail_on: Severity,
    /// Repository-relative paths for the CI formats (SARIF, GitHub, GitLab, Azure).
    pub paths: RepoPaths,
}

impl Default for Style {
    fn default() -> Self {
        Style {
            color: false,
            width: 100,
            quiet: false,
            links: true,
            fail_on: Severity::Warning,
            paths: RepoPaths::default(),
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
        Format::Sarif => sarif::write(out, report, &style.paths),
        Format::Junit => junit::write(out, report, style.fail_on),
        Format::Github => github::write(out, report, &style.paths),
        Format::Checkstyle => checkstyle::write(out, report),
        Format::Gitlab => gitlab::write(out, report, &style.paths),
        Format::Azure => azure::write(out, report, &style.paths),
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

pub use crate::text::plural;

/// The findings that count (not suppressed), in report order.
pub fn active(report: &Report) -> impl Iterator<Item = &Diagnostic> {
    report.diagnostics.iter().filter(|d| d.suppressed.is_none())
}

/// Control characters made visible (`\u{1b}`), for formats whose consumers would act on
/// them (an ANSI escape sequence in a CI log). Line breaks and tabs are kept: each format
/// escapes those its own way. The same characters and spelling as the linter's
/// [`escape_controls`](crate::diagnostic::escape_controls), which has already escaped
/// every finding of a run, so nothing is escaped twice.
pub fn visible_controls(s: &str) -> String {
    crate::diagnostic::escape_controls_except(s, &['\n', '\r', '\t']).into_owned()
}

#[cfg(test)]
pub mod sample;

#[cfg(test)]
mod tests {
    #[test]
    fn controls_are_made_visible() {
        assert_eq!(
            super::visible_controls("a\u{1b}[31mred\u{7}\u{9b}\tb\nc\u{202e}"),
            "a\\u{1b}[31mred\\u{7}\\u{9b}\tb\nc\\u{202e}"
        );
        // What the linter escaped stays as it is.
        let once = crate::diagnostic::escape_controls("a\u{1b}b");
        assert_eq!(super::visible_controls(&once), once);
    }
}
