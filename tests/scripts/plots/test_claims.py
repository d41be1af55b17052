"""test_claims.py - ptb/plot/claims.py: one chart per claim from the
rows of make table and the verdicts of its findings.json, and what it
refuses.

table-fixture.csv is results/table.csv of a full make table run cut to its
first 5 repetitions (with its meta); its findings.json is made here the way
make table makes it (python3 -m ptb.table --from-csv on a copy).  The tests
draw from it, from CSVs made here with rows taken out, and from the
committed results (results/table.csv and results/findings.json), where
both languages are measured.
"""
import copy
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

from ptb.plot import claims
from ptb.plot import csvkeys
from ptb.table import unstable

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
FIXTURE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "table-fixture.csv")
RESULTS = os.path.join(ROOT, "results")
NOT_MEASURED = "not measured"

ALL = [f"C{i}" for i in range(1, 15)]
SET = {}      # the fixture as a make table result directory: table.csv, meta, findings.json


def setUpModule():
    d = tempfile.mkdtemp(prefix="ptb-test-claims-set-")
    shutil.copyfile(FIXTURE, os.path.join(d, "table.csv"))
    shutil.copyfile(FIXTURE[:-4] + ".meta.json", os.path.join(d, "table.meta.json"))
    subprocess.run([sys.executable, "-m", "ptb.table", "--from-csv", "--out-dir", d],
                   check=True, capture_output=True, cwd=ROOT)
    SET.update(dir=d, csv=os.path.join(d, "table.csv"), findings=os.path.join(d, "findings.json"))


def tearDownModule():
    shutil.rmtree(SET["dir"], ignore_errors=True)


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def write_json(path, data):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False)


def claim(findings, cid):
    return next(c for c in findings["claims"] if c["id"] == cid)


