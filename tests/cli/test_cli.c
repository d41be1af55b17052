/* test_cli.c - build/ptbench as a user meets it, run as a subprocess in a
 * fresh temporary directory as its cwd.  Every bad input must exit 2
 * with exactly one line on stderr and create nothing (no output file, no
 * meta, no results/ directory, no ptbench-* tmpdir); --version, --help
 * and list exit 0; a tiny good run writes the header, one complete row
 * per repetition and model, and the meta, and removes its tmpdir; another
 * run's removal of stale tmpdirs spares a live run's, also from another
 * PID namespace (where the live run's PID means nothing). */
#include <CUnit/CUnit.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "csv.h"
#include "helpers.h"
#include "model.h"
#include "registry.h"
#include "suites.h"

#define LISTING_BYTES 4096

/* What the cwd holds before ptbench starts. */
enum setup { EMPTY, OUTPUT_EXISTS, OUTPUT_IS_DIR };

struct bad_case {
	const char *what;
	enum setup setup;
	const char *argv[24];	/* after argv[0]; NULL-terminated */
};

#define RUN "run", "-q", "--tmpdir", ".", "--warmup", "0", "-r", "1"
#define OUT "-o", "out.csv"

static const struct bad_case bad_cases[] = {
	{ "unknown workload", EMPTY, { RUN, OUT, "-w", "bogus", NULL } },
	{ "unknown workload in a list", EMPTY, { RUN, OUT, "-w", "cpu,bogus", NULL } },
	{ "workload listed twice", EMPTY, { RUN, OUT, "-w", "cpu,cpu", NULL } },
	{ "unknown model", EMPTY, { RUN, OUT, "-m", "bogus", NULL } },
	{ "unknown option", EMPTY, { RUN, OUT, "--bogus", "3", NULL } },
	{ "unknown short option", EMPTY, { RUN, OUT, "-z", NULL } },
	{ "-n 0", EMPTY, { RUN, OUT, "-n", "0", NULL } },
	{ "-n abc", EMPTY, { RUN, OUT, "-n", "abc", NULL } },
	{ "--steps 1e30", EMPTY, { RUN, OUT, "-w", "cpu", "--steps", "1e30", NULL } },
	{ "--steps -5", EMPTY, { RUN, OUT, "-w", "cpu", "--steps", "-5", NULL } },
	{ "--steps 1.5", EMPTY, { RUN, OUT, "-w", "cpu", "--steps", "1.5", NULL } },
	{ "empty list -n \"\"", EMPTY, { RUN, OUT, "-n", "", NULL } },
	{ "-n 1,,2", EMPTY, { RUN, OUT, "-n", "1,,2", NULL } },
	{ "duplicate option -r 3 -r 4", EMPTY,
	  { "run", "-q", "--tmpdir", ".", OUT, "-r", "3", "-r", "4", NULL } },
	{ "option missing its value", EMPTY, { RUN, OUT, "-n", NULL } },
	{ "option not of the selected workload", EMPTY, { RUN, OUT, "-w", "cpu", "--files", "3", NULL } },
	{ "output in a missing directory", EMPTY, { RUN, "-o", "missing/out.csv", NULL } },
	{ "output is an existing directory", OUTPUT_IS_DIR, { RUN, OUT, NULL } },
	{ "output exists, no --force", OUTPUT_EXISTS, { RUN, OUT, NULL } },
	{ "--tmpdir that does not exist", EMPTY,
	  { "run", "-q", "--tmpdir", "missing", OUT, "-r", "1", "--warmup", "0", NULL } },
	{ "--lock bogus", EMPTY, { RUN, OUT, "-w", "counter", "--lock", "bogus", NULL } },
	{ "--submit bogus", EMPTY, { RUN, OUT, "-m", "threadpool", "--submit", "bogus", NULL } },
	{ "unknown command", EMPTY, { "bogus", NULL } },
	{ "too many workers", EMPTY, { RUN, OUT, "-n", "5000", NULL } },
	{ "model listed twice", EMPTY, { RUN, OUT, "-m", "thread,thread", NULL } },
	{ "model that cannot run the workload", EMPTY, { RUN, OUT, "-w", "cpu", "-m", "vfork", NULL } },
	{ "not enough disk for copy", EMPTY,
	  { RUN, OUT, "-w", "copy", "--files", "100000", "--file-size", "1G", NULL } },
	{ "not enough memory for footprint", EMPTY,
	  { RUN, OUT, "-w", "footprint", "--touch-mb", "1048576", "-n", "8", NULL } },
	{ "bad input without -o: no results/ either", EMPTY,
	  { "run", "-q", "--tmpdir", ".", "-n", "0", NULL } },
	{ "bad workload value without -o", EMPTY,
	  { "run", "-q", "--tmpdir", ".", "-w", "counter", "--iters", "0", NULL } },
	{ "a family word for a model", EMPTY, { RUN, OUT, "-m", "process", NULL } },
	{ "a misspelt model", EMPTY, { RUN, OUT, "-m", "frok", NULL } },
};

