/* w_cpu.c - `cpu`: the billion-step loop of seed 002.
 *
 * Each task counts --steps increments, as each Python process of the seed
 * runs `for _ in range(1000000000)`.  An empty asm statement makes the
 * counter opaque to the optimiser, so the loop cannot be folded into a
 * multiplication, yet it stays the plain register loop it stands for (one
 * add and one compare per step).  bench/refloop.c is the same loop with
 * no harness, for the fidelity check. */
#include "workload.h"
#include "cpuloop.h"

/* The shared state is one count per task, SLOT_STRIDE uint64_t apart
 * (64 bytes: a cache line, so tasks never share one). */
#define SLOT_STRIDE 8

enum { OPT_STEPS };

static size_t cpu_arena_bytes(const struct ptb_wctx *ctx)
{
	return (size_t)ctx->tasks * SLOT_STRIDE * sizeof(uint64_t);
}

static int cpu_setup(struct ptb_wctx *ctx, struct ptb_err *err)
{
	ctx->state = ptb_arena_alloc(ctx->arena, cpu_arena_bytes(ctx));
	return ctx->state ? 0 : ptb_errf(err, "cpu: shared arena too small");
}

static int cpu_task(void *arg, unsigned task, unsigned ntasks)
{
	(void)ntasks;
	struct ptb_wctx *ctx = arg;
	uint64_t *count = ctx->state;
	count[(size_t)task * SLOT_STRIDE] = ptb_count_steps(ctx->opt[OPT_STEPS]);
	return 0;
}

static int cpu_verify(struct ptb_wctx *ctx, struct ptb_outcome *out, struct ptb_err *err)
{
	(void)err;
	const uint64_t *count = ctx->state;
	uint64_t sum = 0;
	for (unsigned t = 0; t < ctx->tasks; t++)
		sum += count[(size_t)t * SLOT_STRIDE];
	out->ops = (uint64_t)ctx->tasks * ctx->opt[OPT_STEPS];
	out->result = (int64_t)sum;
	out->ok = sum == out->ops;
	return 0;
}

static const struct ptb_opt cpu_opts[] = {
	[OPT_STEPS] = { "steps", "1e9", "increments each task counts", PTB_OPT_NUM,
			PTB_UNIT_COUNT, 0, UINT64_C(1) << 50, NULL },
};

const struct ptb_workload ptb_w_cpu = {
	.name = "cpu",
	.desc = "the billion-step loop of seed 002: each task counts --steps increments",
	.ops_unit = "step",
	.better = PTB_LOWER_IS_BETTER,
	.claims = "C5,C10,C14",
	.py = PTB_PY_IMPL | PTB_PY_EXECUTORS,
	.mpi = PTB_MPI_IMPL | PTB_PYMPI_IMPL,
	.opts = cpu_opts,
	.nopts = 1,
	.arena_bytes = cpu_arena_bytes,
	.setup = cpu_setup,
	.task = cpu_task,
	.verify = cpu_verify,
};
