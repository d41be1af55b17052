#!/usr/bin/env python3
"""ptpy.py - the Python side of ptbench's pythread, pyproc and pypool models.

The seeds are about Python; ptbench runs their workloads in CPython beside
C, so the table can say which claims are facts about threads and which are
facts about CPython's global interpreter lock.  For these models the
ptbench runner child execs this module (lib/model_py.c): the interpreter is
the runner.  It sets the workload up, times its own region, verifies the
result exactly as the C workload does, and reports one JSON line that
lib/external.c turns into the CSV row:

  python3 -I -B ptpy.py run --workload cpu --model pyproc --workers 2
      --tasks 2 [--submit sync|async] [--start fork|spawn|forkserver]
      [--tmpdir DIR] [--report-fd N] [--perf-fd N] -- --steps 20000000

Everything after `--` is the workload's options, as ptbench passes them
(plain integers, choice names).  Without --report-fd the report goes to
stdout, so the module runs by hand too.  `ptpy.py info` prints the
interpreter's version and whether its GIL is on.  Bad input: one line on
stderr, exit status 2.  A failed run: a report with "error", exit 1.

Models (what is inside the timed region mirrors the C model of each kind):
  pythread  threading.Thread: N threads created, started and joined inside
            the region (C: `thread`).
  pyproc    multiprocessing.Process: N processes started and joined inside
            the region (C: `fork`); start method --start, fork by default.
  pypool    multiprocessing.Pool of N workers, started before the clock and
            waited for (each runs an initializer that signals it is ready),
            fed --tasks tasks by apply (submit sync: one at a time, the
            seeds' "apply runs in series") or apply_async with a callback
            (submit async) (C: `procpool`).
Tasks are shared as in C: worker w of W runs tasks w, w+W, ...

Workloads (the C workload's options and verification, bench/w_*.c):
  cpu      seed 002's loop `for _ in range(steps): s += 1` per task; ok when
           the sum of the counts is exactly tasks x steps.  ops = steps, so
           ns_per_op is the cost of one step: compare languages by it.  The
           seed's 1e9 steps take minutes in CPython: run Python at --steps 2e7.
  counter  seed 004's `temp = n; sleep; n = temp - 1`, --iters times per task,
           under threading.Lock / multiprocessing.Lock (--lock mutex) or none;
           n is an attribute for threads and a multiprocessing.Value for
           processes.  result = final n = lost updates; ok when 0 under a lock.
           There is no spinlock or atomic in Python: spin and atomic refused.
  copy     seed 004's copier (open 'rb'/'wb', read(--chunk)/write until
           empty) over the files the driver prepared in TMPDIR/src/fNNNN,
           into TMPDIR/dst/; ok when every copy is byte-identical and the
           bytes copied are files x file-size.  Note: Python's file objects
           are buffered (io.DEFAULT_BUFFER_SIZE), as in the seed, so a 1 KiB
           read is not one system call as it is in C.
  create   --count Thread (pythread) or Process (pyproc) start+join per
           task; --parent-mb MiB written before the clock (what fork copies).
           pypool refuses it: a Pool's workers are daemonic and may not
           have children.  --exec yes refused (no exec of a worker binary).

Measurement: CLOCK_MONOTONIC (time.monotonic_ns) around the region;
resource.getrusage(RUSAGE_SELF) + RUSAGE_CHILDREN deltas for user/sys time,
context switches and faults, as lib/measure.c takes them (pool workers are
reaped after the region and counted then, as in C); migrations from the
perf counter the C side opened with inherit and passed as --perf-fd.  With
--start forkserver the workers are children of the fork server, not of this
process, so their CPU time cannot be counted: the rusage columns are then
reported missing (null), never partial.  notes carries the interpreter,
and for pyproc and pypool the start method:
python=VERSION;impl=CPython;gil=1|0[;start=fork|spawn|forkserver].
"""

import json
import mmap
import multiprocessing
import os
import platform
import resource
import shutil
import struct
import sys
import threading
import time

