//! IANA's IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890, RFC 8190), and the
//! multicast blocks of the IPv4 and IPv6 address-space registries: which address ranges
//! are not globally reachable, so cannot be the public addresses Microsoft peering needs
//! ("use public IP addresses that you own", expressroute-routing.md).
//!
//! The table copies the registries row for row (address block, name, RFC, and the
//! "Globally Reachable" column), as published by IANA
//! (<https://www.iana.org/assignments/iana-ipv4-special-registry/>,
//! <https://www.iana.org/assignments/iana-ipv6-special-registry/>; 25 rows each, the
//! IPv6 registry last updated 2025-10-09). The registries let a more specific entry
//! override a larger one (192.0.0.9/32 is globally reachable inside 192.0.0.0/24, which is
//! not), so [`classify`] decides by the most specific entry that holds a prefix.
//!
//! No well-kept crate does this: `std`'s `is_global` is unstable, `ipnet` has no
//! classification, and the small crates that do (`iprfc`, `ip_rfc`, `ipext`) answer for
//! addresses, not prefixes, without the registry's names.

use ipnet::IpNet;
use std::sync::OnceLock;

/// Which IANA registry an entry comes from.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Registry {
    Ipv4SpecialPurpose,
    Ipv6SpecialPurpose,
    /// The IPv4 Address Space registry's multicast block (224.0.0.0/4, RFC 5771).
    Ipv4AddressSpace,
    /// The IPv6 Address Space registry's multicast block (ff00::/8, RFC 4291).
    Ipv6AddressSpace,
}

impl Registry {
    /// The registry's name, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Registry::Ipv4SpecialPurpose => "IANA IPv4 Special-Purpose Address Registry",
            Registry::Ipv6SpecialPurpose => "IANA IPv6 Special-Purpose Address Registry",
            Registry::Ipv4AddressSpace => "IANA IPv4 Address Space Registry",
            Registry::Ipv6AddressSpace => "IANA IPv6 Address Space Registry",
        }
    }
}

/// The registry's "Globally Reachable" column.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Reachable {
    Yes,
    No,
    /// "N/A" (Teredo, 6to4) or empty (terminated allocations).
    NotApplicable,
}

/// One row of a registry.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The address block as the registry writes it.
    pub block: &'static str,
    pub name: &'static str,
    pub rfc: &'static str,
    pub registry: Registry,
    pub reachable: Reachable,
}

const fn row(
    block: &'static str,
    name: &'static str,
    rfc: &'static str,
    registry: Registry,
    reachable: Reachable,
) -> Entry {
    Entry {
        block,
        name,
        rfc,
        registry,
        reachable,
    }
}

use Reachable::{No, NotApplicable, Yes};
use Registry::{
    Ipv4AddressSpace, Ipv4SpecialPurpose as V4, Ipv6AddressSpace, Ipv6SpecialPurpose as V6,
};

