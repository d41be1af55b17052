/* external.c - start an external program as a repetition's runner and
 * turn its one-line JSON report into the sample (protocol: external.h). */
#include "external.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "child.h"
#include "measure.h"
#include "model.h"

/* ---- argument vectors ---------------------------------------------------- */

void ptb_ext_init(struct ptb_ext_argv *a)
{
	a->argc = 0;
	a->used = 0;
	a->overflow = false;
	a->status = 0;
	a->reported = false;
	a->argv[0] = NULL;
}

void ptb_ext_add(struct ptb_ext_argv *a, const char *fmt, ...)
{
	size_t room = sizeof a->strings - a->used;
	va_list ap;
	if (a->overflow || a->argc >= PTB_EXT_MAX_ARGS) {
		a->overflow = true;
		return;
	}
	va_start(ap, fmt);
	int n = vsnprintf(a->strings + a->used, room, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= room) {
		a->overflow = true;
		return;
	}
	a->argv[a->argc++] = a->strings + a->used;
	a->argv[a->argc] = NULL;
	a->used += (size_t)n + 1;
}

const char *ptb_opt_choice_name(const struct ptb_opt *o, uint64_t v, char *buf, size_t len)
{
	const char *c = o->choices;
	for (uint64_t k = 0; k < v && c; k++)
		c = strchr(c, '|') ? strchr(c, '|') + 1 : NULL;
	snprintf(buf, len, "%.*s", c ? (int)strcspn(c, "|") : 0, c ? c : "");
	return buf;
}

int ptb_opt_index(const struct ptb_opt *opts, unsigned nopts, const char *name)
{
	for (unsigned o = 0; o < nopts; o++)
		if (strcmp(opts[o].name, name) == 0)
			return (int)o;
	return -1;
}

void ptb_ext_add_opts(struct ptb_ext_argv *a, const struct ptb_opt *opts, unsigned nopts,
		      const uint64_t *values)
{
	for (unsigned o = 0; o < nopts; o++) {
		char name[128];
		ptb_ext_add(a, "--%s", opts[o].name);
		if (opts[o].kind == PTB_OPT_CHOICE)
			ptb_ext_add(a, "%s", ptb_opt_choice_name(&opts[o], values[o], name, sizeof name));
		else if (opts[o].kind == PTB_OPT_TEXT)
			ptb_ext_add(a, "%s", ptb_opt_text(values[o]));
		else
			ptb_ext_add(a, "%llu", (unsigned long long)values[o]);
	}
}

/* ---- finding the program --------------------------------------------------- */

static int search_path(const char *name, char *path, size_t len)
{
	const char *dirs = getenv("PATH");
	if (!dirs || !*dirs)
		dirs = "/usr/bin:/bin";
	while (*dirs) {
		size_t n = strcspn(dirs, ":");
		if ((size_t)snprintf(path, len, "%.*s/%s", (int)n, n ? dirs : ".", name) < len &&
		    access(path, X_OK) == 0)
			return 0;
		dirs += n + (dirs[n] == ':');
	}
	return -1;
}

int ptb_ext_find_program(const char *env, const char *name, char *path, size_t len,
			 struct ptb_err *err)
{
	const char *want = getenv(env);
	bool from_env = want && *want;
	if (!from_env)
		want = name;
	if (strchr(want, '/')) {
		if ((size_t)snprintf(path, len, "%s", want) >= len)
			return ptb_errf(err, "%s: path too long", env);
		if (access(path, X_OK) < 0)
			return ptb_errno(err, "%s '%s' is not an executable", env, want);
		return 0;
	}
	if (search_path(want, path, len) == 0)
		return 0;
	if (from_env)
		return ptb_errf(err, "%s='%s' not found in PATH", env, want);
	return ptb_errf(err, "%s not found in PATH (install it, or set %s to one)", name, env);
}

/* ---- the report ------------------------------------------------------------- */

enum field_kind { FK_I64, FK_OPS, FK_RESULT, FK_OK, FK_ERROR, FK_NOTES };

