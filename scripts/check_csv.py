#!/usr/bin/env python3
"""check_csv.py - fail when a ptbench CSV is not what it must be.

Usage: scripts/check_csv.py FILE.csv [FILE.csv ...]

Checks that every row has every header column and that every row's ok is
1.  A counter run without a lock has ok=1 too (lost updates are its
finding), so any ok=0 is a real failure: a wrong result, a crash or a
timeout.  Prints one line per file; exit 1 on the first problem, 2 on a
file that is not ptbench's CSV.
"""
import csv
import sys

REQUIRED = ("run_id,workload,model,workers,params,rep,wall_ns,user_ns,sys_ns,"
            "maxrss_kb,pss_kb,vol_cs,invol_cs,minflt,majflt,migrations,"
            "ops,ns_per_op,result,ok").split(",")


def check(path):
    try:
        with open(path, newline="") as f:
            rows = list(csv.reader(f))
    except OSError as e:
        print(f"check_csv: {path}: {e.strerror}", file=sys.stderr)
        return 2
    if not rows or any(c not in rows[0] for c in REQUIRED):
        print(f"check_csv: {path}: not a ptbench CSV (header lacks {REQUIRED[0]}..{REQUIRED[-1]})",
              file=sys.stderr)
        return 2
    header, body = rows[0], rows[1:]
    ok_col = header.index("ok")
    err_col = header.index("error") if "error" in header else len(header) - 1
    bad = [r for r in body if len(r) != len(header)]
    if bad:
        print(f"check_csv: {path}: {len(bad)} rows without {len(header)} columns", file=sys.stderr)
        return 1
    failed = [r for r in body if r[ok_col] != "1"]
    for r in failed[:10]:
        print(f"check_csv: {path}: ok=0: {r[1]} {r[2]} n={r[3]} {r[4]} rep {r[5]}: {r[err_col]}",
              file=sys.stderr)
    if failed:
        return 1
    if not body:
        print(f"check_csv: {path}: no rows", file=sys.stderr)
        return 1
    print(f"check_csv: {path}: {len(body)} rows, all ok=1")
    return 0


def main(argv):
    if len(argv) < 2:
        print("usage: check_csv.py FILE.csv [FILE.csv ...]", file=sys.stderr)
        return 2
    worst = 0
    for path in argv[1:]:
        worst = max(worst, check(path))
    return worst


if __name__ == "__main__":
    sys.exit(main(sys.argv))
