/*
 * Tests for rtr-server/session.c: the session state machine fed bytes as a
 * router (or an attacker) would send them, with every response decoded.
 * Covers version negotiation (8210bis s.7), session ids (s.5.1, s.5.3),
 * Error Reports both ways (s.5.8, s.12) and framing of partial input.
 */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rtr-server/pdu.h"
#include "rtr-server/session.h"

#define MAX_OUT 8
#define SID	0x4242
/* 8210bis s.5.1: each version has its own session id. */
#define SIDV(v) ((uint16_t)(SID + (v)))

static const struct rtr_timers TIMERS = {3600, 600, 7200};
static const struct session_config CFG = {2, 1024};

/* What the session sent. */
struct sink {
	struct rtrbuf *buf[MAX_OUT];
	size_t n;
};

static void
sink_send(void *ctx, struct rtrbuf *buf)
{
	struct sink *k = ctx;

	ck_assert_uint_lt(k->n, MAX_OUT);
	k->buf[k->n++] = buf;
}

static void
sink_clear(struct sink *k)
{
	size_t i;

	for (i = 0; i < k->n; i++)
		rtrbuf_unref(k->buf[i]);
	k->n = 0;
}

/* The first PDU of the i-th buffer sent. */
static struct rtr_pdu
first(const struct sink *k, size_t i)
{
	struct rtr_pdu p;
	size_t used;

	ck_assert_uint_lt(i, k->n);
	ck_assert_int_eq(pdu_decode(k->buf[i]->data, k->buf[i]->len, &p, &used),
			 PDU_OK);
	return p;
}

static struct history *
history_with_data(void)
{
	struct history *h = history_new(SID, 7, 4, &TIMERS);
	struct vrpset *s = vrpset_new();
	struct vrp v = {{10}, 65001, 4, 8, 8, 0};

	ck_assert_ptr_nonnull(h);
	ck_assert_int_eq(vrpset_add_ta(s, "a"), 0);
	ck_assert(vrpset_add_vrp(s, &v));
	ck_assert(vrpset_finish(s));
	ck_assert_int_eq(history_publish(h, payload_from_vrpset(s)), 1);
	return h;
}

struct fixture {
	struct history *h;
	struct session s;
	struct sink out;
	struct session_io io;
};

static void
setup(struct fixture *f, bool data)
{
	f->h = data ? history_with_data() : history_new(SID, 0, 4, &TIMERS);
	session_init(&f->s, "test");
	f->out.n = 0;
	f->io = (struct session_io){sink_send, &f->out};
}

static void
teardown(struct fixture *f)
{
	sink_clear(&f->out);
	session_free(&f->s);
	history_free(f->h);
}

static enum session_result
feed(struct fixture *f, const unsigned char *b, size_t len)
{
	return session_input(&f->s, f->h, &CFG, b, len, &f->io);
}

static void
reset_query(unsigned char *b, uint8_t version)
{
	ck_assert_uint_eq(pdu_encode_reset_query(b, 8, version), 8);
}

static void
serial_query(unsigned char *b, uint8_t version, uint16_t sid, uint32_t s)
{
	ck_assert_uint_eq(pdu_encode_serial_query(b, 12, version, sid, s), 12);
}

static void
assert_error(const struct fixture *f, size_t i, uint8_t version, uint16_t code)
{
	struct rtr_pdu p = first(&f->out, i);

	ck_assert_uint_eq(p.type, RTR_PDU_ERROR_REPORT);
	ck_assert_uint_eq(p.version, version);
	ck_assert_uint_eq(p.u.error_report.code, code);
}

START_TEST(test_reset_query_gets_shared_full_response)
{
	struct fixture f;
	struct rtrbuf *full = NULL;
	unsigned char q[8];

	setup(&f, true);
	reset_query(q, 1);
	ck_assert_int_eq(feed(&f, q, 8), SESSION_CONTINUE);
	ck_assert_uint_eq(f.out.n, 1);
	ck_assert_int_eq(history_reset(f.h, 1, &full), HISTORY_RESPONSE);
	ck_assert_ptr_eq(f.out.buf[0], full);
	ck_assert(f.s.answered);
	rtrbuf_unref(full);
	teardown(&f);
}
END_TEST

START_TEST(test_higher_version_gets_error_4_in_ours)
{
	struct fixture f;
	unsigned char q[8];

	setup(&f, true);
	reset_query(q, 2);
	q[0] = 3;
	ck_assert_int_eq(feed(&f, q, 8), SESSION_CLOSE);
	assert_error(&f, 0, 2, RTR_ERR_UNSUPPORTED_VERSION);
	teardown(&f);
}
END_TEST

