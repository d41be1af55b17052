/* driver.c - the run loop of `ptbench run`.
 *
 * Order: workload, parameter set (a sweep's odometer), worker count, then
 * repetitions, and inside each repetition every model once (round-robin),
 * so a drift in the machine's speed spreads over all models alike instead
 * of masquerading as a difference between them.  Warm-up repetitions run
 * the same way and are not recorded. */
#include "driver.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "csv.h"
#include "export.h"
#include "estimate.h"
#include "fsutil.h"
#include "measure.h"
#include "meta.h"
#include "runner.h"
#include "signals.h"
#include "summary.h"
#include "verdict.h"

struct drive {
	const struct ptb_plan *plan;
	char csv_path[4096], meta_path[4096], tmpdir[4096];
	char run_id[64];
	int fd;
	int tmpdir_fd;		/* holds the flock on tmpdir (see make_tmpdir) */
	struct ptb_meta_run meta;
	struct ptb_summary *summary;
	unsigned long total_runs, done_runs;
	int64_t started_ns, last_progress_ns;
	unsigned failed;
	unsigned stolen_reps;	/* repetitions with steal above STEAL_WARN_SHARE */
	int64_t steal_ns;	/* steal over every recorded repetition */
	struct ptb_eta_cell *cells;	/* [config * nvars + variant]: the ETA's figures */
	size_t ncells, config;	/* config: the (workload, parameters, workers) running */
	int nvars;
};

/* Steal time above this share of a repetition's wall time: a warning. */
#define STEAL_WARN_SHARE 0.02
#define STEAL_WARN_LINES 5	/* then only the count at the end */

/* One model as run: a pool once per --submit mode. */
struct variant {
	const struct ptb_model *model;
	const uint64_t *model_opt;	/* the model's own option values (plan) */
	bool async_submit;
	char name[48];
};

/* ---- output files ------------------------------------------------------ */

static void meta_path_for(const char *csv, char *buf, size_t len)
{
	size_t n = strlen(csv);
	if (n > 4 && strcmp(csv + n - 4, ".csv") == 0)
		n -= 4;
	snprintf(buf, len, "%.*s.meta.json", (int)n, csv);
}

/* -o -: the CSV on stdout (a copy of the descriptor), no meta file; the
 * summary then goes to stderr with the progress. */
static bool csv_on_stdout(const struct drive *d)
{
	return strcmp(d->csv_path, "-") == 0;
}

static int open_stdout(struct drive *d)
{
	static const char header[] = PTB_CSV_HEADER "\n";
	d->meta_path[0] = '\0';
	d->fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
	if (d->fd < 0 || ptb_write_all(d->fd, header, sizeof header - 1)) {
		fprintf(stderr, "ptbench: --output: cannot write the CSV to stdout: %s\n", strerror(errno));
		if (d->fd >= 0)
			close(d->fd);
		d->fd = -1;
		return 2;
	}
	return 0;
}

static int open_output(struct drive *d)
{
	const struct ptb_plan *p = d->plan;
	/* the command line always names the output (its default: ptbench-<stamp>.csv) */
	snprintf(d->csv_path, sizeof d->csv_path, "%s", p->output);
	if (csv_on_stdout(d))
		return open_stdout(d);
	meta_path_for(d->csv_path, d->meta_path, sizeof d->meta_path);
	struct stat st;
	if (stat(d->csv_path, &st) == 0 && S_ISDIR(st.st_mode)) {
		fprintf(stderr, "ptbench: --output: '%s' is a directory (allowed: a file path)\n", d->csv_path);
		return 2;
	}
	int flags = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | (p->force ? O_TRUNC : O_EXCL);
	d->fd = open(d->csv_path, flags, 0644);
	if (d->fd < 0) {
		fprintf(stderr, "ptbench: --output: cannot create '%s': %s%s\n", d->csv_path,
			strerror(errno), errno == EEXIST ? " (use --force to overwrite)" : "");
		return 2;
	}
	static const char header[] = PTB_CSV_HEADER "\n";
	if (ptb_write_all(d->fd, header, sizeof header - 1)) {
		fprintf(stderr, "ptbench: writing %s: %s\n", d->csv_path, strerror(errno));
		close(d->fd);
		unlink(d->csv_path);
		return 2;
	}
	return 0;
}

