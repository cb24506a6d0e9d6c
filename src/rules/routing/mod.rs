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
