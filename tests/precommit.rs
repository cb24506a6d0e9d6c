//! The pre-commit hooks with the real pre-commit framework, both ways of installing them:
//!
//! - the mirror (`scripts/pre-commit-mirror.py`): a `language: python` hook depending on
//!   the `erlint==X` wheel, built here with maturin and served from a local directory
//!   (`PIP_FIND_LINKS`, `PIP_NO_INDEX`: no network when the hook installs); the first
//!   `pre-commit run`, hook installation included, must take under 60 s;
//! - this repository's `.pre-commit-hooks.yaml`: a `language: rust` hook that pre-commit
//!   builds with `cargo install`.
//!
//! In each, a throwaway git repository installs the hook, and a commit with an
//! ExpressRoute problem is blocked while the fixed one goes through.
//!
//! Slow (release builds), so they are `#[ignore]`d: `cargo test -- --ignored` runs them, as
//! `.ci/run` does (it also installs maturin into `target/packaging-venv`). pre-commit is taken from
//! `PATH`, or installed into a virtualenv under `target/` with pip; without it the tests
//! say so and skip.

use crate::common::repo;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

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

/// pre-commit builds the hook with `cargo install`, a release build, and maturin and the
/// release workflow's build step build the `dist` profile (release's, whole-program). How
/// optimised that build is does not change what erlint does, and a full release build of
/// erlint and its dependencies takes minutes on CI's two cores, so the tests build both
/// profiles unoptimised.
pub fn fast_release(c: &mut Command) -> &mut Command {
    for profile in ["RELEASE", "DIST"] {
        c.env(format!("CARGO_PROFILE_{profile}_OPT_LEVEL"), "0")
            .env(format!("CARGO_PROFILE_{profile}_LTO"), "false")
            .env(format!("CARGO_PROFILE_{profile}_CODEGEN_UNITS"), "256")
            .env(format!("CARGO_PROFILE_{profile}_DEBUG"), "false");
    }
    c.env("CARGO_INCREMENTAL", "0")
}

/// The target directory the slow packaging tests share (`cargo install` by pre-commit,
/// maturin, the release build step), so that the dependencies are compiled once.
pub fn packaging_target_dir() -> PathBuf {
    repo().join("target/packaging-build")
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
#[ignore = "slow: cargo install of erlint as pre-commit does; .ci/run runs it with --ignored"]
fn pre_commit_blocks_a_bad_commit_and_passes_a_good_one() {
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
    let build = packaging_target_dir();
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

    // Bicep files are the hook's too: a one-session peering in `.bicep` is blocked.
    std::fs::write(project.join("peering.bicep"), BAD_BICEP).unwrap();
    ok(git(&project).args(["add", "peering.bicep"]));
    let out = run(fast_release(
        git(&project)
            .args(["commit", "-m", "add bicep peering"])
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
        "the bad Bicep commit went through:\n{text}"
    );
    assert!(
        text.contains("ER301") && text.contains("peering.bicep"),
        "{text}"
    );
    ok(git(&project).args(["rm", "--cached", "--quiet", "peering.bicep"]));
    std::fs::remove_file(project.join("peering.bicep")).unwrap();

    // A module and the root that calls it, far from it (found through git's index).
    let commit = |message: &str| {
        run(fast_release(
            git(&project)
                .args(["commit", "-m", message])
                .env("PRE_COMMIT_HOME", &home)
                .env("CARGO_TARGET_DIR", &build),
        ))
    };
    let output = |out: &Output| {
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    };
    let write = |p: &str, t: &str| {
        let p = project.join(p);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, t).unwrap();
    };
    write("platform/modules/er/main.tf", MODULE);
    write("envs/prod/main.tf", &module_root("172.16.40.4/30"));
    ok(git(&project).args(["add", "platform", "envs"]));
    let out = commit("add the er module");
    assert!(out.status.success(), "{}", output(&out));
    // The module changes. An untracked scratch root that reuses the primary's subnet,
    // and an unstaged change to the committed root that does too, are not what the
    // commit holds (pre-commit stashes the unstaged change): the commit goes through.
    write("scratch/try/main.tf", &module_root("172.16.40.0/30"));
    write("envs/prod/main.tf", &module_root("172.16.40.0/30"));
    write("platform/modules/er/main.tf", &format!("{MODULE}# rev 2\n"));
    ok(git(&project).args(["add", "platform/modules/er/main.tf"]));
    let out = commit("module rev 2");
    assert!(out.status.success(), "{}", output(&out));
    // The root's change committed without the hook: the next change to the module is
    // blocked by what its caller passes.
    ok(git(&project).args(["add", "envs/prod/main.tf"]));
    ok(git(&project).args(["commit", "--quiet", "--no-verify", "-m", "root"]));
    write("platform/modules/er/main.tf", &format!("{MODULE}# rev 3\n"));
    ok(git(&project).args(["add", "platform/modules/er/main.tf"]));
    let out = commit("module rev 3");
    let text = output(&out);
    assert!(!out.status.success(), "{text}");
    assert!(
        text.contains("error[ER302]") && text.contains("--> platform/modules/er/main.tf:10:35"),
        "{text}"
    );
}

/// A module of one peering whose two subnets come from its caller.
const MODULE: &str = r#"variable "primary" {}
variable "secondary" {}

resource "azurerm_express_route_circuit_peering" "private" {
  peering_type                  = "AzurePrivatePeering"
  express_route_circuit_name    = "erc-weu-01"
  resource_group_name           = "rg-er-weu"
  peer_asn                      = 65010
  primary_peer_address_prefix   = var.primary
  secondary_peer_address_prefix = var.secondary
  vlan_id                       = 100
}
"#;

/// A root two directories from the top that calls `platform/modules/er`.
fn module_root(secondary: &str) -> String {
    format!(
        r#"provider "azurerm" {{
  features {{}}
  subscription_id = "00000000-0000-4000-8000-000000000001"
}}

module "er" {{
  source    = "../../platform/modules/er"
  primary   = "172.16.40.0/30"
  secondary = "{secondary}"
}}
"#
    )
}

