"""test_machine.py - the machines' differences (ptb/machine.py) that make
compare and `ptbench compare` show, and the meta facts they come from.

ptb.machine on seeded metas: exactly the seeded differences, none of the
run's own keys, none for identical metas, a note (no crash) for metas
that predate the keys.  make compare (ptb.compare) on two result sets of
the table fixture whose table.meta.json differ in seeded facts and whose
findings differ in one verdict: the changed verdict's row lists exactly
those differences; identical metas list none.  ptb.runcompare on two
exports: beside the measure that got worse, the seeded differences.  And
ptbench's own meta (lib/meta.c): each new key says what the machine's
/proc and /sys files say, and `ptbench compare` of two CSVs whose
sidecars differ lists the differences once."""
import copy
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
sys.path.insert(0, ROOT)    # the tests' own import of ptb (the package itself never does this)
from ptb import machine as mc  # noqa: E402

FIXTURE = os.path.join(ROOT, "tests", "scripts", "plots", "table-fixture")
PTBENCH = os.path.join(ROOT, os.environ.get("PTB_BUILD", "build"), "ptbench")
ENV = dict(os.environ, PYTHONPATH=ROOT)

CMDLINE = ("BOOT_IMAGE=/vmlinuz-6.1.0 root=UUID=0f00 ro console=ttyS0 quiet "
           "clocksource=kvm-clock pti=on tsc=reliable")
BASE = {   # a meta of this ptbench, machine keys and the run's own
    "schema_version": 2, "tool": "ptbench 0.1.0", "run_id": "r1", "rows": 4,
    "kernel": "Linux 6.1.0 x86_64", "hostname": "vm", "cpu_model": "AMD EPYC",
    "cores_online": 2, "smt_active": "0", "governor": None, "thp": "madvise",
    "thp_defrag": "madvise", "microcode": None, "kernel_cmdline": CMDLINE,
    "clocksource": "kvm-clock", "hypervisor_vendor": "KVMKVMKVM", "hypervisor_type": None,
    "cpu_flags": {"pcid": False, "invpcid": False, "pti": True, "hypervisor": True},
    "cpu_vulnerabilities": {
        "meltdown": "Mitigation: PTI",
        "spectre_v2": "Mitigation: Retpolines; STIBP: disabled; RSB filling; "
                      "PBRSB-eIBRS: Not affected; BHI: Not affected"},
    "loadavg": "0.5 0.4 0.3 1/80 100", "git_commit": "abc", "clock": "CLOCK_MONOTONIC"}
NEW_KEYS = ("thp_defrag", "microcode", "kernel_cmdline", "clocksource", "hypervisor_vendor",
            "hypervisor_type", "cpu_flags", "cpu_vulnerabilities")


def seeded(meta):
    """meta with the seeded differences (and the run's own keys changed too)."""
    m = copy.deepcopy(meta)
    m["cpu_flags"]["pcid"] = True
    m["cpu_flags"]["pti"] = False
    m["cpu_vulnerabilities"]["meltdown"] = "Not affected"
    m["cpu_vulnerabilities"]["spectre_v2"] = m["cpu_vulnerabilities"]["spectre_v2"].replace(
        "STIBP: disabled", "STIBP: forced")
    m["kernel_cmdline"] = CMDLINE.replace("pti=on", "nopti")
    m["clocksource"] = "tsc"
    m["microcode"] = "0xa0011d1"
    m.update(run_id="r2", rows=9, hostname="other", loadavg="1.9 1.0 0.5 2/90 200",
             git_commit="def")
    return m


SEEDED = [    # what ptb.machine shows for BASE → seeded(BASE), in BASE's order
    "microcode: absent → 0xa0011d1",
    "kernel_cmdline: … pti=on → … nopti",
    "clocksource: kvm-clock → tsc",
    "cpu_flags.pcid: no → yes",
    "cpu_flags.pti: yes → no",
    "cpu_vulnerabilities.meltdown: Mitigation: PTI → Not affected",
    "cpu_vulnerabilities.spectre_v2: … STIBP: disabled → … STIBP: forced",
]


def old(meta):
    """meta as a ptbench before the switch facts wrote it."""
    return {k: v for k, v in meta.items() if k not in NEW_KEYS}


