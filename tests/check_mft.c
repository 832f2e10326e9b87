/*
 * Tests for rp/mft.c: every fixture manifest decodes and its hashes are
 * those of the files beside it, and each rule of RFC 9286 s.4.2 is proven
 * by an eContent that breaks only that rule. Every rejection test also
 * checks that exactly one log line names the URI and the rule.
 *
 * Malformed eContents are built with this file's own ASN.1 templates,
 * which are looser than rp/mft.c's (any time type, any field value), so
 * that one field can be set wrong while the rest stay right. They go to
 * mft_decode(), which needs no signature.
 */
#include "config.h"

#include <check.h>
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/asn1.h>
#include <openssl/asn1t.h>
#include <openssl/bn.h>
#include <openssl/cms.h>
#include <openssl/objects.h>
#include <openssl/safestack.h>
#include <openssl/sha.h>

#include "rp/limits.h"
#include "rp/log.h"
#include "rp/mft.h"
#include "testdata.h"

#define URI "rsync://rpki.example.net/repo/ca/ca.mft"

#define OID_SHA256 "2.16.840.1.101.3.4.2.1"
#define OID_SHA1   "1.3.14.3.2.26"

#define THIS_UPDATE "20260101000000Z"
#define NEXT_UPDATE "20260201000000Z"

/* The Manifest of RFC 9286 s.4.2, with every field free to be wrong. */
typedef struct {
	ASN1_IA5STRING *file;
	ASN1_BIT_STRING *hash;
} VecFileAndHash;

DEFINE_STACK_OF(VecFileAndHash)

typedef struct {
	ASN1_INTEGER *version;
	ASN1_INTEGER *manifestNumber;
	ASN1_TIME *thisUpdate;
	ASN1_TIME *nextUpdate;
	ASN1_OBJECT *fileHashAlg;
	STACK_OF(VecFileAndHash) * fileList;
} VecManifest;

/* The template macros are not C that clang-format can lay out. */
/* clang-format off */
ASN1_SEQUENCE(VecFileAndHash) = {
	ASN1_SIMPLE(VecFileAndHash, file, ASN1_IA5STRING),
	ASN1_SIMPLE(VecFileAndHash, hash, ASN1_BIT_STRING),
} static_ASN1_SEQUENCE_END(VecFileAndHash)

ASN1_SEQUENCE(VecManifest) = {
	ASN1_EXP_OPT(VecManifest, version, ASN1_INTEGER, 0),
	ASN1_SIMPLE(VecManifest, manifestNumber, ASN1_INTEGER),
	ASN1_SIMPLE(VecManifest, thisUpdate, ASN1_TIME),
	ASN1_SIMPLE(VecManifest, nextUpdate, ASN1_TIME),
	ASN1_SIMPLE(VecManifest, fileHashAlg, ASN1_OBJECT),
	ASN1_SEQUENCE_OF(VecManifest, fileList, VecFileAndHash),
} static_ASN1_SEQUENCE_END(VecManifest)

IMPLEMENT_STATIC_ASN1_ALLOC_FUNCTIONS(VecFileAndHash)
IMPLEMENT_STATIC_ASN1_ALLOC_FUNCTIONS(VecManifest)
IMPLEMENT_STATIC_ASN1_ENCODE_FUNCTIONS(VecManifest)
    /* clang-format on */

    /* A hash whose octets say which entry they belong to. */
    static void fill_hash(unsigned char hash[SHA256_DIGEST_LENGTH],
			  unsigned char seed)
{
	size_t i;

	for (i = 0; i < SHA256_DIGEST_LENGTH; i++)
		hash[i] = (unsigned char)(seed + i);
}

static ASN1_INTEGER *
hex_integer(const char *hex, bool negative)
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
vec_set_number(VecManifest *m, const char *hex, bool negative)
{
	ASN1_INTEGER_free(m->manifestNumber);
	m->manifestNumber = hex_integer(hex, negative);
}

/* type is V_ASN1_GENERALIZEDTIME or V_ASN1_UTCTIME; s is taken as is. */
static void
vec_set_time(ASN1_TIME **t, int type, const char *s)
{
	ASN1_TIME_free(*t);
	*t = ASN1_STRING_type_new(type);
	ck_assert_ptr_nonnull(*t);
	ck_assert_int_eq(ASN1_STRING_set(*t, s, (int)strlen(s)), 1);
}

