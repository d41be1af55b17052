/* cli.c - parse and validate `ptbench run` options into a plan.
 *
 * The driver's own options are one static table (name, short form,
 * argument, default, help) from which both the parser and --help are
 * driven, as perf's option tables are.  Workload options come from the
 * workloads' own tables in the registry.  Every error is one line on
 * stderr naming what was wrong and what is allowed, and exit status 2. */
#include "err.h"
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include "parse.h"
#include "resources.h"
#include "registry.h"
#include "plugin.h"
#include "pyfunc.h"
#include "suggest.h"
#include "export.h"
#include "compare.h"

enum drv_opt { D_WORKLOAD, D_MODEL, D_WORKERS, D_REPS, D_WARMUP, D_OUTPUT, D_FORCE,
	       D_TASKS, D_SUBMIT, D_TIMEOUT, D_TMPDIR, D_QUIET, D_DRYRUN,
	       D_EXPORT_JSON, D_EXPORT_MD, D_EXPORT_BENCH, D_PY_ARG, D_NO_VERDICTS, D_NOPTS };

static const struct drv_opt_def {
	const char *name;
	char short_name;
	const char *arg;	/* NULL: a flag */
	const char *def;
	const char *help;
} drv_opts[D_NOPTS] = {
	[D_WORKLOAD] = { "workload", 'w', "LIST", "cpu", "workloads to run (see `ptbench list`); your own: plugin:PATH.so, py:MODULE:FUNCTION" },
	[D_MODEL] = { "model", 'm', "LIST", "all", "models (see `ptbench list`), or all that can run the workload" },
	[D_WORKERS] = { "workers", 'n', "LIST", "1,2", "worker counts, e.g. 1,2,4" },
	[D_REPS] = { "reps", 'r', "N", "5", "measured repetitions of each configuration" },
	[D_WARMUP] = { "warmup", 0, "K", "1", "unrecorded repetitions before them" },
	[D_OUTPUT] = { "output", 'o', "FILE", "ptbench-<timestamp>.csv", "CSV to write (meta beside it; -: stdout, the summary to stderr)" },
	[D_FORCE] = { "force", 0, NULL, NULL, "overwrite an existing output file" },
	[D_TASKS] = { "tasks", 0, "T", "= workers", "tasks submitted to a pool" },
	[D_SUBMIT] = { "submit", 0, "LIST", "async", "pool submission: sync (apply) or async (apply_async+callback)" },
	[D_TIMEOUT] = { "timeout", 0, "SECONDS", "600", "kill a repetition that runs longer (row ok=0)" },
	[D_TMPDIR] = { "tmpdir", 0, "DIR", "$TMPDIR or /tmp", "where private temporary files go" },
	[D_QUIET] = { "quiet", 'q', NULL, NULL, "no progress on stderr" },
	[D_DRYRUN] = { "dry-run", 0, NULL, NULL, "print the plan and its estimated time; run and write nothing" },
	[D_EXPORT_JSON] = { "export-json", 0, "FILE", NULL, "also write each configuration's statistics and every value as JSON (doc/export.md)" },
	[D_EXPORT_MD] = { "export-markdown", 0, "FILE", NULL, "also write the summary as a Markdown table" },
	[D_EXPORT_BENCH] = { "export-bench-json", 0, "FILE", NULL, "also write github-action-benchmark's custom*IsBetter JSON" },
	[D_PY_ARG] = { "py-arg", 0, "KEY=VALUE", NULL, "keyword argument of a -w py: function (repeatable; passed as a string)" },
	[D_NO_VERDICTS] = { "no-verdicts", 0, NULL, NULL, "no processes ÷ threads verdicts after the summary (they need Python with scipy, ~1 s)" },
};


/* ---- names ---------------------------------------------------------- */

static void names_of_workloads(char *buf, size_t len)
{
	size_t used = 0;
	for (unsigned i = 0; i < ptb_nworkloads && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "",
					 ptb_workloads[i]->name);
}

