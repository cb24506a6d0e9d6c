//! Stage 1, inputs: the files found and registered, what the front ends must load whole
//! before units can be scheduled (every Bicep file's references), the command line's
//! variables and parameter files. The Terraform files are grouped by directory for
//! [`terraform::stream`]; the JSON files are classified once it has run
//! ([`Inputs::classify_json`]: a template Terraform reads with `file()` is evaluated there).

use super::timer::Timer;
use super::{Options, RunError, VarArg};
use crate::arm::{self, ParameterFile};
use crate::bicep::{self, BicepSet};
use crate::diagnostic::Diagnostic;
use crate::discover::{self, Discovered, display_path, display_path_if_changed};
use crate::source::{FileId, PathIndex, SourceDb, Span};
use crate::terraform::module::{self, TfFileKind, tf_file_kind};
use crate::terraform::{self, CliVar, RootInputs};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// What stage 1 hands on: every file registered, the front ends' shared state, the units
/// to evaluate and their inputs.
pub(super) struct Inputs {
    pub db: SourceDb,
    pub found: Discovered,
    /// Problems found so far (unreadable paths, Bicep references, input files).
    pub diags: Vec<Diagnostic>,
    /// The Terraform files by directory, for [`terraform::stream`].
    pub tf_dirs: BTreeMap<PathBuf, Vec<FileId>>,
    /// Directories with Terraform configuration files (not only tfvars).
    pub scanned_tf: Vec<PathBuf>,
    /// Every registered file by the path the walk gave it.
    pub by_path: PathIndex,
    pub bicep: BicepSet,
    /// The Bicep files no other calls as a module.
    pub bicep_roots: Vec<FileId>,
    /// The JSON files, classified once Terraform has said which it reads
    /// ([`Inputs::classify_json`]).
    pub json_files: Vec<FileId>,
    /// JSON files the run uses as inputs whatever they look like: parameter files named
    /// on the command line, data Bicep reads with `load*()`.
    pub json_inputs: HashSet<FileId>,
    /// `.bicepparam` files, evaluated: parameter files like the JSON ones.
    pub bicep_params: Vec<ParameterFile>,
    pub json: JsonFiles,
    /// Bicep's compiled `X.json` files skipped (their paths).
    pub generated: Vec<PathBuf>,
    pub cli: CliInputs,
}

impl Inputs {
    /// ARM and Bicep templates: the files parameter files pair with.
    pub fn templates(&self) -> Vec<FileId> {
        self.json
            .templates
            .iter()
            .chain(&self.bicep_roots)
            .copied()
            .collect()
    }
}

/// Stage 1: discover, register, load Bicep and the command line's inputs.
pub(super) fn gather(opts: &Options, timer: &Timer) -> Result<Inputs, RunError> {
    let (mut found, staged) = find_files(opts)?;
    timer.phase("discovered");
    let mut db = SourceDb::with_overlay(opts.max_file_size, opts.overlay.clone());
    let mut diags: Vec<Diagnostic> = Vec::new();
    let mut files = register(&mut db, &found, &opts.cwd, &mut diags);
    // Registered: the walk's list is not needed again.
    found.files = BTreeSet::new();
    // Bicep: every file parsed once, its references followed, before the parallel phase.
    let (bicep, bicep_params) = load_bicep(&mut db, &mut files, opts);
    diags.extend(bicep.diagnostics.iter().cloned());
    let mut cli =
        command_line_inputs(&mut db, &mut files.by_path, opts, &bicep_params, &mut diags)?;
    add_staged_var_files(&db, &files.by_path, &staged, &mut cli, &mut diags);
    timer.phase("registered");

    // JSON files Bicep reads with `load*()` are data the Bicep evaluates: never skipped.
    let mut json_inputs = cli.param_files();
    json_inputs.extend(bicep.data_files());
    let bicep_roots = bicep.roots();
    Ok(Inputs {
        db,
        found,
        diags,
        tf_dirs: files.tf_dirs,
        scanned_tf: files.scanned_tf,
        by_path: files.by_path,
        bicep,
        bicep_roots,
        json_files: files.json,
        json_inputs,
        bicep_params,
        json: JsonFiles::default(),
        generated: Vec::new(),
        cli,
    })
}

