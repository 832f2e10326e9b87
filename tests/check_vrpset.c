/*
 * Tests for rp/vrpset.c: what vrpset_finish() promises every reader (order,
 * no duplicates, one provider set per customer and TA), what the add
 * functions refuse, merging, and that a million VRPs fit without leaks
 * (ASan's leak check runs when each forked test exits).
 */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rp/limits.h"
#include "rp/log.h"
#include "rp/vrpset.h"
#include "testdata.h"
/* A set with the TAs "ta1" (index 0) and "ta2" (index 1). */
static struct vrpset *
set_with_tas(void)
{
	struct vrpset *set = vrpset_new();

	ck_assert_ptr_nonnull(set);
	ck_assert_int_eq(vrpset_add_ta(set, "ta1"), 0);
	ck_assert_int_eq(vrpset_add_ta(set, "ta2"), 1);
	return set;
}

static void
add(struct vrpset *set, struct vrp v)
{
	ck_assert(vrpset_add_vrp(set, &v));
}

/* The log lines f() writes, for tests of what is refused. Caller frees. */
static char *
captured_log(void (*f)(void *), void *arg)
{
	char *log = NULL;
	size_t loglen = 0;
	FILE *fp = open_memstream(&log, &loglen);

	ck_assert_ptr_nonnull(fp);
	log_setstream(fp);
	f(arg);
	log_setstream(NULL);
	ck_assert_int_eq(fclose(fp), 0);
	return log;
}

static void
assert_vrp_eq(const struct vrp *got, const struct vrp *want, size_t i)
{
	ck_assert_msg(memcmp(got, want, sizeof(*got)) == 0,
		      "VRP %zu: AS%u afi %u /%u-%u ta %u, want AS%u afi %u "
		      "/%u-%u ta %u",
		      i, got->asn, got->afi, got->prefixlen, got->maxlen,
		      got->ta, want->asn, want->afi, want->prefixlen,
		      want->maxlen, want->ta);
}

START_TEST(test_vrp_is_24_bytes)
{
	ck_assert_uint_eq(sizeof(struct vrp), 24);
}
END_TEST

START_TEST(test_vrpset_finish_removes_duplicate_vrps)
{
	struct vrpset *set = set_with_tas();
	int i;

	for (i = 0; i < 3; i++) {
		add(set, testdata_vrp("192.0.2.0", 24, 24, 64496, 0));
		add(set, testdata_vrp("2001:db8::", 32, 48, 64496, 0));
	}
	ck_assert(vrpset_finish(set));
	ck_assert_uint_eq(set->num_vrps, 2);
	vrpset_free(set);
}
END_TEST

START_TEST(test_vrpset_finish_keeps_one_vrp_per_ta)
{
	struct vrpset *set = set_with_tas();

	add(set, testdata_vrp("192.0.2.0", 24, 24, 64496, 1));
	add(set, testdata_vrp("192.0.2.0", 24, 24, 64496, 0));
	add(set, testdata_vrp("192.0.2.0", 24, 24, 64496, 1));
	ck_assert(vrpset_finish(set));
	ck_assert_uint_eq(set->num_vrps, 2);
	ck_assert_uint_eq(set->vrps[0].ta, 0);
	ck_assert_uint_eq(set->vrps[1].ta, 1);
	vrpset_free(set);
}
END_TEST

/*
 * The order of the header: family, address, length, maxLength, ASN, TA.
 * want[] is in that order; it is added backwards and rotated, so every
 * pair has to be put right by the sort.
 */
