/* w_create.c - `create` (claim C1): what creating and destroying an empty
 * worker costs, per model.
 *
 * Each task performs --count sequential create+join cycles with the
 * model's own primitive, ctx->model->create_empty:
 *   thread  pthread_create + pthread_join
 *   fork    fork + _exit + waitpid            (--exec yes: fork + execve)
 *   vfork   vfork + _exit + waitpid           (--exec yes: vfork + execve)
 *   spawn   posix_spawn of ptbench-worker + waitpid (always an exec)
 * The exec'd program is build/ptbench-worker, which exits at once; it is
 * found before the clock (ptb_exec_find_worker, model_spawn.c).  --exec
 * auto takes each model's own way (an exec only for spawn); --exec no or
 * yes is refused where the model cannot do it (a thread cannot exec,
 * spawn always does).
 *
 * Workers: W tasks run at once, each one a creator, so W > 1 measures
 * creation under contention and ns_per_op becomes wall time per creation
 * (inverse throughput); W = 1 gives the latency.  The creators themselves
 * are the model's workers: W threads (thread), W forked children (fork),
 * or, for vfork and spawn, which cannot run a task, the runner's own
 * thread plus W-1 pthreads (ptb_run_in_runner).  Starting them is inside
 * the timed region, one per --count creations.
 *
 * --parent-mb M maps M MiB of private memory in the runner and writes
 * every page before the clock, in 4 KiB pages (MADV_NOHUGEPAGE, so the
 * figure does not depend on the machine's transparent-huge-page setting):
 * fork must copy the page tables of that memory (into each fork creator,
 * then into every empty child), vfork, posix_spawn and threads do not.
 *
 * ops = creations (tasks x count); result = creations that succeeded (the
 * empty worker exited 0, or the thread handed back its token); ok when
 * every one did.  A failed creation is reported by verify with its error.
 *
 * The parent's weight is a parameter of what fork costs: a fork copies the
 * parent's mappings (VMAs) and the page tables of its private written
 * pages, and the child's exit tears them down.  The runner is heavier than
 * a bare program (the driver's inherited stack and heap, libm, the arena):
 * the notes record it, measured in setup before the clock, as
 * parent_vmas=N;parent_anon_kb=K (from /proc/self/maps and smaps_rollup),
 * so that every figure carries the parent size it was measured with
 * (doc/methodology.md; make anchors sets it against create_ref -V). */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "model.h"
#include "workload.h"

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23	/* Linux 5.14; glibc 2.36 headers lack it */
#endif

enum { OPT_COUNT, OPT_PARENT_MB, OPT_EXEC };
enum { EXEC_AUTO, EXEC_NO, EXEC_YES };

struct create_state {
	struct ptb_exec ex;	/* the worker binary, when the workers exec */
	bool use_exec;
	_Atomic uint64_t created;
	atomic_int failed;	/* the first failure writes error */
	char error[288];
	unsigned char *parent_mem;	/* private to the runner: not in the arena */
	size_t parent_bytes;
	long parent_vmas, parent_anon_kb;	/* the runner's weight; -1: unknown */
};

/* The runner's mappings and private anonymous memory, after setup. */
static void weigh_parent(struct create_state *st)
{
	char line[512];
	st->parent_vmas = st->parent_anon_kb = -1;
	FILE *f = fopen("/proc/self/maps", "re");
	if (f) {
		long n = 0;
		while (fgets(line, sizeof line, f))
			n += strchr(line, '\n') != NULL;
		fclose(f);
		st->parent_vmas = n;
	}
	f = fopen("/proc/self/smaps_rollup", "re");
	if (f) {
		while (fgets(line, sizeof line, f))
			if (strncmp(line, "Anonymous:", 10) == 0)
				st->parent_anon_kb = strtol(line + 10, NULL, 10);
		fclose(f);
	}
}

static size_t create_arena_bytes(const struct ptb_wctx *ctx)
{
	(void)ctx;
	return sizeof(struct create_state);
}

/* Does the model end its empty workers with an exec, for this --exec? */
static bool wants_exec(uint64_t exec, unsigned kinds)
{
	if (exec == EXEC_AUTO)
		return !(kinds & PTB_CREATE_EXIT);
	return exec == EXEC_YES;
}

static const char *create_refuse(const struct ptb_fit *fit)
{
	unsigned kinds = fit->model->create_kinds;
	if (fit->opt[OPT_EXEC] == EXEC_YES && !(kinds & PTB_CREATE_EXEC))
		return "--exec yes needs workers that can exec a program (fork, vfork, spawn)";
	if (fit->opt[OPT_EXEC] == EXEC_NO && !(kinds & PTB_CREATE_EXIT))
		return "--exec no: this model always execs a program (use --exec auto or yes)";
	return NULL;
}

