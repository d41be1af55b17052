/* model_threadpool.c - `threadpool`: N persistent pthreads, started before
 * the clock, fed by a task queue in private memory. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include "model.h"
#include "pool.h"

struct tpool {
	struct ptb_pool_queue q;
	const struct ptb_job *job;
	pthread_t *tid;
	unsigned nthreads;
};

static void *tpool_main(void *p)
{
	struct tpool *tp = p;
	ptb_pool_worker_loop(&tp->q, tp->job);
	return NULL;
}

static void tpool_stop(void *state)
{
	struct tpool *tp = state;
	if (!tp)
		return;
	ptb_pool_shutdown(&tp->q);
	for (unsigned i = 0; i < tp->nthreads; i++)
		pthread_join(tp->tid[i], NULL);
	ptb_pool_destroy(&tp->q);
	free(tp->tid);
	free(tp);
}

static int tpool_start(const struct ptb_job *job, void **state, struct ptb_err *err)
{
	struct tpool *tp = calloc(1, sizeof *tp);
	if (!tp || !(tp->tid = calloc(job->workers, sizeof *tp->tid))) {
		free(tp);
		return ptb_errf(err, "out of memory for a pool of %u threads", job->workers);
	}
	tp->job = job;
	if (ptb_pool_init(&tp->q, false, err)) {
		free(tp->tid);
		free(tp);
		return -1;
	}
	*state = tp;
	for (; tp->nthreads < job->workers; tp->nthreads++) {
		int e = pthread_create(&tp->tid[tp->nthreads], NULL, tpool_main, tp);
		if (e) {
			errno = e;
			ptb_errno(err, "pthread_create(pool worker %u of %u)", tp->nthreads,
				  job->workers);
			return -1;	/* the runner calls stop, which joins what started */
		}
	}
	return 0;
}

static int tpool_run(void *state, const struct ptb_job *job, struct ptb_err *err)
{
	struct tpool *tp = state;
	return ptb_pool_submit_all(&tp->q, job, NULL, NULL, err);
}

const struct ptb_model ptb_model_threadpool = {
	.name = "threadpool",
	.desc = "a pool of N persistent pthreads fed by a task queue (started before the clock)",
	.pooled = true,
	.shared_space = true,
	.start = tpool_start,
	.run = tpool_run,
	.stop = tpool_stop,
};
