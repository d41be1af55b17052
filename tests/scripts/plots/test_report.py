"""test_report.py - results/report.html leads with the answer: the HTML
parses, its first section is the verdict summary, then the claim charts,
then the benchmark charts; every image is an inlined PNG that decodes and
every linked SVG exists."""
import base64
import html.parser
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.join(HERE, "table-fixture.csv")
BENCH = os.path.join(HERE, "fixture.csv")


class Page(html.parser.HTMLParser):
    """Headings in order, images, links, and whether every tag closed."""

    VOID = {"meta", "img", "br", "hr", "link", "input"}

    def __init__(self):
        super().__init__()
        self.h2, self.imgs, self.links, self.stack, self.order = [], [], [], [], []
        self.errors = []
        self._in_h2 = False

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

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else ''}>")
            return
        self.stack.pop()
        if tag == "h2":
            self._in_h2 = False

    def handle_data(self, data):
        if self._in_h2:
            self.h2[-1] += data


class Report(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="ptb-test-report-")
        plots, claims = os.path.join(cls.tmp, "plots"), os.path.join(cls.tmp, "claims")
        env = dict(os.environ, PLOT_FORMATS="png svg", B=os.path.join(cls.tmp, "build"))
        subprocess.run([os.path.join(ROOT, "ptb", "plot", "plots.sh"), BENCH, plots], check=True,
                       capture_output=True, env=env)
        subprocess.run([sys.executable, "-m", "ptb.plot.claims",
                        "--only", "C1,C7", FIXTURE, claims], check=True, capture_output=True)
        cls.out = os.path.join(cls.tmp, "report.html")
        proc = subprocess.run([sys.executable, "-m", "ptb.report", "--csv",
                               BENCH, "--plots", plots, "--claims", claims, "--table",
                               os.path.join(ROOT, "results", "table.md"), "-o", cls.out],
                              capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
        cls.page = Page()
        with open(cls.out, encoding="utf-8") as f:
            cls.page.feed(f.read())
        cls.page.close()

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_html_parses_and_every_tag_closes(self):
        self.assertEqual(self.page.errors, [])
        self.assertEqual(self.page.stack, [])

    def test_leads_with_verdicts_then_claim_charts(self):
        self.assertEqual(self.page.h2[:3], ["Verdicts at a glance", "One chart per claim",
                                            "Benchmark charts"])
        order = self.page.order
        self.assertEqual(order[:2], ["C1", "C7"])
        self.assertIn("overview", order[2:])

    def test_every_image_is_an_inlined_png(self):
        self.assertEqual(len(self.page.imgs), 2 + 9)
        for src in self.page.imgs:
            self.assertTrue(src.startswith("data:image/png;base64,"), src[:40])
            data = base64.b64decode(src.split(",", 1)[1], validate=True)
            self.assertEqual(data[:8], b"\x89PNG\r\n\x1a\n")

    def test_every_linked_file_exists(self):
        files = [h for h in self.page.links if not h.startswith(("#", "http"))]
        self.assertGreaterEqual(len(files), 11)    # an SVG beside every chart
        for h in files:
            self.assertTrue(os.path.exists(os.path.join(self.tmp, h)), h)
        anchors = [h[1:] for h in self.page.links if h.startswith("#")]
        with open(self.out, encoding="utf-8") as f:
            text = f.read()
        for a in anchors:
            self.assertIn(f'id="{a}"', text)


if __name__ == "__main__":
    unittest.main()
