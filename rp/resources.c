/*
 * RFC 3779 resource sets. OpenSSL decodes the sbgp-ipAddrBlock and
 * sbgp-autonomousSysNum extensions and checks their canonical form; this
 * file turns them into sorted arrays of ranges, which make containment a
 * merge walk and a lookup a binary search.
 *
 * RFC 6487 s.4.8.10 and s.4.8.11 narrow RFC 3779 for the RPKI: no SAFI, no
 * rdi, and (RFC 6487 s.7.2) every resource a certificate holds must be held
 * by its issuer.
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "limits.h"
#include "log.h"
#include "resources.h"

#define V4_LEN 4
#define V6_LEN 16

/* Room for "ffff:...:ffff-ffff:...:ffff" or "a.b.c.d/nn" and a NUL. */
#define RANGE_STR_LEN (2 * INET6_ADDRSTRLEN + 8)

/* The length of the addressFamily octets without a SAFI (RFC 3779 s.2.2.3). */
#define AFI_LEN 2

static const char *
afi_name(size_t len)
{
	return len == V4_LEN ? "IPv4" : "IPv6";
}

/* a += 1; false if a was all ones and wrapped. */
static bool
ip_increment(unsigned char *a, size_t len)
{
	while (len-- > 0) {
		if (++a[len] != 0)
			return true;
	}
	return false;
}

void
resources_ip_str(char *buf, size_t size, const struct ip_range *r, int afi)
{
	char lo[INET6_ADDRSTRLEN], hi[INET6_ADDRSTRLEN];
	size_t len = afi == 4 ? V4_LEN : V6_LEN, bits = len * 8, plen = 0, bit;
	int af = afi == 4 ? AF_INET : AF_INET6;
	bool prefix = true;

	/* The prefix length is where min and max first differ. */
	while (plen < bits &&
	       ((r->min[plen / 8] ^ r->max[plen / 8]) & (0x80 >> (plen % 8))) ==
		   0)
		plen++;
	for (bit = plen; bit < bits; bit++) {
		unsigned mask = 0x80u >> (bit % 8);

		if ((r->min[bit / 8] & mask) != 0 ||
		    (r->max[bit / 8] & mask) == 0)
			prefix = false;
	}
	inet_ntop(af, r->min, lo, sizeof(lo));
	if (prefix) {
		snprintf(buf, size, "%s/%zu", lo, plen);
		return;
	}
	inet_ntop(af, r->max, hi, sizeof(hi));
	snprintf(buf, size, "%s-%s", lo, hi);
}

void
resources_as_str(char *buf, size_t size, const struct as_range *r)
{
	if (r->min == r->max)
		snprintf(buf, size, "AS%u", r->min);
	else
		snprintf(buf, size, "AS%u-AS%u", r->min, r->max);
}

/*
 * Reads one address family's prefixes and ranges. X509v3_addr_is_canonical()
 * has already proved them sorted, disjoint and not adjacent (RFC 3779
 * s.2.2.3.6); the walk below proves it again, cheaply, so that nothing
 * later depends on OpenSSL having done so.
 */
static bool
ip_family(const char *uri, IPAddressOrRanges *aors, unsigned afi, size_t len,
	  struct ip_range **out, size_t *outlen)
{
	struct ip_range *r;
	unsigned char next[V6_LEN];
	size_t i, n = (size_t)sk_IPAddressOrRange_num(aors);

	if ((r = calloc(n, sizeof(*r))) == NULL) {
		log_warn("%s", uri);
		return false;
	}
	for (i = 0; i < n; i++) {
		IPAddressOrRange *aor = sk_IPAddressOrRange_value(aors, (int)i);

		/*
		 * X509v3_addr_is_canonical() expands only the ranges and the
		 * prefixes it compares: a lone prefix of 40 bits gets here.
		 */
		if (X509v3_addr_get_range(aor, afi, r[i].min, r[i].max,
					  (int)len) != (int)len) {
			log_warnx("%s: an %s prefix or range is longer than "
				  "%zu bits (RFC 3779 s.2.1.1)",
				  uri, afi_name(len), len * 8);
			free(r);
			return false;
		}
		if (memcmp(r[i].min, r[i].max, len) > 0)
			goto noncanonical;
		if (i == 0)
			continue;
		memcpy(next, r[i - 1].max, len);
		if (!ip_increment(next, len) ||
		    memcmp(next, r[i].min, len) >= 0)
			goto noncanonical;
	}
	*out = r;
	*outlen = n;
	return true;

noncanonical:
	log_warnx("%s: %s addresses are not sorted, disjoint and "
		  "non-adjacent (RFC 3779 s.2.2.3.6)",
		  uri, afi_name(len));
	free(r);
	return false;
}