static void names_of_models(char *buf, size_t len)
{
	size_t used = 0;
	for (unsigned i = 0; i < ptb_nmodels && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s, ", ptb_models[i]->name);
	if (used < len)
		snprintf(buf + used, len - used, "all");
}

/* " (did you mean NAME?" and the closing words, or "" with no near name. */
static const char *did_you_mean(const struct ptb_suggest *sg, const char *prefix, char *buf,
				size_t len)
{
	if (!sg->best)
		return "";
	snprintf(buf, len, "did you mean %s%s? ", prefix, sg->best);
	return buf;
}

/* A family word (-m process, -m threads) is not a model: one line naming
 * the models of that family (by their shared_space), exit 2. */
static int model_family(const char *word)
{
	bool proc = !strcmp(word, "process") || !strcmp(word, "processes") || !strcmp(word, "proc") ||
		    !strcmp(word, "procs");
	bool thr = !strcmp(word, "threads");
	char names[256];
	size_t used = 0;
	if (!proc && !thr)
		return 0;
	for (unsigned i = 0; i < ptb_nmodels && used < sizeof names; i++)
		if (ptb_models[i]->shared_space == thr)
			used += (size_t)snprintf(names + used, sizeof names - used, "%s%s",
						 used ? ", " : "", ptb_models[i]->name);
	return ptb_bad_input("--model: '%s' is a family, not a model: the %s models are %s (name those "
		    "wanted, e.g. -m %s; or -m all)", word, proc ? "process" : "thread", names,
		    proc ? "fork,procpool" : "thread,threadpool");
}

static int parse_workloads(char *s, struct ptb_plan *p)
{
	char *items[16], names[256];
	int n = ptb_split_list(s, items, 16);
	names_of_workloads(names, sizeof names);
	if (n < 0)
		return ptb_bad_input("--workload: empty or too long list (allowed: %s)", names);
	for (int i = 0; i < n; i++) {
		struct ptb_err err;
		const struct ptb_workload *w = ptb_workload_resolve(items[i], &err);
		if (!w && err.msg[0])
			return ptb_bad_input("--workload: %s", err.msg);
		if (!w) {
			struct ptb_suggest sg;
			char hint[96];
			ptb_suggest_init(&sg, items[i]);
			for (unsigned k = 0; k < ptb_nworkloads; k++)
				ptb_suggest_add(&sg, ptb_workloads[k]->name);
			return ptb_bad_input("--workload: unknown workload '%s' (%sallowed: %s)", items[i],
				    did_you_mean(&sg, "", hint, sizeof hint), names);
		}
		for (int j = 0; j < p->nwl; j++)
			if (p->wl[j] == w)
				return ptb_bad_input("--workload: '%s' listed twice", items[i]);
		p->wl[p->nwl++] = w;
	}
	return 0;
}

/* --py-arg is for a user's Python function only. */
static int check_py_args(const struct ptb_plan *p)
{
	for (int w = 0; w < p->nwl; w++)
		if (ptb_is_pyfunc(p->wl[w]))
			return 0;
	if (ptb_pyfunc_nargs())
		return ptb_bad_input("--py-arg: only a Python function's workload takes it "
				     "(-w py:MODULE:FUNCTION or -w py:FILE.py:FUNCTION)");
	return 0;
}

static int parse_models(char *s, struct ptb_plan *p)
{
	char *items[16], names[256];
	int n = ptb_split_list(s, items, 16);
	names_of_models(names, sizeof names);
	if (n < 0)
		return ptb_bad_input("--model: empty or too long list (allowed: %s)", names);
	for (int i = 0; i < n; i++) {
		if (strcmp(items[i], "all") == 0 && n == 1) {
			for (unsigned m = 0; m < ptb_nmodels; m++)
				p->model[p->nmodel++] = ptb_models[m];
			p->all_models = true;
			return 0;
		}
		const struct ptb_model *m = ptb_model_find(items[i]);
		if (!m && model_family(items[i]))
			return 2;
		if (!m) {
			struct ptb_suggest sg;
			char hint[96];
			ptb_suggest_init(&sg, items[i]);
			for (unsigned k = 0; k < ptb_nmodels; k++)
				ptb_suggest_add(&sg, ptb_models[k]->name);
			ptb_suggest_add(&sg, "all");
			return ptb_bad_input("--model: unknown model '%s' (%sallowed: %s)", items[i],
				    did_you_mean(&sg, "", hint, sizeof hint), names);
		}
		for (int j = 0; j < p->nmodel; j++)
			if (p->model[j] == m)
				return ptb_bad_input("--model: '%s' listed twice", items[i]);
		p->model[p->nmodel++] = m;
	}
	return 0;
}

/* ---- numbers -------------------------------------------------------- */

static int parse_num(const char *opt, const char *s, enum ptb_unit unit, uint64_t min,
		     uint64_t max, uint64_t *out)
{
	const char *why = NULL;
	int rc = ptb_parse_u64(s, unit, max, out, &why);
	if (rc == 0 && *out < min) {
		rc = -1;
		why = "out of range";
	}
	if (rc)
		return ptb_bad_input("--%s: '%s' is %s (allowed: a whole number from %llu to %llu)", opt, s,
			    why, (unsigned long long)min, (unsigned long long)max);
	return 0;
}

static int parse_workers(char *s, struct ptb_plan *p)
{
	char *items[PTB_MAX_LIST];
	int n = ptb_split_list(s, items, PTB_MAX_LIST);
	if (n < 0)
		return ptb_bad_input("--workers: empty or too long list (allowed: up to %d counts, e.g. 1,2,4)",
			    PTB_MAX_LIST);
	for (int i = 0; i < n; i++) {
		uint64_t v;
		if (parse_num("workers", items[i], PTB_UNIT_COUNT, 1, PTB_MAX_WORKERS, &v))
			return 2;
		p->workers[p->nworkers++] = (unsigned)v;
	}
	return 0;
}

static int parse_submit(char *s, struct ptb_plan *p)
{
	char *items[2];
	int n = ptb_split_list(s, items, 2);
	if (n < 0)
		return ptb_bad_input("--submit: empty or too long list (allowed: sync, async)");
	for (int i = 0; i < n; i++) {
		if (strcmp(items[i], "sync") && strcmp(items[i], "async"))
			return ptb_bad_input("--submit: unknown mode '%s' (allowed: sync, async)", items[i]);
		p->submit_async[p->nsubmit++] = strcmp(items[i], "async") == 0;
	}
	if (n == 2 && p->submit_async[0] == p->submit_async[1])
		return ptb_bad_input("--submit: '%s' listed twice", items[0]);
	return 0;
}

/* A workload option's value list, checked against its definition. */
static int parse_wl_values(const struct ptb_opt *o, const char *raw, struct ptb_optlist *out)
{
	char copy[1024], *items[PTB_MAX_LIST];
	if (o->kind == PTB_OPT_TEXT) {	/* as typed, not a list */
		out->v[0] = *raw ? (uint64_t)(uintptr_t)raw : 0;
		out->n = 1;
		return 0;
	}
	snprintf(copy, sizeof copy, "%s", raw);
	int n = ptb_split_list(copy, items, PTB_MAX_LIST);
	if (n < 0)
		return ptb_bad_input("--%s: empty or too long list '%s'", o->name, raw);
	out->n = 0;
	for (int i = 0; i < n; i++) {
		uint64_t v = 0;
		if (o->kind == PTB_OPT_NUM) {
			if (parse_num(o->name, items[i], o->unit, o->min, o->max, &v))
				return 2;
		} else {
			char choices[256], *c[16];
			snprintf(choices, sizeof choices, "%s", o->choices);
			int nc = 0;
			for (char *t = strtok(choices, "|"); t && nc < 16; t = strtok(NULL, "|"))
				c[nc++] = t;
			for (v = 0; v < (uint64_t)nc && strcmp(c[v], items[i]); v++)
				;
			if (v == (uint64_t)nc)
				return ptb_bad_input("--%s: unknown value '%s' (allowed: %s)", o->name, items[i],
					    o->choices);
		}
		for (int j = 0; j < out->n; j++)
			if (out->v[j] == v)
				return ptb_bad_input("--%s: '%s' listed twice", o->name, items[i]);
		out->v[out->n++] = v;
	}
	return 0;
}

/* ---- the argument loop ----------------------------------------------- */

struct given {
	const char *name;
	const char *value;
};

static int find_drv_opt(const char *arg, int *idx)
{
	for (int i = 0; i < D_NOPTS; i++) {
		if ((arg[1] == '-' && strcmp(arg + 2, drv_opts[i].name) == 0) ||
		    (arg[1] != '-' && arg[1] == drv_opts[i].short_name && arg[2] == '\0' &&
		     drv_opts[i].short_name)) {
			*idx = i;
			return 0;
		}
	}
	return -1;
}

/* A workload's option, or a model's own (model.h: opts). */
static const struct ptb_opt *find_wl_opt(const char *name)
{
	for (unsigned w = 0; w < ptb_nworkloads; w++)
		for (unsigned o = 0; o < ptb_workloads[w]->nopts; o++)
			if (strcmp(ptb_workloads[w]->opts[o].name, name) == 0)
				return &ptb_workloads[w]->opts[o];
	const struct ptb_workload *pl;
	for (unsigned k = 0; (pl = ptb_plugin_loaded(k)); k++)	/* loaded by preload_plugins */
		for (unsigned o = 0; o < pl->nopts; o++)
			if (strcmp(pl->opts[o].name, name) == 0)
				return &pl->opts[o];
	for (unsigned m = 0; m < ptb_nmodels; m++)
		for (unsigned o = 0; o < ptb_models[m]->nopts; o++)
			if (strcmp(ptb_models[m]->opts[o].name, name) == 0)
				return &ptb_models[m]->opts[o];
	return NULL;
}

/* An unknown option, with the nearest driver, workload or model option. */
static int unknown_option(const char *name)
{
	struct ptb_suggest sg;
	char hint[96];
	ptb_suggest_init(&sg, name + 1 + (name[1] == '-'));
	for (int i = 0; i < D_NOPTS; i++)
		ptb_suggest_add(&sg, drv_opts[i].name);
	for (unsigned w = 0; w < ptb_nworkloads; w++)
		for (unsigned o = 0; o < ptb_workloads[w]->nopts; o++)
			ptb_suggest_add(&sg, ptb_workloads[w]->opts[o].name);
	const struct ptb_workload *pl;
	for (unsigned k = 0; (pl = ptb_plugin_loaded(k)); k++)
		for (unsigned o = 0; o < pl->nopts; o++)
			ptb_suggest_add(&sg, pl->opts[o].name);
	for (unsigned m = 0; m < ptb_nmodels; m++)
		for (unsigned o = 0; o < ptb_models[m]->nopts; o++)
			ptb_suggest_add(&sg, ptb_models[m]->opts[o].name);
	if (name[1] != '-' && name[2] == '\0')
		sg.best = NULL;	/* -z: a one-letter typo has no near name */
	return ptb_bad_input("unknown option '%s' (%ssee ptbench run --help and ptbench list)", name,
		    did_you_mean(&sg, "--", hint, sizeof hint));
}

/* The plugins of one -w value loaded; a plugin's option may not be one
 * of the driver's (a model's is refused by lib/plugin.c). */
static int load_plugins(const char *list)
{
	char copy[1024], *items[16];
	snprintf(copy, sizeof copy, "%s", list);
	int n = ptb_split_list(copy, items, 16);
	for (int i = 0; i < n; i++) {	/* a bad list: parse_workloads says so */
		struct ptb_err err;
		const struct ptb_workload *w;
		if (strncmp(items[i], "plugin:", 7) != 0)
			continue;
		if (!(w = ptb_workload_resolve(items[i], &err)))
			return ptb_bad_input("--workload: %s", err.msg);
		for (unsigned o = 0; o < w->nopts; o++) {
			char dashed[64];
			int d;
			snprintf(dashed, sizeof dashed, "--%s", w->opts[o].name);
			if (find_drv_opt(dashed, &d) == 0)
				return ptb_bad_input("--workload: %s: option --%s is ptbench's own (the plugin "
						     "must rename it)", items[i], w->opts[o].name);
		}
	}
	return 0;
}

/* Load the plugins -w names before the options are sorted, so that their
 * options are known wherever they stand on the command line. */
static int preload_plugins(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = NULL;
		if ((strcmp(a, "-w") == 0 || strcmp(a, "--workload") == 0) && i + 1 < argc)
			v = argv[++i];
		else if (strncmp(a, "--workload=", 11) == 0)
			v = a + 11;
		if (v && load_plugins(v))
			return 2;
	}
	return 0;
}