/// Every row, in the registries' order.
pub const ENTRIES: &[Entry] = &[
    row("0.0.0.0/8", "\"This network\"", "RFC 791", V4, No),
    row(
        "0.0.0.0/32",
        "\"This host on this network\"",
        "RFC 1122",
        V4,
        No,
    ),
    row("10.0.0.0/8", "Private-Use", "RFC 1918", V4, No),
    row("100.64.0.0/10", "Shared Address Space", "RFC 6598", V4, No),
    row("127.0.0.0/8", "Loopback", "RFC 1122", V4, No),
    row("169.254.0.0/16", "Link Local", "RFC 3927", V4, No),
    row("172.16.0.0/12", "Private-Use", "RFC 1918", V4, No),
    row(
        "192.0.0.0/24",
        "IETF Protocol Assignments",
        "RFC 6890",
        V4,
        No,
    ),
    row(
        "192.0.0.0/29",
        "IPv4 Service Continuity Prefix",
        "RFC 7335",
        V4,
        No,
    ),
    row("192.0.0.8/32", "IPv4 dummy address", "RFC 7600", V4, No),
    row(
        "192.0.0.9/32",
        "Port Control Protocol Anycast",
        "RFC 7723",
        V4,
        Yes,
    ),
    row(
        "192.0.0.10/32",
        "Traversal Using Relays around NAT Anycast",
        "RFC 8155",
        V4,
        Yes,
    ),
    row(
        "192.0.0.170/32",
        "NAT64/DNS64 Discovery",
        "RFC 8880",
        V4,
        No,
    ),
    row(
        "192.0.0.171/32",
        "NAT64/DNS64 Discovery",
        "RFC 8880",
        V4,
        No,
    ),
    row(
        "192.0.2.0/24",
        "Documentation (TEST-NET-1)",
        "RFC 5737",
        V4,
        No,
    ),
    row("192.31.196.0/24", "AS112-v4", "RFC 7535", V4, Yes),
    row("192.52.193.0/24", "AMT", "RFC 7450", V4, Yes),
    row(
        "192.88.99.0/24",
        "Deprecated (6to4 Relay Anycast)",
        "RFC 7526",
        V4,
        NotApplicable,
    ),
    row(
        "192.88.99.2/32",
        "6a44-relay anycast address",
        "RFC 6751",
        V4,
        No,
    ),
    row("192.168.0.0/16", "Private-Use", "RFC 1918", V4, No),
    row(
        "192.175.48.0/24",
        "Direct Delegation AS112 Service",
        "RFC 7534",
        V4,
        Yes,
    ),
    row("198.18.0.0/15", "Benchmarking", "RFC 2544", V4, No),
    row(
        "198.51.100.0/24",
        "Documentation (TEST-NET-2)",
        "RFC 5737",
        V4,
        No,
    ),
    row(
        "203.0.113.0/24",
        "Documentation (TEST-NET-3)",
        "RFC 5737",
        V4,
        No,
    ),
    row("224.0.0.0/4", "Multicast", "RFC 5771", Ipv4AddressSpace, No),
    row("240.0.0.0/4", "Reserved", "RFC 1112", V4, No),
    row(
        "255.255.255.255/32",
        "Limited Broadcast",
        "RFC 8190",
        V4,
        No,
    ),
    row("::1/128", "Loopback Address", "RFC 4291", V6, No),
    row("::/128", "Unspecified Address", "RFC 4291", V6, No),
    row("::ffff:0:0/96", "IPv4-mapped Address", "RFC 4291", V6, No),
    row("64:ff9b::/96", "IPv4-IPv6 Translat.", "RFC 6052", V6, Yes),
    row("64:ff9b:1::/48", "IPv4-IPv6 Translat.", "RFC 8215", V6, No),
    row("100::/64", "Discard-Only Address Block", "RFC 6666", V6, No),
    row("100:0:0:1::/64", "Dummy IPv6 Prefix", "RFC 9780", V6, No),
    row("2001::/23", "IETF Protocol Assignments", "RFC 2928", V6, No),
    row("2001::/32", "TEREDO", "RFC 4380", V6, NotApplicable),
    row(
        "2001:1::1/128",
        "Port Control Protocol Anycast",
        "RFC 7723",
        V6,
        Yes,
    ),
    row(
        "2001:1::2/128",
        "Traversal Using Relays around NAT Anycast",
        "RFC 8155",
        V6,
        Yes,
    ),
    row(
        "2001:1::3/128",
        "DNS-SD Service Registration Protocol Anycast",
        "RFC 9665",
        V6,
        Yes,
    ),
    row("2001:2::/48", "Benchmarking", "RFC 5180", V6, No),
    row("2001:3::/32", "AMT", "RFC 7450", V6, Yes),
    row("2001:4:112::/48", "AS112-v6", "RFC 7535", V6, Yes),
    row(
        "2001:10::/28",
        "Deprecated (previously ORCHID)",
        "RFC 4843",
        V6,
        NotApplicable,
    ),
    row("2001:20::/28", "ORCHIDv2", "RFC 7343", V6, Yes),
    row(
        "2001:30::/28",
        "Drone Remote ID Protocol Entity Tags (DETs) Prefix",
        "RFC 9374",
        V6,
        Yes,
    ),
    row("2001:db8::/32", "Documentation", "RFC 3849", V6, No),
    row("2002::/16", "6to4", "RFC 3056", V6, NotApplicable),
    row(
        "2620:4f:8000::/48",
        "Direct Delegation AS112 Service",
        "RFC 7534",
        V6,
        Yes,
    ),
    row("3fff::/20", "Documentation", "RFC 9637", V6, No),
    row(
        "5f00::/16",
        "Segment Routing (SRv6) SIDs",
        "RFC 9602",
        V6,
        No,
    ),
    row("fc00::/7", "Unique-Local", "RFC 4193", V6, No),
    row("fe80::/10", "Link-Local Unicast", "RFC 4291", V6, No),
    row("ff00::/8", "Multicast", "RFC 4291", Ipv6AddressSpace, No),
];

