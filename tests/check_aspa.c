/*
 * Tests for rp/aspa.c: each test proves one rule of the ASPA profile
 * (draft-ietf-sidrops-aspa-profile s.3), and every rejection test also
 * checks that exactly one log line names the URI and the rule, and that
 * nothing is left allocated in the struct.
 *
 * Malformed eContents are written here as DER, built from small pieces by
 * hand, independently of the template in rp/aspa.c. Valid eContents come
 * from the fixture generator's ASPAs, taken out of their CMS envelope with
 * OpenSSL's API.
 */
#include "config.h"

#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/cms.h>

#include "derbuild.h"
#include "rp/aspa.h"
#include "rp/limits.h"
#include "rp/log.h"
#include "testdata.h"

#define URI "rsync://rpki.example.net/repo/ca/test.asa"

/* X.690 tags of the types an ASProviderAttestation is made of. */

/* No version field in aspa_raw(). */
#define NO_VERSION (-1)

/* The providers SEQUENCE OF of n AS numbers. */
static struct der
providers(size_t n, const int64_t *as)
{
	struct der d = der_empty();
	size_t i;

	for (i = 0; i < n; i++)
		d = der_cat(d, der_int(as[i]));
	return der_tlv(TAG_SEQUENCE, d);
}

#define PROVIDERS(...)                                                         \
	providers(sizeof((int64_t[]){__VA_ARGS__}) / sizeof(int64_t),          \
		  (int64_t[]){__VA_ARGS__})

/* ASProviderAttestation: [version,] customerASID, providers. */
static struct der
aspa_raw(int version, struct der customer, struct der provs)
{
	struct der d = der_empty();

	if (version != NO_VERSION)
		d = der_cat(d, der_tlv(TAG_EXPLICIT_0, der_int(version)));
	d = der_cat(d, customer);
	d = der_cat(d, provs);
	return der_tlv(TAG_SEQUENCE, d);
}

static struct der
aspa(int64_t customer, struct der provs)
{
	return aspa_raw(1, der_int(customer), provs);
}

/* aspa_decode() must fail with one line containing why; frees e. */
static void
reject_aspa(struct der e, const char *why)
{
	struct testlog cap;
	struct aspa a;
	char *log;

	/* Garbage: aspa_decode() must overwrite, never free, these. */
	memset(&a, 0xa5, sizeof(a));
	a.so = NULL;
	testlog_start(&cap);
	ck_assert(!aspa_decode(&a, URI, e.d, e.n));
	log = testlog_stop(&cap);
	testlog_assert_one_line(log, URI, why);
	ck_assert_ptr_null(a.providers);
	ck_assert_uint_eq(a.num_providers, 0);
	free(log);
	der_free(e);
}

/* aspa_decode() must succeed without a word; frees e. aspa_free() it. */
static struct aspa *
accept_aspa(struct der e)
{
	struct testlog cap;
	struct aspa *a = calloc(1, sizeof(*a));
	char *log;
	bool ok;

	ck_assert_ptr_nonnull(a);
	testlog_start(&cap);
	ok = aspa_decode(a, URI, e.d, e.n);
	log = testlog_stop(&cap);
	ck_assert_msg(ok, "rejected: %s", log);
	ck_assert_str_eq(log, "");
	ck_assert_ptr_null(a->so);
	free(log);
	der_free(e);
	return a;
}

START_TEST(test_aspa_providers_accepted)
{
	struct aspa *a = accept_aspa(aspa(64496, PROVIDERS(64497, 65551)));

	ck_assert_uint_eq(a->customer, 64496);
	ck_assert_uint_eq(a->num_providers, 2);
	ck_assert_uint_eq(a->providers[0], 64497);
	ck_assert_uint_eq(a->providers[1], 65551);
	aspa_free(a);
}
END_TEST

/* PAS ::= INTEGER (0..4294967295): AS0 says "no provider" and is kept. */
START_TEST(test_aspa_provider_0_accepted)
{
	struct aspa *a = accept_aspa(aspa(64496, PROVIDERS(0)));

	ck_assert_uint_eq(a->num_providers, 1);
	ck_assert_uint_eq(a->providers[0], 0);
	aspa_free(a);
}
END_TEST

