/* create_ref.c - the minimal reference for ptbench's `create` workload, for
 * `make anchors`: create and join an empty worker, L times, and print the
 * nanoseconds per create+join.  No harness, no shared arena, no rusage:
 * the least a program can do to start and finish a worker.
 *
 *   create_ref -m thread -l L   pthread_create + pthread_join
 *   create_ref -m fork   -l L   fork + _exit(0) + waitpid
 *   create_ref -m vfork  -l L   vfork + _exit(0) + waitpid
 *   create_ref -m spawn  -l L -x PROGRAM
 *                               posix_spawn(PROGRAM empty) + waitpid, as
 *                               ptbench's spawn model starts ptbench-worker
 *   ... -f                      also print the minor page faults per
 *                               create+join (this process and its reaped
 *                               children, getrusage), as ptbench's minflt
 *   ... -P                      first open an inherited perf software counter
 *                               (CPU migrations), as ptbench's runner does, so
 *                               every create and exit also copies and folds it
 *   ... -D DEPTH                create from a process DEPTH generations below
 *                               this one (each forked from the one above and
 *                               waiting for it), as ptbench's fork creator is a
 *                               child of the runner, itself the driver's child
 *   ... -V N                    first map N more private pages, each its own
 *                               mapping (VMA), written (a parent's own weight)
 *   ... -F N                    first open N more file descriptors
 * The options measure, one at a time, where a heavier parent's cost comes
 * from (make anchors; doc/methodology.md).
 *
 * Prints "<ns per op>\n" on stdout (with -f "<ns per op> <faults per op>\n").  Bad input: one line on stderr, exit 2. */
#include <errno.h>
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/perf_event.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum mode { M_THREAD, M_FORK, M_VFORK, M_SPAWN };

extern char **environ;

static long long now_ns(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) {
		perror("create_ref: clock_gettime");
		exit(1);
	}
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Minor faults of this process and its reaped children so far. */
static long minor_faults(void)
{
	struct rusage self, children;
	if (getrusage(RUSAGE_SELF, &self) != 0 || getrusage(RUSAGE_CHILDREN, &children) != 0) {
		perror("create_ref: getrusage");
		exit(1);
	}
	return self.ru_minflt + children.ru_minflt;
}

static void *empty_worker(void *arg)
{
	return arg;
}

static int reap(pid_t pid)
{
	int status;
	pid_t got;
	while ((got = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
		;
	if (got < 0) {
		perror("create_ref: waitpid");
		return -1;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "create_ref: worker ended with status %d\n", status);
		return -1;
	}
	return 0;
}

static int one_thread(void)
{
	pthread_t t;
	int e = pthread_create(&t, NULL, empty_worker, NULL);
	if (e) {
		fprintf(stderr, "create_ref: pthread_create: %s\n", strerror(e));
		return -1;
	}
	e = pthread_join(t, NULL);
	if (e) {
		fprintf(stderr, "create_ref: pthread_join: %s\n", strerror(e));
		return -1;
	}
	return 0;
}

/* posix_spawn of the empty worker program (argv: PROGRAM empty). */
static int one_spawn(char *program)
{
	static char empty_arg[] = "empty";
	char *argv[] = { program, empty_arg, NULL };
	pid_t pid;
	int e = posix_spawn(&pid, program, NULL, NULL, argv, environ);
	if (e) {
		fprintf(stderr, "create_ref: posix_spawn(%s): %s\n", program, strerror(e));
		return -1;
	}
	return reap(pid);
}

static int one_process(enum mode m)
{
	pid_t pid = m == M_VFORK ? vfork() : fork();
	if (pid < 0) {
		perror(m == M_VFORK ? "create_ref: vfork" : "create_ref: fork");
		return -1;
	}
	if (pid == 0)
		_exit(0);
	return reap(pid);
}

/* The counter ptbench's runner opens (lib/measure.c): inherited by every
 * thread and child.  Returns the fd, or -1 after a message. */
static int open_inherited_counter(void)
{
	struct perf_event_attr attr;
	memset(&attr, 0, sizeof attr);
	attr.size = sizeof attr;
	attr.type = PERF_TYPE_SOFTWARE;
	attr.config = PERF_COUNT_SW_CPU_MIGRATIONS;
	attr.inherit = 1;
	attr.exclude_hv = 1;
	long fd = syscall(SYS_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0) {
		attr.exclude_kernel = 1;
		fd = syscall(SYS_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
	}
	if (fd < 0)
		perror("create_ref: perf_event_open");
	return (int)fd;
}

struct weight {
	long depth, vmas, fds;	/* -D, -V, -F */
};

/* N more private one-page mappings, written, kept apart by alternating
 * protections so that the kernel cannot merge them into one VMA. */
static int add_vmas(long n)
{
	for (long i = 0; i < n; i++) {
		char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) {
			perror("create_ref: mmap");
			return -1;
		}
		p[0] = 1;
		if (i % 2 && mprotect(p, 4096, PROT_READ) != 0) {
			perror("create_ref: mprotect");
			return -1;
		}
	}
	return 0;
}

static int add_fds(long n)
{
	for (long i = 0; i < n; i++)
		if (dup(2) < 0) {
			perror("create_ref: dup");
			return -1;
		}
	return 0;
}

/* Go depth-1 generations down: each generation forks the next and waits
 * for it, exiting with its status; returns in the last one (or -1). */
static int descend(long depth)
{
	for (long d = 1; d < depth; d++) {
		pid_t pid = fork();
		if (pid < 0) {
			perror("create_ref: fork (generation)");
			return -1;
		}
		if (pid > 0) {
			int status;
			while (waitpid(pid, &status, 0) < 0)
				if (errno != EINTR)
					_exit(1);
			fflush(stdout);
			_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 1);
		}
	}
	return 0;
}

