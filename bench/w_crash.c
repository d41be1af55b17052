/* w_crash.c - `crash`: one worker of N faults on purpose (claim C6, seed
 * 000: "one thread dying kills the whole process; processes do not affect
 * each other").
 *
 * Every task counts --steps increments and then leaves a completion mark
 * (its count) in the shared arena.  The last task (tasks - 1) is the
 * victim: half way through its count it writes to a PROT_NONE page
 * (SIGSEGV, a real fault) or calls abort() (--signal abrt).  The victim is
 * the last task so that a pool's queue, which is first in first out, has
 * started every other task before the crash; no task is dropped because
 * it was still queued.  The result is the number of tasks whose marks
 * survived; ops are tasks.
 *
 * How each model ends, and how the row records it:
 *   fork, procpool  the victim's process dies alone.  The model reports a
 *                   dead worker as a failed run; the workload sets
 *                   expects_death, so the runner calls verify anyway,
 *                   which counts the marks (N-1) and checks that the model
 *                   reported a death by the requested signal.
 *   thread,         the fault takes the runner, every thread with it, and
 *   threadpool      all the marks (they lived in the runner's memory).
 *                   The driver sees "runner killed by SIGSEGV" and calls
 *                   runner_killed, which records result 0 with ok=1 (the
 *                   expected outcome) and no timing (the region never
 *                   ended).
 * --signal exception is Python's (an uncaught exception, bench/py/wl_crash.py),
 * refused here.  The signal and the death as reported go to the notes column.  Setup
 * turns core dumps off (RLIMIT_CORE 0, not dumpable), so no core file is
 * left behind. */
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>
#include "cpuloop.h"
#include "model.h"
#include "workload.h"

enum { OPT_STEPS, OPT_SIGNAL };
enum { CRASH_SEGV, CRASH_ABRT, CRASH_EXCEPTION };	/* exception: Python's */

struct crash_slot {
	_Alignas(64) _Atomic uint32_t started;
	_Atomic uint32_t done;		/* the completion mark */
	_Atomic uint32_t crossed;	/* the victim lived past its fault */
	uint64_t count;
};

struct crash_state {
	void *guard;			/* one PROT_NONE page: writing to it faults */
	size_t guard_bytes;
	struct crash_slot slot[];	/* one per task */
};

static int crash_signo(uint64_t which)
{
	return which == CRASH_ABRT ? SIGABRT : SIGSEGV;
}

/* Workers of these models share the runner's address space. */
static bool same_process(const struct ptb_model *m)
{
	return m && m->shared_space;
}

static const char *crash_refuse(const struct ptb_fit *fit)
{
	if (fit->opt[OPT_SIGNAL] == CRASH_EXCEPTION && !fit->model->exec_runner)
		return "--signal exception is Python's (an uncaught exception): use a Python model";
	return NULL;
}

static size_t crash_arena_bytes(const struct ptb_wctx *ctx)
{
	return sizeof(struct crash_state) + (size_t)ctx->tasks * sizeof(struct crash_slot);
}

/* No core file may be left: the limit for a file pattern, not dumpable
 * for a pipe pattern (which ignores the limit). */
static int no_core_dumps(struct ptb_err *err)
{
	struct rlimit rl = { 0, 0 };
	if (setrlimit(RLIMIT_CORE, &rl) < 0)
		return ptb_errno(err, "crash: setrlimit(RLIMIT_CORE, 0)");
	if (prctl(PR_SET_DUMPABLE, 0) < 0)
		return ptb_errno(err, "crash: prctl(PR_SET_DUMPABLE, 0)");
	return 0;
}

