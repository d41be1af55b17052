/* err.c - one-line error messages: formatted into a struct ptb_err, or printed as bad input. */
#include "err.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int ptb_errf(struct ptb_err *err, const char *fmt, ...)
{
	if (!err)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	return -1;
}

int ptb_errno(struct ptb_err *err, const char *fmt, ...)
{
	int saved = errno;
	if (!err)
		return -1;
	char what[192];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	snprintf(err->msg, sizeof err->msg, "%s: %s", what, strerror(saved));
	errno = saved;
	return -1;
}

int ptb_bad_input(const char *fmt, ...)
{
	va_list ap;
	fputs("ptbench: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 2;
}
