/*
 * Tests for rp/validity.c: RFC 6811 s.2's rules one case at a time (covered,
 * matched, Valid/Invalid/NotFound), AS0 VRPs (RFC 6483 s.4), families kept
 * apart, the parser's messages, and a 200,000-VRP set answered the same as
 * a brute-force scan of every VRP.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rp/validity.h"
#include "rp/vrpset.h"
#include "testdata.h"

#define V testdata_vrp

/* A finished set of vrps[0..n), with the TAs "ta1" (0) and "ta2" (1). */
static struct vrpset *
finished_set(const struct vrp *vrps, size_t n)
{
	struct vrpset *set = vrpset_new();
	size_t i;

	ck_assert_ptr_nonnull(set);
	ck_assert_int_eq(vrpset_add_ta(set, "ta1"), 0);
	ck_assert_int_eq(vrpset_add_ta(set, "ta2"), 1);
	for (i = 0; i < n; i++)
		ck_assert(vrpset_add_vrp(set, &vrps[i]));
	ck_assert(vrpset_finish(set));
	return set;
}

/* The result for asn and prefix in text, through the parser. */
static struct validity_result
check(const struct vrpset *set, const char *asn, const char *prefix)
{
	struct validity_result r;
	struct vrp route;
	uint32_t as;
	char err[200];

	ck_assert_msg(validity_parse_route(asn, prefix, &as, &route, err,
					   sizeof(err)),
		      "%s %s: %s", asn, prefix, err);
	ck_assert(validity_check(set, as, &route, &r));
	return r;
}

/* Fails unless asn and prefix (text) are in state want. */
static void
assert_state(const struct vrpset *set, const char *asn, const char *prefix,
	     enum validity want)
{
	struct validity_result r = check(set, asn, prefix);

	ck_assert_msg(r.state == want, "%s %s: %s, want %s", asn, prefix,
		      validity_name(r.state), validity_name(want));
	validity_result_free(&r);
}

/* Index of v in the set; fails the test if it is not there. */
static size_t
index_of(const struct vrpset *set, const struct vrp *v)
{
	size_t i;

	for (i = 0; i < set->num_vrps; i++) {
		if (memcmp(&set->vrps[i], v, sizeof(*v)) == 0)
			return i;
	}
	ck_abort_msg("VRP AS%u /%u not in the set", v->asn, v->prefixlen);
	return 0;
}

/* list[0..num) holds exactly the indexes of want[0..nwant), in set order. */
static void
assert_vrps(const struct vrpset *set, const size_t *list, size_t num,
	    const struct vrp *want, size_t nwant)
{
	size_t i;

	ck_assert_uint_eq(num, nwant);
	for (i = 0; i < nwant; i++)
		ck_assert_uint_eq(list[i], index_of(set, &want[i]));
}

/*
 * Fails unless asn and prefix are in state want, matched by exactly
 * matched[0..nm) and covered by exactly covering[0..nc) (both in set order).
 */
static void
assert_decided(const struct vrpset *set, const char *asn, const char *prefix,
	       enum validity want, const struct vrp *matched, size_t nm,
	       const struct vrp *covering, size_t nc)
{
	struct validity_result r = check(set, asn, prefix);

	ck_assert_msg(r.state == want, "%s %s: %s, want %s", asn, prefix,
		      validity_name(r.state), validity_name(want));
	assert_vrps(set, r.matched, r.num_matched, matched, nm);
	assert_vrps(set, r.covering, r.num_covering, covering, nc);
	validity_result_free(&r);
}

#define NVRPS(a) (sizeof(a) / sizeof((a)[0]))

