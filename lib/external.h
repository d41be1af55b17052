/* external.h - another program as the runner of a repetition.
 *
 * The models whose workload is not C code (pythread, pyproc, pypool, in
 * lib/model_py.c; later mpi) set ptb_model.exec_runner.  The ptbench runner
 * child then calls it instead of running the C workload: it starts the
 * program with these helpers, which does setup, times its own region,
 * verifies, and reports; the helpers turn the report into the sample.  The
 * driver's outer measurement (wait, timeout, process-group kill, subreaper,
 * leftovers) is unchanged: the program runs in the runner's process group,
 * dies with the runner (PR_SET_PDEATHSIG), and whatever it leaves running is
 * killed and reaped with the group.  ptb_ext_ask runs a program for its
 * one line of answer (an interpreter's version, a script's check), which
 * dies with its caller in the same way.
 *
 * The protocol, for any external program:
 *   - argv may hold two placeholders, replaced in the child before execv:
 *     "{report_fd}"  the write end of a pipe for the report;
 *     "{perf_fd}"    a perf_event_open counter of CPU migrations (software,
 *                    inherit set, so it counts the program and everything it
 *                    starts); the program reads 8 bytes (a native u64) just
 *                    before and after its timed region.  "-1" when perf is
 *                    not allowed here: migrations is then missing.
 *   - the program writes one line on the report fd, a flat JSON object:
 *       wall_ns, user_ns, sys_ns, maxrss_kb, pss_kb, vol_cs, invol_cs,
 *       minflt, majflt, migrations   integer, or null (missing, never 0)
 *       ops, result                  integer (required unless error)
 *       ok                           true | false  (required unless error)
 *       error, notes                 string (notes: "key=value;...")
 *     the same columns, with the same meaning, as the C runner measures
 *     (lib/measure.h): wall_ns of the timed region on CLOCK_MONOTONIC,
 *     rusage deltas of SELF + CHILDREN around it.  Unknown keys are an
 *     error, so a misspelt column cannot go missing silently.
 *   - exit status 0 after a report without error (ok may be false: a wrong
 *     result is a row with figures and ok=0, as in C); non-zero when the run
 *     failed, with "error" saying why (the row keeps only the error). */
#ifndef PTB_EXTERNAL_H
#define PTB_EXTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include "err.h"
#include "sample.h"
#include "workload.h"

#define PTB_EXT_MAX_ARGS 96
#define PTB_EXT_REPORT_BYTES 4096

/* An argument vector built in one fixed buffer (no allocation). */
struct ptb_ext_argv {
	char *argv[PTB_EXT_MAX_ARGS + 1];
	int argc;
	char strings[16384];
	size_t used;
	bool overflow;		/* an argument did not fit: ptb_ext_run refuses */
	int status;		/* set by ptb_ext_run: the program's wait status */
	bool reported;		/* set by ptb_ext_run: it wrote a report line */
};

void ptb_ext_init(struct ptb_ext_argv *a);
/* Append one formatted argument. */
void ptb_ext_add(struct ptb_ext_argv *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Append `--NAME VALUE` for every option of wl (a choice by its name). */
void ptb_ext_add_opts(struct ptb_ext_argv *a, const struct ptb_opt *opts, unsigned nopts,
		      const uint64_t *values);

/* The name of choice v of option o into buf ("" when out of range). */
const char *ptb_opt_choice_name(const struct ptb_opt *o, uint64_t v, char *buf, size_t len);
/* The index of option `name` in opts, or -1. */
int ptb_opt_index(const struct ptb_opt *opts, unsigned nopts, const char *name);

/* Find a program: $env when set (a path, or a name looked up in PATH),
 * else `name` in PATH.  0 with path filled, or -1 with err saying what was
 * looked for. */
int ptb_ext_find_program(const char *env, const char *name, char *path, size_t len,
			 struct ptb_err *err);

/* Run a->argv (argv[0] a path) as described above, wait for it, and fill
 * *out from its report.  0 with out filled, or -1 with err: no report, a bad
 * report, the report's own error, or the way the program ended. */
int ptb_ext_run(struct ptb_ext_argv *a, struct ptb_sample *out, struct ptb_err *err);

/* Run argv (argv[0] a path) with stdout into a pipe, and stderr too when
 * with_stderr (else /dev/null); read its first line into line (without the
 * newline), read the rest to the end, and wait for it.  The program gets
 * SIGKILL if the caller dies meanwhile (PR_SET_PDEATHSIG): a ptbench killed
 * while it asks an interpreter or a script leaves nothing behind.  0 with
 * *status its wait status, or -1 with errno. */
int ptb_ext_ask(char *const argv[], bool with_stderr, char *line, size_t len, int *status);

/* Parse one report line into *out (exposed for the tests).  0, or -1 with
 * err naming what is wrong; the report's own "error" is copied to
 * out->error and is not a parse failure. */
int ptb_ext_parse_report(const char *line, struct ptb_sample *out, struct ptb_err *err);

#endif