static void
vec_set_hash_alg(VecManifest *m, const char *oid)
{
	ASN1_OBJECT_free(m->fileHashAlg);
	m->fileHashAlg = OBJ_txt2obj(oid, 1);
	ck_assert_ptr_nonnull(m->fileHashAlg);
}

/* Appends an entry: name of namelen bytes, hash of hashlen octets. */
static void
vec_add_raw(VecManifest *m, const char *name, size_t namelen,
	    const unsigned char *hash, int hashlen, int unused_bits)
{
	VecFileAndHash *fh = VecFileAndHash_new();

	ck_assert_ptr_nonnull(fh);
	ck_assert_int_eq(ASN1_STRING_set(fh->file, name, (int)namelen), 1);
	ck_assert_int_eq(ASN1_STRING_set(fh->hash, hash, hashlen), 1);
	/* Say the unused bits outright, or i2d drops trailing zero octets. */
	fh->hash->flags &= ~(ASN1_STRING_FLAG_BITS_LEFT | 0x07);
	fh->hash->flags |= ASN1_STRING_FLAG_BITS_LEFT | unused_bits;
	ck_assert_int_gt(sk_VecFileAndHash_push(m->fileList, fh), 0);
}

static void
vec_add(VecManifest *m, const char *name, unsigned char seed)
{
	unsigned char hash[SHA256_DIGEST_LENGTH];

	fill_hash(hash, seed);
	vec_add_raw(m, name, strlen(name), hash, SHA256_DIGEST_LENGTH, 0);
}

/* A manifest that breaks no rule: number 1, a CRL and a ROA. */
static VecManifest *
vec_good(void)
{
	VecManifest *m = VecManifest_new();

	ck_assert_ptr_nonnull(m);
	vec_set_number(m, "01", false);
	vec_set_time(&m->thisUpdate, V_ASN1_GENERALIZEDTIME, THIS_UPDATE);
	vec_set_time(&m->nextUpdate, V_ASN1_GENERALIZEDTIME, NEXT_UPDATE);
	vec_set_hash_alg(m, OID_SHA256);
	vec_add(m, "ca.crl", 1);
	vec_add(m, "roa-1_A.roa", 2);
	return m;
}

/* An empty good manifest, for entries of the caller's choosing. */
static VecManifest *
vec_empty(void)
{
	VecManifest *m = vec_good();

	sk_VecFileAndHash_pop_free(m->fileList, VecFileAndHash_free);
	m->fileList = sk_VecFileAndHash_new_null();
	ck_assert_ptr_nonnull(m->fileList);
	return m;
}

/* Encodes and frees m. */
static unsigned char *
vec_der(VecManifest *m, size_t *len)
{
	unsigned char *der = NULL;
	int n = i2d_VecManifest(m, &der);

	ck_assert_int_gt(n, 0);
	*len = (size_t)n;
	VecManifest_free(m);
	return der;
}

/* mft_decode() on len bytes of der must succeed without a word. */
static struct mft *
accept_der(const unsigned char *der, size_t len)
{
	struct testlog cap;
	struct mft *mft = calloc(1, sizeof(*mft));
	bool ok;
	char *log;

	ck_assert_ptr_nonnull(mft);
	testlog_start(&cap);
	ok = mft_decode(mft, URI, der, len);
	log = testlog_stop(&cap);
	ck_assert_msg(ok, "rejected: %s", log);
	ck_assert_str_eq(log, "");
	ck_assert_ptr_null(mft->so);
	free(log);
	return mft;
}

/* mft_decode() on len bytes of der must fail with one line holding why. */
static void
reject_der(const unsigned char *der, size_t len, const char *why)
{
	struct testlog cap;
	struct mft *mft = calloc(1, sizeof(*mft));
	char *log;

	ck_assert_ptr_nonnull(mft);
	testlog_start(&cap);
	ck_assert(!mft_decode(mft, URI, der, len));
	log = testlog_stop(&cap);
	testlog_assert_one_line(log, URI, why);
	/* Nothing half-filled is left behind for the caller to free. */
	ck_assert_ptr_null(mft->files);
	ck_assert_uint_eq(mft->num_files, 0);
	free(log);
	mft_free(mft);
}

