/*
 * The CSV payload file: vrpd's own, rpki-client's or Routinator's VRPs, one
 * a line. The lines are cut from the same chunks the JSON parser reads
 * (vrpfile_read()), so neither format holds more of the file than a chunk.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "rp/limits.h"
#include "vrpfile_parse.h"

/*
 * Longest CSV line. A row is an AS number, a prefix, a length and a TA name
 * of at most MAX_TAL_NAME_LENGTH, under 150 bytes; the extra columns of
 * rpki-client (expiry time) and Routinator fit many times over.
 */
#define VRPFILE_MAX_CSV_LINE 4096

/* The columns we read: ASN, IP Prefix, Max Length, Trust Anchor. */
#define CSV_COLUMNS 4

struct csv_field {
	const char *s;
	size_t len;
};

/*
 * Splits s at commas into up to CSV_COLUMNS fields, without the blanks
 * around each; returns how many fields the line has in all.
 */
static size_t
csv_split(const char *s, size_t len, struct csv_field *f)
{
	const char *end = s + len, *comma;
	size_t n = 0;

	for (;;) {
		if ((comma = memchr(s, ',', (size_t)(end - s))) == NULL)
			comma = end;
		if (n < CSV_COLUMNS) {
			f[n].s = s;
			f[n].len = (size_t)(comma - s);
			while (f[n].len > 0 && vrpfile_blank(f[n].s[0])) {
				f[n].s++;
				f[n].len--;
			}
			while (f[n].len > 0 &&
			       vrpfile_blank(f[n].s[f[n].len - 1]))
				f[n].len--;
		}
		n++;
		if (comma == end)
			return n;
		s = comma + 1;
	}
}

/*
 * One line. The first that is not blank is the header, which names the
 * columns ("ASN,IP Prefix,Max Length,Trust Anchor", rpki-client's with an
 * Expires column after them, Routinator's); every row has as many fields.
 */
static bool
csv_line(struct vrpfile_in *in, size_t *columns, const char *s, size_t len)
{
	struct csv_field f[CSV_COLUMNS];
	char ta[MAX_TAL_NAME_LENGTH + 1] = "";
	struct vrp vrp;
	uint32_t maxlen;
	size_t i, n;

	for (i = 0; i < len && vrpfile_blank(s[i]); i++)
		continue;
	if (i == len)
		return true;
	if (len > VRPFILE_MAX_CSV_LINE)
		return vrpfile_why(in, "line longer than %d bytes",
				   VRPFILE_MAX_CSV_LINE);
	if (memchr(s, '\0', len) != NULL)
		return vrpfile_why(in, "NUL byte in a CSV line");
	n = csv_split(s, len, f);
	if (*columns == 0) {
		if (f[0].len != 3 || memcmp(f[0].s, "ASN", 3) != 0 || n < 3)
			return vrpfile_why(in,
					   "neither JSON nor CSV with a "
					   "header \"ASN,IP Prefix,Max "
					   "Length,...\"");
		*columns = n;
		return true;
	}
	if (n != *columns)
		return vrpfile_why(in, "%zu fields, the header has %zu", n,
				   *columns);
	memset(&vrp, 0, sizeof(vrp));
	if (!vrpfile_asn(in, "ASN", f[0].s, f[0].len, &vrp.asn) ||
	    !vrpfile_prefix(in, f[1].s, f[1].len, &vrp) ||
	    !vrpfile_number(in, "Max Length", f[2].s, f[2].len, 128, &maxlen))
		return false;
	vrp.maxlen = (uint8_t)maxlen;
	if (n > 3 && !vrpfile_ta(in, f[3].s, f[3].len, ta))
		return false;
	return vrpfile_add_vrp(in, &vrp, ta);
}

bool
vrpfile_csv(struct vrpfile_in *in)
{
	uint64_t line = in->line;
	size_t pos = 0, columns = 0, rest;
	const unsigned char *nl;
	bool eof = false;

	for (;;) {
		nl = memchr(in->buf + pos, '\n', in->len - pos);
		if (nl == NULL && !eof) {
			rest = in->len - pos;
			if (rest > VRPFILE_MAX_CSV_LINE) {
				vrpfile_why(in, "line longer than %d bytes",
					    VRPFILE_MAX_CSV_LINE);
				break;
			}
			if (!vrpfile_read(in, rest))
				return false;
			eof = in->len == rest;
			pos = 0;
			continue;
		}
		if (nl == NULL)
			nl = in->buf + in->len; /* the last line has no '\n' */
		if (!csv_line(in, &columns, (const char *)in->buf + pos,
			      (size_t)(nl - (in->buf + pos))))
			break;
		if (nl == in->buf + in->len)
			return true;
		pos = (size_t)(nl - in->buf) + 1;
		line++;
	}
	vrpfile_error(in, line, false, 0);
	return false;
}
