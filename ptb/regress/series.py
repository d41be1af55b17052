#!/usr/bin/env python3
"""series.py - the regression check's history as a series that
outlives one CI run: `make regress` writes every metric of the run in
github-action-benchmark's `customSmallerIsBetter` JSON (the action keeps
the series on the gh-pages branch, in dev/bench/data.js), and the next
run reads that data.js back into history.csv rows, so that its history
chart draws the real trend (doc/ci.md).  Stdlib only.

Usage:
  ptb/regress/series.py check FILE.json
        check that FILE.json is what github-action-benchmark's
        customSmallerIsBetter tool reads: a non-empty array of objects with
        name (unique, non-empty), unit (non-empty), value (a finite number)
        and optionally range and extra (strings), nothing else.
        Exit 0 when it is, 1 (one line per problem) when it is not,
        2 when FILE.json cannot be read or is not JSON.
  ptb/regress/series.py history DATA.js [--name NAME] [-o OUT.csv]
        the series NAME [ptbench regress] of github-action-benchmark's
        data.js as history.csv rows (commit, date, metric, value, spread,
        suite), on OUT.csv or stdout.  Exit 2 when DATA.js is not such a file.

The JSON written per metric: value = the median of this run's
repetitions in the metric's unit (lower is better for every metric,
which is why the tool is customSmallerIsBetter), range = "IQR q1 – q3",
extra = the metric's kind, the repetitions, the verdict against the
committed baseline, the machine, the suite version ("suite N"), the
baseline ("baseline: COMMIT STARTED") and its median ("baseline median:
X"), one per line (the action's chart shows them in the tooltip); the
last three are read back into history.csv's suite, baseline and base
columns.
"""
import argparse
import csv
import datetime
import json
import math
import os
import re
import sys

from ptb.regress import compare as rc
from ptb.regress import metrics as rm
from ptb.regress import render as rr

from ptb.plot import csvkeys

SERIES_NAME = "ptbench regress"
DATA_JS_PREFIX = "window.BENCHMARK_DATA = "
KEYS = ("name", "unit", "value", "range", "extra")
REQUIRED = ("name", "unit", "value")
RANGE_RE = re.compile(r"^IQR (\S+) – (\S+)$")
SUITE_RE = re.compile(r"^suite (\d+)$", re.M)
BASELINE_RE = re.compile(r"^baseline: (.+)$", re.M)
BASE_RE = re.compile(r"^baseline median: (\S+)$", re.M)
HISTORY_DATE = "%Y-%m-%dT%H:%M:%SZ"


class BadSeries(Exception):
    """A data.js that github-action-benchmark (with our JSON) did not write."""


# ---- writing: one entry per metric -------------------------------------------

def _num(v):
    return float(f"{v:.6g}")


def _extra(row, ctx):
    kind = ("primary: a ratio within one run (fails CI when confirmed > "
            f"{rc.FAIL_FACTOR:g}x worse)" if row.kind == rm.PRIMARY
            else "secondary: a per-op median (machine-dependent, reported only)")
    lines = [kind, f"median of {row.cur['n']} repetitions"]
    base = (ctx.get("base_meta") or {}).get("git_commit", "?")
    if row.factor is not None:
        lines.append(f"against baseline {base}: {row.status}, x{row.factor:.3g}"
                     + (f", p={row.p:.2g}" if row.p is not None else ""))
    else:
        lines.append(f"against baseline {base}: {row.status}")
    meta = ctx.get("cur_meta") or {}
    lines.append(f"machine: {csvkeys.machine_line(meta)}")
    if meta.get("loadavg"):
        lines.append(f"load at start: {str(meta['loadavg']).split()[0]}")
    if meta.get("git_commit"):
        lines.append(f"measured at {meta['git_commit']}, {meta.get('started', '?')}")
    lines.append(f"suite {(meta.get('suite') or {}).get('version') or 1}")
    lines.append(f"baseline: {rr.baseline_id(ctx.get('base_meta'))}")
    if row.base is not None:
        lines.append(f"baseline median: {row.base['median']:.6g}")
    return "\n".join(lines)


def entries(rows, ctx):
    """The customSmallerIsBetter array for the compared rows (metrics this
    run measured; a metric missing in this run has no value to give)."""
    out = []
    for r in rows:
        if r.cur is None:
            continue
        out.append({"name": r.name, "unit": r.unit, "value": _num(r.cur["median"]),
                    "range": f"IQR {r.cur['q1']:.6g} – {r.cur['q3']:.6g}",
                    "extra": _extra(r, ctx)})
    return out


def write(path, rows, ctx):
    text = json.dumps(entries(rows, ctx), indent=1, ensure_ascii=False) + "\n"
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


# ---- checking the shape -------------------------------------------------------

