#!/usr/bin/env python3
"""render.py - what `make regress` writes from the comparison:
the markdown table (results/regress.md), the rows appended to
results/history.csv, and the data and key files that the gnuplot scripts
scripts/plot/regress.gp and history.gp read (stdlib only).

The gnuplot scripts compute every plotted number themselves (medians,
minima, maxima, with the plots' gstat.gp) from the per-repetition values
written here; the key files only name the metrics, their model (for the
colour) and the verdicts.
"""
import csv
import math
import os

from ptb.plot import csvkeys
from ptb.regress import compare as rc
from ptb.regress import metrics as rm

# suite: the regression suite's version (regress_suite.SUITE_VERSION) of
# the run; a history written before the column existed is upgraded in
# place with version 1, the only version there was.
HISTORY_HEADER = ["commit", "date", "metric", "value", "spread", "suite"]
HISTORY_HEADER_V0 = HISTORY_HEADER[:5]
KNOWN_MODELS = ("thread", "threadpool", "pythread", "fork", "procpool", "vfork",
                "spawn", "mpi", "pyproc", "pypool")


# ---- numbers ---------------------------------------------------------------

def scale_of(v, unit):
    """(divisor, unit text) for showing values near v: ns/... become
    µs/..., ms/..., s/... when large; other units stay."""
    if unit.startswith("ns/") and v is not None and not math.isnan(v):
        per = unit[2:]
        for scale, name in ((1e9, "s"), (1e6, "ms"), (1e3, "µs")):
            if abs(v) >= scale:
                return scale, name + per
    return 1.0, unit


def fmt_value(v, unit):
    """A value with its unit: 4.23×, 1.34 ms/creation, 705 kB."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    scale, text = scale_of(v, unit)
    return f"{v / scale:.3g}×" if unit == "×" else f"{v / scale:.3g} {text}"


def fmt_sample(d, scale):
    """'median [q1 – q3]' divided by scale, without the unit."""
    if d is None:
        return "–"
    return f"{d['median'] / scale:.3g} [{d['q1'] / scale:.3g} – {d['q3'] / scale:.3g}]"


def row_scale(row):
    ref = (row.base or row.cur)["median"]
    return scale_of(ref, row.unit)


def fmt_change(row):
    pct = row.change_pct
    if pct is None:
        return "–"
    return f"{pct:+.0f}%" if abs(pct) >= 1 else f"{pct:+.1f}%"


def _pct(factor):
    return "∞" if math.isinf(factor) else f"{(factor - 1.0) * 100.0:+.0f}%"


def fmt_ci(row):
    """The change's bootstrap 95% CI, '[+3%, +9%]'."""
    if row.ci is None:
        return "–"
    return f"[{_pct(row.ci[0])}, {_pct(row.ci[1])}]"


def fmt_delta(row):
    return "–" if row.delta is None else f"{row.delta:+.2f}"


def fmt_p(p):
    if p is None:
        return "–"
    return f"{p:.2g}"


def verdict(row):
    """The last column of the table."""
    if row.status == rc.MISSING:
        return "missing in this run (reported, not failed)"
    if row.status == rc.NEW:
        return "new: not in the baseline"
    if row.status == rc.TOO_FEW:
        return "no verdict: too few repetitions"
    if row.status == rc.UNCHANGED:
        return "unchanged"
    if row.status == rc.BETTER:
        return "▼ better"
    text = "▲ worse"
    if row.candidate:
        if row.failed:
            again = (f", re-run {row.rerun_factor:.2f}×" if row.rerun_factor is not None else "")
            text = f"▲ **FAIL**: {row.factor:.2f}× worse{again}"
        elif row.rerun_factor is not None:
            text = f"▲ worse {row.factor:.2f}×, not confirmed (re-run {row.rerun_factor:.2f}×)"
        else:
            text = f"▲ worse {row.factor:.2f}×, not confirmed (missing in the re-run)"
    return text


# ---- the markdown table ------------------------------------------------------

def _table(rows):
    lines = ["| metric | unit | baseline median [IQR] | current median [IQR] | change | "
             "95% CI | p | Cliff's δ | verdict |",
             "|---|---|---:|---:|---:|---:|---:|---:|---|"]
    for r in rows:
        scale, unit = row_scale(r)
        lines.append(f"| {r.name} | {unit} | {fmt_sample(r.base, scale)} "
                     f"| {fmt_sample(r.cur, scale)} | {fmt_change(r)} | {fmt_ci(r)} | {fmt_p(r.p)} "
                     f"| {fmt_delta(r)} | {verdict(r)} |")
    return lines


def describe_run(meta, fallback):
    if not meta:
        return fallback
    parts = [f"commit {meta.get('git_commit', '?')}", str(meta.get("started", "?"))]
    parts.append(csvkeys.machine_line(meta))
    if meta.get("loadavg"):
        parts.append(f"load {str(meta['loadavg']).split()[0]} at start")
    return ", ".join(parts)


