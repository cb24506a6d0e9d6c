//! The GitHub Action (`action.yml`): its script, `scripts/github_action.py run`, with a
//! fake GitHub environment (`GITHUB_WORKSPACE`, `GITHUB_STEP_SUMMARY`, `GITHUB_OUTPUT`,
//! …) and this build of erlint, on a checkout with more findings than GitHub shows as
//! annotations.

use crate::common::repo;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A peering with one BGP session (an ER301 error) named `name`.
fn peering(name: &str, i: usize) -> String {
    format!(
        r#"resource "azurerm_express_route_circuit_peering" "{name}" {{
  peering_type                = "AzurePrivatePeering"
  express_route_circuit_name  = "erc-{i}"
  resource_group_name         = "rg-er"
  peer_asn                    = 65010
  primary_peer_address_prefix = "172.16.{i}.0/30"
  vlan_id                     = {vlan}
}}
"#,
        vlan = 100 + i
    )
}

const PROVIDER: &str = "provider \"azurerm\" {\n  features {}\n  subscription_id = \"00000000-0000-4000-8000-000000000001\"\n}\n\n";

/// A checkout with 12 single-session peerings in `infra/network/main.tf`, one named with
/// a `|` and `<b>` in a tag to exercise the summary's escaping.
fn workspace() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("workspace");
    let net = ws.join("infra/network");
    std::fs::create_dir_all(&net).unwrap();
    std::fs::create_dir_all(ws.join(".git")).unwrap();
    let mut tf = PROVIDER.to_string();
    for i in 0..12 {
        tf.push_str(&peering(&format!("p{i:02}"), i));
        tf.push('\n');
    }
    std::fs::write(net.join("main.tf"), tf).unwrap();
    tmp
}

struct Run {
    stdout: String,
    summary: String,
    outputs: BTreeMap<String, String>,
    code: Option<i32>,
}

fn run_action(tmp: &Path, cwd: &Path, inputs: &[(&str, &str)]) -> Run {
    let ws = tmp.join("workspace");
    let summary = tmp.join("summary.md");
    let outputs = tmp.join("outputs.txt");
    let _ = std::fs::remove_file(&summary);
    let _ = std::fs::remove_file(&outputs);
    let mut c = Command::new("python3");
    c.arg(repo().join("scripts/github_action.py"))
        .arg("run")
        .current_dir(cwd)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_WORKSPACE", &ws)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("GITHUB_OUTPUT", &outputs)
        .env("GITHUB_SERVER_URL", "https://github.com")
        .env("GITHUB_REPOSITORY", "contoso/network")
        .env("GITHUB_SHA", "0123456789abcdef0123456789abcdef01234567")
        .env("RUNNER_TEMP", tmp.join("runner-temp"))
        .env("ERLINT_BIN", erlint_bin());
    for (k, v) in inputs {
        c.env(k, v);
    }
    let out = c.output().unwrap();
    let read = |p: &PathBuf| std::fs::read_to_string(p).unwrap_or_default();
    Run {
        stdout: String::from_utf8(out.stdout).unwrap(),
        summary: read(&summary),
        outputs: read(&outputs)
            .lines()
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        code: out.status.code(),
    }
}

fn erlint_bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("erlint")
}

/// The rows of the summary's findings table.
fn rows(summary: &str) -> Vec<&str> {
    summary
        .lines()
        .filter(|l| l.starts_with("| error ") || l.starts_with("| warning "))
        .collect()
}

