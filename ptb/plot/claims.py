#!/usr/bin/env python3
"""claims.py - one chart per claim C1-C14, PNG and SVG, drawn by gnuplot:
the marks from the rows of `make table` (results/table.csv and its meta),
the verdicts and which languages were measured from results/findings.json.

Usage: python3 -m ptb.plot.claims [--only C1,C5] [--formats "png svg"]
                                  [--findings FILE] CSV OUTDIR

--findings defaults to findings.json beside the CSV.  It and the CSV must
be one make table's: a findings file that is missing, of another schema
(ptb.table.findings.load), or whose run (git, date) is not the one of the
table.meta.json beside the CSV (git_commit, generated) is bad input.

Each chart's title is the claim in plain words and its verdict in each
language, as findings.json has it ("C3 processes use more memory — C:
holds 4.63×, CPython: holds 104×": the figure is the ratio of the first
condition of the language's first judged finding; "undecided" or
"depends on CONDITION" where the stability runs disagreed; "not measured"
only where findings.json says so).  index.tsv's caption of the chart starts with that title.  The
series of a language are drawn where findings.json has measured the claim
in it, and only there; a language it has not measured is named in the
chart's note with findings.json's reason.

For the marks, this script picks the rows that measure each claim,
computes each group's median and quartiles (the quantiles of the table:
ptb/stats.py describe) and hands gnuplot a data file and a small spec
(ptb/plot/claim.gp draws every chart: lines against a numeric axis, or
grouped bars/points against categories; each model in its fixed colour
of ptb/plot/models.gp; bars and whiskers are the interquartile range).

A claim whose rows are not in the CSV gets no chart, never an empty one:
it is named on stderr and in OUTDIR/index.tsv as a note.  With --only, a
named claim that lacks its rows is bad input: one line, exit status 2.
So is a CSV that has rows for no claim at all (e.g. results/bench.csv
without any of the table's measures), a missing file or one that is not
ptbench's.  OUTDIR/index.tsv lists the charts with a caption each
(ptb/report.py reads it); charts of an earlier run are replaced only when
every chart was drawn.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap

from ptb import csvio, paths
from ptb import stats as sv
from ptb.plot import csvkeys
from ptb.table import analyse as tc
from ptb.table import findings as fnd
from ptb.table import unstable

HERE = paths.PLOT

C_MODELS = ("thread", "fork", "vfork", "spawn", "threadpool", "procpool", "mpi")
PY_MODELS = ("pythread", "pyproc", "pypool")


class BadInput(Exception):
    """Exit status 2 with this one line."""


# ---- which runs a chart draws ------------------------------------------------

VALUE_KEYS = set(csvkeys.COUNTERS) | {"ns_per_op", "result"}


class Row(dict):
    """A CSV row that notes its run_id in Row.drawn when a measured value
    (ns_per_op, result, a counter) is read: the runs a chart's marks come
    from, for its footer."""
    drawn = set()

    def __getitem__(self, key):
        if key in VALUE_KEYS:
            Row.drawn.add(dict.get(self, "run_id", ""))
        return dict.__getitem__(self, key)

    def get(self, key, default=None):
        if key in VALUE_KEYS:
            Row.drawn.add(dict.get(self, "run_id", ""))
        return dict.get(self, key, default)


def footer(csv_path, meta, run_ids):
    """'data: table.csv, runs A, B, make table of 2026-12-01 17:21:34 UTC';
    a chart of table.meta.json alone (C13) says so."""
    if not any(run_ids):
        return (f"data: {os.path.basename(csvio.meta_path(csv_path))} (no rows), make table of "
                f"{csvkeys.when_line(meta) or 'unknown date'}")
    return csvkeys.footer_line(csv_path, meta, [{"run_id": i} for i in run_ids])


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
                 solo=False, better=None, counts=False, nudge=False, marks=()):
        self.title, self.kind, self.xlabel, self.ylabel = title, kind, xlabel, ylabel
        self.better = better        # "lower" / "higher": said on the y axis; None: from findings
        self.counts = counts        # the figures are counts: integer ticks
        self.nudge = nudge          # lines: each series a little sideways, none hidden under another
        self.marks = list(marks)    # Mark: a case drawn as a labelled cross (a refusal)
        self.series = [s for s in series if s]
        self.cats, self.logx, self.logy, self.ideal = cats, logx, logy, ideal
        self.values, self.xtics, self.ref, self.ymin0 = values, xtics, ref, ymin0
        self.reflabel, self.solo = reflabel, solo   # solo: each series in one category only

    def label_y(self):
        """The y label, saying which way is better when it is known."""
        if self.better in ("lower", "higher"):
            return f"{self.ylabel}\n({self.better} is better)"
        return self.ylabel

    def ystep(self):
        """Integer tick step of a counts axis (0: gnuplot's choice)."""
        if not self.counts:
            return 0
        top = max((hi for ser in self.series for _, (_, _, hi) in ser.points), default=1)
        for step in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000):
            if top / step <= 8:
                return step
        return 0

    def ymax(self):
        """1 when every figure is 0 (an axis of its own would be empty), else automatic."""
        return 1 if all(hi == 0 for ser in self.series for _, (_, _, hi) in ser.points) else -1

    def __bool__(self):
        return bool(self.series)


