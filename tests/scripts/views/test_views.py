"""test_views.py - every view follows results/findings.json: a copy with
one verdict changed shows the change in each view that shows that verdict,
and no view says "not measured" for a claim, a language or a seed row that
findings.json has measured.

The views: results/table.md (its summary, its table and its claim list,
ptb/table/render.py), the README's short table (ptb/table/summary.py),
the claim charts' captions (ptb/plot/claims.py, index.tsv), the HTML
report (ptb/report.py) and make compare (ptb/compare.py).

Run: python3 -m unittest discover -s tests/scripts/views   (or `make test-views`)
"""
import copy
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

from ptb.table import findings as fnd
from ptb.table import render, summary

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
RESULTS = os.path.join(ROOT, "results")
NOT_MEASURED = "not measured"


def committed():
    return fnd.load(os.path.join(RESULTS, "findings.json"))


def flip(verdict):
    return "fails" if verdict != "fails" else "holds"


def claim_block(md, cid):
    """The lines of table.md's claim list about claim cid."""
    lines = md.split("\n## Every claim\n", 1)[1].split("\n## Notes\n", 1)[0].splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith(f"- **{cid}** "))
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("- **")), len(lines))
    return lines[start:end]


def verdict_line(block, lang, primary):
    """The line of a claim's block that gives the verdict in lang."""
    if lang == primary:
        return block[0]
    shown = "Python" if lang == "CPython" else lang
    return next(ln for ln in block if ln.startswith(f"  - in {shown}: "))


def verdict_part(line):
    """A claim line's verdict, before the sentence that explains it."""
    return line.split(" — ", 1)[0].rsplit(": ", 1)[-1] if " — " in line else line


def summary_row(md_lines, en):
    return next(ln for ln in md_lines if ln.startswith(f"| {en} ("))


def matrix_row(md_lines, en):
    return next(ln for ln in md_lines if ln.startswith(f"| **{en}**: "))


def a_stable_measured_claim(findings):
    """(claim id, language) of a measured claim that is not unstable."""
    for c in findings["claims"]:
        rec = c["languages"][c["primary"]]
        if rec["verdict"] not in (NOT_MEASURED, "no verdict") and not rec["unstable"]:
            return c["id"], c["primary"]
    raise AssertionError("no measured, stable claim in findings.json")


class OneVerdictChanged(unittest.TestCase):
    """A copy of findings.json with one verdict changed, view by view."""

    @classmethod
    def setUpClass(cls):
        cls.original = committed()
        cls.changed = copy.deepcopy(cls.original)
        cls.cid, cls.lang = a_stable_measured_claim(cls.original)
        rec = fnd.language(cls.changed, cls.cid, cls.lang)
        cls.old, cls.new = rec["verdict"], flip(rec["verdict"])
        rec["verdict"] = cls.new
        # a seed row's verdict: reliability's, in C
        row = next(r for r in cls.changed["rows"] if r["en"] == "reliability")
        cls.row_old = row["languages"]["C"]["verdict"]
        cls.row_new = flip(cls.row_old)
        row["languages"]["C"]["verdict"] = cls.row_new

    def test_table_claim_list(self):
        before = verdict_line(claim_block(render.markdown(self.original), self.cid), self.lang,
                              self.lang)
        after = verdict_line(claim_block(render.markdown(self.changed), self.cid), self.lang,
                             self.lang)
        self.assertIn(f"**{self.old}**", verdict_part(before))
        self.assertIn(f"**{self.new}**", verdict_part(after))

    def test_table_matrix_summary_and_row(self):
        md = render.markdown(self.changed)
        row = summary_row(md.splitlines(), "reliability")
        self.assertEqual(row.split(" | ")[3], f"**{self.row_new}**", row)
        for text in (md, "\n".join(summary.readme_block(self.changed))):
            cells = matrix_row(text.splitlines(), "reliability").split(" | ")
            self.assertIn(f"**{self.row_new}**", cells[1])
        table_row = next(ln for ln in md.splitlines() if ln.startswith("| 可靠性"))
        self.assertIn(f"**{self.row_new}**", table_row.split(" | ")[6])

    def test_unchanged_copy_renders_as_committed(self):
        with open(os.path.join(RESULTS, "table.md"), encoding="utf-8") as f:
            self.assertEqual(render.markdown(self.original), f.read())


def module(name, *args, cwd=None):
    """python3 -m NAME ARGS with the package on PYTHONPATH."""
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run([sys.executable, "-m", name, *args], capture_output=True, text=True,
                          cwd=cwd or ROOT, env=env)


