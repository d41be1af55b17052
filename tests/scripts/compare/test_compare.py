"""test_compare.py - ptb/compare.py on the table fixture of
tests/scripts/plots: a set against itself changes nothing; a set whose
crash rows say the opposite changes C6's verdict; two sets with the same
CPU and date are told apart by their directories' names; bad input is
refused."""
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
FIXTURE = os.path.join(ROOT, "tests", "scripts", "plots", "table-fixture")


def result_set(directory, edit=None):
    """A make table result directory from the fixture; edit(row) may change rows."""
    os.makedirs(directory)
    shutil.copyfile(FIXTURE + ".meta.json", os.path.join(directory, "table.meta.json"))
    with open(FIXTURE + ".csv", newline="") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        if edit:
            edit(r)
    with open(os.path.join(directory, "table.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return directory


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "ptb.compare", "--formats", "png", *args],
                          capture_output=True, text=True, cwd=cwd)


def table_rows(md):
    """{claim: cells} of the claims table."""
    out = {}
    for ln in md.splitlines():
        if ln.startswith("| **C"):
            cells = [c.strip() for c in ln.strip("|").split(" | ")]
            out[cells[0].split("**")[1]] = cells
    return out


class Compare(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="ptb-test-compare-")
        self.a = result_set(os.path.join(self.tmp, "a"))

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_a_set_against_itself(self):
        out = os.path.join(self.tmp, "same")
        proc = run("--out", out, self.a, self.a)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        with open(out + ".md") as f:
            md = f.read()
        rows = table_rows(md)
        self.assertEqual(sorted(rows, key=lambda c: int(c[1:])), [f"C{i}" for i in range(1, 15)])
        for cid, cells in rows.items():
            self.assertEqual(cells[-1], "no", cid)
            self.assertEqual(cells[1], cells[2], cid)
        self.assertEqual(rows["C1"][5], "1×")
        self.assertIn("**Claim verdicts that differ:** none", md)
        with open(out + ".png", "rb") as f:
            self.assertEqual(f.read(4), b"\x89PNG")

    def test_a_changed_verdict_is_named(self):
        def crash_kills_all(r):      # forked workers die with the victim: no survivor
            if r["workload"] == "crash" and r["model"] == "fork":
                r["result"] = "0"
        b = result_set(os.path.join(self.tmp, "b"), crash_kills_all)
        out = os.path.join(self.tmp, "ab")
        proc = run("--out", out, self.a, b)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        with open(out + ".md") as f:
            md = f.read()
        c6 = table_rows(md)["C6"]
        self.assertEqual((c6[6], c6[7]), ("holds", "fails"))
        self.assertEqual(c6[-1], "**yes**: holds → fails")
        self.assertIn("**Claim verdicts that differ:** C6: holds → fails", md)
        self.assertIn("1 of 14 C verdicts differ", proc.stderr)

    def test_same_cpu_and_day_get_their_directories_names(self):
        b = result_set(os.path.join(self.tmp, "other-run"))
        for pair, suffixes in (((self.a, b), ("a", "other-run")), ((self.a, self.a), ("a-a", "a-b"))):
            work = tempfile.mkdtemp(dir=self.tmp)
            proc = run(*pair, cwd=work)
            self.assertEqual(proc.returncode, 0, proc.stderr)
            names = os.listdir(os.path.join(work, "results", "compare"))
            self.assertEqual(sorted(n.rsplit(".", 1)[1] for n in names), ["md", "png"], names)
            stem = names[0].rsplit(".", 1)[0]
            left, right = stem.split("-vs-")
            self.assertTrue(left.endswith("-" + suffixes[0]) and right.endswith("-" + suffixes[1]), stem)
            self.assertEqual(left[:-len(suffixes[0])], right[:-len(suffixes[1])], stem)

    def test_bad_input(self):
        out = os.path.join(self.tmp, "x")
        empty = os.path.join(self.tmp, "empty")
        os.makedirs(empty)
        proc = run("--out", out, self.a, empty)
        self.assertEqual(proc.returncode, 2)
        self.assertEqual(len(proc.stderr.strip().splitlines()), 1)
        self.assertIn("no table.csv", proc.stderr)
        self.assertFalse(os.path.exists(out + ".md"))


if __name__ == "__main__":
    unittest.main()
