/* summary.c - collect each repetition's measure per (group, model) and
 * print medians with their unit, spreads, ratios to the thread model and
 * speed-ups over 1 worker, flagging those beyond physics; as text or as
 * a Markdown table. */
#include "summary.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "stats.h"

#define NOISE_FLOOR 0.05	/* a speed-up within 5% of the limit is noise */

struct cell {
	char workload[64], ops_unit[64], params[512];
	unsigned workers, tasks;
	char variant[48], model[48];
	enum ptb_measure measure;
	double *v, *nspo, *result;	/* per recorded repetition, in order */
	size_t n, cap;
	unsigned failed;
};

struct ptb_summary {
	struct cell *cells;
	size_t n, cap;
	unsigned beyond_physics;	/* speed-ups flagged */
};

/* ---- measures and units ------------------------------------------------- */

enum ptb_measure ptb_measure_of(const struct ptb_workload *wl)
{
	if (wl->headline && strcmp(wl->headline, "pss_kb") == 0)
		return PTB_MEASURE_PSS;
	if (wl->headline && strcmp(wl->headline, "result") == 0 &&
	    wl->better == PTB_HIGHER_IS_BETTER)
		return PTB_MEASURE_SURVIVORS;
	if (wl->ops_unit && strcmp(wl->ops_unit, "byte") == 0)
		return PTB_MEASURE_RATE;
	return PTB_MEASURE_TIME;
}

bool ptb_measure_higher_better(enum ptb_measure m)
{
	return m == PTB_MEASURE_RATE || m == PTB_MEASURE_SURVIVORS;
}

const char *ptb_measure_name(enum ptb_measure m)
{
	static const char *const names[] = { "time per op", "throughput", "PSS per worker",
					     "survivors" };
	return names[m];
}

const char *ptb_measure_unit(enum ptb_measure m, const char *ops_unit, char *buf, size_t len)
{
	static const char *const units[] = { NULL, "B/s", "B", "tasks" };
	if (m == PTB_MEASURE_TIME)
		snprintf(buf, len, "ns/%s", ops_unit && *ops_unit ? ops_unit : "op");
	else
		snprintf(buf, len, "%s", units[m]);
	return buf;
}

/* |v| rounded to three significant digits. */
static double round3(double v)
{
	double a = fabs(v);
	if (a == 0 || !isfinite(a))
		return a;
	double scale = pow(10.0, 2 - floor(log10(a)));
	return round(a * scale) / scale;
}

/* v with three significant digits, trailing zeros kept: 0.284, 1.70, 25.8, 412. */
static const char *sig3(double v, char *buf, size_t len)
{
	if (isnan(v)) {
		snprintf(buf, len, "-");
		return buf;
	}
	double r = round3(v);
	int e = r > 0 && isfinite(r) ? (int)floor(log10(r)) : 0;
	int dec = e >= 2 ? 0 : 2 - e;
	snprintf(buf, len, "%.*f", dec, v < 0 ? -r : r);
	return buf;
}

/* v scaled by 1000 until below 1000 (after rounding), with its unit. */
static const char *scaled(double v, const char *const *units, int nunits, const char *suffix,
			  char *buf, size_t len)
{
	char num[32];
	int u = 0;
	while (u + 1 < nunits && round3(v) >= 1000.0) {
		v /= 1000.0;
		u++;
	}
	snprintf(buf, len, "%s %s%s", sig3(v, num, sizeof num), units[u], suffix);
	return buf;
}

const char *ptb_measure_format(enum ptb_measure m, double v, char *buf, size_t len)
{
	static const char *const time_units[] = { "ns", "µs", "ms", "s" };
	static const char *const size_units[] = { "B", "kB", "MB", "GB", "TB" };
	if (isnan(v)) {
		snprintf(buf, len, "-");
		return buf;
	}
	switch (m) {
	case PTB_MEASURE_TIME:
		return scaled(v, time_units, 4, "", buf, len);
	case PTB_MEASURE_RATE:
		return scaled(v, size_units, 5, "/s", buf, len);
	case PTB_MEASURE_PSS:
		return scaled(v, size_units, 5, "", buf, len);
	case PTB_MEASURE_SURVIVORS:
		break;
	}
	if (v == floor(v))
		snprintf(buf, len, "%.0f", v);
	else
		sig3(v, buf, len);
	return buf;
}