const BAD_BICEP: &str =
    "resource peering 'Microsoft.Network/expressRouteCircuits/peerings@2023-09-01' = {
  name: 'er-ams-01/AzurePrivatePeering'
  properties: {
    peerASN: 65010
    primaryPeerAddressPrefix: '172.16.41.0/30'
    vlanId: 100
  }
}
";

/// `maturin` on PATH, else the one `.ci/run` installs into `target/packaging-venv`.
fn maturin() -> Option<PathBuf> {
    let on_path = Command::new("maturin")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if on_path {
        return Some(PathBuf::from("maturin"));
    }
    let venv = repo().join("target/packaging-venv/bin/maturin");
    venv.exists().then_some(venv)
}

/// A directory of wheels for pip's `--find-links`: erlint's, built here with maturin, and
/// the build backend the mirror's placeholder package needs (setuptools, downloaded once
/// into `target/wheelhouse-deps`).
fn wheelhouse(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    let maturin = maturin().unwrap_or_else(|| {
        panic!("maturin is missing: `pip install maturin` (.ci/run installs it into target/packaging-venv)")
    });
    let mut build = Command::new(maturin);
    build
        .current_dir(repo())
        .args([
            "build",
            "--profile",
            "dist",
            "--locked",
            "--compatibility",
            "linux",
            "--out",
        ])
        .arg(dir)
        .env("CARGO", env!("CARGO"))
        .env("CARGO_TARGET_DIR", packaging_target_dir());
    ok(fast_release(&mut build));
    let deps = repo().join("target/wheelhouse-deps");
    let has_setuptools = std::fs::read_dir(&deps).is_ok_and(|d| {
        d.flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with("setuptools-"))
    });
    if !has_setuptools {
        ok(Command::new("python3")
            .args(["-m", "pip", "download", "--quiet", "--only-binary", ":all:"])
            .arg("--dest")
            .arg(&deps)
            .arg("setuptools>=61"));
    }
    for e in std::fs::read_dir(&deps).unwrap().flatten() {
        std::fs::copy(e.path(), dir.join(e.file_name())).unwrap();
    }
}