#define EXISTING_CONTENT "not ptbench's\n"

static bool set_up(const char *dir, enum setup setup)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/out.csv", dir);
	if (setup == OUTPUT_IS_DIR)
		return mkdir(path, 0700) == 0;
	if (setup == OUTPUT_EXISTS) {
		FILE *f = fopen(path, "w");
		if (!f)
			return false;
		fputs(EXISTING_CONTENT, f);
		return fclose(f) == 0;
	}
	return true;
}

/* The cwd must hold exactly what set_up put there, unchanged. */
static void check_untouched(const char *dir, enum setup setup, const char *what)
{
	char tree[LISTING_BYTES], path[4096];
	const char *want = setup == EMPTY ? "" : "out.csv\n";
	TH_CHECK(th_list_tree(dir, tree, sizeof tree) == 0 && strcmp(tree, want) == 0,
		 "%s: the cwd holds [%s], want [%s]", what, tree, want);
	snprintf(path, sizeof path, "%s/out.csv", dir);
	if (setup == OUTPUT_EXISTS) {
		char *text = th_read_file(path, NULL);
		TH_CHECK(text && strcmp(text, EXISTING_CONTENT) == 0, "%s: out.csv was changed", what);
		free(text);
	}
}

static void run_bad_case(const struct bad_case *c)
{
	char dir[1024], *err = NULL;
	char *argv[26] = { "ptbench" };
	int status = 0, n = 1;
	for (int i = 0; c->argv[i] && n < 25; i++)
		argv[n++] = (char *)c->argv[i];
	argv[n] = NULL;
	if (!TH_CHECK(th_mkdtemp(dir, sizeof dir) == 0, "mkdtemp"))
		return;
	if (TH_CHECK(set_up(dir, c->setup), "%s: setting up the cwd", c->what) &&
	    TH_CHECK(th_run_ptbench(dir, argv, &status, NULL, &err) == 0, "%s: running ptbench",
		     c->what)) {
		TH_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 2,
			 "%s: wait status %#x, want exit 2", c->what, status);
		TH_CHECK(th_count_lines(err) == 1, "%s: %d lines on stderr, want 1:\n%s", c->what,
			 th_count_lines(err), err ? err : "");
		check_untouched(dir, c->setup, c->what);
		TH_CHECK(th_no_children(), "%s: a child process is left", c->what);
	}
	free(err);
	th_rmtree(dir);
}

static void test_bad_input(void)
{
	CU_ASSERT_FATAL(th_ptbench()[0] != '\0');
	for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++)
		run_bad_case(&bad_cases[i]);
}

/* ptbench with argv in a fresh empty cwd; returns its stdout (malloc'd)
 * when it exits 0 and leaves the cwd empty, else NULL. */
static char *run_informational(char *const argv[], const char *what)
{
	char dir[1024], tree[LISTING_BYTES], *out = NULL;
	int status = 0;
	if (!TH_CHECK(th_mkdtemp(dir, sizeof dir) == 0, "mkdtemp"))
		return NULL;
	if (TH_CHECK(th_run_ptbench(dir, argv, &status, &out, NULL) == 0, "%s: running", what)) {
		TH_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s: wait status %#x", what,
			 status);
		TH_CHECK(th_list_tree(dir, tree, sizeof tree) == 0 && tree[0] == '\0',
			 "%s: wrote [%s]", what, tree);
	}
	th_rmtree(dir);
	return out;
}

