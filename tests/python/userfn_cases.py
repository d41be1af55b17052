"""userfn_cases.py - user functions that misbehave, for tests/python/test_userfn.py
and scripts/torture.py (`-w py:tests/python/userfn_cases.py:NAME`).

Each takes the task index as ptbench passes it; the last task (index ==
int(last)) is the one that misbehaves, the others return their index."""

import os
import signal
import time

NOT_CALLABLE = 42


def square(index, offset="0"):
    """A well-behaved function: index squared plus offset (an int)."""
    return index * index + int(offset)


def raise_last(index, last="1"):
    if index == int(last):
        raise ValueError("task %d refuses" % index)
    return index


def segv_last(index, last="1"):
    """Kills its own process (and in the thread models the interpreter)."""
    if index == int(last):
        os.kill(os.getpid(), signal.SIGSEGV)
        time.sleep(60)  # the signal arrives first
    return index


def exit_last(index, last="1"):
    """Ends its process without a word: os._exit(0)."""
    if index == int(last):
        os._exit(0)
    return index


def hang_last(index, last="1", mark=""):
    """Never returns: only --timeout ends it.  With mark, it first creates
    that file (a test waits for it)."""
    if index == int(last):
        if mark:
            open(mark, "w").close()
        while True:
            time.sleep(3600)
    return index


def chatty(index):
    """Prints (without a newline) before it returns: never into the CSV."""
    print("chatty task %d says hello" % index, end="", flush=True)
    return index


def keywords(index, **kwargs):
    """Whatever keyword arguments it gets, as text."""
    return ";".join("%s=%s" % kv for kv in sorted(kwargs.items()))


def unpicklable(index):
    """Returns what pickle cannot carry between processes."""
    return lambda: index
