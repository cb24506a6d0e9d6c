//! The Terraform expression evaluator: what Terraform knows before plan, and Unknown for
//! everything else (resource attributes, data sources, functions erlint does not
//! implement). Errors are returned as [`EvalError`]; `try()` and `can()` catch them, other
//! callers turn them into Unknown.

use super::ast::*;
use super::functions;
use crate::limits::{self, Stop};
use crate::model::value::format_number;
use crate::model::{Object, Unknown, Val, ValKind};
use crate::panics;
use crate::source::Span;
use std::fmt::Write as _;
use std::sync::Arc;

/// A Terraform evaluation error (an error in Terraform too).
#[derive(Clone, Debug)]
pub struct EvalError {
    pub message: String,
    pub span: Span,
}

pub type EvalResult = Result<Val, EvalError>;

fn err(span: Span, message: impl Into<String>) -> EvalError {
    EvalError {
        message: message.into(),
        span,
    }
}

/// A limit of the unit's evaluation budget was reached: an error `try()` and `can()` do
/// not catch (see [`limits`]).
fn stopped(span: Span, s: Stop) -> EvalError {
    err(span, s.reason)
}

/// Largest collection a `for` expression or template loop may iterate over.
const MAX_ITEMS: usize = 100_000;
/// Largest string a template may produce.
const MAX_TEMPLATE: usize = 16 * 1024 * 1024;

/// What a module instance resolves: variables, locals, module outputs, resources, paths.
pub trait Resolver {
    fn var(&self, name: &str, site: Span) -> EvalResult;
    fn local(&self, name: &str, site: Span) -> EvalResult;
    /// `module.<call>[key].<output>`; `key` is `None` for a call without count/for_each.
    fn module_output(&self, call: &str, key: Option<&Val>, output: &str, site: Span) -> EvalResult;
    /// Whether `module.<call>` exists and uses count/for_each.
    fn module_call(&self, call: &str) -> Option<bool>;
    /// The address prefix of a declared resource `type.name` (`module.x.type.name`).
    fn resource_address(&self, ty: &str, name: &str) -> Option<String>;
    /// The instance keys of a declared resource `type.name` with a `count` or `for_each`
    /// known here (`None`: a single instance, or keys not known).
    fn resource_keys(&self, _ty: &str, _name: &str) -> Option<ResourceKeys> {
        None
    }
    /// `path.module`, `path.root`, `path.cwd`.
    fn path(&self, which: &str) -> Option<String>;
}

/// The instances of a resource with `count` or `for_each`, as a bare reference to it
/// (`azurerm_express_route_circuit.site`) reads them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResourceKeys {
    /// `count`: a list of so many instances.
    Count(usize),
    /// `for_each`: a map of instances by these keys, sorted.
    Keys(Vec<Arc<str>>),
}

/// Evaluation scope: a resolver plus local bindings (`each`, `count`, `for` variables,
/// `dynamic` iterators), innermost first.
pub struct Scope<'a> {
    pub resolver: &'a dyn Resolver,
    parent: Option<&'a Scope<'a>>,
    binding: Option<(Arc<str>, Val)>,
}

