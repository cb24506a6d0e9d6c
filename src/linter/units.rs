//! Stage 2, units: each Terraform root, ARM or Bicep template and plan evaluated by its
//! front end into one [`UnitOutput`] and checked, in parallel (Terraform's as their
//! directories are parsed); a panic is an ER000.

use super::Options;
use super::inputs::Inputs;
use super::json_sort;
use super::pairing::{self, Pairing, ParamChoice};
use super::timer::Timer;
use crate::arm;
use crate::bicep::{self, BicepSet};
use crate::catalog::Catalog;
use crate::coverage::{self, Coverage};
use crate::diagnostic::Diagnostic;
use crate::discover::display_path;
use crate::model::{Model, UnitOutput};
use crate::rules::{self, RuleSettings};
use crate::source::sites::Sites;
use crate::source::{FileId, SourceDb, Span};
use crate::terraform::module::ModuleIr;
use crate::terraform::stream::{Plan, Streamed};
use crate::terraform::{self, ModuleSet, Role};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

/// What the units found, summed: their findings in unit order (Terraform's first), then
/// the Terraform modules' own problems; the counts for the summary.
pub(super) struct Tally {
    pub diagnostics: Vec<Diagnostic>,
    /// Files read and checked.
    pub files: usize,
    pub resources: usize,
    pub skipped_json: usize,
    /// Whole runs: parameter files no template was evaluated with.
    pub unpaired_parameter_files: usize,
    pub coverage: Coverage,
    /// The suppression sites the Terraform front end found with its parse.
    pub sites: HashMap<FileId, Sites>,
}

/// Stage 2: evaluate and check every unit: the Terraform ones while their directories are
/// parsed ([`terraform::stream`]), then most ARM templates as the JSON files are sorted
/// ([`sort_json`]), then the other ARM templates, the Bicep templates and the plans.
pub(super) fn lint_all(inp: &mut Inputs, opts: &Options, timer: &Timer) -> Tally {
    let checker = Checker::new(opts);
    let tf = lint_terraform(inp, opts, &checker);
    timer.phase("terraform linted");
    // Files Terraform reads with `file()` (templates, bodies, parameters) count as read,
    // and are evaluated there, not on their own.
    let read: HashSet<FileId> = tf.files.values().map(|f| f.id).collect();
    let Sorted { mut early, pairing } = sort_json(inp, &read, &checker);
    timer.phase("json classified");
    let inp: &Inputs = inp;
    let params = match pairing {
        Some(pairing) => ParamChoice::with_pairing(pairing, &inp.json.params, &inp.cli),
        None => ParamChoice::new(&inp.db, &inp.templates(), &inp.json.params, &inp.cli),
    };
    // Parameter files no template takes: a note on each named one (pre-commit), else a
    // count for the summary.
    let unpaired = pairing::unpaired(&inp.db, &inp.templates(), &params);
    let (unpaired_notes, unpaired_parameter_files) = match &inp.found.named {
        Some(named) => (pairing::unpaired_notes(&inp.db, named, &unpaired), 0),
        None => (Vec::new(), unpaired.len()),
    };
    let inputs_of = UnitInputs {
        bicep: &inp.bicep,
        params: &params,
    };
    // A template pass 2 evaluated stands when the run's pairing gives it the same
    // parameter files; else it is evaluated again, with those.
    let units: Vec<(Unit, Option<UnitResult>)> = inp
        .json
        .templates
        .iter()
        .map(|t| {
            let done = early.remove(t).and_then(|e| {
                (e.params == file_ids(&params.for_template(&inp.db, *t))).then_some(e.result)
            });
            (Unit::Arm(*t), done)
        })
        .chain(inp.bicep_roots.iter().map(|t| (Unit::Bicep(*t), None)))
        .chain(inp.json.plans.iter().map(|p| (Unit::Plan(*p), None)))
        .collect();
    let results: Vec<UnitResult> = units
        .into_par_iter()
        .map(|(u, done)| done.unwrap_or_else(|| lint_unit(&u, &inp.db, &inputs_of, &checker)))
        .collect();
    let read_files = tf.files.values().filter(|f| f.text.is_ok()).count();
    let mut tally = Tally {
        diagnostics: Vec::new(),
        files: inp.json.params.len() + read_files + inp.bicep.templates_read(),
        resources: 0,
        skipped_json: inp.json.skipped,
        unpaired_parameter_files,
        coverage: Coverage::default(),
        sites: tf.sites,
    };
    for r in tf.results.into_iter().chain(results) {
        tally.diagnostics.extend(r.diagnostics);
        tally.resources += r.resources;
        tally.files += r.files;
        tally.skipped_json += r.skipped_json;
        tally.coverage.merge(r.coverage);
    }
    coverage::sort(&mut tally.coverage.entries, &inp.db);
    tally.diagnostics.extend(tf.diagnostics);
    tally.diagnostics.extend(unpaired_notes);
    tally.files += tf.module_files;
    tally
}

