//! ER202 provider-not-at-location
use super::circuit::{closest_first, cloud_scope, known_str, locations_in};
use crate::catalog::{Catalog, Cloud, Listing, Location, ProviderMatch};
use crate::rules::prelude::*;
use crate::text::{join_capped, join_names, or_names};

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
    /// ExpressRoute Metro locations ("Amsterdam Metro") have their own providers too, and
    /// the Metro table also lists providers that are not active yet (Zayo at Toronto
    /// Metro): Microsoft expects circuit creation with them to fail until they become
    /// active, so this rule reports them too, with a message that says so.
    ///
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
    ///   (05/10/2026) marks some providers of its table as coming: "These service providers
    ///   will be available in the future. While they are listed under the peering
    ///   location, circuit creation is expected to fail until the providers become active."
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
        if matches.is_empty() {
            return; // ER201
        }
        let scope = cloud_scope(cx, model, res);
        let locations = locations_in(catalog, lname, scope.cloud);
        let Some(loc) = locations.first().copied() else {
            return; // ER203
        };
        let listing = |l: &Location| catalog.provider_listing(pname, l);
        if locations.iter().any(|l| listing(l) == Listing::Active) {
            return;
        }
        let (message, help) = match locations
            .iter()
            .copied()
            .find(|l| listing(l) == Listing::NotYetActive)
        {
            Some(metro) => {
                let f = NotYetActive::find(catalog, pname.trim(), &matches, metro, res);
                (f.message(), f.help())
            }
            None => {
                let Some(f) = NotAtLocation::find(catalog, pname.trim(), &matches, loc, res)
                else {
                    return;
                };
                (f.message(), f.help())
            }
        };
        let d = cx.report_found(res, &pfound, message);
        d.help(help);
        d.label(lfound.at, format!("peering location `{}`", lname.trim()));
        if let Some(at) = scope.at {
            d.label(at, "cloud chosen here");
        }
    }
}

/// The partner's peering locations in `loc`'s cloud where it is active, closest to `loc`
/// first.
fn nearest_of<'a>(
    catalog: &'a Catalog,
    matches: &[ProviderMatch<'a>],
    loc: &Location,
) -> Vec<&'a str> {
    let mut theirs: Vec<&Location> = Vec::new();
    for m in matches {
        for n in m.partner.locations_in(loc.cloud) {
            if let Some(l) = catalog.location(n, Some(loc.cloud))
                && !theirs.iter().any(|t| std::ptr::eq(*t, l))
            {
                theirs.push(l);
            }
        }
    }
    closest_first(loc, theirs)
        .into_iter()
        .map(|l| l.name.as_str())
        .collect()
}

/// The provider as written, and the partner's name when it differs.
fn shown(provider: &str, partner: &str) -> String {
    if partner == provider {
        format!("`{provider}`")
    } else {
        format!("`{provider}` (`{partner}`)")
    }
}

/// What ER202 found at a Metro location: the partner is listed there, but as a provider
/// that "will be available in the future" (metro.md), so circuit creation fails for now.
#[derive(Debug)]
struct NotYetActive<'a> {
    provider: &'a str,
    partner: &'a str,
    location: &'a str,
    /// The providers active at the location.
    active: &'a [String],
    /// The partner's active locations in the cloud, closest first.
    nearest: Vec<&'a str>,
    provider_attr: &'static str,
    location_attr: &'static str,
}

impl<'a> NotYetActive<'a> {
    fn find(
        catalog: &'a Catalog,
        provider: &'a str,
        matches: &[ProviderMatch<'a>],
        metro: &'a Location,
        res: &Resource,
    ) -> NotYetActive<'a> {
        let partner = matches
            .iter()
            .find(|m| metro.listing(&m.partner.name) == Listing::NotYetActive)
            .or(matches.first())
            .map_or(provider, |m| m.partner.name.as_str());
        NotYetActive {
            provider,
            partner,
            location: &metro.name,
            active: &metro.partners,
            nearest: nearest_of(catalog, matches, metro),
            provider_attr: res.attr_name(&attr::SERVICE_PROVIDER),
            location_attr: res.attr_name(&attr::PEERING_LOCATION),
        }
    }

    fn message(&self) -> String {
        format!(
            "{} is listed at `{}` but not active yet at this Metro location: circuit creation is expected to fail until it becomes active",
            shown(self.provider, self.partner),
            self.location
        )
    }

