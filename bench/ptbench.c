/* ptbench.c - main: the subcommands `run`, `list`, `--help`, `--version`. */
#include <stdio.h>
#include <string.h>
#include "cli.h"
#include "driver.h"
#include "signals.h"

int main(int argc, char **argv)
{
	if (argc < 2) {
		ptb_cli_help(stderr);
		return 2;
	}
	const char *cmd = argv[1];
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
		ptb_cli_help(stdout);
		return 0;
	}
	if (!strcmp(cmd, "--version")) {
		printf("ptbench %s\n", PTB_VERSION);
		return 0;
	}
	if (!strcmp(cmd, "list"))
		return ptb_cli_list(argc - 1, argv + 1, stdout);
	if (strcmp(cmd, "run") != 0) {
		fprintf(stderr, "ptbench: unknown command '%s' (allowed: run, list, --help, --version)\n", cmd);
		return 2;
	}
	/* first, so a signal during parsing is recorded, not fatal */
	if (ptb_signals_install()) {
		perror("ptbench: sigaction");
		return 1;
	}
	struct ptb_plan plan;
	if (ptb_cli_parse(argc - 1, argv + 1, &plan))
		return 2;
	return ptb_drive(&plan);
}
