//! ER4xx: routing requirements (facts F4.x): Microsoft peering, route filters, VLANs,
//! ASNs and BGP keys.

mod azure_public_peering;
mod invalid_routing_registry;
mod microsoft_peering;
mod microsoft_peering_without_prefixes;
mod microsoft_peering_without_route_filter;
mod private_address_on_microsoft_peering;
mod route_filter_on_private_peering;
mod too_many_advertised_prefixes;

pub use azure_public_peering::AzurePublicPeering;
pub use invalid_routing_registry::InvalidRoutingRegistry;
pub use microsoft_peering_without_prefixes::MicrosoftPeeringWithoutPrefixes;
pub use microsoft_peering_without_route_filter::MicrosoftPeeringWithoutRouteFilter;
pub use private_address_on_microsoft_peering::PrivateAddressOnMicrosoftPeering;
pub use route_filter_on_private_peering::RouteFilterOnPrivatePeering;
pub use too_many_advertised_prefixes::TooManyAdvertisedPrefixes;
