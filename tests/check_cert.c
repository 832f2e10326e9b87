/*
 * Tests for rp/cert.c: each test proves one rule of the certificate
 * profile (RFC 6487 s.4, RFC 7935, RFC 8209, RFC 8630 s.3), and every
 * rejection test also checks that exactly one log line names the URI and
 * the rule.
 *
 * Malformed certificates are the fixture generator's good ones with one
 * thing changed through OpenSSL, then re-signed with a key made here:
 * cert_parse() does not verify signatures, so only the change matters.
 */
#include "config.h"

#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/cms.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "derbuild.h"
#include "rp/cert.h"
#include "rp/limits.h"
#include "rp/log.h"
#include "rp/tal.h"
#include "testdata.h"

#define URI "rsync://rpki.example.net/repo/test.cer"

/* sha256WithRSAEncryption, 1.2.840.113549.1.1.11, as DER. */
static const unsigned char SHA256_RSA_OID[] = {0x06, 0x09, 0x2a, 0x86,
					       0x48, 0x86, 0xf7, 0x0d,
					       0x01, 0x01, 0x0b};

/* Made once in main(), before Check forks the tests. */
static EVP_PKEY *sign_key;    /* RSA-2048: re-signs every changed cert */
static EVP_PKEY *ec256_key;   /* what RFC 8608 wants for routers */
static EVP_PKEY *ec384_key;   /* the wrong curve */
static EVP_PKEY *ec256_expl;  /* P-256, parameters spelt out */
static EVP_PKEY *ec256_compr; /* P-256, compressed point */

static X509 *
load_x509(const char *path)
{
	size_t len;
	unsigned char *der = testdata_read(path, &len);
	const unsigned char *p = der;
	X509 *x = d2i_X509(NULL, &p, (long)len);

	ck_assert_msg(x != NULL, "%s does not decode", path);
	free(der);
	return x;
}

/* The first certificate of the good case matching suffix and contains. */
static X509 *
fixture(const char *suffix, const char *contains)
{
	char *path = testdata_find("good", suffix, contains);
	X509 *x = load_x509(path);

	free(path);
	return x;
}

/* A TA's child: a CA with every extension RFC 6487 allows but EKU. */
static X509 *
fixture_ca(void)
{
	return fixture(".cer", "/repo0/ta1/");
}

static X509 *
fixture_ta(void)
{
	return fixture("ta1.cer", "/ta/");
}

static X509 *
fixture_router(void)
{
	return fixture(".cer", "/router-as");
}

/* The EE certificate inside a signed object file. */
static X509 *
ee_of_file(const char *path)
{
	BIO *bio = BIO_new_file(path, "rb");
	CMS_ContentInfo *cms;
	STACK_OF(X509) * certs;
	X509 *x;

	ck_assert_ptr_nonnull(bio);
	cms = d2i_CMS_bio(bio, NULL);
	ck_assert_msg(cms != NULL, "%s is not CMS", path);
	certs = CMS_get1_certs(cms);
	ck_assert_int_eq(sk_X509_num(certs), 1);
	x = sk_X509_value(certs, 0);
	ck_assert(X509_up_ref(x));
	sk_X509_pop_free(certs, X509_free);
	CMS_ContentInfo_free(cms);
	BIO_free(bio);
	return x;
}

static X509 *
fixture_ee(void)
{
	char *path = testdata_find("good", ".roa", NULL);
	X509 *x = ee_of_file(path);

	free(path);
	return x;
}

/* rsync://<path below $FIXTURES/<case>/rsync/>, as a validator names it. */
static char *
rsync_uri(const char *path)
{
	const char *rel = strstr(path, "/rsync/");
	char *uri;

	ck_assert_ptr_nonnull(rel);
	ck_assert_int_ge(asprintf(&uri, "rsync://%s", rel + strlen("/rsync/")),
			 0);
	return uri;
}

static unsigned char *
to_der(X509 *x, size_t *len)
{
	unsigned char *der = NULL;
	int n = i2d_X509(x, &der);

	ck_assert_int_gt(n, 0);
	*len = (size_t)n;
	return der;
}

static void
resign(X509 *x)
{
	ck_assert_int_gt(X509_sign(x, sign_key, EVP_sha256()), 0);
}

/*
 * Encodes x and hands it to cert_parse() (ee false) or, decoded afresh so
 * that no cached state of x leaks in, to cert_from_ee(), with the log
 * captured into *log.
 */
static struct cert *
parse_logged(X509 *x, bool ee, char **log)
{
	struct testlog cap;
	struct cert *c;
	size_t len;
	unsigned char *der = to_der(x, &len);
	const unsigned char *p = der;
	X509 *fresh = NULL;

	if (ee) {
		fresh = d2i_X509(NULL, &p, (long)len);
		ck_assert_ptr_nonnull(fresh);
	}
	testlog_start(&cap);
	c = ee ? cert_from_ee(URI, fresh) : cert_parse(URI, der, len);
	*log = testlog_stop(&cap);
	X509_free(fresh);
	OPENSSL_free(der);
	return c;
}

/* Re-signs x, which must then be rejected with one line containing why. */
static void
reject_as(X509 *x, bool ee, const char *why)
{
	char *log;
	struct cert *c;

	resign(x);
	c = parse_logged(x, ee, &log);
	ck_assert_ptr_null(c);
	testlog_assert_one_line(log, URI, why);
	free(log);
	X509_free(x);
}

static void
reject(X509 *x, const char *why)
{
	reject_as(x, false, why);
}

static void
reject_ee(X509 *x, const char *why)
{
	reject_as(x, true, why);
}

/* Re-signs x, which must be accepted without a word; the caller frees. */
static struct cert *
accept_as(X509 *x, bool ee)
{
	char *log;
	struct cert *c;

	resign(x);
	c = parse_logged(x, ee, &log);
	ck_assert_msg(c != NULL, "rejected: %s", log);
	ck_assert_str_eq(log, "");
	free(log);
	X509_free(x);
	return c;
}

static void
accept(X509 *x)
{
	cert_free(accept_as(x, false));
}

static void
accept_ee(X509 *x)
{
	cert_free(accept_as(x, true));
}

static int
ext_index(X509 *x, int nid)
{
	int i = X509_get_ext_by_NID(x, nid, -1);

	ck_assert_msg(i >= 0, "no extension %s", OBJ_nid2sn(nid));
	return i;
}

static void
ext_delete(X509 *x, int nid)
{
	X509_EXTENSION_free(X509_delete_ext(x, ext_index(x, nid)));
}

static void
ext_set_critical(X509 *x, int nid, int critical)
{
	ck_assert(
	    X509_EXTENSION_set_critical(X509_get_ext(x, ext_index(x, nid)),
					critical));
}

/* Puts ext in the place of the extension nid, or at the end. */
static void
ext_put(X509 *x, int nid, X509_EXTENSION *ext)
{
	int i = X509_get_ext_by_NID(x, nid, -1);

	ck_assert_ptr_nonnull(ext);
	if (i >= 0)
		X509_EXTENSION_free(X509_delete_ext(x, i));
	ck_assert(X509_add_ext(x, ext, i));
	X509_EXTENSION_free(ext);
}

/* Sets extension nid from OpenSSL's config syntax ("critical,CA:TRUE"). */
static void
ext_conf(X509 *x, int nid, const char *value)
{
	X509V3_CTX ctx;

	X509V3_set_ctx(&ctx, NULL, x, NULL, NULL, 0);
	ext_put(x, nid, X509V3_EXT_conf_nid(NULL, &ctx, nid, value));
}

/* Sets extension nid to the DER of value (an OpenSSL structure). */
static void
ext_set(X509 *x, int nid, void *value, int critical)
{
	ck_assert_int_eq(X509_add1_ext_i2d(x, nid, value, critical,
					   X509V3_ADD_REPLACE),
			 1);
}

/* Sets extension nid to raw content octets. */
static void
ext_raw(X509 *x, int nid, int critical, const void *content, size_t len)
{
	ASN1_OCTET_STRING *os = ASN1_OCTET_STRING_new();

	ck_assert_ptr_nonnull(os);
	ck_assert(ASN1_OCTET_STRING_set(os, content, (int)len));
	ext_put(x, nid, X509_EXTENSION_create_by_NID(NULL, nid, critical, os));
	ASN1_OCTET_STRING_free(os);
}

/* A new key for x; the SKI follows, so only the key itself is at issue. */
static void
set_key(X509 *x, EVP_PKEY *pkey)
{
	ck_assert(X509_set_pubkey(x, pkey));
	ext_conf(x, NID_subject_key_identifier, "hash");
}

static GENERAL_NAME *
uri_name_len(const char *uri, size_t len)
{
	GENERAL_NAME *gn = GENERAL_NAME_new();
	ASN1_IA5STRING *s = ASN1_IA5STRING_new();

	ck_assert_ptr_nonnull(gn);
	ck_assert_ptr_nonnull(s);
	ck_assert(ASN1_STRING_set(s, uri, (int)len));
	GENERAL_NAME_set0_value(gn, GEN_URI, s);
	return gn;
}

static GENERAL_NAME *
uri_name(const char *uri)
{
	return uri_name_len(uri, strlen(uri));
}

struct access {
	int nid;
	const char *uri;
};

/* An AIA or SIA value: the access descriptions in order. */
static AUTHORITY_INFO_ACCESS *
info_access(const struct access *a, size_t n)
{
	AUTHORITY_INFO_ACCESS *aia = sk_ACCESS_DESCRIPTION_new_null();
	size_t i;

	ck_assert_ptr_nonnull(aia);
	for (i = 0; i < n; i++) {
		ACCESS_DESCRIPTION *ad = ACCESS_DESCRIPTION_new();

		ck_assert_ptr_nonnull(ad);
		ASN1_OBJECT_free(ad->method);
		ad->method = OBJ_nid2obj(a[i].nid);
		GENERAL_NAME_free(ad->location);
		ad->location = uri_name(a[i].uri);
		ck_assert(sk_ACCESS_DESCRIPTION_push(aia, ad));
	}
	return aia;
}

static void
set_access(X509 *x, int nid, const struct access *a, size_t n)
{
	AUTHORITY_INFO_ACCESS *aia = info_access(a, n);

	ext_set(x, nid, aia, 0);
	AUTHORITY_INFO_ACCESS_free(aia);
}

#define SET_SIA(x, ...)                                                        \
	do {                                                                   \
		const struct access a_[] = {__VA_ARGS__};                      \
		set_access(x, NID_sinfo_access, a_,                            \
			   sizeof(a_) / sizeof(a_[0]));                        \
	} while (0)

#define SET_AIA(x, ...)                                                        \
	do {                                                                   \
		const struct access a_[] = {__VA_ARGS__};                      \
		set_access(x, NID_info_access, a_,                             \
			   sizeof(a_) / sizeof(a_[0]));                        \
	} while (0)

#define REPO	  "rsync://rpki.example.net/repo/ca/"
#define MFT	  REPO "ca.mft"
#define NOTIFY	  "https://rpki.example.net/rrdp/notification.xml"
#define CRL_URI	  "rsync://rpki.example.net/repo/parent/parent.crl"
#define CA_ISSUER "rsync://rpki.example.net/repo/parent.cer"

/* One DistributionPoint whose fullName holds uri (and uri2 if not NULL). */
static STACK_OF(DIST_POINT) * crldp(const char *uri, const char *uri2)
{
	STACK_OF(DIST_POINT) *dps = sk_DIST_POINT_new_null();
	DIST_POINT *dp = DIST_POINT_new();

	ck_assert_ptr_nonnull(dps);
	ck_assert_ptr_nonnull(dp);
	ck_assert_ptr_nonnull(dp->distpoint = DIST_POINT_NAME_new());
	dp->distpoint->type = 0;
	dp->distpoint->name.fullname = sk_GENERAL_NAME_new_null();
	ck_assert_ptr_nonnull(dp->distpoint->name.fullname);
	ck_assert(
	    sk_GENERAL_NAME_push(dp->distpoint->name.fullname, uri_name(uri)));
	if (uri2 != NULL)
		ck_assert(sk_GENERAL_NAME_push(dp->distpoint->name.fullname,
					       uri_name(uri2)));
	ck_assert(sk_DIST_POINT_push(dps, dp));
	return dps;
}

