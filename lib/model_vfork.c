/* model_vfork.c - `vfork`: empty workers made with vfork().
 *
 * A vfork child borrows its parent's memory and stack until it calls
 * _exit or execve, so it can run no workload code at all: the model can
 * only create empty workers.  It therefore runs only workloads that need
 * nothing but that primitive (PTB_NEEDS_CREATE: the `create` workload),
 * and runs their tasks inside the runner itself (ptb_run_in_runner: task
 * share 0 on the runner's own thread, shares 1..W-1 on pthreads), each
 * task calling create_empty in a loop.  create_empty is vfork + _exit
 * (or execve of the worker binary) + waitpid.
 *
 * ptb_run_in_runner is shared with the spawn model (model_spawn.c). */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/types.h>
#include <unistd.h>
#include "child.h"
#include "model.h"

struct share_arg {
	const struct ptb_job *job;
	unsigned worker;
	int status;
};

static void *share_main(void *p)
{
	struct share_arg *a = p;
	a->status = ptb_run_share(a->job, a->worker);
	return NULL;
}

static int join_shares(pthread_t *tid, struct share_arg *args, unsigned started,
		       struct ptb_err *err, int rc)
{
	for (unsigned i = 1; i < started; i++) {
		int e = pthread_join(tid[i], NULL);
		if (e && rc == 0) {
			errno = e;
			rc = ptb_errno(err, "pthread_join(creator %u)", i);
		}
		if (args[i].status && rc == 0)
			rc = ptb_errf(err, "creator %u failed with status %d", i, args[i].status);
	}
	return rc;
}

int ptb_run_in_runner(const struct ptb_job *job, struct ptb_err *err)
{
	pthread_t *tid = calloc(job->workers, sizeof *tid);
	struct share_arg *args = calloc(job->workers, sizeof *args);
	unsigned started = 1;	/* share 0 is this thread's */
	int rc = 0;
	if (!tid || !args) {
		free(tid);
		free(args);
		return ptb_errf(err, "out of memory for %u creators", job->workers);
	}
	for (; started < job->workers; started++) {
		args[started] = (struct share_arg){ .job = job, .worker = started };
		int e = pthread_create(&tid[started], NULL, share_main, &args[started]);
		if (e) {
			errno = e;
			rc = ptb_errno(err, "pthread_create(creator %u of %u)", started, job->workers);
			break;
		}
	}
	if (rc == 0) {
		int status = ptb_run_share(job, 0);
		if (status)
			rc = ptb_errf(err, "creator 0 failed with status %d", status);
	}
	rc = join_shares(tid, args, started, err, rc);
	free(tid);
	free(args);
	return rc;
}

/* The child may only _exit or execve: it runs on the parent's stack. */
static int vfork_create_empty(const struct ptb_exec *ex, struct ptb_err *err)
{
	pid_t pid = vfork();
	if (pid < 0)
		return ptb_errno(err, "vfork(empty worker)");
	if (pid == 0) {
		if (ex)
			execve(ex->path, ex->argv, environ);
		ptb_child_exit(ex ? 127 : 0);
	}
	return ptb_wait_empty(pid, err);
}

static bool vfork_supports(const struct ptb_model *m, const struct ptb_workload *wl)
{
	(void)m;
	return (wl->needs & PTB_NEEDS_CREATE) != 0;
}

static int vfork_run(void *state, const struct ptb_job *job, struct ptb_err *err)
{
	(void)state;
	return ptb_run_in_runner(job, err);
}

const struct ptb_model ptb_model_vfork = {
	.name = "vfork",
	.desc = "empty workers by vfork+_exit (or +exec) +waitpid; runs only `create`",
	.supports = vfork_supports,
	.create_empty = vfork_create_empty,
	.create_kinds = PTB_CREATE_EXIT | PTB_CREATE_EXEC,
	.run = vfork_run,
};
