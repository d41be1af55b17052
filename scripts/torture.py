#!/usr/bin/env python3
"""torture.py - interrupt and crash ptbench at random moments; after each
run assert that nothing is left behind and no row is lost.  (`make torture`)

Each run starts build/ptbench in its own session with a random workload
(the crash workload injects a worker's SIGSEGV or abort), C's or the
Python models' (PY_WORKLOADS: every table workload in bench/py), or a
user's plugin that crashes or hangs (PLUGINS: built from
tests/plugin/plugins.c with cc at the start, into the temporary
directory; the hanging one ended by --timeout 1), or a user's Python
function that crashes or hangs (USERFN: tests/python/userfn_cases.py as
-w py:FILE.py:FUNCTION, in the Python models), random models and
worker counts, and a private --tmpdir; after a random delay it sends SIGINT,
SIGTERM or SIGKILL (or lets the run finish).  Then it checks:
  - the exit status: 130 for SIGINT, 143 for SIGTERM, 0/1 when not signalled;
  - no process of the run's session remains (workers, runners, daemons),
    within 2 s; a zombie handed to init counts only as init's to reap;
  - no new /dev/shm object; no ptbench-* directory left in --tmpdir (after
    SIGKILL, the next ptbench run must remove the stale one: checked too);
  - the CSV is the header plus whole rows: every line ends with a newline
    and has as many fields as the header.
Prints the counts; exit 1 if any leftover or lost row was found.

The Python models run under $PTB_PYTHON when set, else under the
interpreter that `python3` in PATH resolves to (its sys.executable), given
to ptbench by path.  A wrapper in between, such as pyenv's shim, runs helper
commands of its own that a SIGKILLed ptbench cannot take with it (they are
not its children and end by themselves, within seconds); they are the
wrapper's, and checking for them would make this check fail at random.

Usage: scripts/torture.py [--runs N] [--seed S]
"""
import argparse
import csv
import io
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

PTBENCH = os.environ.get("PTBENCH", "build/ptbench")

C_MODELS = ("thread", "fork", "threadpool", "procpool")
ANY_N = ("1", "2", "1,3")
# (workload arguments, the models it may run in, worker counts)
WORKLOADS = [
    (["-w", "counter", "--iters", "50", "--window-us", "2000", "--lock", "mutex,none"], C_MODELS, ANY_N),
    (["-w", "cpu", "--steps", "1e7"], C_MODELS, ANY_N),
    (["-w", "copy", "--files", "4", "--file-size", "256k"], C_MODELS, ANY_N),
    (["-w", "crash", "--steps", "1e6", "--signal", "segv,abrt"], C_MODELS, ANY_N),
    (["-w", "daemon"], C_MODELS, ANY_N),
    (["-w", "zombie", "--children", "4"], C_MODELS, ANY_N),
]
# The Python models (bench/py): every table workload, and the executors;
# share --via shm leaves multiprocessing.shared_memory segments to clean.
PY_THREADS_PROCS = ("pythread", "pyproc")
PY_WORKLOADS = [
    (["-w", "share", "--via", "shm,queue,pipe", "--bytes", "8M"], PY_THREADS_PROCS, ANY_N),
    (["-w", "switch", "--via", "pipe,queue,condition", "--rounds", "3000"], PY_THREADS_PROCS, ("2",)),
    (["-w", "footprint"], PY_THREADS_PROCS, ANY_N),
    (["-w", "crash", "--steps", "1e5", "--signal", "segv,abrt,exception"],
     ("pythread", "pyproc", "pypool", "pythreadpool"), ANY_N),
    (["-w", "pool", "--tasks", "8", "--task-us", "2000", "--submit", "sync,async"],
     ("pypool", "pythreadpool", "pyexthread", "pyexproc"), ANY_N),
    (["-w", "zombie", "--children", "4"], ("pythread", "pyproc", "pythreadpool"), ANY_N),
    (["-w", "daemon", "--bound-ms", "300"], PY_THREADS_PROCS, ("1", "2")),
    (["-w", "cpu,counter", "--steps", "1e5", "--iters", "20"],
     ("pyexthread", "pyexproc", "pythread", "pyproc", "pypool"), ANY_N),
]
# A user's plugin (-w plugin:PATH.so) that crashes (the last task's
# SIGSEGV) or hangs (every task sleeps for ever, ended by --timeout): the
# -D flags of tests/plugin/plugins.c, and the arguments besides -w.
PLUGINS = [
    ("crash", ["-DTEST_CRASH", '-DTEST_NAME="crash"'], ["--steps", "1e6"]),
    ("hang", ["-DTEST_HANG", '-DTEST_NAME="hang"'], ["--timeout", "1"]),
]
SIGNALS = [signal.SIGINT, signal.SIGTERM, signal.SIGKILL, None]
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
# A user's Python function (-w py:FILE.py:FUNCTION) whose task 1 kills its
# process with SIGSEGV (beside a function that returns), or never returns
# (ended by --timeout 1).
USERFN = "py:" + os.path.join(ROOT, "tests", "python", "userfn_cases.py") + ":"
PY_WORKLOADS += [
    (["-w", USERFN + "segv_last," + USERFN + "square"],
     ("pythread", "pyproc", "pypool", "pythreadpool", "pyexproc"), ("2", "1,3")),
    (["-w", USERFN + "hang_last", "--timeout", "1"], ("pythread", "pyproc", "pypool"), ("2",)),
]


