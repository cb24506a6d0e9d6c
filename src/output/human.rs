//! `--format human`: miette's graphical report (source snippet, labels, help, docs link)
//! per finding, then a summary line.

use super::{Counts, Style, plural};
use crate::diagnostic::{Diagnostic, Severity, docs_url};
use crate::linter::Report;
use crate::source::{LineIndex, SourceDb, Span, clamp_to_char_boundary};
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, SourceCode, SourceSpan,
    SpanContents,
};
use std::fmt;
use std::io::{self, Write};

pub fn write(out: &mut dyn Write, report: &Report, style: &Style) -> io::Result<()> {
    let handler = handler(style);
    for d in report.diagnostics.iter().filter(|d| d.suppressed.is_none()) {
        let mut s = String::new();
        let r = Rendered::new(d, &report.db, style.links);
        if handler.render_report(&mut s, &r).is_err() {
            s = format!("{}[{}]: {}\n", d.severity, d.code, d.message);
        }
        out.write_all(s.as_bytes())?;
    }
    if !style.quiet {
        writeln!(out, "{}", summary(report))?;
    }
    Ok(())
}

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

/// `2 errors, 1 warning in 14 files (6 resources checked)`, plus infos, suppressed, time.
pub fn summary(report: &Report) -> String {
    let c = Counts::of(&report.diagnostics);
    let mut s = format!(
        "{}, {} in {} ({} checked)",
        plural(c.errors, "error"),
        plural(c.warnings, "warning"),
        plural(report.files, "file"),
        plural(report.resources, "resource")
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

/// A [`Diagnostic`] as miette sees it: the primary file's snippet with the labels in that
/// file; labels in other files become related reports with their own snippets.
pub struct Rendered<'a> {
    code: String,
    message: String,
    severity: Severity,
    help: Option<String>,
    url: Option<String>,
    source: Option<Source<'a>>,
    labels: Vec<LabeledSpan>,
    related: Vec<Rendered<'a>>,
}

impl<'a> Rendered<'a> {
    pub fn new(d: &Diagnostic, db: &'a SourceDb, links: bool) -> Rendered<'a> {
        let primary_file = d.primary.file;
        let source = Source::load(db, primary_file);
        let mut labels = Vec::new();
        if source.is_some() {
            labels.push(LabeledSpan::new_primary_with_span(
                d.primary_label.clone(),
                sspan(db, d.primary),
            ));
        }
        let mut related = Vec::new();
        for l in &d.labels {
            if l.span.file == primary_file && source.is_some() {
                labels.push(LabeledSpan::new_with_span(
                    Some(l.message.clone()),
                    sspan(db, l.span),
                ));
            } else {
                let src = Source::load(db, l.span.file);
                let pos = db.line_col(l.span.file, l.span.start as usize);
                let msg = format!("{} ({}:{})", l.message, db.display(l.span.file), pos);
                let lbl = if src.is_some() {
                    vec![LabeledSpan::new_with_span(None, sspan(db, l.span))]
                } else {
                    Vec::new()
                };
                related.push(Rendered {
                    code: String::new(),
                    message: msg,
                    severity: Severity::Info,
                    help: None,
                    url: None,
                    source: src,
                    labels: lbl,
                    related: Vec::new(),
                });
            }
        }
        let mut help = d.help.clone();
        if let Some(note) = &d.note {
            help = Some(match help {
                Some(h) => format!("{h}\nnote: {note}"),
                None => format!("note: {note}"),
            });
        }
        let mut message = d.message.clone();
        if source.is_none() {
            message = format!("{}: {message}", db.display(primary_file));
        }
        if let Some(r) = &d.resource {
            message.push_str(&format!("\n  in {r}"));
        }
        Rendered {
            code: format!("{} {}", d.code, d.name),
            message,
            severity: d.severity,
            help,
            url: links.then(|| docs_url(d.code)),
            source,
            labels,
            related,
        }
    }
}

fn sspan(db: &SourceDb, span: Span) -> SourceSpan {
    let len = db.loaded_text(span.file).map(|t| t.len()).unwrap_or(0);
    let start = (span.start as usize).min(len);
    let end = (span.end as usize).clamp(start, len);
    (start, end - start).into()
}

impl fmt::Debug for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message)
    }
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Rendered<'_> {}

