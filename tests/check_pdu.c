/*
 * Tests for rtr-server/pdu.c: every PDU the cache sends is compared, byte
 * for byte, with an array written by hand from the layouts in RFC 6810 s.5,
 * RFC 8210 s.5 and draft-ietf-sidrops-8210bis s.5, then decoded back. The
 * decoder's refusals are checked for the Error Report code they carry.
 */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rtr-server/pdu.h"

#define BUF_LEN 256

static const unsigned char SKI[RTR_SKI_LEN] = {1,  2,  3,  4,  5,  6,  7,
					       8,  9,  10, 11, 12, 13, 14,
					       15, 16, 17, 18, 19, 20};
static const unsigned char ADDR4[4] = {192, 0, 2, 0};
static const unsigned char ADDR6[16] = {0x20, 0x01, 0x0d, 0xb8};

/* Encoded bytes equal the expected ones and decode back as type. */
static void
check_bytes(const unsigned char *got, size_t n, const unsigned char *want,
	    size_t want_len, struct rtr_pdu *out)
{
	size_t consumed = 0;

	ck_assert_uint_eq(n, want_len);
	ck_assert_mem_eq(got, want, want_len);
	ck_assert_int_eq(pdu_decode(got, n, out, &consumed), PDU_OK);
	ck_assert_uint_eq(consumed, want_len);
	ck_assert_uint_eq(out->version, want[0]);
	ck_assert_uint_eq(out->type, want[1]);
	ck_assert_uint_eq(out->length, want_len);
}

static void
check_bad(const unsigned char *buf, size_t len, uint16_t error)
{
	struct rtr_pdu p;
	size_t consumed = 0;

	ck_assert_int_eq(pdu_decode(buf, len, &p, &consumed), PDU_BAD);
	ck_assert_uint_eq(p.error, error);
	ck_assert_uint_eq(consumed, 0);
}

START_TEST(test_pdu_serial_notify_layout)
{
	const unsigned char want[] = {(unsigned char)_i,
				      0,
				      0x12,
				      0x34,
				      0,
				      0,
				      0,
				      12,
				      0xde,
				      0xad,
				      0xbe,
				      0xef};
	unsigned char buf[BUF_LEN];
	struct rtr_pdu p;

	check_bytes(buf,
		    pdu_encode_serial_notify(buf, sizeof(buf), (uint8_t)_i,
					     0x1234, 0xdeadbeef),
		    want, sizeof(want), &p);
	ck_assert_uint_eq(p.u.serial.session_id, 0x1234);
	ck_assert_uint_eq(p.u.serial.serial, 0xdeadbeef);
}
END_TEST

START_TEST(test_pdu_serial_query_decoded)
{
	const unsigned char want[] =
	    {(unsigned char)_i, 1, 0xab, 0xcd, 0, 0, 0, 12, 0, 0, 1, 0};
	unsigned char buf[BUF_LEN];
	struct rtr_pdu p;

	check_bytes(buf,
		    pdu_encode_serial_query(buf, sizeof(buf), (uint8_t)_i,
					    0xabcd, 256),
		    want, sizeof(want), &p);
	ck_assert_uint_eq(p.u.serial.session_id, 0xabcd);
	ck_assert_uint_eq(p.u.serial.serial, 256);
}
END_TEST

START_TEST(test_pdu_reset_query_decoded)
{
	const unsigned char want[] = {(unsigned char)_i, 2, 0, 0, 0, 0, 0, 8};
	unsigned char buf[BUF_LEN];
	struct rtr_pdu p;

	check_bytes(buf, pdu_encode_reset_query(buf, sizeof(buf), (uint8_t)_i),
		    want, sizeof(want), &p);
}
END_TEST

START_TEST(test_pdu_cache_response_layout)
{
	const unsigned char want[] =
	    {(unsigned char)_i, 3, 0x12, 0x34, 0, 0, 0, 8};
	unsigned char buf[BUF_LEN];
	struct rtr_pdu p;

	check_bytes(buf,
		    pdu_encode_cache_response(buf, sizeof(buf), (uint8_t)_i,
					      0x1234),
		    want, sizeof(want), &p);
	ck_assert_uint_eq(p.u.cache_response.session_id, 0x1234);
}
END_TEST

