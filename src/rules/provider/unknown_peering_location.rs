//! ER203 unknown-peering-location
use super::circuit::{CloudScope, cloud_scope, known_str, locations_in, peek_str};
use crate::catalog::{AzureRegion, Catalog, Cloud, Location, join_capped, join_names, normalize};
use crate::rules::prelude::*;
use crate::text::or_names;

declare_rule! {
    /// ## What it does
    /// Flags an ExpressRoute circuit whose peering location is not a peering location of
    /// the circuit's Azure cloud. It suggests the closest names, says so when the value is
    /// an Azure region ("West Europe") rather than a peering location, and names the cloud
    /// a location belongs to when it exists in another one ("Beijing" is in Azure China).
    ///
    /// ## Why is this bad?
    /// A peering location is a meet-me site, a colocation facility where partners connect
    /// to the Microsoft edge (Amsterdam, Silicon Valley2, Newport(Wales)). It is not an
    /// Azure region: a circuit's `location` is the Azure region that holds the resource,
    /// while its peering location says where the circuit is physically delivered, and the
    /// two need not match (a circuit in East US can be delivered in Seattle). The value
    /// must be one that Azure's list of service providers offers, or the circuit cannot be
    /// created. ExpressRoute Metro locations are written "<City> Metro" ("Amsterdam
    /// Metro").
    ///
    /// Each cloud has its own locations: Azure US Government and Azure China have short
    /// lists of their own, and a circuit in one cloud cannot use another cloud's
    /// locations. For Terraform, erlint takes the cloud from the `environment` of the
    /// azurerm provider configuration the circuit uses (else `ARM_ENVIRONMENT`, else the
    /// public cloud); an ARM template does not name its cloud, so a location of any cloud
    /// is accepted there. Names match without regard to case, spacing or accents
    /// ("newport (wales)"). A value that is not known before deployment is not checked.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_express_route_circuit" "main" {
    ///   name                  = "er-amsterdam"
    ///   resource_group_name   = "rg-network"
    ///   location              = "West Europe"
    ///   service_provider_name = "Equinix"
    ///   peering_location      = "West Europe"   # ER203
    ///   bandwidth_in_mbps     = 1000
    ///
    ///   sku {
    ///     tier   = "Standard"
    ///     family = "MeteredData"
    ///   }
    /// }
    /// ```
    /// ```json
    /// {
    ///   "type": "Microsoft.Network/expressRouteCircuits",
    ///   "apiVersion": "2024-05-01",
    ///   "name": "er-amsterdam",
    ///   "location": "westeurope",
    ///   "sku": { "name": "Standard_MeteredData", "tier": "Standard", "family": "MeteredData" },
    ///   "properties": {
    ///     "serviceProviderProperties": {
    ///       "serviceProviderName": "Equinix",
    ///       "peeringLocation": "westeurope",
    ///       "bandwidthInMbps": 1000
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Set the peering location to the meet-me site where your provider connects you to
    /// Microsoft, as Azure lists it (`Amsterdam` in the example); keep the Azure region in
    /// `location`. For a location of a national cloud, set the provider's `environment`
    /// (`usgovernment`, `china`). `erlint catalog <provider>` lists a provider's
    /// locations. If Azure offers a location that erlint does not know yet, add it to a
    /// `catalog.extra` file.
    ///
    /// ## References
    /// - [ExpressRoute locations and connectivity providers](https://learn.microsoft.com/azure/expressroute/expressroute-locations-providers)
    /// - [ExpressRoute Metro](https://learn.microsoft.com/azure/expressroute/metro)
    /// - [Create and modify an ExpressRoute circuit: peering location](https://learn.microsoft.com/azure/expressroute/expressroute-howto-circuit-portal-resource-manager)
    /// - [azurerm provider: environment](https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs#environment)
    pub struct UnknownPeeringLocation {
        id: "ER203",
        name: "unknown-peering-location",
        severity: Error,
        kinds: [Circuit],
        schemas: [Azurerm, Arm],
        since: "0.1.0",
        flags: "a peering location not in the catalogue for the cloud (or an Azure region name)",
    }
}

