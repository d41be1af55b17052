"""analyse.py - from the rows of results/table.csv to findings and
verdicts, one function per measure, for `make table`.

A Finding compares two samples (a against b: usually process against
thread) under one or more conditions (a parameter's values).  Its verdict
on a claim that predicts "a is higher", "b is higher" or "no difference"
comes from ptb/stats.py: per condition, then combined ("depends on ...").
Nothing here knows a figure in advance: every number comes from the rows.

Python column group: the same findings from the pythread/pyproc rows
(keys "py-..."), compared within the language only (process against
thread, n workers against 1); across languages only cost per step and
speed-up are put side by side, never wall time.
Distribution (C10): the mpi rows of every host count (merged from one
measure per host count) and the refusal runs recorded by ptb/table/run.py.
"""
import math

from ptb import csvio
from ptb import stats as sv
from ptb.table.findings import INCONSISTENT   # the mark's word, as findings.json and its views say it


# ---- reading rows ---------------------------------------------------------

params_of = csvio.params_of


def pick(rows, model=None, workers=None, **want):
    """Rows that finished ok, of a model / worker count / parameter values."""
    out = []
    for r in rows:
        if r["ok"] != "1":
            continue
        if model is not None and r["model"] != model:
            continue
        if workers is not None and r["workers"] != str(workers):
            continue
        p = params_of(r)
        if all(p.get(k.replace("_", "-")) == str(v) for k, v in want.items()):
            out.append(r)
    return out


col = csvio.nums   # the measured values of a column (empty = not measured)


def values_of(rows, key):
    """Distinct values of parameter `key`, in order of appearance."""
    seen = []
    for r in rows:
        v = params_of(r).get(key)
        if v is not None and v not in seen:
            seen.append(v)
    return seen


def by_rep(rows):
    return {int(r["rep"]): r for r in rows}


# ---- formatting -----------------------------------------------------------

def _sig(x):
    if x == 0 or math.isinf(x) or math.isnan(x):
        return f"{x:g}"
    return f"{x:.3g}" if abs(x) < 1000 else f"{x:,.0f}"


def fmt_ns(ns):
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if abs(ns) >= scale:
            return f"{_sig(ns / scale)} {unit}"
    return f"{_sig(ns)} ns"


def fmt_rate(bps):
    for unit, scale in (("GB/s", 1e9), ("MB/s", 1e6), ("kB/s", 1e3)):
        if abs(bps) >= scale:
            return f"{_sig(bps / scale)} {unit}"
    return f"{_sig(bps)} B/s"


def fmt_kb(kb):
    return f"{_sig(kb / 1024)} MiB" if abs(kb) >= 1024 else f"{_sig(kb)} kB"


def fmt_size(raw):
    """A byte count from params ("1048576") as "1 MiB"."""
    try:
        b = int(raw)
    except ValueError:
        return raw
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if b >= scale and b % scale == 0:
            return f"{b // scale} {unit}"
    return f"{b} B"


def fmt_steps(per_s):
    """Loop steps per second."""
    for unit, scale in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if abs(per_s) >= scale:
            return f"{_sig(per_s / scale)} {unit}steps/s"
    return f"{_sig(per_s)} steps/s"


def fmt_plain(x):
    return _sig(x)


def fmt_count(x):
    return f"{x:g}"


def fmt_pct(x):
    return f"{x * 100:.0f}%"


# the unit of the raw figures each formatter shows (findings.json's "unit")
UNIT_OF = {fmt_ns: "ns", fmt_rate: "bytes/s", fmt_kb: "kB", fmt_steps: "steps/s",
           fmt_plain: "ratio", fmt_count: "count", fmt_pct: "fraction"}


# which way a figure is better: by its unit, and for counts by what is counted
BETTER_BY_UNIT = {"ns": "lower", "kB": "lower", "bytes/s": "higher", "steps/s": "higher",
                  "ratio": "higher", "fraction": "higher"}
COUNTS_BETTER = {"crash": "higher", "lost": "lower",   # survivors; lost updates
                 "share-malloc-faults": "lower"}      # page faults


def better_of(key, unit):
    """"lower" or "higher": which way finding `key`'s figure (in unit) is better."""
    if unit in BETTER_BY_UNIT:
        return BETTER_BY_UNIT[unit]
    base = key.removeprefix("py-")
    return next(v for k, v in COUNTS_BETTER.items() if base.startswith(k))


def fmt_desc(d, fmt):
    """median [q1 – q3] in the unit of fmt."""
    if d is None:
        return "—"
    if d["min"] == d["max"]:
        return f"{fmt(d['median'])} (every rep.)"
    return f"{fmt(d['median'])} [{fmt(d['q1'])} – {fmt(d['q3'])}]"


# ---- findings ----------------------------------------------------------------

class Cond:
    """One comparison under one condition.  samples: the filters (pick's:
    model and parameters) that chose a and b, or None; with them the guard
    of ptb/table/consistency.py marks only the conditions whose samples
    contradict the work, without them every condition of the measure's
    findings.  inconsistent: the guard's reasons (set by its mark)."""

    def __init__(self, label, a, b, samples=None):
        self.label, self.res = label, sv.compare(a, b)
        self.res["values_a"], self.res["values_b"] = list(a), list(b)
        self.samples, self.inconsistent = samples, []