static void test_version_help_list(void)
{
	char *version = run_informational((char *[]){ "ptbench", "--version", NULL }, "--version");
	TH_CHECK(version && strncmp(version, "ptbench ", 8) == 0, "--version printed '%s'",
		 version ? version : "");
	free(version);
	char *help = run_informational((char *[]){ "ptbench", "--help", NULL }, "--help");
	TH_CHECK(help && strstr(help, "Usage:") != NULL, "--help printed no usage");
	free(help);
	char *list = run_informational((char *[]){ "ptbench", "list", NULL }, "list");
	CU_ASSERT_PTR_NOT_NULL_FATAL(list);
	for (unsigned w = 0; w < ptb_nworkloads; w++)
		TH_CHECK(strstr(list, ptb_workloads[w]->name) != NULL, "list lacks workload %s",
			 ptb_workloads[w]->name);
	for (unsigned m = 0; m < ptb_nmodels; m++)
		TH_CHECK(strstr(list, ptb_models[m]->name) != NULL, "list lacks model %s",
			 ptb_models[m]->name);
	free(list);
}

/* The rows of a good run's CSV: header first, then complete records. */
static void check_good_csv(const char *text, size_t len)
{
	static struct th_record head, r;
	size_t pos = 0;
	int rows = 0, thread_rows = 0, fork_rows = 0, rc;
	enum { WORKLOAD, MODEL, WORKERS, RESULT, OK, NCOLS };
	static const char *const names[NCOLS] = { "workload", "model", "workers", "result", "ok" };
	int col[NCOLS];
	CU_ASSERT_FATAL(th_csv_next(text, len, &pos, &head) == 1);
	CU_ASSERT_EQUAL(head.nfields, PTB_CSV_COLUMNS);
	CU_ASSERT_STRING_EQUAL(head.field[0], "run_id");
	for (int c = 0; c < NCOLS; c++) {
		for (col[c] = 0; col[c] < head.nfields && strcmp(head.field[col[c]], names[c]); col[c]++)
			;
		CU_ASSERT_FATAL(col[c] < head.nfields);
	}
	while ((rc = th_csv_next(text, len, &pos, &r)) == 1) {
		rows++;
		if (!TH_CHECK(r.nfields == PTB_CSV_COLUMNS, "row %d: %d fields", rows, r.nfields))
			continue;
		const char *model = r.field[col[MODEL]];
		thread_rows += strcmp(model, "thread") == 0;
		fork_rows += strcmp(model, "fork") == 0;
		TH_CHECK(strcmp(r.field[col[WORKLOAD]], "cpu") == 0, "row %d: workload '%s'", rows,
			 r.field[col[WORKLOAD]]);
		TH_CHECK(strcmp(r.field[col[WORKERS]], "1") == 0, "row %d: workers '%s'", rows,
			 r.field[col[WORKERS]]);
		TH_CHECK(strcmp(r.field[col[RESULT]], "1000") == 0, "row %d: result '%s'", rows,
			 r.field[col[RESULT]]);
		TH_CHECK(strcmp(r.field[col[OK]], "1") == 0, "row %d: ok '%s'", rows, r.field[col[OK]]);
	}
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_EQUAL(rows, 4);
	CU_ASSERT_EQUAL(thread_rows, 2);
	CU_ASSERT_EQUAL(fork_rows, 2);
}