def rows_of(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def write_csv(path, rows, meta=True):
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    if meta:
        shutil.copyfile(FIXTURE[:-4] + ".meta.json", path[:-4] + ".meta.json")


def run(*args):
    return subprocess.run([sys.executable, "-m", "ptb.plot.claims", *args], capture_output=True,
                          text=True, cwd=ROOT)


def index_of(out):
    """{file: caption} of an index.tsv."""
    with open(os.path.join(out, "index.tsv"), encoding="utf-8") as f:
        return dict(ln.rstrip("\n").split("\t", 1) for ln in f if ln.strip())


class DrawsEveryClaim(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="ptb-test-claims-")
        cls.out = os.path.join(cls.tmp, "claims")
        cls.proc = run("--formats", "png", SET["csv"], cls.out)
        cls.svg = run("--formats", "svg", "--only", "C5", "--findings", SET["findings"], FIXTURE,
                      cls.out)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_one_png_per_claim_and_an_svg(self):
        self.assertEqual(self.proc.returncode, 0, self.proc.stderr)
        for cid in (c for c in ALL if c != "C5"):     # C5 redrawn as SVG only
            with open(os.path.join(self.out, f"{cid}.png"), "rb") as f:
                self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n", cid)
        self.assertEqual(self.svg.returncode, 0, self.svg.stderr)
        with open(os.path.join(self.out, "C5.svg")) as f:
            self.assertIn("<svg", f.read())

    def test_index_lists_every_chart_with_a_caption(self):
        """The --only C5 run kept the other claims' entries and added its SVG."""
        with open(os.path.join(self.out, "index.tsv")) as f:
            entries = [ln.rstrip("\n").split("\t") for ln in f if ln.strip()]
        names = [e[0] for e in entries]
        self.assertEqual(sorted(names), sorted([f"{c}.png" for c in ALL if c != "C5"] + ["C5.svg"]))
        self.assertTrue(all(len(e) == 2 and e[1] for e in entries))


class Contents(unittest.TestCase):
    """What the charts hold, from the data handed to gnuplot."""

    @classmethod
    def setUpClass(cls):
        _, cls.rows = csvkeys.load(FIXTURE)
        cls.meta = csvkeys.load_meta(FIXTURE)
        cls.findings = load_json(SET["findings"])

    def series(self, chart, panel=0):
        return {s.label: s for s in chart.panels[panel].series}

    def test_c1_has_the_primitives_against_parent_memory(self):
        ch = claims.c1(self.rows, self.meta)
        s = self.series(ch)
        for name in ("thread", "fork", "vfork", "posix_spawn", "Python pythread", "Python pyproc"):
            self.assertIn(name, s)
        # parent 0 and 256 MiB in this CSV: 0 drawn at 1/4 MiB on the log axis
        self.assertEqual([x for x, _ in s["fork"].points], [0.25, 256])
        self.assertTrue(ch.panels[0].logx and ch.panels[0].logy)

    def test_c1_median_is_the_tables(self):
        ch = claims.c1(self.rows, self.meta)
        fork0 = [float(r["ns_per_op"]) for r in self.rows if r["workload"] == "create"
                 and r["model"] == "fork" and "parent-mb=0;" in r["params"]]
        fork0.sort()
        unit = ch.panels[0].ylabel.split("(")[1].split(",")[0]
        factor = {"ns": 1, "µs": 1e3, "ms": 1e6, "s": 1e9}[unit]
        self.assertAlmostEqual(self.series(ch)["fork"].points[0][1][0] * factor, fork0[2], places=3)

    def test_python_measured_but_absent_from_the_csv_is_a_note(self):
        """findings.json has C5 in CPython; a CSV without Python rows draws C
        and says that its rows are missing, not that it was not measured."""
        rows = [r for r in self.rows if not r["model"].startswith("py")]
        ch = claims.with_findings(claims.c5(rows, self.meta), claim(self.findings, "C5"))
        self.assertTrue(ch)
        labels = [s.label for p in ch.panels for s in p.series]
        self.assertEqual(sorted(set(labels)), ["fork", "thread"])
        self.assertTrue(any(n.startswith("CPython: holds in findings.json, but this CSV has no rows")
                            for n in ch.notes), ch.notes)
        self.assertNotIn(NOT_MEASURED, ch.caption + " ".join(ch.notes))

    def test_a_language_findings_has_not_measured_is_not_drawn(self):
        """The Python rows are drawn only where findings.json has measured
        the claim in CPython: not with a copy that says it was not."""
        fnd = copy.deepcopy(self.findings)
        py = claim(fnd, "C5")["languages"]["CPython"]
        py.update(verdict=NOT_MEASURED, not_measured="no pythread rows (a test's copy)")
        ch = claims.with_findings(claims.c5(self.rows, self.meta), claim(fnd, "C5"))
        self.assertFalse([s for p in ch.panels for s in p.series if s.model.startswith("py")])
        self.assertIn("CPython: not measured (no pythread rows (a test's copy))", ch.notes)
        self.assertIn("CPython: not measured", ch.verdicts)

    def test_c10_python_beside_c_when_pympi_rows_exist(self):
        ch = claims.with_findings(claims.c10(self.rows, self.meta), claim(self.findings, "C10"))
        # the fixture: mpi rows, no pympi, and findings.json says why
        self.assertTrue(any(n.startswith("CPython: not measured (no pympi rows") for n in ch.notes),
                        ch.notes)
        run = {k: "" for k in self.rows[0]}
        py = []
        for h in (1, 2):
            for rep in range(5):
                base = dict(run, run_id=f"py-h{h}", workload="cpu", workers="4", rep=str(rep), ok="1")
                py.append(dict(base, model="pythread", params="steps=1000", ns_per_op="20"))
                py.append(dict(base, model="pympi", ns_per_op="10",
                               params="steps=1000" + (f";hosts={h}" if h > 1 else "")))
        fnd = copy.deepcopy(self.findings)
        claim(fnd, "C10")["languages"]["CPython"].update(verdict="holds", not_measured=None)
        ch = claims.with_findings(claims.c10(self.rows + py, self.meta), claim(fnd, "C10"))
        self.assertFalse(ch.notes)
        s = self.series(ch, len(ch.panels) - 1)
        self.assertEqual([x for x, _ in s["Python pympi: 4 ranks"].points], [1, 2])
        self.assertEqual(s["Python pympi: 4 ranks"].points[0][1][0], 100.0)        # Msteps/s
        self.assertEqual(s["Python pythread: 4 threads, one host"].points, [(1, (50.0, 50.0, 50.0))])
        self.assertIn("mpi: 4 ranks", self.series(ch, 0))   # C's panel first

    def test_c7_lost_share(self):
        ch = claims.c7(self.rows, self.meta)
        s = self.series(ch)
        # 4 workers x 200 decrements, no lock: 600 of 800 lost = 75%
        self.assertAlmostEqual(s["thread"].points[0][1][0], 75.0)
        self.assertEqual(s["fork"].points[1][1], (0.0, 0.0, 0.0))

    def test_zombies_zero_and_daemons_per_condition(self):
        ch = claims.c9(self.rows, self.meta)
        self.assertEqual(len(ch.panels[0].series), 4)
        for ser in ch.panels[0].series:
            self.assertEqual([v for _, v in ser.points], [(0.0, 0.0, 0.0)], ser.label)
        self.assertEqual(ch.panels[0].ymax(), 1)
        ch = claims.c11(self.rows, self.meta)
        alive = dict(zip(ch.panels[0].cats, (v[0] for _, v in ch.panels[0].series[0].points)))
        # an atexit handler does not run when the parent is SIGKILLed: both daemons stay
        self.assertEqual(alive, {"pdeathsig, parent exit": 0, "pdeathsig, parent sigkill": 0,
                                 "atexit, parent exit": 0, "atexit, parent sigkill": 2})


class FollowsFindings(unittest.TestCase):
    """Every verdict and every "measured" comes from findings.json."""

    @classmethod
    def setUpClass(cls):
        cls.findings = load_json(os.path.join(RESULTS, "findings.json"))
        rows = rows_of(os.path.join(RESULTS, "table.csv"))
        cls.meta = csvkeys.load_meta(os.path.join(RESULTS, "table.csv"))
        charts, absent = claims.build(rows, cls.meta, cls.findings, None)
        cls.charts = {ch.cid: ch for ch in charts}
        cls.absent = absent
        cls.tmp = tempfile.mkdtemp(prefix="ptb-test-claims-")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def measured(self, findings):
        for c in findings["claims"]:
            for lang, rec in c["languages"].items():
                if rec["verdict"] != NOT_MEASURED:
                    yield c, lang, rec

    def test_committed_results_draw_every_claim(self):
        self.assertEqual(sorted(self.charts, key=lambda c: int(c[1:])), ALL)
        self.assertEqual(self.absent, [])

    def test_nothing_measured_says_not_measured(self):
        """For every claim and language findings.json has measured, neither
        the chart's title, its verdict line, its caption nor its notes say
        "not measured" of that language; the verdict shown is findings'."""
        seen = set()
        for c, lang, rec in self.measured(self.findings):
            ch = self.charts[c["id"]]
            seen.add(lang)
            for text in [ch.title, ch.verdicts, ch.caption] + ch.notes:
                self.assertNotIn(f"{lang}: {NOT_MEASURED}", text, (c["id"], lang))
            self.assertIn(f"{lang}: {claims.verdict_text(rec)}", ch.verdicts, c["id"])
            self.assertIn(rec["verdict"], claims.verdict_text(rec), c["id"])
            self.assertTrue(ch.caption.startswith(f"{ch.title} — {ch.verdicts}. "), c["id"])
        self.assertEqual(seen, {"C", "CPython"})

    def test_measured_python_is_drawn(self):
        """Where findings.json has the claim in CPython, the chart draws the
        Python models' rows (C3: pythread and pyproc beside thread and fork)."""
        for c, lang, _ in self.measured(self.findings):
            if lang == "CPython":
                models = {s.model for p in self.charts[c["id"]].panels for s in p.series}
                self.assertTrue(any(m.startswith("py") for m in models), (c["id"], models))
        c3 = {s.model for p in self.charts["C3"].panels for s in p.series}
        self.assertEqual(c3, {"thread", "fork", "pythread", "pyproc"})

    def test_title_states_claim_and_verdicts(self):
        ch = self.charts["C3"]
        self.assertEqual(ch.title, "C3 processes use more memory")
        # the verdicts of findings.json with their figures (any committed run's)
        self.assertRegex(ch.verdicts, r"^C: holds [\d.]+×, CPython: holds [\d.]+×$")
        self.assertEqual(self.charts["C8"].title,
                         "C8 apply runs the pool in series, apply_async in parallel")
        self.assertTrue(self.charts["C14"].verdicts.startswith("CPython: "))   # primary first
        for cid, ch in self.charts.items():
            for lang, rec in claim(self.findings, cid)["languages"].items():
                if rec["unstable"]:
                    self.assertIn(f"{lang}: {unstable.word(rec['stability'])} (this run: "
                                  f"{rec['verdict']}", ch.verdicts)
                self.assertNotIn("unstable", ch.verdicts)

    def test_one_changed_verdict_changes_that_caption(self):
        """A copy of the fixture's findings.json with C6's C verdict changed:
        index.tsv's caption of C6 says the new verdict, the other is unchanged."""
        original = load_json(SET["findings"])
        changed = copy.deepcopy(original)
        rec = claim(changed, "C6")["languages"]["C"]
        self.assertEqual(rec["verdict"], "holds")
        rec["verdict"] = "fails"
        path = os.path.join(self.tmp, "changed.json")
        write_json(path, changed)
        before, after = os.path.join(self.tmp, "before"), os.path.join(self.tmp, "after")
        for out, findings in ((before, SET["findings"]), (after, path)):
            proc = run("--formats", "svg", "--only", "C6,C7", "--findings", findings, SET["csv"], out)
            self.assertEqual(proc.returncode, 0, proc.stderr)
        b, a = index_of(before), index_of(after)
        self.assertIn("— C: holds ", b["C6.svg"])
        self.assertIn("— C: fails ", a["C6.svg"])
        self.assertNotEqual(b["C6.svg"], a["C6.svg"])
        self.assertEqual(b["C7.svg"], a["C7.svg"])

    def test_fixture_captions(self):
        """The fixture's findings have CPython unmeasured for C2: its caption
        says so, with C's verdict; C5's has both languages' verdicts."""
        out = os.path.join(self.tmp, "fixture")
        proc = run("--formats", "svg", "--only", "C2,C5", SET["csv"], out)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        idx = index_of(out)
        findings = load_json(SET["findings"])
        for cid in ("C2", "C5"):
            for lang, rec in claim(findings, cid)["languages"].items():
                self.assertIn(f"{lang}: {claims.verdict_text(rec)}", idx[f"{cid}.svg"])
        self.assertIn("CPython: not measured", idx["C2.svg"])
        self.assertNotIn(NOT_MEASURED, idx["C5.svg"])


class Refuses(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="ptb-test-claims-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def assert_refused(self, proc, words, out):
        self.assertEqual(proc.returncode, 2, proc.stderr)
        lines = proc.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, proc.stderr)
        self.assertIn(words, lines[0])
        self.assertFalse(os.path.exists(out))

    def test_csv_without_any_claims_rows(self):
        rows = [r for r in rows_of(FIXTURE) if r["workload"] == "cpu" and r["model"] == "thread"
                and r["workers"] in ("1", "2")]
        path = os.path.join(self.tmp, "bench.csv")
        write_csv(path, rows)
        meta = load_json(path[:-4] + ".meta.json")
        del meta["c13"]                 # C13's chart comes from the meta, not from rows
        write_json(path[:-4] + ".meta.json", meta)
        out = os.path.join(self.tmp, "out")
        self.assert_refused(run("--findings", SET["findings"], path, out), "no rows for any claim", out)

    def test_only_a_claim_without_rows(self):
        rows = [r for r in rows_of(FIXTURE) if r["workload"] != "crash"]
        path = os.path.join(self.tmp, "t.csv")
        write_csv(path, rows)
        out = os.path.join(self.tmp, "out")
        self.assert_refused(run("--only", "C6", "--findings", SET["findings"], path, out),
                            "no rows for C6", out)

    def test_missing_file_and_unknown_claim(self):
        out = os.path.join(self.tmp, "out")
        self.assert_refused(run(os.path.join(self.tmp, "none.csv"), out), "none.csv", out)
        self.assert_refused(run("--only", "C99", FIXTURE, out), "unknown claim 'C99'", out)

    def test_claim_without_rows_is_a_note_not_an_empty_chart(self):
        rows = [r for r in rows_of(FIXTURE) if r["workload"] == "zombie"]
        path = os.path.join(self.tmp, "t.csv")
        write_csv(path, rows)
        out = os.path.join(self.tmp, "out")
        proc = run("--formats", "png", "--findings", SET["findings"], path, out)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(sorted(os.listdir(out)), ["C13.png", "C9.png", "index.tsv"])
        with open(os.path.join(out, "index.tsv")) as f:
            self.assertIn("note\tC6: no rows", f.read())
        self.assertIn("C6: no rows", proc.stderr)

    def test_findings_missing_of_another_schema_or_of_another_run(self):
        """findings.json and table.csv must be one make table's."""
        out = os.path.join(self.tmp, "out")
        d = os.path.join(self.tmp, "set")
        os.makedirs(d)
        path = os.path.join(d, "table.csv")
        shutil.copyfile(SET["csv"], path)
        shutil.copyfile(FIXTURE[:-4] + ".meta.json", os.path.join(d, "table.meta.json"))
        self.assert_refused(run(path, out), "findings.json: cannot read", out)
        findings = load_json(SET["findings"])
        for name, edit, words in (
                ("schema", lambda f: f.update(schema=99), "schema 99"),
                ("git", lambda f: f["run"].update(git="0000000"), "is not of the run of"),
                ("date", lambda f: f["run"].update(date="2000-01-01T00:00:00Z"),
                 "is not of the run of")):
            other = copy.deepcopy(findings)
            edit(other)
            write_json(os.path.join(d, "findings.json"), other)
            self.assert_refused(run(path, out), words, out)
        shutil.copyfile(SET["findings"], os.path.join(d, "findings.json"))
        proc = run("--formats", "svg", "--only", "C6", path, out)     # beside the CSV: the default
        self.assertEqual(proc.returncode, 0, proc.stderr)


if __name__ == "__main__":
    unittest.main()
