"""table_render.py - seed 000's table and the claims C1-C14 as Markdown, with
verdicts computed from the findings of table_claims.py, for `make table`.

The seed's words are quoted as the seed has them (row 1's thread cell
starts with a stray copy of the process cell's end; it is kept, and said).
"""
import stats_verdict as sv
from table_claims import fmt_desc, fmt_ns, why_missing

A, B, SAME = sv.A_HIGHER, sv.B_HIGHER, sv.SAME
NOT_MEASURED = "not measured"
LOC_MARGIN = 0.10   # C13: fewer lines count only when fewer by this share


class Aspect:
    """One measured aspect of a seed row: the finding whose figures are
    shown, the claim it tests (expect: which side the seed says is higher)
    and, when the verdict needs another finding, that one."""

    def __init__(self, label, shows, expect, judged_by=None, meaning="", says=None):
        self.label, self.shows, self.expect = label, shows, expect
        self.judged_by = judged_by or shows
        self.meaning = meaning
        self.says = says or {}     # verdict -> plain words for what the figures show


SEED_ROWS = [
    {"zh": "数据共享、同步", "en": "data sharing, synchronisation",
     "proc_zh": "数据是分开的，共享复杂，需要用IPC；同步简单",
     "proc_en": "data is separate; sharing is complex and needs IPC; synchronisation is simple",
     "thread_zh": "IPC；同步简单\t多线程共享进程数据，共享简单；同步复杂",
     "thread_en": "(sic: starts with a stray copy of the left cell's end) threads share the "
                  "process's data; sharing is simple; synchronisation is complex",
     "claims": "C4, C7",
     "aspects": [
         Aspect("sharing (bytes/s)", "share", B,
                meaning="seed: threads share data more cheaply than processes, which need IPC"),
         Aspect("sync (updates lost without a lock)", "lost", SAME, judged_by="lost-fork",
                meaning="seed: processes need no lock; judged on fork, no lock against a mutex",
                says={sv.FAILS: "processes sharing the counter lose updates without a lock, "
                                "as threads do, and lose none with the mutex",
                      sv.HOLDS: "processes lose no updates without a lock"}),
     ]},
    {"zh": "内存、CPU", "en": "memory, CPU",
     "proc_zh": "占用内存多，切换复杂，CPU利用率低",
     "proc_en": "uses more memory; switching is complex; CPU utilisation is low",
     "thread_zh": "占用内存少，切换简单，CPU利用率高",
     "thread_en": "uses less memory; switching is simple; CPU utilisation is high",
     "claims": "C3, C2, C5",
     "aspects": [
         Aspect("memory (PSS per worker)", "footprint", A, meaning="seed: processes use more memory"),
         Aspect("switching (round trip)", "switch", A, meaning="seed: switching processes costs more"),
         Aspect("CPU utilisation", "cpu-util", B, meaning="seed: threads use the CPU better"),
     ]},
    {"zh": "创建销毁、切换", "en": "creation/destruction, switching",
     "proc_zh": "创建销毁、切换复杂，速度慢",
     "proc_en": "creating, destroying and switching are complex and slow",
     "thread_zh": "创建销毁、切换简单，速度快",
     "thread_en": "creating, destroying and switching are simple and fast",
     "claims": "C1, C2",
     "aspects": [
         Aspect("create+join", "create", A, meaning="seed: processes are slower to create and destroy"),
         Aspect("switching (round trip)", "switch", A, meaning="seed: processes are slower to switch"),
     ]},
    {"zh": "编程调试", "en": "programming, debugging",
     "proc_zh": "编程简单，调试简单",
     "proc_en": "simple to program, simple to debug",
     "thread_zh": "编程复杂，调试复杂",
     "thread_en": "complex to program, complex to debug",
     "claims": "C13", "special": "c13"},
    {"zh": "可靠性", "en": "reliability",
     "proc_zh": "进程间不会相互影响",
     "proc_en": "processes do not affect one another",
     "thread_zh": "一个线程挂掉将导致整个进程挂掉",
     "thread_en": "one thread dying brings down the whole process",
     "claims": "C6",
     "aspects": [Aspect("survivors when 1 worker crashes", "crash", A,
                        meaning="seed: a crash takes down only its own process")]},
    {"zh": "分布式", "en": "distribution",
     "proc_zh": "适应于多核、多机分布 ；如果一台机器不够，扩展到多台机器比较简单",
     "proc_en": "suits distribution over cores and machines; if one machine is not enough, "
                "extending to several is fairly simple",
     "thread_zh": "适应于多核分布",
     "thread_en": "suits distribution over cores only",
     "claims": "C10", "special": "c10"},
]

