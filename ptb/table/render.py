"""table_render.py - seed 000's table and the claims C1-C14 as Markdown, with
verdicts computed from the findings of table_claims.py, for `make table`.

Two column groups: C (fork/thread, and the mpi model for distribution)
and Python (pyproc/pythread, and the pympi model for distribution), each
row with a verdict per language.  A
cell that no measure covers in a language says so and why.  C10's verdict
comes from the mpi rows on several hosts and from ptbench's refusal to
start the thread model on two (recorded by table.py, not assumed).

The seed's words are quoted as the seed has them (row 1's thread cell
starts with a stray copy of the process cell's end; it is kept, and said).
"""
from ptb import stats as sv
from ptb.table import measures as tm
from ptb.table import python as tp
from ptb.table import scaling as table_scaling
from ptb.table.analyse import fmt_desc, fmt_ns
from ptb.table.analysis import why_missing

A, B, SAME = sv.A_HIGHER, sv.B_HIGHER, sv.SAME
NOT_MEASURED = "not measured"
LOC_MARGIN = 0.10   # C13: fewer lines count only when fewer by this share


class Aspect:
    """One measured aspect of a seed row: the finding whose figures are
    shown, the claim it tests (expect: which side the seed says is higher;
    None: figures only, no verdict) and, when the verdict needs another
    finding, that one.  shows=None: nothing measures it in this language,
    and `absent` says why."""

    def __init__(self, label, shows, expect, judged_by=None, meaning="", says=None, absent="",
                 vlabel=None):
        self.label, self.shows, self.expect = label, shows, expect
        self.vlabel = vlabel or label    # the label of its verdict, when not the figures'
        self.judged_by = judged_by or shows
        self.meaning = meaning
        self.says = says or {}     # verdict -> plain words for what the figures show
        self.absent = absent


CPU_SCALING = "CPU scaling with threads"
SCALING_MEANING = ("seed 000: threads use the CPU well, so more threads do more work on more cores "
                   "(seeds 002/004, claim C5, say the opposite); judged on the threads' loop "
                   "throughput, n workers against 1")
SCALING_SAYS = {sv.HOLDS: "threads do measurably more work on more cores",
                sv.FAILS: "threads do no more work on several cores than on one"}


def cpu_aspects(p):
    """The CPU aspects of row 2, for findings with prefix p ("cpu-", "py-")."""
    return [
        Aspect("cost per step (1 worker)", f"{p}step", None,
               meaning="figures only: the languages are compared by this and by speed-up, never by wall time"),
        Aspect("CPU utilisation", f"{p}util", B, meaning="seed: threads use the CPU better"),
        Aspect("speed-up 1→n workers", f"{p}speedup", A, judged_by=f"{p}scale-thread",
               meaning=SCALING_MEANING, says=SCALING_SAYS, vlabel=CPU_SCALING),
    ]


