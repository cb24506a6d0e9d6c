//! Paths relative to the repository root, for the formats a CI system resolves against
//! its checkout (SARIF, GitHub annotations, GitLab Code Quality, Azure Pipelines): code
//! scanning ignores `originalUriBaseIds` and reads `infra/network/main.tf` from the
//! repository root, so `cd infra && erlint` must still say `infra/network/main.tf`.
//!
//! The repository root is the nearest directory at or above the current one that holds
//! `.git` (a directory, or a file for worktrees and submodules). Outside a repository,
//! paths stay relative to the current directory, as every other format shows them.

use crate::source::{FileId, SourceDb};
use std::path::{Component, Path, PathBuf};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RepoPaths {
    /// The directory paths are relative to (absolute): the repository root, else the
    /// current directory. `None`: paths are shown as erlint displays them.
    pub root: Option<PathBuf>,
    /// The current directory relative to `root`, `/`-separated (empty at the root).
    pub cwd_in_root: String,
}

impl RepoPaths {
    /// The repository that holds `cwd` (an absolute directory).
    pub fn detect(cwd: &Path) -> RepoPaths {
        let root = cwd
            .ancestors()
            .find(|dir| dir.join(".git").exists())
            .unwrap_or(cwd);
        let rel = cwd.strip_prefix(root).unwrap_or(Path::new(""));
        RepoPaths {
            root: Some(root.to_path_buf()),
            cwd_in_root: slashes(rel),
        }
    }

    /// The path of `file` relative to the root, `/`-separated; absolute (as displayed)
    /// when the file lies outside the root.
    pub fn path(&self, db: &SourceDb, file: FileId) -> String {
        self.of(db.display(file))
    }

    /// [`Self::path`] of a displayed path (relative to the current directory, or
    /// absolute).
    pub fn of(&self, display: &str) -> String {
        let shown = Path::new(display);
        if shown.is_absolute() {
            return match &self.root {
                Some(root) => match shown.strip_prefix(root) {
                    Ok(rel) => slashes(rel),
                    Err(_) => display.replace('\\', "/"),
                },
                None => display.replace('\\', "/"),
            };
        }
        let joined = Path::new(&self.cwd_in_root).join(shown);
        let mut parts: Vec<String> = Vec::new();
        for c in joined.components() {
            match c {
                Component::CurDir => {}
                Component::ParentDir => {
                    if parts.pop().is_none() {
                        // Above the root: no repository-relative name.
                        return match &self.root {
                            Some(root) => {
                                slashes(&crate::terraform::normalize(&root.join(&joined)))
                            }
                            None => display.replace('\\', "/"),
                        };
                    }
                }
                other => parts.push(other.as_os_str().to_string_lossy().into_owned()),
            }
        }
        parts.join("/")
    }
}

fn slashes(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(root: &str, cwd_in_root: &str) -> RepoPaths {
        RepoPaths {
            root: Some(PathBuf::from(root)),
            cwd_in_root: cwd_in_root.into(),
        }
    }

    #[test]
    fn relative_to_the_root_from_a_subdirectory() {
        let p = at("/home/runner/work/infra", "infra");
        assert_eq!(p.of("network/main.tf"), "infra/network/main.tf");
        assert_eq!(p.of("./network/../main.tf"), "infra/main.tf");
        assert_eq!(
            p.of("../modules/peering/main.tf"),
            "modules/peering/main.tf"
        );
        assert_eq!(
            p.of("/home/runner/work/infra/arm/circuit.json"),
            "arm/circuit.json"
        );
        // Outside the repository: absolute.
        assert_eq!(p.of("../../elsewhere.tf"), "/home/runner/work/elsewhere.tf");
        assert_eq!(p.of("/srv/other/main.tf"), "/srv/other/main.tf");
        // At the root, display paths are already repository-relative.
        assert_eq!(at("/r", "").of("network/main.tf"), "network/main.tf");
        assert_eq!(RepoPaths::default().of("a/./b.tf"), "a/b.tf");
    }

    #[test]
    fn detects_the_repository_root() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("repo");
        let cwd = root.join("infra/network");
        std::fs::create_dir_all(&cwd).unwrap();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        let p = RepoPaths::detect(&cwd);
        assert_eq!(p.root.as_deref(), Some(root.as_path()));
        assert_eq!(p.cwd_in_root, "infra/network");
        assert_eq!(p.of("main.tf"), "infra/network/main.tf");
        // A worktree's `.git` is a file.
        let wt = tmp.path().join("wt");
        std::fs::create_dir_all(wt.join("x")).unwrap();
        std::fs::write(wt.join(".git"), "gitdir: /elsewhere\n").unwrap();
        assert_eq!(RepoPaths::detect(&wt.join("x")).cwd_in_root, "x");
    }
}
