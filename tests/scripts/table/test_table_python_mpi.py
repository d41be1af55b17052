#!/usr/bin/env python3
"""test_table_python_mpi.py - unit tests of the Python column group and of
the distribution row (C10) of `make table` (ptb/table/analyse.py,
ptb/table/render.py, ptb/table/measures.py, ptb/table/run.py's refusal runs), with
synthetic rows only: no timing, and no ptbench (a stand-in script plays
ptbench's refusal).

Run: python3 -m unittest discover -s tests/scripts/table   (or `make test-table`)
"""
import os
import stat
import tempfile
import unittest

from ptb import stats as sv
from ptb.table import run as table
from ptb.table import analyse as tc
from ptb.table import analysis
from ptb.table import measures as tm
from ptb.table import collect, render, seed
from ptb.table import verdicts as tr


def table_md(found, missing, ev, offer, info):
    """table.md as make table writes it: the findings, then their rendering."""
    return render.markdown(collect.build(found, missing, ev, offer, info))

WOBBLE = [0, 3, -2, 5, -4, 1, -1]     # per-repetition jitter, per mille


def row(workload, model, workers, params, rep, run_id="t", **cols):
    r = {"run_id": run_id, "workload": workload, "model": model, "workers": str(workers),
         "params": params, "rep": str(rep), "wall_ns": "1000", "user_ns": "", "sys_ns": "",
         "maxrss_kb": "", "pss_kb": "", "ops": "", "ns_per_op": "1", "result": "0", "ok": "1",
         "outer_wall_ns": "", "error": "", "notes": ""}
    r.update({k: str(v) for k, v in cols.items()})
    return r


def loop_rows(proc, thread, thread_speedup, proc_speedup=2.0, step_ns=20.0, notes=""):
    """cpu rows of one language: 1 and 2 workers, each worker `steps`
    steps; the 2-worker wall is 2 x (1-worker wall) / speed-up."""
    rows, steps = [], 1000
    for rep, w in enumerate(WOBBLE):
        one = steps * step_ns * (1 + w / 1000)
        for model, s in ((proc, proc_speedup), (thread, thread_speedup)):
            two = 2 * one / s
            rows.append(row("cpu", model, 1, f"steps={steps}", rep, wall_ns=one, user_ns=one,
                            sys_ns=0, ops=steps, ns_per_op=one / steps, notes=notes))
            rows.append(row("cpu", model, 2, f"steps={steps}", rep, wall_ns=two, user_ns=2 * one,
                            sys_ns=0, ops=2 * steps, ns_per_op=two / (2 * steps), notes=notes))
    return rows


GIL1 = "python=3.11.2;impl=CPython;gil=1"


def both_languages(gil_notes=GIL1, py_thread_speedup=1.0):
    """C threads scale, CPython threads (with the GIL) do not."""
    found = tc.analyse_cpu(loop_rows("fork", "thread", 2.0, step_ns=0.2), {"cores": 2})
    found.update(tc.analyse_pycpu(loop_rows("pyproc", "pythread", py_thread_speedup,
                                            notes=gil_notes), {"cores": 2}))
    return found


def cpu_row():
    return next(r for r in seed.SEED_ROWS if r["en"] == "memory, CPU")


