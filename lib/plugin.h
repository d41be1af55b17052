/* plugin.h - a user's workload from a shared object: `-w plugin:PATH.so`.
 *
 * The shared object exports `ptb_plugin_v1` (include/ptbench/plugin.h, the
 * installed header); ptb_plugin_workload loads it and wraps it in a
 * struct ptb_workload, so the models and the runner see it as they see a
 * built-in one (bench/registry.c's ptb_workload_resolve calls it).
 *
 * The wrapper's name is "plugin:NAME", NAME the plugin's own (so rows of
 * the same plugin built in two places group and compare alike; the meta's
 * command line has the path).  Its options are the plugin's, converted to
 * the built-in option table (so the command line parses, checks and
 * writes them as a built-in's); claims NULL, no Python twin; the mpi
 * model runs it when the plugin says its tasks are independent (mpi_ref
 * "plugin:/absolute/path.so" tells the ranks what to dlopen). */
#ifndef PTB_PLUGIN_H
#define PTB_PLUGIN_H

#include "err.h"
#include "workload.h"

#define PTB_PLUGIN_SLOTS 8	/* plugins one run may load */

/* The workload of the plugin at path, or NULL with err set (a missing
 * file, not an ELF shared object, no or a wrong-version symbol, a bad
 * option table).  The same file twice gives the same workload. */
const struct ptb_workload *ptb_plugin_workload(const char *path, struct ptb_err *err);

/* The i-th plugin loaded so far, or NULL past the last (the command line
 * looks their options up). */
const struct ptb_workload *ptb_plugin_loaded(unsigned i);

#endif
