/* pool.c - the bounded task/completion queue shared by both pools. */
#include "pool.h"

#include <errno.h>
#include <string.h>
#include <time.h>

#define ALIVE_CHECK_NS 100000000L	/* re-check workers' health every 100 ms */

int ptb_pool_init(struct ptb_pool_queue *q, bool pshared, struct ptb_err *err)
{
	int scope = pshared ? PTHREAD_PROCESS_SHARED : PTHREAD_PROCESS_PRIVATE;
	pthread_mutexattr_t ma;
	pthread_condattr_t ca;
	int rc;
	memset(q, 0, sizeof *q);
	if ((rc = pthread_mutexattr_init(&ma)) || (rc = pthread_mutexattr_setpshared(&ma, scope)) ||
	    (rc = pthread_mutex_init(&q->mu, &ma)))
		return errno = rc, ptb_errno(err, "pthread_mutex_init(pool)");
	pthread_mutexattr_destroy(&ma);
	if ((rc = pthread_condattr_init(&ca)) || (rc = pthread_condattr_setpshared(&ca, scope)) ||
	    (rc = pthread_condattr_setclock(&ca, CLOCK_MONOTONIC)) ||
	    (rc = pthread_cond_init(&q->work_cv, &ca)) || (rc = pthread_cond_init(&q->done_cv, &ca)))
		return errno = rc, ptb_errno(err, "pthread_cond_init(pool)");
	pthread_condattr_destroy(&ca);
	return 0;
}

void ptb_pool_destroy(struct ptb_pool_queue *q)
{
	pthread_cond_destroy(&q->work_cv);
	pthread_cond_destroy(&q->done_cv);
	pthread_mutex_destroy(&q->mu);
}

void ptb_pool_worker_loop(struct ptb_pool_queue *q, const struct ptb_job *job)
{
	pthread_mutex_lock(&q->mu);
	for (;;) {
		while (q->todo_count == 0 && !q->shutdown)
			pthread_cond_wait(&q->work_cv, &q->mu);
		if (q->todo_count == 0)
			break;	/* shutdown, and nothing left to do */
		unsigned task = q->todo[q->todo_head];
		q->todo_head = (q->todo_head + 1) % PTB_POOL_CAP;
		q->todo_count--;
		pthread_mutex_unlock(&q->mu);

		int status = job->fn(job->arg, task, job->tasks);

		pthread_mutex_lock(&q->mu);
		unsigned slot = (q->done_head + q->done_count) % PTB_POOL_CAP;
		q->done[slot].task = task;
		q->done[slot].status = status;
		q->done_count++;
		pthread_cond_signal(&q->done_cv);
	}
	pthread_mutex_unlock(&q->mu);
}

/* What the completion callback accumulates, in the submitter. */
struct tally {
	unsigned completed;
	int first_failed_task;	/* -1 when none failed */
	int first_status;
};

static void on_complete(struct tally *t, const struct ptb_pool_done *d)
{
	t->completed++;
	if (d->status != 0 && t->first_failed_task < 0) {
		t->first_failed_task = (int)d->task;
		t->first_status = d->status;
	}
}

static void push_task(struct ptb_pool_queue *q, unsigned task)
{
	unsigned slot = (q->todo_head + q->todo_count) % PTB_POOL_CAP;
	q->todo[slot] = task;
	q->todo_count++;
	pthread_cond_signal(&q->work_cv);
}

/* With q->mu held: wait for one completion and run the callback on it. */
static int reap_one(struct ptb_pool_queue *q, struct tally *t, ptb_pool_alive_fn alive,
		    void *alive_ctx, struct ptb_err *err)
{
	while (q->done_count == 0) {
		struct timespec until;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_nsec += ALIVE_CHECK_NS;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		int rc = pthread_cond_timedwait(&q->done_cv, &q->mu, &until);
		if (rc == ETIMEDOUT && alive && alive(alive_ctx, err))
			return -1;
	}
	struct ptb_pool_done d = q->done[q->done_head];
	q->done_head = (q->done_head + 1) % PTB_POOL_CAP;
	q->done_count--;
	on_complete(t, &d);
	return 0;
}

int ptb_pool_submit_all(struct ptb_pool_queue *q, const struct ptb_job *job,
			ptb_pool_alive_fn alive, void *alive_ctx, struct ptb_err *err)
{
	struct tally t = { .first_failed_task = -1 };
	unsigned in_flight_cap = job->async_submit ? PTB_POOL_CAP : 1;
	int rc = 0;
	pthread_mutex_lock(&q->mu);
	for (unsigned task = 0; task < job->tasks && rc == 0; task++) {
		while (rc == 0 && task - t.completed >= in_flight_cap)
			rc = reap_one(q, &t, alive, alive_ctx, err);
		if (rc == 0)
			push_task(q, task);
	}
	while (rc == 0 && t.completed < job->tasks)
		rc = reap_one(q, &t, alive, alive_ctx, err);
	pthread_mutex_unlock(&q->mu);
	if (rc == 0 && t.first_failed_task >= 0)
		return ptb_errf(err, "task %d failed with status %d", t.first_failed_task,
				t.first_status);
	return rc;
}

void ptb_pool_shutdown(struct ptb_pool_queue *q)
{
	pthread_mutex_lock(&q->mu);
	q->shutdown = true;
	q->todo_count = 0;	/* drop what was not started (after a failure) */
	pthread_cond_broadcast(&q->work_cv);
	pthread_mutex_unlock(&q->mu);
}