START_TEST(test_validity_no_covering_vrp_is_not_found)
{
	struct vrp vrps[] = {
	    V("192.0.2.0", 24, 24, 64496, 0),
	    V("10.0.0.0", 16, 24, 64496, 0),
	};
	struct vrpset *set = finished_set(vrps, NVRPS(vrps));

	assert_decided(set, "AS64496", "198.51.100.0/24", VALIDITY_NOT_FOUND,
		       NULL, 0, NULL, 0);
	/* A more specific VRP does not cover a shorter route. */
	assert_state(set, "AS64496", "10.0.0.0/8", VALIDITY_NOT_FOUND);
	/* Nor does a neighbour of the same length. */
	assert_state(set, "AS64496", "192.0.3.0/24", VALIDITY_NOT_FOUND);
	vrpset_free(set);
}
END_TEST

START_TEST(test_validity_empty_set_is_not_found)
{
	struct vrpset *set = finished_set(NULL, 0);

	assert_state(set, "AS64496", "192.0.2.0/24", VALIDITY_NOT_FOUND);
	assert_state(set, "AS64496", "::/0", VALIDITY_NOT_FOUND);
	vrpset_free(set);
}
END_TEST

START_TEST(test_validity_exact_prefix_and_origin_is_valid)
{
	struct vrp vrps[] = {V("192.0.2.0", 24, 24, 64496, 0)};
	struct vrpset *set = finished_set(vrps, NVRPS(vrps));

	assert_decided(set, "AS64496", "192.0.2.0/24", VALIDITY_VALID, vrps, 1,
		       vrps, 1);
	vrpset_free(set);
}
END_TEST

START_TEST(test_validity_more_specific_within_maxlength_is_valid)
{
	struct vrp vrps[] = {V("10.0.0.0", 16, 24, 64496, 0)};
	struct vrpset *set = finished_set(vrps, NVRPS(vrps));

	assert_state(set, "64496", "10.0.5.0/24", VALIDITY_VALID);
	assert_state(set, "64496", "10.0.16.0/20", VALIDITY_VALID);
	assert_state(set, "64496", "10.0.0.0/16", VALIDITY_VALID);
	vrpset_free(set);
}
END_TEST

START_TEST(test_validity_longer_than_maxlength_is_invalid)
{
	struct vrp vrps[] = {V("10.0.0.0", 16, 20, 64496, 0)};
	struct vrpset *set = finished_set(vrps, NVRPS(vrps));

	/* Same address, longer than maxLength: covered, not matched. */
	assert_decided(set, "AS64496", "10.0.0.0/24", VALIDITY_INVALID, NULL, 0,
		       vrps, 1);
	assert_state(set, "AS64496", "10.0.240.0/21", VALIDITY_INVALID);
	assert_state(set, "AS64496", "10.0.240.0/20", VALIDITY_VALID);
	vrpset_free(set);
}
END_TEST

START_TEST(test_validity_other_origin_is_invalid)
{
	struct vrp vrps[] = {V("192.0.2.0", 24, 24, 64496, 0)};
	struct vrpset *set = finished_set(vrps, NVRPS(vrps));

	assert_decided(set, "AS64497", "192.0.2.0/24", VALIDITY_INVALID, NULL,
		       0, vrps, 1);
	vrpset_free(set);
}
END_TEST

START_TEST(test_validity_as0_vrp_covers_but_never_matches)
{
	struct vrp vrps[] = {V("10.0.0.0", 8, 32, 0, 0)};
	struct vrpset *set = finished_set(vrps, NVRPS(vrps));

	/* Not even a route "originated" by AS0 (RFC 7607). */
	assert_decided(set, "AS0", "10.1.0.0/16", VALIDITY_INVALID, NULL, 0,
		       vrps, 1);
	assert_state(set, "AS64496", "10.1.0.0/16", VALIDITY_INVALID);
	assert_state(set, "AS64496", "11.0.0.0/8", VALIDITY_NOT_FOUND);
	vrpset_free(set);
}
END_TEST