class Finding:
    """a against b (labels a_name, b_name) under conditions of parameter `on`."""

    def __init__(self, key, what, a_name, b_name, fmt, on, conds, measure, suffix=""):
        self.key, self.what, self.fmt, self.on, self.suffix = key, what, fmt, on, suffix
        self.a_name, self.b_name = a_name, b_name
        self.conds = [c for c in conds if c.res["a"] and c.res["b"]]
        self.measure = measure
        self.physics = {}    # "a", "b" or "ratio" -> why that figure is beyond physics

    def __bool__(self):
        return bool(self.conds)

    @property
    def main(self):
        return self.conds[0]

    @property
    def inconsistent(self):
        """The guard's reasons over every condition, each once, in order
        (ptb/table/consistency.py): figures that contradict the work done."""
        return list(dict.fromkeys(r for c in self.conds for r in c.inconsistent))

    def verdict(self, expect):
        """(verdict, why) on a claim predicting `expect` of a against b."""
        if self.physics:
            return sv.NO_VERDICT, (f"{MACHINE_CHANGED}: " + "; ".join(self.physics.values())
                                   + "; not a result")
        if self.inconsistent:
            more = len(self.inconsistent) - 1
            return sv.NO_VERDICT, (f"{INCONSISTENT}: {self.inconsistent[0]}"
                                   + (f" (and {more} more)" if more else "")
                                   + "; no verdict from these figures")
        per = [(c, sv.claim_verdict(c.res["outcome"], expect)) for c in self.conds]
        verdict, why = sv.combine([(c.label, v[0]) for c, v in per], self.on)
        if verdict == sv.DEPENDS:
            return verdict, why
        decided = [(c, v) for c, v in per if v[0] != sv.NO_VERDICT] or per
        c, (_, reason) = decided[0]
        if expect == sv.SAME and c.res["outcome"] == sv.SAME and len(per) == 1:
            return verdict, f"{c.res['why']}, as claimed"
        if len(per) > 1 and verdict != sv.NO_VERDICT:
            if len(decided) < len(per):   # the rounds left some undecided (ptb/table/sequential.py)
                return verdict, (f"{reason} under every decided condition of {self.on} "
                                 f"({', '.join(c.label for c, _ in decided)}); undecided: "
                                 + ", ".join(f"{c.label} (n = {c.res['a']['n'] if c.res['a'] else 0})"
                                             for c, v in per if v[0] == sv.NO_VERDICT))
            return verdict, f"{reason} under every condition of {self.on} ({', '.join(c.label for c, _ in per)})"
        if c.res["why"].startswith(reason):
            return verdict, c.res["why"]
        return verdict, f"{reason}: {c.res['why']}"

    def figure(self, side, cond=None):
        c = cond or self.main
        flag = f" ⚠ {MACHINE_CHANGED}" if side in self.physics and c is self.main else ""
        return fmt_desc(c.res[side], self.fmt) + self.suffix + flag

    def ratio(self, cond=None):
        """The ratio of medians with its 95% CI and Cliff's delta."""
        c = cond or self.main
        r = c.res
        extra = [x for x in (sv.fmt_ci(r["ci"]), sv.fmt_delta(r["delta"])) if x]
        flag = f" ⚠ {MACHINE_CHANGED}" if "ratio" in self.physics and c is self.main else ""
        flag += f" {INCONSISTENT}" if c.inconsistent or (cond is None and self.inconsistent) else ""
        return sv.fmt_ratio(r["ratio"]) + (f" ({', '.join(extra)})" if extra else "") + flag

    def line(self, cond):
        r = cond.res
        evidence = sv.fmt_evidence(r) if r["p"] is not None else r["why"]
        return (f"{cond.label}: {self.a_name} {self.figure('a', cond)} vs {self.b_name} "
                f"{self.figure('b', cond)}, {evidence}"
                + (f" {INCONSISTENT}" if cond.inconsistent else ""))


def compare_models(rows, key, what, fmt, on, conds, measure, value, a="fork", b="thread"):
    """A Finding of model a against model b; conds: (label, filter kwargs)."""
    out = []
    for label, flt in conds:
        out.append(Cond(label, value(pick(rows, model=a, **flt)), value(pick(rows, model=b, **flt)),
                        samples=({"model": a, **flt}, {"model": b, **flt})))
    return Finding(key, what, a, b, fmt, on, out, measure)


def ns_per_op(rows):
    return col(rows, "ns_per_op")


def result(rows):
    return col(rows, "result")


def rate(rows):
    return [1e9 / v for v in col(rows, "ns_per_op") if v > 0]


# ---- one function per measure -------------------------------------------------
# Each takes (rows of that measure, context) and returns {key: Finding}.

def analyse_create(rows, ctx):
    """C1: every process primitive against pthread_create, per parent size."""
    mbs = values_of(rows, "parent-mb") or [None]
    conds = []
    for model in ("fork", "vfork", "spawn"):
        for mb in mbs:
            flt = {} if mb is None else {"parent_mb": mb}
            proc = ns_per_op(pick(rows, model=model, **flt))
            if proc:
                label = model if mb is None else f"{model} parent={mb}MiB"
                conds.append(Cond(label, proc, ns_per_op(pick(rows, model="thread", **flt)),
                                  samples=({"model": model, **flt}, {"model": "thread", **flt})))
    return {"create": Finding("create", "create+join of an empty worker", "process", "thread",
                              fmt_ns, "the primitive and the parent's memory", conds, "create")}