static bool
ip_from_x509(struct resources *out, const char *uri, X509 *x)
{
	IPAddrBlocks *addr;
	size_t total = 0;
	bool ok = false;
	int crit, i;

	addr = X509_get_ext_d2i(x, NID_sbgp_ipAddrBlock, &crit, NULL);
	if (addr == NULL) {
		if (crit == -1)
			return true; /* absent: holds no IP addresses */
		if (crit == -2)
			log_warnx("%s: more than one IP address delegation "
				  "extension (RFC 5280 s.4.2)",
				  uri);
		else
			log_warnx("%s: IP address delegation extension does "
				  "not decode (RFC 3779 s.2.2.3)",
				  uri);
		return false;
	}
	out->has_ip = true;
	if (sk_IPAddressFamily_num(addr) == 0) {
		log_warnx("%s: IP address delegation lists no address family "
			  "(RFC 3779 s.2.2.3)",
			  uri);
		goto out;
	}
	/*
	 * Before the canonical form, which an empty family also fails: the
	 * log line should say what is wrong.
	 */
	for (i = 0; i < sk_IPAddressFamily_num(addr); i++) {
		IPAddressChoice *choice =
		    sk_IPAddressFamily_value(addr, i)->ipAddressChoice;

		if (choice->type == IPAddressChoice_addressesOrRanges &&
		    sk_IPAddressOrRange_num(choice->u.addressesOrRanges) <= 0) {
			log_warnx("%s: an address family lists no addresses "
				  "(RFC 3779 s.2.2.3)",
				  uri);
			goto out;
		}
	}
	if (!X509v3_addr_is_canonical(addr)) {
		log_warnx("%s: IP address delegation is not in canonical form "
			  "(RFC 3779 s.2.2.3.6)",
			  uri);
		goto out;
	}
	for (i = 0; i < sk_IPAddressFamily_num(addr); i++) {
		IPAddressFamily *f = sk_IPAddressFamily_value(addr, i);
		IPAddressChoice *choice = f->ipAddressChoice;
		unsigned afi = X509v3_addr_get_afi(f);
		size_t len = afi == IANA_AFI_IPV4 ? V4_LEN : V6_LEN;
		bool v4 = afi == IANA_AFI_IPV4;

		if (afi != IANA_AFI_IPV4 && afi != IANA_AFI_IPV6) {
			log_warnx("%s: address family %u is neither IPv4 nor "
				  "IPv6 (RFC 6487 s.4.8.10)",
				  uri, afi);
			goto out;
		}
		if (f->addressFamily->length != AFI_LEN) {
			log_warnx("%s: %s address family carries a SAFI "
				  "(RFC 6487 s.4.8.10)",
				  uri, afi_name(len));
			goto out;
		}
		/* Canonical form leaves at most one family of each AFI. */
		if (choice->type == IPAddressChoice_inherit) {
			if (v4)
				out->v4_inherit = true;
			else
				out->v6_inherit = true;
			continue;
		}
		total += (size_t)sk_IPAddressOrRange_num(
		    choice->u.addressesOrRanges);
		if (total > rp_limits.cert_resources) {
			log_warnx("%s: more than %zu IP prefixes and ranges",
				  uri, rp_limits.cert_resources);
			goto out;
		}
		if (!ip_family(uri, choice->u.addressesOrRanges, afi, len,
			       v4 ? &out->v4 : &out->v6,
			       v4 ? &out->v4_len : &out->v6_len))
			goto out;
	}
	ok = true;
out:
	sk_IPAddressFamily_pop_free(addr, IPAddressFamily_free);
	return ok;
}

/* RFC 6793: AS numbers are 32 bits; RFC 3779's INTEGER is not bounded. */
static bool
as_id(const char *uri, const ASN1_INTEGER *ai, uint32_t *out)
{
	uint64_t v;

	if (!ASN1_INTEGER_get_uint64(&v, ai) || v > UINT32_MAX) {
		/* A negative value leaves an error on the queue. */
		ERR_clear_error();
		log_warnx("%s: AS number is negative or above 4294967295 "
			  "(RFC 3779 s.3.2.3.10)",
			  uri);
		return false;
	}
	*out = (uint32_t)v;
	return true;
}