#[test]
fn annotations_and_a_summary_of_every_finding() {
    let tmp = workspace();
    let ws = tmp.path().join("workspace");
    // Run from a subdirectory: paths stay relative to the repository root.
    let run = run_action(tmp.path(), &ws.join("infra"), &[("INPUT_PATHS", ".")]);
    assert_eq!(
        run.code,
        Some(0),
        "the script itself succeeds:\n{}",
        run.summary
    );
    assert_eq!(run.outputs["exit-code"], "1");
    assert_eq!(run.outputs["findings"], "12");
    assert_eq!(run.outputs["errors"], "12");
    assert!(!run.outputs.contains_key("sarif-file"));

    // One annotation per finding, on the repository path.
    let annotations: Vec<&str> = run.stdout.lines().filter(|l| l.starts_with("::")).collect();
    assert_eq!(annotations.len(), 12, "{}", run.stdout);
    for a in &annotations {
        assert!(
            a.starts_with("::error file=infra/network/main.tf,line="),
            "{a}"
        );
    }

    // GitHub shows 10 of them; the summary has all 12, linked to the commit.
    let s = &run.summary;
    assert!(
        s.starts_with("### erlint: 12 errors, 0 warnings in 1 file (12 resources checked)\n"),
        "{s}"
    );
    assert!(
        s.contains("GitHub shows at most 10 annotations of each level per step"),
        "{s}"
    );
    let table = rows(s);
    assert_eq!(table.len(), 12, "{s}");
    let first = table[0];
    assert!(
        first.starts_with("| error | [ER301](https://github.com/erlint/erlint/blob/v"),
        "{first}"
    );
    assert!(
        first.contains(
            "| [infra/network/main.tf:6:1](https://github.com/contoso/network/blob/0123456789abcdef0123456789abcdef01234567/infra/network/main.tf#L6) |"
        ),
        "{first}"
    );
    assert!(
        first.contains("<br>in <code>azurerm_express_route_circuit_peering.p00</code>"),
        "{first}"
    );
    for (i, row) in table.iter().enumerate() {
        assert!(row.contains(&format!("peering.p{i:02}</code>")), "{row}");
    }
}

#[test]
fn sarif_instead_of_annotations() {
    let tmp = workspace();
    let ws = tmp.path().join("workspace");
    let run = run_action(
        tmp.path(),
        &ws,
        &[
            ("INPUT_SARIF", "true"),
            ("INPUT_SARIF_FILE", "out/erlint.sarif"),
        ],
    );
    assert_eq!(run.outputs["exit-code"], "1");
    assert_eq!(run.outputs["sarif-file"], "out/erlint.sarif");
    // Not both: code scanning annotates the pull request from the SARIF upload.
    assert!(!run.stdout.contains("::error"), "{}", run.stdout);
    assert!(
        run.summary.contains("uploaded to code scanning"),
        "{}",
        run.summary
    );
    assert_eq!(rows(&run.summary).len(), 12);
    let sarif: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(ws.join("out/erlint.sarif"))
            .expect("the SARIF file, its directory created by the script"),
    )
    .unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 12);
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "infra/network/main.tf"
    );
    // Both, when asked.
    let both = run_action(
        tmp.path(),
        &ws,
        &[
            ("INPUT_SARIF", "true"),
            ("INPUT_SARIF_FILE", "out/erlint.sarif"),
            ("INPUT_ANNOTATIONS", "true"),
        ],
    );
    assert_eq!(
        both.stdout
            .lines()
            .filter(|l| l.starts_with("::error"))
            .count(),
        12
    );
}

#[test]
fn fail_on_args_and_a_run_that_cannot_start() {
    let tmp = workspace();
    let ws = tmp.path().join("workspace");
    // Only warnings (ER304, host bits set), with `--select` passed through `args`.
    std::fs::write(
        ws.join("infra/network/main.tf"),
        format!(
            "{PROVIDER}{}",
            peering("hostbits", 1).replace(
                "  vlan_id",
                "  secondary_peer_address_prefix = \"172.16.1.5/30\"\n  vlan_id"
            )
        ),
    )
    .unwrap();
    let run = run_action(
        tmp.path(),
        &ws,
        &[("INPUT_FAIL_ON", "error"), ("INPUT_ARGS", "--select ER304")],
    );
    assert_eq!(run.outputs["exit-code"], "0", "{}", run.summary);
    assert_eq!(run.outputs["warnings"], "1");
    assert_eq!(rows(&run.summary).len(), 1, "{}", run.summary);
    assert!(
        run.summary.contains("| warning | [ER304]"),
        "{}",
        run.summary
    );
    assert!(
        run.summary.contains("at or above `error`"),
        "{}",
        run.summary
    );
    assert!(
        run.stdout
            .starts_with("::warning file=infra/network/main.tf"),
        "{}",
        run.stdout
    );

    let clean = run_action(tmp.path(), &ws, &[("INPUT_ARGS", "--select ER301")]);
    assert_eq!(clean.outputs["exit-code"], "0");
    assert!(
        clean.summary.contains("No ExpressRoute problems found."),
        "{}",
        clean.summary
    );

    let broken = run_action(tmp.path(), &ws, &[("INPUT_ARGS", "--no-such-flag")]);
    assert_eq!(broken.code, Some(0));
    assert_eq!(broken.outputs["exit-code"], "2");
    assert!(
        broken.summary.starts_with("### erlint could not run"),
        "{}",
        broken.summary
    );
}

