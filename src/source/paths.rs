//! Path and file-kind helpers shared by discovery, the baseline and the front ends: a
//! path made absolute and lexically normal, and which files of a directory Terraform
//! (or OpenTofu) reads.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};

/// A map keyed by [normalized](normalize) paths, hashed with foldhash and compared by their
/// bytes. std's `Path` hashes and compares component by component (a byte loop of about
/// 700 instructions to hash a path of a few components), and the Terraform scheduling looks
/// paths up tens of thousands of times a run; two normalized paths have the same
/// components exactly when they have the same bytes, so the bytes say the same. Every key
/// and every path looked up must be normalized. foldhash is seeded per process, like std's
/// SipHash.
#[derive(Clone, Debug)]
pub struct PathMap<V>(HashMap<OsString, V, foldhash::fast::RandomState>);

impl<V> Default for PathMap<V> {
    fn default() -> Self {
        PathMap(HashMap::default())
    }
}

impl<V> PathMap<V> {
    pub fn get(&self, path: &Path) -> Option<&V> {
        debug_assert!(is_normal(path), "not normalized: {}", path.display());
        self.0.get(path.as_os_str())
    }

    pub fn contains_key(&self, path: &Path) -> bool {
        debug_assert!(is_normal(path), "not normalized: {}", path.display());
        self.0.contains_key(path.as_os_str())
    }

    pub fn insert(&mut self, path: PathBuf, value: V) -> Option<V> {
        debug_assert!(is_normal(&path), "not normalized: {}", path.display());
        self.0.insert(path.into_os_string(), value)
    }

    pub fn entry(&mut self, path: PathBuf) -> Entry<'_, OsString, V> {
        debug_assert!(is_normal(&path), "not normalized: {}", path.display());
        self.0.entry(path.into_os_string())
    }

    pub fn remove(&mut self, path: &Path) -> Option<V> {
        debug_assert!(is_normal(path), "not normalized: {}", path.display());
        self.0.remove(path.as_os_str())
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn keys(&self) -> impl Iterator<Item = &Path> {
        self.0.keys().map(Path::new)
    }

    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.0.values()
    }
}

impl<V> FromIterator<(PathBuf, V)> for PathMap<V> {
    fn from_iter<I: IntoIterator<Item = (PathBuf, V)>>(iter: I) -> Self {
        PathMap(
            iter.into_iter()
                .map(|(p, v)| (p.into_os_string(), v))
                .collect(),
        )
    }
}

/// A set of [normalized](normalize) paths, hashed and compared like [`PathMap`]'s keys.
#[derive(Clone, Debug, Default)]
pub struct PathSet(HashSet<OsString, foldhash::fast::RandomState>);

impl PathSet {
    pub fn contains(&self, path: &Path) -> bool {
        debug_assert!(is_normal(path), "not normalized: {}", path.display());
        self.0.contains(path.as_os_str())
    }

    /// Whether `path` was not in the set yet.
    pub fn insert(&mut self, path: PathBuf) -> bool {
        debug_assert!(is_normal(&path), "not normalized: {}", path.display());
        self.0.insert(path.into_os_string())
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Path> {
        self.0.iter().map(Path::new)
    }
}

impl Extend<PathBuf> for PathSet {
    fn extend<I: IntoIterator<Item = PathBuf>>(&mut self, iter: I) {
        self.0.extend(iter.into_iter().map(PathBuf::into_os_string));
    }
}

impl FromIterator<PathBuf> for PathSet {
    fn from_iter<I: IntoIterator<Item = PathBuf>>(iter: I) -> Self {
        PathSet(iter.into_iter().map(PathBuf::into_os_string).collect())
    }
}

/// Absolute, with `.` and `..` removed lexically (symlinks are not resolved). On Unix a
/// relative path is taken from the current directory as it was at the first call (erlint
/// never changes it; asking the system each time cost a `getcwd` per path).
pub fn normalize(p: &Path) -> PathBuf {
    if is_plain_absolute(p) {
        return p.to_path_buf();
    }
    // The working directory, and whether it is written plainly.
    static CWD: std::sync::OnceLock<Option<(PathBuf, bool)>> = std::sync::OnceLock::new();
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else if !cfg!(unix) {
        std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
    } else {
        let cwd = CWD.get_or_init(|| {
            std::env::current_dir().ok().map(|c| {
                let plain = is_plain_absolute(&c);
                (c, plain)
            })
        });
        match cwd {
            // A plain relative path below a plain working directory: normal once joined.
            Some((cwd, true)) if is_plain_relative(p) => return cwd.join(p),
            Some((cwd, _)) if !p.as_os_str().is_empty() => cwd.join(p),
            _ => std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf()),
        }
    };
    lexical(&abs)
}

