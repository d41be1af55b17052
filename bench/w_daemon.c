/* w_daemon.c - `daemon`: a worker marked daemon must end with its parent
 * (claim C11, seeds 000/004: Python's `daemon=True`).
 *
 * Each task forks an intermediate parent P; P forks the daemon D and
 * waits until D is ready; the task opens a pidfd on D while D is certainly
 * alive (P has not exited yet, so D is not yet killed nor reaped), then
 * lets P exit.  D itself never ends while the runner lives (it waits on a
 * pidfd of the runner: so not even after a SIGKILLed driver, once the
 * runner has died with it); P dies with the task.  How it is meant
 * to end (--kill):
 *   pdeathsig  D asked the kernel for SIGKILL when its parent dies
 *              (prctl PR_SET_PDEATHSIG): holds whatever kills P;
 *   atexit     P terminates D (SIGTERM) and joins it on its way out, as
 *              multiprocessing's exit handler does for daemonic children.
 * How P ends (--parent-exit): exit (_exit(0), after its exit handler) or
 * sigkill (killed: no exit handler runs).
 * Once P is reaped, the task looks at D: ended already, or a kill pending
 * (/proc/D/status SigPnd/ShdPnd): it waits at most --bound-ms for the
 * pidfd to report D's end, times it, and checks /proc/D/stat: gone, or a
 * zombie (with the start time D had, so a reused pid cannot pass for it).
 * Alive with nothing pending (nothing is on its way to end it): the task
 * leaves it to verify, which watches all such daemons at once until the
 * last one's bound has passed (notes: checked_late), so survivors do not
 * cost every task a whole bound.  A daemon still running after its bound
 * is killed through its pidfd, so nothing outlives the repetition.
 *
 * The result is the number of daemons still running after the bound.  It
 * must be 0, except with --kill atexit --parent-exit sigkill, Python's
 * gap, where every daemon is expected to outlive its parent (ok then
 * means: the outcome the mechanism predicts).  ops = daemons (one per
 * task); the notes give the time from the parent's exit to the daemon's
 * end (median, max).  Orphaned daemons are re-parented to the driver (a
 * child subreaper), which reaps them with the runner's process group. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "child.h"
#include "measure.h"
#include "stats.h"
#include "procfs.h"
#include "workload.h"

enum { OPT_BOUND_MS, OPT_KILL, OPT_PARENT_EXIT };
enum { KILL_PDEATHSIG, KILL_ATEXIT };
enum { EXIT_NORMAL, EXIT_SIGKILL };
enum { PHASE_START, PHASE_READY, PHASE_GO };	/* slot->phase */

#define HANDSHAKE_MS 30000	/* the longest a side waits for the other */
#define CLEANUP_MS 5000		/* for a killed survivor to end */
#define VERIFY_BATCH 256	/* pidfds verify watches at once */

struct daemon_slot {		/* one per task */
	_Alignas(64) _Atomic uint32_t phase;
	_Atomic int32_t daemon_pid;
	_Atomic int64_t parent_exit_ns;	/* stamped by P as it begins to exit */
	int64_t gone_ns;		/* parent's exit to the daemon's end; -1 if not seen */
	unsigned long long daemon_start;	/* its start time (/proc), for identity */
	uint32_t deferred;		/* alive, no kill pending: verify waits for it */
	uint32_t alive;			/* still running after the bound */
	uint32_t failed;		/* the experiment did not run as designed */
};

/* The process that runs verify, which watches the daemons last (set in
 * setup): a daemon lives no longer than it. */
static pid_t runner_pid;

static bool survivors_expected(const uint64_t *opt)
{
	return opt[OPT_KILL] == KILL_ATEXIT && opt[OPT_PARENT_EXIT] == EXIT_SIGKILL;
}

static size_t daemon_arena_bytes(const struct ptb_wctx *ctx)
{
	return (size_t)ctx->tasks * sizeof(struct daemon_slot);
}

static int daemon_setup(struct ptb_wctx *ctx, struct ptb_err *err)
{
	runner_pid = getpid();	/* before any worker exists: they inherit it */
	ctx->state = ptb_arena_alloc(ctx->arena, daemon_arena_bytes(ctx));
	return ctx->state ? 0 : ptb_errf(err, "daemon: shared arena too small");
}

/* ---- the handshake: futexes on shared words -------------------------- */

