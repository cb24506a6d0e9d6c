//! ER509 too-many-circuit-connections
use super::connections::{Counted, by_gateway};
use crate::catalog::normalize;
use crate::rules::prelude::*;
use std::collections::BTreeMap;

declare_rule! {
    /// ## What it does
    /// Flags an ExpressRoute virtual network gateway with more circuit connections than
    /// its SKU allows (4 for `Standard` and `ErGw1AZ`, 8 for `HighPerformance` and
    /// `ErGw2AZ`, 16 for `UltraPerformance` and `ErGw3AZ`), or with more than 4 circuits
    /// from one peering location.
    ///
    /// ## Why is this bad?
    /// Each ExpressRoute gateway SKU connects a fixed number of circuits to its virtual
    /// network; a connection beyond that number is not created. Whatever the SKU, at most
    /// 4 circuits from the same peering location can connect to one virtual network (and
    /// a virtual network has one ExpressRoute gateway). A hub that grows one circuit at a
    /// time meets these limits at the deployment of the connection that crosses them.
    ///
    /// The connections counted are the gateway connections of type ExpressRoute in the
    /// configuration erlint reads that name a circuit (even one not known statically) and
    /// name the gateway (a reference to it; in ARM and Bicep also its resource id);
    /// connections made elsewhere (another state, the portal) are not seen, so the count
    /// is a lower bound. A connection whose existence, type or gateway is not known
    /// statically is not counted (a `for_each` over a resource, such as `for_each =
    /// azurerm_express_route_circuit.site`, is known when that resource's keys are). The
    /// SKU's limit is not checked when the SKU is not known, or is `ErGwScale` (whose
    /// limit depends on its scale units); the per-location limit holds for every gateway,
    /// and needs the circuits in the configuration with their peering location known.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_virtual_network_gateway" "hub" {
    ///   name                = "ergw-hub"
    ///   location            = "westeurope"
    ///   resource_group_name = "rg-hub"
    ///   type                = "ExpressRoute"
    ///   sku                 = "Standard"
    ///   # …
    /// }
    ///
    /// resource "azurerm_virtual_network_gateway_connection" "er" {
    ///   for_each                   = azurerm_express_route_circuit.site   # 5 circuits
    ///   name                       = "cn-${each.key}"
    ///   location                   = "westeurope"
    ///   resource_group_name        = "rg-hub"
    ///   type                       = "ExpressRoute"
    ///   virtual_network_gateway_id = azurerm_virtual_network_gateway.hub.id   # ER509
    ///   express_route_circuit_id   = each.value.id
    /// }
    /// ```
    /// ```json
    /// {
    ///   "type": "Microsoft.Network/connections",
    ///   "apiVersion": "2024-05-01",
    ///   "name": "[format('cn-{0}', parameters('circuits')[copyIndex()])]",
    ///   "location": "westeurope",
    ///   "copy": { "name": "connections", "count": "[length(parameters('circuits'))]" },
    ///   "properties": {
    ///     "connectionType": "ExpressRoute",
    ///     "virtualNetworkGateway1": { "id": "[resourceId('Microsoft.Network/virtualNetworkGateways', 'ergw-hub')]" },
    ///     "peer": { "id": "[resourceId('Microsoft.Network/expressRouteCircuits', parameters('circuits')[copyIndex()])]" }
    ///   }
    /// }
    /// ```
    /// (Five circuits in `circuits` on an `ErGw1AZ` gateway.)
    ///
    /// ## How to fix
    /// Resize the gateway to a SKU that connects enough circuits (`ErGw2AZ`: 8, `ErGw3AZ`:
    /// 16), or connect fewer circuits to this virtual network; for circuits from one
    /// peering location, connect at most 4 to the virtual network.
    ///
    /// ## References
    /// - [About ExpressRoute virtual network gateways: feature support by gateway SKU](https://learn.microsoft.com/azure/expressroute/expressroute-about-virtual-network-gateways#gatewayfeaturesupport):
    ///   the maximum number of circuit connections is 4 for Standard/ErGw1Az, 8 for High
    ///   Performance/ErGw2Az and 16 for Ultra Performance/ErGw3Az; "The maximum number of
    ///   ExpressRoute circuits from the same peering location that can connect to the same
    ///   virtual network is 4 for all gateways."
    /// - [ExpressRoute FAQ](https://learn.microsoft.com/azure/expressroute/expressroute-faqs)
    pub struct TooManyCircuitConnections {
        id: "ER509",
        name: "too-many-circuit-connections",
        severity: Error,
        kinds: [GatewayConnection],
        schemas: [Azurerm, Arm],
        since: "0.1.0",
        flags: "more circuit connections on an ExpressRoute gateway than its SKU allows, or more than 4 circuits from one peering location",
    }
}