/// `normalize(&dir.join(rel))`: for a normalized `dir` (on Unix), only `rel`'s components
/// are resolved (the same result, without walking `dir`'s again); any other `dir` is
/// normalized with `rel`.
pub fn normalize_in(dir: &Path, rel: &Path) -> PathBuf {
    if rel.is_relative() && is_plain_absolute(dir) {
        join_lexically(dir, rel)
    } else {
        normalize(&dir.join(rel))
    }
}

/// `abs` with `.` and `..` removed lexically.
fn lexical(abs: &Path) -> PathBuf {
    join_lexically(Path::new(""), abs)
}

/// `base` (taken as it is) joined with `rel`, whose `.` and `..` are resolved lexically:
/// `normalize(&base.join(rel))` for a `base` already normal, without taking `base` apart.
pub fn join_lexically(base: &Path, rel: &Path) -> PathBuf {
    let mut out = base.to_path_buf();
    for c in rel.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Already what [`normalize`] makes of it (Unix): absolute, with no empty, `.` or `..`
/// segment and no trailing `/` (its components, pushed again, give the same bytes).
/// A byte scan, instead of taking the path apart and building it again.
/// What the keys of [`PathMap`] and [`PathSet`], and the paths looked up in them, must be
/// (checked in debug builds: a path not normalized would silently miss).
fn is_normal(p: &Path) -> bool {
    !cfg!(unix) || is_plain_absolute(p)
}

/// Relative, with no `.`, `..` or empty segment (Unix).
fn is_plain_relative(p: &Path) -> bool {
    let bytes = p.as_os_str().as_encoded_bytes();
    cfg!(unix)
        && !bytes.is_empty()
        && !bytes.starts_with(b"/")
        && bytes
            .split(|&b| b == b'/')
            .all(|seg| !matches!(seg, b"" | b"." | b".."))
}

fn is_plain_absolute(p: &Path) -> bool {
    if !cfg!(unix) {
        return false;
    }
    let bytes = p.as_os_str().as_encoded_bytes();
    let Some(rest) = bytes.strip_prefix(b"/") else {
        return false;
    };
    rest.is_empty()
        || rest
            .split(|&b| b == b'/')
            .all(|seg| !matches!(seg, b"" | b"." | b".."))
}

/// Which files of a directory feed a module.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum TfFileKind {
    Hcl,
    Json,
    Tfvars,
    TfvarsJson,
}

/// Classify a file name; `None` for files that are not Terraform. OpenTofu's `.tofu` and
/// `.tofu.json` files are read like `.tf` and `.tf.json`.
pub fn tf_file_kind(name: &str) -> Option<TfFileKind> {
    if name.ends_with(".tf.json") || name.ends_with(".tofu.json") {
        Some(TfFileKind::Json)
    } else if name.ends_with(".tf") || name.ends_with(".tofu") {
        Some(TfFileKind::Hcl)
    } else if name.ends_with(".tfvars.json") {
        Some(TfFileKind::TfvarsJson)
    } else if name.ends_with(".tfvars") {
        Some(TfFileKind::Tfvars)
    } else {
        None
    }
}

