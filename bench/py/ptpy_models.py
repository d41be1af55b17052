"""ptpy_models.py - how the Python runner runs a job's tasks: the models.

What is inside the timed region mirrors the C model of each kind:
  pythread      threading.Thread: N threads created, started and joined
                inside the region (C: thread).
  pyproc        multiprocessing.Process: N processes started and joined
                inside the region (C: fork); start method --start.
  pypool        multiprocessing.Pool of N processes (C: procpool) and
  pythreadpool  multiprocessing.pool.ThreadPool of N threads (C:
                threadpool), started before the clock; --tasks by apply
                (--submit sync) or apply_async with a callback (async).
  pyexthread    concurrent.futures.ThreadPoolExecutor and
  pyexproc      ProcessPoolExecutor of N workers, started (and made to
                start every worker) before the clock; --call submit:
                submit().result() one at a time (sync) or submit with a
                done callback (async); --call map: Executor.map over one
                task at a time (sync) or over all tasks (async).
Tasks are shared as in C: worker w of W runs tasks w, w+W, ...

A worker's death is reported the way Python reports it: a thread's
uncaught exception through threading.excepthook (the thread ends, the
others run on), a process's exit code (negative: the signal), a pool
task's exception through the error callback; a pool worker killed by a
signal is found from the pool's process objects (multiprocessing.Pool
would otherwise wait for its task for ever; also for a workload that says
watch_deaths, a user's function); an executor whose worker died (broken)
names that worker's signal or exit code.  pyproc's worker processes
ask for SIGKILL when the interpreter dies (PR_SET_PDEATHSIG), as C's
workers do, and so do an executor's (pool_init); a Pool's workers end when
their task queue reaches end of file."""

import os
import signal
import sys
import threading

from ptpy_common import die_with_parent
from ptpy_workloads import workload_of

POLL_S = 0.05  # how often a pool run looks for a dead worker
BROKEN_WAIT_S = 5.0  # the longest a broken executor's workers take to be reaped


def watched(wl):
    """Must a pool look for a worker that dies under a task?"""
    return getattr(wl, "expects_death", False) or getattr(wl, "watch_deaths", False)


def death_of(exitcode):
    if exitcode is not None and exitcode < 0:
        try:
            return "killed by %s" % signal.Signals(-exitcode).name
        except ValueError:
            return "killed by signal %d" % -exitcode
    return "exited with code %s" % exitcode


def run_share(wl, state, worker, workers, ntasks, results):
    for t in range(worker, ntasks, workers):
        results[t] = wl.task(state, t, ntasks)


def run_threads(job, wl, state, results):
    """pythread: threads created, started and joined inside the region.
    A task's exception is not caught: it ends its thread, as in any
    Python program, and threading.excepthook records it."""
    failures = []

    def hook(args):
        failures.append("thread %s ended by uncaught %s: %s"
                        % (args.thread.name, args.exc_type.__name__, args.exc_value))
    threads = [threading.Thread(target=run_share, name="worker-%d" % w,
                                args=(wl, state, w, job.workers, job.tasks, results))
               for w in range(job.workers)]
    saved, threading.excepthook = threading.excepthook, hook
    try:
        for th in threads:
            th.start()
        for th in threads:
            th.join()
    finally:
        threading.excepthook = saved
    return failures[0] if failures else None


def process_main(workload, state, worker, workers, ntasks, results, parent):
    die_with_parent(parent)
    wl = workload_of(workload)
    if parent is None and hasattr(wl, "worker_init"):
        # forkserver: the parent is the fork server, which lives as long as
        # any of its children holds its "alive" pipe, this one included
        wl.worker_init(state)
    if getattr(wl, "expects_death", False):
        sys.stderr = open(os.devnull, "w")  # the expected death's traceback
    run_share(wl, state, worker, workers, ntasks, results)


