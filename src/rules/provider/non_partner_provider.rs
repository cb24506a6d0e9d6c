//! ER201 non-partner-provider
use super::circuit::{cloud_scope, known_str, locations_in, peek_str, show_listings};
use crate::catalog::{Catalog, Location};
use crate::rules::prelude::*;
use crate::text::{join_capped, join_names, or_names};

declare_rule! {
    /// ## What it does
    /// Flags an ExpressRoute circuit whose service provider is not an ExpressRoute
    /// connectivity partner or cloud exchange anywhere. When the name is a carrier that
    /// Microsoft lists as reaching ExpressRoute through an exchange, the message names what
    /// Microsoft's table lists for that carrier at the circuit's peering location, and only
    /// that: the partners to order the circuit from instead, and any listed partner that the
    /// locations table does not have at that location.
    ///
    /// ## Why is this bad?
    /// A provider circuit is ordered from a connectivity partner at a peering location, and
    /// the service provider name must be one that Azure's list of ExpressRoute service
    /// providers returns; any other name fails at deployment. Many carriers are not
    /// partners. They can still take you to Microsoft: the carrier extends your network to
    /// a peering location and hands it to a cloud exchange there (Equinix, Megaport,
    /// DE-CIX, Digital Realty and others). The circuit is then ordered from the exchange,
    /// and the exchange's name is what goes in the service provider field, not the
    /// carrier's. Microsoft's docs list such carriers with the exchanges they reach at each
    /// location (for example Alaska Communications through Equinix at Seattle). That list
    /// is not exhaustive, so erlint names only the pairs it gives: where it names a partner
    /// that is not at the location (Zertia through Level 3 at Madrid), the message says so
    /// instead of putting another exchange in its place.
    ///
    /// Names match the way Azure and the azurerm provider compare them: case does not
    /// matter, and erlint also ignores spacing and accents and knows the other spellings,
    /// the former names ("Telia Carrier") and each half of a parenthesised name
    /// ("Arelion" for "Arelion (Telia Carrier)"). A value that is not known before
    /// deployment is not checked.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_express_route_circuit" "main" {
    ///   name                  = "er-seattle"
    ///   resource_group_name   = "rg-network"
    ///   location              = "West US 2"
    ///   service_provider_name = "Alaska Communications"   # ER201
    ///   peering_location      = "Seattle"
    ///   bandwidth_in_mbps     = 200
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
    ///   "name": "er-seattle",
    ///   "location": "westus2",
    ///   "sku": { "name": "Standard_MeteredData", "tier": "Standard", "family": "MeteredData" },
    ///   "properties": {
    ///     "serviceProviderProperties": {
    ///       "serviceProviderName": "Alaska Communications",
    ///       "peeringLocation": "Seattle",
    ///       "bandwidthInMbps": 200
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Set the service provider to a connectivity partner at your peering location. If
    /// your carrier is not a partner, order the circuit from a cloud exchange at that
    /// location (`service_provider_name = "Equinix"` in the example) and ask the carrier
    /// to extend your network to the exchange, with redundant links. `erlint catalog
    /// <location>` lists the partners, exchanges and carriers of a location. If Azure
    /// accepts a name that erlint does not know yet, add it to a `catalog.extra` file.
    ///
    /// ## References
    /// - [ExpressRoute connectivity providers by location, and connectivity through exchanges](https://learn.microsoft.com/azure/expressroute/expressroute-locations-providers)
    ///   (04/28/2026): "Connectivity through additional service providers" lists each
    ///   carrier with the exchange it uses at a location (`| **Madrid** | Level3 | Zertia |`),
    ///   and the exchange section says "Check with your connectivity provider to see if
    ///   they're connected to any of the exchanges in the table."
    /// - [ExpressRoute prerequisites: if your provider is not an ExpressRoute partner](https://learn.microsoft.com/azure/expressroute/expressroute-prerequisites)
    /// - [List ExpressRoute service providers (REST API)](https://learn.microsoft.com/rest/api/expressroute/express-route-service-providers/list)
    /// - [azurerm_express_route_circuit](https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/express_route_circuit)
    pub struct NonPartnerProvider {
        id: "ER201",
        name: "non-partner-provider",
        severity: Error,
        kinds: [Circuit],
        schemas: [Azurerm, Arm],
        since: "0.1.0",
        flags: "a provider that is neither an ExpressRoute partner nor an exchange",
    }
}

