#!/usr/bin/env python3
"""test_table_signals.py - `python3 -m ptb.table` ended by SIGTERM or
SIGHUP leaves nothing behind, as Ctrl-C does: its temporary directory
(ptb-table-* in TMPDIR) is removed, the ptbench it was running is gone,
nothing is written into the out directory, and the exit status is
128 + the signal.  A stand-in ptbench that only sleeps plays the binary
(no workload runs, no clock is read).

Run: python3 -m unittest discover -s tests/scripts/table   (or `make test-table`)
"""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
GIVE_UP_S = 60  # a safety net for the run to reach its first ptbench, not a measurement


class EndedBySignal(unittest.TestCase):

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="ptb-test-table-signals-")
        self.tmpdir = os.path.join(self.dir, "tmp")
        self.out = os.path.join(self.dir, "out")
        os.mkdir(self.tmpdir)
        os.mkdir(self.out)
        self.asked = os.path.join(self.dir, "asked")
        self.ptbench = os.path.join(self.dir, "ptbench")
        with open(self.ptbench, "w") as f:
            f.write('#!/bin/sh\necho $$ > "%s"\nexec sleep 300\n' % self.asked)
        os.chmod(self.ptbench, 0o700)

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def end_with(self, sig):
        env = dict(os.environ, TMPDIR=self.tmpdir,
                   PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
        p = subprocess.Popen([sys.executable, "-m", "ptb.table", "--ptbench", self.ptbench,
                              "--build-dir", self.dir, "--out-dir", self.out],
                             cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + GIVE_UP_S
        while not os.path.exists(self.asked) and p.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertTrue(os.path.exists(self.asked), "ptb.table never ran its ptbench")
        self.assertTrue([e for e in os.listdir(self.tmpdir) if e.startswith("ptb-table-")])
        with open(self.asked) as f:
            asked = int(f.read())
        p.send_signal(sig)
        _, err = p.communicate(timeout=GIVE_UP_S)
        self.assertEqual(p.returncode, 128 + sig, err)
        self.assertEqual(os.listdir(self.tmpdir), [], "temporary files left")
        self.assertEqual(os.listdir(self.out), [], "something written")
        self.assertFalse(os.path.exists("/proc/%d" % asked), "its ptbench outlived it")

    def test_sigterm(self):
        self.end_with(signal.SIGTERM)

    def test_sighup(self):
        self.end_with(signal.SIGHUP)


if __name__ == "__main__":
    unittest.main()
