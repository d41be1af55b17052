#!/usr/bin/env python3
"""claims.py - one chart per claim C1-C14 from the rows of `make table`
(results/table.csv and its meta), PNG and SVG, drawn by gnuplot.

Usage: scripts/plot/claims.py [--only C1,C5] [--formats "png svg"] CSV OUTDIR

For each claim this script picks the rows that measure it, computes each
group's median and quartiles (the same quantiles as the table:
stats_verdict.describe) and hands gnuplot a data file and a small spec
(scripts/plot/claim.gp draws every chart: lines against a numeric axis,
or grouped bars/points against categories; processes and threads in the
fixed model colours of scripts/plot/models.gp; bars and whiskers are the
interquartile range).  C and Python models are drawn side by side where
both were measured; where the Python rows are absent the chart shows C
and its note says so.

A claim whose rows are not in the CSV gets no chart, never an empty one:
it is named on stderr and in OUTDIR/index.tsv as a note.  With --only, a
named claim that lacks its rows is bad input: one line, exit status 2.
So is a CSV that has rows for no claim at all (e.g. results/bench.csv
without any of the table's measures), a missing file or one that is not
ptbench's.  OUTDIR/index.tsv lists the charts with a caption each
(report.py reads it); charts of an earlier run are replaced only when
every chart was drawn.
"""
import os
import shutil
import subprocess
import sys
import tempfile

from ptb import csvio, paths
from ptb import stats as sv
from ptb.plot import csvkeys
from ptb.table import analyse as tc

HERE = paths.PLOT

C_MODELS = ("thread", "fork", "vfork", "spawn", "threadpool", "procpool", "mpi")
PY_MODELS = ("pythread", "pyproc", "pypool")


class BadInput(Exception):
    """Exit status 2 with this one line."""


# ---- groups and statistics --------------------------------------------------

def runs_with(rows, workload, models, extra=None):
    """Rows of the runs (run_id) of `workload` in which every model of
    `models` appears: keeps one measure's rows apart from another's of the
    same workload (the mpi runs also have thread rows on cpu)."""
    by_run = {}
    for r in rows:
        if r["workload"] == workload:
            by_run.setdefault(r["run_id"], []).append(r)
    out = []
    for run in by_run.values():
        present = {r["model"] for r in run}
        if all(m in present for m in models) and (extra is None or extra(run)):
            out.extend(run)
    return out


def stat(values):
    """(median, q1, q3) or None for no values."""
    if not values:
        return None
    d = sv.describe(values)
    return d["median"], d["q1"], d["q3"]


class Series:
    """One line or one set of bars: points (x, (median, q1, q3))."""

    def __init__(self, label, model, points, dash=1):
        self.label, self.model, self.dash = label, model, dash
        self.points = [(x, s) for x, s in points if s is not None]

    def __bool__(self):
        return bool(self.points)


class Panel:
    """kind 'lines' (numeric x) or 'bars' (x = category 1..n, cats the labels)."""

    def __init__(self, title, kind, xlabel, ylabel, series, cats=None, logx=False, logy=False,
                 ideal=False, values=False, xtics=None, ref=None, reflabel="", ymin0=True,
                 solo=False):
        self.title, self.kind, self.xlabel, self.ylabel = title, kind, xlabel, ylabel
        self.series = [s for s in series if s]
        self.cats, self.logx, self.logy, self.ideal = cats, logx, logy, ideal
        self.values, self.xtics, self.ref, self.ymin0 = values, xtics, ref, ymin0
        self.reflabel, self.solo = reflabel, solo   # solo: each series in one category only

    def ymax(self):
        """1 when every figure is 0 (an axis of its own would be empty), else automatic."""
        return 1 if all(hi == 0 for ser in self.series for _, (_, _, hi) in ser.points) else -1

    def __bool__(self):
        return bool(self.series)


class Chart:
    def __init__(self, cid, title, caption, panels, notes=()):
        self.cid, self.title, self.caption = cid, title, caption
        self.panels = [p for p in panels if p]
        self.notes = [n for n in notes if n]
        self.sub = None     # the second title line; None: the machine, from the meta

    def __bool__(self):
        return bool(self.panels)


def scaled(series_list, unit_of):
    """Scale every point by the unit chosen for the largest median: returns
    the unit's name."""
    top = max((abs(s[0]) for ser in series_list for _, s in ser.points), default=0)
    name, factor = unit_of(top)
    for ser in series_list:
        ser.points = [(x, tuple(v / factor for v in s)) for x, s in ser.points]
    return name


