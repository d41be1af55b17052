#!/usr/bin/env python3
"""ptpy.py - the Python runner of ptbench's Python models (lib/model_py.c).

The seeds are about Python; ptbench runs their workloads in CPython beside
C, so the table can say which claims are facts about threads and which are
facts about CPython.  For these models the ptbench runner child execs this
module: the interpreter is the runner.  It sets the workload up, times its
own region, verifies the result exactly as the C workload does, and
reports one JSON line that lib/external.c turns into the CSV row:

  python3 -I -B ptpy.py run --workload share --model pyproc --workers 2
      --tasks 2 [--submit sync|async] [--start fork|spawn|forkserver]
      [--call submit|map] [--tmpdir DIR] [--shm-prefix P] [--report-fd N]
      [--perf-fd N] -- --bytes 1048576 --chunk 65536 --via shm --encode 0

Everything after `--` is the workload's options, as ptbench passes them
(plain integers, choice names).  Without --report-fd the report goes to
stdout, so the module runs by hand too.  `ptpy.py info` prints the
interpreter's version and whether its GIL is on.  `ptpy.py mpi-rank ...`
is one mpi4py rank of the pympi model (ptpy_mpi.py), started by mpirun.  Bad input: one line on
stderr, exit status 2.  A failed run: a report with "error", exit 1.

--workload py:MODULE:FUNCTION (or py:path/to/file.py:FUNCTION) runs a
user's function (ptpy_userfn.py): the options after `--` are its keyword
arguments; `ptpy.py userfn-check py:REF [--KEY VALUE...]` is the check
ptbench asks for before it runs one.

The modules: ptpy_common.py (errors, parsers, shared cells),
ptpy_measure.py (clock and rusage around the region), ptpy_models.py (the
models: threads, processes, pools, executors), ptpy_workloads.py (the
registry: every wl_NAME.py of this directory) and one wl_NAME.py per
workload, each with the C workload's options and verification
(bench/w_NAME.c).

notes carry the workload's own figures first, then the interpreter:
python=VERSION;impl=CPython;gil=1|0;switch_us=sys.getswitchinterval() in
us, start=fork|spawn|forkserver for the process models, exe=sys.executable
(the home directory as ~).
"""

import json
import os
import platform
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # -I leaves it out

import multiprocessing  # noqa: E402

from ptpy_common import RunError, UsageError, count_opt, choice_opt, interpreter_path  # noqa: E402
from ptpy_measure import Snapshot, usage_delta  # noqa: E402
from ptpy_models import PoolRun, run_processes, run_threads  # noqa: E402
from ptpy_workloads import WORKLOADS, workload_of  # noqa: E402
import ptpy_userfn  # noqa: E402

START_METHODS = ("fork", "spawn", "forkserver")
# model -> kind of worker (ptpy_models.py)
MODELS = {"pythread": "thread", "pyproc": "process", "pypool": "pool",
          "pythreadpool": "threadpool", "pyexthread": "exthread", "pyexproc": "exproc"}
PROCESS_KINDS = ("process", "pool", "exproc")
POOL_KINDS = ("pool", "threadpool", "exthread", "exproc")
# the workloads whose class says the executor models run them
EXECUTOR_WORKLOADS = tuple(n for n, wl in WORKLOADS.items() if getattr(wl, "executors", False))


# ---- the interpreter ----------------------------------------------------

def gil_enabled():
    """True when this interpreter runs with a GIL (always before 3.13)."""
    probe = getattr(sys, "_is_gil_enabled", None)
    return True if probe is None else bool(probe())


def interpreter_notes(start=None):
    """python=VERSION;impl=CPython;gil=1|0;switch_us=N[;start=METHOD];exe=PATH
    (ptpy_common.interpreter_path; the path last: the notes column holds 255 characters)."""
    return "python=%s;impl=%s;gil=%d;switch_us=%d%s;exe=%s" % (
        platform.python_version(), platform.python_implementation(),
        1 if gil_enabled() else 0, round(sys.getswitchinterval() * 1e6),
        ";start=" + start if start else "", interpreter_path())


# ---- option parsing -----------------------------------------------------