/* Split argv into driver options (drv[]) and workload options (wl[]). */
static int collect(int argc, char **argv, const char *drv[D_NOPTS], struct given *wl, int *nwl)
{
	for (int i = 1; i < argc; i++) {
		char name[128];
		const char *arg = argv[i], *value = NULL, *eq = strchr(arg, '=');
		int d;
		if (arg[0] != '-' || arg[1] == '\0')
			return ptb_bad_input("unexpected argument '%s' (options start with - ; see ptbench --help)", arg);
		snprintf(name, sizeof name, "%.*s", eq && arg[1] == '-' ? (int)(eq - arg) : (int)strlen(arg), arg);
		if (eq && arg[1] == '-')
			value = eq + 1;
		bool is_drv = find_drv_opt(name, &d) == 0;
		const struct ptb_opt *wo = (!is_drv && name[1] == '-') ? find_wl_opt(name + 2) : NULL;
		if (!is_drv && !wo)
			return unknown_option(name);
		bool takes_arg = is_drv ? drv_opts[d].arg != NULL : true;
		if (takes_arg && !value) {
			if (i + 1 >= argc)
				return ptb_bad_input("option '%s' needs a value", name);
			value = argv[++i];
		} else if (!takes_arg && value) {
			return ptb_bad_input("option '%s' takes no value", name);
		}
		if (is_drv && d == D_PY_ARG) {	/* repeatable: one keyword argument each */
			struct ptb_err err;
			if (ptb_pyfunc_add_arg(value, &err))
				return ptb_bad_input("%s", err.msg);
			continue;
		}
		if (is_drv) {
			if (drv[d])
				return ptb_bad_input("option --%s given twice", drv_opts[d].name);
			drv[d] = value ? value : "";
			continue;
		}
		for (int j = 0; j < *nwl; j++)
			if (strcmp(wl[j].name, wo->name) == 0)
				return ptb_bad_input("option --%s given twice", wo->name);
		wl[(*nwl)++] = (struct given){ wo->name, value };
	}
	return 0;
}

