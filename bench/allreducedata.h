/* allreducedata.h - what each worker of the `allreduce` workload adds in
 * one exchange, and what the sum must be: one copy for the C workload
 * (bench/w_allreduce.c: threads, fork, procpool) and the MPI ranks
 * (bench/mpi/rank.c), so every model is checked against the same numbers.
 *
 * Worker w (0-based) in exchange r (0-based) contributes, for element k of
 * the payload (payload / 8 uint64 elements),
 *     c(w, r, k) = s + (w + 1) * (r + 1) + k
 * where s is the count its compute phase produced (ptb_count_steps(steps),
 * which must equal steps).  Summed over W workers:
 *     sum(r, k) = W * steps + (r + 1) * W * (W + 1) / 2 + W * k
 * exactly (uint64 arithmetic; no overflow for the sizes allowed). */
#ifndef PTB_ALLREDUCEDATA_H
#define PTB_ALLREDUCEDATA_H

#include <stdint.h>

static inline uint64_t ar_contribution(uint64_t counted, unsigned worker, uint64_t round,
				       uint64_t k)
{
	return counted + ((uint64_t)worker + 1) * (round + 1) + k;
}

static inline uint64_t ar_expected(uint64_t steps, unsigned workers, uint64_t round, uint64_t k)
{
	uint64_t w = workers;
	return w * steps + (round + 1) * w * (w + 1) / 2 + w * k;
}

/* 1 when every element of the reduced vector of exchange `round` is right. */
static inline int ar_check(const uint64_t *sum, uint64_t elems, uint64_t steps, unsigned workers,
			   uint64_t round)
{
	for (uint64_t k = 0; k < elems; k++)
		if (sum[k] != ar_expected(steps, workers, round, k))
			return 0;
	return 1;
}

#endif
