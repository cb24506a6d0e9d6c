//! ER4xx: routing requirements (facts F4.x): Microsoft peering, route filters, VLANs,
//! ASNs and BGP keys.
