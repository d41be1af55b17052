#!/usr/bin/env python3
"""test_table_python_workloads.py - unit tests of the Python column's
workload measures of `make table` (ptb/table/python.py: switch,
footprint, share, crash, pool, zombie, daemon in CPython) and of the
sentence that says why a Python verdict differs from C's, with synthetic
rows only: no timing, no ptbench.

Run: python3 -m unittest discover -s tests/scripts/table   (or `make test-table`)
"""
import os
import unittest

from ptb import stats as sv
from ptb.table import analyse as tc
from ptb.table import analyse_py as ap
from ptb.table import analysis
from ptb.table import measures as tm
from ptb.table import python as tp
from ptb.table import render, seed
from ptb.table import verdicts as tr
from test_table_python_mpi import WOBBLE, row  # noqa: E402

NOTES = "python=3.11.2;impl=CPython;gil=1;switch_us=5000;start=fork;exe=/usr/bin/python3"


def crash_rows(proc, thread, signals, workers=4):
    """Survivors: processes keep all but the victim; threads lose all on a
    hard fault and only the victim on an exception."""
    rows = []
    for rep, _ in enumerate(WOBBLE):
        for sig in signals:
            rows.append(row("crash", proc, workers, f"steps=1000;signal={sig}", rep,
                            result=workers - 1, ops=workers))
            hard = sig != "exception" or thread == "thread"
            rows.append(row("crash", thread, workers, f"steps=1000;signal={sig}", rep,
                            result=0 if hard else workers - 1, ops=workers, wall_ns=""))
    return rows


def switch_rows(proc, thread, proc_ns, thread_ns, via="pipe"):
    rows = []
    for rep, w in enumerate(WOBBLE):
        for model, ns in ((proc, proc_ns), (thread, thread_ns)):
            rows.append(row("switch", model, 2, f"rounds=100;via={via};pin=none", rep,
                            ns_per_op=ns * (1 + w / 1000), ops=100, result=100, notes=NOTES))
    return rows


class PythonWorkloadMeasures(unittest.TestCase):

    def test_plan_has_every_python_workload(self):
        ids = {m.id: m for m in tm.plan()}
        for mid, wl in (("py-switch", "switch"), ("py-footprint", "footprint"), ("py-share", "share"),
                        ("py-crash", "crash"), ("py-pool", "pool"), ("py-zombie", "zombie"),
                        ("py-daemon", "daemon")):
            self.assertEqual(ids[mid].workload, wl)
            self.assertIn(mid, analysis.ANALYSES)

    def test_crash_depends_on_the_kind_of_death(self):
        found = ap.analyse_py_crash(crash_rows("pyproc", "pythread", ("segv", "exception")), {})
        f = found["py-crash"]
        self.assertEqual([c.label for c in f.conds], ["hard fault (SIGSEGV)", "uncaught exception"])
        self.assertEqual(f.verdict(sv.A_HIGHER)[0], sv.DEPENDS)

    def test_differs_line_for_crash(self):
        found = tc.analyse_crash(crash_rows("fork", "thread", ("segv",)), {})
        found.update(ap.analyse_py_crash(crash_rows("pyproc", "pythread", ("segv", "exception")), {}))
        cells = render.verdict_cell(tr.py_cells(seed.SEED_ROWS[4], found, {}))
        self.assertIn("why Python differs from C — survivors when 1 worker crashes: C holds, "
                      "Python depends", cells)
        self.assertIn("an uncaught exception ends only its own thread in CPython (3 (every rep.) "
                      "results survive with threads", cells)

    def test_no_differs_line_when_verdicts_agree(self):
        found = tc.analyse_switch(switch_rows("fork", "thread", 3000, 2000), {})
        found.update(ap.PY_ANALYSES["py-switch"](switch_rows("pyproc", "pythread", 60000, 40000), {}))
        self.assertEqual(found["switch"].verdict(sv.A_HIGHER)[0], sv.HOLDS)
        self.assertEqual(found["py-switch"].verdict(sv.A_HIGHER)[0], sv.HOLDS)
        self.assertNotIn("why Python differs", render.verdict_cell(tr.py_cells(seed.SEED_ROWS[2], found, {})))

    def test_differs_line_for_switch_names_the_figures(self):
        found = tc.analyse_switch(switch_rows("fork", "thread", 2000, 2000), {})
        found.update(ap.PY_ANALYSES["py-switch"](switch_rows("pyproc", "pythread", 60000, 40000), {}))
        found["py-interp"] = tc.interpreter(switch_rows("pyproc", "pythread", 1, 1))
        line = render.verdict_cell(tr.py_cells(seed.SEED_ROWS[2], found, {}))
        self.assertIn("C fails, Python holds", line)
        self.assertIn("40 µs [39.9 µs – 40.1 µs] between threads and 60 µs", line)
        self.assertIn("5000 µs switch interval", line)

    def test_c13_in_python_counts_the_adapters(self):
        import tempfile
        with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
            f.write('def run_threads(a):\n    """doc\n    more"""\n    # a comment\n\n    return a\n\n'
                    'def run_processes(a):\n    x = a\n    y = x\n    return y\n'
                    'def process_main(b):\n    return b\n')
        try:
            rows = []
            for rep, _ in enumerate(WOBBLE):
                for model, lost in (("pyproc", 300), ("pythread", 290)):
                    rows.append(row("counter", model, 4, "iters=100;window-us=20;lock=none", rep,
                                    result=lost, ops=400))
                    rows.append(row("counter", model, 4, "iters=100;window-us=20;lock=mutex", rep,
                                    result=0, ops=400))
            found = analysis.ANALYSES["py-counter-lost"](rows, {})
            v, why, pf, tf, ratio = tp.c13_python(found, f.name)
        finally:
            os.unlink(f.name)
        self.assertEqual((v, pf.split(";")[0], tf.split(";")[0]), (sv.FAILS, "adapter 6 LOC", "adapter 2 LOC"))
        self.assertIn("no tool reports the race in either model", why)

    def test_python_lines_of_claims(self):
        for cid in ("C2", "C3", "C4", "C6", "C8", "C9", "C11"):
            claim = next(c for c in seed.CLAIMS if c[0] == cid)
            self.assertEqual(claim[4][0], "Python", cid)
        claim = next(c for c in seed.CLAIMS if c[0] == "C11")
        lang, verdict, why, _ = tr.other_language(claim, {}, {})
        self.assertEqual((lang, verdict), ("Python", tr.NOT_MEASURED))


if __name__ == "__main__":
    unittest.main()
