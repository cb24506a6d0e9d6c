//! ER204 carrier-not-via-exchange
use super::circuit::{cloud_scope, known_str, locations_in, show_listings};
use crate::catalog::{Carrier, Catalog, Location, ProviderMatch};
use crate::rules::prelude::*;
use crate::text::{join_names, or_names};

declare_rule! {
    /// ## What it does
    /// Flags an ExpressRoute circuit whose carrier tag names a carrier that is not an
    /// ExpressRoute partner, while Microsoft's table does not list that carrier as reaching
    /// the circuit's service provider at the circuit's peering location. The message names
    /// what the table does list for the carrier there, and only that.
    ///
    /// ## Why is this bad?
    /// A carrier that is not an ExpressRoute partner reaches Microsoft by handing your
    /// traffic to a cloud exchange at a peering location; the circuit is then ordered from
    /// that exchange. Microsoft's docs list, for each such carrier, the exchanges it hands
    /// off to at each location (for example Alaska Communications through Equinix at
    /// Seattle). A circuit ordered from another exchange, or at a location where the carrier
    /// is not listed, has no hand-off that Microsoft documents: unless the carrier does
    /// reach that exchange there, the exchange waits for a cross connection that never
    /// comes, and the circuit is not provisioned end to end. The table is not exhaustive
    /// ("Check with your connectivity provider to see if they're connected to any of the
    /// exchanges in the table"), so this is a warning to confirm, not a verdict.
    ///
    /// The carrier is read from a tag of the circuit, `carrier` by default
    /// (`connectivity.carrier_tag`). A circuit without that tag, a tag that does not name a
    /// known non-partner carrier (or names one that is a partner at the location), and
    /// values not known before deployment are not checked. A provider that is not a partner
    /// at all (ER201) or a location erlint does not know (ER203) is left to those rules.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_express_route_circuit" "seattle" {
    ///   name                  = "er-sea"
    ///   resource_group_name   = "rg-network"
    ///   location              = "westus2"
    ///   service_provider_name = "Megaport"   # ER204
    ///   peering_location      = "Seattle"
    ///   bandwidth_in_mbps     = 200
    ///
    ///   sku {
    ///     tier   = "Standard"
    ///     family = "MeteredData"
    ///   }
    ///
    ///   tags = {
    ///     carrier = "Alaska Communications"
    ///   }
    /// }
    /// ```
    /// ```json
    /// {
    ///   "type": "Microsoft.Network/expressRouteCircuits",
    ///   "apiVersion": "2024-05-01",
    ///   "name": "er-sea",
    ///   "location": "westus2",
    ///   "tags": { "carrier": "Alaska Communications" },
    ///   "sku": { "name": "Standard_MeteredData", "tier": "Standard", "family": "MeteredData" },
    ///   "properties": {
    ///     "serviceProviderProperties": {
    ///       "serviceProviderName": "Megaport",
    ///       "peeringLocation": "Seattle",
    ///       "bandwidthInMbps": 200
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Order the circuit from an exchange the carrier reaches at that location
    /// (`service_provider_name = "Equinix"` in the example), or pick a peering location
    /// where the carrier hands off to your exchange. If the carrier has a hand-off that
    /// Microsoft's list does not show yet, confirm it with the carrier and suppress the
    /// finding with a reason. `erlint catalog <location>` lists the carriers and exchanges
    /// of a location.
    ///
    /// ## Options
    /// `connectivity.carrier_tag` (default `"carrier"`): the name of the circuit tag that
    /// names the carrier. Tag names match without regard to case, as Azure treats them.
    ///
    /// ## References
    /// - [ExpressRoute connectivity through exchanges: additional service providers](https://learn.microsoft.com/azure/expressroute/expressroute-locations-providers#connectivity-through-exchange-providers)
    ///   (04/28/2026): the "Connectivity through additional service providers" table lists
    ///   each carrier with the exchange it uses at a location; the exchange section adds
    ///   "Check with your connectivity provider to see if they're connected to any of the
    ///   exchanges in the table."
    /// - [ExpressRoute prerequisites: if your provider is not an ExpressRoute partner](https://learn.microsoft.com/azure/expressroute/expressroute-prerequisites)
    /// - [ExpressRoute FAQ: connecting without an ExpressRoute partner](https://learn.microsoft.com/azure/expressroute/expressroute-faqs)
    pub struct CarrierNotViaExchange {
        id: "ER204",
        name: "carrier-not-via-exchange",
        severity: Warning,
        kinds: [Circuit],
        schemas: [Azurerm, Arm],
        since: "0.1.0",
        flags: "the circuit's carrier tag names a non-partner carrier that Microsoft's table does not list as reaching the service provider at the peering location",
    }
}

