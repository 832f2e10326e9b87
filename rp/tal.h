/*
 * Trust Anchor Locators (RFC 8630): where to fetch a trust anchor's
 * certificate and the public key that certificate must carry.
 */
#ifndef VRPD_TAL_H
#define VRPD_TAL_H

#include <stddef.h>

#include <openssl/types.h>

struct tal {
	char *name;	     /* the TA's name: TAL file name without ".tal" */
	char **uris;	     /* rsync:// and https:// URIs, in file order */
	size_t num_uris;     /* at least 1, at most MAX_TAL_URIS */
	unsigned char *spki; /* DER SubjectPublicKeyInfo as in the TAL */
	size_t spki_len;
	EVP_PKEY *pkey; /* spki decoded: RSA-2048, e = 65537 (RFC 7935) */
};

/* Parses TAL text (need not end in NUL); NULL, logged once, if bad. */
struct tal *tal_parse(const char *name, const char *buf, size_t len);

/* Reads a size-limited TAL file; the TA is named after it. NULL if bad. */
struct tal *tal_load(const char *path);

/* Frees a TAL and everything it owns; NULL is allowed. */
void tal_free(struct tal *tal);

#endif /* VRPD_TAL_H */