/* m must be accepted; frees m. */
static struct mft *
accept(VecManifest *m)
{
	size_t len;
	unsigned char *der = vec_der(m, &len);
	struct mft *mft = accept_der(der, len);

	OPENSSL_free(der);
	return mft;
}

/* m must be rejected with one line holding why; frees m. */
static void
reject(VecManifest *m, const char *why)
{
	size_t len;
	unsigned char *der = vec_der(m, &len);

	reject_der(der, len, why);
	OPENSSL_free(der);
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

/* The eContent of the signed object at path, read with OpenSSL's CMS. */
static unsigned char *
fixture_econtent(const char *path, size_t *len)
{
	size_t dlen;
	unsigned char *der = testdata_read(path, &dlen), *out;
	const unsigned char *p = der;
	CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &p, (long)dlen);
	ASN1_OCTET_STRING **content;

	ck_assert_msg(cms != NULL, "%s is not CMS", path);
	content = CMS_get0_content(cms);
	ck_assert(content != NULL && *content != NULL);
	*len = (size_t)ASN1_STRING_length(*content);
	out = malloc(*len > 0 ? *len : 1);
	ck_assert_ptr_nonnull(out);
	memcpy(out, ASN1_STRING_get0_data(*content), *len);
	CMS_ContentInfo_free(cms);
	free(der);
	return out;
}

/* Decodes the eContent of the manifest at path, which must pass. */
static struct mft *
fixture_decode(const char *path)
{
	size_t len;
	unsigned char *econtent = fixture_econtent(path, &len);
	struct mft *mft = calloc(1, sizeof(*mft));
	char *uri = rsync_uri(path);

	ck_assert_ptr_nonnull(mft);
	ck_assert_msg(mft_decode(mft, uri, econtent, len), "%s rejected", uri);
	free(uri);
	free(econtent);
	return mft;
}

/* Calls fn on every fixture case's name; returns how many there were. */
static size_t
each_case(void (*fn)(const char *))
{
	const char *dir = getenv("FIXTURES");
	struct dirent *de;
	size_t cases = 0;
	DIR *d;

	ck_assert_msg(dir != NULL, "FIXTURES is not set: run make check");
	ck_assert_ptr_nonnull(d = opendir(dir));
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		fn(de->d_name);
		cases++;
	}
	closedir(d);
	return cases;
}

static void
decode_case(const char *fixture_case)
{
	size_t i, n;
	char **paths = testdata_find_all(fixture_case, ".mft", NULL, &n);

	for (i = 0; i < n; i++) {
		char *uri = rsync_uri(paths[i]);

		if (!testdata_rejected(fixture_case, uri))
			mft_free(fixture_decode(paths[i]));
		free(uri);
		free(paths[i]);
	}
	free(paths);
}

START_TEST(test_mft_every_fixture_manifest_decoded)
{
	ck_assert_uint_gt(each_case(decode_case), 1);
}
END_TEST

/* Proves the hashes are read whole and in order: they match the files. */
START_TEST(test_mft_fixture_hashes_match_files)
{
	size_t i, j, n, nfiles = 0;
	char **paths = testdata_find_all("good", ".mft", NULL, &n);

	ck_assert_uint_gt(n, 0);
	for (i = 0; i < n; i++) {
		struct mft *mft = fixture_decode(paths[i]);
		const char *slash = strrchr(paths[i], '/');
		size_t ncrl = 0;

		ck_assert_ptr_nonnull(slash);
		for (j = 0; j < mft->num_files; j++) {
			unsigned char md[SHA256_DIGEST_LENGTH], *data;
			size_t len;
			char *file;

			ck_assert_int_ge(asprintf(&file, "%.*s/%s",
						  (int)(slash - paths[i]),
						  paths[i], mft->files[j].name),
					 0);
			data = testdata_read(file, &len);
			SHA256(data, len, md);
			ck_assert_msg(memcmp(md, mft->files[j].hash,
					     sizeof(md)) == 0,
				      "%s: hash differs from the manifest's",
				      file);
			if (strcmp(strrchr(file, '.'), ".crl") == 0)
				ncrl++;
			free(data);
			free(file);
		}
		ck_assert_uint_eq(ncrl, 1);
		nfiles += mft->num_files;
		mft_free(mft);
		free(paths[i]);
	}
	free(paths);
	ck_assert_uint_gt(nfiles, n);
}
END_TEST

