/* sha256.c - an example ptbench plugin: SHA-256 (FIPS 180-4) over a
 * buffer in every task.
 *
 *   cc -shared -fPIC -O2 -I PREFIX/include -o sha256.so sha256.c   (or: make)
 *   ptbench run -w plugin:./sha256.so -m thread,fork -n 1,2 --block 1M
 *
 * setup fills one --block byte buffer in the shared arena (the same bytes
 * every time) and checks the hash code against FIPS 180-4's "abc" vector.
 * Task i hashes the 4 bytes of i followed by the buffer, then --passes - 1
 * more times the previous digest followed by the buffer, and stores its
 * digest in its own slot of the arena.  verify recomputes every digest
 * one after another and compares: result = the tasks whose digest is
 * right, ok when that is all of them.  ops = bytes of the buffer hashed
 * (ns_per_op is ns per byte).  A task needs only the buffer and its own index, so the
 * plugin says its tasks are independent: the mpi model runs it too. */
#include <stdio.h>
#include <string.h>
#include <ptbench/plugin.h>

enum { OPT_BLOCK, OPT_PASSES };

/* ---- SHA-256, FIPS 180-4 ------------------------------------------------- */

struct sha256 {
	uint32_t h[8];
	unsigned char buf[64];
	size_t used;		/* bytes in buf */
	uint64_t bytes;		/* bytes hashed so far */
};

static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t ror(uint32_t x, int n)
{
	return x >> n | x << (32 - n);
}