START_METHODS = ("fork", "spawn", "forkserver")
MODELS = ("pythread", "pyproc", "pypool")
BLOCK_BYTES = 65536


class UsageError(Exception):
    """Bad input: one line on stderr, exit status 2."""


class RunError(Exception):
    """The repetition failed: reported in the error column, exit status 1."""


# ---- the interpreter ----------------------------------------------------

def gil_enabled():
    """True when this interpreter runs with a GIL (always before 3.13)."""
    probe = getattr(sys, "_is_gil_enabled", None)
    return True if probe is None else bool(probe())


def interpreter_notes():
    return "python=%s;impl=%s;gil=%d" % (platform.python_version(),
                                         platform.python_implementation(),
                                         1 if gil_enabled() else 0)


# ---- option parsing -----------------------------------------------------

def parse_count(name, text, low=0):
    """A whole number as ptbench passes it (also 2e7 typed by hand)."""
    try:
        value = int(text)
    except ValueError:
        try:
            as_float = float(text)
        except ValueError:
            as_float = None
        if as_float is None or not as_float.is_integer():
            raise UsageError("--%s: '%s' is not a whole number" % (name, text))
        value = int(as_float)
    if value < low:
        raise UsageError("--%s: '%s' is below %d" % (name, text, low))
    return value


def parse_choice(name, text, allowed):
    if text not in allowed:
        raise UsageError("--%s: unknown value '%s' (allowed: %s)"
                         % (name, text, ", ".join(allowed)))
    return text


def parse_pairs(args, spec, what):
    """--name value pairs into a dict, each name in spec (name -> parser)."""
    values = {}
    i = 0
    while i < len(args):
        arg = args[i]
        if not arg.startswith("--") or arg[2:] not in spec:
            raise UsageError("%s: unknown option '%s' (allowed: %s)"
                             % (what, arg, ", ".join("--" + k for k in spec)))
        if i + 1 >= len(args):
            raise UsageError("option '%s' needs a value" % arg)
        if arg[2:] in values:
            raise UsageError("option '%s' given twice" % arg)
        values[arg[2:]] = spec[arg[2:]](arg[2:], args[i + 1])
        i += 2
    return values


class Job:
    """One repetition: which workload in which model, and its options."""

    def __init__(self, run, opts):
        self.workload = run["workload"]
        self.model = run["model"]
        self.workers = run["workers"]
        self.tasks = run.get("tasks", self.workers)
        self.submit = run.get("submit", "async")
        self.start = run.get("start", "fork")
        self.tmpdir = run.get("tmpdir")
        self.report_fd = run.get("report-fd", -1)
        self.perf_fd = run.get("perf-fd", -1)
        self.opts = opts
        self.processes = self.model != "pythread"
        self.ctx = multiprocessing.get_context(self.start) if self.processes else None


def parse_job(argv):
    run_spec = {
        "workload": lambda n, v: parse_choice(n, v, tuple(WORKLOADS)),
        "model": lambda n, v: parse_choice(n, v, MODELS),
        "workers": lambda n, v: parse_count(n, v, 1),
        "tasks": lambda n, v: parse_count(n, v, 1),
        "submit": lambda n, v: parse_choice(n, v, ("sync", "async")),
        "start": lambda n, v: parse_choice(n, v, START_METHODS),
        "tmpdir": lambda n, v: v,
        "report-fd": lambda n, v: parse_count(n, v, -1),
        "perf-fd": lambda n, v: parse_count(n, v, -1),
    }
    split = argv.index("--") if "--" in argv else len(argv)
    run = parse_pairs(argv[:split], run_spec, "run")
    for needed in ("workload", "model", "workers"):
        if needed not in run:
            raise UsageError("run: --%s is required" % needed)
    if run["model"] == "pythread" and "start" in run:
        raise UsageError("--start: pythread starts no processes (allowed with pyproc, pypool)")
    wl = WORKLOADS[run["workload"]]
    opts = dict(wl.defaults)
    opts.update(parse_pairs(argv[split + 1:], wl.spec, run["workload"]))
    job = Job(run, opts)
    why = wl.refuse(job)
    if why:
        raise UsageError("%s cannot run %s: %s" % (job.model, job.workload, why))
    return job


