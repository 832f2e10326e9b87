/*
 * Tests for rtr-server/payload.c and rtr-server/history.c: what a router
 * receives for a Reset Query and a Serial Query, decoded PDU by PDU, in
 * every version: the items, the order 8210bis s.11.2 prescribes, the net
 * change over several serials, and when Cache Reset is the answer.
 */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rtr-server/history.h"
#include "rtr-server/pdu.h"

#define MAX_PDUS 64

static const struct rtr_timers TIMERS = {3600, 600, 7200};

/* A decoded response. */
struct resp {
	struct rtr_pdu pdu[MAX_PDUS];
	size_t n;
};

static void
decode_all(const struct rtrbuf *buf, struct resp *r)
{
	size_t off = 0, used;

	r->n = 0;
	while (off < buf->len) {
		ck_assert_uint_lt(r->n, MAX_PDUS);
		ck_assert_int_eq(pdu_decode(buf->data + off, buf->len - off,
					    &r->pdu[r->n], &used),
				 PDU_OK);
		off += used;
		r->n++;
	}
}

static struct vrpset *
set_new(void)
{
	struct vrpset *s = vrpset_new();

	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(vrpset_add_ta(s, "a"), 0);
	ck_assert_int_eq(vrpset_add_ta(s, "b"), 1);
	return s;
}

static void
add4(struct vrpset *s, uint8_t a, uint8_t b, uint8_t len, uint8_t max,
     uint32_t asn, uint8_t ta)
{
	struct vrp v = {{0}, asn, 4, len, max, ta};

	v.addr[0] = a;
	v.addr[1] = b;
	ck_assert(vrpset_add_vrp(s, &v));
}

static void
add6(struct vrpset *s, uint8_t b, uint8_t len, uint8_t max, uint32_t asn)
{
	struct vrp v = {{0x20, 0x01, 0x0d, 0xb8, b}, asn, 6, len, max, 0};

	ck_assert(vrpset_add_vrp(s, &v));
}

static void
addkey(struct vrpset *s, uint8_t ski0, uint32_t asn)
{
	unsigned char ski[20] = {ski0};
	unsigned char spki[3] = {0x30, 0x01, ski0};

	ck_assert(vrpset_add_key(s, 0, asn, ski, spki, sizeof(spki)));
}

static struct payload *
payload_of(struct vrpset *s)
{
	struct payload *p;

	ck_assert(vrpset_finish(s));
	ck_assert_ptr_nonnull(p = payload_from_vrpset(s));
	return p;
}

/* The base payload: two TAs saying some things twice. */
static struct payload *
base_payload(void)
{
	struct vrpset *s = set_new();
	uint32_t p1[] = {30, 10}, p2[] = {20};

	add4(s, 10, 0, 16, 24, 65001, 0);
	add4(s, 10, 0, 16, 24, 65001, 1); /* same VRP, other TA */
	add4(s, 10, 1, 16, 16, 65002, 0);
	add4(s, 192, 0, 16, 16, 65003, 1);
	add6(s, 1, 40, 48, 65004);
	add6(s, 2, 40, 40, 65005);
	addkey(s, 7, 65010);
	addkey(s, 3, 65011);
	ck_assert(vrpset_add_vap(s, 0, 65020, p1, 2));
	ck_assert(vrpset_add_vap(s, 1, 65020, p2, 1));
	ck_assert(vrpset_add_vap(s, 1, 65000, p2, 1));
	return payload_of(s);
}

static struct history *
history_with(struct payload *p, size_t max)
{
	struct history *h = history_new(0x1234, 100, max, &TIMERS);

	ck_assert_ptr_nonnull(h);
	ck_assert_int_eq(history_publish(h, p), 1);
	return h;
}

static struct rtrbuf *
reset(struct history *h, uint8_t version, struct resp *r)
{
	struct rtrbuf *buf = NULL;

	ck_assert_int_eq(history_reset(h, version, &buf), HISTORY_RESPONSE);
	decode_all(buf, r);
	return buf;
}

static void
serial(struct history *h, uint8_t version, uint32_t from, struct resp *r)
{
	struct rtrbuf *buf = NULL;

	ck_assert_int_eq(history_serial_query(h, version, from, &buf),
			 HISTORY_RESPONSE);
	decode_all(buf, r);
	rtrbuf_unref(buf);
}

