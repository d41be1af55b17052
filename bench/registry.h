/* registry.h - the table of workloads (bench/registry.c). */
#ifndef PTB_REGISTRY_H
#define PTB_REGISTRY_H

#include "workload.h"

extern const struct ptb_workload *const ptb_workloads[];
extern const unsigned ptb_nworkloads;
const struct ptb_workload *ptb_workload_find(const char *name);

#endif