static int crash_setup(struct ptb_wctx *ctx, struct ptb_err *err)
{
	struct crash_state *st = ptb_arena_alloc(ctx->arena, crash_arena_bytes(ctx));
	if (!st)
		return ptb_errf(err, "crash: shared arena too small");
	if (no_core_dumps(err))
		return -1;
	long page = sysconf(_SC_PAGESIZE);
	st->guard_bytes = page > 0 ? (size_t)page : 4096;
	st->guard = mmap(NULL, st->guard_bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (st->guard == MAP_FAILED) {
		st->guard = NULL;
		return ptb_errno(err, "crash: mmap(PROT_NONE guard page)");
	}
	ctx->state = st;
	return 0;
}

/* Die of the requested signal, as a bug would: default disposition,
 * unblocked, then the fault itself.  Returns only if the process
 * survived it. */
static void fault(const struct crash_state *st, uint64_t which)
{
	int signo = crash_signo(which);
	sigset_t set;
	signal(signo, SIG_DFL);	/* SIG_ERR cannot happen for these two */
	sigemptyset(&set);
	sigaddset(&set, signo);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	if (which == CRASH_ABRT)
		abort();
	*(volatile char *)st->guard = 1;
}

static int crash_task(void *arg, unsigned task, unsigned ntasks)
{
	struct ptb_wctx *ctx = arg;
	struct crash_state *st = ctx->state;
	struct crash_slot *slot = &st->slot[task];
	uint64_t steps = ctx->opt[OPT_STEPS];
	atomic_store(&slot->started, 1);
	uint64_t count = ptb_count_steps(steps / 2);
	if (task == ntasks - 1) {
		fault(st, ctx->opt[OPT_SIGNAL]);
		atomic_store(&slot->crossed, 1);
		return 1;
	}
	count += ptb_count_steps(steps - steps / 2);
	slot->count = count;
	atomic_store(&slot->done, 1);
	return 0;
}

static int crash_verify(struct ptb_wctx *ctx, struct ptb_outcome *out, struct ptb_err *err)
{
	(void)err;
	const struct crash_state *st = ctx->state;
	unsigned victim = ctx->tasks - 1, survivors = 0;
	char want[32];
	for (unsigned t = 0; t < victim; t++)
		survivors += atomic_load(&st->slot[t].done) && st->slot[t].count == ctx->opt[OPT_STEPS];
	const struct crash_slot *v = &st->slot[victim];
	bool died = atomic_load(&v->started) && !atomic_load(&v->done) && !atomic_load(&v->crossed);
	snprintf(want, sizeof want, "killed by SIG%s", sigabbrev_np(crash_signo(ctx->opt[OPT_SIGNAL])));
	bool reported = ctx->run_error && strstr(ctx->run_error, want);
	out->ops = ctx->tasks;
	out->result = survivors;
	out->ok = died && reported && survivors == victim;
	snprintf(out->notes, sizeof out->notes, "signal=%s;survivors=%u;lost=%u;death=%s",
		 sigabbrev_np(crash_signo(ctx->opt[OPT_SIGNAL])), survivors, ctx->tasks - survivors,
		 ctx->run_error ? ctx->run_error
				: (atomic_load(&v->crossed) ? "none: the victim survived its fault"
							    : "none reported by the model"));
	return 0;
}

/* A thread's fault took the runner: that is the claim, when the workers
 * were threads of the runner and the signal is the one raised. */
static bool crash_runner_killed(const struct ptb_fit *fit, int signo, struct ptb_outcome *out)
{
	int want = crash_signo(fit->opt[OPT_SIGNAL]);
	out->ops = fit->tasks;
	out->result = 0;
	out->ok = signo == want && same_process(fit->model);
	snprintf(out->notes, sizeof out->notes,
		 "signal=%s;survivors=0;lost=%u;death=runner killed by SIG%s (every worker with it)",
		 sigabbrev_np(want), fit->tasks, sigabbrev_np(signo) ? sigabbrev_np(signo) : "?");
	return true;
}

static void crash_teardown(struct ptb_wctx *ctx)
{
	struct crash_state *st = ctx->state;
	if (st && st->guard)
		munmap(st->guard, st->guard_bytes);
}

static const struct ptb_opt crash_opts[] = {
	[OPT_STEPS] = { "steps", "2e7", "increments each task counts (the victim faults at half)",
			PTB_OPT_NUM, PTB_UNIT_COUNT, 2, UINT64_C(1) << 50, NULL },
	[OPT_SIGNAL] = { "signal", "segv", "how the victim dies: a write to a PROT_NONE page, abort(); "
			 "Python also an uncaught exception", PTB_OPT_CHOICE, PTB_UNIT_COUNT, 0, 0,
			 "segv|abrt|exception" },
};

const struct ptb_workload ptb_w_crash = {
	.name = "crash",
	.desc = "one worker of N faults half way (C6); result = tasks whose results survived",
	.ops_unit = "task",
	.headline = "result",
	.better = PTB_HIGHER_IS_BETTER,
	.claims = "C6",
	.py = PTB_PY_IMPL,
	.opts = crash_opts,
	.nopts = 2,
	.refuse = crash_refuse,
	.arena_bytes = crash_arena_bytes,
	.setup = crash_setup,
	.task = crash_task,
	.verify = crash_verify,
	.teardown = crash_teardown,
	.expects_death = true,
	.runner_killed = crash_runner_killed,
};
