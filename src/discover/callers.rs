//! Pre-commit context: the Terraform modules that call a named module directory.
//!
//! A commit that touches `modules/er/main.tf` names only that file, but the module's
//! inputs come from the directories that call it (`envs/prod` with
//! `source = "../../modules/er"`), which may sit anywhere in the repository. So for each
//! named directory that does not look like a root module, the directories around it are
//! searched for `.tf` and `.tf.json` files whose local module sources resolve to it,
//! widening one directory at a time up to the repository (the nearest ancestor with
//! `.git`; outside one, at most three levels up) until a chain of callers reaches a root
//! module outside the module's own directory; the callers' files are added as context.
//!
//! Cost: nothing for a named root module (provider, backend, tfvars, lock file); for a
//! named library module, one substring search per Terraform file of the area searched.

use super::{ALWAYS_SKIPPED, Discovered};
use crate::terraform::module::tf_file_kind;
use crate::terraform::{normalize, tf_files_in};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// How many levels of callers are followed (module → caller → its caller …).
const MAX_LEVELS: usize = 8;

/// Local module calls found so far: caller directory → called directories.
#[derive(Default)]
struct Calls {
    by_caller: HashMap<PathBuf, Vec<PathBuf>>,
    /// Files already read.
    read: HashSet<PathBuf>,
    /// Larger files are not read (0: no limit).
    max_file_size: u64,
}

impl Calls {
    /// Read the Terraform files below `area`, except below `done` (already read), in
    /// parallel.
    fn scan(&mut self, area: &Path, done: Option<&Path>) {
        use rayon::prelude::*;
        let files: Vec<PathBuf> = terraform_files(area, done)
            .into_iter()
            .filter(|f| !self.read.contains(f))
            .collect();
        let found: Vec<(PathBuf, Vec<PathBuf>)> = files
            .par_iter()
            .filter_map(|file| {
                // Files over the size limit are not read here either.
                let small = std::fs::metadata(file)
                    .is_ok_and(|m| self.max_file_size == 0 || m.len() <= self.max_file_size);
                let text = small
                    .then(|| std::fs::read_to_string(file).ok())
                    .flatten()?;
                let dir = normalize(file.parent().unwrap_or(Path::new(".")));
                let called: Vec<PathBuf> = local_sources(&text)
                    .into_iter()
                    .map(|src| normalize(&dir.join(src)))
                    .collect();
                (!called.is_empty()).then_some((dir, called))
            })
            .collect();
        self.read.extend(files);
        for (dir, called) in found {
            self.by_caller.entry(dir).or_default().extend(called);
        }
    }

    /// The directories that call `target`, directly or through other modules.
    fn callers_of(&self, target: &Path) -> BTreeSet<PathBuf> {
        let mut seen: BTreeSet<PathBuf> = BTreeSet::new();
        let mut frontier: BTreeSet<PathBuf> = [target.to_path_buf()].into_iter().collect();
        for _ in 0..MAX_LEVELS {
            let next: BTreeSet<PathBuf> = self
                .by_caller
                .iter()
                .filter(|(caller, called)| {
                    caller.as_path() != target
                        && !seen.contains(*caller)
                        && called.iter().any(|c| frontier.contains(c))
                })
                .map(|(caller, _)| caller.clone())
                .collect();
            if next.is_empty() {
                break;
            }
            seen.extend(next.iter().cloned());
            frontier = next;
        }
        seen
    }
}

/// Add the Terraform files of the directories that (transitively) call a named module.
///
/// The search widens one directory at a time, from the module's own directory up to the
/// repository root, and stops as soon as a chain of callers reaches a root module (whose
/// inputs are then all known): callers usually sit near the module, and a commit hook
/// must not read the whole monorepo when it need not.
pub fn add_callers(found: &mut Discovered, cwd: &Path, max_file_size: u64) {
    let Some(named) = &found.named else { return };
    let mut targets: BTreeSet<PathBuf> = BTreeSet::new();
    for f in named {
        let name = f.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if tf_file_kind(name).is_none() {
            continue;
        }
        let dir = normalize(f.parent().unwrap_or(Path::new(".")));
        if !looks_like_root(&dir, max_file_size) {
            targets.insert(dir);
        }
    }
    let cwd = normalize(cwd);
    let mut calls = Calls {
        max_file_size,
        ..Calls::default()
    };
    for target in targets {
        let top = search_top(&target, &cwd);
        let mut area = target.clone();
        let mut done: Option<PathBuf> = None;
        loop {
            calls.scan(&area, done.as_deref());
            let callers = calls.callers_of(&target);
            // A root inside the module (its `examples/`, `tests/`) is not the real caller.
            let reached_root = callers
                .iter()
                .any(|d| !d.starts_with(&target) && looks_like_root(d, max_file_size));
            let widen = area
                .parent()
                .filter(|_| area != top && area.starts_with(&top))
                .map(Path::to_path_buf);
            match widen {
                Some(parent) if !reached_root => {
                    done = Some(std::mem::replace(&mut area, parent));
                }
                _ => {
                    for c in &callers {
                        found.files.extend(tf_files_in(c));
                    }
                    break;
                }
            }
        }
    }
}

