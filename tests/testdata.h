/*
 * The fixture repositories fixtures/gen/rpkigen.py writes for make check,
 * found through $FIXTURES (set by the Makefile), for the unit tests.
 */
#ifndef VRPD_TESTDATA_H
#define VRPD_TESTDATA_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "rp/vrpset.h"

/*
 * The first path, in sorted order, under $FIXTURES/<fixture_case>/rsync of a
 * file whose name ends in suffix and whose path contains contains (when not
 * NULL). Fails the test if there is none. The caller frees the result.
 */
char *testdata_find(const char *fixture_case, const char *suffix,
		    const char *contains);

/* All such paths, sorted, NULL-terminated; *count set. Caller frees all. */
char **testdata_find_all(const char *fixture_case, const char *suffix,
			 const char *contains, size_t *count);

/* The whole file; fails the test if it cannot be read. Caller frees. */
unsigned char *testdata_read(const char *path, size_t *len);

/* $FIXTURES/<fixture_case>/<rel>, for files outside rsync/. Caller frees. */
char *testdata_path(const char *fixture_case, const char *rel);

/*
 * Whether the case's expected/rejected.txt ("uri: why" lines) lists uri:
 * an object the case breaks on purpose.
 */
bool testdata_rejected(const char *fixture_case, const char *uri);

/* A VRP for addr/len (IPv4 or IPv6 text) with maxlen, asn and ta. */
struct vrp testdata_vrp(const char *addr, unsigned int len, unsigned int maxlen,
			uint32_t asn, uint8_t ta);

/* The log lines written between testlog_start() and testlog_stop(). */
struct testlog {
	FILE *fp;
	char *buf;
	size_t len;
};

/* Sends the engine's log into t until testlog_stop(). */
void testlog_start(struct testlog *t);

/* The captured text, also echoed to stderr for the test log; caller frees. */
char *testlog_stop(struct testlog *t);

/* Fails the test unless log is one line that names uri and contains why. */
void testlog_assert_one_line(const char *log, const char *uri, const char *why);

#endif /* VRPD_TESTDATA_H */
