/* measure.h - clocks, resource usage and perf software counters.
 *
 * A snapshot is taken just before and just after the timed region; the
 * sample is their difference.  getrusage(RUSAGE_SELF) covers every thread
 * of the runner, RUSAGE_CHILDREN every child it has reaped (fork workers
 * inside the region, pool workers when the pool stops).  The CPU-migration
 * count comes from perf_event_open(PERF_COUNT_SW_CPU_MIGRATIONS) with
 * inherit set, opened before any worker exists; where perf is not allowed
 * it is left missing. */
#ifndef PTB_MEASURE_H
#define PTB_MEASURE_H

#include <stdint.h>
#include <sys/resource.h>
#include "sample.h"

struct ptb_snapshot {
	int64_t mono_ns;
	struct rusage self, children;
	int64_t migrations;
};

int64_t ptb_now_ns(void);	/* CLOCK_MONOTONIC */
/* Open the migrations counter for this process and its future children;
 * returns the fd, or -1 when unavailable. */
int ptb_perf_open_migrations(void);
int64_t ptb_perf_read(int fd);	/* PTB_MISSING when fd < 0 or read fails */

/* Just before the region: counters first, the clock last. */
void ptb_snapshot_begin(struct ptb_snapshot *s, int perf_fd);
/* Just after it: the clock first, then the counters. */
void ptb_snapshot_end(struct ptb_snapshot *s, int perf_fd);
/* Fill s's rusage and migration columns with end - start. */
void ptb_sample_delta(struct ptb_sample *s, const struct ptb_snapshot *start,
		      const struct ptb_snapshot *end);

#endif
