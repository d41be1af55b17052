"""wl_cpu.py - `cpu` in Python: seed 002's loop `for _ in range(steps): s += 1`
per task; ok when the sum of the counts is exactly tasks x steps.  ops =
steps, so ns_per_op is the cost of one step: compare languages by it."""

from ptpy_common import count_opt


class Cpu:
    executors = True  # pyexthread and pyexproc run it (C: PTB_PY_EXECUTORS)
    spec = {"steps": count_opt()}
    defaults = {"steps": 1000000000}

    @staticmethod
    def refuse(job):
        return None

    @staticmethod
    def setup(job):
        return job.opts["steps"]

    @staticmethod
    def task(steps, t, ntasks):
        s = 0
        for _ in range(steps):  # seed 002, verbatim
            s += 1
        return s

    @staticmethod
    def verify(job, steps, results):
        ops = job.tasks * steps
        total = sum(results)
        return ops, total, total == ops

    @staticmethod
    def teardown(job, state):
        pass
