/* helpers.c - the helpers every CUnit suite shares (see helpers.h). */
#include "helpers.h"

#include <CUnit/CUnit.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "fsutil.h"

bool th_check(bool ok, unsigned line, const char *file, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	CU_assertImplementation(ok ? CU_TRUE : CU_FALSE, line, msg, file, "", CU_FALSE);
	return ok;
}

/* ---- files and directories ------------------------------------------ */

int th_mkdtemp(char *buf, size_t len)
{
	const char *base = getenv("TMPDIR");
	if (!base || !*base)
		base = "/tmp";
	if ((size_t)snprintf(buf, len, "%s/ptbtest-XXXXXX", base) >= len)
		return -1;
	if (!mkdtemp(buf)) {
		fprintf(stderr, "mkdtemp(%s): %s\n", buf, strerror(errno));
		return -1;
	}
	return 0;
}

int th_rmtree(const char *path)
{
	struct ptb_err err;
	if (ptb_rm_rf(path, &err)) {
		fprintf(stderr, "%s\n", err.msg);
		return -1;
	}
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct names {
	char **v;
	size_t n, cap;
};

static int names_add(struct names *ns, const char *s)
{
	if (ns->n == ns->cap) {
		size_t cap = ns->cap ? 2 * ns->cap : 32;
		char **v = realloc(ns->v, cap * sizeof *v);
		if (!v)
			return -1;
		ns->v = v;
		ns->cap = cap;
	}
	if (!(ns->v[ns->n] = strdup(s)))
		return -1;
	ns->n++;
	return 0;
}

static void names_free(struct names *ns)
{
	for (size_t i = 0; i < ns->n; i++)
		free(ns->v[i]);
	free(ns->v);
}

/* Collect the relative paths below root/rel (recursively when deep). */
static int collect(const char *root, const char *rel, bool deep, struct names *ns)
{
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s%s%s", root, *rel ? "/" : "", rel);
	DIR *d = opendir(path);
	if (!d)
		return -1;
	int rc = 0;
	struct dirent *e;
	while (rc == 0 && (e = readdir(d))) {
		char sub[PATH_MAX];
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", e->d_name);
		rc = names_add(ns, sub);
		if (rc == 0 && deep && e->d_type == DT_DIR)
			rc = collect(root, sub, deep, ns);
	}
	closedir(d);
	return rc;
}

static int listing(const char *dir, bool deep, char *buf, size_t len)
{
	struct names ns = { 0 };
	size_t used = 0;
	int rc = collect(dir, "", deep, &ns);
	if (rc == 0 && ns.n > 0)
		qsort(ns.v, ns.n, sizeof *ns.v, cmp_str);
	buf[0] = '\0';
	for (size_t i = 0; rc == 0 && i < ns.n; i++) {
		int n = snprintf(buf + used, len - used, "%s\n", ns.v[i]);
		if (n < 0 || (size_t)n >= len - used)
			rc = -1;
		else
			used += (size_t)n;
	}
	names_free(&ns);
	return rc;
}

int th_list_tree(const char *dir, char *buf, size_t len)
{
	return listing(dir, true, buf, len);
}

int th_list_dir(const char *dir, char *buf, size_t len)
{
	return listing(dir, false, buf, len);
}

static bool has_line(const char *text, const char *line, size_t n)
{
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		size_t m = nl ? (size_t)(nl - p) : strlen(p);
		if (m == n && strncmp(p, line, n) == 0)
			return true;
		p += m + (nl ? 1 : 0);
	}
	return false;
}

int th_new_names(const char *before, const char *after, char *buf, size_t len)
{
	int count = 0;
	size_t used = 0;
	buf[0] = '\0';
	for (const char *p = after; *p;) {
		const char *nl = strchr(p, '\n');
		size_t m = nl ? (size_t)(nl - p) : strlen(p);
		if (!has_line(before, p, m)) {
			count++;
			if (used < len)
				used += (size_t)snprintf(buf + used, len - used, "%.*s\n", (int)m, p);
		}
		p += m + (nl ? 1 : 0);
	}
	return count;
}

int th_common_names(const char *names, const char *listing, char *buf, size_t len)
{
	int count = 0;
	size_t used = 0;
	buf[0] = '\0';
	for (const char *p = names; *p;) {
		const char *nl = strchr(p, '\n');
		size_t m = nl ? (size_t)(nl - p) : strlen(p);
		if (has_line(listing, p, m)) {
			count++;
			if (used < len)
				used += (size_t)snprintf(buf + used, len - used, "%.*s\n", (int)m, p);
		}
		p += m + (nl ? 1 : 0);
	}
	return count;
}