START_TEST(test_vrpset_finish_sorts_by_family_addr_len_maxlen_asn_ta)
{
	struct vrp want[] = {
	    testdata_vrp("0.0.0.0", 0, 0, 0, 0),
	    testdata_vrp("10.0.0.0", 8, 8, 64496, 0),
	    testdata_vrp("10.0.0.0", 8, 24, 0, 0),
	    testdata_vrp("10.0.0.0", 16, 16, 64496, 0),
	    testdata_vrp("10.0.0.0", 16, 24, 64496, 0),
	    testdata_vrp("10.0.0.0", 16, 24, 64497, 0),
	    testdata_vrp("10.0.0.0", 16, 24, 64497, 1),
	    testdata_vrp("10.1.0.0", 16, 16, 1, 0),
	    testdata_vrp("192.0.2.0", 24, 24, 64496, 0),
	    testdata_vrp("255.255.255.255", 32, 32, 4294967295u, 1),
	    testdata_vrp("::", 0, 0, 0, 0),
	    testdata_vrp("2001:db8::", 32, 32, 64496, 0),
	    testdata_vrp("2001:db8::", 32, 48, 64496, 0),
	    testdata_vrp("2001:db8:0:1::", 64, 64, 64496, 0),
	    testdata_vrp("fe80::", 10, 128, 1, 1),
	};
	size_t n = sizeof(want) / sizeof(want[0]), i;
	struct vrpset *set = set_with_tas();

	for (i = 0; i < n; i++)
		add(set, want[(n - 1 - i + 7) % n]);
	ck_assert(vrpset_finish(set));
	ck_assert_uint_eq(set->num_vrps, n);
	for (i = 0; i < n; i++)
		assert_vrp_eq(&set->vrps[i], &want[i], i);
	vrpset_free(set);
}
END_TEST

START_TEST(test_vrpset_finish_sorts_ipv4_before_ipv6)
{
	struct vrpset *set = set_with_tas();

	/* ::/0 is all zero bytes, so only the family puts it last. */
	add(set, testdata_vrp("::", 0, 0, 0, 0));
	add(set, testdata_vrp("255.0.0.0", 8, 8, 0, 0));
	ck_assert(vrpset_finish(set));
	ck_assert_uint_eq(set->vrps[0].afi, 4);
	ck_assert_uint_eq(set->vrps[1].afi, 6);
	vrpset_free(set);
}
END_TEST

START_TEST(test_vrpset_add_vrp_rejects_host_bits)
{
	struct vrpset *set = set_with_tas();
	struct vrp v = testdata_vrp("192.0.2.1", 24, 24, 64496, 0);

	errno = 0;
	ck_assert(!vrpset_add_vrp(set, &v));
	ck_assert_int_eq(errno, EINVAL);
	v = testdata_vrp("2001:db8::1", 127, 128, 64496, 0);
	ck_assert(!vrpset_add_vrp(set, &v));
	v = testdata_vrp("2001:db8::1", 128, 128, 64496, 0);
	ck_assert(vrpset_add_vrp(set, &v));
	ck_assert_uint_eq(set->num_vrps, 1);
	vrpset_free(set);
}
END_TEST

START_TEST(test_vrpset_add_vrp_rejects_bytes_after_ipv4_address)
{
	struct vrpset *set = set_with_tas();
	struct vrp v = testdata_vrp("192.0.2.0", 24, 24, 64496, 0);

	v.addr[15] = 1;
	errno = 0;
	ck_assert(!vrpset_add_vrp(set, &v));
	ck_assert_int_eq(errno, EINVAL);
	vrpset_free(set);
}
END_TEST

/* RFC 9582 s.4.3.2: length <= maxLength <= 32 or 128. */
START_TEST(test_vrpset_add_vrp_rejects_maxlen_out_of_range)
{
	struct vrpset *set = set_with_tas();
	struct vrp v;

	v = testdata_vrp("192.0.2.0", 24, 23, 64496, 0);
	ck_assert(!vrpset_add_vrp(set, &v));
	v = testdata_vrp("192.0.2.0", 24, 33, 64496, 0);
	ck_assert(!vrpset_add_vrp(set, &v));
	v = testdata_vrp("2001:db8::", 32, 129, 64496, 0);
	ck_assert(!vrpset_add_vrp(set, &v));
	v = testdata_vrp("192.0.2.0", 24, 32, 64496, 0);
	ck_assert(vrpset_add_vrp(set, &v));
	ck_assert_uint_eq(set->num_vrps, 1);
	vrpset_free(set);
}
END_TEST