def time_unit(top_ns):
    for name, f in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if top_ns >= f:
            return name, f
    return "ns", 1


def rate_unit(top):
    for name, f in (("GB/s", 1e9), ("MB/s", 1e6), ("kB/s", 1e3)):
        if top >= f:
            return name, f
    return "B/s", 1


def kb_unit(top):
    return ("MiB", 1024) if top >= 1024 else ("kB", 1)


def python_note(panels, pymodels_expected):
    """A note when a chart that could show Python shows none."""
    drawn = {s.model for p in panels for s in p.series}
    if pymodels_expected and not drawn & set(PY_MODELS):
        return "Python: no rows for this claim in the CSV (not measured), so only C is shown"
    return ""


NO_PY = "Python: not measured (no Python model runs this workload)"


# ---- one function per claim ------------------------------------------------

def c1(rows, meta):
    """Creation cost against the parent's memory: A fork() in the road."""
    c_rows = [r for r in rows if r["workload"] == "create" and r["model"] in C_MODELS]
    # The run with the most parent sizes is the sweep (create-parent); fall
    # back to any run of the C models.
    def sizes(run_rows, model, exec_):
        return {tc.params_of(r).get("parent-mb") for r in run_rows
                if r["model"] == model and tc.params_of(r).get("exec") == exec_}
    by_run = {}
    for r in c_rows:
        by_run.setdefault(r["run_id"], []).append(r)
    lines = (("thread", "thread", "auto"), ("fork", "fork", "auto"), ("vfork", "vfork", "auto"),
             ("posix_spawn", "spawn", "auto"), ("fork+exec", "fork", "yes"))
    series = []
    for label, model, exec_ in lines:
        best = max(by_run.values(), key=lambda rr: len(sizes(rr, model, exec_)), default=[])
        mbs = sorted(int(v) for v in sizes(best, model, exec_) if v is not None)
        pts = [(mb_x(mb), stat(tc.ns_per_op(tc.pick(best, model=model, parent_mb=mb, exec=exec_))))
               for mb in mbs]
        series.append(Series(label, "fork+exec" if label == "fork+exec" else model, pts))
    py = runs_with(rows, "create", ("pythread", "pyproc"))
    for model in ("pythread", "pyproc"):
        mbs = sorted({int(tc.params_of(r).get("parent-mb", "0")) for r in py if r["model"] == model})
        series.append(Series(f"Python {model}", model,
                             [(mb_x(mb), stat(tc.ns_per_op(tc.pick(py, model=model, parent_mb=mb))))
                              for mb in mbs], dash=2))
    unit = scaled(series, time_unit)
    xs = sorted({x for s in series for x, _ in s.points})
    tics = ", ".join(f'"{mb_label(x)}" {x:g}' for x in xs)
    p = Panel("create + join one empty worker, on one CPU", "lines",
              "memory the parent has written (MiB, log axis; 0 drawn at the left)",
              f"time per creation ({unit}, log axis)", series, logx=True, logy=True,
              xtics=f"({tics})", ymin0=False)
    notes = [python_note([p], True)]
    if len(xs) < 3:
        notes.append("this CSV has the parent's memory at " + ", ".join(mb_label(x) for x in xs)
                     + " only (make table measures the sweep 0-1024 MiB as measure create-parent)")
    return Chart("C1", "C1: creating a process or a thread, against the parent's memory", "Creation cost against the parent's memory (A fork() in "
                 "the road, HotOS 2019, Fig. 1): fork copies page tables, vfork and posix_spawn "
                 "do not.", [p], notes)


def mb_x(mb):
    """Parent MiB on a log axis: 0 sits at 1/4 MiB."""
    return mb if mb > 0 else 0.25


def mb_label(x):
    if x < 1:
        return "0"
    return f"{x / 1024:g} GiB" if x >= 1024 else f"{x:g}"


