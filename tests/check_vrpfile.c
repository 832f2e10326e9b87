/*
 * Tests for rtr-server/vrpfile.c: each format the loader reads (our JSON
 * and CSV, rpki-client's, StayRTR's and Routinator's variants) gives the
 * same set; what rp/output.c writes loads back unchanged; every bad file
 * gives no set and a message naming the file, the line and the fault; and
 * each bound is reached (this test builds vrpfile.c with them lowered,
 * see Makefile.am).
 */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rp/limits.h"
#include "rp/log.h"
#include "rp/output.h"
#include "rp/vrpset.h"
#include "rtr-server/vrpfile.h"
#include "testdata.h"

static char dir[64];
static char path[128];
static char err[512];

static void
setup_dir(void)
{
	strcpy(dir, "/tmp/vrpd-check-vrpfile-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/vrps", dir);
	err[0] = '\0';
}

static void
teardown_dir(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* Writes text to the test's file and loads it. */
static struct vrpset *
load(const char *text)
{
	FILE *fp = fopen(path, "w");

	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(fputs(text, fp) >= 0, 1);
	ck_assert_int_eq(fclose(fp), 0);
	return vrpfile_load(path, err, sizeof(err));
}

static struct vrpset *
load_ok(const char *text)
{
	struct vrpset *set = load(text);

	ck_assert_msg(set != NULL, "load failed: %s", err);
	return set;
}

/* A growing text for generated files; caller frees. */
struct text {
	char *s;
	size_t len;
	FILE *fp;
};

static void
text_open(struct text *t)
{
	ck_assert_ptr_nonnull(t->fp = open_memstream(&t->s, &t->len));
}

/* Loads the generated text and frees it. */
static struct vrpset *
text_load(struct text *t)
{
	struct vrpset *set;

	ck_assert_int_eq(fclose(t->fp), 0);
	set = load(t->s);
	free(t->s);
	return set;
}

static void
add_vrp(struct vrpset *set, struct vrp v)
{
	ck_assert(vrpset_add_vrp(set, &v));
}

static const unsigned char ski[SHA_DIGEST_LENGTH] = {
    0x7f, 0x5e, 0x08, 0xa4, 0x95, 0x93, 0x21, 0x04, 0x29, 0xc3,
    0x32, 0x18, 0xf4, 0x69, 0x33, 0xc8, 0xc8, 0x43, 0x32, 0x4e,
};
#define SKI_HEX "7F5E08A49593210429C33218F46933C8C843324E"
/* Not a real key: the loader only carries the bytes. */
static const unsigned char spki[] = {0x30, 0x03, 0x02, 0x01, 0x05};
#define SPKI_B64 "MAMCAQU="

/* What SAMPLE_JSON and SAMPLE_CSV say. */
static struct vrpset *
sample_set(bool with_aspa_and_key)
{
	static const uint32_t providers[] = {64500, 64499};
	struct vrpset *set = vrpset_new();

	ck_assert_ptr_nonnull(set);
	ck_assert_int_eq(vrpset_add_ta(set, "apnic"), 0);
	ck_assert_int_eq(vrpset_add_ta(set, "ripe"), 1);
	add_vrp(set, testdata_vrp("1.1.1.0", 24, 24, 13335, 0));
	add_vrp(set, testdata_vrp("192.0.2.0", 24, 28, 64496, 1));
	add_vrp(set, testdata_vrp("2001:db8::", 32, 48, 64497, 1));
	add_vrp(set, testdata_vrp("10.0.0.0", 8, 8, 0, 0));
	if (with_aspa_and_key) {
		ck_assert(vrpset_add_vap(set, 1, 64496, providers, 2));
		ck_assert(
		    vrpset_add_key(set, 1, 64496, ski, spki, sizeof(spki)));
	}
	ck_assert(vrpset_finish(set));
	return set;
}

#define SAMPLE_ROAS                                                            \
	"{\"asn\":13335,\"prefix\":\"1.1.1.0/24\",\"maxLength\":24,"           \
	"\"ta\":\"apnic\",\"expires\":1700000000},\n"                          \
	"{\"asn\":64496,\"prefix\":\"192.0.2.0/24\",\"maxLength\":28,"         \
	"\"ta\":\"ripe\",\"expires\":1700000000},\n"                           \
	"{\"asn\":64497,\"prefix\":\"2001:db8::/32\",\"maxLength\":48,"        \
	"\"ta\":\"ripe\",\"expires\":1700000000},\n"                           \
	"{\"asn\":0,\"prefix\":\"10.0.0.0/8\",\"maxLength\":8,"                \
	"\"ta\":\"apnic\",\"expires\":1700000000}\n"

/* rpki-client -j, with its metadata and expiry times. */
static const char sample_json[] =
    "{\"metadata\":{\"buildmachine\":\"x\",\"buildtime\":"
    "\"2024-01-01T00:00:00Z\",\"elapsedtime\":\"3\",\"vrps\":4},\n"
    "\"roas\":[\n" SAMPLE_ROAS "],\n"
    "\"aspas\":[\n{\"customer_asid\":64496,\"expires\":1700000000,"
    "\"providers\":[64500,64499],\"ta\":\"ripe\"}\n],\n"
    "\"bgpsec_keys\":[\n{\"asn\":64496,\"ski\":\"" SKI_HEX "\","
    "\"pubkey\":\"" SPKI_B64 "\",\"ta\":\"ripe\",\"expires\":1}\n]\n}\n";

static const char sample_csv[] = "ASN,IP Prefix,Max Length,Trust Anchor\n"
				 "AS13335,1.1.1.0/24,24,apnic\n"
				 "AS64496,192.0.2.0/24,28,ripe\n"
				 "AS64497,2001:db8::/32,48,ripe\n"
				 "AS0,10.0.0.0/8,8,apnic\n";

/* Same TAs by name in the same order, and every payload the same. */
static void
assert_sets_equal(const struct vrpset *got, const struct vrpset *want)
{
	size_t i;

	ck_assert_uint_eq(got->num_tas, want->num_tas);
	for (i = 0; i < got->num_tas; i++)
		ck_assert_str_eq(got->tas[i], want->tas[i]);
	ck_assert_uint_eq(got->num_vrps, want->num_vrps);
	for (i = 0; i < got->num_vrps; i++)
		ck_assert_msg(memcmp(&got->vrps[i], &want->vrps[i],
				     sizeof(struct vrp)) == 0,
			      "VRP %zu differs", i);
	ck_assert_uint_eq(got->num_vaps, want->num_vaps);
	for (i = 0; i < got->num_vaps; i++) {
		ck_assert_uint_eq(got->vaps[i].customer,
				  want->vaps[i].customer);
		ck_assert_uint_eq(got->vaps[i].ta, want->vaps[i].ta);
		ck_assert_uint_eq(got->vaps[i].num_providers,
				  want->vaps[i].num_providers);
		ck_assert_mem_eq(got->vaps[i].providers,
				 want->vaps[i].providers,
				 got->vaps[i].num_providers * sizeof(uint32_t));
	}
	ck_assert_uint_eq(got->num_keys, want->num_keys);
	for (i = 0; i < got->num_keys; i++) {
		ck_assert_uint_eq(got->keys[i].asn, want->keys[i].asn);
		ck_assert_uint_eq(got->keys[i].ta, want->keys[i].ta);
		ck_assert_mem_eq(got->keys[i].ski, want->keys[i].ski,
				 SHA_DIGEST_LENGTH);
		ck_assert_uint_eq(got->keys[i].spki_len,
				  want->keys[i].spki_len);
		ck_assert_mem_eq(got->keys[i].spki, want->keys[i].spki,
				 got->keys[i].spki_len);
	}
}

/* Loads text and compares it with want; frees both. */
static void
assert_loads_as(const char *text, struct vrpset *want)
{
	struct vrpset *got = load_ok(text);

	assert_sets_equal(got, want);
	vrpset_free(got);
	vrpset_free(want);
}

START_TEST(test_vrpfile_json_rpki_client_layout)
{
	assert_loads_as(sample_json, sample_set(true));
}
END_TEST

START_TEST(test_vrpfile_csv_gives_same_vrps_as_json)
{
	assert_loads_as(sample_csv, sample_set(false));
}
END_TEST

/* rpki-client's CSV has an Expires column; Routinator's may add more. */
START_TEST(test_vrpfile_csv_extra_columns_ignored)
{
	assert_loads_as("ASN,IP Prefix,Max Length,Trust Anchor,Expires\n"
			"AS13335,1.1.1.0/24,24,apnic,1700000000\n"
			"AS64496,192.0.2.0/24,28,ripe,1700000000\n"
			"AS64497,2001:db8::/32,48,ripe,1700000000\n"
			"AS0,10.0.0.0/8,8,apnic,1700000000\n",
			sample_set(false));
	assert_loads_as("ASN,IP Prefix,Max Length,Trust Anchor,A,B\n"
			"AS13335,1.1.1.0/24,24,apnic,x,y\n"
			"AS64496,192.0.2.0/24,28,ripe,,\n"
			"AS64497,2001:db8::/32,48,ripe,x,\n"
			"AS0,10.0.0.0/8,8,apnic,,y\n",
			sample_set(false));
}
END_TEST

START_TEST(test_vrpfile_csv_blank_lines_crlf_and_no_final_newline)
{
	assert_loads_as("\r\n\nASN,IP Prefix,Max Length,Trust Anchor\r\n"
			"AS13335,1.1.1.0/24,24,apnic\r\n"
			"\r\n"
			"13335,1.1.1.0/24,24,apnic\r\n"
			"  \n"
			"AS64496, 192.0.2.0/24 ,28,ripe\r\n"
			"AS64497,2001:db8::/32,48,ripe\n"
			"\n"
			"AS0,10.0.0.0/8,8,apnic",
			sample_set(false));
}
END_TEST

START_TEST(test_vrpfile_csv_header_only_is_empty_set)
{
	struct vrpset *set = load_ok("ASN,IP Prefix,Max Length,Trust Anchor\n");

	ck_assert_uint_eq(set->num_vrps, 0);
	vrpset_free(set);
}
END_TEST

/* StayRTR: "AS13335" or "13335", pretty-printed, no metadata. */
START_TEST(test_vrpfile_stayrtr_asn_strings)
{
	assert_loads_as("{\n  \"roas\": [\n"
			"    {\n      \"prefix\": \"1.1.1.0/24\",\n"
			"      \"maxLength\": 24,\n      \"asn\": "
			"\"AS13335\",\n"
			"      \"ta\": \"apnic\"\n    },\n"
			"    {\"prefix\": \"192.0.2.0/24\", \"maxLength\": 28,"
			" \"asn\": \"64496\", \"ta\": \"ripe\"},\n"
			"    {\"prefix\": \"2001:db8::/32\", \"maxLength\": 48,"
			" \"asn\": \"as64497\", \"ta\": \"ripe\"},\n"
			"    {\"prefix\": \"10.0.0.0/8\", \"maxLength\": 8,"
			" \"asn\": \"AS0\", \"ta\": \"apnic\"}\n"
			"  ]\n}\n",
			sample_set(false));
}
END_TEST

START_TEST(test_vrpfile_missing_maxlength_is_prefix_length)
{
	struct vrpset *want = vrpset_new();

	ck_assert_int_eq(vrpset_add_ta(want, "t"), 0);
	add_vrp(want, testdata_vrp("192.0.2.0", 24, 24, 64496, 0));
	add_vrp(want, testdata_vrp("2001:db8::", 32, 32, 64496, 0));
	ck_assert(vrpset_finish(want));
	assert_loads_as("{\"roas\":[{\"asn\":64496,\"prefix\":"
			"\"192.0.2.0/24\",\"ta\":\"t\"},{\"asn\":64496,"
			"\"prefix\":\"2001:db8::/32\",\"ta\":\"t\"}]}",
			want);
}
END_TEST

/* Without a TA, JSON and 3-column CSV both give the TA named "". */
START_TEST(test_vrpfile_missing_ta_is_empty_name)
{
	static const uint32_t provider = 64497;
	struct vrpset *want = vrpset_new(), *csv;

	ck_assert_int_eq(vrpset_add_ta(want, ""), 0);
	add_vrp(want, testdata_vrp("192.0.2.0", 24, 24, 64496, 0));
	ck_assert(vrpset_add_vap(want, 0, 64496, &provider, 1));
	ck_assert(vrpset_add_key(want, 0, 64496, ski, spki, sizeof(spki)));
	ck_assert(vrpset_finish(want));
	csv = load_ok("ASN,IP Prefix,Max Length\nAS64496,192.0.2.0/24,24\n");
	ck_assert_uint_eq(csv->num_vrps, 1);
	ck_assert_mem_eq(&csv->vrps[0], &want->vrps[0], sizeof(struct vrp));
	ck_assert_str_eq(csv->tas[0], "");
	vrpset_free(csv);
	assert_loads_as("{\"roas\":[{\"asn\":64496,\"prefix\":\"192.0.2.0/"
			"24\",\"maxLength\":24}],\"aspas\":[{\"customer_"
			"asid\":64496,\"providers\":[64497]}],\"bgpsec_"
			"keys\":[{\"asn\":64496,\"ski\":\"" SKI_HEX
			"\",\"pubkey\":\"" SPKI_B64 "\"}]}",
			want);
}
END_TEST

START_TEST(test_vrpfile_unknown_keys_skipped_everywhere)
{
	assert_loads_as(
	    "{\"x\":{\"roas\":[1,{\"a\":[{}]}],\"y\":null},\"z\":[[],[{}]],"
	    "\"roas\":[\n" SAMPLE_ROAS "],\n"
	    "\"n\":null,\"t\":true,\"f\":1.5e3,\n"
	    "\"aspas\":[{\"customer_asid\":64496,\"comment\":{\"providers\":"
	    "[\"x\"]},\"providers\":[64500,64499],\"ta\":\"ripe\","
	    "\"extra\":[{\"ta\":5},[null]]}],\n"
	    "\"bgpsec_keys\":[{\"asn\":64496,\"ski\":\"" SKI_HEX "\","
	    "\"routerPublicKey\":false,\"pubkey\":\"" SPKI_B64 "\","
	    "\"ta\":\"ripe\",\"expires\":\"later\"}],\"w\":\"\"}",
	    sample_set(true));
}
END_TEST

START_TEST(test_vrpfile_aspas_and_keys_optional)
{
	assert_loads_as("{\"roas\":[\n" SAMPLE_ROAS "]}", sample_set(false));
}
END_TEST

START_TEST(test_vrpfile_aspa_provider_set_accepted)
{
	assert_loads_as(
	    "{\"roas\":[\n" SAMPLE_ROAS "],\n"
	    "\"aspas\":[{\"customer_asid\":64496,\"provider_set\":[64499,"
	    "64500,64499],\"ta\":\"ripe\"}],\n"
	    "\"bgpsec_keys\":[{\"asn\":\"AS64496\",\"ski\":\"7f5e08a4959321"
	    "0429c33218f46933c8c843324e\",\"pubkey\":\"" SPKI_B64 "\","
	    "\"ta\":\"ripe\"}]}",
	    sample_set(true));
}
END_TEST

/* No padding, one '=' and two: the key keeps exactly its own bytes. */
START_TEST(test_vrpfile_pubkey_base64_padding)
{
	static const struct {
		const char *b64;
		size_t len;
	} cases[] = {{"AAECAwQF", 6}, {"AAECAwQ=", 5}, {"AAECAw==", 4}};
	static const unsigned char bytes[] = {0, 1, 2, 3, 4, 5};
	struct vrpset *set;
	char text[256];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(text, sizeof(text),
			 "{\"roas\":[],\"bgpsec_keys\":[{\"asn\":1,\"ski\":"
			 "\"" SKI_HEX "\",\"pubkey\":\"%s\",\"ta\":\"t\"}]}",
			 cases[i].b64);
		set = load_ok(text);
		ck_assert_uint_eq(set->num_keys, 1);
		ck_assert_uint_eq(set->keys[0].spki_len, cases[i].len);
		ck_assert_mem_eq(set->keys[0].spki, bytes, cases[i].len);
		vrpset_free(set);
	}
}
END_TEST

