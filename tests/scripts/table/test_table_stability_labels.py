#!/usr/bin/env python3
"""test_table_stability_labels.py - make table-stability's labels and
durations (ptb/table/stability.py --from-dirs) on small made-up run
directories, each a findings.json and a table.meta.json: a unanimous
claim has no label; a claim whose verdict flips with one of its
conditions "depends on" that condition; one that flips with no condition
changed (or its only condition going both ways) is "undecided"; every
view words the label alike (ptb/table/unstable.py, from findings.json's
record); the report gives each run's time and each claim's.  No scipy,
no measuring.

Run: make test-table
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

from ptb.table import collect
from ptb.table import unstable as lab


def cond(finding, label, outcome, expect="a_higher", process="fork", thread="thread",
         inconsistent=()):
    return {"finding": finding, "what": "ping-pong round trip", "condition": label,
            "process": process, "thread": thread, "expect": expect, "outcome": outcome,
            "inconsistent": list(inconsistent)}


def language(key, verdict, conds):
    return {"verdict": verdict, "why": "", "stability_key": key, "conditions": conds,
            "inconsistent": [], "unstable": False, "stability": None, "lines": [], "shown": True}


def run_dir(path, c2, c2py, c9, measuring=None, seconds=None):
    """A run directory: findings.json with C2 (in C and Python) and C9,
    table.meta.json with the measuring time and each measure's seconds."""
    os.makedirs(path)
    findings = {"schema": 1, "run": {}, "statistics": {}, "rows": [], "notes": [], "claims": [
        {"id": "C2", "claim": "switching", "primary": "C",
         "languages": {"C": language("C2", *c2), "CPython": language("C2 in Python", *c2py)}},
        {"id": "C9", "claim": "zombies", "primary": "C",
         "languages": {"C": language("C9", c9, [])}}]}
    meta = {"mode": "full", "generated": "2027-01-01T00:00:00Z",
            "runs": [{"id": mid, "seconds": s} for mid, s in (seconds or {}).items()]}
    if measuring is not None:
        meta["measuring_seconds"] = measuring
    with open(os.path.join(path, "findings.json"), "w") as f:
        json.dump(findings, f)
    with open(os.path.join(path, "table.meta.json"), "w") as f:
        json.dump(meta, f)


SAME_C2 = ("depends", [cond("switch", "pipe pin=same", "a_higher"),
                       cond("switch", "pipe pin=split", "same")])


def py_c2(pipe):
    """C2 in Python: holds when all three channels are slower in pyproc,
    depends when the pipe is not."""
    return ("holds" if pipe == "a_higher" else "depends",
            [cond("py-switch", "pipe pin=none", pipe, process="pyproc", thread="pythread"),
             cond("py-switch", "queue pin=none", "a_higher", process="pyproc", thread="pythread"),
             cond("py-switch", "condition pin=none", "a_higher", process="pyproc",
                  thread="pythread")])


