#!/usr/bin/env python3
"""Build rules/catalog.json, erlint's bundled ExpressRoute catalogue.

Usage: python3 scripts/build-catalog.py [--sources DIR] [-o OUTPUT] [--check]

The input is the Microsoft Learn pages saved verbatim in scripts/catalog-sources/
(listed, with their commit and ms.date, in its sources.json). The script parses their
Markdown tables and applies the editorial decisions written below (spellings, folds of
one-off names, exchange names, typo fixes), each with its reason. Standard library only.
The output is deterministic: lists sorted, keys sorted, the same input gives the same
bytes. `--check` rebuilds in memory and fails when OUTPUT differs (used by the tests).

To refresh: save the newer page over the file in scripts/catalog-sources/, update its
entry in sources.json, run this script, read `git diff rules/catalog.json`. The build
stops on anything it cannot place (a new spelling of a known name, a near-duplicate
name nobody decided about, an exchange bullet it does not know), naming the table below
that needs a decision.

Output schema (erlint's, shaped for the linter's lookups):

- partners: one entry per canonical connectivity-partner name, with the spellings and
  former names that resolve to it, the exchange it is (if any), its peering locations
  per cloud, and Metro locations where it is listed as not yet active ("metro_future");
- exchanges: the cloud exchange providers and the partner names they are listed under;
- locations: one entry per (cloud, peering location), ExpressRoute Metro locations
  ("Amsterdam Metro") included, with zone, geopolitical region, Local SKU regions,
  ExpressRoute Direct, partners, the exchanges among them, and the carriers that reach
  Microsoft there through a named exchange or partner ("routes", as the table lists them);
- carriers: the carriers of the additional-providers table, pivoted by name;
- azure_regions / geopolitical_regions: region display names with the peering locations
  whose Local SKU reaches each region;
- bandwidths, expressroute_direct, satellite_operators;
- corrections: every place where a lookup uses another string than the page printed;
- name_decisions: every near-duplicate pair of names and what was decided;
- omitted_carrier_listings: additional-providers rows left out because the carrier is a
  partner at that location.
"""

import argparse
import hashlib
import json
import os
import re
import sys
import unicodedata

CLOUDS = ["global", "us_government", "china"]
CLOUD_INFO = {
    "global": {"display": "Azure public cloud", "terraform_environment": "public"},
    "us_government": {"display": "Azure US Government", "terraform_environment": "usgovernment"},
    "china": {"display": "Azure China (21Vianet)", "terraform_environment": "china"},
}

# ---------------------------------------------------------------------------------------
# Editorial decisions. Each entry says why; the build stops when the pages need a new one.
# ---------------------------------------------------------------------------------------

# Spellings of one partner that the pages print differently (case, accents and spaces
# aside, which the lookups ignore anyway), and former names. The key is the canonical name.
ALIASES = {
    "AT&T NetBond": {"spellings": ["AT&T Netbond"], "note": "San Antonio row spells it 'AT&T Netbond'."},
    "CoreSite": {"spellings": ["Coresite"]},
    "InterCloud": {"spellings": ["Intercloud"]},
    "GÉANT": {"spellings": ["GEANT"]},
    "Reliance Jio": {"spellings": ["Reliance JIO"]},
    "Sify": {"spellings": ["SIFY"]},
    "Vodafone Idea": {"spellings": ["VodafoneIdea"]},
    "Tata Communications": {"spellings": ["TATA Communications"]},
    "Jisc": {"spellings": ["JISC"]},
    "Vorboss Limited": {"spellings": ["Vorboss"]},
    "NEXTDC": {"spellings": ["NextDC"]},
    "Interxion (Digital Realty)": {
        "spellings": ["Digital Realty (Interxion)"],
        "former_names": ["Interxion"],
        "note": "Listed separately from 'Digital Realty' (both appear at e.g. Amsterdam2). "
        "Public Terraform code uses service_provider_name = \"Interxion\" (unverified against the API).",
    },
    "Ascenty Data Centers": {
        "spellings": ["Ascenty"],
        "note": "Campinas row says 'Ascenty'; Sao Paulo rows say 'Ascenty Data Centers'. Treated as one provider.",
    },
    "Arelion (Telia Carrier)": {
        "spellings": ["Telia Carrier (Arelion)"],
        "former_names": ["Telia Carrier"],
        "note": "Parenthesised old name; public Terraform code uses service_provider_name = \"Telia Carrier\" (unverified).",
    },
    "Console Connect (PCCW Global Limited)": {
        "former_names": ["PCCW Global Limited"],
        "note": "Older versions of the docs list 'PCCW Global Limited'.",
    },
    "NTT DOCOMO BUSINESS - Flexible Interconnect (NTT Communications - Flexible Interconnect)": {
        "former_names": ["NTT Communications - Flexible Interconnect"],
        "note": "Public Terraform code uses \"NTT Communications - Flexible InterConnect\" (capital C; unverified).",
    },
    "NTT DOCOMO BUSINESS": {
        "former_names": ["NTT Communications"],
        "note": "Inferred rename (NTT Communications -> NTT DOCOMO BUSINESS); Los Angeles still lists "
        "'NTT Communications', kept as its own entry.",
    },
    "next layer GmbH": {"spellings": ["Next Layer GMBH"]},
    "SingTel": {"spellings": ["Singtel"]},
}

