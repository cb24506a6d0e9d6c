//! Finding the files to lint: walking directories (ripgrep's `ignore` crate: `.gitignore`
//! and `.erlintignore` honoured, `.git/`, `.terraform/` and `node_modules/` skipped) and,
//! for file arguments (the pre-commit case), the context around each named file.

mod bicep;
mod callers;
mod callers_cache;
mod callers_index;
mod configured;
mod git_index;

pub use bicep::add_bicep_callers;
pub use callers::add_callers;
pub use callers_cache::CACHE_DIR;
pub use callers_cache::finish_writes;
pub use configured::{Applied, StagedVarFile, add_configured};
pub(crate) use git_index::count_index_files;

use crate::source::Overlay;
use crate::source::paths::{normalize, tf_file_kind};
use globset::{Glob, GlobSet, GlobSetBuilder};
use std::borrow::Cow;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Directories never descended into (even with `--no-ignore`).
pub const ALWAYS_SKIPPED: [&str; 4] = [".git", ".terraform", "node_modules", CACHE_DIR];

#[derive(Clone, Debug, Default)]
pub struct WalkOptions {
    pub no_ignore: bool,
    /// Walk hidden files and directories too (`--hidden`; `--no-ignore` implies it).
    pub hidden: bool,
    pub follow_links: bool,
    /// Use (read and write) the repository's cache of the pre-commit callers search,
    /// `.erlint_cache/` (see `discover/callers_cache.rs`). Off by default; the command line
    /// turns it on unless `--no-cache`.
    pub cache: bool,
    /// Take the callers search's Terraform files from git's index, the staged state
    /// (`--callers-from-index`; see `discover/callers_index.rs`).
    pub callers_from_index: bool,
    /// `--exclude` and the config's `exclude` globs.
    pub exclude: Vec<ExcludeGlob>,
}

/// An exclude pattern and the directory its paths are relative to: the current directory
/// for `--exclude`, the configuration file's directory for its `exclude`. A path is
/// excluded when the glob matches it relative to that directory, relative to the walked
/// directory, or its file name (or, for an absolute pattern, its absolute path); so
/// `a/b/**` and `./a/b/**` mean the same whether erlint is given `a`, `./a` or an
/// absolute path.
#[derive(Clone, Debug, Default)]
pub struct ExcludeGlob {
    pub pattern: String,
    pub base: PathBuf,
}

/// The exclude globs, compiled, grouped by base directory.
#[derive(Clone, Debug, Default)]
struct Excludes {
    sets: Vec<(PathBuf, GlobSet)>,
}

impl Excludes {
    fn new(globs: &[ExcludeGlob]) -> Result<Excludes, String> {
        let mut bases: Vec<PathBuf> = globs.iter().map(|g| normalize(&g.base)).collect();
        bases.sort();
        bases.dedup();
        let mut sets = Vec::new();
        for base in bases {
            let patterns: Vec<String> = globs
                .iter()
                .filter(|g| normalize(&g.base) == base)
                .map(|g| {
                    // `./gen/**` means `gen/**` relative to the base.
                    let p = g.pattern.as_str();
                    p.strip_prefix("./").unwrap_or(p).to_string()
                })
                .collect();
            sets.push((base, build_globset(&patterns)?));
        }
        Ok(Excludes { sets })
    }

    fn is_empty(&self) -> bool {
        self.sets.is_empty()
    }

    /// `path` as walked below `root` (whose absolute form is `abs_root`).
    fn matches(&self, root: &Path, abs_root: &Path, path: &Path, name: &str) -> bool {
        let rel = path.strip_prefix(root).unwrap_or(path);
        let abs = abs_root.join(rel);
        self.sets.iter().any(|(base, set)| {
            set.is_match(rel)
                || set.is_match(name)
                || set.is_match(&abs)
                || abs.strip_prefix(base).is_ok_and(|r| set.is_match(r))
        })
    }
}

