/* pyfunc.c - a user's Python function as a workload (pyfunc.h). */
#include "pyfunc.h"

const struct ptb_workload *ptb_pyfunc_workload(const char *ref, struct ptb_err *err)
{
	ptb_errf(err, "py:%s: Python functions are not implemented yet", ref);
	return NULL;
}