#define LEFT_LISTING_BYTES 65536
#define SETTLE_NS 100000000L

int th_left_in_dir(const char *dir, const char *before, char *buf, size_t len)
{
	static char after[LEFT_LISTING_BYTES], later[LEFT_LISTING_BYTES], fresh[LEFT_LISTING_BYTES];
	struct timespec settle = { 0, SETTLE_NS };
	buf[0] = '\0';
	if (th_list_dir(dir, after, sizeof after))
		return -1;
	if (th_new_names(before, after, fresh, sizeof fresh) == 0)
		return 0;
	nanosleep(&settle, NULL);
	if (th_list_dir(dir, later, sizeof later))
		return -1;
	return th_common_names(fresh, later, buf, len);
}

char *th_read_file(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	size_t cap = 4096, used = 0;
	char *buf = malloc(cap);
	ssize_t n = 0;
	while (buf && (n = read(fd, buf + used, cap - used - 1)) > 0) {
		used += (size_t)n;
		if (cap - used < 2) {
			char *more = realloc(buf, cap *= 2);
			if (!more)
				free(buf);
			buf = more;
		}
	}
	close(fd);
	if (!buf || n < 0) {
		free(buf);
		return NULL;
	}
	buf[used] = '\0';
	if (len)
		*len = used;
	return buf;
}

bool th_exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

/* ---- processes ---------------------------------------------------------- */

static pid_t ppid_of(const char *pid_dir)
{
	char path[PATH_MAX], *text, *p;
	pid_t ppid = -1;
	snprintf(path, sizeof path, "/proc/%s/status", pid_dir);
	if (!(text = th_read_file(path, NULL)))
		return -1;	/* gone meanwhile */
	if ((p = strstr(text, "\nPPid:")))
		ppid = (pid_t)strtol(p + 6, NULL, 10);
	free(text);
	return ppid;
}

int th_count_children_of(pid_t parent)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int count = 0;
	if (!d)
		return -1;
	while ((e = readdir(d))) {
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		if (ppid_of(e->d_name) == parent)
			count++;
	}
	closedir(d);
	return count;
}

bool th_no_children(void)
{
	int status;
	errno = 0;
	pid_t got = waitpid(-1, &status, WNOHANG);
	bool none = got < 0 && errno == ECHILD;
	if (got > 0)
		fprintf(stderr, "leftover child %ld reaped by the test\n", (long)got);
	return none && th_count_children_of(getpid()) == 0;
}

static char ptbench_path[PATH_MAX], root_path[PATH_MAX];

