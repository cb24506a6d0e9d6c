//! User additions to the catalogue (`catalog.extra`, see `docs/catalog-extra.md`).

use super::*;
use serde::Deserialize;
use std::collections::BTreeMap;

/// Why an extra catalogue cannot be used: a JSON error at a line and column, or an entry
/// (`partners[0].locations.global[1]`) that is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtraError {
    /// The whole message, entry path first (`partners[0].name is empty`).
    pub message: String,
    /// The entry at fault, as a JSON path.
    pub entry: Option<String>,
    /// A JSON error's 1-based line and column (the column counts bytes).
    pub position: Option<(usize, usize)>,
}

impl ExtraError {
    fn entry(path: impl Into<String>, rest: impl AsRef<str>) -> ExtraError {
        let path = path.into();
        ExtraError {
            message: format!("{path}{}", rest.as_ref()),
            entry: Some(path),
            position: None,
        }
    }

    /// serde_json's error, its position taken from its API (0 means none).
    fn json(e: serde_json::Error) -> ExtraError {
        let position = (e.line() > 0).then(|| (e.line(), e.column()));
        let text = e.to_string();
        // The message without the position serde_json appends to it.
        let message = match position {
            Some((l, c)) => text
                .strip_suffix(&format!(" at line {l} column {c}"))
                .unwrap_or(&text)
                .to_string(),
            None => text,
        };
        ExtraError {
            message,
            entry: None,
            position,
        }
    }
}

