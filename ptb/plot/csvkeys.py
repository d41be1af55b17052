#!/usr/bin/env python3
"""ptb/plot/csvkeys.py - check a ptbench CSV and list what is in it, for the gnuplot scripts.

Usage: python3 -m ptb.plot.csvkeys FILE.csv OUT.gp

Writes OUT.gp, a gnuplot include file that names the groups present in
the CSV (workloads, their parameter variants, the series = model plus pool
submission mode, the worker counts, and the exact `params` string of each
group), the column numbers, which counters are empty in every row, and a
title line about the machine from the meta sidecar (FILE.meta.json).

It computes no statistic: every plotted number is computed by gnuplot
(`stats`) from the CSV itself.  Its only job is what gnuplot does badly:
RFC 4180 parsing, JSON, and enumerating distinct keys.

Exit status 2 with one line on stderr, and nothing written, when FILE is
missing or is not a ptbench CSV.  Importable: report.py uses load() and
describe() so the report and the plots agree on groups and notes.
"""
import os
import sys

from ptb import csvio, workloads

REQUIRED = ("workload", "model", "workers", "params", "rep", "ns_per_op", "ok")
# Columns a plot may use; any of them may be absent or empty everywhere.
COUNTERS = ("wall_ns", "user_ns", "sys_ns", "maxrss_kb", "pss_kb", "vol_cs",
            "invol_cs", "minflt", "majflt", "migrations", "ops")
# What a workload's own chart shows when time per op is not its finding:
# (metric, label); the gnuplot scripts and report.py know each metric.
METRICS = {"footprint": ("pss_per_worker", "PSS per worker"),
           "crash": ("result", "tasks whose results survived")}
# The create workload sweeps the parent's memory (--parent-mb).
SWEEP_WORKLOAD, SWEEP_KEY = "create", "parent-mb"
# Parameters that the pool models append to every workload's own.
POOL_KEYS = ("tasks", "submit")


BadInput = csvio.BadInput
load_meta = csvio.load_meta
split_params = csvio.split_params


def load(path):
    """Return (header, rows as dicts) of a ptbench CSV, or raise BadInput."""
    table = csvio.load(path, need=REQUIRED)
    return table.header, table.rows


def variant_of(row, tasks_follow_workers):
    """The workload's own parameters: params without the pool's additions."""
    keep = []
    for key, value in split_params(row["params"]):
        if key == "submit" or (key == "tasks" and tasks_follow_workers):
            continue
        keep.append(f"{key}={value}")
    return ";".join(keep)


def series_of(row):
    """model, or model:MODE for a pool submitted in a mode other than async."""
    submit = dict(split_params(row["params"])).get("submit", "async")
    return row["model"] if submit == "async" else f"{row['model']}:{submit}"


def nice_number(text, binary=False):
    """For labels: 1000000000 -> 1e9; with binary (sizes), 8388608 -> 8Mi,
    262144 -> 256Ki.  Other text unchanged."""
    if not text.isdigit() or len(text) < 4:
        return text
    n = int(text)
    if binary and n >= 4096:
        for shift, suffix in ((30, "Gi"), (20, "Mi"), (10, "Ki")):
            if n % (1 << shift) == 0:
                return f"{n >> shift}{suffix}"
    digits = text.rstrip("0")
    zeros = len(text) - len(digits)
    if zeros >= 3 and len(digits) <= 2:
        return f"{digits}e{zeros}"
    return text


def is_size(key):
    """Parameters counted in bytes."""
    return any(word in key for word in ("size", "bytes", "chunk"))


def label_of(variant, keys=None):
    """'steps=1000000000;x=1' -> 'steps=1e9, x=1' (only keys in `keys`)."""
    parts = [f"{k}={nice_number(v, is_size(k))}" for k, v in split_params(variant)
             if keys is None or k in keys]
    return ", ".join(parts) if parts else "(no parameters)"


def ordered_unique(items):
    seen = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)


