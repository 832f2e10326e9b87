/*
 * Tests for rp/output.c: the exact bytes of every format for one small set
 * that has each awkward case (IPv6 in RFC 5952 form, maxLength above the
 * length, AS0, one VRP under two TAs, ASPAs of one customer under two TAs,
 * a router key); the JSON read back by Python's parser; the BIRD output
 * parsed by BIRD itself; and the CSV byte for byte against the generator's
 * expected/vrps.csv of every fixture case.
 */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rp/output.h"
#include "rp/vrpset.h"
#include "testdata.h"

/* 2026-06-01T00:00:00Z */
#define GENERATED 1780272000

static const struct output_meta meta = {GENERATED, 3.4};

/* A BGPsec router key from the generator's good fixture (EC P-256). */
static const unsigned char router_ski[SHA_DIGEST_LENGTH] = {
    0x7f, 0x5e, 0x08, 0xa4, 0x95, 0x93, 0x21, 0x04, 0x29, 0xc3,
    0x32, 0x18, 0xf4, 0x69, 0x33, 0xc8, 0xc8, 0x43, 0x32, 0x4e,
};
static const unsigned char router_spki[] = {
    0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02,
    0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03,
    0x42, 0x00, 0x04, 0x1c, 0x4f, 0xc0, 0xe6, 0x94, 0x7a, 0x74, 0x97, 0x85,
    0xf3, 0xbc, 0x30, 0x18, 0x2b, 0xdf, 0x45, 0x07, 0x8f, 0xa5, 0x26, 0x2d,
    0xee, 0x78, 0x02, 0x15, 0xa3, 0x18, 0x6a, 0xa0, 0xe6, 0xd9, 0xe0, 0x85,
    0xb1, 0x10, 0x2c, 0x70, 0xe9, 0x7d, 0x61, 0x32, 0x4c, 0x5c, 0x77, 0x4c,
    0x9d, 0x0d, 0x27, 0x31, 0x70, 0x6b, 0x61, 0x4f, 0xb0, 0x62, 0xaa, 0xfb,
    0x04, 0xa3, 0xc3, 0xca, 0x79, 0x27, 0x80,
};
#define ROUTER_SKI_HEX "7F5E08A49593210429C33218F46933C8C843324E"
#define ROUTER_SPKI_B64                                                        \
	"MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEHE/A5pR6dJeF87wwGCvfRQePpSYt7ngC" \
	"FaMYaqDm2eCFsRAscOl9YTJMXHdMnQ0nMXBrYU+wYqr7BKPDynkngA=="

static void
add(struct vrpset *set, struct vrp v)
{
	ck_assert(vrpset_add_vrp(set, &v));
}

/* The small set every format test writes, added out of order. */
static struct vrpset *
sample_set(void)
{
	struct vrpset *set = vrpset_new();
	const uint32_t p1[] = {64498, 64497}, p2[] = {64499, 64497},
		       p3[] = {64511};

	ck_assert_ptr_nonnull(set);
	ck_assert_int_eq(vrpset_add_ta(set, "ta1"), 0);
	ck_assert_int_eq(vrpset_add_ta(set, "ta2"), 1);
	add(set, testdata_vrp("2001:db8:0:0:1::", 80, 80, 64498, 1));
	add(set, testdata_vrp("198.51.100.0", 24, 26, 64497, 0));
	add(set, testdata_vrp("2001:db8::", 32, 48, 64496, 0));
	add(set, testdata_vrp("192.0.2.0", 24, 24, 64496, 1));
	add(set, testdata_vrp("198.51.100.0", 24, 24, 0, 1));
	add(set, testdata_vrp("192.0.2.0", 24, 24, 64496, 0));
	add(set, testdata_vrp("192.0.2.0", 24, 24, 64496, 0));
	ck_assert(vrpset_add_vap(set, 0, 64510, p3, 1));
	ck_assert(vrpset_add_vap(set, 1, 64496, p2, 2));
	ck_assert(vrpset_add_vap(set, 0, 64496, p1, 2));
	ck_assert(vrpset_add_key(set, 0, 64496, router_ski, router_spki,
				 sizeof(router_spki)));
	ck_assert(vrpset_finish(set));
	return set;
}

