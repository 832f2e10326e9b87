/*
 * Tests for rp/inspect.c: every object type of the good fixture decodes to
 * the fields the generator put in it (checked against its expected outputs
 * and the files themselves, never against our own parsers), garbage gives
 * errors and no crash, and validation in context names the rule a broken
 * fixture's object breaks.
 *
 * The JSON is read by plain string search: inspect writes one object per
 * line with ", " and ": " as separators, which these tests also pin down.
 */
#include "config.h"

#include <check.h>
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/sha.h>

#include "rp/inspect.h"
#include "rp/tal.h"
#include "testdata.h"

/* The fixtures' evaluation time, 2026-06-01T00:00:00Z. */
#define FIXTURE_NOW ((time_t)1780272000)

/* Made in main(), before Check forks the tests. */
static char tmpdir[] = "/tmp/check_inspect.XXXXXX";

static char *
inspect_str(const char *path, enum inspect_format fmt,
	    const struct inspect_ctx *ctx, bool *ok)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(fp);
	*ok = inspect_file(fp, path, fmt, ctx);
	ck_assert_int_eq(fclose(fp), 0);
	fputs(buf, stderr); /* the test log shows what was printed */
	return buf;
}

/* The JSON of path, which must decode without error. */
static char *
inspect_good_json(const char *path)
{
	bool ok;
	char *out = inspect_str(path, INSPECT_JSON, NULL, &ok);

	ck_assert_msg(ok, "%s: errors in %s", path, out);
	ck_assert_msg(strstr(out, "\"errors\": []") != NULL, "%s", out);
	ck_assert_msg(out[0] == '{' &&
			  strcmp(out + strlen(out) - 2, "}\n") == 0,
		      "not one JSON object on one line: %s", out);
	ck_assert_msg(strchr(out, '\n') == out + strlen(out) - 1,
		      "more than one line: %s", out);
	return out;
}

/* The string value of "key": "..." after from, copied; NULL if absent. */
static char *
json_str(const char *from, const char *key, const char **after)
{
	char pat[64];
	const char *p, *end;
	char *v;

	snprintf(pat, sizeof(pat), "\"%s\": \"", key);
	if ((p = strstr(from, pat)) == NULL)
		return NULL;
	p += strlen(pat);
	ck_assert_ptr_nonnull(end = strchr(p, '"'));
	ck_assert_ptr_nonnull(v = strndup(p, (size_t)(end - p)));
	if (after != NULL)
		*after = end + 1;
	return v;
}

/* The number value of "key": N after from; false if absent. */
static bool
json_num(const char *from, const char *key, unsigned long *out,
	 const char **after)
{
	char pat[64];
	const char *p;
	char *end;

	snprintf(pat, sizeof(pat), "\"%s\": ", key);
	if ((p = strstr(from, pat)) == NULL)
		return false;
	*out = strtoul(p + strlen(pat), &end, 10);
	ck_assert_ptr_ne(end, p + strlen(pat));
	if (after != NULL)
		*after = end;
	return true;
}

