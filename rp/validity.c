/*
 * Route origin validation, RFC 6811 s.2. A VRP covers a route when its
 * prefix is the route's prefix or a shorter one containing it; a covering
 * VRP matches when its ASN is the route's origin and the route is no longer
 * than its maxLength. Valid: some VRP matches; Invalid: some VRP covers but
 * none matches; NotFound: none covers.
 *
 * The set is sorted by (afi, addr, prefixlen, ...), so the VRPs of one
 * prefix sit together. A route of length n has n + 1 prefixes that could
 * cover it, its address cut to 0..n bits; each is one binary search, so a
 * query never scans the set (DESIGN.md, Performance: 800,000 VRPs).
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "validity.h"

/* Address bits of a family (struct vrp's afi), 0 for an unknown one. */
static unsigned int
family_bits(uint8_t afi)
{
	switch (afi) {
	case 4:
		return 32;
	case 6:
		return 128;
	default:
		return 0;
	}
}

/* addr with every bit after the first len set to zero, into out. */
static void
mask_addr(const unsigned char addr[16], unsigned int len, unsigned char out[16])
{
	unsigned int full = len / 8;

	memset(out, 0, 16);
	memcpy(out, addr, full);
	if (len % 8 != 0)
		out[full] = addr[full] & (unsigned char)(0xff << (8 - len % 8));
}

/* Orders a VRP against a prefix by the set's first keys only. */
static int
prefix_cmp(const struct vrp *v, const struct vrp *key)
{
	int c;

	if (v->afi != key->afi)
		return v->afi < key->afi ? -1 : 1;
	if ((c = memcmp(v->addr, key->addr, sizeof(v->addr))) != 0)
		return c;
	if (v->prefixlen != key->prefixlen)
		return v->prefixlen < key->prefixlen ? -1 : 1;
	return 0;
}

