#!/usr/bin/env python3
"""metrics.py - the metrics of `make regress`, computed from one
ptbench CSV (stdlib only; no statistics beyond per-repetition values).

A metric is a name and one value per repetition:

  primary (dimensionless, measured within one run, so a slower or faster
  machine moves numerator and denominator alike):
    "W A/B"            model A's ns/op over model B's, repetition by
                       repetition, for the pairs in RATIO_PAIRS (fork/thread,
                       procpool/threadpool, pyproc/pythread), per workload
                       variant W.  Models are interleaved inside each
                       repetition, so rep i of A and rep i of B ran
                       back to back.
    "W M async/sync"   pool model M with --submit async over --submit sync
                       (interleaved the same way: they are two variants of
                       the model inside one repetition).
    "W M mutex/none"   series M with --lock mutex over --lock none (locked
                       over unlocked counter cost), paired by run_id and
                       rep: the suite runs the counter in rounds of one
                       repetition so the two locks alternate in time.
  secondary (absolute, machine-dependent):
    "W S ns/op"        ns_per_op of series S (a model, or MODEL:sync).

Workloads in MEMORY_WORKLOADS (footprint: its finding is memory, and
its time per worker is mostly noise) get "W A/B pss" (pss_kb of A over B,
per repetition) and "W S pss_kb" instead, when the CSV has pss_kb.

W, the variant, is the workload's name followed by the parameters that
differ between the variants of that workload present in the CSV (and
n=WORKERS when several worker counts are present), e.g. "counter
lock=mutex" or "cpu steps=1e5 tasks=64".  Only rows with ok=1 are used.
"""
import sys

from ptb import workloads
from ptb.plot import csvkeys

PRIMARY, SECONDARY = "primary", "secondary"
# (numerator, denominator): the process model over its thread counterpart.
RATIO_PAIRS = (("fork", "thread"), ("procpool", "threadpool"), ("pyproc", "pythread"))
POOL_MODELS = ("threadpool", "procpool", "pypool")
LOCK_PAIR = ("mutex", "none")
MEMORY_WORKLOADS = ("footprint",)
TIME, MEMORY = "ns_per_op", "pss_kb"

BadInput = csvkeys.BadInput


class Metric:
    """One metric: name, kind (PRIMARY or SECONDARY), unit, the model whose
    colour it is drawn in, and its per-repetition values."""

    def __init__(self, name, kind, unit, model, values):
        self.name, self.kind, self.unit, self.model = name, kind, unit, model
        self.values = values

    def __repr__(self):
        return f"Metric({self.name!r}, {self.kind}, n={len(self.values)})"


def load(path):
    """Header and rows of a ptbench CSV (raises BadInput)."""
    return csvkeys.load(path)


def _params(row):
    return csvkeys.split_params(row["params"])


def submit_of(row):
    return dict(_params(row)).get("submit", "async")


def variant_pairs(row):
    """The row's workload parameters, without the pool's submit mode, and
    without tasks when it just follows the worker count; plus n=WORKERS."""
    out = []
    for key, value in _params(row):
        if key == "submit" or (key == "tasks" and value == row["workers"]):
            continue
        out.append((key, value))
    out.append(("n", row["workers"]))
    return tuple(out)


def series_of(row):
    return row["model"] if submit_of(row) == "async" else f"{row['model']}:{submit_of(row)}"


def _label(workload, pairs, keep):
    parts = [workload] + [f"{k}={csvkeys.nice_number(v)}" for k, v in pairs if k in keep]
    return " ".join(parts)


def variant_labels(rows):
    """{(workload, variant_pairs): label} with only the differing keys."""
    by_wl = {}
    for r in rows:
        by_wl.setdefault(r["workload"], {})[variant_pairs(r)] = None
    labels = {}
    for wl, variants in by_wl.items():
        texts = [";".join(f"{k}={v}" for k, v in p) for p in variants]
        differing = csvkeys.differing_keys(texts)
        for pairs in variants:
            labels[(wl, pairs)] = _label(wl, pairs, differing)
    return labels


def ok_rows(rows):
    return [r for r in rows if r.get("ok") == "1"]


def _value(row, column):
    try:
        v = float(row.get(column) or "")
    except ValueError:
        return None
    return v if v > 0 else None