static bool
is_hex(const char *s, size_t len)
{
	size_t i;

	if (strlen(s) != len)
		return false;
	for (i = 0; i < len; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

static char *
expected_file(const char *fixture_case, const char *name)
{
	char *path = testdata_path(fixture_case, name);
	size_t len;
	unsigned char *buf = testdata_read(path, &len);
	char *s = realloc(buf, len + 1);

	ck_assert_ptr_nonnull(s);
	s[len] = '\0';
	free(path);
	return s;
}

START_TEST(test_inspect_roa_json_gives_the_expected_vrps)
{
	char *csv = expected_file("good", "expected/vrps.csv");
	char **roas, *out, *prefix, line[128];
	const char *p;
	size_t n, i, count;
	unsigned long asid, maxlen;

	roas = testdata_find_all("good", ".roa", NULL, &n);
	ck_assert_uint_gt(n, 0);
	for (i = 0; i < n; i++) {
		out = inspect_good_json(roas[i]);
		ck_assert(strstr(out, "\"type\": \"roa\"") != NULL);
		ck_assert(json_num(out, "asid", &asid, NULL));
		count = 0;
		for (p = out; (prefix = json_str(p, "prefix", &p)) != NULL;
		     count++) {
			ck_assert(json_num(p, "max_length", &maxlen, &p));
			snprintf(line, sizeof(line), "\nAS%lu,%s,%lu,", asid,
				 prefix, maxlen);
			ck_assert_msg(strstr(csv, line) != NULL,
				      "%s: %s not in vrps.csv", roas[i],
				      line + 1);
			free(prefix);
		}
		ck_assert_msg(count > 0, "%s: no prefixes", roas[i]);
		/* The EE's fields are there too. */
		ck_assert(strstr(out, "\"signing_time\": \"20") != NULL);
		ck_assert(strstr(out, "\"not_after\": \"20") != NULL);
		free(out);
		free(roas[i]);
	}
	free(roas);
	free(csv);
}
END_TEST

START_TEST(test_inspect_mft_json_lists_each_file_with_its_sha256)
{
	char **mfts, *out, *name, *hash, *dir, *path, hex[65];
	unsigned char digest[SHA256_DIGEST_LENGTH], *data;
	const char *p;
	size_t n, i, j, len, count;

	mfts = testdata_find_all("good", ".mft", NULL, &n);
	ck_assert_uint_gt(n, 0);
	for (i = 0; i < n; i++) {
		out = inspect_good_json(mfts[i]);
		ck_assert(strstr(out, "\"type\": \"manifest\"") != NULL);
		ck_assert(strstr(out, "\"manifest_number\": \"") != NULL);
		ck_assert(strstr(out, "\"this_update\": \"20") != NULL);
		ck_assert(strstr(out, "\"next_update\": \"20") != NULL);
		dir =
		    strndup(mfts[i], (size_t)(strrchr(mfts[i], '/') - mfts[i]));
		count = 0;
		for (p = out; (name = json_str(p, "name", &p)) != NULL;
		     count++) {
			ck_assert_ptr_nonnull(hash = json_str(p, "hash", &p));
			ck_assert_int_ge(asprintf(&path, "%s/%s", dir, name),
					 0);
			data = testdata_read(path, &len);
			SHA256(data, len, digest);
			for (j = 0; j < sizeof(digest); j++)
				snprintf(hex + 2 * j, 3, "%02x", digest[j]);
			ck_assert_str_eq(hash, hex);
			free(data);
			free(path);
			free(hash);
			free(name);
		}
		ck_assert_msg(count >= 1, "%s lists no files", mfts[i]);
		free(dir);
		free(out);
		free(mfts[i]);
	}
	free(mfts);
}
END_TEST

START_TEST(test_inspect_cert_json_has_ski_validity_and_resources)
{
	char **cers, *out, *ski;
	size_t n, i;

	cers = testdata_find_all("good", ".cer", NULL, &n);
	ck_assert_uint_gt(n, 0);
	for (i = 0; i < n; i++) {
		out = inspect_good_json(cers[i]);
		ck_assert(strstr(out, "\"type\": \"certificate\"") != NULL);
		ck_assert_ptr_nonnull(ski = json_str(out, "ski", NULL));
		ck_assert_msg(is_hex(ski, 40), "ski %s", ski);
		ck_assert(strstr(out, "\"not_before\": \"20") != NULL);
		ck_assert(strstr(out, "\"not_after\": \"20") != NULL);
		ck_assert(strstr(out, "\"resources\": {") != NULL);
		if (strstr(cers[i], "/router-") != NULL) {
			ck_assert(strstr(out, "\"kind\": \"router\"") != NULL);
			ck_assert(strstr(out, "\"router_key\": \"") != NULL);
		} else {
			ck_assert(strstr(out, "\"kind\": \"ca\"") != NULL);
			ck_assert(strstr(out, "\"manifest\": \"rsync://") !=
				  NULL);
		}
		/* A CA's SKI names its CRL and manifest in the fixtures. */
		if (strstr(cers[i], "/ta/") == NULL &&
		    strstr(cers[i], "/router-") == NULL)
			ck_assert(strstr(out, ski) != NULL);
		free(ski);
		free(out);
		free(cers[i]);
	}
	free(cers);
}
END_TEST

START_TEST(test_inspect_crl_json_has_aki_and_updates)
{
	char **crls, *out, *aki;
	size_t n, i;

	crls = testdata_find_all("good", ".crl", NULL, &n);
	ck_assert_uint_gt(n, 0);
	for (i = 0; i < n; i++) {
		out = inspect_good_json(crls[i]);
		ck_assert(strstr(out, "\"type\": \"crl\"") != NULL);
		ck_assert_ptr_nonnull(aki = json_str(out, "aki", NULL));
		ck_assert_msg(is_hex(aki, 40), "aki %s", aki);
		/* The fixtures name a CRL after its issuer's SKI. */
		ck_assert_msg(strstr(crls[i], aki) != NULL, "%s aki %s",
			      crls[i], aki);
		ck_assert(strstr(out, "\"this_update\": \"20") != NULL);
		ck_assert(strstr(out, "\"next_update\": \"20") != NULL);
		ck_assert(strstr(out, "\"revoked\": [") != NULL);
		free(aki);
		free(out);
		free(crls[i]);
	}
	free(crls);
}
END_TEST

START_TEST(test_inspect_aspa_json_gives_the_expected_providers)
{
	char *csv = expected_file("good", "expected/aspas.csv");
	char **asas, *out, line[512];
	const char *p;
	size_t n, i, len;
	unsigned long customer, asn;

	asas = testdata_find_all("good", ".asa", NULL, &n);
	ck_assert_uint_gt(n, 0);
	for (i = 0; i < n; i++) {
		out = inspect_good_json(asas[i]);
		ck_assert(strstr(out, "\"type\": \"aspa\"") != NULL);
		ck_assert(json_num(out, "customer", &customer, NULL));
		len =
		    (size_t)snprintf(line, sizeof(line), "\nAS%lu,", customer);
		ck_assert_ptr_nonnull(p = strstr(out, "\"providers\": ["));
		p += strlen("\"providers\": [");
		while (*p != ']') {
			asn = strtoul(p, (char **)&p, 10);
			len += (size_t)snprintf(line + len, sizeof(line) - len,
						"%sAS%lu",
						line[len - 1] == ',' ? "" : " ",
						asn);
			if (*p == ',')
				p += 2;
		}
		snprintf(line + len, sizeof(line) - len, ",");
		ck_assert_msg(strstr(csv, line) != NULL,
			      "%s: %s not in "
			      "aspas.csv",
			      asas[i], line + 1);
		free(out);
		free(asas[i]);
	}
	free(asas);
	free(csv);
}
END_TEST

START_TEST(test_inspect_tal_prints_its_uris_and_key)
{
	char *path = testdata_path("good", "tals/ta1.tal");
	struct tal *tal = tal_load(path);
	char *out, *text, *key;
	size_t i;
	bool ok;

	ck_assert_ptr_nonnull(tal);
	out = inspect_good_json(path);
	text = inspect_str(path, INSPECT_TEXT, NULL, &ok);
	ck_assert(ok);
	ck_assert(strstr(out, "\"type\": \"tal\"") != NULL);
	for (i = 0; i < tal->num_uris; i++) {
		ck_assert(strstr(out, tal->uris[i]) != NULL);
		ck_assert(strstr(text, tal->uris[i]) != NULL);
	}
	ck_assert_ptr_nonnull(key = json_str(out, "key", NULL));
	/* The base64 of the TAL file, without its line breaks. */
	ck_assert_str_eq(
	    key,
	    "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA53+mEXDjBXQQEAGzOvsq"
	    "pRGHexA9/8wXqRvSboCzsaCzRDGJr010AhTj+8WN2raIxIGp4xMFwJ3j9qVI/YWb"
	    "Umv3mLUuGCkFxoj/ytn9Nj5EIn3RhX0PPr2gINxqEnBcBhKmBQRHG/Msy1ByC1NX"
	    "7SGTUdypG6NbYktVis36S/KSbTIFqY2Odar13abkhEau49WJ0dAcVbJkOtSZZxqc"
	    "4l5zST0dDMIZalp4uLI/unSA6ZADhRA6i+0euwpTs8JjN8aFkL17GFFiJCtxfRZK"
	    "YK743oAs0bBq4YfV4cpzP/GMY2enHaljVayYk8VQ5fH5Ar4+AfgFDu/uTZ8GaCuO"
	    "ywIDAQAB");
	ck_assert(strstr(text, "key:") != NULL);
	free(key);
	free(text);
	free(out);
	tal_free(tal);
	free(path);
}
END_TEST

/* A line of out is "label:", spaces, then a value starting with want. */
static void
assert_text_field(const char *out, const char *label, const char *want)
{
	char *pat, *all;
	const char *p;

	ck_assert_int_ge(asprintf(&pat, "\n%s:", label), 0);
	ck_assert_int_ge(asprintf(&all, "\n%s", out), 0);
	p = strstr(all, pat);
	ck_assert_msg(p != NULL, "no %s in %s", pat + 1, out);
	p += strlen(pat);
	ck_assert_msg(*p == ' ', "no space after %s", pat + 1);
	p += strspn(p, " ");
	ck_assert_msg(*p != '\n', "%s is empty", pat + 1);
	if (want != NULL)
		ck_assert_msg(strncmp(p, want, strlen(want)) == 0,
			      "%s is not %s", pat + 1, want);
	free(all);
	free(pat);
}

START_TEST(test_inspect_text_labels_each_field)
{
	char *path = testdata_find("good", ".roa", NULL);
	char *out;
	bool ok;

	out = inspect_str(path, INSPECT_TEXT, NULL, &ok);
	ck_assert(ok);
	assert_text_field(out, "file", path);
	assert_text_field(out, "type", "roa");
	assert_text_field(out, "asid", NULL);
	assert_text_field(out, "prefixes", NULL);
	assert_text_field(out, "ski", NULL);
	assert_text_field(out, "sia signed object", "rsync://");
	ck_assert(strstr(out, "error") == NULL);
	free(out);
	free(path);
}
END_TEST

/* Writes len bytes of data to tmpdir/name; returns the path. */
static char *
write_tmp(const char *name, const unsigned char *data, size_t len)
{
	char *path;
	FILE *fp;

	ck_assert_int_ge(asprintf(&path, "%s/%s", tmpdir, name), 0);
	ck_assert_ptr_nonnull(fp = fopen(path, "wb"));
	ck_assert_uint_eq(fwrite(data, 1, len, fp), len);
	ck_assert_int_eq(fclose(fp), 0);
	return path;
}

/* path gives errors in both formats and neither crash nor leak. */
static void
assert_errors(const char *path, const char *want)
{
	char *out;
	bool ok;

	out = inspect_str(path, INSPECT_JSON, NULL, &ok);
	ck_assert_msg(!ok, "%s decoded", path);
	ck_assert_msg(strstr(out, "\"errors\": [\"") != NULL, "%s", out);
	ck_assert_msg(strcmp(out + strlen(out) - 2, "}\n") == 0, "%s", out);
	if (want != NULL)
		ck_assert_msg(strstr(out, want) != NULL, "%s lacks %s", out,
			      want);
	free(out);
	out = inspect_str(path, INSPECT_TEXT, NULL, &ok);
	ck_assert(!ok);
	ck_assert_msg(strstr(out, "\nerror:") != NULL, "%s", out);
	free(out);
}

START_TEST(test_inspect_garbage_of_every_type_gives_errors)
{
	static const char *const exts[] = {"cer", "crl", "mft",
					   "roa", "asa", "tal"};
	unsigned char junk[1000];
	char name[32], *path;
	size_t i;

	srand(1);
	for (i = 0; i < sizeof(junk); i++)
		junk[i] = (unsigned char)rand();
	for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		snprintf(name, sizeof(name), "junk.%s", exts[i]);
		path = write_tmp(name, junk, sizeof(junk));
		assert_errors(path, NULL);
		free(path);
		snprintf(name, sizeof(name), "empty.%s", exts[i]);
		path = write_tmp(name, junk, 0);
		assert_errors(path, NULL);
		free(path);
	}
}
END_TEST

START_TEST(test_inspect_truncated_objects_give_errors)
{
	static const char *const exts[] = {".cer", ".crl", ".mft", ".roa",
					   ".asa"};
	char *good, *path, name[32];
	unsigned char *der;
	size_t len, i;

	for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		good = testdata_find("good", exts[i], NULL);
		der = testdata_read(good, &len);
		snprintf(name, sizeof(name), "truncated%s", exts[i]);
		path = write_tmp(name, der, len / 2);
		assert_errors(path, NULL);
		free(path);
		free(der);
		free(good);
	}
}
END_TEST

