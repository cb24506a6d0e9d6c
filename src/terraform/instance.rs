//! Evaluating a Terraform root: module instances, `count`/`for_each`, `dynamic` blocks,
//! provider configurations, and the resources they produce, as one [`Model`].
//!
//! A root instance gets its variables from defaults, `TF_VAR_*`, tfvars files and the
//! command line (Terraform's precedence). Each module call is instantiated once per
//! `count`/`for_each` key with its arguments evaluated in the caller; instances are cached
//! so that `module.x.output` references and the resource walk share them.

use super::FastMap;
use super::ast::*;
use super::eval::{EvalError, EvalResult, Resolver, ResourceKeys, Scope, iterate};
use super::module::{ModuleCall, ModuleIr, ResourceIr, TfvarsFile, Variable};
use super::types::TypeSpec;
use super::{ModuleSet, Role};
use crate::diagnostic::{Diagnostic, Label};
use crate::limits;
use crate::model::value::format_number;
use crate::model::{
    Dialect, Existence, Model, Object, ProviderBlock, ProviderConfig, Resource, SubscriptionValue,
    Val, ValKind,
};
use crate::source::Span;
use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

/// Deepest module nesting followed (real configurations nest a handful of levels).
const MAX_MODULE_DEPTH: usize = 128;
/// Most instances one `count`/`for_each` expands to.
const MAX_INSTANCES: usize = 10_000;
/// Most resource instances of one root (as for an ARM template).
const MAX_RESOURCES: usize = 50_000;

/// Variable values from outside the configuration, in command-line order.
#[derive(Clone, Debug, Default)]
pub struct RootInputs {
    /// `TF_VAR_name` environment variables.
    pub env: Vec<(String, String)>,
    /// `--var-file` (parsed) and `--var NAME=VALUE`, in the order given.
    pub cli: Vec<CliVar>,
    /// Variable definitions files staged alone (pre-commit), each with the root directory
    /// (normalized) it configures: applied to that root only, after `cli`.
    pub staged: Vec<(std::path::PathBuf, TfvarsFile)>,
}

#[derive(Clone, Debug)]
pub enum CliVar {
    File(TfvarsFile),
    Pair(String, String),
}

/// Why a module call was not followed (ER004).
enum NotFollowed {
    /// Not a local path, and `.terraform/modules/modules.json` does not map it.
    Remote,
    /// A local path to a directory that does not exist (as shown: relative to the current
    /// directory).
    Missing(String),
    /// A local path to a directory without `.tf` or `.tf.json` files.
    NoTerraformFiles(String),
    Cycle,
}

impl NotFollowed {
    /// The reason and the fix.
    fn describe(&self) -> (String, &'static str) {
        match self {
            NotFollowed::Remote => (
                "it is not a local path and `.terraform/modules/modules.json` does not map it".into(),
                "run `terraform init` (or `terraform get`) so remote modules are on disk",
            ),
            NotFollowed::Missing(dir) => (
                format!("directory `{dir}` does not exist"),
                "check the `source` path (it is relative to the calling module's directory)",
            ),
            NotFollowed::NoTerraformFiles(dir) => (
                format!("directory `{dir}` has no Terraform files"),
                "check the `source` path (it is relative to the calling module's directory)",
            ),
            NotFollowed::Cycle => (
                "it calls back into a module that is already being evaluated (a cycle of module calls)".into(),
                "break the cycle: a module cannot call itself, directly or through others",
            ),
        }
    }
}

/// A local module source's directory as shown in messages: the calling module's shown
/// directory (relative to the current directory) joined with the source, `..` resolved.
fn shown_source_dir(caller: &str, source: &str) -> String {
    let mut parts: Vec<&str> = if caller == "." || caller.is_empty() {
        Vec::new()
    } else {
        caller.split('/').collect()
    };
    let absolute = caller.starts_with('/');
    for part in source.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != ".." && !p.is_empty()) {
                    parts.pop();
                } else if !absolute {
                    parts.push("..");
                }
            }
            p => parts.push(p),
        }
    }
    let joined = parts.join("/");
    if joined.is_empty() {
        ".".into()
    } else if absolute && !joined.starts_with('/') {
        format!("/{joined}")
    } else {
        joined
    }
}

/// The shared state of one root evaluation.
pub(super) struct Run<'a> {
    pub(super) set: &'a ModuleSet,
    pub(super) root: &'a ModuleIr,
    pub(super) providers: RefCell<Vec<ProviderConfig>>,
    /// Per provider config: the earliest root item (resource or module call) leading to
    /// an ExpressRoute resource that uses it.
    pub(super) resources: RefCell<Vec<(Resource, Span)>>,
    pub(super) notes: RefCell<Vec<Diagnostic>>,
    /// `azapi_update_resource` bodies, merged into their resources once all exist.
    pub(super) updates: RefCell<Vec<super::azapi::Update>>,
    /// Subscription ids of nested deployments in templates deployed from Terraform.
    pub(super) subscription_ids: RefCell<Vec<SubscriptionValue>>,
}

pub(super) struct Instance<'a> {
    pub(super) run: &'a Run<'a>,
    pub(super) module: &'a ModuleIr,
    /// `""` for the root, else `module.a["k"].module.b`.
    addr: String,
    /// Call names from the root (`a.b`), the key of `.terraform/modules/modules.json`.
    key_path: String,
    vars: Object,
    locals: RefCell<FastMap<Arc<str>, LocalState>>,
    /// Locals being evaluated, outermost first: a cycle is reported with its chain.
    local_stack: RefCell<Vec<Arc<str>>>,
    /// Resources whose instance keys are being worked out (`count`/`for_each` read whole
    /// from another resource's): one that reads itself again is not followed.
    keys_stack: RefCell<Vec<(Arc<str>, Arc<str>)>>,
    /// Output values, evaluated once.
    outputs: RefCell<FastMap<Arc<str>, Val>>,
    children: RefCell<FastMap<String, Rc<Instance<'a>>>>,
    /// Module calls of this module whose instances are being set up (their arguments
    /// evaluated) or expanded (their `count`/`for_each`): reading their outputs now is a
    /// cycle, as in Terraform.
    building: RefCell<Vec<Arc<str>>>,
    /// Local provider name (`azurerm`, `azurerm.hub`) → index in `Run::providers`.
    pub(super) providers: FastMap<String, usize>,
    dirs: Vec<PathBuf>,
    pub(super) context: Vec<Label>,
    pub(super) scopes: Vec<Span>,
    /// The root module call this instance descends from (`None` for the root).
    pub(super) root_item: Option<Span>,
    /// Why this instance might not exist (an unknown `count`/`for_each` on a call above).
    pub(super) maybe_absent: Option<String>,
}