/* M MiB of private memory, every page written: what fork has to copy. */
static int touch_parent(struct create_state *st, uint64_t mib, struct ptb_err *err)
{
	if (mib == 0)
		return 0;
	st->parent_bytes = (size_t)mib << 20;
	void *p = mmap(NULL, st->parent_bytes, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return ptb_errno(err, "create: mmap(--parent-mb %llu)", (unsigned long long)mib);
	st->parent_mem = p;
	if (madvise(p, st->parent_bytes, MADV_NOHUGEPAGE) < 0)
		return ptb_errno(err, "create: madvise(MADV_NOHUGEPAGE)");
	/* The kernel faults the pages in at once (Linux 5.14+; EINVAL before):
	 * 1 GiB in 1.5 s instead of 4 s of one fault per page in a VM.  The
	 * same 4 KiB pages, written; the loop below writes each one anyway. */
	if (madvise(p, st->parent_bytes, MADV_POPULATE_WRITE) < 0 && errno != EINVAL)
		return ptb_errno(err, "create: madvise(MADV_POPULATE_WRITE, --parent-mb %llu)",
				 (unsigned long long)mib);
	long page = sysconf(_SC_PAGESIZE);
	for (size_t off = 0; off < st->parent_bytes; off += (size_t)page)
		st->parent_mem[off] = 1;
	return 0;
}

static int create_setup(struct ptb_wctx *ctx, struct ptb_err *err)
{
	struct create_state *st = ptb_arena_alloc(ctx->arena, sizeof *st);
	if (!st)
		return ptb_errf(err, "create: shared arena too small");
	ctx->state = st;
	if (!ctx->model || !ctx->model->create_empty)
		return ptb_errf(err, "create: model %s cannot create empty workers",
				ctx->model ? ctx->model->name : "(none)");
	const char *why = create_refuse(&(struct ptb_fit){ .model = ctx->model, .opt = ctx->opt });
	if (why)
		return ptb_errf(err, "create: %s", why);
	st->use_exec = wants_exec(ctx->opt[OPT_EXEC], ctx->model->create_kinds);
	if (st->use_exec && ptb_exec_find_worker(&st->ex, err))
		return -1;
	if (touch_parent(st, ctx->opt[OPT_PARENT_MB], err))
		return -1;
	weigh_parent(st);
	return 0;
}

static void record_failure(struct create_state *st, unsigned task, uint64_t i,
			   const struct ptb_err *e)
{
	int none = 0;
	if (atomic_compare_exchange_strong(&st->failed, &none, 1))
		snprintf(st->error, sizeof st->error, "create: task %u, creation %llu: %.200s", task,
			 (unsigned long long)i + 1, e->msg);
}

static int create_task(void *arg, unsigned task, unsigned ntasks)
{
	(void)ntasks;
	struct ptb_wctx *ctx = arg;
	struct create_state *st = ctx->state;
	const struct ptb_exec *ex = st->use_exec ? &st->ex : NULL;
	int (*create_empty)(const struct ptb_exec *, struct ptb_err *) = ctx->model->create_empty;
	uint64_t count = ctx->opt[OPT_COUNT], done = 0;
	for (; done < count; done++) {
		struct ptb_err e;
		if (create_empty(ex, &e)) {
			record_failure(st, task, done, &e);
			break;
		}
	}
	atomic_fetch_add(&st->created, done);
	return 0;	/* a failure is reported by verify, with its message */
}

static int create_verify(struct ptb_wctx *ctx, struct ptb_outcome *out, struct ptb_err *err)
{
	struct create_state *st = ctx->state;
	out->ops = (uint64_t)ctx->tasks * ctx->opt[OPT_COUNT];
	out->result = (int64_t)atomic_load(&st->created);
	out->ok = (uint64_t)out->result == out->ops;
	snprintf(out->notes, sizeof out->notes, "parent_vmas=%ld;parent_anon_kb=%ld", st->parent_vmas,
		 st->parent_anon_kb);
	if (atomic_load(&st->failed))
		return ptb_errf(err, "%s", st->error);
	return 0;
}

static void create_teardown(struct ptb_wctx *ctx)
{
	struct create_state *st = ctx->state;
	if (st && st->parent_mem)
		munmap(st->parent_mem, st->parent_bytes);
}

/* The runner's --parent-mb (a fork copies page tables, not the pages). */
static void create_needs(const struct ptb_fit *fit, uint64_t *mem_bytes, uint64_t *disk_bytes)
{
	*mem_bytes = fit->opt[OPT_PARENT_MB] << 20;
	*disk_bytes = 0;
}

/* As MPI ranks (bench/mpi/rank.c, bench/py/ptpy_mpi.py) the figure is the
 * start-up of one empty job per repetition (mpirun's time divided by the
 * ranks): --count does not apply, and no parent memory or exec is chosen. */
static const char *create_mpi_refuse(const struct ptb_workload *wl, const uint64_t *opt)
{
	(void)wl;
	if (opt[OPT_PARENT_MB] != 0 || opt[OPT_EXEC] != EXEC_AUTO)
		return "mpi times one empty job per repetition: --parent-mb 0 and --exec auto";
	return NULL;
}

static const struct ptb_opt create_opts[] = {
	[OPT_COUNT] = { "count", "200", "empty workers each task creates and joins, one at a time",
			PTB_OPT_NUM, PTB_UNIT_COUNT, 1, 100000000, NULL },
	[OPT_PARENT_MB] = { "parent-mb", "0", "MiB the runner writes first (fork copies its page tables)",
			    PTB_OPT_NUM, PTB_UNIT_COUNT, 0, 1 << 20, NULL },
	[OPT_EXEC] = { "exec", "auto", "empty worker execs ptbench-worker (auto: spawn only)",
		       PTB_OPT_CHOICE, PTB_UNIT_COUNT, 0, 0, "auto|no|yes" },
};

const struct ptb_workload ptb_w_create = {
	.name = "create",
	.desc = "create+join empty workers (C1): each task --count times, with the model's primitive",
	.ops_unit = "creation",
	.better = PTB_LOWER_IS_BETTER,
	.claims = "C1",
	.py = PTB_PY_IMPL,
	.mpi = PTB_MPI_IMPL | PTB_PYMPI_IMPL,
	.mpi_refuse = create_mpi_refuse,
	.opts = create_opts,
	.nopts = 3,
	.needs = PTB_NEEDS_CREATE,
	.refuse = create_refuse,
	.needs_bytes = create_needs,
	.arena_bytes = create_arena_bytes,
	.setup = create_setup,
	.task = create_task,
	.verify = create_verify,
	.teardown = create_teardown,
	.no_perf_counter = true,
};
