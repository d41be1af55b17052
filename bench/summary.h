/* summary.h - the human summary printed on stdout at the end of a run:
 * per workload, parameters and worker count, the median ns/op of each
 * model, its interquartile range, its ratio to `thread`, its speed-up
 * over 1 worker, and the median of the workload's result (lost updates,
 * bytes copied, ...).
 *
 * A speed-up above min(workers, cores) by more than the noise (the
 * larger relative IQR of the two groups, at least 5%) is beyond physics:
 * it is flagged "the machine's speed changed" instead of printed as a
 * figure. */
#ifndef PTB_SUMMARY_H
#define PTB_SUMMARY_H

#include <stdio.h>

struct ptb_summary;

struct ptb_summary *ptb_summary_new(void);
/* Record one repetition's ns/op (negative: failed, counted as such) and
 * its checkable result. */
int ptb_summary_add(struct ptb_summary *s, const char *family, unsigned workers,
		    const char *variant, double ns_per_op, double result);
void ptb_summary_print(struct ptb_summary *s, FILE *out);
void ptb_summary_free(struct ptb_summary *s);

#endif
