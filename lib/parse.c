/* parse.c - numbers with exponents and unit suffixes, comma lists. */
#include "parse.h"

#include <ctype.h>
#include <string.h>

/* Digits with an optional fraction, as a whole part and a fraction part
 * kept exactly (up to 18 fraction digits), so "2.5e6" is exact. */
struct decimal {
	uint64_t whole;
	uint64_t frac;		/* the fraction's digits as an integer */
	int frac_digits;
};

static int mul_ok(uint64_t a, uint64_t b, uint64_t *out)
{
	if (a != 0 && b > UINT64_MAX / a)
		return -1;
	*out = a * b;
	return 0;
}

static int read_decimal(const char **p, struct decimal *d)
{
	const char *s = *p;
	int digits = 0;
	memset(d, 0, sizeof *d);
	for (; isdigit((unsigned char)*s); s++, digits++)
		if (mul_ok(d->whole, 10, &d->whole) || d->whole > UINT64_MAX - (uint64_t)(*s - '0'))
			return -2;	/* too large: out of range, not "not a number" */
		else
			d->whole += (uint64_t)(*s - '0');
	if (*s == '.') {
		for (s++; isdigit((unsigned char)*s); s++, digits++) {
			if (d->frac_digits >= 18)
				return -1;
			d->frac = d->frac * 10 + (uint64_t)(*s - '0');
			d->frac_digits++;
		}
	}
	*p = s;
	return digits > 0 ? 0 : -1;
}

static uint64_t pow_u64(uint64_t base, int exp)
{
	uint64_t r = 1;
	while (exp-- > 0)
		r *= base;
	return r;
}

/* value = d * scale, which must be whole and fit. */
static int scale_decimal(const struct decimal *d, uint64_t scale, uint64_t *out,
			 const char **why)
{
	uint64_t whole;
	if (mul_ok(d->whole, scale, &whole)) {
		*why = "out of range";
		return -1;
	}
	uint64_t denom = pow_u64(10, d->frac_digits);
	uint64_t frac_scaled;
	if (mul_ok(d->frac, scale, &frac_scaled)) {
		*why = "out of range";
		return -1;
	}
	if (frac_scaled % denom != 0) {
		*why = "not a whole number";
		return -1;
	}
	if (whole > UINT64_MAX - frac_scaled / denom) {
		*why = "out of range";
		return -1;
	}
	*out = whole + frac_scaled / denom;
	return 0;
}

static int suffix_scale(const char *s, enum ptb_unit unit, uint64_t *scale)
{
	static const char letters[] = "kmg";
	if (*s == '\0') {
		*scale = 1;
		return 0;
	}
	const char *hit = strchr(letters, tolower((unsigned char)*s));
	if (!hit || s[1] != '\0')
		return -1;
	int power = (int)(hit - letters) + 1;
	*scale = unit == PTB_UNIT_BYTES ? (uint64_t)1 << (10 * power) : pow_u64(1000, power);
	return 0;
}

int ptb_parse_u64(const char *s, enum ptb_unit unit, uint64_t max,
		  uint64_t *out, const char **why)
{
	struct decimal d;
	uint64_t scale = 1, suffix;
	*why = "not a number";
	if (!s || !(isdigit((unsigned char)*s) || *s == '.'))
		return -1;
	int rc = read_decimal(&s, &d);
	if (rc) {
		if (rc == -2)
			*why = "out of range";
		return -1;
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		int exp = 0;
		if (!isdigit((unsigned char)*s))
			return -1;
		while (isdigit((unsigned char)*s)) {
			exp = exp * 10 + (*s++ - '0');
			if (exp > 19) {
				*why = "out of range";
				return -1;
			}
		}
		scale = pow_u64(10, exp);
		if (exp == 19 || scale == 0) {
			*why = "out of range";
			return -1;
		}
	}
	if (suffix_scale(s, unit, &suffix))
		return -1;
	if (mul_ok(scale, suffix, &scale)) {
		*why = "out of range";
		return -1;
	}
	if (scale_decimal(&d, scale, out, why))
		return -1;
	if (*out > max) {
		*why = "out of range";
		return -1;
	}
	return 0;
}

int ptb_split_list(char *s, char **items, int max_items)
{
	int n = 0;
	for (;;) {
		char *comma = strchr(s, ',');
		if (comma)
			*comma = '\0';
		if (*s == '\0' || n == max_items)
			return -1;
		items[n++] = s;
		if (!comma)
			return n;
		s = comma + 1;
	}
}
