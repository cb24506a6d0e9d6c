//! The bounds of Bicep evaluation that are Bicep's own, in one place. Evaluation steps,
//! values and bytes built, and recursion across references are charged to the unit's
//! budget ([`crate::limits`]) like every front end's: each Bicep evaluation (a template
//! with one parameter file, a `.bicepparam` file) runs inside [`crate::limits::run`].
//!
//! A limit never hides part of a unit silently: what could not be computed is Unknown
//! (rules stay silent on it) and an ER005 warning says where and why.

use crate::diagnostic::Diagnostic;
use crate::source::Span;

/// Most instances of one resource or module loop: Azure's own copy limit. A longer loop
/// is rejected by Azure, so its instances are not guessed: one instance whose existence
/// is Unknown stands for them (not a limit of erlint's, so no warning).
pub const MAX_LOOP: usize = 800;

/// Deepest chain of module calls followed (main → module → module …).
pub const MAX_MODULE_DEPTH: u32 = 32;

/// Deepest evaluation recursion within one evaluator call chain (expressions, variable
/// chains, function calls), as for ARM templates.
pub const MAX_DEPTH: u32 = 96;

/// Most model resources one evaluation produces (as for ARM).
pub const MAX_RESOURCES: usize = 50_000;

/// A limit reached at `span` that hid part of the unit (the ER005 of [`crate::limits`]).
pub fn reached(span: Span, message: impl Into<String>) -> Diagnostic {
    crate::limits::diagnostic(&crate::limits::Hit {
        span,
        message: message.into(),
        internal: false,
    })
}
