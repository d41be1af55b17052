"""analyse_py.py - the Python column's findings: the same analyses as C's
(ptb/table/analyse.py) on the pythread/pyproc/pypool rows, keys "py-...",
plus the two that only Python has (a crash by exception; pympi ranks
across hosts).  Compared within the language only.
"""
from ptb.table import analyse as tc
from ptb.table.measures import PY_MPI_PREFIX


def analyse_py_crash(rows, ctx):
    """Survivors per kind of death: a hard fault (segv, abrt) and an
    uncaught exception, pyproc against pythread."""
    def survivors(model, how):
        return [float(r["result"]) for r in rows if r["model"] == model and r["result"] != ""
                and tc.params_of(r).get("signal") == how]
    n = rows[0]["workers"] if rows else "?"
    names = {"segv": "hard fault (SIGSEGV)", "abrt": "hard fault (os.abort)",
             "exception": "uncaught exception"}
    conds = [tc.Cond(names.get(how, how), survivors("pyproc", how), survivors("pythread", how))
             for how in tc.values_of(rows, "signal")]
    return {"py-crash": tc.Finding("py-crash", f"workers' results that survive (of {n})", "pyproc",
                                   "pythread", tc.fmt_count, "how the worker dies", conds, "py-crash")}


def analyse_py_mpi_cpu(rows, ctx):
    """C10 in Python: pympi throughput on H hosts against pythread in one
    host (same run), against pympi on 1 host, and what the rows of each
    host count show (ok, namespaces, the interpreter)."""
    runs = tc.mpi_runs(rows, "pympi")
    if not runs:
        return {}
    ranks = sorted({r["workers"] for r in rows if r["model"] == "pympi"})
    n = ranks[0] if len(ranks) == 1 else "/".join(ranks)
    vs_thread, cross = [], []
    one = runs.get(1)
    for h, d in runs.items():
        ok = [r for r in d["mpi"] if r["ok"] == "1"]
        label = f"{h} host{'s' if h > 1 else ''}"
        vs_thread.append(tc.Cond(label, tc.rate(ok), tc.rate(tc.pick(d["thread"], model="pythread"))))
        if one and h > 1:
            cross.append(tc.Cond(label, tc.rate(ok), tc.rate([r for r in one["mpi"] if r["ok"] == "1"])))
    notes = [tc.notes_of(r) for r in rows if r["model"] == "pympi"]
    return {
        "py-mpi-cpu": tc.Finding("py-mpi-cpu", f"loop throughput, {n} pympi ranks over H hosts vs {n} "
                                 "pythreads in one host", "pympi", "pythread (1 host)", tc.fmt_steps,
                                 "hosts", vs_thread, "py-mpi-cpu"),
        "py-mpi-cpu-cross": tc.Finding("py-mpi-cpu-cross", f"loop throughput of {n} pympi ranks, H hosts "
                                       "vs 1", "pympi (H hosts)", "pympi (1 host)", tc.fmt_steps, "hosts",
                                       cross, "py-mpi-cpu"),
        "py-mpi-checks": {"kind": "mpi", "ranks": n,
                          "hosts": {h: tc.mpi_check(d["mpi"], h) for h, d in runs.items()},
                          "python": sorted({x.get("python", "") for x in notes} - {""}),
                          "mpi4py": sorted({x.get("mpi4py", "") for x in notes} - {""})},
    }


PY_ANALYSES = {
    "py-switch": lambda rows, ctx: tc.analyse_switch(rows, ctx, "pyproc", "pythread", "py-switch",
                                                     "py-switch"),
    "py-footprint": lambda rows, ctx: tc.analyse_footprint(rows, ctx, "pyproc", "pythread", "py-",
                                                           "py-footprint"),
    "py-share": lambda rows, ctx: tc.analyse_share(rows, ctx, "pyproc", "pythread", "py-", "py-share"),
    "py-crash": analyse_py_crash,
    "py-pool": lambda rows, ctx: tc.analyse_pool(rows, ctx, ("pythreadpool", "pypool"), "py-pool",
                                                 "py-pool"),
    "py-zombie": lambda rows, ctx: tc.analyse_leftovers(rows, ctx, "py-zombie",
                                                        "zombies and orphans left"),
    "py-daemon": lambda rows, ctx: tc.analyse_daemon(rows, ctx, "py-daemon"),
    "py-mpi-cpu": analyse_py_mpi_cpu,
}

PY_MEASURE_OF = {
    "py-switch": "py-switch", "py-footprint": "py-footprint", "py-footprint-rss": "py-footprint",
    "py-share": "py-share", "py-share-model": "py-share", "py-share-consume": "py-share",
    "py-share-heap": "py-share", "py-share-malloc": "py-share", "py-share-malloc-faults": "py-share",
    "py-crash": "py-crash",
    "py-pool": "py-pool", "py-zombie": "py-zombie", "py-daemon": "py-daemon",
    "py-mpi-cpu": "py-mpi-cpu-h1", "py-mpi-cpu-cross": "py-mpi-cpu-h2", "py-mpi-checks": "py-mpi-cpu-h1",
}

PY_GROUPS = {"py-mpi-cpu": PY_MPI_PREFIX}
