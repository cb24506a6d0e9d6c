//! `.erlint.toml`: discovery, precedence, what each key does to a run, `erlint config`,
//! and errors (exit 2, a miette label at the exact place in the file).

use crate::common::repo;
use assert_cmd::Command;
use predicates::prelude::*;
use std::path::{Path, PathBuf};

fn erlint_in(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("erlint").unwrap();
    c.current_dir(dir)
        .env_remove("ERLINT_CONFIG")
        .env_remove("ARM_SUBSCRIPTION_ID")
        .env_remove("FORCE_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env("NO_COLOR", "1");
    c
}

fn project(name: &str) -> PathBuf {
    repo().join("fixtures/projects").join(name)
}

fn json_in(dir: &Path, args: &[&str]) -> (serde_json::Value, i32) {
    let out = erlint_in(dir)
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let v = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&out.stderr));
    });
    (v, out.status.code().unwrap())
}

#[test]
fn config_settings_reach_the_run() {
    let (v, code) = json_in(&project("config"), &[]);
    // fail_on = "error" and ER301 = "warning": reported, but the run passes.
    assert_eq!(code, 0, "{v:#}");
    let diags = v["diagnostics"].as_array().unwrap();
    let found: Vec<(&str, &str, &str)> = diags
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap(),
                d["file"].as_str().unwrap(),
                d["severity"].as_str().unwrap(),
            )
        })
        .collect();
    // No ER101 (subscription_from_env), no ER201/ER203 (catalog.extra knows Acme Fiber
    // at Hamburg), nothing from generated/ (exclude).
    assert_eq!(found, [("ER301", "main.tf", "warning")]);
    // The value came from the config's var file (the variable's default is 172.16.60.0/30).
    assert!(
        diags[0]["message"]
            .as_str()
            .unwrap()
            .contains("`172.16.61.0/30`"),
        "{v:#}"
    );
}

#[test]
fn command_line_wins_over_the_config() {
    let (_, code) = json_in(&project("config"), &["--fail-on", "warning"]);
    assert_eq!(code, 1);
}

#[test]
fn config_from_a_parent_directory_and_from_erlint_config() {
    let dir = project("config").join("env");
    erlint_in(&dir)
        .arg("config")
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "fixtures/projects/config/.erlint.toml (found from the current directory)",
        ))
        .stdout(predicate::str::contains("fail_on = \"error\""));
    let other = tempfile::tempdir().unwrap();
    erlint_in(other.path())
        .env("ERLINT_CONFIG", project("config").join(".erlint.toml"))
        .arg("config")
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "(from environment (ERLINT_CONFIG))",
        ));
    erlint_in(other.path())
        .args(["config", "--config", "nope.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "configuration file `nope.toml` (from --config) does not exist",
        ));
}

#[test]
fn erlint_config_names_where_each_value_comes_from() {
    let out = erlint_in(&project("config"))
        .args([
            "config",
            "--fail-on",
            "info",
            "--var-file",
            "env/prod.tfvars",
        ])
        .env(
            "ARM_SUBSCRIPTION_ID",
            "00000000-0000-4000-8000-000000000001",
        )
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let line = |key: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(key))
            .unwrap_or_else(|| panic!("no {key} in\n{text}"))
            .to_string()
    };
    assert!(
        line("fail_on").ends_with("# command line (--fail-on)"),
        "{text}"
    );
    assert!(
        line("max_file_size = 2097152").ends_with("# .erlint.toml:4"),
        "{text}"
    );
    assert!(
        line("ER301 = \"warning\"").ends_with("# .erlint.toml:7"),
        "{text}"
    );
    assert!(
        line("\"**/generated/**\"").ends_with("# .erlint.toml:3"),
        "{text}"
    );
    assert!(
        line("subscription_from_env = true").ends_with("# .erlint.toml:12"),
        "{text}"
    );
    assert!(line("office365 = false").ends_with("# default"), "{text}");
    assert!(
        line("extra = \"erlint-catalog.json\"").ends_with("# .erlint.toml:18"),
        "{text}"
    );
    // The var file twice: from the config, then from the command line.
    assert!(
        text.contains("\"env/prod.tfvars\",                         # .erlint.toml:11"),
        "{text}"
    );
    assert!(
        text.contains("\"env/prod.tfvars\",                         # command line (--var-file)"),
        "{text}"
    );
    // Without a config: defaults, and the environment.
    let empty = tempfile::tempdir().unwrap();
    let out = erlint_in(empty.path())
        .arg("config")
        .env(
            "ARM_SUBSCRIPTION_ID",
            "00000000-0000-4000-8000-000000000001",
        )
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("# no configuration file"), "{text}");
    assert!(
        text.contains("fail_on = \"warning\"                          # default"),
        "{text}"
    );
    assert!(
        text.contains("# environment (ARM_SUBSCRIPTION_ID)"),
        "{text}"
    );
}