/// A template evaluated as soon as the sort of the JSON files read it (pass 2 of
/// [`json_sort`]), and the parameter files it was evaluated with.
struct Early {
    result: UnitResult,
    params: Vec<FileId>,
}

/// What [`sort_json`] gives: the templates it evaluated, and the pairing of parameter
/// files it evaluated them with when it is the run's (pass 2 found no parameter file and
/// every file it sorted was a template: the templates and parameter files are those the
/// pairing was made with).
struct Sorted {
    early: HashMap<FileId, Early>,
    pairing: Option<Pairing>,
}

/// Sort the JSON files (`read`: those Terraform reads with `file()`, not sorted) into
/// `inp.json`; the templates of pass 2 are evaluated and checked as they are read, each
/// with the parameter files pass 1 pairs with it.
fn sort_json(inp: &mut Inputs, read: &HashSet<FileId>, checker: &Checker<'_>) -> Sorted {
    let any_bicep = json_sort::any_bicep(&inp.db, &inp.by_path);
    let (first, later, expected, pairing) = {
        let inp: &Inputs = inp;
        let first = json_sort::first_pass(inp, read);
        let expected = first.templates_expected(inp);
        let params = ParamChoice::new(&inp.db, &expected, &first.params, &inp.cli);
        // Once this pass has met a parameter file (one that may name its template in
        // `metadata.template`), the templates it reads after it are left to the units,
        // which pair them knowing every file: evaluating them now could be in vain.
        let hinted = AtomicBool::new(false);
        let later: Vec<(json_sort::Sniffed, Option<Early>)> = first
            .later
            .par_iter()
            .map(|id| {
                let (mut s, text) =
                    json_sort::sort_file(&inp.db, *id, !hinted.load(Ordering::Relaxed));
                if s.may_name_a_template() {
                    hinted.store(true, Ordering::Relaxed);
                }
                if let Some(Ok(text)) = &text {
                    let generated =
                        json_sort::is_generated(&inp.db, s.id, &inp.by_path, any_bicep, Some(text));
                    s.generated = Some(generated);
                }
                let early = match text {
                    Some(Ok(_)) if s.generated == Some(true) => None,
                    Some(read) => {
                        let with = params.for_template(&inp.db, s.id);
                        Some(Early {
                            params: file_ids(&with),
                            result: lint_arm(&inp.db, s.id, Some(read), &with, checker),
                        })
                    }
                    None => None,
                };
                (s, early)
            })
            .collect();
        let pairing = params.into_pairing();
        (first, later, expected, pairing)
    };
    let first_params = first.params.len();
    let mut early = HashMap::new();
    let mut sniffed = Vec::with_capacity(later.len());
    for (s, e) in later {
        if let Some(e) = e {
            early.insert(s.id, e);
        }
        sniffed.push(s);
    }
    json_sort::finish(inp, first, sniffed, any_bicep);
    let stands = inp.json.params.len() == first_params && inp.templates() == expected;
    Sorted {
        early,
        pairing: stands.then_some(pairing),
    }
}

fn file_ids(params: &[&arm::ParameterFile]) -> Vec<FileId> {
    params.iter().map(|p| p.file).collect()
}