def analyse_switch(rows, ctx, a="fork", b="thread", key="switch", measure="switch"):
    conds = []
    for via in values_of(rows, "via"):
        for pin in values_of(rows, "pin") or [None]:
            flt = {"via": via}
            if pin is not None:
                flt["pin"] = pin
            conds.append((f"{via} pin={pin}" if pin else via, flt))
    return {key: compare_models(rows, key, "ping-pong round trip", fmt_ns,
                                "channel and CPU placement", conds, measure, ns_per_op, a, b)}


def analyse_footprint(rows, ctx, a="fork", b="thread", prefix="", measure="footprint"):
    """Marginal PSS (or RSS) per added worker, pairing repetitions."""
    counts = sorted({int(r["workers"]) for r in rows})
    if len(counts) < 2:
        return {}
    lo, hi = counts[0], counts[-1]

    def marginal(model, column):
        a, b = by_rep(pick(rows, model=model, workers=lo)), by_rep(pick(rows, model=model, workers=hi))
        out = []
        for rep in sorted(set(a) & set(b)):
            if a[rep][column] != "" and b[rep][column] != "":
                out.append((float(b[rep][column]) - float(a[rep][column])) / (hi - lo))
        return out

    found = {}
    # the footprint workload writes total PSS to pss_kb and total RSS to result
    for column, name, key in (("pss_kb", "PSS", "footprint"), ("result", "RSS", "footprint-rss")):
        c = Cond(f"{lo}→{hi} workers", marginal(a, column), marginal(b, column))
        found[prefix + key] = Finding(prefix + key, f"marginal {name} per idle worker", a, b, fmt_kb,
                                      "workers", [c], measure)
    return found


def channel_rate(rows):
    """bytes/s of the share channel per row: bytes x 1e9 / xfer_ns, the
    transfer the tasks time themselves (from a start barrier to the last
    chunk taken in: no worker creation or exit; bench/w_share.c); a row
    without xfer_ns (a CSV from before it) gives 1e9 / ns_per_op."""
    out = []
    for r in rows:
        xfer = notes_of(r).get("xfer_ns", "")
        if xfer and float(xfer) > 0 and r["ops"]:
            out.append(float(r["ops"]) * 1e9 / float(xfer))
        elif r["ns_per_op"] and float(r["ns_per_op"]) > 0:
            out.append(1e9 / float(r["ns_per_op"]))
    return out


def note_values(rows, key):
    """A number the workload wrote in each row's notes (rows without it left out)."""
    return [float(notes_of(r)[key]) for r in rows if notes_of(r).get(key, "") != ""]


def analyse_share(rows, ctx, a="fork", b="thread", prefix="", measure="share"):
    """C4: processes through each channel (with and without encoding)
    against threads handing over heap pointers, the threads' own way,
    judged on the channel alone: --consume none (no work on the bytes at
    either end), bytes/s from the transfer the tasks time (channel_rate).
    Rows without --consume (an older CSV): every row, as before.  Beside
    it (share_beside): the consumer's checksum pass, heap against shm,
    and the per-chunk malloc variant."""
    chan = {"consume": "none"} if "none" in values_of(rows, "consume") else {}
    vias = [v for v in values_of(rows, "via") if v != "heap-malloc"]
    encodes = values_of(rows, "encode") or [None]
    base_via = "heap" if "heap" in vias else (vias[0] if vias else None)
    base_flt = {"via": base_via, **chan}
    if encodes != [None]:
        base_flt["encode"] = encodes[0]
    base = channel_rate(pick(rows, model=b, **base_flt))
    conds, same_channel = [], []
    for enc in encodes:
        for via in vias:
            flt = {"via": via, **chan} if enc is None else {"via": via, "encode": enc, **chan}
            label = via + ("" if enc in (None, "0") else " encoded")
            proc = channel_rate(pick(rows, model=a, **flt))
            if proc:
                conds.append(Cond(label, proc, base, samples=({"model": a, **flt},
                                                              {"model": b, **base_flt})))
                same_channel.append(Cond(label, proc, channel_rate(pick(rows, model=b, **flt)),
                                         samples=({"model": a, **flt}, {"model": b, **flt})))
    base_name = f"{b} ({base_via})"
    what = "channel bytes/s (no work on the bytes)" if chan else "bytes/s"
    found = {
        prefix + "share": Finding(prefix + "share", f"{what} from a producer to a consumer, process "
                                  f"vs {base_name}", a, base_name, fmt_rate, "the channel", conds, measure),
        prefix + "share-model": Finding(prefix + "share-model", f"{what}, both models through the same "
                                        "channel", a, b, fmt_rate, "the channel", same_channel, measure),
    }
    found.update(share_beside(rows, a, b, prefix, measure))
    return found


