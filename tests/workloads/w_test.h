/* w_test.h - test-only workloads for the failure-path suite (w_test.c). */
#ifndef PTB_TEST_W_TEST_H
#define PTB_TEST_W_TEST_H

#include "workload.h"

extern const struct ptb_workload ptb_w_test_crash;	/* task 1: SIGSEGV */
extern const struct ptb_workload ptb_w_test_fail;	/* task 1: returns 7 */
extern const struct ptb_workload ptb_w_test_hang;	/* every task: sleeps forever */

#endif
