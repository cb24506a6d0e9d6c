//! ER006 expressroute-not-evaluated
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Notes ExpressRoute resources erlint found but could not evaluate, so that no
    /// resource goes unchecked in silence:
    ///
    /// - an `azapi_resource` (or `azapi_update_resource`) of an ExpressRoute type whose
    ///   `body` erlint cannot read: a string that is not JSON, a `file()` it did not read,
    ///   a function it does not implement; or whose `type` is not known statically;
    /// - an `azapi_resource_action` that `PUT`s or `PATCH`es an ExpressRoute resource (an
    ///   imperative call, not a declaration);
    /// - an `azurerm_*_template_deployment` whose template erlint cannot read: a
    ///   `template_spec_version_id` (the template is not in the repository), a
    ///   `template_content` that is not known statically; an azapi
    ///   `Microsoft.Resources/deployments` with a `templateLink`;
    /// - in Bicep, a `Microsoft.Resources/deployments` resource (a nested deployment
    ///   written by hand instead of a `module`) whose template declares or may declare an
    ///   ExpressRoute resource type, is linked (`templateLink`) or is not known statically;
    ///   an ExpressRoute resource whose body or `properties` comes from what erlint does
    ///   not evaluate (`loadYamlContent()`, a function it does not implement);
    /// - a JSON file that names an ExpressRoute resource type but is not an ARM deployment
    ///   template or parameter file (no deployment `$schema`), which erlint skips.
    ///
    /// ## Why is this bad?
    /// It is not a defect in your code; it says where erlint's view ends. Every check on
    /// those resources was skipped; `erlint resources` lists what was checked.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azapi_resource" "circuit" {
    ///   type      = "Microsoft.Network/expressRouteCircuits@2024-05-01"
    ///   parent_id = azurerm_resource_group.net.id
    ///   name      = "er-weu"
    ///   body      = file("${path.module}/${var.body_file}") # ER006
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Write the `body` as an HCL object (azapi 2.x) or `jsonencode({ … })`, the template as
    /// `file("${path.module}/template.json")`, a heredoc or `jsonencode({ … })`, and give
    /// an ARM template its deployment `$schema`. In Bicep, deploy a template as a `module`
    /// and read data with `loadJsonContent()`. To accept the gap, turn the note off for
    /// the file with an `erlint-ignore ER006` comment or `ER006 = "off"` in `.erlint.toml`.
    ///
    /// ## References
    /// - [azapi_resource](https://registry.terraform.io/providers/Azure/azapi/latest/docs/resources/resource)
    /// - [azurerm_resource_group_template_deployment](https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/resource_group_template_deployment)
    /// - [ARM template structure](https://learn.microsoft.com/azure/azure-resource-manager/templates/syntax)
    pub struct NotEvaluated {
        code: NOT_EVALUATED,
        since: "0.1.0",
        flags: "ExpressRoute resources in a form erlint could not evaluate",
    }
}