int th_init(void)
{
	const char *p = getenv("PTBENCH");
	if (!p || !*p)
		p = "build/ptbench";
	if (!realpath(p, ptbench_path)) {
		fprintf(stderr, "ptbench binary '%s': %s (set PTBENCH or run make)\n", p,
			strerror(errno));
		return -1;
	}
	if (!realpath(".", root_path)) {
		fprintf(stderr, "the current directory: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

const char *th_ptbench(void)
{
	return ptbench_path;
}

const char *th_root(void)
{
	return root_path;
}

static void child_exec(const char *path, const char *cwd, char *const argv[], int out_fd,
		       int err_fd)
{
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);
	if (setpgid(0, 0) < 0 || chdir(cwd) < 0 || dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0)
		_exit(126);
	execv(path, argv);
	_exit(127);
}

static int temp_fd(void)
{
	const char *base = getenv("TMPDIR");
	return open(base && *base ? base : "/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
}

/* Start path with args in cwd (see th_spawn_ptbench). */
static int spawn_program(const char *path, const char *cwd, char *const args[],
			 struct th_spawn *sp)
{
	sp->out_fd = temp_fd();
	sp->err_fd = temp_fd();
	if (sp->out_fd < 0 || sp->err_fd < 0) {
		perror("open(O_TMPFILE)");
		return -1;
	}
	fflush(NULL);
	sp->pid = fork();
	if (sp->pid < 0) {
		perror("fork");
		return -1;
	}
	if (sp->pid == 0)
		child_exec(path, cwd, args, sp->out_fd, sp->err_fd);
	setpgid(sp->pid, sp->pid);	/* also in the child: whichever runs first */
	return 0;
}

int th_spawn_ptbench(const char *cwd, char *const argv[], struct th_spawn *sp)
{
	char *args[64];
	int n = 0;
	args[n++] = "ptbench";
	for (int i = 1; argv[i] && n < 63; i++)
		args[n++] = argv[i];
	args[n] = NULL;
	return spawn_program(ptbench_path, cwd, args, sp);
}

static char *slurp_fd(int fd)
{
	char *buf = NULL;
	off_t size = lseek(fd, 0, SEEK_END);
	if (size >= 0 && lseek(fd, 0, SEEK_SET) == 0 && (buf = malloc((size_t)size + 1))) {
		ssize_t n = ptb_read_full(fd, buf, (size_t)size);
		buf[n > 0 ? n : 0] = '\0';
	}
	close(fd);
	return buf;
}

int th_wait_ptbench(struct th_spawn *sp, int *status, char **out, char **err)
{
	pid_t got;
	while ((got = waitpid(sp->pid, status, 0)) < 0 && errno == EINTR)
		;
	char *o = slurp_fd(sp->out_fd), *e = slurp_fd(sp->err_fd);
	if (out)
		*out = o;
	else
		free(o);
	if (err)
		*err = e;
	else
		free(e);
	return got == sp->pid ? 0 : -1;
}

int th_run_ptbench(const char *cwd, char *const argv[], int *status, char **out, char **err)
{
	struct th_spawn sp;
	if (th_spawn_ptbench(cwd, argv, &sp))
		return -1;
	return th_wait_ptbench(&sp, status, out, err);
}

int th_run_program(const char *cwd, char *const argv[], int *status, char **out, char **err)
{
	struct th_spawn sp;
	if (spawn_program(argv[0], cwd, argv, &sp))
		return -1;
	return th_wait_ptbench(&sp, status, out, err);
}

int th_count_lines(const char *s)
{
	int n = 0;
	if (!s)
		return -1;
	for (const char *p = s; *p; p++)
		n += *p == '\n';
	if (*s && s[strlen(s) - 1] != '\n')
		n++;
	return n;
}

/* ---- CSV ---------------------------------------------------------------- */

const char *th_note(const char *notes, const char *key, char *buf, size_t len)
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

long long th_note_num(const char *notes, const char *key)
{
	char buf[64], *end;
	if (!th_note(notes, key, buf, sizeof buf) || !buf[0])
		return -1;
	long long v = strtoll(buf, &end, 10);
	return *end ? -1 : v;
}

/* One field at text[*pos]; appends it to r->buf.  Returns the character
 * that ended it (',' or '\n'), or -1 when malformed or incomplete. */
static int csv_field(const char *text, size_t len, size_t *pos, struct th_record *r, size_t *used)
{
	size_t i = *pos;
	bool quoted = i < len && text[i] == '"';
	int end = -1;
	if (quoted)
		i++;
	while (i < len) {
		char c = text[i++];
		if (quoted && c == '"') {
			if (i < len && text[i] == '"') {
				i++;	/* "" is one quote */
			} else {
				quoted = false;
				if (i < len && (text[i] == ',' || text[i] == '\n'))
					continue;
				if (i + 1 < len && text[i] == '\r' && text[i + 1] == '\n')
					continue;
				return -1;	/* text after the closing quote */
			}
		} else if (!quoted && c == '"') {
			return -1;
		} else if (!quoted && (c == ',' || c == '\n')) {
			end = c;
			break;
		} else if (!quoted && c == '\r' && i < len && text[i] == '\n') {
			continue;	/* CRLF: the \n ends the record */
		}
		if (*used + 1 >= sizeof r->buf)
			return -1;
		r->buf[(*used)++] = c;
	}
	if (end < 0)
		return -1;	/* no terminating newline, or an open quote */
	r->buf[(*used)++] = '\0';
	*pos = i;
	return end;
}

int th_csv_next(const char *text, size_t len, size_t *pos, struct th_record *r)
{
	size_t used = 0;
	r->nfields = 0;
	if (*pos >= len)
		return 0;
	for (;;) {
		if (r->nfields == TH_MAX_FIELDS)
			return -1;
		r->field[r->nfields] = r->buf + used;
		int end = csv_field(text, len, pos, r, &used);
		if (end < 0)
			return -1;
		r->nfields++;
		if (end == '\n')
			return 1;
	}
}
