/* Certificate revocation lists, RFC 6487 s.5 and RFC 5280. */
#ifndef VRPD_CRL_H
#define VRPD_CRL_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <openssl/sha.h>
#include <openssl/types.h>

struct crl {
	X509_CRL *x509_crl; /* owned */
	unsigned char aki[SHA_DIGEST_LENGTH];
	time_t this_update;
	time_t next_update;
};

/*
 * Parses a DER CRL and checks its profile: v2, sha256WithRSAEncryption, an
 * AKI and a CRL number and no other extension, nextUpdate present. NULL,
 * logged with uri, otherwise. The signature is checked by validate.c.
 */
struct crl *crl_parse(const char *uri, const unsigned char *der, size_t len);

/* True if the certificate's serial is on the list. */
bool crl_revoked(const struct crl *crl, const X509 *cert);

/* Frees crl; NULL is allowed. */
void crl_free(struct crl *crl);

#endif /* VRPD_CRL_H */