def c2(rows, meta):
    rr = runs_with(rows, "switch", ("thread", "fork"))
    cats, keys = [], []
    for via in tc.values_of(rr, "via"):
        for pin in tc.values_of(rr, "pin"):
            cats.append(f"{via}, {'one CPU' if pin == 'same' else 'two CPUs' if pin == 'split' else pin}")
            keys.append((via, pin))
    series = [Series(m, m, [(i + 1, stat(tc.ns_per_op(tc.pick(rr, model=m, via=v, pin=p))))
                            for i, (v, p) in enumerate(keys)]) for m in ("thread", "fork")]
    unit = scaled(series, time_unit)
    p = Panel("ping-pong between two workers", "bars", "channel, CPU placement",
              f"round trip ({unit}, log axis)", series, cats=cats, logy=True, ymin0=False)
    return Chart("C2", "C2: switching between processes against threads",
                 "Round trip by channel and CPU placement: processes against threads.", [p], [NO_PY])


def c3(rows, meta):
    rr = runs_with(rows, "footprint", ("thread", "fork"))
    counts = sorted({int(r["workers"]) for r in rr})
    series = [Series(m, m, [(n, stat(tc.col(tc.pick(rr, model=m, workers=n), "pss_kb")))
                            for n in counts]) for m in ("thread", "fork")]
    unit = scaled(series, kb_unit)
    tics = ", ".join(f'"{n}" {n}' for n in counts)
    p = Panel("idle workers parked", "lines", "workers", f"PSS of the whole run ({unit})", series,
              xtics=f"({tics})")
    return Chart("C3", "C3: memory (PSS) against workers", "Proportional set size of the run "
                 "against the number of idle workers: the slope is the memory per worker.", [p],
                 [NO_PY])


def c4(rows, meta):
    rr = runs_with(rows, "share", ("thread", "fork"))
    vias = tc.values_of(rr, "via")
    panels = []
    for enc, name in (("0", "raw bytes"), ("1", "with encoding (framed, checksummed)")):
        series = [Series(m if m == "fork" else "thread", m,
                         [(i + 1, stat(tc.rate(tc.pick(rr, model=m, via=v, encode=enc))))
                          for i, v in enumerate(vias)]) for m in ("thread", "fork")]
        unit = scaled(series, rate_unit)
        panels.append(Panel(name, "bars", "channel (heap: threads only)", f"bytes/s ({unit})",
                            series, cats=list(vias)))
    return Chart("C4", "C4: moving data from a producer to a consumer",
                 "Throughput per channel, without and with encoding: processes need a channel, "
                 "threads can hand over a heap pointer.", panels, [NO_PY])


def speedup_series(rows, models, dash=1, prefix=""):
    out = []
    counts = sorted({int(r["workers"]) for r in rows})
    for m in models:
        pts = [(1, (1.0, 1.0, 1.0))] if tc.pick(rows, model=m, workers=1) else []
        pts += [(n, stat(tc.speedup(rows, m, n))) for n in counts if n > 1]
        out.append(Series(prefix + m, m, pts if len(pts) > 1 else [], dash))
    return out


def busy_series(rows, models, cores, dash=1, prefix=""):
    counts = sorted({int(r["workers"]) for r in rows})
    return [Series(prefix + m, m, [(n, stat([u * cores for u in tc.utilisation(rows, m, n, cores)]))
                                   for n in counts], dash) for m in models]


def cpu_rows(rows):
    return (runs_with(rows, "cpu", ("thread", "fork")),
            runs_with(rows, "cpu", ("pythread", "pyproc")))


def cores_of(meta):
    try:
        return int(meta.get("machine", {}).get("cores_online") or os.cpu_count() or 1)
    except (TypeError, ValueError):
        return os.cpu_count() or 1


def worker_tics(*row_sets):
    counts = sorted({int(r["workers"]) for rr in row_sets for r in rr})
    return "(" + ", ".join(f'"{n}" {n}' for n in counts) + ")"


def c5(rows, meta):
    c, py = cpu_rows(rows)
    cores = cores_of(meta)
    sp = speedup_series(c, ("thread", "fork")) + speedup_series(py, PY_MODELS, 2, "Python ")
    busy = busy_series(c, ("thread", "fork"), cores) + busy_series(py, ("pythread", "pyproc"), cores, 2,
                                                                   "Python ")
    tics = worker_tics(c, py)
    panels = [Panel("speed-up of seed 002's loop (dotted: ideal)", "lines", "workers",
                    "speed-up over 1 worker", sp, ideal=True, xtics=tics),
              Panel(f"cores kept busy, (user+sys)/wall ({cores} online)", "lines", "workers",
                    "cores busy", busy, xtics=tics, ref=cores, reflabel="cores online")]
    return Chart("C5", "C5: do threads use several cores? C and CPython",
                 "Speed-up against workers with the ideal line, and the cores each run kept busy: "
                 "C threads and processes, CPython threads (GIL) and processes.",
                 panels, [python_note(panels, True)])


