//! The ARM front end: templates (and Bicep's compiled `main.json`) plus parameter files
//! → one [`Model`] per parameter file.
//!
//! # API (what the run driver calls)
//!
//! - [`sniff`]: a cheap textual look at a JSON file: template, parameter file, Terraform
//!   plan, or something else (skipped).
//! - [`parse_parameter_file`] → [`ParameterFile`]: values with spans into that file;
//!   Key Vault references are Unknown secrets. [`load_parameter_file`] also turns a file
//!   that does not parse into a parameter file whose values are all Unknown (plus its
//!   ER001), so that the template it pairs with does not fall back to `defaultValue`s.
//! - [`pair_parameter_files`]: which parameter files go with which template
//!   (`metadata.template`, then `X.parameters.json` / `X.parameters.*.json` beside
//!   `X.json`; `--parameters` files win). See its docs for what the indexes point into.
//! - [`build`]: parse a template once and evaluate it once per parameter file (or once
//!   with none). The result, a [`UnitOutput`], has one model per evaluation, the diagnostics
//!   of the file itself (ER001 for JSON and expression syntax errors, reported once even
//!   with several parameter files), and whether the file is an ARM template at all (a
//!   file whose `$schema` is not a deployment template is skipped silently).
//!
//! Everything is per call: no global state, and the results are `Send`, so units run
//! under rayon.
//!
//! # What is evaluated
//!
//! Parameters (parameter file, else `defaultValue`, else Unknown), variables (including
//! `copy`), user-defined functions, and the template functions users write in
//! ExpressRoute properties (see [`functions`]). Functions whose value exists only
//! during deployment (`reference`, `resourceGroup`, `subscription`, `uniqueString`,
//! `list*`, …) are Unknown, as is any function erlint does not implement: rules never
//! report on Unknown values.
//!
//! # Modules
//!
//! `json` (parsing with spans, literals, string-offset mapping), `expr` (expression
//! parser), `eval` (scopes, parameters, variables, copy), `calls` (special forms:
//! `parameters`, `variables`, `if`, `coalesce`, `copyIndex`, lambdas, user functions),
//! [`functions`] (the function library, public for the Bicep evaluator), `format` (.NET
//! string semantics), `template` (resources, nested deployments, scopes), `params`
//! (parameter files and pairing).

mod calls;
mod eval;
mod expr;
mod format;
pub mod functions;
mod json;
mod modules;
mod params;
mod template;

#[cfg(test)]
mod tests;

pub use modules::{DeploymentSite, ModuleUnit, build_module, deployment_scope, json_file_value};
pub use params::{
    ParameterFile, load_parameter_file, load_parameter_read, pair_parameter_files,
    parse_parameter_file, template_hint,
};
pub(crate) use template::{Named, alias, connections_address, sku_from_name};

use crate::diagnostic::{Diagnostic, Label};
use crate::model::{ArmScope, Dialect, Existence, Model, UnitOutput, Val};
use crate::source::{FileId, SourceDb, Span};
use eval::{Ctx, Eval, Scope, Supplied};
use std::borrow::Cow;
use template::{Site, Walker};

/// What a JSON file is, by a cheap look at its text.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum JsonKind {
    Template,
    Parameters,
    Plan,
    Other,
}

/// Could this JSON text be an ARM template, a parameter file, or a Terraform plan? Looks
/// at the first `"$schema"` value (its file name part, case-insensitively), at Bicep's
/// `"_generator"` metadata, and, for plans, at `format_version` with `planned_values` or
/// `resource_changes`. The look is textual, so a template whose JSON is broken is still
/// recognised (and its syntax error reported); anything else, an empty file included, is
/// `Other`: not erlint's to read, skipped silently.
pub fn sniff(text: &str) -> JsonKind {
    if let Some(schema) = schema_value(text) {
        let name = schema_file_name(schema);
        if name.ends_with("deploymenttemplate.json") {
            return JsonKind::Template;
        }
        if name.ends_with("deploymentparameters.json") {
            return JsonKind::Parameters;
        }
    }
    // `"metadata": {"_generator": {"name": "bicep", …}}`: written by `bicep build`.
    if text.contains("\"_generator\"") && text.contains("\"bicep\"") {
        return JsonKind::Template;
    }
    if text.contains("\"format_version\"")
        && (text.contains("\"planned_values\"") || text.contains("\"resource_changes\""))
    {
        return JsonKind::Plan;
    }
    JsonKind::Other
}

