//! Code actions on a finding: its `--fix` fix as a quick fix, and a suppression comment in
//! the file's own syntax (`# erlint-ignore: ER301` in HCL, `// erlint-ignore: ER301` in an
//! ARM template or Bicep, a `"//": "erlint-ignore: ER301"` property in Terraform JSON).
//!
//! The comment is placed where the suppression module will read it as covering the
//! finding: before the finding's line, else before its resource (or in Terraform JSON, in
//! the innermost object that holds it, else an outer one). Each place is checked by
//! running the suppression pass on the edited text; a place it would not cover is not
//! offered. The reason is left for the user to write: until it is, ER003 says it is
//! missing.

use super::cursor;
use super::diagnostics::{Finding, Site};
use super::position::{Encoding, Lines};
use crate::diagnostic::{Diagnostic, Severity};
use crate::fix::FileSyntax;
use crate::source::{LineIndex, SourceDb, Span};
use crate::suppress;
use lsp_types as lsp;
use std::collections::HashMap;
use std::path::Path;

/// The actions for the findings of one file that touch `range`.
pub fn actions(
    path: &Path,
    findings: &[Finding],
    range: lsp::Range,
    only: Option<&[lsp::CodeActionKind]>,
    encoding: Encoding,
    uri: &lsp::Uri,
) -> Vec<lsp::CodeActionOrCommand> {
    let wanted = only.is_none_or(|kinds| {
        kinds.iter().any(|k| {
            let k = k.as_str();
            k.is_empty() || lsp::CodeActionKind::QUICKFIX.as_str().starts_with(k)
        })
    });
    if !wanted {
        return Vec::new();
    }
    let mut out = Vec::new();
    for f in findings
        .iter()
        .filter(|f| touches(f.diagnostic.range, range))
    {
        if let Some(fix) = &f.fix {
            out.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                title: fix.title.clone(),
                kind: Some(lsp::CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![f.diagnostic.clone()]),
                edit: Some(fix.edit.clone()),
                is_preferred: Some(fix.safe),
                ..Default::default()
            }));
        }
        if let Some((at, insert)) = suppression(path, &f.site) {
            let index = LineIndex::new(&f.site.text);
            let l = Lines {
                text: &f.site.text,
                index: &index,
                encoding,
            };
            let edit = lsp::TextEdit::new(l.range(at..at), insert.clone());
            out.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                title: format!(
                    "Suppress {} here: `{}` (then write the reason)",
                    f.site.code,
                    insert.trim()
                ),
                kind: Some(lsp::CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![f.diagnostic.clone()]),
                edit: Some(lsp::WorkspaceEdit {
                    changes: Some(HashMap::from([(uri.clone(), vec![edit])])),
                    ..Default::default()
                }),
                ..Default::default()
            }));
        }
    }
    out
}

/// Whether two ranges overlap or touch (a cursor at either end of a finding counts).
fn touches(a: lsp::Range, b: lsp::Range) -> bool {
    a.start <= b.end && b.start <= a.end
}

/// Where the suppression comment goes and its text (with its line break), or `None` when
/// no place would cover the finding.
pub fn suppression(path: &Path, site: &Site) -> Option<(usize, String)> {
    let text: &str = &site.text;
    let syntax = FileSyntax::of(path, text)?;
    let directive = format!("erlint-ignore: {} ", site.code);
    let candidates: Vec<(usize, String)> = match syntax {
        FileSyntax::TerraformJson => {
            let mut out = Vec::new();
            let mut at = site.primary.start;
            while let Some(block) = cursor::enclosing_block(text, at) {
                let object = text.get(block.clone()).unwrap_or("");
                if !object.contains("\"//\"") {
                    let indent = indentation(text, block.start);
                    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
                    out.push((
                        block.start + 1,
                        format!("{newline}{indent}  \"//\": \"{directive}\","),
                    ));
                }
                if block.start == 0 {
                    break;
                }
                at = block.start;
            }
            out
        }
        FileSyntax::Hcl | FileSyntax::ArmJson | FileSyntax::Bicep => {
            let marker = if syntax == FileSyntax::Hcl { "#" } else { "//" };
            let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
            std::iter::once(site.primary.start)
                .chain(site.scopes.iter().map(|s| s.start))
                .map(|offset| {
                    let start = line_start(text, offset);
                    (
                        start,
                        format!("{}{marker} {directive}{newline}", indentation(text, start)),
                    )
                })
                .collect()
        }
    };
    candidates
        .into_iter()
        .find(|(at, insert)| covers(path, site, *at, insert))
}

fn line_start(text: &str, offset: usize) -> usize {
    text.get(..offset)
        .and_then(|s| s.rfind('\n'))
        .map_or(0, |i| i + 1)
}

/// The whitespace that starts the line holding `offset`.
fn indentation(text: &str, offset: usize) -> String {
    let start = line_start(text, offset);
    text.get(start..)
        .unwrap_or("")
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect()
}

