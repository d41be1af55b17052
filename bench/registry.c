/* registry.c - the one table of workloads.  Adding a workload is one file
 * in bench/ and one line in bench/registry_list.h, which is read twice
 * here: once for the declarations, once for the table. */
#include <string.h>
#include "registry.h"

#define PTB_WORKLOAD(NAME) extern const struct ptb_workload ptb_w_##NAME;
#include "registry_list.h"
#undef PTB_WORKLOAD

const struct ptb_workload *const ptb_workloads[] = {
#define PTB_WORKLOAD(NAME) &ptb_w_##NAME,
#include "registry_list.h"
#undef PTB_WORKLOAD
};
const unsigned ptb_nworkloads = sizeof ptb_workloads / sizeof ptb_workloads[0];

const struct ptb_workload *ptb_workload_find(const char *name)
{
	for (unsigned i = 0; i < ptb_nworkloads; i++)
		if (strcmp(ptb_workloads[i]->name, name) == 0)
			return ptb_workloads[i];
	return NULL;
}
