/*
 * The signed-object envelope (rp/cms.c): every fixture object passes, and
 * each RFC 6488 rule is proven by an object that breaks only that rule.
 * The broken objects are signed here with OpenSSL's CMS_sign, varying one
 * option at a time from a signing that passes.
 */
#include "config.h"

#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/cms.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "derbuild.h"
#include "rp/cms.h"
#include "rp/rsakeys.h"
#include "testdata.h"

#define OID_ROA	 "1.2.840.113549.1.9.16.1.24"
#define OID_MFT	 "1.2.840.113549.1.9.16.1.26"
#define OID_ASPA "1.2.840.113549.1.9.16.1.49"

static EVP_PKEY *key;
static X509 *ee, *other;

static X509 *
make_cert(EVP_PKEY *k, long serial)
{
	X509 *x = X509_new();
	X509V3_CTX ctx;
	X509_EXTENSION *ext;

	if (x == NULL)
		return NULL;
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
	X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_ASC,
				   (const unsigned char *)"cms-test", -1, -1,
				   0);
	X509_set_issuer_name(x, X509_get_subject_name(x));
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600);
	X509_set_pubkey(x, k);
	X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
	ext =
	    X509V3_EXT_conf_nid(NULL, &ctx, NID_subject_key_identifier, "hash");
	X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	if (X509_sign(x, k, EVP_sha256()) <= 0) {
		X509_free(x);
		return NULL;
	}
	return x;
}

/* Before srunner_run_all, so the forked tests inherit key and certs. */
static bool
setup(void)
{
	if ((key = EVP_RSA_gen(2048)) == NULL)
		return false;
	ee = make_cert(key, 1);
	other = make_cert(key, 2);
	return ee != NULL && other != NULL;
}

static void
teardown(void)
{
	X509_free(other);
	X509_free(ee);
	EVP_PKEY_free(key);
}

enum variant {
	V_GOOD,
	V_ISSUER_SERIAL,
	V_SHA1,
	V_NO_CERT,
	V_TWO_CERTS,
	V_CRL,
	V_DETACHED,
	V_EXTRA_ATTR,
	V_BINARY_SIGNING_TIME,
	V_UNSIGNED_ATTR,
	V_TWO_SIGNERS,
};

/* Signs content as an RPKI object of type oid, broken as v says. */
static unsigned char *
sign(enum variant v, const char *oid, size_t *len)
{
	static const unsigned char content[] = {0x30, 0x03, 0x02, 0x01, 0x07};
	unsigned int flags = CMS_BINARY | CMS_PARTIAL | CMS_NOSMIMECAP;
	BIO *in = BIO_new_mem_buf(content, sizeof(content));
	CMS_ContentInfo *cms;
	CMS_SignerInfo *si;
	unsigned char *der = NULL;
	int n;

	if (v != V_ISSUER_SERIAL)
		flags |= CMS_USE_KEYID;
	if (v == V_NO_CERT)
		flags |= CMS_NOCERTS;
	cms = CMS_sign(NULL, NULL, NULL, NULL, flags);
	ck_assert_ptr_nonnull(cms);
	ck_assert_int_eq(CMS_set1_eContentType(cms, OBJ_txt2obj(oid, 1)), 1);
	si = CMS_add1_signer(cms, ee, key,
			     v == V_SHA1 ? EVP_sha1() : EVP_sha256(), flags);
	ck_assert_ptr_nonnull(si);
	if (v == V_TWO_SIGNERS)
		ck_assert_ptr_nonnull(
		    CMS_add1_signer(cms, other, key, EVP_sha256(), flags));
	if (v == V_TWO_CERTS)
		ck_assert_int_eq(CMS_add1_cert(cms, other), 1);
	if (v == V_CRL) {
		X509_CRL *crl = X509_CRL_new();

		X509_CRL_set_issuer_name(crl, X509_get_subject_name(ee));
		X509_CRL_sign(crl, key, EVP_sha256());
		ck_assert_int_eq(CMS_add1_crl(cms, crl), 1);
		X509_CRL_free(crl);
	}
	if (v == V_EXTRA_ATTR)
		CMS_signed_add1_attr_by_NID(si, NID_pkcs9_emailAddress,
					    V_ASN1_IA5STRING, "a@b", -1);
	if (v == V_BINARY_SIGNING_TIME)
		CMS_signed_add1_attr_by_txt(si, "1.2.840.113549.1.9.16.2.46",
					    V_ASN1_INTEGER, "\x01", 1);
	if (v == V_DETACHED)
		CMS_set_detached(cms, 1);
	ck_assert_int_eq(CMS_final(cms, in, NULL, flags), 1);
	if (v == V_UNSIGNED_ATTR)
		CMS_unsigned_add1_attr_by_NID(si, NID_pkcs9_emailAddress,
					      V_ASN1_IA5STRING, "a@b", -1);
	n = i2d_CMS_ContentInfo(cms, &der);
	ck_assert_int_gt(n, 0);
	*len = (size_t)n;
	CMS_ContentInfo_free(cms);
	BIO_free(in);
	return der;
}

