/*
 * Route origin validation (RFC 6811 s.2) of one route, an origin AS and a
 * prefix, against a finished VRP set: the state, and the VRPs that decide
 * it, for "vrpctl check" and the HTTP validity API.
 */
#ifndef VRPD_VALIDITY_H
#define VRPD_VALIDITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vrpset.h"

enum validity {
	VALIDITY_NOT_FOUND, /* no VRP covers the route */
	VALIDITY_VALID,	    /* at least one covering VRP matches */
	VALIDITY_INVALID,   /* covered, but no covering VRP matches */
};

/*
 * Indexes into set->vrps, ascending (the set's order). covering holds every
 * VRP that covers the route, matched the subset that also matches it: for
 * a valid route matched says why, for an invalid one covering does.
 */
struct validity_result {
	enum validity state;
	size_t *matched;
	size_t num_matched;
	size_t *covering;
	size_t num_covering;
};

/*
 * Parses "AS65000" or "65000" into *asn_out and "192.0.2.0/24" or
 * "2001:db8::/32" into route's afi, addr and prefixlen (maxlen = prefixlen,
 * asn = *asn_out, ta 0); false with a one-line reason in err otherwise.
 */
bool validity_parse_route(const char *asn, const char *prefix,
			  uint32_t *asn_out, struct vrp *route, char *err,
			  size_t errlen);

/*
 * The RFC 6811 state of route (only afi, addr, prefixlen read) originated
 * by asn, over a set after vrpset_finish(), in O(prefixlen * log n); false
 * with errno ENOMEM, or EINVAL for an unknown family or too long a prefix.
 * On success free out with validity_result_free().
 */
bool validity_check(const struct vrpset *set, uint32_t asn,
		    const struct vrp *route, struct validity_result *out);

/* Frees the index lists of r and empties it; r stays usable. */
void validity_result_free(struct validity_result *r);

/* "valid", "invalid" or "not-found" (the names routers and RTR tools use). */
const char *validity_name(enum validity v);

#endif /* VRPD_VALIDITY_H */
