#!/usr/bin/env python3
"""Tests of scripts/build-catalog.py: `python3 scripts/test_build_catalog.py` (run by
`cargo test` through tests/catalog_build.rs). Standard library only."""

import contextlib
import importlib.util
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCES = os.path.join(HERE, "catalog-sources")
SCRIPT = os.path.join(HERE, "build-catalog.py")

spec = importlib.util.spec_from_file_location("build_catalog", SCRIPT)
bc = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bc)


def dies(fn, *args, **kw):
    """The message of the build's `die`, or None when `fn` returns."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        try:
            fn(*args, **kw)
        except SystemExit:
            return err.getvalue()
    return None


class Names(unittest.TestCase):
    def test_near_duplicates_are_word_prefixes(self):
        pairs = bc.near_duplicates(["AT&T", "AT&T NetBond", "AT&T Dynamic Exchange", "Internet2", "Internet Solutions"])
        self.assertEqual(pairs, [("AT&T Dynamic Exchange", "AT&T"), ("AT&T NetBond", "AT&T")])
        # a prefix of a word is not a prefix of the name
        self.assertEqual(bc.near_duplicates(["Orange", "Orangery"]), [])
        self.assertEqual(bc.near_duplicates(["MTN", "MTN Business"]), [("MTN Business", "MTN")])

    def test_a_near_duplicate_without_a_decision_stops_the_build(self):
        msg = dies(bc.canonical_names, ["Foo", "Foo Bar"], folds={}, keep_apart={})
        self.assertIn("'Foo' / 'Foo Bar'", msg)
        self.assertIn("FOLDS or KEEP_APART", msg)

    def test_a_fold_makes_the_short_name_a_spelling(self):
        mapping, decisions = bc.canonical_names(
            ["Foo", "Foo Bar", "Foo Bar"], folds={"Foo": ("Foo Bar", "one-off")}, keep_apart={}
        )
        self.assertEqual(mapping, {"Foo": "Foo Bar", "Foo Bar": "Foo Bar"})
        self.assertEqual(decisions, [{"kind": "fold", "names": ["Foo", "Foo Bar"], "into": "Foo Bar", "why": "one-off"}])

    def test_kept_apart_names_stay_apart_and_stale_decisions_stop_the_build(self):
        mapping, decisions = bc.canonical_names(["Foo", "Foo Bar"], folds={}, keep_apart={("Foo Bar", "Foo"): "two companies"})
        self.assertEqual(mapping, {"Foo": "Foo", "Foo Bar": "Foo Bar"})
        self.assertEqual(decisions[0]["kind"], "keep_apart")
        msg = dies(bc.canonical_names, ["Foo"], folds={"Foo": ("Foo Bar", "x")}, keep_apart={})
        self.assertIn("does not match two names", msg)
        msg = dies(bc.canonical_names, ["Foo"], folds={}, keep_apart={("Foo Bar", "Foo"): "x"})
        self.assertIn("does not match two names", msg)

    def test_spellings_that_differ_only_in_case_need_an_alias(self):
        msg = dies(bc.canonical_names, ["Zayo", "ZAYO"], folds={}, keep_apart={})
        self.assertIn("differ only in case", msg)
        # known ones are aliased
        mapping, _ = bc.canonical_names(["Coresite", "CoreSite"], folds={}, keep_apart={})
        self.assertEqual(set(mapping.values()), {"CoreSite"})


class Markdown(unittest.TestCase):
    def test_cells_split_on_every_kind_of_line_break(self):
        fixes = []
        self.assertEqual(bc.names("Digital Realty<br/Equinix<br/>euNetworks", fixes, "x"), ["Digital Realty", "Equinix", "euNetworks"])
        self.assertEqual(fixes[0]["as_listed"], "Digital Realty<br/Equinix")
        self.assertEqual(bc.names("Megaport<br/>Zayo</br> "), ["Megaport", "Zayo"])
        self.assertEqual(bc.names("Verizon </br>"), ["Verizon"])
        self.assertEqual(bc.names("Ascenty<br/> "), ["Ascenty"])

    def test_footnote_marks_and_links(self):
        self.assertEqual(bc.items("Megaport<sup>1</sup><br>Zayo<sup>1</sup>"), [("Megaport", "1"), ("Zayo", "1")])
        self.assertEqual(bc.items(" Equinix<br>Megaport<br>"), [("Equinix", None), ("Megaport", None)])
        self.assertEqual(bc.addresses("[Cologix MIN1](https://a/) and [Cologix MIN3](https://b/)"), ["Cologix MIN1", "Cologix MIN3"])
        self.assertEqual(bc.plain("**Amsterdam2**"), "Amsterdam2")

    def test_tables_and_front_matter(self):
        t = bc.tables("| A | B |\n|--|--|\n| 1 | 2 |\n| 3 | 4|\n\ntext")
        self.assertEqual(t, [(["A", "B"], [["1", "2"], ["3", "4"]])])
        self.assertEqual(bc.ms_date("---\ntitle: x\nms.date: 04/28/2026\n---\nbody"), "04/28/2026")
        self.assertIsNotNone(dies(bc.ms_date, "no front matter"))

    def test_direct_page(self):
        with open(os.path.join(SOURCES, "expressroute-erdirect-about.md"), encoding="utf-8") as f:
            d = bc.parse_direct_page(f.read())
        self.assertEqual(d["circuit_bandwidths_gbps_by_port"], {"10": [1, 2, 5, 10], "100": [5, 10, 40, 100], "400": [5, 10, 40, 100, 200, 400]})
        self.assertEqual(d["sku_tiers"], ["Local", "Standard", "Premium"])


class Build(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.out = bc.build(SOURCES)

    def location(self, cloud, name):
        return next(l for l in self.out["locations"] if l["cloud"] == cloud and l["name"] == name)

    def test_counts_of_the_saved_pages(self):
        c = self.out["counts"]
        self.assertEqual((c["locations_global"], c["locations_us_government"], c["locations_china"]), (105, 9, 4))
        self.assertEqual(c["metro_locations"], 28)
        self.assertEqual(c["exchanges"], 10)
        self.assertEqual(self.out["as_of"], "2026-04-28")
        self.assertEqual(self.out["source"]["commit"], "0034968231599d97f4958cbb4ed673ea9feb4c3c")

    def test_folds(self):
        london = self.location("global", "London")
        self.assertIn("CenturyLink Cloud Connect", london["partners"])
        self.assertNotIn("CenturyLink", london["partners"])
        sv = self.location("us_government", "Silicon Valley")
        self.assertIn("AT&T NetBond", sv["partners"])
        kinds = {(d["kind"], d["names"][0]) for d in self.out["name_decisions"]}
        self.assertIn(("fold", "CenturyLink"), kinds)
        self.assertIn(("fold", "AT&T"), kinds)
        self.assertIn(("keep_apart", "MTN"), kinds)

    def test_routes_and_omitted_carriers(self):
        madrid = self.location("global", "Madrid")
        self.assertEqual(
            madrid["carriers"],
            [{"name": "Zertia", "via": ["Level 3 Communications"], "routes": [{"listed_as": "Level3", "partner": "Level 3 Communications", "exchange_provider": False}]}],
        )
        ams = self.location("global", "Amsterdam")
        self.assertNotIn("Telecom Italia Sparkle", [c["name"] for c in ams["carriers"]])
        omitted = {(o["carrier"], o["location"]) for o in self.out["omitted_carrier_listings"]}
        self.assertIn(("Telecom Italia Sparkle", "Amsterdam"), omitted)
        self.assertIn(("Crown Castle", "New York"), omitted)

    def test_metro_future_and_national_local_column(self):
        toronto = self.location("global", "Toronto Metro")
        self.assertEqual(toronto["partners"], [])
        self.assertEqual(toronto["partners_future"], ["Megaport", "Zayo"])
        self.assertEqual(toronto["local_azure_regions"], ["Canada Central"])
        self.assertIn("expected to fail until the providers become active", self.out["metro_future_note"])
        self.assertTrue(all(c["local_regions_listed"] for c in self.out["clouds"]))
        self.assertEqual(self.location("us_government", "Chicago")["local_azure_regions"], [])
        self.assertEqual(self.location("us_government", "Phoenix")["local_azure_regions"], ["US Gov Arizona"])

    def test_output_is_deterministic_and_checked(self):
        self.assertEqual(bc.render(bc.build(SOURCES)), bc.render(self.out))
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "catalog.json")
            run = lambda *a: subprocess.run([sys.executable, SCRIPT, "-o", out, *a], capture_output=True, text=True)
            self.assertEqual(run().returncode, 0)
            self.assertEqual(run("--check").returncode, 0)
            with open(out, "a", encoding="utf-8") as f:
                f.write(" ")
            r = run("--check")
            self.assertNotEqual(r.returncode, 0)
            self.assertIn("is not what scripts/catalog-sources gives", r.stderr)

    def test_a_page_newer_than_its_manifest_entry_stops_the_build(self):
        with tempfile.TemporaryDirectory() as d:
            src = os.path.join(d, "src")
            shutil.copytree(SOURCES, src)
            path = os.path.join(src, "sources.json")
            with open(path, encoding="utf-8") as f:
                m = json.load(f)
            m["files"][1]["ms_date"] = "01/01/2020"
            with open(path, "w", encoding="utf-8") as f:
                json.dump(m, f)
            msg = dies(bc.build, src)
            self.assertIn("metro.md: sources.json says ms.date 01/01/2020, the page says 05/10/2026", msg)


if __name__ == "__main__":
    unittest.main()