impl<'a> Scope<'a> {
    pub fn new(resolver: &'a dyn Resolver) -> Scope<'a> {
        Scope {
            resolver,
            parent: None,
            binding: None,
        }
    }

    /// A child scope with one more name bound.
    pub fn bind(&'a self, name: impl Into<Arc<str>>, val: Val) -> Scope<'a> {
        Scope {
            resolver: self.resolver,
            parent: Some(self),
            binding: Some((name.into(), val)),
        }
    }

    fn lookup_binding(&self, name: &str) -> Option<&Val> {
        let mut s = Some(self);
        while let Some(scope) = s {
            if let Some((n, v)) = &scope.binding
                && &**n == name
            {
                return Some(v);
            }
            s = scope.parent;
        }
        None
    }

    /// Evaluate; an error becomes an Unknown value carrying the message.
    pub fn eval_or_unknown(&self, e: &Expr) -> Val {
        match self.eval(e) {
            Ok(v) => v,
            Err(e2) => Val::unknown(format!("evaluation error: {}", e2.message), Some(e.span)),
        }
    }

    /// Evaluate `e`: one step of the unit's budget, one level deeper (counted across
    /// references, see [`limits::nested`]); a panic inside is an ER000 here and the value
    /// is Unknown.
    pub fn eval(&self, e: &Expr) -> EvalResult {
        limits::step(e.span).map_err(|s| stopped(e.span, s))?;
        match limits::nested(e.span, || panics::guard(e.span, || self.eval_inner(e))) {
            Ok(Some(r)) => r,
            Ok(None) => Ok(Val::unknown(
                "erlint could not evaluate this expression (an internal error, reported as ER000)",
                Some(e.span),
            )),
            Err(s) => Err(stopped(e.span, s)),
        }
    }

    /// Evaluate `e` for `try()`/`can()`: `Err` only for an error Terraform would report,
    /// never for a limit of erlint's (that is `Ok(Unknown)`).
    fn eval_catchable(&self, e: &Expr) -> EvalResult {
        let hits = limits::hit_count();
        match self.eval(e) {
            Err(x) if limits::hit_count() > hits || limits::exhausted() => Ok(Val::unknown(
                format!("not evaluated: {}", x.message),
                Some(e.span),
            )),
            r => r,
        }
    }

    /// An object constructor `{ k = v, (expr) = v }`.
    fn object(&self, items: &[(ObjectKey, Expr)], span: Span) -> EvalResult {
        let sp = Some(span);
        limits::values(items.len(), span).map_err(|s| stopped(span, s))?;
        let mut o = Object::with_capacity(items.len());
        for (k, v) in items {
            let key = match k {
                ObjectKey::Ident(s, _) => s.clone(),
                ObjectKey::Expr(x) => {
                    let kv = self.eval(x)?;
                    match &kv.kind {
                        ValKind::Str(s) => s.clone(),
                        ValKind::Number(n) => Arc::from(format_number(*n)),
                        ValKind::Bool(b) => Arc::from(b.to_string()),
                        ValKind::Unknown(_) => {
                            return Ok(Val::unknown(
                                "an object key is not known before deployment",
                                sp,
                            ));
                        }
                        _ => return Err(err(x.span, "object key must be a string")),
                    }
                }
            };
            o.insert(key, self.eval(v)?);
        }
        Ok(Val::object(o, sp))
    }

    /// `c ? t : f`.
    fn conditional(&self, c: &Expr, t: &Expr, f: &Expr, span: Span) -> EvalResult {
        let sp = Some(span);
        let cv = self.eval(c)?;
        match &cv.kind {
            ValKind::Bool(true) => Ok(self.eval(t)?.resited(sp)),
            ValKind::Bool(false) => Ok(self.eval(f)?.resited(sp)),
            ValKind::Unknown(u) => Ok(Val::unknown(
                format!("the condition is not known ({})", u.reason),
                sp,
            )),
            ValKind::Str(s) if &**s == "true" => Ok(self.eval(t)?.resited(sp)),
            ValKind::Str(s) if &**s == "false" => Ok(self.eval(f)?.resited(sp)),
            _ => Err(err(
                c.span,
                format!("condition must be a bool, not {}", cv.type_name()),
            )),
        }
    }

    fn eval_inner(&self, e: &Expr) -> EvalResult {
        let sp = Some(e.span);
        match &e.kind {
            ExprKind::Null => Ok(Val::null(sp)),
            ExprKind::Bool(b) => Ok(Val::bool(*b, sp)),
            ExprKind::Number(n) => Ok(Val::number(*n, sp)),
            ExprKind::Str(s) => Ok(Val::str(s.clone(), sp)),
            ExprKind::Invalid(why) => Ok(Val::unknown(why.to_string(), sp)),
            ExprKind::Template(parts) => self.template(parts, e.span),
            ExprKind::Array(items) => {
                limits::values(items.len(), e.span).map_err(|s| stopped(e.span, s))?;
                let vals = items
                    .iter()
                    .map(|i| self.eval(i))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(Val::list(vals, sp))
            }
            ExprKind::Object(items) => self.object(items, e.span),
            ExprKind::Variable(name) => self.root(name, &[], e.span),
            ExprKind::Traversal(t) => match &t.root.kind {
                ExprKind::Variable(name) => self.root(name, &t.ops, e.span),
                _ => {
                    let base = self.eval(&t.root)?;
                    Ok(self.apply_ops(base, &t.ops, e.span)?.resited(sp))
                }
            },
            ExprKind::Call(call) => self.call(call, e.span),
            ExprKind::Conditional(c) => self.conditional(&c.cond, &c.then, &c.otherwise, e.span),
            ExprKind::Unary(op, x) => {
                let v = self.eval(x)?;
                match (op, &v.kind) {
                    (_, ValKind::Unknown(_)) => Ok(v.resited(sp)),
                    (UnaryOp::Neg, ValKind::Number(n)) => Ok(Val::number(-n, sp)),
                    (UnaryOp::Not, ValKind::Bool(b)) => Ok(Val::bool(!b, sp)),
                    (UnaryOp::Neg, _) => Err(err(x.span, "`-` needs a number")),
                    (UnaryOp::Not, _) => Err(err(x.span, "`!` needs a bool")),
                }
            }
            ExprKind::Binary(op, l, r) => self.binary(*op, l, r, e.span),
            ExprKind::For(f) => self.for_expr(f, e.span),
        }
    }

    /// A reference starting at a root name, then traversal operators.
    fn root(&self, name: &str, ops: &[TraversalOp], site: Span) -> EvalResult {
        let sp = Some(site);
        if let Some(v) = self.lookup_binding(name) {
            return Ok(self.apply_ops(v.clone(), ops, site)?.resited(sp));
        }
        let (first, rest) = match ops.split_first() {
            Some((TraversalOp::Attr(a, _), rest)) => (Some(a.clone()), rest),
            _ => (None, ops),
        };
        let base = match (name, &first) {
            ("var", Some(a)) => self.resolver.var(a, site)?,
            ("local", Some(a)) => self.resolver.local(a, site)?,
            ("path", Some(a)) => match self.resolver.path(a) {
                Some(p) => Val::str(p, sp),
                None => return Err(err(site, format!("unknown path attribute `{a}`"))),
            },
            ("terraform", Some(a)) if &**a == "workspace" => {
                Val::unknown("`terraform.workspace` is chosen when Terraform runs", sp)
            }
            ("data", _) => {
                let what = ops_text(name, ops);
                // Remembered like a resource reference (`data.azurerm_resource_group.net`),
                // so that a front end can tell what an id names.
                let refers_to = match ops {
                    [TraversalOp::Attr(ty, _), TraversalOp::Attr(n, _), ..] => {
                        Some(format!("data.{ty}.{n}"))
                    }
                    _ => None,
                };
                return Ok(Val::unknown_with(
                    Unknown {
                        reason: format!("`{what}` is read from a data source at plan time"),
                        refers_to,
                        secret: false,
                        symbol: None,
                    },
                    sp,
                ));
            }
            ("self", _) => return Ok(Val::unknown("`self` is only known at apply time", sp)),
            ("each", _) | ("count", _) => {
                return Err(err(
                    site,
                    format!(
                        "`{name}` is only available in resources and modules with `{}`",
                        if name == "each" { "for_each" } else { "count" }
                    ),
                ));
            }
            ("module", Some(call)) => return self.module_ref(call, rest, site),
            ("var" | "local" | "path" | "module" | "terraform", None) => {
                return Err(err(
                    site,
                    format!("`{name}` must be followed by an attribute name"),
                ));
            }
            (ty, Some(rname)) => match self.resolver.resource_address(ty, rname) {
                Some(addr) => {
                    if !matches!(rest.first(), Some(TraversalOp::Index(_)))
                        && let Some(keys) = self.resolver.resource_keys(ty, rname)
                        && let Ok(v) = self.apply_ops(self.instances(&addr, keys, site), rest, site)
                    {
                        return Ok(v.resited(sp));
                    }
                    return Ok(self.resource_ref(addr, rest, site));
                }
                None => {
                    return Ok(Val::unknown(
                        format!("`{}` is not known before deployment", ops_text(name, ops)),
                        sp,
                    ));
                }
            },
            (other, None) => return Err(err(site, format!("unknown name `{other}`"))),
        };
        Ok(self.apply_ops(base, rest, site)?.resited(sp))
    }

    /// A resource with `count` or `for_each` read whole (`for_each =
    /// azurerm_express_route_circuit.site`): its instances by key, each Unknown and
    /// remembering its address, as `type.name[key]` reads it.
    fn instances(&self, addr: &str, keys: ResourceKeys, site: Span) -> Val {
        let one = |key: String| self.resource_ref(format!("{addr}{key}"), &[], site);
        match keys {
            ResourceKeys::Count(n) => {
                Val::list((0..n).map(|i| one(format!("[{i}]"))).collect(), Some(site))
            }
            ResourceKeys::Keys(keys) => {
                let mut o = Object::with_capacity(keys.len());
                for k in keys {
                    let v = one(format!("[{}]", serde_json::Value::String(k.to_string())));
                    o.insert(k, v);
                }
                Val::object(o, Some(site))
            }
        }
    }

    /// `type.name[key].attr…`: Unknown, remembering which resource it refers to.
    fn resource_ref(&self, mut addr: String, rest: &[TraversalOp], site: Span) -> Val {
        if let Some(TraversalOp::Index(k)) = rest.first() {
            // Written into `addr` (a `String`: writing cannot fail).
            let _ = match self.eval(k).map(|v| v.kind) {
                Ok(ValKind::Str(s)) => {
                    write!(addr, "[{}]", serde_json::Value::String(s.to_string()))
                }
                Ok(ValKind::Number(n)) => write!(addr, "[{}]", format_number(n)),
                _ => Ok(()),
            };
        }
        let attr = rest.iter().find_map(|op| match op {
            TraversalOp::Attr(a, _) => Some(a),
            _ => None,
        });
        // "`{addr}.{attr}` is only known after apply", sized once (one per reference to
        // a resource: tens of thousands a run).
        const AFTER: &str = "` is only known after apply";
        let mut reason =
            String::with_capacity(1 + addr.len() + attr.map_or(0, |a| 1 + a.len()) + AFTER.len());
        reason.push('`');
        reason.push_str(&addr);
        if let Some(a) = attr {
            reason.push('.');
            reason.push_str(a);
        }
        reason.push_str(AFTER);
        Val::unknown_with(
            Unknown {
                reason,
                refers_to: Some(addr),
                secret: false,
                symbol: None,
            },
            Some(site),
        )
    }

    fn module_ref(&self, call: &str, rest: &[TraversalOp], site: Span) -> EvalResult {
        let sp = Some(site);
        let Some(expanded) = self.resolver.module_call(call) else {
            return Err(err(site, format!("no module call named `{call}`")));
        };
        let (key, rest) = if expanded {
            match rest.split_first() {
                Some((TraversalOp::Index(k), rest)) => (Some(self.eval(k)?), rest),
                _ => {
                    return Ok(Val::unknown(
                        format!("`module.{call}` as a whole is not evaluated by erlint"),
                        sp,
                    ));
                }
            }
        } else {
            (None, rest)
        };
        let Some((TraversalOp::Attr(output, _), rest)) = rest.split_first() else {
            return Ok(Val::unknown(
                format!("`module.{call}` as a whole is not evaluated by erlint"),
                sp,
            ));
        };
        if let Some(k) = &key
            && k.is_unknown()
        {
            return Ok(Val::unknown(
                format!("the instance key of `module.{call}` is not known"),
                sp,
            ));
        }
        let v = self
            .resolver
            .module_output(call, key.as_ref(), output, site)?;
        Ok(self.apply_ops(v, rest, site)?.resited(sp))
    }

    /// Apply `.attr`, `[index]` and splats to a value.
    pub fn apply_ops(&self, mut v: Val, ops: &[TraversalOp], site: Span) -> EvalResult {
        for (i, op) in ops.iter().enumerate() {
            if let ValKind::Unknown(_) = v.kind {
                return Ok(v);
            }
            match op {
                TraversalOp::Attr(a, sp) => {
                    v = match &v.kind {
                        ValKind::Object(o) => match o.get(a) {
                            Some(x) => x.clone(),
                            None => return Err(err(*sp, format!("object has no attribute `{a}`"))),
                        },
                        ValKind::Null => {
                            return Err(err(*sp, format!("cannot read `{a}` of a null value")));
                        }
                        _ => {
                            return Err(err(
                                *sp,
                                format!("cannot read `{a}` of a {}", v.type_name()),
                            ));
                        }
                    };
                }
                TraversalOp::Index(k) => {
                    let kv = self.eval(k)?;
                    v = index(&v, &kv, k.span)?;
                }
                TraversalOp::Splat => {
                    let rest = ops.get(i + 1..).unwrap_or(&[]);
                    let items: Vec<Val> = match &v.kind {
                        ValKind::List(items) => items.to_vec(),
                        ValKind::Null => Vec::new(),
                        _ => vec![v.clone()],
                    };
                    let out = items
                        .into_iter()
                        .map(|item| self.apply_ops(item, rest, site))
                        .collect::<Result<Vec<_>, _>>()?;
                    return Ok(Val::list(out, Some(site)));
                }
            }
        }
        Ok(v)
    }

    fn template(&self, parts: &[TemplatePart], span: Span) -> EvalResult {
        // A template that is exactly one interpolation returns the value itself.
        if let [TemplatePart::Interpolation(x)] = parts {
            return Ok(self.eval(x)?.resited(Some(span)));
        }
        // Sized for the literal text and a short value per other part: most templates
        // (`"${local.prefix}-erc"`) are then written without growing.
        let guess: usize = parts
            .iter()
            .map(|p| match p {
                TemplatePart::Literal(s) => s.len(),
                _ => 32,
            })
            .sum();
        let mut out = String::with_capacity(guess);
        let mut external = false;
        let rendered = match parts {
            // `"${azurerm_virtual_network.hub.id}/subnets/GatewaySubnet"`: the id is read
            // once, as a child's id or as the template's first part.
            [TemplatePart::Interpolation(x), rest @ ..] if is_id_reference(x) => {
                let v = self.eval(x)?;
                if let Some(child) = self.child_id(&v, rest, span) {
                    return Ok(child);
                }
                match self.append(v, x.span, &mut out, &mut external, span)? {
                    Some(u) => Some(u),
                    None => self.render(rest, &mut out, &mut external, span)?,
                }
            }
            _ => self.render(parts, &mut out, &mut external, span)?,
        };
        limits::bytes(out.len(), span).map_err(|s| stopped(span, s))?;
        match rendered {
            None => {
                let mut v = Val::str(out, Some(span));
                v.external = external;
                Ok(v)
            }
            Some(u) => Ok(Val::new(ValKind::Unknown(u), Some(span))),
        }
    }

    /// A child resource's id built on its parent's `id` (`parent`, the value of the
    /// template's first part), the rest of the template `rest` being the child's path
    /// (`"${azurerm_virtual_network.hub.id}/subnets/GatewaySubnet"`): Unknown like the
    /// parent's id, remembering the child's address
    /// (`azurerm_virtual_network.hub/subnets/GatewaySubnet`), as a front end names the
    /// resources written inside another. `None` for any other template.
    fn child_id(&self, parent: &Val, rest: &[TemplatePart], span: Span) -> Option<Val> {
        let ValKind::Unknown(u) = &parent.kind else {
            return None;
        };
        let address = u.refers_to.as_deref()?;
        let mut path = String::new();
        let mut external = false;
        // A path not known, or not evaluated, is no child's.
        if self
            .render(rest, &mut path, &mut external, span)
            .ok()?
            .is_some()
        {
            return None;
        }
        crate::model::child_path(&path)?;
        let unknown = Unknown {
            reason: u.reason.clone(),
            refers_to: Some(format!("{address}{path}")),
            secret: u.secret,
            symbol: None,
        };
        Some(Val::unknown_with(unknown, Some(span)))
    }

    /// Appends `${x}` to `out`; `Some(unknown)` if it is not known.
    fn interpolate(
        &self,
        x: &Expr,
        out: &mut String,
        external: &mut bool,
        span: Span,
    ) -> Result<Option<Arc<Unknown>>, EvalError> {
        let v = self.eval(x)?;
        self.append(v, x.span, out, external, span)
    }

    /// Appends the value `v` of an interpolation written at `at` to `out`;
    /// `Some(unknown)` if it is not known.
    fn append(
        &self,
        v: Val,
        at: Span,
        out: &mut String,
        external: &mut bool,
        span: Span,
    ) -> Result<Option<Arc<Unknown>>, EvalError> {
        *external |= v.external;
        if let ValKind::Unknown(mut u) = v.kind {
            // The same unknown, shared when it refers to nothing; changed in place when
            // this evaluation made it (a resource reference), copied only when shared.
            if u.refers_to.is_some() {
                Arc::make_mut(&mut u).refers_to = None;
            }
            return Ok(Some(u));
        }
        let text = to_template_string(&v, at)?;
        limits::bytes(text.len(), at).map_err(|s| stopped(at, s))?;
        out.push_str(&text);
        if out.len() > MAX_TEMPLATE {
            return Err(template_too_large(span));
        }
        Ok(None)
    }

    /// Append the rendered template to `out`; `Some(unknown)` if a part is not known.
    /// `external` is set when an interpolated value was written in no file.
    fn render(
        &self,
        parts: &[TemplatePart],
        out: &mut String,
        external: &mut bool,
        span: Span,
    ) -> Result<Option<Arc<Unknown>>, EvalError> {
        for p in parts {
            match p {
                TemplatePart::Literal(s) => {
                    out.push_str(s);
                    limits::bytes(s.len(), span).map_err(|s| stopped(span, s))?;
                }
                TemplatePart::Interpolation(x) => {
                    if let Some(u) = self.interpolate(x, out, external, span)? {
                        return Ok(Some(u));
                    }
                }
                TemplatePart::If(i) => {
                    let TemplateIf {
                        cond,
                        then,
                        otherwise,
                    } = &**i;
                    let c = self.eval(cond)?;
                    let branch = match &c.kind {
                        ValKind::Bool(true) => then,
                        ValKind::Bool(false) => otherwise,
                        ValKind::Unknown(u) => return Ok(Some(u.clone())),
                        _ => return Err(err(cond.span, "template condition must be a bool")),
                    };
                    if let Some(u) = self.render(branch, out, external, span)? {
                        return Ok(Some(u));
                    }
                }
                TemplatePart::For(f) => {
                    let TemplateFor {
                        key_var,
                        value_var,
                        collection,
                        body,
                    } = &**f;
                    let coll = self.eval(collection)?;
                    let Some(items) = iterate(&coll, collection.span)? else {
                        return Ok(Some(Arc::new(Unknown {
                            reason: "a template loop's collection is not known".into(),
                            ..Unknown::default()
                        })));
                    };
                    for (k, v) in items {
                        let s1 = self.bind(value_var.clone(), v);
                        let s2;
                        let scope = match key_var {
                            Some(kv) => {
                                s2 = s1.bind(kv.clone(), k);
                                &s2
                            }
                            None => &s1,
                        };
                        if let Some(u) = scope.render(body, out, external, span)? {
                            return Ok(Some(u));
                        }
                        if out.len() > MAX_TEMPLATE {
                            return Err(template_too_large(span));
                        }
                    }
                }
            }
        }
        Ok(None)
    }

    fn binary(&self, op: BinaryOp, l: &Expr, r: &Expr, span: Span) -> EvalResult {
        let sp = Some(span);
        let lv = self.eval(l)?;
        // `false && x` and `true || x` do not need x to be known.
        if let (BinaryOp::And, ValKind::Bool(false)) | (BinaryOp::Or, ValKind::Bool(true)) =
            (op, &lv.kind)
        {
            return Ok(Val::bool(op == BinaryOp::Or, sp));
        }
        let rv = self.eval(r)?;
        match op {
            BinaryOp::Eq | BinaryOp::NotEq => {
                for v in [&lv, &rv] {
                    limits::within_size(v, span).map_err(|s| stopped(span, s))?;
                }
                let eq = match (&lv.kind, &rv.kind) {
                    (ValKind::Unknown(_), _) | (_, ValKind::Unknown(_)) => None,
                    _ => lv.known_eq(&rv),
                };
                Ok(match eq {
                    Some(b) => Val::bool(if op == BinaryOp::Eq { b } else { !b }, sp),
                    None => Val::unknown("a compared value is not known", sp),
                })
            }
            BinaryOp::And | BinaryOp::Or => match (&lv.kind, &rv.kind) {
                (ValKind::Bool(a), ValKind::Bool(b)) => Ok(Val::bool(
                    if op == BinaryOp::And {
                        *a && *b
                    } else {
                        *a || *b
                    },
                    sp,
                )),
                (_, ValKind::Bool(false)) if op == BinaryOp::And => Ok(Val::bool(false, sp)),
                (_, ValKind::Bool(true)) if op == BinaryOp::Or => Ok(Val::bool(true, sp)),
                (ValKind::Unknown(_), _) | (_, ValKind::Unknown(_)) => {
                    Ok(Val::unknown("an operand is not known", sp))
                }
                _ => Err(err(span, "logical operators need bools")),
            },
            _ => {
                if lv.is_unknown() || rv.is_unknown() {
                    return Ok(Val::unknown("an operand is not known", sp));
                }
                let a = to_number(&lv).ok_or_else(|| {
                    err(
                        l.span,
                        format!("a number is required, not {}", lv.type_name()),
                    )
                })?;
                let b = to_number(&rv).ok_or_else(|| {
                    err(
                        r.span,
                        format!("a number is required, not {}", rv.type_name()),
                    )
                })?;
                Ok(match op {
                    BinaryOp::Add => Val::number(a + b, sp),
                    BinaryOp::Sub => Val::number(a - b, sp),
                    BinaryOp::Mul => Val::number(a * b, sp),
                    BinaryOp::Div if b == 0.0 => return Err(err(r.span, "division by zero")),
                    BinaryOp::Div => Val::number(a / b, sp),
                    BinaryOp::Mod if b == 0.0 => return Err(err(r.span, "modulo by zero")),
                    BinaryOp::Mod => Val::number(a % b, sp),
                    BinaryOp::Less => Val::bool(a < b, sp),
                    BinaryOp::LessEq => Val::bool(a <= b, sp),
                    BinaryOp::Greater => Val::bool(a > b, sp),
                    BinaryOp::GreaterEq => Val::bool(a >= b, sp),
                    BinaryOp::Eq | BinaryOp::NotEq | BinaryOp::And | BinaryOp::Or => Val::null(sp),
                })
            }
        }
    }

    fn for_expr(&self, f: &ForExpr, span: Span) -> EvalResult {
        let sp = Some(span);
        let coll = self.eval(&f.collection)?;
        let Some(items) = iterate(&coll, f.collection.span)? else {
            return Ok(Val::unknown(
                "the collection of a `for` expression is not known",
                sp,
            ));
        };
        if items.len() > MAX_ITEMS {
            return Err(too_large(
                f.collection.span,
                &format!(
                    "this `for` expression's collection has {} elements, more than erlint's limit of {}",
                    limits::thousands(items.len() as u64),
                    limits::thousands(MAX_ITEMS as u64)
                ),
            ));
        }
        limits::values(items.len(), span).map_err(|s| stopped(span, s))?;
        let mut list = Vec::new();
        let mut obj = Object::new();
        let mut groups: Vec<(Arc<str>, Vec<Val>)> = Vec::new();
        for (k, v) in items {
            let s1 = self.bind(f.value_var.clone(), v);
            let s2;
            let scope = match &f.key_var {
                Some(kv) => {
                    s2 = s1.bind(kv.clone(), k);
                    &s2
                }
                None => &s1,
            };
            if let Some(c) = &f.cond {
                match for_filter(&scope.eval(c)?, c)? {
                    Some(true) => {}
                    Some(false) => continue,
                    None => {
                        return Ok(Val::unknown("a `for` expression's `if` is not known", sp));
                    }
                }
            }
            let value = scope.eval(&f.value_expr)?;
            match &f.key_expr {
                None => list.push(value),
                Some(ke) => {
                    let Some(key) = for_key(&scope.eval(ke)?, ke)? else {
                        return Ok(Val::unknown("a `for` expression's key is not known", sp));
                    };
                    if f.grouping {
                        match groups.iter_mut().find(|(g, _)| *g == key) {
                            Some((_, vals)) => vals.push(value),
                            None => groups.push((key, vec![value])),
                        }
                    } else {
                        if obj.contains_key(&key) {
                            return Err(err(
                                ke.span,
                                format!(
                                    "duplicate key `{key}` in `for` expression (use `...` to group)"
                                ),
                            ));
                        }
                        obj.push(key, value);
                    }
                }
            }
        }
        if f.key_expr.is_none() {
            return Ok(Val::list(list, sp));
        }
        if f.grouping {
            for (k, vals) in groups {
                obj.push(k, Val::list(vals, sp));
            }
        }
        obj.sort_keys();
        Ok(Val::object(obj, sp))
    }

    fn call(&self, call: &Call, span: Span) -> EvalResult {
        let sp = Some(span);
        if !call.namespace.is_empty() {
            let ns = call.namespace.join("::");
            return Ok(Val::unknown(
                format!(
                    "provider function `{ns}::{}` is not evaluated by erlint",
                    call.name
                ),
                sp,
            ));
        }
        match &*call.name {
            "try" => {
                let mut last = None;
                for a in &call.args {
                    match self.eval_catchable(a) {
                        Ok(v) if limits::within_size(&v, a.span).is_err() => {
                            return Ok(Val::unknown("a `try()` argument is too large", sp));
                        }
                        Ok(v) if v.is_wholly_known() => return Ok(v.resited(sp)),
                        // Not known yet, but it is the result unless it fails at apply:
                        // its reason and the resource it refers to are kept
                        // (`try(azurerm_x.main[0].name, null)` still names the resource).
                        Ok(v) if v.is_unknown() => return Ok(v.resited(sp)),
                        Ok(_) => return Ok(Val::unknown("a `try()` argument is not known", sp)),
                        Err(e) => last = Some(e),
                    }
                }
                return Err(last.unwrap_or_else(|| err(span, "`try` needs at least one argument")));
            }
            "can" => {
                let Some(a) = call.args.first() else {
                    return Err(err(span, "`can` needs one argument"));
                };
                return Ok(match self.eval_catchable(a) {
                    Ok(v) if limits::within_size(&v, a.span).is_err() => {
                        Val::unknown("the `can()` argument is too large", sp)
                    }
                    Ok(v) if v.is_wholly_known() => Val::bool(true, sp),
                    Ok(_) => Val::unknown("the `can()` argument is not known", sp),
                    Err(_) => Val::bool(false, sp),
                });
            }
            _ => {}
        }
        let mut args = call
            .args
            .iter()
            .map(|a| self.eval(a))
            .collect::<Result<Vec<_>, _>>()?;
        if call.expand_final {
            match args.pop() {
                Some(last) => match &last.kind {
                    ValKind::List(items) => args.extend(items.iter().cloned()),
                    ValKind::Unknown(_) => {
                        return Ok(Val::unknown("the expanded argument is not known", sp));
                    }
                    _ => return Err(err(span, "`...` needs a list")),
                },
                None => return Err(err(span, "`...` needs an argument")),
            }
        }
        // Functions walk their arguments: none may be endless to walk.
        for a in &args {
            limits::within_size(a, span).map_err(|s| stopped(span, s))?;
        }
        // A value computed from one written in no file (`TF_VAR_*`, `--var`) is not one
        // written in the configuration either.
        let external = args.iter().any(Val::holds_external);
        match functions::call(&call.name, args, sp) {
            None => Ok(Val::unknown(
                format!("function `{}()` is not evaluated by erlint", call.name),
                sp,
            )),
            Some(Ok(mut v)) => {
                charge_result(&v, span).map_err(|s| stopped(span, s))?;
                v.external |= external;
                Ok(v)
            }
            Some(Err(message)) => Err(err(span, format!("{}(): {message}", call.name))),
        }
    }
}

/// Whether an element passes a `for` expression's `if` (whose value is `cv`);
/// `Ok(None)` when that is not known.
fn for_filter(cv: &Val, c: &Expr) -> Result<Option<bool>, EvalError> {
    match &cv.kind {
        ValKind::Bool(b) => Ok(Some(*b)),
        ValKind::Unknown(_) => Ok(None),
        _ => Err(err(c.span, "`for` condition must be a bool")),
    }
}

/// A `for` expression's key (the value `kv` of `ke`) as text; `Ok(None)` when it is not
/// known.
fn for_key(kv: &Val, ke: &Expr) -> Result<Option<Arc<str>>, EvalError> {
    Ok(Some(match &kv.kind {
        ValKind::Str(s) => s.clone(),
        ValKind::Number(n) => Arc::from(format_number(*n)),
        ValKind::Bool(b) => Arc::from(b.to_string()),
        ValKind::Unknown(_) => return Ok(None),
        _ => return Err(err(ke.span, "`for` key must be a string")),
    }))
}

/// `x.….id`: a reference read for its `id` (the first part of a child's id).
fn is_id_reference(x: &Expr) -> bool {
    matches!(&x.kind, ExprKind::Traversal(t)
        if matches!(t.ops.last(), Some(TraversalOp::Attr(a, _)) if &**a == "id"))
}

/// A template whose result is longer than [`MAX_TEMPLATE`].
fn template_too_large(span: Span) -> EvalError {
    too_large(
        span,
        &format!(
            "the template's result is longer than erlint's limit of {} bytes",
            limits::thousands(MAX_TEMPLATE as u64)
        ),
    )
}

/// A limit that hides part of the unit, reached at `span`: an ER005 there, and an error
/// that makes the value Unknown.
fn too_large(span: Span, why: &str) -> EvalError {
    limits::hit(
        span,
        format!("{why}; this value is unknown and the checks that need it were skipped"),
    );
    err(span, why)
}

/// What a function built: its string's bytes, its list's or object's elements.
fn charge_result(v: &Val, span: Span) -> Result<(), Stop> {
    match &v.kind {
        ValKind::Str(s) => limits::bytes(s.len(), span),
        ValKind::List(items) => limits::values(items.len(), span),
        ValKind::Object(o) => limits::values(o.len(), span),
        _ => Ok(()),
    }
}

/// `v[k]` with Terraform's rules.
fn index(v: &Val, k: &Val, kspan: Span) -> EvalResult {
    if k.is_unknown() {
        return Ok(Val::unknown("an index is not known", Some(kspan)));
    }
    match &v.kind {
        ValKind::Unknown(_) => Ok(v.clone()),
        ValKind::List(items) => {
            let n = to_number(k).ok_or_else(|| err(kspan, "a list index must be a number"))?;
            if n < 0.0 || n.fract() != 0.0 || n as usize >= items.len() {
                return Err(err(
                    kspan,
                    format!(
                        "index {} is out of range for a list of {}",
                        format_number(n),
                        items.len()
                    ),
                ));
            }
            Ok(items
                .get(n as usize)
                .cloned()
                .unwrap_or_else(|| Val::null(None)))
        }
        ValKind::Object(o) => {
            let key = match &k.kind {
                ValKind::Str(s) => s.to_string(),
                ValKind::Number(n) => format_number(*n),
                _ => return Err(err(kspan, "a map key must be a string")),
            };
            o.get(&key)
                .cloned()
                .ok_or_else(|| err(kspan, format!("no element with key `{key}`")))
        }
        ValKind::Null => Err(err(kspan, "cannot index a null value")),
        _ => Err(err(kspan, format!("cannot index a {}", v.type_name()))),
    }
}

/// The (key, value) pairs of a list or object; `None` if the collection is Unknown.
pub fn iterate(v: &Val, span: Span) -> Result<Option<Vec<(Val, Val)>>, EvalError> {
    match &v.kind {
        ValKind::Unknown(_) => Ok(None),
        ValKind::List(items) => Ok(Some(
            items
                .iter()
                .enumerate()
                .map(|(i, x)| (Val::number(i as f64, x.span), x.clone()))
                .collect(),
        )),
        ValKind::Object(o) => {
            let mut pairs: Vec<(Val, Val)> = o
                .iter()
                .map(|(k, x)| (Val::str(k, x.span), x.clone()))
                .collect();
            pairs.sort_by(|a, b| a.0.as_str().cmp(&b.0.as_str()));
            Ok(Some(pairs))
        }
        ValKind::Null => Err(err(span, "cannot iterate over a null value")),
        _ => Err(err(
            span,
            format!("cannot iterate over a {}", v.type_name()),
        )),
    }
}

/// A number, or a string converted as Terraform converts it ([`Val::as_number`]).
pub fn to_number(v: &Val) -> Option<f64> {
    v.as_number()
}

/// A primitive's string form in a template.
/// Borrowed when it is a string already (it is then copied into the template, not twice).
fn to_template_string(v: &Val, span: Span) -> Result<std::borrow::Cow<'_, str>, EvalError> {
    match &v.kind {
        ValKind::Str(s) => Ok(std::borrow::Cow::Borrowed(s)),
        ValKind::Number(n) => Ok(std::borrow::Cow::Owned(format_number(*n))),
        ValKind::Bool(b) => Ok(std::borrow::Cow::Borrowed(if *b {
            "true"
        } else {
            "false"
        })),
        ValKind::Null => Err(err(
            span,
            "cannot include a null value in a string template",
        )),
        _ => Err(err(
            span,
            format!("cannot include a {} in a string template", v.type_name()),
        )),
    }
}

/// `data.azurerm_client_config.current.subscription_id` for messages.
fn ops_text(root: &str, ops: &[TraversalOp]) -> String {
    let mut s = root.to_string();
    for op in ops {
        match op {
            TraversalOp::Attr(a, _) => {
                s.push('.');
                s.push_str(a);
            }
            TraversalOp::Index(_) => s.push_str("[…]"),
            TraversalOp::Splat => s.push_str("[*]"),
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;
    use crate::terraform::hcl;

    /// A resolver with a few variables and locals written as HCL expressions.
    struct TestResolver {
        vars: Object,
        locals: Vec<(String, Expr)>,
    }

    impl Resolver for TestResolver {
        fn var(&self, name: &str, site: Span) -> EvalResult {
            self.vars
                .get(name)
                .cloned()
                .ok_or_else(|| err(site, format!("no variable `{name}`")))
        }
        fn local(&self, name: &str, site: Span) -> EvalResult {
            let (_, e) = self
                .locals
                .iter()
                .find(|(n, _)| n == name)
                .ok_or_else(|| err(site, "no local"))?;
            Scope::new(self).eval(e)
        }
        fn module_output(&self, _: &str, _: Option<&Val>, _: &str, site: Span) -> EvalResult {
            Ok(Val::unknown("module", Some(site)))
        }
        fn module_call(&self, _: &str) -> Option<bool> {
            None
        }
        fn resource_address(&self, ty: &str, name: &str) -> Option<String> {
            ty.starts_with("azurerm_").then(|| format!("{ty}.{name}"))
        }
        fn resource_keys(&self, ty: &str, name: &str) -> Option<ResourceKeys> {
            match (ty, name) {
                ("azurerm_express_route_circuit", "sites") => {
                    Some(ResourceKeys::Keys(vec!["ams".into(), "lon".into()]))
                }
                ("azurerm_express_route_circuit", "pair") => Some(ResourceKeys::Count(2)),
                _ => None,
            }
        }
        fn path(&self, _: &str) -> Option<String> {
            Some(".".into())
        }
    }

    fn eval_with(src: &str, locals: &[(&str, &str)]) -> (Val, String) {
        let text = format!("x = {src}\n");
        let body = hcl::parse(&text).unwrap();
        let conv = hcl::Conv::new(FileId(0));
        let b = conv.body(&body);
        let mut vars = Object::new();
        vars.insert("name", Val::str("er", Some(Span::new(FileId(1), 10, 14))));
        vars.insert("unset", Val::unknown("variable `unset` has no value", None));
        let mut peerings = Object::new();
        let mut east = Object::new();
        east.insert("primary", Val::str("10.0.0.0/30", None));
        peerings.insert("east", Val::object(east, None));
        vars.insert("peerings", Val::object(peerings, None));
        let locals = locals
            .iter()
            .map(|(n, e)| {
                let t = format!("x = {e}\n");
                let b = conv.body(&hcl::parse(&t).unwrap());
                (n.to_string(), b.attrs[0].expr.clone())
            })
            .collect();
        let r = TestResolver { vars, locals };
        let v = Scope::new(&r).eval_or_unknown(&b.attrs[0].expr);
        (v, text)
    }

    fn eval(src: &str) -> Val {
        eval_with(src, &[]).0
    }

    #[test]
    fn literals_templates_and_vars() {
        assert_eq!(eval("\"${var.name}-circuit\"").as_str(), Some("er-circuit"));
        assert_eq!(eval("1 + 2 * 3").as_f64(), Some(7.0));
        assert!(eval("\"${var.unset}-x\"").is_unknown());
        let (v, text) = eval_with("var.name", &[]);
        // re-sited at the reference, origin in the other file
        assert_eq!(&text[v.span.unwrap().range()], "var.name");
        assert_eq!(v.origin, Some(Span::new(FileId(1), 10, 14)));
    }

    #[test]
    fn locals_conditionals_and_for() {
        let (v, _) = eval_with("local.p", &[("p", "\"${var.name}-x\"")]);
        assert_eq!(v.as_str(), Some("er-x"));
        assert_eq!(eval("true ? \"a\" : \"b\"").as_str(), Some("a"));
        assert!(eval("var.unset == \"x\" ? 1 : 2").is_unknown());
        let v = eval("[for k, p in var.peerings : \"${k}=${p.primary}\"]");
        assert_eq!(v.as_list().unwrap()[0].as_str(), Some("east=10.0.0.0/30"));
        let v = eval("{ for k, p in var.peerings : k => p.primary if k != \"west\" }");
        assert_eq!(v.get("east").and_then(Val::as_str), Some("10.0.0.0/30"));
    }

    #[test]
    fn try_and_can_catch_errors() {
        assert_eq!(
            eval("try(var.peerings.east.secondary, \"none\")").as_str(),
            Some("none")
        );
        assert_eq!(
            eval("can(var.peerings.east.secondary)").as_bool(),
            Some(false)
        );
        assert!(eval("try(var.unset, \"x\")").is_unknown());
        assert!(eval("var.peerings.east.secondary").is_unknown());
    }

    #[test]
    fn resource_references_are_unknown_but_linkable() {
        let v = eval("azurerm_express_route_circuit.main.name");
        let u = v.as_unknown().unwrap();
        assert_eq!(
            u.refers_to.as_deref(),
            Some("azurerm_express_route_circuit.main")
        );
        let v = eval("azurerm_express_route_circuit.this[\"east\"].name");
        assert_eq!(
            v.as_unknown().unwrap().refers_to.as_deref(),
            Some("azurerm_express_route_circuit.this[\"east\"]")
        );
        assert!(eval("data.azurerm_client_config.current.subscription_id").is_unknown());
    }

    #[test]
    fn a_child_id_built_on_its_parents_refers_to_the_child() {
        let refers = |src: &str| eval(src).as_unknown().and_then(|u| u.refers_to.clone());
        assert_eq!(
            refers("\"${azurerm_virtual_network.hub.id}/subnets/GatewaySubnet\"").as_deref(),
            Some("azurerm_virtual_network.hub/subnets/GatewaySubnet")
        );
        assert_eq!(
            refers("\"${azurerm_express_route_circuit.this[\"east\"].id}/peerings/${\"AzurePrivatePeering\"}\"")
                .as_deref(),
            Some("azurerm_express_route_circuit.this[\"east\"]/peerings/AzurePrivatePeering")
        );
        // Not a child's id: another attribute, a path that is not `/type/name` pairs, a
        // suffix not known, or no resource behind the id.
        for src in [
            "\"${azurerm_virtual_network.hub.name}/subnets/GatewaySubnet\"",
            "\"${azurerm_virtual_network.hub.id}/subnets\"",
            "\"${azurerm_virtual_network.hub.id}/subnets/a b\"",
            "\"${azurerm_virtual_network.hub.id}-GatewaySubnet\"",
            "\"${azurerm_virtual_network.hub.id}/subnets/${var.unset}\"",
            "\"${var.unset}/subnets/GatewaySubnet\"",
        ] {
            let v = eval(src);
            assert!(v.is_unknown(), "{src}");
            assert_eq!(refers(src), None, "{src}");
        }
        // A Known id is a Known string, as before.
        let (v, _) = eval_with(
            "\"${local.vnet.id}/subnets/GatewaySubnet\"",
            &[("vnet", "{ id = \"/subscriptions/x/vnet\" }")],
        );
        assert_eq!(
            v.as_str(),
            Some("/subscriptions/x/vnet/subnets/GatewaySubnet")
        );
    }

    #[test]
    fn a_resource_with_count_or_for_each_read_whole_has_its_instances() {
        let refers = |v: &Val| v.as_unknown().and_then(|u| u.refers_to.clone());
        // `for_each = azurerm_express_route_circuit.sites`: a map by its keys.
        let v = eval("[for k, c in azurerm_express_route_circuit.sites : c.id]");
        let ids: Vec<Option<String>> = v.as_list().unwrap().iter().map(refers).collect();
        assert_eq!(
            ids,
            [
                Some("azurerm_express_route_circuit.sites[\"ams\"]".to_string()),
                Some("azurerm_express_route_circuit.sites[\"lon\"]".to_string()),
            ]
        );
        assert_eq!(
            eval("keys(azurerm_express_route_circuit.sites)")
                .as_list()
                .map(<[Val]>::len),
            Some(2)
        );
        // `count`: a list.
        assert_eq!(
            eval("length(azurerm_express_route_circuit.pair)").as_f64(),
            Some(2.0)
        );
        let v = eval("azurerm_express_route_circuit.pair[*].id");
        assert_eq!(
            v.as_list().unwrap().iter().map(refers).collect::<Vec<_>>(),
            [
                Some("azurerm_express_route_circuit.pair[0]".to_string()),
                Some("azurerm_express_route_circuit.pair[1]".to_string()),
            ]
        );
        // An attribute of the whole (which Terraform rejects) stays an Unknown reference,
        // and a resource without known keys is read as before.
        let v = eval("azurerm_express_route_circuit.sites.id");
        assert_eq!(
            refers(&v).as_deref(),
            Some("azurerm_express_route_circuit.sites")
        );
        assert!(eval("azurerm_express_route_circuit.main").is_unknown());
    }

    #[test]
    fn optional_resource_idioms_still_name_the_resource() {
        let refers = |src: &str| eval(src).as_unknown().and_then(|u| u.refers_to.clone());
        let main = Some("azurerm_express_route_circuit.main".to_string());
        assert_eq!(
            refers("one(azurerm_express_route_circuit.main[*].name)"),
            main
        );
        assert_eq!(
            refers("element(azurerm_express_route_circuit.main[*].name, 0)"),
            main
        );
        assert_eq!(
            refers("coalesce(one(azurerm_express_route_circuit.main[*].id), var.unset)"),
            main
        );
        assert_eq!(
            refers("try(azurerm_express_route_circuit.main[0].name, null)").as_deref(),
            Some("azurerm_express_route_circuit.main[0]")
        );
        // The reason of the argument is kept too.
        assert_eq!(
            eval("try(azurerm_express_route_circuit.main[0].name, null)")
                .as_unknown()
                .map(|u| u.reason.as_str()),
            Some("`azurerm_express_route_circuit.main[0].name` is only known after apply")
        );
        // Another index wraps around a number of instances not known here; a value
        // computed from the name is not the name.
        assert_eq!(
            refers("element(azurerm_express_route_circuit.main[*].name, 1)"),
            None
        );
        assert_eq!(
            refers("upper(one(azurerm_express_route_circuit.main[*].name))"),
            None
        );
        assert!(eval("try(var.unset, \"x\")").is_unknown());
    }

    #[test]
    fn splat_and_index() {
        assert_eq!(
            eval("[{a = 1}, {a = 2}][*].a").as_list().map(|l| l.len()),
            Some(2)
        );
        assert_eq!(eval("[\"a\", \"b\"][1]").as_str(), Some("b"));
        assert!(eval("[\"a\"][5]").is_unknown());
    }

    /// A panic while evaluating (a bug) is an ER000 at the expression evaluated, the value
    /// is Unknown, and the rest is still evaluated.
    #[test]
    fn a_panic_is_an_internal_error_at_the_expression() {
        struct Panicking;
        impl Resolver for Panicking {
            fn var(&self, name: &str, site: Span) -> EvalResult {
                assert!(name != "boom", "a bug");
                Ok(Val::str(name, Some(site)))
            }
            fn local(&self, _: &str, site: Span) -> EvalResult {
                Err(err(site, "no locals"))
            }
            fn module_output(&self, _: &str, _: Option<&Val>, _: &str, site: Span) -> EvalResult {
                Err(err(site, "no modules"))
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
        let text = "x = [var.ok, \"${var.boom}\"]\n";
        let b = hcl::Conv::new(FileId(0)).body(&hcl::parse(text).unwrap());
        let expr = &b.attrs[0].expr;
        let (v, hits) = limits::run(|| Scope::new(&Panicking).eval_or_unknown(expr));
        let items = v.as_list().unwrap();
        assert_eq!(items[0].as_str(), Some("ok"));
        assert!(items[1].is_unknown());
        assert_eq!(hits.len(), 1);
        assert!(hits[0].internal && hits[0].message.contains("a bug"));
        assert_eq!(&text[hits[0].span.range()], "var.boom");
        assert_eq!(limits::diagnostic(&hits[0]).code, "ER000");
    }

    #[test]
    fn a_repeated_object_key_takes_the_last_value() {
        let (v, text) = eval_with("{ team = \"a\", other = 1, \"team\" = \"b\" }", &[]);
        let team = v.get("team").unwrap();
        assert_eq!(team.as_str(), Some("b"));
        assert_eq!(&text[team.span.unwrap().range()], "\"b\"");
        assert_eq!(v.as_object().map(|o| o.len()), Some(2));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let src = format!("{}1{}", "(".repeat(60), ")".repeat(60));
        let _ = eval(&src);
    }
}