impl Rule for CarrierNotViaExchange {
    fn check_resource(&self, cx: &mut Ctx<'_>, model: &Model, res: &Resource) {
        let catalog = cx.catalog;
        if catalog.is_empty() {
            return;
        }
        let Some(tag) = carrier_tag(cx, res) else {
            return;
        };
        let Some((pfound, pname)) = known_str(cx, res, &attr::SERVICE_PROVIDER) else {
            return;
        };
        let Some((_, lname)) = known_str(cx, res, &attr::PEERING_LOCATION) else {
            return;
        };
        let provider = catalog.resolve_provider(pname);
        if provider.is_empty() {
            return; // ER201
        }
        let scope = cloud_scope(cx, model, res);
        let locations = locations_in(catalog, lname, scope.cloud);
        let Some(loc) = locations.first().copied() else {
            return; // ER203
        };
        let field = res.attr_name(&attr::SERVICE_PROVIDER);
        let Some(finding) =
            NotViaExchange::find(catalog, &tag, pname.trim(), &provider, &locations, loc, field)
        else {
            return;
        };
        let d = cx.report_found(res, &pfound, finding.message());
        d.help(finding.help());
        d.label(tag.at, format!("carrier `{}` named here", tag.carrier.name));
        if let Some(from) = tag.from {
            d.label(from, "tag value set here");
        }
    }
}

/// The circuit's carrier tag, when it names a known non-partner carrier.
struct CarrierTag<'r, 'c> {
    key: &'r str,
    carrier: &'c Carrier,
    at: Span,
    from: Option<Span>,
}

fn carrier_tag<'r, 'c>(cx: &mut Ctx<'c>, res: &'r Resource) -> Option<CarrierTag<'r, 'c>> {
    let tag_name = match cx.settings.carrier_tag.trim() {
        "" => "carrier",
        t => t,
    };
    let Lookup::Known(tags) = cx.get(res, &attr::TAGS) else {
        return None;
    };
    let obj = tags.val.as_object()?;
    let (key, tag) = obj
        .iter()
        .find(|(k, _)| *k == tag_name)
        .or_else(|| obj.iter().find(|(k, _)| k.eq_ignore_ascii_case(tag_name)))?;
    let (at, from) = res.locate(tag, tags.at);
    if let ValKind::Unknown(u) = &tag.kind {
        let what = format!("{}.{key}", res.attr_name(&attr::TAGS));
        cx.skipped(res, at, &what, u);
        return None;
    }
    let carrier = tag
        .as_str()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .and_then(|s| cx.catalog.carrier(s))?;
    Some(CarrierTag {
        key,
        carrier,
        at,
        from,
    })
}

/// What ER204 found: the provider is not an exchange the tagged carrier reaches at the
/// circuit's peering location.
#[derive(Debug)]
struct NotViaExchange<'a> {
    provider: &'a str,
    carrier: &'a str,
    /// The tag that names the carrier, and the provider attribute.
    tag: &'a str,
    field: &'static str,
    /// The peering location.
    location: &'a str,
    /// Where Microsoft's table lists the carrier at the location, with the partners it
    /// lists for it there and whether the locations table has each at the location.
    listed_here: Option<(&'a str, Vec<(&'a str, bool)>)>,
    /// Everywhere the catalogue lists the carrier.
    listings: Vec<(&'a str, &'a [String])>,
}

