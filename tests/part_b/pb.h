/* pb.h - what the part-B suites share: one repetition of a workload in a
 * model through ptb_run_rep (as the driver runs it), with options given
 * as "name=value;name=value" on top of the workload's defaults; checks
 * that nothing was left behind (no child process, no /dev/shm entry);
 * reading the notes column; running build/ptbench and scripts. */
#ifndef PTB_PB_H
#define PTB_PB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "sample.h"

/* A CUnit assertion with a formatted message (what failed, and where). */
#define PB_CHECK(cond, ...) pb_check((cond), __LINE__, __FILE__, __VA_ARGS__)
bool pb_check(bool ok, unsigned line, const char *file, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

struct pb_case {
	const char *workload;
	const char *model;
	const char *opts;	/* "via=pipe;encode=1", NULL: the defaults */
	unsigned workers, tasks;	/* tasks 0: as many as workers */
	bool async;
};

/* A one-line description of c, into buf. */
const char *pb_describe(const struct pb_case *c, char *buf, size_t len);
/* NULL when the driver would run c, else the refusal (ptb_fit_refusal). */
const char *pb_refusal(const struct pb_case *c);
/* Run one repetition of c into *s.  Returns true when it ran; checks
 * (as test failures) that no child process and no /dev/shm entry is left. */
bool pb_run(const struct pb_case *c, struct ptb_sample *s);

/* The value of key in a "k=v;k=v" notes string, copied into buf; NULL
 * when absent. */
const char *pb_note(const char *notes, const char *key, char *buf, size_t len);
/* The same as a number; -1 when absent or not a number. */
long long pb_note_num(const char *notes, const char *key);

/* Run argv (argv[0] is the program) in cwd with stdout and stderr
 * collected into malloc'd strings; returns the wait status, -1 on error. */
int pb_spawn(const char *cwd, char *const argv[], char **out, char **err);
/* A private temporary directory (path into buf); 0 or -1. */
int pb_mkdtemp(char *buf, size_t len);
/* Remove a directory and the plain files in it; 0 or -1. */
int pb_rmdir_flat(const char *dir);
/* Names in dir (sorted, one per line) into buf; 0 or -1. */
int pb_list(const char *dir, char *buf, size_t len);
/* The ptbench binary under test ($PTBENCH or build/ptbench), absolute;
 * the repository root (where scripts/ is), absolute. */
const char *pb_ptbench(void);
const char *pb_root(void);
int pb_init(void);

int pb_add_share_suite(void);
int pb_add_crash_suite(void);
int pb_add_pool_suite(void);
int pb_add_zombie_daemon_suite(void);
int pb_add_output_suite(void);

#endif
