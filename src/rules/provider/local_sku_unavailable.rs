//! ER208 local-sku-unavailable
use super::circuit::{closest_first, cloud_scope, known_str, locations_in};
use crate::catalog::{Catalog, Cloud, LocalSku, Location, normalize};
use crate::rules::prelude::*;
use crate::text::{join_names, or_names};

declare_rule! {
    /// ## What it does
    /// Flags an ExpressRoute circuit with SKU tier `Local` at a peering location that has
    /// no local Azure region, where ExpressRoute Local is not offered.
    ///
    /// ## Why is this bad?
    /// ExpressRoute Local reaches only the one or two Azure regions next to its peering
    /// location, in exchange for a price that includes data transfer. Microsoft's location
    /// tables give the local Azure regions of each peering location and mark with ✗ the
    /// locations where Local is not available (Dallas, for example), and Azure rejects a
    /// Local circuit there. The tables of the national clouds have the same column: in
    /// Azure US Government only Phoenix, San Antonio and Washington DC offer Local, and in
    /// Azure China (21Vianet) no location does.
    ///
    /// The peering location is matched like ER203 does (case and spacing do not matter,
    /// ExpressRoute Metro locations included) in the circuit's cloud; when the cloud is not
    /// known (an ARM template, an `environment` that is not known), the circuit is
    /// reported only if no location of that name in any cloud offers Local. An ARM circuit
    /// with no `sku.tier` has the tier its `sku.name` starts with (`Local_UnlimitedData`).
    /// A tier or location not known before deployment, or a location erlint does not know
    /// (ER203), is not checked.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_express_route_circuit" "dallas" {
    ///   name                  = "er-dfw"
    ///   resource_group_name   = "rg-network"
    ///   location              = "southcentralus"
    ///   service_provider_name = "Equinix"
    ///   peering_location      = "Dallas"
    ///   bandwidth_in_mbps     = 1000
    ///
    ///   sku {
    ///     tier   = "Local"   # ER208
    ///     family = "UnlimitedData"
    ///   }
    /// }
    /// ```
    /// ```json
    /// {
    ///   "type": "Microsoft.Network/expressRouteCircuits",
    ///   "apiVersion": "2024-05-01",
    ///   "name": "er-dfw",
    ///   "location": "southcentralus",
    ///   "sku": { "name": "Local_UnlimitedData", "tier": "Local", "family": "UnlimitedData" },
    ///   "properties": {
    ///     "serviceProviderProperties": {
    ///       "serviceProviderName": "Equinix",
    ///       "peeringLocation": "Dallas",
    ///       "bandwidthInMbps": 1000
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Use the `Standard` tier at that location, or move the circuit to a peering location
    /// that offers Local (the message names the closest ones and their local regions).
    /// `erlint catalog <location>` shows a location's local Azure regions.
    ///
    /// ## References
    /// - [ExpressRoute connectivity providers by location](https://learn.microsoft.com/azure/expressroute/expressroute-locations-providers)
    ///   (04/28/2026), above the tables of every cloud, the public one, US Government and
    ///   China: "**Local Azure Regions** refers to the regions that can be accessed by
    ///   ExpressRoute Local at each peering location. **✗** indicates that ExpressRoute
    ///   Local isn't available at that peering location."
    /// - [ExpressRoute FAQ: ExpressRoute Local](https://learn.microsoft.com/azure/expressroute/expressroute-faqs#expressroute-local):
    ///   "It isn't available at a peering location where there's no Azure region in that
    ///   state or province or country/region."
    /// - [ExpressRoute circuit SKUs](https://learn.microsoft.com/azure/expressroute/expressroute-circuit-peerings)
    pub struct LocalSkuUnavailable {
        id: "ER208",
        name: "local-sku-unavailable",
        severity: Error,
        kinds: [Circuit],
        schemas: [Azurerm, Arm],
        since: "0.1.0",
        flags: "SKU tier Local at a peering location with no local Azure region",
    }
}

