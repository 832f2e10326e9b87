/*
 * Tests for rp/slurm.c: RFC 8416's own examples load and do what the RFC
 * says to a set built with vrpset_add_*; every rule of s.3 refuses what
 * breaks it, naming the file and the member; s.4.2's overlap between
 * files is found; filters run before assertions (s.4).
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "rp/slurm.h"
#include "rp/vrpset.h"
#include "testdata.h"

/* Files a test wrote, removed by the fixture's teardown. */
static char tmpdir[64];
static char paths[32][128];
static size_t num_paths;
static char err[1024];

static void
setup_tmpdir(void)
{
	strcpy(tmpdir, "/tmp/vrpd-check-slurm-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	num_paths = 0;
	err[0] = '\0';
}

static void
teardown_tmpdir(void)
{
	size_t i;

	for (i = 0; i < num_paths; i++)
		unlink(paths[i]);
	ck_assert_int_eq(rmdir(tmpdir), 0);
}

/* Writes len bytes of text to a new file of the test; returns its path. */
static const char *
write_file(const char *text, size_t len)
{
	char *path;
	FILE *fp;

	ck_assert_uint_lt(num_paths, sizeof(paths) / sizeof(paths[0]));
	path = paths[num_paths];
	snprintf(path, sizeof(paths[0]), "%s/%zu.slurm", tmpdir, num_paths);
	num_paths++;
	ck_assert_ptr_nonnull(fp = fopen(path, "w"));
	ck_assert_uint_eq(fwrite(text, 1, len, fp), len);
	ck_assert_int_eq(fclose(fp), 0);
	return path;
}

static struct slurm *
load_ok(const char *text)
{
	struct slurm *s =
	    slurm_load(write_file(text, strlen(text)), err, sizeof(err));

	ck_assert_msg(s != NULL, "load failed: %s", err);
	return s;
}

/* Fails unless text is refused with "PATH: where: ..." holding what. */
static void
load_err_len(const char *text, size_t len, const char *where, const char *what)
{
	const char *path = write_file(text, len);
	char want[256];

	ck_assert_ptr_null(slurm_load(path, err, sizeof(err)));
	snprintf(want, sizeof(want), "%s: %s: ", path, where);
	ck_assert_msg(strncmp(err, want, strlen(want)) == 0,
		      "want \"%s\" at the start of \"%s\"", want, err);
	ck_assert_msg(strstr(err, what) != NULL, "want \"%s\" in \"%s\"", what,
		      err);
}

static void
load_err(const char *text, const char *where, const char *what)
{
	load_err_len(text, strlen(text), where, what);
}

/* A version 1 file with the four lists' contents; caller frees. */
static char *
doc(const char *pf, const char *bf, const char *pa, const char *ba)
{
	char *s;

	ck_assert_int_ge(asprintf(&s,
				  "{\"slurmVersion\": 1,\n"
				  " \"validationOutputFilters\": {\n"
				  "  \"prefixFilters\": [%s],\n"
				  "  \"bgpsecFilters\": [%s]},\n"
				  " \"locallyAddedAssertions\": {\n"
				  "  \"prefixAssertions\": [%s],\n"
				  "  \"bgpsecAssertions\": [%s]}}\n",
				  pf, bf, pa, ba),
			 0);
	return s;
}

/* doc() with one entry in one list (0-3 in the order of doc's args). */
static void
entry_err(int list, const char *entry, const char *where, const char *what)
{
	const char *l[4] = {"", "", "", ""};
	char *s;

	l[list] = entry;
	s = doc(l[0], l[1], l[2], l[3]);
	load_err(s, where, what);
	free(s);
}

static struct slurm *
entry_ok(int list, const char *entry)
{
	const char *l[4] = {"", "", "", ""};
	struct slurm *sl;
	char *s;

	l[list] = entry;
	s = doc(l[0], l[1], l[2], l[3]);
	sl = load_ok(s);
	free(s);
	return sl;
}

/* RFC 4648 s.5 without padding, as RFC 8416 writes keys; caller frees. */
static char *
b64url(const unsigned char *in, size_t len)
{
	char *out = malloc((len + 2) / 3 * 4 + 1), *p;

	ck_assert_ptr_nonnull(out);
	EVP_EncodeBlock((unsigned char *)out, in, (int)len);
	for (p = out; *p != '\0'; p++) {
		if (*p == '+')
			*p = '-';
		else if (*p == '/')
			*p = '_';
		else if (*p == '=')
			*p = '\0';
	}
	return out;
}

/* A router key: a fresh P-256 SPKI in DER; caller frees. */
static unsigned char *
router_spki(size_t *len)
{
	EVP_PKEY *pkey = EVP_EC_gen("P-256");
	unsigned char *der = NULL;
	int n;

	ck_assert_ptr_nonnull(pkey);
	ck_assert_int_gt(n = i2d_PUBKEY(pkey, &der), 0);
	EVP_PKEY_free(pkey);
	*len = (size_t)n;
	return der;
}

/* The same, in base64url; caller frees. */
static char *
router_spki_b64(void)
{
	unsigned char *der;
	size_t len;
	char *s;

	der = router_spki(&len);
	s = b64url(der, len);
	OPENSSL_free(der);
	return s;
}

/* "12345678901234567890" (20 bytes), in base64url: an SKI. */
#define SKI_A	    "MTIzNDU2Nzg5MDEyMzQ1Njc4OTA"
#define SKI_A_BYTES "12345678901234567890"
/* Twenty 0xff bytes. */
#define SKI_B "__________________________8"

static struct vrpset *
set_with_ta(void)
{
	struct vrpset *set = vrpset_new();

	ck_assert_ptr_nonnull(set);
	ck_assert_int_eq(vrpset_add_ta(set, "ta1"), 0);
	return set;
}

static void
add_vrp(struct vrpset *set, const char *addr, unsigned int len,
	unsigned int maxlen, uint32_t asn)
{
	struct vrp v = testdata_vrp(addr, len, maxlen, asn, 0);

	ck_assert(vrpset_add_vrp(set, &v));
}

/* Fails unless set->vrps[i] is addr/len-maxlen ASN under TA name ta. */
static void
assert_vrp(const struct vrpset *set, size_t i, const char *addr,
	   unsigned int len, unsigned int maxlen, uint32_t asn, const char *ta)
{
	struct vrp want = testdata_vrp(addr, len, maxlen, asn, 0);
	const struct vrp *got;

	ck_assert_uint_lt(i, set->num_vrps);
	got = &set->vrps[i];
	ck_assert_msg(got->afi == want.afi &&
			  memcmp(got->addr, want.addr, 16) == 0 &&
			  got->prefixlen == len && got->maxlen == maxlen &&
			  got->asn == asn,
		      "VRP %zu is not %s/%u-%u AS%u", i, addr, len, maxlen,
		      asn);
	ck_assert_str_eq(set->tas[got->ta], ta);
}

/* RFC 8416 s.3.5 --------------------------------------------------------- */

/* RFC 8416 s.3.5, the first example: an empty SLURM file. */
static const char rfc_empty[] = "{\n"
				"  \"slurmVersion\": 1,\n"
				"  \"validationOutputFilters\": {\n"
				"    \"prefixFilters\": [],\n"
				"    \"bgpsecFilters\": []\n"
				"  },\n"
				"  \"locallyAddedAssertions\": {\n"
				"    \"prefixAssertions\": [],\n"
				"    \"bgpsecAssertions\": []\n"
				"  }\n"
				"}\n";

/*
 * RFC 8416 s.3.5, the second example, as written there but for its
 * placeholders "<some base64 SKI>" and "<some base64 public key>": SKI_A
 * and a real P-256 key stand in for them (%s).
 */
static const char rfc_full[] =
    "{\n"
    "  \"slurmVersion\": 1,\n"
    "  \"validationOutputFilters\": {\n"
    "    \"prefixFilters\": [\n"
    "      {\n"
    "        \"prefix\": \"192.0.2.0/24\",\n"
    "        \"comment\": \"All VRPs encompassed by prefix\"\n"
    "      },\n"
    "      {\n"
    "        \"asn\": 64496,\n"
    "        \"comment\": \"All VRPs matching ASN\"\n"
    "      },\n"
    "      {\n"
    "        \"prefix\": \"198.51.100.0/24\",\n"
    "        \"asn\": 64497,\n"
    "        \"comment\": \"All VRPs encompassed by prefix, matching ASN\"\n"
    "      }\n"
    "    ],\n"
    "    \"bgpsecFilters\": [\n"
    "      {\n"
    "        \"asn\": 64496,\n"
    "        \"comment\": \"All keys for ASN\"\n"
    "      },\n"
    "      {\n"
    "        \"SKI\": \"" SKI_A "\",\n"
    "        \"comment\": \"Key matching Router SKI\"\n"
    "      },\n"
    "      {\n"
    "        \"asn\": 64497,\n"
    "        \"SKI\": \"" SKI_A "\",\n"
    "        \"comment\": \"Key for ASN 64497 matching Router SKI\"\n"
    "      }\n"
    "    ]\n"
    "  },\n"
    "  \"locallyAddedAssertions\": {\n"
    "    \"prefixAssertions\": [\n"
    "      {\n"
    "        \"asn\": 64496,\n"
    "        \"prefix\": \"198.51.100.0/24\",\n"
    "        \"comment\": \"My other important route\"\n"
    "      },\n"
    "      {\n"
    "        \"asn\": 64496,\n"
    "        \"prefix\": \"2001:DB8::/32\",\n"
    "        \"maxPrefixLength\": 48,\n"
    "        \"comment\": \"My other important de-aggregated routes\"\n"
    "      }\n"
    "    ],\n"
    "    \"bgpsecAssertions\": [\n"
    "      {\n"
    "        \"asn\": 64496,\n"
    "        \"comment\" : \"My known key for my important ASN\",\n"
    "        \"SKI\": \"" SKI_A "\",\n"
    "        \"routerPublicKey\": \"%s\"\n"
    "      }\n"
    "    ]\n"
    "  }\n"
    "}\n";

START_TEST(test_slurm_rfc8416_empty_example_changes_nothing)
{
	struct slurm *s = load_ok(rfc_empty);
	struct vrpset *set = set_with_ta();

	add_vrp(set, "192.0.2.0", 24, 24, 64496);
	ck_assert(slurm_apply(&s, 1, set));
	ck_assert_uint_eq(set->num_vrps, 1);
	/* No assertion, so no "slurm" TA in the per-TA counts. */
	ck_assert_uint_eq(set->num_tas, 1);
	vrpset_free(set);
	slurm_free(s);
}
END_TEST

static unsigned char ski_a[] = SKI_A_BYTES;
static unsigned char ski_c[20] = {0xc0};

/*
 * The RFC's example file over a set made to show each of its entries at
 * work: what each filter removes, what it must leave, and that the
 * assertions survive filters that would match them (RFC 8416 s.4).
 */
START_TEST(test_slurm_rfc8416_full_example_filters_then_asserts)
{
	unsigned char *spki;
	size_t spki_len;
	char *text, *key;
	struct slurm *s;
	struct vrpset *set = set_with_ta();

	spki = router_spki(&spki_len);
	key = b64url(spki, spki_len);
	ck_assert_int_ge(asprintf(&text, rfc_full, key), 0);
	s = load_ok(text);

	add_vrp(set, "192.0.2.0", 24, 24, 64500);     /* prefix filter */
	add_vrp(set, "192.0.2.128", 25, 28, 64501);   /* covered by it */
	add_vrp(set, "192.0.0.0", 16, 24, 64500);     /* covers it: kept */
	add_vrp(set, "203.0.113.0", 24, 24, 64496);   /* ASN filter */
	add_vrp(set, "198.51.100.0", 24, 24, 64497);  /* prefix+ASN */
	add_vrp(set, "198.51.100.64", 26, 26, 64497); /* covered, same ASN */
	add_vrp(set, "198.51.100.0", 24, 24, 64498);  /* other ASN: kept */
	add_vrp(set, "198.51.0.0", 16, 24, 64497);    /* less specific: kept */
	add_vrp(set, "2001:db8::", 32, 32, 64499);    /* kept */

	ck_assert(vrpset_add_key(set, 0, 64496, ski_c, spki, spki_len));
	ck_assert(vrpset_add_key(set, 0, 64500, ski_a, spki, spki_len));
	ck_assert(vrpset_add_key(set, 0, 64497, ski_a, spki, spki_len));
	ck_assert(vrpset_add_key(set, 0, 64497, ski_c, spki, spki_len));
	ck_assert(vrpset_finish(set));

	ck_assert(slurm_apply(&s, 1, set));

	ck_assert_uint_eq(set->num_vrps, 6);
	assert_vrp(set, 0, "192.0.0.0", 16, 24, 64500, "ta1");
	assert_vrp(set, 1, "198.51.0.0", 16, 24, 64497, "ta1");
	/* Asserted after the ASN 64496 filter ran, so it stays. */
	assert_vrp(set, 2, "198.51.100.0", 24, 24, 64496, SLURM_TA_NAME);
	assert_vrp(set, 3, "198.51.100.0", 24, 24, 64498, "ta1");
	assert_vrp(set, 4, "2001:db8::", 32, 32, 64499, "ta1");
	assert_vrp(set, 5, "2001:db8::", 32, 48, 64496, SLURM_TA_NAME);

	/* Left: AS64497 with another SKI; added: the asserted key. */
	ck_assert_uint_eq(set->num_keys, 2);
	ck_assert_uint_eq(set->keys[0].asn, 64496);
	ck_assert_str_eq(set->tas[set->keys[0].ta], SLURM_TA_NAME);
	ck_assert_mem_eq(set->keys[0].ski, ski_a, 20);
	ck_assert_uint_eq(set->keys[0].spki_len, spki_len);
	ck_assert_mem_eq(set->keys[0].spki, spki, spki_len);
	ck_assert_uint_eq(set->keys[1].asn, 64497);
	ck_assert_mem_eq(set->keys[1].ski, ski_c, 20);

	vrpset_free(set);
	slurm_free(s);
	OPENSSL_free(spki);
	free(key);
	free(text);
}
END_TEST

/* Filters ----------------------------------------------------------------- */

START_TEST(test_slurm_prefix_filter_removes_more_specifics_of_any_asn)
{
	struct slurm *s =
	    entry_ok(0, "{\"prefix\": \"10.0.0.0/8\", \"comment\": \"x\"}");
	struct vrpset *set = set_with_ta();

	add_vrp(set, "10.0.0.0", 8, 8, 1);
	add_vrp(set, "10.1.0.0", 16, 24, 2);
	add_vrp(set, "10.255.255.255", 32, 32, 3);
	add_vrp(set, "8.0.0.0", 7, 8, 4);  /* next door below */
	add_vrp(set, "11.0.0.0", 8, 8, 5); /* next door */
	add_vrp(set, "::", 8, 8, 6);	   /* IPv6 with the same bits */
	add_vrp(set, "a00::", 8, 8, 7);	   /* IPv6 0a00::/8 */
	ck_assert(slurm_apply(&s, 1, set));
	ck_assert_uint_eq(set->num_vrps, 4);
	assert_vrp(set, 0, "8.0.0.0", 7, 8, 4, "ta1");
	assert_vrp(set, 1, "11.0.0.0", 8, 8, 5, "ta1");
	assert_vrp(set, 2, "::", 8, 8, 6, "ta1");
	assert_vrp(set, 3, "a00::", 8, 8, 7, "ta1");
	vrpset_free(set);
	slurm_free(s);
}
END_TEST

START_TEST(test_slurm_prefix_filter_v6_and_unaligned_length)
{
	struct slurm *s = entry_ok(0, "{\"prefix\": \"2001:db8:8000::/33\"}");
	struct vrpset *set = set_with_ta();

	add_vrp(set, "2001:db8::", 32, 48, 1);	    /* less specific */
	add_vrp(set, "2001:db8::", 33, 48, 2);	    /* the other half */
	add_vrp(set, "2001:db8:8000::", 33, 33, 3); /* equal */
	add_vrp(set, "2001:db8:ffff::", 48, 48, 4); /* inside */
	ck_assert(slurm_apply(&s, 1, set));
	ck_assert_uint_eq(set->num_vrps, 2);
	assert_vrp(set, 0, "2001:db8::", 32, 48, 1, "ta1");
	assert_vrp(set, 1, "2001:db8::", 33, 48, 2, "ta1");
	vrpset_free(set);
	slurm_free(s);
}
END_TEST

START_TEST(test_slurm_asn_filter_removes_every_prefix_of_that_asn)
{
	struct slurm *s = entry_ok(0, "{\"asn\": 4294967295}");
	struct vrpset *set = set_with_ta();

	add_vrp(set, "10.0.0.0", 8, 8, 4294967295u);
	add_vrp(set, "2001:db8::", 32, 32, 4294967295u);
	add_vrp(set, "10.0.0.0", 8, 8, 0);
	ck_assert(slurm_apply(&s, 1, set));
	ck_assert_uint_eq(set->num_vrps, 1);
	assert_vrp(set, 0, "10.0.0.0", 8, 8, 0, "ta1");
	vrpset_free(set);
	slurm_free(s);
}
END_TEST

START_TEST(test_slurm_prefix_and_asn_filter_needs_both)
{
	struct slurm *s =
	    entry_ok(0, "{\"prefix\": \"10.0.0.0/8\", \"asn\": 64496}");
	struct vrpset *set = set_with_ta();

	add_vrp(set, "10.1.0.0", 16, 16, 64496); /* both: removed */
	add_vrp(set, "10.1.0.0", 16, 16, 64497); /* prefix only */
	add_vrp(set, "12.0.0.0", 8, 8, 64496);	 /* ASN only */
	ck_assert(slurm_apply(&s, 1, set));
	ck_assert_uint_eq(set->num_vrps, 2);
	assert_vrp(set, 0, "10.1.0.0", 16, 16, 64497, "ta1");
	assert_vrp(set, 1, "12.0.0.0", 8, 8, 64496, "ta1");
	vrpset_free(set);
	slurm_free(s);
}
END_TEST

START_TEST(test_slurm_bgpsec_filters_by_asn_ski_and_both)
{
	struct slurm *s[3];
	unsigned char *spki, ski_b[20];
	struct vrpset *set = set_with_ta();
	size_t len;

	memset(ski_b, 0xff, sizeof(ski_b));
	spki = router_spki(&len);
	s[0] = entry_ok(1, "{\"asn\": 1}");
	s[1] = entry_ok(1, "{\"SKI\": \"" SKI_B "\"}");
	s[2] = entry_ok(1, "{\"asn\": 3, \"SKI\": \"" SKI_A "\"}");
	ck_assert(vrpset_add_key(set, 0, 1, ski_c, spki, len)); /* asn */
	ck_assert(vrpset_add_key(set, 0, 2, ski_b, spki, len)); /* SKI */
	ck_assert(vrpset_add_key(set, 0, 3, ski_a, spki, len)); /* both */
	ck_assert(vrpset_add_key(set, 0, 3, ski_c, spki, len)); /* kept */
	ck_assert(vrpset_add_key(set, 0, 4, ski_a, spki, len)); /* kept */
	ck_assert(slurm_apply(s, 3, set));
	ck_assert_uint_eq(set->num_keys, 2);
	ck_assert_uint_eq(set->keys[0].asn, 3);
	ck_assert_mem_eq(set->keys[0].ski, ski_c, 20);
	ck_assert_uint_eq(set->keys[1].asn, 4);
	vrpset_free(set);
	slurm_free(s[0]);
	slurm_free(s[1]);
	slurm_free(s[2]);
	OPENSSL_free(spki);
}
END_TEST

/* Assertions -------------------------------------------------------------- */

START_TEST(test_slurm_assertions_added_under_slurm_ta)
{
	struct slurm *s =
	    entry_ok(2,
		     "{\"prefix\": \"192.0.2.0/24\", \"asn\": 64496},"
		     "{\"prefix\": \"2001:db8::/32\", \"asn\": 0, "
		     "\"maxPrefixLength\": 128, \"comment\": \"\"}");
	struct vrpset *set = set_with_ta();

	/* The same VRP from a TA stays: the two differ by TA. */
	add_vrp(set, "192.0.2.0", 24, 24, 64496);
	ck_assert(slurm_apply(&s, 1, set));
	ck_assert_uint_eq(set->num_tas, 2);
	ck_assert_uint_eq(set->num_vrps, 3);
	/* maxPrefixLength absent: the prefix length (RFC 8416 s.3.4.1). */
	assert_vrp(set, 0, "192.0.2.0", 24, 24, 64496, "ta1");
	assert_vrp(set, 1, "192.0.2.0", 24, 24, 64496, SLURM_TA_NAME);
	assert_vrp(set, 2, "2001:db8::", 32, 128, 0, SLURM_TA_NAME);
	vrpset_free(set);
	slurm_free(s);
}
END_TEST

START_TEST(test_slurm_bgpsec_assertion_adds_router_key)
{
	unsigned char *spki;
	size_t len;
	char *key, *entry;
	struct slurm *s;
	struct vrpset *set = set_with_ta();

	spki = router_spki(&len);
	key = b64url(spki, len);
	ck_assert_int_ge(asprintf(&entry,
				  "{\"asn\": 65000, \"SKI\": \"" SKI_A "\", "
				  "\"routerPublicKey\": \"%s\"}",
				  key),
			 0);
	s = entry_ok(3, entry);
	ck_assert(slurm_apply(&s, 1, set));
	ck_assert_uint_eq(set->num_keys, 1);
	ck_assert_uint_eq(set->keys[0].asn, 65000);
	ck_assert_mem_eq(set->keys[0].ski, ski_a, 20);
	ck_assert_uint_eq(set->keys[0].spki_len, len);
	ck_assert_mem_eq(set->keys[0].spki, spki, len);
	ck_assert_str_eq(set->tas[set->keys[0].ta], SLURM_TA_NAME);
	vrpset_free(set);
	slurm_free(s);
	OPENSSL_free(spki);
	free(key);
	free(entry);
}
END_TEST

/* Two files: B's filter does not touch A's assertion; both apply. */
START_TEST(test_slurm_two_files_filters_of_one_never_remove_assertions)
{
	struct slurm *s[2];
	char *a = doc("", "", "{\"prefix\": \"10.0.0.0/8\", \"asn\": 7}", "");
	char *b = doc("{\"asn\": 7}", "", "", "");
	struct vrpset *set = set_with_ta();

	s[0] = load_ok(a);
	s[1] = load_ok(b);
	ck_assert(slurm_check_overlap(s, 2, err, sizeof(err)));
	add_vrp(set, "11.0.0.0", 8, 8, 7);
	ck_assert(slurm_apply(s, 2, set));
	ck_assert_uint_eq(set->num_vrps, 1);
	assert_vrp(set, 0, "10.0.0.0", 8, 8, 7, SLURM_TA_NAME);
	vrpset_free(set);
	slurm_free(s[0]);
	slurm_free(s[1]);
	free(a);
	free(b);
}
END_TEST

/* Overlap (RFC 8416 s.4.2) ------------------------------------------------ */

/* Loads a and b and returns what slurm_check_overlap says of them. */
static bool
overlap_ok(const char *a, const char *b)
{
	struct slurm *s[2];
	bool ok;

	s[0] = load_ok(a);
	s[1] = load_ok(b);
	err[0] = '\0';
	ok = slurm_check_overlap(s, 2, err, sizeof(err));
	slurm_free(s[0]);
	slurm_free(s[1]);
	return ok;
}

START_TEST(test_slurm_overlap_filter_covering_other_files_assertion)
{
	char *a = doc("{\"prefix\": \"10.0.0.0/8\"}", "", "", "");
	char *b = doc("", "", "{\"prefix\": \"10.1.0.0/16\", \"asn\": 1}", "");

	ck_assert(!overlap_ok(a, b));
	ck_assert_msg(strstr(err, paths[0]) != NULL &&
			  strstr(err, paths[1]) != NULL &&
			  strstr(err,
				 "validationOutputFilters.prefixFilters[0]") !=
			      NULL &&
			  strstr(err, "prefixAssertions[0]") != NULL &&
			  strstr(err, "RFC 8416 s.4.2") != NULL,
		      "%s", err);
	/* The other way round: the more specific comes first. */
	ck_assert(!overlap_ok(b, a));
	free(a);
	free(b);
}
END_TEST

START_TEST(test_slurm_overlap_equal_prefixes_and_bgpsec_asn)
{
	char *a =
	    doc("", "{\"asn\": 5}", "{\"prefix\": \"::/0\", \"asn\": 1}", "");
	char *b = doc("{\"prefix\": \"2001:db8::/32\"}", "", "", "");
	char *c = doc("", "{\"asn\": 5, \"SKI\": \"" SKI_A "\"}", "", "");

	ck_assert(!overlap_ok(a, b));
	ck_assert(!overlap_ok(a, c));
	ck_assert_msg(strstr(err, "AS5") != NULL, "%s", err);
	free(a);
	free(b);
	free(c);
}
END_TEST

/* Entries that take no part in a rule do not overlap under it. */
START_TEST(test_slurm_no_overlap_when_disjoint)
{
	/* Same ASN in prefix filters: s.4.2 looks only at their prefixes. */
	char *a = doc("{\"asn\": 5}, {\"prefix\": \"10.0.0.0/8\"}",
		      "{\"SKI\": \"" SKI_A "\"}", "", "");
	char *b = doc("{\"asn\": 5}, {\"prefix\": \"11.0.0.0/8\"}",
		      "{\"SKI\": \"" SKI_A "\"}",
		      "{\"prefix\": \"0.0.0.0/5\", \"asn\": 5}", "");

	ck_assert_msg(overlap_ok(a, b), "%s", err);
	free(a);
	free(b);
}
END_TEST

/* The document (RFC 8416 s.3.2) ------------------------------------------ */

START_TEST(test_slurm_version_must_be_1)
{
	load_err("{\"slurmVersion\": 0, \"validationOutputFilters\": {}, "
		 "\"locallyAddedAssertions\": {}}",
		 "slurmVersion", "0 is not 1");
	load_err("{\"slurmVersion\": 1.0, \"validationOutputFilters\": {}, "
		 "\"locallyAddedAssertions\": {}}",
		 "slurmVersion", "1.0 is not 1");
	load_err("{\"slurmVersion\": \"1\", \"validationOutputFilters\": {}, "
		 "\"locallyAddedAssertions\": {}}",
		 "document.slurmVersion", "is a string, not a number");
	load_err("{\"validationOutputFilters\": {}, "
		 "\"locallyAddedAssertions\": {}}",
		 "document", "missing member \"slurmVersion\"");
}
END_TEST

START_TEST(test_slurm_version_2_aspa_refused_by_name)
{
	load_err("{\"slurmVersion\": 2, \"validationOutputFilters\": "
		 "{\"prefixFilters\": [], \"bgpsecFilters\": [], "
		 "\"aspaFilters\": []}, \"locallyAddedAssertions\": "
		 "{\"prefixAssertions\": [], \"bgpsecAssertions\": [], "
		 "\"aspaAssertions\": []}}",
		 "slurmVersion", "draft-ietf-sidrops-aspa-slurm");
}
END_TEST

START_TEST(test_slurm_required_members)
{
	load_err("{\"slurmVersion\": 1, \"locallyAddedAssertions\": {}}",
		 "document", "missing member \"validationOutputFilters\"");
	load_err("{\"slurmVersion\": 1, \"validationOutputFilters\": {}, "
		 "\"locallyAddedAssertions\": {}}",
		 "validationOutputFilters", "missing member \"prefixFilters\"");
	load_err("{\"slurmVersion\": 1, \"validationOutputFilters\": "
		 "{\"prefixFilters\": [], \"bgpsecFilters\": []}, "
		 "\"locallyAddedAssertions\": {\"prefixAssertions\": []}}",
		 "locallyAddedAssertions",
		 "missing member \"bgpsecAssertions\"");
	load_err("[]", "document", "is an array, not an object");
	load_err("{\"slurmVersion\": 1, \"validationOutputFilters\": "
		 "{\"prefixFilters\": {}, \"bgpsecFilters\": []}, "
		 "\"locallyAddedAssertions\": {}}",
		 "validationOutputFilters.prefixFilters",
		 "is an object, not an array");
}
END_TEST

START_TEST(test_slurm_unknown_and_repeated_members_refused)
{
	load_err("{\"slurmVersion\": 1, \"validationOutputFilters\": {}, "
		 "\"locallyAddedAssertions\": {}, \"extra\": 1}",
		 "document", "unknown member \"extra\"");
	load_err("{\"slurmVersion\": 1, \"slurmVersion\": 1, "
		 "\"validationOutputFilters\": {}, "
		 "\"locallyAddedAssertions\": {}}",
		 "document.slurmVersion", "given twice");
	entry_err(2,
		  "{\"prefix\": \"10.0.0.0/8\", \"asn\": 1, "
		  "\"maxPrefixLenght\": 24}",
		  "locallyAddedAssertions.prefixAssertions[0]",
		  "unknown member \"maxPrefixLenght\"");
	/* A filter has no maxPrefixLength (RFC 8416 s.3.3.1). */
	entry_err(0, "{\"prefix\": \"10.0.0.0/8\", \"maxPrefixLength\": 24}",
		  "validationOutputFilters.prefixFilters[0]",
		  "unknown member \"maxPrefixLength\"");
	entry_err(1, "{\"asn\": 1, \"routerPublicKey\": \"AAAA\"}",
		  "validationOutputFilters.bgpsecFilters[0]",
		  "unknown member \"routerPublicKey\"");
	entry_err(0, "{\"asn\": 1, \"comment\": 7}",
		  "validationOutputFilters.prefixFilters[0].comment",
		  "is a number, not a string");
	entry_err(0, "7", "validationOutputFilters.prefixFilters[0]",
		  "is a number, not an object");
}
END_TEST

/* Entries (RFC 8416 s.3.3, s.3.4) ---------------------------------------- */

START_TEST(test_slurm_filter_needs_prefix_or_asn)
{
	entry_err(0, "{\"comment\": \"everything?\"}",
		  "validationOutputFilters.prefixFilters[0]",
		  "neither \"prefix\" nor \"asn\"");
	entry_err(1, "{\"comment\": \"every key?\"}",
		  "validationOutputFilters.bgpsecFilters[0]",
		  "neither \"asn\" nor \"SKI\"");
}
END_TEST

START_TEST(test_slurm_assertion_members_required)
{
	entry_err(2, "{\"prefix\": \"10.0.0.0/8\"}",
		  "locallyAddedAssertions.prefixAssertions[0]",
		  "missing member \"asn\"");
	entry_err(2, "{\"asn\": 1}",
		  "locallyAddedAssertions.prefixAssertions[0]",
		  "missing member \"prefix\"");
	entry_err(3, "{\"asn\": 1, \"SKI\": \"" SKI_A "\"}",
		  "locallyAddedAssertions.bgpsecAssertions[0]",
		  "missing member \"routerPublicKey\"");
}
END_TEST

START_TEST(test_slurm_prefix_syntax)
{
	static const struct {
		const char *prefix, *what;
	} bad[] = {
	    {"10.0.0.0", "not address/length"},
	    {"10.0.0/8", "not an IPv4 prefix"},
	    {"010.0.0.0/8", "not an IPv4 prefix"},
	    {"2001:db8::g/32", "not an IPv6 prefix"},
	    {"10.0.0.0/33", "length is not a number from 0 to 32"},
	    {"2001:db8::/129", "length is not a number from 0 to 128"},
	    {"10.0.0.0/", "length is not a number"},
	    {"10.0.0.0/+8", "length is not a number"},
	    {"10.0.0.0/8 ", "length is not a number"},
	    {" 10.0.0.0/8", "not an IPv4 prefix"},
	    {"", "not address/length"},
	};
	char entry[128];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(entry, sizeof(entry), "{\"prefix\": \"%s\"}",
			 bad[i].prefix);
		entry_err(0, entry,
			  "validationOutputFilters.prefixFilters[0].prefix",
			  bad[i].what);
	}
	slurm_free(entry_ok(0, "{\"prefix\": \"0.0.0.0/0\"}"));
	slurm_free(entry_ok(0, "{\"prefix\": \"::/0\"}"));
	slurm_free(entry_ok(0, "{\"prefix\": \"2001:DB8::1/128\"}"));
}
END_TEST