START_TEST(test_capped_version_names_the_cap)
{
	struct session_config cfg0 = {0, 1024};
	struct fixture f;
	unsigned char q[8];

	setup(&f, true);
	reset_query(q, 1);
	ck_assert_int_eq(session_input(&f.s, f.h, &cfg0, q, 8, &f.io),
			 SESSION_CLOSE);
	assert_error(&f, 0, 0, RTR_ERR_UNSUPPORTED_VERSION);
	teardown(&f);
}
END_TEST

START_TEST(test_version_change_mid_session_is_error_8)
{
	struct fixture f;
	unsigned char q[8];

	setup(&f, true);
	reset_query(q, 1);
	feed(&f, q, 8);
	reset_query(q, 2);
	ck_assert_int_eq(feed(&f, q, 8), SESSION_CLOSE);
	assert_error(&f, 1, 1, RTR_ERR_UNEXPECTED_VERSION);
	teardown(&f);
}
END_TEST

START_TEST(test_version_change_in_v0_is_corrupt_data)
{
	struct fixture f;
	unsigned char q[8];

	setup(&f, true);
	reset_query(q, 0);
	feed(&f, q, 8);
	reset_query(q, 1);
	ck_assert_int_eq(feed(&f, q, 8), SESSION_CLOSE);
	assert_error(&f, 1, 0, RTR_ERR_CORRUPT_DATA);
	teardown(&f);
}
END_TEST

START_TEST(test_huge_length_rejected_without_buffering)
{
	struct fixture f;
	unsigned char q[8] = {1,   RTR_PDU_RESET_QUERY, 0, 0, 0xff, 0xff, 0xff,
			      0xff};

	setup(&f, true);
	ck_assert_int_eq(feed(&f, q, 8), SESSION_CLOSE);
	assert_error(&f, 0, 1, RTR_ERR_CORRUPT_DATA);
	ck_assert_uint_le(f.s.in.cap, 64);
	/* and nothing more is read */
	ck_assert_int_eq(feed(&f, q, 8), SESSION_CLOSE);
	ck_assert_uint_eq(f.out.n, 1);
	teardown(&f);
}
END_TEST

START_TEST(test_pdu_split_byte_by_byte)
{
	struct fixture f;
	unsigned char q[12];
	size_t i;

	setup(&f, true);
	serial_query(q, 2, SIDV(2), 7);
	for (i = 0; i < 11; i++) {
		ck_assert_int_eq(feed(&f, q + i, 1), SESSION_CONTINUE);
		ck_assert_uint_eq(f.out.n, 0);
		ck_assert(session_pending(&f.s));
	}
	feed(&f, q + 11, 1);
	ck_assert_uint_eq(f.out.n, 1);
	ck_assert_uint_eq(first(&f.out, 0).type, RTR_PDU_CACHE_RESPONSE);
	ck_assert(!session_pending(&f.s));
	teardown(&f);
}
END_TEST

START_TEST(test_two_queries_in_one_read)
{
	struct fixture f;
	unsigned char q[20];

	setup(&f, true);
	reset_query(q, 1);
	serial_query(q + 8, 1, SIDV(1), 7);
	ck_assert_int_eq(feed(&f, q, 20), SESSION_CONTINUE);
	ck_assert_uint_eq(f.out.n, 2);
	teardown(&f);
}
END_TEST

START_TEST(test_router_error_report_never_answered)
{
	struct fixture f;
	unsigned char e[64];
	size_t n;

	setup(&f, true);
	n = pdu_encode_error_report(e, sizeof(e), 1, RTR_ERR_NO_DATA_AVAILABLE,
				    NULL, 0, "x", 1);
	ck_assert_int_eq(feed(&f, e, n), SESSION_CONTINUE);
	n = pdu_encode_error_report(e, sizeof(e), 1, RTR_ERR_CORRUPT_DATA, NULL,
				    0, "bad\n\x01", 5);
	ck_assert_int_eq(feed(&f, e, n), SESSION_CLOSE);
	ck_assert_uint_eq(f.out.n, 0);
	teardown(&f);
}
END_TEST

START_TEST(test_malformed_error_report_closes_silently)
{
	struct fixture f;
	/* text length field says 100, PDU ends after 16 bytes */
	unsigned char e[16] =
	    {1,	 RTR_PDU_ERROR_REPORT, 0, 0, 0, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0,
	     100};

	setup(&f, true);
	ck_assert_int_eq(feed(&f, e, sizeof(e)), SESSION_CLOSE);
	ck_assert_uint_eq(f.out.n, 0);
	teardown(&f);
}
END_TEST

START_TEST(test_cache_pdu_from_router_is_invalid_request)
{
	struct fixture f;
	unsigned char b[20], addr[4] = {10};

	setup(&f, true);
	ck_assert_uint_eq(pdu_encode_ipv4_prefix(b, sizeof(b), 1, 1, 8, 8, addr,
						 1),
			  20);
	ck_assert_int_eq(feed(&f, b, 20), SESSION_CLOSE);
	assert_error(&f, 0, 1, RTR_ERR_INVALID_REQUEST);
	teardown(&f);
}
END_TEST

