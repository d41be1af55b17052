/* estimate.c - the rough duration of one repetition (estimate.h). */
#include "estimate.h"

#include <string.h>
#include <unistd.h>

struct est {
	const struct ptb_workload *wl;
	const struct ptb_fit *fit;
	double par;	/* workers that run at once: min(workers, CPUs) */
	bool py, mpi;
};

/* The value of option `name` (a number, or a choice's index); def when
 * the workload has no such option. */
static double opt_num(const struct est *e, const char *name, double def)
{
	for (unsigned o = 0; o < e->wl->nopts; o++)
		if (strcmp(e->wl->opts[o].name, name) == 0)
			return (double)e->fit->opt[o];
	return def;
}

/* Is choice option `name` at the choice `value`? */
static bool opt_is(const struct est *e, const char *name, const char *value)
{
	for (unsigned o = 0; o < e->wl->nopts; o++) {
		const struct ptb_opt *opt = &e->wl->opts[o];
		if (opt->kind != PTB_OPT_CHOICE || strcmp(opt->name, name) != 0)
			continue;
		const char *c = opt->choices;
		for (uint64_t k = 0; k < e->fit->opt[o] && c; k++)
			c = strchr(c, '|') ? strchr(c, '|') + 1 : NULL;
		return c && strncmp(c, value, strlen(value)) == 0 &&
		       (c[strlen(value)] == '|' || c[strlen(value)] == '\0');
	}
	return false;
}

/* ns of the timed region of one repetition; < 0: workload not known. */
static double timed_ns(const struct est *e)
{
	const char *w = e->wl->name;
	double tasks = e->fit->tasks ? e->fit->tasks : e->fit->workers, par = e->par;
	double slow = e->py ? 40.0 : 1.0;	/* CPython's loop against C's */
	if (strcmp(w, "cpu") == 0 || strcmp(w, "crash") == 0)
		return opt_num(e, "steps", 1e9) * tasks * 0.3 * slow / par;
	if (strcmp(w, "copy") == 0)
		return opt_num(e, "files", 16) * opt_num(e, "file-size", 8 << 20) *
		       (0.25 + 3000.0 / (opt_num(e, "chunk", 1024) + 1)) * (e->py ? 2 : 1) / par;
	if (strcmp(w, "counter") == 0) {
		double iters = opt_num(e, "iters", 1), window = opt_num(e, "window-us", 0) * 1e3;
		if (window > 0)
			return iters * window * (opt_is(e, "lock", "none") ? 1 : tasks);
		return iters * tasks * 20 * (e->py ? 20 : 1);
	}
	if (strcmp(w, "create") == 0) {
		double each = e->fit->model && e->fit->model->shared_space ? 20e3 : 120e3;
		each += opt_num(e, "parent-mb", 0) * 300;	/* page tables a fork copies */
		if (!opt_is(e, "exec", "no") && !(e->fit->model && e->fit->model->shared_space))
			each += 500e3 * !opt_is(e, "exec", "auto");
		return opt_num(e, "count", 200) * tasks * each * (e->py ? 3 : 1) / par;
	}
	if (strcmp(w, "switch") == 0)
		return opt_num(e, "rounds", 1e5) * (opt_is(e, "pin", "split") ? 25e3 : 10e3) *
		       (e->py ? 6 : 1);
	if (strcmp(w, "footprint") == 0)
		return e->fit->workers * (1e6 + opt_num(e, "touch-mb", 0) * 3e5) * (e->py ? 25 : 1);
	if (strcmp(w, "pool") == 0)
		return tasks * (opt_num(e, "task-us", 1000) * 1e3 + (e->py ? 300e3 : 20e3)) / par *
		       (e->fit->async_submit ? 1 : 2);
	if (strcmp(w, "zombie") == 0)
		return tasks * opt_num(e, "children", 8) * 2.4e6 * (e->py ? 15 : 1) / par;
	if (strcmp(w, "daemon") == 0)
		return 10e6 * (e->py ? 20 : 1) +
		       (opt_is(e, "parent-exit", "sigkill") ? opt_num(e, "bound-ms", 2000) * 1e5 : 0);
	if (strcmp(w, "share") == 0)
		return opt_num(e, "bytes", 64 << 20) * 0.35 * (e->py ? 10 : 1) *
		       (opt_num(e, "encode", 0) ? 2 : 1);
	if (strcmp(w, "allreduce") == 0)
		return opt_num(e, "exchanges", 100) *
		       (opt_num(e, "steps", 1e6) * 0.3 * slow * e->fit->workers / par + 30e3 +
			opt_num(e, "payload", 8) * 2);
	return -1;
}

double ptb_estimate_rep_s(const struct ptb_workload *wl, const struct ptb_fit *fit,
			  unsigned timeout_s, bool *known)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	const char *m = fit->model ? fit->model->name : "";
	struct est e = { .wl = wl, .fit = fit };
	e.mpi = strstr(m, "mpi") != NULL;
	e.py = strncmp(m, "py", 2) == 0;
	e.par = fit->workers < (unsigned)(cpus > 0 ? cpus : 1) ? fit->workers : (double)cpus;
	if (e.par < 1)
		e.par = 1;
	double ns = timed_ns(&e);
	*known = ns >= 0;
	if (ns < 0)
		ns = 0.1e9;
	double s = ns / 1e9 + (e.mpi ? 0.7 : e.py ? 0.45 : 0.003);
	return timeout_s && s > timeout_s ? timeout_s : s;
}

double ptb_eta_s(const struct ptb_eta_cell *cells, size_t n, size_t first)
{
	double act[16][32] = { { 0 } }, est[16][32] = { { 0 } }, act_all = 0, est_all = 0, left = 0;
	for (size_t i = 0; i < n; i++) {
		const struct ptb_eta_cell *c = &cells[i];
		if (!c->done || c->w < 0 || c->w >= 16 || c->v < 0 || c->v >= 32)
			continue;
		act[c->w][c->v] += c->sum_s;
		est[c->w][c->v] += c->est_s * c->done;
		act_all += c->sum_s;
		est_all += c->est_s * c->done;
	}
	for (size_t i = first; i < n; i++) {
		const struct ptb_eta_cell *c = &cells[i];
		double each = c->est_s * (est_all > 0 ? act_all / est_all : 1.0);
		if (c->measured)
			each = c->measured_s / c->measured;
		else if (c->done)
			each = c->sum_s / c->done;
		else if (c->w >= 0 && c->w < 16 && c->v >= 0 && c->v < 32 && est[c->w][c->v] > 0)
			each = c->est_s * act[c->w][c->v] / est[c->w][c->v];
		left += each * (c->runs > c->done ? c->runs - c->done : 0);
	}
	return left;
}
