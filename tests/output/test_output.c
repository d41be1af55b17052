/* test_output.c - what a run writes: the notes column of the CSV, the
 * driver surviving a run whose runner is killed (crash with threads) and
 * writing that row with result 0 and ok=1, no core file left, and
 * ptb/derived.py (figures from a CSV, exit 2 on bad input); the summary
 * (units, three significant digits, n, footprint's PSS, crash's survivors,
 * the legend, one repetition), `-o -`, and the exports' bad input (the
 * exports themselves are parsed back by tests/python/test_export.py). */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include "csv.h"
#include "helpers.h"
#include "suites.h"
#include "summary.h"

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
	 * found through PYTHONPATH, the top of the tree, set for the child only */
	char pythonpath[4200];
	snprintf(pythonpath, sizeof pythonpath, "PYTHONPATH=%s", th_root());
	char *run[] = { (char *)th_ptbench(), "run", "-w", "cpu,share", "-m", "thread,fork", "-n",
			"1,2", "-r", "1", "--warmup", "0", "-q", "--steps", "1000", "--bytes", "64k",
			"-o", "d.csv", NULL };
	char *good[] = { "/usr/bin/env", pythonpath, "/usr/bin/python3", "-m", "ptb.derived", "d.csv", NULL };
	char *bad[] = { "/usr/bin/env", pythonpath, "/usr/bin/python3", "-m", "ptb.derived", "d.csv", "--cores", "zero", NULL };
	char *missing[] = { "/usr/bin/env", pythonpath, "/usr/bin/python3", "-m", "ptb.derived", "nothing.csv", NULL };
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

/* ---- the summary ---------------------------------------------------------- */

static char *summary_text(struct ptb_summary *s)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	CU_ASSERT_FATAL(f != NULL);
	ptb_summary_print(s, f);
	fclose(f);
	ptb_summary_free(s);
	return text;
}

static void add(struct ptb_summary *s, const char *wl, const char *unit, enum ptb_measure m,
		unsigned workers, const char *model, double nspo, double result, double pss_kb)
{
	struct ptb_summary_rep r = { .workload = wl, .ops_unit = unit, .params = "k=1",
				     .variant = model, .model = model, .workers = workers,
				     .tasks = workers, .measure = m, .ok = true, .ns_per_op = nspo,
				     .result = result, .pss_kb = pss_kb };
	CU_ASSERT(ptb_summary_record(s, &r) == 0);
}

static void test_summary_units(void)
{
	struct ptb_summary *s = ptb_summary_new();
	for (int i = 0; i < 5; i++) {
		/* 25790 ns: 25.8 µs, not 2.579e+04; 1.697 and 1.7 both with 3 digits */
		add(s, "create", "creation", PTB_MEASURE_TIME, 1, "thread", 25790 + i, 1, -1);
		add(s, "create", "creation", PTB_MEASURE_TIME, 1, "fork", 1.697e9, 1, -1);
		add(s, "switch", "round trip", PTB_MEASURE_TIME, 2, "thread", 1.7, 1, -1);
		/* 1 ns/byte = 1 GB/s */
		add(s, "copy", "byte", PTB_MEASURE_RATE, 1, "thread", 1.0, 1, -1);
		add(s, "copy", "byte", PTB_MEASURE_RATE, 2, "thread", 0.96, 1, -1);
		/* 2 workers, 1000 KiB in all: 512 kB each */
		add(s, "footprint", "worker", PTB_MEASURE_PSS, 1, "thread", 5.0, 900, 800);
		add(s, "footprint", "worker", PTB_MEASURE_PSS, 2, "thread", 1.0, 900, 1000);
		add(s, "crash", "task", PTB_MEASURE_SURVIVORS, 3, "fork", NAN, 2, -1);
		add(s, "crash", "task", PTB_MEASURE_SURVIVORS, 3, "thread", NAN, 0, -1);
	}
	char *text = summary_text(s);
	const char *want[] = { " 25.8 µs ", " 1.70 s ", " 1.70 ns ", " 1.00 GB/s ", " 1.04 GB/s ",
			       " 1.04x ", " 512 kB ", "2 of 3", "0 of 3", " 5 ", "\nn: repetitions",
			       "/thread: ", "speed-up: ", "!: " };
	for (size_t i = 0; i < sizeof want / sizeof *want; i++)
		TH_CHECK(strstr(text, want[i]) != NULL, "no '%s' in the summary:\n%s", want[i], text);
	const char *never[] = { "e+0", "nan", "1.697", "1.7 ", "machine's speed changed" };
	for (size_t i = 0; i < sizeof never / sizeof *never; i++)
		TH_CHECK(strstr(text, never[i]) == NULL, "'%s' in the summary:\n%s", never[i], text);
	/* footprint: no speed-up from its time (5 ns at 1 worker, 1 at 2) */
	const char *fp = strstr(text, "footprint k=1, workers=2");
	TH_CHECK(fp && !strstr(fp, "5.00x"), "footprint shows a speed-up:\n%s", text);
	free(text);
}

static void test_summary_one_rep(void)
{
	struct ptb_summary *s = ptb_summary_new();
	add(s, "cpu", "step", PTB_MEASURE_TIME, 1, "thread", 4.035, 1, -1);
	char *text = summary_text(s);
	TH_CHECK(strstr(text, "no spread") && !strstr(text, ".. 4.0"), "summary:\n%s", text);
	free(text);
}