static void
set_crldp(X509 *x, STACK_OF(DIST_POINT) * dps)
{
	ext_set(x, NID_crl_distribution_points, dps, 0);
	sk_DIST_POINT_pop_free(dps, DIST_POINT_free);
}

static ASN1_INTEGER *
bn_integer(const char *hex, bool negative)
{
	BIGNUM *bn = NULL;
	ASN1_INTEGER *ai;

	ck_assert_int_gt(BN_hex2bn(&bn, hex), 0);
	BN_set_negative(bn, negative);
	ai = BN_to_ASN1_INTEGER(bn, NULL);
	ck_assert_ptr_nonnull(ai);
	BN_free(bn);
	return ai;
}

static void
set_serial(X509 *x, const char *hex, bool negative)
{
	ASN1_INTEGER *ai = bn_integer(hex, negative);

	ck_assert(X509_set_serialNumber(x, ai));
	ASN1_INTEGER_free(ai);
}

/* A time of the given ASN.1 type from its string ("20300101000000Z"). */
static void
set_time(X509 *x, bool not_after, const char *s)
{
	ASN1_TIME *t = ASN1_TIME_new();

	ck_assert_ptr_nonnull(t);
	if (strlen(s) == 13)
		ck_assert(ASN1_UTCTIME_set_string(t, s));
	else
		ck_assert(ASN1_GENERALIZEDTIME_set_string(t, s));
	if (not_after)
		ck_assert(X509_set1_notAfter(x, t));
	else
		ck_assert(X509_set1_notBefore(x, t));
	ASN1_TIME_free(t);
}

static time_t
utc(int year, int mon, int day)
{
	struct tm tm = {.tm_year = year - 1900,
			.tm_mon = mon - 1,
			.tm_mday = day};

	return timegm(&tm);
}

/* An RSA public key with any modulus and exponent; no primes needed. */
static EVP_PKEY *
rsa_public(const BIGNUM *n, unsigned long e)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	BIGNUM *bn_e = BN_new();
	OSSL_PARAM *params;
	EVP_PKEY_CTX *ctx;
	EVP_PKEY *pkey = NULL;

	ck_assert_ptr_nonnull(bld);
	ck_assert_ptr_nonnull(bn_e);
	ck_assert(BN_set_word(bn_e, e));
	ck_assert(OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n));
	ck_assert(OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, bn_e));
	ck_assert_ptr_nonnull(params = OSSL_PARAM_BLD_to_param(bld));
	ck_assert_ptr_nonnull(
	    ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL));
	ck_assert_int_eq(EVP_PKEY_fromdata_init(ctx), 1);
	ck_assert_int_eq(EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY,
					   params),
			 1);
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(bn_e);
	return pkey;
}

/* An RSA public key with a random odd modulus of bits bits. */
static EVP_PKEY *
rsa_random_public(int bits, unsigned long e)
{
	BIGNUM *n = BN_new();
	EVP_PKEY *pkey;

	ck_assert_ptr_nonnull(n);
	ck_assert(BN_rand(n, bits, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ODD));
	pkey = rsa_public(n, e);
	BN_free(n);
	return pkey;
}

/* The policies extension with the RPKI policy and a CPS qualifier. */
static CERTIFICATEPOLICIES *
policies_with_cps(void)
{
	CERTIFICATEPOLICIES *cp = sk_POLICYINFO_new_null();
	POLICYINFO *pi = POLICYINFO_new();
	POLICYQUALINFO *q = POLICYQUALINFO_new();

	ck_assert_ptr_nonnull(cp);
	ck_assert_ptr_nonnull(pi);
	ck_assert_ptr_nonnull(q);
	ASN1_OBJECT_free(pi->policyid);
	pi->policyid = OBJ_nid2obj(NID_ipAddr_asNumber);
	ck_assert_ptr_nonnull(pi->qualifiers = sk_POLICYQUALINFO_new_null());
	ASN1_OBJECT_free(q->pqualid);
	q->pqualid = OBJ_nid2obj(NID_id_qt_cps);
	ck_assert_ptr_nonnull(q->d.cpsuri = ASN1_IA5STRING_new());
	ck_assert(
	    ASN1_STRING_set(q->d.cpsuri, "https://rpki.example.net/cps", -1));
	ck_assert(sk_POLICYQUALINFO_push(pi->qualifiers, q));
	ck_assert(sk_POLICYINFO_push(cp, pi));
	return cp;
}

/*
 * The fixture TA made over with sign_key as its own key, so that a test
 * can change it and still have a valid self-signature.
 */
static X509 *
own_ta(void)
{
	X509 *x = fixture_ta();

	set_key(x, sign_key);
	return x;
}

/* Parses the re-signed x, then cert_check_ta() must log why. */
static void
reject_ta(X509 *x, const EVP_PKEY *tal_key, const char *why)
{
	struct testlog cap;
	struct cert *c;
	char *log;

	c = accept_as(x, false);
	testlog_start(&cap);
	ck_assert(!cert_check_ta(c, URI, tal_key));
	log = testlog_stop(&cap);
	testlog_assert_one_line(log, URI, why);
	free(log);
	cert_free(c);
}

static struct tal *
fixture_tal(const char *fixture_case, const char *name)
{
	char *path = testdata_path(fixture_case, name);
	struct tal *tal = tal_load(path);

	ck_assert_msg(tal != NULL, "%s", path);
	free(path);
	return tal;
}

START_TEST(test_cert_accepts_every_good_certificate)
{
	size_t n, i, tas = 0, cas = 0, routers = 0;
	char **paths = testdata_find_all("good", ".cer", NULL, &n);

	for (i = 0; i < n; i++) {
		size_t len;
		unsigned char *der = testdata_read(paths[i], &len);
		char *uri = rsync_uri(paths[i]);
		struct cert *c = cert_parse(uri, der, len);

		ck_assert_msg(c != NULL, "%s rejected", uri);
		if (strstr(uri, "/ta/") != NULL) {
			ck_assert(c->kind == CERT_CA && c->self_signed);
			ck_assert(!c->has_aki);
			ck_assert_ptr_null(c->aia);
			ck_assert_ptr_null(c->crldp);
			tas++;
		} else {
			ck_assert(!c->self_signed && c->has_aki);
			ck_assert_ptr_nonnull(c->aia);
			ck_assert_ptr_nonnull(c->crldp);
		}
		if (strstr(uri, "/router-as") != NULL) {
			ck_assert_int_eq(c->kind, CERT_ROUTER);
			routers++;
		} else {
			ck_assert_int_eq(c->kind, CERT_CA);
			ck_assert_ptr_nonnull(c->repo);
			ck_assert_ptr_nonnull(c->mft);
			cas++;
		}
		ck_assert_ptr_nonnull(c->spki);
		cert_free(c);
		free(uri);
		free(der);
		free(paths[i]);
	}
	free(paths);
	ck_assert_uint_eq(tas, 2);
	ck_assert_uint_gt(cas, tas);
	ck_assert_uint_gt(routers, 0);
}
END_TEST

static void
accept_every_ee(const char *suffix)
{
	size_t n, i;
	char **paths = testdata_find_all("good", suffix, NULL, &n);

	ck_assert_uint_gt(n, 0);
	for (i = 0; i < n; i++) {
		X509 *x = ee_of_file(paths[i]);
		char *uri = rsync_uri(paths[i]);
		struct cert *c = cert_from_ee(uri, x);

		ck_assert_msg(c != NULL, "%s rejected", uri);
		ck_assert_int_eq(c->kind, CERT_EE);
		ck_assert_str_eq(c->signed_object, uri);
		ck_assert(c->has_aki && !c->self_signed);
		ck_assert_ptr_null(c->repo);
		ck_assert_ptr_null(c->mft);
		cert_free(c);
		X509_free(x);
		free(uri);
		free(paths[i]);
	}
	free(paths);
}

START_TEST(test_cert_accepts_every_good_ee)
{
	accept_every_ee(".roa");
	accept_every_ee(".mft");
	accept_every_ee(".asa");
}
END_TEST

START_TEST(test_cert_ca_fields)
{
	X509 *x = fixture_ca();
	size_t len;
	unsigned char *der = to_der(x, &len);
	const unsigned char *p;
	struct cert *c = cert_parse(URI, der, len);
	const ASN1_OCTET_STRING *ski = X509_get0_subject_key_id(x);
	const ASN1_OCTET_STRING *aki = X509_get0_authority_key_id(x);
	EVP_PKEY *pkey;

	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(c->kind, CERT_CA);
	ck_assert_mem_eq(c->ski, ASN1_STRING_get0_data(ski), 20);
	ck_assert(c->has_aki);
	ck_assert_mem_eq(c->aki, ASN1_STRING_get0_data(aki), 20);
	ck_assert_str_eq(c->aia, "rsync://rpki0.example/ta/ta1.cer");
	ck_assert_str_eq(c->crldp,
			 "rsync://rpki0.example/repo0/ta1/"
			 "3826BD772AD8EFAD7CFF7C473175DB899703E1A8"
			 ".crl");
	ck_assert(c->repo[strlen(c->repo) - 1] == '/');
	ck_assert(strncmp(c->mft, c->repo, strlen(c->repo)) == 0);
	ck_assert(strncmp(c->notify, "https://", 8) == 0);
	ck_assert_ptr_null(c->signed_object);
	ck_assert(c->res.has_ip && c->res.has_as);
	ck_assert_uint_eq(c->res.v4_len, 1);
	p = c->spki;
	ck_assert_ptr_nonnull(pkey = d2i_PUBKEY(NULL, &p, (long)c->spki_len));
	ck_assert_int_eq(EVP_PKEY_eq(pkey, X509_get0_pubkey(x)), 1);
	ck_assert(X509_cmp(c->x509, x) == 0);
	EVP_PKEY_free(pkey);
	cert_free(c);
	OPENSSL_free(der);
	X509_free(x);
}
END_TEST

START_TEST(test_cert_ta_fields)
{
	X509 *x = fixture_ta();
	size_t len;
	unsigned char *der = to_der(x, &len);
	struct cert *c = cert_parse(URI, der, len);

	/* The fixture TA: Jun 1 2024 to May 29 2036, no AKI, CRLDP, AIA. */
	ck_assert_ptr_nonnull(c);
	ck_assert(c->kind == CERT_CA && c->self_signed && !c->has_aki);
	ck_assert_ptr_null(c->aia);
	ck_assert_ptr_null(c->crldp);
	ck_assert_str_eq(c->repo, "rsync://rpki0.example/repo0/ta1/");
	ck_assert_str_eq(c->notify,
			 "https://rpki0.example/rrdp0/notification.xml");
	ck_assert_int_eq(c->not_before, utc(2024, 6, 1));
	ck_assert_int_eq(c->not_after, utc(2036, 5, 29));
	cert_free(c);
	OPENSSL_free(der);
	X509_free(x);
}
END_TEST

START_TEST(test_cert_router_fields)
{
	X509 *x = fixture_router();
	size_t len;
	unsigned char *der = to_der(x, &len);
	struct cert *c = cert_parse(URI, der, len);
	unsigned char *spki = NULL;
	int n = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x), &spki);

	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(c->kind, CERT_ROUTER);
	ck_assert_ptr_null(c->repo);
	ck_assert_ptr_null(c->signed_object);
	ck_assert(c->res.has_as && !c->res.has_ip);
	ck_assert_uint_eq(c->res.as_len, 1);
	ck_assert_uint_eq(c->spki_len, (size_t)n);
	ck_assert_mem_eq(c->spki, spki, (size_t)n);
	OPENSSL_free(spki);
	cert_free(c);
	OPENSSL_free(der);
	X509_free(x);
}
END_TEST

START_TEST(test_cert_rejects_ee_where_ca_expected)
{
	reject(fixture_ee(),
	       "EE certificate where a CA or router certificate "
	       "was expected");
}
END_TEST

START_TEST(test_cert_ca_without_basic_constraints_is_not_a_ca)
{
	X509 *x = fixture_ca();

	ext_delete(x, NID_basic_constraints);
	reject(x,
	       "EE certificate where a CA or router certificate was "
	       "expected");
}
END_TEST

