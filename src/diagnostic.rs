//! The one diagnostic type every rule, parser and output format shares.
//!
//! A [`Diagnostic`] is plain data: spans are byte ranges into files of the
//! [`SourceDb`](crate::source::SourceDb). Line and column are computed by the writers.

use crate::source::{FileId, Span};
use serde::{Deserialize, Serialize};
use std::fmt;

/// How serious a finding is. Ordered: `Info < Warning < Error`.
#[derive(
    Copy,
    Clone,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A secondary location: where a value came from, the module call that supplied it…
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Label {
    pub span: Span,
    pub message: String,
    /// A place on the way to the finding (a module call, a nested deployment) rather
    /// than where a value came from.
    pub context: bool,
}

impl Label {
    pub fn new(span: Span, message: impl Into<String>) -> Label {
        Label {
            span,
            message: message.into(),
            context: false,
        }
    }

    /// A module call or nested deployment that leads to the finding.
    pub fn context(span: Span, message: impl Into<String>) -> Label {
        Label {
            context: true,
            ..Label::new(span, message)
        }
    }
}

/// Why a diagnostic is not counted: an inline suppression or the baseline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppression {
    /// `inSource` (a comment or ARM metadata) or `external` (the baseline).
    pub kind: SuppressionKind,
    pub justification: String,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum SuppressionKind {
    InSource,
    External,
}

/// Whether a fix is applied by `--fix` (it changes only what the finding says is wrong,
/// the way the finding says), or only with `--unsafe-fixes` (it writes a value the user
/// should review: a second BGP session's prefix, a provider's new name).
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Applicability {
    Safe,
    Unsafe,
}

/// A machine-applicable fix in neutral terms: which written values change, and to what.
/// `crate::fix::text_edits` spells each edit in the syntax of the file where it lands (a
/// value written in a tfvars file is HCL even when the resource is azapi; in an ARM
/// parameter file it is JSON, in a `.bicepparam` Bicep), after checking the file still
/// reads as the rule saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub applicability: Applicability,
    /// All or nothing: a fix whose edits cannot all be made is not applied.
    pub edits: Vec<ValueEdit>,
}

/// One change of a fix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ValueEdit {
    /// The literal written at `at` reads the string `old` (`None`: `null`): write the
    /// string `new` instead.
    Replace {
        at: Span,
        old: Option<String>,
        new: String,
    },
    /// Write a new attribute `key` holding the string `value` right after the literal at
    /// `beside` (which reads the string `beside_reads`), in the same block or object.
    Insert {
        beside: Span,
        beside_reads: String,
        key: String,
        value: String,
    },
}

/// One finding.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    /// Rule id, `"ER301"`.
    pub code: &'static str,
    /// Rule name, `"single-bgp-session"`.
    pub name: &'static str,
    pub severity: Severity,
    /// One line naming the offending value; lowercase start, no trailing full stop.
    pub message: String,
    /// Where the problem is: the value, else the attribute, else the block header.
    pub primary: Span,
    /// Short text under the primary span (optional).
    pub primary_label: Option<String>,
    /// Related places: where a value was set, the module call that passed it.
    pub labels: Vec<Label>,
    /// The concrete fix.
    pub help: Option<String>,
    /// Extra context ("the value comes from a variable default").
    pub note: Option<String>,
    /// Terraform address or ARM `type/name`.
    pub resource: Option<String>,
    /// ARM: JSON path of the offending value (`$.resources[0].properties.sku`).
    pub json_path: Option<String>,
    /// ARM: the parameter file this run used.
    pub parameter_file: Option<FileId>,
    /// Spans of the enclosing resource, module calls and nested deployments; an inline
    /// suppression covering one of them covers this diagnostic.
    pub scopes: Vec<Span>,
    /// Set when a suppression or the baseline hides the finding.
    pub suppressed: Option<Suppression>,
    /// The fix, when it is mechanical (`--fix`, an editor's code action).
    pub fix: Option<Fix>,
}