# ---- workloads ------------------------------------------------------------
# Each: spec (option parsers), defaults, refuse(job), setup(job) -> state
# (picklable: processes get it at start), task(state, t, ntasks) -> int,
# verify(job, state, results) -> (ops, result, ok), teardown(job, state).

class Cpu:
    spec = {"steps": lambda n, v: parse_count(n, v)}
    defaults = {"steps": 1000000000}

    @staticmethod
    def refuse(job):
        return None

    @staticmethod
    def setup(job):
        return job.opts["steps"]

    @staticmethod
    def task(steps, t, ntasks):
        s = 0
        for _ in range(steps):  # seed 002, verbatim
            s += 1
        return s

    @staticmethod
    def verify(job, steps, results):
        ops = job.tasks * steps
        total = sum(results)
        return ops, total, total == ops

    @staticmethod
    def teardown(job, state):
        pass


class Cell:
    """n for threads: a plain attribute, as the seed's global n."""

    def __init__(self, value):
        self.value = value


class CounterState:
    def __init__(self, n, lock, iters, window_s):
        self.n, self.lock, self.iters, self.window_s = n, lock, iters, window_s


class Counter:
    spec = {"iters": lambda n, v: parse_count(n, v, 1),
            "window-us": lambda n, v: parse_count(n, v),
            "lock": lambda n, v: parse_choice(n, v, ("mutex", "spin", "atomic", "none"))}
    defaults = {"iters": 1, "window-us": 0, "lock": "mutex"}

    @staticmethod
    def refuse(job):
        if job.opts["lock"] in ("spin", "atomic"):
            return ("Python has no spinlock or atomic: --lock mutex "
                    "(threading.Lock, multiprocessing.Lock) or none")
        return None

    @staticmethod
    def setup(job):
        start = job.tasks * job.opts["iters"]
        mutex = job.opts["lock"] == "mutex"
        if job.processes:
            n = job.ctx.Value("q", start, lock=False)
            lock = job.ctx.Lock() if mutex else None
        else:
            n = Cell(start)
            lock = threading.Lock() if mutex else None
        return CounterState(n, lock, job.opts["iters"], job.opts["window-us"] / 1e6)

    @staticmethod
    def task(st, t, ntasks):
        n, lock, window_s = st.n, st.lock, st.window_s
        for _ in range(st.iters):  # seed 004: read, wait, write
            if lock is not None:
                lock.acquire()
            temp = n.value
            if window_s:
                time.sleep(window_s)
            n.value = temp - 1
            if lock is not None:
                lock.release()
        return st.iters

    @staticmethod
    def verify(job, st, results):
        lost = st.n.value
        return job.tasks * st.iters, lost, job.opts["lock"] == "none" or lost == 0

    @staticmethod
    def teardown(job, state):
        pass


class CopyState:
    def __init__(self, tmpdir, files, chunk):
        self.tmpdir, self.files, self.chunk = tmpdir, files, chunk


def copy_path(tmpdir, side, i):
    return os.path.join(tmpdir, side, "f%04u" % i)


def copy_file(source_path, dest_path, chunk):
    """Seed 004's loop; returns the bytes copied."""
    copied = 0
    with open(source_path, "rb") as source_file:
        with open(dest_path, "wb") as dest_file:
            while True:
                data = source_file.read(chunk)
                if data:
                    dest_file.write(data)
                    copied += len(data)
                else:
                    break
    return copied


def same_file(a, b):
    with open(a, "rb", buffering=0) as fa, open(b, "rb", buffering=0) as fb:
        while True:
            da, db = fa.read(BLOCK_BYTES), fb.read(BLOCK_BYTES)
            if da != db:
                return False
            if not da:
                return True


