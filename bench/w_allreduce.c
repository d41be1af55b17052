/* w_allreduce.c - `allreduce`: workers that compute and communicate, the
 * workload the distribution row is judged on (claim C10).
 *
 * Each worker does --exchanges rounds of: compute (count --steps, the cpu
 * loop of bench/cpuloop.h), then an all-reduce of --payload bytes
 * (payload / 8 uint64 elements summed over the workers), then a check of
 * every element of the sum (bench/allreducedata.h says what each worker
 * adds and what the sum must be).  The ratio of --steps to --payload is
 * the compute-to-communication ratio: many steps per exchange scale like
 * `cpu`, few make the exchange dominate.
 *
 * Threads and processes (thread, fork, the pools) reduce through the
 * shared arena: each worker adds its elements into a shared sum with
 * relaxed atomic adds, waits at a process-shared pthread barrier, then
 * reads and checks the sum.  Three sum buffers rotate (exchange r adds to
 * buffer r % 3): after the barrier of exchange r every worker has finished
 * reading buffer (r + 2) % 3 (read in exchange r - 1, before it reached
 * the barrier), so each worker zeroes its slice of it, and nobody adds to
 * it before the barrier of exchange r + 1, which the zeroing workers reach
 * only after zeroing.  One barrier per exchange, as MPI_Allreduce is one
 * collective.  The mpi model runs the same rounds with MPI_Allreduce
 * (bench/mpi/rank.c).  All workers must run at once (PTB_NEEDS_GANG).
 *
 * ops = exchanges (ns_per_op: the time of one compute + exchange round);
 * result = (worker, exchange) pairs whose sum was right, which must be
 * workers x exchanges. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include "allreducedata.h"
#include "cpuloop.h"
#include "workload.h"

#define NBUF 3
#define MAX_PAYLOAD (UINT64_C(64) << 20)

enum { OPT_STEPS, OPT_EXCHANGES, OPT_PAYLOAD };

struct allreduce_state {
	pthread_barrier_t barrier;
	bool barrier_made;	/* teardown destroys it */
	uint64_t elems;
	_Atomic uint64_t *sum[NBUF];
	_Alignas(64) atomic_ullong rounds_ok;	/* (worker, exchange) pairs checked right */
};

static uint64_t elems_of(const uint64_t *opt)
{
	return opt[OPT_PAYLOAD] / sizeof(uint64_t);
}

static size_t allreduce_arena_bytes(const struct ptb_wctx *ctx)
{
	/* the state, then NBUF buffers, each rounded up to a cache line */
	size_t buf = (size_t)((elems_of(ctx->opt) * sizeof(uint64_t) + 63) / 64 * 64);
	return sizeof(struct allreduce_state) + 64 + NBUF * (buf + 64);
}

static const char *allreduce_refuse(const struct ptb_fit *fit)
{
	if (fit->opt[OPT_PAYLOAD] % sizeof(uint64_t))
		return "--payload is a whole number of 8-byte elements (a multiple of 8)";
	return NULL;
}

static void allreduce_needs(const struct ptb_fit *fit, uint64_t *mem_bytes, uint64_t *disk_bytes)
{
	/* the arena's sums; an mpi rank holds a send and a receive buffer */
	*mem_bytes = NBUF * fit->opt[OPT_PAYLOAD] + 2ull * fit->workers * fit->opt[OPT_PAYLOAD];
	*disk_bytes = 0;
}

static int allreduce_setup(struct ptb_wctx *ctx, struct ptb_err *err)
{
	struct allreduce_state *st = ptb_arena_alloc(ctx->arena, sizeof *st);
	pthread_barrierattr_t ba;
	int rc;
	if (!st)
		return ptb_errf(err, "allreduce: shared arena too small");
	ctx->state = st;
	st->elems = elems_of(ctx->opt);
	for (int b = 0; b < NBUF; b++) {
		st->sum[b] = ptb_arena_alloc(ctx->arena, (size_t)st->elems * sizeof(uint64_t));
		if (!st->sum[b])
			return ptb_errf(err, "allreduce: shared arena too small");
	}
	if ((rc = pthread_barrierattr_init(&ba)))
		return errno = rc, ptb_errno(err, "allreduce: pthread_barrierattr_init");
	rc = pthread_barrierattr_setpshared(&ba, PTHREAD_PROCESS_SHARED);
	if (!rc)
		rc = pthread_barrier_init(&st->barrier, &ba, ctx->tasks);
	pthread_barrierattr_destroy(&ba);
	if (rc)
		return errno = rc, ptb_errno(err, "allreduce: pthread_barrier_init");
	st->barrier_made = true;
	return 0;
}