static void test_good_run(void)
{
	char dir[1024], path[4096], tree[LISTING_BYTES];
	int status = 0;
	char *argv[] = { "ptbench", "run", "-w", "cpu", "-m", "thread,fork", "-n", "1", "-r", "2",
			 "--warmup", "0", "--steps", "1000", "-o", "good.csv", "--tmpdir", "tmp",
			 NULL };
	CU_ASSERT_FATAL(th_mkdtemp(dir, sizeof dir) == 0);
	snprintf(path, sizeof path, "%s/tmp", dir);
	CU_ASSERT_FATAL(mkdir(path, 0700) == 0);
	CU_ASSERT_FATAL(th_run_ptbench(dir, argv, &status, NULL, NULL) == 0);
	TH_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "wait status %#x, want exit 0",
		 status);
	TH_CHECK(th_no_children(), "a child process is left");
	TH_CHECK(th_list_tree(dir, tree, sizeof tree) == 0 &&
			 strcmp(tree, "good.csv\ngood.meta.json\ntmp\n") == 0,
		 "the cwd holds [%s], want good.csv, good.meta.json and an empty tmp", tree);
	size_t len = 0;
	snprintf(path, sizeof path, "%s/good.csv", dir);
	char *csv = th_read_file(path, &len);
	if (TH_CHECK(csv != NULL, "good.csv unreadable"))
		check_good_csv(csv, len);
	free(csv);
	snprintf(path, sizeof path, "%s/good.meta.json", dir);
	char *meta = th_read_file(path, NULL);
	TH_CHECK(meta && strstr(meta, "\"schema_version\"") && strstr(meta, "\"complete\""),
		 "good.meta.json lacks schema_version or status complete");
	free(meta);
	th_rmtree(dir);
}

/* A PID that no process has now: a child that exited and was reaped. */
static pid_t dead_pid(void)
{
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	return pid;
}

/* Wait (2 minutes at most: a safety net) for dir to hold an entry whose
 * name starts with prefix; its path into path. */
static bool wait_for_entry(const char *dir, const char *prefix, char *path, size_t len)
{
	char names[LISTING_BYTES];
	for (int i = 0; i < 6000; i++) {
		if (th_list_dir(dir, names, sizeof names) == 0) {
			for (char *line = strtok(names, "\n"); line; line = strtok(NULL, "\n"))
				if (strncmp(line, prefix, strlen(prefix)) == 0) {
					snprintf(path, len, "%s/%s", dir, line);
					return true;
				}
		}
		nanosleep(&(struct timespec){ 0, 20000000L }, NULL);
	}
	return false;
}

/* A second run (ns_argv: unshare --pid --fork PTBENCH run ...) in a new PID
 * namespace where the kernel lets us make one (root), else in ours; true
 * when it ran in one.  unshare(1) exits 1 saying "unshare failed" when it
 * may not. */
static bool run_cleaner(const char *cwd, char *const ns_argv[], int *status, char **err)
{
	if (th_run_program(cwd, ns_argv, status, NULL, err) == 0 &&
	    !(WIFEXITED(*status) && WEXITSTATUS(*status) == 1 && *err && strstr(*err, "unshare failed")))
		return true;
	free(*err);
	*err = NULL;
	if (th_run_ptbench(cwd, ns_argv + 3, status, NULL, err))
		*status = -1;
	return false;
}

static void test_live_tmpdir_survives_cleanup(void)
{
	char base[1024], tmp[2048], stale[4096], held[4096], live[4096], prefix[64], *err = NULL;
	int status = 0, a_status = 0;
	struct th_spawn a;
	pid_t gone = dead_pid();
	CU_ASSERT_FATAL(gone > 0 && th_mkdtemp(base, sizeof base) == 0);
	snprintf(tmp, sizeof tmp, "%s/tmp", base);
	snprintf(stale, sizeof stale, "%s/ptbench-run-%ld-stale0", tmp, (long)gone);
	snprintf(held, sizeof held, "%s/ptbench-run-%ld-held00", tmp, (long)gone);
	CU_ASSERT_FATAL(mkdir(tmp, 0700) == 0 && mkdir(stale, 0700) == 0 && mkdir(held, 0700) == 0);
	/* held: a live run as another PID namespace shows it, its PID gone here */
	int held_fd = open(held, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	CU_ASSERT_FATAL(held_fd >= 0 && flock(held_fd, LOCK_EX) == 0);
	char *argv[] = { "ptbench", "run", "-q", "-w", "cpu", "-m", "thread", "-n", "1", "-r", "1",
			 "--warmup", "0", "--steps", "1e13", "-o", "a.csv", "--tmpdir", tmp, NULL };
	CU_ASSERT_FATAL(th_spawn_ptbench(base, argv, &a) == 0);
	snprintf(prefix, sizeof prefix, "ptbench-run-%ld-", (long)a.pid);
	bool started = wait_for_entry(tmp, prefix, live, sizeof live);
	TH_CHECK(started, "the live run's %s* never appeared in %s", prefix, tmp);
	char *ns_argv[] = { "/usr/bin/unshare", "--pid", "--fork", (char *)th_ptbench(), "run", "-q",
			    "-w", "cpu", "-m", "thread", "-n", "1", "-r", "1", "--warmup", "0",
			    "--steps", "1000", "-o", "b.csv", "--tmpdir", tmp, NULL };
	bool in_ns = started && run_cleaner(base, ns_argv, &status, &err);
	if (started) {
		TH_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the second run: status %#x; %s",
			 status, err ? err : "");
		TH_CHECK(th_exists(live), "the second run (%s) removed the live run's %s",
			 in_ns ? "in a new PID namespace" : "in this PID namespace", live);
	}
	TH_CHECK(th_exists(held), "a locked tmpdir whose PID is gone was removed: %s", held);
	TH_CHECK(!th_exists(stale), "an unlocked stale tmpdir was kept: %s", stale);
	if (!in_ns)
		printf("\n  (no PID namespace here: the live run was seen from this one)\n");
	kill(a.pid, SIGINT);
	CU_ASSERT_FATAL(th_wait_ptbench(&a, &a_status, NULL, NULL) == 0);
	TH_CHECK(WIFEXITED(a_status) && WEXITSTATUS(a_status) == 130, "the live run: status %#x",
		 a_status);
	TH_CHECK(!th_exists(live), "the live run left %s", live);
	close(held_fd);
	free(err);
	th_rmtree(base);
}

