"""test_headline.py - ptb/plot/headline.py: the headline figure, process
cost ÷ thread cost of every judged aspect of every claim, from
results/findings.json alone.

The marks it draws come from the findings: a ratio changed in a copy of
the committed findings.json changes the data file, a verdict changed there
changes the mark's colour and verdict column; a higher-is-better figure is
drawn inverted; an infinite ratio sits at an axis end.  Bad input (a
missing file, another schema, findings with nothing to draw, a bad option)
gets one line, exit status 2, and nothing written.
"""
import ast
import copy
import json
import math
import os
import subprocess
import sys
import tempfile
import unittest

from ptb.plot import headline

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
FINDINGS = os.path.join(ROOT, "results", "findings.json")
COLUMNS = ("y", "lang", "x", "x_lo", "x_hi", "end", "colour", "verdict", "claim", "finding",
           "ratio", "drawn", "inverted")


def committed():
    with open(FINDINGS, encoding="utf-8") as f:
        return json.load(f)


def marks(findings):
    """The data file's lines as dicts, keyed (claim, finding)."""
    lines = headline.data_lines(findings)
    assert lines[0].startswith("# "), lines[0]
    out = {}
    for ln in lines[1:]:
        row = dict(zip(COLUMNS, ln.split("\t")))
        out[(row["claim"], row["finding"])] = row
    return out


def judged(findings, cid, lang):
    """The first condition of the first judged finding of a claim in a language."""
    rec = next(c for c in findings["claims"] if c["id"] == cid)["languages"][lang]
    return next(c for c in rec["conditions"] if c["expect"] is not None), rec


def colour(verdict):
    return str(int(dict(headline.COLOURS)[verdict][1:], 16))


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "ptb.plot.headline", *args], cwd=cwd,
                          capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=ROOT))


class Rows(unittest.TestCase):
    def setUp(self):
        self.f = committed()

    def test_one_row_per_judged_aspect(self):
        got = marks(self.f)
        want = set()
        for c in self.f["claims"]:
            for lang in headline.LANGS:
                seen = set()
                for cond in c["languages"][lang]["conditions"]:
                    if cond["expect"] is not None and cond["finding"] not in seen:
                        seen.add(cond["finding"])
                        want.add((c["id"], cond["finding"]))
        self.assertEqual(set(got), want)
        for (cid, _), m in got.items():
            self.assertIn(m["lang"], headline.LANGS)

    def test_changed_ratio_changes_the_data(self):
        before = marks(self.f)
        cond, _ = judged(self.f, "C3", "C")
        self.assertEqual(cond["better"], "lower")
        g = copy.deepcopy(self.f)
        c2, _ = judged(g, "C3", "C")
        c2["ratio"], c2["ratio_ci95"] = 7.5, [7.0, 8.0]
        self.assertNotEqual(headline.data_lines(g), headline.data_lines(self.f))
        after = marks(g)[("C3", cond["finding"])]
        self.assertEqual(float(after["drawn"]), 7.5)
        self.assertEqual((float(after["x_lo"]), float(after["x_hi"])), (7.0, 8.0))
        self.assertNotEqual(before[("C3", cond["finding"])]["drawn"], after["drawn"])

    def test_changed_verdict_changes_the_colour(self):
        cond, rec = judged(self.f, "C3", "C")
        self.assertEqual(marks(self.f)[("C3", cond["finding"])]["verdict"],
                         headline.verdict_class(rec))
        for verdict in ("fails", "depends", "no verdict"):
            g = copy.deepcopy(self.f)
            _, r2 = judged(g, "C3", "C")
            r2["verdict"], r2["unstable"] = verdict, False
            m = marks(g)[("C3", cond["finding"])]
            self.assertEqual((m["verdict"], m["colour"]), (verdict, colour(verdict)))
        # make table-stability's runs disagreed: undecided, or depends on a condition
        for label, flips, shown in (("undecided", [], "undecided"),
                                    ("depends on", [{"name": "1→16 workers"}], "depends")):
            g = copy.deepcopy(self.f)
            _, r2 = judged(g, "C3", "C")
            r2["unstable"] = True
            r2["stability"] = {"runs": 5, "counts": {"holds": 3, "fails": 2}, "unanimous": False,
                               "label": label, "flips": flips}
            m = marks(g)[("C3", cond["finding"])]
            self.assertEqual((m["verdict"], m["colour"]), (shown, colour(shown)))

    def test_higher_is_better_is_drawn_inverted(self):
        cond, _ = judged(self.f, "C4", "C")
        self.assertEqual(cond["better"], "higher")
        m = marks(self.f)[("C4", cond["finding"])]
        self.assertEqual(m["inverted"], "1")
        self.assertAlmostEqual(float(m["drawn"]), 1 / cond["ratio"], places=4)
        lo, hi = cond["ratio_ci95"]
        self.assertAlmostEqual(float(m["x_lo"]), 1 / hi, places=4)
        self.assertAlmostEqual(float(m["x_hi"]), 1 / lo, places=4)
        rows, _ = headline.rows_of(self.f)
        row = next(r for r in rows if r.cid == "C4")
        self.assertIn("*", row.label)

    def test_lower_is_better_is_drawn_as_it_is(self):
        cond, _ = judged(self.f, "C1", "C")
        m = marks(self.f)[("C1", cond["finding"])]
        self.assertEqual(m["inverted"], "0")
        self.assertAlmostEqual(float(m["drawn"]), cond["ratio"], places=4)

    def test_thread_first_is_turned_round(self):
        """CPython's wall time compares pythread (first) against pyproc: drawn
        pyproc ÷ pythread, so that right of 1× still means processes cost more."""
        g = copy.deepcopy(self.f)
        cond, _ = judged(g, "C14", "CPython")
        cond.update(process="pythread", thread="pyproc", better="lower", ratio=2.0,
                    ratio_ci95=[1.6, 2.5])
        m = marks(g)[("C14", cond["finding"])]
        self.assertAlmostEqual(float(m["drawn"]), 0.5)
        self.assertAlmostEqual(float(m["x_lo"]), 0.4)

    def test_infinite_ratio_sits_at_an_axis_end(self):
        g = copy.deepcopy(self.f)
        cond, _ = judged(g, "C6", "C")
        cond.update(ratio="inf", ratio_ci95=None, better="higher")
        m = marks(g)[("C6", cond["finding"])]
        self.assertEqual((m["end"], m["drawn"]), ("0", "0"))
        rows, _ = headline.rows_of(g)
        _, _, left, right = headline.axis(rows)
        self.assertAlmostEqual(float(m["x"]), left, places=3)
        cond.update(better="lower")
        m = marks(g)[("C6", cond["finding"])]
        self.assertEqual((m["end"], m["drawn"]), ("∞", "inf"))
        rows, _ = headline.rows_of(g)
        self.assertAlmostEqual(float(m["x"]), headline.axis(rows)[3], places=0)
        spec = "\n".join(headline.spec_lines(g, "data"))
        self.assertIn('"∞"', spec)
        self.assertIn('"0"', spec)

    def test_every_finite_mark_is_on_the_axis(self):
        rows, _ = headline.rows_of(self.f)
        lo, hi, left, right = headline.axis(rows)
        self.assertEqual(lo, -hi)          # 1× in the middle
        for m in marks(self.f).values():
            x = float(m["x"])
            self.assertTrue(math.isfinite(x) and x > 0, m)
            self.assertLessEqual(float(m["x_lo"]), x * 1.000001)
            self.assertGreaterEqual(float(m["x_hi"]), x * 0.999999)

    def test_footer_names_the_run(self):
        spec = "\n".join(headline.spec_lines(self.f, "data"))
        run = self.f["run"]
        self.assertIn(run["date"][:10], spec)
        self.assertIn(run["git"], spec)

    def test_reads_only_findings(self):
        """It loads findings.json through ptb.table.findings and imports neither
        the analyses nor the verdicts."""
        with open(headline.__file__, encoding="utf-8") as f:
            tree = ast.parse(f.read())
        names = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                names.update([node.module] + [f"{node.module}.{a.name}" for a in node.names])
        for bad in ("ptb.table.verdicts", "ptb.table.analysis", "ptb.table.analyse"):
            self.assertNotIn(bad, names)