/* ---- statistics ------------------------------------------------------------ */

void ptb_describe(const double *v, size_t n, double *median, double *mean, double *sd,
		  double *min, double *max, double *q1, double *q3)
{
	*median = *mean = *sd = *min = *max = *q1 = *q3 = NAN;
	if (n == 0)
		return;
	double *copy = malloc(n * sizeof *copy);
	if (!copy)
		return;
	memcpy(copy, v, n * sizeof *copy);
	*q1 = ptb_quantile(copy, n, 0.25);	/* sorts copy */
	*q3 = ptb_quantile(copy, n, 0.75);
	*median = ptb_median(copy, n);
	*min = copy[0];
	*max = copy[n - 1];
	double sum = 0, ss = 0;
	for (size_t i = 0; i < n; i++)
		sum += v[i];
	*mean = sum / (double)n;
	for (size_t i = 0; i < n; i++)
		ss += (v[i] - *mean) * (v[i] - *mean);
	if (n > 1)
		*sd = sqrt(ss / (double)(n - 1));
	free(copy);
}

static double median_of(const double *v, size_t n)
{
	double med, mean, sd, min, max, q1, q3;
	ptb_describe(v, n, &med, &mean, &sd, &min, &max, &q1, &q3);
	return med;
}

/* The untimed repetitions (NaN) left out. */
static size_t timed(const double *v, size_t n, double *out)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (!isnan(v[i]))
			out[k++] = v[i];
	return k;
}

static double timed_median(const struct cell *c)
{
	double *t = c->n ? malloc(c->n * sizeof *t) : NULL;
	double med = t ? median_of(t, timed(c->nspo, c->n, t)) : NAN;
	free(t);
	return med;
}

static double rel_iqr_timed(const struct cell *c)
{
	double *t = c->n ? malloc(c->n * sizeof *t) : NULL;
	size_t k = t ? timed(c->nspo, c->n, t) : 0;
	double med, mean, sd, min, max, q1, q3;
	ptb_describe(t, k, &med, &mean, &sd, &min, &max, &q1, &q3);
	free(t);
	return med > 0 ? (q3 - q1) / med : 0;
}

/* ---- recording ----------------------------------------------------------------- */

struct ptb_summary *ptb_summary_new(void)
{
	return calloc(1, sizeof(struct ptb_summary));
}

static bool same_group(const struct cell *a, const struct cell *b)
{
	return a->workers == b->workers && !strcmp(a->workload, b->workload) &&
	       !strcmp(a->params, b->params) && !strcmp(a->ops_unit, b->ops_unit);
}

static struct cell *lookup(struct ptb_summary *s, const struct cell *key)
{
	for (size_t i = 0; i < s->n; i++)
		if (same_group(&s->cells[i], key) && !strcmp(s->cells[i].variant, key->variant))
			return &s->cells[i];
	return NULL;
}

static struct cell *find_cell(struct ptb_summary *s, const struct ptb_summary_rep *r)
{
	struct cell key;
	memset(&key, 0, sizeof key);
	snprintf(key.workload, sizeof key.workload, "%s", r->workload ? r->workload : "");
	snprintf(key.ops_unit, sizeof key.ops_unit, "%s", r->ops_unit ? r->ops_unit : "op");
	snprintf(key.params, sizeof key.params, "%s", r->params ? r->params : "");
	snprintf(key.variant, sizeof key.variant, "%s", r->variant ? r->variant : "");
	snprintf(key.model, sizeof key.model, "%s", r->model ? r->model : key.variant);
	key.workers = r->workers;
	key.tasks = r->tasks ? r->tasks : r->workers;
	key.measure = r->measure;
	struct cell *found = lookup(s, &key);
	if (found)
		return found;
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 16;
		struct cell *c = realloc(s->cells, cap * sizeof *c);
		if (!c)
			return NULL;
		s->cells = c;
		s->cap = cap;
	}
	s->cells[s->n] = key;
	return &s->cells[s->n++];
}

