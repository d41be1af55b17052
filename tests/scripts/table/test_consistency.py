#!/usr/bin/env python3
"""test_consistency.py - the guard against figures that contradict the
work done (ptb/table/consistency.py): seeded CSVs where a variant that
does at least the work of another runs faster beyond noise (share with
--encode 1 faster than without; fork with a larger parent faster; an
exec faster than none), or two variants that do the same work differ
(threads' heap and shm channels), and controls where the figures agree
with the work.  The marked finding gives no verdict, the claim's verdict
does not come from it, and every view says "⚠ inconsistent".

The figures are made up and exact (no ptbench run, no clock): every
sample is a base value with a small fixed spread.

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
from ptb.plot import claims as plot_claims
from ptb import report
from ptb.table import analyse as tc
from ptb.table import analysis, collect, consistency, render, summary
from ptb.table import findings as fnd
from ptb.table import measures as tm

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
RESULTS = os.path.join(ROOT, "results")
REPS = 7
SPREAD = (1.000, 1.002, 0.998, 1.004, 0.996, 1.001, 0.999)   # relative IQR well under 5%
INCONSISTENT = fnd.INCONSISTENT


def header():
    with open(os.path.join(RESULTS, "table.csv"), encoding="utf-8") as f:
        return f.readline().strip().split(",")


def row(run_id, workload, model, workers, params, rep, **cols):
    r = dict.fromkeys(header(), "")
    r.update({"run_id": run_id, "workload": workload, "model": model, "workers": str(workers),
              "params": params, "rep": str(rep), "ok": "1", "result": "0", "wall_ns": "1000"})
    r.update({k: str(v) for k, v in cols.items()})
    return r


def sample(run_id, workload, model, params, ns_per_op, workers=2, **cols):
    """REPS rows of one sample: ns_per_op times a small fixed spread."""
    return [row(run_id, workload, model, workers, params, rep,
                ns_per_op=f"{ns_per_op * SPREAD[rep]:.6g}", **cols) for rep in range(REPS)]


def share(run_id, ns):
    """share rows: ns maps (model, via, encode) to ns per byte (1 = 1 GB/s)."""
    rows = []
    for (model, via, enc), v in ns.items():
        rows += sample(run_id, "share", model, f"bytes=1048576;chunk=65536;via={via};encode={enc}", v,
                       ops=1048576, result=1048576)
    return rows


def counter_lost(run_id):
    """C7's rows: both models lose updates without a lock and none with one."""
    rows = []
    for model in ("fork", "thread"):
        for lock, lost in (("none", 600), ("mutex", 0)):
            rows += [row(run_id, "counter", model, 4, f"iters=200;window-us=20;lock={lock}", rep,
                         result=lost + (rep % 3 if lost else 0), ops=800) for rep in range(REPS)]
    return rows


def create(run_id, ns, count=10):
    """create rows: ns maps (model, parent-mb, exec) to ns per creation."""
    rows = []
    for (model, mb, ex), v in ns.items():
        rows += sample(run_id, "create", model, f"count={count};parent-mb={mb};exec={ex}", v, workers=1)
    return rows


def by_measure(rows_by_measure):
    return {m: list(rows) for m, rows in rows_by_measure.items()}


# ---- the whole pipeline on a seeded CSV: python3 -m ptb.table --from-csv -----------

def write_set(directory, rows_by_measure):
    """A make table result directory for these rows: table.csv and a meta."""
    rows = [r for rs in rows_by_measure.values() for r in rs]
    csvio.write(os.path.join(directory, "table.csv"), header(), rows)
    runs = [{"id": m, "run_id": rs[0]["run_id"], "rows": len(rs), "command": f"ptbench run ({m})"}
            for m, rs in rows_by_measure.items()]
    meta = {"schema_version": 1, "mode": "quick", "reps": REPS, "generated": "2026-01-01T00:00:00Z",
            "git_commit": "seeded", "machine": {"cores_online": "2", "cpu_model": "seeded",
                                                "kernel": "seeded", "loadavg": "0.0 0.0 0.0"},
            "workloads_offered": sorted({r["workload"] for r in rows}),
            "models_offered": sorted({r["model"] for r in rows}),
            "missing": {}, "notes": [], "runs": runs, "c10_refusals": [], "c13": None}
    with open(os.path.join(directory, "table.meta.json"), "w", encoding="utf-8") as f:
        json.dump(meta, f)


