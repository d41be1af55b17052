/* main.c - the CUnit test program of ptbench (build/ptbench-tests):
 * registers every C suite (tests/unit, workloads, cli, output, signals,
 * and the helpers' own) and runs them with CUnit's basic interface (its
 * "Run Summary" is the report).  Exit status 0 only when every test
 * passed.  Run it from the top of the tree (scripts/ is found there).
 *
 *   PTBENCH=path/to/ptbench   the binary the CLI and signal suites run
 *                             (default build/ptbench, made absolute)
 *   argv[1..]                 run only the suites whose names are given */
#include <CUnit/Basic.h>
#include <stdio.h>
#include <string.h>
#include "helpers.h"
#include "suites.h"

static int register_all(void)
{
	return th_add_parse_suite() || th_add_stats_suite() || th_add_estimate_suite() || th_add_csv_suite() ||
			       th_add_helper_suite() || th_add_run_suites() || th_add_share_suite() ||
			       th_add_crash_suite() || th_add_pool_suite() ||
			       th_add_zombie_daemon_suite() || th_add_output_suite() ||
			       th_add_cli_suite() || th_add_signal_suite()
		       ? -1
		       : 0;
}

/* Deactivate the suites not named on the command line. */
static int select_suites(int argc, char **argv)
{
	if (argc < 2)
		return 0;
	CU_set_fail_on_inactive(CU_FALSE);
	for (int i = 1; i < argc; i++)
		if (!CU_get_suite(argv[i])) {
			fprintf(stderr, "ptbench-tests: unknown suite '%s'\n", argv[i]);
			return -1;
		}
	for (CU_pSuite s = CU_get_registry()->pSuite; s; s = s->pNext) {
		bool named = false;
		for (int i = 1; i < argc; i++)
			named |= strcmp(s->pName, argv[i]) == 0;
		CU_set_suite_active(s, named ? CU_TRUE : CU_FALSE);
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (th_init())
		return 2;
	if (CU_initialize_registry() != CUE_SUCCESS) {
		fprintf(stderr, "ptbench-tests: %s\n", CU_get_error_msg());
		return 2;
	}
	if (register_all() || select_suites(argc, argv)) {
		fprintf(stderr, "ptbench-tests: registering the suites: %s\n", CU_get_error_msg());
		CU_cleanup_registry();
		return 2;
	}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_ErrorCode rc = CU_basic_run_tests();
	unsigned failures = CU_get_number_of_failures();
	unsigned inactive = CU_get_number_of_suites_inactive();
	CU_cleanup_registry();
	if (rc != CUE_SUCCESS)
		fprintf(stderr, "ptbench-tests: %s\n", CU_get_error_msg());
	if (inactive && argc < 2)
		fprintf(stderr, "ptbench-tests: %u suites inactive\n", inactive);
	return rc != CUE_SUCCESS || failures > 0 ? 1 : 0;
}
