#!/usr/bin/env python3
"""stats.py - the statistics behind every verdict of `make table`,
the regression check and the comparisons, on scipy.stats.

  rank_test(a, b)      two-sided Mann-Whitney U test (scipy.stats.mannwhitneyu).
                       Small samples without ties: its exact distribution.
                       Small samples with ties (scipy's exact distribution
                       assumes none): the exact permutation distribution of
                       U (scipy.stats.permutation_test over every split, or
                       PERM_RESAMPLES random splits with a fixed seed when
                       there are more than PERM_EXACT_MAX splits).  Large
                       samples: the normal approximation, tie and
                       continuity corrected.
  ratio_ci(a, b)       bootstrap 95% confidence interval of the ratio of
                       medians a/b (scipy.stats.bootstrap, percentile
                       method, BOOT_RESAMPLES resamples, fixed seed, so the
                       same samples always give the same interval).
  cliffs_delta(u,n,m)  effect size beside the p-value: Cliff's delta =
                       P(a > b) - P(a < b), from the test's U.
  compare(a, b)        is sample a larger, smaller, or not measurably
                       different from sample b?  A difference counts only
                       when p < ALPHA *and* the ratio of medians lies
                       outside [1/(1+t), 1+t], where t is the noise: the
                       larger relative IQR of the two samples, at least
                       NOISE_FLOOR.  Too few repetitions to ever reach
                       p < ALPHA: no verdict.
  claim_verdict(...)   turns a comparison into holds / fails / no verdict
                       for a claim that says which side is larger, and
                       combine(...) turns the verdicts of several
                       conditions into one (or "depends on ...").

Run as a script it compares two lists of numbers:
  ptb/stats.py 1,2,3,4,5 6,7,8,9,10
"""
import math
import os
import sys

from ptb import csvio

csvio.need_scipy(os.path.basename(sys.argv[0]) or "ptb/stats.py")
import numpy as np  # noqa: E402
from scipy import stats  # noqa: E402

ALPHA = 0.01          # significance level of the rank test
NOISE_FLOOR = 0.05    # a ratio within 5% is never called a difference
MIN_REPS = 5          # fewer repetitions per side: no verdict
EXACT_MAX_N = 40      # pooled sizes up to this get an exact (or permutation) p
PERM_EXACT_MAX = 20000   # ties: enumerate every split up to this many
PERM_RESAMPLES = 19999   # ties, more splits: this many random ones
BOOT_RESAMPLES = 9999
CONFIDENCE = 0.95
SEED = 14             # bootstrap and permutation resampling: reproducible

A_HIGHER, B_HIGHER, SAME, TOO_FEW = "a_higher", "b_higher", "same", "too_few"
HOLDS, FAILS, DEPENDS, NO_VERDICT = "holds", "fails", "depends", "no verdict"


# ---- descriptive statistics ------------------------------------------------

def quantile(values, q):
    """Quantile q in [0,1] by linear interpolation (type 7, as lib/stats.c)."""
    if len(values) == 0:
        raise ValueError("quantile of an empty sample")
    return float(np.quantile(np.asarray(values, dtype=float), q))


def describe(values):
    """Median, quartiles, extremes and relative IQR (IQR / |median|, None if
    the median is 0)."""
    v = np.asarray(values, dtype=float)
    q1, med, q3 = (float(x) for x in np.quantile(v, (0.25, 0.5, 0.75)))
    rel = (q3 - q1) / abs(med) if med != 0 else None
    return {"n": len(v), "median": med, "q1": q1, "q3": q3, "rel_iqr": rel,
            "min": float(v.min()), "max": float(v.max())}


def ratio(a, b):
    """a / b for medians; inf when only b is 0, 1 when both are."""
    if b == 0:
        return 1.0 if a == 0 else math.inf
    return a / b


# ---- the rank test, the interval, the effect size --------------------------