START_TEST(test_pdu_ipv4_prefix_layout)
{
	const unsigned char want[] = {(unsigned char)_i,
				      4,
				      0,
				      0,
				      0,
				      0,
				      0,
				      20,
				      1,
				      24,
				      32,
				      0,
				      192,
				      0,
				      2,
				      0,
				      0,
				      0,
				      0xfd,
				      0xe8};
	const unsigned char withdraw[] = {(unsigned char)_i,
					  4,
					  0,
					  0,
					  0,
					  0,
					  0,
					  20,
					  0,
					  24,
					  24,
					  0,
					  192,
					  0,
					  2,
					  0,
					  0,
					  0,
					  0,
					  1};
	unsigned char buf[BUF_LEN];
	struct rtr_pdu p;

	check_bytes(buf,
		    pdu_encode_ipv4_prefix(buf, sizeof(buf), (uint8_t)_i,
					   RTR_FLAG_ANNOUNCE, 24, 32, ADDR4,
					   65000),
		    want, sizeof(want), &p);
	ck_assert_uint_eq(p.u.prefix.flags, RTR_FLAG_ANNOUNCE);
	ck_assert_uint_eq(p.u.prefix.prefix_len, 24);
	ck_assert_uint_eq(p.u.prefix.max_len, 32);
	ck_assert_mem_eq(p.u.prefix.addr, ADDR4, sizeof(ADDR4));
	ck_assert_uint_eq(p.u.prefix.asn, 65000);

	check_bytes(buf,
		    pdu_encode_ipv4_prefix(buf, sizeof(buf), (uint8_t)_i,
					   RTR_FLAG_WITHDRAW, 24, 24, ADDR4, 1),
		    withdraw, sizeof(withdraw), &p);
	ck_assert_uint_eq(p.u.prefix.flags, RTR_FLAG_WITHDRAW);
}
END_TEST

START_TEST(test_pdu_ipv6_prefix_layout)
{
	const unsigned char want[] = {(unsigned char)_i,
				      6,
				      0,
				      0,
				      0,
				      0,
				      0,
				      32,
				      1,
				      32,
				      48,
				      0,
				      0x20,
				      0x01,
				      0x0d,
				      0xb8,
				      0,
				      0,
				      0,
				      0,
				      0,
				      0,
				      0,
				      0,
				      0,
				      0,
				      0,
				      0,
				      0xff,
				      0xff,
				      0xff,
				      0xff};
	unsigned char buf[BUF_LEN];
	struct rtr_pdu p;

	check_bytes(buf,
		    pdu_encode_ipv6_prefix(buf, sizeof(buf), (uint8_t)_i,
					   RTR_FLAG_ANNOUNCE, 32, 48, ADDR6,
					   UINT32_MAX),
		    want, sizeof(want), &p);
	ck_assert_uint_eq(p.u.prefix.prefix_len, 32);
	ck_assert_uint_eq(p.u.prefix.max_len, 48);
	ck_assert_mem_eq(p.u.prefix.addr, ADDR6, sizeof(ADDR6));
	ck_assert_uint_eq(p.u.prefix.asn, UINT32_MAX);
}
END_TEST

START_TEST(test_pdu_end_of_data_v0_is_12_bytes)
{
	const unsigned char want[] = {0, 7,  0x12, 0x34, 0, 0,
				      0, 12, 0,	   0,	 0, 42};
	unsigned char buf[BUF_LEN];
	struct rtr_pdu p;

	check_bytes(buf,
		    pdu_encode_end_of_data(buf, sizeof(buf), 0, 0x1234, 42,
					   3600, 600, 7200),
		    want, sizeof(want), &p);
	ck_assert_uint_eq(p.u.end_of_data.serial, 42);
	ck_assert_uint_eq(p.u.end_of_data.refresh, 0);
}
END_TEST