START_TEST(test_vrpset_add_vrp_rejects_unknown_ta_and_family)
{
	struct vrpset *set = set_with_tas();
	struct vrp v = testdata_vrp("192.0.2.0", 24, 24, 64496, 2);

	errno = 0;
	ck_assert(!vrpset_add_vrp(set, &v));
	ck_assert_int_eq(errno, EINVAL);
	v = testdata_vrp("192.0.2.0", 24, 24, 64496, 0);
	v.afi = 5;
	ck_assert(!vrpset_add_vrp(set, &v));
	ck_assert_uint_eq(set->num_vrps, 0);
	vrpset_free(set);
}
END_TEST

START_TEST(test_vrpset_add_ta_same_name_same_index)
{
	struct vrpset *set = set_with_tas();

	ck_assert_int_eq(vrpset_add_ta(set, "ta2"), 1);
	ck_assert_int_eq(vrpset_add_ta(set, "ta1"), 0);
	ck_assert_uint_eq(set->num_tas, 2);
	ck_assert_str_eq(set->tas[1], "ta2");
	vrpset_free(set);
}
END_TEST

static void
add_one_too_many(void *arg)
{
	errno = 0;
	ck_assert_int_eq(vrpset_add_ta(arg, "one-too-many"), -1);
	ck_assert_int_eq(errno, ERANGE);
}

/* limits.h MAX_TAS: a VRP names its TA in one byte. */
START_TEST(test_vrpset_add_ta_refuses_more_than_max_tas)
{
	struct vrpset *set = vrpset_new();
	char name[16], *log;
	int i;

	ck_assert_ptr_nonnull(set);
	for (i = 0; i < MAX_TAS; i++) {
		snprintf(name, sizeof(name), "ta%d", i);
		ck_assert_int_eq(vrpset_add_ta(set, name), i);
	}
	log = captured_log(add_one_too_many, set);
	ck_assert_ptr_nonnull(strstr(log,
				     "one-too-many: more than 255 trust "
				     "anchors\n"));
	free(log);
	/* A name already known still maps to its index. */
	ck_assert_int_eq(vrpset_add_ta(set, "ta7"), 7);
	vrpset_free(set);
}
END_TEST

START_TEST(test_vrpset_vaps_of_one_customer_and_ta_merged)
{
	struct vrpset *set = set_with_tas();
	const uint32_t a[] = {64500, 64498}, b[] = {64499, 64498, 64497},
		       c[] = {64501};
	const uint32_t want[] = {64497, 64498, 64499, 64500, 64501};
	size_t i;

	ck_assert(vrpset_add_vap(set, 0, 64496, a, 2));
	ck_assert(vrpset_add_vap(set, 0, 64496, b, 3));
	ck_assert(vrpset_add_vap(set, 0, 64496, c, 1));
	ck_assert(vrpset_finish(set));
	ck_assert_uint_eq(set->num_vaps, 1);
	ck_assert_uint_eq(set->vaps[0].customer, 64496);
	ck_assert_uint_eq(set->vaps[0].num_providers, 5);
	for (i = 0; i < 5; i++)
		ck_assert_uint_eq(set->vaps[0].providers[i], want[i]);
	vrpset_free(set);
}
END_TEST

START_TEST(test_vrpset_vaps_of_two_tas_kept_apart)
{
	struct vrpset *set = set_with_tas();
	const uint32_t a[] = {64497}, b[] = {64498};

	ck_assert(vrpset_add_vap(set, 1, 64496, b, 1));
	ck_assert(vrpset_add_vap(set, 0, 64496, a, 1));
	ck_assert(vrpset_finish(set));
	ck_assert_uint_eq(set->num_vaps, 2);
	ck_assert_uint_eq(set->vaps[0].ta, 0);
	ck_assert_uint_eq(set->vaps[0].providers[0], 64497);
	ck_assert_uint_eq(set->vaps[1].ta, 1);
	ck_assert_uint_eq(set->vaps[1].providers[0], 64498);
	vrpset_free(set);
}
END_TEST

