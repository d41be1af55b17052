/* w_copy.c - `copy`: the multi-file copier of seed 004.
 *
 * Before the first repetition the driver writes --files source files of
 * --file-size bytes of known pseudo-random content into its private
 * temporary directory.  In each repetition the tasks split the files
 * (task t copies files t, t+T, ...) and copy each with read/write of
 * --chunk bytes, as the seed's `read(1024)` loop.  Verification compares
 * every destination byte with its source; the result is the bytes copied.
 * The source stays in the page cache, so this measures the copy loop and
 * the system calls, not the disk. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "fsutil.h"
#include "workload.h"

enum { OPT_FILES, OPT_FILE_SIZE, OPT_CHUNK };

#define BLOCK_BYTES 65536

/* The shared state is the bytes each task copied, SLOT_STRIDE uint64_t
 * apart (one cache line each). */
#define SLOT_STRIDE 8

static void file_path(const struct ptb_wctx *ctx, const char *side, unsigned i,
		      char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s/f%04u", ctx->tmpdir, side, i);
}

/* Deterministic content: xorshift64 seeded by the file's number. */
static void fill_block(uint64_t *state, unsigned char *buf, size_t len)
{
	for (size_t i = 0; i < len; i += 8) {
		uint64_t x = *state;
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		*state = x;
		memcpy(buf + i, &x, len - i < 8 ? len - i : 8);
	}
}

static int write_source(const struct ptb_wctx *ctx, unsigned i, unsigned char *buf,
			struct ptb_err *err)
{
	char path[4096];
	file_path(ctx, "src", i, path, sizeof path);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return ptb_errno(err, "copy: open(%s)", path);
	uint64_t seed = 0x9E3779B97F4A7C15ull * (i + 1), left = ctx->opt[OPT_FILE_SIZE];
	while (left > 0) {
		size_t n = left < BLOCK_BYTES ? (size_t)left : BLOCK_BYTES;
		fill_block(&seed, buf, n);
		if (ptb_write_all(fd, buf, n)) {
			close(fd);
			return ptb_errno(err, "copy: write(%s)", path);
		}
		left -= n;
	}
	if (close(fd) < 0)
		return ptb_errno(err, "copy: close(%s)", path);
	return 0;
}

/* The source and one copy of it, in the driver's temporary directory. */
static void copy_needs(const struct ptb_fit *fit, uint64_t *mem_bytes, uint64_t *disk_bytes)
{
	*mem_bytes = fit->workers * fit->opt[OPT_CHUNK];
	*disk_bytes = 2 * fit->opt[OPT_FILES] * fit->opt[OPT_FILE_SIZE];
}

static int copy_prepare(struct ptb_wctx *ctx, struct ptb_err *err)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/src", ctx->tmpdir);
	if (mkdir(path, 0700) < 0)
		return ptb_errno(err, "copy: mkdir(%s)", path);
	unsigned char *buf = malloc(BLOCK_BYTES);
	if (!buf)
		return ptb_errf(err, "copy: out of memory");
	int rc = 0;
	for (unsigned i = 0; i < ctx->opt[OPT_FILES] && rc == 0; i++)
		rc = write_source(ctx, i, buf, err);
	free(buf);
	return rc;
}

static void copy_unprepare(struct ptb_wctx *ctx)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/src", ctx->tmpdir);
	ptb_rm_rf(path, NULL);
}

static size_t copy_arena_bytes(const struct ptb_wctx *ctx)
{
	return (size_t)ctx->tasks * SLOT_STRIDE * sizeof(uint64_t);
}

static int copy_setup(struct ptb_wctx *ctx, struct ptb_err *err)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/dst", ctx->tmpdir);
	ptb_rm_rf(path, NULL);	/* what a killed repetition may have left */
	if (mkdir(path, 0700) < 0)
		return ptb_errno(err, "copy: mkdir(%s)", path);
	ctx->state = ptb_arena_alloc(ctx->arena, copy_arena_bytes(ctx));
	return ctx->state ? 0 : ptb_errf(err, "copy: shared arena too small");
}

/* The seed's loop: read a chunk, write it, until end of file. */
static int64_t copy_file(const char *from, const char *to, char *buf, size_t chunk)
{
	int in = open(from, O_RDONLY | O_CLOEXEC);
	int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	int64_t total = 0;
	ssize_t n;
	if (in < 0 || out < 0)
		total = -1;
	while (total >= 0 && (n = read(in, buf, chunk)) != 0) {
		if (n < 0 || ptb_write_all(out, buf, (size_t)n))
			total = -1;
		else
			total += n;
	}
	if ((in >= 0 && close(in) < 0) || (out >= 0 && close(out) < 0))
		total = -1;
	return total;
}