START_TEST(test_payload_one_item_per_vrp_and_one_aspa_per_customer)
{
	struct payload *p = base_payload();

	ck_assert_uint_eq(p->num_prefixes, 5);
	ck_assert_uint_eq(p->num_keys, 2);
	ck_assert_uint_eq(p->num_aspas, 2);
	ck_assert_uint_eq(p->aspas[1].customer, 65020);
	ck_assert_uint_eq(p->aspas[1].num_providers, 3);
	ck_assert_uint_eq(p->aspas[1].providers[0], 10);
	ck_assert_uint_eq(p->aspas[1].providers[2], 30);
	payload_free(p);
}
END_TEST

START_TEST(test_reset_v2_order_and_content)
{
	struct history *h = history_with(base_payload(), 4);
	struct rtrbuf *buf;
	struct resp r;
	size_t i;

	buf = reset(h, 2, &r);
	ck_assert_uint_eq(r.n, 1 + 5 + 2 + 2 + 1);
	ck_assert_uint_eq(buf->pdus, 9);
	ck_assert_uint_eq(r.pdu[0].type, RTR_PDU_CACHE_RESPONSE);
	/* 8210bis s.5.1: not version 0's id */
	ck_assert_uint_eq(r.pdu[0].u.cache_response.session_id, 0x1234 + 2);
	/* s.11.2: IPv4 announcements by address descending, then IPv6 */
	ck_assert_uint_eq(r.pdu[1].u.prefix.addr[0], 192);
	ck_assert_uint_eq(r.pdu[2].u.prefix.addr[1], 1);
	ck_assert_uint_eq(r.pdu[3].u.prefix.addr[1], 0);
	ck_assert_uint_eq(r.pdu[3].u.prefix.asn, 65001);
	ck_assert_uint_eq(r.pdu[4].type, RTR_PDU_IPV6_PREFIX);
	ck_assert_uint_eq(r.pdu[4].u.prefix.addr[4], 2);
	ck_assert_uint_eq(r.pdu[5].u.prefix.addr[4], 1);
	for (i = 1; i <= 5; i++)
		ck_assert_uint_eq(r.pdu[i].u.prefix.flags, RTR_FLAG_ANNOUNCE);
	/* router keys by SKI ascending, then ASPA by customer */
	ck_assert_uint_eq(r.pdu[6].type, RTR_PDU_ROUTER_KEY);
	ck_assert_uint_eq(r.pdu[6].u.router_key.ski[0], 3);
	ck_assert_uint_eq(r.pdu[7].u.router_key.ski[0], 7);
	ck_assert_uint_eq(r.pdu[8].type, RTR_PDU_ASPA);
	ck_assert_uint_eq(r.pdu[8].u.aspa.customer, 65000);
	ck_assert_uint_eq(r.pdu[9].u.aspa.customer, 65020);
	ck_assert_uint_eq(r.pdu[9].u.aspa.count, 3);
	ck_assert_uint_eq(r.pdu[10].type, RTR_PDU_END_OF_DATA);
	ck_assert_uint_eq(r.pdu[10].u.end_of_data.serial, 100);
	ck_assert_uint_eq(r.pdu[10].u.end_of_data.expire, 7200);
	rtrbuf_unref(buf);
	history_free(h);
}
END_TEST

START_TEST(test_reset_v0_has_prefixes_only_and_short_end_of_data)
{
	struct history *h = history_with(base_payload(), 4);
	struct rtrbuf *buf;
	struct resp r;
	size_t i;

	buf = reset(h, 0, &r);
	ck_assert_uint_eq(r.n, 1 + 5 + 1);
	for (i = 0; i < r.n; i++) {
		ck_assert_uint_eq(r.pdu[i].version, 0);
		ck_assert_uint_ne(r.pdu[i].type, RTR_PDU_ROUTER_KEY);
		ck_assert_uint_ne(r.pdu[i].type, RTR_PDU_ASPA);
	}
	ck_assert_uint_eq(r.pdu[6].length, 12);
	rtrbuf_unref(buf);
	history_free(h);
}
END_TEST

START_TEST(test_reset_v1_has_keys_but_no_aspa)
{
	struct history *h = history_with(base_payload(), 4);
	struct rtrbuf *buf;
	struct resp r;

	buf = reset(h, 1, &r);
	ck_assert_uint_eq(r.n, 1 + 5 + 2 + 1);
	ck_assert_uint_eq(r.pdu[7].type, RTR_PDU_ROUTER_KEY);
	ck_assert_uint_eq(r.pdu[8].length, 24);
	rtrbuf_unref(buf);
	history_free(h);
}
END_TEST

