//! ER407 reserved-asn
use crate::model::value::whole;
use crate::reference::asn::{AsnUse, MICROSOFT_ASN, MICROSOFT_RESERVED, classify_asn};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a peer ASN that Azure cannot accept: 0, a number above 4294967295, a value that
    /// is not a number (a placeholder left in), one of the ASNs 65515–65520 that Microsoft
    /// reserves, Microsoft's own ASN 12076, or on Microsoft peering a peer or customer ASN
    /// in 64496–64511, the ASNs IANA reserves for documentation.
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
    /// Microsoft peering does not allow the documentation ASNs 64496–64511 in the AS path
    /// at all: they appear in examples (and in many templates copied from them), never on
    /// a real network. Both the peer ASN and the customer ASN (the ASN your advertised
    /// prefixes are registered to, `customer_asn` / `customerASN`) end up in the path, so
    /// both are checked. RFC 5398 also sets 65536–65551 aside for documentation, but
    /// Microsoft's page names only 64496–64511, so erlint flags only those. Private ASNs on
    /// Microsoft peering are ER408's finding. A value or a peering type that is not known
    /// before deployment is not checked.
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
    ///
    /// resource "azurerm_express_route_circuit_peering" "microsoft" {
    ///   peering_type                  = "MicrosoftPeering"
    ///   peer_asn                      = 64500   # ER407
    ///   primary_peer_address_prefix   = "185.64.0.0/30"
    ///   secondary_peer_address_prefix = "185.64.0.4/30"
    ///   vlan_id                       = 300
    ///
    ///   microsoft_peering_config {
    ///     advertised_public_prefixes = ["185.64.1.0/24"]
    ///   }
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
    /// 65521–65534 or 4200000000–4294967294). A documentation ASN copied from an example
    /// is a placeholder: replace it with your own public ASN (and the customer ASN with
    /// the one your prefixes are registered to).
    ///
    /// ## References
    /// - [ExpressRoute routing requirements](https://learn.microsoft.com/azure/expressroute/expressroute-routing)
    ///   (03/12/2026), autonomous system numbers: "Microsoft uses AS 12076 for Azure
    ///   public, Azure private, and Microsoft peering. Microsoft reserves ASNs from 65,515
    ///   to 65,520 for internal use." On Microsoft peering: "Also, AS numbers 64496 through
    ///   64511 reserved by IANA for documentation purposes aren't allowed in the path."
    /// - [IANA Special-Purpose AS Numbers registry](https://www.iana.org/assignments/iana-as-numbers-special-registry/)
    ///   (64496–64511: for documentation and sample code, RFC 5398)
    /// - [Configure peering for an ExpressRoute circuit](https://learn.microsoft.com/azure/expressroute/expressroute-howto-routing-portal-resource-manager)
    /// - [ExpressRoute circuit peering REST API: peerASN](https://learn.microsoft.com/rest/api/expressroute/express-route-circuit-peerings/create-or-update)
    pub struct ReservedAsn {
        id: "ER407",
        name: "reserved-asn",
        severity: Error,
        kinds: [Peering],
        schemas: [Azurerm, Arm],
        since: "0.1.0",
        flags: "peer ASN 0, above 4294967295, 65515–65520 (reserved) or 12076 (Microsoft's); a documentation ASN (64496–64511) on Microsoft peering",
    }
}

/// The largest 32-bit ASN, the API's upper bound.
const MAX_ASN: i128 = 4_294_967_295;

/// Why `asn` cannot be a peer ASN, if it cannot.
pub(super) fn reserved_reason(asn: f64) -> Option<&'static str> {
    let Some(n) = whole(asn) else {
        return Some("is not a whole number, so not an ASN");
    };
    let reserved = u64::try_from(n).is_ok_and(|n| MICROSOFT_RESERVED.contains(n));
    Some(match n {
        _ if n == i128::from(MICROSOFT_ASN) => {
            "is Microsoft's ASN, the other side of every ExpressRoute BGP session"
        }
        _ if reserved => "is reserved by Microsoft (65515–65520 are used inside Azure)",
        0 => "is not an ASN (the API accepts 1 to 4294967295)",
        _ if n < 0 => "is negative, not an ASN (the API accepts 1 to 4294967295)",
        _ if n > MAX_ASN => "is above 4294967295, the largest 32-bit ASN",
        _ => return None,
    })
}

