"""sequential.py - repetitions until the answer is clear: the stopping rule
of `make table` (doc/methodology.md, "Repetitions until the answer is
clear").

A measure runs its interleaved repetitions in rounds (ptbench -r k on the
same command, rows appended): a first round of `first` repetitions, then
rounds of `step`, up to `max_reps`.  After each round ("a look") every
comparison the table judges (a Cond of a finding that a claim or a seed
row's aspect judges against an expectation) is judged again:

  difference   its ratio's confidence interval lies wholly outside the
               noise band [1/(1+t), 1+t] (ptb/stats.py: t the larger
               relative IQR, at least 5%) and the table's own test
               (stats.compare) calls it a difference;
  equivalent   the interval lies wholly inside the band and the table's
               test finds no measurable difference;
  open         otherwise.

The measure stops when no comparison is open, or when max_reps is reached
("max-reps"), or when the next round is not expected to end within the
measure's time budget ("budget"); a comparison still open then is
undecided, and its verdict says so with its n.

The interval at look k is the table's bootstrap interval of the ratio of
medians (stats.ratio_ci) at confidence 1 - a_k, where a_k is the share of
the overall 5% that the Lan-DeMets spending function of O'Brien-Fleming
type spends at that look: a*(t) = 2 - 2 Phi(z_{0.975} / sqrt(t)), t =
n_k / max_reps, a_k = a*(t_k) - a*(t_{k-1}).  The a_k add up to at most
5%, so (Bonferroni) the intervals of all looks cover the true ratio
together with probability at least 95%: they are repeated confidence
intervals (Jennison & Turnbull 1984), and a decision taken at whichever
look the data made it is wrong with probability at most 5%.

    spent(t), look_alphas(looks)    the spending function and its increments
    judge(a, b, alpha)              one comparison at one look
    comparisons(mid, rows, ctx)     the judged comparisons measure mid decides
    settle(rounds, run_round, judge_all, clock)   the loop of rounds
    apply_stops(found, stops)       undecided comparisons into the findings
    replay(csv, meta)               the rule on committed rows (python3 -m
                                    ptb.table.sequential [DIR])
"""
import math
import sys
import time

from ptb import stats as sv

ALPHA = round(1.0 - sv.CONFIDENCE, 12)   # 0.05: the intervals of all looks together at 95%
DIFFERENCE, EQUIVALENT, OPEN = "difference", "equivalent", "open"
MAX_REPS, BUDGET = "max-reps", "budget"
SETTLED = (DIFFERENCE, EQUIVALENT)
JUDGE_SCALE = 1.0
REASONS = (DIFFERENCE, EQUIVALENT, MAX_REPS, BUDGET)
# a measure's reason to stop: every comparison settled (by kind), a maximum,
# or nothing the table judges (one round, its figures shown only)
FIGURES_ONLY, SETTLED_MIXED = "figures-only", "settled"


# ---- the rounds of one measure ---------------------------------------------------

class Rounds:
    """The schedule of one measure: a first round of `first` repetitions,
    then rounds of `step`, at most `max_reps` in all and, after the first
    round, none that is not expected to end within `budget_s` seconds of
    the measure's start (None: no time budget).  first == max_reps: one
    round (a fixed design)."""

    def __init__(self, first, step, max_reps, budget_s=None, warmup=1, next_warmup=0):
        if not 1 <= first <= max_reps or step < 1:
            raise ValueError(f"bad rounds: first {first}, step {step}, max {max_reps}")
        self.first, self.step, self.max_reps = first, step, max_reps
        self.budget_s, self.warmup, self.next_warmup = budget_s, warmup, next_warmup

    def warmup_of(self, index):
        """The warm-up repetitions of round `index` (0: the first)."""
        return self.warmup if index == 0 else self.next_warmup

    def looks(self):
        """The repetition counts after each round: first, first+step, ..., max_reps."""
        out = [self.first]
        while out[-1] < self.max_reps:
            out.append(min(out[-1] + self.step, self.max_reps))
        return out

    def as_dict(self):
        return {"first": self.first, "step": self.step, "max_reps": self.max_reps,
                "budget_s": self.budget_s, "warmup": self.warmup,
                "next_warmup": self.next_warmup}


