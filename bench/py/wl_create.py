"""wl_create.py - `create` in Python: --count Thread (thread models) or
Process (process models) start+join per task; --parent-mb MiB written
before the clock.  Process pools refuse it (a Pool's workers are daemonic and may
not have children); --exec yes refused."""

import mmap
import multiprocessing
import threading
from ptpy_common import RunError, choice_opt, count_opt


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
    spec = {"count": count_opt(1),
            "parent-mb": count_opt(),
            "exec": choice_opt("auto", "no", "yes")}
    defaults = {"count": 200, "parent-mb": 0, "exec": "auto"}

    @staticmethod
    def refuse(job):
        if job.pooled and job.processes:
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