/* vrpset dedupes by (prefix, ..., ta): one VRP under two TAs is two. */
START_TEST(test_vrpfile_duplicates_across_tas_kept)
{
	struct vrpset *set = load_ok(
	    "{\"roas\":[{\"asn\":1,\"prefix\":\"192.0.2.0/24\",\"ta\":\"a\"},"
	    "{\"asn\":1,\"prefix\":\"192.0.2.0/24\",\"ta\":\"b\"},"
	    "{\"asn\":1,\"prefix\":\"192.0.2.0/24\",\"ta\":\"a\"}]}");

	ck_assert_uint_eq(set->num_vrps, 2);
	ck_assert_uint_eq(set->vrps[0].ta, 0);
	ck_assert_uint_eq(set->vrps[1].ta, 1);
	vrpset_free(set);
}
END_TEST

/*
 * Several TAs, IPv4 and IPv6, and if asked ASPAs and router keys. Each TA
 * first appears in the output in the order of its index, so a load gives
 * it the same index.
 */
static struct vrpset *
rich_set(bool with_aspas_and_keys)
{
	static const uint32_t p1[] = {1, 2, 4294967295u}, p2[] = {7};
	static const unsigned char spki2[] = {0x30, 0x00, 0xff};
	struct vrpset *set = vrpset_new();

	ck_assert_int_eq(vrpset_add_ta(set, "afrinic"), 0);
	ck_assert_int_eq(vrpset_add_ta(set, "arin"), 1);
	ck_assert_int_eq(vrpset_add_ta(set, "lacnic"), 2);
	add_vrp(set, testdata_vrp("0.0.0.0", 0, 32, 0, 0));
	add_vrp(set, testdata_vrp("192.0.2.0", 24, 24, 4294967295u, 1));
	add_vrp(set, testdata_vrp("192.0.2.0", 24, 24, 4294967295u, 2));
	add_vrp(set, testdata_vrp("255.255.255.255", 32, 32, 1, 2));
	add_vrp(set, testdata_vrp("::", 0, 128, 64496, 1));
	add_vrp(set, testdata_vrp("2001:db8:1:2:3:4:5:6", 128, 128, 64496, 0));
	add_vrp(set, testdata_vrp("fe80::", 10, 64, 64497, 2));
	if (with_aspas_and_keys) {
		ck_assert(vrpset_add_vap(set, 0, 64496, p1, 3));
		ck_assert(vrpset_add_vap(set, 2, 64496, p2, 1));
		ck_assert(
		    vrpset_add_key(set, 1, 64496, ski, spki, sizeof(spki)));
		ck_assert(vrpset_add_key(set, 0, 1, ski, spki2, sizeof(spki2)));
	}
	ck_assert(vrpset_finish(set));
	return set;
}

