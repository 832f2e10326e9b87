/*
 * RTR PDU codec: RFC 6810 s.5 (version 0), RFC 8210 s.5 (version 1) and
 * draft-ietf-sidrops-8210bis s.5 (version 2). All fields are in network
 * byte order. Every length read from the wire is checked against the
 * type's layout before any field behind it is read.
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "pdu.h"

/* Fixed lengths, RFC 8210 s.5.2-5.11 and 8210bis s.5.12. */
#define LEN_SERIAL	     12
#define LEN_RESET_QUERY	     8
#define LEN_CACHE_RESET	     8
#define LEN_ERROR_REPORT_MIN (RTR_HEADER_LEN + 4 + 4)

#define IPV4_ADDR_LEN 4
#define IPV6_ADDR_LEN 16
#define ASN_LEN	      4

static void
put16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

static void
put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static uint16_t
get16(const unsigned char *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

static uint32_t
get32(const unsigned char *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	    ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

/*
 * Writes the header of a len-byte PDU, or says no if it cannot be sent:
 * too big for buf, for RTR_PDU_MAX_LEN, or an unknown version.
 */
static bool
header(unsigned char *buf, size_t size, uint8_t version, uint8_t type,
       uint16_t field, size_t len)
{
	if (version > RTR_VERSION_MAX || len > size || len > RTR_PDU_MAX_LEN)
		return false;
	buf[0] = version;
	buf[1] = type;
	put16(buf + 2, field);
	put32(buf + 4, (uint32_t)len);
	return true;
}

static size_t
encode_serial(unsigned char *buf, size_t size, uint8_t version, uint8_t type,
	      uint16_t session_id, uint32_t serial)
{
	if (!header(buf, size, version, type, session_id, LEN_SERIAL))
		return 0;
	put32(buf + 8, serial);
	return LEN_SERIAL;
}

size_t
pdu_encode_serial_notify(unsigned char *buf, size_t size, uint8_t version,
			 uint16_t session_id, uint32_t serial)
{
	return encode_serial(buf, size, version, RTR_PDU_SERIAL_NOTIFY,
			     session_id, serial);
}

size_t
pdu_encode_serial_query(unsigned char *buf, size_t size, uint8_t version,
			uint16_t session_id, uint32_t serial)
{
	return encode_serial(buf, size, version, RTR_PDU_SERIAL_QUERY,
			     session_id, serial);
}

size_t
pdu_encode_reset_query(unsigned char *buf, size_t size, uint8_t version)
{
	if (!header(buf, size, version, RTR_PDU_RESET_QUERY, 0,
		    LEN_RESET_QUERY))
		return 0;
	return LEN_RESET_QUERY;
}

size_t
pdu_encode_cache_response(unsigned char *buf, size_t size, uint8_t version,
			  uint16_t session_id)
{
	if (!header(buf, size, version, RTR_PDU_CACHE_RESPONSE, session_id,
		    RTR_LEN_CACHE_RESPONSE))
		return 0;
	return RTR_LEN_CACHE_RESPONSE;
}

static size_t
encode_prefix(unsigned char *buf, size_t size, uint8_t version, uint8_t type,
	      uint8_t flags, uint8_t prefix_len, uint8_t max_len,
	      const unsigned char *addr, size_t addr_len, uint32_t asn)
{
	size_t len = RTR_HEADER_LEN + 4 + addr_len + ASN_LEN;

	if (!header(buf, size, version, type, 0, len))
		return 0;
	buf[8] = flags;
	buf[9] = prefix_len;
	buf[10] = max_len;
	buf[11] = 0;
	memcpy(buf + 12, addr, addr_len);
	put32(buf + 12 + addr_len, asn);
	return len;
}

size_t
pdu_encode_ipv4_prefix(unsigned char *buf, size_t size, uint8_t version,
		       uint8_t flags, uint8_t prefix_len, uint8_t max_len,
		       const unsigned char addr[4], uint32_t asn)
{
	return encode_prefix(buf, size, version, RTR_PDU_IPV4_PREFIX, flags,
			     prefix_len, max_len, addr, IPV4_ADDR_LEN, asn);
}

size_t
pdu_encode_ipv6_prefix(unsigned char *buf, size_t size, uint8_t version,
		       uint8_t flags, uint8_t prefix_len, uint8_t max_len,
		       const unsigned char addr[16], uint32_t asn)
{
	return encode_prefix(buf, size, version, RTR_PDU_IPV6_PREFIX, flags,
			     prefix_len, max_len, addr, IPV6_ADDR_LEN, asn);
}

size_t
pdu_encode_end_of_data(unsigned char *buf, size_t size, uint8_t version,
		       uint16_t session_id, uint32_t serial, uint32_t refresh,
		       uint32_t retry, uint32_t expire)
{
	size_t len =
	    version == 0 ? RTR_LEN_END_OF_DATA_V0 : RTR_LEN_END_OF_DATA_V1;

	if (!header(buf, size, version, RTR_PDU_END_OF_DATA, session_id, len))
		return 0;
	put32(buf + 8, serial);
	if (version == 0)
		return len;
	put32(buf + 12, refresh);
	put32(buf + 16, retry);
	put32(buf + 20, expire);
	return len;
}

size_t
pdu_encode_cache_reset(unsigned char *buf, size_t size, uint8_t version)
{
	if (!header(buf, size, version, RTR_PDU_CACHE_RESET, 0,
		    LEN_CACHE_RESET))
		return 0;
	return LEN_CACHE_RESET;
}

size_t
pdu_encode_router_key(unsigned char *buf, size_t size, uint8_t version,
		      uint8_t flags, const unsigned char ski[RTR_SKI_LEN],
		      uint32_t asn, const unsigned char *spki, size_t spki_len)
{
	size_t len;

	if (version < RTR_ROUTER_KEY_MIN_VERSION || spki_len > RTR_PDU_MAX_LEN)
		return 0;
	len = RTR_LEN_ROUTER_KEY_MIN + spki_len;
	/* RFC 8210 s.5.10: Flags sit where other PDUs have a session. */
	if (!header(buf, size, version, RTR_PDU_ROUTER_KEY,
		    (uint16_t)(flags << 8), len))
		return 0;
	memcpy(buf + 8, ski, RTR_SKI_LEN);
	put32(buf + 8 + RTR_SKI_LEN, asn);
	if (spki_len > 0)
		memcpy(buf + RTR_LEN_ROUTER_KEY_MIN, spki, spki_len);
	return len;
}

size_t
pdu_encode_error_report(unsigned char *buf, size_t size, uint8_t version,
			uint16_t code, const unsigned char *pdu, size_t pdu_len,
			const char *text, size_t text_len)
{
	size_t len;

	if (pdu_len > RTR_PDU_MAX_LEN || text_len > RTR_PDU_MAX_LEN)
		return 0;
	len = LEN_ERROR_REPORT_MIN + pdu_len + text_len;
	if (!header(buf, size, version, RTR_PDU_ERROR_REPORT, code, len))
		return 0;
	put32(buf + 8, (uint32_t)pdu_len);
	if (pdu_len > 0)
		memcpy(buf + 12, pdu, pdu_len);
	put32(buf + 12 + pdu_len, (uint32_t)text_len);
	if (text_len > 0)
		memcpy(buf + 16 + pdu_len, text, text_len);
	return len;
}

/*
 * 8210bis s.5.12: version, type, Flags, zero, length, Customer ASN, then
 * the Provider ASNs up to the end of the PDU; a withdrawal has none.
 */
size_t
pdu_encode_aspa(unsigned char *buf, size_t size, uint8_t version, uint8_t flags,
		uint32_t customer, const uint32_t *providers, size_t count)
{
	size_t len, i;

	if (version < RTR_ASPA_MIN_VERSION ||
	    count > (RTR_PDU_MAX_LEN - RTR_LEN_ASPA_MIN) / ASN_LEN)
		return 0;
	len = RTR_LEN_ASPA_MIN + count * ASN_LEN;
	if (!header(buf, size, version, RTR_PDU_ASPA, (uint16_t)(flags << 8),
		    len))
		return 0;
	put32(buf + 8, customer);
	for (i = 0; i < count; i++)
		put32(buf + RTR_LEN_ASPA_MIN + i * ASN_LEN, providers[i]);
	return len;
}

uint32_t
pdu_aspa_provider(const struct rtr_pdu *pdu, size_t i)
{
	return get32(pdu->u.aspa.providers + i * ASN_LEN);
}

/*
 * 8210bis s.5.12: a withdrawal has no providers; an announcement has at
 * least one, ascending and unique, and AS 0 only as the sole one.
 */
static bool
aspa_providers_ok(const struct rtr_pdu *pdu)
{
	size_t i, n = pdu->u.aspa.count;

	if (pdu->u.aspa.flags != RTR_FLAG_ANNOUNCE)
		return n == 0;
	if (n == 0)
		return false;
	for (i = 0; i < n; i++) {
		if (n > 1 && pdu_aspa_provider(pdu, i) == 0)
			return false;
		if (i > 0 &&
		    pdu_aspa_provider(pdu, i - 1) >= pdu_aspa_provider(pdu, i))
			return false;
	}
	return true;
}

/*
 * The least length a PDU of this type and version may have, and whether
 * that is also its only length; 0 for a type the version does not have.
 */
static size_t
min_length(uint8_t version, uint8_t type, bool *fixed)
{
	*fixed = true;
	switch (type) {
	case RTR_PDU_SERIAL_NOTIFY:
	case RTR_PDU_SERIAL_QUERY:
		return LEN_SERIAL;
	case RTR_PDU_RESET_QUERY:
		return LEN_RESET_QUERY;
	case RTR_PDU_CACHE_RESPONSE:
		return RTR_LEN_CACHE_RESPONSE;
	case RTR_PDU_IPV4_PREFIX:
		return RTR_LEN_IPV4_PREFIX;
	case RTR_PDU_IPV6_PREFIX:
		return RTR_LEN_IPV6_PREFIX;
	case RTR_PDU_END_OF_DATA:
		return version == 0 ? RTR_LEN_END_OF_DATA_V0
				    : RTR_LEN_END_OF_DATA_V1;
	case RTR_PDU_CACHE_RESET:
		return LEN_CACHE_RESET;
	case RTR_PDU_ROUTER_KEY:
		*fixed = false;
		return version < RTR_ROUTER_KEY_MIN_VERSION
		    ? 0
		    : RTR_LEN_ROUTER_KEY_MIN;
	case RTR_PDU_ERROR_REPORT:
		*fixed = false;
		return LEN_ERROR_REPORT_MIN;
	case RTR_PDU_ASPA:
		*fixed = false;
		return version < RTR_ASPA_MIN_VERSION ? 0 : RTR_LEN_ASPA_MIN;
	default:
		return 0;
	}
}

static enum pdu_status
bad(struct rtr_pdu *out, uint16_t error)
{
	out->error = error;
	return PDU_BAD;
}

static enum pdu_status
decode_error_report(const unsigned char *buf, size_t len, struct rtr_pdu *out)
{
	size_t pdu_len, text_len;

	out->u.error_report.code = get16(buf + 2);
	pdu_len = get32(buf + 8);
	/* RFC 8210 s.5.11: both inner lengths must add up to the outer. */
	if (pdu_len > len - LEN_ERROR_REPORT_MIN)
		return bad(out, RTR_ERR_CORRUPT_DATA);
	text_len = get32(buf + 12 + pdu_len);
	if (text_len != len - LEN_ERROR_REPORT_MIN - pdu_len)
		return bad(out, RTR_ERR_CORRUPT_DATA);
	out->u.error_report.pdu = pdu_len > 0 ? buf + 12 : NULL;
	out->u.error_report.pdu_len = pdu_len;
	out->u.error_report.text = text_len > 0 ? buf + 16 + pdu_len : NULL;
	out->u.error_report.text_len = text_len;
	return PDU_OK;
}

static enum pdu_status
decode_body(const unsigned char *buf, size_t len, struct rtr_pdu *out)
{
	switch (out->type) {
	case RTR_PDU_SERIAL_NOTIFY:
	case RTR_PDU_SERIAL_QUERY:
		out->u.serial.session_id = get16(buf + 2);
		out->u.serial.serial = get32(buf + 8);
		return PDU_OK;
	case RTR_PDU_CACHE_RESPONSE:
		out->u.cache_response.session_id = get16(buf + 2);
		return PDU_OK;
	case RTR_PDU_IPV4_PREFIX:
	case RTR_PDU_IPV6_PREFIX:
		out->u.prefix.flags = buf[8];
		out->u.prefix.prefix_len = buf[9];
		out->u.prefix.max_len = buf[10];
		memcpy(out->u.prefix.addr, buf + 12, len - 16);
		out->u.prefix.asn = get32(buf + len - ASN_LEN);
		return PDU_OK;
	case RTR_PDU_END_OF_DATA:
		out->u.end_of_data.session_id = get16(buf + 2);
		out->u.end_of_data.serial = get32(buf + 8);
		if (out->version == 0)
			return PDU_OK;
		out->u.end_of_data.refresh = get32(buf + 12);
		out->u.end_of_data.retry = get32(buf + 16);
		out->u.end_of_data.expire = get32(buf + 20);
		return PDU_OK;
	case RTR_PDU_ROUTER_KEY:
		out->u.router_key.flags = buf[2];
		memcpy(out->u.router_key.ski, buf + 8, RTR_SKI_LEN);
		out->u.router_key.asn = get32(buf + 8 + RTR_SKI_LEN);
		out->u.router_key.spki = buf + RTR_LEN_ROUTER_KEY_MIN;
		out->u.router_key.spki_len = len - RTR_LEN_ROUTER_KEY_MIN;
		return PDU_OK;
	case RTR_PDU_ERROR_REPORT:
		return decode_error_report(buf, len, out);
	case RTR_PDU_ASPA:
		/* 8210bis s.5.12: the providers fill whole 32-bit words. */
		if ((len - RTR_LEN_ASPA_MIN) % ASN_LEN != 0)
			return bad(out, RTR_ERR_CORRUPT_DATA);
		out->u.aspa.flags = buf[2] & RTR_FLAG_ANNOUNCE;
		out->u.aspa.customer = get32(buf + 8);
		out->u.aspa.providers = buf + RTR_LEN_ASPA_MIN;
		out->u.aspa.count = (len - RTR_LEN_ASPA_MIN) / ASN_LEN;
		if (!aspa_providers_ok(out))
			return bad(out, RTR_ERR_ASPA_PROVIDER_LIST);
		return PDU_OK;
	default: /* Reset Query, Cache Reset: the header is all */
		return PDU_OK;
	}
}

enum pdu_status
pdu_decode(const unsigned char *buf, size_t len, struct rtr_pdu *out,
	   size_t *consumed)
{
	size_t min, length;
	bool fixed;
	enum pdu_status st;

	memset(out, 0, sizeof(*out));
	if (len < RTR_HEADER_LEN)
		return PDU_NEED_MORE;
	out->version = buf[0];
	out->type = buf[1];
	out->length = get32(buf + 4);
	length = out->length;
	/* RFC 8210 s.7: a version we do not speak is refused as such. */
	if (out->version > RTR_VERSION_MAX)
		return bad(out, RTR_ERR_UNSUPPORTED_VERSION);
	min = min_length(out->version, out->type, &fixed);
	if (min == 0)
		return bad(out, RTR_ERR_UNSUPPORTED_PDU);
	/* Judge the length before waiting for it: it may never come. */
	if (length < min || (fixed && length != min) ||
	    length > RTR_PDU_MAX_LEN)
		return bad(out, RTR_ERR_CORRUPT_DATA);
	if (len < length)
		return PDU_NEED_MORE;
	st = decode_body(buf, length, out);
	if (st == PDU_OK)
		*consumed = length;
	return st;
}
