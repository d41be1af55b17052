/* resources.h - refuse, before anything starts, a plan that cannot fit in
 * this machine's memory or in the free space of the temporary directory. */
#ifndef PTB_RESOURCES_H
#define PTB_RESOURCES_H

#include "cli.h"

/* 0 when every configuration fits; 2 after printing one line naming the
 * workload, what it needs and what is available. */
int ptb_check_resources(const struct ptb_plan *p);

#endif
