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
#include "model.h"
#include "workload.h"

/* Seconds one repetition of fit (wl at fit->opt, fit->workers, fit->tasks,
 * in fit->model) takes, at most timeout_s; *known false when wl is not in
 * the table (a guess). */
double ptb_estimate_rep_s(const struct ptb_workload *wl, const struct ptb_fit *fit,
			  unsigned timeout_s, bool *known);

#endif