#[test]
fn unknown_key_exits_two_with_a_label_at_the_key() {
    erlint_in(&project("config-unknown-key"))
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "unknown key `var_file` in `[terraform]`",
        ))
        .stderr(predicate::str::contains("help: did you mean `var_files`?"))
        .stderr(predicate::str::contains("╭─[.erlint.toml:4:1]"))
        .stderr(predicate::str::contains(
            " 4 │ var_file = [\"env/prod.tfvars\"]\n   · ────┬───\n   ·     ╰── unknown key",
        ));
}

#[test]
fn every_problem_in_one_run_each_located() {
    let e = bad_config(
        "fail_on = \"warnin\"\n\
         [rules]\n\
         ER3O1 = \"off\"\n\
         single-bgp-session = \"warning\"\n\
         ER301 = \"error\"\n\
         [terraform]\n\
         var_file = [\"x.tfvars\"]\n\
         [terrafrom]\n\
         [subscriptions]\n\
         office365 = \"yes\"\n\
         [connectivity]\n\
         carrier = \"carrier\"\n",
        None,
    );
    let expected = [
        (
            "1:11",
            "`fail_on` is `warnin`, not `error`, `warning` or `info`",
            "did you mean `\"warning\"`?",
        ),
        (
            "3:1",
            "`ER3O1` is not an erlint rule id, name or id prefix; did you mean `ER301`",
            "a rule name (`single-bgp-session`)",
        ),
        (
            "5:1",
            "`ER301` is set twice (first at .erlint.toml:4)",
            "keep one entry per rule",
        ),
        (
            "7:1",
            "unknown key `var_file` in `[terraform]`",
            "did you mean `var_files`?",
        ),
        (
            "8:2",
            "unknown section `[terrafrom]`",
            "did you mean `[terraform]`?",
        ),
        (
            "10:13",
            "`subscriptions.office365` must be true or false, not a string",
            "",
        ),
        (
            "12:1",
            "unknown key `carrier` in `[connectivity]`",
            "did you mean `carrier_tag`?",
        ),
    ];
    let mut from = 0;
    for (at, message, help) in expected {
        let loc = format!("╭─[.erlint.toml:{at}]");
        let found = e[from..]
            .find(&loc)
            .unwrap_or_else(|| panic!("{loc} in order:\n{e}"));
        let before = &e[..from + found];
        assert!(before.contains(message), "{message} before {loc}:\n{e}");
        if !help.is_empty() {
            let rest = &e[from + found..];
            assert!(rest.contains(help), "{help} after {loc}:\n{e}");
        }
        from += found + loc.len();
    }
    assert!(!e.contains("erlint::"), "no internal identifiers:\n{e}");
}

#[test]
fn rule_names_in_the_rules_table() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(".erlint.toml"),
        "[rules]\nSingle-BGP-Session = \"off\"\n",
    )
    .unwrap();
    std::fs::copy(
        repo().join("fixtures/rules/ER301/invalid.tf"),
        dir.path().join("main.tf"),
    )
    .unwrap();
    let (v, _) = json_in(dir.path(), &[]);
    let codes: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert!(!codes.is_empty() && !codes.contains(&"ER301"), "{v:#}");
    let out = erlint_in(dir.path()).arg("config").output().unwrap();
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("ER301 = \"off\""),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

