//! Hover on a provider or peering-location value: what `erlint catalog NAME` prints
//! (partner or exchange, its locations per cloud, a location's partners, bandwidths of
//! ExpressRoute Direct, the Azure regions of the Local SKU).

use super::cursor::{self, Field};
use super::diagnostics::Circuit;
use super::position::Lines;
use crate::catalog::Catalog;
use lsp_types as lsp;

pub fn hover(
    catalog: &Catalog,
    lines: Lines<'_>,
    offset: usize,
    circuits: &[Circuit],
    markdown: bool,
) -> Option<lsp::Hover> {
    let target = cursor::target(lines.text, offset, circuits)?;
    let value = target.value.filter(|v| !v.trim().is_empty())?;
    let (mut text, _found) = catalog.answer(Some(&value));
    if let Some(line) = bandwidths(catalog, target.field, &value) {
        text.push_str(&line);
    }
    let contents = if markdown {
        lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value: as_markdown(&text),
        }
    } else {
        lsp::MarkupContent {
            kind: lsp::MarkupKind::PlainText,
            value: text,
        }
    };
    Some(lsp::Hover {
        contents: lsp::HoverContents::Markup(contents),
        range: Some(lines.range(target.span)),
    })
}

/// The bandwidths that go with the value: a provider circuit's, or ExpressRoute Direct's
/// port sizes at a location that has Direct.
fn bandwidths(catalog: &Catalog, field: Field, value: &str) -> Option<String> {
    let size = |mbps: u32| {
        if mbps >= 1000 && mbps.is_multiple_of(1000) {
            format!("{} Gbps", mbps / 1000)
        } else {
            format!("{mbps} Mbps")
        }
    };
    match field {
        Field::Provider => {
            catalog.provider(value)?;
            let sizes: Vec<String> = catalog
                .provider_bandwidths_mbps()
                .iter()
                .map(|m| size(*m))
                .collect();
            Some(format!(
                "  circuit bandwidths through a provider (`bandwidth_in_mbps`): {}\n",
                sizes.join(", ")
            ))
        }
        Field::Location => {
            catalog
                .locations_named(value)
                .iter()
                .find(|l| l.er_direct)?;
            let ports: Vec<String> = catalog
                .direct()
                .port_bandwidths_gbps
                .iter()
                .map(|g| format!("{g} Gbps"))
                .collect();
            Some(format!(
                "  ExpressRoute Direct port sizes: {}\n",
                ports.join(", ")
            ))
        }
    }
}

/// The catalogue's text as Markdown: its indented lines as nested lists, the rest as
/// paragraphs, the first line's name in bold.
fn as_markdown(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let indent = line.len() - line.trim_start().len();
        let body = escape(line.trim_start());
        if line.trim().is_empty() {
            out.push('\n');
        } else if indent == 0 {
            if !out.is_empty() && !out.ends_with("\n\n") {
                out.push('\n');
            }
            match body.split_once(':') {
                Some((name, rest)) => out.push_str(&format!("**{name}**:{rest}\n\n")),
                None => out.push_str(&format!("{body}\n\n")),
            }
        } else {
            let depth = (indent / 2).saturating_sub(1);
            out.push_str(&"  ".repeat(depth));
            out.push_str("- ");
            out.push_str(&body);
            out.push('\n');
        }
    }
    out.trim_end().to_string()
}

/// Markdown's special characters, except the backticks the catalogue uses for code.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_text_becomes_lists() {
        let md = as_markdown(
            "Amsterdam: peering location, zone 1\n  facilities: Equinix AM5\n  carriers:\n    BICS via Equinix\n",
        );
        assert_eq!(
            md,
            "**Amsterdam**: peering location, zone 1\n\n- facilities: Equinix AM5\n- carriers:\n  - BICS via Equinix"
        );
        assert_eq!(escape("a_b*c"), "a\\_b\\*c");
    }

    #[test]
    fn bandwidths_of_providers_and_direct_locations() {
        let cat = Catalog::bundled();
        let p = bandwidths(cat, Field::Provider, "Equinix").unwrap();
        assert!(p.contains("50 Mbps") && p.contains("10 Gbps"), "{p}");
        assert_eq!(bandwidths(cat, Field::Provider, "Not A Provider"), None);
        let l = bandwidths(cat, Field::Location, "Amsterdam").unwrap();
        assert!(l.contains("100 Gbps"), "{l}");
    }
}
