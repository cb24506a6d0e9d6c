//! What the Bicep front end takes from this one: an ARM template called as a module (a
//! local `.json`, a registry module's compiled `main.json`, a template spec version),
//! evaluated with the parameter values of the call at the call's deployment scope; the
//! scope rules of nested deployments; a JSON file as a value (`loadJsonContent`).

use super::eval::{Ctx, Eval, Scope, Supplied};
use super::json::{self, get_object};
use super::template::{Target, Walker, target_of, transition};
use crate::diagnostic::Diagnostic;
use crate::model::{ArmScope, Model, Val};
use crate::source::{FileId, SourceDb, Span};
use std::collections::HashMap;

pub use super::template::Site as DeploymentSite;

/// The resources of an ARM template followed as a module, and the template's problems.
#[derive(Debug, Default)]
pub struct ModuleUnit {
    /// Not linked: parent indexes are within this model (the caller merges it).
    pub model: Model,
    pub diagnostics: Vec<Diagnostic>,
}

/// Evaluate the template in `file` (for a template spec, its `properties.mainTemplate`)
/// with `values` for its parameters (by lower-cased name; `Err` when none is known),
/// deployed at `site`.
pub fn build_module(
    db: &SourceDb,
    file: FileId,
    template_spec: bool,
    values: Result<HashMap<String, Val>, String>,
    site: DeploymentSite,
    param_file: Option<FileId>,
) -> ModuleUnit {
    let text = match db.text(file) {
        Ok(t) => t,
        Err(e) => {
            return ModuleUnit {
                model: Model::default(),
                diagnostics: vec![crate::core::unreadable_file(
                    Span::new(file, 0, 0),
                    e.to_string(),
                )],
            };
        }
    };
    let root = match json::parse(text, file, "an ARM template") {
        Ok(r) => r,
        Err(d) => {
            return ModuleUnit {
                model: Model::default(),
                diagnostics: vec![*d],
            };
        }
    };
    let (template, path) = match root.as_object() {
        Some(o) if template_spec => (
            get_object(o, "properties").and_then(|p| get_object(p, "mainTemplate")),
            "$.properties.mainTemplate",
        ),
        Some(o) => (Some(o), "$"),
        None => (None, "$"),
    };
    let Some(template) = template else {
        return ModuleUnit::default();
    };
    let mut ev = Eval::new(text, file);
    let supplied = match values {
        Ok(v) => Supplied::Values(v),
        Err(why) => Supplied::AllUnknown(why),
    };
    let s = ev.add_scope(Scope::of_template(template, supplied));
    let ctx = Ctx::new(s);
    let mut w = Walker::new(&mut ev, &root, param_file);
    w.template(&site, &ctx, template, path);
    let model = w.model;
    let mut diagnostics = ev.take_diagnostics();
    diagnostics.sort_by_key(|d| (d.primary.start, d.primary.end));
    ModuleUnit { model, diagnostics }
}

/// The scope a deployment lands in, from its parent's and the fields it sets
/// (`subscriptionId`, `resourceGroup`, `scope`, `location`), with whether the chain
/// names a subscription and a resource group: the rules of nested deployments.
pub fn deployment_scope(
    parent: ArmScope,
    names_sub: bool,
    names_rg: bool,
    sub: bool,
    rg: bool,
    scope: Option<&Val>,
    location: bool,
) -> (ArmScope, bool, bool) {
    let mut site = DeploymentSite::root(parent);
    site.names_sub = names_sub;
    site.names_rg = names_rg;
    let target: Option<Target> = scope.map(target_of);
    transition(&site, sub, rg, target, location)
}

/// A JSON file's value, every node with its span in `file` (ER001 if it does not parse).
pub fn json_file_value(text: &str, file: FileId) -> Result<Val, Diagnostic> {
    let root = json::parse(text, file, "a JSON file").map_err(|d| *d)?;
    Ok(json::literal(&root, file))
}