/// Every Terraform root (and library) evaluated and checked as its modules are parsed.
fn lint_terraform(inp: &mut Inputs, opts: &Options, checker: &Checker<'_>) -> Streamed<UnitResult> {
    let show = |p: &Path| display_path(p, &opts.cwd);
    let inputs = &inp.cli.terraform;
    let evaluate = |set: &ModuleSet, m: &ModuleIr, role: Role| {
        guarded(m.files.first().copied(), || {
            let unit = match role {
                Role::Root => format!("Terraform root `{}`", m.display),
                Role::Library => {
                    format!("Terraform module `{}` (every input unknown)", m.display)
                }
            };
            let out = terraform::build(set, m, role, inputs);
            checker.check(out, &unit)
        })
    };
    terraform::stream::stream(
        &mut inp.db,
        Plan {
            dirs: std::mem::take(&mut inp.tf_dirs),
            scanned: &inp.scanned_tf,
            known: &inp.by_path,
            display: &show,
            evaluate: &evaluate,
        },
    )
}

/// Settings every unit checks with.
struct Checker<'a> {
    /// The catalogue given with the options; else the bundled one, built when a rule
    /// first needs it (a run that meets no ExpressRoute resource never parses it).
    catalog: Option<&'a Catalog>,
    settings: &'a RuleSettings,
    /// The rules that check models and run ([`RuleFilter::enabled`], decided once per
    /// run), in [`rules::RULES`]' order.
    enabled: Vec<&'static dyn rules::Rule>,
    /// List every resource ([`Options::inventory`]).
    inventory: bool,
}

impl<'a> Checker<'a> {
    fn new(opts: &'a Options) -> Checker<'a> {
        Checker {
            catalog: opts.catalog.as_deref(),
            settings: &opts.settings,
            enabled: rules::RULES
                .iter()
                .copied()
                .filter(|r| r.meta().checks_model() && opts.filter.enabled(r.meta().id))
                .collect(),
            inventory: opts.inventory,
        }
    }

    fn catalog(&self) -> &'a Catalog {
        match self.catalog {
            Some(c) => c,
            None => Catalog::bundled(),
        }
    }

    /// Check every model of a unit's output: the unit's own diagnostics first, then each
    /// model's findings; resources counted in the largest model, every model's listed.
    fn check(&self, out: UnitOutput, unit: &str) -> UnitResult {
        let mut r = UnitResult {
            diagnostics: out.diagnostics,
            ..Default::default()
        };
        let mut entries = Vec::new();
        for model in &out.models {
            let mr = self.lint(model, unit);
            r.diagnostics.extend(mr.diagnostics);
            r.resources = r.resources.max(mr.resources);
            entries.extend(mr.coverage.entries);
        }
        r.coverage.count(&out.models.iter().collect::<Vec<_>>());
        r.coverage.entries = entries;
        r
    }

    /// [`check`](Self::check), then keep the texts the unit read that its findings and
    /// listed resources point into (the output needs them: not read again). Of a text
    /// whose lines pointed into all lie in its first half, only the lines up to the last
    /// of them are kept, unless it holds a suppression comment (`erlint`), which is then
    /// looked for in all of it. (A fix's edits are made and shown from the whole text,
    /// which the runs that do so read again.)
    fn check_keeping(&self, db: &SourceDb, mut out: UnitOutput, unit: &str) -> UnitResult {
        let texts = std::mem::take(&mut out.texts);
        let r = self.check(out, unit);
        if !texts.is_empty() {
            let needed = super::post::reach(&r.diagnostics, &r.coverage);
            for (file, text) in texts {
                let Some(&furthest) = needed.get(&file) else {
                    continue;
                };
                // To the end of the line the furthest offset is on.
                let end = text
                    .get(furthest..)
                    .and_then(|rest| memchr::memchr(b'\n', rest.as_bytes()))
                    .map_or(text.len(), |i| furthest + i + 1);
                if end <= text.len() / 2
                    && memchr::memmem::find(text.as_bytes(), b"erlint").is_none()
                {
                    db.keep_part(file, &text, end);
                } else {
                    db.keep_read(file, text);
                }
            }
        }
        r
    }

