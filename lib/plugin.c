/* plugin.c - loads a user's workload from a shared object (plugin.h). */
#include "plugin.h"

const struct ptb_workload *ptb_plugin_workload(const char *path, struct ptb_err *err)
{
	ptb_errf(err, "plugin:%s: plugins are not implemented yet", path);
	return NULL;
}
