#!/usr/bin/env python3
"""check_csv.py - fail when a ptbench CSV is not what it must be.

Usage: python3 -m ptb.check_csv FILE.csv [FILE.csv ...]

Checks (through ptb/csvio.py) that the header holds every column of
the schema, that every row has every header column, and that every row's
ok is 1.  A counter run without a lock has ok=1 too (lost updates are its
finding), so any ok=0 is a real failure: a wrong result, a crash or a
timeout.  Prints one line per file; exit 1 on the first problem, 2 on a
file that is not ptbench's CSV.
"""
import sys

from ptb import csvio


def check(path):
    try:
        table = csvio.load(path, need=csvio.COLUMNS[1], allow_empty=True)
    except csvio.BadInput as e:
        print(f"check_csv: {e}", file=sys.stderr)
        return 2
    failed = [r for r in table if r["ok"] != "1"]
    for r in failed[:10]:
        print(f"check_csv: {path}: ok=0: {r['workload']} {r['model']} n={r['workers']} "
              f"{r['params']} rep {r['rep']}: {r['error']}", file=sys.stderr)
    if failed:
        return 1
    if not table.rows:
        print(f"check_csv: {path}: no rows", file=sys.stderr)
        return 1
    print(f"check_csv: {path}: {len(table)} rows, all ok=1 (schema {table.version})")
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
