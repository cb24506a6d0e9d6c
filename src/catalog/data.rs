//! The catalogue's data types: what `rules/catalog.json` holds. `build.rs` includes this
//! file too: it reads the JSON once at build time into [`Data`] and writes the binary form
//! (postcard) that the program embeds and decodes instead of parsing the JSON at run time.
//! Nothing here may use the rest of the crate; the types' methods are in `mod.rs`.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// An Azure cloud with its own ExpressRoute locations and partners.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Cloud {
    /// The public cloud (Terraform `environment = "public"`).
    Global,
    /// Azure US Government (`usgovernment`).
    UsGovernment,
    /// Azure China, operated by 21Vianet (`china`).
    China,
}

/// A connectivity partner: a name that is valid as a circuit's service provider.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Partner {
    /// Canonical name, as the docs' locations table writes it.
    pub name: String,
    /// Other spellings of the same name in the docs ("AT&T Netbond").
    #[serde(default)]
    pub spellings: Vec<String>,
    /// Older names ("Telia Carrier").
    #[serde(default)]
    pub former_names: Vec<String>,
    /// The cloud exchange this partner name stands for, if it is one.
    #[serde(default)]
    pub exchange: Option<String>,
    /// Peering locations per cloud (Metro locations included).
    #[serde(default)]
    pub locations: BTreeMap<Cloud, Vec<String>>,
    /// Metro locations where it is listed but not yet active.
    #[serde(default)]
    pub metro_future: Vec<String>,
    /// Which tables list it (`locations`, `metro`, `extra`).
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// A cloud exchange provider, and the partner names it is listed under.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Exchange {
    pub name: String,
    #[serde(default)]
    pub doc_name: String,
    pub partner_names: Vec<String>,
}

/// Standard peering location or ExpressRoute Metro location.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LocationKind {
    Standard,
    Metro,
}

/// One entry of the "Exchange" column of the docs' additional-providers table: what a
/// carrier hands its customers' traffic to at a location.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub struct Route {
    /// As the table printed it ("Level3").
    pub listed_as: String,
    /// The partner name a circuit would be ordered under ("Level 3 Communications").
    pub partner: String,
    /// Whether it is one of the exchange providers the docs list ("Connectivity through
    /// Exchange providers"). The table also names a few partners that are not
    /// (BICS, euNetworks, Level 3 Communications, Tata Communications): the partner the
    /// carrier hands off to at that location, not an exchange for other carriers.
    #[serde(default)]
    pub exchange_provider: bool,
}

/// A non-partner carrier at one location, and the exchanges it reaches Microsoft through.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct CarrierAt {
    pub name: String,
    /// Partner names of the exchanges (as the circuit's service provider would name them).
    pub via: Vec<String>,
    /// The same, one entry per exchange as the table lists it.
    #[serde(default)]
    pub routes: Vec<Route>,
}

/// A peering location of one cloud.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Location {
    pub name: String,
    pub cloud: Cloud,
    pub kind: LocationKind,
    /// For a Metro location: its city ("Amsterdam" for "Amsterdam Metro").
    #[serde(default)]
    pub metro_of: Option<String>,
    /// Pricing zone (1–4); none for the national clouds.
    #[serde(default)]
    pub zone: Option<u8>,
    /// From Microsoft's geopolitical-region table.
    #[serde(default)]
    pub geopolitical_region: Option<String>,
    /// Derived (same city, or Local regions) where that table predates the location.
    #[serde(default)]
    pub geopolitical_region_derived: Option<String>,
    /// Azure regions an ExpressRoute Local circuit here reaches (empty: no Local SKU).
    #[serde(default)]
    pub local_azure_regions: Vec<String>,
    #[serde(default)]
    pub er_direct: bool,
    #[serde(default)]
    pub facilities: Vec<String>,
    /// Canonical partner names.
    #[serde(default)]
    pub partners: Vec<String>,
    /// Metro: partners listed but not yet active.
    #[serde(default)]
    pub partners_future: Vec<String>,
    /// The partners here that are cloud exchanges.
    #[serde(default)]
    pub exchanges: Vec<String>,
    /// Non-partner carriers that reach Microsoft here through exchanges.
    #[serde(default)]
    pub carriers: Vec<CarrierAt>,
}

