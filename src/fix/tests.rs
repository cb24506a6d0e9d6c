use super::*;
use crate::diagnostic::Severity;

fn replace(at: Span, old: &str, new: &str) -> ValueEdit {
    ValueEdit::Replace {
        at,
        old: Some(old.into()),
        new: new.into(),
    }
}

fn span_of(db: &SourceDb, file: FileId, needle: &str) -> Span {
    let text = db.loaded_text(file).unwrap();
    let at = text.find(needle).unwrap();
    Span::new(file, at, at + needle.len())
}

fn finding(fix: Fix) -> Diagnostic {
    let mut d = Diagnostic::new(
        "ER304",
        "peer-subnet-host-bits",
        Severity::Warning,
        fix_span(&fix),
        "x",
    );
    d.fix = Some(fix);
    d
}

fn fix_span(fix: &Fix) -> Span {
    match fix.edits.first() {
        Some(ValueEdit::Replace { at, .. }) => *at,
        Some(ValueEdit::Insert { beside, .. }) => *beside,
        None => Span::new(FileId(0), 0, 0),
    }
}

fn safe(edits: Vec<ValueEdit>) -> Fix {
    Fix {
        applicability: Applicability::Safe,
        edits,
    }
}

#[test]
fn literals_read_back_only_when_plain() {
    let hcl = FileSyntax::Hcl;
    assert_eq!(hcl.read(r#""RIPE""#).as_deref(), Some("RIPE"));
    assert_eq!(hcl.read(r#""a\"b\\c""#).as_deref(), Some("a\"b\\c"));
    assert_eq!(hcl.read(r#""${var.x}""#), None, "a template");
    assert_eq!(hcl.read(r#""10.0.0.${var.n}/30""#), None);
    assert_eq!(hcl.read("var.x"), None);
    assert_eq!(hcl.read("null"), None);
    assert_eq!(hcl.read("5"), None);

    let tf_json = FileSyntax::TerraformJson;
    assert_eq!(tf_json.read(r#""RIPE""#).as_deref(), Some("RIPE"));
    assert_eq!(tf_json.read(r#""${var.x}""#), None);
    assert_eq!(tf_json.string("a${b}%{c}"), r#""a$${b}%%{c}""#);

    let arm = FileSyntax::ArmJson;
    assert_eq!(arm.read(r#""RIPE""#).as_deref(), Some("RIPE"));
    assert_eq!(arm.read(r#""[parameters('x')]""#), None, "an expression");
    assert_eq!(arm.read(r#""[[x]""#).as_deref(), Some("[x]"));
    assert_eq!(arm.string("[x]"), r#""[[x]""#);

    let bicep = FileSyntax::Bicep;
    assert_eq!(bicep.read("'RIPE'").as_deref(), Some("RIPE"));
    assert_eq!(
        bicep.read(r"'it\'s \$5 \u{41}'").as_deref(),
        Some("it's $5 A")
    );
    assert_eq!(bicep.read("'${prefix}/30'"), None, "interpolation");
    assert_eq!(bicep.read("'''multi'''"), None);
    assert_eq!(bicep.read("prefix"), None);
    assert_eq!(bicep.string("it's"), r"'it\'s'");
    for s in ["10.0.0.0/30", "Arelion (Telia Carrier)", "a\"b'c\\d ${x}"] {
        for syntax in [hcl, tf_json, arm, bicep] {
            assert_eq!(
                syntax.read(&syntax.string(s)).as_deref(),
                Some(s),
                "{syntax:?}"
            );
        }
    }
}

#[test]
fn syntax_of_a_file() {
    let p = |s: &str| std::path::PathBuf::from(s);
    let template = r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"}"#;
    assert_eq!(FileSyntax::of(&p("a/main.tf"), ""), Some(FileSyntax::Hcl));
    assert_eq!(FileSyntax::of(&p("prod.tfvars"), ""), Some(FileSyntax::Hcl));
    assert_eq!(
        FileSyntax::of(&p("x.auto.tfvars.json"), "{}"),
        Some(FileSyntax::TerraformJson)
    );
    assert_eq!(
        FileSyntax::of(&p("azuredeploy.json"), template),
        Some(FileSyntax::ArmJson)
    );
    assert_eq!(
        FileSyntax::of(&p("main.bicepparam"), ""),
        Some(FileSyntax::Bicep)
    );
    assert_eq!(FileSyntax::of(&p("package.json"), "{}"), None);
    let plan = r#"{"format_version": "1.2", "planned_values": {}}"#;
    assert_eq!(
        FileSyntax::of(&p("plan.json"), plan),
        None,
        "a plan is generated"
    );
}

#[test]
fn edits_are_spelt_in_the_syntax_of_the_file_where_they_land() {
    let mut db = SourceDb::new(0);
    // azapi: an HCL file; the value is written in an ARM parameter file and a tfvars.
    let tfvars = db.add_text("prod.tfvars", "registry = \"RIPE\" # ours\n");
    let params = db.add_text(
        "a.parameters.json",
        "{\"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#\",\n \"parameters\": {\"r\": {\"value\": \"RIPE\"}}}",
    );
    let bicep = db.add_text(
        "main.bicepparam",
        "using './main.bicep'\nparam r = 'RIPE'\n",
    );
    for (file, written) in [
        (tfvars, "\"RIPE\""),
        (params, "\"RIPE\""),
        (bicep, "'RIPE'"),
    ] {
        let at = span_of(&db, file, written);
        let edits = text_edits(&db, &safe(vec![replace(at, "RIPE", "RIPENCC")])).unwrap();
        let expected = if file == bicep {
            "'RIPENCC'"
        } else {
            "\"RIPENCC\""
        };
        assert_eq!(
            edits,
            [TextEdit {
                span: at,
                replacement: expected.into()
            }]
        );
    }
    // The file no longer reads as the rule saw it: no edit.
    let at = span_of(&db, tfvars, "\"RIPE\"");
    assert!(text_edits(&db, &safe(vec![replace(at, "ARIN", "RIPENCC")])).is_err());
    // A computed value: no literal to rewrite.
    let tf = db.add_text("main.tf", "x = lower(\"RIPE\")\n");
    let at = span_of(&db, tf, "lower(\"RIPE\")");
    assert!(text_edits(&db, &safe(vec![replace(at, "ripe", "RIPENCC")])).is_err());
    // A plan is not written.
    let plan = db.add_text("plan.json", r#"{"format_version": "1.2", "v": "RIPE"}"#);
    let at = span_of(&db, plan, "\"RIPE\"");
    assert!(text_edits(&db, &safe(vec![replace(at, "RIPE", "RIPENCC")])).is_err());
}

#[test]
fn new_attributes_go_beside_the_one_they_pair_with() {
    let mut db = SourceDb::new(0);
    let hcl = "resource \"x\" \"y\" {\r\n  primary_peer_address_prefix = \"10.0.0.0/30\" # ours\r\n  vlan_id = 100\r\n}\r\n";
    let f = db.add_text("main.tf", hcl);
    let insert = |db: &SourceDb, file, beside: &str, reads: &str, key: &str| {
        let fix = safe(vec![ValueEdit::Insert {
            beside: span_of(db, file, beside),
            beside_reads: reads.into(),
            key: key.into(),
            value: "10.0.0.4/30".into(),
        }]);
        let edits = text_edits(db, &fix)?;
        Ok::<String, String>(apply(db.loaded_text(file).unwrap_or_default(), &edits))
    };
    let out = insert(
        &db,
        f,
        "\"10.0.0.0/30\"",
        "10.0.0.0/30",
        "secondary_peer_address_prefix",
    )
    .unwrap();
    assert_eq!(
        out,
        "resource \"x\" \"y\" {\r\n  primary_peer_address_prefix = \"10.0.0.0/30\" # ours\r\n  secondary_peer_address_prefix = \"10.0.0.4/30\"\r\n  vlan_id = 100\r\n}\r\n",
        "same indentation and line ending"
    );
    // `=` aligned as `terraform fmt` does.
    let aligned = db.add_text(
        "b.tf",
        "  secondary_peer_address_prefix = \"10.0.0.4/30\"\n",
    );
    let out = insert(
        &db,
        aligned,
        "\"10.0.0.4/30\"",
        "10.0.0.4/30",
        "primary_peer_address_prefix",
    )
    .unwrap();
    assert!(
        out.ends_with("\n  primary_peer_address_prefix   = \"10.0.0.4/30\"\n"),
        "{out}"
    );
    // A block closed on the same line: nowhere to put it.
    let one_line = db.add_text("c.tf", "ipv6 { primary = \"10.0.0.0/30\" }\n");
    assert!(insert(&db, one_line, "\"10.0.0.0/30\"", "10.0.0.0/30", "secondary").is_err());
    // JSON: after the value, with a comma.
    let json = "{\"$schema\": \"deploymentTemplate.json\", \"p\": {\n    \"primaryPeerAddressPrefix\": \"10.0.0.0/30\", // ours\n    \"vlanId\": 1\n}}";
    let j = db.add_text("t.json", json);
    let out = insert(
        &db,
        j,
        "\"10.0.0.0/30\"",
        "10.0.0.0/30",
        "secondaryPeerAddressPrefix",
    )
    .unwrap();
    assert!(
        out.contains("\"primaryPeerAddressPrefix\": \"10.0.0.0/30\",\n    \"secondaryPeerAddressPrefix\": \"10.0.0.4/30\", // ours"),
        "{out}"
    );
    assert!(
        jsonc_parser::parse_to_value(&out, &Default::default()).is_ok(),
        "{out}"
    );
    // Bicep: a line of its own.
    let b = db.add_text(
        "main.bicep",
        "  properties: {\n    primaryPeerAddressPrefix: '10.0.0.0/30'\n  }\n",
    );
    let out = insert(
        &db,
        b,
        "'10.0.0.0/30'",
        "10.0.0.0/30",
        "secondaryPeerAddressPrefix",
    )
    .unwrap();
    assert!(
        out.contains("'10.0.0.0/30'\n    secondaryPeerAddressPrefix: '10.0.0.4/30'\n  }"),
        "{out}"
    );
}

#[test]
fn overlapping_fixes_are_resolved_safely() {
    let mut db = SourceDb::new(0);
    let text = "a = \"10.0.0.1/30\"\nb = \"RIPE\"\n";
    let f = db.add_text("x.tfvars", text);
    let a = span_of(&db, f, "\"10.0.0.1/30\"");
    let b = span_of(&db, f, "\"RIPE\"");
    let diags = vec![
        finding(safe(vec![replace(a, "10.0.0.1/30", "10.0.0.0/30")])),
        // The same edit from another module instance: made once.
        finding(safe(vec![replace(a, "10.0.0.1/30", "10.0.0.0/30")])),
        // A different edit of the same literal: left out, whole (its other edit too).
        finding(safe(vec![
            replace(b, "RIPE", "RIPENCC"),
            replace(a, "10.0.0.1/30", "10.0.0.4/30"),
        ])),
        // Unsafe: only when asked.
        finding(Fix {
            applicability: Applicability::Unsafe,
            edits: vec![replace(b, "RIPE", "RADB")],
        }),
    ];
    let p = plan(&db, &diags, false, &|_| true);
    assert_eq!((p.fixed, p.conflicts), (2, 1));
    let edits = &p.edits[&f];
    assert_eq!(apply(text, edits), "a = \"10.0.0.0/30\"\nb = \"RIPE\"\n");
    let p = plan(&db, &diags, true, &|_| true);
    assert_eq!((p.fixed, p.conflicts), (3, 1));
    assert_eq!(
        apply(text, &p.edits[&f]),
        "a = \"10.0.0.0/30\"\nb = \"RADB\"\n"
    );
    // A file that may not be written: none of the fix is made.
    let p = plan(&db, &diags, true, &|_| false);
    assert_eq!(p.fixed, 0);
    // Suppressed findings are not fixed.
    let mut hidden = diags.clone();
    for d in &mut hidden {
        d.suppressed = Some(crate::diagnostic::Suppression {
            kind: crate::diagnostic::SuppressionKind::InSource,
            justification: "kept".into(),
        });
    }
    assert_eq!(plan(&db, &hidden, true, &|_| true).fixed, 0);
}

#[test]
fn overlap_of_edits() {
    let e = |s: u32, t: u32| TextEdit {
        span: Span {
            file: FileId(0),
            start: s,
            end: t,
        },
        replacement: "x".into(),
    };
    assert!(overlap(&e(0, 5), &e(4, 8)));
    assert!(!overlap(&e(0, 5), &e(5, 8)));
    assert!(
        !overlap(&e(0, 5), &e(5, 5)),
        "an insertion at the end of a replacement"
    );
    assert!(
        overlap(&e(0, 5), &e(3, 3)),
        "an insertion inside a replacement"
    );
    assert!(overlap(&e(5, 5), &e(5, 5)), "two insertions at one place");
    // Applied together, an insertion at the end of a replaced range follows it.
    let mut ins = e(5, 5);
    ins.replacement = "+".into();
    assert_eq!(apply("0123456789", &[e(0, 5), ins]), "x+56789");
}

#[test]
fn only_files_in_the_repository_are_written() {
    let root = std::path::Path::new("/repo");
    assert!(in_repository(
        std::path::Path::new("/repo/envs/prod.tfvars"),
        root
    ));
    assert!(!in_repository(
        std::path::Path::new("/elsewhere/x.tf"),
        root
    ));
    assert!(!in_repository(
        std::path::Path::new("/repo/.terraform/modules/er/main.tf"),
        root
    ));
    assert!(!in_repository(
        std::path::Path::new("/repo/../other/x.tf"),
        root
    ));
}
