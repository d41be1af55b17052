/* ptbench/plugin.h - the ABI of a ptbench plugin: your own C workload,
 * run by `ptbench run -w plugin:PATH.so` in the thread, fork, threadpool
 * and procpool models (and mpi, when its tasks are independent), measured,
 * verified and contained like a built-in workload.
 *
 * A plugin is a shared object that defines one symbol:
 *
 *     #include <ptbench/plugin.h>
 *     const struct ptb_plugin_v1 ptb_plugin_v1 = {
 *         .abi_version = PTB_PLUGIN_ABI_VERSION,
 *         .name = "mywork", .task = my_task, .verify = my_verify, ...
 *     };
 *
 * built with nothing but this header:  cc -shared -fPIC -O2 -o mywork.so mywork.c
 * (keep the symbol visible: no -fvisibility=hidden on it).
 *
 * Life of one repetition, in a fresh runner process forked by ptbench:
 *     arena_bytes(ctx)  how much shared memory the tasks need (ctx->arena NULL)
 *     setup(ctx)        once, before the clock: fill ctx->arena, set ctx->state
 *     task(ctx, i)      once per task index i in 0..tasks-1, on the model's
 *                       workers: threads of one process, forked children,
 *                       or a pool of either: timed
 *     verify(ctx, out)  once, after the clock: ops, result, ok
 *     teardown(ctx)     once (optional)
 * Whatever tasks write must go in ctx->arena: it is MAP_SHARED memory, seen
 * by threads and forked children alike.  A task's writes to its own private
 * memory (globals, malloc) are lost when a forked worker exits, and verify
 * would not see them.  A task that crashes or hangs costs its row only: the
 * row says ok=0 with the signal or the timeout, and the run goes on.
 *
 * Rows: workload "plugin:NAME" (NAME below), the options in the params
 * column as NAME=VALUE, ns_per_op = the timed region / out->ops.
 *
 * This header is the whole interface: ptbench's internal structures may
 * change, this one changes only with PTB_PLUGIN_ABI_VERSION (and the
 * symbol's name, ptb_plugin_v2 and so on). */
#ifndef PTBENCH_PLUGIN_H
#define PTBENCH_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PTB_PLUGIN_ABI_VERSION 1
#define PTB_PLUGIN_MAX_OPTS 8	/* options a plugin may declare */

/* An option --NAME VALUE.  NAME: 1 to 31 of a-z, 0-9 and '-', starting
 * with a letter, and not one of ptbench's own options (--workers, ...) nor
 * a model's (--hosts, ...).  A list on the command line (--block 4k,1M)
 * sweeps it, as for a built-in workload. */
enum ptb_plugin_opt_kind {
	PTB_PLUGIN_OPT_NUM = 0,		/* a whole number in [min, max] */
	PTB_PLUGIN_OPT_CHOICE = 1,	/* one of choices: the value is its index */
};
enum ptb_plugin_unit {
	PTB_PLUGIN_UNIT_COUNT = 0,	/* suffixes k, M, G are 1e3, 1e6, 1e9 */
	PTB_PLUGIN_UNIT_BYTES = 1,	/* suffixes k, M, G are 2^10, 2^20, 2^30 */
};
struct ptb_plugin_opt {
	const char *name;
	const char *def;	/* the default, as typed: "1M", "fast" */
	const char *help;	/* one line saying what it sets (optional) */
	int kind;		/* enum ptb_plugin_opt_kind */
	int unit;		/* NUM: enum ptb_plugin_unit */
	uint64_t min, max;	/* NUM: the allowed range */
	const char *choices;	/* CHOICE: "a|b|c" */
};

/* What the plugin's functions see.  ptbench fills all but state. */
struct ptb_plugin_ctx {
	const uint64_t *opt;	/* option values, in the order of opts (a choice: its index) */
	unsigned workers;	/* -n */
	unsigned tasks;		/* how many task indexes this repetition has */
	/* mpi (independent plugins only): this process is rank `rank` of
	 * `ranks`, each with its own arena and its own setup; task(ctx, i) runs
	 * here for i % ranks == rank only, and verify must judge those only.
	 * Every other model: rank 0 of 1 (all tasks). */
	unsigned rank, ranks;
	void *arena;		/* arena_bytes of zeroed shared memory, 64-byte aligned; NULL if 0 */
	size_t arena_size;
	void *state;		/* yours: set it in setup, e.g. into the arena */
	/* A private directory of this run (removed after it), or NULL under mpi. */
	const char *tmpdir;
	/* setup and verify may write why they failed here ("" otherwise). */
	char error[200];
};

/* What verify reports. */
struct ptb_plugin_outcome {
	uint64_t ops;		/* units of work done (ops_unit): ns_per_op = time / ops */
	int64_t result;		/* the checkable output (a count, a checksum) */
	int ok;			/* non-zero when result is what the work must produce */
	char notes[128];	/* optional "key=value;key=value" for the CSV's notes */
};

/* needs: what the plugin needs of a model. */
#define PTB_PLUGIN_NEEDS_GANG 1u	/* all tasks must run at once (they wait for each
					 * other): pools only with --submit async and
					 * --tasks = workers */
#define PTB_PLUGIN_NEEDS_CHILDREN 2u	/* tasks start child processes of their own */

struct ptb_plugin_v1 {
	unsigned abi_version;	/* PTB_PLUGIN_ABI_VERSION: checked before anything else */
	const char *name;	/* 1 to 31 of a-z, 0-9, '_', '-': rows say plugin:NAME */
	const char *description;	/* one line (optional) */
	const char *ops_unit;	/* what one op is: "byte", "block" (optional: "task") */
	const struct ptb_plugin_opt *opts;	/* nopts options (PTB_PLUGIN_MAX_OPTS at most) */
	unsigned nopts;
	unsigned needs;		/* PTB_PLUGIN_NEEDS_* flags; 0: any model */
	/* Non-zero: a task uses only what setup made and its own index, and
	 * verify can judge any subset of the tasks (see rank, ranks): the
	 * mpi model then runs it, one setup per rank, results summed. */
	int independent;
	/* Bytes of shared arena for this ctx (opt, workers, tasks set; arena
	 * NULL); optional: none. */
	size_t (*arena_bytes)(const struct ptb_plugin_ctx *ctx);
	/* 0, or non-zero with ctx->error set (optional). */
	int (*setup)(struct ptb_plugin_ctx *ctx);
	/* Task index of 0..tasks-1: 0, or non-zero on failure (required). */
	int (*task)(struct ptb_plugin_ctx *ctx, unsigned index);
	/* Fill out from the arena: 0, or non-zero with ctx->error set when it
	 * could not judge at all (a wrong result is out->ok = 0) (required). */
	int (*verify)(struct ptb_plugin_ctx *ctx, struct ptb_plugin_outcome *out);
	void (*teardown)(struct ptb_plugin_ctx *ctx);	/* optional */
};

/* The one symbol a plugin defines. */
extern const struct ptb_plugin_v1 ptb_plugin_v1;

#ifdef __cplusplus
}
#endif

#endif
