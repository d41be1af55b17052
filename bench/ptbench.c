/* ptbench.c - main: the subcommands `run`, `list`, `help`, `--help`,
 * `--version`; `ptbench CMD --help` (or -h anywhere among CMD's
 * arguments) prints CMD's usage and examples. */
#include <stdio.h>
#include <string.h>
#include "cli.h"
#include "compare.h"
#include "driver.h"
#include "signals.h"
#include "suggest.h"

int main(int argc, char **argv)
{
	if (argc < 2) {
		ptb_cli_help(stderr);
		return 2;
	}
	const char *cmd = argv[1];
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || (!strcmp(cmd, "help") && argc == 2)) {
		ptb_cli_help(stdout);
		return 0;
	}
	if (!strcmp(cmd, "--version")) {
		printf("ptbench %s\n", PTB_VERSION);
		return 0;
	}
	if (!strcmp(cmd, "compare"))	/* bench/compare.h: its own --help */
		return ptb_compare_main(argc - 1, argv + 1);
	if (!strcmp(cmd, "help") && argc > 2) {
		if (ptb_cli_command_help(argv[2], stdout) == 0)
			return 0;
		fprintf(stderr, "ptbench: help: unknown command '%s' (allowed: run, list, compare)\n", argv[2]);
		return 2;
	}
	for (int i = 2; i < argc; i++)
		if ((!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) &&
		    ptb_cli_command_help(cmd, stdout) == 0)
			return 0;
	if (!strcmp(cmd, "list"))
		return ptb_cli_list(argc - 1, argv + 1, stdout);
	if (strcmp(cmd, "run") != 0) {
		struct ptb_suggest sg;
		ptb_suggest_init(&sg, cmd);
		ptb_suggest_add(&sg, "run");
		ptb_suggest_add(&sg, "list");
		ptb_suggest_add(&sg, "help");
		ptb_suggest_add(&sg, "compare");
		fprintf(stderr, "ptbench: unknown command '%s' (%s%s%sallowed: run, list, compare, help, "
			"--help, --version)\n", cmd, sg.best ? "did you mean " : "", sg.best ? sg.best : "",
			sg.best ? "? " : "");
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
