/* w_counter.c - `counter`: the locked counter of seed 004.
 *
 * A shared n starts at tasks x --iters.  Each task, --iters times, reads
 * n, waits --window-us microseconds, and writes back n - 1, under the lock
 * chosen with --lock: a process-shared pthread mutex or spinlock in the
 * shared arena, an atomic compare-and-swap retry loop, or none.  The
 * result is the final n, the number of lost updates: it must be 0 with a
 * lock; without one, lost updates are the finding, not an error.  The
 * seed's case is `-w counter -n 100 --window-us 100000 --lock none`. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>
#include "workload.h"

enum { OPT_ITERS, OPT_WINDOW_US, OPT_LOCK };
enum { LOCK_MUTEX, LOCK_SPIN, LOCK_ATOMIC, LOCK_NONE };

struct counter_state {
	_Alignas(64) _Atomic int64_t n_atomic;	/* --lock atomic */
	_Alignas(64) volatile int64_t n;	/* every other lock */
	_Alignas(64) pthread_mutex_t mutex;
	pthread_spinlock_t spin;
};

static size_t counter_arena_bytes(const struct ptb_wctx *ctx)
{
	(void)ctx;
	return sizeof(struct counter_state);
}

static int counter_setup(struct ptb_wctx *ctx, struct ptb_err *err)
{
	struct counter_state *st = ptb_arena_alloc(ctx->arena, sizeof *st);
	pthread_mutexattr_t ma;
	int rc;
	if (!st)
		return ptb_errf(err, "counter: shared arena too small");
	int64_t start = (int64_t)ctx->tasks * (int64_t)ctx->opt[OPT_ITERS];
	st->n = start;
	atomic_init(&st->n_atomic, start);
	if ((rc = pthread_mutexattr_init(&ma)) ||
	    (rc = pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED)) ||
	    (rc = pthread_mutex_init(&st->mutex, &ma)))
		return errno = rc, ptb_errno(err, "counter: pthread_mutex_init");
	pthread_mutexattr_destroy(&ma);
	if ((rc = pthread_spin_init(&st->spin, PTHREAD_PROCESS_SHARED)))
		return errno = rc, ptb_errno(err, "counter: pthread_spin_init");
	ctx->state = st;
	return 0;
}

static void wait_window(uint64_t window_us)
{
	if (window_us == 0)
		return;
	struct timespec ts = { (time_t)(window_us / 1000000), (long)(window_us % 1000000) * 1000 };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Read, wait, write: the seed's three lines. */
static void read_wait_write(volatile int64_t *n, uint64_t window_us)
{
	int64_t v = *n;
	wait_window(window_us);
	*n = v - 1;
}

static void atomic_decrement(_Atomic int64_t *n, uint64_t window_us)
{
	int64_t v = atomic_load(n);
	wait_window(window_us);
	while (!atomic_compare_exchange_weak(n, &v, v - 1))
		;	/* v now holds the fresh value: retry from it */
}

static int counter_task(void *arg, unsigned task, unsigned ntasks)
{
	(void)task;
	(void)ntasks;
	struct ptb_wctx *ctx = arg;
	struct counter_state *st = ctx->state;
	uint64_t window_us = ctx->opt[OPT_WINDOW_US];
	for (uint64_t i = 0; i < ctx->opt[OPT_ITERS]; i++) {
		switch (ctx->opt[OPT_LOCK]) {
		case LOCK_MUTEX:
			if (pthread_mutex_lock(&st->mutex))
				return 1;
			read_wait_write(&st->n, window_us);
			pthread_mutex_unlock(&st->mutex);
			break;
		case LOCK_SPIN:
			pthread_spin_lock(&st->spin);
			read_wait_write(&st->n, window_us);
			pthread_spin_unlock(&st->spin);
			break;
		case LOCK_ATOMIC:
			atomic_decrement(&st->n_atomic, window_us);
			break;
		default:
			read_wait_write(&st->n, window_us);
			break;
		}
	}
	return 0;
}

static int counter_verify(struct ptb_wctx *ctx, struct ptb_outcome *out, struct ptb_err *err)
{
	(void)err;
	struct counter_state *st = ctx->state;
	bool atomic = ctx->opt[OPT_LOCK] == LOCK_ATOMIC;
	out->result = atomic ? atomic_load(&st->n_atomic) : st->n;
	out->ops = (uint64_t)ctx->tasks * ctx->opt[OPT_ITERS];
	out->ok = ctx->opt[OPT_LOCK] == LOCK_NONE || out->result == 0;
	return 0;
}

static void counter_teardown(struct ptb_wctx *ctx)
{
	struct counter_state *st = ctx->state;
	if (!st)
		return;
	pthread_mutex_destroy(&st->mutex);
	pthread_spin_destroy(&st->spin);
}

/* The Python twin's locks: threading.Lock and multiprocessing.Lock, or none. */
static const char *counter_py_refuse(const struct ptb_fit *fit, const char *start)
{
	(void)start;
	if (fit->opt[OPT_LOCK] == LOCK_SPIN || fit->opt[OPT_LOCK] == LOCK_ATOMIC)
		return "Python has no spinlock or atomic: --lock mutex (threading.Lock, multiprocessing.Lock) or none";
	return NULL;
}

/* As MPI ranks (bench/mpi/rank.c) the counter is a reduction: ranks share
 * no memory, so there is nothing to race on, and a lock server on rank 0
 * would measure message round trips (doc/mpi.md). */
static const char *counter_mpi_refuse(const struct ptb_workload *wl, const uint64_t *opt)
{
	(void)wl;
	if (opt[OPT_LOCK] == LOCK_NONE || opt[OPT_LOCK] == LOCK_SPIN)
		return "mpi ranks share no memory, so the counter is a reduction (no update can be "
		       "lost): --lock mutex or atomic";
	return NULL;
}

static const struct ptb_opt counter_opts[] = {
	[OPT_ITERS] = { "iters", "1", "decrements each task makes", PTB_OPT_NUM,
			PTB_UNIT_COUNT, 1, UINT64_C(1) << 40, NULL },
	[OPT_WINDOW_US] = { "window-us", "0", "microseconds between read and write (seed: 100000)",
			    PTB_OPT_NUM, PTB_UNIT_COUNT, 0, 60000000, NULL },
	[OPT_LOCK] = { "lock", "mutex", "what guards read-wait-write", PTB_OPT_CHOICE,
		       PTB_UNIT_COUNT, 0, 0, "mutex|spin|atomic|none" },
};

const struct ptb_workload ptb_w_counter = {
	.name = "counter",
	.desc = "the locked counter of seed 004: read n, wait, write n-1; result = lost updates",
	.ops_unit = "decrement",
	.headline = "result",
	.better = PTB_LOWER_IS_BETTER,
	.claims = "C7,C13",
	.py = PTB_PY_IMPL | PTB_PY_EXECUTORS,
	.py_refuse = counter_py_refuse,
	.mpi = PTB_MPI_IMPL,
	.mpi_refuse = counter_mpi_refuse,
	.opts = counter_opts,
	.nopts = 3,
	.arena_bytes = counter_arena_bytes,
	.setup = counter_setup,
	.task = counter_task,
	.verify = counter_verify,
	.teardown = counter_teardown,
};