static bool
as_list(struct resources *out, const char *uri, ASIdOrRanges *ids)
{
	size_t i, n = (size_t)sk_ASIdOrRange_num(ids);

	if (n > rp_limits.cert_resources) {
		log_warnx("%s: more than %zu AS numbers and ranges", uri,
			  rp_limits.cert_resources);
		return false;
	}
	if ((out->as = calloc(n, sizeof(*out->as))) == NULL) {
		log_warn("%s", uri);
		return false;
	}
	out->as_len = n;
	for (i = 0; i < n; i++) {
		ASIdOrRange *aor = sk_ASIdOrRange_value(ids, (int)i);
		struct as_range *r = &out->as[i];

		if (aor->type == ASIdOrRange_id) {
			if (!as_id(uri, aor->u.id, &r->min))
				return false;
			r->max = r->min;
		} else if (!as_id(uri, aor->u.range->min, &r->min) ||
			   !as_id(uri, aor->u.range->max, &r->max))
			return false;
		/*
		 * X509v3_asid_is_canonical() said so already; as for IP,
		 * proved again where it costs one comparison.
		 */
		if (r->min > r->max ||
		    (i > 0 && (uint64_t)out->as[i - 1].max + 1 >= r->min)) {
			log_warnx("%s: AS numbers are not sorted, disjoint "
				  "and non-adjacent (RFC 3779 s.3.2.3)",
				  uri);
			return false;
		}
	}
	return true;
}

static bool
as_from_x509(struct resources *out, const char *uri, X509 *x)
{
	ASIdentifiers *asid;
	bool ok = false;
	int crit;

	asid = X509_get_ext_d2i(x, NID_sbgp_autonomousSysNum, &crit, NULL);
	if (asid == NULL) {
		if (crit == -1)
			return true; /* absent: holds no AS numbers */
		if (crit == -2)
			log_warnx("%s: more than one AS identifier delegation "
				  "extension (RFC 5280 s.4.2)",
				  uri);
		else
			log_warnx("%s: AS identifier delegation extension "
				  "does not decode (RFC 3779 s.3.2.3)",
				  uri);
		return false;
	}
	out->has_as = true;
	if (asid->rdi != NULL) {
		log_warnx("%s: AS identifier delegation carries rdi "
			  "(RFC 6487 s.4.8.11)",
			  uri);
		goto out;
	}
	if (asid->asnum == NULL) {
		log_warnx("%s: AS identifier delegation lists no AS numbers "
			  "(RFC 3779 s.3.2.3)",
			  uri);
		goto out;
	}
	/*
	 * Before the canonical form, which an empty list also fails: the log
	 * line should say what is wrong.
	 */
	if (asid->asnum->type == ASIdentifierChoice_asIdsOrRanges &&
	    sk_ASIdOrRange_num(asid->asnum->u.asIdsOrRanges) <= 0) {
		log_warnx("%s: AS identifier delegation lists no AS numbers "
			  "(RFC 3779 s.3.2.3)",
			  uri);
		goto out;
	}
	if (!X509v3_asid_is_canonical(asid)) {
		log_warnx("%s: AS identifier delegation is not in canonical "
			  "form (RFC 3779 s.3.2.3)",
			  uri);
		goto out;
	}
	if (asid->asnum->type == ASIdentifierChoice_inherit)
		out->as_inherit = true;
	else if (!as_list(out, uri, asid->asnum->u.asIdsOrRanges))
		goto out;
	ok = true;
out:
	ASIdentifiers_free(asid);
	return ok;
}

bool
resources_from_x509(struct resources *out, const char *uri, X509 *x)
{
	memset(out, 0, sizeof(*out));
	if (!ip_from_x509(out, uri, x) || !as_from_x509(out, uri, x)) {
		resources_clear(out);
		return false;
	}
	return true;
}

static bool
ip_copy(struct ip_range **dst, size_t *dstlen, const struct ip_range *src,
	size_t len)
{
	*dst = NULL;
	*dstlen = 0;
	if (len == 0)
		return true;
	if ((*dst = calloc(len, sizeof(*src))) == NULL)
		return false;
	memcpy(*dst, src, len * sizeof(*src));
	*dstlen = len;
	return true;
}

static bool
as_copy(struct as_range **dst, size_t *dstlen, const struct as_range *src,
	size_t len)
{
	*dst = NULL;
	*dstlen = 0;
	if (len == 0)
		return true;
	if ((*dst = calloc(len, sizeof(*src))) == NULL)
		return false;
	memcpy(*dst, src, len * sizeof(*src));
	*dstlen = len;
	return true;
}

/*
 * The first range of child not inside one range of issuer, or NULL. Both
 * are sorted and merged, so a covered range lies inside a single issuer
 * range and one forward walk over both suffices.
 */
static const struct ip_range *
ip_uncovered(const struct ip_range *child, size_t clen,
	     const struct ip_range *issuer, size_t ilen, size_t len)
{
	size_t i, j = 0;

	for (i = 0; i < clen; i++) {
		while (j < ilen && memcmp(issuer[j].max, child[i].min, len) < 0)
			j++;
		if (j == ilen || memcmp(issuer[j].min, child[i].min, len) > 0 ||
		    memcmp(child[i].max, issuer[j].max, len) > 0)
			return &child[i];
	}
	return NULL;
}

