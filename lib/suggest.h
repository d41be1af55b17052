/* suggest.h - "did you mean ...?" for a mistyped name: the closest of a
 * set of known names by edit distance (Levenshtein, with a transposition
 * of two neighbours counting one edit, as git's help does). */
#ifndef PTB_SUGGEST_H
#define PTB_SUGGEST_H

#include <stddef.h>

/* Edits (insert, delete, substitute, swap two neighbours) from a to b;
 * names longer than 63 characters count as far from everything. */
unsigned ptb_edit_distance(const char *a, const char *b);

/* The suggestion state: feed every candidate, then read best (NULL when
 * none is close enough: at most 1 edit for names up to 4 characters, 2
 * up to 8, 3 beyond). */
struct ptb_suggest {
	const char *typed;
	const char *best;
	unsigned dist;
};
void ptb_suggest_init(struct ptb_suggest *s, const char *typed);
void ptb_suggest_add(struct ptb_suggest *s, const char *candidate);

#endif
