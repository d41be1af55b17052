/* cli.h - the command line of `ptbench run`, parsed and validated into a
 * plan before anything is created, so bad input writes nothing. */
#ifndef PTB_CLI_H
#define PTB_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "model.h"
#include "workload.h"

#define PTB_MAX_LIST 64
#define PTB_MAX_WORKERS 4096

/* The values one workload option takes in this run (a sweep when > 1). */
struct ptb_optlist {
	uint64_t v[PTB_MAX_LIST];
	int n;
};

struct ptb_plan {
	const struct ptb_workload *wl[16];
	int nwl;
	struct ptb_optlist wl_opts[16][PTB_MAX_OPTS];	/* [workload][option] */
	const struct ptb_model *model[16];
	int nmodel;
	uint64_t model_opt[16][PTB_MAX_OPTS];	/* [model][option]: a model's own, one value each */
	unsigned workers[PTB_MAX_LIST];
	int nworkers;
	bool submit_async[2];	/* the --submit values, in order */
	int nsubmit;
	unsigned tasks;		/* 0: as many as workers */
	unsigned reps, warmup, timeout_s;
	const char *output;	/* the default: ptbench-<timestamp>.csv in the cwd (doc/cli.md) */
	const char *tmpdir_base;
	const char *export_json, *export_md, *export_bench;	/* --export-*: NULL when not asked (export.h) */
	bool force, quiet;
	bool no_verdicts;	/* --no-verdicts: judge no process/thread pair after the run */
	bool all_models;	/* -m all: skip the pairs that cannot run (ptb_fit_refusal) */
	bool dry_run;		/* --dry-run: print the plan and its estimated time, run nothing */
	bool short_plan;	/* neither -w nor -m: the short default plan (doc/cli.md) */
	int argc;
	char **argv;
};

/* Parse `run`'s arguments (argv[0] is "run").  Returns 0, or 2 after
 * printing one line on stderr naming the bad value and what is allowed. */
int ptb_cli_parse(int argc, char **argv, struct ptb_plan *plan);
/* Set opt[] to parameter combination k of workload w (the odometer over
 * the workload's option lists, last option fastest); returns how many
 * combinations there are. */
unsigned long ptb_plan_combo(const struct ptb_plan *p, int w, unsigned long k, uint64_t *opt);
/* `ptbench --help` */
void ptb_cli_help(FILE *out);
/* `ptbench CMD --help` (also -h, `ptbench help CMD`): the command's usage
 * and examples on out; -1 when CMD has no help here (not a command). */
int ptb_cli_command_help(const char *cmd, FILE *out);
/* `ptbench list [--json] [-w LIST] [-m LIST]` (argv[0] is "list"): the
 * workloads and models as text, or as one JSON document (doc/cli.md);
 * -w and -m show only those.  Returns the exit status (2: bad input). */
int ptb_cli_list(int argc, char **argv, FILE *out);

#endif
