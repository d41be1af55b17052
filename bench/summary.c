/* summary.c - collect ns/op per (group, model) and print medians, spreads,
 * ratios to the thread model and speed-ups over 1 worker, flagging those
 * beyond physics. */
#include "summary.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "stats.h"

#define NOISE_FLOOR 0.05	/* a speed-up within 5% of the limit is noise */

struct cell {
	char family[600];	/* "cpu (ns/step) steps=1000000000" */
	unsigned workers;
	char group[640];	/* family + ", workers=2" */
	char variant[48];	/* model, with submit mode for pools */
	double *v, *result;
	size_t n, cap;
	unsigned failed;
};

struct ptb_summary {
	struct cell *cells;
	size_t n, cap;
	unsigned beyond_physics;	/* speed-ups flagged */
};

struct ptb_summary *ptb_summary_new(void)
{
	return calloc(1, sizeof(struct ptb_summary));
}

static struct cell *lookup(struct ptb_summary *s, const char *family, unsigned workers,
			   const char *variant)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->cells[i].workers == workers && !strcmp(s->cells[i].family, family) &&
		    !strcmp(s->cells[i].variant, variant))
			return &s->cells[i];
	return NULL;
}

static struct cell *find_cell(struct ptb_summary *s, const char *family, unsigned workers,
			      const char *variant)
{
	struct cell *found = lookup(s, family, workers, variant);
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
	struct cell *c = &s->cells[s->n++];
	memset(c, 0, sizeof *c);
	snprintf(c->family, sizeof c->family, "%s", family);
	c->workers = workers;
	snprintf(c->group, sizeof c->group, "%s, workers=%u", family, workers);
	snprintf(c->variant, sizeof c->variant, "%s", variant);
	return c;
}

int ptb_summary_add(struct ptb_summary *s, const char *family, unsigned workers,
		    const char *variant, double ns_per_op, double result)
{
	struct cell *c = find_cell(s, family, workers, variant);
	if (!c)
		return -1;
	if (ns_per_op < 0) {
		c->failed++;
		return 0;
	}
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 8;
		double *v = realloc(c->v, cap * sizeof *v);
		if (v)
			c->v = v;
		double *r = realloc(c->result, cap * sizeof *r);
		if (r)
			c->result = r;
		if (!v || !r)
			return -1;
		c->cap = cap;
	}
	c->result[c->n] = result;
	c->v[c->n++] = ns_per_op;
	return 0;
}

static double thread_median(struct ptb_summary *s, const char *group)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->cells[i].group, group) && !strcmp(s->cells[i].variant, "thread"))
			return ptb_median(s->cells[i].v, s->cells[i].n);
	return NAN;
}

static double rel_iqr(struct cell *c)
{
	double med = ptb_median(c->v, c->n);
	return med > 0 ? (ptb_quantile(c->v, c->n, 0.75) - ptb_quantile(c->v, c->n, 0.25)) / med : 0;
}

/* Speed-up of c over the same variant at 1 worker, into buf; 1 when it
 * is beyond physics (above min(workers, cores) by more than the noise). */
static int speedup(struct ptb_summary *s, struct cell *c, char *buf, size_t len)
{
	struct cell *one = c->workers > 1 ? lookup(s, c->family, 1, c->variant) : NULL;
	buf[0] = '\0';
	if (!one || one->n == 0 || c->n == 0)
		return 0;
	double med = ptb_median(c->v, c->n), med1 = ptb_median(one->v, one->n);
	if (!(med > 0) || isnan(med1))
		return 0;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	double limit = (double)(cores > 0 && (unsigned long)cores < c->workers ? (unsigned)cores
									 : c->workers);
	double noise = fmax(NOISE_FLOOR, fmax(rel_iqr(c), rel_iqr(one)));
	double x = med1 / med;
	if (x > limit * (1.0 + noise)) {
		snprintf(buf, len, "!%.2fx", x);
		return 1;
	}
	snprintf(buf, len, "%.2fx", x);
	return 0;
}

static void print_cell(struct ptb_summary *s, struct cell *c, FILE *out)
{
	double q1 = ptb_quantile(c->v, c->n, 0.25), q3 = ptb_quantile(c->v, c->n, 0.75);
	double med = ptb_median(c->v, c->n), base = thread_median(s, c->group);
	char ratio[32] = "", speed[32];
	if (!isnan(base) && base > 0 && !isnan(med))
		snprintf(ratio, sizeof ratio, "%.2fx", med / base);
	int beyond = speedup(s, c, speed, sizeof speed);
	s->beyond_physics += (unsigned)beyond;
	fprintf(out, "    %-16s %12.4g  [%10.4g .. %-10.4g]  %7s  %8s  %14.10g", c->variant, med, q1,
		q3, ratio, speed, ptb_median(c->result, c->n));
	if (c->failed)
		fprintf(out, "  (%u failed)", c->failed);
	if (beyond)
		fputs("  (the machine's speed changed: a speed-up above min(workers, cores)"
		      " beyond the noise is no result)", out);
	fputc('\n', out);
}

void ptb_summary_print(struct ptb_summary *s, FILE *out)
{
	if (!s || s->n == 0)
		return;
	fprintf(out, "\n    %-16s %12s  %-26s  %7s  %8s  %14s\n", "model", "ns/op median",
		"[interquartile range]", "/thread", "speed-up", "result median");
	const char *last = "";
	for (size_t i = 0; i < s->n; i++) {
		if (strcmp(last, s->cells[i].group))
			fprintf(out, "%s\n", s->cells[i].group);
		last = s->cells[i].group;
		print_cell(s, &s->cells[i], out);
	}
}

void ptb_summary_free(struct ptb_summary *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++) {
		free(s->cells[i].v);
		free(s->cells[i].result);
	}
	free(s->cells);
	free(s);
}