static const struct {
	const char *key;
	enum field_kind kind;
	size_t off;		/* FK_I64: offset of the int64_t in the sample */
} fields[] = {
	{ "wall_ns", FK_I64, offsetof(struct ptb_sample, wall_ns) },
	{ "user_ns", FK_I64, offsetof(struct ptb_sample, user_ns) },
	{ "sys_ns", FK_I64, offsetof(struct ptb_sample, sys_ns) },
	{ "maxrss_kb", FK_I64, offsetof(struct ptb_sample, maxrss_kb) },
	{ "pss_kb", FK_I64, offsetof(struct ptb_sample, pss_kb) },
	{ "vol_cs", FK_I64, offsetof(struct ptb_sample, vol_cs) },
	{ "invol_cs", FK_I64, offsetof(struct ptb_sample, invol_cs) },
	{ "minflt", FK_I64, offsetof(struct ptb_sample, minflt) },
	{ "majflt", FK_I64, offsetof(struct ptb_sample, majflt) },
	{ "migrations", FK_I64, offsetof(struct ptb_sample, migrations) },
	{ "ops", FK_OPS, 0 },
	{ "result", FK_RESULT, 0 },
	{ "ok", FK_OK, 0 },
	{ "error", FK_ERROR, 0 },
	{ "notes", FK_NOTES, 0 },
};

/* One JSON value, as the flat report uses them. */
struct jvalue {
	enum { J_NULL, J_BOOL, J_INT, J_STRING } type;
	bool b;
	int64_t i;
	char s[256];
};

static const char *skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	return p;
}

/* A JSON string at p (after the quote) into buf; escapes other than the
 * simple ones become '?'.  Returns the end, or NULL. */
static const char *parse_string(const char *p, char *buf, size_t len)
{
	size_t n = 0;
	for (; *p && *p != '"'; p++) {
		char c = *p;
		if (c == '\\') {
			static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
			const char *k = *++p ? strchr(from, *p) : NULL;
			if (!*p)
				return NULL;
			if (*p == 'u') {
				for (int i = 0; i < 4; i++)
					if (!isxdigit((unsigned char)*++p))
						return NULL;
				c = '?';
			} else {
				if (!k)
					return NULL;
				c = to[k - from];
			}
		}
		if (n + 1 < len)
			buf[n++] = c;
	}
	buf[n] = '\0';
	return *p == '"' ? p + 1 : NULL;
}

static const char *parse_value(const char *p, struct jvalue *v)
{
	char *end;
	if (*p == '"') {
		v->type = J_STRING;
		return parse_string(p + 1, v->s, sizeof v->s);
	}
	if (strncmp(p, "null", 4) == 0) {
		v->type = J_NULL;
		return p + 4;
	}
	if (strncmp(p, "true", 4) == 0 || strncmp(p, "false", 5) == 0) {
		v->type = J_BOOL;
		v->b = *p == 't';
		return p + (v->b ? 4 : 5);
	}
	if (*p != '-' && !isdigit((unsigned char)*p))
		return NULL;
	errno = 0;
	v->type = J_INT;
	v->i = strtoll(p, &end, 10);
	if (errno || end == p || *end == '.' || *end == 'e' || *end == 'E')
		return NULL;	/* out of range, or not an integer */
	return end;
}

