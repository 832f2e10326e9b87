/*
 * Tests for rp/resources.c: reading RFC 3779 extensions (RFC 6487 s.4.8.10,
 * s.4.8.11), resolving inherit and refusing overclaims (RFC 6487 s.7.2).
 *
 * Extensions are built with OpenSSL's own RFC 3779 helpers and put on a bare
 * X509, which is all resources_from_x509() reads; the fixture certificates
 * prove the same on real DER.
 */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "rp/limits.h"
#include "rp/log.h"
#include "rp/resources.h"
#include "testdata.h"

#define URI "rsync://rpki.example.net/repo/child.cer"

/* One address: "10.0.0.0" or "2001:db8::"; afi is IANA_AFI_IPV4/6. */
static void
parse_addr(const char *s, unsigned *afi, unsigned char *out)
{
	memset(out, 0, 16);
	if (inet_pton(AF_INET, s, out) == 1)
		*afi = IANA_AFI_IPV4;
	else {
		ck_assert_int_eq(inet_pton(AF_INET6, s, out), 1);
		*afi = IANA_AFI_IPV6;
	}
}

/*
 * Adds "10.0.0.0/8" or "10.0.0.5-10.0.0.9" to addr. Ranges that are
 * prefixes come out as prefixes: OpenSSL's encoder decides.
 */
static void
add_ip(IPAddrBlocks *addr, const char *item)
{
	unsigned char a[16], b[16];
	unsigned afi, afi2;
	char buf[128], *sep;

	ck_assert_uint_lt(strlen(item), sizeof(buf));
	strcpy(buf, item);
	if ((sep = strchr(buf, '/')) != NULL) {
		*sep = '\0';
		parse_addr(buf, &afi, a);
		ck_assert_int_eq(X509v3_addr_add_prefix(addr, afi, NULL, a,
							atoi(sep + 1)),
				 1);
		return;
	}
	ck_assert_ptr_nonnull(sep = strchr(buf, '-'));
	*sep = '\0';
	parse_addr(buf, &afi, a);
	parse_addr(sep + 1, &afi2, b);
	ck_assert_uint_eq(afi, afi2);
	ck_assert_int_eq(X509v3_addr_add_range(addr, afi, NULL, a, b), 1);
}

/* "10.0.0.0/8 2001:db8::/32 inherit4 inherit6", in any order. */
static IPAddrBlocks *
ip_blocks(const char *list)
{
	IPAddrBlocks *addr = sk_IPAddressFamily_new_null();
	char *copy = strdup(list), *tok, *save = NULL;

	ck_assert_ptr_nonnull(addr);
	ck_assert_ptr_nonnull(copy);
	for (tok = strtok_r(copy, " ", &save); tok != NULL;
	     tok = strtok_r(NULL, " ", &save)) {
		if (strcmp(tok, "inherit4") == 0)
			ck_assert(
			    X509v3_addr_add_inherit(addr, IANA_AFI_IPV4, NULL));
		else if (strcmp(tok, "inherit6") == 0)
			ck_assert(
			    X509v3_addr_add_inherit(addr, IANA_AFI_IPV6, NULL));
		else
			add_ip(addr, tok);
	}
	free(copy);
	return addr;
}

static ASN1_INTEGER *
asn1_uint(uint64_t v)
{
	ASN1_INTEGER *ai = ASN1_INTEGER_new();

	ck_assert_ptr_nonnull(ai);
	ck_assert(ASN1_INTEGER_set_uint64(ai, v));
	return ai;
}

/* "65536-131071 7" or "inherit". */
static ASIdentifiers *
as_ids(const char *list)
{
	ASIdentifiers *asid = ASIdentifiers_new();
	char *copy = strdup(list), *tok, *save = NULL, *dash;

	ck_assert_ptr_nonnull(asid);
	ck_assert_ptr_nonnull(copy);
	for (tok = strtok_r(copy, " ", &save); tok != NULL;
	     tok = strtok_r(NULL, " ", &save)) {
		ASN1_INTEGER *min, *max = NULL;

		if (strcmp(tok, "inherit") == 0) {
			ck_assert(X509v3_asid_add_inherit(asid, V3_ASID_ASNUM));
			continue;
		}
		if ((dash = strchr(tok, '-')) != NULL) {
			*dash = '\0';
			max = asn1_uint(strtoull(dash + 1, NULL, 10));
		}
		min = asn1_uint(strtoull(tok, NULL, 10));
		ck_assert(
		    X509v3_asid_add_id_or_range(asid, V3_ASID_ASNUM, min, max));
	}
	free(copy);
	return asid;
}

/* A bare certificate carrying the given extensions (NULL: absent). */
static X509 *
x509_with(IPAddrBlocks *addr, ASIdentifiers *asid)
{
	X509 *x = X509_new();

	ck_assert_ptr_nonnull(x);
	if (addr != NULL)
		ck_assert_int_eq(X509_add1_ext_i2d(x, NID_sbgp_ipAddrBlock,
						   addr, 1, 0),
				 1);
	if (asid != NULL)
		ck_assert_int_eq(X509_add1_ext_i2d(x, NID_sbgp_autonomousSysNum,
						   asid, 1, 0),
				 1);
	sk_IPAddressFamily_pop_free(addr, IPAddressFamily_free);
	ASIdentifiers_free(asid);
	return x;
}

