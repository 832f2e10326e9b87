/*
 * RTR PDU codec: RFC 6810 (version 0), RFC 8210 (version 1) and
 * draft-ietf-sidrops-8210bis (version 2). Pure functions on byte buffers;
 * sockets and session state live elsewhere.
 */
#ifndef RTR_PDU_H
#define RTR_PDU_H

#include <stddef.h>
#include <stdint.h>

/* Protocol versions: RFC 6810, RFC 8210, draft-ietf-sidrops-8210bis. */
#define RTR_VERSION_0	0
#define RTR_VERSION_MAX 2

/* RFC 8210 s.5 and 8210bis s.5: PDU types. */
#define RTR_PDU_SERIAL_NOTIFY  0
#define RTR_PDU_SERIAL_QUERY   1
#define RTR_PDU_RESET_QUERY    2
#define RTR_PDU_CACHE_RESPONSE 3
#define RTR_PDU_IPV4_PREFIX    4
#define RTR_PDU_IPV6_PREFIX    6
#define RTR_PDU_END_OF_DATA    7
#define RTR_PDU_CACHE_RESET    8
#define RTR_PDU_ROUTER_KEY     9
#define RTR_PDU_ERROR_REPORT   10
#define RTR_PDU_ASPA	       11

/* RFC 8210 s.12 and 8210bis s.12: Error Report codes. */
#define RTR_ERR_CORRUPT_DATA	    0
#define RTR_ERR_INTERNAL_ERROR	    1
#define RTR_ERR_NO_DATA_AVAILABLE   2
#define RTR_ERR_INVALID_REQUEST	    3
#define RTR_ERR_UNSUPPORTED_VERSION 4
#define RTR_ERR_UNSUPPORTED_PDU	    5
#define RTR_ERR_UNKNOWN_WITHDRAWAL  6
#define RTR_ERR_DUPLICATE_ANNOUNCE  7
#define RTR_ERR_UNEXPECTED_VERSION  8
#define RTR_ERR_ASPA_PROVIDER_LIST  9
#define RTR_ERR_TRANSPORT_FAILURE   10
#define RTR_ERR_ORDERING_ERROR	    11
#define RTR_ERR_CACHE_RESTART	    12
#define RTR_ERR_CACHE_SHUTDOWN	    13

/* RFC 8210 s.5.6: the lowest bit of Flags, 1 announces, 0 withdraws. */
#define RTR_FLAG_WITHDRAW 0
#define RTR_FLAG_ANNOUNCE 1

/* RFC 8210 s.5.1: version, type, a 16-bit field, a 32-bit length. */
#define RTR_HEADER_LEN 8

/* RFC 8210 s.5.10: Subject Key Identifier, a SHA-1 hash. */
#define RTR_SKI_LEN 20

/* RFC 8210 s.5.10: Router Key PDUs first appear in version 1. */
#define RTR_ROUTER_KEY_MIN_VERSION 1
/* 8210bis s.5.12: ASPA PDUs first appear in version 2. */
#define RTR_ASPA_MIN_VERSION 2

/* Lengths of the PDUs a cache sends, RFC 8210 s.5 and 8210bis s.5.12. */
#define RTR_LEN_CACHE_RESPONSE 8
#define RTR_LEN_IPV4_PREFIX    20
#define RTR_LEN_IPV6_PREFIX    32
#define RTR_LEN_END_OF_DATA_V0 12 /* RFC 6810 s.5.8: serial only */
#define RTR_LEN_END_OF_DATA_V1 24 /* RFC 8210 s.5.8: plus the timers */
/* Router Key: plus the SPKI; ASPA: plus 4 bytes per provider. */
#define RTR_LEN_ROUTER_KEY_MIN (RTR_HEADER_LEN + RTR_SKI_LEN + 4)
#define RTR_LEN_ASPA_MIN       (RTR_HEADER_LEN + 4)

/*
 * The largest PDU we accept or build. Nothing in RFC 8210 needs more than
 * a few hundred bytes; the largest is an ASPA PDU, which the ASPA profile
 * caps at 16380 providers: 12 + 4 * 16380 = 65532 bytes. A longer length
 * field is corruption, not a PDU to wait for.
 */
#define RTR_PDU_MAX_LEN 65535 /* 8210bis s.5.1: MUST NOT exceed 65,535 */

