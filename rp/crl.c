/*
 * Certificate revocation lists: RFC 5280 s.5 as narrowed by RFC 6487 s.5.
 * A CRL in the RPKI is a v2 list signed with sha256WithRSAEncryption,
 * carrying exactly the AKI and CRL number extensions, whose entries are a
 * serial number and a date and nothing more.
 */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "crl.h"
#include "limits.h"
#include "log.h"

/* RFC 5280 s.5.2.3: a CRL number of at most 20 octets, non-negative. */
#define CRL_NUMBER_MAX_BITS (20 * 8 - 1)

/* RFC 5280 s.5.1.2.4: YYMMDDHHMMSSZ, YYYYMMDDHHMMSSZ. */
#define UTCTIME_LEN		 13
#define GENERALIZEDTIME_LEN	 15
#define GENERALIZEDTIME_MIN_YEAR 2050

/*
 * RFC 5280 s.5.1.1.2: the signatureAlgorithm outside the TBSCertList must
 * equal the signature field inside it. OpenSSL keeps the inner one to
 * itself, so the two are read from the DER with its generic decoders:
 * CertificateList ::= SEQUENCE { tbsCertList, signatureAlgorithm, ... }
 * and TBSCertList ::= SEQUENCE { version, signature, ... }.
 */
static bool
crl_sigalgs_agree(const unsigned char *der, size_t len, const X509_CRL *x)
{
	ASN1_SEQUENCE_ANY *outer = NULL, *tbs = NULL;
	const X509_ALGOR *outer_alg;
	X509_ALGOR *inner_alg = NULL;
	const ASN1_TYPE *t;
	const unsigned char *p = der;
	bool ok = false;

	X509_CRL_get0_signature(x, NULL, &outer_alg);
	if ((outer = d2i_ASN1_SEQUENCE_ANY(NULL, &p, (long)len)) == NULL ||
	    sk_ASN1_TYPE_num(outer) < 1)
		goto out;
	t = sk_ASN1_TYPE_value(outer, 0);
	if (t->type != V_ASN1_SEQUENCE)
		goto out;
	p = t->value.sequence->data;
	if ((tbs = d2i_ASN1_SEQUENCE_ANY(NULL, &p,
					 t->value.sequence->length)) == NULL ||
	    sk_ASN1_TYPE_num(tbs) < 2)
		goto out;
	/* version is OPTIONAL: then the signature comes first. */
	t = sk_ASN1_TYPE_value(tbs, 0);
	if (t->type == V_ASN1_INTEGER)
		t = sk_ASN1_TYPE_value(tbs, 1);
	if (t->type != V_ASN1_SEQUENCE)
		goto out;
	p = t->value.sequence->data;
	inner_alg = d2i_X509_ALGOR(NULL, &p, t->value.sequence->length);
	ok = inner_alg != NULL && X509_ALGOR_cmp(inner_alg, outer_alg) == 0;
out:
	X509_ALGOR_free(inner_alg);
	sk_ASN1_TYPE_pop_free(tbs, ASN1_TYPE_free);
	sk_ASN1_TYPE_pop_free(outer, ASN1_TYPE_free);
	return ok;
}

/* RFC 7935 s.2, RFC 4055 s.5: parameters NULL or absent. */
static bool
crl_sigalg_valid(const char *uri, const unsigned char *der, size_t len,
		 const X509_CRL *x)
{
	const X509_ALGOR *alg;
	const ASN1_OBJECT *obj;
	int ptype;

	X509_CRL_get0_signature(x, NULL, &alg);
	X509_ALGOR_get0(&obj, &ptype, NULL, alg);
	if (OBJ_obj2nid(obj) != NID_sha256WithRSAEncryption ||
	    (ptype != V_ASN1_NULL && ptype != V_ASN1_UNDEF)) {
		log_warnx("%s: CRL signature algorithm is not "
			  "sha256WithRSAEncryption (RFC 7935 s.2, "
			  "RFC 6487 s.5)",
			  uri);
		return false;
	}
	if (!crl_sigalgs_agree(der, len, x)) {
		log_warnx("%s: TBSCertList and CRL name different signature "
			  "algorithms (RFC 5280 s.5.1.1.2)",
			  uri);
		return false;
	}
	return true;
}

