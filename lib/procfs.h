/* procfs.h - one reader of /proc/PID/stat for the workloads that check
 * processes from outside (zombie, daemon), and of the machine's steal
 * time in /proc/stat for the driver.  No malloc and no stdio, so a
 * forked worker may call it. */
#ifndef PTB_PROCFS_H
#define PTB_PROCFS_H

#include <stdint.h>
#include <sys/types.h>

struct ptb_proc_stat {
	char state;		/* R, S, D, Z, X, ... */
	pid_t ppid, pgrp;
	unsigned long long start_ticks;	/* start time since boot, clock ticks */
};

/* 0 with *out filled, or -1 when there is no such process (or /proc
 * cannot be read). */
int ptb_proc_stat_read(pid_t pid, struct ptb_proc_stat *out);

/* The machine's steal time so far, all CPUs summed, in ns: the time the
 * hypervisor ran something else while a virtual CPU of ours wanted to run
 * (/proc/stat, line "cpu", 8th value, in USER_HZ ticks: a resolution of
 * 10 ms at USER_HZ 100).  -1 (PTB_MISSING) when it cannot be read. */
int64_t ptb_steal_ns(void);

#endif