def overall(status, rerun=True):
    again = "no re-run given: taken as confirmed" if rerun is None else "also on the re-run"
    return {rc.EXIT_OK: "PASS (changes below are reported, not failed)",
            rc.EXIT_CORRECTNESS: "FAIL: correctness (see below)",
            rc.EXIT_REGRESSION: f"FAIL: a metric is more than {rc.FAIL_FACTOR:g}× worse, "
                                f"{again}"}[status]


SHORT_VERDICT = {rc.EXIT_OK: "PASS", rc.EXIT_CORRECTNESS: "FAIL: correctness",
                 rc.EXIT_REGRESSION: "FAIL: regression confirmed by the re-run"}


def markdown(rows, ctx):
    """The whole of regress.md.  ctx: base_meta, cur_meta, status,
    failed_rows, leftovers (text or None), skipped, notes, rerun (bool)."""
    count = {s: sum(1 for r in rows if r.status == s)
             for s in (rc.UNCHANGED, rc.WORSE, rc.BETTER, rc.MISSING, rc.NEW, rc.TOO_FEW)}
    base_meta = ctx.get("base_meta") or {}
    which = "any metric" if rm.SECONDARY in ctx.get("fail_kinds", ()) else "a primary metric"
    out = ["# Regression check", "",
           f"**{overall(ctx['status'], ctx.get('rerun'))}**", "",
           f"- current: {describe_run(ctx.get('cur_meta'), 'no meta sidecar')}",
           f"- baseline: {describe_run(base_meta, 'no meta sidecar')}"]
    if base_meta.get("baseline_note"):
        out.append(f"- baseline note: {base_meta['baseline_note']}")
    out += ["- metrics: " + ", ".join(f"{n} {s}" for s, n in count.items() if n),
            f"- changed means: Mann-Whitney U p < {rc.ALPHA:g} over the repetitions "
            f"*and* the medians differ by more than max({rc.THRESHOLD:.0%}, the larger "
            "relative IQR); higher is worse for every metric; beside p, the change's "
            "bootstrap 95% CI (ratio of medians) and Cliff's δ (+1: every current "
            "repetition above every baseline one)",
            f"- CI fails only on {which} more than {rc.FAIL_FACTOR:g}× worse in "
            "this run and again in an immediate re-run"
            + {True: "", False: " (no re-run was needed)",
               None: " (compare without --rerun: a candidate counts as confirmed)"}[ctx.get("rerun")],
            ""]
    for note in ctx.get("notes", []):
        out.append(f"> {note}")
    if ctx.get("notes"):
        out.append("")
    if ctx.get("failed_rows"):
        out += ["## Correctness: rows whose ok is not 1", ""]
        out += [f"- {t}" for t in ctx["failed_rows"]] + [""]
    if ctx.get("leftovers"):
        out += ["## Correctness: left behind", "", "```", ctx["leftovers"].rstrip(), "```", ""]
    for kind, title in ((rm.PRIMARY, "Primary metrics: ratios within one run (dimensionless)"),
                        (rm.SECONDARY, "Secondary metrics: per-op medians (machine-dependent, "
                                       "reported only)")):
        sel = [r for r in rows if r.kind == kind]
        if sel:
            out += [f"## {title}", ""] + _table(sel) + [""]
    if ctx.get("skipped"):
        out += ["Suite items not run: " + "; ".join(f"{i} ({w})" for i, w in ctx["skipped"]), ""]
    return "\n".join(out)


def write_text(path, text):
    tmp = path + ".tmp"
    try:
        with open(tmp, "w") as f:
            f.write(text)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


# ---- history -----------------------------------------------------------------

def history_rows(rows, commit, date, suite=1):
    """One [commit, date, metric, value, spread, suite] per metric of this
    run: value = median, spread = interquartile range, in the metric's unit."""
    out = []
    for r in rows:
        if r.cur is None:
            continue
        out.append([commit, date, r.name, f"{r.cur['median']:.6g}",
                    f"{r.cur['q3'] - r.cur['q1']:.6g}", str(suite)])
    return out


