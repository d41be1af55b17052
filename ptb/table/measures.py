"""measures.py - what `make table` measures: one ptbench invocation per
measure, its sizes in full and quick mode, and how it adapts to the
workloads, models and option values this build of ptbench offers.

`ptbench list` is parsed into an Offer; a Measure whose workload is not
offered is skipped (its claims print "not measured (needs workload X)");
models and choice values that are not offered are left out of the command.
A Measure may also need something of the machine (Open MPI's launcher,
network namespaces): its `requires` check says why not, and it is skipped
with that reason.

Sizes: C runs seed 002's loop at 1e9 steps (2e8 quick).  CPython's loop
costs about 20 ns a step, ~100x C's, so the Python measures run it at 2e7
steps (20 million, about 0.4 s a worker) in both modes; the languages are
compared by cost per step and by speed-up, never by wall time.
The mpi measures: one ptbench run per host count (--hosts takes one value),
4 ranks on 1, 2 and 4 hosts (network namespaces on the same 2 cores), each
with the thread model in the same run as the one-host reference.
"""
import functools
import os
import shutil
import subprocess

from ptb import paths, workloads

# Repetitions per configuration: >= 5 each is needed for the rank test to
# reach p < 0.01 at all (2/252); full mode uses more.
REPS = {"full": 11, "quick": 5}
WARMUP = {"full": 1, "quick": 1}
# Full mode runs them in rounds until the answer is clear
# (ptb/table/sequential.py, doc/methodology.md): a first round of
# FIRST_ROUND (the least n at which the rank test can reach p < 0.01, with
# its warm-up), then rounds of ROUND_STEP without one (the round before
# warmed the same configurations) of the configurations whose comparisons
# are still open, up to a measure's max_reps (MAX_REPS unless it says) and
# within its budget_s.  A measure that no verdict judges (figures, charts,
# checks) runs the first round only.
FIRST_ROUND, ROUND_STEP, MAX_REPS = 5, 3, REPS["full"]
NEXT_WARMUP = 0
# Each judged measure's time budget in seconds (full mode): about 1.5x the
# time the rule needs on the committed run's 2-vCPU VM (python3 -m
# ptb.table.sequential replays it on results/table.csv), rounded up to 5 s,
# so that a machine up to 1.5x slower still runs the rounds the committed
# data needed, and a slower or busier one stops them ("budget") instead of
# running long.  The first round always runs.  Every judged measure here
# reaches MAX_REPS (11) before its budget on that VM.  py-share's is set from
# its own first round (57 s for 16 configurations on a 2-vCPU VM, about
# 0.6 s a repetition, whatever --bytes): room for two more rounds of the
# configurations still open.  These times were taken while every Python
# repetition still started through pyenv's python3 shim (0.3 s each,
# lib/model_py.c now runs its sys.executable): the Python measures now take
# about half of them, and their budgets are room, not a limit, on such a VM.
BUDGET_S = {"create": 60, "switch": 20, "footprint": 5, "share": 15, "cpu": 15, "pycpu": 60,
            "crash": 5, "counter-lost": 5, "pool": 5, "copy": 10, "py-counter-lost": 20,
            "py-create": 20, "py-switch": 50, "py-footprint": 20, "py-share": 90, "py-crash": 30,
            "py-pool": 45}
# Measures drawn in a chart but judged by none (C1's sweep of the parent's
# memory): fewer repetitions, since every one writes up to 1 GiB per model.
# Full mode 3 (a median and quartiles for the chart): 7 took 176 s of the
# 993 s the committed full table measured, the largest share, and the
# rounds need that time.  At 3 a side the rank test cannot reach p < 0.01,
# so ptb/table/consistency.py's pairs within the sweep cannot flag a figure.
CHART_REPS = {"full": 3, "quick": 5}


class Offer:
    """Workloads (with their options) and models of one ptbench binary."""

    def __init__(self, workloads, models, ptbench=None):
        self.workloads = workloads    # name -> {option: None (number) or [choices]}
        self.models = models          # list of model names
        self.ptbench = ptbench        # the binary (None: rebuilt from data, nothing runs)

    @classmethod
    def from_facts(cls, facts):
        """The offer of `ptbench list --json` (ptb/workloads.py)."""
        workloads = {w["name"]: {o["name"]: o.get("choices") if o["kind"] == "choice" else None
                                 for o in w["options"]}
                     for w in facts["workloads"]}
        return cls(workloads, [m["name"] for m in facts["models"] if m["name"] != "all"])

    @classmethod
    def of(cls, ptbench):
        offer = cls.from_facts(workloads.facts(ptbench))
        offer.ptbench = ptbench
        return offer