static void write_meta(struct drive *d, const char *status)
{
	char finished[32];
	struct ptb_err err;
	d->meta.status = status;
	if (strcmp(status, "running") != 0) {
		ptb_utc_now(finished, sizeof finished);
		d->meta.finished = finished;
	}
	if (d->meta_path[0] && ptb_meta_write(d->meta_path, &d->meta, &err))
		fprintf(stderr, "ptbench: warning: %s\n", err.msg);
	d->meta.finished = NULL;
}

/* ---- the private temporary directory ------------------------------------
 *
 * TMPDIR/ptbench-run-PID-XXXXXX, locked by its driver (flock LOCK_EX on the
 * directory itself) for as long as the driver runs; a forked worker that
 * inherited the descriptor keeps it locked while it lives (O_CLOEXEC: a
 * program exec'd does not).  A run removes only the directories it can
 * lock: their driver and every child of it are gone.  The PID in the name
 * is for people, never asked: in another PID namespace the same number is
 * another process or none, so "is PID alive" deleted live runs' directories.
 * The directory is made as .ptbench-new-PID-XXXXXX, locked, then renamed,
 * so no run ever sees an unlocked ptbench-run-* directory that is in use;
 * a .ptbench-new-* one is only left by a crash inside those few calls and
 * is removed once it can be locked and is older than STALE_NEW_S.  The
 * ptbench-PID-* directories of earlier versions (never locked) are left
 * alone: nothing proves them unused, and their versions never remove a
 * ptbench-run-* one. */

#define TMP_PREFIX "ptbench-run-"
#define TMP_NEW_PREFIX ".ptbench-new-"
#define STALE_NEW_S 60

/* Is the directory fd refers to unused: can it be locked?  The lock stays
 * taken (closing fd drops it). */
static bool lock_is_free(int fd)
{
	return flock(fd, LOCK_EX | LOCK_NB) == 0;
}

