#!/usr/bin/env python3
"""gbench.py - google-benchmark's ns/op against ptbench's own.

Usage:
  python3 -m ptb.xcheck.gbench [--ptbench BIN] [--reps N] [--save-csv FILE]
                            [--markdown FILE] GBENCH.csv
  ptb/xcheck/gbench.py --ptbench-csv PTBENCH.csv [--markdown FILE] GBENCH.csv

GBENCH.csv is the output of ptb/xcheck/gbench_csv.py.  Without
--ptbench-csv, the script runs BIN (default build/ptbench) on the same
configurations: one `ptbench run` per workload, with the workers, models and
option values found in GBENCH.csv, N repetitions (default 5) after one
warm-up, into a temporary directory that is removed on exit (or keeps that
CSV in --save-csv).

For each (workload, model, workers, params) it prints the median ns/op of
each side over its repetitions, their spread (relative standard deviation
over repetitions) and the ratio gbench / ptbench of the medians, with its
bootstrap 95% CI, the Mann-Whitney p and Cliff's delta
(ptb/stats.py).  A ratio off 1 by more
than 10% is flagged with "!": read doc/methodology.md ("How far to trust the
figures") for the usual reasons.  Bad input: one line on stderr, exit 2.
"""
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

from ptb import csvio
from ptb import stats as sv

SOURCE_PARAM = "source=gbench"
POOL_PARAMS = ("tasks", "submit")
FLAG_OFF = 0.10


BadInput = csvio.BadInput


def read_rows(path, what):
    try:
        return csvio.load_rows(path)
    except BadInput as e:
        raise BadInput(f"{what} {e}") from e


def strip_source(params):
    return ";".join(p for p in params.split(";") if p and p != SOURCE_PARAM)


def key_of(row):
    return (row["workload"], row["model"], int(row["workers"]), strip_source(row["params"]))


def figures_by_key(rows):
    """(workload, model, workers, params) -> {"nspo": [ns/op of each ok
    repetition], "minflt": [its page faults, where measured]}."""
    out = {}
    for r in rows:
        f = out.setdefault(key_of(r), {"nspo": [], "minflt": []})
        if r["ok"] == "1" and csvio.num(r, "ns_per_op") is not None:
            f["nspo"].append(csvio.num(r, "ns_per_op"))
            if csvio.num(r, "minflt") is not None:
                f["minflt"].append(csvio.num(r, "minflt"))
    return out


def ptbench_commands(gb_keys, bin_path, reps, tmpdir):
    """One `ptbench run` per workload covering every configuration of it."""
    plans = {}
    for wl, model, workers, params in gb_keys:
        p = plans.setdefault(wl, {"models": [], "workers": [], "opts": {}})
        if model not in p["models"]:
            p["models"].append(model)
        if workers not in p["workers"]:
            p["workers"].append(workers)
        for kv in params.split(";"):
            name, _, value = kv.partition("=")
            if not name or name in POOL_PARAMS:
                continue
            vals = p["opts"].setdefault(name, [])
            if value not in vals:
                vals.append(value)
    cmds = []
    for wl, p in plans.items():
        out = os.path.join(tmpdir, f"{wl}.csv")
        cmd = [bin_path, "run", "-w", wl, "-m", ",".join(p["models"]),
               "-n", ",".join(str(n) for n in sorted(p["workers"])),
               "-r", str(reps), "--warmup", "1", "-q", "--no-verdicts", "-o", out, "--force"]
        for name, vals in p["opts"].items():
            cmd += [f"--{name}", ",".join(vals)]
        cmds.append((cmd, out))
    return cmds


def run_ptbench(gb_keys, bin_path, reps, save_csv):
    tmpdir = tempfile.mkdtemp(prefix="gbench-compare-")
    try:
        rows = []
        for cmd, out in ptbench_commands(gb_keys, bin_path, reps, tmpdir):
            print("gbench_compare: " + " ".join(cmd), file=sys.stderr)
            done = subprocess.run(cmd, stdout=subprocess.DEVNULL)
            if done.returncode == 2:
                # a named model refused one option value (create --exec yes
                # in threads): -m all skips exactly such pairs, as the shim did
                cmd[cmd.index("-m") + 1] = "all"
                print("gbench_compare: again with -m all: " + " ".join(cmd), file=sys.stderr)
                done = subprocess.run(cmd, stdout=subprocess.DEVNULL)
            if done.returncode != 0:
                raise RuntimeError(f"{bin_path} exited with status {done.returncode}")
            rows += csvio.load_rows(out, allow_empty=True)
        if save_csv:
            csvio.write(save_csv, rows[0].keys(), rows)
        return rows
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)


def spread_pct(values):
    if len(values) < 2:
        return ""
    mean = statistics.fmean(values)
    return "%.1f%%" % (100.0 * statistics.stdev(values) / mean) if mean > 0 else ""


def fmt_ns(v, digits=4):
    """v with about `digits` significant digits, never in exponent form."""
    if v == 0 or not math.isfinite(v):
        return "%g" % v
    return "%.*f" % (max(0, digits - 1 - int(math.floor(math.log10(abs(v))))), v)


def fmt_count(values):
    """The median of counts: whole above 10, one decimal below (means)."""
    if not values:
        return ""
    m = statistics.median(values)
    return "%.0f" % m if m >= 10 else "%.1f" % m


def median_or(values, missing="no ok row"):
    return fmt_ns(statistics.median(values)) if values else missing


def short_params(params):
    """Leave out what the workload and model columns already say."""
    return ";".join(kv for kv in params.split(";") if kv.partition("=")[0] not in POOL_PARAMS)