static int grow(struct cell *c)
{
	if (c->n < c->cap)
		return 0;
	size_t cap = c->cap ? 2 * c->cap : 8;
	double **arrays[] = { &c->v, &c->nspo, &c->result };
	for (int i = 0; i < 3; i++) {
		double *p = realloc(*arrays[i], cap * sizeof *p);
		if (!p)
			return -1;
		*arrays[i] = p;
	}
	c->cap = cap;
	return 0;
}

int ptb_summary_record(struct ptb_summary *s, const struct ptb_summary_rep *r)
{
	struct cell *c = find_cell(s, r);
	if (!c)
		return -1;
	if (!r->ok) {
		c->failed++;
		return 0;
	}
	double v = NAN;
	switch (r->measure) {
	case PTB_MEASURE_TIME:
		v = r->ns_per_op;
		break;
	case PTB_MEASURE_RATE:
		v = r->ns_per_op > 0 ? 1e9 / r->ns_per_op : NAN;
		break;
	case PTB_MEASURE_PSS:
		v = r->pss_kb >= 0 && r->workers ? r->pss_kb * 1024.0 / r->workers : NAN;
		break;
	case PTB_MEASURE_SURVIVORS:
		v = r->result;
		break;
	}
	if (isnan(v))
		return 0;	/* untimed (the runner's expected death) or unmeasured */
	if (grow(c))
		return -1;
	c->v[c->n] = v;
	c->nspo[c->n] = r->ns_per_op >= 0 ? r->ns_per_op : NAN;
	c->result[c->n++] = r->result;
	return 0;
}

int ptb_summary_add(struct ptb_summary *s, const char *family, unsigned workers,
		    const char *variant, double ns_per_op, double result)
{
	char workload[64] = "", unit[64] = "op";
	const char *open = strstr(family, " (ns/"), *close = open ? strchr(open, ')') : NULL;
	snprintf(workload, sizeof workload, "%.*s", open ? (int)(open - family) : (int)strlen(family),
		 family);
	if (open && close)
		snprintf(unit, sizeof unit, "%.*s", (int)(close - open - 5), open + 5);
	struct ptb_summary_rep r = {
		.workload = workload, .ops_unit = unit,
		.params = close ? close + 1 + (close[1] == ' ') : "", .variant = variant,
		.model = variant, .workers = workers, .measure = PTB_MEASURE_TIME,
		.ok = ns_per_op >= 0 || isnan(ns_per_op), .ns_per_op = ns_per_op, .result = result,
		.pss_kb = -1,
	};
	return ptb_summary_record(s, &r);
}

/* ---- one line ------------------------------------------------------------------- */

static const struct cell *thread_cell(const struct ptb_summary *s, const struct cell *c)
{
	for (size_t i = 0; i < s->n; i++)
		if (same_group(&s->cells[i], c) && !strcmp(s->cells[i].variant, "thread"))
			return &s->cells[i];
	return NULL;
}

/* Speed-up of c over the same variant at 1 worker, into buf; 1 when it
 * is beyond physics (above min(workers, cores) by more than the noise). */
static int speedup(const struct ptb_summary *s, const struct cell *c, char *buf, size_t len)
{
	buf[0] = '\0';
	if (c->workers <= 1 || (c->measure != PTB_MEASURE_TIME && c->measure != PTB_MEASURE_RATE))
		return 0;
	struct cell key = *c;
	key.workers = 1;
	const struct cell *one = NULL;
	for (size_t i = 0; i < s->n && !one; i++)
		if (same_group(&s->cells[i], &key) && !strcmp(s->cells[i].variant, c->variant))
			one = &s->cells[i];
	if (!one || one->n == 0 || c->n == 0)
		return 0;
	double med = timed_median(c), med1 = timed_median(one);
	if (!(med > 0) || isnan(med1))
		return 0;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	double limit = (double)(cores > 0 && (unsigned long)cores < c->workers ? (unsigned)cores
									 : c->workers);
	double noise = fmax(NOISE_FLOOR, fmax(rel_iqr_timed(c), rel_iqr_timed(one)));
	double x = med1 / med;
	char num[24];
	sig3(x, num, sizeof num);
	if (x > limit * (1.0 + noise)) {
		snprintf(buf, len, "!%sx", num);
		return 1;
	}
	snprintf(buf, len, "%sx", num);
	return 0;
}