impl Rule for UnknownPeeringLocation {
    fn check_resource(&self, cx: &mut Ctx<'_>, model: &Model, res: &Resource) {
        let Some((found, written)) = known_str(cx, res, &attr::PEERING_LOCATION) else {
            return;
        };
        let catalog = cx.catalog;
        if catalog.is_empty() {
            return;
        }
        let scope = cloud_scope(cx, model, res);
        if !locations_in(catalog, written, scope.cloud).is_empty() {
            return;
        }
        // The provider, when known, narrows the suggestions to its locations.
        let provider = peek_str(res, &attr::SERVICE_PROVIDER).map(str::trim);
        let field = res.attr_name(&attr::PEERING_LOCATION);
        let finding = UnknownLocation::find(catalog, written.trim(), provider, &scope, field);
        // Unsafe: the one location near the name is a guess at what was meant.
        let guess = match &finding.what {
            What::Unknown { near, .. } if near.len() == 1 => near.first(),
            _ => None,
        }
        .and_then(|n| fix(Applicability::Unsafe, vec![rewrite(found.val, *n)]));
        let d = cx.report_found(res, &found, finding.message());
        d.help(finding.help()).fix(guess);
        if let What::OtherCloud { .. } = finding.what {
            d.note(format!("the circuit's cloud: {}", scope.why));
        }
        if let Some(at) = scope.at {
            d.label(at, "cloud chosen here");
        }
    }
}

/// What ER203 found: a peering location that is not one of the circuit's cloud.
#[derive(Debug)]
struct UnknownLocation<'a> {
    /// The location as written, and the attribute to change.
    name: &'a str,
    field: &'static str,
    /// "in the Azure public cloud" / "in any Azure cloud".
    here: String,
    /// The service provider as written, when known.
    provider: Option<&'a str>,
    what: What<'a>,
}

#[derive(Debug)]
enum What<'a> {
    /// An Azure region, not a peering location.
    Region {
        region: &'a str,
        /// Written as the region's other spelling (`westeurope` for West Europe).
        respelled: bool,
        /// The peering locations of the region's Local SKU, and those the provider serves.
        local: Vec<String>,
        served: Vec<String>,
        /// Without Local locations: the region's geopolitical region and peering
        /// locations there (those the provider serves, when it serves any).
        geo: Option<&'a str>,
        nearby: Vec<String>,
    },
    /// A peering location of another cloud; the provider whose configuration chooses
    /// the circuit's cloud.
    OtherCloud {
        cloud: Cloud,
        configured_by: Option<&'static str>,
    },
    /// No peering location at all.
    Unknown {
        /// The closest names, those the provider serves first.
        near: Vec<&'a str>,
        /// Microsoft lists it only as a site where carriers reach an exchange.
        carrier_site: bool,
        /// The provider's locations in the cloud.
        provider_locations: Vec<&'a str>,
    },
}

