"""ptpy_mpi.py - one rank of the pympi model: CPython ranks with mpi4py,
started by the mpi model's launcher (bench/mpi/launch.c) through mpirun on
one host or across hosts (network namespaces, or a --hostfile).

  PYTHON -I -B ptpy.py mpi-rank --workload cpu|allreduce|empty|py:REF [--NAME VALUE...]

It is bench/mpi/rank.c in Python: each rank times its own region between
two barriers after MPI_Init (done by `from mpi4py import MPI`), and rank 0
prints one line on stdout, which mpirun forwards to the launcher:

  PTBMPI wall_ns user_ns sys_ns maxrss_kb vol_cs invol_cs minflt majflt
         ops result ok netns nodes NOTES

with the same meaning as the C ranks' (rusage deltas summed over the
ranks, maxrss the largest; netns/nodes: distinct network namespaces and
host names the ranks ran in), then the interpreter's notes (python=,
impl=, gil=, switch_us=, mpi4py=, exe=), which the launcher appends to the
row's.  Options not listed here are other workloads' and ignored, as in C.

Workloads (the same parameters and checks as the C ranks):
  cpu        each rank runs seed 002's loop (wl_cpu.py, the other Python
             models' own) for --steps; the counts are summed (comm.reduce)
             and must equal ranks x steps exactly.
  allreduce  --exchanges rounds of: the loop for --steps, then
             comm.Allreduce (MPI.SUM) of --payload bytes as unsigned 64-bit
             elements (array.array('Q'), no numpy), then every element of
             the sum checked against bench/allreducedata.h's formula;
             result = rounds whose sum was right, summed over the ranks.
  empty      MPI_Init, count the ranks, MPI_Finalize: the job the launcher
             times for `create`.
  py:REF     a user's function (ptpy_userfn.py): rank r runs task r, i.e.
             FUNCTION(r, **kwargs), the keyword arguments being the options
             after `--` (less the mpi model's own, which lib/model_mpi.c
             adds last: MODEL_OPTS); the values are gathered on rank 0
             (pickled), judged as in the other Python models (verify, ops,
             the sum or CRC-32), and a task's exception makes ok 0 with
             error=MESSAGE first in the notes, which the launcher makes
             the row's error (a PTBMPI line has no error field).  ptbench
             runs it only when the module does not say
             PTB_INDEPENDENT = False.
Bad input: one line on stderr, exit status 2 (ptpy.py's UsageError)."""

import array
import os
import pickle
import resource
import socket
import sys

from ptpy_common import RunError, UsageError, count_opt, choice_opt, interpreter_path, no_core_dumps, now_ns
import ptpy_userfn
from wl_cpu import Cpu


def workload_name(name, value):
    """One of the ranks' workloads, or a user's function (py:REF)."""
    if ptpy_userfn.is_userfn(value):
        return value
    return choice_opt("cpu", "allreduce", "empty")(name, value)


SPEC = {"workload": workload_name, "steps": count_opt(),
        "exchanges": count_opt(), "payload": count_opt()}
DEFAULTS = {"workload": "cpu", "steps": 1000, "exchanges": 1, "payload": 8}
U64 = (1 << 64) - 1
# The mpi model's own options, which lib/model_mpi.c passes after the
# workload's: not a user function's keyword arguments.
MODEL_OPTS = ("hostfile", "mpirun-args", "net-rate", "net-delay-us")
ERROR_NOTE_MAX = 120  # characters of a task's error in the notes


def pairs_of(args):
    if len(args) % 2:
        raise UsageError("mpi-rank: options come as --NAME VALUE pairs")
    for name in args[::2]:
        if not name.startswith("--"):
            raise UsageError("mpi-rank: '%s' is not an option (--NAME VALUE pairs)" % name)
    return [(name[2:], value) for name, value in zip(args[::2], args[1::2])]


def keyword_arguments(pairs):
    """A user function's arguments: the pairs after `--` less the model's
    options at their end (a user's own --hostfile comes before them)."""
    pairs, stripped = list(pairs), set()
    while pairs and pairs[-1][0] in MODEL_OPTS and pairs[-1][0] not in stripped:
        stripped.add(pairs.pop()[0])
    return dict(pairs)


