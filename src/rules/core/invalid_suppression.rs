//! ER003 invalid-suppression
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports an `erlint-ignore` suppression that names an unknown rule, gives no reason,
    /// has expired, or (with `--report-unused-ignores`) suppresses nothing.
    ///
    /// ## Why is this bad?
    /// A suppression is a promise that someone looked at a finding and accepted it. Without a
    /// reason nobody can tell why later; an unknown id or an unused suppression hides
    /// nothing and misleads readers; an expired one was meant to be revisited.
    ///
    /// ## Example
    /// ```hcl
    /// # erlint-ignore: ER999 typo in the id          # ER003
    /// # erlint-ignore: ER301                         # ER003: no reason
    /// # erlint-ignore: ER301 lab circuit exp:2025-01-31   # ER003 once expired
    /// resource "azurerm_express_route_circuit_peering" "lab" {
    /// ```
    /// ```json
    /// "metadata": { "erlint": { "ignore": [ { "id": "ER301" } ] } }
    /// ```
    ///
    /// ## How to fix
    /// Name an existing rule id, write the reason after it, and renew or remove expired
    /// suppressions: `# erlint-ignore: ER301 lab circuit, single router until Q3 exp:2026-09-30`.
    ///
    /// ## References
    /// - [erlint suppressions](https://github.com/erlint/erlint#suppressing-findings)
    pub struct InvalidSuppression {
        code: INVALID_SUPPRESSION,
        since: "0.1.0",
        flags: "a suppression with an unknown rule, no reason, or an expiry date that has passed",
    }
}
