//! ER2xx: connectivity provider and peering location (facts F2.x).

mod placeholder;

pub use placeholder::{NonPartnerProvider, ProviderNotAtLocation, UnknownPeeringLocation};
