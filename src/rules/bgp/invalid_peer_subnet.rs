//! ER303 invalid-peer-subnet
use super::prefix::known_prefix;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a peer address prefix that is not a valid CIDR, is of the wrong address family,
    /// or is not a /30 (IPv4) or /126 (IPv6).
    ///
    /// ## Why is this bad?
    /// Each BGP session of a peering runs over its own point-to-point subnet: a /30 for IPv4
    /// or a /126 for IPv6, where your router takes the first usable address and Microsoft the
    /// second. The peering API takes the two halves separately, so a /29 (or /125) in one
    /// field, a host address without a length or a prefix of the other family is rejected or
    /// leaves a session without addresses.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_express_route_circuit_peering" "private" {
    ///   peering_type                  = "AzurePrivatePeering"
    ///   primary_peer_address_prefix   = "172.16.0.0/29"   # ER303
    ///   secondary_peer_address_prefix = "172.16.0.8/30"
    ///   vlan_id                       = 100
    /// }
    /// ```
    /// ```json
    /// "properties": {
    ///   "primaryPeerAddressPrefix": "172.16.0.0/29",
    ///   "secondaryPeerAddressPrefix": "172.16.0.8/30"
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Write each prefix as `address/30` for IPv4 (`address/126` for IPv6). If you reserved a
    /// /29, its first /30 is the primary and its second the secondary.
    ///
    /// ## References
    /// - [ExpressRoute routing requirements: IP addresses used for peerings](https://learn.microsoft.com/azure/expressroute/expressroute-routing)
    /// - [ExpressRoute circuit peering REST API](https://learn.microsoft.com/rest/api/expressroute/express-route-circuit-peerings/create-or-update)
    pub struct InvalidPeerSubnet {
        id: "ER303",
        name: "invalid-peer-subnet",
        severity: Error,
        kinds: [Peering],
        schemas: [Azurerm, Arm],
        since: "0.1.0",
        flags: "a peer prefix that is not a valid /30 (IPv4) or /126 (IPv6)",
    }
}

impl Rule for InvalidPeerSubnet {
    fn check_resource(&self, cx: &mut Ctx<'_>, _model: &Model, res: &Resource) {
        for fam in &attr::FAMILIES {
            for attr in [fam.primary, fam.secondary] {
                let Lookup::Known(f) = cx.get(res, attr) else {
                    continue;
                };
                let name = res.attr_name(attr);
                let Some((net, value)) =
                    known_prefix(cx, res, &f, name, (fam.name, fam.v6, fam.session_len))
                else {
                    continue;
                };
                if net.prefix_len() != fam.session_len {
                    let help = match net
                        .trunc()
                        .subnets(fam.session_len)
                        .ok()
                        .map(|s| s.take(2).collect::<Vec<_>>())
                    {
                        Some(h) if net.prefix_len() + 1 == fam.session_len && h.len() == 2 => {
                            format!(
                                "a /{} holds both sessions: use `{}` for the primary and `{}` for the secondary",
                                net.prefix_len(),
                                h[0],
                                h[1]
                            )
                        }
                        _ => format!("each BGP session needs exactly a /{}", fam.session_len),
                    };
                    cx.report_found(
                        res,
                        &f,
                        format!(
                            "`{name}` `{value}` is a /{}, not a /{}",
                            net.prefix_len(),
                            fam.session_len
                        ),
                    )
                    .help(help);
                }
            }
        }
    }
}