/* RFC 6483 s.4: AS0 yields to any VRP with a routable AS that matches. */
START_TEST(test_validity_as0_vrp_yields_to_a_matching_vrp)
{
	struct vrp vrps[] = {
	    V("10.0.0.0", 8, 32, 0, 0),
	    V("10.1.0.0", 16, 16, 64496, 0),
	};
	struct vrpset *set = finished_set(vrps, NVRPS(vrps));

	assert_decided(set, "AS64496", "10.1.0.0/16", VALIDITY_VALID, &vrps[1],
		       1, vrps, 2);
	vrpset_free(set);
}
END_TEST

START_TEST(test_validity_ipv6)
{
	struct vrp vrps[] = {V("2001:db8::", 32, 48, 64496, 0)};
	struct vrpset *set = finished_set(vrps, NVRPS(vrps));

	assert_state(set, "AS64496", "2001:db8:1::/48", VALIDITY_VALID);
	assert_state(set, "AS64496", "2001:db8::/32", VALIDITY_VALID);
	assert_state(set, "AS64496", "2001:db8:1:2::/64", VALIDITY_INVALID);
	assert_state(set, "AS64497", "2001:db8:ffff::/48", VALIDITY_INVALID);
	assert_state(set, "AS64496", "2001:db9::/32", VALIDITY_NOT_FOUND);
	assert_state(set, "AS64496", "2001:db8::1/128", VALIDITY_INVALID);
	vrpset_free(set);
}
END_TEST

/*
 * 32.1.13.184/29 has the bytes of 2001:db8::/29 and ::/0 the bytes of
 * 0.0.0.0/0: only the family tells them apart.
 */
START_TEST(test_validity_other_family_never_covers)
{
	struct vrp vrps[] = {
	    V("0.0.0.0", 0, 32, 64496, 0),
	    V("32.1.13.184", 29, 32, 64496, 0),
	};
	struct vrpset *set = finished_set(vrps, NVRPS(vrps));
	struct vrp vrps6[] = {V("::", 0, 128, 64496, 0)};
	struct vrpset *set6 = finished_set(vrps6, NVRPS(vrps6));

	assert_state(set, "AS64496", "2001:db8::/32", VALIDITY_NOT_FOUND);
	assert_state(set, "AS64496", "::/0", VALIDITY_NOT_FOUND);
	assert_state(set6, "AS64496", "0.0.0.0/0", VALIDITY_NOT_FOUND);
	assert_state(set6, "AS64496", "192.0.2.0/24", VALIDITY_NOT_FOUND);
	vrpset_free(set);
	vrpset_free(set6);
}
END_TEST

START_TEST(test_validity_slash0_vrp_covers_its_whole_family)
{
	struct vrp vrps[] = {
	    V("0.0.0.0", 0, 0, 64496, 0),
	    V("::", 0, 0, 64496, 0),
	};
	struct vrpset *set = finished_set(vrps, NVRPS(vrps));

	assert_state(set, "AS64496", "0.0.0.0/0", VALIDITY_VALID);
	assert_state(set, "AS64496", "203.0.113.7/32", VALIDITY_INVALID);
	assert_state(set, "AS64496", "255.0.0.0/8", VALIDITY_INVALID);
	assert_state(set, "AS64496", "::/0", VALIDITY_VALID);
	assert_state(set, "AS64496", "2001:db8::1/128", VALIDITY_INVALID);
	vrpset_free(set);
}
END_TEST

