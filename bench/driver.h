/* driver.h - carry out a validated plan: every repetition of every
 * configuration, interleaved across models, into the CSV and meta. */
#ifndef PTB_DRIVER_H
#define PTB_DRIVER_H

#include "cli.h"

/* Returns the process exit status: 0, 1 (a repetition failed), 2 (the
 * output could not be created), 128+signal when interrupted. */
int ptb_drive(const struct ptb_plan *plan);

#endif
