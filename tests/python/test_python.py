"""test_python.py - the Python models through build/ptbench (make test-python).

Every Python model (pythread, pyproc, pypool with both submit modes) runs
every workload it implements (cpu, counter, copy, create) at a tiny size
through the real driver; each row must have ok=1, the exact result the
workload must produce, and notes naming the interpreter.  Also: lost
updates without a lock, the other start methods, refusals (exit status 2,
nothing written), and the failure paths of the external-runner protocol
(lib/external.h) with stand-in modules given as PTB_PYMODULE: no report, a
bad report, a reported error, a hang past --timeout, a failing worker.
pympi (mpi4py ranks) on one host: exact results, the interpreter and
mpi4py in notes, refused without mpi4py, the rank program's bad input.
After every run nothing may be left: no process started from this test's
private directory, no ptbench tmpdir, no new /dev/shm entry.  Correctness
only: no timing is checked.

Run from the top of the tree: PTB_BUILD=build python3 -m unittest discover -s tests/python
"""
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import unittest

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.path.join(TOP, os.environ.get("PTB_BUILD", "build"))
PTBENCH = os.path.join(BUILD, "ptbench")
MODULE = os.path.join(TOP, "bench", "py", "ptpy.py")

TINY = ["--steps", "1000", "--files", "3", "--file-size", "10000", "--chunk", "1000",
        "--iters", "20", "--window-us", "0", "--lock", "mutex", "--count", "5"]
FILES, FILE_SIZE, STEPS, ITERS, COUNT = 3, 10000, 1000, 20, 5


def read_rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def params_of(row):
    return dict(kv.split("=", 1) for kv in row["params"].split(";") if kv)


def shm_entries():
    """Python's named semaphores, heap files and shared memory (multiprocessing),
    and the segments ptpy.py names for the driver (ptbench-py.*)."""
    try:
        return {e for e in os.listdir("/dev/shm") if e.startswith(("sem.mp-", "pym-", "psm_", "ptbench-py."))}
    except FileNotFoundError:
        return set()


def processes_mentioning(text):
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if text in cmd:
            found.append("%s: %s" % (pid, cmd))
    return found


class PythonCase(unittest.TestCase):
    """A private directory, the leftover checks after every test, and the
    helpers every Python test uses."""
    tmp = None

    @classmethod
    def setUpClass(cls):
        if not os.access(PTBENCH, os.X_OK):
            raise unittest.SkipTest("%s not built (make)" % PTBENCH)
        cls.tmp = tempfile.mkdtemp(prefix="ptb-test-python-")
        cls.runs = 0

    @classmethod
    def tearDownClass(cls):
        if cls.tmp:
            shutil.rmtree(cls.tmp, ignore_errors=True)

    def setUp(self):
        self.shm_before = shm_entries()

    def tearDown(self):
        self.assertEqual(processes_mentioning(self.tmp), [], "processes left behind")
        left = [d for d in os.listdir(self.tmp) if d.startswith("ptbench-")]
        self.assertEqual(left, [], "ptbench tmpdirs left behind")
        self.assertEqual(shm_entries() - self.shm_before, set(), "/dev/shm entries left behind")

    # ---- helpers ----------------------------------------------------------

    def ptbench(self, args, env=None):
        """Run ptbench into a fresh CSV; (exit status, stderr, csv path)."""
        type(self).runs += 1
        out = os.path.join(self.tmp, "run-%d.csv" % self.runs)
        full_env = dict(os.environ, **(env or {}))
        p = subprocess.run([PTBENCH, "run", "-q", "--warmup", "0", "-r", "1",
                            "--tmpdir", self.tmp, "-o", out] + args,
                           capture_output=True, text=True, cwd=TOP, env=full_env, timeout=300)
        return p.returncode, p.stderr, out

    def run_ok(self, args, env=None):
        rc, err, out = self.ptbench(args, env)
        self.assertEqual(rc, 0, "ptbench %s: exit %d: %s" % (" ".join(args), rc, err))
        rows = read_rows(out)
        self.assertTrue(rows, "no rows")
        for r in rows:
            what = "%s %s n=%s %s" % (r["workload"], r["model"], r["workers"], r["params"])
            self.assertEqual(r["ok"], "1", "%s: ok=%s error=%s" % (what, r["ok"], r["error"]))
            self.assertEqual(r["error"], "", what)
            start = "" if r["model"] == "pythread" else ";start=" + params_of(r).get("py-start", "fork")
            self.assertRegex(r["notes"], r"(^|;)python=[0-9.]+[^;]*;impl=\w+;gil=[01];switch_us=[0-9]+"
                             r"%s;exe=[/~][^;]+$" % start, what)
            self.assertTrue(int(r["wall_ns"]) > 0, what)
        return rows

    def fake_module(self, name, body):
        path = os.path.join(self.tmp, name)
        with open(path, "w") as f:
            f.write(textwrap.dedent(body))
        return path

    def expect_failed_row(self, module, needle, extra=None):
        rc, err, out = self.ptbench(["-w", "cpu", "-m", "pythread", "-n", "1",
                                     "--steps", "10"] + (extra or []),
                                    env={"PTB_PYMODULE": module})
        self.assertEqual(rc, 1, "exit status %d: %s" % (rc, err))
        rows = read_rows(out)
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0]["ok"], "0")
        self.assertIn(needle, rows[0]["error"])
        return rows[0]

    def refused(self, args, needle, env=None):
        rc, err, out = self.ptbench(args, env)
        self.assertEqual(rc, 2, "%s: exit %d" % (args, rc))
        self.assertIn(needle, err)
        self.assertEqual(len(err.strip().splitlines()), 1, err)
        self.assertFalse(os.path.exists(out), "a refused run wrote %s" % out)


