//! ER301 single-bgp-session
use super::prefix::{parse_prefix, sibling};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags an ExpressRoute peering that would run a single BGP session: a primary peer
    /// prefix without a secondary (or the reverse), for IPv4 or IPv6, or a peering with no
    /// session pair at all.
    ///
    /// ## Why is this bad?
    /// Every ExpressRoute circuit is two links to two Microsoft Enterprise Edge routers, and
    /// every peering is a *pair* of BGP sessions, one per link. Microsoft requires both
    /// sessions even when you have only one physical connection (the two sessions can share
    /// it as two VLAN-tagged virtual circuits), and the availability SLA applies only when
    /// both are up. Router redundancy protocols such as HSRP or VRRP are not supported as a
    /// substitute. A single /29 given as the primary prefix is the classic form of this
    /// mistake: Azure expects the /29 split into two /30s, one per session.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_express_route_circuit_peering" "private" {   # ER301
    ///   peering_type                = "AzurePrivatePeering"
    ///   express_route_circuit_name  = azurerm_express_route_circuit.main.name
    ///   resource_group_name         = azurerm_resource_group.main.name
    ///   peer_asn                    = 65010
    ///   vlan_id                     = 100
    ///   primary_peer_address_prefix = "172.16.0.0/30"
    /// }
    /// ```
    /// ```json
    /// {
    ///   "type": "Microsoft.Network/expressRouteCircuits/peerings",
    ///   "name": "er-circuit/AzurePrivatePeering",
    ///   "properties": {
    ///     "peeringType": "AzurePrivatePeering",
    ///     "peerASN": 65010,
    ///     "vlanId": 100,
    ///     "primaryPeerAddressPrefix": "172.16.0.0/30"
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Give both halves: `primary_peer_address_prefix` and `secondary_peer_address_prefix`
    /// (`primaryPeerAddressPrefix` and `secondaryPeerAddressPrefix` in ARM), two distinct /30s
    /// for IPv4, typically the two halves of one /29 (`172.16.0.0/30` and `172.16.0.4/30`),
    /// and two /126s for IPv6. Configure both BGP sessions on your routers, even over one
    /// physical link.
    ///
    /// ## References
    /// - [ExpressRoute prerequisites: redundancy](https://learn.microsoft.com/azure/expressroute/expressroute-prerequisites)
    /// - [ExpressRoute FAQ: one physical link, two BGP sessions](https://learn.microsoft.com/azure/expressroute/expressroute-faqs)
    /// - [ExpressRoute routing requirements: IP addresses used for peerings](https://learn.microsoft.com/azure/expressroute/expressroute-routing)
    /// - [ExpressRoute circuits and peering](https://learn.microsoft.com/azure/expressroute/expressroute-circuit-peerings)
    pub struct SingleBgpSession {
        id: "ER301",
        name: "single-bgp-session",
        severity: Error,
        kinds: [Peering],
        schemas: [Azurerm, Arm],
        since: "0.1.0",
        flags: "a peering with one BGP session instead of the primary + secondary pair",
    }
}

/// What one family's pair looks like.
enum Pair {
    /// Neither prefix set.
    None,
    /// Both set (or undecidable).
    Complete,
    /// One set, the other not: reported.
    Missing,
}

impl Rule for SingleBgpSession {
    fn check_resource(&self, cx: &mut Ctx<'_>, _model: &Model, res: &Resource) {
        let ipv4 = if ipv4_disabled(res) {
            Pair::None
        } else {
            check_family(cx, res, &attr::FAMILIES[0])
        };
        let ipv6 = match cx.get(res, &attr::IPV6) {
            Lookup::Absent { .. } => Pair::None,
            Lookup::Unknown { .. } => Pair::Complete,
            Lookup::Known(_) => check_family(cx, res, &attr::FAMILIES[1]),
        };
        if matches!((ipv4, ipv6), (Pair::None, Pair::None)) {
            let ty = res.peering_type();
            let what = match ty.found().and_then(|f| f.as_str()) {
                Some(t) => format!("peering `{t}`"),
                None => "peering".to_string(),
            };
            cx.report(res, res.header, format!("{what} has no BGP session pair: no primary or secondary peer address prefix"))
                .help(format!(
                    "set `{}` and `{}` to two distinct /30s (for example the two halves of a /29), or an IPv6 pair of /126s",
                    res.attr_name(&attr::PRIMARY_PREFIX),
                    res.attr_name(&attr::SECONDARY_PREFIX)
                ));
        }
    }
}

