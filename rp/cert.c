/*
 * Resource certificates (RFC 6487 s.4, algorithms from RFC 7935) and BGPsec
 * router certificates (RFC 8209, keys from RFC 8608).
 *
 * OpenSSL decodes the certificate and each extension; this file checks the
 * RPKI profile on top: which fields and extensions may appear, how they are
 * marked, and what they may hold. Anything outside the profile is refused,
 * because every extra field is one more thing a hostile publisher can use.
 * One log line per rejected certificate names the URI and the rule.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "cert.h"
#include "limits.h"
#include "log.h"

/* RFC 7935 s.3: RSA, a 2048-bit modulus, the public exponent 65537. */
#define CERT_RSA_BITS	  2048
#define CERT_RSA_EXPONENT 65537

/*
 * RFC 5280 s.4.1.2.2: at most 20 octets of DER, and positive, so the
 * highest bit of the first octet is clear: 159 bits of value.
 */
#define CERT_SERIAL_MAX_BITS (20 * 8 - 1)

/* A P-256 point, uncompressed (RFC 5480 s.2.2): 0x04, then X and Y. */
/* RFC 5280 s.4.2.1.3: keyUsage names 9 bits, which 2 octets hold. */
#define KU_MAX_OCTETS 2

#define EC_P256_POINT_LEN     65
#define EC_POINT_UNCOMPRESSED 0x04

/* RFC 5280 s.4.1.2.5.1, s.4.1.2.5.2: YYMMDDHHMMSSZ, YYYYMMDDHHMMSSZ. */
#define UTCTIME_LEN		 13
#define GENERALIZEDTIME_LEN	 15
#define GENERALIZEDTIME_MIN_YEAR 2050

#define SCHEME_RSYNC "rsync://"
#define SCHEME_HTTPS "https://"

/* The extensions RFC 6487 s.4.8 and RFC 8209 s.3.1.3 allow; nothing else. */
enum cert_ext {
	EXT_BC,
	EXT_SKI,
	EXT_AKI,
	EXT_KU,
	EXT_EKU,
	EXT_CRLDP,
	EXT_AIA,
	EXT_SIA,
	EXT_CP,
	EXT_IP,
	EXT_AS,
	EXT_MAX
};

static const struct {
	int nid;
	bool critical;
	const char *name;
	const char *rule;
} cert_exts[EXT_MAX] = {
    [EXT_BC] = {NID_basic_constraints, true, "basicConstraints",
		"RFC 6487 s.4.8.1"},
    [EXT_SKI] = {NID_subject_key_identifier, false, "subjectKeyIdentifier",
		 "RFC 6487 s.4.8.2"},
    [EXT_AKI] = {NID_authority_key_identifier, false, "authorityKeyIdentifier",
		 "RFC 6487 s.4.8.3"},
    [EXT_KU] = {NID_key_usage, true, "keyUsage", "RFC 6487 s.4.8.4"},
    [EXT_EKU] = {NID_ext_key_usage, false, "extendedKeyUsage",
		 "RFC 6487 s.4.8.5"},
    [EXT_CRLDP] = {NID_crl_distribution_points, false, "cRLDistributionPoints",
		   "RFC 6487 s.4.8.6"},
    [EXT_AIA] = {NID_info_access, false, "authorityInfoAccess",
		 "RFC 6487 s.4.8.7"},
    [EXT_SIA] = {NID_sinfo_access, false, "subjectInfoAccess",
		 "RFC 6487 s.4.8.8"},
    [EXT_CP] = {NID_certificate_policies, true, "certificatePolicies",
		"RFC 6487 s.4.8.9"},
    [EXT_IP] = {NID_sbgp_ipAddrBlock, true, "sbgp-ipAddrBlock",
		"RFC 6487 s.4.8.10"},
    [EXT_AS] = {NID_sbgp_autonomousSysNum, true, "sbgp-autonomousSysNum",
		"RFC 6487 s.4.8.11"},
};

/* What the caller holds in its hand decides which kinds are acceptable. */
enum cert_source {
	CERT_FROM_FILE, /* a .cer in a publication point: CA or router */
	CERT_FROM_CMS,	/* the EE inside a signed object */
};

struct cert_parser {
	const char *uri;
	X509 *x;
	struct cert *c;
	bool present[EXT_MAX];
};

static const char *
kind_name(enum cert_kind kind)
{
	switch (kind) {
	case CERT_CA:
		return "CA";
	case CERT_EE:
		return "EE";
	case CERT_ROUTER:
		return "router";
	}
	return "?";
}

/*
 * Each extension at most once, none outside the profile, each marked as
 * the profile says. Decoding comes later, one extension at a time.
 */
static bool
cert_ext_list_valid(struct cert_parser *p)
{
	int i, n = X509_get_ext_count(p->x);
	char oid[128];

	for (i = 0; i < n; i++) {
		X509_EXTENSION *ext = X509_get_ext(p->x, i);
		const ASN1_OBJECT *obj = X509_EXTENSION_get_object(ext);
		int e, nid = OBJ_obj2nid(obj);
		bool critical = X509_EXTENSION_get_critical(ext) != 0;

		for (e = 0; e < EXT_MAX && cert_exts[e].nid != nid; e++)
			continue;
		if (e == EXT_MAX) {
			OBJ_obj2txt(oid, sizeof(oid), obj, 1);
			log_warnx("%s: unexpected extension %s (RFC 6487 "
				  "s.4.8)",
				  p->uri, oid);
			return false;
		}
		if (p->present[e]) {
			log_warnx("%s: more than one %s extension (RFC 5280 "
				  "s.4.2)",
				  p->uri, cert_exts[e].name);
			return false;
		}
		if (critical != cert_exts[e].critical) {
			log_warnx("%s: %s extension must %sbe critical (%s)",
				  p->uri, cert_exts[e].name,
				  cert_exts[e].critical ? "" : "not ",
				  cert_exts[e].rule);
			return false;
		}
		p->present[e] = true;
	}
	/*
	 * OpenSSL decodes the extensions it knows once and caches them; a
	 * malformed one marks the whole certificate invalid.
	 */
	if ((X509_get_extension_flags(p->x) & EXFLAG_INVALID) != 0) {
		log_warnx("%s: an extension does not decode (RFC 5280 s.4.2)",
			  p->uri);
		return false;
	}
	return true;
}

