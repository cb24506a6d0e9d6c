//! ER401 private-address-on-microsoft-peering
use super::microsoft_peering::{NonPublic, non_public, parse_net};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a private address (RFC 1918, the RFC 6598 shared range `100.64.0.0/10`, or IPv6
    /// unique local `fc00::/7`) used as a peer prefix or an advertised public prefix of a
    /// Microsoft peering or an Azure public peering.
    ///
    /// ## Why is this bad?
    /// Microsoft peering (and the retired Azure public peering) connects your network to
    /// Microsoft's public services, so both the /30 (or /126) subnets of its two BGP
    /// sessions and the prefixes you advertise must be public addresses that you own and
    /// that Microsoft can verify in a regional or routing registry (RIR or IRR). Private
    /// ranges cannot be verified as yours and are not accepted there, and Microsoft
    /// requires private (RFC 1918) and default routes to be filtered out of these
    /// peerings. Private addresses are fine, and usual, on Azure private peering, which is
    /// the peering to use for your virtual networks.
    ///
    /// Every peer prefix (IPv4 and IPv6, primary and secondary) and every entry of
    /// `advertised_public_prefixes` (`advertisedPublicPrefixes`, also under the IPv6
    /// configuration) is checked on its own and reported where it is written. A prefix that
    /// covers a private range (`0.0.0.0/0`) is reported too. Values that are not known
    /// before deployment, and peerings whose type is not known, are not checked.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_express_route_circuit_peering" "microsoft" {
    ///   peering_type                  = "MicrosoftPeering"
    ///   express_route_circuit_name    = azurerm_express_route_circuit.main.name
    ///   resource_group_name           = azurerm_resource_group.main.name
    ///   peer_asn                      = 64496
    ///   vlan_id                       = 300
    ///   primary_peer_address_prefix   = "10.10.0.0/30"   # ER401
    ///   secondary_peer_address_prefix = "10.10.0.4/30"   # ER401
    ///
    ///   microsoft_peering_config {
    ///     advertised_public_prefixes = ["203.0.113.0/28", "192.168.50.0/24"]   # ER401
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
    ///     "peerASN": 64496,
    ///     "vlanId": 300,
    ///     "primaryPeerAddressPrefix": "10.10.0.0/30",
    ///     "secondaryPeerAddressPrefix": "10.10.0.4/30",
    ///     "microsoftPeeringConfig": {
    ///       "advertisedPublicPrefixes": ["203.0.113.0/28", "192.168.50.0/24"],
    ///       "routingRegistryName": "ARIN"
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Use a public /29 that is registered to you (or to your connectivity provider, with
    /// its authorization) for the two session subnets, split into two /30s (`/125` into two
    /// `/126`s for IPv6). Advertise only public prefixes registered to you or to your ASN,
    /// typically the public range your traffic is translated (NAT) to before it reaches
    /// Microsoft. If the peering is meant to reach your virtual networks, make it
    /// `AzurePrivatePeering`, where private addresses are allowed.
    ///
    /// ## References
    /// - [ExpressRoute routing requirements: IP addresses used for Microsoft peering](https://learn.microsoft.com/azure/expressroute/expressroute-routing#ip-addresses-used-for-microsoft-peering)
    /// - [ExpressRoute routing requirements: route aggregation and prefix limits](https://learn.microsoft.com/azure/expressroute/expressroute-routing#route-aggregation-and-prefix-limits)
    /// - [ExpressRoute NAT requirements](https://learn.microsoft.com/azure/expressroute/expressroute-nat)
    /// - [Configure peering for an ExpressRoute circuit](https://learn.microsoft.com/azure/expressroute/expressroute-howto-routing-portal-resource-manager)
    pub struct PrivateAddressOnMicrosoftPeering {
        id: "ER401",
        name: "private-address-on-microsoft-peering",
        severity: Error,
        kinds: [Peering],
        schemas: [Azurerm, Arm],
        since: "0.1.0",
        flags: "an RFC 1918, 100.64.0.0/10 or fc00::/7 peer or advertised prefix on Microsoft (or Azure public) peering",
    }
}

impl Rule for PrivateAddressOnMicrosoftPeering {
    fn check_resource(&self, cx: &mut Ctx<'_>, _model: &Model, res: &Resource) {
        let Some((ty, _)) = cx.peering_type(res) else {
            return;
        };
        if ty == PeeringType::Private {
            return;
        }
        for fam in &attr::FAMILIES {
            let len = if fam.name == "IPv4" { 30 } else { 126 };
            for attr in [fam.primary, fam.secondary] {
                let Lookup::Known(f) = cx.get(res, attr) else {
                    continue;
                };
                let Some(value) = f.as_str() else { continue };
                let Some(np) = parse_net(value).as_ref().and_then(non_public) else {
                    continue;
                };
                let name = res.attr_name(attr);
                cx.report_found(res, &f, message(name, value, &np, ty))
                    .help(format!(
                        "use a /{len} of public addresses registered to you (or to your provider) in an RIR or IRR for this BGP session; private addresses belong on `AzurePrivatePeering`"
                    ));
            }
            let Lookup::Known(list) = cx.get(res, fam.advertised) else {
                continue;
            };
            let name = res.attr_name(fam.advertised);
            for item in cx.known_items(res, &list, name) {
                let Some(value) = item.as_str() else { continue };
                let Some(np) = parse_net(value).as_ref().and_then(non_public) else {
                    continue;
                };
                let help = if np.inside {
                    format!(
                        "remove `{value}` and advertise public prefixes registered to you in an RIR or IRR instead, such as the public range your traffic is translated (NAT) to"
                    )
                } else {
                    format!(
                        "replace `{value}` with the public prefixes you own; `{}` accepts neither private nor default routes",
                        ty.name()
                    )
                };
                let (at, from) = res.locate(item, list.at);
                let d = cx.report(res, at, message(name, value, &np, ty));
                d.help(help);
                if let Some(from) = from {
                    d.label(from, "value set here");
                }
            }
        }
    }
}

fn message(name: &str, value: &str, np: &NonPublic, ty: PeeringType) -> String {
    if parse_net(value).is_some_and(|n| n.prefix_len() == 0) {
        return format!(
            "`{name}` `{value}` is a default route; `{}` accepts neither default routes nor private ranges",
            ty.name()
        );
    }
    let how = if np.inside { "is in" } else { "covers" };
    format!(
        "`{name}` `{value}` {how} the {} range `{}`; `{}` needs public addresses",
        np.what,
        np.range,
        ty.name()
    )
}
