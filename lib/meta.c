/* meta.c - collect machine facts from /proc and /sys and write them as
 * JSON; warn about the ones that make benchmarks noisy.  Besides the
 * machine's size and load, the facts that change what a process switch
 * and a process creation cost: the CPU vulnerabilities and their
 * mitigations, the CPU flags those depend on (PCID, PTI, ...), microcode,
 * the kernel command line, the clocksource, THP and the hypervisor
 * (doc/csv.md).  A file that does not exist is recorded as absent (null). */
#include "meta.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include "csv.h"
#include "fsutil.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

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

/* The value of the first "name\t: value" line of /proc/cpuinfo (cpu0's),
 * without its newline; "" when the file or the field is missing.  getline:
 * the flags line is longer than any fixed buffer worth keeping. */
static const char *cpuinfo_field(const char *name, char *buf, size_t len)
{
	char *line = NULL;
	size_t cap = 0, n = strlen(name);
	buf[0] = '\0';
	FILE *f = fopen("/proc/cpuinfo", "re");
	if (!f)
		return buf;
	while (getline(&line, &cap, f) != -1) {
		if (strncmp(line, name, n) != 0 || (line[n] != '\t' && line[n] != ' ' && line[n] != ':'))
			continue;
		const char *v = strchr(line, ':');
		if (v)
			snprintf(buf, len, "%s", v[1] == ' ' ? v + 2 : v + 1);
		buf[strcspn(buf, "\n")] = '\0';
		break;
	}
	free(line);
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

/* s as a JSON string: quotes and backslashes escaped, control bytes as \u. */
static void json_text(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

/* "key": "v" at an indent; null when v is NULL or empty (absent). */
static void json_str_at(FILE *f, const char *indent, const char *key, const char *v, int last)
{
	fputs(indent, f);
	json_text(f, key);
	fputs(": ", f);
	if (!v || !*v)
		fputs("null", f);
	else
		json_text(f, v);
	fputs(last ? "\n" : ",\n", f);
}

static void json_str(FILE *f, const char *key, const char *v, int last)
{
	json_str_at(f, "  ", key, v, last);
}

static void json_num(FILE *f, const char *key, long v, int last)
{
	fprintf(f, "  \"%s\": %ld%s\n", key, v, last ? "" : ",");
}

/* The CPU flags that change what a kernel entry, a switch of address
 * space or a fork costs, each recorded present (true) or not (false):
 * a short fixed list (doc/csv.md). */
static const char *const CPU_FLAGS[] = {
	"pcid", "invpcid", "pti", "ibrs", "ibrs_enhanced", "ibpb", "stibp",
	"ssbd", "md_clear", "flush_l1d", "hypervisor",
};
#define N_CPU_FLAGS (sizeof CPU_FLAGS / sizeof CPU_FLAGS[0])

/* Whether word is one of the space-separated words of list. */
static int has_word(const char *list, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = list; (p = strstr(p, word)) != NULL; p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return 1;
	return 0;
}

/* "cpu_flags": {flag: true|false, ...}; null without a flags line (not x86). */
static void write_cpu_flags(FILE *f)
{
	char flags[8192];
	cpuinfo_field("flags", flags, sizeof flags);
	fputs("  \"cpu_flags\": ", f);
	if (!flags[0]) {
		fputs("null,\n", f);
		return;
	}
	fputs("{\n", f);
	for (size_t i = 0; i < N_CPU_FLAGS; i++)
		fprintf(f, "    \"%s\": %s%s\n", CPU_FLAGS[i],
			has_word(flags, CPU_FLAGS[i]) ? "true" : "false", i + 1 < N_CPU_FLAGS ? "," : "");
	fputs("  },\n", f);
}

#define VULN_DIR "/sys/devices/system/cpu/vulnerabilities"

static int visible(const struct dirent *e)
{
	return e->d_name[0] != '.';
}

/* "cpu_vulnerabilities": {name: the kernel's text, ...} of every file of
 * VULN_DIR, sorted by name; null when the directory cannot be read. */
static void write_vulnerabilities(FILE *f)
{
	struct dirent **names;
	int n = scandir(VULN_DIR, &names, visible, alphasort);
	fputs("  \"cpu_vulnerabilities\": ", f);
	if (n < 0) {
		fputs("null,\n", f);
		return;
	}
	fputs(n ? "{\n" : "{", f);
	for (int i = 0; i < n; i++) {
		char path[512], text[1024];
		snprintf(path, sizeof path, VULN_DIR "/%s", names[i]->d_name);
		json_str_at(f, "    ", names[i]->d_name, read_line(path, text, sizeof text), i + 1 == n);
		free(names[i]);
	}
	free(names);
	fputs(n ? "  },\n" : "},\n", f);
}

/* The kernel's own command line: /proc/cmdline up to " -- ", after which
 * the words are init's arguments, not the kernel's. */
static const char *kernel_cmdline(char *buf, size_t len)
{
	read_line("/proc/cmdline", buf, len);
	char *init = strstr(buf, " -- ");
	size_t n = strlen(buf);
	if (init)
		*init = '\0';
	else if (n >= 3 && strcmp(buf + n - 3, " --") == 0)
		buf[n - 3] = '\0';
	return buf;
}

/* The hypervisor's CPUID vendor (leaf 0x40000000: "KVMKVMKVM",
 * "Microsoft Hv", "VMwareVMware", ...) when CPUID says a hypervisor is
 * present (leaf 1, ECX bit 31); "" otherwise and on other architectures. */
static const char *cpuid_hypervisor(char *buf, size_t len)
{
	buf[0] = '\0';
#if defined(__x86_64__) || defined(__i386__)
	unsigned eax, ebx, ecx, edx;
	char v[13];
	if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx) || !(ecx & (1u << 31)))
		return buf;
	__cpuid(0x40000000, eax, ebx, ecx, edx);
	memcpy(v, &ebx, 4);
	memcpy(v + 4, &ecx, 4);
	memcpy(v + 8, &edx, 4);
	v[12] = '\0';
	for (char *p = v; *p; p++)
		if (*p < 0x20 || *p > 0x7e)
			*p = '?';
	for (size_t n = strlen(v); n > 0 && v[n - 1] == ' '; n--)
		v[n - 1] = '\0';
	snprintf(buf, len, "%s", v);
#else
	(void)len;
#endif
	return buf;
}