/*
 * RFC 6487 s.4.8.1: only CA certificates carry basicConstraints. RFC 8209
 * s.3.1.3.2: only router certificates carry extendedKeyUsage (checked for
 * its content later). Everything else is the EE of a signed object.
 */
static bool
cert_set_kind(struct cert_parser *p, enum cert_source src)
{
	enum cert_kind kind;

	if (p->present[EXT_BC])
		kind = CERT_CA;
	else if (p->present[EXT_EKU])
		kind = CERT_ROUTER;
	else
		kind = CERT_EE;
	p->c->kind = kind;
	if (src == CERT_FROM_FILE && kind == CERT_EE) {
		log_warnx("%s: EE certificate where a CA or router "
			  "certificate was expected (RFC 6487 s.4.8.1, "
			  "RFC 8209 s.3.1.3.2)",
			  p->uri);
		return false;
	}
	if (src == CERT_FROM_CMS && kind == CERT_CA) {
		log_warnx("%s: CA certificate where an EE certificate was "
			  "expected (RFC 6487 s.4.8.1)",
			  p->uri);
		return false;
	}
	if (src == CERT_FROM_CMS && kind == CERT_ROUTER) {
		log_warnx("%s: extendedKeyUsage in the EE certificate of a "
			  "signed object (RFC 6487 s.4.8.5)",
			  p->uri);
		return false;
	}
	return true;
}

static bool
cert_version_valid(struct cert_parser *p)
{
	if (X509_get_version(p->x) != X509_VERSION_3) {
		log_warnx("%s: certificate is not version 3 (RFC 6487 s.4.1)",
			  p->uri);
		return false;
	}
	return true;
}

static bool
cert_serial_valid(struct cert_parser *p)
{
	BIGNUM *bn;
	bool ok;

	bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(p->x), NULL);
	if (bn == NULL) {
		log_warnx("%s: serial number does not decode (RFC 6487 s.4.2)",
			  p->uri);
		return false;
	}
	ok = !BN_is_negative(bn) && !BN_is_zero(bn) &&
	    BN_num_bits(bn) <= CERT_SERIAL_MAX_BITS;
	BN_free(bn);
	if (!ok) {
		log_warnx("%s: serial number is not a positive integer of at "
			  "most 20 octets (RFC 6487 s.4.2, RFC 5280 "
			  "s.4.1.2.2)",
			  p->uri);
		return false;
	}
	return true;
}

/*
 * RFC 7935 s.2: sha256WithRSAEncryption, in the certificate and in its
 * TBSCertificate alike (RFC 5280 s.4.1.1.2). RFC 4055 s.5: parameters NULL
 * or absent.
 */
static bool
cert_sigalg_valid(struct cert_parser *p)
{
	const X509_ALGOR *tbs = X509_get0_tbs_sigalg(p->x), *outer;
	const ASN1_OBJECT *obj;
	int ptype;

	X509_get0_signature(NULL, &outer, p->x);
	X509_ALGOR_get0(&obj, &ptype, NULL, outer);
	if (OBJ_obj2nid(obj) != NID_sha256WithRSAEncryption ||
	    (ptype != V_ASN1_NULL && ptype != V_ASN1_UNDEF)) {
		log_warnx("%s: signature algorithm is not "
			  "sha256WithRSAEncryption (RFC 7935 s.2, "
			  "RFC 6487 s.4.3)",
			  p->uri);
		return false;
	}
	if (X509_ALGOR_cmp(tbs, outer) != 0) {
		log_warnx("%s: TBSCertificate and certificate name different "
			  "signature algorithms (RFC 5280 s.4.1.1.2)",
			  p->uri);
		return false;
	}
	return true;
}

/* RFC 5280 s.4.1.2.8: unique identifiers are not for new certificates. */
static bool
cert_uids_absent(struct cert_parser *p)
{
	const ASN1_BIT_STRING *iuid, *suid;

	X509_get0_uids(p->x, &iuid, &suid);
	if (iuid != NULL || suid != NULL) {
		log_warnx("%s: certificate carries a unique identifier "
			  "(RFC 5280 s.4.1.2.8)",
			  p->uri);
		return false;
	}
	return true;
}

/*
 * RFC 6487 s.4.4, s.4.5: one CommonName, a PrintableString, and at most
 * one serialNumber; no other attribute.
 */
static bool
cert_name_valid(struct cert_parser *p, const X509_NAME *name, const char *which,
		const char *rule)
{
	int i, n = X509_NAME_entry_count(name), cn = 0, sn = 0;

	for (i = 0; i < n; i++) {
		const X509_NAME_ENTRY *ne = X509_NAME_get_entry(name, i);
		int nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(ne));
		const ASN1_STRING *s = X509_NAME_ENTRY_get_data(ne);

		if (nid == NID_commonName) {
			if (ASN1_STRING_type(s) != V_ASN1_PRINTABLESTRING) {
				log_warnx("%s: %s CommonName is not a "
					  "PrintableString (%s)",
					  p->uri, which, rule);
				return false;
			}
			cn++;
		} else if (nid == NID_serialNumber)
			sn++;
		else {
			log_warnx("%s: %s name has an attribute other than "
				  "CommonName and serialNumber (%s)",
				  p->uri, which, rule);
			return false;
		}
	}
	if (cn != 1 || sn > 1) {
		log_warnx("%s: %s name must have one CommonName and at most "
			  "one serialNumber (%s)",
			  p->uri, which, rule);
		return false;
	}
	return true;
}

/*
 * RFC 5280 s.4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050,
 * both in UTC ("Z") with seconds and without fractions.
 */
