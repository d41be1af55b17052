/* registry.c - the one table of workloads.  Adding a workload is one file
 * in bench/ and one line here. */
#include <string.h>
#include "registry.h"

extern const struct ptb_workload ptb_w_cpu, ptb_w_copy, ptb_w_counter;
extern const struct ptb_workload ptb_w_create;
extern const struct ptb_workload ptb_w_switch;
extern const struct ptb_workload ptb_w_footprint;
extern const struct ptb_workload ptb_w_crash;
extern const struct ptb_workload ptb_w_pool;
extern const struct ptb_workload ptb_w_zombie;
extern const struct ptb_workload ptb_w_daemon;
extern const struct ptb_workload ptb_w_share;
extern const struct ptb_workload ptb_w_allreduce;

const struct ptb_workload *const ptb_workloads[] = {
	&ptb_w_cpu,
	&ptb_w_copy,
	&ptb_w_counter,
	&ptb_w_create,
	&ptb_w_switch,
	&ptb_w_footprint,
	&ptb_w_crash,
	&ptb_w_pool,
	&ptb_w_zombie,
	&ptb_w_daemon,
	&ptb_w_share,
	&ptb_w_allreduce,
};
const unsigned ptb_nworkloads = sizeof ptb_workloads / sizeof ptb_workloads[0];

const struct ptb_workload *ptb_workload_find(const char *name)
{
	for (unsigned i = 0; i < ptb_nworkloads; i++)
		if (strcmp(ptb_workloads[i]->name, name) == 0)
			return ptb_workloads[i];
	return NULL;
}