START_TEST(test_aspa_asid_2_32_minus_1_accepted)
{
	struct aspa *a = accept_aspa(aspa(4294967295LL, PROVIDERS(1)));
	struct aspa *b = accept_aspa(aspa(1, PROVIDERS(0, 4294967295LL)));

	ck_assert_uint_eq(a->customer, 4294967295U);
	ck_assert_uint_eq(b->customer, 1);
	ck_assert_uint_eq(b->providers[1], 4294967295U);
	aspa_free(a);
	aspa_free(b);
}
END_TEST

/*
 * s.3: CAS ::= INTEGER (1..4294967295), PAS ::= INTEGER (0..4294967295).
 * The values where a 16-bit, a signed 32-bit and an unsigned 32-bit
 * reading part ways, as customer and all at once as providers.
 */
START_TEST(test_aspa_asids_at_16_and_32_bit_boundaries_accepted)
{
	static const int64_t asids[] = {65535, 65536, 2147483647LL,
					2147483648LL, 4294967295LL};
	struct aspa *a;
	size_t i;

	for (i = 0; i < sizeof(asids) / sizeof(asids[0]); i++) {
		a = accept_aspa(aspa(asids[i], PROVIDERS(1)));
		ck_assert_uint_eq(a->customer, (uint32_t)asids[i]);
		aspa_free(a);
	}
	a = accept_aspa(aspa(1,
			     PROVIDERS(0, 65535, 65536, 2147483647LL,
				       2147483648LL, 4294967295LL)));
	ck_assert_uint_eq(a->num_providers, 6);
	for (i = 0; i < sizeof(asids) / sizeof(asids[0]); i++)
		ck_assert_uint_eq(a->providers[i + 1], (uint32_t)asids[i]);
	aspa_free(a);
}
END_TEST

/* s.3.1: "MUST be 1 and MUST be explicitly encoded". */
START_TEST(test_aspa_version_0_rejected)
{
	reject_aspa(aspa_raw(0, der_int(64496), PROVIDERS(64497)),
		    URI ": ASPA version is not 1 (ASPA profile s.3.1)");
}
END_TEST

START_TEST(test_aspa_version_absent_rejected)
{
	reject_aspa(aspa_raw(NO_VERSION, der_int(64496), PROVIDERS(64497)),
		    URI ": ASPA version is absent, it must be 1 and explicitly "
			"encoded (ASPA profile s.3.1)");
}
END_TEST

START_TEST(test_aspa_version_2_rejected)
{
	reject_aspa(aspa_raw(2, der_int(64496), PROVIDERS(64497)),
		    "ASPA version is not 1 (ASPA profile s.3.1)");
}
END_TEST

/* s.3: CAS ::= INTEGER (1..4294967295). */
START_TEST(test_aspa_customer_0_rejected)
{
	reject_aspa(aspa(0, PROVIDERS(64497)),
		    "ASPA customerASID is not in 1..4294967295 (ASPA profile "
		    "s.3.2)");
}
END_TEST

START_TEST(test_aspa_customer_2_32_rejected)
{
	reject_aspa(aspa(4294967296LL, PROVIDERS(64497)),
		    "ASPA customerASID is not in 1..4294967295 (ASPA profile "
		    "s.3.2)");
}
END_TEST

START_TEST(test_aspa_negative_customer_rejected)
{
	reject_aspa(aspa(-64496, PROVIDERS(64497)),
		    "ASPA customerASID is not in 1..4294967295");
}
END_TEST

START_TEST(test_aspa_provider_2_32_rejected)
{
	reject_aspa(aspa(64496, PROVIDERS(64497, 4294967296LL)),
		    URI ": ASPA provider 2 is not in 0..4294967295 (ASPA "
			"profile s.3)");
}
END_TEST

START_TEST(test_aspa_negative_provider_rejected)
{
	reject_aspa(aspa(64496, PROVIDERS(-1)),
		    "ASPA provider 1 is not in 0..4294967295 (ASPA profile "
		    "s.3)");
}
END_TEST