def _phi(x):
    return 0.5 * math.erfc(-x / math.sqrt(2.0))


def _z(p):
    """The standard normal quantile of p (scipy's, via stats)."""
    from scipy.stats import norm
    return float(norm.ppf(p))


def spent(t, alpha=ALPHA):
    """Lan-DeMets spending function of O'Brien-Fleming type: the error
    spent by information fraction t in [0, 1] (alpha at t = 1, 0 at 0)."""
    if t <= 0:
        return 0.0
    if t >= 1:
        return alpha
    return 2.0 - 2.0 * _phi(_z(1.0 - alpha / 2.0) / math.sqrt(t))


def look_alphas(looks, alpha=ALPHA):
    """The error each look may spend: a*(t_k) - a*(t_{k-1}), t_k = looks[k] /
    looks[-1].  They add up to alpha."""
    out, before = [], 0.0
    for n in looks:
        now = spent(n / looks[-1], alpha)
        out.append(now - before)
        before = now
    return out


# ---- one comparison at one look -----------------------------------------------

def interval(a, b, confidence):
    """The bootstrap interval of median(a) / median(b) at `confidence`, as
    stats.ratio_ci; where the median of b is 0: the interval of b/a
    inverted (1/0 = inf); both medians 0 and every value 0: (1, 1) (the
    ratio stats.ratio gives).  None when it is not defined."""
    if len(a) < 2 or len(b) < 2:
        return None
    mb, ma = sv.describe(b)["median"], sv.describe(a)["median"]
    if mb == 0:
        if ma == 0:
            return (1.0, 1.0) if not any(a) and not any(b) else None
        inv = sv.ratio_ci(b, a, confidence)
        if inv is None or any(math.isnan(x) for x in inv):
            return None
        lo, hi = inv
        return (1.0 / hi if hi > 0 else math.inf, 1.0 / lo if lo > 0 else math.inf)
    ci = sv.ratio_ci(a, b, confidence)
    if ci is None or any(math.isnan(x) for x in ci):
        return None
    return ci


def judge(a, b, alpha):
    """One comparison at a look that may spend `alpha`: {"state": DIFFERENCE,
    EQUIVALENT or OPEN, "ci": the interval at 1 - alpha, "confidence",
    "noise": t, "n": [len(a), len(b)], "outcome": the table's}."""
    res = sv.compare(a, b)
    out = {"state": OPEN, "ci": None, "confidence": 1.0 - alpha, "noise": res["noise"],
           "n": [len(a), len(b)], "outcome": res["outcome"], "ratio": res["ratio"]}
    if res["outcome"] == sv.TOO_FEW:
        return out
    ci = interval(a, b, 1.0 - alpha)
    out["ci"] = ci
    if ci is None:
        return out
    t = res["noise"]
    lo_band, hi_band = 1.0 / (1.0 + t), 1.0 + t
    if (ci[0] > hi_band or ci[1] < lo_band) and res["outcome"] in (sv.A_HIGHER, sv.B_HIGHER):
        out["state"] = DIFFERENCE
    elif ci[0] >= lo_band and ci[1] <= hi_band and res["outcome"] == sv.SAME:
        out["state"] = EQUIVALENT
    return out


# ---- which comparisons a measure decides -------------------------------------------

def judged_findings():
    """The findings some claim or seed row judges against an expectation."""
    from ptb.table import seed
    keys = set()
    for _cid, _text, spec, _wl, other in seed.CLAIMS:
        for s in (spec, other[1] if other else None):
            if isinstance(s, list):
                keys |= {k for k, e in s if e is not None}
    for row in seed.SEED_ROWS:
        for lang in ("c", "py"):
            if isinstance(row[lang], list):
                keys |= {a.judged_by for a in row[lang] if a.shows and a.expect is not None}
    return keys


def _conds(name, rows, ctx, judged):
    from ptb.table import analysis
    if not rows or name not in analysis.ANALYSES:
        return {}
    out = {}
    for key, f in analysis.ANALYSES[name](rows, ctx).items():
        if key in judged and f and hasattr(f, "conds"):
            for c in f.conds:
                out[(key, c.label)] = (c.res["values_a"], c.res["values_b"])
    return out


