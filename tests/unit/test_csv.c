/* test_csv.c - the CSV writer (lib/csv.h): RFC 4180 quoting of commas,
 * quotes and line breaks, missing counters as empty fields, and exactly
 * PTB_CSV_COLUMNS fields in the header and in every row, checked by
 * parsing the output back with the tests' own strict RFC 4180 splitter. */
#include <CUnit/CUnit.h>
#include <stdlib.h>
#include <string.h>
#include "csv.h"
#include "helpers.h"
#include "suites.h"

/* Parse exactly one record from text; false when it is not one. */
static bool parse_one(const char *text, struct th_record *r)
{
	size_t pos = 0, len = strlen(text);
	if (th_csv_next(text, len, &pos, r) != 1)
		return false;
	return pos == len;
}

static int column(const char *name)
{
	static struct th_record header;
	if (header.nfields == 0 && !parse_one(PTB_CSV_HEADER "\n", &header))
		return -1;
	for (int i = 0; i < header.nfields; i++)
		if (strcmp(header.field[i], name) == 0)
			return i;
	return -1;
}

/* One field written alone, and what it must look like. */
static void check_field(const char *value, const char *want)
{
	struct ptb_line l;
	struct th_record r;
	ptb_line_init(&l);
	ptb_csv_str(&l, value);
	TH_CHECK(strcmp(l.buf, want) == 0, "field [%s] written as [%s], want [%s]", value, l.buf,
		 want);
	ptb_csv_end(&l);
	TH_CHECK(parse_one(l.buf, &r) && r.nfields == 1 && strcmp(r.field[0], value) == 0,
		 "field [%s] does not parse back", value);
}

static void test_quoting(void)
{
	check_field("plain", "plain");
	check_field("", "");
	check_field("a,b", "\"a,b\"");
	check_field("say \"hi\"", "\"say \"\"hi\"\"\"");
	check_field("\"", "\"\"\"\"");
	check_field("line1\nline2", "\"line1\nline2\"");
	check_field("cr\rhere", "\"cr\rhere\"");
	check_field("x=1;y=2", "x=1;y=2");
}

static void test_header(void)
{
	struct th_record r;
	CU_ASSERT_FATAL(parse_one(PTB_CSV_HEADER "\n", &r));
	CU_ASSERT_EQUAL(r.nfields, PTB_CSV_COLUMNS);
	static const char *const required[] = {
		"run_id", "workload", "model", "workers", "params", "rep", "wall_ns", "user_ns",
		"sys_ns", "maxrss_kb", "pss_kb", "vol_cs", "invol_cs", "minflt", "majflt",
		"migrations", "ops", "ns_per_op", "result", "ok",
	};
	for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
		TH_CHECK(column(required[i]) >= 0, "header lacks column %s", required[i]);
}

static struct ptb_sample measured_sample(void)
{
	struct ptb_sample s;
	ptb_sample_clear(&s);
	s.wall_ns = 2000;
	s.user_ns = 1500;
	s.sys_ns = 300;
	s.maxrss_kb = 4096;
	s.vol_cs = 3;
	s.invol_cs = 0;	/* a real 0 must stay 0, not become empty */
	s.minflt = 120;
	s.majflt = 0;
	s.ops = 1000;
	s.result = -5;
	s.has_result = true;
	s.ok = true;
	s.outer_wall_ns = 9000;
	s.steal_ns = 0;	/* measured: none stolen */
	return s;
}

static const char *field(const struct th_record *r, const char *name)
{
	int i = column(name);
	return i >= 0 && i < r->nfields ? r->field[i] : "<no such column>";
}

static void test_row_round_trip(void)
{
	struct ptb_sample s = measured_sample();
	struct ptb_row_key key = { "2024-01-01T00:00:00-42", "copy", "fork",
				   "files=3;note=\"a,b\"\nnext", 4, 7 };
	struct ptb_line l;
	struct th_record r;
	snprintf(s.error, sizeof s.error, "worker 1 said \"no\", then\nstopped");
	ptb_csv_row(&l, &key, &s);
	CU_ASSERT_FALSE(l.overflow);
	CU_ASSERT_FATAL(parse_one(l.buf, &r));
	CU_ASSERT_EQUAL(r.nfields, PTB_CSV_COLUMNS);
	CU_ASSERT_STRING_EQUAL(field(&r, "run_id"), key.run_id);
	CU_ASSERT_STRING_EQUAL(field(&r, "params"), key.params);
	CU_ASSERT_STRING_EQUAL(field(&r, "workers"), "4");
	CU_ASSERT_STRING_EQUAL(field(&r, "rep"), "7");
	CU_ASSERT_STRING_EQUAL(field(&r, "wall_ns"), "2000");
	CU_ASSERT_STRING_EQUAL(field(&r, "invol_cs"), "0");
	CU_ASSERT_STRING_EQUAL(field(&r, "pss_kb"), "");	/* missing */
	CU_ASSERT_STRING_EQUAL(field(&r, "migrations"), "");	/* missing */
	CU_ASSERT_STRING_EQUAL(field(&r, "ops"), "1000");
	CU_ASSERT_STRING_EQUAL(field(&r, "ns_per_op"), "2");
	CU_ASSERT_STRING_EQUAL(field(&r, "result"), "-5");
	CU_ASSERT_STRING_EQUAL(field(&r, "ok"), "1");
	CU_ASSERT_STRING_EQUAL(field(&r, "steal_ns"), "0");
	CU_ASSERT_STRING_EQUAL(field(&r, "error"), s.error);
}

