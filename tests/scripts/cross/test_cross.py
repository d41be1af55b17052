"""test_cross.py - tests of the cross-check tools (make test-cross).

The google-benchmark shim (build/ptbench-gbench) runs a few tiny
benchmarks for real; its JSON must convert into valid CSV rows of
ptbench's schema, marked as coming from google-benchmark, with the exact
ops and results the workloads must produce.  The compare scripts must pair
every configuration, and every tool must refuse bad input with exit
status 2 and write nothing.  Correctness only: no timing is checked.

Run from the top of the tree: PTB_BUILD=build python3 -m unittest discover -s tests/scripts/cross
"""
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
BUILD = os.path.join(TOP, os.environ.get("PTB_BUILD", "build"))
SHIM = os.path.join(BUILD, "ptbench-gbench")
PTBENCH = os.path.join(BUILD, "ptbench")

STEPS = 1000
ITERS = 10
WORKERS = (1, 2)
REPS = 2
# (benchmark name prefix, workload, model, expected result for ops)
CASES = (
    ("cpu/thread/", "cpu", "thread", lambda ops: ops),
    ("cpu/fork/", "cpu", "fork", lambda ops: ops),
    ("counter/thread/lock=mutex/", "counter", "thread", lambda ops: 0),
    ("counter/procpool/lock=atomic/", "counter", "procpool", lambda ops: 0),
)


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, cwd=TOP, **kw)


def script(name):
    """The command that runs module `name` of the ptb package."""
    return [sys.executable, "-m", name]


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.reader(f))


def stray_dirs(tmp, prefix):
    return [d for d in os.listdir(tmp) if d.startswith(prefix)]


