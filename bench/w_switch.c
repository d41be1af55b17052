/* w_switch.c - `switch` (claim C2): two workers ping-pong a token
 * --rounds times; the cost of a round trip, hence of a context switch.
 *
 * Task 0 (ping) sends, then waits for the answer; task 1 (pong) waits,
 * then answers.  With --pin same both sit on one CPU, so every hand-over
 * is a context switch from one worker to the other (a round trip is two
 * switches: ns per switch = ns_per_op / 2).  With --pin split they run on
 * two CPUs and a round trip is two wake-ups across CPUs; --pin none lets
 * the scheduler choose.  The CPUs are the first (and second) that the
 * runner may use (normally 0 and 1); split is refused when there is only
 * one.
 *
 * --via pipe: two pipes and a 4-byte int each way, exactly what
 *   `perf bench sched pipe` does (its loop: write then read in one worker,
 *   read then write in the other), so its usecs/op compares with ns_per_op
 *   here (perf's -T runs the same loop in threads);
 * --via socketpair: one AF_UNIX stream socketpair, the same 4 bytes;
 * --via futex: a sequence word in the shared arena, advanced with an atomic
 *   store and a FUTEX_WAKE, waited for with FUTEX_WAIT.  The futex is the
 *   process-shared kind in every model (a thread could use the private
 *   one), so the code is the same in threads and processes.
 * The pipes and socketpair are made by the runner before the workers, so
 * forked workers inherit them and threads share them.  Worker creation is
 * inside the timed region, as in perf bench (2 of --rounds round trips).
 *
 * queue, condition: Python's channels (bench/py/wl_switch.py), refused here.
 *
 * Exactly 2 workers (other -n values are skipped); every model that runs
 * its tasks at once: thread, fork, and the pools with --submit async and
 * 2 tasks.  ops = rounds; result = round trips completed; ok when both
 * sides completed --rounds and the token came back as sent plus one every
 * time. */
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "model.h"
#include "workload.h"

enum { OPT_ROUNDS, OPT_VIA, OPT_PIN };
enum { VIA_PIPE, VIA_FUTEX, VIA_SOCKETPAIR, VIA_QUEUE, VIA_CONDITION };	/* the last two: Python's */
enum { PIN_SAME, PIN_SPLIT, PIN_NONE };
enum { PING, PONG };

struct switch_state {
	_Alignas(64) _Atomic uint32_t seq;	/* futex: 2i+1 ping's turn passed, 2i+2 pong's */
	_Alignas(64) int rd[2], wr[2];	/* per side: the fd it reads and writes */
	int fds[4];		/* everything to close; -1 when unused */
	int cpu[2];		/* per side; -1: not pinned */
	uint64_t done[2];	/* round trips each side completed */
	int64_t last_token;	/* what ping received last */
	atomic_int failed;
	char error[200];
};

/* The first two CPUs this process may run on; returns how many exist. */
static int allowed_cpus(int first[2])
{
	cpu_set_t set;
	int n = 0;
	first[0] = first[1] = -1;
	if (sched_getaffinity(0, sizeof set, &set) < 0)
		return -1;
	for (int c = 0; c < CPU_SETSIZE && n < 2; c++)
		if (CPU_ISSET(c, &set))
			first[n++] = c;
	return CPU_COUNT(&set);
}

static const char *switch_refuse(const struct ptb_fit *fit)
{
	int first[2];
	if (fit->opt[OPT_VIA] >= VIA_QUEUE && !fit->model->exec_runner)
		return "--via queue and condition are Python's channels (queue.Queue, threading.Condition "
		       "and their multiprocessing twins): use a Python model";
	if (fit->opt[OPT_PIN] == PIN_SPLIT && allowed_cpus(first) < 2)
		return "--pin split needs two CPUs, and this process may run on only one";
	return NULL;
}

static size_t switch_arena_bytes(const struct ptb_wctx *ctx)
{
	(void)ctx;
	return sizeof(struct switch_state);
}

static int make_channel(struct switch_state *st, uint64_t via, struct ptb_err *err)
{
	int a[2], b[2];
	if (via == VIA_PIPE) {
		if (pipe2(a, O_CLOEXEC) < 0)
			return ptb_errno(err, "switch: pipe2");
		if (pipe2(b, O_CLOEXEC) < 0) {
			close(a[0]);
			close(a[1]);
			return ptb_errno(err, "switch: pipe2");
		}
		/* ping writes a, pong reads a; pong writes b, ping reads b */
		st->wr[PING] = a[1];
		st->rd[PONG] = a[0];
		st->wr[PONG] = b[1];
		st->rd[PING] = b[0];
		memcpy(st->fds, (int[]){ a[0], a[1], b[0], b[1] }, sizeof st->fds);
	} else if (via == VIA_SOCKETPAIR) {
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, a) < 0)
			return ptb_errno(err, "switch: socketpair(AF_UNIX)");
		st->rd[PING] = st->wr[PING] = st->fds[0] = a[0];
		st->rd[PONG] = st->wr[PONG] = st->fds[1] = a[1];
	}
	return 0;
}