/* A failed repetition: every counter missing, no result. */
static void test_row_all_missing(void)
{
	struct ptb_sample s;
	struct ptb_row_key key = { "id", "cpu", "thread", "steps=1000", 1, 0 };
	struct ptb_line l;
	struct th_record r;
	static const char *const empty[] = {
		"wall_ns", "user_ns", "sys_ns", "maxrss_kb", "pss_kb", "vol_cs", "invol_cs",
		"minflt", "majflt", "migrations", "ops", "ns_per_op", "result", "outer_wall_ns",
		"steal_ns",
	};
	ptb_sample_clear(&s);
	snprintf(s.error, sizeof s.error, "runner killed by SIGSEGV");
	ptb_csv_row(&l, &key, &s);
	CU_ASSERT_FATAL(parse_one(l.buf, &r));
	CU_ASSERT_EQUAL(r.nfields, PTB_CSV_COLUMNS);
	for (size_t i = 0; i < sizeof empty / sizeof empty[0]; i++)
		TH_CHECK(strcmp(field(&r, empty[i]), "") == 0, "missing %s written as '%s'", empty[i],
			 field(&r, empty[i]));
	CU_ASSERT_STRING_EQUAL(field(&r, "ok"), "0");
	CU_ASSERT_STRING_EQUAL(field(&r, "error"), "runner killed by SIGSEGV");
}

/* Measured, but no result (verify did not run): ops and result empty. */
static void test_row_no_result(void)
{
	struct ptb_sample s = measured_sample();
	struct ptb_row_key key = { "id", "cpu", "thread", "", 2, 1 };
	struct ptb_line l;
	struct th_record r;
	s.has_result = false;
	s.ok = false;
	ptb_csv_row(&l, &key, &s);
	CU_ASSERT_FATAL(parse_one(l.buf, &r));
	CU_ASSERT_EQUAL(r.nfields, PTB_CSV_COLUMNS);
	CU_ASSERT_STRING_EQUAL(field(&r, "params"), "");
	CU_ASSERT_STRING_EQUAL(field(&r, "ops"), "");
	CU_ASSERT_STRING_EQUAL(field(&r, "ns_per_op"), "");
	CU_ASSERT_STRING_EQUAL(field(&r, "result"), "");
	CU_ASSERT_STRING_EQUAL(field(&r, "wall_ns"), "2000");
}

/* Several rows one after another parse as that many complete records. */
static void test_many_rows(void)
{
	char text[16384] = PTB_CSV_HEADER "\n";
	struct th_record r;
	size_t pos = 0;
	int rows = 0, rc;
	for (unsigned rep = 0; rep < 5; rep++) {
		struct ptb_sample s = measured_sample();
		struct ptb_row_key key = { "id", "counter", "procpool", "lock=none,\"odd\"", 3, rep };
		struct ptb_line l;
		if (rep % 2)
			ptb_sample_clear(&s);
		ptb_csv_row(&l, &key, &s);
		strncat(text, l.buf, sizeof text - strlen(text) - 1);
	}
	while ((rc = th_csv_next(text, strlen(text), &pos, &r)) == 1) {
		TH_CHECK(r.nfields == PTB_CSV_COLUMNS, "record %d has %d fields", rows, r.nfields);
		rows++;
	}
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_EQUAL(rows, 6);
}

/* A row that does not fit is flagged, so the driver never writes half. */
static void test_overflow(void)
{
	char *params = malloc(4000);
	struct ptb_sample s = measured_sample();
	struct ptb_line l;
	CU_ASSERT_FATAL(params != NULL);
	memset(params, 'p', 3999);
	params[3999] = '\0';
	struct ptb_row_key key = { "id", "cpu", "thread", params, 1, 0 };
	ptb_csv_row(&l, &key, &s);
	CU_ASSERT_TRUE(l.overflow);
	CU_ASSERT_TRUE(l.len < sizeof l.buf);
	free(params);
}

/* The splitter itself rejects what is not a complete RFC 4180 record. */
static void test_splitter(void)
{
	struct th_record r;
	CU_ASSERT_FALSE(parse_one("a,b", &r));		/* no newline */
	CU_ASSERT_FALSE(parse_one("\"a,b\n", &r));	/* open quote */
	CU_ASSERT_FALSE(parse_one("a\"b\n", &r));	/* quote in unquoted field */
	CU_ASSERT_FALSE(parse_one("\"a\"b\n", &r));	/* text after closing quote */
	CU_ASSERT_TRUE(parse_one("a,,\"\"\r\n", &r) && r.nfields == 3 && !strcmp(r.field[1], "") &&
		       !strcmp(r.field[2], ""));
}

int th_add_csv_suite(void)
{
	CU_pSuite s = CU_add_suite("CSV writer", NULL, NULL);
	if (!s || !CU_add_test(s, "RFC 4180 quoting of single fields", test_quoting) ||
	    !CU_add_test(s, "header has PTB_CSV_COLUMNS named columns", test_header) ||
	    !CU_add_test(s, "a measured row parses back field by field", test_row_round_trip) ||
	    !CU_add_test(s, "missing counters are empty fields", test_row_all_missing) ||
	    !CU_add_test(s, "a row without a result", test_row_no_result) ||
	    !CU_add_test(s, "many rows, every one complete", test_many_rows) ||
	    !CU_add_test(s, "an overlong row is flagged", test_overflow) ||
	    !CU_add_test(s, "the test's splitter is strict", test_splitter))
		return -1;
	return 0;
}