impl Rule for LocalSkuUnavailable {
    fn check_resource(&self, cx: &mut Ctx<'_>, model: &Model, res: &Resource) {
        let Lookup::Known(tier) = cx.get(res, &attr::SKU_TIER) else {
            return;
        };
        let Some(written) = tier
            .as_str()
            .map(str::trim)
            .filter(|t| t.eq_ignore_ascii_case("Local"))
        else {
            return;
        };
        let Some((lfound, lname)) = known_str(cx, res, &attr::PEERING_LOCATION) else {
            return;
        };
        let catalog = cx.catalog;
        let scope = cloud_scope(cx, model, res);
        let locations = locations_in(catalog, lname, scope.cloud);
        // Reported only when every location the name can mean (in the circuit's cloud, or
        // in any cloud when that is not known) is marked as not offering Local.
        if locations
            .iter()
            .any(|l| catalog.local_sku(l) != LocalSku::NotOffered)
        {
            return;
        }
        let Some(loc) = locations.first().copied() else {
            return; // ER203
        };
        let region = res.known_str(&attr::LOCATION).map(|(r, _)| r);
        let finding = LocalUnavailable {
            tier: written,
            location: &loc.name,
            cloud: loc.cloud,
            near: offering_local(catalog, loc, region),
            family: res.known_str(&attr::SKU_FAMILY).map(|(f, _)| f.trim()),
            spelling: Spelling::of(res),
        };
        let d = cx.report_found(res, &tier, finding.message());
        d.help(finding.help());
        d.label(lfound.at, format!("peering location `{}`", lname.trim()));
        if let Some(from) = lfound.from {
            d.label(from, "value set here");
        }
    }
}

/// The three locations that offer Local closest to `loc`, those whose Local SKU reaches
/// the circuit's own Azure `region` first, with the regions they reach.
fn offering_local<'c>(
    catalog: &'c Catalog,
    loc: &Location,
    region: Option<&str>,
) -> Vec<(&'c str, &'c [String])> {
    let offering: Vec<&Location> = catalog
        .locations()
        .iter()
        .filter(|l| l.cloud == loc.cloud && l.local_sku_available())
        .collect();
    let region = region
        .and_then(|r| catalog.azure_region(r))
        .map(|r| normalize(&r.name));
    let mut ranked = closest_first(loc, offering);
    ranked.sort_by_key(|l| {
        !region
            .as_ref()
            .is_some_and(|r| l.local_azure_regions.iter().any(|x| normalize(x) == *r))
    });
    ranked
        .into_iter()
        .take(3)
        .map(|l| (l.name.as_str(), l.local_azure_regions.as_slice()))
        .collect()
}

/// What ER208 found: the Local tier at a location without a local Azure region.
#[derive(Debug)]
struct LocalUnavailable<'a> {
    tier: &'a str,
    location: &'a str,
    /// The location's cloud (named in the message when it is a national cloud).
    cloud: Cloud,
    /// Locations that offer Local, with the Azure regions they reach.
    near: Vec<(&'a str, &'a [String])>,
    /// The SKU family, which a schema with `sku.name` (ARM) repeats there.
    family: Option<&'a str>,
    spelling: Spelling,
}

impl LocalUnavailable<'_> {
    fn message(&self) -> String {
        let place = match self.cloud {
            Cloud::Global => format!("`{}`", self.location),
            c => format!("`{}` in the {}", self.location, c.display()),
        };
        format!(
            "SKU tier `{}` is not offered at peering location {place}, which has no local Azure region",
            self.tier
        )
    }

    fn help(&self) -> String {
        let sp = self.spelling;
        let mut edits = vec![Edit::set(&attr::SKU_TIER, "Standard")];
        if let Some(family) = self.family {
            edits.push(Edit::set(&attr::SKU_NAME, format!("Standard_{family}")));
        }
        let mut help = sp.fix(&edits);
        if self.family.is_none() && sp.has(&attr::SKU_NAME) {
            help.push_str(&format!(" (and `{}` to match)", sp.name(&attr::SKU_NAME)));
        }
        if !self.near.is_empty() {
            let near: Vec<String> = self
                .near
                .iter()
                .map(|(l, regions)| format!("`{l}` ({})", join_names(regions, false)))
                .collect();
            help.push_str(&format!(
                ", or set `{}` to a location that offers Local: {}",
                sp.name(&attr::PEERING_LOCATION),
                or_names(&near, false)
            ));
        }
        help
    }
}