def plugin_workloads(tmp):
    """Build PLUGINS into tmp (cc -shared -fPIC against include/); their
    WORKLOADS entries, in the C models."""
    entries = []
    for name, defines, args in PLUGINS:
        so = os.path.join(tmp, name + ".so")
        cmd = [os.environ.get("CC", "cc"), "-shared", "-fPIC", "-O1", "-I", os.path.join(ROOT, "include"),
               *defines, "-o", so, os.path.join(ROOT, "tests", "plugin", "plugins.c")]
        try:
            subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=120)
        except (OSError, subprocess.SubprocessError) as e:
            sys.exit(f"torture: cannot build the {name} plugin ({' '.join(cmd)}): "
                     f"{getattr(e, 'stderr', '') or e}")
        entries.append((["-w", "plugin:" + so, *args], C_MODELS, ANY_N))
    return entries


def real_python():
    """$PTB_PYTHON, or the interpreter behind python3 in PATH (a path)."""
    if os.environ.get("PTB_PYTHON"):
        return os.environ["PTB_PYTHON"]
    try:
        out = subprocess.run(["python3", "-I", "-c", "import sys; print(sys.executable)"],
                             capture_output=True, text=True, check=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as e:
        sys.exit(f"torture: cannot ask python3 in PATH where it is ({e}): set PTB_PYTHON")
    return out.stdout.strip()


def stat_fields(pid):
    """/proc/PID/stat after the command name (state, ppid, pgrp, session,
    ...), or None when the process is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None


def session_members(sid):
    """{pid: (state, ppid)} of the processes in session sid, zombies included."""
    found = {}
    for name in os.listdir("/proc"):
        fields = stat_fields(name) if name.isdigit() else None
        if fields and int(fields[3]) == sid:	# field 6 of stat: session
            found[int(name)] = (fields[0], int(fields[1]))
    return found


def run_leftovers(sid):
    """The processes of session sid that the run failed to end: every live
    one, and a zombie whose parent is one of them.  A zombie whose parent is
    outside the session was handed to the machine's init when its parent
    died (a SIGKILLed driver's orphans): it has ended, and reaping it is
    init's job (this VM's init reaps only every two seconds or so)."""
    members = session_members(sid)
    return sorted(pid for pid, (state, ppid) in members.items()
                  if state != "Z" or ppid in members)


def wait_for_init(sids, limit_s=10.0):
    """Wait (up to limit_s) until init has reaped the runs' orphaned
    zombies, so that the leftover checks after this one find none; the
    number still there."""
    deadline = time.monotonic() + limit_s
    while True:
        left = sum(len(session_members(sid)) for sid in sids)
        if not left or time.monotonic() >= deadline:
            return left
        time.sleep(0.1)


def describe(pid):
    """'PID STATE ppid PPID: COMMAND LINE' of a leftover, for the report."""
    fields = stat_fields(pid)
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            argv = f.read().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        fields = None
    if fields is None:
        return f"{pid} (gone)"
    return f"{pid} {fields[0]} ppid {fields[1]}: {argv[:120] or '(no command line)'}"


def kill_all(pids):
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def whole_rows(path):
    """(rows, problems) of a ptbench CSV written while being killed."""
    if not os.path.exists(path):
        return 0, []
    with open(path, "rb") as f:
        data = f.read()
    if not data:
        return 0, []
    if not data.endswith(b"\n"):
        return 0, ["last line is not whole"]
    rows = list(csv.reader(io.StringIO(data.decode())))
    width = len(rows[0])
    bad = [i for i, r in enumerate(rows) if len(r) != width]
    return len(rows) - 1, [f"row {i} has {len(rows[i])} fields, header {width}" for i in bad]


def sig_num(sig):
    return int(sig) if sig is not None else 0


def one_run(rng, tmp, shm_before, env, candidates):
    """One run of a workload drawn from candidates (WORKLOADS entries):
    (signal, problems, rows kept, session id)."""
    args, allowed, workers = rng.choice(candidates)
    args = list(args)
    models = rng.sample(list(allowed), rng.randint(1, len(allowed)))
    out = os.path.join(tmp, "out.csv")
    tmpdir = os.path.join(tmp, "t")
    os.makedirs(tmpdir, exist_ok=True)
    cmd = [PTBENCH, "run", *args, "-m", ",".join(models), "-n", rng.choice(workers),
           "-r", "2", "--warmup", "0", "-q", "--force", "-o", out, "--tmpdir", tmpdir]
    sig = rng.choice(SIGNALS)
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True, env=env)
    if sig is not None:
        time.sleep(rng.uniform(0.0, 0.6))
        try:
            proc.send_signal(sig)
        except ProcessLookupError:
            pass
    try:
        _, err = proc.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        # every process of the session: the runner's group is not the
        # driver's, and whatever holds stderr keeps communicate() waiting
        left = run_leftovers(proc.pid)
        described = "; ".join(describe(pid) for pid in left)
        kill_all(left)
        proc.communicate()
        return sig, ["did not end within 120 s: " + described], 0, proc.pid
    problems = []
    rc = proc.returncode
    expected = {signal.SIGINT: (130, 0, 1), signal.SIGTERM: (143, 0, 1),
                signal.SIGKILL: (-9, 0, 1), None: (0, 1)}[sig]
    if rc == -sig_num(sig) and not os.path.exists(out):
        pass    # killed before main() installed its handler: nothing begun
    elif rc not in expected:
        problems.append(f"exit status {rc}, expected one of {expected}: {err.decode()[-200:]}")
    deadline = time.monotonic() + 2.0	# PDEATHSIG and exits take a moment
    while run_leftovers(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.02)
    left = run_leftovers(proc.pid)
    if left:
        problems.append("processes left: " + "; ".join(describe(pid) for pid in left))
        kill_all(left)
    if sig == signal.SIGKILL and os.listdir(tmpdir):
        # the next run must prove the directory stale and remove it
        subprocess.run([PTBENCH, "run", "-w", "cpu", "-m", "thread", "-n", "1", "-r", "1",
                        "--steps", "0", "-q", "--force", "-o", os.path.join(tmp, "next.csv"),
                        "--tmpdir", tmpdir], stdout=subprocess.DEVNULL, env=env,
                       stderr=subprocess.DEVNULL, check=False)
    if os.listdir(tmpdir):
        problems.append(f"temporary files left: {os.listdir(tmpdir)}")
        shutil.rmtree(tmpdir, ignore_errors=True)
    shm_now = set(os.listdir("/dev/shm"))
    if shm_now - shm_before:
        problems.append(f"/dev/shm objects left: {sorted(shm_now - shm_before)}")
    rows, row_problems = whole_rows(out)
    problems += row_problems
    for name in ("out.csv", "out.meta.json", "next.csv", "next.meta.json"):
        path = os.path.join(tmp, name)
        if os.path.exists(path):
            os.unlink(path)
    return sig, problems, rows, proc.pid


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--seed", type=int, default=None)
    a = ap.parse_args()
    if a.runs < 1:
        print("torture: --runs must be at least 1", file=sys.stderr)
        return 2
    seed = a.seed if a.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    counts = {"runs": 0, "SIGINT": 0, "SIGTERM": 0, "SIGKILL": 0, "none": 0,
              "rows kept": 0, "runs with problems": 0}
    env = dict(os.environ, PTB_PYTHON=real_python())
    shm_before = set(os.listdir("/dev/shm"))
    started = time.monotonic()
    sids = []
    with tempfile.TemporaryDirectory(prefix="torture-") as tmp:
        candidates = WORKLOADS + PY_WORKLOADS + plugin_workloads(tmp)
        for i in range(a.runs):
            sig, problems, rows, sid = one_run(rng, tmp, shm_before, env, candidates)
            sids.append(sid)
            counts["runs"] += 1
            counts[sig.name if sig else "none"] += 1
            counts["rows kept"] += rows
            if problems:
                counts["runs with problems"] += 1
                for p in problems:
                    print(f"torture: run {i} ({sig.name if sig else 'no signal'}): {p}",
                          file=sys.stderr)
    unreaped = wait_for_init(sids)
    if unreaped:
        print(f"torture: {unreaped} ended processes of the runs are still waiting for init "
              "to reap them", file=sys.stderr)
    elapsed = time.monotonic() - started
    print(f"torture: seed {seed}, Python {env['PTB_PYTHON']}, {elapsed:.0f} s: " +
          ", ".join(f"{k} {v}" for k, v in counts.items()))
    print(f"torture: leftovers found {counts['runs with problems']}, rows lost 0 "
          "(every CSV was header + whole rows)" if not counts["runs with problems"] else
          "torture: FAILED")
    return 1 if counts["runs with problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
