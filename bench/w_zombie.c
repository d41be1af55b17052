/* w_zombie.c - `zombie`: zombies, orphans and the time wait takes to reap
 * (claim C9, seeds 003/004: "a finished child is a zombie until its
 * parent waits; an orphan is re-parented to init").
 *
 * Each task forks --children short-lived children, one after another;
 * each child stamps CLOCK_MONOTONIC (one clock for every process) in the
 * shared arena and calls _exit.  Children alternate between two checks:
 *   even  the task is already blocked in waitpid when the child exits:
 *         reap latency = when waitpid returned - the child's stamp
 *         (the child's exit path, the wake-up and the return);
 *   odd   the task waits with waitid(WNOWAIT), which leaves the child
 *         unreaped, reads /proc/PID/stat (state must be Z, parent the
 *         task's process), reaps it with waitpid, and checks that
 *         /proc/PID is gone.
 * After the model has stopped, verify (in the runner) scans /proc for
 * every process of the runner's process group other than the runner:
 * zombies, orphans (re-parented away from the runner) and live children,
 * and counts the worker threads that ran a task in the runner and still
 * exist in /proc/self/task (each task records its thread id; threads a
 * sanitizer runs are not counted).  The result is that
 * total, which must be 0 in every model: ptbench leaves nothing.  ops =
 * children; the notes give each count, the zombies seen before wait and
 * the reap latency (median and max). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "child.h"
#include "measure.h"
#include "stats.h"
#include "procfs.h"
#include "workload.h"

enum { OPT_CHILDREN };

struct zombie_slot {		/* one per task */
	_Alignas(64) _Atomic int64_t exit_ns;	/* the current child's stamp */
	uint32_t reaped, zombie_seen, gone_after_reap;
	pid_t worker_pid, worker_tid;	/* the process and thread that ran the task */
};

struct zombie_state {
	unsigned lat_per_task;	/* latencies each task records */
	int64_t *lat_ns;	/* [task * lat_per_task + k], in the arena */
	struct zombie_slot slot[];
};

/* What a scan of /proc found of the runner's process group. */
struct leftovers {
	unsigned zombies, orphans, live, threads;
};

static unsigned lat_per_task(uint64_t children)
{
	return (unsigned)((children + 1) / 2);
}

static size_t zombie_arena_bytes(const struct ptb_wctx *ctx)
{
	return sizeof(struct zombie_state) + (size_t)ctx->tasks * sizeof(struct zombie_slot) + 64 +
	       (size_t)ctx->tasks * lat_per_task(ctx->opt[OPT_CHILDREN]) * sizeof(int64_t);
}

static int zombie_setup(struct ptb_wctx *ctx, struct ptb_err *err)
{
	struct zombie_state *st = ptb_arena_alloc(ctx->arena, sizeof *st +
				  (size_t)ctx->tasks * sizeof(struct zombie_slot));
	if (!st)
		return ptb_errf(err, "zombie: shared arena too small");
	st->lat_per_task = lat_per_task(ctx->opt[OPT_CHILDREN]);
	st->lat_ns = ptb_arena_alloc(ctx->arena, (size_t)ctx->tasks * st->lat_per_task *
				     sizeof(int64_t));
	if (!st->lat_ns)
		return ptb_errf(err, "zombie: shared arena too small");
	ctx->state = st;
	return 0;
}

/* State, parent and process group of pid from /proc/PID/stat; -1 when
 * there is no such process (or it cannot be read). */
static int proc_stat(pid_t pid, char *state, pid_t *ppid, pid_t *pgrp)
{
	struct ptb_proc_stat ps;
	if (ptb_proc_stat_read(pid, &ps) < 0)
		return -1;
	*state = ps.state;
	*ppid = ps.ppid;
	*pgrp = ps.pgrp;
	return 0;
}

static pid_t wait_for(pid_t pid)
{
	int status;
	pid_t got;
	while ((got = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
		;
	return got == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? got : -1;
}

/* Reap latency: the task waits before the child exits. */
static int child_latency(struct zombie_slot *slot, pid_t pid, int64_t *lat_ns)
{
	if (wait_for(pid) < 0)
		return -1;
	int64_t now_ns = ptb_now_ns();
	slot->reaped++;
	*lat_ns = now_ns - atomic_load(&slot->exit_ns);
	return 0;
}

/* A zombie until reaped, gone after: both read from /proc. */
static int child_zombie(struct zombie_slot *slot, pid_t pid)
{
	siginfo_t si;
	char state = '?';
	pid_t ppid = 0, pgrp = 0;
	int rc;
	while ((rc = waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT)) < 0 && errno == EINTR)
		;
	if (rc == 0 && proc_stat(pid, &state, &ppid, &pgrp) == 0 && state == 'Z' &&
	    ppid == getpid())
		slot->zombie_seen++;
	if (wait_for(pid) < 0)
		return -1;
	slot->reaped++;
	if (proc_stat(pid, &state, &ppid, &pgrp) < 0 || ppid != getpid())
		slot->gone_after_reap++;
	return 0;
}

static int zombie_task(void *arg, unsigned task, unsigned ntasks)
{
	(void)ntasks;
	struct ptb_wctx *ctx = arg;
	struct zombie_state *st = ctx->state;
	struct zombie_slot *slot = &st->slot[task];
	int64_t *lat_ns = &st->lat_ns[(size_t)task * st->lat_per_task];
	slot->worker_pid = getpid();
	slot->worker_tid = gettid();
	for (uint64_t i = 0; i < ctx->opt[OPT_CHILDREN]; i++) {
		atomic_store(&slot->exit_ns, 0);
		pid_t pid = fork();
		if (pid < 0)
			return 1;
		if (pid == 0) {
			atomic_store(&slot->exit_ns, ptb_now_ns());
			ptb_child_exit(0);
		}
		int rc = i % 2 == 0 ? child_latency(slot, pid, &lat_ns[i / 2]) : child_zombie(slot, pid);
		if (rc)
			return 2;
	}
	return 0;
}

static int by_tid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;
	return (x > y) - (x < y);
}

