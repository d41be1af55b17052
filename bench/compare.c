/* compare.c - `ptbench compare`: find the ptb package and a Python with
 * scipy (pystats.h), then exec `python -m ptb.runcompare` (see compare.h). */
#include "compare.h"

#include <string.h>
#include "pystats.h"

#define MODULE_FILE "ptb/runcompare.py"

void ptb_compare_help(FILE *out)
{
	fputs("Compare:\n"
	      "  ptbench compare OLD NEW [--fail-above RATIO]\n"
	      "OLD and NEW: two runs' CSVs, or their --export-json files.  Per measure\n"
	      "(workload, params, workers, model): both medians, NEW/OLD with its bootstrap\n"
	      "95% CI, the Mann-Whitney p, Cliff's delta and a verdict (better, worse,\n"
	      "unchanged, too few repetitions: p < 0.01 needs 5 a side; new, missing).\n"
	      "  --fail-above RATIO       exit 1 when a measure is significantly worse by more than RATIO\n"
	      "Needs Python 3 with scipy: $PTB_PYTHON_STATS, else python3, else\n"
	      "/usr/bin/python3 (Debian: python3-scipy).  Exit status: 0, 1 a regression\n"
	      "beyond --fail-above, 2 bad input or no Python with scipy.\n", out);
}

void ptb_compare_usage(FILE *out)
{
	fputs("Usage: ptbench compare OLD NEW [--fail-above RATIO]\n\n"
	      "Compares two runs, OLD and NEW (each a ptbench CSV or an --export-json file),\n"
	      "measure by measure: (workload, params, workers, model) and the workload's\n"
	      "measure (time per op, throughput, PSS per worker, survivors).  Per measure:\n"
	      "both medians, NEW/OLD with its bootstrap 95% CI, the two-sided Mann-Whitney p,\n"
	      "Cliff's delta and a verdict (better, worse, unchanged, too few repetitions:\n"
	      "p < 0.01 needs 5 a side; new, missing), by ptb.regress's statistics.\n\n"
	      "  --fail-above RATIO       exit 1 when a measure is significantly worse by more\n"
	      "                           than RATIO (time: NEW/OLD; throughput: OLD/NEW)\n\n"
	      "Needs Python 3 with scipy: $PTB_PYTHON_STATS, else python3, else\n"
	      "/usr/bin/python3 (Debian: python3-scipy); the ptb package from\n"
	      "PREFIX/share/ptbench or the source tree (doc/export.md).\n"
	      "Exit status: 0, 1 a regression beyond --fail-above, 2 bad input or no scipy.\n\n"
	      "Examples:\n"
	      "  ptbench compare before.csv after.csv\n"
	      "      every measure of two runs, with a verdict\n"
	      "  ptbench compare base.json new.json --fail-above 1.10\n"
	      "      exit 1 when a measure got more than 10% worse (CI: --export-json files)\n", out);
}

int ptb_compare_main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			ptb_compare_usage(stdout);
			return 0;
		}
	char root[4096], why[512];
	if (!ptb_pystats_package(MODULE_FILE, root, sizeof root)) {
		ptb_pystats_no_package(MODULE_FILE, why, sizeof why);
		fprintf(stderr, "ptbench: compare: %s\n", why);
		return 2;
	}
	const char *py = ptb_pystats_python();
	if (!py) {
		ptb_pystats_no_python(why, sizeof why);
		fprintf(stderr, "ptbench: compare needs Python 3 with scipy: %s\n", why);
		return 2;
	}
	ptb_pystats_exec(root, py, "ptb.runcompare", argv + 1);
	return 2;
}
