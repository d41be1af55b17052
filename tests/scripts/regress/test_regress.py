#!/usr/bin/env python3
"""test_regress.py - tests of the regression comparison (ptb/regress/cli.py
compare and the regress_* modules) with synthetic ptbench CSVs: no
benchmark runs, no timing thresholds; every figure is made up here and
only the verdicts and exit codes are checked.

Run: python3 -m unittest discover -s tests/scripts/regress   (or `make test-regress`)
"""
import csv
import os
import random
import shutil
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
from ptb.regress import compare as rc
from ptb.regress import render as rr
from ptb.regress import suite as rs
from ptb.regress import metrics as rm

HEADER = ("run_id,workload,model,workers,params,rep,wall_ns,user_ns,sys_ns,maxrss_kb,pss_kb,"
          "vol_cs,invol_cs,minflt,majflt,migrations,ops,ns_per_op,result,ok,outer_wall_ns,steal_ns,"
          "error,notes").split(",")
REPS = 9

# (workload, params, model, submit or None, ns/op): a small suite.
BASE_CONFIG = [
    ("cpu", "steps=1000", m, None, ns) for m, ns in
    (("thread", 1.0), ("fork", 1.1), ("threadpool", 1.0), ("procpool", 1.05))
] + [
    ("counter", f"iters=10;lock={lock}", m, None, ns) for lock, m, ns in
    (("mutex", "thread", 40.0), ("mutex", "fork", 50.0),
     ("none", "thread", 2.0), ("none", "fork", 2.5))
] + [
    ("pool", "task-us=10", m, s, ns) for m, s, ns in
    (("threadpool", "sync", 300.0), ("threadpool", "async", 200.0),
     ("procpool", "sync", 330.0), ("procpool", "async", 210.0))
]


def noisy(ns, rep, seed, spread):
    """A reproducible value near ns: multiplicative noise within +-spread."""
    rnd = random.Random(f"{seed}-{rep}-{ns}")
    return ns * (1.0 + rnd.uniform(-spread, spread))


def write_csv(path, config=BASE_CONFIG, scale=None, seed=1, spread=0.02, ok=None,
              drop=()):
    """A ptbench CSV of config; scale maps (workload, model) -> factor on
    ns/op; ok maps (workload, model, rep) -> "0"; drop lists models left out."""
    scale = scale or {}
    ok = ok or {}
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(HEADER)
        for rep in range(REPS):
            for wl, params, model, submit, ns in config:
                if model in drop:
                    continue
                p = params
                if submit:
                    p += f";tasks=8;submit={submit}"
                v = noisy(ns, rep, seed, spread) * scale.get((wl, model), 1.0)
                row = dict.fromkeys(HEADER, "")
                row.update(run_id="2026-01-01T00:00:00-1", workload=wl, model=model, workers="2",
                           params=p, rep=str(rep), ops="1000", ns_per_op=f"{v:.6g}",
                           wall_ns=str(int(v * 1000)), result="0",
                           ok=ok.get((wl, model, rep), "1"))
                w.writerow([row[c] for c in HEADER])
    return path


def run(*args):
    return subprocess.run([sys.executable, "-m", "ptb.regress", *args],
                          capture_output=True, text=True, cwd=ROOT)


def table_row(stdout, metric):
    for line in stdout.splitlines():
        if line.startswith(f"| {metric} |"):
            return line
    raise AssertionError(f"no table row for {metric!r} in:\n{stdout}")


class Tmp(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="test-regress-")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def path(self, name):
        return os.path.join(self.dir, name)


