/* procfs.h - one reader of /proc/PID/stat for the workloads that check
 * processes from outside (zombie, daemon).  No malloc and no stdio, so a
 * forked worker may call it. */
#ifndef PTB_PROCFS_H
#define PTB_PROCFS_H

#include <sys/types.h>

struct ptb_proc_stat {
	char state;		/* R, S, D, Z, X, ... */
	pid_t ppid, pgrp;
	unsigned long long start_ticks;	/* start time since boot, clock ticks */
};

/* 0 with *out filled, or -1 when there is no such process (or /proc
 * cannot be read). */
int ptb_proc_stat_read(pid_t pid, struct ptb_proc_stat *out);

#endif