/* The number and times are the eContent's, read here with OpenSSL. */
START_TEST(test_mft_fixture_number_and_times_read)
{
	char *path = testdata_find("good", ".mft", NULL);
	size_t len;
	unsigned char *econtent = fixture_econtent(path, &len);
	const unsigned char *p = econtent;
	VecManifest *m = d2i_VecManifest(NULL, &p, (long)len);
	struct mft *mft = fixture_decode(path);
	unsigned char number[20];
	BIGNUM *bn;
	struct tm tm;

	ck_assert_ptr_nonnull(m);
	ck_assert_ptr_nonnull(bn = ASN1_INTEGER_to_BN(m->manifestNumber, NULL));
	ck_assert_int_eq(BN_bn2binpad(bn, number, sizeof(number)), 20);
	ck_assert_mem_eq(mft->number, number, sizeof(number));
	ck_assert_int_eq(ASN1_TIME_to_tm(m->thisUpdate, &tm), 1);
	ck_assert_int_eq(mft->this_update, timegm(&tm));
	ck_assert_int_eq(ASN1_TIME_to_tm(m->nextUpdate, &tm), 1);
	ck_assert_int_eq(mft->next_update, timegm(&tm));
	ck_assert_int_eq(sk_VecFileAndHash_num(m->fileList),
			 (int)mft->num_files);
	BN_free(bn);
	VecManifest_free(m);
	mft_free(mft);
	free(econtent);
	free(path);
}
END_TEST

/* The manifest at path, named uri, parses whole: its eContent intact. */
static void
parse_one(const char *path, const char *uri)
{
	size_t len, elen;
	unsigned char *der = testdata_read(path, &len);
	unsigned char *econtent = fixture_econtent(path, &elen);
	struct mft *mft = mft_parse(uri, der, len);

	ck_assert_msg(mft != NULL, "%s rejected", uri);
	ck_assert_ptr_nonnull(mft->so);
	ck_assert_ptr_nonnull(mft->so->ee);
	ck_assert_uint_eq(mft->so->content_len, elen);
	ck_assert_mem_eq(mft->so->content, econtent, elen);
	mft_free(mft);
	free(econtent);
	free(der);
}

/* Every manifest of the case but those it breaks on purpose parses. */
static void
parse_case(const char *fixture_case)
{
	size_t i, n;
	char **paths = testdata_find_all(fixture_case, ".mft", NULL, &n);

	for (i = 0; i < n; i++) {
		char *uri = rsync_uri(paths[i]);

		if (!testdata_rejected(fixture_case, uri))
			parse_one(paths[i], uri);
		free(uri);
		free(paths[i]);
	}
	free(paths);
}

/* mft_parse: cms_parse and mft_decode, end to end. */
START_TEST(test_mft_parse_every_fixture_manifest_accepted)
{
	ck_assert_uint_gt(each_case(parse_case), 1);
}
END_TEST

/* A ROA is a fine signed object, but not a manifest (RFC 9286 s.4.1). */
START_TEST(test_mft_parse_roa_rejected)
{
	char *path = testdata_find("good", ".roa", NULL);
	size_t len;
	unsigned char *der = testdata_read(path, &len);
	char *uri = rsync_uri(path), *log;
	struct testlog cap;

	testlog_start(&cap);
	ck_assert_ptr_null(mft_parse(uri, der, len));
	log = testlog_stop(&cap);
	testlog_assert_one_line(log, uri, "eContentType");
	free(log);
	free(uri);
	free(der);
	free(path);
}
END_TEST

START_TEST(test_mft_parse_garbage_rejected)
{
	static const unsigned char junk[] = {0x30, 0x03, 0x02, 0x01, 0x00};
	struct testlog cap;
	char *log;

	testlog_start(&cap);
	ck_assert_ptr_null(mft_parse(URI, junk, sizeof(junk)));
	log = testlog_stop(&cap);
	testlog_assert_one_line(log, URI, "RFC 6488");
	free(log);
}
END_TEST