/// Circuits from one peering location that may connect to one virtual network.
const PER_LOCATION: usize = 4;

/// The number of circuit connections an ExpressRoute gateway SKU allows (`ErGwScale`'s
/// depends on its scale units).
fn sku_limit(sku: &str) -> Option<usize> {
    const LIMITS: [(&str, usize); 6] = [
        ("Standard", 4),
        ("ErGw1AZ", 4),
        ("HighPerformance", 8),
        ("ErGw2AZ", 8),
        ("UltraPerformance", 16),
        ("ErGw3AZ", 16),
    ];
    let sku = sku.trim();
    LIMITS
        .iter()
        .find(|(s, _)| s.eq_ignore_ascii_case(sku))
        .map(|(_, n)| *n)
}

impl Rule for TooManyCircuitConnections {
    fn check_model(&self, cx: &mut Ctx<'_>, model: &Model) {
        let by_gateway = by_gateway(model, |res| {
            let (l, gateway) = cx.get_ref(model, res, &attr::CONNECTION_GATEWAY_ID);
            (l.at(), gateway)
        });
        for (g, connections) in &by_gateway {
            let Some(gateway) = model.resources.get(*g) else {
                continue;
            };
            if !check_sku(cx, gateway, connections) {
                check_locations(cx, model, gateway, connections);
            }
        }
    }
}

/// More connections on `gateway` than its SKU allows: reported at the first connection
/// beyond the limit. Whether it reported.
fn check_sku(cx: &mut Ctx<'_>, gateway: &Resource, connections: &[Counted<'_>]) -> bool {
    let Lookup::Known(sku) = cx.get(gateway, &attr::GATEWAY_SKU) else {
        return false;
    };
    let Some(written) = sku.as_str().map(str::trim) else {
        return false;
    };
    let Some(limit) = sku_limit(written) else {
        return false;
    };
    let Some(extra) = connections.get(limit) else {
        return false;
    };
    let name = gateway.display_name();
    let count = connections.len();
    cx.report(
        extra.res,
        extra.at,
        format!(
            "{count} circuit connections on the ExpressRoute gateway `{name}`, whose SKU `{written}` connects at most {limit} circuits"
        ),
    )
    .label(
        sku.from.unwrap_or(sku.at),
        format!("`{written}`: at most {limit} circuit connections"),
    )
    .help(format!(
        "resize `{name}` to a SKU that connects {count} circuits (`ErGw2AZ`: 8, `ErGw3AZ`: 16), or connect fewer circuits to its virtual network"
    ));
    true
}

/// More than [`PER_LOCATION`] circuits from one peering location on `gateway`'s virtual
/// network: reported at the first circuit beyond it.
fn check_locations(
    cx: &mut Ctx<'_>,
    model: &Model,
    gateway: &Resource,
    connections: &[Counted<'_>],
) {
    // Per peering location (normalised): the circuits, each once, in order.
    let mut by_location: BTreeMap<String, Vec<(usize, &Counted<'_>, String)>> = BTreeMap::new();
    for c in connections {
        let Some(i) = c.circuit else { continue };
        let Some(circuit) = model.resources.get(i) else {
            continue;
        };
        let Some((location, _)) = circuit.known_str(&attr::PEERING_LOCATION) else {
            continue;
        };
        let key = normalize(location);
        if key.is_empty() {
            continue;
        }
        let list = by_location.entry(key).or_default();
        if !list.iter().any(|(j, _, _)| *j == i) {
            list.push((i, c, location.trim().to_string()));
        }
    }
    let name = gateway.display_name();
    for list in by_location.values() {
        let Some((_, extra, location)) = list.get(PER_LOCATION) else {
            continue;
        };
        let count = list.len();
        cx.report(
            extra.res,
            extra.circuit_at,
            format!(
                "{count} circuits from the peering location `{location}` connect to the virtual network of the gateway `{name}`: at most {PER_LOCATION} circuits from one peering location can connect to a virtual network"
            ),
        )
        .help(format!(
            "connect at most {PER_LOCATION} circuits from `{location}` to this virtual network; connect the others to another virtual network, or order them at another peering location"
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::sku_limit;

    #[test]
    fn limits_by_sku() {
        assert_eq!(sku_limit("Standard"), Some(4));
        assert_eq!(sku_limit(" ergw1az "), Some(4));
        assert_eq!(sku_limit("HighPerformance"), Some(8));
        assert_eq!(sku_limit("ErGw2AZ"), Some(8));
        assert_eq!(sku_limit("UltraPerformance"), Some(16));
        assert_eq!(sku_limit("ErGw3AZ"), Some(16));
        // ErGwScale's limit depends on its scale units; VPN SKUs are ER501's.
        assert_eq!(sku_limit("ErGwScale"), None);
        assert_eq!(sku_limit("VpnGw1"), None);
    }
}
