//! Completion of a provider or peering-location value from the catalogue: the locations
//! the chosen provider serves, or the providers at the chosen location, in the cloud the
//! configuration targets; everything in that cloud while the other value is not known.

use super::cursor::{self, Field};
use super::diagnostics::Circuit;
use super::position::Lines;
use crate::catalog::{Catalog, Cloud, Location};
use crate::fix::FileSyntax;
use lsp_types as lsp;
use std::collections::BTreeMap;
use std::path::Path;

/// The completion list at `offset` in `text` (the document at `path`), or `None` when the
/// cursor is not in a provider or peering-location string.
pub fn complete(
    catalog: &Catalog,
    path: &Path,
    lines: Lines<'_>,
    offset: usize,
    circuits: &[Circuit],
) -> Option<lsp::CompletionList> {
    let text = lines.text;
    let target = cursor::target(text, offset, circuits)?;
    let literal = target.literal.clone()?;
    let other = target.other_value(text, offset);
    let cloud = target.cloud(circuits);
    let names = match target.field {
        Field::Location => locations(catalog, other.as_deref(), cloud),
        Field::Provider => providers(catalog, other.as_deref(), cloud),
    };
    let range = lines.range(literal.content.clone());
    let quote = text
        .get(literal.span.start..)
        .and_then(|s| s.chars().next());
    let syntax = FileSyntax::of(path, text);
    let items = names
        .into_iter()
        .enumerate()
        .map(|(i, (name, detail))| lsp::CompletionItem {
            label: name.clone(),
            kind: Some(lsp::CompletionItemKind::VALUE),
            detail: Some(detail),
            sort_text: Some(format!("{i:05}")),
            filter_text: Some(name.clone()),
            text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit::new(
                range,
                escaped(&name, syntax, quote),
            ))),
            ..Default::default()
        })
        .collect();
    Some(lsp::CompletionList {
        is_incomplete: false,
        items,
    })
}

/// The clouds to list: the one the configuration targets, else all.
fn clouds(cloud: Option<Cloud>) -> Vec<Cloud> {
    cloud.map_or_else(|| Cloud::ALL.to_vec(), |c| vec![c])
}

/// Peering locations, with a short description each: those where `provider` is listed
/// (active; any partner the name can mean), or every location when the provider is not
/// known or not in the catalogue.
fn locations(
    catalog: &Catalog,
    provider: Option<&str>,
    cloud: Option<Cloud>,
) -> Vec<(String, String)> {
    let clouds = clouds(cloud);
    let partners = provider
        .map(|p| catalog.resolve_provider(p))
        .unwrap_or_default();
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    for l in catalog
        .locations()
        .iter()
        .filter(|l| clouds.contains(&l.cloud))
    {
        let served = partners.is_empty()
            || partners
                .iter()
                .any(|m| l.partners.contains(&m.partner.name));
        if served && !out.contains_key(&l.name) {
            out.insert(l.name.clone(), describe_location(l, cloud.is_none()));
        }
    }
    out.into_iter().collect()
}

fn describe_location(l: &Location, name_cloud: bool) -> String {
    let mut parts = Vec::new();
    if name_cloud || l.cloud != Cloud::Global {
        parts.push(l.cloud.display().to_string());
    }
    parts.push(
        if l.is_metro() {
            "Metro location"
        } else {
            "peering location"
        }
        .to_string(),
    );
    if let Some(z) = l.zone {
        parts.push(format!("zone {z}"));
    }
    if let Some(g) = l.geopolitical() {
        parts.push(g.to_string());
    }
    if !l.local_azure_regions.is_empty() {
        parts.push(format!("Local: {}", l.local_azure_regions.join(", ")));
    }
    parts.join(" · ")
}

/// Connectivity providers: those listed (active) at `location`, or every partner when
/// the location is not known or not in the catalogue.
fn providers(
    catalog: &Catalog,
    location: Option<&str>,
    cloud: Option<Cloud>,
) -> Vec<(String, String)> {
    let clouds = clouds(cloud);
    let at: Vec<&Location> = location
        .map(|l| catalog.locations_named(l))
        .unwrap_or_default()
        .into_iter()
        .filter(|l| clouds.contains(&l.cloud))
        .collect();
    catalog
        .partners()
        .iter()
        .filter(|p| {
            if at.is_empty() {
                clouds.iter().any(|c| !p.locations_in(*c).is_empty())
            } else {
                at.iter().any(|l| l.partners.contains(&p.name))
            }
        })
        .map(|p| {
            let n: usize = clouds.iter().map(|c| p.locations_in(*c).len()).sum();
            let kind = if p.is_exchange() {
                "cloud exchange"
            } else {
                "connectivity partner"
            };
            (p.name.clone(), format!("{kind} · {n} locations"))
        })
        .collect()
}

/// `name` as the inside of a string literal of the file's syntax.
fn escaped(name: &str, syntax: Option<FileSyntax>, quote: Option<char>) -> String {
    let syntax = match (syntax, quote) {
        (Some(s), _) => s,
        (None, Some('\'')) => FileSyntax::Bicep,
        (None, _) => FileSyntax::ArmJson,
    };
    let lit = syntax.string(name);
    let mut c = lit.chars();
    c.next();
    c.next_back();
    c.as_str().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_of_a_provider_and_providers_at_a_location() {
        let cat = Catalog::bundled();
        let eq = locations(cat, Some("Equinix"), Some(Cloud::Global));
        let names: Vec<&str> = eq.iter().map(|(n, _)| n.as_str()).collect();
        let want = cat.partner("Equinix").unwrap().locations_in(Cloud::Global);
        assert_eq!(names.len(), want.len());
        assert!(names.contains(&"Amsterdam") && names.contains(&"Silicon Valley"));
        assert!(!names.contains(&"Johannesburg Metro"), "not yet active");
        let all = locations(cat, None, Some(Cloud::Global));
        assert!(all.len() > eq.len());

        let at = providers(cat, Some("amsterdam"), Some(Cloud::Global));
        let names: Vec<&str> = at.iter().map(|(n, _)| n.as_str()).collect();
        assert!(names.contains(&"Equinix") && names.contains(&"Megaport"));
        for n in &names {
            let loc = cat.location("Amsterdam", Some(Cloud::Global)).unwrap();
            assert!(loc.partners.iter().any(|p| p == n), "{n}");
        }
        // An unknown location filters nothing.
        assert!(providers(cat, Some("Atlantis"), None).len() > names.len());
    }

    #[test]
    fn names_are_escaped_for_the_file() {
        assert_eq!(
            escaped("AT&T NetBond", Some(FileSyntax::Hcl), None),
            "AT&T NetBond"
        );
        assert_eq!(escaped("It's", Some(FileSyntax::Bicep), None), "It\\'s");
        assert_eq!(escaped("[x]", Some(FileSyntax::ArmJson), None), "[[x]");
    }
}