impl<'a> UnknownLocation<'a> {
    fn find(
        catalog: &'a Catalog,
        name: &'a str,
        provider: Option<&'a str>,
        scope: &CloudScope,
        field: &'static str,
    ) -> UnknownLocation<'a> {
        let partners: Vec<&str> = provider
            .map(|p| {
                catalog
                    .resolve_provider(p)
                    .iter()
                    .map(|m| m.partner.name.as_str())
                    .collect()
            })
            .unwrap_or_default();
        let serves = |l: &Location| partners.iter().any(|p| l.lists(p));
        let what = if let Some(region) = catalog.azure_region(name) {
            region_facts(catalog, region, name, &serves)
        } else if let Some(elsewhere) = catalog.locations_named(name).first() {
            What::OtherCloud {
                cloud: elsewhere.cloud,
                configured_by: scope.provider,
            }
        } else {
            let mut near = catalog.closest_locations(name, scope.cloud, 3);
            near.sort_by_key(|n| !catalog.location(n, scope.cloud).is_some_and(&serves));
            let carrier_site = catalog.carriers().iter().any(|c| {
                c.listings
                    .iter()
                    .any(|l| !l.peering_location && normalize(&l.location) == normalize(name))
            });
            What::Unknown {
                near,
                carrier_site,
                provider_locations: partner_locations(catalog, &partners, scope.cloud),
            }
        };
        UnknownLocation {
            name,
            field,
            here: scope.describe(),
            provider,
            what,
        }
    }

    fn message(&self) -> String {
        let (name, here) = (self.name, &self.here);
        match &self.what {
            What::Region {
                region,
                respelled,
                local,
                geo,
                nearby,
                ..
            } => {
                let what = if *respelled {
                    format!("`{name}` is the Azure region {region}, not a peering location")
                } else {
                    format!("`{name}` is an Azure region, not a peering location")
                };
                match geo {
                    _ if !local.is_empty() => format!(
                        "{what}; the peering locations for {region}'s Local SKU are {}",
                        join_names(local, false)
                    ),
                    Some(g) if !nearby.is_empty() => format!(
                        "{what}; no peering location offers the Local SKU for {region}; peering locations in {g} include {}",
                        join_capped(nearby, 6, false)
                    ),
                    _ => format!("{what}; no peering location offers the Local SKU for {region}"),
                }
            }
            What::OtherCloud { cloud, .. } => format!(
                "`{name}` is not a peering location {here}; it is one in the {}",
                cloud.display()
            ),
            What::Unknown {
                near, carrier_site, ..
            } => {
                let what = if *carrier_site {
                    format!(
                        "`{name}` is not an ExpressRoute peering location {here}; Microsoft lists it only as a site where carriers reach an exchange"
                    )
                } else {
                    format!("`{name}` is not an ExpressRoute peering location {here}")
                };
                if near.is_empty() {
                    what
                } else {
                    format!("{what}; did you mean {}?", or_names(near, true))
                }
            }
        }
    }

    fn help(&self) -> String {
        let (field, here) = (self.field, &self.here);
        let site = "the meet-me site where your provider connects to Microsoft";
        match &self.what {
            What::Region { local, served, .. } => {
                let keep = format!(
                    "the circuit's Azure region belongs in `location`, the meet-me site in `{field}`"
                );
                match (self.provider, served.is_empty()) {
                    _ if local.is_empty() => format!(
                        "set `{field}` to {site} (`erlint catalog <provider>` lists a provider's locations); {keep}"
                    ),
                    (Some(p), false) => format!(
                        "set `{field}` to {} (`{p}` is a partner there); {keep}",
                        or_names(served, true)
                    ),
                    _ => format!(
                        "set `{field}` to {site}, such as {}; {keep}",
                        or_names(local, true)
                    ),
                }
            }
            What::OtherCloud {
                cloud,
                configured_by: Some(p),
            } => format!(
                "if this circuit is for the {}, deploy it with an {p} provider configuration whose `environment` is `\"{}\"`; otherwise set `{field}` to a peering location {here}",
                cloud.display(),
                cloud.terraform_environment()
            ),
            What::OtherCloud { .. } => format!("set `{field}` to a peering location {here}"),
            What::Unknown {
                near,
                provider_locations,
                ..
            } => match self.provider {
                _ if !near.is_empty() => format!("set `{field}` to {}", or_names(near, true)),
                Some(p) if !provider_locations.is_empty() => format!(
                    "set `{field}` to a location where `{p}` is a partner: {}",
                    join_capped(provider_locations, 10, true)
                ),
                _ => format!(
                    "set `{field}` to {site}, as Azure lists it (`erlint catalog <provider>` shows a provider's locations)"
                ),
            },
        }
    }
}

/// The locations of `partners` in `cloud` (or any cloud).
fn partner_locations<'c>(
    catalog: &'c Catalog,
    partners: &[&str],
    cloud: Option<Cloud>,
) -> Vec<&'c str> {
    let mut out: Vec<&str> = Vec::new();
    for p in partners {
        if let Some(partner) = catalog.partner(p) {
            for (c, locs) in &partner.locations {
                if cloud.is_none_or(|x| x == *c) {
                    for l in locs {
                        if !out.contains(&l.as_str()) {
                            out.push(l);
                        }
                    }
                }
            }
        }
    }
    out
}

