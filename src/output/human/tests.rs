use super::*;
use crate::diagnostic::Diagnostic;
use crate::source::{SourceDb, Span};

fn render_at(report: &Report, width: usize) -> String {
    let mut out = Vec::new();
    let style = Style {
        color: false,
        width,
        quiet: false,
        links: false,
        ..Style::default()
    };
    write(&mut out, report, &style).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn snapshot() {
    insta::assert_snapshot!(render_at(&crate::output::sample::report(), 100));
}

#[test]
fn snapshot_60_columns() {
    let out = render_at(&crate::output::sample::report(), 60);
    insta::assert_snapshot!(out);
}

#[test]
fn snapshot_200_columns() {
    insta::assert_snapshot!(render_at(&crate::output::sample::report(), 200));
}

fn one(db: SourceDb, d: Diagnostic) -> Report {
    let mut r = crate::output::sample::clean_report();
    r.db = db;
    r.diagnostics = vec![d];
    r
}

fn finding(span: Span, message: &str) -> Diagnostic {
    let m = crate::rules::find("ER304").unwrap();
    Diagnostic::new(m.id, m.name, m.severity, span, message)
}

fn at(db: &SourceDb, file: crate::source::FileId, needle: &str) -> Span {
    let text = db.text(file).unwrap();
    let s = text.find(needle).unwrap();
    Span::new(file, s, s + needle.len())
}

#[test]
fn lines_without_a_label_are_folded() {
    let text: String = (1..=40).map(|i| format!("line_{i} = \"{i}\"\n")).collect();
    let mut db = SourceDb::new(0);
    let f = db.add_text("main.tf", &text);
    let _ = db.line_index(f);
    let mut d = finding(at(&db, f, "\"3\""), "the primary");
    d.label(at(&db, f, "\"11\""), "near");
    d.label(at(&db, f, "\"38\""), "far");
    let out = render_at(&one(db, d), 100);
    assert!(out.contains(" 3 | line_3 = \"3\""), "{out}");
    assert!(out.contains("11 | line_11 = \"11\""), "{out}");
    assert!(out.contains("\n...\n") || out.contains("..."), "{out}");
    for hidden in ["line_6 ", "line_20 ", "line_37 "] {
        assert!(!out.contains(hidden), "{hidden} shown:\n{out}");
    }
    // The far label is a section of its own, after the primary's.
    let primary = out.find("--> main.tf:3:10").unwrap();
    let far = out.find("::: main.tf:38:11").unwrap();
    assert!(primary < far, "{out}");
    assert_eq!(
        out.matches("error[").count() + out.matches("warning[").count(),
        1
    );
}

#[test]
fn a_long_line_is_cut_around_the_finding() {
    // Minified JSON: one line of 200,000 bytes, the finding far past column 65,535.
    let mut text = String::from("{\"a\": [");
    while text.len() < 150_000 {
        text.push_str("\"10.0.0.0/30\", ");
    }
    text.push_str("\"10.0.0.1/30\"");
    while text.len() < 200_000 {
        text.push_str(", \"10.0.0.0/30\"");
    }
    text.push_str("]}\n");
    let mut db = SourceDb::new(0);
    let f = db.add_text("big.json", &text);
    let _ = db.line_index(f);
    let d = finding(at(&db, f, "\"10.0.0.1/30\""), "host bits");
    let out = render_at(&one(db, d), 100);
    assert!(out.contains("\"10.0.0.1/30\""), "{out}");
    assert!(out.contains("^^^^^^^^^^^^^"), "{out}");
    for line in out.lines() {
        assert!(
            line.chars().count() <= 110,
            "{} wide: {line:.120}",
            line.len()
        );
    }
}

#[test]
fn marks_on_a_long_line_point_at_their_real_columns() {
    // Two marks far apart on a 100,000-byte line, one on a short line after it: each shown
    // with the bytes around it, the `-->` and `:::` lines with the columns in the file.
    let mut text = format!(
        "{{\"a\": \"{}\", \"b\": \"10.0.0.1/30\", \"c\": \"",
        "x".repeat(60_000)
    );
    text.push_str(&"é".repeat(20_000));
    text.push_str("\", \"d\": \"10.0.0.9/30\"}\n\"next\": 1\n");
    let mut db = SourceDb::new(0);
    let f = db.add_text("big.json", &text);
    let _ = db.line_index(f);
    let mut d = finding(at(&db, f, "\"10.0.0.9/30\""), "host bits");
    d.label(at(&db, f, "\"10.0.0.1/30\""), "the other");
    d.label(at(&db, f, "\"next\""), "a short line");
    let primary = db.line_col(f, d.primary.start as usize);
    let other = db.line_col(f, d.labels[0].span.start as usize);
    assert_eq!((primary.line, primary.column), (1, 80_045));
    let out = render_at(&one(db, d), 100);
    assert!(out.contains(&format!("--> big.json:{primary}\n")), "{out}");
    assert!(out.contains(&format!("::: big.json:{other}\n")), "{out}");
    assert!(out.contains("::: big.json:2:1\n"), "{out}");
    assert!(out.contains("\"10.0.0.9/30\""), "{out}");
    assert!(out.contains("the other"), "{out}");
    assert!(out.contains("2 | \"next\": 1"), "{out}");
    assert!(out.len() < 4_000, "{} bytes:\n{out:.2000}", out.len());
}

#[test]
fn control_characters_in_a_file_are_not_sent_to_the_terminal() {
    let mut db = SourceDb::new(0);
    let f = db.add_text("main.tf", "name = \"\u{1b}[31mred\u{7}\" # \u{202e}x\n");
    let _ = db.line_index(f);
    let d = finding(at(&db, f, "name"), "x");
    let out = render_at(&one(db, d), 100);
    for c in ['\u{1b}', '\u{7}', '\u{202e}'] {
        assert!(!out.contains(c), "{c:?} in\n{out}");
    }
}

#[test]
fn a_file_without_text_is_named_with_its_labels() {
    let mut db = SourceDb::new(0);
    let f = db.add(
        std::path::PathBuf::from("/nonexistent/secret.tf"),
        "secret.tf".into(),
    );
    let g = db.add_text("main.tf", "x = 1\n");
    let _ = db.line_index(g);
    let mut d = finding(Span::new(f, 0, 0), "cannot be read");
    d.label(Span::new(f, 3, 4), "here too");
    d.label(at(&db, g, "1"), "used here");
    let out = render_at(&one(db, d), 100);
    assert!(out.contains("--> secret.tf"), "{out}");
    assert!(out.contains("= note: here too (secret.tf)"), "{out}");
    assert!(out.contains("::: main.tf:1:5"), "{out}");
}

#[test]
fn a_span_over_several_lines() {
    let mut db = SourceDb::new(0);
    let text = "ipv6 {\n  primary = \"a\"\n  secondary = \"b\"\n}\nvlan = 1\n";
    let f = db.add_text("main.tf", text);
    let _ = db.line_index(f);
    let d = finding(Span::new(f, 0, text.find("}\n").unwrap() + 1), "the block");
    let out = render_at(&one(db, d), 100);
    assert!(out.contains("1 | / ipv6 {"), "{out}");
    assert!(out.contains("4 | | }"), "{out}");
    assert!(!out.contains("vlan"), "{out}");
}

#[test]
fn fixes_are_offered_with_the_flag_that_makes_them() {
    let mut db = SourceDb::new(0);
    let f = db.add_text("prod.tfvars", "prefix = \"10.0.0.1/30\"\n");
    let _ = db.line_index(f);
    let span = at(&db, f, "\"10.0.0.1/30\"");
    let mut d = finding(span, "host bits");
    d.fix = Some(crate::diagnostic::Fix {
        applicability: crate::diagnostic::Applicability::Safe,
        edits: vec![crate::diagnostic::ValueEdit::Replace {
            at: span,
            old: Some("10.0.0.1/30".into()),
            new: "10.0.0.0/30".into(),
        }],
    });
    let out = render_at(&one(db, d), 100);
    assert!(out.contains("= fix: `erlint --fix` makes it"), "{out}");
}
