#!/usr/bin/env python3
"""compare.py - compare the metrics of a run with the baseline's,
and decide what CI does about it.

The statistics are ptb/stats.py's, imported, not rewritten:
for each metric, compare(current, baseline) runs the two-sided
Mann-Whitney U test (scipy) over the per-repetition values (for a ratio
metric, the per-repetition ratios), with a bootstrap 95% CI of the change
and Cliff's delta beside p, and calls a difference only when

  p < ALPHA (0.01)  and  the ratio of medians current/baseline lies
  outside [1/(1+t), 1+t], t = max(THRESHOLD, larger relative IQR of the
  two samples), THRESHOLD = 10%.

Higher is worse for every metric: a time per op, and a ratio whose
numerator is the side expected to cost more (fork over thread, procpool
over threadpool, mutex over none), or async over sync (async losing its
advantage).

A metric is a *failure candidate* when it is one of the failing kinds
(primary metrics by default: per-op times depend on the machine) and is
changed, higher, by more than FAIL_FACTOR (2x) median over median.  CI
fails on it only when the immediate re-run of the suite makes it a
candidate again.  Everything else is reported, never failed.
"""
import math

from ptb.regress import metrics as rm
from ptb import stats as sv

THRESHOLD = 0.10
FAIL_FACTOR = 2.0
ALPHA = sv.ALPHA

EXIT_OK, EXIT_CORRECTNESS, EXIT_BAD_INPUT, EXIT_REGRESSION = 0, 1, 2, 3

UNCHANGED, WORSE, BETTER = "unchanged", "worse", "better"
MISSING, NEW, TOO_FEW = "missing", "new", "too few repetitions"


class Row:
    """The comparison of one metric."""

    def __init__(self, name, kind, unit, model):
        self.name, self.kind, self.unit, self.model = name, kind, unit, model
        self.base = self.cur = None          # ptb.stats.describe() dicts
        self.p = None
        self.factor = None                   # current median / baseline median
        self.ci = None                       # its bootstrap 95% CI (lo, hi)
        self.delta = None                    # Cliff's delta, current against baseline
        self.noise = None
        self.status = None
        self.candidate = False               # > FAIL_FACTOR worse in this run
        self.rerun_factor = None             # the re-run's factor, when re-run
        self.confirmed = False               # a candidate again on the re-run

    @property
    def change_pct(self):
        if self.factor is None or math.isinf(self.factor):
            return None
        return (self.factor - 1.0) * 100.0

    @property
    def failed(self):
        return self.candidate and self.confirmed


def _factor(cur, base):
    return sv.ratio(cur["median"], base["median"])


def compare_one(name, base, cur, fail_kinds):
    """Row for metric `name`; base and cur are Metrics or None."""
    any_m = cur or base
    row = Row(name, any_m.kind, any_m.unit, any_m.model)
    if base is not None:
        row.base = sv.describe(base.values)
    if cur is not None:
        row.cur = sv.describe(cur.values)
    if cur is None:
        row.status = MISSING
        return row
    if base is None:
        row.status = NEW
        return row
    res = sv.compare(cur.values, base.values, alpha=ALPHA, noise_floor=THRESHOLD)
    row.factor = _factor(row.cur, row.base)
    row.p, row.noise, row.ci, row.delta = res["p"], res["noise"], res["ci"], res["delta"]
    row.status = {sv.A_HIGHER: WORSE, sv.B_HIGHER: BETTER, sv.SAME: UNCHANGED,
                  sv.TOO_FEW: TOO_FEW}[res["outcome"]]
    row.candidate = (row.kind in fail_kinds and row.status == WORSE
                     and row.factor > FAIL_FACTOR)
    return row


def compare(base_metrics, cur_metrics, fail_kinds=(rm.PRIMARY,)):
    """Rows for every metric of either side: the baseline's order first,
    then metrics new in this run."""
    base = {m.name: m for m in base_metrics}
    cur = {m.name: m for m in cur_metrics}
    names = list(base) + [n for n in cur if n not in base]
    return [compare_one(n, base.get(n), cur.get(n), fail_kinds) for n in names]


def confirm(rows, base_metrics, rerun_metrics, fail_kinds=(rm.PRIMARY,)):
    """Mark which candidates the re-run confirms (candidates again)."""
    again = {r.name: r for r in compare(base_metrics, rerun_metrics, fail_kinds)}
    for row in rows:
        other = again.get(row.name)
        if row.candidate and other is not None:
            row.rerun_factor = other.factor
            row.confirmed = other.candidate


def confirm_without_rerun(rows):
    """No re-run to consult (compare mode without one): candidates stand."""
    for row in rows:
        row.confirmed = row.candidate


def exit_status(rows, failed_rows, leftovers_ok=True):
    """EXIT_CORRECTNESS before EXIT_REGRESSION before EXIT_OK."""
    if failed_rows or not leftovers_ok:
        return EXIT_CORRECTNESS
    if any(r.failed for r in rows):
        return EXIT_REGRESSION
    return EXIT_OK
