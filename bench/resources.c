/* resources.c - memory and disk checks of a run's needs against
 * MemAvailable and the temporary directory's free space (see resources.h). */
#include "resources.h"

#include <errno.h>
#include <stdint.h>
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

static int fail(const char *what, const char *wl, uint64_t need, uint64_t have, const char *where)
{
	fprintf(stderr, "ptbench: workload '%s' needs %llu MiB of %s%s, only %llu MiB available "
		"(use smaller sizes or fewer workers)\n", wl, (unsigned long long)(need / MIB), what,
		where, (unsigned long long)(have / MIB));
	return 2;
}

int ptb_check_resources(const char *tmpdir, const struct ptb_need *needs, int nneeds)
{
	struct statvfs vfs;
	char where[4200];
	if (statvfs(tmpdir, &vfs) < 0) {
		fprintf(stderr, "ptbench: --tmpdir: '%s': %s (allowed: an existing directory)\n",
			tmpdir, strerror(errno));
		return 2;
	}
	uint64_t disk_free = (uint64_t)vfs.f_bavail * vfs.f_frsize;
	uint64_t mem_free = mem_available_bytes();
	snprintf(where, sizeof where, " in %s", tmpdir);
	for (int i = 0; i < nneeds; i++) {
		const struct ptb_need *n = &needs[i];
		if (n->mem_bytes > mem_free / 10 * 9)	/* leave the machine a tenth */
			return fail("memory", n->workload, n->mem_bytes, mem_free, "");
		if (n->disk_bytes > disk_free)
			return fail("disk", n->workload, n->disk_bytes, disk_free, where);
	}
	return 0;
}