static bool
cert_time(struct cert_parser *p, const ASN1_TIME *t, const char *which,
	  time_t *out)
{
	struct tm tm;
	int len = ASN1_STRING_length(t), type = ASN1_STRING_type(t);
	const unsigned char *s = ASN1_STRING_get0_data(t);
	bool ok;

	ok = ((type == V_ASN1_UTCTIME && len == UTCTIME_LEN) ||
	      (type == V_ASN1_GENERALIZEDTIME && len == GENERALIZEDTIME_LEN)) &&
	    s[len - 1] == 'Z' && ASN1_TIME_to_tm(t, &tm) == 1;
	if (ok && type == V_ASN1_GENERALIZEDTIME &&
	    tm.tm_year + 1900 < GENERALIZEDTIME_MIN_YEAR)
		ok = false;
	if (!ok) {
		log_warnx("%s: %s is not a valid UTCTime or GeneralizedTime "
			  "(RFC 6487 s.4.6, RFC 5280 s.4.1.2.5)",
			  p->uri, which);
		return false;
	}
	*out = timegm(&tm);
	return true;
}

static bool
cert_validity_valid(struct cert_parser *p)
{
	struct cert *c = p->c;

	if (!cert_time(p, X509_get0_notBefore(p->x), "notBefore",
		       &c->not_before) ||
	    !cert_time(p, X509_get0_notAfter(p->x), "notAfter", &c->not_after))
		return false;
	if (c->not_after < c->not_before) {
		log_warnx("%s: notAfter is before notBefore (RFC 6487 s.4.6)",
			  p->uri);
		return false;
	}
	return true;
}

/*
 * The publicExponent of the RSAPublicKey (RFC 8017 A.1.1) in the
 * certificate's subjectPublicKey, read from the DER with OpenSSL's generic
 * decoder: asking the EVP_PKEY for it would copy the key into a provider
 * first, which costs more than the rest of the check.
 */
static bool
cert_rsa_exponent(const X509 *x, long *out)
{
	const ASN1_BIT_STRING *bits;
	ASN1_SEQUENCE_ANY *seq;
	const ASN1_TYPE *t;
	const unsigned char *p;
	bool ok = false;

	if ((bits = X509_get0_pubkey_bitstr(x)) == NULL)
		return false;
	p = ASN1_STRING_get0_data(bits);
	if ((seq = d2i_ASN1_SEQUENCE_ANY(NULL, &p, ASN1_STRING_length(bits))) ==
	    NULL)
		return false;
	if (sk_ASN1_TYPE_num(seq) == 2 &&
	    (t = sk_ASN1_TYPE_value(seq, 1))->type == V_ASN1_INTEGER) {
		*out = ASN1_INTEGER_get(t->value.integer);
		ok = *out > 0;
	}
	sk_ASN1_TYPE_pop_free(seq, ASN1_TYPE_free);
	return ok;
}

/*
 * RFC 8017 A.1.1, RFC 3279 s.2.3.1: the subjectPublicKey BIT STRING holds
 * the DER of one RSAPublicKey, so whole octets and nothing after it.
 * OpenSSL's decoder masks unused bits away and stops at the end of the
 * SEQUENCE, so it takes keys with either.
 */
static bool
cert_rsa_key_whole(const X509 *x)
{
	const ASN1_BIT_STRING *bits = X509_get0_pubkey_bitstr(x);
	const unsigned char *p, *end;
	long len;
	int tag, xclass;

	if (bits == NULL ||
	    ((bits->flags & ASN1_STRING_FLAG_BITS_LEFT) != 0 &&
	     (bits->flags & 0x07) != 0))
		return false;
	p = ASN1_STRING_get0_data(bits);
	end = p + ASN1_STRING_length(bits);
	if (ASN1_get_object(&p, &len, &tag, &xclass, end - p) != 0x20 ||
	    tag != V_ASN1_SEQUENCE || xclass != V_ASN1_UNIVERSAL)
		return false;
	return p + len == end;
}

/* RFC 7935 s.3, RFC 6487 s.4.7: CA and EE keys. */
static bool
cert_rsa_key_valid(struct cert_parser *p, EVP_PKEY *pkey)
{
	long e;

	if (EVP_PKEY_get_base_id(pkey) != EVP_PKEY_RSA) {
		log_warnx("%s: %s certificate key is not an RSA key "
			  "(RFC 7935 s.3)",
			  p->uri, kind_name(p->c->kind));
		return false;
	}
	if (!cert_rsa_key_whole(p->x)) {
		ERR_clear_error();
		log_warnx("%s: subject public key does not decode: not one "
			  "DER RSAPublicKey in whole octets (RFC 6487 s.4.7, "
			  "RFC 8017 A.1.1)",
			  p->uri);
		return false;
	}
	if (EVP_PKEY_get_bits(pkey) != CERT_RSA_BITS) {
		log_warnx("%s: RSA key has %d bits, not %d (RFC 7935 s.3)",
			  p->uri, EVP_PKEY_get_bits(pkey), CERT_RSA_BITS);
		return false;
	}
	if (!cert_rsa_exponent(p->x, &e)) {
		ERR_clear_error();
		log_warnx("%s: cannot read the RSA exponent (RFC 7935 s.3)",
			  p->uri);
		return false;
	}
	if (e != CERT_RSA_EXPONENT) {
		log_warnx("%s: RSA exponent is not %d (RFC 7935 s.3)", p->uri,
			  CERT_RSA_EXPONENT);
		return false;
	}
	return true;
}

/*
 * RFC 8608 s.3, RFC 8209 s.3.1.2: ecPublicKey on the named curve P-256
 * (an explicit copy of its parameters is not the named curve). The point
 * must be uncompressed: routers receive this SPKI as it is (RFC 8210 Router
 * Key PDU), and RFC 5480 s.2.2 makes only that form mandatory to support.
 */
