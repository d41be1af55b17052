/* meta.c - collect machine facts from /proc and /sys and write them as
 * JSON; warn about the ones that make benchmarks noisy. */
#include "meta.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include "csv.h"
#include "fsutil.h"

#ifndef PTB_CC
#define PTB_CC "unknown"
#endif
#ifndef PTB_CFLAGS
#define PTB_CFLAGS "unknown"
#endif
#ifndef PTB_GIT
#define PTB_GIT "unknown"
#endif

/* First line of a small file, without its newline; "" when unreadable. */
static const char *read_line(const char *path, char *buf, size_t len)
{
	buf[0] = '\0';
	FILE *f = fopen(path, "re");
	if (!f)
		return buf;
	if (fgets(buf, (int)len, f))
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
	return buf;
}

/* The driver's own peak resident set (VmHWM): unlike ru_maxrss it starts
 * afresh at exec, so it does not inherit the peak of whatever started us. */
static long vm_hwm_kb(void)
{
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "VmHWM: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

static const char *cpu_model(char *buf, size_t len)
{
	char line[512];
	buf[0] = '\0';
	FILE *f = fopen("/proc/cpuinfo", "re");
	if (!f)
		return buf;
	while (fgets(line, sizeof line, f)) {
		if (strncmp(line, "model name", 10) == 0) {
			const char *v = strchr(line, ':');
			snprintf(buf, len, "%s", v ? v + 2 : "");
			buf[strcspn(buf, "\n")] = '\0';
			break;
		}
	}
	fclose(f);
	return buf;
}

/* The selected value of a "[a] b c" sysfs list, e.g. THP's mode. */
static const char *bracketed(const char *path, char *buf, size_t len)
{
	char raw[256];
	read_line(path, raw, sizeof raw);
	const char *open = strchr(raw, '['), *close = open ? strchr(open, ']') : NULL;
	if (open && close)
		snprintf(buf, len, "%.*s", (int)(close - open - 1), open + 1);
	else
		snprintf(buf, len, "%s", raw);
	return buf;
}

static void json_str(FILE *f, const char *key, const char *v, int last)
{
	fprintf(f, "  \"%s\": ", key);
	if (!v || !*v) {
		fputs("null", f);
	} else {
		fputc('"', f);
		for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
			if (*p == '"' || *p == '\\')
				fprintf(f, "\\%c", *p);
			else if (*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
		fputc('"', f);
	}
	fputs(last ? "\n" : ",\n", f);
}

static void json_num(FILE *f, const char *key, long v, int last)
{
	fprintf(f, "  \"%s\": %ld%s\n", key, v, last ? "" : ",");
}

static void write_machine(FILE *f)
{
	char a[512], b[256];
	struct utsname u;
	uname(&u);
	snprintf(a, sizeof a, "%s %s %s", u.sysname, u.release, u.machine);
	json_str(f, "kernel", a, 0);
	json_str(f, "hostname", u.nodename, 0);
	json_str(f, "cpu_model", cpu_model(a, sizeof a), 0);
	json_num(f, "cores_online", sysconf(_SC_NPROCESSORS_ONLN), 0);
	json_str(f, "smt_active", read_line("/sys/devices/system/cpu/smt/active", a, sizeof a), 0);
	json_str(f, "governor", read_line("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", a, sizeof a), 0);
	json_str(f, "boost", read_line("/sys/devices/system/cpu/cpufreq/boost", a, sizeof a), 0);
	json_str(f, "no_turbo", read_line("/sys/devices/system/cpu/intel_pstate/no_turbo", a, sizeof a), 0);
	json_str(f, "aslr", read_line("/proc/sys/kernel/randomize_va_space", a, sizeof a), 0);
	json_str(f, "thp", bracketed("/sys/kernel/mm/transparent_hugepage/enabled", b, sizeof b), 0);
	json_str(f, "cgroup_cpu_max", read_line("/sys/fs/cgroup/cpu.max", a, sizeof a), 0);
	json_str(f, "perf_event_paranoid", read_line("/proc/sys/kernel/perf_event_paranoid", a, sizeof a), 0);
	json_str(f, "loadavg", read_line("/proc/loadavg", a, sizeof a), 0);
	json_str(f, "compiler", PTB_CC " " __VERSION__, 0);
	json_str(f, "cflags", PTB_CFLAGS, 0);
	json_str(f, "git_commit", PTB_GIT, 0);
}

static void write_json(FILE *f, const struct ptb_meta_run *run)
{
	char cmd[4096] = "";
	size_t used = 0;
	for (int i = 0; i < run->argc && used < sizeof cmd; i++)
		used += (size_t)snprintf(cmd + used, sizeof cmd - used, "%s%s", i ? " " : "",
					 run->argv[i]);
	fputs("{\n", f);
	json_num(f, "schema_version", PTB_SCHEMA_VERSION, 0);
	json_str(f, "tool", "ptbench " PTB_VERSION, 0);
	json_str(f, "run_id", run->run_id, 0);
	json_str(f, "csv", run->csv_path, 0);
	json_str(f, "command_line", cmd, 0);
	json_str(f, "interleave", run->interleave, 0);
	json_str(f, "started", run->started, 0);
	json_str(f, "finished", run->finished, 0);
	json_str(f, "status", run->status, 0);
	json_num(f, "rows", (long)run->rows, 0);
	json_num(f, "driver_maxrss_kb", vm_hwm_kb(), 0);
	write_machine(f);
	json_str(f, "clock", "CLOCK_MONOTONIC", 1);
	fputs("}\n", f);
}

int ptb_meta_write(const char *path, const struct ptb_meta_run *run, struct ptb_err *err)
{
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
	FILE *f = fopen(tmp, "wex");
	if (!f)
		return ptb_errno(err, "fopen(%s)", tmp);
	write_json(f, run);
	if (fflush(f) != 0 || fsync(fileno(f)) != 0) {
		fclose(f);
		unlink(tmp);
		return ptb_errno(err, "writing %s", tmp);
	}
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		unlink(tmp);
		return ptb_errno(err, "rename(%s, %s)", tmp, path);
	}
	return 0;
}

void ptb_meta_warn(void)
{
	char a[256];
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	double load = atof(read_line("/proc/loadavg", a, sizeof a));
	if (load > 0.5 * (double)cores)
		fprintf(stderr, "ptbench: warning: load average %.2f on %ld cores: other work will disturb the figures\n",
			load, cores);
	read_line("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", a, sizeof a);
	if (a[0] && strcmp(a, "performance") != 0)
		fprintf(stderr, "ptbench: warning: CPU frequency governor is '%s', not 'performance': timings may vary\n", a);
	read_line("/sys/fs/cgroup/cpu.max", a, sizeof a);
	if (a[0] && strncmp(a, "max", 3) != 0)
		fprintf(stderr, "ptbench: warning: cgroup CPU quota '%s' may throttle parallel runs\n", a);
	if (access("/.dockerenv", F_OK) == 0 || access("/run/.containerenv", F_OK) == 0)
		fprintf(stderr, "ptbench: note: running in a container\n");
}

void ptb_utc_now(char *buf, size_t len)
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
