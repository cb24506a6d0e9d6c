//! Unit tests: the comment grammar, dates, and ARM templates (comments and resource
//! metadata), with diagnostics shaped as the ARM front end makes them (the resource
//! object's span in `scopes`, the offending value as primary). Terraform scoping is
//! tested end to end in `tests/suppress.rs`.

use super::*;
use crate::diagnostic::Severity;

/// The suppression comments of an HCL text, as the Terraform front end finds them.
fn hcl_comments(text: &str) -> Vec<CommentSite> {
    crate::terraform::sites::of_text(FileId(0), text).comments
}

/// The suppression comments of a JSON text, as jsonc-parser finds them.
fn json_comments(text: &str) -> Vec<CommentSite> {
    crate::jsonc::sites::of_text(FileId(0), text).comments
}

fn today() -> Date {
    Date::parse("2026-11-25").unwrap()
}

fn opts() -> Options {
    Options {
        today: today(),
        report_unused: false,
        also_scan: Vec::new(),
    }
}

/// A diagnostic at the first occurrence of `needle`, scoped to the ARM resource object
/// that contains it (found as the innermost `{` … `}` that starts with a `"type"` line).
fn arm_diag(
    db: &SourceDb,
    file: FileId,
    code: &'static str,
    needle: &str,
    resource: &str,
) -> Diagnostic {
    let text = db.text(file).unwrap();
    let at = text.find(needle).unwrap();
    let r = text.find(resource).unwrap();
    // The resource object starts at the `{` before its `"type"` line.
    let open = text[..r].rfind('{').unwrap();
    let close = matching_brace(text, open);
    let meta = rules::find(code).unwrap();
    let mut d = Diagnostic::new(
        meta.id,
        meta.name,
        meta.severity,
        Span::new(file, at, at + needle.len()),
        "finding",
    );
    d.scopes.push(Span::new(file, open, close + 1));
    d
}

fn matching_brace(text: &str, open: usize) -> usize {
    let mut depth = 0;
    let mut in_str = false;
    let mut esc = false;
    for (i, c) in text[open..].char_indices() {
        if in_str {
            match c {
                _ if esc => esc = false,
                '\\' => esc = true,
                '"' => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_str = true,
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return open + i;
                }
            }
            _ => {}
        }
    }
    panic!("unbalanced")
}

const TEMPLATE: &str = include_str!("../../fixtures/projects/suppressions-arm/peerings.json");

fn arm_case() -> (SourceDb, FileId, Vec<Diagnostic>) {
    let mut db = SourceDb::new(0);
    let f = db.add_text("arm/peerings.json", TEMPLATE);
    let diags = vec![
        arm_diag(&db, f, "ER301", "\"10.0.0.0/30\"", "erc-lab/"),
        arm_diag(&db, f, "ER301", "\"10.0.1.0/30\"", "erc-metadata/"),
        arm_diag(&db, f, "ER303", "\"10.0.2.0/31\"", "erc-inside/"),
        arm_diag(&db, f, "ER301", "\"10.0.3.0/30\"", "erc-expired/"),
        arm_diag(&db, f, "ER301", "\"10.0.4.0/30\"", "erc-noreason/"),
        arm_diag(&db, f, "ER301", "\"10.0.5.0/30\"", "erc-prod/"),
    ];
    (db, f, diags)
}

#[test]
fn arm_comments_and_metadata() {
    let (db, _, mut diags) = arm_case();
    let problems = apply(&mut diags, &db, &HashMap::new(), &opts(), &|_| true);
    let got: Vec<Option<&str>> = diags
        .iter()
        .map(|d| d.suppressed.as_ref().map(|s| s.justification.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            Some("lab circuit, one router until Q3"),
            Some("decommissioned with the old hub"),
            Some("the carrier assigned a /31, see CHG-2211"),
            None,
            Some("no reason given"),
            None,
        ]
    );
    assert!(
        diags
            .iter()
            .filter_map(|d| d.suppressed.as_ref())
            .all(|s| s.kind == SuppressionKind::InSource)
    );
    let msgs: Vec<(String, usize)> = problems
        .iter()
        .map(|p| {
            assert_eq!(p.code, "ER003");
            assert_eq!(p.severity, Severity::Warning);
            (
                p.message.clone(),
                db.line_col(p.primary.file, p.primary.start as usize).line,
            )
        })
        .collect();
    assert_eq!(
        msgs,
        [
            (
                "suppression of `ER301` expired on 2025-06-30; the findings it hid are reported again".to_string(),
                52
            ),
            ("suppression of `ER301` gives no reason".to_string(), 64),
        ]
    );
}