START_TEST(test_cert_from_ee_rejects_ca_certificate)
{
	reject_ee(fixture_ca(),
		  "CA certificate where an EE certificate was "
		  "expected (RFC 6487 s.4.8.1)");
}
END_TEST

START_TEST(test_cert_from_ee_rejects_router_certificate)
{
	reject_ee(fixture_router(),
		  "extendedKeyUsage in the EE certificate "
		  "of a signed object (RFC 6487 s.4.8.5)");
}
END_TEST

START_TEST(test_cert_from_ee_takes_its_own_reference)
{
	X509 *x = fixture_ee();
	struct cert *c = cert_from_ee(URI, x);

	ck_assert_ptr_nonnull(c);
	ck_assert_ptr_eq(c->x509, x);
	X509_free(x);
	/* Still ours: ASan would report a use after free. */
	ck_assert_int_eq(X509_get_version(c->x509), X509_VERSION_3);
	cert_free(c);
}
END_TEST

START_TEST(test_cert_from_ee_rejection_keeps_callers_reference)
{
	X509 *x = fixture_ca();

	ck_assert_ptr_null(cert_from_ee(URI, x));
	/* The caller's reference survives, and is the only one left. */
	ck_assert_int_eq(X509_get_version(x), X509_VERSION_3);
	X509_free(x);
}
END_TEST

START_TEST(test_cert_rejects_garbage)
{
	static const unsigned char junk[] = "not a certificate";
	struct testlog cap;
	char *log;

	testlog_start(&cap);
	ck_assert_ptr_null(cert_parse(URI, junk, sizeof(junk)));
	log = testlog_stop(&cap);
	testlog_assert_one_line(log, URI, "not a DER X.509 certificate");
	free(log);
}
END_TEST

START_TEST(test_cert_rejects_trailing_bytes)
{
	X509 *x = fixture_ca();
	size_t len;
	unsigned char *der = to_der(x, &len), *buf = malloc(len + 1);
	struct testlog cap;
	char *log;

	ck_assert_ptr_nonnull(buf);
	memcpy(buf, der, len);
	buf[len] = 0;
	testlog_start(&cap);
	ck_assert_ptr_null(cert_parse(URI, buf, len + 1));
	log = testlog_stop(&cap);
	testlog_assert_one_line(log, URI, "1 bytes after the certificate");
	free(log);
	free(buf);
	OPENSSL_free(der);
	X509_free(x);
}
END_TEST

/*
 * x with its TBSCertificate's length one octet longer than DER allows,
 * signed as sent: BER that OpenSSL decodes and whose signature verifies.
 */
static struct der
ber_tbs_cert(X509 *x)
{
	unsigned char *tbs = NULL;
	const unsigned char *p;
	int n = i2d_re_X509_tbs(x, &tbs), tag, cls;
	long clen;
	struct der content;

	p = tbs;
	ck_assert_int_gt(n, 0);
	ck_assert_int_eq(ASN1_get_object(&p, &clen, &tag, &cls, n),
			 V_ASN1_CONSTRUCTED);
	content = der_bytes(p, (size_t)clen);
	OPENSSL_free(tbs);
	return der_signed(der_tlv_ber(TAG_SEQUENCE, content), sign_key);
}

/* d decoded by OpenSSL, with a signature that verifies under sign_key. */
static X509 *
decoded_and_verified(struct der d)
{
	const unsigned char *p = d.d;
	X509 *x = d2i_X509(NULL, &p, (long)d.n);

	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(X509_verify(x, sign_key), 1);
	return x;
}

START_TEST(test_cert_rejects_ber_tbs)
{
	X509 *x = fixture_ca();
	struct der ber = ber_tbs_cert(x);
	struct testlog cap;
	char *log;

	X509_free(decoded_and_verified(ber));
	testlog_start(&cap);
	ck_assert_ptr_null(cert_parse(URI, ber.d, ber.n));
	log = testlog_stop(&cap);
	testlog_assert_one_line(log, URI, "certificate is not DER");
	free(log);
	der_free(ber);
	X509_free(x);
}
END_TEST

START_TEST(test_cert_from_ee_rejects_ber_tbs)
{
	X509 *x = fixture_ee();
	struct der ber = ber_tbs_cert(x);
	X509 *decoded = decoded_and_verified(ber);
	struct testlog cap;
	char *log;

	testlog_start(&cap);
	ck_assert_ptr_null(cert_from_ee(URI, decoded));
	log = testlog_stop(&cap);
	testlog_assert_one_line(log, URI, "certificate is not DER");
	free(log);
	X509_free(decoded);
	der_free(ber);
	X509_free(x);
}
END_TEST

START_TEST(test_cert_rejects_truncated)
{
	X509 *x = fixture_ca();
	size_t len;
	unsigned char *der = to_der(x, &len);
	struct testlog cap;
	char *log;

	testlog_start(&cap);
	ck_assert_ptr_null(cert_parse(URI, der, len - 1));
	log = testlog_stop(&cap);
	testlog_assert_one_line(log, URI, "not a DER X.509 certificate");
	free(log);
	OPENSSL_free(der);
	X509_free(x);
}
END_TEST

START_TEST(test_cert_rejects_version_2)
{
	X509 *x = fixture_ca();

	ck_assert(X509_set_version(x, X509_VERSION_2));
	reject(x, "not version 3 (RFC 6487 s.4.1)");
}
END_TEST

START_TEST(test_cert_rejects_zero_serial)
{
	X509 *x = fixture_ca();

	set_serial(x, "0", false);
	reject(x, "serial number is not a positive integer");
}
END_TEST

START_TEST(test_cert_rejects_negative_serial)
{
	X509 *x = fixture_ca();

	set_serial(x, "5", true);
	reject(x, "serial number is not a positive integer");
}
END_TEST

START_TEST(test_cert_rejects_serial_longer_than_20_octets)
{
	X509 *x = fixture_ca();

	/* 2^159 needs a leading zero octet: 21 octets of DER. */
	set_serial(x, "8000000000000000000000000000000000000000", false);
	reject(x, "at most 20 octets (RFC 6487 s.4.2");
}
END_TEST

START_TEST(test_cert_accepts_20_octet_serial)
{
	X509 *x = fixture_ca();

	set_serial(x, "7fffffffffffffffffffffffffffffffffffffff", false);
	accept(x);
}
END_TEST

START_TEST(test_cert_rejects_sha1_signature)
{
	X509 *x = fixture_ca();
	struct cert *c;
	char *log;

	ck_assert_int_gt(X509_sign(x, sign_key, EVP_sha1()), 0);
	c = parse_logged(x, false, &log);
	ck_assert_ptr_null(c);
	testlog_assert_one_line(log, URI,
				"not sha256WithRSAEncryption (RFC 7935 s.2");
	free(log);
	X509_free(x);
}
END_TEST

START_TEST(test_cert_rejects_mismatched_tbs_signature_algorithm)
{
	X509 *x = fixture_ca();
	size_t len, i;
	unsigned char *der;
	struct testlog cap;
	char *log;

	/*
	 * The first sha256WithRSAEncryption OID in the DER is the
	 * TBSCertificate's; make it sha384WithRSAEncryption (...1.1.12).
	 */
	resign(x);
	der = to_der(x, &len);
	for (i = 0; i + sizeof(SHA256_RSA_OID) <= len; i++)
		if (memcmp(der + i, SHA256_RSA_OID, sizeof(SHA256_RSA_OID)) ==
		    0)
			break;
	ck_assert_uint_lt(i + sizeof(SHA256_RSA_OID), len);
	der[i + sizeof(SHA256_RSA_OID) - 1] = 0x0c;
	testlog_start(&cap);
	ck_assert_ptr_null(cert_parse(URI, der, len));
	log = testlog_stop(&cap);
	testlog_assert_one_line(log, URI, "different signature algorithms");
	free(log);
	OPENSSL_free(der);
	X509_free(x);
}
END_TEST

START_TEST(test_cert_rejects_subject_with_organization)
{
	X509 *x = fixture_ca();

	ck_assert(X509_NAME_add_entry_by_NID(X509_get_subject_name(x),
					     NID_organizationName, MBSTRING_ASC,
					     (const unsigned char *)"Example",
					     -1, -1, 0));
	reject(x,
	       "subject name has an attribute other than CommonName and "
	       "serialNumber (RFC 6487 s.4.5)");
}
END_TEST

START_TEST(test_cert_rejects_issuer_with_organization)
{
	X509 *x = fixture_ca();

	ck_assert(X509_NAME_add_entry_by_NID(X509_get_issuer_name(x),
					     NID_organizationName, MBSTRING_ASC,
					     (const unsigned char *)"Example",
					     -1, -1, 0));
	reject(x,
	       "issuer name has an attribute other than CommonName and "
	       "serialNumber (RFC 6487 s.4.4)");
}
END_TEST

START_TEST(test_cert_rejects_subject_cn_not_printable_string)
{
	X509 *x = fixture_ca();
	X509_NAME *name = X509_NAME_new();

	ck_assert_ptr_nonnull(name);
	ck_assert(
	    X509_NAME_add_entry_by_NID(name, NID_commonName, V_ASN1_UTF8STRING,
				       (const unsigned char *)"ca", -1, -1, 0));
	ck_assert(X509_set_subject_name(x, name));
	X509_NAME_free(name);
	reject(x,
	       "subject CommonName is not a PrintableString "
	       "(RFC 6487 s.4.5)");
}
END_TEST

START_TEST(test_cert_rejects_subject_with_two_cns)
{
	X509 *x = fixture_ca();

	ck_assert(X509_NAME_add_entry_by_NID(X509_get_subject_name(x),
					     NID_commonName,
					     V_ASN1_PRINTABLESTRING,
					     (const unsigned char *)"second",
					     -1, -1, 0));
	reject(x,
	       "subject name must have one CommonName and at most one "
	       "serialNumber");
}
END_TEST

START_TEST(test_cert_rejects_issuer_without_cn)
{
	X509 *x = fixture_ca();
	X509_NAME *name = X509_NAME_new();

	ck_assert_ptr_nonnull(name);
	ck_assert(X509_NAME_add_entry_by_NID(name, NID_serialNumber,
					     V_ASN1_PRINTABLESTRING,
					     (const unsigned char *)"1", -1, -1,
					     0));
	ck_assert(X509_set_issuer_name(x, name));
	X509_NAME_free(name);
	reject(x,
	       "issuer name must have one CommonName and at most one "
	       "serialNumber (RFC 6487 s.4.4)");
}
END_TEST

START_TEST(test_cert_accepts_subject_serial_number)
{
	X509 *x = fixture_ca();

	ck_assert(
	    X509_NAME_add_entry_by_NID(X509_get_subject_name(x),
				       NID_serialNumber, V_ASN1_PRINTABLESTRING,
				       (const unsigned char *)"01", -1, -1, 0));
	accept(x);
}
END_TEST

START_TEST(test_cert_rejects_two_serial_numbers)
{
	X509 *x = fixture_ca();
	int i;

	for (i = 0; i < 2; i++)
		ck_assert(
		    X509_NAME_add_entry_by_NID(X509_get_subject_name(x),
					       NID_serialNumber,
					       V_ASN1_PRINTABLESTRING,
					       (const unsigned char *)"01", -1,
					       -1, 0));
	reject(x, "at most one serialNumber");
}
END_TEST

START_TEST(test_cert_rejects_generalized_time_before_2050)
{
	X509 *x = fixture_ca();

	set_time(x, true, "20300101000000Z");
	reject(x,
	       "notAfter is not a valid UTCTime or GeneralizedTime "
	       "(RFC 6487 s.4.6");
}
END_TEST

START_TEST(test_cert_accepts_generalized_time_from_2050)
{
	X509 *x = fixture_ca();
	struct cert *c;

	set_time(x, true, "20500101000000Z");
	c = accept_as(x, false);
	ck_assert_int_eq(c->not_after, utc(2050, 1, 1));
	cert_free(c);
}
END_TEST

