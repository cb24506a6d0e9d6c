//! Every `erlint …` command in `docs/ci.md` (in YAML and console blocks, and inline code)
//! runs here with exactly its arguments, in a copy of a project with findings, and its
//! outputs are checked: the CI recipes stay true.

use crate::common::repo;
use assert_cmd::Command;
use std::path::Path;

/// The erlint commands of a Markdown text, in order.
fn commands(md: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_block = false;
    for line in md.lines() {
        if line.trim_start().starts_with("```") {
            in_block = !in_block;
            continue;
        }
        if in_block {
            let t = line.trim_start();
            let t = t.strip_prefix("- ").unwrap_or(t).trim_start();
            let t = ["run: ", "script: ", "$ "]
                .iter()
                .find_map(|p| t.strip_prefix(p))
                .unwrap_or(t);
            if t.starts_with("erlint ") || t == "erlint" {
                let cmd = t.split(" #").next().unwrap_or(t).trim();
                out.push(cmd.to_string());
            }
        } else {
            for (i, part) in line.split('`').enumerate() {
                if i % 2 == 1 && part.starts_with("erlint --") {
                    out.push(part.to_string());
                }
            }
        }
    }
    out
}

fn check_outputs(dir: &Path, args: &[&str], stdout: &str) {
    for a in args {
        let Some((format, file)) = a.split_once('=') else {
            continue;
        };
        let text = std::fs::read_to_string(dir.join(file))
            .unwrap_or_else(|e| panic!("`{a}` wrote no {file}: {e}"));
        match format {
            "sarif" => {
                let v: serde_json::Value = serde_json::from_str(&text).unwrap();
                assert_eq!(v["version"], "2.1.0");
                assert!(!v["runs"][0]["results"].as_array().unwrap().is_empty());
            }
            "junit" => {
                assert!(text.starts_with("<?xml"), "{text}");
                assert!(text.contains("<failure"), "{text}");
            }
            "checkstyle" => assert!(text.contains("<checkstyle"), "{text}"),
            "gitlab" => {
                let v: serde_json::Value = serde_json::from_str(&text).unwrap();
                let issues = v.as_array().unwrap();
                assert!(!issues.is_empty(), "{text}");
                assert_eq!(issues[0]["location"]["path"], "main.tf");
            }
            "json" => {
                let _: serde_json::Value = serde_json::from_str(&text).unwrap();
            }
            other => panic!("unexpected format {other}"),
        }
    }
    let to_stdout: Vec<&str> = args
        .windows(2)
        .filter(|w| w[0] == "--format" && !w[1].contains('='))
        .map(|w| w[1])
        .collect();
    for f in to_stdout {
        match f {
            "github" => assert!(
                stdout.lines().all(|l| l.starts_with("::error ")
                    || l.starts_with("::warning ")
                    || l.starts_with("::notice ")),
                "{stdout}"
            ),
            "compact" => assert!(stdout.contains("main.tf:"), "{stdout}"),
            "azure" => assert!(
                !stdout.is_empty()
                    && stdout
                        .lines()
                        .all(|l| l.starts_with("##vso[task.logissue type=")),
                "{stdout}"
            ),
            _ => {}
        }
    }
}

#[test]
fn every_command_in_docs_ci_md_runs() {
    let md = std::fs::read_to_string(repo().join("docs/ci.md")).unwrap();
    let cmds = commands(&md);
    // GitHub (annotations, SARIF), GitLab, Azure and the baseline pair.
    assert!(cmds.len() >= 6, "{cmds:?}");
    assert!(cmds.iter().any(|c| c.contains("--format github")));
    assert!(cmds.iter().any(|c| c.contains("sarif=")));
    assert!(cmds.iter().any(|c| c.contains("gitlab=")));
    assert!(cmds.iter().any(|c| c.contains("--format azure")));
    assert!(cmds.iter().any(|c| c.contains("junit=")));
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::copy(
        repo().join("fixtures/projects/baseline/main.tf"),
        dir.join("main.tf"),
    )
    .unwrap();
    let mut baselined = false;
    for cmd in &cmds {
        let args: Vec<&str> = cmd.split_whitespace().skip(1).collect();
        let out = Command::cargo_bin("erlint")
            .unwrap()
            .current_dir(dir)
            .env_remove("ERLINT_CONFIG")
            .env_remove("ARM_SUBSCRIPTION_ID")
            .env("NO_COLOR", "1")
            .args(&args)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).to_string();
        let code = out.status.code().unwrap();
        if args.contains(&"--write-baseline") {
            baselined = true;
        }
        let expected = if baselined { 0 } else { 1 };
        assert_eq!(
            code,
            expected,
            "`{cmd}`:\n{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        if !baselined {
            check_outputs(dir, &args, &stdout);
        }
    }
}

#[test]
fn commands_are_found() {
    let md = "```yaml\n  - run: erlint --format github # note\n      script:\n        - erlint --format compact\n```\nthen run `erlint --baseline b.json` and `--format json`.\n```console\n$ erlint --write-baseline b.json\n```\n";
    assert_eq!(
        commands(md),
        [
            "erlint --format github",
            "erlint --format compact",
            "erlint --baseline b.json",
            "erlint --write-baseline b.json"
        ]
    );
}
