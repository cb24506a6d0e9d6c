#!/usr/bin/env python3
"""Profile-guided optimisation (PGO) of erlint's shipped builds.

  python3 scripts/pgo.py [--target TRIPLE] [--out FILE] [--with-floor]
      builds erlint instrumented (the `dist` profile, `-Cprofile-generate`), runs it on
      the training set, merges the counts into FILE (default target/pgo/erlint.profdata)
      and prints its path. `--with-floor` also builds and trains the benchmark's
      parse-floor program (examples/parse_floor.rs), into the same profile, so that
      scripts/bench.py can build both programs alike.

A build then uses the profile with `-Cprofile-use=FILE` (see `rustflags_with`):
scripts/release.py (`build --pgo DIR`) and scripts/bench.py (`--pgo`) do this.

The training set is the project's own fixtures (fixtures/: the hand-written Terraform,
OpenTofu, ARM and Bicep projects and every rule's cases), linted whole in each output
format and file by file as the pre-commit hook names them, in a copy of the directory
made a git repository when git is there (so that the callers search reads git's index
and writes its cache as in a hook's run). Never the benchmark corpus: the speed
scripts/bench.py measures is not the speed of the inputs the profile came from.

Needs llvm-profdata from the compiler's own LLVM: `rustup component add llvm-tools`
(or LLVM_PROFDATA naming one of the same LLVM version). A training run that crashes
(killed by a signal, or an exit code erlint never gives) is `TrainingFailed`, exit code
3: erlint broke on its own fixtures, and the release must stop. Any other failure (no
llvm-profdata, a build that fails) exits 1, and the callers build without a profile.

Environment: CARGO (default `cargo`), CARGO_TARGET_DIR (default target/; the
instrumented build goes to its `pgo-generate/`). Only the standard library is used.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# erlint's exit codes (SPEC.md): clean, findings, and errors (fixtures hold broken files).
EXPECTED_EXITS = (0, 1, 2)
# The output formats erlint writes (each has its own code to train).
FORMATS = ["human", "compact", "json", "sarif", "junit", "github", "checkstyle", "gitlab", "azure"]
# Named files per kind for the pre-commit-like runs.
NAMED_PER_KIND = 12


def host_triple() -> str:
    out = subprocess.run(["rustc", "-vV"], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        if line.startswith("host: "):
            return line.removeprefix("host: ").strip()
    raise SystemExit("`rustc -vV` printed no host triple")


def runs_here(target: str, host: str) -> bool:
    """Whether a binary built for `target` runs on `host`, so that it can be trained: the
    same architecture and operating system (a static musl binary runs on a glibc Linux).
    x86_64-apple-darwin on an arm64 Mac would need Rosetta: not assumed."""

    def arch_os(triple: str) -> tuple[str, str]:
        parts = triple.split("-")
        system = next((p for p in parts[1:] if p in ("linux", "darwin", "windows")), "?")
        return parts[0], system

    wanted, here = arch_os(target), arch_os(host)
    return target == host or (wanted == here and here[1] != "?")


def cargo_target_dir(env: dict[str, str]) -> Path:
    """Cargo's target directory for `env`: CARGO_TARGET_DIR (relative to the repository)
    or target/."""
    target_dir = Path(env.get("CARGO_TARGET_DIR") or ROOT / "target")
    return target_dir if target_dir.is_absolute() else ROOT / target_dir


def llvm_profdata() -> Path:
    """The llvm-profdata of the compiler's own LLVM (the profile format follows it)."""
    named = os.environ.get("LLVM_PROFDATA")
    if named:
        return Path(named)
    sysroot = subprocess.run(
        ["rustc", "--print", "sysroot"], capture_output=True, text=True, check=True
    ).stdout.strip()
    exe = "llvm-profdata.exe" if os.name == "nt" else "llvm-profdata"
    tool = Path(sysroot) / "lib" / "rustlib" / host_triple() / "bin" / exe
    if not tool.is_file():
        raise SystemExit(
            f"{tool} not found: `rustup component add llvm-tools` installs it "
            f"(or set LLVM_PROFDATA to an llvm-profdata of rustc's LLVM version)"
        )
    return tool


def rustflags_with(env: dict[str, str], flag: str) -> dict[str, str]:
    """`env` with `flag` added to the flags Cargo passes rustc, as
    CARGO_ENCODED_RUSTFLAGS (a path with spaces stays one argument). Flags already in
    CARGO_ENCODED_RUSTFLAGS or RUSTFLAGS are kept."""
    env = dict(env)
    if env.get("CARGO_ENCODED_RUSTFLAGS"):
        flags = env["CARGO_ENCODED_RUSTFLAGS"].split("\x1f")
    else:
        flags = env.get("RUSTFLAGS", "").split()
    env.pop("RUSTFLAGS", None)
    env["CARGO_ENCODED_RUSTFLAGS"] = "\x1f".join([*flags, flag])
    return env


