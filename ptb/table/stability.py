#!/usr/bin/env python3
"""stability.py - `make table-stability`: how often does a re-run of
`make table` give the same verdict?

Usage: python3 -m ptb.table.stability [--runs N] [--quick] [--ptbench PATH]
                                  [--build-dir DIR] [--out-dir DIR]
                                  [--only M1,M2] [--from-dirs DIR,DIR,...]
  --runs N       regenerate the table N times [5]
  --quick        each run in quick mode (python3 -m ptb.table --quick)
  --only         run only these measures in each run (python3 -m ptb.table --only:
                 the other claims then say "not measured" in every run)
  --from-dirs    measure nothing: count the verdicts of tables already
                 measured into these directories (each with table.csv and
                 table.meta.json); development and tests

Each run is a whole `python3 -m ptb.table` into its own temporary directory;
the verdict of every claim (and "C5 in Python" where the other language
measured it) is read back from its findings.json (one measured before findings.json
existed: rebuilt from its table.csv and meta, as `--from-csv` does).  Writes DIR/table-stability.md (per claim:
the verdict of each run and how many runs agree) and
DIR/table-stability.json, which `make table` then reads to label every
claim whose verdict was not unanimous as **unstable** instead of printing
it as settled; finally it rebuilds DIR/table.md from the committed
DIR/table.csv (when there is one) so the labels appear at once.
Bad arguments: one line, exit 2.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter

from ptb import csvio, paths
from ptb.table import run as table
from ptb.table import findings as fnd


def parse_args(argv):
    ap = csvio.ArgParser(prog="table-stability", description="regenerate the table's verdicts N times and count agreement")
    ap.add_argument("--runs", default="5")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--ptbench", default="build/ptbench")
    ap.add_argument("--build-dir", default="build")
    ap.add_argument("--out-dir", default="results")
    ap.add_argument("--only", default=None)
    ap.add_argument("--from-dirs", default=None)
    args = ap.parse_args(argv)
    if not args.runs.isdigit() or not 2 <= int(args.runs) <= 100:
        ap.error(f"--runs: '{args.runs}' (allowed: a whole number from 2 to 100)")
    args.runs = int(args.runs)
    if not os.path.isdir(args.out_dir):
        ap.error(f"--out-dir: '{args.out_dir}' is not a directory (allowed: an existing directory)")
    if args.from_dirs is not None:
        args.from_dirs = [d for d in args.from_dirs.split(",") if d]
        bad = [d for d in args.from_dirs if not os.path.isfile(os.path.join(d, "table.meta.json"))]
        if bad or len(args.from_dirs) < 2:
            ap.error(f"--from-dirs: '{bad[0] if bad else args.from_dirs}' (allowed: 2 or more "
                     "directories, each with a table.csv and table.meta.json)")
    elif not (os.path.isfile(args.ptbench) and os.access(args.ptbench, os.X_OK)):
        ap.error(f"--ptbench: '{args.ptbench}' is not an executable file (allowed: a built ptbench)")
    return args

NOT_MEASURED = "not measured"


def say(msg):
    print(f"table-stability: {msg}", file=sys.stderr, flush=True)


def verdicts_of(out_dir):
    """{claim: verdict} of the table measured into out_dir (its
    findings.json; one measured before findings.json existed is rebuilt
    from its table.csv and meta), and its meta."""
    meta_path = os.path.join(out_dir, "table.meta.json")
    path = os.path.join(out_dir, table.FINDINGS)
    findings = (fnd.load(path) if os.path.exists(path) else
                table.findings_of(os.path.join(out_dir, "table.csv"), meta_path))
    with open(meta_path) as f:
        meta = json.load(f)
    return fnd.verdict_counts(findings), meta


def measure(args, tmp):
    """Run ptb/table/run.py args.runs times; yields each run's directory."""
    for i in range(1, args.runs + 1):
        d = os.path.join(tmp, f"run{i}")
        os.mkdir(d)
        cmd = [sys.executable, "-m", "ptb.table", "--ptbench", args.ptbench,
               "--build-dir", args.build_dir, "--out-dir", d] + (["--quick"] if args.quick else []) \
            + (["--only", args.only] if args.only else [])
        say(f"run {i} of {args.runs}: {' '.join(cmd[1:])}")
        done = subprocess.run(cmd, env=paths.module_env())
        if done.returncode != 0:
            raise RuntimeError(f"run {i}: ptb/table/run.py exited with status {done.returncode}")
        yield d


