/* csv.c - RFC 4180 field quoting and the row layout of PTB_CSV_HEADER. */
#include "csv.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

void ptb_line_init(struct ptb_line *l)
{
	l->len = 0;
	l->fields = 0;
	l->overflow = 0;
	l->buf[0] = '\0';
}

static void put_char(struct ptb_line *l, char c)
{
	if (l->len + 1 >= sizeof l->buf) {
		l->overflow = 1;
		return;
	}
	l->buf[l->len++] = c;
	l->buf[l->len] = '\0';
}

static void put_sep(struct ptb_line *l)
{
	if (l->fields++ > 0)
		put_char(l, ',');
}

void ptb_csv_str(struct ptb_line *l, const char *s)
{
	put_sep(l);
	if (!s)
		return;
	int quote = strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		put_char(l, '"');
	for (; *s; s++) {
		if (*s == '"')
			put_char(l, '"');
		put_char(l, *s);
	}
	if (quote)
		put_char(l, '"');
}

void ptb_csv_i64(struct ptb_line *l, int64_t v)
{
	char num[32];
	if (v == PTB_MISSING) {
		ptb_csv_str(l, "");
		return;
	}
	snprintf(num, sizeof num, "%" PRId64, v);
	ptb_csv_str(l, num);
}

void ptb_csv_u64(struct ptb_line *l, uint64_t v)
{
	char num[32];
	snprintf(num, sizeof num, "%" PRIu64, v);
	ptb_csv_str(l, num);
}

void ptb_csv_end(struct ptb_line *l)
{
	put_char(l, '\n');
	l->fields = 0;
}

double ptb_ns_per_op(const struct ptb_sample *s)
{
	if (s->wall_ns == PTB_MISSING || s->ops == 0)
		return -1.0;
	return (double)s->wall_ns / (double)s->ops;
}

void ptb_csv_row(struct ptb_line *l, const struct ptb_row_key *k, const struct ptb_sample *s)
{
	char num[48];
	bool measured = s->wall_ns != PTB_MISSING;
	ptb_line_init(l);
	ptb_csv_str(l, k->run_id);
	ptb_csv_str(l, k->workload);
	ptb_csv_str(l, k->model);
	ptb_csv_u64(l, k->workers);
	ptb_csv_str(l, k->params);
	ptb_csv_u64(l, k->rep);
	ptb_csv_i64(l, s->wall_ns);
	ptb_csv_i64(l, s->user_ns);
	ptb_csv_i64(l, s->sys_ns);
	ptb_csv_i64(l, s->maxrss_kb);
	ptb_csv_i64(l, s->pss_kb);
	ptb_csv_i64(l, s->vol_cs);
	ptb_csv_i64(l, s->invol_cs);
	ptb_csv_i64(l, s->minflt);
	ptb_csv_i64(l, s->majflt);
	ptb_csv_i64(l, s->migrations);
	if (measured && s->has_result)
		ptb_csv_u64(l, s->ops);
	else
		ptb_csv_str(l, "");
	double nspo = ptb_ns_per_op(s);
	if (nspo >= 0 && s->has_result)
		snprintf(num, sizeof num, "%.6g", nspo);
	else
		num[0] = '\0';
	ptb_csv_str(l, num);
	ptb_csv_i64(l, s->has_result ? s->result : PTB_MISSING);
	ptb_csv_str(l, s->ok ? "1" : "0");
	ptb_csv_i64(l, s->outer_wall_ns);
	ptb_csv_i64(l, s->steal_ns);
	ptb_csv_str(l, s->error);
	ptb_csv_str(l, s->notes);
	ptb_csv_end(l);
}