START_TEST(test_inspect_unknown_type_and_missing_file_give_errors)
{
	char *path = write_tmp("notes.txt", (const unsigned char *)"hi", 2);

	assert_errors(path, "unknown object type");
	free(path);
	ck_assert_int_ge(asprintf(&path, "%s/absent.roa", tmpdir), 0);
	assert_errors(path, "No such file");
	free(path);
}
END_TEST

START_TEST(test_inspect_bad_signature_still_prints_the_ee)
{
	char *path = testdata_find("roa-bad-signature", "/roa7.roa", NULL);
	char *out, *ski;
	bool ok;

	out = inspect_str(path, INSPECT_JSON, NULL, &ok);
	ck_assert(!ok);
	ck_assert(strstr(out, "signature") != NULL);
	ck_assert_ptr_nonnull(ski = json_str(out, "ski", NULL));
	ck_assert(is_hex(ski, 40));
	free(ski);
	free(out);
	free(path);
}
END_TEST

/* Validation in context. */

static struct inspect_ctx *
context(const char *fixture_case)
{
	char *dir = testdata_path(fixture_case, "tals");
	char *mirror = testdata_path(fixture_case, "rsync");
	char *path;
	struct tal *tals[4];
	struct inspect_ctx *ctx;
	size_t n = 0, i;

	for (i = 1; i <= 2; i++) {
		ck_assert_int_ge(asprintf(&path, "%s/ta%zu.tal", dir, i), 0);
		if (access(path, R_OK) == 0)
			ck_assert_ptr_nonnull(tals[n++] = tal_load(path));
		free(path);
	}
	ck_assert_uint_gt(n, 0);
	ctx = inspect_ctx_run(mirror, tals, n, FIXTURE_NOW, 2);
	ck_assert_ptr_nonnull(ctx);
	for (i = 0; i < n; i++)
		tal_free(tals[i]);
	free(mirror);
	free(dir);
	return ctx;
}

