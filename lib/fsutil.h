/* fsutil.h - small file-system helpers: recursive removal and whole writes. */
#ifndef PTB_FSUTIL_H
#define PTB_FSUTIL_H

#include <stddef.h>
#include <sys/types.h>
#include "err.h"

/* Remove path and everything below it; missing is not an error. */
int ptb_rm_rf(const char *path, struct ptb_err *err);
/* write() all of buf, retrying short writes and EINTR. */
int ptb_write_all(int fd, const void *buf, size_t len);
/* read() up to len bytes, retrying short reads and EINTR; returns bytes read. */
ssize_t ptb_read_full(int fd, void *buf, size_t len);

#endif
