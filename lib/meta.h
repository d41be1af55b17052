/* meta.h - the NAME.meta.json sidecar: the machine and everything that
 * makes figures noisy, and warnings when something is likely to distort
 * them. */
#ifndef PTB_META_H
#define PTB_META_H

#include "err.h"

struct ptb_meta_run {
	const char *run_id;
	const char *csv_path;
	int argc;
	char **argv;
	const char *interleave;	/* how repetitions of models were ordered */
	const char *started;	/* ISO 8601 UTC */
	const char *finished;	/* NULL while running */
	const char *status;	/* "running", "complete", "interrupted" */
	unsigned rows;
};

/* Write path atomically (temporary file, then rename). */
int ptb_meta_write(const char *path, const struct ptb_meta_run *run, struct ptb_err *err);
/* Print to stderr a warning for each condition likely to distort timings. */
void ptb_meta_warn(void);
/* The current UTC time as "2026-11-23T11:22:33Z". */
void ptb_utc_now(char *buf, size_t len);

#endif