START_TEST(test_slurm_prefix_host_bits_refused)
{
	entry_err(2, "{\"prefix\": \"192.0.2.1/24\", \"asn\": 1}",
		  "locallyAddedAssertions.prefixAssertions[0].prefix",
		  "has bits set after its length");
	entry_err(0, "{\"prefix\": \"2001:db9::/31\"}",
		  "validationOutputFilters.prefixFilters[0].prefix",
		  "has bits set after its length");
}
END_TEST

START_TEST(test_slurm_max_prefix_length_range)
{
	entry_err(2,
		  "{\"prefix\": \"10.0.0.0/16\", \"asn\": 1, "
		  "\"maxPrefixLength\": 15}",
		  "locallyAddedAssertions.prefixAssertions[0].maxPrefixLength",
		  "15 is not an integer from 16 to 32");
	entry_err(2,
		  "{\"prefix\": \"10.0.0.0/16\", \"asn\": 1, "
		  "\"maxPrefixLength\": 33}",
		  "locallyAddedAssertions.prefixAssertions[0].maxPrefixLength",
		  "from 16 to 32");
	entry_err(2,
		  "{\"prefix\": \"2001:db8::/32\", \"asn\": 1, "
		  "\"maxPrefixLength\": 129}",
		  "locallyAddedAssertions.prefixAssertions[0].maxPrefixLength",
		  "from 32 to 128");
	entry_err(2,
		  "{\"prefix\": \"10.0.0.0/16\", \"asn\": 1, "
		  "\"maxPrefixLength\": \"24\"}",
		  "locallyAddedAssertions.prefixAssertions[0].maxPrefixLength",
		  "is a string, not a number");
	slurm_free(entry_ok(2,
			    "{\"prefix\": \"10.0.0.0/16\", \"asn\": 1, "
			    "\"maxPrefixLength\": 16}"));
}
END_TEST

