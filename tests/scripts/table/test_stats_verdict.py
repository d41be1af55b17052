#!/usr/bin/env python3
"""test_stats_verdict.py - unit tests of the verdict logic behind `make table`
(ptb/stats.py, on scipy.stats), with synthetic samples only: no timing, no runs.

Run: python3 -m unittest discover -s tests/scripts/table   (or `make test-table`)
"""
import math
import unittest

from ptb import stats as sv


class RankTest(unittest.TestCase):
    def test_separated_5_by_5_is_the_smallest_exact_p(self):
        u, p, method = sv.rank_test([1, 2, 3, 4, 5], [6, 7, 8, 9, 10])
        self.assertEqual(u, 0.0)
        self.assertEqual(method, "exact")
        self.assertAlmostEqual(p, 2 / 252, places=12)

    def test_separated_7_by_7(self):
        _, p, _ = sv.rank_test(range(8, 15), range(1, 8))
        self.assertAlmostEqual(p, 2 / 3432, places=12)

    def test_u_counts_pairs_with_x_greater(self):
        u, _, _ = sv.rank_test([10, 20], [15])
        self.assertEqual(u, 1.0)
        u, _, _ = sv.rank_test([10, 15], [15])    # a tie counts one half
        self.assertEqual(u, 0.5)

    def test_symmetric_in_its_arguments(self):
        a, b = [3, 1, 4, 1, 5, 9, 2], [6, 5, 3, 5, 8, 9, 7]
        self.assertAlmostEqual(sv.rank_test(a, b)[1], sv.rank_test(b, a)[1], places=12)

    def test_identical_samples_give_p_1(self):
        _, p, _ = sv.rank_test([5] * 7, [5] * 7)
        self.assertEqual(p, 1.0)

    def test_ties_exact_two_constant_groups(self):
        # all of a tied at one value, all of b at another: still the extreme
        _, p, method = sv.rank_test([0] * 7, [3] * 7)
        self.assertEqual(method, "permutation")
        self.assertAlmostEqual(p, 2 / 3432, places=12)

    def test_ties_exact_by_enumeration(self):
        a, b = [1, 1, 2, 2, 3], [2, 3, 3, 4, 4]
        _, p, method = sv.rank_test(a, b)
        self.assertEqual(method, "permutation")
        self.assertAlmostEqual(p, brute_force_p(a, b), places=12)

    def test_ties_many_splits_sampled_with_a_fixed_seed(self):
        a, b = [1, 1, 2, 2, 3, 3, 4, 5, 6, 6, 7], [2, 3, 3, 4, 4, 5, 6, 7, 8, 8, 9]
        _, p, method = sv.rank_test(a, b)
        self.assertTrue(method.startswith("permutation ("), method)
        self.assertEqual(p, sv.rank_test(a, b)[1])          # reproducible
        self.assertAlmostEqual(p, brute_force_p(a, b), delta=0.01)

    def test_normal_approximation_close_to_exact(self):
        a = [0.1 * i for i in range(21)]
        b = [0.1 * i + 0.75 for i in range(21)]
        _, p_normal, method = sv.rank_test(a, b)
        self.assertEqual(method, "normal")
        from scipy import stats
        p_exact = stats.mannwhitneyu(a, b, method="exact").pvalue
        self.assertAlmostEqual(p_normal, p_exact, delta=0.01)

    def test_normal_approximation_with_ties(self):
        _, p, method = sv.rank_test([1] * 25, [2] * 25)
        self.assertEqual(method, "normal")
        self.assertLess(p, 1e-9)
        _, p, _ = sv.rank_test([1, 2] * 13, [2, 1] * 13)
        self.assertGreater(p, 0.9)

    def test_empty_sample_is_an_error(self):
        with self.assertRaises(ValueError):
            sv.rank_test([], [1, 2])


