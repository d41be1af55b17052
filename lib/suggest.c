/* suggest.c - the closest known name to a mistyped one (suggest.h). */
#include "suggest.h"

#include <string.h>

#define MAX_NAME 64

unsigned ptb_edit_distance(const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b);
	unsigned d[MAX_NAME + 1][MAX_NAME + 1];
	if (n > MAX_NAME - 1 || m > MAX_NAME - 1)
		return 1000;
	for (size_t i = 0; i <= n; i++)
		d[i][0] = (unsigned)i;
	for (size_t j = 0; j <= m; j++)
		d[0][j] = (unsigned)j;
	for (size_t i = 1; i <= n; i++) {
		for (size_t j = 1; j <= m; j++) {
			unsigned cost = a[i - 1] != b[j - 1];
			unsigned best = d[i - 1][j - 1] + cost;
			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[n][m];
}

void ptb_suggest_init(struct ptb_suggest *s, const char *typed)
{
	s->typed = typed;
	s->best = NULL;
	s->dist = 0;
}

void ptb_suggest_add(struct ptb_suggest *s, const char *candidate)
{
	size_t len = strlen(s->typed);
	unsigned limit = len <= 4 ? 1 : len <= 8 ? 2 : 3;
	unsigned dist = ptb_edit_distance(s->typed, candidate);
	if (dist == 0 || dist > limit || (s->best && dist >= s->dist))
		return;
	s->best = candidate;
	s->dist = dist;
}
