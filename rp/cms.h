/*
 * The RPKI signed-object envelope (RFC 6488, RFC 9589): a CMS SignedData
 * with one EE certificate and one signer, checked and verified here so that
 * the object parsers only see a trusted eContent.
 */
#ifndef VRPD_CMS_H
#define VRPD_CMS_H

#include <stddef.h>
#include <time.h>

#include <openssl/types.h>

struct signed_object {
	X509 *ee; /* owned: the one certificate, not yet checked */
	unsigned char *content; /* the eContent octets */
	size_t content_len;
	time_t signing_time;
};

/*
 * Parses der as an RPKI signed object whose eContentType is want_oid (dotted
 * text), checks every RFC 6488 s.3 rule that needs no issuer (versions, one
 * SHA-256 digest, exactly one certificate, no CRLs, one SignerInfo naming
 * the EE by SKI, exactly the content-type, message-digest and signing-time
 * signed attributes, DER-encoded), and verifies the signature with the EE's
 * key. NULL, logged once with uri and the rule, if any of that fails.
 */
struct signed_object *cms_parse(const char *uri, const unsigned char *der,
				size_t len, const char *want_oid);

/* Frees so; NULL is allowed. */
void signed_object_free(struct signed_object *so);

#endif /* VRPD_CMS_H */