START_TEST(test_validity_one_of_several_covering_matches_is_valid)
{
	/* In set order: what covers 10.1.2.0/24, then what does not. */
	struct vrp covering[] = {
	    V("10.0.0.0", 8, 8, 64496, 0),   /* too short a maxLength */
	    V("10.0.0.0", 8, 24, 64497, 0),  /* matches */
	    V("10.1.0.0", 16, 16, 64498, 0), /* other origin, too short */
	    V("10.1.0.0", 16, 24, 64497, 0), /* matches */
	    V("10.1.0.0", 16, 24, 64497, 1), /* matches, from another TA */
	    V("10.1.2.0", 24, 24, 64499, 0), /* other origin */
	};
	struct vrp others[] = {
	    V("10.1.2.0", 25, 25, 64497, 0), /* more specific */
	    V("10.1.3.0", 24, 24, 64497, 0), /* neighbour */
	    V("10.2.0.0", 16, 24, 64497, 0), /* neighbour */
	    V("11.0.0.0", 8, 24, 64497, 0),  /* elsewhere */
	};
	struct vrp matched[] = {covering[1], covering[3], covering[4]};
	struct vrp all[NVRPS(covering) + NVRPS(others)];
	struct vrpset *set;

	memcpy(all, others, sizeof(others));
	memcpy(all + NVRPS(others), covering, sizeof(covering));
	set = finished_set(all, NVRPS(all));
	assert_decided(set, "AS64497", "10.1.2.0/24", VALIDITY_VALID, matched,
		       NVRPS(matched), covering, NVRPS(covering));
	/* The same VRPs decide it invalid for another origin. */
	assert_decided(set, "AS64500", "10.1.2.0/24", VALIDITY_INVALID, NULL, 0,
		       covering, NVRPS(covering));
	vrpset_free(set);
}
END_TEST

START_TEST(test_validity_check_rejects_unknown_family_and_long_prefix)
{
	struct vrpset *set = finished_set(NULL, 0);
	struct validity_result r;
	struct vrp route;

	memset(&route, 0, sizeof(route));
	route.afi = 5;
	errno = 0;
	ck_assert(!validity_check(set, 64496, &route, &r));
	ck_assert_int_eq(errno, EINVAL);
	route.afi = 4;
	route.prefixlen = 33;
	errno = 0;
	ck_assert(!validity_check(set, 64496, &route, &r));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_null(r.matched);
	ck_assert_ptr_null(r.covering);
	vrpset_free(set);
}
END_TEST

START_TEST(test_validity_names)
{
	ck_assert_str_eq(validity_name(VALIDITY_VALID), "valid");
	ck_assert_str_eq(validity_name(VALIDITY_INVALID), "invalid");
	ck_assert_str_eq(validity_name(VALIDITY_NOT_FOUND), "not-found");
}
END_TEST

START_TEST(test_validity_parse_route_accepts_both_asn_forms)
{
	const char *forms[] = {"AS65000", "as65000", "65000", "AS065000"};
	struct vrp route;
	uint32_t asn;
	char err[200];
	size_t i;

	for (i = 0; i < NVRPS(forms); i++) {
		asn = 0;
		ck_assert_msg(validity_parse_route(forms[i], "192.0.2.0/24",
						   &asn, &route, err,
						   sizeof(err)),
			      "%s: %s", forms[i], err);
		ck_assert_uint_eq(asn, 65000);
	}
	ck_assert(validity_parse_route("AS4294967295", "0.0.0.0/0", &asn,
				       &route, err, sizeof(err)));
	ck_assert_uint_eq(asn, 4294967295u);
	ck_assert(validity_parse_route("0", "0.0.0.0/0", &asn, &route, err,
				       sizeof(err)));
	ck_assert_uint_eq(asn, 0);
}
END_TEST

START_TEST(test_validity_parse_route_fills_the_route)
{
	struct vrp want = V("2001:db8::", 32, 32, 64496, 0), route;
	uint32_t asn;
	char err[200];

	ck_assert(validity_parse_route("AS64496", "2001:db8::/32", &asn, &route,
				       err, sizeof(err)));
	ck_assert_mem_eq(&route, &want, sizeof(want));
	want = V("192.0.2.128", 25, 25, 64496, 0);
	ck_assert(validity_parse_route("64496", "192.0.2.128/25", &asn, &route,
				       err, sizeof(err)));
	ck_assert_mem_eq(&route, &want, sizeof(want));
}
END_TEST