def _group(mid):
    from ptb.table import analysis
    return next((g for g, prefix in analysis.GROUPS.items() if mid.startswith(prefix)), mid)


def comparisons(mid, rows_by_measure, ctx, judged=None):
    """{(finding key, condition label): (a values, b values)} of the judged
    comparisons that measure `mid`'s rows decide: those of its analysis
    (of its group's, the mpi measures', with the rows of the group's
    measures already run) whose values change with its rows.  A finding
    that another measure's analysis also makes and the table takes from
    there (analysis.MEASURE_OF) is not this measure's."""
    from ptb.table import analysis
    judged = judged_findings() if judged is None else judged
    name = _group(mid)
    judged = {k for k in judged if _group(analysis.MEASURE_OF.get(k, name)) == name}
    others = [r for m, rows in rows_by_measure.items() if m != mid and _group(m) == name
              for r in rows]
    mine = rows_by_measure.get(mid, [])
    now = _conds(name, others + mine, ctx, judged)
    before = _conds(name, others, ctx, judged) if others else {}
    return {k: v for k, v in now.items() if before.get(k) != v}


# ---- the configurations a round needs -------------------------------------------------

def config_of(row):
    """A row's configuration: (model, workers, params)."""
    return (row["model"], row["workers"], row["params"])


def needed(mid, rows_by_measure, ctx, keys, judged=None):
    """The configurations of measure mid whose rows the comparisons `keys`
    use: those without whose rows one of them changes or vanishes."""
    rows = rows_by_measure.get(mid, [])
    now = {k: v for k, v in comparisons(mid, rows_by_measure, ctx, judged).items() if k in keys}
    out = set()
    for cfg in sorted({config_of(r) for r in rows}):
        less = {**rows_by_measure, mid: [r for r in rows if config_of(r) != cfg]}
        then = comparisons(mid, less, ctx, judged)
        if any(then.get(k) != v for k, v in now.items()):
            out.add(cfg)
    return out


def narrowing(rows, configs):
    """What a round that runs `configs` (of these rows) asks ptbench for:
    {"models", "workers", "params": {key: values}}, a parameter listed only
    where fewer of its values are needed than the rows have.  ptbench runs
    every combination of them: `configs` and perhaps a few more."""
    def params(cfg):
        return dict(kv.split("=", 1) for kv in cfg[2].split(";") if "=" in kv)
    every = {config_of(r) for r in rows}
    out = {"models": {c[0] for c in configs}, "workers": {c[1] for c in configs}, "params": {}}
    keys = {k for c in every for k in params(c)}
    for key in sorted(keys):
        want = {params(c).get(key) for c in configs}
        have = {params(c).get(key) for c in every}
        if want < have and None not in want:
            out["params"][key] = want
    return out


def in_round(cfg, narrow):
    """Does configuration cfg run in a round narrowed so?"""
    if narrow is None:
        return True
    p = dict(kv.split("=", 1) for kv in cfg[2].split(";") if "=" in kv)
    return (cfg[0] in narrow["models"] and cfg[1] in narrow["workers"]
            and all(p.get(k) in v for k, v in narrow["params"].items()))


def narrow_args(args, narrow):
    """ptbench run arguments with -m, -n and every swept --KEY list cut to
    the values `narrow` keeps; a list whose items do not name every value
    wanted is left whole (the round then runs more than it needs)."""
    if narrow is None:
        return list(args)
    out = list(args)
    wanted = {"-m": narrow["models"], "-n": narrow["workers"],
              **{f"--{k}": v for k, v in narrow["params"].items()}}
    for i in range(len(out) - 1):
        want = wanted.get(out[i])
        if want is None:
            continue
        items = out[i + 1].split(",")
        if want <= set(items):
            out[i + 1] = ",".join(x for x in items if x in want)
    return out


def round_seconds(rows, narrow, reps, warmup, per_outer):
    """The expected seconds of a round of `reps` repetitions (and `warmup`)
    of the configurations `narrow` keeps: each one's mean outer_wall_ns so
    far times per_outer (seconds measured per second of outer wall)."""
    walls = {}
    for r in rows:
        if r.get("outer_wall_ns"):
            walls.setdefault(config_of(r), []).append(float(r["outer_wall_ns"]) / 1e9)
    total = sum(sum(v) / len(v) for cfg, v in walls.items() if in_round(cfg, narrow))
    return total * (reps + warmup) * per_outer


