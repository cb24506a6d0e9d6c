//! The Terraform front end: `.tf`, `.tf.json` and tfvars files → one [`Model`] per root
//! module, and plan JSON → a model of the planned resources.
//!
//! [`load`] parses every module directory once (in parallel) and follows local module
//! sources (and remote ones mapped by `.terraform/modules/modules.json`) until every
//! called directory is loaded. [`roots`] picks the directories no other module calls;
//! [`instance::evaluate_root`] evaluates each root with its module instances.

pub mod arm_deployment;
pub mod ast;
mod azapi;
pub mod eval;
pub mod functions;
pub mod hcl;
pub mod instance;
pub mod module;
pub mod plan;
pub mod sites;
pub mod text_map;
pub mod tfjson;
pub mod types;

use crate::model::{Kind, ParentRef, UnitOutput, Val, ValKind};
use crate::source::{FileId, SourceDb};
use module::ModuleIr;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use crate::source::paths::{normalize, tf_files_in};
pub use instance::{CliVar, RootInputs, evaluate};

/// Every loaded module directory, keyed by normalized absolute path.
#[derive(Debug, Default)]
pub struct ModuleSet {
    pub modules: HashMap<PathBuf, Arc<ModuleIr>>,
    /// Per root directory: `modules.json` key (`a.b`) → module directory.
    modules_json: HashMap<PathBuf, HashMap<String, PathBuf>>,
    /// Files `file()` and `templatefile()` read (ARM templates deployed from Terraform),
    /// by normalized path; see [`arm_deployment::template_files`].
    pub files: HashMap<PathBuf, arm_deployment::ReadFile>,
}

impl ModuleSet {
    /// The directory a module call's `source` names, if erlint can read it.
    pub fn resolve(
        &self,
        module_dir: &Path,
        root_dir: &Path,
        key_path: &str,
        source: Option<&str>,
    ) -> Option<PathBuf> {
        let source = source?;
        if is_local_source(source) {
            return Some(normalize(&module_dir.join(source)));
        }
        self.modules_json.get(root_dir)?.get(key_path).cloned()
    }

    /// Every directory reachable from `start` through local module calls (including `start`).
    pub fn reachable_from(&self, start: impl Iterator<Item = PathBuf>) -> HashSet<PathBuf> {
        let mut seen: HashSet<PathBuf> = HashSet::new();
        let mut stack: Vec<PathBuf> = start.collect();
        while let Some(d) = stack.pop() {
            if !seen.insert(d.clone()) {
                continue;
            }
            if let Some(m) = self.modules.get(&d) {
                for c in &m.module_calls {
                    if let Some(s) = c.source.as_deref().filter(|s| is_local_source(s)) {
                        stack.push(normalize(&m.dir.join(s)));
                    }
                }
            }
        }
        seen
    }

    /// Directories that some loaded module calls through a local source.
    pub fn called_dirs(&self) -> HashSet<PathBuf> {
        let mut out = HashSet::new();
        for m in self.modules.values() {
            for c in &m.module_calls {
                if let Some(s) = c.source.as_deref().filter(|s| is_local_source(s)) {
                    out.insert(normalize(&m.dir.join(s)));
                }
            }
        }
        for map in self.modules_json.values() {
            out.extend(map.values().cloned());
        }
        out
    }

    /// The suppression sites of the Terraform files that hold any, found as they were
    /// parsed. The rest of the set (every module's tree) is freed on all cores, so that
    /// the texts the output needs are not kept on top of it; or, with `free` false (a
    /// process about to exit), left for the exit to reclaim.
    pub fn into_sites(self, free: bool) -> HashMap<FileId, crate::source::sites::Sites> {
        use rayon::prelude::*;
        let take = |m: Arc<ModuleIr>| match Arc::try_unwrap(m) {
            Ok(mut m) => {
                let sites = std::mem::take(&mut m.sites);
                if !free {
                    std::mem::forget(m);
                }
                sites
            }
            Err(shared) => {
                let sites = shared.sites.clone();
                if !free {
                    std::mem::forget(shared);
                }
                sites
            }
        };
        let ModuleSet {
            modules,
            modules_json,
            files,
        } = self;
        if !free {
            std::mem::forget(modules_json);
            std::mem::forget(files);
            return modules.into_values().flat_map(take).collect();
        }
        modules
            .into_par_iter()
            .flat_map_iter(|(_, m)| take(m))
            .collect()
    }

