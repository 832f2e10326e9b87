/*
 * Tests for rp/roa.c: each test proves one rule of RFC 9582 s.4, and every
 * rejection test also checks that exactly one log line names the URI and
 * the rule, and that nothing is left allocated in the struct.
 *
 * Malformed eContents are written here as DER, built from small pieces by
 * hand, independently of the templates in rp/roa.c, so that a mistake in
 * one is not repeated in the other. Valid eContents come from the fixture
 * generator's ROAs, taken out of their CMS envelope with OpenSSL's API.
 */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <openssl/cms.h>

#include "derbuild.h"
#include "rp/limits.h"
#include "rp/log.h"
#include "rp/roa.h"
#include "testdata.h"

#define URI "rsync://rpki.example.net/repo/ca/test.roa"

/* X.690 tags of the types a RouteOriginAttestation is made of. */

/* No maxLength in roa_addr(); negative maxLengths are tested too. */
#define NO_MAXLEN INT_MIN

/* No version field in roa(). */
#define NO_VERSION (-1)

/* A BIT STRING of len bits of the address text (RFC 3779 s.2.1.1). */
static struct der
roa_bits(int af, const char *text, unsigned len)
{
	unsigned char addr[16], content[17];
	size_t nbytes = (len + 7) / 8;

	ck_assert_int_eq(inet_pton(af, text, addr), 1);
	content[0] = (unsigned char)(nbytes * 8 - len);
	memcpy(content + 1, addr, nbytes);
	return der_tlv(TAG_BIT_STRING, der_bytes(content, nbytes + 1));
}

/* ROAIPAddress for text/len, with maxlen unless it is NO_MAXLEN. */
static struct der
roa_addr(int af, const char *text, unsigned len, int maxlen)
{
	struct der d = roa_bits(af, text, len);

	if (maxlen != NO_MAXLEN)
		d = der_cat(d, der_int(maxlen));
	return der_tlv(TAG_SEQUENCE, d);
}

static struct der
v4(const char *text, unsigned len, int maxlen)
{
	return roa_addr(AF_INET, text, len, maxlen);
}

static struct der
v6(const char *text, unsigned len, int maxlen)
{
	return roa_addr(AF_INET6, text, len, maxlen);
}

/* ROAIPAddressFamily with the given addressFamily octets. */
static struct der
roa_family_raw(const char *afi, size_t afi_len, struct der addrs)
{
	return der_tlv(TAG_SEQUENCE,
		       der_cat(der_tlv(TAG_OCTET_STRING,
				       der_bytes(afi, afi_len)),
			       der_tlv(TAG_SEQUENCE, addrs)));
}

static struct der
fam4(struct der addrs)
{
	return roa_family_raw("\x00\x01", 2, addrs);
}

static struct der
fam6(struct der addrs)
{
	return roa_family_raw("\x00\x02", 2, addrs);
}

/* RouteOriginAttestation: [version,] asID, ipAddrBlocks of families. */
static struct der
roa_raw(int version, struct der asid, struct der families)
{
	struct der d = der_empty();

	if (version != NO_VERSION)
		d = der_cat(d, der_tlv(TAG_EXPLICIT_0, der_int(version)));
	d = der_cat(d, asid);
	d = der_cat(d, der_tlv(TAG_SEQUENCE, families));
	return der_tlv(TAG_SEQUENCE, d);
}

static struct der
roa(int64_t asid, struct der families)
{
	return roa_raw(NO_VERSION, der_int(asid), families);
}

/* roa_decode() must fail with one line containing why; frees e. */
static void
reject_roa(struct der e, const char *why)
{
	struct testlog cap;
	struct roa r;
	char *log;

	/* Garbage: roa_decode() must overwrite, never free, these. */
	memset(&r, 0xa5, sizeof(r));
	r.so = NULL;
	testlog_start(&cap);
	ck_assert(!roa_decode(&r, URI, e.d, e.n));
	log = testlog_stop(&cap);
	testlog_assert_one_line(log, URI, why);
	ck_assert_ptr_null(r.prefixes);
	ck_assert_uint_eq(r.num_prefixes, 0);
	free(log);
	der_free(e);
}

/* roa_decode() must succeed without a word; frees e. roa_free() it. */
static struct roa *
accept_roa(struct der e)
{
	struct testlog cap;
	struct roa *r = calloc(1, sizeof(*r));
	char *log;
	bool ok;

	ck_assert_ptr_nonnull(r);
	testlog_start(&cap);
	ok = roa_decode(r, URI, e.d, e.n);
	log = testlog_stop(&cap);
	ck_assert_msg(ok, "rejected: %s", log);
	ck_assert_str_eq(log, "");
	ck_assert_ptr_null(r->so);
	free(log);
	der_free(e);
	return r;
}

