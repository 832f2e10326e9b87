/*
 * RFC 3779 resource sets: the IP address blocks and AS numbers a certificate
 * holds, as sorted, merged ranges, with "inherit" resolved against the
 * issuer before any containment question is asked.
 */
#ifndef VRPD_RESOURCES_H
#define VRPD_RESOURCES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/types.h>

/* An address range; IPv4 uses the first 4 bytes, big-endian. */
struct ip_range {
	unsigned char min[16];
	unsigned char max[16];
};

struct as_range {
	uint32_t min;
	uint32_t max;
};

struct resources {
	bool has_ip;	 /* the sbgp-ipAddrBlock extension is present */
	bool has_as;	 /* the sbgp-autonomousSysNum extension is present */
	bool v4_inherit; /* the IPv4 family says "inherit" */
	bool v6_inherit;
	bool as_inherit;
	struct ip_range *v4; /* sorted, non-overlapping, non-adjacent */
	size_t v4_len;
	struct ip_range *v6;
	size_t v6_len;
	struct as_range *as;
	size_t as_len;
};

/*
 * Reads the RFC 3779 extensions of x into out (zeroed first). False, logged
 * once with uri and the rule, if an extension is malformed, not canonical,
 * carries an rdi or a SAFI, or exceeds MAX_IP_ELEMENTS / MAX_AS_ELEMENTS.
 */
bool resources_from_x509(struct resources *out, const char *uri, X509 *x);

/*
 * Replaces each inherit in child by the issuer's (already effective) set,
 * then checks that child is contained in issuer (RFC 6487 s.7.2, RFC 3779).
 * False, logged once with uri and the first resource that is not covered.
 */
bool resources_inherit_and_check(struct resources *child,
				 const struct resources *issuer,
				 const char *uri);

/* True if the effective set r holds the whole prefix (afi 4 or 6). */
bool resources_contains_prefix(const struct resources *r, int afi,
			       const unsigned char *addr, unsigned prefixlen);

/* True if the effective set r holds asn. */
bool resources_contains_as(const struct resources *r, uint32_t asn);

/* A deep copy of src into dst; false on allocation failure. */
bool resources_copy(struct resources *dst, const struct resources *src);

/* Frees what r owns and zeroes it. */
void resources_clear(struct resources *r);

/*
 * Writes r (afi 4 or 6) as a prefix when it is one ("10.0.0.0/8"), else as
 * "min-max": what an operator would type.
 */
void resources_ip_str(char *buf, size_t size, const struct ip_range *r,
		      int afi);

/* Writes r as "AS64496" or "AS64496-AS64511". */
void resources_as_str(char *buf, size_t size, const struct as_range *r);

#endif /* VRPD_RESOURCES_H */
