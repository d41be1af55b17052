/* model.h - the interface of an execution model.
 *
 * A model runs `tasks` calls of one task function on `workers` workers:
 * threads, forked children, or a pool of either.  `start` happens before
 * the clock (a pool's workers are created there), `run` is the timed
 * part, `stop` tears down and must reap every process and thread it made,
 * also after a failed `run`.  A model knows nothing of the workload,
 * except whether it can run it at all, which it reads from the workload's
 * registry entry, never from its name: `supports` (vfork and spawn can
 * only start a program or _exit, so they run only workloads that need
 * nothing but their create_empty primitive; the Python models run the
 * workloads whose entry says they have a Python twin), and
 * ptb_fit_refusal() below. */
#ifndef PTB_MODEL_H
#define PTB_MODEL_H

#include <stdbool.h>
#include <sys/types.h>
#include "arena.h"
#include "err.h"
#include "workload.h"

struct ptb_rep_spec;	/* runner.h */
struct ptb_sample;	/* sample.h */

struct ptb_job {
	ptb_task_fn fn;
	void *arg;
	unsigned workers;
	unsigned tasks;
	bool async_submit;	/* pools: apply_async with callback, else apply */
	struct ptb_arena *arena;	/* shared memory for the model's own state */
};

/* A program to run as an empty worker (spawn, and fork/vfork with exec),
 * resolved before the clock so the timed loop only starts it. */
struct ptb_exec {
	char path[4096];
	char *argv[3];		/* { path, "empty", NULL } */
};
/* Find the worker binary: $PTBENCH_WORKER, else ptbench-worker beside
 * /proc/self/exe; -1 with err naming the path when not executable. */
int ptb_exec_find_worker(struct ptb_exec *ex, struct ptb_err *err);

/* Kinds of empty worker a model's create_empty can make (create_kinds). */
#define PTB_CREATE_EXIT 1u	/* the new worker ends at once (_exit, return) */
#define PTB_CREATE_EXEC 2u	/* the new worker execs a program (struct ptb_exec) */

struct ptb_model {
	const char *name;
	const char *desc;
	bool pooled;		/* uses --tasks and --submit */
	bool shared_space;	/* workers are threads of one process: one address space */
	/* A process model's thread twin, by name: the model that runs the same
	 * way with threads (fork: thread, procpool: threadpool); NULL for the
	 * thread models and for process models without one (vfork, spawn,
	 * mpi).  The verdicts after a run divide the two (bench/verdict.c). */
	const char *counterpart;
	/* Optional: false when this model (m, the model itself) can never run
	 * wl, whatever its options; NULL: it runs any workload that does not
	 * need create_empty.  Asks nothing of the machine (ptbench list). */
	bool (*supports)(const struct ptb_model *m, const struct ptb_workload *wl);
	/* Optional: create one empty worker and wait for it to end (the unit
	 * the `create` workload times).  With ex NULL the worker ends at once,
	 * else it execs ex.  Callable from any task, in any worker.  Returns
	 * 0, or -1 with err filled. */
	int (*create_empty)(const struct ptb_exec *ex, struct ptb_err *err);
	unsigned create_kinds;	/* PTB_CREATE_* that create_empty can make */
	/* Bytes of the shared arena the model needs for its own state. */
	size_t (*arena_bytes)(const struct ptb_job *job);
	int (*start)(const struct ptb_job *job, void **state, struct ptb_err *err);
	int (*run)(void *state, const struct ptb_job *job, struct ptb_err *err);
	void (*stop)(void *state);
	/* Optional: NULL when the model can run wl in configuration fit, else
	 * a short reason why not; asked first by ptb_fit_refusal (the Python
	 * models: which workloads and option values they implement, and
	 * whether the interpreter is there). */
	const char *(*refuse)(const struct ptb_workload *wl, const struct ptb_fit *fit);
	/* Options of the model itself (`--NAME VALUE`, one value per run, not
	 * swept), parsed by the CLI as a workload's are, written into the
	 * row's params as NAME=VALUE when not at their default (so rows at the
	 * defaults group with every other model's), and handed to exec_runner
	 * in ptb_rep_spec.model_opt (in this order). */
	const struct ptb_opt *opts;
	unsigned nopts;
	/* Optional: NULL when the model's own option values (opts order) make
	 * sense together, else one line saying what is wrong and what is
	 * allowed (the CLI exits 2 with it before anything starts). */
	const char *(*check_opts)(const uint64_t *opt);
	/* Optional: an external runner (lib/external.h).  Called in the runner
	 * child instead of the in-process body: another program (the Python
	 * interpreter; later mpirun) does setup, the timed region and verify,
	 * and exec_runner fills *out from its report.  The driver's outer
	 * measurement, timeout and clean-up are the same as for every model;
	 * start/run/stop and create_empty are not used.  0, or -1 with err
	 * (the row's error). */
	int (*exec_runner)(const struct ptb_rep_spec *spec, struct ptb_sample *out,
			   struct ptb_err *err);
	/* Optional: called in the driver after every repetition of this
	 * model, once the runner's process group is killed and reaped, to
	 * remove what an external runner cannot when it is killed (the Python
	 * models' shared-memory segments). */
	void (*after_rep)(void);
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
/* Wait for an empty worker (create_empty); -1 with err unless it exited 0. */
int ptb_wait_empty(pid_t pid, struct ptb_err *err);
/* Run the job's tasks inside the runner: worker 0 on the calling thread,
 * the others on pthreads (the vfork and spawn models, model_vfork.c). */
int ptb_run_in_runner(const struct ptb_job *job, struct ptb_err *err);
/* NULL when model m can run workload wl in configuration fit (the
 * model's refuse, model support, create_empty unless it is an external
 * runner, gang scheduling in pools, the workload's own refuse), else a
 * short reason why not (models.c). */
const char *ptb_fit_refusal(const struct ptb_workload *wl, const struct ptb_fit *fit);
/* True when model m runs workload wl at the workload's default options
 * (its supports, create_empty, the workload's own refuse; not whether the
 * interpreter or mpirun is installed): the models `ptbench list --json`
 * names for a workload (models.c). */
bool ptb_model_runs(const struct ptb_model *m, const struct ptb_workload *wl);

#endif