class PythonCpu(unittest.TestCase):
    def test_scaling_holds_in_c_and_fails_in_cpython(self):
        found = both_languages()
        self.assertEqual(found["cpu-scale-thread"].verdict(sv.A_HIGHER)[0], sv.HOLDS)
        self.assertEqual(found["py-scale-thread"].verdict(sv.A_HIGHER)[0], sv.FAILS)
        self.assertEqual(found["py-scale-proc"].verdict(sv.A_HIGHER)[0], sv.HOLDS)
        self.assertAlmostEqual(found["py-speedup"].main.res["a"]["median"], 2.0)
        self.assertAlmostEqual(found["py-speedup"].main.res["b"]["median"], 1.0)

    def test_gil_threads_use_half_the_cores_processes_all(self):
        found = both_languages()
        self.assertAlmostEqual(found["py-util"].main.res["a"]["median"], 1.0)
        self.assertAlmostEqual(found["py-util"].main.res["b"]["median"], 0.5)
        # the seed says threads use the CPU better: in CPython the reverse
        verdict, why = found["py-util"].verdict(sv.B_HIGHER)
        self.assertEqual((verdict, why.split(":")[0]), (sv.FAILS, "the reverse holds"))

    def test_c14_compares_python_threads_against_processes(self):
        found = both_languages()
        f = found["py-wall"]
        self.assertEqual((f.a_name, f.b_name), ("pythread", "pyproc"))
        self.assertEqual(f.verdict(sv.A_HIGHER)[0], sv.HOLDS)

    def test_cost_per_step_per_language(self):
        found = both_languages()
        self.assertAlmostEqual(found["cpu-step"].main.res["b"]["median"], 0.2)
        self.assertAlmostEqual(found["py-step"].main.res["b"]["median"], 20.0)
        self.assertIn("100× one C step", tr.step_ratio(found))

    def test_row_verdict_per_language(self):
        found = both_languages()
        c = render.verdict_cell(tr.aspects_cells(cpu_row()["c"], found, {}))
        cells = tr.py_cells(cpu_row(), found, {})
        py = render.verdict_cell(cells)
        self.assertIn("CPU scaling with threads: **holds**", c)
        self.assertIn("CPU scaling with threads: **fails**", py)
        self.assertIn("gil=1 in every Python row", py)
        self.assertIn("speed-up 1→n workers: 1 (every rep.)", cells["thread"])

    def test_free_threaded_interpreter_is_named(self):
        found = both_languages(gil_notes="python=3.13.0;impl=CPython;gil=0", py_thread_speedup=2.0)
        self.assertEqual(found["py-scale-thread"].verdict(sv.A_HIGHER)[0], sv.HOLDS)
        self.assertIn("free-threaded (gil=0", tr.gil_note(found))
        py = render.verdict_cell(tr.py_cells(cpu_row(), found, {}))
        self.assertIn("CPU scaling with threads: **holds**", py)

    def test_mixed_gil_notes_are_reported(self):
        rows = loop_rows("pyproc", "pythread", 1.0, notes=GIL1)
        rows[0]["notes"] = "python=3.13.0;impl=CPython;gil=0"
        found = tc.analyse_pycpu(rows, {"cores": 2})
        self.assertEqual(found["py-interp"]["gil"], ["0", "1"])
        self.assertIn("gil= differs", tr.gil_note(found))


class PythonCounterAndCreate(unittest.TestCase):
    def test_lost_updates_in_python_keys(self):
        rows = []
        for rep in range(7):
            for model, lost in (("pyproc", 290 + rep % 3), ("pythread", 299)):
                rows.append(row("counter", model, 4, "iters=100;window-us=20;lock=none", rep, result=lost,
                                ops=400))
                rows.append(row("counter", model, 4, "iters=100;window-us=20;lock=mutex", rep, result=0,
                                ops=400))
        found = analysis.ANALYSES["py-counter-lost"](rows, {})
        self.assertEqual(sorted(found), ["py-lost", "py-lost-pyproc", "py-lost-pythread"])
        self.assertEqual(found["py-lost-pyproc"].verdict(sv.SAME)[0], sv.FAILS)
        self.assertEqual(found["py-lost"].suffix, " of 400")
        row1 = seed.SEED_ROWS[0]
        self.assertIn("processes sharing a multiprocessing.Value lose updates",
                      render.verdict_cell(tr.py_cells(row1, found, {})))

    def test_process_start_slower_than_thread(self):
        rows = []
        for rep, w in enumerate(WOBBLE):
            rows.append(row("create", "pyproc", 1, "count=50;parent-mb=0;exec=auto", rep,
                            ns_per_op=1.4e6 * (1 + w / 1000)))
            rows.append(row("create", "pythread", 1, "count=50;parent-mb=0;exec=auto", rep,
                            ns_per_op=4.4e4 * (1 + w / 1000)))
        f = tc.analyse_py_create(rows, {})["py-create"]
        self.assertEqual(f.verdict(sv.A_HIGHER)[0], sv.HOLDS)
        self.assertEqual(f.main.label, "pyproc parent=0MiB")

    def test_unmeasured_python_aspects_say_why(self):
        md = table_of({}, {})
        self.assertIn("measure py-share gave no usable rows", md)
        self.assertIn("measure py-crash gave no usable rows", md)
        self.assertIn("no pympi rows; what would measure it: the `pympi` model", md)


