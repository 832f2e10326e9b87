/*
 * Hand-built DER for the eContent tests (tests/derbuild.h): small
 * builders, so one malformed field can be written on purpose.
 */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "derbuild.h"

struct der
der_bytes(const void *bytes, size_t n)
{
	struct der r = {malloc(n > 0 ? n : 1), n, n};

	ck_assert_ptr_nonnull(r.d);
	if (n > 0)
		memcpy(r.d, bytes, n);
	return r;
}

struct der
der_empty(void)
{
	return der_bytes(NULL, 0);
}

/* a followed by b; frees b. Doubling keeps long lists linear. */
struct der
der_cat(struct der a, struct der b)
{
	if (a.n + b.n > a.cap) {
		a.cap = (a.n + b.n) * 2;
		a.d = realloc(a.d, a.cap);
		ck_assert_ptr_nonnull(a.d);
	}
	if (b.n > 0)
		memcpy(a.d + a.n, b.d, b.n);
	a.n += b.n;
	free(b.d);
	return a;
}

/* tag, the DER length of content (X.690 s.10.1), content. */
struct der
der_tlv(unsigned char tag, struct der content)
{
	unsigned char hdr[6];
	size_t h = 0, len = content.n, i, nbytes = 0;

	hdr[h++] = tag;
	if (len < 0x80)
		hdr[h++] = (unsigned char)len;
	else {
		for (i = len; i > 0; i >>= 8)
			nbytes++;
		hdr[h++] = (unsigned char)(0x80 | nbytes);
		for (i = nbytes; i > 0; i--)
			hdr[h++] = (unsigned char)(len >> (8 * (i - 1)));
	}
	return der_cat(der_bytes(hdr, h), content);
}

struct der
der_tlv_ber(unsigned char tag, struct der content)
{
	unsigned char hdr[12];
	size_t h = 0, len = content.n, i, nbytes = 0;

	for (i = len; i > 0; i >>= 8)
		nbytes++;
	hdr[h++] = tag;
	if (len < 0x80) { /* where the short form would do */
		hdr[h++] = 0x81;
		nbytes = 1;
	} else { /* with a leading zero octet */
		hdr[h++] = (unsigned char)(0x80 | (nbytes + 1));
		hdr[h++] = 0x00;
	}
	for (i = nbytes; i > 0; i--)
		hdr[h++] = (unsigned char)(len >> (8 * (i - 1)));
	return der_cat(der_bytes(hdr, h), content);
}

struct der
der_signed(struct der tbs, EVP_PKEY *key)
{
	/* AlgorithmIdentifier { 1.2.840.113549.1.1.11, NULL } */
	static const unsigned char alg[] = {0x30, 0x0d, 0x06, 0x09, 0x2a,
					    0x86, 0x48, 0x86, 0xf7, 0x0d,
					    0x01, 0x01, 0x0b, 0x05, 0x00};
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char sig[1024];
	size_t slen = sizeof(sig);
	struct der bits;

	ck_assert_ptr_nonnull(md);
	ck_assert_int_eq(EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, key),
			 1);
	ck_assert_int_eq(EVP_DigestSign(md, sig, &slen, tbs.d, tbs.n), 1);
	EVP_MD_CTX_free(md);
	bits = der_cat(der_bytes("", 1), der_bytes(sig, slen));
	return der_tlv(TAG_SEQUENCE,
		       der_cat(tbs,
			       der_cat(der_bytes(alg, sizeof(alg)),
				       der_tlv(TAG_BIT_STRING, bits))));
}

/* An INTEGER in the fewest octets of two's complement (X.690 s.8.3.2). */
struct der
der_int(int64_t v)
{
	unsigned char b[8];
	size_t n = 0, i;

	for (i = 0; i < 8; i++)
		b[i] = (unsigned char)((uint64_t)v >> (8 * (7 - i)));
	while (n < 7 &&
	       ((b[n] == 0x00 && !(b[n + 1] & 0x80)) ||
		(b[n] == 0xff && (b[n + 1] & 0x80))))
		n++;
	return der_tlv(TAG_INTEGER, der_bytes(b + n, 8 - n));
}

/* An INTEGER from its content octets, for values beyond int64_t. */
struct der
der_int_raw(const char *octets, size_t n)
{
	return der_tlv(TAG_INTEGER, der_bytes(octets, n));
}

void
der_free(struct der d)
{
	free(d.d);
}