START_TEST(test_slurm_asn_range)
{
	entry_err(0, "{\"asn\": -1}",
		  "validationOutputFilters.prefixFilters[0].asn",
		  "-1 is not an integer from 0 to 4294967295");
	entry_err(0, "{\"asn\": 4294967296}",
		  "validationOutputFilters.prefixFilters[0].asn",
		  "4294967296 is not an integer");
	entry_err(0, "{\"asn\": 1.5}",
		  "validationOutputFilters.prefixFilters[0].asn",
		  "1.5 is not an integer");
	entry_err(0, "{\"asn\": 1e3}",
		  "validationOutputFilters.prefixFilters[0].asn",
		  "1e3 is not an integer");
	entry_err(1, "{\"asn\": \"AS1\"}",
		  "validationOutputFilters.bgpsecFilters[0].asn",
		  "is a string, not a number");
	entry_err(2,
		  "{\"prefix\": \"10.0.0.0/8\", \"asn\": 99999999999999999999}",
		  "locallyAddedAssertions.prefixAssertions[0].asn",
		  "is not an integer");
}
END_TEST

START_TEST(test_slurm_ski_is_base64url_of_20_bytes)
{
	static const struct {
		const char *ski, *what;
	} bad[] = {
	    /* RFC 8416 s.3.3.2: "without trailing '='". */
	    {SKI_A "=", "is not base64url"},
	    /* The standard alphabet's '+' and '/' are not base64url. */
	    {"+++++++++++++++++++++++++++", "is not base64url"},
	    {"///////////////////////////", "is not base64url"},
	    {"MTIzNDU2Nzg5MDEyMzQ1Njc4OQ", "is 19 bytes, not the 20"},
	    {"MTIzNDU2Nzg5MDEyMzQ1Njc4OTAx", "is 21 bytes, not the 20"},
	    {"AAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "is not base64url"},
	    {"", "is not base64url"},
	    {"MTIzNDU2Nzg5MDEy MzQ1Njc4OTA", "is not base64url"},
	    /* The last character's two unused bits must be zero. */
	    {"AAAAAAAAAAAAAAAAAAAAAAAAAAB", "has bits set after its last byte"},
	};
	char entry[128];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(entry, sizeof(entry), "{\"SKI\": \"%s\"}", bad[i].ski);
		entry_err(1, entry,
			  "validationOutputFilters.bgpsecFilters[0].SKI",
			  bad[i].what);
	}
	slurm_free(entry_ok(1, "{\"SKI\": \"" SKI_B "\"}"));
	slurm_free(entry_ok(1, "{\"SKI\": \"AAAAAAAAAAAAAAAAAAAAAAAAAAA\"}"));
}
END_TEST

