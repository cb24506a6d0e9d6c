//! ER004 module-not-followed
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Notes a Terraform module call or an ARM linked template whose content erlint could not
    /// read, so the resources inside it were not checked. Also an ARM nested deployment it
    /// does not follow: a `template` given by an expression, or one nested more than 64
    /// deployments deep. And a Bicep module, or the template a `.bicepparam` file's `using`
    /// names, that is not on disk (or, for a registry module, not in Bicep's module cache).
    /// And, when files are named (pre-commit), a named ARM parameter file that pairs with
    /// no template of the run, or a named variable definitions file for which no root
    /// module was found: the values they set were not checked.
    ///
    /// ## Why is this bad?
    /// It is not a defect in your code; it says where erlint's view ends. A registry or git
    /// module is followed only when `terraform init` has mapped it to a directory in
    /// `.terraform/modules/modules.json`; an ARM `templateLink` points at a URL erlint never
    /// fetches (it makes no network access); nested deployments are followed 64 levels deep.
    ///
    /// ## Example
    /// ```hcl
    /// module "er" {
    ///   source  = "Azure/avm-res-network-expressroutecircuit/azurerm"   # ER004 before terraform init
    ///   version = "0.3.0"
    /// }
    /// ```
    /// ```json
    /// { "type": "Microsoft.Resources/deployments",
    ///   "properties": { "templateLink": { "uri": "https://example.com/er.json" } } }
    /// ```
    ///
    /// ## How to fix
    /// Run `terraform init` (or `terraform get`) before erlint so remote modules are on disk,
    /// or use a local path; for ARM, inline the template or lint the linked file on its own.
    /// Tie a parameter file to its template (`metadata.template`, `[arm.parameter_files]`
    /// in `.erlint.toml`, or `--parameters`), and a variable definitions file to its root
    /// module (`terraform.var_files`, or `erlint ROOT --var-file FILE`).
    ///
    /// ## References
    /// - [Terraform module sources](https://developer.hashicorp.com/terraform/language/modules/sources)
    /// - [ARM linked and nested templates](https://learn.microsoft.com/azure/azure-resource-manager/templates/linked-templates)
    pub struct ModuleNotFollowed {
        code: MODULE_NOT_FOLLOWED,
        since: "0.1.0",
        flags: "a module or linked template erlint could not read",
    }
}