impl miette::Diagnostic for Rendered<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        (!self.code.is_empty()).then(|| Box::new(&self.code) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn url<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.url
            .as_ref()
            .map(|u| Box::new(u) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        (!self.labels.is_empty())
            .then(|| Box::new(self.labels.iter().cloned()) as Box<dyn Iterator<Item = LabeledSpan>>)
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        (!self.related.is_empty()).then(|| {
            Box::new(self.related.iter().map(|r| r as &dyn miette::Diagnostic))
                as Box<dyn Iterator<Item = _>>
        })
    }
}

/// A file's text for miette, read through a line index so a snippet costs the size of
/// its window, not of the file (miette's own `str` source scans from the start).
pub struct Source<'a> {
    name: String,
    text: &'a str,
    lines: LineIndex,
}

impl<'a> Source<'a> {
    pub fn load(db: &'a SourceDb, file: crate::source::FileId) -> Option<Source<'a>> {
        let text = db.loaded_text(file)?;
        let lines = db.line_index(file)?.clone();
        Some(Source {
            name: db.display(file).to_string(),
            text,
            lines,
        })
    }
}

impl SourceCode for Source<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let text: &str = self.text;
        let start = clamp_to_char_boundary(text, span.offset());
        let end = clamp_to_char_boundary(text, span.offset() + span.len()).max(start);
        let first_line = self
            .lines
            .line_of(start)
            .saturating_sub(context_lines_before + 1);
        let last_line = self.lines.line_of(end) + context_lines_after + 2;
        let w_start = self.lines.line_start(first_line);
        let w_end = if last_line < self.lines.line_count() {
            self.lines.line_start(last_line)
        } else {
            text.len()
        };
        let window = text.get(w_start..w_end).ok_or(MietteError::OutOfBounds)?;
        let local: SourceSpan = (start - w_start, end - start).into();
        let inner = window.read_span(&local, context_lines_before, context_lines_after)?;
        let data = inner.data();
        let inner_span = inner.span();
        // The column where the returned data starts (the header's column when there are no
        // context lines), in characters as every other output gives it; miette counts bytes.
        let data_start = inner_span.offset() + w_start;
        let line_start = self.lines.line_start(self.lines.line_of(data_start));
        let column = text
            .get(line_start..data_start)
            .map_or(0, |s| s.chars().count());
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.clone(),
            data,
            (inner_span.offset() + w_start, inner_span.len()).into(),
            inner.line() + first_line,
            column,
            inner.line_count() + first_line,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshot() {
        let mut out = Vec::new();
        let style = Style {
            color: false,
            width: 100,
            quiet: false,
            links: false,
            ..Style::default()
        };
        write(&mut out, &crate::output::sample::report(), &style).unwrap();
        insta::assert_snapshot!(String::from_utf8(out).unwrap());
    }

    #[test]
    fn windowed_source_matches_miettes_own() {
        let text: String = (0..200)
            .map(|i| format!("line {i} = \"value {i}\"\n"))
            .collect();
        let mut db = SourceDb::new(0);
        let id = db.add_text("big.tf", &text);
        let src = Source::load(&db, id).unwrap();
        for (off, len) in [
            (0usize, 4usize),
            (1000, 10),
            (text.len() - 5, 4),
            (text.len(), 0),
        ] {
            let span: SourceSpan = (off, len).into();
            let ours = src.read_span(&span, 1, 1).unwrap();
            let theirs = text.as_str().read_span(&span, 1, 1).unwrap();
            assert_eq!(ours.data(), theirs.data(), "at {off}");
            assert_eq!(ours.line(), theirs.line(), "at {off}");
            assert_eq!(ours.column(), theirs.column(), "at {off}");
            assert_eq!(ours.line_count(), theirs.line_count(), "at {off}");
            assert_eq!(ours.span().offset(), theirs.span().offset(), "at {off}");
        }
    }

    #[test]
    fn header_columns_count_characters() {
        let text = "{\n  \"description\": \"Zürich 🚀 é\", \"vlanId\": 0\n}\n";
        let mut db = SourceDb::new(0);
        let id = db.add_text("t.json", text);
        let src = Source::load(&db, id).unwrap();
        let off = text.find(": 0").unwrap() + 2;
        let span: SourceSpan = (off, 1).into();
        let c = src.read_span(&span, 0, 0).unwrap();
        assert_eq!((c.line(), c.column()), (1, db.line_col(id, off).column - 1));
        assert!(
            c.column() < off - text.find('\n').unwrap() - 1,
            "bytes are not characters"
        );
    }
}