SEED_ROWS = [
    {"zh": "数据共享、同步", "en": "data sharing, synchronisation",
     "proc_zh": "数据是分开的，共享复杂，需要用IPC；同步简单",
     "proc_en": "data is separate; sharing is complex and needs IPC; synchronisation is simple",
     "thread_zh": "IPC；同步简单\t多线程共享进程数据，共享简单；同步复杂",
     "thread_en": "(sic: starts with a stray copy of the left cell's end) threads share the "
                  "process's data; sharing is simple; synchronisation is complex",
     "claims": "C4, C7",
     "c": [
         Aspect("sharing (bytes/s)", "share", B,
                meaning="seed: threads share data more cheaply than processes, which need IPC"),
         Aspect("sync (updates lost without a lock)", "lost", SAME, judged_by="lost-fork",
                meaning="seed: processes need no lock; judged on fork, no lock against a mutex",
                says={sv.FAILS: "processes sharing the counter lose updates without a lock, "
                                "as threads do, and lose none with the mutex",
                      sv.HOLDS: "processes lose no updates without a lock"}),
     ],
     "py": [
         Aspect("sharing (bytes/s)", "py-share", B,
                meaning="seed: threads share data more cheaply than processes, which need IPC; "
                        "pyproc through multiprocessing.Queue, Pipe.send_bytes, shared_memory "
                        "against pythread handing references through queue.Queue"),
         Aspect("sync (updates lost without a lock)", "py-lost", SAME, judged_by="py-lost-pyproc",
                meaning="seed: processes need no lock; judged on pyproc (a multiprocessing.Value), "
                        "no lock against multiprocessing.Lock",
                says={sv.FAILS: "processes sharing a multiprocessing.Value lose updates without a "
                                "lock, as threads do, and lose none with the lock",
                      sv.HOLDS: "processes lose no updates without a lock"}),
     ]},
    {"zh": "内存、CPU", "en": "memory, CPU",
     "proc_zh": "占用内存多，切换复杂，CPU利用率低",
     "proc_en": "uses more memory; switching is complex; CPU utilisation is low",
     "thread_zh": "占用内存少，切换简单，CPU利用率高",
     "thread_en": "uses less memory; switching is simple; CPU utilisation is high",
     "claims": "C3, C2, C5",
     "c": [
         Aspect("memory (PSS per worker)", "footprint", A, meaning="seed: processes use more memory"),
         Aspect("switching (round trip)", "switch", A, meaning="seed: switching processes costs more"),
     ] + cpu_aspects("cpu-"),
     "py": [
         Aspect("memory (PSS per worker)", "py-footprint", A,
                meaning="seed: processes use more memory; Process (fork) against Thread"),
         Aspect("switching (round trip)", "py-switch", A,
                meaning="seed: switching processes costs more; multiprocessing.Pipe, the queues "
                        "and the conditions of each model"),
     ] + cpu_aspects("py-")},
    {"zh": "创建销毁、切换", "en": "creation/destruction, switching",
     "proc_zh": "创建销毁、切换复杂，速度慢",
     "proc_en": "creating, destroying and switching are complex and slow",
     "thread_zh": "创建销毁、切换简单，速度快",
     "thread_en": "creating, destroying and switching are simple and fast",
     "claims": "C1, C2",
     "c": [
         Aspect("create+join", "create", A, meaning="seed: processes are slower to create and destroy"),
         Aspect("switching (round trip)", "switch", A, meaning="seed: processes are slower to switch"),
     ],
     "py": [
         Aspect("create+join", "py-create", A,
                meaning="seed: processes are slower to create and destroy; Process (fork start "
                        "method) against Thread, start+join"),
         Aspect("switching (round trip)", "py-switch", A,
                meaning="seed: processes are slower to switch; multiprocessing.Pipe, the queues "
                        "and the conditions of each model"),
     ]},
    {"zh": "编程调试", "en": "programming, debugging",
     "proc_zh": "编程简单，调试简单",
     "proc_en": "simple to program, simple to debug",
     "thread_zh": "编程复杂，调试复杂",
     "thread_en": "complex to program, complex to debug",
     "claims": "C13", "c": "c13",
     "py": [Aspect("programming, debugging", None, None,
                   absent="C13's evidence is the C adapters' lines of code and ThreadSanitizer, "
                          "which instruments C, not Python code; nothing measures it for Python")]},
    {"zh": "可靠性", "en": "reliability",
     "proc_zh": "进程间不会相互影响",
     "proc_en": "processes do not affect one another",
     "thread_zh": "一个线程挂掉将导致整个进程挂掉",
     "thread_en": "one thread dying brings down the whole process",
     "claims": "C6",
     "c": [Aspect("survivors when 1 worker crashes", "crash", A,
                  meaning="seed: a crash takes down only its own process")],
     "py": [Aspect("survivors when 1 worker crashes", "py-crash", A,
                   meaning="seed: a crash takes down only its own process; a hard fault "
                           "(SIGSEGV, os.abort) and an uncaught exception")]},
    {"zh": "分布式", "en": "distribution",
     "proc_zh": "适应于多核、多机分布 ；如果一台机器不够，扩展到多台机器比较简单",
     "proc_en": "suits distribution over cores and machines; if one machine is not enough, "
                "extending to several is fairly simple",
     "thread_zh": "适应于多核分布",
     "thread_en": "suits distribution over cores only",
     "claims": "C10", "c": "c10",
     "py": "c10"},
]