def run_processes(job, wl, state, results):
    """pyproc: processes started and joined inside the region."""
    procs = [job.ctx.Process(target=process_main,
                             args=(job.workload, state, w, job.workers, job.tasks, results,
                                   None if job.start == "forkserver" else os.getpid()))
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
            return "worker %d of %d %s" % (w, job.workers, death_of(p.exitcode))
    return None


# ---- pools -----------------------------------------------------------------

# A pool worker's workload and state, set by its initializer.
_POOL_WORK = None


def pool_init(workload, state, ready, barrier, parent=False):
    """An executor's worker process dies with the interpreter
    (PR_SET_PDEATHSIG; parent: the interpreter's pid, None under forkserver,
    whose workers are the fork server's children): without it a SIGKILLed
    driver left them waiting on their call queue for ever (they hold its
    write end themselves).  The kernel sends the signal when the thread that
    started the worker ends: ProcessPoolExecutor starts every worker in the
    thread that submits, the interpreter's main thread.  Not in a Pool
    (parent False, as in the thread pools): its replacement workers are
    started by its worker-handler thread, which ends first when the pool is
    terminated, and a worker killed then, while it holds the task queue's
    read lock, would hang terminate() for ever; a Pool's workers end by
    themselves when the interpreter is gone (end of file on the task queue)."""
    global _POOL_WORK
    if parent is not False:
        die_with_parent(parent)
    _POOL_WORK = (workload_of(workload), state, barrier)
    init = getattr(_POOL_WORK[0], "worker_init", None)
    if init:
        init(state)
    ready.release()


def pool_task(t, ntasks):
    wl, state, _ = _POOL_WORK
    return wl.task(state, t, ntasks)


def pool_task_map(t_ntasks):
    return pool_task(*t_ntasks)


def pool_warm(_):
    """Before the clock: N of these at once make an executor start N workers."""
    _POOL_WORK[2].wait()
    return os.getpid()


class PoolRun:
    """The pooled models: the pool started (and waited for) before the clock."""

    def __init__(self, job, state, sync):
        self.job, self.procs = job, []
        ready, barrier = sync.Semaphore(0), sync.Barrier(job.workers, timeout=60)
        parent = (None if job.start == "forkserver" else os.getpid()) \
            if job.processes and job.kind not in ("pool", "threadpool") else False
        initargs = (job.workload, state, ready, barrier, parent)
        if job.kind in ("pool", "threadpool"):
            from multiprocessing.pool import ThreadPool
            self.pool = job.ctx.Pool(job.workers, pool_init, initargs) if job.processes \
                else ThreadPool(job.workers, pool_init, initargs)
            self.procs = list(getattr(self.pool, "_pool", [])) if job.processes else []
        else:
            from concurrent import futures
            self.pool = futures.ProcessPoolExecutor(job.workers, job.ctx, pool_init, initargs) \
                if job.processes else futures.ThreadPoolExecutor(job.workers, "worker", pool_init,
                                                                 initargs)
            list(self.pool.map(pool_warm, range(job.workers)))
            self.procs = list(getattr(self.pool, "_processes", {}).values())
        for _ in range(job.workers):
            ready.acquire()

    def dead_worker(self):
        """A pool process that died during the run (none ever should, but a
        crashing task's), as a message, or None.  One the pool ended itself
        (SIGTERM, as an executor ends the others when one died) comes last."""
        dead = [(p.pid, p.exitcode) for p in self.procs if p.exitcode is not None]
        dead.sort(key=lambda pid_code: pid_code[1] == -signal.SIGTERM)
        return "pool worker %d %s" % (dead[0][0], death_of(dead[0][1])) if dead else None

    def broken(self, e):
        """An executor broken by a worker's death (BrokenProcessPool): which
        worker, and how it died, once the executor has reaped them all."""
        for _ in range(int(BROKEN_WAIT_S / POLL_S)):
            if all(p.exitcode is not None for p in self.procs):
                break
            threading.Event().wait(POLL_S)
        return self.dead_worker() or "%s: %s" % (type(e).__name__, e)

    def deaths(self):
        """Pool processes that died: each took its task with it."""
        return sum(1 for p in self.procs if p.exitcode is not None)

    def run(self, job, wl, results):
        if job.kind in ("pool", "threadpool"):
            return self.run_pool(job, wl, results)
        return self.run_executor(job, results)

    def wait(self, waitable, wl):
        """Wait for waitable (an Event, or an ApplyResult); None, or the
        death that means it never comes."""
        done = getattr(waitable, "ready", None) or waitable.is_set
        if not watched(wl):
            waitable.wait()
            return None
        while not done():
            waitable.wait(POLL_S)
            dead = None if done() else self.dead_worker()
            if dead:
                return dead
        return None

    def run_pool(self, job, wl, results):
        failures = []
        if job.submit == "sync":
            for t in range(job.tasks):  # apply: one task at a time
                try:
                    if watched(wl):
                        r = self.pool.apply_async(pool_task, (t, job.tasks))
                        dead = self.wait(r, wl)  # apply() is apply_async().get()
                        if dead:
                            return dead
                        results[t] = r.get()
                    else:
                        results[t] = self.pool.apply(pool_task, (t, job.tasks))
                except Exception as e:  # the task's exception, raised by apply
                    failures.append("task %d raised %s: %s" % (t, type(e).__name__, e))
            return failures[0] if failures else None
        done, left = threading.Event(), [job.tasks]

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
            failures.append("a task raised %s: %s" % (type(e).__name__, e))
            finished()
        for t in range(job.tasks):
            self.pool.apply_async(pool_task, (t, job.tasks), callback=callback_for(t),
                                  error_callback=on_error)
        dead = self.wait(done, wl)
        while dead and left[0] > self.deaths():  # the others' tasks still run
            done.wait(POLL_S)
        return dead or (failures[0] if failures else None)

    def run_executor(self, job, results):
        from concurrent.futures import BrokenExecutor
        try:
            return self.call_executor(job, results)
        except BrokenExecutor as e:  # a worker died: submit, result and map raise it
            return self.broken(e)

    def call_executor(self, job, results):
        from concurrent.futures import BrokenExecutor
        tasks = range(job.tasks)
        if job.call == "map":
            if job.submit == "sync":
                for t in tasks:
                    results[t] = list(self.pool.map(pool_task_map, [(t, job.tasks)]))[0]
            else:
                for t, r in enumerate(self.pool.map(pool_task_map, [(t, job.tasks) for t in tasks])):
                    results[t] = r
            return None
        if job.submit == "sync":
            for t in tasks:
                results[t] = self.pool.submit(pool_task, t, job.tasks).result()
            return None
        done, left, failures, lock = threading.Event(), [job.tasks], [], threading.Lock()

        def callback_for(t):
            def callback(fut):  # may run in the worker's thread: count under a lock
                e = fut.exception()
                if isinstance(e, BrokenExecutor):
                    failures.append(e)
                elif e is not None:
                    failures.append("a task raised %s: %s" % (type(e).__name__, e))
                else:
                    results[t] = fut.result()
                with lock:
                    left[0] -= 1
                    if left[0] == 0:
                        done.set()
            return callback
        for t in tasks:
            self.pool.submit(pool_task, t, job.tasks).add_done_callback(callback_for(t))
        done.wait()
        if failures and isinstance(failures[0], BrokenExecutor):
            return self.broken(failures[0])
        return failures[0] if failures else None

    def stop(self, failed):
        if self.job.kind in ("pool", "threadpool"):
            if failed:
                self.pool.terminate()
            else:
                self.pool.close()
            self.pool.join()
        else:
            self.pool.shutdown(wait=True, cancel_futures=failed)