/* Fails unless asn and prefix are refused with a message containing why. */
static void
assert_refused(const char *asn, const char *prefix, const char *why)
{
	struct vrp route;
	uint32_t as;
	char err[200] = "";

	ck_assert_msg(!validity_parse_route(asn, prefix, &as, &route, err,
					    sizeof(err)),
		      "\"%s\" \"%s\" accepted", asn, prefix);
	ck_assert_msg(strstr(err, why) != NULL,
		      "\"%s\" \"%s\": \"%s\" does not say \"%s\"", asn, prefix,
		      err, why);
}

START_TEST(test_validity_parse_route_rejects_bad_asn)
{
	const char *bad[] = {"",
			     "AS",
			     "ASx",
			     "-1",
			     "+1",
			     " 1",
			     "1 ",
			     "0x10",
			     "1.5",
			     "4294967296",
			     "AS99999999999",
			     "AS 1"};
	size_t i;

	for (i = 0; i < NVRPS(bad); i++)
		assert_refused(bad[i], "192.0.2.0/24", "not a number");
	assert_refused("AS-1", "192.0.2.0/24", "ASN \"AS-1\"");
}
END_TEST

START_TEST(test_validity_parse_route_rejects_bad_prefix)
{
	assert_refused("AS1", "192.0.2.0", "is not address/length");
	assert_refused("AS1", "", "is not address/length");
	assert_refused("AS1",
		       "2001:0db8:0000:0000:0000:0000:0000:0000:0000:0000/32",
		       "bad IPv6 address");
	assert_refused("AS1", "300.0.0.0/8", "bad IPv4 address");
	assert_refused("AS1", "192.0.2/24", "bad IPv4 address");
	assert_refused("AS1", "2001:db8::g/32", "bad IPv6 address");
	assert_refused("AS1", " 192.0.2.0/24", "bad IPv4 address");
	assert_refused("AS1", "192.0.2.0/",
		       "length is not a number from 0 to 32");
	assert_refused("AS1", "192.0.2.0/33", "from 0 to 32");
	assert_refused("AS1", "192.0.2.0/-1", "from 0 to 32");
	assert_refused("AS1", "192.0.2.0/24x", "from 0 to 32");
	assert_refused("AS1", "192.0.2.0/24/25", "from 0 to 32");
	assert_refused("AS1", "192.0.2.0/999999999999", "from 0 to 32");
	assert_refused("AS1", "2001:db8::/129", "from 0 to 128");
}
END_TEST

START_TEST(test_validity_parse_route_rejects_host_bits)
{
	assert_refused("AS1", "192.0.2.1/24",
		       "host bits set after /24 (did you mean 192.0.2.0/24?)");
	assert_refused("AS1", "10.0.0.0/0",
		       "host bits set after /0 (did you mean 0.0.0.0/0?)");
	assert_refused("AS1", "2001:db8::1/32",
		       "host bits set after /32 (did you mean 2001:db8::/32?)");
	assert_refused("AS1", "192.0.2.129/25", "did you mean 192.0.2.128/25?");
}
END_TEST

/*
 * The large set: a deterministic generator (xorshift64*), so a failure
 * reproduces. VRPs are crowded into 10.0.0.0/8, 100.64.0.0/10 and
 * 2001:db8::/32 so that routes there are covered several times over and
 * routes elsewhere are not covered at all.
 */
#define BIG_VRPS    200000
#define BIG_QUERIES 300
#define BIG_ASNS    20 /* origins 0..19: AS0 and repeats are common */

static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ull;
}

static unsigned int
rnd_below(uint64_t *s, unsigned int n)
{
	return (unsigned int)(rnd(s) % n);
}

/* Clears the bits of addr after len, one bit at a time. */
static void
clear_after(unsigned char addr[16], unsigned int len)
{
	unsigned int b;

	for (b = len; b < 128; b++)
		addr[b / 8] &= (unsigned char)~(0x80 >> (b % 8));
}