# ---- the loop ----------------------------------------------------------------------

def measure_reason(states, reason_if_open):
    """The measure's reason to stop from its comparisons' final states."""
    if not states:
        return FIGURES_ONLY
    kinds = {s["state"] for s in states.values()}
    if OPEN in kinds:
        return reason_if_open
    return kinds.pop() if len(kinds) == 1 else SETTLED_MIXED


def settle(rounds, run_round, judge_all, predict=None, clock=time.monotonic):
    """Run the rounds of one measure and say why they stopped.

    run_round(reps, index, open_keys) runs round `index` (0: the first,
    open_keys None: every configuration) of `reps` repetitions and keeps
    its rows; later rounds get the keys of the comparisons still open,
    whose configurations they need.  judge_all(alpha) judges every
    comparison on the rows so far: {key: judge(...)}.  predict(reps,
    index, open_keys): the seconds the round is expected to take (default:
    the seconds per repetition of the rounds so far); a round that would
    end after the budget is not started.  Returns the stop record:
    {"reason" (the measure's), "reps", "looks": [{"n", "confidence",
    "open", "seconds"}], "rounds", "comparisons": [{"finding",
    "condition", "reason", "n", "ci", "confidence", "noise", "look",
    "settled_at"}], "seconds"}."""
    looks = rounds.looks()
    alphas = look_alphas(looks)
    start = clock()
    done, units = 0, 0
    states, reason, open_keys, since, record = {}, MAX_REPS, None, {}, []
    for k, target in enumerate(looks):
        t0 = clock()
        run_round(target - done, k, open_keys)
        units += target - done + rounds.warmup_of(k)
        done = target
        states = judge_all(alphas[k])
        for key, s in states.items():
            s["look"] = k + 1
            if s["state"] in SETTLED:
                since.setdefault(key, k + 1)
            else:
                since.pop(key, None)
        open_keys = sorted(key for key, s in states.items() if s["state"] not in SETTLED)
        record.append({"n": target, "confidence": round(1.0 - alphas[k], 6),
                       "open": len(open_keys), "seconds": round(clock() - t0, 1)})
        if not open_keys:
            reason = None
            break
        if k == len(looks) - 1:
            reason = MAX_REPS
            break
        elapsed = clock() - start
        reps = looks[k + 1] - done
        if predict is not None:
            nxt = predict(reps, k + 1, open_keys)
        else:
            nxt = elapsed / units * (reps + rounds.warmup_of(k + 1))
        if rounds.budget_s is not None and elapsed + nxt > rounds.budget_s:
            reason = BUDGET
            break
    comps = []
    for (key, label), s in sorted(states.items()):
        comps.append({"finding": key, "condition": label,
                      "reason": s["state"] if s["state"] in SETTLED else reason,
                      "n": s["n"], "ci": [_num(x) for x in s["ci"]] if s["ci"] else None,
                      "confidence": round(s["confidence"], 6), "noise": s["noise"],
                      "look": s["look"], "settled_at": since.get((key, label))})
    return {"reason": measure_reason(states, reason), "reps": done, "looks": record,
            "rounds": rounds.as_dict(), "comparisons": comps,
            "seconds": round(clock() - start, 1)}


# ---- into the findings ----------------------------------------------------------------

def _num(x):
    """A float for JSON: "inf" / "-inf" when infinite."""
    return ("inf" if x > 0 else "-inf") if math.isinf(x) else x


def _unnum(x):
    return float(x) if isinstance(x, str) else x


def _fmt_ci(ci):
    return "none" if not ci else "–".join(sv.fmt_ratio(_unnum(x)).rstrip("×") for x in ci) + "×"


def undecided_why(c):
    """The words of a comparison the rounds left open."""
    na, nb = c["n"]
    n = f"{na}" if na == nb else f"{na} and {nb}"
    why = ("the most repetitions this measure runs" if c["reason"] == MAX_REPS
           else "the measure's time budget")
    noise = f"±{c['noise']:.0%}" if c.get("noise") is not None else "(none)"
    return (f"undecided (n = {n}): the ratio's {c['confidence']:.1%} interval "
            f"{_fmt_ci(c['ci'])} is neither wholly outside nor wholly inside the noise band "
            f"{noise}, and the rounds stopped at {why} ({c['reason']})")