/* An option of no selected workload or model; a model's own option names
 * its model and says what it is (--hosts: why threads cannot have it). */
static int not_applicable(const char *name)
{
	for (unsigned m = 0; m < ptb_nmodels; m++)
		for (unsigned o = 0; o < ptb_models[m]->nopts; o++)
			if (strcmp(ptb_models[m]->opts[o].name, name) == 0)
				return ptb_bad_input("option --%s does not apply to the selected models: it is model %s's "
					    "(%s)", name, ptb_models[m]->name, ptb_models[m]->opts[o].help);
	return ptb_bad_input("option --%s does not apply to the selected workloads or models (see ptbench list)",
		    name);
}

/* The short plan (neither -w nor -m): -w cpu,switch -m thread,fork -r 3
 * and these sizes unless given, so a plain `ptbench run` ends in seconds
 * (doc/cli.md). */
#define SHORT_WORKLOADS "cpu,switch"
#define SHORT_MODELS "thread,fork"
#define SHORT_REPS "3"
static const char *const short_sizes[][2] = { { "steps", "1e8" }, { "rounds", "2e4" } };

static const char *short_default(const struct ptb_plan *p, const struct ptb_opt *opt)
{
	for (size_t i = 0; p->short_plan && i < sizeof short_sizes / sizeof short_sizes[0]; i++)
		if (strcmp(short_sizes[i][0], opt->name) == 0)
			return short_sizes[i][1];
	return opt->def;
}

/* Each workload option must belong to a selected workload (or model);
 * fill the plan's value lists (given, or the default). */
static int resolve_wl_opts(struct ptb_plan *p, const struct given *g, int ng)
{
	for (int j = 0; j < ng; j++) {
		bool used = false;
		for (int w = 0; w < p->nwl; w++)
			for (unsigned o = 0; o < p->wl[w]->nopts; o++)
				used |= strcmp(p->wl[w]->opts[o].name, g[j].name) == 0;
		for (int m = 0; m < p->nmodel; m++)
			for (unsigned o = 0; o < p->model[m]->nopts; o++)
				used |= strcmp(p->model[m]->opts[o].name, g[j].name) == 0;
		if (!used)
			return not_applicable(g[j].name);
	}
	for (int w = 0; w < p->nwl; w++) {
		for (unsigned o = 0; o < p->wl[w]->nopts; o++) {
			const struct ptb_opt *opt = &p->wl[w]->opts[o];
			const char *raw = short_default(p, opt);
			for (int j = 0; j < ng; j++)
				if (strcmp(g[j].name, opt->name) == 0)
					raw = g[j].value;
			if (parse_wl_values(opt, raw, &p->wl_opts[w][o]))
				return 2;
		}
	}
	return 0;
}

/* A model's own options take one value each (given, or the default). */
static int resolve_model_opts(struct ptb_plan *p, const struct given *g, int ng)
{
	for (int m = 0; m < p->nmodel; m++) {
		for (unsigned o = 0; o < p->model[m]->nopts; o++) {
			const struct ptb_opt *opt = &p->model[m]->opts[o];
			struct ptb_optlist l;
			const char *raw = opt->def;
			for (int j = 0; j < ng; j++)
				if (strcmp(g[j].name, opt->name) == 0)
					raw = g[j].value;
			if (parse_wl_values(opt, raw, &l))
				return 2;
			if (l.n != 1)
				return ptb_bad_input("--%s: one value, not a list '%s' (allowed: %s)", opt->name,
					    raw, opt->kind == PTB_OPT_CHOICE ? opt->choices : "a number");
			p->model_opt[m][o] = l.v[0];
		}
		const char *why = p->model[m]->check_opts ? p->model[m]->check_opts(p->model_opt[m]) : NULL;
		if (why)
			return ptb_bad_input("%s", why);
	}
	return 0;
}

