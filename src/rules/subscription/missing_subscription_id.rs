//! ER101 missing-subscription-id
use crate::model::{Lookup, ProviderConfig};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a Terraform root module that deploys ExpressRoute resources through an `azurerm`
    /// or `azapi` provider configuration without a `subscription_id`, with an empty one, or
    /// with no `provider` block at all.
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
    /// root that calls it is. A `subscription_id` whose value cannot be known statically
    /// (a variable without a value) is never flagged.
    ///
    /// An `azapi_resource` takes its subscription from its `parent_id` chain: a resource
    /// group id that names a subscription (`/subscriptions/<id>/resourceGroups/rg`), an
    /// `azurerm_resource_group` (the `azurerm` provider's subscription), an azapi resource
    /// group (its own `parent_id`, else the `azapi` provider's). Only the provider that
    /// chain ends at must name one; a chain erlint cannot follow is never flagged.
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
        flags: "a Terraform root deploying ExpressRoute through an `azurerm` or `azapi` provider with no `subscription_id`",
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
                    "root module `{}` deploys ExpressRoute resources but has no `provider \"{}\"` block naming a subscription",
                    provider.root,
                    provider.name()
                ),
            )
            .help(format!(
                "add `{}`; {}",
                crate::render::provider_block_with_subscription(provider.name()),
                &HELP[HELP.find("if CI").unwrap_or(0)..]
            ));
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
