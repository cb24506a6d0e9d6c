//! ER505 global-reach-prefix-size
use crate::rules::bgp::prefix::known_prefix;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a Global Reach connection whose address prefix is not an IPv4 /29
    /// (`address_prefix_ipv4`, `addressPrefix`) or an IPv6 /125 (`address_prefix_ipv6`,
    /// `ipv6CircuitConnectionConfig.addressPrefix`), or is no CIDR prefix at all.
    ///
    /// ## Why is this bad?
    /// Global Reach links the private peerings of two circuits, and Microsoft builds the
    /// link between its routers from a small subnet you give it: the API asks for a /29
    /// IPv4 address space ("/29 IP address space to carve out Customer addresses for
    /// tunnels") and a /125 for IPv6. The /30 of a BGP session, the usual slip since a
    /// peering's prefixes are /30s, or a whole /24 is not what Azure carves from, and the
    /// connection is not created.
    ///
    /// The subnet must also not overlap the virtual networks or on-premises networks that
    /// the circuits connect; erlint does not check that. A prefix that is not known before
    /// deployment is not reported.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_express_route_circuit_connection" "ams_to_sg" {
    ///   name                = "gr-ams-sg"
    ///   peering_id          = azurerm_express_route_circuit_peering.ams_private.id
    ///   peer_peering_id     = azurerm_express_route_circuit_peering.sg_private.id
    ///   address_prefix_ipv4 = "192.168.8.0/30"   # ER505
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
    ///     "addressPrefix": "192.168.8.0/24"
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Give the connection an IPv4 /29 (and, for IPv6, a /125) that no network on either
    /// side uses, for example `192.168.8.0/29`.
    ///
    /// ## References
    /// - [Configure ExpressRoute Global Reach](https://learn.microsoft.com/azure/expressroute/expressroute-howto-set-global-reach)
    /// - [ExpressRoute circuit connections REST API: addressPrefix](https://learn.microsoft.com/rest/api/expressroute/express-route-circuit-connections/create-or-update):
    ///   "/29 IP address space to carve out Customer addresses for tunnels"; its
    ///   `Ipv6CircuitConnectionConfig.addressPrefix`: "/125 IP address space to carve out
    ///   customer addresses for global reach"
    /// - [azurerm_express_route_circuit_connection](https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/express_route_circuit_connection)
    pub struct GlobalReachPrefixSize {
        id: "ER505",
        name: "global-reach-prefix-size",
        severity: Error,
        kinds: [CircuitConnection],
        schemas: [Azurerm, Arm],
        since: "0.1.0",
        flags: "a Global Reach connection prefix that is not an IPv4 /29 or an IPv6 /125",
    }
}

/// Each address family of a Global Reach connection: its attribute, name and length.
const FAMILIES: [(&Attr, &str, bool, u8); 2] = [
    (&attr::GLOBAL_REACH_PREFIX, "IPv4", false, 29),
    (&attr::GLOBAL_REACH_IPV6_PREFIX, "IPv6", true, 125),
];

impl Rule for GlobalReachPrefixSize {
    fn check_resource(&self, cx: &mut Ctx<'_>, _model: &Model, res: &Resource) {
        for (attr, family, v6, len) in FAMILIES {
            let Lookup::Known(f) = cx.get(res, attr) else {
                continue;
            };
            let name = res.attr_name(attr);
            let want = format!("an {family} /{len}");
            let Some((net, value)) = known_prefix(cx, res, &f, name, (family, v6, len)) else {
                continue;
            };
            if net.prefix_len() != len {
                let suggestion = net
                    .trunc()
                    .subnets(len)
                    .ok()
                    .and_then(|mut s| s.next())
                    .or_else(|| ipnet::IpNet::new(net.addr(), len).ok().map(|n| n.trunc()));
                let help = match suggestion {
                    Some(s) => format!(
                        "give the connection {want} that no network on either side uses, such as `{s}`"
                    ),
                    None => format!("give the connection {want} that no network on either side uses"),
                };
                cx.report_found(
                    res,
                    &f,
                    format!(
                        "`{name}` `{value}` is a /{}; a Global Reach connection needs {want}",
                        net.prefix_len()
                    ),
                )
                .help(help);
            }
        }
    }
}