class Mark:
    """A case with no figure that is drawn anyway: a cross at (x, y) in the
    model's colour, with its label (e.g. threads on 2 hosts: refused)."""

    def __init__(self, x, y, text, model):
        self.x, self.y, self.text, self.model = x, y, text, model


class Chart:
    """One chart: its panels, the caption of what it draws, notes under it.
    title (the first line) and verdicts (the second) are set from the
    findings by with_findings(); sub (the line under them) is the machine
    unless set."""

    def __init__(self, cid, caption, panels, notes=(), title=None):
        self.cid, self.caption, self.title = cid, caption, title
        self.panels = [p for p in panels if p]
        self.notes = [n for n in notes if n]
        self.verdicts = ""
        self.sub = None
        self.footer = ""        # the data it was drawn from: csvkeys.footer_line

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


# ---- what findings.json says ------------------------------------------------

SEEDS = re.compile(r"\s*\((?:\d{3}(?:, )?)+\)")


def plain(text):
    """The claim without its seeds' numbers and Markdown code marks:
    "processes use more memory (000)" -> "processes use more memory"."""
    return SEEDS.sub("", text).replace("`", "").strip()


def measured(rec):
    """Whether findings.json has measured a claim in one language."""
    return rec.get("not_measured") is None and rec.get("verdict") != "not measured"


def figure(rec):
    """The ratio of the first condition of the language's first judged
    finding (one with an expectation), as text; "" when there is none."""
    cond = next((c for c in rec.get("conditions") or [] if c.get("expect") is not None), None)
    ratio = cond and cond.get("ratio")
    if ratio is None:
        return ""
    return sv.fmt_ratio(float(ratio))      # "inf" (a zero on the thread side) -> ∞


def verdict_text(rec):
    """"holds 4.63×", "undecided (this run: fails 1.00×)", "depends on pipe
    pin=none (this run: holds 1.40×)", "not measured",
    "no verdict 2.67× ⚠ inconsistent" (findings.json's mark)."""
    if not measured(rec):
        return "not measured"
    v = " ".join(x for x in (rec["verdict"], figure(rec)) if x)
    mark = f" {fnd.INCONSISTENT}" if fnd.inconsistent(rec) else ""
    label = unstable.word(rec.get("stability")) if rec.get("unstable") else None
    return (f"{label} (this run: {v})" if label else v) + mark


def titles(claim):
    """(the claim's id and plain words, its verdicts per language), from
    one claim of findings.json; the languages in its order (primary first)."""
    return (f"{claim['id']} {plain(claim['claim'])}",
            ", ".join(f"{lang}: {verdict_text(rec)}" for lang, rec in claim["languages"].items()))


def language_of(model):
    """The language whose series a model's are: CPython's models are py*."""
    return "CPython" if model.startswith("py") else "C"


