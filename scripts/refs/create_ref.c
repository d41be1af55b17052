/* create_ref.c - the minimal reference for ptbench's `create` workload, for
 * `make anchors`: create and join an empty worker, L times, and print the
 * nanoseconds per create+join.  No harness, no shared arena, no rusage:
 * the least a program can do to start and finish a worker.
 *
 *   create_ref -m thread -l L   pthread_create + pthread_join
 *   create_ref -m fork   -l L   fork + _exit(0) + waitpid
 *   create_ref -m vfork  -l L   vfork + _exit(0) + waitpid
 *   ... -P                      first open an inherited perf software counter
 *                               (CPU migrations), as ptbench's runner does, so
 *                               every create and exit also copies and folds it
 *
 * Prints "<ns per op>\n" on stdout.  Bad input: one line on stderr, exit 2. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum mode { M_THREAD, M_FORK, M_VFORK };

static long long now_ns(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) {
		perror("create_ref: clock_gettime");
		exit(1);
	}
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
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

static int parse_args(int argc, char **argv, enum mode *m, long *loops, int *with_counter)
{
	static const char *const names[] = { "thread", "fork", "vfork" };
	const char *mode = NULL, *l = NULL;
	int used = 1;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-P") == 0) {
			*with_counter = 1;
			used++;
		} else if (i + 1 < argc && strcmp(argv[i], "-m") == 0) {
			mode = argv[++i];
			used += 2;
		} else if (i + 1 < argc && strcmp(argv[i], "-l") == 0) {
			l = argv[++i];
			used += 2;
		}
	}
	if (used != argc || !mode || !l) {
		fprintf(stderr, "create_ref: usage: create_ref -m thread|fork|vfork -l LOOPS [-P]\n");
		return -1;
	}
	for (int k = 0; k < 3; k++)
		if (strcmp(mode, names[k]) == 0)
			*m = (enum mode)k;
	if (strcmp(mode, names[*m]) != 0) {
		fprintf(stderr, "create_ref: -m: unknown mode '%s' (allowed: thread, fork, vfork)\n", mode);
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
	int with_counter = 0;
	if (parse_args(argc, argv, &m, &loops, &with_counter))
		return 2;
	if (with_counter && open_inherited_counter() < 0)
		return 1;
	long long start_ns = now_ns();
	for (long i = 0; i < loops; i++)
		if ((m == M_THREAD ? one_thread() : one_process(m)) != 0)
			return 1;
	long long wall_ns = now_ns() - start_ns;
	if (printf("%.1f\n", (double)wall_ns / (double)loops) < 0)
		return 1;
	return 0;
}
