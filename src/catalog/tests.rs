use super::*;

/// The catalogue file as written: the bundled binary form is made from it by build.rs.
const BUNDLED_JSON: &str = include_str!("../../rules/catalog.json");

fn cat() -> &'static Catalog {
    let c = Catalog::bundled();
    assert!(
        !c.is_empty(),
        "{:?}",
        Catalog::from_json(BUNDLED_JSON).err()
    );
    c
}

/// The embedded binary form is exactly the JSON file's data, and decodes to the catalogue
/// the JSON gives.
#[test]
fn bundled_binary_form_is_the_json_file() {
    let data: Data = serde_json::from_str(BUNDLED_JSON).unwrap();
    assert_eq!(postcard::to_allocvec(&data).unwrap(), BUNDLED);
    let decoded: Data = postcard::from_bytes(BUNDLED).unwrap();
    assert_eq!(
        serde_json::to_value(&decoded).unwrap(),
        serde_json::to_value(&data).unwrap()
    );
    let from_json = Catalog::from_json(BUNDLED_JSON).unwrap();
    let bundled = Catalog::bundled();
    assert_eq!(bundled.partners().len(), from_json.partners().len());
    assert_eq!(bundled.locations().len(), from_json.locations().len());
    let (header, _) = postcard::take_from_bytes::<Header>(BUNDLED).unwrap();
    assert_eq!(header.as_of, from_json.as_of());
    assert_eq!(header.source.commit, from_json.source().commit);
}

#[test]
fn bundled_catalogue_loads_with_source_and_date() {
    let c = cat();
    assert!(Catalog::from_json(BUNDLED_JSON).is_ok());
    assert_eq!(c.as_of(), "2026-04-28");
    assert_eq!(c.source().repo, "MicrosoftDocs/azure-docs");
    assert_eq!(c.source().commit.len(), 40);
    assert!(c.partners().len() > 180);
    assert_eq!(c.exchanges().len(), 10);
    let global = c
        .locations()
        .iter()
        .filter(|l| l.cloud == Cloud::Global && !l.is_metro())
        .count();
    assert_eq!(global, 105);
    assert_eq!(
        c.provider_bandwidths_mbps(),
        [50, 100, 200, 500, 1000, 2000, 5000, 10000]
    );
    assert_eq!(c.direct().circuit_bandwidths(10), Some(&[1, 2, 5, 10][..]));
    assert_eq!(c.direct().circuit_bandwidths(40), None);
}

#[test]
fn partner_and_locations_facts() {
    let c = cat();
    let ams = c.location("Amsterdam", Some(Cloud::Global)).unwrap();
    assert!(c.is_partner_at("Equinix", ams));
    assert!(c.is_partner_at("equinix", ams));
    assert!(ams.exchanges.iter().any(|e| e == "Equinix"));
    assert_eq!(ams.zone, Some(1));
    assert_eq!(ams.local_azure_regions, ["West Europe"]);
    assert_eq!(ams.geopolitical(), Some("Europe"));
    assert!(c.is_partner_at("AT&T Netbond", ams));
    assert!(c.location("newport (wales)", Some(Cloud::Global)).is_some());
    assert!(c.location("Queretaro(Mexico)", None).is_some());
    assert!(c.location("São Paulo", None).is_some());
    // Metro
    let metro = c.location("Amsterdam Metro", Some(Cloud::Global)).unwrap();
    assert!(metro.is_metro());
    assert!(c.is_partner_at("SURF", metro));
    assert!(metro.lists_as_future("GTT"));
    // national clouds
    assert!(c.location("Beijing", Some(Cloud::Global)).is_none());
    assert_eq!(
        c.location("Beijing", None).map(|l| l.cloud),
        Some(Cloud::China)
    );
    assert_eq!(c.locations_named("Seattle").len(), 2);
    let gov = c.location("Seattle", Some(Cloud::UsGovernment)).unwrap();
    assert!(c.is_partner_at("Megaport", gov));
    assert!(!c.is_partner_at("Zayo", gov));
}