/*
 * The effective resources of a certificate with these IP and AS lists
 * (NULL: extension absent), in canonical form as an honest CA writes them.
 */
static void
res_make(struct resources *r, const char *ip, const char *as)
{
	IPAddrBlocks *addr = ip != NULL ? ip_blocks(ip) : NULL;
	ASIdentifiers *asid = as != NULL ? as_ids(as) : NULL;
	X509 *x;

	if (addr != NULL)
		ck_assert(X509v3_addr_canonize(addr));
	if (asid != NULL)
		ck_assert(X509v3_asid_canonize(asid));
	x = x509_with(addr, asid);
	ck_assert_msg(resources_from_x509(r, URI, x), "ip \"%s\" as \"%s\"",
		      ip ? ip : "-", as ? as : "-");
	X509_free(x);
}

/* resources_from_x509() on x must fail with one line containing why. */
static void
reject_x509(X509 *x, const char *why)
{
	struct resources r;
	struct testlog cap;
	char *log;

	testlog_start(&cap);
	ck_assert(!resources_from_x509(&r, URI, x));
	log = testlog_stop(&cap);
	testlog_assert_one_line(log, URI, why);
	/* Zeroed, so that a careless caller's resources_clear() is safe. */
	ck_assert_ptr_null(r.v4);
	ck_assert_ptr_null(r.as);
	ck_assert(!r.has_ip && !r.has_as);
	free(log);
	X509_free(x);
}

/* resources_inherit_and_check() must fail with one line containing why. */
static void
reject_overclaim(struct resources *child, const struct resources *issuer,
		 const char *why)
{
	struct testlog cap;
	char *log;

	testlog_start(&cap);
	ck_assert(!resources_inherit_and_check(child, issuer, URI));
	log = testlog_stop(&cap);
	testlog_assert_one_line(log, URI, "RFC 6487 s.7.2");
	testlog_assert_one_line(log, URI, why);
	free(log);
}

static void
assert_v4(const struct ip_range *r, const char *min, const char *max)
{
	unsigned char a[16], b[16];
	unsigned afi;

	parse_addr(min, &afi, a);
	parse_addr(max, &afi, b);
	ck_assert_mem_eq(r->min, a, 4);
	ck_assert_mem_eq(r->max, b, 4);
}

static void
assert_v6(const struct ip_range *r, const char *min, const char *max)
{
	unsigned char a[16], b[16];
	unsigned afi;

	parse_addr(min, &afi, a);
	parse_addr(max, &afi, b);
	ck_assert_mem_eq(r->min, a, 16);
	ck_assert_mem_eq(r->max, b, 16);
}

static X509 *
load_x509(const char *path)
{
	size_t len;
	unsigned char *der = testdata_read(path, &len);
	const unsigned char *p = der;
	X509 *x = d2i_X509(NULL, &p, (long)len);

	ck_assert_msg(x != NULL, "%s does not decode", path);
	free(der);
	return x;
}

static void
res_of_file(struct resources *r, const char *path)
{
	X509 *x = load_x509(path);

	ck_assert_msg(resources_from_x509(r, path, x), "%s", path);
	X509_free(x);
}

