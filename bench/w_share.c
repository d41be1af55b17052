/* w_share.c - `share`: move --bytes from a producer to consumers (claim
 * C4, seeds 000/001/002: "processes need IPC to share data, and IPC needs
 * serialization").
 *
 * Roles: task 0 produces; tasks 1..N-1 consume, each through its own
 * channel; the producer deals the data out in --chunk pieces, round
 * robin (chunk i goes to consumer i mod (N-1)), so the total moved is
 * --bytes whatever N is.  With one task, it produces each chunk and then
 * consumes it itself (the channel's cost with no second worker).  All
 * tasks must run at once (PTB_NEEDS_GANG: pools only with --submit async
 * and as many tasks as workers).
 *
 * Channels (--via):
 *   heap        the producer writes each chunk into one of 4 buffers per
 *               consumer, allocated once from the heap (one page-aligned
 *               block, laid out as shm's slots), and hands the pointer over
 *               a ring of 4 (zero copy, buffers recycled: what
 *               producer/consumer code does).  Only threads share a
 *               heap: a forked child's heap is a private copy-on-write
 *               copy, so process models refuse it (use shm).
 *   heap-malloc the same ring, but the producer mallocs a new buffer per
 *               chunk and the consumer frees it: glibc hands the memory
 *               back and faults it in again (the minflt column shows it).
 *               Threads only.
 *   shm         the producer writes each chunk straight into one of 4
 *               slots per consumer in the shared arena, which the consumer
 *               reads in place (zero copy, the same for threads and
 *               processes).
 *   pipe,       the producer write()s each chunk and the consumer read()s
 *   socketpair  it (two copies through the kernel; default buffer sizes).
 * queue: Python's multiprocessing.Queue (bench/py/wl_share.py), refused here.
 * The rings use a process-shared mutex and condition variables in every
 * model, so heap and shm differ only in where the chunk lives.
 * --encode 1 adds a serialize/deserialize step on both ends, as Python's
 * IPC pickles: the producer frames each chunk (a header with magic, length
 * and checksum, then a copy of the payload) and the consumer checks the
 * frame (a checksum pass) and copies the payload out.  That is the
 * channel's work.
 *
 * The work on the bytes (--consume):
 *   sum   the producer writes every byte of each chunk (fill) and the
 *         consumer folds every byte it receives into a Fletcher-style
 *         checksum; verify regenerates the data and compares (every byte).
 *   none  the channel alone: every buffer holds the body before the clock,
 *         the producer writes only the chunk's stamps (its first and last
 *         8 bytes) and the consumer reads only them (sharedata.h); verify
 *         checks that every chunk arrived once, in order, whole length.
 *         heap-malloc still copies the body into each new buffer.
 *
 * What is timed: the driver times the whole run (wall_ns, with worker
 * creation and exit).  Inside it, the tasks meet at a start barrier; the
 * producer reads the clock as it passes (start), each consumer when it has
 * taken in its last chunk (end), and around every checksum pass (its
 * consume time).  notes: xfer_ns = the last consumer's end - start (the
 * transfer without creation and exit: bytes/s of the channel = bytes *
 * 1e9 / xfer_ns); handover_ns_per_chunk = the consumers' time outside
 * their checksum passes per chunk received; consume_ns_per_chunk = their
 * checksum passes per chunk (0 with --consume none).
 *
 * The result is the bytes that arrived intact (must be --bytes); ops =
 * bytes, so ns_per_op is ns per byte and bytes/s = 1e9 / ns_per_op. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "measure.h"
#include "model.h"
#include "sharedata.h"
#include "workload.h"

enum { OPT_BYTES, OPT_CHUNK, OPT_VIA, OPT_ENCODE, OPT_CONSUME };
/* queue: Python's; heap-malloc last, so the older choices keep their index */
enum { VIA_HEAP, VIA_SHM, VIA_PIPE, VIA_SOCKETPAIR, VIA_QUEUE, VIA_HEAP_MALLOC };
enum { CONSUME_SUM, CONSUME_NONE };

#define RING_SLOTS 4
#define PAGE_BYTES 4096		/* the heap channel's buffers start on a page, as the arena */
#define SELF_PIECE_BYTES 32768	/* fits an empty pipe or socket: no deadlock alone */
#define FRAME_MAGIC UINT64_C(0x50544246524d4531)

struct frame_hdr {
	uint64_t magic, len;
	struct fold sum;
};