enum LocalState {
    Evaluating,
    Done(Val),
}

/// Evaluate one root module (and every module it calls) into a model. As a
/// [`Role::Library`], every input variable is Unknown and no provider configuration is
/// checked. The evaluation has one budget ([`limits`]); the limits it reached are
/// ER005 warnings among the model's notes.
pub fn evaluate(set: &ModuleSet, root: &ModuleIr, role: Role, inputs: &RootInputs) -> Model {
    let (mut model, hits) = limits::run(|| evaluate_unit(set, root, role, inputs));
    model.notes.extend(limits::diagnostics(&hits));
    model
}

fn evaluate_unit(set: &ModuleSet, root: &ModuleIr, role: Role, inputs: &RootInputs) -> Model {
    let run = Run {
        set,
        root,
        providers: RefCell::new(Vec::new()),
        resources: RefCell::new(Vec::new()),
        notes: RefCell::new(Vec::new()),
        updates: RefCell::new(Vec::new()),
        subscription_ids: RefCell::new(Vec::new()),
    };
    let vars = match role {
        Role::Root => root_variables(root, inputs),
        Role::Library => library_variables(root),
    };
    let mut inst = Instance {
        run: &run,
        module: root,
        addr: String::new(),
        key_path: String::new(),
        vars,
        locals: RefCell::new(FastMap::default()),
        local_stack: RefCell::new(Vec::new()),
        keys_stack: RefCell::new(Vec::new()),
        outputs: RefCell::new(FastMap::default()),
        children: RefCell::new(FastMap::default()),
        building: RefCell::new(Vec::new()),
        providers: FastMap::default(),
        dirs: vec![root.dir.clone()],
        context: Vec::new(),
        scopes: Vec::new(),
        root_item: None,
        maybe_absent: None,
    };
    if role == Role::Root {
        inst.providers = inst.own_provider_configs(true);
    }
    inst.walk();
    drop(inst);
    let Run {
        providers,
        resources,
        notes,
        updates,
        subscription_ids,
        ..
    } = run;
    let mut providers = providers.into_inner();
    let mut resources = resources.into_inner();
    super::azapi::apply_updates(&mut resources, updates.into_inner());
    for (r, root_item) in &resources {
        if r.is_expressroute() != Some(true) {
            continue;
        }
        if let Some(p) = r.provider.and_then(|i| providers.get_mut(i))
            && p.first_use
                .is_none_or(|f| (root_item.file, root_item.start) < (f.file, f.start))
        {
            p.first_use = Some(*root_item);
        }
    }
    let mut model = Model {
        resources: resources.into_iter().map(|(r, _)| r).collect(),
        providers,
        subscription_ids: subscription_ids.into_inner(),
        notes: notes.into_inner(),
    };
    model.link();
    model
}

/// The root's variable values, lowest precedence first: default, `TF_VAR_*`, automatic
/// tfvars files, then `--var-file`/`--var` in command-line order.
fn root_variables(root: &ModuleIr, inputs: &RootInputs) -> Object {
    let consts = ConstResolver;
    let scope = Scope::new(&consts);
    let mut vars = Object::new();
    for v in &root.variables {
        let val = match &v.default {
            Some(d) => scope.eval_or_unknown(d),
            None => Val::unknown(
                format!(
                    "variable `{}` has no value (no default, not set in a tfvars file or TF_VAR_{})",
                    v.name, v.name
                ),
                Some(v.header),
            ),
        };
        vars.insert(v.name.clone(), val);
    }
    let set = |vars: &mut Object, name: &str, val: Val| {
        if root.variable(name).is_some() {
            vars.insert(name, val);
        }
    };
    let apply_file = |vars: &mut Object, file: &TfvarsFile| {
        if let Some(why) = &file.broken {
            // The file may set any variable: nothing of lower precedence is known.
            for v in &root.variables {
                let reason = format!("{why}, and may set `var.{}`", v.name);
                vars.insert(v.name.clone(), Val::unknown(reason, Some(v.header)));
            }
        }
        for a in &file.values {
            set(vars, &a.name, scope.eval_or_unknown(&a.expr));
        }
    };
    for (name, raw) in &inputs.env {
        set(&mut vars, name, parse_cli_value(root, name, raw));
    }
    for file in &root.tfvars {
        apply_file(&mut vars, file);
    }
    for c in &inputs.cli {
        match c {
            CliVar::File(f) => apply_file(&mut vars, f),
            CliVar::Pair(name, raw) => set(&mut vars, name, parse_cli_value(root, name, raw)),
        }
    }
    for (dir, file) in &inputs.staged {
        if *dir == root.dir {
            apply_file(&mut vars, file);
        }
    }
    for v in &root.variables {
        if let Some(val) = vars.get_mut(&v.name) {
            *val = final_value(v, val.clone(), &format_args!("variable `{}`", v.name));
        }
    }
    vars
}