static bool
cert_router_key_valid(struct cert_parser *p)
{
	X509_PUBKEY *pub = X509_get_X509_PUBKEY(p->x);
	const ASN1_OBJECT *curve;
	ASN1_OBJECT *alg;
	const unsigned char *pk;
	const void *pval;
	X509_ALGOR *algor;
	int pklen, ptype;

	if (!X509_PUBKEY_get0_param(&alg, &pk, &pklen, &algor, pub) ||
	    OBJ_obj2nid(alg) != NID_X9_62_id_ecPublicKey) {
		log_warnx("%s: router certificate key is not an EC key "
			  "(RFC 8608 s.3)",
			  p->uri);
		return false;
	}
	X509_ALGOR_get0(NULL, &ptype, &pval, algor);
	curve = pval;
	if (ptype != V_ASN1_OBJECT ||
	    OBJ_obj2nid(curve) != NID_X9_62_prime256v1) {
		log_warnx("%s: router certificate key is not on the named "
			  "curve P-256 (RFC 8608 s.3)",
			  p->uri);
		return false;
	}
	if (pklen != EC_P256_POINT_LEN || pk[0] != EC_POINT_UNCOMPRESSED) {
		log_warnx("%s: router certificate key is not an uncompressed "
			  "P-256 point (RFC 8608 s.3)",
			  p->uri);
		return false;
	}
	return true;
}

static bool
cert_key_valid(struct cert_parser *p)
{
	EVP_PKEY *pkey = X509_get0_pubkey(p->x);

	if (pkey == NULL) {
		ERR_clear_error();
		log_warnx("%s: subject public key does not decode "
			  "(RFC 6487 s.4.7)",
			  p->uri);
		return false;
	}
	if (p->c->kind == CERT_ROUTER)
		return cert_router_key_valid(p);
	return cert_rsa_key_valid(p, pkey);
}

static bool
cert_key_to_der(struct cert_parser *p)
{
	struct cert *c = p->c;
	X509_PUBKEY *pub = X509_get_X509_PUBKEY(p->x);
	unsigned char *der;
	int len;

	if ((len = i2d_X509_PUBKEY(pub, NULL)) <= 0) {
		log_warnx("%s: cannot encode the subject public key", p->uri);
		return false;
	}
	if ((c->spki = malloc((size_t)len)) == NULL) {
		log_warn("%s", p->uri);
		return false;
	}
	der = c->spki;
	if (i2d_X509_PUBKEY(pub, &der) != len) {
		log_warnx("%s: cannot encode the subject public key", p->uri);
		return false;
	}
	c->spki_len = (size_t)len;
	return true;
}

/* RFC 6487 s.4.8.1: cA TRUE and no pathLenConstraint, on CAs only. */
static bool
cert_bc_valid(struct cert_parser *p)
{
	BASIC_CONSTRAINTS *bc;
	bool ok;

	if (p->c->kind != CERT_CA)
		return true; /* present only on CAs, by cert_set_kind() */
	bc = X509_get_ext_d2i(p->x, NID_basic_constraints, NULL, NULL);
	if (bc == NULL) {
		log_warnx("%s: basicConstraints does not decode "
			  "(RFC 6487 s.4.8.1)",
			  p->uri);
		return false;
	}
	ok = bc->ca && bc->pathlen == NULL;
	BASIC_CONSTRAINTS_free(bc);
	if (!ok) {
		log_warnx("%s: basicConstraints must say cA TRUE and carry no "
			  "pathLenConstraint (RFC 6487 s.4.8.1)",
			  p->uri);
		return false;
	}
	return true;
}

/* RFC 6487 s.4.8.2: the SHA-1 of the subjectPublicKey bits (RFC 5280). */
static bool
cert_ski_valid(struct cert_parser *p)
{
	const ASN1_OCTET_STRING *ski = X509_get0_subject_key_id(p->x);
	unsigned char md[SHA_DIGEST_LENGTH];
	unsigned int mdlen;

	if (!p->present[EXT_SKI] || ski == NULL) {
		log_warnx("%s: subjectKeyIdentifier is missing "
			  "(RFC 6487 s.4.8.2)",
			  p->uri);
		return false;
	}
	if (!X509_pubkey_digest(p->x, EVP_sha1(), md, &mdlen) ||
	    mdlen != sizeof(md)) {
		ERR_clear_error();
		log_warnx("%s: cannot hash the subject public key", p->uri);
		return false;
	}
	if (ASN1_STRING_length(ski) != SHA_DIGEST_LENGTH ||
	    memcmp(ASN1_STRING_get0_data(ski), md, sizeof(md)) != 0) {
		log_warnx("%s: subjectKeyIdentifier is not the SHA-1 of the "
			  "subject public key (RFC 6487 s.4.8.2)",
			  p->uri);
		return false;
	}
	memcpy(p->c->ski, md, sizeof(md));
	return true;
}

/* RFC 6487 s.4.8.3: keyIdentifier only, 20 octets like every SKI. */
static bool
cert_aki_valid(struct cert_parser *p)
{
	const ASN1_OCTET_STRING *aki = X509_get0_authority_key_id(p->x);

	if (!p->present[EXT_AKI])
		return true; /* whether it may be absent depends on who signed
			      */
	if (aki == NULL || X509_get0_authority_issuer(p->x) != NULL ||
	    X509_get0_authority_serial(p->x) != NULL) {
		log_warnx("%s: authorityKeyIdentifier must hold the "
			  "keyIdentifier and nothing else (RFC 6487 s.4.8.3)",
			  p->uri);
		return false;
	}
	if (ASN1_STRING_length(aki) != SHA_DIGEST_LENGTH) {
		log_warnx("%s: authorityKeyIdentifier is not %d octets "
			  "(RFC 6487 s.4.8.3)",
			  p->uri, SHA_DIGEST_LENGTH);
		return false;
	}
	memcpy(p->c->aki, ASN1_STRING_get0_data(aki), SHA_DIGEST_LENGTH);
	p->c->has_aki = true;
	return true;
}

/*
 * A self-signed certificate names itself as issuer and, if it has an AKI
 * at all, points it at its own key (RFC 6487 s.4.8.3). Only a CA may be
 * one: it is the TA, and the TA alone may lack AKI, CRLDP and AIA.
 */
