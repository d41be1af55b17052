/* registry_list.h - the registered workloads, one line each, in the order
 * `ptbench list` shows them and `-m all` runs them.  A workload NAME is
 * bench/w_NAME.c defining `const struct ptb_workload ptb_w_NAME` and the
 * line PTB_WORKLOAD(NAME) here (doc/workloads.md).  No include guard:
 * bench/registry.c includes it twice, with PTB_WORKLOAD defined each time. */
PTB_WORKLOAD(cpu)
PTB_WORKLOAD(copy)
PTB_WORKLOAD(counter)
PTB_WORKLOAD(create)
PTB_WORKLOAD(switch)
PTB_WORKLOAD(footprint)
PTB_WORKLOAD(crash)
PTB_WORKLOAD(pool)
PTB_WORKLOAD(zombie)
PTB_WORKLOAD(daemon)
PTB_WORKLOAD(share)
PTB_WORKLOAD(allreduce)