/// One place where a non-partner carrier reaches Microsoft.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct CarrierListing {
    pub location: String,
    /// False for sites that are not peering locations (Hamburg, Slough).
    #[serde(default)]
    pub peering_location: bool,
    pub via: Vec<String>,
    #[serde(default)]
    pub routes: Vec<Route>,
}

/// A carrier from the docs' "additional service providers" table: not valid as a
/// circuit's service provider by itself; the circuit is ordered from the exchange.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Carrier {
    pub name: String,
    /// The same name is also a partner (somewhere).
    #[serde(default)]
    pub partner: Option<String>,
    /// A partner with a similar name (the docs do not say they are the same company).
    #[serde(default)]
    pub possibly_same_as: Option<String>,
    pub listings: Vec<CarrierListing>,
}

/// An Azure region (display name).
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct AzureRegion {
    pub name: String,
    pub cloud: Cloud,
    #[serde(default)]
    pub geopolitical_region: Option<String>,
    #[serde(default)]
    pub geopolitical_region_derived: Option<String>,
    /// Peering locations whose Local SKU reaches this region.
    #[serde(default)]
    pub local_for: Vec<String>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct GeopoliticalRegion {
    pub name: String,
    pub cloud: Cloud,
    #[serde(default)]
    pub azure_regions: Vec<String>,
    #[serde(default)]
    pub peering_locations: Vec<String>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct Bandwidths {
    /// Bandwidths of provider circuits (`bandwidth_in_mbps`).
    pub provider_circuit_mbps: Vec<u32>,
    #[serde(default)]
    pub api_offer_names: Vec<String>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct Direct {
    pub port_bandwidths_gbps: Vec<u32>,
    /// Port size (Gbps, as a string key) → circuit sizes allowed on it.
    pub circuit_bandwidths_gbps_by_port: BTreeMap<String, Vec<u32>>,
    #[serde(default)]
    pub subscribed_bandwidth_gbps_by_port: BTreeMap<String, u32>,
    #[serde(default)]
    pub encapsulations: Vec<String>,
    #[serde(default)]
    pub sku_tiers: Vec<String>,
    #[serde(default)]
    pub port_location_examples: Vec<String>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct SatelliteOperator {
    pub name: String,
    #[serde(default)]
    pub partner: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct SecondarySource {
    pub path: String,
    #[serde(default)]
    pub commit: Option<String>,
    #[serde(default)]
    pub ms_date: Option<String>,
}

/// What the catalogue knows about a cloud's tables.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct CloudInfo {
    pub id: Cloud,
    /// Whether its locations table has a "Local Azure regions" column.
    #[serde(default)]
    pub local_regions_listed: bool,
}

/// Where the data comes from.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct Source {
    pub repo: String,
    pub path: String,
    pub commit: String,
    pub ms_date: String,
    #[serde(default)]
    pub secondary: Vec<SecondarySource>,
}

/// A place where the catalogue uses another string than the source printed.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Correction {
    pub field: String,
    pub as_listed: String,
    pub used: String,
    pub why: String,
}

/// The whole catalogue file, in its order: `rules/catalog.json` as read, and the binary
/// form `build.rs` makes of it for the bundled copy.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub(crate) struct Data {
    pub(crate) as_of: String,
    pub(crate) source: Source,
    #[serde(default)]
    pub(crate) clouds: Vec<CloudInfo>,
    #[serde(default)]
    pub(crate) metro_future_note: String,
    pub(crate) partners: Vec<Partner>,
    pub(crate) exchanges: Vec<Exchange>,
    pub(crate) locations: Vec<Location>,
    pub(crate) carriers: Vec<Carrier>,
    pub(crate) azure_regions: Vec<AzureRegion>,
    #[serde(default)]
    pub(crate) geopolitical_regions: Vec<GeopoliticalRegion>,
    pub(crate) bandwidths: Bandwidths,
    pub(crate) expressroute_direct: Direct,
    #[serde(default)]
    pub(crate) satellite_operators: Vec<SatelliteOperator>,
    #[serde(default)]
    pub(crate) corrections: Vec<Correction>,
    #[serde(default)]
    pub(crate) doubts: Vec<String>,
}

/// The first two fields of [`Data`], in its order: what `--version` prints. Decoded from
/// the start of the bundled binary form alone (the rest is not read).
#[derive(Deserialize)]
pub(crate) struct Header {
    pub(crate) as_of: String,
    pub(crate) source: Source,
}
