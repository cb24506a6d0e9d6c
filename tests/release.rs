//! Release readiness: the declared `rust-version` holds for the locked dependencies, the
//! release build step of `.github/workflows/release.yml` works for this machine's target,
//! and the files a release ships exist.

use crate::common::repo;
use crate::precommit::{fast_release, packaging_target_dir};
use std::path::{Path, PathBuf};
use std::process::Command;

/// `1.88` → `[1, 88, 0]`.
fn version(v: &str) -> Vec<u64> {
    let mut parts: Vec<u64> = v
        .split('.')
        .map(|p| p.parse().unwrap_or_else(|_| panic!("bad version `{v}`")))
        .collect();
    parts.resize(3, 0);
    parts
}

/// The highest `rust-version` of any package in the locked dependency graph (every
/// platform, dev-dependencies included: `cargo +1.88 test` builds those too) must not
/// exceed the one erlint declares, or `cargo install --locked` fails on the toolchain
/// the README promises.
#[test]
fn declared_rust_version_covers_the_locked_dependencies() {
    let out = stdout_of(
        Command::new(env!("CARGO"))
            .args(["metadata", "--locked", "--format-version", "1"])
            .current_dir(repo()),
    );
    let meta: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let packages = meta["packages"].as_array().unwrap();
    let declared = packages
        .iter()
        .find(|p| p["name"] == "erlint")
        .and_then(|p| p["rust_version"].as_str())
        .expect("Cargo.toml declares rust-version");
    assert!(packages.len() > 50, "the whole graph: {}", packages.len());
    let mut too_new: Vec<String> = packages
        .iter()
        .filter_map(|p| {
            let rv = p["rust_version"].as_str()?;
            let name = p["name"].as_str()?;
            let v = p["version"].as_str()?;
            (version(rv) > version(declared)).then(|| format!("{name} {v} needs {rv}"))
        })
        .collect();
    too_new.sort();
    assert!(
        too_new.is_empty(),
        "Cargo.toml declares rust-version {declared}, but the lockfile holds: {too_new:#?}\n\
         pin older versions (`cargo update -p NAME` picks the newest that fits, the resolver \
         being MSRV-aware) or raise rust-version"
    );
    assert!(version("1.89.0") > version("1.88"));
    assert_eq!(version("1.88"), version("1.88.0"));
}

fn python() -> &'static str {
    "python3"
}

/// The output of a command that must succeed (its stderr in the panic when it fails).
fn stdout_of(cmd: &mut Command) -> Vec<u8> {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// What Python code prints, run with `scripts/` as the working directory (its modules
/// importable).
fn python_in_scripts(code: &str, args: &[&std::ffi::OsStr]) -> String {
    let out = stdout_of(
        Command::new(python())
            .current_dir(repo().join("scripts"))
            .args(["-c", code])
            .args(args),
    );
    String::from_utf8(out).unwrap()
}

/// The release workflow's matrix target for this machine (Linux builds are static musl).
fn workflow_target(host: &str) -> String {
    match host {
        "x86_64-unknown-linux-gnu" => "x86_64-unknown-linux-musl".into(),
        "aarch64-unknown-linux-gnu" => "aarch64-unknown-linux-musl".into(),
        other => other.into(),
    }
}

fn host_triple() -> String {
    let out = Command::new("rustc").arg("-vV").output().unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("host: "))
        .unwrap()
        .to_string()
}

/// Whether the standard library for `target` is installed (`rustup target add`).
/// stacker compiles C, so a musl build needs `musl-gcc` or a `<arch>-linux-musl-gcc`.
fn musl_cc_installed() -> bool {
    [
        "musl-gcc",
        "x86_64-linux-musl-gcc",
        "aarch64-linux-musl-gcc",
    ]
    .iter()
    .any(|cc| Command::new(cc).arg("--version").output().is_ok())
}