static int copy_task(void *arg, unsigned task, unsigned ntasks)
{
	struct ptb_wctx *ctx = arg;
	uint64_t *copied_by_task = ctx->state;
	size_t chunk = (size_t)ctx->opt[OPT_CHUNK];
	char *buf = malloc(chunk);
	char from[4096], to[4096];
	uint64_t copied = 0;
	if (!buf)
		return 1;
	for (unsigned i = task; i < ctx->opt[OPT_FILES]; i += ntasks) {
		file_path(ctx, "src", i, from, sizeof from);
		file_path(ctx, "dst", i, to, sizeof to);
		int64_t n = copy_file(from, to, buf, chunk);
		if (n < 0) {
			free(buf);
			return 2;
		}
		copied += (uint64_t)n;
	}
	free(buf);
	copied_by_task[(size_t)task * SLOT_STRIDE] = copied;
	return 0;
}

/* 1 when the two files hold the same bytes, 0 when not, -1 on error. */
static int same_file(const char *a, const char *b, unsigned char *buf)
{
	int fa = open(a, O_RDONLY | O_CLOEXEC), fb = open(b, O_RDONLY | O_CLOEXEC);
	int same = (fa < 0 || fb < 0) ? -1 : 1;
	while (same == 1) {
		ssize_t na = ptb_read_full(fa, buf, BLOCK_BYTES);
		ssize_t nb = ptb_read_full(fb, buf + BLOCK_BYTES, BLOCK_BYTES);
		if (na < 0 || nb < 0)
			same = -1;
		else if (na != nb || memcmp(buf, buf + BLOCK_BYTES, (size_t)na) != 0)
			same = 0;
		else if (na == 0)
			break;
	}
	if (fa >= 0)
		close(fa);
	if (fb >= 0)
		close(fb);
	return same;
}

static int copy_verify(struct ptb_wctx *ctx, struct ptb_outcome *out, struct ptb_err *err)
{
	const uint64_t *copied_by_task = ctx->state;
	unsigned char *buf = malloc(2 * BLOCK_BYTES);
	char a[4096], b[4096];
	uint64_t copied = 0, expected = ctx->opt[OPT_FILES] * ctx->opt[OPT_FILE_SIZE];
	bool identical = true;
	if (!buf)
		return ptb_errf(err, "copy: out of memory");
	for (unsigned t = 0; t < ctx->tasks; t++)
		copied += copied_by_task[(size_t)t * SLOT_STRIDE];
	for (unsigned i = 0; i < ctx->opt[OPT_FILES] && identical; i++) {
		file_path(ctx, "src", i, a, sizeof a);
		file_path(ctx, "dst", i, b, sizeof b);
		identical = same_file(a, b, buf) == 1;
	}
	free(buf);
	out->ops = expected;
	out->result = (int64_t)copied;
	out->ok = identical && copied == expected;
	return 0;
}

static void copy_teardown(struct ptb_wctx *ctx)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/dst", ctx->tmpdir);
	ptb_rm_rf(path, NULL);
}

static const struct ptb_opt copy_opts[] = {
	[OPT_FILES] = { "files", "16", "number of source files", PTB_OPT_NUM, PTB_UNIT_COUNT,
			1, 100000, NULL },
	[OPT_FILE_SIZE] = { "file-size", "8M", "bytes per file", PTB_OPT_NUM, PTB_UNIT_BYTES,
			    0, UINT64_C(1) << 40, NULL },
	[OPT_CHUNK] = { "chunk", "1024", "bytes per read/write (seed: 1024)", PTB_OPT_NUM,
			PTB_UNIT_BYTES, 1, UINT64_C(1) << 30, NULL },
};

const struct ptb_workload ptb_w_copy = {
	.name = "copy",
	.desc = "the multi-file copier of seed 004: tasks split --files files, copy with read/write of --chunk bytes",
	.ops_unit = "byte",
	.better = PTB_LOWER_IS_BETTER,
	.claims = "C12",
	.py = PTB_PY_IMPL | PTB_PY_EXECUTORS,
	.opts = copy_opts,
	.nopts = 3,
	.needs_bytes = copy_needs,
	.arena_bytes = copy_arena_bytes,
	.prepare = copy_prepare,
	.unprepare = copy_unprepare,
	.setup = copy_setup,
	.task = copy_task,
	.verify = copy_verify,
	.teardown = copy_teardown,
};
