/* fuzz_cli.c - libFuzzer target for the number parser, the list splitter
 * and the whole `ptbench run` command-line parser.
 *
 * The input is split on NUL bytes into argv.  The first byte chooses what
 * is fuzzed: the size parser (both units), the list splitter, or the CLI
 * parser, which must answer 0 or 2 and never crash, overrun or leak.
 * Build and run: `make fuzz` (clang, -fsanitize=fuzzer,address,undefined). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include "cli.h"
#include "parse.h"

#define MAX_ARGS 32

/* The CLI's one-line errors would drown libFuzzer's own output: send
 * stderr to /dev/null around the call only. */
static int parse_quietly(int argc, char **argv, struct ptb_plan *plan)
{
	static int devnull = -1;
	if (devnull < 0 && !getenv("FUZZ_VERBOSE"))
		devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	int saved = dup(STDERR_FILENO);
	if (devnull >= 0)
		dup2(devnull, STDERR_FILENO);
	int rc = ptb_cli_parse(argc, argv, plan);
	fflush(stderr);
	if (saved >= 0) {
		dup2(saved, STDERR_FILENO);
		close(saved);
	}
	return rc;
}

static void fuzz_number(const char *s)
{
	uint64_t v;
	const char *why;
	if (ptb_parse_u64(s, PTB_UNIT_COUNT, UINT64_MAX, &v, &why) == 0 && strlen(s) == 0)
		abort();	/* the empty string is never a number */
	ptb_parse_u64(s, PTB_UNIT_BYTES, 1000, &v, &why);
}

static void fuzz_list(char *s)
{
	char *items[8];
	int n = ptb_split_list(s, items, 8);
	for (int i = 0; i < n; i++)
		if (items[i][0] == '\0' || strchr(items[i], ','))
			abort();	/* items are never empty nor hold a comma */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 4096)
		return 0;
	char *buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data + 1, size - 1);
	buf[size - 1] = '\0';
	char *argv[MAX_ARGS + 1];
	int argc = 0;
	argv[argc++] = "run";
	for (char *p = buf; p < buf + size - 1 && argc < MAX_ARGS; p += strlen(p) + 1)
		argv[argc++] = p;
	argv[argc] = NULL;
	switch (data[0] % 3) {
	case 0:
		fuzz_number(buf);
		break;
	case 1:
		fuzz_list(buf);
		break;
	default: {
		struct ptb_plan *plan = malloc(sizeof *plan);
		if (plan) {
			int rc = parse_quietly(argc, argv, plan);
			if (rc != 0 && rc != 2)
				abort();
			free(plan);
		}
	}
	}
	free(buf);
	return 0;
}