/* ptbench argv (after "ptbench") in a fresh cwd: exit status, stdout,
 * stderr and what the cwd holds afterwards (all malloc'd or in tree). */
static int run_in_fresh_dir(char *const argv[], char **out, char **err, char *tree, size_t len,
			    double *seconds)
{
	char dir[1024];
	int status = -1;
	struct timespec t0, t1;
	if (th_mkdtemp(dir, sizeof dir))
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (th_run_ptbench(dir, argv, &status, out, err))
		status = -1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (seconds)
		*seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (tree && th_list_tree(dir, tree, len))
		tree[0] = '\0';
	th_rmtree(dir);
	return status;
}

/* `ptbench --help` names the commands (its "Commands:" block); each one's
 * --help and -h exit 0 with its usage and two or three examples. */
static void test_command_help(void)
{
	char *help = NULL, tree[LISTING_BYTES];
	int status = run_in_fresh_dir((char *[]){ "ptbench", "--help", NULL }, &help, NULL, tree,
				      sizeof tree, NULL);
	CU_ASSERT_FATAL(status == 0 && help);
	char *block = strstr(help, "\nCommands:\n");
	TH_CHECK(block != NULL, "ptbench --help has no Commands: block");
	int ncommands = 0;
	bool seen_run = false, seen_list = false;
	for (char *line = block ? strchr(block + 1, '\n') + 1 : NULL; line && strncmp(line, "  ", 2) == 0;
	     line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		char cmd[32];
		if (sscanf(line, " %31s", cmd) != 1 || strcmp(cmd, "help") == 0)
			continue;
		ncommands++;
		seen_run |= strcmp(cmd, "run") == 0;
		seen_list |= strcmp(cmd, "list") == 0;
		for (int form = 0; form < 2; form++) {
			char *out = NULL, usage[64], example[64];
			const char *flag = form ? "-h" : "--help";
			status = run_in_fresh_dir((char *[]){ "ptbench", cmd, (char *)flag, NULL }, &out,
						  NULL, tree, sizeof tree, NULL);
			TH_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
				 "ptbench %s %s: wait status %#x, want exit 0", cmd, flag, status);
			snprintf(usage, sizeof usage, "Usage: ptbench %s", cmd);
			TH_CHECK(out && strncmp(out, usage, strlen(usage)) == 0,
				 "ptbench %s %s does not start with '%s': %.80s", cmd, flag, usage,
				 out ? out : "");
			TH_CHECK(tree[0] == '\0', "ptbench %s %s wrote [%s]", cmd, flag, tree);
			int examples = 0;
			char *ex = out ? strstr(out, "\nExamples:\n") : NULL;
			snprintf(example, sizeof example, "\n  ptbench %s", cmd);
			for (char *e = ex; e && (e = strstr(e + 1, example));)
				examples++;
			TH_CHECK(examples >= 2 && examples <= 3,
				 "ptbench %s %s: %d examples under Examples:, want 2 or 3", cmd, flag,
				 examples);
			free(out);
		}
	}
	TH_CHECK(seen_run && seen_list && ncommands >= 2, "Commands: lacks run or list");
	free(help);
}