START_TEST(test_mft_good_vector_accepted)
{
	struct mft *mft = accept(vec_good());
	unsigned char hash[SHA256_DIGEST_LENGTH];
	static const unsigned char one[20] = {[19] = 1};
	struct tm tm = {.tm_year = 2026 - 1900, .tm_mday = 1};

	ck_assert_mem_eq(mft->number, one, sizeof(one));
	ck_assert_int_eq(mft->this_update, timegm(&tm));
	tm.tm_mon = 1;
	ck_assert_int_eq(mft->next_update, timegm(&tm));
	ck_assert_uint_eq(mft->num_files, 2);
	ck_assert_str_eq(mft->files[0].name, "ca.crl");
	fill_hash(hash, 1);
	ck_assert_mem_eq(mft->files[0].hash, hash, sizeof(hash));
	ck_assert_str_eq(mft->files[1].name, "roa-1_A.roa");
	fill_hash(hash, 2);
	ck_assert_mem_eq(mft->files[1].hash, hash, sizeof(hash));
	mft_free(mft);
}
END_TEST

/* RFC 9286 s.4.2.1, s.4.4 item 2. */
START_TEST(test_mft_version_1_rejected)
{
	VecManifest *m = vec_good();

	m->version = hex_integer("01", false);
	reject(m, "version is not 0 (RFC 9286 s.4.2.1)");
}
END_TEST

/* X.690 s.11.5: DER leaves out a field that holds its DEFAULT. */
START_TEST(test_mft_explicit_version_0_rejected)
{
	VecManifest *m = vec_good();

	m->version = hex_integer("00", false);
	reject(m, "DER omits a DEFAULT value");
}
END_TEST

/* RFC 9286 s.4.2.1: up to 20 octets must be read. */
START_TEST(test_mft_number_of_20_octets_accepted)
{
	VecManifest *m = vec_good();
	unsigned char want[20];
	struct mft *mft;

	/* 0x7f then 19 0xff: the largest positive 20-octet INTEGER. */
	vec_set_number(m, "7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF", false);
	mft = accept(m);
	memset(want, 0xff, sizeof(want));
	want[0] = 0x7f;
	ck_assert_mem_eq(mft->number, want, sizeof(want));
	mft_free(mft);
}
END_TEST

/* DER 00 80 ..., 20 octets: 19 octets of value whose top bit is set. */
START_TEST(test_mft_number_of_20_octets_with_zero_pad_accepted)
{
	VecManifest *m = vec_good();
	unsigned char want[20] = {0, 0x80};
	struct mft *mft;

	vec_set_number(m, "80000000000000000000000000000000000000", false);
	mft = accept(m);
	ck_assert_mem_eq(mft->number, want, sizeof(want));
	mft_free(mft);
}
END_TEST

START_TEST(test_mft_number_zero_accepted)
{
	VecManifest *m = vec_good();
	static const unsigned char zero[20];
	struct mft *mft;

	vec_set_number(m, "00", false);
	mft = accept(m);
	ck_assert_mem_eq(mft->number, zero, sizeof(zero));
	mft_free(mft);
}
END_TEST

/* DER 00 80 00 ... (21 octets): one octet too many (RFC 9286 s.4.2.1). */
START_TEST(test_mft_number_of_21_octets_rejected)
{
	VecManifest *m = vec_good();

	vec_set_number(m, "8000000000000000000000000000000000000000", false);
	reject(m, "manifestNumber is longer than 20 octets");
}
END_TEST

START_TEST(test_mft_number_of_21_octets_without_pad_rejected)
{
	VecManifest *m = vec_good();

	vec_set_number(m, "010000000000000000000000000000000000000000", false);
	reject(m, "manifestNumber is longer than 20 octets");
}
END_TEST

/* RFC 9286 s.4.2: manifestNumber INTEGER (0..MAX). */
START_TEST(test_mft_negative_number_rejected)
{
	VecManifest *m = vec_good();

	vec_set_number(m, "01", true);
	reject(m, "manifestNumber is negative");
}
END_TEST

/* RFC 9286 s.4.2.1, s.4.4 item 3. */
START_TEST(test_mft_next_update_before_this_update_rejected)
{
	VecManifest *m = vec_good();

	vec_set_time(&m->nextUpdate, V_ASN1_GENERALIZEDTIME, "20251231235959Z");
	reject(m, "nextUpdate is not after thisUpdate");
}
END_TEST

START_TEST(test_mft_next_update_equal_to_this_update_rejected)
{
	VecManifest *m = vec_good();

	vec_set_time(&m->nextUpdate, V_ASN1_GENERALIZEDTIME, THIS_UPDATE);
	reject(m, "nextUpdate is not after thisUpdate");
}
END_TEST

