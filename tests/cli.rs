//! The command line: exit codes, formats, subcommands, bad input.

use crate::common::repo;
use assert_cmd::Command;
use predicates::prelude::*;

fn erlint() -> Command {
    let mut c = Command::cargo_bin("erlint").unwrap();
    c.current_dir(repo())
        .env_remove("ARM_SUBSCRIPTION_ID")
        .env("NO_COLOR", "1");
    c
}

fn json(args: &[&str]) -> (serde_json::Value, i32) {
    let out = erlint()
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (v, out.status.code().unwrap())
}

#[test]
fn clean_project_exits_zero() {
    erlint()
        .arg("fixtures/projects/clean")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("0 errors, 0 warnings"));
}

#[test]
fn findings_exit_one_and_json_has_the_contract_fields() {
    let (v, code) = json(&["fixtures/rules/ER301/invalid.tf"]);
    assert_eq!(code, 1);
    assert_eq!(v["version"], 1);
    let d = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "ER301")
        .unwrap();
    for key in [
        "code", "name", "severity", "message", "file", "start", "end", "resource", "help", "labels",
    ] {
        assert!(d.get(key).is_some(), "missing {key}");
    }
    assert_eq!(d["file"], "fixtures/rules/ER301/invalid.tf");
    assert_eq!(d["start"]["line"], 49);
    assert_eq!(d["name"], "single-bgp-session");
    for key in ["files", "resources", "errors", "warnings", "infos"] {
        assert!(v["summary"][key].is_u64(), "summary.{key}");
    }
}

#[test]
fn json_has_the_same_shape_when_clean() {
    let (v, code) = json(&["fixtures/projects/clean"]);
    assert_eq!(code, 0);
    assert_eq!(v["diagnostics"], serde_json::json!([]));
    assert_eq!(v["summary"]["errors"], 0);
}

#[test]
fn a_broken_file_does_not_hide_findings_in_others() {
    let (v, code) = json(&["fixtures/projects/broken"]);
    assert_eq!(code, 1);
    let codes: Vec<(&str, &str)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["code"].as_str().unwrap(), d["file"].as_str().unwrap()))
        .collect();
    assert!(
        codes.contains(&("ER001", "fixtures/projects/broken/broken.tf")),
        "{codes:?}"
    );
    assert!(
        codes.contains(&("ER002", "fixtures/projects/broken/latin1.tf")),
        "{codes:?}"
    );
    assert!(
        codes.contains(&("ER301", "fixtures/projects/broken/bad/main.tf")),
        "{codes:?}"
    );
    let parse = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "ER001")
        .unwrap();
    // hcl-edit stops at the end of the last line, where the block's `}` is missing.
    assert_eq!(parse["start"]["line"], 4, "{parse}");
}

#[test]
fn fail_on_and_exit_zero() {
    // ER101 is a warning: --fail-on error lets it pass.
    erlint()
        .args(["fixtures/rules/ER101/invalid.tf", "--fail-on", "error"])
        .assert()
        .code(0);
    erlint()
        .args(["fixtures/rules/ER101/invalid.tf", "--fail-on", "warning"])
        .assert()
        .code(1);
    erlint()
        .args(["fixtures/rules/ER301/invalid.tf", "--exit-zero"])
        .assert()
        .code(0);
}

#[test]
fn bad_arguments_exit_two() {
    erlint()
        .arg("does/not/exist")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("does not exist"));
    erlint()
        .args(["fixtures/projects/clean", "--format", "yaml"])
        .assert()
        .code(2);
    erlint().args(["--fail-on", "fatal"]).assert().code(2);
    erlint().args(["explain", "ER999"]).assert().code(2);
    for (args, says) in [
        (&["--select", "ER999"][..], "`ER999` is not an erlint rule"),
        (
            &["--ignore", "E301"],
            "`E301` is not an erlint rule id, name or id prefix",
        ),
        (&["--select", "ER9"], "`ER9` matches no erlint rule"),
        (&["--ignore", "ER001"], "`ER001` cannot be turned off"),
        (
            &["--var", "novalue"],
            "--var `novalue`: expected NAME=VALUE",
        ),
        (
            &["--format", "json=out.json", "--format", "sarif=./out.json"],
            "two formats would write",
        ),
    ] {
        erlint()
            .arg("fixtures/projects/clean")
            .args(args)
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains(says));
    }
}

#[test]
fn a_mistyped_command_gets_the_nearest_one() {
    for (typo, cmd) in [
        ("rule", "rules"),
        ("exlpain", "explain"),
        ("catalgo", "catalog"),
        ("cnofig", "config"),
    ] {
        erlint()
            .args([typo, "ER301"])
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains(format!(
                "`{typo}` is neither a path nor an erlint command"
            )))
            .stderr(predicate::str::contains(format!(
                "did you mean `erlint {cmd}`?"
            )));
    }
    // Far from every command: the path error as before.
    erlint()
        .arg("infrastructure")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "path `infrastructure` does not exist",
        ));
    // A directory of that name is a path, not a typo.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("rule")).unwrap();
    let mut c = Command::cargo_bin("erlint").unwrap();
    c.current_dir(dir.path())
        .arg("rule")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("0 errors"));
}

