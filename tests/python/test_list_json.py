"""test_list_json.py - `ptbench list --json`: one valid JSON document with
every registered workload (options, ops unit, headline and its direction,
claims, the models that run it) and every model; and the facts the C
registry keeps of the Python twins agree with bench/py: a workload says it
has a twin exactly when bench/py/wl_NAME.py exists (and the Python
registry finds it), and that the executor models run it exactly when its
Python class says `executors = True`; and the facts it keeps of the MPI
ranks (its `mpi` flags) agree with the workloads bench/mpi/launch.c and
bench/py/ptpy_mpi.py take."""

import json
import os
import re
import subprocess
import sys
import unittest

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.path.join(TOP, os.environ.get("PTB_BUILD", "build"))
PTBENCH = os.path.join(BUILD, "ptbench")
PYDIR = os.path.join(TOP, "bench", "py")

C_MODELS = ("thread", "fork", "threadpool", "procpool")
PY_MODELS = ("pythread", "pyproc", "pypool", "pythreadpool")
EXECUTORS = ("pyexthread", "pyexproc")


def ptbench_list(*args):
    p = subprocess.run([PTBENCH, "list"] + list(args), capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


class ListJson(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        rc, out, err = ptbench_list("--json")
        assert rc == 0, err
        cls.doc = json.loads(out)
        cls.wl = {w["name"]: w for w in cls.doc["workloads"]}

    def test_every_workload_and_model(self):
        rc, text, _ = ptbench_list()
        self.assertEqual(rc, 0)
        names = [line.split()[0] for line in text.split("models:\n")[0].splitlines()[1:]
                 if line.startswith("  ") and not line.startswith("      ")]
        self.assertEqual(list(self.wl), names)
        for w in self.doc["workloads"]:
            self.assertTrue(w["description"] and w["ops_unit"], w["name"])
            self.assertIn(w["headline"]["column"], ("ns_per_op", "result", "pss_kb"), w["name"])
            self.assertIn(w["headline"]["better"], ("lower", "higher"), w["name"])
            for c in w["claims"]:
                self.assertRegex(c, r"^C([1-9]|1[0-4])$", w["name"])
            for o in w["options"]:
                self.assertIn(o["kind"], ("number", "choice", "text"))
                if o["kind"] == "choice":
                    self.assertIn(o["default"], o["choices"], (w["name"], o["name"]))
                if o["kind"] == "number":
                    self.assertTrue(o["min"] <= o["default_value"] <= o["max"], (w["name"], o))
            self.assertTrue(set(w["models"]) <= {m["name"] for m in self.doc["models"]})
        self.assertEqual([m["name"] for m in self.doc["models"]][:4], list(C_MODELS))

    def test_claims_and_direction(self):
        claims = {c for w in self.doc["workloads"] for c in w["claims"]}
        self.assertEqual(claims, {"C%d" % i for i in range(1, 15)})
        self.assertEqual(self.wl["cpu"]["claims"], ["C5", "C10", "C14"])
        self.assertEqual(self.wl["crash"]["headline"], {"column": "result", "better": "higher"})
        self.assertEqual(self.wl["cpu"]["headline"], {"column": "ns_per_op", "better": "lower"})
        self.assertEqual(self.wl["cpu"]["ops_unit"], "step")

    def test_models_as_the_model_code_decides(self):
        self.assertEqual(self.wl["create"]["models"],
                         ["thread", "fork", "vfork", "spawn", "pythread", "pyproc", "pythreadpool",
                          "mpi", "pympi"])
        self.assertEqual(self.wl["pool"]["models"],
                         ["threadpool", "procpool", "pypool", "pythreadpool", "pyexthread", "pyexproc"])
        for name in ("zombie", "daemon"):  # a Pool's daemonic workers may not have children
            self.assertNotIn("pypool", self.wl[name]["models"])
            self.assertIn("pyproc", self.wl[name]["models"])
        self.assertEqual(self.wl["allreduce"]["models"], list(C_MODELS) + ["mpi", "pympi"])

    def test_python_facts_agree_with_bench_py(self):
        sys.path.insert(0, PYDIR)
        try:
            import ptpy_workloads
        finally:
            sys.path.remove(PYDIR)
        for name, w in self.wl.items():
            twin = os.path.exists(os.path.join(PYDIR, "wl_%s.py" % name))
            self.assertEqual(w["python"]["twin"], twin, name)
            self.assertEqual(name in ptpy_workloads.WORKLOADS, twin, name)
            if twin:
                self.assertEqual(w["python"]["executors"],
                                 getattr(ptpy_workloads.WORKLOADS[name], "executors", False), name)
            runs = set(w["models"])
            self.assertEqual(bool(runs & set(PY_MODELS)), twin, name)
            self.assertEqual(bool(runs & set(EXECUTORS)), w["python"]["executors"], name)
        self.assertEqual(set(ptpy_workloads.WORKLOADS) - set(self.wl), set(),
                         "Python workloads without a C registry entry")

    def test_mpi_facts_agree_with_the_ranks(self):
        # The launcher hands `create` to the ranks as their `empty` job.
        as_rank = {"create": "empty"}
        with open(os.path.join(TOP, "bench", "mpi", "launch.c")) as f:
            names = re.search(r"wl_names\[\] = \{([^}]*)\}", f.read()).group(1)
        launch = set(re.findall(r'"([a-z]+)"', names))
        sys.path.insert(0, PYDIR)
        try:
            import ptpy_common
            import ptpy_mpi
        finally:
            sys.path.remove(PYDIR)

        def pympi_takes(name):
            try:
                ptpy_mpi.SPEC["workload"]("workload", as_rank.get(name, name))
                return True
            except ptpy_common.UsageError:
                return False

        for name, w in self.wl.items():
            self.assertEqual("mpi" in w["models"], as_rank.get(name, name) in launch, name)
            self.assertEqual("pympi" in w["models"], pympi_takes(name), name)
        self.assertEqual(sorted(n for n, w in self.wl.items() if "pympi" in w["models"]),
                         ["allreduce", "cpu", "create"])

    def test_filters(self):
        rc, out, _ = ptbench_list("--json", "-w", "cpu,pool", "-m", "thread,pypool")
        self.assertEqual(rc, 0)
        doc = json.loads(out)
        self.assertEqual([w["name"] for w in doc["workloads"]], ["cpu", "pool"])
        self.assertEqual([m["name"] for m in doc["models"]], ["thread", "pypool"])
        self.assertEqual(doc["workloads"][1]["models"], ["pypool"])
        rc, text, _ = ptbench_list("-w", "switch")
        self.assertEqual(rc, 0)
        self.assertIn("  switch ", text)
        self.assertNotIn("  cpu ", text)
        for bad in (["-w", "nope"], ["-m", "nope"], ["--yaml"], ["-w"]):
            rc, out, err = ptbench_list(*bad)
            self.assertEqual((rc, out), (2, ""), bad)
            self.assertIn("ptbench: list:", err)


if __name__ == "__main__":
    unittest.main()