/* Writes set with output_write() to the test's file and loads it. */
static void
assert_output_round_trips(enum output_format fmt, struct vrpset *set)
{
	struct output_meta meta = {1780272000, 3.4};
	struct vrpset *got;
	FILE *fp = fopen(path, "w");

	ck_assert_ptr_nonnull(fp);
	ck_assert(output_write(fp, fmt, set, &meta));
	ck_assert_int_eq(fclose(fp), 0);
	got = vrpfile_load(path, err, sizeof(err));
	ck_assert_msg(got != NULL, "load failed: %s", err);
	assert_sets_equal(got, set);
	vrpset_free(got);
	vrpset_free(set);
}

START_TEST(test_vrpfile_output_json_round_trips)
{
	assert_output_round_trips(OUTPUT_JSON, rich_set(true));
}
END_TEST

/* CSV carries VRPs only. */
START_TEST(test_vrpfile_output_csv_round_trips)
{
	assert_output_round_trips(OUTPUT_CSV, rich_set(false));
}
END_TEST

START_TEST(test_vrpfile_load_fp_reads_stream)
{
	FILE *fp = fmemopen((void *)sample_csv, strlen(sample_csv), "r");
	struct vrpset *got, *want = sample_set(false);

	ck_assert_ptr_nonnull(fp);
	got = vrpfile_load_fp(fp, "<stdin>", err, sizeof(err));
	fclose(fp);
	ck_assert_msg(got != NULL, "load failed: %s", err);
	assert_sets_equal(got, want);
	vrpset_free(got);
	vrpset_free(want);
}
END_TEST