def with_findings(chart, claim):
    """The chart as findings.json has the claim: its title and verdicts;
    only the series of the languages measured; a note for each language
    not measured (findings.json's reason), and for one measured whose rows
    this CSV lacks.  The caption starts with the title and the verdicts."""
    langs = claim["languages"]
    for p in chart.panels:
        p.series = [s for s in p.series
                    if language_of(s.model) in langs and measured(langs[language_of(s.model)])]
    chart.panels = [p for p in chart.panels if p]
    drawn = {language_of(s.model) for p in chart.panels for s in p.series}
    notes = []
    for lang, rec in langs.items():
        if not measured(rec):
            notes.append(f"{lang}: not measured ({rec.get('not_measured') or rec.get('why')})")
        elif lang not in drawn and chart.panels:
            notes.append(f"{lang}: {rec['verdict']} in findings.json, but this CSV has no rows "
                         "of its models to draw")
    chart.notes = chart.notes + notes
    ways = {c.get("better") for rec in langs.values() if measured(rec)
            for c in rec.get("conditions") or []} - {None}
    for p in chart.panels:
        if p.better is None and len(ways) == 1:
            p.better = ways.pop()
    chart.title, chart.verdicts = titles(claim)
    chart.caption = f"{chart.title} — {chart.verdicts}. {chart.caption}"
    return chart


# ---- one function per claim ------------------------------------------------
# Each returns the Chart of every series its rows have, in both languages;
# with_findings() keeps the languages findings.json has measured.

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
              xtics=f"({tics})", ymin0=False, better="lower")
    notes = []
    if len(xs) < 3:
        notes.append("this CSV has the parent's memory at " + ", ".join(mb_label(x) for x in xs)
                     + " only (make table measures the sweep 0-1024 MiB as measure create-parent)")
    return Chart("C1", "Creation cost against the parent's memory (A fork() in the road, HotOS "
                 "2019, Fig. 1): fork copies page tables, vfork and posix_spawn do not.", [p], notes)


def mb_x(mb):
    """Parent MiB on a log axis: 0 sits at 1/4 MiB."""
    return mb if mb > 0 else 0.25


def mb_label(x):
    if x < 1:
        return "0"
    return f"{x / 1024:g} GiB" if x >= 1024 else f"{x:g}"


PIN = {"same": "one CPU", "split": "two CPUs"}


def switch_panel(rows, models, title, prefix=""):
    """Round trips by channel (and CPU placement, where the runs set one)."""
    rr = runs_with(rows, "switch", models)
    cats, keys = [], []
    for via in tc.values_of(rr, "via"):
        for pin in tc.values_of(rr, "pin"):
            cats.append(via if pin == "none" else f"{via}, {PIN.get(pin, pin)}")
            keys.append((via, pin))
    series = [Series(prefix + m, m, [(i + 1, stat(tc.ns_per_op(tc.pick(rr, model=m, via=v, pin=p))))
                                     for i, (v, p) in enumerate(keys)]) for m in models]
    unit = scaled(series, time_unit)
    return Panel(title, "bars", "channel" + ("" if all(p == "none" for _, p in keys)
                                             else ", CPU placement"),
                 f"round trip ({unit}, log axis)", series, cats=cats, logy=True, ymin0=False,
                 better="lower")


def c2(rows, meta):
    return Chart("C2", "Round trip by channel (and CPU placement): processes against threads, "
                 "in C and in CPython.",
                 [switch_panel(rows, ("thread", "fork"), "C: ping-pong between two workers"),
                  switch_panel(rows, ("pythread", "pyproc"), "CPython: ping-pong between two workers",
                               "Python ")])


def footprint_panel(rows, models, title, prefix=""):
    rr = runs_with(rows, "footprint", models)
    counts = sorted({int(r["workers"]) for r in rr})
    series = [Series(prefix + m, m, [(n, stat(tc.col(tc.pick(rr, model=m, workers=n), "pss_kb")))
                                     for n in counts]) for m in models]
    unit = scaled(series, kb_unit)
    return Panel(title, "lines", "workers", f"PSS of the whole run ({unit})", series,
                 xtics=worker_tics(rr), better="lower", nudge=True)