/// The documentation ASNs Microsoft peering refuses in the AS path: 64496–64511, the
/// block the page names (not RFC 5398's second block, 65536–65551).
fn is_refused_documentation_asn(n: i128) -> bool {
    u64::try_from(n).is_ok_and(|n| {
        classify_asn(n).is_some_and(|r| r.what == AsnUse::Documentation && r.first == 64496)
    })
}

impl Rule for ReservedAsn {
    fn check_resource(&self, cx: &mut Ctx<'_>, _model: &Model, res: &Resource) {
        let peer = match cx.get(res, &attr::PEER_ASN) {
            // A placeholder left in (`"TBD"`): a string no number converts from.
            Lookup::Known(f) if f.val.as_number().is_none() && f.val.as_str().is_some() => {
                let name = res.attr_name(&attr::PEER_ASN);
                let message = format!("`{name}` `{}` is not a number, so not an ASN", f.val);
                cx.report_found(res, &f, message)
                    .help(format!("set `{name}` to the ASN of your routers"));
                None
            }
            Lookup::Known(f) => f.val.as_number().map(|n| (f, n)),
            _ => None,
        };
        if let Some((f, asn)) = &peer
            && let Some(why) = reserved_reason(*asn)
        {
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
            cx.report_found(res, f, format!("`{name}` `{}` {why}", f.val))
                .help(help);
        }
        // Documentation ASNs: refused on Microsoft peering only.
        let mut documentation: Vec<(Found<'_>, &'static Attr)> = Vec::new();
        if let Some((f, asn)) = peer
            && whole(asn).is_some_and(is_refused_documentation_asn)
        {
            documentation.push((f, &attr::PEER_ASN));
        }
        for attr in attr::FAMILIES.iter().map(|f| f.customer_asn) {
            if let Lookup::Known(f) = cx.get(res, attr)
                && f.val
                    .as_number()
                    .and_then(whole)
                    .is_some_and(is_refused_documentation_asn)
            {
                documentation.push((f, attr));
            }
        }
        if documentation.is_empty() {
            return;
        }
        let Some((PeeringType::Microsoft, _)) = cx.peering_type(res) else {
            return;
        };
        for (f, asn_attr) in documentation {
            let finding = DocumentationAsn {
                name: res.attr_name(asn_attr),
                written: f.val.to_string(),
                customer: !std::ptr::eq(asn_attr, &attr::PEER_ASN),
            };
            cx.report_found(res, &f, finding.message())
                .help(finding.help());
        }
    }
}

/// What ER407 found on Microsoft peering: a documentation ASN as the peer or customer ASN.
#[derive(Debug)]
struct DocumentationAsn<'a> {
    /// The attribute and its value as written.
    name: &'a str,
    written: String,
    /// The customer ASN (else the peer ASN).
    customer: bool,
}