START_TEST(test_pdu_end_of_data_v1_has_timers)
{
	const unsigned char want[] = {(unsigned char)_i,
				      7,
				      0x12,
				      0x34,
				      0,
				      0,
				      0,
				      24,
				      0,
				      0,
				      0,
				      42,
				      0,
				      0,
				      0x0e,
				      0x10,
				      0,
				      0,
				      0x02,
				      0x58,
				      0,
				      0,
				      0x1c,
				      0x20};
	unsigned char buf[BUF_LEN];
	struct rtr_pdu p;

	check_bytes(buf,
		    pdu_encode_end_of_data(buf, sizeof(buf), (uint8_t)_i,
					   0x1234, 42, 3600, 600, 7200),
		    want, sizeof(want), &p);
	ck_assert_uint_eq(p.u.end_of_data.session_id, 0x1234);
	ck_assert_uint_eq(p.u.end_of_data.serial, 42);
	ck_assert_uint_eq(p.u.end_of_data.refresh, 3600);
	ck_assert_uint_eq(p.u.end_of_data.retry, 600);
	ck_assert_uint_eq(p.u.end_of_data.expire, 7200);
}
END_TEST

START_TEST(test_pdu_end_of_data_v0_with_24_bytes_rejected)
{
	const unsigned char in[] = {0, 7, 0, 0, 0, 0, 0, 24, 0, 0, 0, 1,
				    0, 0, 0, 1, 0, 0, 0, 1,  0, 0, 0, 1};

	check_bad(in, sizeof(in), RTR_ERR_CORRUPT_DATA);
}
END_TEST

START_TEST(test_pdu_cache_reset_layout)
{
	const unsigned char want[] = {(unsigned char)_i, 8, 0, 0, 0, 0, 0, 8};
	unsigned char buf[BUF_LEN];
	struct rtr_pdu p;

	check_bytes(buf, pdu_encode_cache_reset(buf, sizeof(buf), (uint8_t)_i),
		    want, sizeof(want), &p);
}
END_TEST

START_TEST(test_pdu_router_key_layout)
{
	const unsigned char spki[] = {0x30, 0x59, 0xaa};
	const unsigned char want[] = {(unsigned char)_i,
				      9,
				      1,
				      0,
				      0,
				      0,
				      0,
				      35,
				      1,
				      2,
				      3,
				      4,
				      5,
				      6,
				      7,
				      8,
				      9,
				      10,
				      11,
				      12,
				      13,
				      14,
				      15,
				      16,
				      17,
				      18,
				      19,
				      20,
				      0,
				      0,
				      0xfd,
				      0xe9,
				      0x30,
				      0x59,
				      0xaa};
	unsigned char buf[BUF_LEN];
	struct rtr_pdu p;

	check_bytes(buf,
		    pdu_encode_router_key(buf, sizeof(buf), (uint8_t)_i,
					  RTR_FLAG_ANNOUNCE, SKI, 65001, spki,
					  sizeof(spki)),
		    want, sizeof(want), &p);
	ck_assert_uint_eq(p.u.router_key.flags, RTR_FLAG_ANNOUNCE);
	ck_assert_mem_eq(p.u.router_key.ski, SKI, RTR_SKI_LEN);
	ck_assert_uint_eq(p.u.router_key.asn, 65001);
	ck_assert_uint_eq(p.u.router_key.spki_len, sizeof(spki));
	ck_assert_mem_eq(p.u.router_key.spki, spki, sizeof(spki));
}
END_TEST

START_TEST(test_pdu_router_key_refused_for_v0)
{
	const unsigned char in[] = {0,	9,  1,	0,  0,	0,  0,	32, 1,	2,  3,
				    4,	5,  6,	7,  8,	9,  10, 11, 12, 13, 14,
				    15, 16, 17, 18, 19, 20, 0,	0,  0,	1};
	unsigned char buf[BUF_LEN];

	ck_assert_uint_eq(pdu_encode_router_key(buf, sizeof(buf), 0,
						RTR_FLAG_ANNOUNCE, SKI, 1, NULL,
						0),
			  0);
	check_bad(in, sizeof(in), RTR_ERR_UNSUPPORTED_PDU);
}
END_TEST