def model_rank(series):
    order = ("thread", "threadpool", "pythread", "fork", "procpool", "vfork",
             "spawn", "mpi", "pyproc", "pypool")
    model = series.split(":")[0]
    return (order.index(model) if model in order else len(order), series)


def describe(rows):
    """Workloads -> variants -> series -> workers -> params, in CSV order."""
    op_names = workloads.op_names()    # what one op is: the C registry's word
    good = [r for r in rows if r["ok"] == "1"]
    if not good:
        raise BadInput("no row has ok=1: nothing to plot")
    out = []
    for wl in ordered_unique(r["workload"] for r in good):
        wrows = [r for r in good if r["workload"] == wl]
        follow = all(dict(split_params(r["params"])).get("tasks", r["workers"])
                     == r["workers"] for r in wrows)
        groups = {}
        for r in wrows:
            key = (variant_of(r, follow), series_of(r), int(r["workers"]))
            groups.setdefault(key, [])
            if r["params"] not in groups[key]:
                groups[key].append(r["params"])
        variants = ordered_unique(k[0] for k in groups)
        differing = differing_keys(variants)
        vlist = []
        for v in variants:
            series = sorted(ordered_unique(k[1] for k in groups if k[0] == v),
                            key=model_rank)
            slist = []
            for s in series:
                workers = sorted(k[2] for k in groups if k[0] == v and k[1] == s)
                slist.append({"name": s, "workers": workers,
                              "params": [groups[(v, s, n)][0] for n in workers]})
            vlist.append({"params": v, "label": label_of(v),
                          "short": label_of(v, differing) if differing else "",
                          "series": slist})
        common = {k for v in variants for k, _ in split_params(v)} - differing
        metric, mlabel = metric_of(wl, wrows)
        column = {"pss_per_worker": "pss_kb"}.get(metric, metric)
        has_data = any(value_present(r.get(column, "")) for r in wrows)
        out.append({"name": wl, "op": op_names.get(wl, "op"), "variants": vlist,
                    "metric": metric, "mlabel": mlabel, "has_data": has_data,
                    "common": label_of(variants[0], common) if differing and common else "",
                    "single": all(len(s["workers"]) == 1 for v in vlist for s in v["series"])})
    return out


def value_present(text):
    """A number the charts can draw (time per op must be above 0)."""
    try:
        return float(text) >= 0
    except ValueError:
        return False


def metric_of(workload, rows):
    """(metric, label) for the workload's chart: METRICS when the CSV has
    the column it needs, else time per op."""
    metric, label = METRICS.get(workload, ("ns_per_op", ""))
    column = {"pss_per_worker": "pss_kb"}.get(metric, metric)
    if metric != "ns_per_op" and all(r.get(column, "") == "" for r in rows):
        return "ns_per_op", ""
    return metric, label


def differing_keys(variants):
    """Parameter names whose value differs between the variants."""
    values = {}
    for v in variants:
        for k, val in split_params(v):
            values.setdefault(k, set()).add(val)
    return {k for k, vals in values.items() if len(vals) > 1}


def empty_columns(header, rows):
    """Counters absent from the header or empty in every row."""
    return [c for c in COUNTERS
            if c not in header or all(r.get(c, "") == "" for r in rows)]


def machine_line(meta):
    """'Intel Xeon, 2 cores, Linux 6.1, 2026-11-23' from the meta sidecar."""
    if not meta:
        return "machine unknown (no meta sidecar)"
    parts = []
    if meta.get("cpu_model"):
        parts.append(" ".join(str(meta["cpu_model"]).split()))
    if meta.get("cores_online"):
        parts.append(f"{meta['cores_online']} cores online")
    kernel = str(meta.get("kernel") or "").split()
    if len(kernel) >= 2:
        parts.append(f"{kernel[0]} {kernel[1].split('-')[0]}")
    if meta.get("started"):
        parts.append(str(meta["started"])[:10])
    return ", ".join(parts) if parts else "machine unknown"