def c3(rows, meta):
    return Chart("C3", "Proportional set size of the run against the number of idle workers: "
                 "the slope is the memory per worker; C and CPython each on its own axis.",
                 [footprint_panel(rows, ("thread", "fork"), "C: idle workers parked"),
                  footprint_panel(rows, ("pythread", "pyproc"), "CPython: idle workers parked",
                                  "Python ")])


def share_panel(rr, models, title, consume, prefix=""):
    """Bytes/s of each channel without encoding, from the transfer the tasks
    time (tc.channel_rate, as C4's verdict); a CSV from before --consume
    has all its rows in the panel of the work on every byte."""
    def of(r):
        p = tc.params_of(r)
        return p.get("encode", "0") == "0" and p.get("consume", "sum") == consume
    rows = [r for r in rr if of(r)]
    vias = tc.values_of(rows, "via")
    series = [Series(prefix + m, m, [(i + 1, stat(tc.channel_rate(tc.pick(rows, model=m, via=v))))
                                     for i, v in enumerate(vias)]) for m in models]
    unit = scaled(series, rate_unit)
    return Panel(title, "bars", "channel (heap: threads only)", f"bytes/s ({unit})", series,
                 cats=list(vias), better="higher")


def c4(rows, meta):
    rr = runs_with(rows, "share", ("thread", "fork"))
    py = runs_with(rows, "share", ("pythread", "pyproc"))
    panels = [share_panel(rr, ("thread", "fork"), "C: the channel alone (judged)", "none"),
              share_panel(rr, ("thread", "fork"), "C: with the consumer's pass", "sum"),
              share_panel(py, ("pythread", "pyproc"), "CPython: the channel alone (judged)", "none",
                          "Python ")]
    return Chart("C4", "Transfer rate per channel, timed by the tasks: the channel alone "
                 "(--consume none, what the verdict judges) and with the consumer's checksum "
                 "pass over every byte; threads hand over pointers to recycled heap buffers.",
                 panels)


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
    """Explicit integer ticks at the worker counts the rows have."""
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
                    "speed-up over 1 worker", sp, ideal=True, xtics=tics, better="higher",
                    nudge=True),
              Panel(f"cores kept busy, (user+sys)/wall ({cores} online)", "lines", "workers",
                    "cores busy", busy, xtics=tics, ref=cores, reflabel="cores online",
                    better="higher", nudge=True)]
    return Chart("C5", "Speed-up against workers with the ideal line, and the cores each run kept "
                 "busy: C threads and processes, CPython threads (GIL) and processes.", panels)


def c14(rows, meta):
    c, py = cpu_rows(rows)
    sp = speedup_series(py, PY_MODELS, 1, "Python ") + speedup_series(c, ("thread", "fork"), 2, "C ")
    counts = sorted({int(r["workers"]) for r in py})
    wall = [Series(f"Python {m}", m, [(n, stat(tc.col(tc.pick(py, model=m, workers=n), "wall_ns")))
                                      for n in counts]) for m in PY_MODELS]
    unit = scaled(wall, time_unit)
    tics = worker_tics(c, py)
    panels = [Panel("speed-up of the loop (dotted: ideal)", "lines", "workers",
                    "speed-up over 1 worker", sp, ideal=True, xtics=tics, better="higher",
                    nudge=True),
              Panel("CPython: wall time of the loop (each worker the same steps)", "lines", "workers",
                    f"wall time ({unit})", wall, xtics=worker_tics(py), better="lower", nudge=True)]
    return Chart("C14", "Speed-up against workers with the ideal line: CPython threads, processes "
                 "and a pool, with C's threads and processes for reference.", panels)


CRASH = {"exception": "uncaught\nexception"}


def crash_panel(rows, models, title, prefix=""):
    rr = runs_with(rows, "crash", models)
    sigs = tc.values_of(rr, "signal")
    n = rr[0]["workers"] if rr else "?"
    series = [Series(prefix + m, m, [(i + 1, stat(tc.result(tc.pick(rr, model=m, signal=s))))
                                     for i, s in enumerate(sigs)]) for m in models]
    return Panel(f"{title}: 1 of {n} workers dies", "bars", "how the worker dies",
                 f"workers whose results survive (of {n})", series,
                 cats=[CRASH.get(s, f"SIG{s.upper()}") for s in sigs], values=True,
                 better="higher", counts=True)