class Labels(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        os.makedirs(os.path.join(self.dir, "out"))

    def tearDown(self):
        shutil.rmtree(self.dir)

    def run_it(self, runs):
        dirs = []
        for i, kw in enumerate(runs, 1):
            d = os.path.join(self.dir, f"run{i}")
            run_dir(d, **kw)
            dirs.append(d)
        done = subprocess.run([sys.executable, "-m", "ptb.table.stability", "--from-dirs",
                               ",".join(dirs), "--out-dir", os.path.join(self.dir, "out")],
                              capture_output=True, text=True)
        self.assertEqual(done.returncode, 0, done.stderr)
        with open(os.path.join(self.dir, "out", "table-stability.json")) as f:
            rec = json.load(f)
        with open(os.path.join(self.dir, "out", "table-stability.md")) as f:
            return rec, f.read()

    def shown(self, rec, key, verdict):
        """How the views show the claim: findings.json's record of it
        (collect.py) through ptb/table/unstable.py."""
        st = collect.stability_of(key, {"stability": rec})
        lang = {"verdict": verdict, "unstable": not st["unanimous"], "stability": st,
                "stability_key": key}
        return lab.shown_verdict(lang), lab.word(st)

    def test_unanimous_has_no_label(self):
        same = dict(c2=SAME_C2, c2py=py_c2("a_higher"), c9="holds")
        rec, md = self.run_it([same, same, same])
        for key in ("C2", "C2 in Python", "C9"):
            c = rec["claims"][key]
            self.assertEqual((c["unanimous"], c["label"], c["flips"]), (True, None, []), key)
        self.assertEqual(self.shown(rec, "C2 in Python", "holds"), ("**holds**", None))
        self.assertIn("| C2 in Python | 3 of 3 (holds) | holds, holds, holds | stable |", md)
        self.assertIn("Unanimous: 3 of the 3 claims measured; depends on a condition: none; "
                      "undecided: none.", md)
        self.assertNotIn("## What flips a verdict", md)
        for word in ("**depends on**", "**undecided**", "unstable"):
            self.assertNotIn(word, md.split("| claim |")[1])

    def test_one_condition_flipping_is_depends_on_it(self):
        runs = [dict(c2=SAME_C2, c2py=py_c2(p), c9="holds")
                for p in ("a_higher", "same", "a_higher", "same", "a_higher")]
        rec, md = self.run_it(runs)
        c = rec["claims"]["C2 in Python"]
        self.assertEqual((c["unanimous"], c["label"], c["judged"], c["counts"]),
                         (False, "depends on", 3, {"holds": 3, "depends": 2}))
        self.assertEqual(c["flips"], [{
            "name": "pipe pin=none", "finding": "py-switch", "condition": "pipe pin=none",
            "what": "ping-pong round trip", "process": "pyproc", "thread": "pythread",
            "expect": "a_higher", "outcomes": ["a_higher", "same", "a_higher", "same", "a_higher"]}])
        label = "**depends on** pipe pin=none (holds in 3, depends in 2 of 5 runs)"
        self.assertIn(f"| C2 in Python | 3 of 5 (holds) | holds, depends, holds, depends, holds | "
                      f"{label} |", md)
        self.assertIn("- **C2 in Python** **depends on** pipe pin=none:\n"
                      "  - pipe pin=none (`py-switch`, expected: pyproc higher): pyproc higher, "
                      "same, pyproc higher, same, pyproc higher\n", md)
        self.assertIn("depends on a condition: C2 in Python (pipe pin=none); undecided: none.", md)
        self.assertEqual(self.shown(rec, "C2 in Python", "depends"),
                         (f"{label}; this run: depends", "depends on pipe pin=none"))
        # the others agreed
        self.assertEqual([k for k, x in rec["claims"].items() if not x["unanimous"]],
                         ["C2 in Python"])

    def test_flip_with_no_condition_changed_is_undecided(self):
        # C9 has no condition; C2's conditions are the same in every run
        # but its verdict moved (what else it is judged by, not recorded)
        other = ("fails", SAME_C2[1])
        runs = [dict(c2=SAME_C2, c2py=py_c2("a_higher"), c9="holds"),
                dict(c2=other, c2py=py_c2("a_higher"), c9="fails"),
                dict(c2=SAME_C2, c2py=py_c2("a_higher"), c9="holds")]
        rec, md = self.run_it(runs)
        for key in ("C2", "C9"):
            c = rec["claims"][key]
            self.assertEqual((c["label"], c["flips"]), ("undecided", []), key)
        label = "**undecided** (holds in 2, fails in 1 of 3 runs)"
        self.assertIn(f"| C9 | 2 of 3 (holds) | holds, fails, holds | {label} |", md)
        self.assertIn("- **C9** **undecided**: no condition it is judged by changed its outcome "
                      "between runs;", md)
        self.assertIn("depends on a condition: none; undecided: C2, C9.", md)
        self.assertEqual(self.shown(rec, "C9", "fails"), (f"{label}; this run: fails", "undecided"))

    def test_its_only_condition_going_both_ways_is_undecided(self):
        def c2(outcome):
            return ("holds" if outcome == "a_higher" else "fails",
                    [cond("switch", "pipe pin=same", outcome)])
        runs = [dict(c2=c2(o), c2py=py_c2("a_higher"), c9="holds")
                for o in ("a_higher", "a_higher", "same")]
        rec, md = self.run_it(runs)
        c = rec["claims"]["C2"]
        self.assertEqual((c["label"], [f["name"] for f in c["flips"]]), ("undecided", ["pipe pin=same"]))
        self.assertIn("- **C2** **undecided**: the one condition it is judged by went both ways "
                      "between runs:\n  - pipe pin=same (`switch`, expected: fork higher): fork "
                      "higher, fork higher, same\n", md)

    def test_a_condition_marked_inconsistent_in_one_run_flips(self):
        runs = [dict(c2=SAME_C2, c2py=py_c2("a_higher"), c9="holds"),
                dict(c2=("no verdict", [cond("switch", "pipe pin=same", "a_higher",
                                             inconsistent=["more work but faster"]),
                                        cond("switch", "pipe pin=split", "same")]),
                     c2py=py_c2("a_higher"), c9="holds")]
        rec, md = self.run_it(runs)
        c = rec["claims"]["C2"]
        self.assertEqual((c["label"], c["flips"][0]["outcomes"]),
                         ("depends on", ["a_higher", "a_higher+inconsistent"]))
        self.assertIn("  - pipe pin=same (`switch`, expected: fork higher): fork higher, "
                      "fork higher ⚠ inconsistent\n", md)

    def test_a_shared_label_is_named_with_its_finding(self):
        def c2(outcome):
            return ("holds" if outcome == "a_higher" else "depends",
                    [cond("switch", "2 workers", outcome), cond("switch-wall", "2 workers", "same")])
        rec, md = self.run_it([dict(c2=c2(o), c2py=py_c2("a_higher"), c9="holds")
                               for o in ("a_higher", "same")])
        self.assertIn("**depends on** switch 2 workers (holds in 1, depends in 1 of 2 runs)", md)

    def test_durations_in_the_report(self):
        secs = [{"switch": 14.0, "py-switch": 49.5, "zombie": 2.0},
                {"switch": 16.0, "py-switch": 40.0, "zombie": 3.0},
                {"switch": 12.0, "py-switch": 45.0, "zombie": 2.5}]
        runs = [dict(c2=SAME_C2, c2py=py_c2("a_higher"), c9="holds", measuring=m, seconds=s)
                for m, s in zip((600.4, 540.0, None), secs)]
        rec, md = self.run_it(runs)
        # the third meta has no total: the sum of its measures
        self.assertEqual([d["measuring_s"] for d in rec["durations"]], [600.4, 540.0, 59.5])
        self.assertEqual(rec["measuring_s"], {"min": 59.5, "median": 540.0, "max": 600.4})
        self.assertIsNone(rec["wall_s"])
        self.assertEqual((rec["claims"]["C2"]["measures"], rec["claims"]["C2"]["seconds"]),
                         (["switch"], [14.0, 16.0, 12.0]))
        self.assertEqual(rec["claims"]["C2 in Python"]["seconds"], [49.5, 40.0, 45.0])
        self.assertEqual(rec["claims"]["C9"]["seconds"], [2.0, 3.0, 2.5])
        self.assertIn("| claim | runs agreeing | verdict of each run | label | measuring s per run "
                      "(median, min–max) |", md)
        self.assertIn("| C2 | 3 of 3 (depends) | depends, depends, depends | stable | 14 (12–16) |", md)
        self.assertIn("| C2 in Python | 3 of 3 (holds) | holds, holds, holds | stable | 45 (40–50) |",
                      md)
        self.assertIn("| run | generated | mode | measures | measuring s |\n|---|---|---|---|---|\n"
                      "| 1 | 2027-01-01T00:00:00Z | full | 3 | 600 |\n"
                      "| 2 | 2027-01-01T00:00:00Z | full | 3 | 540 |\n"
                      "| 3 | 2027-01-01T00:00:00Z | full | 3 | 60 |\n", md)
        self.assertIn("Per run, measuring took 60 s at least, 540 s in the median, 600 s at most.", md)

    def test_no_timings_no_time_columns(self):
        same = dict(c2=SAME_C2, c2py=py_c2("a_higher"), c9="holds")
        rec, md = self.run_it([same, same])
        self.assertEqual(rec["claims"]["C2"]["seconds"], [None, None])
        self.assertIsNone(rec["measuring_s"])
        self.assertIn("| claim | runs agreeing | verdict of each run | label |\n|---|---|---|---|\n",
                      md)
        self.assertNotIn("## How long a table takes", md)

    def test_an_older_record_without_label_is_undecided(self):
        old = {"claims": {"C5": {"verdicts": ["fails", "depends"], "counts": {"fails": 1, "depends": 1},
                                 "runs": 2, "agree": 1, "unanimous": False}}}
        st = collect.stability_of("C5", {"stability": old})
        self.assertEqual((st["label"], st["flips"]), ("undecided", []))
        self.assertEqual(lab.label(st), "**undecided** (fails in 1, depends in 1 of 2 runs)")


if __name__ == "__main__":
    unittest.main()
