"""consistency.py - the guard against figures that contradict the work
done.  Where one variant does at least the work of another on the same
condition and still runs measurably faster, or two variants do the same
work on the same bytes in the same memory and still differ measurably,
the figures measure something other than the work (page-fault churn, a
cache effect, the machine), and no verdict may rest on them.

The pairs are declared once, in PAIRS: which workload, which parameter
(or the model) tells the two sides apart, which side does at least the
work of the other (MORE) or whether both do the same work (SAME), and
why.  Nothing here knows a figure in advance: the pairs are checked on
the rows of every measure of that workload, one measure (one ptbench run,
its repetitions interleaved) at a time, with the test the verdicts use
(ptb/stats.py's compare: p < ALPHA and the ratio of medians beyond the
noise band).  The two sides must agree on the model and on every other
parameter: a variant with a parameter of its own (a new allocation
scheme of the heap channel, say) is in no pair until one is declared.

    check(rows_by_measure)            -> [record]: every pair that contradicts the work
    mark(found, records, group_of)    -> sets each finding condition's .inconsistent
    pairs_doc()                       -> the declared pairs, in words (findings.json)

A record names the measure, the two samples (model, parameters, median,
and median voluntary context switches a repetition), the comparison and
one line, `reason`, that the views show after "⚠ inconsistent:".  Where
the faster side blocked at most half as often as the slower one, the
reason says so: waiting on the channel, not work, is then the likely
difference (on a 2-vCPU VM, share's shm ring with --encode 1 and
--consume none ran at 11.1 GB/s with 65 sleeps a repetition, against
10.1 GB/s and 514 without the encoding: the producer that does more per
chunk keeps pace with the consumer instead of waking it per chunk).
A finding condition is marked when it compares a
sample of a record (same measure group, its model and parameter filters
matching); a condition that does not say which samples it compares
(Cond.samples None) is marked by every record of its measure group.
"""
import itertools

from ptb import stats as sv
from ptb.table import analyse as tc

MORE, SAME = "more", "same"       # side a does at least the work of side b; the same work


class Figure:
    """How a workload's rows are judged here: the value per repetition,
    its formatter, and which way is faster."""

    def __init__(self, value, fmt, faster):
        self.value, self.fmt, self.faster = value, fmt, faster   # faster: "higher" or "lower"


FIGURES = {
    # bytes/s producer to consumer, over the transfer the tasks time
    # themselves (no worker creation or exit; wall time in an older CSV)
    "share": Figure(tc.channel_rate, tc.fmt_rate, "higher"),
    "create": Figure(tc.ns_per_op, tc.fmt_ns, "lower"),     # time per create+join
}


class Pair:
    """Side a does at least the work of side b (kind MORE), or the same
    work (kind SAME), on the same condition.

    on: the parameter that tells the sides apart, or "model".  a, b: the
    values of `on` on each side; or order, a function of a value: then
    every two values are a pair, the larger (by order) on side a.
    models: the models it holds for (None: every model).  across: measures
    whose rows are checked together as well as one by one (a sweep split
    into two runs)."""

    def __init__(self, workload, on, kind, why, a=(), b=(), order=None, models=None, across=()):
        self.workload, self.on, self.kind, self.why = workload, on, kind, why
        self.a, self.b, self.order = tuple(a), tuple(b), order
        self.models, self.across = models, tuple(across)

    def sides(self, values):
        """[(value on side a, value on side b)] among the values present."""
        if self.order is not None:
            ranked = sorted(values, key=self.order)
            return [(hi, lo) for lo, hi in itertools.combinations(ranked, 2)
                    if self.order(hi) > self.order(lo)]
        return [(x, y) for x in self.a if x in values for y in self.b if y in values]

    def words(self):
        if self.order is not None:
            sides = f"a larger {self.on} against a smaller"
        else:
            sides = f"{self.on} {'/'.join(self.a)} against {'/'.join(self.b)}"
        rel = "does at least the work of" if self.kind == MORE else "does the same work as"
        who = f" ({', '.join(self.models)})" if self.models else ""
        return f"{self.workload}{who}: {sides} — the first {rel} the second: {self.why}"


def _mb(value):
    return float(value)