static void
assert_prefix(const struct roa_prefix *p, int af, const char *text,
	      unsigned len, unsigned maxlen)
{
	unsigned char addr[16] = {0};

	ck_assert_int_eq(inet_pton(af, text, addr), 1);
	ck_assert_uint_eq(p->afi, af == AF_INET ? 4 : 6);
	ck_assert_mem_eq(p->addr, addr, sizeof(addr));
	ck_assert_uint_eq(p->prefixlen, len);
	ck_assert_uint_eq(p->maxlen, maxlen);
}

START_TEST(test_roa_ipv4_prefix_accepted)
{
	struct roa *r = accept_roa(roa(64496, fam4(v4("192.0.2.0", 24, 26))));

	ck_assert_uint_eq(r->asid, 64496);
	ck_assert_uint_eq(r->num_prefixes, 1);
	assert_prefix(&r->prefixes[0], AF_INET, "192.0.2.0", 24, 26);
	roa_free(r);
}
END_TEST

/* RFC 9582 s.4.3.2: no maxLength means the prefix length. */
START_TEST(test_roa_absent_maxlength_is_prefix_len)
{
	struct roa *r =
	    accept_roa(roa(64496, fam4(v4("198.51.100.0", 22, NO_MAXLEN))));

	ck_assert_uint_eq(r->num_prefixes, 1);
	assert_prefix(&r->prefixes[0], AF_INET, "198.51.100.0", 22, 22);
	roa_free(r);
}
END_TEST

START_TEST(test_roa_both_families_accepted_in_order)
{
	struct roa *r =
	    accept_roa(roa(65551,
			   der_cat(fam4(der_cat(v4("192.0.2.0", 24, NO_MAXLEN),
						v4("203.0.113.0", 24, 32))),
				   fam6(v6("2001:db8::", 32, 48)))));

	ck_assert_uint_eq(r->asid, 65551);
	ck_assert_uint_eq(r->num_prefixes, 3);
	assert_prefix(&r->prefixes[0], AF_INET, "192.0.2.0", 24, 24);
	assert_prefix(&r->prefixes[1], AF_INET, "203.0.113.0", 24, 32);
	assert_prefix(&r->prefixes[2], AF_INET6, "2001:db8::", 32, 48);
	roa_free(r);
}
END_TEST

START_TEST(test_roa_ipv6_only_accepted)
{
	struct roa *r =
	    accept_roa(roa(64496, fam6(v6("2001:db8:1::", 48, 128))));

	ck_assert_uint_eq(r->num_prefixes, 1);
	assert_prefix(&r->prefixes[0], AF_INET6, "2001:db8:1::", 48, 128);
	roa_free(r);
}
END_TEST

/* A prefix of length 0 is a BIT STRING of no bits: 03 01 00. */
START_TEST(test_roa_zero_length_prefix_accepted)
{
	struct roa *r = accept_roa(
	    roa(64496,
		der_cat(fam4(v4("0.0.0.0", 0, 0)), fam6(v6("::", 0, 0)))));

	ck_assert_uint_eq(r->num_prefixes, 2);
	assert_prefix(&r->prefixes[0], AF_INET, "0.0.0.0", 0, 0);
	assert_prefix(&r->prefixes[1], AF_INET6, "::", 0, 0);
	roa_free(r);
}
END_TEST

/* RFC 9582 s.4.2, RFC 7607: AS0 is a valid asID. */
START_TEST(test_roa_asid_0_accepted)
{
	struct roa *r =
	    accept_roa(roa(0, fam4(v4("192.0.2.0", 24, NO_MAXLEN))));

	ck_assert_uint_eq(r->asid, 0);
	roa_free(r);
}
END_TEST

START_TEST(test_roa_asid_2_32_minus_1_accepted)
{
	struct roa *r =
	    accept_roa(roa(4294967295LL, fam4(v4("192.0.2.0", 24, NO_MAXLEN))));

	ck_assert_uint_eq(r->asid, 4294967295U);
	roa_free(r);
}
END_TEST

/*
 * RFC 9582 s.4.2: ASID ::= INTEGER (0..4294967295). The values where a
 * 16-bit, a signed 32-bit and an unsigned 32-bit reading part ways.
 */
START_TEST(test_roa_asid_at_16_and_32_bit_boundaries_accepted)
{
	static const int64_t asids[] = {65535, 65536, 2147483647LL,
					2147483648LL, 4294967294LL};
	size_t i;

	for (i = 0; i < sizeof(asids) / sizeof(asids[0]); i++) {
		struct roa *r = accept_roa(
		    roa(asids[i], fam4(v4("192.0.2.0", 24, NO_MAXLEN))));

		ck_assert_uint_eq(r->asid, (uint32_t)asids[i]);
		roa_free(r);
	}
}
END_TEST