#[cfg(test)]
mod tests {
    use super::super::circuit::test_support::*;
    use crate::model::testing::resource;
    use crate::model::{Dialect, Kind};

    const ER: &str = "ER208";

    fn local(location: &str) -> crate::model::Resource {
        resource(
            Kind::Circuit,
            Dialect::AZURERM,
            serde_json::json!({
                "service_provider_name": "Equinix",
                "peering_location": location,
                "bandwidth_in_mbps": 1000,
                "sku": [{"tier": "Local", "family": "UnlimitedData"}],
            }),
        )
    }

    #[test]
    fn local_where_offered_passes() {
        for l in [
            "Amsterdam",
            "amsterdam2",
            "Washington DC",
            "Amsterdam Metro",
            "<unknown>",
            "Atlantis",
        ] {
            assert!(run(&model(local(l)), ER).is_empty(), "{l}");
        }
        assert!(run(&model(tf("Equinix", "Dallas")), ER).is_empty());
    }

    #[test]
    fn local_without_local_regions_is_reported() {
        let m = one(&model(local("Dallas")), ER);
        assert!(m.contains("SKU tier `Local` is not offered at peering location `Dallas`, which has no local Azure region"), "{m}");
        assert!(m.contains("set `tier = \"Standard\"` in `sku`, or set `peering_location` to a location that offers Local:"), "{m}");
    }

    #[test]
    fn national_clouds_mark_where_local_is_offered() {
        let gov = |l: &str| {
            with_provider(local(l), serde_json::json!({"environment": "usgovernment"}))
        };
        let m = one(&gov("Chicago"), ER);
        assert!(
            m.starts_with("SKU tier `Local` is not offered at peering location `Chicago` in the Azure US Government, which has no local Azure region"),
            "{m}"
        );
        assert!(m.contains("`Phoenix` (US Gov Arizona)"), "{m}");
        for l in ["Phoenix", "San Antonio", "Washington DC"] {
            assert!(run(&gov(l), ER).is_empty(), "{l}");
        }
        let china = with_provider(local("Beijing"), serde_json::json!({"environment": "china"}));
        let m = one(&china, ER);
        assert_eq!(
            m,
            "SKU tier `Local` is not offered at peering location `Beijing` in the Azure China (21Vianet), which has no local Azure region || set `tier = \"Standard\"` in `sku`"
        );
        // The public cloud's Chicago offers Local: with the cloud not known, not reported.
        assert!(run(&model(local("Chicago")), ER).is_empty());
        let any = with_provider(local("Chicago"), serde_json::json!({"environment": "<unknown>"}));
        assert!(run(&any, ER).is_empty());
        let any = with_provider(local("Beijing"), serde_json::json!({"environment": "<unknown>"}));
        assert_eq!(run(&any, ER).len(), 1);
    }

    #[test]
    fn message_and_help_come_from_the_finding() {
        use super::LocalUnavailable;
        use crate::model::{Schema, Syntax};
        use crate::render::Spelling;
        let regions = vec!["East US".to_string(), "East US 2".to_string()];
        let f = LocalUnavailable {
            tier: "Local",
            location: "Dallas",
            cloud: crate::catalog::Cloud::Global,
            near: vec![("Washington DC", &regions)],
            family: Some("UnlimitedData"),
            spelling: Spelling::new(Schema::Arm, Syntax::Bicep),
        };
        assert_eq!(
            f.message(),
            "SKU tier `Local` is not offered at peering location `Dallas`, which has no local Azure region"
        );
        assert_eq!(
            f.help(),
            "set `tier: 'Standard'` and `name: 'Standard_UnlimitedData'` in `sku`, or set `serviceProviderProperties.peeringLocation` to a location that offers Local: `Washington DC` (East US and East US 2)"
        );
        let f = LocalUnavailable {
            family: None,
            near: vec![],
            spelling: Spelling::new(Schema::Arm, Syntax::Json),
            ..f
        };
        assert_eq!(
            f.help(),
            "set `\"tier\": \"Standard\"` in `sku` (and `sku.name` to match)"
        );
    }
}