/* Checks that err is "<path>: line <line>[,:]..." and holds what. */
static void
assert_error(const char *rule, unsigned int line, const char *what)
{
	char want[256];
	const char *at;
	size_t n;

	n = (size_t)snprintf(want, sizeof(want), "%s: line %u", path, line);
	at = strstr(err, want);
	ck_assert_msg(at == err && (at[n] == ',' || at[n] == ':'),
		      "%s: want \"%s\" at the start of \"%s\"", rule, want,
		      err);
	ck_assert_msg(strstr(err, what) != NULL, "%s: want \"%s\" in \"%s\"",
		      rule, what, err);
}

static void
assert_rejected(const char *rule, const char *text, unsigned int line,
		const char *what)
{
	struct vrpset *set = load(text);

	ck_assert_msg(set == NULL, "%s: loaded", rule);
	assert_error(rule, line, what);
}

static void
assert_text_rejected(struct text *t, const char *rule, unsigned int line,
		     const char *what)
{
	ck_assert_msg(text_load(t) == NULL, "%s: loaded", rule);
	assert_error(rule, line, what);
}

/* The bad entry x on line 3 of a list, after a good one. */
#define GOOD_ROA      "{\"asn\":1,\"prefix\":\"10.0.0.0/8\",\"ta\":\"t\"}"
#define ROA(x)	      "{\"roas\":[\n" GOOD_ROA ",\n" x "\n]}\n"
#define LIST(name, x) "{\"roas\":[" GOOD_ROA "],\n\"" name "\":[\n" x "\n]}\n"
#define ASPA(x)	      LIST("aspas", x)
#define KEY(x)	      LIST("bgpsec_keys", x)
#define KEY_WITH(field)                                                        \
	KEY("{\"asn\":1,\"ski\":\"" SKI_HEX "\",\"ta\":\"t\"," field "}")