struct ring {
	pthread_mutex_t mu;
	pthread_cond_t not_empty, not_full;
	unsigned head, count;
	void *ptr[RING_SLOTS];		/* heap, heap-malloc: the chunk handed over */
	uint64_t len[RING_SLOTS];
};

struct consumer {
	_Alignas(64) struct ring ring;
	/* heap, shm: RING_SLOTS buffers of slot_bytes, recycled; from the
	 * runner's heap (heap: one page-aligned block, laid out as shm's) or
	 * from the shared arena (shm) */
	unsigned char *slots;
	int fd[2];			/* pipe, socketpair: read end, write end */
	uint64_t got_bytes, bad_frames;
	int64_t end_ns, consume_ns;	/* last chunk taken in; time in checksum passes */
	struct fold sum;
};

struct share_state {
	uint64_t bytes, chunk, nchunks;
	size_t slot_bytes;
	unsigned nconsumers;
	int via, consume;
	bool encode, rings_ready, barrier_ready;
	pthread_barrier_t start;	/* every task there before the clock starts */
	int64_t start_ns;		/* the producer past the barrier */
	struct consumer c[];
};

/* Private buffers of one task. */
struct bufs {
	unsigned char *obj;		/* one chunk, as produced or as decoded */
	unsigned char *frame;		/* header + chunk: encoding, or a pipe message */
};

/* ---- data and checksum ---------------------------------------------------- */

static bool is_ring(int via)
{
	return via == VIA_HEAP || via == VIA_SHM || via == VIA_HEAP_MALLOC;
}

/* Serialize obj into frame: header with a checksum pass, then a copy. */
static void encode(unsigned char *frame, const unsigned char *obj, size_t len)
{
	struct frame_hdr h = { FRAME_MAGIC, len, { 0, 0 } };
	fold_update(&h.sum, obj, len);
	memcpy(frame, &h, sizeof h);
	memcpy(frame + sizeof h, obj, len);
}

/* Check frame and copy its payload into obj; false when it is damaged. */
static bool decode(unsigned char *obj, const unsigned char *frame, size_t len)
{
	struct frame_hdr h;
	struct fold sum = { 0, 0 };
	memcpy(&h, frame, sizeof h);
	fold_update(&sum, frame + sizeof h, len);
	memcpy(obj, frame + sizeof h, len);
	return h.magic == FRAME_MAGIC && h.len == len && sum.a == h.sum.a && sum.b == h.sum.b;
}

static size_t chunk_len(const struct share_state *st, uint64_t i)
{
	uint64_t left = st->bytes - i * st->chunk;
	return (size_t)(left < st->chunk ? left : st->chunk);
}

/* Chunk i into buf, which holds the body already (--consume none) unless
 * it is a new buffer (fresh: heap-malloc), into which the body is copied
 * from body first.  --consume sum writes every byte. */
static void make_chunk(const struct share_state *st, unsigned char *buf, size_t len, uint64_t i,
		       const unsigned char *fresh_body)
{
	if (st->consume == CONSUME_SUM) {
		fill(buf, len, i);
		return;
	}
	if (fresh_body)
		memcpy(buf, fresh_body, len);
	stamp(buf, len, i);
}

/* The consumer's work on a chunk it holds: the checksum pass (timed), or
 * the stamps alone. */
static void consume_bytes(const struct share_state *st, struct consumer *c,
			  const unsigned char *msg, size_t len)
{
	if (st->consume == CONSUME_NONE) {
		stamp_fold(&c->sum, msg, len);
		return;
	}
	int64_t t0 = ptb_now_ns();
	fold_update(&c->sum, msg, len);
	c->consume_ns += ptb_now_ns() - t0;
}

/* ---- rings (heap, heap-malloc and shm) ----------------------------------------- */

static int ring_init(struct ring *r, struct ptb_err *err)
{
	pthread_mutexattr_t ma;
	pthread_condattr_t ca;
	int rc;
	if ((rc = pthread_mutexattr_init(&ma)) ||
	    (rc = pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED)) ||
	    (rc = pthread_mutex_init(&r->mu, &ma)))
		return errno = rc, ptb_errno(err, "share: pthread_mutex_init");
	pthread_mutexattr_destroy(&ma);
	if ((rc = pthread_condattr_init(&ca)) ||
	    (rc = pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED)) ||
	    (rc = pthread_cond_init(&r->not_empty, &ca)) || (rc = pthread_cond_init(&r->not_full, &ca)))
		return errno = rc, ptb_errno(err, "share: pthread_cond_init");
	pthread_condattr_destroy(&ca);
	return 0;
}