# claim -> (text, [(finding key, expect)], workload needed, how measured)
CLAIMS = [
    ("C1", "creating and destroying a process costs more than a thread (000, 004)",
     [("create", A)], "create"),
    ("C2", "switching between processes costs more than between threads (000)",
     [("switch", A)], "switch"),
    ("C3", "processes use more memory (000)", [("footprint", A), ("footprint-rss", None)],
     "footprint"),
    ("C4", "processes need IPC to share data, and IPC needs serialization, so sharing costs "
           "more than with threads (000, 001, 002)", [("share", B), ("share-model", None)], "share"),
    ("C5", "threads cannot use several cores; processes give true parallelism (002, 004)",
     [("cpu-speedup", A), ("cpu-wall", B), ("cpu-util", None)], "cpu"),
    ("C6", "a crashing thread kills the whole process; processes are isolated (000)",
     [("crash", A)], "crash"),
    ("C7", "threads need locks or the shared counter goes wrong; processes need locks on shared "
           "resources too (001, 004)",
     [("lost-thread", A), ("lost-fork", A), ("lost-seed", None), ("lock-cost", None)], "counter"),
    ("C8", "`apply` runs the pool in series, `apply_async` in parallel (000, 001, 003)",
     [("pool", A)], "pool"),
    ("C9", "a finished child is a zombie until its parent waits; an orphan is re-parented "
           "(003, 004); ptbench leaves none", "check:zombie", "zombie"),
    ("C10", "processes scale from many cores to many machines; threads do not (000)",
     "c10", "mpi model"),
    ("C11", "a daemon child ends with its parent (000, 004)", "check:daemon", "daemon"),
    ("C12", "copying many files is faster with many processes (004)",
     [("copy-many", A), ("copy-model", None)], "copy"),
    ("C13", "processes are simpler to program and debug (000)", "c13", "scripts/c13_evidence.sh"),
    ("C14", "in Python, threads are slower than processes for CPU work because of the GIL "
            "(002, 004)", [("py-wall", A), ("py-speedup", None), ("py-pool", None), ("cpu-wall", None)],
     "pythread/pyproc models"),
]

C10_HOW = ("what would measure it: an `mpi` model (Open MPI ranks in two network namespaces "
           "joined by veth pairs and a bridge, as in the MPI issue) running the same workload "
           "as message-passing processes across the two \"hosts\", against threads in one host")
C14_HOW = ("what would measure it: the `pythread`/`pyproc`/`pypool` models (another issue) "
           "running the same loop in CPython beside C")


def bold(v):
    return f"**{v}**"


# ---- verdicts of aspects, rows and claims ------------------------------------

def aspect_verdict(found, asp, missing):
    for key in (asp.shows, asp.judged_by):
        if not found.get(key):
            return NOT_MEASURED, why_missing(key, missing)
    verdict, why = found[asp.judged_by].verdict(asp.expect)
    if verdict in asp.says:
        why = f"{asp.says[verdict]} ({why})"
    return verdict, why


def c13_verdict(ev):
    """(verdict, why, process figure, thread figure, ratio) from the C13 evidence."""
    if not ev:
        return NOT_MEASURED, "scripts/c13_evidence.sh did not run", "—", "—", "—"
    loc = ev["loc"]
    fork_loc, thread_loc = loc.get("fork"), loc.get("thread")
    tn, fn = ev["thread_nolock"], ev["fork_nolock"]
    # a line count has no noise, but a few lines are style, not simplicity:
    # processes count as simpler to program only with clearly fewer lines
    prog = sv.HOLDS if fork_loc * (1 + LOC_MARGIN) <= thread_loc else sv.FAILS
    if tn["races"] > 0 and fn["races"] == 0 and fn["lost_updates"] > 0:
        debug, dwhy = sv.FAILS, ("the same unlocked counter loses updates in both models, but "
                                 "ThreadSanitizer reports the race only with threads: with "
                                 "processes the bug is there and the race detector cannot see it")
    elif tn["races"] > 0 and fn["races"] > 0:
        debug, dwhy = sv.FAILS, "the race detector sees the race in both models"
    else:
        debug, dwhy = sv.NO_VERDICT, "the runs did not show the race (no lost updates or no report)"
    verdict, why = sv.combine([("programming (adapter LOC)", prog), ("debugging (TSan)", debug)],
                              "the aspect")
    if prog == sv.HOLDS:
        how = f"at least {LOC_MARGIN:.0%} fewer for processes"
    elif fork_loc <= thread_loc * (1 + LOC_MARGIN):
        how = f"within {LOC_MARGIN:.0%}: about the same"
    else:
        how = "more for processes"
    pwhy = f"programming: fork adapter {fork_loc} lines of code vs thread {thread_loc} ({how})"
    why = "; ".join(x for x in (why, pwhy, "debugging: " + dwhy) if x)
    pfig = (f"adapter {fork_loc} LOC (procpool {loc.get('procpool', '—')});<br>"
            f"no lock: {fn['lost_updates']} lost, {fn['races']} TSan race reports")
    tfig = (f"adapter {thread_loc} LOC (threadpool {loc.get('threadpool', '—')});<br>"
            f"no lock: {tn['lost_updates']} lost, {tn['races']} TSan race reports")
    ratio = sv.fmt_ratio(fork_loc / thread_loc) + " LOC"
    return verdict, why, pfig, tfig, ratio


