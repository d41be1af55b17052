#!/usr/bin/env python3
"""test_derived.py - ptb/derived.py on synthetic CSVs: the speed-up
column, and its physics guard (a speed-up above min(workers, cores) by
more than the noise is flagged "the machine's speed changed", not printed
as a figure).  Exact outputs, no ptbench run, no timing.

Run: python3 -m unittest discover -s tests/scripts/derived   (or `make test-derived`)
"""
import csv
import io
import os
import tempfile
import unittest
from contextlib import redirect_stdout

from ptb import derived
from ptb import csvio


def rows_for(workload, model, workers, ns_per_op_list, params="steps=100"):
    out = []
    for rep, nspo in enumerate(ns_per_op_list):
        r = {c: "" for c in csvio.COLUMNS_V2}
        r.update(run_id="t", workload=workload, model=model, workers=str(workers), params=params,
                 rep=str(rep), wall_ns=str(nspo * 100), user_ns=str(nspo * 100 * workers),
                 sys_ns="0", ops="100", ns_per_op=str(nspo), result="0", ok="1")
        out.append(r)
    return out


class SpeedUp(unittest.TestCase):
    def run_derived(self, rows, cores):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "x.csv")
            with open(path, "w", newline="", encoding="utf-8") as f:
                w = csv.DictWriter(f, fieldnames=csvio.COLUMNS_V2)
                w.writeheader()
                w.writerows(rows)
            buf = io.StringIO()
            with redirect_stdout(buf):
                rc = derived.main(["derived.py", path, "--cores", str(cores)])
        self.assertEqual(rc, 0)
        lines = buf.getvalue().splitlines()
        head = lines[1].split("\t")
        return {(c[head.index("model")], int(c[head.index("n")])): c[head.index("speed-up")]
                for c in (line.split("\t") for line in lines[2:])}

    def test_speedup_within_the_cores_is_printed(self):
        one = [200, 202, 198, 201, 199]
        two = [110, 111, 109, 110, 110]     # 200 / 110 = 1.82 on 2 cores
        got = self.run_derived(rows_for("cpu", "thread", 1, one) + rows_for("cpu", "thread", 2, two), 2)
        self.assertEqual(got[("thread", 1)], "1.00")
        self.assertEqual(got[("thread", 2)], "1.82")

    def test_speedup_above_the_cores_beyond_the_noise_is_flagged(self):
        one = [230, 231, 229, 230, 230]
        two = [100, 101, 99, 100, 100]      # 230 / 100 = 2.30 on 2 cores, noise 5%
        got = self.run_derived(rows_for("cpu", "fork", 1, one) + rows_for("cpu", "fork", 2, two), 2)
        self.assertEqual(got[("fork", 2)], "⚠ the machine's speed changed: 2.30 is above "
                         "min(workers, cores) = 2 beyond the noise ±5%; not a result")

    def test_above_the_cores_within_the_noise_is_printed(self):
        one = [206, 207, 205, 206, 206]
        two = [100, 101, 99, 100, 100]      # 2.06: above 2, within the 5% floor
        got = self.run_derived(rows_for("cpu", "fork", 1, one) + rows_for("cpu", "fork", 2, two), 2)
        self.assertEqual(got[("fork", 2)], "2.06")

    def test_the_noise_is_the_wider_sides_iqr(self):
        one = [160, 230, 230, 230, 300]     # relative IQR 0 ... but the 2-worker side is wide
        two = [80, 90, 100, 110, 120]       # rel IQR 20/100 = 20%: 2.30 < 2 x 1.2
        got = self.run_derived(rows_for("cpu", "fork", 1, one) + rows_for("cpu", "fork", 2, two), 2)
        self.assertEqual(got[("fork", 2)], "2.30")

    def test_the_limit_is_the_workers_below_the_cores(self):
        one = [300, 300, 300, 300, 300]
        two = [100, 100, 100, 100, 100]     # 3.00 with 2 workers on 4 cores: above min(2, 4)
        got = self.run_derived(rows_for("create", "fork", 1, one, "count=10")
                               + rows_for("create", "fork", 2, two, "count=10"), 4)
        self.assertIn("min(workers, cores) = 2", got[("fork", 2)])

    def test_a_workload_that_waits_is_not_flagged(self):
        one = [300, 300, 300, 300, 300]     # counter with a window: waits overlap beyond the cores
        two = [100, 100, 100, 100, 100]
        got = self.run_derived(rows_for("counter", "thread", 1, one, "window-us=100")
                               + rows_for("counter", "thread", 4, two, "window-us=100"), 2)
        self.assertEqual(got[("thread", 4)], "3.00")


if __name__ == "__main__":
    unittest.main()