/// An Azure region written as a peering location: its Local SKU's locations, else the
/// peering locations of its geopolitical region.
fn region_facts<'c>(
    catalog: &'c Catalog,
    region: &'c AzureRegion,
    written: &str,
    serves: &dyn Fn(&Location) -> bool,
) -> What<'c> {
    let local: Vec<&Location> = region
        .local_for
        .iter()
        .filter_map(|n| catalog.location(n, Some(region.cloud)))
        .collect();
    let display = |ls: &[&Location]| -> Vec<String> { ls.iter().map(|l| l.display()).collect() };
    let geo = region.geopolitical();
    let mut nearby: Vec<&Location> = Vec::new();
    if local.is_empty() {
        nearby = catalog
            .locations()
            .iter()
            .filter(|l| {
                l.cloud == region.cloud
                    && !l.is_metro()
                    && geo.is_some()
                    && l.geopolitical() == geo
            })
            .collect();
        if nearby.iter().any(|l| serves(l)) {
            nearby.retain(|l| serves(l));
        }
    }
    let served: Vec<&Location> = local.iter().copied().filter(|l| serves(l)).collect();
    What::Region {
        region: &region.name,
        respelled: normalize(written) == normalize(&region.name) && written.trim() != region.name,
        local: display(&local),
        served: display(&served),
        geo,
        nearby: display(&nearby),
    }
}

#[cfg(test)]
mod tests {
    use super::super::circuit::test_support::*;
    use crate::rules::RuleSettings;

    const ER: &str = "ER203";

    #[test]
    fn known_locations_pass_in_any_spelling() {
        for l in [
            "Amsterdam",
            "amsterdam",
            "AMSTERDAM2",
            "Amsterdam Metro",
            "amsterdammetro",
            "newport (wales)",
            "Newport(Wales)",
            "Queretaro(Mexico)",
            "São Paulo",
            " Silicon Valley2 ",
        ] {
            assert!(run(&model(tf("Equinix", l)), ER).is_empty(), "{l}");
            assert!(run(&model(arm("Equinix", l)), ER).is_empty(), "{l}");
        }
    }

    #[test]
    fn unknown_and_absent_values_stay_silent() {
        assert!(run(&model(tf("Equinix", "<unknown>")), ER).is_empty());
        assert!(run(&model(arm("Equinix", "<unknown>")), ER).is_empty());
        assert!(run(&model(tf("Equinix", "")), ER).is_empty());
        let settings = RuleSettings {
            report_unknown: true,
            ..RuleSettings::default()
        };
        let d = run_with(&model(arm("Equinix", "<unknown>")), &settings, ER);
        assert_eq!(d.len(), 1);
        assert!(
            d[0].message.contains("peeringLocation` is not known"),
            "{}",
            d[0].message
        );
    }

    #[test]
    fn azure_region_names_are_explained() {
        let m = one(&model(tf("Equinix", "West Europe")), ER);
        assert!(
            m.contains("`West Europe` is an Azure region, not a peering location; the peering locations for West Europe's Local SKU are Amsterdam, Amsterdam2 and Amsterdam Metro"),
            "{m}"
        );
        assert!(m.contains("(`Equinix` is a partner there)"), "{m}");
        let m = one(&model(arm("Equinix", "westeurope")), ER);
        assert!(
            m.contains("`westeurope` is the Azure region West Europe, not a peering location"),
            "{m}"
        );
        assert!(
            m.contains("`serviceProviderProperties.peeringLocation`"),
            "{m}"
        );
        let m = one(&model(tf("Equinix", "Central US")), ER);
        assert!(
            m.contains("no peering location offers the Local SKU for Central US"),
            "{m}"
        );
        assert!(m.contains("North America include"), "{m}");
    }

    #[test]
    fn typos_get_the_closest_names() {
        let m = one(&model(tf("Equinix", "Amsterdm")), ER);
        assert!(m.contains("`Amsterdm` is not an ExpressRoute peering location in the Azure public cloud; did you mean `Amsterdam`"), "{m}");
        let m = one(&model(tf("Equinix", "Washington D.C.")), ER);
        assert!(m.contains("`Washington DC`"), "{m}");
        let m = one(&model(tf("Equinix", "Atlantis")), ER);
        assert!(m.contains("where `Equinix` is a partner"), "{m}");
        let m = one(&model(tf("Cinia", "Hamburg")), ER);
        assert!(
            m.contains("only as a site where carriers reach an exchange"),
            "{m}"
        );
    }

