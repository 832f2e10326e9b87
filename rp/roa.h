/* Route Origin Authorizations, RFC 9582. */
#ifndef VRPD_ROA_H
#define VRPD_ROA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cms.h"

struct roa_prefix {
	unsigned char addr[16]; /* network address, big-endian; v4 in [0..3] */
	uint8_t afi;		/* 4 or 6 */
	uint8_t prefixlen;
	uint8_t maxlen; /* the prefix length where the ROA gives none */
};

struct roa {
	struct signed_object *so; /* owned: the envelope and its EE */
	uint32_t asid;
	struct roa_prefix *prefixes;
	size_t num_prefixes;
};

/*
 * Parses a ROA (envelope and eContent) and checks RFC 9582 s.4: version 0,
 * at most one block per family in ascending AFI order, no SAFI, prefix bits
 * beyond the length zero, length <= maxLength <= 32/128, no duplicate entry.
 * NULL, logged with uri and the rule. Containment in the EE's resources is
 * checked by validate.c once inherit is resolved.
 */
struct roa *roa_parse(const char *uri, const unsigned char *der, size_t len);

/*
 * Decodes a ROA eContent into roa's asid and prefixes (roa->so untouched);
 * false, logged with uri and the rule. The other fields are overwritten,
 * not freed, and left empty on false, so roa_free() is right either way.
 */
bool roa_decode(struct roa *roa, const char *uri, const unsigned char *econtent,
		size_t len);

/* Frees roa; NULL is allowed. */
void roa_free(struct roa *roa);

#endif /* VRPD_ROA_H */
