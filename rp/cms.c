/*
 * The RPKI signed-object envelope: RFC 6488 s.2-3 as updated by RFC 9589,
 * with the algorithms of RFC 7935. OpenSSL decodes and verifies the CMS;
 * this file holds the RPKI's narrowing of what CMS allows.
 */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/asn1.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include "cms.h"
#include "limits.h"
#include "log.h"

/* RFC 6488 s.2.1.1, s.2.1.6.1: SKI-identified signer, so version 3. */
#define SIGNED_DATA_VERSION 3
#define SIGNER_INFO_VERSION 3

/* RFC 6488 s.2.1.6.4 (RFC 9589): exactly these three signed attributes. */
#define NUM_SIGNED_ATTRS 3

/*
 * Reads the INTEGER at the head of a DER SEQUENCE's items (both SignedData
 * and SignerInfo start with their version). OpenSSL's CMS API keeps the two
 * version fields to itself, so they are read with its generic decoders.
 */
static bool
seq_version(const unsigned char *der, long len, long want)
{
	ASN1_SEQUENCE_ANY *seq;
	const ASN1_TYPE *t;
	const unsigned char *p = der;
	bool ok = false;

	if ((seq = d2i_ASN1_SEQUENCE_ANY(NULL, &p, len)) == NULL)
		return false;
	if (sk_ASN1_TYPE_num(seq) > 0) {
		t = sk_ASN1_TYPE_value(seq, 0);
		ok = t->type == V_ASN1_INTEGER &&
		    ASN1_INTEGER_get(t->value.integer) == want;
	}
	sk_ASN1_TYPE_pop_free(seq, ASN1_TYPE_free);
	return ok;
}

/*
 * The SignedData inside ContentInfo ci, as DER: ASN1_ANY keeps the
 * [0] EXPLICIT field whole, so ASN1_get_object steps through its tag.
 * The result points into ci and lives as long as it does.
 */
static bool
signed_data_der(const ASN1_SEQUENCE_ANY *ci, const unsigned char **sd,
		long *sdlen)
{
	const ASN1_TYPE *t;
	const unsigned char *q;
	int tag, xclass;

	if (sk_ASN1_TYPE_num(ci) != 2)
		return false;
	t = sk_ASN1_TYPE_value(ci, 1);
	if (t->type != V_ASN1_OTHER)
		return false;
	q = ASN1_STRING_get0_data(t->value.asn1_string);
	if (ASN1_get_object(&q, sdlen, &tag, &xclass,
			    ASN1_STRING_length(t->value.asn1_string)) != 0x20 ||
	    tag != 0 || xclass != V_ASN1_CONTEXT_SPECIFIC)
		return false;
	*sd = q;
	return true;
}

/*
 * RFC 6488 s.2.1: SignedData version 3, one digestAlgorithm (SHA-256), and
 * SignerInfo version 3. The digestAlgorithms SET, like the versions, is
 * not reachable through OpenSSL's CMS API.
 */