fn target_installed(target: &str) -> bool {
    let Ok(out) = Command::new("rustc")
        .args(["--print", "target-libdir", "--target", target])
        .output()
    else {
        return false;
    };
    let dir = String::from_utf8_lossy(&out.stdout).trim().to_string();
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with("libstd-"))
    })
}

const BUILD_STEP: &str =
    r#"python scripts/release.py build --target "$TARGET" --out dist --pgo pgo"#;

/// The workflow's build step (`scripts/release.py build --pgo`) for this machine's entry
/// of the matrix: a profile-guided release build (instrumented, trained on the fixtures,
/// built again with the profile, which is kept), the archive with the
/// binary and the shipped files, its checksum, and (for musl) a static binary that runs.
#[test]
fn release_matrix_has_this_machine_and_the_build_step() {
    let workflow = std::fs::read_to_string(repo().join(".github/workflows/release.yml")).unwrap();
    assert!(
        workflow.contains(BUILD_STEP),
        "the workflow's build step changed"
    );
    let host = host_triple();
    let target = workflow_target(&host);
    assert!(
        workflow.contains(&format!("target: {target},")) || target == host,
        "{target} is not in the release matrix"
    );
}

/// Slow (a release build): `cargo test -- --ignored` runs it, as `.ci/run` does.
#[test]
#[ignore = "slow: a release build; .ci/run runs it with --ignored"]
fn release_build_step_for_this_machine() {
    let host = host_triple();
    let mut target = workflow_target(&host);
    if target.contains("linux-musl") && !musl_cc_installed() {
        eprintln!(
            "note: no musl C compiler (musl-gcc, from musl-tools) for {target}; building for {host} instead"
        );
        target = host.clone();
    }
    if !target_installed(&target) {
        eprintln!(
            "note: the Rust standard library for {target} is not installed (`rustup target add {target}`); building for {host} instead"
        );
        target = host.clone();
    }
    let tmp = tempfile::tempdir().unwrap();
    let dist = tmp.path().join("dist");
    let pgo = tmp.path().join("pgo");
    let mut cmd = Command::new(python());
    cmd.current_dir(repo())
        .args(["scripts/release.py", "build", "--target", &target, "--out"])
        .arg(&dist)
        .arg("--pgo")
        .arg(&pgo)
        .env("CARGO", env!("CARGO"))
        .env("CARGO_TARGET_DIR", packaging_target_dir());
    fast_release(&mut cmd);
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let archive = PathBuf::from(String::from_utf8(out.stdout).unwrap().trim());
    let version = env!("CARGO_PKG_VERSION");
    let name = format!("erlint-{version}-{target}");
    assert_eq!(archive, dist.join(format!("{name}.tar.gz")));

    // Built with a profile, trained here (every target runs on its own runner but
    // x86_64 macOS; `.ci/run` installs llvm-tools), and the profile kept.
    assert!(!stderr.contains("without a profile"), "{stderr}");
    assert!(stderr.contains("(instrumented)"), "{stderr}");
    assert!(stderr.contains("pgo: erlint . --format sarif"), "{stderr}");
    let profile = pgo.join(format!("erlint-{target}.profdata"));
    let size = std::fs::metadata(&profile).map(|m| m.len()).unwrap_or(0);
    assert!(size > 100_000, "{} holds {size} bytes", profile.display());

    // The checksum file checks out, in `sha256sum` format.
    let sum = std::fs::read_to_string(dist.join(format!("{name}.tar.gz.sha256"))).unwrap();
    assert!(sum.ends_with(&format!("  {name}.tar.gz\n")), "{sum}");
    let check = Command::new("sha256sum")
        .arg("--check")
        .arg(format!("{name}.tar.gz.sha256"))
        .current_dir(&dist)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );

    // The archive holds the binary and the shipped files, and the binary works.
    let unpacked = tmp.path().join("unpacked");
    std::fs::create_dir_all(&unpacked).unwrap();
    let tar = Command::new("tar")
        .arg("xzf")
        .arg(&archive)
        .arg("-C")
        .arg(&unpacked)
        .status()
        .unwrap();
    assert!(tar.success());
    let dir = unpacked.join(&name);
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files, ["CHANGELOG.md", "LICENSE", "README.md", "erlint"]);
    let erlint = dir.join("erlint");
    let v = Command::new(&erlint).arg("--version").output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&v.stdout).lines().next(),
        Some(format!("erlint {version}").as_str())
    );
    let lint = Command::new(&erlint)
        .arg(repo().join("fixtures/rules/ER301/invalid.tf"))
        .args(["--format", "compact", "--quiet"])
        .output()
        .unwrap();
    assert_eq!(lint.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&lint.stdout).contains("ER301"));

    // A musl build is static: no dynamic loader. (The script refuses one that is not;
    // check the check on a binary that has one.)
    let interp = |p: &Path| {
        python_in_scripts(
            "import sys, pathlib, release; print(release.has_interpreter(pathlib.Path(sys.argv[1])))",
            &[p.as_os_str()],
        )
        .trim()
        .to_string()
    };
    if target.contains("linux-musl") {
        assert_eq!(interp(&erlint), "False");
    }
    assert_eq!(interp(Path::new("/bin/sh")), "True");
}

