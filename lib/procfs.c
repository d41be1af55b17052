/* procfs.c - parse /proc/PID/stat (the name may hold spaces and parens,
 * so fields are read after the last ')') and the steal time of /proc/stat. */
#include "procfs.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int ptb_proc_stat_read(pid_t pid, struct ptb_proc_stat *out)
{
	char path[64], buf[1024];
	snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	const char *p = strrchr(buf, ')');
	long ppid, pgrp;
	if (!p || sscanf(p + 1, " %c %ld %ld %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d "
			 "%*d %*d %*d %llu", &out->state, &ppid, &pgrp, &out->start_ticks) != 4)
		return -1;
	out->ppid = (pid_t)ppid;
	out->pgrp = (pid_t)pgrp;
	return 0;
}

int64_t ptb_steal_ns(void)
{
	char buf[512];
	int fd = open("/proc/stat", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	unsigned long long steal;
	long hz = sysconf(_SC_CLK_TCK);
	if (strncmp(buf, "cpu ", 4) || hz <= 0 ||
	    sscanf(buf + 4, "%*u %*u %*u %*u %*u %*u %*u %llu", &steal) != 1)
		return -1;
	return (int64_t)(steal * (1000000000ULL / (unsigned long long)hz));
}