/// A directory with a provider or backend block, tfvars or a lock file is a root module;
/// nobody needs to be found to supply its inputs. Blocks are recognised at the start of a
/// line, so a comment that mentions one does not count.
fn looks_like_root(dir: &Path, max_file_size: u64) -> bool {
    if dir.join(".terraform.lock.hcl").is_file() || dir.join("terraform.tfvars").is_file() {
        return true;
    }
    tf_files_in(dir).iter().any(|f| {
        let name = f.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.ends_with(".tfvars") || name.ends_with(".tfvars.json") {
            return true;
        }
        let small =
            std::fs::metadata(f).is_ok_and(|m| max_file_size == 0 || m.len() <= max_file_size);
        small
            && std::fs::read_to_string(f).is_ok_and(|t| {
                t.lines().map(str::trim_start).any(|l| {
                    l.starts_with("provider \"")
                        || l.starts_with("backend \"")
                        || l.starts_with("cloud {")
                        || l.starts_with("\"provider\":")
                        || l.starts_with("\"backend\":")
                })
            })
    })
}

/// Where the search for callers stops widening: the nearest ancestor of `dir` holding
/// `.git`; outside a repository, three directories up and never above the current
/// directory (never a walk of the whole file system).
fn search_top(dir: &Path, cwd: &Path) -> PathBuf {
    let mut cur = Some(dir);
    while let Some(d) = cur {
        if d.join(".git").exists() {
            return d.to_path_buf();
        }
        cur = d.parent();
    }
    let mut top = dir.to_path_buf();
    for _ in 0..3 {
        if top == cwd {
            break;
        }
        match top.parent() {
            Some(p) if !p.as_os_str().is_empty() => top = p.to_path_buf(),
            _ => break,
        }
    }
    top
}

/// `.tf` and `.tf.json` files below `root`, as a walk of the repository finds them
/// (`.gitignore` honoured, `.git`, `.terraform` and `node_modules` skipped).
fn terraform_files(root: &Path, skip: Option<&Path>) -> Vec<PathBuf> {
    let mut b = ignore::WalkBuilder::new(root);
    let skip = skip.map(Path::to_path_buf);
    b.follow_links(false).filter_entry(move |e| {
        let name = e.file_name().to_str().unwrap_or("");
        let is_dir = e.file_type().is_some_and(|t| t.is_dir());
        !(e.depth() > 0
            && is_dir
            && (ALWAYS_SKIPPED.contains(&name) || skip.as_deref() == Some(e.path())))
    });
    b.build()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .map(ignore::DirEntry::into_path)
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with(".tf") || n.ends_with(".tf.json"))
        })
        .collect()
}

/// The local module sources written in a Terraform file: the string after `source =`
/// (HCL) or `"source":` (JSON) when it starts with `./` or `../`.
fn local_sources(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for (i, _) in text.match_indices("source") {
        let word_start = text
            .get(..i)
            .and_then(|b| b.chars().next_back())
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '-'));
        if !word_start {
            continue;
        }
        let Some(rest) = text.get(i + "source".len()..) else {
            continue;
        };
        // `source =` or `"source":`, then the opening quote.
        let rest = rest.strip_prefix('"').unwrap_or(rest).trim_start();
        let Some(rest) = rest.strip_prefix('=').or_else(|| rest.strip_prefix(':')) else {
            continue;
        };
        let Some(rest) = rest.trim_start().strip_prefix('"') else {
            continue;
        };
        let Some(end) = rest.find('"') else { continue };
        let Some(src) = rest.get(..end) else { continue };
        if src.starts_with("./") || src.starts_with("../") {
            out.push(src);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_in_hcl_and_json() {
        let hcl = "module \"er\" {\n  source   = \"../../modules/er\"\n  for_each = var.x\n}\nmodule \"r\" {\n  source = \"Azure/avm-res/azurerm\"\n}\n";
        assert_eq!(local_sources(hcl), ["../../modules/er"]);
        let json = r#"{"module": {"er": {"source": "./modules/er", "vlan": 100}}}"#;
        assert_eq!(local_sources(json), ["./modules/er"]);
        assert!(local_sources("data_source = \"./x\"").is_empty());
        assert!(local_sources("# source: ./x\n").is_empty());
    }

    #[test]
    fn callers_anywhere_in_the_repository() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        let w = |p: &str, t: &str| {
            let p = root.join(p);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, t).unwrap();
        };
        std::fs::create_dir_all(root.join(".git")).unwrap();
        // A comment that mentions a provider block does not make the module a root.
        w(
            "modules/er/main.tf",
            "# the caller configures provider \"azurerm\" {}\nvariable \"primary\" {}\n",
        );
        // A root inside the module (its example) does not end the search.
        w(
            "modules/er/examples/basic/main.tf",
            "provider \"azurerm\" {}\nmodule \"er\" {\n  source = \"../..\"\n}\n",
        );
        w(
            "modules/hub/main.tf",
            "module \"er\" {\n  source = \"../er\"\n}\n",
        );
        w(
            "envs/prod/main.tf",
            "provider \"azurerm\" {}\nmodule \"hub\" {\n  source = \"../../modules/hub\"\n}\n",
        );
        w("envs/dev/main.tf", "provider \"azurerm\" {}\n");
        let named = root.join("modules/er/main.tf");
        let mut found = Discovered {
            files: [named.clone()].into_iter().collect(),
            named: Some([named].into_iter().collect()),
            ..Default::default()
        };
        add_callers(&mut found, root, 0);
        let files: Vec<String> = found
            .files
            .iter()
            .map(|p| {
                normalize(p)
                    .strip_prefix(normalize(root))
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        assert_eq!(
            files,
            [
                "envs/prod/main.tf",
                "modules/er/examples/basic/main.tf",
                "modules/er/main.tf",
                "modules/hub/main.tf"
            ]
        );
    }
}
