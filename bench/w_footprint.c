/* w_footprint.c - `footprint` (claim C3): the memory N idle workers cost.
 *
 * Every task notes its pid, touches --touch-mb MiB (below), and parks at
 * a process-shared pthread barrier in the arena.  When all N are parked,
 * task 0 sums Rss and Pss from /proc/PID/smaps_rollup over the runner and
 * every distinct worker process (threads are the runner's own pid, so
 * their stacks and memory are in the runner's figures), then a second
 * barrier lets them all go.  The sums are written to the row:
 *   pss_kb = total PSS of the runner and its workers while parked, kB;
 *   result = total RSS of the same, kB (RSS counts a page shared by k
 *            processes k times, PSS counts 1/k in each).
 * The marginal cost of a worker is the slope between two worker counts
 * (e.g. -n 1,16: (total(16) - total(1)) / 15), which cancels the runner's
 * own memory; that is how `make table` reads it.  ops = workers (ns_per_op
 * is the time to start, touch and park one, plus the reading of /proc);
 * ok when all N parked and every smaps_rollup was read.
 *
 * --touch says which memory a worker writes or reads before parking:
 *   fresh  new private memory of its own (mmap; every page written): the
 *          same cost per worker in every model;
 *   cow    the runner's memory (written by the runner before the workers
 *          start): a forked worker gets a private copy of every page it
 *          writes (copy-on-write, +M per worker), threads write the one
 *          shared copy (+0);
 *   read   the runner's memory, read only: a forked worker shares the
 *          pages (its RSS counts all M, its PSS a share), threads +0.
 * All of it in 4 KiB pages (MADV_NOHUGEPAGE), whatever the machine's
 * transparent-huge-page setting.
 *
 * Models: every one that runs its tasks at once (thread, fork, and the
 * pools with --submit async and tasks == workers). */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "workload.h"

enum { OPT_TOUCH_MB, OPT_TOUCH };
enum { TOUCH_FRESH, TOUCH_COW, TOUCH_READ };

struct footprint_state {
	pthread_barrier_t parked, release;
	bool barriers;		/* initialised: teardown destroys them */
	pid_t runner;
	atomic_uint arrived;
	int64_t rss_kb, pss_kb;	/* totals while parked, by task 0 */
	atomic_int failed;
	char error[200];
	unsigned char *inherited;	/* cow/read: the runner's private memory */
	size_t touch_bytes;
	size_t page_bytes;
	pid_t pid[];		/* per task */
};

static size_t footprint_arena_bytes(const struct ptb_wctx *ctx)
{
	return sizeof(struct footprint_state) + (size_t)ctx->tasks * sizeof(pid_t);
}

static int private_pages(size_t bytes, unsigned char **out)
{
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -1;
	if (madvise(p, bytes, MADV_NOHUGEPAGE) < 0) {
		munmap(p, bytes);
		return -1;
	}
	*out = p;
	return 0;
}

static int init_barriers(struct footprint_state *st, unsigned parties, struct ptb_err *err)
{
	pthread_barrierattr_t ba;
	int rc;
	if ((rc = pthread_barrierattr_init(&ba)) ||
	    (rc = pthread_barrierattr_setpshared(&ba, PTHREAD_PROCESS_SHARED)) ||
	    (rc = pthread_barrier_init(&st->parked, &ba, parties)))
		return errno = rc, ptb_errno(err, "footprint: pthread_barrier_init");
	if ((rc = pthread_barrier_init(&st->release, &ba, parties))) {
		pthread_barrier_destroy(&st->parked);
		return errno = rc, ptb_errno(err, "footprint: pthread_barrier_init");
	}
	pthread_barrierattr_destroy(&ba);
	st->barriers = true;
	return 0;
}

