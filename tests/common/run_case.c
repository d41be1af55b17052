/* run_case.c - one repetition of a workload case (see run_case.h). */
#include "run_case.h"

#include <CUnit/CUnit.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "helpers.h"
#include "model.h"
#include "parse.h"
#include "registry.h"
#include "runner.h"

#define SHM_DIR "/dev/shm"
#define LISTING_BYTES 65536
#define TIMEOUT_S 120

/* ---- options ----------------------------------------------------------------- */

/* The given value of option name in "k=v;k=v", or NULL. */
static const char *given(const char *opts, const char *name, char *buf, size_t len)
{
	return opts ? th_note(opts, name, buf, len) : NULL;
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
		if (!TH_CHECK(parse_opt(&wl->opts[o], text ? text : wl->opts[o].def, &opt[o]),
			      "%s: bad value for --%s", wl->name, wl->opts[o].name))
			return false;
	}
	return true;
}

/* ---- running ------------------------------------------------------------------- */

const char *th_case_describe(const struct th_case *c, char *buf, size_t len)
{
	snprintf(buf, len, "%s [%s] in %s, %u workers, %u tasks, %s", c->workload,
		 c->opts ? c->opts : "defaults", c->model, c->workers,
		 c->tasks ? c->tasks : c->workers, c->async ? "async" : "sync");
	return buf;
}

static bool setup_spec(const struct th_case *c, struct ptb_rep_spec *spec)
{
	memset(spec, 0, sizeof *spec);
	spec->wl = ptb_workload_find(c->workload);
	spec->model = ptb_model_find(c->model);
	if (!TH_CHECK(spec->wl && spec->model, "no workload %s or model %s", c->workload, c->model))
		return false;
	spec->ctx.workers = c->workers;
	spec->ctx.tasks = spec->model->pooled && c->tasks ? c->tasks : c->workers;
	spec->ctx.tmpdir = "/nonexistent";	/* none of these workloads uses it */
	spec->async_submit = c->async;
	spec->timeout_s = TIMEOUT_S;
	return fill_opts(spec->wl, c->opts, spec->ctx.opt);
}

const char *th_case_refusal(const struct th_case *c)
{
	struct ptb_rep_spec spec;
	if (!setup_spec(c, &spec))
		return "bad case";
	struct ptb_fit fit = { spec.model, spec.ctx.opt, spec.ctx.workers, spec.ctx.tasks,
			       spec.async_submit, spec.model_opt };
	return ptb_fit_refusal(spec.wl, &fit);
}

bool th_case_run(const struct th_case *c, struct ptb_sample *s)
{
	static char before[LISTING_BYTES], left[LISTING_BYTES];
	struct ptb_rep_spec spec;
	struct ptb_err err = { { 0 } };
	char what[256];
	th_case_describe(c, what, sizeof what);
	if (!setup_spec(c, &spec))
		return false;
	TH_CHECK(th_list_dir(SHM_DIR, before, sizeof before) == 0, "listing " SHM_DIR);
	int rc = ptb_run_rep(&spec, s, &err);
	TH_CHECK(rc == 0, "%s: ptb_run_rep returned %d: %s", what, rc, err.msg);
	TH_CHECK(th_no_children(), "%s: a child process is left", what);
	/* Another program's semaphore may come and go meanwhile (Python
	 * unlinks its own at once): th_left_in_dir counts only what stays. */
	TH_CHECK(th_left_in_dir(SHM_DIR, before, left, sizeof left) == 0, "%s: new in /dev/shm: %s",
		 what, left);
	return rc == 0;
}