/* Worker threads of the runner (tasks ran on them) that still exist. */
static unsigned threads_left(const struct zombie_state *st, unsigned tasks)
{
	pid_t *tid = malloc((tasks ? tasks : 1) * sizeof *tid);
	unsigned n = 0, distinct = 0;
	if (!tid)
		return 0;
	for (unsigned t = 0; t < tasks; t++) {
		const struct zombie_slot *s = &st->slot[t];
		char path[64];
		snprintf(path, sizeof path, "/proc/self/task/%ld", (long)s->worker_tid);
		if (s->worker_pid == getpid() && s->worker_tid != getpid() && access(path, F_OK) == 0)
			tid[n++] = s->worker_tid;
	}
	if (n)
		qsort(tid, n, sizeof *tid, by_tid);
	for (unsigned i = 0; i < n; i++)
		distinct += i == 0 || tid[i] != tid[i - 1];
	free(tid);
	return distinct;
}

/* Every process of the runner's group but the runner, from /proc. */
static int scan_group(const struct zombie_state *st, unsigned tasks, struct leftovers *left,
		      struct ptb_err *err)
{
	pid_t self = getpid(), group = getpgrp();
	DIR *d = opendir("/proc");
	struct dirent *e;
	if (!d)
		return ptb_errno(err, "zombie: opendir(/proc)");
	memset(left, 0, sizeof *left);
	while ((e = readdir(d))) {
		char state, *end;
		pid_t ppid, pgrp;
		long pid = strtol(e->d_name, &end, 10);
		if (*end || pid <= 0 || (pid_t)pid == self ||
		    proc_stat((pid_t)pid, &state, &ppid, &pgrp) < 0 || pgrp != group)
			continue;
		if (state == 'Z')
			left->zombies++;
		else if (ppid != self)
			left->orphans++;
		else
			left->live++;
	}
	closedir(d);
	left->threads = threads_left(st, tasks);
	return 0;
}

static void latency_notes(const struct zombie_state *st, unsigned tasks, double *median,
			  double *max)
{
	size_t n = (size_t)tasks * st->lat_per_task;
	double *v = malloc((n ? n : 1) * sizeof *v);
	*median = *max = -1;
	if (!v)
		return;
	for (size_t i = 0; i < n; i++) {
		v[i] = (double)st->lat_ns[i];
		*max = v[i] > *max ? v[i] : *max;
	}
	*median = ptb_median(v, n);
	free(v);
}

static int zombie_verify(struct ptb_wctx *ctx, struct ptb_outcome *out, struct ptb_err *err)
{
	const struct zombie_state *st = ctx->state;
	struct leftovers left = { 0 };
	uint64_t children = ctx->opt[OPT_CHILDREN], checks = children / 2;
	unsigned seen = 0, gone = 0, reaped = 0, bad_tasks = 0;
	double median, max;
	if (scan_group(st, ctx->tasks, &left, err))
		return -1;
	for (unsigned t = 0; t < ctx->tasks; t++) {
		const struct zombie_slot *s = &st->slot[t];
		seen += s->zombie_seen;
		gone += s->gone_after_reap;
		reaped += s->reaped;
		bad_tasks += s->reaped != children || s->zombie_seen != checks ||
			     s->gone_after_reap != checks;
	}
	latency_notes(st, ctx->tasks, &median, &max);
	out->ops = (uint64_t)ctx->tasks * children;
	out->result = left.zombies + left.orphans + left.live + left.threads;
	out->ok = out->result == 0 && bad_tasks == 0 && median > 0;
	snprintf(out->notes, sizeof out->notes,
		 "zombies=%u;orphans=%u;live=%u;threads=%u;zombie_before_wait=%u/%llu;"
		 "gone_after_wait=%u;reaped=%u;reap_ns_median=%.0f;reap_ns_max=%.0f",
		 left.zombies, left.orphans, left.live, left.threads, seen,
		 (unsigned long long)(checks * ctx->tasks), gone, reaped, median, max);
	return 0;
}

/* The Python twin starts its children with multiprocessing in the task's
 * start method, and must be their parent to reap and inspect them. */
static const char *zombie_py_refuse(const struct ptb_fit *fit, const char *start)
{
	(void)fit;
	if (strcmp(start, "forkserver") == 0)
		return "forkserver's children are the fork server's, not the task's: use fork or spawn";
	return NULL;
}

static const struct ptb_opt zombie_opts[] = {
	[OPT_CHILDREN] = { "children", "8", "children each task forks and reaps (half timed, half checked in /proc)",
			   PTB_OPT_NUM, PTB_UNIT_COUNT, 2, 1000000, NULL },
};

const struct ptb_workload ptb_w_zombie = {
	.name = "zombie",
	.desc = "children reaped by wait: zombies/orphans left (must be 0), reap latency (C9)",
	.ops_unit = "child",
	.headline = "result",
	.better = PTB_LOWER_IS_BETTER,
	.claims = "C9",
	.py = PTB_PY_IMPL,
	.py_refuse = zombie_py_refuse,
	.opts = zombie_opts,
	.nopts = 1,
	.needs = PTB_NEEDS_CHILDREN,
	.arena_bytes = zombie_arena_bytes,
	.setup = zombie_setup,
	.task = zombie_task,
	.verify = zombie_verify,
};