static struct vrpset *
empty_set(void)
{
	struct vrpset *set = vrpset_new();

	ck_assert_ptr_nonnull(set);
	ck_assert(vrpset_finish(set));
	return set;
}

/* What output_write() gives for set in fmt, as a string. Caller frees. */
static char *
written(const struct vrpset *set, enum output_format fmt)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(fp);
	ck_assert(output_write(fp, fmt, set, &meta));
	ck_assert_int_eq(fclose(fp), 0);
	ck_assert_uint_eq(strlen(buf), len);
	return buf;
}

static void
assert_written(const struct vrpset *set, enum output_format fmt,
	       const char *want)
{
	char *got = written(set, fmt);

	ck_assert_str_eq(got, want);
	free(got);
}

START_TEST(test_output_format_parse_four_names)
{
	enum output_format fmt;

	ck_assert(output_format_parse("csv", &fmt));
	ck_assert_int_eq(fmt, OUTPUT_CSV);
	ck_assert(output_format_parse("json", &fmt));
	ck_assert_int_eq(fmt, OUTPUT_JSON);
	ck_assert(output_format_parse("openbgpd", &fmt));
	ck_assert_int_eq(fmt, OUTPUT_OPENBGPD);
	ck_assert(output_format_parse("bird", &fmt));
	ck_assert_int_eq(fmt, OUTPUT_BIRD);
}
END_TEST

START_TEST(test_output_format_parse_rejects_unknown)
{
	enum output_format fmt = OUTPUT_JSON;

	ck_assert(!output_format_parse("CSV", &fmt));
	ck_assert(!output_format_parse("", &fmt));
	ck_assert(!output_format_parse("bird2", &fmt));
	ck_assert(!output_format_parse("xml", &fmt));
	ck_assert_int_eq(fmt, OUTPUT_JSON);
}
END_TEST

#define CSV_SAMPLE                                                             \
	"ASN,IP Prefix,Max Length,Trust Anchor\n"                              \
	"AS64496,192.0.2.0/24,24,ta1\n"                                        \
	"AS64496,192.0.2.0/24,24,ta2\n"                                        \
	"AS0,198.51.100.0/24,24,ta2\n"                                         \
	"AS64497,198.51.100.0/24,26,ta1\n"                                     \
	"AS64496,2001:db8::/32,48,ta1\n"                                       \
	"AS64498,2001:db8:0:0:1::/80,80,ta2\n"

START_TEST(test_output_csv_exact)
{
	struct vrpset *set = sample_set();

	assert_written(set, OUTPUT_CSV, CSV_SAMPLE);
	vrpset_free(set);
}
END_TEST

START_TEST(test_output_csv_empty_set_is_header_only)
{
	struct vrpset *set = empty_set();

	assert_written(set, OUTPUT_CSV,
		       "ASN,IP Prefix,Max Length,Trust Anchor\n");
	vrpset_free(set);
}
END_TEST

#define JSON_SAMPLE                                                            \
	"{\"metadata\":{\"buildtime\":\"2026-06-01T00:00:00Z\","               \
	"\"generated\":1780272000,\"elapsedtime\":3,\"vrps\":6,\"aspas\":3,"   \
	"\"bgpsec_keys\":1},\n"                                                \
	"\"roas\":[\n"                                                         \
	"{\"asn\":64496,\"prefix\":\"192.0.2.0/24\",\"maxLength\":24,"         \
	"\"ta\":\"ta1\"},\n"                                                   \
	"{\"asn\":64496,\"prefix\":\"192.0.2.0/24\",\"maxLength\":24,"         \
	"\"ta\":\"ta2\"},\n"                                                   \
	"{\"asn\":0,\"prefix\":\"198.51.100.0/24\",\"maxLength\":24,"          \
	"\"ta\":\"ta2\"},\n"                                                   \
	"{\"asn\":64497,\"prefix\":\"198.51.100.0/24\",\"maxLength\":26,"      \
	"\"ta\":\"ta1\"},\n"                                                   \
	"{\"asn\":64496,\"prefix\":\"2001:db8::/32\",\"maxLength\":48,"        \
	"\"ta\":\"ta1\"},\n"                                                   \
	"{\"asn\":64498,\"prefix\":\"2001:db8:0:0:1::/80\",\"maxLength\":80,"  \
	"\"ta\":\"ta2\"}\n"                                                    \
	"],\n"                                                                 \
	"\"aspas\":[\n"                                                        \
	"{\"customer_asid\":64496,\"providers\":[64497,64498],"                \
	"\"ta\":\"ta1\"},\n"                                                   \
	"{\"customer_asid\":64496,\"providers\":[64497,64499],"                \
	"\"ta\":\"ta2\"},\n"                                                   \
	"{\"customer_asid\":64510,\"providers\":[64511],\"ta\":\"ta1\"}\n"     \
	"],\n"                                                                 \
	"\"bgpsec_keys\":[\n"                                                  \
	"{\"asn\":64496,\"ski\":\"" ROUTER_SKI_HEX "\","                       \
	"\"pubkey\":\"" ROUTER_SPKI_B64 "\",\"ta\":\"ta1\"}\n"                 \
	"]}\n"