static bool
parses(enum variant v, const char *sign_oid, const char *want_oid)
{
	size_t len;
	unsigned char *der = sign(v, sign_oid, &len);
	struct signed_object *so = cms_parse("test.roa", der, len, want_oid);
	bool ok = so != NULL;

	if (so != NULL) {
		ck_assert_uint_eq(so->content_len, 5);
		ck_assert_int_eq(so->content[4], 7);
		ck_assert_int_eq(X509_cmp(so->ee, ee), 0);
	}
	signed_object_free(so);
	OPENSSL_free(der);
	return ok;
}

START_TEST(test_cms_rpki_profile_accepted)
{
	ck_assert(parses(V_GOOD, OID_ROA, OID_ROA));
}
END_TEST

START_TEST(test_cms_wrong_econtent_type_rejected)
{
	ck_assert(!parses(V_GOOD, OID_MFT, OID_ROA));
}
END_TEST

START_TEST(test_cms_issuer_serial_sid_rejected)
{
	ck_assert(!parses(V_ISSUER_SERIAL, OID_ROA, OID_ROA));
}
END_TEST

START_TEST(test_cms_sha1_digest_rejected)
{
	ck_assert(!parses(V_SHA1, OID_ROA, OID_ROA));
}
END_TEST

START_TEST(test_cms_no_certificate_rejected)
{
	ck_assert(!parses(V_NO_CERT, OID_ROA, OID_ROA));
}
END_TEST

START_TEST(test_cms_two_certificates_rejected)
{
	ck_assert(!parses(V_TWO_CERTS, OID_ROA, OID_ROA));
}
END_TEST

START_TEST(test_cms_crls_rejected)
{
	ck_assert(!parses(V_CRL, OID_ROA, OID_ROA));
}
END_TEST

START_TEST(test_cms_absent_econtent_rejected)
{
	ck_assert(!parses(V_DETACHED, OID_ROA, OID_ROA));
}
END_TEST

START_TEST(test_cms_extra_signed_attribute_rejected)
{
	ck_assert(!parses(V_EXTRA_ATTR, OID_ROA, OID_ROA));
}
END_TEST

START_TEST(test_cms_binary_signing_time_rejected)
{
	ck_assert(!parses(V_BINARY_SIGNING_TIME, OID_ROA, OID_ROA));
}
END_TEST

START_TEST(test_cms_unsigned_attribute_rejected)
{
	ck_assert(!parses(V_UNSIGNED_ATTR, OID_ROA, OID_ROA));
}
END_TEST

START_TEST(test_cms_two_signers_rejected)
{
	ck_assert(!parses(V_TWO_SIGNERS, OID_ROA, OID_ROA));
}
END_TEST

