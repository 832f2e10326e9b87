/*
 * Route Origin Authorizations: RFC 9582. The envelope is rp/cms.c's; this
 * file decodes the eContent with OpenSSL's ASN.1 templates and checks
 * RFC 9582 s.4 on top. Whether the prefixes lie inside the EE certificate's
 * resources is validate.c's business, once inherit is resolved.
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <openssl/asn1.h>
#include <openssl/asn1t.h>
#include <openssl/err.h>
#include <openssl/safestack.h>

#include "cms.h"
#include "limits.h"
#include "log.h"
#include "roa.h"

/* RFC 9582 s.3: id-ct-routeOriginAuthz. */
#define ROA_OID "1.2.840.113549.1.9.16.1.24"

/* RFC 9582 s.4.1: version 0, the ASN.1 DEFAULT. */
#define ROA_VERSION 0

/* RFC 9582 s.4.2: ASID ::= INTEGER (0..4294967295). */
#define ROA_ASID_MAX UINT32_MAX

/* RFC 9582 s.4.3: ipAddrBlocks SEQUENCE (SIZE(1..2)), one per family. */
#define ROA_MAX_FAMILIES 2

/*
 * RFC 9582 s.4.3.1: addressFamily is the two-octet AFI (RFC 3779 s.2.2.3.3)
 * and nothing more; a third octet would be a SAFI, which a ROA may not have.
 */
#define AFI_LEN	     2
#define AFI_IPV4     1
#define AFI_IPV6     2
#define IPV4_BITS    32
#define IPV6_BITS    128
#define BITS_PER_OCT 8

/*
 * RFC 9582 s.4:
 *
 * ROAIPAddress ::= SEQUENCE { address IPAddress, maxLength INTEGER OPTIONAL }
 *
 * ROAIPAddressFamily ::= SEQUENCE {
 *	addressFamily OCTET STRING (SIZE(2)),
 *	addresses SEQUENCE (SIZE(1..MAX)) OF ROAIPAddress }
 *
 * RouteOriginAttestation ::= SEQUENCE {
 *	version [0] INTEGER DEFAULT 0,
 *	asID ASID,
 *	ipAddrBlocks SEQUENCE (SIZE(1..2)) OF ROAIPAddressFamily }
 *
 * IPAddress is RFC 3779's BIT STRING. The module is EXPLICIT TAGS. The
 * SIZE and value constraints are not the decoder's: each is checked below
 * with its own log line. The templates are static: nothing outside this
 * file needs them, and their names carry no module prefix.
 */
typedef struct {
	ASN1_BIT_STRING *address;
	ASN1_INTEGER *maxLength;
} ROAIPAddress;

DEFINE_STACK_OF(ROAIPAddress)

typedef struct {
	ASN1_OCTET_STRING *addressFamily;
	STACK_OF(ROAIPAddress) * addresses;
} ROAIPAddressFamily;

DEFINE_STACK_OF(ROAIPAddressFamily)

typedef struct {
	ASN1_INTEGER *version;
	ASN1_INTEGER *asID;
	STACK_OF(ROAIPAddressFamily) * ipAddrBlocks;
} RouteOriginAttestation;

/* The template macros are not C that clang-format can lay out. */
/* clang-format off */
ASN1_SEQUENCE(ROAIPAddress) = {
	ASN1_SIMPLE(ROAIPAddress, address, ASN1_BIT_STRING),
	ASN1_OPT(ROAIPAddress, maxLength, ASN1_INTEGER),
} static_ASN1_SEQUENCE_END(ROAIPAddress)

ASN1_SEQUENCE(ROAIPAddressFamily) = {
	ASN1_SIMPLE(ROAIPAddressFamily, addressFamily, ASN1_OCTET_STRING),
	ASN1_SEQUENCE_OF(ROAIPAddressFamily, addresses, ROAIPAddress),
} static_ASN1_SEQUENCE_END(ROAIPAddressFamily)

ASN1_SEQUENCE(RouteOriginAttestation) = {
	ASN1_EXP_OPT(RouteOriginAttestation, version, ASN1_INTEGER, 0),
	ASN1_SIMPLE(RouteOriginAttestation, asID, ASN1_INTEGER),
	ASN1_SEQUENCE_OF(RouteOriginAttestation, ipAddrBlocks,
			 ROAIPAddressFamily),
} static_ASN1_SEQUENCE_END(RouteOriginAttestation)

IMPLEMENT_STATIC_ASN1_ENCODE_FUNCTIONS(RouteOriginAttestation)

static void
RouteOriginAttestation_free(RouteOriginAttestation *r)
{
	ASN1_item_free((ASN1_VALUE *)r, ASN1_ITEM_rptr(RouteOriginAttestation));
}
/* clang-format on */