static bool
cms_shape_valid(const char *uri, const unsigned char *der, size_t len)
{
	ASN1_SEQUENCE_ANY *ci, *sd = NULL, *set = NULL;
	X509_ALGOR *alg = NULL;
	const ASN1_TYPE *t;
	const unsigned char *sdp, *p;
	long sdlen;
	int ptype;
	const ASN1_OBJECT *obj;
	bool ok = false;

	p = der;
	if ((ci = d2i_ASN1_SEQUENCE_ANY(NULL, &p, (long)len)) == NULL)
		return false;
	if (!signed_data_der(ci, &sdp, &sdlen) ||
	    !seq_version(sdp, sdlen, SIGNED_DATA_VERSION)) {
		log_warnx("%s: SignedData version is not 3 (RFC 6488 s.2.1.1)",
			  uri);
		goto out;
	}
	p = sdp;
	if ((sd = d2i_ASN1_SEQUENCE_ANY(NULL, &p, sdlen)) == NULL ||
	    sk_ASN1_TYPE_num(sd) < 4)
		goto bad_digest;
	t = sk_ASN1_TYPE_value(sd, 1);
	if (t->type != V_ASN1_SET)
		goto bad_digest;
	p = ASN1_STRING_get0_data(t->value.set);
	if ((set = d2i_ASN1_SET_ANY(NULL, &p,
				    ASN1_STRING_length(t->value.set))) ==
		NULL ||
	    sk_ASN1_TYPE_num(set) != 1 ||
	    sk_ASN1_TYPE_value(set, 0)->type != V_ASN1_SEQUENCE)
		goto bad_digest;
	t = sk_ASN1_TYPE_value(set, 0);
	p = ASN1_STRING_get0_data(t->value.sequence);
	if ((alg = d2i_X509_ALGOR(NULL, &p,
				  ASN1_STRING_length(t->value.sequence))) ==
	    NULL)
		goto bad_digest;
	X509_ALGOR_get0(&obj, &ptype, NULL, alg);
	if (OBJ_obj2nid(obj) != NID_sha256 ||
	    (ptype != V_ASN1_UNDEF && ptype != V_ASN1_NULL))
		goto bad_digest;

	/* signerInfos is the last field: a SET holding one SignerInfo. */
	sk_ASN1_TYPE_pop_free(set, ASN1_TYPE_free);
	set = NULL;
	t = sk_ASN1_TYPE_value(sd, sk_ASN1_TYPE_num(sd) - 1);
	if (t->type != V_ASN1_SET)
		goto bad_signer;
	p = ASN1_STRING_get0_data(t->value.set);
	if ((set = d2i_ASN1_SET_ANY(NULL, &p,
				    ASN1_STRING_length(t->value.set))) ==
		NULL ||
	    sk_ASN1_TYPE_num(set) != 1 ||
	    sk_ASN1_TYPE_value(set, 0)->type != V_ASN1_SEQUENCE)
		goto bad_signer;
	t = sk_ASN1_TYPE_value(set, 0);
	if (!seq_version(ASN1_STRING_get0_data(t->value.sequence),
			 ASN1_STRING_length(t->value.sequence),
			 SIGNER_INFO_VERSION))
		goto bad_signer;
	ok = true;
	goto out;

bad_digest:
	log_warnx("%s: SignedData digestAlgorithms must be exactly SHA-256 "
		  "(RFC 6488 s.2.1.2, RFC 7935 s.2)",
		  uri);
	goto out;
bad_signer:
	log_warnx("%s: SignedData must hold one SignerInfo of version 3 "
		  "(RFC 6488 s.2.1.6, s.2.1.6.1)",
		  uri);
out:
	X509_ALGOR_free(alg);
	sk_ASN1_TYPE_pop_free(set, ASN1_TYPE_free);
	sk_ASN1_TYPE_pop_free(sd, ASN1_TYPE_free);
	sk_ASN1_TYPE_pop_free(ci, ASN1_TYPE_free);
	return ok;
}

/* RFC 7935 s.2: parameters of an algorithm are NULL or absent. */
static bool
alg_is(const X509_ALGOR *alg, int nid1, int nid2)
{
	const ASN1_OBJECT *obj;
	int nid, ptype;

	if (alg == NULL)
		return false;
	X509_ALGOR_get0(&obj, &ptype, NULL, alg);
	nid = OBJ_obj2nid(obj);
	return (nid == nid1 || nid == nid2) &&
	    (ptype == V_ASN1_UNDEF || ptype == V_ASN1_NULL);
}

/* RFC 5652 s.11.3 as narrowed by RFC 5280 s.4.1.2.5 (RFC 9589 s.4). */
static bool
signing_time(const ASN1_TYPE *v, time_t *out)
{
	struct tm tm;

	if (v->type != V_ASN1_UTCTIME && v->type != V_ASN1_GENERALIZEDTIME)
		return false;
	if (ASN1_TIME_to_tm(v->value.utctime, &tm) != 1)
		return false;
	*out = timegm(&tm);
	return true;
}

/*
 * RFC 6488 s.2.1.6.4 as updated by RFC 9589 s.4: content-type (equal to
 * eContentType), message-digest and signing-time, each once with one
 * value; nothing else, binary-signing-time included.
 */
