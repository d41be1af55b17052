/* summary.c - collect ns/op per (group, model) and print medians, spreads
 * and ratios to the thread model. */
#include "summary.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "stats.h"

struct cell {
	char group[640];	/* "cpu (ns/step) steps=1000000000, n=2" */
	char variant[48];	/* model, with submit mode for pools */
	double *v, *result;
	size_t n, cap;
	unsigned failed;
};

struct ptb_summary {
	struct cell *cells;
	size_t n, cap;
};

struct ptb_summary *ptb_summary_new(void)
{
	return calloc(1, sizeof(struct ptb_summary));
}

static struct cell *find_cell(struct ptb_summary *s, const char *group, const char *variant)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->cells[i].group, group) && !strcmp(s->cells[i].variant, variant))
			return &s->cells[i];
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
	snprintf(c->group, sizeof c->group, "%s", group);
	snprintf(c->variant, sizeof c->variant, "%s", variant);
	return c;
}

int ptb_summary_add(struct ptb_summary *s, const char *group, const char *variant,
		    double ns_per_op, double result)
{
	struct cell *c = find_cell(s, group, variant);
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

static void print_cell(struct ptb_summary *s, struct cell *c, FILE *out)
{
	double q1 = ptb_quantile(c->v, c->n, 0.25), q3 = ptb_quantile(c->v, c->n, 0.75);
	double med = ptb_median(c->v, c->n), base = thread_median(s, c->group);
	char ratio[32] = "";
	if (!isnan(base) && base > 0 && !isnan(med))
		snprintf(ratio, sizeof ratio, "%.2fx", med / base);
	fprintf(out, "    %-16s %12.4g  [%10.4g .. %-10.4g]  %7s  %14.10g", c->variant, med, q1,
		q3, ratio, ptb_median(c->result, c->n));
	if (c->failed)
		fprintf(out, "  (%u failed)", c->failed);
	fputc('\n', out);
}

void ptb_summary_print(struct ptb_summary *s, FILE *out)
{
	if (!s || s->n == 0)
		return;
	fprintf(out, "\n    %-16s %12s  %-26s  %7s  %14s\n", "model", "ns/op median",
		"[interquartile range]", "/thread", "result median");
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
