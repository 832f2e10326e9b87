/*
 * Building DER by hand in tests, one TLV at a time, so that a test can get
 * exactly one field wrong. Every builder takes ownership of its inputs.
 */
#ifndef VRPD_DERBUILD_H
#define VRPD_DERBUILD_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#define TAG_INTEGER	 0x02
#define TAG_BIT_STRING	 0x03
#define TAG_OCTET_STRING 0x04
#define TAG_SEQUENCE	 0x30
#define TAG_EXPLICIT_0	 0xa0

/* DER under construction. */
struct der {
	unsigned char *d;
	size_t n, cap;
};

/* A copy of n bytes. */
struct der der_bytes(const void *bytes, size_t n);

/* Nothing yet. */
struct der der_empty(void);

/* a followed by b; frees b. */
struct der der_cat(struct der a, struct der b);

/* tag, the DER length of content, content. */
struct der der_tlv(unsigned char tag, struct der content);

/* An INTEGER in the fewest octets of two's complement. */
struct der der_int(int64_t v);

/* An INTEGER from its content octets, for values beyond int64_t. */
struct der der_int_raw(const char *octets, size_t n);

/*
 * tag, a length in one octet more than DER allows (BER: "0x81 n" where one
 * octet would do, or a leading zero octet), content.
 */
struct der der_tlv_ber(unsigned char tag, struct der content);

/*
 * SEQUENCE { tbs, sha256WithRSAEncryption, BIT STRING signature }: tbs
 * signed by key as it is, DER or not. key is not taken.
 */
struct der der_signed(struct der tbs, EVP_PKEY *key);

/* Frees d's bytes. */
void der_free(struct der d);

#endif /* VRPD_DERBUILD_H */
