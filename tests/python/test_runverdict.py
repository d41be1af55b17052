"""test_runverdict.py - processes ÷ threads after a run (bench/verdict.c,
ptb/runverdict.py, doc/export.md "Processes ÷ threads").

  Judge    ptb.runverdict on seeded samples: the exact verdict words
           (clearly slower, clearly faster by throughput, clearly the same,
           too few repetitions, not measured, memory and survivors), the
           exact ratio of medians, an interval around it, the same output
           twice, the JSON list; bad input in one line, exit 2
  Run      build/ptbench run -w cpu -m thread,fork -n 1,2 -r 5: one line per
           worker count after the summary, "verdicts" in --export-json and
           the lines in --export-markdown; -o -: the lines on stderr with the
           summary; pools pair by submit mode; no pair: no line, "verdicts": []
  NoScipy  no interpreter can import scipy (a mount namespace hides
           /usr/bin/python3): one note on stderr, exit 0, "verdicts": null
  Facts    `ptbench list --json`: each "counterpart" names a thread model
           run the same way (pooled, external) as its process model

Runs with any python3: the statistics run in a child with scipy
($PYTHON, $PTB_PYTHON_STATS or /usr/bin/python3; skipped without one).
"""
import json
import os
import random
import shutil
import subprocess
import tempfile
import unittest

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.path.join(TOP, os.environ.get("PTB_BUILD", "build"))
# make test turns the verdicts off for every other suite (mk/test.mk); here
# they are what is tested: every run of this file has ENV, the environment
# without PTB_NO_VERDICTS (os.environ is left as it is: the other test
# files of the same unittest process keep the verdicts off)
ENV = {k: v for k, v in os.environ.items() if k != "PTB_NO_VERDICTS"}
PTBENCH = os.path.join(BUILD, "ptbench")

SLOWER, FASTER = "processes slower", "processes faster"
SAME = "no measurable difference"
TOO_FEW = "too few repetitions (p < 0.01 needs 5 a side)"
WORDS = {SLOWER, FASTER, SAME, TOO_FEW}


def scipy_python():
    """An interpreter that can import scipy, or None."""
    for py in (os.environ.get("PYTHON"), os.environ.get("PTB_PYTHON_STATS"), "/usr/bin/python3"):
        if py and shutil.which(py) and subprocess.run(
                [py, "-c", "import scipy"], capture_output=True).returncode == 0:
            return py
    return None


PY = scipy_python()


def ptbench(*args, cwd, env=None):
    return subprocess.run([PTBENCH] + list(args), capture_output=True, text=True, timeout=300,
                          cwd=cwd, env=ENV if env is None else env)


def seeded(seed, center, n, spread=0.02):
    """n values around center, ±spread relative, from random.Random(seed)."""
    r = random.Random(seed)
    return [center * (1 + spread * (2 * r.random() - 1)) for _ in range(n)]


def pair(process_values, thread_values, measure="time per op", workers=2, process="fork",
         thread="thread", op="step"):
    return {"workload": "cpu", "params": "steps=1000", "workers": workers, "tasks": workers,
            "process": process, "thread": thread, "measure": measure, "unit": "ns/step",
            "better": "lower", "op": op, "process_values": process_values,
            "thread_values": thread_values}


def median(v):
    s = sorted(v)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