static int footprint_setup(struct ptb_wctx *ctx, struct ptb_err *err)
{
	struct footprint_state *st = ptb_arena_alloc(ctx->arena, footprint_arena_bytes(ctx));
	if (!st)
		return ptb_errf(err, "footprint: shared arena too small");
	ctx->state = st;
	st->runner = getpid();
	st->page_bytes = (size_t)sysconf(_SC_PAGESIZE);
	st->touch_bytes = (size_t)ctx->opt[OPT_TOUCH_MB] << 20;
	if (st->touch_bytes && ctx->opt[OPT_TOUCH] != TOUCH_FRESH) {
		if (private_pages(st->touch_bytes, &st->inherited))
			return ptb_errno(err, "footprint: mmap/madvise(%zu bytes)", st->touch_bytes);
		for (size_t off = 0; off < st->touch_bytes; off += st->page_bytes)
			st->inherited[off] = 1;
	}
	return init_barriers(st, ctx->tasks, err);
}

static void fail(struct footprint_state *st, const char *what)
{
	int none = 0;
	if (atomic_compare_exchange_strong(&st->failed, &none, 1))
		snprintf(st->error, sizeof st->error, "footprint: %s: %s", what, strerror(errno));
}

/* ---- reading /proc (no malloc, no stdio: the reader is a parked worker) -- */

static int64_t field_kb(const char *buf, const char *name)
{
	size_t len = strlen(name);
	for (const char *line = buf; line && *line; line = strchr(line, '\n')) {
		if (*line == '\n')
			line++;
		if (strncmp(line, name, len) == 0)
			return strtoll(line + len, NULL, 10);
	}
	return -1;
}