/* The slice [lo, hi) of n elements that worker w of W zeroes. */
static void slice_of(uint64_t n, unsigned w, unsigned W, uint64_t *lo, uint64_t *hi)
{
	*lo = n * w / W;
	*hi = n * (w + 1) / W;
}

static int allreduce_task(void *arg, unsigned task, unsigned ntasks)
{
	struct ptb_wctx *ctx = arg;
	struct allreduce_state *st = ctx->state;
	uint64_t steps = ctx->opt[OPT_STEPS], lo, hi, ok = 0;
	slice_of(st->elems, task, ntasks, &lo, &hi);
	for (uint64_t r = 0; r < ctx->opt[OPT_EXCHANGES]; r++) {
		uint64_t counted = ptb_count_steps(steps);
		_Atomic uint64_t *sum = st->sum[r % NBUF], *next = st->sum[(r + 2) % NBUF];
		for (uint64_t k = 0; k < st->elems; k++)
			atomic_fetch_add_explicit(&sum[k], ar_contribution(counted, task, r, k),
						  memory_order_relaxed);
		pthread_barrier_wait(&st->barrier);
		ok += ar_check((const uint64_t *)sum, st->elems, steps, ntasks, r);
		for (uint64_t k = lo; k < hi; k++)
			atomic_store_explicit(&next[k], 0, memory_order_relaxed);
	}
	atomic_fetch_add(&st->rounds_ok, ok);
	return 0;
}

static int allreduce_verify(struct ptb_wctx *ctx, struct ptb_outcome *out, struct ptb_err *err)
{
	(void)err;
	struct allreduce_state *st = ctx->state;
	uint64_t want = (uint64_t)ctx->tasks * ctx->opt[OPT_EXCHANGES];
	out->ops = ctx->opt[OPT_EXCHANGES];
	out->result = (int64_t)atomic_load(&st->rounds_ok);
	out->ok = (uint64_t)out->result == want;
	snprintf(out->notes, sizeof out->notes, "payload_b=%llu;steps_per_exchange=%llu",
		 (unsigned long long)ctx->opt[OPT_PAYLOAD], (unsigned long long)ctx->opt[OPT_STEPS]);
	return 0;
}

static void allreduce_teardown(struct ptb_wctx *ctx)
{
	struct allreduce_state *st = ctx->state;
	if (st && st->barrier_made)
		pthread_barrier_destroy(&st->barrier);
}

static const struct ptb_opt allreduce_opts[] = {
	[OPT_STEPS] = { "steps", "1e6", "loop steps each worker computes between two exchanges",
			PTB_OPT_NUM, PTB_UNIT_COUNT, 0, UINT64_C(1) << 40, NULL },
	[OPT_EXCHANGES] = { "exchanges", "100", "compute + all-reduce rounds each worker does",
			    PTB_OPT_NUM, PTB_UNIT_COUNT, 1, UINT64_C(1) << 32, NULL },
	[OPT_PAYLOAD] = { "payload", "8", "bytes reduced per exchange (a multiple of 8: uint64 sums)",
			  PTB_OPT_NUM, PTB_UNIT_BYTES, 8, MAX_PAYLOAD, NULL },
};

const struct ptb_workload ptb_w_allreduce = {
	.name = "allreduce",
	.desc = "compute --steps, then all-reduce --payload bytes, --exchanges times; every sum checked",
	.ops_unit = "exchange",
	.better = PTB_LOWER_IS_BETTER,
	.claims = "C10",
	.mpi = PTB_MPI_IMPL | PTB_PYMPI_IMPL,
	.opts = allreduce_opts,
	.nopts = 3,
	.needs = PTB_NEEDS_GANG,
	.refuse = allreduce_refuse,
	.needs_bytes = allreduce_needs,
	.arena_bytes = allreduce_arena_bytes,
	.setup = allreduce_setup,
	.task = allreduce_task,
	.verify = allreduce_verify,
	.teardown = allreduce_teardown,
};