START_TEST(test_pdu_error_report_layout)
{
	const unsigned char inner[] = {(unsigned char)_i, 2, 0, 0, 0, 0, 0, 8};
	const unsigned char want[] = {(unsigned char)_i,
				      10,
				      0,
				      3,
				      0,
				      0,
				      0,
				      29,
				      0,
				      0,
				      0,
				      8,
				      (unsigned char)_i,
				      2,
				      0,
				      0,
				      0,
				      0,
				      0,
				      8,
				      0,
				      0,
				      0,
				      5,
				      'h',
				      'e',
				      'l',
				      'l',
				      'o'};
	unsigned char buf[BUF_LEN];
	struct rtr_pdu p;

	check_bytes(buf,
		    pdu_encode_error_report(buf, sizeof(buf), (uint8_t)_i,
					    RTR_ERR_INVALID_REQUEST, inner,
					    sizeof(inner), "hello", 5),
		    want, sizeof(want), &p);
	ck_assert_uint_eq(p.u.error_report.code, RTR_ERR_INVALID_REQUEST);
	ck_assert_uint_eq(p.u.error_report.pdu_len, sizeof(inner));
	ck_assert_mem_eq(p.u.error_report.pdu, inner, sizeof(inner));
	ck_assert_uint_eq(p.u.error_report.text_len, 5);
	ck_assert_mem_eq(p.u.error_report.text, "hello", 5);
}
END_TEST

START_TEST(test_pdu_error_report_empty_layout)
{
	const unsigned char want[] =
	    {(unsigned char)_i, 10, 0, 2, 0, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0, 0};
	unsigned char buf[BUF_LEN];
	struct rtr_pdu p;

	check_bytes(buf,
		    pdu_encode_error_report(buf, sizeof(buf), (uint8_t)_i,
					    RTR_ERR_NO_DATA_AVAILABLE, NULL, 0,
					    NULL, 0),
		    want, sizeof(want), &p);
	ck_assert_uint_eq(p.u.error_report.code, RTR_ERR_NO_DATA_AVAILABLE);
	ck_assert_uint_eq(p.u.error_report.pdu_len, 0);
	ck_assert_uint_eq(p.u.error_report.text_len, 0);
}
END_TEST

START_TEST(test_pdu_error_report_inner_lengths_mismatch_rejected)
{
	/* The encapsulated PDU claims 9 bytes; the text length is beyond. */
	const unsigned char pdu_over[] = {1, 10, 0, 0, 0, 0, 0, 16,
					  0, 0,	 0, 9, 0, 0, 0, 0};
	/* The text claims 2 bytes where 1 follows. */
	const unsigned char text_over[] = {1, 10, 0, 0, 0, 0, 0, 17, 0,
					   0, 0,  0, 0, 0, 0, 2, 'x'};

	check_bad(pdu_over, sizeof(pdu_over), RTR_ERR_CORRUPT_DATA);
	check_bad(text_over, sizeof(text_over), RTR_ERR_CORRUPT_DATA);
}
END_TEST

START_TEST(test_pdu_aspa_layout)
{
	const uint32_t providers[] = {65010, 65020};
	const unsigned char want[] = {2,    11,	  1, 0,	   0,	 0,   0,
				      20,   0,	  0, 0xfd, 0xe8, 0,   0,
				      0xfd, 0xf2, 0, 0,	   0xfd, 0xfc};
	unsigned char buf[BUF_LEN];
	struct rtr_pdu p;

	check_bytes(buf,
		    pdu_encode_aspa(buf, sizeof(buf), 2, RTR_FLAG_ANNOUNCE,
				    65000, providers, 2),
		    want, sizeof(want), &p);
	ck_assert_uint_eq(p.u.aspa.flags, RTR_FLAG_ANNOUNCE);
	ck_assert_uint_eq(p.u.aspa.customer, 65000);
	ck_assert_uint_eq(p.u.aspa.count, 2);
	ck_assert_uint_eq(pdu_aspa_provider(&p, 0), 65010);
	ck_assert_uint_eq(pdu_aspa_provider(&p, 1), 65020);
}
END_TEST