def training_runs(erlint: Path, floor: Path | None, tree: Path) -> list[list[str]]:
    """The commands of the training set, run in `tree` (a copy of fixtures/)."""
    dirs = ["."] + sorted(
        p.name for p in tree.iterdir() if p.is_dir() and not p.name.startswith(".")
    )
    runs: list[list[str]] = []
    for fmt in FORMATS:
        runs.append([str(erlint), ".", "--format", fmt])
    for d in dirs[1:]:
        runs.append([str(erlint), d, "--format", "json"])
    # As the pre-commit hook runs it: the changed files named, callers from git's index.
    for suffix in (".tf", ".tfvars", ".json", ".bicep", ".bicepparam"):
        named = sorted(
            str(p.relative_to(tree)) for p in tree.rglob(f"*{suffix}") if p.is_file()
        )[:NAMED_PER_KIND]
        if named:
            runs.append([str(erlint), "--callers-from-index", *named])
            runs.extend([str(erlint), "--callers-from-index", n] for n in named[:3])
    runs.append([str(erlint), "rules"])
    runs.append([str(erlint), "catalog", "Amsterdam"])
    runs.append([str(erlint), "resources", "."])
    if floor:
        runs.extend([str(floor), d] for d in dirs)
    return runs


class TrainingFailed(Exception):
    """erlint crashed, hung, or gave an exit code it never gives, on the training set."""


def train(runs: list[list[str]], tree: Path, env: dict[str, str]) -> None:
    for cmd in runs:
        shown = " ".join(Path(cmd[0]).name if i == 0 else a for i, a in enumerate(cmd))
        print(f"  pgo: {shown}", file=sys.stderr, flush=True)
        try:
            done = subprocess.run(
                cmd, cwd=tree, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                timeout=900,
            )
        except subprocess.TimeoutExpired:
            raise TrainingFailed(f"training run still running after 15 minutes: {shown}")
        if done.returncode not in EXPECTED_EXITS:
            tail = done.stderr.decode("utf-8", "replace")[-2000:]
            raise TrainingFailed(f"training run failed ({done.returncode}): {shown}\n{tail}")


def fixture_tree(work: Path) -> Path:
    """A copy of fixtures/ to train in, committed to a fresh git repository when git is
    there (the hook's runs read git's index; their cache is written into the copy)."""
    tree = work / "fixtures"
    shutil.copytree(ROOT / "fixtures", tree, symlinks=True)
    if shutil.which("git"):
        git = ["git", "-c", "user.name=pgo", "-c", "user.email=pgo@localhost"]
        for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "training"]):
            if subprocess.run([*git, *args], cwd=tree, capture_output=True).returncode != 0:
                print("  pgo: git could not set up the copy; trained without an index",
                      file=sys.stderr)
                break
    return tree


def profile(
    out: Path,
    target: str | None = None,
    with_floor: bool = False,
    env: dict[str, str] | None = None,
) -> Path:
    """Build instrumented, train, merge into `out`; returns `out`. `env` is the build's
    environment (default: this process's), the same as the optimised build will have, so
    that the profile matches the code it is used on."""
    env = dict(os.environ if env is None else env)
    cargo = env.get("CARGO", "cargo")
    gen_target = cargo_target_dir(env) / "pgo-generate"
    tool = llvm_profdata()
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="erlint-pgo-") as tmp:
        work = Path(tmp)
        raw = work / "raw"
        build_env = rustflags_with(env, f"-Cprofile-generate={raw}")
        build_env["CARGO_TARGET_DIR"] = str(gen_target)
        cmd = [cargo, "build", "--profile", "dist", "--locked", "--bin", "erlint"]
        if with_floor:
            cmd += ["--example", "parse_floor"]
        if target:
            cmd += ["--target", target]
        print("+", " ".join(cmd), "(instrumented)", file=sys.stderr, flush=True)
        subprocess.run(cmd, cwd=ROOT, env=build_env, check=True)
        bin_dir = gen_target / target / "dist" if target else gen_target / "dist"
        exe = ".exe" if "-windows" in (target or host_triple()) else ""
        erlint = bin_dir / f"erlint{exe}"
        floor = bin_dir / "examples" / f"parse_floor{exe}" if with_floor else None
        tree = fixture_tree(work)
        run_env = dict(env)
        run_env["LLVM_PROFILE_FILE"] = str(raw / "erlint-%m-%p.profraw")
        run_env.pop("ERLINT_NO_CACHE", None)
        train(training_runs(erlint, floor, tree), tree, run_env)
        if not any(raw.glob("*.profraw")):
            raise SystemExit(f"the training runs wrote no profile into {raw}")
        merge = [str(tool), "merge", "-o", str(out), str(raw)]
        print("+", " ".join(merge), file=sys.stderr, flush=True)
        subprocess.run(merge, check=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--target", help="the target triple (default: the host's)")
    ap.add_argument("--out", type=Path, default=ROOT / "target" / "pgo" / "erlint.profdata")
    ap.add_argument("--with-floor", action="store_true",
                    help="train examples/parse_floor.rs too (for scripts/bench.py)")
    args = ap.parse_args()
    if args.target:
        host = host_triple()
        if not runs_here(args.target, host):
            raise SystemExit(f"{args.target} does not run on this machine ({host})")
    try:
        print(profile(args.out.resolve(), args.target, args.with_floor))
    except TrainingFailed as e:
        print(f"pgo: {e}", file=sys.stderr)
        sys.exit(3)


if __name__ == "__main__":
    main()