/// Terraform's `ipv4_enabled = false` turns the IPv4 pair off (it then needs no prefixes).
fn ipv4_disabled(res: &Resource) -> bool {
    matches!(res.get(&attr::IPV4_ENABLED), Lookup::Known(f) if f.val.as_bool() == Some(false))
}

fn check_family(cx: &mut Ctx<'_>, res: &Resource, fam: &'static Family) -> Pair {
    let primary = cx.get(res, fam.primary);
    let secondary = cx.get(res, fam.secondary);
    match (&primary, &secondary) {
        (Lookup::Unknown { .. }, _) | (_, Lookup::Unknown { .. }) => Pair::Complete,
        (Lookup::Absent { .. }, Lookup::Absent { .. }) => Pair::None,
        (Lookup::Known(_), Lookup::Known(_)) => Pair::Complete,
        (Lookup::Known(p), Lookup::Absent { at, written, from }) => {
            report_missing(cx, res, fam, p, (*at, *written, *from), true);
            Pair::Missing
        }
        (Lookup::Absent { at, written, from }, Lookup::Known(s)) => {
            report_missing(cx, res, fam, s, (*at, *written, *from), false);
            Pair::Missing
        }
    }
}

fn report_missing(
    cx: &mut Ctx<'_>,
    res: &Resource,
    fam: &'static Family,
    present: &Found<'_>,
    (at, written, null_from): (Span, bool, Option<Span>),
    missing_secondary: bool,
) {
    let (have, miss) = if missing_secondary {
        (fam.primary, fam.secondary)
    } else {
        (fam.secondary, fam.primary)
    };
    let finding = OneSession {
        family: fam,
        have,
        miss,
        value: present.val.to_string(),
        null: written,
        missing_secondary,
        spelling: Spelling::of(res),
    };
    let second = finding.fix(present, (at, written, null_from));
    let (have, miss) = (res.attr_name(have), res.attr_name(miss));
    let d = cx.report(res, at, finding.message());
    d.help(finding.help()).fix(second);
    d.label(present.at, format!("only `{have}` is set"));
    if let Some(from) = present.from {
        d.label(from, "value set here");
    }
    if let Some(from) = null_from {
        // With both values set elsewhere, say which label is which.
        let text = match present.from {
            Some(_) => format!("`{miss}` set to null here"),
            None => "value set here".to_string(),
        };
        d.label(from, text);
    }
}

/// What ER301 found: one prefix of a family's pair without the other.
#[derive(Debug)]
struct OneSession {
    family: &'static Family,
    /// The prefix that is set (with its value) and the one that is not (`null`: set to
    /// null rather than left out).
    have: &'static Attr,
    miss: &'static Attr,
    value: String,
    null: bool,
    missing_secondary: bool,
    spelling: Spelling,
}

impl OneSession {
    fn net(&self) -> Option<ipnet::IpNet> {
        parse_prefix(&self.value).ok()
    }

    /// The set prefix is the /29 (/125) that should hold both sessions.
    fn whole_block(&self) -> bool {
        self.net()
            .is_some_and(|n| n.prefix_len() + 1 == self.family.session_len)
    }

    fn message(&self) -> String {
        let sp = self.spelling;
        let (have, miss, value) = (sp.name(self.have), sp.name(self.miss), &self.value);
        let how = if self.null { "is null" } else { "is not set" };
        let fam = self.family.name;
        if self.whole_block() && self.missing_secondary {
            format!(
                "{fam} peering has one BGP session: `{have}` is the whole block `{value}` and `{miss}` {how}"
            )
        } else {
            format!("{fam} peering has one BGP session: `{have}` is `{value}` but `{miss}` {how}")
        }
    }

    /// The suggested prefixes: the set one's new value (when it is the whole block, its
    /// first half) and the missing one's (the other half).
    fn suggested(&self) -> Option<(Option<ipnet::IpNet>, ipnet::IpNet)> {
        let net = self.net()?;
        let len = self.family.session_len;
        if self.whole_block() {
            let halves: Vec<ipnet::IpNet> = net.trunc().subnets(len).ok()?.collect();
            return match halves.as_slice() {
                [a, b] => Some((Some(*a), *b)),
                _ => None,
            };
        }
        let other = sibling(&net).filter(|_| net.prefix_len() == len)?;
        Some((None, other))
    }

