//! The evaluator: template scopes (parameters, variables, user functions), JSON nodes and
//! expressions to [`Val`]s, copy loops, and the limits that keep hostile input bounded.
//!
//! Values are re-sited where they are used: `"[parameters('x')]"` evaluates to the
//! parameter's value with `span` at that string and `origin` where the value was written
//! (the parameter file, the `defaultValue`, a variable). Anything that cannot be known
//! before deployment is Unknown with a reason; nothing here guesses.

use super::expr::{self, Expr, ExprKind, StrForm};
use super::json::{self, ObjectBuilder, StrMap, get, get_object, span_of};
use crate::diagnostic::Diagnostic;
use crate::limits;
use crate::model::{Unknown, Val, ValKind};
use crate::source::{FileId, Span};
use jsonc_parser::ast::{Object as JObject, StringLit, Value as JValue};
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::rc::Rc;

/// Most instances of one copy loop (Azure's own limit).
pub const MAX_COPY: i64 = 800;
/// Deepest evaluation recursion (JSON nesting, expressions, variable chains).
const MAX_DEPTH: u32 = 96;

/// A template's names (parameters, variables, functions, lower-cased) to what they hold,
/// hashed with foldhash (seeded per process, like std's): std's SipHash was about 1 % of
/// the ARM part of a run.
type Names<V> = HashMap<String, V, foldhash::fast::RandomState>;

/// Values a template's parameters receive from outside.
#[derive(Default)]
pub enum Supplied {
    /// Nothing: every parameter falls back to its `defaultValue`.
    #[default]
    None,
    /// By lower-cased name (a parameter file, a nested deployment's `parameters`, the
    /// arguments of a user function).
    Values(HashMap<String, Val>),
    /// A `parametersLink` supplies them: none is known.
    AllUnknown(String),
}

enum VarDef<'a, 't> {
    Value(&'a JValue<'t>),
    /// An element of the variables' `copy` array.
    Copy(&'a JObject<'t>),
}

pub struct UserFn<'a, 't> {
    params: Vec<String>,
    output: Option<&'a JValue<'t>>,
}

enum Slot {
    InProgress,
    Done(Val),
}

/// One template's names: what `parameters()`, `variables()` and user functions resolve to.
pub struct Scope<'a, 't> {
    params: Names<&'a JObject<'t>>,
    vars: Names<VarDef<'a, 't>>,
    functions: Rc<Names<UserFn<'a, 't>>>,
    supplied: Supplied,
    param_memo: Names<Slot>,
    var_memo: Names<Slot>,
}

impl<'a, 't> Scope<'a, 't> {
    /// The scope of `tpl` (a template object) with parameter values from `supplied`.
    pub fn of_template(tpl: &'a JObject<'t>, supplied: Supplied) -> Scope<'a, 't> {
        let mut params = Names::default();
        if let Some(ps) = get_object(tpl, "parameters") {
            for p in &ps.properties {
                // A parameter defined twice: the last definition, as ARM reads it.
                if let Some(def) = p.value.as_object() {
                    params.insert(p.name.as_str().to_ascii_lowercase(), def);
                }
            }
        }
        let mut vars = Names::default();
        if let Some(vs) = get_object(tpl, "variables") {
            for p in &vs.properties {
                let name = p.name.as_str();
                if name.eq_ignore_ascii_case("copy") {
                    if let Some(specs) = p.value.as_array() {
                        for spec in specs.elements.iter().filter_map(JValue::as_object) {
                            if let Some(n) = json::get_str(spec, "name") {
                                vars.insert(n.to_ascii_lowercase(), VarDef::Copy(spec));
                            }
                        }
                    }
                    continue;
                }
                vars.insert(name.to_ascii_lowercase(), VarDef::Value(&p.value));
            }
        }
        Scope {
            params,
            vars,
            functions: Rc::new(user_functions(tpl)),
            supplied,
            param_memo: Names::default(),
            var_memo: Names::default(),
        }
    }
}