START_TEST(test_aspa_unsorted_providers_rejected)
{
	reject_aspa(aspa(64496, PROVIDERS(64497, 65551, 65550)),
		    "ASPA providers are not in ascending order (ASPA profile "
		    "s.3.3)");
}
END_TEST

START_TEST(test_aspa_duplicate_provider_rejected)
{
	reject_aspa(aspa(64496, PROVIDERS(64497, 65551, 65551)),
		    "ASPA lists provider AS65551 twice (ASPA profile s.3.3)");
}
END_TEST

START_TEST(test_aspa_customer_in_providers_rejected)
{
	reject_aspa(aspa(64496, PROVIDERS(64495, 64496, 64497)),
		    "ASPA providers contain the customer AS64496 (ASPA "
		    "profile s.3.3)");
}
END_TEST

START_TEST(test_aspa_empty_providers_rejected)
{
	reject_aspa(aspa(64496, der_tlv(TAG_SEQUENCE, der_empty())),
		    URI ": ASPA providers is empty (ASPA profile s.3.3)");
}
END_TEST

/* n providers from AS1 up, for the customer AS0xffffffff. */
static struct der
many_providers(size_t n)
{
	struct der d = der_empty();
	size_t i;

	for (i = 0; i < n; i++)
		d = der_cat(d, der_int((int64_t)i + 1));
	return aspa(4294967295LL, der_tlv(TAG_SEQUENCE, d));
}

START_TEST(test_aspa_max_providers_accepted)
{
	struct aspa *a = accept_aspa(many_providers(MAX_ASPA_PROVIDERS));

	ck_assert_uint_eq(a->num_providers, MAX_ASPA_PROVIDERS);
	ck_assert_uint_eq(a->providers[MAX_ASPA_PROVIDERS - 1],
			  MAX_ASPA_PROVIDERS);
	aspa_free(a);
}
END_TEST

START_TEST(test_aspa_more_than_max_providers_rejected)
{
	reject_aspa(many_providers(MAX_ASPA_PROVIDERS + 1),
		    "ASPA lists more than 10000 providers");
}
END_TEST

/* X.690 s.10.1: the definite form in the fewest octets. */
START_TEST(test_aspa_ber_rejected)
{
	struct der good = aspa(64496, PROVIDERS(64497));
	unsigned char len = good.d[1];
	struct der e;

	ck_assert_uint_lt(len, 0x80);
	e = der_bytes("\x30\x81", 2);
	e = der_cat(e, der_bytes(&len, 1));
	e = der_cat(e, der_bytes(good.d + 2, good.n - 2));
	der_free(good);
	reject_aspa(e,
		    "ASProviderAttestation is not DER-encoded "
		    "(RFC 6488 s.2.1.3.2, X.690 s.10-11)");
}
END_TEST

START_TEST(test_aspa_indefinite_length_rejected)
{
	struct der good = aspa(64496, PROVIDERS(64497));
	struct der e = der_bytes("\x30\x80", 2);

	e = der_cat(e, der_bytes(good.d + 2, good.n - 2));
	e = der_cat(e, der_bytes("\x00\x00", 2));
	der_free(good);
	reject_aspa(e, "ASProviderAttestation is not DER-encoded");
}
END_TEST

START_TEST(test_aspa_trailing_bytes_rejected)
{
	struct der e =
	    der_cat(aspa(64496, PROVIDERS(64497)), der_bytes("\x00\x00", 2));

	reject_aspa(e,
		    URI ": 2 bytes after the ASProviderAttestation "
			"(ASPA profile s.3)");
}
END_TEST

START_TEST(test_aspa_truncated_rejected)
{
	struct der e = aspa(64496, PROVIDERS(64497));

	e.n--;
	reject_aspa(e,
		    "eContent is not an ASProviderAttestation (ASPA "
		    "profile s.3)");
}
END_TEST

START_TEST(test_aspa_empty_econtent_rejected)
{
	reject_aspa(der_empty(),
		    "eContent is not an ASProviderAttestation (ASPA profile "
		    "s.3)");
}
END_TEST