def table(gb, pt):
    """The comparison table; also the ratios, for the summary."""
    head = ["workload", "model", "n", "params", "gbench ns/op", "±", "ptbench ns/op", "±",
            "gbench/ptbench", "95% CI", "p", "Cliff's δ", "minflt gbench", "minflt ptbench"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    ratios = {}
    missing = 0
    empty = {"nspo": [], "minflt": []}
    for k in sorted(gb, key=lambda k: (k[0], k[3], k[2], k[1])):
        wl, model, workers, params = k
        g, p = gb[k], pt.get(k, empty)
        cells = [wl, model, str(workers), short_params(params),
                 median_or(g["nspo"]), spread_pct(g["nspo"]),
                 median_or(p["nspo"]), spread_pct(p["nspo"])]
        if not g["nspo"] or not p["nspo"]:
            missing += 1
            cells += ["", "", "", ""]
        else:
            ratio = statistics.median(g["nspo"]) / statistics.median(p["nspo"])
            ratios[k] = ratio
            cells.append("%.3f%s" % (ratio, " !" if abs(ratio - 1.0) > FLAG_OFF else ""))
            res = sv.compare(g["nspo"], p["nspo"])
            cells += [sv.fmt_ci(res["ci"]).replace("95% CI ", ""),
                      "" if res["p"] is None else f"{res['p']:.2g}",
                      "" if res["delta"] is None else f"{res['delta']:+.2f}"]
        cells += [fmt_count(g["minflt"]), fmt_count(p["minflt"])]
        lines.append("| " + " | ".join(cells) + " |")
    return lines, ratios, missing


def summary(ratios):
    """Geometric means of the ratios per model and per workload."""
    lines = []
    for title, index in (("model", 1), ("workload", 0)):
        groups = {}
        for k, r in ratios.items():
            groups.setdefault(k[index], []).append(r)
        lines.append(f"| {title} | configurations | gbench/ptbench (geometric mean) | range |")
        lines.append("|---|---|---|---|")
        for name in sorted(groups):
            v = groups[name]
            lines.append(f"| {name} | {len(v)} | {statistics.geometric_mean(v):.3f} | "
                         f"{min(v):.2f} .. {max(v):.2f} |")
        lines.append("")
    return lines


def parse_args(argv):
    opts = {"ptbench": "build/ptbench", "reps": 5, "ptbench_csv": None, "markdown": None,
            "save_csv": None, "gbench_csv": None}
    i = 1
    while i < len(argv):
        a = argv[i]
        name = a[2:].replace("-", "_") if a.startswith("--") else None
        if name in opts and name != "gbench_csv":
            if i + 1 >= len(argv):
                raise BadInput(f"option '{a}' needs a value")
            opts[name] = argv[i + 1]
            i += 2
            continue
        if a.startswith("-") or opts["gbench_csv"]:
            raise BadInput(f"unexpected argument '{a}' (allowed: --ptbench BIN, --reps N, "
                           "--ptbench-csv FILE, --save-csv FILE, --markdown FILE, GBENCH.csv)")
        opts["gbench_csv"] = a
        i += 1
    if not opts["gbench_csv"]:
        raise BadInput("usage: ptb/xcheck/gbench.py [options] GBENCH.csv")
    try:
        opts["reps"] = int(opts["reps"])
        if not 1 <= opts["reps"] <= 1000:
            raise ValueError
    except ValueError:
        raise BadInput(f"--reps: '{opts['reps']}' is not a whole number from 1 to 1000")
    if not opts["ptbench_csv"] and not os.access(opts["ptbench"], os.X_OK):
        raise BadInput(f"--ptbench: '{opts['ptbench']}' is not an executable (build it with make)")
    return opts


def main(argv):
    try:
        opts = parse_args(argv)
        gb_rows = read_rows(opts["gbench_csv"], "gbench CSV")
        if not any(SOURCE_PARAM in r["params"].split(";") for r in gb_rows):
            raise BadInput(f"gbench CSV {opts['gbench_csv']}: no row with {SOURCE_PARAM} "
                           "(allowed: output of ptb/xcheck/gbench_csv.py)")
        gb_rows = [r for r in gb_rows if SOURCE_PARAM in r["params"].split(";")]
        gb = figures_by_key(gb_rows)
        if opts["ptbench_csv"]:
            pt_rows = read_rows(opts["ptbench_csv"], "ptbench CSV")
    except BadInput as e:
        print(f"gbench_compare: {e}", file=sys.stderr)
        return 2
    if not opts["ptbench_csv"]:
        try:
            pt_rows = run_ptbench(list(gb), opts["ptbench"], opts["reps"], opts["save_csv"])
        except (RuntimeError, OSError) as e:
            print(f"gbench_compare: {e}", file=sys.stderr)
            return 1
    pt = figures_by_key(r for r in pt_rows if SOURCE_PARAM not in r["params"].split(";"))
    lines, ratios, missing = table(gb, pt)
    flagged = sum(1 for r in ratios.values() if abs(r - 1.0) > FLAG_OFF)
    lines.append("")
    lines.append(f"{len(gb)} configurations; {flagged} differ by more than "
                 f"{FLAG_OFF:.0%} (!); {missing} without an ok row on one side.  "
                 "ns/op: median over repetitions (google-benchmark: each repetition is "
                 "the mean of its iterations); ±: relative standard deviation over "
                 "repetitions; minflt: median page faults of the timed region per run "
                 "(gbench: per iteration).")
    lines.append("")
    lines += summary(ratios)
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    if opts["markdown"]:
        with open(opts["markdown"], "w") as f:
            f.write(text)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
