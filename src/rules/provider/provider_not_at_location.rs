//! ER202 provider-not-at-location
use super::circuit::{closest_first, cloud_scope, known_str, locations_in, or_names};
use crate::catalog::{Cloud, Location, join_capped, join_names};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags an ExpressRoute circuit whose service provider is a connectivity partner, but
    /// not at the circuit's peering location. The message lists where the partner is
    /// (closest first) and which partners and exchanges are at the location.
    ///
    /// ## Why is this bad?
    /// A partner connects to Microsoft only at the peering locations where it has built
    /// out to the Microsoft edge, and each location has its own list of partners. Azure's
    /// list of service providers gives, for each provider, the peering locations it
    /// offers, and a circuit whose provider and location do not pair up cannot be
    /// provisioned. The national clouds (Azure US Government, Azure China) have their own,
    /// much shorter lists: a partner at Seattle in the public cloud is not necessarily one
    /// at Seattle in Azure US Government.
    ///
    /// ExpressRoute Metro locations ("Amsterdam Metro") have their own providers too.
    /// Providers that the Metro table lists as coming soon are accepted by this rule.
    /// Names are matched without regard to case, spacing, accents, other spellings and
    /// former names. When either value is not known before deployment, or when ER201 or
    /// ER203 already reports the provider or the location, this rule says nothing.
    ///
    /// ## Example
    /// ```hcl
    /// variable "peering_location" {
    ///   default = "Busan"
    /// }
    ///
    /// resource "azurerm_express_route_circuit" "main" {
    ///   name                  = "er-korea"
    ///   resource_group_name   = "rg-network"
    ///   location              = "Korea South"
    ///   service_provider_name = "Zayo"   # ER202
    ///   peering_location      = var.peering_location
    ///   bandwidth_in_mbps     = 100
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
    ///   "name": "er-korea",
    ///   "location": "koreasouth",
    ///   "sku": { "name": "Standard_MeteredData", "tier": "Standard", "family": "MeteredData" },
    ///   "properties": {
    ///     "serviceProviderProperties": {
    ///       "serviceProviderName": "Zayo",
    ///       "peeringLocation": "Busan",
    ///       "bandwidthInMbps": 100
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Pick a peering location where the partner is present (the message lists the closest
    /// ones), or a partner that is present at the location you need. `erlint catalog
    /// <provider>` and `erlint catalog <location>` show both sides. If the partner has
    /// recently been added at the location, describe it in a `catalog.extra` file.
    ///
    /// ## References
    /// - [ExpressRoute connectivity providers by location](https://learn.microsoft.com/azure/expressroute/expressroute-locations-providers)
    /// - [ExpressRoute locations by provider](https://learn.microsoft.com/azure/expressroute/expressroute-locations)
    /// - [ExpressRoute Metro](https://learn.microsoft.com/azure/expressroute/metro)
    /// - [List ExpressRoute service providers (REST API)](https://learn.microsoft.com/rest/api/expressroute/express-route-service-providers/list)
    pub struct ProviderNotAtLocation {
        id: "ER202",
        name: "provider-not-at-location",
        severity: Error,
        kinds: [Circuit],
        schemas: [Azurerm, Arm],
        since: "0.1.0",
        flags: "a partner that does not serve the peering location",
    }
}