START_TEST(test_output_json_exact)
{
	struct vrpset *set = sample_set();

	assert_written(set, OUTPUT_JSON, JSON_SAMPLE);
	vrpset_free(set);
}
END_TEST

START_TEST(test_output_json_empty_set)
{
	struct vrpset *set = empty_set();

	assert_written(set, OUTPUT_JSON,
		       "{\"metadata\":{\"buildtime\":\"2026-06-01T00:00:00Z\","
		       "\"generated\":1780272000,\"elapsedtime\":3,\"vrps\":0,"
		       "\"aspas\":0,\"bgpsec_keys\":0},\n"
		       "\"roas\":[],\n"
		       "\"aspas\":[],\n"
		       "\"bgpsec_keys\":[]}\n");
	vrpset_free(set);
}
END_TEST

/*
 * Feeds text to a Python program on stdin; true if it exits 0 (quiet: its
 * complaints are dropped). Python's json module is an independent parser,
 * strict about RFC 8259.
 */
static bool
python_says(const char *program, const char *text, bool quiet)
{
	char *cmd;
	FILE *fp;
	int status;

	ck_assert_int_ge(asprintf(&cmd, "/usr/bin/python3 -c '%s'%s", program,
				  quiet ? " 2>/dev/null" : ""),
			 0);
	fp = popen(cmd, "w");
	free(cmd);
	ck_assert_ptr_nonnull(fp);
	ck_assert_int_ge(fputs(text, fp), 0);
	status = pclose(fp);
	return status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static bool
python_accepts(const char *program, const char *text)
{
	return python_says(program, text, false);
}

START_TEST(test_output_json_parses_back)
{
	struct vrpset *set = sample_set(), *empty = empty_set();
	char *json = written(set, OUTPUT_JSON);
	char *json_empty = written(empty, OUTPUT_JSON);
	const char *check =
	    "import json, sys\n"
	    "d = json.load(sys.stdin)\n"
	    "m = d[\"metadata\"]\n"
	    "assert m[\"vrps\"] == len(d[\"roas\"])\n"
	    "assert m[\"aspas\"] == len(d[\"aspas\"])\n"
	    "assert m[\"bgpsec_keys\"] == len(d[\"bgpsec_keys\"])\n"
	    "assert isinstance(m[\"generated\"], int)\n"
	    "for r in d[\"roas\"]:\n"
	    "    assert isinstance(r[\"asn\"], int) and r[\"ta\"]\n";

	ck_assert(python_accepts(check, json));
	ck_assert(python_accepts(check, json_empty));
	/* The check itself must be able to fail. */
	ck_assert(!python_says(check, "{\"roas\":[]", true));
	free(json);
	free(json_empty);
	vrpset_free(set);
	vrpset_free(empty);
}
END_TEST

/* rp/tal.c keeps TA names tame; the JSON must not depend on it. */
START_TEST(test_output_json_escapes_ta_name)
{
	struct vrpset *set = vrpset_new();
	char *json;

	ck_assert_ptr_nonnull(set);
	ck_assert_int_eq(vrpset_add_ta(set, "q\"b\\s\x01\xc3"), 0);
	add(set, testdata_vrp("192.0.2.0", 24, 24, 64496, 0));
	ck_assert(vrpset_finish(set));
	json = written(set, OUTPUT_JSON);
	ck_assert_ptr_nonnull(
	    strstr(json, "\"ta\":\"q\\\"b\\\\s\\u0001\\u00c3\"}"));
	ck_assert(python_accepts("import json, sys\n"
				 "d = json.load(sys.stdin)\n"
				 "assert d[\"roas\"][0][\"ta\"] == "
				 "\"q\\\"b\\\\s\\x01\\xc3\"\n",
				 json));
	free(json);
	vrpset_free(set);
}
END_TEST

#define BGPD_SAMPLE                                                            \
	"# vrpd, generated 2026-06-01T00:00:00Z\n"                             \
	"roa-set {\n"                                                          \
	"\t192.0.2.0/24 source-as 64496\n"                                     \
	"\t198.51.100.0/24 source-as 0\n"                                      \
	"\t198.51.100.0/24 maxlen 26 source-as 64497\n"                        \
	"\t2001:db8::/32 maxlen 48 source-as 64496\n"                          \
	"\t2001:db8:0:0:1::/80 source-as 64498\n"                              \
	"}\n"                                                                  \
	"\n"                                                                   \
	"aspa-set {\n"                                                         \
	"\tcustomer-as 64496 provider-as { 64497 64498 64499 }\n"              \
	"\tcustomer-as 64510 provider-as { 64511 }\n"                          \
	"}\n"

/*
 * The TA is not in the file, so a VRP under two TAs is one line, and the
 * ASPAs of one customer under two TAs are one line with their union.
 */
START_TEST(test_output_openbgpd_exact)
{
	struct vrpset *set = sample_set();

	assert_written(set, OUTPUT_OPENBGPD, BGPD_SAMPLE);
	vrpset_free(set);
}
END_TEST

START_TEST(test_output_openbgpd_no_aspa_set_without_aspas)
{
	struct vrpset *set = empty_set();

	assert_written(set, OUTPUT_OPENBGPD,
		       "# vrpd, generated 2026-06-01T00:00:00Z\n"
		       "roa-set {\n"
		       "}\n");
	vrpset_free(set);
}
END_TEST

#define BIRD_SAMPLE                                                            \
	"# vrpd, generated 2026-06-01T00:00:00Z\n"                             \
	"roa4 table ROAS4;\n"                                                  \
	"roa6 table ROAS6;\n"                                                  \
	"\n"                                                                   \
	"protocol static {\n"                                                  \
	"\troa4 { table ROAS4; };\n"                                           \
	"\troute 192.0.2.0/24 max 24 as 64496;\n"                              \
	"\troute 198.51.100.0/24 max 24 as 0;\n"                               \
	"\troute 198.51.100.0/24 max 26 as 64497;\n"                           \
	"}\n"                                                                  \
	"\n"                                                                   \
	"protocol static {\n"                                                  \
	"\troa6 { table ROAS6; };\n"                                           \
	"\troute 2001:db8::/32 max 48 as 64496;\n"                             \
	"\troute 2001:db8:0:0:1::/80 max 80 as 64498;\n"                       \
	"}\n"

START_TEST(test_output_bird_exact)
{
	struct vrpset *set = sample_set();

	assert_written(set, OUTPUT_BIRD, BIRD_SAMPLE);
	vrpset_free(set);
}
END_TEST

/*
 * BIRD's own parser (bird -p) reads the file; bird2 is in
 * contrib/debian-packages, so its absence fails the test.
 */
static void
assert_bird_parses(const struct vrpset *set)
{
	char path[] = "/tmp/check_output-bird-XXXXXX", *cmd, out[4096];
	const char *bird =
	    access("/usr/sbin/bird", X_OK) == 0 ? "/usr/sbin/bird" : "bird";
	size_t n;
	FILE *fp;
	int fd, status;

	ck_assert_int_ge(fd = mkstemp(path), 0);
	ck_assert_ptr_nonnull(fp = fdopen(fd, "w"));
	ck_assert(output_write(fp, OUTPUT_BIRD, set, &meta));
	ck_assert_int_eq(fclose(fp), 0);

	ck_assert_int_ge(asprintf(&cmd, "%s -p -c %s 2>&1", bird, path), 0);
	ck_assert_ptr_nonnull(fp = popen(cmd, "r"));
	free(cmd);
	n = fread(out, 1, sizeof(out) - 1, fp);
	out[n] = '\0';
	status = pclose(fp);
	unlink(path);
	ck_assert_msg(status != -1 && WIFEXITED(status) &&
			  WEXITSTATUS(status) != 127,
		      "bird not found: apt-get install bird2");
	ck_assert_msg(WEXITSTATUS(status) == 0, "bird -p failed: %s", out);
}

START_TEST(test_output_bird_parses_with_bird)
{
	struct vrpset *set = sample_set(), *empty = empty_set();

	assert_bird_parses(set);
	assert_bird_parses(empty);
	vrpset_free(set);
	vrpset_free(empty);
}
END_TEST

START_TEST(test_output_write_reports_full_disk)
{
	struct vrpset *set = sample_set();
	FILE *fp = fopen("/dev/full", "w");

	ck_assert_ptr_nonnull(fp);
	errno = 0;
	ck_assert(!output_write(fp, OUTPUT_JSON, set, &meta));
	ck_assert_int_eq(errno, ENOSPC);
	fclose(fp);
	vrpset_free(set);
}
END_TEST

/* The set is a public struct; a TA index it does not know is refused. */
START_TEST(test_output_write_refuses_unknown_ta)
{
	struct vrpset *set = sample_set();
	FILE *fp = fopen("/dev/null", "w");

	ck_assert_ptr_nonnull(fp);
	set->vrps[3].ta = 2;
	errno = 0;
	ck_assert(!output_write(fp, OUTPUT_CSV, set, &meta));
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert(!output_write(fp, OUTPUT_JSON, set, &meta));
	ck_assert_int_eq(errno, EINVAL);
	fclose(fp);
	vrpset_free(set);
}
END_TEST

/* One row of expected/vrps.csv, kept as the test read it. */
struct row {
	struct vrp vrp;
	char ta[64];
};

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Parses expected/vrps.csv into rows; its TA names, sorted, into *tas. */
static struct row *
read_rows(char *text, size_t *nrows, char ***tas, size_t *ntas)
{
	struct row *rows = NULL;
	char *line, *save = NULL, addr[64];
	unsigned int asn, len, maxlen;
	size_t n = 0, i;

	*tas = NULL;
	*ntas = 0;
	line = strtok_r(text, "\n", &save);
	ck_assert_str_eq(line, "ASN,IP Prefix,Max Length,Trust Anchor");
	while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
		struct row *r;

		ck_assert_ptr_nonnull(
		    rows = reallocarray(rows, n + 1, sizeof(*rows)));
		r = &rows[n++];
		ck_assert_int_eq(sscanf(line, "AS%u,%63[^/]/%u,%u,%63s", &asn,
					addr, &len, &maxlen, r->ta),
				 5);
		r->vrp = testdata_vrp(addr, len, maxlen, asn, 0);
		for (i = 0; i < *ntas; i++) {
			if (strcmp((*tas)[i], r->ta) == 0)
				break;
		}
		if (i == *ntas) {
			ck_assert_ptr_nonnull(*tas =
						  reallocarray(*tas, *ntas + 1,
							       sizeof(**tas)));
			ck_assert_ptr_nonnull((*tas)[*ntas] = strdup(r->ta));
			(*ntas)++;
		}
	}
	if (*ntas > 0)
		qsort(*tas, *ntas, sizeof(**tas), cmp_str);
	*nrows = n;
	return rows;
}