#[test]
#[ignore = "slow: builds the wheel; .ci/run runs it with --ignored"]
fn pre_commit_mirror_installs_the_wheel_in_seconds() {
    let Some(pre_commit) = pre_commit() else {
        eprintln!(
            "skipped: neither `pre-commit` nor python3 with pip/venv is available to install it"
        );
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let wheels = tmp.path().join("wheels");
    wheelhouse(&wheels);
    let version = env!("CARGO_PKG_VERSION");
    assert!(
        std::fs::read_dir(&wheels).unwrap().flatten().any(|e| e
            .file_name()
            .to_string_lossy()
            .starts_with(&format!("erlint-{version}-py3-none-"))),
        "no erlint wheel in {}",
        wheels.display()
    );

    // The GitHub Action's install step installs the same wheel (offline here too).
    let action_output = tmp.path().join("action-output.txt");
    ok(Command::new("python3")
        .arg(repo().join("scripts/github_action.py"))
        .arg("install")
        .env("ERLINT_VERSION", version)
        .env("RUNNER_TEMP", tmp.path().join("runner-temp"))
        .env("GITHUB_OUTPUT", &action_output)
        .env("PIP_FIND_LINKS", &wheels)
        .env("PIP_NO_INDEX", "1"));
    let outputs = std::fs::read_to_string(&action_output).unwrap();
    let erlint = outputs
        .lines()
        .find_map(|l| l.strip_prefix("erlint="))
        .unwrap_or_else(|| panic!("no `erlint` output: {outputs}"));
    let v = ok(Command::new(erlint).arg("--version"));
    assert_eq!(v.lines().next(), Some(format!("erlint {version}").as_str()));

    // The mirror repository, generated for this version and committed.
    let mirror = tmp.path().join("erlint-pre-commit");
    ok(Command::new("python3")
        .arg(repo().join("scripts/pre-commit-mirror.py"))
        .arg(&mirror)
        .args(["--version", version]));
    let pyproject = std::fs::read_to_string(mirror.join("pyproject.toml")).unwrap();
    assert!(
        pyproject.contains(&format!("dependencies = [\"erlint=={version}\"]")),
        "{pyproject}"
    );
    let hooks = std::fs::read_to_string(mirror.join(".pre-commit-hooks.yaml")).unwrap();
    assert!(hooks.contains("  language: python\n"), "{hooks}");
    assert!(!hooks.contains("additional_dependencies"), "{hooks}");
    ok(git(&mirror).args(["init", "--quiet", "-b", "main"]));
    ok(git(&mirror).args(["add", "."]));
    ok(git(&mirror).args(["commit", "--quiet", "-m", "mirror"]));
    let rev = ok(git(&mirror).args(["rev-parse", "HEAD"]))
        .trim()
        .to_string();

    let project = tmp.path().join("network");
    std::fs::create_dir_all(&project).unwrap();
    ok(git(&project).args(["init", "--quiet", "-b", "main"]));
    std::fs::write(
        project.join(".pre-commit-config.yaml"),
        format!(
            "repos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n      - id: erlint\n",
            mirror.display()
        ),
    )
    .unwrap();
    // A first installation: fresh pre-commit, pip and virtualenv caches; pip sees only
    // the local wheel directory.
    let home = tmp.path().join("pre-commit-home");
    let offline = |c: &mut Command| {
        c.env("PRE_COMMIT_HOME", &home)
            .env("PIP_FIND_LINKS", &wheels)
            .env("PIP_NO_INDEX", "1")
            .env("PIP_CACHE_DIR", tmp.path().join("pip-cache"))
            .env(
                "VIRTUALENV_OVERRIDE_APP_DATA",
                tmp.path().join("virtualenv-data"),
            )
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("NO_COLOR", "1");
    };
    let mut install = Command::new(&pre_commit);
    install.current_dir(&project).arg("install");
    offline(&mut install);
    ok(&mut install);
    ok(git(&project).args(["add", ".pre-commit-config.yaml"]));

    // A peering with one BGP session: the first commit installs the hook and is blocked.
    std::fs::write(project.join("main.tf"), BAD).unwrap();
    ok(git(&project).args(["add", "main.tf"]));
    let mut commit = git(&project);
    commit.args(["commit", "-m", "add peering"]);
    offline(&mut commit);
    let started = Instant::now();
    let out = run(&mut commit);
    let first_run = started.elapsed();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!(
        "first pre-commit run with the mirror (hook installation from the wheel + lint): {:.1} s",
        first_run.as_secs_f64()
    );
    assert!(
        !out.status.success(),
        "the bad commit went through:\n{text}"
    );
    assert!(text.contains("Installing environment"), "{text}");
    assert!(text.contains("ER301"), "{text}");
    assert!(text.contains("erlint (Azure ExpressRoute)"), "{text}");
    assert!(text.contains("Failed"), "{text}");
    assert!(
        first_run < Duration::from_secs(60),
        "the first pre-commit run took {first_run:?}:\n{text}"
    );
    // The hook runs the wheel's binary, installed into pre-commit's environment.
    let installed = std::fs::read_dir(&home)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("repo"))
        .flat_map(|e| std::fs::read_dir(e.path()).into_iter().flatten().flatten())
        .any(|e| {
            e.file_name().to_string_lossy().starts_with("py_env-")
                && e.path().join("bin/erlint").exists()
        });
    assert!(installed, "no erlint in a py_env under {}", home.display());

    // The fix: a second /30 for the second session. The commit goes through.
    let good = BAD.replace(
        "  vlan_id                     = 100\n",
        "  secondary_peer_address_prefix = \"172.16.40.4/30\"\n  vlan_id                     = 100\n",
    );
    std::fs::write(project.join("main.tf"), good).unwrap();
    ok(git(&project).args(["add", "main.tf"]));
    let mut commit = git(&project);
    commit.args(["commit", "-m", "add peering with two sessions"]);
    offline(&mut commit);
    let text = ok(&mut commit);
    assert!(text.contains("Passed"), "{text}");
}
