/* export.c - --export-json, --export-markdown and --export-bench-json
 * (see export.h and doc/export.md). */
#include "err.h"
#include "export.h"
#include "verdict.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>


/* ---- checking the paths ------------------------------------------------- */

/* path with its directory made absolute and resolved (when it exists). */
static void canonical(const char *path, char *out, size_t len)
{
	char dir[PATH_MAX], real[PATH_MAX];
	const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
	if (!slash)
		snprintf(dir, sizeof dir, ".");
	else if (slash == path)
		snprintf(dir, sizeof dir, "/");
	else
		snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
	if (realpath(dir, real))
		snprintf(out, len, "%s/%s", strcmp(real, "/") ? real : "", base);
	else
		snprintf(out, len, "%s", path);
}

static bool same_file(const char *a, const char *b)
{
	char ca[PATH_MAX + 8], cb[PATH_MAX + 8];
	struct stat sa, sb;
	if (!a || !b || !strcmp(a, "-") || !strcmp(b, "-"))
		return a && b && !strcmp(a, b);
	if (stat(a, &sa) == 0 && stat(b, &sb) == 0)
		return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
	canonical(a, ca, sizeof ca);
	canonical(b, cb, sizeof cb);
	return strcmp(ca, cb) == 0;
}

static int check_writable(const char *opt, const char *path)
{
	struct stat st;
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	if (stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return ptb_bad_input("--%s: '%s' is a directory (allowed: a file path)", opt, path);
		if (access(path, W_OK) != 0)
			return ptb_bad_input("--%s: cannot write '%s': %s", opt, path, strerror(errno));
		return 0;
	}
	if (!slash)
		snprintf(dir, sizeof dir, ".");
	else
		snprintf(dir, sizeof dir, "%.*s", slash == path ? 1 : (int)(slash - path), path);
	if (stat(dir, &st) != 0)
		return ptb_bad_input("--%s: cannot create '%s': %s", opt, path, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return ptb_bad_input("--%s: cannot create '%s': %s", opt, path, strerror(ENOTDIR));
	if (access(dir, W_OK | X_OK) != 0)
		return ptb_bad_input("--%s: cannot create '%s': %s", opt, path, strerror(errno));
	return 0;
}

/* The direction of the bench JSON: 1 customBiggerIsBetter (every measure
 * is higher-is-better), 0 customSmallerIsBetter (a throughput is then
 * written as its time per op), -1 a mix that cannot be (survivors beside
 * lower-is-better measures): why names both. */
static int bench_direction(const struct ptb_plan *p, char *why, size_t len)
{
	const struct ptb_workload *lower = NULL, *survivors = NULL;
	for (int w = 0; w < p->nwl; w++) {
		enum ptb_measure m = ptb_measure_of(p->wl[w]);
		if (m == PTB_MEASURE_SURVIVORS && !survivors)
			survivors = p->wl[w];
		if (!ptb_measure_higher_better(m) && !lower)
			lower = p->wl[w];
	}
	if (!lower)
		return 1;
	if (!survivors)
		return 0;
	snprintf(why, len, "workloads '%s' (%s, bigger is better) and '%s' (%s, smaller is better) "
		 "cannot share one customBiggerIsBetter or customSmallerIsBetter file (allowed: "
		 "run them separately)", survivors->name, ptb_measure_name(PTB_MEASURE_SURVIVORS),
		 lower->name, ptb_measure_name(ptb_measure_of(lower)));
	return -1;
}

struct export_opt {
	const char *opt, *path;
};

int ptb_export_check(const struct ptb_plan *p)
{
	char meta[4200] = "";
	const struct export_opt ex[] = { { "export-json", p->export_json },
					 { "export-markdown", p->export_md },
					 { "export-bench-json", p->export_bench } };
	if (p->output && strcmp(p->output, "-") != 0) {
		size_t n = strlen(p->output);
		if (n > 4 && !strcmp(p->output + n - 4, ".csv"))
			n -= 4;
		snprintf(meta, sizeof meta, "%.*s.meta.json", (int)n, p->output);
	}
	for (int i = 0; i < 3; i++) {
		const char *path = ex[i].path;
		if (!path)
			continue;
		if (!*path)
			return ptb_bad_input("--%s: empty path", ex[i].opt);
		if (!strcmp(path, "-"))
			return ptb_bad_input("--%s: '-' is not a file (allowed: a file path; -o - writes the CSV "
				    "to stdout)", ex[i].opt);
		if (same_file(path, p->output))
			return ptb_bad_input("--%s: '%s' is the CSV of --output (allowed: another file)",
				    ex[i].opt, path);
		if (meta[0] && same_file(path, meta))
			return ptb_bad_input("--%s: '%s' is the CSV's meta sidecar (allowed: another file)",
				    ex[i].opt, path);
		for (int j = 0; j < i; j++)
			if (ex[j].path && same_file(path, ex[j].path))
				return ptb_bad_input("--%s: '%s' is also the file of --%s (allowed: another file)",
					    ex[i].opt, path, ex[j].opt);
		if (check_writable(ex[i].opt, path))
			return 2;
	}
	char why[512];
	if (p->export_bench && bench_direction(p, why, sizeof why) < 0)
		return ptb_bad_input("--export-bench-json: %s", why);
	return 0;
}

/* ---- writing -------------------------------------------------------------- */

void ptb_json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *c = (const unsigned char *)(s ? s : ""); *c; c++) {
		if (*c == '"' || *c == '\\')
			fprintf(f, "\\%c", *c);
		else if (*c < 0x20)
			fprintf(f, "\\u%04x", *c);
		else
			fputc(*c, f);
	}
	fputc('"', f);
}