# Near-duplicate partner names: one name's words begin the other's ("AT&T" / "AT&T
# NetBond"). The build finds every such pair and stops unless it is decided here.
# FOLDS: the first name is a one-off spelling of the second; it becomes a spelling of it,
# both are accepted, and its locations move to the second.
FOLDS = {
    "CenturyLink": (
        "CenturyLink Cloud Connect",
        "printed only once, at London (Equinix LD5); every other row, London2 included, "
        "names the product 'CenturyLink Cloud Connect'",
    ),
    "AT&T": (
        "AT&T NetBond",
        "printed only once, at US Gov Silicon Valley; every other US Government row "
        "(Chicago, Phoenix, Washington DC) names AT&T's ExpressRoute product 'AT&T NetBond', "
        "and AT&T's other products (Dynamic Exchange, Connectivity Plus) are not listed in "
        "that cloud",
    ),
}
# KEEP_APART: pairs that look alike but are listed as different partners.
KEEP_APART = {
    ("AT&T Connectivity Plus", "AT&T"): "'AT&T' is folded into 'AT&T NetBond' (see FOLDS); "
    "Connectivity Plus is listed only at Dallas, in the public cloud",
    ("AT&T Dynamic Exchange", "AT&T"): "'AT&T' is folded into 'AT&T NetBond' (see FOLDS); "
    "Dynamic Exchange is listed only in the public cloud",
    ("China Telecom Global", "China Telecom"): "different companies in different clouds: China "
    "Telecom is the 21Vianet partner (Beijing, Shanghai), China Telecom Global the "
    "international carrier in the public cloud",
    ("MTN Business", "MTN"): "'MTN' (London) could be either of MTN Business and MTN Global "
    "Connect (both at Johannesburg); the page does not say which, so it stays its own name",
    ("MTN Global Connect", "MTN"): "see MTN Business",
    ("NTT Communications India Network Services Pvt Ltd", "NTT Communications"): "an Indian "
    "subsidiary listed at Chennai and Mumbai; 'NTT Communications' (Los Angeles) is the "
    "former name of NTT DOCOMO BUSINESS",
    ("Orange Poland", "Orange"): "Orange Polska is listed next to Orange at Warsaw: two partners "
    "at the same location",
    ("Vodafone Idea", "Vodafone"): "Vodafone Idea is an Indian operator (Mumbai2, Chennai), not "
    "a spelling of Vodafone",
    ("Telenor Secure Cloud Connect", "Telenor"): "listed only in the Metro table (Oslo Metro, "
    "not yet active); the page gives no sign that it is the listing of Telenor",
    ("Singtel International", "SingTel"): "the Metro table lists 'Singtel International' and "
    "'MegaPOP (Singtel)' as two providers at Singapore Metro, where 'SingTel' is not listed",
    ("China Mobile International", "China Mobile"): "different clouds: China Mobile is a "
    "21Vianet partner (Beijing2, Shanghai2), China Mobile International a carrier of the "
    "public cloud (Hong Kong2, Singapore, Singapore2)",
    ("China Unicom Global", "China Unicom"): "different clouds: China Unicom is a 21Vianet "
    "partner (Beijing2, Shanghai2), China Unicom Global a carrier of the public cloud",
    ("NTT DOCOMO BUSINESS - Flexible Interconnect (NTT Communications - Flexible Interconnect)",
     "NTT DOCOMO BUSINESS"): "two products listed side by side at Osaka and Tokyo",
}

# Exchange providers: the bullet text of "Connectivity through Exchange providers" and
# the partner names the locations table lists the same company under.
EXCHANGE_BULLETS = {
    "Cologix": ("Cologix", ["Cologix"]),
    "CoreSite": ("CoreSite", ["CoreSite"]),
    "DE-CIX": ("DE-CIX", ["DE-CIX"]),
    "Equinix Cloud Exchange": ("Equinix", ["Equinix"]),
    "Digital Realty(Interxion)": ("Digital Realty (Interxion)", ["Interxion (Digital Realty)", "Digital Realty"]),
    "NextDC": ("NextDC", ["NEXTDC"]),
    "Megaport": ("Megaport", ["Megaport"]),
    "Momentum Telecom": ("Momentum Telecom", ["Momentum Telecom"]),
    "PacketFabric": ("PacketFabric", ["PacketFabric"]),
    "Teraco": ("Teraco", ["Teraco"]),
}

# The additional-providers table's "Exchange" column names ten exchange providers and, in
# a few rows, partners that are not exchange providers (BICS, euNetworks, Level 3
# Communications, Tata Communications): the partner a carrier hands off to there. Those
# are kept as the table gives them, marked `exchange_provider: false` (see
# docs/catalog-extra.md and item 9 of issue 13). Names printed unlike any partner name:
VIA_CORRECTIONS = {
    "Level3": (
        "Level 3 Communications",
        "the additional-providers table writes 'Level3' for the partner listed as "
        "'Level 3 Communications' (Madrid row)",
    ),
}

# Additional-providers cells whose line breaks split a company name.
CELL_FIXES = {
    ("Montreal", ("Airgate Technologies", "Inc. Aptum Technologies")): (
        ["Airgate Technologies Inc.", "Aptum Technologies"],
        "Doc cell reads 'Airgate Technologies<br/>Inc. Aptum Technologies'; most likely "
        "'Airgate Technologies Inc.' + 'Aptum Technologies' (compare the Toronto row).",
    ),
    ("Tokyo", ("BroadBand Tower", "Inc.")): (
        ["BroadBand Tower, Inc."],
        "Doc cell reads 'BroadBand Tower<br/>Inc.' (a split company name).",
    ),
}

# Carriers of the additional-providers table whose name looks like a partner's: the
# partner a user may have meant (ER201 names it). `None`: not the same company.
CARRIER_LOOKALIKES = {
    ("Telia", "Arelion (Telia Carrier)"): "name similarity only; the doc does not say these are the same entity",
    ("Bezeq International Ltd.", "Bezeq International"): "same name with the legal form; the partner is listed at London, Tel Aviv and Tel Aviv2",
    ("C3ntro Telecom", "C3ntro"): "same company name; the partner is listed at Miami and Queretaro",
    ("Chief", "Chief Telecom"): "the Hong Kong row writes 'Chief'; Chief Telecom is a partner at Hong Kong",
    ("Cox Business", "Cox Business Cloud Port"): "Cox Business Cloud Port is Cox Business's partner listing",
    ("Fastweb S.p.A", "Fastweb"): "same name with the legal form; the partner is listed at Milan",
    ("Gtt Communications Inc", "GTT"): "same company; the partner is listed as 'GTT'",
    ("Epsilon Telecommunications Limited", "Epsilon Global Communications"): "name similarity only; the doc does not say these are the same entity",
    ("Telekom Deutschland GmbH", "Deutsche Telekom AG"): "name similarity only (Deutsche Telekom's German operator); the doc does not say so",
    ("United Information Highway (UIH)", "UIH"): "the carrier's parenthesised short name is the partner's name (Bangkok)",
}