class Copy:
    spec = {"files": lambda n, v: parse_count(n, v, 1),
            "file-size": lambda n, v: parse_count(n, v),
            "chunk": lambda n, v: parse_count(n, v, 1)}
    defaults = {"files": 16, "file-size": 8 << 20, "chunk": 1024}

    @staticmethod
    def refuse(job):
        return None if job.tmpdir else "copy needs --tmpdir (where the driver prepared src/)"

    @staticmethod
    def setup(job):
        dst = os.path.join(job.tmpdir, "dst")
        shutil.rmtree(dst, ignore_errors=True)  # what a killed repetition left
        os.mkdir(dst, 0o700)
        return CopyState(job.tmpdir, job.opts["files"], job.opts["chunk"])

    @staticmethod
    def task(st, t, ntasks):
        copied = 0
        for i in range(t, st.files, ntasks):
            copied += copy_file(copy_path(st.tmpdir, "src", i),
                                copy_path(st.tmpdir, "dst", i), st.chunk)
        return copied

    @staticmethod
    def verify(job, st, results):
        expected = st.files * job.opts["file-size"]
        copied = sum(results)
        identical = all(same_file(copy_path(st.tmpdir, "src", i), copy_path(st.tmpdir, "dst", i))
                        for i in range(st.files))
        return expected, copied, identical and copied == expected

    @staticmethod
    def teardown(job, state):
        shutil.rmtree(os.path.join(job.tmpdir, "dst"), ignore_errors=True)


class CreateState:
    def __init__(self, count, start):
        self.count, self.start = count, start  # start: None for threads


def empty_process():
    """The empty worker of pyproc's create: it returns, exit status 0."""


def empty_thread(box):
    box.append(True)  # the token: the thread ran


# The --parent-mb memory: kept here so it is never pickled to a worker.
_PARENT_MEM = []