class Command(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="ptb-test-headline-")

    def tearDown(self):
        subprocess.run(["rm", "-rf", self.tmp], check=False)

    def refused(self, *args):
        out = os.path.join(self.tmp, "plots", "headline")
        p = run(*args, "--out", out)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertEqual(len(p.stderr.strip().splitlines()), 1, p.stderr)
        self.assertTrue(p.stderr.startswith("headline: "), p.stderr)
        self.assertFalse(os.path.exists(os.path.dirname(out)), os.listdir(self.tmp))

    def test_draws_png_and_svg(self):
        out = os.path.join(self.tmp, "plots", "headline")
        p = run("--findings", FINDINGS, "--out", out)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(sorted(os.listdir(os.path.dirname(out))),
                         ["headline.png", "headline.svg"])
        with open(out + ".png", "rb") as f:
            self.assertEqual(f.read(4), b"\x89PNG")
        with open(out + ".svg", encoding="utf-8") as f:
            self.assertIn("<svg", f.read())
        p = run("--findings", FINDINGS, "--out", out + "-png", "--formats", "png")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertFalse(os.path.exists(out + "-png.svg"))

    def test_missing_findings(self):
        self.refused("--findings", os.path.join(self.tmp, "nope.json"))

    def test_other_schema(self):
        g = committed()
        g["schema"] = 99
        path = os.path.join(self.tmp, "f.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(g, f)
        self.refused("--findings", path)

    def test_not_json(self):
        path = os.path.join(self.tmp, "f.json")
        with open(path, "w") as f:
            f.write("table,csv\n")
        self.refused("--findings", path)

    def test_nothing_to_draw(self):
        g = committed()
        g["claims"] = []
        path = os.path.join(self.tmp, "f.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(g, f)
        self.refused("--findings", path)

    def test_bad_options(self):
        self.refused("--findings", FINDINGS, "--formats", "gif")
        self.refused("--findings", FINDINGS, "--bogus")


if __name__ == "__main__":
    unittest.main()
