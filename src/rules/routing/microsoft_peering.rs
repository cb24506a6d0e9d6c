//! What the ER4xx Microsoft-peering rules share: whether a family's BGP sessions are
//! configured, and the non-public address ranges. (The peering type and the address
//! families are model facts: [`PeeringType`], [`attr::FAMILIES`].)

use crate::rules::bgp::prefix::parse_prefix;
use crate::rules::prelude::*;
use ipnet::IpNet;
use std::net::IpAddr;

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum Sessions {
    /// A primary or secondary prefix is set and the family is not turned off.
    Configured,
    /// No prefix, or the family is turned off.
    Off,
    /// Depends on a value that is not known statically.
    Undecided,
}

/// A Known value that counts as set: azurerm treats an empty string as unset.
pub(crate) fn is_set(f: &Found<'_>) -> bool {
    f.as_str().is_none_or(|s| !s.trim().is_empty())
}

/// Whether `fam`'s sessions are configured on `res`: Terraform's `ipv4_enabled = false`,
/// a missing `ipv6` block / `ipv6PeeringConfig`, or an IPv6 family that is disabled
/// (`enabled = false`, `"state": "Disabled"`) turn a family off.
pub(crate) fn sessions(cx: &mut Ctx<'_>, res: &Resource, fam: &Family) -> Sessions {
    let switch = if !fam.v6 {
        cx.get(res, &attr::IPV4_ENABLED)
    } else {
        match cx.get(res, &attr::IPV6) {
            Lookup::Absent { .. } => return Sessions::Off,
            Lookup::Unknown { .. } => return Sessions::Undecided,
            Lookup::Known(_) => cx.get(res, &attr::IPV6_ENABLED),
        }
    };
    match &switch {
        Lookup::Unknown { .. } => return Sessions::Undecided,
        Lookup::Known(f)
            if f.val.as_bool() == Some(false)
                || f.as_str()
                    .is_some_and(|s| s.eq_ignore_ascii_case("Disabled")) =>
        {
            return Sessions::Off;
        }
        _ => {}
    }
    let mut undecided = false;
    for attr in [fam.primary, fam.secondary] {
        match cx.get(res, attr) {
            Lookup::Known(f) if is_set(&f) => return Sessions::Configured,
            Lookup::Unknown { .. } => undecided = true,
            _ => {}
        }
    }
    if undecided {
        Sessions::Undecided
    } else {
        Sessions::Off
    }
}

/// Address ranges that are not public: Microsoft and Azure public peering reject them.
const NON_PUBLIC: [(&str, &str); 5] = [
    ("10.0.0.0/8", "RFC 1918 private"),
    ("172.16.0.0/12", "RFC 1918 private"),
    ("192.168.0.0/16", "RFC 1918 private"),
    ("100.64.0.0/10", "RFC 6598 shared"),
    ("fc00::/7", "RFC 4193 unique local"),
];

/// How a prefix meets a non-public range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct NonPublic {
    /// The range, `10.0.0.0/8`.
    pub range: IpNet,
    /// `RFC 1918 private`.
    pub what: &'static str,
    /// The prefix lies inside the range (else it covers it, like `0.0.0.0/0`).
    pub inside: bool,
}

/// The first non-public range that `net` lies in or covers.
pub(crate) fn non_public(net: &IpNet) -> Option<NonPublic> {
    NON_PUBLIC.iter().find_map(|(range, what)| {
        let range: IpNet = range.parse().ok()?;
        if range.contains(net) {
            Some(NonPublic {
                range,
                what,
                inside: true,
            })
        } else if net.contains(&range) {
            Some(NonPublic {
                range,
                what,
                inside: false,
            })
        } else {
            None
        }
    })
}

/// A prefix as Azure takes it (`address/length`), or a bare address as a host prefix.
pub(crate) fn parse_net(s: &str) -> Option<IpNet> {
    let s = s.trim();
    if s.contains('/') {
        parse_prefix(s).ok()
    } else {
        s.parse::<IpAddr>().ok().map(IpNet::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn np(s: &str) -> Option<(String, bool)> {
        non_public(&parse_net(s).unwrap()).map(|n| (n.range.to_string(), n.inside))
    }

    #[test]
    fn non_public_ranges_and_their_edges() {
        assert_eq!(np("10.1.2.0/30"), Some(("10.0.0.0/8".into(), true)));
        assert_eq!(
            np("172.31.255.252/30"),
            Some(("172.16.0.0/12".into(), true))
        );
        assert_eq!(np("172.32.0.0/30"), None);
        assert_eq!(np("172.15.255.252/30"), None);
        assert_eq!(np("192.168.0.0/16"), Some(("192.168.0.0/16".into(), true)));
        assert_eq!(np("100.64.0.0/30"), Some(("100.64.0.0/10".into(), true)));
        assert_eq!(
            np("100.127.255.252/30"),
            Some(("100.64.0.0/10".into(), true))
        );
        assert_eq!(np("100.128.0.0/30"), None);
        assert_eq!(np("fd00:1::/126"), Some(("fc00::/7".into(), true)));
        assert_eq!(np("fe80::/126"), None);
        assert_eq!(np("2001:db8::/126"), None);
        assert_eq!(np("203.0.113.0/24"), None);
        assert_eq!(np("0.0.0.0/0"), Some(("10.0.0.0/8".into(), false)));
        assert_eq!(np("10.0.0.0/7"), Some(("10.0.0.0/8".into(), false)));
        assert_eq!(np("10.20.30.40"), Some(("10.0.0.0/8".into(), true)));
    }

    #[test]
    fn peering_types_match_case_insensitively() {
        assert_eq!(
            PeeringType::parse("microsoftpeering"),
            Some(PeeringType::Microsoft)
        );
        assert_eq!(
            PeeringType::parse("er-1/AzurePublicPeering"),
            Some(PeeringType::Public)
        );
        assert_eq!(PeeringType::parse("Private"), None);
    }
}
