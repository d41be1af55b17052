#!/usr/bin/env python3
"""test_series.py - the regression check's github-action-benchmark JSON
and its way back (ptb/regress/series.py, ptb/regress/cli.py --bench-json and
--series).

  Shape:        what the shape check rejects, one broken entry at a time.
  RealCsv:      ptb/regress/cli.py compare on the committed baseline CSV (a real
                make baseline run): every metric once, value = the median
                of its repetitions (recomputed here), range = its IQR; then
                a data.js as github-action-benchmark writes it, read back
                into history rows, and `ptb/regress/cli.py run --series` refusing a
                data.js that is not one.
  RealRun:      the JSON of a real `make regress` given in PTB_REGRESS_JSON
                (`make test-regress-json`, run by CI after make regress);
                skipped when PTB_REGRESS_JSON is not set.

Run: python3 -m unittest discover -s tests/scripts/regress
"""
import copy
import json
import os
import statistics
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
from ptb.plot import csvkeys
from ptb.regress import metrics as rm
from ptb.regress import render as rr
from ptb.regress import series as rser

BASELINE = os.path.join(ROOT, "results", "baseline.csv")
GOOD = [{"name": "a fork/thread", "unit": "×", "value": 1.5, "range": "IQR 1.4 – 1.6",
         "extra": "primary"},
        {"name": "a thread ns/op", "unit": "ns/step", "value": 20}]


def data_js(runs, name=rser.SERIES_NAME):
    """A data.js as github-action-benchmark stores it: one suite `name`,
    one entry per (sha, ms since the epoch, benches)."""
    entries = [{"commit": {"id": sha, "message": "m", "timestamp": "2026-01-01T00:00:00Z",
                           "url": f"https://example.invalid/commit/{sha}"},
                "date": ms, "tool": "customSmallerIsBetter", "benches": benches}
               for sha, ms, benches in runs]
    body = {"lastUpdate": runs[-1][1] if runs else 0, "repoUrl": "", "entries": {name: entries}}
    return rser.DATA_JS_PREFIX + json.dumps(body, indent=2)


class Shape(unittest.TestCase):
    def broken(self, mutate):
        data = copy.deepcopy(GOOD)
        mutate(data)
        return rser.problems(data)

    def test_good(self):
        self.assertEqual(rser.problems(GOOD), [])

    def test_each_break_is_found(self):
        cases = {
            "no value": lambda d: d[0].pop("value"),
            "no unit": lambda d: d[1].pop("unit"),
            "string value": lambda d: d[0].__setitem__("value", "1.5"),
            "NaN value": lambda d: d[0].__setitem__("value", float("nan")),
            "bool value": lambda d: d[0].__setitem__("value", True),
            "empty name": lambda d: d[0].__setitem__("name", " "),
            "numeric range": lambda d: d[0].__setitem__("range", 0.1),
            "unknown key": lambda d: d[0].__setitem__("median", 1.5),
            "twice": lambda d: d[1].__setitem__("name", d[0]["name"]),
        }
        for what, mutate in cases.items():
            with self.subTest(what):
                self.assertTrue(self.broken(mutate), what)
        self.assertEqual(rser.problems({"name": "x"}), ["the top level is a dict, not an array"])
        self.assertEqual(rser.problems([]), ["the array is empty: no metric"])

    def test_check_command(self):
        with tempfile.TemporaryDirectory() as tmp:
            good, bad, junk = (os.path.join(tmp, n) for n in ("g.json", "b.json", "j.json"))
            with open(good, "w") as f:
                json.dump(GOOD, f)
            with open(bad, "w") as f:
                json.dump([{"name": "x"}], f)
            with open(junk, "w") as f:
                f.write("{not json")
            run = [sys.executable, "-m", "ptb.regress.series", "check"]
            self.assertEqual(subprocess.run(run + [good], capture_output=True).returncode, 0)
            self.assertEqual(subprocess.run(run + [bad], capture_output=True).returncode, 1)
            self.assertEqual(subprocess.run(run + [junk], capture_output=True).returncode, 2)