/*
 * Rebuilds one case's VRP set from its expected CSV: TAs registered in name
 * order (the generator breaks ties by TA name), rows added shuffled, every
 * third one twice, half into a second set that is merged in. The CSV
 * written from that must be the file, byte for byte.
 */
static void
assert_csv_roundtrip(const char *fixture_case)
{
	char *path = testdata_path(fixture_case, "expected/vrps.csv");
	size_t len, nrows, ntas, i, j, k;
	unsigned char *want = testdata_read(path, &len);
	char *text = strndup((const char *)want, len), *got, **tas;
	struct vrpset *set = vrpset_new(), *half = vrpset_new();
	struct row *rows, tmp;
	uint32_t seed = 12345;

	ck_assert_ptr_nonnull(text);
	ck_assert_ptr_nonnull(set);
	ck_assert_ptr_nonnull(half);
	rows = read_rows(text, &nrows, &tas, &ntas);
	for (i = 0; i < ntas; i++) {
		ck_assert_int_eq(vrpset_add_ta(set, tas[i]), (int)i);
		ck_assert_int_eq(vrpset_add_ta(half, tas[i]), (int)i);
	}
	for (i = 0; i < nrows; i++) {
		for (k = 0; strcmp(tas[k], rows[i].ta) != 0; k++)
			continue;
		rows[i].vrp.ta = (uint8_t)k;
	}
	for (i = nrows; i > 1; i--) {
		seed = seed * 1103515245u + 12345u;
		j = (seed >> 8) % i;
		tmp = rows[i - 1];
		rows[i - 1] = rows[j];
		rows[j] = tmp;
	}
	for (i = 0; i < nrows; i++) {
		struct vrpset *to = i % 2 == 0 ? set : half;

		ck_assert(vrpset_add_vrp(to, &rows[i].vrp));
		if (i % 3 == 0)
			ck_assert(vrpset_add_vrp(to, &rows[i].vrp));
	}
	ck_assert(vrpset_merge(set, half));
	ck_assert(vrpset_finish(set));
	ck_assert_uint_eq(set->num_vrps, nrows);

	got = written(set, OUTPUT_CSV);
	ck_assert_msg(strlen(got) == len && memcmp(got, want, len) == 0,
		      "%s: our CSV differs from the generator's:\n%s", path,
		      got);
	free(got);
	for (i = 0; i < ntas; i++)
		free(tas[i]);
	free(rows);
	free(tas);
	free(text);
	free(want);
	free(path);
	vrpset_free(half);
	vrpset_free(set);
}

