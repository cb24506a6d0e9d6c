//! One lint run: discover, parse and evaluate in parallel, check every model, then apply
//! rule selection and severity overrides, drop duplicates, keep only findings about named
//! files (pre-commit mode) and sort.

use crate::arm::{self, JsonKind, ParameterFile};
use crate::baseline::{self, BaselineSummary};
use crate::catalog::Catalog;
use crate::diagnostic::{Diagnostic, Severity};
use crate::discover::{self, Discovered, WalkOptions, display_path};
use crate::error::FileError;
use crate::model::Model;
use crate::rules::{self, RuleMeta, RuleSettings};
use crate::source::{FileId, SourceDb, Span};
use crate::suppress;
use crate::terraform::module::{self, TfFileKind, tf_file_kind};
use crate::terraform::{self, CliVar, RootInputs};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

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
    fn matching<'a, T>(list: &'a [(String, T)], id: &str) -> Option<&'a T> {
        list.iter()
            .filter(|(p, _)| id.to_ascii_uppercase().starts_with(&p.to_ascii_uppercase()))
            .max_by_key(|(p, _)| p.len())
            .map(|(_, v)| v)
    }

    pub fn enabled(&self, id: &str) -> bool {
        let up = id.to_ascii_uppercase();
        let has = |l: &[String]| l.iter().any(|p| up.starts_with(&p.to_ascii_uppercase()));
        if !self.select.is_empty() && !has(&self.select) && !id.starts_with("ER0") {
            return false;
        }
        if has(&self.ignore) {
            return false;
        }
        !matches!(Self::matching(&self.overrides, id), Some(None))
    }

    pub fn severity(&self, meta: &RuleMeta) -> Severity {
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
    pub duration: Duration,
    /// What `--baseline` matched and what in it is stale.
    pub baseline: Option<BaselineSummary>,
    /// The parsed modules, kept with the report so that a caller about to exit can skip
    /// freeing them (see `cli::check`).
    pub modules: terraform::ModuleSet,
}

/// Why a run could not do its job (exit code 2).
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum RunError {
    #[error("path `{0}` does not exist")]
    #[diagnostic(
        code(erlint::missing_path),
        help("check the path; erlint lints the current directory when given none")
    )]
    MissingPath(String),
    #[error("{0}")]
    #[diagnostic(code(erlint::bad_argument))]
    BadArgument(String),
    /// A baseline (or other input of erlint's own) that cannot be used.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Input(Box<FileError>),
}

