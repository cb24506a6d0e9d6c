//! ER104 office365-without-subscription
use super::office365::{describe_all, office365_filters};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a route filter on Microsoft peering that selects Microsoft 365 BGP communities
    /// (Exchange Online, SharePoint Online, Skype for Business and Teams, other Microsoft 365
    /// services) when the configuration does not declare that the subscription is
    /// authorized for Microsoft 365 over ExpressRoute.
    ///
    /// ## Why is this bad?
    /// Microsoft 365 over ExpressRoute is not available to every subscription. Microsoft
    /// reviews each request and authorizes only the cases that need it, and you also need an
    /// active Microsoft 365 subscription. Without that authorization, attaching a route
    /// filter that selects a Microsoft 365 community to the Microsoft peering fails, so the
    /// deployment stops there and no Microsoft 365 routes are advertised. The communities
    /// that need it are the rows Microsoft marks "Authorization required from Microsoft":
    /// Exchange Online, SharePoint Online, Skype for Business Online (with Teams) and other
    /// Office 365 Online services, in the public and US Government tables. CRM Online
    /// (`12076:5040`, which serves Dynamics v8.2 and earlier; newer Dynamics deployments
    /// use their Azure region's community), Microsoft Entra ID and the Azure communities
    /// need no such authorization. On a circuit in Azure China, where Office 365
    /// communities are not offered at all, ER106 reports them instead.
    ///
    /// erlint cannot see your agreements, so it asks you to declare the authorization once
    /// in `.erlint.toml`. The rule reads the communities of an `azurerm_route_filter`
    /// (`rule.communities`) or a `Microsoft.Network/routeFilters` resource
    /// (`rules[].properties.communities`, or `properties.communities` of its
    /// `routeFilterRules` child resources) that a Microsoft peering attaches through
    /// `route_filter_id` / `routeFilter.id` (IPv4 or IPv6). A filter attached to no peering
    /// here, a reference that names no resource of the configuration and values not known
    /// before deployment are not checked.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_route_filter" "m365" {
    ///   name                = "rf-m365"
    ///   resource_group_name = "rg-network"
    ///   location            = "westeurope"
    ///
    ///   rule {
    ///     name        = "allow-m365"
    ///     access      = "Allow"
    ///     rule_type   = "Community"
    ///     communities = ["12076:5010", "12076:5020"]   # ER104
    ///   }
    /// }
    ///
    /// resource "azurerm_express_route_circuit_peering" "microsoft" {
    ///   peering_type                  = "MicrosoftPeering"
    ///   express_route_circuit_name    = azurerm_express_route_circuit.main.name
    ///   resource_group_name           = "rg-network"
    ///   peer_asn                      = 54512   # your public ASN
    ///   vlan_id                       = 300
    ///   primary_peer_address_prefix   = "185.64.113.0/30"
    ///   secondary_peer_address_prefix = "185.64.113.4/30"
    ///   route_filter_id               = azurerm_route_filter.m365.id
    ///
    ///   microsoft_peering_config {
    ///     advertised_public_prefixes = ["185.64.113.128/27"]
    ///   }
    /// }
    /// ```
    /// ```json
    /// {
    ///   "type": "Microsoft.Network/routeFilters",
    ///   "apiVersion": "2024-05-01",
    ///   "name": "rf-m365",
    ///   "location": "westeurope",
    ///   "properties": {
    ///     "rules": [
    ///       {
    ///         "name": "allow-m365",
    ///         "properties": {
    ///           "access": "Allow",
    ///           "routeFilterRuleType": "Community",
    ///           "communities": ["12076:5010", "12076:5020"]
    ///         }
    ///       }
    ///     ]
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// If you need Microsoft 365 over ExpressRoute, get the authorization through your
    /// Microsoft account team, then declare it:
    ///
    /// ```toml
    /// [subscriptions]
    /// office365 = true
    /// ```
    ///
    /// Otherwise remove the Microsoft 365 communities from the route filter and reach
    /// Microsoft 365 over the Internet, which Microsoft recommends for most cases.
    ///
    /// ## Options
    /// `subscriptions.office365` (default `false`): the subscription is authorized for
    /// Microsoft 365 over ExpressRoute; this rule is then silent.
    ///
    /// ## References
    /// - [ExpressRoute prerequisites: Microsoft 365](https://learn.microsoft.com/azure/expressroute/expressroute-prerequisites)
    /// - [Configure route filters for Microsoft peering](https://learn.microsoft.com/azure/expressroute/how-to-routefilter-portal)
    /// - [ExpressRoute routing requirements: BGP community values](https://learn.microsoft.com/azure/expressroute/expressroute-routing#bgp)
    ///   (03/12/2026): the Office 365 rows carry "(2) Authorization required from
    ///   Microsoft"; `12076:5040` is "CRM Online (4)", with "(4) CRM Online supports
    ///   Dynamics v8.2 and earlier. For higher versions, select the regional community for
    ///   your Dynamics deployments."
    /// - [Using ExpressRoute for Microsoft 365 traffic](https://learn.microsoft.com/azure/expressroute/using-expressroute-for-microsoft365)
    pub struct Office365WithoutSubscription {
        id: "ER104",
        name: "office365-without-subscription",
        severity: Warning,
        kinds: [],
        schemas: [Azurerm, Arm],
        since: "0.1.0",
        flags: "a Microsoft peering's route filter selects Microsoft 365 communities and `subscriptions.office365` is not declared",
    }
}

