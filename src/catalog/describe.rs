//! `erlint catalog [QUERY]`: what the catalogue knows about a provider or location.

use super::*;

impl Catalog {
    /// What the catalogue knows: a summary without a query; for a provider, location,
    /// carrier or Azure region name, everything about it; for an unknown name, the
    /// closest names.
    pub fn describe(&self, query: Option<&str>) -> String {
        self.answer(query).0
    }

    /// What `erlint catalog [NAME]` prints, and whether the name was found (the summary,
    /// without a name, counts as found).
    pub fn answer(&self, query: Option<&str>) -> (String, bool) {
        let mut out = String::new();
        let q = query.map(str::trim).filter(|q| !q.is_empty());
        let Some(q) = q else {
            self.describe_summary(&mut out);
            return (out, true);
        };
        let mut found = false;
        let matches = self.resolve_provider(q);
        for m in &matches {
            if found {
                out.push('\n');
            }
            found = true;
            self.describe_partner(&mut out, m);
        }
        for l in self.locations_named(q) {
            if found {
                out.push('\n');
            }
            found = true;
            self.describe_location(&mut out, l);
        }
        if let Some(c) = self
            .carrier(q)
            .filter(|c| c.partner.is_none() || matches.is_empty())
        {
            if found {
                out.push('\n');
            }
            found = true;
            self.describe_carrier(&mut out, c);
        }
        if let Some(r) = self.azure_region(q) {
            if found {
                out.push('\n');
            }
            found = true;
            self.describe_region(&mut out, r);
        }
        if !found {
            let _ = writeln!(
                out,
                "`{q}` is not in the ExpressRoute catalogue (as of {}).",
                self.as_of()
            );
            let locations = self
                .data
                .locations
                .iter()
                .map(|l| (l.name.as_str(), l.name.as_str()));
            let carriers = self
                .data
                .carriers
                .iter()
                .map(|c| (c.name.as_str(), c.name.as_str()));
            let mut near: Vec<&str> = closest(self, q, self.provider_names(), 5, BROWSE);
            let more = closest(self, q, locations, 5, BROWSE)
                .into_iter()
                .chain(closest(self, q, carriers, 3, BROWSE));
            for n in more {
                if !near.contains(&n) {
                    near.push(n);
                }
            }
            if near.is_empty() {
                let _ = writeln!(out, "No close names. Run `erlint catalog` for a summary.");
            } else {
                let _ = writeln!(out, "Closest names: {}", join_names(&near, false));
            }
        }
        (out, found)
    }

    fn describe_summary(&self, out: &mut String) {
        let s = &self.data.source;
        let _ = writeln!(out, "erlint ExpressRoute catalogue, as of {}", self.as_of());
        let _ = writeln!(
            out,
            "source: {} {} @ {} (ms.date {})",
            s.repo, s.path, s.commit, s.ms_date
        );
        for sec in &s.secondary {
            let _ = writeln!(
                out,
                "        {} (ms.date {})",
                sec.path,
                sec.ms_date.as_deref().unwrap_or("unknown")
            );
        }
        let exchanges = self.data.exchanges.len();
        let _ = writeln!(
            out,
            "{} connectivity partners, of which {} partner names stand for {} cloud exchanges",
            self.data.partners.len(),
            self.exchange_partner_names().len(),
            exchanges
        );
        let _ = writeln!(
            out,
            "{} non-partner carriers that reach Microsoft through exchanges",
            self.data.carriers.len()
        );
        for cloud in Cloud::ALL {
            let std = self
                .data
                .locations
                .iter()
                .filter(|l| l.cloud == cloud && !l.is_metro())
                .count();
            let metro = self
                .data
                .locations
                .iter()
                .filter(|l| l.cloud == cloud && l.is_metro())
                .count();
            if metro > 0 {
                let _ = writeln!(
                    out,
                    "{}: {std} peering locations and {metro} Metro locations",
                    cloud.display()
                );
            } else {
                let _ = writeln!(out, "{}: {std} peering locations", cloud.display());
            }
        }
        let _ = writeln!(out, "{} Azure region names", self.data.azure_regions.len());
        let _ = writeln!(
            out,
            "exchanges: {}",
            join_names(
                &self
                    .data
                    .exchanges
                    .iter()
                    .map(|e| e.name.as_str())
                    .collect::<Vec<_>>(),
                false
            )
        );
        let _ = writeln!(out, "\nUsage: erlint catalog PROVIDER|LOCATION");
    }

    fn describe_partner(&self, out: &mut String, m: &ProviderMatch<'_>) {
        let p = m.partner;
        let role = match &p.exchange {
            Some(x) if *x != p.name => {
                format!("ExpressRoute connectivity partner and cloud exchange ({x})")
            }
            Some(_) => "ExpressRoute connectivity partner and cloud exchange".to_string(),
            None => "ExpressRoute connectivity partner".to_string(),
        };
        let _ = writeln!(out, "{}: {role}", p.name);
        if m.how != MatchKind::Exact {
            let _ = writeln!(out, "  matched `{}`: {}", m.matched, m.how.describe());
        }
        if !p.former_names.is_empty() {
            let _ = writeln!(
                out,
                "  former names: {}",
                join_names(&p.former_names, false)
            );
        }
        if !p.spellings.is_empty() {
            let _ = writeln!(out, "  also written: {}", join_names(&p.spellings, false));
        }
        for (cloud, locs) in &p.locations {
            let _ = writeln!(
                out,
                "  partner in the {} at {} location{}: {}",
                cloud.display(),
                locs.len(),
                if locs.len() == 1 { "" } else { "s" },
                join_names(locs, false)
            );
        }
        if !p.metro_future.is_empty() {
            let _ = writeln!(
                out,
                "  listed, not yet active, at: {}",
                join_names(&p.metro_future, false)
            );
        }
        if let Some(c) = self.carrier(&p.name) {
            // Where it is a partner itself, it is not also a carrier through an exchange.
            for l in c.listings.iter().filter(|l| {
                self.location(&l.location, Some(Cloud::Global))
                    .is_none_or(|loc| !loc.lists(&p.name))
            }) {
                let _ = writeln!(
                    out,
                    "  also reaches Microsoft as a carrier at {} through {}",
                    l.location,
                    join_names(&l.via, false)
                );
            }
        }
        if let Some(n) = &p.note {
            let _ = writeln!(out, "  note: {n}");
        }
    }