START_TEST(test_cert_rejects_time_with_fraction)
{
	X509 *x = fixture_ca();

	set_time(x, true, "20500101000000.5Z");
	reject(x, "notAfter is not a valid UTCTime or GeneralizedTime");
}
END_TEST

START_TEST(test_cert_rejects_not_after_before_not_before)
{
	X509 *x = fixture_ca();

	set_time(x, false, "300101000000Z");
	set_time(x, true, "291231235959Z");
	reject(x, "notAfter is before notBefore (RFC 6487 s.4.6)");
}
END_TEST

START_TEST(test_cert_validity_read_into_time_t)
{
	X509 *x = fixture_ca();
	struct cert *c;

	set_time(x, false, "250102030405Z");
	set_time(x, true, "491231235959Z");
	c = accept_as(x, false);
	ck_assert_int_eq(c->not_before,
			 utc(2025, 1, 2) + 3 * 3600 + 4 * 60 + 5);
	ck_assert_int_eq(c->not_after, utc(2050, 1, 1) - 1);
	cert_free(c);
}
END_TEST

START_TEST(test_cert_rejects_rsa_1024_key)
{
	X509 *x = fixture_ca();
	EVP_PKEY *pkey = rsa_random_public(1024, 65537);

	set_key(x, pkey);
	EVP_PKEY_free(pkey);
	reject(x, "RSA key has 1024 bits, not 2048 (RFC 7935 s.3)");
}
END_TEST

START_TEST(test_cert_rejects_rsa_exponent_3)
{
	X509 *x = fixture_ca();
	EVP_PKEY *pkey = rsa_random_public(2048, 3);

	set_key(x, pkey);
	EVP_PKEY_free(pkey);
	reject(x, "RSA exponent is not 65537 (RFC 7935 s.3)");
}
END_TEST

/*
 * x's subjectPublicKey BIT STRING set to the given octets with the given
 * unused bits, under rsaEncryption: FORT CVE-2024-45238 was a key that is
 * no RSAPublicKey.
 */
static void
set_rsa_key_bits(X509 *x, const unsigned char *bits, size_t len, int unused)
{
	X509_PUBKEY *pub = X509_get_X509_PUBKEY(x);
	unsigned char *copy = OPENSSL_malloc(len + 1);
	ASN1_BIT_STRING *bs;

	ck_assert_ptr_nonnull(copy);
	memcpy(copy, bits, len);
	ck_assert(X509_PUBKEY_set0_param(pub, OBJ_nid2obj(NID_rsaEncryption),
					 V_ASN1_NULL, NULL, copy, (int)len));
	/* The BIT STRING is x's own; OpenSSL offers only a const view. */
	bs = (ASN1_BIT_STRING *)X509_get0_pubkey_bitstr(x);
	bs->flags &= ~(long)(ASN1_STRING_FLAG_BITS_LEFT | 0x07);
	bs->flags |= ASN1_STRING_FLAG_BITS_LEFT | unused;
}

/* The RSAPublicKey DER of the fixture CA's key; the caller frees it. */
static unsigned char *
rsa_key_bits(X509 *x, size_t *len)
{
	const unsigned char *pk;
	unsigned char *copy;
	int pklen;

	ck_assert(X509_PUBKEY_get0_param(NULL, &pk, &pklen, NULL,
					 X509_get_X509_PUBKEY(x)));
	ck_assert_ptr_nonnull(copy = malloc((size_t)pklen + 1));
	memcpy(copy, pk, (size_t)pklen);
	*len = (size_t)pklen;
	return copy;
}

/* RFC 7935 s.3, RFC 8017 A.1.1: the BIT STRING holds an RSAPublicKey. */
START_TEST(test_cert_rejects_rsa_key_that_is_not_rsa_public_key)
{
	X509 *x = fixture_ca();
	unsigned char junk[270];

	memset(junk, 0x5a, sizeof(junk));
	set_rsa_key_bits(x, junk, sizeof(junk), 0);
	reject(x, "subject public key does not decode (RFC 6487 s.4.7)");
}
END_TEST

START_TEST(test_cert_rejects_truncated_rsa_public_key)
{
	X509 *x = fixture_ca();
	size_t len;
	unsigned char *bits = rsa_key_bits(x, &len);

	set_rsa_key_bits(x, bits, len / 2, 0);
	free(bits);
	reject(x, "subject public key does not decode (RFC 6487 s.4.7)");
}
END_TEST

START_TEST(test_cert_rejects_empty_rsa_public_key)
{
	X509 *x = fixture_ca();

	set_rsa_key_bits(x, (const unsigned char *)"", 0, 0);
	reject(x, "subject public key does not decode (RFC 6487 s.4.7)");
}
END_TEST

/* The RSAPublicKey whole, then a byte that belongs to nothing. */
START_TEST(test_cert_rejects_rsa_public_key_with_trailing_byte)
{
	X509 *x = fixture_ca();
	size_t len;
	unsigned char *bits = rsa_key_bits(x, &len);

	bits[len] = 0;
	set_rsa_key_bits(x, bits, len + 1, 0);
	free(bits);
	ext_conf(x, NID_subject_key_identifier, "hash");
	reject(x,
	       "not one DER RSAPublicKey in whole octets (RFC 6487 s.4.7, "
	       "RFC 8017 A.1.1)");
}
END_TEST

/* An RSAPublicKey is octets: a BIT STRING of it has no unused bits. */
START_TEST(test_cert_rejects_rsa_key_bit_string_with_unused_bits)
{
	X509 *x = fixture_ca();
	size_t len;
	unsigned char *bits = rsa_key_bits(x, &len);

	/* Exponent 65537 ends in 0x01; that bit is not among the unused. */
	set_rsa_key_bits(x, bits, len, 1);
	free(bits);
	reject(x, "not one DER RSAPublicKey in whole octets");
}
END_TEST

START_TEST(test_cert_rejects_ec_key_on_ca)
{
	X509 *x = fixture_ca();

	set_key(x, ec256_key);
	reject(x, "CA certificate key is not an RSA key (RFC 7935 s.3)");
}
END_TEST

START_TEST(test_cert_rejects_ec_key_on_ee)
{
	X509 *x = fixture_ee();

	set_key(x, ec256_key);
	reject_ee(x, "EE certificate key is not an RSA key (RFC 7935 s.3)");
}
END_TEST

START_TEST(test_cert_router_rejects_rsa_key)
{
	X509 *x = fixture_router();

	set_key(x, sign_key);
	reject(x, "router certificate key is not an EC key (RFC 8608 s.3)");
}
END_TEST

START_TEST(test_cert_router_rejects_p384_key)
{
	X509 *x = fixture_router();

	set_key(x, ec384_key);
	reject(x, "not on the named curve P-256 (RFC 8608 s.3)");
}
END_TEST

START_TEST(test_cert_router_rejects_explicit_curve)
{
	X509 *x = fixture_router();

	set_key(x, ec256_expl);
	reject(x, "not on the named curve P-256 (RFC 8608 s.3)");
}
END_TEST

START_TEST(test_cert_router_rejects_compressed_point)
{
	X509 *x = fixture_router();

	set_key(x, ec256_compr);
	reject(x, "not an uncompressed P-256 point (RFC 8608 s.3)");
}
END_TEST

START_TEST(test_cert_router_accepts_other_p256_key)
{
	X509 *x = fixture_router();

	set_key(x, ec256_key);
	accept(x);
}
END_TEST

START_TEST(test_cert_rejects_unknown_extension)
{
	X509 *x = fixture_ca();

	ext_conf(x, NID_subject_alt_name, "DNS:rpki.example.net");
	reject(x, "unexpected extension 2.5.29.17 (RFC 6487 s.4.8)");
}
END_TEST

START_TEST(test_cert_rejects_duplicate_extension)
{
	X509 *x = fixture_ca();

	ck_assert(
	    X509_add_ext(x,
			 X509_get_ext(x,
				      ext_index(x, NID_certificate_policies)),
			 -1));
	reject(x,
	       "more than one certificatePolicies extension "
	       "(RFC 5280 s.4.2)");
}
END_TEST

START_TEST(test_cert_rejects_undecodable_extension)
{
	X509 *x = fixture_ca();

	/* A keyUsage that is a BOOLEAN, not a BIT STRING. */
	ext_raw(x, NID_key_usage, 1, "\x01\x01\xff", 3);
	reject(x, "an extension does not decode (RFC 5280 s.4.2)");
}
END_TEST

/* Flips the criticality of nid in x; the log must name the rule. */
static void
reject_criticality(X509 *x, int nid, bool ee, const char *why)
{
	X509_EXTENSION *ext = X509_get_ext(x, ext_index(x, nid));

	ext_set_critical(x, nid, !X509_EXTENSION_get_critical(ext));
	reject_as(x, ee, why);
}

START_TEST(test_cert_rejects_noncritical_basic_constraints)
{
	reject_criticality(fixture_ca(), NID_basic_constraints, false,
			   "basicConstraints extension must be critical "
			   "(RFC 6487 s.4.8.1)");
}
END_TEST

START_TEST(test_cert_rejects_critical_ski)
{
	reject_criticality(fixture_ca(), NID_subject_key_identifier, false,
			   "subjectKeyIdentifier extension must not be "
			   "critical (RFC 6487 s.4.8.2)");
}
END_TEST

START_TEST(test_cert_rejects_critical_aki)
{
	reject_criticality(fixture_ca(), NID_authority_key_identifier, false,
			   "authorityKeyIdentifier extension must not be "
			   "critical (RFC 6487 s.4.8.3)");
}
END_TEST

START_TEST(test_cert_rejects_noncritical_keyusage)
{
	reject_criticality(fixture_ee(), NID_key_usage, true,
			   "keyUsage extension must be critical "
			   "(RFC 6487 s.4.8.4)");
}
END_TEST

START_TEST(test_cert_rejects_critical_eku)
{
	reject_criticality(fixture_router(), NID_ext_key_usage, false,
			   "extendedKeyUsage extension must not be critical "
			   "(RFC 6487 s.4.8.5)");
}
END_TEST

START_TEST(test_cert_rejects_critical_crldp)
{
	reject_criticality(fixture_ca(), NID_crl_distribution_points, false,
			   "cRLDistributionPoints extension must not be "
			   "critical (RFC 6487 s.4.8.6)");
}
END_TEST

START_TEST(test_cert_rejects_critical_aia)
{
	reject_criticality(fixture_ca(), NID_info_access, false,
			   "authorityInfoAccess extension must not be critical "
			   "(RFC 6487 s.4.8.7)");
}
END_TEST

START_TEST(test_cert_rejects_critical_sia)
{
	reject_criticality(fixture_ee(), NID_sinfo_access, true,
			   "subjectInfoAccess extension must not be critical "
			   "(RFC 6487 s.4.8.8)");
}
END_TEST

START_TEST(test_cert_rejects_noncritical_policies)
{
	reject_criticality(fixture_ca(), NID_certificate_policies, false,
			   "certificatePolicies extension must be critical "
			   "(RFC 6487 s.4.8.9)");
}
END_TEST

START_TEST(test_cert_rejects_noncritical_ip_resources)
{
	reject_criticality(fixture_ca(), NID_sbgp_ipAddrBlock, false,
			   "sbgp-ipAddrBlock extension must be critical "
			   "(RFC 6487 s.4.8.10)");
}
END_TEST

START_TEST(test_cert_rejects_noncritical_as_resources)
{
	reject_criticality(fixture_router(), NID_sbgp_autonomousSysNum, false,
			   "sbgp-autonomousSysNum extension must be critical "
			   "(RFC 6487 s.4.8.11)");
}
END_TEST

START_TEST(test_cert_rejects_path_len_constraint)
{
	X509 *x = fixture_ca();

	ext_conf(x, NID_basic_constraints, "critical,CA:TRUE,pathlen:0");
	reject(x, "no pathLenConstraint (RFC 6487 s.4.8.1)");
}
END_TEST

START_TEST(test_cert_rejects_basic_constraints_ca_false)
{
	X509 *x = fixture_ca();

	ext_conf(x, NID_basic_constraints, "critical,CA:FALSE");
	reject(x,
	       "basicConstraints must say cA TRUE and carry no "
	       "pathLenConstraint (RFC 6487 s.4.8.1)");
}
END_TEST

