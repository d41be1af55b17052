/* test_process_workloads.c - the share, crash, pool, zombie and daemon
 * workloads in every model that runs them,
 * through ptb_run_rep: exact results, ok=1, an empty error, the notes they
 * promise, the refusals they must make, and nothing left behind.  No test
 * here depends on timing: only counts and checksums are compared. */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>
#include "helpers.h"
#include "run_case.h"
#include "suites.h"
#include "sample.h"

static const char *const models[] = { "thread", "fork", "threadpool", "procpool" };
#define NMODELS (sizeof models / sizeof models[0])

static bool is_pool(const char *model)
{
	return strstr(model, "pool") != NULL;
}

static bool is_threads(const char *model)
{
	return strncmp(model, "thread", 6) == 0;
}

/* The common checks of a run that must succeed with an exact result. */
static void expect_ok(const struct th_case *c, const struct ptb_sample *s, long long result)
{
	char what[256];
	th_case_describe(c, what, sizeof what);
	TH_CHECK(s->ok && s->has_result && s->error[0] == '\0', "%s: ok=%d error='%s'", what, s->ok,
		 s->error);
	TH_CHECK(s->result == result, "%s: result %lld, want %lld", what, (long long)s->result,
		 result);
}

/* ---- share ------------------------------------------------------------------- */

static bool on_heap(const char *via)
{
	return strcmp(via, "heap") == 0 || strcmp(via, "heap-malloc") == 0;
}

/* The timing notes every share row carries: the transfer timed by the
 * tasks, the consumers' time outside their checksum passes and in them
 * (none with --consume none).  Values are not checked, only their shape. */
static void expect_share_times(const char *what, const char *notes, const char *consume)
{
	long long xfer = th_note_num(notes, "xfer_ns");
	long long hand = th_note_num(notes, "handover_ns_per_chunk");
	long long pass = th_note_num(notes, "consume_ns_per_chunk");
	TH_CHECK(xfer > 0 && hand >= 0 && pass >= 0, "%s: timing notes '%s'", what, notes);
	TH_CHECK(strcmp(consume, "none") != 0 || pass == 0, "%s: a checksum pass with --consume none: '%s'",
		 what, notes);
}

static void share_case(const char *model, const char *via, int encode, const char *consume,
		       unsigned workers)
{
	char opts[160];
	struct ptb_sample s;
	snprintf(opts, sizeof opts, "bytes=100001;chunk=1000;via=%s;encode=%d;consume=%s", via, encode,
		 consume);
	struct th_case c = { "share", model, opts, workers, 0, true };
	const char *why = th_case_refusal(&c);
	bool heap_in_processes = on_heap(via) && !is_threads(model);
	char what[256];
	th_case_describe(&c, what, sizeof what);
	TH_CHECK((why != NULL) == heap_in_processes, "%s: refusal '%s'", what, why ? why : "none");
	if (why || !th_case_run(&c, &s))
		return;
	expect_ok(&c, &s, 100001);
	TH_CHECK(s.ops == 100001, "%s: ops %llu", what, (unsigned long long)s.ops);
	TH_CHECK(th_note_num(s.notes, "damaged_consumers") == 0 &&
		 th_note_num(s.notes, "consumers") == (workers > 1 ? workers - 1 : 0) &&
		 th_note_num(s.notes, "chunks") == 101,
		 "%s: notes '%s'", what, s.notes);
	expect_share_times(what, s.notes, consume);
}

/* Odd sizes (a last chunk shorter than the others, not a multiple of 8),
 * every channel (heap-malloc too), with and without encoding, with the
 * work on every byte and without (the stamps only), 1..3 workers: every
 * byte (or every chunk's stamps) arrives, checked against what verify
 * regenerates. */
static void test_share_channels(void)
{
	static const char *const vias[] = { "heap", "heap-malloc", "shm", "pipe", "socketpair" };
	static const char *const consumes[] = { "sum", "none" };
	for (unsigned v = 0; v < 5; v++)
		for (int enc = 0; enc < 2; enc++)
			for (unsigned k = 0; k < 2; k++)
				for (unsigned m = 0; m < NMODELS; m++)
					for (unsigned n = 1; n <= 3; n++)
						share_case(models[m], vias[v], enc, consumes[k], n);
}

/* Chunks shorter than a stamp (8 bytes) and exactly one: the stamps
 * overlap, and still every chunk is told apart. */