# ---- distribution -------------------------------------------------------------

def mpi_rows(hosts, ok=1, netns=None, error=""):
    """One mpi measure's rows: 4 threads (one host) and 4 mpi ranks on `hosts`."""
    rows, run = [], f"run-h{hosts}"
    params = "steps=1000" + (f";hosts={hosts}" if hosts > 1 else "")
    btl = "tcp" if hosts > 1 else "vader"
    for rep, w in enumerate(WOBBLE):
        rows.append(row("cpu", "thread", 4, "steps=1000", rep, run_id=run, wall_ns=1000 * (1 + w / 1000),
                        ops=4000, ns_per_op=0.25 * (1 + w / 1000), outer_wall_ns=1100))
        rows.append(row("cpu", "mpi", 4, params, rep, run_id=run, ok=ok, error=error,
                        wall_ns=1200 * (1 + w / 1000), ops=4000, ns_per_op=0.3 * (1 + w / 1000),
                        outer_wall_ns=(400 + 100 * hosts) * 1e6 * (1 + w / 1000),
                        notes=f"hosts={hosts};ranks=4;netns={netns or hosts};btl={btl}"))
    return rows


REFUSED = [{"model": "thread", "command": "ptbench run -w cpu -m thread --hosts 2", "exit_status": 2,
            "message": "ptbench: option --hosts does not apply", "wrote_csv": False},
           {"model": "fork", "command": "ptbench run -w cpu -m fork --hosts 2", "exit_status": 2,
            "message": "ptbench: option --hosts does not apply", "wrote_csv": False}]


def c10(rows_by_measure, refusals=REFUSED, missing=None):
    found = analysis.analyse(rows_by_measure, {"cores": 2, "refusals": refusals})
    return found, tr.c10_verdict(found, missing or {})


