/* main.c - the CUnit program of the part-B suites (`make test-part-b`):
 * the workloads share, crash, pool, zombie and daemon in every model, and
 * what they write.  Exit status 0 only when every test passed.
 *
 *   PTBENCH=path/to/ptbench   the binary run as a subprocess
 *                             (default build/ptbench); run from the
 *                             repository root (scripts/derived.py). */
#include <CUnit/Basic.h>
#include <stdio.h>
#include "pb.h"

int main(void)
{
	if (pb_init())
		return 2;
	if (CU_initialize_registry() != CUE_SUCCESS) {
		fprintf(stderr, "ptbench-tests-part-b: %s\n", CU_get_error_msg());
		return 2;
	}
	if (pb_add_output_suite() || pb_add_share_suite() || pb_add_crash_suite() ||
	    pb_add_pool_suite() || pb_add_zombie_daemon_suite()) {
		fprintf(stderr, "ptbench-tests-part-b: registering: %s\n", CU_get_error_msg());
		CU_cleanup_registry();
		return 2;
	}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_ErrorCode rc = CU_basic_run_tests();
	unsigned failures = CU_get_number_of_failures();
	CU_cleanup_registry();
	return rc != CUE_SUCCESS || failures > 0 ? 1 : 0;
}