/* The verdict on the first file of fixture_case matching suffix/contains. */
static char *
verdict(const struct inspect_ctx *ctx, const char *fixture_case,
	const char *suffix, const char *contains, bool *valid)
{
	char *path = testdata_find(fixture_case, suffix, contains);
	char *v = inspect_ctx_verdict(ctx, path, valid);

	ck_assert_ptr_nonnull(v);
	fprintf(stderr, "%s: %s\n", path, v);
	free(path);
	return v;
}

START_TEST(test_inspect_context_good_objects_are_valid)
{
	struct inspect_ctx *ctx = context("good");
	static const char *const exts[] = {".roa", ".mft", ".crl", ".cer",
					   ".asa"};
	char **all, *v;
	size_t n, i, j;
	bool valid;

	for (j = 0; j < sizeof(exts) / sizeof(exts[0]); j++) {
		all = testdata_find_all("good", exts[j], NULL, &n);
		for (i = 0; i < n; i++) {
			v = inspect_ctx_verdict(ctx, all[i], &valid);
			ck_assert_msg(valid, "%s: %s", all[i], v);
			ck_assert_str_eq(v, "valid");
			free(v);
			free(all[i]);
		}
		free(all);
	}
	inspect_ctx_free(ctx);
}
END_TEST

START_TEST(test_inspect_context_revoked_roa_names_the_rule)
{
	struct inspect_ctx *ctx = context("roa-revoked");
	char *v;
	bool valid;

	v = verdict(ctx, "roa-revoked", "/roa7.roa", NULL, &valid);
	ck_assert(!valid);
	ck_assert_msg(strstr(v, "roa7.roa: ") != NULL && strstr(v, "revoked"),
		      "%s", v);
	ck_assert(strstr(v, "RFC 6487") != NULL);
	free(v);
	v = verdict(ctx, "roa-revoked", "/roa8.roa", NULL, &valid);
	ck_assert(valid);
	free(v);
	inspect_ctx_free(ctx);
}
END_TEST