/* Flips one byte of the signature (the last bytes of the object). */
START_TEST(test_cms_bad_signature_rejected)
{
	size_t len;
	unsigned char *der = sign(V_GOOD, OID_ROA, &len);

	der[len - 5] ^= 0x01;
	ck_assert_ptr_null(cms_parse("test.roa", der, len, OID_ROA));
	OPENSSL_free(der);
}
END_TEST

START_TEST(test_cms_trailing_byte_rejected)
{
	size_t len;
	unsigned char *der = sign(V_GOOD, OID_ROA, &len);
	unsigned char *longer = malloc(len + 1);

	memcpy(longer, der, len);
	longer[len] = 0;
	ck_assert_ptr_null(cms_parse("test.roa", longer, len + 1, OID_ROA));
	ck_assert_ptr_null(cms_parse("test.roa", der, len - 1, OID_ROA));
	free(longer);
	OPENSSL_free(der);
}
END_TEST

START_TEST(test_cms_one_nul_byte_rejected)
{
	static const unsigned char nul[1] = {0};

	ck_assert_ptr_null(cms_parse("nul.roa", nul, sizeof(nul), OID_ROA));
	ck_assert_ptr_null(cms_parse("empty.roa", nul, 0, OID_ROA));
}
END_TEST

/*
 * The same envelope built by hand (tests/derbuild.h), for what CMS_sign
 * cannot be asked to write: BER where RFC 6488 s.3 item 1.l wants DER, and
 * signed attributes of the wrong shape (FORT CVE-2024-45234, -45236,
 * -45239; Routinator CVE-2023-39915). Each object is signed over what
 * RFC 5652 s.5.4 says is signed, or over the BER as sent, as noted.
 */
#define URI "rsync://rpki.example.net/repo/ca/test.roa"

#define TAG_NULL		 0x05
#define TAG_UTC_TIME		 0x17
#define TAG_SET			 0x31
#define TAG_OCTET_STRING_CONS	 0x24
#define TAG_IMPLICIT_0_PRIMITIVE 0x80

static const unsigned char CONTENT[] = {0x30, 0x03, 0x02, 0x01, 0x07};
static const unsigned char DER_SIGNED_DATA[] = {0x06, 0x09, 0x2a, 0x86,
						0x48, 0x86, 0xf7, 0x0d,
						0x01, 0x07, 0x02};
static const unsigned char DER_SHA256[] = {0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
					   0x65, 0x03, 0x04, 0x02, 0x01};
static const unsigned char DER_RSA[] = {0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
					0xf7, 0x0d, 0x01, 0x01, 0x01};
static const unsigned char DER_ROA[] = {0x06, 0x0b, 0x2a, 0x86, 0x48,
					0x86, 0xf7, 0x0d, 0x01, 0x09,
					0x10, 0x01, 0x18};
static const unsigned char DER_CONTENT_TYPE[] = {0x06, 0x09, 0x2a, 0x86,
						 0x48, 0x86, 0xf7, 0x0d,
						 0x01, 0x09, 0x03};
static const unsigned char DER_MESSAGE_DIGEST[] = {0x06, 0x09, 0x2a, 0x86,
						   0x48, 0x86, 0xf7, 0x0d,
						   0x01, 0x09, 0x04};
static const unsigned char DER_SIGNING_TIME[] = {0x06, 0x09, 0x2a, 0x86,
						 0x48, 0x86, 0xf7, 0x0d,
						 0x01, 0x09, 0x05};

enum shape {
	S_GOOD,
	S_ATTRS_LONG_LENGTH,	    /* an attribute's length in long form */
	S_ATTRS_LONG_LENGTH_SIGNED, /* the same, signed as sent */
	S_ATTRS_INDEFINITE,	    /* signedAttrs of indefinite length */
	S_ATTRS_UNSORTED,	    /* the SET OF not in DER order, signed so */
	S_ATTRS_EMPTY,		    /* signedAttrs a SET of nothing */
	S_ATTRS_ABSENT,		    /* no signedAttrs: content signed */
	S_ATTR_NO_VALUE,	    /* signing-time with an empty SET */
	S_ATTR_TWO_VALUES,	    /* signing-time with two values */
	S_ECONTENT_CONSTRUCTED,	    /* eContent as BER constructed string */
	S_INDEFINITE,		    /* the ContentInfo of indefinite length */
	S_LONG_LENGTH,		    /* SignedData's length in 3 octets */
};