class Metrics(Tmp):
    def test_names_of_every_kind(self):
        _, rows = rm.load(write_csv(self.path("a.csv")))
        names = {m.name: m for m in rm.metrics(rows)}
        for n in ("cpu fork/thread", "cpu procpool/threadpool",
                  "counter lock=mutex fork/thread", "pool threadpool async/sync",
                  "pool procpool async/sync", "pool procpool/threadpool"):
            self.assertEqual(names[n].kind, rm.PRIMARY, n)
            self.assertEqual(len(names[n].values), REPS, n)
        for n in ("cpu thread ns/op", "pool threadpool:sync ns/op", "counter lock=none fork ns/op",
                  "counter thread mutex/none", "counter fork mutex/none"):
            self.assertEqual(names[n].kind, rm.SECONDARY, n)

    def test_ratios_pair_repetition_with_repetition(self):
        num = {("r", "0"): 10.0, ("r", "1"): 30.0, ("r", "2"): 8.0}
        den = {("r", "1"): 3.0, ("r", "0"): 5.0}
        self.assertEqual(rm.paired(num, den), [2.0, 10.0])

    def test_rows_not_ok_are_left_out_and_listed(self):
        _, rows = rm.load(write_csv(self.path("a.csv"), ok={("cpu", "fork", 3): "0"}))
        fork = next(m for m in rm.metrics(rows) if m.name == "cpu fork/thread")
        self.assertEqual(len(fork.values), REPS - 1)
        self.assertEqual(len(rm.failed_rows(rows)), 1)


class Compare(Tmp):
    def test_identical_runs_are_unchanged(self):
        base = write_csv(self.path("base.csv"))
        res = run("compare", base, base)
        self.assertEqual(res.returncode, rc.EXIT_OK, res.stderr)
        _, rows = rm.load(base)
        compared = rc.compare(rm.metrics(rows), rm.metrics(rows))
        self.assertTrue(compared)
        self.assertEqual({r.status for r in compared}, {rc.UNCHANGED})
        self.assertIn("PASS", res.stdout)

    def test_same_machine_other_noise_is_unchanged(self):
        base = write_csv(self.path("base.csv"), seed=1)
        cur = write_csv(self.path("cur.csv"), seed=2)
        res = run("compare", base, cur)
        self.assertEqual(res.returncode, rc.EXIT_OK, res.stderr)
        self.assertNotIn("▲", res.stdout)
        self.assertNotIn("▼", res.stdout)

    def test_a_metric_3x_worse_fails(self):
        base = write_csv(self.path("base.csv"))
        cur = write_csv(self.path("cur.csv"), seed=2, scale={("cpu", "fork"): 3.0})
        again = write_csv(self.path("again.csv"), seed=3, scale={("cpu", "fork"): 3.0})
        res = run("compare", base, cur, "--rerun", again)
        self.assertEqual(res.returncode, rc.EXIT_REGRESSION, res.stdout)
        self.assertIn("**FAIL**", table_row(res.stdout, "cpu fork/thread"))
        self.assertIn("unchanged", table_row(res.stdout, "cpu procpool/threadpool"))

    def test_3x_worse_not_confirmed_by_the_rerun_passes(self):
        base = write_csv(self.path("base.csv"))
        cur = write_csv(self.path("cur.csv"), seed=2, scale={("cpu", "fork"): 3.0})
        again = write_csv(self.path("again.csv"), seed=3)
        res = run("compare", base, cur, "--rerun", again)
        self.assertEqual(res.returncode, rc.EXIT_OK, res.stdout)
        self.assertIn("not confirmed", table_row(res.stdout, "cpu fork/thread"))

    def test_worse_by_less_than_2x_is_reported_not_failed(self):
        base = write_csv(self.path("base.csv"))
        cur = write_csv(self.path("cur.csv"), seed=2, scale={("cpu", "fork"): 1.5})
        res = run("compare", base, cur)
        self.assertEqual(res.returncode, rc.EXIT_OK, res.stdout)
        row = table_row(res.stdout, "cpu fork/thread")
        self.assertIn("▲ worse", row)
        self.assertNotIn("FAIL", row)

    def test_10_percent_inside_overlapping_spreads_is_unchanged(self):
        base = write_csv(self.path("base.csv"), spread=0.30)
        cur = write_csv(self.path("cur.csv"), seed=2, spread=0.30, scale={("cpu", "fork"): 1.10})
        _, brows = rm.load(base)
        _, crows = rm.load(cur)
        bm = {m.name: m for m in rm.metrics(brows)}["cpu fork/thread"].values
        cm = {m.name: m for m in rm.metrics(crows)}["cpu fork/thread"].values
        self.assertLess(min(cm), max(bm))       # the spreads overlap
        res = run("compare", base, cur)
        self.assertEqual(res.returncode, rc.EXIT_OK, res.stdout)
        self.assertIn("| unchanged |", table_row(res.stdout, "cpu fork/thread"))

    def test_a_missing_metric_is_reported_not_crashed(self):
        base = write_csv(self.path("base.csv"))
        cur = write_csv(self.path("cur.csv"), seed=2, drop=("procpool",))
        res = run("compare", base, cur)
        self.assertEqual(res.returncode, rc.EXIT_OK, res.stderr)
        self.assertIn("missing in this run", table_row(res.stdout, "cpu procpool/threadpool"))
        self.assertIn("missing in this run", table_row(res.stdout, "pool procpool async/sync"))
        self.assertIn("unchanged", table_row(res.stdout, "cpu fork/thread"))

    def test_a_new_metric_is_reported(self):
        base = write_csv(self.path("base.csv"), drop=("procpool",))
        cur = write_csv(self.path("cur.csv"), seed=2)
        res = run("compare", base, cur)
        self.assertEqual(res.returncode, rc.EXIT_OK, res.stderr)
        self.assertIn("new: not in the baseline", table_row(res.stdout, "cpu procpool/threadpool"))

    def test_secondary_metrics_fail_only_when_asked(self):
        base = write_csv(self.path("base.csv"))
        slow = {(wl, m): 3.0 for wl, _, m, _, _ in BASE_CONFIG}   # every model: ratios unchanged
        cur = write_csv(self.path("cur.csv"), seed=2, scale=slow)
        res = run("compare", base, cur)
        self.assertEqual(res.returncode, rc.EXIT_OK, res.stdout)
        self.assertIn("▲ worse", table_row(res.stdout, "cpu thread ns/op"))
        self.assertIn("unchanged", table_row(res.stdout, "cpu fork/thread"))
        res = run("compare", base, cur, "--fail-on", "all")
        self.assertEqual(res.returncode, rc.EXIT_REGRESSION, res.stdout)

    def test_a_row_not_ok_is_a_correctness_failure(self):
        base = write_csv(self.path("base.csv"))
        cur = write_csv(self.path("cur.csv"), seed=2, ok={("counter", "fork", 0): "0"})
        res = run("compare", base, cur)
        self.assertEqual(res.returncode, rc.EXIT_CORRECTNESS, res.stdout)
        self.assertIn("rows whose ok is not 1", res.stdout)