/// A variable's value as the module sees it (Terraform's `prepareFinalInputVariableValue`):
/// converted to its type; a null given to a `nullable = false` variable becomes the
/// default, and without a (non-null) default Terraform rejects the configuration, so the
/// value is Unknown. `what` names the variable in messages.
fn final_value(v: &Variable, val: Val, what: &dyn std::fmt::Display) -> Val {
    let ty = v.ty.as_ref().map(TypeSpec::parse);
    let convert = |val: Val| match &ty {
        Some(t) => match t.convert(val.clone()) {
            Ok(c) => c,
            Err(e) => Val::unknown(format!("{what}: {e}"), val.span),
        },
        None => val,
    };
    let val = convert(val);
    if v.nullable || !val.is_null() {
        return val;
    }
    let default = v
        .default
        .as_ref()
        .map(|d| convert(Scope::new(&ConstResolver).eval_or_unknown(d)))
        .filter(|d| !d.is_null());
    default.unwrap_or_else(|| {
        Val::unknown(
            format!(
                "{what} is null, but it is declared `nullable = false` without a default (Terraform rejects this)"
            ),
            val.span,
        )
    })
}

/// `v`, or Unknown if it is too large to walk ([`limits::within_size`], an ER005 there).
fn sized(v: Val) -> Val {
    let Some(at) = v.span else {
        return v;
    };
    match limits::within_size(&v, at) {
        Ok(()) => v,
        Err(stop) => Val::unknown(stop.reason, Some(at)),
    }
}
/// The instances of `count = c`, whose value is `v`.
fn expand_count(c: &Expr, v: &Val) -> Expansion {
    match &v.kind {
        ValKind::Number(n) if *n >= 0.0 && n.fract() == 0.0 => {
            if *n > MAX_INSTANCES as f64 {
                instances_cut(c.span, "`count`", &format_number(*n));
            }
            let n = (*n as usize).min(MAX_INSTANCES);
            Expansion::Keys(
                (0..n)
                    .map(|i| {
                        let mut o = Object::new();
                        o.insert("index", Val::number(i as f64, Some(c.span)));
                        InstanceKey {
                            suffix: format!("[{i}]"),
                            binding: Some(("count", Val::object(o, Some(c.span)))),
                        }
                    })
                    .collect(),
            )
        }
        ValKind::Unknown(u) => {
            let mut o = Object::new();
            o.insert(
                "index",
                Val::unknown("`count.index` of an unknown `count`", Some(c.span)),
            );
            Expansion::Unknown(
                InstanceKey {
                    suffix: String::new(),
                    binding: Some(("count", Val::object(o, Some(c.span)))),
                },
                format!("`count` is not known ({})", u.reason),
            )
        }
        _ => Expansion::Unknown(
            InstanceKey {
                suffix: String::new(),
                binding: None,
            },
            format!("`count` is not a whole number ({})", v.type_name()),
        ),
    }
}

/// The keys `for_each` value `v` gives its instances, sorted, as [`expand_for_each`] reads
/// them (`None`: not known, or more than erlint expands).
fn for_each_keys(v: &Val) -> Option<ResourceKeys> {
    let mut keys: Vec<Arc<str>> = match &v.kind {
        ValKind::Object(o) => o.keys().map(Arc::from).collect(),
        ValKind::List(items) => items
            .iter()
            .map(|x| match &x.kind {
                ValKind::Str(s) => Some(s.clone()),
                ValKind::Number(n) => Some(Arc::from(format_number(*n))),
                _ => None,
            })
            .collect::<Option<_>>()?,
        _ => return None,
    };
    keys.sort();
    keys.dedup();
    (keys.len() <= MAX_INSTANCES).then_some(ResourceKeys::Keys(keys))
}

/// The instances of `for_each = fe`, whose value is `v`.
fn expand_for_each(fe: &Expr, v: &Val) -> Expansion {
    let unknown = |why: String| {
        let mut o = Object::new();
        o.insert(
            "key",
            Val::unknown("`each.key` of an unknown `for_each`", Some(fe.span)),
        );
        o.insert(
            "value",
            Val::unknown("`each.value` of an unknown `for_each`", Some(fe.span)),
        );
        Expansion::Unknown(
            InstanceKey {
                suffix: String::new(),
                binding: Some(("each", Val::object(o, Some(fe.span)))),
            },
            why,
        )
    };
    let pairs: Vec<(Arc<str>, Val)> = match &v.kind {
        ValKind::Object(o) => o.iter().map(|(k, x)| (Arc::from(k), x.clone())).collect(),
        ValKind::List(items) => {
            let mut out = Vec::new();
            for x in items.iter() {
                match &x.kind {
                    ValKind::Str(s) => out.push((s.clone(), x.clone())),
                    ValKind::Number(n) => out.push((Arc::from(format_number(*n)), x.clone())),
                    _ => return unknown("a `for_each` element is not a known string".into()),
                }
            }
            out
        }
        ValKind::Unknown(u) => {
            return unknown(format!("`for_each` is not known ({})", u.reason));
        }
        _ => {
            return unknown(format!(
                "`for_each` is a {}, not a map or set",
                v.type_name()
            ));
        }
    };
    let mut pairs = pairs;
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    pairs.dedup_by(|a, b| a.0 == b.0);
    if pairs.len() > MAX_INSTANCES {
        instances_cut(
            fe.span,
            "`for_each`",
            &limits::thousands(pairs.len() as u64),
        );
    }
    Expansion::Keys(
        pairs
            .into_iter()
            .take(MAX_INSTANCES)
            .map(|(k, x)| {
                let mut o = Object::new();
                o.insert("key", Val::str(k.clone(), x.span.or(Some(fe.span))));
                o.insert("value", x);
                InstanceKey {
                    suffix: format!("[{}]", serde_json::Value::String(k.to_string())),
                    binding: Some(("each", Val::object(o, Some(fe.span)))),
                }
            })
            .collect(),
    )
}

/// An ER005 where `count`/`for_each` asks for more instances than erlint expands.
fn instances_cut(at: Span, what: &str, asked: &str) {
    limits::hit(
        at,
        format!(
            "{what} asks for {asked} instances; erlint expanded only the first {} and did not check the others",
            limits::thousands(MAX_INSTANCES as u64)
        ),
    );
}