class Distribution(unittest.TestCase):
    def test_measures_of_each_host_count_are_analysed_together(self):
        found, _ = c10({"mpi-cpu-h1": mpi_rows(1), "mpi-cpu-h2": mpi_rows(2), "mpi-cpu-h4": mpi_rows(4)})
        self.assertEqual([c.label for c in found["mpi-cpu"].conds], ["1 host", "2 hosts", "4 hosts"])
        self.assertEqual([c.label for c in found["mpi-cpu-cross"].conds], ["2 hosts", "4 hosts"])
        # the thread reference of each condition is its own run's
        self.assertEqual(found["mpi-cpu"].conds[1].res["b"]["n"], 7)
        job = found["mpi-job"].conds[1]
        self.assertEqual(job.res["outcome"], sv.A_HIGHER)     # 4 hosts: the job takes longer

    def test_holds_when_ranks_cross_hosts_and_threads_are_refused(self):
        _, (verdict, why) = c10({"mpi-cpu-h1": mpi_rows(1), "mpi-cpu-h2": mpi_rows(2)})
        self.assertEqual(verdict, sv.HOLDS)
        self.assertIn("refuses to start threads on 2 hosts (exit 2", why)

    def test_ranks_not_in_as_many_namespaces_is_no_verdict(self):
        _, (verdict, why) = c10({"mpi-cpu-h2": mpi_rows(2, netns=1)})
        self.assertEqual(verdict, sv.NO_VERDICT)
        self.assertIn("netns=1", why)

    def test_failed_mpi_rows_are_no_verdict_with_the_error(self):
        rows = mpi_rows(2, ok=0, error="--hosts 2: cannot create network namespaces here")
        _, (verdict, why) = c10({"mpi-cpu-h1": mpi_rows(1), "mpi-cpu-h2": rows})
        self.assertEqual(verdict, sv.NO_VERDICT)
        self.assertIn("0 of 7 ok", why)
        self.assertIn("cannot create network namespaces", why)

    def test_one_host_only_is_not_measured_with_the_reason(self):
        missing = {"mpi-cpu-h2": "network namespaces cannot be created here (needs root)"}
        found, (verdict, why) = c10({"mpi-cpu-h1": mpi_rows(1)}, missing=missing)
        self.assertEqual(verdict, tr.NOT_MEASURED)
        self.assertIn("1 host only", why)
        self.assertIn("`mpi-cpu-h2`: network namespaces cannot be created here", why)
        pf, tf, _ = tr.c10_cells(found, missing)
        self.assertIn("not measured: `mpi-cpu-h2`", pf)
        self.assertIn("refused, exit 2", tf)

    def test_no_mpi_at_all_is_not_measured(self):
        missing = {"mpi-cpu-h1": "needs Open MPI's mpirun (openmpi-bin: make deps)"}
        _, (verdict, why) = c10({}, refusals=[], missing=missing)
        self.assertEqual(verdict, tr.NOT_MEASURED)
        self.assertIn("needs Open MPI's mpirun", why)

    def test_thread_model_started_on_two_hosts_fails(self):
        ran = [dict(REFUSED[0], exit_status=0, wrote_csv=True)]
        _, (verdict, _) = c10({"mpi-cpu-h2": mpi_rows(2)}, refusals=ran)
        self.assertEqual(verdict, sv.FAILS)

    def test_no_refusal_run_is_no_verdict(self):
        _, (verdict, why) = c10({"mpi-cpu-h2": mpi_rows(2)}, refusals=[])
        self.assertEqual(verdict, sv.NO_VERDICT)
        self.assertIn("not asked", why)

    def test_share_across_hosts_against_threads_heap(self):
        rows = []
        for h, rate_ns in ((1, 0.25), (2, 0.5)):
            for rep, w in enumerate(WOBBLE):
                run = f"share-h{h}"
                rows.append(row("share", "thread", 2, "bytes=1024;via=heap;encode=0", rep, run_id=run,
                                ns_per_op=0.2 * (1 + w / 1000)))
                rows.append(row("share", "thread", 2, "bytes=1024;via=shm;encode=0", rep, run_id=run,
                                ns_per_op=0.1))
                rows.append(row("share", "mpi", 2, "bytes=1024;via=shm;encode=0", rep, run_id=run,
                                ns_per_op=rate_ns * (1 + w / 1000), notes=f"hosts={h};ranks=2;netns={h}"))
        found = analysis.analyse({"mpi-share-h1": rows[:21], "mpi-share-h2": rows[21:]}, {"cores": 2})
        f = found["mpi-share"]
        self.assertAlmostEqual(f.conds[1].res["ratio"], 0.4)     # 2 hosts: 2 GB/s vs 5 GB/s
        self.assertEqual(found["mpi-share-cross"].main.res["outcome"], sv.B_HIGHER)

    def test_rendered_row_and_claim(self):
        md = table_of(analysis.analyse({"mpi-cpu-h1": mpi_rows(1), "mpi-cpu-h2": mpi_rows(2)},
                               {"cores": 2, "refusals": REFUSED}), {}, refusals=REFUSED)
        line = next(ln for ln in md.splitlines() if ln.startswith("| 分布式"))
        self.assertIn("**holds**", line)
        self.assertIn("`-m thread --hosts 2`: refused, exit 2, no CSV", line)
        self.assertIn("- **C10** processes scale from many cores to many machines; threads do not "
                      "(000): **holds**", md)
        self.assertIn("reproduce: `ptbench run -w cpu -m thread --hosts 2`", md)


