//! ER412 too-many-advertised-prefixes
use super::microsoft_peering::parse_net;
use crate::rules::prelude::*;
use ipnet::IpNet;

declare_rule! {
    /// ## What it does
    /// Flags a Microsoft peering that declares more than 200 advertised public prefixes for
    /// one address family.
    ///
    /// ## Why is this bad?
    /// Microsoft peering accepts at most 200 prefixes per BGP session. If you advertise
    /// more, Microsoft drops the BGP session, and with it your connectivity to Microsoft's
    /// services over that link. The advertised public prefixes you declare are the routes
    /// you intend to announce over each session of that family, so a list longer than 200
    /// cannot be announced in full.
    ///
    /// The IPv4 list (`microsoft_peering_config.advertised_public_prefixes`,
    /// `microsoftPeeringConfig.advertisedPublicPrefixes`) and the IPv6 list (under `ipv6` /
    /// `ipv6PeeringConfig`) are counted separately, each entry once, including entries
    /// whose value is not known before deployment. A list that is itself not known is not
    /// checked.
    ///
    /// ## Example
    /// ```hcl
    /// locals {
    ///   # one /32 per NAT address
    ///   nat_ranges = [for i in range(240) : "185.64.113.${i}/32"]
    /// }
    ///
    /// resource "azurerm_express_route_circuit_peering" "microsoft" {
    ///   peering_type                  = "MicrosoftPeering"
    ///   express_route_circuit_name    = azurerm_express_route_circuit.main.name
    ///   resource_group_name           = azurerm_resource_group.main.name
    ///   peer_asn                      = 54496   # your public ASN
    ///   vlan_id                       = 300
    ///   primary_peer_address_prefix   = "185.64.100.0/30"
    ///   secondary_peer_address_prefix = "185.64.100.4/30"
    ///
    ///   microsoft_peering_config {
    ///     advertised_public_prefixes = local.nat_ranges   # ER412
    ///     routing_registry_name      = "ARIN"
    ///   }
    /// }
    /// ```
    /// ```json
    /// {
    ///   "type": "Microsoft.Network/expressRouteCircuits/peerings",
    ///   "apiVersion": "2024-05-01",
    ///   "name": "er-circuit/MicrosoftPeering",
    ///   "properties": {
    ///     "peeringType": "MicrosoftPeering",
    ///     "microsoftPeeringConfig": {
    ///       "advertisedPublicPrefixes": "[parameters('natRanges')]",
    ///       "routingRegistryName": "ARIN"
    ///     }
    ///   }
    /// }
    /// ```
    /// (with a `natRanges` parameter of more than 200 prefixes)
    ///
    /// ## How to fix
    /// Advertise at most 200 prefixes per BGP session: announce aggregated, shorter
    /// prefixes instead of many adjacent longer ones (the help line says how far
    /// aggregation gets you), or move part of the ranges to another circuit.
    ///
    /// ## References
    /// - [ExpressRoute routing requirements: route aggregation and prefix limits](https://learn.microsoft.com/azure/expressroute/expressroute-routing#route-aggregation-and-prefix-limits)
    /// - [ExpressRoute FAQ: limits on advertised prefixes](https://learn.microsoft.com/azure/expressroute/expressroute-faqs)
    /// - [ExpressRoute limits](https://learn.microsoft.com/azure/azure-resource-manager/management/azure-subscription-service-limits#expressroute-limits)
    pub struct TooManyAdvertisedPrefixes {
        id: "ER412",
        name: "too-many-advertised-prefixes",
        severity: Warning,
        kinds: [Peering],
        schemas: [Azurerm, Arm],
        since: "0.1.0",
        flags: "more than 200 advertised public prefixes for one address family of a Microsoft peering",
    }
}

/// Prefixes Microsoft peering accepts per BGP session.
const LIMIT: usize = 200;

impl Rule for TooManyAdvertisedPrefixes {
    fn check_resource(&self, cx: &mut Ctx<'_>, _model: &Model, res: &Resource) {
        let Some((PeeringType::Microsoft, _)) = cx.peering_type(res) else {
            return;
        };
        for fam in &attr::FAMILIES {
            let Lookup::Known(list) = cx.get(res, fam.advertised) else {
                continue;
            };
            let Some(items) = list.val.as_list() else {
                continue;
            };
            let count = items.len();
            if count <= LIMIT {
                continue;
            }
            let name = res.attr_name(fam.advertised);
            let message = format!(
                "`{name}` lists {count} {} prefixes; Microsoft peering accepts at most {LIMIT} per BGP session and drops the session above that",
                fam.name
            );
            let help = help(items, count);
            cx.report_found(res, &list, message).help(help);
        }
    }
}

/// How far aggregation gets: the list merged into the fewest covering prefixes (only
/// when every entry is Known and parses).
fn help(items: &[Val], count: usize) -> String {
    let nets: Option<Vec<IpNet>> = items
        .iter()
        .map(|v| v.as_str().and_then(parse_net))
        .collect();
    let merged = nets.map(|n| IpNet::aggregate(&n));
    match merged {
        Some(m) if m.len() <= LIMIT => {
            let shown: Vec<String> = m.iter().take(3).map(|n| format!("`{n}`")).collect();
            let more = if m.len() > 3 { ", …" } else { "" };
            format!(
                "aggregate adjacent prefixes: these {count} merge into {} ({}{more}), within the limit of {LIMIT}",
                m.len(),
                shown.join(", ")
            )
        }
        Some(m) => format!(
            "advertise at most {LIMIT} prefixes per BGP session: even aggregated, these {count} are {}; announce shorter prefixes or move some ranges to another circuit",
            m.len()
        ),
        None => format!(
            "advertise at most {LIMIT} prefixes per BGP session: aggregate adjacent prefixes into shorter ones, or move some ranges to another circuit"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_counts_the_aggregate() {
        let items: Vec<Val> = (0..=255)
            .map(|i| Val::str(format!("198.18.{i}.0/24"), None))
            .collect();
        let h = help(&items, items.len());
        assert!(
            h.contains("these 256 merge into 1 (`198.18.0.0/16`)"),
            "{h}"
        );
        let scattered: Vec<Val> = (0..=201)
            .map(|i| Val::str(format!("198.{i}.0.0/24"), None))
            .collect();
        let h = help(&scattered, scattered.len());
        assert!(h.contains("even aggregated, these 202 are 202"), "{h}");
    }
}
