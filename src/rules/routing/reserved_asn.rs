//! ER407 reserved-asn
use crate::model::value::whole;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a peer ASN that Azure cannot accept: 0, a number above 4294967295, one of the
    /// ASNs 65515–65520 that Microsoft reserves, or Microsoft's own ASN 12076.
    ///
    /// ## Why is this bad?
    /// The peer ASN is the autonomous system number of *your* routers. Microsoft's side of
    /// every ExpressRoute peering is AS 12076, so giving 12076 as the peer ASN makes both
    /// sides the same AS and the eBGP sessions cannot come up. Microsoft reserves ASNs
    /// 65515 to 65520 for internal use (65515 is the ASN of Azure's virtual network
    /// gateways), and they cannot be used as a peer ASN even on private peering, where
    /// private ASNs are otherwise allowed. The API accepts 16-bit and 32-bit ASNs from 1 to
    /// 4294967295; 0 is not an ASN.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_express_route_circuit_peering" "private" {
    ///   peering_type                  = "AzurePrivatePeering"
    ///   peer_asn                      = 65515   # ER407
    ///   primary_peer_address_prefix   = "172.16.0.0/30"
    ///   secondary_peer_address_prefix = "172.16.0.4/30"
    ///   vlan_id                       = 100
    /// }
    /// ```
    /// ```json
    /// {
    ///   "type": "Microsoft.Network/expressRouteCircuits/peerings",
    ///   "name": "er-circuit/AzurePrivatePeering",
    ///   "properties": {
    ///     "peerASN": 65515,
    ///     "primaryPeerAddressPrefix": "172.16.0.0/30",
    ///     "secondaryPeerAddressPrefix": "172.16.0.4/30",
    ///     "vlanId": 100
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Set the peer ASN to the ASN your routers use towards Microsoft: your public ASN,
    /// or on private peering a private ASN outside 65515–65520 (64512–65514,
    /// 65521–65534 or 4200000000–4294967294).
    ///
    /// ## References
    /// - [ExpressRoute routing requirements: autonomous system numbers](https://learn.microsoft.com/azure/expressroute/expressroute-routing)
    /// - [Configure peering for an ExpressRoute circuit](https://learn.microsoft.com/azure/expressroute/expressroute-howto-routing-portal-resource-manager)
    /// - [ExpressRoute circuit peering REST API: peerASN](https://learn.microsoft.com/rest/api/expressroute/express-route-circuit-peerings/create-or-update)
    pub struct ReservedAsn {
        id: "ER407",
        name: "reserved-asn",
        severity: Error,
        kinds: [Peering],
        schemas: [Azurerm, Arm],
        since: "0.1.0",
        flags: "peer ASN 0, above 4294967295, 65515–65520 (reserved) or 12076 (Microsoft's)",
    }
}

/// Microsoft's ASN on every ExpressRoute peering.
const MICROSOFT_ASN: i128 = 12076;
/// ASNs Microsoft reserves for internal use.
const RESERVED: std::ops::RangeInclusive<i128> = 65515..=65520;
/// The largest 32-bit ASN, the API's upper bound.
const MAX_ASN: i128 = 4_294_967_295;

/// Why `asn` cannot be a peer ASN, if it cannot.
pub(super) fn reserved_reason(asn: f64) -> Option<&'static str> {
    let Some(n) = whole(asn) else {
        return Some("is not a whole number, so not an ASN");
    };
    Some(match n {
        MICROSOFT_ASN => "is Microsoft's ASN, the other side of every ExpressRoute BGP session",
        _ if RESERVED.contains(&n) => {
            "is reserved by Microsoft (65515–65520 are used inside Azure)"
        }
        0 => "is not an ASN (the API accepts 1 to 4294967295)",
        _ if n < 0 => "is negative, not an ASN (the API accepts 1 to 4294967295)",
        _ if n > MAX_ASN => "is above 4294967295, the largest 32-bit ASN",
        _ => return None,
    })
}

impl Rule for ReservedAsn {
    fn check_resource(&self, cx: &mut Ctx<'_>, _model: &Model, res: &Resource) {
        let Lookup::Known(f) = cx.get(res, &attr::PEER_ASN) else {
            return;
        };
        let Some(asn) = f.val.as_number() else { return };
        let Some(why) = reserved_reason(asn) else {
            return;
        };
        let name = res.attr_name(&attr::PEER_ASN);
        let help = match res.peering_type() {
            PeeringTypeLookup::Known(PeeringType::Private, _) => format!(
                "set `{name}` to the ASN of your routers: your public ASN, or a private one outside 65515–65520 (64512–65514, 65521–65534 or 4200000000–4294967294)"
            ),
            PeeringTypeLookup::Known(..) | PeeringTypeLookup::Invalid(_) => {
                format!("set `{name}` to the ASN of your routers, your own public ASN")
            }
            PeeringTypeLookup::Unknown { .. } | PeeringTypeLookup::Absent => format!(
                "set `{name}` to the ASN of your routers: your public ASN, or on private peering a private one outside 65515–65520"
            ),
        };
        cx.report_found(res, &f, format!("`{name}` `{}` {why}", f.val))
            .help(help);
    }
}

#[cfg(test)]
mod tests {
    use super::reserved_reason;

    #[test]
    fn asn_ranges() {
        for bad in [0.0, -1.0, 12076.0, 65515.0, 65520.0, 4294967296.0, 65010.5] {
            assert!(reserved_reason(bad).is_some(), "{bad}");
        }
        for ok in [
            1.0,
            12075.0,
            12077.0,
            64512.0,
            65514.0,
            65521.0,
            65534.0,
            4200000000.0,
            4294967295.0,
        ] {
            assert!(reserved_reason(ok).is_none(), "{ok}");
        }
    }
}
