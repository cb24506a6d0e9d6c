#!/usr/bin/env python3
"""The hostile-input table of BENCHMARKS.md (issue 16): each input of tests/hostile.rs
(and a few larger ones), run through a built erlint; wall time, peak RSS, exit code and
the first finding that answers the input.

    cargo build --release && python3 scripts/hostile-table.py [target/release/erlint]
"""

import json
import os
import resource
import subprocess
import sys
import tempfile
import time

ONE_SESSION = (
    'resource "azurerm_express_route_circuit_peering" "p" {\n'
    '  peering_type                = "AzurePrivatePeering"\n'
    '  express_route_circuit_name  = "erc"\n'
    '  resource_group_name         = "rg"\n'
    "  peer_asn                    = 65010\n"
    "  vlan_id                     = 100\n"
    '  primary_peer_address_prefix = "10.0.0.0/30"\n'
    "}\n"
)
CIRCUIT = 'resource "azurerm_express_route_circuit" "c" {\n  name = "c"\n}\n'
MODULE = 'variable "x" {}\noutput "out" { value = "v" }\n'
ARM = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"


def laughs(n):
    s = 'locals {\n  b0 = ["x"]\n'
    for i in range(1, n + 1):
        s += f"  b{i} = [local.b{i-1}, local.b{i-1}]\n"
    return s + '}\nresource "azurerm_express_route_circuit" "c" {\n  name = "c"\n  tags = { a = jsonencode(local.b%d) }\n}\n' % n


def chain(n):
    s = "locals {\n" + "".join(f"  l{i} = local.l{i-1}\n" for i in range(n, 0, -1))
    return s + '  l0 = "x"\n}\n' + ONE_SESSION


def arm_laughs():
    v = {"b0": "[createArray('x')]", "s0": "x" * 16}
    for i in range(1, 41):
        v[f"b{i}"] = f"[createArray(variables('b{i-1}'), variables('b{i-1}'))]"
        v[f"s{i}"] = f"[concat(variables('s{i-1}'), variables('s{i-1}'))]"
    t = {"$schema": ARM, "contentVersion": "1.0.0.0", "variables": v, "resources": [{
        "type": "Microsoft.Network/expressRouteCircuits", "apiVersion": "2023-09-01", "name": "c",
        "location": "westeurope", "tags": {"a": "[string(variables('b40'))]", "b": "[variables('s40')]"},
        "properties": {"serviceProviderProperties": {"serviceProviderName": "Equinix",
                                                     "peeringLocation": "Amsterdam", "bandwidthInMbps": 50}}}]}
    return json.dumps(t, indent=1)


