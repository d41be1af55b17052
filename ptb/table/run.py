#!/usr/bin/env python3
"""run.py - `make table`: measure every row of seed 000's comparison table
with build/ptbench, judge it once into results/findings.json (the one
source of every verdict, doc/findings.md) and write results/table.md from
it, with its data (results/table.csv, every measure's rows in ptbench's
own CSV format) and results/table.meta.json (machine, commands, timings,
C13 evidence).

Full mode runs each measure in rounds until its answer is clear
(ptb/table/sequential.py, doc/methodology.md): 5 repetitions, then rounds
of 3 of the configurations still open, until every judged comparison's
interval is clear of the noise band or inside it, or the measure's
maximum (11) or time budget is reached; the rounds' rows are appended,
and the meta records why each comparison stopped.

Usage: python3 -m ptb.table [--quick] [--ptbench PATH] [--build-dir DIR]
                        [--out-dir DIR] [--only M1,M2] [--from-csv]
  --quick       reduced sizes and one round of 5 repetitions (under 2 minutes)
  --ptbench     the driver to run [build/ptbench]
  --build-dir   where the TSan build for C13 goes (DIR/tsan-c13) [build]
  --out-dir     where table.md/.csv/.meta.json and findings.json go [results]
  --only        run only these measures (development; the others then
                show "not measured")
  --from-csv    measure nothing: rebuild findings.json and table.md from
                the committed table.csv and table.meta.json (same verdicts,
                same figures); a table.csv with fewer rows than its meta
                records: exit 2, one line naming the short measures

Measures whose workload this ptbench lacks, or that the machine cannot
run (no Open MPI, no network namespaces without root), are skipped and
their claims say "not measured" and why.  For C10 the script also asks
ptbench to start a thread (and a fork, and a pythread) run on two hosts and records the
refusal (exit status, message, no CSV written) as evidence: meta key
"c10_refusals".  The four files are written only
when everything succeeded (temporary files, then rename).
"""
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from ptb import csvio, paths
from ptb import stats as sv
from ptb.table import analysis
from ptb.table import measures as tm
from ptb.table import collect
from ptb.table import findings as fnd
from ptb.table import render as table_render
from ptb.table import sequential as seq

SCHEMA_VERSION = 1
SCRIPTS = paths.TOOLS


def parse_args(argv):
    ap = csvio.ArgParser(prog="table", description="measure seed 000's table and write results/table.md")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--ptbench", default="build/ptbench")
    ap.add_argument("--build-dir", default="build")
    ap.add_argument("--out-dir", default="results")
    ap.add_argument("--only", default=None)
    ap.add_argument("--from-csv", action="store_true")
    args = ap.parse_args(argv)
    known = [m.id for m in tm.plan()]
    if args.only is not None:
        args.only = args.only.split(",")
        bad = [m for m in args.only if m not in known]
        if bad or not args.only:
            ap.error(f"--only: unknown measure '{bad[0] if bad else ''}' (allowed: {', '.join(known)})")
    if not args.from_csv and not (os.path.isfile(args.ptbench) and os.access(args.ptbench, os.X_OK)):
        ap.error(f"--ptbench: '{args.ptbench}' is not an executable file (allowed: a built ptbench, run make)")
    if not os.path.isdir(args.out_dir):
        ap.error(f"--out-dir: '{args.out_dir}' is not a directory (allowed: an existing directory)")
    return args


def say(msg):
    print(f"table: {msg}", file=sys.stderr, flush=True)


def git_describe():
    """The commit of the tree this ptb package is in (whatever the working
    directory), or "unknown" (an installed copy, no git)."""
    try:
        out = subprocess.run(["git", "describe", "--always", "--dirty"], capture_output=True,
                             text=True, check=True, cwd=paths.ROOT)
        return out.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


# ---- running the measures -----------------------------------------------------

