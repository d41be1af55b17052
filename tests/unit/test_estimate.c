/* test_estimate.c - the progress line's ETA (lib/estimate.c: ptb_eta_s)
 * on made-up combinations: exact seconds, no clock.  A combination that
 * has run is timed by its own repetitions (the measured ones over its
 * warm-up); one not yet run by its estimate, scaled by what its workload
 * and model took against theirs, else by the whole run's. */
#include <CUnit/CUnit.h>
#include <math.h>
#include "estimate.h"
#include "suites.h"

#define NEAR(a, b) (fabs((a) - (b)) < 1e-9)

static void test_eta_from_own_repetitions(void)
{
	/* warm-up 1 + 3 measured; 1 warm-up done (4 s), then 2 measured (1 s each) */
	struct ptb_eta_cell c[] = { { .w = 0, .v = 0, .runs = 4, .done = 3, .measured = 2,
				      .est_s = 9, .sum_s = 6, .measured_s = 2 } };
	CU_ASSERT(NEAR(ptb_eta_s(c, 1, 0), 1.0));	/* 1 left at 1 s, not the warm-up's 4 */
	c[0].measured = 0;
	c[0].measured_s = 0;
	c[0].done = 1;
	c[0].sum_s = 4;
	CU_ASSERT(NEAR(ptb_eta_s(c, 1, 0), 12.0));	/* 3 left at the warm-up's 4 s */
}

static void test_eta_scales_estimates_by_the_machine(void)
{
	struct ptb_eta_cell c[] = {
		/* done: workload 0 in model 0 took twice its estimate */
		{ .w = 0, .v = 0, .runs = 2, .done = 2, .measured = 2, .est_s = 1, .sum_s = 4,
		  .measured_s = 4 },
		/* not run, same workload and model: 2 runs at 3 s estimated -> 6 s each */
		{ .w = 0, .v = 0, .runs = 2, .est_s = 3 },
		/* not run, another model never run: the whole run's factor (2 too) */
		{ .w = 0, .v = 1, .runs = 1, .est_s = 5 },
	};
	CU_ASSERT(NEAR(ptb_eta_s(c, 3, 1), 2 * 6.0 + 10.0));
	CU_ASSERT(NEAR(ptb_eta_s(c, 3, 3), 0.0));	/* nothing left */
}

static void test_eta_before_anything_ran(void)
{
	struct ptb_eta_cell c[] = { { .w = 1, .v = 2, .runs = 3, .est_s = 0.5 },
				    { .w = 40, .v = 99, .runs = 2, .est_s = 1 } };	/* out of range: plain estimate */
	CU_ASSERT(NEAR(ptb_eta_s(c, 2, 0), 1.5 + 2.0));
}

int th_add_estimate_suite(void)
{
	CU_pSuite s = CU_add_suite("eta", NULL, NULL);
	return s && CU_add_test(s, "a combination that ran: its own repetitions",
				test_eta_from_own_repetitions) &&
			       CU_add_test(s, "one not yet run: its estimate scaled by the machine",
					   test_eta_scales_estimates_by_the_machine) &&
			       CU_add_test(s, "before anything ran: the estimates",
					   test_eta_before_anything_ran)
		       ? 0
		       : -1;
}