/*
 * X.690 s.10, s.11: DER, which RFC 9582 s.4 and RFC 6488 s.2.1.3.2 require
 * of the eContent. OpenSSL's decoder takes some BER (long-form and
 * indefinite lengths) and clears the unused bits of a BIT STRING that
 * X.690 s.11.2.1 wants zero; encoding what it decoded must give back the
 * input exactly.
 */
static bool
roa_is_der(const RouteOriginAttestation *r, const unsigned char *der,
	   size_t len)
{
	unsigned char *enc = NULL;
	int n = i2d_RouteOriginAttestation(r, &enc);
	bool ok = n > 0 && (size_t)n == len && memcmp(enc, der, len) == 0;

	OPENSSL_free(enc);
	return ok;
}

/*
 * RFC 9582 s.4.1: version 0. DER leaves a DEFAULT value out (X.690
 * s.11.5), so a version field that is there at all is wrong; an explicit 0
 * is only worded differently in the log.
 */
static bool
roa_version_valid(const char *uri, const ASN1_INTEGER *version)
{
	int64_t v;

	if (version == NULL)
		return true;
	if (ASN1_INTEGER_get_int64(&v, version) == 1 && v == ROA_VERSION)
		log_warnx("%s: ROA version 0 is encoded, but DER omits a "
			  "DEFAULT value (RFC 9582 s.4.1, X.690 s.11.5)",
			  uri);
	else
		log_warnx("%s: ROA version is not 0 (RFC 9582 s.4.1)", uri);
	return false;
}

/* RFC 9582 s.4.2: one AS number, 0..4294967295; AS0 is allowed (RFC 7607). */
static bool
roa_asid_read(const char *uri, const ASN1_INTEGER *asid, uint32_t *out)
{
	uint64_t v;

	/* ASN1_INTEGER_get_uint64 refuses a negative number. */
	if (ASN1_INTEGER_get_uint64(&v, asid) != 1 || v > ROA_ASID_MAX) {
		log_warnx("%s: ROA asID is not in 0..4294967295 (RFC 9582 "
			  "s.4.2)",
			  uri);
		return false;
	}
	*out = (uint32_t)v;
	return true;
}

/*
 * RFC 9582 s.4.3.1: "0001" or "0002", two octets; three would carry a
 * SAFI, which RFC 3779 allows in certificates but a ROA does not.
 */
static bool
roa_afi_read(const char *uri, const ASN1_OCTET_STRING *fam, unsigned *afi)
{
	const unsigned char *d = ASN1_STRING_get0_data(fam);
	int len = ASN1_STRING_length(fam);

	if (len == AFI_LEN + 1) {
		log_warnx("%s: ROA addressFamily carries a SAFI (RFC 9582 "
			  "s.4.3.1)",
			  uri);
		return false;
	}
	if (len != AFI_LEN || d[0] != 0 ||
	    (d[1] != AFI_IPV4 && d[1] != AFI_IPV6)) {
		log_warnx("%s: ROA addressFamily is not IPv4 (0001) or IPv6 "
			  "(0002) (RFC 9582 s.4.3.1)",
			  uri);
		return false;
	}
	*afi = d[1];
	return true;
}

/* "192.0.2.0/24" or "2001:db8::/32", for a log line. */
static const char *
prefix_str(const struct roa_prefix *p, char *buf, size_t len)
{
	char addr[INET6_ADDRSTRLEN];

	if (inet_ntop(p->afi == 4 ? AF_INET : AF_INET6, p->addr, addr,
		      sizeof(addr)) == NULL)
		snprintf(addr, sizeof(addr), "?");
	snprintf(buf, len, "%s/%u", addr, p->prefixlen);
	return buf;
}

/*
 * RFC 9582 s.4.3.2, RFC 3779 s.2.1.1, s.2.2.3.8: the address is a BIT
 * STRING of the prefix's length, at most 32 or 128 bits; the unused bits
 * of the last octet are zero. maxLength, when present, lies between the
 * prefix length and the address length.
 */
static bool
roa_prefix_read(const char *uri, unsigned afi, const ROAIPAddress *a,
		struct roa_prefix *out)
{
	const ASN1_BIT_STRING *bs = a->address;
	const unsigned char *d = ASN1_STRING_get0_data(bs);
	size_t len = (size_t)ASN1_STRING_length(bs);
	unsigned bits = afi == AFI_IPV4 ? IPV4_BITS : IPV6_BITS;
	unsigned unused = 0;
	char buf[INET6_ADDRSTRLEN + sizeof("/128")];
	int64_t maxlen;