impl Rule for ProviderNotAtLocation {
    fn check_resource(&self, cx: &mut Ctx<'_>, model: &Model, res: &Resource) {
        let Some((pfound, pname)) = known_str(cx, res, &attr::SERVICE_PROVIDER) else {
            return;
        };
        let Some((lfound, lname)) = known_str(cx, res, &attr::PEERING_LOCATION) else {
            return;
        };
        let catalog = cx.catalog;
        let matches = catalog.resolve_provider(pname);
        let Some(best) = matches.first() else {
            return; // ER201
        };
        let scope = cloud_scope(cx, model, res);
        let locations = locations_in(catalog, lname, scope.cloud);
        let Some(loc) = locations.first().copied() else {
            return; // ER203
        };
        if locations
            .iter()
            .any(|l| matches.iter().any(|m| l.lists(&m.partner.name)))
        {
            return;
        }
        let pname = pname.trim();
        let partner = best.partner;
        let shown = if partner.name == pname {
            format!("`{pname}`")
        } else {
            format!("`{pname}` (`{}`)", partner.name)
        };

        // Where the partner is, in the location's cloud, closest first.
        let mut theirs: Vec<&Location> = Vec::new();
        for m in &matches {
            for n in m.partner.locations_in(loc.cloud) {
                if let Some(l) = catalog.location(n, Some(loc.cloud))
                    && !theirs.iter().any(|t| std::ptr::eq(*t, l))
                {
                    theirs.push(l);
                }
            }
        }
        let theirs = closest_first(loc, theirs);
        let names: Vec<&str> = theirs.iter().map(|l| l.name.as_str()).collect();
        let place = if loc.cloud == Cloud::Global {
            format!("`{}`", loc.name)
        } else {
            format!("`{}` in the {}", loc.name, loc.cloud.display())
        };
        let message = if names.is_empty() {
            let clouds: Vec<&str> = Cloud::ALL
                .iter()
                .filter(|c| !partner.locations_in(**c).is_empty())
                .map(|c| c.display())
                .collect();
            format!(
                "{shown} is not a partner at {place}; it is a partner only in the {}",
                join_names(&clouds, false)
            )
        } else {
            format!(
                "{shown} is not a partner at {place}; it is at {}",
                join_capped(&names, 6, false)
            )
        };

        let field = res.attr_name(&attr::SERVICE_PROVIDER);
        let lfield = res.attr_name(&attr::PEERING_LOCATION);
        let mut help = String::new();
        if let Some(at) = catalog
            .carrier_at(pname, loc)
            .or_else(|| catalog.carrier_at(&partner.name, loc))
        {
            let via: Vec<&str> = at
                .via
                .iter()
                .filter(|v| loc.lists(v))
                .map(String::as_str)
                .collect();
            if !via.is_empty() {
                help = format!(
                    "at {}, {} reaches Microsoft through {}: set `{field}` to {} and have {} extend your network to it; or ",
                    loc.name,
                    partner.name,
                    join_names(&via, false),
                    or_names(&via),
                    partner.name
                );
            }
        }
        if !names.is_empty() {
            let closest: Vec<&str> = names.iter().take(3).copied().collect();
            help.push_str(&format!(
                "set `{lfield}` to a location of {shown} (closest: {}), or ",
                or_names(&closest)
            ));
        }
        let others: Vec<&String> = loc
            .partners
            .iter()
            .filter(|p| !loc.exchanges.contains(p))
            .collect();
        help.push_str(&format!("set `{field}` to a provider at {}", loc.name));
        if loc.exchanges.is_empty() && others.len() <= 3 {
            help.push_str(&format!(": {}", or_names(&others)));
        } else if loc.exchanges.is_empty() {
            help.push_str(&format!(": {}", join_capped(&others, 10, true)));
        } else if others.is_empty() {
            help.push_str(&format!(": {}", or_names(&loc.exchanges)));
        } else {
            help.push_str(&format!(
                ": exchanges {}; partners {}",
                join_names(&loc.exchanges, true),
                join_capped(&others, 8, true)
            ));
        }

        let d = cx.report_found(res, &pfound, message);
        d.help(help);
        d.label(lfound.at, format!("peering location `{}`", lname.trim()));
        if let Some(at) = scope.at {
            d.label(at, "cloud chosen here");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::circuit::test_support::*;
    use crate::rules::RuleSettings;

    const ER: &str = "ER202";

    #[test]
    fn partners_at_their_locations_pass() {
        for (p, l) in [
            ("Equinix", "Amsterdam"),
            ("EQUINIX", "amsterdam2"),
            ("Zayo", "Amsterdam"),
            ("Telia Carrier", "Amsterdam"),
            ("Arelion", "Stockholm Metro"),
            ("Interxion", "Frankfurt"),
            ("AT&T Netbond", "San Antonio"),
            ("Next Layer GMBH", "Vienna Metro"),
            ("GTT", "Amsterdam Metro"),          // listed as coming soon
            ("Digital Realty", "Amsterdam"),     // a half of "Interxion (Digital Realty)"
            ("NTT Communications", "Amsterdam"), // former name of NTT DOCOMO BUSINESS
            ("Jisc", "newport (wales)"),
        ] {
            assert!(
                run(&model(tf(p, l)), ER).is_empty(),
                "{p} at {l}: {:?}",
                run(&model(tf(p, l)), ER)
            );
            assert!(run(&model(arm(p, l)), ER).is_empty(), "{p} at {l}");
        }
    }

    #[test]
    fn unknown_values_and_other_rules_findings_stay_silent() {
        assert!(run(&model(tf("<unknown>", "Busan")), ER).is_empty());
        assert!(run(&model(tf("Zayo", "<unknown>")), ER).is_empty());
        assert!(run(&model(arm("Zayo", "<unknown>")), ER).is_empty());
        // ER201 / ER203 territory
        assert!(run(&model(tf("Acme Telecom", "Busan")), ER).is_empty());
        assert!(run(&model(tf("Zayo", "West Europe")), ER).is_empty());
        assert!(run(&model(tf("Zayo", "Atlantis")), ER).is_empty());
    }

    #[test]
    fn reports_where_the_partner_is_and_who_is_at_the_location() {
        let m = one(&model(tf("Zayo", "Busan")), ER);
        assert!(
            m.starts_with("`Zayo` is not a partner at `Busan`; it is at "),
            "{m}"
        );
        assert!(
            m.contains("set `peering_location` to a location of `Zayo`"),
            "{m}"
        );
        assert!(m.contains("`LG CNS`"), "{m}");
        // closest first: same city, then same geopolitical region
        let m = one(&model(tf("1-IX.EU", "Amsterdam2")), ER);
        assert!(m.contains("it is at Amsterdam, Frankfurt2"), "{m}");
        let m = one(&model(arm("AARNet", "London")), ER);
        assert!(m.contains("exchanges `Digital Realty`, `Equinix`"), "{m}");
        assert!(
            m.contains("set `serviceProviderProperties.serviceProviderName`"),
            "{m}"
        );
    }

    #[test]
    fn former_names_show_the_current_name() {
        let m = one(&model(tf("Telia Carrier", "Busan")), ER);
        assert!(
            m.starts_with(
                "`Telia Carrier` (`Arelion (Telia Carrier)`) is not a partner at `Busan`"
            ),
            "{m}"
        );
    }

    #[test]
    fn partner_that_is_a_carrier_there_gets_the_exchange() {
        let m = one(&model(tf("BICS", "Amsterdam")), ER);
        assert!(m.contains("BICS reaches Microsoft through Equinix, Interxion (Digital Realty) and Level 3 Communications"), "{m}");
    }

    #[test]
    fn national_clouds() {
        // Zayo is at Seattle in the public cloud, not in US Government
        let gov = with_provider(
            tf("Zayo", "Seattle"),
            serde_json::json!({"environment": "usgovernment"}),
        );
        let m = one(&gov, ER);
        assert!(m.contains("`Seattle` in the Azure US Government"), "{m}");
        assert!(m.contains("partner only in the Azure public cloud"), "{m}");
        let settings = RuleSettings {
            arm_environment: Some("usgovernment".into()),
            ..RuleSettings::default()
        };
        assert_eq!(
            run_with(&model(tf("Zayo", "Seattle")), &settings, ER).len(),
            1
        );
        assert!(run(&model(tf("Zayo", "Seattle")), ER).is_empty());
        // Unknown environment: any cloud
        let unknown = with_provider(
            tf("Zayo", "Seattle"),
            serde_json::json!({"environment": "<unknown>"}),
        );
        assert!(run(&unknown, ER).is_empty());
        // ARM: any cloud
        assert!(run(&model(arm("Megaport", "Seattle")), ER).is_empty());
        let china = with_provider(
            tf("China Telecom Global", "Beijing"),
            serde_json::json!({"environment": "china"}),
        );
        let m = one(&china, ER);
        assert!(m.contains("partner only in the Azure public cloud"), "{m}");
    }
}
