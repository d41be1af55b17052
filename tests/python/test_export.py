"""test_export.py - what `ptbench run --export-json/--export-markdown/
--export-bench-json` write, parsed back (doc/export.md): the JSON's schema,
its statistics recomputed from its own values, the machine meta; the
Markdown table's rows; github-action-benchmark's list and the tool its
direction needs; and `ptbench compare OLD NEW` on CSVs and exports: a
verdict per measure, --fail-above, bad input in one line.  Runs with any
python3 (the binary finds an interpreter with scipy for compare)."""

import csv
import json
import os
import statistics
import subprocess
import tempfile
import unittest

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.path.join(TOP, os.environ.get("PTB_BUILD", "build"))
PTBENCH = os.path.join(BUILD, "ptbench")


def ptbench(*args, cwd):
    return subprocess.run([PTBENCH] + list(args), capture_output=True, text=True, timeout=300,
                          cwd=cwd)


def quantile(v, q):
    """Type 7, as lib/stats.c."""
    v = sorted(v)
    pos = q * (len(v) - 1)
    lo = int(pos)
    return v[-1] if lo + 1 >= len(v) else v[lo] + (pos - lo) * (v[lo + 1] - v[lo])


class Exports(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="ptb-export-test.")
        cls.dir = cls.tmp.name
        cls.proc = ptbench("run", "-w", "cpu,footprint", "-m", "thread,fork", "-n", "1,2", "-r", "3",
                          "--warmup", "0", "-q", "--steps", "1000", "-o", "r.csv",
                          "--export-json", "r.json", "--export-markdown", "r.md",
                          "--export-bench-json", "b.json", cwd=cls.dir)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def read(self, name):
        with open(os.path.join(self.dir, name), encoding="utf-8") as f:
            return f.read()

    def test_json(self):
        self.assertEqual(self.proc.returncode, 0, self.proc.stderr)
        doc = json.loads(self.read("r.json"))
        self.assertEqual(doc["schema"], "ptbench-export")
        self.assertEqual(doc["schema_version"], 1)
        self.assertIn("cpu_model", doc["meta"])
        self.assertIn("cores_online", doc["meta"])
        res = doc["results"]
        self.assertEqual(len(res), 8)   # 2 workloads x 2 worker counts x 2 models
        with open(os.path.join(self.dir, "r.csv"), newline="") as f:
            rows = list(csv.DictReader(f))
        for r in res:
            key = (r["workload"], r["model"], str(r["workers"]))
            mine = [row for row in rows if (row["workload"], row["model"], row["workers"]) == key]
            self.assertEqual(r["n"], len(mine), key)
            self.assertEqual(len(r["values"]), r["n"])
            v = r["values"]
            self.assertAlmostEqual(r["median"], statistics.median(v), delta=1e-9 * max(v))
            self.assertAlmostEqual(r["mean"], statistics.mean(v), delta=1e-9 * max(v))
            self.assertAlmostEqual(r["stddev"], statistics.stdev(v), delta=1e-9 * max(v))
            self.assertEqual((r["min"], r["max"]), (min(v), max(v)))
            self.assertAlmostEqual(r["iqr"], quantile(v, 0.75) - quantile(v, 0.25),
                                   delta=1e-9 * max(v))
            if r["workload"] == "cpu":
                self.assertEqual((r["unit"], r["better"], r["measure"]),
                                 ("ns/step", "lower", "time per op"))
                want = sorted(float(row["ns_per_op"]) for row in mine)
                for got, exp in zip(sorted(v), want):
                    self.assertAlmostEqual(got, exp, delta=1e-5 * exp)
            else:
                self.assertEqual((r["unit"], r["better"]), ("B", "lower"))
                want = sorted(float(row["pss_kb"]) * 1024 / r["workers"] for row in mine)
                self.assertEqual(sorted(v), want)

    def test_markdown(self):
        self.assertEqual(self.proc.returncode, 0, self.proc.stderr)
        lines = self.read("r.md").splitlines()
        table = [ln for ln in lines if ln.startswith("|")]
        head = [c.strip() for c in table[0].strip("|").split("|")]
        self.assertEqual(head[:7], ["workload", "params", "workers", "model", "n", "measure",
                                    "median"])
        self.assertTrue(set(table[1]) <= set("|-: "), table[1])
        body = [[c.strip() for c in ln.strip("|").split("|")] for ln in table[2:]]
        self.assertEqual(len(body), 8)
        for cells in body:
            self.assertEqual(len(cells), len(head), cells)
            self.assertEqual(cells[4], "3")
            self.assertRegex(cells[6], r"^\d+(\.\d+)? (ns|µs|ms|s|B|kB|MB|GB)$")
            self.assertNotIn("e+", cells[6])
        self.assertTrue(any(ln.startswith("n: repetitions") for ln in lines))

    def test_bench_json(self):
        self.assertEqual(self.proc.returncode, 0, self.proc.stderr)
        entries = json.loads(self.read("b.json"))
        self.assertEqual(len(entries), 8)
        for e in entries:
            self.assertEqual(set(e) - {"range", "extra"}, {"name", "unit", "value"})
            self.assertIsInstance(e["value"], (int, float))
        self.assertEqual(len({e["name"] for e in entries}), 8)
        self.assertIn("b.json: for github-action-benchmark's tool: customSmallerIsBetter",
                      self.proc.stderr)

    def test_bench_json_throughput(self):
        p = ptbench("run", "-w", "copy", "-m", "thread", "-n", "1", "-r", "2", "--warmup", "0",
                    "-q", "--files", "2", "--file-size", "64k", "-o", "c.csv",
                    "--export-bench-json", "c.json", cwd=self.dir)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("customBiggerIsBetter", p.stderr)
        entries = json.loads(self.read("c.json"))
        self.assertEqual([e["unit"] for e in entries], ["B/s"])