impl Diagnostic {
    pub fn new(
        code: &'static str,
        name: &'static str,
        severity: Severity,
        primary: Span,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            code,
            name,
            severity,
            message: message.into(),
            primary,
            primary_label: None,
            labels: Vec::new(),
            help: None,
            note: None,
            resource: None,
            json_path: None,
            parameter_file: None,
            scopes: Vec::new(),
            suppressed: None,
            fix: None,
        }
    }

    pub fn file(&self) -> FileId {
        self.primary.file
    }

    pub fn help(&mut self, help: impl Into<String>) -> &mut Self {
        self.help = Some(help.into());
        self
    }

    pub fn note(&mut self, note: impl Into<String>) -> &mut Self {
        self.note = Some(note.into());
        self
    }

    pub fn label(&mut self, span: Span, message: impl Into<String>) -> &mut Self {
        let label = Label::new(span, message);
        if span != self.primary && !self.labels.contains(&label) {
            self.labels.push(label);
        }
        self
    }

    /// Attach a fix; `None` (a value written in no file, say) leaves the finding without.
    pub fn fix(&mut self, fix: Option<Fix>) -> &mut Self {
        self.fix = fix;
        self
    }

    pub fn primary_label(&mut self, message: impl Into<String>) -> &mut Self {
        self.primary_label = Some(message.into());
        self
    }

    /// Sort key: (file path, start, code). Files compare by display path so the order
    /// does not depend on discovery order.
    pub fn sort_key<'a>(&self, display: &'a str) -> (&'a str, u32, u32, &'static str, String) {
        (
            display,
            self.primary.start,
            self.primary.end,
            self.code,
            self.message.clone(),
        )
    }
}

/// The documentation URL of a rule, pinned to this erlint version.
pub fn docs_url(code: &str) -> String {
    format!(
        "https://github.com/erlint/erlint/blob/v{}/rules/{code}.md",
        env!("CARGO_PKG_VERSION")
    )
}

/// `s` with the characters that would act on a terminal or a CI log instead of being
/// shown (C0 and C1 controls such as ESC, CR and BEL, DEL, Unicode bidirectional
/// overrides) written as `\u{1b}`: values from the scanned files end up in messages, and
/// must not recolour a terminal, rewrite a line or forge a CI annotation. Tabs stay.
pub fn escape_controls(s: &str) -> std::borrow::Cow<'_, str> {
    escape_controls_except(s, &['\t'])
}

/// [`escape_controls`] keeping the characters in `keep` as they are (a writer that escapes
/// line breaks its own way keeps them).
pub fn escape_controls_except<'s>(s: &'s str, keep: &[char]) -> std::borrow::Cow<'s, str> {
    let acts = |c: char| {
        (c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'))
            && !keep.contains(&c)
    };
    // Most texts are printable ASCII, told byte by byte without decoding characters.
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) || !s.chars().any(acts) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if acts(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

impl Diagnostic {
    /// Every text of the finding with [`escape_controls`] applied.
    pub fn escape_controls(&mut self) {
        let fix = |s: &mut String| {
            if let std::borrow::Cow::Owned(e) = escape_controls(s) {
                *s = e;
            }
        };
        fix(&mut self.message);
        self.primary_label.as_mut().map(fix);
        self.help.as_mut().map(fix);
        self.note.as_mut().map(fix);
        self.resource.as_mut().map(fix);
        for l in &mut self.labels {
            fix(&mut l.message);
        }
    }
}

#[cfg(test)]
mod escape_tests {
    use super::escape_controls;

    #[test]
    fn controls_are_shown_not_obeyed() {
        assert_eq!(escape_controls("plain\ttext"), "plain\ttext");
        assert_eq!(
            escape_controls("a\u{1b}[31mred\r\n::error::x\u{7}"),
            "a\\u{1b}[31mred\\u{d}\\u{a}::error::x\\u{7}"
        );
        assert_eq!(escape_controls("\u{202e}cba"), "\\u{202e}cba");
    }
}
