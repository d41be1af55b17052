/* measure.c - snapshots of clock, rusage and perf counters, and deltas. */
#include "measure.h"

#include <linux/perf_event.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

void ptb_sample_clear(struct ptb_sample *s)
{
	memset(s, 0, sizeof *s);
	s->wall_ns = s->user_ns = s->sys_ns = PTB_MISSING;
	s->maxrss_kb = s->pss_kb = PTB_MISSING;
	s->vol_cs = s->invol_cs = s->minflt = s->majflt = PTB_MISSING;
	s->migrations = s->outer_wall_ns = s->steal_ns = PTB_MISSING;
}

int64_t ptb_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int ptb_perf_open_migrations(void)
{
	struct perf_event_attr attr;
	memset(&attr, 0, sizeof attr);
	attr.size = sizeof attr;
	attr.type = PERF_TYPE_SOFTWARE;
	attr.config = PERF_COUNT_SW_CPU_MIGRATIONS;
	attr.inherit = 1;
	attr.exclude_kernel = 0;
	attr.exclude_hv = 1;
	long fd = syscall(SYS_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0) {
		/* unprivileged users may count their own user-space only */
		attr.exclude_kernel = 1;
		fd = syscall(SYS_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
	}
	return fd < 0 ? -1 : (int)fd;
}

int64_t ptb_perf_read(int fd)
{
	uint64_t v;
	if (fd < 0 || read(fd, &v, sizeof v) != (ssize_t)sizeof v)
		return PTB_MISSING;
	return (int64_t)v;
}

void ptb_snapshot_begin(struct ptb_snapshot *s, int perf_fd)
{
	s->migrations = ptb_perf_read(perf_fd);
	getrusage(RUSAGE_SELF, &s->self);
	getrusage(RUSAGE_CHILDREN, &s->children);
	s->mono_ns = ptb_now_ns();
}

void ptb_snapshot_end(struct ptb_snapshot *s, int perf_fd)
{
	s->mono_ns = ptb_now_ns();
	getrusage(RUSAGE_SELF, &s->self);
	getrusage(RUSAGE_CHILDREN, &s->children);
	s->migrations = ptb_perf_read(perf_fd);
}

static int64_t tv_ns(const struct timeval *tv)
{
	return (int64_t)tv->tv_sec * 1000000000 + (int64_t)tv->tv_usec * 1000;
}

/* self + children of one field, end minus start. */
#define RU_DELTA(field) \
	((int64_t)(end->self.field + end->children.field) - \
	 (int64_t)(start->self.field + start->children.field))

void ptb_sample_delta(struct ptb_sample *s, const struct ptb_snapshot *start,
		      const struct ptb_snapshot *end)
{
	s->user_ns = tv_ns(&end->self.ru_utime) + tv_ns(&end->children.ru_utime) -
		     tv_ns(&start->self.ru_utime) - tv_ns(&start->children.ru_utime);
	s->sys_ns = tv_ns(&end->self.ru_stime) + tv_ns(&end->children.ru_stime) -
		    tv_ns(&start->self.ru_stime) - tv_ns(&start->children.ru_stime);
	s->vol_cs = RU_DELTA(ru_nvcsw);
	s->invol_cs = RU_DELTA(ru_nivcsw);
	s->minflt = RU_DELTA(ru_minflt);
	s->majflt = RU_DELTA(ru_majflt);
	s->maxrss_kb = end->self.ru_maxrss > end->children.ru_maxrss ? end->self.ru_maxrss
								     : end->children.ru_maxrss;
	s->migrations = (start->migrations == PTB_MISSING || end->migrations == PTB_MISSING)
				? PTB_MISSING
				: end->migrations - start->migrations;
}
