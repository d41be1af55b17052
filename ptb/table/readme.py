#!/usr/bin/env python3
"""readme.py - the README's short table, generated from the committed
results of `make table` (results/findings.json): the block between the
markers of summary.README_BEGIN/README_END is rewritten with the same
one-screen summary that opens results/table.md.

Usage: python3 -m ptb.table.readme [--results DIR] [--readme FILE] [--check]
  --results  where findings.json is [results]
  --readme   the file with the marked block [README.md]
  --check    change nothing: exit 1 (one line naming the fix) when the
             block differs from what the results produce, 0 when it matches

Exit 2 with one line when the results cannot be read or the README has no
block (both markers, begin before end, once each).  The README is
rewritten through a temporary file and a rename.
"""
import os
import sys

from ptb import csvio
from ptb.table import findings as fnd
from ptb.table import summary as ts


def block_of(results):
    return ts.readme_block(fnd.load(os.path.join(results, "findings.json")))


def split(text, path):
    """(before, block, after) of the README text around the marked block."""
    lines = text.split("\n")
    if lines.count(ts.README_BEGIN) != 1 or lines.count(ts.README_END) != 1:
        raise ValueError(f"{path}: needs the marker lines '{ts.README_BEGIN}' and "
                         f"'{ts.README_END}', once each")
    b, e = lines.index(ts.README_BEGIN), lines.index(ts.README_END)
    if e < b:
        raise ValueError(f"{path}: the end marker comes before the begin marker")
    return lines[:b], lines[b:e + 1], lines[e + 1:]


def main(argv):
    ap = csvio.ArgParser(prog="readme",
                          description="rewrite the README's short table from results/findings.json")
    ap.add_argument("--results", default="results")
    ap.add_argument("--readme", default="README.md")
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args(argv)
    try:
        with open(args.readme) as f:
            text = f.read()
        before, old, after = split(text, args.readme)
        new = block_of(args.results)
    except (OSError, ValueError, KeyError, csvio.BadInput) as e:
        print(f"readme: {e}", file=sys.stderr)
        return 2
    if args.check:
        if old == new:
            return 0
        print(f"readme: the short table in {args.readme} differs from what "
              f"{args.results}/findings.json gives: run make readme-table", file=sys.stderr)
        return 1
    if old != new:
        with open(args.readme + ".tmp", "w") as f:
            f.write("\n".join(before + new + after))
        os.replace(args.readme + ".tmp", args.readme)
    print(f"readme: {args.readme} short table {'rewritten' if old != new else 'unchanged'} "
          f"from {args.results}/findings.json", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
