/* registry.h - the table of workloads (bench/registry.c). */
#ifndef PTB_REGISTRY_H
#define PTB_REGISTRY_H

#include "workload.h"

extern const struct ptb_workload *const ptb_workloads[];
extern const unsigned ptb_nworkloads;
const struct ptb_workload *ptb_workload_find(const char *name);
/* A built-in workload by name, or a user's: "plugin:PATH.so" (lib/plugin.c)
 * or "py:MODULE:FUNCTION" (lib/pyfunc.c).  NULL with err set when a user's
 * cannot be loaded; NULL with err->msg empty when name is no workload. */
const struct ptb_workload *ptb_workload_resolve(const char *name, struct ptb_err *err);

#endif