/// How a prefix meets a range that is not globally reachable.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Special {
    pub range: IpNet,
    pub entry: &'static Entry,
    /// The prefix lies inside the range; else it covers it (`0.0.0.0/0`, `192.0.0.0/16`).
    pub inside: bool,
}

impl Special {
    /// "`192.0.2.0/24` (Documentation (TEST-NET-1), RFC 5737, IANA IPv4 Special-Purpose
    /// Address Registry)".
    pub fn describe(&self) -> String {
        format!(
            "`{}` ({}, {}, {})",
            self.range,
            self.entry.name,
            self.entry.rfc,
            self.entry.registry.name()
        )
    }
}

fn parsed() -> &'static [(IpNet, &'static Entry)] {
    static P: OnceLock<Vec<(IpNet, &'static Entry)>> = OnceLock::new();
    P.get_or_init(|| {
        ENTRIES
            .iter()
            .filter_map(|e| e.block.parse::<IpNet>().ok().map(|n| (n, e)))
            .collect()
    })
}

/// The range that is not globally reachable which a prefix lies in (decided by the most
/// specific registry entry holding it), else the first such range the prefix covers.
/// `None` for a prefix whose addresses are all globally reachable as far as these
/// registries say, and for ranges whose reachability is "N/A" (Teredo, 6to4).
pub fn classify(net: &IpNet) -> Option<Special> {
    let net = net.trunc();
    let holder = parsed()
        .iter()
        .filter(|(range, _)| range.contains(&net))
        .max_by_key(|(range, _)| range.prefix_len());
    if let Some((range, entry)) = holder
        && entry.reachable == No
    {
        return Some(Special {
            range: *range,
            entry,
            inside: true,
        });
    }
    parsed()
        .iter()
        .find(|(range, entry)| entry.reachable == No && *range != net && net.contains(range))
        .map(|(range, entry)| Special {
            range: *range,
            entry,
            inside: false,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str) -> Option<(String, &'static str, bool)> {
        classify(&s.parse().unwrap()).map(|x| (x.range.to_string(), x.entry.name, x.inside))
    }

    #[test]
    fn every_row_parses_and_is_a_network_address() {
        assert_eq!(parsed().len(), ENTRIES.len());
        for (net, e) in parsed() {
            assert_eq!(net.trunc(), *net, "{}", e.block);
        }
        let v4 = ENTRIES.iter().filter(|e| e.registry == V4).count();
        let v6 = ENTRIES.iter().filter(|e| e.registry == V6).count();
        // the registries have 25 rows each; 192.0.0.170/32 and .171/32 share one row
        assert_eq!((v4, v6), (26, 25));
    }

    #[test]
    fn the_ranges_the_issue_names_are_not_global() {
        for (p, range, name) in [
            ("0.1.2.0/24", "0.0.0.0/8", "\"This network\""),
            ("127.0.0.1/32", "127.0.0.0/8", "Loopback"),
            ("169.254.10.0/30", "169.254.0.0/16", "Link Local"),
            ("192.0.0.0/24", "192.0.0.0/24", "IETF Protocol Assignments"),
            ("192.0.2.0/30", "192.0.2.0/24", "Documentation (TEST-NET-1)"),
            ("198.19.0.0/30", "198.18.0.0/15", "Benchmarking"),
            (
                "198.51.100.4/30",
                "198.51.100.0/24",
                "Documentation (TEST-NET-2)",
            ),
            (
                "203.0.113.0/28",
                "203.0.113.0/24",
                "Documentation (TEST-NET-3)",
            ),
            ("239.1.1.0/24", "224.0.0.0/4", "Multicast"),
            ("250.0.0.0/8", "240.0.0.0/4", "Reserved"),
            (
                "255.255.255.255/32",
                "255.255.255.255/32",
                "Limited Broadcast",
            ),
            ("10.1.0.0/30", "10.0.0.0/8", "Private-Use"),
            ("100.100.0.0/30", "100.64.0.0/10", "Shared Address Space"),
            ("::1/128", "::1/128", "Loopback Address"),
            ("fe80::/126", "fe80::/10", "Link-Local Unicast"),
            ("2001:db8:1::/126", "2001:db8::/32", "Documentation"),
            ("3fff:1::/48", "3fff::/20", "Documentation"),
            ("fd12:3456::/48", "fc00::/7", "Unique-Local"),
            ("ff02::1/128", "ff00::/8", "Multicast"),
            ("2001:2::/64", "2001:2::/48", "Benchmarking"),
            ("2001:5::/32", "2001::/23", "IETF Protocol Assignments"),
        ] {
            assert_eq!(c(p), Some((range.to_string(), name, true)), "{p}");
        }
    }

    #[test]
    fn the_most_specific_entry_decides() {
        // globally reachable inside non-global blocks
        assert_eq!(c("192.0.0.9/32"), None);
        assert_eq!(c("192.0.0.10/32"), None);
        assert_eq!(c("2001:1::1/128"), None);
        assert_eq!(c("2001:20::/32"), None);
        assert_eq!(c("64:ff9b::/96"), None);
        // a more specific non-global entry names itself
        assert_eq!(
            c("192.0.0.8/32"),
            Some(("192.0.0.8/32".into(), "IPv4 dummy address", true))
        );
        assert_eq!(
            c("0.0.0.0/32"),
            Some(("0.0.0.0/32".into(), "\"This host on this network\"", true))
        );
        assert_eq!(
            c("192.88.99.2/32"),
            Some(("192.88.99.2/32".into(), "6a44-relay anycast address", true))
        );
        // "N/A" is not "not globally reachable"
        assert_eq!(c("2002:c000:204::/48"), None);
        assert_eq!(c("2001:0:1::/48"), None);
        assert_eq!(c("192.88.99.128/30"), None);
        // …but a prefix there that covers a non-global entry is reported
        assert_eq!(
            c("192.88.99.0/30"),
            Some(("192.88.99.2/32".into(), "6a44-relay anycast address", false))
        );
    }

    #[test]
    fn public_prefixes_and_their_neighbours_are_not_special() {
        for p in [
            "8.8.8.0/24",
            "1.0.0.0/8",
            "11.0.0.0/8",
            "100.63.255.252/30",
            "100.128.0.0/30",
            "172.32.0.0/30",
            "192.0.1.0/24",
            "192.0.3.0/24",
            "198.17.255.252/30",
            "198.20.0.0/30",
            "198.51.99.0/24",
            "203.0.112.0/24",
            "203.0.114.0/24",
            "223.255.255.0/24",
            "2a01:111::/32",
            "2001:4860::/32",
            "3ffe::/16",
            "4000::/4",
        ] {
            assert_eq!(c(p), None, "{p}");
        }
    }

    #[test]
    fn a_prefix_covering_a_non_global_range_is_reported_as_covering() {
        assert_eq!(
            c("0.0.0.0/0"),
            Some(("0.0.0.0/8".into(), "\"This network\"", false))
        );
        assert_eq!(
            c("192.0.0.0/16"),
            Some(("192.0.0.0/24".into(), "IETF Protocol Assignments", false))
        );
        assert_eq!(
            c("203.0.112.0/23"),
            Some(("203.0.113.0/24".into(), "Documentation (TEST-NET-3)", false))
        );
        assert_eq!(
            c("::/0"),
            Some(("::1/128".into(), "Loopback Address", false))
        );
        // host bits are ignored, as Azure ignores them for the range
        assert_eq!(
            c("10.0.0.1/8"),
            Some(("10.0.0.0/8".into(), "Private-Use", true))
        );
    }

    #[test]
    fn describe_names_the_registry() {
        let s = classify(&"198.51.100.0/30".parse().unwrap()).unwrap();
        assert_eq!(
            s.describe(),
            "`198.51.100.0/24` (Documentation (TEST-NET-2), RFC 5737, IANA IPv4 Special-Purpose Address Registry)"
        );
        let s = classify(&"ff05::/16".parse().unwrap()).unwrap();
        assert!(s.describe().contains("IANA IPv6 Address Space Registry"));
    }
}