    /// Check one model evaluated as `unit` (its description, for the resource listing):
    /// every enabled rule, one at a time, so that a rule that panics is an ER000 and the
    /// other rules' findings are kept.
    fn lint(&self, model: &Model, unit: &str) -> UnitResult {
        let mut out = model.notes.clone();
        for &rule in &self.enabled {
            let id = rule.meta().id;
            let mut found = Vec::new();
            let ran = catch_unwind(AssertUnwindSafe(|| {
                rules::check_model_with(rule, model, self.catalog(), self.settings, &mut found);
            }));
            out.append(&mut found);
            if let Err(payload) = ran {
                let at = model
                    .resources
                    .first()
                    .map_or(Span::new(FileId(0), 0, 0), |r| r.header);
                out.push(crate::core::internal_error(
                    at,
                    format!(
                        "internal error in rule {id}: this is a bug in erlint ({})",
                        crate::panics::message(payload.as_ref())
                    ),
                ));
            }
        }
        let mut cov = Coverage::default();
        cov.count(&[model]);
        if self.inventory {
            cov.entries = model
                .resources
                .iter()
                .filter(|r| r.is_listed())
                .map(|r| coverage::Entry::of(r, unit, &out).with_catalog(model, r, self.settings))
                .collect();
        }
        UnitResult {
            diagnostics: out,
            resources: model.resources.iter().filter(|r| r.is_listed()).count(),
            coverage: cov,
            ..Default::default()
        }
    }
}

/// One evaluation unit.
enum Unit {
    Arm(FileId),
    Bicep(FileId),
    Plan(FileId),
}

/// What every unit reads: the Bicep files, the parameter files.
struct UnitInputs<'a> {
    bicep: &'a BicepSet,
    params: &'a ParamChoice<'a>,
}

/// Evaluate and check one unit; a panic becomes ER000 at its first file.
fn lint_unit(
    unit: &Unit,
    db: &SourceDb,
    inputs: &UnitInputs<'_>,
    checker: &Checker<'_>,
) -> UnitResult {
    let params = inputs.params;
    match unit {
        Unit::Arm(t) => lint_arm(db, *t, None, &params.for_template(db, *t), checker),
        Unit::Bicep(t) => guarded(Some(*t), || {
            let out = bicep::build(db, inputs.bicep, *t, &params.for_template(db, *t));
            checker.check(out, &format!("Bicep file `{}`", db.display(*t)))
        }),
        Unit::Plan(p) => guarded(Some(*p), || {
            let out = terraform::plan::build(db, *p);
            let recognised = out.recognised;
            let mut r = checker.check(out, &format!("plan `{}`", db.display(*p)));
            r.files = usize::from(recognised);
            r
        }),
    }
}

/// Evaluate and check ARM template `t` with `params`; `read`: its text, when read already.
fn lint_arm(
    db: &SourceDb,
    t: FileId,
    read: Option<json_sort::Read<'_>>,
    params: &[&arm::ParameterFile],
    checker: &Checker<'_>,
) -> UnitResult {
    guarded(Some(t), || {
        let out = match read {
            Some(read) => arm::build_read(t, read, params),
            None => arm::build(db, t, params),
        };
        let recognised = out.recognised;
        let mut r = checker.check_keeping(db, out, &format!("ARM template `{}`", db.display(t)));
        r.files = usize::from(recognised);
        // Its text looked like a template, its `$schema` says otherwise.
        r.skipped_json = usize::from(!recognised);
        r
    })
}

#[derive(Default)]
struct UnitResult {
    diagnostics: Vec<Diagnostic>,
    resources: usize,
    files: usize,
    skipped_json: usize,
    coverage: Coverage,
}

/// Run `f`; a panic becomes ER000 at the expression evaluated last (else at `anchor`).
fn guarded(anchor: Option<FileId>, f: impl FnOnce() -> UnitResult) -> UnitResult {
    let _ = crate::limits::take_last_span();
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(payload) => {
            let msg = crate::panics::message(payload.as_ref());
            let at = crate::limits::take_last_span()
                .unwrap_or_else(|| Span::new(anchor.unwrap_or(FileId(0)), 0, 0));
            let d = crate::core::internal_error(
                at,
                format!("internal error while linting this unit: this is a bug in erlint ({msg})"),
            );
            UnitResult {
                diagnostics: vec![d],
                ..Default::default()
            }
        }
    }
}
