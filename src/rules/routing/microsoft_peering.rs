//! What the ER4xx Microsoft-peering rules share: whether a family's BGP sessions are
//! configured, and reading a prefix. (The peering type and the address families are model
//! facts: [`PeeringType`], [`attr::FAMILIES`]; the ranges that are not public are
//! [`crate::reference::special_addresses`].)

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

    #[test]
    fn prefixes_and_bare_addresses_parse() {
        assert_eq!(parse_net(" 185.64.0.0/30 "), "185.64.0.0/30".parse().ok());
        assert_eq!(parse_net("185.64.0.1"), "185.64.0.1/32".parse().ok());
        assert_eq!(parse_net("2a0c:9a40::1"), "2a0c:9a40::1/128".parse().ok());
        assert_eq!(parse_net("not a prefix"), None);
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