pub fn run(opts: &Options) -> Result<Report, RunError> {
    let start = Instant::now();
    let paths = if opts.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        opts.paths.clone()
    };
    let timings = std::env::var_os("ERLINT_TIMINGS").is_some();
    let phase = |name: &str| {
        if timings {
            // Peak RSS so far (Linux), to see which phase holds the memory.
            let hwm = std::fs::read_to_string("/proc/self/status")
                .ok()
                .and_then(|s| {
                    s.lines()
                        .find(|l| l.starts_with("VmHWM"))
                        .map(str::to_string)
                })
                .unwrap_or_default();
            eprintln!(
                "erlint timing: {name} at {:.3}s; {}",
                start.elapsed().as_secs_f64(),
                hwm.split_whitespace().collect::<Vec<_>>().join(" ")
            );
        }
    };
    let mut found = discover::discover(&paths, &opts.walk).map_err(RunError::BadArgument)?;
    phase("discovered");
    if let Some(p) = found.missing.first() {
        return Err(RunError::MissingPath(p.display().to_string()));
    }
    if found.named.is_some() {
        add_caller_context(&mut found);
    }
    let mut db = SourceDb::new(opts.max_file_size);
    let show = |p: &Path| display_path(p, &opts.cwd);
    let mut diags: Vec<Diagnostic> = Vec::new();

    // Files that could not be walked.
    for (path, why) in &found.errors {
        let id = db.add(path.clone(), show(path));
        diags.push(module::unreadable(id, why));
    }

    // Register every candidate; split Terraform (by directory) from JSON.
    let mut tf_dirs: BTreeMap<PathBuf, Vec<FileId>> = BTreeMap::new();
    let mut json: Vec<FileId> = Vec::new();
    let mut by_path: HashMap<PathBuf, FileId> = HashMap::new();
    for path in &found.files {
        let id = db.add(path.clone(), show(path));
        by_path.insert(path.clone(), id);
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        match tf_file_kind(name) {
            Some(_) => {
                let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
                tf_dirs
                    .entry(if dir.as_os_str().is_empty() {
                        PathBuf::from(".")
                    } else {
                        dir
                    })
                    .or_default()
                    .push(id);
            }
            None => json.push(id),
        }
    }
    let scanned_tf: Vec<PathBuf> = tf_dirs
        .iter()
        .filter(|(_, files)| {
            files.iter().any(|f| {
                let n = db
                    .path(*f)
                    .file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or("");
                matches!(tf_file_kind(n), Some(TfFileKind::Hcl | TfFileKind::Json))
            })
        })
        .map(|(d, _)| d.clone())
        .collect();

    // --var-file / --var and --parameters.
    let mut inputs = RootInputs {
        env: std::env::vars()
            .filter_map(|(k, v)| k.strip_prefix("TF_VAR_").map(|n| (n.to_string(), v)))
            .collect(),
        cli: Vec::new(),
    };
    for v in &opts.vars {
        match v {
            VarArg::Pair(n, val) => inputs.cli.push(CliVar::Pair(n.clone(), val.clone())),
            VarArg::File(p) => {
                if !p.exists() {
                    return Err(RunError::MissingPath(p.display().to_string()));
                }
                let id = db.add(p.clone(), show(p));
                let text = match db.text(id) {
                    Ok(t) => t,
                    Err(e) => {
                        diags.push(module::unreadable(id, &e.to_string()));
                        continue;
                    }
                };
                let is_json = p.to_string_lossy().ends_with(".json");
                match module::parse_tfvars(id, text, is_json) {
                    Ok(values) => inputs
                        .cli
                        .push(CliVar::File(module::TfvarsFile { file: id, values })),
                    Err(d) => diags.push(*d),
                }
            }
        }
    }
    let mut explicit_params = Vec::new();
    for p in &opts.parameters {
        if !p.exists() {
            return Err(RunError::MissingPath(p.display().to_string()));
        }
        let id = *by_path
            .entry(p.clone())
            .or_insert_with(|| db.add(p.clone(), show(p)));
        match arm::parse_parameter_file(&db, id) {
            Ok(pf) => explicit_params.push(pf),
            Err(d) => diags.push(d),
        }
    }

    // Config `arm.parameter_files`: per template, its parameter files.
    let mut mapped_params: HashMap<PathBuf, Vec<ParameterFile>> = HashMap::new();
    for (template, files) in &opts.parameter_map {
        let mut list = Vec::new();
        for p in files {
            let id = *by_path
                .entry(p.clone())
                .or_insert_with(|| db.add(p.clone(), show(p)));
            match arm::parse_parameter_file(&db, id) {
                Ok(pf) => list.push(pf),
                Err(d) => diags.push(d),
            }
        }
        mapped_params.insert(terraform::normalize(template), list);
    }

    // Terraform: load every module once, following module sources.
    phase("registered");
    let set = terraform::load(&mut db, tf_dirs, &show);
    let roots = terraform::units(&set, &scanned_tf);
    phase("terraform parsed");

    let catalog: &Catalog = match opts.catalog.as_deref() {
        Some(c) => c,
        None => Catalog::bundled(),
    };
    let enabled = |m: &RuleMeta| opts.filter.enabled(m.id);
    let settings = &opts.settings;
    let db_ref = &db;

    // JSON: classify by a cheap sniff, parse parameter files, pair them with templates.
    let sniffed: Vec<(FileId, JsonKind)> = json
        .par_iter()
        .map(|id| {
            let kind = match db_ref.text(*id) {
                Ok(t) => arm::sniff(t),
                Err(_) => JsonKind::Template,
            };
            (*id, kind)
        })
        .collect();
    let mut templates = Vec::new();
    let mut param_ids = Vec::new();
    let mut plans = Vec::new();
    let mut skipped_json = 0;
    for (id, kind) in sniffed {
        match kind {
            JsonKind::Template => templates.push(id),
            JsonKind::Parameters => param_ids.push(id),
            JsonKind::Plan => plans.push(id),
            JsonKind::Other => skipped_json += 1,
        }
    }
    phase("json sniffed");
    let parsed_params: Vec<Result<ParameterFile, Diagnostic>> = param_ids
        .par_iter()
        .map(|id| arm::parse_parameter_file(db_ref, *id))
        .collect();
    let mut params = Vec::new();
    for p in parsed_params {
        match p {
            Ok(pf) => params.push(pf),
            Err(d) => diags.push(d),
        }
    }
    let template_paths: Vec<(FileId, &Path)> =
        templates.iter().map(|t| (*t, db_ref.path(*t))).collect();
    let param_paths: Vec<(&ParameterFile, &Path)> =
        params.iter().map(|p| (p, db_ref.path(p.file))).collect();
    let explicit_refs: Vec<&ParameterFile> = explicit_params.iter().collect();
    let pairing = arm::pair_parameter_files(&template_paths, &param_paths, &explicit_refs);

    // The units, in parallel: Terraform roots, ARM templates, plans.
    enum Unit<'a> {
        TfRoot(&'a (PathBuf, terraform::Role)),
        Arm(FileId),
        Plan(FileId),
    }
    let units: Vec<Unit<'_>> = roots
        .iter()
        .map(Unit::TfRoot)
        .chain(templates.iter().map(|t| Unit::Arm(*t)))
        .chain(plans.iter().map(|p| Unit::Plan(*p)))
        .collect();
    phase("parameters parsed");
    let results: Vec<UnitResult> = units
        .par_iter()
        .map(|u| match u {
            Unit::TfRoot((dir, role)) => {
                let anchor = set.modules.get(dir).and_then(|m| m.files.first().copied());
                guarded(anchor, || {
                    let Some(m) = set.modules.get(dir) else {
                        return UnitResult::default();
                    };
                    let model = terraform::evaluate(&set, m, *role, &inputs);
                    lint_model(&model, catalog, settings, &enabled)
                })
            }
            Unit::Arm(t) => guarded(Some(*t), || {
                let mapped = (!mapped_params.is_empty())
                    .then(|| mapped_params.get(&terraform::normalize(db_ref.path(*t))))
                    .flatten();
                let chosen: Vec<&ParameterFile> = if !explicit_refs.is_empty() {
                    explicit_refs.clone()
                } else if let Some(list) = mapped {
                    list.iter().collect()
                } else {
                    pairing
                        .get(t)
                        .map(|ix| ix.iter().filter_map(|i| params.get(*i)).collect())
                        .unwrap_or_default()
                };
                let unit = arm::build(db_ref, *t, &chosen);
                let mut r = UnitResult {
                    diagnostics: unit.diagnostics,
                    files: usize::from(unit.is_template),
                    ..Default::default()
                };
                for model in &unit.models {
                    let mr = lint_model(model, catalog, settings, &enabled);
                    r.diagnostics.extend(mr.diagnostics);
                    r.resources = r.resources.max(mr.resources);
                }
                r
            }),
            Unit::Plan(p) => guarded(Some(*p), || {
                let unit = terraform::plan::build(db_ref, *p);
                let mut r = UnitResult {
                    diagnostics: unit.diagnostics,
                    ..Default::default()
                };
                if let Some(model) = &unit.model {
                    let mr = lint_model(model, catalog, settings, &enabled);
                    r.diagnostics.extend(mr.diagnostics);
                    r.resources = mr.resources;
                    r.files = 1;
                }
                r
            }),
        })
        .collect();

    let mut resources = 0;
    let mut files = 0;
    for r in results {
        diags.extend(r.diagnostics);
        resources += r.resources;
        files += r.files;
    }
    for m in set.modules.values() {
        diags.extend(m.diagnostics.iter().cloned());
        files += m.files.len();
    }
    files += params.len();

    phase("units linted");
    let mut diagnostics = finish(diags, &db, &opts.filter, found.named.as_ref());

    // Inline suppressions (ER003 for bad ones), then the baseline.
    let outlines: HashMap<FileId, &[Span]> = set
        .modules
        .values()
        .flat_map(|m| m.outline.iter().map(|(f, o)| (*f, o.as_slice())))
        .collect();
    let also_scan: Vec<FileId> = if opts.report_unused_ignores {
        let named = found.named.as_ref().map(|n| {
            n.iter()
                .map(|p| terraform::normalize(p))
                .collect::<HashSet<_>>()
        });
        outlines
            .keys()
            .copied()
            .chain(templates.iter().copied())
            .filter(|f| {
                named
                    .as_ref()
                    .is_none_or(|n| n.contains(&terraform::normalize(db.path(*f))))
            })
            .collect()
    } else {
        Vec::new()
    };
    let sopts = suppress::Options {
        today: suppress::Date::today(),
        report_unused: opts.report_unused_ignores,
        also_scan,
    };
    let problems = suppress::apply(&mut diagnostics, &db, &outlines, &sopts, &|id| {
        opts.filter.enabled(id)
    });
    if !problems.is_empty() {
        diagnostics.extend(problems);
        diagnostics = finish(diagnostics, &db, &opts.filter, found.named.as_ref());
    }
    if let Some(path) = &opts.write_baseline {
        let b = baseline::build(&diagnostics, &db, path);
        baseline::write(path, &b).map_err(|e| RunError::Input(Box::new(e)))?;
    }
    let baseline_path = opts.baseline.as_ref().or(opts.write_baseline.as_ref());
    let baseline = match baseline_path {
        Some(path) => {
            let b = baseline::read(path).map_err(|e| RunError::Input(Box::new(e)))?;
            let named_keys = found.named.as_ref().map(|n| {
                n.iter()
                    .map(|p| baseline::file_key_of(p, path))
                    .collect::<HashSet<_>>()
            });
            Some(baseline::apply(
                &mut diagnostics,
                &db,
                &b,
                path,
                named_keys.as_ref(),
            ))
        }
        None => None,
    };
    phase("finished");
    Ok(Report {
        db,
        diagnostics,
        files,
        resources,
        skipped_json,
        duration: start.elapsed(),
        baseline,
        modules: set,
    })
}