static const struct bad_case {
	const char *rule;
	const char *text;
	unsigned int line;
	const char *what;
} bad_cases[] = {
    {"prefix syntax", ROA("{\"asn\":1,\"prefix\":\"1.1.1/24\"}"), 3,
     "bad IPv4 address"},
    {"prefix without length", ROA("{\"asn\":1,\"prefix\":\"1.1.1.0\"}"), 3,
     "not address/length"},
    {"prefix bad length", ROA("{\"asn\":1,\"prefix\":\"1.1.1.0/2x\"}"), 3,
     "bad length"},
    {"IPv4 length over 32", ROA("{\"asn\":1,\"prefix\":\"1.1.1.0/33\"}"), 3,
     "length over 32"},
    {"IPv6 length over 128", ROA("{\"asn\":1,\"prefix\":\"2001:db8::/129\"}"),
     3, "length over 128"},
    {"bad IPv6 address", ROA("{\"asn\":1,\"prefix\":\"2001:db8:::/32\"}"), 3,
     "bad IPv6 address"},
    {"host bits set", ROA("{\"asn\":1,\"prefix\":\"1.1.1.1/24\"}"), 3,
     "prefix 1.1.1.1/24: host bits set"},
    {"IPv6 host bits set", ROA("{\"asn\":1,\"prefix\":\"2001:db8::1/64\"}"), 3,
     "host bits set"},
    {"maxLength below prefix length",
     ROA("{\"asn\":1,\"prefix\":\"1.1.1.0/24\",\"maxLength\":16}"), 3,
     "maxLength 16 is below the prefix length"},
    {"maxLength over 32",
     ROA("{\"asn\":1,\"prefix\":\"1.1.1.0/24\",\"maxLength\":33}"), 3,
     "maxLength 33 is over 32"},
    {"maxLength over 128",
     ROA("{\"asn\":1,\"prefix\":\"::/0\",\"maxLength\":129}"), 3,
     "maxLength 129 is out of range 0..128"},
    {"ASN over 2^32-1", ROA("{\"asn\":4294967296,\"prefix\":\"1.1.1.0/24\"}"),
     3, "asn 4294967296 is out of range 0..4294967295"},
    {"ASN string over 2^32-1",
     ROA("{\"asn\":\"AS4294967296\",\"prefix\":\"1.1.1.0/24\"}"), 3,
     "out of range"},
    {"negative ASN", ROA("{\"asn\":-1,\"prefix\":\"1.1.1.0/24\"}"), 3,
     "asn -1 is out of range"},
    {"ASN string junk", ROA("{\"asn\":\"ASx\",\"prefix\":\"1.1.1.0/24\"}"), 3,
     "not an AS number"},
    {"ASN fraction", ROA("{\"asn\":1.5,\"prefix\":\"1.1.1.0/24\"}"), 3,
     "not an integer"},
    {"short SKI",
     KEY("{\"asn\":1,\"ski\":\"7F5E\",\"pubkey\":\"" SPKI_B64 "\"}"), 3,
     "is not 40 hex digits"},
    {"SKI not hex",
     KEY("{\"asn\":1,\"ski\":\"7F5E08A49593210429C33218F46933C8C843324G\","
	 "\"pubkey\":\"" SPKI_B64 "\"}"),
     3, "is not hex"},
    {"empty pubkey", KEY_WITH("\"pubkey\":\"\""), 3, "pubkey is empty"},
    {"pubkey not base64", KEY_WITH("\"pubkey\":\"!!!!\""), 3, "not base64"},
    {"pubkey '=' inside", KEY_WITH("\"pubkey\":\"QQ=A\""), 3, "not base64"},
    {"pubkey length", KEY_WITH("\"pubkey\":\"QUJD=\""), 3, "not base64"},
    {"ASPA without providers", ASPA("{\"customer_asid\":1,\"providers\":[]}"),
     3, "aspa of AS1 has no providers"},
    {"maxLength a string",
     ROA("{\"asn\":1,\"prefix\":\"1.1.1.0/24\",\"maxLength\":\"24\"}"), 3,
     "\"maxLength\" is not a number"},
    {"prefix a number", ROA("{\"asn\":1,\"prefix\":5}"), 3,
     "\"prefix\" is not a string"},
    {"ta a number", ROA("{\"asn\":1,\"prefix\":\"1.1.1.0/24\",\"ta\":1}"), 3,
     "\"ta\" is not a string"},
    {"asn null", ROA("{\"asn\":null,\"prefix\":\"1.1.1.0/24\"}"), 3,
     "\"asn\" is not a number"},
    {"providers a string", ASPA("{\"customer_asid\":1,\"providers\":\"x\"}"), 3,
     "\"providers\" is not an array"},
    {"provider a string", ASPA("{\"customer_asid\":1,\"providers\":[\"1\"]}"),
     3, "a provider is not a number"},
    {"customer a string", ASPA("{\"customer_asid\":\"AS1\",\"providers\":[2]}"),
     3, "\"customer_asid\" is not a number"},
    {"roas an object", "{\"metadata\":{},\n\"roas\":{}}", 2,
     "\"roas\" is not an array"},
    {"entry a number", ROA("5"), 3,
     "an element of \"roas\" is not an "
     "object"},
    {"truncated", "{\"roas\":[\n{\"asn\":1,", 2, "premature EOF"},
    {"truncated in a string", "{\"roas\":[\n{\"asn\":1,\"pre", 2,
     "premature EOF"},
    {"trailing garbage", "{\"roas\":[]}\n\nx\n", 3, "trailing garbage"},
    {"two documents", "{\"roas\":[]}\n{\"roas\":[]}\n", 2, "trailing garbage"},
    {"JSON syntax", ROA("{\"asn\":1,,}"), 3, "error"},
    {"no roas", "{\"aspas\":[],\n\"bgpsec_keys\":[]\n}", 3,
     "no \"roas\" array"},
    {"roa without prefix", ROA("{\"asn\":1,\n\"ta\":\"t\"}"), 3,
     "roa without \"prefix\""},
    {"roa without asn", ROA("{\"prefix\":\"1.1.1.0/24\"}"), 3,
     "roa without \"asn\""},
    {"aspa without customer", ASPA("{\"providers\":[1]}"), 3,
     "aspa without \"customer_asid\""},
    {"key without pubkey", KEY("{\"asn\":1,\"ski\":\"" SKI_HEX "\"}"), 3,
     "bgpsec key without \"pubkey\""},
    {"key given twice", ROA("{\"asn\":1,\"prefix\":\"1.1.1.0/24\",\"asn\":2}"),
     3, "\"asn\" given twice"},
    {"providers and provider_set",
     ASPA("{\"customer_asid\":1,\"providers\":[2],\"provider_set\":[3]}"), 3,
     "\"providers\" given twice"},
    {"roas twice", "{\"roas\":[],\n\"roas\":[]}", 2, "\"roas\" given twice"},
    {"NUL in ta",
     ROA("{\"asn\":1,\"prefix\":\"1.1.1.0/24\",\"ta\":\"a\\u0000b\"}"), 3,
     "NUL character"},
    {"NUL in prefix", ROA("{\"asn\":1,\"prefix\":\"1.1.1.0\\u0000/24\"}"), 3,
     "NUL character"},
    {"control character in ta",
     ROA("{\"asn\":1,\"prefix\":\"1.1.1.0/24\",\"ta\":\"a\\nb\"}"), 3,
     "control character"},
    {"ta too long",
     ROA("{\"asn\":1,\"prefix\":\"1.1.1.0/24\",\"ta\":\"0123456789012345"
	 "6789012345678901234567890123456789012345678901234\"}"),
     3, "longer than 64 bytes"},
    {"nesting", "{\"roas\":[],\n\"x\":[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]}",
     2, "nested deeper than 16"},
    {"CSV without header", "\n1.1.1.0/24,AS1\n", 2, "neither JSON nor CSV"},
    {"CSV header too short", "ASN,IP Prefix\n", 1, "neither JSON nor CSV"},
    {"CSV field count",
     "ASN,IP Prefix,Max Length,Trust Anchor\nAS1,1.1.1.0/24,24\n", 2,
     "3 fields, the header has 4"},
    {"CSV bad ASN", "ASN,IP Prefix,Max Length\r\n\r\nASx,1.1.1.0/24,24\r\n", 3,
     "ASN \"ASx\" is not an AS number"},
    {"CSV host bits", "ASN,IP Prefix,Max Length\nAS1,1.1.1.1/24,24\n", 2,
     "host bits set"},
    {"CSV maxLength junk", "ASN,IP Prefix,Max Length\nAS1,1.1.1.0/24,x\n", 2,
     "Max Length \"x\" is not an integer"},
    {"CSV empty maxLength", "ASN,IP Prefix,Max Length\nAS1,1.1.1.0/24,\n", 2,
     "Max Length \"\" is not an integer"},
    {"CSV maxLength below",
     "ASN,IP Prefix,Max Length\nAS1,1.1.1.0/24,24\nAS1,1.1.0.0/16,8", 3,
     "maxLength 8 is below"},
};

