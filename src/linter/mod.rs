//! One lint run, by stage:
//!
//! 1. [`inputs`]: discover the files, register them, load what the front ends must see
//!    whole before units can be scheduled (Terraform module directories and their calls,
//!    Bicep references), read the command line's inputs, classify JSON; [`pairing`]
//!    chooses each template's parameter files.
//! 2. [`units`]: evaluate and check each unit in parallel (every front end returns one
//!    [`UnitOutput`](crate::model::UnitOutput)), panics → ER000.
//! 3. Post-processing: [`post`] applies rule selection and severity overrides, keeps only
//!    findings about named files (pre-commit mode), sorts, applies inline suppressions,
//!    [`merge`]s repeats of one finding, then the baseline.

mod inputs;
mod json_sort;
mod merge;
mod pairing;
mod post;
mod timer;
mod units;

use crate::baseline::BaselineSummary;
use crate::catalog::Catalog;
use crate::coverage::Coverage;
use crate::diagnostic::{Diagnostic, Severity};
use crate::discover::WalkOptions;
use crate::error::FileError;
use crate::rules::{self, RuleMeta, RuleSettings};
use crate::source::{Overlay, SourceDb};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use timer::Timer;

/// A `--var-file` or `--var`, in command-line order.
#[derive(Clone, Debug)]
pub enum VarArg {
    File(PathBuf),
    Pair(String, String),
}

/// Which rules run and at what severity.
#[derive(Clone, Debug, Default)]
pub struct RuleFilter {
    /// Only these ids or prefixes (`ER3`), if non-empty.
    pub select: Vec<String>,
    /// Never these ids or prefixes.
    pub ignore: Vec<String>,
    /// Per id or prefix: a severity, or `None` for "off". Longer (more specific) keys win.
    pub overrides: Vec<(String, Option<Severity>)>,
}

impl RuleFilter {
    /// The configuration's part of the filter: its severities, without the command
    /// line's `--select` and `--ignore`.
    fn configured(&self) -> RuleFilter {
        RuleFilter {
            overrides: self.overrides.clone(),
            ..RuleFilter::default()
        }
    }

