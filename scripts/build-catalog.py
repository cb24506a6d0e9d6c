#!/usr/bin/env python3
"""Build rules/catalog.json, erlint's bundled ExpressRoute catalogue.

Usage: python3 scripts/build-catalog.py [SOURCE_JSON] [-o OUTPUT]

SOURCE_JSON defaults to ../shared/data/expressroute-providers.json (relative to the
repository root); OUTPUT defaults to rules/catalog.json. Standard library only. The
output is deterministic: every list is sorted, keys are sorted, and the same input
always gives the same bytes.

The source is the shared research catalogue, which follows the Microsoft Learn tables
closely. The output is erlint's own schema, shaped for the linter's lookups:

- partners: one entry per canonical connectivity-partner name, with the spellings and
  former names that resolve to it, the exchange it is (if any), its peering locations
  per cloud, and Metro locations where it is listed as not yet active ("future");
- exchanges: the cloud exchange providers and the partner names they are listed under;
- locations: one entry per (cloud, peering location), including ExpressRoute Metro
  locations ("Amsterdam Metro"), with zone, geopolitical region, Local SKU regions,
  ExpressRoute Direct, partners, the exchanges among them, and the non-partner
  carriers that reach Microsoft there through named exchanges;
- carriers: the non-partner carriers, pivoted by name;
- azure_regions / geopolitical_regions: region display names (erlint also matches their
  programmatic forms, `westeurope`), with the peering locations whose Local SKU
  reaches each region;
- bandwidths, expressroute_direct, satellite_operators;
- corrections: every place where a lookup uses a different string than the source
  document printed (the printed string is kept there as data).
"""

import argparse
import hashlib
import json
import os
import sys
import unicodedata

CLOUDS = ["global", "us_government", "china"]
CLOUD_INFO = {
    "global": {
        "display": "Azure public cloud",
        "terraform_environment": "public",
    },
    "us_government": {
        "display": "Azure US Government",
        "terraform_environment": "usgovernment",
    },
    "china": {
        "display": "Azure China (21Vianet)",
        "terraform_environment": "china",
    },
}

# Exchange names in the additional-providers table that are not written as any partner
# name, spelling or former name. Mapped to the partner that is meant, with the reason.
VIA_CORRECTIONS = {
    "Level3": (
        "Level 3 Communications",
        "the additional-providers table writes 'Level3' for the partner listed as "
        "'Level 3 Communications' (Madrid row)",
    ),
}

# Azure region names printed differently from Azure's region display names.
REGION_CORRECTIONS = {
    "Canda Central": (
        "Canada Central",
        "typo in the Metro table (Toronto Metro)",
    ),
    "India West": (
        "West India",
        "the geopolitical-region include writes 'India West'; Azure's region and the "
        "locations table say 'West India'",
    ),
    "India Central": (
        "Central India",
        "the geopolitical-region include writes 'India Central'; Azure's region and the "
        "locations table say 'Central India'",
    ),
    "India South": (
        "South India",
        "the geopolitical-region include writes 'India South'; Azure's region and the "
        "locations table say 'South India'",
    ),
}


def key(s):
    """The lookup key erlint uses: case-folded, accents removed, whitespace removed.
    Must agree with `normalize` in src/catalog.rs."""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return "".join(s.casefold().split())


def sorted_ci(names):
    return sorted(set(names), key=lambda n: (key(n), n))


def die(msg):
    sys.stderr.write("build-catalog: " + msg + "\n")
    sys.exit(1)


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