# Azure region names printed differently from Azure's region display names.
REGION_CORRECTIONS = {
    "Canda Central": ("Canada Central", "typo in the Metro table (Toronto Metro)"),
    "India West": (
        "West India",
        "the geopolitical-region include writes 'India West'; Azure's region and the locations table say 'West India'",
    ),
    "India Central": (
        "Central India",
        "the geopolitical-region include writes 'India Central'; Azure's region and the locations table say 'Central India'",
    ),
    "India South": (
        "South India",
        "the geopolitical-region include writes 'India South'; Azure's region and the locations table say 'South India'",
    ),
}

# Facts that are not in the saved pages' tables, with where they come from.
CURATED = {
    "provider_circuit_mbps": [50, 100, 200, 500, 1000, 2000, 5000, 10000],
    "api_offer_names": ["50Mbps", "100Mbps", "200Mbps", "500Mbps", "1Gbps", "2Gbps", "5Gbps", "10Gbps"],
    # expressroute-faqs.md (03/31/2026) and expressroute-circuit-peerings.md: 50 Mbps to 10 Gbps.
    "subscribed_bandwidth_gbps_by_port": {"10": 20, "100": 200},
    # expressroute-erdirect-about.md of 03/28/2024 (0440832a): circuits up to twice the port.
    "encapsulations": ["Dot1Q", "QinQ"],
    "port_location_examples": [
        "Equinix-Ashburn-DC2",
        "Equinix-Dallas-DA3",
        "Equinix-New-York-NY5",
        "Equinix-San-Jose-SV1",
        "Equinix-Seattle-SE2",
    ],
    # expressroute-howto-erdirect.md (07/10/2025): expressRoutePortsLocations names.
}


# ---------------------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------------------


def key(s):
    """The lookup key erlint uses: case-folded, accents removed, whitespace removed.
    Must agree with `normalize` in src/catalog/mod.rs."""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return "".join(s.casefold().split())


def words(s):
    """Lower-case words for near-duplicate detection ("AT&T NetBond" -> ["at&t", "netbond"])."""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return re.findall(r"[a-z0-9&]+", s.casefold())


def near_duplicates(names):
    """Pairs (longer, shorter) where the shorter name's words begin the longer one's."""
    ws = {n: words(n) for n in names}
    pairs = set()
    for a in names:
        for b in names:
            if a == b:
                continue
            wa, wb = ws[a], ws[b]
            if wb and len(wb) < len(wa) and wa[: len(wb)] == wb:
                pairs.add((a, b))
    return sorted(pairs)


def sorted_ci(names):
    return sorted(set(names), key=lambda n: (key(n), n))


def die(msg):
    sys.stderr.write("build-catalog: " + msg + "\n")
    sys.exit(1)


# ---------------------------------------------------------------------------------------
# Markdown
# ---------------------------------------------------------------------------------------

LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
# <br/>, <br>, </br>, and the malformed "<br/" that runs into the next name.
BREAK = re.compile(r"</?br\s*/?\s*>?", re.IGNORECASE)
SUP = re.compile(r"<sup>\s*(\d+)\s*</sup>", re.IGNORECASE)


def front_matter(text):
    m = re.match(r"---\n(.*?)\n---\n", text, re.S)
    if not m:
        die("page has no front matter")
    out = {}
    for line in m.group(1).splitlines():
        k, sep, v = line.strip().partition(":")
        if sep and v.strip():
            out[k.strip()] = v.strip()
    return out


def ms_date(text):
    d = front_matter(text).get("ms.date")
    if not d or not re.fullmatch(r"\d\d/\d\d/\d{4}", d):
        die("page has no ms.date")
    return d


def iso(d):
    m, day, y = d.split("/")
    return "%s-%s-%s" % (y, m, day)


def sections(text):
    """(heading, body) for every '#' heading, in order; the heading text without marks."""
    out = []
    heading, body = "", []
    for line in text.splitlines():
        m = re.match(r"(#+)\s+(.*)", line)
        if m:
            out.append((heading, "\n".join(body)))
            heading = re.sub(r"<a [^>]*></a>", "", m.group(2)).strip()
            body = []
        else:
            body.append(line)
    out.append((heading, "\n".join(body)))
    return out


def tables(body):
    """Each Markdown table in `body` as (header, rows): lists of raw cell strings, the
    separator row left out."""
    out, cur = [], []
    for line in body.splitlines() + [""]:
        if line.startswith("|"):
            cur.append(line)
            continue
        if cur:
            rows = [split_row(r) for r in cur]
            if len(rows) < 2 or not all(re.fullmatch(r"\s*:?-+:?\s*", c) for c in rows[1]):
                die("malformed table starting %r" % cur[0])
            out.append(([plain(h) for h in rows[0]], rows[2:]))
            cur = []
    return out


def split_row(line):
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|"):
        s = s[:-1]
    return [c.strip() for c in s.split("|")]


def plain(cell):
    """A cell without links, bold and surrounding spaces."""
    return LINK.sub(lambda m: m.group(1), cell).replace("**", "").strip()


