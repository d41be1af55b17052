/* w_pool.c - `pool`: T short tasks through a pool, submitted one at a
 * time or all at once (claim C8, seeds 000/001/003: "apply runs the pool
 * in series, apply_async in parallel").
 *
 * Each task works for --task-us microseconds: busy on a CPU (--work spin,
 * until a CLOCK_MONOTONIC deadline) or asleep (--work sleep, as a task
 * waiting for I/O), and stamps its start and end in its slot of the
 * shared arena.  Only the pool models run it (threadpool, procpool, with
 * --tasks T and --submit sync,async, which are driver options).
 *
 * ops = tasks, so ns_per_op is the inverse throughput; with --submit sync
 * it is also the latency of one task, submit to completion callback,
 * since apply() waits for each before the next.  The result is the number
 * of tasks that ran exactly once (must be T).  The notes give what the
 * stamps show: the most tasks seen running at once (1 for sync; up to the
 * workers for async), the median time a task ran (busy_ns), and the median
 * gap during which no task ran between two consecutive starts (gap_ns:
 * for sync, the pool's dispatch round trip). */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "measure.h"
#include "model.h"
#include "stats.h"
#include "workload.h"

enum { OPT_TASK_US, OPT_WORK };
enum { WORK_SPIN, WORK_SLEEP };

struct pool_slot {
	_Alignas(64) int64_t start_ns;
	int64_t end_ns;
	_Atomic uint32_t runs;
};

static size_t pool_arena_bytes(const struct ptb_wctx *ctx)
{
	return (size_t)ctx->tasks * sizeof(struct pool_slot);
}

static const char *pool_refuse(const struct ptb_fit *fit)
{
	return fit->model->pooled ? NULL : "it measures a pool's submission: use a pool model";
}

static int pool_setup(struct ptb_wctx *ctx, struct ptb_err *err)
{
	ctx->state = ptb_arena_alloc(ctx->arena, pool_arena_bytes(ctx));
	return ctx->state ? 0 : ptb_errf(err, "pool: shared arena too small");
}

static void sleep_until(int64_t deadline_ns)
{
	struct timespec ts = { (time_t)(deadline_ns / 1000000000), (long)(deadline_ns % 1000000000) };
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

static int pool_task(void *arg, unsigned task, unsigned ntasks)
{
	(void)ntasks;
	struct ptb_wctx *ctx = arg;
	struct pool_slot *slot = &((struct pool_slot *)ctx->state)[task];
	int64_t start_ns = ptb_now_ns(), deadline_ns = start_ns + (int64_t)ctx->opt[OPT_TASK_US] * 1000;
	if (ctx->opt[OPT_WORK] == WORK_SLEEP)
		sleep_until(deadline_ns);
	else
		while (ptb_now_ns() < deadline_ns)
			;
	slot->start_ns = start_ns;
	slot->end_ns = ptb_now_ns();
	atomic_fetch_add(&slot->runs, 1);
	return 0;
}

static int by_start(const void *a, const void *b)
{
	const struct pool_slot *x = *(const struct pool_slot *const *)a;
	const struct pool_slot *y = *(const struct pool_slot *const *)b;
	return (x->start_ns > y->start_ns) - (x->start_ns < y->start_ns);
}

/* From the stamps, in start order: most tasks running at once, median
 * busy time, median idle gap before each start. */
static void pool_figures(struct pool_slot **order, unsigned n, char *notes, size_t len)
{
	double *busy = malloc((n ? n : 1) * sizeof *busy), *gap = malloc((n ? n : 1) * sizeof *gap);
	int64_t *ends = malloc((n ? n : 1) * sizeof *ends);	/* ends of running tasks */
	unsigned most = 0, running = 0;
	int64_t latest_end = 0;
	if (!busy || !gap || !ends) {
		snprintf(notes, len, "figures=out of memory");
		goto out;
	}
	qsort(order, n, sizeof *order, by_start);
	for (unsigned i = 0; i < n; i++) {
		const struct pool_slot *s = order[i];
		unsigned kept = 0;
		for (unsigned k = 0; k < running; k++)	/* drop tasks ended by now */
			if (ends[k] > s->start_ns)
				ends[kept++] = ends[k];
		running = kept;
		ends[running++] = s->end_ns;
		most = running > most ? running : most;
		busy[i] = (double)(s->end_ns - s->start_ns);
		gap[i] = i && s->start_ns > latest_end ? (double)(s->start_ns - latest_end) : 0.0;
		latest_end = s->end_ns > latest_end ? s->end_ns : latest_end;
	}
	snprintf(notes, len, "concurrency_max=%u;busy_ns_median=%.0f;gap_ns_median=%.0f", most,
		 ptb_median(busy, n), n > 1 ? ptb_median(gap + 1, n - 1) : 0.0);
out:
	free(busy);
	free(gap);
	free(ends);
}

static int pool_verify(struct ptb_wctx *ctx, struct ptb_outcome *out, struct ptb_err *err)
{
	struct pool_slot *slot = ctx->state;
	struct pool_slot **order = malloc((ctx->tasks ? ctx->tasks : 1) * sizeof *order);
	unsigned once = 0;
	if (!order)
		return ptb_errf(err, "pool: out of memory for %u tasks", ctx->tasks);
	for (unsigned t = 0; t < ctx->tasks; t++) {
		once += atomic_load(&slot[t].runs) == 1;
		order[t] = &slot[t];
	}
	out->ops = ctx->tasks;
	out->result = once;
	out->ok = once == ctx->tasks;
	if (out->ok)
		pool_figures(order, ctx->tasks, out->notes, sizeof out->notes);
	free(order);
	return 0;
}

static const struct ptb_opt pool_opts[] = {
	[OPT_TASK_US] = { "task-us", "1000", "microseconds each task works", PTB_OPT_NUM,
			  PTB_UNIT_COUNT, 0, 60000000, NULL },
	[OPT_WORK] = { "work", "spin", "a task spins on a CPU or sleeps (waits, as for I/O)",
		       PTB_OPT_CHOICE, PTB_UNIT_COUNT, 0, 0, "spin|sleep" },
};

const struct ptb_workload ptb_w_pool = {
	.name = "pool",
	.desc = "T short tasks through a pool, --submit sync (apply) vs async (C8); result = tasks run once",
	.ops_unit = "task",
	.better = PTB_LOWER_IS_BETTER,
	.claims = "C8",
	.py = PTB_PY_IMPL | PTB_PY_EXECUTORS,
	.opts = pool_opts,
	.nopts = 2,
	.refuse = pool_refuse,
	.arena_bytes = pool_arena_bytes,
	.setup = pool_setup,
	.task = pool_task,
	.verify = pool_verify,
};