#[derive(Default)]
struct UnitResult {
    diagnostics: Vec<Diagnostic>,
    resources: usize,
    files: usize,
}

fn lint_model(
    model: &Model,
    catalog: &Catalog,
    settings: &RuleSettings,
    enabled: &dyn Fn(&RuleMeta) -> bool,
) -> UnitResult {
    let mut out = model.notes.clone();
    rules::check_model(model, catalog, settings, enabled, &mut out);
    UnitResult {
        diagnostics: out,
        resources: model.resources.iter().filter(|r| r.reportable).count(),
        files: 0,
    }
}

/// Run `f`; a panic becomes ER000 at `anchor`.
fn guarded(anchor: Option<FileId>, f: impl FnOnce() -> UnitResult) -> UnitResult {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(payload) => {
            let msg = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            let meta = rules::meta("ER000");
            let file = anchor.unwrap_or(FileId(0));
            let mut d = Diagnostic::new(
                meta.id,
                meta.name,
                meta.severity,
                Span::new(file, 0, 0),
                format!("internal error while linting this file: this is a bug in erlint ({msg})"),
            );
            d.help("please report it with the erlint version and, if you can, this file");
            UnitResult {
                diagnostics: vec![d],
                ..Default::default()
            }
        }
    }
}

/// In pre-commit mode a named module directory may be called by a module in a parent
/// directory: add the Terraform files of up to three ancestors (stopping at the
/// repository root) so the call, and its inputs, are seen.
fn add_caller_context(found: &mut Discovered) {
    let Some(named) = &found.named else { return };
    let mut dirs: HashSet<PathBuf> = HashSet::new();
    for f in named {
        let name = f.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if tf_file_kind(name).is_none() {
            continue;
        }
        let Some(dir) = f.parent() else { continue };
        let mut cur = terraform::normalize(dir);
        for _ in 0..3 {
            if cur.join(".git").exists() {
                break;
            }
            let Some(parent) = cur.parent().map(Path::to_path_buf) else {
                break;
            };
            cur = parent;
            dirs.insert(cur.clone());
        }
    }
    for d in dirs {
        for f in terraform::tf_files_in(&d) {
            found.files.insert(f);
        }
    }
}

