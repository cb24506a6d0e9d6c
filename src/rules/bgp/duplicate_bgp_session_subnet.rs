//! ER302 duplicate-bgp-session-subnet
use super::prefix::{parse_prefix, sibling};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a peering whose primary and secondary peer prefixes are equal or overlap.
    ///
    /// ## Why is this bad?
    /// The primary and secondary BGP sessions run over two separate links to two different
    /// Microsoft routers; each link needs its own /30 (or /126) so that each side has its own
    /// pair of addresses. The same or an overlapping subnet on both links cannot be
    /// configured as two sessions, so the peering is left with one working session at best.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_express_route_circuit_peering" "private" {
    ///   peering_type                  = "AzurePrivatePeering"
    ///   primary_peer_address_prefix   = "172.16.0.0/30"
    ///   secondary_peer_address_prefix = "172.16.0.0/30"   # ER302
    ///   vlan_id                       = 100
    /// }
    /// ```
    /// ```json
    /// "properties": {
    ///   "primaryPeerAddressPrefix": "172.16.0.0/30",
    ///   "secondaryPeerAddressPrefix": "172.16.0.0/30"
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Use two distinct, non-overlapping subnets, typically the two halves of one /29:
    /// `172.16.0.0/30` for the primary and `172.16.0.4/30` for the secondary.
    ///
    /// ## References
    /// - [ExpressRoute routing requirements: IP addresses used for peerings](https://learn.microsoft.com/azure/expressroute/expressroute-routing)
    /// - [Configure peering for an ExpressRoute circuit](https://learn.microsoft.com/azure/expressroute/expressroute-howto-routing-portal-resource-manager)
    pub struct DuplicateBgpSessionSubnet {
        id: "ER302",
        name: "duplicate-bgp-session-subnet",
        severity: Error,
        kinds: [Peering],
        schemas: [Azurerm, Arm],
        since: "0.1.0",
        flags: "primary and secondary peer prefixes equal or overlapping",
    }
}

impl Rule for DuplicateBgpSessionSubnet {
    fn check_resource(&self, cx: &mut Ctx<'_>, _model: &Model, res: &Resource) {
        for fam in &attr::FAMILIES {
            let (Lookup::Known(p), Lookup::Known(s)) =
                (cx.get(res, fam.primary), cx.get(res, fam.secondary))
            else {
                continue;
            };
            let (Some(pv), Some(sv)) = (p.as_str(), s.as_str()) else {
                continue;
            };
            let (Ok(pn), Ok(sn)) = (parse_prefix(pv), parse_prefix(sv)) else {
                continue;
            };
            if !(pn.contains(&sn) || sn.contains(&pn)) {
                continue;
            }
            let secondary = res.attr_name(fam.secondary);
            let primary = res.attr_name(fam.primary);
            let relation = if pn == sn {
                "is the same subnet as"
            } else {
                "overlaps"
            };
            let message = format!("`{secondary}` `{sv}` {relation} `{primary}` `{pv}`");
            let other = sibling(&pn).filter(|_| pn.prefix_len() == fam.session_len);
            let help = match other {
                Some(other) => format!(
                    "give the secondary session its own /{}, for example `{other}` (the other half of the same /{})",
                    fam.session_len,
                    fam.session_len - 1
                ),
                None => format!(
                    "give each BGP session its own, non-overlapping /{}",
                    fam.session_len
                ),
            };
            let d = cx.report_found(res, &s, message);
            d.help(help);
            // Unsafe: the other half is a suggestion; the prefix must be the one agreed
            // with the provider. Not when both are written in one place (one parameter
            // for both): rewriting it would move the primary too.
            let shared = p.val.origin_span() == s.val.origin_span();
            d.fix(other.filter(|_| !shared).and_then(|o| {
                fix(Applicability::Unsafe, vec![rewrite(s.val, o.to_string())])
            }));
            d.label(p.at, format!("`{primary}` is here"));
        }
    }
}
