//! ER105 office365-without-premium
use super::office365::{Community, office365_filters};
use crate::rules::prelude::*;
use crate::text::join_names;
use std::collections::BTreeMap;

declare_rule! {
    /// ## What it does
    /// Flags an ExpressRoute circuit whose SKU tier is not Premium while the route filter of
    /// its Microsoft peering selects Microsoft 365 BGP communities (Exchange Online,
    /// SharePoint Online, Skype for Business and Teams, other Microsoft 365 services).
    ///
    /// ## Why is this bad?
    /// Connectivity to Microsoft 365 over ExpressRoute is one of the features of the Premium
    /// add-on (ExpressRoute FAQ). On a Local or Standard circuit the Microsoft 365 services
    /// that the route filter selects are not provided over the circuit, so their traffic
    /// keeps going over the Internet although the configuration says otherwise. The other
    /// service communities (CRM Online `12076:5040` for Dynamics v8.2 and earlier,
    /// Microsoft Entra ID, the Azure regions) do not need Premium as long as the circuit
    /// stays within one geopolitical region, so this rule ignores them. On a circuit in
    /// Azure China, where Office 365 communities are not offered at all, ER106 reports them
    /// instead.
    ///
    /// The rule follows the Microsoft peering's `route_filter_id` / `routeFilter.id` (IPv4
    /// or IPv6) to a route filter of the same configuration and reads the circuit's
    /// `sku.tier` (in ARM, when `tier` is not set, the tier part of `sku.name`, as in
    /// `Standard_MeteredData`). A tier, reference or community that is not known before
    /// deployment is not checked.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_express_route_circuit" "main" {
    ///   name                  = "er-ams"
    ///   resource_group_name   = "rg-network"
    ///   location              = "westeurope"
    ///   service_provider_name = "Equinix"
    ///   peering_location      = "Amsterdam"
    ///   bandwidth_in_mbps     = 1000
    ///
    ///   sku {
    ///     tier   = "Standard"   # ER105
    ///     family = "MeteredData"
    ///   }
    /// }
    ///
    /// resource "azurerm_route_filter" "m365" {
    ///   name                = "rf-m365"
    ///   resource_group_name = "rg-network"
    ///   location            = "westeurope"
    ///
    ///   rule {
    ///     name        = "allow-exchange"
    ///     access      = "Allow"
    ///     rule_type   = "Community"
    ///     communities = ["12076:5010"]
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
    ///   "type": "Microsoft.Network/expressRouteCircuits",
    ///   "apiVersion": "2024-05-01",
    ///   "name": "er-ams",
    ///   "location": "westeurope",
    ///   "sku": { "name": "Standard_MeteredData", "tier": "Standard", "family": "MeteredData" },
    ///   "properties": {
    ///     "serviceProviderProperties": {
    ///       "serviceProviderName": "Equinix",
    ///       "peeringLocation": "Amsterdam",
    ///       "bandwidthInMbps": 1000
    ///     },
    ///     "peerings": [
    ///       {
    ///         "name": "MicrosoftPeering",
    ///         "properties": {
    ///           "peeringType": "MicrosoftPeering",
    ///           "routeFilter": { "id": "[resourceId('Microsoft.Network/routeFilters', 'rf-m365')]" }
    ///         }
    ///       }
    ///     ]
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Set the circuit's SKU tier to `Premium` (in ARM also `sku.name`, for example
    /// `Premium_MeteredData`); a Standard circuit can be upgraded in place. If Microsoft 365
    /// should not go over ExpressRoute, remove its communities from the route filter.
    ///
    /// ## References
    /// - [ExpressRoute FAQ: ExpressRoute Premium](https://learn.microsoft.com/azure/expressroute/expressroute-faqs#expressroute-premium)
    /// - [ExpressRoute prerequisites: Microsoft 365](https://learn.microsoft.com/azure/expressroute/expressroute-prerequisites)
    /// - [ExpressRoute routing requirements: BGP community values](https://learn.microsoft.com/azure/expressroute/expressroute-routing#bgp)
    ///   (03/12/2026): `12076:5040` is "CRM Online (4)", with "(4) CRM Online supports
    ///   Dynamics v8.2 and earlier. For higher versions, select the regional community for
    ///   your Dynamics deployments."
    /// - [Configure route filters for Microsoft peering](https://learn.microsoft.com/azure/expressroute/how-to-routefilter-portal)
    pub struct Office365WithoutPremium {
        id: "ER105",
        name: "office365-without-premium",
        severity: Error,
        kinds: [],
        schemas: [Azurerm, Arm],
        since: "0.1.0",
        flags: "a Microsoft peering's route filter selects Microsoft 365 communities on a circuit whose tier is not Premium",
    }
}

