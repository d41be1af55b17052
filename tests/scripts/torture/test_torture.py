#!/usr/bin/python3
"""test_torture.py - what scripts/torture.py counts as a run's leftover:
every live process of the run's session, and a zombie whose parent is one
of them; not a zombie whose parent is outside the session (a SIGKILLed
driver's orphan, handed to init, which reaps it when it gets round to it).
And the interpreter it gives ptbench: $PTB_PYTHON, else a path.  And its
user plugins: the crashing and the hanging one build, and a run of each
(thread and fork, no signal) leaves nothing and keeps whole rows; so does
a run of its crashing and its hanging Python function (pythread, pyproc).

Run: /usr/bin/python3 -m unittest discover -s tests/scripts/torture
"""
import os
import random
import subprocess
import sys
import tempfile
import time
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import torture  # noqa: E402

GIVE_UP_S = 60  # a safety net for a process to reach a state, not a measurement


def wait_for(predicate):
    deadline = time.monotonic() + GIVE_UP_S
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("gave up waiting after %d s" % GIVE_UP_S)
        time.sleep(0.01)


class Leftovers(unittest.TestCase):
    def session(self, argv):
        p = subprocess.Popen(argv, start_new_session=True)
        self.addCleanup(self.end, p)
        return p

    @staticmethod
    def end(p):
        try:
            os.killpg(p.pid, 9)
        except ProcessLookupError:
            pass
        p.wait()

    def test_a_live_process_is_a_leftover(self):
        p = self.session(["sleep", "60"])
        self.assertEqual(torture.run_leftovers(p.pid), [p.pid])

    def test_a_zombie_of_a_live_member_is_a_leftover(self):
        # sh starts `true` and becomes sleep, which never reaps it
        p = self.session(["sh", "-c", "true & exec sleep 60"])
        wait_for(lambda: any(state == "Z" for state, _ in torture.session_members(p.pid).values()))
        left = torture.run_leftovers(p.pid)
        self.assertEqual(len(left), 2, torture.session_members(p.pid))
        self.assertIn(p.pid, left)

    def test_a_zombie_handed_outside_the_session_is_not(self):
        # this process is its parent and is outside its session: it stands
        # for init, to which a SIGKILLed driver's children are handed
        p = self.session(["true"])
        os.waitid(os.P_PID, p.pid, os.WEXITED | os.WNOWAIT)  # ended, not reaped
        self.assertEqual(torture.session_members(p.pid), {p.pid: ("Z", os.getpid())})
        self.assertEqual(torture.run_leftovers(p.pid), [])
        self.assertEqual(torture.wait_for_init([p.pid], limit_s=0), 1)
        p.wait()
        self.assertEqual(torture.wait_for_init([p.pid], limit_s=0), 0)


class Interpreter(unittest.TestCase):
    def test_ptb_python_wins(self):
        os.environ["PTB_PYTHON"] = "/opt/some/python3"
        try:
            self.assertEqual(torture.real_python(), "/opt/some/python3")
        finally:
            del os.environ["PTB_PYTHON"]

    def test_else_the_interpreter_behind_python3(self):
        saved = os.environ.pop("PTB_PYTHON", None)
        try:
            path = torture.real_python()
        finally:
            if saved is not None:
                os.environ["PTB_PYTHON"] = saved
        self.assertTrue(os.path.isabs(path), path)
        self.assertTrue(os.access(path, os.X_OK), path)


class Draws(random.Random):
    """The first of everything, and no signal: one run, as chosen."""

    def choice(self, seq):
        return None if seq is torture.SIGNALS else seq[0]

    def sample(self, population, k):
        return list(population)[:k]

    def randint(self, a, b):
        return b


@unittest.skipUnless(os.access(os.path.join(ROOT, torture.PTBENCH), os.X_OK), "ptbench not built")
class Plugins(unittest.TestCase):
    def run_plugin(self, name):
        with tempfile.TemporaryDirectory(prefix="torture-test-") as tmp:
            entries = {e[0][1].rsplit("/", 1)[1]: e for e in torture.plugin_workloads(tmp)}
            args, _, _ = entries[name + ".so"]
            cwd = os.getcwd()
            os.chdir(ROOT)  # PTBENCH is build/ptbench
            try:
                return torture.one_run(Draws(), tmp, set(os.listdir("/dev/shm")), dict(os.environ),
                                       [(args, ("thread", "fork"), ("2",))])
            finally:
                os.chdir(cwd)

    def test_a_crashing_plugin(self):
        sig, problems, rows, _ = self.run_plugin("crash")
        self.assertEqual((sig, problems, rows), (None, [], 4))  # 2 models x -r 2

    def test_a_hanging_plugin(self):
        sig, problems, rows, _ = self.run_plugin("hang")
        self.assertEqual((sig, problems, rows), (None, [], 4))

    def test_plugin_entries(self):
        with tempfile.TemporaryDirectory(prefix="torture-test-") as tmp:
            entries = torture.plugin_workloads(tmp)
            self.assertEqual(sorted(os.listdir(tmp)), ["crash.so", "hang.so"])
        self.assertEqual([e[0][:2] for e in entries],
                         [["-w", "plugin:" + os.path.join(tmp, n)] for n in ("crash.so", "hang.so")])
        self.assertIn("--timeout", entries[1][0])


@unittest.skipUnless(os.access(os.path.join(ROOT, torture.PTBENCH), os.X_OK), "ptbench not built")
class UserFunctions(unittest.TestCase):
    def run_entry(self, function):
        entry = next(e for e in torture.PY_WORKLOADS if e[0][1].startswith(torture.USERFN + function))
        with tempfile.TemporaryDirectory(prefix="torture-test-") as tmp:
            cwd = os.getcwd()
            os.chdir(ROOT)  # PTBENCH is build/ptbench
            try:
                return torture.one_run(Draws(), tmp, set(os.listdir("/dev/shm")),
                                       dict(os.environ, PTB_PYTHON=torture.real_python()),
                                       [(entry[0], ("pythread", "pyproc"), ("2",))])
            finally:
                os.chdir(cwd)

    def test_a_crashing_function(self):
        sig, problems, rows, _ = self.run_entry("segv_last")
        self.assertEqual((sig, problems, rows), (None, [], 8))  # 2 workloads x 2 models x -r 2

    def test_a_hanging_function(self):
        sig, problems, rows, _ = self.run_entry("hang_last")
        self.assertEqual((sig, problems, rows), (None, [], 4))


if __name__ == "__main__":
    unittest.main()