START_TEST(test_pdu_aspa_withdrawal_has_no_providers)
{
	const unsigned char want[] = {2, 11, 0, 0, 0,	 0,
				      0, 12, 0, 0, 0xfd, 0xe8};
	unsigned char buf[BUF_LEN];
	struct rtr_pdu p;

	check_bytes(buf,
		    pdu_encode_aspa(buf, sizeof(buf), 2, RTR_FLAG_WITHDRAW,
				    65000, NULL, 0),
		    want, sizeof(want), &p);
	ck_assert_uint_eq(p.u.aspa.count, 0);
}
END_TEST

START_TEST(test_pdu_aspa_refused_before_v2)
{
	const uint32_t providers[] = {65010};
	const unsigned char in[] = {(unsigned char)_i,
				    11,
				    1,
				    0,
				    0,
				    0,
				    0,
				    16,
				    0,
				    0,
				    0xfd,
				    0xe8,
				    0,
				    0,
				    0xfd,
				    0xf2};
	unsigned char buf[BUF_LEN];

	ck_assert_uint_eq(pdu_encode_aspa(buf, sizeof(buf), (uint8_t)_i,
					  RTR_FLAG_ANNOUNCE, 65000, providers,
					  1),
			  0);
	check_bad(in, sizeof(in), RTR_ERR_UNSUPPORTED_PDU);
}
END_TEST

START_TEST(test_pdu_aspa_partial_provider_rejected)
{
	const unsigned char in[] = {2,	11, 1, 0,    0,	   0, 0,
				    14, 0,  0, 0xfd, 0xe8, 0, 0};

	check_bad(in, sizeof(in), RTR_ERR_CORRUPT_DATA);
}
END_TEST

/* 8210bis s.5.12: the provider list rules, each an Error 9. */
START_TEST(test_pdu_aspa_provider_list_rules)
{
	/* announcement without providers */
	const unsigned char empty[] = {2, 11, 1, 0, 0, 0, 0, 12, 0, 0, 0, 1};
	/* withdrawal with a provider */
	const unsigned char wd[] = {2, 11, 0, 0, 0, 0, 0, 16,
				    0, 0,  0, 1, 0, 0, 0, 2};
	/* providers descending, duplicated, and AS 0 among others */
	const unsigned char down[] = {2, 11, 1, 0, 0, 0, 0, 20, 0, 0,
				      0, 1,  0, 0, 0, 3, 0, 0,	0, 2};
	const unsigned char dup[] = {2, 11, 1, 0, 0, 0, 0, 20, 0, 0,
				     0, 1,  0, 0, 0, 3, 0, 0,  0, 3};
	const unsigned char zero[] = {2, 11, 1, 0, 0, 0, 0, 20, 0, 0,
				      0, 1,  0, 0, 0, 0, 0, 0,	0, 3};
	/* AS 0 alone is allowed */
	const unsigned char only0[] = {2, 11, 1, 0, 0, 0, 0, 16,
				       0, 0,  0, 1, 0, 0, 0, 0};
	struct rtr_pdu p;
	size_t used;

	check_bad(empty, sizeof(empty), RTR_ERR_ASPA_PROVIDER_LIST);
	check_bad(wd, sizeof(wd), RTR_ERR_ASPA_PROVIDER_LIST);
	check_bad(down, sizeof(down), RTR_ERR_ASPA_PROVIDER_LIST);
	check_bad(dup, sizeof(dup), RTR_ERR_ASPA_PROVIDER_LIST);
	check_bad(zero, sizeof(zero), RTR_ERR_ASPA_PROVIDER_LIST);
	ck_assert_int_eq(pdu_decode(only0, sizeof(only0), &p, &used), PDU_OK);
}
END_TEST

