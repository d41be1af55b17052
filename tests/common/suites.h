/* suites.h - each test file (tests/unit, workloads, cli, output, signals,
 * common) registers its CUnit suites through one of these; main.c calls
 * them in order.  Each returns 0, or -1 when CUnit
 * could not register a suite or test. */
#ifndef PTB_TEST_SUITES_H
#define PTB_TEST_SUITES_H

int th_add_helper_suite(void);		/* test_helpers.c: the leftover detectors work */
int th_add_run_suites(void);		/* test_runs.c: workloads x models, counter, failures */
int th_add_csv_suite(void);		/* test_csv.c */
int th_add_parse_suite(void);		/* test_parse.c */
int th_add_stats_suite(void);		/* test_stats.c */
int th_add_estimate_suite(void);	/* test_estimate.c: the ETA */
int th_add_cli_suite(void);		/* test_cli.c */
int th_add_signal_suite(void);		/* test_signals.c */
int th_add_output_suite(void);		/* test_output.c: notes column, killed runner, derived.py */
int th_add_share_suite(void);		/* test_process_workloads.c: share */
int th_add_crash_suite(void);		/* test_process_workloads.c: crash */
int th_add_pool_suite(void);		/* test_process_workloads.c: pool */
int th_add_zombie_daemon_suite(void);	/* test_process_workloads.c: zombie, daemon */

#endif
