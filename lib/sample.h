/* sample.h - what one repetition measured: one CSV row's figures.
 *
 * Every counter is an int64_t where PTB_MISSING (-1) means "could not be
 * measured here"; the CSV writes it as an empty field, never as 0. */
#ifndef PTB_SAMPLE_H
#define PTB_SAMPLE_H

#include <stdbool.h>
#include <stdint.h>

#define PTB_MISSING INT64_C(-1)

struct ptb_sample {
	int64_t wall_ns;	/* timed region, CLOCK_MONOTONIC */
	int64_t user_ns, sys_ns;	/* runner + its threads + its reaped children */
	int64_t maxrss_kb;	/* largest resident set of the runner or a worker */
	int64_t pss_kb;		/* proportional set size (footprint workloads) */
	int64_t vol_cs, invol_cs;	/* context switches */
	int64_t minflt, majflt;	/* page faults */
	int64_t migrations;	/* CPU migrations (perf software counter) */
	int64_t outer_wall_ns;	/* whole runner life as the driver saw it */
	int64_t steal_ns;	/* the machine's steal time (all CPUs) during it */
	uint64_t ops;
	int64_t result;
	bool has_result;
	bool ok;
	char error[200];	/* empty when the run went as it should */
	char notes[256];	/* the workload's "key=value;..." beside result (outcome.notes) */
};

void ptb_sample_clear(struct ptb_sample *s);

#endif
