/* pyfunc.h - a user's Python function as a workload: `-w py:MODULE:FUNCTION`
 * or `-w py:path/to/file.py:FUNCTION`, with `--py-arg KEY=VALUE` for its
 * keyword arguments.
 *
 * ptb_pyfunc_workload checks the reference with the Python models'
 * interpreter (the module imports, the name is callable, the arguments fit
 * it) and returns a workload that only the Python models run; they pass
 * the reference and the --py-arg values to the Python runner (bench/py/,
 * ptpy_userfn.py).  bench/registry.c's ptb_workload_resolve calls it;
 * bench/cli.c hands it every --py-arg first. */
#ifndef PTB_PYFUNC_H
#define PTB_PYFUNC_H

#include <stdbool.h>
#include "err.h"
#include "workload.h"

/* The workload of reference ref (the text after "py:"), or NULL with err
 * set (a module that does not import, a name that is not callable).  The
 * same reference twice gives the same workload. */
const struct ptb_workload *ptb_pyfunc_workload(const char *ref, struct ptb_err *err);

/* One --py-arg KEY=VALUE (text as typed; it must outlive the run, as
 * argv does): 0, or -1 with err (not KEY=VALUE, KEY not a Python name or
 * given twice, a value with ';' or control characters, too many). */
int ptb_pyfunc_add_arg(const char *text, struct ptb_err *err);

/* How many --py-arg were given. */
unsigned ptb_pyfunc_nargs(void);

/* Forget every --py-arg and py: workload: a new command line is parsed
 * (bench/cli.c; the fuzzer parses many in one process). */
void ptb_pyfunc_reset(void);

/* Is wl a user's Python function (named "py:...")? */
bool ptb_is_pyfunc(const struct ptb_workload *wl);

/* What the Python runner is told to run: for a py: workload (named
 * py:MODULE:FUNCTION) its reference with the file's absolute path
 * ("py:/abs/dir/file.py:FUNCTION", or the module's name), else the name. */
const char *ptb_pyfunc_ref(const struct ptb_workload *wl);

#endif
