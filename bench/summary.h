/* summary.h - the human summary printed at the end of a run: per
 * workload, parameters and worker count, each model's repetitions (n),
 * the median of the workload's measure in an automatic unit (time per op
 * in ns/µs/ms/s; throughput in B/s .. GB/s for the workloads whose op is a
 * byte; PSS per worker in B .. GB for footprint; survivors of N tasks for
 * crash), three significant digits, its interquartile range (none with
 * one repetition), its ratio to `thread`, its speed-up over 1 worker
 * (time and throughput only), and the median of the workload's result;
 * then a one-line legend.
 *
 * A speed-up above min(workers, cores) by more than the noise (the
 * larger relative IQR of the two groups, at least 5%) is beyond physics:
 * it is marked "!" and flagged "the machine's speed changed" instead of
 * standing as a figure.
 *
 * The same cells feed the exports (bench/export.h): each cell's values
 * in their base unit (ns/op, B/s, B, tasks), in repetition order. */
#ifndef PTB_SUMMARY_H
#define PTB_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "workload.h"

struct ptb_summary;

/* What a workload's summary line measures. */
enum ptb_measure {
	PTB_MEASURE_TIME,	/* ns per op, lower is better */
	PTB_MEASURE_RATE,	/* bytes per second (op = byte), higher is better */
	PTB_MEASURE_PSS,	/* PSS per worker in bytes (headline pss_kb), lower is better */
	PTB_MEASURE_SURVIVORS,	/* tasks whose results survived, of N (crash), higher is better */
};

enum ptb_measure ptb_measure_of(const struct ptb_workload *wl);
bool ptb_measure_higher_better(enum ptb_measure m);
/* "time per op", "throughput", "PSS per worker", "survivors" */
const char *ptb_measure_name(enum ptb_measure m);
/* The base unit of a cell's values: "ns/step", "B/s", "B", "tasks". */
const char *ptb_measure_unit(enum ptb_measure m, const char *ops_unit, char *buf, size_t len);
/* v with three significant digits in an automatic unit of measure m
 * ("25.8 µs", "1.70 GB/s", "412 kB"; survivors: "2"); "-" for NaN. */
const char *ptb_measure_format(enum ptb_measure m, double v, char *buf, size_t len);

/* One recorded repetition. */
struct ptb_summary_rep {
	const char *workload, *ops_unit, *params;	/* params: the workload's options only */
	const char *variant;	/* the model, with the pool's submit mode */
	const char *model;
	unsigned workers, tasks;
	enum ptb_measure measure;
	bool ok;		/* false: counted as failed */
	double ns_per_op;	/* NaN when untimed */
	double result;
	double pss_kb;		/* negative: not measured */
};

struct ptb_summary *ptb_summary_new(void);
int ptb_summary_record(struct ptb_summary *s, const struct ptb_summary_rep *r);
/* Record one repetition's ns/op (negative: failed, counted as such) and
 * its checkable result, family being "WORKLOAD (ns/OP) PARAMS" (a time
 * measure; kept for callers of the first summary). */
int ptb_summary_add(struct ptb_summary *s, const char *family, unsigned workers,
		    const char *variant, double ns_per_op, double result);
void ptb_summary_print(struct ptb_summary *s, FILE *out);
/* The same table in Markdown (a header row, one row per cell), then the legend. */
void ptb_summary_markdown(struct ptb_summary *s, FILE *out);
void ptb_summary_free(struct ptb_summary *s);

/* A cell's statistics, for the exports; values and ns_per_op in
 * repetition order (ns_per_op NaN where untimed). */
struct ptb_cell_stats {
	const char *workload, *ops_unit, *params, *variant, *model;
	unsigned workers, tasks;
	enum ptb_measure measure;
	size_t n;
	unsigned failed;
	const double *values, *ns_per_op;
	double median, mean, sd, min, max, q1, q3;	/* NaN when n == 0; sd when n < 2 */
	double result_median;
};
size_t ptb_summary_cells(const struct ptb_summary *s);
void ptb_summary_cell(const struct ptb_summary *s, size_t i, struct ptb_cell_stats *out);
/* Statistics of v[0..n) (not reordered): as in ptb_cell_stats. */
void ptb_describe(const double *v, size_t n, double *median, double *mean, double *sd,
		  double *min, double *max, double *q1, double *q3);

#endif