START_TEST(test_cert_rejects_missing_ski)
{
	X509 *x = fixture_ca();

	ext_delete(x, NID_subject_key_identifier);
	reject(x, "subjectKeyIdentifier is missing (RFC 6487 s.4.8.2)");
}
END_TEST

START_TEST(test_cert_rejects_ski_not_key_hash)
{
	X509 *x = fixture_ca();
	ASN1_OCTET_STRING *os = ASN1_OCTET_STRING_new();
	unsigned char ski[20];

	memset(ski, 0x5a, sizeof(ski));
	ck_assert(ASN1_OCTET_STRING_set(os, ski, sizeof(ski)));
	ext_set(x, NID_subject_key_identifier, os, 0);
	ASN1_OCTET_STRING_free(os);
	reject(x,
	       "subjectKeyIdentifier is not the SHA-1 of the subject "
	       "public key (RFC 6487 s.4.8.2)");
}
END_TEST

START_TEST(test_cert_rejects_missing_aki)
{
	X509 *x = fixture_ca();

	ext_delete(x, NID_authority_key_identifier);
	reject(x, "authorityKeyIdentifier is missing (RFC 6487 s.4.8.3)");
}
END_TEST

START_TEST(test_cert_ee_rejects_missing_aki)
{
	X509 *x = fixture_ee();

	ext_delete(x, NID_authority_key_identifier);
	reject_ee(x, "authorityKeyIdentifier is missing (RFC 6487 s.4.8.3)");
}
END_TEST

START_TEST(test_cert_rejects_aki_with_issuer_and_serial)
{
	X509 *x = fixture_ca();
	AUTHORITY_KEYID *akid;

	akid = X509_get_ext_d2i(x, NID_authority_key_identifier, NULL, NULL);
	ck_assert_ptr_nonnull(akid);
	ck_assert_ptr_nonnull(akid->issuer = GENERAL_NAMES_new());
	ck_assert(sk_GENERAL_NAME_push(akid->issuer, uri_name(CA_ISSUER)));
	akid->serial = bn_integer("1", false);
	ext_set(x, NID_authority_key_identifier, akid, 0);
	AUTHORITY_KEYID_free(akid);
	reject(x, "keyIdentifier and nothing else (RFC 6487 s.4.8.3)");
}
END_TEST

START_TEST(test_cert_rejects_aki_without_key_identifier)
{
	X509 *x = fixture_ca();
	AUTHORITY_KEYID *akid = AUTHORITY_KEYID_new();

	ck_assert_ptr_nonnull(akid);
	ck_assert_ptr_nonnull(akid->issuer = GENERAL_NAMES_new());
	ck_assert(sk_GENERAL_NAME_push(akid->issuer, uri_name(CA_ISSUER)));
	akid->serial = bn_integer("1", false);
	ext_set(x, NID_authority_key_identifier, akid, 0);
	AUTHORITY_KEYID_free(akid);
	reject(x, "keyIdentifier and nothing else (RFC 6487 s.4.8.3)");
}
END_TEST

START_TEST(test_cert_rejects_short_aki)
{
	X509 *x = fixture_ca();
	AUTHORITY_KEYID *akid;

	akid = X509_get_ext_d2i(x, NID_authority_key_identifier, NULL, NULL);
	ck_assert_ptr_nonnull(akid);
	ck_assert(ASN1_OCTET_STRING_set(akid->keyid,
					(const unsigned char *)"short", 5));
	ext_set(x, NID_authority_key_identifier, akid, 0);
	AUTHORITY_KEYID_free(akid);
	reject(x,
	       "authorityKeyIdentifier is not 20 octets (RFC 6487 "
	       "s.4.8.3)");
}
END_TEST

START_TEST(test_cert_accepts_self_signed_with_aki_equal_ski)
{
	X509 *x = fixture_ta();
	AUTHORITY_KEYID *akid = AUTHORITY_KEYID_new();
	struct cert *c;

	ck_assert_ptr_nonnull(akid);
	akid->keyid = ASN1_OCTET_STRING_dup(X509_get0_subject_key_id(x));
	ck_assert_ptr_nonnull(akid->keyid);
	ext_set(x, NID_authority_key_identifier, akid, 0);
	AUTHORITY_KEYID_free(akid);
	c = accept_as(x, false);
	ck_assert(c->self_signed && c->has_aki);
	ck_assert_mem_eq(c->aki, c->ski, sizeof(c->ski));
	cert_free(c);
}
END_TEST

START_TEST(test_cert_self_issued_with_other_aki_is_not_self_signed)
{
	X509 *x = fixture_ta();
	AUTHORITY_KEYID *akid = AUTHORITY_KEYID_new();

	/* Same names, AKI elsewhere: an ordinary CA, so CRLDP is required. */
	ck_assert_ptr_nonnull(akid);
	ck_assert_ptr_nonnull(akid->keyid = ASN1_OCTET_STRING_new());
	ck_assert(
	    ASN1_OCTET_STRING_set(akid->keyid,
				  (const unsigned char *)"0123456789abcdefghij",
				  20));
	ext_set(x, NID_authority_key_identifier, akid, 0);
	AUTHORITY_KEYID_free(akid);
	reject(x, "cRLDistributionPoints is missing (RFC 6487 s.4.8.6)");
}
END_TEST

START_TEST(test_cert_ca_keyusage_must_be_exact)
{
	X509 *x = fixture_ca();

	ext_conf(x, NID_key_usage,
		 "critical,keyCertSign,cRLSign,"
		 "digitalSignature");
	reject(x,
	       "CA keyUsage must be exactly keyCertSign and cRLSign "
	       "(RFC 6487 s.4.8.4)");
}
END_TEST

START_TEST(test_cert_ca_keyusage_needs_crl_sign)
{
	X509 *x = fixture_ca();

	ext_conf(x, NID_key_usage, "critical,keyCertSign");
	reject(x, "CA keyUsage must be exactly keyCertSign and cRLSign");
}
END_TEST

/*
 * FORT CVE-2024-45237: a keyUsage BIT STRING longer than the 2 octets its
 * 9 named bits (RFC 5280 s.4.2.1.3) need. Here keyCertSign and cRLSign,
 * as a CA's must be, and a bit set in a third octet, which OpenSSL's
 * X509_get_key_usage() does not read: RFC 6487 s.4.8.4 allows no more.
 */
START_TEST(test_cert_rejects_keyusage_longer_than_2_octets)
{
	static const unsigned char ku[] = {0x03, 0x04, 0x07, 0x06, 0x00, 0x80};
	X509 *x = fixture_ca();

	ext_raw(x, NID_key_usage, 1, ku, sizeof(ku));
	reject(x,
	       "keyUsage is longer than 2 octets (RFC 6487 s.4.8.4, "
	       "RFC 5280 s.4.2.1.3)");
}
END_TEST

/* The same bits, padded with a zero octet: not DER (X.690 s.11.2.2). */
START_TEST(test_cert_rejects_keyusage_padded_to_3_octets)
{
	static const unsigned char ku[] = {0x03, 0x04, 0x00, 0x06, 0x00, 0x00};
	X509 *x = fixture_ca();

	ext_raw(x, NID_key_usage, 1, ku, sizeof(ku));
	reject(x, "keyUsage is longer than 2 octets");
}
END_TEST

/* 9 bits: decipherOnly in the second octet is still keyUsage. */
START_TEST(test_cert_ca_keyusage_with_decipher_only_rejected)
{
	static const unsigned char ku[] = {0x03, 0x03, 0x07, 0x06, 0x80};
	X509 *x = fixture_ca();

	ext_raw(x, NID_key_usage, 1, ku, sizeof(ku));
	reject(x, "CA keyUsage must be exactly keyCertSign and cRLSign");
}
END_TEST

START_TEST(test_cert_rejects_missing_keyusage)
{
	X509 *x = fixture_ca();

	ext_delete(x, NID_key_usage);
	reject(x, "keyUsage is missing (RFC 6487 s.4.8.4)");
}
END_TEST

START_TEST(test_cert_ee_keyusage_must_be_exact)
{
	X509 *x = fixture_ee();

	ext_conf(x, NID_key_usage,
		 "critical,digitalSignature,"
		 "nonRepudiation");
	reject_ee(x,
		  "EE keyUsage must be exactly digitalSignature "
		  "(RFC 6487 s.4.8.4)");
}
END_TEST

START_TEST(test_cert_router_keyusage_must_be_exact)
{
	X509 *x = fixture_router();

	ext_conf(x, NID_key_usage, "critical,keyCertSign");
	reject(x, "router keyUsage must be exactly digitalSignature");
}
END_TEST

START_TEST(test_cert_rejects_eku_on_ca)
{
	X509 *x = fixture_ca();

	ext_conf(x, NID_ext_key_usage, "1.3.6.1.5.5.7.3.30");
	reject(x, "extendedKeyUsage in a CA certificate (RFC 6487 s.4.8.5)");
}
END_TEST

START_TEST(test_cert_rejects_eku_on_ee)
{
	X509 *x = fixture_ee();

	ext_conf(x, NID_ext_key_usage, "serverAuth");
	reject_ee(x,
		  "extendedKeyUsage in the EE certificate of a signed "
		  "object (RFC 6487 s.4.8.5)");
}
END_TEST

START_TEST(test_cert_router_eku_must_contain_bgpsec_router)
{
	X509 *x = fixture_router();

	ext_conf(x, NID_ext_key_usage, "serverAuth");
	reject(x,
	       "extendedKeyUsage lacks id-kp-bgpsec-router "
	       "(RFC 8209 s.3.1.3.2)");
}
END_TEST

START_TEST(test_cert_router_eku_may_list_other_purposes)
{
	X509 *x = fixture_router();

	ext_conf(x, NID_ext_key_usage, "serverAuth,1.3.6.1.5.5.7.3.30");
	accept(x);
}
END_TEST

START_TEST(test_cert_rejects_missing_crldp)
{
	X509 *x = fixture_ca();

	ext_delete(x, NID_crl_distribution_points);
	reject(x, "cRLDistributionPoints is missing (RFC 6487 s.4.8.6)");
}
END_TEST

START_TEST(test_cert_rejects_two_distribution_points)
{
	X509 *x = fixture_ca();
	STACK_OF(DIST_POINT) *dps = crldp(CRL_URI, NULL);
	STACK_OF(DIST_POINT) *two = crldp(CRL_URI, NULL);

	ck_assert(sk_DIST_POINT_push(dps, sk_DIST_POINT_pop(two)));
	sk_DIST_POINT_free(two);
	set_crldp(x, dps);
	reject(x,
	       "cRLDistributionPoints must hold one DistributionPoint "
	       "(RFC 6487 s.4.8.6)");
}
END_TEST

START_TEST(test_cert_rejects_crldp_with_reasons)
{
	X509 *x = fixture_ca();
	STACK_OF(DIST_POINT) *dps = crldp(CRL_URI, NULL);
	DIST_POINT *dp = sk_DIST_POINT_value(dps, 0);

	ck_assert_ptr_nonnull(dp->reasons = ASN1_BIT_STRING_new());
	ck_assert(ASN1_BIT_STRING_set_bit(dp->reasons, 1, 1));
	set_crldp(x, dps);
	reject(x, "no reasons or cRLIssuer (RFC 6487 s.4.8.6)");
}
END_TEST

START_TEST(test_cert_rejects_crldp_with_crl_issuer)
{
	X509 *x = fixture_ca();
	STACK_OF(DIST_POINT) *dps = crldp(CRL_URI, NULL);
	DIST_POINT *dp = sk_DIST_POINT_value(dps, 0);

	ck_assert_ptr_nonnull(dp->CRLissuer = GENERAL_NAMES_new());
	ck_assert(sk_GENERAL_NAME_push(dp->CRLissuer, uri_name(CA_ISSUER)));
	set_crldp(x, dps);
	reject(x, "no reasons or cRLIssuer (RFC 6487 s.4.8.6)");
}
END_TEST

