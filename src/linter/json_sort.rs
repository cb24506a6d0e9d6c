//! The JSON files sorted into ARM templates, parameter files and plans, by how they start
//! (`$schema`), in two passes, so that a template is read once: evaluated as soon as it is
//! read (in [`super::units`]), not looked at first and read again later.
//!
//! - Pass 1 ([`first_pass`]): the files named like parameter files (`param` in the name
//!   or the directory's) and the run's JSON inputs, their parameter files parsed.
//! - Pass 2 ([`sort_file`], each file read once): every other JSON file. Its unit
//!   evaluates a template with the parameter files of pass 1, paired with the other JSON
//!   files taken for templates; the pairing is checked once every file is sorted
//!   ([`super::units`] evaluates again a template whose parameter files differ: one
//!   that another file's `metadata.template` names, or that a file taken for a template
//!   would have claimed). Once this pass meets a parameter file, which may name a
//!   template, the templates it reads after it are left to the units (read again then).
//! - [`finish`] puts both together, in the files' order.

use super::inputs::{Inputs, JsonFiles};
use crate::arm::{self, JsonKind, ParameterFile};
use crate::bicep;
use crate::coverage;
use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Head, Opened, PathIndex, ReadError, SourceDb};
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

/// How much of a JSON file is read first for its `$schema`.
const SNIFF_START: usize = 4096;

/// What reading a file gave.
pub(super) type Read<'db> = Result<Cow<'db, str>, ReadError>;

/// A parameter file and the problem that made it unusable.
type Parsed = (ParameterFile, Option<Diagnostic>);

/// One JSON file as the sniff found it.
pub(super) struct Sniffed {
    pub id: FileId,
    pub kind: JsonKind,
    /// A parameter file the sniff read whole, parsed.
    parsed: Option<Box<Parsed>>,
    /// Whether a template is Bicep's compiled JSON of the `.bicep` beside it, when the
    /// unit that read it in pass 2 looked (`None`: [`finish`] looks).
    pub generated: Option<bool>,
}

impl Sniffed {
    /// A parameter file that names its template (`metadata.template`), or one not parsed
    /// yet, which may.
    pub fn may_name_a_template(&self) -> bool {
        self.kind == JsonKind::Parameters
            && self
                .parsed
                .as_ref()
                .is_none_or(|p| p.0.template_hint.is_some())
    }
}

/// What pass 1 found: its files sorted, its parameter files parsed (with their problems),
/// and the JSON files left for pass 2.
pub(super) struct FirstPass {
    sniffed: Vec<Sniffed>,
    pub params: Vec<ParameterFile>,
    problems: Vec<Diagnostic>,
    pub later: Vec<FileId>,
}

impl FirstPass {
    /// The templates parameter files pair with before pass 2, in the files' order (as
    /// [`Inputs::templates`] lists them): those of pass 1, every file left for pass 2 (any
    /// of them may be one), then the Bicep roots.
    pub fn templates_expected(&self, inp: &Inputs) -> Vec<FileId> {
        let first: HashSet<FileId> = self
            .sniffed
            .iter()
            .filter(|s| s.kind == JsonKind::Template)
            .map(|s| s.id)
            .collect();
        let later: HashSet<FileId> = self.later.iter().copied().collect();
        inp.json_files
            .iter()
            .copied()
            .filter(|id| first.contains(id) || later.contains(id))
            .chain(inp.bicep_roots.iter().copied())
            .collect()
    }
}

/// Pass 1; `read`: the files Terraform reads with `file()` (evaluated there, whatever they
/// look like: not sorted).
pub(super) fn first_pass(inp: &Inputs, read: &HashSet<FileId>) -> FirstPass {
    let db = &inp.db;
    let (first, later): (Vec<FileId>, Vec<FileId>) = inp
        .json_files
        .iter()
        .copied()
        .filter(|id| !read.contains(id))
        .partition(|id| inp.json_inputs.contains(id) || named_like_parameters(db, *id));
    let mut sniffed: Vec<Sniffed> = first
        .par_iter()
        .map(|id| sort_file(db, *id, false).0)
        .collect();
    let (params, problems) = parse_parameters(db, &mut sniffed);
    FirstPass {
        sniffed,
        params,
        problems,
        later,
    }
}

/// `param` in the file's name or its directory's, any case (`azuredeploy.parameters.json`,
/// `params.json`, `parameters/prod.json`): every name the pairing conventions match has
/// it, and a parameter file named otherwise that names its template
/// (`metadata.template`) mostly sits in such a directory.
fn named_like_parameters(db: &SourceDb, id: FileId) -> bool {
    let path = db.path(id);
    let has = |name: Option<&std::ffi::OsStr>| {
        name.is_some_and(|n| {
            n.as_encoded_bytes()
                .windows(5)
                .any(|w| w.eq_ignore_ascii_case(b"param"))
        })
    };
    has(path.file_name()) || has(path.parent().and_then(|d| d.file_name()))
}

/// What one JSON file is: templates and parameter files say so in their first lines
/// (`$schema`); the rest of a file is read only when that does not tell, or, with
/// `read_template`, for a template's unit (the file still open: one `open` a file): its
/// text, or why it could not be read.
pub(super) fn sort_file(
    db: &SourceDb,
    id: FileId,
    read_template: bool,
) -> (Sniffed, Option<Read<'_>>) {
    let (head, rest) = match db.head_open(id, SNIFF_START) {
        Some((head, rest)) => match arm::sniff_start(&head.text) {
            Some(kind) => return sort_started(db, id, kind, (head, rest), read_template),
            None => (Some(head), rest),
        },
        None => (None, None),
    };
    // Read whole for the sniff.
    let read = match head {
        Some(head) => db.read_opened(id, head, rest),
        None => db.read(id),
    };
    let kind = match &read {
        Ok(t) => arm::sniff(t),
        // Too large or not UTF-8: a template is reported (ER002), other JSON skipped.
        Err(_) => arm::sniff_file_start(db.path(id)),
    };
    let s = Sniffed {
        id,
        kind,
        parsed: None,
        generated: None,
    };
    (
        s,
        (read_template && kind == JsonKind::Template).then_some(read),
    )
}