def share_consume(rows, a, b, prefix, measure):
    """The consumer's checksum pass per chunk (--consume sum), each model
    through each channel: the work on the bytes, which the channel's
    figure leaves out; the same in both models where the memory is."""
    conds = []
    for enc in values_of(rows, "encode") or [None]:
        for via in values_of(rows, "via"):
            flt = {"via": via, "consume": "sum", **({} if enc is None else {"encode": enc})}
            label = via + ("" if enc in (None, "0") else " encoded")
            got = [note_values(pick(rows, model=m, **flt), "consume_ns_per_chunk") for m in (a, b)]
            if all(got):
                conds.append(Cond(label, got[0], got[1], samples=({"model": a, **flt}, {"model": b, **flt})))
    return Finding(prefix + "share-consume", "the consumer's checksum pass per chunk (--consume sum)",
                   a, b, fmt_ns, "the channel", conds, measure)


def share_variant(rows, b, prefix, measure, key, what, via_a, via_b, value, fmt):
    """Threads (model b) through channel via_a against via_b, per --consume."""
    conds = []
    for consume in values_of(rows, "consume"):
        fa = {"model": b, "via": via_a, "consume": consume}
        fb = {"model": b, "via": via_b, "consume": consume}
        if "0" in values_of(rows, "encode"):
            fa["encode"] = fb["encode"] = "0"
        conds.append(Cond(f"consume {consume}", value(pick(rows, **fa)), value(pick(rows, **fb)),
                          samples=(fa, fb)))
    return Finding(prefix + key, f"{b}: {what}", f"{b} ({via_a})", f"{b} ({via_b})", fmt,
                   "the work on the bytes", conds, measure)


def share_beside(rows, a="fork", b="thread", prefix="", measure="share"):
    """The figures beside C4's verdict (each finding empty where the rows
    lack its samples): share-consume; share-heap, threads' heap (recycled
    buffers) against shm, the same ring in other memory; share-malloc and
    share-malloc-faults, a new heap buffer per chunk against recycled
    ones, bytes/s and minor page faults per repetition."""
    return {
        prefix + "share-consume": share_consume(rows, a, b, prefix, measure),
        prefix + "share-heap": share_variant(rows, b, prefix, measure, "share-heap",
                                             "channel bytes/s, heap (recycled buffers) vs shm",
                                             "heap", "shm", channel_rate, fmt_rate),
        prefix + "share-malloc": share_variant(rows, b, prefix, measure, "share-malloc",
                                               "channel bytes/s, a new heap buffer per chunk vs "
                                               "recycled ones", "heap-malloc", "heap", channel_rate,
                                               fmt_rate),
        prefix + "share-malloc-faults": share_variant(rows, b, prefix, measure, "share-malloc-faults",
                                                      "minor page faults per repetition, a new heap "
                                                      "buffer per chunk vs recycled ones",
                                                      "heap-malloc", "heap",
                                                      lambda rr: col(rr, "minflt"), fmt_count),
    }


def analyse_share_malloc(rows, ctx):
    """C4's malloc variant, a measure of its own (threads only)."""
    return share_beside(rows, measure="share-malloc")


def utilisation(rows, model, n, cores):
    """(user+sys)/(wall x cores) of each repetition of `model` on n workers."""
    out = []
    for r in pick(rows, model=model, workers=n):
        if r["user_ns"] != "" and r["sys_ns"] != "" and float(r["wall_ns"]) > 0:
            out.append((float(r["user_ns"]) + float(r["sys_ns"])) / (float(r["wall_ns"]) * cores))
    return out


def speedup(rows, model, n):
    """n x wall(1 worker) / wall(n workers), repetition by repetition (each
    worker does the same steps, so this is throughput at n over at 1)."""
    one, many = by_rep(pick(rows, model=model, workers=1)), by_rep(pick(rows, model=model, workers=n))
    return [n * float(one[k]["wall_ns"]) / float(many[k]["wall_ns"]) for k in sorted(set(one) & set(many))]


def scaling(rows, key, model, n, measure):
    """Throughput (steps/s) of `model` on n workers against on 1: the claim
    "it uses several cores" holds when n workers do measurably more."""
    c = Cond(f"1→{n} workers", rate(pick(rows, model=model, workers=n)),
             rate(pick(rows, model=model, workers=1)))
    return Finding(key, f"{model}: loop throughput on {n} workers vs 1", f"{n} {model}",
                   f"1 {model}", fmt_steps, "workers", [c], measure)


MACHINE_CHANGED = sv.MACHINE_CHANGED


def above(values, limit):
    """The median of values when it lies above limit by more than the
    noise (the relative IQR, at least NOISE_FLOOR), else None."""
    if not values:
        return None
    med = sv.describe(values)["median"]
    return med if sv.beyond_physics(med, limit, values) is not None else None