class Measure:
    """One ptbench invocation.

    opts: option -> value, or (full value, quick value); choice options
    list the values wanted, of which those offered are kept.  need_opts:
    options without which the measure makes no sense.  min_models: models
    that must all be offered.  requires: a function of the ptbench path
    that says why the machine cannot run the measure, or None."""

    def __init__(self, mid, workload, models, workers, opts, need_opts=(), min_models=(),
                 extra=(), reps=None, prefix=(), requires=None, max_reps=MAX_REPS,
                 budget_s=None):
        self.id, self.workload, self.models, self.workers = mid, workload, models, workers
        self.opts, self.need_opts, self.min_models = opts, need_opts, min_models
        self.extra, self.reps, self.prefix = tuple(extra), reps, tuple(prefix)
        self.requires = requires
        self.max_reps = max_reps
        self.budget_s = BUDGET_S.get(mid) if budget_s is None else budget_s

    def rounds(self, mode):
        """Its repetitions in rounds, the arguments of
        ptb/table/sequential.py's Rounds: full mode, FIRST_ROUND then
        rounds of ROUND_STEP up to max_reps within budget_s; a measure with
        fixed reps, and quick mode, one round."""
        if self.reps or mode != "full":
            n = self.reps[mode] if self.reps else REPS[mode]
            return {"first": n, "step": 1, "max_reps": n, "budget_s": None,
                    "warmup": WARMUP[mode]}
        return {"first": FIRST_ROUND, "step": ROUND_STEP, "max_reps": self.max_reps,
                "budget_s": self.budget_s, "warmup": WARMUP[mode], "next_warmup": NEXT_WARMUP}

    def missing(self, offer):
        """Why this measure cannot run with this ptbench, or None."""
        if self.workload not in offer.workloads:
            return f"needs workload {self.workload}"
        absent = [m for m in self.min_models if m not in offer.models]
        if absent:
            return "needs model " + ", ".join(absent)
        wl = offer.workloads[self.workload]
        absent = [o for o in self.need_opts if o not in wl]
        if absent:
            return f"needs option --{absent[0]} of workload {self.workload}"
        if self.requires is not None and offer.ptbench is not None:
            return self.requires(offer.ptbench)
        return None

    def args(self, offer, mode, output, reps=None, warmup=None):
        """The `ptbench run` arguments (without the program name); reps and
        warmup: those of one round (default: the mode's)."""
        wl = offer.workloads[self.workload]
        models = [m for m in self.models if m in offer.models]
        if reps is None:
            reps = self.reps[mode] if self.reps else REPS[mode]
        workers = self.workers
        if isinstance(workers, tuple):
            workers = workers[0] if mode == "full" else workers[1]
        a = ["run", "-w", self.workload, "-m", ",".join(models), "-n", workers,
             "-r", str(reps), "--warmup", str(WARMUP[mode] if warmup is None else warmup),
             "--no-verdicts"]
        for name, value in self.opts.items():
            if name not in wl:
                continue
            if isinstance(value, tuple):
                value = value[0] if mode == "full" else value[1]
            if wl[name] is not None:
                value = ",".join(v for v in value.split(",") if v in wl[name])
                if not value:
                    continue
            a += [f"--{name}", value]
        extra = [v if not isinstance(v, tuple) else v[0] if mode == "full" else v[1]
                 for v in self.extra]
        return a + extra + ["-q", "-o", output, "--force"]


def cores():
    return os.cpu_count() or 1


SCRIPTS = paths.TOOLS
MPI_HOSTS = (1, 2, 4)        # hosts of the cpu measure (network namespaces beyond 1)
MPI_SHARE_HOSTS = (1, 2)
SCALING_RATE = "1G"         # the namespace links of the allreduce measures: LAN-like


def mpi_missing(ptbench):
    """Why the mpi model cannot run here (its launcher or mpirun missing), or None."""
    launcher = os.path.join(os.path.dirname(os.path.abspath(ptbench)), "ptbench-mpi")
    if not os.access(launcher, os.X_OK):
        return "needs ptbench-mpi beside ptbench (built by make when mpicc is installed: make deps)"
    if shutil.which(os.environ.get("PTB_MPIRUN") or "mpirun") is None:
        return "needs Open MPI's mpirun (openmpi-bin: make deps)"
    return None