START_TEST(test_roa_asid_2_32_rejected)
{
	reject_roa(roa(4294967296LL, fam4(v4("192.0.2.0", 24, NO_MAXLEN))),
		   "ROA asID is not in 0..4294967295 (RFC 9582 s.4.2)");
}
END_TEST

START_TEST(test_roa_negative_asid_rejected)
{
	reject_roa(roa(-1, fam4(v4("192.0.2.0", 24, NO_MAXLEN))),
		   "ROA asID is not in 0..4294967295 (RFC 9582 s.4.2)");
}
END_TEST

START_TEST(test_roa_version_1_rejected)
{
	reject_roa(roa_raw(1, der_int(64496), fam4(v4("192.0.2.0", 24, 24))),
		   "ROA version is not 0 (RFC 9582 s.4.1)");
}
END_TEST

/* X.690 s.11.5: DER leaves out a value equal to the DEFAULT. */
START_TEST(test_roa_explicit_version_0_rejected)
{
	reject_roa(roa_raw(0, der_int(64496), fam4(v4("192.0.2.0", 24, 24))),
		   "ROA version 0 is encoded, but DER omits a DEFAULT value "
		   "(RFC 9582 s.4.1, X.690 s.11.5)");
}
END_TEST

START_TEST(test_roa_maxlength_below_prefix_len_rejected)
{
	reject_roa(roa(64496, fam4(v4("192.0.2.0", 24, 23))),
		   URI
		   ": maxLength below the prefix length (RFC 9582 s.4.3.2): "
		   "192.0.2.0/24");
}
END_TEST

START_TEST(test_roa_negative_maxlength_rejected)
{
	reject_roa(roa(64496, fam4(v4("0.0.0.0", 0, -1))),
		   "maxLength below the prefix length (RFC 9582 s.4.3.2)");
}
END_TEST

START_TEST(test_roa_maxlength_equal_to_prefix_len_accepted)
{
	struct roa *r = accept_roa(roa(64496, fam4(v4("192.0.2.0", 24, 24))));

	assert_prefix(&r->prefixes[0], AF_INET, "192.0.2.0", 24, 24);
	roa_free(r);
}
END_TEST

START_TEST(test_roa_maxlength_33_rejected)
{
	reject_roa(roa(64496, fam4(v4("192.0.2.0", 24, 33))),
		   URI
		   ": maxLength above the address length (RFC 9582 s.4.3.2): "
		   "192.0.2.0/24");
}
END_TEST

START_TEST(test_roa_maxlength_129_rejected)
{
	reject_roa(roa(64496, fam6(v6("2001:db8::", 32, 129))),
		   URI
		   ": maxLength above the address length (RFC 9582 s.4.3.2): "
		   "2001:db8::/32");
}
END_TEST

/* 2^64: beyond what ASN1_INTEGER_get_int64 reads. */
START_TEST(test_roa_huge_maxlength_rejected)
{
	struct der a =
	    der_tlv(TAG_SEQUENCE,
		    der_cat(roa_bits(AF_INET, "192.0.2.0", 24),
			    der_int_raw("\x01\x00\x00\x00\x00\x00\x00\x00\x00",
					9)));

	reject_roa(roa(64496, fam4(a)),
		   "maxLength above the address length (RFC 9582 s.4.3.2)");
}
END_TEST

/* RFC 3779 s.2.2.3.8: an IPv4 address is at most 32 bits. */
START_TEST(test_roa_ipv4_address_longer_than_32_bits_rejected)
{
	static const unsigned char bits[] = {0x00, 192, 0, 2, 0, 0};
	struct der a =
	    der_tlv(TAG_SEQUENCE,
		    der_tlv(TAG_BIT_STRING, der_bytes(bits, sizeof(bits))));

	reject_roa(roa(64496, fam4(a)),
		   "ROA address is longer than 32 bits (RFC 9582 s.4.3.2)");
}
END_TEST

START_TEST(test_roa_ipv6_address_longer_than_128_bits_rejected)
{
	unsigned char bits[18] = {0x07, 0x20, 0x01, 0x0d, 0xb8};
	struct der a =
	    der_tlv(TAG_SEQUENCE,
		    der_tlv(TAG_BIT_STRING, der_bytes(bits, sizeof(bits))));

	reject_roa(roa(64496, fam6(a)),
		   "ROA address is longer than 128 bits (RFC 9582 s.4.3.2)");
}
END_TEST

/*
 * 192.0.2.1/31: seven bits used of the last octet and the eighth set.
 * X.690 s.11.2.1 makes the unused bits zero in DER.
 */