# claim -> (id, text, [(finding key, expect)] or special, workload needed,
#           the same claim in the other language: (language, [(key, expect)]))
CLAIMS = [
    ("C1", "creating and destroying a process costs more than a thread (000, 004)",
     [("create", A)], "create", ("Python", [("py-create", A)])),
    ("C2", "switching between processes costs more than between threads (000)",
     [("switch", A)], "switch", tp.PY_CLAIMS["C2"]),
    ("C3", "processes use more memory (000)", [("footprint", A), ("footprint-rss", None)],
     "footprint", tp.PY_CLAIMS["C3"]),
    ("C4", "processes need IPC to share data, and IPC needs serialization, so sharing costs "
           "more than with threads (000, 001, 002)", [("share", B), ("share-model", None)], "share",
     tp.PY_CLAIMS["C4"]),
    ("C5", "threads cannot use several cores; processes give true parallelism (002, 004)",
     [("cpu-speedup", A), ("cpu-wall", B), ("cpu-scale-thread", SAME), ("cpu-util", None),
      ("cpu-scale-proc", None), ("cpu-step", None)], "cpu",
     ("Python", [("py-speedup", A), ("py-wall", A), ("py-scale-thread", SAME), ("py-util", None),
                 ("py-scale-proc", None), ("py-step", None)])),
    ("C6", "a crashing thread kills the whole process; processes are isolated (000)",
     [("crash", A)], "crash", tp.PY_CLAIMS["C6"]),
    ("C7", "threads need locks or the shared counter goes wrong; processes need locks on shared "
           "resources too (001, 004)",
     [("lost-thread", A), ("lost-fork", A), ("lost-seed", None), ("lock-cost", None)], "counter",
     ("Python", [("py-lost-pythread", A), ("py-lost-pyproc", A), ("py-lost-seed", None)])),
    ("C8", "`apply` runs the pool in series, `apply_async` in parallel (000, 001, 003)",
     [("pool", A)], "pool", tp.PY_CLAIMS["C8"]),
    ("C9", "a finished child is a zombie until its parent waits; an orphan is re-parented "
           "(003, 004); ptbench leaves none", "check:zombie", "zombie", tp.PY_CLAIMS["C9"]),
    ("C10", "processes scale from many cores to many machines; threads do not (000)",
     "c10", "mpi model", ("Python", "c10")),
    ("C11", "a daemon child ends with its parent (000, 004)", "check:daemon", "daemon", tp.PY_CLAIMS["C11"]),
    ("C12", "copying many files is faster with many processes (004)",
     [("copy-many", A), ("copy-model", None)], "copy", None),
    ("C13", "processes are simpler to program and debug (000)", "c13", "scripts/c13_evidence.sh", None),
    ("C14", "in Python, threads are slower than processes for CPU work because of the GIL "
            "(002, 004)", [("py-wall", A), ("py-speedup", None), ("py-pool", None),
                          ("py-pool-speedup", None), ("py-util", None)],
     "pythread/pyproc models", ("C", [("cpu-wall", B), ("cpu-speedup", None)])),
]

C10_HOW = ("what would measure it: the `mpi` model (Open MPI ranks in network namespaces "
           "joined by veth pairs and a bridge) running the same workload as message-passing "
           "processes across the \"hosts\", against threads in one host")
PY_C10_HOW = ("what would measure it: the `pympi` model (CPython ranks with mpi4py, started by "
              "the mpi model's mpirun on network-namespace hosts) running the loop across the "
              "\"hosts\", against pythread in one host")
C14_HOW = ("what would measure it: the `pythread`/`pyproc`/`pypool` models "
           "running the same loop in CPython beside C")


def bold(v):
    return f"**{v}**"


# ---- verdicts of aspects, rows and claims ------------------------------------

def aspect_verdict(found, asp, missing):
    if asp.shows is None:
        return NOT_MEASURED, asp.absent
    for key in (asp.shows, asp.judged_by):
        if not found.get(key):
            return NOT_MEASURED, why_missing(key, missing)
    if asp.expect is None:
        return None, "figures only"
    verdict, why = found[asp.judged_by].verdict(asp.expect)
    if verdict in asp.says:
        why = f"{asp.says[verdict]} ({why})"
    return verdict, why


def gil_note(found):
    """What the Python rows say of the interpreter and its GIL, or ""."""
    it = found.get("py-interp")
    if not it or not it["gil"]:
        return ""
    who = f"{'/'.join(it['impl']) or 'Python'} {'/'.join(it['python'])}"
    if it["gil"] == ["1"]:
        return (f"{who} with the GIL (gil=1 in every Python row): one thread at a time runs "
                "Python code")
    if it["gil"] == ["0"]:
        return f"{who} is free-threaded (gil=0 in every Python row): no GIL serialises the threads"
    return f"{who}: gil= differs between rows ({', '.join(it['gil'])})"


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


# ---- C10: distribution ----------------------------------------------------------

MPI_MEASURES = ("mpi-cpu-h1", "mpi-cpu-h2", "mpi-cpu-h4", "mpi-share-h1", "mpi-share-h2")


def refused(run):
    """A refusal run shows the model cannot start on 2 hosts when ptbench
    exits non-zero (2: bad input) and writes no CSV."""
    return run["exit_status"] != 0 and not run["wrote_csv"]


def crossed(chk):
    """Did the mpi rows of one host count (> 1) really cross hosts?  Every
    repetition ok=1, enough of them, and the ranks ran in as many network
    namespaces as hosts asked (netns= in the row's notes)."""
    return (chk["rows"] >= sv.MIN_REPS and chk["ok"] == chk["rows"]
            and chk["netns"] == [str(chk["hosts"])])


def c10_facts(found, missing, py=False):
    """What the distribution measures showed: (multi-host checks, thread
    refusal, fork refusal, reasons for what was not measured); py: the
    Python column's (pympi ranks, pythread's refusal, no fork)."""
    runs = (found.get("refusals") or {}).get("runs", [])
    by_model = {r["model"]: r for r in runs}
    if py:
        checks = dict((found.get("py-mpi-checks") or {}).get("hosts", {}))
        unmeasured = [f"`{m}`: {missing[m]}" for m in tm.PY_MPI_MEASURES if m in missing]
        return checks, by_model.get("pythread"), None, unmeasured
    checks = dict((found.get("mpi-checks") or {}).get("hosts", {}))
    for h, chk in (found.get("mpi-share-checks") or {}).get("hosts", {}).items():
        checks.setdefault(("share", h), chk)
    unmeasured = [f"`{m}`: {missing[m]}" for m in MPI_MEASURES if m in missing]
    return checks, by_model.get("thread"), by_model.get("fork"), unmeasured


