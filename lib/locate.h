/* locate.h - where ptbench's own helpers are: the programs it runs
 * (ptbench-worker, ptbench-mpi, the MPI host scripts) and the Python
 * runner.  Two layouts, so that neither needs an environment variable:
 *
 *   installed   PREFIX/bin/ptbench finds PREFIX/libexec/ptbench/NAME and
 *               PREFIX/share/ptbench/... (`make install`)
 *   build tree  a program beside the binary (build/ptbench-worker), a file
 *               of the source tree found upward from the binary
 *               (bench/py/ptpy.py above build/asan/ptbench)
 *
 * The variables that name a helper (PTBENCH_WORKER, PTB_PYMODULE, ...)
 * are read by the callers before these. */
#ifndef PTB_LOCATE_H
#define PTB_LOCATE_H

#include <stddef.h>
#include "err.h"

/* Where `make install` puts the helpers, below PREFIX. */
#define PTB_LIBEXEC_REL "libexec/ptbench"
#define PTB_SHARE_REL "share/ptbench"

/* The directory of the running binary (/proc/self/exe) into dir. */
int ptb_self_dir(char *dir, size_t len, struct ptb_err *err);
/* The helper program name: PREFIX/libexec/ptbench/NAME when the binary is
 * PREFIX/bin/ptbench and that exists, else NAME beside the binary.  The
 * path is set even when neither is executable (for the message); returns
 * 0, or -1 with err naming both places. */
int ptb_locate_program(const char *name, char *path, size_t len, struct ptb_err *err);
/* A file: PREFIX/prefix_rel when it exists (installed), else tree_rel in
 * the directories up to 4 levels above the binary's (the source tree).
 * Returns 0, or -1 with err naming both. */
int ptb_locate_file(const char *tree_rel, const char *prefix_rel, char *path, size_t len,
		    struct ptb_err *err);

#endif