class BadInput(Tmp):
    def assert_bad(self, res, md):
        self.assertEqual(res.returncode, rc.EXIT_BAD_INPUT)
        self.assertEqual(res.stdout, "")
        self.assertEqual(len(res.stderr.strip().splitlines()), 1, res.stderr)
        self.assertFalse(os.path.exists(md))

    def test_a_csv_that_is_not_ptbench_s(self):
        other = self.path("other.csv")
        with open(other, "w") as f:
            f.write("name,value\na,1\n")
        base = write_csv(self.path("base.csv"))
        md = self.path("out.md")
        res = run("compare", base, other, "--md", md)
        self.assert_bad(res, md)
        self.assertIn("not a ptbench CSV", res.stderr)
        self.assert_bad(run("compare", other, base, "--md", md), md)

    def test_a_missing_file(self):
        md = self.path("out.md")
        self.assert_bad(run("compare", self.path("nope.csv"), self.path("nope.csv"), "--md", md), md)

    def test_bad_options(self):
        base = write_csv(self.path("base.csv"))
        md = self.path("out.md")
        self.assert_bad(run("compare", base, base, "--fail-on", "some", "--md", md), md)
        self.assert_bad(run("compare", base, base, "--reps", "3", "--md", md), md)
        self.assert_bad(run("compare", base, "--md", md), md)
        self.assert_bad(run("frobnicate", "--md", md), md)

    def test_a_history_of_another_format(self):
        base = write_csv(self.path("base.csv"))
        hist, md = self.path("history.csv"), self.path("out.md")
        with open(hist, "w") as f:
            f.write("a,b\n1,2\n")
        self.assert_bad(run("compare", base, base, "--history", hist, "--md", md), md)
        with open(hist) as f:
            self.assertEqual(f.read(), "a,b\n1,2\n")