START_TEST(test_inspect_context_file_not_on_manifest_is_not_reached)
{
	struct inspect_ctx *ctx = context("file-not-on-manifest");
	char *v;
	bool valid;

	v = verdict(ctx, "file-not-on-manifest", "/ta1-0/roa5.roa", NULL,
		    &valid);
	ck_assert(!valid);
	ck_assert_msg(strncmp(v, "not reached: ", 13) == 0 &&
			  strstr(v, "not listed on the manifest") != NULL &&
			  strstr(v, "RFC 9286") != NULL,
		      "%s", v);
	free(v);
	inspect_ctx_free(ctx);
}
END_TEST

START_TEST(test_inspect_context_failed_pubpoint_names_the_broken_file)
{
	struct inspect_ctx *ctx = context("mft-hash-mismatch");
	char *v;
	bool valid;

	/* The manifest itself: the point failed for a hash. */
	v = verdict(ctx, "mft-hash-mismatch", ".mft", "/ta1-0/", &valid);
	ck_assert(!valid);
	ck_assert_msg(strstr(v, "hash") != NULL, "%s", v);
	free(v);
	/* An object it lists was never looked at. */
	v = verdict(ctx, "mft-hash-mismatch", ".crl", "/ta1-0/", &valid);
	ck_assert(!valid);
	ck_assert_msg(strncmp(v, "not reached: ", 13) == 0 &&
			  strstr(v, "RFC 9286") != NULL,
		      "%s", v);
	free(v);
	inspect_ctx_free(ctx);
}
END_TEST

