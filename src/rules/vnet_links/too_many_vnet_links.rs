//! ER512 too-many-vnet-links
use crate::model::Existence;
use crate::rules::prelude::*;
use std::collections::BTreeMap;

declare_rule! {
    /// ## What it does
    /// Flags an ExpressRoute circuit with more virtual network links than its SKU allows:
    /// 10 on the Standard and Local tiers; on Premium, 20 at 50 Mbps and at most 100 at
    /// any bandwidth. Global Reach connections count as links.
    ///
    /// ## Why is this bad?
    /// Each virtual network connected to a circuit (through its gateway's connection) is a
    /// link, and a circuit takes a fixed number of them by SKU: the Standard and Local
    /// tiers 10, Premium from 20 (at 50 Mbps) to 100 (at 10 Gbps and above). The Global
    /// Reach connections of the circuit count against the same number. A connection
    /// beyond it is not created: the hub-and-spoke that adds one more spoke meets the limit
    /// at deployment.
    ///
    /// The links counted are the gateway connections of type ExpressRoute in the
    /// configuration erlint reads that name the circuit (a reference to it; in ARM and
    /// Bicep also its resource id) and the Global Reach connections made on its peerings
    /// (not those another circuit makes to it), each only when it will certainly exist;
    /// links made elsewhere (another state, the portal) are not seen, so the count is a
    /// lower bound. A circuit whose tier is not known
    /// statically is not checked. Between 50 Mbps and 10 Gbps, Premium's number grows
    /// with the bandwidth; erlint holds such a circuit to the 100 that no bandwidth
    /// exceeds.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_express_route_circuit" "main" {
    ///   name                  = "erc-ams"
    ///   service_provider_name = "Equinix"
    ///   peering_location      = "Amsterdam"
    ///   bandwidth_in_mbps     = 1000
    ///   sku {
    ///     tier   = "Standard"
    ///     family = "MeteredData"
    ///   }
    ///   # …
    /// }
    ///
    /// resource "azurerm_virtual_network_gateway_connection" "spoke" {
    ///   for_each                   = azurerm_virtual_network_gateway.spoke   # 11 spokes
    ///   name                       = "cn-${each.key}"
    ///   location                   = "westeurope"
    ///   resource_group_name        = "rg-spokes"
    ///   type                       = "ExpressRoute"
    ///   virtual_network_gateway_id = each.value.id
    ///   express_route_circuit_id   = azurerm_express_route_circuit.main.id   # ER512
    /// }
    /// ```
    /// ```json
    /// {
    ///   "type": "Microsoft.Network/connections",
    ///   "apiVersion": "2024-05-01",
    ///   "name": "[format('cn-spoke{0}', copyIndex())]",
    ///   "location": "westeurope",
    ///   "copy": { "name": "links", "count": 11 },
    ///   "properties": {
    ///     "connectionType": "ExpressRoute",
    ///     "virtualNetworkGateway1": { "id": "[resourceId('Microsoft.Network/virtualNetworkGateways', format('ergw-spoke{0}', copyIndex()))]" },
    ///     "peer": { "id": "[resourceId('Microsoft.Network/expressRouteCircuits', 'erc-ams')]" }
    ///   }
    /// }
    /// ```
    /// (Eleven connections to a Standard circuit.)
    ///
    /// ## How to fix
    /// Upgrade the circuit to Premium (whose number of links grows with its bandwidth), or
    /// connect fewer virtual networks to it: peer spokes to a hub whose gateway is the one
    /// connection, or spread them over more circuits.
    ///
    /// ## References
    /// - [ExpressRoute limits](https://learn.microsoft.com/azure/azure-resource-manager/management/azure-subscription-service-limits#expressroute-limits):
    ///   the number of virtual network links allowed per circuit, 10 for Standard, and
    ///   for Premium by bandwidth, from 20 at 50 Mbps to 100 at 10 Gbps; Global Reach
    ///   connections count against it.
    /// - [ExpressRoute FAQ](https://learn.microsoft.com/azure/expressroute/expressroute-faqs)
    pub struct TooManyVnetLinks {
        id: "ER512",
        name: "too-many-vnet-links",
        severity: Warning,
        kinds: [Circuit],
        schemas: [Azurerm, Arm],
        since: "0.1.0",
        flags: "more virtual network links (gateway and Global Reach connections) on a circuit than its SKU allows",
    }
}

/// A link counted on a circuit: the connection, and where it names the circuit.
struct Link<'m> {
    res: &'m Resource,
    at: Span,
}