START_TEST(test_reset_response_is_shared_between_clients)
{
	struct history *h = history_with(base_payload(), 4);
	struct rtrbuf *a = NULL, *b = NULL;

	ck_assert_int_eq(history_reset(h, 1, &a), HISTORY_RESPONSE);
	ck_assert_int_eq(history_reset(h, 1, &b), HISTORY_RESPONSE);
	ck_assert_ptr_eq(a, b);
	ck_assert_uint_eq(a->refs, 3); /* the history's and our two */
	rtrbuf_unref(a);
	rtrbuf_unref(b);
	history_free(h);
}
END_TEST

START_TEST(test_same_payload_keeps_serial)
{
	struct history *h = history_with(base_payload(), 4);

	ck_assert_int_eq(history_publish(h, base_payload()), 0);
	ck_assert_uint_eq(history_serial(h), 100);
	history_free(h);
}
END_TEST

/* base plus 10.2/16, minus 192.0/16, ASPA 65000 changed, 65020 gone. */
static struct payload *
next_payload(void)
{
	struct vrpset *s = set_new();
	uint32_t p[] = {20, 21};

	add4(s, 10, 0, 16, 24, 65001, 0);
	add4(s, 10, 1, 16, 16, 65002, 0);
	add4(s, 10, 2, 16, 16, 65009, 0);
	add6(s, 1, 40, 48, 65004);
	add6(s, 2, 40, 40, 65005);
	addkey(s, 7, 65010);
	addkey(s, 3, 65011);
	ck_assert(vrpset_add_vap(s, 1, 65000, p, 2));
	return payload_of(s);
}

START_TEST(test_delta_announces_then_withdraws_per_type)
{
	struct history *h = history_with(base_payload(), 4);
	struct resp r;

	ck_assert_int_eq(history_publish(h, next_payload()), 1);
	ck_assert_uint_eq(history_serial(h), 101);
	serial(h, 2, 100, &r);
	ck_assert_uint_eq(r.n, 1 + 2 + 2 + 1);
	ck_assert_uint_eq(r.pdu[1].u.prefix.flags, RTR_FLAG_ANNOUNCE);
	ck_assert_uint_eq(r.pdu[1].u.prefix.addr[1], 2);
	ck_assert_uint_eq(r.pdu[2].u.prefix.flags, RTR_FLAG_WITHDRAW);
	ck_assert_uint_eq(r.pdu[2].u.prefix.addr[0], 192);
	ck_assert_uint_eq(r.pdu[3].u.aspa.flags, RTR_FLAG_ANNOUNCE);
	ck_assert_uint_eq(r.pdu[3].u.aspa.customer, 65000);
	ck_assert_uint_eq(r.pdu[3].u.aspa.count, 2);
	/* 8210bis s.5.12: a withdrawal has no providers, length 12 */
	ck_assert_uint_eq(r.pdu[4].u.aspa.flags, RTR_FLAG_WITHDRAW);
	ck_assert_uint_eq(r.pdu[4].u.aspa.customer, 65020);
	ck_assert_uint_eq(r.pdu[4].length, 12);
	ck_assert_uint_eq(r.pdu[5].u.end_of_data.serial, 101);
	/* v0 sees the prefix changes only */
	serial(h, 0, 100, &r);
	ck_assert_uint_eq(r.n, 1 + 2 + 1);
	history_free(h);
}
END_TEST

START_TEST(test_fold_drops_item_added_and_removed_again)
{
	struct history *h = history_with(base_payload(), 4);
	struct resp r;

	ck_assert_int_eq(history_publish(h, next_payload()), 1);
	ck_assert_int_eq(history_publish(h, base_payload()), 1);
	ck_assert_uint_eq(history_serial(h), 102);
	/* 100 -> 102 is no change at all */
	serial(h, 2, 100, &r);
	ck_assert_uint_eq(r.n, 2);
	/* 101 -> 102 undoes everything: each item once */
	serial(h, 2, 101, &r);
	ck_assert_uint_eq(r.n, 1 + 2 + 2 + 1);
	ck_assert_uint_eq(r.pdu[1].u.prefix.addr[0], 192);
	ck_assert_uint_eq(r.pdu[1].u.prefix.flags, RTR_FLAG_ANNOUNCE);
	ck_assert_uint_eq(r.pdu[2].u.prefix.addr[1], 2);
	ck_assert_uint_eq(r.pdu[2].u.prefix.flags, RTR_FLAG_WITHDRAW);
	ck_assert_uint_eq(r.pdu[3].u.aspa.customer, 65000);
	ck_assert_uint_eq(r.pdu[3].u.aspa.count, 1);
	ck_assert_uint_eq(r.pdu[4].u.aspa.customer, 65020);
	ck_assert_uint_eq(r.pdu[4].u.aspa.count, 3);
	history_free(h);
}
END_TEST