def c6(rows, meta):
    return Chart("C6", "Workers whose results survive when one of them crashes: a process dies "
                 "alone, a thread takes the process with it.",
                 [crash_panel(rows, ("thread", "fork"), "C"),
                  crash_panel(rows, ("pythread", "pyproc"), "CPython", "Python ")])


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
              "updates lost (% of all)", series, cats=[names.get(k, k) for k in locks], values=True,
              better="lower")
    return Chart("C7", "Updates lost on a shared counter without a lock and with one, threads "
                 "and processes, C and Python.", [p])


def c8(rows, meta):
    c = runs_with(rows, "pool", ("threadpool", "procpool"))
    py = runs_with(rows, "pool", ("pythreadpool", "pypool"))
    works = tc.values_of(c + py, "work")

    def ratio(rr, model, work):
        sync = tc.by_rep(tc.pick(rr, model=model, work=work, submit="sync"))
        asyn = tc.by_rep(tc.pick(rr, model=model, work=work, submit="async"))
        return [float(sync[k]["wall_ns"]) / float(asyn[k]["wall_ns"])
                for k in sorted(set(sync) & set(asyn)) if float(asyn[k]["wall_ns"]) > 0]
    series = [Series(prefix + m, m, [(i + 1, stat(ratio(rr, m, w))) for i, w in enumerate(works)])
              for rr, models, prefix in ((c, ("threadpool", "procpool"), ""),
                                         (py, ("pythreadpool", "pypool"), "Python "))
              for m in models]
    n = "/".join(sorted({r["workers"] for r in c + py}, key=int)) or "?"
    p = Panel(f"a pool of {n} workers runs short tasks (dotted: no difference)", "bars",
              "what a task does", "time with apply ÷ time with apply_async", series,
              cats=[{"spin": "spins on a CPU", "sleep": "sleeps (waits)"}.get(w, w) for w in works],
              ref=1, reflabel="no difference", values=True, better="lower")
    return Chart("C8", "How much longer a batch takes when each task is submitted with a "
                 "blocking apply than asynchronously.", [p])


def c9(rows, meta):
    rr = [r for r in rows if r["workload"] == "zombie"]
    models = [m for m in ("thread", "fork", "threadpool", "procpool", "pythread", "pyproc",
                          "pythreadpool") if tc.pick(rr, model=m)]
    series = [Series(m, m, [(i + 1, stat(tc.result(tc.pick(rr, model=m))))])
              for i, m in enumerate(models)]
    p = Panel("children forked and reaped by every worker", "bars", "",
              "zombies and orphans left (must be 0)", series, cats=models, values=True, solo=True,
              better="lower", counts=True)
    return Chart("C9", "Children left as zombies or orphans after each run, per model: must be 0.",
                 [p])


def c11(rows, meta):
    rr = [r for r in rows if r["workload"] == "daemon" and r["model"] in ("fork", "pyproc")]
    keys = []
    for k in tc.values_of(rr, "kill"):
        for e in tc.values_of(rr, "parent-exit"):
            keys.append((k, e))
    series = [Series(label, m, [(i + 1, stat(tc.result(tc.pick(rr, model=m, kill=k, parent_exit=e))))
                                for i, (k, e) in enumerate(keys)])
              for label, m in (("fork", "fork"), ("Python pyproc", "pyproc"))]
    p = Panel("a daemon worker and its parent", "bars", "what ends the daemon, how the parent ends",
              "daemons still running after the bound", series,
              cats=[f"{k}, parent {e}" for k, e in keys], values=True, better="lower", counts=True)
    return Chart("C11", "Daemon workers still running after their parent ended, by what should "
                 "end them.", [p])


def refusals(meta, model):
    """make table's record of ptbench refusing `model` on several hosts
    (table.meta.json c10_refusals): [(hosts, exit status)]."""
    out = []
    for r in meta.get("c10_refusals") or []:
        if r.get("model") == model and r.get("exit_status") not in (None, 0):
            m = re.search(r"--hosts (\d+)", r.get("command", ""))
            out.append((int(m.group(1)) if m else 2, r["exit_status"]))
    return out