    fn help(&self) -> String {
        let at = self.location;
        let mut options = Vec::new();
        if !self.active.is_empty() {
            options.push(format!(
                "set `{}` to a provider active at {at}: {}",
                self.provider_attr,
                or_names(self.active, true)
            ));
        }
        if !self.nearest.is_empty() {
            let closest: Vec<&str> = self.nearest.iter().take(3).copied().collect();
            options.push(format!(
                "set `{}` to a location where {} is active (closest: {})",
                self.location_attr,
                shown(self.provider, self.partner),
                or_names(&closest, true)
            ));
        }
        options.push(format!(
            "wait until Microsoft's Metro table lists {} as active at {at}",
            self.partner
        ));
        let mut help = String::new();
        for (i, o) in options.iter().enumerate() {
            if i > 0 {
                help.push_str(if i + 1 == options.len() { ", or " } else { "; " });
            }
            help.push_str(o);
        }
        if self.active.is_empty() {
            help.push_str(&format!(" (no provider is active at {at} yet)"));
        }
        help
    }
}

/// What ER202 found: a partner that is not at the circuit's peering location.
#[derive(Debug)]
struct NotAtLocation<'a> {
    /// The provider as written, and the partner it names.
    provider: &'a str,
    partner: &'a str,
    /// The peering location and its cloud.
    location: &'a str,
    cloud: Cloud,
    /// The partner's locations in that cloud, closest first; when there are none, the
    /// clouds where it is a partner.
    nearest: Vec<&'a str>,
    partner_clouds: Vec<Cloud>,
    /// The exchanges through which the partner, as a carrier, reaches Microsoft at the
    /// location.
    via: Vec<&'a str>,
    /// The location's exchanges and its other partners.
    exchanges: &'a [String],
    others: Vec<&'a str>,
    /// The names of the provider and location attributes.
    provider_attr: &'static str,
    location_attr: &'static str,
}

impl<'a> NotAtLocation<'a> {
    fn find(
        catalog: &'a Catalog,
        provider: &'a str,
        matches: &[ProviderMatch<'a>],
        loc: &'a Location,
        res: &Resource,
    ) -> Option<NotAtLocation<'a>> {
        let partner = matches.first()?.partner;
        // As a carrier, the partner may hand off to a partner here (the additional-providers
        // table): only the routes it lists, to partners at this location.
        let via = catalog
            .listed_routes(provider, loc)
            .or_else(|| catalog.listed_routes(&partner.name, loc))
            .unwrap_or_default()
            .into_iter()
            .filter(|r| r.partner_here)
            .map(|r| r.route.partner.as_str())
            .collect();
        Some(NotAtLocation {
            provider,
            partner: &partner.name,
            location: &loc.name,
            cloud: loc.cloud,
            nearest: nearest_of(catalog, matches, loc),
            partner_clouds: Cloud::ALL
                .into_iter()
                .filter(|c| !partner.locations_in(*c).is_empty())
                .collect(),
            via,
            exchanges: &loc.exchanges,
            others: loc
                .partners
                .iter()
                .filter(|p| !loc.exchanges.contains(p))
                .map(String::as_str)
                .collect(),
            provider_attr: res.attr_name(&attr::SERVICE_PROVIDER),
            location_attr: res.attr_name(&attr::PEERING_LOCATION),
        })
    }

    fn shown(&self) -> String {
        shown(self.provider, self.partner)
    }

    fn message(&self) -> String {
        let place = if self.cloud == Cloud::Global {
            format!("`{}`", self.location)
        } else {
            format!("`{}` in the {}", self.location, self.cloud.display())
        };
        let shown = self.shown();
        if self.nearest.is_empty() {
            let clouds: Vec<&str> = self.partner_clouds.iter().map(|c| c.display()).collect();
            format!(
                "{shown} is not a partner at {place}; it is a partner only in the {}",
                join_names(&clouds, false)
            )
        } else {
            format!(
                "{shown} is not a partner at {place}; it is at {}",
                join_capped(&self.nearest, 6, false)
            )
        }
    }

