/* plugins.c - the test plugins of tests/plugin/test_plugin.sh and
 * scripts/torture.py, one source compiled into several shared objects
 * (never committed as binaries):
 *
 *   cc -shared -fPIC -I include tests/plugin/plugins.c -o count.so
 *       `count`: task i adds --steps ones into its own slot of the arena
 *       (--mode add) or xors them (--mode xor); verify checks every slot:
 *       result = the sum of the slots, tasks x steps (add) or
 *       tasks x (steps % 2) (xor).  Independent (the mpi model runs it).
 *   -DTEST_CRASH   the last task writes to address 0 (SIGSEGV) half way
 *   -DTEST_HANG    every task sleeps forever (ended by --timeout)
 *   -DTEST_ABI=N   declares ABI version N
 *   -DTEST_SYMBOL=NAME  exports the plugin as NAME instead of ptb_plugin_v1
 *                  (ptb_plugin_v2: a newer ABI; another name: no plugin symbol)
 *   -DTEST_OPT=\"workers\"  its first option's name (a clash with ptbench's or a model's)
 *   -DTEST_NAME=\"other\"   its name (default "count")
 *   -DTEST_DEPENDENT  says its tasks are not independent (no mpi) */
#include <signal.h>
#include <unistd.h>
#include <ptbench/plugin.h>

#ifndef TEST_ABI
#define TEST_ABI PTB_PLUGIN_ABI_VERSION
#endif
#ifndef TEST_SYMBOL
#define TEST_SYMBOL ptb_plugin_v1
#endif
#ifndef TEST_OPT
#define TEST_OPT "steps"
#endif
#ifndef TEST_NAME
#define TEST_NAME "count"
#endif

enum { OPT_STEPS, OPT_MODE };
enum { MODE_ADD, MODE_XOR };
#define SLOT_WORDS 8	/* one 64-byte line per task */

static size_t count_arena_bytes(const struct ptb_plugin_ctx *ctx)
{
	return (size_t)ctx->tasks * SLOT_WORDS * sizeof(uint64_t);
}

static int count_task(struct ptb_plugin_ctx *ctx, unsigned index)
{
	volatile uint64_t *slot = (uint64_t *)ctx->arena + (size_t)index * SLOT_WORDS;
	for (uint64_t s = 0; s < ctx->opt[OPT_STEPS]; s++) {
#ifdef TEST_CRASH
		if (index == ctx->tasks - 1 && s == ctx->opt[OPT_STEPS] / 2)
			*(volatile int *)(uintptr_t)slot[1] = 1;	/* slot[1] is 0: SIGSEGV */
#endif
		*slot = ctx->opt[OPT_MODE] == MODE_ADD ? *slot + 1 : *slot ^ 1;
	}
#ifdef TEST_HANG
	for (;;)
		pause();
#endif
	return 0;
}

static int count_verify(struct ptb_plugin_ctx *ctx, struct ptb_plugin_outcome *out)
{
	const uint64_t *slots = ctx->arena;
	uint64_t steps = ctx->opt[OPT_STEPS], want = ctx->opt[OPT_MODE] == MODE_ADD ? steps : steps % 2;
	unsigned mine = 0;
	out->ok = 1;
	for (unsigned t = ctx->rank; t < ctx->tasks; t += ctx->ranks) {
		out->result += (int64_t)slots[(size_t)t * SLOT_WORDS];
		out->ok &= slots[(size_t)t * SLOT_WORDS] == want;
		mine++;
	}
	out->ops = (uint64_t)mine * steps;
	return 0;
}

static const struct ptb_plugin_opt count_opts[] = {
	[OPT_STEPS] = { TEST_OPT, "1000", "steps each task counts", PTB_PLUGIN_OPT_NUM,
			PTB_PLUGIN_UNIT_COUNT, 0, UINT64_C(1) << 40, NULL },
	[OPT_MODE] = { "mode", "add", "add ones, or xor them", PTB_PLUGIN_OPT_CHOICE, 0, 0, 0, "add|xor" },
};

const struct ptb_plugin_v1 TEST_SYMBOL = {
	.abi_version = TEST_ABI,
	.name = TEST_NAME,
	.description = "a test plugin: every task counts --steps",
	.ops_unit = "step",
	.opts = count_opts,
	.nopts = 2,
#ifndef TEST_DEPENDENT
	.independent = 1,
#endif
	.arena_bytes = count_arena_bytes,
	.task = count_task,
	.verify = count_verify,
};