@unittest.skipUnless(PY, "no Python with scipy for ptb.runverdict")
class Judge(unittest.TestCase):
    def run_module(self, pairs, *args):
        env = dict(ENV, PYTHONPATH=TOP)
        return subprocess.run([PY, "-m", "ptb.runverdict"] + list(args),
                              input=json.dumps({"pairs": pairs}), capture_output=True,
                              text=True, env=env, timeout=120)

    def verdicts(self, pairs):
        with tempfile.TemporaryDirectory(prefix="ptb-verdict-test.") as tmp:
            out = os.path.join(tmp, "v.json")
            p = self.run_module(pairs, "--json", out)
            self.assertEqual(p.returncode, 0, p.stderr)
            with open(out, encoding="utf-8") as f:
                return p.stdout.splitlines(), json.load(f)

    def test_words(self):
        cases = [  # (process values, thread values, measure, the word)
            (seeded(1, 20.0, 7), seeded(2, 10.0, 7), "time per op", SLOWER),
            (seeded(3, 5.0, 5), seeded(4, 10.0, 5), "time per op", FASTER),
            (seeded(5, 2e9, 6), seeded(6, 1e9, 6), "throughput", FASTER),
            (seeded(7, 1e9, 6), seeded(8, 2e9, 6), "throughput", SLOWER),
            (seeded(9, 10.0, 7), seeded(10, 10.0, 7), "time per op", SAME),
            (seeded(11, 20.0, 3), seeded(12, 10.0, 3), "time per op", TOO_FEW),
            (seeded(13, 20.0, 9), seeded(14, 10.0, 4), "time per op", TOO_FEW),
            (seeded(15, 3e6, 5), seeded(16, 1e6, 5), "PSS per worker", "processes use more memory"),
            ([3.0] * 5, [0.0] * 5, "survivors", "more tasks survive in processes"),
        ]
        lines, records = self.verdicts([pair(a, b, m) for a, b, m, _ in cases])
        self.assertEqual(len(lines), len(cases))
        self.assertEqual([r["verdict"] for r in records], [w for *_, w in cases])
        for line, rec, (a, b, measure, word) in zip(lines, records, cases):
            self.assertTrue(line.endswith(": " + word), line)
            self.assertEqual((rec["n_process"], rec["n_thread"]), (len(a), len(b)))
            self.assertEqual(rec["measure"], measure)
            if median(b):
                self.assertAlmostEqual(rec["ratio"], median(a) / median(b), places=12)
                self.assertLessEqual(rec["ci_low"], rec["ratio"])
                self.assertGreaterEqual(rec["ci_high"], rec["ratio"])
                self.assertRegex(line, r" \d[\d.]*× \(95% CI [\d.]+–[\d.]+×\): ")
            if word in (SLOWER, FASTER, SAME):
                self.assertIsNotNone(rec["p"])
                self.assertEqual(rec["p"] < 0.01, word != SAME)
            if word == TOO_FEW:
                self.assertIsNone(rec["p"])

    def test_line(self):
        lines, _ = self.verdicts([pair([20.0, 20.2, 19.8, 20.1, 19.9], [10.0, 10.1, 10.2, 9.9, 9.8])])
        self.assertRegex(lines[0], r"^for cpu \(steps=1000, 2 workers\): time per step, "
                                   r"fork ÷ thread 2× \(95% CI 1\.9\d*–2\.0\d*×\): processes slower$")
        # pools keep their submit mode; tasks beside workers when they differ
        p = pair(seeded(1, 1.0, 5), seeded(2, 1.0, 5), workers=1, process="procpool/sync",
                 thread="threadpool/sync")
        p["tasks"] = 8
        lines, _ = self.verdicts([p])
        self.assertTrue(lines[0].startswith("for cpu (steps=1000, 1 worker, 8 tasks): time per "
                                            "step, procpool/sync ÷ threadpool/sync "), lines[0])

    def test_same_output_twice(self):
        pairs = [pair(seeded(21, 10.0, 5, 0.2), seeded(22, 11.0, 5, 0.2))]
        self.assertEqual(self.verdicts(pairs), self.verdicts(pairs))

    def test_not_measured(self):
        lines, records = self.verdicts([pair([], [1.0, 2.0])])
        self.assertEqual(lines, ["for cpu (steps=1000, 2 workers): time per step, fork ÷ thread: "
                                 "not measured (no ok repetition of fork)"])
        self.assertEqual((records[0]["verdict"], records[0]["ratio"]), ("not measured", None))

    def test_no_pairs(self):
        lines, records = self.verdicts([])
        self.assertEqual((lines, records), ([], []))

    def test_bad_input(self):
        env = dict(ENV, PYTHONPATH=TOP)
        for text in ("nope", '{"pairs": [{"workload": "cpu"}]}', '{"x": 1}'):
            p = subprocess.run([PY, "-m", "ptb.runverdict"], input=text, capture_output=True,
                               text=True, env=env, timeout=120)
            self.assertEqual(p.returncode, 2, (text, p.stderr))
            self.assertEqual(p.stdout, "")
            self.assertEqual(p.stderr.count("\n"), 1, p.stderr)


