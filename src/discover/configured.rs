//! Pre-commit on a file that configures other files: a variable definitions file
//! (`env/prod.tfvars`) or an ARM parameter file staged alone. Such a file has no finding of
//! its own to report unless what it configures is linted with it applied, so the files it
//! configures are added to the run:
//!
//! - a variable definitions file that Terraform does not load by itself: the root module it
//!   configures. When the run applies it already (`--var-file`, `terraform.var_files`),
//!   that is the nearest root module at or above its directory; otherwise the nearest one
//!   that declares every variable the file sets, and the file is applied to that root only
//!   ([`StagedVarFile`]), after the command line's var files;
//! - an ARM parameter file: the templates it is for, by `arm.parameter_files` or its
//!   `metadata.template` (a template beside it, paired by name, is in the run already).
//!
//! Roots are told by the predicate evaluation uses (`terraform::standalone_role`); the search
//! goes up to the repository (as far as the search for callers goes). A Bicep parameter file
//! (`.bicepparam`, `using './main.bicep'`) fits the same shape: a staged input whose
//! `using` names what to lint.

use super::Discovered;
use super::callers::{Roots, read_within, search_top};
use crate::source::Overlay;
use crate::source::paths::{TfFileKind, auto_tfvars_rank, normalize, tf_file_kind, tf_files_in};
use crate::terraform::module::parse_tfvars;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// What the run applies already, by the command line and the configuration.
#[derive(Clone, Debug, Default)]
pub struct Applied {
    /// `--var-file` and `terraform.var_files`.
    pub var_files: Vec<PathBuf>,
    /// `arm.parameter_files`: template → its parameter files.
    pub parameter_map: Vec<(PathBuf, Vec<PathBuf>)>,
    /// Texts that stand in for files (stdin, an editor's buffers): read instead of disk.
    pub overlay: Overlay,
}

/// A staged variable definitions file and the root module it configures (`None` when none
/// was found: its own syntax is still checked, and a note says its values were not).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StagedVarFile {
    pub file: PathBuf,
    pub root: Option<PathBuf>,
    /// The run applies it already (`--var-file`, `terraform.var_files`): it is read and
    /// applied with the command line's, not as a staged file.
    pub applied: bool,
}

/// Add to `found` what the named input files configure; return the variable definitions
/// files to apply to one root each. Files over `max_file_size` (0: no limit) are not read.
pub fn add_configured(
    found: &mut Discovered,
    cwd: &Path,
    applied: &Applied,
    max_file_size: u64,
) -> Vec<StagedVarFile> {
    let Some(named) = found.named.clone() else {
        return Vec::new();
    };
    let cwd = normalize(cwd);
    let applied_vars: HashSet<PathBuf> = applied.var_files.iter().map(|p| normalize(p)).collect();
    let mut roots = Roots::new(max_file_size, &applied.overlay);
    let mut staged = Vec::new();
    for f in &named {
        let name = f.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let dir = normalize(
            f.parent()
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or(Path::new(".")),
        );
        match tf_file_kind(name) {
            Some(TfFileKind::Tfvars | TfFileKind::TfvarsJson)
                if auto_tfvars_rank(name).is_none() =>
            {
                let is_applied = applied_vars.contains(&normalize(f));
                let sets = if is_applied {
                    HashSet::new()
                } else {
                    variables_set(f, max_file_size, &applied.overlay)
                };
                let root = nearest_root(&mut roots, &dir, &cwd, &sets);
                if let Some(r) = &root {
                    found.files.extend(tf_files_in(r));
                }
                staged.push(StagedVarFile {
                    file: f.clone(),
                    root,
                    applied: is_applied,
                });
            }
            // A Bicep parameter file: the template its `using` names.
            None if name.ends_with(".bicepparam") => {
                if let Some(t) = super::bicep::using_template(f, max_file_size, &applied.overlay) {
                    found.files.insert(t);
                }
            }
            None if name.ends_with(".json") || name.ends_with(".jsonc") => {
                let have: HashSet<PathBuf> = found.files.iter().map(|p| normalize(p)).collect();
                let new: Vec<PathBuf> = templates_for(f, applied, max_file_size)
                    .into_iter()
                    .filter(|t| !have.contains(&normalize(t)))
                    .collect();
                found.files.extend(new);
            }
            _ => {}
        }
    }
    staged
}

/// The nearest root module at or above `dir` (up to the repository) that declares every
/// variable in `sets`.
fn nearest_root(
    roots: &mut Roots,
    dir: &Path,
    cwd: &Path,
    sets: &HashSet<String>,
) -> Option<PathBuf> {
    let top = search_top(dir, cwd);
    let mut cur = Some(dir);
    while let Some(d) = cur {
        let s = roots.summary(d);
        if s.root && sets.iter().all(|v| s.variables.contains(v)) {
            return Some(d.to_path_buf());
        }
        if d == top || !d.starts_with(&top) {
            break;
        }
        cur = d.parent();
    }
    None
}

/// The variables a variable definitions file sets (none when it cannot be read or parsed:
/// then any root will do, and the run reports the file's error).
fn variables_set(file: &Path, max_file_size: u64, overlay: &Overlay) -> HashSet<String> {
    let Some(text) = read_within(file, max_file_size, overlay) else {
        return HashSet::new();
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let is_json = file.to_string_lossy().ends_with(".json");
    parse_tfvars(crate::source::FileId(0), text, is_json)
        .map(|attrs| attrs.iter().map(|a| a.name.to_string()).collect())
        .unwrap_or_default()
}

/// `a/b/../c` → `a/c`, keeping a relative path relative (display paths stay tidy).
pub(super) fn lexical(p: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if out.file_name().is_some() => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The templates an ARM parameter file is for, besides those beside it: by
/// `arm.parameter_files`, and by its `metadata.template` (relative to the parameter file).
fn templates_for(file: &Path, applied: &Applied, max_file_size: u64) -> Vec<PathBuf> {
    let me = normalize(file);
    let mut out: Vec<PathBuf> = applied
        .parameter_map
        .iter()
        .filter(|(_, files)| files.iter().any(|p| normalize(p) == me))
        .map(|(t, _)| t.clone())
        .collect();
    let Some(text) = read_within(file, max_file_size, &applied.overlay) else {
        return out;
    };
    if crate::arm::sniff(&text) != crate::arm::JsonKind::Parameters {
        return out;
    }
    if let Some(hint) = crate::arm::template_hint(&text) {
        let t = lexical(
            &file
                .parent()
                .unwrap_or(Path::new("."))
                .join(hint.replace('\\', "/")),
        );
        if t.is_file() {
            out.push(t);
        }
    }
    out
}