def rebuild(directory):
    """findings.json of a seeded set, through the command make table's --from-csv runs."""
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run([sys.executable, "-m", "ptb.table", "--from-csv", "--out-dir", directory],
                          capture_output=True, text=True, cwd=ROOT, env=env)
    if proc.returncode != 0:
        raise AssertionError(proc.stderr)
    return fnd.load(os.path.join(directory, "findings.json"))


# pipe only (no same-work pair): threads' --encode 1 runs at 2 GB/s, --encode 0 at 1 GB/s
FASTER = {("thread", "pipe", "0"): 1.0, ("thread", "pipe", "1"): 0.5,
          ("fork", "pipe", "0"): 1.0, ("fork", "pipe", "1"): 1.3}
# the control: --encode 1 is slower in both models, as its work says
SLOWER = {**FASTER, ("thread", "pipe", "1"): 1.3}


class SeededPipeline(unittest.TestCase):
    """share rows where --encode 1 runs faster than --encode 0 beyond
    noise, and the control where it runs slower, through --from-csv."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="ptb-test-consistency-")
        cls.sets = {}
        for name, ns in (("faster", FASTER), ("slower", SLOWER)):
            d = os.path.join(cls.tmp, name)
            os.makedirs(d)
            write_set(d, {"share": share("seed-share", ns), "counter-lost": counter_lost("seed-lost")})
            cls.sets[name] = rebuild(d)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def c4(self, name):
        return fnd.language(self.sets[name], "C4", "C")

    def sharing_row(self, name):
        row = next(r for r in self.sets[name]["rows"] if r["en"] == "data sharing, synchronisation")
        return row["languages"]["C"]

    def test_more_work_but_faster_is_marked_with_both_figures(self):
        marked = self.sets["faster"]["consistency"]["inconsistent"]
        self.assertEqual(len(marked), 1, marked)
        rec = marked[0]
        self.assertEqual((rec["kind"], rec["on"], rec["measures"]), ("more", "encode", ["share"]))
        self.assertEqual((rec["a"]["label"], rec["b"]["label"]), ("thread encode=1", "thread encode=0"))
        self.assertEqual((rec["a"]["median"], rec["b"]["median"]), (2e9, 1e9))
        self.assertEqual(rec["outcome"], sv.A_HIGHER)
        self.assertEqual(rec["reason"].split(" (")[0], "thread encode=1 ran faster")
        self.assertIn("(2 GB/s) than thread encode=0 (1 GB/s;", rec["reason"])
        self.assertNotIn("\n", rec["reason"])

    def test_the_control_is_not_marked(self):
        self.assertEqual(self.sets["slower"]["consistency"]["inconsistent"], [])
        self.assertEqual(fnd.inconsistent(self.c4("slower")), [])
        for c in self.c4("slower")["conditions"]:
            self.assertEqual(c["inconsistent"], [], c["condition"])

    def test_the_fork_pair_that_agrees_with_its_work_is_not_marked(self):
        labels = {r["a"]["label"] for r in self.sets["faster"]["consistency"]["inconsistent"]}
        self.assertNotIn("fork encode=1", labels)

    def test_every_condition_on_the_marked_sample_is_marked(self):
        conds = {(c["finding"], c["condition"]): c["inconsistent"] for c in self.c4("faster")["conditions"]}
        reason = self.sets["faster"]["consistency"]["inconsistent"][0]["reason"]
        # share: every condition against thread pipe encode=0; share-model: fork against thread,
        # each through the same channel (thread encode=0, then encode=1)
        self.assertEqual(conds, {("share", "pipe"): [reason], ("share", "pipe encoded"): [reason],
                                 ("share-model", "pipe"): [reason],
                                 ("share-model", "pipe encoded"): [reason]})

    def test_no_verdict_from_the_marked_finding(self):
        rec = self.c4("faster")
        self.assertEqual(rec["verdict"], sv.NO_VERDICT)
        self.assertTrue(rec["why"].startswith(f"{INCONSISTENT}: thread encode=1 ran faster"), rec["why"])
        self.assertEqual(len(fnd.inconsistent(rec)), 1)
        # the control judges the same finding: the same 1 GB/s through the pipe (fails), and
        # fork's encoded pipe slower than thread's plain one (holds)
        self.assertEqual(self.c4("slower")["verdict"], sv.DEPENDS)

    def test_the_row_verdict_comes_from_the_other_aspect(self):
        faster, slower = self.sharing_row("faster"), self.sharing_row("slower")
        aspects = {a["label"]: a for a in faster["aspects"]}
        self.assertEqual(aspects["sharing (bytes/s)"]["verdict"], sv.NO_VERDICT)
        self.assertTrue(aspects["sharing (bytes/s)"]["inconsistent"])
        self.assertEqual(aspects["sync (updates lost without a lock)"]["inconsistent"], [])
        self.assertEqual(fnd.inconsistent_aspects(faster), ["sharing (bytes/s)"])
        # sync alone: processes lose updates without a lock, so "processes need no lock" fails
        self.assertEqual(faster["verdict"], sv.FAILS)
        self.assertEqual(faster["depends_on"], "")
        # the headline figure is the verdict's (sync), not the marked one
        self.assertTrue(faster["headline"].startswith("sync "), faster["headline"])
        self.assertEqual(fnd.inconsistent_aspects(slower), [])
        self.assertTrue(slower["headline"].startswith("sharing "), slower["headline"])

    # ---- every view says it in the same words -------------------------------------

    def test_table_md_matrix_summary_row_and_claim(self):
        md = render.markdown(self.sets["faster"])
        lines = md.splitlines()
        matrix = next(ln for ln in lines if ln.startswith("| **data sharing, synchronisation**"))
        self.assertIn("| ✘ **fails** · sync ", matrix)
        self.assertIn(f"· {INCONSISTENT}: sharing (bytes/s) |", matrix)
        glance = next(ln for ln in lines if ln.startswith("| data sharing, synchronisation ("))
        self.assertEqual(glance.split(" | ")[3], f"**fails** {INCONSISTENT}: sharing (bytes/s)")
        table_row = next(ln for ln in lines if ln.startswith("| 数据共享"))
        verdict_cell = table_row.split(" | ")[6]
        self.assertTrue(verdict_cell.startswith(f"{INCONSISTENT}: sharing (bytes/s) — thread encode=1 "
                                                "ran faster (2 GB/s) than thread encode=0 (1 GB/s;"),
                        verdict_cell)
        claim = next(ln for ln in lines if ln.startswith("- **C4** "))
        self.assertIn(f": **no verdict** {INCONSISTENT} — {INCONSISTENT}: thread encode=1", claim)
        self.assertIn("- `share`: thread encode=1 ran faster (2 GB/s)", md)
        clean = render.markdown(self.sets["slower"])
        for prefix in ("| **data sharing, synchronisation**", "| data sharing, synchronisation (",
                       "| 数据共享", "- **C4** "):
            line = next(ln for ln in clean.splitlines() if ln.startswith(prefix))
            self.assertNotIn(INCONSISTENT, line)
        self.assertIn("No figure contradicts the work done.", clean)

    def test_readme_block(self):
        block = "\n".join(summary.readme_block(self.sets["faster"]))
        self.assertIn(f"· {INCONSISTENT}: sharing (bytes/s) |", block)
        self.assertNotIn(f"· {INCONSISTENT}", "\n".join(summary.readme_block(self.sets["slower"])))

    def test_claim_chart_title(self):
        claim = fnd.claim(self.sets["faster"], "C4")
        _, verdicts = plot_claims.titles(claim)
        self.assertTrue(verdicts.startswith("C: no verdict "), verdicts)
        self.assertIn(f" {INCONSISTENT}", verdicts.split(", CPython")[0])
        _, clean = plot_claims.titles(fnd.claim(self.sets["slower"], "C4"))
        self.assertNotIn(INCONSISTENT, clean)

    def test_report(self):
        rec = self.c4("faster")
        item = report.claim_language_html("C4", "C", rec)
        self.assertIn(f'<strong class="v v-no">no verdict</strong> {INCONSISTENT}', item)
        matrix = report.matrix_html(self.sets["faster"])
        cell = matrix[matrix.index('data-cell="data sharing, synchronisation" data-lang=C'):]
        self.assertIn(f"{INCONSISTENT}: sharing (bytes/s)", cell[:cell.index("</td>")])


# ---- the rule, pair by pair, in process --------------------------------------------

def check(rows_by_measure):
    return consistency.check(by_measure(rows_by_measure))


class SameWork(unittest.TestCase):
    """Threads' heap and shm channels do the same work on the same bytes."""

    def test_heap_and_shm_that_differ_are_marked(self):
        ns = {("thread", "heap", "0"): 2.0, ("thread", "shm", "0"): 0.5,
              ("fork", "shm", "0"): 0.5}
        recs = check({"share": share("s", ns)})
        self.assertEqual([(r["kind"], r["a"]["label"], r["b"]["label"]) for r in recs],
                         [("same", "thread via=heap", "thread via=shm")])
        self.assertIn("thread via=heap (500 MB/s) and thread via=shm (2 GB/s) differ", recs[0]["reason"])

    def test_the_side_that_blocked_less_is_named(self):
        """Faster with far fewer voluntary context switches: the reason
        says it waited less on the channel; with as many, it says nothing."""
        def rows(sleeps_heap, sleeps_shm):
            out = []
            for via, v, sleeps in (("heap", 0.5, sleeps_heap), ("shm", 2.0, sleeps_shm)):
                out += sample("s", "share", "thread", f"bytes=1048576;chunk=65536;via={via};encode=0", v,
                              ops=1048576, result=1048576, vol_cs=sleeps)
            return out
        rec = check({"share": rows(60, 500)})[0]
        self.assertEqual((rec["a"]["vol_cs"], rec["b"]["vol_cs"]), (60, 500))
        self.assertIn("the faster one blocked less: 60 against 500 voluntary context switches "
                      "a repetition", rec["reason"])
        self.assertNotIn("blocked less", check({"share": rows(400, 500)})[0]["reason"])
        self.assertNotIn("blocked less", check({"share": rows(500, 60)})[0]["reason"])

    def test_heap_and_shm_alike_are_not(self):
        ns = {("thread", "heap", "0"): 0.5, ("thread", "shm", "0"): 0.505, ("fork", "shm", "0"): 0.3}
        self.assertEqual(check({"share": share("s", ns)}), [])

    def test_only_threads(self):
        # Python's heap hands over references and its shm copies into slots: not a pair
        ns = {("pythread", "heap", "0"): 0.1, ("pythread", "shm", "0"): 1.0}
        self.assertEqual(check({"py-share": share("p", ns)}), [])

    def test_a_variant_with_a_parameter_of_its_own_is_in_no_pair(self):
        rows = share("s", {("thread", "shm", "0"): 0.5})
        rows += sample("s", "share", "thread", "bytes=1048576;chunk=65536;via=heap;encode=0;alloc=malloc",
                       2.0)
        self.assertEqual(check({"share": rows}), [])

    def test_each_measure_apart(self):
        # the same samples in two runs are not pooled: each run is checked on its own
        slow = share("a", {("thread", "heap", "0"): 2.0})
        fast = share("b", {("thread", "shm", "0"): 0.5})
        self.assertEqual(check({"share": slow, "mpi-share-h1": fast}), [])