# Every pair ptbench's measures offer; the rule is in the docstring above.
PAIRS = (
    # share: --encode 1 frames each chunk on the producer's side (a checksum
    # pass and a copy into the frame) and checks it on the consumer's (a
    # checksum pass and a copy out) on top of everything --encode 0 does
    # with the same bytes through the same channel (bench/w_share.c).
    Pair("share", "encode", MORE, "--encode 1 adds a checksum pass and a copy at each end",
         a=("1",), b=("0",)),
    # share, threads: heap and shm both have the producer write each chunk
    # into memory of the one address space and the consumer read it there
    # in place, through the same ring, mutex and condition variables; only
    # where the chunk lives differs.  A fork child cannot use heap; Python's
    # heap hands over references, its shm copies into slots: not a pair.
    Pair("share", "via", SAME, "both write each chunk once and read it in place in the one "
                               "address space, through the same ring and locks",
         a=("heap",), b=("shm",), models=("thread",)),
    # create: --exec yes execs ptbench-worker in the new child on top of the
    # same fork or vfork (--exec auto: none for fork and vfork); the sweep
    # of make table runs the exec as a run of its own (create-exec).
    Pair("create", "exec", MORE, "an exec of ptbench-worker on top of the same creation "
                                 "(exec=auto: none for fork and vfork)",
         a=("yes",), b=("no", "auto"), models=("fork", "vfork"),
         across=("create-parent", "create-exec")),
    # create: posix_spawn clones as vfork does (the parent waits, the memory
    # is shared) and then execs ptbench-worker; vfork's child only _exits.
    Pair("create", "model", MORE, "posix_spawn is a vfork-like clone followed by an exec of "
                                  "ptbench-worker; the vfork child only exits",
         a=("spawn",), b=("vfork",)),
    # create: fork copies the page tables of the parent's written private
    # memory, and the child's exit tears them down: a larger parent, more to copy.
    Pair("create", "parent-mb", MORE, "fork copies the page tables of every written page of "
                                      "the parent, and the child's exit frees them",
         order=_mb, models=("fork",)),
)


# ---- checking ---------------------------------------------------------------------

def samples_of(rows):
    """{(model, params as sorted items): [rows]} of the rows that finished ok."""
    out = {}
    for r in rows:
        if r["ok"] == "1":
            out.setdefault((r["model"], tuple(sorted(tc.params_of(r).items()))), []).append(r)
    return out


def value_of(key, on):
    model, params = key
    return model if on == "model" else dict(params).get(on)


def rest_of(key, on):
    """The sample's condition apart from `on`: what both sides must share."""
    model, params = key
    rest = tuple((k, v) for k, v in params if k != on)
    return rest if on == "model" else (model, rest)


def label_of(key, rows, varying):
    """'thread via=heap encode=1': the model and the parameters that vary,
    in the order of the rows' params."""
    model, params = key
    shown = dict(params)
    return " ".join([model] + [f"{k}={shown[k]}" for k in tc.params_of(rows[0]) if k in varying])


def varying_of(keys):
    seen = {}
    for _, params in keys:
        for k, v in params:
            seen.setdefault(k, set()).add(v)
    return {k for k, vs in seen.items() if len(vs) > 1}


# The faster side slept at most this share of the slower side's voluntary
# context switches: the clue that waiting, not work, made the difference.
SLEPT_LESS = 0.5


def sleeps(rows):
    """The median of a sample's voluntary context switches a repetition
    (vol_cs: the workers blocked on the channel and were woken), or None."""
    values = [int(r["vol_cs"]) for r in rows if r.get("vol_cs", "") != ""]
    return sv.describe(values)["median"] if values else None


def slept_less(fast, slow):
    """The clause the reason gets when the faster sample blocked far less
    often than the slower one, else ''.  Less waiting can outweigh more
    work: a side that hands over each chunk sooner than its peer can take
    it sleeps and is woken per chunk, a futex or pipe wake-up each; a side
    that does more work per chunk can keep pace without sleeping."""
    if fast is None or slow is None or slow <= 0 or fast > SLEPT_LESS * slow:
        return ""
    return (f"; the faster one blocked less: {fast:.0f} against {slow:.0f} voluntary context "
            f"switches a repetition, so it waited less on the channel, which can outweigh the work")


def reason(pair, fig, la, lb, ma, mb, res, waits=(None, None)):
    """The one line the views show after '⚠ inconsistent:'; waits: the
    voluntary context switches of side a and side b (sleeps)."""
    evidence = res["why"]
    a_faster = (ma > mb) == (fig.faster == "higher")
    clue = slept_less(*(waits if a_faster else waits[::-1]))
    if pair.kind == MORE:
        return (f"{la} ran faster ({fig.fmt(ma)}) than {lb} ({fig.fmt(mb)}; {evidence}), though it "
                f"does at least that work: {pair.why}{clue}")
    return (f"{la} ({fig.fmt(ma)}) and {lb} ({fig.fmt(mb)}) differ ({evidence}), though both do "
            f"the same work: {pair.why}{clue}")