def c10_verdict(found, missing, py=False):
    """(verdict, why) of C10: holds when the mpi model's processes ran
    verified on several hosts and ptbench refused to start threads on two
    (py: the pympi model's ranks, and pythread's refusal)."""
    checks, thr, _, unmeasured = c10_facts(found, missing, py)
    ranks, threads = ("pympi", "pythread") if py else ("mpi", "thread")
    multi = [c for k, c in checks.items() if (k[1] if isinstance(k, tuple) else k) > 1]
    not_here = ("; not measured: " + "; ".join(unmeasured)) if unmeasured else ""
    if not checks:
        why = "; ".join(unmeasured) if unmeasured else f"no {ranks} rows"
        return NOT_MEASURED, f"{why}; {PY_C10_HOW if py else C10_HOW}"
    if not multi:
        return NOT_MEASURED, (f"the {ranks} model ran on 1 host only, so nothing crossed a machine "
                              f"boundary{not_here}")
    bad = [c for c in multi if not crossed(c)]
    if bad:
        c = bad[0]
        return sv.NO_VERDICT, (f"the {ranks} rows on {c['hosts']} hosts are not all verified "
                               f"({c['ok']} of {c['rows']} ok, ranks in netns={','.join(c['netns'])}"
                               + (f"; {c['errors'][0]}" if c["errors"] else "") + ")")
    if thr is None:
        return sv.NO_VERDICT, f"the {threads} model was not asked to start on 2 hosts (no refusal run)"
    hosts = sorted({c["hosts"] for c in multi})
    shown = (f"{ranks} ranks (processes) ran on {', '.join(map(str, hosts))} hosts with every repetition "
             f"verified (ok=1, ranks in as many network namespaces as hosts)")
    if not refused(thr):
        return sv.FAILS, (f"{shown}, and ptbench started the {threads} model with --hosts 2 too "
                          f"(exit {thr['exit_status']})")
    return sv.HOLDS, (f"{shown}; ptbench refuses to start {'Python threads' if py else 'threads'} on "
                      f"2 hosts (exit {thr['exit_status']}, no CSV written){not_here}")


def fmt_hosts(f, side):
    """A finding's figure per host condition: "1 host X; 2 hosts Y"."""
    return "; ".join(f"{c.label} {f.figure(side, c)}" for c in f.conds)


def c10_cells(found, missing):
    """(process cell, thread cell, ratio cell) of the distribution row."""
    cpu, job, share = found.get("mpi-cpu"), found.get("mpi-job"), found.get("mpi-share")
    _, thr, fork, unmeasured = c10_facts(found, missing)
    pf, tf, ra = [], [], []
    if cpu:
        ranks = (found.get("mpi-checks") or {}).get("ranks", "?")
        pf.append(f"cpu, {ranks} mpi ranks (steps/s): {fmt_hosts(cpu, 'a')}")
        tf.append(f"cpu, threads in one host: {cpu.figure('b')}")
        ra.append("cpu: " + "; ".join(f"{c.label} {cpu.ratio(c)}" for c in cpu.conds))
    if job:
        pf.append("whole mpi job vs 1 host: " + "; ".join(f"{c.label} {job.ratio(c)}" for c in job.conds))
    if share:
        pf.append(f"share, 2 ranks: {fmt_hosts(share, 'a')}")
        tf.append(f"share, 2 threads (heap) in one host: {share.figure('b')}")
        ra.append("share: " + "; ".join(f"{c.label} {share.ratio(c)}" for c in share.conds))
    if thr:
        tf.append(f"`-m thread --hosts 2`: refused, exit {thr['exit_status']}"
                  + (", no CSV" if not thr["wrote_csv"] else ", a CSV was written"))
    if fork:
        pf.append(f"`-m fork --hosts 2`: refused too, exit {fork['exit_status']}")
    if unmeasured:
        pf.append("not measured: " + "; ".join(unmeasured))
    return ("<br>".join(pf) or NOT_MEASURED, "<br>".join(tf) or NOT_MEASURED, "<br>".join(ra) or "—")