START_TEST(test_output_csv_matches_generator_good_fixture)
{
	assert_csv_roundtrip("good");
}
END_TEST

/* Every other case too: AS0, duplicates, an empty set. */
START_TEST(test_output_csv_matches_generator_every_fixture)
{
	const char *dir = getenv("FIXTURES");
	struct dirent *de;
	size_t cases = 0;
	DIR *d;

	ck_assert_msg(dir != NULL, "FIXTURES is not set: run make check");
	ck_assert_ptr_nonnull(d = opendir(dir));
	while ((de = readdir(d)) != NULL) {
		char *path;

		if (de->d_name[0] == '.')
			continue;
		path = testdata_path(de->d_name, "expected/vrps.csv");
		if (access(path, R_OK) == 0) {
			assert_csv_roundtrip(de->d_name);
			cases++;
		}
		free(path);
	}
	closedir(d);
	ck_assert_uint_gt(cases, 1);
}
END_TEST

static Suite *
output_suite(void)
{
	Suite *s = suite_create("output");
	TCase *tc;

	tc = tcase_create("parse");
	tcase_add_test(tc, test_output_format_parse_four_names);
	tcase_add_test(tc, test_output_format_parse_rejects_unknown);
	suite_add_tcase(s, tc);

	tc = tcase_create("csv");
	tcase_add_test(tc, test_output_csv_exact);
	tcase_add_test(tc, test_output_csv_empty_set_is_header_only);
	tcase_add_test(tc, test_output_csv_matches_generator_good_fixture);
	tcase_add_test(tc, test_output_csv_matches_generator_every_fixture);
	suite_add_tcase(s, tc);

	tc = tcase_create("json");
	tcase_add_test(tc, test_output_json_exact);
	tcase_add_test(tc, test_output_json_empty_set);
	tcase_add_test(tc, test_output_json_parses_back);
	tcase_add_test(tc, test_output_json_escapes_ta_name);
	suite_add_tcase(s, tc);

	tc = tcase_create("openbgpd");
	tcase_add_test(tc, test_output_openbgpd_exact);
	tcase_add_test(tc, test_output_openbgpd_no_aspa_set_without_aspas);
	suite_add_tcase(s, tc);

	tc = tcase_create("bird");
	tcase_add_test(tc, test_output_bird_exact);
	tcase_add_test(tc, test_output_bird_parses_with_bird);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_test(tc, test_output_write_reports_full_disk);
	tcase_add_test(tc, test_output_write_refuses_unknown_ta);
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	sr = srunner_create(output_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