static int check_limits(const struct ptb_plan *p)
{
	struct rlimit rl;
	unsigned most = p->tasks;
	for (int i = 0; i < p->nworkers; i++)
		if (p->workers[i] > most)
			most = p->workers[i];
	if (getrlimit(RLIMIT_NPROC, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    (rlim_t)most + 2 > rl.rlim_cur)
		return ptb_bad_input("--workers: %u workers exceed RLIMIT_NPROC (%llu processes allowed)",
			    most, (unsigned long long)rl.rlim_cur);
	return 0;
}

/* ---- which models can run which workloads ------------------------------- */

unsigned long ptb_plan_combo(const struct ptb_plan *p, int w, unsigned long k, uint64_t *opt)
{
	unsigned long n = 1;
	for (unsigned o = p->wl[w]->nopts; o-- > 0;) {
		const struct ptb_optlist *l = &p->wl_opts[w][o];
		opt[o] = l->v[k % (unsigned long)l->n];
		k /= (unsigned long)l->n;
		n *= (unsigned long)l->n;
	}
	return n;
}

/* One (workload, parameters, workers): some model must fit.  A named model
 * that cannot run it while another named one can is skipped, as under
 * -m all, with a note the first time (e.g. -w pool -m pythread,pypool); when
 * none of the named models can, that is bad input. */
static int check_fit(const struct ptb_plan *p, const struct ptb_workload *wl,
		     const uint64_t *opt, unsigned workers)
{
	static bool noted[16][16];	/* [workload][model] (the plan's sizes): skip noted */
	const char *why = NULL, *who = NULL, *skip[16] = { NULL };
	bool fits = false;
	int w = 0;
	while (w < p->nwl && p->wl[w] != wl)
		w++;
	for (int m = 0; m < p->nmodel; m++) {
		const struct ptb_model *model = p->model[m];
		for (int s = 0; s < (model->pooled ? p->nsubmit : 1); s++) {
			struct ptb_fit fit = { .model = model, .opt = opt, .workers = workers,
					       .tasks = model->pooled && p->tasks ? p->tasks : workers,
					       .async_submit = model->pooled && p->submit_async[s],
					       .model_opt = p->model_opt[m] };
			const char *r = ptb_fit_refusal(wl, &fit);
			fits |= r == NULL;
			if (r && !skip[m])
				skip[m] = r;
			if (r && (!why || !model->supports || model->exec_runner)) {
				why = r;	/* rather a general model's reason than vfork's */
				who = model->name;
			}
		}
	}
	if (!fits && p->all_models)
		return ptb_bad_input("--model: no model can run workload '%s' as asked: %s", wl->name,
			    why ? why : "no model given");
	if (!fits)
		return ptb_bad_input("--model: '%s' cannot run workload '%s': %s", who ? who : "?", wl->name,
			    why ? why : "no model given");
	for (int m = 0; !p->all_models && m < p->nmodel && w < 16; m++) {
		if (skip[m] && !noted[w][m])
			fprintf(stderr, "ptbench: note: %s skips workload '%s' (%s)\n", p->model[m]->name,
				wl->name, skip[m]);
		noted[w][m] |= skip[m] != NULL;
	}
	return 0;
}

static int check_fits(const struct ptb_plan *p)
{
	for (int w = 0; w < p->nwl; w++) {
		const struct ptb_workload *wl = p->wl[w];
		uint64_t opt[PTB_MAX_OPTS] = { 0 };
		bool some_workers = false;
		for (int i = 0; i < p->nworkers; i++) {
			if (!ptb_workers_fit(wl, p->workers[i]))
				continue;	/* skipped quietly: e.g. switch at -n 1 */
			some_workers = true;
			unsigned long n = ptb_plan_combo(p, w, 0, opt);
			for (unsigned long k = 0; k < n; k++) {
				ptb_plan_combo(p, w, k, opt);
				if (check_fit(p, wl, opt, p->workers[i]))
					return 2;
			}
		}
		unsigned lo = wl->min_workers ? wl->min_workers : 1;
		unsigned hi = wl->max_workers ? wl->max_workers : PTB_MAX_WORKERS;
		if (!some_workers && lo == hi)
			return ptb_bad_input("--workers: none of the counts given fits workload '%s' (allowed: %u)",
				    wl->name, lo);
		if (!some_workers)
			return ptb_bad_input("--workers: none of the counts given fits workload '%s' (allowed: %u to %u)",
				    wl->name, lo, hi);
	}
	return 0;
}

static int scalar(const char *opt, const char *s, uint64_t min, uint64_t max, unsigned *out)
{
	uint64_t v;
	if (parse_num(opt, s, PTB_UNIT_COUNT, min, max, &v))
		return 2;
	*out = (unsigned)v;
	return 0;
}

static int apply_drv(struct ptb_plan *p, const char *drv[D_NOPTS])
{
	char buf[1024];
	const char *val;
#define VAL(i) (val = drv[i] ? drv[i] : drv_opts[i].def, snprintf(buf, sizeof buf, "%s", val), buf)
	if (parse_workloads(VAL(D_WORKLOAD), p) || check_py_args(p) || parse_models(VAL(D_MODEL), p) ||
	    parse_workers(VAL(D_WORKERS), p) || parse_submit(VAL(D_SUBMIT), p))
		return 2;
	if (scalar("reps", VAL(D_REPS), 1, 100000, &p->reps) ||
	    scalar("warmup", VAL(D_WARMUP), 0, 1000, &p->warmup) ||
	    scalar("timeout", VAL(D_TIMEOUT), 1, 86400 * 7, &p->timeout_s))
		return 2;
	if (drv[D_TASKS] && scalar("tasks", drv[D_TASKS], 1, 10000000, &p->tasks))
		return 2;
#undef VAL
	if (drv[D_OUTPUT] && drv[D_OUTPUT][0] == '\0')
		return ptb_bad_input("--output: empty path");
	p->output = drv[D_OUTPUT];
	p->tmpdir_base = drv[D_TMPDIR] ? drv[D_TMPDIR] : getenv("TMPDIR");
	if (!p->tmpdir_base || !*p->tmpdir_base)
		p->tmpdir_base = "/tmp";
	p->force = drv[D_FORCE] != NULL;
	p->quiet = drv[D_QUIET] != NULL;
	p->dry_run = drv[D_DRYRUN] != NULL;
	/* PTB_NO_VERDICTS: --no-verdicts for every run of a test suite */
	const char *no_verdicts = getenv("PTB_NO_VERDICTS");
	p->no_verdicts = drv[D_NO_VERDICTS] != NULL || (no_verdicts && *no_verdicts);
	p->export_json = drv[D_EXPORT_JSON];
	p->export_md = drv[D_EXPORT_MD];
	p->export_bench = drv[D_EXPORT_BENCH];
	return 0;
}

/* The largest need of workload w over its parameter sets and worker counts. */
static struct ptb_need largest_need(const struct ptb_plan *p, int w)
{
	const struct ptb_workload *wl = p->wl[w];
	struct ptb_need need = { wl->name, 0, 0 };
	uint64_t opt[PTB_MAX_OPTS] = { 0 };
	unsigned long n = ptb_plan_combo(p, w, 0, opt);
	for (unsigned long k = 0; k < n; k++) {
		ptb_plan_combo(p, w, k, opt);
		for (int i = 0; i < p->nworkers; i++) {
			uint64_t m = 0, d = 0;
			struct ptb_fit fit = { .opt = opt, .workers = p->workers[i],
					       .tasks = p->tasks ? p->tasks : p->workers[i] };
			wl->needs_bytes(&fit, &m, &d);
			need.mem_bytes = m > need.mem_bytes ? m : need.mem_bytes;
			need.disk_bytes = d > need.disk_bytes ? d : need.disk_bytes;
		}
	}
	return need;
}

/* Memory and disk: does the largest repetition of each workload fit? */
static int check_resources(const struct ptb_plan *p)
{
	struct ptb_need needs[16];
	int n = 0;
	for (int w = 0; w < p->nwl; w++)
		if (p->wl[w]->needs_bytes)
			needs[n++] = largest_need(p, w);
	return ptb_check_resources(p->tmpdir_base, needs, n);
}

int ptb_cli_parse(int argc, char **argv, struct ptb_plan *p)
{
	const char *drv[D_NOPTS] = { 0 };
	struct given wl[64];
	int nwl = 0;
	static char default_output[64];
	memset(p, 0, sizeof *p);
	p->argc = argc;
	p->argv = argv;
	ptb_pyfunc_reset();	/* --py-arg values and py: workloads are this command line's */
	if (preload_plugins(argc, argv) || collect(argc, argv, drv, wl, &nwl))
		return 2;
	if (!drv[D_WORKLOAD] && !drv[D_MODEL]) {
		p->short_plan = true;
		drv[D_WORKLOAD] = SHORT_WORKLOADS;
		drv[D_MODEL] = SHORT_MODELS;
		drv[D_REPS] = drv[D_REPS] ? drv[D_REPS] : SHORT_REPS;
	}
	if (apply_drv(p, drv) ||
	    resolve_wl_opts(p, wl, nwl) || resolve_model_opts(p, wl, nwl) || check_limits(p) ||
	    check_fits(p) || check_resources(p))
		return 2;
	if (!p->output) {	/* in the cwd, never a directory of ours (doc/cli.md) */
		time_t t = time(NULL);
		struct tm tm;
		char stamp[32];
		localtime_r(&t, &tm);
		strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
		snprintf(default_output, sizeof default_output, "ptbench-%s.csv", stamp);
		p->output = default_output;
	}
	return ptb_export_check(p);	/* after the CSV's path is known */
}

/* ---- help and list --------------------------------------------------- */

static const char *opt_arg_name(const struct ptb_opt *opt)
{
	return opt->kind == PTB_OPT_CHOICE ? opt->choices : opt->kind == PTB_OPT_TEXT ? "TEXT" : "N";
}

/* The options of run, one line each, from the table. */
static void run_options(FILE *out)
{
	for (int i = 0; i < D_NOPTS; i++) {
		char left[64];
		const struct drv_opt_def *d = &drv_opts[i];
		snprintf(left, sizeof left, "%s%c%s--%s %s", d->short_name ? "-" : "",
			 d->short_name ? d->short_name : ' ', d->short_name ? "," : " ", d->name,
			 d->arg ? d->arg : "");
		fprintf(out, "  %-24s %s%s%s%s\n", left, d->help, d->def ? " [" : "",
			d->def ? d->def : "", d->def ? "]" : "");
	}
}

static const char run_plan_text[] =
	"A plain `ptbench run` (neither -w nor -m) runs the short plan, in seconds:\n"
	"workloads " SHORT_WORKLOADS " in models " SHORT_MODELS " at 1 and 2 workers, " SHORT_REPS " repetitions,\n"
	"with --steps 1e8 and --rounds 2e4 (each can be given).  Without -o, run\n"
	"writes ptbench-YYYYMMDD-HHMMSS.csv and its .meta.json in the current\n"
	"directory; it never creates a directory.\n";

static const char exit_text[] =
	"Exit status: 0 all rows ok, 1 a repetition failed, 2 bad input,\n"
	"130/143 interrupted by SIGINT/SIGTERM (finished rows are kept).\n";

void ptb_cli_help(FILE *out)
{
	fputs("Usage: ptbench run [options]   run workloads in models, write CSV\n"
	      "  or:  ptbench list [--json] [-w LIST] [-m LIST]   workloads, models, options\n"
	      "  or:  ptbench COMMAND --help   a command's usage and examples\n"
	      "  or:  ptbench --help | --version\n\n"
	      "Commands:\n"
	      "  run        run workloads in models, one CSV row per repetition, a summary\n"
	      "  list       the workloads and models, their options and defaults\n"
	      "  help CMD   the same as ptbench CMD --help\n"
	      "  compare    OLD NEW: two runs' CSVs (or --export-json files), measure by measure\n\n"
	      "Lists are comma-separated (-m thread,fork -n 1,2,4); numbers take 1e9, 10M,\n"
	      "64k (k/M/G: decimal for counts, binary for bytes).  Options of run:\n", out);
	run_options(out);
	fputs("Workload options (lists sweep: --chunk 1k,64k): see `ptbench list`.\n", out);
	fputs(run_plan_text, out);
	fputs(exit_text, out);
	fputc('\n', out);
	ptb_compare_help(out);
}

int ptb_cli_command_help(const char *cmd, FILE *out)
{
	if (strcmp(cmd, "run") == 0) {
		fputs("Usage: ptbench run [options] [workload and model options]\n\n"
		      "Runs each workload in each model (every parameter set, every worker count,\n"
		      "warm-up then measured repetitions, models round-robin), writes one CSV row\n"
		      "per repetition and a meta file beside it, then prints a summary and, per\n"
		      "measure that a process model and its thread counterpart both ran (fork and\n"
		      "thread, ...), processes / threads with its 95% CI and a verdict (Python with\n"
		      "scipy, as compare; doc/export.md).\n\n"
		      "Lists are comma-separated (-m thread,fork -n 1,2,4); numbers take 1e9, 10M,\n"
		      "64k (k/M/G: decimal for counts, binary for bytes).  Options:\n", out);
		run_options(out);
		fputs("Workload and model options (--steps, --chunk, ...; a list sweeps): see\n"
		      "ptbench list.\n", out);
		fputs(run_plan_text, out);
		fputs(exit_text, out);
		fputs("\nExamples:\n"
		      "  ptbench run\n"
		      "      the short plan: cpu and switch in thread and fork, with a summary\n"
		      "  ptbench run -w cpu -m thread,fork -n 1,2,4 --steps 1e8 -o cpu.csv\n"
		      "      the cpu loop at 1, 2 and 4 workers into cpu.csv\n"
		      "  ptbench run -w copy -m thread,procpool --chunk 1k,64k --dry-run\n"
		      "      the plan of a chunk-size sweep and its estimated time, nothing run\n", out);
		return 0;
	}
	if (strcmp(cmd, "list") == 0) {
		fputs("Usage: ptbench list [--json] [-w LIST] [-m LIST]\n\n"
		      "The workloads and models with their options and defaults, as text (at most\n"
		      "100 columns) or as one JSON document for scripts (doc/cli.md).\n\n"
		      "  --json                   one JSON document on stdout\n"
		      "  -w,--workload LIST       only these workloads (also plugin:PATH.so, py:MODULE:FUNCTION)\n"
		      "  -m,--model LIST          only these models (all: every model)\n"
		      "Exit status: 0, or 2 for an unknown name or argument.\n\n"
		      "Examples:\n"
		      "  ptbench list\n"
		      "      every workload and model\n"
		      "  ptbench list -w plugin:./sha256.so\n"
		      "      your plugin's options, and the models that run it\n"
		      "  ptbench list --json -w cpu\n"
		      "      the cpu workload as JSON: options, units, the models that run it\n", out);
		return 0;
	}
	if (strcmp(cmd, "compare") == 0) {
		ptb_compare_usage(out);
		return 0;
	}
	return -1;
}

/* ---- list, as text and as JSON ----------------------------------------- */

/* Which workloads and models `list` shows (-w, -m; all when not given). */
struct list_sel {
	const struct ptb_workload *wl[64];	/* in the order shown */
	unsigned nwl;
	bool model[64];
	bool all_models;
};

static int list_select(const char *what, const char *arg, bool *sel, unsigned n,
		       const char *(*name_of)(unsigned))
{
	char copy[1024], *items[64];
	snprintf(copy, sizeof copy, "%s", arg);
	int k = ptb_split_list(copy, items, 64);
	if (k < 0) {
		fprintf(stderr, "ptbench: list: %s: empty or too long list '%s'\n", what, arg);
		return 2;
	}
	for (int i = 0; i < k; i++) {
		unsigned j = 0;
		while (j < n && strcmp(name_of(j), items[i]) != 0)
			j++;
		if (j == n) {
			fprintf(stderr, "ptbench: list: %s: unknown '%s' (see ptbench list)\n", what, items[i]);
			return 2;
		}
		sel[j] = true;
	}
	return 0;
}

/* -w's workloads into sel: built-in names, plugin:PATH.so, py:REF. */
static int list_workloads(const char *arg, struct list_sel *sel)
{
	char copy[1024], *items[64];
	snprintf(copy, sizeof copy, "%s", arg);
	int k = ptb_split_list(copy, items, 64);
	if (k < 0) {
		fprintf(stderr, "ptbench: list: --workload: empty or too long list '%s'\n", arg);
		return 2;
	}
	for (int i = 0; i < k && sel->nwl < 64; i++) {
		struct ptb_err err;
		const struct ptb_workload *w = ptb_workload_resolve(items[i], &err);
		if (!w) {
			if (err.msg[0])
				fprintf(stderr, "ptbench: list: --workload: %s\n", err.msg);
			else
				fprintf(stderr, "ptbench: list: --workload: unknown '%s' (see ptbench list)\n",
					items[i]);
			return 2;
		}
		sel->wl[sel->nwl++] = w;
	}
	return 0;
}

static const char *model_name_of(unsigned i)
{
	return ptb_models[i]->name;
}

/* s as a JSON string, quotes included. */
static void json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (const unsigned char *c = (const unsigned char *)(s ? s : ""); *c; c++) {
		if (*c == '"' || *c == '\\')
			fprintf(out, "\\%c", *c);
		else if (*c == '\n')
			fputs("\\n", out);
		else if (*c == '\t')
			fputs("\\t", out);
		else if (*c < 0x20)
			fprintf(out, "\\u%04x", *c);
		else
			fputc(*c, out);
	}
	fputc('"', out);
}

