//! ER410 hardcoded-shared-key
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a peering's BGP MD5 key (`shared_key`, `sharedKey`) that is written in the
    /// repository: in the resource, a variable default, a local, a tfvars file, an ARM
    /// variable, a parameter's `defaultValue` or a plain value in a parameter file.
    ///
    /// ## Why is this bad?
    /// The MD5 key authenticates the BGP sessions between your routers and Microsoft's.
    /// Written in the repository, it is readable by everyone with access to the code, its
    /// forks and its CI logs, and it stays in the history after it is changed. A key that
    /// comes from outside is fine: a Terraform variable without a value in the repository
    /// (set through `TF_VAR_…` or `-var` by the pipeline), a data source such as
    /// `azurerm_key_vault_secret`, an ARM `secureString` parameter without a committed
    /// value, or a Key Vault reference in the parameter file. erlint tells them apart by
    /// where the value was written: a value from the environment or the command line was
    /// written in no file, and neither was a value computed from it (`trimspace(var.key)`).
    /// A key from a `-var-file` is reported, since the file is one erlint was given to
    /// read. Plans are not checked: they hold values, not where they were written.
    ///
    /// ## Example
    /// ```hcl
    /// variable "bgp_key" {
    ///   type    = string
    ///   default = "Xk29fLq7Zt41"
    /// }
    ///
    /// resource "azurerm_express_route_circuit_peering" "private" {
    ///   peering_type                  = "AzurePrivatePeering"
    ///   primary_peer_address_prefix   = "172.16.0.0/30"
    ///   secondary_peer_address_prefix = "172.16.0.4/30"
    ///   vlan_id                       = 100
    ///   shared_key                    = var.bgp_key   # ER410
    /// }
    /// ```
    /// ```json
    /// "parameters": {
    ///   "bgpKey": { "type": "securestring", "defaultValue": "Xk29fLq7Zt41" }
    /// },
    /// "resources": [
    ///   {
    ///     "type": "Microsoft.Network/expressRouteCircuits/peerings",
    ///     "name": "er-circuit/AzurePrivatePeering",
    ///     "properties": { "sharedKey": "[parameters('bgpKey')]" }
    ///   }
    /// ]
    /// ```
    ///
    /// ## How to fix
    /// Terraform: declare the key as a `sensitive` variable without a default and set it
    /// from your pipeline's secret store (`TF_VAR_bgp_key`), or read it with
    /// `data "azurerm_key_vault_secret"`. ARM: make it a `secureString` parameter without a
    /// `defaultValue` and pass a Key Vault reference in the parameter file. Then change the
    /// key on Azure and on your routers, since the old one stays in the repository's
    /// history.
    ///
    /// ## References
    /// - [Configure peering for an ExpressRoute circuit: MD5 hash](https://learn.microsoft.com/azure/expressroute/expressroute-howto-routing-portal-resource-manager)
    /// - [Use Azure Key Vault to pass secure parameter values during deployment](https://learn.microsoft.com/azure/azure-resource-manager/templates/key-vault-parameter)
    /// - [Terraform: protect sensitive input variables](https://developer.hashicorp.com/terraform/tutorials/configuration-language/sensitive-variables)
    pub struct HardcodedSharedKey {
        id: "ER410",
        name: "hardcoded-shared-key",
        severity: Warning,
        kinds: [Peering],
        schemas: [Azurerm, Arm],
        since: "0.1.0",
        flags: "a BGP MD5 key written in the repository instead of passed in from a secret store",
    }
}

impl Rule for HardcodedSharedKey {
    fn check_resource(&self, cx: &mut Ctx<'_>, _model: &Model, res: &Resource) {
        // A plan holds the values Terraform computed, not where they were written.
        if !res.dialect.source.knows_where_written() {
            return;
        }
        let Lookup::Known(f) = cx.get(res, &attr::SHARED_KEY) else {
            return;
        };
        let written = match &f.val.kind {
            ValKind::Str(s) => !s.is_empty(),
            ValKind::Number(_) => true,
            _ => false,
        };
        // From the environment or the command line: written in no file.
        if !written || f.val.external || f.val.origin_span().is_none() {
            return;
        }
        let in_parameter_file = f
            .from
            .is_some_and(|from| Some(from.file) == res.parameter_file);
        let help = format!(
            "{}, then change the key, which stays in the repository's history",
            Spelling::of(res).secret_input(&attr::SHARED_KEY, in_parameter_file)
        );
        cx.report_found(
            res,
            &f,
            format!(
                "`{}` is a BGP MD5 key written in the repository in plain text",
                res.attr_name(&attr::SHARED_KEY)
            ),
        )
        .help(help);
    }
}