START_TEST(test_vrpfile_bad_entry_rejected_naming_line)
{
	const struct bad_case *c = &bad_cases[_i];

	assert_rejected(c->rule, c->text, c->line, c->what);
}
END_TEST

/* Only the fixed parts: nothing after the document may load. */
START_TEST(test_vrpfile_json_error_gives_byte_offset)
{
	char want[256];

	/* An entry's fault points at its '{', a value's just past it. */
	ck_assert_ptr_null(
	    load("{\"roas\":[{\"asn\":1,\"prefix\":\"1.1.1.1/24\"}]}"));
	snprintf(want, sizeof(want), "%s: line 1, byte 9: ", path);
	ck_assert_msg(strncmp(err, want, strlen(want)) == 0, "%s", err);
	ck_assert_ptr_null(
	    load("{\"roas\":[{\"asn\":1,\"prefix\":\"1.1/8\"}]}"));
	snprintf(want, sizeof(want), "%s: line 1, byte 34: ", path);
	ck_assert_msg(strncmp(err, want, strlen(want)) == 0, "%s", err);
}
END_TEST

START_TEST(test_vrpfile_csv_nul_byte_rejected)
{
	static const char text[] = "ASN,IP Prefix,Max Length\n"
				   "AS1,1.1.1.0\0/24,24\n";
	FILE *fp = fopen(path, "w");

	ck_assert_ptr_nonnull(fp);
	ck_assert_uint_eq(fwrite(text, 1, sizeof(text) - 1, fp),
			  sizeof(text) - 1);
	ck_assert_int_eq(fclose(fp), 0);
	ck_assert_ptr_null(vrpfile_load(path, err, sizeof(err)));
	assert_error("NUL in CSV", 2, "NUL byte");
}
END_TEST