/* RFC 9286 s.4.2: thisUpdate and nextUpdate are GeneralizedTime. */
START_TEST(test_mft_utctime_this_update_rejected)
{
	VecManifest *m = vec_good();

	vec_set_time(&m->thisUpdate, V_ASN1_UTCTIME, "260101000000Z");
	reject(m, "thisUpdate is not a GeneralizedTime");
}
END_TEST

START_TEST(test_mft_utctime_next_update_rejected)
{
	VecManifest *m = vec_good();

	vec_set_time(&m->nextUpdate, V_ASN1_UTCTIME, "260201000000Z");
	reject(m, "nextUpdate is not a GeneralizedTime");
}
END_TEST

/* RFC 5280 s.4.1.2.5.2: no fractions of a second, no offsets, Z. */
START_TEST(test_mft_generalized_time_not_rfc5280_form_rejected)
{
	static const char *bad[] = {
	    "20260101000000.5Z", "20260101000000+0100", "20260101000000",
	    "202601010000Z",	 "2026010100000aZ",	"20261301000000Z",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		VecManifest *m = vec_good();

		vec_set_time(&m->thisUpdate, V_ASN1_GENERALIZEDTIME, bad[i]);
		reject(m, "YYYYMMDDHHMMSSZ");
	}
}
END_TEST

/* RFC 9286 s.4.2.1, RFC 7935 s.2: SHA-256 and nothing else. */
START_TEST(test_mft_sha1_hash_alg_rejected)
{
	VecManifest *m = vec_good();

	vec_set_hash_alg(m, OID_SHA1);
	reject(m, "fileHashAlg is not SHA-256");
}
END_TEST

START_TEST(test_mft_hash_of_31_octets_rejected)
{
	VecManifest *m = vec_empty();
	unsigned char hash[SHA256_DIGEST_LENGTH];

	fill_hash(hash, 7);
	vec_add_raw(m, "a.roa", 5, hash, SHA256_DIGEST_LENGTH - 1, 0);
	reject(m, "hash of a.roa is not 32 whole octets");
}
END_TEST

START_TEST(test_mft_hash_of_33_octets_rejected)
{
	VecManifest *m = vec_empty();
	unsigned char hash[SHA256_DIGEST_LENGTH + 1] = {1};

	vec_add_raw(m, "a.roa", 5, hash, sizeof(hash), 0);
	reject(m, "hash of a.roa is not 32 whole octets");
}
END_TEST

/* 32 octets but only 255 bits: a BIT STRING with one unused bit. */
START_TEST(test_mft_hash_with_unused_bits_rejected)
{
	VecManifest *m = vec_empty();
	unsigned char hash[SHA256_DIGEST_LENGTH] = {1};

	vec_add_raw(m, "a.roa", 5, hash, sizeof(hash), 1);
	reject(m, "hash of a.roa is not 32 whole octets");
}
END_TEST

/* RFC 9286 s.4.2.2: [a-zA-Z0-9_-]+ '.' and three lower-case letters. */
START_TEST(test_mft_bad_file_names_rejected)
{
	static const struct {
		const char *name;
		size_t len;
	} bad[] = {
	    {"../x.roa", 8},  {"a/b.roa", 7},	   {"a.ROA", 5},
	    {"a", 1},	      {".roa", 4},	   {"a b.roa", 7},
	    {"a\x01.roa", 6}, {"a\n.roa", 6},	   {"a\0b.roa", 7},
	    {"a.roa\0", 6},   {"a.ro", 4},	   {"a.roaa", 6},
	    {"a.r0a", 5},     {"a.roa.roa", 9},	   {"a..roa", 6},
	    {"", 0},	      {"\xc3\xa9.roa", 6},
	};
	char long_name[MAX_FILENAME_LENGTH + 2];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		VecManifest *m = vec_good();
		unsigned char hash[SHA256_DIGEST_LENGTH];

		fill_hash(hash, 3);
		vec_add_raw(m, bad[i].name, bad[i].len, hash, sizeof(hash), 0);
		reject(m, "entry 2 is not a file name");
	}

	/* One character over MAX_FILENAME_LENGTH, in the right alphabet. */
	memset(long_name, 'a', sizeof(long_name) - 1);
	memcpy(long_name + MAX_FILENAME_LENGTH + 1 - 4, ".roa", 5);
	ck_assert_uint_eq(strlen(long_name), MAX_FILENAME_LENGTH + 1);
	{
		VecManifest *m = vec_empty();

		vec_add(m, long_name, 4);
		reject(m, "entry 0 is not a file name");
	}
}
END_TEST