def contradicts(pair, fig, res):
    """Does the comparison of side a against side b contradict the work?"""
    out = res["outcome"]
    if out not in (sv.A_HIGHER, sv.B_HIGHER):
        return False
    if pair.kind == SAME:
        return True
    return out == (sv.A_HIGHER if fig.faster == "higher" else sv.B_HIGHER)


def check_pool(pair, mids, samples, fig):
    """The records of one pair among the samples of one pool of measures
    (samples: {(measure, key): rows})."""
    keys = [k for _, k in samples]
    varying = varying_of(keys) | ({"model"} if pair.on == "model" else set())
    values = {value_of(k, pair.on) for k in keys}
    out = []
    for va, vb in pair.sides(values):
        for (ma_id, ka), rows_a in samples.items():
            if value_of(ka, pair.on) != va or (pair.models and ka[0] not in pair.models):
                continue
            for (mb_id, kb), rows_b in samples.items():
                if value_of(kb, pair.on) != vb or rest_of(kb, pair.on) != rest_of(ka, pair.on):
                    continue
                if pair.models and kb[0] not in pair.models:
                    continue
                a, b = fig.value(rows_a), fig.value(rows_b)
                res = sv.compare(a, b)
                if not contradicts(pair, fig, res):
                    continue
                la, lb = label_of(ka, rows_a, varying), label_of(kb, rows_b, varying)
                ma, mb = res["a"]["median"], res["b"]["median"]
                waits = (sleeps(rows_a), sleeps(rows_b))
                out.append({
                    "measures": sorted({ma_id, mb_id}, key=list(mids).index),
                    "workload": pair.workload, "kind": pair.kind, "on": pair.on,
                    "a": {"measure": ma_id, "model": ka[0], "params": dict(ka[1]), "label": la,
                          "n": res["a"]["n"], "median": ma, "vol_cs": waits[0]},
                    "b": {"measure": mb_id, "model": kb[0], "params": dict(kb[1]), "label": lb,
                          "n": res["b"]["n"], "median": mb, "vol_cs": waits[1]},
                    "faster": fig.faster, "ratio": res["ratio"], "ratio_ci95": res["ci"],
                    "p": res["p"], "noise_band": res["noise"], "outcome": res["outcome"],
                    "why": pair.why, "reason": reason(pair, fig, la, lb, ma, mb, res, waits)})
    return out


def pools(pair, rows_by_measure):
    """[measure ids] the pair is checked in: each measure of its workload
    alone, and its `across` measures together."""
    out = [(m,) for m, rows in rows_by_measure.items()
           if any(r.get("workload") == pair.workload for r in rows)]
    together = tuple(m for m in pair.across if m in rows_by_measure)
    return out + ([together] if len(together) > 1 else [])


def check(rows_by_measure):
    """Every declared pair that the rows contradict, in PAIRS order."""
    records, seen = [], set()
    for pair in PAIRS:
        fig = FIGURES[pair.workload]
        for mids in pools(pair, rows_by_measure):
            samples = {}
            for m in mids:
                rows = [r for r in rows_by_measure[m] if r.get("workload") == pair.workload]
                samples.update({(m, k): v for k, v in samples_of(rows).items()})
            for rec in check_pool(pair, mids, samples, fig):
                ident = (rec["a"]["measure"], rec["a"]["label"], rec["b"]["measure"], rec["b"]["label"],
                         pair.on)
                if ident not in seen:
                    seen.add(ident)
                    records.append(rec)
    return records


# ---- marking the findings ---------------------------------------------------------

def matches(flt, side):
    """Does a condition's sample filter (pick's: model and parameters,
    '_' for '-') select the sample of a record's side?"""
    for k, v in flt.items():
        got = side["model"] if k == "model" else side["params"].get(k.replace("_", "-"))
        if v is not None and got != str(v):
            return False
    return True


def touches(rec, cond, group, group_of):
    if group not in {group_of(m) for m in rec["measures"]}:
        return False
    samples = getattr(cond, "samples", None)
    if samples is None:
        return True
    return any(matches(flt, rec[s]) for flt in samples if flt is not None for s in ("a", "b")
               if group_of(rec[s]["measure"]) == group)


def mark(found, records, group_of=lambda m: m):
    """Each condition of each finding gets .inconsistent: the reasons of
    the records whose samples it compares (a Finding is inconsistent when
    any of its conditions is, and then gives no verdict)."""
    for f in found.values():
        if not isinstance(f, tc.Finding):
            continue
        for c in f.conds:
            c.inconsistent = [r["reason"] for r in records if touches(r, c, f.measure, group_of)]
    return found


def pairs_doc():
    """The declared pairs, in words, for findings.json."""
    return [p.words() for p in PAIRS]
