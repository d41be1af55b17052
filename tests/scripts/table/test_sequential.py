"""test_sequential.py - repetitions until the answer is clear
(ptb/table/sequential.py): the spending function, the stopping rule on
made-up samples (a clear difference stops after the first round, a clear
equivalence too, a ratio on the edge of the noise band runs to the
maximum, a spent time budget stops the rounds), the configurations a
later round needs, and the stop records through make table's own code
(rounds appended to the rows, the reason in the CSV's notes, the meta
and findings.json, the same findings again from --from-csv).  No clock is
measured: the budget's clock is made up.

Run: python3 -m unittest discover -s tests/scripts/table   (or `make test-table`)
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

from ptb import csvio
from ptb import stats as sv
from ptb.table import measures as tm
from ptb.table import run as table_run
from ptb.table import sequential as sq

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
RESULTS = os.path.join(ROOT, "results")

JITTER = [0.0, 0.004, -0.003, 0.002, -0.004, 0.001, -0.002, 0.003, -0.001, 0.0025, -0.0025,
          0.0015, -0.0015, 0.0035, -0.0035, 0.0005, -0.0005]


def sample(centre, n, offset=0):
    """n made-up repetitions around centre, within ±0.4%."""
    return [centre * (1.0 + JITTER[(i + offset) % len(JITTER)]) for i in range(n)]


class Synthetic:
    """A measure with one comparison per (a centre, b centre): run_round
    adds the next repetitions of each, judge_all judges them."""

    def __init__(self, pairs):
        self.pairs, self.n, self.rounds_run = pairs, 0, []

    def run_round(self, reps, index, open_keys):
        self.rounds_run.append((reps, index, None if open_keys is None else list(open_keys)))
        self.n += reps

    def judge_all(self, alpha):
        return {key: sq.judge(sample(a, self.n), sample(b, self.n, 5), alpha)
                for key, (a, b) in self.pairs.items()}


class Spending(unittest.TestCase):
    def test_obrien_fleming_type_spending(self):
        self.assertEqual(sq.spent(0.0), 0.0)
        self.assertEqual(sq.spent(1.0), 0.05)
        # Lan-DeMets O'Brien-Fleming type at t = 0.5, alpha 0.05 (two-sided): 0.0056
        self.assertEqual(round(sq.spent(0.5), 4), 0.0056)

    def test_looks_spend_five_percent_in_all(self):
        rounds = sq.Rounds(5, 3, 11)
        self.assertEqual(rounds.looks(), [5, 8, 11])
        alphas = sq.look_alphas(rounds.looks())
        self.assertAlmostEqual(sum(alphas), 0.05, places=12)
        self.assertTrue(alphas[0] < alphas[1] < alphas[2])
        self.assertEqual(sq.Rounds(5, 1, 5).looks(), [5])
        self.assertEqual(sq.look_alphas([5]), [0.05])
        self.assertEqual(sq.Rounds(5, 4, 11).looks(), [5, 9, 11])

    def test_bad_rounds_are_refused(self):
        with self.assertRaises(ValueError):
            sq.Rounds(5, 3, 4)


class StoppingRule(unittest.TestCase):
    def settle(self, pairs, rounds=None, **kw):
        m = Synthetic(pairs)
        stop = sq.settle(rounds or sq.Rounds(5, 3, 11), m.run_round, m.judge_all, **kw)
        return stop, m

    def test_clear_difference_stops_after_the_first_round(self):
        stop, m = self.settle({("f", "c"): (200.0, 100.0)})
        self.assertEqual((stop["reason"], stop["reps"], len(m.rounds_run)), (sq.DIFFERENCE, 5, 1))
        c = stop["comparisons"][0]
        self.assertEqual((c["reason"], c["n"], c["look"], c["settled_at"]), (sq.DIFFERENCE, [5, 5], 1, 1))
        self.assertGreater(c["ci"][0], 1.05)
        self.assertAlmostEqual(c["confidence"], 1 - sq.look_alphas([5, 8, 11])[0], places=6)

    def test_clear_equivalence_stops_after_the_first_round(self):
        stop, _ = self.settle({("f", "c"): (100.0, 100.0)})
        self.assertEqual((stop["reason"], stop["reps"]), (sq.EQUIVALENT, 5))
        lo, hi = stop["comparisons"][0]["ci"]
        self.assertTrue(1 / 1.05 <= lo <= hi <= 1.05)

    def test_a_ratio_on_the_edge_of_the_band_runs_to_the_maximum(self):
        stop, m = self.settle({("f", "edge"): (105.0, 100.0), ("f", "clear"): (300.0, 100.0)})
        self.assertEqual((stop["reason"], stop["reps"]), (sq.MAX_REPS, 11))
        self.assertEqual([r[0] for r in m.rounds_run], [5, 3, 3])
        # the later rounds are asked for the open comparison only
        self.assertEqual(m.rounds_run[1][2], [("f", "edge")])
        by = {c["condition"]: c for c in stop["comparisons"]}
        self.assertEqual(by["edge"]["reason"], sq.MAX_REPS)
        self.assertIsNone(by["edge"]["settled_at"])
        self.assertEqual(by["clear"]["reason"], sq.DIFFERENCE)
        self.assertEqual(by["clear"]["settled_at"], 1)
        self.assertEqual([x["n"] for x in stop["looks"]], [5, 8, 11])
        self.assertEqual([x["open"] for x in stop["looks"]], [1, 1, 1])

    def test_a_spent_budget_stops_the_rounds(self):
        clock = {"t": 0.0}

        def tick():
            return clock["t"]

        m = Synthetic({("f", "edge"): (105.0, 100.0)})

        def run_round(reps, index, open_keys):
            clock["t"] += 10.0 * (reps + (1 if index == 0 else 0)) / 6
            m.run_round(reps, index, open_keys)

        # 10 s for the first round (5 + 1 warm-up); the next (3, no warm-up)
        # is expected to take 5 s: 15 s > 14 s
        stop = sq.settle(sq.Rounds(5, 3, 11, budget_s=14), run_round, m.judge_all, clock=tick)
        self.assertEqual((stop["reason"], stop["reps"]), (sq.BUDGET, 5))
        self.assertEqual(stop["comparisons"][0]["reason"], sq.BUDGET)
        # 15 s allowed: the next round runs, then the one after is 20 s > 15 s
        clock["t"] = 0.0
        m = Synthetic({("f", "edge"): (105.0, 100.0)})
        stop = sq.settle(sq.Rounds(5, 3, 11, budget_s=15), run_round, m.judge_all, clock=tick)
        self.assertEqual((stop["reason"], stop["reps"]), (sq.BUDGET, 8))

    def test_the_prediction_decides_the_budget(self):
        m = Synthetic({("f", "edge"): (105.0, 100.0)})
        stop = sq.settle(sq.Rounds(5, 3, 11, budget_s=100), m.run_round, m.judge_all,
                         predict=lambda reps, index, keys: 1000.0, clock=lambda: 0.0)
        self.assertEqual((stop["reason"], stop["reps"]), (sq.BUDGET, 5))

    def test_mixed_settled_and_nothing_judged(self):
        stop, _ = self.settle({("f", "d"): (200.0, 100.0), ("f", "e"): (100.0, 100.0)})
        self.assertEqual((stop["reason"], stop["reps"]), (sq.SETTLED_MIXED, 5))
        stop, m = self.settle({})
        self.assertEqual((stop["reason"], stop["reps"], stop["comparisons"]), (sq.FIGURES_ONLY, 5, []))

    def test_too_few_is_never_settled(self):
        j = sq.judge(sample(200.0, 4), sample(100.0, 4), 0.05)
        self.assertEqual((j["state"], j["outcome"]), (sq.OPEN, sv.TOO_FEW))

    def test_zero_medians(self):
        # survivors: every process survives, no thread: the ratio is infinite
        self.assertEqual(sq.interval([3.0] * 5, [0.0] * 5, 0.99), (float("inf"), float("inf")))
        self.assertEqual(sq.judge([3.0] * 5, [0.0] * 5, 0.0036)["state"], sq.DIFFERENCE)
        # both all zero: the ratio 1 (stats.ratio), no measurable difference
        self.assertEqual(sq.judge([0.0] * 5, [0.0] * 5, 0.0036)["state"], sq.EQUIVALENT)


class FakeFinding:
    def __init__(self, conds):
        self.conds = conds


class FakeCond:
    def __init__(self, label, outcome):
        self.label = label
        self.res = {"outcome": outcome, "why": "as measured"}


class ApplyStops(unittest.TestCase):
    def test_undecided_comparisons_give_no_verdict_and_say_why(self):
        found = {"switch": FakeFinding([FakeCond("pipe", sv.A_HIGHER), FakeCond("futex", sv.SAME)])}
        stops = sq.stops_of([{"id": "switch", "stop": {"comparisons": [
            {"finding": "switch", "condition": "pipe", "reason": sq.DIFFERENCE, "n": [5, 5],
             "ci": [1.9, 2.1], "confidence": 0.996, "noise": 0.05, "look": 1, "settled_at": 1},
            {"finding": "switch", "condition": "futex", "reason": sq.MAX_REPS, "n": [11, 11],
             "ci": [0.98, 1.08], "confidence": 0.972, "noise": 0.05, "look": 3,
             "settled_at": None}]}}])
        sq.apply_stops(found, stops)
        pipe, futex = found["switch"].conds
        self.assertEqual(pipe.res["outcome"], sv.A_HIGHER)
        self.assertEqual(pipe.res["stop"]["reason"], sq.DIFFERENCE)
        self.assertEqual(futex.res["outcome"], sv.TOO_FEW)
        self.assertEqual(sv.claim_verdict(futex.res["outcome"], sv.A_HIGHER)[0], sv.NO_VERDICT)
        self.assertTrue(futex.res["why"].startswith(
            "too few repetitions to settle it: undecided (n = 11): the ratio's 97.2% interval "
            "0.98–1.08×"), futex.res["why"])
        self.assertIn("(max-reps)", futex.res["why"])

    def test_a_meta_without_stop_records_changes_nothing(self):
        found = {"switch": FakeFinding([FakeCond("pipe", sv.SAME)])}
        sq.apply_stops(found, sq.stops_of([{"id": "switch", "run_id": "x"}]))
        self.assertEqual(found["switch"].conds[0].res, {"outcome": sv.SAME, "why": "as measured"})


# ---- the rounds through make table's own code -------------------------------------

OFFER = tm.Offer({"switch": {"via": ["pipe", "futex"], "pin": ["same", "split"], "rounds": None}},
                 ["thread", "fork"])
# round trip in ns: pin=same, fork twice thread (clear); pin=split, fork
# 5% above thread (on the noise band's edge: never settled)
CENTRE = {("fork", "same"): 2000.0, ("thread", "same"): 1000.0,
          ("fork", "split"): 1050.0, ("thread", "split"): 1000.0}


def fake_run_measure(calls):
    """run.run_measure without ptbench: rows for the configurations the
    (narrowed) command asks for, round trips around CENTRE."""
    def run(m, offer, mode, ptbench, tmp, reps=None, index=0, narrow=None):
        args = sq.narrow_args(m.args(offer, mode, "x.csv", reps, None if index == 0 else 0), narrow)
        opt = {args[i]: args[i + 1] for i in range(len(args) - 1) if args[i].startswith("-")}
        calls.append(args)
        run_id = f"2026-01-01T00:00:0{index}-{100 + index}"
        rows = []
        for rep in range(int(opt["-r"])):
            for pin in opt["--pin"].split(","):
                for model in opt["-m"].split(","):
                    v = CENTRE[(model, pin)] * (1.0 + JITTER[(rep + 3 * index + (model == "fork") * 7)
                                                            % len(JITTER)])
                    rows.append({**dict.fromkeys(csvio.COLUMNS[csvio.SCHEMA_VERSION], ""),
                                 "run_id": run_id, "workload": "switch", "model": model,
                                 "workers": "2", "params": f"rounds=100;via=pipe;pin={pin}",
                                 "rep": str(rep), "wall_ns": str(int(v * 100)), "ops": "100",
                                 "ns_per_op": f"{v:.3f}", "result": "0", "ok": "1",
                                 "outer_wall_ns": "1000000", "notes": "cpu=1"})
        meta = {"run_id": run_id, "started": "2026-01-01T00:00:00Z", "loadavg": "0.1 0.1 0.1"}
        return {"id": m.id, "command": "ptbench " + " ".join(args), "exit_status": 0,
                "seconds": 0.5, "rows": len(rows), "rows_not_ok": 0, "run_id": run_id,
                "failures": [], "ptbench_meta": meta}, rows
    return run


class Rounds(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="ptb-test-sequential-")
        self.calls = []
        self.saved = table_run.run_measure
        table_run.run_measure = fake_run_measure(self.calls)
        m = tm.Measure("switch", "switch", ("thread", "fork"), "2",
                       {"via": "pipe", "pin": "same,split", "rounds": "100"}, budget_s=None)
        self.run, self.rows = table_run.run_rounds(m, OFFER, "full", "ptbench", self.dir, {},
                                                   {"cores": 2, "refusals": []})

    def tearDown(self):
        table_run.run_measure = self.saved
        shutil.rmtree(self.dir, ignore_errors=True)

    def test_later_rounds_run_the_open_comparison_only(self):
        self.assertEqual(len(self.calls), 3)
        first, second = self.calls[0], self.calls[1]
        self.assertEqual(first[first.index("-r") + 1], "5")
        self.assertEqual(first[first.index("--warmup") + 1], "1")
        self.assertEqual(first[first.index("--pin") + 1], "same,split")
        self.assertEqual(second[second.index("-r") + 1], "3")
        self.assertEqual(second[second.index("--warmup") + 1], "0")
        self.assertEqual(second[second.index("--pin") + 1], "split")

    def test_repetitions_continue_and_the_stop_is_in_the_rows(self):
        split = sorted(int(r["rep"]) for r in self.rows
                       if r["model"] == "fork" and r["params"].endswith("split"))
        same = sorted(int(r["rep"]) for r in self.rows
                      if r["model"] == "fork" and r["params"].endswith("same"))
        self.assertEqual(split, list(range(11)))
        self.assertEqual(same, list(range(5)))
        self.assertEqual({r["notes"] for r in self.rows}, {"cpu=1;stop=max-reps;stop_n=11"})
        self.assertEqual(len(self.run["run_ids"]), 3)
        self.assertEqual(self.run["rows"], len(self.rows))
        stop = self.run["stop"]
        self.assertEqual((stop["reason"], stop["reps"]), (sq.MAX_REPS, 11))
        by = {c["condition"]: c["reason"] for c in stop["comparisons"]}
        self.assertEqual(by, {"pipe pin=same": sq.DIFFERENCE, "pipe pin=split": sq.MAX_REPS})

    def test_the_stop_survives_the_csv_and_from_csv(self):
        with open(os.path.join(RESULTS, "table.meta.json")) as f:
            meta = json.load(f)
        run = {k: v for k, v in self.run.items() if k != "ptbench_meta"}
        meta.update(runs=[run], missing={m.id: "not run (--only)" for m in tm.plan()
                                         if m.id != "switch"}, reps="5–11")
        csv_path = os.path.join(self.dir, "table.csv")
        table_run.write_csv(csv_path, [self.run], {"switch": self.rows})
        with open(os.path.join(self.dir, "table.meta.json"), "w") as f:
            json.dump(meta, f)
        env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
        check = subprocess.run([sys.executable, "-m", "ptb.check_csv", csv_path],
                               capture_output=True, text=True, cwd=ROOT, env=env)
        self.assertEqual(check.returncode, 0, check.stderr)
        stops = {r["notes"] for r in csvio.load_rows(csv_path)}
        self.assertEqual(stops, {"cpu=1;stop=max-reps;stop_n=11"})
        findings = []
        for _ in range(2):
            proc = subprocess.run([sys.executable, "-m", "ptb.table", "--from-csv", "--out-dir",
                                   self.dir], capture_output=True, text=True, cwd=ROOT, env=env)
            self.assertEqual(proc.returncode, 0, proc.stderr)
            with open(os.path.join(self.dir, "findings.json"), "rb") as f:
                findings.append(f.read())
        self.assertEqual(findings[0], findings[1])
        doc = json.loads(findings[0])
        c2 = next(c for c in doc["claims"] if c["id"] == "C2")["languages"]["C"]
        conds = {c["condition"]: c for c in c2["conditions"]}
        self.assertEqual(conds["pipe pin=split"]["stop"]["reason"], sq.MAX_REPS)
        self.assertEqual(conds["pipe pin=split"]["outcome"], sv.TOO_FEW)
        self.assertIn("undecided (n = 11)", conds["pipe pin=split"]["why"])
        self.assertEqual(conds["pipe pin=same"]["stop"]["reason"], sq.DIFFERENCE)
        self.assertEqual(conds["pipe pin=same"]["outcome"], sv.A_HIGHER)
        self.assertEqual(c2["verdict"], sv.HOLDS)
        self.assertIn("undecided: pipe pin=split (n = 11)", c2["why"])
        self.assertEqual(doc["run"]["reps"], "5–11")


class Needed(unittest.TestCase):
    def test_a_round_needs_the_configurations_of_the_open_comparisons(self):
        rows = []
        for model in ("thread", "fork"):
            for pin in ("same", "split"):
                for rep in range(5):
                    v = CENTRE[(model, pin)]
                    rows.append({"run_id": "r", "workload": "switch", "model": model,
                                 "workers": "2", "params": f"via=pipe;pin={pin}", "rep": str(rep),
                                 "ns_per_op": str(v), "ok": "1", "outer_wall_ns": "2000000000",
                                 "notes": ""})
        ctx = {"cores": 2, "refusals": []}
        need = sq.needed("switch", {"switch": rows}, ctx, {("switch", "pipe pin=split")})
        self.assertEqual(need, {("thread", "2", "via=pipe;pin=split"), ("fork", "2", "via=pipe;pin=split")})
        nar = sq.narrowing(rows, need)
        self.assertEqual(nar, {"models": {"thread", "fork"}, "workers": {"2"},
                               "params": {"pin": {"split"}}})
        args = ["run", "-w", "switch", "-m", "thread,fork", "-n", "2", "--pin", "same,split",
                "--via", "pipe"]
        self.assertEqual(sq.narrow_args(args, nar)[sq.narrow_args(args, nar).index("--pin") + 1],
                         "split")
        # 2 configurations of 2 s each, 3 repetitions, no warm-up, 1.5 s measured per s
        self.assertAlmostEqual(sq.round_seconds(rows, nar, 3, 0, 1.5), 18.0)


if __name__ == "__main__":
    unittest.main()
