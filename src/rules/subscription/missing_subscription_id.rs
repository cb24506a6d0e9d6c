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
    /// root that calls it is. Nor is a reusable module nobody in the scan calls: one under
    /// `modules/`, or one with a module interface (`required_providers` and an input without
    /// a default, or provider `configuration_aliases`: the Terraform Registry layout). A
    /// `subscription_id` whose value cannot be known statically (a variable without a
    /// value) is never flagged.
    ///
    /// An `azapi_resource` takes its subscription from its `parent_id` chain: a resource
    /// group id that names a subscription (`/subscriptions/<id>/resourceGroups/rg`), an
    /// `azurerm_resource_group` (the `azurerm` provider's subscription), an azapi resource
    /// group (its own `parent_id`, else the `azapi` provider's), or an id built on a
    /// client configuration
    /// (`"${data.azapi_client_config.c.subscription_resource_id}/resourceGroups/rg"`,
    /// `"/subscriptions/${data.azurerm_client_config.c.subscription_id}/…"`: the provider
    /// that data source reads). Only the provider that chain ends at must name one; a
    /// chain erlint cannot follow is never flagged.
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
    /// - [azurerm provider: subscription_id](https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs#subscription_id):
    ///   "`subscription_id` - (Optional) The Subscription ID which should be used. This can
    ///   also be sourced from the `ARM_SUBSCRIPTION_ID` Environment Variable." Since azurerm
    ///   4.60, authenticating through the Azure CLI without one uses the CLI's default
    ///   subscription. So the finding says that the *configuration* names no subscription,
    ///   not that the resources will have none.
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

/// What ER101 found: a root whose configuration names no subscription for its ExpressRoute
/// resources.
#[derive(Debug, PartialEq)]
enum NoSubscription<'a> {
    /// The root has no `provider` block for the provider (`azurerm`, `azapi`) its
    /// ExpressRoute resources use, or none with the `alias` they name.
    NoBlock {
        root: &'a str,
        provider: &'a str,
        alias: Option<&'a str>,
    },
    /// The block's `subscription_id` is not set, null or empty.
    Unset { provider: &'a str, how: &'static str },
}

/// What the provider may still use at run time.
const AT_RUN_TIME: &str = "ARM_SUBSCRIPTION_ID or the Azure CLI may supply one at run time";

impl NoSubscription<'_> {
    fn message(&self) -> String {
        match self {
            NoSubscription::NoBlock {
                root,
                provider,
                alias,
            } => format!(
                "root module `{root}` deploys ExpressRoute resources but has no `provider \"{provider}\"` block{}, so the configuration names no subscription for them ({AT_RUN_TIME})",
                alias.map_or(String::new(), |a| format!(" with `alias = \"{a}\"`"))
            ),
            NoSubscription::Unset { provider, how } => format!(
                "`subscription_id` of provider `{provider}` {how}: the configuration names no subscription for the ExpressRoute resources using it ({AT_RUN_TIME})"
            ),
        }
    }

    fn help(&self) -> String {
        match self {
            NoSubscription::NoBlock {
                provider, alias, ..
            } => format!(
                "if this is the root module that deploys them, add `{}`; if it is a reusable module, it must not configure a provider: call it from a root module (an example under `examples/`), or declare its interface (`required_providers` and an input without a default{}); {}",
                crate::render::provider_block_with_subscription(provider, *alias),
                if alias.is_some() {
                    ", or the alias in `configuration_aliases`"
                } else {
                    ""
                },
                &HELP[HELP.find("if CI").unwrap_or(0)..]
            ),
            NoSubscription::Unset { .. } => HELP.to_string(),
        }
    }
}

fn check_provider(cx: &mut Ctx<'_>, provider: &ProviderConfig) {
    let name = &provider.address;
    let Some(block) = &provider.block else {
        if let Some(at) = provider.first_use {
            let f = NoSubscription::NoBlock {
                root: &provider.root,
                provider: provider.name(),
                alias: provider.alias.as_deref(),
            };
            cx.report_at(at, f.message()).help(f.help());
        }
        return;
    };
    let (at, from, how) = match block.get("subscription_id") {
        Lookup::Unknown { .. } => return,
        Lookup::Absent { at, written, from } => {
            (at, from, if written { "is null" } else { "is not set" })
        }
        Lookup::Known(f) if f.val.as_str().is_some_and(|s| s.trim().is_empty()) => {
            (f.at, f.from, "is empty")
        }
        Lookup::Known(_) => return,
    };
    let f = NoSubscription::Unset {
        provider: name,
        how,
    };
    let d = cx.report_at(at, f.message());
    d.help(f.help());
    if let Some(from) = from {
        d.label(from, "value set here");
    }
}

#[cfg(test)]
mod tests {
    use super::NoSubscription;

    #[test]
    fn message_and_help_come_from_the_finding() {
        let f = NoSubscription::Unset {
            provider: "azurerm.hub",
            how: "is not set",
        };
        assert_eq!(
            f.message(),
            "`subscription_id` of provider `azurerm.hub` is not set: the configuration names no subscription for the ExpressRoute resources using it (ARM_SUBSCRIPTION_ID or the Azure CLI may supply one at run time)"
        );
        assert!(f.help().starts_with("set `subscription_id` in the provider block"));
        let f = NoSubscription::NoBlock {
            root: "envs/prod",
            provider: "azurerm",
            alias: None,
        };
        assert_eq!(
            f.message(),
            "root module `envs/prod` deploys ExpressRoute resources but has no `provider \"azurerm\"` block, so the configuration names no subscription for them (ARM_SUBSCRIPTION_ID or the Azure CLI may supply one at run time)"
        );
        assert_eq!(
            f.help(),
            "if this is the root module that deploys them, add `provider \"azurerm\" { features {} subscription_id = var.subscription_id }`; if it is a reusable module, it must not configure a provider: call it from a root module (an example under `examples/`), or declare its interface (`required_providers` and an input without a default); if CI always sets ARM_SUBSCRIPTION_ID, set `terraform.subscription_from_env = true` in .erlint.toml"
        );
        let f = NoSubscription::NoBlock {
            root: ".",
            provider: "azapi",
            alias: None,
        };
        assert!(f.message().contains("no `provider \"azapi\"` block"));
        assert!(
            f.help()
                .contains("add `provider \"azapi\" { subscription_id = var.subscription_id }`")
        );
    }
}