def py_c10_cells(found, missing):
    """(process cell, thread cell, ratio cell) of the distribution row, Python."""
    cpu, chk = found.get("py-mpi-cpu"), found.get("py-mpi-checks") or {}
    _, thr, _, unmeasured = c10_facts(found, missing, py=True)
    pf, tf, ra = [], [], []
    if cpu:
        ranks = chk.get("ranks", "?")
        pf.append(f"cpu, {ranks} pympi ranks (steps/s): {fmt_hosts(cpu, 'a')}")
        tf.append(f"cpu, {ranks} pythreads in one host: {cpu.figure('b')}")
        ra.append("cpu: " + "; ".join(f"{c.label} {cpu.ratio(c)}" for c in cpu.conds))
    if chk.get("python"):
        pf.append(f"CPython {'/'.join(chk['python'])}, mpi4py {'/'.join(chk.get('mpi4py') or ['?'])}")
    if thr:
        tf.append(f"`-m pythread --hosts 2`: refused, exit {thr['exit_status']}"
                  + (", no CSV" if not thr["wrote_csv"] else ", a CSV was written"))
    if unmeasured:
        pf.append("not measured: " + "; ".join(unmeasured))
    return ("<br>".join(pf) or "—", "<br>".join(tf) or "—", "<br>".join(ra) or "—")


def c10_lines(found, missing, py=False):
    """The C10 claim's lines in one language: per host count, findings, refusals."""
    if py:
        lines = []
        for h, c in (found.get("py-mpi-checks") or {}).get("hosts", {}).items():
            err = f"; error: {c['errors'][0]}" if c["errors"] else ""
            lines.append(f"cpu, pympi on {h} host{'s' if h > 1 else ''}: {c['ok']} of {c['rows']} "
                         f"repetitions ok, ranks ran in netns={','.join(c['netns'])} distinct network "
                         f"namespace(s), byte transport btl={','.join(c['btl'])}{err}")
        for key in ("py-mpi-cpu", "py-mpi-cpu-cross"):
            f = found.get(key)
            if f:
                lines += [f"{f.what} — {f.line(c)}" for c in f.conds]
        for run in (found.get("refusals") or {}).get("runs", []):
            if run["model"] == "pythread":
                lines.append(f"`{run['command']}` → exit status {run['exit_status']}, "
                             f"{'a CSV written' if run['wrote_csv'] else 'no CSV written'}: "
                             f"“{run['message']}”")
        return lines
    return c10_lines_c(found, missing)


def c10_lines_c(found, missing):
    """The C10 claim's lines: per host count, findings, refusals."""
    lines = []
    for key in ("mpi-checks", "mpi-share-checks"):
        for h, c in (found.get(key) or {}).get("hosts", {}).items():
            what = "cpu" if key == "mpi-checks" else "share"
            err = f"; error: {c['errors'][0]}" if c["errors"] else ""
            lines.append(f"{what}, mpi on {h} host{'s' if h > 1 else ''}: {c['ok']} of {c['rows']} "
                         f"repetitions ok, ranks ran in netns={','.join(c['netns'])} distinct network "
                         f"namespace(s), byte transport btl={','.join(c['btl'])}{err}")
    for key in ("mpi-cpu", "mpi-cpu-cross", "mpi-job", "mpi-share", "mpi-share-cross"):
        f = found.get(key)
        if f:
            lines += [f"{f.what} — {f.line(c)}" for c in f.conds]
    for run in (found.get("refusals") or {}).get("runs", []):
        if run["model"] == "pythread":
            continue    # the Python column's (c10_lines(py=True))
        lines.append(f"`{run['command']}` → exit status {run['exit_status']}, "
                     f"{'a CSV written' if run['wrote_csv'] else 'no CSV written'}: “{run['message']}”")
    _, _, fork, _ = c10_facts(found, missing)
    if fork and refused(fork):
        lines.append("a forked child runs on its parent's machine, as a thread does: processes reach "
                     "other machines only when a launcher (mpirun) starts them there and they share "
                     "data by messages — which threads, sharing one address space, cannot do")
    return lines


# ---- claims ------------------------------------------------------------------------

def model_present(offer, names):
    return offer is not None and all(n in offer.models for n in names)


def judged_verdict(spec, found):
    """(verdict, why) from a list of (finding key, expect), or None when
    none of them was measured."""
    judged = [(found[k], e) for k, e in spec if e is not None and found.get(k)]
    if not judged:
        return None
    parts = [(f.what, f.verdict(e)) for f, e in judged]
    if len(parts) == 1:
        return parts[0][1]
    verdict, why = sv.combine([(w, v[0]) for w, v in parts], "the measure")
    details = "; ".join(f"{w}: {v[0]}, {v[1]}" for w, v in parts)
    return verdict, (f"{why} — {details}" if why else details)


def finding_lines(spec, found):
    lines = []
    for key, _ in spec:
        f = found.get(key)
        if f:
            lines += [f"{f.what} — {f.line(c)}" for c in f.conds]
    return lines