impl Rule for NonPartnerProvider {
    fn check_resource(&self, cx: &mut Ctx<'_>, model: &Model, res: &Resource) {
        let Some((found, name)) = known_str(cx, res, &attr::SERVICE_PROVIDER) else {
            return;
        };
        let catalog = cx.catalog;
        if catalog.is_empty() || !catalog.resolve_provider(name).is_empty() {
            return;
        }
        let scope = cloud_scope(cx, model, res);
        // The location only shapes the advice; an Unknown one does not stop the finding.
        let location = peek_str(res, &attr::PEERING_LOCATION)
            .and_then(|l| locations_in(catalog, l, scope.cloud).into_iter().next());
        let field = res.attr_name(&attr::SERVICE_PROVIDER);
        let finding = NonPartner::find(catalog, name.trim(), location, field);
        cx.report_found(res, &found, finding.message())
            .help(finding.help());
    }
}

/// What ER201 found: a provider that is neither a partner nor an exchange.
#[derive(Debug)]
struct NonPartner<'a> {
    /// The attribute to change.
    field: &'static str,
    /// The circuit's peering location, when known.
    location: Option<Place<'a>>,
    what: What<'a>,
}

/// One route of the additional-providers table: the partner a carrier hands off to.
#[derive(Debug, Clone, Copy)]
struct Via<'a> {
    /// As the table prints it ("Level3").
    listed_as: &'a str,
    /// The partner name a circuit would be ordered under ("Level 3 Communications").
    partner: &'a str,
    /// Whether the locations table lists that partner at the location.
    here: bool,
}

impl Via<'_> {
    /// "Equinix", or "Level3 (Level 3 Communications)".
    fn shown(&self) -> String {
        if self.listed_as == self.partner {
            self.partner.to_string()
        } else {
            format!("{} ({})", self.listed_as, self.partner)
        }
    }
}

/// The routes' partners that are at the location.
fn usable<'a>(via: &[Via<'a>]) -> Vec<&'a str> {
    via.iter().filter(|v| v.here).map(|v| v.partner).collect()
}

/// The routes' partners that the locations table does not list at the location.
fn elsewhere(via: &[Via<'_>]) -> Vec<String> {
    via.iter().filter(|v| !v.here).map(Via::shown).collect()
}

/// A peering location, for advice.
#[derive(Debug)]
struct Place<'a> {
    name: &'a str,
    exchanges: &'a [String],
    partners: &'a [String],
}

#[derive(Debug)]
enum What<'a> {
    /// A carrier the catalogue lists as reaching Microsoft through exchanges.
    Carrier {
        name: &'a str,
        /// A partner with a similar name.
        same_as: Option<&'a str>,
        /// Where it reaches Microsoft, through which exchanges.
        listings: Vec<(&'a str, &'a [String])>,
        /// The routes the additional-providers table lists for it at the circuit's
        /// location, when it lists it there.
        via_here: Option<Vec<Via<'a>>>,
    },
    /// A name the catalogue does not know.
    Unknown {
        name: &'a str,
        /// The closest provider names, those at the location first; whether the first
        /// is at the location.
        near: Vec<&'a str>,
        best_here: bool,
        /// Every exchange, for advice without a location.
        exchanges: Vec<&'a str>,
    },
}