static int add_smaps(pid_t pid, int64_t *rss_kb, int64_t *pss_kb)
{
	char path[64], buf[4096];
	size_t len = 0;
	ssize_t n;
	snprintf(path, sizeof path, "/proc/%ld/smaps_rollup", (long)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while (len < sizeof buf - 1 && (n = read(fd, buf + len, sizeof buf - 1 - len)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			close(fd);
			return -1;
		}
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	int64_t rss = field_kb(buf, "Rss:"), pss = field_kb(buf, "Pss:");
	if (rss < 0 || pss < 0)
		return errno = EPROTO, -1;
	*rss_kb += rss;
	*pss_kb += pss;
	return 0;
}

/* The runner, then each worker process once. */
static void measure(struct footprint_state *st, unsigned ntasks)
{
	int64_t rss_kb = 0, pss_kb = 0;
	if (add_smaps(st->runner, &rss_kb, &pss_kb))
		return fail(st, "reading the runner's smaps_rollup");
	for (unsigned t = 0; t < ntasks; t++) {
		bool seen = st->pid[t] == st->runner;
		for (unsigned u = 0; u < t && !seen; u++)
			seen = st->pid[u] == st->pid[t];
		if (!seen && add_smaps(st->pid[t], &rss_kb, &pss_kb))
			return fail(st, "reading a worker's smaps_rollup");
	}
	st->rss_kb = rss_kb;
	st->pss_kb = pss_kb;
}

/* ---- the task ---------------------------------------------------------------- */

/* Write or read the memory --touch names; returns fresh memory to unmap. */
static unsigned char *touch(struct footprint_state *st, uint64_t how)
{
	unsigned char *fresh = NULL;
	volatile unsigned char sink = 0;
	if (st->touch_bytes == 0)
		return NULL;
	if (how == TOUCH_FRESH && private_pages(st->touch_bytes, &fresh)) {
		fail(st, "mmap/madvise of --touch-mb");
		return NULL;
	}
	for (size_t off = 0; off < st->touch_bytes; off += st->page_bytes) {
		if (how == TOUCH_FRESH)
			fresh[off] = 1;
		else if (how == TOUCH_COW)	/* threads write the same bytes */
			__atomic_store_n(&st->inherited[off], 2, __ATOMIC_RELAXED);
		else
			sink += __atomic_load_n(&st->inherited[off], __ATOMIC_RELAXED);
	}
	(void)sink;
	return fresh;
}

static int footprint_task(void *arg, unsigned task, unsigned ntasks)
{
	struct ptb_wctx *ctx = arg;
	struct footprint_state *st = ctx->state;
	st->pid[task] = getpid();
	unsigned char *fresh = touch(st, ctx->opt[OPT_TOUCH]);
	atomic_fetch_add(&st->arrived, 1);
	pthread_barrier_wait(&st->parked);
	if (task == 0)
		measure(st, ntasks);
	pthread_barrier_wait(&st->release);
	if (fresh)
		munmap(fresh, st->touch_bytes);
	return 0;	/* failures are reported by verify, with their message */
}

static int footprint_verify(struct ptb_wctx *ctx, struct ptb_outcome *out, struct ptb_err *err)
{
	struct footprint_state *st = ctx->state;
	out->ops = ctx->tasks;
	out->result = st->rss_kb;
	out->pss_kb = st->pss_kb;
	out->ok = atomic_load(&st->arrived) == ctx->tasks && st->pss_kb > 0;
	if (atomic_load(&st->failed))
		return ptb_errf(err, "%s", st->error);
	if (atomic_load(&st->arrived) != ctx->tasks)
		return ptb_errf(err, "footprint: %u of %u workers parked", atomic_load(&st->arrived),
				ctx->tasks);
	return 0;
}

static void footprint_teardown(struct ptb_wctx *ctx)
{
	struct footprint_state *st = ctx->state;
	if (!st)
		return;
	if (st->barriers) {
		pthread_barrier_destroy(&st->parked);
		pthread_barrier_destroy(&st->release);
	}
	if (st->inherited)
		munmap(st->inherited, st->touch_bytes);
}

/* Each worker touches --touch-mb: fresh pages or copies of the runner's,
 * which holds one --touch-mb region itself for cow and read. */
static void footprint_needs(const struct ptb_fit *fit, uint64_t *mem_bytes, uint64_t *disk_bytes)
{
	*mem_bytes = ((uint64_t)fit->workers + 1) * (fit->opt[OPT_TOUCH_MB] << 20);
	*disk_bytes = 0;
}

/* --touch cow and read touch the runner's memory in the workers: in
 * Python only a forked worker has the interpreter's. */
static const char *footprint_py_refuse(const struct ptb_fit *fit, const char *start)
{
	if (start[0] && strcmp(start, "fork") != 0 && fit->opt[OPT_TOUCH_MB] &&
	    fit->opt[OPT_TOUCH] != TOUCH_FRESH)
		return "--touch cow and read need the interpreter's memory in the workers: --py-start fork";
	return NULL;
}

static const struct ptb_opt footprint_opts[] = {
	[OPT_TOUCH_MB] = { "touch-mb", "0", "MiB each worker touches before it parks",
			   PTB_OPT_NUM, PTB_UNIT_COUNT, 0, 1 << 20, NULL },
	[OPT_TOUCH] = { "touch", "fresh", "its own new memory, or the runner's: written (cow), read",
			PTB_OPT_CHOICE, PTB_UNIT_COUNT, 0, 0, "fresh|cow|read" },
};

const struct ptb_workload ptb_w_footprint = {
	.name = "footprint",
	.desc = "N idle workers parked (C3): pss_kb = total PSS, result = total RSS (kB)",
	.ops_unit = "worker",
	.headline = "pss_kb",
	.better = PTB_LOWER_IS_BETTER,
	.claims = "C3",
	.py = PTB_PY_IMPL,
	.py_refuse = footprint_py_refuse,
	.opts = footprint_opts,
	.nopts = 2,
	.needs = PTB_NEEDS_GANG,
	.min_workers = 1,
	.needs_bytes = footprint_needs,
	.arena_bytes = footprint_arena_bytes,
	.setup = footprint_setup,
	.task = footprint_task,
	.verify = footprint_verify,
	.teardown = footprint_teardown,
};
