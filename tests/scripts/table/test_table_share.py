#!/usr/bin/env python3
"""test_table_share.py - unit tests of C4's analysis (ptb/table/analyse.py:
analyse_share, share_beside, channel_rate) and of its explanation
(ptb/table/verdicts.py: share_note), with synthetic rows only: no timing,
no ptbench.

The verdict judges the channel alone: the --consume none rows, by the
transfer the tasks time (xfer_ns in the notes), not by the wall time that
holds the workers' creation; the consumer's checksum pass, threads' heap
against shm and the per-chunk malloc variant are findings beside it.  A
CSV from before --consume (no consume parameter, no xfer_ns) is judged
as before, on every row by wall time.

Run: python3 -m unittest discover -s tests/scripts/table   (or `make test-table`)
"""
import unittest

from ptb import stats as sv
from ptb.table import analyse as tc
from ptb.table import seed
from ptb.table import verdicts as tr
from test_table_python_mpi import WOBBLE, row  # noqa: E402

BYTES, CHUNKS = 1 << 24, 256


def share_rows(xfer_ns, wall_ns=None, consume_ns=3000, faults=None, old=False):
    """share rows of one run: xfer_ns maps (model, via, consume) to the
    transfer's ns; the wall time is wall_ns's value (the same key) or
    twice the transfer; consume_ns per chunk on --consume sum rows;
    faults: minflt per key.  old: a CSV from before --consume."""
    rows = []
    for rep, w in enumerate(WOBBLE):
        for (model, via, consume), ns in xfer_ns.items():
            t = ns * (1 + w / 1000)
            wall = (wall_ns or {}).get((model, via, consume), 2 * ns) * (1 + w / 1000)
            params = f"bytes={BYTES};chunk=65536;via={via};encode=0"
            notes = f"producers=1;consumers=1;chunks={CHUNKS};damaged_consumers=0;bad_frames=0"
            if not old:
                params += f";consume={consume}"
                cons = consume_ns * (1 + w / 1000) if consume == "sum" else 0
                notes += (f";xfer_ns={t:.0f};handover_ns_per_chunk={t / CHUNKS - cons:.0f}"
                          f";consume_ns_per_chunk={cons:.0f}")
            rows.append(row("share", model, 2, params, rep, ops=BYTES, result=BYTES,
                            ns_per_op=f"{wall / BYTES:.6g}", wall_ns=f"{wall:.0f}",
                            minflt=(faults or {}).get((model, via, consume), 60), notes=notes))
    return rows


