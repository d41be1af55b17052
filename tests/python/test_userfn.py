"""test_userfn.py - a user's own Python function as a workload, through
build/ptbench (make test-python): `-w py:MODULE:FUNCTION` and
`-w py:path/to/file.py:FUNCTION` with `--py-arg KEY=VALUE`.

The example (examples/python/hashwork.py) gives ok rows with the exact
result and ops in every Python model (pools sync and async, executors by
submit and map, every start method); a module named from PYTHONPATH; the
workload name and params survive the CSV; verify, ops and PTB_OPS_UNIT;
a function that prints never reaches the CSV on stdout.  Bad input (a
missing file, not a .py, a module that fails to import, a missing or
non-callable name, arguments that do not fit, a malformed --py-arg, a C
model) exits 2 with one line and no CSV.  A function that raises, kills
its process (SIGSEGV, os._exit) or hangs (--timeout) gives an ok=0 row
saying so, and the other models and workloads go on.  pympi runs it where
Open MPI and mpi4py are (skipped otherwise); its rank logic is checked
here without MPI.  Nothing is left behind (PythonCase), no core file.
Correctness only: no timing is checked.

Run from the top of the tree: PTB_BUILD=build python3 -m unittest discover -s tests/python
"""
import csv
import hashlib
import io
import os
import shutil
import signal
import subprocess
import sys
import time
import unittest
import zlib

from test_python import MODULE, PTBENCH, TOP, PythonCase, mpi4py_python, read_rows

sys.path.insert(0, os.path.dirname(MODULE))  # the runner's modules, for the unit tests
import ptpy_mpi  # noqa: E402
import ptpy_userfn  # noqa: E402

HASHWORK = "py:examples/python/hashwork.py:sha_block"
HASHWORK_NAME = "py:hashwork:sha_block"  # the rows' workload: the module's name
CASES = "py:tests/python/userfn_cases.py:"
CASES_NAME = "py:userfn_cases:"
JUDGED = "py:tests/python/userfn_judged.py:count"
BLOCK, ROUNDS = 4096, 2
SMALL = ["--py-arg", "block=%d" % BLOCK, "--py-arg", "rounds=%d" % ROUNDS]
PY_MODELS = "pythread,pyproc,pypool,pythreadpool,pyexthread,pyexproc"
SLOW_OK = ["--timeout", "300"]  # a loaded machine starts interpreters slowly
GIVE_UP_S = 120  # a safety net for a process to reach a state, not a measurement


