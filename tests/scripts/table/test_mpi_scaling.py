#!/usr/bin/env python3
"""test_mpi_scaling.py - the cost model of the allreduce workload
(ptb/mpi_scaling.py: compute per step plus recursive-doubling rounds,
each with a Hockney latency and bandwidth per path) and the condition it
gives the distribution row (ptb/table/scaling.py), on synthetic rows
made from known parameters: the rounds take the paths the ranks' hosts
give, the fit must give the parameters back, the checks at the largest
host count (in sample and with a --steps value held out) must agree, the
round_median_ns note is preferred to ns_per_op, a missing host count, too
few points or ranks not a power of two must be refused (exit 2, one line),
and the table's C10 texts must state the condition.  Nothing is measured.

Run: python3 -m unittest discover -s tests/scripts/table   (or `make test-table`)
"""
import os
import subprocess
import sys
import tempfile
import unittest

TOP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..")
from ptb import mpi_scaling as ms
from ptb import csvio
from ptb.table import scaling as table_scaling

# c, then alpha (ns) and beta (ns/byte) of shm, local TCP, net
TRUE = [3.0, 20000.0, 0.5, 200000.0, 2.0, 300000.0, 12.0]


def rows(params=TRUE, hosts=(1, 2, 4), steps=(0, 100000, 1000000), payloads=(8, 65536),
         rate="1000000000", ranks=4, median_note=True):
    out = []
    for h in hosts:
        for s in steps:
            for m in payloads:
                for rep in range(3):
                    t = ms.predict(params, ranks, h, s, m) * (1 + 0.01 * (rep - 1))
                    p = f"steps={s};exchanges=100;payload={m}" + (f";hosts={h};net-rate={rate}" if h > 1 else "")
                    note = f";round_median_ns={round(t)}" if median_note else ""
                    out.append({"workload": "allreduce", "model": "mpi", "workers": str(ranks), "params": p,
                                "rep": str(rep), "ns_per_op": repr(t * 3 if median_note else t), "ok": "1",
                                "notes": f"hosts={h};ranks={ranks};netns={h};nodes={h};btl=tcp{note}"})
    # a thread row and a failed row are left out
    out.append(dict(out[0], model="thread", ns_per_op="1"))
    out.append(dict(out[0], ok="0", ns_per_op="1"))
    return out


class Rounds(unittest.TestCase):
    def test_paths_of_recursive_doubling(self):
        self.assertEqual(ms.rounds(4, 1), [("shm", 1.0), ("shm", 1.0)])
        # ranks 0,2 on one host, 1,3 on the other: round 1 (XOR 1) crosses,
        # two ranks' bytes through each link; round 2 (XOR 2) stays
        self.assertEqual(ms.rounds(4, 2), [("net", 2.0), ("local", 1.0)])
        self.assertEqual(ms.rounds(4, 4), [("net", 1.0), ("net", 1.0)])
        self.assertEqual(len(ms.rounds(64, 64)), 6)