class Outputs(Tmp):
    def test_old_history_gains_the_columns_and_is_divided_by_the_given_baseline(self):
        hist = self.path("history.csv")
        with open(hist, "w") as f:     # written before the suite and baseline columns existed
            f.write("commit,date,metric,value,spread\n"
                    "aaaaaaa,2026-11-01T00:00:00Z,cpu fork/thread,1.0,0.1\n")
        rr.append_history(hist, [["bbbbbbb", "2026-11-02T00:00:00Z", "cpu fork/thread", "1.1", "0.2",
                                  "1", "", ""]])
        with open(hist, newline="") as f:
            lines = list(csv.reader(f))
        self.assertEqual(lines[0], rr.HISTORY_HEADER)
        self.assertEqual(lines[1][5:], ["1", "", ""])
        data, keys = self.path("h.dat"), self.path("h.gp")
        rr.write_history_panels(hist, {"cpu fork/thread": 0.5}, "base 1", {}, data, keys)
        with open(data) as f:
            self.assertEqual(f.read(), "1 2 0 0\n2 2.2 1 1\n\n\n")

    def history(self, runs):
        """history.csv of runs: (commit, date, suite, baseline, {metric: (value, base)})."""
        hist = self.path("history.csv")
        rows = [[c, d, m, str(v), "0.1", s, bl, str(b)]
                for c, d, s, bl, ms in runs for m, (v, b) in ms.items()]
        rr.append_history(hist, rows)
        data, keys = self.path("h.dat"), self.path("h.gp")
        chart = rr.write_history_panels(hist, {}, "", {}, data, keys)
        with open(data) as f:
            blocks = f.read().split("\n\n\n")[:-1]
        with open(keys) as f:
            return chart, blocks, f.read()

    def test_history_chart_draws_ratios_to_the_baseline(self):
        _, blocks, keys = self.history([
            ("aaaaaaa", "2026-11-01T10:00:00Z", "1", "b1", {"cpu fork/thread": (3.0, 2.0),
                                                            "cpu thread ns/op": (50, 10),
                                                            "counter fork mutex/none": (9, 1)}),
            ("bbbbbbb", "2026-11-02T11:30:00Z", "1", "b1", {"cpu fork/thread": (1.0, 2.0)})])
        self.assertEqual(blocks, ["1 1.5 0 0\n2 0.5 0 0"])    # primary metrics only, value / base
        self.assertIn("h_n = 1\n", keys)
        self.assertIn("h_fail = 2\n", keys)                  # the check's own threshold
        self.assertEqual(rc.FAIL_FACTOR, 2.0)

    def test_a_point_beyond_the_threshold_is_flagged(self):
        chart, blocks, keys = self.history([
            (f"c{i}", f"2026-11-0{i + 1}T00:00:00Z", "1", "b1", {"create fork/thread": (v, 1.0)})
            for i, v in enumerate((2.0, 2.5, 3.5, 2.2, 1.0))])
        self.assertEqual([p[2] for p in chart["points"]["create fork/thread"]],
                         [False, True, True, True, False])    # 2x itself does not fail
        # flagged, and the streak's highest written beside it
        self.assertEqual(blocks, ["1 2 0 0\n2 2.5 1 0\n3 3.5 1 1\n4 2.2 1 0\n5 1 0 0"])
        self.assertIn("beyond 2×: 3 points in 3 runs", keys)

    def test_a_suite_change_a_new_baseline_and_a_missing_run_break_the_line(self):
        m = "cpu fork/thread"
        chart, blocks, keys = self.history([
            ("c1", "2026-11-01T00:00:00Z", "1", "b1", {m: (1.0, 1.0)}),
            ("c2", "2026-11-02T00:00:00Z", "1", "b1", {m: (1.1, 1.0)}),
            ("c3", "2026-11-03T00:00:00Z", "2", "b1", {m: (1.2, 1.0)}),     # suite 2
            ("c4", "2026-11-04T00:00:00Z", "2", "b2", {m: (1.2, 1.2)}),     # a new baseline
            ("c5", "2026-11-05T00:00:00Z", "2", "b2", {"cpu procpool/threadpool": (1, 1)}),
            ("c6", "2026-11-06T00:00:00Z", "2", "b2", {m: (1.2, 1.2)})])    # back after a gap
        self.assertEqual(blocks[0], "1 1 0 0\n2 1.1 0 0\n\n3 1.2 0 0\n\n4 1 0 0\n\n6 1 0 0")
        self.assertEqual(blocks[1], "5 1 0 0")                # appears: a line of its own
        self.assertEqual(chart["marks"], [(3, "suite 2"), (4, "new baseline")])
        self.assertIn('h_mark_x_1 = 3\nh_mark_1 = "suite 2"\n', keys)

    def test_x_labels_carry_the_commit_and_the_date(self):
        self.assertEqual(rr.run_label("c5ea237-dirty", "2026-11-23T12:11:32Z"),
                         "c5ea237*\n2026-11-23 12:11")
        self.assertEqual(rr.run_label("478043f", "2026-11-23T12:57:56Z"), "478043f\n2026-11-23 12:57")
        _, _, keys = self.history([
            ("aaaaaaa", "2026-11-01T10:00:00Z", "1", "b1", {"cpu fork/thread": (1, 1)}),
            ("aaaaaaa", "2026-11-01T10:05:00Z", "1", "b1", {"cpu fork/thread": (1, 1)})])
        # two runs of one commit: told apart by their time; a newline (\\n once the
        # outer gnuplot string is read) in each label
        xtics = next(ln for ln in keys.splitlines() if ln.startswith("h_xtics = "))
        xtics = xtics[len("h_xtics = ") + 1:-1].replace('\\"', '"').replace("\\\\", "\\")
        self.assertEqual(xtics, r'("aaaaaaa\n2026-11-01 10:00" 1, "aaaaaaa\n2026-11-01 10:05" 2)')
        self.assertEqual(rr.label_runs(3), [1, 2, 3])
        many = rr.label_runs(200)
        self.assertLessEqual(len(many), rr.HISTORY_TICS)
        self.assertEqual(many[-1], 200)

    def test_history_accumulates_and_charts_are_drawn(self):
        base = write_csv(self.path("base.csv"))
        cur = write_csv(self.path("cur.csv"), seed=2, scale={("cpu", "fork"): 1.5})
        hist, plots, work = self.path("history.csv"), self.path("plots"), self.path("work")
        for _ in range(2):
            res = run("compare", base, cur, "--history", hist, "--plot-dir", plots,
                      "--work-dir", work, "--md", self.path("regress.md"))
            self.assertEqual(res.returncode, rc.EXIT_OK, res.stderr)
        _, rows = rm.load(cur)
        n = len(rm.metrics(rows))
        with open(hist, newline="") as f:
            lines = list(csv.reader(f))
        self.assertEqual(lines[0], ["commit", "date", "metric", "value", "spread", "suite",
                                    "baseline", "base"])
        self.assertEqual(len(lines), 1 + 2 * n)
        self.assertEqual({ln[5] for ln in lines[1:]}, {str(rs.SUITE_VERSION)})
        self.assertEqual({ln[6] for ln in lines[1:]}, {"? ?"})     # a baseline without a meta
        fork = next(ln for ln in lines[1:] if ln[2] == "cpu fork/thread")
        base_m = {m.name: m for m in rm.metrics(rm.load(base)[1])}["cpu fork/thread"]
        self.assertAlmostEqual(float(fork[7]), sorted(base_m.values)[REPS // 2], places=4)
        for name in ("regress.png", "regress.svg", "history.png"):
            self.assertGreater(os.path.getsize(os.path.join(plots, name)), 1000, name)
        os.remove(os.path.join(plots, "history.png"))
        res = run("history", "--history", hist, "--baseline", base, "--plot-dir", plots,
                  "--work-dir", work)
        self.assertEqual(res.returncode, rc.EXIT_OK, res.stderr)
        self.assertGreater(os.path.getsize(os.path.join(plots, "history.png")), 1000)
        res = run("history", "--history", self.path("none.csv"), "--plot-dir", plots)
        self.assertEqual(res.returncode, rc.EXIT_BAD_INPUT)
        self.assertEqual(len(res.stderr.strip().splitlines()), 1, res.stderr)
        with open(self.path("regress.md")) as f:
            self.assertIn("| cpu fork/thread |", f.read())


if __name__ == "__main__":
    unittest.main()
