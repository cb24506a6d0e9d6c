//! ARM templates inside Terraform: `azurerm_resource_group_template_deployment` and its
//! subscription, management-group and tenant variants.
//!
//! The template (`template_content`: `file()`, `templatefile()`, `jsonencode()`, a
//! heredoc or any string) is evaluated by the ARM front end with the parameters of
//! `parameters_content` (`jsonencode({ x = { value = … } })`, or a whole parameter file's
//! shape) at the deployment's scope. Its resources join the root's model as
//! [`Dialect::EMBEDDED_ARM`] resources deployed through the deployment's azurerm provider
//! configuration. Findings point into the template file, or into the `.tf` file for an
//! inline template (through [`text_map`]), and a parameter's value keeps where it was set
//! in Terraform.
//!
//! The template files `file()` and `templatefile()` read are registered before the
//! evaluation ([`wanted_files`]): they are evaluated here, not on their own.

use super::ast::{Expr, ExprKind};
use super::azapi::HostInstance;
use super::eval::Scope;
use super::instance::Instance;
use super::module::{HostIr, ModuleIr};
use super::normalize;
use super::text_map::{self, Mapped, Rendered, VIRTUAL};
use crate::diagnostic::Label;
use crate::model::{ArmScope, Dialect, Model, ParentRef, Unknown, Val, ValKind};
use crate::source::{FileId, SourceDb, Span};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

/// A file `file()` or `templatefile()` reads, registered in the run's files.
#[derive(Clone, Debug)]
pub struct ReadFile {
    pub id: FileId,
    /// `Err`: why it could not be read.
    pub text: Result<Arc<str>, String>,
}

/// Where a deployment's template (or parameters, or an azapi body's) text comes from.
pub(super) enum Text {
    /// A file as written: spans are its own.
    File(FileId, Arc<str>),
    /// A text erlint rendered, mapped back to where its pieces were written.
    Mapped(Mapped),
    Unknown(Unknown),
    /// Not a text erlint can read: why.
    Unreadable(String),
}

