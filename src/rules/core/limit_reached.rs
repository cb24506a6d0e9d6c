//! ER005 limit-reached
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Warns where erlint stopped evaluating part of a unit at one of its limits, so the
    /// values computed there are unknown and the checks that need them were skipped: the
    /// evaluation budget of one Terraform root or ARM template (2,000,000 evaluation steps,
    /// 1,000,000 values built, 64 MiB of strings), 1,000 levels of expressions and
    /// references nested inside each other, a single value of more than 1,000,000
    /// elements, a `count` or `for_each` above 10,000 instances, a `for` expression over
    /// more than 100,000 elements, module calls nested more than 128 deep, more than
    /// 50,000 resource instances in one Terraform root or ARM template; and a Terraform file
    /// with more than 256 levels of blocks and expressions nested inside each other, which
    /// erlint's HCL parser does not read (Terraform does; the file is not checked).
    ///
    /// ## Why is this bad?
    /// A limit keeps erlint quick on any input, including code nobody has reviewed yet, but
    /// a defect in the part it did not evaluate would pass unnoticed. Real configurations
    /// stay far below these limits; reaching one usually means generated or hostile code
    /// (a value that doubles itself through locals, nested loops over large ranges).
    ///
    /// ## Example
    /// ```hcl
    /// locals {
    ///   l0 = ["x"]
    ///   l1 = [local.l0, local.l0]
    ///   # … each level twice the one before …
    ///   l40 = [local.l39, local.l39]   # ER005: more than 1,000,000 elements
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Simplify what is evaluated at the reported place, or split the configuration. If the
    /// code is right and you have checked the part erlint skipped, accept the gap with an
    /// `erlint-ignore ER005` comment (or the baseline).
    ///
    /// ## References
    /// - [Billion laughs attack](https://en.wikipedia.org/wiki/Billion_laughs_attack)
    pub struct LimitReached {
        code: LIMIT_REACHED,
        since: "0.1.0",
        flags: "where erlint stopped evaluating at one of its limits (evaluation budget, nesting, instance counts), so checks there were skipped",
    }
}
