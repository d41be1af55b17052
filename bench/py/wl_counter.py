"""wl_counter.py - `counter` in Python: seed 004's `temp = n; sleep; n = temp - 1`,
--iters times per task, under threading.Lock / multiprocessing.Lock
(--lock mutex) or none; n is an attribute for threads and a
multiprocessing.Value for processes.  result = final n = lost updates; ok
when 0 under a lock.  No spinlock or atomic in Python: refused."""

import threading
import time
from ptpy_common import choice_opt, count_opt


class Cell:
    """n for threads: a plain attribute, as the seed's global n."""

    def __init__(self, value):
        self.value = value


class CounterState:
    def __init__(self, n, lock, iters, window_s):
        self.n, self.lock, self.iters, self.window_s = n, lock, iters, window_s


class Counter:
    executors = True  # pyexthread and pyexproc run it (C: PTB_PY_EXECUTORS)
    spec = {"iters": count_opt(1),
            "window-us": count_opt(),
            "lock": choice_opt("mutex", "spin", "atomic", "none")}
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