class Machine(unittest.TestCase):
    def test_seeded_differences_exactly(self):
        m = mc.compare(BASE, seeded(BASE))
        self.assertEqual(m.lines(), SEEDED)
        self.assertEqual(m.notes, [])

    def test_identical_metas_differ_in_nothing(self):
        m = mc.compare(BASE, copy.deepcopy(BASE) | {"loadavg": "9 9 9 1/1 1", "run_id": "x"})
        self.assertEqual((m.diffs, m.notes, m.summary()), ([], [], "none"))

    def test_metas_before_the_keys(self):
        m = mc.compare(old(BASE), old(BASE))
        self.assertEqual(m.diffs, [])
        self.assertEqual(len(m.notes), 1)
        self.assertIn("neither meta records", m.notes[0])
        self.assertIn("absent", m.notes[0])
        m = mc.compare(old(BASE), old(BASE) | {"kernel": "Linux 6.12.0 x86_64"})
        self.assertEqual(m.lines(), ["kernel: Linux 6.1.0 x86_64 → Linux 6.12.0 x86_64"])

    def test_one_meta_before_the_keys(self):
        m = mc.compare(old(BASE), seeded(BASE))
        self.assertEqual(m.diffs, [])
        self.assertEqual(m.notes, [f"A's meta does not record {', '.join(NEW_KEYS)} (it predates "
                                   "these keys): not compared"])

    def test_a_group_absent_on_one_machine(self):
        """A machine without the vulnerabilities directory (null) against one with it."""
        m = mc.compare(BASE | {"cpu_vulnerabilities": None}, BASE)
        self.assertEqual(m.lines(), ["cpu_vulnerabilities: absent → 2 entries"])

    def test_no_meta(self):
        m = mc.compare(None, BASE, ("OLD", "NEW"))
        self.assertEqual((m.diffs, m.notes), ([], ["OLD has no meta: the machines are not compared"]))


def result_set(directory, machine, verdict_of_c5_python=None):
    """A make table result directory from the fixture with machine as its
    meta's machine (and C5 in Python's verdict replaced, when given)."""
    os.makedirs(directory)
    shutil.copyfile(FIXTURE + ".csv", os.path.join(directory, "table.csv"))
    with open(FIXTURE + ".meta.json", encoding="utf-8") as f:
        meta = json.load(f)
    meta["machine"] = machine
    with open(os.path.join(directory, "table.meta.json"), "w", encoding="utf-8") as f:
        json.dump(meta, f)
    subprocess.run([sys.executable, "-m", "ptb.table", "--from-csv", "--out-dir", directory],
                   check=True, capture_output=True, cwd=ROOT, env=ENV)
    if verdict_of_c5_python:
        path = os.path.join(directory, "findings.json")
        with open(path, encoding="utf-8") as f:
            findings = json.load(f)
        c5 = next(c for c in findings["claims"] if c["id"] == "C5")["languages"]["CPython"]
        c5["verdict"] = verdict_of_c5_python(c5["verdict"])
        with open(path, "w", encoding="utf-8") as f:
            json.dump(findings, f, ensure_ascii=False)
    return directory


def machines_section(md):
    return md.split("## The machines", 1)[1].split("## Seed rows", 1)[0]