START_TEST(test_vrpfile_csv_long_line_rejected)
{
	struct text t = {0};
	int i;

	text_open(&t);
	fputs("ASN,IP Prefix,Max Length,Trust Anchor\n"
	      "AS1,1.1.1.0/24,24,",
	      t.fp);
	for (i = 0; i < 100000; i++)
		fputc('x', t.fp);
	assert_text_rejected(&t, "CSV long line", 2,
			     "line longer than 4096 bytes");
}
END_TEST

START_TEST(test_vrpfile_empty_file_rejected)
{
	char want[256];

	ck_assert_ptr_null(load(""));
	snprintf(want, sizeof(want), "%s: empty file", path);
	ck_assert_str_eq(err, want);
	ck_assert_ptr_null(load(" \n\r\n\t\n"));
	ck_assert_str_eq(err, want);
}
END_TEST

START_TEST(test_vrpfile_missing_file_named)
{
	ck_assert_ptr_null(
	    vrpfile_load("/nonexistent/vrps.json", err, sizeof(err)));
	ck_assert_str_eq(err,
			 "/nonexistent/vrps.json: No such file or "
			 "directory");
}
END_TEST

/*
 * A fault found at an entry's end is reported at its start, also when
 * the entry began in an earlier 64 KiB chunk; and lines are counted across
 * many chunks.
 */
START_TEST(test_vrpfile_error_line_across_chunks)
{
	struct text t = {0};
	int i;

	text_open(&t);
	fputs("{\"roas\":[\n", t.fp);
	for (i = 0; i < 20000; i++)
		fputs(GOOD_ROA ",\n", t.fp);
	fputs("{\"asn\":1,\n\"comment\":\"", t.fp);
	for (i = 0; i < 200000; i++)
		fputc('x', t.fp);
	fputs("\"\n}]}\n", t.fp);
	assert_text_rejected(&t, "entry across chunks", 20002,
			     "roa without \"prefix\"");
}
END_TEST

START_TEST(test_vrpfile_too_many_providers_rejected)
{
	struct text t = {0};
	int i;

	text_open(&t);
	fputs("{\"roas\":[],\n\"aspas\":[\n{\"customer_asid\":1,\"providers\":["
	      "0",
	      t.fp);
	for (i = 1; i <= MAX_ASPA_PROVIDERS; i++)
		fprintf(t.fp, ",%d", i);
	fputs("]}]}", t.fp);
	assert_text_rejected(&t, "providers", 3,
			     "aspa of AS1 has more than 10000 "
			     "providers");
}
END_TEST

START_TEST(test_vrpfile_too_many_tas_rejected)
{
	struct text t = {0};
	int i;

	text_open(&t);
	fputs("{\"roas\":[\n", t.fp);
	for (i = 0; i <= MAX_TAS; i++)
		fprintf(t.fp,
			"%s{\"asn\":1,\"prefix\":\"10.0.0.0/8\","
			"\"ta\":\"ta%d\"}\n",
			i == 0 ? "" : ",", i);
	fputs("]}", t.fp);
	assert_text_rejected(&t, "TAs", MAX_TAS + 2,
			     "more than 255 trust anchors");
}
END_TEST

/* The test's build lowers VRPFILE_MAX_VRPS to 150,000. */
START_TEST(test_vrpfile_too_many_vrps_rejected)
{
	struct text t = {0};
	int i;

	text_open(&t);
	fputs("ASN,IP Prefix,Max Length,Trust Anchor\n", t.fp);
	for (i = 0; i <= 150000; i++)
		fprintf(t.fp, "AS%d,10.%d.%d.0/24,24,t\n", i, i >> 8 & 0xff,
			i & 0xff);
	assert_text_rejected(&t, "VRPs", 150002, "more than 150000 VRPs");
}
END_TEST

/* And VRPFILE_MAX_VAPS and VRPFILE_MAX_KEYS to 100. */
START_TEST(test_vrpfile_too_many_aspas_and_keys_rejected)
{
	struct text t = {0};
	int i;

	text_open(&t);
	fputs("{\"roas\":[],\"aspas\":[\n", t.fp);
	for (i = 0; i <= 100; i++)
		fprintf(t.fp, "%s{\"customer_asid\":%d,\"providers\":[1]}\n",
			i == 0 ? "" : ",", i);
	fputs("]}", t.fp);
	assert_text_rejected(&t, "ASPAs", 102, "more than 100 ASPAs");

	text_open(&t);
	fputs("{\"roas\":[],\"bgpsec_keys\":[\n", t.fp);
	for (i = 0; i <= 100; i++)
		fprintf(t.fp,
			"%s{\"asn\":%d,\"ski\":\"" SKI_HEX "\",\"pubkey\":"
			"\"" SPKI_B64 "\"}\n",
			i == 0 ? "" : ",", i);
	fputs("]}", t.fp);
	assert_text_rejected(&t, "keys", 102, "more than 100 router keys");
}
END_TEST