/// `functions: [{namespace, members: {name: {parameters: [{name}], output: {value}}}}]`.
fn user_functions<'a, 't>(tpl: &'a JObject<'t>) -> Names<UserFn<'a, 't>> {
    let mut out = Names::default();
    let Some(groups) = get(tpl, "functions").and_then(JValue::as_array) else {
        return out;
    };
    for g in groups.elements.iter().filter_map(JValue::as_object) {
        let Some(ns) = json::get_str(g, "namespace") else {
            continue;
        };
        let Some(members) = get_object(g, "members") else {
            continue;
        };
        for m in &members.properties {
            let Some(def) = m.value.as_object() else {
                continue;
            };
            let params = get(def, "parameters")
                .and_then(JValue::as_array)
                .map(|a| {
                    a.elements
                        .iter()
                        .filter_map(JValue::as_object)
                        .map(|p| json::get_str(p, "name").unwrap_or("").to_ascii_lowercase())
                        .collect()
                })
                .unwrap_or_default();
            let output = get_object(def, "output").and_then(|o| get(o, "value"));
            out.insert(
                format!("{ns}.{}", m.name.as_str()).to_ascii_lowercase(),
                UserFn { params, output },
            );
        }
    }
    out
}

/// One level of a copy loop.
pub struct CopyFrame {
    /// Lower-cased loop name.
    pub name: String,
    /// `None` when the count is not known.
    pub index: Option<i64>,
    /// A resource loop (what `copyIndex()` without a name refers to).
    pub resource: bool,
    pub parent: Option<Rc<CopyFrame>>,
}

/// The variables of the lambdas an expression is inside (`lambdaVariables('x')`),
/// innermost first.
pub struct LambdaFrame {
    /// Parameter names as declared, with their values.
    pub vars: Vec<(String, Val)>,
    pub parent: Option<Rc<LambdaFrame>>,
}

/// Where an expression is evaluated: which template's names, inside which copy loops and
/// lambdas.
#[derive(Clone)]
pub struct Ctx {
    pub scope: usize,
    pub copy: Option<Rc<CopyFrame>>,
    pub lambda: Option<Rc<LambdaFrame>>,
}

impl Ctx {
    /// The top level of template scope `scope`: no copy loop, no lambda.
    pub fn new(scope: usize) -> Ctx {
        Ctx {
            scope,
            copy: None,
            lambda: None,
        }
    }

    pub fn with_frame(&self, name: &str, index: Option<i64>, resource: bool) -> Ctx {
        Ctx {
            copy: Some(Rc::new(CopyFrame {
                name: name.to_ascii_lowercase(),
                index,
                resource,
                parent: self.copy.clone(),
            })),
            ..self.clone()
        }
    }

    /// Inside a lambda whose parameters are bound to `vars`.
    pub fn with_lambda(&self, vars: Vec<(String, Val)>) -> Ctx {
        Ctx {
            lambda: Some(Rc::new(LambdaFrame {
                vars,
                parent: self.lambda.clone(),
            })),
            ..self.clone()
        }
    }
}

/// Hashes the keys of the expression cache, string offsets in one file: each a distinct
/// integer, mixed by SplitMix64's finalizer (a bijection whose every output bit depends on
/// every input bit, so offsets that share their low bits do not share buckets). SipHash's
/// keyed strength buys nothing for them.
#[derive(Default)]
pub struct OffsetHasher(u64);

impl Hasher for OffsetHasher {
    fn finish(&self) -> u64 {
        let mut z = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8) | u64::from(*b);
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.0 = u64::from(n);
    }
}

/// The evaluator of one template file. The parsed-expression cache and the diagnostics
/// live across evaluations (one per parameter file); scopes are per evaluation.
pub struct Eval<'a, 't> {
    pub text: &'t str,
    pub file: FileId,
    scopes: Vec<Scope<'a, 't>>,
    cache: HashMap<u32, Option<Rc<Expr>>, BuildHasherDefault<OffsetHasher>>,
    diags: Vec<Diagnostic>,
    diag_seen: HashSet<(u32, u32)>,
    depth: u32,
    /// Variables being evaluated (scope, name as referenced), outermost first: a cycle is
    /// reported with its whole chain.
    var_stack: Vec<(usize, String)>,
    /// Reading a template that Bicep wrote into a variable (`loadJsonContent`): its
    /// expressions are escaped once (`[[parameters('x')]`), since the variable is evaluated
    /// before the nested deployment is. See [`Eval::string`].
    pub escaped: bool,
}

impl<'a, 't> Eval<'a, 't> {
    pub fn new(text: &'t str, file: FileId) -> Eval<'a, 't> {
        Eval {
            text,
            file,
            scopes: Vec::new(),
            cache: HashMap::default(),
            diags: Vec::new(),
            diag_seen: HashSet::new(),
            depth: 0,
            var_stack: Vec::new(),
            escaped: false,
        }
    }