START_TEST(test_resources_reads_fixture_ta)
{
	char *path = testdata_find("good", "ta1.cer", "/ta/");
	struct resources r;

	/* IPv4 16.0.0.0/4, IPv6 2100::/8, AS65536-131071 (see the TA). */
	res_of_file(&r, path);
	ck_assert(r.has_ip && r.has_as);
	ck_assert(!r.v4_inherit && !r.v6_inherit && !r.as_inherit);
	ck_assert_uint_eq(r.v4_len, 1);
	assert_v4(&r.v4[0], "16.0.0.0", "31.255.255.255");
	ck_assert_uint_eq(r.v6_len, 1);
	assert_v6(&r.v6[0],
		  "2100::", "21ff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
	ck_assert_uint_eq(r.as_len, 1);
	ck_assert_uint_eq(r.as[0].min, 65536);
	ck_assert_uint_eq(r.as[0].max, 131071);
	resources_clear(&r);
	free(path);
}
END_TEST

START_TEST(test_resources_reads_every_good_certificate)
{
	size_t n, i;
	char **paths = testdata_find_all("good", ".cer", NULL, &n);

	ck_assert_uint_gt(n, 0);
	for (i = 0; i < n; i++) {
		struct resources r;

		res_of_file(&r, paths[i]);
		ck_assert(r.has_ip || r.has_as);
		resources_clear(&r);
		free(paths[i]);
	}
	free(paths);
}
END_TEST

START_TEST(test_resources_ranges_sorted_and_v4_in_first_bytes)
{
	struct resources r;

	res_make(&r, "192.168.0.0/16 10.0.0.5-10.0.0.9 10.1.0.0/16",
		 "7 65536-65600 3");
	ck_assert_uint_eq(r.v4_len, 3);
	assert_v4(&r.v4[0], "10.0.0.5", "10.0.0.9");
	assert_v4(&r.v4[1], "10.1.0.0", "10.1.255.255");
	assert_v4(&r.v4[2], "192.168.0.0", "192.168.255.255");
	ck_assert_uint_eq(r.v6_len, 0);
	ck_assert_uint_eq(r.as_len, 3);
	ck_assert_uint_eq(r.as[0].min, 3);
	ck_assert_uint_eq(r.as[1].min, 7);
	ck_assert_uint_eq(r.as[1].max, 7);
	ck_assert_uint_eq(r.as[2].min, 65536);
	ck_assert_uint_eq(r.as[2].max, 65600);
	resources_clear(&r);
}
END_TEST

START_TEST(test_resources_reads_inherit_per_family)
{
	struct resources r;

	res_make(&r, "inherit4 2001:db8::/32", "inherit");
	ck_assert(r.has_ip && r.has_as);
	ck_assert(r.v4_inherit && !r.v6_inherit && r.as_inherit);
	ck_assert_uint_eq(r.v4_len, 0);
	ck_assert_uint_eq(r.v6_len, 1);
	ck_assert_uint_eq(r.as_len, 0);
	resources_clear(&r);
}
END_TEST

START_TEST(test_resources_absent_extensions_hold_nothing)
{
	struct resources r;
	X509 *x = x509_with(NULL, NULL);

	ck_assert(resources_from_x509(&r, URI, x));
	ck_assert(!r.has_ip && !r.has_as);
	ck_assert_uint_eq(r.v4_len + r.v6_len + r.as_len, 0);
	X509_free(x);
}
END_TEST

START_TEST(test_resources_rejects_overlapping_prefixes)
{
	/* Not canonized: OpenSSL keeps the order given. */
	reject_x509(x509_with(ip_blocks("10.0.0.0/8 10.1.0.0/16"), NULL),
		    "canonical form (RFC 3779 s.2.2.3.6)");
}
END_TEST

START_TEST(test_resources_rejects_unsorted_prefixes)
{
	reject_x509(x509_with(ip_blocks("11.0.0.0/8 10.0.0.0/8"), NULL),
		    "canonical form (RFC 3779 s.2.2.3.6)");
}
END_TEST

START_TEST(test_resources_rejects_adjacent_prefixes)
{
	/* 10.0.0.0/9 and 10.128.0.0/9 must be written as 10.0.0.0/8. */
	reject_x509(x509_with(ip_blocks("10.0.0.0/9 10.128.0.0/9"), NULL),
		    "canonical form (RFC 3779 s.2.2.3.6)");
}
END_TEST

START_TEST(test_resources_rejects_noncanonical_as)
{
	reject_x509(x509_with(NULL, as_ids("10-20 15-30")),
		    "canonical form (RFC 3779 s.3.2.3)");
}
END_TEST

START_TEST(test_resources_rejects_safi)
{
	IPAddrBlocks *addr = sk_IPAddressFamily_new_null();
	unsigned char a[4] = {10, 0, 0, 0};
	unsigned safi = 1;

	ck_assert_ptr_nonnull(addr);
	ck_assert(X509v3_addr_add_prefix(addr, IANA_AFI_IPV4, &safi, a, 8));
	reject_x509(x509_with(addr, NULL), "SAFI (RFC 6487 s.4.8.10)");
}
END_TEST

START_TEST(test_resources_rejects_unknown_afi)
{
	IPAddrBlocks *addr = ip_blocks("10.0.0.0/8");

	/* AFI 3 is not an IP family (IANA "Address Family Numbers"). */
	sk_IPAddressFamily_value(addr, 0)->addressFamily->data[1] = 3;
	reject_x509(x509_with(addr, NULL), "(RFC 6487 s.4.8.10)");
}
END_TEST

START_TEST(test_resources_rejects_empty_ip_family)
{
	IPAddrBlocks *addr = ip_blocks("10.0.0.0/8");
	IPAddressOrRanges *aors = sk_IPAddressFamily_value(addr, 0)
				      ->ipAddressChoice->u.addressesOrRanges;

	IPAddressOrRange_free(sk_IPAddressOrRange_pop(aors));
	reject_x509(x509_with(addr, NULL), "address family lists no addresses");
}
END_TEST

START_TEST(test_resources_rejects_ip_extension_without_family)
{
	reject_x509(x509_with(sk_IPAddressFamily_new_null(), NULL),
		    "lists no address family");
}
END_TEST

START_TEST(test_resources_rejects_empty_as_list)
{
	ASIdentifiers *asid = as_ids("64496");

	ASIdOrRange_free(sk_ASIdOrRange_pop(asid->asnum->u.asIdsOrRanges));
	reject_x509(x509_with(NULL, asid), "lists no AS numbers");
}
END_TEST

START_TEST(test_resources_rejects_as_extension_without_asnum)
{
	reject_x509(x509_with(NULL, ASIdentifiers_new()),
		    "lists no AS numbers");
}
END_TEST

START_TEST(test_resources_rejects_rdi)
{
	ASIdentifiers *asid = as_ids("64496");

	ck_assert(
	    X509v3_asid_add_id_or_range(asid, V3_ASID_RDI, asn1_uint(1), NULL));
	reject_x509(x509_with(NULL, asid), "rdi (RFC 6487 s.4.8.11)");
}
END_TEST

START_TEST(test_resources_rejects_rdi_alone)
{
	ASIdentifiers *asid = ASIdentifiers_new();

	ck_assert_ptr_nonnull(asid);
	ck_assert(
	    X509v3_asid_add_id_or_range(asid, V3_ASID_RDI, asn1_uint(1), NULL));
	reject_x509(x509_with(NULL, asid), "rdi (RFC 6487 s.4.8.11)");
}
END_TEST

START_TEST(test_resources_rejects_as_above_32_bits)
{
	reject_x509(x509_with(NULL, as_ids("4294967296")), "above 4294967295");
}
END_TEST

START_TEST(test_resources_rejects_as_range_above_32_bits)
{
	reject_x509(x509_with(NULL, as_ids("4294967295-4294967296")),
		    "above 4294967295");
}
END_TEST

START_TEST(test_resources_accepts_as_4294967295)
{
	struct resources r;

	res_make(&r, NULL, "4294967295");
	ck_assert_uint_eq(r.as_len, 1);
	ck_assert_uint_eq(r.as[0].min, 4294967295u);
	ck_assert(resources_contains_as(&r, 4294967295u));
	resources_clear(&r);
}
END_TEST

/*
 * RFC 3779 s.3.2.3.10, RFC 6793: AS 0 to 4294967295 may be held (RFC 7607
 * keeps AS0 out of routing, not out of certificates: TAs hold 0-4294967295).
 * The values where a 16-bit, a signed 32-bit and an unsigned 32-bit
 * reading part ways, each alone (adjacent ones would not be canonical).
 */
START_TEST(test_resources_accepts_as_at_16_and_32_bit_boundaries)
{
	static const uint32_t asns[] = {0,	    65535,	65536,
					2147483647, 2147483648, 4294967295};
	struct resources r;
	char text[16];
	size_t i;

	for (i = 0; i < sizeof(asns) / sizeof(asns[0]); i++) {
		snprintf(text, sizeof(text), "%u", asns[i]);
		res_make(&r, NULL, text);
		ck_assert_uint_eq(r.as_len, 1);
		ck_assert_uint_eq(r.as[0].min, asns[i]);
		ck_assert_uint_eq(r.as[0].max, asns[i]);
		ck_assert(resources_contains_as(&r, asns[i]));
		resources_clear(&r);
	}
	res_make(&r, NULL, "0-4294967295");
	ck_assert_uint_eq(r.as_len, 1);
	ck_assert_uint_eq(r.as[0].min, 0);
	ck_assert_uint_eq(r.as[0].max, 4294967295u);
	resources_clear(&r);
}
END_TEST

START_TEST(test_resources_rejects_negative_as)
{
	ASIdentifiers *asid = ASIdentifiers_new();
	ASN1_INTEGER *ai = ASN1_INTEGER_new();

	ck_assert_ptr_nonnull(asid);
	ck_assert_ptr_nonnull(ai);
	ck_assert(ASN1_INTEGER_set(ai, -1));
	ck_assert(X509v3_asid_add_id_or_range(asid, V3_ASID_ASNUM, ai, NULL));
	reject_x509(x509_with(NULL, asid), "negative");
}
END_TEST

START_TEST(test_resources_rejects_undecodable_ip_extension)
{
	X509 *x = X509_new();
	ASN1_OCTET_STRING *os = ASN1_OCTET_STRING_new();
	X509_EXTENSION *ext;

	ck_assert_ptr_nonnull(x);
	ck_assert(
	    ASN1_OCTET_STRING_set(os, (const unsigned char *)"\x30\x03", 2));
	ext = X509_EXTENSION_create_by_NID(NULL, NID_sbgp_ipAddrBlock, 1, os);
	ck_assert_ptr_nonnull(ext);
	ck_assert(X509_add_ext(x, ext, -1));
	X509_EXTENSION_free(ext);
	ASN1_OCTET_STRING_free(os);
	reject_x509(x, "does not decode (RFC 3779 s.2.2.3)");
}
END_TEST

/* A bare certificate whose sbgp-ipAddrBlock holds these content octets. */
static X509 *
x509_with_raw_ip(const unsigned char *der, size_t len)
{
	X509 *x = X509_new();
	ASN1_OCTET_STRING *os = ASN1_OCTET_STRING_new();
	X509_EXTENSION *ext;

	ck_assert_ptr_nonnull(x);
	ck_assert_ptr_nonnull(os);
	ck_assert(ASN1_OCTET_STRING_set(os, der, (int)len));
	ext = X509_EXTENSION_create_by_NID(NULL, NID_sbgp_ipAddrBlock, 1, os);
	ck_assert_ptr_nonnull(ext);
	ck_assert(X509_add_ext(x, ext, -1));
	X509_EXTENSION_free(ext);
	ASN1_OCTET_STRING_free(os);
	return x;
}

/* RFC 3779 s.2.1.1: an IPv4 address has 32 bits; here a prefix of 40. */
START_TEST(test_resources_rejects_ipv4_prefix_longer_than_32_bits)
{
	static const unsigned char der[] = {0x30, 0x10, 0x30, 0x0e, 0x04, 0x02,
					    0x00, 0x01, 0x30, 0x08, 0x03, 0x06,
					    0x00, 0x0a, 0x00, 0x00, 0x00, 0x00};

	reject_x509(x509_with_raw_ip(der, sizeof(der)),
		    "IPv4 prefix or range is longer than 32 bits (RFC 3779 "
		    "s.2.1.1)");
}
END_TEST

/* And 33 bits: one bit in a fifth octet. */
START_TEST(test_resources_rejects_ipv4_prefix_of_33_bits)
{
	static const unsigned char der[] = {0x30, 0x10, 0x30, 0x0e, 0x04, 0x02,
					    0x00, 0x01, 0x30, 0x08, 0x03, 0x06,
					    0x07, 0x0a, 0x00, 0x00, 0x00, 0x80};

	reject_x509(x509_with_raw_ip(der, sizeof(der)),
		    "IPv4 prefix or range is longer than 32 bits (RFC 3779 "
		    "s.2.1.1)");
}
END_TEST

/* An IPv6 prefix of 17 octets, 136 bits. */
START_TEST(test_resources_rejects_ipv6_prefix_longer_than_128_bits)
{
	static const unsigned char der[] = {0x30, 0x1c, 0x30, 0x1a, 0x04, 0x02,
					    0x00, 0x02, 0x30, 0x14, 0x03, 0x12,
					    0x00, 0x20, 0x01, 0x0d, 0xb8, 0x00,
					    0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
					    0x00, 0x00, 0x00, 0x00, 0x00, 0x00};

	reject_x509(x509_with_raw_ip(der, sizeof(der)),
		    "IPv6 prefix or range is longer than 128 bits (RFC 3779 "
		    "s.2.1.1)");
}
END_TEST

/* A range whose max has 40 bits: OpenSSL's canonical check expands it. */
START_TEST(test_resources_rejects_ipv4_range_longer_than_32_bits)
{
	static const unsigned char der[] = {0x30, 0x16, 0x30, 0x14, 0x04, 0x02,
					    0x00, 0x01, 0x30, 0x0e, 0x30, 0x0c,
					    0x03, 0x02, 0x00, 0x0a, 0x03, 0x06,
					    0x00, 0x0a, 0xff, 0xff, 0xff, 0xff};

	reject_x509(x509_with_raw_ip(der, sizeof(der)),
		    "not in canonical form (RFC 3779 s.2.2.3.6)");
}
END_TEST

START_TEST(test_resources_rejects_two_ip_extensions)
{
	X509 *x = x509_with(ip_blocks("10.0.0.0/8"), NULL);

	ck_assert(X509_add_ext(x, X509_get_ext(x, 0), -1));
	reject_x509(x, "more than one IP address delegation extension");
}
END_TEST

/*
 * Every other IPv4 /32 from 10.0.0.0 and IPv6 /128 from 2001::, so that
 * none merge. Loops check once at the end: every ck_assert() is a message
 * to Check's parent process, which is slow by the 100,000.
 */
static X509 *
many_prefixes(size_t n4, size_t n6)
{
	IPAddrBlocks *addr = sk_IPAddressFamily_new_null();
	unsigned char a[16];
	size_t i;
	int ok = 1;

	ck_assert_ptr_nonnull(addr);
	for (i = 0; i < n4; i++) {
		uint32_t v = htonl((uint32_t)(0x0a000000u + 2 * i));

		memcpy(a, &v, 4);
		ok &= X509v3_addr_add_prefix(addr, IANA_AFI_IPV4, NULL, a, 32);
	}
	for (i = 0; i < n6; i++) {
		uint32_t v = htonl((uint32_t)(2 * i));

		memset(a, 0, sizeof(a));
		a[0] = 0x20;
		a[1] = 0x01;
		memcpy(a + 12, &v, 4);
		ok &= X509v3_addr_add_prefix(addr, IANA_AFI_IPV6, NULL, a, 128);
	}
	ck_assert_int_eq(ok, 1);
	return x509_with(addr, NULL);
}

START_TEST(test_resources_rejects_too_many_ip_elements)
{
	/* The bound is on both families together. */
	reject_x509(many_prefixes(MAX_IP_ELEMENTS / 2 + 1, MAX_IP_ELEMENTS / 2),
		    "more than 200000 IP prefixes");
}
END_TEST

START_TEST(test_resources_accepts_max_ip_elements)
{
	X509 *x = many_prefixes(MAX_IP_ELEMENTS / 2, MAX_IP_ELEMENTS / 2);
	struct resources r;

	ck_assert(resources_from_x509(&r, URI, x));
	ck_assert_uint_eq(r.v4_len + r.v6_len, MAX_IP_ELEMENTS);
	resources_clear(&r);
	X509_free(x);
}
END_TEST

START_TEST(test_resources_rejects_too_many_as_elements)
{
	ASIdentifiers *asid = ASIdentifiers_new();
	size_t i;
	int ok = 1;

	ck_assert_ptr_nonnull(asid);
	/*
	 * Built by hand: X509v3_asid_add_id_or_range() takes minutes for
	 * 200,000 ids under ASan. As in many_prefixes(), one ck_assert() for
	 * the whole loop.
	 */
	ck_assert_ptr_nonnull(asid->asnum = ASIdentifierChoice_new());
	asid->asnum->type = ASIdentifierChoice_asIdsOrRanges;
	asid->asnum->u.asIdsOrRanges =
	    sk_ASIdOrRange_new_reserve(NULL, MAX_AS_ELEMENTS + 1);
	ck_assert_ptr_nonnull(asid->asnum->u.asIdsOrRanges);
	for (i = 0; i <= MAX_AS_ELEMENTS; i++) {
		ASIdOrRange *aor = ASIdOrRange_new();

		ok &= aor != NULL && (aor->u.id = ASN1_INTEGER_new()) != NULL &&
		    ASN1_INTEGER_set_uint64(aor->u.id, 2 * i + 1) &&
		    sk_ASIdOrRange_push(asid->asnum->u.asIdsOrRanges, aor) > 0;
		if (aor != NULL)
			aor->type = ASIdOrRange_id;
	}
	ck_assert_int_eq(ok, 1);
	reject_x509(x509_with(NULL, asid), "more than 200000 AS numbers");
}
END_TEST

START_TEST(test_resources_inherit_takes_issuer_set)
{
	struct resources issuer, child;

	res_make(&issuer, "10.0.0.0/8 192.168.0.0/16 2001:db8::/32",
		 "64496-64511");
	res_make(&child, "inherit4 inherit6", "inherit");
	ck_assert(resources_inherit_and_check(&child, &issuer, URI));
	ck_assert(!child.v4_inherit && !child.v6_inherit && !child.as_inherit);
	ck_assert_uint_eq(child.v4_len, 2);
	ck_assert_mem_eq(child.v4, issuer.v4, 2 * sizeof(*child.v4));
	ck_assert_uint_eq(child.v6_len, 1);
	ck_assert_mem_eq(child.v6, issuer.v6, sizeof(*child.v6));
	ck_assert_uint_eq(child.as_len, 1);
	ck_assert_uint_eq(child.as[0].min, 64496);
	ck_assert_uint_eq(child.as[0].max, 64511);
	/* A copy: the issuer's arrays stay the issuer's. */
	ck_assert_ptr_ne(child.v4, issuer.v4);
	resources_clear(&child);
	resources_clear(&issuer);
}
END_TEST

START_TEST(test_resources_inherit_only_where_child_inherits)
{
	struct resources issuer, child;

	res_make(&issuer, "10.0.0.0/8 2001:db8::/32", "64496-64511");
	res_make(&child, "inherit4 2001:db8:1::/48", "64500");
	ck_assert(resources_inherit_and_check(&child, &issuer, URI));
	ck_assert_uint_eq(child.v4_len, 1);
	assert_v4(&child.v4[0], "10.0.0.0", "10.255.255.255");
	ck_assert_uint_eq(child.v6_len, 1);
	assert_v6(&child.v6[0],
		  "2001:db8:1::", "2001:db8:1:ffff:ffff:ffff:ffff:ffff");
	ck_assert_uint_eq(child.as_len, 1);
	ck_assert_uint_eq(child.as[0].min, 64500);
	resources_clear(&child);
	resources_clear(&issuer);
}
END_TEST

START_TEST(test_resources_inherit_from_issuer_without_family_is_empty)
{
	struct resources issuer, child;

	res_make(&issuer, "10.0.0.0/8", NULL);
	res_make(&child, "inherit6", "inherit");
	ck_assert(resources_inherit_and_check(&child, &issuer, URI));
	ck_assert_uint_eq(child.v6_len + child.as_len, 0);
	ck_assert(!resources_contains_as(&child, 64496));
	resources_clear(&child);
	resources_clear(&issuer);
}
END_TEST

START_TEST(test_resources_contained_child_accepted)
{
	struct resources issuer, child;

	res_make(&issuer, "10.0.0.0/8 172.16.0.0/12 2001:db8::/32",
		 "64496-64511 65536");
	res_make(&child,
		 "10.0.0.0/8 172.16.5.0-172.16.9.255 2001:db8:ffff::/48",
		 "64496 64500-64511 65536");
	ck_assert(resources_inherit_and_check(&child, &issuer, URI));
	resources_clear(&child);
	resources_clear(&issuer);
}
END_TEST

START_TEST(test_resources_overclaim_rejected)
{
	struct resources issuer, child;

	res_make(&issuer, "10.0.0.0/8", NULL);
	res_make(&child, "10.0.0.0/16 11.0.0.0/16", NULL);
	reject_overclaim(&child, &issuer, "11.0.0.0/16");
	resources_clear(&child);
	resources_clear(&issuer);
}
END_TEST

START_TEST(test_resources_overclaim_names_first_uncovered_range)
{
	struct resources issuer, child;

	res_make(&issuer, "10.0.0.0/24", NULL);
	res_make(&child, "10.0.0.200-10.0.1.3 10.9.0.0/16", NULL);
	reject_overclaim(&child, &issuer, "10.0.0.200-10.0.1.3");
	resources_clear(&child);
	resources_clear(&issuer);
}
END_TEST

START_TEST(test_resources_range_across_two_issuer_ranges_rejected)
{
	struct resources issuer, child;

	/* The gap 10.0.1.0/24 is not the issuer's. */
	res_make(&issuer, "10.0.0.0/24 10.0.2.0/24", NULL);
	res_make(&child, "10.0.0.0-10.0.2.255", NULL);
	reject_overclaim(&child, &issuer, "10.0.0.0-10.0.2.255");
	resources_clear(&child);
	resources_clear(&issuer);
}
END_TEST

START_TEST(test_resources_v6_overclaim_rejected)
{
	struct resources issuer, child;

	res_make(&issuer, "10.0.0.0/8 2001:db8::/32", NULL);
	res_make(&child, "10.0.0.0/8 2001:db9::/32", NULL);
	reject_overclaim(&child, &issuer, "2001:db9::/32");
	resources_clear(&child);
	resources_clear(&issuer);
}
END_TEST

START_TEST(test_resources_as_overclaim_rejected)
{
	struct resources issuer, child;

	res_make(&issuer, NULL, "64496-64511");
	res_make(&child, NULL, "64500 64510-64512");
	reject_overclaim(&child, &issuer, "AS64510-AS64512");
	resources_clear(&child);
	resources_clear(&issuer);
}
END_TEST

START_TEST(test_resources_child_ip_issuer_without_ip_rejected)
{
	struct resources issuer, child;

	res_make(&issuer, NULL, "64496-64511");
	res_make(&child, "10.0.0.0/8", NULL);
	reject_overclaim(&child, &issuer, "10.0.0.0/8");
	resources_clear(&child);
	resources_clear(&issuer);
}
END_TEST

START_TEST(test_resources_child_without_ip_holds_none)
{
	struct resources issuer, child;
	unsigned char a[4] = {10, 0, 0, 0};

	res_make(&issuer, "10.0.0.0/8", "64496");
	res_make(&child, NULL, "64496");
	ck_assert(resources_inherit_and_check(&child, &issuer, URI));
	ck_assert(!child.has_ip);
	ck_assert(!resources_contains_prefix(&child, 4, a, 8));
	resources_clear(&child);
	resources_clear(&issuer);
}
END_TEST

START_TEST(test_resources_ca_overclaim_fixture_rejected)
{
	/* expected/rejected.txt: ta1/DD93...cer overclaims against ta1.cer. */
	char *ta = testdata_find("ca-overclaim", "ta1.cer", "/ta/");
	char *ca = testdata_find("ca-overclaim",
				 "DD930839B0623F07EB2805742410AEB2BA75D300.cer",
				 "/repo0/ta1/");
	struct resources issuer, child;

	res_of_file(&issuer, ta);
	res_of_file(&child, ca);
	reject_overclaim(&child, &issuer, "not contained in the issuer's");
	resources_clear(&child);
	resources_clear(&issuer);
	free(ca);
	free(ta);
}
END_TEST

START_TEST(test_resources_good_fixture_children_contained)
{
	char *ta = testdata_find("good", "ta1.cer", "/ta/");
	size_t n, i;
	char **kids = testdata_find_all("good", ".cer", "/ta1/", &n);
	struct resources issuer;

	res_of_file(&issuer, ta);
	ck_assert_uint_gt(n, 0);
	for (i = 0; i < n; i++) {
		struct resources child;

		res_of_file(&child, kids[i]);
		ck_assert_msg(resources_inherit_and_check(&child, &issuer,
							  kids[i]),
			      "%s", kids[i]);
		resources_clear(&child);
		free(kids[i]);
	}
	free(kids);
	resources_clear(&issuer);
	free(ta);
}
END_TEST

START_TEST(test_resources_contains_prefix)
{
	struct resources r;
	unsigned char a[16];
	unsigned afi;

	res_make(&r, "10.0.0.0/8 192.168.0.5-192.168.0.9 2001:db8::/32", NULL);
	parse_addr("10.1.2.0", &afi, a);
	ck_assert(resources_contains_prefix(&r, 4, a, 24));
	ck_assert(resources_contains_prefix(&r, 4, a, 8));
	ck_assert(!resources_contains_prefix(&r, 4, a, 7));
	ck_assert(!resources_contains_prefix(&r, 4, a, 33));
	/* The same bytes as IPv6 are 0a01:0200::, not held. */
	ck_assert(!resources_contains_prefix(&r, 6, a, 16));
	parse_addr("192.168.0.8", &afi, a);
	ck_assert(resources_contains_prefix(&r, 4, a, 31));
	ck_assert(!resources_contains_prefix(&r, 4, a, 30));
	parse_addr("192.168.0.10", &afi, a);
	ck_assert(!resources_contains_prefix(&r, 4, a, 32));
	parse_addr("2001:db8:1::", &afi, a);
	ck_assert(resources_contains_prefix(&r, 6, a, 48));
	ck_assert(resources_contains_prefix(&r, 6, a, 128));
	ck_assert(!resources_contains_prefix(&r, 6, a, 31));
	ck_assert(!resources_contains_prefix(&r, 6, a, 129));
	ck_assert(!resources_contains_prefix(&r, 5, a, 8));
	parse_addr("9.255.255.255", &afi, a);
	ck_assert(!resources_contains_prefix(&r, 4, a, 32));
	resources_clear(&r);
}
END_TEST

START_TEST(test_resources_contains_as)
{
	struct resources r;

	res_make(&r, NULL, "0 64496-64511 65536");
	ck_assert(resources_contains_as(&r, 0));
	ck_assert(!resources_contains_as(&r, 1));
	ck_assert(resources_contains_as(&r, 64496));
	ck_assert(resources_contains_as(&r, 64511));
	ck_assert(!resources_contains_as(&r, 64512));
	ck_assert(resources_contains_as(&r, 65536));
	ck_assert(!resources_contains_as(&r, 4294967295u));
	resources_clear(&r);
}
END_TEST

START_TEST(test_resources_copy_is_deep)
{
	struct resources r, copy;

	res_make(&r, "10.0.0.0/8 2001:db8::/32", "inherit");
	ck_assert(resources_copy(&copy, &r));
	ck_assert(copy.has_ip && copy.has_as && copy.as_inherit);
	ck_assert_uint_eq(copy.v4_len, 1);
	ck_assert_ptr_ne(copy.v4, r.v4);
	ck_assert_mem_eq(copy.v4, r.v4, sizeof(*r.v4));
	ck_assert_ptr_ne(copy.v6, r.v6);
	resources_clear(&r);
	/* Still readable after the original is gone (ASan would say). */
	ck_assert_uint_eq(copy.v4[0].min[0], 10);
	resources_clear(&copy);
}
END_TEST

START_TEST(test_resources_clear_zeroes)
{
	struct resources r;

	res_make(&r, "10.0.0.0/8", "64496");
	resources_clear(&r);
	ck_assert_ptr_null(r.v4);
	ck_assert_ptr_null(r.as);
	ck_assert(!r.has_ip && !r.has_as);
	resources_clear(&r); /* twice is harmless */
}
END_TEST

static Suite *
resources_suite(void)
{
	Suite *s = suite_create("resources");
	TCase *tp = tcase_create("parse");
	TCase *tc = tcase_create("contain");

	/* Generous: the limit tests build 200,000 elements under ASan. */
	tcase_set_timeout(tp, 300);
	tcase_add_test(tp, test_resources_reads_fixture_ta);
	tcase_add_test(tp, test_resources_reads_every_good_certificate);
	tcase_add_test(tp, test_resources_ranges_sorted_and_v4_in_first_bytes);
	tcase_add_test(tp, test_resources_reads_inherit_per_family);
	tcase_add_test(tp, test_resources_absent_extensions_hold_nothing);
	tcase_add_test(tp, test_resources_rejects_overlapping_prefixes);
	tcase_add_test(tp, test_resources_rejects_unsorted_prefixes);
	tcase_add_test(tp, test_resources_rejects_adjacent_prefixes);
	tcase_add_test(tp, test_resources_rejects_noncanonical_as);
	tcase_add_test(tp, test_resources_rejects_safi);
	tcase_add_test(tp, test_resources_rejects_unknown_afi);
	tcase_add_test(tp, test_resources_rejects_empty_ip_family);
	tcase_add_test(tp, test_resources_rejects_ip_extension_without_family);
	tcase_add_test(tp, test_resources_rejects_empty_as_list);
	tcase_add_test(tp, test_resources_rejects_as_extension_without_asnum);
	tcase_add_test(tp, test_resources_rejects_rdi);
	tcase_add_test(tp, test_resources_rejects_rdi_alone);
	tcase_add_test(tp, test_resources_rejects_as_above_32_bits);
	tcase_add_test(tp, test_resources_rejects_as_range_above_32_bits);
	tcase_add_test(tp, test_resources_accepts_as_4294967295);
	tcase_add_test(tp,
		       test_resources_accepts_as_at_16_and_32_bit_boundaries);
	tcase_add_test(tp,
		       test_resources_rejects_ipv4_prefix_longer_than_32_bits);
	tcase_add_test(tp, test_resources_rejects_ipv4_prefix_of_33_bits);
	tcase_add_test(tp,
		       test_resources_rejects_ipv6_prefix_longer_than_128_bits);
	tcase_add_test(tp,
		       test_resources_rejects_ipv4_range_longer_than_32_bits);
	tcase_add_test(tp, test_resources_rejects_negative_as);
	tcase_add_test(tp, test_resources_rejects_undecodable_ip_extension);
	tcase_add_test(tp, test_resources_rejects_two_ip_extensions);
	tcase_add_test(tp, test_resources_rejects_too_many_ip_elements);
	tcase_add_test(tp, test_resources_accepts_max_ip_elements);
	tcase_add_test(tp, test_resources_rejects_too_many_as_elements);
	suite_add_tcase(s, tp);

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_resources_inherit_takes_issuer_set);
	tcase_add_test(tc, test_resources_inherit_only_where_child_inherits);
	tcase_add_test(
	    tc, test_resources_inherit_from_issuer_without_family_is_empty);
	tcase_add_test(tc, test_resources_contained_child_accepted);
	tcase_add_test(tc, test_resources_overclaim_rejected);
	tcase_add_test(tc,
		       test_resources_overclaim_names_first_uncovered_range);
	tcase_add_test(tc,
		       test_resources_range_across_two_issuer_ranges_rejected);
	tcase_add_test(tc, test_resources_v6_overclaim_rejected);
	tcase_add_test(tc, test_resources_as_overclaim_rejected);
	tcase_add_test(tc, test_resources_child_ip_issuer_without_ip_rejected);
	tcase_add_test(tc, test_resources_child_without_ip_holds_none);
	tcase_add_test(tc, test_resources_ca_overclaim_fixture_rejected);
	tcase_add_test(tc, test_resources_good_fixture_children_contained);
	tcase_add_test(tc, test_resources_contains_prefix);
	tcase_add_test(tc, test_resources_contains_as);
	tcase_add_test(tc, test_resources_copy_is_deep);
	tcase_add_test(tc, test_resources_clear_zeroes);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(resources_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
