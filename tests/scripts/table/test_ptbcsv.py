#!/usr/bin/env python3
"""test_ptbcsv.py - the one CSV reader (scripts/csvio.py) and the scripts
that read ptbench's CSV through it: schema and version, empty is missing,
bad input as one line and exit status 2, and one line with exit status 2
when scipy is missing.  Synthetic files only; nothing is measured.

Run: python3 -m unittest discover -s tests/scripts/table   (or `make test-table`)
"""
import os
import re
import subprocess
import sys
import tempfile
import unittest

TOP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..")
from ptb import csvio

HEADER = ",".join(csvio.COLUMNS[csvio.SCHEMA_VERSION])


def row(**over):
    """One CSV line of the newest schema, fields overridable by name."""
    base = {c: "" for c in csvio.COLUMNS[csvio.SCHEMA_VERSION]}
    base.update(run_id="r1", workload="cpu", model="thread", workers="1",
                params="steps=1000", rep="1", wall_ns="1000", user_ns="900", sys_ns="50",
                ops="1000", ns_per_op="1", result="1000", ok="1", outer_wall_ns="2000")
    base.update(over)
    return ",".join(base[c] for c in csvio.COLUMNS[csvio.SCHEMA_VERSION])


class Reader(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.dir.cleanup()

    def write(self, text, name="t.csv"):
        path = os.path.join(self.dir.name, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def test_schema_matches_the_header_ptbench_writes(self):
        with open(os.path.join(TOP, "lib", "csv.h")) as f:
            text = f.read()
        macro = text[text.index("#define PTB_CSV_HEADER"):text.index("#define PTB_CSV_COLUMNS")]
        header = "".join(re.findall(r'"([^"]*)"', macro))
        self.assertEqual(header.split(","), list(csvio.COLUMNS[csvio.SCHEMA_VERSION]))

    def test_load_and_version(self):
        t = csvio.load(self.write(HEADER + "\n" + row() + "\n" + row(rep="2") + "\n"))
        self.assertEqual(len(t), 2)
        self.assertEqual(t.version, csvio.SCHEMA_VERSION)
        self.assertEqual(t.rows[1]["rep"], "2")

    def test_empty_is_missing_not_zero(self):
        t = csvio.load(self.write(HEADER + "\n" + row(pss_kb="", minflt="0") + "\n"))
        self.assertIsNone(csvio.num(t.rows[0], "pss_kb"))
        self.assertEqual(csvio.num(t.rows[0], "minflt"), 0.0)
        self.assertEqual(csvio.nums(t.rows, "pss_kb"), [])

    def test_bad_input(self):
        cases = {
            "missing": (None, "No such file"),
            "header": ("a,b\n1,2\n", "not a ptbench CSV"),
            "short": (HEADER + "\n" + "r1,cpu,thread\n", "line 2 has 3 fields"),
            "workers": (HEADER + "\n" + row(workers="two") + "\n", "workers 'two'"),
            "empty": (HEADER + "\n", "no rows"),
            "binary": (HEADER + "\n\xff\xfe", "not a ptbench CSV"),
        }
        for name, (text, says) in cases.items():
            path = os.path.join(self.dir.name, "none.csv") if text is None else self.write(text)
            if name == "binary":
                with open(path, "wb") as f:
                    f.write(HEADER.encode() + b"\n\xff\xfe\n")
            with self.assertRaises(csvio.BadInput, msg=name) as cm:
                csvio.load(path)
            self.assertIn(says, str(cm.exception), name)
            self.assertNotIn("\n", str(cm.exception), name)

    def test_header_only_allowed_when_asked(self):
        self.assertEqual(len(csvio.load(self.write(HEADER + "\n"), allow_empty=True)), 0)

    def test_newer_schema_in_the_meta_is_refused(self):
        path = self.write(HEADER + "\n" + row() + "\n")
        self.write('{"schema_version": 99}', "t.meta.json")
        with self.assertRaises(csvio.BadInput) as cm:
            csvio.load(path)
        self.assertIn("schema version 99", str(cm.exception))

    def test_every_reader_says_one_line_and_exits_2(self):
        bad = self.write("a,b\n1,2\n", "bad.csv")
        gb = self.write(HEADER + "\n" + row(params="steps=1000;source=gbench") + "\n", "gb.csv")
        out = os.path.join(self.dir.name, "keys.gp")
        for argv in (["ptb.check_csv", bad], ["ptb.derived", bad],
                     ["ptb.plot.csvkeys", bad, out],
                     ["ptb.xcheck.gbench", "--ptbench-csv", bad, gb],
                     ["ptb.report", "--csv", bad, "--plots", self.dir.name]):
            done = subprocess.run([sys.executable, "-m"] + argv,
                                  capture_output=True, text=True)
            self.assertEqual(done.returncode, 2, argv)
            self.assertEqual(len(done.stderr.strip().splitlines()), 1, (argv, done.stderr))
            self.assertIn("bad.csv", done.stderr, argv)
            self.assertEqual(done.stdout, "", argv)
        self.assertFalse(os.path.exists(out))

    def test_scipy_missing_is_one_line_and_exit_2(self):
        code = ("import sys; sys.modules['scipy'] = None; sys.argv = ['ptb/table/run.py']; "
                "import ptb.stats")
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        self.assertEqual(done.returncode, 2)
        self.assertEqual(len(done.stderr.strip().splitlines()), 1, done.stderr)
        self.assertIn("scipy is missing", done.stderr)
        self.assertIn("PYTHON=", done.stderr)


if __name__ == "__main__":
    unittest.main()