	/* c2i_ASN1_BIT_STRING always records the unused-bits count. */
	if (bs->flags & ASN1_STRING_FLAG_BITS_LEFT)
		unused = (unsigned)(bs->flags & 0x07);
	if (len > bits / BITS_PER_OCT) {
		log_warnx("%s: ROA address is longer than %u bits (RFC 9582 "
			  "s.4.3.2)",
			  uri, bits);
		return false;
	}
	/*
	 * OpenSSL clears these bits as it decodes, so roa_is_der() has
	 * already refused a set one; checked again so that this function
	 * does not lean on that.
	 */
	if ((len == 0 && unused != 0) ||
	    (len > 0 && (d[len - 1] & ((1u << unused) - 1)) != 0)) {
		log_warnx("%s: ROA address has bits set beyond its prefix "
			  "length (RFC 9582 s.4.3.2, X.690 s.11.2.1)",
			  uri);
		return false;
	}
	memset(out, 0, sizeof(*out));
	out->afi = afi == AFI_IPV4 ? 4 : 6;
	if (len > 0)
		memcpy(out->addr, d, len);
	out->prefixlen = (uint8_t)(len * BITS_PER_OCT - unused);
	out->maxlen = out->prefixlen;
	if (a->maxLength == NULL)
		return true;

	/* Out of int64_t range: its sign says on which side it fails. */
	if (ASN1_INTEGER_get_int64(&maxlen, a->maxLength) != 1)
		maxlen = ASN1_STRING_type(a->maxLength) == V_ASN1_NEG_INTEGER
		    ? -1
		    : INT64_MAX;
	if (maxlen < out->prefixlen) {
		log_warnx("%s: maxLength below the prefix length (RFC 9582 "
			  "s.4.3.2): %s",
			  uri, prefix_str(out, buf, sizeof(buf)));
		return false;
	}
	if (maxlen > bits) {
		log_warnx("%s: maxLength above the address length (RFC 9582 "
			  "s.4.3.2): %s",
			  uri, prefix_str(out, buf, sizeof(buf)));
		return false;
	}
	out->maxlen = (uint8_t)maxlen;
	return true;
}

static int
prefix_cmp(const void *a, const void *b)
{
	const struct roa_prefix *x = a, *y = b;
	int c;

	if (x->afi != y->afi)
		return x->afi < y->afi ? -1 : 1;
	if ((c = memcmp(x->addr, y->addr, sizeof(x->addr))) != 0)
		return c;
	if (x->prefixlen != y->prefixlen)
		return x->prefixlen < y->prefixlen ? -1 : 1;
	if (x->maxlen != y->maxlen)
		return x->maxlen < y->maxlen ? -1 : 1;
	return 0;
}

/*
 * RFC 9582 s.4.3.3 asks issuers for a canonical form without duplicate
 * entries, but does not make a relying party refuse one that is not (and
 * the peers accept them): a duplicate says the same thing twice (an absent
 * maxLength and one equal to the prefix length say the same thing), so it
 * is logged and kept; the VRP set drops the repeat. Likewise for address
 * families out of AFI order (roa_families_valid()). A sorted copy keeps
 * this O(n log n) for MAX_IP_ELEMENTS entries.
 */
static void
roa_prefixes_note_duplicates(const char *uri, const struct roa *roa)
{
	struct roa_prefix *sorted;
	char buf[INET6_ADDRSTRLEN + sizeof("/128")];
	size_t i;

	if (roa->num_prefixes < 2 ||
	    (sorted = calloc(roa->num_prefixes, sizeof(*sorted))) == NULL)
		return;
	memcpy(sorted, roa->prefixes, roa->num_prefixes * sizeof(*sorted));
	qsort(sorted, roa->num_prefixes, sizeof(*sorted), prefix_cmp);
	for (i = 1; i < roa->num_prefixes; i++) {
		if (prefix_cmp(&sorted[i - 1], &sorted[i]) == 0) {
			log_warnx("%s: ROA lists %s maxLength %u twice, not "
				  "canonical (RFC 9582 s.4.3.3); accepted",
				  uri, prefix_str(&sorted[i], buf, sizeof(buf)),
				  sorted[i].maxlen);
			break;
		}
	}
	free(sorted);
}

/*
 * RFC 9582 s.4.3, s.4.3.1: one or two families, each once, each with at
 * least one address. The total is counted before anything is allocated.
 */