/* routerPublicKey: base64url of a DER SPKI of a P-256 key (RFC 8208). */
START_TEST(test_slurm_router_public_key_checked)
{
	EVP_PKEY *rsa = EVP_RSA_gen(1024);
	unsigned char *der = NULL, *junk;
	char *bad_rsa, *bad_junk, *good, entry[2048];
	int n;

	ck_assert_ptr_nonnull(rsa);
	ck_assert_int_gt(n = i2d_PUBKEY(rsa, &der), 0);
	bad_rsa = b64url(der, (size_t)n);
	OPENSSL_free(der);
	EVP_PKEY_free(rsa);
	good = router_spki_b64();

	/* "blubb": the placeholder key of some SLURM test files. */
	entry_err(3,
		  "{\"asn\": 1, \"SKI\": \"" SKI_A "\", "
		  "\"routerPublicKey\": \"Ymx1YmI\"}",
		  "locallyAddedAssertions.bgpsecAssertions[0].routerPublicKey",
		  "is not a DER SubjectPublicKeyInfo");
	snprintf(entry, sizeof(entry),
		 "{\"asn\": 1, \"SKI\": \"" SKI_A "\", "
		 "\"routerPublicKey\": \"%s\"}",
		 bad_rsa);
	entry_err(3, entry,
		  "locallyAddedAssertions.bgpsecAssertions[0].routerPublicKey",
		  "is not an EC key");

	/* A good key with a byte after it. */
	{
		size_t len;
		unsigned char *spki = router_spki(&len);

		ck_assert_ptr_nonnull(junk = malloc(len + 1));
		memcpy(junk, spki, len);
		junk[len] = 0;
		bad_junk = b64url(junk, len + 1);
		OPENSSL_free(spki);
		free(junk);
	}
	snprintf(entry, sizeof(entry),
		 "{\"asn\": 1, \"SKI\": \"" SKI_A "\", "
		 "\"routerPublicKey\": \"%s\"}",
		 bad_junk);
	entry_err(3, entry,
		  "locallyAddedAssertions.bgpsecAssertions[0].routerPublicKey",
		  "is not a DER SubjectPublicKeyInfo");
	snprintf(entry, sizeof(entry),
		 "{\"asn\": 1, \"SKI\": \"" SKI_A "\", "
		 "\"routerPublicKey\": \"%s=\"}",
		 good);
	entry_err(3, entry,
		  "locallyAddedAssertions.bgpsecAssertions[0].routerPublicKey",
		  "is not base64url");
	free(bad_rsa);
	free(bad_junk);
	free(good);
}
END_TEST