def session_members(sid):
    """The live processes of session sid (zombies are their parents' to reap)."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open("/proc/%s/stat" % pid) as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == sid and fields[0] != "Z":
            found.append(int(pid))
    return found


def wait_for(predicate, what):
    deadline = time.monotonic() + GIVE_UP_S
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("gave up waiting %d s for %s" % (GIVE_UP_S, what))
        time.sleep(0.05)


def hashwork_result(tasks):
    """The row's result for hashwork: CRC-32 of the digests' reprs."""
    crc = 0
    for index in range(tasks):
        data = index.to_bytes(8, "little") + (bytes(range(256)) * (BLOCK // 256 + 1))[:BLOCK - 8]
        h = hashlib.sha256()
        for _ in range(ROUNDS):
            h.update(data)
        crc = zlib.crc32(repr(h.hexdigest()).encode() + b"\n", crc)
    return crc


def tasks_of(row):
    params = dict(kv.split("=", 1) for kv in row["params"].split(";") if kv)
    return int(params.get("tasks", row["workers"]))


class UserFunctions(PythonCase):

    def setUp(self):
        super().setUp()
        self.cores_before = self.cores()

    def tearDown(self):
        super().tearDown()
        self.assertEqual(self.cores() - self.cores_before, set(), "core files left")

    def cores(self):
        return {os.path.join(d, f) for d in (TOP, self.tmp) for f in os.listdir(d)
                if f == "core" or f.startswith("core.")}

    def rows(self, args, expect_rc=0, env=None):
        rc, err, out = self.ptbench(args, env)
        self.assertEqual(rc, expect_rc, "ptbench %s: exit %d: %s" % (" ".join(args), rc, err))
        return read_rows(out)

    def check_hashwork(self, r):
        what = "%s %s n=%s %s: %s" % (r["workload"], r["model"], r["workers"], r["params"], r["error"])
        tasks = tasks_of(r)
        self.assertEqual((r["ok"], r["error"]), ("1", ""), what)
        self.assertEqual(r["workload"], HASHWORK_NAME, what)
        self.assertEqual(int(r["result"]), hashwork_result(tasks), what)
        self.assertEqual(int(r["ops"]), tasks * ROUNDS * BLOCK, what)  # bytes: its ops()
        self.assertTrue(r["notes"].startswith("result=crc32;python="), what)
        self.assertTrue(r["params"].startswith("block=%d;rounds=%d" % (BLOCK, ROUNDS)), what)

    # ---- ok rows --------------------------------------------------------------

    def test_example_in_every_python_model(self):
        rows = self.rows(["-w", HASHWORK, "-m", "pythread,pyproc", "-n", "1,2"] + SMALL)
        rows += self.rows(["-w", HASHWORK, "-m", "pypool,pythreadpool,pyexthread,pyexproc", "-n", "2",
                           "--tasks", "3", "--submit", "sync,async"] + SMALL)
        rows += self.rows(["-w", HASHWORK, "-m", "pyexthread,pyexproc", "-n", "2", "--tasks", "3",
                           "--submit", "sync,async", "--py-call", "map"] + SMALL)
        for r in rows:
            self.check_hashwork(r)
        seen = {(r["model"], r["workers"], "submit=sync" in r["params"], "py-call=map" in r["params"])
                for r in rows}
        self.assertEqual(len(seen), 4 + 4 * 2 + 2 * 2)

    def test_example_with_every_start_method(self):
        for start in ("spawn", "forkserver"):
            rows = self.rows(["-w", HASHWORK, "-m", "pyproc,pypool,pyexproc", "-n", "2",
                              "--py-start", start] + SMALL + SLOW_OK)
            self.assertEqual(len(rows), 3)
            for r in rows:
                self.check_hashwork(r)
                self.assertIn("py-start=%s" % start, r["params"])

    def test_module_from_pythonpath_and_its_keywords(self):
        env = {"PYTHONPATH": os.path.join(TOP, "tests", "python")}
        rows = self.rows(["-w", "py:userfn_cases:square", "-m", "pythread,pyproc", "-n", "3",
                          "--py-arg", "offset=5"], env=env)
        for r in rows:
            self.assertEqual((r["workload"], r["params"], r["ok"]), ("py:userfn_cases:square", "offset=5", "1"))
            self.assertEqual(int(r["result"]), (0 + 1 + 4) + 3 * 5)  # index**2 + offset, summed
            self.assertEqual(int(r["ops"]), 3)  # no ops(): the tasks
            self.assertTrue(r["notes"].startswith("result=sum;"), r["notes"])

    def test_name_and_params_survive_the_csv(self):
        rows = self.rows(["-w", CASES + "keywords", "-m", "pythread", "-n", "1",
                          "--py-arg", "label=a,b=c \"quoted\"", "--py-arg", "path=x/y:z"])
        self.assertEqual(rows[0]["workload"], CASES_NAME + "keywords")
        self.assertEqual(rows[0]["params"], "label=a,b=c \"quoted\";path=x/y:z")
        want = zlib.crc32(repr("label=a,b=c \"quoted\";path=x/y:z").encode() + b"\n")
        self.assertEqual(int(rows[0]["result"]), want)

    def test_verify_ops_and_unit(self):
        rows = self.rows(["-w", JUDGED, "-m", "pythread,pypool", "-n", "2", "--py-arg", "items=7"])
        for r in rows:
            self.assertEqual((r["ok"], r["result"], r["ops"]), ("1", str(7 * tasks_of(r)),
                                                                str(7 * tasks_of(r))))
        rc, err, out = self.ptbench(["-w", JUDGED, "-m", "pythread", "-n", "2", "--py-arg", "want=5"])
        self.assertEqual(rc, 1, err)
        row = read_rows(out)[0]
        self.assertEqual((row["ok"], row["error"], row["result"]), ("0", "", "6"))  # verify: False
        rc, err, out = self.ptbench(["-w", JUDGED, "-m", "pyproc", "-n", "2", "--py-arg", "want=raise"])
        self.assertEqual(rc, 1, err)
        self.assertEqual(read_rows(out)[0]["error"],
                         "verify(results) raised KeyError: 'want cannot be raise'")

    def test_printing_never_reaches_the_csv(self):
        p = subprocess.run([PTBENCH, "run", "-w", CASES + "chatty", "-m", "pythread,pyproc", "-n", "2",
                            "-r", "1", "--warmup", "0", "--tmpdir", self.tmp, "-o", "-"],
                           capture_output=True, text=True, cwd=TOP, timeout=300)
        self.assertEqual(p.returncode, 0, p.stderr)
        rows = list(csv.DictReader(io.StringIO(p.stdout)))
        self.assertEqual([(r["model"], r["ok"], r["result"]) for r in rows],
                         [("pythread", "1", "1"), ("pyproc", "1", "1")])
        self.assertIn("chatty task 1 says hello", p.stderr)
        self.assertNotIn("says hello", p.stdout)

    # ---- bad input: exit 2, one line, no CSV -------------------------------------------

    def test_bad_input(self):
        for args, needle in (
                (["-w", "py:tests/python/no_such.py:f"], "no_such.py: No such file or directory"),
                (["-w", "py:README.md:f"], "README.md is not a Python file"),
                (["-w", "py:tests/python/userfn_fails_import.py:never"],
                 "importing tests/python/userfn_fails_import.py raised RuntimeError: "
                 "this module refuses to be imported"),
                (["-w", "py:no_such_module_here:f"], "no module named 'no_such_module_here'"),
                (["-w", CASES + "no_such_name"], "has no 'no_such_name'"),
                (["-w", CASES + "NOT_CALLABLE"], "userfn_cases.NOT_CALLABLE is int, not callable"),
                (["-w", CASES + "square", "--py-arg", "ofset=1"],
                 "got an unexpected keyword argument 'ofset'"),
                (["-w", CASES + "square", "--py-arg", "offset"], "--py-arg 'offset': not KEY=VALUE"),
                (["-w", CASES + "square", "--py-arg", "2x=1"], "'2x' is not a Python name"),
                (["-w", CASES + "square", "--py-arg", "offset=1;2"], "a value without ';'"),
                (["-w", CASES + "square", "--py-arg", "offset=1", "--py-arg", "offset=2"],
                 "--py-arg offset given twice"),
                (["-w", "cpu", "--py-arg", "offset=1"], "--py-arg: only a Python function's workload"),
                (["-w", "py:tests/python/userfn_cases.py"], "not a function reference"),
                (["-w", CASES + "square", "-m", "thread"], "only the Python models run it"),
                (["-w", JUDGED, "-m", "pympi"], "PTB_INDEPENDENT = False"),
                (["-w", "py:ptpy_common:now_ns"], "a module of ptbench's runner"),
                (["-w", CASES + "square,py:./tests/python/userfn_cases.py:square"], "listed twice")):
            with self.subTest(args=args):
                self.refused(args, needle)
        self.refused(["-w", CASES + "square,py:userfn_cases:square"], "are both workload py:userfn_cases:square",
                     env={"PYTHONPATH": os.path.join(TOP, "tests", "python")})

    def test_all_models_skip_the_c_ones(self):
        rows = self.rows(["-w", CASES + "square", "-m", "all", "-n", "1"])
        self.assertTrue(rows)
        self.assertEqual({r["model"] for r in rows} - set(PY_MODELS.split(",")) - {"pympi"}, set())

    # ---- containment ----------------------------------------------------------------

    def failed(self, function, models, extra=None):
        rc, err, out = self.ptbench(["-w", CASES + function, "-m", models, "-n", "2"] + (extra or SLOW_OK))
        self.assertEqual(rc, 1, err)
        rows = read_rows(out)
        self.assertEqual([r["model"] for r in rows], models.split(","), "every model went on")
        for r in rows:
            self.assertEqual((r["ok"], r["wall_ns"]), ("0", ""), r["model"])
        return {r["model"]: r["error"] for r in rows}

    def test_a_raise_is_a_failed_row_in_every_model(self):
        for model, error in self.failed("raise_last", PY_MODELS).items():
            self.assertEqual(error, "task 1 of 2 raised ValueError: task 1 refuses "
                                    "(userfn_cases.py:21 in raise_last)", model)

    def test_a_crash_is_a_failed_row_with_its_signal(self):
        errors = self.failed("segv_last", PY_MODELS)
        for model in ("pythread", "pythreadpool", "pyexthread"):  # the interpreter itself
            self.assertIn("killed by SIGSEGV without a report", errors[model])
        self.assertEqual(errors["pyproc"], "worker 1 of 2 killed by SIGSEGV")
        for model in ("pypool", "pyexproc"):
            self.assertRegex(errors[model], r"^pool worker [0-9]+ killed by SIGSEGV$")

    def test_os_exit_is_a_failed_row(self):
        errors = self.failed("exit_last", PY_MODELS)
        self.assertIn("exited with status 0 without a report", errors["pythread"])
        self.assertEqual(errors["pyproc"], "task 1 of 2 returned nothing: its worker ended without "
                                           "a result (os._exit?)")
        self.assertRegex(errors["pypool"], r"^pool worker [0-9]+ exited with code 0$")

    def test_unpicklable_result_between_processes(self):
        errors = self.failed("unpicklable", "pyproc")
        self.assertIn("task 0 of 2 returned what pickle cannot carry between processes", errors["pyproc"])

    def test_a_hang_outlives_no_sigkilled_driver(self):
        # a Pool's worker inside a task that never returns, and a forkserver's
        # pyproc worker (the fork server lives while its children do): both
        # end with the interpreter when nobody is left to kill the group
        for model, start in (("pypool", "fork"), ("pyproc", "forkserver")):
            mark = os.path.join(self.tmp, "hanging-%s" % model)
            p = subprocess.Popen([PTBENCH, "run", "-w", CASES + "hang_last", "-m", model, "-n", "2",
                                  "--py-start", start, "--py-arg", "mark=" + mark, "-r", "1",
                                  "--warmup", "0", "-q", "--tmpdir", self.tmp,
                                  "-o", os.path.join(self.tmp, "killed.csv"), "--force"],
                                 cwd=TOP, start_new_session=True, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
            try:
                wait_for(lambda: os.path.exists(mark), "the task to hang")
                p.send_signal(signal.SIGKILL)
                p.wait()
                wait_for(lambda: not session_members(p.pid), "the run's processes to end")
            finally:
                for pid in session_members(p.pid):
                    os.kill(pid, signal.SIGKILL)
            # the next run removes the SIGKILLed driver's directory
            self.rows(["-w", CASES + "square", "-m", "pythread", "-n", "1"])

    def test_a_hang_ends_at_the_timeout_and_the_run_goes_on(self):
        rc, err, out = self.ptbench(["-w", CASES + "hang_last," + CASES + "square", "-m",
                                     "pythread,pyproc,pypool", "-n", "2", "--timeout", "5"])
        self.assertEqual(rc, 1, err)
        rows = read_rows(out)
        hung = [r for r in rows if r["workload"].endswith("hang_last")]
        self.assertEqual([(r["model"], r["ok"], r["error"]) for r in hung],
                         [(m, "0", "timeout after 5 s: killed") for m in ("pythread", "pyproc", "pypool")])
        after = [r for r in rows if r["workload"].endswith("square")]
        self.assertEqual([(r["ok"], r["result"]) for r in after], [("1", "1")] * 3)


class UserFunctionPieces(unittest.TestCase):
    """The runner's rules, without ptbench: the row's result, the keyword
    arguments of verify and ops, the pympi rank's parsing and verdict."""

    def test_row_result(self):
        self.assertEqual(ptpy_userfn.row_result([1, 2, None, True]), (4, "sum"))
        self.assertEqual(ptpy_userfn.row_result([1 << 63]), (-(1 << 63), "sum"))  # wrapped
        self.assertEqual(ptpy_userfn.row_result(["a", 1]),
                         (zlib.crc32(b"1\n", zlib.crc32(b"'a'\n")), "crc32"))

    def test_with_kwargs(self):
        def plain(results):
            return len(results)

        def keyed(results, n="0"):
            return len(results) + int(n)
        self.assertEqual(ptpy_userfn.with_kwargs(plain, [1, 2], {"n": "5"}), 2)
        self.assertEqual(ptpy_userfn.with_kwargs(keyed, [1, 2], {"n": "5"}), 7)

    def test_mpi_rank_parse(self):
        opts = ptpy_mpi.parse(["--workload", "py:m:f", "--workers", "2", "--hosts", "1", "--",
                               "--steps", "x", "--hostfile", "mine", "--hostfile", "", "--mpirun-args", "",
                               "--net-rate", "0", "--net-delay-us", "0"])
        self.assertEqual(opts["kwargs"], {"steps": "x", "hostfile": "mine"})
        self.assertEqual(ptpy_mpi.parse(["--workload", "cpu", "--", "--steps", "7"])["steps"], 7)

    def test_mpi_rank_verdict(self):
        ptpy_mpi.CALL[0] = ptpy_userfn.Call(CASES + "square", {"offset": "1"})
        usage = [0] * 7
        every = [(usage, {0: 1}, None), (usage, {1: 2}, None)]
        self.assertEqual(ptpy_mpi.userfn_verdict({}, every), (2, 3, True, "result=sum"))
        failed = ptpy_userfn.Failed("task 1 of 2 raised ValueError: no")
        every[1] = (usage, {1: failed}, None)
        self.assertEqual(ptpy_mpi.userfn_verdict({}, every), (0, 0, False, failed.message))


