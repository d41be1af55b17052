/* arena.c - bump allocator over one anonymous shared mapping. */
#include "arena.h"

#include <string.h>
#include <sys/mman.h>

#define ARENA_ALIGN 64

int ptb_arena_create(struct ptb_arena *a, size_t size_bytes, struct ptb_err *err)
{
	memset(a, 0, sizeof *a);
	if (size_bytes == 0)
		size_bytes = ARENA_ALIGN;
	void *p = mmap(NULL, size_bytes, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return ptb_errno(err, "mmap(MAP_SHARED|MAP_ANONYMOUS, %zu bytes)", size_bytes);
	a->base = p;
	a->size_bytes = size_bytes;
	return 0;
}

void *ptb_arena_alloc(struct ptb_arena *a, size_t size_bytes)
{
	size_t start = (a->used_bytes + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (start > a->size_bytes || size_bytes > a->size_bytes - start)
		return NULL;
	a->used_bytes = start + size_bytes;
	return a->base + start;	/* fresh anonymous pages are already zero */
}

void ptb_arena_destroy(struct ptb_arena *a)
{
	if (a->base)
		munmap(a->base, a->size_bytes);
	memset(a, 0, sizeof *a);
}