impl Instance<'_> {
    pub(super) fn template_deployment(&self, h: &HostIr, scope: ArmScope) {
        self.each_host_instance(h, &mut |inst| {
            let address = self.host_address(h, &inst.suffix);
            let not_checked = |at: Span, why: String, help: &str| {
                let mut d = crate::core::not_evaluated(
                    at,
                    format!("the template of `{address}` {why}: its resources were not checked"),
                );
                d.help(help);
                d.resource = Some(address.clone());
                d.scopes.push(h.span);
                self.note(d);
            };
            let Some(content) = h.body.attr("template_content") else {
                if let Some(spec) = h.body.attr("template_spec_version_id") {
                    not_checked(
                        spec.span,
                        "comes from a template spec, which is not in the repository".into(),
                        "lint the template spec's source template on its own",
                    );
                }
                return;
            };
            let text = self.read_text(&content.expr, &inst.scope);
            let help = "give `template_content` a value erlint can read: `file(\"${path.module}/template.json\")`, a heredoc or `jsonencode({ … })`";
            let why = match text {
                Text::Unknown(u) => format!("is not known statically ({})", u.reason),
                Text::Unreadable(why) => format!("cannot be read: {why}"),
                Text::File(..) | Text::Mapped(_) => {
                    let parameters = self.deployment_parameters(h, &inst.scope);
                    let provider = self.provider_of(&h.ty, h.provider.as_deref());
                    self.deploy(h, inst, &address, text, scope, parameters, provider);
                    return;
                }
            };
            not_checked(content.span, why, help);
        });
    }

    /// A `Microsoft.Resources/deployments` declared with `azapi_resource`: the template in
    /// its `body.properties.template`, at the scope its `parent_id` gives.
    pub(super) fn azapi_deployment(
        &self,
        h: &HostIr,
        inst: &HostInstance<'_>,
        body: &Val,
        scope: Option<ArmScope>,
        provider: Option<usize>,
    ) {
        let address = self.host_address(h, &inst.suffix);
        let at = h.body.attr("body").map_or(h.header, |a| a.span);
        let props = body.get_ci("properties");
        let template = props.and_then(|p| p.get_ci("template"));
        let not_checked = |why: String| {
            let mut d = crate::core::not_evaluated(
                at,
                format!("the template of `{address}` {why}: its resources were not checked"),
            );
            d.help("write the template in `body.properties.template`, as an HCL object or `jsonencode({ … })`");
            d.resource = Some(address.clone());
            d.scopes.push(h.span);
            self.note(d);
        };
        let text = match template.map(|t| &t.kind) {
            Some(ValKind::Object(_)) => template.map(|t| Text::Mapped(text_map::json_of(t, at))),
            Some(ValKind::Unknown(u)) => {
                return not_checked(format!("is not known statically ({})", u.reason));
            }
            _ if body.is_unknown() => {
                let why = body
                    .as_unknown()
                    .map(|u| u.reason.clone())
                    .unwrap_or_default();
                return not_checked(format!("is not known statically ({why})"));
            }
            _ => None,
        };
        let Some(text) = text else {
            if props.and_then(|p| p.get_ci("templateLink")).is_some() {
                not_checked("is linked (`templateLink`), which erlint does not fetch".into());
            }
            return;
        };
        let parameters = match props.and_then(|p| p.get_ci("parameters")) {
            None => Ok(HashMap::new()),
            Some(v) => parameter_values(v),
        };
        // A scope that is not known: as a resource group, where nothing is outside one.
        let scope = scope.unwrap_or(ArmScope::ResourceGroup);
        self.deploy(h, inst, &address, text, scope, parameters, provider);
    }

    /// Evaluate a template text deployed by `h` (instance `inst`) at `scope` with
    /// `parameters`, and add its resources, deployed through `provider`.
    #[allow(
        clippy::too_many_arguments,
        reason = "one deployment's facts, each used once"
    )]
    fn deploy(
        &self,
        h: &HostIr,
        inst: &HostInstance<'_>,
        address: &str,
        text: Text,
        scope: ArmScope,
        mut parameters: Result<HashMap<String, Val>, String>,
        provider: Option<usize>,
    ) {
        let (file, text, mapped) = match text {
            Text::File(id, text) => (id, text, None),
            Text::Mapped(m) => (VIRTUAL, Arc::from(m.text.as_str()), Some(m)),
            Text::Unknown(_) | Text::Unreadable(_) => return,
        };
        let map = |s: Span| mapped.as_ref().map_or(s, |m| m.map(s));
        let mut root = match jsonc_parser::parse_to_ast(
            &text,
            &jsonc_parser::CollectOptions::default(),
            &crate::jsonc::with_comments(),
        ) {
            Ok(r) => r.value,
            Err(e) => {
                let mut d = crate::jsonc::error_diagnostic(file, &text, &e);
                crate::model::map_diagnostic_spans(&mut d, &map);
                d.message = format!("{} (the template of `{address}`)", d.message);
                self.note(d);
                return;
            }
        };
        let Some(root) = root.as_mut().filter(|r| r.as_object().is_some()) else {
            let at = map(Span::new(file, 0, text.len()));
            self.note(crate::core::parse_error(
                at,
                format!("the template of `{address}` is not a JSON object"),
            ));
            return;
        };
        if let Some(m) = &mapped {
            let mut extra = HashMap::new();
            text_map::markers_to_parameters(m, root, &mut extra);
            if let Ok(p) = &mut parameters {
                p.extend(extra);
            }
        }
        let mut context = self.context.clone();
        context.push(Label::context(h.header, format!("deployed by `{address}`")));
        let mut scopes = self.scopes.clone();
        scopes.push(h.span);
        let (mut model, mut diags) = crate::arm::evaluate_embedded(crate::arm::Embedded {
            text: &text,
            file,
            root,
            scope,
            parameters,
            dialect: Dialect::EMBEDDED_ARM,
            context,
            scopes,
            exists: inst.exists.clone(),
            suffix: inst.suffix.clone(),
        });
        if mapped.is_some() {
            model.map_spans(&map);
            for d in &mut diags {
                crate::model::map_diagnostic_spans(d, &map);
            }
        }
        for d in diags.into_iter().chain(std::mem::take(&mut model.notes)) {
            self.note(d);
        }
        self.add_embedded(model, provider, h.header);
    }

    /// Add the resources of an evaluated template to the root's model.
    fn add_embedded(&self, model: Model, provider: Option<usize>, header: Span) {
        let base = self.run.resources.borrow().len();
        for mut r in model.resources {
            if let Some(ParentRef::Index(j)) = &mut r.parent_ref {
                *j += base;
            }
            r.provider = provider;
            self.push_resource(r, header);
        }
        self.run
            .subscription_ids
            .borrow_mut()
            .extend(model.subscription_ids);
    }

    /// A string attribute erlint parses, as text with where it was written.
    pub(super) fn read_text(&self, expr: &Expr, scope: &Scope<'_>) -> Text {
        if let ExprKind::Call(c) = &expr.kind
            && c.namespace.is_empty()
        {
            match (&*c.name, c.args.as_slice()) {
                ("file", [path]) => {
                    return match self.read_file(path, scope) {
                        Ok((id, text)) => Text::File(id, text),
                        Err(t) => t,
                    };
                }
                ("templatefile", [path, vars]) => {
                    let (id, text) = match self.read_file(path, scope) {
                        Ok(x) => x,
                        Err(t) => return t,
                    };
                    let vars = scope.eval_or_unknown(vars);
                    return match text_map::render_template_file(&text, id, &vars) {
                        Rendered::Text(m) => Text::Mapped(m),
                        Rendered::Unknown(u) => Text::Unknown(u),
                        Rendered::Invalid(why) => Text::Unreadable(why),
                    };
                }
                ("jsonencode", [value]) => {
                    let v = scope.eval_or_unknown(value);
                    return match &v.kind {
                        ValKind::Unknown(u) => Text::Unknown((**u).clone()),
                        _ => Text::Mapped(text_map::json_of(&v, expr.span)),
                    };
                }
                _ => {}
            }
        }
        let heredoc = self.module.heredocs.get(&expr.span);
        match text_map::render_expr(expr, heredoc, scope) {
            Rendered::Text(m) => Text::Mapped(m),
            Rendered::Unknown(u) => Text::Unknown(u),
            Rendered::Invalid(why) => Text::Unreadable(why),
        }
    }

    /// The file a `file()`/`templatefile()` path names (relative paths from the root
    /// module's directory, where Terraform runs), if erlint read it.
    fn read_file(&self, path: &Expr, scope: &Scope<'_>) -> Result<(FileId, Arc<str>), Text> {
        let v = scope.eval_or_unknown(path);
        let p = match &v.kind {
            ValKind::Str(p) => p.to_string(),
            ValKind::Unknown(u) => return Err(Text::Unknown((**u).clone())),
            _ => return Err(Text::Unreadable("the file name is not a string".into())),
        };
        let full = normalize(&self.run.root.dir.join(&p));
        match self.run.set.files.get(&full) {
            Some(ReadFile { id, text: Ok(t) }) => Ok((*id, t.clone())),
            Some(ReadFile { text: Err(why), .. }) => {
                Err(Text::Unreadable(format!("`{p}` cannot be read ({why})")))
            }
            None => Err(Text::Unreadable(format!(
                "`{p}` was not read (erlint reads the files named by a literal path or one under `path.module`)"
            ))),
        }
    }

    /// `parameters_content` as parameter values by lower-cased name (`Err`: why none is
    /// known). Both shapes are read: the inner map azurerm sends as is
    /// (`{ x = { value = … } }`), and a whole parameter file's (`{ parameters = … }`).
    fn deployment_parameters(
        &self,
        h: &HostIr,
        scope: &Scope<'_>,
    ) -> Result<HashMap<String, Val>, String> {
        let Some(attr) = h.body.attr("parameters_content") else {
            return Ok(HashMap::new());
        };
        let v = match &attr.expr.kind {
            ExprKind::Call(c) if &*c.name == "jsonencode" && c.namespace.is_empty() => {
                match c.args.as_slice() {
                    [arg] => scope.eval_or_unknown(arg),
                    _ => return Err("`parameters_content` is not known".into()),
                }
            }
            _ => match self.read_text(&attr.expr, scope) {
                Text::File(id, text) => json_or_unknown(&Mapped::file(&text, id))?,
                Text::Mapped(m) => json_or_unknown(&m)?,
                Text::Unknown(u) => {
                    return Err(format!("`parameters_content` is not known ({})", u.reason));
                }
                Text::Unreadable(why) => {
                    return Err(format!("`parameters_content` cannot be read: {why}"));
                }
            },
        };
        parameter_values(&v)
    }
}