def results_set(directory, findings):
    """A make table result directory: the committed table.csv and meta,
    and `findings` as its findings.json."""
    os.makedirs(directory)
    for name in ("table.csv", "table.meta.json"):
        shutil.copyfile(os.path.join(RESULTS, name), os.path.join(directory, name))
    with open(os.path.join(directory, "findings.json"), "w", encoding="utf-8") as f:
        f.write(fnd.dumps(findings))
    return directory


class EveryViewShowsTheChange(unittest.TestCase):
    """The same copy, with one claim's verdict changed, through the views
    that run as programs: the claim chart's caption, the HTML report and
    make compare (the table's views are tested above)."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="ptb-test-views-")
        cls.original = committed()
        cls.changed = copy.deepcopy(cls.original)
        cls.cid, cls.lang = a_stable_measured_claim(cls.original)
        rec = fnd.language(cls.changed, cls.cid, cls.lang)
        cls.old, cls.new = rec["verdict"], flip(rec["verdict"])
        rec["verdict"] = cls.new
        cls.a = results_set(os.path.join(cls.tmp, "a"), cls.original)
        cls.b = results_set(os.path.join(cls.tmp, "b"), cls.changed)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def caption(self, directory):
        out = os.path.join(directory, "claims")
        proc = module("ptb.plot.claims", "--only", self.cid, "--formats", "png",
                      os.path.join(directory, "table.csv"), out)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        with open(os.path.join(out, "index.tsv"), encoding="utf-8") as f:
            return next(ln for ln in f if ln.startswith(f"{self.cid}.png\t"))

    def test_claim_chart(self):
        self.assertIn(f"{self.lang}: {self.old}", self.caption(self.a))
        self.assertIn(f"{self.lang}: {self.new}", self.caption(self.b))

    def test_report(self):
        for directory, verdict in ((self.a, self.old), (self.b, self.new)):
            out = os.path.join(directory, "report.html")
            proc = module("ptb.report", "--csv", os.path.join(RESULTS, "bench.csv"),
                          "--plots", os.path.join(RESULTS, "plots"),
                          "--claims", os.path.join(RESULTS, "plots", "claims"),
                          "--table", os.path.join(RESULTS, "table.md"),
                          "--findings", os.path.join(directory, "findings.json"), "-o", out)
            self.assertEqual(proc.returncode, 0, proc.stderr)
            with open(out, encoding="utf-8") as f:
                page = f.read()
            line = page[page.index(f"<li data-claim={self.cid} data-lang={self.lang}>"):]
            line = line[:line.index("</li>")]
            self.assertIn(f'class="v v-{verdict}">{verdict}<', line)

    def test_compare(self):
        out = os.path.join(self.tmp, "compare")
        proc = module("ptb.compare", "--formats", "png", "--out", out, self.a, self.b)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        with open(out + ".md", encoding="utf-8") as f:
            md = f.read()
        changed = md.split("**Claim verdicts that differ:**", 1)[1].split("\n", 1)[0]
        self.assertIn(self.cid, changed)
        self.assertNotIn("none", changed.strip()[:6])


class NothingMeasuredSaysNotMeasured(unittest.TestCase):
    """For every claim and language findings.json has measured, and every
    seed row so measured, no view says "not measured"."""

    @classmethod
    def setUpClass(cls):
        cls.findings = committed()
        cls.md = render.markdown(cls.findings)
        cls.readme = "\n".join(summary.readme_block(cls.findings))

    def measured(self):
        for c in self.findings["claims"]:
            for lang, rec in c["languages"].items():
                if rec["shown"] and rec["verdict"] != NOT_MEASURED:
                    yield c, lang, rec

    def test_findings_measure_both_languages(self):
        langs = {lang for _, lang, _ in self.measured()}
        self.assertEqual(langs, {"C", "CPython"})

    def test_claim_list(self):
        for c, lang, _ in self.measured():
            line = verdict_line(claim_block(self.md, c["id"]), lang, c["primary"])
            self.assertNotIn(NOT_MEASURED, verdict_part(line), (c["id"], lang))

    def test_matrix_summary_and_readme(self):
        for row in self.findings["rows"]:
            detail = summary_row(self.md.splitlines(), row["en"]).split(" | ")
            for md in (self.md, self.readme):
                cells = matrix_row(md.splitlines(), row["en"]).split(" | ")
                for lang, i in (("C", 1), ("CPython", 2)):
                    if row["languages"][lang]["verdict"] != NOT_MEASURED:
                        self.assertNotIn(NOT_MEASURED, cells[i], (row["en"], lang))
                        self.assertNotEqual(detail[i + 2].strip(" |"), NOT_MEASURED)


if __name__ == "__main__":
    unittest.main()