def c14(rows, meta):
    c, py = cpu_rows(rows)
    sp = speedup_series(py, PY_MODELS, 1, "Python ") + speedup_series(c, ("thread", "fork"), 2, "C ")
    counts = sorted({int(r["workers"]) for r in py})
    wall = [Series(f"Python {m}", m, [(n, stat(tc.col(tc.pick(py, model=m, workers=n), "wall_ns")))
                                      for n in counts]) for m in PY_MODELS]
    unit = scaled(wall, time_unit)
    tics = worker_tics(c, py)
    panels = [Panel("speed-up of the loop (dotted: ideal)", "lines", "workers",
                    "speed-up over 1 worker", sp, ideal=True, xtics=tics),
              Panel("CPython: wall time of the loop (each worker the same steps)", "lines", "workers",
                    f"wall time ({unit})", wall, xtics=tics)]
    notes = []
    if not any(s for s in wall):
        notes.append("Python: no rows for this claim in the CSV (not measured), so only C is shown")
    return Chart("C14", "C14: in CPython, threads against processes for CPU work (the GIL)",
                 "Speed-up against workers with the ideal line: CPython threads, processes and a "
                 "pool, with C's threads and processes for reference.", panels, notes)


def c6(rows, meta):
    rr = runs_with(rows, "crash", ("thread", "fork"))
    sigs = tc.values_of(rr, "signal")
    n = rr[0]["workers"] if rr else "?"
    series = [Series(m, m, [(i + 1, stat(tc.result(tc.pick(rr, model=m, signal=s))))
                            for i, s in enumerate(sigs)]) for m in ("thread", "fork")]
    p = Panel(f"1 of {n} workers dies", "bars", "how the worker dies",
              f"workers whose results survive (of {n})", series,
              cats=[f"SIG{s.upper()}" for s in sigs], values=True)
    return Chart("C6", "C6: survivors when one worker crashes",
                 "Workers whose results survive when one of them crashes: a process dies alone, "
                 "a thread takes the process with it.", [p], [NO_PY])


def c7(rows, meta):
    c = runs_with(rows, "counter", ("thread", "fork"), lambda run: any(
        tc.params_of(r).get("lock") == "none" and r["workers"] != "100" for r in run))
    py = runs_with(rows, "counter", ("pythread", "pyproc"), lambda run: any(
        tc.params_of(r).get("lock") == "none" and r["workers"] != "100" for r in run))
    locks = tc.values_of(c + py, "lock")

    def lost_pct(rr, model, lock):
        out = []
        for r in tc.pick(rr, model=model, lock=lock):
            total = int(r["workers"]) * int(tc.params_of(r).get("iters", "0"))
            if total and r["result"] != "":
                out.append(100.0 * float(r["result"]) / total)
        return out
    series = [Series(m, m, [(i + 1, stat(lost_pct(c, m, k))) for i, k in enumerate(locks)])
              for m in ("thread", "fork")]
    series += [Series(f"Python {m}", m, [(i + 1, stat(lost_pct(py, m, k))) for i, k in enumerate(locks)])
               for m in ("pythread", "pyproc")]
    names = {"none": "no lock", "mutex": "mutex (Python: Lock)"}
    p = Panel("workers read, wait, write the shared counter", "bars", "what guards read-wait-write",
              "updates lost (% of all)", series, cats=[names.get(k, k) for k in locks], values=True)
    return Chart("C7", "C7: lost updates per lock", "Updates lost on a shared counter without a "
                 "lock and with one, threads and processes, C and Python.", [p],
                 [python_note([p], True)])


