/* model.h - the interface of an execution model.
 *
 * A model runs `tasks` calls of one task function on `workers` workers:
 * threads, forked children, or a pool of either.  `start` happens before
 * the clock (a pool's workers are created there), `run` is the timed
 * part, `stop` tears down and must reap every process and thread it made,
 * also after a failed `run`.  A model knows nothing of the workload. */
#ifndef PTB_MODEL_H
#define PTB_MODEL_H

#include <stdbool.h>
#include "arena.h"
#include "err.h"
#include "workload.h"

struct ptb_job {
	ptb_task_fn fn;
	void *arg;
	unsigned workers;
	unsigned tasks;
	bool async_submit;	/* pools: apply_async with callback, else apply */
	struct ptb_arena *arena;	/* shared memory for the model's own state */
};

struct ptb_model {
	const char *name;
	const char *desc;
	bool pooled;		/* uses --tasks and --submit */
	/* Bytes of the shared arena the model needs for its own state. */
	size_t (*arena_bytes)(const struct ptb_job *job);
	int (*start)(const struct ptb_job *job, void **state, struct ptb_err *err);
	int (*run)(void *state, const struct ptb_job *job, struct ptb_err *err);
	void (*stop)(void *state);
};

/* The registry of models, in the order `-m all` runs them. */
extern const struct ptb_model *const ptb_models[];
extern const unsigned ptb_nmodels;
const struct ptb_model *ptb_model_find(const char *name);

/* Helpers shared by the models. */
/* Run every task t with t % workers == worker; first failure wins. */
int ptb_run_share(const struct ptb_job *job, unsigned worker);
/* Describe a wait status ("exit 3", "killed by SIGSEGV") into buf. */
const char *ptb_describe_status(int status, char *buf, size_t len);

#endif
