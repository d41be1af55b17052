/* cpuloop.h - the counting loop shared by the `cpu` workload and the
 * standalone reference loop (bench/refloop.c), so both compile to the
 * same instructions with the same flags. */
#ifndef PTB_CPULOOP_H
#define PTB_CPULOOP_H

#include <stdint.h>

static inline uint64_t ptb_count_steps(uint64_t steps)
{
	uint64_t s = 0;
	for (uint64_t i = 0; i < steps; i++) {
		s += 1;
		__asm__ volatile("" : "+r"(s));	/* opaque: no folding */
	}
	return s;
}

#endif