#[test]
fn provider_names_resolve_through_spellings_former_names_and_halves() {
    let c = cat();
    let m = c.provider("Telia Carrier").unwrap();
    assert_eq!(m.partner.name, "Arelion (Telia Carrier)");
    assert_eq!(m.how, MatchKind::FormerName);
    let m = c.provider("arelion").unwrap();
    assert_eq!(m.partner.name, "Arelion (Telia Carrier)");
    assert_eq!(m.how, MatchKind::Half);
    let m = c.provider("AT&T Netbond").unwrap();
    assert_eq!(
        (m.partner.name.as_str(), m.how),
        ("AT&T NetBond", MatchKind::Exact)
    );
    let m = c.provider("GEANT").unwrap();
    assert_eq!(
        (m.partner.name.as_str(), m.how),
        ("GÉANT", MatchKind::Exact)
    );
    let m = c.provider("Vorboss").unwrap();
    assert_eq!(
        (m.partner.name.as_str(), m.how),
        ("Vorboss Limited", MatchKind::Spelling)
    );
    let m = c
        .provider("NTT Communications - Flexible InterConnect")
        .unwrap();
    assert_eq!(m.how, MatchKind::FormerName);
    let m = c.provider("Interxion").unwrap();
    assert_eq!(m.partner.name, "Interxion (Digital Realty)");
    assert!(m.partner.is_exchange());
    assert_eq!(c.provider("Console Connect").unwrap().how, MatchKind::Half);
    // a name that is a partner and a former name: both identities
    let all = c.resolve_provider("NTT Communications");
    assert_eq!(all.first().unwrap().partner.name, "NTT Communications");
    assert!(all.iter().any(|m| m.partner.name == "NTT DOCOMO BUSINESS"));
    let ams = c.location("Amsterdam", None).unwrap();
    assert!(c.is_partner_at("NTT Communications", ams));
    // legal-form suffixes are not names
    assert!(c.provider("l.p.").is_none());
    assert!(c.provider("Cellcom Fixed Line Communication").is_some());
    assert!(c.provider("Alaska Communications").is_none());
}

#[test]
fn carriers_and_exchanges() {
    let c = cat();
    let a = c.carrier("alaska communications").unwrap();
    assert!(a.partner.is_none());
    let seattle = c.location("Seattle", Some(Cloud::Global)).unwrap();
    let at = c.carrier_at("Alaska Communications", seattle).unwrap();
    assert_eq!(at.via, ["Equinix"]);
    assert!(c.exchanges_at(seattle).iter().any(|e| e == "Equinix"));
    assert_eq!(c.carrier("BICS").unwrap().partner.as_deref(), Some("BICS"));
    let names = c.exchange_partner_names();
    assert!(names.contains(&"Interxion (Digital Realty)"));
    assert!(names.contains(&"Digital Realty"));
}

#[test]
fn azure_regions_are_not_peering_locations() {
    let c = cat();
    for n in [
        "West Europe",
        "westeurope",
        "WESTEUROPE",
        "East US 2",
        "eastus2",
        "usgovvirginia",
    ] {
        assert!(c.is_azure_region(n), "{n}");
        assert!(c.location(n, None).is_none(), "{n}");
    }
    let we = c.azure_region("westeurope").unwrap();
    assert_eq!(we.local_for, ["Amsterdam", "Amsterdam2", "Amsterdam Metro"]);
    assert!(c.is_azure_region("West India"));
    assert!(c.is_azure_region("Canada Central"));
    assert!(!c.is_azure_region("Canda Central"));
    assert!(!c.is_azure_region("Amsterdam"));
}