def upgrade_history(path):
    """Add the suite column (1) to a history written without it."""
    with open(path, newline="") as f:
        old = list(csv.reader(f))
    with open(path + ".tmp", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(HISTORY_HEADER)
        w.writerows(r + ["1"] for r in old[1:] if r)
    os.replace(path + ".tmp", path)


def append_history(path, new_rows):
    """Append to history.csv, writing the header when the file is new.
    An existing file with another header is bad input (ValueError)."""
    exists = os.path.exists(path) and os.path.getsize(path) > 0
    if exists:
        with open(path, newline="") as f:
            header = next(csv.reader(f), None)
        if header == HISTORY_HEADER_V0:
            upgrade_history(path)
            header = HISTORY_HEADER
        if header != HISTORY_HEADER:
            raise ValueError(f"{path}: not a regress history (header must be "
                             f"{','.join(HISTORY_HEADER)})")
    with open(path, "a", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        if not exists:
            w.writerow(HISTORY_HEADER)
        w.writerows(new_rows)


def read_history_metrics(path):
    """The metric names in history.csv, in order of first appearance."""
    names = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            names.setdefault(row["metric"], None)
    return list(names)


# ---- files for gnuplot -------------------------------------------------------

def gp(text):
    return csvkeys.gp_string(text)


def chart_order(rows):
    return ([r for r in rows if r.kind == rm.PRIMARY]
            + [r for r in rows if r.kind == rm.SECONDARY])


def write_chart_data(rows, base_metrics, cur_metrics, data_path):
    """index,side,value per repetition (side 1 = baseline, 2 = current)."""
    base = {m.name: m for m in base_metrics}
    cur = {m.name: m for m in cur_metrics}
    with open(data_path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["index", "side", "value"])
        for i, r in enumerate(chart_order(rows), start=1):
            for side, source in ((1, base), (2, cur)):
                if r.name in source:
                    w.writerows([i, side, f"{v:.9g}"] for v in source[r.name].values)


def _status_word(r):
    if r.failed:
        return "FAIL"
    return {rc.WORSE: "worse", rc.BETTER: "better", rc.UNCHANGED: "unchanged",
            rc.MISSING: "missing", rc.NEW: "new", rc.TOO_FEW: "too few"}[r.status]


def write_chart_keys(rows, ctx, keys_path):
    """Names, models, kinds and verdicts of the chart's metrics."""
    order = chart_order(rows)
    lines = ["# generated by ptb/regress/render.py; do not edit",
             f"r_n = {len(order)}",
             f"r_nprim = {sum(1 for r in order if r.kind == rm.PRIMARY)}",
             f"r_fail = {rc.FAIL_FACTOR:g}",
             f"r_thr = {rc.THRESHOLD:g}",
             f"r_cur = {gp(describe_short(ctx.get('cur_meta')))}",
             f"r_base = {gp(describe_short(ctx.get('base_meta')))}",
             f"r_verdict = {gp(SHORT_VERDICT[ctx['status']])}",
             f"r_reps = {gp(reps_text(rows))}"]
    for i, r in enumerate(order, start=1):
        lines += [f"r_name_{i} = {gp(r.name)}", f"r_model_{i} = {gp(r.model)}",
                  f"r_status_{i} = {gp(_status_word(r))}", f"r_unit_{i} = {gp(r.unit)}"]
    with open(keys_path, "w") as f:
        f.write("\n".join(lines) + "\n")


def is_primary(name):
    return not name.endswith((" ns/op", " pss_kb"))


def write_history_panels(history, rows, models, data_path, keys_path):
    """The small multiples of history.gp: one block per primary metric of
    history.csv (x = run index, value, value -/+ spread/2), the baseline's
    interquartile range per metric (the band), the runs' commits (x tic
    labels) and where the suite version changes (a break)."""
    with open(history, newline="") as f:
        hist = list(csv.DictReader(f))
    runs, suite_of = {}, {}
    for h in hist:
        key = (h["commit"], h["date"])
        runs.setdefault(key, len(runs) + 1)
        suite_of[runs[key]] = h.get("suite") or "1"
    names = [n for n in read_history_metrics(history) if is_primary(n)]
    base = {r.name: r.base for r in rows if r.base}
    with open(data_path, "w") as f:
        for n in names:
            for h in hist:
                if h["metric"] == n:
                    v, sp = float(h["value"]), float(h["spread"] or 0)
                    f.write(f"{runs[(h['commit'], h['date'])]} {v:.6g} {v - sp / 2:.6g} {v + sp / 2:.6g}\n")
            f.write("\n\n")
    breaks = [i for i in range(2, len(runs) + 1) if suite_of[i] != suite_of[i - 1]]
    tics = ", ".join(f"{gp(c[:9])} {i}" for (c, _), i in runs.items())
    lines = ["# generated by ptb/regress/render.py; do not edit",
             f"h_n = {len(names)}", f"h_runs = {len(runs)}", f"h_data = {gp(data_path)}",
             f"h_xtics = {gp('(' + tics + ')')}",
             f"h_breaks = {gp(' '.join(str(b) for b in breaks))}",
             f"h_break_suites = {gp(' '.join(suite_of[b] for b in breaks))}",
             f"h_suite_first = {gp(suite_of.get(1, '1'))}"]
    for i, n in enumerate(names, start=1):
        b = base.get(n)
        lines += [f"h_name_{i} = {gp(n)}", f"h_model_{i} = {gp(models.get(n, ''))}",
                  f"h_blo_{i} = {b['q1'] if b else 'NaN'}", f"h_bhi_{i} = {b['q3'] if b else 'NaN'}"]
    with open(keys_path, "w") as f:
        f.write("\n".join(lines) + "\n")


def model_of_name(name):
    """The model a metric is drawn in, from its name (history metrics that
    this run did not measure)."""
    for w in name.split()[1:]:
        head = w.split("/")[0].split(":")[0]
        if head in KNOWN_MODELS:
            return head
    return ""


def describe_short(meta):
    if not meta:
        return "?"
    return f"{meta.get('git_commit', '?')} ({str(meta.get('started', '?'))[:16]})"


def reps_text(rows):
    ns = sorted({r.cur["n"] for r in rows if r.cur} | {r.base["n"] for r in rows if r.base})
    if not ns:
        return "?"
    return str(ns[0]) if len(ns) == 1 else f"{ns[0]}–{ns[-1]}"
