//! ER201 non-partner-provider
use super::circuit::{cloud_scope, known_str, locations_in, or_names, peek_str};
use crate::catalog::{Carrier, Catalog, Location, join_capped, join_names};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags an ExpressRoute circuit whose service provider is not an ExpressRoute
    /// connectivity partner or cloud exchange anywhere. When the name is a carrier that
    /// Microsoft lists as reaching ExpressRoute through an exchange, the message names the
    /// exchanges at the circuit's peering location to order from instead.
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
    /// location (for example Alaska Communications through Equinix at Seattle).
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
        let name = name.trim();
        let (message, help) = match catalog.carrier(name) {
            Some(carrier) => carrier_advice(catalog, carrier, location, field),
            None => unknown_advice(catalog, name, location, field),
        };
        cx.report_found(res, &found, message).help(help);
    }
}

/// Exchanges a carrier listed at `location` can order through: the listed exchanges that
/// are partners there, else every exchange there.
pub(crate) fn usable_via<'c>(location: &'c Location, via: &'c [String]) -> Vec<&'c str> {
    let listed: Vec<&str> = via
        .iter()
        .filter(|v| location.lists(v))
        .map(String::as_str)
        .collect();
    if listed.is_empty() {
        location.exchanges.iter().map(String::as_str).collect()
    } else {
        listed
    }
}

fn carrier_advice(
    catalog: &Catalog,
    carrier: &Carrier,
    location: Option<&Location>,
    field: &str,
) -> (String, String) {
    let name = carrier.name.as_str();
    let same = carrier
        .possibly_same_as
        .as_deref()
        .map(|p| format!("; if you meant the partner `{p}`, use that name instead"))
        .unwrap_or_default();
    if let Some(loc) = location {
        if let Some(at) = catalog.carrier_at(name, loc) {
            let via = usable_via(loc, &at.via);
            let message = match via.as_slice() {
                [one] => format!(
                    "`{name}` is not an ExpressRoute partner; it reaches {} through {one}: order the circuit from `{one}` and have {name} extend your network to it",
                    loc.name
                ),
                _ => format!(
                    "`{name}` is not an ExpressRoute partner; it reaches {} through {}: order the circuit from one of them and have {name} extend your network to it",
                    loc.name,
                    join_names(&via, false)
                ),
            };
            let help = format!(
                "set `{field}` to {} (an exchange at {}) and ask {name} to carry your traffic to it, with redundant links{same}",
                or_names(&via),
                loc.name
            );
            return (message, help);
        }
        let listed: Vec<&str> = carrier
            .listings
            .iter()
            .map(|l| l.location.as_str())
            .collect();
        let message = if loc.exchanges.is_empty() {
            format!(
                "`{name}` is not an ExpressRoute partner; it reaches Microsoft through exchanges at {}, and no exchange is present at {}",
                join_names(&listed, false),
                loc.name
            )
        } else {
            format!(
                "`{name}` is not an ExpressRoute partner; at {} order the circuit from an exchange ({}) and have {name} extend your network to it",
                loc.name,
                join_names(&loc.exchanges, false)
            )
        };
        let help = if loc.exchanges.is_empty() {
            format!(
                "order the circuit from a partner at {} ({}), or at a location where {name} reaches an exchange ({}){same}",
                loc.name,
                join_capped(&loc.partners, 8, true),
                listings(carrier)
            )
        } else {
            format!(
                "set `{field}` to {} and ask {name} to carry your traffic to that exchange at {}; the catalogue lists {name} only at {}{same}",
                or_names(&loc.exchanges),
                loc.name,
                listings(carrier)
            )
        };
        return (message, help);
    }
    let message = format!(
        "`{name}` is not an ExpressRoute partner; it reaches Microsoft at {}: order the circuit from the exchange and have {name} extend your network to it",
        listings(carrier)
    );
    let help = format!(
        "set `{field}` to the exchange at your peering location and ask {name} to carry your traffic to it{same}"
    );
    (message, help)
}

/// "Seattle through Equinix; Dallas through Equinix and Megaport".
fn listings(carrier: &Carrier) -> String {
    carrier
        .listings
        .iter()
        .map(|l| format!("{} through {}", l.location, join_names(&l.via, false)))
        .collect::<Vec<_>>()
        .join("; ")
}

fn unknown_advice(
    catalog: &Catalog,
    name: &str,
    location: Option<&Location>,
    field: &str,
) -> (String, String) {
    let mut near = catalog.closest_providers(name, 3);
    if let Some(loc) = location {
        // Names at the circuit's location first.
        near.sort_by_key(|n| !loc.lists(n));
    }
    if let Some(best) = near.first() {
        let message = format!(
            "`{name}` is not an ExpressRoute partner or exchange; did you mean {}?",
            or_names(&near)
        );
        let help = match location {
            Some(loc) if loc.lists(best) => format!(
                "set `{field}` to `{best}`, the name Azure lists (a partner at {})",
                loc.name
            ),
            Some(loc) => format!(
                "set `{field}` to the partner's listed name; `{best}` is not at {}, whose exchanges are {}",
                loc.name,
                if loc.exchanges.is_empty() {
                    "none".to_string()
                } else {
                    join_names(&loc.exchanges, true)
                }
            ),
            None => format!("set `{field}` to the partner's listed name, such as `{best}`"),
        };
        return (message, help);
    }
    match location {
        Some(loc) if !loc.exchanges.is_empty() => (
            format!(
                "`{name}` is not an ExpressRoute partner or exchange; if it is your carrier, order the circuit from an exchange at {} ({}) and have {name} extend your network to it",
                loc.name,
                join_names(&loc.exchanges, false)
            ),
            format!(
                "set `{field}` to one of the exchanges there ({}), or to another partner at {} (`erlint catalog \"{}\"` lists them)",
                join_names(&loc.exchanges, true),
                loc.name,
                loc.name
            ),
        ),
        Some(loc) => (
            format!(
                "`{name}` is not an ExpressRoute partner or exchange, and no exchange is present at {}",
                loc.name
            ),
            format!(
                "set `{field}` to a partner at {}: {}",
                loc.name,
                join_capped(&loc.partners, 8, true)
            ),
        ),
        None => {
            let exchanges = catalog.exchange_partner_names();
            (
                format!(
                    "`{name}` is not an ExpressRoute partner or exchange; a carrier that is not a partner connects through a cloud exchange at the peering location, which is the circuit's provider"
                ),
                format!(
                    "set `{field}` to a partner or exchange at your peering location ({}) and have {name} extend your network to it",
                    join_capped(&exchanges, 6, true)
                ),
            )
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
            m.contains("`Alaska Communications` is not an ExpressRoute partner; it reaches Seattle through Equinix: order the circuit from `Equinix` and have Alaska Communications extend your network to it"),
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
        // the listed exchange is not a partner there: fall back to the exchanges present
        let m = one(&model(tf("Zain", "London")), ER);
        assert!(!m.contains("`BICS`"), "{m}");
        assert!(m.contains("`Equinix`"), "{m}");
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
}
