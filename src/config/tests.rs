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
fn toml_strings_are_written_by_toml() {
    for s in [
        "plain",
        "a \"quoted\" word",
        "back\\slash",
        "line\nbreak",
        "tab\t",
    ] {
        let written = toml_string(s);
        let back: toml::Table = toml::from_str(&format!("k = {written}")).unwrap();
        assert_eq!(back["k"].as_str(), Some(s), "{written}");
    }
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

#[test]
fn the_init_template_is_valid_and_names_every_setting() {
    let c = parse(template(), ".erlint.toml", Path::new("."), Path::new(".")).unwrap();
    assert!(c.fail_on.is_none() && c.rules.is_empty() && c.var_files.is_empty());
    for key in TOP_KEYS {
        assert!(template().contains(key), "{key}");
    }
    for key in [
        "var_files",
        "subscription_from_env",
        "parameter_files",
        "office365",
        "carrier_tag",
        "extra",
    ] {
        assert!(
            template().contains(&format!("# {key} = ")) || template().contains(key),
            "{key}"
        );
    }
    // Uncommented, the settings that name no file are valid as written.
    let uncommented: String = template()
        .lines()
        .map(|l| {
            let setting = l.strip_prefix("# ").filter(|rest| {
                rest.contains(" = ")
                    && !rest.contains("var_files")
                    && !rest.contains("extra")
                    && !rest.starts_with('"')
            });
            format!("{}\n", setting.unwrap_or(l))
        })
        .collect();
    let c = parse(&uncommented, ".erlint.toml", Path::new("."), Path::new(".")).unwrap();
    assert_eq!(c.fail_on.map(|f| f.value), Some(Severity::Warning));
    assert_eq!(
        c.max_file_size.map(|m| m.value),
        Some(DEFAULT_MAX_FILE_SIZE)
    );
    let rules: Vec<String> = c.rules.iter().map(|r| r.value.0.clone()).collect();
    assert_eq!(rules, ["ER205", "ER301", "ER4"]);
    assert_eq!(c.carrier_tag.map(|t| t.value).as_deref(), Some("carrier"));
}