static void test_share_short_chunks(void)
{
	static const char *const chunks[] = { "1", "7", "8", "9", "15" };
	for (unsigned k = 0; k < 5; k++)
		for (unsigned m = 0; m < NMODELS; m += 1) {
			char opts[128];
			struct ptb_sample s;
			snprintf(opts, sizeof opts, "bytes=1001;chunk=%s;via=%s;consume=none", chunks[k],
				 is_threads(models[m]) ? "heap" : "shm");
			struct th_case c = { "share", models[m], opts, 2, 0, true };
			if (th_case_run(&c, &s))
				expect_ok(&c, &s, 1001);
		}
}

/* One byte among several consumers: some receive nothing, and still agree. */
static void test_share_tiny(void)
{
	struct ptb_sample s;
	struct th_case c = { "share", "fork", "bytes=1;chunk=64k;via=pipe;encode=1", 4, 0, false };
	if (th_case_run(&c, &s))
		expect_ok(&c, &s, 1);
}

static void test_share_refusals(void)
{
	struct th_case sync = { "share", "procpool", "via=shm", 2, 2, false };
	struct th_case more = { "share", "threadpool", "via=shm", 2, 3, true };
	struct th_case heap = { "share", "procpool", "via=heap", 2, 2, true };
	struct th_case malloced = { "share", "fork", "via=heap-malloc", 2, 0, false };
	TH_CHECK(th_case_refusal(&sync) != NULL, "share with sync submit must be refused");
	TH_CHECK(th_case_refusal(&more) != NULL, "share with tasks != workers must be refused");
	TH_CHECK(th_case_refusal(&heap) != NULL, "share --via heap in procpool must be refused");
	const char *why = th_case_refusal(&malloced);
	TH_CHECK(why && strstr(why, "heap-malloc"), "share --via heap-malloc in fork: refusal '%s'",
		 why ? why : "none");
}

/* ---- crash --------------------------------------------------------------------- */

static void crash_case(const char *model, const char *sig, unsigned workers, unsigned tasks,
		       bool async)
{
	char opts[64], want[64], what[256];
	struct ptb_sample s;
	snprintf(opts, sizeof opts, "steps=20000;signal=%s", sig);
	struct th_case c = { "crash", model, opts, workers, tasks, async };
	unsigned ntasks = is_pool(model) && tasks ? tasks : workers;
	th_case_describe(&c, what, sizeof what);
	if (!TH_CHECK(th_case_refusal(&c) == NULL, "%s: refused", what) || !th_case_run(&c, &s))
		return;
	/* threads: the runner dies with every result; processes: all but one survive */
	expect_ok(&c, &s, is_threads(model) ? 0 : (long long)ntasks - 1);
	snprintf(want, sizeof want, "killed by SIG%s", strcmp(sig, "segv") ? "ABRT" : "SEGV");
	TH_CHECK(strstr(s.notes, want) != NULL, "%s: notes '%s' lack '%s'", what, s.notes, want);
	TH_CHECK(th_note_num(s.notes, "lost") == (is_threads(model) ? ntasks : 1),
		 "%s: notes '%s'", what, s.notes);
	TH_CHECK(is_threads(model) ? s.wall_ns == PTB_MISSING : s.wall_ns > 0,
		 "%s: wall_ns %lld", what, (long long)s.wall_ns);
}

static void test_crash_models(void)
{
	static const char *const sigs[] = { "segv", "abrt" };
	for (unsigned g = 0; g < 2; g++) {
		for (unsigned m = 0; m < NMODELS; m++) {
			for (unsigned n = 1; n <= 3; n++)
				crash_case(models[m], sigs[g], n, 0, true);
			if (is_pool(models[m])) {	/* more tasks than workers, both submits */
				crash_case(models[m], sigs[g], 2, 5, false);
				crash_case(models[m], sigs[g], 2, 5, true);
			}
		}
	}
}

/* ---- pool ------------------------------------------------------------------------- */

static void pool_case(const char *model, const char *work, bool async)
{
	char opts[64], what[256];
	struct ptb_sample s;
	snprintf(opts, sizeof opts, "task-us=200;work=%s", work);
	struct th_case c = { "pool", model, opts, 2, 7, async };
	th_case_describe(&c, what, sizeof what);
	if (!th_case_run(&c, &s))
		return;
	expect_ok(&c, &s, 7);
	long long most = th_note_num(s.notes, "concurrency_max");
	/* apply() waits for each task: never two at once; async: at most the workers */
	TH_CHECK(async ? most >= 1 && most <= 2 : most == 1, "%s: notes '%s'", what, s.notes);
}

