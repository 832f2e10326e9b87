/* Writing a finished vrpset in the formats operators and tools read. */
#ifndef VRPD_OUTPUT_H
#define VRPD_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "vrpset.h"

enum output_format {
	OUTPUT_CSV,	 /* ASN,IP Prefix,Max Length,Trust Anchor */
	OUTPUT_JSON,	 /* rpki-client's layout; StayRTR reads it */
	OUTPUT_OPENBGPD, /* roa-set / aspa-set blocks for bgpd.conf */
	OUTPUT_BIRD,	 /* BIRD 2 "route ... max ... as ...;" statements */
};

/* What the JSON metadata and config headers say about the run. */
struct output_meta {
	time_t generated; /* evaluation time of the run */
	double elapsed;	  /* seconds the run took */
};

/* Parses "csv", "json", "openbgpd" or "bird"; false if unknown. */
bool output_format_parse(const char *name, enum output_format *fmt);

/*
 * Writes set (after vrpset_finish) to fp in fmt; false, with errno set, if
 * a write fails.
 */
bool output_write(FILE *fp, enum output_format fmt, const struct vrpset *set,
		  const struct output_meta *meta);

#endif /* VRPD_OUTPUT_H */