static bool
cert_issuer_links_valid(struct cert_parser *p)
{
	struct cert *c = p->c;

	c->self_signed = X509_NAME_cmp(X509_get_issuer_name(p->x),
				       X509_get_subject_name(p->x)) == 0 &&
	    (!c->has_aki || memcmp(c->aki, c->ski, sizeof(c->aki)) == 0);
	if (c->kind == CERT_CA && c->self_signed) {
		if (p->present[EXT_CRLDP] || p->present[EXT_AIA]) {
			log_warnx("%s: self-signed certificate carries "
				  "cRLDistributionPoints or "
				  "authorityInfoAccess (RFC 6487 s.4.8.6, "
				  "s.4.8.7)",
				  p->uri);
			return false;
		}
		return true;
	}
	if (!c->has_aki) {
		log_warnx("%s: authorityKeyIdentifier is missing "
			  "(RFC 6487 s.4.8.3)",
			  p->uri);
		return false;
	}
	if (!p->present[EXT_CRLDP]) {
		log_warnx("%s: cRLDistributionPoints is missing "
			  "(RFC 6487 s.4.8.6)",
			  p->uri);
		return false;
	}
	if (!p->present[EXT_AIA]) {
		log_warnx("%s: authorityInfoAccess is missing "
			  "(RFC 6487 s.4.8.7)",
			  p->uri);
		return false;
	}
	return true;
}

/* RFC 6487 s.4.8.4; RFC 8209 s.3.1.3 for router certificates. */
static bool
cert_ku_valid(struct cert_parser *p)
{
	uint32_t want, ku = X509_get_key_usage(p->x);
	ASN1_BIT_STRING *bits;
	int len;

	if (!p->present[EXT_KU]) {
		log_warnx("%s: keyUsage is missing (RFC 6487 s.4.8.4)", p->uri);
		return false;
	}
	/*
	 * X509_get_key_usage() reads the first 2 octets only: a bit set in a
	 * third would go unseen (FORT CVE-2024-45237 overflowed on it).
	 */
	if ((bits = X509_get_ext_d2i(p->x, NID_key_usage, NULL, NULL)) ==
	    NULL) {
		log_warnx("%s: keyUsage does not decode (RFC 6487 s.4.8.4)",
			  p->uri);
		return false;
	}
	len = ASN1_STRING_length(bits);
	ASN1_BIT_STRING_free(bits);
	if (len > KU_MAX_OCTETS) {
		log_warnx("%s: keyUsage is longer than %d octets (RFC 6487 "
			  "s.4.8.4, RFC 5280 s.4.2.1.3)",
			  p->uri, KU_MAX_OCTETS);
		return false;
	}
	if (p->c->kind == CERT_CA) {
		want = KU_KEY_CERT_SIGN | KU_CRL_SIGN;
		if (ku != want) {
			log_warnx("%s: CA keyUsage must be exactly "
				  "keyCertSign and cRLSign (RFC 6487 s.4.8.4)",
				  p->uri);
			return false;
		}
		return true;
	}
	want = KU_DIGITAL_SIGNATURE;
	if (ku != want) {
		log_warnx("%s: %s keyUsage must be exactly digitalSignature "
			  "(RFC 6487 s.4.8.4)",
			  p->uri, kind_name(p->c->kind));
		return false;
	}
	return true;
}

/*
 * RFC 6487 s.4.8.5: no extendedKeyUsage on CAs or on the EEs of signed
 * objects. RFC 8209 s.3.1.3.2: on a router certificate it must list
 * id-kp-bgpsec-router; other purposes may follow.
 */
static bool
cert_eku_valid(struct cert_parser *p)
{
	EXTENDED_KEY_USAGE *eku;
	bool found = false;
	int i;

	if (!p->present[EXT_EKU])
		return true; /* only router certificates have one */
	if (p->c->kind == CERT_CA) {
		log_warnx("%s: extendedKeyUsage in a CA certificate "
			  "(RFC 6487 s.4.8.5)",
			  p->uri);
		return false;
	}
	eku = X509_get_ext_d2i(p->x, NID_ext_key_usage, NULL, NULL);
	for (i = 0; eku != NULL && i < sk_ASN1_OBJECT_num(eku); i++)
		if (OBJ_obj2nid(sk_ASN1_OBJECT_value(eku, i)) ==
		    NID_id_kp_bgpsec_router)
			found = true;
	sk_ASN1_OBJECT_pop_free(eku, ASN1_OBJECT_free);
	if (!found) {
		log_warnx("%s: extendedKeyUsage lacks id-kp-bgpsec-router "
			  "(RFC 8209 s.3.1.3.2)",
			  p->uri);
		return false;
	}
	return true;
}

/*
 * Whether the path of URI s has a "." or ".." segment (RFC 3986 s.3.3).
 * The URIs name files in the cache and directories on rsync servers: a
 * caRepository of rsync://host/module/../../x/ would climb out of its
 * module, or out of the cache, wherever a path is made of it.
 */
static bool
uri_has_dot_segment(const char *s, size_t n)
{
	const char *p, *seg, *end = s + n;
	size_t len;

	if ((p = memmem(s, n, "://", 3)) == NULL)
		return false;
	p = memchr(p + 3, '/', (size_t)(end - (p + 3)));
	while (p != NULL) {
		seg = p + 1;
		p = memchr(seg, '/', (size_t)(end - seg));
		len = (size_t)((p != NULL ? p : end) - seg);
		if ((len == 1 && seg[0] == '.') ||
		    (len == 2 && seg[0] == '.' && seg[1] == '.'))
			return true;
	}
	return false;
}

/*
 * A URI from an extension: IA5String, at most MAX_URI_LENGTH, printable
 * ASCII without spaces (RFC 3986 s.2), so that it can go into a log line
 * and a path without surprises, and no dot segments. *uri points into gn.
 */
static bool
cert_uri(struct cert_parser *p, const GENERAL_NAME *gn, const char *what,
	 const char *rule, const char **uri, size_t *len)
{
	const unsigned char *s;
	int i, n;

	if (gn->type != GEN_URI) {
		log_warnx("%s: %s is not a URI (%s)", p->uri, what, rule);
		return false;
	}
	n = ASN1_STRING_length(gn->d.uniformResourceIdentifier);
	s = ASN1_STRING_get0_data(gn->d.uniformResourceIdentifier);
	if (n <= 0 || n > MAX_URI_LENGTH) {
		log_warnx("%s: %s URI is empty or longer than %d bytes (%s)",
			  p->uri, what, MAX_URI_LENGTH, rule);
		return false;
	}
	for (i = 0; i < n; i++) {
		if (s[i] <= 0x20 || s[i] >= 0x7f) {
			log_warnx("%s: %s URI contains whitespace, a control "
				  "character or non-ASCII (RFC 3986 s.2)",
				  p->uri, what);
			return false;
		}
	}
	/* rpki-client refuses them too (any "/." in a URI). */
	if (uri_has_dot_segment((const char *)s, (size_t)n)) {
		log_warnx("%s: %s URI has a \".\" or \"..\" path segment "
			  "(RFC 3986 s.3.3)",
			  p->uri, what);
		return false;
	}
	*uri = (const char *)s;
	*len = (size_t)n;
	return true;
}