def items(cell, fixes=None, where=""):
    """The names of a multi-line cell ('A<br/>B'), with `<sup>` footnote marks returned
    separately: [(name, mark or None)]. Records malformed line breaks in `fixes`."""
    out = []
    if fixes is not None and re.search(r"<br/[^>]", cell):
        m = re.search(r"([^>]*<br/[^>]+?)(?:<br|$)", cell)
        fixes.append(
            {
                "field": where,
                "as_listed": m.group(1) if m else cell,
                "used": BREAK.sub(", ", m.group(1) if m else cell),
                "why": "a malformed line break ('<br/' without '>') runs two names together",
            }
        )
    for part in BREAK.split(plain(cell)):
        mark = None
        sm = SUP.search(part)
        if sm:
            mark = sm.group(1)
            part = SUP.sub("", part)
        part = part.strip()
        if part:
            out.append((part, mark))
    return out


def names(cell, fixes=None, where=""):
    return [n for n, _ in items(cell, fixes, where)]


def addresses(cell):
    links = LINK.findall(cell)
    if links:
        return [t.strip() for t in links if t.strip()]
    return names(cell)


def check_mark(cell, where):
    c = cell.strip()
    if c == "&check;":
        return True
    if c == "&cross;":
        return False
    die("%s: expected &check; or &cross;, found %r" % (where, cell))


def local_regions(cell):
    if cell.strip() == "&cross;":
        return []
    return names(cell)


# ---------------------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------------------


def parse_locations_page(text, fixes):
    """The 'Providers by location' page: location tables per cloud, exchange bullets,
    satellite operators, additional-providers rows."""
    page = {
        "ms_date": ms_date(text),
        "locations": [],
        "local_column": {},
        "exchange_bullets": [],
        "satellites": [],
        "additional": [],
    }
    cloud = None
    for heading, body in sections(text):
        h = heading.lower()
        if h == "global commercial azure":
            cloud = "global"
        elif h == "us government cloud":
            cloud = "us_government"
        elif h == "china":
            cloud = "china"
        elif h.startswith("connectivity through exchange providers"):
            cloud = None
            for line in body.splitlines():
                m = re.match(r"\s+\*\s+\[([^\]]+)\]", line)
                if m:
                    page["exchange_bullets"].append(m.group(1).strip())
            continue
        elif h.startswith("connectivity through satellite operators"):
            cloud = None
            for line in body.splitlines():
                m = re.match(r"\*\s+(.*)", line)
                if m:
                    page["satellites"].append(plain(m.group(1)))
            continue
        elif h.startswith("connectivity through additional service providers"):
            cloud = "additional"
        elif h.startswith("expressroute system integrators") or h.startswith("next steps"):
            cloud = None
        if cloud is None:
            continue
        for header, rows in tables(body):
            if cloud != "additional":
                # Whether this cloud's table says where ExpressRoute Local is offered.
                page["local_column"][cloud] = "Local Azure regions" in header
            for row in rows:
                if cloud == "additional":
                    if len(row) != 3:
                        die("additional-providers row with %d cells: %r" % (len(row), row))
                    page["additional"].append(
                        {"location": plain(row[0]), "exchanges": names(row[1]), "providers": names(row[2])}
                    )
                    continue
                name = plain(row[0])
                where = "locations[%s]" % name
                if cloud == "global":
                    if len(row) != 6:
                        die("%s: %d cells" % (where, len(row)))
                    zone = int(row[2])
                    local, direct, providers = row[3], row[4], row[5]
                else:
                    if len(row) != 5:
                        die("%s (%s): %d cells" % (where, cloud, len(row)))
                    zone = None
                    local, direct, providers = row[2], row[3], row[4]
                page["locations"].append(
                    {
                        "name": name,
                        "cloud": cloud,
                        "address": addresses(row[1]),
                        "zone": zone,
                        "local_azure_regions": local_regions(local),
                        "er_direct": check_mark(direct, where),
                        "providers": names(providers, fixes, where + ".partners"),
                    }
                )
    if not page["locations"] or not page["additional"] or not page["exchange_bullets"]:
        die("the locations page is missing a table it should have")
    return page


def parse_metro_page(text):
    page = {"ms_date": ms_date(text), "metros": [], "future_note": None}
    for heading, body in sections(text):
        if heading != "ExpressRoute Metro locations":
            continue
        for _, rows in tables(body):
            for row in rows:
                if len(row) != 6:
                    die("metro row with %d cells: %r" % (len(row), row))
                name = plain(row[0])
                active, future = [], []
                for n, mark in items(row[5]):
                    (future if mark == "1" else active).append(n)
                page["metros"].append(
                    {
                        "name": name,
                        "address": names(row[1]),
                        "zone": int(row[2]),
                        "local_azure_regions": local_regions(row[3]),
                        "er_direct": check_mark(row[4], "metro[%s]" % name),
                        "providers": active,
                        "providers_future": future,
                    }
                )
        m = re.search(r"<sup>1<sup>\s*(.*)", body)
        if m:
            page["future_note"] = m.group(1).strip()
    if not page["metros"] or not page["future_note"]:
        die("the Metro page has no Metro table or no footnote for not-yet-active providers")
    return page


def parse_geo_page(text):
    page = {"ms_date": ms_date(text), "regions": []}
    for heading, body in sections(text):
        for _, rows in tables(body):
            for row in rows:
                g = plain(row[0])
                cloud = "global"
                if g.lower().startswith("us government"):
                    cloud = "us_government"
                elif g.lower().startswith("china"):
                    cloud = "china"
                page["regions"].append(
                    {"name": g, "cloud": cloud, "azure_regions": names(row[1]), "peering_locations": names(row[2])}
                )
    return page