def when_line(meta):
    """'2026-12-01 17:23:18–17:24:14 UTC' from the meta's started and
    finished (or make table's generated); "" when it has neither."""
    start = str(meta.get("started") or meta.get("generated") or "")
    end = str(meta.get("finished") or "")
    if not start:
        return ""
    day, _, t0 = start.rstrip("Z").partition("T")
    out = f"{day} {t0}" if t0 else day
    if end:
        day1, _, t1 = end.rstrip("Z").partition("T")
        out += f"–{t1}" if day1 == day else f" – {day1} {t1}"
    return out + (" UTC" if t0 else "")


def run_list(ids):
    """'run A', 'runs A, B, C' or '12 runs A … Z' (sorted: ids start with
    their start time)."""
    ids = sorted(set(i for i in ids if i))
    if not ids:
        return "run unknown"
    if len(ids) == 1:
        return f"run {ids[0]}"
    if len(ids) <= 3:
        return "runs " + ", ".join(ids)
    return f"{len(ids)} runs {ids[0]} … {ids[-1]}"


def footer_line(path, meta, rows):
    """The chart's footer: which data it was drawn from, as its meta
    records them: 'data: bench.csv, run ID, 2026-12-01 17:23:18–17:24:14
    UTC'.  The runs are the run_id column of `rows` (the meta's run_id
    when the rows have none); tests/ptb/plots/test_footers.py checks
    every committed chart's footer against the committed meta."""
    ids = [r.get("run_id", "") for r in rows] or [meta.get("run_id", "")]
    if not any(ids):
        ids = [meta.get("run_id", "")]
    when = when_line(meta)
    made = "make table of " if meta.get("generated") and not meta.get("started") else ""
    return (f"data: {os.path.basename(path)}, {run_list(ids)}"
            + (f", {made}{when}" if when else ", no meta sidecar"))


def gp_string(text):
    """A gnuplot double-quoted string literal."""
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def gnuplot_keys(header, rows, meta, path="data.csv"):
    """The lines of the include file."""
    lines = ["# generated by ptb/plot/csvkeys.py from the CSV; do not edit"]
    lines.append(f"footer = {gp_string(footer_line(path, meta, rows))}")
    empty = empty_columns(header, rows)
    for c in REQUIRED + COUNTERS + ("result",):
        number = header.index(c) + 1 if c in header and c not in empty else 0
        lines.append(f"c_{c} = {number}")
    lines.append(f"empty_columns = {gp_string(' '.join(empty))}")
    cores = meta.get("cores_online") or os.cpu_count() or 1
    lines.append(f"cores = {int(cores)}")
    lines.append(f"machine = {gp_string(machine_line(meta))}")
    reps = len(ordered_unique(r["rep"] for r in rows))
    lines.append(f"reps = {reps}")
    failed = sum(1 for r in rows if r["ok"] != "1")
    lines.append(f"failed_rows = {failed}")
    workloads = describe(rows)
    lines.append(f"workloads = {gp_string(' '.join(w['name'] for w in workloads))}")
    lines.append("plottable = " + gp_string(" ".join(w["name"] for w in workloads
                                                     if w["has_data"])))
    every = ordered_unique(s["name"] for w in workloads for v in w["variants"]
                           for s in v["series"])
    lines.append(f"all_series = {gp_string(' '.join(sorted(every, key=model_rank)))}")
    for i, w in enumerate(workloads, start=1):
        lines += workload_lines(i, w)
    lines += cluster_lines(rows, workloads)
    lines += sweep_lines(workloads, SWEEP_WORKLOAD, SWEEP_KEY)
    return lines