#[test]
fn rule_names_work_wherever_ids_do() {
    let ids = |v: &serde_json::Value| -> Vec<String> {
        let mut ids: Vec<String> = v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["code"].as_str().unwrap().to_string())
            .collect();
        ids.dedup();
        ids
    };
    let dir = "fixtures/rules/ER301";
    let (by_name, code) = json(&[dir, "--select", "Single-BGP-Session"]);
    assert_eq!(code, 1);
    assert_eq!(ids(&by_name), ["ER301"], "{by_name:#}");
    let (by_id, _) = json(&[dir, "--select", "er301"]);
    assert_eq!(by_name["diagnostics"], by_id["diagnostics"]);
    let (ignored, _) = json(&[dir, "--select", "ER3", "--ignore", "single-bgp-session"]);
    assert!(!ids(&ignored).contains(&"ER301".to_string()), "{ignored:#}");
    // Misspelt: the nearest rule, by id or by name.
    for (flag, typo) in [
        ("--ignore", "ER3O1"),
        ("--select", "single-bgp-sesion"),
        ("--select", "singlebgpsession"),
    ] {
        erlint()
            .args([dir, flag, typo])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(format!(
                "{flag}: `{typo}` is not an erlint rule id, name or id prefix; did you mean `ER301` (`single-bgp-session`)?"
            )));
    }
    erlint()
        .args(["explain", "SINGLE-BGP-SESSION"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("# ER301 single-bgp-session"));
    erlint()
        .args(["explain", "single-bgp-sesion"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no rule `single-bgp-sesion`; did you mean `ER301` (`single-bgp-session`)?",
        ));
}

/// A root whose peering takes its prefixes from `terraform.tfvars`: clean on disk.
fn stdin_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let env = dir.path().join("envs/prod");
    std::fs::create_dir_all(&env).unwrap();
    std::fs::write(
        env.join("main.tf"),
        STDIN_MAIN.replace("SECONDARY", "secondary"),
    )
    .unwrap();
    std::fs::write(
        env.join("variables.tf"),
        "variable \"primary\" {}\nvariable \"secondary\" {}\n",
    )
    .unwrap();
    std::fs::write(
        env.join("terraform.tfvars"),
        "primary   = \"192.0.2.0/30\"\nsecondary = \"192.0.2.4/30\"\n",
    )
    .unwrap();
    dir
}

const STDIN_MAIN: &str = r#"provider "azurerm" {
  features {}
  subscription_id = "00000000-0000-0000-0000-000000000000"
}

resource "azurerm_express_route_circuit_peering" "private" {
  peering_type                  = "AzurePrivatePeering"
  express_route_circuit_name    = "erc-prod"
  resource_group_name           = "rg-network"
  peer_asn                      = 65010
  primary_peer_address_prefix   = var.primary
  secondary_peer_address_prefix = var.SECONDARY
  vlan_id                       = 100
}
"#;

