//! Autonomous System numbers that are not an organisation's public ASN: IANA's
//! Special-Purpose AS Numbers registry and the reserved blocks of its AS Numbers
//! registries (<https://www.iana.org/assignments/iana-as-numbers-special-registry/>,
//! <https://www.iana.org/assignments/as-numbers/>), plus the ASNs Microsoft reserves for
//! ExpressRoute (expressroute-routing.md, 03/12/2026: "Microsoft uses AS 12076 for Azure
//! public, Azure private, and Microsoft peering. Microsoft reserves ASNs from 65,515 to
//! 65,520 for internal use.").
//!
//! Microsoft peering refuses the documentation ASNs in the AS path
//! (expressroute-routing.md: "AS numbers 64496 through 64511 reserved by IANA for
//! documentation purposes aren't allowed in the path").

/// What IANA sets a range aside for.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum AsnUse {
    /// "Reserved" (0, 65535, 65552–131071, 4294967295).
    Reserved,
    /// AS_TRANS, the placeholder 2-byte speakers see for a 4-byte ASN (23456).
    AsTrans,
    /// "For documentation and sample code" (64496–64511, 65536–65551).
    Documentation,
    /// "For private use" (64512–65534, 4200000000–4294967294).
    PrivateUse,
}

/// A range of the registries.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct AsnRange {
    pub first: u32,
    pub last: u32,
    pub what: AsnUse,
    /// As the registry words it.
    pub name: &'static str,
    pub rfc: &'static str,
}

impl AsnRange {
    pub fn contains(&self, asn: u64) -> bool {
        u64::from(self.first) <= asn && asn <= u64::from(self.last)
    }

    /// "64496–64511 (reserved for documentation and sample code, RFC 5398)".
    pub fn describe(&self) -> String {
        let span = if self.first == self.last {
            self.first.to_string()
        } else {
            format!("{}–{}", self.first, self.last)
        };
        format!("{span} ({}, {})", self.name, self.rfc)
    }
}

const fn r(first: u32, last: u32, what: AsnUse, name: &'static str, rfc: &'static str) -> AsnRange {
    AsnRange {
        first,
        last,
        what,
        name,
        rfc,
    }
}

/// The registries' special ranges, in numeric order.
pub const RANGES: &[AsnRange] = &[
    r(0, 0, AsnUse::Reserved, "reserved", "RFC 7607"),
    r(23456, 23456, AsnUse::AsTrans, "AS_TRANS", "RFC 6793"),
    r(
        64496,
        64511,
        AsnUse::Documentation,
        "reserved for documentation and sample code",
        "RFC 5398",
    ),
    r(
        64512,
        65534,
        AsnUse::PrivateUse,
        "reserved for private use",
        "RFC 6996",
    ),
    r(65535, 65535, AsnUse::Reserved, "reserved", "RFC 7300"),
    r(
        65536,
        65551,
        AsnUse::Documentation,
        "reserved for documentation and sample code",
        "RFC 5398",
    ),
    r(
        65552,
        131071,
        AsnUse::Reserved,
        "reserved",
        "IANA AS Numbers registry",
    ),
    r(
        4_200_000_000,
        4_294_967_294,
        AsnUse::PrivateUse,
        "reserved for private use",
        "RFC 6996",
    ),
    r(
        4_294_967_295,
        4_294_967_295,
        AsnUse::Reserved,
        "reserved",
        "RFC 7300",
    ),
];

/// The special range an ASN is in, if any. ASNs above 4294967295 are not ASNs at all and
/// get `None`, like public ones: range checks are the caller's.
pub fn classify_asn(asn: u64) -> Option<&'static AsnRange> {
    RANGES.iter().find(|r| r.contains(asn))
}

/// Whether IANA reserves the ASN for documentation (RFC 5398): 64496–64511, 65536–65551.
pub fn is_documentation(asn: u64) -> bool {
    classify_asn(asn).is_some_and(|r| r.what == AsnUse::Documentation)
}

/// Microsoft's ASN on every ExpressRoute peering.
pub const MICROSOFT_ASN: u32 = 12076;

/// The ASNs Microsoft reserves for internal use (65515–65520).
pub const MICROSOFT_RESERVED: AsnRange = r(
    65515,
    65520,
    AsnUse::PrivateUse,
    "reserved by Microsoft for internal use",
    "expressroute-routing.md",
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_ordered_and_disjoint() {
        for w in RANGES.windows(2) {
            assert!(w[0].first <= w[0].last && w[0].last < w[1].first, "{w:?}");
        }
    }

    #[test]
    fn documentation_asns_and_their_edges() {
        for a in [64496, 64500, 64511, 65536, 65551] {
            assert!(is_documentation(a), "{a}");
        }
        for a in [64495, 64512, 65535, 65552, 12076, 8075, 0] {
            assert!(!is_documentation(a), "{a}");
        }
        assert_eq!(
            classify_asn(64496).unwrap().describe(),
            "64496–64511 (reserved for documentation and sample code, RFC 5398)"
        );
    }

    #[test]
    fn the_other_special_ranges() {
        let what = |a: u64| classify_asn(a).map(|r| r.what);
        assert_eq!(what(0), Some(AsnUse::Reserved));
        assert_eq!(what(23456), Some(AsnUse::AsTrans));
        assert_eq!(what(64512), Some(AsnUse::PrivateUse));
        assert_eq!(what(65534), Some(AsnUse::PrivateUse));
        assert_eq!(what(65535), Some(AsnUse::Reserved));
        assert_eq!(what(100_000), Some(AsnUse::Reserved));
        assert_eq!(what(131_071), Some(AsnUse::Reserved));
        assert_eq!(what(4_200_000_000), Some(AsnUse::PrivateUse));
        assert_eq!(what(4_294_967_295), Some(AsnUse::Reserved));
        // public ASNs, and numbers that are not ASNs at all
        for a in [
            1,
            12076,
            8075,
            23455,
            23457,
            64495,
            131_072,
            4_199_999_999,
            4_294_967_296,
        ] {
            assert_eq!(what(a), None, "{a}");
        }
        assert!(MICROSOFT_RESERVED.contains(65515) && MICROSOFT_RESERVED.contains(65520));
        assert!(!MICROSOFT_RESERVED.contains(65514) && !MICROSOFT_RESERVED.contains(65521));
        assert_eq!(
            MICROSOFT_RESERVED.describe(),
            "65515–65520 (reserved by Microsoft for internal use, expressroute-routing.md)"
        );
    }
}