/// Apply overrides, drop duplicates, filter to named files, sort.
fn finish(
    mut diags: Vec<Diagnostic>,
    db: &SourceDb,
    filter: &RuleFilter,
    named: Option<&std::collections::BTreeSet<PathBuf>>,
) -> Vec<Diagnostic> {
    diags.retain(|d| filter.enabled(d.code));
    for d in &mut diags {
        if d.severity != Severity::Info || rules::meta(d.code).severity == Severity::Info {
            d.severity = filter.severity(rules::meta(d.code));
        }
    }
    if let Some(named) = named {
        let named: HashSet<PathBuf> = named.iter().map(|p| terraform::normalize(p)).collect();
        let is_named = |f: FileId| named.contains(&terraform::normalize(db.path(f)));
        diags
            .retain(|d| is_named(d.primary.file) || d.labels.iter().any(|l| is_named(l.span.file)));
    }
    diags.sort_by(|a, b| {
        (
            db.display(a.primary.file),
            a.primary.start,
            a.primary.end,
            a.code,
            &a.message,
            &a.resource,
        )
            .cmp(&(
                db.display(b.primary.file),
                b.primary.start,
                b.primary.end,
                b.code,
                &b.message,
                &b.resource,
            ))
    });
    diags.dedup_by(|b, a| a.code == b.code && a.primary == b.primary && a.message == b.message);
    diags
}
