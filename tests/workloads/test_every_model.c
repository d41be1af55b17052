/* test_every_model.c - repetitions through ptb_run_rep(), as the driver runs them.
 *
 * Suite "workloads x models": every workload of the registry, with small
 * option values taken from its option table (every value of each choice
 * option at least once; a combination that no model takes, such as a
 * Python-only value beside a C-only one, runs with its later choices set
 * back to their defaults one by one), in every model that can run it (ptb_fit_refusal)
 * at 1, 2 and 3 workers, pools in both submit modes and also with tasks !=
 * workers.  The seed workloads (cpu, copy, counter) must give their exact
 * result; every run must give ok=1 and leave no child process, nothing in
 * the private tmpdir but what prepare() made, and no new entry in
 * /dev/shm.  To stay within the time budget, models that start another
 * program per repetition (Python) run other workloads at one worker count
 * (the largest the workload takes, at most 3), and only native pools get
 * the 600-task shape.
 *
 * Suite "counter without a lock": lost updates are found in every model.
 * Suite "failure paths": a worker dying of SIGSEGV, a failing task and a
 * hanging task give ok=0 with an error naming the cause, never a crash of
 * the caller, and leave nothing behind. */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "helpers.h"
#include "model.h"
#include "registry.h"
#include "runner.h"
#include "suites.h"
#include "w_test.h"

#define LISTING_BYTES 65536
#define SHM_DIR "/dev/shm"

/* Small values for the options of the registered workloads (by option
 * name; --chunk is copy's and share's); an option not listed here gets
 * its default when that is small, else its minimum.  bound-ms is the
 * daemon's allowance to die after its parent: generous, since it is a
 * deadline and the machine may be busy. */
static const struct {
	const char *name, *value;
} small_values[] = {
	{ "steps", "1000" },	{ "files", "3" },	{ "file-size", "10000" },
	{ "chunk", "1000" },	{ "iters", "20" },	{ "window-us", "0" },
	{ "count", "20" },	{ "parent-mb", "1" },	{ "rounds", "200" },
	{ "touch-mb", "1" },	{ "bytes", "256k" },	{ "bound-ms", "300" },
};
#define SMALL_DEFAULT_MAX 1000

/* What one repetition runs. */
struct run_case {
	const struct ptb_workload *wl;
	const struct ptb_model *model;
	uint64_t opt[PTB_MAX_OPTS];
	unsigned workers, tasks;
	bool async;
	unsigned timeout_s;
};

/* A workload's private tmpdir, prepared once for many repetitions. */
struct prepared {
	char dir[4096];
	char tree[LISTING_BYTES];	/* what prepare() made */
	struct ptb_wctx ctx;
	bool ok;
};

/* ---- options ------------------------------------------------------------- */

static unsigned choice_count(const struct ptb_opt *o)
{
	unsigned n = 1;
	for (const char *c = o->choices; *c; c++)
		n += *c == '|';
	return n;
}

/* The name of choice k of o, into buf. */
static const char *choice_name(const struct ptb_opt *o, uint64_t k, char *buf, size_t len)
{
	const char *c = o->choices;
	for (uint64_t i = 0; i < k && c; i++)
		c = strchr(c, '|') ? strchr(c, '|') + 1 : NULL;
	snprintf(buf, len, "%.*s", c ? (int)strcspn(c, "|") : 0, c ? c : "");
	return buf;
}

static int opt_index(const struct ptb_workload *wl, const char *name)
{
	for (unsigned o = 0; o < wl->nopts; o++)
		if (strcmp(wl->opts[o].name, name) == 0)
			return (int)o;
	return -1;
}

/* Parse a value for option o as the CLI would; the test fails when it
 * does not parse. */