def claim_verdict(claim, found, missing, ev, offer):
    """(verdict, why, [figure lines]) of one claim."""
    spec = claim[2]
    if spec == "c13":
        v, why, pf, tf, _ = c13_verdict(ev)
        return v, why, [f"process: {pf.replace('<br>', ' ')}", f"thread: {tf.replace('<br>', ' ')}"]
    if spec == "c10":
        v, why = c10_verdict(found, missing)
        return v, why + table_scaling.condition(found), c10_lines(found, missing) + table_scaling.lines(found)
    if isinstance(spec, str) and spec.startswith("check:"):
        key = spec[6:]
        return check_verdict(found.get(key), why_missing(key, missing))
    vw = judged_verdict(spec, found)
    if vw is None:
        why = why_missing(spec[0][0], missing)
        return NOT_MEASURED, (f"{why}; {C14_HOW}" if claim[0] == "C14" else why), []
    verdict, why = vw
    if claim[0] == "C14" and gil_note(found):
        why = f"{why} ({gil_note(found)})"
    return verdict, why, finding_lines(spec, found)


def other_language(claim, found, missing):
    """(language, verdict, why, lines) of the claim in the other language, or None."""
    if not claim[4]:
        return None
    lang, spec = claim[4]
    if spec == "c10":
        verdict, why = c10_verdict(found, missing, py=True)
        return lang, verdict, why, c10_lines(found, missing, py=True)
    if isinstance(spec, str) and spec.startswith("check:"):
        key = spec[6:]
        verdict, why, lines = check_verdict(found.get(key), why_missing(key, missing))
        return lang, verdict, why, lines
    vw = judged_verdict(spec, found)
    if vw is None:
        return lang, NOT_MEASURED, why_missing(spec[0][0], missing), []
    verdict, why = vw
    if lang == "Python" and claim[0] == "C5" and gil_note(found):
        why = f"{why} ({gil_note(found)})"
    return lang, verdict, why, finding_lines(spec, found)


def verdicts(found, missing, ev, offer):
    """{claim id: verdict}, and {"C5 in Python": verdict} where the claim
    was measured in the other language: what make table-stability counts."""
    out = {}
    for claim in CLAIMS:
        out[claim[0]] = claim_verdict(claim, found, missing, ev, offer)[0]
        other = other_language(claim, found, missing)
        if other:
            out[f"{claim[0]} in {other[0]}"] = other[1]
    return out


def stability_note(info):
    """The paragraph on the stability record behind the "unstable" labels."""
    st = info.get("stability")
    if not st:
        return ("No stability record (`make table-stability`): each verdict is this run's; "
                "how often a re-run gives the same verdict is not known.")
    shaky = [k for k, r in st["claims"].items() if not r["unanimous"]]
    how = (f"regenerated every verdict {st['runs']} times" if st.get("measured", True) else
           f"counted the verdicts of {st['runs']} tables measured before")
    return (f"Stability: `{st['command']}` {how} "
            f"({st['mode']} mode, {st['date']}, load {st['load']}; results/table-stability.md). "
            + (f"Not unanimous, so labelled **unstable** here instead of settled: {', '.join(shaky)}."
               if shaky else "Every claim's verdict was the same in every run."))


def row_unstable(row, info, suffix):
    """'**unstable**: C4 (…)' for the claims of a seed row that the
    stability runs did not agree on, in one language; '' otherwise."""
    labels = []
    for cid in (c.strip() for c in row["claims"].split(",")):
        counts = stability_counts(cid + suffix, info)
        if counts:
            labels.append(f"{cid}{suffix} ({counts})")
    return f"{bold('unstable')}: {'; '.join(labels)}" if labels else ""


def row_stability(row, info, suffix):
    """row_unstable's label as the first line of a verdict cell, or ''."""
    mark = row_unstable(row, info, suffix)
    return f"{mark}<br>" if mark else ""


def stability_counts(key, info):
    """'' for a claim whose verdict every stability run agreed on (or with
    no stability record), else 'holds in 3, depends in 2 of 5 runs', from
    results/table-stability.json (info["stability"])."""
    rec = (info.get("stability") or {}).get("claims", {}).get(key)
    if not rec or rec["unanimous"]:
        return ""
    counts = ", ".join(f"{v} in {k}" for v, k in sorted(rec["counts"].items(), key=lambda x: -x[1]))
    return f"{counts} of {rec['runs']} runs"


def stability_label(key, info):
    """'unstable (holds in 3, depends in 2 of 5 runs)' or ''."""
    counts = stability_counts(key, info)
    return f"unstable ({counts})" if counts else ""


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


