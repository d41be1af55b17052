#!/usr/bin/env python3
"""test_table_claims.py - unit tests of how `make table` turns CSV rows into
findings, verdicts and Markdown (ptb/table/analyse.py, ptb/table/render.py),
with synthetic rows only: no ptbench run, no timing.

Run: python3 -m unittest discover -s tests/scripts/table   (or `make test-table`)
"""
import unittest

from ptb import stats as sv
from ptb.table import analyse as tc
from ptb.table import measures as tm
from ptb.table import collect, render, seed


def table_md(found, missing, ev, offer, info):
    """table.md as make table writes it: the findings, then their rendering."""
    return render.markdown(collect.build(found, missing, ev, offer, info))


def row(workload, model, workers, params, rep, **cols):
    r = {"run_id": "t", "workload": workload, "model": model, "workers": str(workers),
         "params": params, "rep": str(rep), "wall_ns": "1000", "user_ns": "", "sys_ns": "",
         "maxrss_kb": "", "pss_kb": "", "ns_per_op": "1", "result": "0", "ok": "1"}
    r.update({k: str(v) for k, v in cols.items()})
    return r


def cpu_rows(fork_wall, thread_wall):
    """n=1 and n=2; each list gives the n=2 wall times; n=1 takes 1.9x less work time."""
    rows = []
    for rep, (fw, tw) in enumerate(zip(fork_wall, thread_wall)):
        for model, w in (("fork", fw), ("thread", tw)):
            rows.append(row("cpu", model, 1, "steps=100", rep, wall_ns=w, user_ns=w, sys_ns=0))
            rows.append(row("cpu", model, 2, "steps=100", rep, wall_ns=w, user_ns=2 * w, sys_ns=0))
    return rows


class CpuFindings(unittest.TestCase):
    def test_same_speed_means_the_parallelism_claim_fails(self):
        walls = [1000, 1010, 990, 1005, 995, 1002, 998]
        found = tc.analyse_cpu(cpu_rows(walls, list(reversed(walls))), {"cores": 2})
        self.assertEqual(found["cpu-wall"].verdict(sv.B_HIGHER)[0], sv.FAILS)
        self.assertEqual(found["cpu-util"].verdict(sv.B_HIGHER)[0], sv.FAILS)
        self.assertAlmostEqual(found["cpu-util"].main.res["a"]["median"], 1.0)

    def test_threads_twice_as_slow_holds(self):
        fork = [1000, 1010, 990, 1005, 995, 1002, 998]
        thread = [2 * v for v in fork]
        found = tc.analyse_cpu(cpu_rows(fork, thread), {"cores": 2})
        self.assertEqual(found["cpu-wall"].verdict(sv.B_HIGHER)[0], sv.HOLDS)


class BeyondPhysics(unittest.TestCase):
    """A speed-up above min(workers, cores) or a utilisation above the
    cores, beyond the noise, is flagged and gives no verdict."""

    def rows(self, thread_speedup, thread_util=1.0, cores_busy=2):
        rows = []
        for rep, jitter in enumerate([1000, 1010, 990, 1005, 995, 1002, 998]):
            for model, speed in (("fork", 1.95), ("thread", thread_speedup)):
                w1, w2 = 2 * jitter, int(2 * 2 * jitter / speed)
                util = thread_util if model == "thread" else 0.98
                rows.append(row("cpu", model, 1, "steps=100", rep, wall_ns=w1, user_ns=w1, sys_ns=0,
                                ns_per_op=w1 / 100))
                rows.append(row("cpu", model, 2, "steps=100", rep, wall_ns=w2,
                                user_ns=int(util * cores_busy * w2), sys_ns=0, ns_per_op=w2 / 200))
        return rows

    def test_speedup_above_the_cores_is_flagged(self):
        found = tc.analyse_cpu(self.rows(2.28), {"cores": 2})
        verdict, why = found["cpu-speedup"].verdict(sv.B_HIGHER)
        self.assertEqual(verdict, sv.NO_VERDICT)
        self.assertIn("the machine's speed changed", why)
        self.assertIn("⚠ the machine's speed changed", found["cpu-speedup"].figure("b"))
        self.assertNotIn("⚠", found["cpu-speedup"].figure("a"))
        v, why = found["cpu-scale-thread"].verdict(sv.A_HIGHER)
        self.assertEqual(v, sv.NO_VERDICT)
        self.assertIn("above min(workers, cores) = 2", why)
        self.assertEqual(found["cpu-scale-proc"].verdict(sv.A_HIGHER)[0], sv.HOLDS)

    def test_speedup_at_the_cores_is_a_result(self):
        found = tc.analyse_cpu(self.rows(2.0), {"cores": 2})
        self.assertEqual(found["cpu-speedup"].physics, {})
        self.assertEqual(found["cpu-scale-thread"].verdict(sv.A_HIGHER)[0], sv.HOLDS)

    def test_more_cores_than_workers_raise_no_limit_above_workers(self):
        found = tc.analyse_cpu(self.rows(2.28), {"cores": 8})
        self.assertIn("b", found["cpu-speedup"].physics)     # min(2 workers, 8 cores) = 2

    def test_utilisation_above_the_cores_is_flagged(self):
        found = tc.analyse_cpu(self.rows(2.0, thread_util=1.3), {"cores": 2})
        v, why = found["cpu-util"].verdict(sv.B_HIGHER)
        self.assertEqual(v, sv.NO_VERDICT)
        self.assertIn("utilisation", why)


