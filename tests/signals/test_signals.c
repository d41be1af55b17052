/* test_signals.c - Ctrl-C and kill on a running ptbench.
 *
 * ptbench is started from C with default signal dispositions (a shell's
 * background job would start with SIGINT ignored), in its own process
 * group, running slow counter repetitions.  Once its CSV holds a data row
 * it gets SIGINT (or SIGTERM) and must exit 130 (143), keep only complete
 * rows, mark the meta "interrupted", leave no process behind and remove
 * its ptbench-* tmpdir.  The test process is a child subreaper meanwhile,
 * so any worker orphaned by ptbench would become its child and be seen.
 * Last, ptbench is SIGKILLed while it asks its interpreter for the
 * version: the program it asked must die with it. */
#include <CUnit/CUnit.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "csv.h"
#include "helpers.h"
#include "suites.h"

#define POLL_NS 20000000L	/* how often the CSV is looked at */
#define GIVE_UP_POLLS 6000	/* a safety net (2 minutes), not a measurement */

/* Lines of the file that end with '\n'; -1 while it does not exist. */
static int complete_lines(const char *path)
{
	char *text = th_read_file(path, NULL);
	int n = 0;
	if (!text)
		return -1;
	for (const char *p = text; *p; p++)
		n += *p == '\n';
	free(text);
	return n;
}

/* The CSV has a header and at least one data row. */
static bool has_row(const char *csv)
{
	return complete_lines(csv) >= 2;
}

/* Wait until ready(path), or until ptbench (pid) ended. */
static bool wait_until(bool (*ready)(const char *), const char *path, pid_t pid)
{
	struct timespec nap = { 0, POLL_NS };
	for (int i = 0; i < GIVE_UP_POLLS; i++) {
		if (ready(path))
			return true;
		siginfo_t si = { 0 };
		if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) < 0 || si.si_pid == pid)
			return false;	/* it ended (left for the caller to reap) */
		nanosleep(&nap, NULL);
	}
	return false;
}

static void check_csv(const char *csv)
{
	size_t len = 0, pos = 0;
	char *text = th_read_file(csv, &len);
	struct th_record *r = malloc(sizeof *r);
	int records = 0, rc = -1;
	if (TH_CHECK(text && r, "reading %s", csv)) {
		while ((rc = th_csv_next(text, len, &pos, r)) == 1) {
			TH_CHECK(r->nfields == PTB_CSV_COLUMNS, "record %d has %d fields", records,
				 r->nfields);
			records++;
		}
		TH_CHECK(rc == 0, "record %d is incomplete or malformed", records);
		TH_CHECK(records >= 2, "%d records, want the header and at least one row", records);
	}
	free(r);
	free(text);
}

static void interrupt_with(int sig, int want_exit)
{
	char base[1024], dir[4096], csv[4096], meta[4096], tree[4096], *err = NULL;
	int status = 0;
	struct th_spawn sp;
	CU_ASSERT_FATAL(th_mkdtemp(base, sizeof base) == 0);
	snprintf(dir, sizeof dir, "%s/tmp", base);
	snprintf(csv, sizeof csv, "%s/out.csv", base);
	snprintf(meta, sizeof meta, "%s/out.meta.json", base);
	CU_ASSERT_FATAL(mkdir(dir, 0700) == 0);
	CU_ASSERT_FATAL(prctl(PR_SET_CHILD_SUBREAPER, 1) == 0);
	char *argv[] = { "ptbench", "run", "-q", "-w", "counter", "-m", "fork", "-n", "2",
			 "--iters", "1", "--window-us", "300000", "-r", "20", "-o", csv,
			 "--tmpdir", dir, NULL };
	CU_ASSERT_FATAL(th_spawn_ptbench(base, argv, &sp) == 0);
	bool row = wait_until(has_row, csv, sp.pid);
	TH_CHECK(row, "SIG%s: no data row appeared in %s", sigabbrev_np(sig), csv);
	TH_CHECK(kill(sp.pid, row ? sig : SIGKILL) == 0, "kill: %s", strerror(errno));
	CU_ASSERT_FATAL(th_wait_ptbench(&sp, &status, NULL, &err) == 0);
	TH_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == want_exit,
		 "SIG%s: wait status %#x, want exit %d; stderr:\n%s", sigabbrev_np(sig), status,
		 want_exit, err ? err : "");
	TH_CHECK(kill(-sp.pid, 0) < 0 && errno == ESRCH, "a process is left in ptbench's group");
	TH_CHECK(th_no_children(), "SIG%s: a process is left behind", sigabbrev_np(sig));
	check_csv(csv);
	char *m = th_read_file(meta, NULL);
	TH_CHECK(m && strstr(m, "\"interrupted\""), "SIG%s: meta does not say interrupted",
		 sigabbrev_np(sig));
	free(m);
	TH_CHECK(th_list_tree(dir, tree, sizeof tree) == 0 && tree[0] == '\0',
		 "SIG%s: --tmpdir still holds [%s]", sigabbrev_np(sig), tree);
	free(err);
	th_rmtree(base);
}