def _is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def problems(data):
    """What keeps `data` from being a customSmallerIsBetter array ([] = none)."""
    if not isinstance(data, list):
        return [f"the top level is a {type(data).__name__}, not an array"]
    if not data:
        return ["the array is empty: no metric"]
    out, seen = [], set()
    for i, e in enumerate(data):
        where = f"entry {i}"
        if not isinstance(e, dict):
            out.append(f"{where}: a {type(e).__name__}, not an object")
            continue
        where = f"entry {i} ({e.get('name', 'no name')!r})"
        out += [f"{where}: no {k}" for k in REQUIRED if k not in e]
        out += [f"{where}: unknown key {k!r} (allowed: {', '.join(KEYS)})"
                for k in e if k not in KEYS]
        for k in ("name", "unit"):
            if k in e and not (isinstance(e[k], str) and e[k].strip()):
                out.append(f"{where}: {k} is not a non-empty string")
        if "value" in e and not _is_number(e["value"]):
            out.append(f"{where}: value {e['value']!r} is not a finite number")
        for k in ("range", "extra"):
            if k in e and not isinstance(e[k], str):
                out.append(f"{where}: {k} is not a string")
        if isinstance(e.get("name"), str):
            if e["name"] in seen:
                out.append(f"{where}: the name appears twice")
            seen.add(e["name"])
    return out


# ---- reading the series back --------------------------------------------------

def _spread(bench):
    m = RANGE_RE.match(bench.get("range") or "")
    if not m:
        raise BadSeries(f"metric {bench.get('name')!r}: range {bench.get('range')!r} is not "
                        "'IQR q1 – q3' (not written by ptb/regress/series.py)")
    try:
        return float(m.group(2)) - float(m.group(1))
    except ValueError:
        raise BadSeries(f"metric {bench.get('name')!r}: range {bench['range']!r} holds no numbers")


def _date(ms):
    t = datetime.datetime.fromtimestamp(ms / 1000.0, tz=datetime.timezone.utc)
    return t.strftime(HISTORY_DATE)


def parse_data_js(text):
    """The object github-action-benchmark stores in data.js."""
    if not text.startswith(DATA_JS_PREFIX):
        raise BadSeries(f"does not start with '{DATA_JS_PREFIX.strip()}'")
    try:
        data = json.loads(text[len(DATA_JS_PREFIX):])
    except ValueError as e:
        raise BadSeries(f"not JSON after the prefix: {e}")
    if not isinstance(data, dict) or not isinstance(data.get("entries"), dict):
        raise BadSeries("no 'entries' object")
    return data


def history_rows(text, name=SERIES_NAME):
    """[commit, date, metric, value, spread, suite, baseline, base] per
    metric and run of series `name`, oldest run first (an absent series
    gives no rows; an entry written before the baseline lines existed
    gives empty baseline and base)."""
    runs = parse_data_js(text)["entries"].get(name, [])
    if not isinstance(runs, list):
        raise BadSeries(f"series {name!r} is not an array")
    out = []
    for run in sorted(runs, key=lambda r: r.get("date", 0) if isinstance(r, dict) else 0):
        try:
            commit, date, benches = run["commit"]["id"][:7], _date(run["date"]), run["benches"]
        except (KeyError, TypeError, ValueError, OverflowError):
            raise BadSeries(f"series {name!r}: a run without commit.id, date or benches")
        for b in benches:
            if not isinstance(b, dict) or not _is_number(b.get("value")):
                raise BadSeries(f"series {name!r}, commit {commit}: a metric without a value")
            extra = b.get("extra") or ""
            suite, ident, base = (r.search(extra) for r in (SUITE_RE, BASELINE_RE, BASE_RE))
            out.append([commit, date, b.get("name"), f"{b['value']:.6g}", f"{_spread(b):.6g}",
                        suite.group(1) if suite else "1", ident.group(1) if ident else "",
                        base.group(1) if ident and base else ""])
    return out


def read_history(path, name=SERIES_NAME):
    """history_rows() of the data.js at path; BadSeries names the file."""
    try:
        with open(path, encoding="utf-8") as f:
            return history_rows(f.read(), name)
    except OSError as e:
        raise BadSeries(f"{path}: {e.strerror}")
    except BadSeries as e:
        raise BadSeries(f"{path}: {e}")


# ---- command line -------------------------------------------------------------

def _fail(msg, status=2):
    print(f"regress_series: {msg}", file=sys.stderr)
    sys.exit(status)


class OneLineParser(argparse.ArgumentParser):
    def error(self, message):
        _fail(f"{message} (see ptb/regress/series.py --help)")


def cmd_check(path):
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except OSError as e:
        _fail(f"{path}: {e.strerror}")
    except ValueError as e:
        _fail(f"{path}: not JSON: {e}")
    found = problems(data)
    for p in found:
        print(f"regress_series: {path}: {p}", file=sys.stderr)
    if found:
        return 1
    print(f"regress_series: {path}: {len(data)} metrics in customSmallerIsBetter form")
    return 0


def cmd_history(path, name, out):
    try:
        rows = read_history(path, name)
    except BadSeries as e:
        _fail(str(e))
    f = open(out, "w", newline="") if out else sys.stdout
    try:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(rr.HISTORY_HEADER)
        w.writerows(rows)
    finally:
        if out:
            f.close()
    return 0


def main(argv):
    ap = OneLineParser(prog="ptb/regress/series.py", epilog=__doc__,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("command", choices=("check", "history"))
    ap.add_argument("file")
    ap.add_argument("--name", default=SERIES_NAME)
    ap.add_argument("-o", "--out")
    args = ap.parse_args(argv)
    if args.command == "check":
        return cmd_check(args.file)
    return cmd_history(args.file, args.name, args.out)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