static void test_pool_submit(void)
{
	for (int async = 0; async < 2; async++) {
		pool_case("threadpool", "spin", async);
		pool_case("procpool", "spin", async);
		pool_case("threadpool", "sleep", async);
		pool_case("procpool", "sleep", async);
	}
	struct th_case thread = { "pool", "thread", NULL, 2, 0, false };
	struct th_case fork_ = { "pool", "fork", NULL, 2, 0, false };
	TH_CHECK(th_case_refusal(&thread) && th_case_refusal(&fork_), "pool must be refused outside pools");
}

/* ---- zombie and daemon ------------------------------------------------------------ */

static void zombie_case(const char *model, unsigned workers, unsigned tasks)
{
	char what[256], want[64], got[64];
	struct ptb_sample s;
	struct th_case c = { "zombie", model, "children=6", workers, tasks, true };
	unsigned ntasks = is_pool(model) && tasks ? tasks : workers;
	th_case_describe(&c, what, sizeof what);
	if (!th_case_run(&c, &s))
		return;
	expect_ok(&c, &s, 0);
	snprintf(want, sizeof want, "%u/%u", ntasks * 3, ntasks * 3);
	TH_CHECK(th_note(s.notes, "zombie_before_wait", got, sizeof got) && strcmp(got, want) == 0,
		 "%s: notes '%s', want zombie_before_wait=%s", what, s.notes, want);
	TH_CHECK(th_note_num(s.notes, "zombies") == 0 && th_note_num(s.notes, "orphans") == 0 &&
		 th_note_num(s.notes, "threads") == 0 && th_note_num(s.notes, "reap_ns_median") > 0,
		 "%s: notes '%s'", what, s.notes);
}

static void test_zombie_models(void)
{
	for (unsigned m = 0; m < NMODELS; m++) {
		zombie_case(models[m], 1, 0);
		zombie_case(models[m], 3, 0);
		if (is_pool(models[m]))
			zombie_case(models[m], 2, 5);
	}
}

static void daemon_case(const char *model, const char *kill_how, const char *parent_exit)
{
	char opts[96], what[256];
	struct ptb_sample s;
	/* bound-ms is a deadline, not a measure: long enough for a loaded
	 * machine under a sanitizer (100 ms was not), short enough that the
	 * survivors of atexit+sigkill cost little. */
	snprintf(opts, sizeof opts, "bound-ms=1000;kill=%s;parent-exit=%s", kill_how, parent_exit);
	struct th_case c = { "daemon", model, opts, 2, 3, true };
	unsigned ntasks = is_pool(model) ? 3 : 2;
	bool survive = strcmp(kill_how, "atexit") == 0 && strcmp(parent_exit, "sigkill") == 0;
	th_case_describe(&c, what, sizeof what);
	if (!th_case_run(&c, &s))	/* th_case_run checks that no daemon is left */
		return;
	expect_ok(&c, &s, survive ? ntasks : 0);
	TH_CHECK(th_note_num(s.notes, "failed") == 0, "%s: notes '%s'", what, s.notes);
}

static void test_daemon_models(void)
{
	for (unsigned m = 0; m < NMODELS; m++) {
		daemon_case(models[m], "pdeathsig", "exit");
		daemon_case(models[m], "pdeathsig", "sigkill");
		daemon_case(models[m], "atexit", "exit");
		daemon_case(models[m], "atexit", "sigkill");
	}
}

int th_add_share_suite(void)
{
	CU_pSuite s = CU_add_suite("share workload", NULL, NULL);
	return s && CU_add_test(s, "every channel, encode 0/1, consume sum/none, 1..3 workers",
				test_share_channels) &&
			       CU_add_test(s, "chunks shorter than a stamp", test_share_short_chunks) &&
			       CU_add_test(s, "one byte, several consumers", test_share_tiny) &&
			       CU_add_test(s, "refusals", test_share_refusals)
		       ? 0
		       : -1;
}

int th_add_crash_suite(void)
{
	CU_pSuite s = CU_add_suite("crash workload", NULL, NULL);
	return s && CU_add_test(s, "survivors per model, SIGSEGV and SIGABRT", test_crash_models)
		       ? 0
		       : -1;
}

int th_add_pool_suite(void)
{
	CU_pSuite s = CU_add_suite("pool workload", NULL, NULL);
	return s && CU_add_test(s, "sync runs one task at a time; every task once", test_pool_submit)
		       ? 0
		       : -1;
}

int th_add_zombie_daemon_suite(void)
{
	CU_pSuite s = CU_add_suite("zombie and daemon workloads", NULL, NULL);
	return s && CU_add_test(s, "zombie: nothing left, zombies seen before wait", test_zombie_models) &&
			       CU_add_test(s, "daemon: ends with its parent (or Python's gap)", test_daemon_models)
		       ? 0
		       : -1;
}