/* uri starts with scheme (RFC 3986 s.3.1: any case) and goes on. */
static bool
uri_has_scheme(const char *uri, size_t len, const char *scheme)
{
	size_t slen = strlen(scheme);

	return len > slen && strncasecmp(uri, scheme, slen) == 0;
}

/*
 * Keeps the first URI of the wanted scheme in *out; others are allowed
 * beside it (RFC 6487 s.4.8.6-s.4.8.8: "at least one rsync URI").
 */
static bool
cert_keep_uri(struct cert_parser *p, const char *uri, size_t len,
	      const char *scheme, char **out)
{
	if (*out != NULL || !uri_has_scheme(uri, len, scheme))
		return true;
	if ((*out = strndup(uri, len)) == NULL) {
		log_warn("%s", p->uri);
		return false;
	}
	return true;
}

/*
 * RFC 6487 s.4.8.6: one DistributionPoint with a fullName holding an
 * rsync URI, and no reasons or cRLIssuer.
 */
static bool
cert_crldp_valid(struct cert_parser *p)
{
	static const char rule[] = "RFC 6487 s.4.8.6";
	STACK_OF(DIST_POINT) * dps;
	DIST_POINT *dp;
	const char *uri;
	size_t len;
	bool ok = false;
	int i;

	if (!p->present[EXT_CRLDP])
		return true; /* cert_issuer_links_valid() said it may be */
	dps = X509_get_ext_d2i(p->x, NID_crl_distribution_points, NULL, NULL);
	if (dps == NULL || sk_DIST_POINT_num(dps) != 1) {
		log_warnx("%s: cRLDistributionPoints must hold one "
			  "DistributionPoint (%s)",
			  p->uri, rule);
		goto out;
	}
	dp = sk_DIST_POINT_value(dps, 0);
	if (dp->reasons != NULL || dp->CRLissuer != NULL ||
	    dp->distpoint == NULL || dp->distpoint->type != 0) {
		log_warnx("%s: cRLDistributionPoints must hold a fullName and "
			  "no reasons or cRLIssuer (%s)",
			  p->uri, rule);
		goto out;
	}
	for (i = 0; i < sk_GENERAL_NAME_num(dp->distpoint->name.fullname);
	     i++) {
		const GENERAL_NAME *gn =
		    sk_GENERAL_NAME_value(dp->distpoint->name.fullname, i);

		if (!cert_uri(p, gn, "CRL distribution point", rule, &uri,
			      &len) ||
		    !cert_keep_uri(p, uri, len, SCHEME_RSYNC, &p->c->crldp))
			goto out;
	}
	if (p->c->crldp == NULL) {
		log_warnx("%s: cRLDistributionPoints has no rsync URI (%s)",
			  p->uri, rule);
		goto out;
	}
	ok = true;
out:
	sk_DIST_POINT_pop_free(dps, DIST_POINT_free);
	return ok;
}

/* RFC 6487 s.4.8.7: caIssuers access descriptions only, one of them rsync. */
static bool
cert_aia_valid(struct cert_parser *p)
{
	static const char rule[] = "RFC 6487 s.4.8.7";
	AUTHORITY_INFO_ACCESS *aia;
	const char *uri;
	size_t len;
	bool ok = false;
	int i;

	if (!p->present[EXT_AIA])
		return true; /* cert_issuer_links_valid() said it may be */
	aia = X509_get_ext_d2i(p->x, NID_info_access, NULL, NULL);
	for (i = 0; aia != NULL && i < sk_ACCESS_DESCRIPTION_num(aia); i++) {
		ACCESS_DESCRIPTION *ad = sk_ACCESS_DESCRIPTION_value(aia, i);

		if (OBJ_obj2nid(ad->method) != NID_ad_ca_issuers) {
			log_warnx("%s: authorityInfoAccess has an access "
				  "method other than caIssuers (%s)",
				  p->uri, rule);
			goto out;
		}
		if (!cert_uri(p, ad->location, "caIssuers", rule, &uri, &len) ||
		    !cert_keep_uri(p, uri, len, SCHEME_RSYNC, &p->c->aia))
			goto out;
	}
	if (p->c->aia == NULL) {
		log_warnx("%s: authorityInfoAccess has no rsync caIssuers URI "
			  "(%s)",
			  p->uri, rule);
		goto out;
	}
	ok = true;
out:
	AUTHORITY_INFO_ACCESS_free(aia);
	return ok;
}

/*
 * RFC 6487 s.4.8.8.1: a CA names its repository (an rsync directory) and
 * its manifest, and RFC 8182 s.3.2 lets it name one RRDP notification file
 * over https. Access methods of no use to us are allowed and ignored, but
 * signedObject belongs on EEs only.
 */
