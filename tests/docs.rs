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

/// `docs/erlint.1`, the man page, is generated from the command line definition
/// (clap_mangen): this test fails when it is stale (`ERLINT_UPDATE_DOCS=1` rewrites it), so
/// the page ships with the source and the build does not generate it.
#[test]
fn man_page_is_up_to_date() {
    let path = crate::common::repo().join("docs/erlint.1");
    let mut want = Vec::new();
    clap_mangen::Man::new(erlint::cli::command())
        .render(&mut want)
        .unwrap();
    let want = String::from_utf8(want).unwrap();
    for needle in [
        "\\-\\-fix",
        "\\-\\-stdin\\-filename",
        "completions",
        "server",
        "ExpressRoute",
    ] {
        assert!(want.contains(needle), "{needle} in the man page");
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    if have != want {
        if std::env::var_os("ERLINT_UPDATE_DOCS").is_some() {
            std::fs::write(&path, &want).unwrap();
        } else {
            panic!(
                "docs/erlint.1 is stale; run ERLINT_UPDATE_DOCS=1 cargo test --test integration docs"
            );
        }
    }
}

/// The README names every option and command of `erlint --help`.
#[test]
fn readme_documents_every_flag_and_command() {
    let readme = std::fs::read_to_string(crate::common::repo().join("README.md")).unwrap();
    let cmd = erlint::cli::command();
    let mut missing = Vec::new();
    for arg in cmd.get_arguments() {
        if let Some(long) = arg.get_long()
            && !readme.contains(&format!("--{long}"))
        {
            missing.push(format!("--{long}"));
        }
    }
    for sub in cmd.get_subcommands() {
        let name = sub.get_name();
        if !readme.contains(&format!("erlint {name}")) {
            missing.push(format!("erlint {name}"));
        }
    }
    assert!(missing.is_empty(), "not in the README: {missing:?}");
}
