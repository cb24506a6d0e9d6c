//! ER401 private-address-on-microsoft-peering
use super::microsoft_peering::parse_net;
use crate::reference::special_addresses::{Special, classify};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a peer prefix or an advertised public prefix of a Microsoft peering (or an
    /// Azure public peering) that lies in, or covers, an address range that is not
    /// globally reachable: private ranges (RFC 1918, the RFC 6598 shared range
    /// `100.64.0.0/10`, IPv6 unique local `fc00::/7`) and every other range that IANA's
    /// special-purpose address registries mark as not globally reachable, such as the
    /// documentation ranges (`192.0.2.0/24`, `198.51.100.0/24`, `203.0.113.0/24`,
    /// `2001:db8::/32`), loopback, link-local, benchmarking (`198.18.0.0/15`),
    /// `0.0.0.0/8`, `240.0.0.0/4`, and multicast. The message names the range, its
    /// purpose, its RFC and the registry.
    ///
    /// ## Why is this bad?
    /// Microsoft peering (and the retired Azure public peering) connects your network to
    /// Microsoft's public services, so both the /30 (or /126) subnets of its two BGP
    /// sessions and the prefixes you advertise must be public addresses that you own and
    /// that Microsoft can verify in a regional or routing registry (RIR or IRR). A range
    /// that is not globally reachable is registered to no one, so it cannot be verified as
    /// yours and is not accepted there; Microsoft also requires private (RFC 1918) and
    /// default routes to be filtered out of these peerings. Private addresses are fine,
    /// and usual, on Azure private peering, which is the peering to use for your virtual
    /// networks. Documentation ranges are placeholders from examples, never real
    /// addresses.
    ///
    /// The ranges are IANA's IPv4 and IPv6 Special-Purpose Address Registries (rows whose
    /// "Globally Reachable" column is False; the most specific row decides, so the
    /// globally reachable anycast addresses inside `192.0.0.0/24` pass) and the multicast
    /// blocks of IANA's address-space registries (`224.0.0.0/4`, `ff00::/8`). Blocks whose
    /// reachability the registry gives as "N/A" (6to4 `2002::/16`, Teredo `2001::/32`)
    /// are not flagged. Every peer prefix (IPv4 and IPv6, primary and secondary) and every
    /// entry of `advertised_public_prefixes` (`advertisedPublicPrefixes`, also under the
    /// IPv6 configuration) is checked on its own and reported where it is written. A
    /// prefix that covers such a range (`0.0.0.0/0`) is reported too. Values that are not
    /// known before deployment, and peerings whose type is not known, are not checked.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_express_route_circuit_peering" "microsoft" {
    ///   peering_type                  = "MicrosoftPeering"
    ///   express_route_circuit_name    = azurerm_express_route_circuit.main.name
    ///   resource_group_name           = azurerm_resource_group.main.name
    ///   peer_asn                      = 54321   # your public ASN
    ///   vlan_id                       = 300
    ///   primary_peer_address_prefix   = "10.10.0.0/30"   # ER401
    ///   secondary_peer_address_prefix = "10.10.0.4/30"   # ER401
    ///
    ///   microsoft_peering_config {
    ///     advertised_public_prefixes = ["185.64.1.0/24", "192.168.50.0/24", "203.0.113.0/28"]   # ER401 ER401
    ///     routing_registry_name      = "RIPENCC"
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
    ///     "peerASN": 54321,
    ///     "vlanId": 300,
    ///     "primaryPeerAddressPrefix": "10.10.0.0/30",
    ///     "secondaryPeerAddressPrefix": "10.10.0.4/30",
    ///     "microsoftPeeringConfig": {
    ///       "advertisedPublicPrefixes": ["185.64.1.0/24", "192.168.50.0/24", "203.0.113.0/28"],
    ///       "routingRegistryName": "RIPENCC"
    ///     }
    ///   }
    /// }
    /// ```
    /// (`203.0.113.0/28` is in TEST-NET-3, a documentation range: a placeholder left in
    /// from an example.)
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
    ///   (03/12/2026): "To set up the BGP sessions, use public IP addresses that you own.
    ///   Microsoft must be able to verify the ownership of the IP addresses through Routing
    ///   Internet Registries and Internet Routing Registries."
    /// - [ExpressRoute routing requirements: route aggregation and prefix limits](https://learn.microsoft.com/azure/expressroute/expressroute-routing#route-aggregation-and-prefix-limits):
    ///   "You must filter out default routes and private IP addresses (RFC 1918) from the
    ///   Azure public and Microsoft peering paths."
    /// - [IANA IPv4 Special-Purpose Address Registry](https://www.iana.org/assignments/iana-ipv4-special-registry/)
    ///   and [IANA IPv6 Special-Purpose Address Registry](https://www.iana.org/assignments/iana-ipv6-special-registry/)
    ///   (their "Globally Reachable" column), with the multicast blocks of the
    ///   [IPv4](https://www.iana.org/assignments/ipv4-address-space/) and
    ///   [IPv6](https://www.iana.org/assignments/ipv6-address-space/) address-space registries
    /// - [ExpressRoute NAT requirements](https://learn.microsoft.com/azure/expressroute/expressroute-nat)
    /// - [Configure peering for an ExpressRoute circuit](https://learn.microsoft.com/azure/expressroute/expressroute-howto-routing-portal-resource-manager)
    pub struct PrivateAddressOnMicrosoftPeering {
        id: "ER401",
        name: "private-address-on-microsoft-peering",
        severity: Error,
        kinds: [Peering],
        schemas: [Azurerm, Arm],
        since: "0.1.0",
        flags: "a peer or advertised prefix on Microsoft (or Azure public) peering in a range that is not globally reachable (RFC 1918, 100.64.0.0/10, fc00::/7, documentation, loopback, link-local, … per IANA's special-purpose registries)",
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
            let len = if fam.v6 { 126 } else { 30 };
            for attr in [fam.primary, fam.secondary] {
                let Lookup::Known(f) = cx.get(res, attr) else {
                    continue;
                };
                let Some(value) = f.as_str() else { continue };
                let Some(finding) = NotPublic::find(res.attr_name(attr), value, ty, Some(len))
                else {
                    continue;
                };
                cx.report_found(res, &f, finding.message())
                    .help(finding.help());
            }
            let Lookup::Known(list) = cx.get(res, fam.advertised) else {
                continue;
            };
            let name = res.attr_name(fam.advertised);
            for item in cx.known_items(res, &list, name) {
                let Some(value) = item.as_str() else { continue };
                let Some(finding) = NotPublic::find(name, value, ty, None) else {
                    continue;
                };
                let (at, from) = res.locate(item, list.at);
                let d = cx.report(res, at, finding.message());
                d.help(finding.help());
                if let Some(from) = from {
                    d.label(from, "value set here");
                }
            }
        }
    }
}

