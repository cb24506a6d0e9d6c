#!/usr/bin/env python3
"""Time the pre-commit case of a module whose callers are far away, in a big repository.

    python3 scripts/precommit-bench.py [--files 36000] [--runs 21] [--out DIR] [--erlint PATH]

Generates (once, deterministically) a git repository of `--files` Terraform files:
`stacks/sNNNN/` roots (provider, backend, a module call to their own `modules/net`) with
their `modules/net/` module, three files each, and one module `modules/er/` (an
ExpressRoute circuit and its peering) called only from four roots far from it,
`regions/<region>/prod/connectivity/`, each through `../../../../modules/er`. Then it runs
`erlint modules/er/main.tf` (or `--named FILE`) from the repository root, as a pre-commit
hook does:

- cold: the callers cache (`.erlint_cache/`) removed before each run;
- warm: the cache left by the previous run;
- no cache: `--no-cache`;
- each again with `--callers-from-index` (the bundled pre-commit hook's option): the files
  taken from git's index, the cache keyed by their contents' ids (`.erlint_cache/blobs`).

Each case is run --runs times (interleaved, after one warm-up run of each, with the page
cache warm); the median and minimum wall time (fork to `wait4`) and CPU time (user +
system, from `wait4`; and the median user and system times apart) are printed, next to two programs that touch every file the same
way, for comparison: `find -name '*.tf' -printf '%s %T@'` (a listing per directory and a
stat per file), `git status` (git's check of its index against the work tree) and
`git ls-files --stage` (a read of the index). The findings of the three
cases must be the same (checked), and must include the module's finding reported with
its four callers.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REGIONS = ["westeurope", "northeurope", "eastus2", "southeastasia"]

ROOT_MAIN = """terraform {{
  backend "azurerm" {{
    key = "s{i}.tfstate"
  }}
}}

provider "azurerm" {{
  features {{}}
  subscription_id = "00000000-0000-0000-0000-{i:012d}"
}}

resource "azurerm_resource_group" "rg" {{
  name     = "rg-s{i}"
  location = var.location
}}

module "net" {{
  source              = "./modules/net"
  resource_group_name = azurerm_resource_group.rg.name
  location            = var.location
  address_space       = ["10.{a}.{b}.0/24"]
}}
"""

ROOT_VARIABLES = """variable "location" {
  type    = string
  default = "westeurope"
}

variable "tags" {
  type    = map(string)
  default = {}
}
"""

ROOT_OUTPUTS = """output "vnet_id" {
  value = module.net.vnet_id
}
"""

NET_MAIN = """resource "azurerm_virtual_network" "vnet" {
  name                = "vnet-${var.resource_group_name}"
  location            = var.location
  resource_group_name = var.resource_group_name
  address_space       = var.address_space
}

resource "azurerm_subnet" "default" {
  name                 = "default"
  resource_group_name  = var.resource_group_name
  virtual_network_name = azurerm_virtual_network.vnet.name
  address_prefixes     = [cidrsubnet(var.address_space[0], 2, 0)]
}

resource "azurerm_network_security_group" "nsg" {
  name                = "nsg-default"
  location            = var.location
  resource_group_name = var.resource_group_name
}
"""

NET_VARIABLES = """variable "resource_group_name" {
  type = string
}

variable "location" {
  type = string
}

variable "address_space" {
  type = list(string)
}
"""

NET_OUTPUTS = """output "vnet_id" {
  value = azurerm_virtual_network.vnet.id
}
"""

ER_MAIN = """resource "azurerm_express_route_circuit" "er" {
  name                  = var.name
  resource_group_name   = var.resource_group_name
  location              = var.location
  service_provider_name = "Equinix"
  peering_location      = "Amsterdam"
  bandwidth_in_mbps     = 1000

  sku {
    tier   = "Standard"
    family = "MeteredData"
  }
}

resource "azurerm_express_route_circuit_peering" "private" {
  peering_type                  = "AzurePrivatePeering"
  express_route_circuit_name    = azurerm_express_route_circuit.er.name
  resource_group_name           = var.resource_group_name
  peer_asn                      = 65010
  primary_peer_address_prefix   = var.primary_prefix
  secondary_peer_address_prefix = var.primary_prefix
  vlan_id                       = var.vlan_id
}
"""

ER_VARIABLES = """variable "name" {
  type = string
}

variable "resource_group_name" {
  type = string
}

variable "location" {
  type = string
}

variable "primary_prefix" {
  type = string
}

variable "vlan_id" {
  type = number
}
"""

ER_OUTPUTS = """output "circuit_id" {
  value = azurerm_express_route_circuit.er.id
}
"""

CALLER_MAIN = """provider "azurerm" {{
  features {{}}
  subscription_id = "11111111-1111-1111-1111-{n:012d}"
}}

