/* w_test.c - workloads that exist only for the tests: one whose task 1
 * dies of SIGSEGV, one whose task 1 reports failure, and one whose tasks
 * never return.  They are not in the registry, so ptbench never offers
 * them; the failure-path suite hands them to ptb_run_rep directly. */
#include "w_test.h"

#include <signal.h>
#include <unistd.h>

static size_t test_arena_bytes(const struct ptb_wctx *ctx)
{
	(void)ctx;
	return 64;
}

static int test_setup(struct ptb_wctx *ctx, struct ptb_err *err)
{
	(void)ctx;
	(void)err;
	return 0;
}

static int test_verify(struct ptb_wctx *ctx, struct ptb_outcome *out, struct ptb_err *err)
{
	(void)err;
	out->ops = ctx->tasks;
	out->result = 0;
	out->ok = true;
	return 0;
}

/* Task 1 dies of SIGSEGV.  The default action is restored first, so a
 * sanitizer's SEGV handler cannot turn the death into an exit status. */
static int crash_task(void *arg, unsigned task, unsigned ntasks)
{
	(void)arg;
	(void)ntasks;
	if (task == 1) {
		struct sigaction sa = { .sa_handler = SIG_DFL };
		sigset_t segv;
		sigemptyset(&sa.sa_mask);
		sigemptyset(&segv);
		sigaddset(&segv, SIGSEGV);
		if (sigaction(SIGSEGV, &sa, NULL) < 0 || pthread_sigmask(SIG_UNBLOCK, &segv, NULL))
			return 3;
		raise(SIGSEGV);
		return 4;	/* not reached */
	}
	return 0;
}

/* Task 1 returns a failure status (7); the others succeed. */
static int fail_task(void *arg, unsigned task, unsigned ntasks)
{
	(void)arg;
	(void)ntasks;
	return task == 1 ? 7 : 0;
}

/* Every task sleeps forever: only the runner's timeout ends it. */
static int hang_task(void *arg, unsigned task, unsigned ntasks)
{
	(void)arg;
	(void)task;
	(void)ntasks;
	for (;;)
		pause();
	return 0;
}

#define TEST_WORKLOAD(NAME, DESC, TASK)                                               \
	{                                                                             \
		.name = NAME, .desc = DESC, .ops_unit = "task", .opts = NULL, .nopts = 0, \
		.arena_bytes = test_arena_bytes, .setup = test_setup, .task = TASK,   \
		.verify = test_verify,                                                \
	}

const struct ptb_workload ptb_w_test_crash =
	TEST_WORKLOAD("test-crash", "task 1 raises SIGSEGV", crash_task);
const struct ptb_workload ptb_w_test_fail =
	TEST_WORKLOAD("test-fail", "task 1 returns status 7", fail_task);
const struct ptb_workload ptb_w_test_hang =
	TEST_WORKLOAD("test-hang", "every task sleeps forever", hang_task);