START_TEST(test_roa_bits_beyond_prefix_rejected)
{
	static const unsigned char bits[] = {0x01, 192, 0, 2, 1};
	struct der a =
	    der_tlv(TAG_SEQUENCE,
		    der_tlv(TAG_BIT_STRING, der_bytes(bits, sizeof(bits))));

	reject_roa(roa(64496, fam4(a)),
		   "RouteOriginAttestation is not DER-encoded");
}
END_TEST

/* An empty BIT STRING has no last octet for unused bits (X.690 s.8.6.2.3). */
START_TEST(test_roa_empty_bit_string_with_unused_bits_rejected)
{
	static const unsigned char bits[] = {0x07};
	struct der a =
	    der_tlv(TAG_SEQUENCE,
		    der_tlv(TAG_BIT_STRING, der_bytes(bits, sizeof(bits))));
	struct der e = roa(64496, fam4(a));
	struct testlog cap;
	struct roa r = {0};
	char *log;

	/* OpenSSL may refuse it as it decodes or as it re-encodes. */
	testlog_start(&cap);
	ck_assert(!roa_decode(&r, URI, e.d, e.n));
	log = testlog_stop(&cap);
	testlog_assert_one_line(log, URI, "RouteOriginAttestation");
	free(log);
	der_free(e);
}
END_TEST

START_TEST(test_roa_safi_rejected)
{
	reject_roa(roa(64496,
		       roa_family_raw("\x00\x01\x01", 3,
				      v4("192.0.2.0", 24, NO_MAXLEN))),
		   "ROA addressFamily carries a SAFI (RFC 9582 s.4.3.1)");
}
END_TEST

START_TEST(test_roa_unknown_afi_rejected)
{
	reject_roa(roa(64496,
		       roa_family_raw("\x00\x03", 2,
				      v4("192.0.2.0", 24, NO_MAXLEN))),
		   "ROA addressFamily is not IPv4 (0001) or IPv6 (0002) "
		   "(RFC 9582 s.4.3.1)");
}
END_TEST

START_TEST(test_roa_one_octet_afi_rejected)
{
	reject_roa(roa(64496,
		       roa_family_raw("\x01", 1,
				      v4("192.0.2.0", 24, NO_MAXLEN))),
		   "ROA addressFamily is not IPv4 (0001) or IPv6 (0002)");
}
END_TEST

/*
 * Non-canonical ROAs (RFC 9582 s.4.3.3 is the issuer's duty) are kept,
 * with one line saying what is not canonical.
 */
static struct roa *
accept_noncanonical(struct der e, const char *why)
{
	struct testlog cap;
	struct roa *r = calloc(1, sizeof(*r));
	char *log;
	bool ok;

	ck_assert_ptr_nonnull(r);
	testlog_start(&cap);
	ok = roa_decode(r, URI, e.d, e.n);
	log = testlog_stop(&cap);
	ck_assert_msg(ok, "rejected: %s", log);
	testlog_assert_one_line(log, URI, why);
	free(log);
	der_free(e);
	return r;
}

START_TEST(test_roa_families_out_of_order_accepted)
{
	struct roa *r = accept_noncanonical(
	    roa(64496,
		der_cat(fam6(v6("2001:db8::", 32, NO_MAXLEN)),
			fam4(v4("192.0.2.0", 24, NO_MAXLEN)))),
	    "not in ascending order, not canonical (RFC 9582 s.4.3.3)");

	ck_assert_uint_eq(r->num_prefixes, 2);
	roa_free(r);
}
END_TEST

START_TEST(test_roa_family_twice_rejected)
{
	reject_roa(roa(64496,
		       der_cat(fam4(v4("192.0.2.0", 24, NO_MAXLEN)),
			       fam4(v4("198.51.100.0", 24, NO_MAXLEN)))),
		   "ROA has two blocks for one address family "
		   "(RFC 9582 s.4.3.1)");
}
END_TEST

START_TEST(test_roa_three_families_rejected)
{
	reject_roa(roa(64496,
		       der_cat(der_cat(fam4(v4("192.0.2.0", 24, NO_MAXLEN)),
				       fam6(v6("2001:db8::", 32, NO_MAXLEN))),
			       fam6(v6("2001:db8:1::", 48, NO_MAXLEN)))),
		   "ROA ipAddrBlocks must hold one or two address families "
		   "(RFC 9582 s.4.3)");
}
END_TEST

START_TEST(test_roa_no_families_rejected)
{
	reject_roa(roa(64496, der_empty()),
		   "ROA ipAddrBlocks must hold one or two address families "
		   "(RFC 9582 s.4.3)");
}
END_TEST

START_TEST(test_roa_family_without_addresses_rejected)
{
	reject_roa(roa(64496, fam4(der_empty())),
		   "ROA address family has no addresses (RFC 9582 s.4.3.1)");
}
END_TEST