START_TEST(test_pdu_encode_refuses_small_buffer)
{
	unsigned char buf[BUF_LEN];

	ck_assert_uint_eq(pdu_encode_serial_notify(buf, 11, 1, 1, 1), 0);
	ck_assert_uint_eq(pdu_encode_cache_response(buf, 7, 1, 1), 0);
	ck_assert_uint_eq(pdu_encode_end_of_data(buf, 23, 1, 1, 1, 1, 1, 1), 0);
	ck_assert_uint_eq(pdu_encode_end_of_data(buf, 12, 0, 1, 1, 1, 1, 1),
			  12);
	ck_assert_uint_eq(pdu_encode_ipv6_prefix(buf, 31, 1, 1, 1, 1, ADDR6, 1),
			  0);
	ck_assert_uint_eq(pdu_encode_error_report(buf, 20, 1, 0, buf, 8, "x",
						  1),
			  0);
}
END_TEST

START_TEST(test_pdu_encode_refuses_version_3)
{
	unsigned char buf[BUF_LEN];

	ck_assert_uint_eq(pdu_encode_serial_notify(buf, sizeof(buf), 3, 1, 1),
			  0);
	ck_assert_uint_eq(pdu_encode_cache_reset(buf, sizeof(buf), 3), 0);
}
END_TEST

START_TEST(test_pdu_truncated_needs_more)
{
	unsigned char buf[BUF_LEN];
	struct rtr_pdu p;
	size_t n, i, consumed = 0;

	n = pdu_encode_end_of_data(buf, sizeof(buf), 1, 7, 1, 2, 3, 4);
	ck_assert_uint_eq(n, 24);
	for (i = 0; i < n; i++)
		ck_assert_int_eq(pdu_decode(buf, i, &p, &consumed),
				 PDU_NEED_MORE);
	ck_assert_uint_eq(consumed, 0);
	ck_assert_int_eq(pdu_decode(buf, n, &p, &consumed), PDU_OK);
}
END_TEST

START_TEST(test_pdu_decode_consumes_one_pdu)
{
	unsigned char buf[BUF_LEN];
	struct rtr_pdu p;
	size_t n, consumed = 0;

	n = pdu_encode_cache_response(buf, sizeof(buf), 1, 9);
	n += pdu_encode_cache_reset(buf + n, sizeof(buf) - n, 1);
	ck_assert_uint_eq(n, 16);
	ck_assert_int_eq(pdu_decode(buf, n, &p, &consumed), PDU_OK);
	ck_assert_uint_eq(p.type, RTR_PDU_CACHE_RESPONSE);
	ck_assert_uint_eq(consumed, 8);
	ck_assert_int_eq(pdu_decode(buf + 8, n - 8, &p, &consumed), PDU_OK);
	ck_assert_uint_eq(p.type, RTR_PDU_CACHE_RESET);
}
END_TEST

START_TEST(test_pdu_length_below_fixed_size_rejected)
{
	const unsigned char in[] = {1, 1, 0, 0, 0, 0, 0, 8, 0, 0, 0, 0};

	check_bad(in, sizeof(in), RTR_ERR_CORRUPT_DATA);
}
END_TEST

START_TEST(test_pdu_length_above_fixed_size_rejected)
{
	const unsigned char in[] = {1, 2, 0, 0, 0, 0, 0, 12, 0, 0, 0, 0};

	check_bad(in, sizeof(in), RTR_ERR_CORRUPT_DATA);
}
END_TEST

START_TEST(test_pdu_length_over_max_rejected_without_waiting)
{
	/* Only the header: a bad length must not be waited for. */
	const unsigned char in[] = {1, 10, 0, 0, 0x7f, 0xff, 0xff, 0xff};

	check_bad(in, sizeof(in), RTR_ERR_CORRUPT_DATA);
}
END_TEST