/// Whether OpenTofu reads `name` at all: a `x.tf` (`x.tf.json`) beside a `x.tofu`
/// (`x.tofu.json`) in the same directory is replaced by it.
pub fn shadowed_by_tofu(name: &str, names_in_dir: &[impl AsRef<str>]) -> bool {
    let (stem, tofu) = if let Some(stem) = name.strip_suffix(".tf.json") {
        (stem, ".tofu.json")
    } else if let Some(stem) = name.strip_suffix(".tf") {
        (stem, ".tofu")
    } else {
        return false;
    };
    // `{stem}{tofu}` among the names, without building it.
    names_in_dir
        .iter()
        .any(|n| n.as_ref().strip_prefix(stem) == Some(tofu))
}

/// Whether Terraform loads a tfvars file automatically (and its rank in Terraform's order).
pub fn auto_tfvars_rank(name: &str) -> Option<(u8, String)> {
    match name {
        "terraform.tfvars" => Some((0, String::new())),
        "terraform.tfvars.json" => Some((1, String::new())),
        n if n.ends_with(".auto.tfvars") || n.ends_with(".auto.tfvars.json") => {
            Some((2, n.to_string()))
        }
        _ => None,
    }
}

/// The Terraform files directly in `dir`, sorted.
pub fn tf_files_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = rd
        .filter_map(Result::ok)
        .filter(|e| e.file_type().map(|t| t.is_file()).unwrap_or(false))
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| tf_file_kind(&n.to_string_lossy()))
                .is_some()
        })
        .collect();
    files.sort();
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_absolute_paths_are_taken_as_they_are() {
        let paths = [
            "/",
            "/a",
            "/a/b.tf",
            "/a//b",
            "/a/./b",
            "/a/../b",
            "/a/b/",
            "/a/.",
            "/a/..",
            "//a",
            "/.hidden/x",
            "/a/..b/c.",
            "/a/...",
            "/a/b/../../..",
        ];
        for p in paths {
            let p = Path::new(p);
            assert_eq!(normalize(p), lexical(p), "{}", p.display());
            if is_plain_absolute(p) {
                assert_eq!(normalize(p).as_os_str(), p.as_os_str(), "{}", p.display());
            }
        }
        assert!(is_plain_absolute(Path::new("/a/b.tf")));
        assert!(!is_plain_absolute(Path::new("/a/./b")));
        assert!(!is_plain_absolute(Path::new("a/b")));
    }

    const RELATIVE: [&str; 14] = [
        "a",
        "a/b.tf",
        "a//b",
        "./a",
        "a/./b",
        "a/../b",
        "../a",
        "a/b/",
        "a/.",
        "a/..",
        ".hidden/x",
        "a/..b/c.",
        "a/...",
        "a/b/../../..",
    ];

    /// A plain relative path is joined to the working directory and taken as it is; the
    /// others are resolved: the same as the lexical resolution of the joined path.
    #[test]
    fn relative_paths_resolve_as_joined_to_the_working_directory() {
        let cwd = std::env::current_dir().unwrap();
        for p in RELATIVE {
            let p = Path::new(p);
            assert_eq!(normalize(p), lexical(&cwd.join(p)), "{}", p.display());
        }
        assert!(is_plain_relative(Path::new("a/b.tf")));
        assert!(is_plain_relative(Path::new(".hidden/x")));
        assert!(!is_plain_relative(Path::new("a/./b")));
        assert!(!is_plain_relative(Path::new("a/b/")));
        assert!(!is_plain_relative(Path::new("")));
        assert!(!is_plain_relative(Path::new("/a")));
    }

    /// `normalize_in` gives what `normalize` of the joined path gives, for normal and
    /// other directories, and relative and absolute second paths.
    #[test]
    fn normalize_in_is_normalize_of_the_join() {
        let dirs = [
            "/", "/a", "/a/b", "/a/./b", "/a/../b", "/a//b", "/a/b/", "rel/dir",
        ];
        let absolute = ["/x", "/x/../y", "/"];
        for dir in dirs {
            for rel in RELATIVE.iter().chain(&absolute) {
                let (dir, rel) = (Path::new(dir), Path::new(rel));
                assert_eq!(
                    normalize_in(dir, rel),
                    normalize(&dir.join(rel)),
                    "{} + {}",
                    dir.display(),
                    rel.display()
                );
            }
        }
    }
}