class PythonModels(PythonCase):
    # ---- every model, every workload ------------------------------------------

    def check_result(self, r):
        workers, p = int(r["workers"]), params_of(r)
        tasks = int(p.get("tasks", workers))
        want = {"cpu": tasks * STEPS, "copy": FILES * FILE_SIZE, "counter": 0,
                "create": tasks * COUNT}[r["workload"]]
        ops = {"cpu": tasks * STEPS, "copy": FILES * FILE_SIZE, "counter": tasks * ITERS,
               "create": tasks * COUNT}[r["workload"]]
        what = "%s %s n=%d %s" % (r["workload"], r["model"], workers, r["params"])
        self.assertEqual(int(r["result"]), want, what)
        self.assertEqual(int(r["ops"]), ops, what)
        for column in ("user_ns", "sys_ns", "maxrss_kb", "vol_cs", "invol_cs", "minflt"):
            self.assertNotEqual(r[column], "", "%s: %s empty" % (what, column))

    def test_every_model_every_workload(self):
        rows = self.run_ok(["-w", "cpu,counter,copy,create", "-m", "pythread,pyproc",
                            "-n", "1,2"] + TINY)
        self.assertEqual(len(rows), 4 * 2 * 2)
        rows += self.run_ok(["-w", "cpu,counter,copy", "-m", "pypool", "-n", "1,2",
                             "--tasks", "3", "--submit", "sync,async"] + TINY[:-2])
        seen = set()
        for r in rows:
            self.assertNotIn("py-start", r["params"], "the default start method is not named")
            self.check_result(r)
            seen.add((r["workload"], r["model"]))
        self.assertEqual(len(seen), 4 + 4 + 3)

    def test_lost_updates_without_a_lock(self):
        # seed 004's read / sleep / write: the workers read the same n, so
        # updates are lost in every model.  The window (1 s) is longer than
        # the spread of the workers' start on a loaded machine (processes
        # start one by one), so their windows overlap.
        rows = self.run_ok(["-w", "counter", "-m", "pythread,pyproc,pypool", "-n", "4",
                            "--iters", "1", "--window-us", "1000000", "--lock", "none"])
        for r in rows:
            self.assertTrue(1 <= int(r["result"]) <= 3, "%s: %s lost updates" % (r["model"], r["result"]))

    def test_start_methods(self):
        for start in ("spawn", "forkserver"):
            rows = self.run_ok(["-w", "cpu,counter", "-m", "pyproc,pypool", "-n", "2",
                                "--py-start", start] + TINY[:2] + ["--iters", "3"])
            for r in rows:
                self.assertEqual(params_of(r)["py-start"], start)  # not the default: named
                # forkserver's workers are not our children: rusage missing, never partial
                self.assertEqual(r["user_ns"] == "", start == "forkserver", r["params"])

    # ---- refusals: exit status 2, nothing written ---------------------------------

    def test_refusals(self):
        self.refused(["-w", "counter", "-m", "pythread", "--lock", "spin"], "no spinlock")
        self.refused(["-w", "create", "-m", "pypool"], "daemonic")
        self.refused(["-w", "create", "-m", "pyproc", "--exec", "yes"], "--exec yes")
        self.refused(["-w", "switch", "-m", "pythread", "--via", "futex"], "futex and socketpair are C's")
        self.refused(["-w", "switch", "-m", "pyproc", "--pin", "same"], "--pin is C's")
        self.refused(["-w", "switch", "-m", "thread", "--via", "queue"], "Python's channels")
        self.refused(["-w", "crash", "-m", "fork", "--signal", "exception"], "Python's")
        self.refused(["-w", "share", "-m", "fork", "--via", "queue"], "Python's")
        self.refused(["-w", "share", "-m", "pyproc", "--via", "heap"], "one address space")
        self.refused(["-w", "zombie", "-m", "pyexthread"], "executor models")
        self.refused(["-w", "cpu", "-m", "thread", "--py-start", "spawn"], "--py-start")
        self.refused(["-w", "cpu", "-m", "pyproc", "--py-start", "fork,spawn"], "one value")
        self.refused(["-w", "cpu", "-m", "pyproc", "--py-start", "vfork"], "allowed: fork|spawn|forkserver")
        missing = os.path.join(self.tmp, "no-such-python")
        self.refused(["-w", "cpu", "-m", "pythread"], "PTB_PYTHON", env={"PTB_PYTHON": missing})
        self.refused(["-w", "cpu", "-m", "pythread"], "PTB_PYMODULE",
                     env={"PTB_PYMODULE": os.path.join(self.tmp, "no-such-module.py")})

    def test_all_skips_python_when_missing(self):
        missing = os.path.join(self.tmp, "no-such-python")
        rows = self.run_ok_c(["-w", "cpu", "-m", "all", "-n", "1", "--steps", "1000"],
                             env={"PTB_PYTHON": missing})
        self.assertFalse([r for r in rows if r["model"].startswith("py")])
        self.assertTrue([r for r in rows if r["model"] == "thread"])

    # ---- the interpreter: a launcher in PATH runs once, PTB_PYTHON every time ---------

    def launcher(self, name):
        """A python3 that logs each start to its own file, then execs the
        interpreter the tests run under (a pyenv-like shim)."""
        bindir = os.path.join(self.tmp, name)
        os.mkdir(bindir)
        log = os.path.join(bindir, "starts")
        path = os.path.join(bindir, "python3")
        with open(path, "w") as f:
            f.write('#!/bin/sh\necho start >> "%s"\nexec "%s" "$@"\n' % (log, os.path.realpath(sys.executable)))
        os.chmod(path, 0o700)
        return bindir, path, log

    def starts(self, log):
        with open(log) as f:
            return len(f.read().splitlines())

    def test_launcher_in_path_runs_once(self):
        bindir, _, log = self.launcher("shim")
        env = {"PATH": bindir + os.pathsep + os.environ["PATH"], "PTB_PYTHON": ""}
        rows = self.run_ok(["-w", "cpu", "-m", "pythread,pyproc", "-n", "1,2,3", "--no-verdicts"] + TINY[:2],
                           env=env)
        self.assertEqual(len(rows), 6)
        self.assertEqual(self.starts(log), 1, "the launcher runs for the probe only")
        self.assertNotIn(bindir, {r["notes"].rsplit(";exe=", 1)[1] for r in rows})

    def test_ptb_python_runs_as_given(self):
        _, path, log = self.launcher("wrapper")
        rows = self.run_ok(["-w", "cpu", "-m", "pythread", "-n", "1,2,3", "--no-verdicts"] + TINY[:2],
                           env={"PTB_PYTHON": path})
        self.assertEqual(len(rows), 3)
        self.assertEqual(self.starts(log), 1 + 3, "the probe, then each of the 3 repetitions")

    def run_ok_c(self, args, env=None):
        rc, err, out = self.ptbench(args, env)
        self.assertEqual(rc, 0, err)
        return read_rows(out)

    # ---- the protocol's failure paths ------------------------------------------------

    def test_no_report(self):
        module = self.fake_module("exit3.py", "import sys\nsys.exit(3)\n")
        self.expect_failed_row(module, "exited with status 3 without a report")

    def test_bad_report(self):
        module = self.fake_module("bad.py", """\
            import os, sys
            fd = int(sys.argv[sys.argv.index("--report-fd") + 1])
            os.write(fd, b'{"wall_ns": 1, "ops": 1, "result": 1, "ok": true, "colour": "red"}\\n')
            """)
        self.expect_failed_row(module, 'report: unknown key "colour"')
        module = self.fake_module("trunc.py", """\
            import os, sys
            fd = int(sys.argv[sys.argv.index("--report-fd") + 1])
            os.write(fd, b'{"wall_ns": 1, "ops": 1.5}\\n')
            """)
        self.expect_failed_row(module, 'report: bad value for "ops"')

    def test_reported_error(self):
        module = self.fake_module("err.py", """\
            import os, sys
            fd = int(sys.argv[sys.argv.index("--report-fd") + 1])
            os.write(fd, b'{"ok": false, "error": "boom: the stand-in failed"}\\n')
            sys.exit(1)
            """)
        self.expect_failed_row(module, "boom: the stand-in failed")

    def test_wrong_result_keeps_figures(self):
        module = self.fake_module("wrong.py", """\
            import os, sys
            fd = int(sys.argv[sys.argv.index("--report-fd") + 1])
            os.write(fd, b'{"wall_ns": 5000, "user_ns": null, "ops": 10, "result": 9, "ok": false}\\n')
            """)
        rc, err, out = self.ptbench(["-w", "cpu", "-m", "pythread", "-n", "1", "--steps", "10"],
                                    env={"PTB_PYMODULE": module})
        self.assertEqual(rc, 1, err)
        row = read_rows(out)[0]
        self.assertEqual((row["ok"], row["wall_ns"], row["user_ns"], row["result"], row["error"]),
                         ("0", "5000", "", "9", ""))

    def test_hang_is_killed(self):
        module = self.fake_module("hang.py", """\
            import multiprocessing, time
            if __name__ == "__main__":
                for _ in range(2):
                    multiprocessing.Process(target=time.sleep, args=(3600,)).start()
                time.sleep(3600)
            """)
        self.expect_failed_row(module, "timeout after 1 s", ["--timeout", "1"])

    def test_failing_worker(self):
        # the real module, with task 1 of cpu raising, in every model
        module = self.fake_module("failing.py", """\
            import sys
            sys.path.insert(0, %r)
            import wl_cpu
            plain = wl_cpu.Cpu.task
            def task(steps, t, ntasks):
                if t == 1:
                    raise RuntimeError("task 1 fails on purpose")
                return plain(steps, t, ntasks)
            wl_cpu.Cpu.task = staticmethod(task)
            import ptpy
            sys.exit(ptpy.main(sys.argv[1:]))
            """ % os.path.dirname(MODULE))
        rc, err, out = self.ptbench(["-w", "cpu", "-m", "pythread,pyproc,pypool", "-n", "2",
                                     "--steps", "10"], env={"PTB_PYMODULE": module})
        self.assertEqual(rc, 1, err)
        errors = {r["model"]: r["error"] for r in read_rows(out)}
        self.assertIn("task 1 fails on purpose", errors["pythread"])
        self.assertIn("worker 1 of 2 exited with code 1", errors["pyproc"])
        self.assertIn("task 1 fails on purpose", errors["pypool"])