/// A library module's inputs: all Unknown (its callers set them).
fn library_variables(m: &ModuleIr) -> Object {
    let mut vars = Object::new();
    for v in &m.variables {
        vars.insert(
            v.name.clone(),
            Val::unknown(
                format!(
                    "`var.{}` is set by the module's callers (no caller in this scan)",
                    v.name
                ),
                Some(v.header),
            ),
        );
    }
    vars
}

/// `TF_VAR_x` / `--var x=…`: a string for string variables, else parsed as HCL. The value
/// was written in no scanned file: it has no span and is marked [`Val::external`], down to
/// its elements.
fn parse_cli_value(root: &ModuleIr, name: &str, raw: &str) -> Val {
    let is_string = root
        .variable(name)
        .and_then(|v| v.ty.as_ref())
        .map(|t| matches!(TypeSpec::parse(t), TypeSpec::String))
        .unwrap_or(true);
    if is_string {
        return Val::str(raw, None).into_external();
    }
    let text = format!("v = {raw}\n");
    let parsed = match super::hcl::parse(&text) {
        Ok(body) => {
            let conv = super::hcl::Conv::new(crate::source::FileId(u32::MAX));
            let b = conv.body(&body);
            b.attrs
                .first()
                .map(|a| Scope::new(&ConstResolver).eval_or_unknown(&a.expr))
        }
        Err(_) => None,
    };
    parsed
        .unwrap_or_else(|| Val::str(raw, None))
        .into_external()
}

/// Resolves nothing: for tfvars and defaults, which must be constant.
struct ConstResolver;

