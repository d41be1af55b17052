/* sharedata.h - the data the `share` workload moves and its checksum,
 * shared by bench/w_share.c and the MPI ranks (bench/mpi/rank.c), so both
 * produce and verify exactly the same bytes.
 *
 * Chunk c's bytes are a function of (c, offset): fill() regenerates them
 * anywhere, so the far end can compute the checksum it must see.  The
 * checksum is a Fletcher-like pair of 64-bit sums over 8-byte words.
 *
 * `share --consume none` (the channel alone, no work on the bytes at
 * either end) moves a body filled once before the clock (fill's chunk
 * STAMP_BODY) with chunk c's stamp written over its first and its last
 * 8 bytes: stamp() is all the producer writes per chunk, stamp_fold() all
 * the consumer reads (both stamps and the length).  The MPI ranks always
 * fill and fold every byte (--consume sum). */
#ifndef PTB_SHAREDATA_H
#define PTB_SHAREDATA_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define WORD_MIX UINT64_C(0x9e3779b97f4a7c15)

struct fold {
	uint64_t a, b;
};

static inline void fill(unsigned char *buf, size_t len, uint64_t chunk)
{
	uint64_t base = chunk << 32;
	size_t j = 0;
	for (; j + 8 <= len; j += 8) {
		uint64_t w = (base + j / 8) * WORD_MIX;
		memcpy(buf + j, &w, 8);
	}
	if (j < len) {
		uint64_t w = (base + j / 8) * WORD_MIX;
		memcpy(buf + j, &w, len - j);
	}
}

static inline void fold_update(struct fold *f, const unsigned char *buf, size_t len)
{
	uint64_t a = f->a, b = f->b, w;
	size_t j = 0;
	for (; j + 8 <= len; j += 8) {
		memcpy(&w, buf + j, 8);
		a += w;
		b += a;
	}
	if (j < len) {
		w = 0;
		memcpy(&w, buf + j, len - j);
		a += w;
		b += a;
	}
	f->a = a;
	f->b = b;
}

#define STAMP_BODY UINT64_C(0xffffffff)	/* fill()'s chunk number of the body */

static inline uint64_t stamp_word(uint64_t chunk)
{
	return ~((chunk + 1) * WORD_MIX);
}

/* Write chunk's stamp over the first and the last min(8, len) bytes. */
static inline void stamp(unsigned char *buf, size_t len, uint64_t chunk)
{
	uint64_t w = stamp_word(chunk);
	size_t n = len < 8 ? len : 8;
	memcpy(buf, &w, n);
	memcpy(buf + len - n, &w, n);
}

/* Fold what a consumer reads of a stamped chunk: both stamps, the length. */
static inline void stamp_fold(struct fold *f, const unsigned char *buf, size_t len)
{
	size_t n = len < 8 ? len : 8;
	uint64_t head = 0, tail = 0;
	memcpy(&head, buf, n);
	memcpy(&tail, buf + len - n, n);
	f->a += head ^ (uint64_t)len;
	f->b += f->a;
	f->a += tail;
	f->b += f->a;
}

#endif