/* A '|' or ',' separated list as a JSON array of strings. */
static void json_split(FILE *out, const char *list, char sep)
{
	fputc('[', out);
	for (const char *c = list; c && *c;) {
		size_t n = strcspn(c, (char[]){ sep, '\0' });
		char item[128];
		snprintf(item, sizeof item, "%.*s", (int)n, c);
		json_str(out, item);
		c += n;
		if (*c == sep) {
			c++;
			fputs(", ", out);
		}
	}
	fputc(']', out);
}

static void json_opts(FILE *out, const struct ptb_opt *opts, unsigned nopts, const char *indent)
{
	fputc('[', out);
	for (unsigned o = 0; o < nopts; o++) {
		const struct ptb_opt *opt = &opts[o];
		fprintf(out, "%s\n%s  {\"name\": ", o ? "," : "", indent);
		json_str(out, opt->name);
		fputs(", \"kind\": ", out);
		json_str(out, opt->kind == PTB_OPT_NUM ? "number" : opt->kind == PTB_OPT_CHOICE ? "choice" : "text");
		fputs(", \"default\": ", out);
		json_str(out, opt->def);
		if (opt->kind == PTB_OPT_NUM) {
			const char *why;
			uint64_t v;
			if (ptb_parse_u64(opt->def, opt->unit, UINT64_MAX, &v, &why) == 0)
				fprintf(out, ", \"default_value\": %llu", (unsigned long long)v);
			fprintf(out, ", \"unit\": \"%s\", \"min\": %llu, \"max\": %llu",
				opt->unit == PTB_UNIT_BYTES ? "bytes" : "count",
				(unsigned long long)opt->min, (unsigned long long)opt->max);
		} else if (opt->kind == PTB_OPT_CHOICE) {
			fputs(", \"choices\": ", out);
			json_split(out, opt->choices, '|');
		}
		fputs(", \"help\": ", out);
		json_str(out, opt->help);
		fputc('}', out);
	}
	if (nopts)
		fprintf(out, "\n%s", indent);
	fputc(']', out);
}

