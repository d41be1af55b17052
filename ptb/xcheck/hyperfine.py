#!/usr/bin/env python3
"""hyperfine.py - hyperfine's times of whole `ptbench run` commands
against the wall times ptbench recorded for the very same runs.

Usage: python3 -m ptb.xcheck.hyperfine --rows-dir DIR [--warmup K] HF.json
                                    [--warmup K HF.json ...]

Each HF.json is hyperfine's --export-json; --warmup K (default 0) applies
to the files after it and says how many warm-up runs hyperfine made.  For
each command NAME, DIR/NAME.csv.rows holds the CSV rows ptbench wrote in
every run of it, in order, warm-ups first (scripts/hyperfine.sh collects
them); each run is one repetition of one model, so run i of hyperfine and
row K+i are the same process.

Printed per command (Markdown):
  hyperfine     mean ± standard deviation of the whole command, ms
  wall          mean of ptbench's wall_ns (the timed region), ms
  outer         mean of ptbench's outer_wall_ns (the runner's life), ms
  hf/wall       the ratio of the means
  overhead      hyperfine − wall: what ptbench costs around the region
                (process start, driver, meta, runner fork, setup, exit),
                the median of the per-run differences, ms
  start-up      hyperfine − outer: the driver alone (exec, parsing, meta
                file, exit), median of per-run differences, ms
and, per file, the ranking of the commands by hyperfine's mean and by
ptbench's wall (the empty workload left out), and whether they agree.
Bad input: one line on stderr, exit 2.
"""
import json
import math
import os
import statistics
import sys

from ptb import csvio


class BadInput(Exception):
    """Input that is not what the script accepts: exit status 2."""


def parse_args(argv):
    rows_dir, warmup, files = None, 0, []
    i = 1
    while i < len(argv):
        a = argv[i]
        if a in ("--rows-dir", "--warmup"):
            if i + 1 >= len(argv):
                raise BadInput(f"option '{a}' needs a value")
            v = argv[i + 1]
            if a == "--rows-dir":
                rows_dir = v
            elif v.isdigit():
                warmup = int(v)
            else:
                raise BadInput(f"--warmup: '{v}' is not a whole number")
            i += 2
        elif a.startswith("-"):
            raise BadInput(f"unknown option '{a}' (allowed: --rows-dir DIR, --warmup K, HF.json)")
        else:
            files.append((a, warmup))
            i += 1
    if not rows_dir or not files:
        raise BadInput("usage: ptb/xcheck/hyperfine.py --rows-dir DIR [--warmup K] HF.json ...")
    if not os.path.isdir(rows_dir):
        raise BadInput(f"--rows-dir: '{rows_dir}' is not a directory")
    return rows_dir, files


def load_hyperfine(path):
    try:
        with open(path) as f:
            doc = json.load(f)
    except OSError as e:
        raise BadInput(f"{path}: {e.strerror}")
    except json.JSONDecodeError as e:
        raise BadInput(f"{path}: not JSON ({e.msg}); allowed: hyperfine --export-json")
    results = doc.get("results") if isinstance(doc, dict) else None
    if not isinstance(results, list) or not results or \
            any(not isinstance(r.get("times"), list) or "command" not in r for r in results):
        raise BadInput(f"{path}: no results with times (allowed: hyperfine --export-json)")
    return results


def load_rows(rows_dir, name, warmup, nruns):
    path = os.path.join(rows_dir, f"{name}.csv.rows")
    try:
        rows = csvio.load_rows(path, need=("wall_ns", "outer_wall_ns", "ok"), allow_empty=True)
    except csvio.BadInput as e:
        raise BadInput(f"{e} (the rows of command '{name}')") from e
    if len(rows) != warmup + nruns:
        raise BadInput(f"{path}: {len(rows)} rows, expected {warmup} warm-up + {nruns} runs "
                       "(one model, one repetition per run)")
    rows = rows[warmup:]
    bad = [r for r in rows if r["ok"] != "1" or not r["wall_ns"] or not r["outer_wall_ns"]]
    if bad:
        raise BadInput(f"{path}: {len(bad)} runs without ok=1 and both walls: {bad[0].get('error')}")
    return [int(r["wall_ns"]) / 1e6 for r in rows], [int(r["outer_wall_ns"]) / 1e6 for r in rows]


