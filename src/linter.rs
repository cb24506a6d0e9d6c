//! One lint run: discover, parse and evaluate in parallel, check every model, then apply
//! rule selection and severity overrides, drop duplicates, keep only findings about named
//! files (pre-commit mode) and sort.

use crate::arm::{self, JsonKind, ParameterFile};
use crate::baseline::{self, BaselineSummary};
use crate::bicep::{self, BicepSet};
use crate::catalog::Catalog;
use crate::coverage::{self, Coverage};
use crate::diagnostic::{Diagnostic, Severity};
use crate::discover::{self, Discovered, WalkOptions, display_path};
use crate::error::FileError;
use crate::model::Model;
use crate::rules::{self, RuleMeta, RuleSettings};
use crate::source::{FileId, Overlay, SourceDb, Span};
use crate::suppress;
use crate::terraform::module::{self, TfFileKind, tf_file_kind};
use crate::terraform::{self, CliVar, RootInputs};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
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
    /// The parsed modules, kept with the report so that a caller about to exit can skip
    /// freeing them (see `cli::check`).
    pub modules: terraform::ModuleSet,
    /// The parsed Bicep files, kept for the same reason.
    pub bicep: BicepSet,
    /// Resources per format, and every resource when [`Options::inventory`] is set.
    pub coverage: Coverage,
    /// What the run did not look at, for the summary.
    pub gaps: Gaps,
}

/// What a run left out that a reviewer should know of: rules the configuration turned
/// off or lowered, files that are not regular files.
#[derive(Clone, Debug, Default)]
pub struct Gaps {
    /// Rules that do not run, or run below their default severity (configuration,
    /// `--select`, `--ignore`).
    pub relaxed_rules: usize,
    /// FIFOs, devices and links to them with a Terraform or JSON name, not read.
    pub special_files: usize,
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
    let (found, staged) = find_files(opts)?;
    timer.phase("discovered");
    let mut db = SourceDb::with_overlay(opts.max_file_size, opts.overlay.clone());
    let mut diags: Vec<Diagnostic> = Vec::new();
    let mut files = register(&mut db, &found, &opts.cwd, &mut diags);
    // Bicep: every file parsed once, its references followed, before the parallel phase.
    let (bicep_set, bicep_params) = load_bicep(&mut db, &mut files, opts);
    diags.extend(bicep_set.diagnostics.iter().cloned());
    let mut inputs =
        command_line_inputs(&mut db, &mut files.by_path, opts, &bicep_params, &mut diags)?;
    add_staged_var_files(&db, &files.by_path, &staged, &mut inputs, &mut diags);
    timer.phase("registered");

    // Terraform: every module directory parsed once, module sources followed.
    let show = |p: &Path| display_path(p, &opts.cwd);
    let mut set = terraform::load(&mut db, files.tf_dirs, &show);
    let roots = terraform::units(&set, &files.scanned_tf);
    // Files Terraform reads with `file()`: templates it deploys are evaluated through
    // their deployments, not on their own.
    terraform::arm_deployment::template_files(&mut set, &mut db, &files.by_path, &show);
    timer.phase("terraform parsed");

    // JSON: templates, parameter files (paired with their templates), plans.
    let read: HashSet<FileId> = set.files.values().map(|f| f.id).collect();
    // JSON files Bicep reads with `load*()` are data the Bicep evaluates: never skipped.
    let mut used = inputs.param_files();
    used.extend(bicep_set.data_files());
    let mut json = classify_json(&db, &files.json, &used, &read, &mut diags);
    let generated = skip_generated(&db, &mut json.templates, &files.by_path);
    json.params.extend(bicep_params);
    let bicep_roots = bicep_set.roots();
    timer.phase("json classified");