#[test]
fn arm_unused_with_the_flag() {
    let (db, f, mut diags) = arm_case();
    // Without the ER301 finding of the metadata resource, its suppression hides nothing.
    diags.remove(1);
    let o = Options {
        report_unused: true,
        also_scan: vec![f],
        ..opts()
    };
    let problems = apply(&mut diags, &db, &HashMap::new(), &o, &|_| true);
    let unused: Vec<usize> = problems
        .iter()
        .filter(|p| p.message.contains("hides nothing"))
        .map(|p| db.line_col(f, p.primary.start as usize).line)
        .collect();
    assert_eq!(unused, [24]);
    // A rule that is not enabled is not reported as unused.
    let mut diags2 = arm_case().2;
    diags2.remove(1);
    let problems = apply(&mut diags2, &db, &HashMap::new(), &o, &|id| id != "ER301");
    assert!(!problems.iter().any(|p| p.message.contains("hides nothing")));
}

#[test]
fn a_comment_on_the_resources_array_does_not_cover_every_resource() {
    let text = TEMPLATE.replace(
        "  \"resources\": [\n    // erlint-ignore: ER301 lab circuit, one router until Q3\n",
        "  // erlint-ignore: ER301 the whole template is a lab\n  \"resources\": [\n",
    );
    let mut db = SourceDb::new(0);
    let f = db.add_text("arm/lab.json", &text);
    let mut diags = vec![
        arm_diag(&db, f, "ER301", "\"10.0.0.0/30\"", "erc-lab/"),
        arm_diag(&db, f, "ER301", "\"10.0.5.0/30\"", "erc-prod/"),
    ];
    let _ = apply(&mut diags, &db, &HashMap::new(), &opts(), &|_| true);
    // Before the `resources` property: it covers that property, so every resource in it.
    assert!(diags.iter().all(|d| d.suppressed.is_some()));
}

#[test]
fn hcl_trailing_comment_and_dangling_comment() {
    let text = r#"resource "azurerm_express_route_circuit_peering" "a" { # erlint-ignore: ER301 lab
  peering_type                = "AzurePrivatePeering"
  primary_peer_address_prefix = "10.0.0.0/30"
}

resource "azurerm_express_route_circuit_peering" "b" {
  peering_type                = "AzurePrivatePeering"
  primary_peer_address_prefix = "10.0.0.0/29" # erlint-ignore: ER303 carrier /29, CHG-9
  vlan_id                     = 200
}

# erlint-ignore: ER301 nothing follows this comment
"#;
    let mut db = SourceDb::new(0);
    let f = db.add_text("main.tf", text);
    let block = |name: &str| {
        let s = text.find(&format!("\"{name}\" {{")).unwrap();
        let start = text[..s].rfind("resource").unwrap();
        let end = text[start..].find("\n}").unwrap() + start + 2;
        Span::new(f, start, end)
    };
    let mk = |code: &'static str, at: Span, scope: Span| {
        let m = rules::find(code).unwrap();
        let mut d = Diagnostic::new(m.id, m.name, m.severity, at, "finding");
        d.scopes.push(scope);
        d
    };
    let a = block("a");
    let b = block("b");
    let p29 = text.find("\"10.0.0.0/29\"").unwrap();
    let mut diags = vec![
        mk(
            "ER301",
            Span::new(f, a.start as usize, a.start as usize + 8),
            a,
        ),
        mk("ER303", Span::new(f, p29, p29 + 13), b),
        mk(
            "ER301",
            Span::new(f, b.start as usize, b.start as usize + 8),
            b,
        ),
    ];
    let problems = apply(&mut diags, &db, &HashMap::new(), &opts(), &|_| true);
    assert!(
        diags[0].suppressed.is_some(),
        "comment on the header line covers the block"
    );
    assert!(
        diags[1].suppressed.is_some(),
        "trailing comment covers its attribute"
    );
    assert!(
        diags[2].suppressed.is_none(),
        "…and not the rest of the block"
    );
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0]
            .message
            .contains("not followed by a block or attribute")
    );
}

#[test]
fn file_level_must_be_at_the_top() {
    let text = "resource \"azurerm_express_route_circuit_peering\" \"a\" {\n  vlan_id = 1\n}\n# erlint-ignore-file: ER301 too late\n";
    let mut db = SourceDb::new(0);
    let f = db.add_text("main.tf", text);
    let m = rules::find("ER301").unwrap();
    let mut diags = vec![Diagnostic::new(
        m.id,
        m.name,
        m.severity,
        Span::new(f, 0, 8),
        "x",
    )];
    let problems = apply(&mut diags, &db, &HashMap::new(), &opts(), &|_| true);
    assert!(diags[0].suppressed.is_none());
    assert!(
        problems[0]
            .message
            .contains("must come before the first block")
    );
}