/// What [`sniff`] would say of the whole text, from its start alone, when the start says
/// it: a complete first `"$schema"` value naming a template or a parameter file. `None`
/// when the rest of the text is needed.
pub fn sniff_start(start: &str) -> Option<JsonKind> {
    let name = schema_file_name(schema_value(start)?);
    if name.ends_with("deploymenttemplate.json") {
        Some(JsonKind::Template)
    } else if name.ends_with("deploymentparameters.json") {
        Some(JsonKind::Parameters)
    } else {
        None
    }
}

/// [`sniff`] for a file whose text cannot be used (too large, not UTF-8): its first 64 KiB,
/// read leniently. A template is then reported as unreadable (ER002); anything else is
/// skipped like any other JSON.
pub fn sniff_file_start(path: &std::path::Path) -> JsonKind {
    use std::io::Read;
    let mut head = Vec::with_capacity(64 * 1024);
    let read = std::fs::File::open(path).and_then(|f| f.take(64 * 1024).read_to_end(&mut head));
    match read {
        Ok(_) => sniff(&String::from_utf8_lossy(&head)),
        // Cannot be opened at all: nothing says it is a template.
        Err(_) => JsonKind::Other,
    }
}

/// The text of the first `"$schema": "…"` value.
fn schema_value(text: &str) -> Option<&str> {
    let mut rest = text;
    while let Some(i) = rest.find("\"$schema\"") {
        rest = rest.get(i + 9..)?;
        let after = rest.trim_start();
        if let Some(v) = after.strip_prefix(':') {
            let v = v.trim_start().strip_prefix('"')?;
            let end = v.find('"')?;
            return v.get(..end);
        }
    }
    None
}

