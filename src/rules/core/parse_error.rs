//! ER001 parse-error
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a Terraform, ARM or Bicep file that does not parse, at the exact position of
    /// the error.
    ///
    /// ## Why is this bad?
    /// A file that does not parse cannot be deployed, and erlint cannot check anything in it.
    /// A broken file never passes the gate: the run exits with status 1 even when nothing
    /// else is wrong. The other files are still checked. Malformed ARM template expressions
    /// (`"[concat(parameters('a')]"`) are reported here too.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_express_route_circuit" "main" {
    ///   name = "er-circuit"
    ///   sku {                          # ER001: unclosed block
    /// ```
    /// ```json
    /// { "resources": [ { "type": "Microsoft.Network/expressRouteCircuits", } ] ]
    /// ```
    ///
    /// ## How to fix
    /// Fix the syntax at the reported position; `terraform validate` and
    /// `az deployment group validate` report the same problem.
    ///
    /// ## References
    /// - [HCL native syntax specification](https://github.com/hashicorp/hcl/blob/main/hclsyntax/spec.md)
    /// - [ARM template structure and syntax](https://learn.microsoft.com/azure/azure-resource-manager/templates/syntax)
    /// - [ARM template expressions](https://learn.microsoft.com/azure/azure-resource-manager/templates/template-expressions)
    pub struct ParseError {
        code: PARSE_ERROR,
        since: "0.1.0",
        flags: "HCL, JSON, Bicep or an ARM expression that does not parse",
    }
}