/* The printed fields of one cell. */
struct line {
	char n[16], median[48], spread[96], ratio[48], speed[48], result[32];
	int beyond;
};

static void format_line(const struct ptb_summary *s, const struct cell *c, struct line *l)
{
	double med, mean, sd, min, max, q1, q3;
	char a[48], b[48];
	ptb_describe(c->v, c->n, &med, &mean, &sd, &min, &max, &q1, &q3);
	memset(l, 0, sizeof *l);
	snprintf(l->n, sizeof l->n, "%zu", c->n);
	ptb_measure_format(c->measure, med, l->median, sizeof l->median);
	if (c->measure == PTB_MEASURE_SURVIVORS && c->n)
		snprintf(l->median + strlen(l->median), sizeof l->median - strlen(l->median), " of %u",
			 c->tasks);
	if (c->n == 0)
		snprintf(l->spread, sizeof l->spread, "-");
	else if (c->n == 1)
		snprintf(l->spread, sizeof l->spread, "(1 repetition: no spread)");
	else
		snprintf(l->spread, sizeof l->spread, "[%s .. %s]",
			 ptb_measure_format(c->measure, q1, a, sizeof a),
			 ptb_measure_format(c->measure, q3, b, sizeof b));
	const struct cell *t = c->measure != PTB_MEASURE_SURVIVORS ? thread_cell(s, c) : NULL;
	double base = t ? median_of(t->v, t->n) : NAN;
	if (!isnan(base) && base > 0 && !isnan(med))
		snprintf(l->ratio, sizeof l->ratio, "%sx", sig3(med / base, a, sizeof a));
	l->beyond = speedup(s, c, l->speed, sizeof l->speed);
	double res = median_of(c->result, c->n);
	if (!isnan(res))
		snprintf(l->result, sizeof l->result, "%.15g", res);
}

/* Characters as a terminal shows them (UTF-8: µ is two bytes, one column). */
static int width(const char *s)
{
	int w = 0;
	for (; *s; s++)
		w += ((unsigned char)*s & 0xC0) != 0x80;
	return w;
}

static void pad(FILE *out, const char *s, int w, bool right)
{
	int n = w - width(s);
	if (right)
		fprintf(out, "%*s%s", n > 0 ? n : 0, "", s);
	else
		fprintf(out, "%s%*s", s, n > 0 ? n : 0, "");
}

static void group_title(const struct cell *c, char *buf, size_t len)
{
	char what[96];
	if (c->measure == PTB_MEASURE_TIME)
		snprintf(what, sizeof what, "time per %s", c->ops_unit);
	else if (c->measure == PTB_MEASURE_RATE)
		snprintf(what, sizeof what, "throughput (%ss/s)", c->ops_unit);
	else if (c->measure == PTB_MEASURE_PSS)
		snprintf(what, sizeof what, "PSS per worker (runner and workers' total / workers)");
	else
		snprintf(what, sizeof what, "survivors: tasks whose results survived, of all");
	snprintf(buf, len, "%s%s%s, workers=%u: %s", c->workload, c->params[0] ? " " : "",
		 c->params, c->workers, what);
}

static const char legend[] =
	"n: repetitions measured; [..]: interquartile range; /thread: the median over thread's"
	" in the same group; speed-up: the 1-worker time per op over this one's;"
	" !: a speed-up above min(workers, cores) beyond the noise, no result\n";