    let catalog: &Catalog = match opts.catalog.as_deref() {
        Some(c) => c,
        None => Catalog::bundled(),
    };
    let checker = Checker {
        catalog,
        settings: &opts.settings,
        enabled: rules::RULES
            .iter()
            .map(|r| r.meta().id)
            .filter(|id| opts.filter.enabled(id))
            .collect(),
        inventory: opts.inventory,
    };
    let templates: Vec<FileId> = json.templates.iter().chain(&bicep_roots).copied().collect();
    let params = ParamChoice::new(&db, &templates, &json.params, &inputs);
    let units: Vec<Unit<'_>> = roots
        .iter()
        .map(|(dir, role)| Unit::TfRoot(dir, *role))
        .chain(json.templates.iter().map(|t| Unit::Arm(*t)))
        .chain(bicep_roots.iter().map(|t| Unit::Bicep(*t)))
        .chain(json.plans.iter().map(|p| Unit::Plan(*p)))
        .collect();
    let inputs_of = UnitInputs {
        set: &set,
        bicep: &bicep_set,
        terraform: &inputs.terraform,
        params: &params,
    };
    let results: Vec<UnitResult> = units
        .par_iter()
        .map(|u| lint_unit(u, &db, &inputs_of, &checker))
        .collect();

    let mut resources = 0;
    // Files Terraform reads with `file()` (templates, bodies, parameters) count as read.
    let read_files = set.files.values().filter(|f| f.text.is_ok()).count();
    let mut file_count = json.params.len() + read_files + bicep_set.templates_read();
    let mut skipped_json = json.skipped;
    let mut cov = Coverage::default();
    for r in results {
        diags.extend(r.diagnostics);
        resources += r.resources;
        file_count += r.files;
        skipped_json += r.skipped_json;
        cov.merge(r.coverage);
    }
    coverage::sort(&mut cov.entries, &db);
    for m in set.modules.values() {
        diags.extend(m.diagnostics.iter().cloned());
        file_count += m.files.len();
    }
    timer.phase("units linted");

    let named = named_with_inputs(found.named.as_ref(), opts);
    if let Some(named) = &named {
        // Named files: only their resources are listed.
        let named: HashSet<PathBuf> = named.iter().map(|p| terraform::normalize(p)).collect();
        cov.entries
            .retain(|e| named.contains(&terraform::normalize(db.path(e.at.file))));
    }
    let mut diagnostics = finish(diags, &db, &opts.filter, named.as_ref());
    apply_suppressions(
        &mut diagnostics,
        &db,
        &set,
        &templates,
        opts,
        named.as_ref(),
    );
    // After the suppressions, which see each instance's finding with its own scopes.
    let mut diagnostics = merge_repeats(diagnostics, &db);
    // Values from the scanned files must not act on the terminal or the CI log.
    for d in &mut diagnostics {
        d.escape_controls();
    }
    let baseline = apply_baseline(&mut diagnostics, &db, opts, named.as_ref())?;
    timer.phase("finished");
    Ok(Report {
        db,
        diagnostics,
        files: file_count,
        resources,
        skipped_json,
        skipped_generated: generated,
        duration: timer.elapsed(),
        baseline,
        modules: set,
        bicep: bicep_set,
        coverage: cov,
        gaps: Gaps {
            relaxed_rules: relaxed_rules(&opts.filter),
            special_files: found.special.len(),
        },
    })
}

/// How many rules `filter` turns off or lowers below their default severity.
fn relaxed_rules(filter: &RuleFilter) -> usize {
    rules::RULES
        .iter()
        .map(|r| r.meta())
        .filter(|m| !filter.enabled(m.id) || filter.severity(m) < m.severity)
        .count()
}