def export(path, values, unit="ns/step", better="lower"):
    """An --export-json file of one measure (cpu, thread, 1 worker)."""
    doc = {"schema": "ptbench-export", "schema_version": 1, "ptbench": "test", "meta": None,
           "results": [{"workload": "cpu", "params": "steps=1000", "workers": 1, "tasks": 1,
                        "model": "thread", "variant": "thread", "measure": "time per op",
                        "unit": unit, "better": better, "n": len(values), "values": values}]}
    with open(path, "w") as f:
        json.dump(doc, f)


class Compare(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="ptb-compare-test.")
        self.dir = self.tmp.name
        export(os.path.join(self.dir, "old.json"), [10.0, 10.1, 10.2, 9.9, 9.8, 9.95, 10.05])
        export(os.path.join(self.dir, "new.json"), [20.0, 20.2, 19.8, 20.1, 19.9, 20.05, 19.95])

    def tearDown(self):
        self.tmp.cleanup()

    def line_of(self, out):
        return next(ln for ln in out.splitlines() if ln.startswith("cpu steps=1000, workers=1: thread"))

    def test_worse_and_fail_above(self):
        p = ptbench("compare", "old.json", "new.json", cwd=self.dir)
        self.assertEqual(p.returncode, 0, p.stderr)
        line = self.line_of(p.stdout)
        self.assertTrue(line.endswith(" worse"), line)
        for text in ("10.0 ns/step", "20.0 ns/step", "2.00×", "+1.00"):
            self.assertIn(text, line)
        self.assertRegex(line, r"\[\d\.\d+–\d\.\d+\]")   # the 95% CI
        p = ptbench("compare", "old.json", "new.json", "--fail-above", "1.5", cwd=self.dir)
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertIn("regression", p.stderr)
        p = ptbench("compare", "old.json", "new.json", "--fail-above", "3", cwd=self.dir)
        self.assertEqual(p.returncode, 0, p.stderr)
        # the other way round: better, never a regression
        p = ptbench("compare", "new.json", "old.json", "--fail-above", "1.01", cwd=self.dir)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertTrue(self.line_of(p.stdout).endswith(" better"))

    def test_bigger_is_better(self):
        export(os.path.join(self.dir, "old.json"), [10.0, 10.1, 10.2, 9.9, 10.05], "B/s", "higher")
        export(os.path.join(self.dir, "new.json"), [5.0, 5.1, 4.9, 5.05, 4.95], "B/s", "higher")
        p = ptbench("compare", "old.json", "new.json", "--fail-above", "1.5", cwd=self.dir)
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertTrue(self.line_of(p.stdout).endswith(" worse"))

    def test_csv_against_export(self):
        p = ptbench("run", "-w", "cpu", "-m", "thread,fork", "-n", "1", "-r", "5", "--warmup", "0",
                    "-q", "--steps", "1000", "-o", "a.csv", "--export-json", "a.json", cwd=self.dir)
        self.assertEqual(p.returncode, 0, p.stderr)
        p = ptbench("compare", "a.csv", "a.json", cwd=self.dir)
        self.assertEqual(p.returncode, 0, p.stderr)
        verdicts = [ln.split()[-1] for ln in p.stdout.splitlines()
                    if ln.startswith("cpu steps=1000, workers=1: ")]
        self.assertEqual(verdicts, ["unchanged", "unchanged"], p.stdout)

    def test_bad_input(self):
        with open(os.path.join(self.dir, "junk.csv"), "w") as f:
            f.write("a,b\n1,2\n")
        for args in (["old.json"], ["old.json", "missing.csv"], ["junk.csv", "old.json"],
                     ["old.json", "new.json", "--fail-above", "zero"], ["old.json", "new.json", "-x"]):
            p = ptbench("compare", *args, cwd=self.dir)
            self.assertEqual(p.returncode, 2, (args, p.stderr))
            self.assertEqual(p.stdout, "", args)
            self.assertEqual(p.stderr.count("\n"), 1, (args, p.stderr))

    def test_help(self):
        p = ptbench("--help", cwd=self.dir)
        self.assertIn("ptbench compare OLD NEW [--fail-above RATIO]", p.stdout)
        p = ptbench("compare", "--help", cwd=self.dir)
        self.assertEqual(p.returncode, 0)
        self.assertIn("--fail-above RATIO", p.stdout)


if __name__ == "__main__":
    unittest.main()