impl Resolver for ConstResolver {
    fn var(&self, name: &str, site: Span) -> EvalResult {
        Err(EvalError {
            message: format!("variables are not allowed here (`var.{name}`)"),
            span: site,
        })
    }
    fn local(&self, name: &str, site: Span) -> EvalResult {
        Err(EvalError {
            message: format!("locals are not allowed here (`local.{name}`)"),
            span: site,
        })
    }
    fn module_output(&self, call: &str, _: Option<&Val>, _: &str, site: Span) -> EvalResult {
        Err(EvalError {
            message: format!("module outputs are not allowed here (`module.{call}`)"),
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
        None
    }
}

/// One instance of `count`/`for_each`: its key and the names it binds.
#[derive(Clone, Debug)]
pub(super) struct InstanceKey {
    /// `[0]`, `["east"]`, or empty for a single instance.
    pub(super) suffix: String,
    /// `count` or `each` object to bind.
    pub(super) binding: Option<(&'static str, Val)>,
}

pub(super) enum Expansion {
    Keys(Vec<InstanceKey>),
    /// No `count` or `for_each`: the one instance (kept without a vector).
    One(InstanceKey),
    /// The collection is Unknown: one instance with Unknown `count.index`/`each.*`.
    Unknown(InstanceKey, String),
}

/// The keys of an [`Expansion`], in order.
pub(super) type Keys =
    std::iter::Chain<std::option::IntoIter<InstanceKey>, std::vec::IntoIter<InstanceKey>>;

impl Expansion {
    /// The instances' keys, and why they are not known (for [`Expansion::Unknown`]).
    pub(super) fn into_keys(self) -> (Keys, Option<String>) {
        match self {
            Expansion::Keys(keys) => (None.into_iter().chain(keys), None),
            Expansion::One(k) => (Some(k).into_iter().chain(Vec::new()), None),
            Expansion::Unknown(k, why) => (Some(k).into_iter().chain(Vec::new()), Some(why)),
        }
    }
}

impl<'a> Instance<'a> {
    pub(super) fn scope(&self) -> Scope<'_> {
        Scope::new(self)
    }

    /// Expand `count` / `for_each` of a resource or module call, evaluated here.
    pub(super) fn expand(&self, count: Option<&Expr>, for_each: Option<&Expr>) -> Expansion {
        let scope = self.scope();
        if let Some(c) = count {
            return expand_count(c, &scope.eval_or_unknown(c));
        }
        let Some(fe) = for_each else {
            return Expansion::One(InstanceKey {
                suffix: String::new(),
                binding: None,
            });
        };
        expand_for_each(fe, &scope.eval_or_unknown(fe))
    }

    /// Provider configurations declared in this module (the root's are the root's; a
    /// child module's own blocks are legacy but still honoured).
    fn own_provider_configs(&self, is_root: bool) -> FastMap<String, usize> {
        let mut map = FastMap::default();
        let mut providers = self.run.providers.borrow_mut();
        for p in &self.module.providers {
            let local = match &p.alias {
                Some(a) => format!("{}.{a}", p.name),
                None => p.name.to_string(),
            };
            let body = self.eval_body(&self.scope(), &p.block.body, p.block.header);
            let address = if is_root {
                local.clone()
            } else {
                format!("{}.provider[\"{local}\"]", self.addr)
            };
            providers.push(ProviderConfig {
                address,
                alias: p.alias.as_ref().map(|a| a.to_string()),
                block: Some(ProviderBlock {
                    header: p.block.header,
                    extent: p.block.span,
                    body,
                }),
                root: self.run.root.display.clone(),
                first_use: None,
            });
            map.insert(local, providers.len() - 1);
        }
        if is_root {
            // The default configurations exist even without a block.
            for name in ["azurerm", "azapi"] {
                // Looked up before a key is made: most roots declare `azurerm`.
                if map.contains_key(name) {
                    continue;
                }
                providers.push(ProviderConfig {
                    address: name.to_string(),
                    alias: None,
                    block: None,
                    root: self.run.root.display.clone(),
                    first_use: None,
                });
                map.insert(name.to_string(), providers.len() - 1);
            }
        }
        map
    }

    /// The provider config a resource uses: `provider = x.y`, else its type's prefix.
    fn provider_for(&self, r: &ResourceIr) -> Option<usize> {
        self.provider_of(&r.ty, r.provider.as_deref())
    }

    /// The provider config a resource of type `ty` with the `provider` meta-argument
    /// `provider` uses.
    pub(super) fn provider_of(&self, ty: &str, provider: Option<&str>) -> Option<usize> {
        let local = match provider {
            Some(p) => p,
            None => ty.split('_').next().unwrap_or(""),
        };
        if let Some(i) = self.providers.get(local) {
            return Some(*i);
        }
        if self.providers.is_empty() {
            // A library module evaluated on its own: its callers configure providers.
            return None;
        }
        // An alias nobody configured: a configuration without a block.
        let mut providers = self.run.providers.borrow_mut();
        providers.push(ProviderConfig {
            address: local.to_string(),
            alias: provider
                .and_then(|p| p.split_once('.'))
                .map(|(_, a)| a.to_string()),
            block: None,
            root: self.run.root.display.clone(),
            first_use: None,
        });
        Some(providers.len() - 1)
    }

    fn walk(&self) {
        // Every local, in the order written (each one then reads finished ones, not a
        // chain of references), as Terraform evaluates them: a cycle is an error even
        // when nothing reads it.
        let mut locals: Vec<(&Arc<str>, &Expr)> = self.module.locals.iter().collect();
        locals.sort_by_key(|(_, e)| (e.span.file, e.span.start));
        for (name, e) in locals {
            let _ = self.local(name, e.span);
        }
        for r in &self.module.resources {
            self.instantiate_resource(r);
        }
        for h in &self.module.hosts {
            self.instantiate_host(h);
        }
        for call in &self.module.module_calls {
            match self.expand_call(call) {
                Expansion::Keys(keys) => {
                    // Once the budget is spent, one instance still shows what is there.
                    for (i, k) in keys.into_iter().enumerate() {
                        if i > 0 && limits::exhausted() {
                            break;
                        }
                        if let Some(child) = self.child(call, &k, None) {
                            child.walk();
                        }
                    }
                }
                Expansion::One(k) => {
                    if let Some(child) = self.child(call, &k, None) {
                        child.walk();
                    }
                }
                Expansion::Unknown(k, why) => {
                    if let Some(child) = self.child(call, &k, Some(why)) {
                        child.walk();
                    }
                }
            }
        }
    }

    fn instantiate_resource(&self, r: &ResourceIr) {
        let (keys, unknown) = self
            .expand(r.count.as_ref(), r.for_each.as_ref())
            .into_keys();
        let kind = r.kind;
        let body = &r.body;
        let provider = self.provider_for(r);
        let base = self.scope();
        for (i, k) in keys.into_iter().enumerate() {
            if i > 0 && limits::exhausted() {
                break;
            }
            if self.run.resources.borrow().len() >= MAX_RESOURCES {
                limits::exhaust(
                    r.header,
                    format!(
                        "this root reached erlint's limit of {} resource instances",
                        limits::thousands(MAX_RESOURCES as u64)
                    ),
                );
                return;
            }
            // An instance costs about as much as the module calls above it.
            let _ = limits::values(1 + self.context.len(), r.header);
            let bound;
            let scope = match &k.binding {
                Some((name, v)) => {
                    bound = base.bind(*name, v.clone());
                    &bound
                }
                None => &base,
            };
            let body_val = self.eval_body(scope, body, r.header);
            let address = self.address(&r.ty, &r.name, &k.suffix);
            let exists = match unknown.as_ref().or(self.maybe_absent.as_ref()) {
                Some(why) => Existence::Unknown(why.clone()),
                None => Existence::Yes,
            };
            let parent_ref = super::circuit_parent(kind, &body_val);
            let res = Resource {
                exists,
                parent_ref,
                provider,
                context: self.context.clone(),
                scopes: self.scopes.clone(),
                ..Resource::new(kind, Dialect::AZURERM, address, r.header, r.span, body_val)
            };
            let subnets = super::inline_subnets(&res);
            let root_item = self.root_item.unwrap_or(r.header);
            let mut resources = self.run.resources.borrow_mut();
            resources.push((res, root_item));
            resources.extend(subnets.into_iter().map(|s| (s, root_item)));
        }
    }

    /// `{prefix}{ty}.{name}{suffix}`: the address of a resource (`ty` `module` for a
    /// module call) of this instance, built without `format!` (tens of thousands a run).
    pub(super) fn address(&self, ty: &str, name: &str, suffix: &str) -> String {
        let mut s =
            String::with_capacity(self.addr.len() + 1 + ty.len() + 1 + name.len() + suffix.len());
        if !self.addr.is_empty() {
            s.push_str(&self.addr);
            s.push('.');
        }
        s.push_str(ty);
        s.push('.');
        s.push_str(name);
        s.push_str(suffix);
        s
    }

    pub(super) fn prefix(&self) -> String {
        if self.addr.is_empty() {
            String::new()
        } else {
            format!("{}.", self.addr)
        }
    }

    /// Evaluate a block body into an object: attributes, nested blocks as lists of objects,
    /// `dynamic` blocks expanded.
    pub(super) fn eval_body(&self, scope: &Scope<'_>, body: &Body, header: Span) -> Val {
        let mut o = Object::with_capacity(body.attrs.len() + body.blocks.len());
        // Counted, not stopped: once the budget is spent, every attribute is Unknown.
        let _ = limits::values(1 + body.attrs.len() + body.blocks.len(), header);
        for a in &body.attrs {
            o.insert(a.name.clone(), sized(scope.eval_or_unknown(&a.expr)));
        }
        let mut blocks: Vec<(Arc<str>, Vec<Val>, Option<Val>)> = Vec::new();
        let mut push = |name: &Arc<str>, v: Result<Val, Val>| {
            let slot = match blocks.iter_mut().position(|(n, _, _)| n == name) {
                Some(i) => i,
                None => {
                    blocks.push((name.clone(), Vec::new(), None));
                    blocks.len() - 1
                }
            };
            if let Some((_, list, unknown)) = blocks.get_mut(slot) {
                match v {
                    Ok(x) => list.push(x),
                    Err(u) => *unknown = Some(u),
                }
            }
        };
        for b in &body.blocks {
            if &*b.ident == "dynamic" {
                let Some(label) = b.labels.first() else {
                    continue;
                };
                for v in self.expand_dynamic(scope, b, label) {
                    push(label, v);
                }
            } else {
                push(&b.ident, Ok(self.eval_body(scope, &b.body, b.header)));
            }
        }
        for (name, list, unknown) in blocks {
            let v = match unknown {
                Some(u) => u,
                None => Val::list(list, None),
            };
            o.insert(name, v);
        }
        Val::object(o, Some(header))
    }

    /// `dynamic "x" { for_each = …; iterator = it; content { … } }` → one object per element,
    /// or an `Err(unknown)` when the collection is not known.
    fn expand_dynamic(
        &self,
        scope: &Scope<'_>,
        b: &Block,
        label: &Arc<str>,
    ) -> Vec<Result<Val, Val>> {
        let Some(content) = b.body.blocks_named("content").next() else {
            return Vec::new();
        };
        let iterator: Arc<str> = b
            .body
            .attr("iterator")
            .and_then(|a| a.expr.reference_text())
            .map(Arc::from)
            .unwrap_or_else(|| label.clone());
        let Some(fe) = b.body.attr("for_each") else {
            return Vec::new();
        };
        let coll = scope.eval_or_unknown(&fe.expr);
        let items = match iterate(&coll, fe.expr.span) {
            Ok(Some(items)) => items,
            Ok(None) | Err(_) => {
                let why = coll
                    .first_unknown()
                    .map(|u| u.reason.clone())
                    .unwrap_or_else(|| "not a collection".into());
                return vec![Err(Val::unknown(
                    format!("the `for_each` of dynamic block `{label}` is not known ({why})"),
                    Some(b.header),
                ))];
            }
        };
        if items.len() > MAX_INSTANCES {
            instances_cut(
                fe.expr.span,
                &format!("the `for_each` of dynamic block `{label}`"),
                &limits::thousands(items.len() as u64),
            );
        }
        items
            .into_iter()
            .take(MAX_INSTANCES)
            .take_while(|_| !limits::exhausted())
            .map(|(k, v)| {
                let mut it = Object::new();
                it.insert("key", k);
                it.insert("value", v);
                let s = scope.bind(iterator.clone(), Val::object(it, Some(fe.expr.span)));
                Ok(self.eval_body(&s, &content.body, b.header))
            })
            .collect()
    }

    /// The child instance of `call` for key `k` (created once, then cached).
    fn child(
        &self,
        call: &ModuleCall,
        k: &InstanceKey,
        unknown: Option<String>,
    ) -> Option<Rc<Instance<'a>>> {
        let cache_key = format!("{}{}", call.name, k.suffix);
        if let Some(c) = self.children.borrow().get(&cache_key) {
            return Some(c.clone());
        }
        self.building.borrow_mut().push(call.name.clone());
        let child = self.make_child(call, k, unknown);
        self.building.borrow_mut().pop();
        let child = child?;
        let child = Rc::new(child);
        self.children.borrow_mut().insert(cache_key, child.clone());
        Some(child)
    }

    /// The directory and module a call names, when erlint follows it (a note or ER005
    /// when not).
    fn callee(&self, call: &ModuleCall, key_path: &str) -> Option<(PathBuf, &'a ModuleIr)> {
        let Some(dir) = self.run.set.resolve(
            &self.module.dir,
            &self.run.root.dir,
            key_path,
            call.source.as_deref(),
        ) else {
            self.note_not_followed(call, key_path, NotFollowed::Remote);
            return None;
        };
        let Some(module) = self.run.set.modules.get(&dir) else {
            let shown =
                shown_source_dir(&self.module.display, call.source.as_deref().unwrap_or(""));
            let why = if dir.is_dir() {
                NotFollowed::NoTerraformFiles(shown)
            } else {
                NotFollowed::Missing(shown)
            };
            self.note_not_followed(call, key_path, why);
            return None;
        };
        if self.dirs.contains(&dir) {
            self.note_not_followed(call, key_path, NotFollowed::Cycle);
            return None;
        }
        if self.dirs.len() >= MAX_MODULE_DEPTH {
            limits::hit(
                call.header,
                format!(
                    "module `{}` was not followed: it is nested {} module calls deep, erlint's limit; the resources in it and below were not checked",
                    call.name,
                    self.dirs.len()
                ),
            );
            return None;
        }
        Some((dir, &**module))
    }

    /// The input variables of a call's instance `k` of `module`: the arguments evaluated
    /// here, else the defaults.
    fn module_inputs(&self, call: &ModuleCall, k: &InstanceKey, module: &ModuleIr) -> Object {
        let base = self.scope();
        let bound;
        let scope = match &k.binding {
            Some((name, v)) => {
                bound = base.bind(*name, v.clone());
                &bound
            }
            None => &base,
        };
        let mut vars = Object::new();
        for v in &module.variables {
            let given = call.args.iter().find(|a| a.name == v.name);
            let val = match (given, &v.default) {
                (Some(a), _) => scope.eval_or_unknown(&a.expr),
                (None, Some(d)) => Scope::new(&ConstResolver).eval_or_unknown(d),
                (None, None) => Val::unknown(
                    format!("input `{}` of module `{}` is not set", v.name, call.name),
                    Some(call.header),
                ),
            };
            let val = final_value(
                v,
                sized(val),
                &format_args!("input `{}` of module `{}`", v.name, call.name),
            );
            vars.insert(v.name.clone(), val);
        }
        vars
    }

    /// The provider configurations a call passes (`providers = { … }`), else the
    /// caller's default ones.
    fn passed_providers(&self, call: &ModuleCall) -> FastMap<String, usize> {
        let mut providers = FastMap::default();
        if call.providers.is_empty() {
            for (name, i) in &self.providers {
                if !name.contains('.') {
                    providers.insert(name.clone(), *i);
                }
            }
        } else {
            for (inner, outer) in &call.providers {
                if let Some(i) = self.providers.get(outer) {
                    providers.insert(inner.clone(), *i);
                }
            }
        }
        providers
    }

    fn make_child(
        &self,
        call: &ModuleCall,
        k: &InstanceKey,
        unknown: Option<String>,
    ) -> Option<Instance<'a>> {
        let key_path = if self.key_path.is_empty() {
            call.name.to_string()
        } else {
            format!("{}.{}", self.key_path, call.name)
        };
        let (dir, module) = self.callee(call, &key_path)?;
        let vars = self.module_inputs(call, k, module);
        let addr = self.address("module", &call.name, &k.suffix);
        let _ = limits::values(1 + vars.len() + self.context.len(), call.header);
        let mut context = self.context.clone();
        let msg = match &unknown {
            Some(why) => format!("in `{addr}`, whose instances are unknown: {why}"),
            None => format!("in `{addr}`, called here"),
        };
        context.push(Label::context(call.header, msg));
        let mut scopes = self.scopes.clone();
        scopes.push(call.span);
        let mut dirs = self.dirs.clone();
        dirs.push(dir.clone());
        let mut child = Instance {
            run: self.run,
            module,
            addr,
            key_path,
            vars,
            locals: RefCell::new(FastMap::default()),
            local_stack: RefCell::new(Vec::new()),
            keys_stack: RefCell::new(Vec::new()),
            outputs: RefCell::new(FastMap::default()),
            children: RefCell::new(FastMap::default()),
            building: RefCell::new(Vec::new()),
            providers: FastMap::default(),
            dirs,
            context,
            scopes,
            root_item: Some(self.root_item.unwrap_or(call.header)),
            maybe_absent: unknown.or_else(|| self.maybe_absent.clone()),
        };
        let mut providers = self.passed_providers(call);
        providers.extend(child.own_provider_configs(false));
        child.providers = providers;
        Some(child)
    }