def cluster_lines(rows, workloads):
    """clusters_COLUMN: the bar-chart clusters (workload variants, numbered
    in the order of common.gp) in which some row has a value of COLUMN."""
    filled = {c: set() for c in COUNTERS}
    for r in rows:
        if r["ok"] == "1":
            for c in COUNTERS:
                if r.get(c, "") != "":
                    filled[c].add((r["workload"], r["params"]))
    found = {c: [] for c in COUNTERS}
    number = 0
    for w in workloads:
        for v in w["variants"]:
            number += 1
            keys = {(w["name"], p) for s in v["series"] for p in s["params"]}
            for c in COUNTERS:
                if keys & filled[c]:
                    found[c].append(number)
    return [f"clusters_{c} = {gp_string(' '.join(map(str, found[c])))}" for c in COUNTERS]


def sweep_lines(workloads, workload, key):
    """The variants of `workload` ordered by the number in parameter `key`,
    one list per combination of its other parameters ("rest"):
    sweep_wl (workload index, 0 if absent), sweep_nrest, sweep_rest_R (a
    label), sweep_vars_R (variant indices), sweep_x_R (the key's values)."""
    index = next((i for i, w in enumerate(workloads, start=1)
                  if w["name"] == workload), 0)
    rests = {}
    if index:
        for j, v in enumerate(workloads[index - 1]["variants"], start=1):
            pairs = split_params(v["params"])
            value = dict(pairs).get(key, "")
            if not value.replace(".", "", 1).isdigit():
                continue
            rest = ";".join(f"{k}={x}" for k, x in pairs if k != key)
            rests.setdefault(rest, []).append((float(value), j))
    lines = [f"sweep_wl = {index if rests else 0}", f"sweep_key = {gp_string(key)}",
             f"sweep_nrest = {len(rests)}"]
    others = differing_keys(list(rests))
    for r, (rest, points) in enumerate(rests.items(), start=1):
        points.sort()
        lines.append(f"sweep_rest_{r} = {gp_string(label_of(rest, others) if others else '')}")
        lines.append(f"sweep_vars_{r} = {gp_string(' '.join(str(j) for _, j in points))}")
        lines.append(f"sweep_x_{r} = {gp_string(' '.join(f'{x:g}' for x, _ in points))}")
    return lines


def workload_lines(i, w):
    lines = [f"wl_{i} = {gp_string(w['name'])}", f"op_{i} = {gp_string(w['op'])}",
             f"nvar_{i} = {len(w['variants'])}",
             f"wcommon_{i} = {gp_string(w['common'])}",
             f"wsingle_{i} = {int(w['single'])}",
             f"metric_{i} = {gp_string(w['metric'])}",
             f"mlabel_{i} = {gp_string(w['mlabel'])}"]
    for j, v in enumerate(w["variants"], start=1):
        lines.append(f"vlabel_{i}_{j} = {gp_string(v['label'])}")
        lines.append(f"vshort_{i}_{j} = {gp_string(v['short'])}")
        lines.append(f"vparams_{i}_{j} = {gp_string(v['params'])}")
        lines.append(f"vnmax_{i}_{j} = {max(max(s['workers']) for s in v['series'])}")
        lines.append(f"vnmin_{i}_{j} = {min(min(s['workers']) for s in v['series'])}")
        lines.append(f"series_{i}_{j} = {gp_string(' '.join(s['name'] for s in v['series']))}")
        for k, s in enumerate(v["series"], start=1):
            lines.append(f"workers_{i}_{j}_{k} = {gp_string(' '.join(map(str, s['workers'])))}")
            for m, p in enumerate(s["params"], start=1):
                lines.append(f"params_{i}_{j}_{k}_{m} = {gp_string(p)}")
    return lines


def main(argv):
    if len(argv) != 3:
        print("usage: ptb/plot/csvkeys.py FILE.csv OUT.gp", file=sys.stderr)
        return 2
    try:
        header, rows = load(argv[1])
    except BadInput as e:
        print(f"plots: {e}", file=sys.stderr)
        return 2
    try:
        text = "\n".join(gnuplot_keys(header, rows, load_meta(argv[1]), argv[1])) + "\n"
    except BadInput as e:
        print(f"plots: {argv[1]}: {e}", file=sys.stderr)
        return 2
    with open(argv[2], "w") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