#[test]
fn closest_names() {
    let c = cat();
    assert_eq!(c.closest_providers("Equinx", 3).first(), Some(&"Equinix"));
    assert_eq!(
        c.closest_providers("Megaprot", 3).first(),
        Some(&"Megaport")
    );
    assert_eq!(
        c.closest_providers("Equinix Cloud Exchange", 3).first(),
        Some(&"Equinix")
    );
    assert!(
        c.closest_providers("Completely Unrelated Name", 3)
            .is_empty()
    );
    assert_eq!(
        c.closest_locations("Amsterdm", Some(Cloud::Global), 3)
            .first(),
        Some(&"Amsterdam")
    );
    let wdc = c.closest_locations("Washington", Some(Cloud::Global), 3);
    assert!(wdc.contains(&"Washington DC"), "{wdc:?}");
    assert_eq!(
        c.closest_locations("Frankfurt am Main", None, 1),
        ["Frankfurt"]
    );
}

#[test]
fn local_sku_availability() {
    let c = cat();
    let dallas = c.location("Dallas", Some(Cloud::Global)).unwrap();
    assert!(!dallas.local_sku_available());
    let toronto = c.location("Toronto Metro", None).unwrap();
    assert_eq!(c.local_regions(toronto), ["Canada Central"]);
}

#[test]
fn describe_summary_provider_location_unknown() {
    let c = cat();
    let s = c.describe(None);
    assert!(s.contains("as of 2026-04-28"), "{s}");
    assert!(s.contains("0034968231599d97"), "{s}");
    let s = c.describe(Some("Telia Carrier"));
    assert!(s.contains("Arelion (Telia Carrier)"), "{s}");
    assert!(s.contains("former name"), "{s}");
    let s = c.describe(Some("Equinix"));
    assert!(s.contains("cloud exchange"), "{s}");
    assert!(s.contains("Azure US Government"), "{s}");
    let s = c.describe(Some("amsterdam"));
    assert!(s.contains("zone 1"), "{s}");
    assert!(s.contains("BICS via Equinix"), "{s}");
    assert!(s.contains("West Europe"), "{s}");
    let s = c.describe(Some("Alaska Communications"));
    assert!(s.contains("not an ExpressRoute partner"), "{s}");
    assert!(s.contains("Seattle through Equinix"), "{s}");
    let s = c.describe(Some("westeurope"));
    assert!(s.contains("not a peering location"), "{s}");
    let s = c.describe(Some("Amsterdm"));
    assert!(s.contains("Closest names: Amsterdam"), "{s}");
}

#[test]
fn extra_partners_and_locations_merge() {
    let c = cat();
    let extra = r#"{
        "version": 1,
        "locations": [
            {"name": "Hamburg", "cloud": "global", "zone": 1, "partners": ["Equinix", "Acme Fiber"]},
            {"name": "Seattle", "cloud": "public", "partners": ["Acme Fiber"]}
        ],
        "partners": [
            {"name": "Acme Fiber", "spellings": ["ACME"], "locations": {"global": ["Amsterdam"]}},
            {"name": "Telia Carrier", "locations": {"global": ["Hamburg"]}}
        ]
    }"#;
    let x = c.with_extra(extra).unwrap();
    let hh = x.location("hamburg", Some(Cloud::Global)).unwrap();
    assert!(x.is_partner_at("Equinix", hh));
    assert!(x.is_partner_at("acme", hh));
    assert!(x.is_partner_at("Arelion", hh));
    assert_eq!(hh.exchanges, ["Equinix"]);
    let ams = x.location("Amsterdam", None).unwrap();
    assert!(x.is_partner_at("Acme Fiber", ams));
    let sea = x.location("Seattle", Some(Cloud::Global)).unwrap();
    assert!(x.is_partner_at("Acme Fiber", sea));
    assert_eq!(x.partners().len(), c.partners().len() + 1);
    // a partner made an exchange is one everywhere it serves
    let x2 = c
        .with_extra(r#"{"partners": [{"name": "Colt", "exchange": true}]}"#)
        .unwrap();
    let ams = x2.location("Amsterdam", None).unwrap();
    assert!(ams.exchanges.iter().any(|e| e == "Colt"));
    assert!(!ams.exchanges.iter().any(|e| e == "Zayo"));
    // the bundled catalogue is untouched
    assert!(c.location("Hamburg", None).is_none());
}