class Create:
    spec = {"count": lambda n, v: parse_count(n, v, 1),
            "parent-mb": lambda n, v: parse_count(n, v),
            "exec": lambda n, v: parse_choice(n, v, ("auto", "no", "yes"))}
    defaults = {"count": 200, "parent-mb": 0, "exec": "auto"}

    @staticmethod
    def refuse(job):
        if job.model == "pypool":
            return "a Pool's workers are daemonic and may not create processes"
        if job.opts["exec"] == "yes":
            return "--exec yes: Python workers do not exec a worker binary"
        return None

    @staticmethod
    def touch_parent(mib):
        if mib == 0:
            return
        size = mib << 20
        mem = mmap.mmap(-1, size, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
        if hasattr(mmap, "MADV_NOHUGEPAGE"):
            mem.madvise(mmap.MADV_NOHUGEPAGE)
        page = mmap.PAGESIZE
        mem[::page] = b"\x01" * (size // page)
        _PARENT_MEM.append(mem)

    @staticmethod
    def setup(job):
        Create.touch_parent(job.opts["parent-mb"])
        return CreateState(job.opts["count"], job.start if job.processes else None)

    @staticmethod
    def task(st, t, ntasks):
        made = 0
        if st.start is None:
            for _ in range(st.count):
                box = []
                th = threading.Thread(target=empty_thread, args=(box,))
                th.start()
                th.join()
                if not box:
                    raise RunError("empty thread %d did not run" % (made + 1))
                made += 1
            return made
        ctx = multiprocessing.get_context(st.start)
        for _ in range(st.count):
            p = ctx.Process(target=empty_process)
            p.start()
            p.join()
            if p.exitcode != 0:
                raise RunError("empty process %d ended with exit code %s" % (made + 1, p.exitcode))
            p.close()
            made += 1
        return made

    @staticmethod
    def verify(job, st, results):
        ops = job.tasks * st.count
        made = sum(results)
        return ops, made, made == ops

    @staticmethod
    def teardown(job, state):
        while _PARENT_MEM:
            _PARENT_MEM.pop().close()


WORKLOADS = {"cpu": Cpu, "counter": Counter, "copy": Copy, "create": Create}


# ---- measurement ------------------------------------------------------------

def now_ns():
    return time.clock_gettime_ns(time.CLOCK_MONOTONIC)


def read_perf(fd):
    """The inherited migrations counter (u64), None when unavailable."""
    if fd < 0:
        return None
    try:
        raw = os.read(fd, 8)
    except OSError:
        return None
    return struct.unpack("=Q", raw)[0] if len(raw) == 8 else None


class Snapshot:
    def begin(self, perf_fd):  # counters first, the clock last
        self.migrations = read_perf(perf_fd)
        self.usage = resource.getrusage(resource.RUSAGE_SELF)
        self.children = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.mono_ns = now_ns()
        return self

    def end(self, perf_fd):  # the clock first, then the counters
        self.mono_ns = now_ns()
        self.usage = resource.getrusage(resource.RUSAGE_SELF)
        self.children = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.migrations = read_perf(perf_fd)
        return self

    def after_stop(self, perf_fd):
        """Pool workers are reaped after the region: count them (as C)."""
        self.children = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.migrations = read_perf(perf_fd)


def seconds_ns(seconds):
    return round(seconds * 1e6) * 1000  # a timeval, in microseconds


def usage_delta(begin, end, countable):
    """The rusage and migration columns, end - begin (lib/measure.c)."""
    report = {"migrations": None if begin.migrations is None or end.migrations is None
              else end.migrations - begin.migrations}
    if not countable:
        return report

    def both(snap, field):
        return getattr(snap.usage, field) + getattr(snap.children, field)
    report["user_ns"] = seconds_ns(both(end, "ru_utime")) - seconds_ns(both(begin, "ru_utime"))
    report["sys_ns"] = seconds_ns(both(end, "ru_stime")) - seconds_ns(both(begin, "ru_stime"))
    for column, field in (("vol_cs", "ru_nvcsw"), ("invol_cs", "ru_nivcsw"),
                          ("minflt", "ru_minflt"), ("majflt", "ru_majflt")):
        report[column] = both(end, field) - both(begin, field)
    report["maxrss_kb"] = max(end.usage.ru_maxrss, end.children.ru_maxrss)
    return report


# ---- models --------------------------------------------------------------------

def run_share(wl, state, worker, workers, ntasks, results):
    for t in range(worker, ntasks, workers):
        results[t] = wl.task(state, t, ntasks)


def run_threads(job, wl, state, results):
    """pythread: threads created, started and joined inside the region."""
    failures = []

    def worker(w):
        try:
            run_share(wl, state, w, job.workers, job.tasks, results)
        except Exception as e:  # reported after the join
            failures.append("worker %d: %s: %s" % (w, type(e).__name__, e))
    threads = [threading.Thread(target=worker, args=(w,)) for w in range(job.workers)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return failures[0] if failures else None


def process_main(workload, state, worker, workers, ntasks, results):
    run_share(WORKLOADS[workload], state, worker, workers, ntasks, results)


def run_processes(job, wl, state, results):
    """pyproc: processes started and joined inside the region."""
    procs = [job.ctx.Process(target=process_main,
                             args=(job.workload, state, w, job.workers, job.tasks, results))
             for w in range(job.workers)]
    started = []
    try:
        for p in procs:
            p.start()
            started.append(p)
    finally:
        for p in started:
            p.join()
    for w, p in enumerate(procs):
        if p.exitcode != 0:
            return "worker %d of %d exited with code %s" % (w, job.workers, p.exitcode)
    return None


# The pool worker's workload and state, set by its initializer.
_POOL_WORK = None


def pool_init(workload, state, ready):
    global _POOL_WORK
    _POOL_WORK = (WORKLOADS[workload], state)
    ready.release()


def pool_task(t, ntasks):
    wl, state = _POOL_WORK
    return wl.task(state, t, ntasks)


class PoolRun:
    """pypool: a Pool started (and waited for) before the clock."""

    def __init__(self, job, state):
        ready = job.ctx.Semaphore(0)
        self.pool = job.ctx.Pool(job.workers, initializer=pool_init,
                                 initargs=(job.workload, state, ready))
        for _ in range(job.workers):
            ready.acquire()

    def run(self, job, results):
        if job.submit == "sync":
            for t in range(job.tasks):  # apply: one task at a time
                results[t] = self.pool.apply(pool_task, (t, job.tasks))
            return None
        done = threading.Event()
        left = [job.tasks]
        failures = []

        def finished():  # callbacks run one at a time in the result thread
            left[0] -= 1
            if left[0] == 0:
                done.set()

        def callback_for(t):
            def callback(value):
                results[t] = value
                finished()
            return callback

        def on_error(e):
            failures.append("%s: %s" % (type(e).__name__, e))
            finished()
        for t in range(job.tasks):
            self.pool.apply_async(pool_task, (t, job.tasks), callback=callback_for(t),
                                  error_callback=on_error)
        done.wait()
        return failures[0] if failures else None

    def stop(self, failed):
        if failed:
            self.pool.terminate()
        else:
            self.pool.close()
        self.pool.join()


def timed(job, wl, state):
    """Run the model over the region; returns (report columns, results)."""
    results = job.ctx.Array("q", job.tasks, lock=False) if job.model == "pyproc" \
        else [0] * job.tasks
    pool = PoolRun(job, state) if job.model == "pypool" else None
    begin = Snapshot().begin(job.perf_fd)
    failure = None
    try:
        if pool:
            failure = pool.run(job, results)
        elif job.model == "pyproc":
            failure = run_processes(job, wl, state, results)
        else:
            failure = run_threads(job, wl, state, results)
    finally:
        end = Snapshot().end(job.perf_fd)
        if pool:
            pool.stop(failure is not None)
            end.after_stop(job.perf_fd)
    if failure:
        raise RunError(failure)
    report = {"wall_ns": end.mono_ns - begin.mono_ns}
    countable = not (job.processes and job.start == "forkserver")
    report.update(usage_delta(begin, end, countable))
    return report, list(results)


def run_job(job):
    wl = WORKLOADS[job.workload]
    state = wl.setup(job)
    try:
        report, results = timed(job, wl, state)
        ops, result, ok = wl.verify(job, state, results)
    finally:
        wl.teardown(job, state)
    report.update({"ops": ops, "result": result, "ok": bool(ok)})
    return report


# ---- the report ---------------------------------------------------------------------

def send_report(job, report):
    """One JSON line on the report fd (stdout when none), notes naming the
    interpreter and, for processes, the start method."""
    fd = job.report_fd
    report["notes"] = interpreter_notes() + (";start=" + job.start if job.processes else "")
    line = (json.dumps(report, separators=(",", ":")) + "\n").encode()
    if fd < 0:
        sys.stdout.write(line.decode())
        sys.stdout.flush()
        return
    while line:
        line = line[os.write(fd, line):]


def main(argv):
    if argv[:1] == ["info"] and len(argv) == 1:
        print(json.dumps({"python": platform.python_version(),
                          "impl": platform.python_implementation(),
                          "gil": 1 if gil_enabled() else 0}))
        return 0
    if argv[:1] != ["run"]:
        raise UsageError("usage: ptpy.py run --workload W --model M --workers N ... -- "
                         "[workload options] | ptpy.py info")
    job = parse_job(argv[1:])
    try:
        report = run_job(job)
    except RunError as e:
        send_report(job, {"ok": False, "error": str(e)})
        return 1
    except Exception as e:  # pylint: disable=broad-except
        send_report(job, {"ok": False, "error": "%s: %s" % (type(e).__name__, e)})
        return 1
    send_report(job, report)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except UsageError as e:
        print("ptpy: %s" % e, file=sys.stderr)
        sys.exit(2)