def mpi4py_python():
    """$PTB_PYTHON, python3 or /usr/bin/python3: the first that imports mpi4py."""
    for name in (os.environ.get("PTB_PYTHON"), "python3", "/usr/bin/python3"):
        path = shutil.which(name) if name else None
        if path and subprocess.run([path, "-I", "-c", "import mpi4py"], stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL).returncode == 0:
            return path
    return None


class PythonMpi(PythonCase):
    """pympi on one host (the 2-host runs and the kills: make test-mpi)."""

    def setUp(self):
        super().setUp()
        if not (os.access(os.path.join(BUILD, "ptbench-mpi"), os.X_OK) and shutil.which("mpirun")):
            self.skipTest("no Open MPI here (ptbench-mpi, mpirun: make deps)")
        self.python = mpi4py_python()
        self.assertIsNotNone(self.python, "no interpreter with mpi4py (make deps: python3-mpi4py)")

    def test_ranks_on_one_host_exact(self):
        rc, err, out = self.ptbench(["-w", "cpu,create,allreduce", "-m", "pympi", "-n", "3",
                                     "--steps", "1000", "--exchanges", "4", "--payload", "24"],
                                    env={"PTB_PYTHON": self.python})
        self.assertEqual(rc, 0, err)
        rows = {r["workload"]: r for r in read_rows(out)}
        self.assertEqual({w: (r["ok"], r["result"]) for w, r in rows.items()},
                         {"cpu": ("1", "3000"), "create": ("1", "3"), "allreduce": ("1", "12")})
        for r in rows.values():
            self.assertRegex(r["notes"], r"^hosts=1;ranks=3;netns=1;nodes=1;btl=vader;python=[0-9.]+;"
                             r"impl=CPython;gil=[01];switch_us=[0-9]+;mpi4py=[0-9.]+;exe=[/~]")

    def test_refused_without_mpi4py(self):
        no_site = os.path.join(self.tmp, "python-no-site")
        with open(no_site, "w") as f:
            f.write('#!/bin/sh\nexec %s -S "$@"\n' % self.python)
        os.chmod(no_site, 0o755)
        self.refused(["-w", "cpu", "-m", "pympi"], "install python3-mpi4py", env={"PTB_PYTHON": no_site})
        self.refused(["-w", "copy", "-m", "pympi"], "implements cpu, create and allreduce")

    def test_rank_program_bad_input(self):
        p = subprocess.run([self.python, "-I", "-B", MODULE, "mpi-rank", "--workload", "share"],
                           capture_output=True, text=True)
        self.assertEqual(p.returncode, 2)
        self.assertEqual(p.stderr.strip(), "ptpy: --workload: unknown value 'share' "
                                           "(allowed: cpu, allreduce, empty)")


if __name__ == "__main__":
    unittest.main()