    /// Expand a module call's `count`/`for_each`; meanwhile its outputs are a cycle.
    fn expand_call(&self, call: &ModuleCall) -> Expansion {
        self.building.borrow_mut().push(call.name.clone());
        let e = self.expand(call.count.as_ref(), call.for_each.as_ref());
        self.building.borrow_mut().pop();
        e
    }

    /// The value of this instance's output `name` (evaluated once).
    fn output(&self, name: &str) -> Option<Val> {
        if let Some(v) = self.outputs.borrow().get(name) {
            return Some(v.clone());
        }
        let (key, e) = self.module.outputs.get_key_value(name)?;
        let v = sized(self.scope().eval_or_unknown(e));
        self.outputs.borrow_mut().insert(key.clone(), v.clone());
        Some(v)
    }

    /// ER001 for `local.name` read (at `site`) while it is being evaluated.
    fn local_cycle(&self, name: &str, site: Span) -> EvalError {
        let stack = self.local_stack.borrow();
        let from = stack.iter().rposition(|n| &**n == name).unwrap_or(0);
        let chain: Vec<String> = stack
            .get(from..)
            .unwrap_or_default()
            .iter()
            .map(|n| format!("`local.{n}`"))
            .chain([format!("`local.{name}`")])
            .collect();
        let message = if chain.len() <= 2 {
            format!("`local.{name}` refers to itself")
        } else {
            format!(
                "`local.{name}` refers to itself through a cycle: {}",
                chain.join(" → ")
            )
        };
        self.note_cycle(site, &message, "a local value cannot depend on itself: Terraform reports this as `Cycle`; compute one of these values from something else");
        EvalError {
            message,
            span: site,
        }
    }