impl Rule for Office365WithoutSubscription {
    fn check_model(&self, cx: &mut Ctx<'_>, model: &Model) {
        if cx.settings.office365 {
            return;
        }
        for sel in office365_filters(cx, model) {
            // On a circuit in Azure China no authorization helps: ER106's finding.
            let peerings: Vec<_> = sel.peerings.iter().filter(|a| a.china.is_none()).collect();
            if peerings.is_empty() {
                continue;
            }
            let Some((first, rest)) = sel.communities.split_first() else {
                continue;
            };
            let all: Vec<_> = sel.communities.iter().collect();
            let what = if rest.is_empty() {
                "community"
            } else {
                "communities"
            };
            let d = cx.report(
                sel.filter,
                first.at,
                format!(
                    "route filter selects Microsoft 365 {what} {}, which only a subscription authorized for Microsoft 365 over ExpressRoute may attach; `subscriptions.office365` is not set",
                    describe_all(&all)
                ),
            );
            d.help(
                "get Microsoft's authorization for Microsoft 365 over ExpressRoute through your Microsoft account team and declare it with `subscriptions.office365 = true` in `.erlint.toml`, or remove these communities from the route filter",
            );
            for (i, c) in sel.communities.iter().enumerate() {
                if i > 0 && c.at != first.at {
                    d.label(c.at, format!("Microsoft 365 community {}", c.describe()));
                }
                if let Some(from) = c.from {
                    let text = if rest.is_empty() {
                        "value set here".to_string()
                    } else {
                        format!("{} set here", c.describe())
                    };
                    d.label(from, text);
                }
            }
            for a in peerings {
                let name = model
                    .resources
                    .get(a.peering)
                    .map_or_else(String::new, |r| format!(" `{}`", r.address));
                d.label(a.at, format!("attached to Microsoft peering{name} here"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Severity;
    use crate::model::testing::resource;
    use crate::model::{Dialect, Kind, Model, Resource};
    use crate::rules::RuleSettings;
    use crate::rules::provider::circuit::test_support::run_with;

    /// An ARM route filter selecting `communities`, attached to a peering of `peering_type`.
    fn model(communities: serde_json::Value, peering_type: &str) -> Model {
        let filter = Resource {
            address: "Microsoft.Network/routeFilters/rf".into(),
            ..resource(
                Kind::RouteFilter,
                Dialect::ARM,
                serde_json::json!({"properties": {"rules": [{"name": "r", "properties": {"access": "Allow", "communities": communities}}]}}),
            )
        };
        let peering = resource(
            Kind::Peering,
            Dialect::ARM,
            serde_json::json!({"properties": {
                "peeringType": peering_type,
                "routeFilter": {"id": "/subscriptions/6f1c2a3b-4d5e-4f60-8a71-92b3c4d5e6f7/resourceGroups/g/providers/Microsoft.Network/routeFilters/rf"},
            }}),
        );
        Model {
            resources: vec![filter, peering],
            ..Model::default()
        }
    }

    #[test]
    fn declared_authorization_silences_it() {
        let m = model(serde_json::json!(["12076:5010"]), "MicrosoftPeering");
        assert_eq!(run_with(&m, &RuleSettings::default(), "ER104").len(), 1);
        let declared = RuleSettings {
            office365: true,
            ..RuleSettings::default()
        };
        assert!(run_with(&m, &declared, "ER104").is_empty());
    }

    fn loud() -> RuleSettings {
        RuleSettings {
            report_unknown: true,
            ..RuleSettings::default()
        }
    }

    #[test]
    fn unknown_values_are_skipped_checks_only_where_they_matter() {
        let infos = |communities: serde_json::Value, ty: &str| {
            let d = run_with(&model(communities, ty), &loud(), "ER104");
            assert!(d.iter().all(|d| d.severity == Severity::Info), "{d:?}");
            d.len()
        };
        // An Unknown community could be a Microsoft 365 one.
        assert_eq!(
            infos(
                serde_json::json!(["12076:5040", "<unknown>"]),
                "MicrosoftPeering"
            ),
            1
        );
        // Not when a Known one already is (the finding is made either way).
        let m = model(
            serde_json::json!(["12076:5010", "<unknown>"]),
            "MicrosoftPeering",
        );
        let d = run_with(&m, &loud(), "ER104");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].severity, Severity::Warning);
        // Nor on a private peering, which this rule never applies to.
        assert_eq!(
            infos(serde_json::json!(["<unknown>"]), "AzurePrivatePeering"),
            0
        );
    }

    #[test]
    fn an_unknown_filter_of_a_private_peering_is_not_a_skipped_check() {
        let mut m = model(serde_json::json!(["12076:5010"]), "AzurePrivatePeering");
        if let Some(p) = m.resources.get_mut(1) {
            *p = resource(
                Kind::Peering,
                Dialect::ARM,
                serde_json::json!({"properties": {"peeringType": "AzurePrivatePeering", "routeFilter": {"id": "<unknown>"}}}),
            );
        }
        assert!(run_with(&m, &loud(), "ER104").is_empty());
        assert!(run_with(&m, &loud(), "ER105").is_empty());
    }

    #[test]
    fn other_peerings_and_communities_stay_silent() {
        let s = RuleSettings::default();
        for (communities, ty) in [
            (serde_json::json!(["12076:5040"]), "MicrosoftPeering"),
            (serde_json::json!("<unknown>"), "MicrosoftPeering"),
            (serde_json::json!(["<unknown>"]), "MicrosoftPeering"),
            (serde_json::json!(["12076:5010"]), "<unknown>"),
            (serde_json::json!(["12076:5010"]), "AzurePrivatePeering"),
        ] {
            assert!(
                run_with(&model(communities.clone(), ty), &s, "ER104").is_empty(),
                "{communities} {ty}"
            );
        }
    }
}
