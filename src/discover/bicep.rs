//! Pre-commit context for Bicep files staged alone:
//!
//! - a `.bicepparam` file: the template its `using` names (the run pairs them, so the
//!   template is linted with the staged values);
//! - a `.bicep` module: the templates that call it (`module x './peering.bicep'`),
//!   directly or through other modules, searched outward from its directory up to the
//!   repository until some are found (as for Terraform callers), with the files beside
//!   each caller (its parameter files), so the module is evaluated with the values its
//!   callers pass.
//!
//! Cost: one read of each `.bicep` file of the area searched, a line scan each.

use super::callers::{read_within, search_top};
use super::callers_index::{bicep_files_in_index, index_files_below};
use super::{ALWAYS_SKIPPED, Discovered, add_dir_files};
use crate::bicep::registry;
use crate::source::Overlay;
use crate::source::paths::normalize;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// How many levels of callers are followed (module → caller → its caller …).
const MAX_LEVELS: usize = 8;

/// The template a `.bicepparam` file's `using` names, when it is a local file.
pub(super) fn using_template(
    file: &Path,
    max_file_size: u64,
    overlay: &Overlay,
) -> Option<PathBuf> {
    let text = read_within(file, max_file_size, overlay)?;
    let target = crate::bicep::using_target(&text)?;
    if registry::is_external(&target) {
        return None;
    }
    let t = super::configured::lexical(
        &file
            .parent()
            .unwrap_or(Path::new("."))
            .join(target.replace('\\', "/")),
    );
    (t.is_file() || overlay.contains(&t)).then_some(t)
}

/// Add the templates that (transitively) call a named Bicep module, and the files beside
/// them.
///
/// With `from_index` (`--callers-from-index`), the `.bicep` files searched are those git's
/// index holds, as for Terraform (untracked files call no module; no walk), read from the
/// working tree.
pub fn add_bicep_callers(
    found: &mut Discovered,
    cwd: &Path,
    max_file_size: u64,
    overlay: &Overlay,
    from_index: bool,
) {
    let Some(named) = &found.named else { return };
    let targets: BTreeSet<PathBuf> = named
        .iter()
        .filter(|f| {
            f.extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("bicep"))
        })
        .map(|f| normalize(f))
        .collect();
    if targets.is_empty() {
        return;
    }
    let cwd = normalize(cwd);
    let mut calls = Calls {
        by_caller: HashMap::new(),
        read: HashSet::new(),
        max_file_size,
        overlay,
        indexed: None,
    };
    // Each repository's `.bicep` files from its index (`None`: walked).
    let mut indexes: HashMap<PathBuf, Option<Vec<PathBuf>>> = HashMap::new();
    let mut add: BTreeSet<PathBuf> = BTreeSet::new();
    for target in targets {
        let dir = target.parent().map(Path::to_path_buf).unwrap_or_default();
        let top = search_top(&dir, &cwd);
        calls.indexed = if from_index && top.join(".git").exists() {
            indexes
                .entry(top.clone())
                .or_insert_with(|| bicep_files_in_index(&top, &cwd))
                .clone()
        } else {
            None
        };
        let mut area = dir.clone();
        loop {
            calls.scan(&area);
            let callers = calls.callers_of(&target);
            let widen = area
                .parent()
                .filter(|_| area != top && area.starts_with(&top))
                .map(Path::to_path_buf);
            match widen {
                Some(up) if callers.is_empty() => area = up,
                _ => {
                    add.extend(callers);
                    break;
                }
            }
        }
    }
    for caller in add {
        let dir = caller
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        found.files.insert(caller);
        add_dir_files(&dir, found);
    }
}

/// Local module calls found so far: calling file → called files.
struct Calls<'o> {
    by_caller: HashMap<PathBuf, Vec<PathBuf>>,
    read: HashSet<PathBuf>,
    /// Files are read as the run would read them (its size limit, unsaved buffers).
    max_file_size: u64,
    overlay: &'o Overlay,
    /// The repository's `.bicep` files from its index, when they are taken from it.
    indexed: Option<Vec<PathBuf>>,
}

impl Calls<'_> {
    fn scan(&mut self, area: &Path) {
        use rayon::prelude::*;
        let files = match &self.indexed {
            Some(indexed) => index_files_below(indexed, area),
            None => bicep_files(area),
        };
        let files: Vec<PathBuf> = files
            .into_iter()
            .filter(|f| !self.read.contains(f))
            .collect();
        let found: Vec<(PathBuf, Vec<PathBuf>)> = files
            .par_iter()
            .filter_map(|file| {
                let text = read_within(file, self.max_file_size, self.overlay)?;
                let dir = file.parent().unwrap_or(Path::new("."));
                let called: Vec<PathBuf> = module_paths(&text)
                    .into_iter()
                    .filter(|p| !registry::is_external(p))
                    .map(|p| normalize(&dir.join(p.replace('\\', "/"))))
                    .collect();
                (!called.is_empty()).then(|| (file.clone(), called))
            })
            .collect();
        self.read.extend(files);
        for (file, called) in found {
            self.by_caller.entry(file).or_default().extend(called);
        }
    }

    /// The files that call `target`, directly or through other modules.
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

/// The paths of `module name '<path>'` declarations, read line by line (a module
/// declaration starts its line).
fn module_paths(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| {
            let rest = l.trim_start().strip_prefix("module")?;
            if !rest.starts_with([' ', '\t']) {
                return None;
            }
            let start = rest.find('\'')?;
            let path = rest.get(start + 1..)?;
            let end = path.find('\'')?;
            path.get(..end).map(str::to_string)
        })
        .collect()
}