START_TEST(test_pdu_unknown_type_rejected)
{
	const unsigned char type5[] = {1, 5, 0, 0, 0, 0, 0, 8};
	const unsigned char type12[] = {2, 12, 0, 0, 0, 0, 0, 8};
	const unsigned char type255[] = {1, 255, 0, 0, 0, 0, 0, 8};

	check_bad(type5, sizeof(type5), RTR_ERR_UNSUPPORTED_PDU);
	check_bad(type12, sizeof(type12), RTR_ERR_UNSUPPORTED_PDU);
	check_bad(type255, sizeof(type255), RTR_ERR_UNSUPPORTED_PDU);
}
END_TEST

START_TEST(test_pdu_version_3_rejected)
{
	const unsigned char in[] = {3, 2, 0, 0, 0, 0, 0, 8};
	struct rtr_pdu p;
	size_t consumed = 0;

	check_bad(in, sizeof(in), RTR_ERR_UNSUPPORTED_VERSION);
	ck_assert_int_eq(pdu_decode(in, sizeof(in), &p, &consumed), PDU_BAD);
	ck_assert_uint_eq(p.version, 3);
}
END_TEST

static Suite *
pdu_suite(void)
{
	Suite *s = suite_create("pdu");
	TCase *tc;

	/* Loop tests run once per version the PDU exists in: _i. */
	tc = tcase_create("layouts");
	tcase_add_loop_test(tc, test_pdu_serial_notify_layout, 0, 3);
	tcase_add_loop_test(tc, test_pdu_serial_query_decoded, 0, 3);
	tcase_add_loop_test(tc, test_pdu_reset_query_decoded, 0, 3);
	tcase_add_loop_test(tc, test_pdu_cache_response_layout, 0, 3);
	tcase_add_loop_test(tc, test_pdu_ipv4_prefix_layout, 0, 3);
	tcase_add_loop_test(tc, test_pdu_ipv6_prefix_layout, 0, 3);
	tcase_add_test(tc, test_pdu_end_of_data_v0_is_12_bytes);
	tcase_add_loop_test(tc, test_pdu_end_of_data_v1_has_timers, 1, 3);
	tcase_add_loop_test(tc, test_pdu_cache_reset_layout, 0, 3);
	tcase_add_loop_test(tc, test_pdu_router_key_layout, 1, 3);
	tcase_add_loop_test(tc, test_pdu_error_report_layout, 0, 3);
	tcase_add_loop_test(tc, test_pdu_error_report_empty_layout, 0, 3);
	tcase_add_test(tc, test_pdu_aspa_layout);
	tcase_add_test(tc, test_pdu_aspa_withdrawal_has_no_providers);
	suite_add_tcase(s, tc);

	tc = tcase_create("refusals");
	tcase_add_test(tc, test_pdu_end_of_data_v0_with_24_bytes_rejected);
	tcase_add_test(tc, test_pdu_router_key_refused_for_v0);
	tcase_add_test(tc,
		       test_pdu_error_report_inner_lengths_mismatch_rejected);
	tcase_add_loop_test(tc, test_pdu_aspa_refused_before_v2, 0, 2);
	tcase_add_test(tc, test_pdu_aspa_partial_provider_rejected);
	tcase_add_test(tc, test_pdu_aspa_provider_list_rules);
	tcase_add_test(tc, test_pdu_encode_refuses_small_buffer);
	tcase_add_test(tc, test_pdu_encode_refuses_version_3);
	tcase_add_test(tc, test_pdu_truncated_needs_more);
	tcase_add_test(tc, test_pdu_decode_consumes_one_pdu);
	tcase_add_test(tc, test_pdu_length_below_fixed_size_rejected);
	tcase_add_test(tc, test_pdu_length_above_fixed_size_rejected);
	tcase_add_test(tc, test_pdu_length_over_max_rejected_without_waiting);
	tcase_add_test(tc, test_pdu_unknown_type_rejected);
	tcase_add_test(tc, test_pdu_version_3_rejected);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(pdu_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