class MakeCompare(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="ptb-test-machine-")
        with open(FIXTURE + ".meta.json", encoding="utf-8") as f:
            fixture_machine = json.load(f)["machine"]
        cls.machine = fixture_machine | {k: BASE[k] for k in NEW_KEYS}
        cls.a = result_set(os.path.join(cls.tmp, "a"), cls.machine)
        cls.old_a = result_set(os.path.join(cls.tmp, "old-a"), fixture_machine)
        cls.flipped = {}

        def flip(v):
            cls.flipped["C5"] = (v, "fails" if v != "fails" else "holds")
            return cls.flipped["C5"][1]
        cls.b = result_set(os.path.join(cls.tmp, "b"), seeded(cls.machine), flip)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def compare(self, a, b):
        out = os.path.join(self.tmp, "out")
        proc = subprocess.run([sys.executable, "-m", "ptb.compare", "--formats", "png", "--out",
                               out, a, b], capture_output=True, text=True, cwd=ROOT, env=ENV)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        with open(out + ".md", encoding="utf-8") as f:
            return machines_section(f.read()), proc.stderr

    def test_changed_verdict_lists_exactly_the_differences(self):
        section, err = self.compare(self.a, self.b)
        before, after = self.flipped["C5"]
        rows = [ln for ln in section.splitlines() if ln.startswith("| C")]
        self.assertEqual(len(rows), 1, section)
        cells = [c.strip() for c in rows[0].strip("|").split(" | ")]
        self.assertEqual(cells[0], f"C5 in Python: {before} → {after}")
        self.assertEqual(cells[1].split("; ", len(SEEDED) - 1),
                         ["`{}`: {}".format(*x.split(": ", 1)) for x in SEEDED])
        for own in ("hostname", "loadavg", "git_commit", "run_id"):
            self.assertNotIn(own, section)
        self.assertIn(f"machine facts that differ: {len(SEEDED)}", err)

    def test_no_changed_verdict_lists_the_differences_once(self):
        b = os.path.join(self.tmp, "same-verdicts")
        shutil.copytree(self.a, b)
        meta_path = os.path.join(b, "table.meta.json")
        with open(meta_path, encoding="utf-8") as f:
            meta = json.load(f)
        meta["machine"] = seeded(self.machine)
        with open(meta_path, "w", encoding="utf-8") as f:
            json.dump(meta, f)
        section, _ = self.compare(self.a, b)
        self.assertIn("No verdict changed.", section)
        self.assertEqual([ln[2:] for ln in section.splitlines() if ln.startswith("- `")],
                         ["`{}`: {}".format(*x.split(": ", 1)) for x in SEEDED])

    def test_identical_metas_list_none(self):
        section, err = self.compare(self.a, self.a)
        self.assertIn("The machines differ in none of the facts both metas record.", section)
        self.assertEqual([ln for ln in section.splitlines() if ln.startswith(("- ", "| "))], [])
        self.assertNotIn("Note:", section)
        self.assertIn("machine facts that differ: 0", err)

    def test_metas_before_the_keys_are_named_not_a_crash(self):
        section, _ = self.compare(self.old_a, self.old_a)
        self.assertIn("The machines differ in none of the facts both metas record.", section)
        self.assertIn("Note: neither meta records", section)
        section, _ = self.compare(self.old_a, self.b)
        self.assertIn("Note: A's meta does not record thp_defrag", section)

    def test_no_table_meta(self):
        b = os.path.join(self.tmp, "no-meta")
        shutil.copytree(self.a, b)
        os.remove(os.path.join(b, "table.meta.json"))
        section, _ = self.compare(self.a, b)
        self.assertIn("Note: B has no meta: the machines are not compared.", section)


def export(path, values, meta):
    """An --export-json file of one measure (cpu, thread, 1 worker) with meta."""
    doc = {"schema": "ptbench-export", "schema_version": 1, "ptbench": "test", "meta": meta,
           "results": [{"workload": "cpu", "params": "steps=1000", "workers": 1, "tasks": 1,
                        "model": "thread", "variant": "thread", "measure": "time per op",
                        "unit": "ns/step", "better": "lower", "n": len(values), "values": values}]}
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f)


def machine_part(stdout):
    """The lines runcompare prints after its counts."""
    lines = stdout.splitlines()
    return lines[next(i for i, ln in enumerate(lines) if " measures: " in ln) + 1:]


class RunCompare(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="ptb-test-runcompare-")
        self.dir = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def run_compare(self, *names):
        proc = subprocess.run([sys.executable, "-m", "ptb.runcompare", *names],
                              capture_output=True, text=True, cwd=self.dir, env=ENV)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return machine_part(proc.stdout)

    def test_beside_the_measure_that_changed(self):
        export(os.path.join(self.dir, "old.json"), [10.0, 10.1, 10.2, 9.9, 9.8, 9.95, 10.05], BASE)
        export(os.path.join(self.dir, "new.json"), [20.0, 20.2, 19.8, 20.1, 19.9, 20.05, 19.95],
               seeded(BASE))
        self.assertEqual(self.run_compare("old.json", "new.json"),
                         ["machines (OLD → NEW) beside each measure that changed:",
                          "  cpu steps=1000, workers=1: thread: worse"]
                         + [f"    {x}" for x in SEEDED])

    def test_identical_and_absent_metas(self):
        values = [10.0, 10.1, 10.2, 9.9, 9.8]
        export(os.path.join(self.dir, "a.json"), values, BASE)
        export(os.path.join(self.dir, "b.json"), values, copy.deepcopy(BASE))
        export(os.path.join(self.dir, "c.json"), values, old(BASE))
        export(os.path.join(self.dir, "d.json"), values, None)
        self.assertEqual(self.run_compare("a.json", "b.json"),
                         ["machines: the two metas record the same facts"])
        self.assertEqual(self.run_compare("c.json", "c.json")[0],
                         "machines: no difference in the facts both metas record")
        self.assertEqual(self.run_compare("d.json", "a.json"),
                         ["machines: no difference in the facts both metas record",
                          "  note: OLD has no meta: the machines are not compared"])