START_TEST(test_unknown_type_is_unsupported_pdu)
{
	struct fixture f;
	unsigned char b[8] = {1, 99, 0, 0, 0, 0, 0, 8};

	setup(&f, true);
	ck_assert_int_eq(feed(&f, b, 8), SESSION_CLOSE);
	assert_error(&f, 0, 1, RTR_ERR_UNSUPPORTED_PDU);
	teardown(&f);
}
END_TEST

START_TEST(test_no_data_is_error_2_and_session_goes_on)
{
	struct fixture f;
	unsigned char q[12];

	setup(&f, false);
	reset_query(q, 1);
	ck_assert_int_eq(feed(&f, q, 8), SESSION_CONTINUE);
	assert_error(&f, 0, 1, RTR_ERR_NO_DATA_AVAILABLE);
	serial_query(q, 1, SIDV(1), 0);
	ck_assert_int_eq(feed(&f, q, 12), SESSION_CONTINUE);
	assert_error(&f, 1, 1, RTR_ERR_NO_DATA_AVAILABLE);
	teardown(&f);
}
END_TEST

START_TEST(test_other_session_id_on_new_connection_gets_cache_reset)
{
	struct fixture f;
	unsigned char q[12];

	setup(&f, true);
	serial_query(q, 1, SIDV(1) + 1, 7);
	ck_assert_int_eq(feed(&f, q, 12), SESSION_CONTINUE);
	ck_assert_uint_eq(first(&f.out, 0).type, RTR_PDU_CACHE_RESET);
	teardown(&f);
}
END_TEST

START_TEST(test_other_session_id_within_session_is_corrupt_data)
{
	struct fixture f;
	unsigned char q[12];

	setup(&f, true);
	serial_query(q, 1, SIDV(1), 7);
	feed(&f, q, 12);
	serial_query(q, 1, SIDV(1) + 1, 7);
	ck_assert_int_eq(feed(&f, q, 12), SESSION_CLOSE);
	assert_error(&f, 1, 1, RTR_ERR_CORRUPT_DATA);
	teardown(&f);
}
END_TEST

START_TEST(test_undefined_serial_gets_cache_reset)
{
	struct fixture f;
	unsigned char q[12];

	setup(&f, true);
	serial_query(q, 1, SIDV(1), 7 ^ 0x80000000u);
	ck_assert_int_eq(feed(&f, q, 12), SESSION_CONTINUE);
	ck_assert_uint_eq(first(&f.out, 0).type, RTR_PDU_CACHE_RESET);
	ck_assert_uint_eq(f.out.buf[0]->len, 8);
	teardown(&f);
}
END_TEST

START_TEST(test_notify_only_after_a_response)
{
	struct fixture f;
	unsigned char q[8];
	struct rtr_pdu p;

	setup(&f, true);
	ck_assert(session_notify(&f.s, f.h, &f.io));
	ck_assert_uint_eq(f.out.n, 0);
	reset_query(q, 0);
	feed(&f, q, 8);
	ck_assert(session_notify(&f.s, f.h, &f.io));
	ck_assert_uint_eq(f.out.n, 2);
	p = first(&f.out, 1);
	ck_assert_uint_eq(p.type, RTR_PDU_SERIAL_NOTIFY);
	ck_assert_uint_eq(p.version, 0);
	ck_assert_uint_eq(p.u.serial.serial, 7);
	ck_assert_uint_eq(p.u.serial.session_id, SID);
	teardown(&f);
}
END_TEST

static Suite *
session_suite(void)
{
	Suite *s = suite_create("session");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_reset_query_gets_shared_full_response);
	tcase_add_test(tc, test_higher_version_gets_error_4_in_ours);
	tcase_add_test(tc, test_capped_version_names_the_cap);
	tcase_add_test(tc, test_version_change_mid_session_is_error_8);
	tcase_add_test(tc, test_version_change_in_v0_is_corrupt_data);
	tcase_add_test(tc, test_huge_length_rejected_without_buffering);
	tcase_add_test(tc, test_pdu_split_byte_by_byte);
	tcase_add_test(tc, test_two_queries_in_one_read);
	tcase_add_test(tc, test_router_error_report_never_answered);
	tcase_add_test(tc, test_malformed_error_report_closes_silently);
	tcase_add_test(tc, test_cache_pdu_from_router_is_invalid_request);
	tcase_add_test(tc, test_unknown_type_is_unsupported_pdu);
	tcase_add_test(tc, test_no_data_is_error_2_and_session_goes_on);
	tcase_add_test(
	    tc, test_other_session_id_on_new_connection_gets_cache_reset);
	tcase_add_test(tc,
		       test_other_session_id_within_session_is_corrupt_data);
	tcase_add_test(tc, test_undefined_serial_gets_cache_reset);
	tcase_add_test(tc, test_notify_only_after_a_response);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(session_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