static bool
signed_attrs_valid(const char *uri, CMS_SignerInfo *si,
		   const ASN1_OBJECT *econtent_type, time_t *when)
{
	int i, n = CMS_signed_get_attr_count(si);
	bool seen_type = false, seen_digest = false, seen_time = false;

	if (n != NUM_SIGNED_ATTRS)
		goto bad;
	for (i = 0; i < n; i++) {
		X509_ATTRIBUTE *attr = CMS_signed_get_attr(si, i);
		const ASN1_TYPE *v;

		if (X509_ATTRIBUTE_count(attr) != 1)
			goto bad;
		v = X509_ATTRIBUTE_get0_type(attr, 0);
		switch (OBJ_obj2nid(X509_ATTRIBUTE_get0_object(attr))) {
		case NID_pkcs9_contentType:
			if (seen_type || v->type != V_ASN1_OBJECT)
				goto bad;
			if (OBJ_cmp(v->value.object, econtent_type) != 0) {
				log_warnx("%s: content-type attribute differs "
					  "from eContentType (RFC 6488 "
					  "s.2.1.6.4.1)",
					  uri);
				return false;
			}
			seen_type = true;
			break;
		case NID_pkcs9_messageDigest:
			if (seen_digest || v->type != V_ASN1_OCTET_STRING)
				goto bad;
			seen_digest = true;
			break;
		case NID_pkcs9_signingTime:
			if (seen_time || !signing_time(v, when))
				goto bad;
			seen_time = true;
			break;
		default:
			goto bad;
		}
	}
	if (seen_type && seen_digest && seen_time &&
	    CMS_unsigned_get_attr_count(si) < 0)
		return true;
bad:
	log_warnx("%s: signed attributes must be exactly content-type, "
		  "message-digest and signing-time, once each, and no "
		  "unsigned attributes (RFC 6488 s.2.1.6.4, RFC 9589 s.4)",
		  uri);
	return false;
}

/* RFC 6488 s.2.1.3-2.1.5: eContent of want, one certificate, no CRLs. */
static bool
cms_contents_valid(const char *uri, CMS_ContentInfo *cms,
		   const ASN1_OBJECT *want, X509 **ee)
{
	STACK_OF(X509) *certs = NULL;
	STACK_OF(X509_CRL) * crls;
	ASN1_OCTET_STRING **content;
	bool ok = false;

	if (OBJ_obj2nid(CMS_get0_type(cms)) != NID_pkcs7_signed) {
		log_warnx("%s: not a CMS SignedData (RFC 6488 s.2)", uri);
		return false;
	}
	if (OBJ_cmp(CMS_get0_eContentType(cms), want) != 0) {
		log_warnx("%s: wrong eContentType for this kind of object "
			  "(RFC 6488 s.2.1.3.1)",
			  uri);
		return false;
	}
	content = CMS_get0_content(cms);
	if (content == NULL || *content == NULL) {
		log_warnx("%s: eContent is absent (RFC 6488 s.2.1.3.2)", uri);
		return false;
	}
	if ((crls = CMS_get1_crls(cms)) != NULL) {
		sk_X509_CRL_pop_free(crls, X509_CRL_free);
		log_warnx("%s: SignedData carries CRLs (RFC 6488 s.2.1.5)",
			  uri);
		return false;
	}
	certs = CMS_get1_certs(cms);
	if (certs == NULL || sk_X509_num(certs) != 1) {
		log_warnx("%s: SignedData must carry exactly one certificate "
			  "(RFC 6488 s.2.1.4)",
			  uri);
		goto out;
	}
	*ee = sk_X509_value(certs, 0);
	X509_up_ref(*ee);
	ok = true;
out:
	sk_X509_pop_free(certs, X509_free);
	return ok;
}