static const struct as_range *
as_uncovered(const struct as_range *child, size_t clen,
	     const struct as_range *issuer, size_t ilen)
{
	size_t i, j = 0;

	for (i = 0; i < clen; i++) {
		while (j < ilen && issuer[j].max < child[i].min)
			j++;
		if (j == ilen || issuer[j].min > child[i].min ||
		    child[i].max > issuer[j].max)
			return &child[i];
	}
	return NULL;
}

bool
resources_inherit_and_check(struct resources *child,
			    const struct resources *issuer, const char *uri)
{
	const struct ip_range *ip;
	const struct as_range *as;
	char buf[RANGE_STR_LEN];

	/*
	 * RFC 3779 s.2.2.3.5, s.3.2.3.3: inherit means the issuer's set. An
	 * issuer without the family gives the empty set, which holds
	 * nothing and so cannot overclaim.
	 */
	if (child->v4_inherit) {
		if (!ip_copy(&child->v4, &child->v4_len, issuer->v4,
			     issuer->v4_len))
			goto oom;
		child->v4_inherit = false;
	}
	if (child->v6_inherit) {
		if (!ip_copy(&child->v6, &child->v6_len, issuer->v6,
			     issuer->v6_len))
			goto oom;
		child->v6_inherit = false;
	}
	if (child->as_inherit) {
		if (!as_copy(&child->as, &child->as_len, issuer->as,
			     issuer->as_len))
			goto oom;
		child->as_inherit = false;
	}

	if ((ip = ip_uncovered(child->v4, child->v4_len, issuer->v4,
			       issuer->v4_len, V4_LEN)) != NULL) {
		resources_ip_str(buf, sizeof(buf), ip, 4);
		goto overclaim;
	}
	if ((ip = ip_uncovered(child->v6, child->v6_len, issuer->v6,
			       issuer->v6_len, V6_LEN)) != NULL) {
		resources_ip_str(buf, sizeof(buf), ip, 6);
		goto overclaim;
	}
	if ((as = as_uncovered(child->as, child->as_len, issuer->as,
			       issuer->as_len)) != NULL) {
		if (as->min == as->max)
			snprintf(buf, sizeof(buf), "AS%u", as->min);
		else
			snprintf(buf, sizeof(buf), "AS%u-AS%u", as->min,
				 as->max);
		goto overclaim;
	}
	return true;

overclaim:
	log_warnx("%s: resources not contained in the issuer's: %s "
		  "(RFC 6487 s.7.2)",
		  uri, buf);
	return false;
oom:
	log_warn("%s", uri);
	return false;
}

bool
resources_contains_prefix(const struct resources *r, int afi,
			  const unsigned char *addr, unsigned prefixlen)
{
	const struct ip_range *set;
	unsigned char min[V6_LEN], max[V6_LEN];
	size_t len, n, lo, hi, i;

	if (afi == 4) {
		len = V4_LEN;
		set = r->v4;
		n = r->v4_len;
	} else if (afi == 6) {
		len = V6_LEN;
		set = r->v6;
		n = r->v6_len;
	} else
		return false;
	if (prefixlen > len * 8)
		return false;
	for (i = 0; i < len; i++) {
		unsigned bits = prefixlen > i * 8 ? prefixlen - i * 8 : 0;
		unsigned char mask = bits >= 8 ? 0xff : (0xff00 >> bits) & 0xff;

		min[i] = addr[i] & mask;
		max[i] = addr[i] | (unsigned char)~mask;
	}
	/* The last range starting at or below min is the only candidate. */
	lo = 0;
	hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (memcmp(set[mid].min, min, len) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 && memcmp(max, set[lo - 1].max, len) <= 0;
}

bool
resources_contains_as(const struct resources *r, uint32_t asn)
{
	size_t lo = 0, hi = r->as_len;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->as[mid].min <= asn)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 && asn <= r->as[lo - 1].max;
}

bool
resources_copy(struct resources *dst, const struct resources *src)
{
	*dst = *src;
	dst->v4 = dst->v6 = NULL;
	dst->as = NULL;
	if (!ip_copy(&dst->v4, &dst->v4_len, src->v4, src->v4_len) ||
	    !ip_copy(&dst->v6, &dst->v6_len, src->v6, src->v6_len) ||
	    !as_copy(&dst->as, &dst->as_len, src->as, src->as_len)) {
		resources_clear(dst);
		return false;
	}
	return true;
}

void
resources_clear(struct resources *r)
{
	free(r->v4);
	free(r->v6);
	free(r->as);
	memset(r, 0, sizeof(*r));
}
