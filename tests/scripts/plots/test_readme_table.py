"""test_readme_table.py - the README's short table is what the committed
results/table.csv gives (ptb/table/readme.py --check), and the script
finds a stale or missing block."""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
from ptb.table import summary as ts


def run(*args):
    return subprocess.run([sys.executable, "-m", "ptb.table.readme", "--results", os.path.join(ROOT, "results"), *args],
                          capture_output=True, text=True)


class ReadmeTable(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="ptb-test-readme-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_committed_readme_matches_committed_results(self):
        proc = run("--readme", os.path.join(ROOT, "README.md"), "--check")
        self.assertEqual(proc.returncode, 0, proc.stderr)

    def readme(self, text):
        path = os.path.join(self.tmp, "README.md")
        with open(path, "w") as f:
            f.write(text)
        return path

    def test_stale_block_is_found_and_rewritten(self):
        path = self.readme(f"# x\n\n{ts.README_BEGIN}\n| old | table |\n{ts.README_END}\n\nafter\n")
        proc = run("--readme", path, "--check")
        self.assertEqual(proc.returncode, 1)
        self.assertIn("run make readme-table", proc.stderr)
        self.assertEqual(run("--readme", path).returncode, 0)
        self.assertEqual(run("--readme", path, "--check").returncode, 0)
        with open(path) as f:
            text = f.read()
        self.assertTrue(text.startswith("# x\n\n" + ts.README_BEGIN))
        self.assertTrue(text.endswith(ts.README_END + "\n\nafter\n"))
        self.assertIn("| **reliability**: ", text)

    def test_readme_without_markers_is_refused(self):
        path = self.readme("# x\nno block here\n")
        proc = run("--readme", path)
        self.assertEqual(proc.returncode, 2)
        self.assertEqual(len(proc.stderr.strip().splitlines()), 1)
        with open(path) as f:
            self.assertEqual(f.read(), "# x\nno block here\n")


if __name__ == "__main__":
    unittest.main()