    fn matching<'a, T>(list: &'a [(String, T)], id: &str) -> Option<&'a T> {
        list.iter()
            .filter(|(p, _)| id.to_ascii_uppercase().starts_with(&p.to_ascii_uppercase()))
            .max_by_key(|(p, _)| p.len())
            .map(|(_, v)| v)
    }

    /// Whether rule `id` runs. The [gate rules](rules::is_gate) always do; `--select`
    /// chooses among the rules on the model only.
    pub fn enabled(&self, id: &str) -> bool {
        if rules::is_gate(id) {
            return true;
        }
        let up = id.to_ascii_uppercase();
        let has = |l: &[String]| l.iter().any(|p| up.starts_with(&p.to_ascii_uppercase()));
        let on_model = rules::find(id).is_none_or(|m| m.checks_model());
        if !self.select.is_empty() && !has(&self.select) && on_model {
            return false;
        }
        if has(&self.ignore) {
            return false;
        }
        !matches!(Self::matching(&self.overrides, id), Some(None))
    }

    pub fn severity(&self, meta: &RuleMeta) -> Severity {
        if rules::is_gate(meta.id) {
            return meta.severity;
        }
        match Self::matching(&self.overrides, meta.id) {
            Some(Some(s)) => *s,
            _ => meta.severity,
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct Options {
    pub paths: Vec<PathBuf>,
    pub walk: WalkOptions,
    pub vars: Vec<VarArg>,
    /// `--parameters FILE`: used for every ARM template of the run.
    pub parameters: Vec<PathBuf>,
    pub settings: RuleSettings,
    pub filter: RuleFilter,
    /// Largest file read, in bytes (0: no limit).
    pub max_file_size: u64,
    pub cwd: PathBuf,
    /// The catalogue rules check against (`None`: the bundled one); the config's
    /// `catalog.extra` merged in.
    pub catalog: Option<Arc<Catalog>>,
    /// Config `arm.parameter_files`: template → its parameter files (after `--parameters`,
    /// before the naming convention).
    pub parameter_map: Vec<(PathBuf, Vec<PathBuf>)>,
    /// `--report-unused-ignores`: ER003 for suppressions that hide nothing.
    pub report_unused_ignores: bool,
    /// `--baseline FILE`.
    pub baseline: Option<PathBuf>,
    /// `--write-baseline FILE`.
    pub write_baseline: Option<PathBuf>,
    /// List every resource found with what was skipped (`erlint resources`); the rules
    /// should then run with `report_unknown`.
    pub inventory: bool,
    /// Texts read instead of the files on disk (`--stdin-filename`, an editor's unsaved
    /// buffers): a path here is linted with this text, the rest of its directory from
    /// disk; it need not exist on disk.
    pub overlay: Overlay,
}

/// The outcome of a run.
#[derive(Debug)]
pub struct Report {
    pub db: SourceDb,
    /// Sorted; suppressed findings are kept (with `suppressed` set) for SARIF.
    pub diagnostics: Vec<Diagnostic>,
    /// Files read and checked (Terraform, ARM, plans).
    pub files: usize,
    /// Resources checked.
    pub resources: usize,
    /// JSON files that are neither ARM nor Terraform (skipped).
    pub skipped_json: usize,
    /// Bicep's compiled `X.json` beside its `X.bicep` (skipped: the `.bicep` is linted).
    pub skipped_generated: usize,
    pub duration: Duration,
    /// What `--baseline` matched and what in it is stale.
    pub baseline: Option<BaselineSummary>,
    /// Resources per format, and every resource when [`Options::inventory`] is set.
    pub coverage: Coverage,
    /// What the run did not look at, for the summary.
    pub gaps: Gaps,
}

/// What a run left out that a reviewer should know of: rules the configuration turned
/// off or lowered, files that are not regular files, input files whose values were not
/// checked.
#[derive(Clone, Debug, Default)]
pub struct Gaps {
    /// Rules the configuration turns off, or lowers below their default severity.
    pub relaxed_rules: usize,
    /// Rules the configuration leaves on that `--select` or `--ignore` leave out.
    pub unselected_rules: usize,
    /// FIFOs, devices and links to them with a Terraform or JSON name, not read.
    pub special_files: usize,
    /// Whole runs: variable definitions files Terraform loads only when told to
    /// (`env/prod.tfvars`) that the run does not apply (`--var-file`,
    /// `terraform.var_files`), so the values they set were not checked.
    pub unapplied_var_files: usize,
    /// Whole runs: JSON parameter files no template was evaluated with.
    pub unpaired_parameter_files: usize,
}

/// Why a run could not do its job (exit code 2).
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum RunError {
    #[error("path `{0}` does not exist")]
    #[diagnostic(help("check the path; erlint lints the current directory when given none"))]
    MissingPath(String),
    #[error("{0}")]
    #[diagnostic()]
    BadArgument(String),
    /// A baseline (or other input of erlint's own) that cannot be used.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Input(Box<FileError>),
}

/// One lint run.
pub fn run(opts: &Options) -> Result<Report, RunError> {
    let timer = Timer::start();
    let mut inputs = inputs::gather(opts, &timer)?;
    // Before the units take the Terraform files.
    let unapplied_var_files = inputs::unapplied_var_files(&inputs, opts);
    let mut tally = units::lint_all(&mut inputs, opts, &timer);
    timer.phase("units linted");
    let templates = inputs.templates();
    let inputs::Inputs {
        db,
        found,
        mut diags,
        generated,
        ..
    } = inputs;
    let sites = std::mem::take(&mut tally.sites);
    diags.append(&mut tally.diagnostics);
    post::keep_texts(&db, &diags, &tally.coverage);
    let named = inputs::named_with_inputs(found.named.as_ref(), opts, &generated);
    post::retain_named(&mut tally.coverage, &db, named.as_ref());
    let (diagnostics, baseline) =
        post::process(diags, &db, &sites, &templates, opts, named.as_ref())?;
    timer.phase("finished");
    Ok(Report {
        db,
        diagnostics,
        files: tally.files,
        resources: tally.resources,
        skipped_json: tally.skipped_json,
        skipped_generated: generated.len(),
        duration: timer.elapsed(),
        baseline,
        coverage: tally.coverage,
        gaps: Gaps {
            relaxed_rules: relaxed_rules(&opts.filter),
            unselected_rules: unselected_rules(&opts.filter),
            special_files: found.special.len(),
            unapplied_var_files,
            unpaired_parameter_files: tally.unpaired_parameter_files,
        },
    })
}

/// How many rules the configuration's part of `filter` (its severities) turns off or
/// lowers below their default severity.
fn relaxed_rules(filter: &RuleFilter) -> usize {
    let configured = filter.configured();
    rules::RULES
        .iter()
        .map(|r| r.meta())
        .filter(|m| !configured.enabled(m.id) || configured.severity(m) < m.severity)
        .count()
}

/// How many rules the configuration leaves on that the command line's `--select` and
/// `--ignore` leave out.
fn unselected_rules(filter: &RuleFilter) -> usize {
    let configured = filter.configured();
    rules::RULES
        .iter()
        .map(|r| r.meta())
        .filter(|m| configured.enabled(m.id) && !filter.enabled(m.id))
        .count()
}