def parse_direct_page(text):
    page = {"ms_date": ms_date(text)}
    by_port = {}
    for m in re.finditer(r"circuit SKUs on (\d+)-Gbps ExpressRoute Direct:\s*<ul>(.*?)</ul>", text):
        by_port[m.group(1)] = sorted(int(x) for x in re.findall(r"<li>\s*(\d+)\s*Gbps\s*</li>", m.group(2)))
    if not by_port:
        die("the ExpressRoute Direct page has no circuit SKU lists")
    page["circuit_bandwidths_gbps_by_port"] = by_port
    tiers = re.search(r"ExpressRoute Direct supports ([A-Za-z, ]+?) SKU", text)
    if not tiers:
        die("the ExpressRoute Direct page does not name the SKU tiers")
    page["sku_tiers"] = [t.strip() for t in re.split(r",|\band\b", tiers.group(1)) if t.strip()]
    return page


# ---------------------------------------------------------------------------------------
# Build
# ---------------------------------------------------------------------------------------


class Partners:
    """Partner entries plus an index of every name that resolves to one."""

    def __init__(self):
        self.by_name = {}
        self.index = {}

    def add(self, name, entry):
        if name in self.by_name:
            die("duplicate partner " + name)
        self.by_name[name] = entry
        self.index_name(name, name)

    def index_name(self, written, canonical):
        k = key(written)
        prev = self.index.get(k)
        if prev is not None and prev != canonical:
            # An exact canonical name wins over another partner's spelling or former
            # name ("NTT Communications" is both a partner and a former name).
            if key(prev) == k:
                return
            if key(canonical) != k:
                die("name %r resolves to both %r and %r" % (written, prev, canonical))
        self.index[k] = canonical

    def resolve(self, written):
        return self.index.get(key(written))


def canonical_names(written_names, folds=None, keep_apart=None):
    """Map every written partner name to its canonical name (ALIASES, then FOLDS), after
    checking that each near-duplicate pair has a decision. Returns (mapping, decisions)."""
    folds = FOLDS if folds is None else folds
    keep_apart = KEEP_APART if keep_apart is None else keep_apart
    alias = {}
    for canon, a in ALIASES.items():
        for w in [canon] + a.get("spellings", []):
            alias[key(w)] = canon
    first = {}
    for w in written_names:
        canon = alias.get(key(w), w)
        prev = first.get(key(canon))
        if prev is not None and prev != canon:
            die("%r and %r differ only in case, accents or spaces: add one to ALIASES" % (prev, canon))
        first[key(canon)] = canon
    canon0 = {w: alias.get(key(w), w) for w in written_names}
    pairs = near_duplicates(sorted(set(canon0.values())))
    decisions = []
    undecided = []
    for longer, shorter in pairs:
        fold = folds.get(shorter)
        if fold and fold[0] == longer:
            decisions.append({"kind": "fold", "names": [shorter, longer], "into": longer, "why": fold[1]})
        elif (longer, shorter) in keep_apart:
            decisions.append({"kind": "keep_apart", "names": [shorter, longer], "why": keep_apart[(longer, shorter)]})
        else:
            undecided.append("%r / %r" % (shorter, longer))
    if undecided:
        die("near-duplicate partner names without a decision (add to FOLDS or KEEP_APART): " + "; ".join(undecided))
    for shorter, (longer, _) in folds.items():
        if (longer, shorter) not in pairs:
            die("FOLDS entry %r -> %r does not match two names of the pages any more" % (shorter, longer))
    for pair in keep_apart:
        if pair not in pairs:
            die("KEEP_APART entry %r does not match two names of the pages any more" % (pair,))
    mapping = {w: folds[c][0] if c in folds else c for w, c in canon0.items()}
    return mapping, decisions