/* Every line of `ptbench list` fits 100 columns (characters, not bytes). */
static void test_list_width(void)
{
	char *out = NULL;
	int status = run_in_fresh_dir((char *[]){ "ptbench", "list", NULL }, &out, NULL, NULL, 0, NULL);
	CU_ASSERT_FATAL(status == 0 && out);
	int lineno = 0;
	for (char *line = out; *line;) {
		size_t n = strcspn(line, "\n"), cols = 0;
		lineno++;
		for (size_t i = 0; i < n; i++)
			cols += ((unsigned char)line[i] & 0xC0) != 0x80;
		TH_CHECK(cols <= 100, "list line %d has %zu columns: %.*s", lineno, cols, (int)n, line);
		line += n + (line[n] == '\n');
	}
	free(out);
}

/* A near miss gets "did you mean"; a family word names its models. */
static void test_did_you_mean(void)
{
	static const struct {
		const char *argv[8], *want[4];
	} cases[] = {
		{ { "run", "--stepz", "5", NULL }, { "did you mean --steps?", NULL } },
		{ { "run", "-m", "frok", NULL }, { "did you mean fork?", NULL } },
		{ { "run", "-w", "coppy", NULL }, { "did you mean copy?", NULL } },
		{ { "rnu", NULL }, { "did you mean run?", NULL } },
		{ { "run", "-m", "process", NULL }, { "fork", "procpool", "pyproc", "spawn" } },
		{ { "run", "-m", "threads", NULL }, { "thread", "threadpool", "pythread", NULL } },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *argv[10] = { "ptbench" }, *err = NULL, tree[LISTING_BYTES];
		for (int a = 0; cases[i].argv[a]; a++)
			argv[a + 1] = (char *)cases[i].argv[a];
		int status = run_in_fresh_dir(argv, NULL, &err, tree, sizeof tree, NULL);
		TH_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 2 && th_count_lines(err) == 1,
			 "ptbench %s %s: status %#x, stderr [%s]", argv[1], argv[2] ? argv[2] : "",
			 status, err ? err : "");
		for (int k = 0; k < 4 && cases[i].want[k]; k++)
			TH_CHECK(err && strstr(err, cases[i].want[k]),
				 "ptbench %s %s: stderr lacks '%s': %s", argv[1], argv[2] ? argv[2] : "",
				 cases[i].want[k], err ? err : "");
		TH_CHECK(tree[0] == '\0', "ptbench %s: wrote [%s]", argv[1], tree);
		free(err);
	}
}

/* --dry-run prints one line per combination and the estimated total,
 * runs nothing (no "rows in" line) and writes nothing. */
static void test_dry_run(void)
{
	char *out = NULL, *err = NULL, tree[LISTING_BYTES];
	double s = 0;
	int status = run_in_fresh_dir((char *[]){ "ptbench", "run", "--dry-run", NULL }, &out, &err,
				      tree, sizeof tree, &s);
	TH_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "--dry-run: status %#x", status);
	TH_CHECK(tree[0] == '\0', "--dry-run wrote [%s]", tree);
	TH_CHECK(err && !strstr(err, "rows in") && !strstr(err, "elapsed"),
		 "--dry-run ran something:\n%s", err ? err : "");
	free(err);
	/* the short plan: cpu at 1 and 2 workers, switch at 2, in thread and fork */
	int combos = 0;
	for (char *line = out; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
		combos += (strncmp(line, "cpu ", 4) == 0 || strncmp(line, "switch ", 7) == 0) &&
			  (strstr(line, " thread ") || strstr(line, " fork "));
	TH_CHECK(combos == 6, "--dry-run printed %d combination lines, want 6:\n%s", combos,
		 out ? out : "");
	TH_CHECK(out && strstr(out, "6 combinations") && strstr(out, "about "),
		 "--dry-run printed no estimated total:\n%s", out ? out : "");
	/* short by plan, not by a clock: its estimated total is under a minute */
	double about_s = -1;
	const char *about = out ? strstr(out, "about ") : NULL;
	TH_CHECK(about && sscanf(about, "about %lf s", &about_s) == 1 && about_s > 0 && about_s < 60,
		 "the plain plan's estimate is %.1f s, want under a minute", about_s);
	free(out);
}

