//! What erlint reads and how it lays a repository out: `fixtures/inputs/<case>/`, each a
//! small repository. The binary runs in the case's directory with the arguments in its
//! `args` file (one per line; none: the directory), and its findings (code, file, span,
//! message, help, labels), exit status and file counts are snapshotted next to the
//! case (`<case>.snap`); each test also states what the case is about.

use serde_json::Value;
use std::path::PathBuf;

struct Run {
    status: i32,
    diagnostics: Vec<Value>,
    summary: Value,
    rendered: String,
}

impl Run {
    /// `(code, file:line)` of each finding.
    fn codes(&self) -> Vec<(String, String)> {
        self.diagnostics
            .iter()
            .map(|d| {
                (
                    d["code"].as_str().unwrap_or("").to_string(),
                    format!(
                        "{}:{}",
                        d["file"].as_str().unwrap_or(""),
                        d["start"]["line"]
                    ),
                )
            })
            .collect()
    }

    fn has(&self, code: &str, at: &str) -> bool {
        self.codes().iter().any(|(c, f)| c == code && f == at)
    }

    fn count(&self, key: &str) -> u64 {
        self.summary[key].as_u64().unwrap_or(0)
    }
}

fn case_dir(name: &str) -> PathBuf {
    crate::common::repo().join("fixtures/inputs").join(name)
}

/// Run erlint on a case, snapshot its result and return it.
fn run(name: &str) -> Run {
    let dir = case_dir(name);
    let args: Vec<String> = std::fs::read_to_string(dir.join("args"))
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_erlint"))
        .current_dir(&dir)
        .args(&args)
        .args(["--format", "json", "--color", "never"])
        .env_remove("ERLINT_CONFIG")
        .output()
        .expect("erlint runs");
    let status = out.status.code().unwrap_or(-1);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{name}: not JSON ({e}), exit {status}:\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let diagnostics = v["diagnostics"].as_array().cloned().unwrap_or_default();
    let summary = v["summary"].clone();
    let at = |x: &Value| {
        format!(
            "{}:{}:{}-{}:{}",
            x["file"].as_str().unwrap_or(""),
            x["start"]["line"],
            x["start"]["column"],
            x["end"]["line"],
            x["end"]["column"]
        )
    };
    let mut rendered = format!(
        "erlint {}\nexit status {status}; files {}, resources {}, other JSON skipped {}\n",
        if args.is_empty() {
            ".".to_string()
        } else {
            args.join(" ")
        },
        summary["files"],
        summary["resources"],
        summary["skipped_json"]
    );
    for d in &diagnostics {
        rendered.push_str(&format!(
            "{} {} {}\n  {}\n",
            d["code"].as_str().unwrap_or(""),
            at(d),
            d["resource"].as_str().unwrap_or("-"),
            d["message"].as_str().unwrap_or("")
        ));
        for key in ["help", "note"] {
            if let Some(s) = d[key].as_str() {
                rendered.push_str(&format!("  {key}: {s}\n"));
            }
        }
        for l in d["labels"].as_array().into_iter().flatten() {
            rendered.push_str(&format!(
                "  label: {} {}\n",
                at(l),
                l["message"].as_str().unwrap_or("")
            ));
        }
        if let Some(p) = d["parameter_file"].as_str() {
            rendered.push_str(&format!("  parameter file: {p}\n"));
        }
    }
    insta::with_settings!({
        snapshot_path => crate::common::repo().join("fixtures/inputs"),
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!(name, rendered);
    });
    Run {
        status,
        diagnostics,
        summary,
        rendered,
    }
}

#[test]
fn only_templates_are_templates() {
    let r = run("json-kinds");
    // Broken files that are recognisably templates or parameter files: their error.
    for at in [
        "broken-template.json:4",
        "broken-bicep.json:1",
        "broken.parameters.json:4",
    ] {
        assert!(r.has("ER001", at), "{at}\n{}", r.rendered);
    }
    // Everything else that is not a template is skipped, broken or empty.
    assert_eq!(r.codes().len(), 3, "{}", r.rendered);
    assert_eq!(r.count("skipped_json"), 5, "{}", r.rendered);
    assert_eq!(r.status, 1);
}