/* A run's summary from the binary: crash shows survivors, not nan. */
static void test_summary_crash_run(void)
{
	char dir[4096], *out = NULL, *err = NULL;
	if (!TH_CHECK(th_mkdtemp(dir, sizeof dir) == 0, "mkdtemp"))
		return;
	char *argv[] = { (char *)th_ptbench(), "run", "-w", "crash,footprint", "-m", "thread,fork",
			 "-n", "1,2", "-r", "1", "--warmup", "0", "-q", "-o", "c.csv", NULL };
	int status = run_in(dir, argv, &out, &err);
	TH_CHECK(status == 0, "ptbench exited %#x: %s", status, err ? err : "");
	TH_CHECK(out && strstr(out, "survivors") && strstr(out, " of 2") && !strstr(out, "nan") &&
		 strstr(out, "PSS per worker") && !strstr(out, "speed changed") &&
		 strstr(out, "no spread"), "summary:\n%s", out ? out : "");
	free(out);
	free(err);
	TH_CHECK(th_rmtree(dir) == 0, "removing %s", dir);
}

/* -o -: the CSV on stdout, the summary on stderr, no file at all. */
static void test_output_stdout(void)
{
	char dir[4096], listing[4096], *out = NULL, *err = NULL;
	if (!TH_CHECK(th_mkdtemp(dir, sizeof dir) == 0, "mkdtemp"))
		return;
	char *argv[] = { (char *)th_ptbench(), "run", "-w", "cpu", "-m", "thread,fork", "-n", "1",
			 "-r", "2", "--warmup", "0", "--steps", "1000", "-o", "-", NULL };
	int status = run_in(dir, argv, &out, &err);
	TH_CHECK(status == 0, "ptbench exited %#x: %s", status, err ? err : "");
	TH_CHECK(out && strncmp(out, PTB_CSV_HEADER "\n", strlen(PTB_CSV_HEADER) + 1) == 0 &&
		 !strstr(out, "median"), "stdout:\n%s", out ? out : "");
	int rows = 0;
	for (const char *p = out ? out : ""; (p = strchr(p, '\n')); p++)
		rows++;
	TH_CHECK(rows == 5, "%d lines on stdout, want the header and 4 rows", rows);
	TH_CHECK(err && strstr(err, "median") && strstr(err, "time per step"), "stderr:\n%s",
		 err ? err : "");
	TH_CHECK(th_list_dir(dir, listing, sizeof listing) == 0 && listing[0] == '\0',
		 "left in the run's directory: %s", listing);
	free(out);
	free(err);
	TH_CHECK(th_rmtree(dir) == 0, "removing %s", dir);
}

/* Bad export paths: exit 2, one line on stderr, nothing written. */
static void test_export_bad_input(void)
{
	char dir[4096], listing[4096], *out = NULL, *err = NULL;
	if (!TH_CHECK(th_mkdtemp(dir, sizeof dir) == 0, "mkdtemp"))
		return;
	const char *cases[][4] = {
		{ "--export-json", "nodir/r.json", "-o", "r.csv" },
		{ "--export-markdown", "r.csv", "-o", "r.csv" },
		{ "--export-bench-json", "./r.csv", "-o", "r.csv" },
		{ "--export-json", "r.meta.json", "-o", "r.csv" },
		{ "--export-json", ".", "-o", "r.csv" },
		{ "--export-json", "-", "-o", "-" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *argv[] = { (char *)th_ptbench(), "run", "-w", "cpu", "-m", "thread", "-n", "1",
				 "-r", "1", "--steps", "1000", (char *)cases[i][0], (char *)cases[i][1],
				 (char *)cases[i][2], (char *)cases[i][3], NULL };
		int status = run_in(dir, argv, &out, &err);
		TH_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 2 && out && !out[0] && err &&
			 strncmp(err, "ptbench: ", 9) == 0 && strchr(err, '\n') == err + strlen(err) - 1,
			 "%s %s: status %#x, stdout '%s', stderr '%s'", cases[i][0], cases[i][1], status,
			 out ? out : "", err ? err : "");
		TH_CHECK(th_list_dir(dir, listing, sizeof listing) == 0 && listing[0] == '\0',
			 "%s %s: left %s", cases[i][0], cases[i][1], listing);
		free(out);
		free(err);
		out = err = NULL;
	}
	/* a bench JSON cannot mix survivors (bigger is better) with times */
	char *mix[] = { (char *)th_ptbench(), "run", "-w", "cpu,crash", "-m", "thread", "-n", "1",
			"-r", "1", "--export-bench-json", "b.json", "-o", "r.csv", NULL };
	int status = run_in(dir, mix, &out, &err);
	TH_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 2 && err && strstr(err, "crash") &&
		 strchr(err, '\n') == err + strlen(err) - 1, "mix: status %#x, stderr '%s'", status,
		 err ? err : "");
	TH_CHECK(th_list_dir(dir, listing, sizeof listing) == 0 && listing[0] == '\0',
		 "mix: left %s", listing);
	free(out);
	free(err);
	TH_CHECK(th_rmtree(dir) == 0, "removing %s", dir);
}

int th_add_output_suite(void)
{
	CU_pSuite s = CU_add_suite("output files", NULL, NULL);
	return s && CU_add_test(s, "the notes column", test_notes_column) &&
			       CU_add_test(s, "driver survives a killed runner, no core file",
					   test_driver_survives) &&
			       CU_add_test(s, "python3 -m ptb.derived", test_derived) &&
			       CU_add_test(s, "summary: units, 3 digits, n, PSS, survivors, legend",
					   test_summary_units) &&
			       CU_add_test(s, "summary: one repetition has no spread",
					   test_summary_one_rep) &&
			       CU_add_test(s, "summary of crash and footprint runs", test_summary_crash_run) &&
			       CU_add_test(s, "-o -: CSV on stdout, summary on stderr, no file",
					   test_output_stdout) &&
			       CU_add_test(s, "export options: bad input writes nothing",
					   test_export_bad_input)
		       ? 0
		       : -1;
}