START_TEST(test_roa_duplicate_prefix_accepted)
{
	struct roa *r = accept_noncanonical(
	    roa(64496,
		fam4(der_cat(der_cat(v4("192.0.2.0", 24, 26),
				     v4("198.51.100.0", 24, 24)),
			     v4("192.0.2.0", 24, 26)))),
	    "ROA lists 192.0.2.0/24 maxLength 26 twice, not canonical");

	ck_assert_uint_eq(r->num_prefixes, 3);
	roa_free(r);
}
END_TEST

/* Both entries give the VRP 2001:db8::/32-32. */
START_TEST(test_roa_absent_and_equal_maxlength_are_duplicates)
{
	struct roa *r = accept_noncanonical(
	    roa(64496,
		fam6(der_cat(v6("2001:db8::", 32, 32),
			     v6("2001:db8::", 32, NO_MAXLEN)))),
	    "ROA lists 2001:db8::/32 maxLength 32 twice, not canonical");

	roa_free(r);
}
END_TEST

START_TEST(test_roa_same_prefix_two_maxlengths_accepted)
{
	struct roa *r = accept_roa(roa(64496,
				       fam4(der_cat(v4("192.0.2.0", 24, 24),
						    v4("192.0.2.0", 24, 25)))));

	ck_assert_uint_eq(r->num_prefixes, 2);
	assert_prefix(&r->prefixes[1], AF_INET, "192.0.2.0", 24, 25);
	roa_free(r);
}
END_TEST

/* The same prefix bits in both families are different prefixes. */
START_TEST(test_roa_same_bits_in_both_families_accepted)
{
	struct roa *r = accept_roa(roa(64496,
				       der_cat(fam4(v4("32.1.0.0", 16, 16)),
					       fam6(v6("2001::", 16, 16)))));

	ck_assert_uint_eq(r->num_prefixes, 2);
	roa_free(r);
}
END_TEST

/* X.690 s.10.1: the definite form in the fewest octets. */
START_TEST(test_roa_ber_rejected)
{
	struct der good = roa(64496, fam4(v4("192.0.2.0", 24, NO_MAXLEN)));
	unsigned char len = good.d[1];
	struct der e;

	ck_assert_uint_lt(len, 0x80);
	e = der_bytes("\x30\x81", 2);
	e = der_cat(e, der_bytes(&len, 1));
	e = der_cat(e, der_bytes(good.d + 2, good.n - 2));
	der_free(good);
	reject_roa(e,
		   "RouteOriginAttestation is not DER-encoded "
		   "(RFC 9582 s.4, X.690 s.10-11)");
}
END_TEST

/* X.690 s.10.1: no indefinite length in DER. */
START_TEST(test_roa_indefinite_length_rejected)
{
	struct der good = roa(64496, fam4(v4("192.0.2.0", 24, NO_MAXLEN)));
	struct der e = der_bytes("\x30\x80", 2);

	e = der_cat(e, der_bytes(good.d + 2, good.n - 2));
	e = der_cat(e, der_bytes("\x00\x00", 2));
	der_free(good);
	reject_roa(e, "RouteOriginAttestation is not DER-encoded");
}
END_TEST

/* X.690 s.8.3.2: an INTEGER in the fewest octets. */
START_TEST(test_roa_non_minimal_integer_rejected)
{
	struct der e = roa_raw(NO_VERSION, der_int_raw("\x00\x00\xfb\xf0", 4),
			       fam4(v4("192.0.2.0", 24, NO_MAXLEN)));
	struct testlog cap;
	struct roa r = {0};
	char *log;

	/* OpenSSL refuses the padding as it decodes. */
	testlog_start(&cap);
	ck_assert(!roa_decode(&r, URI, e.d, e.n));
	log = testlog_stop(&cap);
	testlog_assert_one_line(log, URI, "RouteOriginAttestation");
	free(log);
	der_free(e);
}
END_TEST

START_TEST(test_roa_trailing_bytes_rejected)
{
	struct der e = der_cat(roa(64496, fam4(v4("192.0.2.0", 24, 24))),
			       der_bytes("\x00", 1));

	reject_roa(e,
		   URI ": 1 bytes after the RouteOriginAttestation "
		       "(RFC 9582 s.4)");
}
END_TEST

START_TEST(test_roa_truncated_rejected)
{
	struct der e = roa(64496, fam4(v4("192.0.2.0", 24, 24)));

	e.n--;
	reject_roa(e,
		   "eContent is not a RouteOriginAttestation (RFC 9582 s.4)");
}
END_TEST

START_TEST(test_roa_empty_econtent_rejected)
{
	reject_roa(der_empty(),
		   "eContent is not a RouteOriginAttestation (RFC 9582 s.4)");
}
END_TEST

