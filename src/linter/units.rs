//! Stage 2, units: each Terraform root, ARM or Bicep template and plan evaluated by its
//! front end into one [`UnitOutput`] and checked, in parallel; a panic is an ER000.

use super::Options;
use super::inputs::Inputs;
use super::pairing::ParamChoice;
use crate::arm;
use crate::bicep::{self, BicepSet};
use crate::catalog::Catalog;
use crate::coverage::{self, Coverage};
use crate::diagnostic::Diagnostic;
use crate::model::{Model, UnitOutput};
use crate::rules::{self, RuleSettings};
use crate::source::{FileId, SourceDb, Span};
use crate::terraform::{self, RootInputs};
use rayon::prelude::*;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;

/// What the units found, summed: their findings in unit order, then the Terraform
/// modules' own problems; the counts for the summary.
pub(super) struct Tally {
    pub diagnostics: Vec<Diagnostic>,
    /// Files read and checked.
    pub files: usize,
    pub resources: usize,
    pub skipped_json: usize,
    pub coverage: Coverage,
}

/// Stage 2: evaluate and check every unit.
pub(super) fn lint_all(inp: &Inputs, opts: &Options) -> Tally {
    let checker = Checker::new(opts);
    let templates = inp.templates();
    let params = ParamChoice::new(&inp.db, &templates, &inp.json.params, &inp.cli);
    let units: Vec<Unit<'_>> = inp
        .roots
        .iter()
        .map(|(dir, role)| Unit::TfRoot(dir, *role))
        .chain(inp.json.templates.iter().map(|t| Unit::Arm(*t)))
        .chain(inp.bicep_roots.iter().map(|t| Unit::Bicep(*t)))
        .chain(inp.json.plans.iter().map(|p| Unit::Plan(*p)))
        .collect();
    let inputs_of = UnitInputs {
        set: &inp.set,
        bicep: &inp.bicep,
        terraform: &inp.cli.terraform,
        params: &params,
    };
    let results: Vec<UnitResult> = units
        .par_iter()
        .map(|u| lint_unit(u, &inp.db, &inputs_of, &checker))
        .collect();
    // Files Terraform reads with `file()` (templates, bodies, parameters) count as read.
    let read_files = inp.set.files.values().filter(|f| f.text.is_ok()).count();
    let mut tally = Tally {
        diagnostics: Vec::new(),
        files: inp.json.params.len() + read_files + inp.bicep.templates_read(),
        resources: 0,
        skipped_json: inp.json.skipped,
        coverage: Coverage::default(),
    };
    for r in results {
        tally.diagnostics.extend(r.diagnostics);
        tally.resources += r.resources;
        tally.files += r.files;
        tally.skipped_json += r.skipped_json;
        tally.coverage.merge(r.coverage);
    }
    coverage::sort(&mut tally.coverage.entries, &inp.db);
    for m in inp.set.modules.values() {
        tally.diagnostics.extend(m.diagnostics.iter().cloned());
        tally.files += m.files.len();
    }
    tally
}

/// Settings every unit checks with.
struct Checker<'a> {
    catalog: &'a Catalog,
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
            catalog: match opts.catalog.as_deref() {
                Some(c) => c,
                None => Catalog::bundled(),
            },
            settings: &opts.settings,
            enabled: rules::RULES
                .iter()
                .copied()
                .filter(|r| r.meta().checks_model() && opts.filter.enabled(r.meta().id))
                .collect(),
            inventory: opts.inventory,
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

    /// Check one model evaluated as `unit` (its description, for the resource listing):
    /// every enabled rule, one at a time, so that a rule that panics is an ER000 and the
    /// other rules' findings are kept.
    fn lint(&self, model: &Model, unit: &str) -> UnitResult {
        let mut out = model.notes.clone();
        for &rule in &self.enabled {
            let id = rule.meta().id;
            let mut found = Vec::new();
            let ran = catch_unwind(AssertUnwindSafe(|| {
                rules::check_model_with(rule, model, self.catalog, self.settings, &mut found);
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
                .filter(|r| r.reportable)
                .map(|r| coverage::Entry::of(r, unit, &out).with_catalog(model, r, self.settings))
                .collect();
        }
        UnitResult {
            diagnostics: out,
            resources: model.resources.iter().filter(|r| r.reportable).count(),
            coverage: cov,
            ..Default::default()
        }
    }
}

/// One evaluation unit.
enum Unit<'a> {
    TfRoot(&'a PathBuf, terraform::Role),
    Arm(FileId),
    Bicep(FileId),
    Plan(FileId),
}

/// What every unit reads: the Terraform modules, the Bicep files, the inputs.
struct UnitInputs<'a> {
    set: &'a terraform::ModuleSet,
    bicep: &'a BicepSet,
    terraform: &'a RootInputs,
    params: &'a ParamChoice<'a>,
}

/// Evaluate and check one unit; a panic becomes ER000 at its first file.
fn lint_unit(
    unit: &Unit<'_>,
    db: &SourceDb,
    inputs: &UnitInputs<'_>,
    checker: &Checker<'_>,
) -> UnitResult {
    let params = inputs.params;
    match unit {
        Unit::TfRoot(dir, role) => {
            let module = inputs.set.modules.get(*dir);
            guarded(module.and_then(|m| m.files.first().copied()), || {
                let Some(m) = module else {
                    return UnitResult::default();
                };
                let unit = match role {
                    terraform::Role::Root => format!("Terraform root `{}`", m.display),
                    terraform::Role::Library => {
                        format!("Terraform module `{}` (every input unknown)", m.display)
                    }
                };
                let out = terraform::build(inputs.set, m, *role, inputs.terraform);
                checker.check(out, &unit)
            })
        }
        Unit::Arm(t) => guarded(Some(*t), || {
            let out = arm::build(db, *t, &params.for_template(db, *t));
            let recognised = out.recognised;
            let mut r = checker.check(out, &format!("ARM template `{}`", db.display(*t)));
            r.files = usize::from(recognised);
            // Its text looked like a template, its `$schema` says otherwise.
            r.skipped_json = usize::from(!recognised);
            r
        }),
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