static int switch_setup(struct ptb_wctx *ctx, struct ptb_err *err)
{
	struct switch_state *st = ptb_arena_alloc(ctx->arena, sizeof *st);
	if (!st)
		return ptb_errf(err, "switch: shared arena too small");
	for (int i = 0; i < 4; i++)
		st->fds[i] = -1;
	ctx->state = st;
	if (ctx->tasks != 2)
		return ptb_errf(err, "switch: needs exactly 2 tasks, got %u", ctx->tasks);
	int first[2];
	int ncpu = allowed_cpus(first);
	if (ncpu < 0)
		return ptb_errno(err, "switch: sched_getaffinity");
	st->cpu[PING] = ctx->opt[OPT_PIN] == PIN_NONE ? -1 : first[0];
	st->cpu[PONG] = ctx->opt[OPT_PIN] == PIN_SAME ? first[0]
		      : ctx->opt[OPT_PIN] == PIN_SPLIT ? first[1] : -1;
	if (ctx->opt[OPT_PIN] == PIN_SPLIT && st->cpu[PONG] < 0)
		return ptb_errf(err, "switch: --pin split needs two CPUs, this process has %d", ncpu);
	return make_channel(st, ctx->opt[OPT_VIA], err);
}

static void fail(struct switch_state *st, const char *what, int side)
{
	int none = 0;
	if (atomic_compare_exchange_strong(&st->failed, &none, 1))
		snprintf(st->error, sizeof st->error, "switch: %s: %s (%s)", side == PING ? "ping" : "pong",
			 what, strerror(errno));
}

static int pin(int cpu)
{
	cpu_set_t set;
	if (cpu < 0)
		return 0;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof set, &set);	/* 0: the calling thread */
}

static int put(int fd, int32_t v)
{
	ssize_t n;
	while ((n = write(fd, &v, sizeof v)) < 0 && errno == EINTR)
		;
	return n == (ssize_t)sizeof v ? 0 : (n >= 0 ? (errno = EPIPE, -1) : -1);
}