    /// ER001 for `module.call.output` read (at `site`) while `module.call` is being set
    /// up or expanded.
    fn module_cycle(&self, call: &str, output: &str, site: Span) -> EvalError {
        let building = self.building.borrow();
        let from = building.iter().position(|b| &**b == call).unwrap_or(0);
        let chain: Vec<String> = building
            .get(from..)
            .unwrap_or_default()
            .iter()
            .map(|b| format!("`module.{b}`"))
            .chain([format!("`module.{call}`")])
            .collect();
        let message = if chain.len() <= 2 {
            format!(
                "`module.{call}.{output}` is read by the arguments or `count`/`for_each` of `module.{call}` itself (a cycle)"
            )
        } else {
            format!(
                "`module.{call}.{output}` is read while `module.{call}` is being set up, a cycle: {}",
                chain.join(" → ")
            )
        };
        self.note_cycle(site, &message, "a module's arguments and `count`/`for_each` cannot depend on its own outputs: Terraform reports this as `Cycle`; pass the value from where the output gets it");
        EvalError {
            message,
            span: site,
        }
    }

    /// An ER001 (a cycle Terraform rejects) at `site`, once.
    fn note_cycle(&self, site: Span, message: &str, help: &str) {
        let mut d = crate::core::parse_error(site, message);
        d.help(help);
        d.labels.extend(self.context.iter().cloned());
        d.scopes.extend(self.scopes.iter().copied());
        let mut notes = self.run.notes.borrow_mut();
        if !notes
            .iter()
            .any(|n| n.primary == d.primary && n.code == d.code)
        {
            notes.push(d);
        }
    }

