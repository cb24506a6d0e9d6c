//! ER304 peer-subnet-host-bits
use super::prefix::parse_prefix;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a peer address prefix with host bits set, such as `10.0.0.1/30` instead of
    /// `10.0.0.0/30`.
    ///
    /// ## Why is this bad?
    /// A peer prefix names the point-to-point subnet of one BGP session: a /30 (IPv4) or
    /// /126 (IPv6) in which your router takes the first usable address and Microsoft the
    /// second. Azure expects the subnet's network address. A prefix written with a host
    /// address reads like a router's interface address, which is how the router side ends
    /// up configured with the wrong pair of addresses, and the API may reject it or store
    /// a different value than the one written. Only prefixes that are otherwise valid (a
    /// /30 or /126 of the right family) are checked here; ER303 reports the others.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_express_route_circuit_peering" "private" {
    ///   peering_type                  = "AzurePrivatePeering"
    ///   primary_peer_address_prefix   = "172.16.0.1/30"   # ER304
    ///   secondary_peer_address_prefix = "172.16.0.4/30"
    ///   vlan_id                       = 100
    /// }
    /// ```
    /// ```json
    /// "properties": {
    ///   "primaryPeerAddressPrefix": "172.16.0.1/30",
    ///   "secondaryPeerAddressPrefix": "172.16.0.4/30"
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Write the subnet's network address: `172.16.0.0/30` in the example. Your router then
    /// takes `172.16.0.1` and Microsoft `172.16.0.2`.
    ///
    /// ## References
    /// - [ExpressRoute routing requirements: IP addresses used for peerings](https://learn.microsoft.com/azure/expressroute/expressroute-routing)
    /// - [Router configuration samples: the customer and Microsoft addresses of each /30](https://learn.microsoft.com/azure/expressroute/expressroute-config-samples-routing)
    pub struct PeerSubnetHostBits {
        id: "ER304",
        name: "peer-subnet-host-bits",
        severity: Warning,
        kinds: [Peering],
        schemas: [Azurerm, Arm],
        since: "0.1.0",
        flags: "a peer prefix with host bits set (`10.0.0.1/30`)",
    }
}

impl Rule for PeerSubnetHostBits {
    fn check_resource(&self, cx: &mut Ctx<'_>, _model: &Model, res: &Resource) {
        for fam in &attr::FAMILIES {
            for attr in [fam.primary, fam.secondary] {
                let Lookup::Known(f) = cx.get(res, attr) else {
                    continue;
                };
                let Some(value) = f.as_str() else { continue };
                // What ER303 accepts: a valid prefix of this family and length.
                let Ok(net) = parse_prefix(value) else {
                    continue;
                };
                if matches!(net, ipnet::IpNet::V6(_)) != fam.v6
                    || net.prefix_len() != fam.session_len
                {
                    continue;
                }
                let aligned = net.trunc();
                if aligned.addr() == net.addr() {
                    continue;
                }
                let name = res.attr_name(attr);
                cx.report_found(
                    res,
                    &f,
                    format!(
                        "`{name}` `{value}` has host bits set: the /{} subnet is `{aligned}`",
                        fam.session_len
                    ),
                )
                .help(format!("write the subnet's network address: `{aligned}`"))
                .fix(fix(Applicability::Safe, vec![rewrite(f.val, aligned.to_string())]));
            }
        }
    }
}