class ShareAnalysis(unittest.TestCase):

    def test_channel_rate_reads_the_transfer_not_the_wall(self):
        rows = share_rows({("thread", "heap", "none"): 2e6}, wall_ns={("thread", "heap", "none"): 8e6})
        self.assertAlmostEqual(tc.channel_rate(rows[:1])[0], BYTES * 1e9 / 2e6)
        old = share_rows({("thread", "heap", "none"): 2e6}, old=True)
        self.assertAlmostEqual(tc.channel_rate(old[:1])[0] / (BYTES * 1e9 / 4e6), 1.0, places=5)

    def test_the_verdict_judges_the_channel_alone(self):
        # through shm fork hands over as fast as threads do through the heap,
        # through a pipe at half the rate; with the work on the bytes (sum)
        # everything is slower, and fork's wall time holds its creation
        xfer = {("thread", "heap", "none"): 2e6, ("thread", "shm", "none"): 2e6,
                ("fork", "shm", "none"): 2e6, ("thread", "pipe", "none"): 4e6,
                ("fork", "pipe", "none"): 4e6,
                ("thread", "heap", "sum"): 6e6, ("thread", "shm", "sum"): 6e6,
                ("fork", "shm", "sum"): 6e6, ("thread", "pipe", "sum"): 8e6, ("fork", "pipe", "sum"): 8e6}
        wall = {k: v * 3 for k, v in xfer.items() if k[0] == "fork"}
        found = tc.analyse_share(share_rows(xfer, wall), {})
        f = found["share"]
        self.assertIn("no work on the bytes", f.what)
        self.assertEqual([c.label for c in f.conds], ["shm", "pipe"])
        self.assertEqual([c.res["outcome"] for c in f.conds], [sv.SAME, sv.B_HIGHER])
        verdict, why = f.verdict(sv.B_HIGHER)
        self.assertEqual((verdict, why), (sv.DEPENDS, "on the channel: holds for pipe; fails for shm"))
        self.assertEqual(f.b_name, "thread (heap)")
        # every judged sample is a --consume none one
        self.assertTrue(all(s.get("consume") == "none" for c in f.conds for s in c.samples))

    def test_the_consume_pass_and_the_variants_beside_it(self):
        xfer = {("thread", "heap", "none"): 2e6, ("thread", "shm", "none"): 2e6,
                ("fork", "shm", "none"): 2e6, ("thread", "heap", "sum"): 6e6,
                ("thread", "shm", "sum"): 6e6, ("fork", "shm", "sum"): 6e6,
                ("thread", "heap-malloc", "none"): 16e6, ("thread", "heap-malloc", "sum"): 20e6}
        faults = {("thread", "heap-malloc", "none"): 700, ("thread", "heap-malloc", "sum"): 500}
        found = tc.analyse_share(share_rows(xfer, faults=faults), {})
        cons = found["share-consume"]
        self.assertEqual([c.label for c in cons.conds], ["shm"])     # heap: no fork sample
        self.assertEqual(cons.main.res["outcome"], sv.SAME)
        self.assertEqual(cons.main.res["a"]["median"], 3000)
        heap = found["share-heap"]
        self.assertEqual([(c.label, c.res["outcome"]) for c in heap.conds],
                         [("consume none", sv.SAME), ("consume sum", sv.SAME)])
        mal = found["share-malloc"]
        self.assertEqual([c.res["outcome"] for c in mal.conds], [sv.B_HIGHER, sv.B_HIGHER])
        self.assertNotIn("heap-malloc", [c.label for c in found["share"].conds])
        flt = found["share-malloc-faults"]
        self.assertEqual([c.res["a"]["median"] for c in flt.conds], [700, 500])
        self.assertEqual(tc.better_of("share-malloc-faults", tc.UNIT_OF[tc.fmt_count]), "lower")
        self.assertEqual(tc.better_of("py-share-malloc-faults", tc.UNIT_OF[tc.fmt_count]), "lower")

    def test_the_explanation_names_what_the_figures_show(self):
        xfer = {("thread", "heap", "none"): 2e6, ("thread", "shm", "none"): 2e6,
                ("fork", "shm", "none"): 4e6, ("thread", "heap", "sum"): 6e6,
                ("thread", "shm", "sum"): 6e6, ("fork", "shm", "sum"): 8e6}
        found = tc.analyse_share(share_rows(xfer), {})
        note = tr.share_note(found)
        self.assertIn("the verdict judges the channel alone (--consume none", note)
        self.assertIn("the consumer's checksum pass per chunk, shown apart: fork vs thread shm 3 µs "
                      "vs 3 µs (no measurable difference)", note)
        self.assertIn("through the same shared-memory ring fork vs thread: 4.19 GB/s vs 8.39 GB/s "
                      "(0.5×); the memory and the locks are the same there, so a difference is in "
                      "waking the other worker", note)
        claim = next(c for c in seed.CLAIMS if c[0] == "C4")
        verdict, why, lines = tr.claim_verdict(claim, found, {}, None, None)
        self.assertEqual(verdict, sv.HOLDS)
        self.assertIn(" — the verdict judges the channel alone", why)

    def test_a_csv_from_before_consume_is_judged_as_before(self):
        xfer = {("thread", "heap", "sum"): 2e6, ("fork", "shm", "sum"): 4e6}
        found = tc.analyse_share(share_rows(xfer, old=True), {})
        f = found["share"]
        self.assertEqual(f.what, "bytes/s from a producer to a consumer, process vs thread (heap)")
        self.assertEqual(f.main.res["outcome"], sv.B_HIGHER)
        self.assertFalse(found["share-consume"])
        self.assertEqual(tr.share_note(found), "")


if __name__ == "__main__":
    unittest.main()
