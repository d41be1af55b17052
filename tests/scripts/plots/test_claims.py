"""test_claims.py - ptb/plot/claims.py: one chart per claim from the
rows of make table, and what it refuses.

table-fixture.csv is results/table.csv of a full make table run cut to its
first 5 repetitions (with its meta); the tests draw from it and from CSVs
made here with rows taken out.
"""
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
FIXTURE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "table-fixture.csv")
from ptb.plot import claims
from ptb.plot import csvkeys

ALL = [f"C{i}" for i in range(1, 15)]


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
    return subprocess.run([sys.executable, "-m", "ptb.plot.claims", *args], capture_output=True, text=True)


class DrawsEveryClaim(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="ptb-test-claims-")
        cls.out = os.path.join(cls.tmp, "claims")
        cls.proc = run("--formats", "png", FIXTURE, cls.out)
        cls.svg = run("--formats", "svg", "--only", "C5", FIXTURE, cls.out)

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

    def test_python_absent_shows_c_with_a_note(self):
        rows = [r for r in self.rows if not r["model"].startswith("py")]
        ch = claims.c5(rows, self.meta)
        self.assertTrue(ch)
        labels = [s.label for p in ch.panels for s in p.series]
        self.assertEqual(sorted(set(labels)), ["fork", "thread"])
        self.assertTrue(any("Python: no rows" in n for n in ch.notes))

    def test_c10_python_beside_c_when_pympi_rows_exist(self):
        ch = claims.c10(self.rows, self.meta)    # the fixture: mpi rows, no pympi
        self.assertTrue(any("Python: not measured" in n for n in ch.notes))
        run = {k: "" for k in self.rows[0]}
        py = []
        for h in (1, 2):
            for rep in range(5):
                base = dict(run, run_id=f"py-h{h}", workload="cpu", workers="4", rep=str(rep), ok="1")
                py.append(dict(base, model="pythread", params="steps=1000", ns_per_op="20"))
                py.append(dict(base, model="pympi", ns_per_op="10",
                               params="steps=1000" + (f";hosts={h}" if h > 1 else "")))
        ch = claims.c10(self.rows + py, self.meta)
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
        write_csv(path, rows, meta=False)
        out = os.path.join(self.tmp, "out")
        self.assert_refused(run(path, out), "no rows for any claim", out)

    def test_only_a_claim_without_rows(self):
        rows = [r for r in rows_of(FIXTURE) if r["workload"] != "crash"]
        path = os.path.join(self.tmp, "t.csv")
        write_csv(path, rows)
        out = os.path.join(self.tmp, "out")
        self.assert_refused(run("--only", "C6", path, out), "no rows for C6", out)

    def test_missing_file_and_unknown_claim(self):
        out = os.path.join(self.tmp, "out")
        self.assert_refused(run(os.path.join(self.tmp, "none.csv"), out), "none.csv", out)
        self.assert_refused(run("--only", "C99", FIXTURE, out), "unknown claim 'C99'", out)

    def test_claim_without_rows_is_a_note_not_an_empty_chart(self):
        rows = [r for r in rows_of(FIXTURE) if r["workload"] == "zombie"]
        path = os.path.join(self.tmp, "t.csv")
        write_csv(path, rows)
        out = os.path.join(self.tmp, "out")
        proc = run("--formats", "png", path, out)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(sorted(os.listdir(out)), ["C13.png", "C9.png", "index.tsv"])
        with open(os.path.join(out, "index.tsv")) as f:
            self.assertIn("note\tC6: no rows", f.read())
        self.assertIn("C6: no rows", proc.stderr)


if __name__ == "__main__":
    unittest.main()
