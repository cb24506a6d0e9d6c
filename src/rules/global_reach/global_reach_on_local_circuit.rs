//! ER507 global-reach-on-local-circuit
use super::ends::{ends, set_str};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a Global Reach connection to or from a circuit whose SKU tier is `Local`.
    ///
    /// ## Why is this bad?
    /// ExpressRoute Local is the Standard feature set at a lower price, for the one or two
    /// Azure regions near its peering location, with one exception: it has no Global
    /// Reach. A Global Reach connection on a Local circuit (either end) is not created.
    ///
    /// The circuit must be in the configuration erlint reads, with its tier known. A
    /// circuit in another template or state is not checked.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_express_route_circuit" "ams" {
    ///   name                  = "er-ams"
    ///   resource_group_name   = "rg-network"
    ///   location              = "westeurope"
    ///   service_provider_name = "Equinix"
    ///   peering_location      = "Amsterdam"
    ///   bandwidth_in_mbps     = 1000
    ///
    ///   sku {
    ///     tier   = "Local"
    ///     family = "UnlimitedData"
    ///   }
    /// }
    ///
    /// resource "azurerm_express_route_circuit_connection" "ams_to_sg" {
    ///   name                = "gr-ams-sg"
    ///   peering_id          = azurerm_express_route_circuit_peering.ams_private.id   # ER507
    ///   peer_peering_id     = azurerm_express_route_circuit_peering.sg_private.id
    ///   address_prefix_ipv4 = "192.168.8.0/29"
    /// }
    /// ```
    /// ```json
    /// {
    ///   "type": "Microsoft.Network/expressRouteCircuits/peerings/connections",
    ///   "apiVersion": "2024-05-01",
    ///   "name": "er-ams/AzurePrivatePeering/gr-ams-sg",
    ///   "properties": {
    ///     "expressRouteCircuitPeering": { "id": "[resourceId('Microsoft.Network/expressRouteCircuits/peerings', 'er-ams', 'AzurePrivatePeering')]" },
    ///     "peerExpressRouteCircuitPeering": { "id": "[resourceId('Microsoft.Network/expressRouteCircuits/peerings', 'er-sg', 'AzurePrivatePeering')]" },
    ///     "addressPrefix": "192.168.8.0/29"
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Upgrade the Local circuit to Standard (Premium when the two circuits are in
    /// different geopolitical regions), which Azure allows in place with unlimited data
    /// billing, or drop the Global Reach connection.
    ///
    /// ## References
    /// - [ExpressRoute FAQ: ExpressRoute Local](https://learn.microsoft.com/azure/expressroute/expressroute-faqs#expressroute-local):
    ///   Local has the Standard features "except for Global Reach".
    /// - [About ExpressRoute Global Reach](https://learn.microsoft.com/azure/expressroute/expressroute-global-reach)
    /// - [Modify an ExpressRoute circuit: SKU changes](https://learn.microsoft.com/azure/expressroute/expressroute-howto-circuit-portal-resource-manager)
    pub struct GlobalReachOnLocalCircuit {
        id: "ER507",
        name: "global-reach-on-local-circuit",
        severity: Error,
        kinds: [CircuitConnection],
        schemas: [Azurerm, Arm],
        since: "0.1.0",
        flags: "a Global Reach connection on a circuit of the Local tier, which has no Global Reach",
    }
}

impl Rule for GlobalReachOnLocalCircuit {
    fn check_resource(&self, cx: &mut Ctx<'_>, model: &Model, res: &Resource) {
        let [own, peer] = ends(cx, model, res);
        let peer = peer.filter(|p| own.is_none_or(|o| o.circuit != p.circuit));
        for end in [own, peer].into_iter().flatten() {
            let Some(circuit) = model.resources.get(end.circuit) else {
                continue;
            };
            let Some((tier, tier_at)) = set_str(circuit, &attr::SKU_TIER) else {
                continue;
            };
            if !tier.trim().eq_ignore_ascii_case("Local") {
                continue;
            }
            let name = circuit.display_name();
            cx.report(
                res,
                end.at,
                format!("Global Reach on `{name}`, a circuit of the Local tier, which has no Global Reach"),
            )
            .label(tier_at, format!("`{name}` is Local"))
            .help(format!(
                "upgrade `{name}` to the Standard tier (Premium across geopolitical regions), or drop this Global Reach connection"
            ));
        }
    }
}