def check_physics(found, prefix, n, cores):
    """Flag figures no machine of `cores` cores can give: a speed-up on n
    workers above min(n, cores), a CPU utilisation above the cores (1.0
    of them), each by more than the noise.  Such a figure says that the
    machine's speed changed between the runs compared (another guest, a
    frequency change), and its finding gives no verdict."""
    limit = min(n, cores)
    for side in ("a", "b"):
        for key, lim, what in ((f"{prefix}speedup", limit, "speed-up"), (f"{prefix}util", 1.0, "utilisation")):
            f = found.get(key)
            if not f:
                continue
            v = above(f.main.res.get("values_" + side) or [], lim)
            if v is not None:
                name = f.a_name if side == "a" else f.b_name
                f.physics[side] = (f"{name}'s {what} {v:.3g} is above "
                                   f"{'min(workers, cores) = ' + str(lim) if what == 'speed-up' else 'all the cores'}"
                                   " beyond the noise")
    for model in ("thread", "proc"):
        f = found.get(f"{prefix}scale-{model}")
        if f and f.main.res["ratio"] is not None and f.main.res["noise"] is not None \
                and f.main.res["ratio"] > limit * (1.0 + f.main.res["noise"]):
            f.physics["ratio"] = (f"throughput on {n} workers is {f.main.res['ratio']:.3g}× that on 1, "
                                  f"above min(workers, cores) = {limit} beyond the noise "
                                  f"±{f.main.res['noise']:.0%}")


def cpu_findings(rows, ctx, proc, thread, prefix, measure, label):
    """The loop's findings for one language: wall, utilisation, speed-up,
    each model's scaling, and the cost of one step on 1 worker."""
    n = sorted({int(r["workers"]) for r in rows})[-1]
    cores = ctx["cores"]
    found = {
        f"{prefix}wall": Finding(f"{prefix}wall", f"{label}wall time of the loop on {n} workers",
                                 proc, thread, fmt_ns, "workers",
                                 [Cond(f"{n} workers", col(pick(rows, model=proc, workers=n), "wall_ns"),
                                       col(pick(rows, model=thread, workers=n), "wall_ns"))], measure),
        f"{prefix}util": Finding(f"{prefix}util", f"{label}CPU utilisation (user+sys)/(wall×{cores} cores) "
                                 f"on {n} workers", proc, thread, fmt_pct, "workers",
                                 [Cond(f"{n} workers", utilisation(rows, proc, n, cores),
                                       utilisation(rows, thread, n, cores))], measure),
        f"{prefix}step": Finding(f"{prefix}step", f"{label}cost of one loop step on 1 worker",
                                 proc, thread, fmt_ns, "workers",
                                 [Cond("1 worker", ns_per_op(pick(rows, model=proc, workers=1)),
                                       ns_per_op(pick(rows, model=thread, workers=1)))], measure),
    }
    if n > 1:
        found[f"{prefix}speedup"] = Finding(f"{prefix}speedup", f"{label}speed-up on {n} workers (ideal {n})",
                                            proc, thread, fmt_plain, "workers",
                                            [Cond(f"1→{n} workers", speedup(rows, proc, n),
                                                  speedup(rows, thread, n))], measure)
        found[f"{prefix}scale-thread"] = scaling(rows, f"{prefix}scale-thread", thread, n, measure)
        found[f"{prefix}scale-proc"] = scaling(rows, f"{prefix}scale-proc", proc, n, measure)
    check_physics(found, prefix, n, cores)
    return found


def analyse_cpu(rows, ctx):
    return cpu_findings(rows, ctx, "fork", "thread", "cpu-", "cpu", "")


def interpreter(rows):
    """What the Python rows' notes say of the interpreter: versions and
    the gil= values seen (python=3.11.2;impl=CPython;gil=1)."""
    notes = [notes_of(r) for r in rows if r["model"].startswith("py")]
    return {"kind": "interp", "python": sorted({n["python"] for n in notes if "python" in n}),
            "impl": sorted({n["impl"] for n in notes if "impl" in n}),
            "gil": sorted({n["gil"] for n in notes if "gil" in n}),
            "switch_us": sorted({n["switch_us"] for n in notes if "switch_us" in n}),
            "rows": len(notes)}


def analyse_pycpu(rows, ctx):
    """C14 and the Python column of the CPU row: CPython threads against
    processes on the same loop (a pool beside them)."""
    found = cpu_findings(rows, ctx, "pyproc", "pythread", "py-", "pycpu", "CPython: ")
    n = sorted({int(r["workers"]) for r in rows})[-1]
    # C14 compares pythread against pyproc (the claim: threads are slower)
    w = found.pop("py-wall")
    found["py-wall"] = Finding("py-wall", w.what, "pythread", "pyproc", fmt_ns, "workers",
                               [Cond(f"{n} workers", col(pick(rows, model="pythread", workers=n), "wall_ns"),
                                     col(pick(rows, model="pyproc", workers=n), "wall_ns"))], "pycpu")
    pool = col(pick(rows, model="pypool", workers=n), "wall_ns")
    if pool:
        found["py-pool"] = Finding("py-pool", f"CPython: wall time of the loop on {n} workers", "pypool",
                                   "pythread", fmt_ns, "workers",
                                   [Cond(f"{n} workers", pool,
                                         col(pick(rows, model="pythread", workers=n), "wall_ns"))], "pycpu")
        if n > 1:
            found["py-pool-speedup"] = Finding("py-pool-speedup", f"CPython: speed-up on {n} workers "
                                               f"(ideal {n})", "pypool", "pythread", fmt_plain, "workers",
                                               [Cond(f"1→{n} workers", speedup(rows, "pypool", n),
                                                     speedup(rows, "pythread", n))], "pycpu")
    found["py-interp"] = interpreter(rows)
    return found


