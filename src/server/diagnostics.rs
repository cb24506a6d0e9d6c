//! A lint report as the editor sees it: per file, LSP diagnostics (rule id with its
//! documentation link, the help and note in the message, the value's origin and the
//! module call as `relatedInformation`) with their fixes as workspace edits, and the
//! circuits' evaluated provider, location and cloud for completion and hover.
//! Suppressed findings are left out.

use super::position::{Encoding, Lines};
use super::uri;
use crate::catalog::Cloud;
use crate::diagnostic::{Applicability, Diagnostic, Severity, docs_url};
use crate::error::FileError;
use crate::linter::Report;
use crate::source::{FileId, LineIndex, Span};
use lsp_types as lsp;
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;

/// One finding, ready to publish and to act on.
pub struct Finding {
    pub diagnostic: lsp::Diagnostic,
    /// The `--fix` fix, spelt in each file's syntax.
    pub fix: Option<QuickFix>,
    /// Where a suppression comment would go.
    pub site: Site,
}

pub struct QuickFix {
    pub title: String,
    pub edit: lsp::WorkspaceEdit,
    /// A safe fix (what `--fix` makes); an unsafe one needs review (`--unsafe-fixes`).
    pub safe: bool,
}

/// A finding's place in its file's text as linted, for the suppression action.
pub struct Site {
    pub code: &'static str,
    pub text: Arc<str>,
    pub primary: Range<usize>,
    /// The enclosing resource, module calls, deployments (in this file).
    pub scopes: Vec<Range<usize>>,
}

/// A circuit as one evaluation saw it, with the places in one file where its values are
/// used or written.
#[derive(Clone, Debug)]
pub struct Circuit {
    /// The resource, when it is declared in this file.
    pub extent: Option<Range<usize>>,
    pub cloud: Option<Cloud>,
    pub provider: Option<Value>,
    pub location: Option<Value>,
}

#[derive(Clone, Debug)]
pub struct Value {
    pub value: String,
    /// Where it is used and where it is written, in this file.
    pub at: Vec<Range<usize>>,
}

/// A report, per file (normalized absolute paths).
#[derive(Default)]
pub struct Converted {
    pub findings: BTreeMap<PathBuf, Vec<Finding>>,
    pub circuits: BTreeMap<PathBuf, Vec<Circuit>>,
}

/// Convert a report; `may_edit` says which files a fix may change (the workspace, not
/// `.terraform/`).
pub fn convert(report: &Report, encoding: Encoding, may_edit: &dyn Fn(&Path) -> bool) -> Converted {
    let db = &report.db;
    let mut texts: HashMap<FileId, Arc<str>> = HashMap::new();
    let mut out = Converted::default();
    let lines = |id: FileId| -> Option<Lines<'_>> {
        Some(Lines {
            text: db.loaded_text(id)?,
            index: db.line_index(id)?,
            encoding,
        })
    };
    for d in report.diagnostics.iter().filter(|d| d.suppressed.is_none()) {
        let file = d.primary.file;
        let Some(l) = lines(file) else { continue };
        let text = texts
            .entry(file)
            .or_insert_with(|| Arc::from(l.text))
            .clone();
        let diagnostic = to_lsp(d, l, &|span| {
            let l = lines(span.file)?;
            Some(lsp::Location::new(
                uri::from_path(&path_of(report, span.file))?,
                l.range(span.range()),
            ))
        });
        let fix = quick_fix(report, d, encoding, may_edit);
        let site = Site {
            code: d.code,
            text,
            primary: d.primary.range(),
            scopes: d
                .scopes
                .iter()
                .filter(|s| s.file == file)
                .map(|s| s.range())
                .collect(),
        };
        out.findings
            .entry(path_of(report, file))
            .or_default()
            .push(Finding {
                diagnostic,
                fix,
                site,
            });
    }
    for e in &report.coverage.entries {
        let Some(scope) = &e.catalog else { continue };
        let mut files: Vec<FileId> = vec![e.at.file];
        for v in scope.provider.iter().chain(&scope.location) {
            files.extend(v.spans.iter().map(|s| s.file));
        }
        files.sort();
        files.dedup();
        for f in files {
            let here = |v: &crate::coverage::ScopedValue| Value {
                value: v.value.clone(),
                at: v
                    .spans
                    .iter()
                    .filter(|s| s.file == f)
                    .map(|s| s.range())
                    .collect(),
            };
            out.circuits
                .entry(path_of(report, f))
                .or_default()
                .push(Circuit {
                    extent: (e.extent.file == f).then(|| e.extent.range()),
                    cloud: scope.cloud,
                    provider: scope.provider.as_ref().map(here),
                    location: scope.location.as_ref().map(here),
                });
        }
    }
    out
}

fn path_of(report: &Report, id: FileId) -> PathBuf {
    crate::terraform::normalize(report.db.path(id))
}