impl std::fmt::Display for ExtraError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Extra {
    #[serde(default)]
    version: Option<u32>,
    #[serde(default)]
    partners: Vec<ExtraPartner>,
    #[serde(default)]
    locations: Vec<ExtraLocation>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExtraPartner {
    name: String,
    #[serde(default)]
    spellings: Vec<String>,
    #[serde(default)]
    former_names: Vec<String>,
    #[serde(default)]
    exchange: bool,
    #[serde(default)]
    locations: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExtraLocation {
    name: String,
    #[serde(default)]
    cloud: Option<String>,
    #[serde(default)]
    zone: Option<u8>,
    #[serde(default)]
    geopolitical_region: Option<String>,
    #[serde(default)]
    local_azure_regions: Vec<String>,
    #[serde(default)]
    er_direct: Option<bool>,
    #[serde(default)]
    partners: Vec<String>,
}

impl Catalog {
    /// This catalogue plus the partners and locations of a user file (schema in
    /// `docs/catalog-extra.md`). Errors name the offending entry.
    pub fn with_extra(&self, extra_json: &str) -> Result<Catalog, ExtraError> {
        let extra: Extra = serde_json::from_str(extra_json).map_err(ExtraError::json)?;
        if let Some(v) = extra.version
            && v != 1
        {
            return Err(ExtraError::entry(
                "version",
                format!(": {v} is not a version this erlint reads (1)"),
            ));
        }
        let mut c = self.clone();
        // Locations first, so partners can name them.
        let mut pending_links: Vec<(String, usize)> = Vec::new();
        for (i, x) in extra.locations.iter().enumerate() {
            c.add_extra_location(i, x, &mut pending_links)?;
        }
        for (i, x) in extra.partners.iter().enumerate() {
            c.add_extra_partner(i, x)?;
        }
        c.finish_extra(pending_links);
        c.reindex();
        Ok(c)
    }

    /// `locations[i]` of an extra file: a new location, or more for one there is; the
    /// partners it names are linked later, in `finish_extra`.
    fn add_extra_location(
        &mut self,
        i: usize,
        x: &ExtraLocation,
        pending_links: &mut Vec<(String, usize)>,
    ) -> Result<(), ExtraError> {
        let at = format!("locations[{i}]");
        let name = x.name.trim();
        if name.is_empty() {
            return Err(ExtraError::entry(format!("{at}.name"), " is empty"));
        }
        let cloud = match &x.cloud {
            None => Cloud::Global,
            Some(s) => Cloud::parse(s).ok_or_else(|| {
                ExtraError::entry(
                    format!("{at}.cloud"),
                    format!(": `{s}` is not one of `global`, `us_government`, `china`"),
                )
            })?,
        };
        if let Some(z) = x.zone
            && !(1..=4).contains(&z)
        {
            return Err(ExtraError::entry(
                format!("{at}.zone"),
                format!(": {z} is not a pricing zone (1 to 4)"),
            ));
        }
        if self.is_azure_region(name) {
            return Err(ExtraError::entry(
                format!("{at}.name"),
                format!(": `{name}` is an Azure region, not a peering location"),
            ));
        }
        let li = match self.location(name, Some(cloud)).map(|l| l.name.clone()) {
            Some(existing) => self
                .data
                .locations
                .iter()
                .position(|l| l.cloud == cloud && l.name == existing)
                .ok_or_else(|| ExtraError::entry(at.clone(), ": internal lookup failure"))?,
            None => self.push_extra_location(name, cloud, x),
        };
        if let Some(l) = self.data.locations.get_mut(li) {
            for r in &x.local_azure_regions {
                if r.trim().is_empty() {
                    return Err(ExtraError::entry(
                        format!("{at}.local_azure_regions"),
                        " has an empty name",
                    ));
                }
                if !l
                    .local_azure_regions
                    .iter()
                    .any(|e| normalize(e) == normalize(r))
                {
                    l.local_azure_regions.push(r.trim().to_string());
                }
            }
        }
        for (j, p) in x.partners.iter().enumerate() {
            if p.trim().is_empty() {
                return Err(ExtraError::entry(
                    format!("{at}.partners[{j}]"),
                    " is empty",
                ));
            }
            pending_links.push((p.trim().to_string(), li));
        }
        Ok(())
    }

    /// A new location from an extra file; its index.
    fn push_extra_location(&mut self, name: &str, cloud: Cloud, x: &ExtraLocation) -> usize {
        self.data.locations.push(Location {
            name: name.to_string(),
            cloud,
            kind: if name.to_ascii_lowercase().ends_with(" metro") {
                LocationKind::Metro
            } else {
                LocationKind::Standard
            },
            metro_of: None,
            zone: x.zone,
            geopolitical_region: x.geopolitical_region.clone(),
            geopolitical_region_derived: None,
            local_azure_regions: vec![],
            er_direct: x.er_direct.unwrap_or(false),
            facilities: vec![],
            partners: vec![],
            partners_future: vec![],
            exchanges: vec![],
            carriers: vec![],
        });
        self.reindex();
        self.data.locations.len() - 1
    }

    /// `partners[i]` of an extra file: a new partner, or more for one there is, linked to
    /// the locations it names.
    fn add_extra_partner(&mut self, i: usize, x: &ExtraPartner) -> Result<(), ExtraError> {
        let at = format!("partners[{i}]");
        let name = x.name.trim();
        if name.is_empty() {
            return Err(ExtraError::entry(format!("{at}.name"), " is empty"));
        }
        let pi = self.partner_index_for(name, "extra");
        if let Some(p) = self.data.partners.get_mut(pi) {
            for s in &x.spellings {
                if !s.trim().is_empty() && !p.spellings.contains(s) && *s != p.name {
                    p.spellings.push(s.trim().to_string());
                }
            }
            for s in &x.former_names {
                if !s.trim().is_empty() && !p.former_names.contains(s) {
                    p.former_names.push(s.trim().to_string());
                }
            }
            if x.exchange && p.exchange.is_none() {
                p.exchange = Some(p.name.clone());
            }
        }
        self.reindex();
        for (cloud_s, locs) in &x.locations {
            let cloud = Cloud::parse(cloud_s).ok_or_else(|| {
                ExtraError::entry(
                    format!("{at}.locations"),
                    format!(": `{cloud_s}` is not one of `global`, `us_government`, `china`"),
                )
            })?;
            for (j, ln) in locs.iter().enumerate() {
                let Some(li) = self
                    .location(ln, Some(cloud))
                    .map(|l| l.name.clone())
                    .and_then(|n| {
                        self.data
                            .locations
                            .iter()
                            .position(|l| l.cloud == cloud && l.name == n)
                    })
                else {
                    let near = self.closest_locations(ln, Some(cloud), 3);
                    let hint = if near.is_empty() {
                        String::new()
                    } else {
                        format!(" (did you mean {}?)", join_names(&near, true))
                    };
                    return Err(ExtraError::entry(
                        format!("{at}.locations.{cloud_s}[{j}]"),
                        format!(
                            ": `{ln}` is not a peering location in the {}{hint}; add it under `locations` first",
                            cloud.display()
                        ),
                    ));
                };
                self.link(pi, li);
            }
        }
        Ok(())
    }

    /// The links the locations named, then everything in the order the generated file
    /// keeps.
    fn finish_extra(&mut self, pending_links: Vec<(String, usize)>) {
        for (p, li) in pending_links {
            let pi = self.partner_index_for(&p, "extra");
            self.link(pi, li);
            self.reindex();
        }
        for p in &mut self.data.partners {
            for v in p.locations.values_mut() {
                v.sort_by_key(|n| normalize(n));
            }
        }
        // New locations and partners take their place among the bundled ones (cloud,
        // then name), like the generated file orders them.
        self.data
            .locations
            .sort_by_key(|l| (l.cloud, normalize(&l.name)));
        self.data.partners.sort_by_key(|p| normalize(&p.name));
        for l in &mut self.data.locations {
            l.local_azure_regions.sort_by_key(|r| normalize(r));
        }
        // A partner the file made an exchange is one at every location it serves.
        let exchanges: Vec<String> = self
            .data
            .partners
            .iter()
            .filter(|p| p.is_exchange())
            .map(|p| p.name.clone())
            .collect();
        for l in &mut self.data.locations {
            l.exchanges = l
                .partners
                .iter()
                .filter(|p| exchanges.contains(p))
                .cloned()
                .collect();
        }
    }

    /// The partner a name resolves to (not through halves), or a new one.
    fn partner_index_for(&mut self, name: &str, source: &str) -> usize {
        let found = self
            .resolve_provider(name)
            .into_iter()
            .find(|m| m.how != MatchKind::Half)
            .and_then(|m| self.idx.partner_by_name.get(&m.partner.name).copied());
        if let Some(i) = found {
            if let Some(p) = self.data.partners.get_mut(i)
                && !p.sources.iter().any(|s| s == source)
            {
                p.sources.push(source.to_string());
            }
            return i;
        }
        self.data.partners.push(Partner {
            name: name.to_string(),
            spellings: vec![],
            former_names: vec![],
            exchange: None,
            locations: BTreeMap::new(),
            metro_future: vec![],
            sources: vec![source.to_string()],
            note: None,
        });
        self.reindex();
        self.data.partners.len() - 1
    }

    /// List partner `pi` at location `li` (both directions).
    fn link(&mut self, pi: usize, li: usize) {
        let (Some(p), Some(l)) = (
            self.data.partners.get_mut(pi),
            self.data.locations.get_mut(li),
        ) else {
            return;
        };
        if !l.partners.contains(&p.name) {
            l.partners.push(p.name.clone());
            l.partners.sort_by_key(|n| normalize(n));
        }
        if p.exchange.is_some() && !l.exchanges.contains(&p.name) {
            l.exchanges.push(p.name.clone());
            l.exchanges.sort_by_key(|n| normalize(n));
        }
        let list = p.locations.entry(l.cloud).or_default();
        if !list.contains(&l.name) {
            list.push(l.name.clone());
        }
    }
}