def analyse_crash(rows, ctx):
    # a crashed run may be ok=0 by design: survivors are the finding either way
    def survivors(model):
        return [float(r["result"]) for r in rows if r["model"] == model and r["result"] != ""]

    n = rows[0]["workers"] if rows else "?"
    c = Cond(f"1 of {n} workers crashes", survivors("fork"), survivors("thread"))
    return {"crash": Finding("crash", f"workers' results that survive (of {n})", "fork", "thread",
                             fmt_count, "signal", [c], "crash")}


def of_total(rows):
    """" of TOTAL" when every run attempted the same TOTAL updates, else ""."""
    totals = sorted({r["ops"] for r in rows if r.get("ops")})
    return f" of {totals[0]}" if len(totals) == 1 else ""


def lost_findings(rows, proc, thread, key, measure):
    """Lost updates: each model without a lock against with one (key-MODEL),
    and the two models without a lock (key)."""
    found = {}
    fmt, of = fmt_count, of_total(rows)
    for model in (proc, thread):
        c = Cond(f"{model}", result(pick(rows, model=model, lock="none")),
                 result(pick(rows, model=model, lock="mutex")))
        found[f"{key}-{model}"] = Finding(f"{key}-{model}", f"lost updates with {model}: no lock vs mutex",
                                          "no lock", "mutex", fmt, "model", [c], measure, suffix=of)
    c = Cond("no lock", result(pick(rows, model=proc, lock="none")),
             result(pick(rows, model=thread, lock="none")))
    found[key] = Finding(key, "lost updates without a lock", proc, thread, fmt,
                         "lock", [c], measure, suffix=of)
    return found


def seed_lost(rows, proc, thread, key, measure):
    n = rows[0]["workers"] if rows else "?"
    c = Cond(f"{n} workers, 1 decrement each, 0.1 s between read and write",
             result(pick(rows, model=proc, lock="none")),
             result(pick(rows, model=thread, lock="none")))
    return {key: Finding(key, "seed 004's case without a lock: lost updates", proc, thread,
                         fmt_count, "model", [c], measure, suffix=of_total(rows))}


def analyse_counter_lost(rows, ctx):
    return lost_findings(rows, "fork", "thread", "lost", "counter-lost")


def analyse_counter_seed(rows, ctx):
    return seed_lost(rows, "fork", "thread", "lost-seed", "counter-seed")


def analyse_py_create(rows, ctx):
    """Python column of C1: Process (fork start method) against Thread, start+join."""
    conds = [(f"pyproc parent={mb}MiB", {"parent_mb": mb}) for mb in values_of(rows, "parent-mb")]
    return {"py-create": compare_models(rows, "py-create", "CPython: start+join of an empty worker",
                                        fmt_ns, "the parent's memory", conds, "py-create", ns_per_op,
                                        a="pyproc", b="pythread")}


def analyse_counter_cost(rows, ctx):
    conds = [(lock, {"lock": lock}) for lock in values_of(rows, "lock")]
    return {"lock-cost": compare_models(rows, "lock-cost", "cost per locked decrement", fmt_ns,
                                        "the lock", conds, "counter-cost", ns_per_op)}


def analyse_pool(rows, ctx, models=("threadpool", "procpool"), key="pool", measure="pool"):
    conds = []
    works = values_of(rows, "work") or [None]
    for model in models:
        for work in works:
            flt = {} if work is None else {"work": work}
            label = model if work is None else f"{model} {work}"
            conds.append(Cond(label, ns_per_op(pick(rows, model=model, submit="sync", **flt)),
                              ns_per_op(pick(rows, model=model, submit="async", **flt))))
    n = rows[0]["workers"] if rows else "?"
    return {key: Finding(key, f"time per task, pool of {n}", "sync (apply)",
                         "async (apply_async)", fmt_ns, "pool model and task kind", conds, measure)}


def notes_of(row):
    """The notes column's key=value pairs."""
    return dict(kv.split("=", 1) for kv in row.get("notes", "").split(";") if "=" in kv)


def analyse_leftovers(rows, ctx, key, what):
    """zombie / daemon: every row must be ok (result 0: nothing left);
    report results and notes per model."""
    per = {}
    for r in rows:
        per.setdefault(r["model"], []).append(r)
    models = {}
    for m, v in per.items():
        d = {"rows": len(v), "ok": sum(r["ok"] == "1" for r in v),
             "results": sorted({r["result"] for r in v}), "facts": []}
        notes = [notes_of(r) for r in v]
        seen = [n["zombie_before_wait"].split("/") for n in notes if "/" in n.get("zombie_before_wait", "")]
        d["zombie_seen"] = None
        if seen:
            d["zombie_seen"] = (sum(int(a) for a, _ in seen), sum(int(b) for _, b in seen))
            d["facts"].append(f"zombie until waited: {sum(int(a) for a, _ in seen)} of "
                              f"{sum(int(b) for _, b in seen)} children checked")
        reap = [float(n["reap_ns_median"]) for n in notes if n.get("reap_ns_median")]
        if reap:
            d["facts"].append(f"reap latency {fmt_desc(sv.describe(reap), fmt_ns)}")
        models[m] = d
    return {key: {"kind": "check", "what": what, "measure": key, "models": models}}