fn json_or_unknown(m: &Mapped) -> Result<Val, String> {
    text_map::json_value(m).map_err(|(msg, _)| format!("`parameters_content` is not JSON: {msg}"))
}

/// Parameter values from a `parameters_content` value.
fn parameter_values(v: &Val) -> Result<HashMap<String, Val>, String> {
    let o = match &v.kind {
        ValKind::Object(o) => o,
        ValKind::Unknown(u) => {
            return Err(format!("`parameters_content` is not known ({})", u.reason));
        }
        _ => return Err("`parameters_content` is not an object".into()),
    };
    // A whole parameter file (`$schema`, `contentVersion`, `parameters`): its parameters.
    let wrapped = o
        .get_ci("parameters")
        .filter(|_| o.get_ci("$schema").is_some() || o.get_ci("contentVersion").is_some());
    let entries = match wrapped {
        Some(p) => match &p.kind {
            ValKind::Object(inner) => inner,
            ValKind::Unknown(u) => {
                return Err(format!("`parameters_content` is not known ({})", u.reason));
            }
            _ => return Err("`parameters` is not an object".into()),
        },
        None => o,
    };
    let mut out = HashMap::new();
    for (name, entry) in entries.iter() {
        let value = match &entry.kind {
            ValKind::Object(e) => match (e.get_ci("value"), e.get_ci("reference")) {
                (Some(v), _) => v.clone(),
                (None, Some(r)) => Val::unknown_with(
                    Unknown {
                        reason: format!(
                            "parameter `{name}` is a Key Vault reference, read at deployment"
                        ),
                        refers_to: None,
                        secret: true,
                        symbol: None,
                    },
                    r.span.or(entry.span),
                ),
                (None, None) => {
                    Val::unknown(format!("parameter `{name}` has no `value`"), entry.span)
                }
            },
            ValKind::Unknown(_) => entry.clone(),
            _ => Val::unknown(
                format!("parameter `{name}` is not written as `{{ value = … }}`"),
                entry.span,
            ),
        };
        out.insert(name.to_ascii_lowercase(), value);
    }
    Ok(out)
}