#[test]
fn stdin_is_linted_as_the_named_file_with_its_directory_from_disk() {
    let dir = stdin_project();
    let run = |args: &[&str], stdin: &str| {
        let out = Command::cargo_bin("erlint")
            .unwrap()
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .args(args)
            .write_stdin(stdin)
            .output()
            .unwrap();
        (
            out.status.code().unwrap(),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    // On disk the root is clean.
    let (code, out, _) = run(&["--format", "compact"], "");
    assert_eq!((code, out.lines().count()), (0, 1), "{out}");
    // The editor's buffer uses the primary twice: the values come from the tfvars on disk.
    let edited = STDIN_MAIN.replace("SECONDARY", "primary");
    let (code, out, err) = run(
        &[
            "--stdin-filename",
            "envs/prod/main.tf",
            "-",
            "--format",
            "json",
        ],
        &edited,
    );
    assert_eq!(code, 1, "{out}{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let d = &v["diagnostics"].as_array().unwrap()[..];
    assert_eq!(d.len(), 1, "{v:#}");
    assert_eq!(d[0]["code"], "ER302");
    assert_eq!(d[0]["file"], "envs/prod/main.tf");
    assert_eq!(d[0]["start"]["line"], 12);
    assert!(
        d[0]["labels"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["file"] == "envs/prod/terraform.tfvars"),
        "{v:#}"
    );
    // Other formats and --stdin-filename alone read stdin too.
    let (code, out, _) = run(
        &[
            "--stdin-filename",
            "envs/prod/main.tf",
            "--format",
            "compact",
        ],
        &edited,
    );
    assert_eq!(code, 1);
    assert!(out.starts_with("envs/prod/main.tf:12:"), "{out}");
    // A clean buffer over a file with a defect on disk: the buffer is what counts.
    std::fs::write(dir.path().join("envs/prod/main.tf"), &edited).unwrap();
    let clean = STDIN_MAIN.replace("SECONDARY", "secondary");
    let (code, out, _) = run(&["--stdin-filename", "envs/prod/main.tf", "-"], &clean);
    assert_eq!(code, 0, "{out}");
    // A buffer not saved yet: the file need not exist.
    let (code, out, _) = run(
        &[
            "--stdin-filename",
            "envs/prod/peering.tf",
            "-",
            "--format",
            "compact",
        ],
        &edited.replace("\"private\"", "\"second\""),
    );
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("envs/prod/peering.tf:12:"), "{out}");
    // Misuse is a usage error.
    for (args, says) in [
        (&["-"][..], "give `--stdin-filename PATH`"),
        (
            &["--stdin-filename", "envs/prod/main.tf", "envs"],
            "add `-` to the paths",
        ),
        (&["--stdin-filename", "envs/prod", "-"], "is a directory"),
    ] {
        let (code, _, err) = run(args, &clean);
        assert_eq!(code, 2, "{args:?}");
        assert!(err.contains(says), "{err}");
    }
}

#[test]
fn help_shows_every_format_in_its_examples() {
    let out = erlint().arg("--help").output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    let examples = &help[help.find("Examples:").expect("an Examples section")..];
    for f in <erlint::output::Format as clap::ValueEnum>::value_variants() {
        let name = clap::ValueEnum::to_possible_value(f).unwrap();
        assert!(
            examples.contains(&format!("--format {}", name.get_name())),
            "{} not in the examples:\n{examples}",
            name.get_name()
        );
    }
    for flag in [
        "--fix",
        "--diff",
        "--unsafe-fixes",
        "--stdin-filename",
        "completions",
        "init",
        "server",
    ] {
        assert!(examples.contains(flag), "{flag}");
    }
}

#[test]
fn completions_for_each_shell() {
    for (shell, says) in [
        ("bash", "_erlint()"),
        ("zsh", "#compdef erlint"),
        ("fish", "complete -c erlint"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let out = erlint().args(["completions", shell]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = String::from_utf8(out.stdout).unwrap();
        assert!(script.contains(says), "{shell}: {says}");
        assert!(
            script.contains("stdin-filename")
                && script.contains("unsafe-fixes")
                && script.contains("server"),
            "{shell}"
        );
    }
    erlint().args(["completions", "tcsh"]).assert().code(2);
}

#[test]
fn rules_as_json() {
    let out = erlint()
        .args(["rules", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules = v.as_array().unwrap();
    assert_eq!(rules.len(), erlint::rules::RULES.len());
    let er301 = rules.iter().find(|r| r["id"] == "ER301").unwrap();
    assert_eq!(er301["name"], "single-bgp-session");
    assert_eq!(er301["severity"], "error");
    assert_eq!(er301["gate"], false);
    assert!(er301["summary"].as_str().unwrap().contains("BGP session"));
    assert!(er301["url"].as_str().unwrap().ends_with("/rules/ER301.md"));
    assert_eq!(
        rules.iter().find(|r| r["id"] == "ER001").unwrap()["gate"],
        true
    );
}

#[test]
fn init_writes_a_commented_configuration_once() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let mut c = Command::cargo_bin("erlint").unwrap();
        c.current_dir(dir.path())
            .env_remove("ERLINT_CONFIG")
            .args(args)
            .output()
            .unwrap()
    };
    let out = run(&["init"]);
    assert_eq!(out.status.code(), Some(0));
    let text = std::fs::read_to_string(dir.path().join(".erlint.toml")).unwrap();
    assert_eq!(text, erlint::config::template());
    // The run reads it as the defaults.
    let out = run(&["config"]);
    let shown = String::from_utf8(out.stdout).unwrap();
    assert!(
        shown.contains("# configuration file: .erlint.toml"),
        "{shown}"
    );
    assert!(shown.contains("fail_on = \"warning\""), "{shown}");
    // Not overwritten unless asked.
    std::fs::write(dir.path().join(".erlint.toml"), "fail_on = \"error\"\n").unwrap();
    let out = run(&["init"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("exists already"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join(".erlint.toml")).unwrap(),
        "fail_on = \"error\"\n"
    );
    assert_eq!(run(&["init", "--force"]).status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(dir.path().join(".erlint.toml")).unwrap(),
        erlint::config::template()
    );
}

/// The longest line of the human output, but for what is not cut: a snippet line's label
/// (as rustc), a link, the summary.
fn widest_line(out: &str) -> usize {
    out.lines()
        .filter(|l| {
            let label = l.trim_start().starts_with('|') && (l.contains("--") || l.contains("^^"));
            !label && !l.contains(" resources checked") && !l.contains("https://")
        })
        .map(|l| l.trim_end().chars().count())
        .max()
        .unwrap_or(0)
}

#[test]
fn human_output_fits_the_terminal() {
    let args = ["fixtures/rules/ER202/invalid.tf", "--color", "never"];
    for cols in [60, 100, 200] {
        let out = erlint()
            .env("COLUMNS", cols.to_string())
            .args(args)
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        let widest = widest_line(&text);
        assert!(
            widest <= cols,
            "COLUMNS={cols}: a line of {widest}:\n{text}"
        );
        assert!(
            widest > cols * 3 / 4,
            "COLUMNS={cols}: at most {widest} wide"
        );
    }
    // Not a terminal and no COLUMNS: 100 columns.
    let out = erlint().env_remove("COLUMNS").args(args).output().unwrap();
    let widest = widest_line(&String::from_utf8(out.stdout).unwrap());
    assert!((76..=100).contains(&widest), "{widest}");
    // In a terminal (a pseudo-terminal from `script`), its width.
    let Ok(script) = which("script") else {
        eprintln!("skipped: no `script` to run erlint in a pseudo-terminal");
        return;
    };
    let bin = assert_cmd::cargo::cargo_bin("erlint");
    let cmd = format!(
        "stty cols 60 rows 40; env -u COLUMNS NO_COLOR=1 {} {}",
        bin.display(),
        args.join(" ")
    );
    let out = std::process::Command::new(script)
        .args(["-qec", &cmd, "/dev/null"])
        .current_dir(repo())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).replace('\r', "");
    let widest = widest_line(&text);
    assert!((46..=60).contains(&widest), "{widest}:\n{text}");
}

fn which(name: &str) -> Result<std::path::PathBuf, ()> {
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
        .ok_or(())
}

#[test]
fn findings_are_one_blank_line_apart_with_secondary_places_inside() {
    let out = erlint()
        .env("COLUMNS", "100")
        .args(["fixtures/rules/ER301/invalid-module", "--color", "never"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains("Advice"), "{text}");
    assert!(
        !text.lines().any(|l| l.ends_with(' ')),
        "trailing space:\n{text}"
    );
    assert!(text.contains("  ::: "), "{text}");
    let headers: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with("error[") || l.starts_with("warning["))
        .map(|(i, _)| i)
        .collect();
    assert!(headers.len() >= 2, "{text}");
    let lines: Vec<&str> = text.lines().collect();
    for h in &headers[1..] {
        assert_eq!(
            lines[h - 1],
            "",
            "a blank line before each finding:\n{text}"
        );
        assert_ne!(lines[h - 2], "", "only one:\n{text}");
    }
}

#[test]
fn human_output_has_snippet_help_and_summary() {
    erlint()
        .args(["fixtures/rules/ER301/invalid.tf", "--color", "never"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "error[ER301]: IPv4 peering has one BGP session",
        ))
        .stdout(predicate::str::contains(
            "--> fixtures/rules/ER301/invalid.tf:49:1",
        ))
        .stdout(predicate::str::contains("= help: split the block"))
        .stdout(predicate::str::contains("= rule: single-bgp-session"))
        .stdout(
            predicate::str::is_match(
                r"\d+ errors?, \d+ warnings? in \d+ files? \(\d+ resources? checked: \d+ azurerm[^)]*\)",
            )
            .unwrap(),
        );
}

#[test]
fn rules_and_explain() {
    erlint()
        .arg("rules")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("ER301  single-bgp-session"));
    erlint()
        .args(["explain", "er301"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("# ER301 single-bgp-session"))
        .stdout(predicate::str::contains("## How to fix"));
}

#[test]
fn named_file_reports_only_that_file_but_reads_its_directory() {
    // The module file is named: the finding comes from the instance the root creates
    // (the root's tfvars leave `secondary_prefix` unset), found through the parent directory.
    let (v, code) = json(&["fixtures/rules/ER301/invalid-module/modules/peering/main.tf"]);
    assert_eq!(code, 1);
    let diags = v["diagnostics"].as_array().unwrap();
    assert!(!diags.is_empty());
    for d in diags {
        assert_eq!(
            d["file"],
            "fixtures/rules/ER301/invalid-module/modules/peering/main.tf"
        );
    }
    // Naming only the root's variables file reports nothing in other files.
    let (v, _) = json(&["fixtures/rules/ER301/invalid-module/variables.tf"]);
    assert_eq!(v["diagnostics"], serde_json::json!([]));
}

#[test]
fn tf_var_and_arm_subscription_id_from_the_environment() {
    // TF_VAR_peering gives the prod value to the root variable.
    let out = erlint()
        .args(["fixtures/terraform/envs", "--format", "json"])
        .env("TF_VAR_environment", "prod")
        .env("TF_VAR_peering", "{ primary = \"10.20.0.0/30\" }")
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["diagnostics"][0]["code"], "ER301", "{v}");
    // ARM_SUBSCRIPTION_ID set for the run supplies the subscription (ER101 silent).
    erlint()
        .args(["fixtures/rules/ER101/invalid.tf"])
        .assert()
        .code(1);
    erlint()
        .args(["fixtures/rules/ER101/invalid.tf"])
        .env(
            "ARM_SUBSCRIPTION_ID",
            "6f1c2a3b-4d5e-4f60-8a71-92b3c4d5e6f7",
        )
        .assert()
        .code(0);
}

#[test]
fn a_parameter_file_that_does_not_parse_is_reported_and_its_values_are_unknown() {
    // Named template (pre-commit mode) with `--parameters` naming a truncated file: its
    // ER001 is reported even though only the template was named, and the template is not
    // linted with its placeholder defaults instead (they would give ER302).
    let dir = "fixtures/arm/broken-parameters";
    let params = format!("{dir}/er.parameters.json");
    let (v, code) = json(&["--parameters", &params, &format!("{dir}/er.json")]);
    assert_eq!(code, 1);
    let found: Vec<(&str, &str, u64)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap(),
                d["file"].as_str().unwrap(),
                d["start"]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(found, [("ER001", params.as_str(), 4)], "{v}");
    // The same pair found by the naming convention.
    let (v, code) = json(&[dir]);
    assert_eq!(code, 1);
    let codes: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["ER001"], "{v}");
}

/// A template with two parameter files is linted once per file: a finding whose value
/// each file sets is reported per file, labelled there; one the template fixes for both
/// is reported once and names the other run.
#[test]
fn findings_per_parameter_file() {
    let (v, code) = json(&["fixtures/projects/per-parameter-file"]);
    assert_eq!(code, 1);
    let rows: Vec<(String, u64, String, String)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["start"]["line"].as_u64().unwrap(),
                d["parameter_file"]
                    .as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_string(),
                d["labels"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|l| {
                        format!(
                            "{}:{}",
                            l["file"].as_str().unwrap().rsplit('/').next().unwrap(),
                            l["start"]["line"]
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(" "),
            )
        })
        .collect();
    let row = |c: &str, l: u64, p: &str, labels: &str| {
        (c.to_string(), l, p.to_string(), labels.to_string())
    };
    assert_eq!(
        rows,
        [
            row(
                "ER206",
                23,
                "er.parameters.prod.json",
                "er.parameters.prod.json:6"
            ),
            row(
                "ER206",
                23,
                "er.parameters.dev.json",
                "er.parameters.dev.json:6"
            ),
            row("ER406", 37, "er.parameters.dev.json", ""),
        ]
    );
    assert_eq!(
        v["diagnostics"][2]["note"],
        "the same for `Microsoft.Network/expressRouteCircuits/peerings/er-prod-fra/AzurePrivatePeering` (parameter file `fixtures/projects/per-parameter-file/er.parameters.prod.json`)"
    );
}

#[test]
fn long_version_names_the_catalogue_date_and_sources() {
    erlint()
        .arg("--version")
        .assert()
        .code(0)
        .stdout(predicate::str::contains(concat!(
            "erlint ",
            env!("CARGO_PKG_VERSION"),
            "\nExpressRoute catalogue as of 2026-04-28, from MicrosoftDocs/azure-docs:\n"
        )))
        .stdout(predicate::str::contains(
            "articles/expressroute/expressroute-locations-providers.md (ms.date 04/28/2026, commit 003496823159)",
        ))
        .stdout(predicate::str::contains("articles/expressroute/metro.md (ms.date 05/10/2026"));
    erlint()
        .arg("-V")
        .assert()
        .code(0)
        .stdout(format!("erlint {}\n", env!("CARGO_PKG_VERSION")));
}

#[test]
fn catalog_answers_and_exits_one_for_an_unknown_name() {
    erlint()
        .args(["catalog", "AT&T Netbond"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("AT&T NetBond"));
    erlint()
        .args(["catalog", "Nowhere Telecom"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "`Nowhere Telecom` is not in the ExpressRoute catalogue",
        ));
}

/// A named `--var-file` is an input of the pre-commit run: if it does not parse, its
/// ER001 is reported even though only the module's file was named.
#[test]
fn a_var_file_that_does_not_parse_is_reported_in_file_mode() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::copy(
        repo().join("fixtures/rules/ER301/valid.tf"),
        dir.join("main.tf"),
    )
    .unwrap();
    std::fs::write(dir.join("prod.tfvars"), "vlan = 100\nbroken = [\n").unwrap();
    let main = dir.join("main.tf");
    let vars = dir.join("prod.tfvars");
    let out = erlint()
        .args([
            main.to_str().unwrap(),
            "--var-file",
            vars.to_str().unwrap(),
            "--format",
            "compact",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("prod.tfvars:2:"), "{stdout}");
    assert!(stdout.contains("ER001"), "{stdout}");
}

#[test]
fn resources_lists_what_was_found_in_text_and_json() {
    erlint()
        .args(["resources", "fixtures/terraform/azapi/bodies"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "fixtures/terraform/azapi/bodies/main.tf:30  azapi_resource.circuit  ExpressRoute circuit (azapi)  Terraform root `fixtures/terraform/azapi/bodies`",
        ))
        .stdout(predicate::str::contains(
            "3 resources (3 azapi); 0 checks skipped because a value is not known statically",
        ));
    let tmp = tempfile::tempdir().unwrap();
    for f in ["invalid.json", "invalid.tf", "invalid.bicep"] {
        std::fs::copy(
            repo().join("fixtures/rules/ER301").join(f),
            tmp.path().join(f),
        )
        .unwrap();
    }
    let out = erlint()
        .arg("resources")
        .arg(tmp.path())
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["version"], 1);
    let by = &v["summary"]["by_format"];
    assert_eq!(
        (
            by["ARM"].as_u64(),
            by["azurerm"].as_u64(),
            by["Bicep"].as_u64()
        ),
        (Some(8), Some(5), Some(6))
    );
    // A Bicep resource: where it is declared, evaluated with its file.
    let bicep = v["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["format"] == "Bicep")
        .unwrap();
    assert!(
        bicep["file"].as_str().unwrap().ends_with("invalid.bicep")
            && bicep["evaluated_with"]
                .as_str()
                .unwrap()
                .starts_with("Bicep file `"),
        "{bicep}"
    );
    let first = &v["resources"][0];
    for key in [
        "address",
        "kind",
        "format",
        "file",
        "line",
        "column",
        "evaluated_with",
        "skipped",
    ] {
        assert!(first.get(key).is_some(), "missing {key}: {first}");
    }
    // Named files: only their resources are listed.
    let out = erlint()
        .args([
            "resources",
            "fixtures/rules/ER301/invalid.tf",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["summary"]["resources"], 5, "{v}");
    // ... and the resources they evaluate (a parameter file) or deploy (a module call to a
    // file not named), as a check on them reports what points into them.
    let listed = |path: &str| {
        let out = erlint()
            .args(["resources", path, "--format", "json"])
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["resources"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| format!("{}:{}", r["file"].as_str().unwrap(), r["line"]))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        listed("fixtures/bicep/eval/two-param-files/main.bicepparam"),
        ["fixtures/bicep/eval/two-param-files/main.bicep:4"]
    );
    assert_eq!(
        listed("fixtures/bicep/eval/json-module/main.bicep"),
        ["fixtures/bicep/eval/json-module/peering.json:12"]
    );
    erlint()
        .args(["resources", ".", "--format", "sarif"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "`--format human` or `--format json`",
        ));
}

#[test]
fn resources_shows_control_characters_reads_stdin_and_makes_no_fix() {
    let tmp = tempfile::tempdir().unwrap();
    let circuit = "resource \"azurerm_express_route_circuit\" \"c\\u001b[31mX\" {\n  name                  = \"c\"\n  service_provider_name = \"Equinix\"\n  peering_location      = \"Amsterdam\"\n  bandwidth_in_mbps     = 50\n}\n";
    std::fs::write(tmp.path().join("main.tf"), circuit).unwrap();
    let out = erlint().arg("resources").arg(tmp.path()).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(!stdout.contains('\u{1b}'), "{stdout:?}");
    assert!(
        stdout.contains("azurerm_express_route_circuit.c\\u{1b}[31mX"),
        "{stdout}"
    );
    // An editor's buffer stands in for the file on disk.
    let buffer = circuit.replace("\"c\\u001b[31mX\"", "\"from_stdin\"");
    erlint()
        .current_dir(tmp.path())
        .args(["resources", "--stdin-filename", "main.tf", "-"])
        .write_stdin(buffer)
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "azurerm_express_route_circuit.from_stdin",
        ))
        .stdout(predicate::str::contains("[31mX").not());
    erlint()
        .arg("resources")
        .arg(tmp.path())
        .arg("--fix")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("go with a check"));
}

#[test]
fn the_summary_counts_resources_per_format() {
    let tmp = tempfile::tempdir().unwrap();
    for f in ["invalid.json", "invalid.tf", "invalid.bicep"] {
        std::fs::copy(
            repo().join("fixtures/rules/ER301").join(f),
            tmp.path().join(f),
        )
        .unwrap();
    }
    erlint()
        .arg(tmp.path())
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "(19 resources checked: 5 azurerm, 8 ARM, 6 Bicep)",
        ));
}

