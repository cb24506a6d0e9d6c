//! Fatal errors about erlint's own input files (`.erlint.toml`, the `catalog.extra` JSON,
//! a baseline): exit code 2, rendered by miette with a label at the exact place in the
//! file when there is one.

use miette::{LabeledSpan, NamedSource, SourceCode};
use std::fmt;

#[derive(Debug)]
pub struct FileError {
    pub code: &'static str,
    pub message: String,
    pub src: Option<NamedSource<String>>,
    pub labels: Vec<LabeledSpan>,
    pub help: Option<String>,
    /// Further errors, e.g. the config key that named a broken extra file.
    pub related: Vec<FileError>,
    /// Other errors found in the same input, each reported on its own after this one
    /// ([`FileError::render`]).
    pub more: Vec<FileError>,
}

impl FileError {
    /// An error without a source location.
    pub fn plain(message: impl Into<String>) -> FileError {
        FileError {
            code: "erlint::input",
            message: message.into(),
            src: None,
            labels: Vec::new(),
            help: None,
            related: Vec::new(),
            more: Vec::new(),
        }
    }

    /// An error at `range` (byte offsets) of the file `name` with text `text`.
    pub fn at(
        name: &str,
        text: &str,
        range: std::ops::Range<usize>,
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> FileError {
        let len = text.len();
        let start = crate::source::clamp_to_char_boundary(text, range.start.min(len));
        let end = crate::source::clamp_to_char_boundary(text, range.end.clamp(start, len));
        FileError {
            code: "erlint::input",
            message: message.into(),
            src: Some(NamedSource::new(name, text.to_string())),
            labels: vec![LabeledSpan::new_primary_with_span(
                Some(label.into()),
                (start, end - start),
            )],
            help: None,
            related: Vec::new(),
            more: Vec::new(),
        }
    }

    pub fn with_code(mut self, code: &'static str) -> FileError {
        self.code = code;
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> FileError {
        self.help = Some(help.into());
        self
    }

    pub fn with_related(mut self, e: FileError) -> FileError {
        self.related.push(e);
        self
    }

    /// Where in its file the error points (0 without a place), for ordering.
    pub fn offset(&self) -> usize {
        self.labels.first().map_or(0, |l| l.offset())
    }

    /// This error and the [others found with it](Self::more), each rendered by `handler`,
    /// a blank line between them.
    pub fn render(&self, handler: &miette::GraphicalReportHandler) -> String {
        let mut out = String::new();
        for e in std::iter::once(self).chain(&self.more) {
            let mut s = String::new();
            if handler.render_report(&mut s, e).is_err() {
                s = format!("error: {}\n", e.message);
            }
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(s.trim_end());
            out.push('\n');
        }
        out
    }

    /// Render as miette would for a terminal, without colour (for tests and logs).
    pub fn render_plain(&self) -> String {
        let h =
            miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
                .with_width(100);
        self.render(&h)
    }
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FileError {}

/// `code` stays out of the report: it is an internal identifier, not something a user can
/// look up.
impl miette::Diagnostic for FileError {
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.src.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        (self.src.is_some() && !self.labels.is_empty())
            .then(|| Box::new(self.labels.iter().cloned()) as Box<dyn Iterator<Item = LabeledSpan>>)
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        (!self.related.is_empty()).then(|| {
            Box::new(self.related.iter().map(|r| r as &dyn miette::Diagnostic))
                as Box<dyn Iterator<Item = _>>
        })
    }
}

/// Byte offset of a 1-based line and column (serde_json's error position; its column
/// counts bytes). Clamped to the text.
pub fn offset_of_line_col(text: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            return (offset + column.saturating_sub(1).min(l.len())).min(text.len());
        }
        offset += l.len();
    }
    text.len()
}