def build(sources_dir):
    manifest_path = os.path.join(sources_dir, "sources.json")
    with open(manifest_path, "rb") as f:
        manifest_raw = f.read()
    manifest = json.loads(manifest_raw.decode("utf-8"))
    files = {e["file"]: e for e in manifest["files"]}
    digest = hashlib.sha256(manifest_raw)
    texts = {}
    for name in sorted(files):
        with open(os.path.join(sources_dir, name), "rb") as f:
            raw = f.read()
        digest.update(name.encode("utf-8") + b"\0" + raw)
        texts[name] = raw.decode("utf-8")
        got = ms_date(texts[name])
        if got != files[name]["ms_date"]:
            die("%s: sources.json says ms.date %s, the page says %s" % (name, files[name]["ms_date"], got))

    corrections = []
    lp = parse_locations_page(texts["expressroute-locations-providers.md"], corrections)
    metro = parse_metro_page(texts["metro.md"])
    geo_page = parse_geo_page(texts["expressroute-azure-regions-geopolitical-region.md"])
    direct = parse_direct_page(texts["expressroute-erdirect-about.md"])

    # Canonical partner names.
    written = []
    for l in lp["locations"]:
        written.extend(l["providers"])
    for m in metro["metros"]:
        written.extend(m["providers"] + m["providers_future"])
    canon, name_decisions = canonical_names(written)

    partners = Partners()

    def partner_entry(name):
        if name not in partners.by_name:
            a = ALIASES.get(name, {})
            e = {
                "name": name,
                "spellings": [],
                "former_names": sorted_ci(a.get("former_names", [])),
                "exchange": None,
                "locations": {},
                "metro_future": [],
                "sources": [],
            }
            if a.get("note"):
                e["note"] = a["note"]
            partners.add(name, e)
        return partners.by_name[name]

    def spelled(w, c, source):
        e = partner_entry(c)
        if source not in e["sources"]:
            e["sources"].append(source)
        if key(w) != key(c) and w not in e["spellings"]:
            e["spellings"].append(w)
        return e

    for c, a in ALIASES.items():
        if c in canon.values():
            partner_entry(c)
            for s in a.get("spellings", []):
                partner_entry(c)["spellings"].append(s)
    for e in partners.by_name.values():
        e["spellings"] = sorted_ci(e["spellings"])
    for shorter, (longer, why) in FOLDS.items():
        corrections.append(
            {"field": "partners", "as_listed": shorter, "used": longer, "why": "one-off spelling folded: " + why}
        )

    # Locations of the three clouds.
    locations = {}
    loc_key = {}
    for l in lp["locations"]:
        k = (l["cloud"], key(l["name"]))
        if k in loc_key:
            die("duplicate location %r" % (k,))
        loc_key[k] = l["name"]
        entry = {
            "name": l["name"],
            "cloud": l["cloud"],
            "kind": "standard",
            "zone": l["zone"],
            "geopolitical_region": None,
            "local_azure_regions": l["local_azure_regions"],
            "er_direct": l["er_direct"],
            "facilities": sorted_ci(l["address"]),
            "partners": [],
            "partners_future": [],
            "carriers": [],
        }
        for w in l["providers"]:
            c = canon[w]
            pe = spelled(w, c, "locations")
            if c not in entry["partners"]:
                entry["partners"].append(c)
            pe["locations"].setdefault(l["cloud"], []).append(l["name"])
        locations[(l["cloud"], l["name"])] = entry

    # Metro locations: peering locations of the public cloud, named "<City> Metro".
    for m in metro["metros"]:
        name = m["name"]
        k = ("global", key(name))
        if k in loc_key:
            die("metro location collides with " + loc_key[k])
        loc_key[k] = name
        entry = {
            "name": name,
            "cloud": "global",
            "kind": "metro",
            "metro_of": name[: -len(" Metro")] if name.endswith(" Metro") else name,
            "zone": m["zone"],
            "geopolitical_region": None,
            "local_azure_regions": m["local_azure_regions"],
            "er_direct": m["er_direct"],
            "facilities": sorted_ci(m["address"]),
            "partners": [],
            "partners_future": [],
            "carriers": [],
        }
        for field, future in (("providers", False), ("providers_future", True)):
            for w in m[field]:
                c = canon[w]
                pe = spelled(w, c, "metro")
                if future:
                    entry["partners_future"].append(c)
                    pe["metro_future"].append(name)
                else:
                    entry["partners"].append(c)
                    pe["locations"].setdefault("global", []).append(name)
        locations[("global", name)] = entry

    # Azure region names as Azure writes them.
    def region(name, where):
        if name in REGION_CORRECTIONS:
            used, why = REGION_CORRECTIONS[name]
            corrections.append({"field": where, "as_listed": name, "used": used, "why": why})
            return used
        return name

    for entry in locations.values():
        entry["local_azure_regions"] = sorted_ci(
            region(r, "%s[%s].local_azure_regions" % ("metro_locations" if entry["kind"] == "metro" else "locations", entry["name"]))
            for r in entry["local_azure_regions"]
        )

    # Exchanges.
    exchanges = []
    exchange_of = {}
    for bullet in lp["exchange_bullets"]:
        if bullet not in EXCHANGE_BULLETS:
            die("exchange provider %r is not in EXCHANGE_BULLETS" % bullet)
        xname, listed = EXCHANGE_BULLETS[bullet]
        pnames = []
        for p in listed:
            c = partners.resolve(p)
            if c is None:
                die("exchange %s listed as unknown partner %s" % (xname, p))
            pnames.append(c)
            exchange_of[c] = xname
        exchanges.append({"name": xname, "doc_name": bullet, "partner_names": sorted_ci(pnames)})
    for bullet in EXCHANGE_BULLETS:
        if bullet not in lp["exchange_bullets"]:
            die("EXCHANGE_BULLETS has %r, which the page does not list any more" % bullet)
    for name, e in partners.by_name.items():
        e["exchange"] = exchange_of.get(name)

    # Carriers of the additional-providers table, with the routes the table gives.
    def via_partner(written_via, where):
        c = partners.resolve(written_via)
        if c is None and written_via in VIA_CORRECTIONS:
            c, why = VIA_CORRECTIONS[written_via]
            corrections.append({"field": where, "as_listed": written_via, "used": c, "why": why})
        if c is None:
            die("%s: exchange %s is not a partner name" % (where, written_via))
        return c

    carrier_rows = {}
    omitted = []
    for row in lp["additional"]:
        provs = row["providers"]
        for (loc, split), (fixed, why) in CELL_FIXES.items():
            if row["location"] == loc:
                n = len(split)
                for i in range(len(provs) - n + 1):
                    if tuple(provs[i : i + n]) == split:
                        corrections.append(
                            {
                                "field": "carriers (additional providers at %s)" % loc,
                                "as_listed": ", ".join(provs),
                                "used": ", ".join(provs[:i] + fixed + provs[i + n :]),
                                "why": why,
                            }
                        )
                        provs = provs[:i] + fixed + provs[i + n :]
                        break
                else:
                    die("CELL_FIXES entry for %s does not match the row any more" % loc)
        lk = loc_key.get(("global", key(row["location"])))
        routes = []
        for v in row["exchanges"]:
            where = "carriers (additional providers at %s).via" % row["location"]
            p = via_partner(v, where)
            routes.append({"listed_as": v, "partner": p, "exchange_provider": p in exchange_of})
        for carrier in provs:
            as_partner = partners.resolve(carrier)
            if lk is not None and as_partner is not None and as_partner in locations[("global", lk)]["partners"]:
                omitted.append(
                    {
                        "carrier": carrier,
                        "location": row["location"],
                        "via": [r["listed_as"] for r in routes],
                        "why": "%s is a partner at %s; a partner at a location is not also listed as reaching it through an exchange"
                        % (as_partner, lk),
                    }
                )
                continue
            c = carrier_rows.setdefault(carrier, {"name": carrier, "listings": []})
            c["listings"].append(
                {
                    "location": row["location"],
                    "peering_location": lk is not None,
                    "via": sorted_ci(r["partner"] for r in routes),
                    "routes": routes,
                }
            )
            if lk is not None:
                locations[("global", lk)]["carriers"].append(
                    {"name": carrier, "via": sorted_ci(r["partner"] for r in routes), "routes": routes}
                )
    carriers = []
    for name, c in carrier_rows.items():
        c["listings"].sort(key=lambda li: key(li["location"]))
        c["partner"] = partners.resolve(name)
        c["possibly_same_as"] = None
        carriers.append(c)
    carrier_names = {key(c["name"]): c for c in carriers}
    for (cname, pname), why in CARRIER_LOOKALIKES.items():
        c = carrier_names.get(key(cname))
        if c is None or partners.resolve(pname) is None:
            die("CARRIER_LOOKALIKES entry %r does not match a carrier and a partner any more" % ((cname, pname),))
        c["possibly_same_as"] = partners.resolve(pname)
        name_decisions.append({"kind": "carrier_lookalike", "names": [cname, pname], "why": why})
    for entry in locations.values():
        entry["carriers"].sort(key=lambda c: (key(c["name"]), c["name"]))

    # Geopolitical regions: from the include (04/2024), which predates many locations.
    geo = []
    regions = {}

    def add_region(name, cloud, geo_region):
        r = regions.setdefault(key(name), {"name": name, "cloud": cloud, "geopolitical_region": None, "local_for": []})
        if r["cloud"] != cloud:
            die("region %s in two clouds" % name)
        if geo_region and r["geopolitical_region"] not in (None, geo_region):
            die("region %s in two geopolitical regions" % name)
        if geo_region:
            r["geopolitical_region"] = geo_region
        return r

    for g in geo_page["regions"]:
        azure = [region(r, "geopolitical_regions[%s].azure_regions" % g["name"]) for r in g["azure_regions"]]
        peering = []
        for p in g["peering_locations"]:
            c = loc_key.get((g["cloud"], key(p)))
            if c is None:
                die("geopolitical region %s lists unknown location %s" % (g["name"], p))
            if c != p:
                corrections.append(
                    {
                        "field": "geopolitical_regions[%s].peering_locations" % g["name"],
                        "as_listed": p,
                        "used": c,
                        "why": "spacing differs from the locations table",
                    }
                )
            peering.append(c)
            locations[(g["cloud"], c)]["geopolitical_region"] = g["name"]
        for r in azure:
            add_region(r, g["cloud"], g["name"])
        geo.append(
            {"name": g["name"], "cloud": g["cloud"], "azure_regions": sorted_ci(azure), "peering_locations": sorted_ci(peering)}
        )
    for entry in locations.values():
        for r in entry["local_azure_regions"]:
            add_region(r, entry["cloud"], None)["local_for"].append(entry["name"])
    for r in regions.values():
        r["local_for"] = sorted_ci(r["local_for"])
        if (r["cloud"], key(r["name"])) in loc_key:
            die("region %s has the same name as a peering location" % r["name"])

    # Finish partners and locations.
    for entry in locations.values():
        entry["partners"] = sorted_ci(entry["partners"])
        entry["partners_future"] = sorted_ci(entry["partners_future"])
        entry["exchanges"] = sorted_ci(p for p in entry["partners"] if p in exchange_of)
    for entry in partners.by_name.values():
        entry["spellings"] = sorted_ci(s for s in entry["spellings"] if s != entry["name"])
        entry["locations"] = {c: sorted_ci(v) for c, v in entry["locations"].items() if v}
        entry["metro_future"] = sorted_ci(entry["metro_future"])
        entry["sources"] = sorted(entry["sources"])
        for c, ns in entry["locations"].items():
            for n in ns:
                if entry["name"] not in locations[(c, n)]["partners"]:
                    die("partner %s not listed back at %s" % (entry["name"], n))
    for shorter, (longer, _) in FOLDS.items():
        e = partners.by_name[longer]
        if shorter not in e["spellings"]:
            e["spellings"] = sorted_ci(e["spellings"] + [shorter])
    for name, e in partners.by_name.items():
        for s in e["spellings"]:
            partners.index_name(s, name)
    for name, e in partners.by_name.items():
        for s in e["former_names"]:
            partners.index_name(s, name)

    # Where the include predates a location or region, derive the geopolitical region:
    # from the same city's first site ("Atlanta2" -> "Atlanta"), else from the Local
    # regions' geopolitical region. Kept apart from the include's.
    for entry in locations.values():
        if entry["geopolitical_region"] is not None:
            continue
        derived = None
        city = entry.get("metro_of") or entry["name"].rstrip("0123456789")
        base = locations.get((entry["cloud"], city))
        if base is not None and base["geopolitical_region"]:
            derived = base["geopolitical_region"]
        if derived is None:
            geos = {
                regions[key(r)]["geopolitical_region"]
                for r in entry["local_azure_regions"]
                if regions[key(r)]["geopolitical_region"]
            }
            if len(geos) == 1:
                derived = geos.pop()
        if derived is not None:
            entry["geopolitical_region_derived"] = derived
    for r in regions.values():
        if r["geopolitical_region"] is not None:
            continue
        geos = set()
        for n in r["local_for"]:
            e = locations[(r["cloud"], n)]
            g = e["geopolitical_region"] or e.get("geopolitical_region_derived")
            if g:
                geos.add(g)
        if len(geos) == 1:
            r["geopolitical_region_derived"] = geos.pop()

    # Doubts found while building: kept as data, listed for the maintainers.
    doubts = []
    for entry in locations.values():
        for c in entry["carriers"]:
            for r in c["routes"]:
                if r["partner"] not in entry["partners"]:
                    doubts.append(
                        "%s: carrier %s is listed as reaching Microsoft through %s, which is not a partner at %s"
                        % (entry["name"], c["name"], r["partner"], entry["name"])
                    )
    for name, entry in partners.by_name.items():
        if entry["sources"] == ["metro"]:
            doubts.append("%s appears only in the Metro table (not in the locations table)" % name)
        for f in entry["former_names"]:
            if f in partners.by_name:
                doubts.append("%s is both a partner of its own and a former name of %s" % (f, name))
    for entry in locations.values():
        if entry["kind"] == "metro" and not entry["partners"]:
            doubts.append("%s lists no active provider" % entry["name"])
    for c in carriers:
        for li in c["listings"]:
            if not li["peering_location"]:
                doubts.append("carrier %s is listed at %s, which is not a peering location" % (c["name"], li["location"]))
    for r in regions.values():
        if r["geopolitical_region"] is None:
            doubts.append("Azure region %s is not in the geopolitical-region include" % r["name"])

    satellites = [{"name": s, "partner": partners.resolve(s)} for s in lp["satellites"]]

    lp_file = files["expressroute-locations-providers.md"]
    source = {
        "repo": manifest["repo"],
        "path": lp_file["path"],
        "commit": lp_file["commit"],
        "ms_date": lp_file["ms_date"],
        "secondary": [
            {
                "path": e["path"],
                "commit": e["commit"],
                "index_id": e.get("index_id"),
                "ms_date": e["ms_date"],
                "used_for": e.get("used_for", []),
            }
            for e in manifest["files"]
            if e is not lp_file
        ],
        "license": manifest.get("license"),
        "input": "scripts/catalog-sources",
        "input_sha256": digest.hexdigest(),
    }

    loc_list = sorted(locations.values(), key=lambda e: (CLOUDS.index(e["cloud"]), key(e["name"])))
    unique = []
    for c in corrections:
        if c not in unique:
            unique.append(c)
    unique.sort(key=lambda c: (c["field"], c["as_listed"]))
    name_decisions.sort(key=lambda d: (d["kind"], [key(n) for n in d["names"]]))
    omitted.sort(key=lambda o: (key(o["location"]), key(o["carrier"])))

    out = {
        "catalog_version": 1,
        "$comment": (
            "Generated by scripts/build-catalog.py from the Microsoft Learn pages saved in "
            "scripts/catalog-sources/ (CC BY 4.0, see its README.md and `source`). Do not edit "
            "by hand: rerun `python3 scripts/build-catalog.py`."
        ),
        "generated_by": "scripts/build-catalog.py",
        "as_of": iso(lp["ms_date"]),
        "source": source,
        "clouds": [dict(id=c, local_regions_listed=lp["local_column"].get(c, False), **CLOUD_INFO[c]) for c in CLOUDS],
        "partners": sorted(partners.by_name.values(), key=lambda e: (key(e["name"]), e["name"])),
        "exchanges": sorted(exchanges, key=lambda e: key(e["name"])),
        "locations": loc_list,
        "metro_future_note": metro["future_note"],
        "carriers": sorted(carriers, key=lambda e: (key(e["name"]), e["name"])),
        "azure_regions": sorted(regions.values(), key=lambda e: (CLOUDS.index(e["cloud"]), key(e["name"]))),
        "geopolitical_regions": sorted(geo, key=lambda e: (CLOUDS.index(e["cloud"]), key(e["name"]))),
        "bandwidths": {
            "provider_circuit_mbps": CURATED["provider_circuit_mbps"],
            "api_offer_names": CURATED["api_offer_names"],
        },
        "expressroute_direct": {
            "port_bandwidths_gbps": sorted(int(p) for p in direct["circuit_bandwidths_gbps_by_port"]),
            "circuit_bandwidths_gbps_by_port": direct["circuit_bandwidths_gbps_by_port"],
            "subscribed_bandwidth_gbps_by_port": CURATED["subscribed_bandwidth_gbps_by_port"],
            "encapsulations": CURATED["encapsulations"],
            "sku_tiers": direct["sku_tiers"],
            "port_location_examples": CURATED["port_location_examples"],
        },
        "satellite_operators": sorted(satellites, key=lambda e: key(e["name"])),
        "corrections": unique,
        "name_decisions": name_decisions,
        "omitted_carrier_listings": omitted,
        "doubts": sorted(set(doubts)),
    }
    out["counts"] = {
        "partners": len(out["partners"]),
        "exchanges": len(out["exchanges"]),
        "carriers": len(out["carriers"]),
        "azure_regions": len(out["azure_regions"]),
        **{
            "locations_" + c: sum(1 for e in loc_list if e["cloud"] == c and e["kind"] == "standard")
            for c in CLOUDS
        },
        "metro_locations": sum(1 for e in loc_list if e["kind"] == "metro"),
        "partner_location_pairs": sum(len(e["partners"]) for e in loc_list if e["kind"] == "standard"),
    }
    return out