/// `.bicep` files below `root`, as the walk finds them.
fn bicep_files(root: &Path) -> Vec<PathBuf> {
    let mut b = ignore::WalkBuilder::new(root);
    b.follow_links(false).filter_entry(|e| {
        let name = e.file_name().to_str().unwrap_or("");
        let is_dir = e.file_type().is_some_and(|t| t.is_dir());
        !(e.depth() > 0 && is_dir && ALWAYS_SKIPPED.contains(&name))
    });
    b.build()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .map(|e| e.into_path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("bicep"))
        })
        .map(|p| normalize(&p))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_paths_are_read_from_declarations() {
        let text = "module a './a.bicep' = {\n}\n  module b 'br/public:x:1' = [for i in r: {}]\n// module c './c.bicep'\nmodules x\n";
        assert_eq!(module_paths(text), ["./a.bicep", "br/public:x:1"]);
    }

    #[test]
    fn a_staged_module_brings_its_callers_and_their_parameter_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::create_dir_all(root.join("site/modules")).unwrap();
        std::fs::create_dir_all(root.join("other")).unwrap();
        std::fs::write(
            root.join("site/main.bicep"),
            "module p './modules/peering.bicep' = {\n  name: 'p'\n}\n",
        )
        .unwrap();
        std::fs::write(root.join("site/main.bicepparam"), "using './main.bicep'\n").unwrap();
        std::fs::write(root.join("site/modules/peering.bicep"), "param x string\n").unwrap();
        std::fs::write(root.join("other/main.bicep"), "param y string\n").unwrap();
        let names = files_for(root, "site/modules/peering.bicep", false);
        assert_eq!(
            names,
            [
                "site/main.bicep",
                "site/main.bicepparam",
                "site/modules/peering.bicep"
            ]
        );
    }

    /// The files a search adds for the staged `.bicep` file `staged` (relative to `root`,
    /// `/`-separated, sorted).
    fn files_for(root: &Path, staged: &str, from_index: bool) -> Vec<String> {
        let staged = root.join(staged);
        let mut found = Discovered {
            named: Some([staged.clone()].into_iter().collect()),
            files: [staged].into_iter().collect(),
            ..Default::default()
        };
        add_bicep_callers(&mut found, root, 0, &Overlay::new(), from_index);
        let root = normalize(root);
        let mut names: Vec<String> = found
            .files
            .iter()
            .map(|p| {
                let p = normalize(p);
                p.strip_prefix(&root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        names.sort();
        names
    }

    /// The `.bicep` files a search adds for `modules/peering.bicep`.
    fn bicep_callers(root: &Path, from_index: bool) -> Vec<String> {
        let mut files = files_for(root, "modules/peering.bicep", from_index);
        files.retain(|f| f.ends_with(".bicep"));
        files
    }

    #[test]
    fn callers_from_the_index_are_the_staged_templates() {
        use super::super::git_index::tests::git;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let w = |p: &str, t: &str| super::super::callers::tests::write(root, p, t);
        let call = "module p '../../modules/peering.bicep' = {\n  name: 'p'\n}\n";
        w("modules/peering.bicep", "param x string\n");
        w("envs/prod/main.bicep", call);
        git(root, &["init", "-q"]);
        git(root, &["add", "-A"]);
        // Untracked: a scratch template, and one in a hidden directory (staged, skipped as
        // by the walk).
        w("envs/scratch/main.bicep", call);
        w(".hidden/x/main.bicep", call);
        git(root, &["add", "-f", ".hidden"]);
        let both = [
            "envs/prod/main.bicep",
            "envs/scratch/main.bicep",
            "modules/peering.bicep",
        ];
        assert_eq!(bicep_callers(root, false), both);
        let staged = ["envs/prod/main.bicep", "modules/peering.bicep"];
        assert_eq!(bicep_callers(root, true), staged);
        git(root, &["add", "envs/scratch/main.bicep"]);
        assert_eq!(bicep_callers(root, true), both);
        // An index that cannot be used: walked.
        std::fs::write(root.join(".git/index"), "not an index").unwrap();
        assert_eq!(bicep_callers(root, true), both);
    }

    /// A FIFO in the work tree where the index has a `.bicep` file is not read: the search
    /// ends, with the other callers.
    #[cfg(unix)]
    #[test]
    fn a_fifo_where_the_index_has_a_template_is_not_read() {
        use super::super::git_index::tests::git;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        let w = |p: &str, t: &str| super::super::callers::tests::write(&root, p, t);
        let call = "module p '../../modules/peering.bicep' = {\n  name: 'p'\n}\n";
        w("modules/peering.bicep", "param x string\n");
        w("envs/prod/main.bicep", call);
        w("envs/test/main.bicep", call);
        git(&root, &["init", "-q"]);
        git(&root, &["add", "-A"]);
        use super::super::callers::tests::{ends, fifo_in_place_of};
        if !fifo_in_place_of(&root.join("envs/test/main.bicep")) {
            return;
        }
        let found = ends("envs/test/main.bicep", move || bicep_callers(&root, true));
        assert_eq!(found, ["envs/prod/main.bicep", "modules/peering.bicep"]);
    }

    #[test]
    fn a_staged_parameter_file_names_its_template() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("params")).unwrap();
        std::fs::write(root.join("main.bicep"), "param x string\n").unwrap();
        std::fs::write(
            root.join("params/prod.bicepparam"),
            "// prod\nusing '../main.bicep'\nparam x = 'y'\n",
        )
        .unwrap();
        let none = Overlay::new();
        let t = using_template(&root.join("params/prod.bicepparam"), 0, &none).unwrap();
        assert_eq!(normalize(&t), normalize(&root.join("main.bicep")));
        std::fs::write(root.join("params/none.bicepparam"), "using none\n").unwrap();
        assert_eq!(
            using_template(&root.join("params/none.bicepparam"), 0, &none),
            None
        );
    }
}
