"""wl_daemon.py - `daemon` in Python (claim C11, seeds 000/004: Python's
`daemon=True`), as bench/w_daemon.c does in C, with Python's own daemons.

Each task starts an intermediate parent P (multiprocessing.Process); P
starts the daemon D, a multiprocessing.Process with daemon=True that
never ends on its own while the interpreter runs (it waits on a pidfd of
the interpreter: so not even after a SIGKILLed driver), waits until D is
ready and sends D's
pid to the task, which opens a pidfd on D while D is certainly alive, then
tells P to end.  How D is meant to end (--kill):
  atexit     Python's own daemon=True: multiprocessing's exit handler in
             P terminates (SIGTERM) and joins every daemonic child when P
             exits normally.  No exit handler runs when P is killed.
  pdeathsig  as atexit, and D also asked the kernel for SIGKILL when its
             parent dies (prctl PR_SET_PDEATHSIG through ctypes), which
             holds whatever ends P.
How P ends (--parent-exit): exit (its target returns: the normal exit
path, with the exit handler) or sigkill (P kills itself with SIGKILL).
The task then waits at most --bound-ms for the pidfd to say D ended, and
times it from when P was told to end.  A daemon still running after the
bound is counted, then killed through its pidfd, so nothing outlives the
repetition (orphaned daemons are re-parented to the driver, a child
subreaper, which reaps them with the runner's process group).

result = daemons still running after the bound.  It must be 0, except
with --kill atexit --parent-exit sigkill, where every daemon is expected
to outlive its parent (ok then means: the outcome the mechanism
predicts), and with --py-start forkserver --kill pdeathsig --parent-exit
sigkill: there D is the fork server's child, not P's, and the kernel's
SIGKILL follows the parent that dies, so D outlives P too.  ops = daemons
(one per task).  A Pool's workers are daemonic
and may not have children (refused)."""

import multiprocessing
import os
import select
import signal

from ptpy_common import RunError, Shared, choice_opt, count_opt, die_with_parent, median, now_ns

HANDSHAKE_S = 30.0


def wait_for_end_of(watcher):
    """D's endless wait: until the watcher (the interpreter that runs the
    job) is gone, a pidfd on it; within a repetition that is after the task
    has watched D.  So a daemon whose driver was SIGKILLed (nobody left to
    kill the runner's group) does not live for ever."""
    try:
        lifeline = os.pidfd_open(watcher)
    except ProcessLookupError:
        return  # the watcher is already gone
    p = select.poll()
    p.register(lifeline, select.POLLIN)
    while not p.poll():
        pass


def daemon_main(kill, ready, parent, watcher):
    if kill == "pdeathsig":
        die_with_parent(parent)
    ready.send_bytes(b"ready")
    ready.close()
    wait_for_end_of(watcher)


def got_ready(ready):
    """D said it is ready within HANDSHAKE_S (end of file: D died first)."""
    try:
        return ready.poll(HANDSHAKE_S) and ready.recv_bytes() == b"ready"
    except EOFError:
        return False


def parent_main(start, kill, parent_exit, conn, parent, watcher):
    """P: dies with the task's process (a killed runner's P would otherwise
    wait for "go" for ever: it holds the task's end of the pipe itself, so
    no end of file comes), and waits for "go" at most HANDSHAKE_S."""
    die_with_parent(parent)
    ctx = multiprocessing.get_context(start)
    # a pipe, not an Event: under spawn and forkserver an Event is five
    # named semaphores in /dev/shm, which a SIGKILLed P would leave there
    ready, ready_w = ctx.Pipe(duplex=False)
    d = ctx.Process(target=daemon_main,
                    args=(kill, ready_w, None if start == "forkserver" else os.getpid(), watcher),
                    daemon=True)
    d.start()
    ready_w.close()
    if not got_ready(ready):
        conn.send(-1)
        return
    conn.send(d.pid)
    if not conn.poll(HANDSHAKE_S):
        return
    conn.recv()  # go
    if parent_exit == "sigkill":
        os.kill(os.getpid(), signal.SIGKILL)
    # a normal return: multiprocessing's exit handler ends the daemon


class DaemonState:
    def __init__(self, job):
        shared = Shared(job)
        self.start = job.start  # a name: a context does not pickle
        self.kill, self.parent_exit = job.opts["kill"], job.opts["parent-exit"]
        self.bound_ms = job.opts["bound-ms"]
        self.watcher = os.getpid()  # the interpreter: a daemon lives no longer
        self.alive = shared.ints(job.tasks)
        self.gone_ns = shared.ints(job.tasks, -1)


def survivors_expected(st):
    """Does every daemon outlive a SIGKILLed parent by design?  With atexit
    (no exit handler runs), and with pdeathsig when the daemon's parent is
    the fork server (forkserver), which lives on."""
    return st.parent_exit == "sigkill" and (st.kill == "atexit" or st.start == "forkserver")


def watch(pidfd, bound_ms):
    """True when the pidfd said the process ended within bound_ms."""
    p = select.poll()
    p.register(pidfd, select.POLLIN)
    return bool(p.poll(bound_ms))


class Daemon:
    spec = {"bound-ms": count_opt(100), "kill": choice_opt("pdeathsig", "atexit"),
            "parent-exit": choice_opt("exit", "sigkill")}
    defaults = {"bound-ms": 2000, "kill": "pdeathsig", "parent-exit": "exit"}

    @staticmethod
    def refuse(job):
        if job.pooled and job.processes:
            return "a multiprocessing.Pool's workers are daemonic and may not create processes"
        return None

    @staticmethod
    def setup(job):
        return DaemonState(job)

    @staticmethod
    def task(st, t, ntasks):
        ctx = multiprocessing.get_context(st.start)
        here, there = ctx.Pipe()
        p = ctx.Process(target=parent_main, args=(st.start, st.kill, st.parent_exit, there,
                                                  None if st.start == "forkserver" else os.getpid(),
                                                  st.watcher))
        p.start()
        there.close()
        try:
            if not here.poll(HANDSHAKE_S):
                raise RunError("daemon: no pid from parent %d in %.0f s" % (p.pid, HANDSHAKE_S))
            dpid = here.recv()
            if dpid < 0:
                raise RunError("daemon: the daemon of parent %d never got ready" % p.pid)
            pidfd = os.pidfd_open(dpid)
            try:
                told = now_ns()
                here.send("go")
                p.join()
                if watch(pidfd, st.bound_ms):
                    st.gone_ns[t] = now_ns() - told
                else:
                    st.alive[t] = 1
                    signal.pidfd_send_signal(pidfd, signal.SIGKILL)
                    watch(pidfd, 5000)
            finally:
                os.close(pidfd)
        finally:
            here.close()
            if p.is_alive():
                p.kill()
            p.join()
        return 1

    @staticmethod
    def verify(job, st, results):
        alive = sum(st.alive)
        expected = job.tasks if survivors_expected(st) else 0
        gone = [g for g in st.gone_ns if g >= 0]
        notes = "alive=%d;expected_alive=%d" % (alive, expected)
        if gone:
            notes += ";gone_ns_median=%.0f;gone_ns_max=%.0f" % (median(gone), max(gone))
        return job.tasks, alive, alive == expected, {"notes": notes}

    @staticmethod
    def teardown(job, st):
        pass