    fn help(&self) -> String {
        let sp = self.spelling;
        let len = self.family.session_len;
        let second = format!(
            "set `{}` to a second /{len} for the other BGP session",
            sp.name(self.miss)
        );
        match self.suggested() {
            Some((Some(a), b)) => format!(
                "split the block into two /{len}s: {}, one per BGP session",
                sp.assignments(&[
                    Edit::set(self.have, a.to_string()),
                    Edit::set(self.miss, b.to_string()),
                ])
            ),
            Some((None, other)) => format!(
                "{second}, for example `{other}` (the other half of the same /{})",
                len - 1
            ),
            None => second,
        }
    }

    /// The suggested prefixes written in (unsafe: the second session's prefix must be the
    /// one agreed with the provider): where the missing one is written as null, in its
    /// place; where it is left out, beside the set one, when that is a literal in the
    /// resource (a value passed in may differ between instances).
    fn fix(
        &self,
        present: &Found<'_>,
        (at, null, null_from): (Span, bool, Option<Span>),
    ) -> Option<Fix> {
        let (have, miss) = self.suggested()?;
        let mut edits = Vec::new();
        if let Some(h) = have {
            edits.push(rewrite(present.val, h.to_string()));
        }
        let second = miss.to_string();
        edits.push(if null {
            null_from.is_none().then_some(ValueEdit::Replace {
                at,
                old: None,
                new: second,
            })
        } else {
            let key = self.spelling.name(self.miss).rsplit('.').next();
            match (present.from, present.val.as_str(), key) {
                (None, Some(reads), Some(key)) => Some(ValueEdit::Insert {
                    beside: present.at,
                    beside_reads: reads.to_string(),
                    key: key.to_string(),
                    value: second,
                }),
                _ => None,
            }
        });
        fix(Applicability::Unsafe, edits)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn message_and_help_come_from_the_finding() {
        use super::OneSession;
        use crate::model::schema::FAMILIES;
        use crate::model::{Schema, Syntax};
        use crate::render::Spelling;
        let v4 = &FAMILIES[0];
        let block = OneSession {
            family: v4,
            have: v4.primary,
            miss: v4.secondary,
            value: "10.0.0.0/29".into(),
            null: false,
            missing_secondary: true,
            spelling: Spelling::new(Schema::Azurerm, Syntax::Hcl),
        };
        assert_eq!(
            block.message(),
            "IPv4 peering has one BGP session: `primary_peer_address_prefix` is the whole block `10.0.0.0/29` and `secondary_peer_address_prefix` is not set"
        );
        assert_eq!(
            block.help(),
            "split the block into two /30s: `primary_peer_address_prefix = \"10.0.0.0/30\"` and `secondary_peer_address_prefix = \"10.0.0.4/30\"`, one per BGP session"
        );
        let bicep = OneSession {
            spelling: Spelling::new(Schema::Arm, Syntax::Bicep),
            ..block
        };
        assert_eq!(
            bicep.help(),
            "split the block into two /30s: `primaryPeerAddressPrefix: '10.0.0.0/30'` and `secondaryPeerAddressPrefix: '10.0.0.4/30'`, one per BGP session"
        );
        let v6 = &FAMILIES[1];
        let one = OneSession {
            family: v6,
            have: v6.secondary,
            miss: v6.primary,
            value: "2001:db8::4/126".into(),
            null: true,
            missing_secondary: false,
            spelling: Spelling::new(Schema::Arm, Syntax::Json),
        };
        assert_eq!(
            one.message(),
            "IPv6 peering has one BGP session: `ipv6PeeringConfig.secondaryPeerAddressPrefix` is `2001:db8::4/126` but `ipv6PeeringConfig.primaryPeerAddressPrefix` is null"
        );
        assert_eq!(
            one.help(),
            "set `ipv6PeeringConfig.primaryPeerAddressPrefix` to a second /126 for the other BGP session, for example `2001:db8::/126` (the other half of the same /125)"
        );
    }
}