static uint64_t opt_value(const struct ptb_opt *o, const char *text)
{
	uint64_t v = 0;
	const char *why = "";
	if (o->kind == PTB_OPT_CHOICE) {
		char name[64];
		unsigned n = choice_count(o);
		for (v = 0; v < n && strcmp(choice_name(o, v, name, sizeof name), text); v++)
			;
		TH_CHECK(v < n, "option --%s: no choice '%s'", o->name, text);
		return v;
	}
	int rc = ptb_parse_u64(text, o->unit, o->max, &v, &why);
	TH_CHECK(rc == 0 && v >= o->min, "option --%s: '%s' rejected (%s)", o->name, text, why);
	return v;
}

static uint64_t small_value(const struct ptb_opt *o)
{
	uint64_t v;
	const char *why;
	for (size_t i = 0; i < sizeof small_values / sizeof small_values[0]; i++)
		if (strcmp(small_values[i].name, o->name) == 0)
			return opt_value(o, small_values[i].value);
	if (ptb_parse_u64(o->def, o->unit, o->max, &v, &why) == 0 && v <= SMALL_DEFAULT_MAX)
		return v;
	return o->min > 0 ? o->min : (o->max > 0 ? 1 : 0);
}

static bool set_opt(const struct ptb_workload *wl, uint64_t *opt, const char *name,
		    const char *text)
{
	int i = opt_index(wl, name);
	if (!TH_CHECK(i >= 0, "%s has no option --%s", wl->name, name))
		return false;
	opt[i] = opt_value(&wl->opts[i], text);
	return true;
}

/* How many option combinations the matrix runs: every value of every
 * choice option at least once (combination k takes value k mod its count
 * of each), not their product; one small value of each numeric option. */
static unsigned long combos_of(const struct ptb_workload *wl)
{
	unsigned long n = 1;
	for (unsigned o = 0; o < wl->nopts; o++)
		if (wl->opts[o].kind == PTB_OPT_CHOICE && choice_count(&wl->opts[o]) > n)
			n = choice_count(&wl->opts[o]);
	return n;
}

static void combo(const struct ptb_workload *wl, unsigned long k, uint64_t *opt)
{
	for (unsigned o = 0; o < wl->nopts; o++) {
		const struct ptb_opt *def = &wl->opts[o];
		if (def->kind == PTB_OPT_CHOICE)
			opt[o] = k % choice_count(def);
		else
			opt[o] = small_value(def);
	}
}

/* The unlocked counter: a data race by design (see TH_TSAN). */
static bool racy_by_design(const struct ptb_workload *wl, const uint64_t *opt)
{
	char lock[32];
	int l = opt_index(wl, "lock");
	return strcmp(wl->name, "counter") == 0 && l >= 0 &&
	       strcmp(choice_name(&wl->opts[l], opt[l], lock, sizeof lock), "none") == 0;
}

static void describe(const struct run_case *c, char *buf, size_t len)
{
	size_t used = (size_t)snprintf(buf, len, "%s", c->wl->name);
	for (unsigned o = 0; o < c->wl->nopts && used < len; o++) {
		const struct ptb_opt *def = &c->wl->opts[o];
		char name[64];
		if (def->kind == PTB_OPT_CHOICE)
			used += (size_t)snprintf(buf + used, len - used, " %s=%s", def->name,
						 choice_name(def, c->opt[o], name, sizeof name));
		else
			used += (size_t)snprintf(buf + used, len - used, " %s=%llu", def->name,
						 (unsigned long long)c->opt[o]);
	}
	if (used < len)
		snprintf(buf + used, len - used, " model=%s workers=%u tasks=%u submit=%s",
			 c->model->name, c->workers, c->tasks, c->async ? "async" : "sync");
}

/* The seed workloads (of the brief: exact results known here) and the
 * seed models; each such pair must be runnable. */
static bool is_seed_workload(const struct ptb_workload *wl)
{
	static const char *const wls[] = { "cpu", "copy", "counter" };
	for (size_t i = 0; i < sizeof wls / sizeof wls[0]; i++)
		if (strcmp(wl->name, wls[i]) == 0)
			return true;
	return false;
}

static bool is_seed_pair(const struct run_case *c)
{
	static const char *const models[] = { "thread", "fork", "threadpool", "procpool" };
	bool m = false;
	for (size_t i = 0; i < sizeof models / sizeof models[0]; i++)
		m |= strcmp(c->model->name, models[i]) == 0;
	return m && is_seed_workload(c->wl);
}