static struct der
der_copy(struct der d)
{
	return der_bytes(d.d, d.n);
}

/* tag, the length in long form even when short (BER, not DER), content. */
static struct der
ber_tlv_long(unsigned char tag, struct der content)
{
	unsigned char hdr[3] = {tag, 0x81, (unsigned char)content.n};

	ck_assert_uint_lt(content.n, 256);
	return der_cat(der_bytes(hdr, sizeof(hdr)), content);
}

/* tag, the length in one more octet than DER's (a leading zero octet). */
static struct der
ber_tlv_padded(unsigned char tag, struct der content)
{
	unsigned char hdr[5] = {tag, 0x83, 0, (unsigned char)(content.n >> 8),
				(unsigned char)content.n};

	ck_assert_uint_lt(content.n, 65536);
	return der_cat(der_bytes(hdr, sizeof(hdr)), content);
}

/* tag | constructed, indefinite length, content, end-of-contents. */
static struct der
ber_tlv_indefinite(unsigned char tag, struct der content)
{
	unsigned char hdr[2] = {(unsigned char)(tag | 0x20), 0x80};
	static const unsigned char eoc[2] = {0, 0};

	return der_cat(der_cat(der_bytes(hdr, sizeof(hdr)), content),
		       der_bytes(eoc, sizeof(eoc)));
}

static struct der
attr(const unsigned char *oid, size_t oidlen, struct der values)
{
	return der_tlv(TAG_SEQUENCE,
		       der_cat(der_bytes(oid, oidlen),
			       der_tlv(TAG_SET, values)));
}

static struct der
utc_time(const char *t)
{
	return der_tlv(TAG_UTC_TIME, der_bytes(t, strlen(t)));
}

/* X.690 s.11.6: a SET OF in DER is sorted by its elements' encodings. */
static int
der_cmp(const void *a, const void *b)
{
	const struct der *x = a, *y = b;
	int c = memcmp(x->d, y->d, x->n < y->n ? x->n : y->n);

	return c != 0 ? c : (x->n > y->n) - (x->n < y->n);
}

/*
 * The three attributes of RFC 9589 s.4 as s shapes them, concatenated in
 * DER order (reversed for S_ATTRS_UNSORTED) into *sent; *der gets them in
 * DER order whatever s says.
 */
static void
signed_attrs(enum shape s, struct der *sent, struct der *der)
{
	unsigned char md[SHA256_DIGEST_LENGTH];
	struct der a[3], times;
	size_t i;

	SHA256(CONTENT, sizeof(CONTENT), md);
	times = s == S_ATTR_NO_VALUE ? der_empty() : utc_time("250101000000Z");
	if (s == S_ATTR_TWO_VALUES)
		times = der_cat(times, utc_time("250102000000Z"));
	a[0] = attr(DER_CONTENT_TYPE, sizeof(DER_CONTENT_TYPE),
		    der_bytes(DER_ROA, sizeof(DER_ROA)));
	a[1] = attr(DER_MESSAGE_DIGEST, sizeof(DER_MESSAGE_DIGEST),
		    der_tlv(TAG_OCTET_STRING, der_bytes(md, sizeof(md))));
	a[2] = attr(DER_SIGNING_TIME, sizeof(DER_SIGNING_TIME), times);
	qsort(a, 3, sizeof(a[0]), der_cmp);
	*der = der_empty();
	*sent = der_empty();
	for (i = 0; i < 3; i++) {
		*der = der_cat(*der, der_copy(a[i]));
		if (s == S_ATTRS_UNSORTED)
			*sent = der_cat(*sent, der_copy(a[2 - i]));
		else if (s == S_ATTRS_LONG_LENGTH ||
			 s == S_ATTRS_LONG_LENGTH_SIGNED) {
			/* The first attribute's header made long. */
			struct der body = der_bytes(a[i].d + 2, a[i].n - 2);

			*sent =
			    der_cat(*sent,
				    i == 0 ? ber_tlv_long(TAG_SEQUENCE, body)
					   : der_tlv(TAG_SEQUENCE, body));
		} else
			*sent = der_cat(*sent, der_copy(a[i]));
	}
	for (i = 0; i < 3; i++)
		der_free(a[i]);
}