fn bad_config(toml: &str, extra: Option<&str>) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".erlint.toml"), toml).unwrap();
    if let Some(x) = extra {
        std::fs::write(dir.path().join("extra-catalog.json"), x).unwrap();
    }
    std::fs::write(dir.path().join("main.tf"), "").unwrap();
    let out = erlint_in(dir.path()).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn bad_values_point_at_the_value() {
    let e = bad_config("fail_on = \"fatal\"\n", None);
    assert!(
        e.contains("`fail_on` is `fatal`, not `error`, `warning` or `info`"),
        "{e}"
    );
    assert!(e.contains("╭─[.erlint.toml:1:11]"), "{e}");

    let e = bad_config("[rules]\nER205 = \"off\"\nER399 = \"warning\"\n", None);
    assert!(e.contains("`ER399` is not an erlint rule"), "{e}");
    assert!(e.contains("╭─[.erlint.toml:3:1]"), "{e}");

    let e = bad_config("[rules]\nER3 = \"loud\"\n", None);
    assert!(
        e.contains("`rules.ER3` is `loud`, not `off`, `info`, `warning` or `error`"),
        "{e}"
    );

    let e = bad_config("[terraform]\nvar_files = [\"env/missing.tfvars\"]\n", None);
    assert!(
        e.contains("`terraform.var_files`: `env/missing.tfvars` does not exist"),
        "{e}"
    );
    assert!(e.contains("╭─[.erlint.toml:2:14]"), "{e}");

    let e = bad_config("max_file_size = \"ten megs\"\n", None);
    assert!(e.contains("`max_file_size` is not a size"), "{e}");

    let e = bad_config("exclude = [\"gen/[\"]\n", None);
    assert!(e.contains("invalid glob in `exclude`"), "{e}");

    // A broken file never passes the gate: ER001 cannot be turned off or lowered.
    let e = bad_config("[rules]\nER3 = \"info\"\nER001 = \"off\"\n", None);
    assert!(e.contains("`ER001` cannot be turned off or lowered"), "{e}");
    assert!(e.contains("╭─[.erlint.toml:3:9]"), "{e}");
}

#[test]
fn prefixes_do_not_reach_the_gate_rules() {
    // `ER = "off"` silences every rule but the ones that keep broken files out.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".erlint.toml"), "[rules]\nER = \"off\"\n").unwrap();
    std::fs::write(dir.path().join("broken.tf"), "resource \"x\" \"y\" {\n").unwrap();
    let (v, code) = json_in(dir.path(), &[]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(v["diagnostics"][0]["code"], "ER001", "{v:#}");
    assert_eq!(v["diagnostics"][0]["severity"], "error", "{v:#}");
}

#[test]
fn config_excludes_are_relative_to_the_config_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("infra/generated")).unwrap();
    std::fs::write(
        root.join(".erlint.toml"),
        "exclude = [\"infra/generated/**\"]\n",
    )
    .unwrap();
    std::fs::write(root.join("infra/generated/broken.tf"), "resource {\n").unwrap();
    std::fs::write(root.join("infra/main.tf"), "").unwrap();
    // From the root, from `infra/`, and with `./infra`: the generated file stays out.
    for (cwd, arg) in [
        (root.to_path_buf(), "infra"),
        (root.join("infra"), "."),
        (root.to_path_buf(), "./infra"),
    ] {
        let (v, code) = json_in(&cwd, &[arg]);
        assert_eq!(code, 0, "{} {arg}: {v:#}", cwd.display());
    }
}

#[test]
fn catalog_extra_errors_point_into_the_extra_file() {
    let extra = r#"{
  "version": 1,
  "partners": [
    { "name": "Acme Fiber", "locations": { "global": ["Hamburgg"] } }
  ]
}
"#;
    let e = bad_config("[catalog]\nextra = \"extra-catalog.json\"\n", Some(extra));
    assert!(
        e.contains("partners[0].locations.global[0]: `Hamburgg` is not a peering location"),
        "{e}"
    );
    assert!(e.contains("╭─[extra-catalog.json:4:55]"), "{e}");
    // …and the config key that named the file.
    assert!(e.contains("╭─[.erlint.toml:2:9]"), "{e}");
    let e = bad_config(
        "[catalog]\nextra = \"extra-catalog.json\"\n",
        Some("{\"partner\": []}\n"),
    );
    assert!(e.contains("unknown field `partner`"), "{e}");
    assert!(e.contains("╭─[extra-catalog.json:1:"), "{e}");
    let e = bad_config("[catalog]\nextra = \"missing.json\"\n", None);
    assert!(
        e.contains("`catalog.extra`: cannot read `missing.json`"),
        "{e}"
    );
}

#[test]
fn paths_are_relative_to_the_config_file() {
    // Run from a subdirectory with the config one level up: its var file still resolves.
    let (v, code) = json_in(&project("config").join("env"), &[".."]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["diagnostics"].as_array().unwrap().len(), 1, "{v:#}");
}