# ---- distribution in Python (pympi) ----------------------------------------------

PY_NOTES = "python=3.11.2;impl=CPython;gil=1;switch_us=5000;mpi4py=3.1.4;exe=/usr/bin/python3"
PY_REFUSED = REFUSED + [{"model": "pythread", "command": "ptbench run -w cpu -m pythread --hosts 2",
                         "exit_status": 2, "message": "ptbench: option --hosts does not apply",
                         "wrote_csv": False}]


def pympi_rows(hosts, ok=1, netns=None):
    """One py-mpi measure's rows: 4 pythreads (one host, the GIL: 1 core's
    worth) and 4 pympi ranks on `hosts` (2 cores' worth)."""
    rows, run = [], f"py-run-h{hosts}"
    params = "steps=1000" + (f";hosts={hosts}" if hosts > 1 else "")
    btl = "tcp" if hosts > 1 else "vader"
    for rep, w in enumerate(WOBBLE[:5]):
        rows.append(row("cpu", "pythread", 4, "steps=1000", rep, run_id=run, ops=4000,
                        ns_per_op=20 * (1 + w / 1000), notes=PY_NOTES.replace(";mpi4py=3.1.4", "")))
        rows.append(row("cpu", "pympi", 4, params, rep, run_id=run, ok=ok, ops=4000,
                        ns_per_op=10 * (1 + w / 1000),
                        notes=f"hosts={hosts};ranks=4;netns={netns or hosts};nodes={hosts};btl={btl};"
                              + PY_NOTES))
    return rows


def py_c10(rows_by_measure, refusals=PY_REFUSED, missing=None):
    found = analysis.analyse(rows_by_measure, {"cores": 2, "refusals": refusals})
    return found, tr.c10_verdict(found, missing or {}, py=True)


ALL_PY_HOSTS = {"py-mpi-cpu-h1": pympi_rows(1), "py-mpi-cpu-h2": pympi_rows(2), "py-mpi-cpu-h4": pympi_rows(4)}


