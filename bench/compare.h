/* compare.h - `ptbench compare OLD NEW [--fail-above RATIO]`: two runs
 * (ptbench CSVs, or --export-json files) measure by measure, by the
 * statistics of ptb.regress (ptb/runcompare.py, Python with scipy).
 *
 * The C side only finds what the comparison needs and execs it
 * (pystats.h): the ptb package (installed, or the source tree above the
 * binary) and an interpreter that can `import scipy` ($PTB_PYTHON_STATS,
 * python3, /usr/bin/python3); none: one line saying what to install,
 * exit 2. */
#ifndef PTB_COMPARE_H
#define PTB_COMPARE_H

#include <stdio.h>

/* argv[0] is "compare"; returns the exit status when it does not exec. */
int ptb_compare_main(int argc, char **argv);
/* The Compare section of --help (and the man page made from it). */
void ptb_compare_help(FILE *out);
/* `ptbench compare --help`: its usage and examples. */
void ptb_compare_usage(FILE *out);

#endif