/// What discovery found.
#[derive(Debug, Default)]
pub struct Discovered {
    /// Candidate files (Terraform, tfvars, JSON), sorted and unique.
    pub files: BTreeSet<PathBuf>,
    /// With file arguments: the named files; findings are reported for these only.
    pub named: Option<BTreeSet<PathBuf>>,
    /// Paths that could not be walked (permission denied, symlink loop), with the reason.
    pub errors: Vec<(PathBuf, String)>,
    /// Arguments that do not exist.
    pub missing: Vec<PathBuf>,
    /// Files with a Terraform or JSON name found by the walk that are not regular files
    /// (FIFOs, devices, symbolic links to them): never read, counted in the summary.
    pub special: Vec<PathBuf>,
}

/// Is this a file erlint reads (by name)?
pub fn is_candidate(path: &Path) -> bool {
    // Terraform reads a `.tf` file whatever the rest of its name is, UTF-8 or not.
    let Some(name) = path.file_name().map(|n| n.to_string_lossy()) else {
        return false;
    };
    let name = name.as_ref();
    tf_file_kind(name).is_some()
        || name.ends_with(".json")
        || name.ends_with(".jsonc")
        || crate::bicep::is_bicep_name(name)
}

pub fn build_globset(globs: &[String]) -> Result<GlobSet, String> {
    let mut b = GlobSetBuilder::new();
    for g in globs {
        let glob = Glob::new(g).map_err(|e| format!("invalid exclude pattern `{g}`: {e}"))?;
        b.add(glob);
        // `dir` also excludes everything below it.
        if !g.ends_with("/**")
            && let Ok(below) = Glob::new(&format!("{}/**", g.trim_end_matches('/')))
        {
            b.add(below);
        }
    }
    b.build().map_err(|e| e.to_string())
}

/// Walk the arguments. Directories are walked recursively; files are taken as named (even
/// if excluded or ignored) and their directories are added for context.
pub fn discover(paths: &[PathBuf], opts: &WalkOptions) -> Result<Discovered, String> {
    let exclude = Excludes::new(&opts.exclude)?;
    let mut out = Discovered::default();
    let mut named = BTreeSet::new();
    let mut context_dirs = BTreeSet::new();
    for p in paths {
        let meta = match std::fs::metadata(p) {
            Ok(m) => m,
            Err(e) => {
                if std::fs::symlink_metadata(p).is_ok() {
                    out.errors.push((p.clone(), "broken symbolic link".into()));
                } else if e.kind() == std::io::ErrorKind::NotFound {
                    out.missing.push(p.clone());
                } else {
                    out.errors.push((p.clone(), format!("cannot read: {e}")));
                }
                continue;
            }
        };
        if meta.is_dir() {
            walk_dir(p, opts, &exclude, &mut out);
        } else if !meta.is_file() {
            // A FIFO or device would block or never end: not read.
            out.errors
                .push((p.clone(), "not a regular file; not read".into()));
        } else {
            named.insert(p.clone());
            out.files.insert(p.clone());
            // The file's directory is read for context (variables, tfvars, parameter files).
            let dir = p
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            // Once per directory: a thousand named files in one large directory must not
            // read it a thousand times.
            if context_dirs.insert(dir.to_path_buf()) {
                add_dir_files(dir, &mut out);
            }
        }
    }
    if !named.is_empty() {
        out.named = Some(named);
    }
    Ok(out)
}

/// Named paths missing on disk whose text the overlay holds (an editor's unsaved buffer,
/// stdin for a new file): named files like any other, their directories read for context.
pub fn add_overlaid(found: &mut Discovered, overlay: &Overlay) {
    if overlay.is_empty() {
        return;
    }
    let (overlaid, missing): (Vec<PathBuf>, Vec<PathBuf>) = std::mem::take(&mut found.missing)
        .into_iter()
        .partition(|p| overlay.contains(p));
    found.missing = missing;
    for p in overlaid {
        found
            .named
            .get_or_insert_with(BTreeSet::new)
            .insert(p.clone());
        found.files.insert(p.clone());
        let dir = p
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        add_dir_files(dir, found);
    }
}