def run_measure(m, offer, mode, ptbench, tmp, reps=None, index=0, narrow=None):
    """One ptbench invocation of measure m: round `index` (0: the first,
    with its warm-up) of `reps` repetitions, of the configurations
    `narrow` keeps (None: all)."""
    out = f"{m.id}.csv" if index == 0 else f"{m.id}.r{index}.csv"
    warmup = None if index == 0 else tm.NEXT_WARMUP
    args = seq.narrow_args(m.args(offer, mode, out, reps, warmup), narrow)
    prefix = list(m.prefix) if m.prefix and shutil.which(m.prefix[0]) else []
    shown = shlex.join(prefix + [ptbench] + args)
    t0 = time.monotonic()
    proc = subprocess.run(prefix + [os.path.abspath(ptbench)] + args, cwd=tmp,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.monotonic() - t0
    if proc.returncode not in (0, 1) or not os.path.exists(os.path.join(tmp, out)):
        sys.stderr.write(proc.stderr)
        raise RuntimeError(f"{shown} failed with exit status {proc.returncode}")
    rows = csvio.load_rows(os.path.join(tmp, out), allow_empty=True)
    with open(os.path.join(tmp, csvio.meta_path(out))) as f:
        meta = json.load(f)
    failures = [ln for ln in proc.stderr.splitlines() if "not ok" in ln]
    return {"id": m.id, "command": shown, "exit_status": proc.returncode, "seconds": round(seconds, 1),
            "rows": len(rows), "rows_not_ok": sum(r["ok"] != "1" for r in rows),
            "run_id": meta.get("run_id"), "failures": failures[:5], "ptbench_meta": meta}, rows


def run_rounds(m, offer, mode, ptbench, tmp, rows_by_id, ctx):
    """Measure m in rounds until its judged comparisons are settled, or its
    maximum or time budget is reached (ptb/table/sequential.py).  A later
    round's rows continue the repetition numbers (its first is the
    repetitions run so far), keep their own run_id, and every row's notes
    get the measure's stop (stop=REASON;stop_n=N).  Returns (run, rows):
    the run's record holds every round's and the stop record."""
    rounds = seq.Rounds(**m.rounds(mode))
    done, runs, rows, plan = [0], [], [], {}
    judged = seq.judged_findings()

    def now():
        return {**rows_by_id, m.id: rows}

    def predict(reps, index, open_keys):
        nar = seq.narrowing(rows, seq.needed(m.id, now(), ctx, set(open_keys), judged))
        plan[index] = nar
        spent = sum(r["seconds"] for r in runs)
        outer = sum(float(r["outer_wall_ns"]) / 1e9 for r in rows if r.get("outer_wall_ns"))
        return seq.round_seconds(rows, nar, reps, rounds.warmup_of(index),
                                 spent / outer if outer else 1.0)

    def run_round(reps, index, open_keys):
        nar = None
        if index:
            if index not in plan:
                predict(reps, index, open_keys)
            nar = plan[index]
        run, new = run_measure(m, offer, mode, ptbench, tmp, reps, index, nar)
        for r in new:
            r["rep"] = str(int(r["rep"]) + done[0])
        done[0] += reps
        runs.append(run)
        rows.extend(new)

    def judge_all(alpha):
        return {key: seq.judge(a, b, alpha)
                for key, (a, b) in seq.comparisons(m.id, now(), ctx, judged).items()}

    stop = seq.settle(rounds, run_round, judge_all, predict)
    note = seq.csv_note(stop)
    for r in rows:
        seq.add_note(r, note)
    first = runs[0]
    run = {"id": m.id, "command": " && ".join(r["command"] for r in runs),
           "exit_status": max(r["exit_status"] for r in runs),
           "seconds": max(stop["seconds"], round(sum(r["seconds"] for r in runs), 1)),
           "rows": len(rows),
           "rows_not_ok": sum(r["rows_not_ok"] for r in runs), "run_id": first["run_id"],
           "run_ids": [r["run_id"] for r in runs],
           "failures": [f for r in runs for f in r["failures"]][:5],
           "ptbench_meta": first["ptbench_meta"],
           "rounds": [{k: r[k] for k in ("run_id", "command", "seconds", "rows")} for r in runs],
           "stop": stop}
    return run, rows


def run_refusals(offer, ptbench, tmp):
    """C10's evidence that only the mpi model crosses hosts: ptbench asked
    for a thread (and a fork) run on 2 hosts.  Recorded as they come: exit
    status, ptbench's message, whether a CSV was written."""
    if "mpi" not in offer.models:
        return []
    out = []
    for model, args in tm.REFUSALS:
        csv_name = f"refused-{model}.csv"
        cmd = [os.path.abspath(ptbench)] + args + ["-o", csv_name]
        proc = subprocess.run(cmd, cwd=tmp, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              text=True)
        lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
        out.append({"model": model, "command": shlex.join([ptbench] + args + ["-o", csv_name]),
                    "exit_status": proc.returncode, "message": lines[0] if lines else "",
                    "wrote_csv": os.path.exists(os.path.join(tmp, csv_name))})
    return out


def run_c13(build_dir, tmp):
    out = os.path.join(tmp, "c13.json")
    cmd = [os.path.join(SCRIPTS, "c13_evidence.sh"), "--build-dir", os.path.join(build_dir, "tsan-c13"),
           "--out", out]
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        return None, f"scripts/c13_evidence.sh failed (exit {proc.returncode}): C13 not measured"
    with open(out) as f:
        return json.load(f), None


def measure_all(args, mode, tmp):
    offer = tm.Offer.of(args.ptbench)
    runs, rows_by_id, missing, notes = [], {}, {}, []
    plan = []
    for m in tm.plan():
        if args.only is None or m.id in args.only:
            plan.append(m)
        else:
            missing[m.id] = "not run (--only)"
    started = time.monotonic()
    ctx = {"cores": tm.cores(), "refusals": []}
    for i, m in enumerate(plan, 1):
        why = m.missing(offer)
        if why:
            missing[m.id] = why
            say(f"[{i}/{len(plan)}] {m.id}: skipped, {why}")
            continue
        say(f"[{i}/{len(plan)}] {m.id} ... ({time.monotonic() - started:.0f} s so far)")
        run, rows = run_rounds(m, offer, mode, args.ptbench, tmp, rows_by_id, ctx)
        runs.append(run)
        rows_by_id[m.id] = rows
        stop = run["stop"]
        if len(run["rounds"]) > 1 or stop["comparisons"]:
            say(f"    {m.id}: {stop['reason']} after {stop['reps']} repetitions in "
                f"{len(run['rounds'])} round{'s' if len(run['rounds']) > 1 else ''} "
                f"({run['seconds']:.0f} s)")
        if run["rows_not_ok"]:
            notes.append(f"{m.id}: {run['rows_not_ok']} of {run['rows']} repetitions ok=0 "
                         f"(left out of the figures where the workload does not expect it): "
                         + "; ".join(run["failures"][:2]))
    refusals = []
    if args.only is None or any(m.id.startswith(("mpi-", "py-mpi-")) for m in plan):
        say("C10: ptbench asked to start threads and forks on 2 hosts")
        refusals = run_refusals(offer, args.ptbench, tmp)
    say(f"C13 evidence (TSan build and runs) ... ({time.monotonic() - started:.0f} s so far)")
    ev, err = run_c13(args.build_dir, tmp)
    if err:
        notes.append(err)
    return offer, runs, rows_by_id, missing, notes, ev, refusals, time.monotonic() - started


# ---- files -----------------------------------------------------------------------

def write_csv(path, runs, rows_by_id):
    rows = [r for run in runs for r in rows_by_id[run["id"]]]
    if rows:
        csvio.write(path, rows[0].keys(), rows)
    else:
        with open(path, "w") as f:
            f.write("\n")


def read_csv(path, meta):
    """{measure: rows} of table.csv; ValueError (one line) when a row's run
    is not in the meta, or a measure has fewer rows than the meta records."""
    by_run = {rid: r["id"] for r in meta["runs"] for rid in r.get("run_ids") or [r["run_id"]]}
    rows_by_id = {}
    for r in csvio.load_rows(path, need=("run_id",) + csvio.KEY_COLUMNS, allow_empty=True):
        mid = by_run.get(r["run_id"])
        if mid is None:
            raise ValueError(f"{path}: run_id {r['run_id']} is not in the meta")
        rows_by_id.setdefault(mid, []).append(r)
    short = [f"{r['id']} has {len(rows_by_id.get(r['id'], []))} of {r['rows']}"
             for r in meta["runs"] if len(rows_by_id.get(r["id"], [])) < r.get("rows", 0)]
    if short:
        raise ValueError(f"{path} lacks rows: " + "; ".join(short)
                         + " (allowed: the table.csv that make table wrote with this meta)")
    return rows_by_id


def machine_line(meta):
    if not meta:
        return "an unknown machine"
    return (f"{meta.get('cpu_model')} × {meta.get('cores_online')} cores online, "
            f"{meta.get('kernel')}, load average at start {meta.get('loadavg', '?').split(' ')[0]}")


def reps_of(mode, runs):
    """The repetitions of the run: the mode's count, or in full mode the
    range the rounds ran ("5–11")."""
    counts = [r["stop"]["reps"] for r in runs if r.get("stop")]
    if mode != "full" or not counts:
        return tm.REPS[mode]
    lo, hi = min(counts), max(counts)
    return hi if lo == hi else f"{lo}–{hi}"


def build_info(mode, runs, missing, notes, ev, machine, date, git, total_s):
    info = {"mode": mode, "reps": reps_of(mode, runs), "machine": machine_line(machine), "date": date,
            "git": git, "commands": {r["id"]: r["command"] for r in runs}, "c13": ev}
    notes = list(notes)
    for mid, why in missing.items():
        notes.append(f"measure `{mid}` not run: {why}")
    cores = int(machine.get("cores_online") or tm.cores()) if machine else tm.cores()
    busy = [(r["id"], r["ptbench_meta"].get("loadavg", "").split(" ")[0]) for r in runs]
    busy = [(mid, float(la)) for mid, la in busy if la and float(la) > cores]
    if busy:
        notes.append(f"the machine was busy with other work (1-minute load average, which also "
                     f"counts this run's own earlier measures, above the {cores} cores at the "
                     f"start of: "
                     + ", ".join(f"{mid} {la:.2f}" for mid, la in busy)
                     + "): figures of parallel workloads are distorted and spreads wider")
    stops = seq.stops_line(runs)
    if stops:
        notes.append(stops)
    took = ", ".join(f"{r['id']} {r['seconds']:.0f} s" for r in runs)
    notes.append(f"measuring took {total_s:.0f} s in all ({took})")
    info["notes"] = notes
    return info


STABILITY = "table-stability.json"
FINDINGS = "findings.json"


def load_stability(out_dir):
    """The record of make table-stability in out_dir, or None."""
    try:
        with open(os.path.join(out_dir, STABILITY)) as f:
            rec = json.load(f)
    except (OSError, ValueError):
        return None
    return rec if isinstance(rec, dict) and isinstance(rec.get("claims"), dict) else None


def finish(out_dir, files):
    """Move the finished temporary files into place."""
    for tmp_path, name in files:
        dest = os.path.join(out_dir, name)
        shutil.copyfile(tmp_path, dest + ".tmp")
        os.replace(dest + ".tmp", dest)


def generate(args):
    mode = "quick" if args.quick else "full"
    tmp = tempfile.mkdtemp(prefix="ptb-table-")
    try:
        offer, runs, rows_by_id, missing, notes, ev, refusals, total_s = measure_all(args, mode, tmp)
        machine = runs[0]["ptbench_meta"] if runs else {}
        cores = int(machine.get("cores_online") or tm.cores())
        date = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        git = git_describe()
        info = build_info(mode, runs, missing, notes, ev, machine, date, git, total_s)
        info["refusals"] = refusals
        info["stability"] = load_stability(args.out_dir)
        found = analysis.analyse(rows_by_id, {"cores": cores, "refusals": refusals,
                                              "machine": machine})
        seq.apply_stops(found, seq.stops_of(runs))
        findings = collect.build(found, missing, ev, offer, info)
        md = table_render.markdown(findings)
        meta = {"schema_version": SCHEMA_VERSION, "tool": "ptb/table/run.py", "mode": mode,
                "generated": date, "git_commit": git, "reps": info["reps"],
                "stats": {"test": "two-sided Mann-Whitney U, scipy.stats (exact, or a permutation "
                                  f"test with ties, up to {sv.EXACT_MAX_N} values, else normal "
                                  "approximation)",
                          "ci": f"{sv.CONFIDENCE:.0%} bootstrap of the ratio of medians "
                                f"(percentile, {sv.BOOT_RESAMPLES} resamples, seed {sv.SEED})",
                          "effect_size": "Cliff's delta",
                          "alpha": sv.ALPHA, "noise_floor": sv.NOISE_FLOOR, "min_reps": sv.MIN_REPS,
                          "rounds": seq.DESCRIPTION},
                "machine": {k: v for k, v in machine.items()
                            if k not in ("run_id", "csv", "command_line", "started", "finished",
                                         "status", "rows")},
                "models_offered": offer.models, "workloads_offered": sorted(offer.workloads),
                "missing": missing, "notes": info["notes"], "measuring_seconds": round(total_s, 1),
                "runs": [{k: v for k, v in r.items() if k != "ptbench_meta"} |
                         {"started": r["ptbench_meta"].get("started"),
                          "loadavg": r["ptbench_meta"].get("loadavg")} for r in runs],
                "c10_refusals": refusals, "c13": ev}
        write_csv(os.path.join(tmp, "table.csv"), runs, rows_by_id)
        with open(os.path.join(tmp, "table.meta.json"), "w") as f:
            json.dump(meta, f, indent=2, ensure_ascii=False)
            f.write("\n")
        with open(os.path.join(tmp, "table.md"), "w") as f:
            f.write(md)
        fnd.write(os.path.join(tmp, FINDINGS), findings)
        finish(args.out_dir, [(os.path.join(tmp, n), n)
                              for n in ("table.csv", "table.meta.json", FINDINGS, "table.md")])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    say(f"wrote {args.out_dir}/table.md, {FINDINGS}, table.csv, table.meta.json "
        f"({total_s:.0f} s measuring)")
    return 0


def from_files(csv_path, meta_path):
    """(found, missing, c13 evidence, offer, info) of a committed table:
    the findings rebuilt from table.csv and table.meta.json.  Raises
    OSError, ValueError or KeyError when they cannot be read."""
    with open(meta_path) as f:
        meta = json.load(f)
    rows_by_id = read_csv(csv_path, meta)
    offer = tm.Offer(dict.fromkeys(meta["workloads_offered"], {}), meta["models_offered"])
    runs = meta["runs"]
    info = {"mode": meta["mode"], "reps": meta["reps"], "machine": machine_line(meta["machine"]),
            "date": meta["generated"], "git": meta["git_commit"],
            "commands": {r["id"]: r["command"] for r in runs}, "c13": meta["c13"],
            "notes": meta["notes"], "refusals": meta.get("c10_refusals", []),
            "stability": load_stability(os.path.dirname(meta_path) or "."),
            "loadavg": meta["machine"].get("loadavg", "")}
    cores = int(meta["machine"].get("cores_online") or tm.cores())
    found = analysis.analyse(rows_by_id, {"cores": cores, "refusals": info["refusals"],
                                          "machine": meta["machine"]})
    seq.apply_stops(found, seq.stops_of(runs))
    return found, meta["missing"], meta["c13"], offer, info


def findings_of(csv_path, meta_path):
    """The findings (findings.json's content) of a table.csv and its meta."""
    return collect.build(*from_files(csv_path, meta_path))


def regenerate(args):
    csv_path = os.path.join(args.out_dir, "table.csv")
    meta_path = os.path.join(args.out_dir, "table.meta.json")
    try:
        findings = findings_of(csv_path, meta_path)
    except (OSError, ValueError, KeyError, csvio.BadInput) as e:
        print(f"table: --from-csv: cannot read {csv_path} and {meta_path}: {e}", file=sys.stderr)
        return 2
    md = table_render.markdown(findings)
    dest = os.path.join(args.out_dir, "table.md")
    fnd.write(os.path.join(args.out_dir, FINDINGS), findings)
    with open(dest + ".tmp", "w") as f:
        f.write(md)
    os.replace(dest + ".tmp", dest)
    say(f"rebuilt {dest} and {FINDINGS} from {csv_path}")
    return 0


def exit_on_signal(signum, _frame):
    """SIGTERM and SIGHUP end the run as Ctrl-C does: the running ptbench is
    killed (subprocess.run does that on any exception), the temporary
    directory removed, nothing half-written in the out directory."""
    raise SystemExit(128 + signum)


def main(argv):
    args = parse_args(argv)
    if args.from_csv:
        return regenerate(args)
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, exit_on_signal)
    try:
        return generate(args)
    except (RuntimeError, subprocess.CalledProcessError, OSError) as e:
        print(f"ptb/table/run.py: {e}; nothing written", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