START_TEST(test_current_serial_gets_empty_delta)
{
	struct history *h = history_with(base_payload(), 4);
	struct resp r;

	serial(h, 1, 100, &r);
	ck_assert_uint_eq(r.n, 2);
	ck_assert_uint_eq(r.pdu[0].type, RTR_PDU_CACHE_RESPONSE);
	ck_assert_uint_eq(r.pdu[1].type, RTR_PDU_END_OF_DATA);
	history_free(h);
}
END_TEST

START_TEST(test_unknown_serials_get_cache_reset)
{
	struct history *h = history_with(base_payload(), 1);
	struct rtrbuf *buf = NULL;

	ck_assert_int_eq(history_publish(h, next_payload()), 1);
	ck_assert_int_eq(history_publish(h, base_payload()), 1);
	/* only one delta kept: 101 is known, 100 is not */
	ck_assert_int_eq(history_serial_query(h, 1, 100, &buf),
			 HISTORY_CACHE_RESET);
	ck_assert_int_eq(history_serial_query(h, 1, 101, &buf),
			 HISTORY_RESPONSE);
	rtrbuf_unref(buf);
	/* ahead of us, and RFC 1982's undefined distance */
	ck_assert_int_eq(history_serial_query(h, 1, 103, &buf),
			 HISTORY_CACHE_RESET);
	ck_assert_int_eq(history_serial_query(h, 1, 102 ^ 0x80000000u, &buf),
			 HISTORY_CACHE_RESET);
	history_free(h);
}
END_TEST

START_TEST(test_serial_wraps_around)
{
	struct history *h = history_new(1, UINT32_MAX, 4, &TIMERS);
	struct resp r;

	ck_assert_int_eq(history_publish(h, base_payload()), 1);
	ck_assert_int_eq(history_publish(h, next_payload()), 1);
	ck_assert_uint_eq(history_serial(h), 0);
	serial(h, 1, UINT32_MAX, &r);
	ck_assert_uint_eq(r.n, 1 + 2 + 1);
	history_free(h);
}
END_TEST

START_TEST(test_no_data_before_first_payload)
{
	struct history *h = history_new(1, 0, 4, &TIMERS);
	struct rtrbuf *buf = NULL;

	ck_assert_int_eq(history_reset(h, 1, &buf), HISTORY_NO_DATA);
	ck_assert_int_eq(history_serial_query(h, 1, 0, &buf), HISTORY_NO_DATA);
	ck_assert_ptr_null(history_notify(h, 1));
	history_free(h);
}
END_TEST

START_TEST(test_first_serial_is_settable_before_data_only)
{
	struct history *h = history_new(1, 0, 4, &TIMERS);

	history_set_first_serial(h, 41);
	ck_assert_int_eq(history_publish(h, base_payload()), 1);
	ck_assert_uint_eq(history_serial(h), 41);
	history_set_first_serial(h, 7);
	ck_assert_uint_eq(history_serial(h), 41);
	history_free(h);
}
END_TEST

static Suite *
history_suite(void)
{
	Suite *s = suite_create("history");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc,
		       test_payload_one_item_per_vrp_and_one_aspa_per_customer);
	tcase_add_test(tc, test_reset_v2_order_and_content);
	tcase_add_test(tc,
		       test_reset_v0_has_prefixes_only_and_short_end_of_data);
	tcase_add_test(tc, test_reset_v1_has_keys_but_no_aspa);
	tcase_add_test(tc, test_reset_response_is_shared_between_clients);
	tcase_add_test(tc, test_same_payload_keeps_serial);
	tcase_add_test(tc, test_delta_announces_then_withdraws_per_type);
	tcase_add_test(tc, test_fold_drops_item_added_and_removed_again);
	tcase_add_test(tc, test_current_serial_gets_empty_delta);
	tcase_add_test(tc, test_unknown_serials_get_cache_reset);
	tcase_add_test(tc, test_serial_wraps_around);
	tcase_add_test(tc, test_no_data_before_first_payload);
	tcase_add_test(tc, test_first_serial_is_settable_before_data_only);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(history_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