class Fit(unittest.TestCase):
    def test_recovers_the_parameters(self):
        a = ms.analyse(rows())
        for name, want in zip(ms.PARAMS, TRUE):
            self.assertAlmostEqual(a["fit"][name], want, delta=abs(want) * 0.03 + 1e-9, msg=name)
        self.assertEqual(a["check"]["hosts"], 4)
        self.assertTrue(a["check"]["within"])
        self.assertLess(a["check"]["worst_rel_diff"], 0.01)
        self.assertEqual(a["check_held_out"]["held_out_steps"], [100000])
        self.assertLess(a["check_held_out"]["worst_rel_diff"], 0.01)
        self.assertEqual(a["net_rate_bits"], [1000000000])
        self.assertAlmostEqual(a["bandwidth_bits_per_s"], 8e9 / 12.0, delta=2e7)

    def test_the_median_round_is_preferred(self):
        with_note = ms.analyse(rows())
        without = ms.analyse(rows(median_note=False))
        for p, q in zip(with_note["points"], without["points"]):
            self.assertAlmostEqual(p["median_ns"], q["median_ns"], delta=1.0)

    def test_speedup_is_t1_over_th(self):
        a = ms.analyse(rows())
        s = next(x for x in a["check"]["speedups"] if x["steps"] == 0 and x["payload"] == 8)
        want = ms.predict(TRUE, 4, 1, 0, 8) / ms.predict(TRUE, 4, 4, 0, 8)
        self.assertAlmostEqual(s["measured"], want, places=3)

    def test_two_steps_values_have_no_held_out_check(self):
        self.assertIsNone(ms.analyse(rows(steps=(0, 100000)))["check_held_out"])

    def test_condition_is_the_compute_for_half_efficiency(self):
        a = ms.analyse(rows())
        x = a["condition_ns"]["LAN-like"]["8"]["64"]
        self.assertAlmostEqual(x, 6 * (a["alpha_ns"] + 8 * a["beta_ns_per_byte"]), places=3)
        # a job whose worker (one a host) computes exactly x per exchange at 64 hosts runs at 50%
        w = 64 * x
        t64 = w / 64 + ms.exchange_ns(a["alpha_ns"], a["beta_ns_per_byte"], 64, 8)
        self.assertAlmostEqual(w / (64 * t64), 0.5, places=6)
        self.assertGreater(a["condition_ns"]["WAN-like"]["8"]["64"], x)

    def test_projection_reaches_64_hosts(self):
        a = ms.analyse(rows())
        curves = a["projection"]["curves"]
        self.assertEqual({c["network"] for c in curves}, {"LAN-like", "WAN-like"})
        for c in curves:
            self.assertEqual(list(c["speedup"]), list(ms.PROJECT_HOSTS))
            self.assertAlmostEqual(c["speedup"][1], 1.0)

    def test_one_host_count_is_refused(self):
        with self.assertRaises(ms.FitError):
            ms.analyse(rows(hosts=(1,)))
        with self.assertRaises(ms.FitError):
            ms.analyse([])

    def test_ranks_not_a_power_of_two_are_refused(self):
        with self.assertRaises(ms.FitError):
            ms.analyse(rows(ranks=3, hosts=(1, 3)))


class Command(unittest.TestCase):
    def run_script(self, rs):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "a.csv")
            full = [{c: r.get(c, "") for c in csvio.COLUMNS[csvio.SCHEMA_VERSION]} for r in rs]
            csvio.write(path, csvio.COLUMNS[csvio.SCHEMA_VERSION], full)
            return subprocess.run([sys.executable, "-m", "ptb.mpi_scaling", path,
                                   "--json", os.path.join(d, "s.json")], capture_output=True, text=True)

    def test_prints_the_check(self):
        r = self.run_script(rows())
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("worst disagreement at 4 hosts", r.stdout)
        self.assertIn("within the 20% required", r.stdout)

    def test_bad_input_is_one_line_exit_2(self):
        r = self.run_script(rows(hosts=(2,)))
        self.assertEqual(r.returncode, 2)
        self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
        self.assertIn("need at least", r.stderr)


class TableRow(unittest.TestCase):
    def test_condition_and_cell(self):
        by_measure = {"mpi-allreduce-h1": [r for r in rows() if "hosts=2" not in r["params"]
                                           and "hosts=4" not in r["params"]],
                      "mpi-allreduce-h2": [r for r in rows() if "hosts=2;" in r["params"]],
                      "mpi-allreduce-h4": [r for r in rows() if "hosts=4;" in r["params"]]}
        found = table_scaling.found_of(by_measure)
        cond = table_scaling.condition(found)
        self.assertIn("processes scale across hosts", cond)
        self.assertIn("per exchange of 8 B", cond)
        self.assertIn("differ by up to 0% (within the 20% required)", cond)
        cell = table_scaling.cell(found)
        self.assertIn("measured", cell)
        self.assertIn("predicted", cell)
        self.assertIn("model fit", cell)
        self.assertTrue(any("worst disagreement" in ln for ln in table_scaling.lines(found)))

    def test_unfittable_rows_say_so(self):
        found = table_scaling.found_of({"mpi-allreduce-h1": rows(hosts=(1,))})
        self.assertEqual(table_scaling.condition(found), "")
        self.assertIn("not fitted", table_scaling.cell(found))
        self.assertEqual(table_scaling.found_of({"cpu": rows()}), {})


if __name__ == "__main__":
    unittest.main()