class UserFunctionMpi(PythonCase):
    """pympi on one host, where Open MPI and mpi4py are."""

    def setUp(self):
        super().setUp()
        build = os.path.dirname(PTBENCH)
        if not (os.access(os.path.join(build, "ptbench-mpi"), os.X_OK) and shutil.which("mpirun")):
            self.skipTest("no Open MPI here (ptbench-mpi, mpirun: make deps)")
        self.python = mpi4py_python()
        if self.python is None:
            self.skipTest("no interpreter with mpi4py (make deps: python3-mpi4py)")

    def test_ranks_run_the_function(self):
        env = {"PTB_PYTHON": self.python}
        rc, err, out = self.ptbench(["-w", CASES + "square", "-m", "pympi", "-n", "3",
                                     "--py-arg", "offset=2"], env=env)
        self.assertEqual(rc, 0, err)
        square = read_rows(out)[0]
        self.assertEqual((square["ok"], square["result"], square["ops"]), ("1", str(5 + 3 * 2), "3"))
        self.assertIn(";result=sum;python=", square["notes"])
        rc, err, out = self.ptbench(["-w", CASES + "raise_last", "-m", "pympi", "-n", "3"], env=env)
        self.assertEqual(rc, 1, err)
        raised = read_rows(out)[0]
        self.assertEqual((raised["ok"], raised["error"]),
                         ("0", "task 1 of 3 raised ValueError: task 1 refuses (userfn_cases.py:21 in raise_last)"))

    def test_a_crash_and_a_hang_are_failed_rows(self):
        rc, err, out = self.ptbench(["-w", CASES + "segv_last," + CASES + "hang_last," + CASES + "square",
                                     "-m", "pympi", "-n", "2", "--timeout", "10"],
                                    env={"PTB_PYTHON": self.python})
        self.assertEqual(rc, 1, err)
        rows = read_rows(out)
        self.assertEqual([(r["ok"], r["error"] != "") for r in rows], [("0", True), ("0", True), ("1", False)])
        self.assertEqual(rows[1]["error"], "timeout after 10 s: killed")


if __name__ == "__main__":
    unittest.main()
