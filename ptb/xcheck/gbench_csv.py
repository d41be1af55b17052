#!/usr/bin/env python3
"""gbench_csv.py - convert build/ptbench-gbench's JSON into ptbench's CSV.

Usage: python3 -m ptb.xcheck.gbench_csv GBENCH.json -o OUT.csv

One row per repetition of each benchmark (google-benchmark's aggregates
are left out: the table and plots compute their own), in the columns of
build/ptbench's CSV (PTB_CSV_HEADER in lib/csv.h), marked as coming from
google-benchmark: run_id starts with "gbench-" and params ends with
";source=gbench".  What the columns hold:

  wall_ns      the repetition's mean timed region per iteration (the
               shim's manual time: the model's run() only), in ns
  user_ns ...  the shim's per-iteration means of the rusage deltas of the
  migrations   timed region, rounded to whole numbers
  pss_kb       the per-iteration mean of what the workload reported, if any
  ops, result  ops and result of the repetition's last iteration
  ns_per_op    wall_ns / ops, as ptbench writes it (%.6g)
  maxrss_kb, outer_wall_ns   empty: not measured per iteration
  ok, error    1 and empty, or 0 and google-benchmark's error message
               (the shim reports a wrong result with SkipWithError)

A sidecar OUT.meta.json records google-benchmark's context (host, CPUs,
load average, library build type) and the source JSON.  Bad input: one
line on stderr, exit 2, nothing written.
"""
import csv
import json
import math
import os
import sys
import tempfile

from ptb import csvio

NS_PER_UNIT = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}
COUNTERS = ("user_ns", "sys_ns", "vol_cs", "invol_cs", "minflt", "majflt", "migrations",
            "pss_kb")
SOURCE_PARAM = "source=gbench"


class BadInput(Exception):
    """Input that is not what the script accepts: exit status 2."""


def csv_header():
    """The header build/ptbench writes: the newest schema's columns."""
    return list(csvio.COLUMNS[csvio.SCHEMA_VERSION])


def split_name(name):
    """'counter/fork/lock=mutex/workers:2/manual_time' -> (workload, model,
    [name parts], workers or None)."""
    parts = [p for p in name.split("/") if p not in ("manual_time", "real_time")]
    if len(parts) < 2:
        raise BadInput(f"benchmark name '{name}' is not WORKLOAD/MODEL/... "
                       "(allowed: output of build/ptbench-gbench)")
    workers = None
    rest = []
    for p in parts[2:]:
        if p.startswith("workers:") and p[8:].isdigit():
            workers = int(p[8:])
        else:
            rest.append(p)
    return parts[0], parts[1], rest, workers


def whole(value):
    """A counter as a whole number string; empty when absent."""
    if value is None or not isinstance(value, (int, float)) or math.isnan(value):
        return ""
    return str(int(round(value)))


def convert_entry(b, run_id):
    """One google-benchmark repetition entry -> a dict of CSV fields."""
    workload, model, rest, workers = split_name(b.get("name", ""))
    if b.get("workers") is not None:
        workers = int(b["workers"])
    if workers is None:
        raise BadInput(f"benchmark '{b.get('name')}' has no worker count "
                       "(allowed: output of build/ptbench-gbench)")
    label = b.get("label") or ";".join(rest)
    row = {
        "run_id": run_id, "workload": workload, "model": model, "workers": str(workers),
        "params": (label + ";" if label else "") + SOURCE_PARAM,
        "rep": str(b.get("repetition_index", 0)),
    }
    if b.get("error_occurred"):
        row.update(ok="0", error=b.get("error_message") or "error")
        return row
    unit = b.get("time_unit", "ns")
    if unit not in NS_PER_UNIT or not isinstance(b.get("real_time"), (int, float)):
        raise BadInput(f"benchmark '{b.get('name')}': time unit '{unit}' or real_time "
                       f"not understood (allowed units: {', '.join(NS_PER_UNIT)})")
    wall_ns = b["real_time"] * NS_PER_UNIT[unit]
    ops = b.get("ops")
    row["wall_ns"] = whole(wall_ns)
    for name in COUNTERS:
        row[name] = whole(b.get(name))
    if isinstance(ops, (int, float)) and ops > 0:
        row["ops"] = whole(ops)
        row["ns_per_op"] = "%.6g" % (wall_ns / ops)
    row["result"] = whole(b.get("result"))
    row["ok"] = "1"
    return row