def c8(rows, meta):
    rr = runs_with(rows, "pool", ("threadpool", "procpool"))
    works = tc.values_of(rr, "work")

    def ratio(model, work):
        sync = tc.by_rep(tc.pick(rr, model=model, work=work, submit="sync"))
        asyn = tc.by_rep(tc.pick(rr, model=model, work=work, submit="async"))
        return [float(sync[k]["wall_ns"]) / float(asyn[k]["wall_ns"])
                for k in sorted(set(sync) & set(asyn)) if float(asyn[k]["wall_ns"]) > 0]
    series = [Series(m, m, [(i + 1, stat(ratio(m, w))) for i, w in enumerate(works)])
              for m in ("threadpool", "procpool")]
    n = rr[0]["workers"] if rr else "?"
    p = Panel(f"a pool of {n} workers runs short tasks (dotted: no difference)", "bars",
              "what a task does", "time with apply ÷ time with apply_async", series,
              cats=[{"spin": "spins on a CPU", "sleep": "sleeps (waits)"}.get(w, w) for w in works],
              ref=1, reflabel="no difference", values=True)
    return Chart("C8", "C8: apply (blocking) against apply_async", "How much longer a batch takes "
                 "when each task is submitted with a blocking apply than asynchronously.", [p],
                 [NO_PY])


def c9(rows, meta):
    rr = [r for r in rows if r["workload"] == "zombie"]
    models = [m for m in ("thread", "fork", "threadpool", "procpool") if tc.pick(rr, model=m)]
    series = [Series(m, m, [(i + 1, stat(tc.result(tc.pick(rr, model=m))))])
              for i, m in enumerate(models)]
    p = Panel("children forked and reaped by every worker", "bars", "",
              "zombies and orphans left (must be 0)", series, cats=models, values=True, solo=True)
    return Chart("C9", "C9: zombies and orphans left behind (must be zero)",
                 "Children left as zombies or orphans after each run, per model: must be 0.", [p],
                 [NO_PY])


def c11(rows, meta):
    rr = [r for r in rows if r["workload"] == "daemon" and r["model"] == "fork"]
    keys = []
    for k in tc.values_of(rr, "kill"):
        for e in tc.values_of(rr, "parent-exit"):
            keys.append((k, e))
    series = [Series("fork", "fork", [(i + 1, stat(tc.result(tc.pick(rr, kill=k, parent_exit=e))))
                                      for i, (k, e) in enumerate(keys)])]
    p = Panel("a daemon worker and its parent", "bars", "what ends the daemon, how the parent ends",
              "daemons still running after the bound", series,
              cats=[f"{k}, parent {e}" for k, e in keys], values=True)
    return Chart("C11", "C11: daemons that outlive their parent",
                 "Daemon workers still running after their parent ended, by what should end them.",
                 [p], [NO_PY])


def hosts_panel(rows, ranks_model, thread_model, title, prefix=""):
    """Loop throughput of `ranks_model` against hosts, and of `thread_model`
    in one host (the rows of the same runs), as a lines panel."""
    runs = runs_with(rows, "cpu", (ranks_model,))
    hosts = sorted({int(tc.params_of(r).get("hosts", "1")) for r in runs if r["model"] == ranks_model})
    pts = [(h, stat(tc.rate([r for r in runs if r["model"] == ranks_model
                             and int(tc.params_of(r).get("hosts", "1")) == h]))) for h in hosts]
    n = runs[0]["workers"] if runs else "?"
    one = [r for r in runs if r["model"] == thread_model and r["run_id"] in
           {q["run_id"] for q in runs if q["model"] == ranks_model and "hosts" not in tc.params_of(q)}]
    series = [Series(f"{prefix}{ranks_model}: {n} ranks", ranks_model, pts),
              Series(f"{prefix}{thread_model}: {n} threads, one host", thread_model,
                     [(1, stat(tc.rate(one)))])]
    unit = scaled(series, lambda top: (("Gsteps/s", 1e9) if top >= 1e9 else ("Msteps/s", 1e6)))
    tics = "(" + ", ".join(f'"{h}" {h}' for h in hosts) + ")"
    return Panel(title, "lines", "hosts (network namespaces on this machine)",
                 f"loop throughput ({unit})", series, xtics=tics)