/// In pre-commit mode, the named files plus the input files the run was told to use
/// (`--parameters`, `arm.parameter_files` of a named template, `--var-file` and
/// `terraform.var_files`): they are inputs
/// as much as the named files, so their own problems (a parameter file that does not
/// parse) are reported.
fn named_with_inputs(
    named: Option<&BTreeSet<PathBuf>>,
    opts: &Options,
) -> Option<BTreeSet<PathBuf>> {
    let mut named = named?.clone();
    let is_named: HashSet<PathBuf> = named.iter().map(|p| terraform::normalize(p)).collect();
    let mapped = opts
        .parameter_map
        .iter()
        .filter(|(t, _)| is_named.contains(&terraform::normalize(t)))
        .flat_map(|(_, files)| files.iter());
    let var_files = opts.vars.iter().filter_map(|v| match v {
        VarArg::File(f) => Some(f),
        VarArg::Pair(..) => None,
    });
    named.extend(
        opts.parameters
            .iter()
            .chain(mapped)
            .chain(var_files)
            .cloned(),
    );
    Some(named)
}

/// `ERLINT_TIMINGS=1`: each phase's end time and the peak RSS so far (Linux) on stderr.
struct Timer {
    start: Instant,
    on: bool,
}

impl Timer {
    fn start() -> Timer {
        Timer {
            start: Instant::now(),
            on: std::env::var_os("ERLINT_TIMINGS").is_some(),
        }
    }

    fn elapsed(&self) -> Duration {
        self.start.elapsed()
    }

    fn phase(&self, name: &str) {
        if !self.on {
            return;
        }
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
            self.elapsed().as_secs_f64(),
            hwm.split_whitespace().collect::<Vec<_>>().join(" ")
        );
    }
}

/// The files to read: the arguments walked, and in pre-commit mode what named input files
/// configure and the callers' context; with the staged variable definitions files to apply.
fn find_files(opts: &Options) -> Result<(Discovered, Vec<discover::StagedVarFile>), RunError> {
    let paths = if opts.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        opts.paths.clone()
    };
    let mut found = discover::discover(&paths, &opts.walk).map_err(RunError::BadArgument)?;
    discover::add_overlaid(&mut found, &opts.overlay);
    if let Some(p) = found.missing.first() {
        return Err(RunError::MissingPath(p.display().to_string()));
    }
    let mut staged = Vec::new();
    if found.named.is_some() {
        let applied = discover::Applied {
            var_files: opts
                .vars
                .iter()
                .filter_map(|v| match v {
                    VarArg::File(f) => Some(f.clone()),
                    VarArg::Pair(..) => None,
                })
                .collect(),
            parameter_map: opts.parameter_map.clone(),
            overlay: opts.overlay.clone(),
        };
        staged = discover::add_configured(&mut found, &opts.cwd, &applied, opts.max_file_size);
        discover::add_callers(
            &mut found,
            &opts.cwd,
            opts.max_file_size,
            &opts.overlay,
            opts.walk.cache,
        );
        discover::add_bicep_callers(&mut found, &opts.cwd, opts.max_file_size, &opts.overlay);
    }
    Ok((found, staged))
}

/// Staged variable definitions files (pre-commit): parsed (their own errors reported) and
/// applied to the root each configures.
fn add_staged_var_files(
    db: &SourceDb,
    by_path: &HashMap<PathBuf, FileId>,
    staged: &[discover::StagedVarFile],
    inputs: &mut CliInputs,
    diags: &mut Vec<Diagnostic>,
) {
    for s in staged {
        let Some(&id) = by_path.get(&s.file) else {
            continue;
        };
        let (file, problems) = module::load_var_file(db, id);
        diags.extend(problems);
        if let Some(root) = &s.root {
            inputs
                .terraform
                .staged
                .push((terraform::normalize(root), file));
        }
    }
}

/// Discovered files, registered in the database and sorted by kind.
struct Registered {
    /// Terraform files by directory.
    tf_dirs: BTreeMap<PathBuf, Vec<FileId>>,
    /// Directories with configuration files (not only tfvars).
    scanned_tf: Vec<PathBuf>,
    json: Vec<FileId>,
    /// `.bicep` and `.bicepparam` files.
    bicep: Vec<FileId>,
    by_path: HashMap<PathBuf, FileId>,
}

