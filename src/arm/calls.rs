//! How the evaluator calls a template function. The special forms, which need their
//! arguments unevaluated or the template around them, are here: `parameters`,
//! `variables`, `if`, `coalesce`, `copyIndex`, the lambda functions with `lambda()` and
//! `lambdaVariables()`, and user-defined functions (`ns.fn`). Everything else evaluates
//! its arguments and goes to the function library ([`functions::apply`]).

use super::eval::{Ctx, Eval, unknown_at};
use super::expr::{Expr, ExprKind};
use super::functions::{self, Lambdas};
use crate::model::{Val, ValKind};
use crate::source::Span;
use std::sync::Arc;

impl<'a, 't> Eval<'a, 't> {
    pub(super) fn call(&mut self, ctx: &Ctx, name: &str, args: &[Expr], span: Span) -> Val {
        match name {
            "parameters" | "variables" => return self.name_lookup(ctx, name, args, span),
            "if" => return self.if_call(ctx, args, span),
            "coalesce" => {
                return functions::coalesce(args.iter().map(|a| self.expr(ctx, a)), span);
            }
            "copyindex" => return self.copy_index(ctx, args, span),
            "lambdavariables" => return self.lambda_variable(ctx, args, span),
            "lambda" => {
                return Val::unknown(
                    "`lambda()` is only allowed as an argument of a lambda function",
                    Some(span),
                );
            }
            _ if functions::is_lambda_function(name) => {
                return self.lambda_call(ctx, name, args, span);
            }
            _ => {}
        }
        if functions::is_deployment_time(name) {
            // Its arguments are not even evaluated: nothing about them is reported.
            return Val::unknown(
                format!("`{name}()` is only known during deployment"),
                Some(span),
            );
        }
        let vals: Vec<Val> = args.iter().map(|a| self.expr(ctx, a)).collect();
        if name.contains('.') {
            return match self.user_fn(ctx, name, vals, span) {
                Some(v) => v,
                None => Val::unknown(format!("function `{name}` is not defined"), Some(span)),
            };
        }
        functions::apply(name, &vals, span)
    }

    /// `parameters('name')` and `variables('name')`.
    fn name_lookup(&mut self, ctx: &Ctx, name: &str, args: &[Expr], span: Span) -> Val {
        let sp = Some(span);
        let Some(a) = args.first() else {
            return Val::unknown(format!("`{name}()` needs a name"), sp);
        };
        let a = self.expr(ctx, a);
        match &a.kind {
            ValKind::Str(n) if name == "parameters" => self.param(ctx.scope, n, span),
            ValKind::Str(n) => self.var(ctx.scope, n, span),
            ValKind::Unknown(u) => unknown_at(u, span),
            _ => Val::unknown(format!("`{name}()` needs a string"), sp),
        }
    }

    /// `if(condition, then, else)`: only the branch taken is evaluated.
    fn if_call(&mut self, ctx: &Ctx, args: &[Expr], span: Span) -> Val {
        let [c, t, f] = args else {
            return Val::unknown("`if()` takes three arguments", Some(span));
        };
        let c = self.expr(ctx, c);
        functions::if_then_else(&c, |taken| self.expr(ctx, if taken { t } else { f }), span)
    }

    /// `copyIndex([loopName], [offset])`: the index of the enclosing (or named) copy loop.
    fn copy_index(&mut self, ctx: &Ctx, args: &[Expr], span: Span) -> Val {
        let sp = Some(span);
        let vals: Vec<Val> = args.iter().map(|a| self.expr(ctx, a)).collect();
        if let Some(u) = vals.iter().find_map(|v| match &v.kind {
            ValKind::Unknown(u) => Some(u),
            _ => None,
        }) {
            return unknown_at(u, span);
        }
        let whole = |v: &Val| match &v.kind {
            ValKind::Number(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => Some(*n as i64),
            _ => None,
        };
        let (name, offset) = match vals.as_slice() {
            [] => (None, 0),
            [v] => match &v.kind {
                ValKind::Str(s) => (Some(s.clone()), 0),
                _ => (None, whole(v).unwrap_or(0)),
            },
            [n, o] => (n.as_str().map(Arc::from), whole(o).unwrap_or(0)),
            _ => return Val::unknown("`copyIndex()` takes at most two arguments", sp),
        };
        let mut frame = ctx.copy.as_deref();
        while let Some(f) = frame {
            let hit = match &name {
                Some(n) => f.name.eq_ignore_ascii_case(n),
                None => f.resource,
            };
            if hit {
                return match f.index {
                    Some(i) => Val::number((i + offset) as f64, sp),
                    None => Val::unknown(
                        format!("the count of copy loop `{}` is not known", f.name),
                        sp,
                    ),
                };
            }
            frame = f.parent.as_deref();
        }
        Val::unknown("`copyIndex()` is used outside a copy loop", sp)
    }
}

/// One `lambda('x', 'y', body)` argument.
struct LambdaDef<'e> {
    params: Vec<String>,
    body: &'e Expr,
}

