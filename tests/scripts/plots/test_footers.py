"""test_footers.py - no stale picture: every committed chart under
results/plots/ names in its footer the run and date of the committed data
it was drawn from, read from the chart's SVG (committed beside the PNG)
and checked against the committed CSV's meta.

    bench.csv (make plots)        overview, cpu-scaling, workload-*, memory,
                                  switches: bench.meta.json's run_id and
                                  started-finished
    python-cpu.csv (plot-python)  python-speedup: python-cpu.meta.json's
    table.csv (plot-scaling)      mpi-scaling: the runs of make table's
                                  mpi-allreduce-h* measures, its date
    table.csv (claim-charts)      claims/C*: make table's date, and every run
                                  named is one of table.meta.json's runs

A chart drawn from an older run names another run id or date: it fails
here until it is redrawn (make plots, make plot-python, make plot-scaling,
make claim-charts).  history and regress are not checked (make regress).

    python3 -m unittest discover -s tests/scripts/plots
"""
import glob
import json
import os
import re
import sys
import unittest

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
sys.path.insert(0, TOP)

from ptb.plot import csvkeys  # noqa: E402

RESULTS = os.path.join(TOP, "results")
PLOTS = os.path.join(RESULTS, "plots")
RUN_ID = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d-\d+")
BENCH_CHARTS = ("overview", "cpu-scaling", "memory", "switches")


def meta(name):
    with open(os.path.join(RESULTS, name), encoding="utf-8") as f:
        return json.load(f)


def footer_of(svg_path):
    """The footer's text in an SVG ("data: ..."), its lines joined; "" when
    the chart has none."""
    with open(svg_path, encoding="utf-8") as f:
        text = f.read()
    seen = []
    for line in re.findall(r"data: [^<]*", text):
        line = line.strip()
        if line not in seen:
            seen.append(line)
    return " ".join(seen)


def stale(footer, run_ids, when, allowed=None):
    """Why a footer does not match the data ("" when it does): it must name
    every id of run_ids (or, for several runs, the first and last: the
    range) and the date `when`; with `allowed`, every id it names must be
    one of them."""
    if not footer:
        return "no footer naming the data"
    ids = sorted(set(run_ids))
    named = set(RUN_ID.findall(footer))
    need = ids if len(ids) <= 3 else [ids[0], ids[-1]]
    missing = [i for i in need if i not in named]
    if missing:
        return f"footer '{footer}' does not name run {', '.join(missing)}"
    if when and when not in footer:
        return f"footer '{footer}' does not give the data's date {when}"
    if allowed is not None:
        extra = sorted(named - set(allowed))
        if extra:
            return f"footer '{footer}' names run {', '.join(extra)}, not in the committed meta"
    return ""


class Footers(unittest.TestCase):
    def check(self, svg, run_ids, when, allowed=None):
        self.assertTrue(os.path.exists(svg), f"{os.path.relpath(svg, TOP)} is not committed")
        why = stale(footer_of(svg), run_ids, when, allowed)
        self.assertEqual(why, "", f"{os.path.relpath(svg, TOP)} is stale: {why}")

    def test_bench_charts(self):
        m = meta("bench.meta.json")
        names = list(BENCH_CHARTS) + [os.path.basename(p)[:-4]
                                      for p in glob.glob(os.path.join(PLOTS, "workload-*.svg"))]
        self.assertGreater(len(names), len(BENCH_CHARTS))
        for name in names:
            self.check(os.path.join(PLOTS, f"{name}.svg"), [m["run_id"]], csvkeys.when_line(m))

    def test_python_speedup(self):
        m = meta("python-cpu.meta.json")
        self.check(os.path.join(PLOTS, "python-speedup.svg"), [m["run_id"]], csvkeys.when_line(m))

    def test_mpi_scaling(self):
        m = meta("table.meta.json")
        ids = [r["run_id"] for r in m["runs"] if r["id"].startswith("mpi-allreduce-h")]
        self.assertTrue(ids, "table.meta.json has no mpi-allreduce-h* runs")
        self.check(os.path.join(PLOTS, "mpi-scaling.svg"), ids, csvkeys.when_line(m), ids)

    def test_claim_charts(self):
        m = meta("table.meta.json")
        # a measure repeated in rounds has one run id per round (run_ids)
        allowed = [i for r in m["runs"] for i in [r["run_id"]] + list(r.get("run_ids") or [])]
        svgs = sorted(glob.glob(os.path.join(PLOTS, "claims", "C*.svg")))
        self.assertEqual(len(svgs), 14)
        for svg in svgs:
            self.check(svg, [], csvkeys.when_line(m), allowed)

    def test_stale_is_caught(self):
        """A footer of another run, or of another date, is stale."""
        m = meta("bench.meta.json")
        foot = footer_of(os.path.join(PLOTS, "overview.svg"))
        self.assertEqual(stale(foot, [m["run_id"]], csvkeys.when_line(m)), "")
        self.assertIn("does not name run", stale(foot, ["2027-01-01T00:00:00-1"], csvkeys.when_line(m)))
        self.assertIn("date", stale(foot, [m["run_id"]], "2027-01-01 00:00:00 UTC"))
        self.assertIn("not in the committed meta", stale(foot, [], "", allowed=["x"]))
        self.assertEqual(stale("", [m["run_id"]], ""), "no footer naming the data")


if __name__ == "__main__":
    unittest.main()