module "er" {{
  source              = "../../../../modules/er"
  name                = "er-{region}"
  resource_group_name = "rg-er-{region}"
  location            = "{region}"
  primary_prefix      = "192.168.{n}.0/30"
  vlan_id             = {vlan}
}}
"""


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def generate(out, files):
    stacks = (files - 3 - len(REGIONS)) // 6
    for i in range(stacks):
        d = os.path.join(out, "stacks", f"s{i:05d}")
        write(os.path.join(d, "main.tf"), ROOT_MAIN.format(i=i, a=(i // 256) % 256, b=i % 256))
        write(os.path.join(d, "variables.tf"), ROOT_VARIABLES)
        write(os.path.join(d, "outputs.tf"), ROOT_OUTPUTS)
        write(os.path.join(d, "modules", "net", "main.tf"), NET_MAIN)
        write(os.path.join(d, "modules", "net", "variables.tf"), NET_VARIABLES)
        write(os.path.join(d, "modules", "net", "outputs.tf"), NET_OUTPUTS)
    write(os.path.join(out, "modules", "er", "main.tf"), ER_MAIN)
    write(os.path.join(out, "modules", "er", "variables.tf"), ER_VARIABLES)
    write(os.path.join(out, "modules", "er", "outputs.tf"), ER_OUTPUTS)
    for n, region in enumerate(REGIONS):
        d = os.path.join(out, "regions", region, "prod", "connectivity")
        write(os.path.join(d, "main.tf"), CALLER_MAIN.format(n=n, region=region, vlan=100 + n))
    write(os.path.join(out, ".gitignore"), ".erlint_cache/\n")
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com"]
    subprocess.run(git + ["init", "-q", out], check=True)
    subprocess.run(git + ["-C", out, "add", "-A"], check=True)
    subprocess.run(git + ["-C", out, "commit", "-q", "-m", "generated"], check=True)
    return stacks * 6 + 3 + len(REGIONS)


def run(cmd, cwd):
    """Wall time (spawn to wait4), CPU time (user and system, from wait4) and output of `cmd`.

    Spawned with posix_spawn (vfork and exec): a fork of this Python process would add its
    own page-table copy, several milliseconds here, to every run's wall time."""
    out = tempfile.TemporaryFile()
    actions = [
        (os.POSIX_SPAWN_DUP2, out.fileno(), 1),
        (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0),
    ]
    here = os.getcwd()
    os.chdir(cwd)
    try:
        t = time.perf_counter()
        pid = os.posix_spawn(cmd[0], cmd, os.environ, file_actions=actions)
        _, status, usage = os.wait4(pid, 0)
        wall = time.perf_counter() - t
    finally:
        os.chdir(here)
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        sys.exit(f"{' '.join(cmd)} exited with {code}")
    out.seek(0)
    stdout = out.read().decode()
    # The summary line ends with the run's duration.
    return wall, (usage.ru_utime, usage.ru_stime), re.sub(r"; [0-9.]+m?s$", "", stdout.strip())


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", type=int, default=36000)
    ap.add_argument("--runs", type=int, default=21)
    ap.add_argument("--out", help="the repository (default: target/precommit-repo-FILES)")
    ap.add_argument("--erlint", default=os.path.join(ROOT, "target", "dist", "erlint"),
                    help="the erlint binary (default: the shipped build's, `cargo build --profile dist`)")
    ap.add_argument("--cases", default="cold,warm,no cache,cold, from the index,warm, from the index,"
                    "no cache, from the index",
                    help="comma list of cold, warm, no cache (an erlint without the cache: plain), and "
                         "each of the three followed by ', from the index' (--callers-from-index, as the "
                         "pre-commit hook runs)")
    ap.add_argument("--named", default=os.path.join("modules", "er", "main.tf"),
                    help="the file named, relative to the repository (default: the far-called module; "
                         "stacks/s00000/main.tf is a root, stacks/s00000/modules/net/main.tf a module "
                         "called from the directory above)")
    ap.add_argument("--prime", action="store_true",
                    help="first fill the cache with the whole repository (a far-caller search); "
                         "use with --cases warm,no cache")
    ap.add_argument("--no-floors", dest="floors", action="store_false",
                    help="do not time `find` and `git status` on the repository for comparison")
    ap.add_argument("--stat-floor", metavar="BINARY",
                    help="also time scripts/stat-floor.c (built as BINARY): one statx per directory "
                         "and per .tf file of the repository, by absolute path, relative to the "
                         "top directory, and relative on two threads; and the cold search's read "
                         "floor (open, one read, close of one file per content, two threads)")
    args = ap.parse_args()
    out = os.path.abspath(args.out or os.path.join(ROOT, "target", f"precommit-repo-{args.files}"))
    if not os.path.exists(os.path.join(out, ".git")):
        n = generate(out, args.files)
        print(f"generated {out}: {n} .tf files")
    erlint = os.path.abspath(args.erlint)
    named = args.named
    cache = os.path.join(out, ".erlint_cache")
    all_cases = {
        "cold": [erlint, named, "--format", "compact"],
        "warm": [erlint, named, "--format", "compact"],
        "no cache": [erlint, named, "--format", "compact", "--no-cache"],
        "plain": [erlint, named, "--format", "compact"],
        "cold, from the index": [erlint, named, "--format", "compact", "--callers-from-index"],
        "warm, from the index": [erlint, named, "--format", "compact", "--callers-from-index"],
        "no cache, from the index": [erlint, named, "--format", "compact", "--callers-from-index", "--no-cache"],
    }
    names = re.split(r",(?! )", args.cases)
    cases = {c: all_cases[c] for c in names}
    # What touching every file costs on this machine, for comparison: `find` taking each
    # `.tf` file's size and time (one stat per file, one listing per directory), and
    # `git status` (git's index check: the same, with git's own cache).
    floors = {
        "find -name '*.tf' (stat each)": ["/usr/bin/find", ".", "-name", "*.tf", "-printf", "%s %T@\n"],
        "git status --porcelain": [shutil.which("git"), "status", "--porcelain"],
        "git ls-files --stage (reads the index)": [shutil.which("git"), "ls-files", "--stage"],
    } if args.floors else {}
    if args.stat_floor:
        # The directories the warm run checks (all but `.git` and the cache) and the `.tf`
        # files, relative to the top.
        lists = tempfile.mkdtemp()
        dirs, files = [], []
        for d, sub, names in os.walk(out):
            sub[:] = sorted(s for s in sub if s not in (".git", ".erlint_cache"))
            rel = os.path.relpath(d, out)
            rel = "" if rel == "." else rel
            dirs.append(rel)
            files.extend(os.path.join(rel, n) for n in sorted(names) if n.endswith(".tf"))
        for name, items in (("dirs", dirs), ("files", files)):
            with open(os.path.join(lists, name), "w") as f:
                f.write("".join(i + "\n" for i in items))
        floor = os.path.abspath(args.stat_floor)
        for mode, label in (("abs", "absolute"), ("rel", "relative"), ("rel2", "relative, 2 threads")):
            floors[f"stat floor, {label} ({len(dirs) + len(files)} statx)"] = [
                floor, mode, os.path.join(lists, "dirs"), os.path.join(lists, "files")]
        # The cold search's read floor: one file per content the index holds (the first
        # path of each, as the search reads them), opened, read and closed on two threads.
        first = {}
        staged = subprocess.run(["git", "ls-files", "-s", "-z"], cwd=out, capture_output=True,
                                check=True).stdout.decode()
        for entry in staged.split("\0"):
            meta, _, path = entry.partition("\t")
            if path.endswith(".tf") and len(meta.split()) == 3:
                first.setdefault(meta.split()[1], path)
        with open(os.path.join(lists, "contents"), "w") as f:
            f.write("".join(p + "\n" for p in first.values()))
        floors[f"read floor, one file per content, 2 threads ({len(first)} files)"] = [
            floor, "read2", os.path.join(lists, "contents")]
    if args.prime:
        # The cache of the whole repository, as a far caller's search leaves it (twice:
        # the second run caches what was too recent in the first, `.erlint_cache/` itself).
        for _ in range(2):
            run([erlint, os.path.join("modules", "er", "main.tf")], out)
            time.sleep(2.1)
    times = {k: [] for k in list(cases) + list(floors)}
    outputs = {}
    for i in range(args.runs + 1):
        for case, cmd in cases.items():
            if case.startswith("cold"):
                shutil.rmtree(cache, ignore_errors=True)
            wall, cpu, stdout = run(cmd, out)
            if i > 0:
                times[case].append((wall, cpu))
            outputs.setdefault(case, stdout)
            if outputs[case] != stdout:
                sys.exit(f"{case}: the output changed between runs")
        for case, cmd in floors.items():
            wall, cpu, _ = run(cmd, out)
            if i > 0:
                times[case].append((wall, cpu))
    first = next(iter(outputs.values()))
    for case, stdout in outputs.items():
        if stdout != first:
            sys.exit(f"{case}: output differs from the first case's:\n{stdout}\n---\n{first}")
    if named == os.path.join("modules", "er", "main.tf") and first.count(named) == 0:
        sys.exit(f"the module's finding is missing:\n{first}")
    print(f"repository: {out}")
    print(f"findings (the same in every case):\n{first}")
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    print("| case | wall median | wall min | CPU median | CPU min | user median | system median |")
    print("|---|---|---|---|---|---|---|")
    ms = lambda xs, f: f"{f(xs) * 1000:.1f} ms"
    for case, runs in times.items():
        walls = [w for w, _ in runs]
        cpus = [u + s for _, (u, s) in runs]
        users = [u for _, (u, _) in runs]
        systems = [s for _, (_, s) in runs]
        print(f"| {case} | {ms(walls, statistics.median)} | {ms(walls, min)} "
              f"| {ms(cpus, statistics.median)} | {ms(cpus, min)} "
              f"| {ms(users, statistics.median)} | {ms(systems, statistics.median)} |")


if __name__ == "__main__":
    main()