class Create(unittest.TestCase):
    def test_a_larger_fork_parent_that_creates_faster_is_marked(self):
        ns = {("fork", "0", "auto"): 900e3, ("fork", "256", "auto"): 500e3,
              ("thread", "0", "auto"): 30e3, ("thread", "256", "auto"): 30e3}
        found = analysis.analyse({"create": create("c", ns)}, {"cores": 2})
        recs = found["consistency"]["records"]
        self.assertEqual([(r["on"], r["a"]["label"], r["b"]["label"]) for r in recs],
                         [("parent-mb", "fork parent-mb=256", "fork parent-mb=0")])
        f = found["create"]
        self.assertEqual([c.label for c in f.conds if c.inconsistent],
                         ["fork parent=0MiB", "fork parent=256MiB"])
        verdict, why = f.verdict(sv.A_HIGHER)
        self.assertEqual(verdict, sv.NO_VERDICT)
        self.assertIn("fork parent-mb=256 ran faster (500 µs) than fork parent-mb=0 (900 µs;", why)
        self.assertIn(INCONSISTENT, f.ratio())

    def test_the_control_holds(self):
        ns = {("fork", "0", "auto"): 500e3, ("fork", "256", "auto"): 900e3,
              ("thread", "0", "auto"): 30e3, ("thread", "256", "auto"): 30e3}
        found = analysis.analyse({"create": create("c", ns)}, {"cores": 2})
        self.assertEqual(found["consistency"]["records"], [])
        self.assertEqual(found["create"].verdict(sv.A_HIGHER)[0], sv.HOLDS)
        self.assertNotIn(INCONSISTENT, found["create"].ratio())

    def test_spawn_faster_than_vfork_is_marked(self):
        ns = {("vfork", "0", "auto"): 90e3, ("spawn", "0", "auto"): 40e3,
              ("thread", "0", "auto"): 30e3}
        recs = check({"create": create("c", ns)})
        self.assertEqual([(r["on"], r["a"]["label"], r["b"]["label"]) for r in recs],
                         [("model", "spawn", "vfork")])

    def test_an_exec_faster_than_none_is_marked_across_the_sweeps_two_runs(self):
        parent = create("p", {("fork", "0", "auto"): 700e3, ("thread", "0", "auto"): 30e3}, count=20)
        execd = create("e", {("fork", "0", "yes"): 400e3}, count=20)
        recs = check({"create-parent": parent, "create-exec": execd})
        self.assertEqual([(r["measures"], r["a"]["label"], r["b"]["label"]) for r in recs],
                         [(["create-parent", "create-exec"], "fork exec=yes", "fork exec=auto")])
        execd = create("e", {("fork", "0", "yes"): 2000e3}, count=20)
        self.assertEqual(check({"create-parent": parent, "create-exec": execd}), [])

    def test_other_sizes_are_other_conditions(self):
        # count differs: the two sides are not on the same condition
        parent = create("p", {("fork", "0", "auto"): 700e3}, count=200)
        execd = create("e", {("fork", "0", "yes"): 400e3}, count=20)
        self.assertEqual(check({"create-parent": parent, "create-exec": execd}), [])