def record(runs, args, started, seconds):
    """The stability record: per claim the verdicts, their counts and
    whether every run agreed."""
    claims = {}
    for key in runs[0][0]:
        seen = [v.get(key, "absent") for v, _ in runs]
        counts = Counter(seen)
        claims[key] = {"verdicts": seen, "counts": dict(counts), "runs": len(seen),
                       "agree": counts.most_common(1)[0][1], "unanimous": len(counts) == 1}
    mode = sorted({m.get("mode", "?") for _, m in runs})
    command = "make table-stability RUNS=%d%s%s" % (len(runs), " QUICK=1" if mode == ["quick"] else "",
                                                    f" ONLY={args.only}" if args.only else "")
    if args.from_dirs:
        command = f"ptb/table/stability.py --from-dirs {','.join(args.from_dirs)}"
    return {"schema_version": 1, "tool": "ptb/table/stability.py", "command": command,
            "measured": not args.from_dirs,
            "mode": "/".join(mode), "runs": len(runs), "date": started,
            "load": open("/proc/loadavg").read().split(" ")[0] if os.path.exists("/proc/loadavg") else "?",
            "seconds": round(seconds), "git": table.git_describe(),
            "run_dates": [m.get("generated") for _, m in runs], "claims": claims}


def report(rec):
    how = ("every verdict of `make table` regenerated {n} times, each run measuring again "
           "(only the measures named by ONLY, when given)" if rec["measured"]
           else "the verdicts of {n} tables measured before, counted")
    out = ["# Stability of the table's verdicts", "",
           f"`{rec['command']}` ({rec['mode']} mode): {how.format(n=rec['runs'])}; {rec['date']}, git "
           f"{rec['git']}, {rec['seconds']} s in all, load average {rec['load']} at the end. "
           "A claim whose verdict was not the same in every run is labelled **unstable** in "
           "`results/table.md` (which reads `results/table-stability.json`).", "",
           "| claim | runs agreeing | verdict of each run | label |", "|---|---|---|---|"]
    for key, c in rec["claims"].items():
        top, n = Counter(c["verdicts"]).most_common(1)[0]
        label = ("**unstable**" if not c["unanimous"] else
                 "not measured" if top == NOT_MEASURED else "stable")
        out.append(f"| {key} | {n} of {c['runs']} ({top}) | {', '.join(c['verdicts'])} | {label} |")
    shaky = [k for k, c in rec["claims"].items() if not c["unanimous"]]
    unmeasured = [k for k, c in rec["claims"].items()
                  if c["unanimous"] and c["verdicts"][0] == NOT_MEASURED]
    settled = len(rec["claims"]) - len(shaky) - len(unmeasured)
    out += ["", f"Unanimous: {settled} of the {settled + len(shaky)} claims measured; "
            f"unstable: {', '.join(shaky) if shaky else 'none'}"
            + (f"; not measured in these runs: {', '.join(unmeasured)}." if unmeasured else ".")]
    return "\n".join(out) + "\n"


def write(path, text):
    with open(path + ".tmp", "w") as f:
        f.write(text)
    os.replace(path + ".tmp", path)


def main(argv):
    args = parse_args(argv)
    started = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    t0 = time.monotonic()
    tmp = tempfile.mkdtemp(prefix="ptb-stability-")
    try:
        dirs = args.from_dirs or measure(args, tmp)
        runs = [verdicts_of(d) for d in dirs]
    except (RuntimeError, OSError, ValueError, KeyError) as e:
        print(f"ptb/table/stability.py: {e}; nothing written", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    rec = record(runs, args, started, time.monotonic() - t0)
    write(os.path.join(args.out_dir, table.STABILITY), json.dumps(rec, indent=2) + "\n")
    write(os.path.join(args.out_dir, "table-stability.md"), report(rec))
    say(f"wrote {args.out_dir}/table-stability.md and {table.STABILITY}")
    if os.path.isfile(os.path.join(args.out_dir, "table.csv")):
        table.regenerate(argparse.Namespace(out_dir=args.out_dir))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