static bool
cert_sia_ca_entry(struct cert_parser *p, const ACCESS_DESCRIPTION *ad)
{
	static const char rule[] = "RFC 6487 s.4.8.8.1";
	struct cert *c = p->c;
	const char *uri;
	size_t len;

	switch (OBJ_obj2nid(ad->method)) {
	case NID_caRepository:
		if (!cert_uri(p, ad->location, "caRepository", rule, &uri,
			      &len))
			return false;
		if (c->repo == NULL && uri_has_scheme(uri, len, SCHEME_RSYNC) &&
		    uri[len - 1] != '/') {
			log_warnx("%s: caRepository URI does not end in '/' "
				  "(%s)",
				  p->uri, rule);
			return false;
		}
		return cert_keep_uri(p, uri, len, SCHEME_RSYNC, &c->repo);
	case NID_rpkiManifest:
		if (!cert_uri(p, ad->location, "rpkiManifest", rule, &uri,
			      &len))
			return false;
		return cert_keep_uri(p, uri, len, SCHEME_RSYNC, &c->mft);
	case NID_rpkiNotify:
		if (!cert_uri(p, ad->location, "rpkiNotify", "RFC 8182 s.3.2",
			      &uri, &len))
			return false;
		if (c->notify != NULL ||
		    !uri_has_scheme(uri, len, SCHEME_HTTPS)) {
			log_warnx("%s: rpkiNotify must be one https URI "
				  "(RFC 8182 s.3.2)",
				  p->uri);
			return false;
		}
		return cert_keep_uri(p, uri, len, SCHEME_HTTPS, &c->notify);
	case NID_signedObject:
		log_warnx("%s: signedObject in the SIA of a CA certificate "
			  "(%s)",
			  p->uri, rule);
		return false;
	default:
		return true;
	}
}

/* RFC 6487 s.4.8.8.2: signedObject and no other access method. */
static bool
cert_sia_ee_entry(struct cert_parser *p, const ACCESS_DESCRIPTION *ad)
{
	static const char rule[] = "RFC 6487 s.4.8.8.2";
	const char *uri;
	size_t len;

	if (OBJ_obj2nid(ad->method) != NID_signedObject) {
		log_warnx("%s: SIA of an EE certificate has an access method "
			  "other than signedObject (%s)",
			  p->uri, rule);
		return false;
	}
	if (!cert_uri(p, ad->location, "signedObject", rule, &uri, &len))
		return false;
	return cert_keep_uri(p, uri, len, SCHEME_RSYNC, &p->c->signed_object);
}

static bool
cert_sia_valid(struct cert_parser *p)
{
	AUTHORITY_INFO_ACCESS *sia;
	struct cert *c = p->c;
	bool ok = false;
	int i;

	if (c->kind == CERT_ROUTER) {
		if (p->present[EXT_SIA]) {
			log_warnx("%s: router certificate carries "
				  "subjectInfoAccess (RFC 8209 s.3.1.3.3)",
				  p->uri);
			return false;
		}
		return true;
	}
	if (!p->present[EXT_SIA]) {
		log_warnx("%s: subjectInfoAccess is missing (RFC 6487 "
			  "s.4.8.8)",
			  p->uri);
		return false;
	}
	sia = X509_get_ext_d2i(p->x, NID_sinfo_access, NULL, NULL);
	for (i = 0; sia != NULL && i < sk_ACCESS_DESCRIPTION_num(sia); i++) {
		ACCESS_DESCRIPTION *ad = sk_ACCESS_DESCRIPTION_value(sia, i);

		if (!(c->kind == CERT_CA ? cert_sia_ca_entry(p, ad)
					 : cert_sia_ee_entry(p, ad)))
			goto out;
	}
	if (c->kind == CERT_CA && (c->repo == NULL || c->mft == NULL)) {
		log_warnx("%s: subjectInfoAccess lacks an rsync caRepository "
			  "or rpkiManifest URI (RFC 6487 s.4.8.8.1)",
			  p->uri);
		goto out;
	}
	if (c->kind == CERT_EE && c->signed_object == NULL) {
		log_warnx("%s: subjectInfoAccess lacks an rsync signedObject "
			  "URI (RFC 6487 s.4.8.8.2)",
			  p->uri);
		goto out;
	}
	ok = true;
out:
	AUTHORITY_INFO_ACCESS_free(sia);
	return ok;
}

/*
 * RFC 6487 s.4.8.9: exactly one policy, id-cp-ipAddr-asNumber. RFC 7318
 * allows a CPS qualifier, so qualifiers are not looked at.
 */
static bool
cert_policies_valid(struct cert_parser *p)
{
	CERTIFICATEPOLICIES *cp;
	bool ok;

	if (!p->present[EXT_CP]) {
		log_warnx("%s: certificatePolicies is missing "
			  "(RFC 6487 s.4.8.9)",
			  p->uri);
		return false;
	}
	cp = X509_get_ext_d2i(p->x, NID_certificate_policies, NULL, NULL);
	ok = cp != NULL && sk_POLICYINFO_num(cp) == 1 &&
	    OBJ_obj2nid(sk_POLICYINFO_value(cp, 0)->policyid) ==
		NID_ipAddr_asNumber;
	CERTIFICATEPOLICIES_free(cp);
	if (!ok) {
		log_warnx("%s: certificatePolicies must hold exactly the "
			  "policy id-cp-ipAddr-asNumber (RFC 6487 s.4.8.9)",
			  p->uri);
		return false;
	}
	return true;
}

/*
 * RFC 6487 s.4.8.10, s.4.8.11: CAs and EEs hold resources in at least one
 * extension. RFC 8209 s.3.1.3.4, s.3.1.3.5: routers hold AS numbers only.
 */
static bool
cert_resources_valid(struct cert_parser *p)
{
	struct cert *c = p->c;

	if (!resources_from_x509(&c->res, p->uri, p->x))
		return false;
	if (c->kind != CERT_ROUTER) {
		if (!c->res.has_ip && !c->res.has_as) {
			log_warnx("%s: neither sbgp-ipAddrBlock nor "
				  "sbgp-autonomousSysNum is present "
				  "(RFC 6487 s.4.8.10)",
				  p->uri);
			return false;
		}
		return true;
	}
	if (c->res.has_ip) {
		log_warnx("%s: router certificate carries IP resources "
			  "(RFC 8209 s.3.1.3.4)",
			  p->uri);
		return false;
	}
	if (!c->res.has_as) {
		log_warnx("%s: router certificate carries no AS resources "
			  "(RFC 8209 s.3.1.3.5)",
			  p->uri);
		return false;
	}
	return true;
}

/*
 * The checks in the order of RFC 6487 s.4, so that a certificate with
 * several defects is always reported for the same one. Takes over the
 * reference to x.
 */
/*
 * An encoding just made (its length n, or -1) is len bytes equal to der;
 * frees it.
 */
static bool
der_same(int n, unsigned char *enc, const unsigned char *der, size_t len)
{
	bool same = n > 0 && (size_t)n == len && memcmp(enc, der, len) == 0;

	OPENSSL_free(enc);
	return same;
}