static struct vrp
random_vrp(uint64_t *s)
{
	struct vrp v;
	uint64_t r = rnd(s), r2 = rnd(s);
	unsigned int bits;

	memset(&v, 0, sizeof(v));
	memcpy(v.addr, &r, 8);
	memcpy(v.addr + 8, &r2, 8);
	switch (rnd_below(s, 3)) {
	case 0:
		v.afi = 4;
		v.addr[0] = 10;
		v.prefixlen = (uint8_t)(8 + rnd_below(s, 17));
		break;
	case 1:
		v.afi = 4;
		v.addr[0] = 100;
		v.addr[1] = (unsigned char)(64 | (v.addr[1] & 0x3f));
		v.prefixlen = (uint8_t)(10 + rnd_below(s, 15));
		break;
	default:
		v.afi = 6;
		memcpy(v.addr, "\x20\x01\x0d\xb8", 4);
		v.prefixlen = (uint8_t)(32 + rnd_below(s, 17));
		break;
	}
	bits = v.afi == 4 ? 32 : 128;
	clear_after(v.addr, v.prefixlen);
	v.maxlen = (uint8_t)(v.prefixlen + rnd_below(s, 9));
	if (v.maxlen > bits)
		v.maxlen = (uint8_t)bits;
	v.asn = rnd_below(s, BIG_ASNS);
	v.ta = (uint8_t)rnd_below(s, 2);
	return v;
}

/*
 * A route: half the time a VRP's prefix made up to 10 bits longer (so
 * covered), else a random prefix of the family (mostly not covered).
 */
static struct vrp
random_route(uint64_t *s, const struct vrpset *set)
{
	const struct vrp *from = &set->vrps[rnd(s) % set->num_vrps];
	struct vrp r = *from;
	unsigned int bits = r.afi == 4 ? 32 : 128, len, i;
	unsigned char m;

	for (i = 0; i < 16; i++)
		r.addr[i] = (unsigned char)(rnd(s) & 0xff);
	if (rnd_below(s, 2) == 0) {
		/* The VRP's own bits, then random ones. */
		len = r.prefixlen + rnd_below(s, 11);
		for (i = 0; i < r.prefixlen; i++) {
			m = (unsigned char)(0x80 >> (i % 8));
			r.addr[i / 8] =
			    (unsigned char)((r.addr[i / 8] & ~m) |
					    (from->addr[i / 8] & m));
		}
	} else {
		len = rnd_below(s, bits + 1);
	}
	if (len > bits)
		len = bits;
	r.prefixlen = (uint8_t)len;
	clear_after(r.addr, len);
	return r;
}

/* RFC 6811 s.2 "Covered", bit by bit: the oracle for the large test. */
static bool
brute_covers(const struct vrp *v, const struct vrp *route)
{
	unsigned int b;

	if (v->afi != route->afi || v->prefixlen > route->prefixlen)
		return false;
	for (b = 0; b < v->prefixlen; b++) {
		unsigned char m = (unsigned char)(0x80 >> (b % 8));

		if ((v->addr[b / 8] & m) != (route->addr[b / 8] & m))
			return false;
	}
	return true;
}

static void
assert_same_as_brute_force(const struct vrpset *set, uint32_t asn,
			   const struct vrp *route, int *seen)
{
	struct validity_result r;
	size_t i, nc = 0, nm = 0;

	ck_assert(validity_check(set, asn, route, &r));
	for (i = 0; i < set->num_vrps; i++) {
		const struct vrp *v = &set->vrps[i];

		if (!brute_covers(v, route))
			continue;
		ck_assert_uint_lt(nc, r.num_covering);
		ck_assert_uint_eq(r.covering[nc++], i);
		if (v->asn != 0 && v->asn == asn &&
		    route->prefixlen <= v->maxlen) {
			ck_assert_uint_lt(nm, r.num_matched);
			ck_assert_uint_eq(r.matched[nm++], i);
		}
	}
	ck_assert_uint_eq(nc, r.num_covering);
	ck_assert_uint_eq(nm, r.num_matched);
	ck_assert_int_eq(r.state,
			 nm > 0	      ? VALIDITY_VALID
			     : nc > 0 ? VALIDITY_INVALID
				      : VALIDITY_NOT_FOUND);
	seen[r.state]++;
	validity_result_free(&r);
}