    /// Directories named as a local module source in a file that does not parse: called,
    /// but not through a call erlint can evaluate.
    pub fn called_from_broken_files(&self) -> HashSet<PathBuf> {
        self.modules
            .values()
            .flat_map(|m| m.broken_calls.iter().map(|s| normalize(&m.dir.join(s))))
            .collect()
    }
}

/// How a Terraform peering or authorization names its circuit: a reference to the circuit
/// (`azurerm_express_route_circuit.main.name`, Unknown but remembered), or a Known name
/// and resource group.
pub(crate) fn circuit_parent(kind: Kind, body: &Val) -> Option<ParentRef> {
    if !matches!(kind, Kind::Peering | Kind::CircuitAuthorization) {
        return None;
    }
    let name = body.get("express_route_circuit_name")?;
    match &name.kind {
        ValKind::Unknown(u) => u.refers_to.clone().map(ParentRef::Address),
        ValKind::Str(s) => Some(ParentRef::Name {
            name: s.to_string(),
            resource_group: body
                .get("resource_group_name")
                .and_then(Val::as_str)
                .map(str::to_string),
        }),
        _ => None,
    }
}

/// Evaluate one root (or library) with the modules it calls: the unit output every
/// front end returns, with one model whose notes hold the problems found.
pub fn build(set: &ModuleSet, root: &ModuleIr, role: Role, inputs: &RootInputs) -> UnitOutput {
    UnitOutput::of(evaluate(set, root, role, inputs))
}

/// `./x`, `../x` (Terraform's local paths; a bare name is a registry address).
pub fn is_local_source(s: &str) -> bool {
    s.starts_with("./")
        || s.starts_with("../")
        || s == "."
        || s == ".."
        || s.starts_with(".\\")
        || s.starts_with("..\\")
}

/// Parse the given directories (files already registered in `db`), then follow module
/// sources until every called directory is loaded. New files are registered with
/// `display` as their shown path.
pub fn load(
    db: &mut SourceDb,
    dirs: BTreeMap<PathBuf, Vec<FileId>>,
    display: &(dyn Fn(&Path) -> String + Sync),
) -> ModuleSet {
    let mut set = ModuleSet::default();
    let mut pending: Vec<(PathBuf, Vec<FileId>)> =
        dirs.into_iter().map(|(d, f)| (normalize(&d), f)).collect();
    let mut rounds = 0;
    while !pending.is_empty() && rounds < 64 {
        rounds += 1;
        let db_ref: &SourceDb = db;
        let loaded: Vec<(ModuleIr, Option<HashMap<String, PathBuf>>)> = pending
            .par_iter()
            .map(|(dir, files)| {
                (
                    ModuleIr::load(db_ref, dir.clone(), display(dir), files),
                    read_modules_json(dir),
                )
            })
            .collect();
        for (m, modules_json) in loaded {
            if let Some(map) = modules_json {
                set.modules_json.insert(m.dir.clone(), map);
            }
            set.modules.insert(m.dir.clone(), Arc::new(m));
        }
        let mut next = Vec::new();
        let mut seen: HashSet<PathBuf> = HashSet::new();
        let called = set.called_dirs();
        for dir in called.into_iter().chain(set.called_from_broken_files()) {
            if set.modules.contains_key(&dir) || !seen.insert(dir.clone()) {
                continue;
            }
            let files = tf_files_in(&dir);
            if files.is_empty() {
                continue;
            }
            let ids = files
                .into_iter()
                .map(|f| {
                    let d = display(&f);
                    db.add(f, d)
                })
                .collect();
            next.push((dir, ids));
        }
        pending = next;
    }
    set
}