static void test_sigint(void)
{
	interrupt_with(SIGINT, 130);
}

static void test_sigterm(void)
{
	interrupt_with(SIGTERM, 143);
}

/* An interpreter that says its pid (in dir/pid) and then sleeps SLEEP_S. */
#define SLEEP_S 30
static int write_slow_python(const char *dir, char *path, size_t len)
{
	snprintf(path, len, "%s/python3", dir);
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	fprintf(f, "#!/bin/sh\necho $$ > '%s/pid.part' && mv '%s/pid.part' '%s/pid'\n"
		"exec sleep %d\n", dir, dir, dir, SLEEP_S);
	return fclose(f) == 0 && chmod(path, 0700) == 0 ? 0 : -1;
}

/* ptbench SIGKILLed while it asks its interpreter for the version, before
 * any runner exists: what it asked must die with it (PR_SET_PDEATHSIG), not
 * run on as an orphan.  The test is a child subreaper, so the orphan
 * becomes its child, and its wait status says how it ended: killed at
 * once, or (the bug) exited after its sleep. */
static void test_sigkill_while_asking_python(void)
{
	char base[1024], python[4096], pidfile[4096], csv[4096], *err = NULL, *pid_text;
	int status = 0, asked_status = 0;
	struct th_spawn sp;
	CU_ASSERT_FATAL(th_mkdtemp(base, sizeof base) == 0);
	snprintf(pidfile, sizeof pidfile, "%s/pid", base);
	snprintf(csv, sizeof csv, "%s/out.csv", base);
	CU_ASSERT_FATAL(write_slow_python(base, python, sizeof python) == 0);
	CU_ASSERT_FATAL(prctl(PR_SET_CHILD_SUBREAPER, 1) == 0);
	char *argv[] = { "ptbench", "run", "-q", "-w", "cpu", "-m", "pythread", "-n", "1",
			 "-r", "1", "-o", csv, "--tmpdir", base, NULL };
	CU_ASSERT_FATAL(setenv("PTB_PYTHON", python, 1) == 0);
	int spawned = th_spawn_ptbench(base, argv, &sp);
	unsetenv("PTB_PYTHON");
	CU_ASSERT_FATAL(spawned == 0);
	bool asking = wait_until(th_exists, pidfile, sp.pid);
	TH_CHECK(asking, "ptbench never ran PTB_PYTHON=%s", python);
	TH_CHECK(kill(sp.pid, SIGKILL) == 0, "kill: %s", strerror(errno));
	CU_ASSERT_FATAL(th_wait_ptbench(&sp, &status, NULL, &err) == 0);
	TH_CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
		 "ptbench: wait status %#x, want SIGKILL; stderr:\n%s", status, err ? err : "");
	pid_t asked = (pid_t)((pid_text = th_read_file(pidfile, NULL)) ? atol(pid_text) : 0);
	if (asking && asked > 0) {
		TH_CHECK(waitpid(asked, &asked_status, 0) == asked, "waitpid(%d): %s", (int)asked,
			 strerror(errno));
		TH_CHECK(WIFSIGNALED(asked_status) && WTERMSIG(asked_status) == SIGKILL,
			 "the asked interpreter outlived ptbench: wait status %#x, want SIGKILL",
			 asked_status);
	}
	TH_CHECK(th_no_children(), "a process is left behind");
	free(pid_text);
	free(err);
	th_rmtree(base);
}

int th_add_signal_suite(void)
{
	CU_pSuite s = CU_add_suite("signals", NULL, NULL);
	if (!s || !CU_add_test(s, "SIGINT: exit 130, complete rows, nothing left", test_sigint) ||
	    !CU_add_test(s, "SIGTERM: exit 143, complete rows, nothing left", test_sigterm) ||
	    !CU_add_test(s, "SIGKILL while asking the interpreter: it dies too",
			 test_sigkill_while_asking_python))
		return -1;
	return 0;
}
