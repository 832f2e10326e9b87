/*
 * Fuzzes the RTR PDU decoder (rtr-server/pdu.c) on a stream of PDUs, each
 * decoded where the last one ended, as the session does with what a
 * router sends. Each PDU decoded is encoded again by the encoders the
 * cache sends with, and must decode to the same PDU: the two halves of
 * the codec agree on every field.
 */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "rtr-server/pdu.h"

#include "util.h"

/* Reads every byte a decoded PDU points to, for ASan to check. */
static unsigned
touch(const struct rtr_pdu *p)
{
	unsigned sum = 0;
	size_t i;

	switch (p->type) {
	case RTR_PDU_ROUTER_KEY:
		for (i = 0; i < p->u.router_key.spki_len; i++)
			sum += p->u.router_key.spki[i];
		break;
	case RTR_PDU_ERROR_REPORT:
		for (i = 0; i < p->u.error_report.pdu_len; i++)
			sum += p->u.error_report.pdu[i];
		for (i = 0; i < p->u.error_report.text_len; i++)
			sum += p->u.error_report.text[i];
		break;
	case RTR_PDU_ASPA:
		for (i = 0; i < p->u.aspa.count; i++)
			sum += pdu_aspa_provider(p, i);
		break;
	default:
		break;
	}
	return sum;
}

/* p encoded again into buf (RTR_PDU_MAX_LEN bytes); its length, or 0. */
static size_t
encode(const struct rtr_pdu *p, unsigned char *buf)
{
	static uint32_t providers[RTR_PDU_MAX_LEN / 4];
	const size_t size = RTR_PDU_MAX_LEN;
	size_t i;

	switch (p->type) {
	case RTR_PDU_SERIAL_NOTIFY:
		return pdu_encode_serial_notify(buf, size, p->version,
						p->u.serial.session_id,
						p->u.serial.serial);
	case RTR_PDU_SERIAL_QUERY:
		return pdu_encode_serial_query(buf, size, p->version,
					       p->u.serial.session_id,
					       p->u.serial.serial);
	case RTR_PDU_RESET_QUERY:
		return pdu_encode_reset_query(buf, size, p->version);
	case RTR_PDU_CACHE_RESPONSE:
		return pdu_encode_cache_response(buf, size, p->version,
						 p->u.cache_response
						     .session_id);
	case RTR_PDU_IPV4_PREFIX:
		return pdu_encode_ipv4_prefix(buf, size, p->version,
					      p->u.prefix.flags,
					      p->u.prefix.prefix_len,
					      p->u.prefix.max_len,
					      p->u.prefix.addr,
					      p->u.prefix.asn);
	case RTR_PDU_IPV6_PREFIX:
		return pdu_encode_ipv6_prefix(buf, size, p->version,
					      p->u.prefix.flags,
					      p->u.prefix.prefix_len,
					      p->u.prefix.max_len,
					      p->u.prefix.addr,
					      p->u.prefix.asn);
	case RTR_PDU_END_OF_DATA:
		return pdu_encode_end_of_data(buf, size, p->version,
					      p->u.end_of_data.session_id,
					      p->u.end_of_data.serial,
					      p->u.end_of_data.refresh,
					      p->u.end_of_data.retry,
					      p->u.end_of_data.expire);
	case RTR_PDU_CACHE_RESET:
		return pdu_encode_cache_reset(buf, size, p->version);
	case RTR_PDU_ROUTER_KEY:
		return pdu_encode_router_key(buf, size, p->version,
					     p->u.router_key.flags,
					     p->u.router_key.ski,
					     p->u.router_key.asn,
					     p->u.router_key.spki,
					     p->u.router_key.spki_len);
	case RTR_PDU_ERROR_REPORT:
		return pdu_encode_error_report(buf, size, p->version,
					       p->u.error_report.code,
					       p->u.error_report.pdu,
					       p->u.error_report.pdu_len,
					       (const char *)
						   p->u.error_report.text,
					       p->u.error_report.text_len);
	case RTR_PDU_ASPA:
		for (i = 0; i < p->u.aspa.count; i++)
			providers[i] = pdu_aspa_provider(p, i);
		return pdu_encode_aspa(buf, size, p->version, p->u.aspa.flags,
				       p->u.aspa.customer, providers,
				       p->u.aspa.count);
	default:
		return 0;
	}
}

