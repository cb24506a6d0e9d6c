//! The Bicep expression evaluator: parameters, variables, user functions, imports, loops,
//! lambdas and symbolic references, over the ARM function library.
//!
//! Bicep compiles to ARM (`bicep.md` §4): operators become ARM functions (`a && b` is
//! `and(a, b)`, `a ?? b` is `coalesce(a, b)`, `'${x}'` is `format('{0}', x)`), and every
//! other function is emitted by name. So values here are exactly those the compiled
//! template would give: [`crate::arm::functions`] computes them, and what depends on the
//! deployment (`resourceGroup()`, `reference()`, a resource's `properties`, a module's
//! `outputs`) is Unknown. Values are re-sited where they are used and keep where they
//! were written (`origin`), as in the other front ends.
//!
//! Bicep-only functions: `loadTextContent`, `loadJsonContent` (with a `$.a.b[0]` path),
//! `loadFileAsBase64` read files of the repository (registered by [`super::load`]);
//! `loadYamlContent` and `loadDirectoryFileInfo` are Unknown; `any(x)` is `x`;
//! `nameof(x)` is the name; `readEnvironmentVariable()`, `getSecret()` and
//! `externalInput()` are Unknown (a secret for `getSecret`).

use super::ast::{
    ArrayItem, BinaryOp, Body, Call, Expr, ExprKind, ForExpr, Ident, Key, Lambda, Module, Object,
    ObjectItem, Str, TypeKind, UnaryOp,
};
use super::decls::Decls;
use super::limits;
use super::load::{BicepSet, Files};
use crate::arm::functions::{self, Lambdas};
use crate::diagnostic::Diagnostic;
use crate::model::value::is_symbolic;
use crate::model::{Object as ValObject, Unknown, Val, ValKind};
use crate::source::{FileId, SourceDb, Span};
use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use std::sync::Arc;

/// Values a template's parameters receive from outside.
#[derive(Clone, Debug, Default)]
pub enum Supplied {
    /// Nothing: defaults, else Unknown.
    #[default]
    None,
    /// By lower-cased name (a parameter file, a module call's `params`).
    Values(HashMap<String, Val>),
    /// None of them is known (a parameter file that does not parse).
    AllUnknown(String),
}

enum Slot {
    InProgress,
    Done(Val),
}

/// One file's names, evaluated in one context (a template with its parameter values, a
/// module instance, an imported file).
pub struct Scope<'a> {
    pub decls: Rc<Decls<'a>>,
    supplied: Supplied,
    params: HashMap<&'a str, Slot>,
    vars: HashMap<&'a str, Slot>,
    /// `.bicepparam` with `extends`: the base file's parameter values (`base`).
    pub base: Option<Val>,
}

/// A loop, lambda or function parameter.
pub struct Local<'a> {
    name: &'a str,
    val: Val,
    parent: Option<Rc<Local<'a>>>,
}

/// Where an expression is evaluated: which scope, with which locals.
#[derive(Clone)]
pub struct Ctx<'a> {
    pub scope: usize,
    locals: Option<Rc<Local<'a>>>,
    /// Inside a user function: only its parameters and other functions are visible.
    in_function: bool,
}

impl<'a> Ctx<'a> {
    pub fn new(scope: usize) -> Ctx<'a> {
        Ctx {
            scope,
            locals: None,
            in_function: false,
        }
    }

    /// With `name` bound to `val`.
    pub fn with(&self, name: &'a str, val: Val) -> Ctx<'a> {
        Ctx {
            locals: Some(Rc::new(Local {
                name,
                val,
                parent: self.locals.clone(),
            })),
            ..self.clone()
        }
    }

    fn local(&self, name: &str) -> Option<&Val> {
        let mut cur = self.locals.as_deref();
        while let Some(l) = cur {
            if l.name == name {
                return Some(&l.val);
            }
            cur = l.parent.as_deref();
        }
        None
    }
}

/// A resource or module symbol, possibly one instance of a loop.
#[derive(Clone, Debug)]
pub enum Sym<'a> {
    Res {
        scope: usize,
        decl: usize,
        /// The loop index, for `circuits[i]`.
        index: Option<Val>,
    },
    Module {
        scope: usize,
        module: &'a Module,
    },
}

/// The evaluator of one unit (a template with one parameter file, its modules).
pub struct Eval<'a> {
    pub db: &'a SourceDb,
    pub set: &'a BicepSet,
    /// The parsed files of the unit.
    files: &'a Files,
    pub scopes: Vec<Scope<'a>>,
    decls: HashMap<FileId, Rc<Decls<'a>>>,
    imported: HashMap<FileId, usize>,
    depth: u32,
    var_stack: Vec<(usize, &'a str)>,
    diags: Vec<Diagnostic>,
    seen: HashSet<(FileId, u32, u32)>,
}

impl<'a> Eval<'a> {
    /// The evaluator of one unit; its steps are charged to the budget of the
    /// [`crate::limits::run`] it runs in.
    pub fn new(db: &'a SourceDb, set: &'a BicepSet, files: &'a Files) -> Eval<'a> {
        Eval {
            db,
            set,
            files,
            scopes: Vec::new(),
            decls: HashMap::new(),
            imported: HashMap::new(),
            depth: 0,
            var_stack: Vec::new(),
            diags: Vec::new(),
            seen: HashSet::new(),
        }
    }

    /// Start a new evaluation (another parameter file): scopes are reset (the budget is
    /// the caller's [`crate::limits::run`]).
    pub fn reset(&mut self) {
        self.scopes.clear();
        self.imported.clear();
        self.depth = 0;
        self.var_stack.clear();
    }

    pub fn take_diagnostics(&mut self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.diags)
    }