impl Rule for Office365WithoutPremium {
    fn check_model(&self, cx: &mut Ctx<'_>, model: &Model) {
        let filters = office365_filters(cx, model);
        // Circuit → (its Microsoft 365 communities, the attaching attributes), model order.
        let mut circuits: BTreeMap<usize, (Vec<&Community>, Vec<Span>)> = BTreeMap::new();
        for sel in &filters {
            // On a circuit in Azure China no tier helps: ER106's finding.
            for a in sel.peerings.iter().filter(|a| a.china.is_none()) {
                let Some(c) = model
                    .resources
                    .get(a.peering)
                    .and_then(|peering| model.circuit_of(peering))
                else {
                    continue;
                };
                let entry = circuits.entry(c).or_default();
                for community in &sel.communities {
                    if !entry.0.iter().any(|e| e.value == community.value) {
                        entry.0.push(community);
                    }
                }
                entry.1.push(a.at);
            }
        }
        for (c, (communities, attached)) in circuits {
            let Some(circuit) = model.resources.get(c).filter(|r| r.reportable) else {
                continue;
            };
            let Lookup::Known(tier) = cx.get(circuit, &attr::SKU_TIER) else {
                continue;
            };
            let Some(written) = tier.as_str().map(str::trim) else {
                continue;
            };
            if written.eq_ignore_ascii_case("Premium") {
                continue;
            }
            report(cx, circuit, &tier, written, &communities, &attached);
        }
    }
}

fn report(
    cx: &mut Ctx<'_>,
    circuit: &Resource,
    tier: &Found<'_>,
    written: &str,
    communities: &[&Community],
    attached: &[Span],
) {
    let finding = WithoutPremium {
        tier: written,
        communities: communities.iter().map(|c| c.describe()).collect(),
        family: circuit.known_str(&attr::SKU_FAMILY).map(|(f, _)| f.trim()),
        spelling: Spelling::of(circuit),
    };
    let d = cx.report_found(circuit, tier, finding.message());
    d.help(finding.help());
    let mut labelled: Vec<Span> = Vec::new();
    for community in communities {
        if labelled.contains(&community.at) {
            continue;
        }
        labelled.push(community.at);
        let here = communities.iter().filter(|c| c.at == community.at).count();
        let text = if here == 1 {
            format!(
                "Microsoft 365 community {} selected here",
                community.describe()
            )
        } else {
            "Microsoft 365 communities selected here".to_string()
        };
        d.label(community.at, text);
    }
    for at in attached {
        if !labelled.contains(at) {
            labelled.push(*at);
            d.label(*at, "route filter attached to the Microsoft peering here");
        }
    }
}

/// What ER105 found: Microsoft 365 communities on a circuit that is not Premium.
#[derive(Debug)]
struct WithoutPremium<'a> {
    /// The circuit's tier as written.
    tier: &'a str,
    /// The communities, described (`` `12076:5010` (Exchange Online) ``).
    communities: Vec<String>,
    /// The circuit's SKU family, which a schema with `sku.name` (ARM) repeats there.
    family: Option<&'a str>,
    spelling: Spelling,
}

impl WithoutPremium<'_> {
    fn local(&self) -> bool {
        self.tier.eq_ignore_ascii_case("Local")
    }

    fn message(&self) -> String {
        let (what, need) = if self.communities.len() == 1 {
            ("community", "needs")
        } else {
            ("communities", "need")
        };
        format!(
            "circuit SKU tier is `{}`, but its Microsoft peering's route filter selects Microsoft 365 {what} {}, which {need} the Premium tier",
            self.tier,
            join_names(&self.communities, false)
        )
    }

    fn help(&self) -> String {
        let upgrade = if self.local() {
            "a Local circuit is upgraded in place with `UnlimitedData` billing"
        } else {
            "a Standard circuit is upgraded in place"
        };
        // A Local circuit becomes UnlimitedData; where the schema has `sku.name` (ARM), it
        // must match the new tier.
        let family = match self.family {
            _ if self.local() => "UnlimitedData",
            Some(f) => f,
            None => "MeteredData",
        };
        let fix = self.spelling.fix(&[
            Edit::set(&attr::SKU_TIER, "Premium"),
            Edit::set(&attr::SKU_NAME, format!("Premium_{family}")),
        ]);
        format!("{fix} ({upgrade}), or remove the Microsoft 365 communities from the route filter")
    }
}

#[cfg(test)]
mod tests {
    use super::WithoutPremium;
    use crate::model::{Schema, Syntax};
    use crate::render::Spelling;

    #[test]
    fn message_and_help_come_from_the_finding() {
        let f = WithoutPremium {
            tier: "Standard",
            communities: vec!["`12076:5010` (Exchange Online)".into()],
            family: Some("UnlimitedData"),
            spelling: Spelling::new(Schema::Azurerm, Syntax::Hcl),
        };
        assert_eq!(
            f.message(),
            "circuit SKU tier is `Standard`, but its Microsoft peering's route filter selects Microsoft 365 community `12076:5010` (Exchange Online), which needs the Premium tier"
        );
        assert_eq!(
            f.help(),
            "set `tier = \"Premium\"` in `sku` (a Standard circuit is upgraded in place), or remove the Microsoft 365 communities from the route filter"
        );
        let local = WithoutPremium {
            tier: "Local",
            family: Some("MeteredData"),
            spelling: Spelling::new(Schema::Arm, Syntax::Bicep),
            ..f
        };
        assert_eq!(
            local.help(),
            "set `tier: 'Premium'` and `name: 'Premium_UnlimitedData'` in `sku` (a Local circuit is upgraded in place with `UnlimitedData` billing), or remove the Microsoft 365 communities from the route filter"
        );
    }
}
