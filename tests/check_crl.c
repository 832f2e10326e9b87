/*
 * Tests for rp/crl.c: each test proves one rule of the RPKI CRL profile
 * (RFC 6487 s.5, RFC 5280 s.5), and every rejection test also checks that
 * exactly one log line names the URI and the rule.
 *
 * Malformed CRLs are the fixture generator's good ones with one thing
 * changed through OpenSSL, then re-signed with a key made here: crl_parse()
 * does not verify signatures, so only the change matters.
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
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "derbuild.h"
#include "rp/crl.h"
#include "rp/log.h"
#include "testdata.h"

#define URI "rsync://rpki.example.net/repo/ca/ca.crl"

/* sha256WithRSAEncryption, 1.2.840.113549.1.1.11, as DER. */
static const unsigned char SHA256_RSA_OID[] = {0x06, 0x09, 0x2a, 0x86,
					       0x48, 0x86, 0xf7, 0x0d,
					       0x01, 0x01, 0x0b};

/* Made once in main(), before Check forks the tests. */
static EVP_PKEY *sign_key;

static X509_CRL *
load_crl(const char *path)
{
	size_t len;
	unsigned char *der = testdata_read(path, &len);
	const unsigned char *p = der;
	X509_CRL *x = d2i_X509_CRL(NULL, &p, (long)len);

	ck_assert_msg(x != NULL, "%s does not decode", path);
	free(der);
	return x;
}

/* A CRL of the good case; its CA issued roa1.roa and more. */
static X509_CRL *
fixture_crl(void)
{
	char *path = testdata_find("good", ".crl", "/repo0/ta1-0-0/");
	X509_CRL *x = load_crl(path);

	free(path);
	return x;
}

static unsigned char *
to_der(X509_CRL *x, size_t *len)
{
	unsigned char *der = NULL;
	int n = i2d_X509_CRL(x, &der);

	ck_assert_int_gt(n, 0);
	*len = (size_t)n;
	return der;
}

static void
resign(X509_CRL *x)
{
	ck_assert_int_gt(X509_CRL_sign(x, sign_key, EVP_sha256()), 0);
}

/* crl_parse() on len bytes of der must fail with one line containing why. */
static void
reject_der(const unsigned char *der, size_t len, const char *why)
{
	struct testlog cap;
	char *log;

	testlog_start(&cap);
	ck_assert_ptr_null(crl_parse(URI, der, len));
	log = testlog_stop(&cap);
	testlog_assert_one_line(log, URI, why);
	free(log);
}

/* x as it stands must be rejected; frees x. */
static void
reject_signed(X509_CRL *x, const char *why)
{
	size_t len;
	unsigned char *der = to_der(x, &len);

	reject_der(der, len, why);
	OPENSSL_free(der);
	X509_CRL_free(x);
}

/* Re-signs x, which must then be rejected; frees x. */
static void
reject(X509_CRL *x, const char *why)
{
	resign(x);
	reject_signed(x, why);
}

/* Re-signs x, which must be accepted without a word; frees x. */
static struct crl *
accept(X509_CRL *x)
{
	struct testlog cap;
	struct crl *crl;
	size_t len;
	unsigned char *der;
	char *log;

	resign(x);
	der = to_der(x, &len);
	testlog_start(&cap);
	crl = crl_parse(URI, der, len);
	log = testlog_stop(&cap);
	ck_assert_msg(crl != NULL, "rejected: %s", log);
	ck_assert_str_eq(log, "");
	free(log);
	OPENSSL_free(der);
	X509_CRL_free(x);
	return crl;
}

static int
ext_index(X509_CRL *x, int nid)
{
	int i = X509_CRL_get_ext_by_NID(x, nid, -1);

	ck_assert_msg(i >= 0, "no extension %s", OBJ_nid2sn(nid));
	return i;
}

static void
ext_delete(X509_CRL *x, int nid)
{
	X509_EXTENSION_free(X509_CRL_delete_ext(x, ext_index(x, nid)));
}

