//! ER408 private-asn-on-microsoft-peering
use super::reserved_asn::reserved_reason;
use crate::model::value::whole;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a private ASN (64512–65534 or 4200000000–4294967294) given as the peer ASN or
    /// the customer ASN of a Microsoft peering.
    ///
    /// ## Why is this bad?
    /// Microsoft peering carries public prefixes that Microsoft validates against the
    /// routing registries, together with the ASN that announces them. A private peer ASN
    /// is possible but needs manual validation by Microsoft, and Microsoft strips private
    /// ASNs from the AS path it receives; until it is validated, the peering stays in the
    /// `ValidationNeeded` state and your prefixes are not accepted. A customer ASN (the ASN
    /// the advertised prefixes are registered to, when it is not the peer ASN) must be
    /// public. Private peering is not affected: private ASNs are fine there. Peer ASNs
    /// that no peering can use (65515–65520) are reported by ER407 instead.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_express_route_circuit_peering" "microsoft" {
    ///   peering_type                  = "MicrosoftPeering"
    ///   peer_asn                      = 65010   # ER408
    ///   primary_peer_address_prefix   = "185.64.113.0/30"
    ///   secondary_peer_address_prefix = "185.64.113.4/30"
    ///   vlan_id                       = 300
    ///
    ///   microsoft_peering_config {
    ///     advertised_public_prefixes = ["185.64.113.128/27"]
    ///   }
    /// }
    /// ```
    /// ```json
    /// {
    ///   "type": "Microsoft.Network/expressRouteCircuits/peerings",
    ///   "name": "er-circuit/MicrosoftPeering",
    ///   "properties": {
    ///     "peerASN": 65010,
    ///     "primaryPeerAddressPrefix": "185.64.113.0/30",
    ///     "secondaryPeerAddressPrefix": "185.64.113.4/30",
    ///     "vlanId": 300,
    ///     "microsoftPeeringConfig": { "advertisedPublicPrefixes": [ "185.64.113.128/27" ] }
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Use your public ASN, registered with the prefixes you advertise, as the peer ASN
    /// (and as the customer ASN if you set one); request one from your regional internet
    /// registry if you have none. If you keep a private peer ASN, plan for the manual
    /// validation through a support request, and for the private ASN being removed from
    /// the AS path.
    ///
    /// ## References
    /// - [ExpressRoute routing requirements: autonomous system numbers](https://learn.microsoft.com/azure/expressroute/expressroute-routing)
    /// - [Compare ExpressRoute peerings](https://learn.microsoft.com/azure/expressroute/expressroute-circuit-peerings)
    /// - [Configure Microsoft peering](https://learn.microsoft.com/azure/expressroute/expressroute-howto-routing-portal-resource-manager)
    pub struct PrivateAsnOnMicrosoftPeering {
        id: "ER408",
        name: "private-asn-on-microsoft-peering",
        severity: Warning,
        kinds: [Peering],
        schemas: [Azurerm, Arm],
        since: "0.1.0",
        flags: "a private peer or customer ASN on Microsoft peering",
    }
}

/// Private-use ASNs (RFC 6996): 64512–65534 and 4200000000–4294967294.
pub(super) fn is_private(asn: i128) -> bool {
    (64_512..=65_534).contains(&asn) || (4_200_000_000..=4_294_967_294).contains(&asn)
}

impl Rule for PrivateAsnOnMicrosoftPeering {
    fn check_resource(&self, cx: &mut Ctx<'_>, _model: &Model, res: &Resource) {
        let Some((PeeringType::Microsoft, _)) = cx.peering_type(res) else {
            return;
        };
        if let Lookup::Known(f) = cx.get(res, &attr::PEER_ASN)
            && let Some(n) = f.val.as_number()
            && reserved_reason(n).is_none()
            && whole(n).is_some_and(is_private)
        {
            let name = res.attr_name(&attr::PEER_ASN);
            cx.report_found(
                res,
                &f,
                format!(
                    "`{name}` `{}` is a private ASN on Microsoft peering: Microsoft must validate it by hand and strips it from the AS path",
                    f.val
                ),
            )
            .help(format!(
                "set `{name}` to your public ASN, the one registered with your advertised prefixes"
            ));
        }
        for attr in attr::FAMILIES.iter().map(|f| f.customer_asn) {
            let Lookup::Known(f) = cx.get(res, attr) else {
                continue;
            };
            // 0 is the provider's "no customer ASN".
            let Some(n) = f.val.as_number().and_then(whole) else {
                continue;
            };
            if !is_private(n) {
                continue;
            }
            let name = res.attr_name(attr);
            cx.report_found(
                res,
                &f,
                format!(
                    "`{name}` `{}` is a private ASN: the customer ASN of a Microsoft peering must be public",
                    f.val
                ),
            )
            .help(format!(
                "set `{name}` to the public ASN your advertised prefixes are registered to, or remove it if they are registered to the peer ASN"
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_private;

    #[test]
    fn private_ranges() {
        for p in [64512, 65000, 65534, 4_200_000_000, 4_294_967_294] {
            assert!(is_private(p), "{p}");
        }
        for p in [64511, 65535, 65536, 12076, 4_199_999_999, 4_294_967_295] {
            assert!(!is_private(p), "{p}");
        }
    }
}