START_TEST(test_cert_rejects_crldp_without_full_name)
{
	X509 *x = fixture_ca();
	STACK_OF(DIST_POINT) *dps = crldp(CRL_URI, NULL);
	DIST_POINT *dp = sk_DIST_POINT_value(dps, 0);

	/* RFC 5280 then wants a cRLIssuer; RFC 6487 wants neither. */
	DIST_POINT_NAME_free(dp->distpoint);
	dp->distpoint = NULL;
	ck_assert_ptr_nonnull(dp->CRLissuer = GENERAL_NAMES_new());
	ck_assert(sk_GENERAL_NAME_push(dp->CRLissuer, uri_name(CA_ISSUER)));
	set_crldp(x, dps);
	reject(x, "cRLDistributionPoints must hold a fullName");
}
END_TEST

START_TEST(test_cert_rejects_crldp_without_rsync_uri)
{
	X509 *x = fixture_ca();

	set_crldp(x, crldp("https://rpki.example.net/parent.crl", NULL));
	reject(x, "cRLDistributionPoints has no rsync URI (RFC 6487 s.4.8.6)");
}
END_TEST

START_TEST(test_cert_crldp_takes_the_rsync_uri)
{
	X509 *x = fixture_ca();
	struct cert *c;

	set_crldp(x, crldp("https://rpki.example.net/parent.crl", CRL_URI));
	c = accept_as(x, false);
	ck_assert_str_eq(c->crldp, CRL_URI);
	cert_free(c);
}
END_TEST

START_TEST(test_cert_rejects_crldp_name_not_uri)
{
	X509 *x = fixture_ca();

	ext_conf(x, NID_crl_distribution_points, "DNS:rpki.example.net");
	reject(x, "CRL distribution point is not a URI (RFC 6487 s.4.8.6)");
}
END_TEST

START_TEST(test_cert_rejects_crldp_on_self_signed)
{
	X509 *x = fixture_ta();

	set_crldp(x, crldp(CRL_URI, NULL));
	reject(x,
	       "self-signed certificate carries cRLDistributionPoints or "
	       "authorityInfoAccess (RFC 6487 s.4.8.6, s.4.8.7)");
}
END_TEST

START_TEST(test_cert_rejects_missing_aia)
{
	X509 *x = fixture_ca();

	ext_delete(x, NID_info_access);
	reject(x, "authorityInfoAccess is missing (RFC 6487 s.4.8.7)");
}
END_TEST

START_TEST(test_cert_rejects_aia_without_rsync_uri)
{
	X509 *x = fixture_ca();

	SET_AIA(x, {NID_ad_ca_issuers, "https://rpki.example.net/p.cer"});
	reject(x,
	       "authorityInfoAccess has no rsync caIssuers URI "
	       "(RFC 6487 s.4.8.7)");
}
END_TEST

START_TEST(test_cert_rejects_aia_other_access_method)
{
	X509 *x = fixture_ca();

	SET_AIA(x, {NID_ad_ca_issuers, CA_ISSUER},
		{NID_ad_OCSP, "https://ocsp.example.net/"});
	reject(x,
	       "authorityInfoAccess has an access method other than "
	       "caIssuers (RFC 6487 s.4.8.7)");
}
END_TEST

START_TEST(test_cert_aia_takes_the_rsync_uri)
{
	X509 *x = fixture_ca();
	struct cert *c;

	SET_AIA(x, {NID_ad_ca_issuers, "https://rpki.example.net/p.cer"},
		{NID_ad_ca_issuers, CA_ISSUER});
	c = accept_as(x, false);
	ck_assert_str_eq(c->aia, CA_ISSUER);
	cert_free(c);
}
END_TEST

START_TEST(test_cert_rejects_aia_on_self_signed)
{
	X509 *x = fixture_ta();

	SET_AIA(x, {NID_ad_ca_issuers, CA_ISSUER});
	reject(x,
	       "self-signed certificate carries cRLDistributionPoints or "
	       "authorityInfoAccess");
}
END_TEST

START_TEST(test_cert_rejects_ca_without_sia)
{
	X509 *x = fixture_ca();

	ext_delete(x, NID_sinfo_access);
	reject(x, "subjectInfoAccess is missing (RFC 6487 s.4.8.8)");
}
END_TEST

START_TEST(test_cert_rejects_ca_sia_without_manifest)
{
	X509 *x = fixture_ca();

	SET_SIA(x, {NID_caRepository, REPO}, {NID_rpkiNotify, NOTIFY});
	reject(x,
	       "subjectInfoAccess lacks an rsync caRepository or "
	       "rpkiManifest URI (RFC 6487 s.4.8.8.1)");
}
END_TEST

START_TEST(test_cert_rejects_ca_sia_without_repository)
{
	X509 *x = fixture_ca();

	SET_SIA(x, {NID_rpkiManifest, MFT}, {NID_rpkiNotify, NOTIFY});
	reject(x,
	       "subjectInfoAccess lacks an rsync caRepository or "
	       "rpkiManifest URI (RFC 6487 s.4.8.8.1)");
}
END_TEST

START_TEST(test_cert_rejects_ca_sia_https_manifest_only)
{
	X509 *x = fixture_ca();

	SET_SIA(x, {NID_caRepository, REPO},
		{NID_rpkiManifest, "https://rpki.example.net/ca.mft"});
	reject(x, "lacks an rsync caRepository or rpkiManifest URI");
}
END_TEST

START_TEST(test_cert_rejects_ca_repository_without_trailing_slash)
{
	X509 *x = fixture_ca();

	SET_SIA(x, {NID_caRepository, "rsync://rpki.example.net/repo/ca"},
		{NID_rpkiManifest, MFT});
	reject(x, "caRepository URI does not end in '/' (RFC 6487 s.4.8.8.1)");
}
END_TEST

START_TEST(test_cert_rejects_notify_not_https)
{
	X509 *x = fixture_ca();

	SET_SIA(x, {NID_caRepository, REPO}, {NID_rpkiManifest, MFT},
		{NID_rpkiNotify, "http://rpki.example.net/notification.xml"});
	reject(x, "rpkiNotify must be one https URI (RFC 8182 s.3.2)");
}
END_TEST

START_TEST(test_cert_rejects_two_notify_uris)
{
	X509 *x = fixture_ca();

	SET_SIA(x, {NID_caRepository, REPO}, {NID_rpkiManifest, MFT},
		{NID_rpkiNotify, NOTIFY}, {NID_rpkiNotify, NOTIFY});
	reject(x, "rpkiNotify must be one https URI (RFC 8182 s.3.2)");
}
END_TEST

START_TEST(test_cert_ca_sia_fields)
{
	X509 *x = fixture_ca();
	struct cert *c;

	/* An https copy of the repository may come first; rsync wins. */
	SET_SIA(x, {NID_caRepository, "https://rpki.example.net/repo/ca/"},
		{NID_caRepository, REPO}, {NID_rpkiManifest, MFT},
		{NID_rpkiNotify, NOTIFY});
	c = accept_as(x, false);
	ck_assert_str_eq(c->repo, REPO);
	ck_assert_str_eq(c->mft, MFT);
	ck_assert_str_eq(c->notify, NOTIFY);
	cert_free(c);
}
END_TEST

START_TEST(test_cert_accepts_ca_without_notify)
{
	X509 *x = fixture_ca();
	struct cert *c;

	SET_SIA(x, {NID_caRepository, REPO}, {NID_rpkiManifest, MFT});
	c = accept_as(x, false);
	ck_assert_ptr_null(c->notify);
	cert_free(c);
}
END_TEST

START_TEST(test_cert_ca_sia_tolerates_other_access_methods)
{
	X509 *x = fixture_ca();

	SET_SIA(x, {NID_caRepository, REPO}, {NID_rpkiManifest, MFT},
		{NID_ad_timeStamping, "https://rpki.example.net/tsa"});
	accept(x);
}
END_TEST

START_TEST(test_cert_rejects_signed_object_in_ca_sia)
{
	X509 *x = fixture_ca();

	SET_SIA(x, {NID_caRepository, REPO}, {NID_rpkiManifest, MFT},
		{NID_signedObject, REPO "x.roa"});
	reject(x,
	       "signedObject in the SIA of a CA certificate "
	       "(RFC 6487 s.4.8.8.1)");
}
END_TEST

START_TEST(test_cert_ee_sia_must_hold_only_signed_object)
{
	X509 *x = fixture_ee();

	SET_SIA(x, {NID_signedObject, REPO "x.roa"}, {NID_caRepository, REPO});
	reject_ee(x,
		  "SIA of an EE certificate has an access method other "
		  "than signedObject (RFC 6487 s.4.8.8.2)");
}
END_TEST

START_TEST(test_cert_ee_rejects_missing_rsync_signed_object)
{
	X509 *x = fixture_ee();

	SET_SIA(x, {NID_signedObject, "https://rpki.example.net/x.roa"});
	reject_ee(x,
		  "subjectInfoAccess lacks an rsync signedObject URI "
		  "(RFC 6487 s.4.8.8.2)");
}
END_TEST

START_TEST(test_cert_ee_rejects_missing_sia)
{
	X509 *x = fixture_ee();

	ext_delete(x, NID_sinfo_access);
	reject_ee(x, "subjectInfoAccess is missing (RFC 6487 s.4.8.8)");
}
END_TEST

START_TEST(test_cert_ee_signed_object_field)
{
	X509 *x = fixture_ee();
	struct cert *c;

	SET_SIA(x, {NID_signedObject, REPO "x.roa"});
	c = accept_as(x, true);
	ck_assert_str_eq(c->signed_object, REPO "x.roa");
	ck_assert_int_eq(c->kind, CERT_EE);
	cert_free(c);
}
END_TEST

START_TEST(test_cert_ee_may_inherit)
{
	X509 *x = fixture_ee();
	IPAddrBlocks *addr = sk_IPAddressFamily_new_null();

	/* RFC 6487 s.4.8.10: inherit is for every certificate but the TA. */
	ck_assert_ptr_nonnull(addr);
	ck_assert(X509v3_addr_add_inherit(addr, IANA_AFI_IPV4, NULL));
	ext_set(x, NID_sbgp_ipAddrBlock, addr, 1);
	sk_IPAddressFamily_pop_free(addr, IPAddressFamily_free);
	accept_ee(x);
}
END_TEST

START_TEST(test_cert_router_rejects_sia)
{
	X509 *x = fixture_router();

	SET_SIA(x, {NID_signedObject, REPO "x.roa"});
	reject(x,
	       "router certificate carries subjectInfoAccess "
	       "(RFC 8209 s.3.1.3.3)");
}
END_TEST

/* A CA whose caRepository is total bytes long (manifest just inside). */
static X509 *
ca_with_repo_length(size_t total)
{
	X509 *x = fixture_ca();
	char *repo = malloc(total + 1), *mft;

	ck_assert_ptr_nonnull(repo);
	memset(repo, 'a', total);
	memcpy(repo, "rsync://h/", 10);
	repo[total - 1] = '/';
	repo[total] = '\0';
	ck_assert_int_ge(asprintf(&mft, "rsync://h/m.mft"), 0);
	SET_SIA(x, {NID_caRepository, repo}, {NID_rpkiManifest, mft});
	free(mft);
	free(repo);
	return x;
}

START_TEST(test_cert_rejects_overlong_uri)
{
	reject(ca_with_repo_length(MAX_URI_LENGTH + 1),
	       "caRepository URI is empty or longer than 2048 bytes");
}
END_TEST

START_TEST(test_cert_accepts_uri_of_max_length)
{
	struct cert *c = accept_as(ca_with_repo_length(MAX_URI_LENGTH), false);

	ck_assert_uint_eq(strlen(c->repo), MAX_URI_LENGTH);
	cert_free(c);
}
END_TEST

START_TEST(test_cert_rejects_uri_with_space)
{
	X509 *x = fixture_ca();

	SET_AIA(x, {NID_ad_ca_issuers, "rsync://rpki.example.net/a b.cer"});
	reject(x,
	       "caIssuers URI contains whitespace, a control character or "
	       "non-ASCII (RFC 3986 s.2)");
}
END_TEST

