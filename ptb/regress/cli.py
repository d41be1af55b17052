#!/usr/bin/env python3
"""cli.py - `make regress` and `make baseline`: run the regression
suite, compare it with the committed baseline, write the table, the
charts and the history (stdlib only; gnuplot draws).

Usage:
  ptb/regress/cli.py run [options]        run the suite, compare with the baseline;
                                  on a failure candidate, re-run the suite
                                  once to confirm; write OUT/regress.md,
                                  OUT/plots/regress.{svg,png}, append to
                                  OUT/history.csv, draw OUT/plots/history.png,
                                  write WORK/benchmark.json; print the table
                                  on stdout
  ptb/regress/cli.py baseline [options]   run the suite and write it as the
                                  baseline (only when every row is ok)
  ptb/regress/cli.py compare BASE.csv CUR.csv [--rerun RERUN.csv] [--md FILE]
                     [--history FILE] [--plot-dir DIR]
                                  compare two existing ptbench CSVs (no
                                  run); without --rerun a failure candidate
                                  counts as confirmed
                     [--bench-json FILE]
  ptb/regress/cli.py history [--history FILE] [--baseline PATH] [--plot-dir DIR]
                                  draw only the history chart, DIR/history.png
                                  [OUT/plots], from FILE [OUT/history.csv]:
                                  no run (make regress-history)
Options:
  --build-dir DIR    where the driver is: DIR/ptbench [build] (a directory,
                     not the driver's path, so that scripts/leftovers.sh,
                     which looks for processes named like build/ptbench,
                     does not find this script's own command line)
  --baseline PATH    the baseline CSV [results/baseline.csv]
  --out-dir DIR      where regress.md, history.csv, plots/ go [results]
  --work-dir DIR     the suite's CSVs and the charts' data [build/regress]
  --reps N           repetitions per configuration (>= 7) [suite's REPS]
  --fail-on KINDS    primary (default) or all: which metrics may fail CI
  --no-leftovers     skip scripts/leftovers.sh (development on a shared box)
  --no-plots         write no charts
  --note TEXT        baseline: why it was regenerated, and on what machine
                     (kept as baseline_note in the meta, shown in the table)
  --bench-json FILE  this run's metrics in github-action-benchmark's
                     customSmallerIsBetter JSON (ptb/regress/series.py)
                     [run: WORK/benchmark.json]
  --series DATA.js   run: the history is github-action-benchmark's persisted
                     series (its data.js from the gh-pages branch) plus this
                     run, written to WORK/history.csv and drawn; OUT/history.csv
                     is then left alone (CI: doc/ci.md)

Exit status (see ptb/regress/compare.py for the statistics):
  0  no correctness problem, no confirmed regression (changes are reported)
  1  correctness: a row whose ok is not 1, something left behind
     (scripts/leftovers.sh), ptbench or gnuplot could not run
  2  bad input: one line on stderr, nothing written
  3  regression: a metric of a failing kind is more than 2x worse than the
     baseline (significantly) in this run and again in the immediate re-run
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import time

from ptb import paths
from ptb import stats as sv
from ptb.regress import compare as rc
from ptb.regress import metrics as rm
from ptb.regress import render as rr
from ptb.regress import series as rser
from ptb.regress import suite as rs

from ptb.plot import csvkeys

MIN_REPS = 7


def say(msg):
    print(f"regress: {msg}", file=sys.stderr, flush=True)


def bad(msg):
    print(f"regress: {msg}", file=sys.stderr)
    sys.exit(rc.EXIT_BAD_INPUT)


class OneLineParser(argparse.ArgumentParser):
    def error(self, message):
        bad(f"{message} (see ptb/regress/cli.py --help)")


def parse_args(argv):
    ap = OneLineParser(prog="ptb/regress/cli.py", description="the regression suite of ptbench",
                       formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("command", choices=("run", "baseline", "compare", "history"))
    ap.add_argument("csvs", nargs="*", help="compare: BASE.csv CUR.csv")
    ap.add_argument("--build-dir", default="build")
    ap.add_argument("--baseline", default="results/baseline.csv")
    ap.add_argument("--out-dir", default="results")
    ap.add_argument("--work-dir", default="build/regress")
    ap.add_argument("--reps", default=str(rs.REPS))
    ap.add_argument("--fail-on", default="primary")
    ap.add_argument("--rerun")
    ap.add_argument("--md")
    ap.add_argument("--history")
    ap.add_argument("--plot-dir")
    ap.add_argument("--no-leftovers", action="store_true")
    ap.add_argument("--no-plots", action="store_true")
    ap.add_argument("--note", default="")
    ap.add_argument("--bench-json")
    ap.add_argument("--series")
    args = ap.parse_args(argv)
    check_args(args)
    return args


def check_args(args):
    if args.fail_on not in ("primary", "all"):
        bad(f"--fail-on: '{args.fail_on}' (allowed: primary, all)")
    args.fail_kinds = (rm.PRIMARY,) if args.fail_on == "primary" else (rm.PRIMARY, rm.SECONDARY)
    if not args.reps.isdigit() or int(args.reps) < MIN_REPS:
        bad(f"--reps: '{args.reps}' (allowed: a whole number >= {MIN_REPS})")
    args.reps = int(args.reps)
    if args.bench_json and not os.path.isdir(os.path.dirname(args.bench_json) or "."):
        bad(f"--bench-json: the directory of '{args.bench_json}' does not exist")
    if args.series and args.command != "run":
        bad(f"--series: only for run, not {args.command}")
    if args.command == "history":
        if args.csvs:
            bad(f"history takes no file arguments, got '{args.csvs[0]}'")
        args.history = args.history or os.path.join(args.out_dir, "history.csv")
        if not os.path.isfile(args.history):
            bad(f"--history: '{args.history}' does not exist (allowed: a history.csv that "
                "make regress wrote)")
        return
    if args.command == "compare":
        if len(args.csvs) != 2:
            bad("compare needs exactly two CSVs: BASE.csv CUR.csv")
        for opt in ("md", "history"):
            where = os.path.dirname(getattr(args, opt) or "") or "."
            if getattr(args, opt) and not os.path.isdir(where):
                bad(f"--{opt}: the directory '{where}' does not exist")
        return
    if args.csvs:
        bad(f"{args.command} takes no file arguments, got '{args.csvs[0]}'")
    args.ptbench = os.path.join(args.build_dir, "ptbench")
    if not (os.path.isfile(args.ptbench) and os.access(args.ptbench, os.X_OK)):
        bad(f"--build-dir: '{args.build_dir}' holds no executable ptbench (allowed: a build "
            "directory where make built ptbench)")
    if args.command == "run":
        if not os.path.isfile(args.baseline):
            bad(f"--baseline: '{args.baseline}' does not exist (allowed: a baseline CSV; "
                "make baseline writes one)")
        if not os.path.isdir(args.out_dir):
            bad(f"--out-dir: '{args.out_dir}' is not a directory (allowed: an existing directory)")
    elif not os.path.isdir(os.path.dirname(args.baseline) or "."):
        bad(f"--baseline: the directory of '{args.baseline}' does not exist")


def load_metrics(path, what):
    """(rows, metrics, meta) of a ptbench CSV; bad input exits 2."""
    try:
        _, rows = rm.load(path)
    except rm.BadInput as e:
        bad(f"{what}: {e}")
    return rows, rm.metrics(rows), csvkeys.load_meta(path)


def check_history(path):
    if path and os.path.exists(path) and os.path.getsize(path) > 0:
        with open(path, newline="") as f:
            first = f.readline().strip()
        if first not in (",".join(h) for h in rr.HISTORY_HEADERS):
            bad(f"--history: '{path}' is not a regress history (header must be "
                f"{','.join(rr.HISTORY_HEADER)})")


# ---- running -------------------------------------------------------------------

def run_suite(args, name):
    os.makedirs(args.work_dir, exist_ok=True)
    path = os.path.join(args.work_dir, name)
    try:
        skipped = rs.run(args.ptbench, path, say, reps=args.reps)
    except rs.SuiteError as e:
        say(str(e))
        sys.exit(rc.EXIT_CORRECTNESS)
    return path, skipped


def leftovers(args):
    """None when nothing was left behind, else what leftovers.sh said."""
    if args.no_leftovers:
        return None
    proc = subprocess.run([os.path.join(paths.TOOLS, "leftovers.sh")], capture_output=True, text=True)
    if proc.returncode == 0:
        return None
    return (proc.stderr + proc.stdout).strip() or f"leftovers.sh exited {proc.returncode}"


def suite_notes(base_meta, cur_meta, skipped):
    notes = []
    bv = (base_meta.get("suite") or {}).get("version")
    cv = (cur_meta.get("suite") or {}).get("version")
    if bv != cv:
        notes.append(f"The baseline was made by suite version {bv}, this run by {cv}: "
                     "metrics may not correspond; run `make baseline`.")
    if base_meta.get("cpu_model") and base_meta.get("cpu_model") != cur_meta.get("cpu_model"):
        notes.append(f"Another CPU than the baseline's ({base_meta.get('cpu_model')}): "
                     "compare the primary (dimensionless) metrics only.")
    for item, why in skipped:
        notes.append(f"Suite item {item} not run: {why}.")
    return notes


# ---- outputs ---------------------------------------------------------------------

def gnuplot(script, variables, work_dir):
    assigns = "; ".join(f"{k}='{v}'" for k, v in variables.items())
    proc = subprocess.run(["gnuplot", "-e", assigns, os.path.join(paths.PLOT, script)],
                          capture_output=True, text=True, cwd=os.getcwd())
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["no message"])[-3:]
        say(f"gnuplot {script} failed: {' / '.join(last)}")
        return False
    return True


def draw(rows, ctx, base_metrics, cur_metrics, cur_csv, plot_dir, work_dir, history):
    """regress.{svg,png} and, when history is given, history.png."""
    os.makedirs(plot_dir, exist_ok=True)
    os.makedirs(work_dir, exist_ok=True)
    header, crow = csvkeys.load(cur_csv)
    keys = os.path.join(work_dir, "keys.gp")
    with open(keys, "w") as f:
        f.write("\n".join(csvkeys.gnuplot_keys(header, crow, csvkeys.load_meta(cur_csv))) + "\n")
    rdata, rkeys = os.path.join(work_dir, "regress_data.csv"), os.path.join(work_dir, "regress_keys.gp")
    rr.write_chart_data(rows, base_metrics, cur_metrics, rdata)
    rr.write_chart_keys(rows, ctx, rkeys)
    common = {"csv": cur_csv, "keys": keys, "plotdir": paths.PLOT}
    ok = gnuplot("regress.gp", dict(common, out=os.path.join(plot_dir, "regress"),
                                    rdata=rdata, rkeys=rkeys), work_dir)
    if history:
        fallback = {r.name: r.base["median"] for r in rows if r.base}
        ok = draw_history(history, fallback, rr.baseline_id(ctx.get("base_meta")),
                          {r.name: r.model for r in rows}, plot_dir, work_dir) and ok
    return ok


def draw_history(history, fallback, fallback_id, models, plot_dir, work_dir):
    """history.png: every primary metric of history.csv over the runs,
    divided by its baseline (render.write_history_panels)."""
    os.makedirs(plot_dir, exist_ok=True)
    os.makedirs(work_dir, exist_ok=True)
    hkeys, hdata = os.path.join(work_dir, "history_keys.gp"), os.path.join(work_dir, "history.dat")
    rr.write_history_panels(history, fallback, fallback_id, models, hdata, hkeys)
    return gnuplot("history.gp", {"out": os.path.join(plot_dir, "history"), "plotdir": paths.PLOT,
                                  "hkeys": hkeys, "formats": "png"}, work_dir)


def finish(args, rows, ctx, base_metrics, cur_metrics, cur_csv, md_path, history, plot_dir):
    """Write the table (and history, charts, benchmark JSON), print it,
    return the exit status."""
    text = rr.markdown(rows, ctx)
    if md_path:
        rr.write_text(md_path, text + "\n")
    if args.bench_json:
        rser.write(args.bench_json, rows, ctx)
    if history:
        meta = ctx.get("cur_meta") or {}
        date = meta.get("started") or time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        commit = meta.get("git_commit") or "unknown"
        rr.append_history(history, rr.history_rows(rows, commit, date, rs.SUITE_VERSION,
                                                   rr.baseline_id(ctx.get("base_meta"))))
    status = ctx["status"]
    if plot_dir and not args.no_plots:
        drawn = draw(rows, ctx, base_metrics, cur_metrics, cur_csv, plot_dir, args.work_dir, history)
        if not drawn and status == rc.EXIT_OK:
            status = rc.EXIT_CORRECTNESS
    print(text)
    return status


def cmd_compare(args):
    base_csv, cur_csv = args.csvs
    _, base_m, base_meta = load_metrics(base_csv, "baseline")
    cur_rows, cur_m, cur_meta = load_metrics(cur_csv, "current")
    rerun_m = load_metrics(args.rerun, "re-run")[1] if args.rerun else None
    check_history(args.history)
    rows = rc.compare(base_m, cur_m, args.fail_kinds)
    if rerun_m is not None:
        rc.confirm(rows, base_m, rerun_m, args.fail_kinds)
    else:
        rc.confirm_without_rerun(rows)
    failed = rm.failed_rows(cur_rows)
    ctx = {"base_meta": base_meta, "cur_meta": cur_meta, "failed_rows": failed,
           "rerun": True if rerun_m is not None else None, "fail_kinds": args.fail_kinds,
           "notes": suite_notes(base_meta, cur_meta, []),
           "status": rc.exit_status(rows, failed)}
    return finish(args, rows, ctx, base_m, cur_m, cur_csv, args.md, args.history, args.plot_dir)


def series_history(args):
    """WORK/history.csv holding the persisted series (--series), to which
    this run is appended; bad input when the series is not readable."""
    try:
        rows = rser.read_history(args.series)
    except rser.BadSeries as e:
        bad(f"--series: {e}")
    os.makedirs(args.work_dir, exist_ok=True)
    path = os.path.join(args.work_dir, "history.csv")
    if os.path.exists(path):
        os.remove(path)
    rr.append_history(path, rows)
    runs = len({(r[0], r[1]) for r in rows})
    args.series_note = (f"History chart: the {runs} runs of the persisted series "
                        f"({os.path.basename(args.series)}) plus this one.")
    say(f"history: {runs} runs from the persisted series {args.series}, plus this run")
    return path


def cmd_history(args):
    """Draw history.png from an existing history.csv; the baseline, when
    there is one, stands in for rows written without their baseline."""
    check_history(args.history)
    fallback, ident = {}, ""
    if os.path.isfile(args.baseline):
        _, base_m, base_meta = load_metrics(args.baseline, "baseline")
        fallback = {m.name: sv.describe(m.values)["median"] for m in base_m}
        ident = rr.baseline_id(base_meta)
    plot_dir = args.plot_dir or os.path.join(args.out_dir, "plots")
    if not draw_history(args.history, fallback, ident, {}, plot_dir, args.work_dir):
        return rc.EXIT_CORRECTNESS
    say(f"drew {os.path.join(plot_dir, 'history.png')} from {args.history}")
    return rc.EXIT_OK


def cmd_run(args):
    _, base_m, base_meta = load_metrics(args.baseline, "baseline")
    if args.bench_json is None:
        args.bench_json = os.path.join(args.work_dir, "benchmark.json")
    if args.series:
        history = series_history(args)
    else:
        history = os.path.join(args.out_dir, "history.csv")
    check_history(history)
    cur_csv, skipped = run_suite(args, "current.csv")
    left = leftovers(args)
    cur_rows, cur_m, cur_meta = load_metrics(cur_csv, "current")
    failed = rm.failed_rows(cur_rows)
    rows = rc.compare(base_m, cur_m, args.fail_kinds)
    rerun = any(r.candidate for r in rows)
    if rerun:
        say("a metric is more than %gx worse: re-running the suite to confirm" % rc.FAIL_FACTOR)
        rerun_csv, _ = run_suite(args, "rerun.csv")
        rerun_rows, rerun_m, _ = load_metrics(rerun_csv, "re-run")
        failed += [f"(re-run) {t}" for t in rm.failed_rows(rerun_rows)]
        rc.confirm(rows, base_m, rerun_m, args.fail_kinds)
        left = left or leftovers(args)
    ctx = {"base_meta": base_meta, "cur_meta": cur_meta, "failed_rows": failed,
           "leftovers": left, "skipped": skipped, "rerun": rerun, "fail_kinds": args.fail_kinds,
           "notes": suite_notes(base_meta, cur_meta, skipped)
           + ([args.series_note] if args.series else []),
           "status": rc.exit_status(rows, failed, left is None)}
    return finish(args, rows, ctx, base_m, cur_m, cur_csv, os.path.join(args.out_dir, "regress.md"),
                  history, os.path.join(args.out_dir, "plots"))


def cmd_baseline(args):
    cur_csv, skipped = run_suite(args, "baseline-candidate.csv")
    left = leftovers(args)
    rows, metrics, _ = load_metrics(cur_csv, "new baseline")
    failed = rm.failed_rows(rows)
    if failed or left:
        for t in failed:
            say(f"not ok: {t}")
        if left:
            say(left)
        say(f"baseline NOT written: the suite's run was not clean (kept in {cur_csv})")
        return rc.EXIT_CORRECTNESS
    base = args.baseline[:-4] if args.baseline.endswith(".csv") else args.baseline
    meta = csvkeys.load_meta(cur_csv)
    meta["csv"] = os.path.basename(args.baseline)
    if args.note:
        meta["baseline_note"] = args.note
    shutil.copyfile(cur_csv, args.baseline + ".tmp")
    with open(base + ".meta.json.tmp", "w") as f:
        json.dump(meta, f, indent=2)
        f.write("\n")
    os.replace(args.baseline + ".tmp", args.baseline)
    os.replace(base + ".meta.json.tmp", base + ".meta.json")
    say(f"baseline written: {args.baseline} ({len(rows)} rows, {len(metrics)} metrics"
        + (f"; not run: {', '.join(i for i, _ in skipped)}" if skipped else "") + ")")
    return rc.EXIT_OK


def main(argv):
    args = parse_args(argv)
    return {"run": cmd_run, "baseline": cmd_baseline, "compare": cmd_compare,
            "history": cmd_history}[args.command](args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
