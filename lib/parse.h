/* parse.h - parsing of the numbers and lists given on the command line.
 *
 * Numbers accept plain integers ("1000"), exponent notation ("1e9",
 * "2.5e6", which must come out whole) and a unit suffix.  For counts the
 * suffixes k, M, G are decimal (10M = 10,000,000); for sizes in bytes they
 * are binary (64k = 65,536, 8M = 8 MiB).  Negative values, fractions,
 * trailing junk and values above the caller's maximum are rejected. */
#ifndef PTB_PARSE_H
#define PTB_PARSE_H

#include <stddef.h>
#include <stdint.h>

enum ptb_unit {
	PTB_UNIT_COUNT,	/* k/M/G = 1e3/1e6/1e9 */
	PTB_UNIT_BYTES,	/* k/M/G = 2^10/2^20/2^30 */
};

/* Parse s into *out.  Returns 0, or -1 with a reason ("not a number",
 * "out of range") in why (a static string). */
int ptb_parse_u64(const char *s, enum ptb_unit unit, uint64_t max,
		  uint64_t *out, const char **why);

/* Split a comma-separated list in place: fills items[] with pointers into
 * s and returns their count, or -1 when an item is empty or there are more
 * than max_items. */
int ptb_split_list(char *s, char **items, int max_items);

#endif
