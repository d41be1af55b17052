#!/usr/bin/env python3
"""suite.py - the regression suite of `make regress` and `make
baseline`: which ptbench runs, at which sizes, and how their CSVs become
one (stdlib only).

The suite is the headline workloads at reduced sizes, 2 workers (1 for
create), REPS repetitions (>= 7), sized to finish in well under a minute
on 2 cores so that a re-run still fits in CI's budget.  Every item is one
`ptbench run`, so its models are interleaved inside every repetition;
items with `rounds` run as REPS invocations of one repetition each, so
that parameter variants (the counter's --lock mutex,none) alternate in
time too.  Items whose workload this ptbench lacks are skipped (the
table then lists their metrics as missing).  Models this ptbench lacks
are left out of an item.

Changing SUITE changes the metrics: bump SUITE_VERSION and run `make
baseline`.  ptb/regress/cli.py warns when the baseline's version differs.
"""
import json
import os
import subprocess
import tempfile

from ptb import csvio, workloads

SUITE_VERSION = 1
REPS = 11
WARMUP = 1
C4 = ("thread", "fork", "threadpool", "procpool")
PY = ("pythread", "pyproc")
PAIR4 = C4 + PY

# id, workload, models, extra arguments, rounds.  Python's models count
# ~100x slower than C's per step, so cpu and counter run them in items of
# their own, at smaller sizes.
SUITE = (
    ("cpu", "cpu", C4, ["-n", "2", "--steps", "2e8"], False),
    ("pycpu", "cpu", PY, ["-n", "2", "--steps", "2e6"], False),
    ("copy", "copy", PAIR4, ["-n", "2", "--files", "4", "--file-size", "8M",
                             "--chunk", "4096"], False),
    # 1e6 decrements: long enough that the two workers overlap even when
    # starting one costs ~100 us (unlocked, they contend only when they do).
    ("counter", "counter", C4, ["-n", "2", "--iters", "1e6", "--lock", "mutex,none"], True),
    ("pycounter", "counter", PY, ["-n", "2", "--iters", "1e5", "--lock", "mutex,none"], True),
    ("create", "create", ("thread", "fork", "vfork", "spawn"),
     ["-n", "1", "--count", "200"], False),
    ("switch", "switch", PAIR4, ["-n", "2", "--rounds", "1e4", "--via", "pipe",
                                 "--pin", "same"], False),
    ("footprint", "footprint", PAIR4, ["-n", "8"], False),
    ("pool", "pool", ("threadpool", "procpool", "pypool"),
     ["-n", "2", "--tasks", "64", "--task-us", "500", "--work", "spin",
      "--submit", "sync,async"], False),
)


class SuiteError(Exception):
    """ptbench could not be run at all (not a failed repetition)."""


def available(ptbench):
    """(workloads, models) that `ptbench list --json` names (ptb/workloads.py)."""
    try:
        facts = workloads.facts(ptbench)
    except csvio.BadInput as e:
        raise SuiteError(str(e)) from e
    return ({w["name"] for w in facts["workloads"]},
            {m["name"] for m in facts["models"] if m["name"] != "all"})


def plan(ptbench, reps=REPS):
    """[(item id, [argv, ...])] for the items this ptbench can run, and
    [(item id, why)] for those it cannot."""
    workloads, models = available(ptbench)
    runs, skipped = [], []
    for item, wl, want, extra, rounds in SUITE:
        have = [m for m in want if m in models]
        if wl not in workloads:
            skipped.append((item, f"workload {wl} is not in this ptbench"))
            continue
        if len(have) < 2:
            skipped.append((item, f"fewer than two of the models {','.join(want)}"))
            continue
        base = [ptbench, "run", "-q", "-w", wl, "-m", ",".join(have), "--warmup", str(WARMUP)]
        if rounds:
            runs.append((item, [base + extra + ["-r", "1"] for _ in range(reps)]))
        else:
            runs.append((item, [base + extra + ["-r", str(reps)]]))
    return runs, skipped


def _run_one(argv, csv_path, say):
    cmd = argv + ["-o", csv_path, "--force"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode not in (0, 1) or not os.path.exists(csv_path):
        last = (proc.stderr.strip().splitlines() or ["no message"])[-1]
        raise SuiteError(f"ptbench exited {proc.returncode}: {last} "
                         f"(command: {' '.join(cmd[1:])})")
    if proc.returncode == 1:
        say(f"a repetition failed in: {' '.join(cmd[1:])}")
    return " ".join(cmd[1:])


def _read(path):
    with open(path, newline="") as f:
        text = f.read()
    header, _, body = text.partition("\n")
    return header, body


def _meta(csv_path):
    try:
        with open(csv_path[:-4] + ".meta.json") as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


def run(ptbench, out_csv, say, reps=REPS):
    """Run the suite into out_csv (+ .meta.json).  Returns the skipped items.
    The rows are ptbench's own lines, concatenated under one header."""
    runs, skipped = plan(ptbench, reps)
    if not runs:
        raise SuiteError("this ptbench runs none of the suite's workloads")
    header, bodies, metas, commands = None, [], [], []
    with tempfile.TemporaryDirectory(prefix="regress-", dir=os.path.dirname(out_csv) or ".") as tmp:
        k = 0
        for item, argvs in runs:
            say(f"{item}: {len(argvs)} run{'s' if len(argvs) > 1 else ''} of ptbench")
            for argv in argvs:
                k += 1
                path = os.path.join(tmp, f"{k:03d}-{item}.csv")
                commands.append(_run_one(argv, path, say))
                h, body = _read(path)
                if header is not None and h != header:
                    raise SuiteError(f"{item}: CSV header differs from the first run's")
                header = h
                bodies.append(body if body.endswith("\n") or not body else body + "\n")
                metas.append(_meta(path))
        write_merged(out_csv, header, bodies, merged_meta(metas, commands, skipped, reps))
    return skipped


def merged_meta(metas, commands, skipped, reps):
    """The first run's machine description, with the suite's own fields."""
    meta = dict(metas[0]) if metas and metas[0] else {"schema_version": 1}
    for key in ("run_id", "csv", "command_line", "rows", "finished", "status"):
        meta.pop(key, None)
    meta["finished"] = next((m.get("finished") for m in reversed(metas) if m.get("finished")), None)
    meta["status"] = ("complete" if all(m.get("status") == "complete" for m in metas)
                      else "incomplete")
    meta["run_ids"] = [m.get("run_id") for m in metas]
    meta["suite"] = {"name": "regress", "version": SUITE_VERSION, "reps": reps,
                     "commands": commands,
                     "skipped": [{"item": i, "why": w} for i, w in skipped]}
    return meta


def write_merged(out_csv, header, bodies, meta):
    """Write CSV and meta through temporary files, then rename both."""
    base = out_csv[:-4] if out_csv.endswith(".csv") else out_csv
    meta = dict(meta, csv=os.path.basename(out_csv))
    tmp_csv, tmp_meta = out_csv + ".tmp", base + ".meta.json.tmp"
    try:
        with open(tmp_csv, "w", newline="") as f:
            f.write(header + "\n" + "".join(bodies))
        with open(tmp_meta, "w") as f:
            json.dump(meta, f, indent=2)
            f.write("\n")
        os.replace(tmp_csv, out_csv)
        os.replace(tmp_meta, base + ".meta.json")
    finally:
        for p in (tmp_csv, tmp_meta):
            if os.path.exists(p):
                os.remove(p)