class PythonDistribution(unittest.TestCase):
    def test_pympi_against_pythread_per_host_count(self):
        found, (verdict, why) = py_c10(ALL_PY_HOSTS)
        f = found["py-mpi-cpu"]
        self.assertEqual([c.label for c in f.conds], ["1 host", "2 hosts", "4 hosts"])
        self.assertAlmostEqual(f.main.res["ratio"], 2.0)       # ranks on 2 cores, threads on 1 (GIL)
        self.assertEqual(f.main.res["b"]["n"], 5)              # the pythread rows of its own run
        self.assertEqual([c.label for c in found["py-mpi-cpu-cross"].conds], ["2 hosts", "4 hosts"])
        self.assertEqual(found["py-mpi-checks"]["python"], ["3.11.2"])
        self.assertEqual(found["py-mpi-checks"]["mpi4py"], ["3.1.4"])
        self.assertEqual(verdict, sv.HOLDS)
        self.assertIn("pympi ranks (processes) ran on 2, 4 hosts", why)
        self.assertIn("refuses to start Python threads on 2 hosts (exit 2", why)

    def test_the_c_rows_are_not_the_python_ones(self):
        found, (verdict, _) = py_c10({"mpi-cpu-h1": mpi_rows(1), "mpi-cpu-h2": mpi_rows(2)})
        self.assertEqual(verdict, tr.NOT_MEASURED)
        self.assertNotIn("py-mpi-cpu", found)
        self.assertEqual(tr.c10_verdict(found, {})[0], sv.HOLDS)

    def test_ranks_not_in_as_many_namespaces_is_no_verdict(self):
        _, (verdict, why) = py_c10({"py-mpi-cpu-h1": pympi_rows(1), "py-mpi-cpu-h2": pympi_rows(2, netns=1)})
        self.assertEqual(verdict, sv.NO_VERDICT)
        self.assertIn("pympi rows on 2 hosts are not all verified", why)

    def test_without_pythread_refusal_no_verdict(self):
        _, (verdict, why) = py_c10(ALL_PY_HOSTS, refusals=REFUSED)
        self.assertEqual(verdict, sv.NO_VERDICT)
        self.assertIn("pythread model was not asked", why)

    def test_no_mpi4py_is_not_measured_with_the_reason(self):
        missing = {m: "needs mpi4py in $PTB_PYTHON, python3 or /usr/bin/python3" for m in
                   ("py-mpi-cpu-h1", "py-mpi-cpu-h2", "py-mpi-cpu-h4")}
        _, (verdict, why) = py_c10({}, missing=missing)
        self.assertEqual(verdict, tr.NOT_MEASURED)
        self.assertIn("`py-mpi-cpu-h1`: needs mpi4py", why)

    def test_rendered_python_cell_and_claim_line(self):
        rows = dict(ALL_PY_HOSTS, **{"mpi-cpu-h1": mpi_rows(1), "mpi-cpu-h2": mpi_rows(2)})
        md = table_of(analysis.analyse(rows, {"cores": 2, "refusals": PY_REFUSED}), {}, refusals=PY_REFUSED)
        line = next(ln for ln in md.splitlines() if ln.startswith("| 分布式"))
        cells = tc_cells(line)
        self.assertIn("cpu, 4 pympi ranks (steps/s): 1 host 100 Msteps/s", cells[7])
        self.assertIn("CPython 3.11.2, mpi4py 3.1.4", cells[7])
        self.assertIn("`-m pythread --hosts 2`: refused, exit 2, no CSV", cells[8])
        self.assertIn("1 host 2×", cells[9])
        self.assertTrue(cells[10].strip().startswith("**holds**"), cells[10])
        self.assertNotIn("why Python differs", cells[10])       # both hold
        self.assertIn("  - in Python: **holds** — pympi ranks (processes) ran on 2, 4 hosts", md)
        self.assertIn("`ptbench run -w cpu -m pythread --hosts 2` → exit status 2", md)
        summary = next(ln for ln in md.splitlines() if ln.startswith("| distribution"))
        self.assertIn("**Python** loop, 4 pympi ranks: 1 host 100 Msteps/s", summary)
        self.assertTrue(summary.rstrip(" |").endswith("**holds**"), summary)

    def test_a_python_verdict_that_differs_says_why_from_the_figures(self):
        rows = {"py-mpi-cpu-h1": pympi_rows(1), "py-mpi-cpu-h2": pympi_rows(2, netns=1),
                "mpi-cpu-h1": mpi_rows(1), "mpi-cpu-h2": mpi_rows(2)}
        md = table_of(analysis.analyse(rows, {"cores": 2, "refusals": PY_REFUSED}), {}, refusals=PY_REFUSED)
        line = next(ln for ln in md.splitlines() if ln.startswith("| 分布式"))
        self.assertIn("why Python differs from C — across hosts: C holds, Python no verdict: C's mpi "
                      "ranks: 1 host 7 of 7 ok in netns=1; 2 hosts 7 of 7 ok in netns=2; CPython's "
                      "pympi ranks: 1 host 5 of 5 ok in netns=1; 2 hosts 5 of 5 ok in netns=1", line)

    def test_plan_runs_both_models_under_one_interpreter(self):
        plan = {m.id: m for m in tm.plan()}
        for h in (1, 2, 4):
            m = plan[f"py-mpi-cpu-h{h}"]
            self.assertEqual(m.models, ("pythread", "pympi"))
            offer = tm.Offer({"cpu": {"steps": None}}, ["pythread", "pympi"])
            args = m.args(offer, "full", "o.csv")
            self.assertEqual(args[args.index("--hosts") + 1], str(h))
            if m.prefix:
                self.assertEqual(m.prefix[0], "env")
                self.assertTrue(m.prefix[1].startswith("PTB_PYTHON=/"), m.prefix)
            self.assertEqual(m.missing(tm.Offer({"cpu": {}}, ["pythread"])), "needs model pympi")


