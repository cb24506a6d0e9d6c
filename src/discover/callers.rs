//! Pre-commit context: the Terraform modules that call a named module directory.
//!
//! A commit that touches `modules/er/main.tf` names only that file, but the module's
//! inputs come from the directories that call it (`envs/prod` with
//! `source = "../../modules/er"`), which may sit anywhere in the repository. So for each
//! named directory that is not a root module (by `terraform::standalone_role`, the
//! predicate evaluation uses), the directories around it are
//! searched for `.tf` and `.tf.json` files whose local module sources resolve to it,
//! widening one directory at a time up to the repository (the nearest ancestor with
//! `.git`; outside one, at most three levels up) until a chain of callers reaches a root
//! module outside the module's own directory; the callers' files are added as context.
//!
//! Cost: parsing the named directory (and each caller found, once) to tell a root; for a
//! named library module, one substring search per Terraform file of the area searched.

use super::{ALWAYS_SKIPPED, Discovered};
use crate::source::{FileId, Overlay, SourceDb};
use crate::terraform::module::{ModuleIr, TfFileKind, local_sources, tf_file_kind};
use crate::terraform::{Role, normalize, standalone_role, tf_files_in};
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
    fn scan(&mut self, area: &Path, done: Option<&Path>, overlay: &Overlay) {
        use rayon::prelude::*;
        let files: Vec<PathBuf> = terraform_files(area, done)
            .into_iter()
            .filter(|f| !self.read.contains(f))
            .collect();
        let found: Vec<(PathBuf, Vec<PathBuf>)> = files
            .par_iter()
            .filter_map(|file| {
                // Files over the size limit are not read here either.
                let text = read_within(file, self.max_file_size, overlay)?;
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
pub fn add_callers(found: &mut Discovered, cwd: &Path, max_file_size: u64, overlay: &Overlay) {
    let Some(named) = &found.named else { return };
    let mut roots = Roots::new(max_file_size, overlay);
    let mut targets: BTreeSet<PathBuf> = BTreeSet::new();
    for f in named {
        let name = f.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if tf_file_kind(name).is_none() {
            continue;
        }
        // `main.tf` named in the current directory has an empty parent.
        let dir = normalize(
            f.parent()
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or(Path::new(".")),
        );
        if !roots.is_root(&dir) {
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
            calls.scan(&area, done.as_deref(), overlay);
            let callers = calls.callers_of(&target);
            // A root inside the module (its `examples/`, `tests/`) is not the real caller.
            let reached_root = callers
                .iter()
                .any(|d| !d.starts_with(&target) && roots.is_root(d));
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

/// What the pre-commit searches need to know about a directory, read once each: whether
/// it is a root module, by the predicate evaluation uses ([`standalone_role`]), and which
/// variables it declares.
#[derive(Default)]
pub(super) struct Roots {
    known: HashMap<PathBuf, DirSummary>,
    /// Texts read instead of the files on disk (stdin, an editor's buffers).
    overlay: Overlay,
    /// Larger files are not read (0: [`MAX_FILE_SIZE`]).
    max_file_size: u64,
}

#[derive(Clone, Default)]
pub(super) struct DirSummary {
    /// A root module with configuration (not a directory of tfvars only).
    pub root: bool,
    pub variables: HashSet<String>,
}

impl Roots {
    /// Files over `max_file_size` (the run's limit; 0: none) or over [`MAX_FILE_SIZE`] are
    /// not read; files in `overlay` are read from it.
    pub(super) fn new(max_file_size: u64, overlay: &Overlay) -> Roots {
        Roots {
            known: HashMap::new(),
            overlay: overlay.clone(),
            max_file_size,
        }
    }

    pub(super) fn summary(&mut self, dir: &Path) -> &DirSummary {
        let max_size = match self.max_file_size {
            0 => MAX_FILE_SIZE,
            n => n.min(MAX_FILE_SIZE),
        };
        let overlay = &self.overlay;
        self.known.entry(dir.to_path_buf()).or_insert_with(|| {
            let mut db = SourceDb::with_overlay(max_size, overlay.clone());
            let mut paths = tf_files_in(dir);
            // A file that exists only in the overlay (an unsaved buffer) is there too.
            for p in overlay.paths() {
                let is_tf = p
                    .file_name()
                    .and_then(|n| n.to_str())
                    .and_then(tf_file_kind)
                    .is_some();
                if is_tf && p.parent() == Some(dir) && !paths.iter().any(|f| normalize(f) == p) {
                    paths.push(p.to_path_buf());
                }
            }
            let files: Vec<FileId> = paths
                .into_iter()
                .map(|f| {
                    let shown = f.display().to_string();
                    db.add(f, shown)
                })
                .collect();
            let m = ModuleIr::load(&db, dir.to_path_buf(), String::new(), &files);
            let has_config = !m.resources.is_empty()
                || !m.module_calls.is_empty()
                || !m.providers.is_empty()
                || !m.variables.is_empty();
            DirSummary {
                root: has_config && standalone_role(&m) == Role::Root,
                variables: m.variables.iter().map(|v| v.name.to_string()).collect(),
            }
        })
    }

    pub(super) fn is_root(&mut self, dir: &Path) -> bool {
        self.summary(dir).root
    }
}

/// Files larger than this are not read to decide whether a directory is a root (the run
/// itself reports them).
const MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

/// The text of `file` (from `overlay` when it holds the file) unless it is larger than
/// `max_file_size` (the run's limit, 0: none) or cannot be read as UTF-8: the searches read
/// no more than the run would.
pub(super) fn read_within(file: &Path, max_file_size: u64, overlay: &Overlay) -> Option<String> {
    if let Some(text) = overlay.get(file) {
        let small = max_file_size == 0 || text.len() as u64 <= max_file_size;
        return small.then(|| text.to_string());
    }
    let small =
        std::fs::metadata(file).is_ok_and(|m| max_file_size == 0 || m.len() <= max_file_size);
    small.then(|| std::fs::read_to_string(file).ok()).flatten()
}

/// Where the search for callers stops widening: the nearest ancestor of `dir` holding
/// `.git`; outside a repository, three directories up and never above the current
/// directory (never a walk of the whole file system).
pub(super) fn search_top(dir: &Path, cwd: &Path) -> PathBuf {
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

/// `.tf`, `.tf.json`, `.tofu` and `.tofu.json` files below `root`, as a walk of the repository finds them
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
                .and_then(tf_file_kind)
                .is_some_and(|k| matches!(k, TfFileKind::Hcl | TfFileKind::Json))
        })
        .collect()
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
    fn roots_are_told_by_the_predicate_evaluation_uses() {
        let tmp = tempfile::tempdir().unwrap();
        let w = |p: &str, t: &str| {
            let p = tmp.path().join(p);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, t).unwrap();
        };
        let interface = "terraform {\n  required_providers {\n    azurerm = { source = \"hashicorp/azurerm\" }\n  }\n}\nvariable \"name\" {}\n";
        w("registry/main.tf", interface);
        w("registry-with-var-file/main.tf", interface);
        w("registry-with-var-file/prod.tfvars", "name = \"x\"\n");
        w("plain/main.tf", "variable \"name\" {}\n");
        w("modules/er/main.tf", "variable \"name\" {}\n");
        w(
            "modules/env/main.tf",
            "provider \"azurerm\" {\n  features {}\n}\n",
        );
        w("modules/locked/main.tf", "variable \"name\" {}\n");
        w("modules/locked/.terraform.lock.hcl", "");
        let mut roots = Roots::default();
        let mut is_root = |d: &str| roots.is_root(&normalize(&tmp.path().join(d)));
        assert!(!is_root("registry"));
        assert!(is_root("registry-with-var-file"));
        assert!(is_root("plain"));
        assert!(!is_root("modules/er"));
        assert!(is_root("modules/env"));
        assert!(is_root("modules/locked"));
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
        add_callers(&mut found, root, 0, &Overlay::default());
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
