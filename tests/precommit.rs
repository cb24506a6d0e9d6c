//! The pre-commit hook (`.pre-commit-hooks.yaml`) with the real pre-commit framework: a
//! throwaway git repository uses this checkout as a hook repository, installs the hook,
//! and a commit with an ExpressRoute problem is blocked while a clean one goes through.
//!
//! Slow (pre-commit builds erlint with `cargo install`, a release build), so it runs only
//! with `ERLINT_TEST_PRECOMMIT=1` (`.ci/run` sets it). pre-commit is taken from `PATH`, or
//! installed into a virtualenv under `target/` with pip; without either the test says so
//! and skips.

use crate::common::repo;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn run(cmd: &mut Command) -> Output {
    cmd.output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"))
}

fn ok(cmd: &mut Command) -> String {
    let out = run(cmd);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{cmd:?} failed:\n{text}");
    text
}

/// `pre-commit` on PATH, else one installed into `target/precommit-venv`.
fn pre_commit() -> Option<PathBuf> {
    if Command::new("pre-commit")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        return Some(PathBuf::from("pre-commit"));
    }
    let venv = repo().join("target/precommit-venv");
    let bin = venv.join("bin/pre-commit");
    if bin.exists() {
        return Some(bin);
    }
    let python = ["python3", "python"].into_iter().find(|p| {
        Command::new(p)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    })?;
    let made = Command::new(python)
        .args(["-m", "venv"])
        .arg(&venv)
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        return None;
    }
    let installed = Command::new(venv.join("bin/pip"))
        .args(["install", "--quiet", "pre-commit>=3,<5"])
        .status()
        .is_ok_and(|s| s.success());
    installed.then_some(bin)
}

/// pre-commit builds the hook with `cargo install`, a release build. How optimised that
/// build is does not change what the hook does, and a full release build of erlint and its
/// dependencies takes minutes on CI's two cores, so the test builds it unoptimised.
fn fast_release(c: &mut Command) -> &mut Command {
    c.env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
        .env("CARGO_PROFILE_RELEASE_LTO", "false")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "256")
        .env("CARGO_PROFILE_RELEASE_DEBUG", "false")
        .env("CARGO_INCREMENTAL", "0")
}

fn git(dir: &Path) -> Command {
    let mut c = Command::new("git");
    c.current_dir(dir)
        .env("GIT_AUTHOR_NAME", "erlint test")
        .env("GIT_AUTHOR_EMAIL", "test@example.invalid")
        .env("GIT_COMMITTER_NAME", "erlint test")
        .env("GIT_COMMITTER_EMAIL", "test@example.invalid")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1");
    c
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// A git repository holding this checkout's working tree as the crate needs it to build
/// (what `Cargo.toml`'s `include` ships), committed: pre-commit installs hooks from a
/// commit, and this way uncommitted changes are tested too.
fn hook_repo(dir: &Path) -> String {
    let src = repo();
    for item in [".pre-commit-hooks.yaml", "Cargo.toml", "Cargo.lock"] {
        std::fs::copy(src.join(item), dir.join(item)).unwrap();
    }
    for d in ["src", "rules", "vendor"] {
        copy_dir(&src.join(d), &dir.join(d));
    }
    std::fs::write(dir.join("README.md"), "erlint (test copy)\n").unwrap();
    ok(git(dir).args(["init", "--quiet", "-b", "main"]));
    ok(git(dir).args(["add", "."]));
    ok(git(dir).args(["commit", "--quiet", "-m", "erlint"]));
    ok(git(dir).args(["rev-parse", "HEAD"])).trim().to_string()
}

const BAD: &str = r#"provider "azurerm" {
  features {}
  subscription_id = "00000000-0000-4000-8000-000000000001"
}

resource "azurerm_express_route_circuit_peering" "private" {
  peering_type                = "AzurePrivatePeering"
  express_route_circuit_name  = "erc-weu-01"
  resource_group_name         = "rg-er-weu"
  peer_asn                    = 65010
  primary_peer_address_prefix = "172.16.40.0/30"
  vlan_id                     = 100
}
"#;

#[test]
fn pre_commit_blocks_a_bad_commit_and_passes_a_good_one() {
    if std::env::var_os("ERLINT_TEST_PRECOMMIT").is_none() {
        eprintln!(
            "skipped: set ERLINT_TEST_PRECOMMIT=1 to run the pre-commit hook test (slow: release build)"
        );
        return;
    }
    let Some(pre_commit) = pre_commit() else {
        eprintln!(
            "skipped: neither `pre-commit` nor python3 with pip/venv is available to install it"
        );
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let hooks = tmp.path().join("erlint-hooks");
    let project = tmp.path().join("network");
    std::fs::create_dir_all(&hooks).unwrap();
    std::fs::create_dir_all(&project).unwrap();
    let rev = hook_repo(&hooks);

    ok(git(&project).args(["init", "--quiet", "-b", "main"]));
    std::fs::write(
        project.join(".pre-commit-config.yaml"),
        format!(
            "repos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n      - id: erlint\n",
            hooks.display()
        ),
    )
    .unwrap();
    let home = repo().join("target/pre-commit-home");
    let build = repo().join("target/pre-commit-build");
    let pc = |args: &[&str]| {
        let mut c = Command::new(&pre_commit);
        c.current_dir(&project)
            .args(args)
            .env("PRE_COMMIT_HOME", &home)
            // Reuse compiled dependencies between runs of this test.
            .env("CARGO_TARGET_DIR", &build)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("NO_COLOR", "1");
        fast_release(&mut c);
        c
    };
    ok(&mut pc(&["install"]));
    ok(git(&project).args(["add", ".pre-commit-config.yaml"]));
    // Build the hook environment once, visibly (`cargo install` of erlint).
    ok(&mut pc(&["install-hooks"]));

    // A peering with one BGP session: the commit is blocked.
    std::fs::write(project.join("main.tf"), BAD).unwrap();
    ok(git(&project).args(["add", "main.tf"]));
    let out = run(fast_release(
        git(&project)
            .args(["commit", "-m", "add peering"])
            .env("PRE_COMMIT_HOME", &home)
            .env("CARGO_TARGET_DIR", &build),
    ));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !out.status.success(),
        "the bad commit went through:\n{text}"
    );
    assert!(text.contains("ER301"), "{text}");
    assert!(text.contains("erlint (Azure ExpressRoute)"), "{text}");
    assert!(text.contains("Failed"), "{text}");

    // The fix: a second /30 for the second session. The commit goes through.
    let good = BAD.replace(
        "  vlan_id                     = 100\n",
        "  secondary_peer_address_prefix = \"172.16.40.4/30\"\n  vlan_id                     = 100\n",
    );
    std::fs::write(project.join("main.tf"), good).unwrap();
    ok(git(&project).args(["add", "main.tf"]));
    let text = ok(fast_release(
        git(&project)
            .args(["commit", "-m", "add peering with two sessions"])
            .env("PRE_COMMIT_HOME", &home)
            .env("CARGO_TARGET_DIR", &build),
    ));
    assert!(text.contains("Passed"), "{text}");
}
