/* stats.h - order statistics over the repetitions of one configuration. */
#ifndef PTB_STATS_H
#define PTB_STATS_H

#include <stddef.h>

/* Quantile q in [0,1] by linear interpolation (type 7, as R and numpy);
 * sorts v in place.  NaN for n == 0. */
double ptb_quantile(double *v, size_t n, double q);
double ptb_median(double *v, size_t n);

#endif