def parse_pairs(args, spec, what):
    """--name value pairs into a dict, each name in spec (name -> parser)."""
    values = {}
    i = 0
    while i < len(args):
        arg = args[i]
        if not arg.startswith("--") or arg[2:] not in spec:
            raise UsageError("%s: unknown option '%s' (allowed: %s)"
                             % (what, arg, ", ".join("--" + k for k in spec)))
        if i + 1 >= len(args):
            raise UsageError("option '%s' needs a value" % arg)
        if arg[2:] in values:
            raise UsageError("option '%s' given twice" % arg)
        values[arg[2:]] = spec[arg[2:]](arg[2:], args[i + 1])
        i += 2
    return values


class Job:
    """One repetition: which workload in which model, and its options."""

    def __init__(self, run, opts):
        self.workload = run["workload"]
        self.model = run["model"]
        self.kind = MODELS[self.model]
        self.workers = run["workers"]
        self.tasks = run.get("tasks", self.workers)
        self.submit = run.get("submit", "async")
        self.start = run.get("start", "fork")
        self.call = run.get("call", "submit")
        self.tmpdir = run.get("tmpdir")
        self.shm_prefix = run.get("shm-prefix", "ptbench-py.%d" % os.getppid())
        self.report_fd = run.get("report-fd", -1)
        self.perf_fd = run.get("perf-fd", -1)
        self.opts = opts
        self.processes = self.kind in PROCESS_KINDS
        self.pooled = self.kind in POOL_KINDS
        self.ctx = multiprocessing.get_context(self.start) if self.processes else None


def start_method(name, value):
    method = choice_opt(*START_METHODS)(name, value)
    if method not in multiprocessing.get_all_start_methods():
        raise UsageError("--py-start %s: this platform offers %s"
                         % (method, ", ".join(multiprocessing.get_all_start_methods())))
    return method


def workload_name(name, value):
    """A workload of this directory, or a user's function (py:REF)."""
    if ptpy_userfn.is_userfn(value):
        return value
    return choice_opt(*WORKLOADS)(name, value)


def shm_prefix(name, value):
    if not value or "/" in value or len(value) > 100:
        raise UsageError("--%s: '%s' is not a short name without '/'" % (name, value))
    return value


RUN_SPEC = {
    "workload": workload_name,
    "model": choice_opt(*MODELS),
    "workers": count_opt(1),
    "tasks": count_opt(1),
    "submit": choice_opt("sync", "async"),
    "start": start_method,
    "call": choice_opt("submit", "map"),
    "tmpdir": lambda n, v: v,
    "shm-prefix": shm_prefix,
    "report-fd": count_opt(-1),
    "perf-fd": count_opt(-1),
}


def refusal(job, wl):
    """Why job cannot run, or None (lib/model_py.c refuses the same)."""
    if job.kind in ("exthread", "exproc") and not getattr(wl, "executors", False):
        return "the executor models run %s" % ", ".join(EXECUTOR_WORKLOADS)
    if getattr(wl, "gang", False) and job.pooled and (job.submit != "async" or job.tasks != job.workers):
        return "its tasks wait for each other, so a pool needs --submit async and tasks = workers"
    return wl.refuse(job)


def parse_job(argv):
    split = argv.index("--") if "--" in argv else len(argv)
    run = parse_pairs(argv[:split], RUN_SPEC, "run")
    for needed in ("workload", "model", "workers"):
        if needed not in run:
            raise UsageError("run: --%s is required" % needed)
    if MODELS[run["model"]] not in PROCESS_KINDS and "start" in run:
        raise UsageError("--start: %s starts no processes (allowed with pyproc, pypool, pyexproc)"
                         % run["model"])
    if "call" in run and MODELS[run["model"]] not in ("exthread", "exproc"):
        raise UsageError("--call: only the executor models (pyexthread, pyexproc) take it")
    wl = workload_of(run["workload"])
    opts = dict(wl.defaults)
    opts.update(parse_pairs(argv[split + 1:], wl.spec, run["workload"]))
    job = Job(run, opts)
    why = refusal(job, wl)
    if why:
        raise UsageError("%s cannot run %s: %s" % (job.model, job.workload, why))
    return job


# ---- the timed region -------------------------------------------------------

def timed(job, wl, state):
    """Run the model over the region; returns (report columns, results,
    the failure message or None)."""
    if hasattr(wl, "results"):
        results = wl.results(job)
    else:
        results = job.ctx.Array("q", job.tasks, lock=False) if job.kind == "process" \
            else [0] * job.tasks
    pool = PoolRun(job, state, job.ctx if job.processes else __import__("threading")) \
        if job.pooled else None
    begin = Snapshot().begin(job.perf_fd)
    failure = None
    try:
        if pool:
            failure = pool.run(job, wl, results)
        elif job.kind == "process":
            failure = run_processes(job, wl, state, results)
        else:
            failure = run_threads(job, wl, state, results)
    finally:
        end = Snapshot().end(job.perf_fd)
        if pool:
            pool.stop(failure is not None)
            end.after_stop(job.perf_fd)
    report = {"wall_ns": end.mono_ns - begin.mono_ns}
    countable = not (job.processes and job.start == "forkserver")
    report.update(usage_delta(begin, end, countable))
    return report, list(results), failure