/// `.terraform/modules/modules.json` of a root: key → directory.
fn read_modules_json(root: &Path) -> Option<HashMap<String, PathBuf>> {
    let text = std::fs::read_to_string(root.join(".terraform/modules/modules.json")).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    let mut map = HashMap::new();
    for m in v.get("Modules")?.as_array()? {
        let (Some(key), Some(dir)) = (
            m.get("Key").and_then(|k| k.as_str()),
            m.get("Dir").and_then(|d| d.as_str()),
        ) else {
            continue;
        };
        if !key.is_empty() {
            map.insert(key.to_string(), normalize(&root.join(dir)));
        }
    }
    Some(map)
}

/// How a scanned directory is evaluated.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Role {
    /// A root module: variables from defaults, tfvars and the command line; its provider
    /// configurations are checked (ER101).
    Root,
    /// A reusable module nobody in the scan calls: evaluated on its own with every input
    /// Unknown, so only findings that do not depend on inputs are reported.
    Library,
}

/// Whether a directory that no module calls is a root module or a reusable one: the one
/// predicate for evaluation ([`units`]) and for the pre-commit search for callers
/// (`discover::add_callers`).
///
/// - Root markers decide for a root: a provider or backend block, variable definitions
///   files, a dependency lock file ([`ModuleIr::has_root_markers`]).
/// - Without them, a directory under `modules/` (Terraform's standard module structure) or
///   one with a published module interface (`required_providers` and an input without a
///   default, [`ModuleIr::has_module_interface`]: the Terraform Registry layout, often at a
///   repository's root with its `examples/` as the roots) is a reusable module.
/// - Anything else is a root.
pub fn standalone_role(m: &ModuleIr) -> Role {
    if m.has_root_markers() {
        return Role::Root;
    }
    let in_modules_dir = m.dir.components().any(|c| c.as_os_str() == "modules");
    if in_modules_dir || m.has_module_interface() {
        Role::Library
    } else {
        Role::Root
    }
}

/// The directories among `scanned` to evaluate, with their role. A directory some loaded
/// module calls is evaluated through that call only. One called only from files that do
/// not parse is a library (its caller cannot be evaluated, and it is not a root). Any other
/// is evaluated on its own, in the role [`standalone_role`] gives it.
pub fn units(set: &ModuleSet, scanned: &[PathBuf]) -> Vec<(PathBuf, Role)> {
    let called = set.called_dirs();
    let called_from_broken = set.called_from_broken_files();
    let mut out: Vec<(PathBuf, Role)> = scanned
        .iter()
        .map(|d| normalize(d))
        .filter(|d| !called.contains(d))
        .filter_map(|d| {
            let m = set.modules.get(&d).filter(|m| has_config(m))?;
            let role = if called_from_broken.contains(&d) {
                Role::Library
            } else {
                standalone_role(m)
            };
            Some((d, role))
        })
        .collect();
    // Directories only reachable through a cycle of calls (a → b → a) have no uncalled
    // caller: evaluate them as libraries so their content is still checked.
    let reachable = set.reachable_from(out.iter().map(|(d, _)| d.clone()));
    for d in scanned.iter().map(|d| normalize(d)) {
        if !reachable.contains(&d) && set.modules.get(&d).is_some_and(|m| has_config(m)) {
            out.push((d, Role::Library));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out.dedup_by(|a, b| a.0 == b.0);
    out
}

fn has_config(m: &ModuleIr) -> bool {
    !m.resources.is_empty()
        || !m.hosts.is_empty()
        || !m.module_calls.is_empty()
        || !m.providers.is_empty()
        || !m.variables.is_empty()
}