START_TEST(test_vrpset_vaps_sorted_by_customer_then_ta)
{
	struct vrpset *set = set_with_tas();
	const uint32_t p[] = {1};

	ck_assert(vrpset_add_vap(set, 1, 64497, p, 1));
	ck_assert(vrpset_add_vap(set, 1, 64496, p, 1));
	ck_assert(vrpset_add_vap(set, 0, 64497, p, 1));
	ck_assert(vrpset_add_vap(set, 0, 4200000000u, p, 1));
	ck_assert(vrpset_finish(set));
	ck_assert_uint_eq(set->num_vaps, 4);
	ck_assert_uint_eq(set->vaps[0].customer, 64496);
	ck_assert_uint_eq(set->vaps[1].customer, 64497);
	ck_assert_uint_eq(set->vaps[1].ta, 0);
	ck_assert_uint_eq(set->vaps[2].customer, 64497);
	ck_assert_uint_eq(set->vaps[2].ta, 1);
	ck_assert_uint_eq(set->vaps[3].customer, 4200000000u);
	vrpset_free(set);
}
END_TEST

/* struct vap promises ascending, unique providers even for sloppy input. */
START_TEST(test_vrpset_add_vap_sorts_and_dedupes_providers)
{
	struct vrpset *set = set_with_tas();
	uint32_t p[] = {3, 1, 2, 3, 1};

	ck_assert(vrpset_add_vap(set, 0, 64496, p, 5));
	/* The set holds a copy: changing ours changes nothing. */
	p[0] = 99;
	ck_assert_uint_eq(set->vaps[0].num_providers, 3);
	ck_assert_uint_eq(set->vaps[0].providers[0], 1);
	ck_assert_uint_eq(set->vaps[0].providers[1], 2);
	ck_assert_uint_eq(set->vaps[0].providers[2], 3);
	ck_assert(!vrpset_add_vap(set, 2, 64496, p, 5));
	vrpset_free(set);
}
END_TEST

static const unsigned char ski_a[SHA_DIGEST_LENGTH] = {0x11};
static const unsigned char ski_b[SHA_DIGEST_LENGTH] = {0x22};
static const unsigned char spki_a[] = {0x30, 0x01, 0x00};
static const unsigned char spki_b[] = {0x30, 0x01, 0x01};

START_TEST(test_vrpset_finish_removes_duplicate_keys)
{
	struct vrpset *set = set_with_tas();
	int i;

	for (i = 0; i < 3; i++)
		ck_assert(vrpset_add_key(set, 0, 64496, ski_a, spki_a,
					 sizeof(spki_a)));
	ck_assert(vrpset_finish(set));
	ck_assert_uint_eq(set->num_keys, 1);
	ck_assert_uint_eq(set->keys[0].spki_len, sizeof(spki_a));
	ck_assert_mem_eq(set->keys[0].spki, spki_a, sizeof(spki_a));
	vrpset_free(set);
}
END_TEST

START_TEST(test_vrpset_finish_sorts_keys_by_asn_ski_spki_ta)
{
	struct vrpset *set = set_with_tas();

	ck_assert(vrpset_add_key(set, 1, 64496, ski_a, spki_a, 3));
	ck_assert(vrpset_add_key(set, 0, 64497, ski_a, spki_a, 3));
	ck_assert(vrpset_add_key(set, 0, 64496, ski_b, spki_a, 3));
	ck_assert(vrpset_add_key(set, 0, 64496, ski_a, spki_b, 3));
	ck_assert(vrpset_add_key(set, 0, 64496, ski_a, spki_a, 3));
	ck_assert(vrpset_add_key(set, 0, 64496, ski_a, spki_a, 2));
	ck_assert(vrpset_finish(set));
	ck_assert_uint_eq(set->num_keys, 6);
	/* A shorter SPKI that is a prefix of a longer one sorts first. */
	ck_assert_uint_eq(set->keys[0].spki_len, 2);
	ck_assert_uint_eq(set->keys[1].spki_len, 3);
	ck_assert_uint_eq(set->keys[1].ta, 0);
	ck_assert_uint_eq(set->keys[2].ta, 1);
	ck_assert_mem_eq(set->keys[3].spki, spki_b, 3);
	ck_assert_uint_eq(set->keys[4].ski[0], 0x22);
	ck_assert_uint_eq(set->keys[5].asn, 64497);
	vrpset_free(set);
}
END_TEST