fn register(
    db: &mut SourceDb,
    found: &Discovered,
    cwd: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Registered {
    // Paths that could not be walked.
    for (path, why) in &found.errors {
        let id = db.add(path.clone(), display_path(path, cwd));
        diags.push(crate::core::unreadable_file(
            Span::new(id, 0, 0),
            why.as_str(),
        ));
    }
    let mut tf_dirs: BTreeMap<PathBuf, Vec<FileId>> = BTreeMap::new();
    let mut scanned_tf = BTreeSet::new();
    let mut json = Vec::new();
    let mut bicep = Vec::new();
    let mut by_path = HashMap::new();
    for path in &found.files {
        let id = db.add(path.clone(), display_path(path, cwd));
        by_path.insert(path.clone(), id);
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        if bicep::is_bicep_name(&name) {
            bicep.push(id);
            continue;
        }
        let Some(kind) = tf_file_kind(&name) else {
            json.push(id);
            continue;
        };
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if matches!(kind, TfFileKind::Hcl | TfFileKind::Json) {
            scanned_tf.insert(dir.clone());
        }
        tf_dirs.entry(dir).or_default().push(id);
    }
    let scanned_tf = scanned_tf.into_iter().collect();
    Registered {
        tf_dirs,
        scanned_tf,
        json,
        bicep,
        by_path,
    }
}

/// Parse the run's Bicep files (and the `.bicepparam` files given by `--parameters` or
/// `arm.parameter_files`), follow their references, and evaluate the parameter files.
fn load_bicep(
    db: &mut SourceDb,
    files: &mut Registered,
    opts: &Options,
) -> (BicepSet, Vec<ParameterFile>) {
    let mut list = files.bicep.clone();
    let given = opts
        .parameters
        .iter()
        .chain(opts.parameter_map.iter().flat_map(|(_, f)| f.iter()));
    for p in given {
        if bicep::is_bicep_name(&p.to_string_lossy()) && p.is_file() {
            let id = *files
                .by_path
                .entry(p.clone())
                .or_insert_with(|| db.add(p.clone(), display_path(p, &opts.cwd)));
            list.push(id);
        }
    }
    list.sort();
    list.dedup();
    // One file found under two spellings of its path (relative, absolute) is one file.
    let absolute = |p: &Path| terraform::normalize(&opts.cwd.join(p));
    let mut seen = HashSet::new();
    list.retain(|id| seen.insert(absolute(db.path(*id))));
    let mut by_norm: Option<HashMap<PathBuf, FileId>> = None;
    let by_path = &mut files.by_path;
    let mut set = bicep::load(db, &list, &mut |db, p| {
        if let Some(id) = by_path.get(p) {
            return *id;
        }
        // Under another spelling? (Built on the first miss only.)
        let norm = by_norm
            .get_or_insert_with(|| by_path.iter().map(|(q, id)| (absolute(q), *id)).collect());
        let id = *norm
            .entry(absolute(p))
            .or_insert_with(|| db.add(p.to_path_buf(), display_path(p, &opts.cwd)));
        by_path.insert(p.to_path_buf(), id);
        id
    });
    let param_files = set.param_files();
    set.evaluate_params(db, &param_files);
    let params = set.take_params();
    (set, params)
}

/// Drop Bicep's compiled `X.json` when its `X.bicep` is in the run: the Bicep file is
/// linted, so each defect is reported once, at its source. Returns how many were dropped.
fn skip_generated(
    db: &SourceDb,
    templates: &mut Vec<FileId>,
    by_path: &HashMap<PathBuf, FileId>,
) -> usize {
    let before = templates.len();
    templates.retain(|t| {
        let path = db.path(*t);
        let source = path.with_extension("bicep");
        let has_source =
            path.extension().is_some_and(|e| e == "json") && by_path.contains_key(&source);
        !(has_source && db.text(*t).is_ok_and(bicep::is_generated))
    });
    before - templates.len()
}

/// What the command line and the configuration add: Terraform variables (`TF_VAR_*`,
/// `--var-file`, `--var`) and ARM parameter files (`--parameters`, `arm.parameter_files`).
struct CliInputs {
    terraform: RootInputs,
    explicit_params: Vec<ParameterFile>,
    mapped_params: HashMap<PathBuf, Vec<ParameterFile>>,
}

fn command_line_inputs(
    db: &mut SourceDb,
    by_path: &mut HashMap<PathBuf, FileId>,
    opts: &Options,
    bicep_params: &[ParameterFile],
    diags: &mut Vec<Diagnostic>,
) -> Result<CliInputs, RunError> {
    let show = |p: &Path| display_path(p, &opts.cwd);
    let mut terraform = RootInputs {
        env: std::env::vars()
            .filter_map(|(k, v)| k.strip_prefix("TF_VAR_").map(|n| (n.to_string(), v)))
            .collect(),
        cli: Vec::new(),
        staged: Vec::new(),
    };
    for v in &opts.vars {
        match v {
            VarArg::Pair(n, val) => terraform.cli.push(CliVar::Pair(n.clone(), val.clone())),
            VarArg::File(p) => {
                if !p.exists() {
                    return Err(RunError::MissingPath(p.display().to_string()));
                }
                let id = db.add(p.clone(), show(p));
                let (file, problems) = module::load_var_file(db, id);
                diags.extend(problems);
                terraform.cli.push(CliVar::File(file));
            }
        }
    }
    let mut parse_param = |p: &PathBuf, db: &mut SourceDb, diags: &mut Vec<Diagnostic>| {
        let id = *by_path
            .entry(p.clone())
            .or_insert_with(|| db.add(p.clone(), show(p)));
        // A `.bicepparam` file was evaluated with the Bicep files.
        if let Some(pf) = bicep_params.iter().find(|pf| pf.file == id) {
            return pf.clone();
        }
        // A file that does not parse is still used, with every value Unknown.
        let (pf, problem) = arm::load_parameter_file(db, id);
        diags.extend(problem);
        pf
    };
    let mut explicit_params = Vec::new();
    for p in &opts.parameters {
        if !p.exists() {
            return Err(RunError::MissingPath(p.display().to_string()));
        }
        explicit_params.push(parse_param(p, db, diags));
    }
    let mut mapped_params = HashMap::new();
    for (template, files) in &opts.parameter_map {
        let list = files.iter().map(|p| parse_param(p, db, diags)).collect();
        mapped_params.insert(terraform::normalize(template), list);
    }
    Ok(CliInputs {
        terraform,
        explicit_params,
        mapped_params,
    })
}

impl CliInputs {
    /// The parameter files named by `--parameters` or `arm.parameter_files`.
    fn param_files(&self) -> HashSet<FileId> {
        self.explicit_params
            .iter()
            .chain(self.mapped_params.values().flatten())
            .map(|p| p.file)
            .collect()
    }
}

/// JSON files by what a cheap sniff says they are; parameter files parsed.
struct JsonFiles {
    templates: Vec<FileId>,
    params: Vec<ParameterFile>,
    plans: Vec<FileId>,
    /// Neither ARM nor Terraform.
    skipped: usize,
}

/// `inputs`: parameter files the run was told to use (read already), never "skipped";
/// `read`: JSON files Terraform reads with `file()` (evaluated there, whatever they are).
fn classify_json(
    db: &SourceDb,
    json: &[FileId],
    inputs: &HashSet<FileId>,
    read: &HashSet<FileId>,
    diags: &mut Vec<Diagnostic>,
) -> JsonFiles {
    let sniffed: Vec<(FileId, JsonKind)> = json
        .par_iter()
        .map(|id| {
            let kind = match db.text(*id) {
                Ok(t) => arm::sniff(t),
                // Too large or not UTF-8: a template is reported (ER002), other JSON skipped.
                Err(_) => arm::sniff_file_start(db.path(*id)),
            };
            (*id, kind)
        })
        .collect();
    let mut out = JsonFiles {
        templates: Vec::new(),
        params: Vec::new(),
        plans: Vec::new(),
        skipped: 0,
    };
    let mut param_ids = Vec::new();
    for (id, kind) in sniffed {
        // Read by Terraform's `file()`: evaluated there, whatever it looks like.
        if read.contains(&id) {
            continue;
        }
        match kind {
            JsonKind::Template => out.templates.push(id),
            JsonKind::Parameters => param_ids.push(id),
            JsonKind::Plan => out.plans.push(id),
            JsonKind::Other if !inputs.contains(&id) => {
                out.skipped += 1;
                diags.extend(coverage::unevaluated_json(db, id));
            }
            JsonKind::Other => {}
        }
    }
    // A parameter file that does not parse still pairs by its name, with every value
    // Unknown.
    let parsed: Vec<(ParameterFile, Option<Diagnostic>)> = param_ids
        .par_iter()
        .map(|id| arm::load_parameter_file(db, *id))
        .collect();
    for (pf, problem) in parsed {
        diags.extend(problem);
        out.params.push(pf);
    }
    out
}

/// Which parameter files each template is evaluated with: `--parameters` for all, else
/// the configuration's `arm.parameter_files`, else pairing by hint and naming.
struct ParamChoice<'a> {
    explicit: Vec<&'a ParameterFile>,
    mapped: &'a HashMap<PathBuf, Vec<ParameterFile>>,
    pairing: HashMap<FileId, Vec<usize>>,
    params: &'a [ParameterFile],
}