class RealCsv(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.json = os.path.join(cls.tmp.name, "benchmark.json")
        proc = subprocess.run([sys.executable, "-m", "ptb.regress", "compare",
                               BASELINE, BASELINE, "--bench-json", cls.json],
                              capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
        with open(cls.json, encoding="utf-8") as f:
            cls.data = json.load(f)
        _, rows = rm.load(BASELINE)
        cls.metrics = {m.name: m for m in rm.metrics(rows)}

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_shape(self):
        self.assertEqual(rser.problems(self.data), [])

    def test_every_metric_once_with_its_median(self):
        self.assertEqual(sorted(e["name"] for e in self.data), sorted(self.metrics))
        for e in self.data:
            m = self.metrics[e["name"]]
            self.assertEqual(e["unit"], m.unit)
            self.assertAlmostEqual(e["value"], statistics.median(m.values),
                                   delta=abs(e["value"]) * 1e-5)
            kind = "primary" if m.kind == rm.PRIMARY else "secondary"
            self.assertTrue(e["extra"].startswith(kind), e["extra"])

    def test_round_trip_through_data_js(self):
        runs = [("a" * 40, 1_700_000_000_000, self.data),
                ("b" * 40, 1_700_000_360_000, self.data[:3])]
        rows = rser.history_rows(data_js(runs))
        self.assertEqual(len(rows), len(self.data) + 3)
        self.assertEqual({r[0] for r in rows}, {"aaaaaaa", "bbbbbbb"})
        self.assertEqual(rows[0][1], "2023-11-14T22:13:20Z")
        by_name = {r[2]: r for r in rows if r[0] == "aaaaaaa"}
        for e in self.data:
            q1, q3 = (float(x) for x in e["range"][4:].split(" – "))
            self.assertAlmostEqual(float(by_name[e["name"]][3]), e["value"], places=4)
            self.assertAlmostEqual(float(by_name[e["name"]][4]), q3 - q1,
                                   delta=1e-5 * max(1.0, abs(q3)))
        self.assertEqual({r[5] for r in rows}, {"1"})   # the baseline's suite version
        # the baseline it was checked against (here itself) and its median
        self.assertEqual({r[6] for r in rows}, {rr.baseline_id(csvkeys.load_meta(BASELINE))})
        for r in rows:
            self.assertEqual(float(r[7]), float(r[3]), r[2])
        old = [dict(GOOD[0], range="IQR 1.4 – 1.6")]     # written before the baseline lines
        self.assertEqual(rser.history_rows(data_js([("c" * 40, 1, old)]))[0][5:], ["1", "", ""])
        self.assertEqual(rser.history_rows(data_js(runs), name="another suite"), [])

    def test_not_a_series(self):
        for text in ("var x = 1", rser.DATA_JS_PREFIX + "{", rser.DATA_JS_PREFIX + "[]",
                     data_js([("c" * 40, 1, [{"name": "x", "unit": "×", "value": 1}])])):
            with self.subTest(text[:30]):
                with self.assertRaises(rser.BadSeries):
                    rser.history_rows(text)

    def test_run_refuses_a_bad_series_before_measuring(self):
        series = os.path.join(self.tmp.name, "data.js")
        with open(series, "w") as f:
            f.write("not a data.js")
        work = os.path.join(self.tmp.name, "work")
        driver = os.path.join(self.tmp.name, "ptbench")   # must never be started
        with open(driver, "w") as f:
            f.write("#!/bin/sh\necho started > \"$0.started\"\nexit 1\n")
        os.chmod(driver, 0o755)
        proc = subprocess.run([sys.executable, "-m", "ptb.regress", "run",
                               "--build-dir", self.tmp.name, "--series", series,
                               "--work-dir", work, "--out-dir", self.tmp.name],
                              capture_output=True, text=True, cwd=ROOT)
        self.assertEqual(proc.returncode, 2)
        self.assertEqual(len(proc.stderr.strip().splitlines()), 1, proc.stderr)
        self.assertIn("--series", proc.stderr)
        self.assertFalse(os.path.exists(work))
        self.assertFalse(os.path.exists(driver + ".started"))


class RealRun(unittest.TestCase):
    """The JSON that a real make regress wrote."""

    def test_shape_of_the_real_run(self):
        path = os.environ.get("PTB_REGRESS_JSON")
        if not path:
            self.skipTest("PTB_REGRESS_JSON not set (make test-regress-json sets it)")
        self.assertTrue(os.path.isfile(path), f"{path}: no such file (run make regress first)")
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        self.assertEqual(rser.problems(data), [])
        names = {e["name"] for e in data}
        self.assertTrue(any(e["unit"] == "×" for e in data), "no primary (ratio) metric")
        self.assertTrue(any(e["unit"].startswith("ns/") for e in data), "no per-op metric")
        csv_path = os.path.join(os.path.dirname(path), "current.csv")
        _, rows = rm.load(csv_path)
        self.assertEqual(names, {m.name for m in rm.metrics(rows)})


if __name__ == "__main__":
    unittest.main()