#[test]
fn extra_errors_are_clear() {
    let c = cat();
    let e = c.with_extra(r#"{"partner": []}"#).unwrap_err();
    assert!(e.message.starts_with("unknown field `partner`"), "{e}");
    assert_eq!(e.position, Some((1, 10)), "from serde_json's API");
    assert!(!e.message.contains("at line"), "{e}");
    let e = c
        .with_extra(r#"{"partners": [{"name": "X", "locations": {"global": ["Amsterdm"]}}]}"#)
        .unwrap_err();
    assert_eq!(
        e.entry.as_deref(),
        Some("partners[0].locations.global[0]"),
        "{e}"
    );
    let e = e.message;
    assert!(e.contains("`Amsterdam`"), "{e}");
    let e = c
        .with_extra(r#"{"locations": [{"name": "Y", "cloud": "german"}]}"#)
        .unwrap_err();
    assert!(e.message.contains("locations[0].cloud"), "{e}");
    let e = c
        .with_extra(r#"{"locations": [{"name": "West Europe"}]}"#)
        .unwrap_err();
    assert!(e.message.contains("Azure region"), "{e}");
    let e = c
        .with_extra(r#"{"locations": [{"name": " "}]}"#)
        .unwrap_err();
    assert!(e.message.contains("locations[0].name is empty"), "{e}");
    let e = c
        .with_extra(r#"{"locations": [{"name": "Z", "zone": 9}]}"#)
        .unwrap_err();
    assert!(e.message.contains("zone"), "{e}");
    assert!(c.with_extra("{").is_err());
    assert!(c.with_extra(r#"{"version": 2}"#).is_err());
}

#[test]
fn normalize_folds_case_accents_and_space() {
    assert_eq!(normalize("GÉANT"), "geant");
    assert_eq!(normalize(" Newport (Wales) "), "newport(wales)");
    assert_eq!(normalize("São\u{a0}Paulo"), "saopaulo");
    assert_eq!(Cloud::parse("AzureUSGovernment"), Some(Cloud::UsGovernment));
    assert_eq!(Cloud::parse("public"), Some(Cloud::Global));
    assert_eq!(Cloud::parse("german"), None);
}

#[test]
fn one_off_spellings_are_folded_and_both_accepted() {
    let c = cat();
    // "CenturyLink" is printed only at London; "AT&T" only at US Gov Silicon Valley.
    assert!(c.partner("CenturyLink").is_none());
    assert!(c.partner("AT&T").is_none());
    let m = c.provider("CenturyLink").unwrap();
    assert_eq!(
        (m.partner.name.as_str(), m.how),
        ("CenturyLink Cloud Connect", MatchKind::Spelling)
    );
    let london = c.location("London", Some(Cloud::Global)).unwrap();
    assert!(
        london
            .partners
            .iter()
            .any(|p| p == "CenturyLink Cloud Connect")
    );
    assert!(c.is_partner_at("CenturyLink Cloud Connect", london));
    assert!(c.is_partner_at("CenturyLink", london));
    let sv = c
        .location("Silicon Valley", Some(Cloud::UsGovernment))
        .unwrap();
    assert!(sv.partners.iter().any(|p| p == "AT&T NetBond"));
    assert!(c.is_partner_at("AT&T NetBond", sv));
    assert!(c.is_partner_at("AT&T", sv));
    // names kept apart stay apart
    assert!(c.partner("MTN").is_some());
    assert!(c.partner("China Telecom").is_some());
    assert!(c.partner("Vodafone Idea").is_some());
    let beijing = c.location("Beijing", Some(Cloud::China)).unwrap();
    assert!(!c.is_partner_at("China Telecom Global", beijing));
}

#[test]
fn routes_are_the_ones_the_additional_providers_table_gives() {
    let c = cat();
    let madrid = c.location("Madrid", Some(Cloud::Global)).unwrap();
    let r = c.listed_routes("Zertia", madrid).unwrap();
    assert_eq!(r.len(), 1, "{r:?}");
    assert_eq!(r[0].route.listed_as, "Level3");
    assert_eq!(r[0].route.partner, "Level 3 Communications");
    assert!(!r[0].route.exchange_provider);
    assert!(!r[0].partner_here);
    // Madrid's exchanges are not added to what the table says
    assert!(!madrid.exchanges.is_empty());
    let miami = c.location("Miami", Some(Cloud::Global)).unwrap();
    let r = c.listed_routes("zertia", miami).unwrap();
    let names: Vec<(&str, bool, bool)> = r
        .iter()
        .map(|x| {
            (
                x.route.partner.as_str(),
                x.route.exchange_provider,
                x.partner_here,
            )
        })
        .collect();
    assert_eq!(names, [("Equinix", true, true), ("Megaport", true, true)]);
    // a partner named as the exchange (item 9): Tata Communications for Tata Teleservices
    let chennai = c.location("Chennai", Some(Cloud::Global)).unwrap();
    let r = c.listed_routes("Tata Teleservices", chennai).unwrap();
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].route.partner, "Tata Communications");
    assert!(!r[0].route.exchange_provider);
    assert!(r[0].partner_here);
    // BICS is named at London but is not a partner there; euNetworks is
    let london = c.location("London", Some(Cloud::Global)).unwrap();
    let r = c.listed_routes("Zain", london).unwrap();
    let got: Vec<(&str, &str, bool, bool)> = r
        .iter()
        .map(|x| {
            (
                x.route.listed_as.as_str(),
                x.route.partner.as_str(),
                x.route.exchange_provider,
                x.partner_here,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("BICS", "BICS", false, false),
            ("Equinix", "Equinix", true, true),
            ("euNetworks", "euNetworks", false, true),
        ]
    );
    // not listed there: None, not an invented route
    let amsterdam = c.location("Amsterdam", Some(Cloud::Global)).unwrap();
    assert!(c.listed_routes("Zertia", amsterdam).is_none());
    assert!(c.listed_routes("Equinix", amsterdam).is_none());
    // the pivot by carrier keeps the same routes
    let z = c.carrier("Zertia").unwrap();
    assert_eq!(z.listings.len(), 2);
    assert_eq!(z.listings[0].routes[0].listed_as, "Level3");
}

#[test]
fn a_partner_at_a_location_is_never_also_a_carrier_there() {
    let c = cat();
    for l in c.locations() {
        for carrier in &l.carriers {
            assert!(
                !c.is_partner_at(&carrier.name, l),
                "{} is a partner at {} and listed as a carrier there",
                carrier.name,
                l.name
            );
        }
    }
    for carrier in c.carriers() {
        for li in &carrier.listings {
            if let Some(l) = c.location(&li.location, Some(Cloud::Global)) {
                assert!(!c.is_partner_at(&carrier.name, l), "{}", carrier.name);
            }
        }
    }
    let s = c.describe(Some("Amsterdam"));
    assert!(s.contains("Telecom Italia Sparkle"), "{s}");
    assert!(!s.contains("Telecom Italia Sparkle via"), "{s}");
    let s = c.describe(Some("Telecom Italia Sparkle"));
    assert!(!s.contains("as a carrier"), "{s}");
    // Crown Castle is a partner at New York and a carrier at Chicago
    let s = c.describe(Some("Crown Castle"));
    assert!(s.contains("as a carrier at Chicago"), "{s}");
    assert!(!s.contains("as a carrier at New York"), "{s}");
    // a carrier that a `catalog.extra` file makes a partner there is not listed as both
    let x = c
        .with_extra(r#"{"partners": [{"name": "Zertia", "locations": {"global": ["Madrid"]}}]}"#)
        .unwrap();
    let s = x.describe(Some("Madrid"));
    assert!(s.contains("Zertia"), "{s}");
    assert!(!s.contains("Zertia via"), "{s}");
    let s = c.describe(Some("Madrid"));
    assert!(
        s.contains("Zertia via Level 3 Communications (not listed as a partner here)"),
        "{s}"
    );
}

#[test]
fn extra_locations_are_sorted_with_the_bundled_ones() {
    let c = cat();
    let x = c
        .with_extra(
            r#"{"locations": [{"name": "Aachen", "partners": ["Equinix"], "local_azure_regions": ["West Europe"]},
                               {"name": "Hamburg", "partners": ["Equinix"]}],
                "partners": [{"name": "Aardvark Net", "locations": {"global": ["Hamburg"]}}]}"#,
        )
        .unwrap();
    let names: Vec<(Cloud, String)> = x
        .locations()
        .iter()
        .map(|l| (l.cloud, normalize(&l.name)))
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    assert_eq!(x.locations()[0].name, "Aachen");
    let partners: Vec<String> = x.partners().iter().map(|p| normalize(&p.name)).collect();
    let mut sorted = partners.clone();
    sorted.sort();
    assert_eq!(partners, sorted);
    let eq = x.partner("Equinix").unwrap();
    let global = eq.locations_in(Cloud::Global);
    let hh = global.iter().position(|l| l == "Hamburg").unwrap();
    assert_eq!(global[hh - 1], "Geneva");
    assert!(
        x.describe(Some("Equinix"))
            .contains("Geneva, Hamburg, Hong Kong")
    );
}

#[test]
fn metro_providers_not_active_yet() {
    let c = cat();
    let toronto = c.location("Toronto Metro", Some(Cloud::Global)).unwrap();
    assert_eq!(c.provider_listing("Zayo", toronto), Listing::NotYetActive);
    assert_eq!(
        c.provider_listing("megaport", toronto),
        Listing::NotYetActive
    );
    assert_eq!(c.provider_listing("Equinix", toronto), Listing::NotListed);
    assert_eq!(toronto.listing("Zayo"), Listing::NotYetActive);
    let ams = c.location("Amsterdam Metro", Some(Cloud::Global)).unwrap();
    assert_eq!(c.provider_listing("SURF", ams), Listing::Active);
    assert_eq!(c.provider_listing("GTT", ams), Listing::NotYetActive);
    // a former name or spelling resolves: "Telia Carrier (Arelion)" is active at Stockholm Metro
    let sto = c.location("Stockholm Metro", None).unwrap();
    assert_eq!(c.provider_listing("Telia Carrier", sto), Listing::Active);
    assert_eq!(c.provider_listing("Megaport", sto), Listing::NotYetActive);
    // standard locations have no future listings
    let zurich = c.location("Zurich", None).unwrap();
    assert_eq!(c.provider_listing("Zayo", zurich), Listing::Active);
    assert!(
        c.metro_future_note()
            .contains("circuit creation is expected to fail until the providers become active"),
        "{}",
        c.metro_future_note()
    );
}

#[test]
fn local_sku_in_every_cloud() {
    let c = cat();
    let gov = |n: &str| c.location(n, Some(Cloud::UsGovernment)).unwrap();
    assert_eq!(c.local_sku(gov("Chicago")), LocalSku::NotOffered);
    assert_eq!(
        c.local_sku(gov("Phoenix")),
        LocalSku::Offered(&["US Gov Arizona".to_string()][..])
    );
    assert_eq!(
        c.local_sku(gov("Washington DC")),
        LocalSku::Offered(&["US DoD East".to_string(), "US Gov Virginia".to_string()][..])
    );
    let beijing = c.location("Beijing", Some(Cloud::China)).unwrap();
    assert_eq!(c.local_sku(beijing), LocalSku::NotOffered);
    let dallas = c.location("Dallas", Some(Cloud::Global)).unwrap();
    assert_eq!(c.local_sku(dallas), LocalSku::NotOffered);
    let ams = c.location("Amsterdam", Some(Cloud::Global)).unwrap();
    assert_eq!(
        c.local_sku(ams),
        LocalSku::Offered(&["West Europe".to_string()][..])
    );
    // a catalogue that does not say whether a cloud's table has the column
    let mut v: serde_json::Value = serde_json::from_str(BUNDLED_JSON).unwrap();
    v.as_object_mut().unwrap().remove("clouds");
    let old = Catalog::from_json(&v.to_string()).unwrap();
    let chicago = old.location("Chicago", Some(Cloud::UsGovernment)).unwrap();
    assert_eq!(old.local_sku(chicago), LocalSku::NotDocumented);
}

#[test]
fn direct_port_sizes_and_circuit_sizes() {
    let d = cat().direct();
    for ok in [10, 100, 400] {
        assert!(d.is_port_size(ok), "{ok}");
    }
    for bad in [0, 1, 25, 40, 200, 1000] {
        assert!(!d.is_port_size(bad), "{bad}");
    }
    assert_eq!(d.circuit_bandwidths(100), Some(&[5, 10, 40, 100][..]));
    assert_eq!(
        d.circuit_bandwidths(400),
        Some(&[5, 10, 40, 100, 200, 400][..])
    );
    assert_eq!(d.sku_tiers, ["Local", "Standard", "Premium"]);
}

#[test]
fn version_text_names_every_source_page() {
    let c = cat();
    let v = c.version_text();
    assert!(
        v.starts_with("ExpressRoute catalogue as of 2026-04-28"),
        "{v}"
    );
    assert!(
        v.contains("articles/expressroute/expressroute-locations-providers.md (ms.date 04/28/2026, commit 003496823159)"),
        "{v}"
    );
    assert!(
        v.contains("articles/expressroute/metro.md (ms.date 05/10/2026, commit not recorded)"),
        "{v}"
    );
    assert!(
        v.contains("expressroute-erdirect-about.md (ms.date 03/02/2026"),
        "{v}"
    );
    assert!(long_version().starts_with(env!("CARGO_PKG_VERSION")));
    assert!(long_version().contains("as of 2026-04-28"));
    // Read from the file's header alone, it is the text the whole catalogue gives.
    assert_eq!(
        long_version(),
        format!("{}\n{v}", env!("CARGO_PKG_VERSION"))
    );
}

/// A 100 KB "provider name" (a value doubled by templates) gets no suggestion, at once.
#[test]
fn very_long_names_get_no_suggestion() {
    let c = Catalog::bundled();
    let long = format!("Equinx {}", "Equinix ".repeat(12_500));
    let start = std::time::Instant::now();
    assert!(c.closest_providers(&long, 3).is_empty());
    assert!(start.elapsed() < std::time::Duration::from_secs(1));
    assert_eq!(c.closest_providers("Equinx", 1), vec!["Equinix"]);
}

/// The "did you mean" answers are remembered per query, within a bound: the bundled
/// catalogue lives as long as the language server.
#[test]
fn remembered_suggestions_are_bounded_and_the_same() {
    let c = Catalog::from_json(BUNDLED_JSON).unwrap();
    let first = c.closest_providers("Equinx", 3);
    assert_eq!(first.first(), Some(&"Equinix"));
    for i in 0..suggest::MEMO_MOST + 10 {
        let _ = c.closest_providers(&format!("Equinx {i}"), 3);
    }
    assert!(c.idx.closest_providers.len() <= suggest::MEMO_MOST);
    assert_eq!(c.closest_providers("Equinx", 3), first);
    assert_eq!(c.closest_providers("Equinx", 3), first);
}
