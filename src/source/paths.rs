//! Path and file-kind helpers shared by discovery, the baseline and the front ends: a
//! path made absolute and lexically normal, and which files of a directory Terraform
//! (or OpenTofu) reads.

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

/// A map keyed by paths, hashed with foldhash: std's SipHash costs about a thousand
/// instructions for a path of a few components, and the Terraform scheduling looks paths
/// up tens of thousands of times a run. foldhash is seeded per process, like std's.
pub type PathMap<V> = HashMap<PathBuf, V, foldhash::fast::RandomState>;
/// A set of paths, hashed like [`PathMap`].
pub type PathSet = HashSet<PathBuf, foldhash::fast::RandomState>;

/// Absolute, with `.` and `..` removed lexically (symlinks are not resolved). On Unix a
/// relative path is taken from the current directory as it was at the first call (erlint
/// never changes it; asking the system each time cost a `getcwd` per path).
pub fn normalize(p: &Path) -> PathBuf {
    if is_plain_absolute(p) {
        return p.to_path_buf();
    }
    static CWD: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else if !cfg!(unix) {
        std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
    } else {
        match CWD.get_or_init(|| std::env::current_dir().ok()) {
            Some(cwd) if !p.as_os_str().is_empty() => cwd.join(p),
            _ => std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf()),
        }
    };
    lexical(&abs)
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
pub fn shadowed_by_tofu(name: &str, names_in_dir: &[String]) -> bool {
    let tofu = if let Some(stem) = name.strip_suffix(".tf.json") {
        format!("{stem}.tofu.json")
    } else if let Some(stem) = name.strip_suffix(".tf") {
        format!("{stem}.tofu")
    } else {
        return false;
    };
    names_in_dir.contains(&tofu)
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
}