static int store(const char *key, const struct jvalue *v, struct ptb_sample *out,
		 unsigned *seen, struct ptb_err *err)
{
	for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++) {
		if (strcmp(fields[f].key, key) != 0)
			continue;
		bool is_int = v->type == J_INT, want_int = fields[f].kind <= FK_RESULT;
		bool fits = want_int ? (is_int || (v->type == J_NULL && fields[f].kind == FK_I64))
				     : fields[f].kind == FK_OK ? v->type == J_BOOL
							       : v->type == J_STRING;
		if (!fits || (is_int && v->i < 0 && fields[f].kind != FK_RESULT))
			return ptb_errf(err, "report: bad value for \"%s\"", key);
		*seen |= 1u << f;
		switch (fields[f].kind) {
		case FK_I64:
			*(int64_t *)(void *)((char *)out + fields[f].off) = is_int ? v->i : PTB_MISSING;
			break;
		case FK_OPS:
			out->ops = (uint64_t)v->i;
			break;
		case FK_RESULT:
			out->result = v->i;
			out->has_result = true;
			break;
		case FK_OK:
			out->ok = v->b;
			break;
		case FK_ERROR:
			snprintf(out->error, sizeof out->error, "%.*s", (int)sizeof out->error - 1, v->s);
			break;
		case FK_NOTES:
			snprintf(out->notes, sizeof out->notes, "%.*s", (int)sizeof out->notes - 1, v->s);
			break;
		}
		return 0;
	}
	return ptb_errf(err, "report: unknown key \"%s\"", key);
}

static unsigned seen_bit(const char *key)
{
	for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++)
		if (strcmp(fields[f].key, key) == 0)
			return 1u << f;
	return 0;
}

int ptb_ext_parse_report(const char *line, struct ptb_sample *out, struct ptb_err *err)
{
	const char *p = skip_ws(line);
	unsigned seen = 0;
	if (*p++ != '{')
		return ptb_errf(err, "report: not a JSON object");
	for (p = skip_ws(p); *p != '}';) {
		char key[64];
		struct jvalue v;
		if (*p != '"' || !(p = parse_string(p + 1, key, sizeof key)))
			return ptb_errf(err, "report: expected a key");
		p = skip_ws(p);
		if (*p++ != ':' || !(p = parse_value(skip_ws(p), &v)))
			return ptb_errf(err, "report: bad value for \"%s\"", key);
		if (store(key, &v, out, &seen, err))
			return -1;
		p = skip_ws(p);
		if (*p == ',')
			p = skip_ws(p + 1);
		else if (*p != '}')
			return ptb_errf(err, "report: expected , or } after \"%s\"", key);
	}
	if (*skip_ws(p + 1) != '\0')
		return ptb_errf(err, "report: text after the object");
	unsigned needed = seen_bit("wall_ns") | seen_bit("ops") | seen_bit("result") | seen_bit("ok");
	if (!(seen & seen_bit("error")) && (seen & needed) != needed)
		return ptb_errf(err, "report: wall_ns, ops, result and ok are required");
	return 0;
}

/* ---- running the program ------------------------------------------------------ */

/* In the child: open the counter, fill the placeholders, exec. */
static void exec_child(struct ptb_ext_argv *a, int report_fd, pid_t parent)
{
	char report[16], perf[16];
	int perf_fd = ptb_perf_open_migrations();
	if (perf_fd >= 0 && fcntl(perf_fd, F_SETFD, 0) < 0) {
		close(perf_fd);
		perf_fd = -1;
	}
	if (fcntl(report_fd, F_SETFD, 0) < 0) {
		dprintf(STDERR_FILENO, "ptbench: fcntl(report fd): %s\n", strerror(errno));
		_exit(127);
	}
	snprintf(report, sizeof report, "%d", report_fd);
	snprintf(perf, sizeof perf, "%d", perf_fd);
	for (int i = 0; i < a->argc; i++) {
		if (strcmp(a->argv[i], "{report_fd}") == 0)
			a->argv[i] = report;
		else if (strcmp(a->argv[i], "{perf_fd}") == 0)
			a->argv[i] = perf;
	}
	if (!ptb_child_die_with(parent))
		_exit(125);	/* the runner died before we could ask */
	execv(a->argv[0], a->argv);
	dprintf(STDERR_FILENO, "ptbench: execv(%s): %s\n", a->argv[0], strerror(errno));
	_exit(127);
}