def arm_copy():
    t = {"$schema": ARM, "contentVersion": "1.0.0.0", "resources": [
        {"type": "Microsoft.Network/expressRouteCircuits/peerings", "apiVersion": "2023-09-01",
         "name": "[concat('c/p', copyIndex())]", "copy": {"name": "p", "count": 800},
         "properties": {"peeringType": "AzurePrivatePeering", "peerASN": 65010, "vlanId": 100,
                        "primaryPeerAddressPrefix": "10.0.0.0/30", "secondaryPeerAddressPrefix": "10.0.0.4/30"}},
        {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01",
         "name": "[concat('v', copyIndex())]", "copy": {"name": "v", "count": 800}, "location": "westeurope",
         "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}}}]}
    return json.dumps(t, indent=1)


def arm_many():
    loops = [{"type": "Microsoft.Network/expressRouteCircuits", "apiVersion": "2023-09-01",
              "name": f"[concat('c{i}-', copyIndex())]", "location": "westeurope",
              "copy": {"name": f"l{i}", "count": 800}} for i in range(64)]
    return json.dumps({"$schema": ARM, "contentVersion": "1.0.0.0", "resources": loops})


def dynamic3():
    return ('resource "azurerm_express_route_circuit" "c" {\n  name = "c"\n'
            '  dynamic "a" {\n    for_each = range(1000)\n    content {\n'
            '      dynamic "b" {\n        for_each = range(1000)\n        content {\n'
            '          dynamic "c" {\n            for_each = range(1000)\n            content { v = "x" }\n'
            "          }\n        }\n      }\n    }\n  }\n}\n")


def doubling():
    s = 'locals {\n  s0 = "xxxxxxxxxxxxxxxx"\n  l0 = ["x"]\n'
    for i in range(1, 41):
        s += f'  s{i} = "${{local.s{i-1}}}${{local.s{i-1}}}"\n  l{i} = concat(local.l{i-1}, local.l{i-1})\n'
    return s + "}\n" + CIRCUIT


CASES = [
    # (name, files, args)
    ("module reads its own output", {"main.tf": 'module "a" {\n  source = "./m"\n  x      = module.a.out\n}\n', "m/main.tf": MODULE}, ["."]),
    ("two modules read each other", {"main.tf": 'module "a" {\n  source = "./m"\n  x      = module.b.out\n}\nmodule "b" {\n  source = "./m"\n  x      = module.a.out\n}\n', "m/main.tf": MODULE}, ["."]),
    ("`count = module.a[0].out`", {"main.tf": 'module "a" {\n  source = "./m"\n  count  = module.a[0].out\n  x      = 1\n}\n', "m/main.tf": MODULE}, ["."]),
    ("locals in a cycle", {"main.tf": 'locals {\n  a = local.b\n  b = local.a\n}\n' + CIRCUIT}, ["."]),
    ("5,000 chained locals (reverse order), 4 units in parallel", {f"{u}/main.tf": chain(5000) for u in "abcd"}, ["."]),
    ("billion laughs, 40 levels of locals + `jsonencode`", {"main.tf": laughs(40)}, ["."]),
    ("string and list doubling, 40 levels", {"main.tf": doubling()}, ["."]),
    ("three nested `for` over `range(1000)`", {"main.tf": 'locals {\n  x = [for a in range(1000) : [for b in range(1000) : [for c in range(1000) : "${a}${b}${c}"]]]\n}\n' + CIRCUIT}, ["."]),
    ("three nested `dynamic` over `range(1000)`", {"main.tf": dynamic3()}, ["."]),
    ("module fan-out 10,000 × 10,000 × 10,000", {"main.tf": 'module "m" {\n  source = "./m"\n  count  = 10000\n}\n', "m/main.tf": 'module "n" {\n  source = "../n"\n  count  = 10000\n}\n', "n/main.tf": 'resource "azurerm_express_route_circuit" "c" {\n  count = 10000\n  name  = "c"\n}\n'}, ["."]),
    ("ARM billion laughs (`createArray`, `concat`)", {"t.json": arm_laughs()}, ["."]),
    ("ARM 800 peerings × 800 virtual networks (ER305)", {"t.json": arm_copy()}, ["."]),
    ("10,000 peerings and a VNet (ER305)", {"main.tf": 'resource "azurerm_virtual_network" "v" {\n  name = "v"\n  address_space = ["10.0.0.0/16"]\n}\n' + ONE_SESSION.replace('  peering_type', '  count = 10000\n  peering_type')}, ["."]),
    ("100 KB provider name × 20 (did you mean)", {"main.tf": 'resource "azurerm_express_route_circuit" "c" {\n  count = 20\n  name = "c"\n  service_provider_name = join("", flatten([for i in range(100) : [for j in range(125) : "Equinix "]]))\n  peering_location = "Amsterdam"\n  bandwidth_in_mbps = 50\n}\n'}, ["."]),
    ("finding at column 70,032 (human output)", {"main.tf": 'resource "azurerm_express_route_circuit_peering" "p" {\n  peering_type = "AzurePrivatePeering"\n  primary_peer_address_prefix =' + " " * 70000 + '"10.0.0.0/31"\n}\n'}, ["--format", "human", "."]),
    ('`format("%.65536f", 1)`', {"main.tf": ONE_SESSION + 'resource "azurerm_express_route_circuit" "c" {\n  service_provider_name = substr(format("%.65536f", 1), 0, 4)\n}\n'}, ["."]),
    ("ARM zero pattern of 65,536 zeros", {"t.json": json.dumps({"$schema": ARM, "resources": [{"type": "Microsoft.Network/expressRouteCircuits", "name": "c", "properties": {"serviceProviderProperties": {"serviceProviderName": "[substring(format('{0:" + "0" * 65536 + "}', 1), 0, 4)]"}}}]})}, ["."]),
    ("`count = 20000`", {"main.tf": ONE_SESSION.replace('  peering_type', '  count = 20000\n  peering_type')}, ["."]),
    ("ARM 64 copy loops of 800 (51,200 resources)", {"t.json": arm_many()}, ["--select", "ER0", "."]),
    ("module calls 40 deep, defect at the bottom", dict([("main.tf", 'module "m" {\n  source = "./m0"\n}\n')] + [(f"m{i}/main.tf", f'module "m" {{\n  source = "../m{i+1}"\n}}\n') for i in range(40)] + [("m40/main.tf", ONE_SESSION)]), ["."]),
    ("module calls 200 deep", dict([("main.tf", 'module "m" {\n  source = "./m0"\n}\n')] + [(f"m{i}/main.tf", f'module "m" {{\n  source = "../m{i+1}"\n}}\n') for i in range(200)] + [("m200/main.tf", ONE_SESSION)]), ["."]),
    ("nesting 256 levels (a block, 255 lists), read", {"main.tf": "locals { x = " + "[" * 255 + "1" + "]" * 255 + " }\n" + ONE_SESSION}, ["."]),
    ("nesting 300 levels (Terraform accepts it)", {"main.tf": "locals { x = " + "[" * 300 + "1" + "]" * 300 + " }\n" + CIRCUIT}, ["."]),
    ("control characters in a value (github output)", {"main.tf": 'resource "azurerm_express_route_circuit" "c" {\n  service_provider_name = "A\\u001b[2K\\r::error::forged\\u0007"\n  peering_location = "Amsterdam"\n  bandwidth_in_mbps = 50\n}\n'}, ["--format", "github", "."]),
]


def run(binary, d, args):
    start = time.monotonic()
    p = subprocess.Popen([binary, *args], cwd=d, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         env={**os.environ, "NO_COLOR": "1"})
    out, err = p.communicate()
    took = time.monotonic() - start
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return took, rss, p.returncode, out.decode(errors="replace"), err.decode(errors="replace")


def main():
    binary = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "target/release/erlint")
    print("| input | time | peak RSS | exit | what is printed |")
    print("|---|---|---|---|---|")
    for name, files, args in CASES:
        with tempfile.TemporaryDirectory() as d:
            for path, text in files.items():
                full = os.path.join(d, path)
                os.makedirs(os.path.dirname(full), exist_ok=True)
                with open(full, "w") as f:
                    f.write(text)
            # ru_maxrss of children is the largest so far: run each case in its own child.
            r = subprocess.run([sys.executable, __file__, "--one", binary, d, json.dumps(args)],
                               capture_output=True, text=True)
            took, rss, code, first = json.loads(r.stdout)
            print(f"| {name} | {took:.2f} s | {rss // 1024} MB | {code} | {first} |")


def one(binary, d, args):
    took, rss, code, out, err = run(binary, d, ["--format", "compact", *args] if "--format" not in args else args)
    lines = [l for l in out.splitlines() if " ER1" not in l and " ER207 " not in l]
    pick = next((l for l in lines if any(c in l for c in (" ER000 ", " ER001 ", " ER005 "))), None)
    pick = pick or next((l for l in lines if " ER" in l), None) or (lines[0] if lines else err.strip()[:120])
    pick = pick.replace("|", "\\|")
    if len(pick) > 160:
        pick = pick[:157] + "…"
    print(json.dumps([took, rss, code, pick]))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--one":
        one(sys.argv[2], sys.argv[3], json.loads(sys.argv[4]))
    else:
        main()