/* Producer: wait for a free slot; returns its index (mutex released). */
static unsigned ring_reserve(struct ring *r)
{
	pthread_mutex_lock(&r->mu);
	while (r->count == RING_SLOTS)
		pthread_cond_wait(&r->not_full, &r->mu);
	unsigned idx = (r->head + r->count) % RING_SLOTS;
	pthread_mutex_unlock(&r->mu);
	return idx;	/* only this producer fills slots: it stays free */
}

static void ring_commit(struct ring *r, unsigned idx, void *ptr, uint64_t len)
{
	pthread_mutex_lock(&r->mu);
	r->ptr[idx] = ptr;
	r->len[idx] = len;
	r->count++;
	pthread_cond_signal(&r->not_empty);
	pthread_mutex_unlock(&r->mu);
}

/* Consumer: wait for a filled slot; returns its index (still owned). */
static unsigned ring_peek(struct ring *r)
{
	pthread_mutex_lock(&r->mu);
	while (r->count == 0)
		pthread_cond_wait(&r->not_empty, &r->mu);
	unsigned idx = r->head;
	pthread_mutex_unlock(&r->mu);
	return idx;
}

static void ring_pop(struct ring *r)
{
	pthread_mutex_lock(&r->mu);
	r->head = (r->head + 1) % RING_SLOTS;
	r->count--;
	pthread_cond_signal(&r->not_full);
	pthread_mutex_unlock(&r->mu);
}

/* ---- pipes and sockets ------------------------------------------------------- */

