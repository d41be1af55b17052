"""ptpy_common.py - what every module of the Python runner shares: the two
kinds of failure, the option parsers, the clock, /proc readers and the
few synchronisation helpers that differ between threads and processes.

Kept apart from ptpy.py so that each workload module (wl_*.py) imports it
without importing the runner itself (a spawned child imports the modules
a pickled state names)."""

import ctypes
import os
import resource
import signal
import sys
import time

HANDSHAKE_S = 60.0  # the longest a worker waits for another at a barrier
PR_SET_PDEATHSIG, PR_SET_DUMPABLE = 1, 4
_LIBC = ctypes.CDLL(None, use_errno=True)  # loaded once: a forked worker only calls it


class UsageError(Exception):
    """Bad input: one line on stderr, exit status 2."""


class RunError(Exception):
    """The repetition failed: reported in the error column, exit status 1."""


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
            raise UsageError("--%s: '%s' is not a whole number" % (name, text)) from None
        value = int(as_float)
    if value < low:
        raise UsageError("--%s: '%s' is below %d" % (name, text, low))
    return value


def parse_choice(name, text, allowed):
    if text not in allowed:
        raise UsageError("--%s: unknown value '%s' (allowed: %s)"
                         % (name, text, ", ".join(allowed)))
    return text


def count_opt(low=0):
    return lambda n, v: parse_count(n, v, low)


def choice_opt(*allowed):
    return lambda n, v: parse_choice(n, v, allowed)


def interpreter_path():
    """sys.executable for the notes, the home directory written as ~ (a
    CSV that is shared names no one's home)."""
    home = os.path.expanduser("~").rstrip("/")
    exe = sys.executable
    return "~" + exe[len(home):] if home and exe.startswith(home + "/") else exe


def now_ns():
    return time.clock_gettime_ns(time.CLOCK_MONOTONIC)


def median(values):
    s = sorted(values)
    if not s:
        return 0
    mid = len(s) // 2
    return s[mid] if len(s) % 2 else (s[mid - 1] + s[mid]) / 2


def proc_stat(pid):
    """(state, ppid, pgrp, starttime) from /proc/PID/stat, None when gone."""
    try:
        with open("/proc/%d/stat" % pid, "rb") as f:
            raw = f.read().decode(errors="replace")
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = raw[raw.rindex(")") + 2:].split()
    return fields[0], int(fields[1]), int(fields[2]), int(fields[19])


class Shared:
    """Integer cells and a barrier that work for the job's kind of worker:
    plain lists and threading for threads, multiprocessing.Array and the
    start method's Barrier for processes (inherited or pickled at start)."""

    def __init__(self, job):
        self.job = job

    def ints(self, n, value=0):
        if self.job.processes:
            return self.job.ctx.Array("q", [value] * n, lock=False)
        return [value] * n

    def sync(self):
        """The module whose Lock, Semaphore, Condition, Barrier, Event the
        workers can share: threading, or the multiprocessing context."""
        if self.job.processes:
            return self.job.ctx
        import threading
        return threading

    def barrier(self, parties):
        return self.sync().Barrier(parties, timeout=HANDSHAKE_S)


def no_core_dumps():
    """A crash must leave no core file: RLIMIT_CORE 0 for a file pattern,
    not dumpable for a pipe pattern (which ignores the limit)."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if _LIBC.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_DUMPABLE, 0)")


def die_with_parent(parent):
    """This process gets SIGKILL when its parent (pid parent) ends
    (PR_SET_PDEATHSIG), as ptbench's C workers do: a killed runner leaves
    no worker behind.  A parent that died before the request was made
    (between fork and here) is gone already: end at once.  parent None:
    the fork server's child (forkserver), whose parent is the server."""
    if _LIBC.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG)")
    if parent is not None and os.getppid() != parent:
        os._exit(125)
