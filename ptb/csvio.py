"""csvio.py - the one reader of ptbench's CSV, for every script.

ptbench writes one tidy CSV per run (lib/csv.h, PTB_CSV_HEADER; doc/csv.md)
and a meta sidecar FILE.meta.json.  This module knows:

  the schema      COLUMNS[v] lists the columns of schema version v, in
                  order; a file's version is read from its header (the
                  newest version whose columns are all there) and the
                  sidecar's "schema_version" when there is one.
  missing values  an empty field is a figure that could not be measured
                  here: num() returns None for it, never 0.
  bad input       load() raises BadInput with one line naming the file,
                  what is wrong and what is allowed; fail() prints that
                  line and exits with status 2.

Rows are dicts of column -> text, as csv.DictReader gives them, so the
scripts compare ok == "1" and params strings as they stand.  (pandas was
considered: every script here walks rows and groups them by a handful of
keys, and a DataFrame would make none of them shorter.)

Also here, because every statistics script needs it first: need_scipy(),
one line and exit 2 when the interpreter has no scipy.
"""
import argparse
import csv
import importlib
import json
import sys

COLUMNS_V1 = ("run_id", "workload", "model", "workers", "params", "rep", "wall_ns",
              "user_ns", "sys_ns", "maxrss_kb", "pss_kb", "vol_cs", "invol_cs", "minflt",
              "majflt", "migrations", "ops", "ns_per_op", "result", "ok", "outer_wall_ns",
              "error", "notes")
# 2: steal_ns after outer_wall_ns, the machine's steal time (all CPUs) over
#    the runner's life (/proc/stat, USER_HZ resolution).
COLUMNS_V2 = COLUMNS_V1[:21] + ("steal_ns",) + COLUMNS_V1[21:]
COLUMNS = {1: COLUMNS_V1, 2: COLUMNS_V2}
SCHEMA_VERSION = max(COLUMNS)
# What a reader needs at the least to group and compare rows.
KEY_COLUMNS = ("workload", "model", "workers", "params", "rep", "ns_per_op", "ok")
# Columns that hold numbers (empty = not measured); the rest are text.
NUMERIC = ("workers", "rep", "wall_ns", "user_ns", "sys_ns", "maxrss_kb", "pss_kb",
           "vol_cs", "invol_cs", "minflt", "majflt", "migrations", "ops", "ns_per_op",
           "result", "outer_wall_ns", "steal_ns")


class BadInput(Exception):
    """Input that is not what the script accepts: one line, exit status 2."""


def fail(prog, message):
    """Print `prog: message` as one line on stderr and exit with status 2."""
    print(f"{prog}: {message}", file=sys.stderr)
    sys.exit(2)


class ArgParser(argparse.ArgumentParser):
    """argparse whose bad options give one line (fail()) and exit status 2;
    prog names the script in that line."""

    def error(self, message):
        fail(self.prog, f"{message} (see {self.prog} --help)")


def version_of(header):
    """The newest schema version whose columns the header holds, or None."""
    have = set(header)
    found = [v for v, cols in COLUMNS.items() if set(cols) <= have]
    return max(found) if found else None


class Table:
    """A loaded CSV: header (list), rows (dicts), version (int), path."""

    def __init__(self, path, header, rows, version):
        self.path, self.header, self.rows, self.version = path, header, rows, version

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows)


def _parse(path, text_lines, need):
    reader = csv.reader(text_lines)
    header = next(reader, None)
    if not header or any(c not in header for c in need):
        raise BadInput(f"{path}: not a ptbench CSV (the header must name {','.join(need)})")
    rows = []
    for line_no, fields in enumerate(reader, start=2):
        if len(fields) != len(header):
            raise BadInput(f"{path}: line {line_no} has {len(fields)} fields, "
                           f"the header {len(header)}")
        row = dict(zip(header, fields))
        for name in ("workers", "rep"):
            if name in row and not row[name].isdigit():
                raise BadInput(f"{path}: line {line_no}: {name} '{row[name]}' is not a "
                               "whole number")
        rows.append(row)
    return header, rows


def load(path, need=KEY_COLUMNS, allow_empty=False):
    """Read a ptbench CSV; returns a Table or raises BadInput.

    need: the columns this reader uses (all must be in the header).
    allow_empty: a header without rows is accepted (else BadInput)."""
    try:
        with open(path, newline="", encoding="utf-8") as f:
            header, rows = _parse(path, f, need)
    except OSError as e:
        raise BadInput(f"{path}: {e.strerror}") from e
    except (csv.Error, UnicodeDecodeError) as e:
        raise BadInput(f"{path}: not a ptbench CSV ({e})") from e
    if not rows and not allow_empty:
        raise BadInput(f"{path}: a ptbench header but no rows")
    version = version_of(header)
    meta_version = load_meta(path).get("schema_version")
    if isinstance(meta_version, int) and meta_version > SCHEMA_VERSION:
        raise BadInput(f"{path}: schema version {meta_version} is newer than this reader's "
                       f"(allowed: 1 to {SCHEMA_VERSION})")
    return Table(path, header, rows, version or 0)


def load_rows(path, need=KEY_COLUMNS, allow_empty=False):
    """The rows (dicts) of a ptbench CSV; raises BadInput."""
    return load(path, need, allow_empty).rows


def meta_path(csv_path):
    return (csv_path[:-4] if csv_path.endswith(".csv") else csv_path) + ".meta.json"


def load_meta(csv_path):
    """The meta sidecar of csv_path as a dict, {} when there is none."""
    try:
        with open(meta_path(csv_path), encoding="utf-8") as f:
            meta = json.load(f)
    except (OSError, ValueError):
        return {}
    return meta if isinstance(meta, dict) else {}


def num(row, column):
    """The field as a float; None when empty (not measured) or absent."""
    text = row.get(column, "")
    if text == "" or text is None:
        return None
    try:
        return float(text)
    except ValueError:
        return None


def nums(rows, column):
    """The measured values of a column over rows, missing ones left out."""
    out = []
    for r in rows:
        v = num(r, column)
        if v is not None:
            out.append(v)
    return out


def split_params(params):
    """'a=1;b=2' -> [('a', '1'), ('b', '2')]."""
    out = []
    for item in params.split(";"):
        if item:
            key, _, value = item.partition("=")
            out.append((key, value))
    return out


def params_of(row):
    """The row's params as a dict."""
    return dict(split_params(row["params"]))


def write(path, header, rows):
    """Write rows (dicts) under header as ptbench's CSV (LF line ends)."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(header), lineterminator="\n",
                           restval="", extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)


def need_scipy(prog):
    """Import scipy.stats, or one line naming the interpreter and exit 2."""
    try:
        importlib.import_module("scipy.stats")
    except ImportError:
        fail(prog, f"scipy is missing for {sys.executable} (allowed: an interpreter "
                   "with scipy, e.g. make PYTHON=/usr/bin/python3; Debian: python3-scipy)")
