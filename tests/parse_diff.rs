//! Differential parse test: erlint reports ER001 on a Terraform file if and only if
//! HashiCorp's own parser rejects it.
//!
//! The reference is `tests/hcl2json/oracle.js`: the Go HCL parser compiled to WebAssembly
//! (`@cdktf/hcl2json`) for `.tf` and `.tfvars`, and HCL's JSON grammar for `.tf.json` and
//! `.tfvars.json` (see the script). The files compared: every Terraform file under
//! `fixtures/`, the generated benchmark corpus, and the syntax suite in
//! `parse_diff/cases.rs`. Each file is copied alone into its own directory under the name
//! Terraform and erlint read without being told (`main.tf`, `terraform.tfvars`, …), and
//! erlint lints all of them in one run.
//!
//! Limits erlint keeps on purpose, where Terraform has none: 256 nested levels of
//! expressions and blocks (an ER005 warning beyond, "at most 256 levels", not an ER001) and
//! 512 chained binary operators (an ER001 beyond), hcl-edit's guards that bound the work and
//! the depth of the tree, see `vendor/hcl-edit/PATCHES.md`. No configuration seen in practice
//! comes near them, and the suite stays inside them; `tests/robustness.rs` and
//! `tests/hostile.rs` check what happens beyond.
//!
//! `.ci/run` installs the package (`npm ci` in `tests/hcl2json`), so in CI (`CI` set) the
//! test fails when it cannot run; elsewhere it is skipped with a message when `node` or the
//! package is missing.

mod cases;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Errors Terraform reports while decoding a file its parser accepted, which erlint reports
/// as ER001 because they make the configuration invalid all the same: (what erlint's message
/// starts with, the Terraform diagnostic it mirrors).
const DECODE_TIME: &[(&str, &str)] = &[
    (
        "invalid type specification: attribute `",
        "Invalid type specification: Object constructor map keys must be unique.",
    ),
    (
        "invalid variable definitions: the root value of a .tfvars.json file must be an object",
        "Incorrect JSON value type: A JSON object is required here, setting the arguments for this block.",
    ),
];

/// ER001s about an ARM template deployed from a Terraform file (`template_content` inline,
/// by `jsonencode()` or a heredoc) that Terraform's parser accepts: Azure rejects the
/// template when it is deployed, and erlint says so in the Terraform file. The template's
/// JSON (`(the template of …)`) and its expressions (messages of the ARM evaluator).
fn about_an_embedded_template(message: &str) -> bool {
    message.contains("(the template of `") || message.starts_with("invalid template expression: ")
}

/// One compared file: where it came from and the copy erlint reads.
struct Compared {
    origin: String,
    copy: PathBuf,
}

fn oracle_dir() -> PathBuf {
    crate::common::repo().join("tests/hcl2json")
}

/// Why the reference cannot run here, if it cannot.
fn oracle_missing() -> Option<String> {
    let node = Command::new("node").arg("--version").output();
    if !node.is_ok_and(|o| o.status.success()) {
        return Some("`node` is not on PATH".into());
    }
    if !oracle_dir().join("node_modules/@cdktf/hcl2json").is_dir() {
        return Some(
            "@cdktf/hcl2json is not installed: run `npm ci --prefix tests/hcl2json`".into(),
        );
    }
    None
}

/// The Terraform syntax of a file name, and the name erlint reads it under without being
/// told about it.
fn canonical_name(name: &str) -> Option<&'static str> {
    if name.ends_with(".tf.json") {
        Some("main.tf.json")
    } else if name.ends_with(".tfvars.json") {
        Some("terraform.tfvars.json")
    } else if name.ends_with(".tf") {
        Some("main.tf")
    } else if name.ends_with(".tfvars") {
        Some("terraform.tfvars")
    } else {
        None
    }
}