/* Read up to the first newline (or end of file); -1 on a read error. */
static ssize_t read_line(int fd, char *buf, size_t len)
{
	size_t used = 0;
	while (used + 1 < len && !memchr(buf, '\n', used)) {
		ssize_t n = read(fd, buf + used, len - 1 - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		used += (size_t)n;
	}
	buf[used] = '\0';
	char *nl = strchr(buf, '\n');
	if (nl)
		*nl = '\0';
	return (ssize_t)used;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* The outcome from the report (or its absence) and the exit status. */
static int judge(const char *prog, const char *line, ssize_t got, int status,
		 struct ptb_sample *out, struct ptb_err *err)
{
	char how[64];
	bool clean = WIFEXITED(status) && WEXITSTATUS(status) == 0;
	ptb_describe_status(status, how, sizeof how);
	if (got <= 0)
		return ptb_errf(err, "%s %s without a report%s", prog, how,
				WIFEXITED(status) && WEXITSTATUS(status) == 127 ? " (exec failed)" : "");
	if (ptb_ext_parse_report(line, out, err)) {
		if (!clean)
			return ptb_errf(err, "%s %s, and its report is bad", prog, how);
		return -1;
	}
	if (out->error[0])
		return ptb_errf(err, "%s", out->error);
	if (!clean)
		return ptb_errf(err, "%s %s after reporting", prog, how);
	return 0;
}

/* ---- asking a program one line -------------------------------------------- */

/* In the child of ptb_ext_ask: stdout (and stderr, or /dev/null) into the
 * pipe, die with the caller, exec. */
static void ask_child(char *const argv[], int out_fd, bool with_stderr, pid_t parent)
{
	int err_fd = with_stderr ? out_fd : open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (err_fd < 0 || dup2(out_fd, STDOUT_FILENO) < 0 || dup2(err_fd, STDERR_FILENO) < 0)
		_exit(127);
	if (!ptb_child_die_with(parent))
		_exit(125);	/* the caller died before we could ask */
	execv(argv[0], argv);
	_exit(127);
}

/* Read fd to its end (the rest of a program's output, so that a program
 * that says more than one line is not stopped by SIGPIPE). */
static void drain(int fd)
{
	char rest[512];
	ssize_t n;
	while ((n = read(fd, rest, sizeof rest)) > 0 || (n < 0 && errno == EINTR))
		;
}

int ptb_ext_ask(char *const argv[], bool with_stderr, char *line, size_t len, int *status)
{
	int pfd[2];
	if (pipe2(pfd, O_CLOEXEC) < 0)
		return -1;
	pid_t parent = getpid(), pid = fork();
	if (pid < 0) {
		int fork_errno = errno;
		close(pfd[0]);
		close(pfd[1]);
		return errno = fork_errno, -1;
	}
	if (pid == 0)
		ask_child(argv, pfd[1], with_stderr, parent);
	close(pfd[1]);
	ssize_t got = read_line(pfd[0], line, len);
	int read_errno = errno;
	if (got >= 0)
		drain(pfd[0]);
	close(pfd[0]);
	while (waitpid(pid, status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return got < 0 ? (errno = read_errno, -1) : 0;
}

int ptb_ext_run(struct ptb_ext_argv *a, struct ptb_sample *out, struct ptb_err *err)
{
	int pfd[2], status = 0;
	char line[PTB_EXT_REPORT_BYTES];
	if (a->overflow || a->argc == 0)
		return ptb_errf(err, "external runner: argument list too long or empty");
	if (pipe2(pfd, O_CLOEXEC) < 0)
		return ptb_errno(err, "pipe2(report)");
	pid_t parent = getpid(), pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return ptb_errno(err, "fork(%s)", base_name(a->argv[0]));
	}
	if (pid == 0) {
		close(pfd[0]);
		exec_child(a, pfd[1], parent);
	}
	close(pfd[1]);
	ssize_t got = read_line(pfd[0], line, sizeof line);
	int read_errno = errno;
	close(pfd[0]);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return ptb_errno(err, "waitpid(%s)", base_name(a->argv[0]));
	}
	a->status = status;
	a->reported = got > 0;
	if (got < 0) {
		errno = read_errno;
		return ptb_errno(err, "read(report of %s)", base_name(a->argv[0]));
	}
	return judge(base_name(a->argv[0]), line, got, status, out, err);
}
