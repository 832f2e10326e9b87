/*
 * Times given on the command line: what an operator types for "validate as
 * of then" (--now), in the two forms tools print.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "timefmt.h"

bool
timefmt_parse(const char *s, time_t *out)
{
	struct tm tm = {0};
	char *end;
	long long secs;
	long off = 0;

	if (*s >= '0' && *s <= '9' && strchr(s, '-') == NULL) {
		errno = 0;
		secs = strtoll(s, &end, 10);
		if (errno != 0 || *end != '\0' || secs < 0)
			return false;
		*out = (time_t)secs;
		return true;
	}
	end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (end == NULL)
		end = strptime(s, "%Y-%m-%d %H:%M:%S", &tm);
	if (end == NULL)
		return false;
	if (*end == '.') /* fractions of a second do not matter here */
		for (end++; *end >= '0' && *end <= '9'; end++)
			;
	if (strcmp(end, "Z") == 0 || strcmp(end, "z") == 0)
		off = 0;
	else if ((end[0] == '+' || end[0] == '-') && strlen(end) == 6 &&
		 end[3] == ':') {
		int h, m;

		if (sscanf(end + 1, "%2d:%2d", &h, &m) != 2 || h > 23 || m > 59)
			return false;
		off = (h * 60L + m) * 60L * (end[0] == '+' ? 1 : -1);
	} else
		return false;
	*out = timegm(&tm) - off;
	return true;
}

double
timefmt_since(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) +
	    (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

const char *
timefmt_utc(time_t t, const char *never, char buf[TIMEFMT_UTC_LEN])
{
	struct tm tm;

	if (t == 0 || gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, TIMEFMT_UTC_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		return never;
	return buf;
}