/*
 * RFC 5280 s.4.1, RFC 6487 s.4: DER. OpenSSL also decodes BER and keeps the
 * TBSCertificate as it came, which the signature covers; encoded afresh
 * from its fields it must give the same bytes. (The outer SEQUENCE is
 * encoded afresh anyway: cert_parse() and the CMS check compare it.) A BER
 * certificate would be a second encoding of the same content, read as it was
 * sent by one validator and differently by another (FORT CVE-2024-45239 class).
 */
static bool
cert_der_valid(struct cert_parser *p)
{
	unsigned char *sent = NULL, *fresh = NULL;
	const unsigned char *tbs;
	int n = i2d_X509(p->x, &sent), m = -1, tag, cls;
	long clen;
	bool ok;

	/* The TBSCertificate as it came, first in the outer SEQUENCE. */
	tbs = sent;
	ok = n > 0 && !(ASN1_get_object(&tbs, &clen, &tag, &cls, n) & 0x80) &&
	    /* Re-encoded from now on, also for the signature check. */
	    (m = i2d_re_X509_tbs(p->x, &fresh)) > 0 && m <= sent + n - tbs &&
	    memcmp(tbs, fresh, (size_t)m) == 0;
	OPENSSL_free(sent);
	OPENSSL_free(fresh);
	if (!ok)
		log_warnx("%s: certificate is not DER (RFC 5280 s.4.1, "
			  "RFC 6487 s.4)",
			  p->uri);
	return ok;
}

static struct cert *
cert_check(const char *uri, X509 *x, enum cert_source src)
{
	struct cert_parser p = {.uri = uri, .x = x};

	if ((p.c = calloc(1, sizeof(*p.c))) == NULL) {
		log_warn("%s", uri);
		X509_free(x);
		return NULL;
	}
	p.c->x509 = x;
	if (!cert_der_valid(&p) || !cert_ext_list_valid(&p) ||
	    !cert_set_kind(&p, src) || !cert_eku_valid(&p) ||
	    !cert_version_valid(&p) || !cert_serial_valid(&p) ||
	    !cert_sigalg_valid(&p) || !cert_uids_absent(&p) ||
	    !cert_name_valid(&p, X509_get_issuer_name(x), "issuer",
			     "RFC 6487 s.4.4") ||
	    !cert_name_valid(&p, X509_get_subject_name(x), "subject",
			     "RFC 6487 s.4.5") ||
	    !cert_validity_valid(&p) || !cert_key_valid(&p) ||
	    !cert_bc_valid(&p) || !cert_ski_valid(&p) || !cert_aki_valid(&p) ||
	    !cert_issuer_links_valid(&p) || !cert_ku_valid(&p) ||
	    !cert_crldp_valid(&p) || !cert_aia_valid(&p) ||
	    !cert_sia_valid(&p) || !cert_policies_valid(&p) ||
	    !cert_resources_valid(&p) || !cert_key_to_der(&p)) {
		/* The log line says why; stale errors would mislead later. */
		ERR_clear_error();
		cert_free(p.c);
		return NULL;
	}
	return p.c;
}

struct cert *
cert_parse(const char *uri, const unsigned char *der, size_t len)
{
	const unsigned char *end = der;
	unsigned char *enc = NULL;
	X509 *x;
	int n;

	if (len > rp_limits.object_size) {
		log_warnx("%s: larger than %zu bytes", uri,
			  rp_limits.object_size);
		return NULL;
	}
	if ((x = d2i_X509(NULL, &end, (long)len)) == NULL) {
		ERR_clear_error();
		log_warnx("%s: not a DER X.509 certificate (RFC 6487 s.4)",
			  uri);
		return NULL;
	}
	if (end != der + len) {
		log_warnx("%s: %zu bytes after the certificate (RFC 6487 s.4)",
			  uri, (size_t)(der + len - end));
		X509_free(x);
		return NULL;
	}
	/* i2d_X509() encodes the outer SEQUENCE afresh: as it was sent? */
	n = i2d_X509(x, &enc);
	if (!der_same(n, enc, der, len)) {
		log_warnx("%s: certificate is not DER (RFC 5280 s.4.1, RFC "
			  "6487 "
			  "s.4)",
			  uri);
		X509_free(x);
		return NULL;
	}
	return cert_check(uri, x, CERT_FROM_FILE);
}

struct cert *
cert_from_ee(const char *uri, X509 *x)
{
	if (!X509_up_ref(x)) {
		log_warnx("%s: cannot take a reference to the EE certificate",
			  uri);
		return NULL;
	}
	return cert_check(uri, x, CERT_FROM_CMS);
}

bool
cert_check_ta(const struct cert *c, const char *uri, const EVP_PKEY *tal_key)
{
	EVP_PKEY *pkey = X509_get0_pubkey(c->x509);

	if (c->kind != CERT_CA || !c->self_signed) {
		log_warnx("%s: trust anchor is not a self-signed CA "
			  "certificate (RFC 8630 s.3)",
			  uri);
		return false;
	}
	if (pkey == NULL || EVP_PKEY_eq(pkey, tal_key) != 1) {
		ERR_clear_error();
		log_warnx("%s: trust anchor key is not the TAL's key "
			  "(RFC 8630 s.3)",
			  uri);
		return false;
	}
	if (X509_verify(c->x509, pkey) != 1) {
		ERR_clear_error();
		log_warnx("%s: trust anchor signature does not verify with "
			  "its own key (RFC 8630 s.3)",
			  uri);
		return false;
	}
	if (c->res.v4_inherit || c->res.v6_inherit || c->res.as_inherit) {
		log_warnx("%s: trust anchor uses inherit (RFC 8630 s.2.3)",
			  uri);
		return false;
	}
	return true;
}

void
cert_free(struct cert *c)
{
	if (c == NULL)
		return;
	X509_free(c->x509);
	free(c->aia);
	free(c->crldp);
	free(c->repo);
	free(c->mft);
	free(c->notify);
	free(c->signed_object);
	resources_clear(&c->res);
	free(c->spki);
	free(c);
}