static void
ext_set(X509_CRL *x, int nid, void *value, int critical)
{
	ck_assert_int_eq(X509_CRL_add1_ext_i2d(x, nid, value, critical,
					       X509V3_ADD_REPLACE),
			 1);
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
set_crl_number(X509_CRL *x, const char *hex, bool negative)
{
	ASN1_INTEGER *ai = bn_integer(hex, negative);

	ext_set(x, NID_crl_number, ai, 0);
	ASN1_INTEGER_free(ai);
}

static ASN1_TIME *
asn1_time(const char *s)
{
	ASN1_TIME *t = ASN1_TIME_new();

	ck_assert_ptr_nonnull(t);
	if (strlen(s) == 13)
		ck_assert(ASN1_UTCTIME_set_string(t, s));
	else
		ck_assert(ASN1_GENERALIZEDTIME_set_string(t, s));
	return t;
}

static void
set_times(X509_CRL *x, const char *this_update, const char *next_update)
{
	ASN1_TIME *t = asn1_time(this_update), *n = asn1_time(next_update);

	ck_assert(X509_CRL_set1_lastUpdate(x, t));
	ck_assert(X509_CRL_set1_nextUpdate(x, n));
	ASN1_TIME_free(t);
	ASN1_TIME_free(n);
}

/* Revokes serial (hex) in x, with a reasonCode entry extension if asked. */
static void
revoke(X509_CRL *x, const char *hex, int reason)
{
	X509_REVOKED *r = X509_REVOKED_new();
	ASN1_INTEGER *serial = bn_integer(hex, false);
	ASN1_TIME *when = asn1_time("260501000000Z");

	ck_assert_ptr_nonnull(r);
	ck_assert(X509_REVOKED_set_serialNumber(r, serial));
	ck_assert(X509_REVOKED_set_revocationDate(r, when));
	if (reason >= 0) {
		ASN1_ENUMERATED *e = ASN1_ENUMERATED_new();

		ck_assert_ptr_nonnull(e);
		ck_assert(ASN1_ENUMERATED_set(e, reason));
		ck_assert(
		    X509_REVOKED_add1_ext_i2d(r, NID_crl_reason, e, 0, 0));
		ASN1_ENUMERATED_free(e);
	}
	ck_assert(X509_CRL_add0_revoked(x, r));
	ck_assert(X509_CRL_sort(x));
	ASN1_INTEGER_free(serial);
	ASN1_TIME_free(when);
}

/* A certificate with only a serial number, for crl_revoked(). */
static X509 *
cert_with_serial(const char *hex)
{
	X509 *x = X509_new();
	ASN1_INTEGER *serial = bn_integer(hex, false);

	ck_assert_ptr_nonnull(x);
	ck_assert(X509_set_serialNumber(x, serial));
	ASN1_INTEGER_free(serial);
	return x;
}

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

static time_t
utc(int year, int mon, int day)
{
	struct tm tm = {.tm_year = year - 1900,
			.tm_mon = mon - 1,
			.tm_mday = day};

	return timegm(&tm);
}

static int
hexval(char c)
{
	return c <= '9' ? c - '0' : c - 'A' + 10;
}

START_TEST(test_crl_accepts_every_good_crl)
{
	size_t n, i, j;
	char **paths = testdata_find_all("good", ".crl", NULL, &n);

	ck_assert_uint_gt(n, 0);
	for (i = 0; i < n; i++) {
		size_t len;
		unsigned char *der = testdata_read(paths[i], &len);
		struct crl *crl = crl_parse(paths[i], der, len);
		const char *name = strrchr(paths[i], '/') + 1;

		ck_assert_msg(crl != NULL, "%s rejected", paths[i]);
		ck_assert_int_lt(crl->this_update, crl->next_update);
		/* The generator names a CRL after its issuer's SKI. */
		for (j = 0; j < sizeof(crl->aki); j++)
			ck_assert_int_eq(crl->aki[j],
					 hexval(name[2 * j]) * 16 +
					     hexval(name[2 * j + 1]));
		crl_free(crl);
		free(der);
		free(paths[i]);
	}
	free(paths);
}
END_TEST

START_TEST(test_crl_times_read_into_time_t)
{
	X509_CRL *x = fixture_crl();
	struct crl *crl;

	set_times(x, "260531220000Z", "20500101000000Z");
	crl = accept(x);
	ck_assert_int_eq(crl->this_update, utc(2026, 5, 31) + 22 * 3600);
	ck_assert_int_eq(crl->next_update, utc(2050, 1, 1));
	crl_free(crl);
}
END_TEST

START_TEST(test_crl_keeps_the_crl)
{
	X509_CRL *x = fixture_crl();
	struct crl *crl = accept(X509_CRL_dup(x));

	ck_assert_int_eq(X509_NAME_cmp(X509_CRL_get_issuer(crl->x509_crl),
				       X509_CRL_get_issuer(x)),
			 0);
	crl_free(crl);
	X509_CRL_free(x);
}
END_TEST

START_TEST(test_crl_rejects_garbage)
{
	static const unsigned char junk[] = "not a CRL";

	reject_der(junk, sizeof(junk), "not a DER CRL (RFC 5280 s.5)");
}
END_TEST

START_TEST(test_crl_rejects_trailing_bytes)
{
	X509_CRL *x = fixture_crl();
	size_t len;
	unsigned char *der = to_der(x, &len), *buf = malloc(len + 2);

	ck_assert_ptr_nonnull(buf);
	memcpy(buf, der, len);
	buf[len] = buf[len + 1] = 0;
	reject_der(buf, len + 2, "2 bytes after the CRL");
	free(buf);
	OPENSSL_free(der);
	X509_CRL_free(x);
}
END_TEST

START_TEST(test_crl_rejects_ber_tbs)
{
	X509_CRL *x = fixture_crl(), *decoded;
	unsigned char *tbs = NULL;
	const unsigned char *p;
	int n = i2d_re_X509_CRL_tbs(x, &tbs), tag, cls;
	long clen;
	struct der ber;

	/* The TBSCertList's length one octet longer than DER allows. */
	p = tbs;
	ck_assert_int_gt(n, 0);
	ck_assert_int_eq(ASN1_get_object(&p, &clen, &tag, &cls, n),
			 V_ASN1_CONSTRUCTED);
	ber = der_signed(der_tlv_ber(TAG_SEQUENCE, der_bytes(p, (size_t)clen)),
			 sign_key);
	OPENSSL_free(tbs);
	/* OpenSSL takes it and its signature verifies: only DER is wrong. */
	p = ber.d;
	ck_assert_ptr_nonnull(decoded = d2i_X509_CRL(NULL, &p, (long)ber.n));
	ck_assert_int_eq(X509_CRL_verify(decoded, sign_key), 1);
	X509_CRL_free(decoded);
	reject_der(ber.d, ber.n, "CRL is not DER");
	der_free(ber);
	X509_CRL_free(x);
}
END_TEST

START_TEST(test_crl_rejects_truncated)
{
	X509_CRL *x = fixture_crl();
	size_t len;
	unsigned char *der = to_der(x, &len);

	reject_der(der, len - 1, "not a DER CRL");
	OPENSSL_free(der);
	X509_CRL_free(x);
}
END_TEST

START_TEST(test_crl_rejects_version_1)
{
	X509_CRL *x = fixture_crl();

	ck_assert(X509_CRL_set_version(x, X509_CRL_VERSION_1));
	reject(x, "CRL is not version 2 (RFC 6487 s.5)");
}
END_TEST

START_TEST(test_crl_rejects_sha1_signature)
{
	X509_CRL *x = fixture_crl();

	ck_assert_int_gt(X509_CRL_sign(x, sign_key, EVP_sha1()), 0);
	reject_signed(x,
		      "CRL signature algorithm is not "
		      "sha256WithRSAEncryption (RFC 7935 s.2");
}
END_TEST

START_TEST(test_crl_rejects_mismatched_tbs_signature_algorithm)
{
	X509_CRL *x = fixture_crl();
	size_t len, i;
	unsigned char *der;

	/*
	 * The first sha256WithRSAEncryption OID in the DER is the
	 * TBSCertList's; make it sha384WithRSAEncryption (...1.1.12).
	 */
	resign(x);
	der = to_der(x, &len);
	for (i = 0; i + sizeof(SHA256_RSA_OID) <= len; i++)
		if (memcmp(der + i, SHA256_RSA_OID, sizeof(SHA256_RSA_OID)) ==
		    0)
			break;
	ck_assert_uint_lt(i + sizeof(SHA256_RSA_OID), len);
	der[i + sizeof(SHA256_RSA_OID) - 1] = 0x0c;
	reject_der(der, len,
		   "TBSCertList and CRL name different signature "
		   "algorithms (RFC 5280 s.5.1.1.2)");
	OPENSSL_free(der);
	X509_CRL_free(x);
}
END_TEST

START_TEST(test_crl_rejects_missing_aki)
{
	X509_CRL *x = fixture_crl();

	ext_delete(x, NID_authority_key_identifier);
	reject(x,
	       "CRL must carry one authorityKeyIdentifier and one "
	       "cRLNumber (RFC 6487 s.5)");
}
END_TEST

START_TEST(test_crl_rejects_missing_crl_number)
{
	X509_CRL *x = fixture_crl();

	ext_delete(x, NID_crl_number);
	reject(x,
	       "CRL must carry one authorityKeyIdentifier and one "
	       "cRLNumber (RFC 6487 s.5)");
}
END_TEST

START_TEST(test_crl_rejects_duplicate_crl_number)
{
	X509_CRL *x = fixture_crl();

	ck_assert(
	    X509_CRL_add_ext(x,
			     X509_CRL_get_ext(x, ext_index(x, NID_crl_number)),
			     -1));
	reject(x,
	       "CRL must carry one authorityKeyIdentifier and one "
	       "cRLNumber (RFC 6487 s.5)");
}
END_TEST

START_TEST(test_crl_rejects_other_extension)
{
	X509_CRL *x = fixture_crl();
	ASN1_INTEGER *base = bn_integer("1", false);

	ck_assert(X509_CRL_add1_ext_i2d(x, NID_delta_crl, base, 1, 0));
	ASN1_INTEGER_free(base);
	reject(x,
	       "CRL has an extension other than authorityKeyIdentifier "
	       "and cRLNumber (RFC 6487 s.5)");
}
END_TEST

START_TEST(test_crl_rejects_critical_crl_number)
{
	X509_CRL *x = fixture_crl();

	ck_assert(X509_EXTENSION_set_critical(
	    X509_CRL_get_ext(x, ext_index(x, NID_crl_number)), 1));
	reject(x, "CRL extension is critical (RFC 5280 s.5.2.1, s.5.2.3)");
}
END_TEST

START_TEST(test_crl_rejects_aki_with_issuer_and_serial)
{
	X509_CRL *x = fixture_crl();
	AUTHORITY_KEYID *akid;
	GENERAL_NAME *gn = GENERAL_NAME_new();
	ASN1_IA5STRING *s = ASN1_IA5STRING_new();

	akid =
	    X509_CRL_get_ext_d2i(x, NID_authority_key_identifier, NULL, NULL);
	ck_assert_ptr_nonnull(akid);
	ck_assert_ptr_nonnull(gn);
	ck_assert(ASN1_STRING_set(s, "rsync://rpki.example.net/p.cer", -1));
	GENERAL_NAME_set0_value(gn, GEN_URI, s);
	ck_assert_ptr_nonnull(akid->issuer = GENERAL_NAMES_new());
	ck_assert(sk_GENERAL_NAME_push(akid->issuer, gn));
	akid->serial = bn_integer("1", false);
	ext_set(x, NID_authority_key_identifier, akid, 0);
	AUTHORITY_KEYID_free(akid);
	reject(x,
	       "CRL authorityKeyIdentifier must be a 20-octet "
	       "keyIdentifier and nothing else");
}
END_TEST

START_TEST(test_crl_rejects_short_aki)
{
	X509_CRL *x = fixture_crl();
	AUTHORITY_KEYID *akid;

	akid =
	    X509_CRL_get_ext_d2i(x, NID_authority_key_identifier, NULL, NULL);
	ck_assert_ptr_nonnull(akid);
	ck_assert(ASN1_OCTET_STRING_set(akid->keyid,
					(const unsigned char *)"short", 5));
	ext_set(x, NID_authority_key_identifier, akid, 0);
	AUTHORITY_KEYID_free(akid);
	reject(x,
	       "CRL authorityKeyIdentifier must be a 20-octet "
	       "keyIdentifier and nothing else");
}
END_TEST

START_TEST(test_crl_rejects_negative_crl_number)
{
	X509_CRL *x = fixture_crl();

	set_crl_number(x, "1", true);
	reject(x,
	       "cRLNumber is not a non-negative integer of at most 20 "
	       "octets (RFC 5280 s.5.2.3)");
}
END_TEST

START_TEST(test_crl_rejects_crl_number_longer_than_20_octets)
{
	X509_CRL *x = fixture_crl();

	set_crl_number(x, "8000000000000000000000000000000000000000", false);
	reject(x,
	       "cRLNumber is not a non-negative integer of at most 20 "
	       "octets");
}
END_TEST

START_TEST(test_crl_accepts_crl_number_of_20_octets)
{
	X509_CRL *x = fixture_crl();

	set_crl_number(x, "7fffffffffffffffffffffffffffffffffffffff", false);
	crl_free(accept(x));
}
END_TEST

START_TEST(test_crl_accepts_crl_number_zero)
{
	X509_CRL *x = fixture_crl();

	set_crl_number(x, "0", false);
	crl_free(accept(x));
}
END_TEST

START_TEST(test_crl_rejects_entry_extensions)
{
	X509_CRL *x = fixture_crl();

	/* reasonCode keyCompromise: harmless, but not in the profile. */
	revoke(x, "1234", 1);
	reject(x, "CRL entry has extensions (RFC 6487 s.5)");
}
END_TEST

START_TEST(test_crl_rejects_missing_next_update)
{
	X509_CRL *old = fixture_crl(), *x = X509_CRL_new();
	int i;

	/* OpenSSL cannot remove nextUpdate, so the CRL is built anew. */
	ck_assert_ptr_nonnull(x);
	ck_assert(X509_CRL_set_version(x, X509_CRL_VERSION_2));
	ck_assert(X509_CRL_set_issuer_name(x, X509_CRL_get_issuer(old)));
	ck_assert(X509_CRL_set1_lastUpdate(x, X509_CRL_get0_lastUpdate(old)));
	for (i = 0; i < X509_CRL_get_ext_count(old); i++)
		ck_assert(X509_CRL_add_ext(x, X509_CRL_get_ext(old, i), -1));
	X509_CRL_free(old);
	reject(x, "CRL has no nextUpdate (RFC 6487 s.5");
}
END_TEST

START_TEST(test_crl_rejects_next_update_before_this_update)
{
	X509_CRL *x = fixture_crl();

	set_times(x, "260601000000Z", "260531235959Z");
	reject(x, "CRL nextUpdate is before thisUpdate (RFC 5280 s.5.1.2.5)");
}
END_TEST

START_TEST(test_crl_rejects_generalized_time_before_2050)
{
	X509_CRL *x = fixture_crl();

	set_times(x, "20260601000000Z", "270601000000Z");
	reject(x,
	       "CRL thisUpdate is not a valid UTCTime or GeneralizedTime "
	       "(RFC 5280 s.5.1.2.4)");
}
END_TEST

START_TEST(test_crl_revoked_finds_listed_serial)
{
	X509_CRL *x = fixture_crl();
	X509 *listed = cert_with_serial("1234");
	X509 *other = cert_with_serial("1235");
	struct crl *crl;

	revoke(x, "1234", -1);
	revoke(x, "10", -1);
	crl = accept(x);
	ck_assert(crl_revoked(crl, listed));
	ck_assert(!crl_revoked(crl, other));
	crl_free(crl);
	X509_free(listed);
	X509_free(other);
}
END_TEST

START_TEST(test_crl_revoked_fixture)
{
	/* roa-revoked: roa7.roa's EE is on its CA's CRL; roa8.roa's is not. */
	char *crl_path = testdata_find("roa-revoked", ".crl", "/ta1-1-0/");
	char *revoked_path = testdata_find("roa-revoked", "/roa7.roa", NULL);
	char *kept_path = testdata_find("roa-revoked", "/roa8.roa", NULL);
	X509 *revoked = ee_of_file(revoked_path), *kept = ee_of_file(kept_path);
	size_t len;
	unsigned char *der = testdata_read(crl_path, &len);
	struct crl *crl = crl_parse(crl_path, der, len);

	ck_assert_ptr_nonnull(crl);
	ck_assert(crl_revoked(crl, revoked));
	ck_assert(!crl_revoked(crl, kept));
	crl_free(crl);
	free(der);
	X509_free(revoked);
	X509_free(kept);
	free(kept_path);
	free(revoked_path);
	free(crl_path);
}
END_TEST

START_TEST(test_crl_free_accepts_null)
{
	crl_free(NULL);
}
END_TEST

static Suite *
crl_suite(void)
{
	Suite *s = suite_create("crl");
	TCase *tc = tcase_create("crl");

	/* Generous: sanitizers make OpenSSL several times slower. */
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_crl_accepts_every_good_crl);
	tcase_add_test(tc, test_crl_times_read_into_time_t);
	tcase_add_test(tc, test_crl_keeps_the_crl);
	tcase_add_test(tc, test_crl_rejects_garbage);
	tcase_add_test(tc, test_crl_rejects_trailing_bytes);
	tcase_add_test(tc, test_crl_rejects_ber_tbs);
	tcase_add_test(tc, test_crl_rejects_truncated);
	tcase_add_test(tc, test_crl_rejects_version_1);
	tcase_add_test(tc, test_crl_rejects_sha1_signature);
	tcase_add_test(tc, test_crl_rejects_mismatched_tbs_signature_algorithm);
	tcase_add_test(tc, test_crl_rejects_missing_aki);
	tcase_add_test(tc, test_crl_rejects_missing_crl_number);
	tcase_add_test(tc, test_crl_rejects_duplicate_crl_number);
	tcase_add_test(tc, test_crl_rejects_other_extension);
	tcase_add_test(tc, test_crl_rejects_critical_crl_number);
	tcase_add_test(tc, test_crl_rejects_aki_with_issuer_and_serial);
	tcase_add_test(tc, test_crl_rejects_short_aki);
	tcase_add_test(tc, test_crl_rejects_negative_crl_number);
	tcase_add_test(tc, test_crl_rejects_crl_number_longer_than_20_octets);
	tcase_add_test(tc, test_crl_accepts_crl_number_of_20_octets);
	tcase_add_test(tc, test_crl_accepts_crl_number_zero);
	tcase_add_test(tc, test_crl_rejects_entry_extensions);
	tcase_add_test(tc, test_crl_rejects_missing_next_update);
	tcase_add_test(tc, test_crl_rejects_next_update_before_this_update);
	tcase_add_test(tc, test_crl_rejects_generalized_time_before_2050);
	tcase_add_test(tc, test_crl_revoked_finds_listed_serial);
	tcase_add_test(tc, test_crl_revoked_fixture);
	tcase_add_test(tc, test_crl_free_accepts_null);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	/* Before srunner_run_all, so the forked tests inherit the key. */
	if ((sign_key = EVP_RSA_gen(2048)) == NULL) {
		fprintf(stderr, "check_crl: cannot make the test key\n");
		return EXIT_FAILURE;
	}
	sr = srunner_create(crl_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	EVP_PKEY_free(sign_key);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