static int parse_count(const char *flag, const char *text, long max, long *out)
{
	char *end;
	errno = 0;
	*out = strtol(text, &end, 10);
	if (errno || *end || *out < 0 || *out > max) {
		fprintf(stderr, "create_ref: %s: '%s' is not a count (allowed: 0 to %ld)\n", flag, text, max);
		return -1;
	}
	return 0;
}

static int parse_args(int argc, char **argv, enum mode *m, long *loops, int *with_counter,
		      int *with_faults, struct weight *w, char **program)
{
	static const char *const names[] = { "thread", "fork", "vfork", "spawn" };
	const char *mode = NULL, *l = NULL;
	int used = 1;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-P") == 0) {
			*with_counter = 1;
			used++;
		} else if (strcmp(argv[i], "-f") == 0) {
			*with_faults = 1;
			used++;
		} else if (i + 1 < argc && strcmp(argv[i], "-D") == 0) {
			if (parse_count("-D", argv[++i], 16, &w->depth) || w->depth < 1)
				return -1;
			used += 2;
		} else if (i + 1 < argc && strcmp(argv[i], "-V") == 0) {
			if (parse_count("-V", argv[++i], 100000, &w->vmas))
				return -1;
			used += 2;
		} else if (i + 1 < argc && strcmp(argv[i], "-F") == 0) {
			if (parse_count("-F", argv[++i], 1000, &w->fds))
				return -1;
			used += 2;
		} else if (i + 1 < argc && strcmp(argv[i], "-x") == 0) {
			*program = argv[++i];
			used += 2;
		} else if (i + 1 < argc && strcmp(argv[i], "-m") == 0) {
			mode = argv[++i];
			used += 2;
		} else if (i + 1 < argc && strcmp(argv[i], "-l") == 0) {
			l = argv[++i];
			used += 2;
		}
	}
	if (used != argc || !mode || !l) {
		fprintf(stderr, "create_ref: usage: create_ref -m thread|fork|vfork|spawn -l LOOPS [-x PROGRAM] "
			"[-f] [-P] [-D DEPTH] [-V N] [-F N]\n");
		return -1;
	}
	for (int k = 0; k < 4; k++)
		if (strcmp(mode, names[k]) == 0)
			*m = (enum mode)k;
	if (strcmp(mode, names[*m]) != 0) {
		fprintf(stderr, "create_ref: -m: unknown mode '%s' (allowed: thread, fork, vfork, spawn)\n", mode);
		return -1;
	}
	if ((*m == M_SPAWN) != (*program != NULL)) {
		fprintf(stderr, "create_ref: -x PROGRAM goes with -m spawn, and only with it\n");
		return -1;
	}
	char *end;
	errno = 0;
	*loops = strtol(l, &end, 10);
	if (errno || *end || *loops < 1 || *loops > 100000000) {
		fprintf(stderr, "create_ref: -l: '%s' is not a count (allowed: 1 to 100000000)\n", l);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	enum mode m = M_THREAD;
	long loops;
	int with_counter = 0, with_faults = 0;
	struct weight w = { 1, 0, 0 };
	char *program = NULL;
	if (parse_args(argc, argv, &m, &loops, &with_counter, &with_faults, &w, &program))
		return 2;
	if (with_counter && open_inherited_counter() < 0)
		return 1;
	if (add_vmas(w.vmas) || add_fds(w.fds) || descend(w.depth))
		return 1;
	long faults0 = minor_faults();
	long long start_ns = now_ns();
	for (long i = 0; i < loops; i++)
		if ((m == M_THREAD ? one_thread() : m == M_SPAWN ? one_spawn(program) : one_process(m)) != 0)
			return 1;
	long long wall_ns = now_ns() - start_ns;
	long faults = minor_faults() - faults0;
	int printed = with_faults ? printf("%.1f %.2f\n", (double)wall_ns / (double)loops,
					   (double)faults / (double)loops)
				  : printf("%.1f\n", (double)wall_ns / (double)loops);
	if (printed < 0)
		return 1;
	return 0;
}
