//! How the evaluator calls a template function. The special forms, which need their
//! arguments unevaluated or the template around them, are here: `parameters`,
//! `variables`, `if`, `coalesce`, `copyIndex`, and user-defined functions (`ns.fn`).
//! Everything else evaluates its arguments and goes to the function library
//! ([`functions::apply`]).

use super::eval::{Ctx, Eval, unknown_at};
use super::expr::Expr;
use super::functions;
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
