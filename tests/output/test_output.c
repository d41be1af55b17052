/* test_output.c - what a run writes: the notes column of the CSV, the
 * driver surviving a run whose runner is killed (crash with threads) and
 * writing that row with result 0 and ok=1, no core file left, and
 * ptb/derived.py (figures from a CSV, exit 2 on bad input). */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include "csv.h"
#include "helpers.h"
#include "suites.h"

/* Run argv (argv[0] a path) in dir; the wait status, -1 when it could
 * not be run. */
static int run_in(const char *dir, char *const argv[], char **out, char **err)
{
	int status = -1;
	return th_run_program(dir, argv, &status, out, err) == 0 ? status : -1;
}

static void test_notes_column(void)
{
	const char *last = strrchr(PTB_CSV_HEADER, ',');
	TH_CHECK(last && strcmp(last, ",notes") == 0, "header ends with '%s'", last ? last : "");
	struct ptb_sample s;
	struct ptb_line l;
	struct ptb_row_key key = { "id", "crash", "thread", "signal=segv", 2, 0 };
	ptb_sample_clear(&s);
	s.has_result = s.ok = true;
	snprintf(s.notes, sizeof s.notes, "signal=SEGV;death=runner killed by SIGSEGV, all");
	ptb_csv_row(&l, &key, &s);
	/* a comma in the notes is quoted: the row keeps its column count */
	TH_CHECK(strstr(l.buf, ",\"signal=SEGV;death=runner killed by SIGSEGV, all\"\n") != NULL,
		 "row '%s'", l.buf);
}

/* Does line (a CSV row) belong to model and end with ",ok,..."?  The
 * fields wanted are found by header position. */
static int column_of(const char *header, const char *name)
{
	int col = 0;
	for (const char *p = header; p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL, col++)
		if (strncmp(p, name, strlen(name)) == 0 && (p[strlen(name)] == ',' || !p[strlen(name)] ||
							     p[strlen(name)] == '\n'))
			return col;
	return -1;
}

static const char *field(const char *line, int col, char *buf, size_t len)
{
	const char *p = line;
	for (int i = 0; i < col && p; i++)
		p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL;
	snprintf(buf, len, "%.*s", p ? (int)strcspn(p, ",\n") : 0, p ? p : "");
	return buf;
}

/* Check the crash CSV: per model, result and ok. */
static void check_crash_csv(const char *text)
{
	int c_model = column_of(text, "model"), c_result = column_of(text, "result"),
	    c_ok = column_of(text, "ok"), rows = 0;
	char model[32], result[32], ok[8];
	for (const char *line = strchr(text, '\n'); line && line[1]; line = strchr(line + 1, '\n')) {
		field(line + 1, c_model, model, sizeof model);
		field(line + 1, c_result, result, sizeof result);
		field(line + 1, c_ok, ok, sizeof ok);
		rows++;
		TH_CHECK(strcmp(ok, "1") == 0, "%s row: ok=%s", model, ok);
		TH_CHECK(strcmp(result, strcmp(model, "thread") == 0 ? "0" : "2") == 0,
			 "%s row: result %s", model, result);
	}
	TH_CHECK(rows == 2, "%d rows, want 2", rows);
}

static void test_driver_survives(void)
{
	char dir[4096], csv[4200], listing[4096], *out = NULL, *err = NULL, *text;
	if (!TH_CHECK(th_mkdtemp(dir, sizeof dir) == 0, "mkdtemp"))
		return;
	char *argv[] = { (char *)th_ptbench(), "run", "-w", "crash", "-m", "thread,fork", "-n", "3",
			 "-r", "1", "--warmup", "0", "-q", "-o", "c.csv", NULL };
	int status = run_in(dir, argv, &out, &err);
	TH_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "ptbench exited %#x: %s", status,
		 err ? err : "");
	snprintf(csv, sizeof csv, "%s/c.csv", dir);
	FILE *f = fopen(csv, "r");
	text = f ? calloc(1, 65536) : NULL;
	if (TH_CHECK(text && fread(text, 1, 65535, f) > 0, "reading %s", csv))
		check_crash_csv(text);
	if (f)
		fclose(f);
	free(text);
	/* no core file: only the CSV and its meta */
	TH_CHECK(th_list_dir(dir, listing, sizeof listing) == 0 &&
		 strcmp(listing, "c.csv\nc.meta.json\n") == 0, "left in the run's directory: %s",
		 listing);
	free(out);
	free(err);
	TH_CHECK(th_rmtree(dir) == 0, "removing %s", dir);
}

static void test_derived(void)
{
	char dir[4096], *out = NULL, *err = NULL;
	if (!TH_CHECK(th_mkdtemp(dir, sizeof dir) == 0, "mkdtemp"))
		return;
	/* python3 -m ptb.derived from the run's directory: the package is
	 * found through PYTHONPATH, the top of the tree */
	if (!TH_CHECK(setenv("PYTHONPATH", th_root(), 1) == 0, "setenv PYTHONPATH"))
		return;
	char *run[] = { (char *)th_ptbench(), "run", "-w", "cpu,share", "-m", "thread,fork", "-n",
			"1,2", "-r", "1", "--warmup", "0", "-q", "--steps", "1000", "--bytes", "64k",
			"-o", "d.csv", NULL };
	char *good[] = { "/usr/bin/python3", "-m", "ptb.derived", "d.csv", NULL };
	char *bad[] = { "/usr/bin/python3", "-m", "ptb.derived", "d.csv", "--cores", "zero", NULL };
	char *missing[] = { "/usr/bin/python3", "-m", "ptb.derived", "nothing.csv", NULL };
	int status = run_in(dir, run, &out, &err);
	TH_CHECK(status == 0, "ptbench exited %#x", status);
	free(out);
	free(err);
	status = run_in(dir, good, &out, &err);
	TH_CHECK(status == 0 && out && strstr(out, "speed-up") && strstr(out, "cpu-util") &&
		 strstr(out, "bytes/s"), "derived.py exited %#x: %s", status, err ? err : "");
	free(out);
	free(err);
	char *const *bads[] = { bad, missing };
	for (int i = 0; i < 2; i++) {
		status = run_in(dir, bads[i], &out, &err);
		TH_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 2 && out && !out[0] && err &&
			 strchr(err, '\n') == err + strlen(err) - 1,
			 "bad input %d: status %#x, stdout '%s', stderr '%s'", i, status, out ? out : "",
			 err ? err : "");
		free(out);
		free(err);
	}
	TH_CHECK(th_rmtree(dir) == 0, "removing %s", dir);
}

int th_add_output_suite(void)
{
	CU_pSuite s = CU_add_suite("output files", NULL, NULL);
	return s && CU_add_test(s, "the notes column", test_notes_column) &&
			       CU_add_test(s, "driver survives a killed runner, no core file",
					   test_driver_survives) &&
			       CU_add_test(s, "python3 -m ptb.derived", test_derived)
		       ? 0
		       : -1;
}