/* A model that runs the workload in another program (the Python and MPI
 * models): each repetition starts an interpreter or mpirun (0.5-3 s), so
 * the matrix runs them at one worker count (the largest), in every
 * combination of the seed workloads' options and in one combination of
 * each other workload's options: the C side of
 * such a model (the launcher, the reader of its report) is the same for
 * every combination, and tests/python and tests/mpi check each of their
 * workloads' options with exact results. */
static bool is_external(const struct ptb_model *m)
{
	return m->exec_runner != NULL;
}

/* False when the model cannot run this configuration (it would be
 * refused by the CLI and skipped by `-m all`); never for a seed pair. */
static bool fits(const struct run_case *c)
{
	char what[512];
	struct ptb_fit fit = { .model = c->model, .opt = c->opt, .workers = c->workers,
			       .tasks = c->tasks, .async_submit = c->async };
	const char *why = ptb_workers_fit(c->wl, c->workers) ? ptb_fit_refusal(c->wl, &fit)
							     : "worker count out of its range";
	if (why && is_seed_pair(c)) {
		describe(c, what, sizeof what);
		TH_CHECK(false, "%s: refused: %s", what, why);
	}
	return why == NULL;
}

/* ---- preparing, running, checking ------------------------------------------ */

static bool prepare(struct prepared *p, const struct ptb_workload *wl, const uint64_t *opt)
{
	struct ptb_err err = { { 0 } };
	memset(&p->ctx, 0, sizeof p->ctx);
	memcpy(p->ctx.opt, opt, sizeof p->ctx.opt);
	p->ok = false;
	if (!TH_CHECK(th_mkdtemp(p->dir, sizeof p->dir) == 0, "mkdtemp"))
		return false;
	p->ctx.tmpdir = p->dir;
	if (wl->prepare && !TH_CHECK(wl->prepare(&p->ctx, &err) == 0, "%s: prepare: %s", wl->name,
				     err.msg)) {
		th_rmtree(p->dir);
		return false;
	}
	p->ok = TH_CHECK(th_list_tree(p->dir, p->tree, sizeof p->tree) == 0, "listing %s", p->dir);
	return p->ok;
}

static void unprepare(struct prepared *p, const struct ptb_workload *wl)
{
	char tree[LISTING_BYTES];
	if (wl->unprepare)
		wl->unprepare(&p->ctx);
	TH_CHECK(th_list_tree(p->dir, tree, sizeof tree) == 0 && tree[0] == '\0',
		 "%s: unprepare left in the tmpdir: %s", wl->name, tree);
	TH_CHECK(th_rmtree(p->dir) == 0, "removing %s", p->dir);
}

/* Run one repetition; checks that it ran and left nothing behind. */
static bool run(const struct run_case *c, const struct prepared *p, struct ptb_sample *s)
{
	static char shm_before[LISTING_BYTES];
	char what[512], tree[LISTING_BYTES], fresh[1024];
	struct ptb_err err = { { 0 } };
	struct ptb_rep_spec spec = { .wl = c->wl, .model = c->model, .ctx = p->ctx,
				     .async_submit = c->async,
				     .timeout_s = c->timeout_s ? c->timeout_s : 60 };
	memcpy(spec.ctx.opt, c->opt, sizeof spec.ctx.opt);
	spec.ctx.workers = c->workers;
	spec.ctx.tasks = c->tasks;
	describe(c, what, sizeof what);
	TH_CHECK(th_list_dir(SHM_DIR, shm_before, sizeof shm_before) == 0, "listing " SHM_DIR);
	int rc = ptb_run_rep(&spec, s, &err);
	TH_CHECK(rc == 0, "%s: ptb_run_rep returned %d: %s", what, rc, err.msg);
	TH_CHECK(th_no_children(), "%s: a child process is left", what);
	TH_CHECK(th_list_tree(p->dir, tree, sizeof tree) == 0 && strcmp(tree, p->tree) == 0,
		 "%s: tmpdir holds\n%s\ninstead of what prepare made:\n%s", what, tree, p->tree);
	TH_CHECK(th_left_in_dir(SHM_DIR, shm_before, fresh, sizeof fresh) == 0,
		 "%s: left in " SHM_DIR ": %s", what, fresh);
	return rc == 0;
}

