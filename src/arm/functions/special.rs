//! The two functions whose arguments are not all evaluated: `if` evaluates one branch,
//! `coalesce` stops at the first value that is not null. The caller passes the
//! unevaluated arguments as closures (an ARM expression, a Bicep `c ? a : b` or `a ?? b`).

use super::unknown_at;
use crate::model::{Val, ValKind};
use crate::source::Span;

/// `if(condition, then, otherwise)` at `span`: `branch(true)` evaluates `then`,
/// `branch(false)` `otherwise`; only the branch taken is evaluated, and its value is
/// re-sited at the call.
pub fn if_then_else(condition: &Val, branch: impl FnOnce(bool) -> Val, span: Span) -> Val {
    let sp = Some(span);
    match &condition.kind {
        ValKind::Bool(b) => branch(*b).resited(sp),
        ValKind::Unknown(u) => unknown_at(u, span),
        _ => Val::unknown("the condition of `if()` is not a boolean", sp),
    }
}

/// `coalesce(a, b, …)` at `span`: the first argument that is not null (re-sited at the
/// call), or null. `args` is lazy: arguments after the result are never evaluated. An
/// Unknown before the first non-null value makes the result Unknown (it may be null).
pub fn coalesce(args: impl IntoIterator<Item = Val>, span: Span) -> Val {
    for v in args {
        match &v.kind {
            ValKind::Null => continue,
            ValKind::Unknown(u) => return unknown_at(u, span),
            _ => return v.resited(Some(span)),
        }
    }
    Val::null(Some(span))
}
