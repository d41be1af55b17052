"""test_compare.py - ptb/compare.py on the table fixture of
tests/scripts/plots: each result set is a directory made the way make
table makes one (table.csv and table.meta.json, then findings.json from
`python3 -m ptb.table --from-csv --out-dir DIR`), and compare reads only
its findings.json.  A set against itself changes nothing; a set whose
crash rows say the opposite changes C6's verdict; a copy of findings.json
with one verdict changed is named as changed; two sets with the same CPU
and date are told apart by their directories' names; bad input is
refused."""
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
FIXTURE = os.path.join(ROOT, "tests", "scripts", "plots", "table-fixture")


def result_set(directory, edit=None):
    """A make table result directory from the fixture (edit(row) may change
    rows), with the findings.json that make table's pipeline writes."""
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
    subprocess.run([sys.executable, "-m", "ptb.table", "--from-csv", "--out-dir", directory],
                   check=True, capture_output=True, cwd=ROOT)
    return directory


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "ptb.compare", "--formats", "png", *args],
                          capture_output=True, text=True, cwd=cwd or ROOT,
                          env=dict(os.environ, PYTHONPATH=ROOT))


def table_rows(md):
    """{claim: cells} of the claims table (the claim's primary language)."""
    out = {}
    for ln in md.splitlines():
        if ln.startswith("| **C"):
            cells = [c.strip() for c in ln.strip("|").split(" | ")]
            out[cells[0].split("**")[1]] = cells
    return out


def language_rows(md):
    """{"C6 in Python": cells} of the claims table's other-language rows."""
    out = {}
    for ln in md.splitlines():
        if ln.startswith("| C") and " in " in ln.split(" | ")[0]:
            cells = [c.strip() for c in ln.strip("|").split(" | ")]
            out[cells[0]] = cells
    return out