/* And VRPFILE_MAX_PROVIDERS, over all ASPAs, to 1000. */
START_TEST(test_vrpfile_too_many_providers_in_all_rejected)
{
	struct text t = {0};
	int i, j;

	text_open(&t);
	fputs("{\"roas\":[],\"aspas\":[\n", t.fp);
	for (i = 0; i < 2; i++) {
		fprintf(t.fp, "%s{\"customer_asid\":%d,\"providers\":[0",
			i == 0 ? "" : ",", i);
		for (j = 1; j < 600; j++)
			fprintf(t.fp, ",%d", j);
		fputs("]}\n", t.fp);
	}
	fputs("]}", t.fp);
	assert_text_rejected(&t, "all providers", 3,
			     "more than 1000 ASPA providers");
}
END_TEST

/* 80% IPv4 /24s, 20% IPv6 /48s, over three TAs. */
START_TEST(test_vrpfile_loads_100000_vrps)
{
	static const char *const tas[] = {"apnic", "arin", "ripe"};
	struct text t = {0};
	struct vrpset *set;
	size_t v4, v6;
	int i;

	text_open(&t);
	fputs("{\"metadata\":{\"vrps\":100000},\"roas\":[\n", t.fp);
	for (i = 0; i < 100000; i++) {
		if (i % 5 != 4)
			fprintf(t.fp,
				"{\"asn\":%d,\"prefix\":\"%d.%d.%d.0/24\","
				"\"maxLength\":24,\"ta\":\"%s\"}",
				64496 + i % 1000, 1 + i / 65536, i / 256 % 256,
				i % 256, tas[i % 3]);
		else
			fprintf(t.fp,
				"{\"asn\":%d,\"prefix\":\"2001:db8:%x::/48\","
				"\"maxLength\":48,\"ta\":\"%s\"}",
				64496 + i % 1000, i / 5, tas[i % 3]);
		fputs(i < 99999 ? ",\n" : "\n", t.fp);
	}
	fputs("],\"aspas\":[],\"bgpsec_keys\":[]}\n", t.fp);
	set = text_load(&t);
	ck_assert_msg(set != NULL, "load failed: %s", err);
	vrpset_count(set, &v4, &v6);
	ck_assert_uint_eq(v4, 80000);
	ck_assert_uint_eq(v6, 20000);
	ck_assert_uint_eq(set->num_tas, 3);
	vrpset_free(set);
}
END_TEST

static Suite *
vrpfile_suite(void)
{
	Suite *s = suite_create("vrpfile");
	TCase *tc;

	tc = tcase_create("formats");
	tcase_add_checked_fixture(tc, setup_dir, teardown_dir);
	tcase_add_test(tc, test_vrpfile_json_rpki_client_layout);
	tcase_add_test(tc, test_vrpfile_csv_gives_same_vrps_as_json);
	tcase_add_test(tc, test_vrpfile_csv_extra_columns_ignored);
	tcase_add_test(tc,
		       test_vrpfile_csv_blank_lines_crlf_and_no_final_newline);
	tcase_add_test(tc, test_vrpfile_csv_header_only_is_empty_set);
	tcase_add_test(tc, test_vrpfile_stayrtr_asn_strings);
	tcase_add_test(tc, test_vrpfile_missing_maxlength_is_prefix_length);
	tcase_add_test(tc, test_vrpfile_missing_ta_is_empty_name);
	tcase_add_test(tc, test_vrpfile_unknown_keys_skipped_everywhere);
	tcase_add_test(tc, test_vrpfile_aspas_and_keys_optional);
	tcase_add_test(tc, test_vrpfile_aspa_provider_set_accepted);
	tcase_add_test(tc, test_vrpfile_pubkey_base64_padding);
	tcase_add_test(tc, test_vrpfile_duplicates_across_tas_kept);
	tcase_add_test(tc, test_vrpfile_output_json_round_trips);
	tcase_add_test(tc, test_vrpfile_output_csv_round_trips);
	tcase_add_test(tc, test_vrpfile_load_fp_reads_stream);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_checked_fixture(tc, setup_dir, teardown_dir);
	tcase_add_loop_test(tc, test_vrpfile_bad_entry_rejected_naming_line, 0,
			    sizeof(bad_cases) / sizeof(bad_cases[0]));
	tcase_add_test(tc, test_vrpfile_json_error_gives_byte_offset);
	tcase_add_test(tc, test_vrpfile_csv_nul_byte_rejected);
	tcase_add_test(tc, test_vrpfile_csv_long_line_rejected);
	tcase_add_test(tc, test_vrpfile_empty_file_rejected);
	tcase_add_test(tc, test_vrpfile_missing_file_named);
	tcase_add_test(tc, test_vrpfile_error_line_across_chunks);
	suite_add_tcase(s, tc);

	tc = tcase_create("bounds");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup_dir, teardown_dir);
	tcase_add_test(tc, test_vrpfile_too_many_providers_rejected);
	tcase_add_test(tc, test_vrpfile_too_many_tas_rejected);
	tcase_add_test(tc, test_vrpfile_too_many_vrps_rejected);
	tcase_add_test(tc, test_vrpfile_too_many_aspas_and_keys_rejected);
	tcase_add_test(tc, test_vrpfile_too_many_providers_in_all_rejected);
	tcase_add_test(tc, test_vrpfile_loads_100000_vrps);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	/* vrpset's own warning about TAs would only clutter the log. */
	log_setstream(fopen("/dev/null", "w"));
	sr = srunner_create(vrpfile_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