def build(src, src_bytes):
    corrections = []
    partners = Partners()

    aliases = src.get("aliases", {})
    for p in src["providers"]:
        name = p["name"]
        spellings = set(p.get("spellings_in_doc", []))
        spellings.update(aliases.get(name, {}).get("spellings", []))
        former = set(p.get("former_names", []))
        former.update(aliases.get(name, {}).get("former_names", []))
        entry = {
            "name": name,
            "spellings": sorted_ci(s for s in spellings if s != name),
            "former_names": sorted_ci(former),
            "exchange": p.get("exchange"),
            "locations": {c: sorted_ci(v) for c, v in p["locations"].items() if v},
            "metro_future": [],
            "sources": ["locations"],
        }
        note = p.get("note") or aliases.get(name, {}).get("note")
        if note:
            entry["note"] = note
        partners.add(name, entry)
    for name, entry in partners.by_name.items():
        for s in entry["spellings"]:
            partners.index_name(s, name)
    for name, entry in partners.by_name.items():
        for s in entry["former_names"]:
            partners.index_name(s, name)

    # Exchanges.
    exchanges = []
    for x in src["exchange_providers"]:
        names = []
        for listed in x["listed_as_partner_name"]:
            canon = partners.resolve(listed)
            if canon is None:
                die("exchange %s listed as unknown partner %s" % (x["name"], listed))
            names.append(canon)
        exchanges.append(
            {
                "name": x["name"],
                "doc_name": x["doc_link_text"],
                "partner_names": sorted_ci(names),
            }
        )
    exchange_of = {}
    for x in exchanges:
        for n in x["partner_names"]:
            exchange_of[n] = x["name"]
    for name, entry in partners.by_name.items():
        if entry["exchange"] != exchange_of.get(name):
            die("exchange role of %s disagrees: %r vs %r" % (name, entry["exchange"], exchange_of.get(name)))

    def region(name, where):
        if name in REGION_CORRECTIONS:
            used, why = REGION_CORRECTIONS[name]
            corrections.append(
                {"field": where, "as_listed": name, "used": used, "why": why}
            )
            return used
        return name

    # Standard peering locations.
    locations = {}
    loc_key = {}
    for l in src["locations"]:
        cloud = l["cloud"]
        if cloud not in CLOUDS:
            die("unknown cloud " + cloud)
        k = (cloud, key(l["name"]))
        if k in loc_key:
            die("duplicate location key %r" % (k,))
        loc_key[k] = l["name"]
        carriers = []
        for row in l.get("non_partner_providers_via_exchange", []):
            carriers.append(
                {"name": row["provider"], "via_as_listed": row["via_exchanges"]}
            )
        entry = {
            "name": l["name"],
            "cloud": cloud,
            "kind": "standard",
            "zone": l["zone"],
            "geopolitical_region": l["geopolitical_region"],
            "local_azure_regions": sorted_ci(
                region(r, "locations[%s].local_azure_regions" % l["name"])
                for r in l["local_azure_regions"]
            ),
            "er_direct": bool(l["er_direct"]),
            "facilities": sorted_ci(l.get("address", [])),
            "partners": [],
            "partners_future": [],
            "carriers": carriers,
        }
        for p in l["providers"]:
            canon = partners.resolve(p)
            if canon is None:
                die("location %s lists unknown partner %s" % (l["name"], p))
            entry["partners"].append(canon)
        locations[(cloud, l["name"])] = entry

    # Metro locations: peering locations of the public cloud, named "<City> Metro".
    for m in src["metro_locations"]:
        name = m["metro_location"]
        k = ("global", key(name))
        if k in loc_key:
            die("metro location collides with " + loc_key[k])
        loc_key[k] = name
        city = name[: -len(" Metro")] if name.endswith(" Metro") else name
        entry = {
            "name": name,
            "cloud": "global",
            "kind": "metro",
            "metro_of": city,
            "zone": m["zone"],
            # The Metro table has no geopolitical column: derived from the city below.
            "geopolitical_region": None,
            "local_azure_regions": sorted_ci(
                region(r, "metro_locations[%s].local_azure_regions" % name)
                for r in m["local_azure_regions"]
            ),
            "er_direct": bool(m["er_direct"]),
            "facilities": sorted_ci(m.get("address", [])),
            "partners": [],
            "partners_future": [],
            "carriers": [],
        }
        for field, future in (("providers", False), ("providers_future", True)):
            for p in m[field]:
                canon = partners.resolve(p)
                if canon is None:
                    # Listed only in the Metro table: a partner all the same.
                    canon = p
                    partners.add(
                        p,
                        {
                            "name": p,
                            "spellings": [],
                            "former_names": [],
                            "exchange": None,
                            "locations": {},
                            "metro_future": [],
                            "sources": ["metro"],
                        },
                    )
                elif canon != p:
                    pe = partners.by_name[canon]
                    if p not in pe["spellings"] and p not in pe["former_names"] and key(p) != key(canon):
                        pe["spellings"] = sorted_ci(pe["spellings"] + [p])
                pe = partners.by_name[canon]
                if "metro" not in pe["sources"]:
                    pe["sources"].append("metro")
                if future:
                    entry["partners_future"].append(canon)
                    pe["metro_future"].append(name)
                else:
                    entry["partners"].append(canon)
                    pe["locations"].setdefault("global", []).append(name)
        locations[("global", name)] = entry

    # Resolve carriers' exchanges to partner names.
    def via_partner(written, where):
        canon = partners.resolve(written)
        if canon is None and written in VIA_CORRECTIONS:
            canon, why = VIA_CORRECTIONS[written]
            corrections.append(
                {"field": where, "as_listed": written, "used": canon, "why": why}
            )
        if canon is None:
            die("%s: exchange %s is not a partner name" % (where, written))
        return canon

    carrier_rows = {}
    for entry in locations.values():
        for c in entry["carriers"]:
            where = "locations[%s].carriers[%s].via" % (entry["name"], c["name"])
            c["via"] = sorted_ci(via_partner(v, where) for v in c["via_as_listed"])
            if sorted(c["via_as_listed"]) == c["via"]:
                del c["via_as_listed"]
            else:
                c["via_as_listed"] = sorted_ci(c["via_as_listed"])
        entry["carriers"].sort(key=lambda c: (key(c["name"]), c["name"]))

    # Carriers pivoted by name (including listings at sites that are not peering
    # locations, such as Hamburg and Slough).
    carriers = []
    for c in src["non_partner_providers"]:
        listings = []
        for li in c["listings"]:
            where = "carriers[%s].listings[%s].via" % (c["name"], li["location"])
            via = sorted_ci(via_partner(v, where) for v in li["via_exchanges"])
            item = {
                "location": li["location"],
                "peering_location": ("global", key(li["location"])) in loc_key,
                "via": via,
            }
            if sorted(li["via_exchanges"]) != via:
                item["via_as_listed"] = sorted_ci(li["via_exchanges"])
            listings.append(item)
        listings.sort(key=lambda x: key(x["location"]))
        entry = {
            "name": c["name"],
            "partner": partners.resolve(c["name"]) if c.get("is_also_partner") else None,
            "possibly_same_as": c.get("possibly_same_company_as_partner"),
            "listings": listings,
        }
        if c.get("is_also_partner") and entry["partner"] is None:
            die("carrier %s is flagged as a partner but does not resolve" % c["name"])
        carriers.append(entry)
        carrier_rows[c["name"]] = entry
    for row in src["additional_service_providers"]:
        if row["providers_as_listed"] != row["providers"]:
            corrections.append(
                {
                    "field": "carriers (additional providers at %s)" % row["location"],
                    "as_listed": ", ".join(row["providers_as_listed"]),
                    "used": ", ".join(row["providers"]),
                    "why": " ".join(row.get("notes", [])) or "split company name in the doc",
                }
            )

    # Azure regions: display names from the geopolitical include and from the Local
    # columns, with the peering locations whose Local SKU reaches each one.
    geo = []
    regions = {}

    def add_region(name, cloud, geo_region):
        r = regions.setdefault(
            key(name),
            {"name": name, "cloud": cloud, "geopolitical_region": None, "local_for": []},
        )
        if r["cloud"] != cloud:
            die("region %s in two clouds" % name)
        if geo_region and r["geopolitical_region"] not in (None, geo_region):
            die("region %s in two geopolitical regions" % name)
        if geo_region:
            r["geopolitical_region"] = geo_region
        return r

    for g in src["geopolitical_regions"]:
        azure = [
            region(r, "geopolitical_regions[%s].azure_regions" % g["geopolitical_region"])
            for r in g["azure_regions"]
        ]
        peering = []
        for p in g["peering_locations"]:
            canon = loc_key.get((g["cloud"], key(p)))
            if canon is None:
                die("geopolitical region %s lists unknown location %s" % (g["geopolitical_region"], p))
            if canon != p:
                corrections.append(
                    {
                        "field": "geopolitical_regions[%s].peering_locations" % g["geopolitical_region"],
                        "as_listed": p,
                        "used": canon,
                        "why": "spacing differs from the locations table",
                    }
                )
            peering.append(canon)
        for r in azure:
            add_region(r, g["cloud"], g["geopolitical_region"])
        geo.append(
            {
                "name": g["geopolitical_region"],
                "cloud": g["cloud"],
                "azure_regions": sorted_ci(azure),
                "peering_locations": sorted_ci(peering),
            }
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
        entry["locations"] = {c: sorted_ci(v) for c, v in entry["locations"].items() if v}
        entry["metro_future"] = sorted_ci(entry["metro_future"])
        entry["sources"] = sorted(entry["sources"])
        for c, names in entry["locations"].items():
            for n in names:
                if (c, n) not in locations:
                    die("partner %s at unknown location %s/%s" % (entry["name"], c, n))
                if entry["name"] not in locations[(c, n)]["partners"]:
                    die("partner %s not listed back at %s" % (entry["name"], n))

    # Where the geopolitical include (04/2024) predates a location or region, derive the
    # geopolitical region: from the same city's first site ("Atlanta2" -> "Atlanta"),
    # else from the Local regions' geopolitical region. Kept apart from the include's.
    def base_city(name):
        return name.rstrip("0123456789")

    for entry in locations.values():
        if entry["geopolitical_region"] is not None:
            continue
        derived = None
        city = entry.get("metro_of") or base_city(entry["name"])
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
            for v in c["via"]:
                if v not in entry["partners"]:
                    doubts.append(
                        "%s: carrier %s is listed as reaching Microsoft through %s, which is not "
                        "a partner at %s" % (entry["name"], c["name"], v, entry["name"])
                    )
    for name, entry in partners.by_name.items():
        if entry["sources"] == ["metro"]:
            doubts.append(
                "%s appears only in the Metro table (not in the locations table)" % name
            )
        for f in entry["former_names"]:
            if f in partners.by_name:
                doubts.append(
                    "%s is both a partner of its own and a former name of %s" % (f, name)
                )
    for entry in locations.values():
        if entry["kind"] == "metro" and not entry["partners"]:
            doubts.append("%s lists no active provider" % entry["name"])
    for c in carriers:
        for li in c["listings"]:
            if not li["peering_location"]:
                doubts.append(
                    "carrier %s is listed at %s, which is not a peering location"
                    % (c["name"], li["location"])
                )
    for r in regions.values():
        if r["geopolitical_region"] is None:
            doubts.append(
                "Azure region %s is not in the geopolitical-region include" % r["name"]
            )

    satellites = []
    for s in src["satellite_operators"]:
        satellites.append({"name": s["name"], "partner": partners.resolve(s["name"])})

    bw = src["bandwidths"]["provider_circuit"]
    direct = src["expressroute_direct"]
    subscribed = {
        k: v for k, v in direct["subscribed_bandwidth_gbps_by_port"].items() if k != "note"
    }

    s1 = src["source"]["primary"]
    source = {
        "repo": src["source"]["repo"],
        "path": s1["path"],
        "commit": s1["commit"],
        "ms_date": s1["ms_date"],
        "secondary": [
            {
                "path": s["path"],
                "commit": s.get("commit"),
                "ms_date": s.get("ms_date"),
                "used_for": s.get("used_for", []),
            }
            for s in src["source"].get("secondary", [])
        ],
        "input": "shared/data/expressroute-providers.json",
        "input_schema_version": src.get("schema_version"),
        "input_sha256": hashlib.sha256(src_bytes).hexdigest(),
    }

    loc_list = sorted(
        locations.values(), key=lambda e: (CLOUDS.index(e["cloud"]), key(e["name"]))
    )
    corrections_unique = []
    for c in corrections:
        if c not in corrections_unique:
            corrections_unique.append(c)
    corrections_unique.sort(key=lambda c: (c["field"], c["as_listed"]))

    out = {
        "catalog_version": 1,
        "$comment": (
            "Generated by scripts/build-catalog.py from shared/data/expressroute-providers.json "
            "(Microsoft Learn ExpressRoute tables, see source). Do not edit by hand: rerun "
            "`python3 scripts/build-catalog.py`."
        ),
        "generated_by": "scripts/build-catalog.py",
        "as_of": src["as_of"],
        "source": source,
        "clouds": [dict(id=c, **CLOUD_INFO[c]) for c in CLOUDS],
        "partners": sorted(partners.by_name.values(), key=lambda e: (key(e["name"]), e["name"])),
        "exchanges": sorted(exchanges, key=lambda e: key(e["name"])),
        "locations": loc_list,
        "carriers": sorted(carriers, key=lambda e: (key(e["name"]), e["name"])),
        "azure_regions": sorted(regions.values(), key=lambda e: (CLOUDS.index(e["cloud"]), key(e["name"]))),
        "geopolitical_regions": sorted(geo, key=lambda e: (CLOUDS.index(e["cloud"]), key(e["name"]))),
        "bandwidths": {
            "provider_circuit_mbps": sorted(bw["values_mbps"]),
            "api_offer_names": bw["api_offer_names"],
        },
        "expressroute_direct": {
            "port_bandwidths_gbps": sorted(direct["port_bandwidths_gbps"]),
            "circuit_bandwidths_gbps_by_port": {
                k: sorted(v) for k, v in direct["circuit_bandwidths_gbps_by_port"].items()
            },
            "subscribed_bandwidth_gbps_by_port": subscribed,
            "encapsulations": sorted(direct["encapsulations"]),
            "sku_tiers": direct["circuit_sku_rules"]["sku_tier"],
            "port_location_examples": sorted(direct["port_location_name_examples"]),
        },
        "satellite_operators": sorted(satellites, key=lambda e: key(e["name"])),
        "corrections": corrections_unique,
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
    }
    return out


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "source",
        nargs="?",
        default=os.path.join(root, "..", "shared", "data", "expressroute-providers.json"),
        help="the shared data file (default: ../shared/data/expressroute-providers.json)",
    )
    ap.add_argument(
        "-o",
        "--output",
        default=os.path.join(root, "rules", "catalog.json"),
        help="where to write (default: rules/catalog.json)",
    )
    args = ap.parse_args()
    with open(args.source, "rb") as f:
        raw = f.read()
    out = build(json.loads(raw.decode("utf-8")), raw)
    text = json.dumps(out, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
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