/// Whether the suppression pass, run on the text with `insert` at `at`, hides the
/// finding.
fn covers(path: &Path, site: &Site, at: usize, insert: &str) -> bool {
    let Some(text) = site
        .text
        .get(..at)
        .zip(site.text.get(at..))
        .map(|(a, b)| format!("{a}{insert}{b}"))
    else {
        return false;
    };
    let mut db = SourceDb::new(0);
    let file = db.add_text(&path.to_string_lossy(), &text);
    let shift = |r: &std::ops::Range<usize>| {
        let moved = |o: usize| if o >= at { o + insert.len() } else { o };
        Span::new(file, moved(r.start), moved(r.end))
    };
    let mut d = Diagnostic::new(site.code, "", Severity::Warning, shift(&site.primary), "");
    d.scopes = site.scopes.iter().map(shift).collect();
    let mut diags = [d];
    let opts = suppress::Options {
        today: suppress::Date::today(),
        report_unused: false,
        also_scan: Vec::new(),
    };
    let _ = suppress::apply(&mut diags, &db, &HashMap::new(), &opts, &|_| true);
    diags.iter().all(|d| d.suppressed.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn site(text: &str, code: &'static str, primary: &str, scope: Option<&str>) -> Site {
        let p = text.find(primary).unwrap();
        Site {
            code,
            text: Arc::from(text),
            primary: p..p + primary.len(),
            scopes: scope
                .map(|s| {
                    let i = text.find(s).unwrap();
                    std::iter::once(i..text.len()).collect()
                })
                .unwrap_or_default(),
        }
    }

    fn applied(text: &str, (at, insert): (usize, String)) -> String {
        format!("{}{insert}{}", &text[..at], &text[at..])
    }

    #[test]
    fn hcl_comment_before_the_attribute() {
        let text = "resource \"azurerm_express_route_circuit_peering\" \"p\" {\n  peer_asn = 65010\n  primary_peer_address_prefix = \"10.0.0.1/30\"\n}\n";
        let s = site(text, "ER304", "\"10.0.0.1/30\"", Some("resource"));
        let got = suppression(Path::new("/w/main.tf"), &s).unwrap();
        assert_eq!(
            applied(text, got),
            "resource \"azurerm_express_route_circuit_peering\" \"p\" {\n  peer_asn = 65010\n  # erlint-ignore: ER304 \n  primary_peer_address_prefix = \"10.0.0.1/30\"\n}\n"
        );
    }

    #[test]
    fn hcl_comment_before_the_block_for_a_header_finding() {
        let text = "# keep\nresource \"azurerm_express_route_circuit_peering\" \"p\" {\n  peer_asn = 65010\n}\n";
        let s = site(text, "ER301", "resource", Some("resource"));
        let (at, insert) = suppression(Path::new("/w/main.tf"), &s).unwrap();
        assert_eq!(at, text.find("resource").unwrap());
        assert_eq!(insert, "# erlint-ignore: ER301 \n");
    }

    #[test]
    fn arm_and_bicep_use_line_comments() {
        let text = "{\n  \"resources\": [\n    {\n      \"type\": \"Microsoft.Network/expressRouteCircuits/peerings\",\n      \"properties\": {\n        \"primaryPeerAddressPrefix\": \"10.0.0.1/30\"\n      }\n    }\n  ],\n  \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\"\n}\n";
        let s = site(text, "ER304", "\"10.0.0.1/30\"", Some("{\n      \"type\""));
        let got = suppression(Path::new("/w/azuredeploy.json"), &s).unwrap();
        assert!(
            applied(text, got)
                .contains("        // erlint-ignore: ER304 \n        \"primaryPeerAddressPrefix\"")
        );
    }

    #[test]
    fn terraform_json_gets_a_comment_property() {
        let text = "{\n  \"resource\": {\n    \"azurerm_express_route_circuit_peering\": {\n      \"p\": {\n        \"peer_asn\": 65010,\n        \"primary_peer_address_prefix\": \"10.0.0.1/30\"\n      }\n    }\n  }\n}\n";
        let s = site(text, "ER304", "\"10.0.0.1/30\"", None);
        let got = suppression(Path::new("/w/main.tf.json"), &s).unwrap();
        let fixed = applied(text, got);
        assert!(
            fixed.contains(
                "\"p\": {\n        \"//\": \"erlint-ignore: ER304 \",\n        \"peer_asn\""
            ),
            "{fixed}"
        );
        serde_json::from_str::<serde_json::Value>(&fixed).unwrap();
    }

    #[test]
    fn nothing_offered_for_files_erlint_does_not_write() {
        let text = "{\"a\": 1}";
        let s = site(text, "ER304", "1", None);
        assert_eq!(suppression(Path::new("/w/package.json"), &s), None);
    }
}
