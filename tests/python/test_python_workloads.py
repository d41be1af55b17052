"""test_python_workloads.py - every table workload in every Python model,
through build/ptbench (make test-python).

footprint, switch, share, crash, pool, zombie and daemon in pythread,
pyproc, pypool and pythreadpool (where the workload runs in that kind of
model), and cpu, counter, copy and pool in the executor models
(pyexthread, pyexproc) with submit and map.  Each row must have the exact
result its workload must produce (round trips, bytes intact, survivors,
tasks run once, nothing left, daemons alive), at tiny sizes.  Also: the
shared-memory segments of `share --via shm` are gone after success, a
timeout, SIGINT, SIGTERM and a SIGKILLed driver, and a daemon waiting to
be counted ends with a SIGKILLed driver (C's models too).  Correctness only: no
timing is checked.
"""
import os
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

from test_python import PTBENCH, TOP, PythonCase, params_of, processes_mentioning, read_rows

SHM_PREFIX = "ptbench-py."


def py_segments():
    return {e for e in os.listdir("/dev/shm") if e.startswith(SHM_PREFIX)}


class PythonWorkloads(PythonCase):

    def rows_of(self, args, expect_rc=0):
        rc, err, out = self.ptbench(args)
        self.assertEqual(rc, expect_rc, "ptbench %s: exit %d: %s" % (" ".join(args), rc, err))
        rows = read_rows(out)
        self.assertTrue(rows, "no rows")
        return rows

    def check(self, r, result, ops=None):
        what = "%s %s n=%s %s: %s" % (r["workload"], r["model"], r["workers"], r["params"],
                                      r["error"] or r["notes"])
        self.assertEqual((r["ok"], r["error"]), ("1", ""), what)
        self.assertEqual(int(r["result"]), result, what)
        if ops is not None:
            self.assertEqual(int(r["ops"]), ops, what)
        self.assertRegex(r["notes"], r"python=[0-9.]+.*;gil=[01];switch_us=[0-9]+", what)

    def test_gang_workloads_every_model(self):
        rows = self.rows_of(["-w", "footprint,switch,share", "-m", "pythread,pyproc,pypool,pythreadpool",
                             "-n", "2", "--rounds", "40", "--bytes", "100000", "--chunk", "7000"])
        self.assertEqual({(r["workload"], r["model"]) for r in rows},
                         {(w, m) for w in ("footprint", "switch", "share")
                          for m in ("pythread", "pyproc", "pypool", "pythreadpool")})
        for r in rows:
            if r["workload"] == "footprint":
                self.check(r, int(r["result"]), 2)
                self.assertGreater(int(r["result"]), 1000)  # total RSS, kB
                self.assertGreater(int(r["pss_kb"]), 1000)
                self.assertLessEqual(int(r["pss_kb"]), int(r["result"]))
            elif r["workload"] == "switch":
                self.check(r, 40, 40)
            else:
                self.check(r, 100000, 100000)

    def test_switch_channels(self):
        rows = self.rows_of(["-w", "switch", "-m", "pythread,pyproc", "-n", "2",
                             "--via", "pipe,queue,condition", "--rounds", "30"])
        self.assertEqual(len(rows), 6)
        for r in rows:
            self.check(r, 30, 30)

    def test_share_channels(self):
        """Every channel (heap-malloc too) with the work on every byte and
        without (the stamps only): every byte, or every chunk's stamps,
        arrives, and the row carries the timing notes."""
        rows = self.rows_of(["-w", "share", "-m", "pythread", "-n", "1,3", "--consume", "sum,none",
                             "--via", "heap,heap-malloc,queue,pipe,shm", "--bytes", "70001",
                             "--chunk", "4096"])
        rows += self.rows_of(["-w", "share", "-m", "pyproc", "-n", "1,3", "--via", "queue,pipe,shm",
                              "--consume", "sum,none", "--bytes", "70001", "--chunk", "40000"])
        self.assertEqual(len(rows), 20 + 12)
        for r in rows:
            p = params_of(r)
            self.check(r, int(p["bytes"]), int(p["bytes"]))
            notes = dict(kv.split("=", 1) for kv in r["notes"].split(";") if "=" in kv)
            self.assertEqual(int(notes["chunks"]), -(-int(p["bytes"]) // int(p["chunk"])), r["notes"])
            self.assertGreater(int(notes["xfer_ns"]), 0, r["notes"])
            self.assertGreaterEqual(int(notes["handover_ns_per_chunk"]), 0, r["notes"])
            if p["consume"] == "none":
                self.assertEqual(notes["consume_ns_per_chunk"], "0", r["notes"])

    def test_share_short_chunks(self):
        """Chunks shorter than a stamp (8 bytes): the stamps overlap and
        every chunk is still told apart."""
        for chunk in ("1", "7", "9"):
            rows = self.rows_of(["-w", "share", "-m", "pythread", "-n", "2", "--via", "heap,shm",
                                 "--consume", "sum,none", "--bytes", "201", "--chunk", chunk])
            for r in rows:
                self.check(r, 201, 201)

    def test_footprint_start_methods(self):
        for start in ("spawn", "forkserver"):
            rows = self.rows_of(["-w", "footprint,share", "-m", "pyproc,pypool", "-n", "2",
                                 "--py-start", start, "--bytes", "30000", "--chunk", "1000"])
            for r in rows:
                self.assertIn("start=%s" % start, r["notes"])
                self.check(r, 30000 if r["workload"] == "share" else int(r["result"]))

    def test_daemon_forkserver(self):
        # the daemon is the fork server's child: a SIGKILLed P takes it
        # along with neither mechanism; a normal exit runs P's exit handler
        # a SIGKILLed P's own fork server directory (pymp-*) stays in the
        # run's directory, not in /tmp
        pymp = lambda: {d for d in os.listdir(tempfile.gettempdir()) if d.startswith("pymp-")}
        before = pymp()
        rows = self.rows_of(["-w", "daemon", "-m", "pyproc", "-n", "2", "--py-start", "forkserver",
                             "--kill", "pdeathsig,atexit", "--parent-exit", "exit,sigkill",
                             "--bound-ms", "300"])
        self.assertEqual(pymp() - before, set())
        self.assertEqual(len(rows), 4)
        for r in rows:
            survivors = 2 if params_of(r)["parent-exit"] == "sigkill" else 0
            self.check(r, survivors, 2)
            self.assertIn("alive=%d;expected_alive=%d" % (survivors, survivors), r["notes"])

    def test_crash_both_kinds_of_death(self):
        rows = self.rows_of(["-w", "crash", "-m", "pythread,pyproc,pypool,pythreadpool", "-n", "3",
                             "--signal", "segv,abrt,exception", "--steps", "2000"])
        self.assertEqual(len(rows), 12)
        # Pool.apply: the caller waits for the victim's task in turn; with
        # apply_async the others' longer tasks still run when the victim dies
        rows += self.rows_of(["-w", "crash", "-m", "pypool,pythreadpool", "-n", "2", "--submit", "sync,async",
                              "--signal", "segv,exception", "--steps", "1000000"])
        for r in rows:
            how = params_of(r)["signal"]
            threads = r["model"] in ("pythread", "pythreadpool")
            # a hard fault takes the interpreter and every thread; an
            # exception ends one thread, one process or one pool task
            survivors = 0 if threads and how != "exception" else int(r["workers"]) - 1
            self.assertEqual((r["ok"], r["error"]), ("1", ""), r["notes"])
            self.assertEqual(int(r["result"]), survivors, "%s %s: %s" % (r["model"], how, r["notes"]))
            self.assertIn("survivors=%d" % survivors, r["notes"])

    def test_pool_models(self):
        rows = self.rows_of(["-w", "pool", "-m", "pypool,pythreadpool,pyexthread,pyexproc", "-n", "2",
                             "--tasks", "5", "--submit", "sync,async", "--task-us", "200",
                             "--work", "spin,sleep"])
        self.assertEqual(len(rows), 4 * 2 * 2)
        for r in rows:
            self.check(r, 5, 5)
            if params_of(r)["submit"] == "sync":
                self.assertIn("concurrency_max=1;", r["notes"])

    def test_executors_submit_and_map(self):
        for call in ("submit", "map"):
            rows = self.rows_of(["-w", "cpu,counter,copy,pool", "-m", "pyexthread,pyexproc", "-n", "2",
                                 "--tasks", "3", "--submit", "sync,async", "--py-call", call,
                                 "--steps", "1000", "--iters", "5", "--files", "3", "--file-size",
                                 "5000", "--chunk", "1000", "--task-us", "100"])
            self.assertEqual(len(rows), 4 * 2 * 2)
            for r in rows:
                self.assertEqual(params_of(r).get("py-call", "submit"), call)
                want = {"cpu": 3000, "counter": 0, "copy": 15000, "pool": 3}[r["workload"]]
                self.check(r, want)

    def test_zombie(self):
        rows = self.rows_of(["-w", "zombie", "-m", "pythread,pyproc,pythreadpool", "-n", "2",
                             "--children", "4"])
        for r in rows:
            self.check(r, 0, 8)  # nothing left
            self.assertRegex(r["notes"], r"zombies=0;orphans=0;live=0;threads=0;")

    def test_daemon(self):
        rows = self.rows_of(["-w", "daemon", "-m", "pythread,pyproc", "-n", "1", "--bound-ms", "300",
                             "--kill", "pdeathsig,atexit", "--parent-exit", "exit,sigkill"])
        self.assertEqual(len(rows), 8)
        for r in rows:
            p = params_of(r)
            gap = (p["kill"], p["parent-exit"]) == ("atexit", "sigkill")
            self.check(r, 1 if gap else 0, 1)  # Python's daemon=True gap: it outlives a killed parent

    def test_refusals_of_new_workloads(self):
        self.refused(["-w", "footprint", "-m", "pypool", "--submit", "sync"], "--submit async")
        self.refused(["-w", "zombie", "-m", "pypool"], "daemonic")
        self.refused(["-w", "zombie", "-m", "pyproc", "--py-start", "forkserver"], "forkserver")
        self.refused(["-w", "share", "-m", "pythread", "--encode", "1"], "--encode 1")
        self.refused(["-w", "pool", "-m", "pythread"], "pool model")
        old = self.fake_module("python2", "#!/bin/sh\necho 2.7 fork\n")
        os.chmod(old, 0o755)
        self.refused(["-w", "cpu", "-m", "pythread"], "is Python 2.7", env={"PTB_PYTHON": old})

    # ---- nothing left in /dev/shm ------------------------------------------------

    def test_shm_gone_after_success_and_timeout(self):
        before = py_segments()
        self.rows_of(["-w", "share", "-m", "pyproc,pythread", "-n", "2", "--via", "shm",
                      "--bytes", "100000"])
        self.assertEqual(py_segments() - before, set())
        rows = self.rows_of(["-w", "share", "-m", "pyproc", "-n", "2", "--via", "shm",
                             "--bytes", "1099511627776", "--chunk", "1M", "--timeout", "2"], expect_rc=1)
        self.assertIn("timeout", rows[0]["error"])
        self.assertEqual(py_segments() - before, set())

    def interrupted(self, signo):
        """Start a long share --via shm, signal the driver once a segment
        exists, and return the segments left once everything ended."""
        before = py_segments()
        out = os.path.join(self.tmp, "signal-%d.csv" % signo)
        p = subprocess.Popen([PTBENCH, "run", "-q", "-w", "share", "-m", "pyproc", "-n", "2",
                              "--via", "shm", "--bytes", "1099511627776", "--chunk", "1M", "-r", "1",
                              "--warmup", "0", "--tmpdir", self.tmp, "-o", out], cwd=TOP,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             start_new_session=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        try:
            deadline = time.monotonic() + 60
            while not (py_segments() - before) and time.monotonic() < deadline:
                time.sleep(0.05)
            self.assertTrue(py_segments() - before, "no segment appeared")
            p.send_signal(signo)
            p.wait(timeout=60)
        finally:
            if p.poll() is None:
                p.kill()
                p.wait()
        deadline = time.monotonic() + 10  # a killed driver's helpers end on their own
        while (processes_mentioning(self.tmp) or py_segments() - before) and time.monotonic() < deadline:
            time.sleep(0.1)
        return py_segments() - before

    def test_shm_gone_after_signals(self):
        for signo in (signal.SIGINT, signal.SIGTERM):
            self.assertEqual(self.interrupted(signo), set(), signal.Signals(signo).name)

    def test_shm_gone_after_sigkilled_driver(self):
        left = self.interrupted(signal.SIGKILL)
        for d in os.listdir(self.tmp):  # a SIGKILLed driver cannot remove its own
            if d.startswith("ptbench-"):
                shutil.rmtree(os.path.join(self.tmp, d))
        if left:
            # the interpreter's resource tracker did not unlink them: the
            # next driver removes the segments of drivers that are gone
            self.rows_of(["-w", "share", "-m", "pythread", "-n", "1", "--bytes", "1000"])
        self.assertEqual(py_segments() & left, set())


def session_of(sid):
    """{pid: (state, ppid, pgrp)} of the processes in session sid."""
    found = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open("/proc/%s/stat" % name) as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == sid:
                found[int(name)] = (fields[0], int(fields[1]), int(fields[2]))
    return found


def depth_below(pid, top, members):
    """How many parents up from pid to top (None: not below it)."""
    depth = 0
    while pid in members and pid != top:
        pid, depth = members[pid][1], depth + 1
    return depth if pid == top else None


class KilledDriver(PythonCase):
    """A SIGKILLed driver leaves nobody to kill the runner's process group:
    what the workloads start must end by itself, with the runner or the
    interpreter.  A daemon that its parent's exit handler should have ended
    but did not (--kill atexit --parent-exit sigkill: Python's gap) waits
    to be counted until verify's bound: it must end (it waits on a pidfd of
    the runner, or of the interpreter), in C's models and in Python's.  An
    executor's worker processes must end too (they die with the
    interpreter), and a Pool's (end of file on their task queue)."""
    GIVE_UP_S = 60  # a safety net: without the fixes they live for ever

    def wait_for(self, what, predicate, sid):
        deadline = time.monotonic() + self.GIVE_UP_S
        while not predicate():
            self.assertLess(time.monotonic(), deadline, "gave up waiting for %s: session %s"
                            % (what, session_of(sid)))
            time.sleep(0.02)

    def kill_driver_once(self, args, what, started):
        """Run ptbench with args, SIGKILL it once started(driver, session)
        holds, then wait until only zombies are left of its session."""
        type(self).runs += 1
        p = subprocess.Popen([PTBENCH, "run", "-q", "-r", "1", "--warmup", "0", "--tmpdir", self.tmp,
                              "-o", os.path.join(self.tmp, "killed-%d.csv" % self.runs)] + args,
                             cwd=TOP, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             start_new_session=True)
        try:
            def ready():
                if p.poll() is not None:
                    self.fail("ptbench ended with %d: %s" % (p.returncode, p.stderr.read()))
                return started(p.pid, session_of(p.pid))
            self.wait_for(what, ready, p.pid)
            p.kill()
            p.wait()
            self.wait_for("the session to end", lambda: all(
                state == "Z" for state, _, _ in session_of(p.pid).values()), p.pid)
        finally:
            for pid in session_of(p.pid):
                os.kill(pid, signal.SIGKILL)
            if p.poll() is None:
                p.kill()
                p.wait()
            p.stderr.close()
        for d in os.listdir(self.tmp):  # a SIGKILLed driver cannot remove its own
            if d.startswith("ptbench-"):
                shutil.rmtree(os.path.join(self.tmp, d))

    @staticmethod
    def orphaned_daemon(driver, members):
        """The daemon, orphaned by its killed parent, has come back to the
        driver (a child subreaper); it is in the runner's group, not its
        leader (the runner) nor in the driver's (a probe)."""
        return any(ppid == driver and pgrp not in (pid, driver) and state != "Z"
                   for pid, (state, ppid, pgrp) in members.items())

    def test_daemon_c_and_python_models(self):
        for model in ("thread", "fork", "pythread", "pyproc"):
            with self.subTest(model=model):
                self.kill_driver_once(["-w", "daemon", "-m", model, "-n", "1", "--kill", "atexit",
                                       "--parent-exit", "sigkill", "--bound-ms", "600000"],
                                      "the orphaned daemon", self.orphaned_daemon)

    def test_pool_workers(self):
        # driver -> runner -> interpreter -> pool worker: depth 3
        for model in ("pyexproc", "pypool"):
            with self.subTest(model=model):
                self.kill_driver_once(["-w", "pool", "-m", model, "-n", "2", "--tasks", "1000",
                                       "--task-us", "100000", "--work", "sleep"],
                                      "the pool's workers", lambda driver, members: sum(
                                          depth_below(pid, driver, members) == 3
                                          for pid in members) >= 2)


if __name__ == "__main__":
    unittest.main()