def index_rows(rows, column=TIME):
    """{(workload, variant_pairs, series): {(run_id, rep): value of column}}."""
    out = {}
    for r in rows:
        if (column == MEMORY) != (r["workload"] in MEMORY_WORKLOADS):
            continue
        v = _value(r, column)
        if v is None:
            continue
        key = (r["workload"], variant_pairs(r), series_of(r))
        out.setdefault(key, {})[(r.get("run_id", ""), r["rep"])] = v
    return out


def paired(num, den):
    """Per-repetition ratios num/den over the (run_id, rep) keys both have."""
    keys = sorted((k for k in num if k in den), key=_rep_order)
    return [num[k] / den[k] for k in keys]


def _without(pairs, key):
    return tuple((k, v) for k, v in pairs if k != key)


def ratio_metrics(idx, labels, suffix=""):
    out = []
    for (wl, pairs, series), vals in idx.items():
        label = labels[(wl, pairs)]
        for a, b in RATIO_PAIRS:
            if series == a and (wl, pairs, b) in idx:
                out.append(Metric(f"{label} {a}/{b}{suffix}", PRIMARY, "×", a,
                                  paired(vals, idx[(wl, pairs, b)])))
        if series in POOL_MODELS and (wl, pairs, series + ":sync") in idx:
            out.append(Metric(f"{label} {series} async/sync{suffix}", PRIMARY, "×", series,
                              paired(vals, idx[(wl, pairs, series + ":sync")])))
    return out


def lock_metrics(idx, labels):
    """mutex over none for every series measured with both locks.
    Secondary, not primary: on the same 2-vCPU VM kind, a host CPU at half
    speed doubled this ratio in C (fork 5.7 -> 12.8) and in Python (pyproc
    1.5 -> 3.05, a lock path that is not ptbench's code) with no change in
    either path, so it tracks the host's atomics, not a regression."""
    out = []
    for (wl, pairs, series), vals in idx.items():
        if dict(pairs).get("lock") != LOCK_PAIR[0]:
            continue
        rest = _without(pairs, "lock")
        other = next((key for key in idx if key[0] == wl and key[2] == series
                      and dict(key[1]).get("lock") == LOCK_PAIR[1]
                      and _without(key[1], "lock") == rest), None)
        if other is None:
            continue
        base = labels[(wl, pairs)].replace(" lock=mutex", "")
        out.append(Metric(f"{base} {series} {LOCK_PAIR[0]}/{LOCK_PAIR[1]}", SECONDARY, "×",
                          series.split(":")[0], paired(vals, idx[other])))
    return out


def _rep_order(key):
    run_id, rep = key
    return (run_id, int(rep) if rep.isdigit() else 0, rep)


def absolute_metrics(idx, labels, column=TIME):
    op_names = workloads.op_names() if column == TIME else {}   # the C registry's words
    out = []
    for (wl, pairs, series), vals in idx.items():
        if column == TIME:
            name, unit = "ns/op", f"ns/{op_names.get(wl, 'op')}"
        else:
            name, unit = column, column.rsplit("_", 1)[-1].replace("kb", "kB")
        ordered = [vals[k] for k in sorted(vals, key=_rep_order)]
        out.append(Metric(f"{labels[(wl, pairs)]} {series} {name}", SECONDARY,
                          unit, series.split(":")[0], ordered))
    return out


def metrics(rows):
    """Every metric of the ok rows, primary first, in CSV order."""
    good = ok_rows(rows)
    labels = variant_labels(good)
    idx, mem = index_rows(good), index_rows(good, MEMORY)
    found = (ratio_metrics(idx, labels) + lock_metrics(idx, labels)
             + ratio_metrics(mem, labels, " pss")
             + absolute_metrics(idx, labels) + absolute_metrics(mem, labels, MEMORY))
    return [m for m in found if m.values]


def failed_rows(rows):
    """Rows whose ok is not 1, as short descriptions."""
    out = []
    for r in rows:
        if r.get("ok") != "1":
            why = r.get("error") or "ok is not 1"
            out.append(f"{r['workload']} {r['model']} n={r['workers']} {r['params']} "
                       f"rep {r['rep']}: {why}")
    return out


def main(argv):
    if len(argv) != 2:
        print("ptb/regress/metrics.py: usage: ptb/regress/metrics.py FILE.csv", file=sys.stderr)
        return 2
    try:
        _, rows = load(argv[1])
    except BadInput as e:
        print(f"regress: {e}", file=sys.stderr)
        return 2
    for m in metrics(rows):
        print(f"{m.kind:9} {m.name}: " + " ".join(f"{v:.4g}" for v in m.values))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