def parse(argv):
    """--NAME VALUE pairs; names not in SPEC belong to other workloads (or,
    after `--`, are a user function's keyword arguments)."""
    opts = dict(DEFAULTS)
    split = argv.index("--") if "--" in argv else len(argv)
    run, rest = pairs_of(argv[:split]), pairs_of([a for a in argv[split + 1:] if a != "--"])
    for name, value in run:
        if name in SPEC:
            opts[name] = SPEC[name](name, value)
    if ptpy_userfn.is_userfn(opts["workload"]):
        opts["kwargs"] = keyword_arguments(rest)
        return opts
    for name, value in rest:
        if name in SPEC:
            opts[name] = SPEC[name](name, value)
    if opts["payload"] % 8:
        raise UsageError("--payload: %d is not a multiple of 8" % opts["payload"])
    return opts


# ---- the workloads -----------------------------------------------------------

def contribution(counted, rank, rnd, k):
    """bench/allreducedata.h ar_contribution, in uint64 arithmetic."""
    return (counted + (rank + 1) * (rnd + 1) + k) & U64


def expected(steps, ranks, rnd, k):
    """bench/allreducedata.h ar_expected."""
    return (ranks * steps + (rnd + 1) * ranks * (ranks + 1) // 2 + ranks * k) & U64


def run_cpu(opts, comm):
    return opts["steps"] * comm.Get_size(), Cpu.task(opts["steps"], 0, 1)


def run_allreduce(opts, comm, mpi):
    rank, ranks = comm.Get_rank(), comm.Get_size()
    elems = opts["payload"] // 8
    mine, total = array.array("Q", bytes(8 * elems)), array.array("Q", bytes(8 * elems))
    ok = 0
    for rnd in range(opts["exchanges"]):
        counted = Cpu.task(opts["steps"], 0, 1)
        for k in range(elems):
            mine[k] = contribution(counted, rank, rnd, k)
        comm.Allreduce([mine, mpi.UINT64_T], [total, mpi.UINT64_T], op=mpi.SUM)
        ok += all(total[k] == expected(opts["steps"], ranks, rnd, k) for k in range(elems))
    return opts["exchanges"], ok


# ---- where the ranks ran, and the report ----------------------------------------

def distinct(comm, value):
    """How many distinct values the ranks hold (on rank 0; 0 elsewhere)."""
    every = comm.gather(value, root=0)
    return len(set(every)) if every is not None else 0


def placement(comm):
    return (distinct(comm, os.stat("/proc/self/ns/net").st_ino),
            distinct(comm, socket.gethostname()))


def usage_delta(r0, r1):
    """user_ns sys_ns maxrss_kb vol_cs invol_cs minflt majflt of this rank."""
    return [round(r1.ru_utime * 1e6) * 1000 - round(r0.ru_utime * 1e6) * 1000,
            round(r1.ru_stime * 1e6) * 1000 - round(r0.ru_stime * 1e6) * 1000,
            r1.ru_maxrss, r1.ru_nvcsw - r0.ru_nvcsw, r1.ru_nivcsw - r0.ru_nivcsw,
            r1.ru_minflt - r0.ru_minflt, r1.ru_majflt - r0.ru_majflt]


def report(values, notes, out=None):
    out = out or sys.stdout
    out.write("PTBMPI %s %s\n" % (" ".join(str(int(v)) for v in values), notes))
    out.flush()


def timed(opts, comm, mpi):
    """The region between two barriers: (wall_ns, usage deltas, ops, result)."""
    comm.Barrier()
    r0, t0 = resource.getrusage(resource.RUSAGE_SELF), now_ns()
    if opts["workload"] == "cpu":
        ops, result = run_cpu(opts, comm)
    else:
        ops, result = run_allreduce(opts, comm, mpi)
    comm.Barrier()
    wall_ns = now_ns() - t0
    return wall_ns, usage_delta(r0, resource.getrusage(resource.RUSAGE_SELF)), ops, result


def picklable(value, t, ranks):
    """value, or a Failed when it cannot travel to rank 0."""
    try:
        pickle.dumps(value)
    except Exception as e:  # pylint: disable=broad-except
        return ptpy_userfn.Failed.unpicklable(t, ranks, e)
    return value


def userfn_verdict(opts, every):
    """(ops, result, ok, note) on rank 0 from every rank's (usage, values, error)."""
    setup_error = next((x[2] for x in every if x[2]), None)
    values = {}
    for x in every:
        values.update(x[1])
    results = [values.get(t) for t in range(len(every))]
    error = setup_error or ptpy_userfn.failure_of(results)
    if error:
        return 0, 0, False, error
    try:
        ops, result, ok, note = ptpy_userfn.judge(CALL[0], results)
    except RunError as e:
        return 0, 0, False, str(e)
    return ops, result, ok, note


CALL = [None]  # this rank's ptpy_userfn.Call (also rank 0's, for the verdict)


def run_userfn(opts, comm, notes):
    """Each rank runs its task between the barriers; rank 0 judges."""
    rank, ranks = comm.Get_rank(), comm.Get_size()
    sys.stdout.flush()
    out = os.fdopen(os.dup(1), "w")  # the report's; what the function prints goes to stderr
    os.dup2(2, 1)
    no_core_dumps()  # a function that crashes leaves no core file
    error = None
    try:
        CALL[0] = ptpy_userfn.Call(opts["workload"], opts["kwargs"])
    except RunError as e:
        error = str(e)
    comm.Barrier()
    r0, t0 = resource.getrusage(resource.RUSAGE_SELF), now_ns()
    values = {t: picklable(CALL[0](t, ranks), t, ranks)
              for t in range(rank, ranks, ranks)} if CALL[0] else {}
    comm.Barrier()
    wall_ns = now_ns() - t0
    d = usage_delta(r0, resource.getrusage(resource.RUSAGE_SELF))
    netns, nodes = placement(comm)
    every = comm.gather((d, values, error), root=0)
    if rank != 0:
        return
    sums = [sum(x[0][i] for x in every) for i in range(7)]
    sums[2] = max(x[0][2] for x in every)   # maxrss_kb: the largest rank
    ops, result, ok, note = userfn_verdict(opts, every)
    if not ok and note and not note.startswith("result="):
        note = "error=" + note.replace(";", ",")[:ERROR_NOTE_MAX]
    report([wall_ns] + sums + [ops, result, int(ok), netns, nodes], "%s;%s" % (note, notes), out)


def run_rank(opts, comm, mpi, notes):
    ranks = comm.Get_size()
    if ptpy_userfn.is_userfn(opts["workload"]):
        run_userfn(opts, comm, notes)
        return
    if opts["workload"] == "empty":
        counted = comm.reduce(1, op=mpi.SUM, root=0)
        netns, nodes = placement(comm)
        if comm.Get_rank() == 0:
            report([-1] * 8 + [counted, counted, 1, netns, nodes], notes)
        return
    wall_ns, d, ops, result = timed(opts, comm, mpi)
    netns, nodes = placement(comm)
    every = comm.gather((d, result), root=0)
    if comm.Get_rank() != 0:
        return
    sums = [sum(x[0][i] for x in every) for i in range(7)]
    sums[2] = max(x[0][2] for x in every)   # maxrss_kb: the largest rank
    total = sum(x[1] for x in every)
    if opts["workload"] == "cpu":
        ok = total == ops
    else:
        ok = total == opts["exchanges"] * ranks
    report([wall_ns] + sums + [ops, total, int(ok), netns, nodes], notes)


def main(argv, interpreter_notes):
    """ptpy.py mpi-rank: parse, MPI_Init, run, report; the exit status."""
    opts = parse(argv)
    try:
        import mpi4py
        mpi4py.rc.threads = False   # MPI_Init, not MPI_Init_thread: one thread per rank, as C
        from mpi4py import MPI
    except ImportError as e:
        raise UsageError("the pympi model needs mpi4py (%s): install python3-mpi4py and set "
                         "PTB_PYTHON to an interpreter that has it" % e) from None
    notes = "%s;mpi4py=%s;%s" % (interpreter_notes.rsplit(";exe=", 1)[0], mpi4py.__version__,
                                 "exe=" + interpreter_path())
    comm = MPI.COMM_WORLD
    run_rank(opts, comm, MPI, notes)
    return 0
