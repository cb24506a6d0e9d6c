//! ER000 internal-error
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a bug in erlint itself: a panic while reading, evaluating or checking one file.
    ///
    /// ## Why is this bad?
    /// erlint could not finish checking the file, so defects in it may be missed. The other
    /// files are still checked, and the run fails so the gap is not silent.
    ///
    /// ## Example
    /// ```text
    /// error[ER000]: internal error while linting this file: this is a bug in erlint
    /// ```
    ///
    /// ## How to fix
    /// Nothing in your code needs to change. Report the message, the erlint version and, if
    /// you can, the file to the erlint issue tracker. Suppress it with an
    /// `erlint-ignore-file: ER000 <reason>` comment until a fix is released.
    ///
    /// ## References
    /// - [erlint issue tracker](https://github.com/erlint/erlint/issues)
    pub struct InternalError {
        code: INTERNAL_ERROR,
        since: "0.1.0",
        flags: "a bug in erlint while checking a file (the other files are still checked)",
    }
}