impl<'a> ParamChoice<'a> {
    fn new(
        db: &SourceDb,
        templates: &[FileId],
        params: &'a [ParameterFile],
        inputs: &'a CliInputs,
    ) -> ParamChoice<'a> {
        let explicit: Vec<&ParameterFile> = inputs.explicit_params.iter().collect();
        let template_paths: Vec<(FileId, &Path)> =
            templates.iter().map(|t| (*t, db.path(*t))).collect();
        let param_paths: Vec<(&ParameterFile, &Path)> =
            params.iter().map(|p| (p, db.path(p.file))).collect();
        let pairing = arm::pair_parameter_files(&template_paths, &param_paths, &explicit);
        ParamChoice {
            explicit,
            mapped: &inputs.mapped_params,
            pairing,
            params,
        }
    }

    fn for_template(&self, db: &SourceDb, t: FileId) -> Vec<&'a ParameterFile> {
        if !self.explicit.is_empty() {
            return self.explicit.clone();
        }
        if let Some(list) = (!self.mapped.is_empty())
            .then(|| self.mapped.get(&terraform::normalize(db.path(t))))
            .flatten()
        {
            return list.iter().collect();
        }
        self.pairing
            .get(&t)
            .map(|ix| ix.iter().filter_map(|i| self.params.get(*i)).collect())
            .unwrap_or_default()
    }
}

