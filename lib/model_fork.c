/* model_fork.c - `fork`: N forked children, created inside the timed
 * region and each reaped with wait4 (their rusage lands in the runner's
 * RUSAGE_CHILDREN). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include "child.h"
#include "model.h"

static int reap_children(pid_t *pid, unsigned n, struct ptb_err *err, int rc)
{
	for (unsigned i = 0; i < n; i++) {
		int status;
		struct rusage ru;
		pid_t got;
		while ((got = wait4(pid[i], &status, 0, &ru)) < 0 && errno == EINTR)
			;
		if (got < 0) {
			if (rc == 0)
				rc = ptb_errno(err, "wait4(worker %u)", i);
			continue;
		}
		if (rc == 0 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
			char what[64];
			rc = ptb_errf(err, "worker %u %s", i,
				      ptb_describe_status(status, what, sizeof what));
		}
	}
	return rc;
}

static int fork_run(void *state, const struct ptb_job *job, struct ptb_err *err)
{
	(void)state;
	pid_t *pid = calloc(job->workers, sizeof *pid);
	unsigned started = 0;
	int rc = 0;
	if (!pid)
		return ptb_errf(err, "out of memory for %u pids", job->workers);
	pid_t parent = getpid();
	for (; started < job->workers; started++) {
		pid_t p = fork();
		if (p < 0) {
			rc = ptb_errno(err, "fork(worker %u of %u)", started, job->workers);
			break;
		}
		if (p == 0) {
			/* die with the runner, whatever happens to it */
			if (!ptb_child_die_with(parent))
				_exit(125);
			_exit(ptb_run_share(job, started) ? 1 : 0);
		}
		pid[started] = p;
	}
	rc = reap_children(pid, started, err, rc);
	free(pid);
	return rc;
}

/* The `create` workload's unit: fork, _exit (or execve), waitpid. */
static int fork_create_empty(const struct ptb_exec *ex, struct ptb_err *err)
{
	pid_t pid = fork();
	if (pid < 0)
		return ptb_errno(err, "fork(empty worker)");
	if (pid == 0) {
		if (ex)
			execve(ex->path, ex->argv, environ);
		ptb_child_exit(ex ? 127 : 0);
	}
	return ptb_wait_empty(pid, err);
}

const struct ptb_model ptb_model_fork = {
	.name = "fork",
	.desc = "N forked children, created and reaped (wait4) inside the timed region",
	.create_empty = fork_create_empty,
	.create_kinds = PTB_CREATE_EXIT | PTB_CREATE_EXEC,
	.counterpart = "thread",
	.run = fork_run,
};
