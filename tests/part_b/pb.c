/* pb.c - helpers of the part-B suites (see pb.h). */
#include "pb.h"

#include <CUnit/CUnit.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "model.h"
#include "parse.h"
#include "registry.h"
#include "runner.h"

#define SHM_DIR "/dev/shm"
#define LISTING_BYTES 65536
#define TIMEOUT_S 120

static char ptbench_path[PATH_MAX], root_path[PATH_MAX];

bool pb_check(bool ok, unsigned line, const char *file, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	CU_assertImplementation(ok ? CU_TRUE : CU_FALSE, line, msg, file, "", CU_FALSE);
	return ok;
}

int pb_init(void)
{
	const char *p = getenv("PTBENCH");
	if (!p || !*p)
		p = "build/ptbench";
	if (!realpath(p, ptbench_path) || !realpath(".", root_path)) {
		fprintf(stderr, "ptbench binary '%s': %s (set PTBENCH, run from the repository)\n", p,
			strerror(errno));
		return -1;
	}
	return 0;
}

const char *pb_ptbench(void)
{
	return ptbench_path;
}

const char *pb_root(void)
{
	return root_path;
}

/* ---- options ----------------------------------------------------------------- */

/* The given value of option name in "k=v;k=v", or NULL. */
static const char *given(const char *opts, const char *name, char *buf, size_t len)
{
	return opts ? pb_note(opts, name, buf, len) : NULL;
}

static bool parse_opt(const struct ptb_opt *o, const char *text, uint64_t *v)
{
	const char *why;
	if (o->kind == PTB_OPT_NUM)
		return ptb_parse_u64(text, o->unit, o->max, v, &why) == 0 && *v >= o->min;
	const char *c = o->choices;
	for (*v = 0; c; (*v)++) {
		size_t n = strcspn(c, "|");
		if (strlen(text) == n && strncmp(c, text, n) == 0)
			return true;
		c = c[n] == '|' ? c + n + 1 : NULL;
	}
	return false;
}

static bool fill_opts(const struct ptb_workload *wl, const char *opts, uint64_t *opt)
{
	char buf[128];
	for (unsigned o = 0; o < wl->nopts; o++) {
		const char *text = given(opts, wl->opts[o].name, buf, sizeof buf);
		if (!PB_CHECK(parse_opt(&wl->opts[o], text ? text : wl->opts[o].def, &opt[o]),
			      "%s: bad value for --%s", wl->name, wl->opts[o].name))
			return false;
	}
	return true;
}

/* ---- running ------------------------------------------------------------------- */

const char *pb_describe(const struct pb_case *c, char *buf, size_t len)
{
	snprintf(buf, len, "%s [%s] in %s, %u workers, %u tasks, %s", c->workload,
		 c->opts ? c->opts : "defaults", c->model, c->workers,
		 c->tasks ? c->tasks : c->workers, c->async ? "async" : "sync");
	return buf;
}

static bool setup_spec(const struct pb_case *c, struct ptb_rep_spec *spec)
{
	memset(spec, 0, sizeof *spec);
	spec->wl = ptb_workload_find(c->workload);
	spec->model = ptb_model_find(c->model);
	if (!PB_CHECK(spec->wl && spec->model, "no workload %s or model %s", c->workload, c->model))
		return false;
	spec->ctx.workers = c->workers;
	spec->ctx.tasks = spec->model->pooled && c->tasks ? c->tasks : c->workers;
	spec->ctx.tmpdir = "/nonexistent";	/* none of these workloads uses it */
	spec->async_submit = c->async;
	spec->timeout_s = TIMEOUT_S;
	return fill_opts(spec->wl, c->opts, spec->ctx.opt);
}

const char *pb_refusal(const struct pb_case *c)
{
	struct ptb_rep_spec spec;
	if (!setup_spec(c, &spec))
		return "bad case";
	struct ptb_fit fit = { spec.model, spec.ctx.opt, spec.ctx.workers, spec.ctx.tasks,
			       spec.async_submit };
	return ptb_fit_refusal(spec.wl, &fit);
}

static int count_children(void)
{
	int n = 0;
	DIR *d = opendir("/proc");
	struct dirent *e;
	if (!d)
		return -1;
	while ((e = readdir(d))) {
		char path[300], buf[512];
		snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
		int fd = e->d_name[0] >= '1' && e->d_name[0] <= '9' ? open(path, O_RDONLY) : -1;
		ssize_t got = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
		if (fd >= 0)
			close(fd);
		if (got <= 0)
			continue;
		buf[got] = '\0';
		const char *p = strrchr(buf, ')');
		long ppid;
		n += p && sscanf(p + 1, " %*c %ld", &ppid) == 1 && ppid == (long)getpid();
	}
	closedir(d);
	return n;
}

/* The first line of after (a pb_list listing) not in before, into buf. */
static bool new_name(const char *before, const char *after, char *buf, size_t len)
{
	for (const char *p = after; *p; p += strcspn(p, "\n") + 1) {
		char line[300];
		snprintf(line, sizeof line, "\n%.*s\n", (int)strcspn(p, "\n"), p);
		bool seen = strncmp(before, line + 1, strlen(line + 1)) == 0 || strstr(before, line);
		if (!seen) {
			snprintf(buf, len, "%s", line + 1);
			return true;
		}
	}
	return false;
}

