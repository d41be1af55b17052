/* estimate.h - a rough a-priori duration of one repetition, for
 * `ptbench run --dry-run` and the progress line's ETA before a
 * configuration has run (the ETA then uses the configuration's own timed
 * repetitions, warm-up first: bench/driver.c).
 *
 * The figures are the committed results' (a 2-core VM): ns per step, per
 * byte copied, per creation, per round trip, ... for each workload, the
 * runner's start (~3 ms in C, ~0.45 s for a Python interpreter, ~0.7 s
 * for mpirun), divided by the CPUs the workers can use.  A workload the
 * table does not know counts 0.1 s a repetition and is flagged. */
#ifndef PTB_ESTIMATE_H
#define PTB_ESTIMATE_H

#include <stdbool.h>
#include <stddef.h>
#include "model.h"
#include "workload.h"

/* Seconds one repetition of fit (wl at fit->opt, fit->workers, fit->tasks,
 * in fit->model) takes, at most timeout_s; *known false when wl is not in
 * the table (a guess). */
double ptb_estimate_rep_s(const struct ptb_workload *wl, const struct ptb_fit *fit,
			  unsigned timeout_s, bool *known);

/* One combination of a run (a workload's parameter set at a worker count,
 * in one model) as the ETA sees it: its a-priori estimate per repetition,
 * the repetitions it will run and has run, and what those took. */
struct ptb_eta_cell {
	int w, v;		/* the workload's and the model's index */
	unsigned long k;	/* the parameter set */
	unsigned workers;
	unsigned runs, done, measured;	/* measured: of done, past the warm-up */
	double est_s, sum_s, measured_s;
};

/* Seconds the repetitions not yet run of cells[first..n) will take: a
 * combination that has run some at their mean (its measured ones once
 * there are, else its warm-up: a first repetition is often the slowest);
 * one not yet run at its estimate times what the same workload and model
 * took against theirs so far (else every combination run so far: the
 * machine's speed against the table's).  Pure: no clock, no state. */
double ptb_eta_s(const struct ptb_eta_cell *cells, size_t n, size_t first);

#endif