def paired_median(a, b):
    return statistics.median(x - y for x, y in zip(a, b))


def fmt(v, digits=4):
    """v with about `digits` significant digits, never in exponent form."""
    if v == 0 or not math.isfinite(v):
        return "%g" % v
    decimals = max(0, digits - 1 - int(math.floor(math.log10(abs(v)))))
    return "%.*f" % (decimals, v)


def compare_file(path, warmup, rows_dir):
    results = load_hyperfine(path)
    head = ["command", "runs", "hyperfine ms", "wall ms", "outer ms", "hf/wall",
            "overhead ms", "start-up ms"]
    lines = [f"### {os.path.basename(path)}", "",
             "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    ranked = []
    for r in results:
        times_ms = [t * 1e3 for t in r["times"]]
        wall, outer = load_rows(rows_dir, r["command"], warmup, len(times_ms))
        hf_mean, wall_mean = statistics.fmean(times_ms), statistics.fmean(wall)
        sd = statistics.stdev(times_ms) if len(times_ms) > 1 else 0.0
        ratio = fmt(hf_mean / wall_mean, 3) if wall_mean >= 0.01 else "—"
        lines.append("| " + " | ".join([
            r["command"], str(len(times_ms)), f"{fmt(hf_mean)} ± {fmt(sd, 2)}", fmt(wall_mean),
            fmt(statistics.fmean(outer)), ratio, fmt(paired_median(times_ms, wall), 3),
            fmt(paired_median(times_ms, outer), 3)]) + " |")
        if r["command"] != "empty":
            ranked.append((r["command"], hf_mean, wall_mean, sd))
    lines.append("")
    if len(ranked) > 1:
        lines += ranking(ranked)
    return lines


def ranking(ranked):
    """Both rankings, and the pairs they order differently: within noise
    when hyperfine's means differ by less than the larger of their
    standard deviations."""
    by_hf = sorted(ranked, key=lambda x: x[1])
    by_wall = [c for c, _, _, _ in sorted(ranked, key=lambda x: x[2])]
    fastest = by_hf[0][1]
    lines = ["ranking by hyperfine: " + " < ".join(c for c, _, _, _ in by_hf) + "  (" +
             ", ".join(f"{c} {fmt(h / fastest, 3)}x" for c, h, _, _ in by_hf) + ")",
             "ranking by ptbench wall: " + " < ".join(by_wall)]
    swapped, noisy = [], True
    for i, a in enumerate(ranked):
        for b in ranked[i + 1:]:
            if (a[1] < b[1]) != (a[2] < b[2]):
                diff = abs(a[1] - b[1])
                within = diff < max(a[3], b[3])
                noisy &= within
                swapped.append(f"{a[0]}/{b[0]} (hyperfine means {fmt(100 * diff / min(a[1], b[1]), 2)}% "
                               f"apart, {'within' if within else 'beyond'} their spread)")
    if not swapped:
        lines.append("same ranking: yes")
    else:
        lines.append(("same ranking: yes, but for pairs within noise: " if noisy else
                      "same ranking: no: ") + "; ".join(swapped))
    lines.append("")
    return lines


def main(argv):
    try:
        rows_dir, files = parse_args(argv)
        out = []
        for path, warmup in files:
            out += compare_file(path, warmup, rows_dir)
    except BadInput as e:
        print(f"hyperfine_compare: {e}", file=sys.stderr)
        return 2
    out.append("hyperfine ms: mean ± sd of the whole command; wall, outer: means of what "
               "ptbench recorded for the same runs; overhead = hyperfine − wall and "
               "start-up = hyperfine − outer, medians of per-run differences.")
    sys.stdout.write("\n".join(out) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