bool pb_run(const struct pb_case *c, struct ptb_sample *s)
{
	static char before[LISTING_BYTES], after[LISTING_BYTES];
	struct ptb_rep_spec spec;
	struct ptb_err err = { { 0 } };
	char what[256], fresh[320] = "";
	pb_describe(c, what, sizeof what);
	if (!setup_spec(c, &spec))
		return false;
	PB_CHECK(pb_list(SHM_DIR, before, sizeof before) == 0, "listing " SHM_DIR);
	int rc = ptb_run_rep(&spec, s, &err);
	PB_CHECK(rc == 0, "%s: ptb_run_rep returned %d: %s", what, rc, err.msg);
	int status;
	errno = 0;
	PB_CHECK(waitpid(-1, &status, WNOHANG) < 0 && errno == ECHILD && count_children() == 0,
		 "%s: a child process is left", what);
	/* Another program's semaphore may come and go meanwhile (Python
	 * unlinks its own at once): only an entry that stays counts. */
	bool fresh_found = pb_list(SHM_DIR, after, sizeof after) == 0 &&
			   new_name(before, after, fresh, sizeof fresh);
	if (fresh_found) {
		usleep(200000);
		fresh_found = pb_list(SHM_DIR, after, sizeof after) == 0 &&
			      new_name(before, after, fresh, sizeof fresh);
	}
	PB_CHECK(!fresh_found, "%s: new in /dev/shm: %s", what, fresh);
	return rc == 0;
}

/* ---- notes ---------------------------------------------------------------------- */

const char *pb_note(const char *notes, const char *key, char *buf, size_t len)
{
	size_t klen = strlen(key);
	for (const char *p = notes; p && *p; p = strchr(p, ';') ? strchr(p, ';') + 1 : NULL) {
		if (strncmp(p, key, klen) == 0 && p[klen] == '=') {
			const char *v = p + klen + 1;
			snprintf(buf, len, "%.*s", (int)strcspn(v, ";"), v);
			return buf;
		}
	}
	return NULL;
}

long long pb_note_num(const char *notes, const char *key)
{
	char buf[64], *end;
	if (!pb_note(notes, key, buf, sizeof buf) || !buf[0])
		return -1;
	long long v = strtoll(buf, &end, 10);
	return *end ? -1 : v;
}

/* ---- processes and files ----------------------------------------------------------- */

static char *slurp_fd(int fd)
{
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);
	ssize_t n;
	if (!buf || lseek(fd, 0, SEEK_SET) < 0) {
		free(buf);
		return NULL;
	}
	while (buf && (n = read(fd, buf + len, cap - len - 1)) > 0) {
		len += (size_t)n;
		if (len + 1 == cap) {
			char *bigger = realloc(buf, cap *= 2);
			if (!bigger)
				free(buf);
			buf = bigger;
		}
	}
	if (buf)
		buf[len] = '\0';
	return buf;
}

int pb_spawn(const char *cwd, char *const argv[], char **out, char **err)
{
	int fds[2] = { open("/tmp", O_TMPFILE | O_RDWR, 0600), open("/tmp", O_TMPFILE | O_RDWR, 0600) };
	int status = -1;
	pid_t pid = fds[0] >= 0 && fds[1] >= 0 ? fork() : -1;
	if (pid == 0) {
		if (chdir(cwd) < 0 || dup2(fds[0], 1) < 0 || dup2(fds[1], 2) < 0)
			_exit(126);
		execv(argv[0], argv);
		_exit(127);
	}
	while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	*out = fds[0] >= 0 ? slurp_fd(fds[0]) : NULL;
	*err = fds[1] >= 0 ? slurp_fd(fds[1]) : NULL;
	for (int i = 0; i < 2; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	return pid > 0 ? status : -1;
}

int pb_mkdtemp(char *buf, size_t len)
{
	const char *base = getenv("TMPDIR");
	snprintf(buf, len, "%s/ptb-part-b-XXXXXX", base && *base ? base : "/tmp");
	return mkdtemp(buf) ? 0 : -1;
}

int pb_rmdir_flat(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int rc = 0;
	if (!d)
		return -1;
	while ((e = readdir(d))) {
		char path[PATH_MAX];
		if (e->d_name[0] == '.' && (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2])))
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		rc |= unlink(path);
	}
	closedir(d);
	return rc | rmdir(dir);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int pb_list(const char *dir, char *buf, size_t len)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char *names[1024];
	size_t n = 0, used = 0;
	if (!d)
		return -1;
	while ((e = readdir(d)) && n < 1024)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			names[n++] = strdup(e->d_name);
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, by_name);
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (names[i] && used < len)
			used += (size_t)snprintf(buf + used, len - used, "%s\n", names[i]);
		free(names[i]);
	}
	return used < len ? 0 : -1;
}