/// `https://…/2019-04-01/deploymentTemplate.json#` → `deploymenttemplate.json`.
fn schema_file_name(schema: &str) -> String {
    // Byte-wise: `split(['#', '?'])` decodes every character of the URL.
    let end = schema
        .bytes()
        .position(|b| b == b'#' || b == b'?')
        .unwrap_or(schema.len());
    let s = schema.get(..end).unwrap_or("");
    s.rsplit('/')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// The deployment scope a template's `$schema` declares, or `None` if it is not a
/// deployment template.
fn schema_scope(schema: &str) -> Option<ArmScope> {
    match schema_file_name(schema).as_str() {
        "deploymenttemplate.json" => Some(ArmScope::ResourceGroup),
        "subscriptiondeploymenttemplate.json" => Some(ArmScope::Subscription),
        "managementgroupdeploymenttemplate.json" => Some(ArmScope::ManagementGroup),
        "tenantdeploymenttemplate.json" => Some(ArmScope::Tenant),
        _ => None,
    }
}

/// Parse `template` once and evaluate it once per parameter file (or once with none):
/// one model per parameter file (in the order given), or one with none; the problems of
/// the template file itself (ER001), sorted by position. Not `recognised` when the file
/// turned out not to be an ARM template.
pub fn build(db: &SourceDb, template: FileId, params: &[&ParameterFile]) -> UnitOutput {
    build_read(template, db.read(template), params)
}

/// [`build`] on what reading the template gave (the driver's sort of the JSON files reads
/// it while it looks at how it starts).
pub fn build_read(
    template: FileId,
    read: Result<Cow<'_, str>, crate::source::ReadError>,
    params: &[&ParameterFile],
) -> UnitOutput {
    // Read for this unit only: handed to the driver, which keeps it if the output needs it.
    let read = match read {
        Ok(t) => t,
        Err(e) => {
            return UnitOutput::new(
                Vec::new(),
                vec![crate::core::unreadable_file(
                    Span::new(template, 0, 0),
                    e.to_string(),
                )],
            );
        }
    };
    let mut out = evaluate(&read, template, params);
    if let Cow::Owned(text) = read {
        out.texts.push((template, text));
    }
    out
}

/// [`build`] on the template's text.
fn evaluate(text: &str, template: FileId, params: &[&ParameterFile]) -> UnitOutput {
    // A lone surrogate escape is valid in a template (.NET strings are UTF-16).
    let fixed = crate::jsonc::lone_surrogates_replaced(text);
    let text = fixed.as_deref().unwrap_or(text);
    let root = match json::parse(text, template, "an ARM template") {
        Ok(r) => r,
        Err(d) => {
            return UnitOutput::new(Vec::new(), vec![*d]);
        }
    };
    let Some(obj) = root.as_object() else {
        return UnitOutput::default();
    };
    let Some(scope) = json::get_str(obj, "$schema").and_then(schema_scope) else {
        return UnitOutput::default();
    };

    let mut ev = Eval::new(text, template);
    let runs: Vec<Option<&ParameterFile>> = if params.is_empty() {
        vec![None]
    } else {
        params.iter().map(|p| Some(*p)).collect()
    };
    let mut models = Vec::with_capacity(runs.len());
    let mut limit_notes = Vec::new();
    for pf in runs {
        ev.reset();
        let supplied = match pf {
            Some(p) => match &p.unusable {
                Some(why) => Supplied::AllUnknown(why.clone()),
                None => Supplied::Values(p.values.clone()),
            },
            None => Supplied::None,
        };
        let s = ev.add_scope(Scope::of_template(obj, supplied));
        let ctx = Ctx::new(s);
        // One budget per evaluation (per parameter file); its limits are ER005s.
        let (mut model, hits) = crate::limits::run(|| {
            let mut w = Walker::new(&mut ev, &root, pf.map(|p| p.file));
            w.template(&Site::root(scope), &ctx, obj, "$");
            w.model
        });
        limit_notes.extend(crate::limits::diagnostics(&hits));
        model.link();
        models.push(model);
    }
    // Expressions nothing needed are still checked for syntax: Azure rejects them.
    ev.check_syntax(&root);
    let mut diagnostics = ev.take_diagnostics();
    for d in limit_notes {
        if !diagnostics
            .iter()
            .any(|x| x.code == d.code && x.primary == d.primary && x.message == d.message)
        {
            diagnostics.push(d);
        }
    }
    diagnostics.sort_by_key(|d| (d.primary.start, d.primary.end));
    UnitOutput::new(models, diagnostics)
}

/// A template another front end hands over, already parsed: Terraform's
/// `azurerm_*_template_deployment` (the template from `file()`, a heredoc,
/// `templatefile()` or `jsonencode()`).
pub struct Embedded<'x, 't> {
    /// The text `root` was parsed from, and its file (a virtual one for a rendered text).
    pub text: &'t str,
    pub file: FileId,
    pub root: &'x jsonc_parser::ast::Value<'t>,
    /// The scope the deployment deploys to (its `$schema` is not consulted).
    pub scope: ArmScope,
    /// Parameter values by lower-cased name, or why none is known.
    pub parameters: Result<std::collections::HashMap<String, Val>, String>,
    pub dialect: Dialect,
    /// The deploying resource, for every resource's context and suppression scopes.
    pub context: Vec<Label>,
    pub scopes: Vec<Span>,
    pub exists: Existence,
    /// Appended to every address (the deploying resource's instance key).
    pub suffix: String,
}

/// Evaluate an [`Embedded`] template: its model (not linked yet: the caller adds it to
/// its own) and the diagnostics of its text (ER001 for expression syntax errors).
pub fn evaluate_embedded(e: Embedded<'_, '_>) -> (Model, Vec<Diagnostic>) {
    let Some(obj) = e.root.as_object() else {
        return (Model::default(), Vec::new());
    };
    let mut ev = Eval::new(e.text, e.file);
    let supplied = match e.parameters {
        Ok(values) => Supplied::Values(values),
        Err(why) => Supplied::AllUnknown(why),
    };
    let s = ev.add_scope(Scope::of_template(obj, supplied));
    let ctx = Ctx::new(s);
    let site = Site {
        context: e.context,
        scopes: e.scopes,
        exists: e.exists,
        suffix: e.suffix,
        ..Site::root(e.scope)
    };
    let mut w = Walker::new(&mut ev, e.root, None);
    w.dialect = e.dialect;
    w.template(&site, &ctx, obj, "$");
    let model = w.model;
    ev.check_syntax(e.root);
    let mut diagnostics = ev.take_diagnostics();
    diagnostics.sort_by_key(|d| (d.primary.start, d.primary.end));
    (model, diagnostics)
}