class Marking(unittest.TestCase):
    def test_a_condition_that_does_not_name_its_samples_is_marked_by_its_measure(self):
        rows = share("s", FASTER)
        found = analysis.analyse({"share": rows}, {"cores": 2})
        recs = found["consistency"]["records"]
        blind = tc.Finding("blind", "no samples named", "a", "b", tc.fmt_rate, "x",
                           [tc.Cond("x", [1, 2, 3, 4, 5], [1, 2, 3, 4, 5])], "share")
        other = tc.Finding("other", "another measure", "a", "b", tc.fmt_rate, "x",
                           [tc.Cond("x", [1, 2, 3, 4, 5], [1, 2, 3, 4, 5])], "copy")
        consistency.mark({"blind": blind, "other": other}, recs, analysis.group_of)
        self.assertEqual(blind.inconsistent, [recs[0]["reason"]])
        self.assertEqual(other.inconsistent, [])

    def test_too_few_repetitions_mark_nothing(self):
        rows = [r for r in share("s", FASTER) if int(r["rep"]) < 3]
        self.assertEqual(check({"share": rows}), [])

    def test_every_pair_is_declared_with_its_figure(self):
        for p in consistency.PAIRS:
            self.assertIn(p.workload, consistency.FIGURES)
            self.assertIn(p.kind, (consistency.MORE, consistency.SAME))
            self.assertTrue(p.why)
            self.assertTrue(p.order is not None or (p.a and p.b))
        words = collect.consistency_record({"consistency": {"records": []}})["pairs"]
        self.assertEqual(len(words), len(consistency.PAIRS))

    def test_the_measures_of_make_table_that_the_pairs_cover(self):
        covered = {m.id for m in tm.plan() for p in consistency.PAIRS if m.workload == p.workload}
        self.assertTrue({"share", "create", "create-parent", "create-exec", "py-share",
                         "mpi-share-h1"} <= covered, covered)


class Committed(unittest.TestCase):
    """The committed findings.json: no judged finding that is marked gave
    its claim a verdict of its own."""

    def test_marked_judged_findings_give_no_verdict(self):
        findings = fnd.load(os.path.join(RESULTS, "findings.json"))
        for c in findings["claims"]:
            for lang, rec in c["languages"].items():
                judged = {x["finding"] for x in rec["conditions"] if x["expect"] is not None}
                marked = {x["finding"] for x in rec["conditions"]
                          if x["expect"] is not None and x.get("inconsistent")}
                if marked and marked == judged:
                    self.assertEqual(rec["verdict"], sv.NO_VERDICT, (c["id"], lang))
                if marked:
                    self.assertTrue(fnd.inconsistent(rec), (c["id"], lang))


if __name__ == "__main__":
    unittest.main()