def model_present(offer, names):
    return offer is not None and all(n in offer.models for n in names)


def claim_verdict(claim, found, missing, ev, offer):
    """(verdict, why, [figure lines]) of one claim."""
    _, _, spec, _ = claim
    if spec == "c13":
        v, why, pf, tf, _ = c13_verdict(ev)
        return v, why, [f"process: {pf.replace('<br>', ' ')}", f"thread: {tf.replace('<br>', ' ')}"]
    if spec == "c10":
        if model_present(offer, ["mpi"]):
            return NOT_MEASURED, "an `mpi` model exists but the table has no measure for it yet", []
        return NOT_MEASURED, C10_HOW, []
    if isinstance(spec, str) and spec.startswith("check:"):
        key = spec[6:]
        return check_verdict(found.get(key), why_missing(key, missing))
    judged = [(found[k], e) for k, e in spec if e is not None and found.get(k)]
    if not judged:
        why = why_missing(spec[0][0], missing)
        return NOT_MEASURED, (f"{why}; {C14_HOW}" if claim[0] == "C14" else why), []
    parts = [(f.what, f.verdict(e)) for f, e in judged]
    if len(parts) == 1:
        verdict, why = parts[0][1]
    else:
        verdict, why = sv.combine([(w, v[0]) for w, v in parts], "the measure")
        details = "; ".join(f"{w}: {v[0]}, {v[1]}" for w, v in parts)
        why = f"{why} — {details}" if why else details
    lines = []
    for key, _ in spec:
        f = found.get(key)
        if not f:
            continue
        for c in f.conds:
            lines.append(f"{f.what} — {f.line(c)}")
        lines += getattr(f, "extra", [])
    return verdict, why, lines


def check_verdict(chk, missing):
    if not chk:
        return NOT_MEASURED, missing or "its workload is not there yet", []
    if chk["kind"] == "conditions":
        return conditions_verdict(chk)
    lines, all_ok = [], True
    for m, d in chk["models"].items():
        all_ok &= d["ok"] == d["rows"] and d["results"] == ["0"]
        seen = d.get("zombie_seen")
        all_ok &= seen is None or seen[0] == seen[1]
        facts = "".join(f"; {f}" for f in d["facts"])
        lines.append(f"{m}: {d['ok']}/{d['rows']} repetitions ok, left behind: "
                     f"{', '.join(d['results'])}{facts}")
    if all_ok:
        zombies = " every child checked was a zombie until waited for;" if any(
            d.get("zombie_seen") for d in chk["models"].values()) else ""
        return sv.HOLDS, (f"{zombies} {chk['what']}: 0 in every repetition of every model "
                          "(checked, ok=1)").strip(), lines
    return sv.FAILS, f"{chk['what']}: not 0 in some repetition, or a check failed (ok=0)", lines


def conditions_verdict(chk):
    """Holds under a condition when no daemon outlived its parent in any
    repetition (min_reps at least); fails when any did."""
    per, lines = [], []
    for c in chk["conds"]:
        if c["reps"] < sv.MIN_REPS:
            v = sv.NO_VERDICT
        else:
            v = sv.HOLDS if c["alive"] == 0 else sv.FAILS
        per.append((c["label"], v))
        gone = f"; gone {fmt_desc(c['gone'], fmt_ns)} after the parent" if c["gone"] else ""
        lines.append(f"{c['label']}: {c['alive']} of {c['daemons']} daemons still running "
                     f"after the bound ({c['reps']} repetitions){gone}")
    verdict, why = sv.combine(per, "how the daemon is ended and how its parent dies")
    if not why:
        why = f"{chk['what']}: " + ("none" if verdict == sv.HOLDS else "some")
    return verdict, why, lines


# ---- Markdown ------------------------------------------------------------------

def cell(s):
    return str(s).replace("|", "\\|").replace("\n", " ")


