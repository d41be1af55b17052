/* err.h - a small error buffer passed down the call chain.
 *
 * Functions that can fail take a `struct ptb_err *` and fill it with a
 * one-line message (naming the system call and strerror(errno) where one
 * failed) before returning -1.  The caller decides whether to print it. */
#ifndef PTB_ERR_H
#define PTB_ERR_H

#include <stddef.h>

struct ptb_err {
	char msg[256];
};

/* Format a message into err (if err is not NULL).  Always returns -1 so a
 * failing path can `return ptb_errf(err, ...)`. */
int ptb_errf(struct ptb_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Like ptb_errf, appending ": strerror(errno)". */
int ptb_errno(struct ptb_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Bad input on the command line: print "ptbench: MESSAGE" as one line on
 * stderr and return 2, the exit status of bad input. */
int ptb_bad_input(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