def stops_of(runs):
    """{(finding, condition): comparison record} of the meta's runs (none
    for a meta written before the rounds)."""
    out = {}
    for r in runs:
        for c in (r.get("stop") or {}).get("comparisons", []):
            out[(c["finding"], c["condition"])] = c
    return out


def apply_stops(found, stops):
    """Give every judged comparison its stop record (Cond.res["stop"]) and
    make one the rounds left open undecided: outcome too_few (no verdict),
    its why saying n and why the rounds stopped."""
    for key, f in found.items():
        for c in getattr(f, "conds", None) or []:
            rec = stops.get((key, c.label))
            if rec is None:
                continue
            c.res["stop"] = {"reason": rec["reason"], "n": rec["n"], "look": rec["look"],
                             "confidence": rec["confidence"], "ci": rec["ci"]}
            if rec["reason"] not in SETTLED:
                c.res["outcome"] = sv.TOO_FEW
                c.res["why"] = "too few repetitions to settle it: " + undecided_why(rec)
    return found


def csv_note(stop):
    """The notes pair every row of a measure gets: stop=REASON;stop_n=N."""
    return f"stop={stop['reason']};stop_n={stop['reps']}"


def add_note(row, note):
    row["notes"] = f"{row['notes']};{note}" if row.get("notes") else note


DESCRIPTION = ("full mode: interleaved repetitions in rounds (a first of 5, then of 3, of the "
               "configurations still open) until every judged comparison's ratio interval lies "
               "wholly outside the noise band (difference) or wholly inside it (equivalent), or a "
               "measure's maximum repetitions or time budget is reached (undecided); the interval "
               "at each look is the bootstrap interval at the level that the Lan-DeMets spending "
               "function of O'Brien-Fleming type allots it out of 5% (doc/methodology.md)")


def stops_line(runs):
    """One note on why the measures' rounds stopped, or "" (no rounds)."""
    comps = [c for r in runs for c in (r.get("stop") or {}).get("comparisons", [])]
    if not comps:
        return ""
    count = {k: sum(c["reason"] == k for c in comps) for k in REASONS}
    open_ = [f"{c['finding']} ({c['condition']}, n = {c['n'][0]}, {c['reason']})"
             for c in comps if c["reason"] not in SETTLED]
    return (f"repetitions in rounds until the answer is clear (doc/methodology.md): of "
            f"{len(comps)} judged comparisons, {count[DIFFERENCE]} settled as a difference, "
            f"{count[EQUIVALENT]} as no measurable difference, {len(open_)} undecided"
            + (": " + "; ".join(open_) if open_ else ""))


# ---- replay on committed rows ------------------------------------------------------------

def first_reps(rows, k):
    """The rows of the first k repetitions (rep < k) of every configuration."""
    return [r for r in rows if int(r["rep"]) < k]