/// Terraform files below `root` (every directory, `.terraform` caches included: they hold
/// Terraform files too).
fn terraform_files(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in rd.filter_map(Result::ok) {
            let p = e.path();
            if p.is_dir() {
                if p.file_name().is_some_and(|n| n != "node_modules") {
                    stack.push(p);
                }
            } else if p
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(canonical_name)
                .is_some()
            {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The benchmark corpus, generated as `scripts/corpus-check.py` generates it.
fn generate_corpus(out: &Path) {
    let repo = crate::common::repo();
    let shared = repo.join("../shared/bench/gen_corpus.py");
    let generator = if shared.exists() {
        shared
    } else {
        repo.join("bench/corpus/gen_corpus.py")
    };
    let status = Command::new("python3")
        .arg(&generator)
        .arg("--out")
        .arg(out)
        .args(["--scale", "100", "--seed", "7"])
        .stdout(Stdio::null())
        .status()
        .expect("python3 runs");
    assert!(status.success(), "corpus generation failed");
}

/// Copy each file into its own directory under `work`.
fn stage(work: &Path, files: impl Iterator<Item = (String, Vec<u8>)>) -> Vec<Compared> {
    let mut out = Vec::new();
    for (i, (origin, bytes)) in files.enumerate() {
        let name = canonical_name(&origin).expect("a Terraform file");
        let dir = work.join(format!("{i:05}"));
        std::fs::create_dir_all(&dir).unwrap();
        let copy = dir.join(name);
        std::fs::write(&copy, bytes).unwrap();
        out.push(Compared { origin, copy });
    }
    out
}

/// The reference's verdict for each copy: `None` when it accepts, else its message.
fn reference(files: &[Compared]) -> BTreeMap<PathBuf, Option<String>> {
    let paths: Vec<String> = files
        .iter()
        .map(|f| f.copy.to_string_lossy().into_owned())
        .collect();
    let mut child = Command::new("node")
        .arg(oracle_dir().join("oracle.js"))
        .current_dir(oracle_dir())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node starts");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        stdin
            .write_all(serde_json::to_string(&paths).unwrap().as_bytes())
            .unwrap();
    }
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "oracle failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let verdicts: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    verdicts
        .into_iter()
        .map(|v| {
            let path = PathBuf::from(v["path"].as_str().unwrap());
            let rejected = (!v["ok"].as_bool().unwrap())
                .then(|| v["message"].as_str().unwrap_or("").to_string());
            (path, rejected)
        })
        .collect()
}

/// erlint's verdict per copy, from one run over `work`: its ER001 messages, ER002 for a
/// file that is not UTF-8 (Terraform: "Invalid character encoding"), and the ER005 of a file
/// nested deeper than erlint's parser reads (not read, so never "accepted").
fn erlint_er001(work: &Path) -> BTreeMap<PathBuf, Vec<String>> {
    let report = crate::common::lint(&[work.to_path_buf()], &["ER0"]);
    let mut out: BTreeMap<PathBuf, Vec<String>> = BTreeMap::new();
    for d in &report.diagnostics {
        assert_ne!(d.code, "ER000", "{}", d.message);
        let not_read = d.code == "ER005" && d.message.contains("HCL parser reads at most");
        if d.code == "ER001"
            || (d.code == "ER002" && d.message.contains("not valid UTF-8"))
            || not_read
        {
            let path = erlint::terraform::normalize(report.db.path(d.primary.file));
            let message = if not_read {
                format!("ER005 {}", d.message)
            } else {
                d.message.clone()
            };
            out.entry(path).or_default().push(message);
        }
    }
    out
}

#[test]
fn differential_parse_against_hashicorp_hcl() {
    if let Some(why) = oracle_missing() {
        assert!(
            std::env::var_os("CI").is_none(),
            "the differential parse test must run in CI: {why}"
        );
        // Written to stderr directly, past the test harness's capture, so that it shows.
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED differential_parse_against_hashicorp_hcl: {why}"
        );
        return;
    }
    let repo = crate::common::repo();
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    generate_corpus(&corpus);
    let work = erlint::terraform::normalize(&tmp.path().join("work"));

    let mut sources: Vec<(String, Vec<u8>)> = Vec::new();
    let (mut n_fixtures, mut n_corpus) = (0, 0);
    for f in terraform_files(&repo.join("fixtures")) {
        let rel = f
            .strip_prefix(&repo)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        sources.push((rel, std::fs::read(&f).unwrap()));
        n_fixtures += 1;
    }
    for f in terraform_files(&corpus) {
        let rel = f.strip_prefix(&corpus).unwrap().to_string_lossy();
        sources.push((format!("corpus/{rel}"), std::fs::read(&f).unwrap()));
        n_corpus += 1;
    }
    for (name, text) in cases::CASES {
        sources.push((format!("syntax/{name}"), text.as_bytes().to_vec()));
    }
    for (name, text) in cases::generated() {
        sources.push((format!("syntax/{name}"), text.into_bytes()));
    }
    let n_suite = sources.len() - n_fixtures - n_corpus;
    assert!(n_suite >= 150, "the syntax suite has {n_suite} cases");

    let files = stage(&work, sources.into_iter());
    let want = reference(&files);
    let got = erlint_er001(&work);

    let (mut both_accept, mut both_reject, mut decode_time, mut embedded) = (0, 0, 0, 0);
    let mut disagreements = Vec::new();
    let verbose = std::env::var_os("ERLINT_DIFF_VERBOSE").is_some();
    for f in &files {
        let copy = erlint::terraform::normalize(&f.copy);
        let reference = want.get(&f.copy).expect("a verdict per file");
        let ours = got.get(&copy);
        if verbose && f.origin.starts_with("syntax/") {
            println!(
                "{:<45} terraform: {:<7} erlint: {}",
                f.origin,
                if reference.is_some() {
                    "rejects"
                } else {
                    "accepts"
                },
                ours.map_or("accepts".to_string(), |m| format!(
                    "rejects ({})",
                    m.join("; ")
                ))
            );
        }
        match (reference, ours) {
            (None, None) => both_accept += 1,
            (Some(_), Some(_)) => both_reject += 1,
            (None, Some(msgs))
                if msgs
                    .iter()
                    .all(|m| DECODE_TIME.iter().any(|(p, _)| m.starts_with(p))) =>
            {
                decode_time += 1
            }
            (None, Some(msgs)) if msgs.iter().all(|m| about_an_embedded_template(m)) => {
                embedded += 1
            }
            (None, Some(msgs)) => disagreements.push(format!(
                "{}: Terraform's parser accepts it, erlint rejects it: {}",
                f.origin,
                msgs.join("; ")
            )),
            (Some(why), None) => disagreements.push(format!(
                "{}: Terraform's parser rejects it ({why}), erlint reports no ER001",
                f.origin
            )),
        }
    }
    // Written to stderr directly, past the harness's capture, so that CI's log has it.
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "differential parse: {} files compared ({n_fixtures} fixtures, {n_corpus} corpus, {n_suite} syntax suite): \
         {both_accept} both accept, {both_reject} both reject, {decode_time} rejected by erlint as Terraform \
         does when decoding, {embedded} for the ARM template they deploy, {} disagreements",
        files.len(),
        disagreements.len()
    );
    assert!(
        disagreements.is_empty(),
        "{} disagreements:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
    // The suite exercises both sides.
    assert!(both_reject >= 40 && both_accept >= 100 && decode_time >= 1);
}