class IntervalAndEffect(unittest.TestCase):
    def test_ci_brackets_the_ratio_and_is_reproducible(self):
        a, b = Compare.SLOW, Compare.FAST
        lo, hi = sv.ratio_ci(a, b)
        self.assertLessEqual(lo, 2.02)
        self.assertGreaterEqual(hi, 2.02)
        self.assertGreater(lo, 1.9)
        self.assertLess(hi, 2.15)
        self.assertEqual((lo, hi), sv.ratio_ci(a, b))

    def test_ci_of_constant_samples_is_the_ratio(self):
        self.assertEqual(sv.ratio_ci([4] * 5, [2] * 5), (2.0, 2.0))

    def test_ci_undefined(self):
        self.assertIsNone(sv.ratio_ci([3] * 7, [0] * 7))
        self.assertIsNone(sv.ratio_ci([1], [2, 3]))

    def test_cliffs_delta(self):
        self.assertEqual(sv.compare(Compare.SLOW, Compare.FAST)["delta"], 1.0)
        self.assertEqual(sv.compare(Compare.FAST, Compare.SLOW)["delta"], -1.0)
        self.assertEqual(sv.cliffs_delta(0.5, 2, 1), -0.5)    # [10, 15] vs [15]
        self.assertEqual(sv.compare([4] * 7, [4] * 7)["delta"], 0.0)

    def test_evidence_text(self):
        text = sv.fmt_evidence(sv.compare(Compare.SLOW, Compare.FAST))
        self.assertRegex(text, r"^2\.02× \(95% CI [0-9.]+–[0-9.]+×\), p = 0\.00058, δ = \+1\.00$")


def brute_force_p(a, b):
    """Two-sided permutation p over every split of the pooled sample."""
    from itertools import combinations
    from scipy.stats import rankdata
    pooled = a + b
    ranks = rankdata(pooled)
    n = len(a)
    mean = n * (len(pooled) + 1) / 2
    obs = abs(sum(ranks[:n]) - mean)
    splits = list(combinations(range(len(pooled)), n))
    extreme = sum(1 for c in splits if abs(sum(ranks[i] for i in c) - mean) >= obs - 1e-9)
    return extreme / len(splits)


class Compare(unittest.TestCase):
    SLOW = [200, 205, 198, 210, 202, 199, 204]
    FAST = [100, 103, 98, 101, 99, 102, 100]

    def test_clear_difference(self):
        self.assertEqual(sv.compare(self.SLOW, self.FAST)["outcome"], sv.A_HIGHER)
        self.assertEqual(sv.compare(self.FAST, self.SLOW)["outcome"], sv.B_HIGHER)

    def test_overlapping_samples_no_difference(self):
        a = [100, 110, 95, 105, 98, 112, 101]
        b = [102, 97, 108, 99, 111, 96, 104]
        res = sv.compare(a, b)
        self.assertEqual(res["outcome"], sv.SAME)
        self.assertGreaterEqual(res["p"], sv.ALPHA)

    def test_significant_but_within_noise_is_no_difference(self):
        # every b above every a (p tiny) but only by 2%: smaller than the floor
        a = [100.0, 100.1, 100.2, 100.3, 100.4, 100.5, 100.6]
        b = [v * 1.02 + 1 for v in a]
        res = sv.compare(a, b)
        self.assertLess(res["p"], sv.ALPHA)
        self.assertEqual(res["outcome"], sv.SAME)

    def test_large_ratio_but_noisy_is_no_difference(self):
        # medians 2x apart, but samples overlap: the rank test does not reject
        a = [10, 300, 20, 250, 30, 200, 260]
        b = [100, 110, 90, 105, 95, 120, 85]
        res = sv.compare(a, b)
        self.assertEqual(res["outcome"], sv.SAME)

    def test_noise_widens_the_band(self):
        # separated samples, ratio 1.3, but each spread over ±40%: not beyond noise
        a = [70, 80, 90, 100, 110, 120, 130, 140, 150]
        b = [v + 30 for v in a]
        res = sv.compare(b, a)
        self.assertGreater(res["noise"], 0.3)
        self.assertEqual(res["outcome"], sv.SAME)

    def test_ties_constant_groups(self):
        res = sv.compare([3] * 7, [0] * 7)    # survivors: fork 3, thread 0
        self.assertEqual(res["outcome"], sv.A_HIGHER)
        self.assertTrue(math.isinf(res["ratio"]))

    def test_all_tied_is_no_difference(self):
        res = sv.compare([4] * 7, [4] * 7)
        self.assertEqual(res["outcome"], sv.SAME)
        self.assertEqual(res["ratio"], 1.0)

    def test_too_few_repetitions(self):
        for n in (0, 1, 3, 4):
            res = sv.compare(self.SLOW[:n], self.FAST[:n])
            self.assertEqual(res["outcome"], sv.TOO_FEW, n)
        res = sv.compare(self.SLOW[:5], self.FAST[:4])    # 2/126 > 0.01
        self.assertEqual(res["outcome"], sv.TOO_FEW)

    def test_five_each_is_enough(self):
        self.assertEqual(sv.compare(self.SLOW[:5], self.FAST[:5])["outcome"], sv.A_HIGHER)

    def test_reported_figures(self):
        res = sv.compare(self.SLOW, self.FAST)
        self.assertEqual(res["a"]["median"], 202)
        self.assertEqual(res["b"]["median"], 100)
        self.assertAlmostEqual(res["ratio"], 2.02)