def replay(rows_by_id, meta, plan, ctx, rounds_of):
    """The rule on committed rows, measure by measure in plan order: a
    round of r repetitions that runs a set of configurations takes the
    committed rows of those configurations with the next r repetition
    numbers.  rounds_of(measure) -> Rounds (None: one round of its
    committed repetitions); a maximum above the committed repetitions is
    cut to them.  Returns {measure: (stop record, before seconds, before
    reps, after seconds, the rows it kept)}: a round costs, per configuration it runs, its
    mean outer_wall_ns times its repetitions and warm-up, scaled so that
    the committed run's rounds cost the committed seconds; judging (timed
    here) is added."""
    out, kept = {}, {}
    runs = {r["id"]: r for r in meta["runs"]}
    judged = judged_findings()
    for m in plan:
        if m.id not in rows_by_id or m.id not in runs:
            continue
        rows = rows_by_id[m.id]
        before_reps = max(int(r["rep"]) for r in rows) + 1 if rows else 0
        before_s = runs[m.id]["seconds"]
        rd = rounds_of(m) or Rounds(before_reps, 1, before_reps)
        if rd.max_reps > before_reps:
            rd = Rounds(min(rd.first, before_reps), rd.step, before_reps, rd.budget_s, rd.warmup,
                        rd.next_warmup)
        outer = sum(float(r["outer_wall_ns"]) / 1e9 for r in rows if r.get("outer_wall_ns"))
        per_outer = before_s / (outer * (before_reps + 1) / before_reps) if outer else 1.0
        sim = {"t": 0.0, "rows": [], "done": 0, "narrow": None}

        def predict(reps, index, open_keys, _rd=rd, _mid=m.id, _po=per_outer):
            sub = {**kept, _mid: sim["rows"]}
            nar = narrowing(sim["rows"], needed(_mid, sub, ctx, set(open_keys), judged))
            sim["narrow"] = nar
            return round_seconds(sim["rows"], nar, reps, _rd.warmup_of(index), _po)

        def run_round(reps, index, open_keys, _rd=rd, _rows=rows, _po=per_outer):
            nar = None
            if index:
                nar = sim["narrow"] if sim["narrow"] is not None else predict(reps, index, open_keys) and sim["narrow"]
            new = [r for r in _rows if sim["done"] <= int(r["rep"]) < sim["done"] + reps
                   and in_round(config_of(r), nar)]
            sim["t"] += round_seconds(_rows, nar, reps, _rd.warmup_of(index), _po)
            sim["rows"] += new
            sim["done"] += reps
            sim["narrow"] = None

        def judge_all(alpha, _mid=m.id):
            t0 = time.monotonic()
            sub = {**kept, _mid: sim["rows"]}
            res = {key: judge(a, b, alpha)
                   for key, (a, b) in comparisons(_mid, sub, ctx, judged).items()}
            sim["t"] += (time.monotonic() - t0) * JUDGE_SCALE
            return res

        stop = settle(rd, run_round, judge_all, predict, lambda: sim["t"])
        kept[m.id] = sim["rows"]
        out[m.id] = (stop, before_s, before_reps, sim["t"], sim["rows"])
    return out


def read_table(directory):
    """(rows by measure, meta) of a table.csv and its meta (a later round's
    run_ids included)."""
    import json
    import os
    from ptb import csvio
    with open(os.path.join(directory, "table.meta.json")) as f:
        meta = json.load(f)
    by_run = {rid: r["id"] for r in meta["runs"] for rid in r.get("run_ids") or [r["run_id"]]}
    rows = {}
    for r in csvio.load_rows(os.path.join(directory, "table.csv"), allow_empty=True):
        rows.setdefault(by_run[r["run_id"]], []).append(r)
    return rows, meta


def replay_lines(directory="results", mode="full"):
    """The replay of the rule on DIR's committed table as Markdown lines:
    per measure, before (repetitions, seconds) and after (why it stopped,
    repetitions, expected seconds, the comparisons' reasons)."""
    from ptb.table import measures as tm
    rows, meta = read_table(directory)
    ctx = {"cores": int(meta["machine"].get("cores_online") or 2),
           "refusals": meta.get("c10_refusals", [])}
    res = replay(rows, meta, tm.plan(), ctx, lambda m: Rounds(**m.rounds(mode)))
    out = ["| measure | before: reps, s | after: stop, reps, s | comparisons |", "|---|---|---|---|"]
    tb = ta = 0.0
    for mid, (stop, bs, br, est, _rows) in res.items():
        tb, ta = tb + bs, ta + est
        kinds = {}
        for c in stop["comparisons"]:
            kinds[c["reason"]] = kinds.get(c["reason"], 0) + 1
        out.append(f"| {mid} | {br}, {bs:.0f} | {stop['reason']}, {stop['reps']}, {est:.0f} | "
                   + (", ".join(f"{v} {k}" for k, v in sorted(kinds.items())) or "—") + " |")
    other = meta.get("measuring_seconds", tb) - tb
    out.append(f"| all measures | {tb:.0f} | {ta:.0f} ({ta / tb:.0%}) | |")
    out.append(f"| with the rest (C10 refusals, C13: {other:.0f} s) | {tb + other:.0f} | "
               f"{ta + other:.0f} ({(ta + other) / (tb + other):.0%}) | |")
    return out


def main(argv):
    """python3 -m ptb.table.sequential [DIR]: the replay of DIR's table."""
    print("\n".join(replay_lines(argv[1] if len(argv) > 1 else "results")))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