    /// The declarations of a parsed file (indexed once per unit).
    pub fn decls(&mut self, file: FileId) -> Option<Rc<Decls<'a>>> {
        if let Some(d) = self.decls.get(&file) {
            return Some(d.clone());
        }
        let files: &'a Files = self.files;
        let ast = files.get(&file)?;
        let d = Rc::new(Decls::of(file, ast));
        self.decls.insert(file, d.clone());
        Some(d)
    }

    pub fn add_scope(&mut self, decls: Rc<Decls<'a>>, supplied: Supplied) -> usize {
        self.scopes.push(Scope {
            decls,
            supplied,
            params: HashMap::new(),
            vars: HashMap::new(),
            base: None,
        });
        self.scopes.len() - 1
    }

    pub fn decls_of(&self, scope: usize) -> Option<Rc<Decls<'a>>> {
        self.scopes.get(scope).map(|s| s.decls.clone())
    }

    /// A diagnostic once per place.
    pub fn diagnostic(&mut self, d: Diagnostic) {
        let s = d.primary;
        if self.seen.insert((s.file, s.start, s.end)) {
            self.diags.push(d);
        }
    }

    /// One step of the unit's budget at `at`, one level deeper.
    fn enter(&mut self, at: Span) -> Result<(), String> {
        crate::limits::step(at).map_err(|s| s.reason)?;
        if self.depth >= limits::MAX_DEPTH {
            let why = format!(
                "erlint's limit of {} levels of expressions, variables and functions evaluated inside each other was reached",
                limits::MAX_DEPTH
            );
            crate::limits::hit(
                at,
                format!(
                    "evaluation stopped here: {why}; this value is unknown and the checks that need it were skipped"
                ),
            );
            return Err(why);
        }
        self.depth += 1;
        Ok(())
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// `n` list elements or object members built at `at`: within the budget, or Unknown.
    fn built(&mut self, n: usize, at: Span) -> Result<(), Val> {
        crate::limits::values(n, at).map_err(|s| Val::unknown(s.reason, Some(at)))
    }

    pub fn expr(&mut self, ctx: &Ctx<'a>, e: &'a Expr) -> Val {
        let sp = Some(e.span);
        if let Err(why) = self.enter(e.span) {
            return Val::unknown(why, sp);
        }
        let out = match &e.kind {
            ExprKind::Null => Val::null(sp),
            ExprKind::Bool(b) => Val::bool(*b, sp),
            ExprKind::Int(n) => Val::number(*n as f64, sp),
            ExprKind::Str(s) => self.string(ctx, s),
            ExprKind::Array(items) => self.array(ctx, items, e.span),
            ExprKind::Object(o) => self.object(ctx, o),
            ExprKind::Var(id) => self.symbol(ctx, &id.name, e.span),
            ExprKind::Call(c) => self.call(ctx, c, e.span),
            ExprKind::Member { target, name, safe } => {
                self.member(ctx, target, name, *safe, e.span)
            }
            ExprKind::Index {
                target,
                index,
                safe,
                from_end,
            } => match self.sym_of(ctx, e) {
                Some(sym) => self.sym_value(&sym, e.span),
                None => {
                    let t = self.expr(ctx, target);
                    let i = self.expr(ctx, index);
                    index_val(t, &i, *safe, *from_end, e.span)
                }
            },
            ExprKind::ResourceAccess { .. } => match self.sym_of(ctx, e) {
                Some(sym) => self.sym_value(&sym, e.span),
                None => Val::unknown("`::` names no nested resource here", sp),
            },
            ExprKind::NonNull(x) => self.expr(ctx, x).resited(sp),
            ExprKind::Unary(op, x) => self.unary(ctx, *op, x, e.span),
            ExprKind::Binary(op, a, b) => self.binary(ctx, *op, a, b, e.span),
            ExprKind::Ternary(c, a, b) => {
                let cond = self.expr(ctx, c);
                functions::if_then_else(
                    &cond,
                    |t| {
                        if t {
                            self.expr(ctx, a)
                        } else {
                            self.expr(ctx, b)
                        }
                    },
                    e.span,
                )
            }
            ExprKind::Lambda(_) => Val::unknown(
                "a lambda is a value only as the argument of a function that takes one",
                sp,
            ),
            ExprKind::For(f) => self.for_expr(ctx, f, e.span),
        };
        self.leave();
        out
    }

    /// `target.name` (`target.?name` when `safe`): a symbol's member, a variable of an
    /// imported file, or a member of a value.
    fn member(
        &mut self,
        ctx: &Ctx<'a>,
        target: &'a Expr,
        name: &'a Ident,
        safe: bool,
        span: Span,
    ) -> Val {
        let sp = Some(span);
        match self.sym_of(ctx, target) {
            Some(sym) => self.sym_member(&sym, &name.name, span),
            None if let Some(Ns::Import(s)) = self.namespace(ctx, target) => {
                match self
                    .decls_of(s)
                    .and_then(|d| d.vars.get_key_value(&*name.name).map(|(k, _)| *k))
                {
                    Some(key) => self.var(s, key, span),
                    None => Val::unknown(
                        format!("`{}` is not a variable of the imported file", name.name),
                        sp,
                    ),
                }
            }
            None => {
                let t = self.expr(ctx, target);
                member(t, &name.name, safe, span)
            }
        }
    }

    /// `!x`, `-x`.
    fn unary(&mut self, ctx: &Ctx<'a>, op: UnaryOp, x: &'a Expr, span: Span) -> Val {
        let v = self.expr(ctx, x);
        match op {
            UnaryOp::Not => functions::apply("not", &[v], span),
            UnaryOp::Neg => match &v.kind {
                ValKind::Number(n) => Val::number(-n, Some(span)),
                _ => functions::apply("sub", &[Val::number(0.0, Some(span)), v], span),
            },
        }
    }

    /// `[for x in list: body]`.
    fn for_expr(&mut self, ctx: &Ctx<'a>, f: &'a ForExpr, span: Span) -> Val {
        let sp = Some(span);
        let items = self.expr(ctx, &f.iterable);
        let list = match &items.kind {
            ValKind::List(l) => l.clone(),
            ValKind::Unknown(u) => return functions::unknown_at(u, span),
            _ => {
                return Val::unknown(format!("a `for` loop over a {}", items.type_name()), sp);
            }
        };
        if let Err(u) = self.built(list.len(), span) {
            return u;
        }
        let mut out = Vec::with_capacity(list.len());
        for (i, item) in list.iter().enumerate() {
            let mut c = ctx.with(&f.item.name, item.clone());
            if let Some(ix) = &f.index {
                c = c.with(&ix.name, Val::number(i as f64, Some(ix.span)));
            }
            out.push(self.expr(&c, &f.body));
        }
        Val::list(out, sp)
    }

    /// A string: its literal value, or the interpolation as `format()` computes it.
    pub fn string(&mut self, ctx: &Ctx<'a>, s: &'a Str) -> Val {
        if s.holes.is_empty() {
            let v = s.segments.first().map(|seg| seg.value.clone());
            return Val::str(v.unwrap_or_else(|| Arc::from("")), Some(s.span));
        }
        let mut format = String::new();
        let mut args = Vec::with_capacity(s.holes.len() + 1);
        args.push(Val::null(None));
        for (i, seg) in s.segments.iter().enumerate() {
            format.push_str(&seg.value.replace('{', "{{").replace('}', "}}"));
            if let Some(h) = s.holes.get(i) {
                format.push_str(&format!("{{{i}}}"));
                args.push(self.expr(ctx, h));
            }
        }
        if let Some(first) = args.first_mut() {
            *first = Val::str(format, Some(s.span));
        }
        functions::apply("format", &args, s.span)
    }

    fn array(&mut self, ctx: &Ctx<'a>, items: &'a [ArrayItem], span: Span) -> Val {
        if let Err(u) = self.built(items.len(), span) {
            return u;
        }
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            match item {
                ArrayItem::Value(v) => out.push(self.expr(ctx, v)),
                ArrayItem::Spread(s) => {
                    let v = self.expr(ctx, &s.value);
                    match &v.kind {
                        ValKind::List(l) => {
                            if let Err(u) = self.built(l.len(), span) {
                                return u;
                            }
                            out.extend(l.iter().cloned());
                        }
                        // The positions of what follows are not known.
                        ValKind::Unknown(u) => return functions::unknown_at(u, span),
                        _ => {
                            return Val::unknown(
                                format!("`...` of a {} in an array", v.type_name()),
                                Some(span),
                            );
                        }
                    }
                }
            }
        }
        Val::list(out, Some(span))
    }

    /// An object literal (nested resources are not values: the walker reads them).
    pub fn object(&mut self, ctx: &Ctx<'a>, o: &'a Object) -> Val {
        self.object_without(ctx, o, &[])
    }

    /// An object literal without the properties named in `skip`.
    pub fn object_without(&mut self, ctx: &Ctx<'a>, o: &'a Object, skip: &[&str]) -> Val {
        let sp = Some(o.span);
        if let Err(u) = self.built(o.items.len(), o.span) {
            return u;
        }
        let mut out = ValObject::with_capacity(o.items.len());
        for item in &o.items {
            match item {
                ObjectItem::Property(p) => {
                    let key: Arc<str> = match &p.key {
                        Key::Ident(i) => i.name.clone(),
                        Key::Str(s) => match self.string(ctx, s).kind {
                            ValKind::Str(k) => k,
                            ValKind::Unknown(u) => return functions::unknown_at(&u, o.span),
                            _ => return Val::unknown("a key that is not a string", sp),
                        },
                    };
                    if skip.iter().any(|s| **s == *key) {
                        continue;
                    }
                    let v = self.expr(ctx, &p.value);
                    out.insert(key, v);
                }
                ObjectItem::Spread(s) => {
                    let v = self.expr(ctx, &s.value);
                    match &v.kind {
                        ValKind::Object(m) => {
                            for (k, x) in m.iter() {
                                out.insert(k, x.clone());
                            }
                        }
                        ValKind::Null => {}
                        // Which keys it sets (and overrides) is not known.
                        ValKind::Unknown(u) => return functions::unknown_at(u, o.span),
                        _ => {
                            return Val::unknown(
                                format!("`...` of a {} in an object", v.type_name()),
                                sp,
                            );
                        }
                    }
                }
                ObjectItem::Resource(_) => {}
            }
        }
        Val::object(out, sp)
    }

    fn binary(&mut self, ctx: &Ctx<'a>, op: BinaryOp, a: &'a Expr, b: &'a Expr, span: Span) -> Val {
        if op == BinaryOp::Coalesce {
            let mut pending = [a, b].into_iter();
            let values = std::iter::from_fn(|| pending.next().map(|x| self.expr(ctx, x)));
            return functions::coalesce(values.collect::<Vec<_>>(), span);
        }
        let x = self.expr(ctx, a);
        let y = self.expr(ctx, b);
        let f = |name: &str, args: &[Val]| functions::apply(name, args, span);
        match op {
            BinaryOp::Coalesce => Val::null(Some(span)),
            BinaryOp::Or => f("or", &[x, y]),
            BinaryOp::And => f("and", &[x, y]),
            BinaryOp::Eq => f("equals", &[x, y]),
            BinaryOp::NotEq => f("not", &[f("equals", &[x, y])]),
            BinaryOp::EqI => f("equals", &[f("tolower", &[x]), f("tolower", &[y])]),
            BinaryOp::NotEqI => f(
                "not",
                &[f("equals", &[f("tolower", &[x]), f("tolower", &[y])])],
            ),
            BinaryOp::Less => f("less", &[x, y]),
            BinaryOp::LessEq => f("lessorequals", &[x, y]),
            BinaryOp::Greater => f("greater", &[x, y]),
            BinaryOp::GreaterEq => f("greaterorequals", &[x, y]),
            BinaryOp::Add => f("add", &[x, y]),
            BinaryOp::Sub => f("sub", &[x, y]),
            BinaryOp::Mul => f("mul", &[x, y]),
            BinaryOp::Div => f("div", &[x, y]),
            BinaryOp::Mod => f("mod", &[x, y]),
        }
    }

    /// A bare symbol: a local, parameter, variable, import, resource or module.
    fn symbol(&mut self, ctx: &Ctx<'a>, name: &str, span: Span) -> Val {
        let sp = Some(span);
        if let Some(v) = ctx.local(name) {
            return v.clone().resited(sp);
        }
        let Some(decls) = self.decls_of(ctx.scope) else {
            return Val::unknown("no scope", sp);
        };
        if ctx.in_function {
            return Val::unknown(
                format!("`{name}` is not a parameter of the function it is used in"),
                sp,
            );
        }
        if let Some((key, _)) = decls.params.get_key_value(name) {
            return self.param(ctx.scope, key, span);
        }
        if let Some((key, _)) = decls.vars.get_key_value(name) {
            return self.var(ctx.scope, key, span);
        }
        if let Some(imp) = decls.imports.get(name).copied() {
            return match self.imported_scope(decls.file, imp.from) {
                Some(s) => match self.decls_of(s) {
                    Some(d) => match d.vars.get_key_value(imp.name) {
                        Some((key, _)) => self.var(s, key, span),
                        None => Val::unknown(
                            format!("`{}` is not a variable of the imported file", imp.name),
                            sp,
                        ),
                    },
                    None => Val::unknown("no scope", sp),
                },
                None => Val::unknown(
                    format!("`{name}` is imported from a file erlint does not read"),
                    sp,
                ),
            };
        }
        if let Some(sym) = self.sym_named(ctx, name) {
            return self.sym_value(&sym, span);
        }
        if name == "base"
            && let Some(b) = self.scopes.get(ctx.scope).and_then(|s| s.base.clone())
        {
            return b.resited(sp);
        }
        Val::unknown(format!("`{name}` is not declared"), sp)
    }

    /// `parameters` of a scope, re-sited at `site`.
    pub fn param(&mut self, scope: usize, name: &'a str, site: Span) -> Val {
        let Some(sc) = self.scopes.get_mut(scope) else {
            return Val::unknown("no scope", Some(site));
        };
        match sc.params.get(name) {
            Some(Slot::Done(v)) => return v.clone().resited(Some(site)),
            Some(Slot::InProgress) => {
                self.diagnostic(crate::core::parse_error(
                    site,
                    format!("parameter `{name}` refers to itself in its default value"),
                ));
                return Val::unknown(format!("parameter `{name}` refers to itself"), Some(site));
            }
            None => {}
        }
        sc.params.insert(name, Slot::InProgress);
        let v = self
            .param_value(scope, name, site)
            .or_symbol(|| crate::model::value::symbol(name, scope));
        if let Some(sc) = self.scopes.get_mut(scope) {
            sc.params.insert(name, Slot::Done(v.clone()));
        }
        v.resited(Some(site))
    }

    fn param_value(&mut self, scope: usize, name: &'a str, site: Span) -> Val {
        let Some(sc) = self.scopes.get(scope) else {
            return Val::unknown("no scope", Some(site));
        };
        let decl = sc.decls.params.get(name).copied();
        match &sc.supplied {
            Supplied::Values(m) => {
                if let Some(v) = m.get(&name.to_ascii_lowercase()) {
                    return v.clone();
                }
            }
            Supplied::AllUnknown(why) => return Val::unknown(why.clone(), Some(site)),
            Supplied::None => {}
        }
        let Some((stmt, p)) = decl else {
            return Val::unknown(format!("parameter `{name}` is not declared"), Some(site));
        };
        if let Some(d) = &p.default {
            return self.expr(&Ctx::new(scope), d);
        }
        // A nullable parameter (`param x string?`) that is left out is null.
        if matches!(p.ty.kind, TypeKind::Nullable(_)) {
            return Val::null(Some(site));
        }
        Val::unknown_with(
            Unknown {
                reason: format!("parameter `{name}` has no value"),
                refers_to: None,
                secret: stmt.decorator("secure").is_some(),
                symbol: None,
            },
            Some(site),
        )
    }

    /// A variable of a scope, re-sited at `site`.
    pub fn var(&mut self, scope: usize, name: &'a str, site: Span) -> Val {
        let Some(sc) = self.scopes.get_mut(scope) else {
            return Val::unknown("no scope", Some(site));
        };
        match sc.vars.get(name) {
            Some(Slot::Done(v)) => return v.clone().resited(Some(site)),
            Some(Slot::InProgress) => {
                let why = self.var_cycle(scope, name);
                self.diagnostic(crate::core::parse_error(site, why.clone()));
                return Val::unknown(why, Some(site));
            }
            None => {}
        }
        let Some(def) = sc.decls.vars.get(name).copied() else {
            return Val::unknown(format!("variable `{name}` is not declared"), Some(site));
        };
        sc.vars.insert(name, Slot::InProgress);
        self.var_stack.push((scope, name));
        let v = self
            .expr(&Ctx::new(scope), &def.value)
            .or_symbol(|| crate::model::value::symbol(&format!("var.{name}"), scope));
        self.var_stack.pop();
        if let Some(sc) = self.scopes.get_mut(scope) {
            sc.vars.insert(name, Slot::Done(v.clone()));
        }
        v.resited(Some(site))
    }

    fn var_cycle(&self, scope: usize, name: &str) -> String {
        let start = self
            .var_stack
            .iter()
            .rposition(|(s, n)| *s == scope && *n == name);
        let chain: Vec<String> = start
            .and_then(|i| self.var_stack.get(i..))
            .unwrap_or_default()
            .iter()
            .filter(|(s, _)| *s == scope)
            .map(|(_, n)| format!("`{n}`"))
            .collect();
        if chain.len() <= 1 {
            format!("variable `{name}` refers to itself")
        } else {
            format!(
                "variable `{name}` refers to itself through a cycle: {} → `{name}`",
                chain.join(" → ")
            )
        }
    }

    /// The scope of a file imported by `from` (in `file`): its exported variables and
    /// functions, evaluated once per unit.
    fn imported_scope(&mut self, file: FileId, from: &Str) -> Option<usize> {
        let target = self.set.link(file, from)?;
        if let Some(s) = self.imported.get(&target) {
            return Some(*s);
        }
        let d = self.decls(target)?;
        let s = self.add_scope(d, Supplied::None);
        self.imported.insert(target, s);
        Some(s)
    }

    /// A call: user function, Bicep-only function, lambda function, or ARM function.
    fn call(&mut self, ctx: &Ctx<'a>, c: &'a Call, span: Span) -> Val {
        let sp = Some(span);
        let name: &str = &c.name.name;
        if let Some(t) = &c.target {
            match self.namespace(ctx, t) {
                Some(Ns::Az | Ns::Sys) => {}
                Some(Ns::Import(scope)) => return self.user_call(ctx, scope, c, span),
                None => {
                    // An instance function: `kv.getSecret('s')`, `sa.listKeys()`.
                    let secret = name == "getSecret";
                    return Val::unknown_with(
                        Unknown {
                            reason: format!("`{name}()` is evaluated during deployment"),
                            refers_to: None,
                            secret,
                            symbol: None,
                        },
                        sp,
                    );
                }
            }
        } else if let Some(d) = self.decls_of(ctx.scope) {
            if d.funcs.contains_key(name) {
                return self.user_call(ctx, ctx.scope, c, span);
            }
            if let Some(imp) = d.imports.get(name).copied() {
                // The arguments are evaluated here, the body in the imported file.
                let args: Vec<Val> = c.args.iter().map(|a| self.expr(ctx, a)).collect();
                return match self.imported_scope(d.file, imp.from) {
                    Some(s) => self.call_function(s, imp.name, args, span),
                    None => Val::unknown(
                        format!("`{name}()` is imported from a file erlint does not read"),
                        sp,
                    ),
                };
            }
        }
        match name {
            "any" => match c.args.first() {
                Some(a) => self.expr(ctx, a).resited(sp),
                None => Val::unknown("`any()` needs an argument", sp),
            },
            "nameof" => match c.args.first().map(|a| &a.kind) {
                Some(ExprKind::Var(i)) => Val::str(i.name.clone(), sp),
                Some(ExprKind::Member { name, .. } | ExprKind::ResourceAccess { name, .. }) => {
                    Val::str(name.name.clone(), sp)
                }
                _ => Val::unknown("`nameof()` of something that has no name", sp),
            },
            "readEnvironmentVariable" => Val::unknown(
                "`readEnvironmentVariable()` is read from the environment when the parameter file is compiled",
                sp,
            ),
            "getSecret" => Val::unknown_with(
                Unknown {
                    reason: "`getSecret()` reads a Key Vault secret during deployment".into(),
                    refers_to: None,
                    secret: true,
                    symbol: None,
                },
                sp,
            ),
            "loadTextContent" | "loadJsonContent" | "loadFileAsBase64" => {
                let args: Vec<Val> = c.args.iter().map(|a| self.expr(ctx, a)).collect();
                self.load(ctx, c, &args, span)
            }
            "loadYamlContent" | "loadDirectoryFileInfo" => {
                Val::unknown(format!("`{name}()` is not evaluated by erlint"), sp)
            }
            _ => {
                let lower = name.to_ascii_lowercase();
                if functions::is_lambda_function(&lower) {
                    return self.lambda_call(ctx, &lower, c, span);
                }
                let args: Vec<Val> = c.args.iter().map(|a| self.expr(ctx, a)).collect();
                functions::apply(&lower, &args, span)
            }
        }
    }

    /// What a call's target names: `az`, `sys`, an `import * as ns` namespace.
    fn namespace(&mut self, ctx: &Ctx<'a>, t: &Expr) -> Option<Ns> {
        let id = t.as_var()?;
        if ctx.local(&id.name).is_some() {
            return None;
        }
        let decls = self.decls_of(ctx.scope)?;
        if let Some(from) = decls.wildcard_imports.get(&*id.name).copied() {
            return self.imported_scope(decls.file, from).map(Ns::Import);
        }
        if decls.declares(&id.name) {
            return None;
        }
        match &*id.name {
            "az" => Some(Ns::Az),
            "sys" => Some(Ns::Sys),
            _ => None,
        }
    }

    /// A user function of `scope` (`func name(…) type => body`).
    fn user_call(&mut self, ctx: &Ctx<'a>, scope: usize, c: &'a Call, span: Span) -> Val {
        let args: Vec<Val> = c.args.iter().map(|a| self.expr(ctx, a)).collect();
        self.call_function(scope, &c.name.name, args, span)
    }

    fn call_function(&mut self, scope: usize, name: &str, args: Vec<Val>, span: Span) -> Val {
        let Some(decls) = self.decls_of(scope) else {
            return Val::unknown("no scope", Some(span));
        };
        let Some(f) = decls.funcs.get(name).copied() else {
            return Val::unknown(format!("function `{name}` is not declared"), Some(span));
        };
        let mut c = Ctx {
            scope,
            locals: None,
            in_function: true,
        };
        for (p, a) in f.params.iter().zip(args) {
            c = c.with(&p.name.name, a);
        }
        self.expr(&c, &f.body).resited(Some(span))
    }

    /// `filter`, `map`, `reduce`, `sort`, `toObject`, `groupBy`, `mapValues`.
    fn lambda_call(&mut self, ctx: &Ctx<'a>, name: &str, c: &'a Call, span: Span) -> Val {
        let mut values = Vec::new();
        let mut lambdas = Vec::new();
        for a in &c.args {
            match &a.kind {
                ExprKind::Lambda(l) => lambdas.push(&**l),
                _ => values.push(self.expr(ctx, a)),
            }
        }
        let mut args = LambdaArgs {
            ev: self,
            ctx: ctx.clone(),
            lambdas,
        };
        functions::apply_with_lambdas(name, &values, &mut args, span)
    }

    /// `loadTextContent(path[, encoding])`, `loadJsonContent(path[, jsonPath[, encoding]])`,
    /// `loadFileAsBase64(path)`: the file, relative to the file of the call.
    fn load(&mut self, ctx: &Ctx<'a>, c: &'a Call, args: &[Val], span: Span) -> Val {
        let sp = Some(span);
        let name: &str = &c.name.name;
        let file = self.decls_of(ctx.scope).map(|d| d.file);
        let Some(arg) = c.args.first() else {
            return Val::unknown(format!("`{name}()` needs a path"), sp);
        };
        let Some(data) = file.and_then(|f| self.set.data(f, arg.span)) else {
            return Val::unknown(
                format!("`{name}()` of a path that is not a literal string"),
                sp,
            );
        };
        let text = match self.db.text(data) {
            Ok(t) => t,
            Err(e) => {
                let what = arg.as_str().unwrap_or("the file");
                self.diagnostic(crate::core::unreadable_file(
                    arg.span,
                    format!("`{name}()` cannot read `{what}`: {e}"),
                ));
                return Val::unknown(format!("`{what}` cannot be read"), sp);
            }
        };
        match name {
            "loadTextContent" => Val::str(text, sp),
            "loadFileAsBase64" => functions::apply("base64", &[Val::str(text, sp)], span),
            _ => {
                let v = match crate::arm::json_file_value(text, data) {
                    Ok(v) => v,
                    Err(d) => {
                        self.diagnostic(d);
                        return Val::unknown("the JSON file does not parse", sp);
                    }
                };
                match args.get(1) {
                    None => v.resited(sp),
                    Some(p) => match p.as_str() {
                        Some(path) => json_path(&v, path, span),
                        None => {
                            Val::unknown("`loadJsonContent()` with a path that is not known", sp)
                        }
                    },
                }
            }
        }
    }

    /// The resource or module a symbol expression names, if it names one: `circuit`,
    /// `circuits[i]`, `circuit::peering`, `er` (a module).
    pub fn sym_of(&mut self, ctx: &Ctx<'a>, e: &'a Expr) -> Option<Sym<'a>> {
        match &e.kind {
            ExprKind::Var(id) => self.sym_named(ctx, &id.name),
            ExprKind::NonNull(x) => self.sym_of(ctx, x),
            ExprKind::Index { target, index, .. } => match self.sym_of(ctx, target)? {
                Sym::Res {
                    scope,
                    decl,
                    index: None,
                } => {
                    let i = self.expr(ctx, index);
                    Some(Sym::Res {
                        scope,
                        decl,
                        index: Some(i),
                    })
                }
                other => Some(other),
            },
            ExprKind::ResourceAccess { target, name } => match self.sym_of(ctx, target)? {
                Sym::Res { scope, decl, index } => {
                    let d = self.decls_of(scope)?;
                    let child = d.nested(decl, &name.name)?;
                    Some(Sym::Res {
                        scope,
                        decl: child,
                        index,
                    })
                }
                Sym::Module { .. } => None,
            },
            _ => None,
        }
    }

    fn sym_named(&mut self, ctx: &Ctx<'a>, name: &str) -> Option<Sym<'a>> {
        if ctx.local(name).is_some() || ctx.in_function {
            return None;
        }
        let d = self.decls_of(ctx.scope)?;
        if let Some(i) = d.resource_names.get(name) {
            return Some(Sym::Res {
                scope: ctx.scope,
                decl: *i,
                index: None,
            });
        }
        // A nested resource is visible by its name in its parent's body.
        if !d.params.contains_key(name) && !d.vars.contains_key(name) {
            if let Some(m) = d.modules.get(name) {
                return Some(Sym::Module {
                    scope: ctx.scope,
                    module: m,
                });
            }
            if let Some(i) = d.resources.iter().position(|r| &*r.res.name.name == name) {
                return Some(Sym::Res {
                    scope: ctx.scope,
                    decl: i,
                    index: None,
                });
            }
        }
        None
    }

    /// A resource or module used as a value (`dependsOn`, a resource-typed module
    /// parameter): Unknown, naming the resource.
    pub fn sym_value(&mut self, sym: &Sym<'a>, span: Span) -> Val {
        match sym {
            Sym::Res { .. } => {
                let address = self.sym_address(sym);
                Val::unknown_with(
                    Unknown {
                        reason: "a resource reference".into(),
                        refers_to: address,
                        secret: false,
                        symbol: None,
                    },
                    Some(span),
                )
            }
            Sym::Module { module, .. } => Val::unknown(
                format!("module `{}` is a deployment, not a value", module.name.name),
                Some(span),
            ),
        }
    }

    /// `sym.name`, `sym.id`, `sym.type`, `sym.apiVersion`, `sym.properties`, `m.outputs`, …
    pub fn sym_member(&mut self, sym: &Sym<'a>, name: &str, span: Span) -> Val {
        let sp = Some(span);
        match sym {
            Sym::Module { module, scope } => match name {
                "name" => {
                    let ctx = Ctx::new(*scope);
                    match module.body.object().get("name", false) {
                        Some(p) if !matches!(module.body, Body::For(_)) => {
                            self.expr(&ctx, &p.value).resited(sp)
                        }
                        _ => Val::unknown(
                            format!("the deployment name of module `{}`", module.name.name),
                            sp,
                        ),
                    }
                }
                _ => Val::unknown(
                    format!(
                        "`{}.{name}` is known after the module is deployed",
                        module.name.name
                    ),
                    sp,
                ),
            },
            Sym::Res { .. } => match name {
                "name" => self.sym_name(sym).resited(sp),
                "id" => self.sym_id(sym, span),
                "type" => match self.sym_type(sym) {
                    Some((t, _)) => Val::str(t, sp),
                    None => Val::unknown("the resource type is not known", sp),
                },
                "apiVersion" => match self.sym_type(sym) {
                    Some((_, Some(v))) => Val::str(v, sp),
                    _ => Val::unknown("the API version is not known", sp),
                },
                _ => {
                    let address = self.sym_address(sym);
                    Val::unknown_with(
                        Unknown {
                            reason: format!("`{name}` is read from the deployed resource"),
                            refers_to: address,
                            secret: false,
                            symbol: None,
                        },
                        sp,
                    )
                }
            },
        }
    }

    /// The full type and API version of a resource symbol (a nested resource's relative
    /// type joined to its parent's).
    pub fn sym_type(&mut self, sym: &Sym<'a>) -> Option<(String, Option<String>)> {
        let Sym::Res { scope, decl, .. } = sym else {
            return None;
        };
        let d = self.decls_of(*scope)?;
        self.decl_type(&d, *decl)
    }

    pub fn decl_type(&self, d: &Decls<'a>, decl: usize) -> Option<(String, Option<String>)> {
        let r = d.resources.get(decl)?;
        let written = r.res.type_ref.as_literal()?;
        let (ty, version) = match written.split_once('@') {
            Some((t, v)) => (t, Some(v.to_string())),
            None => (written, None),
        };
        match r.outer {
            Some(o) if !ty.contains('/') => {
                let (parent, pv) = self.decl_type(d, o)?;
                Some((format!("{parent}/{ty}"), version.or(pv)))
            }
            _ => Some((ty.to_string(), version)),
        }
    }

    /// The instance context of a resource symbol: its loop variables for `index`.
    pub fn sym_ctx(&mut self, sym: &Sym<'a>) -> Result<Ctx<'a>, String> {
        let Sym::Res { scope, decl, index } = sym else {
            return Err("not a resource".into());
        };
        let d = self.decls_of(*scope).ok_or("no scope")?;
        let r = d.resources.get(*decl).ok_or("no declaration")?;
        let ctx = Ctx::new(*scope);
        let Body::For(f) = &r.res.body else {
            return Ok(ctx);
        };
        let Some(i) = index else {
            return Err(format!(
                "`{}` is a loop: it has no single name",
                r.res.name.name
            ));
        };
        let k = match &i.kind {
            ValKind::Number(n) if n.fract() == 0.0 && *n >= 0.0 => *n as usize,
            ValKind::Unknown(u) => return Err(u.reason.clone()),
            _ => return Err("the loop index is not a number".into()),
        };
        let items = self.expr(&ctx, &f.iterable);
        let item = match &items.kind {
            ValKind::List(l) => match l.get(k) {
                Some(x) => x.clone(),
                None => return Err(format!("index {k} is out of range")),
            },
            ValKind::Unknown(u) => return Err(u.reason.clone()),
            _ => return Err("the loop is not over an array".into()),
        };
        let mut c = ctx.with(&f.item.name, item);
        if let Some(ix) = &f.index {
            c = c.with(&ix.name, Val::number(k as f64, Some(ix.span)));
        }
        Ok(c)
    }

    /// A resource symbol's own `name` (as written in its body).
    pub fn sym_name(&mut self, sym: &Sym<'a>) -> Val {
        let Sym::Res { scope, decl, .. } = sym else {
            return Val::unknown("not a resource", None);
        };
        let ctx = match self.sym_ctx(sym) {
            Ok(c) => c,
            Err(why) => return Val::unknown(why, None),
        };
        let Some(d) = self.decls_of(*scope) else {
            return Val::unknown("no scope", None);
        };
        let Some(r) = d.resources.get(*decl) else {
            return Val::unknown("no declaration", None);
        };
        match r.res.body.object().get("name", false) {
            Some(p) => self.expr(&ctx, &p.value),
            None => Val::unknown("the resource has no name", None),
        }
    }

    /// A resource symbol's full name (`circuit/AzurePrivatePeering` for a child), its
    /// segments, each Known or not.
    pub fn sym_name_segments(&mut self, sym: &Sym<'a>) -> Vec<Val> {
        // Resource types nest a few levels; a longer chain is a `parent:` cycle, which
        // Bicep rejects: its name is not known.
        const MAX_PARENTS: usize = 8;
        let mut out = vec![self.sym_name(sym)];
        let mut cur = self.sym_parent(sym);
        while let Some(p) = cur {
            if out.len() > MAX_PARENTS {
                return vec![Val::unknown(
                    "the resource's `parent` chain is a cycle",
                    None,
                )];
            }
            out.push(self.sym_name(&p));
            cur = self.sym_parent(&p);
        }
        out.reverse();
        out
    }

    /// The parent of a resource symbol: the resource that declares it, or its `parent:`.
    pub fn sym_parent(&mut self, sym: &Sym<'a>) -> Option<Sym<'a>> {
        let Sym::Res { scope, decl, index } = sym else {
            return None;
        };
        let d = self.decls_of(*scope)?;
        let r = d.resources.get(*decl)?;
        if let Some(o) = r.outer {
            let looped = matches!(d.resources.get(o)?.res.body, Body::For(_));
            return Some(Sym::Res {
                scope: *scope,
                decl: o,
                index: if looped { index.clone() } else { None },
            });
        }
        let p = r.res.body.object().get("parent", false)?;
        let ctx = self.sym_ctx(sym).ok()?;
        self.sym_of(&ctx, &p.value)
    }

    /// The model address (`type/full name`) of a resource symbol, when its name is known
    /// (or holds symbols, for a resource of this deployment).
    pub fn sym_address(&mut self, sym: &Sym<'a>) -> Option<String> {
        let (ty, _) = self.sym_type(sym)?;
        let names: Option<Vec<String>> = self
            .sym_name_segments(sym)
            .iter()
            .map(|v| v.name_text().map(|n| n.into_owned()))
            .collect();
        let address = format!("{ty}/{}", names?.join("/"));
        if is_symbolic(&address) && self.in_other_scope(sym) {
            return None;
        }
        Some(address)
    }

    /// Whether a resource, or a parent of it, is read from another scope
    /// (`existing` with `scope: resourceGroup(rg)`): a resource of another deployment, which
    /// the symbols of its name do not name here.
    fn in_other_scope(&mut self, sym: &Sym<'a>) -> bool {
        let mut cur = Some(sym.clone());
        for _ in 0..8 {
            let Some(s) = cur else { return false };
            let Sym::Res { scope, decl, .. } = &s else {
                return false;
            };
            let scoped = self
                .decls_of(*scope)
                .and_then(|d| d.resources.get(*decl).copied())
                .is_some_and(|r| r.res.body.object().get("scope", false).is_some());
            if scoped {
                return true;
            }
            cur = self.sym_parent(&s);
        }
        true
    }

    /// `sym.id`: `resourceId()` of its type and name segments (Known only when an
    /// `existing` resource names its subscription and resource group); a child named
    /// with its parent's name (`'${vnet.name}/GatewaySubnet'`) has one segment per name.
    pub fn sym_id(&mut self, sym: &Sym<'a>, span: Span) -> Val {
        let Some((ty, _)) = self.sym_type(sym) else {
            return Val::unknown("the resource type is not known", Some(span));
        };
        let mut args = self.existing_scope(sym);
        args.push(Val::str(ty, Some(span)));
        for segment in self.sym_name_segments(sym) {
            match (&segment.kind, segment.name_text()) {
                (ValKind::Str(s), _) if s.contains('/') => {
                    args.extend(s.split('/').map(|name| Val::str(name, segment.span)));
                }
                // `'${vnetName}/GatewaySubnet'` with `vnetName` not known: a name per
                // segment, each Known or a symbol.
                (ValKind::Unknown(u), Some(text)) if text.contains('/') => {
                    args.extend(text.split('/').map(|piece| {
                        if is_symbolic(piece) {
                            let piece = Unknown {
                                symbol: Some(Arc::from(piece)),
                                ..(**u).clone()
                            };
                            Val::unknown_with(piece, segment.span)
                        } else {
                            Val::str(piece, segment.span)
                        }
                    }));
                }
                _ => args.push(segment.clone()),
            }
        }
        let id = functions::apply("resourceid", &args, span);
        match id.as_unknown() {
            Some(u)
                if u.refers_to.as_deref().is_some_and(is_symbolic) && self.in_other_scope(sym) =>
            {
                let other = Unknown {
                    refers_to: None,
                    ..u.clone()
                };
                Val::unknown_with(other, Some(span))
            }
            _ => id,
        }
    }

    /// `scope: resourceGroup('sub', 'rg')` of an `existing` resource: the subscription and
    /// group its id starts with, when both are given.
    fn existing_scope(&mut self, sym: &Sym<'a>) -> Vec<Val> {
        let Sym::Res { scope, decl, .. } = sym else {
            return Vec::new();
        };
        let Some(d) = self.decls_of(*scope) else {
            return Vec::new();
        };
        let Some(r) = d.resources.get(*decl) else {
            return Vec::new();
        };
        let Some(p) = r.res.body.object().get("scope", false) else {
            return Vec::new();
        };
        let ExprKind::Call(c) = &p.value.kind else {
            return Vec::new();
        };
        if &*c.name.name != "resourceGroup" || c.args.len() != 2 {
            return Vec::new();
        }
        let Ok(ctx) = self.sym_ctx(sym) else {
            return Vec::new();
        };
        c.args.iter().map(|a| self.expr(&ctx, a)).collect()
    }
}

/// What a call's target names.
enum Ns {
    Az,
    Sys,
    Import(usize),
}

/// The lambdas of one call, as [`functions::apply_with_lambdas`] applies them.
struct LambdaArgs<'e, 'a> {
    ev: &'e mut Eval<'a>,
    ctx: Ctx<'a>,
    lambdas: Vec<&'a Lambda>,
}

impl Lambdas for LambdaArgs<'_, '_> {
    fn count(&self) -> usize {
        self.lambdas.len()
    }

    fn params(&self, i: usize) -> usize {
        self.lambdas.get(i).map_or(0, |l| l.params.len())
    }

    fn call(&mut self, i: usize, args: &[Val]) -> Val {
        let Some(l) = self.lambdas.get(i).copied() else {
            return Val::unknown("no such lambda", None);
        };
        let mut c = self.ctx.clone();
        for (p, a) in l.params.iter().zip(args) {
            c = c.with(&p.name, a.clone());
        }
        self.ev.expr(&c, &l.body)
    }
}

/// `target.name` (`.?name` gives null when missing). ARM reads properties
/// case-insensitively.
fn member(t: Val, name: &str, safe: bool, span: Span) -> Val {
    match &t.kind {
        ValKind::Unknown(u) => {
            let key = Val::str(name, None);
            Val::new(ValKind::Unknown(u.member(Some(&key))), Some(span))
        }
        ValKind::Null if safe => Val::null(Some(span)),
        ValKind::Object(o) => match o.get_ci(name) {
            Some(v) => v.clone().resited(Some(span)),
            None if safe => Val::null(Some(span)),
            None => Val::unknown(format!("property `{name}` does not exist"), Some(span)),
        },
        _ => Val::unknown(
            format!("cannot read property `{name}` of a {}", t.type_name()),
            Some(span),
        ),
    }
}

/// `target[index]`, `[?index]`, `[^index]`.
fn index_val(t: Val, i: &Val, safe: bool, from_end: bool, span: Span) -> Val {
    if let ValKind::Unknown(u) = &t.kind {
        let member = (!from_end).then_some(i);
        return Val::new(ValKind::Unknown(u.member(member)), Some(span));
    }
    if let ValKind::Unknown(u) = &i.kind {
        return functions::unknown_at(u, span);
    }
    let missing = |what: String| {
        if safe {
            Val::null(Some(span))
        } else {
            Val::unknown(what, Some(span))
        }
    };
    match (&t.kind, &i.kind) {
        (ValKind::Null, _) if safe => Val::null(Some(span)),
        (ValKind::List(items), ValKind::Number(n)) if n.fract() == 0.0 && *n >= 0.0 => {
            let k = *n as usize;
            let at = if from_end {
                items.len().checked_sub(k).filter(|_| k > 0)
            } else {
                Some(k)
            };
            match at.and_then(|k| items.get(k)) {
                Some(v) => v.clone().resited(Some(span)),
                None => missing(format!("index {n} is out of range")),
            }
        }
        (ValKind::Object(o), ValKind::Str(k)) => match o.get_ci(k) {
            Some(v) => v.clone().resited(Some(span)),
            None => missing(format!("property `{k}` does not exist")),
        },
        _ => Val::unknown(
            format!("cannot index a {} with a {}", t.type_name(), i.type_name()),
            Some(span),
        ),
    }
}

/// `loadJsonContent(path, '$.a.b[0]')`: the part of the value at a simple JSONPath
/// (`$`, `.name`, `['name']`, `[n]`); anything else is Unknown.
fn json_path(v: &Val, path: &str, span: Span) -> Val {
    let sp = Some(span);
    let unsupported = || Val::unknown(format!("the JSON path `{path}` is not evaluated"), sp);
    let mut rest = path.trim();
    rest = rest.strip_prefix('$').unwrap_or(rest);
    let mut cur = v.clone();
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('.') {
            let end = r.find(['.', '[']).unwrap_or(r.len());
            let (key, tail) = r.split_at(end);
            if key.is_empty() || key == "*" {
                return unsupported();
            }
            cur = member(cur, key, false, span);
            rest = tail;
        } else if let Some(r) = rest.strip_prefix('[') {
            let Some(end) = r.find(']') else {
                return unsupported();
            };
            let (inner, tail) = r.split_at(end);
            let inner = inner.trim();
            let key = inner
                .strip_prefix('\'')
                .and_then(|s| s.strip_suffix('\''))
                .or_else(|| inner.strip_prefix('"').and_then(|s| s.strip_suffix('"')));
            cur = match (key, inner.parse::<usize>()) {
                (Some(k), _) => member(cur, k, false, span),
                (None, Ok(n)) => index_val(cur, &Val::number(n as f64, sp), false, false, span),
                _ => return unsupported(),
            };
            rest = tail.get(1..).unwrap_or("");
        } else {
            return unsupported();
        }
    }
    cur.resited(sp)
}