/* Draft -07's shape: version 0 (absent), an AFI, then the ASes. */
START_TEST(test_aspa_old_draft_afi_field_rejected)
{
	struct der e =
	    aspa_raw(NO_VERSION,
		     der_tlv(TAG_OCTET_STRING, der_bytes("\x00\x01", 2)),
		     der_cat(der_int(64496), PROVIDERS(64497)));

	reject_aspa(e,
		    "eContent is not an ASProviderAttestation (ASPA "
		    "profile s.3)");
}
END_TEST

START_TEST(test_aspa_free_null)
{
	aspa_free(NULL);
}
END_TEST

/* The eContent of the signed object at path, through OpenSSL's CMS API. */
static unsigned char *
fixture_econtent(const char *path, size_t *len)
{
	size_t n;
	unsigned char *der = testdata_read(path, &n), *out;
	const unsigned char *p = der;
	CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &p, (long)n);
	ASN1_OCTET_STRING **content;

	ck_assert_msg(cms != NULL, "%s is not CMS", path);
	content = CMS_get0_content(cms);
	ck_assert(content != NULL && *content != NULL);
	*len = (size_t)ASN1_STRING_length(*content);
	out = malloc(*len);
	ck_assert_ptr_nonnull(out);
	memcpy(out, ASN1_STRING_get0_data(*content), *len);
	CMS_ContentInfo_free(cms);
	free(der);
	return out;
}

