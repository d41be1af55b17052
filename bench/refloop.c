/* refloop.c - the minimal standalone loop the `cpu` workload stands for:
 * no harness, no fork, no arena; prints ns per step on stdout.  Used by
 * scripts/fidelity.sh to check that the harness adds nothing to the loop.
 * Usage: refloop STEPS */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "cpuloop.h"

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: refloop STEPS\n");
		return 2;
	}
	uint64_t steps = strtoull(argv[1], NULL, 10);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	uint64_t s = ptb_count_steps(steps);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double ns = (double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec);
	if (s != steps)
		return 1;
	printf("%.4f\n", steps ? ns / (double)steps : 0.0);
	return 0;
}