/// One diagnostic; `locate` gives the editor's location of a span in any file.
fn to_lsp(
    d: &Diagnostic,
    lines: Lines<'_>,
    locate: &dyn Fn(Span) -> Option<lsp::Location>,
) -> lsp::Diagnostic {
    let mut message = d.message.clone();
    if let Some(h) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(h);
    }
    if let Some(n) = &d.note {
        message.push_str("\nnote: ");
        message.push_str(n);
    }
    let related: Vec<lsp::DiagnosticRelatedInformation> = d
        .labels
        .iter()
        .filter_map(|l| {
            Some(lsp::DiagnosticRelatedInformation {
                location: locate(l.span)?,
                message: l.message.clone(),
            })
        })
        .collect();
    lsp::Diagnostic {
        range: lines.range(d.primary.range()),
        severity: Some(severity(d.severity)),
        code: Some(lsp::NumberOrString::String(d.code.to_string())),
        code_description: lsp::Uri::from_str(&docs_url(d.code))
            .ok()
            .map(|href| lsp::CodeDescription { href }),
        source: Some("erlint".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}

fn severity(s: Severity) -> lsp::DiagnosticSeverity {
    match s {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
    }
}

/// The fix of a finding as a workspace edit: spelt by `fix::text_edits` in the syntax of
/// each file it changes (a tfvars line, a parameter file), as `--fix` would make it.
#[allow(
    clippy::mutable_key_type,
    reason = "lsp-types keys a WorkspaceEdit by Uri, whose cached parts do not change its text"
)]
fn quick_fix(
    report: &Report,
    d: &Diagnostic,
    encoding: Encoding,
    may_edit: &dyn Fn(&Path) -> bool,
) -> Option<QuickFix> {
    let fix = d.fix.as_ref()?;
    let edits = crate::fix::text_edits(&report.db, fix).ok()?;
    let mut changes: HashMap<lsp::Uri, Vec<lsp::TextEdit>> = HashMap::new();
    for e in edits {
        let path = path_of(report, e.span.file);
        if !may_edit(&path) {
            return None;
        }
        let l = Lines {
            text: report.db.loaded_text(e.span.file)?,
            index: report.db.line_index(e.span.file)?,
            encoding,
        };
        changes
            .entry(uri::from_path(&path)?)
            .or_default()
            .push(lsp::TextEdit::new(l.range(e.span.range()), e.replacement));
    }
    let safe = fix.applicability == Applicability::Safe;
    let what = d
        .help
        .as_deref()
        .map(capitalized)
        .unwrap_or_else(|| format!("Fix {}", d.code));
    Some(QuickFix {
        title: if safe {
            format!("{what} ({})", d.code)
        } else {
            format!("{what} ({}, review the value)", d.code)
        },
        edit: lsp::WorkspaceEdit {
            changes: Some(changes),
            ..Default::default()
        },
        safe,
    })
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A configuration file that cannot be used, as diagnostics on it: each problem at its
/// place (the configuration in effect is the last good one, or the defaults).
pub fn config_errors(error: &FileError, encoding: Encoding) -> Vec<lsp::Diagnostic> {
    std::iter::once(error)
        .chain(&error.more)
        .map(|e| {
            let range = match (&e.src, e.labels.first()) {
                (Some(src), Some(label)) => {
                    let text = src.inner().as_str();
                    let index = LineIndex::new(text);
                    Lines {
                        text,
                        index: &index,
                        encoding,
                    }
                    .range(label.offset()..label.offset() + label.len())
                }
                _ => lsp::Range::default(),
            };
            let mut message = format!(
                "{} (erlint uses the last configuration that loaded, or the defaults)",
                e.message
            );
            if let Some(h) = &e.help {
                message.push_str("\nhelp: ");
                message.push_str(h);
            }
            for r in &e.related {
                message.push('\n');
                message.push_str(&r.message);
            }
            lsp::Diagnostic {
                range,
                severity: Some(lsp::DiagnosticSeverity::ERROR),
                code: Some(lsp::NumberOrString::String(e.code.to_string())),
                source: Some("erlint".into()),
                message,
                ..Default::default()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Label;
    use crate::source::SourceDb;

    #[test]
    fn diagnostic_carries_rule_link_help_and_origins() {
        let mut db = SourceDb::new(0);
        let main = db.add_text("/w/main.tf", "a = 1\nb = \"x\"\n");
        let vars = db.add_text("/w/terraform.tfvars", "v = \"y\"\n");
        let mut d = Diagnostic::new(
            "ER301",
            "single-bgp-session",
            Severity::Error,
            Span::new(main, 10, 13),
            "one session",
        );
        d.help("add the secondary");
        d.labels
            .push(Label::new(Span::new(vars, 4, 7), "value set here"));
        let l = Lines {
            text: db.loaded_text(main).unwrap(),
            index: db.line_index(main).unwrap(),
            encoding: Encoding::Utf16,
        };
        let got = to_lsp(&d, l, &|s| {
            let l = Lines {
                text: db.loaded_text(s.file)?,
                index: db.line_index(s.file)?,
                encoding: Encoding::Utf16,
            };
            Some(lsp::Location::new(
                uri::from_path(db.path(s.file))?,
                l.range(s.range()),
            ))
        });
        assert_eq!(
            got.range,
            lsp::Range::new(lsp::Position::new(1, 4), lsp::Position::new(1, 7))
        );
        assert_eq!(got.code, Some(lsp::NumberOrString::String("ER301".into())));
        assert!(
            got.code_description
                .unwrap()
                .href
                .as_str()
                .ends_with("/rules/ER301.md")
        );
        assert_eq!(got.message, "one session\nhelp: add the secondary");
        let related = got.related_information.unwrap();
        assert_eq!(related.len(), 1);
        assert_eq!(
            related[0].location.uri.as_str(),
            "file:///w/terraform.tfvars"
        );
        assert_eq!(related[0].location.range.start, lsp::Position::new(0, 4));
    }
}