def hosts_missing(ptbench):
    """Why several hosts cannot be made here, or None: the mpi model's
    own check (scripts/mpi_hosts.sh check: network namespaces need root, and
    a root filesystem that is a mount point: not a chroot)."""
    why = mpi_missing(ptbench)
    if why:
        return why
    script = os.path.join(SCRIPTS, "mpi_hosts.sh")
    try:
        rc = subprocess.run([script, "check"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL).returncode
    except OSError as e:
        return f"scripts/mpi_hosts.sh check could not run ({e.strerror})"
    if rc != 0:
        return ("network namespaces cannot be created here (scripts/mpi_hosts.sh check "
                f"exit {rc}: needs root, outside a chroot), so no second host exists to run on")
    return None


# the refusal runs of C10: a model that is not mpi, asked for two hosts
# (pythread: the Python column's)
REFUSALS = (("thread", ["run", "-w", "cpu", "-m", "thread", "--hosts", "2", "-r", "1"]),
            ("fork", ["run", "-w", "cpu", "-m", "fork", "--hosts", "2", "-r", "1"]),
            ("pythread", ["run", "-w", "cpu", "-m", "pythread", "--hosts", "2", "-r", "1"]))


def mpi_plan():
    """C10: cpu throughput as hosts grow (thread in the same run, one
    host), and share across hosts against threads in one host."""
    out = []
    for h in MPI_HOSTS:
        out.append(Measure(f"mpi-cpu-h{h}", "cpu", ("thread", "mpi"), "4",
                           {"steps": ("1e9", "2e8")}, min_models=("thread", "mpi"),
                           extra=("--hosts", str(h)),
                           requires=mpi_missing if h == 1 else hosts_missing))
    for h in MPI_SHARE_HOSTS:
        out.append(Measure(f"mpi-share-h{h}", "share", ("thread", "mpi"), "2",
                           {"via": "heap,shm", "encode": "0", "bytes": ("64M", "16M")},
                           need_opts=("via",), min_models=("thread", "mpi"),
                           extra=("--hosts", str(h)),
                           requires=mpi_missing if h == 1 else hosts_missing))
    for h in MPI_HOSTS:     # the condition of C10 (ptb/table/scaling.py)
        rate = ("--net-rate", SCALING_RATE) if h > 1 else ()
        out.append(Measure(f"mpi-allreduce-h{h}", "allreduce", ("thread", "fork", "mpi") if h == 1 else ("mpi",),
                           "4", {"steps": "1e4,1e5", "payload": "8,32k", "exchanges": ("200", "100")},
                           min_models=("mpi",), extra=("--hosts", str(h)) + rate,
                           reps={"full": 3, "quick": 3},
                           requires=mpi_missing if h == 1 else hosts_missing))
    return out


def plan():
    """Every measure of the table, in the order they run."""
    n_all = str(cores())
    n_scale = "1" if cores() == 1 else f"1,{cores()}"
    return [
        # C1: create+join an empty worker; fork against the parent's memory.
        # On one CPU: unpinned, whether the new worker wakes on this CPU or
        # the other (a cross-CPU wake-up costs tens of µs in a VM) decides
        # the figure more than the creation does.
        Measure("create", "create", ("thread", "fork", "vfork", "spawn"), "1",
                {"count": ("200", "100"), "parent-mb": ("0,256", "0,64"), "exec": "auto"},
                min_models=("thread", "fork"), prefix=("taskset", "-c", "0")),
        # C1's chart (A fork() in the road): the cost against the parent's
        # memory up to 1 GiB, fewer creations per repetition (a fork of a
        # 1 GiB parent takes ~10 ms); fork+exec as its own run (thread
        # cannot exec).  Figures only: the verdict is the create measure's
        # (CHART_REPS repetitions).
        Measure("create-parent", "create", ("thread", "fork", "vfork", "spawn"), "1",
                {"count": ("20", "10"), "parent-mb": ("0,16,64,256,1024", "0,64,1024"),
                 "exec": "auto"}, reps=CHART_REPS,
                min_models=("thread", "fork"), prefix=("taskset", "-c", "0")),
        Measure("create-exec", "create", ("fork",), "1",
                {"count": ("20", "10"), "parent-mb": ("0,16,64,256,1024", "0,64,1024"),
                 "exec": "yes"}, reps=CHART_REPS,
                need_opts=("exec",), min_models=("fork",), prefix=("taskset", "-c", "0")),
        # C2: ping-pong between two workers
        Measure("switch", "switch", ("thread", "fork"), "2",
                {"via": "pipe,futex", "pin": "same,split",
                 "rounds": ("10000", "5000")},
                need_opts=("via",), min_models=("thread", "fork")),
        # C3: marginal memory per idle worker
        Measure("footprint", "footprint", ("thread", "fork"), ("1,16", "1,8"),
                {"touch-mb": "0"}, min_models=("thread", "fork")),
        # C4: moving data from a producer to consumers, the channel alone
        # (--consume none: judged) and with the work on every byte (sum:
        # the consumer's checksum pass, shown beside)
        Measure("share", "share", ("thread", "fork"), "2",
                {"via": "shm,pipe,socketpair,heap", "encode": "0,1", "consume": "none,sum",
                 "bytes": ("64M", "16M")},
                need_opts=("via",), min_models=("thread", "fork")),
        # ... and threads' heap channel with a new buffer per chunk (malloc
        # and free: page faults) against recycled buffers; figures only
        Measure("share-malloc", "share", ("thread",), "2",
                {"via": "heap,heap-malloc", "encode": "0", "consume": "none,sum",
                 "bytes": ("16M", "8M")},
                need_opts=("via", "consume"), min_models=("thread",)),
        # C5: the billion-step loop on 1 and on every core
        Measure("cpu", "cpu", ("thread", "fork"), n_scale,
                {"steps": ("1e9", "2e8")}, min_models=("thread", "fork")),
        # C14, Python column: the same loop in CPython threads, processes
        # and a pool (the GIL), at 2e7 steps (see the header)
        Measure("pycpu", "cpu", ("pythread", "pyproc", "pypool"), n_scale,
                {"steps": "2e7"}, min_models=("pythread", "pyproc")),
        # C6: one worker of N crashes
        Measure("crash", "crash", ("thread", "fork"), "4",
                {"signal": "segv,abrt", "steps": ("2e7", "1e7")}, min_models=("thread", "fork")),
        # C7: lost updates without a lock (read, pause, write) ...
        Measure("counter-lost", "counter", ("thread", "fork"), "4",
                {"iters": ("200", "100"), "window-us": "20", "lock": "none,mutex"},
                min_models=("thread", "fork")),
        # ... the seed's own case: 100 workers, read, sleep 0.1 s, write ...
        Measure("counter-seed", "counter", ("thread", "fork"), "100",
                {"iters": "1", "window-us": "100000", "lock": "none"},
                min_models=("thread", "fork")),
        # ... and what the lock costs in each model
        Measure("counter-cost", "counter", ("thread", "fork"), n_all,
                {"iters": ("200000", "50000"), "window-us": "0", "lock": "mutex,atomic"},
                min_models=("thread", "fork")),
        # C8: pool with blocking and with asynchronous submission
        Measure("pool", "pool", ("threadpool", "procpool"), "2",
                {"task-us": ("1000", "500"), "work": "spin,sleep"},
                min_models=("threadpool", "procpool"),
                extra=("--submit", "sync,async", "--tasks", ("64", "32"))),
        # C9, C11: nothing left behind; daemons end with their parent
        Measure("zombie", "zombie", ("thread", "fork", "threadpool", "procpool"), "4",
                {"children": "8"}, min_models=("fork",)),
        Measure("daemon", "daemon", ("fork",), "2",
                {"kill": "pdeathsig,atexit", "parent-exit": "exit,sigkill", "bound-ms": "200"},
                min_models=("fork",)),
        # C12: the multi-file copier, small and large chunks
        Measure("copy", "copy", ("thread", "fork"), n_scale,
                {"files": "16", "file-size": ("4M", "1M"), "chunk": "1024,1048576"},
                min_models=("thread", "fork")),
        # Python column, C7: lost updates without a lock; seed 004's own case
        Measure("py-counter-lost", "counter", ("pythread", "pyproc"), "4",
                {"iters": ("200", "100"), "window-us": "20", "lock": "none,mutex"},
                min_models=("pythread", "pyproc")),
        Measure("py-counter-seed", "counter", ("pythread", "pyproc"), "100",
                {"iters": "1", "window-us": "100000", "lock": "none"},
                min_models=("pythread", "pyproc")),
        # Python column, C1: Thread vs Process start+join (fork start method)
        Measure("py-create", "create", ("pythread", "pyproc"), "1",
                {"count": ("100", "50"), "parent-mb": "0"},
                min_models=("pythread", "pyproc"), prefix=("taskset", "-c", "0")),
    ] + mpi_plan() + py_plan()


# ---- the Python column's measures ----------------------------------------------

PY_PAIR = ("pythread", "pyproc")
PY_MPI_PREFIX = "py-mpi-cpu-h"
# the distribution row's measures, C's and Python's
MPI_MEASURES = ("mpi-cpu-h1", "mpi-cpu-h2", "mpi-cpu-h4", "mpi-share-h1", "mpi-share-h2")
PY_MPI_MEASURES = tuple(f"{PY_MPI_PREFIX}{h}" for h in MPI_HOSTS)
PY_MPI_REPS = {"full": 5, "quick": 5}


@functools.lru_cache(maxsize=1)
def mpi4py_python():
    """The first of $PTB_PYTHON, python3 (PATH) and /usr/bin/python3 that
    imports mpi4py, as a path; None when none does."""
    for name in (os.environ.get("PTB_PYTHON"), "python3", "/usr/bin/python3"):
        path = shutil.which(name) if name else None
        if not path:
            continue
        try:
            rc = subprocess.run([path, "-I", "-c", "import mpi4py"], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, timeout=60).returncode
        except (OSError, subprocess.TimeoutExpired):
            continue
        if rc == 0:
            return path
    return None


def pympi_missing(hosts):
    """The requires check of the pympi measure on `hosts` hosts."""
    def why(ptbench):
        base = (mpi_missing if hosts == 1 else hosts_missing)(ptbench)
        if base:
            return base
        if mpi4py_python() is None:
            return ("needs mpi4py in $PTB_PYTHON, python3 or /usr/bin/python3 "
                    "(python3-mpi4py: make deps)")
        return None
    return why


def py_mpi_plan():
    """C10 in Python: 4 pympi ranks on 1, 2, 4 hosts, 4 pythreads in one host."""
    py = mpi4py_python()
    prefix = ("env", f"PTB_PYTHON={py}") if py else ()
    return [Measure(f"{PY_MPI_PREFIX}{h}", "cpu", ("pythread", "pympi"), "4",
                    {"steps": ("5e6", "2e6")}, min_models=("pythread", "pympi"),
                    extra=("--hosts", str(h)), reps=PY_MPI_REPS, prefix=prefix,
                    requires=pympi_missing(h))
            for h in MPI_HOSTS]


def py_plan():
    """The Python column's measures, run after C's."""
    return [
        Measure("py-switch", "switch", PY_PAIR, "2",
                {"via": "pipe,queue,condition", "rounds": ("2000", "1000")},
                need_opts=("via",), min_models=PY_PAIR),
        Measure("py-footprint", "footprint", PY_PAIR, ("1,16", "1,8"), {"touch-mb": "0"},
                min_models=PY_PAIR),
        Measure("py-share", "share", PY_PAIR, "2",
                {"via": "heap,heap-malloc,queue,pipe,shm", "encode": "0", "consume": "none,sum",
                 "bytes": ("64M", "16M")},
                need_opts=("via",), min_models=PY_PAIR),
        Measure("py-crash", "crash", PY_PAIR, "4",
                {"signal": "segv,abrt,exception", "steps": ("200000", "100000")},
                min_models=PY_PAIR),
        Measure("py-pool", "pool", ("pythreadpool", "pypool"), "2",
                {"task-us": ("1000", "500"), "work": "spin,sleep"},
                min_models=("pythreadpool", "pypool"),
                extra=("--submit", "sync,async", "--tasks", ("64", "32"))),
        Measure("py-zombie", "zombie", ("pythread", "pyproc", "pythreadpool"), "4",
                {"children": "8"}, min_models=("pyproc",)),
        Measure("py-daemon", "daemon", ("pyproc",), "2",
                {"kill": "pdeathsig,atexit", "parent-exit": "exit,sigkill", "bound-ms": "200"},
                min_models=("pyproc",)),
    ] + py_mpi_plan()

