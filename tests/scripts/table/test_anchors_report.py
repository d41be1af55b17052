#!/usr/bin/env python3
"""test_anchors_report.py - the report of `make anchors`
(ptb/xcheck/anchors.py) on synthetic samples: every flagged row is a
fair pair (ptbench against a reference in the same conditions), the
inherited counter's cost is shown apart and flags nothing, "busy" is
judged by the CPUs anchors leaves free (not by its own load), bad input is
one line and exit 2.  No measurement.

Run: python3 -m unittest discover -s tests/scripts/table   (or `make test-table`)
"""
import io
import os
import tempfile
import unittest
from contextlib import redirect_stderr, redirect_stdout

from ptb.xcheck import anchors as ar


def samples(medians):
    """Five samples per name, spread 2% either side of the median given."""
    return {name: [med * f for f in (0.98, 0.99, 1.0, 1.01, 1.02)] for name, med in medians.items()}


class Report(unittest.TestCase):
    def render(self, data, load="0.10 0.10 0.10", other_busy="-"):
        return ar.report(data, "5", "1000", "10", load, load, other_busy, "1000", "10", [], 2)

    def table(self, text, heading_start):
        lines = text.splitlines()
        i = next(k for k, line in enumerate(lines) if line.startswith(heading_start))
        rows = []
        for line in lines[i + 2:]:
            if not line.startswith("|"):
                break
            rows.append([c.strip() for c in line.strip("|").split("|")])
        return rows

    def test_fair_pairs_are_flagged_outside_ten_percent_only(self):
        data = samples({"ptbench-create/fork": 75000, "ref-create/fork": 67500,
                        "ptbench-create/thread": 8400, "ref-create/thread": 8200,
                        "ptbench-create/spawn": 300000, "ref-create/spawn": 290000})
        rows = self.table(self.render(data), "| what | model | ptbench |")
        got = {r[1]: (r[4], r[5]) for r in rows}
        self.assertEqual(got, {"thread": ("1.02×", "yes"), "fork": ("1.11×", "**no**"),
                               "spawn": ("1.03×", "yes")})

    def test_the_python_share_channel_has_a_fifteen_percent_band(self):
        data = samples({"ptbench-pyshare/pythread": 11200, "pyref-share/thread": 10000,
                        "ptbench-pyshare/pyproc": 120000, "pyref-share/process": 100000})
        text = self.render(data)
        rows = self.table(text, "| what | model | ptbench |")
        self.assertEqual({r[1]: (r[4], r[5]) for r in rows},
                         {"pythread": ("1.12×", "yes"), "pyproc": ("1.20×", "**no**")})
        self.assertIn("`py_ref.py share -m thread`", text)
        self.assertIn("- Python share, multiprocessing.Queue of 64 KiB objects, one CPU, pyproc: 1.20×", text)

    def test_the_counter_rows_compare_no_ptbench_figure_and_flag_nothing(self):
        data = samples({"ptbench-create/vfork": 11300, "ref-create/vfork": 11200,
                        "refP-create/vfork": 13200,
                        "ptbench-switch/thread": 1890, "perf-pipe/thread": 1900,
                        "perf-pipe+counter/thread": 2150})
        text = self.render(data)
        fair = self.table(text, "| what | model | ptbench |")
        self.assertEqual([(r[1], r[5]) for r in fair], [("thread", "yes"), ("vfork", "yes")])
        self.assertNotIn("-P", "".join(r[3] for r in fair))
        counter = self.table(text, "| what | model | with the counter |")
        self.assertEqual([(r[1], r[4]) for r in counter], [("thread", "1.13×"), ("vfork", "1.18×")])
        self.assertEqual(len(counter[0]), 5)          # no "within" column
        self.assertNotIn("**no**", text)

    def test_the_page_faults_per_creation_side_by_side(self):
        data = samples({"ptbench-faults/fork": 10.09, "ref-faults/fork": 10.02,
                        "ptbench-faults/spawn": 51.26, "ref-faults/spawn": 51.10,
                        "ptbench-faults/vfork": 0.02})
        rows = self.table(self.render(data), "| model | ptbench | reference | difference |")
        self.assertEqual(rows, [["fork", "10.09", "10.02", "+0.07"], ["spawn", "51.26", "51.10", "+0.16"]])

    def test_a_pair_missing_a_side_is_left_out(self):
        data = samples({"ptbench-create/fork": 70000})
        self.assertEqual(self.table(self.render(data), "| what | model | ptbench |"), [])

    def test_a_busy_machine_is_said(self):
        data = samples({"ptbench-create/fork": 70000, "ref-create/fork": 69000})
        self.assertIn("**The machine was busy**", self.render(data, load="3.00 2.00 1.00"))
        self.assertNotIn("busy", self.render(data))

    def test_the_other_cpus_decide_busy_not_anchors_own_load(self):
        data = samples({"ptbench-create/fork": 70000, "ref-create/fork": 69000})
        quiet = self.render(data, load="1.70 1.50 1.60", other_busy="3.2")
        self.assertNotIn("**The machine was busy**", quiet)
        self.assertIn("The CPUs other than CPU 0 were 3.2% busy during the rounds", quiet)
        busy = self.render(data, load="0.10 0.10 0.10", other_busy="40")
        self.assertIn("**The machine was busy**: other work kept the CPUs that anchors leaves free "
                      "40.0% busy", busy)

    def test_bad_samples_are_one_line_and_exit_2(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "samples")
            with open(path, "w", encoding="utf-8") as f:
                f.write("ref-create/fork 67000\nref-create/fork sixty\n")
            err, out = io.StringIO(), io.StringIO()
            with redirect_stderr(err), redirect_stdout(out):
                rc = ar.main(["ptb/xcheck/anchors.py", path, "5", "1000", "10", "0.1 0.1 0.1",
                              "0.1 0.1 0.1", "-", "1000", "10"])
        self.assertEqual(rc, 2)
        self.assertEqual(out.getvalue(), "")
        self.assertEqual(err.getvalue(), f"ptb/xcheck/anchors.py: {path}: line 2: 'sixty' is not a number\n")

    def test_a_bad_busy_share_is_one_line_and_exit_2(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "samples")
            with open(path, "w", encoding="utf-8") as f:
                f.write("ref-create/fork 67000\n")
            for bad in ("150", "x"):
                err, out = io.StringIO(), io.StringIO()
                with redirect_stderr(err), redirect_stdout(out):
                    rc = ar.main(["ptb/xcheck/anchors.py", path, "5", "1000", "10", "0.1 0.1 0.1",
                                  "0.1 0.1 0.1", bad, "1000", "10"])
                self.assertEqual((rc, out.getvalue()), (2, ""))
                self.assertEqual(err.getvalue(), f"ptb/xcheck/anchors.py: other CPUs' busy time '{bad}' "
                                 "(allowed: a percentage 0-100, or - where there is no other CPU)\n")


if __name__ == "__main__":
    unittest.main()
