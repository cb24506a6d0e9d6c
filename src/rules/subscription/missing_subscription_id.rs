//! ER101 missing-subscription-id
use crate::model::{Lookup, ProviderConfig};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a Terraform root module that deploys ExpressRoute resources through an `azurerm`
    /// provider configuration without a `subscription_id`, with an empty one, or with no
    /// `provider "azurerm"` block at all.
    ///
    /// ## Why is this bad?
    /// An ExpressRoute circuit is an Azure resource and lives in an Azure subscription, even
    /// when it only carries Microsoft 365 traffic. Since azurerm 4.0 the provider refuses to
    /// plan or apply without a subscription unless one comes from `ARM_SUBSCRIPTION_ID` or
    /// the Azure CLI's current default, and an implicit CLI default is how circuits end up
    /// ordered, and billed, in the wrong subscription. Naming the subscription in code makes
    /// the target reviewable.
    ///
    /// A module called by another module in the scan is not a root and is not flagged; the
    /// root that calls it is. Nor is a reusable module nobody in the scan calls: one under
    /// `modules/`, or one with a module interface (`required_providers` and an input without
    /// a default, the Terraform Registry layout). A `subscription_id` whose value cannot be
    /// known statically (a variable without a value) is never flagged.
    ///
    /// ## Example
    /// ```hcl
    /// provider "azurerm" {   # ER101
    ///   features {}
    /// }
    ///
    /// resource "azurerm_express_route_circuit" "main" {
    ///   name                  = "er-circuit"
    ///   service_provider_name = "Equinix"
    ///   peering_location      = "Amsterdam"
    ///   bandwidth_in_mbps     = 200
    ///   # …
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Set the subscription in the provider block, typically from a variable:
    /// `subscription_id = var.subscription_id`. If your pipeline always sets
    /// `ARM_SUBSCRIPTION_ID`, say so with `terraform.subscription_from_env = true` in
    /// `.erlint.toml` (erlint also stays silent when `ARM_SUBSCRIPTION_ID` is set in its own
    /// environment).
    ///
    /// ## Options
    /// - `terraform.subscription_from_env` (bool, default `false`).
    ///
    /// ## References
    /// - [ExpressRoute prerequisites](https://learn.microsoft.com/azure/expressroute/expressroute-prerequisites)
    /// - [azurerm provider: subscription_id](https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs#subscription_id)
    /// - [azurerm 4.0 upgrade guide: specifying the subscription ID is mandatory](https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/guides/4.0-upgrade-guide)
    pub struct MissingSubscriptionId {
        id: "ER101",
        name: "missing-subscription-id",
        severity: Warning,
        kinds: [],
        schemas: [Azurerm],
        since: "0.1.0",
        flags: "a Terraform root deploying ExpressRoute through an `azurerm` provider with no `subscription_id`",
    }
}

impl Rule for MissingSubscriptionId {
    fn check_model(&self, cx: &mut Ctx<'_>, model: &Model) {
        if cx.settings.subscription_from_env {
            return;
        }
        for (i, provider) in model.providers.iter().enumerate() {
            let used = model.resources.iter().any(|r| {
                r.provider == Some(i) && r.reportable && r.is_expressroute() == Some(true)
            });
            if used {
                check_provider(cx, provider);
            }
        }
    }
}

const HELP: &str = "set `subscription_id` in the provider block (for example `subscription_id = var.subscription_id`); if CI always sets ARM_SUBSCRIPTION_ID, set `terraform.subscription_from_env = true` in .erlint.toml";

fn check_provider(cx: &mut Ctx<'_>, provider: &ProviderConfig) {
    let name = &provider.address;
    let Some(block) = &provider.block else {
        if let Some(at) = provider.first_use {
            cx.report_at(
                at,
                format!(
                    "root module `{}` deploys ExpressRoute resources but has no `provider \"azurerm\"` block naming a subscription",
                    provider.root
                ),
            )
            .help(format!("if this is the root module that deploys them, add `provider \"azurerm\" {{ features {{}} subscription_id = var.subscription_id }}`; if it is a reusable module, it must not configure a provider: call it from a root module (an example under `examples/`), or declare its interface (`required_providers` and an input without a default); {}", &HELP[HELP.find("if CI").unwrap_or(0)..]));
        }
        return;
    };
    match block.get("subscription_id") {
        Lookup::Unknown { .. } => {}
        Lookup::Absent { at, written, from } => {
            let how = if written { "is null" } else { "is not set" };
            let d = cx.report_at(
                at,
                format!("`subscription_id` of provider `{name}` {how}: the ExpressRoute resources using it have no Azure subscription"),
            );
            d.help(HELP);
            if let Some(from) = from {
                d.label(from, "value set here");
            }
        }
        Lookup::Known(f) => {
            if f.val.as_str().is_some_and(|s| s.trim().is_empty()) {
                let d = cx.report_at(
                    f.at,
                    format!("`subscription_id` of provider `{name}` is empty: the ExpressRoute resources using it have no Azure subscription"),
                );
                d.help(HELP);
                if let Some(from) = f.from {
                    d.label(from, "value set here");
                }
            }
        }
    }
}