/// In pre-commit mode, the named files plus the input files the run was told to use
/// (`--parameters`, `arm.parameter_files` of a named template, `--var-file` and
/// `terraform.var_files`): they are inputs
/// as much as the named files, so their own problems (a parameter file that does not
/// parse) are reported. A compiled Bicep JSON that is named but was dropped for its
/// `.bicep` (`generated`, [`skip_generated`]) stands for that source: the `.bicep` is
/// named too, so that its findings are reported (else naming the JSON would report
/// nothing, and pass).
pub(super) fn named_with_inputs(
    named: Option<&BTreeSet<PathBuf>>,
    opts: &Options,
    generated: &[PathBuf],
) -> Option<BTreeSet<PathBuf>> {
    let mut named = named?.clone();
    let is_named: HashSet<PathBuf> = named.iter().map(|p| terraform::normalize(p)).collect();
    let sources = generated
        .iter()
        .filter(|json| is_named.contains(&terraform::normalize(json)))
        .map(|json| json.with_extension("bicep"));
    named.extend(sources);
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
        if opts.catalog.is_none() && !found.files.is_empty() {
            // Decoded on another core while the callers are searched for.
            crate::catalog::Catalog::decode_bundled_early();
        }
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
            opts.walk.callers_from_index,
        );
        discover::add_bicep_callers(
            &mut found,
            &opts.cwd,
            opts.max_file_size,
            &opts.overlay,
            opts.walk.callers_from_index,
        );
    }
    Ok((found, staged))
}

