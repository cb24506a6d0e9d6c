#!/usr/bin/env python3
"""Benchmark erlint against the parse floor on the benchmark corpus.

    python3 scripts/bench.py [--scale 1000] [--runs 7] [--corpus DIR] [--with bicep]

Builds the release binary and the parse-floor example (`examples/parse_floor.rs`: the
same walk, the same files read once and parsed with the same parsers, nothing else),
generates the corpus if needed, then runs each program --runs times and reports the
median and minimum wall time, erlint / floor, peak RSS, and the one-file (pre-commit)
run (with `--with bicep`, also a staged Bicep module and a staged `.bicepparam`). Results
are printed as a Markdown table for BENCHMARKS.md.
"""
import argparse
import os
import resource
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def generator():
    shared = os.path.join(ROOT, "..", "shared", "bench", "gen_corpus.py")
    return os.path.abspath(shared) if os.path.exists(shared) else os.path.join(ROOT, "bench", "corpus", "gen_corpus.py")


def timed(cmd, runs):
    """Median and min wall time (s) and peak RSS (MB) of `cmd` over `runs` runs."""
    walls, rss = [], 0
    for _ in range(runs):
        t = time.perf_counter()
        pid = os.fork()
        if pid == 0:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            os.execv(cmd[0], cmd)
        _, status, usage = os.wait4(pid, 0)
        walls.append(time.perf_counter() - t)
        rss = max(rss, usage.ru_maxrss / 1024)
    return statistics.median(walls), min(walls), rss


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--corpus", default=os.path.join(ROOT, "target", "bench-corpus"))
    ap.add_argument("--with", dest="kinds", default="", help="opt-in kinds of the generator (e.g. bicep)")
    args = ap.parse_args()

    subprocess.run(["cargo", "build", "--release", "--locked", "--bin", "erlint", "--example", "parse_floor"],
                   cwd=ROOT, check=True)
    suffix = "-" + args.kinds.replace(",", "-") if args.kinds else ""
    corpus = f"{args.corpus}-{args.scale}{suffix}"
    if not os.path.exists(os.path.join(corpus, "expected.json")):
        cmd = [sys.executable, generator(), "--out", corpus, "--scale", str(args.scale)]
        if args.kinds:
            cmd += ["--with", args.kinds]
        subprocess.run(cmd, check=True)
    erlint = os.path.join(ROOT, "target", "release", "erlint")
    floor = os.path.join(ROOT, "target", "release", "examples", "parse_floor")
    one_file = os.path.join(corpus, "tf", "0", "modules", "peering", "main.tf")

    # Warm the page cache once, then alternate the two programs so that drift in the
    # machine's speed (a shared VM) affects both alike.
    timed([floor, corpus], 1)
    timed([erlint, corpus, "--format", "json"], 1)
    fw, ew, f_rss, e_rss = [], [], 0, 0
    for _ in range(args.runs):
        med, _, rss = timed([floor, corpus], 1)
        fw.append(med)
        f_rss = max(f_rss, rss)
        med, _, rss = timed([erlint, corpus, "--format", "json"], 1)
        ew.append(med)
        e_rss = max(e_rss, rss)
    f_med, f_min = statistics.median(fw), min(fw)
    e_med, e_min = statistics.median(ew), min(ew)
    ratios = sorted(e / f for e, f in zip(ew, fw))
    o_med, o_min, o_rss = timed([erlint, one_file], max(args.runs, 20))
    cpu = subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], capture_output=True,
                         text=True).stdout.strip()
    print(f"machine: {os.cpu_count()} cores, {cpu}")
    print(f"corpus: scale {args.scale} ({corpus})\n")
    print("| run | median | min | peak RSS |")
    print("|---|---|---|---|")
    print(f"| parse floor (`examples/parse_floor`) | {f_med:.3f} s | {f_min:.3f} s | {f_rss:.0f} MB |")
    print(f"| `erlint DIR --format json` | {e_med:.3f} s | {e_min:.3f} s | {e_rss:.0f} MB |")
    print(f"| one file (`erlint tf/0/modules/peering/main.tf`) | {o_med * 1000:.1f} ms | {o_min * 1000:.1f} ms | {o_rss:.0f} MB |")
    if "bicep" in args.kinds.split(","):
        for rel in [os.path.join("bicep", "0", "modules", "peering.bicep"), os.path.join("bicep", "0", "main.bicepparam")]:
            b_med, b_min, b_rss = timed([erlint, os.path.join(corpus, rel)], max(args.runs, 20))
            print(f"| one file (`erlint {rel}`) | {b_med * 1000:.1f} ms | {b_min * 1000:.1f} ms | {b_rss:.0f} MB |")
    print(f"\nerlint / parse floor: {e_med / f_med:.2f}x (medians), {e_min / f_min:.2f}x (minimums), "
          f"{statistics.median(ratios):.2f}x (median of paired runs)")


if __name__ == "__main__":
    main()
