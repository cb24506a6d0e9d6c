//! Pre-commit context: the Terraform modules that call a named module directory.
//!
//! A commit that touches `modules/er/main.tf` names only that file, but the module's
//! inputs come from the directories that call it (`envs/prod` with
//! `source = "../../modules/er"`), which may sit anywhere in the repository. So for each
//! named directory that does not look like a root module, the directories around it are
//! searched for `.tf` and `.tf.json` files whose local module sources resolve to it,
//! widening up to the repository (the nearest ancestor with `.git`, else the current
//! directory) until a chain of callers reaches a root module; the callers' files are
//! added as context.
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
}

impl Calls {
    /// Read the Terraform files below `area` not read yet (in parallel).
    fn scan(&mut self, area: &Path) {
        use rayon::prelude::*;
        let files: Vec<PathBuf> = terraform_files(area)
            .into_iter()
            .filter(|f| !self.read.contains(f))
            .collect();
        let found: Vec<(PathBuf, Vec<PathBuf>)> = files
            .par_iter()
            .filter_map(|file| {
                let text = std::fs::read_to_string(file).ok()?;
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
pub fn add_callers(found: &mut Discovered, cwd: &Path) {
    let Some(named) = &found.named else { return };
    let mut targets: BTreeSet<PathBuf> = BTreeSet::new();
    for f in named {
        let name = f.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if tf_file_kind(name).is_none() {
            continue;
        }
        let dir = normalize(f.parent().unwrap_or(Path::new(".")));
        if !looks_like_root(&dir) {
            targets.insert(dir);
        }
    }
    let cwd = normalize(cwd);
    let mut calls = Calls::default();
    for target in targets {
        let top = repository_root(&target, &cwd);
        let mut area = target.clone();
        loop {
            calls.scan(&area);
            let callers = calls.callers_of(&target);
            let reached_root = callers.iter().any(|d| looks_like_root(d));
            let widen = area
                .parent()
                .filter(|_| area != top && area.starts_with(&top));
            match widen {
                Some(parent) if !reached_root => area = parent.to_path_buf(),
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
/// nobody needs to be found to supply its inputs.
fn looks_like_root(dir: &Path) -> bool {
    if dir.join(".terraform.lock.hcl").is_file() || dir.join("terraform.tfvars").is_file() {
        return true;
    }
    tf_files_in(dir).iter().any(|f| {
        let name = f.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.ends_with(".tfvars") || name.ends_with(".tfvars.json") {
            return true;
        }
        std::fs::read_to_string(f).is_ok_and(|t| {
            t.contains("provider \"") || t.contains("backend \"") || t.contains("cloud {")
        })
    })
}

/// The nearest ancestor of `dir` holding `.git`; else the current directory when `dir`
/// is below it; else `dir` itself (never a walk of the whole file system).
fn repository_root(dir: &Path, cwd: &Path) -> PathBuf {
    let mut cur = Some(dir);
    while let Some(d) = cur {
        if d.join(".git").exists() {
            return d.to_path_buf();
        }
        cur = d.parent();
    }
    if dir.starts_with(cwd) {
        return cwd.to_path_buf();
    }
    dir.to_path_buf()
}

/// `.tf` and `.tf.json` files below `root`, as a walk of the repository finds them
/// (`.gitignore` honoured, `.git`, `.terraform` and `node_modules` skipped).
fn terraform_files(root: &Path) -> Vec<PathBuf> {
    let mut b = ignore::WalkBuilder::new(root);
    b.follow_links(false).filter_entry(|e| {
        let name = e.file_name().to_str().unwrap_or("");
        !(e.depth() > 0
            && e.file_type().is_some_and(|t| t.is_dir())
            && ALWAYS_SKIPPED.contains(&name))
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
        w("modules/er/main.tf", "variable \"primary\" {}\n");
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
        add_callers(&mut found, root);
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
                "modules/er/main.tf",
                "modules/hub/main.tf"
            ]
        );
    }
}