static struct der
rsa_signature(struct der msg)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	size_t n = 0;
	struct der sig;

	ck_assert_ptr_nonnull(ctx);
	ck_assert_int_eq(EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL, key),
			 1);
	ck_assert_int_eq(EVP_DigestSign(ctx, NULL, &n, msg.d, msg.n), 1);
	sig = der_bytes(NULL, 0);
	sig.d = realloc(sig.d, n);
	ck_assert_ptr_nonnull(sig.d);
	ck_assert_int_eq(EVP_DigestSign(ctx, sig.d, &n, msg.d, msg.n), 1);
	sig.n = sig.cap = n;
	EVP_MD_CTX_free(ctx);
	der_free(msg);
	return sig;
}

/* SignerInfo (RFC 6488 s.2.1.6) with signedAttrs as s says. */
static struct der
signer_info(enum shape s)
{
	const ASN1_OCTET_STRING *ski = X509_get0_subject_key_id(ee);
	struct der sent, der, attrs, tbs, si;

	ck_assert_ptr_nonnull(ski);
	signed_attrs(s, &sent, &der);
	switch (s) {
	case S_ATTRS_EMPTY:
		der_free(sent);
		der_free(der);
		attrs = der_tlv(TAG_EXPLICIT_0, der_empty());
		tbs = der_tlv(TAG_SET, der_empty());
		break;
	case S_ATTRS_ABSENT:
		der_free(sent);
		der_free(der);
		attrs = der_empty();
		tbs = der_bytes(CONTENT, sizeof(CONTENT));
		break;
	case S_ATTRS_INDEFINITE:
		attrs = ber_tlv_indefinite(TAG_EXPLICIT_0, sent);
		tbs = der_tlv(TAG_SET, der);
		break;
	case S_ATTRS_LONG_LENGTH_SIGNED:
	case S_ATTRS_UNSORTED:
		der_free(der);
		tbs = der_tlv(TAG_SET, der_copy(sent));
		attrs = der_tlv(TAG_EXPLICIT_0, sent);
		break;
	default:
		/* RFC 5652 s.5.4: the signature covers the DER, tagged SET. */
		attrs = der_tlv(TAG_EXPLICIT_0, sent);
		tbs = der_tlv(TAG_SET, der);
		break;
	}
	si = der_int(3);
	si = der_cat(si,
		     der_tlv(TAG_IMPLICIT_0_PRIMITIVE,
			     der_bytes(ASN1_STRING_get0_data(ski),
				       (size_t)ASN1_STRING_length(ski))));
	si = der_cat(si,
		     der_tlv(TAG_SEQUENCE,
			     der_bytes(DER_SHA256, sizeof(DER_SHA256))));
	si = der_cat(si, attrs);
	si = der_cat(si,
		     der_tlv(TAG_SEQUENCE,
			     der_cat(der_bytes(DER_RSA, sizeof(DER_RSA)),
				     der_tlv(TAG_NULL, der_empty()))));
	si = der_cat(si, der_tlv(TAG_OCTET_STRING, rsa_signature(tbs)));
	return der_tlv(TAG_SEQUENCE, si);
}

