"""wl_pool.py - `pool` in Python (claim C8, seeds 001/003: "apply runs the
pool in series, apply_async in parallel"), as bench/w_pool.c does in C.

Each task works for --task-us microseconds, busy (--work spin, until a
CLOCK_MONOTONIC deadline) or asleep (--work sleep, time.sleep: a task
waiting for I/O, which releases the GIL), and stamps its start and end.
Only the pooled models run it: multiprocessing.Pool and ThreadPool with
apply (--submit sync) or apply_async and a callback (async), the
executors with submit or map.

ops = tasks; result = tasks that ran exactly once (must be T).  notes: the
most tasks seen running at once (1 for sync; up to the workers for async,
and for spinning threads what the GIL lets overlap), the median time a
task ran (busy_ns) and the median gap between a task's end and the next
start (gap_ns: for sync, the pool's dispatch round trip)."""

import time

from ptpy_common import Shared, choice_opt, count_opt, median, now_ns


class PoolState:
    def __init__(self, job):
        shared = Shared(job)
        self.task_ns = job.opts["task-us"] * 1000
        self.sleep = job.opts["work"] == "sleep"
        self.start = shared.ints(job.tasks)
        self.end = shared.ints(job.tasks)
        self.runs = shared.ints(job.tasks)
        self.lock = shared.sync().Lock()


def figures(starts, ends):
    """Most tasks running at once, median busy time, median idle gap."""
    order = sorted(range(len(starts)), key=lambda i: starts[i])
    most, running, gaps, busy, latest_end = 0, [], [], [], 0
    for n, i in enumerate(order):
        running = [e for e in running if e > starts[i]] + [ends[i]]
        most = max(most, len(running))
        busy.append(ends[i] - starts[i])
        if n:
            gaps.append(max(starts[i] - latest_end, 0))
        latest_end = max(latest_end, ends[i])
    return "concurrency_max=%d;busy_ns_median=%.0f;gap_ns_median=%.0f" % (
        most, median(busy), median(gaps) if gaps else 0)


class Pool:
    executors = True  # pyexthread and pyexproc run it (C: PTB_PY_EXECUTORS)
    spec = {"task-us": count_opt(), "work": choice_opt("spin", "sleep")}
    defaults = {"task-us": 1000, "work": "spin"}

    @staticmethod
    def refuse(job):
        return None if job.pooled else "it measures a pool's submission: use a pool model"

    @staticmethod
    def setup(job):
        return PoolState(job)

    @staticmethod
    def task(st, t, ntasks):
        start = now_ns()
        deadline = start + st.task_ns
        if st.sleep:
            time.sleep(st.task_ns / 1e9)
        else:
            while now_ns() < deadline:
                pass
        st.start[t], st.end[t] = start, now_ns()
        with st.lock:
            st.runs[t] += 1
        return 1

    @staticmethod
    def verify(job, st, results):
        once = sum(1 for t in range(job.tasks) if st.runs[t] == 1)
        notes = figures(list(st.start), list(st.end)) if once == job.tasks else ""
        return job.tasks, once, once == job.tasks, {"notes": notes}

    @staticmethod
    def teardown(job, st):
        pass
