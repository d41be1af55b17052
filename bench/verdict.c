/* verdict.c - pair a run's process and thread measures and have
 * ptb.runverdict judge them (see verdict.h).
 *
 * The child reads the pairs (JSON) from a memfd on its stdin, writes its
 * lines to a memfd on its stdout and the verdicts' JSON list to a third
 * one (--json /dev/fd/3): no pipe to fill, nothing parsed here. */
#include "verdict.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "child.h"
#include "export.h"
#include "fsutil.h"
#include "model.h"
#include "pystats.h"

#define MODULE "ptb.runverdict"
#define MODULE_FILE "ptb/runverdict.py"
#define WHAT "the verdicts (processes ÷ threads)"
#define HIGH_FD 10	/* the child moves its descriptors above 3 first */

struct ptb_verdicts {
	size_t npairs;
	char *lines;	/* one line per pair, NULL when not judged */
	char *json;	/* the JSON list, NULL when not judged */
};

struct pair {
	size_t process, thread;	/* cell indexes */
};

/* ---- pairing ----------------------------------------------------------------- */

static bool same_measure(const struct ptb_cell_stats *a, const struct ptb_cell_stats *b)
{
	return a->workers == b->workers && !strcmp(a->workload, b->workload) &&
	       !strcmp(a->params, b->params) && !strcmp(a->ops_unit, b->ops_unit);
}

/* The cell of c's thread counterpart in c's group (a pool's variant keeps
 * its submit mode: procpool/sync pairs with threadpool/sync); -1: none. */
static long counterpart_of(const struct ptb_summary *s, const struct ptb_cell_stats *c)
{
	const struct ptb_model *m = ptb_model_find(c->model);
	char want[96];
	if (!m || !m->counterpart || strncmp(c->variant, c->model, strlen(c->model)) != 0)
		return -1;
	snprintf(want, sizeof want, "%s%s", m->counterpart, c->variant + strlen(c->model));
	for (size_t j = 0; j < ptb_summary_cells(s); j++) {
		struct ptb_cell_stats t;
		ptb_summary_cell(s, j, &t);
		if (same_measure(c, &t) && !strcmp(t.variant, want))
			return (long)j;
	}
	return -1;
}

/* Every (process cell, thread cell) of s, in the summary's order. */
static struct pair *find_pairs(const struct ptb_summary *s, size_t *n)
{
	size_t cells = ptb_summary_cells(s);
	struct pair *pairs = calloc(cells ? cells : 1, sizeof *pairs);
	*n = 0;
	for (size_t i = 0; pairs && i < cells; i++) {
		struct ptb_cell_stats c;
		ptb_summary_cell(s, i, &c);
		long j = counterpart_of(s, &c);
		if (j >= 0)
			pairs[(*n)++] = (struct pair){ i, (size_t)j };
	}
	return pairs;
}

/* ---- the child's input ---------------------------------------------------------- */

static void put_key(FILE *f, const char *key, const char *value)
{
	fprintf(f, ", \"%s\": ", key);
	ptb_json_str(f, value);
}

static void put_values(FILE *f, const char *key, const struct ptb_cell_stats *c)
{
	fprintf(f, ",\n   \"%s\": [", key);
	for (size_t k = 0; k < c->n; k++) {
		fputs(k ? ", " : "", f);
		ptb_json_num(f, c->values[k]);
	}
	fputc(']', f);
}

static void put_pair(FILE *f, const struct ptb_summary *s, const struct pair *p)
{
	struct ptb_cell_stats pc, tc;
	char unit[80];
	ptb_summary_cell(s, p->process, &pc);
	ptb_summary_cell(s, p->thread, &tc);
	fputs("  {\"workload\": ", f);
	ptb_json_str(f, pc.workload);
	put_key(f, "params", pc.params);
	fprintf(f, ", \"workers\": %u, \"tasks\": %u", pc.workers, pc.tasks);
	put_key(f, "process", pc.variant);
	put_key(f, "thread", tc.variant);
	put_key(f, "measure", ptb_measure_name(pc.measure));
	put_key(f, "unit", ptb_measure_unit(pc.measure, pc.ops_unit, unit, sizeof unit));
	put_key(f, "better", ptb_measure_higher_better(pc.measure) ? "higher" : "lower");
	put_key(f, "op", pc.ops_unit);
	put_values(f, "process_values", &pc);
	put_values(f, "thread_values", &tc);
	fputc('}', f);
}

/* A memfd holding {"pairs": [...]}, at offset 0; -1 on failure. */
static int input_fd(const struct ptb_summary *s, const struct pair *pairs, size_t n)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f)
		return -1;
	fputs("{\"pairs\": [\n", f);
	for (size_t i = 0; i < n; i++) {
		put_pair(f, s, &pairs[i]);
		fputs(i + 1 < n ? ",\n" : "\n", f);
	}
	fputs("]}\n", f);
	int bad = ferror(f);
	if (fclose(f) != 0 || bad) {
		free(text);
		return -1;
	}
	int fd = memfd_create("ptbench-pairs", MFD_CLOEXEC);
	if (fd >= 0 && (ptb_write_all(fd, text, len) || lseek(fd, 0, SEEK_SET) < 0)) {
		close(fd);
		fd = -1;
	}
	free(text);
	return fd;
}