/* A ROA's envelope around CONTENT, signed by ee's key, shaped as s says. */
static struct der
build(enum shape s)
{
	unsigned char *cert = NULL;
	int certlen = i2d_X509(ee, &cert);
	struct der econtent, sd;

	ck_assert_int_gt(certlen, 0);
	if (s == S_ECONTENT_CONSTRUCTED)
		econtent =
		    der_tlv(TAG_OCTET_STRING_CONS,
			    der_cat(der_tlv(TAG_OCTET_STRING,
					    der_bytes(CONTENT, 2)),
				    der_tlv(TAG_OCTET_STRING,
					    der_bytes(CONTENT + 2,
						      sizeof(CONTENT) - 2))));
	else
		econtent = der_tlv(TAG_OCTET_STRING,
				   der_bytes(CONTENT, sizeof(CONTENT)));
	sd = der_int(3);
	sd = der_cat(sd,
		     der_tlv(TAG_SET,
			     der_tlv(TAG_SEQUENCE,
				     der_bytes(DER_SHA256,
					       sizeof(DER_SHA256)))));
	sd = der_cat(sd,
		     der_tlv(TAG_SEQUENCE,
			     der_cat(der_bytes(DER_ROA, sizeof(DER_ROA)),
				     der_tlv(TAG_EXPLICIT_0, econtent))));
	sd = der_cat(sd,
		     der_tlv(TAG_EXPLICIT_0, der_bytes(cert, (size_t)certlen)));
	sd = der_cat(sd, der_tlv(TAG_SET, signer_info(s)));
	OPENSSL_free(cert);
	sd = s == S_LONG_LENGTH ? ber_tlv_padded(TAG_SEQUENCE, sd)
				: der_tlv(TAG_SEQUENCE, sd);
	sd = der_cat(der_bytes(DER_SIGNED_DATA, sizeof(DER_SIGNED_DATA)),
		     der_tlv(TAG_EXPLICIT_0, sd));
	if (s == S_INDEFINITE)
		return ber_tlv_indefinite(TAG_SEQUENCE, sd);
	return der_tlv(TAG_SEQUENCE, sd);
}

/*
 * Whether OpenSSL, which re-encodes the signed attributes in DER before
 * it checks the signature, finds it good: then only the encoding is wrong.
 */
static bool
openssl_verifies(struct der d)
{
	const unsigned char *p = d.d;
	CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &p, (long)d.n);
	bool ok;

	ck_assert_ptr_nonnull(cms);
	ok = CMS_verify(cms, NULL, NULL, NULL, NULL,
			CMS_NO_SIGNER_CERT_VERIFY | CMS_BINARY) == 1;
	CMS_ContentInfo_free(cms);
	return ok;
}

/* cms_parse() must refuse the object s shapes, in one line saying why. */
static void
reject_shape(enum shape s, const char *why)
{
	struct der d = build(s);
	struct signed_object *so;
	struct testlog cap;
	char *log;

	testlog_start(&cap);
	so = cms_parse(URI, d.d, d.n, OID_ROA);
	log = testlog_stop(&cap);
	ck_assert_ptr_null(so);
	testlog_assert_one_line(log, URI, why);
	free(log);
	der_free(d);
}

#define NOT_DER "signed object is not DER or has trailing bytes (RFC 6488 s.3)"

/* The hand-built envelope is a good one: what the others change matters. */
START_TEST(test_cms_hand_built_der_accepted)
{
	struct der d = build(S_GOOD);
	struct signed_object *so = cms_parse(URI, d.d, d.n, OID_ROA);

	ck_assert_ptr_nonnull(so);
	ck_assert_uint_eq(so->content_len, sizeof(CONTENT));
	ck_assert_int_eq(so->signing_time, 1735689600);
	signed_object_free(so);
	der_free(d);
}
END_TEST

/*
 * RFC 6488 s.3 item 1.l: BER in signedAttrs, signed in DER as RFC 5652
 * s.5.4 says, so the signature is good and only the encoding is wrong.
 */