static int write_all(int fd, const unsigned char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static int read_full(int fd, unsigned char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = read(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;	/* an error, or end of file before the message ended */
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* One task alone: write a piece, read it back, until the message is across. */
static int self_transfer(const struct consumer *c, const unsigned char *msg, unsigned char *in,
			 size_t len)
{
	for (size_t off = 0; off < len; off += SELF_PIECE_BYTES) {
		size_t n = len - off < SELF_PIECE_BYTES ? len - off : SELF_PIECE_BYTES;
		if (write_all(c->fd[1], msg + off, n) || read_full(c->fd[0], in + off, n))
			return -1;
	}
	return 0;
}

/* ---- the two ends --------------------------------------------------------- */

/* The buffer chunk i goes into on a ring: a recycled one (heap, shm),
 * or a new one (heap-malloc; NULL when out of memory). */
static unsigned char *ring_buffer(const struct share_state *st, struct consumer *c, unsigned idx,
				  size_t len)
{
	if (st->via != VIA_HEAP_MALLOC)
		return c->slots + (size_t)idx * st->slot_bytes;
	return malloc(len + (st->encode ? sizeof(struct frame_hdr) : 0) + 1);
}

static int produce_ring(const struct share_state *st, struct consumer *c, uint64_t i,
			struct bufs *b)
{
	size_t len = chunk_len(st, i);
	unsigned idx = ring_reserve(&c->ring);
	unsigned char *buf = ring_buffer(st, c, idx, len);
	if (!buf)
		return -1;
	bool fresh = st->via == VIA_HEAP_MALLOC;
	if (st->encode) {
		make_chunk(st, b->obj, len, i, NULL);
		encode(buf, b->obj, len);
	} else {
		make_chunk(st, buf, len, i, fresh ? b->obj : NULL);
	}
	ring_commit(&c->ring, idx, buf, len);
	return 0;
}

/* The message a pipe or socket carries: the chunk, or its frame. */
static const unsigned char *make_message(const struct share_state *st, uint64_t i, struct bufs *b,
					 size_t *msg_len)
{
	size_t len = chunk_len(st, i);
	make_chunk(st, b->obj, len, i, NULL);
	if (!st->encode) {
		*msg_len = len;
		return b->obj;
	}
	encode(b->frame, b->obj, len);
	*msg_len = len + sizeof(struct frame_hdr);
	return b->frame;
}

/* Take in one received message of chunk length len (decoding it first). */
static void take_in(const struct share_state *st, struct consumer *c, const unsigned char *msg,
		    size_t len, struct bufs *b)
{
	if (st->encode) {
		c->bad_frames += !decode(b->obj, msg, len);
		msg = b->obj;
	}
	consume_bytes(st, c, msg, len);
	c->got_bytes += len;
}

static void consume_ring(const struct share_state *st, struct consumer *c, struct bufs *b)
{
	unsigned idx = ring_peek(&c->ring);
	take_in(st, c, c->ring.ptr[idx], (size_t)c->ring.len[idx], b);
	if (st->via == VIA_HEAP_MALLOC)
		free(c->ring.ptr[idx]);
	c->ring.ptr[idx] = NULL;
	ring_pop(&c->ring);
}

static int consume_fd(const struct share_state *st, struct consumer *c, size_t len,
		      struct bufs *b)
{
	unsigned char *in = st->encode ? b->frame : b->obj;
	if (read_full(c->fd[0], in, len + (st->encode ? sizeof(struct frame_hdr) : 0)))
		return -1;
	take_in(st, c, in, len, b);
	return 0;
}

/* ---- roles ------------------------------------------------------------------ */

static int produce(struct share_state *st, uint64_t i, struct bufs *b)
{
	struct consumer *c = &st->c[i % st->nconsumers];
	size_t msg_len;
	if (is_ring(st->via))
		return produce_ring(st, c, i, b);
	const unsigned char *msg = make_message(st, i, b, &msg_len);
	return write_all(c->fd[1], msg, msg_len);
}

static int producer(struct share_state *st, struct bufs *b)
{
	st->start_ns = ptb_now_ns();
	for (uint64_t i = 0; i < st->nchunks; i++)
		if (produce(st, i, b))
			return -1;
	return 0;
}

static int consumer(struct share_state *st, unsigned ci, struct bufs *b)
{
	struct consumer *c = &st->c[ci];
	for (uint64_t i = ci; i < st->nchunks; i += st->nconsumers) {
		if (is_ring(st->via))
			consume_ring(st, c, b);
		else if (consume_fd(st, c, chunk_len(st, i), b))
			return -1;
	}
	c->end_ns = ptb_now_ns();
	return 0;
}

/* One task does both ends, chunk by chunk. */
static int alone(struct share_state *st, struct bufs *b, unsigned char *in)
{
	struct consumer *c = &st->c[0];
	st->start_ns = ptb_now_ns();
	for (uint64_t i = 0; i < st->nchunks; i++) {
		size_t msg_len, len = chunk_len(st, i);
		if (is_ring(st->via)) {
			if (produce(st, i, b))
				return -1;
			consume_ring(st, c, b);
			continue;
		}
		const unsigned char *msg = make_message(st, i, b, &msg_len);
		if (self_transfer(c, msg, in, msg_len))
			return -1;
		take_in(st, c, in, len, b);
	}
	c->end_ns = ptb_now_ns();
	return 0;
}

/* Wait for every task; false when the barrier failed. */
static bool start_together(struct share_state *st)
{
	int rc = pthread_barrier_wait(&st->start);
	return rc == 0 || rc == PTHREAD_BARRIER_SERIAL_THREAD;
}

static int share_task(void *arg, unsigned task, unsigned ntasks)
{
	struct ptb_wctx *ctx = arg;
	struct share_state *st = ctx->state;
	size_t frame_bytes = (size_t)st->chunk + sizeof(struct frame_hdr);
	struct bufs b = { malloc((size_t)st->chunk + 1), malloc(frame_bytes) };
	unsigned char *in = ntasks == 1 ? malloc(frame_bytes) : NULL;
	bool have = b.obj && b.frame && (ntasks > 1 || in);
	if (have)
		fill(b.obj, (size_t)st->chunk, STAMP_BODY);	/* the body, before the clock */
	int rc = -1;
	if (start_together(st) && have) {	/* arrive even without buffers: no one waits forever */
		if (ntasks == 1)
			rc = alone(st, &b, in);
		else if (task == 0)
			rc = producer(st, &b);
		else
			rc = consumer(st, task - 1, &b);
	}
	free(b.obj);
	free(b.frame);
	free(in);
	return rc ? 1 : 0;
}

/* ---- setup, verify, teardown ---------------------------------------------------- */

static unsigned consumers_of(unsigned tasks)
{
	return tasks > 1 ? tasks - 1 : 1;
}

static size_t slot_bytes_of(uint64_t chunk)
{
	return ((size_t)chunk + sizeof(struct frame_hdr) + 63) & ~(size_t)63;
}

static size_t page_round(size_t bytes)
{
	return (bytes + PAGE_BYTES - 1) & ~(size_t)(PAGE_BYTES - 1);
}

static size_t share_arena_bytes(const struct ptb_wctx *ctx)
{
	size_t n = consumers_of(ctx->tasks);
	size_t bytes = sizeof(struct share_state) + n * sizeof(struct consumer) + 64;
	if (ctx->opt[OPT_VIA] == VIA_SHM)
		bytes += n * (RING_SLOTS * slot_bytes_of(ctx->opt[OPT_CHUNK]) + 64);
	return bytes;
}

static int open_channel(struct consumer *c, int via, struct ptb_err *err)
{
	if (via == VIA_PIPE && pipe2(c->fd, O_CLOEXEC) < 0)
		return ptb_errno(err, "share: pipe2");
	if (via == VIA_SOCKETPAIR &&
	    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, c->fd) < 0)
		return ptb_errno(err, "share: socketpair(AF_UNIX, SOCK_STREAM)");
	return 0;
}

/* The buffers a consumer's ring recycles, holding the body before the
 * clock: slots in the shared arena (shm), or one page-aligned block of
 * the runner's heap laid out the same way (heap: the same ring and the
 * same geometry in other memory). */
static int ring_buffers(struct share_state *st, struct consumer *c, struct ptb_arena *arena,
			struct ptb_err *err)
{
	size_t bytes = RING_SLOTS * st->slot_bytes;
	if (st->via == VIA_SHM && !(c->slots = ptb_arena_alloc(arena, bytes)))
		return ptb_errf(err, "share: shared arena too small");
	if (st->via == VIA_HEAP && !(c->slots = aligned_alloc(PAGE_BYTES, page_round(bytes))))
		return ptb_errf(err, "share: out of memory for %zu bytes of buffers", bytes);
	for (unsigned k = 0; k < RING_SLOTS && (st->via == VIA_HEAP || st->via == VIA_SHM); k++)
		fill(c->slots + k * st->slot_bytes, (size_t)st->chunk, STAMP_BODY);
	return 0;
}

static int start_barrier(struct share_state *st, unsigned parties, struct ptb_err *err)
{
	pthread_barrierattr_t ba;
	int rc;
	if ((rc = pthread_barrierattr_init(&ba)) ||
	    (rc = pthread_barrierattr_setpshared(&ba, PTHREAD_PROCESS_SHARED)) ||
	    (rc = pthread_barrier_init(&st->start, &ba, parties)))
		return errno = rc, ptb_errno(err, "share: pthread_barrier_init");
	pthread_barrierattr_destroy(&ba);
	st->barrier_ready = true;
	return 0;
}

static int share_setup(struct ptb_wctx *ctx, struct ptb_err *err)
{
	unsigned n = consumers_of(ctx->tasks);
	struct share_state *st = ptb_arena_alloc(ctx->arena, sizeof *st + n * sizeof(struct consumer));
	if (!st)
		return ptb_errf(err, "share: shared arena too small");
	st->bytes = ctx->opt[OPT_BYTES];
	st->chunk = ctx->opt[OPT_CHUNK];
	st->nchunks = (st->bytes + st->chunk - 1) / st->chunk;
	st->slot_bytes = slot_bytes_of(st->chunk);
	st->nconsumers = n;
	st->via = (int)ctx->opt[OPT_VIA];
	st->consume = (int)ctx->opt[OPT_CONSUME];
	st->encode = ctx->opt[OPT_ENCODE] == 1;
	for (unsigned i = 0; i < n; i++)
		st->c[i].fd[0] = st->c[i].fd[1] = -1;
	ctx->state = st;	/* teardown closes what was opened, also on failure */
	for (unsigned i = 0; i < n; i++)
		if (ring_buffers(st, &st->c[i], ctx->arena, err) || open_channel(&st->c[i], st->via, err))
			return -1;
	for (unsigned i = 0; i < n && is_ring(st->via); i++)
		if (ring_init(&st->c[i].ring, err))
			return -1;
	st->rings_ready = is_ring(st->via);
	return start_barrier(st, ctx->tasks, err);
}

/* What consumer ci must have folded of chunk i (buf: a chunk's room). */
static void expect_chunk(const struct share_state *st, uint64_t i, unsigned char *buf,
			 struct fold *sum)
{
	size_t len = chunk_len(st, i);
	if (st->consume == CONSUME_SUM) {
		fill(buf, len, i);
		fold_update(sum, buf, len);
	} else {
		stamp(buf, len, i);
		stamp_fold(sum, buf, len);
	}
}

/* The checksum and length consumer ci must have received. */
static void expected_of(const struct share_state *st, unsigned ci, unsigned char *buf,
			struct fold *sum, uint64_t *bytes)
{
	*sum = (struct fold){ 0, 0 };
	*bytes = 0;
	for (uint64_t i = ci; i < st->nchunks; i += st->nconsumers) {
		expect_chunk(st, i, buf, sum);
		*bytes += chunk_len(st, i);
	}
}

/* The timing notes: transfer, hand-over and checksum time (see the top). */
static int time_notes(const struct share_state *st, char *buf, size_t len)
{
	int64_t last = st->start_ns, outside = 0, consume = 0;
	for (unsigned ci = 0; ci < st->nconsumers; ci++) {
		const struct consumer *c = &st->c[ci];
		if (c->end_ns > last)
			last = c->end_ns;
		if (c->end_ns > st->start_ns)
			outside += c->end_ns - st->start_ns - c->consume_ns;
		consume += c->consume_ns;
	}
	double per = (double)st->nchunks;
	return snprintf(buf, len, ";xfer_ns=%lld;handover_ns_per_chunk=%.0f;consume_ns_per_chunk=%.0f",
			(long long)(last - st->start_ns), outside > 0 ? (double)outside / per : 0.0,
			(double)consume / per);
}

static int share_verify(struct ptb_wctx *ctx, struct ptb_outcome *out, struct ptb_err *err)
{
	const struct share_state *st = ctx->state;
	unsigned char *buf = malloc((size_t)st->chunk + 1);
	uint64_t intact = 0, bad_frames = 0;
	unsigned damaged = 0;
	if (!buf)
		return ptb_errf(err, "share: out of memory for a %llu-byte chunk",
				(unsigned long long)st->chunk);
	for (unsigned ci = 0; ci < st->nconsumers; ci++) {
		const struct consumer *c = &st->c[ci];
		struct fold want;
		uint64_t want_bytes;
		expected_of(st, ci, buf, &want, &want_bytes);
		bool good = c->got_bytes == want_bytes && c->sum.a == want.a && c->sum.b == want.b &&
			    c->bad_frames == 0;
		intact += good ? c->got_bytes : 0;
		damaged += !good;
		bad_frames += c->bad_frames;
	}
	free(buf);
	out->ops = st->bytes;
	out->result = (int64_t)intact;
	out->ok = intact == st->bytes;
	int n = snprintf(out->notes, sizeof out->notes, "producers=1;consumers=%u;chunks=%llu;"
			 "damaged_consumers=%u;bad_frames=%llu", ctx->tasks > 1 ? st->nconsumers : 0,
			 (unsigned long long)st->nchunks, damaged, (unsigned long long)bad_frames);
	if (n > 0 && (size_t)n < sizeof out->notes)
		time_notes(st, out->notes + n, sizeof out->notes - (size_t)n);
	return 0;
}

static void share_teardown(struct ptb_wctx *ctx)
{
	struct share_state *st = ctx->state;
	if (!st)
		return;
	for (unsigned i = 0; i < st->nconsumers; i++) {
		struct consumer *c = &st->c[i];
		for (int e = 0; e < 2; e++)
			if (c->fd[e] >= 0)
				close(c->fd[e]);
		if (st->via == VIA_HEAP)
			free(c->slots);
		for (unsigned k = 0; k < RING_SLOTS && st->via == VIA_HEAP_MALLOC; k++)
			free(c->ring.ptr[k]);	/* left by a failed run (threads only) */
		if (st->rings_ready) {
			pthread_cond_destroy(&c->ring.not_empty);
			pthread_cond_destroy(&c->ring.not_full);
			pthread_mutex_destroy(&c->ring.mu);
		}
	}
	if (st->barrier_ready)
		pthread_barrier_destroy(&st->start);
}

/* Workers of these models share the runner's heap. */
static bool same_process(const struct ptb_model *m)
{
	return m->shared_space;
}

static bool on_heap(uint64_t via)
{
	return via == VIA_HEAP || via == VIA_HEAP_MALLOC;
}

static const char *share_refuse(const struct ptb_fit *fit)
{
	if (fit->opt[OPT_VIA] == VIA_QUEUE && !fit->model->exec_runner)
		return "--via queue is Python's multiprocessing.Queue (bench/py/wl_share.py): use a Python model";
	if (on_heap(fit->opt[OPT_VIA]) && !same_process(fit->model))
		return "--via heap and heap-malloc hand over pointers to the heap, which only threads "
		       "share (a forked child's heap is a private copy): use --via shm";
	return NULL;
}

/* The Python twin's channels are heap, heap-malloc (threads), queue, pipe
 * and shm; Python's channels pickle or not by themselves. */
static const char *share_py_refuse(const struct ptb_fit *fit, const char *start)
{
	(void)start;
	if (fit->opt[OPT_VIA] == VIA_SOCKETPAIR)
		return "--via socketpair is C's: the Python channels are heap, heap-malloc (threads), "
		       "queue, pipe, shm";
	if (on_heap(fit->opt[OPT_VIA]) && !same_process(fit->model))
		return "--via heap and heap-malloc need one address space: use queue, pipe or shm with processes";
	if (fit->opt[OPT_ENCODE] == 1)
		return "--encode 1 is C's stand-in for pickling: Python's channels pickle or not by themselves (--encode 0)";
	return NULL;
}

/* As MPI ranks (bench/mpi/rank.c) rank 0 sends the bytes with
 * MPI_Send/MPI_Recv, checksummed at the far end: MPI chooses its own
 * channel, so only the default --via stands for it. */
static const char *share_mpi_refuse(const struct ptb_workload *wl, const uint64_t *opt)
{
	(void)wl;
	if (opt[OPT_VIA] != VIA_SHM)
		return "mpi moves the bytes with MPI_Send/MPI_Recv over its own transport "
		       "(shared memory on one host, TCP across hosts): leave --via at shm";
	if (opt[OPT_ENCODE] != 0)
		return "mpi messages are checksummed by the ranks, not framed: --encode 0";
	if (opt[OPT_CONSUME] != CONSUME_SUM)
		return "mpi ranks write and checksum every byte: leave --consume at sum";
	if (opt[OPT_CHUNK] > (UINT64_C(1) << 30))
		return "mpi: --chunk at most 1 GiB (one MPI message)";
	return NULL;
}

static const struct ptb_opt share_opts[] = {
	[OPT_BYTES] = { "bytes", "64M", "bytes the producer moves in all", PTB_OPT_NUM,
			PTB_UNIT_BYTES, 1, UINT64_C(1) << 40, NULL },
	[OPT_CHUNK] = { "chunk", "64k", "bytes per handover (message, slot)", PTB_OPT_NUM,
			PTB_UNIT_BYTES, 1, UINT64_C(16) << 20, NULL },
	[OPT_VIA] = { "via", "shm", "the channel: heap pointers to recycled buffers (threads), shared "
		      "memory, pipe, socketpair, a new heap buffer per chunk (heap-malloc, threads); "
		      "Python also queue", PTB_OPT_CHOICE, PTB_UNIT_COUNT, 0, 0,
		      "heap|shm|pipe|socketpair|queue|heap-malloc" },
	[OPT_ENCODE] = { "encode", "0", "1: frame and checksum each chunk on both ends (as pickling)",
			 PTB_OPT_CHOICE, PTB_UNIT_COUNT, 0, 0, "0|1" },
	[OPT_CONSUME] = { "consume", "sum", "sum: write and checksum every byte at the two ends; "
			  "none: the channel alone (only each chunk's stamps)", PTB_OPT_CHOICE,
			  PTB_UNIT_COUNT, 0, 0, "sum|none" },
};

const struct ptb_workload ptb_w_share = {
	.name = "share",
	.desc = "a producer moves --bytes to consumers via heap, shm, pipe or socketpair (C4); bytes/s = 1e9/ns_per_op",
	.ops_unit = "byte",
	.better = PTB_LOWER_IS_BETTER,
	.claims = "C4,C10",
	.py = PTB_PY_IMPL,
	.py_refuse = share_py_refuse,
	.mpi = PTB_MPI_IMPL,
	.mpi_refuse = share_mpi_refuse,
	.opts = share_opts,
	.nopts = 5,
	.needs = PTB_NEEDS_GANG,
	.refuse = share_refuse,
	.arena_bytes = share_arena_bytes,
	.setup = share_setup,
	.task = share_task,
	.verify = share_verify,
	.teardown = share_teardown,
};