def aspects_cells(aspects, found, missing, extra=""):
    """(process, thread, ratio, verdict) cells of one language's aspects."""
    pf, tf, ra, vs, per = [], [], [], [], []
    for asp in aspects:
        v, why = aspect_verdict(found, asp, missing)
        f = found.get(asp.shows) if asp.shows else None
        if f:
            pf.append(f"{asp.label}: {f.figure('a')}")
            tf.append(f"{asp.label}: {f.figure('b')}")
            ra.append(f"{f.ratio()}")
        else:
            pf.append(f"{asp.label}: —")
            tf.append(f"{asp.label}: —")
            ra.append("—")
        if v is None:
            continue
        per.append((asp.vlabel, v))
        vs.append(f"{asp.vlabel}: {bold(v)} — {why}" + (f" ({asp.meaning})" if asp.meaning else ""))
    overall, owhy = sv.combine(per, "the aspect")
    if all(v == NOT_MEASURED for _, v in per):
        overall = NOT_MEASURED
    head = bold(overall) + (f" {owhy}" if overall == sv.DEPENDS else "")
    unmeasured = [lbl for lbl, v in per if v == NOT_MEASURED]
    if unmeasured and overall != NOT_MEASURED:
        head += f" (so far: {', '.join(unmeasured)} not measured)"
    if extra and overall != NOT_MEASURED:
        vs.append(extra)
    return "<br>".join(pf), "<br>".join(tf), "<br>".join(ra), head + "<br>" + "<br>".join(vs)


def c_cells(row, found, missing, ev):
    if row["c"] == "c13":
        v, why, pf, tf, ratio = c13_verdict(ev)
        return pf, tf, ratio, f"{bold(v)}: {why}"
    if row["c"] == "c10":
        v, why = c10_verdict(found, missing)
        pf, tf, ra = c10_cells(found, missing)
        scaling = table_scaling.cell(found)
        pf = pf + "<br>" + scaling if scaling else pf
        return pf, tf, ra, f"{bold(v)}: {why}{table_scaling.condition(found)}"
    return aspects_cells(row["c"], found, missing)


def py_cells(row, found, missing):
    if row["c"] == "c13":
        v, why, pf, tf, ratio = tp.c13_python(found)
        return pf, tf, ratio, f"{bold(v)}: {why}"
    if row["c"] == "c10":
        v, why = c10_verdict(found, missing, py=True)
        pf, tf, ra = py_c10_cells(found, missing)
        line = tp.differs_line("across hosts", c10_verdict(found, missing)[0], v, found)
        return pf, tf, ra, f"{bold(v)}: {why}" + (f"<br>{line}" if line else "")
    measured = [a for a in row["py"] if a.shows]
    if not measured:
        why = "; ".join(a.absent for a in row["py"])
        return "—", "—", "—", f"{bold(NOT_MEASURED)}: {why}"
    gil = gil_note(found) if any(a.judged_by == "py-scale-thread" for a in measured) else ""
    pf, tf, ra, verdicts = aspects_cells(row["py"], found, missing, extra=gil)
    c_aspects = {a.vlabel: a for a in row["c"]} if isinstance(row["c"], list) else {}
    for asp in row["py"]:
        c_asp = c_aspects.get(asp.vlabel)
        if asp.shows and c_asp:
            line = tp.differs_line(asp.vlabel, aspect_verdict(found, c_asp, missing)[0],
                                   aspect_verdict(found, asp, missing)[0], found)
            if line:
                verdicts += "<br>" + line
    return pf, tf, ra, verdicts


def loop_steps(mid, mode):
    """The --steps of measure `mid` in this mode, as the plan has it."""
    steps = {m.id: m.opts.get("steps") for m in tm.plan()}.get(mid)
    if isinstance(steps, tuple):
        steps = steps[0] if mode == "full" else steps[1]
    return steps or "?"


def step_ratio(found):
    """", where a CPython step cost N× a C step" from this run's 1-worker
    thread figures, or "" when either is missing."""
    py, c = found.get("py-step"), found.get("cpu-step")
    if not py or not c or not c.main.res["b"]["median"]:
        return ""
    p_ns, c_ns = py.main.res["b"]["median"], c.main.res["b"]["median"]
    return (f", where one CPython step cost {p_ns / c_ns:,.0f}× one C step in this run "
            f"(1 worker, threads: {fmt_ns(p_ns)} vs {fmt_ns(c_ns)})")


