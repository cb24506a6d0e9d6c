//! `rules/ERxxx.md` are generated from the rule doc comments; this test fails when one is
//! stale or missing (`ERLINT_UPDATE_DOCS=1 cargo test --test integration docs` rewrites them).

#[test]
fn rule_docs_are_up_to_date() {
    let dir = crate::common::repo().join("rules");
    let update = std::env::var_os("ERLINT_UPDATE_DOCS").is_some();
    let mut stale = Vec::new();
    for rule in erlint::rules::RULES {
        let meta = rule.meta();
        let path = dir.join(format!("{}.md", meta.id));
        let want = format!(
            "<!-- Generated from src/rules by `ERLINT_UPDATE_DOCS=1 cargo test --test integration docs`; do not edit. -->\n\n{}",
            erlint::docs::page(meta)
        );
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        if have != want {
            if update {
                std::fs::write(&path, &want).unwrap();
            } else {
                stale.push(meta.id);
            }
        }
    }
    assert!(
        stale.is_empty(),
        "stale or missing rule docs: {stale:?}; run ERLINT_UPDATE_DOCS=1 cargo test --test integration docs"
    );
}

#[test]
fn no_doc_for_a_rule_that_does_not_exist() {
    let dir = crate::common::repo().join("rules");
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        if let Some(id) = name.strip_suffix(".md")
            && id.starts_with("ER")
        {
            assert!(
                erlint::rules::find(id).is_some(),
                "rules/{name} documents no rule"
            );
        }
    }
}

#[test]
fn readme_rule_table_is_up_to_date() {
    let path = crate::common::repo().join("README.md");
    let have = std::fs::read_to_string(&path).unwrap();
    let want = erlint::docs::with_readme_table(&have).expect("README has the rule table markers");
    if have != want {
        if std::env::var_os("ERLINT_UPDATE_DOCS").is_some() {
            std::fs::write(&path, &want).unwrap();
        } else {
            panic!(
                "README's rule table is stale; run ERLINT_UPDATE_DOCS=1 cargo test --test integration docs"
            );
        }
    }
}
