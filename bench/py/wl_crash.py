"""wl_crash.py - `crash` in Python (claim C6, seed 000: "one thread dying
kills the whole process; processes do not affect each other"), as
bench/w_crash.c does in C.

Every task counts --steps increments (seed 002's loop) and then leaves a
completion mark in shared cells.  The last task is the victim: half way
through its count it dies (--signal):
  exception  raises an exception nobody catches.  In CPython that ends
             only its thread (threading.excepthook reports it), or its
             process (exit code 1), or is handed to the pool's caller;
  segv       a real fault: ctypes writes to a PROT_NONE page (SIGSEGV);
  abrt       os.abort() (SIGABRT).
A hard fault ends the whole interpreter, whatever thread it hit: in the
thread models the runner dies of it, the driver sees the signal, and the
row records result 0 with ok=1, as for C threads (bench/w_crash.c's
runner_killed; lib/model_py.c dies of the interpreter's signal).  In the
process models the victim's process dies alone; the model reports the
death, and verify counts the marks that survived.

result = tasks whose marks survived; ops = tasks; ok when the victim died
the requested way, the model reported it, and every other task survived.
Core dumps are turned off first (RLIMIT_CORE 0, not dumpable)."""

import ctypes
import os

from ptpy_common import Shared, choice_opt, count_opt, no_core_dumps


class VictimDied(Exception):
    """The victim's uncaught exception (--signal exception)."""


class CrashState:
    def __init__(self, job):
        shared = Shared(job)
        self.steps = job.opts["steps"]
        self.how = job.opts["signal"]
        self.started = shared.ints(job.tasks)
        self.done = shared.ints(job.tasks)
        self.crossed = shared.ints(job.tasks)  # the victim lived past its death
        self.count = shared.ints(job.tasks)


def count_steps(steps):
    s = 0
    for _ in range(steps):  # seed 002
        s += 1
    return s


def die(how):
    if how == "exception":
        raise VictimDied("the victim task's uncaught exception")
    if how == "abrt":
        os.abort()
    ctypes.memset(guard_page(), 1, 1)  # a write to a PROT_NONE page: SIGSEGV


def guard_page():
    """A page mapped PROT_NONE (as bench/w_crash.c's guard), its address."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.mmap.restype = ctypes.c_void_p
    libc.mmap.argtypes = (ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int,
                          ctypes.c_int, ctypes.c_long)
    prot_none, map_private_anonymous = 0, 0x02 | 0x20
    addr = libc.mmap(None, os.sysconf("SC_PAGE_SIZE"), prot_none, map_private_anonymous, -1, 0)
    if addr in (None, ctypes.c_void_p(-1).value):
        raise OSError(ctypes.get_errno(), "mmap(PROT_NONE)")
    return addr


WANT = {"exception": ("uncaught VictimDied", "exited with code 1", "raised VictimDied"),
        "segv": ("killed by SIGSEGV",), "abrt": ("killed by SIGABRT",)}


class Crash:
    spec = {"steps": count_opt(2), "signal": choice_opt("segv", "abrt", "exception")}
    defaults = {"steps": 20000000, "signal": "segv"}
    expects_death = True

    @staticmethod
    def refuse(job):
        return None

    @staticmethod
    def setup(job):
        no_core_dumps()
        return CrashState(job)

    @staticmethod
    def task(st, t, ntasks):
        st.started[t] = 1
        count = count_steps(st.steps // 2)
        if t == ntasks - 1:
            die(st.how)
            st.crossed[t] = 1
            return 1
        count += count_steps(st.steps - st.steps // 2)
        st.count[t] = count
        st.done[t] = 1
        return 0

    @staticmethod
    def verify(job, st, results):
        victim = job.tasks - 1
        survivors = sum(1 for t in range(victim) if st.done[t] and st.count[t] == st.steps)
        died = st.started[victim] and not st.done[victim] and not st.crossed[victim]
        death = job.run_error or ("none: the victim survived" if st.crossed[victim]
                                  else "none reported by the model")
        reported = any(w in death for w in WANT[st.how])
        notes = "signal=%s;survivors=%d;lost=%d;death=%s" % (
            st.how, survivors, job.tasks - survivors, death.replace(";", ","))
        return job.tasks, survivors, bool(died and reported and survivors == victim), \
            {"notes": notes}

    @staticmethod
    def teardown(job, st):
        pass