def render(found, missing, ev, offer, info):
    from ptb.table import summary as table_summary
    out = ["# Seed 000's comparison table, measured", ""]
    out += [
        f"Generated by `make table{' QUICK=1' if info['mode'] == 'quick' else ''}` "
        f"({info['mode']} mode) on {info['machine']}; {info['date']}, git {info['git']}. "
        f"The data is `results/table.csv`, the machine and the commands "
        f"`results/table.meta.json`.",
        "",
        "## At a glance",
        "",
    ] + table_summary.markdown(found, missing, ev, info) + [
        "",
        "One chart per claim: `results/plots/claims/` (C1.png … C14.png; `make claim-charts`).",
        "",
        "## The table",
        "",
        f"Figures are the median and [interquartile range] over {info['reps']} repetitions of each "
        "model, the models interleaved repetition by repetition; the ratio is process ÷ thread "
        f"(of the medians), with its {sv.CONFIDENCE:.0%} bootstrap confidence interval "
        f"(scipy.stats.bootstrap, {sv.BOOT_RESAMPLES} resamples, fixed seed) and Cliff's δ "
        "(P(process > thread) − P(process < thread), from 0 = no tendency to ±1 = every "
        "repetition on one side) beside it. "
        "A difference counts only when a two-sided Mann–Whitney U test (scipy) gives "
        f"p < {sv.ALPHA} *and* the ratio lies outside [1/(1+t), 1+t], where t is the larger "
        f"relative IQR of the two samples, at least {sv.NOISE_FLOOR:.0%}; otherwise the verdict "
        "says \"no measurable difference\". A seed statement that predicts a difference which is "
        "not there **fails**; one that holds under some parameters and not others **depends**. "
        "A figure beyond physics (a speed-up above min(workers, cores), or a CPU utilisation above "
        "the cores, by more than the noise) is marked \"⚠ the machine's speed changed\" and gives "
        "no verdict: it is not a result. "
        "Each row's figures are those of its first condition (listed first under its claim below); "
        "`create` runs on one CPU (`taskset -c 0`), so that where the scheduler wakes the new worker "
        "does not decide the figure.",
        "",
        stability_note(info),
        "",
        "Two column groups: **C** (`fork`/`thread`; `mpi` ranks for distribution) and **Python** "
        "(`pyproc` = multiprocessing.Process, `pythread` = threading.Thread, CPython; `pympi` ranks "
        "(mpi4py) for distribution), each with its "
        "own verdict. Languages are compared only by cost per loop step and by speed-up, never by "
        f"wall time: C runs seed 002's loop at {loop_steps('cpu', info['mode'])} steps a worker, "
        f"CPython at {loop_steps('pycpu', info['mode'])}{step_ratio(found)}.",
        "",
        "| seed row | multi-process (seed) | multi-thread (seed) | C: processes | C: threads | "
        "C: process/thread | C: verdict | Python: processes | Python: threads | "
        "Python: process/thread | Python: verdict |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in SEED_ROWS:
        c = list(c_cells(row, found, missing, ev))
        py = list(py_cells(row, found, missing))
        c[-1] = row_stability(row, info, "") + c[-1]
        py[-1] = row_stability(row, info, " in Python") + py[-1]
        out.append("| " + " | ".join(cell(x) for x in (
            f"{row['zh']}<br>{row['en']} ({row['claims']})",
            f"{row['proc_zh']}<br>*{row['proc_en']}*", f"{row['thread_zh']}<br>*{row['thread_en']}*")
            + tuple(c) + tuple(py)) + " |")
    out += ["", "## Every claim", "",
            "Each claim's verdict is C's, except C14's, which is about Python; where the same claim "
            "was measured in the other language, a line \"in Python\" (\"in C\" for C14) gives "
            "that language's verdict.", ""]
    for claim in CLAIMS:
        v, why, lines = claim_verdict(claim, found, missing, ev, offer)
        other = other_language(claim, found, missing)
        shaky = stability_label(claim[0], info)
        shown = f"{bold(shaky)}; this run: {v}" if shaky else bold(v)
        out.append(f"- **{claim[0]}** {claim[1]}: {shown} — {why}")
        out += [f"  - {ln}" for ln in lines]
        if other:
            shaky = stability_label(f"{claim[0]} in {other[0]}", info)
            shown = f"{bold(shaky)}; this run: {other[1]}" if shaky else bold(other[1])
            out.append(f"  - in {other[0]}: {shown} — {other[2]}")
            out += [f"  - {ln}" for ln in other[3]]
        for cmd in commands_for(claim, info):
            out.append(f"  - reproduce: `{cmd}`")
    out += ["", "## Notes", ""] + [f"- {n}" for n in info.get("notes", [])]
    return "\n".join(out) + "\n"


CLAIM_MEASURES = {"C1": ["create", "create-parent", "create-exec", "py-create"], "C2": ["switch"], "C3": ["footprint"],
                  "C4": ["share"], "C5": ["cpu", "pycpu"], "C6": ["crash"],
                  "C7": ["counter-lost", "counter-seed", "counter-cost", "py-counter-lost",
                         "py-counter-seed"],
                  "C8": ["pool"], "C9": ["zombie"], "C10": list(MPI_MEASURES), "C11": ["daemon"],
                  "C12": ["copy"], "C14": ["pycpu", "cpu"]}
for _cid, _mids in tp.PY_CLAIM_MEASURES.items():
    CLAIM_MEASURES[_cid] = CLAIM_MEASURES.get(_cid, []) + _mids


def commands_for(claim, info):
    cid = claim[0]
    if cid == "C13":
        ev = info.get("c13") or {}
        cmds = ["scripts/c13_evidence.sh"]
        if ev:
            cmds.append(ev["tsan_build"])
            cmds += [ev[k]["command"] for k in ("thread_nolock", "fork_nolock", "thread_mutex")]
        return cmds
    cmds = [info["commands"][m] for m in CLAIM_MEASURES.get(cid, []) if m in info["commands"]]
    if cid == "C10":
        cmds += [r["command"] for r in info.get("refusals") or []]
    return cmds
