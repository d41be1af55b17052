/* model_procpool.c - `procpool`: N persistent forked workers, started
 * before the clock, fed by a task queue in the shared arena with
 * process-shared mutex and condition variables.  The submitter checks the
 * workers' health while it waits, so a crashed worker ends the run with an
 * error instead of a hang. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include "child.h"
#include "model.h"
#include "pool.h"

struct ppool {
	struct ptb_pool_queue *q;	/* in the arena */
	pid_t *pid;			/* 0 once reaped */
	unsigned nprocs;
};

static size_t ppool_arena_bytes(const struct ptb_job *job)
{
	(void)job;
	return sizeof(struct ptb_pool_queue) + 64;
}

/* Reap pool workers that have died; any death before shutdown is an error. */
static int ppool_alive(void *ctx, struct ptb_err *err)
{
	struct ppool *pp = ctx;
	for (unsigned i = 0; i < pp->nprocs; i++) {
		int status;
		if (pp->pid[i] == 0 || waitpid(pp->pid[i], &status, WNOHANG) <= 0)
			continue;
		pp->pid[i] = 0;
		char what[64];
		return ptb_errf(err, "pool worker %u %s", i,
				ptb_describe_status(status, what, sizeof what));
	}
	return 0;
}

static void ppool_stop(void *state)
{
	struct ppool *pp = state;
	if (!pp)
		return;
	ptb_pool_shutdown(pp->q);
	for (unsigned i = 0; i < pp->nprocs; i++) {
		if (pp->pid[i] == 0)
			continue;
		while (waitpid(pp->pid[i], NULL, 0) < 0 && errno == EINTR)
			;
	}
	ptb_pool_destroy(pp->q);
	free(pp->pid);
	free(pp);
}

static int ppool_start(const struct ptb_job *job, void **state, struct ptb_err *err)
{
	struct ppool *pp = calloc(1, sizeof *pp);
	if (!pp || !(pp->pid = calloc(job->workers, sizeof *pp->pid))) {
		free(pp);
		return ptb_errf(err, "out of memory for a pool of %u processes", job->workers);
	}
	pp->q = ptb_arena_alloc(job->arena, sizeof *pp->q);
	if (!pp->q || ptb_pool_init(pp->q, true, err)) {
		if (!pp->q)
			ptb_errf(err, "shared arena too small for the pool queue");
		free(pp->pid);
		free(pp);
		return -1;
	}
	*state = pp;
	pid_t parent = getpid();
	for (; pp->nprocs < job->workers; pp->nprocs++) {
		pid_t p = fork();
		if (p < 0)
			return ptb_errno(err, "fork(pool worker %u of %u)", pp->nprocs, job->workers);
		if (p == 0) {
			if (!ptb_child_die_with(parent))
				_exit(125);
			ptb_pool_worker_loop(pp->q, job);
			_exit(0);
		}
		pp->pid[pp->nprocs] = p;
	}
	return 0;
}

static int ppool_run(void *state, const struct ptb_job *job, struct ptb_err *err)
{
	struct ppool *pp = state;
	return ptb_pool_submit_all(pp->q, job, ppool_alive, pp, err);
}

const struct ptb_model ptb_model_procpool = {
	.name = "procpool",
	.desc = "a pool of N persistent forked workers fed by a queue in shared memory (started before the clock)",
	.pooled = true,
	.counterpart = "threadpool",
	.arena_bytes = ppool_arena_bytes,
	.start = ppool_start,
	.run = ppool_run,
	.stop = ppool_stop,
};