def refused_mark(x, model, hosts, status, prefix=""):
    return Mark(x, 0, f"{prefix}{model} on {hosts} hosts:\nrefused (exit {status}, no CSV)", model)


def hosts_panel(rows, ranks_model, thread_model, title, prefix="", meta=None):
    """Loop throughput of `ranks_model` against hosts, and of `thread_model`
    in one host (the rows of the same runs), as a lines panel; where
    make table recorded ptbench refusing `thread_model` on several hosts,
    a labelled cross at that host count (a refusal is a result: no bar)."""
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
    marks = [refused_mark(h, thread_model, h, st, prefix) for h, st in refusals(meta or {}, thread_model)
             if pts]
    return Panel(title, "lines", "hosts (network namespaces on this machine)",
                 f"loop throughput ({unit})", series, xtics=tics, better="higher", marks=marks)


def c10(rows, meta):
    panels = [hosts_panel(rows, "mpi", "thread", "seed 002's loop: steps per second of the whole job",
                          meta=meta)]
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
        # thread's bar is the second of two beside each category (claim.gp bar_x)
        marks = [Mark(sh.index(h) + 1 + 0.2, 0, f"thread, {h} hosts:\nrefused (exit {st})", "thread")
                 for h, st in refusals(meta, "thread") if h in sh]
        panels.append(Panel("moving 64 MiB between two workers", "bars", "mpi ranks on",
                            f"bytes/s ({unit})", ser, cats=cats, better="higher", marks=marks))
    panels.append(hosts_panel(rows, "pympi", "pythread", "the same loop in CPython (mpi4py)",
                              "Python ", meta=meta))
    return Chart("C10", "MPI ranks on 1, 2 and 4 hosts (network namespaces) against threads in "
                 "one host, in C and in CPython (mpi4py); ptbench refuses to start threads on two "
                 "hosts.", panels)


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
              xtics=tics, better="higher")
    return Chart("C12", "Copy throughput against the chunk size, on 1 and on every core.", [p])


def c13(rows, meta):
    ev = meta.get("c13") or {}
    loc = ev.get("loc") or {}
    models = [m for m in ("thread", "fork", "threadpool", "procpool", "vfork", "spawn", "mpi")
              if m in loc]
    panels = []
    if models:
        series = [Series(m, m, [(i + 1, (float(loc[m]),) * 3)]) for i, m in enumerate(models)]
        panels.append(Panel("each model's adapter", "bars", "", "lines of code", series,
                            cats=models, values=True, solo=True, better="lower", counts=True))
    cases = [(k, lbl) for k, lbl in (("thread_nolock", "thread, no lock"),
                                     ("fork_nolock", "fork, no lock"),
                                     ("thread_mutex", "thread, mutex")) if ev.get(k)]
    if cases:
        races = [Series(lbl, k.split("_")[0], [(i + 1, (float(ev[k]["races"]),) * 3)])
                 for i, (k, lbl) in enumerate(cases)]
        panels.append(Panel("ThreadSanitizer on the same counter", "bars", "",
                            "data races reported", races, solo=True, values=True,
                            better="lower", counts=True,
                            cats=[f"{lbl.replace(', ', chr(10))}\n({ev[k]['lost_updates']} lost)"
                                  for k, lbl in cases]))
    py = runs_with(rows, "counter", ("pythread", "pyproc"), lambda run: any(
        tc.params_of(r).get("lock") == "none" and r["workers"] != "100" for r in run))
    py_models = [m for m in ("pythread", "pyproc") if tc.pick(py, model=m, lock="none")]
    if py_models:
        lost = [Series(f"Python {m}", m, [(i + 1, stat(tc.result(
            [r for r in tc.pick(py, model=m, lock="none") if r["workers"] != "100"])))])
            for i, m in enumerate(py_models)]
        panels.append(Panel("CPython: unlocked counter, no race detector", "bars", "",
                            "updates lost (no tool reports a race)", lost, cats=py_models,
                            solo=True, values=True, better="lower", counts=True))
    return Chart("C13", "Lines of code of each model's adapter, and the races ThreadSanitizer "
                 "finds in the same unlocked counter (it sees threads only); CPython has no "
                 "race detector: only the lost updates show the race.", panels,
                 ["from table.meta.json (scripts/c13_evidence.sh)"])