/// Settings every unit checks with.
struct Checker<'a> {
    catalog: &'a Catalog,
    settings: &'a RuleSettings,
    /// The ids of the rules that run ([`RuleFilter::enabled`], decided once per run).
    enabled: Vec<&'static str>,
    /// List every resource ([`Options::inventory`]).
    inventory: bool,
}

impl Checker<'_> {
    /// Check one model evaluated as `unit` (its description, for the resource listing):
    /// every enabled rule, one at a time, so that a rule that panics is an ER000 and the
    /// other rules' findings are kept.
    fn lint(&self, model: &Model, unit: &str) -> UnitResult {
        let mut out = model.notes.clone();
        for rule in rules::RULES {
            let meta = rule.meta();
            let id = meta.id;
            if !meta.checks_model() || !self.enabled.contains(&id) {
                continue;
            }
            let mut found = Vec::new();
            let ran = catch_unwind(AssertUnwindSafe(|| {
                rules::check_model(
                    model,
                    self.catalog,
                    self.settings,
                    &|m: &RuleMeta| m.id == id,
                    &mut found,
                );
            }));
            out.append(&mut found);
            if let Err(payload) = ran {
                let at = model
                    .resources
                    .first()
                    .map_or(Span::new(FileId(0), 0, 0), |r| r.header);
                out.push(crate::panics::diagnostic(
                    at,
                    &format!(
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
    let (set, params) = (inputs.set, inputs.params);
    match unit {
        Unit::TfRoot(dir, role) => {
            let module = set.modules.get(*dir);
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
                checker.lint(&terraform::evaluate(set, m, *role, inputs.terraform), &unit)
            })
        }
        Unit::Arm(t) => guarded(Some(*t), || {
            let unit = arm::build(db, *t, &params.for_template(db, *t));
            let mut r = UnitResult {
                diagnostics: unit.diagnostics,
                files: usize::from(unit.is_template),
                // Its text looked like a template, its `$schema` says otherwise.
                skipped_json: usize::from(!unit.is_template),
                ..Default::default()
            };
            let name = format!("ARM template `{}`", db.display(*t));
            let mut entries = Vec::new();
            for model in &unit.models {
                let mr = checker.lint(model, &name);
                r.diagnostics.extend(mr.diagnostics);
                r.resources = r.resources.max(mr.resources);
                entries.extend(mr.coverage.entries);
            }
            r.coverage.count(&unit.models.iter().collect::<Vec<_>>());
            r.coverage.entries = entries;
            r
        }),
        Unit::Bicep(t) => guarded(Some(*t), || {
            let unit = bicep::build(db, inputs.bicep, *t, &params.for_template(db, *t));
            let mut r = UnitResult {
                diagnostics: unit.diagnostics,
                ..Default::default()
            };
            let name = format!("Bicep file `{}`", db.display(*t));
            let mut entries = Vec::new();
            for model in &unit.models {
                let mr = checker.lint(model, &name);
                r.diagnostics.extend(mr.diagnostics);
                r.resources = r.resources.max(mr.resources);
                entries.extend(mr.coverage.entries);
            }
            r.coverage.count(&unit.models.iter().collect::<Vec<_>>());
            r.coverage.entries = entries;
            r
        }),
        Unit::Plan(p) => guarded(Some(*p), || {
            let unit = terraform::plan::build(db, *p);
            let mut r = UnitResult {
                diagnostics: unit.diagnostics,
                ..Default::default()
            };
            if let Some(model) = &unit.model {
                let mr = checker.lint(model, &format!("plan `{}`", db.display(*p)));
                r.diagnostics.extend(mr.diagnostics);
                r.resources = mr.resources;
                r.coverage = mr.coverage;
                r.files = 1;
            }
            r
        }),
    }
}

/// Inline suppressions: mark covered findings, add ER003 for bad suppressions.
fn apply_suppressions(
    diagnostics: &mut Vec<Diagnostic>,
    db: &SourceDb,
    set: &terraform::ModuleSet,
    templates: &[FileId],
    opts: &Options,
    named: Option<&BTreeSet<PathBuf>>,
) {
    let outlines: HashMap<FileId, &[Span]> = set
        .modules
        .values()
        .flat_map(|m| m.outline.iter().map(|(f, o)| (*f, o.as_slice())))
        .collect();
    let also_scan: Vec<FileId> = if opts.report_unused_ignores {
        let named: Option<HashSet<PathBuf>> =
            named.map(|n| n.iter().map(|p| terraform::normalize(p)).collect());
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
    let problems = suppress::apply(diagnostics, db, &outlines, &sopts, &|id| {
        opts.filter.enabled(id)
    });
    if !problems.is_empty() {
        diagnostics.extend(problems);
        let all = std::mem::take(diagnostics);
        *diagnostics = finish(all, db, &opts.filter, named);
    }
}

/// `--write-baseline` then `--baseline`: findings in the baseline are marked suppressed.
fn apply_baseline(
    diagnostics: &mut [Diagnostic],
    db: &SourceDb,
    opts: &Options,
    named: Option<&BTreeSet<PathBuf>>,
) -> Result<Option<BaselineSummary>, RunError> {
    let keys_of = |path: &Path| {
        named.map(|n| {
            n.iter()
                .map(|p| baseline::file_key_of(p, path))
                .collect::<HashSet<_>>()
        })
    };
    if let Some(path) = &opts.write_baseline {
        let mut b = baseline::build(diagnostics, db, path);
        if let Some(keys) = keys_of(path)
            && let Ok(old) = baseline::read(path)
        {
            baseline::keep_other_files(&mut b, old, &keys);
        }
        baseline::write(path, &b).map_err(|e| RunError::Input(Box::new(e)))?;
    }
    let Some(path) = opts.baseline.as_ref().or(opts.write_baseline.as_ref()) else {
        return Ok(None);
    };
    let b = baseline::read(path).map_err(|e| RunError::Input(Box::new(e)))?;
    let named_keys = keys_of(path);
    Ok(Some(baseline::apply(
        diagnostics,
        db,
        &b,
        path,
        named_keys.as_ref(),
    )))
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
            let d = crate::panics::diagnostic(
                at,
                &format!("internal error while linting this unit: this is a bug in erlint ({msg})"),
            );
            UnitResult {
                diagnostics: vec![d],
                ..Default::default()
            }
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
        let Some(meta) = rules::find(d.code) else {
            continue;
        };
        if d.severity != Severity::Info || meta.severity == Severity::Info {
            d.severity = filter.severity(meta);
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
    diags
}

/// The outermost module call or nested deployment on the way to a finding.
fn outermost_call(d: &Diagnostic) -> Option<Span> {
    d.labels.iter().find(|l| l.context).map(|l| l.span)
}

/// One finding per place: the same rule, span and message reported again for another
/// module instance, module call or parameter file, with the same value origins (labels
/// other than the call chain), is merged into the first, whose note names the others.
/// Findings whose values came from different places (each parameter file's own entry,
/// each instance's own tfvars line) stay apart, each naming its source.
fn merge_repeats(diags: Vec<Diagnostic>, db: &SourceDb) -> Vec<Diagnostic> {
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
        let resource = d.resource.as_ref().filter(|_| d.resource != kept.resource);
        let file = d
            .parameter_file
            .filter(|_| d.parameter_file != kept.parameter_file)
            .map(|f| format!("parameter file `{}`", db.display(f)));
        // The call that leads here, when it is not the kept finding's.
        let call = outermost_call(&d)
            .filter(|c| Some(*c) != outermost_call(kept))
            .map(|c| {
                let at = db.line_col(c.file, c.start as usize);
                format!("called at {}:{}", db.display(c.file), at.line)
            });
        let context = match (file, call) {
            (Some(f), Some(c)) => Some(format!("{f}, {c}")),
            (f, c) => f.or(c),
        };
        let name = match (resource, context) {
            (Some(r), Some(c)) => Some(format!("`{r}` ({c})")),
            (Some(r), None) => Some(format!("`{r}`")),
            (None, Some(c)) if c.starts_with("called") => Some(format!(
                "`{}` {c}",
                d.resource.as_deref().unwrap_or("the resource")
            )),
            (None, c) => c,
        };
        if let Some(n) = name
            && seen.insert(n.clone())
        {
            names.push(n);
        }
    }
    for (d, (names, _)) in out.iter_mut().zip(also) {
        if names.is_empty() {
            continue;
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
    out
}