def table_of(found, missing, refusals=()):
    info = {"mode": "quick", "reps": 7, "machine": "test", "date": "now", "git": "x",
            "commands": {}, "c13": None, "notes": [], "refusals": list(refusals)}
    return table_md(found, missing, None, tm.Offer({}, []), info)


class Layout(unittest.TestCase):
    def test_eleven_columns_and_two_groups(self):
        md = table_of(both_languages(), {})
        detail = md[md.index("\n## The table\n"):]     # after the summary at a glance
        lines = [ln for ln in detail.splitlines() if ln.startswith("| ")]
        self.assertEqual(len(lines), 7)
        for ln in lines:
            self.assertEqual(len(tc_cells(ln)), 11, ln[:60])
        self.assertIn("Python: verdict", lines[0])
        self.assertIn("C: verdict", lines[0])


def tc_cells(line):
    return [c for c in line.replace("\\|", "").strip().strip("|").split("|")]


class Requirements(unittest.TestCase):
    def test_a_measure_the_machine_cannot_run_says_why(self):
        offer = tm.Offer({"cpu": {"steps": None}}, ["thread", "mpi"], ptbench="ptbench")
        m = tm.Measure("x", "cpu", ("thread", "mpi"), "4", {}, min_models=("mpi",),
                       requires=lambda ptbench: f"no hosts for {ptbench}")
        self.assertEqual(m.missing(offer), "no hosts for ptbench")
        # rebuilt from data (no binary): nothing is asked of the machine
        self.assertIsNone(m.missing(tm.Offer(offer.workloads, offer.models)))

    def test_mpi_measures_need_the_mpi_model(self):
        offer = tm.Offer({"cpu": {"steps": None}, "share": {"via": ["shm", "heap"]},
                          "allreduce": {"steps": None, "payload": None, "exchanges": None}}, ["thread"])
        for m in tm.mpi_plan():
            self.assertEqual(m.missing(offer), "needs model mpi")
            self.assertIn("--hosts", m.args(tm.Offer(offer.workloads, ["thread", "mpi"]), "quick", "o"))


class Refusals(unittest.TestCase):
    """table.run_refusals against a stand-in that refuses as ptbench does."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="ptb-table-test-")
        self.fake = os.path.join(self.tmp, "fake-ptbench")
        with open(self.fake, "w") as f:
            f.write("#!/bin/sh\necho 'ptbench: option --hosts does not apply' >&2\nexit 2\n")
        os.chmod(self.fake, stat.S_IRWXU)

    def tearDown(self):
        for name in os.listdir(self.tmp):
            os.remove(os.path.join(self.tmp, name))
        os.rmdir(self.tmp)

    def test_recorded_as_they_come(self):
        runs = table.run_refusals(tm.Offer({}, ["thread", "mpi"]), self.fake, self.tmp)
        self.assertEqual([r["model"] for r in runs], ["thread", "fork", "pythread"])
        for r in runs:
            self.assertEqual(r["exit_status"], 2)
            self.assertFalse(r["wrote_csv"])
            self.assertEqual(r["message"], "ptbench: option --hosts does not apply")
            self.assertTrue(tr.refused(r))

    def test_not_asked_without_the_mpi_model(self):
        self.assertEqual(table.run_refusals(tm.Offer({}, ["thread"]), self.fake, self.tmp), [])


if __name__ == "__main__":
    unittest.main()