START_TEST(test_validity_large_set_agrees_with_brute_force)
{
	struct vrp *vrps = calloc(BIG_VRPS, sizeof(*vrps)), route;
	uint64_t s = 0x9e3779b97f4a7c15ull;
	int seen[3] = {0, 0, 0};
	struct vrpset *set;
	size_t i;

	ck_assert_ptr_nonnull(vrps);
	for (i = 0; i < BIG_VRPS; i++)
		vrps[i] = random_vrp(&s);
	set = finished_set(vrps, BIG_VRPS);
	free(vrps);
	/* Short prefixes in a crowded space repeat; most VRPs are unique. */
	ck_assert_uint_gt(set->num_vrps, BIG_VRPS * 3 / 4);
	for (i = 0; i < BIG_QUERIES; i++) {
		route = random_route(&s, set);
		/* The origin of a VRP of the set, or one no VRP has. */
		assert_same_as_brute_force(set,
					   rnd_below(&s, 4) == 0
					       ? 64496
					       : rnd_below(&s, BIG_ASNS),
					   &route, seen);
	}
	/* The generator must reach all three states to prove anything. */
	ck_assert_int_gt(seen[VALIDITY_VALID], 0);
	ck_assert_int_gt(seen[VALIDITY_INVALID], 0);
	ck_assert_int_gt(seen[VALIDITY_NOT_FOUND], 0);
	vrpset_free(set);
}
END_TEST

static Suite *
validity_suite(void)
{
	Suite *s = suite_create("validity");
	TCase *tc;

	tc = tcase_create("rfc6811");
	tcase_add_test(tc, test_validity_no_covering_vrp_is_not_found);
	tcase_add_test(tc, test_validity_empty_set_is_not_found);
	tcase_add_test(tc, test_validity_exact_prefix_and_origin_is_valid);
	tcase_add_test(tc,
		       test_validity_more_specific_within_maxlength_is_valid);
	tcase_add_test(tc, test_validity_longer_than_maxlength_is_invalid);
	tcase_add_test(tc, test_validity_other_origin_is_invalid);
	tcase_add_test(tc, test_validity_as0_vrp_covers_but_never_matches);
	tcase_add_test(tc, test_validity_as0_vrp_yields_to_a_matching_vrp);
	tcase_add_test(tc, test_validity_ipv6);
	tcase_add_test(tc, test_validity_other_family_never_covers);
	tcase_add_test(tc, test_validity_slash0_vrp_covers_its_whole_family);
	tcase_add_test(tc,
		       test_validity_one_of_several_covering_matches_is_valid);
	tcase_add_test(
	    tc, test_validity_check_rejects_unknown_family_and_long_prefix);
	tcase_add_test(tc, test_validity_names);
	suite_add_tcase(s, tc);

	tc = tcase_create("parse");
	tcase_add_test(tc, test_validity_parse_route_accepts_both_asn_forms);
	tcase_add_test(tc, test_validity_parse_route_fills_the_route);
	tcase_add_test(tc, test_validity_parse_route_rejects_bad_asn);
	tcase_add_test(tc, test_validity_parse_route_rejects_bad_prefix);
	tcase_add_test(tc, test_validity_parse_route_rejects_host_bits);
	suite_add_tcase(s, tc);

	/* Above Check's 4 s default: sanitizers slow the brute-force scans. */
	tc = tcase_create("size");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_validity_large_set_agrees_with_brute_force);
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	sr = srunner_create(validity_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