#[test]
fn the_summary_says_what_was_not_checked() {
    // A green run is where it matters: the values of `env/prod.tfvars` were not checked
    // (nothing applies it), and a `--select` left every other rule out.
    let tmp = workspace();
    let ws = tmp.path().join("workspace");
    let env = ws.join("infra/network/env");
    std::fs::create_dir_all(&env).unwrap();
    std::fs::write(env.join("prod.tfvars"), "environment = \"prod\"\n").unwrap();
    let run = run_action(tmp.path(), &ws, &[("INPUT_ARGS", "--select ER201")]);
    assert_eq!(run.outputs["exit-code"], "0", "{}", run.summary);
    assert!(
        run.summary.contains("No ExpressRoute problems found."),
        "{}",
        run.summary
    );
    let not_checked = run
        .summary
        .lines()
        .find(|l| l.starts_with("Not checked: "))
        .unwrap_or_else(|| panic!("no gaps line:\n{}", run.summary));
    assert!(
        not_checked.contains("rules left out by --select or --ignore"),
        "{not_checked}"
    );
    assert!(
        not_checked.contains("1 variable definitions file not applied"),
        "{not_checked}"
    );
    // Applied: not counted, and no gaps line when nothing else is left out.
    let run = run_action(
        tmp.path(),
        &ws,
        &[("INPUT_ARGS", "--var-file infra/network/env/prod.tfvars")],
    );
    assert!(!run.summary.contains("Not checked"), "{}", run.summary);
}

#[test]
fn summary_cells_are_escaped() {
    let out = Command::new("python3")
        .current_dir(repo().join("scripts"))
        .args([
            "-c",
            "import github_action as g; print(g.cell('a|b <script>&\\n\\x1b[2J`x`'))",
        ])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim_end(),
        "a\\|b &lt;script&gt;&amp;<br>\\u{1b}[2J`x`"
    );
}

/// action.yml pins this release of erlint and hands the script the inputs it reads.
#[test]
fn action_yml_matches_the_script_and_the_release() {
    let action = std::fs::read_to_string(repo().join("action.yml")).unwrap();
    let version = env!("CARGO_PKG_VERSION");
    assert!(
        action.contains(&format!("  version:\n    description: The erlint version to install (from PyPI). Defaults to this action's release.\n    default: \"{version}\"\n")),
        "action.yml's default version is not {version}"
    );
    let script = std::fs::read_to_string(repo().join("scripts/github_action.py")).unwrap();
    for var in [
        "INPUT_PATHS",
        "INPUT_ARGS",
        "INPUT_FAIL_ON",
        "INPUT_SARIF",
        "INPUT_SARIF_FILE",
        "INPUT_ANNOTATIONS",
        "ERLINT_BIN",
        "ERLINT_VERSION",
    ] {
        assert!(
            action.contains(&format!("{var}: ${{{{ ")),
            "{var} not set in action.yml"
        );
        assert!(
            script.contains(&format!("\"{var}\"")),
            "{var} not read by the script"
        );
    }
    assert!(action.contains("uses: github/codeql-action/upload-sarif@v4"));
}
