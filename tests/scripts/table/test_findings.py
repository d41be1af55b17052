"""test_findings.py - results/findings.json as make table writes it: the
committed file is what the committed table.csv and meta give (the pipeline
rebuilt, byte for byte), a table.csv short of rows is refused with one line
and nothing written, and a findings file of another schema is refused.

Run: python3 -m unittest discover -s tests/scripts/table   (or `make test-table`)
"""
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

from ptb.table import findings as fnd

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
RESULTS = os.path.join(ROOT, "results")


def rebuild(directory):
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run([sys.executable, "-m", "ptb.table", "--from-csv", "--out-dir", directory],
                          capture_output=True, text=True, cwd=ROOT, env=env)


class Findings(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="ptb-test-findings-")
        for name in ("table.csv", "table.meta.json", "table-stability.json"):
            shutil.copyfile(os.path.join(RESULTS, name), os.path.join(self.dir, name))

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def test_committed_findings_are_the_committed_rows_judged(self):
        proc = rebuild(self.dir)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        for name in ("findings.json", "table.md"):
            with open(os.path.join(self.dir, name), encoding="utf-8") as f, \
                    open(os.path.join(RESULTS, name), encoding="utf-8") as g:
                self.assertEqual(f.read(), g.read(), f"{name}: run make table or --from-csv")

    def test_a_csv_short_of_rows_is_refused_and_nothing_written(self):
        path = os.path.join(self.dir, "table.csv")
        with open(path, newline="") as f:
            rows = list(csv.DictReader(f))
        kept = [r for r in rows if r["workload"] != "crash"]
        with open(path, "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0].keys()), lineterminator="\n")
            w.writeheader()
            w.writerows(kept)
        before = sorted(os.listdir(self.dir))
        proc = rebuild(self.dir)
        self.assertEqual(proc.returncode, 2, proc.stderr)
        self.assertEqual(len(proc.stderr.strip().splitlines()), 1, proc.stderr)
        self.assertIn("lacks rows: crash has 0 of", proc.stderr)
        self.assertIn("py-crash has 0 of", proc.stderr)
        self.assertEqual(sorted(os.listdir(self.dir)), before)

    def test_another_schema_is_refused(self):
        path = os.path.join(self.dir, "findings.json")
        with open(path, "w") as f:
            json.dump({"schema": fnd.SCHEMA + 1}, f)
        with self.assertRaisesRegex(fnd.BadFindings, "schema 2, this ptbench reads schema 1"):
            fnd.load(path)
        with self.assertRaisesRegex(fnd.BadFindings, "cannot read"):
            fnd.load(os.path.join(self.dir, "none.json"))

    def test_every_claim_in_both_languages_with_its_statistics(self):
        findings = fnd.load(os.path.join(RESULTS, "findings.json"))
        self.assertEqual([c["id"] for c in findings["claims"]], [f"C{i}" for i in range(1, 15)])
        for c in findings["claims"]:
            self.assertEqual(set(c["languages"]), {"C", "CPython"}, c["id"])
            for lang, rec in c["languages"].items():
                if rec["verdict"] == "not measured":
                    self.assertTrue(rec["not_measured"], (c["id"], lang))
                for cond in rec["conditions"]:
                    for side in ("process_stats", "thread_stats"):
                        self.assertEqual(set(cond[side]),
                                         {"n", "median", "q1", "q3", "iqr", "min", "max"})
                    self.assertIn("ratio_ci95", cond)
                    self.assertIn("noise_band", cond)
        c3 = fnd.language(findings, "C3", "CPython")["conditions"][0]
        self.assertEqual((c3["process"], c3["thread"], c3["unit"]), ("pyproc", "pythread", "kB"))
        self.assertGreater(c3["ratio"], 1)


if __name__ == "__main__":
    unittest.main()
