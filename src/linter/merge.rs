//! One finding per place: repeats across module instances, calls and parameter files
//! merged into the first, whose note names the others.

use crate::diagnostic::Diagnostic;
use crate::source::{SourceDb, Span};
use std::collections::HashSet;

/// The outermost module call or nested deployment on the way to a finding.
fn outermost_call(d: &Diagnostic) -> Option<Span> {
    d.labels.iter().find(|l| l.context).map(|l| l.span)
}

/// One finding per place: the same rule, span and message reported again for another
/// module instance, module call or parameter file, with the same value origins (labels
/// other than the call chain), is merged into the first, whose note names the others.
/// Findings whose values came from different places (each parameter file's own entry,
/// each instance's own tfvars line) stay apart, each naming its source.
pub(super) fn merge_repeats(diags: Vec<Diagnostic>, db: &SourceDb) -> Vec<Diagnostic> {
    let label_spans = |d: &Diagnostic| {
        d.labels
            .iter()
            .filter(|l| !l.context)
            .map(|l| l.span)
            .collect::<Vec<_>>()
    };
    let mut out: Vec<Diagnostic> = Vec::with_capacity(diags.len());
    let mut run_start = 0;
    let mut also: Vec<(Vec<String>, HashSet<String>)> = Vec::with_capacity(diags.len());
    for d in diags {
        let same_place =
            |k: &Diagnostic| k.code == d.code && k.primary == d.primary && k.message == d.message;
        if out.get(run_start).is_none_or(|k| !same_place(k)) {
            run_start = out.len();
        }
        let spans = label_spans(&d);
        let twin = (run_start..out.len()).find(|&i| {
            out.get(i).is_some_and(|k| {
                same_place(k) && label_spans(k) == spans && k.suppressed == d.suppressed
            })
        });
        let Some(i) = twin else {
            out.push(d);
            also.push(Default::default());
            continue;
        };
        let (Some(kept), Some((names, seen))) = (out.get(i), also.get_mut(i)) else {
            continue;
        };
        let name = repeat_name(&d, kept, db);
        if let Some(n) = name
            && seen.insert(n.clone())
        {
            names.push(n);
        }
    }
    for (d, (names, _)) in out.iter_mut().zip(also) {
        name_repeats(d, &names);
    }
    out
}

/// How the note of the kept finding `kept` names its repeat `d`: the resource, the
/// parameter file or the call that differs (`None` when nothing does).
fn repeat_name(d: &Diagnostic, kept: &Diagnostic, db: &SourceDb) -> Option<String> {
    let resource = d.resource.as_ref().filter(|_| d.resource != kept.resource);
    let file = d
        .parameter_file
        .filter(|_| d.parameter_file != kept.parameter_file)
        .map(|f| format!("parameter file `{}`", db.display(f)));
    // The call that leads here, when it is not the kept finding's.
    let call = outermost_call(d)
        .filter(|c| Some(*c) != outermost_call(kept))
        .map(|c| {
            let at = db.line_col(c.file, c.start as usize);
            format!("called at {}:{}", db.display(c.file), at.line)
        });
    let context = match (file, call) {
        (Some(f), Some(c)) => Some(format!("{f}, {c}")),
        (f, c) => f.or(c),
    };
    match (resource, context) {
        (Some(r), Some(c)) => Some(format!("`{r}` ({c})")),
        (Some(r), None) => Some(format!("`{r}`")),
        (None, Some(c)) if c.starts_with("called") => Some(format!(
            "`{}` {c}",
            d.resource.as_deref().unwrap_or("the resource")
        )),
        (None, c) => c,
    }
}

/// Add "the same for …" to `d`'s note.
fn name_repeats(d: &mut Diagnostic, names: &[String]) {
    if names.is_empty() {
        return;
    }
    // Thousands of instances of one module: name a few.
    const NAMED: usize = 20;
    let same = match names.get(..NAMED) {
        Some(first) if names.len() > NAMED => format!(
            "the same for {} and {} more",
            first.join(", "),
            names.len() - NAMED
        ),
        _ => format!("the same for {}", names.join(", ")),
    };
    let note = match d.note.take() {
        Some(n) => format!("{n}; {same}"),
        None => same,
    };
    d.note(note);
}
