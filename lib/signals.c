/* signals.c - record SIGINT/SIGTERM for the driver's loops to act on. */
#include "signals.h"

#include <string.h>

volatile sig_atomic_t ptb_interrupted;

static void on_signal(int sig)
{
	ptb_interrupted = sig;
}

int ptb_signals_install(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGINT, &sa, NULL) < 0 || sigaction(SIGTERM, &sa, NULL) < 0 ||
	    sigaction(SIGHUP, &sa, NULL) < 0)
		return -1;
	return 0;
}

void ptb_signals_reset(void)
{
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
}
