#!/usr/bin/env python3
"""ptb/xcheck/fidelity.py - does the harness disturb what it measures?  (`make fidelity`)

Four checks, measured, never asserted in tests:
  1. the `cpu` loop at 1 worker runs at the speed of the same loop with no
     harness (build/refloop), alternated round by round;
  2. speed-up at workers = cores for fork and thread (ideal = cores), the
     1-worker and N-worker runs interleaved; a speed-up above the cores
     beyond the noise is flagged "the machine's speed changed";
  3. the harness's own cost per repetition with --steps 0 (runner fork,
     measurement, reap, CSV row);
  4. the driver's own max RSS with few and with many rows.
Prints a Markdown report and writes it to results/fidelity.md.

Usage: python3 -m ptb.xcheck.fidelity [--steps N] [--rounds R] [--out FILE]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

from ptb import csvio
from ptb import stats as sv

PTBENCH = os.environ.get("PTBENCH", "build/ptbench")
REFLOOP = os.environ.get("REFLOOP", "build/refloop")


def run_ptbench(tmp, name, args):
    out = os.path.join(tmp, name + ".csv")
    cmd = [PTBENCH, "run", "-q", "--no-verdicts", "--force", "-o", out] + args
    t0 = time.monotonic()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    elapsed = time.monotonic() - t0
    rows = csvio.load_rows(out, allow_empty=True)
    with open(os.path.join(tmp, name + ".meta.json")) as f:
        meta = json.load(f)
    bad = [r for r in rows if r["ok"] != "1"]
    if bad:
        sys.exit(f"fidelity: {len(bad)} rows with ok=0 in {' '.join(cmd)}")
    return rows, meta, elapsed


def medians(rows, key, by=("model", "workers")):
    groups = {}
    for r in rows:
        groups.setdefault(tuple(r[k] for k in by), []).append(float(r[key]))
    return {k: statistics.median(v) for k, v in groups.items()}


def check_loop(tmp, steps, rounds):
    ref, ours = [], {"thread": [], "fork": []}
    for _ in range(rounds):
        out = subprocess.run([REFLOOP, str(steps)], check=True, capture_output=True, text=True)
        ref.append(float(out.stdout))
        rows, _, _ = run_ptbench(tmp, "loop", ["-w", "cpu", "-m", "thread,fork", "-n", "1",
                                               "-r", "1", "--warmup", "0", "--steps", str(steps)])
        for r in rows:
            ours[r["model"]].append(float(r["ns_per_op"]))
    ref_ns = statistics.median(ref)
    lines = ["| loop | ns/step (median of %d) | ratio to standalone |" % rounds,
             "|---|---|---|",
             f"| standalone build/refloop | {ref_ns:.4f} | 1.000 |"]
    for model, v in ours.items():
        m = statistics.median(v)
        lines.append(f"| ptbench cpu, {model}, 1 worker | {m:.4f} | {m / ref_ns:.3f} |")
    return lines


def check_scaling(tmp, steps, reps):
    """Speed-up at workers = cores, the 1-worker and the N-worker runs
    interleaved (1, N, N, 1, 1, N, ...: one repetition each), so a change
    of the machine's speed falls on both sides.  A speed-up above
    min(N, cores) beyond the noise is flagged, not reported."""
    cores = os.cpu_count() or 1
    ns = {(m, n): [] for m in ("thread", "fork") for n in (1, cores)}
    for i in range(reps):
        for n in ((1, cores) if i % 2 == 0 else (cores, 1)):
            rows, _, _ = run_ptbench(tmp, "scale", ["-w", "cpu", "-m", "thread,fork", "-n", str(n),
                                                    "-r", "1", "--warmup", "0" if i else "1",
                                                    "--steps", str(steps)])
            for r in rows:
                ns[(r["model"], n)].append(float(r["ns_per_op"]))
    lines = [f"1-worker and {cores}-worker runs interleaved, {reps} of each; speed-up = "
             f"median ns/step at 1 ÷ at {cores}, with its bootstrap 95% CI.", "",
             f"| model | ns/step at 1 | ns/step at {cores} | speed-up (ideal {cores}) |",
             "|---|---|---|---|"]
    for model in ("thread", "fork"):
        one, many = ns[(model, 1)], ns[(model, cores)]
        speed = statistics.median(one) / statistics.median(many)
        noise = sv.beyond_physics(speed, cores, one, many)
        if noise is not None:
            shown = (f"⚠ {sv.MACHINE_CHANGED}: {speed:.2f} is above {cores} cores "
                     f"beyond the noise ±{noise:.0%}; not a result")
        else:
            ci = sv.fmt_ci(sv.ratio_ci(one, many))
            shown = f"{speed:.2f}" + (f" ({ci})" if ci else "")
        lines.append(f"| {model} | {statistics.median(one):.4f} | {statistics.median(many):.4f} "
                     f"| {shown} |")
    return lines


def check_overhead(tmp, reps):
    rows, _, elapsed = run_ptbench(tmp, "overhead", ["-w", "cpu", "-m", "thread,fork,threadpool,procpool", "-n", "1",
                                                     "-r", str(reps), "--warmup", "2",
                                                     "--steps", "0"])
    outer = medians(rows, "outer_wall_ns", by=("model",))
    inner = medians(rows, "wall_ns", by=("model",))
    total_runs = len(rows) + 2 * len(outer)
    lines = ["| model | timed region (µs) | runner start to reap (µs) |", "|---|---|---|"]
    for (model,), v in outer.items():
        lines.append(f"| {model} | {inner[(model,)] / 1e3:.1f} | {v / 1e3:.1f} |")
    lines.append(f"\nWhole invocation: {elapsed * 1e3:.0f} ms for {total_runs} repetitions "
                 f"= {elapsed * 1e6 / total_runs:.0f} µs per repetition, "
                 "including process start-up, CSV rows and meta.")
    return lines


def check_driver_rss(tmp):
    lines = ["| rows written | driver max RSS (KiB) |", "|---|---|"]
    for reps in (5, 5000):
        _, meta, _ = run_ptbench(tmp, f"rss{reps}", ["-w", "cpu", "-m", "thread", "-n", "1",
                                                     "-r", str(reps), "--warmup", "0",
                                                     "--steps", "0"])
        lines.append(f"| {meta['rows']} | {meta['driver_maxrss_kb']} |")
    return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=10**9)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--out", default="results/fidelity.md")
    a = ap.parse_args()
    if a.steps < 1 or a.rounds < 1:
        print("fidelity: --steps and --rounds must be at least 1", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="fidelity-") as tmp:
        report = ["# Harness fidelity", "",
                  f"Measured with `ptb/xcheck/fidelity.py --steps {a.steps} --rounds {a.rounds}` "
                  f"on {os.cpu_count()} cores.", "",
                  "## 1. The cpu loop against the same loop with no harness", ""]
        report += check_loop(tmp, a.steps, a.rounds)
        report += ["", "## 2. Scaling at workers = cores", ""]
        report += check_scaling(tmp, a.steps, a.rounds)
        report += ["", "## 3. The harness's own cost per repetition (--steps 0)", ""]
        report += check_overhead(tmp, 50)
        report += ["", "## 4. The driver's own memory", ""]
        report += check_driver_rss(tmp)
    text = "\n".join(report) + "\n"
    print(text)
    with open(a.out + ".tmp", "w") as f:
        f.write(text)
    os.replace(a.out + ".tmp", a.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