START_TEST(test_inspect_context_below_rejected_ca_names_the_ca)
{
	struct inspect_ctx *ctx = context("ca-overclaim");
	char *v;
	bool valid;

	/* DD93... is the overclaiming CA; ta1-0 its publication point. */
	v = verdict(ctx, "ca-overclaim", ".roa", "/ta1-0/", &valid);
	ck_assert(!valid);
	ck_assert_msg(strncmp(v, "not reached: ", 13) == 0 &&
			  strstr(v,
				 "DD930839B0623F07EB2805742410AEB2BA75D300"
				 ".cer") != NULL &&
			  strstr(v, "RFC 6487 s.7.2") != NULL,
		      "%s", v);
	free(v);
	v = verdict(ctx, "ca-overclaim", ".crl", "/ta1-0/", &valid);
	ck_assert(!valid);
	ck_assert_msg(strstr(v, "RFC 6487 s.7.2") != NULL, "%s", v);
	free(v);
	inspect_ctx_free(ctx);
}
END_TEST

START_TEST(test_inspect_context_prints_validation_line)
{
	struct inspect_ctx *ctx = context("roa-bad-signature");
	char *path = testdata_find("roa-bad-signature", "/roa7.roa", NULL);
	char *out;
	bool ok;

	out = inspect_str(path, INSPECT_TEXT, ctx, &ok);
	ck_assert(!ok);
	assert_text_field(out, "validation", "rsync://");
	ck_assert_msg(strstr(out, "signature") != NULL, "%s", out);
	free(out);
	out = inspect_str(path, INSPECT_JSON, ctx, &ok);
	ck_assert(strstr(out, "\"validation\": \"rsync://") != NULL);
	free(out);
	free(path);
	inspect_ctx_free(ctx);
}
END_TEST

