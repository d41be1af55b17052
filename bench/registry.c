/* registry.c - the one table of workloads.  Adding a workload is one file
 * in bench/ and one line in bench/registry_list.h, which is read twice
 * here: once for the declarations, once for the table. */
#include <string.h>
#include "registry.h"
#include "plugin.h"
#include "pyfunc.h"

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

const struct ptb_workload *ptb_workload_resolve(const char *name, struct ptb_err *err)
{
	err->msg[0] = '\0';
	if (strncmp(name, "plugin:", 7) == 0)
		return ptb_plugin_workload(name + 7, err);
	if (strncmp(name, "py:", 3) == 0)
		return ptb_pyfunc_workload(name + 3, err);
	return ptb_workload_find(name);
}