CLAIMS = {"C1": c1, "C2": c2, "C3": c3, "C4": c4, "C5": c5, "C6": c6, "C7": c7, "C8": c8,
          "C9": c9, "C10": c10, "C11": c11, "C12": c12, "C13": c13, "C14": c14}


# ---- gnuplot ---------------------------------------------------------------

def gp_str(s):
    """A gnuplot double-quoted string; a newline becomes \\n (a line break in
    labels); a backquote becomes ' (gnuplot would run `...` as a command)."""
    return '"' + str(s).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") \
        .replace("`", "'") + '"'


def gp_array(name, values):
    vals = ", ".join(gp_str(v) if isinstance(v, str) else f"{v:g}" for v in values)
    return f"array {name}[{len(values)}] = [{vals}]"


def write_spec(chart, meta, spec_path, data_path):
    """The chart's gnuplot variables (spec) and its data: one block per
    series, `x median q1 q3`, blocks in the order of the S_* arrays."""
    s_label, s_model, s_dash, s_panel = [], [], [], []
    with open(data_path, "w") as f:
        for pi, p in enumerate(chart.panels, 1):
            for si, ser in enumerate(p.series):
                s_label.append(ser.label)
                s_model.append(ser.model)
                s_dash.append(ser.dash)
                s_panel.append(pi)
                for x, (med, lo, hi) in ser.points:
                    f.write(f"{nudged(p, si, x):.9g} {med:.9g} {lo:.9g} {hi:.9g}\n")
                f.write("\n\n")
    marks = [(pi, m) for pi, p in enumerate(chart.panels, 1) for m in p.marks]
    ps = chart.panels
    first = [s_panel.index(i) + 1 for i in range(1, len(ps) + 1)]
    wide = len(ps) > 1          # claim.gp: 1500 pixels wide, else 1100
    lines = [
        gp_array("T_LINES", wrap(chart.title, 100 if wide else 72)),
        gp_array("V_LINES", wrap(chart.verdicts, 128 if wide else 94)),
        gp_array("N_LINES", wrap("; ".join(chart.notes), 165 if wide else 120)),
        gp_array("F_LINES", wrap(chart.footer, 190 if wide else 140)),
        f"c_sub = {gp_str(chart.sub or subtitle(meta))}",
        f"c_data = {gp_str(data_path)}",
        f"n_panels = {len(ps)}",
        gp_array("P_KIND", [p.kind for p in ps]),
        gp_array("P_TITLE", [p.title for p in ps]),
        gp_array("P_XLABEL", [p.xlabel for p in ps]),
        gp_array("P_YLABEL", [p.label_y() for p in ps]),
        gp_array("P_YSTEP", [p.ystep() for p in ps]),
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
        f"n_marks = {len(marks)}",
        gp_array("M_PANEL", [pi for pi, _ in marks] or [0]),
        gp_array("M_X", [m.x for _, m in marks] or [0]),
        gp_array("M_Y", [m.y for _, m in marks] or [0]),
        gp_array("M_TEXT", [m.text for _, m in marks] or [""]),
        gp_array("M_MODEL", [m.model for _, m in marks] or [""]),
    ]
    with open(spec_path, "w") as f:
        f.write("\n".join(lines) + "\n")


def nudged(panel, index, x):
    """x of series `index` of a lines panel with nudge: the series spread
    sideways by 2.5% of the x range (a factor on a log axis), so a line that
    runs on another (thread under fork) stays visible."""
    n = len(panel.series)
    if not panel.nudge or panel.kind != "lines" or n < 2:
        return x
    shift = index - (n - 1) / 2.0
    xs = [px for ser in panel.series for px, _ in ser.points]
    if panel.logx:
        return x * (max(xs) / min(xs)) ** (0.025 * shift) if min(xs) > 0 else x
    return x + 0.025 * shift * ((max(xs) - min(xs)) or 1)


def wrap(text, width):
    """The lines of a header or note label, at most width characters each
    (at least one line, "" when there is no text: a gnuplot array is never
    empty)."""
    return textwrap.wrap(text, width, break_on_hyphens=False) or [""]


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
    ap = csvio.ArgParser(prog="claims", description="one chart per claim from make table's CSV "
                         "and its findings.json")
    ap.add_argument("csv")
    ap.add_argument("outdir")
    ap.add_argument("--only", default=None, help="claims to draw, e.g. C1,C5 (all: every claim)")
    ap.add_argument("--formats", default="png svg")
    ap.add_argument("--findings", default=None,
                    help="the verdicts (make table's findings.json) [findings.json beside CSV]")
    args = ap.parse_args(argv)
    if args.only:
        args.only = args.only.split(",")
        bad = [c for c in args.only if c not in CLAIMS]
        if bad:
            ap.error(f"--only: unknown claim '{bad[0]}' (allowed: {', '.join(CLAIMS)})")
    bad = [f for f in args.formats.split() if f not in ("png", "svg")]
    if bad or not args.formats.split():
        ap.error(f"--formats: '{args.formats}' (allowed: png, svg or both)")
    if args.findings is None:
        args.findings = os.path.join(os.path.dirname(args.csv), "findings.json")
    return args


def load_findings(path, csv_path, meta):
    """findings.json, checked to be the findings of the CSV's run: the same
    git and date as the table.meta.json beside the CSV.  BadInput (one
    line) otherwise."""
    try:
        findings = fnd.load(path)
    except fnd.BadFindings as e:
        raise BadInput(str(e)) from e
    run = findings.get("run") or {}
    ours = (run.get("git"), run.get("date"))
    theirs = (meta.get("git_commit"), meta.get("generated"))
    if ours != theirs:
        raise BadInput(f"{path} (git {ours[0]}, {ours[1]}) is not of the run of {csv_path} "
                       f"(its meta: git {theirs[0]}, {theirs[1]}): make table writes both; "
                       "python3 -m ptb.table --from-csv --out-dir DIR rebuilds findings.json "
                       "from DIR/table.csv")
    return findings


def claim_in(findings, cid):
    c = next((c for c in findings["claims"] if c.get("id") == cid), None)
    if c is None or not isinstance(c.get("languages"), dict):
        raise BadInput(f"findings.json has no claim {cid}")
    return c


def build(rows, meta, findings, only, csv_path="table.csv"):
    """Charts that have rows, each as findings.json has its claim, and the
    notes of the claims that have no rows.  Each chart's footer names the
    runs whose values it draws."""
    charts, absent = [], []
    rows = [r if isinstance(r, Row) else Row(r) for r in rows]
    for cid, fn in CLAIMS.items():
        if only and cid not in only:
            continue
        claim = claim_in(findings, cid)
        try:
            Row.drawn = set()
            chart = with_findings(fn(rows, meta), claim)
            chart.footer = footer(csv_path, meta, sorted(Row.drawn - {""}))
        except (KeyError, ValueError, ZeroDivisionError) as e:
            raise BadInput(f"{cid}: rows of an unexpected shape ({type(e).__name__}: {e})") from e
        if chart:
            charts.append(chart)
        else:
            absent.append((cid, " — ".join(titles(claim))))
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
        findings = load_findings(args.findings, args.csv, meta)
        charts, absent = build(rows, meta, findings, args.only, args.csv)
        if args.only and absent:
            raise BadInput(f"{args.csv} has no rows for {', '.join(c for c, _ in absent)} "
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
        for cid, title in absent:
            index.append(f"note\t{cid}: no rows in {os.path.basename(args.csv)}, no chart ({title})")
            print(f"claims: {cid}: no rows in {args.csv}, no chart", file=sys.stderr)
        with open(os.path.join(out, "index.tsv"), "w") as f:
            f.write("\n".join(index) + "\n")
        replace(out, args.outdir, args.only)
    except RuntimeError as e:
        print(f"claims: {e}; nothing replaced in {args.outdir}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"claims: {len(charts)} charts in {args.outdir} from {args.csv} and {args.findings}",
          file=sys.stderr)
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