START_TEST(test_mft_file_name_of_max_length_accepted)
{
	char name[MAX_FILENAME_LENGTH + 1];
	VecManifest *m = vec_empty();
	struct mft *mft;

	memset(name, 'Z', sizeof(name) - 1);
	memcpy(name + MAX_FILENAME_LENGTH - 4, ".cer", 5);
	vec_add(m, name, 5);
	vec_add(m, "-_09azAZ.asa", 6);
	mft = accept(m);
	ck_assert_uint_eq(mft->num_files, 2);
	ck_assert_str_eq(mft->files[0].name, name);
	ck_assert_str_eq(mft->files[1].name, "-_09azAZ.asa");
	mft_free(mft);
}
END_TEST

/* RFC 9286 s.4.2.2: one name, one hash. */
START_TEST(test_mft_duplicate_names_rejected)
{
	VecManifest *m = vec_good();

	vec_add(m, "other.cer", 3);
	vec_add(m, "ca.crl", 4);
	reject(m, "lists ca.crl twice");
}
END_TEST

/* RFC 9286 s.4.2: SIZE (0..MAX); whether it will do is validate.c's. */
START_TEST(test_mft_empty_file_list_rejected)
{
	reject(vec_empty(), "erratum 7118");
}
END_TEST

static VecManifest *
vec_with_entries(size_t n)
{
	VecManifest *m = vec_empty();
	char name[32];
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "f%zu.roa", i);
		vec_add(m, name, (unsigned char)i);
	}
	return m;
}

START_TEST(test_mft_max_entries_accepted)
{
	struct mft *mft = accept(vec_with_entries(MAX_MANIFEST_ENTRIES));

	ck_assert_uint_eq(mft->num_files, MAX_MANIFEST_ENTRIES);
	ck_assert_str_eq(mft->files[MAX_MANIFEST_ENTRIES - 1].name,
			 "f99999.roa");
	mft_free(mft);
}
END_TEST

START_TEST(test_mft_too_many_entries_rejected)
{
	reject(vec_with_entries(MAX_MANIFEST_ENTRIES + 1),
	       "lists more than 100000 files");
}
END_TEST

/* X.690 s.8.1.1: the encoding ends where the outer SEQUENCE does. */
START_TEST(test_mft_trailing_bytes_rejected)
{
	size_t len;
	unsigned char *der = vec_der(vec_good(), &len), *longer;

	longer = malloc(len + 1);
	ck_assert_ptr_nonnull(longer);
	memcpy(longer, der, len);
	longer[len] = 0;
	reject_der(longer, len + 1, "1 bytes after the Manifest");
	free(longer);
	OPENSSL_free(der);
}
END_TEST

START_TEST(test_mft_truncated_rejected)
{
	size_t len;
	unsigned char *der = vec_der(vec_good(), &len);

	reject_der(der, len - 1, "eContent is not a Manifest");
	OPENSSL_free(der);
}
END_TEST

/* X.690 s.10.1: the shortest length form. OpenSSL decodes the long one. */
START_TEST(test_mft_ber_long_form_length_rejected)
{
	size_t len;
	unsigned char *der = vec_der(vec_empty(), &len), *ber;

	ck_assert_uint_lt(der[1], 0x80); /* short form: one length octet */
	ber = malloc(len + 1);
	ck_assert_ptr_nonnull(ber);
	ber[0] = der[0];
	ber[1] = 0x81;
	memcpy(ber + 2, der + 1, len - 1);
	reject_der(ber, len + 1, "not DER-encoded");
	free(ber);
	OPENSSL_free(der);
}
END_TEST

START_TEST(test_mft_not_a_manifest_rejected)
{
	static const unsigned char integer[] = {0x02, 0x01, 0x00};
	static const unsigned char empty_seq[] = {0x30, 0x00};

	reject_der(integer, sizeof(integer), "eContent is not a Manifest");
	reject_der(empty_seq, sizeof(empty_seq), "eContent is not a Manifest");
	reject_der(integer, 0, "eContent is not a Manifest");
}
END_TEST