def bracketed(path):
    with open(path, encoding="utf-8") as f:
        raw = f.read().strip()
    return raw[raw.index("[") + 1:raw.index("]")] if "[" in raw else raw


def first_line(path):
    try:
        with open(path, encoding="utf-8") as f:
            return f.readline().rstrip("\n") or None
    except OSError:
        return None


def cpuinfo(field):
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for ln in f:
                name, _, value = ln.partition(":")
                if name.strip() == field:
                    return value.strip() or None
    except OSError:
        pass
    return None


class PtbenchMeta(unittest.TestCase):
    """The facts lib/meta.c writes are the machine's own files, read here again."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="ptb-test-meta-")
        cls.dir = cls.tmp.name
        proc = subprocess.run([PTBENCH, "run", "-w", "cpu", "-m", "thread", "-n", "1", "-r", "5",
                               "--warmup", "0", "--steps", "1000", "-q", "-o", "a.csv"],
                              capture_output=True, text=True, cwd=cls.dir, timeout=300)
        assert proc.returncode == 0, proc.stderr
        with open(os.path.join(cls.dir, "a.meta.json"), encoding="utf-8") as f:
            cls.meta = json.load(f)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_every_new_key_is_written(self):
        for key in NEW_KEYS:
            self.assertIn(key, self.meta)

    def test_vulnerabilities(self):
        d = "/sys/devices/system/cpu/vulnerabilities"
        want = ({n: first_line(os.path.join(d, n)) for n in sorted(os.listdir(d))
                 if not n.startswith(".")} if os.path.isdir(d) else None)
        self.assertEqual(self.meta["cpu_vulnerabilities"], want)
        if want:
            self.assertEqual(list(self.meta["cpu_vulnerabilities"]), sorted(want))

    def test_cpu_flags(self):
        flags = cpuinfo("flags")
        got = self.meta["cpu_flags"]
        if flags is None:
            self.assertIsNone(got)
            return
        self.assertEqual(list(got), ["pcid", "invpcid", "pti", "ibrs", "ibrs_enhanced", "ibpb",
                                     "stibp", "ssbd", "md_clear", "flush_l1d", "hypervisor"])
        self.assertEqual(got, {k: k in flags.split() for k in got})
        if not got["hypervisor"]:
            self.assertIsNone(self.meta["hypervisor_vendor"])

    def test_single_files(self):
        cmdline = first_line("/proc/cmdline")
        if cmdline is not None:
            cmdline = cmdline.split(" -- ")[0].strip() or None
        self.assertEqual(self.meta["kernel_cmdline"], cmdline)
        self.assertEqual(self.meta["microcode"], cpuinfo("microcode"))
        self.assertEqual(self.meta["clocksource"], first_line(
            "/sys/devices/system/clocksource/clocksource0/current_clocksource"))
        self.assertEqual(self.meta["hypervisor_type"], first_line("/sys/hypervisor/type"))
        thp = "/sys/kernel/mm/transparent_hugepage/defrag"
        self.assertEqual(self.meta["thp_defrag"], bracketed(thp) if os.path.exists(thp) else None)

    def test_ptbench_compare_lists_sidecar_differences_once(self):
        shutil.copyfile(os.path.join(self.dir, "a.csv"), os.path.join(self.dir, "b.csv"))
        other = seeded(BASE) | {k: v for k, v in self.meta.items() if k not in BASE}
        mine = BASE | {k: v for k, v in self.meta.items() if k not in BASE}
        for name, meta in (("a", mine), ("b", other)):
            with open(os.path.join(self.dir, f"{name}.meta.json"), "w", encoding="utf-8") as f:
                json.dump(meta, f)
        proc = subprocess.run([PTBENCH, "compare", "a.csv", "b.csv"], capture_output=True,
                              text=True, cwd=self.dir, timeout=300)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(machine_part(proc.stdout),
                         ["machines (OLD → NEW), no measure changed:"] + [f"  {x}" for x in SEEDED])


if __name__ == "__main__":
    unittest.main()
