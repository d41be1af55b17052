/* pystats.h - the Python half of ptbench's statistics, as the binary
 * finds it: the ptb package and an interpreter that can import scipy.
 * `ptbench compare` (compare.c) execs `python -m ptb.runcompare` with
 * them; a run's verdicts (verdict.c) start `python -m ptb.runverdict`.
 *
 *   the package   PREFIX/share/ptbench/ptb when the binary is
 *                 PREFIX/bin/ptbench (make install), else ptb/ in the source
 *                 tree above the binary (build/ptbench), else the
 *                 compiled-in PTB_DATADIR/ptb
 *   an interpreter with scipy   $PTB_PYTHON_STATS when set, then python3 in
 *                 PATH, then /usr/bin/python3: the first that can
 *                 `import scipy` */
#ifndef PTB_PYSTATS_H
#define PTB_PYSTATS_H

#include <stdbool.h>
#include <stddef.h>

/* The directory holding ptb/ (with module_file, e.g. "ptb/runcompare.py")
 * into root; false when none has it (ptb_pystats_no_package says where it
 * looked). */
bool ptb_pystats_package(const char *module_file, char *root, size_t len);
/* Where the package was looked for, for one line of error. */
void ptb_pystats_no_package(const char *module_file, char *buf, size_t len);
/* The first interpreter of the list above that can import scipy (a path or
 * a name in PATH), or NULL (ptb_pystats_no_python says which were asked). */
const char *ptb_pystats_python(void);
/* "none of python3, /usr/bin/python3 can import scipy (install it: ...)". */
void ptb_pystats_no_python(char *buf, size_t len);
/* Put root first on PYTHONPATH and this binary in PTBENCH (the workload
 * facts of ptb.workloads), then exec py -m module args... (args ends with
 * NULL); returns only when it could not: -1 after one line on stderr. */
int ptb_pystats_exec(const char *root, const char *py, const char *module, char *const args[]);

#endif
