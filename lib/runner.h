/* runner.h - one repetition in a fresh runner child, measured.
 *
 * The driver forks a runner per repetition, so no repetition inherits the
 * heap, page tables or warm state of another, and a crash (a thread's
 * SIGSEGV takes the whole runner) never reaches the driver.  The runner
 * sets up the workload, starts the model, measures the timed region from
 * inside (clock, rusage, perf) and hands the sample back through a shared
 * page; the driver waits with a timeout, records how the runner ended, and
 * kills and reaps its whole process group, so no worker outlives the
 * repetition.  A model with an exec_runner (the Python models) runs the
 * repetition in another program started from the runner instead; the
 * driver's side is the same. */
#ifndef PTB_RUNNER_H
#define PTB_RUNNER_H

#include "err.h"
#include "model.h"
#include "sample.h"
#include "workload.h"

struct ptb_rep_spec {
	const struct ptb_workload *wl;
	const struct ptb_model *model;
	struct ptb_wctx ctx;	/* opt, workers, tasks, tmpdir; the rest is the runner's */
	bool async_submit;
	unsigned timeout_s;
	/* The model's own option values (model->opts order), NULL: defaults. */
	const uint64_t *model_opt;
};

/* Returns 0 with *out filled (a failed repetition is a sample with ok=0
 * and error set), 1 when interrupted by a signal (nothing to record), or
 * -1 when the runner could not be started. */
int ptb_run_rep(const struct ptb_rep_spec *spec, struct ptb_sample *out, struct ptb_err *err);

/* The timed region of one repetition done in this process (the runner's
 * body, and the google-benchmark shim's iteration, bench/gbench/): start
 * the model before the clock, snapshot (clock, rusage, the perf counter
 * perf_fd, -1 for none), run, snapshot, stop (pool workers reaped there
 * are counted in the children's rusage).  *ran says whether run was
 * called; when it was, out->wall_ns and the rusage and migration deltas
 * are set (also after a failed run).  0, or the failure of start or run
 * with err filled. */
int ptb_timed_run(const struct ptb_model *m, struct ptb_job *job, int perf_fd,
		  struct ptb_sample *out, bool *ran, struct ptb_err *err);

#endif