/* RFC 6488 s.2.1.6: the signer, named by the EE's SKI, and its algorithms. */
static bool
signer_valid(const char *uri, CMS_ContentInfo *cms, X509 *ee,
	     const ASN1_OBJECT *want, time_t *when)
{
	STACK_OF(CMS_SignerInfo) *sis = CMS_get0_SignerInfos(cms);
	CMS_SignerInfo *si;
	ASN1_OCTET_STRING *keyid = NULL;
	X509_ALGOR *dig = NULL, *sig = NULL;

	if (sis == NULL || sk_CMS_SignerInfo_num(sis) != 1) {
		log_warnx("%s: SignedData must hold one SignerInfo "
			  "(RFC 6488 s.2.1.6)",
			  uri);
		return false;
	}
	si = sk_CMS_SignerInfo_value(sis, 0);
	if (CMS_SignerInfo_get0_signer_id(si, &keyid, NULL, NULL) != 1 ||
	    keyid == NULL || CMS_SignerInfo_cert_cmp(si, ee) != 0) {
		log_warnx("%s: SignerInfo sid is not the EE certificate's "
			  "subjectKeyIdentifier (RFC 6488 s.2.1.6.2)",
			  uri);
		return false;
	}
	CMS_SignerInfo_get0_algs(si, NULL, NULL, &dig, &sig);
	if (!alg_is(dig, NID_sha256, NID_sha256)) {
		log_warnx("%s: SignerInfo digestAlgorithm is not SHA-256 "
			  "(RFC 6488 s.2.1.6.3, RFC 7935 s.2)",
			  uri);
		return false;
	}
	if (!alg_is(sig, NID_rsaEncryption, NID_sha256WithRSAEncryption)) {
		log_warnx("%s: SignerInfo signatureAlgorithm is not RSA "
			  "(RFC 6488 s.2.1.6.5, RFC 7935 s.2)",
			  uri);
		return false;
	}
	return signed_attrs_valid(uri, si, want, when);
}

/*
 * RFC 6488 s.3 item 1.l: DER only. Re-encoding the parsed object must give
 * back the input, which also rules out trailing bytes.
 */
static bool
cms_is_der(CMS_ContentInfo *cms, const unsigned char *der, size_t len)
{
	unsigned char *enc = NULL;
	int n = i2d_CMS_ContentInfo(cms, &enc);
	bool ok = n > 0 && (size_t)n == len && memcmp(enc, der, len) == 0;

	OPENSSL_free(enc);
	return ok;
}

struct signed_object *
cms_parse(const char *uri, const unsigned char *der, size_t len,
	  const char *want_oid)
{
	struct signed_object *so = NULL;
	CMS_ContentInfo *cms = NULL;
	ASN1_OBJECT *want = NULL;
	ASN1_OCTET_STRING **content;
	const unsigned char *p = der;
	X509 *ee = NULL;
	time_t when = 0;

	if (len == 0) {
		log_warnx("%s: signed object is empty, not a CMS ContentInfo "
			  "(RFC 6488 s.2)",
			  uri);
		return NULL;
	}
	if (len > rp_limits.object_size) {
		log_warnx("%s: signed object is larger than %zu bytes "
			  "(local limit)",
			  uri, rp_limits.object_size);
		return NULL;
	}
	if ((want = OBJ_txt2obj(want_oid, 1)) == NULL)
		return NULL;
	if ((cms = d2i_CMS_ContentInfo(NULL, &p, (long)len)) == NULL) {
		log_warnx("%s: not a CMS ContentInfo (RFC 6488 s.2)", uri);
		goto fail;
	}
	if (!cms_is_der(cms, der, len)) {
		log_warnx("%s: signed object is not DER or has trailing "
			  "bytes (RFC 6488 s.3)",
			  uri);
		goto fail;
	}
	if (!cms_shape_valid(uri, der, len) ||
	    !cms_contents_valid(uri, cms, want, &ee) ||
	    !signer_valid(uri, cms, ee, want, &when))
		goto fail;

	/* The EE is used as it is: whether it is trusted is validate.c's. */
	if (CMS_verify(cms, NULL, NULL, NULL, NULL,
		       CMS_NO_SIGNER_CERT_VERIFY | CMS_BINARY) != 1) {
		log_warnx("%s: CMS signature does not verify with the EE "
			  "certificate's key (RFC 6488 s.3 item 2)",
			  uri);
		goto fail;
	}

	content = CMS_get0_content(cms);
	if ((so = calloc(1, sizeof(*so))) == NULL)
		goto fail;
	so->content_len = (size_t)ASN1_STRING_length(*content);
	if ((so->content = malloc(so->content_len + 1)) == NULL) {
		free(so);
		so = NULL;
		goto fail;
	}
	memcpy(so->content, ASN1_STRING_get0_data(*content), so->content_len);
	so->ee = ee;
	ee = NULL;
	so->signing_time = when;
fail:
	X509_free(ee);
	CMS_ContentInfo_free(cms);
	ASN1_OBJECT_free(want);
	ERR_clear_error();
	return so;
}

void
signed_object_free(struct signed_object *so)
{
	if (so == NULL)
		return;
	X509_free(so->ee);
	free(so->content);
	free(so);
}