    fn help(&self) -> String {
        let (field, lfield, at) = (self.provider_attr, self.location_attr, self.location);
        let mut help = String::new();
        if !self.via.is_empty() {
            help = format!(
                "at {at}, {partner} reaches Microsoft through {}: set `{field}` to {} and have {partner} extend your network to it; or ",
                join_names(&self.via, false),
                or_names(&self.via, true),
                partner = self.partner,
            );
        }
        if !self.nearest.is_empty() {
            let closest: Vec<&str> = self.nearest.iter().take(3).copied().collect();
            help.push_str(&format!(
                "set `{lfield}` to a location of {} (closest: {}), or ",
                self.shown(),
                or_names(&closest, true)
            ));
        }
        help.push_str(&format!("set `{field}` to a provider at {at}: "));
        let others = &self.others;
        help.push_str(&if self.exchanges.is_empty() && others.len() <= 3 {
            or_names(others, true)
        } else if self.exchanges.is_empty() {
            join_capped(others, 10, true)
        } else if others.is_empty() {
            or_names(self.exchanges, true)
        } else {
            format!(
                "exchanges {}; partners {}",
                join_names(self.exchanges, true),
                join_capped(others, 8, true)
            )
        });
        help
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
            ("Megaport", "Sydney Metro"),
            ("Megaport", "Silicon Valley Metro"), // active; Equinix and Zayo are not yet
            ("CenturyLink Cloud Connect", "London"), // the table writes "CenturyLink" there
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
    fn metro_providers_not_active_yet_are_reported() {
        let m = one(&model(tf("Zayo", "Toronto Metro")), ER);
        assert_eq!(
            m,
            "`Zayo` is listed at `Toronto Metro` but not active yet at this Metro location: circuit creation is expected to fail until it becomes active || set `peering_location` to a location where `Zayo` is active (closest: `Toronto`, `Toronto2` or `Chicago`), or wait until Microsoft's Metro table lists Zayo as active at Toronto Metro (no provider is active at Toronto Metro yet)"
        );
        let m = one(&model(arm("gtt", "amsterdam metro")), ER);
        assert!(
            m.starts_with("`gtt` (`GTT`) is listed at `Amsterdam Metro` but not active yet"),
            "{m}"
        );
        assert!(
            m.contains("set `serviceProviderProperties.serviceProviderName` to a provider active at Amsterdam Metro: `Colt`,"),
            "{m}"
        );
        // Not listed at all: the usual message.
        let m = one(&model(tf("Zayo", "Sydney Metro")), ER);
        assert!(m.starts_with("`Zayo` is not a partner at `Sydney Metro`"), "{m}");
    }

    #[test]
    fn national_cloud_spellings_fold_into_one_partner() {
        let gov = |p: &str, l: &str| {
            with_provider(tf(p, l), serde_json::json!({"environment": "usgovernment"}))
        };
        for p in ["AT&T NetBond", "AT&T"] {
            assert!(run(&gov(p, "Silicon Valley"), ER).is_empty(), "{p}");
        }
        for p in ["CenturyLink Cloud Connect", "CenturyLink"] {
            assert!(run(&model(tf(p, "London")), ER).is_empty(), "{p}");
            assert!(run(&model(arm(p, "London")), ER).is_empty(), "{p}");
        }
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

    #[test]
    fn not_yet_active_message_and_help() {
        use super::NotYetActive;
        let active = vec!["Megaport".to_string()];
        let f = NotYetActive {
            provider: "Equinix",
            partner: "Equinix",
            location: "Silicon Valley Metro",
            active: &active,
            nearest: vec!["Silicon Valley", "Silicon Valley2", "Los Angeles", "Seattle"],
            provider_attr: "service_provider_name",
            location_attr: "peering_location",
        };
        assert_eq!(
            f.message(),
            "`Equinix` is listed at `Silicon Valley Metro` but not active yet at this Metro location: circuit creation is expected to fail until it becomes active"
        );
        assert_eq!(
            f.help(),
            "set `service_provider_name` to a provider active at Silicon Valley Metro: `Megaport`; set `peering_location` to a location where `Equinix` is active (closest: `Silicon Valley`, `Silicon Valley2` or `Los Angeles`), or wait until Microsoft's Metro table lists Equinix as active at Silicon Valley Metro"
        );
    }

    #[test]
    fn message_and_help_come_from_the_finding() {
        use super::NotAtLocation;
        use crate::catalog::Cloud;
        let exchanges = vec!["Equinix".to_string()];
        let f = NotAtLocation {
            provider: "telia carrier",
            partner: "Arelion (Telia Carrier)",
            location: "Busan",
            cloud: Cloud::Global,
            nearest: vec!["Seoul", "Tokyo", "Osaka", "Hong Kong"],
            partner_clouds: vec![Cloud::Global],
            via: vec![],
            exchanges: &exchanges,
            others: vec!["LG CNS"],
            provider_attr: "service_provider_name",
            location_attr: "peering_location",
        };
        assert_eq!(
            f.message(),
            "`telia carrier` (`Arelion (Telia Carrier)`) is not a partner at `Busan`; it is at Seoul, Tokyo, Osaka and Hong Kong"
        );
        assert_eq!(
            f.help(),
            "set `peering_location` to a location of `telia carrier` (`Arelion (Telia Carrier)`) (closest: `Seoul`, `Tokyo` or `Osaka`), or set `service_provider_name` to a provider at Busan: exchanges `Equinix`; partners `LG CNS`"
        );
        // Nowhere in the location's cloud, but a carrier through an exchange there.
        let f = NotAtLocation {
            partner: "telia carrier",
            cloud: Cloud::UsGovernment,
            nearest: vec![],
            partner_clouds: vec![Cloud::Global, Cloud::China],
            via: vec!["Equinix"],
            others: vec![],
            ..f
        };
        assert_eq!(
            f.message(),
            "`telia carrier` is not a partner at `Busan` in the Azure US Government; it is a partner only in the Azure public cloud and Azure China (21Vianet)"
        );
        assert_eq!(
            f.help(),
            "at Busan, telia carrier reaches Microsoft through Equinix: set `service_provider_name` to `Equinix` and have telia carrier extend your network to it; or set `service_provider_name` to a provider at Busan: `Equinix`"
        );
    }
}