    fn describe_location(&self, out: &mut String, l: &Location) {
        let kind = if l.is_metro() {
            "ExpressRoute Metro location"
        } else {
            "peering location"
        };
        let mut head = format!("{}: {kind} in the {}", l.name, l.cloud.display());
        if let Some(z) = l.zone {
            let _ = write!(head, ", zone {z}");
        }
        match (&l.geopolitical_region, &l.geopolitical_region_derived) {
            (Some(g), _) => {
                let _ = write!(head, ", geopolitical region {g}");
            }
            (None, Some(g)) => {
                let _ = write!(head, ", geopolitical region {g} (derived)");
            }
            _ => {}
        }
        let _ = writeln!(out, "{head}");
        if !l.facilities.is_empty() {
            let _ = writeln!(out, "  facilities: {}", join_names(&l.facilities, false));
        }
        if l.local_azure_regions.is_empty() {
            let _ = writeln!(out, "  Local SKU: not available");
        } else {
            let _ = writeln!(
                out,
                "  Local SKU reaches: {}",
                join_names(&l.local_azure_regions, false)
            );
        }
        let _ = writeln!(
            out,
            "  ExpressRoute Direct: {}",
            if l.er_direct { "yes" } else { "no" }
        );
        if l.exchanges.is_empty() {
            let _ = writeln!(out, "  exchanges: none");
        } else {
            let _ = writeln!(
                out,
                "  exchanges ({}): {}",
                l.exchanges.len(),
                join_names(&l.exchanges, false)
            );
        }
        let _ = writeln!(
            out,
            "  partners ({}): {}",
            l.partners.len(),
            if l.partners.is_empty() {
                "none".to_string()
            } else {
                join_names(&l.partners, false)
            }
        );
        if !l.partners_future.is_empty() {
            let _ = writeln!(
                out,
                "  listed, not yet active: {}",
                join_names(&l.partners_future, false)
            );
        }
        self.describe_carriers_at(out, l);
    }

    /// The carriers that reach `l` through an exchange (not partners there), with their
    /// routes.
    fn describe_carriers_at(&self, out: &mut String, l: &Location) {
        // A partner here is never also listed as reaching it through an exchange (a
        // `catalog.extra` file can make a carrier a partner).
        let carriers: Vec<&CarrierAt> = l
            .carriers
            .iter()
            .filter(|c| !self.is_partner_at(&c.name, l))
            .collect();
        if !carriers.is_empty() {
            let _ = writeln!(out, "  non-partner carriers, through exchanges:");
            for c in carriers {
                let via: Vec<String> = match self.listed_routes(&c.name, l) {
                    Some(routes) if !routes.is_empty() => routes
                        .iter()
                        .map(|r| {
                            if r.partner_here {
                                r.route.partner.clone()
                            } else {
                                format!("{} (not listed as a partner here)", r.route.partner)
                            }
                        })
                        .collect(),
                    _ => c.via.clone(),
                };
                let _ = writeln!(out, "    {} via {}", c.name, join_names(&via, false));
            }
        }
    }

    fn describe_carrier(&self, out: &mut String, c: &Carrier) {
        match &c.partner {
            Some(p) => {
                let _ = writeln!(
                    out,
                    "{}: also listed as a carrier that reaches Microsoft through exchanges (it is a partner as `{p}`)",
                    c.name
                );
            }
            None => {
                let _ = writeln!(
                    out,
                    "{}: not an ExpressRoute partner; a carrier that reaches Microsoft through cloud exchanges",
                    c.name
                );
            }
        }
        for l in &c.listings {
            let site = if l.peering_location {
                String::new()
            } else {
                " (not a peering location)".to_string()
            };
            let _ = writeln!(
                out,
                "  at {}{site} through {}",
                l.location,
                join_names(&l.via, false)
            );
        }
        if c.partner.is_none() {
            let _ = writeln!(
                out,
                "  order the circuit from one of those exchanges and have {} extend your network to it",
                c.name
            );
        }
        if let Some(s) = &c.possibly_same_as {
            let _ = writeln!(
                out,
                "  a partner with a similar name: {s} (the docs do not say they are the same company)"
            );
        }
    }

    fn describe_region(&self, out: &mut String, r: &AzureRegion) {
        let geo = match (&r.geopolitical_region, &r.geopolitical_region_derived) {
            (Some(g), _) => format!(", geopolitical region {g}"),
            (None, Some(g)) => format!(", geopolitical region {g} (derived)"),
            _ => String::new(),
        };
        let _ = writeln!(
            out,
            "{}: Azure region (`{}`) in the {}{geo}; not a peering location",
            r.name,
            r.programmatic(),
            r.cloud.display()
        );
        if r.local_for.is_empty() {
            let _ = writeln!(out, "  no peering location offers the Local SKU for it");
        } else {
            let _ = writeln!(out, "  Local SKU from: {}", join_names(&r.local_for, false));
        }
    }
}