def verdict_lines(text):
    return [ln for ln in text.splitlines() if ln.startswith("for ")]


@unittest.skipUnless(PY, "no Python with scipy for the verdicts")
class Run(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="ptb-verdict-run.")
        cls.dir = cls.tmp.name
        cls.proc = ptbench("run", "-w", "cpu", "-m", "thread,fork", "-n", "1,2", "-r", "5",
                           "--warmup", "0", "-q", "--steps", "1000", "-o", "r.csv",
                           "--export-json", "r.json", "--export-markdown", "r.md", cwd=cls.dir)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_lines(self):
        self.assertEqual(self.proc.returncode, 0, self.proc.stderr)
        lines = verdict_lines(self.proc.stdout)
        self.assertEqual(len(lines), 2, self.proc.stdout)
        for workers, line in zip(("1 worker", "2 workers"), lines):
            self.assertRegex(line, rf"^for cpu \(steps=1000, {workers}\): time per step, fork ÷ "
                                   r"thread [\d.]+× \(95% CI [\d.]+–[\d.]+×\): ")
            self.assertIn(line.rsplit(": ", 1)[1], WORDS, line)
        # after the summary's legend
        out = self.proc.stdout
        self.assertLess(out.index("n: repetitions measured"), out.index(lines[0]))

    def test_export(self):
        with open(os.path.join(self.dir, "r.json"), encoding="utf-8") as f:
            doc = json.load(f)
        v = doc["verdicts"]
        self.assertEqual([(x["workers"], x["process"], x["thread"]) for x in v],
                         [(1, "fork", "thread"), (2, "fork", "thread")])
        results = {(r["workers"], r["variant"]): r for r in doc["results"]}
        for x in v:
            self.assertEqual((x["workload"], x["params"], x["measure"]),
                             ("cpu", "steps=1000", "time per op"))
            self.assertEqual((x["n_process"], x["n_thread"]), (5, 5))
            a, b = results[(x["workers"], "fork")], results[(x["workers"], "thread")]
            self.assertAlmostEqual(x["ratio"], a["median"] / b["median"], places=9)
            self.assertLessEqual(x["ci_low"], x["ratio"])
            self.assertGreaterEqual(x["ci_high"], x["ratio"])
            self.assertIn(x["verdict"], WORDS)
        with open(os.path.join(self.dir, "r.md"), encoding="utf-8") as f:
            md = f.read()
        self.assertEqual(len([ln for ln in md.splitlines() if ln.startswith("- for cpu")]), 2)

    def test_stdout_csv(self):
        p = ptbench("run", "-w", "cpu", "-m", "thread,fork", "-n", "1", "-r", "2", "--warmup", "0",
                    "-q", "--steps", "1000", "-o", "-", cwd=self.dir)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(verdict_lines(p.stdout), [])
        self.assertEqual(len(verdict_lines(p.stderr)), 1, p.stderr)
        self.assertTrue(verdict_lines(p.stderr)[0].endswith(": " + TOO_FEW))

    def test_pools_by_submit_mode(self):
        p = ptbench("run", "-w", "cpu", "-m", "threadpool,procpool", "-n", "2", "-r", "2",
                    "--warmup", "0", "-q", "--steps", "1000", "--submit", "sync,async",
                    "-o", "pool.csv", cwd=self.dir)
        self.assertEqual(p.returncode, 0, p.stderr)
        heads = [ln.split(" ÷ ")[0].rsplit(", ", 1)[1] + " ÷ " + ln.split(" ÷ ")[1].split()[0]
                 for ln in verdict_lines(p.stdout)]
        self.assertEqual(heads, ["procpool/sync ÷ threadpool/sync",
                                 "procpool/async ÷ threadpool/async"], p.stdout)

    def test_turned_off(self):
        """--no-verdicts and PTB_NO_VERDICTS: no line, no Python, verdicts null."""
        for name, extra, env in (("flag", ["--no-verdicts"], None),
                                 ("env", [], dict(ENV, PTB_NO_VERDICTS="1"))):
            p = ptbench("run", "-w", "cpu", "-m", "thread,fork", "-n", "1", "-r", "5",
                        "--warmup", "0", "-q", "--steps", "1000", "-o", f"off-{name}.csv",
                        "--export-json", f"off-{name}.json", *extra, cwd=self.dir, env=env)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertEqual(verdict_lines(p.stdout) + verdict_lines(p.stderr), [], name)
            with open(os.path.join(self.dir, f"off-{name}.json"), encoding="utf-8") as f:
                self.assertIsNone(json.load(f)["verdicts"], name)

    def test_no_pair(self):
        p = ptbench("run", "-w", "cpu", "-m", "thread,threadpool", "-n", "1", "-r", "2",
                    "--warmup", "0", "-q", "--steps", "1000", "-o", "one.csv",
                    "--export-json", "one.json", cwd=self.dir)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(verdict_lines(p.stdout), [])
        with open(os.path.join(self.dir, "one.json"), encoding="utf-8") as f:
            self.assertEqual(json.load(f)["verdicts"], [])