#[test]
fn a_named_parameter_file_that_does_not_parse_is_an_error() {
    let r = run("json-named-parameters");
    assert!(r.has("ER001", "params.json:3"), "{}", r.rendered);
    assert_eq!(r.status, 1);
}

#[test]
fn a_module_at_a_repository_root_is_a_library_and_its_examples_are_the_roots() {
    let r = run("registry-module");
    // Evaluated through the example's call: the example's value, no provider finding.
    assert!(r.has("ER301", "main.tf:24"), "{}", r.rendered);
    assert!(
        !r.codes().iter().any(|(c, _)| c == "ER101"),
        "{}",
        r.rendered
    );
    // Pre-commit on the module's file: the example is found and supplies the inputs.
    let r = run("registry-module-precommit");
    assert!(r.has("ER301", "main.tf:24"), "{}", r.rendered);
    assert!(
        !r.codes().iter().any(|(c, _)| c == "ER101"),
        "{}",
        r.rendered
    );
    // Without examples: a library (required_providers and required inputs), inputs Unknown.
    let r = run("registry-module-no-examples");
    assert!(r.codes().is_empty(), "{}", r.rendered);
    assert_eq!(r.status, 0);
}

#[test]
fn a_module_called_from_a_file_that_does_not_parse_is_not_a_root() {
    let r = run("broken-caller");
    assert!(r.has("ER001", "examples/caf/module.tf:7"), "{}", r.rendered);
    assert_eq!(r.codes().len(), 1, "{}", r.rendered);
}

#[test]
fn a_staged_var_file_lints_the_root_it_configures_with_it_applied() {
    let r = run("staged-var-file");
    // The finding whose value the staged file sets: reported, labelled there.
    assert!(r.has("ER301", "main.tf:27"), "{}", r.rendered);
    assert!(
        r.rendered.contains("label: env/prod.tfvars:2:"),
        "{}",
        r.rendered
    );
    assert!(r.count("resources") >= 2, "{}", r.rendered);
    // Listed in `terraform.var_files`: the root is found even though the file sets a
    // variable the root does not declare.
    let r = run("staged-var-file-config");
    assert!(
        r.rendered.contains("label: vars/hub.tfvars:2:"),
        "{}",
        r.rendered
    );
    // The nearest root that declares every variable the file sets, not merely the nearest.
    let r = run("staged-var-file-nested");
    assert!(r.has("ER301", "main.tf:27"), "{}", r.rendered);
    assert!(
        r.rendered.contains("label: envs/weu/extra/er.tfvars:2:"),
        "{}",
        r.rendered
    );
    // A staged var file that does not parse: its error.
    let r = run("staged-var-file-broken");
    assert!(r.has("ER001", "env/prod.tfvars:2"), "{}", r.rendered);
}

#[test]
fn a_staged_parameter_file_lints_its_template_with_it() {
    // By `metadata.template`.
    let r = run("staged-parameter-file");
    assert!(
        r.rendered.contains("params/er.prod.json:7:"),
        "{}",
        r.rendered
    );
    assert!(r.count("resources") >= 2, "{}", r.rendered);
    // By `arm.parameter_files`.
    let r = run("staged-parameter-file-config");
    assert!(r.rendered.contains("env/prod.json:6:"), "{}", r.rendered);
}