#[test]
fn a_run_that_finds_nothing_to_lint_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("README.md"), "# nothing here\n").unwrap();
    erlint()
        .arg(tmp.path())
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "erlint: no Terraform, OpenTofu, ARM template or Bicep files found in",
        ));
    erlint()
        .arg("fixtures/rules/ER301/invalid.tf")
        .assert()
        .stderr(predicate::str::contains("no Terraform").not());
    // Only a hidden directory holds Terraform: skipped, and the message says how to walk
    // it; `--hidden` does.
    let examples = tmp.path().join(".examples/basic");
    std::fs::create_dir_all(&examples).unwrap();
    std::fs::copy("fixtures/rules/ER301/invalid.tf", examples.join("main.tf")).unwrap();
    erlint()
        .arg(tmp.path())
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "(hidden files and directories are skipped: `--hidden` walks them)",
        ));
    erlint()
        .arg(tmp.path())
        .arg("--hidden")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("ER301"));
}

/// A one-file run on a module in a git repository whose callers are far (beyond the
/// directories near the module, which are read without it) caches its callers search in
/// `.erlint_cache/` (git-ignored by its own `.gitignore`); `--no-cache` and
/// `ERLINT_NO_CACHE` neither read nor write it; a cache that is not one is replaced,
/// never an error.
#[test]
fn the_callers_cache_and_no_cache() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let write = |p: &str, t: &str| {
        let p = d.join(p);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, t).unwrap();
    };
    std::fs::create_dir(d.join(".git")).unwrap();
    write(
        "platform/network/modules/er/main.tf",
        "variable \"name\" {}\n",
    );
    write(
        "envs/prod/main.tf",
        "provider \"azurerm\" {}\nmodule \"er\" {\n  source = \"../../platform/network/modules/er\"\n  name = \"x\"\n}\n",
    );
    let run = |extra: &[&str], env: Option<&str>| {
        let mut c = Command::cargo_bin("erlint").unwrap();
        c.current_dir(d)
            .env("NO_COLOR", "1")
            .env_remove("ERLINT_NO_CACHE")
            .args(["platform/network/modules/er/main.tf", "--format", "compact"])
            .args(extra);
        if let Some(v) = env {
            c.env("ERLINT_NO_CACHE", v);
        }
        let out = c.output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let cache = d.join(".erlint_cache");
    let plain = run(&["--no-cache"], None);
    assert!(!cache.exists());
    let _ = run(&[], Some("1"));
    assert!(!cache.exists());
    let _ = run(&[], Some("0"));
    assert!(cache.exists(), "ERLINT_NO_CACHE=0 is off");
    std::fs::remove_dir_all(&cache).unwrap();
    let first = run(&[], None);
    assert!(cache.join("callers").is_file());
    assert_eq!(
        std::fs::read_to_string(cache.join(".gitignore")).unwrap(),
        "# Created by erlint.\n*\n"
    );
    std::fs::write(cache.join("callers"), "not a cache").unwrap();
    let again = run(&[], None);
    assert_ne!(
        std::fs::read(cache.join("callers")).unwrap(),
        b"not a cache"
    );
    // The summary ends with the run's duration.
    let strip = |s: &str| {
        s.rsplit_once(';')
            .map_or(s.to_string(), |(a, _)| a.to_string())
    };
    assert_eq!(strip(&first), strip(&plain));
    assert_eq!(strip(&again), strip(&plain));
    assert!(plain.contains("in 2 files"), "{plain}");
}