def can_hide_python():
    if not shutil.which("unshare") or not os.path.exists("/usr/bin/python3"):
        return False
    p = subprocess.run(["unshare", "-rm", "sh", "-c", "mount --bind /bin/true /usr/bin/python3"],
                       capture_output=True)
    return p.returncode == 0


class NoScipy(unittest.TestCase):
    """ptbench run where no interpreter of PTB_PYTHON_STATS, python3 and
    /usr/bin/python3 can import scipy: a script that fails stands for each
    (bound over /usr/bin/python3 in a private mount namespace)."""

    @unittest.skipUnless(can_hide_python(), "no unshare -rm with bind mounts here")
    def test_note_and_exit_0(self):
        with tempfile.TemporaryDirectory(prefix="ptb-verdict-noscipy.") as tmp:
            bindir = os.path.join(tmp, "bin")
            os.mkdir(bindir)
            fake = os.path.join(bindir, "python3")
            with open(fake, "w") as f:
                f.write("#!/bin/sh\nexit 1\n")
            os.chmod(fake, 0o755)
            env = dict(ENV, PATH=bindir + ":/usr/bin:/bin", PTB_PYTHON_STATS=fake)
            script = ('mount --bind "$1" /usr/bin/python3 && shift && exec "$@"')
            p = subprocess.run(["unshare", "-rm", "sh", "-c", script, "sh", fake, PTBENCH, "run",
                                "-w", "cpu", "-m", "thread,fork", "-n", "1", "-r", "2",
                                "--warmup", "0", "-q", "--steps", "1000", "-o", "n.csv",
                                "--export-json", "n.json"],
                               capture_output=True, text=True, cwd=tmp, env=env, timeout=300)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertEqual(verdict_lines(p.stdout), [])
            notes = [ln for ln in p.stderr.splitlines() if "scipy" in ln]
            self.assertEqual(len(notes), 1, p.stderr)
            self.assertRegex(notes[0], r"^ptbench: note: the verdicts \(processes ÷ threads\) need "
                                       r"Python 3 with scipy: .*python3-scipy.*PTB_PYTHON_STATS")
            self.assertIn("median", p.stdout)   # the summary is there
            with open(os.path.join(tmp, "n.json"), encoding="utf-8") as f:
                self.assertIsNone(json.load(f)["verdicts"])


class Facts(unittest.TestCase):
    def test_counterparts(self):
        p = ptbench("list", "--json", cwd=TOP)
        self.assertEqual(p.returncode, 0, p.stderr)
        models = {m["name"]: m for m in json.loads(p.stdout)["models"]}
        pairs = {name: m["counterpart"] for name, m in models.items() if m["counterpart"]}
        self.assertEqual(pairs, {"fork": "thread", "procpool": "threadpool",
                                 "pyproc": "pythread", "pypool": "pythreadpool",
                                 "pyexproc": "pyexthread"})
        for name, twin in pairs.items():
            m, t = models[name], models[twin]
            self.assertFalse(m["shared_space"], name)
            self.assertTrue(t["shared_space"], twin)
            self.assertEqual((m["pooled"], m["external"]), (t["pooled"], t["external"]), name)
            self.assertIsNone(t["counterpart"], twin)


if __name__ == "__main__":
    unittest.main()