static bool
roa_families_valid(const char *uri, const STACK_OF(ROAIPAddressFamily) * blocks,
		   size_t *total)
{
	int i, n = sk_ROAIPAddressFamily_num(blocks);
	unsigned afi, prev = 0;

	if (n < 1 || n > ROA_MAX_FAMILIES) {
		log_warnx("%s: ROA ipAddrBlocks must hold one or two address "
			  "families (RFC 9582 s.4.3)",
			  uri);
		return false;
	}
	*total = 0;
	for (i = 0; i < n; i++) {
		const ROAIPAddressFamily *f =
		    sk_ROAIPAddressFamily_value(blocks, i);
		int num = sk_ROAIPAddress_num(f->addresses);

		if (!roa_afi_read(uri, f->addressFamily, &afi))
			return false;
		if (afi == prev) {
			log_warnx("%s: ROA has two blocks for one address "
				  "family (RFC 9582 s.4.3.1)",
				  uri);
			return false;
		}
		/* Canonical form is the issuer's duty (see above). */
		if (afi < prev)
			log_warnx("%s: ROA address families are not in "
				  "ascending order, not canonical (RFC 9582 "
				  "s.4.3.3); accepted",
				  uri);
		prev = afi;
		if (num < 1) {
			log_warnx("%s: ROA address family has no addresses "
				  "(RFC 9582 s.4.3.1)",
				  uri);
			return false;
		}
		/* Both terms are at most INT_MAX: no overflow. */
		*total += (size_t)num;
	}
	if (*total > rp_limits.cert_resources) {
		log_warnx("%s: ROA holds more than %zu prefixes", uri,
			  rp_limits.cert_resources);
		return false;
	}
	return true;
}

/* RFC 9582 s.4.3: the prefixes, copied into roa in the ROA's order. */
static bool
roa_prefixes_read(const char *uri, const STACK_OF(ROAIPAddressFamily) * blocks,
		  struct roa *roa)
{
	size_t total;
	int i, j;
	unsigned afi;

	if (!roa_families_valid(uri, blocks, &total))
		return false;
	if ((roa->prefixes = calloc(total, sizeof(*roa->prefixes))) == NULL) {
		log_warn("%s", uri);
		return false;
	}
	for (i = 0; i < sk_ROAIPAddressFamily_num(blocks); i++) {
		const ROAIPAddressFamily *f =
		    sk_ROAIPAddressFamily_value(blocks, i);

		/* Already checked by roa_families_valid(). */
		afi = ASN1_STRING_get0_data(f->addressFamily)[1];
		for (j = 0; j < sk_ROAIPAddress_num(f->addresses); j++) {
			if (!roa_prefix_read(uri, afi,
					     sk_ROAIPAddress_value(f->addresses,
								   j),
					     &roa->prefixes[roa->num_prefixes]))
				return false;
			roa->num_prefixes++;
		}
	}
	roa_prefixes_note_duplicates(uri, roa);
	return true;
}

/* Empties everything roa_decode() fills, leaving roa->so alone. */
static void
roa_clear(struct roa *roa)
{
	free(roa->prefixes);
	roa->prefixes = NULL;
	roa->num_prefixes = 0;
	roa->asid = 0;
}

bool
roa_decode(struct roa *roa, const char *uri, const unsigned char *econtent,
	   size_t len)
{
	const unsigned char *p = econtent;
	RouteOriginAttestation *r;
	bool ok = false;

	roa->prefixes = NULL;
	roa->num_prefixes = 0;
	roa->asid = 0;
	if (len > rp_limits.object_size) {
		log_warnx("%s: ROA eContent larger than %zu bytes", uri,
			  rp_limits.object_size);
		return false;
	}
	if ((r = d2i_RouteOriginAttestation(NULL, &p, (long)len)) == NULL) {
		log_warnx("%s: eContent is not a RouteOriginAttestation "
			  "(RFC 9582 s.4)",
			  uri);
		goto out;
	}
	if (p != econtent + len) {
		log_warnx("%s: %zu bytes after the RouteOriginAttestation "
			  "(RFC 9582 s.4)",
			  uri, (size_t)(econtent + len - p));
		goto out;
	}
	if (!roa_is_der(r, econtent, len)) {
		log_warnx("%s: RouteOriginAttestation is not DER-encoded "
			  "(RFC 9582 s.4, X.690 s.10-11)",
			  uri);
		goto out;
	}
	ok = roa_version_valid(uri, r->version) &&
	    roa_asid_read(uri, r->asID, &roa->asid) &&
	    roa_prefixes_read(uri, r->ipAddrBlocks, roa);
out:
	if (!ok)
		roa_clear(roa);
	RouteOriginAttestation_free(r);
	/* The log line says why; stale errors would mislead later. */
	ERR_clear_error();
	return ok;
}

struct roa *
roa_parse(const char *uri, const unsigned char *der, size_t len)
{
	struct roa *roa;

	if ((roa = calloc(1, sizeof(*roa))) == NULL) {
		log_warn("%s", uri);
		return NULL;
	}
	if ((roa->so = cms_parse(uri, der, len, ROA_OID)) == NULL ||
	    !roa_decode(roa, uri, roa->so->content, roa->so->content_len)) {
		roa_free(roa);
		return NULL;
	}
	return roa;
}

void
roa_free(struct roa *roa)
{
	if (roa == NULL)
		return;
	roa_clear(roa);
	signed_object_free(roa->so);
	free(roa);
}
