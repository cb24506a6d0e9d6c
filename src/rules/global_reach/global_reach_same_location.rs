//! ER506 global-reach-same-location
use super::ends::{linked, set_str};
use crate::catalog::normalize;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a Global Reach connection between two circuits at the same peering location.
    ///
    /// ## Why is this bad?
    /// Global Reach links the private peerings of two circuits so that the on-premises
    /// networks behind them reach each other through Microsoft's network. Microsoft
    /// offers it between circuits "created at different peering locations"; two circuits
    /// at one peering location meet at the same edge, and Global Reach is not offered
    /// between them. The connection is not created.
    ///
    /// Both circuits must be in the configuration erlint reads, with their peering
    /// locations known. A peering location is compared as written, case and spacing
    /// aside: `Amsterdam` and `Amsterdam2` are different peering locations. Circuits on
    /// ExpressRoute Direct ports (whose location is their port's) are not compared.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_express_route_circuit_connection" "primary_to_backup" {
    ///   name                = "gr-ams-ams"
    ///   peering_id          = azurerm_express_route_circuit_peering.primary.id
    ///   peer_peering_id     = azurerm_express_route_circuit_peering.backup.id   # ER506: both circuits at "Amsterdam"
    ///   address_prefix_ipv4 = "192.168.8.0/29"
    /// }
    /// ```
    /// ```json
    /// {
    ///   "type": "Microsoft.Network/expressRouteCircuits/peerings/connections",
    ///   "apiVersion": "2024-05-01",
    ///   "name": "er-ams-1/AzurePrivatePeering/gr-ams-ams",
    ///   "properties": {
    ///     "expressRouteCircuitPeering": { "id": "[resourceId('Microsoft.Network/expressRouteCircuits/peerings', 'er-ams-1', 'AzurePrivatePeering')]" },
    ///     "peerExpressRouteCircuitPeering": { "id": "[resourceId('Microsoft.Network/expressRouteCircuits/peerings', 'er-ams-2', 'AzurePrivatePeering')]" },
    ///     "addressPrefix": "192.168.8.0/29"
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Link circuits at different peering locations. Two circuits at one location already
    /// meet at the same edge: connect the on-premises networks behind them there, or use
    /// a circuit at another location for the Global Reach link.
    ///
    /// ## References
    /// - [Configure ExpressRoute Global Reach](https://learn.microsoft.com/azure/expressroute/expressroute-howto-set-global-reach):
    ///   "You can enable ExpressRoute Global Reach between the private peering of any two
    ///   ExpressRoute circuits, as long as they're located in the supported
    ///   countries/regions and were created at different peering locations."
    /// - [About ExpressRoute Global Reach](https://learn.microsoft.com/azure/expressroute/expressroute-global-reach)
    pub struct GlobalReachSameLocation {
        id: "ER506",
        name: "global-reach-same-location",
        severity: Error,
        kinds: [CircuitConnection],
        schemas: [Azurerm, Arm],
        since: "0.1.0",
        flags: "a Global Reach connection between two circuits at the same peering location",
    }
}

impl Rule for GlobalReachSameLocation {
    fn check_resource(&self, cx: &mut Ctx<'_>, model: &Model, res: &Resource) {
        let Some(link) = linked(cx, model, res) else {
            return;
        };
        let (a, b) = (link.own_circuit, link.peer_circuit);
        let (Some((la, at_a)), Some((lb, at_b))) =
            (set_str(a, &attr::PEERING_LOCATION), set_str(b, &attr::PEERING_LOCATION))
        else {
            return;
        };
        // Names as the catalogue matches them: case and spaces aside.
        if normalize(la) != normalize(lb) || normalize(la).is_empty() {
            return;
        }
        let name_a = a.display_name();
        let name_b = b.display_name();
        let both = if la.trim() == lb.trim() {
            format!("are both at `{}`", la.trim())
        } else {
            format!(
                "are at the same peering location (`{}`, `{}`)",
                la.trim(),
                lb.trim()
            )
        };
        cx.report(
            res,
            link.peer.at,
            format!(
                "Global Reach links circuits at different peering locations, but `{name_a}` and `{name_b}` {both}"
            ),
        )
        .label(at_a, format!("`{name_a}` is at `{}`", la.trim()))
        .label(at_b, format!("`{name_b}` is at `{}`", lb.trim()))
        .help(
            "link a circuit at another peering location; circuits at one location already meet at the same edge, where the networks behind them can be connected",
        );
    }
}
