/* test_parse.c - number and list parsing (lib/parse.h): exponents, unit
 * suffixes (decimal for counts, binary for bytes), and the inputs that
 * must be refused: fractions, negatives, junk, overflow, above the bound;
 * comma lists with empty items. */
#include <CUnit/CUnit.h>
#include <stdint.h>
#include <string.h>
#include "helpers.h"
#include "parse.h"
#include "suites.h"

static void accepts(const char *s, enum ptb_unit unit, uint64_t max, uint64_t want)
{
	uint64_t v = 0;
	const char *why = "";
	int rc = ptb_parse_u64(s, unit, max, &v, &why);
	TH_CHECK(rc == 0 && v == want, "'%s' (%s): rc=%d value=%llu (%s), want %llu", s,
		 unit == PTB_UNIT_BYTES ? "bytes" : "count", rc, (unsigned long long)v, why,
		 (unsigned long long)want);
}

/* Refused, with `reason` in why (NULL: any reason). */
static void refuses(const char *s, enum ptb_unit unit, uint64_t max, const char *reason)
{
	uint64_t v = 0;
	const char *why = NULL;
	int rc = ptb_parse_u64(s, unit, max, &v, &why);
	TH_CHECK(rc == -1, "'%s' accepted as %llu", s ? s : "(null)", (unsigned long long)v);
	TH_CHECK(why != NULL && why[0] != '\0', "'%s': no reason given", s ? s : "(null)");
	if (reason && why)
		TH_CHECK(strcmp(why, reason) == 0, "'%s': reason '%s', want '%s'", s ? s : "(null)",
			 why, reason);
}

static void test_plain_and_exponent(void)
{
	accepts("0", PTB_UNIT_COUNT, UINT64_MAX, 0);
	accepts("1000", PTB_UNIT_COUNT, UINT64_MAX, 1000);
	accepts("1e9", PTB_UNIT_COUNT, UINT64_MAX, 1000000000);
	accepts("1E3", PTB_UNIT_COUNT, UINT64_MAX, 1000);
	accepts("2.5e6", PTB_UNIT_COUNT, UINT64_MAX, 2500000);
	accepts("1.5e1", PTB_UNIT_COUNT, UINT64_MAX, 15);
	accepts("1e0", PTB_UNIT_COUNT, UINT64_MAX, 1);
	accepts("1.0", PTB_UNIT_COUNT, UINT64_MAX, 1);
	accepts("18446744073709551615", PTB_UNIT_COUNT, UINT64_MAX, UINT64_MAX);
	accepts("1e18", PTB_UNIT_COUNT, UINT64_MAX, UINT64_C(1000000000000000000));
}

static void test_suffixes(void)
{
	accepts("10M", PTB_UNIT_COUNT, UINT64_MAX, 10000000);
	accepts("10m", PTB_UNIT_COUNT, UINT64_MAX, 10000000);
	accepts("2k", PTB_UNIT_COUNT, UINT64_MAX, 2000);
	accepts("3G", PTB_UNIT_COUNT, UINT64_MAX, 3000000000);
	accepts("64k", PTB_UNIT_BYTES, UINT64_MAX, 65536);
	accepts("8M", PTB_UNIT_BYTES, UINT64_MAX, 8388608);
	accepts("1G", PTB_UNIT_BYTES, UINT64_MAX, 1073741824);
	accepts("1.5k", PTB_UNIT_BYTES, UINT64_MAX, 1536);
	accepts("2.5k", PTB_UNIT_COUNT, UINT64_MAX, 2500);
}