void ptb_json_num(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, "%.12g", v);
	else
		fputs("null", f);
}

/* The meta sidecar's text, or the run's meta written to a temporary
 * file and read back; malloc'd, NULL when neither works. */
static char *meta_text(const struct ptb_plan *p, const char *meta_path,
		       const struct ptb_meta_run *run)
{
	char tmp[4200];
	const char *path = meta_path;
	struct ptb_err err;
	if (!path || !*path) {
		snprintf(tmp, sizeof tmp, "%s/.ptbench-export-meta-%ld.json",
			 p->tmpdir_base ? p->tmpdir_base : "/tmp", (long)getpid());
		if (!run || ptb_meta_write(tmp, run, &err))
			return NULL;
		path = tmp;
	}
	FILE *f = fopen(path, "re");
	char *text = NULL;
	size_t len = 0;
	if (f) {
		text = calloc(1, 1 << 20);
		len = text ? fread(text, 1, (1 << 20) - 1, f) : 0;
		fclose(f);
	}
	if (path == tmp)
		unlink(tmp);
	while (text && len > 0 && (text[len - 1] == '\n' || text[len - 1] == ' '))
		text[--len] = '\0';
	if (text && (len == 0 || text[0] != '{' || text[len - 1] != '}')) {
		free(text);
		return NULL;
	}
	return text;
}

static void write_json(FILE *f, const struct ptb_plan *p, struct ptb_summary *s,
		       const struct ptb_verdicts *v, const char *meta_path,
		       const struct ptb_meta_run *run)
{
	char unit[80];
	fprintf(f, "{\n  \"schema\": \"ptbench-export\",\n  \"schema_version\": %d,\n"
		"  \"ptbench\": \"%s\",\n  \"results\": [", PTB_EXPORT_SCHEMA_VERSION, PTB_VERSION);
	for (size_t i = 0; i < ptb_summary_cells(s); i++) {
		struct ptb_cell_stats c;
		ptb_summary_cell(s, i, &c);
		fprintf(f, "%s\n    {\"workload\": ", i ? "," : "");
		ptb_json_str(f, c.workload);
		fputs(", \"params\": ", f);
		ptb_json_str(f, c.params);
		fprintf(f, ", \"workers\": %u, \"tasks\": %u, \"model\": ", c.workers, c.tasks);
		ptb_json_str(f, c.model);
		fputs(", \"variant\": ", f);
		ptb_json_str(f, c.variant);
		fputs(",\n     \"measure\": ", f);
		ptb_json_str(f, ptb_measure_name(c.measure));
		fputs(", \"unit\": ", f);
		ptb_json_str(f, ptb_measure_unit(c.measure, c.ops_unit, unit, sizeof unit));
		fprintf(f, ", \"better\": \"%s\", \"op\": ",
			ptb_measure_higher_better(c.measure) ? "higher" : "lower");
		ptb_json_str(f, c.ops_unit);
		fprintf(f, ",\n     \"n\": %zu, \"failed\": %u", c.n, c.failed);
		const struct { const char *key; double value; } stats[] = {
			{ "median", c.median }, { "mean", c.mean }, { "stddev", c.sd },
			{ "min", c.min },	{ "max", c.max },   { "q1", c.q1 },
			{ "q3", c.q3 },		{ "iqr", c.q3 - c.q1 },
		};
		for (size_t k = 0; k < sizeof stats / sizeof stats[0]; k++) {
			fprintf(f, ", \"%s\": ", stats[k].key);
			ptb_json_num(f, stats[k].value);
		}
		fputs(",\n     \"values\": [", f);
		for (size_t k = 0; k < c.n; k++) {
			fputs(k ? ", " : "", f);
			ptb_json_num(f, c.values[k]);
		}
		fputs("], \"result_median\": ", f);
		ptb_json_num(f, c.result_median);
		fputc('}', f);
	}
	fprintf(f, "\n  ],\n  \"verdicts\": %s,\n  \"meta\": ", ptb_verdicts_json(v));
	char *meta = meta_text(p, meta_path, run);
	fputs(meta ? meta : "null", f);
	free(meta);
	fputs("\n}\n", f);
}

