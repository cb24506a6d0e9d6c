//! Reference data the rules look up, outside the partner/location catalogue: IANA's
//! special-purpose address and AS number registries, and Microsoft's BGP service
//! communities. Each module says where its table comes from.

pub mod asn;
pub mod communities;
pub mod special_addresses;
