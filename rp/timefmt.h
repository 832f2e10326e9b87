/* Parsing the times operators type. */
#ifndef VRPD_TIMEFMT_H
#define VRPD_TIMEFMT_H

#include <stdbool.h>
#include <time.h>

/*
 * Seconds since the epoch ("1780272000"), or RFC 3339 with "Z" or a numeric
 * offset ("2026-06-01T00:00:00Z", fractions ignored); false otherwise.
 */
bool timefmt_parse(const char *s, time_t *out);

/* Seconds elapsed on CLOCK_MONOTONIC since start. */
double timefmt_since(const struct timespec *start);

/* The length of a timefmt_utc() string, with its NUL. */
#define TIMEFMT_UTC_LEN 21

/*
 * Writes t as RFC 3339 UTC ("2026-06-01T00:00:00Z") into buf, or never
 * when t is 0 (a time that has not happened yet); returns buf.
 */
const char *timefmt_utc(time_t t, const char *never, char buf[TIMEFMT_UTC_LEN]);

#endif /* VRPD_TIMEFMT_H */