/// `--callers-from-index` (the pre-commit hook's option) finds a module's callers among
/// the files git's index holds: a committed caller's findings are reported in the module;
/// an untracked one (a scratch root, which a clean clone lacks) is not a caller, while the
/// walk without the option finds it. Its cache (`.erlint_cache/blobs`) is written, and
/// `--no-cache` neither reads nor writes it. Outside a repository it walks as without it.
#[test]
fn callers_from_the_index() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let write = |p: &str, t: &str| {
        let p = d.join(p);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, t).unwrap();
    };
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .current_dir(d)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env_remove("GIT_INDEX_FILE")
            .env_remove("GIT_DIR")
            .output()
            .unwrap();
        assert!(out.status.success(), "git {args:?}: {out:?}");
    };
    let module = "variable \"primary\" {}\nvariable \"secondary\" {}\n\nresource \"azurerm_express_route_circuit_peering\" \"private\" {\n  peering_type                  = \"AzurePrivatePeering\"\n  express_route_circuit_name    = \"erc-weu-01\"\n  resource_group_name           = \"rg-er-weu\"\n  peer_asn                      = 65010\n  primary_peer_address_prefix   = var.primary\n  secondary_peer_address_prefix = var.secondary\n  vlan_id                       = 100\n}\n";
    let root = |secondary: &str| {
        format!(
            "provider \"azurerm\" {{\n  features {{}}\n  subscription_id = \"00000000-0000-4000-8000-000000000001\"\n}}\n\nmodule \"er\" {{\n  source    = \"../../platform/modules/er\"\n  primary   = \"172.16.40.0/30\"\n  secondary = \"{secondary}\"\n}}\n"
        )
    };
    write("platform/modules/er/main.tf", module);
    write("envs/prod/main.tf", &root("172.16.40.4/30"));
    // Untracked: a scratch root that reuses the primary's subnet.
    write("scratch/try/main.tf", &root("172.16.40.0/30"));
    let run = |extra: &[&str]| {
        let out = Command::cargo_bin("erlint")
            .unwrap()
            .current_dir(d)
            .env("NO_COLOR", "1")
            .env_remove("ERLINT_NO_CACHE")
            .env_remove("GIT_INDEX_FILE")
            .args(["platform/modules/er/main.tf", "--format", "compact"])
            .args(extra)
            .output()
            .unwrap();
        (out.status.code(), String::from_utf8(out.stdout).unwrap())
    };
    let cache = d.join(".erlint_cache");
    // Not a repository: both walk.
    let walked = run(&[]);
    assert_eq!(walked.0, Some(1), "{walked:?}");
    assert!(walked.1.contains("ER302"), "{walked:?}");
    assert_eq!(run(&["--callers-from-index"]).0, Some(1));
    git(&["init", "-q"]);
    git(&["add", "platform", "envs"]);
    // The walk finds the scratch root; the index does not hold it.
    let walked = run(&["--no-cache"]);
    assert_eq!(walked.0, Some(1), "{walked:?}");
    let (code, out) = run(&["--callers-from-index", "--no-cache"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("in 2 files"),
        "the module and its staged caller: {out}"
    );
    assert!(!cache.exists());
    let (code, again) = run(&["--callers-from-index"]);
    assert_eq!(
        (code, again.rsplit_once(';').map(|p| p.0)),
        (Some(0), out.rsplit_once(';').map(|p| p.0))
    );
    assert!(cache.join("blobs").is_file());
    assert!(!cache.join("callers").exists());
    // A staged caller that reuses the subnet: reported in the module, from the cache.
    write("envs/prod/main.tf", &root("172.16.40.0/30"));
    git(&["add", "envs/prod/main.tf"]);
    for _ in 0..2 {
        let (code, out) = run(&["--callers-from-index"]);
        assert_eq!(code, Some(1), "{out}");
        assert!(
            out.contains("platform/modules/er/main.tf:10:35: error ER302"),
            "{out}"
        );
    }
    // A damaged cache is replaced, never an error.
    std::fs::write(cache.join("blobs"), "not a cache").unwrap();
    assert_eq!(run(&["--callers-from-index"]).0, Some(1));
    assert_ne!(std::fs::read(cache.join("blobs")).unwrap(), b"not a cache");
    // `$GIT_INDEX_FILE` (the index `git commit -a` or `git commit FILE` gives its hooks):
    // the files are those it holds. Here a second root that reuses the subnet is staged
    // in it only. (The callers found are read from the working tree, which the hook's
    // stash makes the staged state; here the committed root's file is made good again.)
    write("envs/prod/main.tf", &root("172.16.40.4/30"));
    write("envs/dev/main.tf", &root("172.16.40.0/30"));
    std::fs::copy(d.join(".git/index"), d.join(".git/commit-index")).unwrap();
    let out = Command::new("git")
        .args(["add", "envs/dev/main.tf"])
        .current_dir(d)
        .env("GIT_INDEX_FILE", ".git/commit-index")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        run(&["--callers-from-index"]).0,
        Some(0),
        "the usual index lacks envs/dev"
    );
    let out = Command::cargo_bin("erlint")
        .unwrap()
        .current_dir(d)
        .env("NO_COLOR", "1")
        .env("GIT_INDEX_FILE", ".git/commit-index")
        .args(["platform/modules/er/main.tf", "--format", "compact"])
        .arg("--callers-from-index")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("ER302"), "{text}");
    // A module in a nested repository is searched with that repository's own index, even
    // with `$GIT_INDEX_FILE` set (the hook's, which is the outer repository's).
    write("nested/platform/modules/er/main.tf", module);
    // (A path the outer index does not hold.)
    write("nested/stacks/x/main.tf", &root("172.16.40.0/30"));
    let nested = d.join("nested");
    for args in [&["init", "-q"][..], &["add", "-A"]] {
        let out = Command::new("git")
            .args(args)
            .current_dir(&nested)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env_remove("GIT_INDEX_FILE")
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
    }
    let out = Command::cargo_bin("erlint")
        .unwrap()
        .current_dir(d)
        .env("NO_COLOR", "1")
        .env("GIT_INDEX_FILE", ".git/index")
        .args(["nested/platform/modules/er/main.tf", "--format", "compact"])
        .args(["--callers-from-index", "--no-cache"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("nested/platform/modules/er/main.tf:10:35: error ER302"),
        "{text}"
    );
}

/// `modules.json` is opened beside the directory's files, by the path they were read with:
/// relative (`fixtures/…`), and the working directory itself (`.`: the files' directory
/// is the empty path), find it as an absolute path does.
#[test]
fn modules_json_is_found_whatever_the_path_form() {
    let fixture = repo().join("fixtures/terraform/remote-module");
    let vendored = |v: &serde_json::Value| -> Vec<(String, u64)> {
        v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (
                    d["file"].as_str().unwrap().replace('\\', "/"),
                    d["start"]["line"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    let (relative, code) = json(&["fixtures/terraform/remote-module"]);
    assert_eq!(code, 1);
    assert_eq!(
        vendored(&relative),
        vec![(
            "fixtures/terraform/remote-module/.terraform/modules/er_vendor/main.tf".into(),
            21
        )]
    );
    let (absolute, _) = json(&[fixture.to_str().unwrap()]);
    assert_eq!(vendored(&absolute), vendored(&relative));
    let out = erlint()
        .current_dir(&fixture)
        .args([".", "--format", "json"])
        .output()
        .unwrap();
    let here: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        vendored(&here),
        vec![(".terraform/modules/er_vendor/main.tf".into(), 21)]
    );
}
