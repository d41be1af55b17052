#!/usr/bin/env python3
"""test_table_stability.py - make table-stability's counting and labels
(ptb/table/stability.py --from-dirs) on the committed table data, one
copy changed so that one claim's verdict differs (its one condition:
"undecided"; two of its six: "depends on" them), and the label in the
one-screen summary (table.md's and the README's): no measuring.
test_table_stability_labels.py checks the labels and durations on small
made-up run directories.

Run: make test-table
"""
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

TOP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..")
RESULTS = os.path.join(TOP, "results")
from ptb.table import summary as ts


def copy_table(dest):
    """The committed table's meta and its crash and create rows (the other
    claims then say "not measured": fewer statistics, a faster test)."""
    os.makedirs(dest)
    with open(os.path.join(RESULTS, "table.csv"), newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["workload"] in ("crash", "create")]
    write_rows(os.path.join(dest, "table.csv"), rows)
    with open(os.path.join(RESULTS, "table.meta.json")) as f:
        meta = json.load(f)
    kept = {r["run_id"] for r in rows}
    for run in meta["runs"]:
        if run["run_id"] not in kept:
            meta["missing"][run["id"]] = "not run (--only)"
    meta["runs"] = [run for run in meta["runs"] if run["run_id"] in kept]
    with open(os.path.join(dest, "table.meta.json"), "w") as f:
        json.dump(meta, f)


def write_rows(path, rows):
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