class Verdicts(unittest.TestCase):
    def test_claim_verdicts(self):
        self.assertEqual(sv.claim_verdict(sv.A_HIGHER, sv.A_HIGHER)[0], sv.HOLDS)
        self.assertEqual(sv.claim_verdict(sv.B_HIGHER, sv.A_HIGHER),
                         (sv.FAILS, "the reverse holds"))
        self.assertEqual(sv.claim_verdict(sv.SAME, sv.A_HIGHER),
                         (sv.FAILS, "no measurable difference"))
        self.assertEqual(sv.claim_verdict(sv.SAME, sv.SAME)[0], sv.HOLDS)
        self.assertEqual(sv.claim_verdict(sv.A_HIGHER, sv.SAME)[0], sv.FAILS)
        self.assertEqual(sv.claim_verdict(sv.TOO_FEW, sv.A_HIGHER)[0], sv.NO_VERDICT)

    def test_bad_expectation(self):
        with self.assertRaises(ValueError):
            sv.claim_verdict(sv.SAME, "bigger")

    def test_end_to_end_from_samples(self):
        res = sv.compare(Compare.SLOW, Compare.FAST)
        self.assertEqual(sv.claim_verdict(res["outcome"], sv.A_HIGHER)[0], sv.HOLDS)
        self.assertEqual(sv.claim_verdict(res["outcome"], sv.B_HIGHER)[0], sv.FAILS)

    def test_combine(self):
        self.assertEqual(sv.combine([("a", sv.HOLDS), ("b", sv.HOLDS)], "x"), (sv.HOLDS, ""))
        self.assertEqual(sv.combine([("a", sv.FAILS), ("b", sv.NO_VERDICT)], "x"), (sv.FAILS, ""))
        v, why = sv.combine([("pipe", sv.HOLDS), ("shm", sv.FAILS)], "the channel")
        self.assertEqual(v, "depends")
        self.assertEqual(why, "on the channel: holds for pipe; fails for shm")
        self.assertEqual(sv.combine([("a", sv.NO_VERDICT)], "x")[0], sv.NO_VERDICT)
        v, why = sv.combine([("copy", sv.DEPENDS), ("cpu", sv.FAILS)], "the measure")
        self.assertEqual((v, why), (sv.DEPENDS, "on the measure: fails for cpu; depends for copy"))
        self.assertEqual(sv.combine([("a", sv.DEPENDS), ("b", sv.DEPENDS)], "x")[0], sv.DEPENDS)
        self.assertEqual(sv.combine([], "x")[0], sv.NO_VERDICT)


class Describe(unittest.TestCase):
    def test_quantiles_type7(self):
        d = sv.describe([1, 2, 3, 4])
        self.assertEqual((d["median"], d["q1"], d["q3"]), (2.5, 1.75, 3.25))
        self.assertAlmostEqual(d["rel_iqr"], 0.6)

    def test_zero_median(self):
        self.assertIsNone(sv.describe([0, 0, 0])["rel_iqr"])

    def test_ratio(self):
        self.assertEqual(sv.ratio(0, 0), 1.0)
        self.assertTrue(math.isinf(sv.ratio(1, 0)))
        self.assertEqual(sv.ratio(0, 2), 0.0)


if __name__ == "__main__":
    unittest.main()
