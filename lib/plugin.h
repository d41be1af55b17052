/* plugin.h - a user's workload from a shared object: `-w plugin:PATH.so`.
 *
 * The shared object exports `ptb_plugin_v1` (include/ptbench/plugin.h, the
 * installed header); ptb_plugin_workload loads it and wraps it in a
 * struct ptb_workload, so the models and the runner see it as they see a
 * built-in one (bench/registry.c's ptb_workload_resolve calls it). */
#ifndef PTB_PLUGIN_H
#define PTB_PLUGIN_H

#include "err.h"
#include "workload.h"

/* The workload of the plugin at path, or NULL with err set (a missing
 * file, not an ELF shared object, no or a wrong-version symbol). */
const struct ptb_workload *ptb_plugin_workload(const char *path, struct ptb_err *err);

#endif
