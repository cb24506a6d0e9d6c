//! The Terraform front end: `.tf`, `.tf.json` and tfvars files → one [`Model`] per root
//! module, and plan JSON → a model of the planned resources.
//!
//! [`stream::stream`] parses the module directories in parallel, evaluates each root
//! (a directory no other module calls) with the modules it reaches as soon as they are
//! parsed ([`instance::evaluate`]), and drops the trees no unit still needs; it follows
//! local module sources (and remote ones mapped by `.terraform/modules/modules.json`)
//! until every called directory is loaded.

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
pub mod stream;
pub mod text_map;
pub mod tfjson;
pub mod types;

use crate::model::{Kind, ParentRef, Resource, UnitOutput, Val, ValKind, schema};
use crate::source::paths::{PathMap, normalize_in};
use module::ModuleIr;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use crate::source::paths::{normalize, tf_files_in};
pub use instance::{CliVar, RootInputs, evaluate};

/// A hash map with foldhash (seeded per process, like std's SipHash, which costs several
/// times as much for the short names these maps are keyed by).
pub(crate) type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// Every loaded module directory, keyed by normalized absolute path.
#[derive(Debug, Default)]
pub struct ModuleSet {
    pub modules: PathMap<Arc<ModuleIr>>,
    /// Per root directory: `modules.json` key (`a.b`) → module directory.
    modules_json: PathMap<HashMap<String, PathBuf>>,
    /// Files `file()` and `templatefile()` read (ARM templates deployed from Terraform),
    /// by normalized path; see [`arm_deployment::wanted_files`].
    pub files: PathMap<arm_deployment::ReadFile>,
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
            return Some(normalize_in(module_dir, Path::new(source)));
        }
        self.modules_json.get(root_dir)?.get(key_path).cloned()
    }
}

/// How a Terraform peering or authorization names its circuit: a reference to the circuit
/// (`azurerm_express_route_circuit.main.name`, Unknown but remembered), or a Known name
/// and resource group.
/// A virtual network's inline `subnet` blocks, each a subnet resource named
/// `{vnet}/subnets/{name}`: the address an id written `"${vnet.id}/subnets/{name}"` refers
/// to. Header: the block (or the list's element); values are reported where written.
pub(crate) fn inline_subnets(vnet: &Resource) -> Vec<Resource> {
    if vnet.kind != Kind::VirtualNetwork {
        return Vec::new();
    }
    let list = schema::VNET_SUBNETS
        .terraform
        .and_then(|name| vnet.body.get(name))
        .and_then(Val::as_list)
        .unwrap_or_default();
    list.iter()
        .filter(|el| el.as_object().is_some())
        .map(|el| {
            let name = el.get("name").and_then(Val::as_str).unwrap_or("[unknown]");
            let address = format!("{}/subnets/{name}", vnet.address);
            let header = el
                .span
                .filter(|s| vnet.extent.contains(*s))
                .unwrap_or(vnet.header);
            vnet.inline_child(
                Kind::Subnet,
                address,
                (header, vnet.extent),
                el.clone(),
                None,
            )
        })
        .collect()
}

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

/// `.terraform/modules/modules.json` of a root: key → directory. `root` is the root's
/// normalized path; `at` the same directory as the run reads its files (it may be
/// relative), where the file is opened.
fn read_modules_json(root: &Path, at: &Path) -> Option<HashMap<String, PathBuf>> {
    let text = std::fs::read_to_string(at.join(".terraform/modules/modules.json")).ok()?;
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
///   default, or provider `configuration_aliases`, [`ModuleIr::has_module_interface`]: the
///   Terraform Registry layout, often at a repository's root with its `examples/` as the
///   roots) is a reusable module.
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

fn has_config(m: &ModuleIr) -> bool {
    !m.resources.is_empty()
        || !m.hosts.is_empty()
        || !m.module_calls.is_empty()
        || !m.providers.is_empty()
        || !m.variables.is_empty()
}