/* The exact result each registered workload must produce. */
static void check_result(const struct run_case *c, const struct ptb_sample *s)
{
	char what[512], lock[32] = "";
	const struct ptb_workload *wl = c->wl;
	describe(c, what, sizeof what);
	TH_CHECK(s->ok && s->error[0] == '\0', "%s: ok=%d error='%s'", what, s->ok, s->error);
	TH_CHECK(s->has_result, "%s: no result", what);
	if (is_seed_workload(wl))	/* others may end without timing (crash in threads) */
		TH_CHECK(s->wall_ns >= 0, "%s: wall_ns missing", what);
	if (strcmp(wl->name, "cpu") == 0) {
		int64_t want = (int64_t)c->tasks * (int64_t)c->opt[opt_index(wl, "steps")];
		TH_CHECK(s->result == want, "%s: result %lld, want %lld", what,
			 (long long)s->result, (long long)want);
		TH_CHECK(s->ops == (uint64_t)want, "%s: ops %llu", what, (unsigned long long)s->ops);
	} else if (strcmp(wl->name, "copy") == 0) {
		int64_t want = (int64_t)(c->opt[opt_index(wl, "files")] *
					 c->opt[opt_index(wl, "file-size")]);
		TH_CHECK(s->result == want, "%s: result %lld, want %lld", what,
			 (long long)s->result, (long long)want);
	} else if (strcmp(wl->name, "counter") == 0) {
		int l = opt_index(wl, "lock");
		choice_name(&wl->opts[l], c->opt[l], lock, sizeof lock);
		if (strcmp(lock, "none") != 0)
			TH_CHECK(s->result == 0, "%s: %lld lost updates under a lock", what,
				 (long long)s->result);
	}
}

/* Every model at 1..3 workers (or the workload's least, when more);
 * pools in both submit modes.  An external model that already ran this
 * workload (bit m of *external_ran) counts as covered, not run again
 * (is_external).  Returns the repetitions run or covered. */
static unsigned run_models(const struct ptb_workload *wl, const uint64_t *opt,
			   const struct prepared *p, uint64_t *external_ran)
{
	unsigned ran = 0, lo = 1, hi = 3;
	if (wl->min_workers > hi)
		lo = hi = wl->min_workers;
	for (unsigned m = 0; m < ptb_nmodels; m++) {
		bool all_counts = !is_external(ptb_models[m]);
		bool one_combo = !all_counts && !is_seed_workload(wl);
		/* under a sanitizer an external model runs cpu only (TH_SANITIZED) */
		bool covered = (one_combo && (*external_ran >> m & 1u)) ||
			       (!all_counts && TH_SANITIZED && strcmp(wl->name, "cpu") != 0);
		/* an external model's one count: the largest the workload takes */
		unsigned first = all_counts ? lo : wl->max_workers && wl->max_workers < hi ? wl->max_workers : hi;
		for (unsigned n = first; n <= hi; n++) {
			for (int mode = 0; mode < (ptb_models[m]->pooled ? 2 : 1); mode++) {
				struct run_case c = { .wl = wl, .model = ptb_models[m],
						      .workers = n, .tasks = n, .async = mode == 1 };
				struct ptb_sample s;
				memcpy(c.opt, opt, sizeof c.opt);
				if (!fits(&c))
					continue;
				ran++;
				if (covered)
					continue;
				if (one_combo)
					*external_ran |= (uint64_t)1 << m;
				if (run(&c, p, &s))
					check_result(&c, &s);
			}
		}
	}
	return ran;
}