/* Index of the first VRP of the set not ordered before key's prefix. */
static size_t
lower_bound(const struct vrpset *set, const struct vrp *key)
{
	size_t lo = 0, hi = set->num_vrps, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (prefix_cmp(&set->vrps[mid], key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * RFC 6811 s.2 "Matched", given that v covers the route. An AS0 VRP says
 * the prefix must not be routed (RFC 6483 s.4) and AS0 is never a valid
 * origin (RFC 7607), so it matches no route, an AS0 route included.
 */
static bool
vrp_matches(const struct vrp *v, uint32_t asn, const struct vrp *route)
{
	return v->asn != 0 && v->asn == asn && route->prefixlen <= v->maxlen;
}

/* Appends i to *list, growing it by doubling; false on ENOMEM. */
static bool
push_index(size_t **list, size_t *num, size_t *cap, size_t i)
{
	size_t *p, newcap;

	if (*num == *cap) {
		newcap = *cap == 0 ? 8 : *cap * 2;
		if ((p = reallocarray(*list, newcap, sizeof(*p))) == NULL)
			return false;
		*list = p;
		*cap = newcap;
	}
	(*list)[(*num)++] = i;
	return true;
}

bool
validity_check(const struct vrpset *set, uint32_t asn, const struct vrp *route,
	       struct validity_result *out)
{
	unsigned int bits = family_bits(route->afi), len;
	size_t cap_matched = 0, cap_covering = 0, i;
	struct vrp key;

	memset(out, 0, sizeof(*out));
	if (bits == 0 || route->prefixlen > bits) {
		errno = EINVAL;
		return false;
	}
	memset(&key, 0, sizeof(key));
	key.afi = route->afi;
	for (len = 0; len <= route->prefixlen; len++) {
		mask_addr(route->addr, len, key.addr);
		key.prefixlen = (uint8_t)len;
		for (i = lower_bound(set, &key);
		     i < set->num_vrps && prefix_cmp(&set->vrps[i], &key) == 0;
		     i++) {
			if (!push_index(&out->covering, &out->num_covering,
					&cap_covering, i))
				goto nomem;
			if (vrp_matches(&set->vrps[i], asn, route) &&
			    !push_index(&out->matched, &out->num_matched,
					&cap_matched, i))
				goto nomem;
		}
	}
	if (out->num_matched > 0)
		out->state = VALIDITY_VALID;
	else if (out->num_covering > 0)
		out->state = VALIDITY_INVALID;
	else
		out->state = VALIDITY_NOT_FOUND;
	return true;

nomem:
	validity_result_free(out);
	errno = ENOMEM;
	return false;
}

void
validity_result_free(struct validity_result *r)
{
	free(r->matched);
	free(r->covering);
	memset(r, 0, sizeof(*r));
}

const char *
validity_name(enum validity v)
{
	switch (v) {
	case VALIDITY_VALID:
		return "valid";
	case VALIDITY_INVALID:
		return "invalid";
	case VALIDITY_NOT_FOUND:
		break;
	}
	return "not-found";
}

/*
 * A decimal number of at most max, digits only: no sign, space or base
 * prefix, which strtoul would let through.
 */
static bool
parse_decimal(const char *s, uint32_t max, uint32_t *out)
{
	uint64_t v = 0;

	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > max)
			return false;
	}
	*out = (uint32_t)v;
	return true;
}

static bool
parse_asn(const char *s, uint32_t *asn, char *err, size_t errlen)
{
	const char *digits = s;

	if (strncasecmp(s, "AS", 2) == 0)
		digits += 2;
	if (!parse_decimal(digits, UINT32_MAX, asn)) {
		snprintf(err, errlen,
			 "ASN \"%s\": not a number from 0 to %" PRIu32
			 " (write AS65000 or 65000)",
			 s, UINT32_MAX);
		return false;
	}
	return true;
}

static bool
parse_prefix(const char *s, struct vrp *route, char *err, size_t errlen)
{
	char addr[INET6_ADDRSTRLEN], want[INET6_ADDRSTRLEN];
	unsigned char masked[16];
	const char *slash = strchr(s, '/');
	unsigned int bits;
	uint32_t len;
	size_t alen;

	if (slash == NULL) {
		snprintf(err, errlen,
			 "prefix \"%s\" is not address/length (write "
			 "192.0.2.0/24 or 2001:db8::/32)",
			 s);
		return false;
	}
	memset(route, 0, sizeof(*route));
	alen = (size_t)(slash - s);
	route->afi = memchr(s, ':', alen) != NULL ? 6 : 4;
	bits = family_bits(route->afi);
	if (alen < sizeof(addr)) {
		memcpy(addr, s, alen);
		addr[alen] = '\0';
	}
	if (alen >= sizeof(addr) ||
	    inet_pton(route->afi == 6 ? AF_INET6 : AF_INET, addr,
		      route->addr) != 1) {
		snprintf(err, errlen, "prefix \"%s\": bad IPv%u address", s,
			 route->afi);
		return false;
	}
	if (!parse_decimal(slash + 1, bits, &len)) {
		snprintf(err, errlen,
			 "prefix \"%s\": length is not a number from 0 to %u",
			 s, bits);
		return false;
	}
	route->prefixlen = (uint8_t)len;
	route->maxlen = (uint8_t)len;
	/* The same rule as for VRPs: a prefix names its first len bits only. */
	mask_addr(route->addr, len, masked);
	if (memcmp(masked, route->addr, sizeof(masked)) != 0) {
		inet_ntop(route->afi == 6 ? AF_INET6 : AF_INET, masked, want,
			  sizeof(want));
		snprintf(err, errlen,
			 "prefix \"%s\": host bits set after /%" PRIu32
			 " (did you mean %s/%" PRIu32 "?)",
			 s, len, want, len);
		return false;
	}
	return true;
}

bool
validity_parse_route(const char *asn, const char *prefix, uint32_t *asn_out,
		     struct vrp *route, char *err, size_t errlen)
{
	if (!parse_asn(asn, asn_out, err, errlen) ||
	    !parse_prefix(prefix, route, err, errlen))
		return false;
	route->asn = *asn_out;
	return true;
}