/* The file ---------------------------------------------------------------- */

START_TEST(test_slurm_json_syntax_error_names_line)
{
	char *s;

	load_err("{\"slurmVersion\": 1,\n\"validationOutputFilters\": {\n"
		 "\"prefixFilters\": [,]}}\n",
		 "line 3", "not JSON");
	/* Nothing may follow the document. */
	ck_assert_int_ge(asprintf(&s, "%s{}", rfc_empty), 0);
	load_err(s, "line 12", "not JSON");
	free(s);
	load_err("", "line 1", "not JSON");
}
END_TEST

START_TEST(test_slurm_nul_and_deep_nesting_refused)
{
	char deep[64];

	load_err_len("{\"slurmVersion\": 1\0}", 20, "line 1", "NUL byte");
	entry_err(0, "{\"prefix\": \"10.0.0.0/8\\u0000x\"}", "line 3",
		  "\\u0000 in a string");
	memset(deep, '[', sizeof(deep) - 1);
	deep[sizeof(deep) - 1] = '\0';
	load_err(deep, "line 1", "nested too deep");
	/* Brackets inside strings do not count. */
	slurm_free(entry_ok(0,
			    "{\"asn\": 1, \"comment\": "
			    "\"[[[[[[[[[[[[[[[[[[[[[[[[\\\"[[[[[[[[\"}"));
}
END_TEST