class CounterFindings(unittest.TestCase):
    def rows(self, fork_lost):
        rows = []
        for rep in range(7):
            for model in ("fork", "thread"):
                lost = fork_lost if model == "fork" else 300
                rows.append(row("counter", model, 4, "iters=100;window-us=20;lock=none", rep, result=lost))
                rows.append(row("counter", model, 4, "iters=100;window-us=20;lock=mutex", rep, result=0))
        return rows

    def test_both_lose_updates_without_a_lock(self):
        found = tc.analyse_counter_lost(self.rows(299), {})
        self.assertEqual(found["lost-fork"].verdict(sv.A_HIGHER)[0], sv.HOLDS)
        self.assertEqual(found["lost-thread"].verdict(sv.A_HIGHER)[0], sv.HOLDS)

    def test_processes_without_losses_would_make_the_seed_hold(self):
        found = tc.analyse_counter_lost(self.rows(0), {})
        self.assertEqual(found["lost-fork"].verdict(sv.SAME)[0], sv.HOLDS)


class CreateFindings(unittest.TestCase):
    def test_depends_on_parent_memory(self):
        rows = []
        for rep in range(7):
            for mb, fork_ns in (("0", 100 + rep), ("256", 9000 + rep)):
                rows.append(row("create", "fork", 1, f"count=10;parent-mb={mb}", rep, ns_per_op=fork_ns))
                rows.append(row("create", "thread", 1, f"count=10;parent-mb={mb}", rep,
                                ns_per_op=100 + (rep * 3) % 7))
        f = tc.analyse_create(rows, {})["create"]
        verdict, why = f.verdict(sv.A_HIGHER)
        self.assertEqual(verdict, sv.DEPENDS)
        self.assertIn("holds for fork parent=256MiB", why)
        self.assertIn("fails for fork parent=0MiB", why)


class ChecksAndCrash(unittest.TestCase):
    def test_crash_survivors_with_ok_0_rows(self):
        rows = [row("crash", "fork", 4, "", r, result=3) for r in range(5)]
        rows += [row("crash", "thread", 4, "", r, result=0, ok=0) for r in range(5)]
        f = tc.analyse_crash(rows, {})["crash"]
        self.assertEqual(f.verdict(sv.A_HIGHER)[0], sv.HOLDS)

    def test_too_few_rows_no_verdict(self):
        rows = [row("crash", "fork", 4, "", r, result=3) for r in range(3)]
        rows += [row("crash", "thread", 4, "", r, result=0) for r in range(3)]
        f = tc.analyse_crash(rows, {})["crash"]
        self.assertEqual(f.verdict(sv.A_HIGHER)[0], sv.NO_VERDICT)


class Rendering(unittest.TestCase):
    def render(self, found, missing):
        info = {"mode": "quick", "reps": 5, "machine": "test", "date": "now", "git": "x",
                "commands": {}, "c13": None, "notes": []}
        return table_md(found, missing, None, tm.Offer({}, []), info)

    def test_missing_workloads_say_not_measured(self):
        md = self.render({}, {"create": "needs workload create"})
        self.assertIn("**C1** creating and destroying a process costs more than a thread "
                      "(000, 004): **not measured** — needs workload create", md)
        for row_ in seed.SEED_ROWS:
            self.assertIn(row_["zh"], md)
            self.assertIn(row_["proc_zh"], md)
            self.assertIn(row_["thread_zh"], md)
        for cid in ("C%d" % i for i in range(1, 15)):
            self.assertIn(f"**{cid}**", md)
        # the verdict matrix, the summary at a glance and the table: header + six rows each
        self.assertEqual(md.count("\n| "), 21)

    def test_figures_come_from_rows(self):
        walls = [1000, 1010, 990, 1005, 995, 1002, 998]
        found = tc.analyse_cpu(cpu_rows(walls, walls), {"cores": 2})
        md = self.render(found, {})
        self.assertIn("CPU utilisation: 100% (every rep.)", md)


class Offer(unittest.TestCase):
    # the shape of `ptbench list --json` (ptb/workloads.py), cut to two workloads
    FACTS = {"workloads": [
        {"name": "cpu", "options": [{"name": "steps", "kind": "number", "default": "1e9"}]},
        {"name": "counter", "options": [{"name": "lock", "kind": "choice", "default": "mutex",
                                         "choices": ["mutex", "spin", "atomic", "none"]}]}],
        "models": [{"name": "thread"}, {"name": "fork"}, {"name": "all"}]}

    def test_facts_and_filter(self):
        offer = tm.Offer.from_facts(self.FACTS)
        self.assertEqual(offer.models, ["thread", "fork"])
        self.assertEqual(offer.workloads["counter"]["lock"], ["mutex", "spin", "atomic", "none"])
        self.assertIsNone(offer.workloads["cpu"]["steps"])
        m = tm.Measure("x", "counter", ("thread", "fork", "vfork"), "2",
                       {"lock": "none,magic", "iters": "5"})
        self.assertIsNone(m.missing(offer))
        args = m.args(offer, "quick", "x.csv")
        self.assertEqual(args[args.index("-m") + 1], "thread,fork")
        self.assertEqual(args[args.index("--lock") + 1], "none")
        self.assertNotIn("--iters", args)
        self.assertEqual(tm.Measure("y", "switch", ("thread",), "2", {}).missing(offer),
                         "needs workload switch")


if __name__ == "__main__":
    unittest.main()