/// The files the host resources of `m` read with `file()` or `templatefile()` (a path
/// written as a literal, or under `path.module`/`path.root`), normalized: the driver
/// registers and reads them ([`read`]) before a unit that holds `m` is evaluated, and
/// they are evaluated through the resources that read them, not on their own.
pub fn wanted_files(m: &ModuleIr) -> Vec<PathBuf> {
    let mut wanted: Vec<PathBuf> = Vec::new();
    for h in &m.hosts {
        for attr in [
            "template_content",
            "parameters_content",
            "body",
            "sensitive_body",
        ] {
            if let Some(p) = h.body.attr(attr).and_then(|a| file_path(m, &a.expr)) {
                wanted.push(p);
            }
        }
    }
    wanted
}

/// Read a file [`wanted_files`] named, registered as `id`.
pub fn read(db: &SourceDb, id: FileId) -> ReadFile {
    let text = db
        .read(id)
        .map(|t| Arc::from(&*t))
        .map_err(|e| e.to_string());
    ReadFile { id, text }
}

/// The path of a `file(…)`/`templatefile(…)` call, when it is a literal or built from
/// `path.module`, `path.root` or `path.cwd` (the module's directory: a relative path is
/// read from the root module's directory, which for a root is its own).
fn file_path(m: &ModuleIr, e: &Expr) -> Option<PathBuf> {
    let ExprKind::Call(c) = &e.kind else {
        return None;
    };
    if &*c.name == "jsondecode" && c.namespace.is_empty() {
        return file_path(m, c.args.first()?);
    }
    if !matches!(&*c.name, "file" | "templatefile") || !c.namespace.is_empty() {
        return None;
    }
    let arg = c.args.first()?;
    let resolver = PathResolver {
        dir: m.dir.to_string_lossy().replace('\\', "/"),
    };
    let v = Scope::new(&resolver).eval(arg).ok()?;
    Some(normalize(&m.dir.join(v.as_str()?)))
}

/// Knows only `path.*` (the module's directory).
struct PathResolver {
    dir: String,
}

impl super::eval::Resolver for PathResolver {
    fn var(&self, name: &str, site: Span) -> super::eval::EvalResult {
        Err(super::eval::EvalError {
            message: format!("`var.{name}` is not known while files are found"),
            span: site,
        })
    }
    fn local(&self, name: &str, site: Span) -> super::eval::EvalResult {
        Err(super::eval::EvalError {
            message: format!("`local.{name}` is not known while files are found"),
            span: site,
        })
    }
    fn module_output(
        &self,
        _: &str,
        _: Option<&Val>,
        _: &str,
        site: Span,
    ) -> super::eval::EvalResult {
        Err(super::eval::EvalError {
            message: "module outputs are not known while files are found".into(),
            span: site,
        })
    }
    fn module_call(&self, _: &str) -> Option<bool> {
        None
    }
    fn resource_address(&self, _: &str, _: &str) -> Option<String> {
        None
    }
    fn path(&self, _: &str) -> Option<String> {
        Some(self.dir.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    fn sp() -> Option<Span> {
        Some(Span::new(FileId(0), 0, 1))
    }

    fn obj(items: Vec<(&str, Val)>) -> Val {
        let mut o = crate::model::Object::new();
        for (k, v) in items {
            o.insert(k, v);
        }
        Val::object(o, sp())
    }

    #[test]
    fn parameters_in_both_shapes() {
        let inner = obj(vec![
            ("circuitName", obj(vec![("value", Val::str("er-1", sp()))])),
            (
                "key",
                obj(vec![(
                    "reference",
                    obj(vec![("secretName", Val::str("k", sp()))]),
                )]),
            ),
        ]);
        let p = parameter_values(&inner).unwrap();
        assert_eq!(p["circuitname"].as_str(), Some("er-1"));
        assert!(p["key"].as_unknown().unwrap().secret);
        let wrapped = obj(vec![
            (
                "$schema",
                Val::str("https://x/deploymentParameters.json#", sp()),
            ),
            ("parameters", inner),
        ]);
        assert_eq!(parameter_values(&wrapped).unwrap().len(), 2);
        assert!(parameter_values(&Val::unknown("x", None)).is_err());
    }
}
