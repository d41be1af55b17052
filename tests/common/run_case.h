/* run_case.h - one repetition of a workload in a model through
 * ptb_run_rep (as the driver runs it), with options given as
 * "name=value;name=value" on top of the workload's defaults, checking
 * that nothing was left behind (no child process, no new /dev/shm entry).
 * Used by the suites of the share, crash, pool, zombie and daemon
 * workloads. */
#ifndef PTB_TEST_RUN_CASE_H
#define PTB_TEST_RUN_CASE_H

#include <stdbool.h>
#include <stddef.h>
#include "sample.h"

struct th_case {
	const char *workload;
	const char *model;
	const char *opts;	/* "via=pipe;encode=1", NULL: the defaults */
	unsigned workers, tasks;	/* tasks 0: as many as workers */
	bool async;
};

/* A one-line description of c, into buf. */
const char *th_case_describe(const struct th_case *c, char *buf, size_t len);
/* NULL when the driver would run c, else the refusal (ptb_fit_refusal). */
const char *th_case_refusal(const struct th_case *c);
/* Run one repetition of c into *s.  Returns true when it ran; checks
 * (as test failures) that no child process and no /dev/shm entry is left. */
bool th_case_run(const struct th_case *c, struct ptb_sample *s);

#endif