def row_cells(row, found, missing, ev, offer):
    """(process figure, thread figure, ratio, verdict) cells of one seed row."""
    if row.get("special") == "c13":
        v, why, pf, tf, ratio = c13_verdict(ev)
        return pf, tf, ratio, f"{bold(v)}: {why}"
    if row.get("special") == "c10":
        _, why, _ = claim_verdict(CLAIMS[9], found, missing, ev, offer)
        return "not measured", "not measured", "—", f"{bold(NOT_MEASURED)}: {why}"
    pf, tf, ra, vs, per = [], [], [], [], []
    for asp in row["aspects"]:
        v, why = aspect_verdict(found, asp, missing)
        per.append((asp.label, v))
        f = found.get(asp.shows)
        if f:
            pf.append(f"{asp.label}: {f.figure('a')}")
            tf.append(f"{asp.label}: {f.figure('b')}")
            ra.append(f"{f.ratio()}")
        else:
            pf.append(f"{asp.label}: —")
            tf.append(f"{asp.label}: —")
            ra.append("—")
        vs.append(f"{asp.label}: {bold(v)} — {why}" + (f" ({asp.meaning})" if asp.meaning else ""))
    overall, owhy = sv.combine(per, "the aspect")
    if all(v == NOT_MEASURED for _, v in per):
        overall = NOT_MEASURED
    head = bold(overall) + (f" {owhy}" if overall == sv.DEPENDS else "")
    unmeasured = [lbl for lbl, v in per if v == NOT_MEASURED]
    if unmeasured and overall != NOT_MEASURED:
        head += f" (so far: {', '.join(unmeasured)} not measured)"
    return "<br>".join(pf), "<br>".join(tf), "<br>".join(ra), head + "<br>" + "<br>".join(vs)


def render(found, missing, ev, offer, info):
    out = ["# Seed 000's comparison table, measured", ""]
    out += [
        f"Generated by `make table{' QUICK=1' if info['mode'] == 'quick' else ''}` "
        f"({info['mode']} mode) on {info['machine']}; {info['date']}, git {info['git']}. "
        f"The data is `results/table.csv`, the machine and the commands "
        f"`results/table.meta.json`.",
        "",
        f"Figures are the median and [interquartile range] over {info['reps']} repetitions of each "
        "model, the models interleaved repetition by repetition; the ratio is process ÷ thread "
        "(of the medians). A difference counts only when a two-sided Mann–Whitney U test gives "
        f"p < {sv.ALPHA} *and* the ratio lies outside [1/(1+t), 1+t], where t is the larger "
        f"relative IQR of the two samples, at least {sv.NOISE_FLOOR:.0%}; otherwise the verdict "
        "says \"no measurable difference\". A seed statement that predicts a difference which is "
        "not there **fails**; one that holds under some parameters and not others **depends**. "
        "Each row's figures are those of its first condition (listed first under its claim below); "
        "`create` runs on one CPU (`taskset -c 0`), so that where the scheduler wakes the new worker "
        "does not decide the figure.",
        "",
        "| seed row | multi-process (seed) | multi-process (English) | multi-thread (seed) | "
        "multi-thread (English) | process, measured | thread, measured | process/thread | verdict |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in SEED_ROWS:
        pf, tf, ra, v = row_cells(row, found, missing, ev, offer)
        out.append("| " + " | ".join(cell(x) for x in (
            f"{row['zh']}<br>{row['en']} ({row['claims']})", row["proc_zh"], row["proc_en"],
            row["thread_zh"], row["thread_en"], pf, tf, ra, v)) + " |")
    out += ["", "## Every claim", ""]
    for claim in CLAIMS:
        v, why, lines = claim_verdict(claim, found, missing, ev, offer)
        out.append(f"- **{claim[0]}** {claim[1]}: {bold(v)} — {why}")
        for ln in lines:
            out.append(f"  - {ln}")
        for cmd in commands_for(claim, info):
            out.append(f"  - reproduce: `{cmd}`")
    out += ["", "## Notes", ""] + [f"- {n}" for n in info.get("notes", [])]
    return "\n".join(out) + "\n"


CLAIM_MEASURES = {"C1": ["create"], "C2": ["switch"], "C3": ["footprint"], "C4": ["share"],
                  "C5": ["cpu"], "C6": ["crash"], "C7": ["counter-lost", "counter-seed", "counter-cost"],
                  "C8": ["pool"], "C9": ["zombie"], "C11": ["daemon"], "C12": ["copy"],
                  "C14": ["pycpu", "cpu"]}


def commands_for(claim, info):
    cid = claim[0]
    if cid == "C13":
        ev = info.get("c13") or {}
        cmds = ["scripts/c13_evidence.sh"]
        if ev:
            cmds.append(ev["tsan_build"])
            cmds += [ev[k]["command"] for k in ("thread_nolock", "fork_nolock", "thread_mutex")]
        return cmds
    return [info["commands"][m] for m in CLAIM_MEASURES.get(cid, []) if m in info["commands"]]