def render(out):
    return json.dumps(out, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--sources",
        default=os.path.join(root, "scripts", "catalog-sources"),
        help="the saved pages and their sources.json (default: scripts/catalog-sources)",
    )
    ap.add_argument(
        "-o", "--output", default=os.path.join(root, "rules", "catalog.json"), help="where to write (default: rules/catalog.json)"
    )
    ap.add_argument("--check", action="store_true", help="fail if OUTPUT is not what the sources give")
    args = ap.parse_args()
    out = build(args.sources)
    text = render(out)
    if args.check:
        try:
            with open(args.output, encoding="utf-8") as f:
                current = f.read()
        except OSError as e:
            die("cannot read %s: %s" % (args.output, e))
        if current != text:
            die("%s is not what scripts/catalog-sources gives: run `python3 scripts/build-catalog.py`" % args.output)
        return
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    with open(args.output, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    c = out["counts"]
    sys.stderr.write(
        "wrote %s: %d partners, %d exchanges, %d carriers, %d+%d+%d locations, %d metro, %d regions, %d corrections\n"
        % (
            args.output,
            c["partners"],
            c["exchanges"],
            c["carriers"],
            c["locations_global"],
            c["locations_us_government"],
            c["locations_china"],
            c["metro_locations"],
            c["azure_regions"],
            len(out["corrections"]),
        )
    )


if __name__ == "__main__":
    main()