#[test]
fn a_staged_parameter_file_of_no_template_says_its_values_were_not_checked() {
    // Three environments' parameter files staged: `prod.json` names no template and is
    // named for none, `test.json` names one that is not there (ER004 each: otherwise the
    // run passes with "0 resources checked"); `dev.json` names its template, which is
    // linted with its values (its ER201), and gets no note.
    let r = run("staged-parameter-file-unpaired");
    assert!(r.has("ER004", "environments/prod.json:1"), "{}", r.rendered);
    assert!(r.has("ER004", "environments/test.json:1"), "{}", r.rendered);
    assert!(
        r.rendered
            .contains("names its template `../templates/circuit.json`"),
        "{}",
        r.rendered
    );
    assert!(!r.has("ER004", "environments/dev.json:1"), "{}", r.rendered);
    assert!(
        r.has("ER201", "templates/expressroute.json:23"),
        "{}",
        r.rendered
    );
    assert!(
        r.rendered.contains("parameter file: environments/dev.json"),
        "{}",
        r.rendered
    );
    assert_eq!(r.codes().len(), 3, "{}", r.rendered);
    // A whole run (no file named): the note is for files the user asked about, not for
    // every parameter file whose template lives elsewhere.
    let v = erlint_json(&case_dir("staged-parameter-file-unpaired"), &[]);
    let codes: Vec<&str> = v["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert_eq!(codes, ["ER201"], "{v}");
    // A `.bicepparam` file pairs by its `using`: one note when that names no file, not two.
    let v = erlint_json(
        &crate::common::repo().join("fixtures/bicep/eval/params-missing-template"),
        &["envs/prod/prod.bicepparam"],
    );
    let notes: Vec<&str> = v["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["code"] == "ER004")
        .filter_map(|d| d["message"].as_str())
        .collect();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(
        notes[0].contains("that `using` names does not exist"),
        "{notes:?}"
    );
}

#[test]
fn a_staged_var_file_of_no_root_says_its_values_were_not_checked() {
    // `vars/prod.tfvars` beside `terraform/`, not above the root it configures: no root
    // is found for it, and the run says so instead of passing in silence.
    let r = run("staged-var-file-rootless");
    assert!(r.has("ER004", "vars/prod.tfvars:1"), "{}", r.rendered);
    assert!(
        r.rendered
            .contains("erlint ROOT --var-file vars/prod.tfvars"),
        "{}",
        r.rendered
    );
    assert_eq!(r.codes().len(), 1, "{}", r.rendered);
    assert_eq!(r.count("resources"), 0, "{}", r.rendered);
    assert_eq!(r.status, 0, "{}", r.rendered);
    // Listed in `terraform.var_files`, its root is the nearest at or above it: none.
    let r = run("staged-var-file-rootless-config");
    assert!(r.has("ER004", "vars/prod.tfvars:1"), "{}", r.rendered);
    assert!(
        r.rendered
            .contains("no root module at or above the directory of `vars/prod.tfvars`"),
        "{}",
        r.rendered
    );
    assert_eq!(r.codes().len(), 1, "{}", r.rendered);
}

/// erlint's output in `dir` with `args` (no configuration from the environment): the JSON
/// report with `json`, else the human summary line.
fn erlint_in(dir: &std::path::Path, args: &[&str], json: bool) -> String {
    let format = if json { "json" } else { "human" };
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_erlint"))
        .current_dir(dir)
        .args(args)
        .args(["--format", format, "--color", "never"])
        .env_remove("ERLINT_CONFIG")
        .output()
        .expect("erlint runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    if json {
        stdout
    } else {
        stdout.lines().last().unwrap_or_default().to_string()
    }
}

fn erlint_json(dir: &std::path::Path, args: &[&str]) -> Value {
    let out = erlint_in(dir, args, true);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
}

/// The human summary of a whole run (no file named) of a case, with `extra` arguments.
fn whole_run_summary(name: &str, extra: &[&str]) -> String {
    erlint_in(&case_dir(name), extra, false)
}

#[test]
fn a_whole_run_counts_the_input_files_whose_values_it_did_not_check() {
    // `env/dev.tfvars` and `env/prod.tfvars`: Terraform reads them only with -var-file,
    // and so does erlint; the summary says so, as the findings they would lead to (the
    // pre-commit run of `env/prod.tfvars` has one) are not looked for.
    let s = whole_run_summary("staged-var-file", &[]);
    assert!(
        s.contains("; 2 variable definitions files not applied (`terraform.var_files` or --var-file applies them)"),
        "{s}"
    );
    let s = whole_run_summary("staged-var-file", &["--var-file", "env/prod.tfvars"]);
    assert!(
        s.contains("; 1 variable definitions file not applied"),
        "{s}"
    );
    // Listed in `terraform.var_files`: applied, not counted.
    let s = whole_run_summary("staged-var-file-config", &[]);
    assert!(!s.contains("not applied"), "{s}");
    // Parameter files no template takes (a whole run makes no ER004 of them).
    let s = whole_run_summary("staged-parameter-file-unpaired", &[]);
    assert!(
        s.contains("; 2 parameter files no template were linted with"),
        "{s}"
    );
    let s = whole_run_summary("staged-parameter-file", &[]);
    assert!(!s.contains("no template"), "{s}");
}

#[test]
fn a_staged_parameter_file_named_for_its_environment_first_lints_its_template() {
    // `circuit.prod.parameters.json` beside `circuit.json` (the environment before
    // `.parameters`): the prod values make the peering's two subnets one.
    let r = run("staged-env-parameter-file");
    assert!(r.has("ER302", "deploy/circuit.json:40"), "{}", r.rendered);
    assert!(
        r.rendered.contains("deploy/circuit.prod.parameters.json"),
        "{}",
        r.rendered
    );
    assert_eq!(r.status, 1, "{}", r.rendered);
}

#[test]
fn a_parameter_file_named_anyhow_pairs_by_its_hint_in_a_whole_run() {
    // `env/prod.json` (no `param` in its name) names `../arm/er.json` in
    // `metadata.template`: the template is linted with its values, not without any.
    let r = run("parameter-file-by-hint");
    assert!(r.has("ER302", "arm/er.json:32"), "{}", r.rendered);
    assert!(
        r.rendered.contains("parameter file: env/prod.json"),
        "{}",
        r.rendered
    );
    assert_eq!(r.codes().len(), 1, "{}", r.rendered);
}

#[test]
fn a_data_file_named_like_a_template_does_not_take_its_parameter_file() {
    // `circuit.prod.json` beside `circuit.json` and `circuit.prod.parameters.json` is a
    // settings file, not a template: the parameter file is `circuit.json`'s.
    let r = run("env-parameters-beside-data");
    assert!(r.has("ER302", "deploy/circuit.json:40"), "{}", r.rendered);
    assert!(
        r.rendered
            .contains("parameter file: deploy/circuit.prod.parameters.json"),
        "{}",
        r.rendered
    );
    assert_eq!(r.count("skipped_json"), 1, "{}", r.rendered);
}

#[test]
fn modules_not_followed_say_why_with_paths_relative_to_the_working_directory() {
    let r = run("module-not-followed");
    assert_eq!(r.codes().len(), 3, "{}", r.rendered);
    assert!(
        r.rendered
            .contains("directory `module/expressroute` does not exist"),
        "{}",
        r.rendered
    );
    assert!(
        r.rendered
            .contains("directory `modules/empty` has no Terraform files"),
        "{}",
        r.rendered
    );
    // `terraform init` advice only for the registry module.
    assert_eq!(
        r.rendered.matches("terraform init").count(),
        1,
        "{}",
        r.rendered
    );
}

#[test]
fn a_bicep_template_loaded_with_load_json_content_is_followed() {
    let r = run("bicep-loaded-template");
    // Inside the loaded template, with the value the deployment passes.
    assert!(r.has("ER301", "main.json:19"), "{}", r.rendered);
    // Text loaded with loadTextContent: said so, not followed.
    assert!(r.has("ER004", "main.json:52"), "{}", r.rendered);
}

#[test]
fn a_key_repeated_in_tfvars_is_valid_and_the_last_value_counts() {
    let r = run("tfvars-repeated-key");
    assert!(
        !r.codes().iter().any(|(c, _)| c == "ER001"),
        "{}",
        r.rendered
    );
    // The finding the repeated key used to hide, on the value that counts.
    assert!(
        r.rendered.contains("label: terraform.tfvars:5:"),
        "{}",
        r.rendered
    );
}

#[test]
fn a_staged_bicep_parameter_file_lints_its_template_with_it() {
    let r = run("bicep-staged-bicepparam");
    // The template (outside the staged file's directory) is linted with the staged
    // values; only what those values cause is reported (the template's own 250 Mbps is
    // not this commit's).
    assert_eq!(
        r.codes(),
        [("ER201".to_string(), "main.bicep:9".to_string())]
    );
    assert!(
        r.rendered.contains("params/prod.bicepparam"),
        "{}",
        r.rendered
    );
}

#[test]
fn a_staged_bicep_module_is_linted_through_its_callers() {
    let r = run("bicep-staged-module");
    // The caller passes the primary prefix from its parameter file; a template elsewhere
    // that does not call the module is not read.
    assert_eq!(
        r.codes(),
        [(
            "ER301".to_string(),
            "site/modules/peering.bicep:15".to_string()
        )]
    );
    assert_eq!(r.count("files"), 3);
    assert!(
        r.rendered.contains("site/main.bicepparam"),
        "{}",
        r.rendered
    );
}