static void compress(uint32_t h[8], const unsigned char p[64])
{
	uint32_t w[64];
	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (int i = 16; i < 64; i++)
		w[i] = w[i - 16] + (ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ w[i - 15] >> 3) + w[i - 7] +
		       (ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ w[i - 2] >> 10);
	uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
	for (int i = 0; i < 64; i++) {
		uint32_t t1 = k + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
		uint32_t t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
		k = g;
		g = f;
		f = e;
		e = d + t1;
		d = c;
		c = b;
		b = a;
		a = t1 + t2;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
	h[5] += f;
	h[6] += g;
	h[7] += k;
}

static void sha_init(struct sha256 *s)
{
	static const uint32_t h0[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
					0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
	memcpy(s->h, h0, sizeof h0);
	s->used = 0;
	s->bytes = 0;
}

static void sha_update(struct sha256 *s, const unsigned char *p, size_t n)
{
	s->bytes += n;
	while (n) {
		if (s->used == 0 && n >= 64) {
			compress(s->h, p);
			p += 64;
			n -= 64;
			continue;
		}
		size_t k = 64 - s->used < n ? 64 - s->used : n;
		memcpy(s->buf + s->used, p, k);
		s->used += k;
		p += k;
		n -= k;
		if (s->used == 64) {
			compress(s->h, s->buf);
			s->used = 0;
		}
	}
}

static void sha_final(struct sha256 *s, unsigned char out[32])
{
	uint64_t bits = s->bytes * 8;
	unsigned char pad[72] = { 0x80 };
	size_t npad = (s->used < 56 ? 56 : 120) - s->used;
	for (int i = 0; i < 8; i++)
		pad[npad + i] = (unsigned char)(bits >> (56 - 8 * i));
	sha_update(s, pad, npad + 8);
	for (int i = 0; i < 8; i++)
		for (int j = 0; j < 4; j++)
			out[4 * i + j] = (unsigned char)(s->h[i] >> (24 - 8 * j));
}

/* ---- the workload ---------------------------------------------------------- */

/* The arena: the digests (one 64-byte slot per task, so tasks on other
 * cores never write to the same cache line), then the buffer. */
#define SLOT_BYTES 64

static size_t sha_arena_bytes(const struct ptb_plugin_ctx *ctx)
{
	return (size_t)ctx->tasks * SLOT_BYTES + (size_t)ctx->opt[OPT_BLOCK];
}

/* Task index's digest into out: H(i || buf), then H(previous || buf). */
static void task_digest(const struct ptb_plugin_ctx *ctx, unsigned index, unsigned char out[32])
{
	const unsigned char *buf = (const unsigned char *)ctx->arena + (size_t)ctx->tasks * SLOT_BYTES;
	unsigned char first[4] = { (unsigned char)index, (unsigned char)(index >> 8),
				   (unsigned char)(index >> 16), (unsigned char)(index >> 24) };
	struct sha256 s;
	sha_init(&s);
	sha_update(&s, first, sizeof first);
	sha_update(&s, buf, (size_t)ctx->opt[OPT_BLOCK]);
	sha_final(&s, out);
	for (uint64_t p = 1; p < ctx->opt[OPT_PASSES]; p++) {
		sha_init(&s);
		sha_update(&s, out, 32);
		sha_update(&s, buf, (size_t)ctx->opt[OPT_BLOCK]);
		sha_final(&s, out);
	}
}

static int sha_setup(struct ptb_plugin_ctx *ctx)
{
	static const unsigned char abc_digest[32] = {	/* FIPS 180-4 example: SHA-256("abc") */
		0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
		0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
	};
	unsigned char d[32];
	struct sha256 s;
	sha_init(&s);
	sha_update(&s, (const unsigned char *)"abc", 3);
	sha_final(&s, d);
	if (memcmp(d, abc_digest, sizeof d) != 0) {
		snprintf(ctx->error, sizeof ctx->error, "sha256: the FIPS 180-4 'abc' vector fails");
		return 1;
	}
	unsigned char *buf = (unsigned char *)ctx->arena + (size_t)ctx->tasks * SLOT_BYTES;
	uint32_t x = 2463534242u;	/* xorshift32: the same bytes every run */
	for (uint64_t i = 0; i < ctx->opt[OPT_BLOCK]; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		buf[i] = (unsigned char)x;
	}
	return 0;
}

static int sha_task(struct ptb_plugin_ctx *ctx, unsigned index)
{
	task_digest(ctx, index, (unsigned char *)ctx->arena + (size_t)index * SLOT_BYTES);
	return 0;
}

/* Recompute this process's tasks one after another and compare. */
static int sha_verify(struct ptb_plugin_ctx *ctx, struct ptb_plugin_outcome *out)
{
	unsigned right = 0, mine = 0;
	for (unsigned t = ctx->rank; t < ctx->tasks; t += ctx->ranks) {
		unsigned char want[32];
		task_digest(ctx, t, want);
		right += memcmp(want, (unsigned char *)ctx->arena + (size_t)t * SLOT_BYTES, 32) == 0;
		mine++;
	}
	out->ops = (uint64_t)mine * ctx->opt[OPT_PASSES] * ctx->opt[OPT_BLOCK];
	out->result = right;
	out->ok = right == mine;
	if (ctx->rank < ctx->tasks) {
		const unsigned char *d = (const unsigned char *)ctx->arena + (size_t)ctx->rank * SLOT_BYTES;
		snprintf(out->notes, sizeof out->notes, "digest%u=%02x%02x%02x%02x%02x%02x%02x%02x", ctx->rank,
			 d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]);
	}
	return 0;
}

static const struct ptb_plugin_opt sha_opts[] = {
	[OPT_BLOCK] = { "block", "1M", "bytes each task hashes per pass", PTB_PLUGIN_OPT_NUM,
			PTB_PLUGIN_UNIT_BYTES, 1, UINT64_C(1) << 30, NULL },
	[OPT_PASSES] = { "passes", "1", "times each task hashes its block (chained)", PTB_PLUGIN_OPT_NUM,
			 PTB_PLUGIN_UNIT_COUNT, 1, 1000000, NULL },
};

const struct ptb_plugin_v1 ptb_plugin_v1 = {
	.abi_version = PTB_PLUGIN_ABI_VERSION,
	.name = "sha256",
	.description = "SHA-256 (FIPS 180-4) of a --block byte buffer in every task, --passes times",
	.ops_unit = "byte",
	.opts = sha_opts,
	.nopts = sizeof sha_opts / sizeof sha_opts[0],
	.independent = 1,
	.arena_bytes = sha_arena_bytes,
	.setup = sha_setup,
	.task = sha_task,
	.verify = sha_verify,
};
