#!/usr/bin/env python3
"""render.py - what `make regress` writes from the comparison:
the markdown table (results/regress.md), the rows appended to
results/history.csv, and the data and key files that the gnuplot scripts
ptb/plot/regress.gp and history.gp read (stdlib only).

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

# suite: the regression suite's version (ptb.regress.suite.SUITE_VERSION) of
# the run; baseline: which baseline the run was compared with (its commit
# and start time, baseline_id()); base: that baseline's median of the
# metric (empty when the baseline lacks it), so that the history chart
# divides every run by the baseline it was checked against.  A history
# written before a column existed is upgraded in place: suite 1 (the only
# version there was), baseline and base empty (the chart then divides by
# the baseline it is given).
HISTORY_HEADER = ["commit", "date", "metric", "value", "spread", "suite", "baseline", "base"]
HISTORY_HEADER_V0 = HISTORY_HEADER[:5]
HISTORY_HEADER_V1 = HISTORY_HEADER[:6]
HISTORY_HEADERS = (HISTORY_HEADER, HISTORY_HEADER_V1, HISTORY_HEADER_V0)
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

def baseline_id(meta):
    """Which baseline: its commit and start time (the history's baseline
    column; a change of it is a break in the history chart)."""
    meta = meta or {}
    return f"{meta.get('git_commit', '?')} {meta.get('started', '?')}"


def history_rows(rows, commit, date, suite=1, baseline=""):
    """One [commit, date, metric, value, spread, suite, baseline, base] per
    metric of this run: value = median, spread = interquartile range,
    base = the baseline's median (empty when the baseline lacks the
    metric), all in the metric's unit."""
    out = []
    for r in rows:
        if r.cur is None:
            continue
        out.append([commit, date, r.name, f"{r.cur['median']:.6g}",
                    f"{r.cur['q3'] - r.cur['q1']:.6g}", str(suite), baseline,
                    f"{r.base['median']:.6g}" if r.base else ""])
    return out


def upgrade_history(path):
    """Add the columns a history was written without: suite 1, no
    baseline, no base."""
    with open(path, newline="") as f:
        old = list(csv.reader(f))
    pad = {5: ["1", "", ""], 6: ["", ""]}
    with open(path + ".tmp", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(HISTORY_HEADER)
        w.writerows(r + pad[len(old[0])] for r in old[1:] if r)
    os.replace(path + ".tmp", path)


def append_history(path, new_rows):
    """Append to history.csv, writing the header when the file is new.
    An existing file with another header is bad input (ValueError)."""
    exists = os.path.exists(path) and os.path.getsize(path) > 0
    if exists:
        with open(path, newline="") as f:
            header = next(csv.reader(f), None)
        if header in (HISTORY_HEADER_V0, HISTORY_HEADER_V1):
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


# ---- the history chart (history.gp) ------------------------------------------

HISTORY_TICS = 7       # at most this many labelled runs on the x axis


def is_primary(name):
    """A primary metric, from its name alone (history rows carry no kind):
    the ratios within one run, but not the locked/unlocked counter cost."""
    return not name.endswith((" ns/op", " pss_kb", " " + "/".join(rm.LOCK_PAIR)))


def workload_of(name):
    return name.split()[0]


def _positive(text):
    try:
        v = float(text)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) and v > 0 else None


def run_label(commit, date):
    """Two lines: the short commit (* = built from uncommitted changes)
    and the run's start, UTC, to the minute."""
    short = commit.split("-")[0][:7] + ("*" if commit.endswith("-dirty") else "")
    return f"{short}\n{date[:10]} {date[11:16]}".rstrip()


def label_runs(n, most=HISTORY_TICS):
    """The runs (1..n) that get an x label: evenly spaced, the last always."""
    step = max(1, math.ceil(n / most))
    runs = list(range(n, 0, -step))[::-1]
    return runs


def history_chart(hist, fallback=None, fallback_id="", fail=rc.FAIL_FACTOR):
    """What the history chart draws, from history.csv rows (dicts): every
    primary metric of every run divided by the baseline median it was
    checked against (the row's base; a row written before history.csv had
    the baseline columns uses `fallback`, name -> median, and
    `fallback_id`).  Returns a dict:

      runs     [(commit, date)], oldest first (x = 1, 2, ...)
      panels   [(workload, [metric, ...])], in order of first appearance
      points   metric -> [(x, ratio, beyond, joined)]: beyond = ratio >
               fail (the check's failure threshold); joined = False when
               the line must break before the point: the metric was absent
               in the run before, or the suite version or the baseline
               changed (a new denominator)
      marks    [(x, text)]: a suite version or baseline that starts at run x
      last     (metric, ratio) of the last run's highest ratio, or None
    """
    fallback = {n: v for n, v in (fallback or {}).items() if v and v > 0}
    runs, suite, base_of_run = {}, {}, {}
    points, prev = {}, {}
    for h in hist:
        key = (h["commit"], h["date"])
        x = runs.setdefault(key, len(runs) + 1)
        name = h["metric"]
        ident = h.get("baseline") or fallback_id
        suite.setdefault(x, h.get("suite") or "1")
        base_of_run.setdefault(x, ident)
        if not is_primary(name):
            continue
        base = _positive(h.get("base")) if h.get("baseline") else fallback.get(name)
        value = _positive(h["value"])
        if base is None or value is None:
            continue
        ratio = value / base
        state = (suite[x], ident, f"{base:.6g}")
        last = prev.get(name)
        joined = last is not None and last[0] == x - 1 and last[1] == state
        points.setdefault(name, []).append((x, ratio, ratio > fail, joined))
        prev[name] = (x, state)
    panels = {}
    for name in points:
        panels.setdefault(workload_of(name), []).append(name)
    marks = []
    for x in range(2, len(runs) + 1):
        what = []
        if suite[x] != suite[x - 1]:
            what.append(f"suite {suite[x]}")
        if base_of_run[x] != base_of_run[x - 1]:
            what.append("new baseline")
        if what:
            marks.append((x, ", ".join(what)))
    final = [(r, n) for n, pts in points.items() for x, r, _, _ in pts if x == len(runs)]
    top = max(final) if final else None
    return {"runs": list(runs), "panels": list(panels.items()), "points": points,
            "marks": marks, "last": (top[1], top[0]) if top else None}