impl DocumentationAsn<'_> {
    fn message(&self) -> String {
        format!(
            "`{}` `{}` is an ASN IANA reserves for documentation (64496–64511, RFC 5398), which Microsoft peering does not allow in the AS path",
            self.name, self.written
        )
    }

    fn help(&self) -> String {
        if self.customer {
            format!(
                "set `{}` to the public ASN your advertised prefixes are registered to, or remove it if they are registered to the peer ASN",
                self.name
            )
        } else {
            format!(
                "set `{}` to your own public ASN, the one registered with your advertised prefixes (a documentation ASN is a placeholder from an example)",
                self.name
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{DocumentationAsn, is_refused_documentation_asn, reserved_reason};
    use crate::model::testing::resource;
    use crate::model::{Dialect, Kind, Resource};
    use crate::rules::provider::circuit::test_support::{model, run};

    fn peering(dialect: Dialect, ty: &str, peer: serde_json::Value, customer: serde_json::Value) -> Resource {
        let body = if dialect == Dialect::ARM {
            serde_json::json!({"properties": {
                "peeringType": ty, "peerASN": peer, "vlanId": 300,
                "microsoftPeeringConfig": {"advertisedPublicPrefixes": ["185.64.1.0/24"], "customerASN": customer},
            }})
        } else {
            serde_json::json!({
                "peering_type": ty, "peer_asn": peer, "vlan_id": 300,
                "microsoft_peering_config": [{"advertised_public_prefixes": ["185.64.1.0/24"], "customer_asn": customer}],
            })
        };
        resource(Kind::Peering, dialect, body)
    }

    #[test]
    fn documentation_asns_on_microsoft_peering() {
        let msgs = |d: Dialect, ty: &str, p: serde_json::Value, c: serde_json::Value| -> Vec<String> {
            run(&model(peering(d, ty, p, c)), "ER407")
                .into_iter()
                .map(|d| d.message)
                .collect()
        };
        let j = |v: i64| serde_json::json!(v);
        assert_eq!(
            msgs(Dialect::AZURERM, "MicrosoftPeering", j(64496), j(0)),
            ["`peer_asn` `64496` is an ASN IANA reserves for documentation (64496–64511, RFC 5398), which Microsoft peering does not allow in the AS path"]
        );
        assert_eq!(
            msgs(Dialect::ARM, "MicrosoftPeering", j(54321), j(64511)),
            ["`microsoftPeeringConfig.customerASN` `64511` is an ASN IANA reserves for documentation (64496–64511, RFC 5398), which Microsoft peering does not allow in the AS path"]
        );
        assert_eq!(msgs(Dialect::ARM, "MicrosoftPeering", j(64500), j(64500)).len(), 2);
        // Edges, the second RFC 5398 block, other peerings, and what is not known.
        for (ty, p, c) in [
            ("MicrosoftPeering", j(64495), j(64512)),
            ("MicrosoftPeering", j(65536), j(65551)),
            ("MicrosoftPeering", j(54321), j(0)),
            ("AzurePrivatePeering", j(64496), j(0)),
            ("<unknown>", j(64496), j(64496)),
            ("MicrosoftPeering", serde_json::json!("<unknown>"), serde_json::json!("<unknown>")),
        ] {
            for d in [Dialect::AZURERM, Dialect::ARM] {
                assert!(msgs(d, ty, p.clone(), c.clone()).is_empty(), "{ty} {p} {c}");
            }
        }
        for n in [64496, 64511] {
            assert!(is_refused_documentation_asn(n));
        }
        for n in [64495, 64512, 65536, 65551, -64496] {
            assert!(!is_refused_documentation_asn(n), "{n}");
        }
    }

    #[test]
    fn documentation_asn_message_and_help() {
        let f = DocumentationAsn {
            name: "peerASN",
            written: "64500".into(),
            customer: false,
        };
        assert_eq!(
            f.message(),
            "`peerASN` `64500` is an ASN IANA reserves for documentation (64496–64511, RFC 5398), which Microsoft peering does not allow in the AS path"
        );
        assert_eq!(
            f.help(),
            "set `peerASN` to your own public ASN, the one registered with your advertised prefixes (a documentation ASN is a placeholder from an example)"
        );
        let f = DocumentationAsn {
            name: "microsoft_peering_config.customer_asn",
            customer: true,
            ..f
        };
        assert_eq!(
            f.help(),
            "set `microsoft_peering_config.customer_asn` to the public ASN your advertised prefixes are registered to, or remove it if they are registered to the peer ASN"
        );
    }

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