impl<'a> NonPartner<'a> {
    fn find(
        catalog: &'a Catalog,
        name: &'a str,
        location: Option<&'a Location>,
        field: &'static str,
    ) -> NonPartner<'a> {
        let what = match catalog.carrier(name) {
            Some(c) => What::Carrier {
                name: &c.name,
                same_as: c.possibly_same_as.as_deref(),
                listings: c
                    .listings
                    .iter()
                    .map(|l| (l.location.as_str(), l.via.as_slice()))
                    .collect(),
                via_here: location.and_then(|loc| {
                    let routes = catalog.listed_routes(&c.name, loc)?;
                    Some(
                        routes
                            .into_iter()
                            .map(|r| Via {
                                listed_as: &r.route.listed_as,
                                partner: &r.route.partner,
                                here: r.partner_here,
                            })
                            .collect(),
                    )
                }),
            },
            None => {
                let mut near = catalog.closest_providers(name, 3);
                if let Some(loc) = location {
                    near.sort_by_key(|n| !loc.lists(n));
                }
                let best_here = location
                    .zip(near.first())
                    .is_some_and(|(l, best)| l.lists(best));
                let exchanges = if near.is_empty() && location.is_none() {
                    catalog.exchange_partner_names()
                } else {
                    Vec::new()
                };
                What::Unknown {
                    name,
                    near,
                    best_here,
                    exchanges,
                }
            }
        };
        NonPartner {
            field,
            location: location.map(|l| Place {
                name: &l.name,
                exchanges: &l.exchanges,
                partners: &l.partners,
            }),
            what,
        }
    }

    fn message(&self) -> String {
        match &self.what {
            What::Carrier {
                name,
                listings,
                via_here,
                ..
            } => match (&self.location, via_here) {
                (Some(loc), Some(via)) => {
                    let shown: Vec<String> = via.iter().map(Via::shown).collect();
                    let listed = format!(
                        "`{name}` is not an ExpressRoute partner; it is listed as reaching {} through {}",
                        loc.name,
                        join_names(&shown, false)
                    );
                    let missing = elsewhere(via);
                    match (usable(via).as_slice(), missing.is_empty()) {
                        ([one], true) => format!(
                            "{listed}: order the circuit from `{one}` and have {name} extend your network to it"
                        ),
                        (_, true) => format!(
                            "{listed}: order the circuit from one of them and have {name} extend your network to it"
                        ),
                        _ => format!(
                            "{listed}, but the locations table does not list {} at {}",
                            join_names(&missing, false),
                            loc.name
                        ),
                    }
                }
                (Some(loc), None) if loc.exchanges.is_empty() => {
                    let listed: Vec<&str> = listings.iter().map(|(l, _)| *l).collect();
                    format!(
                        "`{name}` is not an ExpressRoute partner; it reaches Microsoft through exchanges at {}, and no exchange is present at {}",
                        join_names(&listed, false),
                        loc.name
                    )
                }
                (Some(loc), None) => format!(
                    "`{name}` is not an ExpressRoute partner; at {} order the circuit from an exchange ({}) and have {name} extend your network to it",
                    loc.name,
                    join_names(loc.exchanges, false)
                ),
                (None, _) => format!(
                    "`{name}` is not an ExpressRoute partner; it reaches Microsoft at {}: order the circuit from the exchange and have {name} extend your network to it",
                    show_listings(listings)
                ),
            },
            What::Unknown { name, near, .. } => match &self.location {
                _ if !near.is_empty() => format!(
                    "`{name}` is not an ExpressRoute partner or exchange; did you mean {}?",
                    or_names(near, true)
                ),
                Some(loc) if !loc.exchanges.is_empty() => format!(
                    "`{name}` is not an ExpressRoute partner or exchange; if it is your carrier, order the circuit from an exchange at {} ({}) and have {name} extend your network to it",
                    loc.name,
                    join_names(loc.exchanges, false)
                ),
                Some(loc) => format!(
                    "`{name}` is not an ExpressRoute partner or exchange, and no exchange is present at {}",
                    loc.name
                ),
                None => format!(
                    "`{name}` is not an ExpressRoute partner or exchange; a carrier that is not a partner connects through a cloud exchange at the peering location, which is the circuit's provider"
                ),
            },
        }
    }

    fn help(&self) -> String {
        match &self.what {
            What::Carrier {
                name,
                same_as,
                listings,
                via_here,
            } => self.carrier_help(name, *same_as, listings, via_here.as_deref()),
            What::Unknown {
                name,
                near,
                best_here,
                exchanges,
            } => self.unknown_help(name, near, *best_here, exchanges),
        }
    }

    /// The help for a carrier the catalogue lists.
    fn carrier_help(
        &self,
        name: &str,
        same_as: Option<&str>,
        listings: &[(&str, &[String])],
        via_here: Option<&[Via<'_>]>,
    ) -> String {
        let field = self.field;
        let same = same_as
            .map(|p| format!("; if you meant the partner `{p}`, use that name instead"))
            .unwrap_or_default();
        match (&self.location, via_here) {
            (Some(loc), Some(via)) if !usable(via).is_empty() => format!(
                "set `{field}` to {} (listed for {name} at {}) and ask {name} to carry your traffic to it, with redundant links{same}",
                or_names(&usable(via), true),
                loc.name
            ),
            (Some(loc), Some(_)) => {
                // Listed here only with partners that are not here: its other
                // listings, if any.
                let others: Vec<(&str, &[String])> = listings
                    .iter()
                    .filter(|(l, _)| *l != loc.name)
                    .copied()
                    .collect();
                let elsewhere = if others.is_empty() {
                    String::new()
                } else {
                    format!(
                        ", or order the circuit where {name} is listed with an exchange ({})",
                        show_listings(&others)
                    )
                };
                if loc.exchanges.is_empty() {
                    format!(
                        "order the circuit from a partner at {} ({}){elsewhere}{same}",
                        loc.name,
                        join_capped(loc.partners, 8, true)
                    )
                } else {
                    format!(
                        "set `{field}` to an exchange at {} ({}) after confirming with {name} that it reaches it{elsewhere}{same}",
                        loc.name,
                        or_names(loc.exchanges, true)
                    )
                }
            }
            (Some(loc), None) if loc.exchanges.is_empty() => format!(
                "order the circuit from a partner at {} ({}), or at a location where {name} reaches an exchange ({}){same}",
                loc.name,
                join_capped(loc.partners, 8, true),
                show_listings(listings)
            ),
            (Some(loc), None) => format!(
                "set `{field}` to {} and ask {name} to carry your traffic to that exchange at {}; the catalogue lists {name} only at {}{same}",
                or_names(loc.exchanges, true),
                loc.name,
                show_listings(listings)
            ),
            (None, _) => format!(
                "set `{field}` to the exchange at your peering location and ask {name} to carry your traffic to it{same}"
            ),
        }
    }

    /// The help for a name the catalogue does not know.
    fn unknown_help(
        &self,
        name: &str,
        near: &[&str],
        best_here: bool,
        exchanges: &[&str],
    ) -> String {
        let field = self.field;
        match (&self.location, near.first()) {
            (Some(loc), Some(best)) if best_here => format!(
                "set `{field}` to `{best}`, the name Azure lists (a partner at {})",
                loc.name
            ),
            (Some(loc), Some(best)) => format!(
                "set `{field}` to the partner's listed name; `{best}` is not at {}, whose exchanges are {}",
                loc.name,
                if loc.exchanges.is_empty() {
                    "none".to_string()
                } else {
                    join_names(loc.exchanges, true)
                }
            ),
            (None, Some(best)) => {
                format!("set `{field}` to the partner's listed name, such as `{best}`")
            }
            (Some(loc), None) if !loc.exchanges.is_empty() => format!(
                "set `{field}` to one of the exchanges there ({}), or to another partner at {} (`erlint catalog \"{}\"` lists them)",
                join_names(loc.exchanges, true),
                loc.name,
                loc.name
            ),
            (Some(loc), None) => format!(
                "set `{field}` to a partner at {}: {}",
                loc.name,
                join_capped(loc.partners, 8, true)
            ),
            (None, None) => format!(
                "set `{field}` to a partner or exchange at your peering location ({}) and have {name} extend your network to it",
                join_capped(exchanges, 6, true)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::circuit::test_support::*;
    use crate::rules::RuleSettings;

    const ER: &str = "ER201";

    #[test]
    fn partners_exchanges_and_their_other_names_pass() {
        for (p, l) in [
            ("Equinix", "Amsterdam"),
            ("equinix", "amsterdam"),
            ("AT&T Netbond", "San Antonio"),
            ("  Megaport ", "Seattle"),
            ("Telia Carrier", "Amsterdam"),
            ("Arelion", "Amsterdam"),
            ("Interxion", "Amsterdam"),
            ("Digital Realty (Interxion)", "Amsterdam"),
            ("NTT Communications - Flexible InterConnect", "Tokyo"),
            ("GEANT", "Amsterdam"),
            ("SURF", "Amsterdam Metro"),
            ("China Telecom", "Beijing"),
        ] {
            assert!(run(&model(tf(p, l)), ER).is_empty(), "{p}");
            assert!(run(&model(arm(p, l)), ER).is_empty(), "{p}");
        }
    }

    #[test]
    fn unknown_absent_and_blank_values_stay_silent() {
        assert!(run(&model(tf("<unknown>", "Seattle")), ER).is_empty());
        assert!(run(&model(arm("<unknown>", "Seattle")), ER).is_empty());
        assert!(run(&model(tf("", "Seattle")), ER).is_empty());
        let port_circuit = crate::model::testing::resource(
            crate::model::Kind::Circuit,
            crate::model::Dialect::AZURERM,
            serde_json::json!({"express_route_port_id": "<unknown>", "bandwidth_in_gbps": 5}),
        );
        assert!(run(&model(port_circuit), ER).is_empty());
    }

    #[test]
    fn unknown_value_is_reported_with_report_unknown() {
        let settings = RuleSettings {
            report_unknown: true,
            ..RuleSettings::default()
        };
        let d = run_with(&model(tf("<unknown>", "Seattle")), &settings, ER);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].severity, crate::diagnostic::Severity::Info);
        assert!(
            d[0].message
                .contains("`service_provider_name` is not known")
        );
    }

    #[test]
    fn carrier_at_its_location_names_the_exchange() {
        let m = one(&model(tf("Alaska Communications", "Seattle")), ER);
        assert!(
            m.contains("`Alaska Communications` is not an ExpressRoute partner; it is listed as reaching Seattle through Equinix: order the circuit from `Equinix` and have Alaska Communications extend your network to it"),
            "{m}"
        );
        assert!(
            m.contains("set `service_provider_name` to `Equinix`"),
            "{m}"
        );
        let m = one(&model(arm("alaska communications", "seattle")), ER);
        assert!(m.contains("through Equinix"), "{m}");
        assert!(
            m.contains("set `serviceProviderProperties.serviceProviderName` to `Equinix`"),
            "{m}"
        );
    }

    #[test]
    fn carrier_with_several_exchanges_lists_them() {
        let m = one(&model(tf("Spectrum Enterprise", "Dallas")), ER);
        assert!(m.contains("through Equinix and Megaport"), "{m}");
        assert!(m.contains("`Equinix` or `Megaport`"), "{m}");
        // BICS, one of the three listed, is not a partner at London: named, not offered.
        let m = one(&model(tf("Zain", "London")), ER);
        assert_eq!(
            m,
            "`Zain` is not an ExpressRoute partner; it is listed as reaching London through BICS, Equinix and euNetworks, but the locations table does not list BICS at London || set `service_provider_name` to `Equinix` or `euNetworks` (listed for Zain at London) and ask Zain to carry your traffic to it, with redundant links"
        );
    }

    #[test]
    fn only_the_listed_routes_are_named() {
        // Madrid's row lists Zertia with Level3 only, and Level 3 Communications is not a
        // partner at Madrid: no other exchange is put in its place.
        let m = one(&model(tf("Zertia", "Madrid")), ER);
        assert!(
            m.starts_with("`Zertia` is not an ExpressRoute partner; it is listed as reaching Madrid through Level3 (Level 3 Communications), but the locations table does not list Level3 (Level 3 Communications) at Madrid || "),
            "{m}"
        );
        assert!(
            m.contains("set `service_provider_name` to an exchange at Madrid (`DE-CIX`, `Interxion (Digital Realty)`, `Megaport` or `Momentum Telecom`) after confirming with Zertia that it reaches it, or order the circuit where Zertia is listed with an exchange (Miami through Equinix and Megaport)"),
            "{m}"
        );
        // Tata Communications, a partner at Mumbai, is the listed hand-off there.
        let m = one(&model(arm("Tata Teleservices", "Mumbai")), ER);
        assert!(
            m.contains("it is listed as reaching Mumbai through Tata Communications: order the circuit from `Tata Communications`"),
            "{m}"
        );
    }

    #[test]
    fn carrier_elsewhere_lists_the_exchanges_at_the_location() {
        let m = one(&model(tf("Alaska Communications", "Amsterdam")), ER);
        assert!(m.contains("at Amsterdam order the circuit from an exchange (DE-CIX, Equinix, Interxion (Digital Realty) and Megaport)"), "{m}");
        assert!(m.contains("only at Seattle through Equinix"), "{m}");
        let m = one(&model(tf("Telia", "<unknown>")), ER);
        assert!(m.contains("Amsterdam through Equinix"), "{m}");
        assert!(m.contains("Arelion (Telia Carrier)"), "{m}");
    }

    #[test]
    fn unknown_name_lists_exchanges_or_suggests_a_partner() {
        let m = one(&model(tf("Acme Telecom", "Amsterdam")), ER);
        assert!(m.contains("`Acme Telecom` is not an ExpressRoute partner or exchange; if it is your carrier, order the circuit from an exchange at Amsterdam (DE-CIX, Equinix, Interxion (Digital Realty) and Megaport)"), "{m}");
        let m = one(&model(tf("Acme Telecom", "Busan")), ER);
        assert!(m.contains("no exchange is present at Busan"), "{m}");
        assert!(m.contains("`LG CNS`"), "{m}");
        let m = one(&model(tf("Acme Telecom", "<unknown>")), ER);
        assert!(m.contains("cloud exchange"), "{m}");
        assert!(m.contains("`Equinix`"), "{m}");
        let m = one(&model(tf("Equinx", "Amsterdam")), ER);
        assert!(m.contains("did you mean `Equinix`?"), "{m}");
        assert!(
            m.contains("set `service_provider_name` to `Equinix`"),
            "{m}"
        );
    }

    #[test]
    fn national_clouds_do_not_change_partner_names() {
        let gov = with_provider(
            tf("Acme Telecom", "Seattle"),
            serde_json::json!({"environment": "usgovernment"}),
        );
        let m = one(&gov, ER);
        assert!(m.contains("Equinix and Megaport"), "{m}");
        let china = with_provider(
            tf("China Mobile", "Beijing"),
            serde_json::json!({"environment": "china"}),
        );
        assert!(run(&china, ER).is_empty());
    }

    #[test]
    fn message_and_help_come_from_the_finding() {
        use super::{NonPartner, Place, Via, What};
        let exchanges = vec!["Equinix".to_string(), "Megaport".to_string()];
        let partners = vec![
            "Equinix".to_string(),
            "Megaport".to_string(),
            "Zayo".to_string(),
        ];
        let via = vec!["Equinix".to_string()];
        let seattle = || Place {
            name: "Seattle",
            exchanges: &exchanges,
            partners: &partners,
        };
        let carrier = NonPartner {
            field: "serviceProviderProperties.serviceProviderName",
            location: Some(seattle()),
            what: What::Carrier {
                name: "Alaska Communications",
                same_as: None,
                listings: vec![("Seattle", &via)],
                via_here: Some(vec![Via {
                    listed_as: "Equinix",
                    partner: "Equinix",
                    here: true,
                }]),
            },
        };
        assert_eq!(
            carrier.message(),
            "`Alaska Communications` is not an ExpressRoute partner; it is listed as reaching Seattle through Equinix: order the circuit from `Equinix` and have Alaska Communications extend your network to it"
        );
        assert_eq!(
            carrier.help(),
            "set `serviceProviderProperties.serviceProviderName` to `Equinix` (listed for Alaska Communications at Seattle) and ask Alaska Communications to carry your traffic to it, with redundant links"
        );
        let typo = NonPartner {
            field: "service_provider_name",
            location: Some(seattle()),
            what: What::Unknown {
                name: "Equnix",
                near: vec!["Equinix"],
                best_here: true,
                exchanges: vec![],
            },
        };
        assert_eq!(
            typo.message(),
            "`Equnix` is not an ExpressRoute partner or exchange; did you mean `Equinix`?"
        );
        assert_eq!(
            typo.help(),
            "set `service_provider_name` to `Equinix`, the name Azure lists (a partner at Seattle)"
        );
        let nowhere = NonPartner {
            field: "service_provider_name",
            location: None,
            what: What::Unknown {
                name: "Acme",
                near: vec![],
                best_here: false,
                exchanges: vec!["Equinix", "Megaport"],
            },
        };
        assert_eq!(
            nowhere.help(),
            "set `service_provider_name` to a partner or exchange at your peering location (`Equinix` and `Megaport`) and have Acme extend your network to it"
        );
    }
}