/// The lambda arguments of one call, evaluated by the ARM evaluator in the caller's
/// context with `lambdaVariables` bound.
struct ArmLambdas<'x, 'a, 't, 'e> {
    ev: &'x mut Eval<'a, 't>,
    ctx: &'x Ctx,
    defs: Vec<LambdaDef<'e>>,
}

impl Lambdas for ArmLambdas<'_, '_, '_, '_> {
    fn count(&self) -> usize {
        self.defs.len()
    }

    fn params(&self, i: usize) -> usize {
        self.defs.get(i).map_or(0, |d| d.params.len())
    }

    fn call(&mut self, i: usize, args: &[Val]) -> Val {
        let Some(def) = self.defs.get(i) else {
            return Val::unknown("no such lambda argument", None);
        };
        let vars = def
            .params
            .iter()
            .cloned()
            .zip(args.iter().cloned())
            .collect();
        let ctx = self.ctx.with_lambda(vars);
        self.ev.expr(&ctx, def.body)
    }
}

impl<'a, 't> Eval<'a, 't> {
    /// `filter(array, lambda('x', body))` and the other lambda functions: the value
    /// arguments are evaluated, the lambdas are applied by the function library.
    fn lambda_call(&mut self, ctx: &Ctx, name: &str, args: &[Expr], span: Span) -> Val {
        let mut values = Vec::new();
        let mut defs = Vec::new();
        for a in args {
            match &a.kind {
                ExprKind::Call { name: f, args } if &**f == "lambda" => {
                    match self.lambda_def(ctx, args, a.span) {
                        Ok(d) => defs.push(d),
                        Err(why) => return why,
                    }
                }
                _ if !defs.is_empty() => {
                    return Val::unknown(
                        format!("the lambdas of `{name}()` must be its last arguments"),
                        Some(span),
                    );
                }
                _ => values.push(self.expr(ctx, a)),
            }
        }
        let mut lambdas = ArmLambdas {
            ev: self,
            ctx,
            defs,
        };
        functions::apply_with_lambdas(name, &values, &mut lambdas, span)
    }

    /// The parameter names (string arguments) and the body (the last one) of `lambda()`.
    fn lambda_def<'e>(
        &mut self,
        ctx: &Ctx,
        args: &'e [Expr],
        span: Span,
    ) -> Result<LambdaDef<'e>, Val> {
        let sp = Some(span);
        let Some((body, names)) = args.split_last().filter(|(_, n)| !n.is_empty()) else {
            return Err(Val::unknown(
                "`lambda()` needs parameter names and a body",
                sp,
            ));
        };
        let mut params = Vec::with_capacity(names.len());
        for n in names {
            let v = self.expr(ctx, n);
            match &v.kind {
                ValKind::Str(s) => params.push(s.to_string()),
                ValKind::Unknown(u) => return Err(unknown_at(u, span)),
                _ => {
                    return Err(Val::unknown(
                        "a `lambda()` parameter name is not a string",
                        sp,
                    ));
                }
            }
        }
        Ok(LambdaDef { params, body })
    }

    /// `lambdaVariables('x')`: the value bound to `x` by the innermost lambda that
    /// declares it (names match exactly).
    fn lambda_variable(&mut self, ctx: &Ctx, args: &[Expr], span: Span) -> Val {
        let sp = Some(span);
        let [a] = args else {
            return Val::unknown("`lambdaVariables()` takes one name", sp);
        };
        let n = self.expr(ctx, a);
        let name = match &n.kind {
            ValKind::Str(s) => s.clone(),
            ValKind::Unknown(u) => return unknown_at(u, span),
            _ => return Val::unknown("`lambdaVariables()` needs a string", sp),
        };
        let mut frame = ctx.lambda.as_deref();
        while let Some(f) = frame {
            if let Some((_, v)) = f.vars.iter().find(|(k, _)| **k == *name) {
                return v.clone().resited(sp);
            }
            frame = f.parent.as_deref();
        }
        Val::unknown(
            format!("`lambdaVariables('{name}')` is not inside a lambda that declares it"),
            sp,
        )
    }
}