def load(path):
    try:
        with open(path) as f:
            doc = json.load(f)
    except OSError as e:
        raise BadInput(f"{path}: {e.strerror}")
    except json.JSONDecodeError as e:
        raise BadInput(f"{path}: not JSON ({e.msg}, line {e.lineno}); "
                       "allowed: google-benchmark --benchmark_out JSON")
    if not isinstance(doc, dict) or not isinstance(doc.get("benchmarks"), list) \
            or not isinstance(doc.get("context"), dict):
        raise BadInput(f"{path}: no 'context' and 'benchmarks' "
                       "(allowed: google-benchmark --benchmark_out JSON)")
    return doc


def run_id_of(ctx):
    rid = ctx.get("ptbench_run_id")
    if isinstance(rid, str) and rid.startswith("gbench-"):
        return rid
    return "gbench-" + str(ctx.get("date", "unknown"))[:19]


def convert(doc):
    run_id = run_id_of(doc["context"])
    rows = [convert_entry(b, run_id) for b in doc["benchmarks"]
            if isinstance(b, dict) and b.get("run_type", "iteration") == "iteration"]
    if not rows:
        raise BadInput("no repetitions in the JSON (allowed: output of build/ptbench-gbench)")
    return rows


def meta_of(doc, json_path, csv_path, nrows):
    ctx = doc["context"]
    keep = ("date", "host_name", "executable", "num_cpus", "mhz_per_cpu",
            "cpu_scaling_enabled", "load_avg", "library_build_type", "ptbench_git",
            "ptbench_mode")
    return {
        "schema_version": 1,
        "tool": "ptbench-gbench (google-benchmark shim, bench/gbench/)",
        "source": "gbench",
        "run_id": run_id_of(ctx),
        "csv": csv_path,
        "gbench_json": json_path,
        "rows": nrows,
        "gbench_context": {k: ctx[k] for k in keep if k in ctx},
    }


def write_atomic(path, write):
    """Write through a temporary file in the same directory, then rename."""
    d = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=d, prefix=".gbench-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", newline="") as f:
            write(f)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def meta_path_for(csv_path):
    base = csv_path[:-4] if csv_path.endswith(".csv") else csv_path
    return base + ".meta.json"


def parse_args(argv):
    args = argv[1:]
    if len(args) != 3 or "-o" not in args:
        raise BadInput("usage: ptb/xcheck/gbench_csv.py GBENCH.json -o OUT.csv")
    i = args.index("-o")
    if i == 2:
        raise BadInput("usage: ptb/xcheck/gbench_csv.py GBENCH.json -o OUT.csv")
    out = args[i + 1]
    src = args[2] if i == 0 else args[0]
    if not out.endswith(".csv"):
        raise BadInput(f"-o: '{out}' does not end in .csv (allowed: a path NAME.csv)")
    if not os.path.isdir(os.path.dirname(os.path.abspath(out))):
        raise BadInput(f"-o: the directory of '{out}' does not exist")
    return src, out


def main(argv):
    try:
        src, out = parse_args(argv)
        doc = load(src)
        rows = convert(doc)
    except BadInput as e:
        print(f"gbench_to_csv: {e}", file=sys.stderr)
        return 2
    header = csv_header()

    def write_csv(f):
        w = csv.DictWriter(f, fieldnames=header, restval="", extrasaction="ignore",
                           lineterminator="\n")
        w.writeheader()
        w.writerows(rows)

    def write_meta(f):
        json.dump(meta_of(doc, src, out, len(rows)), f, indent=2)
        f.write("\n")

    write_atomic(out, write_csv)
    write_atomic(meta_path_for(out), write_meta)
    failed = sum(1 for r in rows if r.get("ok") != "1")
    print(f"gbench_to_csv: {len(rows)} rows ({failed} not ok) in {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