/// An ER301 at the start of `text`, scoped to the whole of it (one resource block).
fn whole_file_finding(f: FileId, text: &str) -> Diagnostic {
    let m = rules::find("ER301").unwrap();
    let mut d = Diagnostic::new(m.id, m.name, m.severity, Span::new(f, 0, 8), "x");
    d.scopes.push(Span::new(f, 0, text.len() - 1));
    d
}

#[test]
fn strings_that_mention_erlint_ignore_are_not_comments() {
    let text = "resource \"azurerm_express_route_circuit_peering\" \"a\" {\n  name = \"x # erlint-ignore: ER301 not a comment\"\n}\n";
    let mut db = SourceDb::new(0);
    let f = db.add_text("main.tf", text);
    let mut diags = vec![whole_file_finding(f, text)];
    let problems = apply(&mut diags, &db, &HashMap::new(), &opts(), &|_| true);
    assert!(diags[0].suppressed.is_none());
    assert!(problems.is_empty());
}

#[test]
fn heredoc_lines_are_not_comments() {
    let text = "resource \"azurerm_express_route_circuit_peering\" \"a\" {\n  description = <<-EOT\n    # erlint-ignore: ER301 this is text, not a comment\n  EOT\n  vlan_id = 1\n}\n";
    let mut db = SourceDb::new(0);
    let f = db.add_text("main.tf", text);
    let mut diags = vec![whole_file_finding(f, text)];
    let o = Options {
        report_unused: true,
        also_scan: vec![f],
        ..opts()
    };
    let problems = apply(&mut diags, &db, &HashMap::new(), &o, &|_| true);
    assert!(diags[0].suppressed.is_none());
    assert!(problems.is_empty(), "{problems:?}");
    let sites = crate::terraform::sites::of_text(f, text);
    assert!(sites.comments.is_empty(), "{sites:?}");
}

#[test]
fn malformed_metadata_and_expiry_say_so_in_their_own_terms() {
    let text = r#"{
  "resources": [
    {
      "type": "Microsoft.Network/expressRouteCircuits/peerings",
      "name": "erc-lab/AzurePrivatePeering",
      "metadata": { "erlint": { "ignore": "ER301" } },
      "properties": { "primaryPeerAddressPrefix": "10.0.0.0/30" }
    },
    {
      "type": "Microsoft.Network/expressRouteCircuits/peerings",
      "name": "erc-dev/AzurePrivatePeering",
      "metadata": { "erlint": { "ignore": [ { "id": "ER301", "reason": "dev", "expires": "soon" } ] } },
      "properties": { "primaryPeerAddressPrefix": "10.0.1.0/30" }
    }
  ]
}
"#;
    let mut db = SourceDb::new(0);
    let f = db.add_text("arm/lab.json", text);
    let mut diags = vec![
        arm_diag(&db, f, "ER301", "\"10.0.0.0/30\"", "erc-lab/"),
        arm_diag(&db, f, "ER301", "\"10.0.1.0/30\"", "erc-dev/"),
    ];
    let problems = apply(&mut diags, &db, &HashMap::new(), &opts(), &|_| true);
    assert!(diags.iter().all(|d| d.suppressed.is_none()));
    let said: Vec<(&str, &str)> = problems
        .iter()
        .map(|p| (&text[p.primary.range()], p.message.as_str()))
        .collect();
    assert_eq!(
        said,
        [
            (
                "\"ER301\"",
                "`metadata.erlint.ignore` is not a list, so it suppresses nothing"
            ),
            (
                r#"{ "id": "ER301", "reason": "dev", "expires": "soon" }"#,
                "the `expires` of this suppression is not a date (`YYYY-MM-DD`); it is not applied"
            ),
        ]
    );
}

