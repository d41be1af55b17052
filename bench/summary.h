/* summary.h - the human summary printed on stdout at the end of a run:
 * per workload, parameters and worker count, the median ns/op of each
 * model, its interquartile range, and its ratio to `thread`. */
#ifndef PTB_SUMMARY_H
#define PTB_SUMMARY_H

#include <stdio.h>

struct ptb_summary;

struct ptb_summary *ptb_summary_new(void);
/* Record one repetition's ns/op (negative: failed, counted as such). */
int ptb_summary_add(struct ptb_summary *s, const char *group, const char *variant,
		    const char *unit, double ns_per_op);
void ptb_summary_print(struct ptb_summary *s, FILE *out);
void ptb_summary_free(struct ptb_summary *s);

#endif
