/* signals.h - the driver's handling of SIGINT and SIGTERM.
 *
 * The handler only records the signal; the wait loop in runner.c notices
 * it within 100 ms, kills the current runner's process group, reaps it and
 * returns, and the driver then cleans up and exits 128 + signal.  A second
 * signal while cleaning up is recorded too and changes nothing: cleanup is
 * already as short as it can be. */
#ifndef PTB_SIGNALS_H
#define PTB_SIGNALS_H

#include <signal.h>

extern volatile sig_atomic_t ptb_interrupted;	/* 0, or the signal number */

int ptb_signals_install(void);
/* In a freshly forked runner: default dispositions again. */
void ptb_signals_reset(void);

#endif
