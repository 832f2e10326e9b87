/*
 * Resource certificates (RFC 6487, RFC 7935) and BGPsec router certificates
 * (RFC 8209): parsing and every profile check that needs no issuer.
 * Checks against the issuer (signature, resources, CRL, validity at the
 * evaluation time) are made in validate.c.
 */
#ifndef VRPD_CERT_H
#define VRPD_CERT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <openssl/sha.h>
#include <openssl/types.h>

#include "resources.h"

enum cert_kind {
	CERT_CA,     /* basicConstraints cA, keyCertSign|cRLSign */
	CERT_EE,     /* the EE of a signed object: digitalSignature */
	CERT_ROUTER, /* BGPsec router EE: id-kp-bgpsec-router, P-256 key */
};

struct cert {
	X509 *x509; /* owned: one reference */
	enum cert_kind kind;
	bool self_signed; /* subject == issuer and no AKI, or AKI == SKI */
	unsigned char ski[SHA_DIGEST_LENGTH];
	unsigned char aki[SHA_DIGEST_LENGTH];
	bool has_aki;
	char *aia;	     /* caIssuers rsync URI; NULL on a TA */
	char *crldp;	     /* CRL rsync URI; NULL on a TA */
	char *repo;	     /* CA: SIA caRepository, ends in '/' */
	char *mft;	     /* CA: SIA rpkiManifest */
	char *notify;	     /* CA: SIA rpkiNotify https URI, or NULL */
	char *signed_object; /* EE: SIA signedObject, or NULL (router) */
	time_t not_before;
	time_t not_after;
	struct resources res; /* as written; inherit not yet resolved */
	unsigned char *spki;  /* DER SubjectPublicKeyInfo (router keys) */
	size_t spki_len;
};

/* Parses a DER certificate file and checks its profile; NULL, logged. */
struct cert *cert_parse(const char *uri, const unsigned char *der, size_t len);

/*
 * Checks the profile of x, the EE certificate found inside a signed object
 * (takes its own reference to x); NULL, logged with uri, if it is not a
 * valid EE certificate.
 */
struct cert *cert_from_ee(const char *uri, X509 *x);

/*
 * The TA checks of RFC 6487 s.7 and RFC 8630 s.3: a self-signed CA whose
 * signature verifies, whose key is tal_key, and which inherits nothing.
 */
bool cert_check_ta(const struct cert *c, const char *uri,
		   const EVP_PKEY *tal_key);

/* Frees c and all it owns; NULL is allowed. */
void cert_free(struct cert *c);

#endif /* VRPD_CERT_H */