static void list_json(FILE *out, const struct list_sel *sel)
{
	bool first = true;
	fprintf(out, "{\n  \"ptbench\": \"%s\",\n  \"workloads\": [", PTB_VERSION);
	for (unsigned w = 0; w < sel->nwl; w++) {
		const struct ptb_workload *wl = sel->wl[w];
		fprintf(out, "%s\n    {\n      \"name\": ", first ? "" : ",");
		first = false;
		json_str(out, wl->name);
		fputs(",\n      \"description\": ", out);
		json_str(out, wl->desc);
		fputs(",\n      \"ops_unit\": ", out);
		json_str(out, wl->ops_unit);
		fputs(",\n      \"headline\": {\"column\": ", out);
		json_str(out, wl->headline ? wl->headline : "ns_per_op");
		fprintf(out, ", \"better\": \"%s\"}", wl->better == PTB_HIGHER_IS_BETTER ? "higher" : "lower");
		fputs(",\n      \"claims\": ", out);
		json_split(out, wl->claims, ',');
		fprintf(out, ",\n      \"python\": {\"twin\": %s, \"executors\": %s}",
			wl->py & PTB_PY_IMPL ? "true" : "false",
			wl->py & PTB_PY_EXECUTORS ? "true" : "false");
		fprintf(out, ",\n      \"workers\": {\"min\": %u, \"max\": %u}", wl->min_workers, wl->max_workers);
		fputs(",\n      \"models\": [", out);
		bool mfirst = true;
		for (unsigned m = 0; m < ptb_nmodels; m++) {
			if (!sel->model[m] || !ptb_model_runs(ptb_models[m], wl))
				continue;
			fputs(mfirst ? "" : ", ", out);
			mfirst = false;
			json_str(out, ptb_models[m]->name);
		}
		fputs("],\n      \"options\": ", out);
		json_opts(out, wl->opts, wl->nopts, "      ");
		fputs("\n    }", out);
	}
	fputs("\n  ],\n  \"models\": [", out);
	first = true;
	for (unsigned m = 0; m < ptb_nmodels; m++) {
		const struct ptb_model *model = ptb_models[m];
		if (!sel->model[m])
			continue;
		fprintf(out, "%s\n    {\n      \"name\": ", first ? "" : ",");
		first = false;
		json_str(out, model->name);
		fputs(",\n      \"description\": ", out);
		json_str(out, model->desc);
		fprintf(out, ",\n      \"pooled\": %s, \"shared_space\": %s, \"external\": %s",
			model->pooled ? "true" : "false", model->shared_space ? "true" : "false",
			model->exec_runner ? "true" : "false");
		fputs(", \"counterpart\": ", out);
		if (model->counterpart)
			json_str(out, model->counterpart);
		else
			fputs("null", out);
		fputs(",\n      \"options\": ", out);
		json_opts(out, model->opts, model->nopts, "      ");
		fputs("\n    }", out);
	}
	fputs("\n  ]\n}\n", out);
}