/// What ER401 found: a peer or advertised prefix that lies in (or covers) a range IANA's
/// special-purpose registries mark as not globally reachable.
#[derive(Debug)]
struct NotPublic<'a> {
    /// The attribute and the prefix as written.
    name: &'a str,
    value: &'a str,
    special: Special,
    ty: PeeringType,
    /// A peer prefix, with the prefix length of a session subnet (30 or 126); `None` for
    /// an advertised prefix.
    session: Option<u8>,
}

impl<'a> NotPublic<'a> {
    fn find(
        name: &'a str,
        value: &'a str,
        ty: PeeringType,
        session: Option<u8>,
    ) -> Option<NotPublic<'a>> {
        let special = classify(&parse_net(value)?)?;
        Some(NotPublic {
            name,
            value,
            special,
            ty,
            session,
        })
    }

    fn default_route(&self) -> bool {
        parse_net(self.value).is_some_and(|n| n.prefix_len() == 0)
    }

    /// A range meant for private networks, which belongs on private peering.
    fn private_use(&self) -> bool {
        ["RFC 1918", "RFC 6598", "RFC 4193"].contains(&self.special.entry.rfc)
    }

    fn message(&self) -> String {
        let (name, value, ty) = (self.name, self.value, self.ty.name());
        if self.default_route() {
            return format!(
                "`{name}` `{value}` is a default route; `{ty}` accepts neither default routes nor addresses that are not public"
            );
        }
        let how = match parse_net(value) {
            Some(n) if n.trunc() == self.special.range => "is",
            _ if self.special.inside => "is in",
            _ => "covers",
        };
        format!(
            "`{name}` `{value}` {how} {}, which is not globally reachable; `{ty}` needs public addresses",
            self.special.describe()
        )
    }

    fn help(&self) -> String {
        let (value, ty) = (self.value, self.ty.name());
        match self.session {
            Some(len) => {
                let mut help = format!(
                    "use a /{len} of public addresses registered to you (or to your provider) in an RIR or IRR for this BGP session"
                );
                if self.private_use() {
                    help.push_str("; private addresses belong on `AzurePrivatePeering`");
                }
                help
            }
            None if self.default_route() || !self.special.inside => format!(
                "replace `{value}` with the public prefixes you own; `{ty}` accepts neither default routes nor ranges that are not public"
            ),
            None => format!(
                "remove `{value}` and advertise public prefixes registered to you in an RIR or IRR instead, such as the public range your traffic is translated (NAT) to"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::NotPublic;
    use crate::model::PeeringType;

    fn find(value: &str, session: Option<u8>) -> Option<NotPublic<'_>> {
        NotPublic::find("primary_peer_address_prefix", value, PeeringType::Microsoft, session)
    }

    fn range(value: &str) -> Option<(String, bool)> {
        find(value, None).map(|f| (f.special.range.to_string(), f.special.inside))
    }

    #[test]
    fn the_former_private_ranges_and_their_edges() {
        assert_eq!(range("10.1.2.0/30"), Some(("10.0.0.0/8".into(), true)));
        assert_eq!(range("172.31.255.252/30"), Some(("172.16.0.0/12".into(), true)));
        assert_eq!(range("172.32.0.0/30"), None);
        assert_eq!(range("172.15.255.252/30"), None);
        assert_eq!(range("192.168.0.0/16"), Some(("192.168.0.0/16".into(), true)));
        assert_eq!(range("100.64.0.0/30"), Some(("100.64.0.0/10".into(), true)));
        assert_eq!(range("100.127.255.252/30"), Some(("100.64.0.0/10".into(), true)));
        assert_eq!(range("100.128.0.0/30"), None);
        assert_eq!(range("fd00:1::/126"), Some(("fc00::/7".into(), true)));
        assert_eq!(range("10.20.30.40"), Some(("10.0.0.0/8".into(), true)));
        assert_eq!(range("10.0.0.0/7"), Some(("10.0.0.0/8".into(), false)));
    }

    #[test]
    fn every_special_purpose_range_that_is_not_globally_reachable() {
        for (value, block) in [
            ("198.51.100.0/30", "198.51.100.0/24"),
            ("203.0.113.0/28", "203.0.113.0/24"),
            ("192.0.2.4/30", "192.0.2.0/24"),
            ("169.254.1.0/30", "169.254.0.0/16"),
            ("127.0.0.0/30", "127.0.0.0/8"),
            ("0.1.0.0/30", "0.0.0.0/8"),
            ("198.18.0.0/30", "198.18.0.0/15"),
            ("192.0.0.0/30", "192.0.0.0/29"),
            ("224.0.1.0/24", "224.0.0.0/4"),
            ("240.0.0.0/30", "240.0.0.0/4"),
            ("2001:db8::/126", "2001:db8::/32"),
            ("3fff::/126", "3fff::/20"),
            ("fe80::/126", "fe80::/10"),
            ("::1/128", "::1/128"),
            ("ff0e::/16", "ff00::/8"),
        ] {
            assert_eq!(range(value), Some((block.into(), true)), "{value}");
        }
        // Public, and globally reachable specifics inside special blocks.
        for value in [
            "185.64.0.0/30",
            "2a0c:9a40:1::/126",
            "192.0.0.9/32",
            "2001:20::/28",
            "2002:b940::/32",
            "198.51.101.0/30",
        ] {
            assert!(range(value).is_none(), "{value}");
        }
    }

    #[test]
    fn message_and_help_come_from_the_finding() {
        let f = find("198.51.100.4/30", Some(30)).unwrap();
        assert_eq!(
            f.message(),
            "`primary_peer_address_prefix` `198.51.100.4/30` is in `198.51.100.0/24` (Documentation (TEST-NET-2), RFC 5737, IANA IPv4 Special-Purpose Address Registry), which is not globally reachable; `MicrosoftPeering` needs public addresses"
        );
        assert_eq!(
            f.help(),
            "use a /30 of public addresses registered to you (or to your provider) in an RIR or IRR for this BGP session"
        );
        let f = find("100.64.12.0/30", Some(30)).unwrap();
        assert!(
            f.help().ends_with("; private addresses belong on `AzurePrivatePeering`"),
            "{}",
            f.help()
        );
        let f = NotPublic::find(
            "advertisedPublicPrefixes",
            "0.0.0.0/0",
            PeeringType::Public,
            None,
        )
        .unwrap();
        assert_eq!(
            f.message(),
            "`advertisedPublicPrefixes` `0.0.0.0/0` is a default route; `AzurePublicPeering` accepts neither default routes nor addresses that are not public"
        );
        assert_eq!(
            f.help(),
            "replace `0.0.0.0/0` with the public prefixes you own; `AzurePublicPeering` accepts neither default routes nor ranges that are not public"
        );
        let f = find("203.0.112.0/23", None).unwrap();
        assert_eq!(
            f.message(),
            "`primary_peer_address_prefix` `203.0.112.0/23` covers `203.0.113.0/24` (Documentation (TEST-NET-3), RFC 5737, IANA IPv4 Special-Purpose Address Registry), which is not globally reachable; `MicrosoftPeering` needs public addresses"
        );
        let f = find("fe80::/64", None).unwrap();
        assert_eq!(
            f.help(),
            "remove `fe80::/64` and advertise public prefixes registered to you in an RIR or IRR instead, such as the public range your traffic is translated (NAT) to"
        );
    }
}