#[test]
fn release_tag_must_match_the_version_and_the_changelog() {
    let run = |tag: &str| {
        let out = Command::new(python())
            .current_dir(repo())
            .args(["scripts/release.py", "check-tag", tag])
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    };
    let (ok, err) = run("v99.0.0");
    assert!(!ok);
    assert!(err.contains("does not match Cargo.toml's version"), "{err}");
    let changelog = std::fs::read_to_string(repo().join("CHANGELOG.md")).unwrap();
    let version = env!("CARGO_PKG_VERSION");
    let (ok, err) = run(&format!("v{version}"));
    // Released once the changelog has the version's section.
    assert_eq!(
        ok,
        changelog.contains(&format!("\n## [{version}] - ")),
        "{err}"
    );
    if !ok {
        assert!(
            err.contains(&format!("CHANGELOG.md has no `## [{version}]` section")),
            "{err}"
        );
    }
}

/// Keep a Changelog: an Unreleased section first, then `## [x.y.z] - YYYY-MM-DD`
/// sections, newest first, each with a link reference at the bottom.
#[test]
fn changelog_keeps_a_changelog() {
    let text = std::fs::read_to_string(repo().join("CHANGELOG.md")).unwrap();
    let headings: Vec<&str> = text.lines().filter(|l| l.starts_with("## ")).collect();
    assert_eq!(headings.first(), Some(&"## [Unreleased]"));
    let mut versions = Vec::new();
    for h in &headings[1..] {
        let rest = h.strip_prefix("## [").unwrap();
        let (v, date) = rest.split_once("] - ").unwrap_or_else(|| panic!("{h}"));
        assert!(
            date.len() == 10 && date.as_bytes()[4] == b'-' && date.as_bytes()[7] == b'-',
            "{h}"
        );
        versions.push(version(v));
    }
    assert!(versions.windows(2).all(|w| w[0] > w[1]), "newest first");
    for h in &headings {
        let label = h.trim_start_matches("## [").split(']').next().unwrap();
        assert!(
            text.contains(&format!("\n[{label}]: https://")),
            "no link for {label}"
        );
    }
    assert!(text.contains("\n### Added\n"));
    let license = std::fs::read_to_string(repo().join("LICENSE")).unwrap();
    assert!(license.starts_with("MIT License"));
    assert!(
        std::fs::read_to_string(repo().join("Cargo.toml"))
            .unwrap()
            .contains("license = \"MIT\"")
    );
    assert!(repo().join("SECURITY.md").exists());
}