static void test_matrix(void)
{
	CU_ASSERT_FATAL(ptb_nworkloads >= 3 && ptb_nmodels <= 64);
	for (unsigned w = 0; w < ptb_nworkloads; w++) {
		const struct ptb_workload *wl = ptb_workloads[w];
		uint64_t external_ran = 0;	/* bit m: external model m ran wl */
		for (unsigned long k = 0; k < combos_of(wl); k++) {
			uint64_t opt[PTB_MAX_OPTS] = { 0 };
			struct prepared *p = malloc(sizeof *p);
			CU_ASSERT_FATAL(p != NULL);
			combo(wl, k, opt);
			if (TH_TSAN && racy_by_design(wl, opt)) {
				free(p);
				continue;
			}
			if (prepare(p, wl, opt)) {
				unsigned ran = run_models(wl, opt, p, &external_ran);
				/* a value only Python takes beside one only C takes (switch
				 * --via queue --pin same): the later choice at its default */
				for (unsigned o = wl->nopts; !ran && o-- > 0;) {
					uint64_t keep = opt[o], def;
					if (wl->opts[o].kind != PTB_OPT_CHOICE)
						continue;
					def = opt_value(&wl->opts[o], wl->opts[o].def);
					if (keep == def)
						continue;
					opt[o] = def;
					ran = run_models(wl, opt, p, &external_ran);
					opt[o] = keep;
				}
				TH_CHECK(ran > 0, "workload %s (combination %lu): no model runs it",
					 wl->name, k);
				unprepare(p, wl);
			}
			free(p);
		}
	}
}

/* Pools with more tasks than workers: 5 on 2, and more than the queue
 * holds (PTB_POOL_CAP = 256) on 3. */
static void test_pool_tasks(void)
{
	/* workers, tasks; the second only for seed workloads in native pools */
	static const unsigned shapes[][2] = { { 2, 5 }, { 3, 600 } };
	for (unsigned w = 0; w < ptb_nworkloads; w++) {
		const struct ptb_workload *wl = ptb_workloads[w];
		for (unsigned long k = 0; k < combos_of(wl); k++) {
			uint64_t opt[PTB_MAX_OPTS] = { 0 };
			struct prepared *p = malloc(sizeof *p);
			CU_ASSERT_FATAL(p != NULL);
			combo(wl, k, opt);
			if ((TH_TSAN && racy_by_design(wl, opt)) || !prepare(p, wl, opt)) {
				free(p);
				continue;
			}
			for (unsigned m = 0; m < ptb_nmodels; m++) {
				if (!ptb_models[m]->pooled)
					continue;
				/* an external pool: the first combination of a seed
				 * workload (is_external) */
				if (is_external(ptb_models[m]) &&
				    (k > 0 || !is_seed_workload(wl) || TH_SANITIZED))
					continue;
				bool big = is_seed_workload(wl) && !is_external(ptb_models[m]);
				for (unsigned sh = 0; sh < (big ? 2u : 1u); sh++) {
					for (int mode = 0; mode < 2; mode++) {
						struct run_case c = { .wl = wl, .model = ptb_models[m],
								      .workers = shapes[sh][0],
								      .tasks = shapes[sh][1],
								      .async = mode == 1 };
						struct ptb_sample s;
						memcpy(c.opt, opt, sizeof c.opt);
						if (fits(&c) && run(&c, p, &s))
							check_result(&c, &s);
					}
				}
			}
			unprepare(p, wl);
			free(p);
		}
	}
}

/* ---- counter without a lock ------------------------------------------------ */

