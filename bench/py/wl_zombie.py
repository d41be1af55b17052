"""wl_zombie.py - `zombie` in Python (claim C9, seeds 003/004: "a finished
child is a zombie until its parent waits"), as bench/w_zombie.c does in C,
with Python's own ways of waiting.

Each task starts --children multiprocessing.Process children, one after
another (the start method of the job; fork for the thread models).  Each
child stamps CLOCK_MONOTONIC in a shared cell and returns.  Children
alternate between two checks:
  even  the task is already blocked in Process.join() when the child
        exits: reap latency = when join returned - the child's stamp (the
        interpreter's exit path, the wake-up and the return);
  odd   the task does not wait: it watches /proc/PID/stat until the child
        is a zombie whose parent is the task's process, then reaps it
        with multiprocessing.active_children() (which polls every child
        it started) and checks that /proc/PID is gone.
After the model has stopped, verify scans /proc for every process of the
runner's process group other than the interpreter, the ptbench runner
above it and multiprocessing's own helpers (the resource tracker):
zombies, orphans and live children, and counts worker threads still
alive.  The result is that total, which must be 0.  ops = children.

A Pool's workers are daemonic and may not have children (refused); the
forkserver start method makes the children the fork server's, not the
task's, so there is no zombie of ours to watch (refused)."""

import multiprocessing
import os
import threading
import time

from ptpy_common import RunError, count_opt, median, now_ns, proc_stat

ZOMBIE_WAIT_S = 10.0
# multiprocessing's child list is not thread-safe: start() and
# active_children() poll every child, close() drops one; in the thread
# models these calls from several tasks are taken one at a time.
MP_LOCK = threading.Lock()


def child_main(stamps, i):
    stamps[i] = now_ns()


class ZombieState:
    def __init__(self, job):
        ctx = multiprocessing.get_context(job.start)
        self.start = job.start  # a name: a context does not pickle
        self.children = job.opts["children"]
        n = job.tasks * self.children
        self.stamps = ctx.Array("q", n, lock=False)
        self.reap_ns = ctx.Array("q", n, lock=False)
        self.seen = ctx.Array("q", job.tasks, lock=False)  # zombies seen before wait
        self.gone = ctx.Array("q", job.tasks, lock=False)  # /proc/PID gone after wait
        self.early = ctx.Array("q", job.tasks, lock=False)  # reaped by another start()


def wait_zombie(pid, parent):
    """"zombie" once pid is parent's zombie, "reaped" when it is gone
    already (in the thread models another task's Process.start() reaps
    every finished child: multiprocessing's _cleanup), else None."""
    deadline = time.monotonic() + ZOMBIE_WAIT_S
    while time.monotonic() < deadline:
        stat = proc_stat(pid)
        if stat is None:
            return "reaped"
        if stat[0] == "Z":
            return "zombie" if stat[1] == parent else None
        time.sleep(0.0005)
    return None


def reaped_elsewhere(p):
    """True once another thread's poll of p (its Process.start() or
    active_children() runs multiprocessing's _cleanup over every child)
    has reaped p: that thread's waitpid() won, so ours saw ECHILD and
    active_children() still listed p.  The winner sets p's exit code a
    moment later; wait for it, bounded."""
    deadline = time.monotonic() + ZOMBIE_WAIT_S
    while time.monotonic() < deadline:
        if p.exitcode is not None:
            return True
        if proc_stat(p.pid) is not None:
            return False  # still there: truly not reaped
        time.sleep(0.0005)
    return False


def helpers():
    """multiprocessing's own processes (resource tracker, fork server)."""
    found = set()
    for name in ("resource_tracker", "forkserver"):
        try:
            mod = __import__("multiprocessing." + name, fromlist=["_"])
        except ImportError:
            continue
        holder = getattr(mod, "_resource_tracker", None) or getattr(mod, "_forkserver", None)
        pid = getattr(holder, "_pid", None) or getattr(holder, "_forkserver_pid", None)
        if pid:
            found.add(pid)
    return found


def leftovers():
    """(zombies, orphans, live) in the runner's process group."""
    me, group, skip = os.getpid(), os.getpgrp(), {os.getpid(), os.getppid()} | helpers()
    zombies = orphans = live = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) in skip:
            continue
        stat = proc_stat(int(entry))
        if not stat or stat[2] != group:
            continue
        if stat[0] == "Z":
            zombies += 1
        elif stat[1] != me:
            orphans += 1
        else:
            live += 1
    return zombies, orphans, live


class Zombie:
    spec = {"children": count_opt(2)}
    defaults = {"children": 8}

    @staticmethod
    def refuse(job):
        if job.pooled and job.processes:
            return "a multiprocessing.Pool's workers are daemonic and may not create processes"
        if job.start == "forkserver":
            return "forkserver's children are the fork server's, not the task's: use fork or spawn"
        return None

    @staticmethod
    def setup(job):
        return ZombieState(job)

    @staticmethod
    def task(st, t, ntasks):
        me = os.getpid()
        for c in range(st.children):
            i = t * st.children + c
            p = multiprocessing.get_context(st.start).Process(target=child_main, args=(st.stamps, i))
            with MP_LOCK:
                p.start()
            if c % 2 == 0:
                p.join()
                st.reap_ns[i] = now_ns() - st.stamps[i]
            else:
                seen = wait_zombie(p.pid, me)
                if seen is None:
                    raise RunError("zombie: child %d of task %d never became our zombie" % (c, t))
                st.seen[t] += seen == "zombie"
                st.early[t] += seen == "reaped"
                with MP_LOCK:
                    listed = p in multiprocessing.active_children()
                if listed and not reaped_elsewhere(p):
                    raise RunError("zombie: child %d still active after exiting" % c)
                st.gone[t] += proc_stat(p.pid) is None
                st.reap_ns[i] = -1
            if p.exitcode is None:
                reaped_elsewhere(p)  # another task's start() reaped it first
            if p.exitcode != 0:
                raise RunError("zombie: child %d of task %d ended with %s" % (c, t, p.exitcode))
            with MP_LOCK:
                p.close()
        return st.children

    @staticmethod
    def verify(job, st, results):
        zombies, orphans, live = leftovers()
        threads = sum(1 for th in threading.enumerate() if th.name.startswith("worker-"))
        left = zombies + orphans + live + threads
        reaps = [r for r in st.reap_ns if r >= 0]
        checks = job.tasks * (st.children // 2)
        seen, gone, early = sum(st.seen), sum(st.gone), sum(st.early)
        notes = ("zombies=%d;orphans=%d;live=%d;threads=%d;zombie_before_wait=%d/%d;"
                 "reaped_by_start=%d;gone_after_wait=%d;reap_ns_median=%.0f;reap_ns_max=%.0f"
                 % (zombies, orphans, live, threads, seen, checks, early, gone,
                    median(reaps), max(reaps) if reaps else 0))
        ok = left == 0 and seen + early == checks and gone == checks
        return job.tasks * st.children, left, ok, {"notes": notes}

    @staticmethod
    def teardown(job, st):
        pass