/// The version the documentation tells people to install is this one: every
/// `erlint==X`, `erlint@vX`, `erlint:X` (container tag) and `erlint-pre-commit … rev: vX`.
#[test]
fn documented_pins_are_this_version() {
    let version = env!("CARGO_PKG_VERSION");
    let mut checked = 0;
    for file in ["README.md", "docs/ci.md", "action.yml", "Dockerfile"] {
        let text = std::fs::read_to_string(repo().join(file)).unwrap();
        for marker in [
            "erlint==",
            "erlint@v",
            "erlint@",
            "erlint/erlint:",
            "rev: v",
        ] {
            for (at, _) in text.match_indices(marker) {
                let rest = &text[at + marker.len()..];
                let pin: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_digit() || *c == '.')
                    .collect();
                if pin.is_empty() {
                    continue;
                }
                assert_eq!(pin, version, "{file}: `{marker}{pin}`");
                checked += 1;
            }
        }
    }
    assert!(checked >= 10, "only {checked} pins found");
}

/// The profile-guided build trains only a binary this machine runs (the release matrix's
/// x86_64 macOS build runs on an arm64 Mac: built without a profile), adds its rustc flag
/// to the ones already set, a path with spaces kept whole, and takes erlint's exit codes
/// (clean, findings, errors) as a training run done and any other (a panic's 101) as the
/// failure that stops a release.
#[test]
fn pgo_trains_what_runs_here_keeps_the_other_flags_and_stops_on_a_crash() {
    let script = r#"
import sys, pgo
for t, h in [("x86_64-unknown-linux-musl", "x86_64-unknown-linux-gnu"),
             ("aarch64-unknown-linux-musl", "aarch64-unknown-linux-gnu"),
             ("aarch64-unknown-linux-musl", "x86_64-unknown-linux-gnu"),
             ("x86_64-apple-darwin", "aarch64-apple-darwin"),
             ("aarch64-apple-darwin", "aarch64-apple-darwin"),
             ("x86_64-pc-windows-msvc", "x86_64-pc-windows-msvc"),
             ("wasm32-unknown-unknown", "x86_64-unknown-linux-gnu")]:
    print(t, h, pgo.runs_here(t, h))
env = pgo.rustflags_with({"RUSTFLAGS": "-C target-feature=+crt-static"}, "-Cprofile-use=/a b/p")
print(sorted(env), env["CARGO_ENCODED_RUSTFLAGS"].split("\x1f"))
env = pgo.rustflags_with({"CARGO_ENCODED_RUSTFLAGS": "-Cx", "RUSTFLAGS": "-Cy"}, "-Cz")
print(sorted(env), env["CARGO_ENCODED_RUSTFLAGS"].split("\x1f"))
import os, pathlib
for code in (0, 1, 2, 101):
    try:
        pgo.train([[sys.executable, "-c", f"raise SystemExit({code})"]], pathlib.Path("."), dict(os.environ))
        print(code, "trained")
    except pgo.TrainingFailed:
        print(code, "TrainingFailed")
"#;
    let printed = python_in_scripts(script, &[]);
    let expected = "\
x86_64-unknown-linux-musl x86_64-unknown-linux-gnu True
aarch64-unknown-linux-musl aarch64-unknown-linux-gnu True
aarch64-unknown-linux-musl x86_64-unknown-linux-gnu False
x86_64-apple-darwin aarch64-apple-darwin False
aarch64-apple-darwin aarch64-apple-darwin True
x86_64-pc-windows-msvc x86_64-pc-windows-msvc True
wasm32-unknown-unknown x86_64-unknown-linux-gnu False
['CARGO_ENCODED_RUSTFLAGS'] ['-C', 'target-feature=+crt-static', '-Cprofile-use=/a b/p']
['CARGO_ENCODED_RUSTFLAGS'] ['-Cx', '-Cz']
0 trained
1 trained
2 trained
101 TrainingFailed
";
    assert_eq!(printed, expected);
}
