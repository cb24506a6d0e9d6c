#!/usr/bin/env python3
"""Release steps of .github/workflows/release.yml, runnable (and tested) anywhere.

  python3 scripts/release.py build --target TRIPLE [--out DIR] [--pgo DIR]
      cargo build --profile dist --locked for TRIPLE, then the archive
      erlint-VERSION-TRIPLE.tar.gz (.zip for Windows) holding erlint-VERSION-TRIPLE/ with
      the binary, LICENSE, README.md and CHANGELOG.md, and ARCHIVE.sha256 beside it
      (`sha256sum` format). Linux musl binaries are checked to be static. Prints the
      archive's path (and sets the `archive` step output under GitHub Actions).
      With --pgo, the build is profile-guided (scripts/pgo.py: an instrumented build
      trained on the fixtures first), the profile kept as DIR/erlint-TRIPLE.profdata; a
      target this machine cannot run, or a training that cannot be done (no
      llvm-profdata), is built without a profile, with a warning; erlint failing on the
      fixtures while it is trained stops the build.

  python3 scripts/release.py check-tag TAG [--notes FILE]
      TAG must be v + Cargo.toml's version, and CHANGELOG.md must have that version's
      section; its text goes to FILE (the GitHub release notes).

Environment: CARGO (default `cargo`), CARGO_TARGET_DIR (default target/). Only the
standard library is used (Python 3.11+: tomllib).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import struct
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pgo  # noqa: E402  (scripts/pgo.py, beside this file)

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ["LICENSE", "README.md", "CHANGELOG.md"]


def crate_version() -> str:
    with open(ROOT / "Cargo.toml", "rb") as f:
        return tomllib.load(f)["package"]["version"]


def changelog_section(version: str) -> str | None:
    """The text under `## [VERSION]` in CHANGELOG.md, up to the next `## ` heading."""
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    m = re.search(
        rf"^## \[{re.escape(version)}\][^\n]*\n(.*?)(?=^## |^\[[^\]]+\]: |\Z)",
        text,
        re.M | re.S,
    )
    return m.group(1).strip() if m else None


def has_interpreter(binary: Path) -> bool:
    """Whether an ELF file asks for a dynamic loader (a PT_INTERP program header)."""
    data = binary.read_bytes()
    if data[:4] != b"\x7fELF":
        raise SystemExit(f"{binary}: not an ELF file")
    is64 = data[4] == 2
    endian = "<" if data[5] == 1 else ">"
    if is64:
        phoff, = struct.unpack_from(endian + "Q", data, 0x20)
        phentsize, phnum = struct.unpack_from(endian + "HH", data, 0x36)
    else:
        phoff, = struct.unpack_from(endian + "I", data, 0x1C)
        phentsize, phnum = struct.unpack_from(endian + "HH", data, 0x2A)
    for i in range(phnum):
        p_type, = struct.unpack_from(endian + "I", data, phoff + i * phentsize)
        if p_type == 3:  # PT_INTERP
            return True
    return False


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def warn(message: str) -> None:
    """A warning in the log (an annotation on the run under GitHub Actions)."""
    prefix = "::warning::" if "GITHUB_ACTIONS" in os.environ else "warning: "
    print(prefix + message, file=sys.stderr, flush=True)


def with_profile(target: str, env: dict[str, str], pgo_dir: Path) -> dict[str, str]:
    """`env` for the optimised build, with the profile scripts/pgo.py trains for `target`
    (the same environment for both builds); `env` unchanged, with a warning, when the
    target cannot be trained here."""
    host = pgo.host_triple()
    if not pgo.runs_here(target, host):
        warn(f"{target} does not run on this machine ({host}): built without a profile")
        return env
    out = pgo_dir / f"erlint-{target}.profdata"
    try:
        pgo.profile(out, target, env=env)
    except pgo.TrainingFailed as e:
        raise SystemExit(f"erlint failed on its fixtures while it was trained for {target}: {e}")
    except (SystemExit, subprocess.CalledProcessError, OSError) as e:
        warn(f"profile-guided build of {target} not possible ({e}): built without a profile")
        return env
    return pgo.rustflags_with(env, f"-Cprofile-use={out}")


def build(target: str, out: Path, pgo_dir: Path | None = None) -> Path:
    version = crate_version()
    env = dict(os.environ)
    if target.endswith("-windows-msvc"):
        # No dependency on the Visual C++ runtime being installed.
        env["RUSTFLAGS"] = (env.get("RUSTFLAGS", "") + " -C target-feature=+crt-static").strip()
    if pgo_dir is not None:
        env = with_profile(target, env, pgo_dir)
    cargo = env.get("CARGO", "cargo")
    cmd = [cargo, "build", "--profile", "dist", "--locked", "--bin", "erlint", "--target", target]
    print("+", " ".join(cmd), file=sys.stderr, flush=True)
    subprocess.run(cmd, cwd=ROOT, env=env, check=True)

    target_dir = pgo.cargo_target_dir(env)
    exe = "erlint.exe" if "windows" in target else "erlint"
    binary = target_dir / target / "dist" / exe
    if "linux-musl" in target and has_interpreter(binary):
        raise SystemExit(f"{binary} is dynamically linked; a musl release must be static")

    name = f"erlint-{version}-{target}"
    out.mkdir(parents=True, exist_ok=True)
    stage = out / name
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir()
    shutil.copy2(binary, stage / exe)
    for f in SHIPPED:
        shutil.copy2(ROOT / f, stage / f)
    if "windows" in target:
        archive = out / f"{name}.zip"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
            for f in sorted(stage.iterdir()):
                z.write(f, f"{name}/{f.name}")
    else:
        archive = out / f"{name}.tar.gz"
        with tarfile.open(archive, "w:gz") as t:
            t.add(stage, arcname=name)
    shutil.rmtree(stage)
    (out / f"{archive.name}.sha256").write_text(
        f"{sha256(archive)}  {archive.name}\n", encoding="utf-8"
    )
    if "GITHUB_OUTPUT" in os.environ:
        with open(os.environ["GITHUB_OUTPUT"], "a", encoding="utf-8") as f:
            f.write(f"archive={archive}\n")
    print(archive)
    return archive


def check_tag(tag: str, notes: Path | None) -> None:
    version = crate_version()
    if tag != f"v{version}":
        raise SystemExit(
            f"tag `{tag}` does not match Cargo.toml's version {version} (expected v{version})"
        )
    section = changelog_section(version)
    if not section:
        raise SystemExit(
            f"CHANGELOG.md has no `## [{version}]` section: move the Unreleased entries "
            f"under it, with the release date"
        )
    if notes:
        notes.write_text(section + "\n", encoding="utf-8")
    print(f"{tag}: Cargo.toml and CHANGELOG.md agree")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build and package the binary for a target")
    b.add_argument("--target", required=True)
    b.add_argument("--out", type=Path, default=ROOT / "target" / "dist")
    b.add_argument("--pgo", type=Path, metavar="DIR",
                   help="profile-guided: train first (scripts/pgo.py), keep the profile in DIR")
    c = sub.add_parser("check-tag", help="check a release tag against Cargo.toml and CHANGELOG.md")
    c.add_argument("tag")
    c.add_argument("--notes", type=Path)
    args = ap.parse_args()
    if args.command == "build":
        build(args.target, args.out.resolve(), args.pgo.resolve() if args.pgo else None)
    else:
        check_tag(args.tag, args.notes)


if __name__ == "__main__":
    main()
