/* pool.h - the task queue both pools share, and the loop their workers run.
 *
 * One bounded ring of submitted task numbers and one of completions,
 * guarded by one mutex and two condition variables.  The threadpool keeps
 * it in private memory with process-private primitives; the procpool keeps
 * it in the shared arena with PTHREAD_PROCESS_SHARED ones.  The submitter
 * offers Python's two ways: `apply` (submit one task, wait for it) and
 * `apply_async(callback=)` (keep up to the ring's capacity in flight; the
 * callback runs in the submitter for each completion). */
#ifndef PTB_POOL_H
#define PTB_POOL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include "err.h"
#include "model.h"

#define PTB_POOL_CAP 256u

struct ptb_pool_queue {
	pthread_mutex_t mu;
	pthread_cond_t work_cv;	/* workers: a task arrived, or shutdown */
	pthread_cond_t done_cv;	/* submitter: a task completed */
	bool shutdown;
	unsigned todo_head, todo_count;
	unsigned done_head, done_count;
	unsigned todo[PTB_POOL_CAP];
	struct ptb_pool_done { unsigned task; int status; } done[PTB_POOL_CAP];
};

/* Returns 0 while every worker lives; -1 with err filled otherwise.  Called
 * by the submitter whenever a wait for completions times out. */
typedef int (*ptb_pool_alive_fn)(void *ctx, struct ptb_err *err);

int ptb_pool_init(struct ptb_pool_queue *q, bool pshared, struct ptb_err *err);
void ptb_pool_destroy(struct ptb_pool_queue *q);
/* The worker side: take tasks and run them until shutdown. */
void ptb_pool_worker_loop(struct ptb_pool_queue *q, const struct ptb_job *job);
/* The submitter side: run every task of the job through the pool. */
int ptb_pool_submit_all(struct ptb_pool_queue *q, const struct ptb_job *job,
			ptb_pool_alive_fn alive, void *alive_ctx, struct ptb_err *err);
/* Wake every worker and tell it to return from the loop. */
void ptb_pool_shutdown(struct ptb_pool_queue *q);

#endif
