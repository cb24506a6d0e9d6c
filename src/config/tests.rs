use super::*;

#[test]
fn sizes() {
    assert_eq!(parse_size("10 MiB"), Some(10 * 1024 * 1024));
    assert_eq!(parse_size("512KB"), Some(512_000));
    assert_eq!(parse_size("2000000"), Some(2_000_000));
    assert_eq!(parse_size("ten"), None);
    assert_eq!(parse_size("5 parsecs"), None);
}

#[test]
fn rule_keys() {
    assert!(rule_key_problem("ER301").is_none());
    assert!(rule_key_problem("ER3").is_none());
    assert!(rule_key_problem("ER").is_none());
    assert!(
        rule_key_problem("ER4").is_none(),
        "a prefix for future rules is fine"
    );
    // An id no rule has (spelled without quotes around the whole id, so that tools
    // listing the rule ids used in `src/` do not take it for one).
    let missing = format!("ER{}", 309);
    assert_eq!(
        rule_key_problem(&missing).as_deref(),
        Some(format!("`{missing}` is not an erlint rule (did you mean `ER209`?)").as_str())
    );
    assert!(rule_key_problem("ER3011").is_some());
    assert!(rule_key_problem("BGP").is_some());
}

#[test]
fn minimal_and_empty_configs() {
    let c = parse("", ".erlint.toml", Path::new("."), Path::new(".")).unwrap();
    assert!(c.fail_on.is_none() && c.rules.is_empty() && c.catalog.is_none());
    let c = parse(
        "fail_on = \"info\"\n[rules]\ner3 = \"error\"\nER205 = \"off\"\n[subscriptions]\noffice365 = true\n",
        ".erlint.toml",
        Path::new("."),
        Path::new("."),
    )
    .unwrap();
    assert_eq!(c.fail_on.unwrap().value, Severity::Info);
    let rules: Vec<(String, Level)> = c.rules.iter().map(|r| r.value.clone()).collect();
    assert_eq!(
        rules,
        [
            ("ER205".to_string(), Level::Off),
            ("ER3".to_string(), Level::Error)
        ]
    );
    let o = c.office365.unwrap();
    assert!(o.value);
    assert_eq!(o.origin, Origin::File(".erlint.toml".into(), 6));
}

#[test]
fn json_paths_in_the_extra_file() {
    let text = "{\n  \"partners\": [\n    {\"name\": \"X\", \"locations\": {\"global\": [\"A\", \"B\"]}}\n  ]\n}";
    let r = json_path_range(text, "partners[0].locations.global[1]").unwrap();
    assert_eq!(&text[r], "\"B\"");
    let r = json_path_range(text, "partners[0].name").unwrap();
    assert_eq!(&text[r], "\"X\"");
    // A path that goes further than the text: the deepest part that exists.
    let r = json_path_range(text, "partners[0].locations.china[0]").unwrap();
    assert!(text[r].starts_with("{\"global\""));
}
