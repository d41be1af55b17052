/* arena.h - the shared-memory arena that workers of every model share.
 *
 * One anonymous shared mapping (mmap MAP_SHARED|MAP_ANONYMOUS) created by
 * the runner before any worker starts.  Threads see it because it is in
 * their address space; forked children see it because a MAP_SHARED
 * mapping stays shared across fork().  Nothing is named, so nothing can be
 * left in /dev/shm: the mapping dies with the last process that maps it.
 * Allocation is a bump pointer; everything is freed at once. */
#ifndef PTB_ARENA_H
#define PTB_ARENA_H

#include <stddef.h>
#include "err.h"

struct ptb_arena {
	unsigned char *base;
	size_t size_bytes;
	size_t used_bytes;
};

int ptb_arena_create(struct ptb_arena *a, size_t size_bytes, struct ptb_err *err);
/* Zeroed memory aligned to 64 bytes (a cache line), or NULL when full. */
void *ptb_arena_alloc(struct ptb_arena *a, size_t size_bytes);
void ptb_arena_destroy(struct ptb_arena *a);

#endif