START_TEST(test_cert_rejects_uri_with_nul)
{
	static const char uri[] = "rsync://rpki.example.net/a\0b.crl";
	X509 *x = fixture_ca();
	STACK_OF(DIST_POINT) *dps = crldp(CRL_URI, NULL);
	GENERAL_NAMES *names =
	    sk_DIST_POINT_value(dps, 0)->distpoint->name.fullname;

	/* A NUL would cut the URI short wherever it is used as a string. */
	GENERAL_NAME_free(sk_GENERAL_NAME_pop(names));
	ck_assert(
	    sk_GENERAL_NAME_push(names, uri_name_len(uri, sizeof(uri) - 1)));
	set_crldp(x, dps);
	reject(x,
	       "CRL distribution point URI contains whitespace, a control "
	       "character or non-ASCII");
}
END_TEST

START_TEST(test_cert_rejects_non_ascii_uri)
{
	X509 *x = fixture_ca();

	SET_SIA(x, {NID_caRepository, "rsync://rpki.example.net/r\xc3\xa9/"},
		{NID_rpkiManifest, MFT});
	reject(x,
	       "caRepository URI contains whitespace, a control character "
	       "or non-ASCII");
}
END_TEST

START_TEST(test_cert_rejects_missing_policies)
{
	X509 *x = fixture_ca();

	ext_delete(x, NID_certificate_policies);
	reject(x, "certificatePolicies is missing (RFC 6487 s.4.8.9)");
}
END_TEST

/* A certificatePolicies value listing the policies oid1 and oid2. */
static void
set_policies(X509 *x, const char *oid1, const char *oid2)
{
	CERTIFICATEPOLICIES *cp = sk_POLICYINFO_new_null();
	const char *oids[] = {oid1, oid2};
	size_t i;

	ck_assert_ptr_nonnull(cp);
	for (i = 0; i < 2 && oids[i] != NULL; i++) {
		POLICYINFO *pi = POLICYINFO_new();

		ck_assert_ptr_nonnull(pi);
		ASN1_OBJECT_free(pi->policyid);
		ck_assert_ptr_nonnull(pi->policyid = OBJ_txt2obj(oids[i], 1));
		ck_assert(sk_POLICYINFO_push(cp, pi));
	}
	ext_set(x, NID_certificate_policies, cp, 1);
	CERTIFICATEPOLICIES_free(cp);
}

START_TEST(test_cert_rejects_two_policies)
{
	X509 *x = fixture_ca();

	/* RFC 8360's policy beside RFC 6484's is still one too many. */
	set_policies(x, "1.3.6.1.5.5.7.14.2", "1.3.6.1.5.5.7.14.3");
	reject(x,
	       "certificatePolicies must hold exactly the policy "
	       "id-cp-ipAddr-asNumber (RFC 6487 s.4.8.9)");
}
END_TEST

START_TEST(test_cert_rejects_wrong_policy)
{
	X509 *x = fixture_ca();

	set_policies(x, "2.23.140.1.2.1", NULL);
	reject(x,
	       "certificatePolicies must hold exactly the policy "
	       "id-cp-ipAddr-asNumber (RFC 6487 s.4.8.9)");
}
END_TEST

START_TEST(test_cert_accepts_policy_with_cps_qualifier)
{
	X509 *x = fixture_ca();
	CERTIFICATEPOLICIES *cp = policies_with_cps();

	ext_set(x, NID_certificate_policies, cp, 1);
	CERTIFICATEPOLICIES_free(cp);
	accept(x);
}
END_TEST

START_TEST(test_cert_rejects_ca_without_resources)
{
	X509 *x = fixture_ca();

	ext_delete(x, NID_sbgp_ipAddrBlock);
	ext_delete(x, NID_sbgp_autonomousSysNum);
	reject(x,
	       "neither sbgp-ipAddrBlock nor sbgp-autonomousSysNum is "
	       "present (RFC 6487 s.4.8.10)");
}
END_TEST

START_TEST(test_cert_rejects_ee_without_resources)
{
	X509 *x = fixture_ee();

	ext_delete(x, NID_sbgp_ipAddrBlock);
	reject_ee(x,
		  "neither sbgp-ipAddrBlock nor sbgp-autonomousSysNum is "
		  "present (RFC 6487 s.4.8.10)");
}
END_TEST

START_TEST(test_cert_accepts_ca_with_as_resources_only)
{
	X509 *x = fixture_ca();
	struct cert *c;

	ext_delete(x, NID_sbgp_ipAddrBlock);
	c = accept_as(x, false);
	ck_assert(!c->res.has_ip && c->res.has_as);
	cert_free(c);
}
END_TEST

START_TEST(test_cert_rejects_noncanonical_resources)
{
	X509 *x = fixture_ca();
	IPAddrBlocks *addr = sk_IPAddressFamily_new_null();
	unsigned char a[4] = {40, 0, 0, 0}, b[4] = {40, 1, 0, 0};

	ck_assert_ptr_nonnull(addr);
	ck_assert(X509v3_addr_add_prefix(addr, IANA_AFI_IPV4, NULL, a, 8));
	ck_assert(X509v3_addr_add_prefix(addr, IANA_AFI_IPV4, NULL, b, 16));
	ext_set(x, NID_sbgp_ipAddrBlock, addr, 1);
	sk_IPAddressFamily_pop_free(addr, IPAddressFamily_free);
	reject(x, "not in canonical form (RFC 3779 s.2.2.3.6)");
}
END_TEST

START_TEST(test_cert_router_rejects_ip_resources)
{
	X509 *x = fixture_router();
	IPAddrBlocks *addr = sk_IPAddressFamily_new_null();
	unsigned char a[4] = {40, 0, 0, 0};

	ck_assert_ptr_nonnull(addr);
	ck_assert(X509v3_addr_add_prefix(addr, IANA_AFI_IPV4, NULL, a, 8));
	ext_set(x, NID_sbgp_ipAddrBlock, addr, 1);
	sk_IPAddressFamily_pop_free(addr, IPAddressFamily_free);
	reject(x,
	       "router certificate carries IP resources "
	       "(RFC 8209 s.3.1.3.4)");
}
END_TEST

START_TEST(test_cert_router_rejects_missing_as_resources)
{
	X509 *x = fixture_router();

	ext_delete(x, NID_sbgp_autonomousSysNum);
	reject(x,
	       "router certificate carries no AS resources "
	       "(RFC 8209 s.3.1.3.5)");
}
END_TEST

START_TEST(test_cert_check_ta_accepts_fixture_ta)
{
	char *path = testdata_find("good", "ta1.cer", "/ta/");
	struct tal *tal = fixture_tal("good", "tals/ta1.tal");
	size_t len;
	unsigned char *der = testdata_read(path, &len);
	struct cert *c = cert_parse(URI, der, len);

	ck_assert_ptr_nonnull(c);
	ck_assert(cert_check_ta(c, URI, tal->pkey));
	cert_free(c);
	tal_free(tal);
	free(der);
	free(path);
}
END_TEST

START_TEST(test_cert_check_ta_rejects_other_tals_key)
{
	X509 *x = fixture_ta();
	struct tal *tal = fixture_tal("good", "tals/ta2.tal");
	size_t len;
	unsigned char *der = to_der(x, &len);
	struct cert *c = cert_parse(URI, der, len);
	struct testlog cap;
	char *log;

	ck_assert_ptr_nonnull(c);
	testlog_start(&cap);
	ck_assert(!cert_check_ta(c, URI, tal->pkey));
	log = testlog_stop(&cap);
	testlog_assert_one_line(log, URI,
				"trust anchor key is not the TAL's key "
				"(RFC 8630 s.3)");
	free(log);
	cert_free(c);
	tal_free(tal);
	OPENSSL_free(der);
	X509_free(x);
}
END_TEST

START_TEST(test_cert_check_ta_rejects_key_mismatch_fixture)
{
	char *path = testdata_find("ta-key-mismatch", "ta1.cer", "/ta/");
	struct tal *tal = fixture_tal("ta-key-mismatch", "tals/ta1.tal");
	size_t len;
	unsigned char *der = testdata_read(path, &len);
	struct cert *c = cert_parse(URI, der, len);

	ck_assert_ptr_nonnull(c);
	ck_assert(!cert_check_ta(c, URI, tal->pkey));
	cert_free(c);
	tal_free(tal);
	free(der);
	free(path);
}
END_TEST

START_TEST(test_cert_check_ta_rejects_bad_signature)
{
	struct tal *tal = fixture_tal("good", "tals/ta1.tal");

	/* The TAL's key, but a signature made with another. */
	reject_ta(fixture_ta(), tal->pkey,
		  "trust anchor signature does not verify with its own key "
		  "(RFC 8630 s.3)");
	tal_free(tal);
}
END_TEST

START_TEST(test_cert_check_ta_accepts_own_key_and_signature)
{
	X509 *x = own_ta();
	struct cert *c = accept_as(x, false);

	ck_assert(cert_check_ta(c, URI, sign_key));
	cert_free(c);
}
END_TEST

START_TEST(test_cert_check_ta_rejects_inherit)
{
	X509 *x = own_ta();
	IPAddrBlocks *addr = sk_IPAddressFamily_new_null();
	unsigned char a[16] = {0x21};

	ck_assert_ptr_nonnull(addr);
	ck_assert(X509v3_addr_add_inherit(addr, IANA_AFI_IPV4, NULL));
	ck_assert(X509v3_addr_add_prefix(addr, IANA_AFI_IPV6, NULL, a, 8));
	ext_set(x, NID_sbgp_ipAddrBlock, addr, 1);
	sk_IPAddressFamily_pop_free(addr, IPAddressFamily_free);
	reject_ta(x, sign_key, "trust anchor uses inherit (RFC 8630 s.2.3)");
}
END_TEST

START_TEST(test_cert_check_ta_rejects_as_inherit)
{
	X509 *x = own_ta();
	ASIdentifiers *asid = ASIdentifiers_new();

	ck_assert_ptr_nonnull(asid);
	ck_assert(X509v3_asid_add_inherit(asid, V3_ASID_ASNUM));
	ext_set(x, NID_sbgp_autonomousSysNum, asid, 1);
	ASIdentifiers_free(asid);
	reject_ta(x, sign_key, "trust anchor uses inherit (RFC 8630 s.2.3)");
}
END_TEST

START_TEST(test_cert_check_ta_rejects_non_self_signed)
{
	X509 *x = fixture_ca();
	EVP_PKEY *pkey = X509_get_pubkey(x);

	reject_ta(x, pkey,
		  "trust anchor is not a self-signed CA certificate "
		  "(RFC 8630 s.3)");
	EVP_PKEY_free(pkey);
}
END_TEST

START_TEST(test_cert_free_accepts_null)
{
	cert_free(NULL);
}
END_TEST