def c10(rows, meta):
    panels = [hosts_panel(rows, "mpi", "thread", "seed 002's loop: steps per second of the whole job")]
    share = runs_with(rows, "share", ("mpi",))
    if share:
        sh = sorted({int(tc.params_of(r).get("hosts", "1")) for r in share if r["model"] == "mpi"})
        cats = [f"{h} host{'s' if h > 1 else ''}" for h in sh]
        ser = [Series("mpi (2 ranks)", "mpi", [(i + 1, stat(tc.rate(
            [r for r in share if r["model"] == "mpi" and int(tc.params_of(r).get("hosts", "1")) == h])))
            for i, h in enumerate(sh)]),
            Series("thread (heap, one host)", "thread", [(1, stat(tc.rate(
                [r for r in share if r["model"] == "thread" and tc.params_of(r).get("via") == "heap"
                 and "hosts" not in tc.params_of(next(q for q in share if q["run_id"] == r["run_id"]
                                                      and q["model"] == "mpi"))])))])]
        unit = scaled(ser, rate_unit)
        panels.append(Panel("moving 64 MiB between two workers", "bars", "mpi ranks on",
                            f"bytes/s ({unit})", ser, cats=cats))
    py = hosts_panel(rows, "pympi", "pythread", "the same loop in CPython (mpi4py)", "Python ")
    panels.append(py)
    return Chart("C10", "C10: processes across hosts (MPI ranks), threads in one",
                 "MPI ranks on 1, 2 and 4 hosts (network namespaces) against threads in one "
                 "host, in C and in CPython (mpi4py); ptbench refuses to start threads on two hosts.",
                 panels, [] if py else ["Python: not measured (no pympi rows in the CSV)"])


def c12(rows, meta):
    rr = runs_with(rows, "copy", ("thread", "fork"))
    counts = sorted({int(r["workers"]) for r in rr})
    chunks = sorted({int(tc.params_of(r)["chunk"]) for r in rr})
    series = []
    for n in counts:
        for m in ("thread", "fork"):
            series.append(Series(f"{m} ×{n}", m, [(ch, stat(tc.rate(tc.pick(rr, model=m, workers=n,
                                                                           chunk=ch))))
                                                  for ch in chunks], dash=1 if n == counts[-1] else 2))
    unit = scaled(series, rate_unit)
    tics = "(" + ", ".join(f'"{csvkeys.nice_number(str(c), True)}B" {c}' for c in chunks) + ")"
    p = Panel("16 files copied, split over the workers (×N: N workers; dashed: fewest)", "lines",
              "bytes per read/write (log axis)", f"copy throughput ({unit})", series, logx=True,
              xtics=tics)
    return Chart("C12", "C12: copying many files with many processes",
                 "Copy throughput against the chunk size, on 1 and on every core.", [p], [NO_PY])


def c13(rows, meta):
    ev = meta.get("c13") or {}
    loc = ev.get("loc") or {}
    models = [m for m in ("thread", "fork", "threadpool", "procpool", "vfork", "spawn", "mpi")
              if m in loc]
    panels = []
    if models:
        series = [Series(m, m, [(i + 1, (float(loc[m]),) * 3)]) for i, m in enumerate(models)]
        panels.append(Panel("each model's adapter", "bars", "", "lines of code", series,
                            cats=models, values=True, solo=True))
    cases = [(k, lbl) for k, lbl in (("thread_nolock", "thread, no lock"),
                                     ("fork_nolock", "fork, no lock"),
                                     ("thread_mutex", "thread, mutex")) if ev.get(k)]
    if cases:
        races = [Series(lbl, k.split("_")[0], [(i + 1, (float(ev[k]["races"]),) * 3)])
                 for i, (k, lbl) in enumerate(cases)]
        panels.append(Panel("ThreadSanitizer on the same counter", "bars", "",
                            "data races reported", races, solo=True, values=True,
                            cats=[f"{lbl}\n({ev[k]['lost_updates']} lost)" for k, lbl in cases]))
    return Chart("C13", "C13: simpler to program and debug?",
                 "Lines of code of each model's adapter, and the races ThreadSanitizer finds in "
                 "the same unlocked counter (it sees threads only).", panels,
                 ["from table.meta.json (scripts/c13_evidence.sh); Python: not measured "
                  "(ThreadSanitizer instruments C)"])


CLAIMS = {"C1": c1, "C2": c2, "C3": c3, "C4": c4, "C5": c5, "C6": c6, "C7": c7, "C8": c8,
          "C9": c9, "C10": c10, "C11": c11, "C12": c12, "C13": c13, "C14": c14}


# ---- gnuplot ---------------------------------------------------------------

def gp_str(s):
    """A gnuplot double-quoted string; a newline becomes \\n (a line break in labels)."""
    return '"' + str(s).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def gp_array(name, values):
    vals = ", ".join(gp_str(v) if isinstance(v, str) else f"{v:g}" for v in values)
    return f"array {name}[{len(values)}] = [{vals}]"


