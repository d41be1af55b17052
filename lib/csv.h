/* csv.h - the tidy CSV ptbench writes: header, RFC 4180 quoting, rows
 * written whole.
 *
 * A row is built in memory and handed to the kernel with one write() on
 * a file opened O_APPEND, so an interrupted run leaves only complete
 * rows.  Missing counters (PTB_MISSING) are empty fields. */
#ifndef PTB_CSV_H
#define PTB_CSV_H

#include <stddef.h>
#include <stdint.h>
#include "sample.h"

#define PTB_CSV_HEADER \
	"run_id,workload,model,workers,params,rep,wall_ns,user_ns,sys_ns," \
	"maxrss_kb,pss_kb,vol_cs,invol_cs,minflt,majflt,migrations," \
	"ops,ns_per_op,result,ok,outer_wall_ns,steal_ns,error,notes"
#define PTB_CSV_COLUMNS 24
/* The layout's version, in the meta sidecar (schema_version); 2 added
 * steal_ns.  scripts/ptbcsv.py knows every version. */
#define PTB_SCHEMA_VERSION 2

/* A growing line buffer for one row. */
struct ptb_line {
	char buf[2048];
	size_t len;
	unsigned fields;
	int overflow;
};

void ptb_line_init(struct ptb_line *l);
/* Append a field, quoted when it holds a comma, quote, CR or LF. */
void ptb_csv_str(struct ptb_line *l, const char *s);
void ptb_csv_i64(struct ptb_line *l, int64_t v);	/* PTB_MISSING -> empty */
void ptb_csv_u64(struct ptb_line *l, uint64_t v);
void ptb_csv_end(struct ptb_line *l);	/* terminate the row with "\n" */

/* The identifying fields of one row. */
struct ptb_row_key {
	const char *run_id, *workload, *model, *params;
	unsigned workers;
	unsigned rep;
};

/* Format a whole row into l. */
void ptb_csv_row(struct ptb_line *l, const struct ptb_row_key *k, const struct ptb_sample *s);
/* ns per op as written in the CSV; negative when not defined. */
double ptb_ns_per_op(const struct ptb_sample *s);

#endif