/* "AS87381,AS89730 AS112085", as in expected/aspas.csv without the TA. */
static char *
aspa_line(const struct aspa *a)
{
	size_t i, len = 0;
	char *s = malloc(32 + 12 * a->num_providers);

	ck_assert_ptr_nonnull(s);
	len += (size_t)sprintf(s, "AS%u,", a->customer);
	for (i = 0; i < a->num_providers; i++)
		len += (size_t)sprintf(s + len, "%sAS%u", i > 0 ? " " : "",
				       a->providers[i]);
	return s;
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Every ASPA of the good case decodes, and together they give exactly
 * the rows the generator expects (the good case rejects nothing).
 */
START_TEST(test_aspa_fixture_econtents_give_expected_aspas)
{
	char *want[64], *got[64], buf[1024], *comma;
	size_t i, n, nwant = 0;
	char **paths = testdata_find_all("good", ".asa", NULL, &n);
	char *csv = testdata_path("good", "expected/aspas.csv");
	FILE *fp = fopen(csv, "r");

	ck_assert_uint_gt(n, 0);
	ck_assert_uint_le(n, 64);
	for (i = 0; i < n; i++) {
		size_t len;
		unsigned char *e = fixture_econtent(paths[i], &len);
		struct aspa a = {0};

		ck_assert_msg(aspa_decode(&a, paths[i], e, len), "%s rejected",
			      paths[i]);
		got[i] = aspa_line(&a);
		free(a.providers);
		free(e);
		free(paths[i]);
	}
	free(paths);

	ck_assert_msg(fp != NULL, "cannot open %s", csv);
	ck_assert_ptr_nonnull(fgets(buf, sizeof(buf), fp));
	while (fgets(buf, sizeof(buf), fp) != NULL) {
		ck_assert_uint_lt(nwant, 64);
		ck_assert_ptr_nonnull(comma = strrchr(buf, ','));
		*comma = '\0';
		want[nwant++] = strdup(buf);
	}
	fclose(fp);
	free(csv);

	ck_assert_uint_eq(n, nwant);
	qsort(got, n, sizeof(*got), str_cmp);
	qsort(want, n, sizeof(*want), str_cmp);
	for (i = 0; i < n; i++) {
		ck_assert_str_eq(got[i], want[i]);
		free(got[i]);
		free(want[i]);
	}
}
END_TEST

START_TEST(test_aspa_parse_accepts_fixture_objects)
{
	size_t i, n;
	char **paths = testdata_find_all("good", ".asa", NULL, &n);

	ck_assert_uint_gt(n, 0);
	for (i = 0; i < n; i++) {
		struct testlog cap;
		size_t len;
		unsigned char *der = testdata_read(paths[i], &len);
		struct aspa *a;
		char *log;

		testlog_start(&cap);
		a = aspa_parse(paths[i], der, len);
		log = testlog_stop(&cap);
		ck_assert_msg(a != NULL, "%s rejected: %s", paths[i], log);
		ck_assert_str_eq(log, "");
		ck_assert_ptr_nonnull(a->so);
		ck_assert_ptr_nonnull(a->so->ee);
		ck_assert_uint_gt(a->num_providers, 0);
		aspa_free(a);
		free(log);
		free(der);
		free(paths[i]);
	}
	free(paths);
}
END_TEST

/* The eContentType must be id-ct-ASPA. */
START_TEST(test_aspa_parse_rejects_roa_object)
{
	char *path = testdata_find("good", ".roa", NULL);
	struct testlog cap;
	unsigned char *der;
	size_t len;
	char *log;

	der = testdata_read(path, &len);
	testlog_start(&cap);
	ck_assert_ptr_null(aspa_parse(path, der, len));
	log = testlog_stop(&cap);
	testlog_assert_one_line(log, path, "wrong eContentType");
	free(log);
	free(der);
	free(path);
}
END_TEST

/* A flipped signature bit: the envelope refuses it before the eContent. */
START_TEST(test_aspa_parse_rejects_bad_signature)
{
	char *path = testdata_find("good", ".asa", NULL);
	struct testlog cap;
	unsigned char *der;
	size_t len;
	char *log;

	der = testdata_read(path, &len);
	der[len - 5] ^= 0x01;
	testlog_start(&cap);
	ck_assert_ptr_null(aspa_parse(path, der, len));
	log = testlog_stop(&cap);
	testlog_assert_one_line(log, path, "CMS signature does not verify");
	free(log);
	free(der);
	free(path);
}
END_TEST

static Suite *
aspa_suite(void)
{
	Suite *s = suite_create("aspa");
	TCase *tc = tcase_create("econtent");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_aspa_providers_accepted);
	tcase_add_test(tc, test_aspa_provider_0_accepted);
	tcase_add_test(tc, test_aspa_asid_2_32_minus_1_accepted);
	tcase_add_test(tc,
		       test_aspa_asids_at_16_and_32_bit_boundaries_accepted);
	tcase_add_test(tc, test_aspa_version_0_rejected);
	tcase_add_test(tc, test_aspa_version_absent_rejected);
	tcase_add_test(tc, test_aspa_version_2_rejected);
	tcase_add_test(tc, test_aspa_customer_0_rejected);
	tcase_add_test(tc, test_aspa_customer_2_32_rejected);
	tcase_add_test(tc, test_aspa_negative_customer_rejected);
	tcase_add_test(tc, test_aspa_provider_2_32_rejected);
	tcase_add_test(tc, test_aspa_negative_provider_rejected);
	tcase_add_test(tc, test_aspa_unsorted_providers_rejected);
	tcase_add_test(tc, test_aspa_duplicate_provider_rejected);
	tcase_add_test(tc, test_aspa_customer_in_providers_rejected);
	tcase_add_test(tc, test_aspa_empty_providers_rejected);
	tcase_add_test(tc, test_aspa_max_providers_accepted);
	tcase_add_test(tc, test_aspa_more_than_max_providers_rejected);
	tcase_add_test(tc, test_aspa_ber_rejected);
	tcase_add_test(tc, test_aspa_indefinite_length_rejected);
	tcase_add_test(tc, test_aspa_trailing_bytes_rejected);
	tcase_add_test(tc, test_aspa_truncated_rejected);
	tcase_add_test(tc, test_aspa_empty_econtent_rejected);
	tcase_add_test(tc, test_aspa_old_draft_afi_field_rejected);
	tcase_add_test(tc, test_aspa_free_null);
	suite_add_tcase(s, tc);

	tc = tcase_create("fixtures");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_aspa_fixture_econtents_give_expected_aspas);
	tcase_add_test(tc, test_aspa_parse_accepts_fixture_objects);
	tcase_add_test(tc, test_aspa_parse_rejects_roa_object);
	tcase_add_test(tc, test_aspa_parse_rejects_bad_signature);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(aspa_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