START_TEST(test_vrpset_add_key_rejects_empty_spki_and_unknown_ta)
{
	struct vrpset *set = set_with_tas();

	errno = 0;
	ck_assert(!vrpset_add_key(set, 0, 64496, ski_a, spki_a, 0));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert(!vrpset_add_key(set, 2, 64496, ski_a, spki_a, 3));
	ck_assert_uint_eq(set->num_keys, 0);
	vrpset_free(set);
}
END_TEST

START_TEST(test_vrpset_merge_moves_everything_and_empties_src)
{
	struct vrpset *dst = set_with_tas(), *src = set_with_tas();
	const uint32_t a[] = {64497}, b[] = {64498};

	add(dst, testdata_vrp("192.0.2.0", 24, 24, 64496, 0));
	add(src, testdata_vrp("192.0.2.0", 24, 24, 64496, 0));
	add(src, testdata_vrp("2001:db8::", 32, 32, 64496, 1));
	ck_assert(vrpset_add_vap(dst, 0, 64496, a, 1));
	ck_assert(vrpset_add_vap(src, 0, 64496, b, 1));
	ck_assert(vrpset_add_key(src, 1, 64496, ski_a, spki_a, 3));

	ck_assert(vrpset_merge(dst, src));
	ck_assert_uint_eq(src->num_vrps, 0);
	ck_assert_uint_eq(src->num_vaps, 0);
	ck_assert_uint_eq(src->num_keys, 0);
	ck_assert_uint_eq(dst->num_vrps, 3);
	ck_assert_uint_eq(dst->num_vaps, 2);
	ck_assert_uint_eq(dst->num_keys, 1);

	/* The emptied src is still a usable set with its TAs. */
	add(src, testdata_vrp("198.51.100.0", 24, 24, 64496, 1));
	ck_assert(vrpset_merge(dst, src));
	vrpset_free(src);

	ck_assert(vrpset_finish(dst));
	ck_assert_uint_eq(dst->num_vrps, 3);
	ck_assert_uint_eq(dst->num_vaps, 1);
	ck_assert_uint_eq(dst->vaps[0].num_providers, 2);
	ck_assert_uint_eq(dst->keys[0].ta, 1);
	vrpset_free(dst);
}
END_TEST

START_TEST(test_vrpset_merge_into_empty_set_takes_tas)
{
	struct vrpset *dst = vrpset_new(), *src = set_with_tas();

	ck_assert_ptr_nonnull(dst);
	add(src, testdata_vrp("192.0.2.0", 24, 24, 64496, 1));
	ck_assert(vrpset_merge(dst, src));
	ck_assert_uint_eq(dst->num_tas, 2);
	ck_assert_str_eq(dst->tas[1], "ta2");
	ck_assert_uint_eq(dst->num_vrps, 1);
	vrpset_free(src);
	vrpset_free(dst);
}
END_TEST

static void
merge_sets(void *arg)
{
	struct vrpset **sets = arg;

	errno = 0;
	ck_assert(!vrpset_merge(sets[0], sets[1]));
	ck_assert_int_eq(errno, EINVAL);
}

START_TEST(test_vrpset_merge_refuses_different_tas)
{
	struct vrpset *dst = set_with_tas(), *src = vrpset_new();
	struct vrpset *sets[2];
	char *log;

	ck_assert_ptr_nonnull(src);
	ck_assert_int_eq(vrpset_add_ta(src, "ta2"), 0);
	add(src, testdata_vrp("192.0.2.0", 24, 24, 64496, 0));
	sets[0] = dst;
	sets[1] = src;
	log = captured_log(merge_sets, sets);
	ck_assert_str_eq(log,
			 "vrpset: merge: TA 0 is ta1 in one set and ta2 "
			 "in the other\n");
	free(log);
	ck_assert_uint_eq(dst->num_vrps, 0);
	ck_assert_uint_eq(src->num_vrps, 1);
	vrpset_free(src);
	vrpset_free(dst);
}
END_TEST