/* A rejection after some files were copied frees them (ASan checks). */
START_TEST(test_mft_late_rejection_leaves_mft_empty)
{
	VecManifest *m = vec_with_entries(50);

	vec_add(m, "f7.roa", 9);
	reject(m, "lists f7.roa twice");
}
END_TEST

/* Big-endian and left-padded: byte order is numeric order. */
START_TEST(test_mft_number_cmp_orders_numbers)
{
	static const char *hex[] = {
	    "00",
	    "01",
	    "FF",
	    "0100",
	    "FFFF",
	    "010000",
	    "7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF",
	};
	enum { N = sizeof(hex) / sizeof(hex[0]) };
	struct mft *mft[N];
	size_t i, j;

	for (i = 0; i < N; i++) {
		VecManifest *m = vec_good();

		vec_set_number(m, hex[i], false);
		mft[i] = accept(m);
	}
	for (i = 0; i < N; i++) {
		for (j = 0; j < N; j++) {
			int c = mft_number_cmp(mft[i], mft[j]);

			if (i < j)
				ck_assert_int_lt(c, 0);
			else if (i == j)
				ck_assert_int_eq(c, 0);
			else
				ck_assert_int_gt(c, 0);
		}
	}
	for (i = 0; i < N; i++)
		mft_free(mft[i]);
}
END_TEST

START_TEST(test_mft_free_accepts_null)
{
	mft_free(NULL);
}
END_TEST

static Suite *
mft_suite(void)
{
	Suite *s = suite_create("mft");
	TCase *tc = tcase_create("mft");

	/* Generous: sanitizers make OpenSSL several times slower. */
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_mft_every_fixture_manifest_decoded);
	tcase_add_test(tc, test_mft_fixture_hashes_match_files);
	tcase_add_test(tc, test_mft_fixture_number_and_times_read);
	tcase_add_test(tc, test_mft_parse_every_fixture_manifest_accepted);
	tcase_add_test(tc, test_mft_parse_roa_rejected);
	tcase_add_test(tc, test_mft_parse_garbage_rejected);
	tcase_add_test(tc, test_mft_good_vector_accepted);
	tcase_add_test(tc, test_mft_version_1_rejected);
	tcase_add_test(tc, test_mft_explicit_version_0_rejected);
	tcase_add_test(tc, test_mft_number_of_20_octets_accepted);
	tcase_add_test(tc, test_mft_number_of_20_octets_with_zero_pad_accepted);
	tcase_add_test(tc, test_mft_number_zero_accepted);
	tcase_add_test(tc, test_mft_number_of_21_octets_rejected);
	tcase_add_test(tc, test_mft_number_of_21_octets_without_pad_rejected);
	tcase_add_test(tc, test_mft_negative_number_rejected);
	tcase_add_test(tc, test_mft_next_update_before_this_update_rejected);
	tcase_add_test(tc, test_mft_next_update_equal_to_this_update_rejected);
	tcase_add_test(tc, test_mft_utctime_this_update_rejected);
	tcase_add_test(tc, test_mft_utctime_next_update_rejected);
	tcase_add_test(tc, test_mft_generalized_time_not_rfc5280_form_rejected);
	tcase_add_test(tc, test_mft_sha1_hash_alg_rejected);
	tcase_add_test(tc, test_mft_hash_of_31_octets_rejected);
	tcase_add_test(tc, test_mft_hash_of_33_octets_rejected);
	tcase_add_test(tc, test_mft_hash_with_unused_bits_rejected);
	tcase_add_test(tc, test_mft_bad_file_names_rejected);
	tcase_add_test(tc, test_mft_file_name_of_max_length_accepted);
	tcase_add_test(tc, test_mft_duplicate_names_rejected);
	tcase_add_test(tc, test_mft_empty_file_list_rejected);
	tcase_add_test(tc, test_mft_max_entries_accepted);
	tcase_add_test(tc, test_mft_too_many_entries_rejected);
	tcase_add_test(tc, test_mft_trailing_bytes_rejected);
	tcase_add_test(tc, test_mft_truncated_rejected);
	tcase_add_test(tc, test_mft_ber_long_form_length_rejected);
	tcase_add_test(tc, test_mft_not_a_manifest_rejected);
	tcase_add_test(tc, test_mft_late_rejection_leaves_mft_empty);
	tcase_add_test(tc, test_mft_number_cmp_orders_numbers);
	tcase_add_test(tc, test_mft_free_accepts_null);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(mft_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
