"""wl_footprint.py - `footprint` in Python (claim C3): the memory N idle
workers cost, as bench/w_footprint.c measures it in C.

Every task notes its pid, touches --touch-mb MiB and parks at a barrier
(threading.Barrier, or the start method's multiprocessing.Barrier).  When
all N are parked, task 0 sums Rss and Pss from /proc/PID/smaps_rollup over
the interpreter that runs the job and every distinct worker process
(threads are the interpreter's own pid, so their memory is in its
figures), then a second barrier lets them go.  pss_kb = total PSS, result
= total RSS (kB); the marginal cost of a worker is the slope between two
worker counts, which cancels the interpreter's own memory.  The fork
server and the resource tracker, started once whatever N is, are not
counted.  ops = workers; ok when all N parked and every smaps_rollup was
read.

--touch: fresh (a new bytearray, every page written), cow (the
interpreter's memory, written by each worker: a forked worker copies every
page), read (the same memory, read).  cow and read need memory inherited
from the interpreter: threads or the fork start method; spawn and
forkserver children inherit none, so they refuse it."""

import os

from ptpy_common import RunError, Shared, choice_opt, count_opt

PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")

# The interpreter's memory for cow and read, written before the workers
# start: module state, so fork children inherit it and it is never pickled.
_INHERITED = []


class FootprintState:
    def __init__(self, job):
        shared = Shared(job)
        self.pids = shared.ints(job.tasks)
        self.totals = shared.ints(3)  # rss_kb, pss_kb, errno of a failed read
        self.parked = shared.barrier(job.tasks)
        self.release = shared.barrier(job.tasks)
        self.runner = os.getpid()
        self.touch_bytes = job.opts["touch-mb"] << 20
        self.touch = job.opts["touch"]


def smaps_kb(pid):
    """(Rss, Pss) of pid in kB from /proc/PID/smaps_rollup."""
    rss = pss = None
    with open("/proc/%d/smaps_rollup" % pid) as f:
        for line in f:
            if line.startswith("Rss:"):
                rss = int(line.split()[1])
            elif line.startswith("Pss:"):
                pss = int(line.split()[1])
    if rss is None or pss is None:
        raise OSError("no Rss/Pss in /proc/%d/smaps_rollup" % pid)
    return rss, pss


def measure(st, ntasks):
    """The interpreter, then each worker process once."""
    rss_total = pss_total = 0
    try:
        for pid in [st.runner] + sorted({st.pids[t] for t in range(ntasks)} - {st.runner}):
            rss, pss = smaps_kb(pid)
            rss_total += rss
            pss_total += pss
    except OSError as e:
        st.totals[2] = e.errno or 1
        return
    st.totals[0], st.totals[1] = rss_total, pss_total


def touch(st):
    """Write or read the memory --touch names; returns fresh memory."""
    if st.touch_bytes == 0:
        return None
    pages = st.touch_bytes // PAGE_BYTES
    if st.touch == "fresh":
        fresh = bytearray(st.touch_bytes)  # calloc'd: untouched until written
        fresh[::PAGE_BYTES] = b"\x01" * pages
        return fresh
    mem = _INHERITED[0]
    if st.touch == "cow":
        mem[::PAGE_BYTES] = b"\x02" * pages
    else:
        bytes(mem[::PAGE_BYTES])
    return None


class Footprint:
    spec = {"touch-mb": count_opt(), "touch": choice_opt("fresh", "cow", "read")}
    defaults = {"touch-mb": 0, "touch": "fresh"}
    gang = True

    @staticmethod
    def refuse(job):
        if job.opts["touch"] != "fresh" and job.opts["touch-mb"] and job.processes \
                and job.start != "fork":
            return ("--touch %s needs the interpreter's memory in the workers: "
                    "threads or --py-start fork" % job.opts["touch"])
        return None

    @staticmethod
    def setup(job):
        st = FootprintState(job)
        if st.touch_bytes and st.touch != "fresh":
            mem = bytearray(st.touch_bytes)
            mem[::PAGE_BYTES] = b"\x01" * (st.touch_bytes // PAGE_BYTES)
            _INHERITED.append(mem)
        return st

    @staticmethod
    def task(st, t, ntasks):
        st.pids[t] = os.getpid()
        fresh = touch(st)
        st.parked.wait()
        if t == 0:
            measure(st, ntasks)
        st.release.wait()
        del fresh
        return 1

    @staticmethod
    def verify(job, st, results):
        parked = sum(1 for t in range(job.tasks) if st.pids[t])
        if st.totals[2]:
            raise RunError("footprint: reading smaps_rollup: %s" % os.strerror(st.totals[2]))
        if parked != job.tasks:
            raise RunError("footprint: %d of %d workers parked" % (parked, job.tasks))
        return job.tasks, st.totals[0], st.totals[1] > 0, {"pss_kb": st.totals[1]}

    @staticmethod
    def teardown(job, st):
        _INHERITED.clear()