/* RFC 5280 s.5.1.2.4: the same time rules as for certificates. */
static bool
crl_time(const char *uri, const ASN1_TIME *t, const char *which, time_t *out)
{
	struct tm tm;
	int len, type;
	bool ok;

	if (t == NULL) {
		log_warnx("%s: CRL has no %s (RFC 6487 s.5, RFC 5280 "
			  "s.5.1.2.5)",
			  uri, which);
		return false;
	}
	len = ASN1_STRING_length(t);
	type = ASN1_STRING_type(t);
	ok = ((type == V_ASN1_UTCTIME && len == UTCTIME_LEN) ||
	      (type == V_ASN1_GENERALIZEDTIME && len == GENERALIZEDTIME_LEN)) &&
	    ASN1_STRING_get0_data(t)[len - 1] == 'Z' &&
	    ASN1_TIME_to_tm(t, &tm) == 1;
	if (ok && type == V_ASN1_GENERALIZEDTIME &&
	    tm.tm_year + 1900 < GENERALIZEDTIME_MIN_YEAR)
		ok = false;
	if (!ok) {
		log_warnx("%s: CRL %s is not a valid UTCTime or "
			  "GeneralizedTime (RFC 5280 s.5.1.2.4)",
			  uri, which);
		return false;
	}
	*out = timegm(&tm);
	return true;
}

/* RFC 6487 s.5: the AKI (keyIdentifier only) and the CRL number, once. */
static bool
crl_extensions_valid(const char *uri, struct crl *crl)
{
	X509_CRL *x = crl->x509_crl;
	int i, n = X509_CRL_get_ext_count(x), aki_seen = 0, num_seen = 0;
	AUTHORITY_KEYID *akid;
	ASN1_INTEGER *number;
	BIGNUM *bn;
	bool ok;

	for (i = 0; i < n; i++) {
		X509_EXTENSION *ext = X509_CRL_get_ext(x, i);
		int nid = OBJ_obj2nid(X509_EXTENSION_get_object(ext));

		if (nid == NID_authority_key_identifier)
			aki_seen++;
		else if (nid == NID_crl_number)
			num_seen++;
		else {
			log_warnx("%s: CRL has an extension other than "
				  "authorityKeyIdentifier and cRLNumber "
				  "(RFC 6487 s.5)",
				  uri);
			return false;
		}
		/* RFC 5280 s.5.2.1, s.5.2.3: both non-critical. */
		if (X509_EXTENSION_get_critical(ext)) {
			log_warnx("%s: CRL extension is critical "
				  "(RFC 5280 s.5.2.1, s.5.2.3)",
				  uri);
			return false;
		}
	}
	if (aki_seen != 1 || num_seen != 1) {
		log_warnx("%s: CRL must carry one authorityKeyIdentifier and "
			  "one cRLNumber (RFC 6487 s.5)",
			  uri);
		return false;
	}

	akid =
	    X509_CRL_get_ext_d2i(x, NID_authority_key_identifier, NULL, NULL);
	ok = akid != NULL && akid->keyid != NULL && akid->issuer == NULL &&
	    akid->serial == NULL &&
	    ASN1_STRING_length(akid->keyid) == SHA_DIGEST_LENGTH;
	if (ok)
		memcpy(crl->aki, ASN1_STRING_get0_data(akid->keyid),
		       SHA_DIGEST_LENGTH);
	AUTHORITY_KEYID_free(akid);
	if (!ok) {
		log_warnx("%s: CRL authorityKeyIdentifier must be a %d-octet "
			  "keyIdentifier and nothing else (RFC 6487 s.4.8.3)",
			  uri, SHA_DIGEST_LENGTH);
		return false;
	}

	number = X509_CRL_get_ext_d2i(x, NID_crl_number, NULL, NULL);
	bn = number != NULL ? ASN1_INTEGER_to_BN(number, NULL) : NULL;
	ok = bn != NULL && !BN_is_negative(bn) &&
	    BN_num_bits(bn) <= CRL_NUMBER_MAX_BITS;
	BN_free(bn);
	ASN1_INTEGER_free(number);
	if (!ok) {
		log_warnx("%s: cRLNumber is not a non-negative integer of at "
			  "most 20 octets (RFC 5280 s.5.2.3)",
			  uri);
		return false;
	}
	return true;
}