/// Candidate files directly in `dir` (not recursive).
pub(crate) fn add_dir_files(dir: &Path, out: &mut Discovered) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.filter_map(Result::ok) {
        let path = e.path();
        if e.file_type().map(|t| t.is_file()).unwrap_or(false) && is_candidate(&path) {
            out.files.insert(clean(&path));
        }
    }
}

/// `./a/b` → `a/b` (keeps display paths tidy).
fn clean(p: &Path) -> PathBuf {
    p.strip_prefix(".")
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| p.to_path_buf())
}

fn walk_dir(root: &Path, opts: &WalkOptions, exclude: &Excludes, out: &mut Discovered) {
    let mut b = ignore::WalkBuilder::new(root);
    b.follow_links(opts.follow_links)
        .git_ignore(!opts.no_ignore)
        .git_exclude(!opts.no_ignore)
        .git_global(!opts.no_ignore)
        .ignore(!opts.no_ignore)
        .parents(!opts.no_ignore)
        .hidden(!opts.no_ignore && !opts.hidden);
    if !opts.no_ignore {
        b.add_custom_ignore_filename(".erlintignore");
    }
    let root_owned = root.to_path_buf();
    let abs_root = normalize(root);
    let exclude = exclude.clone();
    b.filter_entry(move |e| {
        let name = e.file_name().to_str().unwrap_or("");
        if e.depth() > 0
            && e.file_type().is_some_and(|t| t.is_dir())
            && ALWAYS_SKIPPED.contains(&name)
        {
            return false;
        }
        if exclude.is_empty() {
            return true;
        }
        !exclude.matches(&root_owned, &abs_root, e.path(), name)
    });
    for entry in b.build() {
        match entry {
            Ok(e) => {
                let Some(t) = e.file_type() else { continue };
                if t.is_dir() || !is_candidate(e.path()) {
                    continue;
                }
                if t.is_file() {
                    out.files.insert(clean(e.path()));
                } else if is_special(e.path(), t.is_symlink()) {
                    out.special.push(clean(e.path()));
                }
            }
            Err(err) => {
                let path = error_path(&err).unwrap_or_else(|| root.to_path_buf());
                out.errors.push((clean(&path), describe_walk_error(&err)));
            }
        }
    }
}

/// A FIFO, socket or device, or a symbolic link to one (a link to a regular file or a
/// directory is the walk's to follow or not, see `--follow-links`).
fn is_special(path: &Path, symlink: bool) -> bool {
    if !symlink {
        return true;
    }
    std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

fn error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        ignore::Error::Partial(errs) => errs.iter().find_map(error_path),
        _ => None,
    }
}

fn describe_walk_error(err: &ignore::Error) -> String {
    match err {
        ignore::Error::Loop { ancestor, .. } => {
            format!(
                "symbolic link loop: it points back to `{}`; not followed",
                ancestor.display()
            )
        }
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => describe_walk_error(err),
        ignore::Error::Io(e) => format!("cannot read: {e}"),
        other => other.to_string(),
    }
}

/// The path shown in output: relative to `cwd` when under it, `/`-separated.
pub fn display_path(path: &Path, cwd: &Path) -> String {
    display_path_if_changed(path, cwd).unwrap_or_else(|| path.to_string_lossy().into_owned())
}

/// [`display_path`], or `None` when it is the path as written (a relative path in
/// printable ASCII without `\\` or a leading `./`: most of a walk's files), without
/// building it.
pub fn display_path_if_changed(path: &Path, cwd: &Path) -> Option<String> {
    if let Some(s) = path.to_str()
        && !path.is_absolute()
        && !s.is_empty()
        && !s.starts_with("./")
        && s.bytes().all(|b| (0x20..0x7f).contains(&b) && b != b'\\')
    {
        return None;
    }
    Some(display_path_built(path, cwd))
}