START_TEST(test_inspect_context_file_outside_mirror_is_said_so)
{
	struct inspect_ctx *ctx = context("roa-revoked");
	char *path = write_tmp("x.roa", (const unsigned char *)"", 0);
	char *v;
	bool valid;

	v = inspect_ctx_verdict(ctx, path, &valid);
	ck_assert(!valid);
	ck_assert_msg(strncmp(v, "not in the mirror", 17) == 0, "%s", v);
	free(v);
	free(path);
	inspect_ctx_free(ctx);
}
END_TEST

static Suite *
inspect_suite(void)
{
	Suite *s = suite_create("inspect");
	TCase *decode = tcase_create("decode");
	TCase *bad = tcase_create("bad");
	TCase *ctx = tcase_create("context");

	tcase_add_test(decode, test_inspect_roa_json_gives_the_expected_vrps);
	tcase_add_test(decode,
		       test_inspect_mft_json_lists_each_file_with_its_sha256);
	tcase_add_test(decode,
		       test_inspect_cert_json_has_ski_validity_and_resources);
	tcase_add_test(decode, test_inspect_crl_json_has_aki_and_updates);
	tcase_add_test(decode,
		       test_inspect_aspa_json_gives_the_expected_providers);
	tcase_add_test(decode, test_inspect_tal_prints_its_uris_and_key);
	tcase_add_test(decode, test_inspect_text_labels_each_field);
	suite_add_tcase(s, decode);
	tcase_add_test(bad, test_inspect_garbage_of_every_type_gives_errors);
	tcase_add_test(bad, test_inspect_truncated_objects_give_errors);
	tcase_add_test(bad,
		       test_inspect_unknown_type_and_missing_file_give_errors);
	tcase_add_test(bad, test_inspect_bad_signature_still_prints_the_ee);
	suite_add_tcase(s, bad);
	tcase_set_timeout(ctx, 60);
	tcase_add_test(ctx, test_inspect_context_good_objects_are_valid);
	tcase_add_test(ctx, test_inspect_context_revoked_roa_names_the_rule);
	tcase_add_test(
	    ctx, test_inspect_context_file_not_on_manifest_is_not_reached);
	tcase_add_test(
	    ctx, test_inspect_context_failed_pubpoint_names_the_broken_file);
	tcase_add_test(ctx,
		       test_inspect_context_below_rejected_ca_names_the_ca);
	tcase_add_test(ctx, test_inspect_context_prints_validation_line);
	tcase_add_test(ctx,
		       test_inspect_context_file_outside_mirror_is_said_so);
	suite_add_tcase(s, ctx);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;
	char *cmd;

	if (mkdtemp(tmpdir) == NULL) {
		perror(tmpdir);
		return 1;
	}
	sr = srunner_create(inspect_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	if (asprintf(&cmd, "rm -rf '%s'", tmpdir) != -1) {
		if (system(cmd) != 0)
			fprintf(stderr, "cannot remove %s\n", tmpdir);
		free(cmd);
	}
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
