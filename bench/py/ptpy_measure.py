"""ptpy_measure.py - what the Python runner measures around its timed region,
as lib/measure.c does in C: CLOCK_MONOTONIC, getrusage(RUSAGE_SELF) +
RUSAGE_CHILDREN deltas for user/sys time, context switches and faults
(pool workers are reaped after the region and counted then), migrations
from the perf counter the C side opened with inherit (--perf-fd).  With
the forkserver start method the workers are children of the fork server,
not of this process: the rusage columns are then missing (null), never
partial."""

import os
import resource
import struct

from ptpy_common import now_ns


def read_perf(fd):
    """The inherited migrations counter (u64), None when unavailable."""
    if fd < 0:
        return None
    try:
        raw = os.read(fd, 8)
    except OSError:
        return None
    return struct.unpack("=Q", raw)[0] if len(raw) == 8 else None


class Snapshot:
    def begin(self, perf_fd):  # counters first, the clock last
        self.migrations = read_perf(perf_fd)
        self.usage = resource.getrusage(resource.RUSAGE_SELF)
        self.children = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.mono_ns = now_ns()
        return self

    def end(self, perf_fd):  # the clock first, then the counters
        self.mono_ns = now_ns()
        self.usage = resource.getrusage(resource.RUSAGE_SELF)
        self.children = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.migrations = read_perf(perf_fd)
        return self

    def after_stop(self, perf_fd):
        """Pool workers are reaped after the region: count them (as C)."""
        self.children = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.migrations = read_perf(perf_fd)


def seconds_ns(seconds):
    return round(seconds * 1e6) * 1000  # a timeval, in microseconds


def usage_delta(begin, end, countable):
    """The rusage and migration columns, end - begin (lib/measure.c)."""
    report = {"migrations": None if begin.migrations is None or end.migrations is None
              else end.migrations - begin.migrations}
    if not countable:
        return report

    def both(snap, field):
        return getattr(snap.usage, field) + getattr(snap.children, field)
    report["user_ns"] = seconds_ns(both(end, "ru_utime")) - seconds_ns(both(begin, "ru_utime"))
    report["sys_ns"] = seconds_ns(both(end, "ru_stime")) - seconds_ns(both(begin, "ru_stime"))
    for column, field in (("vol_cs", "ru_nvcsw"), ("invol_cs", "ru_nivcsw"),
                          ("minflt", "ru_minflt"), ("majflt", "ru_majflt")):
        report[column] = both(end, field) - both(begin, field)
    report["maxrss_kb"] = max(end.usage.ru_maxrss, end.children.ru_maxrss)
    return report