static int get(int fd, int32_t *v)
{
	size_t got = 0;
	while (got < sizeof *v) {
		ssize_t n = read(fd, (char *)v + got, sizeof *v - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n == 0 ? (errno = EPIPE, -1) : -1;
		got += (size_t)n;
	}
	return 0;
}

/* ---- the futex channel ------------------------------------------------ */

static void futex_wake(_Atomic uint32_t *w)
{
	syscall(SYS_futex, w, FUTEX_WAKE, 1, NULL, NULL, 0);
}

/* Wait until *w == want (it only ever grows towards it). */
static void futex_wait_for(_Atomic uint32_t *w, uint32_t want)
{
	uint32_t v;
	while ((v = atomic_load_explicit(w, memory_order_acquire)) != want)
		syscall(SYS_futex, w, FUTEX_WAIT, v, NULL, NULL, 0);
}

/* Returns the round trips done.  Ping stores 2i+1 and waits for 2i+2,
 * pong waits for 2i+1 and stores 2i+2. */
static uint64_t futex_side(struct switch_state *st, int side, uint64_t rounds)
{
	uint64_t i = 0;
	for (; i < rounds; i++) {
		uint32_t mine = (uint32_t)(2 * i + (side == PING ? 1 : 2));
		if (side == PONG)
			futex_wait_for(&st->seq, mine - 1);
		atomic_store_explicit(&st->seq, mine, memory_order_release);
		futex_wake(&st->seq);
		if (side == PING)
			futex_wait_for(&st->seq, mine + 1);
	}
	if (side == PING)
		st->last_token = atomic_load(&st->seq);
	return i;
}

/* ---- pipe and socketpair -------------------------------------------------- */

/* Each returns the round trips done.  The token is an int, as perf's. */
static uint64_t fd_ping(struct switch_state *st, uint64_t rounds)
{
	int32_t m = 0, reply;
	uint64_t i = 0;
	for (; i < rounds; i++) {
		if (put(st->wr[PING], m) || get(st->rd[PING], &reply)) {
			fail(st, "write/read", PING);
			break;
		}
		if (reply != m + 1) {
			errno = EPROTO;
			fail(st, "answer is not the token plus one", PING);
			break;
		}
		m = reply;
	}
	st->last_token = m;
	return i;
}

static uint64_t fd_pong(struct switch_state *st, uint64_t rounds)
{
	int32_t m;
	uint64_t i = 0;
	for (; i < rounds; i++) {
		if (get(st->rd[PONG], &m) || put(st->wr[PONG], m + 1)) {
			fail(st, "read/write", PONG);
			break;
		}
	}
	return i;
}

static int switch_task(void *arg, unsigned task, unsigned ntasks)
{
	(void)ntasks;
	struct ptb_wctx *ctx = arg;
	struct switch_state *st = ctx->state;
	int side = task == 0 ? PING : PONG;
	uint64_t rounds = ctx->opt[OPT_ROUNDS];
	if (pin(st->cpu[side]))
		fail(st, "sched_setaffinity", side);	/* play on, or the other side hangs */
	if (ctx->opt[OPT_VIA] == VIA_FUTEX)
		st->done[side] = futex_side(st, side, rounds);
	else
		st->done[side] = side == PING ? fd_ping(st, rounds) : fd_pong(st, rounds);
	return 0;	/* failures are reported by verify, with their message */
}

static int switch_verify(struct ptb_wctx *ctx, struct ptb_outcome *out, struct ptb_err *err)
{
	struct switch_state *st = ctx->state;
	uint64_t rounds = ctx->opt[OPT_ROUNDS];
	int64_t want_token = ctx->opt[OPT_VIA] == VIA_FUTEX ? (int64_t)(2 * rounds) : (int64_t)rounds;
	out->ops = rounds;
	out->result = (int64_t)(st->done[PING] < st->done[PONG] ? st->done[PING] : st->done[PONG]);
	out->ok = st->done[PING] == rounds && st->done[PONG] == rounds &&
		  st->last_token == want_token;
	if (atomic_load(&st->failed))
		return ptb_errf(err, "%s", st->error);
	return 0;
}

static void switch_teardown(struct ptb_wctx *ctx)
{
	struct switch_state *st = ctx->state;
	if (!st)
		return;
	for (int i = 0; i < 4; i++)
		if (st->fds[i] >= 0)
			close(st->fds[i]);
}

/* The Python twin's channels are pipe, queue and condition; it pins nothing. */
static const char *switch_py_refuse(const struct ptb_fit *fit, const char *start)
{
	(void)start;
	if (fit->opt[OPT_PIN] != PIN_NONE)
		return "--pin is C's: a Python worker is not placed on a CPU (--pin none)";
	if (fit->opt[OPT_VIA] == VIA_FUTEX || fit->opt[OPT_VIA] == VIA_SOCKETPAIR)
		return "--via futex and socketpair are C's: the Python channels are pipe, queue, condition";
	return NULL;
}

static const struct ptb_opt switch_opts[] = {
	[OPT_ROUNDS] = { "rounds", "1e5", "round trips of the token (perf bench sched pipe -l)",
			 PTB_OPT_NUM, PTB_UNIT_COUNT, 1, UINT64_C(1) << 30, NULL },
	[OPT_VIA] = { "via", "pipe", "channel: pipes (as perf bench), a futex word, a socketpair; "
		      "Python also queue, condition", PTB_OPT_CHOICE, PTB_UNIT_COUNT, 0, 0,
		      "pipe|futex|socketpair|queue|condition" },
	[OPT_PIN] = { "pin", "none", "both on one CPU, on two, or where the scheduler puts them",
		      PTB_OPT_CHOICE, PTB_UNIT_COUNT, 0, 0, "same|split|none" },
};

const struct ptb_workload ptb_w_switch = {
	.name = "switch",
	.desc = "ping-pong between 2 workers (C2): ns per round trip (2 switches)",
	.ops_unit = "round trip",
	.better = PTB_LOWER_IS_BETTER,
	.claims = "C2",
	.py = PTB_PY_IMPL,
	.py_refuse = switch_py_refuse,
	.opts = switch_opts,
	.nopts = 3,
	.needs = PTB_NEEDS_GANG,
	.min_workers = 2,
	.max_workers = 2,
	.refuse = switch_refuse,
	.arena_bytes = switch_arena_bytes,
	.setup = switch_setup,
	.task = switch_task,
	.verify = switch_verify,
	.teardown = switch_teardown,
	.no_perf_counter = true,
};