/* What changes the cost of a process switch or creation (doc/csv.md). */
static void write_switch_facts(FILE *f)
{
	char a[4096];
	json_str(f, "microcode", cpuinfo_field("microcode", a, sizeof a), 0);
	json_str(f, "kernel_cmdline", kernel_cmdline(a, sizeof a), 0);
	json_str(f, "clocksource", read_line("/sys/devices/system/clocksource/clocksource0/current_clocksource", a, sizeof a), 0);
	json_str(f, "hypervisor_vendor", cpuid_hypervisor(a, sizeof a), 0);
	json_str(f, "hypervisor_type", read_line("/sys/hypervisor/type", a, sizeof a), 0);
	write_cpu_flags(f);
	write_vulnerabilities(f);
}

static void write_machine(FILE *f)
{
	char a[512], b[256];
	struct utsname u;
	int named = uname(&u) == 0;
	if (named)
		snprintf(a, sizeof a, "%s %s %s", u.sysname, u.release, u.machine);
	json_str(f, "kernel", named ? a : NULL, 0);
	json_str(f, "hostname", named ? u.nodename : NULL, 0);
	json_str(f, "cpu_model", cpuinfo_field("model name", a, sizeof a), 0);
	json_num(f, "cores_online", sysconf(_SC_NPROCESSORS_ONLN), 0);
	json_str(f, "smt_active", read_line("/sys/devices/system/cpu/smt/active", a, sizeof a), 0);
	json_str(f, "governor", read_line("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", a, sizeof a), 0);
	json_str(f, "boost", read_line("/sys/devices/system/cpu/cpufreq/boost", a, sizeof a), 0);
	json_str(f, "no_turbo", read_line("/sys/devices/system/cpu/intel_pstate/no_turbo", a, sizeof a), 0);
	json_str(f, "aslr", read_line("/proc/sys/kernel/randomize_va_space", a, sizeof a), 0);
	json_str(f, "thp", bracketed("/sys/kernel/mm/transparent_hugepage/enabled", b, sizeof b), 0);
	json_str(f, "thp_defrag", bracketed("/sys/kernel/mm/transparent_hugepage/defrag", b, sizeof b), 0);
	json_str(f, "cgroup_cpu_max", read_line("/sys/fs/cgroup/cpu.max", a, sizeof a), 0);
	json_str(f, "perf_event_paranoid", read_line("/proc/sys/kernel/perf_event_paranoid", a, sizeof a), 0);
	write_switch_facts(f);
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
