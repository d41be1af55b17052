"""seed.py - what the seed says and what ptbench measures for it: the
rows of seed 000's comparison table in the seed's own words (Chinese, and
English), each row's aspects (the finding that shows it, which side the
seed says is higher), and the claims C1-C14 (doc/claims.md) with the
findings that judge each in C and in CPython and the measures that
reproduce it.  Data only: the verdicts are ptb/table/verdicts.py's.

The seed's words are quoted as the seed has them (row 1's thread cell
starts with a stray copy of the process cell's end; it is kept, and said).
"""
from ptb import stats as sv
from ptb.table.measures import MPI_MEASURES, PY_MPI_MEASURES

A, B, SAME = sv.A_HIGHER, sv.B_HIGHER, sv.SAME


# the Python line of claims C2, C3, C4, C6, C8, C9, C11 (CLAIMS below)
PY_CLAIMS = {
    "C2": ("Python", [("py-switch", A)]),
    "C3": ("Python", [("py-footprint", A), ("py-footprint-rss", None)]),
    "C4": ("Python", [("py-share", B), ("py-share-model", None), ("py-share-consume", None),
                      ("py-share-heap", None), ("py-share-malloc", None),
                      ("py-share-malloc-faults", None)]),
    "C6": ("Python", [("py-crash", A)]),
    "C8": ("Python", [("py-pool", A)]),
    "C9": ("Python", "check:py-zombie"),
    "C11": ("Python", "check:py-daemon"),
}
PY_CLAIM_MEASURES = {"C2": ["py-switch"], "C3": ["py-footprint"], "C4": ["py-share"],
                     "C6": ["py-crash"], "C8": ["py-pool"], "C9": ["py-zombie"],
                     "C10": list(PY_MPI_MEASURES), "C11": ["py-daemon"]}


class Aspect:
    """One measured aspect of a seed row: the finding whose figures are
    shown, the claim it tests (expect: which side the seed says is higher;
    None: figures only, no verdict) and, when the verdict needs another
    finding, that one.  shows=None: nothing measures it in this language,
    and `absent` says why."""

    def __init__(self, label, shows, expect, judged_by=None, meaning="", says=None, absent="",
                 vlabel=None, short=None):
        self.label, self.shows, self.expect = label, shows, expect
        self.vlabel = vlabel or label    # the label of its verdict, when not the figures'
        self.judged_by = judged_by or shows
        self.meaning = meaning
        self.says = says or {}     # verdict -> plain words for what the figures show
        self.absent = absent
        self.short = short or label.split(" (")[0]    # the label in a word or two


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
                meaning="seed: threads share data more cheaply than processes, which need IPC; "
                        "judged on the channel alone (--consume none: no work on the bytes at "
                        "either end), each process channel against threads handing over pointers "
                        "to recycled heap buffers"),
         Aspect("sync (updates lost without a lock)", "lost", SAME, judged_by="lost-fork",
                meaning="seed: processes need no lock; judged on fork, no lock against a mutex",
                says={sv.FAILS: "processes sharing the counter lose updates without a lock, "
                                "as threads do, and lose none with the mutex",
                      sv.HOLDS: "processes lose no updates without a lock"}),
     ],
     "py": [
         Aspect("sharing (bytes/s)", "py-share", B,
                meaning="seed: threads share data more cheaply than processes, which need IPC; "
                        "judged on the channel alone (--consume none), pyproc through "
                        "multiprocessing.Queue, Pipe.send_bytes, shared_memory against pythread "
                        "handing references through queue.Queue"),
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
     "c": [Aspect("survivors when 1 worker crashes", "crash", A, short="survivors",
                  meaning="seed: a crash takes down only its own process")],
     "py": [Aspect("survivors when 1 worker crashes", "py-crash", A, short="survivors",
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
     [("switch", A)], "switch", PY_CLAIMS["C2"]),
    ("C3", "processes use more memory (000)", [("footprint", A), ("footprint-rss", None)],
     "footprint", PY_CLAIMS["C3"]),
    ("C4", "processes need IPC to share data, and IPC needs serialization, so sharing costs "
           "more than with threads (000, 001, 002)",
     [("share", B), ("share-model", None), ("share-consume", None), ("share-heap", None),
      ("share-malloc", None), ("share-malloc-faults", None)], "share",
     PY_CLAIMS["C4"]),
    ("C5", "threads cannot use several cores; processes give true parallelism (002, 004)",
     [("cpu-speedup", A), ("cpu-wall", B), ("cpu-scale-thread", SAME), ("cpu-util", None),
      ("cpu-scale-proc", None), ("cpu-step", None)], "cpu",
     ("Python", [("py-speedup", A), ("py-wall", A), ("py-scale-thread", SAME), ("py-util", None),
                 ("py-scale-proc", None), ("py-step", None)])),
    ("C6", "a crashing thread kills the whole process; processes are isolated (000)",
     [("crash", A)], "crash", PY_CLAIMS["C6"]),
    ("C7", "threads need locks or the shared counter goes wrong; processes need locks on shared "
           "resources too (001, 004)",
     [("lost-thread", A), ("lost-fork", A), ("lost-seed", None), ("lock-cost", None)], "counter",
     ("Python", [("py-lost-pythread", A), ("py-lost-pyproc", A), ("py-lost-seed", None)])),
    ("C8", "`apply` runs the pool in series, `apply_async` in parallel (000, 001, 003)",
     [("pool", A)], "pool", PY_CLAIMS["C8"]),
    ("C9", "a finished child is a zombie until its parent waits; an orphan is re-parented "
           "(003, 004); ptbench leaves none", "check:zombie", "zombie", PY_CLAIMS["C9"]),
    ("C10", "processes scale from many cores to many machines; threads do not (000)",
     "c10", "mpi model", ("Python", "c10")),
    ("C11", "a daemon child ends with its parent (000, 004)", "check:daemon", "daemon", PY_CLAIMS["C11"]),
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


# what each seed row claims, in a few words (the full text is in the table below)
SAYS = {
    "data sharing, synchronisation": "processes need IPC to share data, and no lock; threads share "
                                     "simply but need locks",
    "memory, CPU": "processes use more memory, switch slower and use the CPU worse",
    "creation/destruction, switching": "processes are slower to create, destroy and switch",
    "programming, debugging": "processes are simpler to program and to debug",
    "reliability": "a thread's crash kills the whole process; processes are isolated",
    "distribution": "processes extend from cores to machines; threads only to cores",
}


CLAIM_MEASURES = {"C1": ["create", "create-parent", "create-exec", "py-create"], "C2": ["switch"], "C3": ["footprint"],
                  "C4": ["share", "share-malloc"], "C5": ["cpu", "pycpu"], "C6": ["crash"],
                  "C7": ["counter-lost", "counter-seed", "counter-cost", "py-counter-lost",
                         "py-counter-seed"],
                  "C8": ["pool"], "C9": ["zombie"], "C10": list(MPI_MEASURES), "C11": ["daemon"],
                  "C12": ["copy"], "C14": ["pycpu", "cpu"]}
for _cid, _mids in PY_CLAIM_MEASURES.items():
    CLAIM_MEASURES[_cid] = CLAIM_MEASURES.get(_cid, []) + _mids