/* A plain `ptbench run` runs the short plan (its length is the dry run's
 * estimate, tested above, not a clock's), prints the summary, and writes
 * ptbench-<stamp>.csv and its meta in the cwd: no results/ directory. */
static void test_plain_run(void)
{
	char *out = NULL, *err = NULL, tree[LISTING_BYTES], csv[64] = "", meta[64] = "";
	double s = 0;
	int status = run_in_fresh_dir((char *[]){ "ptbench", "run", NULL }, &out, &err, tree,
				      sizeof tree, &s);
	TH_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "plain run: status %#x: %s", status,
		 err ? err : "");
	TH_CHECK(sscanf(tree, "%63[^\n]\n%63[^\n]\n", csv, meta) == 2 &&
			 strncmp(csv, "ptbench-", 8) == 0 && strstr(csv, ".csv") &&
			 strncmp(meta, "ptbench-", 8) == 0 && strstr(meta, ".meta.json") &&
			 th_count_lines(tree) == 2,
		 "plain run: the cwd holds [%s], want ptbench-<stamp>.csv and .meta.json", tree);
	TH_CHECK(out && strstr(out, "cpu") && strstr(out, "switch") && strstr(out, "fork"),
		 "plain run: no summary of cpu and switch on stdout:\n%s", out ? out : "");
	free(out);
	free(err);
}

/* Every progress line says how long the run has taken and how long it
 * will still take, as numbers (what the ETA is worth is a unit test of
 * ptb_eta_s on made-up timings, tests/unit/test_estimate.c: a test on a
 * real run's clock would depend on the machine's load). */
static void test_eta(void)
{
	char *err = NULL, tree[LISTING_BYTES];
	double total = 0;
	int lines = 0;
	char *argv[] = { "ptbench", "run", "-w", "cpu", "-m", "thread", "-n", "1", "--warmup", "1",
			 "-r", "3", "--steps", "1e3,2e3", "-o", "eta.csv", "--tmpdir", ".", NULL };
	int status = run_in_fresh_dir(argv, NULL, &err, tree, sizeof tree, &total);
	TH_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "status %#x: %s", status,
		 err ? err : "");
	for (char *line = err; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		double elapsed, eta;
		char *at = strstr(line, "elapsed ");
		if (!at)
			continue;
		lines++;
		TH_CHECK(sscanf(at, "elapsed %lfs ETA %lfs", &elapsed, &eta) == 2 && elapsed >= 0 &&
				 eta >= 0,
			 "a progress line without elapsed and ETA seconds: %.80s", line);
	}
	TH_CHECK(lines > 0, "no progress line on stderr: %s", err ? err : "");
	free(err);
}

int th_add_cli_suite(void)
{
	CU_pSuite s = CU_add_suite("command line", NULL, NULL);
	if (!s || !CU_add_test(s, "bad input: exit 2, one line, nothing written", test_bad_input) ||
	    !CU_add_test(s, "--version, --help and list exit 0", test_version_help_list) ||
	    !CU_add_test(s, "a tiny good run writes header, 4 rows and meta", test_good_run) ||
	    !CU_add_test(s, "a live run's tmpdir survives another run's cleanup",
			 test_live_tmpdir_survives_cleanup) ||
	    !CU_add_test(s, "every command's --help and -h: usage and examples", test_command_help) ||
	    !CU_add_test(s, "list fits 100 columns", test_list_width) ||
	    !CU_add_test(s, "did you mean, and model families", test_did_you_mean) ||
	    !CU_add_test(s, "--dry-run prints the plan, runs and writes nothing", test_dry_run) ||
	    !CU_add_test(s, "a plain run: the short plan, ptbench-<stamp>.csv in the cwd",
			 test_plain_run) ||
	    !CU_add_test(s, "every progress line gives elapsed and ETA seconds", test_eta))
		return -1;
	return 0;
}
