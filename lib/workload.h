/* workload.h - the interface every workload implements.
 *
 * A workload is plain C that knows nothing of processes or threads.  Its
 * `task` function is run once per task index by whichever model is chosen;
 * whatever its tasks share it allocates in the shared arena during
 * `setup`, so the same code is correct in threads and in forked children.
 *
 * Life of one repetition (see runner.c):
 *   driver:  prepare()            once per parameter set, not timed
 *   runner:  setup() -> [model runs task() for 0..tasks-1] -> verify()
 *            -> teardown()        only the bracketed part is timed
 *   driver:  unprepare()          after the last repetition
 *
 * To add a workload: write bench/w_NAME.c defining one
 * `const struct ptb_workload ptb_w_NAME`, and add the line
 * PTB_WORKLOAD(NAME) to bench/registry_list.h (doc/workloads.md). */
#ifndef PTB_WORKLOAD_H
#define PTB_WORKLOAD_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include "arena.h"
#include "err.h"
#include "parse.h"

#define PTB_MAX_OPTS 8

struct ptb_model;	/* model.h */

/* What a workload needs of the model that runs it: flags for `needs`. */
/* Its tasks call the model's create_empty primitive (ctx->model): it runs
 * only in models that have one, and it is the only kind of workload the
 * vfork and spawn models can run. */
#define PTB_NEEDS_CREATE 1u
/* Every task must be running at the same time (they wait for each other):
 * a pool qualifies only with async submit and tasks == workers. */
#define PTB_NEEDS_GANG 2u
/* Its tasks start child processes of their own (zombie, daemon; create's
 * workers are PTB_NEEDS_CREATE): a model whose workers may not have
 * children (a multiprocessing.Pool's daemonic workers) cannot run it. */
#define PTB_NEEDS_CHILDREN 4u

/* What the workload's Python twin implements, for the Python models
 * (lib/model_py.c): flags for `py`.  bench/py/wl_NAME.py is the twin; the
 * Python runner finds it by its file name (bench/py/ptpy_workloads.py). */
#define PTB_PY_IMPL 1u		/* wl_NAME.py exists: pythread, pyproc, pypool, pythreadpool run it */
#define PTB_PY_EXECUTORS 2u	/* the executor models (pyexthread, pyexproc) run it too */

/* Which MPI ranks implement the workload, for the mpi models
 * (lib/model_mpi.c): flags for `mpi`. */
#define PTB_MPI_IMPL 1u		/* bench/mpi/rank.c runs it as ranks: the mpi model */
#define PTB_PYMPI_IMPL 2u	/* bench/py/ptpy_mpi.py runs it as mpi4py ranks: the pympi model */

/* Which way the headline measure is better (`better`). */
enum ptb_better { PTB_LOWER_IS_BETTER, PTB_HIGHER_IS_BETTER };

/* One option of a workload: `--name VALUE`.  Numeric options take a
 * number (with unit), choice options one of a '|'-separated list and are
 * stored as the index of the choice.  Text options (a model's own only:
 * a file name, arguments for another program) take the value as typed,
 * never a list, stored as a pointer to it (ptb_opt_text; the command line
 * outlives the run), 0 when not given. */
struct ptb_opt {
	const char *name;
	const char *def;	/* default, as typed on the command line */
	const char *help;
	enum { PTB_OPT_NUM, PTB_OPT_CHOICE, PTB_OPT_TEXT } kind;
	enum ptb_unit unit;	/* PTB_OPT_NUM only */
	uint64_t min, max;	/* PTB_OPT_NUM only */
	const char *choices;	/* PTB_OPT_CHOICE only: "a|b|c" */
};

/* A text option's value ("" when not given). */
static inline const char *ptb_opt_text(uint64_t v)
{
	return v ? (const char *)(uintptr_t)v : "";
}

/* What a workload sees of one repetition. */
struct ptb_wctx {
	uint64_t opt[PTB_MAX_OPTS];	/* values, in the order of the workload's opts */
	unsigned workers;
	unsigned tasks;
	const char *tmpdir;	/* private directory owned by the driver */
	struct ptb_arena *arena;
	void *state;		/* the workload's own, usually in the arena */
	const struct ptb_model *model;	/* the model running it (set by the runner) */
	/* NULL, or the model's message when its run failed and the workload
	 * expects_death (verify runs anyway and judges what survived). */
	const char *run_error;
};

/* One configuration the driver may run, as a workload's `refuse` sees it. */
struct ptb_fit {
	const struct ptb_model *model;
	const uint64_t *opt;	/* the workload's option values */
	unsigned workers, tasks;
	bool async_submit;
	const uint64_t *model_opt;	/* the model's own option values, or NULL */
};