class Stability(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        for d in ("a", "b", "out"):
            copy_table(os.path.join(self.dir, d))

    def tearDown(self):
        shutil.rmtree(self.dir)

    def run_it(self, *dirs):
        return subprocess.run([sys.executable, "-m", "ptb.table.stability",
                               "--from-dirs", ",".join(os.path.join(self.dir, d) for d in dirs),
                               "--out-dir", os.path.join(self.dir, "out")],
                              capture_output=True, text=True)

    def read(self, name):
        with open(os.path.join(self.dir, "out", name)) as f:
            return f.read()

    def test_same_data_is_unanimous(self):
        self.assertEqual(self.run_it("a", "b").returncode, 0)
        rec = json.loads(self.read("table-stability.json"))
        self.assertTrue(all(c["unanimous"] for c in rec["claims"].values()))
        # the committed table's C1 verdict, whatever it is, twice, and the
        # time of its measures in the committed meta
        c1 = rec["claims"]["C1"]["verdicts"][0]
        with open(os.path.join(self.dir, "a", "table.meta.json")) as f:
            c1_s = round(sum(r["seconds"] for r in json.load(f)["runs"]
                             if r["id"] in ("create", "create-parent", "create-exec")), 1)
        self.assertIn(c1, ("holds", "fails", "depends"))
        self.assertEqual(rec["claims"]["C1"], {"verdicts": [c1, c1], "counts": {c1: 2},
                                               "runs": 2, "agree": 2, "unanimous": True,
                                               "label": None, "judged": 0, "flips": [],
                                               "measures": ["create", "create-parent", "create-exec"],
                                               "seconds": [c1_s, c1_s]})
        md = self.read("table.md")
        for word in ("**undecided**", "**depends on**", "unstable"):
            self.assertNotIn(word, md)

    def test_a_changed_verdict_is_labelled_undecided(self):
        # in run b the forked workers die with the crashing one, as threads do
        path = os.path.join(self.dir, "b", "table.csv")
        with open(path, newline="") as f:
            rows = list(csv.DictReader(f))
        for r in rows:
            if r["workload"] == "crash" and r["model"] == "fork" and r["result"] != "":
                r["result"] = "0"
        write_rows(path, rows)
        self.assertEqual(self.run_it("a", "b").returncode, 0)
        rec = json.loads(self.read("table-stability.json"))
        self.assertFalse(rec["claims"]["C6"]["unanimous"])
        self.assertEqual(rec["claims"]["C6"]["counts"], {"holds": 1, "fails": 1})
        self.assertEqual([k for k, c in rec["claims"].items() if not c["unanimous"]], ["C6"])
        # its one judged condition went both ways: nothing explains the flip
        self.assertEqual(rec["claims"]["C6"]["label"], "undecided")
        self.assertEqual([(f["name"], f["outcomes"]) for f in rec["claims"]["C6"]["flips"]],
                         [("1 of 4 workers crashes", ["a_higher", "same"])])
        report = self.read("table-stability.md")
        with open(os.path.join(self.dir, "a", "table.meta.json")) as f:
            crash_s = next(r["seconds"] for r in json.load(f)["runs"] if r["id"] == "crash")
        self.assertIn("| C6 | 1 of 2 (holds) | holds, fails | **undecided** (holds in 1, fails in "
                      "1 of 2 runs) | %.0f |" % crash_s, report)
        self.assertIn("- **C6** **undecided**: the one condition it is judged by went both ways "
                      "between runs:\n  - 1 of 4 workers crashes (`crash`, expected: fork higher): "
                      "fork higher, same\n", report)
        md = self.read("table.md")
        self.assertNotIn("unstable", md)
        self.assertIn("**C6** a crashing thread kills the whole process; processes are isolated "
                      "(000): **undecided** (holds in 1, fails in 1 of 2 runs); this run: holds", md)
        self.assertIn("C6: **undecided** (holds in 1, fails in 1 of 2 runs)<br>", md)
        self.assertIn("Not unanimous, so labelled here instead of settled: C6 **undecided**.", md)
        # the summary says it in table.md, and the verdict matrix in table.md and the README
        glance = md[md.index("## At a glance"):md.index("## The table")]
        label = "| C6: **undecided** (holds in 1, fails in 1 of 2 runs); this run: **holds** |"
        self.assertIn(label, glance)
        readme = os.path.join(self.dir, "README.md")
        with open(readme, "w") as f:
            f.write(f"{ts.README_BEGIN}\n{ts.README_END}\n")
        proc = subprocess.run([sys.executable, "-m", "ptb.table.readme", "--results",
                               os.path.join(self.dir, "out"), "--readme", readme],
                              capture_output=True, text=True)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        with open(readme) as f:
            text = f.read()
        row = next(ln for ln in text.splitlines() if ln.startswith("| **reliability**: "))
        self.assertIn("⚠ **undecided** · survivors", row.split(" | ")[1])
        self.assertIn("⚠ **undecided**", glance)
        self.assertNotIn("unstable", text)

    def test_a_verdict_flipped_by_two_conditions_depends_on_them(self):
        # in run b vfork creates ten times slower, at both parent sizes: C1's
        # verdict moves from depends to holds, by those two of its six conditions
        path = os.path.join(self.dir, "b", "table.csv")
        with open(path, newline="") as f:
            rows = list(csv.DictReader(f))
        with open(os.path.join(self.dir, "b", "table.meta.json")) as f:
            create = next(set(r.get("run_ids") or [r["run_id"]])     # every round's
                          for r in json.load(f)["runs"] if r["id"] == "create")
        for r in rows:
            if r["run_id"] in create and r["model"] == "vfork" and r["ns_per_op"]:
                r["ns_per_op"] = str(float(r["ns_per_op"]) * 10)
                r["wall_ns"] = str(int(r["wall_ns"]) * 10)
        write_rows(path, rows)
        self.assertEqual(self.run_it("a", "b").returncode, 0)
        rec = json.loads(self.read("table-stability.json"))
        c1 = rec["claims"]["C1"]
        self.assertEqual([k for k, c in rec["claims"].items() if not c["unanimous"]], ["C1"])
        self.assertEqual((c1["verdicts"], c1["label"], c1["judged"]),
                         (["depends", "holds"], "depends on", 6))
        # the flips are vfork's conditions, now processes slower (which of
        # them flipped depends on where the committed run had them)
        flips = c1["flips"]
        self.assertTrue(flips)
        for f in flips:
            self.assertEqual((f["name"].startswith("vfork parent="), f["finding"], f["outcomes"][-1]),
                             (True, "create", "a_higher"), f)
        names = ", ".join(f["name"] for f in flips)
        label = f"**depends on** {names} (depends in 1, holds in 1 of 2 runs)"
        self.assertIn(f"| C1 | 1 of 2 (depends) | depends, holds | {label} | ",
                      self.read("table-stability.md"))
        md = self.read("table.md")
        self.assertIn(f"{label}; this run: depends — ", md)
        self.assertIn(f"C1: {label}<br>", md)
        self.assertIn(f"⚠ **depends on** {names} · ", md)
        self.assertNotIn("unstable", md)

    def test_bad_arguments(self):
        for args in (["--runs", "1"], ["--from-dirs", "/nonexistent,/x"], ["--out-dir", "/nonexistent"]):
            done = subprocess.run([sys.executable, "-m", "ptb.table.stability"] + args,
                                  capture_output=True, text=True)
            self.assertEqual(done.returncode, 2, args)
            self.assertEqual(len(done.stderr.strip().splitlines()), 1, done.stderr)


if __name__ == "__main__":
    unittest.main()
