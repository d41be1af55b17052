#!/usr/bin/env python3
"""torture.py - interrupt and crash ptbench at random moments; after each
run assert that nothing is left behind and no row is lost.  (`make torture`)

Each run starts build/ptbench in its own session with a random workload
(the crash workload injects a worker's SIGSEGV or abort), C's or the
Python models' (PY_WORKLOADS: every table workload in bench/py), random models and
worker counts, and a private --tmpdir; after a random delay it sends SIGINT,
SIGTERM or SIGKILL (or lets the run finish).  Then it checks:
  - the exit status: 130 for SIGINT, 143 for SIGTERM, 0/1 when not signalled;
  - no process of the run's session remains (workers, runners, daemons);
  - no new /dev/shm object; no ptbench-* directory left in --tmpdir (after
    SIGKILL, the next ptbench run must remove the stale one: checked too);
  - the CSV is the header plus whole rows: every line ends with a newline
    and has as many fields as the header.
Prints the counts; exit 1 if any leftover or lost row was found.

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
SIGNALS = [signal.SIGINT, signal.SIGTERM, signal.SIGKILL, None]


def session_members(sid):
    """Pids of live processes in session sid (zombies included)."""
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == sid:	# field 6 of stat: session
            found.append(int(name))
    return found


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


def one_run(rng, tmp, shm_before):
    args, allowed, workers = rng.choice(WORKLOADS + PY_WORKLOADS)
    args = list(args)
    models = rng.sample(list(allowed), rng.randint(1, len(allowed)))
    out = os.path.join(tmp, "out.csv")
    tmpdir = os.path.join(tmp, "t")
    os.makedirs(tmpdir, exist_ok=True)
    cmd = [PTBENCH, "run", *args, "-m", ",".join(models), "-n", rng.choice(workers),
           "-r", "2", "--warmup", "0", "-q", "--force", "-o", out, "--tmpdir", tmpdir]
    sig = rng.choice(SIGNALS)
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    if sig is not None:
        time.sleep(rng.uniform(0.0, 0.6))
        try:
            proc.send_signal(sig)
        except ProcessLookupError:
            pass
    try:
        _, err = proc.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        _, err = proc.communicate()
        return sig, ["did not end within 120 s"], 0
    problems = []
    rc = proc.returncode
    expected = {signal.SIGINT: (130, 0, 1), signal.SIGTERM: (143, 0, 1),
                signal.SIGKILL: (-9, 0, 1), None: (0, 1)}[sig]
    if rc == -sig_num(sig) and not os.path.exists(out):
        pass    # killed before main() installed its handler: nothing begun
    elif rc not in expected:
        problems.append(f"exit status {rc}, expected one of {expected}: {err.decode()[-200:]}")
    deadline = time.monotonic() + 2.0	# PDEATHSIG and exits take a moment
    while session_members(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.02)
    left = session_members(proc.pid)
    if left:
        problems.append(f"processes left: {left}")
        for pid in left:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    if sig == signal.SIGKILL and os.listdir(tmpdir):
        # the next run must prove the directory stale and remove it
        subprocess.run([PTBENCH, "run", "-w", "cpu", "-m", "thread", "-n", "1", "-r", "1",
                        "--steps", "0", "-q", "--force", "-o", os.path.join(tmp, "next.csv"),
                        "--tmpdir", tmpdir], stdout=subprocess.DEVNULL,
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
    return sig, problems, rows


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
    shm_before = set(os.listdir("/dev/shm"))
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="torture-") as tmp:
        for i in range(a.runs):
            sig, problems, rows = one_run(rng, tmp, shm_before)
            counts["runs"] += 1
            counts[sig.name if sig else "none"] += 1
            counts["rows kept"] += rows
            if problems:
                counts["runs with problems"] += 1
                for p in problems:
                    print(f"torture: run {i} ({sig.name if sig else 'no signal'}): {p}",
                          file=sys.stderr)
    elapsed = time.monotonic() - started
    print(f"torture: seed {seed}, {elapsed:.0f} s: " +
          ", ".join(f"{k} {v}" for k, v in counts.items()))
    print(f"torture: leftovers found {counts['runs with problems']}, rows lost 0 "
          "(every CSV was header + whole rows)" if not counts["runs with problems"] else
          "torture: FAILED")
    return 1 if counts["runs with problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