def rank_test(a, b):
    """Two-sided Mann-Whitney U test of a against b.

    Returns (u_a, p, method): u_a counts pairs with a > b (ties count 1/2);
    method says how p was found ("exact", "permutation", "permutation
    (N random splits)" or "normal")."""
    x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    n, m = len(x), len(y)
    if n == 0 or m == 0:
        raise ValueError("rank_test needs two non-empty samples")
    pooled = np.concatenate((x, y))
    u_a = float(stats.mannwhitneyu(x, y, method="asymptotic").statistic)
    if np.all(pooled == pooled[0]):
        return u_a, 1.0, "exact"
    ties = len(np.unique(pooled)) < len(pooled)
    if n + m > EXACT_MAX_N:
        return u_a, float(stats.mannwhitneyu(x, y, method="asymptotic").pvalue), "normal"
    if not ties:
        return u_a, float(stats.mannwhitneyu(x, y, method="exact").pvalue), "exact"
    if n < 2 or m < 2:
        return u_a, float(stats.mannwhitneyu(x, y, method="asymptotic").pvalue), "normal"
    # U = rank sum of a - n(n+1)/2: permuting the midranks permutes U, and
    # |rank sum - its null mean| is the two-sided statistic.
    ranks = stats.rankdata(pooled)
    mean = n * (n + m + 1) / 2.0

    def distance(rx, ry, axis=-1):
        return np.abs(rx.sum(axis=axis) - mean)

    splits = math.comb(n + m, n)
    exact = splits <= PERM_EXACT_MAX
    res = stats.permutation_test((ranks[:n], ranks[n:]), distance, vectorized=True,
                                 alternative="greater",
                                 n_resamples=np.inf if exact else PERM_RESAMPLES,
                                 random_state=np.random.default_rng(SEED))
    method = "permutation" if exact else f"permutation ({PERM_RESAMPLES} random splits)"
    return u_a, float(res.pvalue), method


def cliffs_delta(u_a, n, m):
    """Cliff's delta from U of a against b: P(a > b) - P(a < b), in [-1, 1]."""
    return 2.0 * u_a / (n * m) - 1.0


def _median_ratio(x, y, axis=-1):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.median(x, axis=axis) / np.median(y, axis=axis)


def ratio_ci(a, b, confidence=CONFIDENCE):
    """Bootstrap confidence interval (lo, hi) of median(a) / median(b);
    None when it is not defined (a side has fewer than 2 values, or the
    median of b is 0)."""
    if len(a) < 2 or len(b) < 2 or float(np.median(b)) == 0.0:
        return None
    x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if np.all(x == x[0]) and np.all(y == y[0]):
        r = x[0] / y[0]
        return (r, r)
    res = stats.bootstrap((x, y), _median_ratio, vectorized=True, paired=False,
                          n_resamples=BOOT_RESAMPLES, confidence_level=confidence,
                          method="percentile", random_state=np.random.default_rng(SEED))
    lo, hi = res.confidence_interval
    return (float(lo), float(hi))


def smallest_p(n, m):
    """The smallest two-sided p any samples of sizes n, m can give (no ties)."""
    return min(1.0, 2.0 / math.comb(n + m, n))


# ---- comparison and verdicts -------------------------------------------------

def compare(a, b, alpha=ALPHA, noise_floor=NOISE_FLOOR, min_reps=MIN_REPS):
    """Compare samples a and b; returns a dict with the outcome and figures.

    outcome: A_HIGHER, B_HIGHER, SAME (no measurable difference) or TOO_FEW.
    """
    res = {"a": describe(a) if a else None, "b": describe(b) if b else None,
           "p": None, "method": None, "ratio": None, "noise": None, "ci": None,
           "delta": None, "why": ""}
    if len(a) < min_reps or len(b) < min_reps or smallest_p(len(a), len(b)) >= alpha:
        res["outcome"] = TOO_FEW
        res["why"] = (f"n too small ({len(a)} and {len(b)} repetitions; "
                      f"at least {min_reps} each needed for p < {alpha})")
        return res
    da, db = res["a"], res["b"]
    u_a, p, method = rank_test(a, b)
    rel = [d["rel_iqr"] for d in (da, db) if d["rel_iqr"] is not None]
    noise = max([noise_floor] + rel)
    r = ratio(da["median"], db["median"])
    res.update(p=p, method=method, ratio=r, noise=noise, ci=ratio_ci(a, b),
               delta=cliffs_delta(u_a, len(a), len(b)))
    significant = p < alpha
    beyond_noise = r > 1.0 + noise or r < 1.0 / (1.0 + noise)
    if significant and beyond_noise:
        res["outcome"] = A_HIGHER if da["median"] > db["median"] else B_HIGHER
        res["why"] = f"p = {p:.2g} < {alpha}, ratio {fmt_ratio(r)} beyond noise ±{noise:.0%}"
    else:
        res["outcome"] = SAME
        parts = []
        if not significant:
            parts.append(f"p = {p:.2g} ≥ {alpha}")
        if not beyond_noise:
            parts.append(f"ratio {fmt_ratio(r)} within noise ±{noise:.0%}")
        res["why"] = "no measurable difference (" + ", ".join(parts) + ")"
    return res