START_TEST(test_vrpset_count_per_family)
{
	struct vrpset *set = set_with_tas();
	size_t v4, v6;

	add(set, testdata_vrp("192.0.2.0", 24, 24, 64496, 0));
	add(set, testdata_vrp("198.51.100.0", 24, 24, 64496, 0));
	add(set, testdata_vrp("2001:db8::", 32, 32, 64496, 0));
	ck_assert(vrpset_finish(set));
	vrpset_count(set, &v4, &v6);
	ck_assert_uint_eq(v4, 2);
	ck_assert_uint_eq(v6, 1);
	vrpset_free(set);
}
END_TEST

START_TEST(test_vrpset_finish_empty_set)
{
	struct vrpset *set = vrpset_new();

	ck_assert_ptr_nonnull(set);
	ck_assert(vrpset_finish(set));
	ck_assert_uint_eq(set->num_vrps + set->num_vaps + set->num_keys, 0);
	vrpset_free(set);
	vrpset_free(NULL);
}
END_TEST

/*
 * A million distinct VRPs, added in an order that is not sorted, a
 * thousand of them twice: growth, sort and dedupe at the size of the real
 * table, and vrpset_free() must leave nothing for LeakSanitizer.
 */
#define MANY_VRPS 1000000

START_TEST(test_vrpset_grows_to_a_million_vrps)
{
	struct vrpset *set = set_with_tas();
	struct vrp v;
	uint32_t i, k, bad = 0;

	/* One ck_assert per VRP would cost a syscall each (mark_point). */
	for (i = 0; i < MANY_VRPS + 1000; i++) {
		/* k runs over 0..MANY_VRPS-1 in a scrambled order. */
		k = (uint32_t)(((uint64_t)(i % MANY_VRPS) * 7919) % MANY_VRPS);
		memset(&v, 0, sizeof(v));
		v.afi = 4;
		v.addr[0] = (unsigned char)(k >> 16);
		v.addr[1] = (unsigned char)(k >> 8);
		v.addr[2] = (unsigned char)k;
		v.prefixlen = 24;
		v.maxlen = 24;
		v.asn = k;
		if (!vrpset_add_vrp(set, &v))
			bad++;
	}
	ck_assert_uint_eq(bad, 0);
	ck_assert_uint_eq(set->num_vrps, MANY_VRPS + 1000);
	ck_assert(vrpset_finish(set));
	ck_assert_uint_eq(set->num_vrps, MANY_VRPS);
	for (i = 0; i < MANY_VRPS; i++) {
		if (set->vrps[i].asn != i)
			bad++;
	}
	ck_assert_uint_eq(bad, 0);
	vrpset_free(set);
}
END_TEST

START_TEST(test_vrpset_count_tas_per_family_and_kind)
{
	struct vrpset *set = set_with_tas();
	struct vrpset_ta_count *t;
	uint32_t providers[] = {1};

	add(set, testdata_vrp("192.0.2.0", 24, 24, 64496, 0));
	add(set, testdata_vrp("198.51.100.0", 24, 24, 64496, 1));
	add(set, testdata_vrp("2001:db8::", 32, 32, 64496, 1));
	ck_assert(vrpset_add_vap(set, 1, 64500, providers, 1));
	ck_assert(vrpset_add_key(set, 0, 64497, ski_a, spki_a, sizeof(spki_a)));
	ck_assert(vrpset_finish(set));
	ck_assert_ptr_nonnull(t = vrpset_count_tas(set));
	ck_assert_uint_eq(t[0].v4, 1);
	ck_assert_uint_eq(t[0].v6, 0);
	ck_assert_uint_eq(t[0].vaps, 0);
	ck_assert_uint_eq(t[0].keys, 1);
	ck_assert_uint_eq(t[1].v4, 1);
	ck_assert_uint_eq(t[1].v6, 1);
	ck_assert_uint_eq(t[1].vaps, 1);
	ck_assert_uint_eq(t[1].keys, 0);
	free(t);
	vrpset_free(set);
}
END_TEST