/* An asID that is an OCTET STRING is not the ASN.1 type at all. */
START_TEST(test_roa_wrong_field_type_rejected)
{
	reject_roa(roa_raw(NO_VERSION,
			   der_tlv(TAG_OCTET_STRING, der_bytes("\xfb\xf0", 2)),
			   fam4(v4("192.0.2.0", 24, NO_MAXLEN))),
		   "eContent is not a RouteOriginAttestation (RFC 9582 s.4)");
}
END_TEST

/* n distinct IPv4 /32s from 10.0.0.0 on. */
static struct der
many_prefixes(size_t n)
{
	struct der addrs = der_empty();
	char text[INET_ADDRSTRLEN];
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(text, sizeof(text), "10.%zu.%zu.%zu", (i >> 16) & 0xff,
			 (i >> 8) & 0xff, i & 0xff);
		addrs = der_cat(addrs, v4(text, 32, NO_MAXLEN));
	}
	return roa(64496, fam4(addrs));
}

START_TEST(test_roa_max_ip_elements_accepted)
{
	struct roa *r = accept_roa(many_prefixes(MAX_IP_ELEMENTS));

	ck_assert_uint_eq(r->num_prefixes, MAX_IP_ELEMENTS);
	assert_prefix(&r->prefixes[MAX_IP_ELEMENTS - 1], AF_INET, "10.3.13.63",
		      32, 32);
	roa_free(r);
}
END_TEST

START_TEST(test_roa_more_than_max_ip_elements_rejected)
{
	reject_roa(many_prefixes(MAX_IP_ELEMENTS + 1),
		   "ROA holds more than 200000 prefixes");
}
END_TEST

START_TEST(test_roa_free_null)
{
	roa_free(NULL);
}
END_TEST

/* The eContent of the signed object at path, through OpenSSL's CMS API. */
static unsigned char *
fixture_econtent(const char *path, size_t *len)
{
	size_t n;
	unsigned char *der = testdata_read(path, &n), *out;
	const unsigned char *p = der;
	CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &p, (long)n);
	ASN1_OCTET_STRING **content;

	ck_assert_msg(cms != NULL, "%s is not CMS", path);
	content = CMS_get0_content(cms);
	ck_assert(content != NULL && *content != NULL);
	*len = (size_t)ASN1_STRING_length(*content);
	out = malloc(*len);
	ck_assert_ptr_nonnull(out);
	memcpy(out, ASN1_STRING_get0_data(*content), *len);
	CMS_ContentInfo_free(cms);
	free(der);
	return out;
}

/* A list of text lines, for comparing VRP sets. */
struct lines {
	char **v;
	size_t n, cap;
};

static void
lines_add(struct lines *l, char *s)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		ck_assert_ptr_nonnull(l->v);
	}
	l->v[l->n++] = s;
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorts l and drops repeated lines. */
static void
lines_unique(struct lines *l)
{
	size_t i, j = 0;

	qsort(l->v, l->n, sizeof(*l->v), str_cmp);
	for (i = 0; i < l->n; i++) {
		if (j > 0 && strcmp(l->v[j - 1], l->v[i]) == 0)
			free(l->v[i]);
		else
			l->v[j++] = l->v[i];
	}
	l->n = j;
}