impl Rule for TooManyVnetLinks {
    fn check_model(&self, cx: &mut Ctx<'_>, model: &Model) {
        let mut by_circuit: BTreeMap<usize, Vec<Link<'_>>> = BTreeMap::new();
        for res in &model.resources {
            if !res.reportable || res.exists != Existence::Yes {
                continue;
            }
            let link = match res.kind {
                Kind::GatewayConnection if res.is_expressroute() == Some(true) => {
                    let l = res.get(&attr::CONNECTION_CIRCUIT_ID);
                    model.resolve_lookup(&l, res).map(|c| (c, l.at()))
                }
                Kind::CircuitConnection => global_reach_circuit(model, res),
                _ => None,
            };
            let Some((circuit, at)) = link.filter(|(c, _)| {
                model
                    .resources
                    .get(*c)
                    .is_some_and(|r| r.kind == Kind::Circuit)
            }) else {
                continue;
            };
            by_circuit.entry(circuit).or_default().push(Link { res, at });
        }
        for (c, links) in &by_circuit {
            let Some(circuit) = model.resources.get(*c) else {
                continue;
            };
            if self.meta().applies_to(circuit) {
                check_circuit(cx, circuit, links);
            }
        }
    }
}

/// The circuit a Global Reach connection is made on (its own peering's circuit), and
/// where it names it.
fn global_reach_circuit(model: &Model, res: &Resource) -> Option<(usize, Span)> {
    let l = res.get(&attr::CIRCUIT_CONNECTION_PEERING_ID);
    let from_peering = model
        .resolve_lookup(&l, res)
        .and_then(|p| model.resources.get(p))
        .filter(|p| p.kind == Kind::Peering)
        .and_then(|p| model.circuit_of(p));
    match from_peering {
        Some(c) => Some((c, l.at())),
        None => model.circuit_of(res).map(|c| (c, res.header)),
    }
}

/// The links a circuit of tier `tier` takes (`bandwidth` in Mbps, when known): 10 on
/// Standard and Local; on Premium 20 at 50 Mbps, else the 100 no bandwidth exceeds.
fn limit(tier: &str, bandwidth: Option<f64>) -> Option<usize> {
    let tier = tier.trim();
    if tier.eq_ignore_ascii_case("Standard") || tier.eq_ignore_ascii_case("Local") {
        Some(10)
    } else if tier.eq_ignore_ascii_case("Premium") {
        Some(if bandwidth == Some(50.0) { 20 } else { 100 })
    } else {
        None
    }
}

fn check_circuit(cx: &mut Ctx<'_>, circuit: &Resource, links: &[Link<'_>]) {
    let Lookup::Known(tier) = cx.get(circuit, &attr::SKU_TIER) else {
        return;
    };
    let Some(written) = tier.as_str().map(str::trim) else {
        return;
    };
    let bandwidth = match circuit.get(&attr::BANDWIDTH_MBPS) {
        Lookup::Known(f) => f.val.as_f64(),
        _ => None,
    };
    let Some(limit) = limit(written, bandwidth) else {
        return;
    };
    let Some(extra) = links.get(limit) else {
        return;
    };
    let name = circuit.display_name();
    let count = links.len();
    let bandwidth_note = match bandwidth {
        Some(b) if written.eq_ignore_ascii_case("Premium") => format!(" at {b} Mbps"),
        _ => String::new(),
    };
    cx.report(
        extra.res,
        extra.at,
        format!(
            "{count} virtual network links (gateway and Global Reach connections) to the circuit `{name}`, whose `{written}` SKU{bandwidth_note} takes at most {limit}"
        ),
    )
    .label(
        tier.from.unwrap_or(tier.at),
        format!("`{written}`: at most {limit} virtual network links"),
    )
    .help(format!(
        "upgrade `{name}` to Premium (whose links grow with its bandwidth), or connect fewer virtual networks to it: peer spokes to a hub, or spread them over more circuits"
    ));
}

#[cfg(test)]
mod tests {
    use super::limit;

    #[test]
    fn limits_by_tier_and_bandwidth() {
        assert_eq!(limit("Standard", Some(1000.0)), Some(10));
        assert_eq!(limit(" local ", None), Some(10));
        assert_eq!(limit("Premium", Some(50.0)), Some(20));
        assert_eq!(limit("Premium", Some(1000.0)), Some(100));
        assert_eq!(limit("Premium", None), Some(100));
        assert_eq!(limit("Basic", Some(50.0)), None);
    }
}