static double timed_median(const struct ptb_cell_stats *c)
{
	double *t = c->n ? malloc(c->n * sizeof *t) : NULL;
	size_t k = 0;
	for (size_t i = 0; t && i < c->n; i++)
		if (!isnan(c->ns_per_op[i]))
			t[k++] = c->ns_per_op[i];
	double med = NAN, mean, sd, min, max, q1, q3;
	ptb_describe(t, k, &med, &mean, &sd, &min, &max, &q1, &q3);
	free(t);
	return med;
}

static void write_bench(FILE *f, const struct ptb_plan *p, struct ptb_summary *s)
{
	char why[512], unit[80], num[64];
	bool bigger = bench_direction(p, why, sizeof why) == 1;
	fputc('[', f);
	size_t written = 0;
	for (size_t i = 0; i < ptb_summary_cells(s); i++) {
		struct ptb_cell_stats c;
		ptb_summary_cell(s, i, &c);
		double value = c.median;
		ptb_measure_unit(c.measure, c.ops_unit, unit, sizeof unit);
		if (!bigger && c.measure == PTB_MEASURE_RATE) {	/* as its time per op */
			value = timed_median(&c);
			snprintf(unit, sizeof unit, "ns/%s", c.ops_unit);
		}
		if (!isfinite(value))
			continue;
		fprintf(f, "%s\n  {\"name\": ", written++ ? "," : "");
		snprintf(why, sizeof why, "%s%s%s, workers=%u: %s", c.workload, c.params[0] ? " " : "",
			 c.params, c.workers, c.variant);
		ptb_json_str(f, why);
		fputs(", \"unit\": ", f);
		ptb_json_str(f, unit);
		fputs(", \"value\": ", f);
		ptb_json_num(f, value);
		if (c.n > 1 && !(!bigger && c.measure == PTB_MEASURE_RATE)) {
			snprintf(num, sizeof num, "IQR %.6g", c.q3 - c.q1);
			fputs(", \"range\": ", f);
			ptb_json_str(f, num);
		}
		snprintf(why, sizeof why, "median of n=%zu%s%s", c.n, c.failed ? ", failed: " : "",
			 c.failed ? (snprintf(num, sizeof num, "%u", c.failed), num) : "");
		fputs(", \"extra\": ", f);
		ptb_json_str(f, why);
		fputc('}', f);
	}
	fputs(written ? "\n]\n" : "]\n", f);
}

enum kind { JSON, MARKDOWN, BENCH };

static int write_one(const char *opt, const char *path, enum kind k, const struct ptb_plan *p,
		     struct ptb_summary *s, const struct ptb_verdicts *v, const char *meta_path,
		     const struct ptb_meta_run *run)
{
	char tmp[4200];
	snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
	FILE *f = fopen(tmp, "wex");
	if (!f) {
		fprintf(stderr, "ptbench: --%s: cannot create '%s': %s\n", opt, tmp, strerror(errno));
		return -1;
	}
	if (k == JSON) {
		write_json(f, p, s, v, meta_path, run);
	} else if (k == MARKDOWN) {
		ptb_summary_markdown(s, f);
		ptb_verdicts_markdown(v, f);
	} else {
		write_bench(f, p, s);
	}
	int bad = ferror(f);
	if (fclose(f) != 0 || bad || rename(tmp, path) != 0) {
		fprintf(stderr, "ptbench: --%s: writing '%s': %s\n", opt, path, strerror(errno ? errno : EIO));
		unlink(tmp);
		return -1;
	}
	return 0;
}

int ptb_export_write(const struct ptb_plan *p, struct ptb_summary *s,
		     const struct ptb_verdicts *v, const char *meta_path,
		     const struct ptb_meta_run *run)
{
	int rc = 0;
	if (p->export_json)
		rc |= write_one("export-json", p->export_json, JSON, p, s, v, meta_path, run);
	if (p->export_md)
		rc |= write_one("export-markdown", p->export_md, MARKDOWN, p, s, v, meta_path, run);
	if (p->export_bench && write_one("export-bench-json", p->export_bench, BENCH, p, s, v,
					 meta_path, run) == 0) {
		char why[512];
		fprintf(stderr, "ptbench: %s: for github-action-benchmark's tool: %s\n", p->export_bench,
			bench_direction(p, why, sizeof why) == 1 ? "customBiggerIsBetter"
								 : "customSmallerIsBetter");
	} else if (p->export_bench) {
		rc = -1;
	}
	return rc ? -1 : 0;
}