static void test_refused(void)
{
	refuses("1.5", PTB_UNIT_COUNT, UINT64_MAX, "not a whole number");
	refuses("0.1k", PTB_UNIT_BYTES, UINT64_MAX, "not a whole number");	/* 102.4 */
	refuses("1e30", PTB_UNIT_COUNT, UINT64_MAX, "out of range");
	refuses("1e19", PTB_UNIT_COUNT, UINT64_MAX, "out of range");
	refuses("18446744073709551616", PTB_UNIT_COUNT, UINT64_MAX, "out of range");
	refuses("99999999999999999999999", PTB_UNIT_COUNT, UINT64_MAX, "out of range");
	refuses("20000000000G", PTB_UNIT_COUNT, UINT64_MAX, "out of range");
	refuses("-1", PTB_UNIT_COUNT, UINT64_MAX, "not a number");
	refuses("+1", PTB_UNIT_COUNT, UINT64_MAX, "not a number");
	refuses("", PTB_UNIT_COUNT, UINT64_MAX, "not a number");
	refuses(NULL, PTB_UNIT_COUNT, UINT64_MAX, "not a number");
	refuses("abc", PTB_UNIT_COUNT, UINT64_MAX, "not a number");
	refuses("10X", PTB_UNIT_COUNT, UINT64_MAX, "not a number");
	refuses("10kk", PTB_UNIT_COUNT, UINT64_MAX, "not a number");
	refuses("1e", PTB_UNIT_COUNT, UINT64_MAX, "not a number");
	refuses("1e-3", PTB_UNIT_COUNT, UINT64_MAX, "not a number");
	refuses(" 1", PTB_UNIT_COUNT, UINT64_MAX, "not a number");
	refuses("1 ", PTB_UNIT_COUNT, UINT64_MAX, "not a number");
	refuses(".", PTB_UNIT_COUNT, UINT64_MAX, "not a number");
}

static void test_max_bound(void)
{
	accepts("100", PTB_UNIT_COUNT, 100, 100);
	refuses("101", PTB_UNIT_COUNT, 100, "out of range");
	accepts("1k", PTB_UNIT_BYTES, 1024, 1024);
	refuses("1025", PTB_UNIT_BYTES, 1024, "out of range");
	refuses("1e3", PTB_UNIT_COUNT, 999, "out of range");
	accepts("0", PTB_UNIT_COUNT, 0, 0);
	refuses("1", PTB_UNIT_COUNT, 0, "out of range");
}

/* Split a copy of s; returns the count and fills out[] with the items. */
static int split(const char *s, char buf[256], char **items, int max)
{
	snprintf(buf, 256, "%s", s);
	return ptb_split_list(buf, items, max);
}

static void test_lists(void)
{
	char buf[256], *items[8];
	CU_ASSERT_EQUAL(split("1", buf, items, 8), 1);
	CU_ASSERT_STRING_EQUAL(items[0], "1");
	CU_ASSERT_EQUAL_FATAL(split("1,2,4", buf, items, 8), 3);
	CU_ASSERT_STRING_EQUAL(items[0], "1");
	CU_ASSERT_STRING_EQUAL(items[1], "2");
	CU_ASSERT_STRING_EQUAL(items[2], "4");
	CU_ASSERT_EQUAL(split("thread,fork", buf, items, 2), 2);
	CU_ASSERT_EQUAL(split("", buf, items, 8), -1);
	CU_ASSERT_EQUAL(split(",", buf, items, 8), -1);
	CU_ASSERT_EQUAL(split("1,,2", buf, items, 8), -1);
	CU_ASSERT_EQUAL(split(",1", buf, items, 8), -1);
	CU_ASSERT_EQUAL(split("1,", buf, items, 8), -1);
	CU_ASSERT_EQUAL(split("1,2,3", buf, items, 2), -1);	/* more than max_items */
}

int th_add_parse_suite(void)
{
	CU_pSuite s = CU_add_suite("number and list parsing", NULL, NULL);
	if (!s || !CU_add_test(s, "plain numbers and exponents", test_plain_and_exponent) ||
	    !CU_add_test(s, "k/M/G: decimal counts, binary bytes", test_suffixes) ||
	    !CU_add_test(s, "fractions, negatives, junk and overflow refused", test_refused) ||
	    !CU_add_test(s, "the caller's maximum", test_max_bound) ||
	    !CU_add_test(s, "comma lists and empty items", test_lists))
		return -1;
	return 0;
}