def write_spec(chart, meta, spec_path, data_path):
    """The chart's gnuplot variables (spec) and its data: one block per
    series, `x median q1 q3`, blocks in the order of the S_* arrays."""
    s_label, s_model, s_dash, s_panel = [], [], [], []
    with open(data_path, "w") as f:
        for pi, p in enumerate(chart.panels, 1):
            for ser in p.series:
                s_label.append(ser.label)
                s_model.append(ser.model)
                s_dash.append(ser.dash)
                s_panel.append(pi)
                for x, (med, lo, hi) in ser.points:
                    f.write(f"{x:.9g} {med:.9g} {lo:.9g} {hi:.9g}\n")
                f.write("\n\n")
    ps = chart.panels
    first = [s_panel.index(i) + 1 for i in range(1, len(ps) + 1)]
    lines = [
        f"c_title = {gp_str(chart.title)}",
        f"c_sub = {gp_str(chart.sub or subtitle(meta))}",
        f"c_note = {gp_str('; '.join(chart.notes))}",
        f"c_data = {gp_str(data_path)}",
        f"n_panels = {len(ps)}",
        gp_array("P_KIND", [p.kind for p in ps]),
        gp_array("P_TITLE", [p.title for p in ps]),
        gp_array("P_XLABEL", [p.xlabel for p in ps]),
        gp_array("P_YLABEL", [p.ylabel for p in ps]),
        gp_array("P_LOGX", [int(p.logx) for p in ps]),
        gp_array("P_LOGY", [int(p.logy) for p in ps]),
        gp_array("P_IDEAL", [int(p.ideal) for p in ps]),
        gp_array("P_VALUES", [int(p.values) for p in ps]),
        gp_array("P_YMIN0", [int(p.ymin0) for p in ps]),
        gp_array("P_REF", [p.ref if p.ref is not None else -1 for p in ps]),
        gp_array("P_REFLBL", [p.reflabel for p in ps]),
        gp_array("P_SOLO", [int(p.solo) for p in ps]),
        gp_array("P_YMAX", [p.ymax() for p in ps]),
        gp_array("P_FIRST", first),
        gp_array("P_COUNT", [len(p.series) for p in ps]),
        gp_array("P_NCATS", [len(p.cats) if p.cats else 0 for p in ps]),
        gp_array("P_XTICS", [p.xtics or (cat_tics(p.cats) if p.cats else "") for p in ps]),
        gp_array("S_LABEL", s_label),
        gp_array("S_MODEL", s_model),
        gp_array("S_DASH", s_dash),
        gp_array("S_PANEL", s_panel),
    ]
    with open(spec_path, "w") as f:
        f.write("\n".join(lines) + "\n")


def cat_tics(cats):
    return "(" + ", ".join(f"{gp_str(c)} {i}" for i, c in enumerate(cats, 1)) + ")"


def subtitle(meta):
    m = meta.get("machine") or {}
    cpu = m.get("cpu_model") or "unknown CPU"
    cores = m.get("cores_online") or "?"
    when = (meta.get("generated") or "")[:10]
    mode = meta.get("mode") or "?"
    reps = meta.get("reps") or "?"
    return (f"{cpu}, {cores} cores; make table ({mode}, {when}); "
            f"median of {reps} repetitions, bars: interquartile range")


def draw(chart, meta, tmp, outdir, formats):
    spec, data = os.path.join(tmp, f"{chart.cid}.spec.gp"), os.path.join(tmp, f"{chart.cid}.dat")
    write_spec(chart, meta, spec, data)
    out = os.path.join(outdir, chart.cid)
    proc = subprocess.run(["gnuplot", "-e", f"spec='{spec}'; out='{out}'; plotdir='{HERE}'; "
                           f"formats='{formats}'", os.path.join(HERE, "claim.gp")],
                          capture_output=True, text=True)
    err = "\n".join(ln for ln in proc.stderr.splitlines() if ln.strip())
    if proc.returncode != 0:
        raise RuntimeError(f"gnuplot failed on {chart.cid} (exit {proc.returncode}): {err[-400:]}")
    for fmt in formats.split():
        if not os.path.getsize(f"{out}.{fmt}"):
            raise RuntimeError(f"gnuplot wrote no {chart.cid}.{fmt}")


# ---- main -------------------------------------------------------------------

