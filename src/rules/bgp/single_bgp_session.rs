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

fn check_family(cx: &mut Ctx<'_>, res: &Resource, fam: &Family) -> Pair {
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
    fam: &Family,
    present: &Found<'_>,
    (at, written, null_from): (Span, bool, Option<Span>),
    missing_secondary: bool,
) {
    let (have_attr, miss_attr) = if missing_secondary {
        (fam.primary, fam.secondary)
    } else {
        (fam.secondary, fam.primary)
    };
    let have = res.attr_name(have_attr);
    let miss = res.attr_name(miss_attr);
    let value = present.val.to_string();
    let net = parse_prefix(&value).ok();
    let is_whole_block = net.is_some_and(|n| n.prefix_len() + 1 == fam.session_len);
    let how = if written { "is null" } else { "is not set" };
    let message = if is_whole_block && missing_secondary {
        format!(
            "{} peering has one BGP session: `{have}` is the whole block `{value}` and `{miss}` {how}",
            fam.name
        )
    } else {
        format!(
            "{} peering has one BGP session: `{have}` is `{value}` but `{miss}` {how}",
            fam.name
        )
    };
    let help = match net {
        Some(n) if is_whole_block => match n
            .trunc()
            .subnets(fam.session_len)
            .ok()
            .map(|s| s.collect::<Vec<_>>())
        {
            Some(halves) if halves.len() == 2 => format!(
                "split the block into two /{}s: {}, one per BGP session",
                fam.session_len,
                Spelling::of(res).assignments(&[
                    Edit::set(have_attr, halves[0].to_string()),
                    Edit::set(miss_attr, halves[1].to_string()),
                ])
            ),
            _ => format!(
                "set `{miss}` to a second /{} for the other BGP session",
                fam.session_len
            ),
        },
        Some(n) if n.prefix_len() == fam.session_len => match sibling(&n) {
            Some(other) => format!(
                "set `{miss}` to a second /{} for the other BGP session, for example `{other}` (the other half of the same /{})",
                fam.session_len,
                fam.session_len - 1
            ),
            None => format!(
                "set `{miss}` to a second /{} for the other BGP session",
                fam.session_len
            ),
        },
        _ => format!(
            "set `{miss}` to a second /{} for the other BGP session",
            fam.session_len
        ),
    };
    let d = cx.report(res, at, message);
    d.help(help);
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
