/* model_thread.c - `thread`: N pthreads, created and joined inside the
 * timed region (creation is part of what the model costs). */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include "model.h"

struct worker_arg {
	const struct ptb_job *job;
	unsigned index;
	int status;
};

static void *thread_main(void *p)
{
	struct worker_arg *w = p;
	w->status = ptb_run_share(w->job, w->index);
	return NULL;
}

static int thread_run(void *state, const struct ptb_job *job, struct ptb_err *err)
{
	(void)state;
	pthread_t *tid = calloc(job->workers, sizeof *tid);
	struct worker_arg *args = calloc(job->workers, sizeof *args);
	unsigned started = 0;
	int rc = 0;
	if (!tid || !args) {
		rc = ptb_errf(err, "out of memory for %u threads", job->workers);
		goto out;
	}
	for (; started < job->workers; started++) {
		args[started] = (struct worker_arg){ .job = job, .index = started };
		int e = pthread_create(&tid[started], NULL, thread_main, &args[started]);
		if (e) {
			errno = e;
			rc = ptb_errno(err, "pthread_create(worker %u of %u)", started, job->workers);
			break;
		}
	}
	for (unsigned i = 0; i < started; i++) {
		pthread_join(tid[i], NULL);
		if (args[i].status && rc == 0)
			rc = ptb_errf(err, "worker %u failed with status %d", i, args[i].status);
	}
out:
	free(tid);
	free(args);
	return rc;
}

/* The `create` workload's unit: one empty thread, created and joined. */
static void *empty_thread(void *arg)
{
	return arg;
}

static int thread_create_empty(const struct ptb_exec *ex, struct ptb_err *err)
{
	static char token;	/* what the empty thread must hand back */
	pthread_t tid;
	void *ret = NULL;
	if (ex)
		return ptb_errf(err, "thread: a thread cannot exec a program");
	int e = pthread_create(&tid, NULL, empty_thread, &token);
	if (e == 0 && (e = pthread_join(tid, &ret)) == 0 && ret != &token)
		return ptb_errf(err, "empty thread returned %p, not its token", ret);
	if (e) {
		errno = e;
		return ptb_errno(err, "pthread_create/join(empty thread)");
	}
	return 0;
}

const struct ptb_model ptb_model_thread = {
	.name = "thread",
	.shared_space = true,
	.desc = "N pthreads, created and joined inside the timed region",
	.create_empty = thread_create_empty,
	.create_kinds = PTB_CREATE_EXIT,
	.run = thread_run,
};
