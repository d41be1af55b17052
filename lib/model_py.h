/* model_py.h - what the Python models (lib/model_py.c) lend the pympi
 * model (lib/model_mpi.c), whose mpi4py ranks run the same interpreter and
 * the same module directory (bench/py/). */
#ifndef PTB_MODEL_PY_H
#define PTB_MODEL_PY_H

#include <stddef.h>
#include "err.h"

/* The interpreter: $PTB_PYTHON, else python3 in PATH.  0, or -1 with err. */
int ptb_py_find_python(char *path, size_t len, struct ptb_err *err);
/* ptpy.py: $PTB_PYMODULE, else the installed or the source tree's.  0, or -1. */
int ptb_py_find_module(char *path, size_t len, struct ptb_err *err);
/* Why that interpreter cannot run mpi4py ranks (missing, too old, no
 * mpi4py: one line naming python3-mpi4py and PTB_PYTHON), or NULL. */
const char *ptb_py_mpi_refusal(void);

#endif
