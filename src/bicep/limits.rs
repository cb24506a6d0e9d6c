//! Every bound on Bicep evaluation, in one place, so that hostile input ends quickly and
//! the bounds can later be charged to the unit's evaluation budget.
//!
//! A limit never hides part of a unit silently: what could not be computed is Unknown
//! (rules stay silent on it) and [`reached`] records a located warning saying what was
//! not checked and why.

use crate::diagnostic::Diagnostic;
use crate::source::Span;

/// Most instances of one resource or module loop: Azure's own copy limit. A longer loop
/// is rejected by Azure, so its instances are not guessed: one instance whose existence
/// is Unknown stands for them (not a limit of erlint's, so no warning).
pub const MAX_LOOP: usize = 800;

/// Deepest chain of module calls followed (main → module → module …). Bicep rejects
/// cycles; this also stops a cycle erlint meets before Bicep would.
pub const MAX_MODULE_DEPTH: u32 = 32;

/// Deepest evaluation recursion (expressions, variable chains, function calls).
pub const MAX_DEPTH: u32 = 96;

/// Evaluation steps of one unit: this many plus two per byte of the files evaluated.
pub const BASE_FUEL: u64 = 1_000_000;

/// Most model resources one evaluation produces (as for ARM).
pub const MAX_RESOURCES: usize = 50_000;

/// A limit reached at `span`: a located warning that part of the unit was not checked.
/// (ER004 until the unit budget's own code exists; one constructor, so it changes here.)
pub fn reached(span: Span, message: impl Into<String>) -> Diagnostic {
    let mut d = crate::core::module_not_followed(span, message);
    d.help("split the file, or simplify the expression; erlint checks what it could evaluate");
    d
}
