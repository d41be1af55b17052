/* pyfunc.h - a user's Python function as a workload: `-w py:MODULE:FUNCTION`
 * or `-w py:path/to/file.py:FUNCTION`.
 *
 * ptb_pyfunc_workload checks the reference (the module imports, the name is
 * callable) and returns a workload that only the Python models run; they
 * pass the reference and the --py-arg values to the Python runner
 * (bench/py/).  bench/registry.c's ptb_workload_resolve calls it. */
#ifndef PTB_PYFUNC_H
#define PTB_PYFUNC_H

#include "err.h"
#include "workload.h"

/* The workload of reference ref (the text after "py:"), or NULL with err
 * set (a module that does not import, a name that is not callable). */
const struct ptb_workload *ptb_pyfunc_workload(const char *ref, struct ptb_err *err);

#endif