START_TEST(test_cms_signed_attrs_long_form_length_rejected)
{
	struct der d = build(S_ATTRS_LONG_LENGTH);

	ck_assert(openssl_verifies(d));
	der_free(d);
	reject_shape(S_ATTRS_LONG_LENGTH, NOT_DER);
}
END_TEST

/* The same BER, the signature made over it as sent. */
START_TEST(test_cms_signed_attrs_long_form_length_signed_as_sent_rejected)
{
	reject_shape(S_ATTRS_LONG_LENGTH_SIGNED, NOT_DER);
}
END_TEST

START_TEST(test_cms_signed_attrs_indefinite_length_rejected)
{
	struct der d = build(S_ATTRS_INDEFINITE);

	ck_assert(openssl_verifies(d));
	der_free(d);
	reject_shape(S_ATTRS_INDEFINITE, NOT_DER);
}
END_TEST

/*
 * X.690 s.11.6: DER sorts a SET OF. The signature is over the attributes
 * as sent, which is what OpenSSL verifies (it keeps their order), so only
 * the DER check can see the order.
 */
START_TEST(test_cms_signed_attrs_not_in_der_order_rejected)
{
	struct der d = build(S_ATTRS_UNSORTED);

	ck_assert(openssl_verifies(d));
	der_free(d);
	reject_shape(S_ATTRS_UNSORTED, NOT_DER);
}
END_TEST

#define ATTRS_RULE                                                             \
	"signed attributes must be exactly content-type, message-digest and "  \
	"signing-time, once each"

/* RFC 6488 s.2.1.6.4: signedAttrs present, with the three attributes. */
START_TEST(test_cms_empty_signed_attrs_rejected)
{
	reject_shape(S_ATTRS_EMPTY, ATTRS_RULE);
}
END_TEST

START_TEST(test_cms_absent_signed_attrs_rejected)
{
	reject_shape(S_ATTRS_ABSENT, ATTRS_RULE);
}
END_TEST

/* RFC 6488 s.2.1.6.4.3, RFC 9589 s.4: one value per attribute. */
START_TEST(test_cms_signed_attr_without_value_rejected)
{
	reject_shape(S_ATTR_NO_VALUE, ATTRS_RULE);
}
END_TEST

START_TEST(test_cms_signed_attr_with_two_values_rejected)
{
	reject_shape(S_ATTR_TWO_VALUES, ATTRS_RULE);
}
END_TEST

/* RFC 6488 s.3 item 1.l: a constructed OCTET STRING is BER only. */
START_TEST(test_cms_constructed_econtent_rejected)
{
	reject_shape(S_ECONTENT_CONSTRUCTED, NOT_DER);
}
END_TEST

START_TEST(test_cms_indefinite_length_rejected)
{
	reject_shape(S_INDEFINITE, NOT_DER);
}
END_TEST

START_TEST(test_cms_non_minimal_length_rejected)
{
	reject_shape(S_LONG_LENGTH, NOT_DER);
}
END_TEST

/* Every signed object the generator made parses with its own type. */
static void
all_parse(const char *suffix, const char *oid)
{
	size_t i, n;
	char **paths = testdata_find_all("good", suffix, NULL, &n);

	ck_assert_uint_gt(n, 0);
	for (i = 0; i < n; i++) {
		size_t len;
		unsigned char *der = testdata_read(paths[i], &len);
		struct signed_object *so = cms_parse(paths[i], der, len, oid);

		ck_assert_msg(so != NULL, "%s rejected", paths[i]);
		ck_assert_uint_gt(so->content_len, 0);
		ck_assert_int_gt(so->signing_time, 1500000000);
		signed_object_free(so);
		free(der);
		free(paths[i]);
	}
	free(paths);
}

START_TEST(test_cms_fixture_objects_accepted)
{
	all_parse(".roa", OID_ROA);
	all_parse(".mft", OID_MFT);
	all_parse(".asa", OID_ASPA);
}
END_TEST

