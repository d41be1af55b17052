/* hostfile.c - read an Open MPI hostfile (see hostfile.h).  Plain C and
 * libc only: it is also compiled into ptbench-mpi by mpicc. */
#include "hostfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_BYTES 1024
#define MAX_SLOTS 1000000u

/* The value of "key=N" in word into *out; 0, 1 when word is not key=, -1 when N is bad. */
static int keyword(const char *word, const char *key, unsigned *out)
{
	size_t n = strlen(key);
	if (strncmp(word, key, n) != 0 || word[n] != '=')
		return 1;
	char *end;
	errno = 0;
	unsigned long v = strtoul(word + n + 1, &end, 10);
	if (errno || end == word + n + 1 || *end || word[n + 1] == '-' || v == 0 || v > MAX_SLOTS)
		return -1;
	*out = (unsigned)v;
	return 0;
}

/* One word after the host name: slots=N, max_slots=N or max-slots=N. */
static const char *attribute(const char *word, struct ptb_hostfile_entry *e)
{
	unsigned ignored;
	int rc = keyword(word, "slots", &e->slots);
	if (rc == 1)
		rc = keyword(word, "max_slots", &ignored);
	if (rc == 1)
		rc = keyword(word, "max-slots", &ignored);
	if (rc == 1)
		return "unknown attribute";
	return rc ? "slots must be a whole number from 1 to 1000000" : NULL;
}

static const char *host_name_problem(const char *name)
{
	if (strlen(name) >= PTB_HOSTFILE_NAME_BYTES)
		return "host name too long";
	for (const char *c = name; *c; c++)
		if (!(*c == '.' || *c == '-' || *c == '_' || *c == ':' || (*c >= '0' && *c <= '9') ||
		      (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z')))
			return "host name with a character other than letters, digits, '.', '-', '_', ':'";
	return NULL;
}

/* Parse one line (comment already cut) into hf; NULL or why it is bad. */
static const char *parse_line(char *line, unsigned lineno, struct ptb_hostfile *hf, char *word,
			      size_t wlen)
{
	char *save = NULL, *tok = strtok_r(line, " \t\r\n", &save);
	if (!tok)
		return NULL;	/* blank */
	if (hf->nhosts == PTB_HOSTFILE_MAX_HOSTS)
		return "more than 256 hosts";
	struct ptb_hostfile_entry *e = &hf->host[hf->nhosts];
	const char *why = host_name_problem(tok);
	snprintf(word, wlen, "%s", tok);
	if (why)
		return why;
	if (strchr(tok, '='))
		return "a line starts with the host name, not an attribute";
	for (unsigned i = 0; i < hf->nhosts; i++)
		if (strcmp(hf->host[i].name, tok) == 0)
			return "host listed twice";
	*e = (struct ptb_hostfile_entry){ .line = lineno };
	snprintf(e->name, sizeof e->name, "%s", tok);
	while ((tok = strtok_r(NULL, " \t\r\n", &save))) {
		snprintf(word, wlen, "%s", tok);
		if ((why = attribute(tok, e)))
			return why;
	}
	hf->nhosts++;
	return NULL;
}

int ptb_hostfile_read(const char *path, struct ptb_hostfile *hf, char *why, size_t len)
{
	char line[LINE_BYTES], word[LINE_BYTES];
	unsigned lineno = 0;
	FILE *f = fopen(path, "r");
	hf->nhosts = 0;
	if (!f) {
		snprintf(why, len, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof line, f)) {
		lineno++;
		if (!strchr(line, '\n') && !feof(f)) {
			snprintf(why, len, "%s:%u: line longer than %d bytes", path, lineno, LINE_BYTES - 2);
			fclose(f);
			return -1;
		}
		line[strcspn(line, "#")] = '\0';
		word[0] = '\0';
		const char *bad = parse_line(line, lineno, hf, word, sizeof word);
		if (bad) {
			snprintf(why, len, "%s:%u: %s: '%s' (allowed: HOST [slots=N] [max_slots=N], "
				 "# comments)", path, lineno, bad, word);
			fclose(f);
			return -1;
		}
	}
	int read_errno = ferror(f) ? errno : 0;
	fclose(f);
	if (read_errno) {
		snprintf(why, len, "%s: %s", path, strerror(read_errno));
		return -1;
	}
	if (hf->nhosts == 0) {
		snprintf(why, len, "%s: no host listed (allowed: HOST [slots=N] per line)", path);
		return -1;
	}
	return 0;
}

int ptb_hostfile_hosts_arg(const struct ptb_hostfile *hf, unsigned hosts, char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	for (unsigned i = 0; i < hosts && i < hf->nhosts; i++) {
		const struct ptb_hostfile_entry *e = &hf->host[i];
		int n = e->slots ? snprintf(buf + used, len - used, "%s%s:%u", i ? "," : "", e->name,
					    e->slots)
				 : snprintf(buf + used, len - used, "%s%s", i ? "," : "", e->name);
		if (n < 0 || (size_t)n >= len - used)
			return -1;
		used += (size_t)n;
	}
	return 0;
}