class CrossTests(unittest.TestCase):
    tmp = None

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="ptbench-test-cross-")
        cls.json = os.path.join(cls.tmp, "g.json")
        cls.csv = os.path.join(cls.tmp, "g.csv")
        filt = "^(" + "|".join(c[0] for c in CASES) + ")"
        cls.shim_run = run([
            SHIM, f"--benchmark_filter={filt}", "--benchmark_min_time=0.001",
            f"--benchmark_repetitions={REPS}", "--benchmark_out_format=json",
            f"--benchmark_out={cls.json}", f"--ptb-set=cpu.steps={STEPS}",
            f"--ptb-set=counter.iters={ITERS}", "--ptb-workers=" + ",".join(map(str, WORKERS)),
            f"--ptb-tmpdir={cls.tmp}"])
        cls.convert_run = run(script("ptb.xcheck.gbench_csv") + [cls.json, "-o", cls.csv])

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def ptbench_header(self):
        out = os.path.join(self.tmp, "header.csv")
        r = run([PTBENCH, "run", "-w", "cpu", "-m", "thread", "-n", "1", "-r", "1",
                 "--warmup", "0", "--steps", "0", "-q", "-o", out, "--force"])
        self.assertEqual(r.returncode, 0, r.stderr)
        return read_csv(out)[0]

    # ---- the shim and the conversion ----------------------------------------

    def test_shim_ran_and_left_nothing(self):
        self.assertEqual(self.shim_run.returncode, 0, self.shim_run.stderr)
        self.assertEqual(stray_dirs(self.tmp, "ptbench-gbench-"), [])

    def test_json_has_repetitions_and_aggregates(self):
        with open(self.json) as f:
            doc = json.load(f)
        kinds = {b["run_type"] for b in doc["benchmarks"]}
        self.assertEqual(kinds, {"iteration", "aggregate"})
        self.assertTrue(doc["context"]["ptbench_run_id"].startswith("gbench-"))

    def test_converted_rows_are_valid_csv(self):
        self.assertEqual(self.convert_run.returncode, 0, self.convert_run.stderr)
        rows = read_csv(self.csv)
        header = rows[0]
        self.assertEqual(header, self.ptbench_header())
        self.assertEqual(len(rows) - 1, len(CASES) * len(WORKERS) * REPS)
        for r in rows[1:]:
            self.assertEqual(len(r), len(header))
        check = run(script("ptb.check_csv") + [self.csv])
        self.assertEqual(check.returncode, 0, check.stderr)

    def test_converted_rows_carry_exact_results(self):
        with open(self.csv, newline="") as f:
            rows = list(csv.DictReader(f))
        seen = set()
        for r in rows:
            self.assertTrue(r["run_id"].startswith("gbench-"))
            self.assertTrue(r["params"].endswith(";source=gbench"), r["params"])
            case = [c for c in CASES if c[1] == r["workload"] and c[2] == r["model"]]
            self.assertEqual(len(case), 1, r)
            workers = int(r["workers"])
            per_task = STEPS if r["workload"] == "cpu" else ITERS
            ops = per_task * workers
            self.assertEqual(int(r["ops"]), ops)
            self.assertEqual(int(r["result"]), case[0][3](ops))
            self.assertEqual(r["ok"], "1")
            self.assertEqual(r["error"], "")
            wall_ns = int(r["wall_ns"])
            self.assertGreater(wall_ns, 0)
            self.assertAlmostEqual(float(r["ns_per_op"]), wall_ns / ops,
                                   delta=wall_ns / ops * 1e-3 + 1e-6)
            for missing in ("maxrss_kb", "pss_kb", "outer_wall_ns"):
                self.assertEqual(r[missing], "", missing)
            for counted in ("user_ns", "sys_ns", "vol_cs", "minflt"):
                self.assertTrue(r[counted].isdigit(), (counted, r[counted]))
            if r["model"] == "procpool":
                self.assertIn(f"tasks={workers};submit=async", r["params"])
            seen.add((r["workload"], r["model"], workers, int(r["rep"])))
        self.assertEqual(len(seen), len(rows))

    def test_meta_sidecar(self):
        with open(os.path.join(self.tmp, "g.meta.json")) as f:
            meta = json.load(f)
        self.assertEqual(meta["source"], "gbench")
        self.assertEqual(meta["schema_version"], 1)
        self.assertEqual(meta["rows"], len(read_csv(self.csv)) - 1)

    def test_error_entry_becomes_failed_row(self):
        with open(self.json) as f:
            doc = json.load(f)
        entry = next(b for b in doc["benchmarks"] if b["run_type"] == "iteration")
        for k in ("real_time", "ops", "result", "label"):
            entry.pop(k, None)
        entry.update(error_occurred=True, error_message="wrong result 3")
        src = os.path.join(self.tmp, "err.json")
        out = os.path.join(self.tmp, "err.csv")
        with open(src, "w") as f:
            json.dump(doc, f)
        r = run(script("ptb.xcheck.gbench_csv") + [src, "-o", out])
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(out, newline="") as f:
            failed = [x for x in csv.DictReader(f) if x["ok"] != "1"]
        self.assertEqual(len(failed), 1)
        self.assertEqual(failed[0]["ok"], "0")
        self.assertEqual(failed[0]["error"], "wrong result 3")
        self.assertEqual(failed[0]["wall_ns"], "")
        self.assertEqual(run(script("ptb.check_csv") + [out]).returncode, 1)

    def test_converter_refuses_bad_input(self):
        notjson = os.path.join(self.tmp, "bad.json")
        nobench = os.path.join(self.tmp, "nobench.json")
        with open(notjson, "w") as f:
            f.write("not json\n")
        with open(nobench, "w") as f:
            json.dump({"context": {}}, f)
        out = os.path.join(self.tmp, "refused.csv")
        for args in ([os.path.join(self.tmp, "absent.json"), "-o", out],
                     [notjson, "-o", out], [nobench, "-o", out],
                     [self.json, "-o", os.path.join(self.tmp, "no", "dir.csv")],
                     [self.json, "-o", os.path.join(self.tmp, "x.txt")], [self.json]):
            r = run(script("ptb.xcheck.gbench_csv") + args)
            self.assertEqual(r.returncode, 2, args)
            self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
            self.assertFalse(os.path.exists(out))
            self.assertFalse(os.path.exists(os.path.join(self.tmp, "refused.meta.json")))

    def test_shim_refuses_bad_options(self):
        for bad, named in (("--ptb-set=cpu.nope=1", "'nope'"), ("--ptb-set=cpu.steps=abc", "'abc'"),
                           ("--ptb-set=nope.x=1", "'nope'"),
                           ("--ptb-set=counter.lock=mutex,bogus", "'bogus'"),
                           ("--ptb-workers=0", "'0'"), ("--ptb-timeout=0", "'0'"),
                           ("--ptb-frob", "'--ptb-frob'")):
            out = os.path.join(self.tmp, "refused.json")
            r = run([SHIM, bad, f"--ptb-tmpdir={self.tmp}", f"--benchmark_out={out}"])
            self.assertEqual(r.returncode, 2, bad)
            self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
            self.assertIn(named, r.stderr)
            self.assertFalse(os.path.exists(out))
        self.assertEqual(stray_dirs(self.tmp, "ptbench-gbench-"), [])

    def test_runner_mode_gives_the_same_exact_results(self):
        src = os.path.join(self.tmp, "runner.json")
        out = os.path.join(self.tmp, "runner.csv")
        r = run([SHIM, "--ptb-runner", "--benchmark_filter=^(cpu/fork|counter/thread/lock=spin)/",
                 "--benchmark_min_time=0.001", "--benchmark_repetitions=2",
                 f"--benchmark_out={src}", f"--ptb-set=cpu.steps={STEPS}",
                 f"--ptb-set=counter.iters={ITERS}", "--ptb-workers=2",
                 f"--ptb-tmpdir={self.tmp}"])
        self.assertEqual(r.returncode, 0, r.stderr)
        r = run(script("ptb.xcheck.gbench_csv") + [src, "-o", out])
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(out, newline="") as f:
            rows = list(csv.DictReader(f))
        self.assertEqual(len(rows), 2 * 2)
        for row in rows:
            per_task = STEPS if row["workload"] == "cpu" else ITERS
            self.assertEqual(int(row["ops"]), 2 * per_task)
            self.assertEqual(int(row["result"]), 2 * per_task if row["workload"] == "cpu" else 0)
            self.assertEqual(row["ok"], "1")
        with open(os.path.join(self.tmp, "runner.meta.json")) as f:
            self.assertEqual(json.load(f)["gbench_context"]["ptbench_mode"], "runner")
        self.assertEqual(stray_dirs(self.tmp, "ptbench-gbench-"), [])

    def test_shim_covers_the_registries(self):
        r = run([SHIM, "--benchmark_list_tests", f"--ptb-tmpdir={self.tmp}"])
        self.assertEqual(r.returncode, 0, r.stderr)
        names = r.stdout.split()
        families = {n.split("/")[0] for n in names}
        models = {n.split("/")[1] for n in names}
        listing = run([PTBENCH, "list"]).stdout
        for wl in ("cpu", "copy", "counter"):
            self.assertIn(wl, families)
        for wl in ("create", "switch"):
            if f"\n  {wl} " in listing:
                self.assertIn(wl, families)
        for left_out in ("crash", "zombie", "daemon", "footprint"):
            self.assertNotIn(left_out, families)
        self.assertTrue({"thread", "fork", "threadpool", "procpool"} <= models)
        self.assertFalse({"pythread", "pyproc", "pypool"} & models)
        for lock in ("mutex", "spin", "atomic", "none"):
            self.assertIn(f"counter/fork/lock={lock}/workers:2/manual_time", names)
        self.assertIn("cpu/thread/workers:1/manual_time", names)
        self.assertIn("cpu/thread/workers:2/manual_time", names)

    @unittest.skipUnless(os.path.exists("/usr/bin/python3") and run(
        ["/usr/bin/python3", "-c", "import scipy"]).returncode == 0, "no scipy for compare.py")
    def test_gbench_ab_with_compare_py(self):
        r = run(["make", "-s", "gbench-ab", f"BASE={self.json}", f"NEW={self.json}",
                 f"B={os.path.relpath(BUILD, TOP)}"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("cpu/thread/workers:1/manual_time", r.stdout)
        r = run(["make", "-s", "gbench-ab", f"BASE={self.json}", "NEW=",
                 f"B={os.path.relpath(BUILD, TOP)}"])
        self.assertNotEqual(r.returncode, 0)

    # ---- ptb/xcheck/gbench.py --------------------------------------------------------

    def test_compare_pairs_every_configuration(self):
        saved = os.path.join(self.tmp, "pt.csv")
        r = run(script("ptb.xcheck.gbench") + ["--ptbench", PTBENCH, "--reps", "2",
                                               "--save-csv", saved, self.csv])
        self.assertEqual(r.returncode, 0, r.stderr)
        first_table = r.stdout.split("\n\n")[0].splitlines()
        lines = [x for x in first_table if x.startswith("| ") and "gbench ns/op" not in x]
        self.assertEqual(len(lines), len(CASES) * len(WORKERS))
        for line in lines:
            ratio = line.strip("| ").split(" | ")[8].rstrip(" !")
            self.assertGreater(float(ratio), 0.0, line)
        self.assertEqual(run(script("ptb.check_csv") + [saved]).returncode, 0)
        self.assertEqual(stray_dirs(tempfile.gettempdir(), "gbench-compare-"), [])

    def test_compare_reports_missing_configurations(self):
        pt = os.path.join(self.tmp, "pt-cpu.csv")
        r = run([PTBENCH, "run", "-w", "cpu", "-m", "thread", "-n", "1", "-r", "1",
                 "--warmup", "0", "--steps", str(STEPS), "-q", "-o", pt, "--force"])
        self.assertEqual(r.returncode, 0, r.stderr)
        r = run(script("ptb.xcheck.gbench") + ["--ptbench-csv", pt, self.csv])
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stdout.count("no ok row"), len(CASES) * len(WORKERS) - 1)

    def test_compare_refuses_bad_input(self):
        pt = os.path.join(self.tmp, "header.csv")
        self.ptbench_header()
        for args in ([pt], [os.path.join(self.tmp, "absent.csv")], ["--reps", "0", self.csv],
                     ["--frob", self.csv], []):
            r = run(script("ptb.xcheck.gbench") + args)
            self.assertEqual(r.returncode, 2, (args, r.stderr))
            self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)

    # ---- hyperfine.sh and ptb/xcheck/hyperfine.py --------------------------------------

    def test_hyperfine_pairs_runs_with_rows(self):
        out = os.path.join(self.tmp, "hf")
        hftmp = os.path.join(self.tmp, "hftmp")
        os.mkdir(hftmp)
        env = dict(os.environ, TMPDIR=hftmp)
        r = run([os.path.join(TOP, "scripts", "hyperfine.sh"), "--ptbench", PTBENCH, "--out", out,
                 "--runs", "2", "--warmup", "1", "--models", "thread,fork",
                 "--size", f"steps={STEPS}", "--seed-steps", str(STEPS)], env=env)
        self.assertEqual(r.returncode, 0, r.stderr)
        for name in ("models.json", "models.md", "seed.json", "seed.md", "compare.md"):
            self.assertTrue(os.path.exists(os.path.join(out, name)), name)
        with open(os.path.join(out, "compare.md")) as f:
            text = f.read()
        for command in ("cpu-thread", "cpu-fork", "empty", "seed-fork", "seed-thread"):
            self.assertIn(f"| {command} | 2 |", text)
        self.assertEqual(text.count("same ranking: "), 2)
        self.assertEqual(os.listdir(hftmp), [])

    def test_hyperfine_refuses_bad_input(self):
        out = os.path.join(self.tmp, "hf-refused")
        for args in (["--runs", "1"], ["--models", "nope"], ["--size", "steps"],
                     ["--size", "steps=abc"], ["--frob"], ["--ptbench", "/nonexistent"]):
            r = run([os.path.join(TOP, "scripts", "hyperfine.sh"), "--ptbench", PTBENCH, "--out", out]
                    + args)
            self.assertEqual(r.returncode, 2, (args, r.stderr))
            self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
            self.assertFalse(os.path.exists(out))

    def test_hyperfine_compare_checks_run_count(self):
        rows_dir = os.path.join(self.tmp, "rows")
        os.mkdir(rows_dir)
        pt = os.path.join(rows_dir, "one.csv.rows")
        r = run([PTBENCH, "run", "-w", "cpu", "-m", "thread", "-n", "1", "-r", "1",
                 "--warmup", "0", "--steps", "0", "-q", "-o", pt, "--force"])
        self.assertEqual(r.returncode, 0, r.stderr)
        hf = os.path.join(self.tmp, "one.json")
        with open(hf, "w") as f:
            json.dump({"results": [{"command": "one", "times": [0.002]}]}, f)
        r = run(script("ptb.xcheck.hyperfine") + ["--rows-dir", rows_dir, hf])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("| one | 1 |", r.stdout)
        r = run(script("ptb.xcheck.hyperfine") + ["--rows-dir", rows_dir, "--warmup", "1", hf])
        self.assertEqual(r.returncode, 2)
        self.assertIn("expected 1 warm-up + 1 runs", r.stderr)


if __name__ == "__main__":
    unittest.main()
