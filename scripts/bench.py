#!/usr/bin/env python3
"""Benchmark erlint against the parse floor on the benchmark corpus.

    python3 scripts/bench.py [--scales 1000,3000] [--runs 11] [--parts all,tf,arm] [--with azapi,tofu]
                             [--profile dist] [--pgo] [--floor OLD_PARSE_FLOOR] [--baseline OLD_ERLINT]

Builds erlint and the parse-floor example (`examples/parse_floor.rs`: the same walk, the
same files read once and parsed with the same parsers, nothing else) with the same Cargo
profile, by default `dist` (the shipped binaries' build; `--profile release` for the
quicker one; `--pgo` for the released binaries' profile-guided build: both programs
trained on the fixtures by scripts/pgo.py, into one profile, and built with it in
target/pgo-use/), generates each corpus if needed, then for each scale and part of the corpus (`all`: the
whole corpus; `tf`, `arm`: only that directory of it) runs the floor and erlint
alternately, --runs times each, and reports for both the median and minimum wall time and
CPU time (user + system) and the peak RSS, the median of the paired ratios, and at the
end the one-file (pre-commit) run (with `--with bicep`, also a staged Bicep module and a
staged `.bicepparam`). Results are printed as Markdown tables for BENCHMARKS.md.

How it measures:
- wall and CPU: the program is spawned directly (posix_spawn: no copy of this Python
  process); wall is the time from the spawn to `wait4`, CPU the `ru_utime + ru_stime`
  that `wait4` returns for the child;
- peak RSS: a separate run under GNU time (`/usr/bin/time -f %M`), the child's own
  high-water mark. (`ru_maxrss` of a child forked from this Python process would include
  the Python parent's resident set copied at fork, which Linux carries across exec: it
  reported ~10 MB for programs that use 7.)
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GNU_TIME = "/usr/bin/time"


def generator():
    shared = os.path.join(ROOT, "..", "shared", "bench", "gen_corpus.py")
    return os.path.abspath(shared) if os.path.exists(shared) else os.path.join(ROOT, "bench", "corpus", "gen_corpus.py")


def run_once(cmd):
    """Wall time (s) and CPU time (s) of one run of `cmd`, output discarded.

    Spawned with posix_spawn (vfork and exec), as scripts/precommit-bench.py does: a fork
    of this Python process would add the copy of its page tables, and the child's tearing
    them down at exec, to every run's wall and CPU time."""
    actions = [
        (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
        (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0),
    ]
    t = time.perf_counter()
    pid = os.posix_spawn(cmd[0], cmd, os.environ, file_actions=actions)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - t
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        sys.exit(f"{' '.join(cmd)} exited with {os.waitstatus_to_exitcode(status)}")
    return wall, usage.ru_utime + usage.ru_stime


def peak_rss(cmd, runs=3):
    """The child's own peak RSS in MiB (max over `runs` runs), measured by GNU time."""
    best = 0
    with tempfile.NamedTemporaryFile("r") as out:
        for _ in range(runs):
            subprocess.run([GNU_TIME, "-f", "%M", "-o", out.name] + cmd, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
            out.seek(0)
            kib = int(out.read().strip().splitlines()[-1])
            best = max(best, kib)
    return best / 1024


def paired(a, b, runs):
    """Run `a` and `b` alternately `runs` times (after one warm-up each)."""
    run_once(a)
    run_once(b)
    ra, rb = [], []
    for _ in range(runs):
        ra.append(run_once(a))
        rb.append(run_once(b))
    return ra, rb


def stats(runs):
    walls = [w for w, _ in runs]
    cpus = [c for _, c in runs]
    return statistics.median(walls), min(walls), statistics.median(cpus), min(cpus)


def corpus_for(scale, kinds):
    suffix = f"-{kinds.replace(',', '-')}" if kinds else ""
    corpus = os.path.join(ROOT, "target", f"bench-corpus-{scale}{suffix}")
    if not os.path.exists(os.path.join(corpus, "expected.json")):
        cmd = [sys.executable, generator(), "--out", corpus, "--scale", str(scale), "--seed", "7"]
        if kinds:
            cmd += ["--with", kinds]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return corpus


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scales", default="1000", help="comma list of corpus scales")
    ap.add_argument("--scale", type=int, help="one scale (same as --scales N)")
    ap.add_argument("--runs", type=int, default=11, help="paired runs per scale and part")
    ap.add_argument("--parts", default="all", help="comma list: all, tf, arm")
    ap.add_argument("--with", dest="kinds", default="", help="the generator's opt-in kinds (azapi, tofu, bicep)")
    ap.add_argument("--profile", default="dist",
                    help="the Cargo profile both programs are built with (dist: the shipped binaries')")
    ap.add_argument("--pgo", action="store_true",
                    help="profile-guided, as released (scripts/pgo.py; both programs, one profile)")
    ap.add_argument("--no-build", action="store_true", help="use the binaries already in target/PROFILE")
    ap.add_argument("--erlint", help="the erlint binary (default: target/PROFILE/erlint)")
    ap.add_argument("--floor", help="the parse-floor program (default: target/PROFILE/examples/parse_floor; "
                                    "an older build, to compare with the floor as it was)")
    ap.add_argument("--baseline", help="another erlint binary to pair against instead of the floor "
                                       "(e.g. a build of main: erlint's own gain, same method)")
    args = ap.parse_args()
    scales = [args.scale] if args.scale else [int(s) for s in args.scales.split(",")]

    built = os.path.join(ROOT, "target", args.profile)
    env = dict(os.environ)
    if args.pgo:
        if args.profile != "dist":
            sys.exit("--pgo builds the dist profile, as released")
        sys.path.insert(0, os.path.join(ROOT, "scripts"))
        import pgo
        built = os.path.join(ROOT, "target", "pgo-use", "dist")
        if not args.no_build:
            profile = pgo.profile(pgo.ROOT / "target" / "pgo" / "bench.profdata", with_floor=True)
            env = pgo.rustflags_with(env, f"-Cprofile-use={profile}")
            env["CARGO_TARGET_DIR"] = os.path.join(ROOT, "target", "pgo-use")
    if not args.no_build:
        subprocess.run(["cargo", "build", "--profile", args.profile, "--locked", "--bin", "erlint",
                        "--example", "parse_floor"], cwd=ROOT, env=env, check=True)
    erlint = args.erlint or os.path.join(built, "erlint")
    floor = args.floor or os.path.join(built, "examples", "parse_floor")
    base_name = "baseline" if args.baseline else "parse floor"
    cpu = subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], capture_output=True,
                         text=True).stdout.strip()
    print(f"machine: {os.cpu_count()} cores, {cpu}; load average {os.getloadavg()[0]:.1f} at start\n")
    print("| scale | part | program | wall median | wall min | CPU median | CPU min | peak RSS |")
    print("|---|---|---|---|---|---|---|---|")
    summary = []
    one_file = None
    for scale in scales:
        corpus = corpus_for(scale, args.kinds)
        one_file = one_file or (corpus, os.path.join(corpus, "tf", "0", "modules", "peering", "main.tf"))
        for part in args.parts.split(","):
            target = corpus if part == "all" else os.path.join(corpus, part)
            f_cmd = [args.baseline, target, "--format", "json"] if args.baseline else [floor, target]
            e_cmd = [erlint, target, "--format", "json"]
            fr, er = paired(f_cmd, e_cmd, args.runs)
            f_rss, e_rss = peak_rss(f_cmd), peak_rss(e_cmd)
            for name, runs, rss in ((base_name, fr, f_rss), ("erlint", er, e_rss)):
                wm, wn, cm, cn = stats(runs)
                print(f"| {scale} | {part} | {name} | {wm:.3f} s | {wn:.3f} s | {cm:.3f} s | {cn:.3f} s | {rss:.1f} MiB |")
            wall_ratio = statistics.median(e[0] / f[0] for e, f in zip(er, fr))
            cpu_ratio = statistics.median(e[1] / f[1] for e, f in zip(er, fr))
            fs, es = stats(fr), stats(er)
            summary.append((scale, part, wall_ratio, cpu_ratio, es[1] / fs[1], es[3] / fs[3]))
    print("\n| scale | part | wall ratio (median of pairs) | CPU ratio (median of pairs) | wall ratio (mins) | CPU ratio (mins) |")
    print("|---|---|---|---|---|---|")
    for scale, part, w, c, wmin, cmin in summary:
        print(f"| {scale} | {part} | {w:.2f}x | {c:.2f}x | {wmin:.2f}x | {cmin:.2f}x |")

    corpus, path = one_file
    runs = [run_once([erlint, path]) for _ in range(max(args.runs, 21))]
    wm, wn, cm, cn = stats(runs)
    rss = peak_rss([erlint, path])
    print(f"\none file (`erlint {os.path.relpath(path, corpus)}`, scale {scales[0]}): wall median {wm * 1000:.1f} ms, "
          f"min {wn * 1000:.1f} ms; CPU median {cm * 1000:.1f} ms; peak RSS {rss:.1f} MiB")
    if "bicep" in args.kinds.split(","):
        for rel in [os.path.join("bicep", "0", "modules", "peering.bicep"), os.path.join("bicep", "0", "main.bicepparam")]:
            runs = [run_once([erlint, os.path.join(corpus, rel)]) for _ in range(max(args.runs, 21))]
            wm, wn, cm, cn = stats(runs)
            rss = peak_rss([erlint, os.path.join(corpus, rel)])
            print(f"one file (`erlint {rel}`): wall median {wm * 1000:.1f} ms, min {wn * 1000:.1f} ms; "
                  f"CPU median {cm * 1000:.1f} ms; peak RSS {rss:.1f} MiB")


if __name__ == "__main__":
    main()
