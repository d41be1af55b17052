/* test_stats.c - medians and quantiles (lib/stats.h) of small vectors whose
 * answers are known by hand: odd and even lengths, n = 1, n = 0, unsorted
 * input, ties, and type-7 interpolation between order statistics; and the
 * driver's summary flagging a speed-up beyond physics (bench/summary.h). */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "stats.h"
#include "suites.h"
#include "summary.h"

#define EPS 1e-12

static void test_median_odd(void)
{
	double v[] = { 5, 1, 3 };
	CU_ASSERT_DOUBLE_EQUAL(ptb_median(v, 3), 3.0, EPS);
	double w[] = { 9, 7, 1, 3, 5 };
	CU_ASSERT_DOUBLE_EQUAL(ptb_median(w, 5), 5.0, EPS);
}

static void test_median_even(void)
{
	double v[] = { 4, 1, 3, 2 };
	CU_ASSERT_DOUBLE_EQUAL(ptb_median(v, 4), 2.5, EPS);
	double w[] = { 10, 20 };
	CU_ASSERT_DOUBLE_EQUAL(ptb_median(w, 2), 15.0, EPS);
}

static void test_single_and_empty(void)
{
	double v[] = { 42 };
	CU_ASSERT_DOUBLE_EQUAL(ptb_median(v, 1), 42.0, EPS);
	CU_ASSERT_DOUBLE_EQUAL(ptb_quantile(v, 1, 0.0), 42.0, EPS);
	CU_ASSERT_DOUBLE_EQUAL(ptb_quantile(v, 1, 1.0), 42.0, EPS);
	CU_ASSERT_DOUBLE_EQUAL(ptb_quantile(v, 1, 0.9), 42.0, EPS);
	CU_ASSERT_TRUE(isnan(ptb_median(v, 0)));
}

static void test_quantiles(void)
{
	/* sorted: 1 2 3 4 5; type 7: position q * (n - 1) */
	double v[] = { 3, 5, 1, 4, 2 };
	CU_ASSERT_DOUBLE_EQUAL(ptb_quantile(v, 5, 0.0), 1.0, EPS);
	CU_ASSERT_DOUBLE_EQUAL(ptb_quantile(v, 5, 0.25), 2.0, EPS);
	CU_ASSERT_DOUBLE_EQUAL(ptb_quantile(v, 5, 0.75), 4.0, EPS);
	CU_ASSERT_DOUBLE_EQUAL(ptb_quantile(v, 5, 1.0), 5.0, EPS);
	CU_ASSERT_DOUBLE_EQUAL(ptb_quantile(v, 5, 0.1), 1.4, EPS);
	/* sorted: 10 20 30 40; q = 0.25 -> position 0.75 -> 17.5 (numpy, R type 7) */
	double w[] = { 40, 10, 30, 20 };
	CU_ASSERT_DOUBLE_EQUAL(ptb_quantile(w, 4, 0.25), 17.5, EPS);
	CU_ASSERT_DOUBLE_EQUAL(ptb_quantile(w, 4, 0.75), 32.5, EPS);
	CU_ASSERT_DOUBLE_EQUAL(ptb_quantile(w, 4, 0.9), 37.0, EPS);
}

static void test_ties_and_sorting(void)
{
	double v[] = { 2, 2, 2, 9 };
	CU_ASSERT_DOUBLE_EQUAL(ptb_median(v, 4), 2.0, EPS);
	CU_ASSERT_DOUBLE_EQUAL(v[0], 2.0, EPS);	/* sorted in place, as documented */
	CU_ASSERT_DOUBLE_EQUAL(v[3], 9.0, EPS);
	double w[] = { -1.5, 0.5 };
	CU_ASSERT_DOUBLE_EQUAL(ptb_median(w, 2), -0.5, EPS);
}

/* The summary of 5 repetitions at 1 and at 2 workers, ns/op one_ns and
 * two_ns (times 1, 1.01, ... for a 4% spread), as printed. */
static char *summary_of(double one_ns, double two_ns)
{
	struct ptb_summary *s = ptb_summary_new();
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	CU_ASSERT_FATAL(s && f);
	for (int i = 0; i < 5; i++) {
		ptb_summary_add(s, "cpu (ns/step) steps=100", 1, "thread", one_ns * (1 + i / 100.0), 1);
		ptb_summary_add(s, "cpu (ns/step) steps=100", 2, "thread", two_ns * (1 + i / 100.0), 2);
	}
	ptb_summary_print(s, f);
	fclose(f);
	ptb_summary_free(s);
	return text;
}

static void test_summary_beyond_physics(void)
{
	/* 2 workers can never do more than twice the work of 1 (whatever the
	 * cores): 1.0 / 0.4 = 2.5x is the machine's speed changing */
	char *text = summary_of(1.0, 0.4);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "!2.50x"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "the machine's speed changed"));
	free(text);
	text = summary_of(1.0, 1.0);	/* 1.00x: within any machine's reach, a result */
	CU_ASSERT_PTR_NOT_NULL(strstr(text, " 1.00x"));
	CU_ASSERT_PTR_NULL(strstr(text, "the machine's speed changed"));
	free(text);
}

int th_add_stats_suite(void)
{
	CU_pSuite s = CU_add_suite("statistics", NULL, NULL);
	if (!s || !CU_add_test(s, "median of odd lengths", test_median_odd) ||
	    !CU_add_test(s, "median of even lengths", test_median_even) ||
	    !CU_add_test(s, "n = 1 and n = 0", test_single_and_empty) ||
	    !CU_add_test(s, "type-7 quantiles", test_quantiles) ||
	    !CU_add_test(s, "ties, negatives, sorting in place", test_ties_and_sorting) ||
	    !CU_add_test(s, "summary: a speed-up beyond physics is flagged", test_summary_beyond_physics))
		return -1;
	return 0;
}