/// [`sort_file`] of a file whose start said what it is.
fn sort_started(
    db: &SourceDb,
    id: FileId,
    kind: JsonKind,
    (head, rest): (Head, Option<Opened>),
    read_template: bool,
) -> (Sniffed, Option<Read<'_>>) {
    let mut s = Sniffed {
        id,
        kind,
        parsed: None,
        generated: None,
    };
    let mut text = None;
    match kind {
        // A small parameter file was read whole: parsed now, not opened again.
        JsonKind::Parameters if head.whole => {
            let read = db.read_head(id, head);
            s.parsed = Some(Box::new(arm::load_parameter_read(db, id, read)));
        }
        JsonKind::Template if read_template => text = Some(db.read_opened(id, head, rest)),
        _ => {}
    }
    (s, text)
}

/// The parameter files of `sniffed`, parsed (those a sniff read whole already were), with
/// their problems. A parameter file that does not parse still pairs by its name, with
/// every value Unknown.
fn parse_parameters(
    db: &SourceDb,
    sniffed: &mut [Sniffed],
) -> (Vec<ParameterFile>, Vec<Diagnostic>) {
    let todo: Vec<(FileId, Option<Box<Parsed>>)> = sniffed
        .iter_mut()
        .filter(|s| s.kind == JsonKind::Parameters)
        .map(|s| (s.id, s.parsed.take()))
        .collect();
    let parsed: Vec<Parsed> = todo
        .into_par_iter()
        .map(|(id, parsed)| parsed.map_or_else(|| arm::load_parameter_file(db, id), |p| *p))
        .collect();
    let mut params = Vec::with_capacity(parsed.len());
    let mut problems = Vec::new();
    for (pf, problem) in parsed {
        problems.extend(problem);
        params.push(pf);
    }
    (params, problems)
}

/// Whether template `t` is Bicep's compiled JSON of the `.bicep` beside it (skipped: the
/// `.bicep` is linted); `text`: its text, or `None` to read it. `any_bicep`: the run has a
/// `.bicep` file at all (most have none: then nothing is looked up).
pub(super) fn is_generated(
    db: &SourceDb,
    t: FileId,
    by_path: &PathIndex,
    any_bicep: bool,
    text: Option<&str>,
) -> bool {
    if !any_bicep {
        return false;
    }
    let path = db.path(t);
    let has_source = path.extension().is_some_and(|e| e == "json")
        && by_path.contains(db, &path.with_extension("bicep"));
    has_source
        && match text {
            Some(text) => bicep::is_generated(text),
            None => db.text(t).is_ok_and(bicep::is_generated),
        }
}

/// Whether the run has a `.bicep` file.
pub(super) fn any_bicep(db: &SourceDb, by_path: &PathIndex) -> bool {
    by_path
        .iter(db)
        .any(|(p, _)| p.extension().is_some_and(|e| e == "bicep"))
}

/// Both passes put together into `inp.json` (and `inp.generated`, `inp.diags`), in the
/// files' order; the templates pass 2 read were looked at for being generated by their
/// units.
/// `any_bicep`: [`any_bicep`].
pub(super) fn finish(inp: &mut Inputs, first: FirstPass, mut later: Vec<Sniffed>, any_bicep: bool) {
    let FirstPass {
        sniffed,
        mut params,
        problems,
        ..
    } = first;
    let (more_params, more_problems) = parse_parameters(&inp.db, &mut later);
    params.extend(more_params);
    let mut by_id: HashMap<FileId, Sniffed> = sniffed
        .into_iter()
        .chain(later)
        .map(|s| (s.id, s))
        .collect();
    let mut out = JsonFiles::default();
    let mut generated = Vec::new();
    for id in &inp.json_files {
        let Some(s) = by_id.remove(id) else {
            continue;
        };
        match s.kind {
            JsonKind::Template => {
                let skip = s
                    .generated
                    .unwrap_or_else(|| is_generated(&inp.db, s.id, &inp.by_path, any_bicep, None));
                if skip {
                    generated.push(inp.db.path(s.id).to_path_buf());
                } else {
                    out.templates.push(s.id);
                }
            }
            JsonKind::Parameters => {}
            JsonKind::Plan => out.plans.push(s.id),
            JsonKind::Other if !inp.json_inputs.contains(&s.id) => {
                out.skipped += 1;
                inp.diags.extend(coverage::unevaluated_json(&inp.db, s.id));
            }
            JsonKind::Other => {}
        }
    }
    inp.diags.extend(problems);
    inp.diags.extend(more_problems);
    out.params = params;
    out.params.append(&mut inp.bicep_params);
    inp.generated = generated;
    inp.json = out;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameter_files_by_name_go_first() {
        let mut db = SourceDb::new(0);
        let mut first = |p: &str| {
            let id = db.add_text(p, "{}");
            named_like_parameters(&db, id)
        };
        assert!(first("arm/azuredeploy.parameters.json"));
        assert!(first("arm/main.PARAMETERS.prod.json"));
        assert!(first("arm/params.json"));
        assert!(first("arm/parameters/prod.json"));
        // A template, and a parameter file named otherwise (its template is evaluated
        // again once it is sorted).
        assert!(!first("arm/azuredeploy.json"));
        assert!(!first("env/prod.json"));
        // Only the file's own directory counts, not those above it.
        assert!(!first("params/arm/azuredeploy.json"));
    }
}
