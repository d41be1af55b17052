#!/usr/bin/env python3
"""stats_verdict.py - the statistics behind every verdict of `make table`.

Stdlib only.  Three layers, each unit-tested in tests/table/:

  mann_whitney(x, y)   two-sided Mann-Whitney U test.  Exact p from the
                       permutation distribution of the rank sum (midranks,
                       so ties are exact too) when the pooled sample is
                       small; otherwise the normal approximation with tie
                       and continuity correction.
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
  scripts/stats_verdict.py 1,2,3,4,5 6,7,8,9,10
"""
import math
import statistics
import sys

ALPHA = 0.01          # significance level of the rank test
NOISE_FLOOR = 0.05    # a ratio within 5% is never called a difference
MIN_REPS = 5          # fewer repetitions per side: no verdict
EXACT_MAX_N = 40      # pooled sizes up to this get the exact test

A_HIGHER, B_HIGHER, SAME, TOO_FEW = "a_higher", "b_higher", "same", "too_few"
HOLDS, FAILS, DEPENDS, NO_VERDICT = "holds", "fails", "depends", "no verdict"


# ---- descriptive statistics ------------------------------------------------

def quantile(values, q):
    """Quantile q in [0,1] by linear interpolation (type 7, as lib/stats.c)."""
    v = sorted(values)
    if not v:
        raise ValueError("quantile of an empty sample")
    pos = q * (len(v) - 1)
    lo = int(math.floor(pos))
    if lo + 1 >= len(v):
        return v[-1]
    return v[lo] + (pos - lo) * (v[lo + 1] - v[lo])


def describe(values):
    """Median, quartiles, extremes and relative IQR (IQR / |median|, None if
    the median is 0)."""
    med = statistics.median(values)
    q1, q3 = quantile(values, 0.25), quantile(values, 0.75)
    rel = (q3 - q1) / abs(med) if med != 0 else None
    return {"n": len(values), "median": med, "q1": q1, "q3": q3, "rel_iqr": rel,
            "min": min(values), "max": max(values)}


def ratio(a, b):
    """a / b for medians; inf when only b is 0, 1 when both are."""
    if b == 0:
        return 1.0 if a == 0 else math.inf
    return a / b


# ---- the rank test -------------------------------------------------------

def midranks(pooled):
    """Ranks 1..N of the pooled values, ties given the mean of their ranks."""
    order = sorted(range(len(pooled)), key=lambda i: pooled[i])
    ranks = [0.0] * len(pooled)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and pooled[order[j + 1]] == pooled[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2.0 + 1.0
        i = j + 1
    return ranks


def _exact_p(ranks2, n, s_obs2):
    """Two-sided exact p: the share of n-subsets of the doubled ranks whose
    sum is at least as far from its mean as the observed sum."""
    big_n = len(ranks2)
    ways = [dict() for _ in range(n + 1)]   # ways[k][sum] = count of k-subsets
    ways[0][0] = 1
    for r in ranks2:
        for k in range(min(n, big_n) - 1, -1, -1):
            for s, c in ways[k].items():
                ways[k + 1][s + r] = ways[k + 1].get(s + r, 0) + c
    mean2 = n * (big_n + 1)                  # doubled expected rank sum
    dev = abs(s_obs2 - mean2)
    total = sum(ways[n].values())
    extreme = sum(c for s, c in ways[n].items() if abs(s - mean2) >= dev)
    return extreme / total


def _normal_p(u, n, m, ties):
    """Two-sided p from the normal approximation, tie and continuity corrected."""
    big_n = n + m
    var = n * m / 12.0 * ((big_n + 1) - ties / (big_n * (big_n - 1)))
    if var <= 0:
        return 1.0
    z = (abs(u - n * m / 2.0) - 0.5) / math.sqrt(var)
    return min(1.0, math.erfc(max(z, 0.0) / math.sqrt(2.0)))


def mann_whitney(x, y):
    """Two-sided Mann-Whitney U test of x against y.

    Returns (u_x, p, method): u_x counts pairs with x > y (ties count 1/2),
    method is "exact" or "normal"."""
    n, m = len(x), len(y)
    if n == 0 or m == 0:
        raise ValueError("mann_whitney needs two non-empty samples")
    pooled = list(x) + list(y)
    ranks = midranks(pooled)
    r_x = sum(ranks[:n])
    u_x = r_x - n * (n + 1) / 2.0
    counts = {}
    for v in pooled:
        counts[v] = counts.get(v, 0) + 1
    ties = sum(t ** 3 - t for t in counts.values())
    if len(counts) == 1:
        return u_x, 1.0, "exact"
    if n + m <= EXACT_MAX_N:
        ranks2 = [int(round(2 * r)) for r in ranks]
        return u_x, _exact_p(ranks2, n, int(round(2 * r_x))), "exact"
    return u_x, _normal_p(u_x, n, m, ties), "normal"


def smallest_p(n, m):
    """The smallest two-sided p any samples of sizes n, m can give (no ties)."""
    return min(1.0, 2.0 / math.comb(n + m, n))


# ---- comparison and verdicts -------------------------------------------------

def compare(a, b, alpha=ALPHA, noise_floor=NOISE_FLOOR, min_reps=MIN_REPS):
    """Compare samples a and b; returns a dict with the outcome and figures.

    outcome: A_HIGHER, B_HIGHER, SAME (no measurable difference) or TOO_FEW.
    """
    res = {"a": describe(a) if a else None, "b": describe(b) if b else None,
           "p": None, "method": None, "ratio": None, "noise": None, "why": ""}
    if len(a) < min_reps or len(b) < min_reps or smallest_p(len(a), len(b)) >= alpha:
        res["outcome"] = TOO_FEW
        res["why"] = (f"n too small ({len(a)} and {len(b)} repetitions; "
                      f"at least {min_reps} each needed for p < {alpha})")
        return res
    da, db = res["a"], res["b"]
    _, p, method = mann_whitney(a, b)
    rel = [d["rel_iqr"] for d in (da, db) if d["rel_iqr"] is not None]
    noise = max([noise_floor] + rel)
    r = ratio(da["median"], db["median"])
    res.update(p=p, method=method, ratio=r, noise=noise)
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


def fmt_ratio(r):
    if r is None:
        return "n/a"
    if math.isinf(r):
        return "∞"
    return f"{r:.3g}×"


def _parse(arg):
    try:
        return [float(v) for v in arg.split(",") if v != ""]
    except ValueError:
        return None


def main(argv):
    if len(argv) != 3 or _parse(argv[1]) is None or _parse(argv[2]) is None:
        print("stats_verdict.py: usage: stats_verdict.py A1,A2,... B1,B2,... "
              "(two comma-separated lists of numbers)", file=sys.stderr)
        return 2
    a, b = _parse(argv[1]), _parse(argv[2])
    res = compare(a, b)
    print(f"outcome={res['outcome']} p={res['p']} ratio={res['ratio']} "
          f"noise={res['noise']} {res['why']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