impl<'a> NotViaExchange<'a> {
    /// `None` when the carrier is a partner at the location, or reaches the provider there.
    fn find(
        catalog: &'a Catalog,
        tag: &CarrierTag<'a, 'a>,
        provider: &'a str,
        matches: &[ProviderMatch<'_>],
        locations: &[&'a Location],
        loc: &'a Location,
        field: &'static str,
    ) -> Option<NotViaExchange<'a>> {
        let carrier = tag.carrier;
        // A carrier that is a partner at the location may be the provider, or hand off to
        // any exchange there.
        if locations
            .iter()
            .any(|l| is_partner_here(catalog, carrier, l))
        {
            return None;
        }
        let mut listed_here = None;
        for l in locations {
            if let Some(at) = catalog.carrier_at(&carrier.name, l) {
                if via_includes(catalog, &at.via, matches) {
                    return None;
                }
                if listed_here.is_none() {
                    // Exactly the routes the table lists (partners at the location or not).
                    let via = catalog
                        .listed_routes(&carrier.name, l)
                        .unwrap_or_default()
                        .into_iter()
                        .map(|r| (r.route.partner.as_str(), r.partner_here))
                        .collect();
                    listed_here = Some((l.name.as_str(), via));
                }
            }
        }
        Some(NotViaExchange {
            provider,
            carrier: &carrier.name,
            tag: tag.key,
            field,
            location: &loc.name,
            listed_here,
            listings: carrier
                .listings
                .iter()
                .map(|l| (l.location.as_str(), l.via.as_slice()))
                .collect(),
        })
    }

    fn message(&self) -> String {
        let (pname, cname) = (self.provider, self.carrier);
        match &self.listed_here {
            Some((l, via)) => {
                let all: Vec<&str> = via.iter().map(|(p, _)| *p).collect();
                let absent: Vec<&str> = via.iter().filter(|(_, h)| !h).map(|(p, _)| *p).collect();
                let mut m = format!(
                    "carrier `{cname}` is not listed as reaching {l} through `{pname}`; Microsoft's table lists it there through {}",
                    join_names(&all, false)
                );
                if absent.len() == all.len() {
                    m.push_str(&format!(", which the locations table does not list at {l}"));
                } else if !absent.is_empty() {
                    let verb = if absent.len() == 1 { "is" } else { "are" };
                    m.push_str(&format!(
                        " ({} {verb} not a partner at {l})",
                        join_names(&absent, false)
                    ));
                }
                m
            }
            None => format!(
                "carrier `{cname}` is not listed as reaching {} through `{pname}`: Microsoft's table lists {cname} only at {}",
                self.location,
                show_listings(&self.listings)
            ),
        }
    }

    fn help(&self) -> String {
        let (cname, field) = (self.carrier, self.field);
        let confirm = format!(
            "confirm with {cname} that it reaches `{}` there (the table is not exhaustive) and suppress this finding with that reason",
            self.provider
        );
        match &self.listed_here {
            Some((_, via)) => {
                let here: Vec<&str> = via.iter().filter(|(_, h)| *h).map(|(p, _)| *p).collect();
                let others: Vec<(&str, &[String])> = self
                    .listings
                    .iter()
                    .filter(|(l, _)| *l != self.location)
                    .copied()
                    .collect();
                if here.is_empty() && others.is_empty() {
                    format!(
                        "{confirm}; correct the `{}` tag if {cname} is not your carrier",
                        self.tag
                    )
                } else if here.is_empty() {
                    format!(
                        "{confirm}, or order the circuit where {cname} is listed with an exchange ({}); correct the `{}` tag if {cname} is not your carrier",
                        show_listings(&others),
                        self.tag
                    )
                } else {
                    format!(
                        "set `{field}` to {} and have {cname} extend your network to it, or {confirm}; correct the `{}` tag if {cname} is not your carrier",
                        or_names(&here, true),
                        self.tag
                    )
                }
            }
            None => format!(
                "order the circuit where {cname} is listed with an exchange ({}), or confirm with {cname} which exchange it reaches at {} and suppress this finding with that reason",
                show_listings(&self.listings),
                self.location
            ),
        }
    }
}

fn is_partner_here(catalog: &Catalog, carrier: &Carrier, location: &Location) -> bool {
    catalog.is_partner_at(&carrier.name, location)
        || carrier
            .partner
            .as_deref()
            .is_some_and(|p| location.lists(p))
}

fn via_includes(catalog: &Catalog, via: &[String], provider: &[ProviderMatch<'_>]) -> bool {
    via.iter().any(|v| {
        provider.iter().any(|m| {
            m.partner.name == *v
                || catalog
                    .resolve_provider(v)
                    .iter()
                    .any(|vm| vm.partner.name == m.partner.name)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::super::circuit::test_support::*;
    use crate::model::testing::resource;
    use crate::model::{Dialect, Kind, Resource};
    use crate::rules::RuleSettings;

    const ER: &str = "ER204";

    fn tagged(provider: &str, location: &str, tags: serde_json::Value) -> Resource {
        resource(
            Kind::Circuit,
            Dialect::AZURERM,
            serde_json::json!({
                "service_provider_name": provider,
                "peering_location": location,
                "bandwidth_in_mbps": 200,
                "tags": tags,
            }),
        )
    }

    #[test]
    fn carrier_through_its_exchange_passes() {
        let r = tagged(
            "Equinix",
            "Seattle",
            serde_json::json!({"carrier": "Alaska Communications"}),
        );
        assert!(run(&model(r), ER).is_empty());
        // Names resolve like provider names.
        let r = tagged(
            "equinix",
            "seattle",
            serde_json::json!({"Carrier": "alaska communications"}),
        );
        assert!(run(&model(r), ER).is_empty());
    }

    #[test]
    fn other_exchange_is_reported_with_the_right_one() {
        let r = tagged(
            "Megaport",
            "Seattle",
            serde_json::json!({"carrier": "Alaska Communications"}),
        );
        let m = one(&model(r), ER);
        assert!(m.contains("carrier `Alaska Communications` is not listed as reaching Seattle through `Megaport`; Microsoft's table lists it there through Equinix"), "{m}");
        assert!(
            m.contains("set `service_provider_name` to `Equinix`"),
            "{m}"
        );
    }

    #[test]
    fn carrier_not_listed_at_the_location() {
        let r = tagged(
            "Equinix",
            "Amsterdam",
            serde_json::json!({"carrier": "Alaska Communications"}),
        );
        let m = one(&model(r), ER);
        assert!(m.contains("carrier `Alaska Communications` is not listed as reaching Amsterdam through `Equinix`: Microsoft's table lists Alaska Communications only at Seattle through Equinix"), "{m}");
    }

    #[test]
    fn listed_partners_that_are_not_at_the_location_are_named_not_offered() {
        // Zain at London: BICS, Equinix and euNetworks; BICS is not a partner at London.
        let r = tagged("Megaport", "London", serde_json::json!({"carrier": "Zain"}));
        let m = one(&model(r), ER);
        assert_eq!(
            m,
            "carrier `Zain` is not listed as reaching London through `Megaport`; Microsoft's table lists it there through BICS, Equinix and euNetworks (BICS is not a partner at London) || set `service_provider_name` to `Equinix` or `euNetworks` and have Zain extend your network to it, or confirm with Zain that it reaches `Megaport` there (the table is not exhaustive) and suppress this finding with that reason; correct the `carrier` tag if Zain is not your carrier"
        );
        // Zertia at Madrid: Level 3 only, which is not a partner at Madrid.
        let r = tagged("DE-CIX", "Madrid", serde_json::json!({"carrier": "Zertia"}));
        let m = one(&model(r), ER);
        assert!(
            m.starts_with("carrier `Zertia` is not listed as reaching Madrid through `DE-CIX`; Microsoft's table lists it there through Level 3 Communications, which the locations table does not list at Madrid || confirm with Zertia that it reaches `DE-CIX` there"),
            "{m}"
        );
    }

    #[test]
    fn untagged_unknown_partner_and_unknown_carrier_stay_silent() {
        for tags in [
            serde_json::json!({}),
            serde_json::json!({"owner": "network"}),
            serde_json::json!({"carrier": "<unknown>"}),
            serde_json::json!({"carrier": "Acme Fiber"}),
            serde_json::json!("<unknown>"),
        ] {
            let r = tagged("Megaport", "Seattle", tags.clone());
            assert!(run(&model(r), ER).is_empty(), "{tags}");
        }
        // Unknown provider or location.
        let carrier = serde_json::json!({"carrier": "Alaska Communications"});
        assert!(run(&model(tagged("<unknown>", "Seattle", carrier.clone())), ER).is_empty());
        assert!(run(&model(tagged("Megaport", "<unknown>", carrier.clone())), ER).is_empty());
        // Not a partner (ER201) or not a location (ER203).
        assert!(run(&model(tagged("Acme", "Seattle", carrier.clone())), ER).is_empty());
        assert!(run(&model(tagged("Megaport", "Atlantis", carrier)), ER).is_empty());
    }

    #[test]
    fn the_tag_name_is_configurable() {
        let r = tagged(
            "Megaport",
            "Seattle",
            serde_json::json!({"wan-carrier": "Alaska Communications"}),
        );
        assert!(run(&model(r.clone()), ER).is_empty());
        let settings = RuleSettings {
            carrier_tag: "wan-carrier".into(),
            ..RuleSettings::default()
        };
        assert_eq!(run_with(&model(r), &settings, ER).len(), 1);
    }

    #[test]
    fn message_and_help_come_from_the_finding() {
        use super::NotViaExchange;
        let via = vec!["Equinix".to_string()];
        let listed = NotViaExchange {
            provider: "Megaport",
            carrier: "Alaska Communications",
            tag: "carrier",
            field: "service_provider_name",
            location: "Seattle",
            listed_here: Some(("Seattle", vec![("Equinix", true)])),
            listings: vec![("Seattle", &via)],
        };
        assert_eq!(
            listed.message(),
            "carrier `Alaska Communications` is not listed as reaching Seattle through `Megaport`; Microsoft's table lists it there through Equinix"
        );
        assert_eq!(
            listed.help(),
            "set `service_provider_name` to `Equinix` and have Alaska Communications extend your network to it, or confirm with Alaska Communications that it reaches `Megaport` there (the table is not exhaustive) and suppress this finding with that reason; correct the `carrier` tag if Alaska Communications is not your carrier"
        );
        let elsewhere = NotViaExchange {
            location: "Amsterdam",
            listed_here: None,
            ..listed
        };
        assert_eq!(
            elsewhere.message(),
            "carrier `Alaska Communications` is not listed as reaching Amsterdam through `Megaport`: Microsoft's table lists Alaska Communications only at Seattle through Equinix"
        );
        assert!(elsewhere.help().starts_with(
            "order the circuit where Alaska Communications is listed with an exchange (Seattle through Equinix)"
        ));
    }
}
