/* resources.c - memory and disk checks of a plan against MemAvailable and the
 * temporary directory's free space, from each workload's needs_bytes. */
#include "resources.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/statvfs.h>

#define MIB (UINT64_C(1) << 20)

/* MemAvailable in bytes, or UINT64_MAX when /proc/meminfo does not say. */
static uint64_t mem_available_bytes(void)
{
	char line[256];
	unsigned long long kb;
	uint64_t avail = UINT64_MAX;
	FILE *f = fopen("/proc/meminfo", "re");
	if (!f)
		return avail;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "MemAvailable: %llu kB", &kb) == 1) {
			avail = (uint64_t)kb * 1024;
			break;
		}
	fclose(f);
	return avail;
}

/* The largest need of workload w over its parameter sets and worker counts. */
static void largest_need(const struct ptb_plan *p, int w, uint64_t *mem, uint64_t *disk)
{
	const struct ptb_workload *wl = p->wl[w];
	uint64_t opt[PTB_MAX_OPTS] = { 0 };
	*mem = *disk = 0;
	unsigned long n = ptb_plan_combo(p, w, 0, opt);
	for (unsigned long k = 0; k < n; k++) {
		ptb_plan_combo(p, w, k, opt);
		for (int i = 0; i < p->nworkers; i++) {
			uint64_t m = 0, d = 0;
			struct ptb_fit fit = { .opt = opt, .workers = p->workers[i],
					       .tasks = p->tasks ? p->tasks : p->workers[i] };
			wl->needs_bytes(&fit, &m, &d);
			*mem = m > *mem ? m : *mem;
			*disk = d > *disk ? d : *disk;
		}
	}
}

static int fail(const char *what, const char *wl, uint64_t need, uint64_t have, const char *where)
{
	fprintf(stderr, "ptbench: workload '%s' needs %llu MiB of %s%s, only %llu MiB available "
		"(use smaller sizes or fewer workers)\n", wl, (unsigned long long)(need / MIB), what,
		where, (unsigned long long)(have / MIB));
	return 2;
}

int ptb_check_resources(const struct ptb_plan *p)
{
	struct statvfs vfs;
	char where[4200];
	if (statvfs(p->tmpdir_base, &vfs) < 0) {
		fprintf(stderr, "ptbench: --tmpdir: '%s': %s (allowed: an existing directory)\n",
			p->tmpdir_base, strerror(errno));
		return 2;
	}
	uint64_t disk_free = (uint64_t)vfs.f_bavail * vfs.f_frsize;
	uint64_t mem_free = mem_available_bytes();
	snprintf(where, sizeof where, " in %s", p->tmpdir_base);
	for (int w = 0; w < p->nwl; w++) {
		uint64_t mem, disk;
		if (!p->wl[w]->needs_bytes)
			continue;
		largest_need(p, w, &mem, &disk);
		if (mem > mem_free / 10 * 9)	/* leave the machine a tenth */
			return fail("memory", p->wl[w]->name, mem, mem_free, "");
		if (disk > disk_free)
			return fail("disk", p->wl[w]->name, disk, disk_free, where);
	}
	return 0;
}
