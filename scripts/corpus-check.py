#!/usr/bin/env python3
"""Check erlint against the benchmark corpus: every injected finding (rule, file, line) must
be reported, and nothing else from ER1xx-ER3xx.

    python3 scripts/corpus-check.py [--scale 100] [--with bicep,azapi,tofu] [--erlint target/release/erlint] [--keep DIR]

Generates the corpus with the benchmark generator (../shared/bench/gen_corpus.py when it
exists, else the vendored copy in bench/), runs `erlint DIR --format json`, and compares.
Exit status 0 when they match exactly, 1 otherwise (the differences are printed).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def generator():
    shared = os.path.join(ROOT, "..", "shared", "bench", "gen_corpus.py")
    if os.path.exists(shared):
        return os.path.abspath(shared)
    return os.path.join(ROOT, "bench", "corpus", "gen_corpus.py")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=int, default=100)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--with", dest="kinds", default="",
                    help="the generator's opt-in kinds, a comma list (azapi, tofu, bicep)")
    ap.add_argument("--erlint", default=os.path.join(ROOT, "target", "release", "erlint"))
    ap.add_argument("--keep", help="generate into this directory (reused if it already has expected.json)")
    args = ap.parse_args()

    tmp = None
    out = args.keep
    if out is None:
        tmp = tempfile.TemporaryDirectory()
        out = tmp.name
    if not os.path.exists(os.path.join(out, "expected.json")):
        cmd = [sys.executable, generator(), "--out", out, "--scale", str(args.scale), "--seed", str(args.seed)]
        if args.kinds:
            cmd += ["--with", args.kinds]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(out, "expected.json")) as f:
        expected = json.load(f)["findings"]

    proc = subprocess.run([args.erlint, out, "--format", "json"], capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        print(f"erlint exited {proc.returncode}:\n{proc.stderr}", file=sys.stderr)
        return 1
    report = json.loads(proc.stdout)

    def rel(path):
        return os.path.relpath(os.path.join(os.getcwd(), path) if not os.path.isabs(path) else path, out)

    want = {(e["rule"], e["file"], e["line"]) for e in expected}
    got = {(d["code"], rel(d["file"]), d["start"]["line"]) for d in report["diagnostics"]
           if d["code"][:3] in ("ER1", "ER2", "ER3")}
    other = [d for d in report["diagnostics"] if d["code"][:3] not in ("ER1", "ER2", "ER3")]

    missing = sorted(want - got)
    extra = sorted(got - want)
    for m in missing:
        print("missing:   %s %s:%d" % m)
    for x in extra:
        print("unexpected: %s %s:%d" % x)
    for d in other:
        print("other:     %s %s:%d %s" % (d["code"], rel(d["file"]), d["start"]["line"], d["message"]))
    ok = not missing and not extra and not [d for d in other if d["severity"] != "info"]
    print("corpus %s: %d expected, %d reported (ER1xx-ER3xx), %d missing, %d unexpected, %d other; %s"
          % (os.path.basename(out.rstrip("/")), len(want), len(got), len(missing), len(extra), len(other),
             "OK" if ok else "MISMATCH"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