/// Staged variable definitions files (pre-commit): parsed (their own errors reported) and
/// applied to the root each configures.
fn add_staged_var_files(
    db: &SourceDb,
    by_path: &PathIndex,
    staged: &[discover::StagedVarFile],
    inputs: &mut CliInputs,
    diags: &mut Vec<Diagnostic>,
) {
    for s in staged {
        let Some(id) = by_path.get(db, &s.file) else {
            continue;
        };
        if s.root.is_none() {
            if s.applied {
                // Read here for the note's snippet (the run reads it under its own path).
                let _ = db.text(id);
            }
            diags.push(rootless_var_file(db, id, s.applied));
        }
        if s.applied {
            continue;
        }
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

/// In a whole run (no file named), the variable definitions files Terraform loads only when
/// told to (`env/prod.tfvars`; not `terraform.tfvars` or `*.auto.tfvars`) that the run does
/// not apply: their values were not checked, which the summary says.
pub(super) fn unapplied_var_files(inp: &Inputs, opts: &Options) -> usize {
    if inp.found.named.is_some() {
        return 0;
    }
    let applied: HashSet<PathBuf> = opts
        .vars
        .iter()
        .filter_map(|v| match v {
            VarArg::File(f) => Some(terraform::normalize(f)),
            VarArg::Pair(..) => None,
        })
        .collect();
    inp.tf_dirs
        .values()
        .flatten()
        .filter(|f| {
            let path = inp.db.path(**f);
            let name = path.file_name().map(|n| n.to_string_lossy());
            name.is_some_and(|n| {
                matches!(
                    tf_file_kind(&n),
                    Some(TfFileKind::Tfvars | TfFileKind::TfvarsJson)
                ) && module::auto_tfvars_rank(&n).is_none()
            }) && !applied.contains(&terraform::normalize(path))
        })
        .count()
}

/// ER004 on a staged variable definitions file that configures no root module erlint
/// found: nothing else would say that the values it sets were not checked. `applied`: the
/// run applies it already (its root is the nearest one at or above it, whatever it sets).
fn rootless_var_file(db: &SourceDb, id: FileId, applied: bool) -> Diagnostic {
    let shown = db.display(id);
    let (message, help) = if applied {
        (
            format!("no root module at or above the directory of `{shown}`, so the values it sets were not checked"),
            "the configuration (or `--var-file`) applies it to the root modules linted: lint the root module it configures, `erlint ROOT`".to_string(),
        )
    } else {
        (
            format!(
                "no root module at or above its directory declares every variable `{shown}` sets, so the values it sets were not checked"
            ),
            format!(
                "lint the root module it configures with it: `erlint ROOT --var-file {shown}`, or list it in .erlint.toml (`var_files` under `[terraform]`)"
            ),
        )
    };
    let mut d = crate::core::module_not_followed(Span::new(id, 0, 0), message);
    d.help(help);
    d
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
    by_path: PathIndex,
}

fn register(
    db: &mut SourceDb,
    found: &Discovered,
    cwd: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Registered {
    db.reserve(found.errors.len() + found.files.len());
    // Paths that could not be walked.
    for (path, why) in &found.errors {
        let id = db.add(path.clone(), display_path(path, cwd));
        diags.push(crate::core::unreadable_file(
            Span::new(id, 0, 0),
            why.as_str(),
        ));
    }
    let mut json = Vec::new();
    let mut bicep = Vec::new();
    // The walk's list is sorted by components, so a directory's files come in one
    // stretch, apart from its subdirectories' files, which can come between them. The
    // runs of the directories being walked are kept on a stack (each one's parent
    // below it), and a file coming back to its directory joins that directory's run:
    // one run per directory as the walk spells it, nearly in order already, so that
    // putting them in order (and merging any two spellings of a directory) costs
    // about one path comparison per directory. (With a run each time a directory came
    // back, `root`, `root/modules/x`, `root` for every root, the sort compared paths
    // ten times as often: 19 M instructions on the benchmark's 7,000 Terraform files.)
    let mut runs: Vec<(PathBuf, Vec<FileId>, bool)> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    let first = db.len() as u32;
    for path in &found.files {
        let id = db.add_shown(path.clone(), display_path_if_changed(path, cwd));
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
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let config = matches!(kind, TfFileKind::Hcl | TfFileKind::Json);
        while let Some(&i) = open.last() {
            let d = runs[i].0.as_os_str();
            if d == dir.as_os_str() || is_below(dir, d) {
                break;
            }
            open.pop();
        }
        match open.last() {
            Some(&i) if runs[i].0.as_os_str() == dir.as_os_str() => {
                runs[i].1.push(id);
                runs[i].2 |= config;
            }
            _ => {
                open.push(runs.len());
                runs.push((dir.to_path_buf(), vec![id], config));
            }
        }
    }
    runs.sort_by(|a, b| a.0.cmp(&b.0));
    let mut merged: Vec<(PathBuf, Vec<FileId>, bool)> = Vec::with_capacity(runs.len());
    for (dir, ids, config) in runs {
        match merged.last_mut() {
            Some((d, i, c)) if *d == dir => {
                i.extend(ids);
                *c |= config;
            }
            _ => merged.push((dir, ids, config)),
        }
    }
    let scanned_tf: Vec<PathBuf> = merged
        .iter()
        .filter(|(_, _, config)| *config)
        .map(|(d, _, _)| d.clone())
        .collect();
    let tf_dirs: BTreeMap<PathBuf, Vec<FileId>> =
        merged.into_iter().map(|(d, ids, _)| (d, ids)).collect();
    // The walk's set is sorted: its files are found by their ids, with no copy of the paths.
    let by_path = PathIndex::of_sorted(first..db.len() as u32);
    Registered {
        tf_dirs,
        scanned_tf,
        json,
        bicep,
        by_path,
    }
}

/// Whether `dir` is inside `parent` as the walk spells them (`parent/…`).
fn is_below(dir: &Path, parent: &OsStr) -> bool {
    dir.as_os_str()
        .as_encoded_bytes()
        .strip_prefix(parent.as_encoded_bytes())
        .is_some_and(|rest| rest.first() == Some(&b'/'))
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
            let id = files
                .by_path
                .get_or_add(db, p, || display_path(p, &opts.cwd));
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
        if let Some(id) = by_path.get(db, p) {
            return id;
        }
        // Under another spelling? (Built on the first miss only.)
        let norm = by_norm
            .get_or_insert_with(|| by_path.iter(db).map(|(q, id)| (absolute(q), id)).collect());
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

/// What the command line and the configuration add: Terraform variables (`TF_VAR_*`,
/// `--var-file`, `--var`) and ARM parameter files (`--parameters`, `arm.parameter_files`).
pub(super) struct CliInputs {
    pub terraform: RootInputs,
    pub explicit_params: Vec<ParameterFile>,
    pub mapped_params: HashMap<PathBuf, Vec<ParameterFile>>,
}

fn command_line_inputs(
    db: &mut SourceDb,
    by_path: &mut PathIndex,
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
        let id = by_path.get_or_add(db, p, || show(p));
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
#[derive(Default)]
pub(super) struct JsonFiles {
    pub templates: Vec<FileId>,
    pub params: Vec<ParameterFile>,
    pub plans: Vec<FileId>,
    /// Neither ARM nor Terraform.
    pub skipped: usize,
}