static void phase_set(struct daemon_slot *s, uint32_t phase)
{
	atomic_store(&s->phase, phase);
	syscall(SYS_futex, &s->phase, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
}

/* Wait until phase >= want; false after HANDSHAKE_MS. */
static bool phase_wait(struct daemon_slot *s, uint32_t want)
{
	int64_t deadline_ns = ptb_now_ns() + (int64_t)HANDSHAKE_MS * 1000000;
	uint32_t now;
	while ((now = atomic_load(&s->phase)) < want) {
		if (ptb_now_ns() > deadline_ns)
			return false;
		struct timespec slice = { 0, 100000000 };
		syscall(SYS_futex, &s->phase, FUTEX_WAIT, now, &slice, NULL, 0);
	}
	return true;
}

/* ---- the intermediate parent and the daemon --------------------------- */

/* D's endless wait: until the runner is gone (a pidfd on it), which
 * within a repetition is after verify has watched D.  So a daemon whose
 * driver was SIGKILLed (nobody left to kill the runner's group) does not
 * live for ever.  Without pidfd_open (before Linux 5.3): pause(). */
static _Noreturn void wait_for_runner_end(int lifeline)
{
	struct pollfd p = { .fd = lifeline, .events = POLLIN };
	for (;;) {
		if (lifeline < 0)
			pause();
		else if (poll(&p, 1, -1) > 0)
			ptb_child_exit(0);
	}
}

static _Noreturn void daemon_main(struct daemon_slot *s, pid_t parent, uint64_t kill_how)
{
	if (kill_how == KILL_PDEATHSIG && prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		ptb_child_exit(3);
	if (getppid() != parent)
		ptb_child_exit(4);	/* the parent is already gone */
	int lifeline = (int)syscall(SYS_pidfd_open, runner_pid, 0);
	if (lifeline < 0 && errno == ESRCH)
		ptb_child_exit(4);	/* the runner is already gone */
	atomic_store(&s->daemon_pid, (int32_t)getpid());
	phase_set(s, PHASE_READY);
	wait_for_runner_end(lifeline);	/* a daemon's endless loop */
}

/* P: dies with the task's process (PR_SET_PDEATHSIG; the task's thread
 * waits for P, so it outlives P), else ends after HANDSHAKE_MS without a
 * "go". */
static _Noreturn void parent_main(struct daemon_slot *s, const uint64_t *opt, pid_t task)
{
	if (!ptb_child_die_with(task))
		ptb_child_exit(4);	/* the task's process is already gone */
	pid_t self = getpid();
	pid_t d = fork();
	if (d < 0)
		ptb_child_exit(2);
	if (d == 0)
		daemon_main(s, self, opt[OPT_KILL]);
	if (!phase_wait(s, PHASE_GO))
		ptb_child_exit(5);
	atomic_store(&s->parent_exit_ns, ptb_now_ns());
	if (opt[OPT_PARENT_EXIT] == EXIT_SIGKILL)
		kill(self, SIGKILL);	/* no exit handler runs */
	if (opt[OPT_KILL] == KILL_ATEXIT) {	/* the exit handler: terminate, join */
		kill(d, SIGTERM);
		while (waitpid(d, NULL, 0) < 0 && errno == EINTR)
			;
	}
	ptb_child_exit(0);
}

/* ---- the task: watch the daemon after its parent is gone ------------- */

/* State and start time of pid from /proc/PID/stat; -1 when none. */
static int proc_state(pid_t pid, char *state, unsigned long long *start)
{
	struct ptb_proc_stat ps;
	if (ptb_proc_stat_read(pid, &ps) < 0)
		return -1;
	*state = ps.state;
	*start = ps.start_ticks;
	return 0;
}

/* Has D ended?  Gone from /proc, a zombie, or its pid now someone else's. */
static bool daemon_ended(pid_t pid, unsigned long long start)
{
	char state;
	unsigned long long now_start;
	if (proc_state(pid, &state, &now_start) < 0 || now_start != start)
		return true;
	return state == 'Z' || state == 'X';
}

static bool pidfd_ended(int pidfd, int timeout_ms)
{
	struct pollfd p = { .fd = pidfd, .events = POLLIN };
	int rc;
	while ((rc = poll(&p, 1, timeout_ms)) < 0 && errno == EINTR)
		;
	return rc > 0;
}

/* A kill (SIGKILL or SIGTERM) pending for pid, from /proc/PID/status. */
static bool kill_pending(pid_t pid)
{
	char path[64], buf[2048];
	unsigned long long mask = (1ULL << (SIGKILL - 1)) | (1ULL << (SIGTERM - 1)), pnd;
	snprintf(path, sizeof path, "/proc/%ld/status", (long)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	static const char *const keys[] = { "\nSigPnd:", "\nShdPnd:" };
	for (int k = 0; k < 2; k++) {
		const char *p = strstr(buf, keys[k]);
		if (p && sscanf(p + strlen(keys[k]), " %llx", &pnd) == 1 && (pnd & mask))
			return true;
	}
	return false;
}

static void kill_survivor(struct daemon_slot *s, int pidfd)
{
	s->alive = 1;
	if (syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0) < 0 ||
	    !pidfd_ended(pidfd, CLEANUP_MS))
		s->failed++;
}

/* After P is gone.  D ended already, or has its kill pending: wait up to
 * the bound and time it.  Alive with nothing pending (nothing is on its
 * way to end it): leave it to verify, which waits for all such daemons
 * at once, so a survivor does not cost every task a whole bound. */
static void settle_in_task(struct daemon_slot *s, int pidfd, pid_t d, uint64_t bound_ms)
{
	bool ended = pidfd_ended(pidfd, 0);
	if (!ended && !kill_pending(d)) {
		s->deferred = 1;
		return;
	}
	if (!ended)
		ended = pidfd_ended(pidfd, (int)bound_ms);
	int64_t now_ns = ptb_now_ns();
	if (ended && daemon_ended(d, s->daemon_start)) {
		s->gone_ns = now_ns - atomic_load(&s->parent_exit_ns);
		if (s->gone_ns < 0)
			s->gone_ns = 0;	/* ended before its parent (atexit) */
		return;
	}
	s->failed += ended;	/* the pidfd and /proc disagree */
	kill_survivor(s, pidfd);
}

static bool parent_ended_as_asked(int status, const uint64_t *opt)
{
	if (opt[OPT_PARENT_EXIT] == EXIT_SIGKILL)
		return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static int daemon_task(void *arg, unsigned task, unsigned ntasks)
{
	(void)ntasks;
	struct ptb_wctx *ctx = arg;
	struct daemon_slot *s = &((struct daemon_slot *)ctx->state)[task];
	int pidfd = -1, status = 0;
	unsigned long long start = 0;
	char state;
	s->gone_ns = -1;
	pid_t task_pid = getpid(), p = fork();
	if (p < 0)
		return 1;
	if (p == 0)
		parent_main(s, ctx->opt, task_pid);
	pid_t d = phase_wait(s, PHASE_READY) ? (pid_t)atomic_load(&s->daemon_pid) : 0;
	if (d > 0 && proc_state(d, &state, &start) == 0)
		pidfd = (int)syscall(SYS_pidfd_open, d, 0);
	s->daemon_start = start;
	phase_set(s, PHASE_GO);	/* P exits now (also when something failed) */
	while (waitpid(p, &status, 0) < 0 && errno == EINTR)
		;
	if (pidfd < 0 || !parent_ended_as_asked(status, ctx->opt)) {
		s->failed++;
		if (pidfd >= 0)
			close(pidfd);
		return 0;	/* verify reports it; the driver kills the group */
	}
	settle_in_task(s, pidfd, d, ctx->opt[OPT_BOUND_MS]);
	close(pidfd);
	return 0;
}

/* ---- verify: the deferred daemons, all at once ------------------------------- */

/* A pidfd on the daemon of slot s, or -1 when it has ended (gone from
 * /proc, a zombie, or its pid now another process's). */
static int reopen(const struct daemon_slot *s)
{
	pid_t d = (pid_t)atomic_load(&s->daemon_pid);
	if (daemon_ended(d, s->daemon_start))
		return -1;
	int fd = (int)syscall(SYS_pidfd_open, d, 0);
	if (fd >= 0 && daemon_ended(d, s->daemon_start)) {	/* the pid moved on meanwhile */
		close(fd);
		return -1;
	}
	return fd;
}

/* Poll until every fd has ended or the deadline passed; ended[i] set. */
static void wait_all(struct pollfd *pf, const int *fd, bool *ended, unsigned n, int64_t deadline_ns)
{
	unsigned left = n;
	for (unsigned i = 0; i < n; i++)
		pf[i] = (struct pollfd){ .fd = fd[i], .events = POLLIN };
	while (left > 0) {
		int64_t wait_ns = deadline_ns - ptb_now_ns();
		int rc = poll(pf, n, wait_ns > 0 ? (int)(wait_ns / 1000000) + 1 : 0);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc <= 0)
			return;
		for (unsigned i = 0; i < n; i++) {
			if (pf[i].fd >= 0 && (pf[i].revents & POLLIN)) {
				ended[i] = true;
				pf[i].fd = -1;	/* poll ignores it from now on */
				left--;
			}
		}
	}
}

/* The deferred daemons of slots [first, first + n): watched until the
 * last one's bound has passed; those still running are survivors. */
static void settle_batch(struct daemon_slot *slot, unsigned first, unsigned n, uint64_t bound_ms)
{
	struct pollfd pf[VERIFY_BATCH];
	int fd[VERIFY_BATCH];
	unsigned idx[VERIFY_BATCH], k = 0;
	bool ended[VERIFY_BATCH] = { false };
	int64_t deadline_ns = 0;
	for (unsigned t = first; t < first + n; t++) {
		int64_t due_ns = atomic_load(&slot[t].parent_exit_ns) + (int64_t)bound_ms * 1000000;
		if (!slot[t].deferred || (fd[k] = reopen(&slot[t])) < 0)
			continue;	/* timed in its task, or gone (when, unknown) */
		deadline_ns = due_ns > deadline_ns ? due_ns : deadline_ns;
		idx[k++] = t;
	}
	wait_all(pf, fd, ended, k, deadline_ns);
	for (unsigned i = 0; i < k; i++) {
		struct daemon_slot *s = &slot[idx[i]];
		pid_t d = (pid_t)atomic_load(&s->daemon_pid);
		if (!ended[i] || !daemon_ended(d, s->daemon_start))
			kill_survivor(s, fd[i]);
		close(fd[i]);
	}
}

static int daemon_verify(struct ptb_wctx *ctx, struct ptb_outcome *out, struct ptb_err *err)
{
	struct daemon_slot *slot = ctx->state;
	double *gone = malloc((ctx->tasks ? ctx->tasks : 1) * sizeof *gone), max = -1;
	unsigned alive = 0, failed = 0, ngone = 0, deferred = 0;
	if (!gone)
		return ptb_errf(err, "daemon: out of memory for %u tasks", ctx->tasks);
	for (unsigned first = 0; first < ctx->tasks; first += VERIFY_BATCH)
		settle_batch(slot, first, ctx->tasks - first < VERIFY_BATCH ? ctx->tasks - first
									     : VERIFY_BATCH,
			     ctx->opt[OPT_BOUND_MS]);
	for (unsigned t = 0; t < ctx->tasks; t++) {
		deferred += slot[t].deferred;
		alive += slot[t].alive;
		failed += slot[t].failed;
		if (slot[t].gone_ns >= 0) {
			gone[ngone] = (double)slot[t].gone_ns;
			max = gone[ngone] > max ? gone[ngone] : max;
			ngone++;
		}
	}
	unsigned expected = survivors_expected(ctx->opt) ? ctx->tasks : 0;
	out->ops = ctx->tasks;
	out->result = alive;
	out->ok = failed == 0 && alive == expected;
	int used = snprintf(out->notes, sizeof out->notes,
			    "alive=%u;expected_alive=%u;failed=%u;checked_late=%u", alive, expected,
			    failed, deferred);
	if (ngone && used > 0 && (size_t)used < sizeof out->notes)	/* none gone: no figure */
		snprintf(out->notes + used, sizeof out->notes - (size_t)used,
			 ";gone_ns_median=%.0f;gone_ns_max=%.0f", ptb_median(gone, ngone), max);
	free(gone);
	return 0;
}

static const struct ptb_opt daemon_opts[] = {
	[OPT_BOUND_MS] = { "bound-ms", "2000", "how long a daemon may outlive its parent (ms)",
			   PTB_OPT_NUM, PTB_UNIT_COUNT, 100, 600000, NULL },
	[OPT_KILL] = { "kill", "pdeathsig", "what ends the daemon: the kernel (PR_SET_PDEATHSIG) or the parent's exit handler",
		       PTB_OPT_CHOICE, PTB_UNIT_COUNT, 0, 0, "pdeathsig|atexit" },
	[OPT_PARENT_EXIT] = { "parent-exit", "exit", "how the parent ends: _exit, or killed by SIGKILL",
			      PTB_OPT_CHOICE, PTB_UNIT_COUNT, 0, 0, "exit|sigkill" },
};

const struct ptb_workload ptb_w_daemon = {
	.name = "daemon",
	.desc = "a daemon worker must end with its parent (C11); result = daemons still running",
	.ops_unit = "daemon",
	.headline = "result",
	.better = PTB_LOWER_IS_BETTER,
	.claims = "C11",
	.py = PTB_PY_IMPL,
	.opts = daemon_opts,
	.nopts = 3,
	.needs = PTB_NEEDS_CHILDREN,
	.arena_bytes = daemon_arena_bytes,
	.setup = daemon_setup,
	.task = daemon_task,
	.verify = daemon_verify,
};