static Suite *
cert_suite(void)
{
	Suite *s = suite_create("cert");
	TCase *tg = tcase_create("good");
	TCase *tb = tcase_create("basics");
	TCase *te = tcase_create("extensions");
	TCase *tt = tcase_create("ta");

	/* Generous: sanitizers make OpenSSL several times slower. */
	tcase_set_timeout(tg, 120);
	tcase_add_test(tg, test_cert_accepts_every_good_certificate);
	tcase_add_test(tg, test_cert_accepts_every_good_ee);
	tcase_add_test(tg, test_cert_ca_fields);
	tcase_add_test(tg, test_cert_ta_fields);
	tcase_add_test(tg, test_cert_router_fields);
	tcase_add_test(tg, test_cert_free_accepts_null);
	suite_add_tcase(s, tg);

	tcase_set_timeout(tb, 60);
	tcase_add_test(tb, test_cert_rejects_ee_where_ca_expected);
	tcase_add_test(tb, test_cert_ca_without_basic_constraints_is_not_a_ca);
	tcase_add_test(tb, test_cert_from_ee_rejects_ca_certificate);
	tcase_add_test(tb, test_cert_from_ee_rejects_router_certificate);
	tcase_add_test(tb, test_cert_from_ee_takes_its_own_reference);
	tcase_add_test(tb, test_cert_from_ee_rejection_keeps_callers_reference);
	tcase_add_test(tb, test_cert_rejects_garbage);
	tcase_add_test(tb, test_cert_rejects_trailing_bytes);
	tcase_add_test(tb, test_cert_rejects_ber_tbs);
	tcase_add_test(tb, test_cert_from_ee_rejects_ber_tbs);
	tcase_add_test(tb, test_cert_rejects_truncated);
	tcase_add_test(tb, test_cert_rejects_version_2);
	tcase_add_test(tb, test_cert_rejects_zero_serial);
	tcase_add_test(tb, test_cert_rejects_negative_serial);
	tcase_add_test(tb, test_cert_rejects_serial_longer_than_20_octets);
	tcase_add_test(tb, test_cert_accepts_20_octet_serial);
	tcase_add_test(tb, test_cert_rejects_sha1_signature);
	tcase_add_test(tb,
		       test_cert_rejects_mismatched_tbs_signature_algorithm);
	tcase_add_test(tb, test_cert_rejects_subject_with_organization);
	tcase_add_test(tb, test_cert_rejects_issuer_with_organization);
	tcase_add_test(tb, test_cert_rejects_subject_cn_not_printable_string);
	tcase_add_test(tb, test_cert_rejects_subject_with_two_cns);
	tcase_add_test(tb, test_cert_rejects_issuer_without_cn);
	tcase_add_test(tb, test_cert_accepts_subject_serial_number);
	tcase_add_test(tb, test_cert_rejects_two_serial_numbers);
	tcase_add_test(tb, test_cert_rejects_generalized_time_before_2050);
	tcase_add_test(tb, test_cert_accepts_generalized_time_from_2050);
	tcase_add_test(tb, test_cert_rejects_time_with_fraction);
	tcase_add_test(tb, test_cert_rejects_not_after_before_not_before);
	tcase_add_test(tb, test_cert_validity_read_into_time_t);
	tcase_add_test(tb, test_cert_rejects_rsa_1024_key);
	tcase_add_test(tb, test_cert_rejects_rsa_exponent_3);
	tcase_add_test(tb,
		       test_cert_rejects_rsa_key_that_is_not_rsa_public_key);
	tcase_add_test(tb, test_cert_rejects_truncated_rsa_public_key);
	tcase_add_test(tb, test_cert_rejects_empty_rsa_public_key);
	tcase_add_test(tb, test_cert_rejects_rsa_public_key_with_trailing_byte);
	tcase_add_test(tb,
		       test_cert_rejects_rsa_key_bit_string_with_unused_bits);
	tcase_add_test(tb, test_cert_rejects_ec_key_on_ca);
	tcase_add_test(tb, test_cert_rejects_ec_key_on_ee);
	tcase_add_test(tb, test_cert_router_rejects_rsa_key);
	tcase_add_test(tb, test_cert_router_rejects_p384_key);
	tcase_add_test(tb, test_cert_router_rejects_explicit_curve);
	tcase_add_test(tb, test_cert_router_rejects_compressed_point);
	tcase_add_test(tb, test_cert_router_accepts_other_p256_key);
	suite_add_tcase(s, tb);

	tcase_set_timeout(te, 60);
	tcase_add_test(te, test_cert_rejects_unknown_extension);
	tcase_add_test(te, test_cert_rejects_duplicate_extension);
	tcase_add_test(te, test_cert_rejects_undecodable_extension);
	tcase_add_test(te, test_cert_rejects_noncritical_basic_constraints);
	tcase_add_test(te, test_cert_rejects_critical_ski);
	tcase_add_test(te, test_cert_rejects_critical_aki);
	tcase_add_test(te, test_cert_rejects_noncritical_keyusage);
	tcase_add_test(te, test_cert_rejects_critical_eku);
	tcase_add_test(te, test_cert_rejects_critical_crldp);
	tcase_add_test(te, test_cert_rejects_critical_aia);
	tcase_add_test(te, test_cert_rejects_critical_sia);
	tcase_add_test(te, test_cert_rejects_noncritical_policies);
	tcase_add_test(te, test_cert_rejects_noncritical_ip_resources);
	tcase_add_test(te, test_cert_rejects_noncritical_as_resources);
	tcase_add_test(te, test_cert_rejects_path_len_constraint);
	tcase_add_test(te, test_cert_rejects_basic_constraints_ca_false);
	tcase_add_test(te, test_cert_rejects_missing_ski);
	tcase_add_test(te, test_cert_rejects_ski_not_key_hash);
	tcase_add_test(te, test_cert_rejects_missing_aki);
	tcase_add_test(te, test_cert_ee_rejects_missing_aki);
	tcase_add_test(te, test_cert_rejects_aki_with_issuer_and_serial);
	tcase_add_test(te, test_cert_rejects_aki_without_key_identifier);
	tcase_add_test(te, test_cert_rejects_short_aki);
	tcase_add_test(te, test_cert_accepts_self_signed_with_aki_equal_ski);
	tcase_add_test(te,
		       test_cert_self_issued_with_other_aki_is_not_self_signed);
	tcase_add_test(te, test_cert_ca_keyusage_must_be_exact);
	tcase_add_test(te, test_cert_ca_keyusage_needs_crl_sign);
	tcase_add_test(te, test_cert_rejects_missing_keyusage);
	tcase_add_test(te, test_cert_rejects_keyusage_longer_than_2_octets);
	tcase_add_test(te, test_cert_rejects_keyusage_padded_to_3_octets);
	tcase_add_test(te, test_cert_ca_keyusage_with_decipher_only_rejected);
	tcase_add_test(te, test_cert_ee_keyusage_must_be_exact);
	tcase_add_test(te, test_cert_router_keyusage_must_be_exact);
	tcase_add_test(te, test_cert_rejects_eku_on_ca);
	tcase_add_test(te, test_cert_rejects_eku_on_ee);
	tcase_add_test(te, test_cert_router_eku_must_contain_bgpsec_router);
	tcase_add_test(te, test_cert_router_eku_may_list_other_purposes);
	tcase_add_test(te, test_cert_rejects_missing_crldp);
	tcase_add_test(te, test_cert_rejects_two_distribution_points);
	tcase_add_test(te, test_cert_rejects_crldp_with_reasons);
	tcase_add_test(te, test_cert_rejects_crldp_with_crl_issuer);
	tcase_add_test(te, test_cert_rejects_crldp_without_full_name);
	tcase_add_test(te, test_cert_rejects_crldp_without_rsync_uri);
	tcase_add_test(te, test_cert_crldp_takes_the_rsync_uri);
	tcase_add_test(te, test_cert_rejects_crldp_name_not_uri);
	tcase_add_test(te, test_cert_rejects_crldp_on_self_signed);
	tcase_add_test(te, test_cert_rejects_missing_aia);
	tcase_add_test(te, test_cert_rejects_aia_without_rsync_uri);
	tcase_add_test(te, test_cert_rejects_aia_other_access_method);
	tcase_add_test(te, test_cert_aia_takes_the_rsync_uri);
	tcase_add_test(te, test_cert_rejects_aia_on_self_signed);
	tcase_add_test(te, test_cert_rejects_ca_without_sia);
	tcase_add_test(te, test_cert_rejects_ca_sia_without_manifest);
	tcase_add_test(te, test_cert_rejects_ca_sia_without_repository);
	tcase_add_test(te, test_cert_rejects_ca_sia_https_manifest_only);
	tcase_add_test(te,
		       test_cert_rejects_ca_repository_without_trailing_slash);
	tcase_add_test(te, test_cert_rejects_notify_not_https);
	tcase_add_test(te, test_cert_rejects_two_notify_uris);
	tcase_add_test(te, test_cert_ca_sia_fields);
	tcase_add_test(te, test_cert_accepts_ca_without_notify);
	tcase_add_test(te, test_cert_ca_sia_tolerates_other_access_methods);
	tcase_add_test(te, test_cert_rejects_signed_object_in_ca_sia);
	tcase_add_test(te, test_cert_ee_sia_must_hold_only_signed_object);
	tcase_add_test(te, test_cert_ee_rejects_missing_rsync_signed_object);
	tcase_add_test(te, test_cert_ee_rejects_missing_sia);
	tcase_add_test(te, test_cert_ee_signed_object_field);
	tcase_add_test(te, test_cert_ee_may_inherit);
	tcase_add_test(te, test_cert_router_rejects_sia);
	tcase_add_test(te, test_cert_rejects_overlong_uri);
	tcase_add_test(te, test_cert_accepts_uri_of_max_length);
	tcase_add_test(te, test_cert_rejects_uri_with_space);
	tcase_add_test(te, test_cert_rejects_uri_with_nul);
	tcase_add_test(te, test_cert_rejects_non_ascii_uri);
	tcase_add_test(te, test_cert_rejects_missing_policies);
	tcase_add_test(te, test_cert_rejects_two_policies);
	tcase_add_test(te, test_cert_rejects_wrong_policy);
	tcase_add_test(te, test_cert_accepts_policy_with_cps_qualifier);
	tcase_add_test(te, test_cert_rejects_ca_without_resources);
	tcase_add_test(te, test_cert_rejects_ee_without_resources);
	tcase_add_test(te, test_cert_accepts_ca_with_as_resources_only);
	tcase_add_test(te, test_cert_rejects_noncanonical_resources);
	tcase_add_test(te, test_cert_router_rejects_ip_resources);
	tcase_add_test(te, test_cert_router_rejects_missing_as_resources);
	suite_add_tcase(s, te);

	tcase_set_timeout(tt, 60);
	tcase_add_test(tt, test_cert_check_ta_accepts_fixture_ta);
	tcase_add_test(tt, test_cert_check_ta_rejects_other_tals_key);
	tcase_add_test(tt, test_cert_check_ta_rejects_key_mismatch_fixture);
	tcase_add_test(tt, test_cert_check_ta_rejects_bad_signature);
	tcase_add_test(tt, test_cert_check_ta_accepts_own_key_and_signature);
	tcase_add_test(tt, test_cert_check_ta_rejects_inherit);
	tcase_add_test(tt, test_cert_check_ta_rejects_as_inherit);
	tcase_add_test(tt, test_cert_check_ta_rejects_non_self_signed);
	suite_add_tcase(s, tt);
	return s;
}

/*
 * An EC key on curve, with the given parameter encoding; the point format
 * is a property of the key, not of its generation, so it is set after.
 */
static EVP_PKEY *
ec_key(const char *curve, const char *encoding, const char *format)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	OSSL_PARAM params[3];
	EVP_PKEY *pkey = NULL;
	size_t n = 0;

	params[n++] =
	    OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME,
					     (char *)curve, 0);
	if (encoding != NULL)
		params[n++] = OSSL_PARAM_construct_utf8_string(
		    OSSL_PKEY_PARAM_EC_ENCODING, (char *)encoding, 0);
	params[n] = OSSL_PARAM_construct_end();
	if (ctx == NULL || EVP_PKEY_keygen_init(ctx) != 1 ||
	    EVP_PKEY_CTX_set_params(ctx, params) != 1 ||
	    EVP_PKEY_generate(ctx, &pkey) != 1 ||
	    (format != NULL &&
	     EVP_PKEY_set_utf8_string_param(
		 pkey, OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT, format) !=
		 1)) {
		EVP_PKEY_free(pkey);
		pkey = NULL;
	}
	EVP_PKEY_CTX_free(ctx);
	return pkey;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	/*
	 * Before srunner_run_all, so the forked tests inherit the keys. No
	 * ck_assert here: Check only allows it inside a test.
	 */
	if ((sign_key = EVP_RSA_gen(2048)) == NULL ||
	    (ec256_key = ec_key("P-256", NULL, NULL)) == NULL ||
	    (ec384_key = ec_key("P-384", NULL, NULL)) == NULL ||
	    (ec256_expl = ec_key("P-256", OSSL_PKEY_EC_ENCODING_EXPLICIT,
				 NULL)) == NULL ||
	    (ec256_compr =
		 ec_key("P-256", NULL,
			OSSL_PKEY_EC_POINT_CONVERSION_FORMAT_COMPRESSED)) ==
		NULL) {
		fprintf(stderr, "check_cert: cannot make the test keys\n");
		return EXIT_FAILURE;
	}
	sr = srunner_create(cert_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	EVP_PKEY_free(sign_key);
	EVP_PKEY_free(ec256_key);
	EVP_PKEY_free(ec384_key);
	EVP_PKEY_free(ec256_expl);
	EVP_PKEY_free(ec256_compr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
