"""test_report.py - results/report.html leads with the answer: the HTML
parses, its first section is the verdict matrix (a coloured verdict and
findings.json's one figure a cell) beside the headline figure, then the
verdicts in detail, the claim charts, the benchmark charts; every image
is inlined (SVG where there is one, else PNG) and decodes, and no link
leaves the page but to the web.  Its verdicts are findings.json's: a
verdict changed there is changed in the page, a claim measured there is
never "not measured" in the page, and a verdict in table.md's summary is
not read; a --findings or --headline that is missing or bad is refused
(exit 2, one line); no headline figure is a note.  How it looks in a
browser: tests/scripts/report."""
import base64
import html.parser
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.join(HERE, "table-fixture.csv")
BENCH = os.path.join(HERE, "fixture.csv")
FINDINGS = os.path.join(ROOT, "results", "findings.json")
TABLE = os.path.join(ROOT, "results", "table.md")


class Page(html.parser.HTMLParser):
    """Headings in order, images, links, whether every tag closed, and the
    text of every verdict: text[("claim", "C6", "C")] is the line of C6 in
    C (verdict and why), text[("verdict", "C6", "C")] its verdict alone,
    text[("row", "reliability", "C")] a seed row's verdict cell,
    text[("cell", "reliability", "C")] its cell in the verdict matrix."""

    VOID = {"meta", "img", "br", "hr", "link", "input"}

    def __init__(self):
        super().__init__()
        self.h2, self.imgs, self.links, self.stack, self.order = [], [], [], [], []
        self.errors = []
        self._in_h2 = False
        self.text, self._open = {}, []      # capture key -> text; [(key, depth)]

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag not in self.VOID:
            self.stack.append(tag)
        if tag == "h2":
            self._in_h2 = True
            self.h2.append("")
        if tag == "img":
            self.imgs.append(a.get("src", ""))
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "figure":
            self.order.append(a.get("id", ""))
        key = None
        if a.get("data-cell") and a.get("data-lang"):
            key = ("cell", a["data-cell"], a["data-lang"])
        elif a.get("data-claim") and a.get("data-lang"):
            key = ("claim", a["data-claim"], a["data-lang"])
        elif a.get("data-row") and a.get("data-lang"):
            key = ("row", a["data-row"], a["data-lang"])
        elif a.get("class") == "verdict" and self._open and self._open[-1][0][0] == "claim":
            key = ("verdict",) + self._open[-1][0][1:]
        if key and tag not in self.VOID:
            self.text[key] = ""
            self._open.append((key, len(self.stack)))

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else ''}>")
            return
        self.stack.pop()
        while self._open and len(self.stack) < self._open[-1][1]:
            self._open.pop()
        if tag == "h2":
            self._in_h2 = False

    def handle_data(self, data):
        if self._in_h2:
            self.h2[-1] += data
        for key, _ in self._open:
            self.text[key] += data


def parse(path):
    page = Page()
    with open(path, encoding="utf-8") as f:
        page.feed(f.read())
    page.close()
    return page