/* Whether n bytes at a and b are equal; NULL allowed when n is 0. */
static bool
same_bytes(const unsigned char *a, const unsigned char *b, size_t n)
{
	return n == 0 || memcmp(a, b, n) == 0;
}

/* Whether two decoded PDUs say the same; pointers compared by content. */
static bool
same(const struct rtr_pdu *a, const struct rtr_pdu *b)
{
	size_t i;

	if (a->version != b->version || a->type != b->type ||
	    a->length != b->length)
		return false;
	switch (a->type) {
	case RTR_PDU_SERIAL_NOTIFY:
	case RTR_PDU_SERIAL_QUERY:
		return a->u.serial.session_id == b->u.serial.session_id &&
		    a->u.serial.serial == b->u.serial.serial;
	case RTR_PDU_CACHE_RESPONSE:
		return a->u.cache_response.session_id ==
		    b->u.cache_response.session_id;
	case RTR_PDU_IPV4_PREFIX:
	case RTR_PDU_IPV6_PREFIX:
		return a->u.prefix.flags == b->u.prefix.flags &&
		    a->u.prefix.prefix_len == b->u.prefix.prefix_len &&
		    a->u.prefix.max_len == b->u.prefix.max_len &&
		    memcmp(a->u.prefix.addr, b->u.prefix.addr, 16) == 0 &&
		    a->u.prefix.asn == b->u.prefix.asn;
	case RTR_PDU_END_OF_DATA:
		return a->u.end_of_data.session_id ==
		    b->u.end_of_data.session_id &&
		    a->u.end_of_data.serial == b->u.end_of_data.serial &&
		    a->u.end_of_data.refresh == b->u.end_of_data.refresh &&
		    a->u.end_of_data.retry == b->u.end_of_data.retry &&
		    a->u.end_of_data.expire == b->u.end_of_data.expire;
	case RTR_PDU_ROUTER_KEY:
		return a->u.router_key.flags == b->u.router_key.flags &&
		    memcmp(a->u.router_key.ski, b->u.router_key.ski,
			   RTR_SKI_LEN) == 0 &&
		    a->u.router_key.asn == b->u.router_key.asn &&
		    a->u.router_key.spki_len == b->u.router_key.spki_len &&
		    same_bytes(a->u.router_key.spki, b->u.router_key.spki,
			       a->u.router_key.spki_len);
	case RTR_PDU_ERROR_REPORT:
		return a->u.error_report.code == b->u.error_report.code &&
		    a->u.error_report.pdu_len == b->u.error_report.pdu_len &&
		    same_bytes(a->u.error_report.pdu, b->u.error_report.pdu,
			       a->u.error_report.pdu_len) &&
		    a->u.error_report.text_len == b->u.error_report.text_len &&
		    same_bytes(a->u.error_report.text, b->u.error_report.text,
			       a->u.error_report.text_len);
	case RTR_PDU_ASPA:
		if (a->u.aspa.flags != b->u.aspa.flags ||
		    a->u.aspa.customer != b->u.aspa.customer ||
		    a->u.aspa.count != b->u.aspa.count)
			return false;
		for (i = 0; i < a->u.aspa.count; i++)
			if (pdu_aspa_provider(a, i) != pdu_aspa_provider(b, i))
				return false;
		return true;
	default:
		return true;
	}
}

/* Encodes p again and decodes that; aborts unless it decodes to p. */
static void
round_trip(const struct rtr_pdu *p)
{
	static unsigned char buf[RTR_PDU_MAX_LEN];
	struct rtr_pdu q;
	size_t len, used;

	if ((len = encode(p, buf)) == 0)
		return; /* no encoder for what the cache never sends */
	if (pdu_decode(buf, len, &q, &used) != PDU_OK || used != len ||
	    !same(p, &q))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rtr_pdu p;
	size_t off = 0, used;
	volatile unsigned sum = 0;

	while (off < size &&
	       pdu_decode(data + off, size - off, &p, &used) == PDU_OK) {
		/* A PDU is at least its header and no longer than the input. */
		if (used < 8 || used > size - off || used != p.length)
			abort();
		sum += touch(&p);
		round_trip(&p);
		off += used;
	}
	(void)sum;
	return 0;
}