def analyse_daemon(rows, ctx, key="daemon"):
    """C11 per (--kill, --parent-exit): daemons still running after the bound."""
    conds = []
    for kill in values_of(rows, "kill"):
        for how in values_of(rows, "parent-exit"):
            sel = [r for r in rows if params_of(r).get("kill") == kill
                   and params_of(r).get("parent-exit") == how and r["result"] != ""]
            if not sel:
                continue
            alive = sum(int(r["result"]) for r in sel)
            total = sum(int(r["ops"] or 0) for r in sel)
            gone = [float(notes_of(r)["gone_ns_median"]) for r in sel
                    if notes_of(r).get("gone_ns_median")]
            conds.append({"label": f"kill={kill} parent-exit={how}", "alive": alive, "daemons": total,
                          "ok": all(r["ok"] == "1" for r in sel), "reps": len(sel),
                          "gone": sv.describe(gone) if gone else None})
    return {key: {"kind": "conditions", "what": "daemons still running after their parent ended",
                  "measure": key, "conds": conds}} if conds else {}


def analyse_copy(rows, ctx):
    counts = sorted({int(r["workers"]) for r in rows})
    n = counts[-1]
    chunks = values_of(rows, "chunk")
    many = []
    for ch in chunks:
        many.append(Cond(f"chunk {fmt_size(ch)}", rate(pick(rows, model="fork", workers=n, chunk=ch)),
                         rate(pick(rows, model="fork", workers=1, chunk=ch))))
    vs = []
    for ch in chunks:
        vs.append(Cond(f"chunk {fmt_size(ch)}", rate(pick(rows, model="fork", workers=n, chunk=ch)),
                       rate(pick(rows, model="thread", workers=n, chunk=ch))))
    return {
        "copy-many": Finding("copy-many", f"copy throughput, {n} processes vs 1", f"{n} processes",
                             "1 process", fmt_rate, "chunk size", many, "copy"),
        "copy-model": Finding("copy-model", f"copy throughput on {n} workers", "fork", "thread",
                              fmt_rate, "chunk size", vs, "copy"),
    }


# ---- distribution (C10) ----------------------------------------------------

def hosts_of(row):
    """The hosts an mpi row asked for (notes hosts=, else params, else 1)."""
    return int(notes_of(row).get("hosts") or params_of(row).get("hosts") or 1)


def mpi_runs(rows, model="mpi"):
    """Per host count: the rows of the ranks' model (mpi, or pympi: ok or
    not) and the other models' rows of the same ptbench run (one host: the
    reference), under "mpi" and "thread"."""
    runs = {}
    for r in rows:
        if r["model"] == model:
            runs.setdefault(hosts_of(r), {"mpi": [], "thread": [], "run_ids": set()})
    for r in rows:
        if r["model"] == model:
            h = hosts_of(r)
            runs[h]["mpi"].append(r)
            runs[h]["run_ids"].add(r["run_id"])
    for r in rows:
        if r["model"] != model:
            for d in runs.values():
                if r["run_id"] in d["run_ids"]:
                    d["thread"].append(r)
    return dict(sorted(runs.items()))


def mpi_check(mpi_rows, hosts):
    """What the rows of one host count show: ok, and where the ranks ran."""
    notes = [notes_of(r) for r in mpi_rows]
    return {"hosts": hosts, "rows": len(mpi_rows), "ok": sum(r["ok"] == "1" for r in mpi_rows),
            "netns": sorted({n.get("netns", "") for n in notes}),
            "btl": sorted({n.get("btl", "") for n in notes}),
            "errors": sorted({r.get("error", "") for r in mpi_rows if r.get("error")})[:2]}


def analyse_mpi_cpu(rows, ctx):
    """cpu as hosts grow: mpi throughput against threads in one host (same
    run), against mpi on 1 host, and the whole job's wall time (hosts,
    mpirun and MPI_Init included) against 1 host."""
    runs = mpi_runs(rows)
    if not runs:
        return {}
    ranks = sorted({r["workers"] for r in rows if r["model"] == "mpi"})
    n = ranks[0] if len(ranks) == 1 else "/".join(ranks)
    vs_thread, cross, job = [], [], []
    one = runs.get(1)
    for h, d in runs.items():
        mpi_ok = [r for r in d["mpi"] if r["ok"] == "1"]
        label = f"{h} host{'s' if h > 1 else ''}"
        vs_thread.append(Cond(label, rate(mpi_ok), rate(pick(d["thread"]))))
        if one and h > 1:
            one_ok = [r for r in one["mpi"] if r["ok"] == "1"]
            cross.append(Cond(label, rate(mpi_ok), rate(one_ok)))
            job.append(Cond(label, col(mpi_ok, "outer_wall_ns"), col(one_ok, "outer_wall_ns")))
    return {
        "mpi-cpu": Finding("mpi-cpu", f"loop throughput, {n} mpi ranks over H hosts vs {n} threads in one host",
                           "mpi", "thread (1 host)", fmt_steps, "hosts", vs_thread, "mpi-cpu"),
        "mpi-cpu-cross": Finding("mpi-cpu-cross", f"loop throughput of {n} mpi ranks, H hosts vs 1",
                                 "mpi (H hosts)", "mpi (1 host)", fmt_steps, "hosts", cross, "mpi-cpu"),
        "mpi-job": Finding("mpi-job", "whole repetition of the mpi job (hosts, mpirun, MPI_Init, the loop), "
                                      "H hosts vs 1", "mpi (H hosts)", "mpi (1 host)", fmt_ns, "hosts",
                           job, "mpi-cpu"),
        "mpi-checks": {"kind": "mpi", "ranks": n,
                       "hosts": {h: mpi_check(d["mpi"], h) for h, d in runs.items()}},
    }