/* ---- the child ------------------------------------------------------------------------ */

/* In the child: fds[0..3) become stdin, stdout and fd 3; die with the
 * parent; exec the module. */
static _Noreturn void child(const int fds[3], pid_t parent, const char *root, const char *py)
{
	static const int target[3] = { STDIN_FILENO, STDOUT_FILENO, 3 };
	int high[3];
	for (int i = 0; i < 3; i++)
		if ((high[i] = fcntl(fds[i], F_DUPFD_CLOEXEC, HIGH_FD)) < 0)
			_exit(127);
	for (int i = 0; i < 3; i++)
		if (dup2(high[i], target[i]) < 0)
			_exit(127);
	if (!ptb_child_die_with(parent))
		_exit(125);
	char *args[] = { "--json", "/dev/fd/3", NULL };
	ptb_pystats_exec(root, py, MODULE, args);
	_exit(127);
}

/* Run the module on the pairs in fds[0]; its exit status, or -1. */
static int run_child(const int fds[3], const char *root, const char *py)
{
	int status;
	pid_t parent = getpid();
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0)
		child(fds, parent, root, py);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* The whole of fd (from offset 0) as a string; NULL on failure. */
static char *slurp(int fd)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		return NULL;
	char *text = malloc((size_t)st.st_size + 1);
	size_t got = 0;
	while (text && got < (size_t)st.st_size) {
		ssize_t r = pread(fd, text + got, (size_t)st.st_size - got, (off_t)got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			free(text);
			return NULL;
		}
		got += (size_t)r;
	}
	if (text)
		text[got] = '\0';
	return text;
}

/* A JSON list as the module writes it: '[' ... ']' (checked, not parsed). */
static bool looks_like_list(char *json)
{
	size_t len = json ? strlen(json) : 0;
	while (len && (json[len - 1] == '\n' || json[len - 1] == ' '))
		json[--len] = '\0';
	return len >= 2 && json[0] == '[' && json[len - 1] == ']';
}

/* Judge the pairs with the module: lines and json set, or a note. */
static void judge(struct ptb_verdicts *v, const struct ptb_summary *s, const struct pair *pairs)
{
	char root[4096], why[512];
	const char *py;
	if (!ptb_pystats_package(MODULE_FILE, root, sizeof root)) {
		ptb_pystats_no_package(MODULE_FILE, why, sizeof why);
		fprintf(stderr, "ptbench: note: %s skipped: %s\n", WHAT, why);
		return;
	}
	if (!(py = ptb_pystats_python())) {
		ptb_pystats_no_python(why, sizeof why);
		fprintf(stderr, "ptbench: note: %s need Python 3 with scipy: %s\n", WHAT, why);
		return;
	}
	int fds[3] = { input_fd(s, pairs, v->npairs), memfd_create("ptbench-lines", MFD_CLOEXEC),
		       memfd_create("ptbench-verdicts", MFD_CLOEXEC) };
	int rc = fds[0] >= 0 && fds[1] >= 0 && fds[2] >= 0 ? run_child(fds, root, py) : -1;
	if (rc == 0) {
		v->lines = slurp(fds[1]);
		v->json = slurp(fds[2]);
	}
	if (rc < 0)
		fprintf(stderr, "ptbench: note: %s: cannot run %s -m %s: %s\n", WHAT, py, MODULE,
			strerror(errno));
	else if (rc > 0 || !v->lines || !looks_like_list(v->json))
		fprintf(stderr, "ptbench: note: %s: %s -m %s failed (status %d)\n", WHAT, py, MODULE, rc);
	if (rc != 0 || !v->lines || !looks_like_list(v->json)) {
		free(v->lines);
		free(v->json);
		v->lines = v->json = NULL;
	}
	for (int i = 0; i < 3; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

/* ---- the interface ------------------------------------------------------------------ */

struct ptb_verdicts *ptb_verdicts_judge(const struct ptb_summary *s)
{
	struct ptb_verdicts *v = calloc(1, sizeof *v);
	struct pair *pairs = v ? find_pairs(s, &v->npairs) : NULL;
	if (!pairs) {
		free(v);
		return NULL;
	}
	if (v->npairs)
		judge(v, s, pairs);
	free(pairs);
	return v;
}

void ptb_verdicts_print(const struct ptb_verdicts *v, FILE *out)
{
	if (!v || !v->lines || !v->lines[0])
		return;
	fprintf(out, "\n%s", v->lines);
}

void ptb_verdicts_markdown(const struct ptb_verdicts *v, FILE *out)
{
	if (!v || !v->lines || !v->lines[0])
		return;
	fputs("\nProcesses ÷ threads (doc/export.md):\n\n", out);
	for (const char *l = v->lines; *l;) {
		size_t n = strcspn(l, "\n");
		fprintf(out, "- %.*s\n", (int)n, l);
		l += n + (l[n] == '\n');
	}
}

const char *ptb_verdicts_json(const struct ptb_verdicts *v)
{
	if (!v)
		return "null";
	if (v->npairs == 0)
		return "[]";
	return v->json ? v->json : "null";
}

void ptb_verdicts_free(struct ptb_verdicts *v)
{
	if (!v)
		return;
	free(v->lines);
	free(v->json);
	free(v);
}