enum pdu_status {
	PDU_OK,
	PDU_NEED_MORE, /* the buffer holds less than the whole PDU */
	PDU_BAD,       /* send an Error Report with rtr_pdu.error */
};

/*
 * A decoded PDU. Pointers (spki, pdu, text, providers) point into the
 * buffer given to pdu_decode(), which keeps owning them.
 */
struct rtr_pdu {
	uint8_t version;
	uint8_t type;
	uint16_t error; /* RTR_ERR_* when pdu_decode() says PDU_BAD */
	uint32_t length;
	union {
		struct {
			uint16_t session_id;
			uint32_t serial;
		} serial; /* Serial Notify, Serial Query */
		struct {
			uint16_t session_id;
		} cache_response;
		struct {
			uint8_t flags;
			uint8_t prefix_len;
			uint8_t max_len;
			unsigned char addr[16]; /* 4 bytes used for IPv4 */
			uint32_t asn;
		} prefix; /* IPv4 Prefix, IPv6 Prefix */
		struct {
			uint16_t session_id;
			uint32_t serial;
			uint32_t refresh, retry, expire; /* 0 in version 0 */
		} end_of_data;
		struct {
			uint8_t flags;
			unsigned char ski[RTR_SKI_LEN];
			uint32_t asn;
			const unsigned char *spki;
			size_t spki_len;
		} router_key;
		struct {
			uint16_t code;
			const unsigned char *pdu;
			size_t pdu_len;
			const unsigned char *text;
			size_t text_len;
		} error_report;
		struct {
			uint8_t flags;
			uint32_t customer;
			const unsigned char
			    *providers; /* use pdu_aspa_provider() */
			size_t count;
		} aspa;
	} u;
};

/*
 * Encoders: each writes one PDU of the given version into buf and returns
 * its length, or 0 if it does not fit in size bytes or does not exist in
 * that version. Addresses, SKIs and SPKIs are raw bytes as on the wire.
 */
size_t pdu_encode_serial_notify(unsigned char *buf, size_t size,
				uint8_t version, uint16_t session_id,
				uint32_t serial);
size_t pdu_encode_serial_query(unsigned char *buf, size_t size, uint8_t version,
			       uint16_t session_id, uint32_t serial);
size_t pdu_encode_reset_query(unsigned char *buf, size_t size, uint8_t version);
size_t pdu_encode_cache_response(unsigned char *buf, size_t size,
				 uint8_t version, uint16_t session_id);
size_t pdu_encode_ipv4_prefix(unsigned char *buf, size_t size, uint8_t version,
			      uint8_t flags, uint8_t prefix_len,
			      uint8_t max_len, const unsigned char addr[4],
			      uint32_t asn);
size_t pdu_encode_ipv6_prefix(unsigned char *buf, size_t size, uint8_t version,
			      uint8_t flags, uint8_t prefix_len,
			      uint8_t max_len, const unsigned char addr[16],
			      uint32_t asn);
size_t pdu_encode_end_of_data(unsigned char *buf, size_t size, uint8_t version,
			      uint16_t session_id, uint32_t serial,
			      uint32_t refresh, uint32_t retry,
			      uint32_t expire);
size_t pdu_encode_cache_reset(unsigned char *buf, size_t size, uint8_t version);
size_t pdu_encode_router_key(unsigned char *buf, size_t size, uint8_t version,
			     uint8_t flags,
			     const unsigned char ski[RTR_SKI_LEN], uint32_t asn,
			     const unsigned char *spki, size_t spki_len);
size_t pdu_encode_error_report(unsigned char *buf, size_t size, uint8_t version,
			       uint16_t code, const unsigned char *pdu,
			       size_t pdu_len, const char *text,
			       size_t text_len);
size_t pdu_encode_aspa(unsigned char *buf, size_t size, uint8_t version,
		       uint8_t flags, uint32_t customer,
		       const uint32_t *providers, size_t count);

/*
 * Decodes the PDU at the start of buf. On PDU_OK fills out and sets
 * *consumed to its length; on PDU_BAD sets out->error (and out->version,
 * out->type as far as they were read); on PDU_NEED_MORE the caller reads
 * more and calls again.
 */
enum pdu_status pdu_decode(const unsigned char *buf, size_t len,
			   struct rtr_pdu *out, size_t *consumed);

/* The i-th provider ASN of a decoded ASPA PDU; i < u.aspa.count. */
uint32_t pdu_aspa_provider(const struct rtr_pdu *pdu, size_t i);

#endif
