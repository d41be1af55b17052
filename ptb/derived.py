#!/usr/bin/env python3
"""derived.py - figures derived from a ptbench CSV, per configuration.

Usage: python3 -m ptb.derived FILE.csv [--cores N] [--workload NAME[,NAME...]]

For every (workload, parameters, model, workers) with ok=1 rows it prints
the medians over the repetitions of:
  ns/op       as in the CSV;
  speed-up    throughput against 1 worker of the same model and
              parameters: ns_per_op(1 worker) / ns_per_op(n workers)
              (for `cpu`, where each task counts --steps, this is
              n x wall(1) / wall(n); ideal: min(n, cores)).  For the
              workloads whose every op is CPU work (CPU_BOUND), a
              speed-up above min(n, cores) by more than the noise (the
              relative IQR of either side, at least 5%) is no result: the
              cell says "the machine's speed changed" (the guard of the
              table and fidelity, ptb.stats.beyond_physics).  The
              others wait (sleep, I/O, a partner) and can overlap their
              waits beyond the cores;
  cpu-util    (user_ns + sys_ns) / (wall_ns x cores): the share of the
              machine's CPU time the run used (1.0 = every core busy);
  cpu-ns/op   (user_ns + sys_ns) / ops: the CPU time one op cost, which
              other load on the machine disturbs less than wall time;
  bytes/s     1e9 / ns_per_op, for workloads whose op is a byte (share);
  result      the workload's checkable output;
  notes       the median of each numeric key=value of the notes column
              (reap_ns_median, gone_ns_median, concurrency_max, ...).
cores is cores_online from the meta sidecar (FILE.meta.json), else
--cores, else this machine's CPU count.  The CSV schema is not changed:
everything here is computed from its columns.  Rows whose wall_ns is
empty (a crash that took the runner) count for result but have no timing.

Bad input: one line on stderr, exit status 2, nothing printed on stdout.
"""
import argparse
import os
import statistics
import sys

from ptb import csvio
from ptb import stats as sv

REQUIRED = ("workload", "model", "workers", "params", "wall_ns", "user_ns", "sys_ns",
            "ns_per_op", "result", "ok")
POOL_KEYS = ("tasks=", "submit=")
CPU_BOUND = ("cpu", "create")   # ops that are CPU work only: speed-up <= min(n, cores)
BadInput = csvio.BadInput


def cores_of(path, given):
    if given:
        return given
    n = csvio.load_meta(path).get("cores_online")
    return n if isinstance(n, int) and n > 0 else (os.cpu_count() or 1)


def num(s):
    """A number from the notes' key=value text, None when it is not one."""
    return csvio.num({"v": s}, "v")


def variant(row):
    """The model, with the pool's submit mode."""
    submit = [p[7:] for p in row["params"].split(";") if p.startswith("submit=")]
    return row["model"] + ("/" + submit[0] if submit else "")


def base_params(params):
    """The workload's own parameters (without the pool's tasks and submit)."""
    return ";".join(p for p in params.split(";") if p and not p.startswith(POOL_KEYS))


def notes_of(row):
    out = {}
    for item in (row.get("notes") or "").split(";"):
        k, sep, v = item.partition("=")
        if sep and num(v) is not None:
            out[k] = num(v)
    return out


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


class Group:
    def __init__(self):
        self.nspo, self.util, self.cpu_nspo, self.result, self.notes = [], [], [], [], {}

    def add(self, row, cores):
        wall, user, sys_ = (csvio.num(row, c) for c in ("wall_ns", "user_ns", "sys_ns"))
        self.nspo.append(csvio.num(row, "ns_per_op"))
        self.result.append(csvio.num(row, "result"))
        ops = csvio.num(row, "ops")
        if wall and user is not None and sys_ is not None:
            self.util.append((user + sys_) / (wall * cores))
            if ops:
                self.cpu_nspo.append((user + sys_) / ops)
        for k, v in notes_of(row).items():
            self.notes.setdefault(k, []).append(v)


def collect(rows, cores, only):
    groups = {}
    for r in rows:
        if r["ok"] != "1" or (only and r["workload"] not in only):
            continue
        key = (r["workload"], base_params(r["params"]), variant(r), int(r["workers"]))
        groups.setdefault(key, Group()).add(r, cores)
    return groups


def fmt(v, spec="{:.4g}"):
    return "" if v is None else spec.format(v)


def render(groups, cores, out):
    print(f"cores = {cores}; medians over the ok=1 repetitions", file=out)
    head = ("workload", "params", "model", "n", "reps", "ns/op", "speed-up", "cpu-util",
            "cpu-ns/op", "bytes/s", "result", "notes (medians)")
    print("\t".join(head), file=out)
    for key in sorted(groups, key=lambda k: (k[0], k[1], k[2], k[3])):
        wl, params, var, n = key
        g = groups[key]
        nspo = median(g.nspo)
        base = groups.get((wl, params, var, 1))
        b = median(base.nspo) if base else None
        speedup = b / nspo if b and nspo else None
        shown = fmt(speedup, "{:.2f}")
        limit = min(n, cores)
        noise = (sv.beyond_physics(speedup, limit, [v for v in base.nspo if v is not None],
                                     [v for v in g.nspo if v is not None]) if wl in CPU_BOUND and b else None)
        if noise is not None:
            shown = (f"⚠ {sv.MACHINE_CHANGED}: {speedup:.2f} is above min(workers, cores) = {limit} "
                     f"beyond the noise ±{noise:.0%}; not a result")
        bps = 1e9 / nspo if nspo and wl == "share" else None
        notes = ";".join(f"{k}={fmt(median(v), '{:.6g}')}" for k, v in sorted(g.notes.items()))
        print("\t".join((wl, params, var, str(n), str(len(g.nspo)), fmt(nspo), shown,
                         fmt(median(g.util), "{:.2f}"), fmt(median(g.cpu_nspo)), fmt(bps, "{:.4g}"),
                         fmt(median(g.result), "{:.6g}"), notes)), file=out)


class Parser(argparse.ArgumentParser):
    def error(self, message):
        raise BadInput(f"{message} (usage: derived.py FILE.csv [--cores N] [--workload LIST])")


def cores_arg(s):
    if not s.isdigit() or int(s) < 1:
        raise argparse.ArgumentTypeError(f"--cores: '{s}' (allowed: a whole number >= 1)")
    return int(s)


def main(argv):
    ap = Parser(prog="derived.py")
    ap.add_argument("csv")
    ap.add_argument("--cores", type=cores_arg, default=0)
    ap.add_argument("--workload", default="")
    try:
        args = ap.parse_args(argv[1:])
        rows = csvio.load_rows(args.csv, need=REQUIRED)
        only = [w for w in args.workload.split(",") if w]
        known = {r["workload"] for r in rows}
        for w in only:
            if w not in known:
                raise BadInput(f"--workload: '{w}' is not in {args.csv} "
                               f"(allowed: {', '.join(sorted(known))})")
        cores = cores_of(args.csv, args.cores)
        render(collect(rows, cores, only), cores, sys.stdout)
    except BadInput as e:
        print(f"derived.py: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