START_TEST(test_slurm_missing_and_oversized_files)
{
	char path[160];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/none.slurm", tmpdir);
	ck_assert_ptr_null(slurm_load(path, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "none.slurm: open: "));

	ck_assert_ptr_null(slurm_load(tmpdir, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "not a regular file"));

	/* One byte over 16 MB, sparse. */
	snprintf(paths[num_paths], sizeof(paths[0]), "%s/big.slurm", tmpdir);
	ck_assert_ptr_nonnull(fp = fopen(paths[num_paths++], "w"));
	ck_assert_int_eq(ftruncate(fileno(fp), 16 * 1024 * 1024 + 1), 0);
	ck_assert_int_eq(fclose(fp), 0);
	ck_assert_ptr_null(slurm_load(paths[num_paths - 1], err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "larger than 16777216 bytes"));
}
END_TEST

static Suite *
slurm_suite(void)
{
	Suite *s = suite_create("slurm");
	TCase *tc;

	tc = tcase_create("rfc8416");
	tcase_add_checked_fixture(tc, setup_tmpdir, teardown_tmpdir);
	tcase_add_test(tc, test_slurm_rfc8416_empty_example_changes_nothing);
	tcase_add_test(tc,
		       test_slurm_rfc8416_full_example_filters_then_asserts);
	suite_add_tcase(s, tc);

	tc = tcase_create("apply");
	tcase_add_checked_fixture(tc, setup_tmpdir, teardown_tmpdir);
	tcase_add_test(
	    tc, test_slurm_prefix_filter_removes_more_specifics_of_any_asn);
	tcase_add_test(tc, test_slurm_prefix_filter_v6_and_unaligned_length);
	tcase_add_test(tc,
		       test_slurm_asn_filter_removes_every_prefix_of_that_asn);
	tcase_add_test(tc, test_slurm_prefix_and_asn_filter_needs_both);
	tcase_add_test(tc, test_slurm_bgpsec_filters_by_asn_ski_and_both);
	tcase_add_test(tc, test_slurm_assertions_added_under_slurm_ta);
	tcase_add_test(tc, test_slurm_bgpsec_assertion_adds_router_key);
	tcase_add_test(
	    tc, test_slurm_two_files_filters_of_one_never_remove_assertions);
	suite_add_tcase(s, tc);

	tc = tcase_create("overlap");
	tcase_add_checked_fixture(tc, setup_tmpdir, teardown_tmpdir);
	tcase_add_test(
	    tc, test_slurm_overlap_filter_covering_other_files_assertion);
	tcase_add_test(tc, test_slurm_overlap_equal_prefixes_and_bgpsec_asn);
	tcase_add_test(tc, test_slurm_no_overlap_when_disjoint);
	suite_add_tcase(s, tc);

	tc = tcase_create("rules");
	tcase_add_checked_fixture(tc, setup_tmpdir, teardown_tmpdir);
	tcase_add_test(tc, test_slurm_version_must_be_1);
	tcase_add_test(tc, test_slurm_version_2_aspa_refused_by_name);
	tcase_add_test(tc, test_slurm_required_members);
	tcase_add_test(tc, test_slurm_unknown_and_repeated_members_refused);
	tcase_add_test(tc, test_slurm_filter_needs_prefix_or_asn);
	tcase_add_test(tc, test_slurm_assertion_members_required);
	tcase_add_test(tc, test_slurm_prefix_syntax);
	tcase_add_test(tc, test_slurm_prefix_host_bits_refused);
	tcase_add_test(tc, test_slurm_max_prefix_length_range);
	tcase_add_test(tc, test_slurm_asn_range);
	tcase_add_test(tc, test_slurm_ski_is_base64url_of_20_bytes);
	tcase_add_test(tc, test_slurm_router_public_key_checked);
	suite_add_tcase(s, tc);

	tc = tcase_create("file");
	tcase_add_checked_fixture(tc, setup_tmpdir, teardown_tmpdir);
	tcase_add_test(tc, test_slurm_json_syntax_error_names_line);
	tcase_add_test(tc, test_slurm_nul_and_deep_nesting_refused);
	tcase_add_test(tc, test_slurm_missing_and_oversized_files);
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	sr = srunner_create(slurm_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