def claim_verdict(outcome, expect):
    """Verdict on a claim that predicts `expect` (A_HIGHER, B_HIGHER or SAME).

    Returns (verdict, reason)."""
    if expect not in (A_HIGHER, B_HIGHER, SAME):
        raise ValueError(f"bad expectation {expect!r}")
    if outcome == TOO_FEW:
        return NO_VERDICT, "too few repetitions"
    if outcome == expect:
        return HOLDS, "as claimed" if expect != SAME else "no measurable difference, as claimed"
    if outcome == SAME:
        return FAILS, "no measurable difference"
    if expect == SAME:
        return FAILS, "a measurable difference"
    return FAILS, "the reverse holds"


def combine(conditions, on):
    """One verdict from (label, verdict) pairs measured under several values
    of a parameter `on`.  Unanimous -> that verdict; holds for some and
    fails for others, or any "depends" -> "depends"; conditions without a
    verdict are left out (all without one -> no verdict).  Returns
    (verdict, explanation)."""
    measured = [(lbl, v) for lbl, v in conditions if v in (HOLDS, FAILS, DEPENDS)]
    if not measured:
        return NO_VERDICT, "no condition gave a verdict"
    kinds = {v for _, v in measured}
    if len(kinds) == 1 and DEPENDS not in kinds:
        return measured[0][1], ""
    parts = []
    for kind in (HOLDS, FAILS, DEPENDS):
        labels = ", ".join(lbl for lbl, v in measured if v == kind)
        if labels:
            parts.append(f"{kind if kind != DEPENDS else 'depends'} for {labels}")
    return DEPENDS, f"on {on}: " + "; ".join(parts)


# ---- physics: a figure no machine of this size can give ---------------------

MACHINE_CHANGED = "the machine's speed changed"


def noise_of(*samples):
    """The noise of a figure computed from these samples: the largest
    relative IQR among them, at least NOISE_FLOOR."""
    rel = [describe(s)["rel_iqr"] or 0.0 for s in samples if len(s)]
    return max([NOISE_FLOOR] + rel)


def beyond_physics(value, limit, *samples):
    """The noise (noise_of the samples) when value lies above limit by
    more than it: a speed-up above min(workers, cores), a utilisation
    above all the cores.  None when the value is within physics."""
    noise = noise_of(*samples)
    return noise if value is not None and value > limit * (1.0 + noise) else None


def fmt_ratio(r):
    if r is None:
        return "n/a"
    if math.isinf(r):
        return "∞"
    return f"{r:.3g}×"


def fmt_ci(ci):
    """'95% CI 1.9–2.1×' of a ratio's interval; '' when there is none."""
    if ci is None:
        return ""
    lo, hi = (fmt_ratio(v).rstrip("×") for v in ci)
    return f"{CONFIDENCE:.0%} CI {lo}–{hi}×"


def fmt_delta(delta):
    """Cliff's delta with its sign: 'δ = +0.84'."""
    return "" if delta is None else f"δ = {delta:+.2f}"


def fmt_evidence(res):
    """The ratio with its interval, p and effect size of a compare() result:
    '2.02× (95% CI 1.98–2.05×), p = 2.8e-06, δ = +1.00'."""
    if res.get("p") is None:
        return fmt_ratio(res.get("ratio"))
    ci = fmt_ci(res.get("ci"))
    text = fmt_ratio(res["ratio"]) + (f" ({ci})" if ci else "")
    return f"{text}, p = {res['p']:.2g}, {fmt_delta(res['delta'])}"


def _parse(arg):
    try:
        return [float(v) for v in arg.split(",") if v != ""]
    except ValueError:
        return None


def main(argv):
    if len(argv) != 3 or _parse(argv[1]) is None or _parse(argv[2]) is None:
        print("ptb/stats.py: usage: ptb/stats.py A1,A2,... B1,B2,... "
              "(two comma-separated lists of numbers)", file=sys.stderr)
        return 2
    a, b = _parse(argv[1]), _parse(argv[2])
    res = compare(a, b)
    print(f"outcome={res['outcome']} p={res['p']} ratio={res['ratio']} "
          f"ci={res['ci']} delta={res['delta']} noise={res['noise']} {res['why']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
