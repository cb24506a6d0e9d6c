use super::*;

fn cat() -> &'static Catalog {
    let c = Catalog::bundled();
    assert!(!c.is_empty(), "{:?}", Catalog::from_json(BUNDLED).err());
    c
}

#[test]
fn bundled_catalogue_loads_with_source_and_date() {
    let c = cat();
    assert!(Catalog::from_json(BUNDLED).is_ok());
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
    assert!(e.contains("unknown field `partner`"), "{e}");
    let e = c
        .with_extra(r#"{"partners": [{"name": "X", "locations": {"global": ["Amsterdm"]}}]}"#)
        .unwrap_err();
    assert!(e.contains("partners[0].locations.global[0]"), "{e}");
    assert!(e.contains("`Amsterdam`"), "{e}");
    let e = c
        .with_extra(r#"{"locations": [{"name": "Y", "cloud": "german"}]}"#)
        .unwrap_err();
    assert!(e.contains("locations[0].cloud"), "{e}");
    let e = c
        .with_extra(r#"{"locations": [{"name": "West Europe"}]}"#)
        .unwrap_err();
    assert!(e.contains("Azure region"), "{e}");
    let e = c
        .with_extra(r#"{"locations": [{"name": " "}]}"#)
        .unwrap_err();
    assert!(e.contains("locations[0].name is empty"), "{e}");
    let e = c
        .with_extra(r#"{"locations": [{"name": "Z", "zone": 9}]}"#)
        .unwrap_err();
    assert!(e.contains("zone"), "{e}");
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