/*
 * RFC 6487 s.5: an entry is a serial number and a revocation date. Entry
 * extensions (reasonCode, invalidityDate, certificateIssuer) have no use
 * in the RPKI, and removeFromCRL would un-revoke a certificate.
 */
static bool
crl_entries_valid(const char *uri, X509_CRL *x)
{
	STACK_OF(X509_REVOKED) *revoked = X509_CRL_get_REVOKED(x);
	int i;

	for (i = 0; i < sk_X509_REVOKED_num(revoked); i++) {
		const X509_REVOKED *r = sk_X509_REVOKED_value(revoked, i);

		if (sk_X509_EXTENSION_num(X509_REVOKED_get0_extensions(r)) >
		    0) {
			log_warnx("%s: CRL entry has extensions (RFC 6487 "
				  "s.5)",
				  uri);
			return false;
		}
	}
	return true;
}

/*
 * OpenSSL also decodes BER and keeps the TBSCertList as it came, which the
 * signature covers: encoded afresh from its fields, the whole CRL must be
 * the bytes that were sent (RFC 5280 s.5: DER).
 */
static bool
crl_is_der(X509_CRL *x, const unsigned char *der, size_t len)
{
	unsigned char *enc = NULL;
	int n;
	bool same;

	/* Re-encoded from now on, also for the signature check. */
	i2d_re_X509_CRL_tbs(x, NULL);
	n = i2d_X509_CRL(x, &enc);
	same = n > 0 && (size_t)n == len && memcmp(enc, der, len) == 0;
	OPENSSL_free(enc);
	return same;
}

struct crl *
crl_parse(const char *uri, const unsigned char *der, size_t len)
{
	const unsigned char *end = der;
	struct crl *crl;
	X509_CRL *x;

	if (len > rp_limits.object_size) {
		log_warnx("%s: larger than %zu bytes", uri,
			  rp_limits.object_size);
		return NULL;
	}
	if ((x = d2i_X509_CRL(NULL, &end, (long)len)) == NULL) {
		ERR_clear_error();
		log_warnx("%s: not a DER CRL (RFC 5280 s.5)", uri);
		return NULL;
	}
	if ((crl = calloc(1, sizeof(*crl))) == NULL) {
		log_warn("%s", uri);
		X509_CRL_free(x);
		return NULL;
	}
	crl->x509_crl = x;
	if (end != der + len) {
		log_warnx("%s: %zu bytes after the CRL (RFC 5280 s.5)", uri,
			  (size_t)(der + len - end));
		goto fail;
	}
	if (!crl_is_der(x, der, len)) {
		log_warnx("%s: CRL is not DER (RFC 5280 s.5, RFC 6487 s.5)",
			  uri);
		goto fail;
	}
	if (X509_CRL_get_version(x) != X509_CRL_VERSION_2) {
		log_warnx("%s: CRL is not version 2 (RFC 6487 s.5)", uri);
		goto fail;
	}
	if (!crl_sigalg_valid(uri, der, len, x) ||
	    !crl_time(uri, X509_CRL_get0_lastUpdate(x), "thisUpdate",
		      &crl->this_update) ||
	    !crl_time(uri, X509_CRL_get0_nextUpdate(x), "nextUpdate",
		      &crl->next_update))
		goto fail;
	if (crl->next_update < crl->this_update) {
		log_warnx("%s: CRL nextUpdate is before thisUpdate "
			  "(RFC 5280 s.5.1.2.5)",
			  uri);
		goto fail;
	}
	if (!crl_extensions_valid(uri, crl) || !crl_entries_valid(uri, x))
		goto fail;
	return crl;

fail:
	/* The log line says why; stale errors would mislead later. */
	ERR_clear_error();
	crl_free(crl);
	return NULL;
}

bool
crl_revoked(const struct crl *crl, const X509 *cert)
{
	X509_REVOKED *r;

	/* 2 would mean removeFromCRL, which crl_parse() never lets in. */
	return X509_CRL_get0_by_serial(crl->x509_crl, &r,
				       X509_get0_serialNumber(cert)) == 1;
}

void
crl_free(struct crl *crl)
{
	if (crl == NULL)
		return;
	X509_CRL_free(crl->x509_crl);
	free(crl);
}