def streak_peaks(pts):
    """Indexes of the points whose ratio the chart writes beside them: the
    highest of each streak of points beyond the threshold in a row."""
    peaks, best = set(), None
    for k, (_, ratio, beyond, _) in enumerate(pts):
        if beyond and (best is None or ratio > pts[best][1]):
            best = k
        if not beyond and best is not None:
            peaks.add(best)
            best = None
    if best is not None:
        peaks.add(best)
    return peaks


def _gp_lines(text):
    """A gnuplot double-quoted string of text whose newlines stay newlines."""
    return gp(text).replace("\n", "\\n")


def write_history_panels(history, fallback, fallback_id, models, data_path, keys_path):
    """The files history.gp reads: one data block per primary metric of
    history.csv (one line per run; a blank line where the line breaks),
    and the keys: panels (one per workload), metric labels and models
    (colour), the shared y range, x labels (commit and date), where a
    suite or baseline starts, and the one-line summary.
    fallback (name -> baseline median) and fallback_id stand in for the
    baseline of history rows written without one (history_chart)."""
    with open(history, newline="") as f:
        hist = list(csv.DictReader(f))
    chart = history_chart(hist, fallback, fallback_id)
    order = [n for _, names in chart["panels"] for n in names]
    ratios = [p[1] for n in order for p in chart["points"][n]]
    with open(data_path, "w") as f:
        for n in order:
            pts = chart["points"][n]
            named = streak_peaks(pts)
            for k, (x, ratio, beyond, joined) in enumerate(pts):
                if not joined and k > 0:
                    f.write("\n")
                f.write(f"{x} {ratio:.6g} {int(beyond)} {int(k in named)}\n")
            f.write("\n\n")
    nruns = len(chart["runs"])
    beyond = [(x, n) for n in order for x, _, b, _ in chart["points"][n] if b]
    fail = rc.FAIL_FACTOR
    ylo = min([0.5] + [r / 1.15 for r in ratios])
    yhi = max([fail * 1.3] + [r * 1.15 for r in ratios])
    labelled = label_runs(nruns)
    tics = ", ".join(f"{_gp_lines(run_label(*chart['runs'][x - 1]))} {x}" for x in labelled)
    blank = ", ".join(f'"" {x}' for x in labelled)
    if chart["last"]:
        name, r = chart["last"]
        label = run_label(*chart["runs"][-1]).replace("\n", ", ")
        last = f"last run ({label}): highest {name} {r:.2f}×"
    else:
        last = "last run: no primary metric with a baseline"
    if beyond:
        where = len({x for x, _ in beyond})
        last += (f"; beyond {fail:g}×: {len(beyond)} point{'s' if len(beyond) > 1 else ''} "
                 f"in {where} run{'s' if where > 1 else ''}")
    else:
        last += f"; no point beyond {fail:g}× in {nruns} run{'s' if nruns != 1 else ''}"
    lines = ["# generated by ptb/regress/render.py; do not edit",
             f"h_n = {len(order)}", f"h_runs = {nruns}", f"h_data = {gp(data_path)}",
             f"h_fail = {fail:g}", f"h_ylo = {ylo:.4g}", f"h_yhi = {yhi:.4g}",
             f"h_xtics = {gp('(' + tics + ')')}", f"h_xblank = {gp('(' + blank + ')')}",
             f"h_dirty = {int(any(c.endswith('-dirty') for c, _ in chart['runs']))}",
             f"h_summary = {gp(last)}",
             f"h_nmarks = {len(chart['marks'])}",
             f"h_np = {len(chart['panels'])}"]
    for k, (x, text) in enumerate(chart["marks"], start=1):
        lines += [f"h_mark_x_{k} = {x}", f"h_mark_{k} = {gp(text)}"]
    i = 0
    for k, (wl, names) in enumerate(chart["panels"], start=1):
        lines += [f"h_pname_{k} = {gp(wl)}", f"h_pfirst_{k} = {i + 1}",
                  f"h_plast_{k} = {i + len(names)}"]
        seen = {}
        for n in names:
            i += 1
            model = models.get(n) or model_of_name(n)
            seen[model] = seen.get(model, 0) + 1
            label = n[len(wl):].strip() or n
            lines += [f"h_name_{i} = {gp(label)}", f"h_model_{i} = {gp(model)}",
                      f"h_dt_{i} = {seen[model]}"]
    with open(keys_path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return chart


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
