/* helpers.h - what every CUnit suite shares: assertions with a formatted
 * message, temporary directories, checks that nothing was left behind
 * (child processes, files, /dev/shm entries), where the ptbench binary
 * under test and the repository are, a runner for ptbench (or any other
 * program) as a subprocess, the notes column's "key=value;..." reader,
 * and a strict RFC 4180 record splitter. */
#ifndef PTB_TEST_HELPERS_H
#define PTB_TEST_HELPERS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* TH_TSAN is 1 in a ThreadSanitizer build (gcc or clang).  The unlocked
 * counter (--lock none) races on purpose; TSan would rightly report it and
 * fail the run, so those configurations are skipped under TSan (the
 * locked ones, where a race would be a bug, still run). */
#if defined(__SANITIZE_THREAD__)
#define TH_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define TH_TSAN 1
#endif
#endif
#ifndef TH_TSAN
#define TH_TSAN 0
#endif

/* TH_SANITIZED is 1 in an AddressSanitizer or ThreadSanitizer build.  The
 * sanitizers instrument ptbench's C, not the Python interpreter or
 * mpirun that the external models start, so there the workloads x models
 * matrix runs each external model on one workload only (its C side, the
 * launcher and the reader of its report, is the same for every
 * workload); the plain build runs all of them. */
#if TH_TSAN || defined(__SANITIZE_ADDRESS__)
#define TH_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TH_SANITIZED 1
#endif
#endif
#ifndef TH_SANITIZED
#define TH_SANITIZED 0
#endif

/* A CUnit assertion whose failure message is formatted (it names the
 * configuration that failed, not just the expression). */
#define TH_CHECK(cond, ...) th_check((cond), __LINE__, __FILE__, __VA_ARGS__)
bool th_check(bool ok, unsigned line, const char *file, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* ---- files and directories ------------------------------------------ */

/* A fresh private directory (mkdtemp under $TMPDIR or /tmp); the path is
 * written into buf.  Returns 0 or -1. */
int th_mkdtemp(char *buf, size_t len);
/* Remove a directory tree; returns 0 or -1. */
int th_rmtree(const char *path);
/* Every path below dir, relative and sorted, one per line ("" when the
 * directory is empty).  Returns 0, or -1 when dir cannot be read or buf
 * is too small. */
int th_list_tree(const char *dir, char *buf, size_t len);
/* Names directly in dir, sorted, one per line. */
int th_list_dir(const char *dir, char *buf, size_t len);
/* Entries of `after` (a th_list_dir listing) not in `before`, written to
 * buf, one per line; returns their count. */
int th_new_names(const char *before, const char *after, char *buf, size_t len);
/* Names in `names` that are also in `listing` (both one per line),
 * written to buf; returns their count. */
int th_common_names(const char *names, const char *listing, char *buf, size_t len);
/* Entries of dir not in `before` (a th_list_dir listing) that are still
 * there 100 ms later, so another program's short-lived entries (Python's
 * semaphores, created and unlinked at once) are not taken for ours;
 * written to buf; returns their count, -1 when dir cannot be read. */
int th_left_in_dir(const char *dir, const char *before, char *buf, size_t len);
/* Whole file into a malloc'd, NUL-terminated buffer; NULL on error. */
char *th_read_file(const char *path, size_t *len);
bool th_exists(const char *path);

/* ---- processes ---------------------------------------------------------- */

/* Processes (live or zombie) whose parent is `parent`, from /proc. */
int th_count_children_of(pid_t parent);
/* True when this process has no child at all: waitpid(-1, WNOHANG) fails
 * with ECHILD and /proc lists none whose PPid is ours. */
bool th_no_children(void);

/* The ptbench binary under test: $PTBENCH, else build/ptbench, made
 * absolute at start-up (the CLI tests run it from a temporary cwd). */
const char *th_ptbench(void);
/* The repository root (where scripts/ is): the start-up directory, made
 * absolute. */
const char *th_root(void);
/* Resolve both; 0, or -1 with a message on stderr. */
int th_init(void);

struct th_spawn {
	pid_t pid;
	int out_fd, err_fd;	/* unnamed temporary files holding stdout, stderr */
};

/* Start build/ptbench with argv (argv[0] is ignored and replaced) in cwd,
 * in its own process group, with default signal dispositions and an
 * empty signal mask; stdout and stderr go to unnamed temporary files. */
int th_spawn_ptbench(const char *cwd, char *const argv[], struct th_spawn *sp);
/* Wait for it; fills status and the captured output (malloc'd). */
int th_wait_ptbench(struct th_spawn *sp, int *status, char **out, char **err);
/* Both at once. */
int th_run_ptbench(const char *cwd, char *const argv[], int *status, char **out, char **err);
/* The same for any program: argv[0] is its path (a script's interpreter,
 * say), run in cwd; 0 with *status, out and err filled, or -1. */
int th_run_program(const char *cwd, char *const argv[], int *status, char **out, char **err);
/* Lines in s (a final line without '\n' counts). */
int th_count_lines(const char *s);

/* ---- CSV ---------------------------------------------------------------- */

/* The value of key in a "k=v;k=v" string (the notes column, or a test's
 * options), copied into buf; NULL when absent. */
const char *th_note(const char *notes, const char *key, char *buf, size_t len);
/* The same as a number; -1 when absent or not a number. */
long long th_note_num(const char *notes, const char *key);

#define TH_MAX_FIELDS 64

struct th_record {
	int nfields;
	char *field[TH_MAX_FIELDS];
	char buf[8192];
};

/* Parse the RFC 4180 record at text[*pos] into r and advance *pos.
 * Returns 1 for a record, 0 at the end of the text, -1 when the record
 * is malformed or incomplete (no terminating newline, an unterminated
 * quote, a quote inside an unquoted field, text after a closing quote). */
int th_csv_next(const char *text, size_t len, size_t *pos, struct th_record *r);

#endif