static void test_counter_lost_updates(void)
{
	const struct ptb_workload *wl = ptb_workload_find("counter");
	CU_ASSERT_FATAL(wl != NULL);
	uint64_t opt[PTB_MAX_OPTS] = { 0 };
	combo(wl, 0, opt);
	/* The updates are lost only when the workers' windows overlap: the
	 * window (1 s) outlasts the spread of their start on a loaded machine
	 * (20 ms did not, for fork under ASan and for the Python models). */
	CU_ASSERT_FATAL(set_opt(wl, opt, "iters", "1") && set_opt(wl, opt, "window-us", "1000000") &&
			set_opt(wl, opt, "lock", "none"));
	struct prepared *p = malloc(sizeof *p);
	CU_ASSERT_FATAL(p != NULL);
	if (prepare(p, wl, opt)) {
		for (unsigned m = 0; m < ptb_nmodels; m++) {
			/* async: a sync submitter would run the tasks one at a time */
			struct run_case c = { .wl = wl, .model = ptb_models[m], .workers = 4,
					      .tasks = 4, .async = true };
			struct ptb_sample s;
			char what[512];
			memcpy(c.opt, opt, sizeof c.opt);

			describe(&c, what, sizeof what);
			if (!fits(&c) || !run(&c, p, &s))
				continue;
			TH_CHECK(s.ok && s.has_result, "%s: ok=%d error='%s'", what, s.ok, s.error);
			TH_CHECK(s.result > 0 && s.result <= 3, "%s: %lld lost updates, want 1..3",
				 what, (long long)s.result);
		}
		unprepare(p, wl);
	}
	free(p);
}

/* ---- failure paths ------------------------------------------------------------ */

/* Run wl in every model (pools in both submit modes); each run must fail
 * with an error containing `needle`. */
static void expect_failure(const struct ptb_workload *wl, unsigned timeout_s,
			   const char *needle, bool both_modes)
{
	struct prepared *p = malloc(sizeof *p);
	uint64_t opt[PTB_MAX_OPTS] = { 0 };
	CU_ASSERT_FATAL(p != NULL);
	if (!prepare(p, wl, opt)) {
		free(p);
		return;
	}
	unsigned ran = 0;
	for (unsigned m = 0; m < ptb_nmodels; m++) {
		int modes = ptb_models[m]->pooled && both_modes ? 2 : 1;
		for (int mode = 0; mode < modes; mode++) {
			struct run_case c = { .wl = wl, .model = ptb_models[m], .workers = 2,
					      .tasks = 2, .async = mode == 0, .timeout_s = timeout_s };
			struct ptb_sample s;
			char what[512];
			describe(&c, what, sizeof what);
			if (!fits(&c))
				continue;
			ran++;
			if (!run(&c, p, &s))
				continue;
			TH_CHECK(!s.ok, "%s: ok=1 after a failure", what);
			TH_CHECK(s.error[0] != '\0', "%s: empty error", what);
			TH_CHECK(strstr(s.error, needle) != NULL, "%s: error '%s' does not mention %s",
				 what, s.error, needle);
		}
	}
	TH_CHECK(ran >= 4, "%s: only %u models ran it", wl->name, ran);
	unprepare(p, wl);
	free(p);
}

static void test_crash(void)
{
	expect_failure(&ptb_w_test_crash, 60, "SIGSEGV", true);
}

static void test_failing_task(void)
{
	expect_failure(&ptb_w_test_fail, 60, "status", true);	/* "failed with status 7", "exited with status 1" */
}

static void test_hang(void)
{
	expect_failure(&ptb_w_test_hang, 1, "timeout", false);
}

int th_add_run_suites(void)
{
	CU_pSuite s1 = CU_add_suite("workloads x models", NULL, NULL);
	CU_pSuite s3 = CU_add_suite("failure paths", NULL, NULL);
	if (!s1 || !s3 ||
	    !CU_add_test(s1, "every workload in every model at 1..3 workers", test_matrix) ||
	    !CU_add_test(s1, "pools with tasks != workers, sync and async", test_pool_tasks) ||
	    !CU_add_test(s3, "a worker killed by SIGSEGV", test_crash) ||
	    !CU_add_test(s3, "a task returning failure", test_failing_task) ||
	    !CU_add_test(s3, "a hanging task hits the timeout", test_hang))
		return -1;
	if (TH_TSAN) {
		fprintf(stderr, "ThreadSanitizer build: --lock none (a race by design) is not run\n");
		return 0;
	}
	CU_pSuite s2 = CU_add_suite("counter without a lock", NULL, NULL);
	if (!s2 || !CU_add_test(s2, "lost updates > 0 in every model", test_counter_lost_updates))
		return -1;
	return 0;
}