class Report(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="ptb-test-report-")
        plots, claims = os.path.join(cls.tmp, "plots"), os.path.join(cls.tmp, "claims")
        env = dict(os.environ, PLOT_FORMATS="png svg", B=os.path.join(cls.tmp, "build"))
        subprocess.run([os.path.join(ROOT, "ptb", "plot", "plots.sh"), BENCH, plots], check=True,
                       capture_output=True, env=env)
        # the table fixture as a make table result: table.csv, meta, findings.json
        cls.set = os.path.join(cls.tmp, "set")
        os.mkdir(cls.set)
        shutil.copyfile(FIXTURE, os.path.join(cls.set, "table.csv"))
        shutil.copyfile(FIXTURE[:-4] + ".meta.json", os.path.join(cls.set, "table.meta.json"))
        subprocess.run([sys.executable, "-m", "ptb.table", "--from-csv", "--out-dir", cls.set],
                       check=True, capture_output=True, cwd=ROOT)
        subprocess.run([sys.executable, "-m", "ptb.plot.claims", "--only", "C1,C7",
                        os.path.join(cls.set, "table.csv"), claims], check=True,
                       capture_output=True, cwd=ROOT)
        cls.plots, cls.claims = plots, claims
        cls.headline = os.path.join(cls.tmp, "headline.svg")
        with open(cls.headline, "w", encoding="utf-8") as f:
            f.write('<?xml version="1.0"?>\n<svg width="600" height="400" '
                    'xmlns="http://www.w3.org/2000/svg"><rect width="600" height="400"/></svg>\n')
        cls.out = os.path.join(cls.tmp, "report.html")
        proc = cls.report("--findings", FINDINGS, "--headline", cls.headline, "-o", cls.out)
        assert proc.returncode == 0, proc.stderr
        cls.page = parse(cls.out)
        with open(FINDINGS, encoding="utf-8") as f:
            cls.findings = json.load(f)

    @classmethod
    def report(cls, *args, cwd=None, table=TABLE):
        """ptb.report on the fixture's charts; args add or override options."""
        env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
        return subprocess.run([sys.executable, "-m", "ptb.report", "--csv", BENCH,
                               "--plots", cls.plots, "--claims", cls.claims,
                               "--table", table] + list(args),
                              capture_output=True, text=True, cwd=cwd, env=env)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_html_parses_and_every_tag_closes(self):
        self.assertEqual(self.page.errors, [])
        self.assertEqual(self.page.stack, [])

    def test_leads_with_verdicts_then_claim_charts(self):
        self.assertEqual(self.page.h2[:4], ["Verdicts at a glance", "Every seed row and claim",
                                            "One chart per claim", "Benchmark charts"])
        order = self.page.order
        self.assertEqual(order[:3], ["headline", "C1", "C7"])
        self.assertIn("overview", order[3:])

    def test_the_matrix_has_each_rows_verdict_and_figure(self):
        with open(self.out, encoding="utf-8") as f:
            text = f.read()
        first = text.index("<table class=matrix>")
        self.assertLess(first, text.index("<figure"))
        for row in self.findings["rows"]:
            for lang in ("C", "CPython"):
                rec = row["languages"][lang]
                cell = self.page.text[("cell", row["en"], lang)]
                self.assertIn(rec["headline"], cell)
                m = re.search(r'<td data-cell="%s" data-lang=%s[^>]*><span class="t badge '
                              r'b-(\w+)">' % (re.escape(row["en"]), lang), text)
                self.assertIsNotNone(m, (row["en"], lang))
                self.assertNotIn("unstable", cell)
                if "undecided" in cell:          # make table-stability's runs disagreed
                    self.assertEqual(m.group(1), "grey")
                elif "depends on" in cell:       # ... with a condition's outcome
                    self.assertEqual(m.group(1), "depends")
                else:
                    self.assertIn(rec["verdict"], cell)
                    self.assertEqual(m.group(1), {"holds": "holds", "fails": "fails",
                                                  "depends": "depends"}.get(rec["verdict"],
                                                                            "grey"))

    def test_every_image_is_inlined_svg_where_there_is_one(self):
        self.assertEqual(len(self.page.imgs), 1 + 2 + 9)
        for src in self.page.imgs:
            kind, data = src.split(",", 1)
            data = base64.b64decode(data, validate=True)
            if kind == "data:image/svg+xml;base64":
                self.assertIn(b"<svg", data[:200])
            else:
                self.assertEqual(kind, "data:image/png;base64")
                self.assertEqual(data[:8], b"\x89PNG\r\n\x1a\n")
        svg = [s for s in self.page.imgs if s.startswith("data:image/svg")]
        self.assertEqual(len(svg), len(self.page.imgs))   # every fixture chart has its SVG

    def test_no_link_leaves_the_page(self):
        """Self-contained: every link is an anchor of the page (or the web)."""
        with open(self.out, encoding="utf-8") as f:
            text = f.read()
        for h in self.page.links:
            self.assertTrue(h.startswith(("#", "http://", "https://")), h)
            if h.startswith("#"):
                self.assertIn(f'id="{h[1:]}"', text)

    def test_headline_missing_is_a_note_and_named_missing_is_refused(self):
        out = os.path.join(self.tmp, "no-headline.html")
        proc = self.report("--findings", FINDINGS, "-o", out, cwd=self.tmp)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        with open(out, encoding="utf-8") as f:
            text = f.read()
        self.assertIn("No headline figure yet", text)
        self.assertNotIn("<figure class=headline", text)
        out = os.path.join(self.tmp, "refused-headline.html")
        proc = self.report("--findings", FINDINGS, "--headline",
                           os.path.join(self.tmp, "missing.svg"), "-o", out)
        self.assertEqual(proc.returncode, 2)
        self.assertEqual(len(proc.stderr.splitlines()), 1, proc.stderr)
        self.assertFalse(os.path.exists(out))

    def test_subtitle_names_the_findings_and_their_run(self):
        with open(self.out, encoding="utf-8") as f:
            head = f.read().split('<p class=sub>', 1)[1].split("</p>", 1)[0]
        run = self.findings["run"]
        for word in ("findings.json", run["date"], run["git"]):
            self.assertIn(word, head)

    def test_a_verdict_changed_in_findings_is_changed_in_the_page(self):
        """C6's verdict in C and the reliability row's, holds -> fails (or
        back, should a run have them fail)."""
        changed = json.loads(json.dumps(self.findings))
        claim = next(c for c in changed["claims"] if c["id"] == "C6")["languages"]["C"]
        row = next(r for r in changed["rows"] if r["en"] == "reliability")["languages"]["C"]
        was = claim["verdict"]
        now = "holds" if was == "fails" else "fails"
        self.assertFalse(claim["unstable"])       # else the page says "undecided (...)" first
        self.assertEqual(row["verdict"], was)
        claim["verdict"] = row["verdict"] = now
        path, out = os.path.join(self.tmp, "changed.json"), os.path.join(self.tmp, "changed.html")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(changed, f)
        proc = self.report("--findings", path, "-o", out)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        page = parse(out)
        self.assertEqual(self.page.text[("verdict", "C6", "C")], was)
        self.assertEqual(page.text[("verdict", "C6", "C")], now)
        self.assertTrue(self.page.text[("row", "reliability", "C")].startswith(was))
        self.assertTrue(page.text[("row", "reliability", "C")].startswith(now))

    def test_measured_is_never_not_measured(self):
        """In the committed results and in the fixture's (where some claims
        are not measured), each claim in each language."""
        self.check_not_measured(self.findings, self.page)
        out = os.path.join(self.tmp, "fixture.html")
        proc = self.report("--findings", os.path.join(self.set, "findings.json"), "-o", out,
                           table=os.path.join(self.set, "table.md"))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        with open(os.path.join(self.set, "findings.json"), encoding="utf-8") as f:
            self.check_not_measured(json.load(f), parse(out))

    def check_not_measured(self, findings, page):
        for c in findings["claims"]:
            for lang, rec in c["languages"].items():
                text = page.text[("claim", c["id"], lang)]
                if rec["verdict"] == "not measured":
                    self.assertIn("not measured", text, (c["id"], lang))
                    # its reason, as written (Markdown `code` shown as code)
                    self.assertIn(rec["not_measured"].replace("`", ""), text, (c["id"], lang))
                else:
                    self.assertNotIn("not measured", text, (c["id"], lang))
                    self.assertIn(rec["verdict"], page.text[("verdict", c["id"], lang)])

    def test_no_verdict_is_read_from_the_table(self):
        with open(TABLE, encoding="utf-8") as f:
            text = f.read()
        self.assertIn("## At a glance", text)
        table, out = os.path.join(self.tmp, "bogus.md"), os.path.join(self.tmp, "bogus.html")
        with open(table, "w", encoding="utf-8") as f:
            f.write(text.replace("| **holds** |", "| **bogusverdict** |"))
        proc = self.report("--findings", FINDINGS, "-o", out, table=table)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        with open(out, encoding="utf-8") as f:
            self.assertNotIn("bogusverdict", f.read())

    def test_findings_named_but_missing_or_bad_is_refused(self):
        bad = os.path.join(self.tmp, "bad.json")
        with open(bad, "w") as f:
            f.write("{not json")
        for path in (os.path.join(self.tmp, "missing.json"), bad):
            out = os.path.join(self.tmp, "refused.html")
            proc = self.report("--findings", path, "-o", out)
            self.assertEqual(proc.returncode, 2, path)
            self.assertEqual(len(proc.stderr.splitlines()), 1, proc.stderr)
            self.assertFalse(os.path.exists(out))

    def test_default_findings_missing_is_a_note(self):
        out = os.path.join(self.tmp, "none.html")
        proc = self.report("-o", out, cwd=self.tmp)     # no results/findings.json there
        self.assertEqual(proc.returncode, 0, proc.stderr)
        with open(out, encoding="utf-8") as f:
            text = f.read()
        self.assertIn("No verdicts yet", text)
        self.assertNotIn("data-claim=", text)


if __name__ == "__main__":
    unittest.main()