#[test]
fn directive_grammar() {
    let text =
        "# erlint-ignore: er301, ER302 ER303 the reason, with words exp:2026-12-31 trailing\n";
    let c = &hcl_comments(text)[0];
    let Parsed {
        ids,
        reason,
        expires: exp,
        file_level,
    } = parse_directive(FileId(0), text, c).unwrap();
    let ids: Vec<&str> = ids.iter().map(|(i, _)| i.as_str()).collect();
    assert_eq!(ids, ["ER301", "ER302", "ER303"]);
    assert_eq!(reason, "the reason, with words trailing");
    assert_eq!(exp, Some(Date::parse("2026-12-31")));
    assert!(!file_level);
    // the id spans point at the ids
    let Parsed {
        reason: spans_reason,
        ..
    } = parse_directive(FileId(0), text, c).unwrap();
    assert!(!spans_reason.is_empty());
    let text2 = "/* erlint-ignore-file: ER205 old name kept */";
    let c = &json_comments(text2)[0];
    let Parsed {
        ids,
        reason,
        expires: exp,
        file_level,
    } = parse_directive(FileId(0), text2, c).unwrap();
    assert_eq!(ids[0].0, "ER205");
    assert_eq!(&text2[ids[0].1.range()], "ER205");
    assert_eq!(reason, "old name kept");
    assert_eq!(exp, None);
    assert!(file_level);
    // `#` is not a JSON comment; prose without a colon is not a directive.
    assert!(json_comments("# erlint-ignore: ER301 x").is_empty());
    let t = "# we erlint-ignored this once\n";
    let c = hcl_comments(t);
    assert!(c.is_empty() || parse_directive(FileId(0), t, &c[0]).is_none());
}

#[test]
fn rule_names_in_directives() {
    let text = "# erlint-ignore: Single-BGP-Session, ER302 lab-circuit, one router\n";
    let c = &hcl_comments(text)[0];
    let Parsed { ids, reason, .. } = parse_directive(FileId(0), text, c).unwrap();
    let names: Vec<(&str, &str)> = ids
        .iter()
        .map(|(i, s)| (i.as_str(), &text[s.range()]))
        .collect();
    assert_eq!(
        names,
        [("ER301", "Single-BGP-Session"), ("ER302", "ER302")],
        "a name is its rule's id; a hyphenated reason word is not a name"
    );
    assert_eq!(reason, "lab-circuit, one router");

    // Misspelt ids and names are kept as written and reported with the nearest rule.
    let text = "# erlint-ignore: single-bgp-sesion ER3O1 the second router ships in Q3\n";
    let mut db = SourceDb::new(0);
    let f = db.add_text("main.tf", text);
    let c = &hcl_comments(text)[0];
    let Parsed { ids, reason, .. } = parse_directive(f, text, c).unwrap();
    let written: Vec<&str> = ids.iter().map(|(i, _)| i.as_str()).collect();
    assert_eq!(written, ["single-bgp-sesion", "ER3O1"]);
    assert_eq!(reason, "the second router ships in Q3");
    let problems: Vec<Diagnostic> = ids.iter().map(|(i, s)| unknown_id(i, *s)).collect();
    for p in &problems {
        assert_eq!(
            p.help.as_deref(),
            Some("did you mean `ER301` (`single-bgp-session`)? `erlint rules` lists every rule"),
            "{}",
            p.message
        );
    }

    // ARM metadata: a name in `id`.
    let json =
        r#"{"metadata": {"erlint": {"ignore": [{"id": "single-bgp-session", "reason": "lab"}]}}}"#;
    let parsed = jsonc_parser::parse_to_ast(
        json,
        &jsonc_parser::CollectOptions::default(),
        &jsonc_parser::ParseOptions::default(),
    )
    .unwrap();
    assert!(parsed.value.is_some());
    let sites = crate::jsonc::sites::of_text(f, json);
    assert_eq!(metadata_directive(&sites.entries[0]).ids[0].0, "ER301");
}

#[test]
fn dates() {
    assert_eq!(Date::from_unix_days(0).to_string(), "1970-01-01");
    assert_eq!(Date::from_unix_days(20_417).to_string(), "2025-11-25");
    assert_eq!(Date::from_unix_days(19_782).to_string(), "2024-02-29");
    assert_eq!(Date::from_unix_days(-1).to_string(), "1969-12-31");
    assert!(Date::parse("2026-02-29").is_none());
    assert!(Date::parse("2028-02-29").is_some());
    assert!(Date::parse("2026-13-01").is_none());
    assert!(Date::parse("26-1-1").is_none());
    assert!(Date::parse("2026-12-31") > Date::parse("2026-11-30"));
    assert!(Date::today() > Date::parse("2020-01-01").unwrap());
}

#[test]
fn files_without_erlint_are_not_parsed() {
    let mut db = SourceDb::new(0);
    let f = db.add_text("main.tf", "resource \"a\" \"b\" {\n}\n");
    let m = rules::find("ER301").unwrap();
    let mut diags = vec![Diagnostic::new(
        m.id,
        m.name,
        m.severity,
        Span::new(f, 0, 8),
        "x",
    )];
    assert!(apply(&mut diags, &db, &HashMap::new(), &opts(), &|_| true).is_empty());
}