def analyse_mpi_share(rows, ctx):
    """share across hosts: mpi (MPI_Send/Recv; shared memory on one host,
    TCP across) against threads handing over heap pointers in one host."""
    runs = mpi_runs(rows)
    if not runs:
        return {}
    vs_thread, cross = [], []
    one = runs.get(1)
    for h, d in runs.items():
        mpi_ok = [r for r in d["mpi"] if r["ok"] == "1"]
        label = f"{h} host{'s' if h > 1 else ''}"
        vs_thread.append(Cond(label, rate(mpi_ok), rate(pick(d["thread"], via="heap")),
                              samples=({"model": "mpi"}, {"model": "thread", "via": "heap"})))
        if one and h > 1:
            cross.append(Cond(label, rate(mpi_ok), rate([r for r in one["mpi"] if r["ok"] == "1"]),
                              samples=({"model": "mpi"}, {"model": "mpi"})))
    return {
        "mpi-share": Finding("mpi-share", "bytes/s producer to consumer, 2 mpi ranks over H hosts vs "
                                          "2 threads (heap) in one host", "mpi", "thread (heap, 1 host)",
                             fmt_rate, "hosts", vs_thread, "mpi-share"),
        "mpi-share-cross": Finding("mpi-share-cross", "bytes/s of 2 mpi ranks, H hosts vs 1",
                                   "mpi (H hosts)", "mpi (1 host)", fmt_rate, "hosts", cross, "mpi-share"),
        "mpi-share-checks": {"kind": "mpi", "hosts": {h: mpi_check(d["mpi"], h) for h, d in runs.items()}},
    }


def refusals_of(ctx):
    return {"kind": "refusals", "runs": list(ctx.get("refusals") or [])}


ANALYSES = {
    "create": analyse_create,
    "switch": analyse_switch,
    "footprint": analyse_footprint,
    "share": analyse_share,
    "share-malloc": analyse_share_malloc,
    "cpu": analyse_cpu,
    "crash": analyse_crash,
    "pycpu": analyse_pycpu,
    "counter-lost": analyse_counter_lost,
    "counter-seed": analyse_counter_seed,
    "counter-cost": analyse_counter_cost,
    "pool": analyse_pool,
    "zombie": lambda rows, ctx: analyse_leftovers(rows, ctx, "zombie", "zombies and orphans left"),
    "daemon": analyse_daemon,
    "copy": analyse_copy,
    "py-counter-lost": lambda rows, ctx: lost_findings(rows, "pyproc", "pythread", "py-lost",
                                                      "py-counter-lost"),
    "py-counter-seed": lambda rows, ctx: seed_lost(rows, "pyproc", "pythread", "py-lost-seed",
                                                  "py-counter-seed"),
    "py-create": analyse_py_create,
    "mpi-cpu": analyse_mpi_cpu,
    "mpi-share": analyse_mpi_share,
}

# measures run once per host count, analysed together
GROUPS = {"mpi-cpu": "mpi-cpu-h", "mpi-share": "mpi-share-h"}


# which measure each finding comes from (to say why one is missing)
MEASURE_OF = {
    "create": "create", "switch": "switch", "footprint": "footprint", "footprint-rss": "footprint",
    "share": "share", "share-model": "share", "share-consume": "share", "share-heap": "share",
    "share-malloc": "share-malloc", "share-malloc-faults": "share-malloc", "crash": "crash",
    "cpu-wall": "cpu", "cpu-util": "cpu", "cpu-speedup": "cpu", "cpu-step": "cpu",
    "cpu-scale-thread": "cpu", "cpu-scale-proc": "cpu",
    "lost": "counter-lost", "lost-fork": "counter-lost", "lost-thread": "counter-lost",
    "lock-cost": "counter-cost", "lost-seed": "counter-seed", "pool": "pool", "zombie": "zombie",
    "py-wall": "pycpu", "py-speedup": "pycpu", "py-pool": "pycpu", "py-util": "pycpu",
    "py-step": "pycpu", "py-scale-thread": "pycpu", "py-scale-proc": "pycpu",
    "py-pool-speedup": "pycpu", "py-interp": "pycpu", "daemon": "daemon",
    "py-lost": "py-counter-lost", "py-lost-pyproc": "py-counter-lost",
    "py-lost-pythread": "py-counter-lost", "py-lost-seed": "py-counter-seed",
    "py-create": "py-create",
    "mpi-cpu": "mpi-cpu-h1", "mpi-cpu-cross": "mpi-cpu-h2", "mpi-job": "mpi-cpu-h2",
    "mpi-checks": "mpi-cpu-h1", "mpi-share": "mpi-share-h1", "mpi-share-cross": "mpi-share-h2",
    "mpi-share-checks": "mpi-share-h1",
    "copy-many": "copy", "copy-model": "copy",
}
