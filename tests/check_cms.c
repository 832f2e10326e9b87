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
#include <openssl/x509.h>
#include <openssl/x509v3.h>

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
