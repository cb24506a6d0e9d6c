//! ER4xx: routing requirements (facts F4.x): Microsoft peering, route filters, VLANs,
//! ASNs and BGP keys.

mod microsoft_peering;
mod private_address_on_microsoft_peering;

pub use private_address_on_microsoft_peering::PrivateAddressOnMicrosoftPeering;