/* The generator's roa-bad-signature case: exactly one ROA fails. */
START_TEST(test_cms_fixture_bad_signature_rejected)
{
	size_t i, n, bad = 0;
	char **paths = testdata_find_all("roa-bad-signature", ".roa", NULL, &n);

	for (i = 0; i < n; i++) {
		size_t len;
		unsigned char *der = testdata_read(paths[i], &len);
		struct signed_object *so =
		    cms_parse(paths[i], der, len, OID_ROA);

		bad += so == NULL;
		signed_object_free(so);
		free(der);
		free(paths[i]);
	}
	free(paths);
	ck_assert_uint_eq(bad, 1);
}
END_TEST

/* The same checks with RSA keys on rsakeys.c's direct path (as vrpd runs). */
static void
direct_keys(void)
{
	ck_assert(rsakeys_init());
}

static Suite *
cms_suite(void)
{
	Suite *s = suite_create("cms");
	TCase *tc = tcase_create("envelope");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_cms_rpki_profile_accepted);
	tcase_add_test(tc, test_cms_wrong_econtent_type_rejected);
	tcase_add_test(tc, test_cms_issuer_serial_sid_rejected);
	tcase_add_test(tc, test_cms_sha1_digest_rejected);
	tcase_add_test(tc, test_cms_no_certificate_rejected);
	tcase_add_test(tc, test_cms_two_certificates_rejected);
	tcase_add_test(tc, test_cms_crls_rejected);
	tcase_add_test(tc, test_cms_absent_econtent_rejected);
	tcase_add_test(tc, test_cms_extra_signed_attribute_rejected);
	tcase_add_test(tc, test_cms_binary_signing_time_rejected);
	tcase_add_test(tc, test_cms_unsigned_attribute_rejected);
	tcase_add_test(tc, test_cms_two_signers_rejected);
	tcase_add_test(tc, test_cms_bad_signature_rejected);
	tcase_add_test(tc, test_cms_trailing_byte_rejected);
	tcase_add_test(tc, test_cms_one_nul_byte_rejected);
	suite_add_tcase(s, tc);

	tc = tcase_create("encoding");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_cms_hand_built_der_accepted);
	tcase_add_test(tc, test_cms_signed_attrs_long_form_length_rejected);
	tcase_add_test(
	    tc, test_cms_signed_attrs_long_form_length_signed_as_sent_rejected);
	tcase_add_test(tc, test_cms_signed_attrs_indefinite_length_rejected);
	tcase_add_test(tc, test_cms_signed_attrs_not_in_der_order_rejected);
	tcase_add_test(tc, test_cms_empty_signed_attrs_rejected);
	tcase_add_test(tc, test_cms_absent_signed_attrs_rejected);
	tcase_add_test(tc, test_cms_signed_attr_without_value_rejected);
	tcase_add_test(tc, test_cms_signed_attr_with_two_values_rejected);
	tcase_add_test(tc, test_cms_constructed_econtent_rejected);
	tcase_add_test(tc, test_cms_indefinite_length_rejected);
	tcase_add_test(tc, test_cms_non_minimal_length_rejected);
	suite_add_tcase(s, tc);

	tc = tcase_create("fixtures");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_cms_fixture_objects_accepted);
	tcase_add_test(tc, test_cms_fixture_bad_signature_rejected);
	suite_add_tcase(s, tc);

	tc = tcase_create("direct_rsa_keys");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, direct_keys, NULL);
	tcase_add_test(tc, test_cms_rpki_profile_accepted);
	tcase_add_test(tc, test_cms_bad_signature_rejected);
	tcase_add_test(tc, test_cms_fixture_objects_accepted);
	tcase_add_test(tc, test_cms_fixture_bad_signature_rejected);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	if (!setup()) {
		fprintf(stderr, "check_cms: cannot make the test key\n");
		return EXIT_FAILURE;
	}
	sr = srunner_create(cms_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	teardown();
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