    /// ER004 for `call`, whose call names from the root are `key_path` (`a.b`).
    fn note_not_followed(&self, call: &ModuleCall, key_path: &str, why: NotFollowed) {
        let source = call.source.as_deref().unwrap_or("(no source)");
        let (why, help) = why.describe();
        let mut d = crate::core::module_not_followed(
            call.source_span,
            format!(
                "module `{}` (source `{source}`) was not followed: {why}",
                call.name
            ),
        );
        d.help(format!("{help}; resources in this module were not checked"));
        // The module call's address in the configuration (`module.a.module.b`): one note for
        // every instance of it.
        let address: Vec<String> = key_path.split('.').map(|n| format!("module.{n}")).collect();
        d.resource = Some(address.join("."));
        d.scopes.push(call.span);
        let mut notes = self.run.notes.borrow_mut();
        if !notes.iter().any(|n| n.primary == d.primary) {
            notes.push(d);
        }
    }
}

impl Resolver for Instance<'_> {
    fn var(&self, name: &str, site: Span) -> EvalResult {
        match self.vars.get(name) {
            Some(v) => Ok(v.clone()),
            None => Err(EvalError {
                message: format!("no variable named `{name}` is declared"),
                span: site,
            }),
        }
    }

    fn local(&self, name: &str, site: Span) -> EvalResult {
        if let Some(state) = self.locals.borrow().get(name) {
            return match state {
                LocalState::Done(v) => Ok(v.clone()),
                LocalState::Evaluating => Err(self.local_cycle(name, site)),
            };
        }
        // The module's own name, shared (not copied) as the key of this instance's state.
        let Some((key, expr)) = self.module.locals.get_key_value(name) else {
            return Err(EvalError {
                message: format!("no local value named `{name}`"),
                span: site,
            });
        };
        self.locals
            .borrow_mut()
            .insert(key.clone(), LocalState::Evaluating);
        self.local_stack.borrow_mut().push(key.clone());
        let v = sized(self.scope().eval_or_unknown(expr));
        self.local_stack.borrow_mut().pop();
        self.locals
            .borrow_mut()
            .insert(key.clone(), LocalState::Done(v.clone()));
        Ok(v)
    }

    fn module_output(&self, call: &str, key: Option<&Val>, output: &str, site: Span) -> EvalResult {
        let Some(mc) = self.module.module_call(call) else {
            return Err(EvalError {
                message: format!("no module call named `{call}`"),
                span: site,
            });
        };
        if self.building.borrow().iter().any(|b| &**b == call) {
            return Err(self.module_cycle(call, output, site));
        }
        let k = match key {
            None => InstanceKey {
                suffix: String::new(),
                binding: None,
            },
            Some(key) => match self.expand_call(mc) {
                Expansion::Unknown(..) => {
                    return Ok(Val::unknown(
                        format!("the instances of `module.{call}` are not known"),
                        Some(site),
                    ));
                }
                expansion => {
                    let (mut keys, _) = expansion.into_keys();
                    let want = match &key.kind {
                        ValKind::Str(s) => {
                            format!("[{}]", serde_json::Value::String(s.to_string()))
                        }
                        ValKind::Number(n) => format!("[{}]", format_number(*n)),
                        _ => {
                            return Err(EvalError {
                                message: "a module key must be a string or number".into(),
                                span: site,
                            });
                        }
                    };
                    match keys.find(|k| k.suffix == want) {
                        Some(k) => k,
                        None => {
                            return Err(EvalError {
                                message: format!("`module.{call}` has no instance {want}"),
                                span: site,
                            });
                        }
                    }
                }
            },
        };
        let Some(child) = self.child(mc, &k, None) else {
            return Ok(Val::unknown(
                format!("module `{call}` was not followed"),
                Some(site),
            ));
        };
        child.output(output).ok_or_else(|| EvalError {
            message: format!("module `{call}` has no output `{output}`"),
            span: site,
        })
    }

    fn module_call(&self, call: &str) -> Option<bool> {
        self.module
            .module_call(call)
            .map(|c| c.count.is_some() || c.for_each.is_some())
    }

    fn resource_address(&self, ty: &str, name: &str) -> Option<String> {
        let m = self.module;
        let declared = m.resources.iter().any(|r| &*r.ty == ty && &*r.name == name)
            || m.hosts.iter().any(|h| &*h.ty == ty && &*h.name == name)
            || m.declared_scope(ty, name).is_some();
        declared.then(|| self.address(ty, name, ""))
    }

    fn resource_keys(&self, ty: &str, name: &str) -> Option<ResourceKeys> {
        let m = self.module;
        let (count, for_each) = match m
            .resources
            .iter()
            .find(|r| &*r.ty == ty && &*r.name == name)
        {
            Some(r) => (r.count.as_ref(), r.for_each.as_ref()),
            None => {
                let h = m.hosts.iter().find(|h| &*h.ty == ty && &*h.name == name)?;
                (h.count.as_ref(), h.for_each.as_ref())
            }
        };
        if count.is_none() && for_each.is_none() {
            return None;
        }
        {
            // A `count`/`for_each` that reads its own resource (a cycle, which Terraform
            // rejects) is not followed; nor a chain deeper than a few resources.
            let mut stack = self.keys_stack.borrow_mut();
            if stack.len() >= 8 || stack.iter().any(|(t, n)| &**t == ty && &**n == name) {
                return None;
            }
            stack.push((Arc::from(ty), Arc::from(name)));
        }
        let scope = self.scope();
        let keys = match (count, for_each) {
            (Some(c), _) => match scope.eval_or_unknown(c).kind {
                ValKind::Number(n) if n >= 0.0 && n.fract() == 0.0 && n <= MAX_INSTANCES as f64 => {
                    Some(ResourceKeys::Count(n as usize))
                }
                _ => None,
            },
            (None, Some(fe)) => for_each_keys(&scope.eval_or_unknown(fe)),
            (None, None) => None,
        };
        self.keys_stack.borrow_mut().pop();
        keys
    }

    fn path(&self, which: &str) -> Option<String> {
        let p = |d: &Path| d.to_string_lossy().replace('\\', "/");
        match which {
            "module" => Some(p(&self.module.dir)),
            "root" => Some(p(&self.run.root.dir)),
            "cwd" => std::env::current_dir().ok().map(|d| p(&d)),
            _ => None,
        }
    }
}
