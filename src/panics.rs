//! Panics (bugs in erlint) turned into findings: ER000 where the evaluation was when it
//! happened, with a bug-report hint, and the rest of the unit still checked.
//!
//! The evaluators run each expression through [`guard`]: a panic inside becomes an
//! ER000 at that expression (recorded with the unit's limits, see
//! [`limits::internal_error`]) and the expression's value is Unknown. A panic elsewhere
//! in a unit is caught by the linter and reported at the last expression evaluated.

use crate::limits;
use crate::source::Span;
use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Run `f`, evaluating at `span`; `None` if it panicked (recorded as an ER000 there).
pub fn guard<R>(span: Span, f: impl FnOnce() -> R) -> Option<R> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => Some(r),
        Err(payload) => {
            limits::internal_error(
                span,
                format!(
                    "internal error while evaluating this expression: this is a bug in erlint ({})",
                    message(payload.as_ref())
                ),
            );
            None
        }
    }
}

/// The text of a panic.
pub fn message(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}