#define LIST_WIDTH 100	/* ptbench list's text fits this many columns */

/* text's words from column col on, wrapped before LIST_WIDTH with the
 * following lines indented to column indent; ends the line.  NBSP (a
 * byte 1) joins two words as a space that never breaks. */
#define NBSP "\001"
static void put_wrapped(FILE *out, const char *text, int col, int indent)
{
	bool first = true;
	for (const char *c = text; *c;) {
		int n = (int)strcspn(c, " ");
		if (!first && col + 1 + n > LIST_WIDTH) {
			fprintf(out, "\n%*s", indent, "");
			col = indent;
		} else if (!first) {
			fputc(' ', out);
			col++;
		}
		for (int i = 0; i < n; i++)
			fputc(c[i] == NBSP[0] ? ' ' : c[i], out);
		col += n;
		first = false;
		c += n;
		c += strspn(c, " ");
	}
	fputc('\n', out);
}

/* "  name       description" of a workload or model, wrapped. */
static void list_entry(FILE *out, const char *name, const char *desc, const char *tail)
{
	char text[1024];
	int col = fprintf(out, "  %-10s ", name);
	snprintf(text, sizeof text, "%s%s", desc, tail);
	put_wrapped(out, text, col, 13);
}

/* "      --name ARG   help [default]", wrapped: the help in column 35, or
 * on the next line when the option and its argument are wider. */
static void list_opt(FILE *out, const struct ptb_opt *opt)
{
	char left[128], text[1024];
	snprintf(left, sizeof left, "--%s %s", opt->name, opt_arg_name(opt));
	snprintf(text, sizeof text, "%s [%s]", opt->help, opt->def);
	if (strlen(left) > 28)
		fprintf(out, "      %s\n%35s", left, "");
	else
		fprintf(out, "      %-28s ", left);
	put_wrapped(out, text, 35, 35);
}

static void list_text(FILE *out, const struct list_sel *sel)
{
	fputs("workloads:\n", out);
	for (unsigned w = 0; w < sel->nwl; w++) {
		const struct ptb_workload *wl = sel->wl[w];
		char unit[64];
		snprintf(unit, sizeof unit, " (op" NBSP "=" NBSP "%s)", wl->ops_unit);
		list_entry(out, wl->name, wl->desc, unit);
		for (unsigned o = 0; o < wl->nopts; o++)
			list_opt(out, &wl->opts[o]);
	}
	fputs("models:\n", out);
	for (unsigned m = 0; m < ptb_nmodels; m++) {
		if (!sel->model[m])
			continue;
		list_entry(out, ptb_models[m]->name, ptb_models[m]->desc,
			   ptb_models[m]->pooled ? " (--tasks, --submit)" : "");
		for (unsigned o = 0; o < ptb_models[m]->nopts; o++)
			list_opt(out, &ptb_models[m]->opts[o]);
	}
	if (sel->all_models)
		fputs("  all        every model above that can run the workload\n", out);
}

int ptb_cli_list(int argc, char **argv, FILE *out)
{
	struct list_sel sel = { .all_models = true };
	bool json = false, any_wl = false, any_model = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		bool is_w = !strcmp(a, "-w") || !strcmp(a, "--workload");
		bool is_m = !strcmp(a, "-m") || !strcmp(a, "--model");
		if (!strcmp(a, "--json")) {
			json = true;
		} else if ((is_w || is_m) && !v) {
			fprintf(stderr, "ptbench: list: %s needs a value\n", a);
			return 2;
		} else if (is_w) {
			if (list_workloads(v, &sel))
				return 2;
			any_wl = true;
			i++;
		} else if (is_m) {
			if (strcmp(v, "all") != 0 &&
			    list_select("--model", v, sel.model, ptb_nmodels, model_name_of))
				return 2;
			any_model |= strcmp(v, "all") != 0;
			i++;
		} else {
			fprintf(stderr, "ptbench: list: unknown argument '%s' (allowed: --json, -w LIST, -m LIST)\n", a);
			return 2;
		}
	}
	for (unsigned w = 0; !any_wl && w < ptb_nworkloads && w < 64; w++)
		sel.wl[sel.nwl++] = ptb_workloads[w];
	for (unsigned m = 0; !any_model && m < ptb_nmodels && m < 64; m++)
		sel.model[m] = true;
	sel.all_models = !any_model;
	if (json)
		list_json(out, &sel);
	else
		list_text(out, &sel);
	return fflush(out) == 0 && !ferror(out) ? 0 : 1;
}