START_TEST(test_vrpset_clone_is_deep_and_equal)
{
	struct vrpset *set = set_with_tas(), *c;
	uint32_t providers[] = {3, 1};

	add(set, testdata_vrp("192.0.2.0", 24, 24, 64496, 1));
	ck_assert(vrpset_add_vap(set, 0, 64500, providers, 2));
	ck_assert(vrpset_add_key(set, 1, 64497, ski_a, spki_a, sizeof(spki_a)));
	ck_assert(vrpset_finish(set));
	ck_assert_ptr_nonnull(c = vrpset_clone(set));
	ck_assert_uint_eq(c->num_tas, 2);
	ck_assert_str_eq(c->tas[1], "ta2");
	ck_assert_mem_eq(c->vrps, set->vrps, sizeof(*c->vrps));
	ck_assert_ptr_ne(c->vaps[0].providers, set->vaps[0].providers);
	ck_assert_uint_eq(c->vaps[0].providers[1], 3);
	ck_assert_ptr_ne(c->keys[0].spki, set->keys[0].spki);
	ck_assert_mem_eq(c->keys[0].spki, spki_a, sizeof(spki_a));
	vrpset_free(set);
	ck_assert_uint_eq(c->keys[0].asn, 64497);
	vrpset_free(c);
}
END_TEST

static Suite *
vrpset_suite(void)
{
	Suite *s = suite_create("vrpset");
	TCase *tc;

	tc = tcase_create("vrps");
	tcase_add_test(tc, test_vrp_is_24_bytes);
	tcase_add_test(tc, test_vrpset_finish_removes_duplicate_vrps);
	tcase_add_test(tc, test_vrpset_finish_keeps_one_vrp_per_ta);
	tcase_add_test(
	    tc, test_vrpset_finish_sorts_by_family_addr_len_maxlen_asn_ta);
	tcase_add_test(tc, test_vrpset_finish_sorts_ipv4_before_ipv6);
	tcase_add_test(tc, test_vrpset_add_vrp_rejects_host_bits);
	tcase_add_test(tc,
		       test_vrpset_add_vrp_rejects_bytes_after_ipv4_address);
	tcase_add_test(tc, test_vrpset_add_vrp_rejects_maxlen_out_of_range);
	tcase_add_test(tc, test_vrpset_add_vrp_rejects_unknown_ta_and_family);
	tcase_add_test(tc, test_vrpset_count_per_family);
	tcase_add_test(tc, test_vrpset_finish_empty_set);
	suite_add_tcase(s, tc);

	tc = tcase_create("tas");
	tcase_add_test(tc, test_vrpset_add_ta_same_name_same_index);
	tcase_add_test(tc, test_vrpset_add_ta_refuses_more_than_max_tas);
	suite_add_tcase(s, tc);

	tc = tcase_create("vaps");
	tcase_add_test(tc, test_vrpset_vaps_of_one_customer_and_ta_merged);
	tcase_add_test(tc, test_vrpset_vaps_of_two_tas_kept_apart);
	tcase_add_test(tc, test_vrpset_vaps_sorted_by_customer_then_ta);
	tcase_add_test(tc, test_vrpset_add_vap_sorts_and_dedupes_providers);
	suite_add_tcase(s, tc);

	tc = tcase_create("keys");
	tcase_add_test(tc, test_vrpset_finish_removes_duplicate_keys);
	tcase_add_test(tc, test_vrpset_finish_sorts_keys_by_asn_ski_spki_ta);
	tcase_add_test(tc,
		       test_vrpset_add_key_rejects_empty_spki_and_unknown_ta);
	suite_add_tcase(s, tc);

	tc = tcase_create("merge");
	tcase_add_test(tc, test_vrpset_merge_moves_everything_and_empties_src);
	tcase_add_test(tc, test_vrpset_merge_into_empty_set_takes_tas);
	tcase_add_test(tc, test_vrpset_merge_refuses_different_tas);
	suite_add_tcase(s, tc);

	/* Above Check's 4 s default: sanitizers slow the million-VRP sort. */
	tc = tcase_create("size");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_vrpset_grows_to_a_million_vrps);
	tcase_add_test(tc, test_vrpset_clone_is_deep_and_equal);
	tcase_add_test(tc, test_vrpset_count_tas_per_family_and_kind);
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	sr = srunner_create(vrpset_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
