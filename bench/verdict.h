/* verdict.h - after a run's summary, processes ÷ threads: one line per
 * measure (workload, params, workers) that a process model and its thread
 * counterpart both ran (the model's `counterpart`, lib/model.h: fork and
 * thread, procpool and threadpool, pyproc and pythread, pypool and
 * pythreadpool, pyexproc and pyexthread; a pool's submit modes pair
 * alike), e.g.
 *
 *   for cpu (steps=1000000, 2 workers): time per step, fork ÷ thread 1.01× (95% CI 0.98–1.04×): no measurable difference
 *
 * The statistics are the table's, in Python: the pairs go to
 * `python -m ptb.runverdict` (ptb/runverdict.py: ptb.stats.compare and
 * ratio_ci), found as `ptbench compare` finds it (pystats.h).  Without a
 * Python that can import scipy, one note on stderr says how to get one;
 * the run is not failed by it.  --export-json carries the verdicts
 * ("verdicts", doc/export.md), --export-markdown their lines. */
#ifndef PTB_VERDICT_H
#define PTB_VERDICT_H

#include <stdio.h>
#include "summary.h"

struct ptb_verdicts;

/* Pair the cells of s and judge the pairs (no pair: no Python is asked).
 * Never NULL but when out of memory; a note on stderr when the pairs could
 * not be judged. */
struct ptb_verdicts *ptb_verdicts_judge(const struct ptb_summary *s);
/* The lines, after a blank line, on out (the summary's stream); nothing
 * when there are none. */
void ptb_verdicts_print(const struct ptb_verdicts *v, FILE *out);
/* The lines as a Markdown list under a heading; nothing when none. */
void ptb_verdicts_markdown(const struct ptb_verdicts *v, FILE *out);
/* The verdicts for --export-json: a JSON list ("[]": no pair), or "null"
 * when they were not judged (v NULL, no Python with scipy, a failure). */
const char *ptb_verdicts_json(const struct ptb_verdicts *v);
void ptb_verdicts_free(struct ptb_verdicts *v);

#endif
