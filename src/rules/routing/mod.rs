//! ER4xx: routing requirements (facts F4.x): Microsoft peering, route filters, VLANs,
//! ASNs and BGP keys.

mod azure_public_peering;
mod hardcoded_shared_key;
mod invalid_routing_registry;
mod invalid_shared_key;
mod invalid_vlan_id;
mod microsoft_peering;
mod microsoft_peering_without_prefixes;
mod microsoft_peering_without_route_filter;
mod private_address_on_microsoft_peering;
mod private_asn_on_microsoft_peering;
mod reserved_asn;
mod route_filter_on_private_peering;
mod too_many_advertised_prefixes;

pub use azure_public_peering::AzurePublicPeering;
pub use hardcoded_shared_key::HardcodedSharedKey;
pub use invalid_routing_registry::InvalidRoutingRegistry;
pub use invalid_shared_key::InvalidSharedKey;
pub use invalid_vlan_id::InvalidVlanId;
pub use microsoft_peering_without_prefixes::MicrosoftPeeringWithoutPrefixes;
pub use microsoft_peering_without_route_filter::MicrosoftPeeringWithoutRouteFilter;
pub use private_address_on_microsoft_peering::PrivateAddressOnMicrosoftPeering;
pub use private_asn_on_microsoft_peering::PrivateAsnOnMicrosoftPeering;
pub use reserved_asn::ReservedAsn;
pub use route_filter_on_private_peering::RouteFilterOnPrivatePeering;
pub use too_many_advertised_prefixes::TooManyAdvertisedPrefixes;

pub(crate) use microsoft_peering::{PeeringType, Typed};

use crate::model::{Val, ValKind};

/// A Known number, or a string that is one (Terraform converts `"100"` for a number
/// argument); `None` for anything else.
pub(crate) fn number(v: &Val) -> Option<f64> {
    match &v.kind {
        ValKind::Number(n) => Some(*n),
        ValKind::Str(s) => {
            let s = s.trim();
            let digits = s.strip_prefix('-').unwrap_or(s);
            (!digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit() || c == '.'))
                .then(|| s.parse().ok())
                .flatten()
        }
        _ => None,
    }
}

/// The same as a whole number, when it is one.
pub(crate) fn whole(n: f64) -> Option<i128> {
    (n.is_finite() && n.fract() == 0.0 && n.abs() < 1e30).then_some(n as i128)
}