/// What `path.strip_prefix(cwd)` returns, found by comparing bytes (a walk's files are
/// thousands, and `strip_prefix` compares them component by component), when both are
/// written plainly: `cwd` absolute, no `//` or `/./`, no trailing `/` or `/.`, so that each
/// separator in the text separates two components. `None` otherwise, or when `path` is not
/// under `cwd` as written: the caller then asks `strip_prefix`.
#[cfg(unix)]
fn plainly_under<'a>(path: &'a Path, cwd: &Path) -> Option<&'a Path> {
    let plain = |s: &str| {
        !s.contains("//") && !s.contains("/./") && !s.ends_with('/') && !s.ends_with("/.")
    };
    let (p, c) = (path.to_str()?, cwd.to_str()?);
    let rest = p.strip_prefix(c)?.strip_prefix('/')?;
    (c.starts_with('/') && plain(p) && plain(c) && !rest.is_empty() && !rest.starts_with("./"))
        .then(|| Path::new(rest))
}

#[cfg(not(unix))]
fn plainly_under<'a>(_: &'a Path, _: &Path) -> Option<&'a Path> {
    None
}

fn display_path_built(path: &Path, cwd: &Path) -> String {
    let shown = if path.is_absolute() {
        plainly_under(path, cwd).unwrap_or_else(|| path.strip_prefix(cwd).unwrap_or(path))
    } else {
        path.strip_prefix(".").unwrap_or(path)
    };
    let s = shown.to_string_lossy();
    let s = if s.contains('\\') {
        Cow::Owned(s.replace('\\', "/"))
    } else {
        s
    };
    // A file name can hold an escape sequence too.
    let s = crate::diagnostic::escape_controls(&s).into_owned();
    if s.is_empty() { ".".into() } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn plainly_under_is_strip_prefix() {
        let cwds = [
            "/", "/w", "/w/", "/w/.", "/w//x", "/w/./x", "/w/x", "/wx", "", "w",
        ];
        let paths = [
            "/w/x/a.tf",
            "/w/x//a.tf",
            "/w/x/./a.tf",
            "/w/x/a/",
            "/w/x/a/.",
            "/w/x",
            "/w/xa/b.tf",
            "/w/x/../a.tf",
            "/w/./x/a.tf",
            "/wx/a.tf",
            "//w/x/a.tf",
        ];
        for c in cwds {
            for p in paths {
                let (p, c) = (Path::new(p), Path::new(c));
                if let Some(fast) = plainly_under(p, c) {
                    assert_eq!(
                        Some(fast.as_os_str()),
                        p.strip_prefix(c).ok().map(|r| r.as_os_str()),
                        "{p:?} {c:?}"
                    );
                }
            }
        }
        let (p, c) = (Path::new("/w/x/a.tf"), Path::new("/w"));
        assert_eq!(plainly_under(p, c), Some(Path::new("x/a.tf")));
    }

    #[test]
    fn candidates_by_name() {
        for ok in [
            "main.tf",
            "x.tf.json",
            "main.tofu",
            "x.tofu.json",
            "terraform.tfvars",
            "a.auto.tfvars.json",
            "azuredeploy.json",
            "t.jsonc",
            "main.bicep",
            "prod.bicepparam",
        ] {
            assert!(is_candidate(Path::new(ok)), "{ok}");
        }
        for no in ["README.md", "main.tf.bak", "x.yaml"] {
            assert!(!is_candidate(Path::new(no)), "{no}");
        }
    }

    #[test]
    fn hidden_directories_are_walked_when_asked() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join(".examples/basic")).unwrap();
        std::fs::create_dir_all(root.join(".terraform/modules/x")).unwrap();
        std::fs::write(root.join("main.tf"), "").unwrap();
        std::fs::write(root.join(".examples/basic/main.tf"), "").unwrap();
        std::fs::write(root.join(".terraform/modules/x/main.tf"), "").unwrap();
        let found = |opts: WalkOptions| {
            let d = discover(&[root.to_path_buf()], &opts).unwrap();
            d.files
                .iter()
                .map(|p| {
                    p.strip_prefix(root)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/")
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(found(WalkOptions::default()), ["main.tf"]);
        let hidden = WalkOptions {
            hidden: true,
            ..Default::default()
        };
        // `.terraform/` is never entered.
        assert_eq!(found(hidden), [".examples/basic/main.tf", "main.tf"]);
    }

    #[test]
    fn walk_skips_terraform_dirs_and_excludes() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join(".terraform/providers")).unwrap();
        std::fs::create_dir_all(root.join("node_modules/x")).unwrap();
        std::fs::create_dir_all(root.join("gen")).unwrap();
        std::fs::create_dir_all(root.join(CACHE_DIR)).unwrap();
        std::fs::write(root.join("main.tf"), "").unwrap();
        std::fs::write(root.join(".terraform/providers/cached.tf"), "").unwrap();
        // erlint's own cache, even with `--no-ignore` (its `.gitignore` would skip it).
        std::fs::write(root.join(CACHE_DIR).join("x.tf"), "").unwrap();
        std::fs::write(root.join("node_modules/x/a.json"), "{}").unwrap();
        std::fs::write(root.join("gen/out.tf"), "").unwrap();
        let d = discover(
            &[root.to_path_buf()],
            &WalkOptions {
                exclude: vec![ExcludeGlob {
                    pattern: "gen".into(),
                    base: root.to_path_buf(),
                }],
                ..Default::default()
            },
        )
        .unwrap();
        let names: Vec<_> = d
            .files
            .iter()
            .map(|p| p.file_name().unwrap().to_str().unwrap().to_string())
            .collect();
        assert_eq!(names, ["main.tf"]);
        let d = discover(
            &[root.to_path_buf()],
            &WalkOptions {
                no_ignore: true,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(d.files.len(), 2, "{:?}", d.files);
    }

    #[test]
    fn excludes_are_relative_to_their_base_however_the_path_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("a/b")).unwrap();
        std::fs::write(root.join("a/main.tf"), "").unwrap();
        std::fs::write(root.join("a/b/main.tf"), "").unwrap();
        let opts = WalkOptions {
            exclude: vec![ExcludeGlob {
                pattern: "a/b/**".into(),
                base: root.to_path_buf(),
            }],
            ..Default::default()
        };
        let spelled = |pattern: String| WalkOptions {
            exclude: vec![ExcludeGlob {
                pattern,
                base: root.to_path_buf(),
            }],
            ..Default::default()
        };
        for o in [
            spelled("./a/b/**".into()),
            spelled(format!("{}/a/b/**", normalize(root).display())),
        ] {
            let d = discover(&[root.join("a")], &o).unwrap();
            assert_eq!(d.files.len(), 1, "{:?}", o.exclude);
        }
        for arg in [root.join("a"), root.join("./a"), root.join("a/b/..")] {
            let d = discover(std::slice::from_ref(&arg), &opts).unwrap();
            let found: Vec<_> = d
                .files
                .iter()
                .map(|p| normalize(p).strip_prefix(root).unwrap().to_path_buf())
                .collect();
            assert_eq!(found, [PathBuf::from("a/main.tf")], "{}", arg.display());
        }
    }

    #[test]
    fn named_files_bring_their_directory() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("main.tf"), "").unwrap();
        std::fs::write(root.join("variables.tf"), "").unwrap();
        let d = discover(
            &[root.join("main.tf"), root.join("nope.tf")],
            &WalkOptions::default(),
        )
        .unwrap();
        assert_eq!(d.files.len(), 2);
        assert_eq!(d.named.unwrap().len(), 1);
        assert_eq!(d.missing.len(), 1);
    }
}
