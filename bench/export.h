/* export.h - the run's summary in formats other tools read (doc/export.md):
 *
 *   --export-json FILE        per workload, params, workers and model: the
 *                             measure's unit and direction, n, median, mean,
 *                             standard deviation, min, max, quartiles, IQR,
 *                             every repetition's value; processes ÷ threads
 *                             per pair (verdict.h); the machine meta
 *                             (schema "ptbench-export", version
 *                             PTB_EXPORT_SCHEMA_VERSION)
 *   --export-markdown FILE    the summary as a Markdown table, the verdicts' lines
 *   --export-bench-json FILE  github-action-benchmark's customSmallerIsBetter
 *                             or customBiggerIsBetter list, chosen by the
 *                             run's measures (one file cannot mix them)
 *
 * The paths are checked when the command line is parsed (bad input: one
 * line, exit 2, nothing written); the files are written at the end of the
 * run, each atomically (a temporary file renamed). */
#ifndef PTB_EXPORT_H
#define PTB_EXPORT_H

#include "cli.h"
#include "meta.h"
#include "summary.h"

#define PTB_EXPORT_SCHEMA_VERSION 1

struct ptb_verdicts;	/* verdict.h */

/* The export options of plan p: writable paths, none the CSV, its meta or
 * another export's; a bench JSON whose measures agree on a direction.
 * Returns 0, or 2 after one line on stderr. */
int ptb_export_check(const struct ptb_plan *p);
/* Write every export p asks for from s and the verdicts v (NULL: not
 * judged, "verdicts": null); meta_path is the run's meta sidecar (NULL or
 * "" when none was written: the meta of run is written to a temporary
 * file for the JSON).  Returns 0, or -1 after a line on stderr for each
 * export that could not be written. */
int ptb_export_write(const struct ptb_plan *p, struct ptb_summary *s,
		     const struct ptb_verdicts *v, const char *meta_path,
		     const struct ptb_meta_run *run);
/* A JSON string (quoted, escaped) and a number (null when not finite). */
void ptb_json_str(FILE *f, const char *s);
void ptb_json_num(FILE *f, double v);

#endif
