#!/usr/bin/env python3
"""Latency of `erlint server`: from a `didChange` to the `publishDiagnostics` of that version.

    python3 scripts/lsp-latency.py [--scale 1000] [--runs 60] [--corpus DIR] [--no-build]

Builds the release binary, generates the benchmark corpus if needed (as scripts/bench.py
does), and finds its largest modules: the Terraform module directory and the ARM template
with the most bytes of files erlint reads. For each (and for the peering module two levels
below the largest root, whose callers are searched for), it starts `erlint server` with
the corpus root as the workspace, opens the file with its text from disk, then sends
`--runs` edits one at a time (a comment line added or removed at the end, a version each),
each as soon as the diagnostics of the previous one arrived, as an editor does while
someone types. It prints the median, 90th percentile and maximum of the time from writing
the change to reading its diagnostics, for BENCHMARKS.md.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
READ = (".tf", ".tf.json", ".tfvars", ".tfvars.json", ".tofu", ".tofu.json")


def generator():
    shared = os.path.join(ROOT, "..", "shared", "bench", "gen_corpus.py")
    return os.path.abspath(shared) if os.path.exists(shared) else os.path.join(ROOT, "bench", "corpus", "gen_corpus.py")


class Server:
    def __init__(self, binary, root):
        self.p = subprocess.Popen([binary, "server"], cwd=root, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.next_id = 0

    def send(self, msg):
        body = json.dumps(msg).encode()
        self.p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.p.stdin.flush()

    def read(self):
        length = None
        while True:
            line = self.p.stdout.readline()
            if not line:
                raise EOFError("the server ended")
            line = line.strip()
            if not line:
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        return json.loads(self.p.stdout.read(length))

    def request(self, method, params):
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        while True:
            m = self.read()
            if m.get("id") == self.next_id and "method" not in m:
                return m

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def diagnostics(self, uri, version):
        while True:
            m = self.read()
            p = m.get("params") or {}
            if m.get("method") == "textDocument/publishDiagnostics" and p.get("uri") == uri \
                    and p.get("version") == version:
                return p["diagnostics"]

    def stop(self):
        self.request("shutdown", None)
        self.notify("exit", None)
        return self.p.wait(timeout=30)


def largest(corpus):
    """The Terraform module directories with the most bytes erlint reads (with ExpressRoute
    resources, and without: the corpus's noise), and the largest ARM template."""
    tf_dirs, er_dirs, arm = {}, set(), []
    for dirpath, dirnames, filenames in os.walk(corpus):
        dirnames[:] = [d for d in dirnames if d not in (".terraform", "node_modules", ".git")]
        for f in filenames:
            path = os.path.join(dirpath, f)
            size = os.path.getsize(path)
            if f.endswith(READ):
                tf_dirs.setdefault(dirpath, []).append((size, path))
                with open(path, encoding="utf-8", errors="replace") as fh:
                    if "express_route" in fh.read():
                        er_dirs.add(dirpath)
            elif f.endswith(".json") and "parameters" not in f and dirpath != corpus:
                with open(path, encoding="utf-8", errors="replace") as fh:
                    head = fh.read(400).lower()
                if "deploymenttemplate.json" in head:
                    arm.append((size, path))
    size = lambda d: sum(s for s, _ in tf_dirs[d])
    er = max(er_dirs, key=size)
    other = max(set(tf_dirs) - er_dirs, key=size)
    return (er, size(er)), (other, size(other)), max(arm)


def main_file(d):
    return os.path.join(d, "main.tf")


def measure(binary, corpus, path, runs):
    server = Server(binary, corpus)
    root_uri = "file://" + corpus
    server.request("initialize", {"processId": os.getpid(), "rootUri": root_uri,
                                  "workspaceFolders": [{"uri": root_uri, "name": "corpus"}],
                                  "capabilities": {}})
    server.notify("initialized", {})
    uri = "file://" + path
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    json_file = path.endswith(".json")
    t = time.perf_counter()
    server.notify("textDocument/didOpen",
                  {"textDocument": {"uri": uri, "languageId": "json" if json_file else "terraform",
                                    "version": 1, "text": text}})
    first = server.diagnostics(uri, 1)
    opened = time.perf_counter() - t
    times = []
    for v in range(2, runs + 2):
        # JSON has no comments: whitespace at the end; HCL: a comment line.
        edit = ("\n" * (v % 2)) if json_file else (f"# edit {v}\n" if v % 2 else "")
        t = time.perf_counter()
        server.notify("textDocument/didChange",
                      {"textDocument": {"uri": uri, "version": v}, "contentChanges": [{"text": text + edit}]})
        diags = server.diagnostics(uri, v)
        times.append(time.perf_counter() - t)
        assert len(diags) == len(first), (v, diags, first)
    code = server.stop()
    assert code == 0, code
    return opened, times, len(first)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=60)
    ap.add_argument("--corpus", default=os.path.join(ROOT, "target", "bench-corpus"))
    ap.add_argument("--no-build", action="store_true")
    args = ap.parse_args()
    if not args.no_build:
        subprocess.run(["cargo", "build", "--release", "--locked", "--bin", "erlint"], cwd=ROOT, check=True)
    corpus = os.path.abspath(f"{args.corpus}-{args.scale}")
    if not os.path.exists(os.path.join(corpus, "expected.json")):
        subprocess.run([sys.executable, generator(), "--out", corpus, "--scale", str(args.scale)], check=True)
    binary = os.path.join(ROOT, "target", "release", "erlint")
    (er, er_bytes), (other, other_bytes), (arm_bytes, arm) = largest(corpus)
    module = os.path.join(er, "modules", "peering", "main.tf")
    biggest = max((os.path.getsize(os.path.join(er, f)), os.path.join(er, f))
                  for f in os.listdir(er) if f.endswith(READ))[1]
    rel = lambda p: os.path.relpath(p, corpus)
    targets = [
        (f"`{rel(main_file(er))}`: the largest Terraform module with ExpressRoute (`{rel(er)}`, "
         f"{er_bytes // 1024} KB)", main_file(er)),
        (f"`{rel(biggest)}`: its largest file", biggest),
        (f"`{rel(module)}`: the module it calls (callers searched)", module),
        (f"`{rel(arm)}`: the largest ARM template ({arm_bytes // 1024} KB)", arm),
        (f"`{rel(main_file(other))}`: the largest module without ExpressRoute (`{rel(other)}`, "
         f"{other_bytes // 1024} KB)", main_file(other)),
    ]
    print(f"machine: {os.cpu_count()} cores; corpus: scale {args.scale} ({corpus}); {args.runs} edits each\n")
    print("| file edited | didOpen → diagnostics | didChange → diagnostics: median | p90 | max | findings in the file |")
    print("|---|---|---|---|---|---|")
    for label, path in targets:
        if not os.path.exists(path):
            continue
        opened, times, n = measure(binary, corpus, path, args.runs)
        times.sort()
        p90 = times[min(len(times) - 1, int(len(times) * 0.9))]
        print(f"| {label} | {opened * 1000:.1f} ms | {statistics.median(times) * 1000:.1f} ms | "
              f"{p90 * 1000:.1f} ms | {times[-1] * 1000:.1f} ms | {n} |")


if __name__ == "__main__":
    main()