    /// Start a new evaluation (a new parameter file): scopes are reset (the budget is
    /// the caller's, see [`limits::run`]).
    pub fn reset(&mut self) {
        self.scopes.clear();
        self.depth = 0;
        self.var_stack.clear();
    }

    pub fn add_scope(&mut self, scope: Scope<'a, 't>) -> usize {
        self.scopes.push(scope);
        self.scopes.len() - 1
    }

    pub fn take_diagnostics(&mut self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.diags)
    }

    /// An ER001 at `span`, once per span.
    pub fn report(&mut self, span: Span, message: String) {
        if self.diag_seen.insert((span.start, span.end)) {
            self.diags.push(json::parse_error(span, message));
        }
    }

    /// One step of the unit's budget at `span`, one level deeper.
    fn enter(&mut self, span: Span) -> Result<(), String> {
        limits::step(span).map_err(|s| s.reason)?;
        if self.depth >= MAX_DEPTH {
            let why = format!(
                "erlint's limit of {MAX_DEPTH} levels of values, expressions and variables nested inside each other was reached"
            );
            limits::hit(
                span,
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

    pub fn span(&self, r: &impl jsonc_parser::common::Ranged) -> Span {
        span_of(self.file, r)
    }

    /// Evaluate a JSON node: strings that are expressions are evaluated, objects keep their
    /// keys in document order, and a `copy` array in an object generates its properties.
    pub fn node(&mut self, ctx: &Ctx, v: &'a JValue<'t>) -> Val {
        let span = self.span(v);
        let sp = Some(span);
        if let Err(why) = self.enter(span) {
            return Val::unknown(why, sp);
        }
        let out = match v {
            JValue::StringLit(s) => self.string(ctx, s),
            JValue::NumberLit(n) => json::number(n.value)
                .map(|x| Val::number(x, sp))
                .unwrap_or_else(|| Val::unknown(format!("`{}` is not a number", n.value), sp)),
            JValue::BooleanLit(b) => Val::bool(b.value, sp),
            JValue::NullKeyword(_) => Val::null(sp),
            JValue::Array(a) => {
                let _ = limits::values(a.elements.len(), span);
                let items: Vec<Val> = a.elements.iter().map(|e| self.node(ctx, e)).collect();
                Val::list(items, sp)
            }
            JValue::Object(o) => self.object(ctx, o),
        };
        self.leave();
        out
    }

    pub fn object(&mut self, ctx: &Ctx, o: &'a JObject<'t>) -> Val {
        let sp = Some(self.span(o));
        let mut b = ObjectBuilder::with_capacity(o.properties.len());
        for p in &o.properties {
            let key = p.name.as_str();
            if key.eq_ignore_ascii_case("copy")
                && let Some(specs) = property_copy_specs(&p.value)
            {
                for spec in specs {
                    let name = json::get_str(spec, "name").unwrap_or("");
                    let list = self.copy_list(ctx, spec, false, Some(self.span(&p.value)));
                    b.insert(name, list);
                }
                continue;
            }
            let v = self.node(ctx, &p.value);
            b.insert(key, v);
        }
        Val::object(b.finish(), sp)
    }

    /// The list a copy spec (`{name, count, input}`) generates, with `copyIndex('name')`
    /// bound for each element. Property and variable loops use this.
    fn copy_list(
        &mut self,
        ctx: &Ctx,
        spec: &'a JObject<'t>,
        variable: bool,
        at: Option<Span>,
    ) -> Val {
        let name = json::get_str(spec, "name").unwrap_or("");
        let count = match get(spec, "count") {
            Some(c) => self.node(ctx, c),
            None => Val::unknown("copy has no `count`", at),
        };
        let n = match count_of(&count) {
            Ok(n) => n,
            Err(u) => return Val::unknown_with(u, at),
        };
        let input = get(spec, "input");
        let mut items = Vec::with_capacity(n as usize);
        for i in 0..n {
            let c = ctx.with_frame(name, Some(i), false);
            items.push(match input {
                Some(inp) => self.node(&c, inp),
                // A variable copy without `input` yields the index itself.
                None if variable => Val::number(i as f64, at),
                None => Val::unknown("copy has no `input`", at),
            });
        }
        Val::list(items, at)
    }

    /// A JSON string: a literal, or an expression evaluated and re-sited at the string.
    pub fn string(&mut self, ctx: &Ctx, s: &'a StringLit<'t>) -> Val {
        let span = self.span(s);
        if self.escaped {
            return self.escaped_string(ctx, s, span);
        }
        match expr::classify(&s.value) {
            StrForm::Literal(c) => {
                // `" [parameters('x')] "`: whether Azure evaluates it is not certain, and
                // its text is certainly not a value anyone meant.
                let t = s.value.trim();
                if t.len() != s.value.len() && matches!(expr::classify(t), StrForm::Expression(_)) {
                    return Val::unknown(
                        "a template expression with whitespace around its brackets",
                        Some(span),
                    );
                }
                Val::str(c.as_ref(), Some(span))
            }
            StrForm::Expression(src) => {
                if blank(src) {
                    return Val::unknown("empty template expression", Some(span));
                }
                let Some(e) = self.parsed(s, src) else {
                    return Val::unknown("malformed template expression", Some(span));
                };
                self.expr(ctx, &e).resited(Some(span))
            }
        }
    }

    /// A string of a template read one escape level down ([`Eval::escaped`]): `[[…]` is an
    /// expression of the nested template; `[…]` was evaluated with the variable, in the
    /// outer template, so its value here is not known; `[[[…]` is a literal `[…`.
    fn escaped_string(&mut self, ctx: &Ctx, s: &'a StringLit<'t>, span: Span) -> Val {
        let v: &str = &s.value;
        let b = v.as_bytes();
        let bracketed = b.len() >= 2 && b.first() == Some(&b'[') && b.last() == Some(&b']');
        if !bracketed {
            return Val::str(v, Some(span));
        }
        match (b.get(1), b.get(2)) {
            (Some(b'['), Some(b'[')) => Val::str(v.get(2..).unwrap_or(""), Some(span)),
            (Some(b'['), _) => {
                let src = v.get(2..v.len() - 1).unwrap_or("");
                if blank(src) {
                    return Val::unknown("empty template expression", Some(span));
                }
                let key = u32::try_from(s.range.start).unwrap_or(u32::MAX);
                let parsed = match self.cache.get(&key) {
                    Some(c) => c.clone(),
                    None => {
                        let map = StrMap::new(s, self.text);
                        let r = match expr::parse_at(src, 2, &map, self.file) {
                            Ok(e) => Some(Rc::new(e)),
                            Err((msg, at)) => {
                                self.report(at, format!("invalid template expression: {msg}"));
                                None
                            }
                        };
                        self.cache.insert(key, r.clone());
                        r
                    }
                };
                match parsed {
                    Some(e) => self.expr(ctx, &e).resited(Some(span)),
                    None => Val::unknown("malformed template expression", Some(span)),
                }
            }
            _ => Val::unknown(
                "an expression of the template's variable, evaluated in the outer template",
                Some(span),
            ),
        }
    }

    /// The parsed expression of a string literal (parsed once per template).
    pub fn parsed(&mut self, s: &StringLit<'_>, src: &str) -> Option<Rc<Expr>> {
        let key = u32::try_from(s.range.start).unwrap_or(u32::MAX);
        if let Some(c) = self.cache.get(&key) {
            return c.clone();
        }
        let map = StrMap::new(s, self.text);
        let r = match expr::parse(src, &map, self.file) {
            Ok(e) => Some(Rc::new(e)),
            Err((msg, span)) => {
                self.report(span, format!("invalid template expression: {msg}"));
                None
            }
        };
        self.cache.insert(key, r.clone());
        r
    }

    /// Report the syntax error of a string literal's expression, unless it was parsed
    /// already (then its error, if any, was reported). Nothing is kept: no evaluation
    /// follows.
    fn check(&mut self, s: &StringLit<'_>, src: &str) {
        let key = u32::try_from(s.range.start).unwrap_or(u32::MAX);
        if self.cache.contains_key(&key) {
            return;
        }
        if let Err(e) = expr::check(src) {
            let span = e.span(&StrMap::new(s, self.text), self.file);
            self.report(span, format!("invalid template expression: {}", e.message));
        }
    }

    /// Check the syntax of every expression string under `v` that was not evaluated
    /// (reports ER001s; values are not computed). `metadata` and `comments` are skipped:
    /// they are documentation.
    pub fn check_syntax(&mut self, v: &'a JValue<'t>) {
        // Only arrays and objects wait on the stack; strings are looked at as they are met.
        let mut stack = Vec::with_capacity(64);
        self.check_value(v, &mut stack);
        while let Some(v) = stack.pop() {
            match v {
                JValue::Array(a) => {
                    for e in &a.elements {
                        self.check_value(e, &mut stack);
                    }
                }
                JValue::Object(o) => {
                    for p in &o.properties {
                        let k = p.name.as_str();
                        if !k.eq_ignore_ascii_case("metadata")
                            && !k.eq_ignore_ascii_case("comments")
                        {
                            self.check_value(&p.value, &mut stack);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// One value met by [`Self::check_syntax`]: kept inline, as most values are neither
    /// containers nor expressions; an expression string goes to [`Self::check_string`].
    #[inline]
    fn check_value(&mut self, v: &'a JValue<'t>, stack: &mut Vec<&'a JValue<'t>>) {
        match v {
            JValue::StringLit(s) if s.value.starts_with('[') => self.check_string(s),
            JValue::Array(_) | JValue::Object(_) => stack.push(v),
            _ => {}
        }
    }

    /// A string that starts with `[`, for [`Self::check_syntax`]: if it is an expression
    /// (not a `[[` literal), its syntax is checked.
    #[inline(never)]
    fn check_string(&mut self, s: &StringLit<'_>) {
        if let StrForm::Expression(src) = expr::classify(&s.value)
            && !blank(src)
        {
            self.check(s, src);
        }
    }

    pub fn expr(&mut self, ctx: &Ctx, e: &Expr) -> Val {
        let sp = Some(e.span);
        if let Err(why) = self.enter(e.span) {
            return Val::unknown(why, sp);
        }
        let depth = self.depth;
        // A panic inside is an ER000 here; the rest of the template is still checked.
        let out = crate::panics::guard(e.span, || self.expr_inner(ctx, e)).unwrap_or_else(|| {
            self.depth = depth;
            Val::unknown(
                "erlint could not evaluate this expression (an internal error, reported as ER000)",
                sp,
            )
        });
        self.leave();
        out
    }

    fn expr_inner(&mut self, ctx: &Ctx, e: &Expr) -> Val {
        let sp = Some(e.span);
        match &e.kind {
            ExprKind::Str(s) => Val::new(ValKind::Str(s.clone()), sp),
            ExprKind::Num(n) => Val::number(*n, sp),
            ExprKind::Bool(b) => Val::bool(*b, sp),
            ExprKind::Null => Val::null(sp),
            ExprKind::Call { name, args, .. } => self.call(ctx, name, args, e.span),
            ExprKind::Member { target, name } => {
                let t = self.expr(ctx, target);
                member(t, name, e.span)
            }
            ExprKind::Index { target, index } => {
                let t = self.expr(ctx, target);
                let i = self.expr(ctx, index);
                index_val(t, &i, e.span)
            }
        }
    }

    /// `parameters('name')` in `scope`, re-sited at `site`.
    pub fn param(&mut self, scope: usize, name: &str, site: Span) -> Val {
        let key = name.to_ascii_lowercase();
        let Some(sc) = self.scopes.get_mut(scope) else {
            return Val::unknown("no template scope", Some(site));
        };
        match sc.param_memo.get(&key) {
            Some(Slot::Done(v)) => return v.clone().resited(Some(site)),
            Some(Slot::InProgress) => {
                self.report(
                    site,
                    format!("parameter `{name}` refers to itself in its `defaultValue`"),
                );
                return Val::unknown(format!("parameter `{name}` refers to itself"), Some(site));
            }
            None => {}
        }
        sc.param_memo.insert(key.clone(), Slot::InProgress);
        // Parameter names are not case-sensitive.
        let v = sized(self.param_value(scope, &key, name, site), site)
            .or_symbol(|| crate::model::value::symbol(&key, scope));
        // The slot marked in progress above, now done (no second key, no rehash).
        if let Some(slot) = self
            .scopes
            .get_mut(scope)
            .and_then(|sc| sc.param_memo.get_mut(&key))
        {
            *slot = Slot::Done(v.clone());
        }
        v.resited(Some(site))
    }

    fn param_value(&mut self, scope: usize, key: &str, name: &str, site: Span) -> Val {
        let Some(sc) = self.scopes.get(scope) else {
            return Val::unknown("no template scope", Some(site));
        };
        let def = sc.params.get(key).copied();
        match &sc.supplied {
            Supplied::Values(m) => {
                if let Some(v) = m.get(key) {
                    return v.clone();
                }
            }
            Supplied::AllUnknown(why) => {
                if def.is_some() {
                    return Val::unknown(why.clone(), Some(site));
                }
            }
            Supplied::None => {}
        }
        let Some(def) = def else {
            return Val::unknown(format!("parameter `{name}` is not declared"), Some(site));
        };
        if let Some(d) = get(def, "defaultValue") {
            let ctx = Ctx::new(scope);
            return self.node(&ctx, d);
        }
        // `"nullable": true` (Bicep's `string?`) and left out: ARM passes null.
        if matches!(get(def, "nullable"), Some(JValue::BooleanLit(b)) if b.value) {
            return Val::null(Some(site));
        }
        let secure = json::get_str(def, "type").is_some_and(|t| {
            t.eq_ignore_ascii_case("securestring") || t.eq_ignore_ascii_case("secureobject")
        });
        Val::unknown_with(
            Unknown {
                reason: format!("parameter `{name}` has no value"),
                refers_to: None,
                secret: secure,
                symbol: None,
            },
            Some(site),
        )
    }

    /// `variables('name')` in `scope`, re-sited at `site`.
    pub fn var(&mut self, scope: usize, name: &str, site: Span) -> Val {
        let key = name.to_ascii_lowercase();
        let Some(sc) = self.scopes.get_mut(scope) else {
            return Val::unknown("no template scope", Some(site));
        };
        match sc.var_memo.get(&key) {
            Some(Slot::Done(v)) => return v.clone().resited(Some(site)),
            Some(Slot::InProgress) => {
                let why = self.var_cycle(scope, &key, name);
                self.report(site, why.clone());
                return Val::unknown(why, Some(site));
            }
            None => {}
        }
        let def = match sc.vars.get(&key) {
            Some(VarDef::Value(v)) => VarDef::Value(v),
            Some(VarDef::Copy(o)) => VarDef::Copy(o),
            None => {
                return Val::unknown(format!("variable `{name}` is not declared"), Some(site));
            }
        };
        sc.var_memo.insert(key.clone(), Slot::InProgress);
        self.var_stack.push((scope, name.to_string()));
        let ctx = Ctx::new(scope);
        let v = match def {
            VarDef::Value(node) => self.node(&ctx, node),
            VarDef::Copy(spec) => {
                let at = Some(self.span(spec));
                self.copy_list(&ctx, spec, true, at)
            }
        };
        self.var_stack.pop();
        let v =
            sized(v, site).or_symbol(|| crate::model::value::symbol(&format!("var.{key}"), scope));
        if let Some(slot) = self
            .scopes
            .get_mut(scope)
            .and_then(|sc| sc.var_memo.get_mut(&key))
        {
            *slot = Slot::Done(v.clone());
        }
        v.resited(Some(site))
    }

    /// Why `variables('name')` (lower-cased `key`) cannot be evaluated while it is being
    /// evaluated: the chain of variables from it back to this reference.
    fn var_cycle(&self, scope: usize, key: &str, name: &str) -> String {
        let start = self
            .var_stack
            .iter()
            .rposition(|(s, n)| *s == scope && n.eq_ignore_ascii_case(key));
        let chain: Vec<&str> = match start.and_then(|i| self.var_stack.get(i..)) {
            Some(c) => c
                .iter()
                .filter(|(s, _)| *s == scope)
                .map(|(_, n)| n.as_str())
                .collect(),
            None => Vec::new(),
        };
        if chain.len() <= 1 {
            return format!("variable `{name}` refers to itself");
        }
        let path: Vec<String> = chain
            .iter()
            .copied()
            .chain([name])
            .map(|n| format!("`{n}`"))
            .collect();
        format!(
            "variable `{name}` refers to itself through a cycle: {}",
            path.join(" → ")
        )
    }

    /// Call a user-defined function (`ns.name(...)`), or `None` if there is none.
    pub fn user_fn(&mut self, ctx: &Ctx, name: &str, args: Vec<Val>, span: Span) -> Option<Val> {
        let functions = self.scopes.get(ctx.scope)?.functions.clone();
        let f = functions.get(name)?;
        let Some(output) = f.output else {
            return Some(Val::unknown(
                format!("function `{name}` has no output"),
                Some(span),
            ));
        };
        let mut values = HashMap::new();
        for (p, a) in f.params.iter().zip(args) {
            values.insert(p.clone(), a);
        }
        let scope = self.add_scope(Scope {
            params: Names::default(),
            vars: Names::default(),
            functions: functions.clone(),
            supplied: Supplied::Values(values),
            param_memo: Names::default(),
            var_memo: Names::default(),
        });
        let v = self.node(&Ctx::new(scope), output);
        // The scope is only needed during the call.
        if self.scopes.len() == scope + 1 {
            self.scopes.pop();
        }
        Some(v.resited(Some(span)))
    }
}

/// A `copy` property value that is a property-copy array: `[{name, count, input}, …]`.
fn property_copy_specs<'a, 't>(v: &'a JValue<'t>) -> Option<Vec<&'a JObject<'t>>> {
    let a = v.as_array()?;
    let specs: Vec<&JObject<'t>> = a.elements.iter().filter_map(JValue::as_object).collect();
    let ok = !specs.is_empty()
        && specs.len() == a.elements.len()
        && specs
            .iter()
            .all(|s| json::get_str(s, "name").is_some() && get(s, "input").is_some());
    ok.then_some(specs)
}

/// `v`, or Unknown if it is too large to walk ([`limits::within_size`], an ER005 at
/// `site`).
/// Whether an expression's text is only whitespace (`src.trim().is_empty()`, stopping at the
/// first character that is not).
fn blank(src: &str) -> bool {
    src.chars().all(char::is_whitespace)
}

pub fn sized(v: Val, site: Span) -> Val {
    match limits::within_size(&v, site) {
        Ok(()) => v,
        Err(stop) => Val::unknown(stop.reason, Some(site)),
    }
}

/// A copy count: a Known integer in `0..=MAX_COPY`.
pub fn count_of(v: &Val) -> Result<i64, Unknown> {
    match &v.kind {
        ValKind::Unknown(u) => Err(Unknown {
            reason: format!("the copy count is not known ({})", u.reason),
            refers_to: None,
            secret: false,
            symbol: None,
        }),
        ValKind::Number(n) if n.fract() == 0.0 && *n >= 0.0 && *n <= MAX_COPY as f64 => {
            Ok(*n as i64)
        }
        _ => Err(Unknown {
            reason: format!("the copy count `{v}` is not a number from 0 to {MAX_COPY}"),
            refers_to: None,
            secret: false,
            symbol: None,
        }),
    }
}

pub use super::functions::unknown_at;

/// `target.name`: ARM property names match case-insensitively.
fn member(t: Val, name: &str, span: Span) -> Val {
    match &t.kind {
        ValKind::Unknown(u) => {
            let key = Val::str(name, None);
            Val::new(ValKind::Unknown(u.member(Some(&key))), Some(span))
        }
        ValKind::Object(o) => match o.get_ci(name) {
            Some(v) => v.clone().resited(Some(span)),
            None => Val::unknown(format!("property `{name}` does not exist"), Some(span)),
        },
        _ => Val::unknown(
            format!("cannot read property `{name}` of a {}", t.type_name()),
            Some(span),
        ),
    }
}

fn index_val(t: Val, i: &Val, span: Span) -> Val {
    if let ValKind::Unknown(u) = &t.kind {
        return Val::new(ValKind::Unknown(u.member(Some(i))), Some(span));
    }
    if let ValKind::Unknown(u) = &i.kind {
        return unknown_at(u, span);
    }
    match (&t.kind, &i.kind) {
        (ValKind::List(items), ValKind::Number(n)) if n.fract() == 0.0 && *n >= 0.0 => {
            match items.get(*n as usize) {
                Some(v) => v.clone().resited(Some(span)),
                None => Val::unknown(format!("index {n} is out of range"), Some(span)),
            }
        }
        (ValKind::Object(o), ValKind::Str(k)) => match o.get_ci(k) {
            Some(v) => v.clone().resited(Some(span)),
            None => Val::unknown(format!("property `{k}` does not exist"), Some(span)),
        },
        _ => Val::unknown(
            format!("cannot index a {} with a {}", t.type_name(), i.type_name()),
            Some(span),
        ),
    }
}