void ptb_summary_print(struct ptb_summary *s, FILE *out)
{
	if (!s || s->n == 0)
		return;
	fputc('\n', out);
	fputs("    ", out);
	pad(out, "model", 16, false);
	fprintf(out, " %4s  ", "n");
	pad(out, "median", 14, true);
	fputs("  ", out);
	pad(out, "[interquartile range]", 28, false);
	fprintf(out, "  %7s  %8s  %14s\n", "/thread", "speed-up", "result median");
	const struct cell *last = NULL;
	for (size_t i = 0; i < s->n; i++) {
		const struct cell *c = &s->cells[i];
		struct line l;
		char title[800];
		if (!last || !same_group(last, c)) {
			group_title(c, title, sizeof title);
			fprintf(out, "%s\n", title);
		}
		last = c;
		format_line(s, c, &l);
		s->beyond_physics += (unsigned)l.beyond;
		fputs("    ", out);
		pad(out, c->variant, 16, false);
		fprintf(out, " %4s  ", l.n);
		pad(out, l.median, 14, true);
		fputs("  ", out);
		pad(out, l.spread, 28, false);
		fprintf(out, "  %7s  %8s  %14s", l.ratio, l.speed, l.result);
		if (c->failed)
			fprintf(out, "  (%u failed)", c->failed);
		if (l.beyond)
			fputs("  (the machine's speed changed: a speed-up above min(workers, cores)"
			      " beyond the noise is no result)", out);
		fputc('\n', out);
	}
	fputs(legend, out);
}

/* A Markdown table cell: '|' escaped. */
static void md_cell(FILE *out, const char *s)
{
	fputs(" ", out);
	for (; *s; s++) {
		if (*s == '|')
			fputc('\\', out);
		fputc(*s, out);
	}
	fputs(" |", out);
}

void ptb_summary_markdown(struct ptb_summary *s, FILE *out)
{
	fputs("| workload | params | workers | model | n | measure | median | interquartile range"
	      " | /thread | speed-up | result median |\n"
	      "|---|---|---:|---|---:|---|---:|---|---:|---:|---:|\n", out);
	for (size_t i = 0; s && i < s->n; i++) {
		const struct cell *c = &s->cells[i];
		struct line l;
		char workers[16], note[64] = "";
		format_line(s, c, &l);
		snprintf(workers, sizeof workers, "%u", c->workers);
		if (c->failed)
			snprintf(note, sizeof note, " (%u failed)", c->failed);
		fputc('|', out);
		md_cell(out, c->workload);
		md_cell(out, c->params);
		md_cell(out, workers);
		md_cell(out, c->variant);
		md_cell(out, l.n);
		md_cell(out, ptb_measure_name(c->measure));
		md_cell(out, l.median);
		md_cell(out, l.spread);
		md_cell(out, l.ratio);
		md_cell(out, l.speed);
		strncat(l.result, note, sizeof l.result - strlen(l.result) - 1);
		md_cell(out, l.result);
		fputc('\n', out);
	}
	fprintf(out, "\n%s", legend);
}

/* ---- for the exports ------------------------------------------------------------ */

size_t ptb_summary_cells(const struct ptb_summary *s)
{
	return s ? s->n : 0;
}

void ptb_summary_cell(const struct ptb_summary *s, size_t i, struct ptb_cell_stats *out)
{
	const struct cell *c = &s->cells[i];
	*out = (struct ptb_cell_stats){
		.workload = c->workload, .ops_unit = c->ops_unit, .params = c->params,
		.variant = c->variant, .model = c->model, .workers = c->workers, .tasks = c->tasks,
		.measure = c->measure, .n = c->n, .failed = c->failed, .values = c->v,
		.ns_per_op = c->nspo,
	};
	ptb_describe(c->v, c->n, &out->median, &out->mean, &out->sd, &out->min, &out->max, &out->q1,
		     &out->q3);
	out->result_median = median_of(c->result, c->n);
}

void ptb_summary_free(struct ptb_summary *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++) {
		free(s->cells[i].v);
		free(s->cells[i].nspo);
		free(s->cells[i].result);
	}
	free(s->cells);
	free(s);
}