/* What verify() reports. */
struct ptb_outcome {
	uint64_t ops;		/* units of work done: ns_per_op = wall_ns / ops */
	int64_t result;		/* the checkable output */
	bool ok;		/* result is what the workload must produce */
	int64_t pss_kb;		/* the runner starts it at PTB_MISSING (-1): set it to fill pss_kb */
	/* Optional figures and facts beside result, "key=value;key=value"
	 * (the CSV's notes column): a latency, the signal a worker died of. */
	char notes[256];
};

/* Runs task `task` of `ntasks`; returns 0, or non-zero on failure. */
typedef int (*ptb_task_fn)(void *arg, unsigned task, unsigned ntasks);

struct ptb_workload {
	const char *name;
	const char *desc;
	const char *ops_unit;	/* what one op is: "step", "byte", "decrement" */
	/* The headline measure: the CSV column a comparison reads first
	 * (NULL: "ns_per_op"; else "result" or "pss_kb"), and which way it is
	 * better (0: lower). */
	const char *headline;
	enum ptb_better better;
	/* The claims (C1..C14 of doc/table.md) whose measures run this
	 * workload, comma-separated ("C5,C10,C14"); NULL: none. */
	const char *claims;
	/* PTB_PY_* flags: what the Python twin implements; 0: C only. */
	unsigned py;
	/* Optional: NULL when the Python twin takes these option values in
	 * model fit->model under multiprocessing start method `start` ("" for
	 * the thread models), else why not (the option values only C
	 * implements, what a start method cannot do).  Asked by the Python
	 * models' refuse before anything starts. */
	const char *(*py_refuse)(const struct ptb_fit *fit, const char *start);
	/* PTB_MPI_* flags: which MPI ranks implement it; 0: no mpi model. */
	unsigned mpi;
	/* Optional: NULL when MPI ranks take these option values (wl is the
	 * workload itself, opt its option values), else why not (what ranks
	 * that share no memory cannot do).  Asked by the mpi models' refuse
	 * before anything starts. */
	const char *(*mpi_refuse)(const struct ptb_workload *wl, const uint64_t *opt);
	/* Optional: how the MPI ranks' program finds the workload when its
	 * name does not say (a plugin's absolute path, "plugin:/abs/x.so",
	 * lib/plugin.c); NULL: by its name. */
	const char *mpi_ref;
	const struct ptb_opt *opts;
	unsigned nopts;
	unsigned needs;		/* PTB_NEEDS_* flags; 0: any model runs it */
	unsigned min_workers, max_workers;	/* 0: no limit; other -n values are skipped */
	/* Optional: NULL when the workload can run in this configuration, else
	 * a short reason why not (an explicitly named model is then refused
	 * with exit status 2; `-m all` skips it). */
	const char *(*refuse)(const struct ptb_fit *fit);
	/* Optional: the memory and the disk space (in the driver's temporary
	 * directory) one repetition of this configuration needs at most, so
	 * an impossible request is refused before anything starts.  fit->model
	 * is NULL here: answer for the hungriest model. */
	void (*needs_bytes)(const struct ptb_fit *fit, uint64_t *mem_bytes, uint64_t *disk_bytes);
	/* Bytes of shared arena the workload needs. */
	size_t (*arena_bytes)(const struct ptb_wctx *ctx);
	int (*prepare)(struct ptb_wctx *ctx, struct ptb_err *err);	/* optional */
	void (*unprepare)(struct ptb_wctx *ctx);			/* optional */
	int (*setup)(struct ptb_wctx *ctx, struct ptb_err *err);
	ptb_task_fn task;	/* called with arg = the struct ptb_wctx * */
	int (*verify)(struct ptb_wctx *ctx, struct ptb_outcome *out, struct ptb_err *err);
	void (*teardown)(struct ptb_wctx *ctx);				/* optional */
	/* For workloads whose experiment is a worker's death (crash).  A model
	 * reports a worker killed by a signal as a failed run; with
	 * expects_death the runner still calls verify (ctx->run_error holds
	 * the model's message), which judges what survived. */
	bool expects_death;
	/* For workloads that time creation or switching themselves (create,
	 * switch): an inherited perf counter adds work to every clone, exit
	 * and context switch (+10% on a create+join here), so the runner opens
	 * none and the migrations column stays empty. */
	bool no_perf_counter;
	/* Optional: the runner itself was killed by signal signo (a thread's
	 * fault takes the whole process, so verify never ran).  Called in the
	 * driver; return true with out filled to record the row as the
	 * workload's outcome (error left empty when out->ok), false to keep it
	 * a failed row. */
	bool (*runner_killed)(const struct ptb_fit *fit, int signo, struct ptb_outcome *out);
};

/* False when the workload skips n workers (its min_workers/max_workers). */
static inline bool ptb_workers_fit(const struct ptb_workload *wl, unsigned n)
{
	return !(wl->min_workers && n < wl->min_workers) &&
	       !(wl->max_workers && n > wl->max_workers);
}

#endif