    #[test]
    fn locations_of_another_cloud_name_the_cloud() {
        let m = one(&model(tf("China Telecom", "Beijing")), ER);
        assert!(m.contains("`Beijing` is not a peering location in the Azure public cloud; it is one in the Azure China (21Vianet)"), "{m}");
        assert!(m.contains("whose `environment` is `\"china\"`"), "{m}");
        let china = with_provider(
            tf("China Telecom", "Beijing"),
            serde_json::json!({"environment": "china"}),
        );
        assert!(run(&china, ER).is_empty());
        let china = with_provider(
            tf("Equinix", "Amsterdam"),
            serde_json::json!({"environment": "china"}),
        );
        let d = run(&china, ER);
        assert_eq!(d.len(), 1);
        assert!(
            d[0].message
                .contains("in the Azure China (21Vianet); it is one in the Azure public cloud"),
            "{}",
            d[0].message
        );
        assert!(d[0].labels.iter().any(|l| l.message == "cloud chosen here"));
        // ARM templates accept any cloud's locations
        assert!(run(&model(arm("China Telecom", "Beijing")), ER).is_empty());
        // ARM_ENVIRONMENT applies when the block has no environment
        let settings = RuleSettings {
            arm_environment: Some("china".into()),
            ..RuleSettings::default()
        };
        assert!(run_with(&model(tf("China Telecom", "Beijing")), &settings, ER).is_empty());
        let gov = with_provider(
            tf("Equinix", "Seattle"),
            serde_json::json!({"environment": "usgovernment"}),
        );
        assert!(run(&gov, ER).is_empty());
        // retired German cloud: nothing to check against, any cloud
        let german = with_provider(
            tf("Equinix", "Seattle"),
            serde_json::json!({"environment": "german"}),
        );
        assert!(run(&german, ER).is_empty());
        let unknown = with_provider(
            tf("China Telecom", "Beijing"),
            serde_json::json!({"environment": "<unknown>"}),
        );
        assert!(run(&unknown, ER).is_empty());
    }

    #[test]
    fn message_and_help_come_from_the_finding() {
        use super::{UnknownLocation, What};
        use crate::catalog::Cloud;
        let region = UnknownLocation {
            name: "westeurope",
            field: "serviceProviderProperties.peeringLocation",
            here: "in any Azure cloud".into(),
            provider: Some("Equinix"),
            what: What::Region {
                region: "West Europe",
                respelled: true,
                local: vec!["Amsterdam".into(), "Amsterdam2".into()],
                served: vec!["Amsterdam".into()],
                geo: Some("Europe"),
                nearby: vec![],
            },
        };
        assert_eq!(
            region.message(),
            "`westeurope` is the Azure region West Europe, not a peering location; the peering locations for West Europe's Local SKU are Amsterdam and Amsterdam2"
        );
        assert_eq!(
            region.help(),
            "set `serviceProviderProperties.peeringLocation` to `Amsterdam` (`Equinix` is a partner there); the circuit's Azure region belongs in `location`, the meet-me site in `serviceProviderProperties.peeringLocation`"
        );
        let other = UnknownLocation {
            name: "Beijing",
            field: "peering_location",
            here: "in the Azure public cloud".into(),
            provider: None,
            what: What::OtherCloud {
                cloud: Cloud::China,
                configured_by: Some("azapi"),
            },
        };
        assert_eq!(
            other.message(),
            "`Beijing` is not a peering location in the Azure public cloud; it is one in the Azure China (21Vianet)"
        );
        assert_eq!(
            other.help(),
            "if this circuit is for the Azure China (21Vianet), deploy it with an azapi provider configuration whose `environment` is `\"china\"`; otherwise set `peering_location` to a peering location in the Azure public cloud"
        );
        let typo = UnknownLocation {
            name: "Amsterdma",
            field: "peeringLocation",
            here: "in any Azure cloud".into(),
            provider: None,
            what: What::Unknown {
                near: vec!["Amsterdam", "Amsterdam2"],
                carrier_site: false,
                provider_locations: vec![],
            },
        };
        assert_eq!(
            typo.message(),
            "`Amsterdma` is not an ExpressRoute peering location in any Azure cloud; did you mean `Amsterdam` or `Amsterdam2`?"
        );
        assert_eq!(
            typo.help(),
            "set `peeringLocation` to `Amsterdam` or `Amsterdam2`"
        );
    }
}