static void
lines_free(struct lines *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

/* "AS64496,192.0.2.0/24,26", the CSV of expected/vrps.csv without the TA. */
static void
add_vrps(struct lines *l, const struct roa *r)
{
	size_t i;

	for (i = 0; i < r->num_prefixes; i++) {
		const struct roa_prefix *p = &r->prefixes[i];
		char addr[INET6_ADDRSTRLEN], *s;

		ck_assert_ptr_nonnull(
		    inet_ntop(p->afi == 4 ? AF_INET : AF_INET6, p->addr, addr,
			      sizeof(addr)));
		ck_assert_int_ge(asprintf(&s, "AS%u,%s/%u,%u", r->asid, addr,
					  p->prefixlen, p->maxlen),
				 0);
		lines_add(l, s);
	}
}

/* expected/vrps.csv of a case, without its header and TA column. */
static void
expected_vrps(struct lines *l, const char *fixture_case)
{
	char *path = testdata_path(fixture_case, "expected/vrps.csv");
	FILE *fp = fopen(path, "r");
	char buf[256], *comma;

	ck_assert_msg(fp != NULL, "cannot open %s", path);
	ck_assert_ptr_nonnull(fgets(buf, sizeof(buf), fp));
	while (fgets(buf, sizeof(buf), fp) != NULL) {
		ck_assert_ptr_nonnull(comma = strrchr(buf, ','));
		*comma = '\0';
		lines_add(l, strdup(buf));
	}
	fclose(fp);
	free(path);
}

/*
 * Every ROA of the good case decodes, and together they give exactly the
 * VRPs the generator expects (the good case rejects nothing).
 */
START_TEST(test_roa_fixture_econtents_give_expected_vrps)
{
	struct lines got = {0}, want = {0};
	size_t i, n;
	char **paths = testdata_find_all("good", ".roa", NULL, &n);

	ck_assert_uint_gt(n, 0);
	for (i = 0; i < n; i++) {
		size_t len;
		unsigned char *e = fixture_econtent(paths[i], &len);
		struct roa r = {0};

		ck_assert_msg(roa_decode(&r, paths[i], e, len), "%s rejected",
			      paths[i]);
		ck_assert_uint_gt(r.num_prefixes, 0);
		add_vrps(&got, &r);
		free(r.prefixes);
		free(e);
		free(paths[i]);
	}
	free(paths);
	expected_vrps(&want, "good");
	lines_unique(&got);
	lines_unique(&want);
	ck_assert_uint_eq(got.n, want.n);
	for (i = 0; i < got.n; i++)
		ck_assert_str_eq(got.v[i], want.v[i]);
	lines_free(&got);
	lines_free(&want);
}
END_TEST

/* The URI of a rejected.txt line as a path under the case's rsync/. */
static char *
uri_path(const char *fixture_case, const char *uri)
{
	char *rel, *path;

	ck_assert(strncmp(uri, "rsync://", 8) == 0);
	ck_assert_int_ge(asprintf(&rel, "rsync/%s", uri + 8), 0);
	path = testdata_path(fixture_case, rel);
	free(rel);
	return path;
}

/*
 * Each line of the case's expected/rejected.txt ("uri: why") names a ROA
 * that roa_parse() must refuse with one log line containing needle (the
 * whole line when needle is NULL). Returns how many lines there were.
 */
static size_t
rejects_expected(const char *fixture_case, const char *needle)
{
	char *path = testdata_path(fixture_case, "expected/rejected.txt");
	FILE *fp = fopen(path, "r");
	char line[1024], *sep;
	size_t count = 0;

	ck_assert_msg(fp != NULL, "cannot open %s", path);
	while (fgets(line, sizeof(line), fp) != NULL) {
		struct testlog cap;
		unsigned char *der;
		char *file, *log, *uri;
		size_t len;

		line[strcspn(line, "\n")] = '\0';
		ck_assert_ptr_nonnull(sep = strstr(line, ": "));
		ck_assert_ptr_nonnull(uri =
					  strndup(line, (size_t)(sep - line)));
		file = uri_path(fixture_case, uri);
		der = testdata_read(file, &len);
		testlog_start(&cap);
		ck_assert_ptr_null(roa_parse(uri, der, len));
		log = testlog_stop(&cap);
		testlog_assert_one_line(log, uri,
					needle != NULL ? needle : line);
		free(log);
		free(uri);
		free(der);
		free(file);
		count++;
	}
	fclose(fp);
	free(path);
	return count;
}

/* Every ROA of the case passes roa_parse() but those in rejected.txt. */
static void
accepts_others(const char *fixture_case, size_t want_rejected)
{
	size_t i, n, rejected = 0;
	char **paths = testdata_find_all(fixture_case, ".roa", NULL, &n);
	struct testlog cap;

	ck_assert_uint_gt(n, 0);
	testlog_start(&cap);
	for (i = 0; i < n; i++) {
		size_t len;
		unsigned char *der = testdata_read(paths[i], &len);
		struct roa *r = roa_parse(paths[i], der, len);

		if (r == NULL)
			rejected++;
		else {
			ck_assert_ptr_nonnull(r->so);
			ck_assert_ptr_nonnull(r->so->ee);
			ck_assert_uint_gt(r->num_prefixes, 0);
		}
		roa_free(r);
		free(der);
		free(paths[i]);
	}
	free(testlog_stop(&cap));
	free(paths);
	ck_assert_uint_eq(rejected, want_rejected);
}

START_TEST(test_roa_parse_accepts_fixture_objects)
{
	accepts_others("good", 0);
	accepts_others("as0-roa", 0);
	accepts_others("duplicate-vrps", 0);
}
END_TEST

START_TEST(test_roa_parse_rejects_bad_signature)
{
	size_t n = rejects_expected("roa-bad-signature",
				    "CMS signature does not verify");

	ck_assert_uint_eq(n, 1);
	accepts_others("roa-bad-signature", 1);
}
END_TEST

/* The generator's expected log lines, word for word. */
START_TEST(test_roa_parse_rejects_fixture_maxlength_below_prefix)
{
	size_t n = rejects_expected("roa-maxlength-below-prefix", NULL);

	ck_assert_uint_eq(n, 1);
	accepts_others("roa-maxlength-below-prefix", 1);
}
END_TEST

START_TEST(test_roa_parse_rejects_fixture_maxlength_too_long)
{
	size_t n = rejects_expected("roa-maxlength-too-long", NULL);

	ck_assert_uint_eq(n, 2);
	accepts_others("roa-maxlength-too-long", 2);
}
END_TEST

/* RFC 9582 s.3: the eContentType must be id-ct-routeOriginAuthz. */
START_TEST(test_roa_parse_rejects_aspa_object)
{
	char *path = testdata_find("good", ".asa", NULL);
	struct testlog cap;
	unsigned char *der;
	size_t len;
	char *log;

	der = testdata_read(path, &len);
	testlog_start(&cap);
	ck_assert_ptr_null(roa_parse(path, der, len));
	log = testlog_stop(&cap);
	testlog_assert_one_line(log, path, "wrong eContentType");
	free(log);
	free(der);
	free(path);
}
END_TEST

static Suite *
roa_suite(void)
{
	Suite *s = suite_create("roa");
	TCase *tc = tcase_create("econtent");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_roa_ipv4_prefix_accepted);
	tcase_add_test(tc, test_roa_absent_maxlength_is_prefix_len);
	tcase_add_test(tc, test_roa_both_families_accepted_in_order);
	tcase_add_test(tc, test_roa_ipv6_only_accepted);
	tcase_add_test(tc, test_roa_zero_length_prefix_accepted);
	tcase_add_test(tc, test_roa_asid_0_accepted);
	tcase_add_test(tc, test_roa_asid_2_32_minus_1_accepted);
	tcase_add_test(tc, test_roa_asid_at_16_and_32_bit_boundaries_accepted);
	tcase_add_test(tc, test_roa_asid_2_32_rejected);
	tcase_add_test(tc, test_roa_negative_asid_rejected);
	tcase_add_test(tc, test_roa_version_1_rejected);
	tcase_add_test(tc, test_roa_explicit_version_0_rejected);
	tcase_add_test(tc, test_roa_maxlength_below_prefix_len_rejected);
	tcase_add_test(tc, test_roa_negative_maxlength_rejected);
	tcase_add_test(tc, test_roa_maxlength_equal_to_prefix_len_accepted);
	tcase_add_test(tc, test_roa_maxlength_33_rejected);
	tcase_add_test(tc, test_roa_maxlength_129_rejected);
	tcase_add_test(tc, test_roa_huge_maxlength_rejected);
	tcase_add_test(tc, test_roa_ipv4_address_longer_than_32_bits_rejected);
	tcase_add_test(tc, test_roa_ipv6_address_longer_than_128_bits_rejected);
	tcase_add_test(tc, test_roa_bits_beyond_prefix_rejected);
	tcase_add_test(tc, test_roa_empty_bit_string_with_unused_bits_rejected);
	tcase_add_test(tc, test_roa_safi_rejected);
	tcase_add_test(tc, test_roa_unknown_afi_rejected);
	tcase_add_test(tc, test_roa_one_octet_afi_rejected);
	tcase_add_test(tc, test_roa_families_out_of_order_accepted);
	tcase_add_test(tc, test_roa_family_twice_rejected);
	tcase_add_test(tc, test_roa_three_families_rejected);
	tcase_add_test(tc, test_roa_no_families_rejected);
	tcase_add_test(tc, test_roa_family_without_addresses_rejected);
	tcase_add_test(tc, test_roa_duplicate_prefix_accepted);
	tcase_add_test(tc, test_roa_absent_and_equal_maxlength_are_duplicates);
	tcase_add_test(tc, test_roa_same_prefix_two_maxlengths_accepted);
	tcase_add_test(tc, test_roa_same_bits_in_both_families_accepted);
	tcase_add_test(tc, test_roa_ber_rejected);
	tcase_add_test(tc, test_roa_indefinite_length_rejected);
	tcase_add_test(tc, test_roa_non_minimal_integer_rejected);
	tcase_add_test(tc, test_roa_trailing_bytes_rejected);
	tcase_add_test(tc, test_roa_truncated_rejected);
	tcase_add_test(tc, test_roa_empty_econtent_rejected);
	tcase_add_test(tc, test_roa_wrong_field_type_rejected);
	tcase_add_test(tc, test_roa_max_ip_elements_accepted);
	tcase_add_test(tc, test_roa_more_than_max_ip_elements_rejected);
	tcase_add_test(tc, test_roa_free_null);
	suite_add_tcase(s, tc);

	tc = tcase_create("fixtures");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_roa_fixture_econtents_give_expected_vrps);
	tcase_add_test(tc, test_roa_parse_accepts_fixture_objects);
	tcase_add_test(tc, test_roa_parse_rejects_bad_signature);
	tcase_add_test(tc,
		       test_roa_parse_rejects_fixture_maxlength_below_prefix);
	tcase_add_test(tc, test_roa_parse_rejects_fixture_maxlength_too_long);
	tcase_add_test(tc, test_roa_parse_rejects_aspa_object);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(roa_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