def run_job(job):
    wl = workload_of(job.workload)
    state = wl.setup(job)
    try:
        report, results, failure = timed(job, wl, state)
        job.run_error = failure
        if failure and not getattr(wl, "expects_death", False):
            raise RunError(failure)
        verdict = wl.verify(job, state, results)
    finally:
        wl.teardown(job, state)
    ops, result, ok = verdict[:3]
    extra = verdict[3] if len(verdict) > 3 else {}
    report.update({"ops": ops, "result": result, "ok": bool(ok)})
    if "pss_kb" in extra:
        report["pss_kb"] = extra["pss_kb"]
    return report, extra.get("notes", "")


# ---- the report ---------------------------------------------------------------------

def send_report(job, report, notes=""):
    """One JSON line on the report fd (stdout when none), notes naming the
    interpreter, the start method of process models and the workload's own."""
    fd = job.report_fd
    report["notes"] = ";".join(n for n in (notes, interpreter_notes(
        job.start if job.processes else None)) if n)
    line = (json.dumps(report, separators=(",", ":")) + "\n").encode()
    if fd < 0:
        sys.stdout.write(line.decode())
        sys.stdout.flush()
        return
    while line:
        line = line[os.write(fd, line):]


# The longest run directory that still leaves room, below the 107 bytes of an
# AF_UNIX socket path, for DIR/pymp-XXXXXXXX/listener-XXXXXXXX.
TEMP_IN_RUN_DIR_MAX = 64


def temp_files_in(tmpdir):
    """multiprocessing's own temporary files (a fork server's pymp-*
    directory and its socket) go into the run's private directory, which
    the driver removes, also after a SIGKILL (by the next run): a process
    killed before its exit handler, such as daemon's SIGKILLed parent with
    its own fork server, otherwise left its pymp-* in /tmp.  Children
    started by spawn or forkserver inherit TMPDIR."""
    if tmpdir and len(tmpdir) <= TEMP_IN_RUN_DIR_MAX:
        os.environ["TMPDIR"] = tmpdir


def keep_stdout_for_report(job):
    """A user's function may print: its output goes to stderr, never into
    the report or a CSV that ptbench writes on stdout (-o -)."""
    sys.stdout.flush()
    if job.report_fd < 0:
        job.report_fd = os.dup(1)
    os.dup2(2, 1)


def main(argv):
    if argv[:1] == ["info"] and len(argv) == 1:
        print(json.dumps({"python": platform.python_version(),
                          "impl": platform.python_implementation(),
                          "gil": 1 if gil_enabled() else 0,
                          "switch_us": round(sys.getswitchinterval() * 1e6),
                          "start_methods": multiprocessing.get_all_start_methods()}))
        return 0
    if argv[:1] == ["userfn-check"]:  # asked by ptbench before a py: workload runs
        return ptpy_userfn.check(argv[1:])
    if argv[:1] == ["mpi-rank"]:  # one rank of the pympi model (ptpy_mpi.py)
        from ptpy_mpi import main as rank_main
        return rank_main(argv[1:], interpreter_notes())
    if argv[:1] != ["run"]:
        raise UsageError("usage: ptpy.py run --workload W --model M --workers N ... -- "
                         "[workload options] | ptpy.py info | ptpy.py mpi-rank ... | "
                         "ptpy.py userfn-check py:REF ...")
    job = parse_job(argv[1:])
    if ptpy_userfn.is_userfn(job.workload):
        keep_stdout_for_report(job)
    temp_files_in(job.tmpdir)
    try:
        report, notes = run_job(job)
    except RunError as e:
        send_report(job, {"ok": False, "error": str(e)})
        return 1
    except Exception as e:  # pylint: disable=broad-except
        send_report(job, {"ok": False, "error": "%s: %s" % (type(e).__name__, e)})
        return 1
    send_report(job, report, notes)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except UsageError as e:
        print("ptpy: %s" % e, file=sys.stderr)
        sys.exit(2)