class Compare(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.base = tempfile.mkdtemp(prefix="ptb-test-compare-set-")
        cls.fixture_set = result_set(os.path.join(cls.base, "a"))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.base, ignore_errors=True)

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="ptb-test-compare-")
        self.a = os.path.join(self.tmp, "a")
        shutil.copytree(self.fixture_set, self.a)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_a_set_against_itself(self):
        out = os.path.join(self.tmp, "same")
        proc = run("--out", out, self.a, self.a)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        with open(out + ".md", encoding="utf-8") as f:
            md = f.read()
        rows = table_rows(md)
        self.assertEqual(sorted(rows, key=lambda c: int(c[1:])), [f"C{i}" for i in range(1, 15)])
        for cid, cells in rows.items():
            self.assertEqual(cells[-1], "no", cid)
            self.assertEqual(cells[1], cells[2], cid)
        self.assertEqual(rows["C1"][5], "1×")
        self.assertTrue(rows["C3"][3].startswith(rows["C3"][4]) and "95% CI" in rows["C3"][3],
                        rows["C3"])
        self.assertIn("**Claim verdicts that differ:** none", md)
        self.assertIn("verdicts that differ: C 0 of 14, CPython 0 of", proc.stderr)
        with open(out + ".png", "rb") as f:
            self.assertEqual(f.read(4), b"\x89PNG")

    def test_figures_and_verdicts_are_the_findings(self):
        """Every verdict and headline ratio of the Markdown is findings.json's."""
        out = os.path.join(self.tmp, "same")
        self.assertEqual(run("--out", out, self.a, self.a).returncode, 0)
        with open(out + ".md", encoding="utf-8") as f:
            md = f.read()
        with open(os.path.join(self.a, "findings.json"), encoding="utf-8") as f:
            findings = json.load(f)
        rows, other = table_rows(md), language_rows(md)
        for c in findings["claims"]:
            for lang, rec in c["languages"].items():
                if lang == c["primary"]:
                    cells = rows[c["id"]]
                elif rec["shown"]:
                    cells = other[f"{c['id']} in {'Python' if lang == 'CPython' else lang}"]
                else:
                    continue
                self.assertEqual(cells[6], rec["verdict"], (c["id"], lang))
        c3 = next(c for c in findings["claims"] if c["id"] == "C3")["languages"]["C"]
        self.assertTrue(rows["C3"][3].startswith(f"{c3['conditions'][0]['ratio']:.3g}×"), rows["C3"])
        for row in findings["rows"]:
            line = next(ln for ln in md.splitlines() if ln.startswith(f"| {row['en']} ("))
            cells = [x.strip() for x in line.strip("|").split(" | ")]
            self.assertEqual((cells[1], cells[3]), (row["languages"]["C"]["verdict"],
                                                    row["languages"]["CPython"]["verdict"]))

    def test_a_changed_verdict_is_named(self):
        def crash_kills_all(r):      # forked workers die with the victim: no survivor
            if r["workload"] == "crash" and r["model"] == "fork":
                r["result"] = "0"
        b = result_set(os.path.join(self.tmp, "b"), crash_kills_all)
        out = os.path.join(self.tmp, "ab")
        proc = run("--out", out, self.a, b)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        with open(out + ".md", encoding="utf-8") as f:
            md = f.read()
        c6 = table_rows(md)["C6"]
        self.assertEqual((c6[6], c6[7]), ("holds", "fails"))
        self.assertEqual(c6[-1], "**yes**: holds → fails")
        self.assertIn("**Claim verdicts that differ:** C6: holds → fails", md)
        self.assertIn("verdicts that differ: C 1 of 14,", proc.stderr)

    def test_a_verdict_changed_in_findings_is_named(self):
        """compare reads findings.json: a copy with one claim's verdict
        changed (and the same table.csv) is named as a changed verdict."""
        b = os.path.join(self.tmp, "b")
        shutil.copytree(self.a, b)
        path = os.path.join(b, "findings.json")
        with open(path, encoding="utf-8") as f:
            findings = json.load(f)
        c5 = next(c for c in findings["claims"] if c["id"] == "C5")["languages"]["CPython"]
        old = c5["verdict"]
        new = "fails" if old != "fails" else "holds"
        c5["verdict"] = new
        with open(path, "w", encoding="utf-8") as f:
            json.dump(findings, f, ensure_ascii=False)
        out = os.path.join(self.tmp, "ab")
        proc = run("--out", out, self.a, b)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        with open(out + ".md", encoding="utf-8") as f:
            md = f.read()
        self.assertEqual(language_rows(md)["C5 in Python"][-1], f"**yes**: {old} → {new}")
        self.assertIn(f"**Claim verdicts that differ:** C5 in Python: {old} → {new}", md)
        self.assertIn("verdicts that differ: C 0 of 14, CPython 1 of", proc.stderr)

    def test_same_cpu_and_day_get_their_directories_names(self):
        b = os.path.join(self.tmp, "other-run")
        shutil.copytree(self.a, b)
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
        """A directory without findings.json (even with table.csv and its
        meta), and a findings.json of another schema: one line, exit 2."""
        out = os.path.join(self.tmp, "x")
        no_findings = os.path.join(self.tmp, "csv-only")
        os.makedirs(no_findings)
        for name in ("table.csv", "table.meta.json"):
            shutil.copyfile(os.path.join(self.a, name), os.path.join(no_findings, name))
        proc = run("--out", out, self.a, no_findings)
        self.assertEqual(proc.returncode, 2)
        self.assertEqual(len(proc.stderr.strip().splitlines()), 1, proc.stderr)
        self.assertIn(os.path.join(no_findings, "findings.json"), proc.stderr)
        self.assertIn("make table writes it", proc.stderr)
        self.assertIn("python3 -m ptb.table --from-csv --out-dir", proc.stderr)
        self.assertFalse(os.path.exists(out + ".md"))
        with open(os.path.join(no_findings, "findings.json"), "w") as f:
            json.dump({"schema": 99}, f)
        proc = run("--out", out, self.a, no_findings)
        self.assertEqual(proc.returncode, 2)
        self.assertEqual(len(proc.stderr.strip().splitlines()), 1, proc.stderr)
        self.assertIn("schema 99", proc.stderr)
        self.assertFalse(os.path.exists(out + ".md"))


if __name__ == "__main__":
    unittest.main()
