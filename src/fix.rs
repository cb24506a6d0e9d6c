//! Fixes: a finding's [`Fix`] (neutral: which written values change, and to what) spelt
//! as text edits in the syntax of the file where each lands, and a set of fixes applied to
//! texts with overlapping edits resolved. `--fix` and `--diff` use this through
//! [`run`]; an editor's code actions call [`text_edits`] for one finding.
//!
//! An edit is made only where the file still reads as the rule saw it: the span holds a
//! plain literal (no interpolation, no expression) of exactly the value the rule read. A
//! value that was computed (a function, a template, an ARM expression) has no such
//! literal, so it is never rewritten; a value written in no file (`TF_VAR_*`, `--var`)
//! has no span, so the rule gives it no fix at all.

mod literal;
mod run;

pub use literal::FileSyntax;
pub use run::{FileChange, Fixed, Mode, run};

use crate::diagnostic::{Applicability, Diagnostic, Fix, ValueEdit};
use crate::source::{FileId, SourceDb, Span};
use std::collections::BTreeMap;
use std::path::Path;

/// One change to one file's text: the bytes of `span` become `replacement` (an empty span
/// inserts).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextEdit {
    pub span: Span,
    pub replacement: String,
}

/// The text edits of `fix`, spelt in each file's syntax; an error says why it cannot be
/// made (the file is not one erlint writes, the span no longer holds the literal).
pub fn text_edits(db: &SourceDb, fix: &Fix) -> Result<Vec<TextEdit>, String> {
    fix.edits.iter().map(|e| text_edit(db, e)).collect()
}

fn text_edit(db: &SourceDb, edit: &ValueEdit) -> Result<TextEdit, String> {
    let file = match edit {
        ValueEdit::Replace { at, .. } => at.file,
        ValueEdit::Insert { beside, .. } => beside.file,
    };
    let text = db
        .loaded_text(file)
        .ok_or_else(|| format!("`{}` was not read", db.display(file)))?;
    let syntax = FileSyntax::of(db.path(file), text)
        .ok_or_else(|| format!("`{}` is not a file erlint writes", db.display(file)))?;
    match edit {
        ValueEdit::Replace { at, old, new } => {
            let written = text
                .get(at.range())
                .ok_or_else(|| "the value is no longer there".to_string())?;
            let literal = written.trim();
            let offset = written.len() - written.trim_start().len();
            let as_seen = match old {
                None => literal == "null",
                Some(old) => syntax.read(literal).as_deref() == Some(old.as_str()),
            };
            if !as_seen {
                return Err(format!(
                    "`{literal}` is not a plain literal reading as the rule saw it"
                ));
            }
            let start = at.start as usize + offset;
            Ok(TextEdit {
                span: Span::new(file, start, start + literal.len()),
                replacement: syntax.string(new),
            })
        }
        ValueEdit::Insert {
            beside,
            beside_reads,
            key,
            value,
        } => {
            let written = text
                .get(beside.range())
                .ok_or_else(|| "the value is no longer there".to_string())?;
            if syntax.read(written).as_deref() != Some(beside_reads.as_str()) {
                return Err(format!("`{written}` is not the plain literal the rule saw"));
            }
            let (at, replacement) = syntax
                .insert_after(text, beside.range(), key, value)
                .ok_or_else(|| "no room for a new attribute after the value".to_string())?;
            Ok(TextEdit {
                span: Span::new(file, at, at),
                replacement,
            })
        }
    }
}

/// Fixes chosen for one pass: the edits of each file and how many findings they fix.
#[derive(Debug, Default)]
pub struct Plan {
    pub edits: BTreeMap<FileId, Vec<TextEdit>>,
    /// Findings whose fix is in the plan.
    pub fixed: usize,
    /// Findings whose fix overlaps one already in the plan (tried again next pass).
    pub conflicts: usize,
}

/// Choose the fixes of `diagnostics` to apply together: unsuppressed findings, `Safe`
/// ones (and `Unsafe` with `unsafe_fixes`), all of whose edits land in files `may_write`
/// accepts. A fix whose edits overlap another's already chosen is left out whole (the
/// same edit made by two findings is made once).
pub fn plan(
    db: &SourceDb,
    diagnostics: &[Diagnostic],
    unsafe_fixes: bool,
    may_write: &dyn Fn(FileId) -> bool,
) -> Plan {
    let mut out = Plan::default();
    for d in diagnostics.iter().filter(|d| d.suppressed.is_none()) {
        let Some(fix) = &d.fix else { continue };
        if fix.applicability == Applicability::Unsafe && !unsafe_fixes {
            continue;
        }
        let Ok(edits) = text_edits(db, fix) else {
            continue;
        };
        if edits.iter().any(|e| !may_write(e.span.file)) {
            continue;
        }
        let clashes = edits.iter().any(|e| {
            out.edits
                .get(&e.span.file)
                .is_some_and(|chosen| chosen.iter().any(|c| c != e && overlap(c, e)))
        });
        if clashes {
            out.conflicts += 1;
            continue;
        }
        for e in edits {
            let chosen = out.edits.entry(e.span.file).or_default();
            if !chosen.contains(&e) {
                chosen.push(e);
            }
        }
        out.fixed += 1;
    }
    out
}

/// Whether two different edits of one file touch the same bytes, or insert at one place
/// (their order would be a guess).
fn overlap(a: &TextEdit, b: &TextEdit) -> bool {
    let (a, b) = (a.span, b.span);
    if a.start == a.end && b.start == b.end {
        return a.start == b.start;
    }
    let inside = |p: u32, s: Span| s.start < p && p < s.end;
    if a.start == a.end {
        return inside(a.start, b);
    }
    if b.start == b.end {
        return inside(b.start, a);
    }
    a.start < b.end && b.start < a.end
}

/// `text` with `edits` (of one file, not overlapping) made.
pub fn apply(text: &str, edits: &[TextEdit]) -> String {
    let mut sorted: Vec<&TextEdit> = edits.iter().collect();
    // From the end, so earlier offsets stay valid; an insertion at the end of a replaced
    // range goes after it.
    sorted.sort_by_key(|e| std::cmp::Reverse((e.span.start, e.span.end)));
    let mut out = text.to_string();
    for e in sorted {
        let r = e.span.range();
        if out.is_char_boundary(r.start) && out.is_char_boundary(r.end) && r.end <= out.len() {
            out.replace_range(r, &e.replacement);
        }
    }
    out
}

/// Whether `path` is a file `--fix` may write: inside `root` (the repository, or the
/// current directory outside one), not in a directory tools fill (`.terraform/`,
/// `node_modules/`, `.git/`).
pub fn in_repository(path: &Path, root: &Path) -> bool {
    let abs = crate::terraform::normalize(path);
    let Ok(rel) = abs.strip_prefix(crate::terraform::normalize(root)) else {
        return false;
    };
    !rel.components().any(|c| {
        let c = c.as_os_str();
        crate::discover::ALWAYS_SKIPPED.iter().any(|s| c == *s)
    })
}

#[cfg(test)]
mod tests;