def parse_args(argv):
    ap = csvio.ArgParser(prog="claims", description="one chart per claim from make table's CSV")
    ap.add_argument("csv")
    ap.add_argument("outdir")
    ap.add_argument("--only", default=None, help="claims to draw, e.g. C1,C5 (all: every claim)")
    ap.add_argument("--formats", default="png svg")
    args = ap.parse_args(argv)
    if args.only:
        args.only = args.only.split(",")
        bad = [c for c in args.only if c not in CLAIMS]
        if bad:
            ap.error(f"--only: unknown claim '{bad[0]}' (allowed: {', '.join(CLAIMS)})")
    bad = [f for f in args.formats.split() if f not in ("png", "svg")]
    if bad or not args.formats.split():
        ap.error(f"--formats: '{args.formats}' (allowed: png, svg or both)")
    return args


def build(rows, meta, only):
    """Charts that have rows, and the names of those that have none."""
    charts, absent = [], []
    for cid, fn in CLAIMS.items():
        if only and cid not in only:
            continue
        try:
            chart = fn(rows, meta)
        except (KeyError, ValueError, ZeroDivisionError) as e:
            raise BadInput(f"{cid}: rows of an unexpected shape ({type(e).__name__}: {e})") from e
        (charts if chart else absent).append(chart if chart else cid)
    return charts, absent


def main(argv):
    args = parse_args(argv)
    try:
        rows = csvio.load_rows(args.csv, need=("run_id",) + csvio.KEY_COLUMNS)
    except csvio.BadInput as e:
        print(f"claims: {e}", file=sys.stderr)
        return 2
    meta = csvio.load_meta(args.csv)
    try:
        charts, absent = build(rows, meta, args.only)
        if args.only and absent:
            raise BadInput(f"{args.csv} has no rows for {', '.join(absent)} "
                           "(make table measures them): no chart drawn")
        if not charts:
            raise BadInput(f"{args.csv} has no rows for any claim C1-C14 (allowed: the CSV of "
                           "make table, results/table.csv): no chart drawn")
    except BadInput as e:
        print(f"claims: {e}", file=sys.stderr)
        return 2
    if shutil.which("gnuplot") is None:
        print("claims: gnuplot not found (install gnuplot-nox: make deps)", file=sys.stderr)
        return 1
    os.makedirs(args.outdir, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="ptb-claims-")
    try:
        out = os.path.join(tmp, "out")
        os.mkdir(out)
        index = []
        for ch in charts:
            draw(ch, meta, tmp, out, args.formats)
            for fmt in args.formats.split():
                index.append(f"{ch.cid}.{fmt}\t{ch.caption}")
        for cid in absent:
            index.append(f"note\t{cid}: no rows in {os.path.basename(args.csv)}: no chart")
            print(f"claims: {cid}: no rows in {args.csv}, no chart", file=sys.stderr)
        with open(os.path.join(out, "index.tsv"), "w") as f:
            f.write("\n".join(index) + "\n")
        replace(out, args.outdir, args.only)
    except RuntimeError as e:
        print(f"claims: {e}; nothing replaced in {args.outdir}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"claims: {len(charts)} charts in {args.outdir} from {args.csv}", file=sys.stderr)
    return 0


def claim_of(entry):
    """The claim an index.tsv line is about ("C1.png\t..." or "note\tC6: ...")."""
    name, _, caption = entry.partition("\t")
    return (caption if name == "note" else name).split(":")[0].split(".")[0]


def replace(src, dest, only):
    """Move the new charts in.  A full run replaces the old set (charts of
    claims no longer drawn go); an --only run keeps the other claims'."""
    old_path = os.path.join(dest, "index.tsv")
    old = []
    if os.path.exists(old_path):
        with open(old_path) as f:
            old = [ln.rstrip("\n") for ln in f if ln.strip()]
    kept = [e for e in old if only and claim_of(e) not in only]
    for e in old:
        name = e.split("\t", 1)[0]
        if e not in kept and name != "note" and "/" not in name:
            try:
                os.remove(os.path.join(dest, name))
            except FileNotFoundError:
                pass
    with open(os.path.join(src, "index.tsv")) as f:
        new = [ln.rstrip("\n") for ln in f if ln.strip()]
    order = {c: i for i, c in enumerate(CLAIMS)}
    merged = sorted(kept + new, key=lambda e: order.get(claim_of(e), len(order)))
    with open(os.path.join(src, "index.tsv"), "w") as f:
        f.write("\n".join(merged) + "\n")
    for name in os.listdir(src):
        os.replace(os.path.join(src, name), os.path.join(dest, name))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
