/* resources.h - refuse, before anything starts, a run that cannot fit in
 * this machine's memory or in the free space of the temporary directory.
 * The caller says what each workload needs at most; this module knows
 * nothing of the command line. */
#ifndef PTB_RESOURCES_H
#define PTB_RESOURCES_H

#include <stdint.h>

/* The most one repetition of a workload needs over a run's parameter
 * sets and worker counts. */
struct ptb_need {
	const char *workload;
	uint64_t mem_bytes, disk_bytes;
};

/* 0 when every need fits in MemAvailable (less a tenth left to the
 * machine) and in the free space of tmpdir; 2 after printing one line
 * naming the workload, what it needs and what is available. */
int ptb_check_resources(const char *tmpdir, const struct ptb_need *needs, int nneeds);

#endif