static bool is_stale_entry(int base_fd, const char *name)
{
	struct stat st;
	bool fresh_new = strncmp(name, TMP_NEW_PREFIX, strlen(TMP_NEW_PREFIX)) == 0;
	if (!fresh_new && strncmp(name, TMP_PREFIX, strlen(TMP_PREFIX)) != 0)
		return false;
	int fd = openat(base_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return false;
	bool stale = fstat(fd, &st) == 0 && st.st_uid == geteuid() && lock_is_free(fd) &&
		     (!fresh_new || time(NULL) - st.st_ctime > STALE_NEW_S);
	close(fd);	/* a run starting now makes its own directory: no race on this one */
	return stale;
}

/* Remove the ptbench-run-* directories of runs that are over (unlocked). */
static void remove_stale_tmpdirs(const char *base)
{
	DIR *dir = opendir(base);
	struct dirent *e;
	if (!dir)
		return;
	while ((e = readdir(dir))) {
		char path[4096];
		if (!is_stale_entry(dirfd(dir), e->d_name))
			continue;
		snprintf(path, sizeof path, "%s/%s", base, e->d_name);
		if (ptb_rm_rf(path, NULL) == 0)
			fprintf(stderr, "ptbench: removed %s, left by an earlier run that was killed\n", path);
	}
	closedir(dir);
}

static int make_tmpdir(struct drive *d)
{
	char made[4096];
	const char *base = d->plan->tmpdir_base;
	remove_stale_tmpdirs(base);
	snprintf(made, sizeof made, "%s/" TMP_NEW_PREFIX "%ld-XXXXXX", base, (long)getpid());
	if (!mkdtemp(made)) {
		fprintf(stderr, "ptbench: --tmpdir: cannot create a directory in '%s': %s\n", base,
			strerror(errno));
		return 2;
	}
	snprintf(d->tmpdir, sizeof d->tmpdir, "%s/" TMP_PREFIX "%s", base,
		 made + strlen(base) + 1 + strlen(TMP_NEW_PREFIX));
	d->tmpdir_fd = open(made, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (d->tmpdir_fd < 0 || flock(d->tmpdir_fd, LOCK_EX) < 0 ||
	    renameat2(AT_FDCWD, made, AT_FDCWD, d->tmpdir, RENAME_NOREPLACE) < 0) {
		fprintf(stderr, "ptbench: --tmpdir: cannot set up '%s': %s\n", d->tmpdir, strerror(errno));
		if (d->tmpdir_fd >= 0)
			close(d->tmpdir_fd);
		d->tmpdir_fd = -1;
		rmdir(made);
		d->tmpdir[0] = '\0';
		return 2;
	}
	return 0;
}

/* ---- progress --------------------------------------------------------- */

static void progress(struct drive *d, const char *wl, const char *variant, unsigned workers,
		     int rep)
{
	const struct ptb_plan *p = d->plan;
	int64_t now_ns = ptb_now_ns();
	bool tty = isatty(STDERR_FILENO);
	/* a terminal gets one line redrawn; a log a line every 5 s at most */
	if (p->quiet || (!tty && d->done_runs > 0 && now_ns - d->last_progress_ns < 5000000000))
		return;
	d->last_progress_ns = now_ns;
	double elapsed_s = (double)(now_ns - d->started_ns) / 1e9;
	double eta = ptb_eta_s(d->cells, d->ncells, d->config * (size_t)d->nvars);
	char repname[32];
	if (rep < 0)
		snprintf(repname, sizeof repname, "warmup");
	else
		snprintf(repname, sizeof repname, "rep %d/%u", rep + 1, p->reps);
	fprintf(stderr, "%s[%lu/%lu] %s %s n=%u %s  elapsed %.0fs ETA %.0fs%s", tty ? "\r\033[K" : "",
		d->done_runs + 1, d->total_runs, wl, variant, workers, repname, elapsed_s, eta,
		tty ? "" : "\n");
}

static void progress_done(const struct drive *d)
{
	if (!d->plan->quiet && isatty(STDERR_FILENO))
		fputs("\r\033[K", stderr);
}

/* ---- one configuration ---------------------------------------------------- */

/* name=value;... of options opts[0..nopts) with values opt, from buf[used]. */
static size_t append_opts(const struct ptb_opt *opts, unsigned nopts, const uint64_t *opt,
			  char *buf, size_t used, size_t len)
{
	for (unsigned o = 0; o < nopts && used < len; o++) {
		const struct ptb_opt *def = &opts[o];
		if (def->kind == PTB_OPT_NUM) {
			used += (size_t)snprintf(buf + used, len - used, "%s%s=%llu", o ? ";" : "",
						 def->name, (unsigned long long)opt[o]);
		} else if (def->kind == PTB_OPT_TEXT) {
			used += (size_t)snprintf(buf + used, len - used, "%s%s=%s", o ? ";" : "",
						 def->name, ptb_opt_text(opt[o]));
		} else {
			const char *c = def->choices;
			for (uint64_t k = 0; k < opt[o] && c; k++)
				c = strchr(c, '|') ? strchr(c, '|') + 1 : NULL;
			used += (size_t)snprintf(buf + used, len - used, "%s%s=%.*s", o ? ";" : "",
						 def->name, c ? (int)strcspn(c, "|") : 0, c ? c : "");
		}
	}
	return used;
}

/* Is value v option o's default (as typed in its table)? */
static bool is_default(const struct ptb_opt *o, uint64_t v)
{
	uint64_t d = 0;
	const char *why = NULL, *c = o->choices;
	if (o->kind == PTB_OPT_NUM)
		return ptb_parse_u64(o->def, o->unit, o->max, &d, &why) == 0 && d == v;
	if (o->kind == PTB_OPT_TEXT)
		return strcmp(ptb_opt_text(v), o->def) == 0;
	for (uint64_t k = 0; k < v && c; k++)
		c = strchr(c, '|') ? strchr(c, '|') + 1 : NULL;
	size_t n = strlen(o->def);
	return c && strncmp(c, o->def, n) == 0 && (c[n] == '|' || c[n] == '\0');
}

/* A model's own options go in only when not at their default, so that
 * its rows at the defaults group with every other model's. */
/* The params column: the workload's options, then (v not NULL) the pool's
 * tasks and submit mode and the model's options that are not defaults. */
static void params_string(const struct ptb_workload *wl, const uint64_t *opt,
			  const struct variant *v, unsigned tasks, char *buf, size_t len)
{
	size_t used = append_opts(wl->opts, wl->nopts, opt, buf, 0, len);
	buf[used < len ? used : len - 1] = '\0';
	if (!v)
		return;
	if (v->model->pooled && used < len)
		used += (size_t)snprintf(buf + used, len - used, "%stasks=%u;submit=%s",
					 used ? ";" : "", tasks, v->async_submit ? "async" : "sync");
	for (unsigned o = 0; v->model_opt && o < v->model->nopts && used + 1 < len; o++) {
		if (is_default(&v->model->opts[o], v->model_opt[o]))
			continue;
		if (used)
			buf[used++] = ';';
		used = append_opts(&v->model->opts[o], 1, &v->model_opt[o], buf, used, len);
	}
}

/* Steal time (the hypervisor running other guests on our vCPUs) above
 * STEAL_WARN_SHARE of the repetition's wall time (the runner's life, the
 * interval the steal was read over): its figures are suspect. */
static void note_steal(struct drive *d, const struct ptb_rep_spec *spec, const struct variant *v,
		       unsigned rep, const struct ptb_sample *s)
{
	if (s->steal_ns == PTB_MISSING || s->outer_wall_ns == PTB_MISSING || s->outer_wall_ns <= 0)
		return;
	d->steal_ns += s->steal_ns;
	double share = (double)s->steal_ns / (double)s->outer_wall_ns;
	if (share <= STEAL_WARN_SHARE)
		return;
	if (d->stolen_reps++ < STEAL_WARN_LINES) {
		progress_done(d);
		fprintf(stderr, "ptbench: warning: %s %s n=%u rep %u: steal time %.1f ms = %.1f%% of "
			"its %.1f ms: the hypervisor ran other work on our CPUs\n", spec->wl->name,
			v->name, spec->ctx.workers, rep + 1, (double)s->steal_ns / 1e6, 100.0 * share,
			(double)s->outer_wall_ns / 1e6);
	}
}

static int record(struct drive *d, const struct ptb_rep_spec *spec, const struct variant *v,
		  unsigned rep, const struct ptb_sample *s)
{
	char params[512];
	struct ptb_line line;
	params_string(spec->wl, spec->ctx.opt, v, spec->ctx.tasks, params, sizeof params);
	struct ptb_row_key key = { d->run_id, spec->wl->name, v->model->name, params,
				   spec->ctx.workers, rep };
	ptb_csv_row(&line, &key, s);
	if (line.overflow || ptb_write_all(d->fd, line.buf, line.len)) {
		fprintf(stderr, "ptbench: writing %s: %s\n", d->csv_path,
			line.overflow ? "row too long" : strerror(errno));
		return -1;
	}
	d->meta.rows++;
	if (!s->ok) {
		d->failed++;
		progress_done(d);
		fprintf(stderr, "ptbench: %s %s n=%u rep %u: not ok: %s\n", spec->wl->name, v->name,
			spec->ctx.workers, rep + 1, s->error[0] ? s->error : "wrong result");
	}
	note_steal(d, spec, v, rep, s);
	/* the group is the workload's options only: the pool's are in the variant */
	params_string(spec->wl, spec->ctx.opt, NULL, 0, params, sizeof params);
	/* an expected death of the runner (crash with threads) is ok, untimed */
	struct ptb_summary_rep r = {
		.workload = spec->wl->name, .ops_unit = spec->wl->ops_unit, .params = params,
		.variant = v->name, .model = v->model->name, .workers = spec->ctx.workers,
		.tasks = spec->ctx.tasks, .measure = ptb_measure_of(spec->wl),
		.ok = s->ok && s->has_result,
		.ns_per_op = s->wall_ns == PTB_MISSING ? NAN : ptb_ns_per_op(s),
		.result = (double)s->result,
		.pss_kb = s->pss_kb == PTB_MISSING ? -1.0 : (double)s->pss_kb,
	};
	ptb_summary_record(d->summary, &r);
	return 0;
}

/* NULL when variant v can run this configuration, else why not: -m all
 * skips such pairs (the CLI has refused them when a model was named). */
static const char *refusal(const struct ptb_plan *p, const struct ptb_workload *wl,
			   const uint64_t *opt, unsigned workers, const struct variant *v)
{
	struct ptb_fit fit = { .model = v->model, .opt = opt, .workers = workers,
			       .tasks = v->model->pooled && p->tasks ? p->tasks : workers,
			       .async_submit = v->async_submit, .model_opt = v->model_opt };
	return ptb_fit_refusal(wl, &fit);
}

/* A repetition (rep < 0: warm-up) of variant v in the running
 * configuration took the time since t0. */
static void note_time(struct drive *d, int v, int rep, int64_t t0)
{
	size_t i = d->config * (size_t)d->nvars + (size_t)v;
	double s = (double)(ptb_now_ns() - t0) / 1e9;
	if (i < d->ncells) {
		d->cells[i].done++;
		d->cells[i].sum_s += s;
		d->cells[i].measured += rep >= 0;
		d->cells[i].measured_s += rep >= 0 ? s : 0;
	}
}

/* All repetitions of one (workload, parameters, workers), models interleaved. */
static int run_config(struct drive *d, struct ptb_rep_spec *spec, const struct variant *vars,
		      int nvars)
{
	const struct ptb_plan *p = d->plan;
	for (int rep = -(int)p->warmup; rep < (int)p->reps; rep++) {
		for (int i = 0; i < nvars; i++) {
			struct ptb_sample s;
			struct ptb_err err = { { 0 } };
			if (refusal(p, spec->wl, spec->ctx.opt, spec->ctx.workers, &vars[i]))
				continue;
			spec->model = vars[i].model;
			spec->model_opt = vars[i].model_opt;
			spec->async_submit = vars[i].async_submit;
			spec->ctx.tasks = vars[i].model->pooled && p->tasks ? p->tasks : spec->ctx.workers;
			progress(d, spec->wl->name, vars[i].name, spec->ctx.workers, rep);
			int64_t t0 = ptb_now_ns();
			int rc = ptb_run_rep(spec, &s, &err);
			d->done_runs++;
			note_time(d, i, rep, t0);
			if (rc < 0) {
				fprintf(stderr, "ptbench: %s\n", err.msg);
				return -1;
			}
			if (rc == 1)
				return 1;
			if (rep >= 0 && record(d, spec, &vars[i], (unsigned)rep, &s))
				return -1;
		}
	}
	return 0;
}

/* ---- the whole plan ---------------------------------------------------------- */

static int build_variants(const struct ptb_plan *p, struct variant *vars)
{
	int n = 0;
	for (int m = 0; m < p->nmodel; m++) {
		int modes = p->model[m]->pooled ? p->nsubmit : 1;
		for (int s = 0; s < modes; s++) {
			struct variant *v = &vars[n++];
			v->model = p->model[m];
			v->model_opt = p->model_opt[m];
			v->async_submit = p->model[m]->pooled ? p->submit_async[s] : false;
			snprintf(v->name, sizeof v->name, "%s%s%s", v->model->name,
				 v->model->pooled && p->nsubmit > 1 ? "/" : "",
				 v->model->pooled && p->nsubmit > 1 ? (v->async_submit ? "async" : "sync") : "");
		}
	}
	return n;
}

static unsigned long combos_of(const struct ptb_plan *p, int w)
{
	uint64_t opt[PTB_MAX_OPTS];
	return ptb_plan_combo(p, w, 0, opt);
}

/* Repetitions (warm-up included) that workload w will run: the pairs
 * that cannot run are skipped. */
static unsigned long runs_of(const struct ptb_plan *p, int w, const struct variant *vars,
			     int nvars)
{
	unsigned long n = 0;
	uint64_t opt[PTB_MAX_OPTS] = { 0 };
	for (unsigned long k = 0; k < combos_of(p, w); k++) {
		ptb_plan_combo(p, w, k, opt);
		for (int i = 0; i < p->nworkers; i++)
			for (int v = 0; v < nvars; v++)
				n += ptb_workers_fit(p->wl[w], p->workers[i]) &&
				     !refusal(p, p->wl[w], opt, p->workers[i], &vars[v]);
	}
	return n * (p->warmup + p->reps);
}

/* The combinations in the order they run: (workload, parameter set,
 * worker count) as run_workload goes, each model variant within. */
static struct ptb_eta_cell *plan_cells(const struct ptb_plan *p, const struct variant *vars, int nvars,
			       size_t *ncells)
{
	size_t n = 0, cap = 64;
	struct ptb_eta_cell *cells = malloc(cap * sizeof *cells);
	uint64_t opt[PTB_MAX_OPTS] = { 0 };
	for (int w = 0; cells && w < p->nwl; w++) {
		for (unsigned long k = 0; cells && k < combos_of(p, w); k++) {
			ptb_plan_combo(p, w, k, opt);
			for (int i = 0; cells && i < p->nworkers; i++) {
				if (!ptb_workers_fit(p->wl[w], p->workers[i]))
					continue;
				for (int v = 0; cells && v < nvars; v++) {
					if (n == cap) {
						struct ptb_eta_cell *more = realloc(cells, 2 * cap * sizeof *cells);
						if (!more)
							free(cells);
						cells = more;
						cap *= 2;
						if (!cells)
							break;
					}
					const struct variant *var = &vars[v];
					struct ptb_fit fit = { .model = var->model, .opt = opt,
							       .workers = p->workers[i],
							       .tasks = var->model->pooled && p->tasks ? p->tasks
									: p->workers[i],
							       .async_submit = var->async_submit,
							       .model_opt = var->model_opt };
					bool known;
					bool skip = refusal(p, p->wl[w], opt, p->workers[i], var) != NULL;
					cells[n++] = (struct ptb_eta_cell){
						.w = w, .v = v, .k = k, .workers = p->workers[i],
						.runs = skip ? 0 : p->warmup + p->reps,
						.est_s = ptb_estimate_rep_s(p->wl[w], &fit, p->timeout_s, &known) };
				}
			}
		}
	}
	*ncells = cells ? n : 0;
	return cells;
}

static void put_duration(FILE *out, double s)
{
	if (s < 10)
		fprintf(out, "%.1f s", s);
	else if (s < 120)
		fprintf(out, "%.0f s", s);
	else if (s < 7200)
		fprintf(out, "%.0f min %02.0f s", floor(s / 60), fmod(s, 60));
	else
		fprintf(out, "%.0f h %02.0f min", floor(s / 3600), fmod(s / 60, 60));
}

/* --dry-run: the plan on stdout, one line per combination with its
 * repetitions and estimated time, then the total; nothing else. */
static int dry_run(const struct ptb_plan *p, const struct variant *vars, int nvars)
{
	size_t n;
	struct ptb_eta_cell *cells = plan_cells(p, vars, nvars, &n);
	double total = 0;
	unsigned long runs = 0, lines = 0;
	if (!cells) {
		fputs("ptbench: out of memory\n", stderr);
		return 1;
	}
	for (size_t i = 0; i < n; i++) {
		const struct ptb_eta_cell *c = &cells[i];
		uint64_t opt[PTB_MAX_OPTS] = { 0 };
		char params[512];
		if (!c->runs)
			continue;
		ptb_plan_combo(p, c->w, c->k, opt);
		params_string(p->wl[c->w], opt, &vars[c->v], vars[c->v].model->pooled && p->tasks ?
			      p->tasks : c->workers, params, sizeof params);
		printf("%-10s %-12s n=%-3u %-40s %u+%u reps  ~", p->wl[c->w]->name, vars[c->v].name,
		       c->workers, params, p->warmup, p->reps);
		put_duration(stdout, c->est_s * c->runs);
		putchar('\n');
		total += c->est_s * c->runs;
		runs += c->runs;
		lines++;
	}
	printf("%lu combinations, %lu repetitions (warm-up included): about ", lines, runs);
	put_duration(stdout, total);
	printf(" (a rough estimate from a 2-core VM's figures; the run's ETA is measured)\n"
	       "dry run: nothing run, nothing written\n");
	free(cells);
	return fflush(stdout) == 0 ? 0 : 1;
}

static int run_workload(struct drive *d, int w, const struct variant *vars, int nvars)
{
	const struct ptb_plan *p = d->plan;
	const struct ptb_workload *wl = p->wl[w];
	for (unsigned long k = 0; k < combos_of(p, w); k++) {
		struct ptb_rep_spec spec = { .wl = wl, .timeout_s = p->timeout_s };
		struct ptb_err err = { { 0 } };
		ptb_plan_combo(p, w, k, spec.ctx.opt);
		spec.ctx.tmpdir = d->tmpdir;
		if (wl->prepare && wl->prepare(&spec.ctx, &err)) {
			fprintf(stderr, "ptbench: %s\n", err.msg);
			return -1;
		}
		int rc = 0;
		for (int i = 0; i < p->nworkers && rc == 0; i++) {
			if (!ptb_workers_fit(wl, p->workers[i]))
				continue;
			spec.ctx.workers = p->workers[i];
			rc = run_config(d, &spec, vars, nvars);
			d->config++;
		}
		if (wl->unprepare)
			wl->unprepare(&spec.ctx);
		if (rc)
			return rc;
	}
	return 0;
}

static void finish(struct drive *d, const char *status)
{
	struct ptb_err err;
	if (d->fd >= 0 && close(d->fd) < 0)
		fprintf(stderr, "ptbench: closing %s: %s\n", d->csv_path, strerror(errno));
	d->fd = -1;
	if (d->tmpdir[0] && ptb_rm_rf(d->tmpdir, &err))
		fprintf(stderr, "ptbench: %s\n", err.msg);
	if (d->tmpdir_fd >= 0 && close(d->tmpdir_fd) < 0)
		fprintf(stderr, "ptbench: closing %s: %s\n", d->tmpdir, strerror(errno));
	d->tmpdir_fd = -1;
	write_meta(d, status);
	free(d->cells);	/* the ETA's: no progress after this */
	d->cells = NULL;
	d->ncells = 0;
}

int ptb_drive(const struct ptb_plan *p)
{
	struct drive d = { .plan = p, .fd = -1, .tmpdir_fd = -1 };
	struct variant vars[32];
	char started[32];
	int nvars = build_variants(p, vars);
	if (p->dry_run)
		return dry_run(p, vars, nvars);
	d.cells = plan_cells(p, vars, nvars, &d.ncells);
	d.nvars = nvars;
	if (open_output(&d)) {
		free(d.cells);
		return 2;
	}
	if (make_tmpdir(&d)) {
		close(d.fd);
		free(d.cells);
		if (!csv_on_stdout(&d))
			unlink(d.csv_path);
		return 2;
	}
	ptb_utc_now(started, sizeof started);
	snprintf(d.run_id, sizeof d.run_id, "%.19s-%ld", started, (long)getpid());
	d.meta = (struct ptb_meta_run){ d.run_id, d.csv_path, p->argc, p->argv,
					"round-robin over models within each repetition",
					started, NULL, "running", 0 };
	write_meta(&d, "running");
	ptb_meta_warn();
	d.summary = ptb_summary_new();
	for (int w = 0; w < p->nwl; w++)
		d.total_runs += runs_of(p, w, vars, nvars);
	d.started_ns = ptb_now_ns();
	int rc = 0;
	for (int w = 0; w < p->nwl && rc == 0; w++)
		rc = run_workload(&d, w, vars, nvars);
	progress_done(&d);
	if (ptb_interrupted || rc == 1) {
		finish(&d, "interrupted");
		ptb_export_write(p, d.summary, NULL, d.meta_path, &d.meta);
		fprintf(stderr, "ptbench: interrupted by SIG%s: %u complete rows kept in %s\n",
			sigabbrev_np(ptb_interrupted ? ptb_interrupted : SIGINT), d.meta.rows, d.csv_path);
		ptb_summary_free(d.summary);
		return 128 + (ptb_interrupted ? ptb_interrupted : SIGINT);
	}
	finish(&d, rc ? "failed" : "complete");
	double ran_s = (double)(ptb_now_ns() - d.started_ns) / 1e9;	/* the verdicts not counted */
	struct ptb_verdicts *verdicts = p->no_verdicts ? NULL : ptb_verdicts_judge(d.summary);
	if (ptb_export_write(p, d.summary, verdicts, d.meta_path, &d.meta) && !rc)
		rc = -1;	/* an export asked for is missing: exit 1 */
	fprintf(stderr, "ptbench: %u rows in %s (%.1f s)\n", d.meta.rows,
		csv_on_stdout(&d) ? "stdout" : d.csv_path, ran_s);
	if (d.stolen_reps)
		fprintf(stderr, "ptbench: warning: steal time above %.0f%% of the wall time in %u "
			"repetitions (%.1f ms stolen in all; column steal_ns)\n", 100 * STEAL_WARN_SHARE,
			d.stolen_reps, (double)d.steal_ns / 1e6);
	fflush(stderr);
	ptb_summary_print(d.summary, csv_on_stdout(&d) ? stderr : stdout);
	ptb_verdicts_print(verdicts, csv_on_stdout(&d) ? stderr : stdout);
	ptb_verdicts_free(verdicts);
	ptb_summary_free(d.summary);
	if (rc)
		return 1;
	return d.failed ? 1 : 0;
}
