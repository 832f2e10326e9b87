/*
 * Tests for rp/tal.c: each test proves one rule of RFC 8630 s.2.2 (or one of
 * our own bounds), and every rejection test also checks that exactly one
 * log line names the rule.
 *
 * Keys are made once per process, before Check forks the tests, so that the
 * slow RSA generation is paid once.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/x509.h>

#include "rp/limits.h"
#include "rp/log.h"
#include "rp/tal.h"

#define URI_RSYNC "rsync://rpki.example.net/repo/ta.cer"
#define URI_HTTPS "https://rpki.example.net/ta/ta.cer"

static EVP_PKEY *rsa_key;      /* RSA-2048, e = 65537: what RFC 7935 wants */
static unsigned char *rsa_der; /* its SubjectPublicKeyInfo */
static size_t rsa_der_len;
static char *rsa_b64; /* rsa_der in base64, one line */

/* Formats into a fresh string; the tests own and free it. */
static char *__attribute__((format(printf, 1, 2))) str(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	ck_assert_int_ge(vasprintf(&s, fmt, ap), 0);
	va_end(ap);
	return s;
}

static char *
b64(const unsigned char *der, size_t len)
{
	char *out = malloc(4 * ((len + 2) / 3) + 1);

	ck_assert_ptr_nonnull(out);
	EVP_EncodeBlock((unsigned char *)out, der, (int)len);
	return out;
}

static unsigned char *
spki_der(EVP_PKEY *pkey, size_t *len)
{
	unsigned char *der = NULL;
	int n = i2d_PUBKEY(pkey, &der);

	ck_assert_int_gt(n, 0);
	*len = (size_t)n;
	return der;
}

static char *
spki_b64(EVP_PKEY *pkey)
{
	size_t len;
	unsigned char *der = spki_der(pkey, &len);
	char *s = b64(der, len);

	OPENSSL_free(der);
	return s;
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

/* head (lines ending in "\n"), then key wrapped every wrap chars (0: never). */
static char *
tal_text(const char *head, const char *key, size_t wrap)
{
	size_t klen = strlen(key), hlen = strlen(head), i, o = hlen;
	char *s = malloc(hlen + 2 * klen + 2);

	ck_assert_ptr_nonnull(s);
	memcpy(s, head, hlen);
	for (i = 0; i < klen; i++) {
		if (wrap > 0 && i > 0 && i % wrap == 0)
			s[o++] = '\n';
		s[o++] = key[i];
	}
	s[o++] = '\n';
	s[o] = '\0';
	return s;
}

static char *
to_crlf(const char *text)
{
	char *s = malloc(2 * strlen(text) + 1), *o = s;

	ck_assert_ptr_nonnull(s);
	for (; *text != '\0'; text++) {
		if (*text == '\n')
			*o++ = '\r';
		*o++ = *text;
	}
	*o = '\0';
	return s;
}

/* The usual TAL: one rsync URI, an empty line, the RSA key. */
static char *
good_tal(void)
{
	return tal_text(URI_RSYNC "\n\n", rsa_b64, 64);
}

/*
 * Parses len bytes of text as TA "test", with the log captured; the result
 * must be NULL with one log line containing why.
 */
static void
reject_len(const char *name, const char *text, size_t len, const char *why)
{
	char *log = NULL;
	size_t loglen = 0;
	FILE *fp = open_memstream(&log, &loglen);
	struct tal *tal;

	ck_assert_ptr_nonnull(fp);
	log_setstream(fp);
	tal = tal_parse(name, text, len);
	log_setstream(NULL);
	fclose(fp);
	fputs(log, stderr); /* keep the line in the test log for readers */

	ck_assert_ptr_null(tal);
	ck_assert_msg(strstr(log, why) != NULL, "log \"%s\" lacks \"%s\"", log,
		      why);
	ck_assert_msg(strchr(log, '\n') == log + loglen - 1,
		      "want one log line, got \"%s\"", log);
	free(log);
}

static void
reject(const char *text, const char *why)
{
	reject_len("test", text, strlen(text), why);
}

/* Like reject(), then frees text. */
static void
reject_free(char *text, const char *why)
{
	reject(text, why);
	free(text);
}

static struct tal *
accept(const char *text)
{
	struct tal *tal = tal_parse("test", text, strlen(text));

	ck_assert_ptr_nonnull(tal);
	return tal;
}

static void
assert_rsa_key(const struct tal *tal)
{
	ck_assert_uint_eq(tal->spki_len, rsa_der_len);
	ck_assert_mem_eq(tal->spki, rsa_der, rsa_der_len);
	ck_assert_ptr_nonnull(tal->pkey);
	ck_assert_int_eq(EVP_PKEY_eq(tal->pkey, rsa_key), 1);
}

START_TEST(test_tal_accepts_minimal_tal)
{
	char *text = good_tal();
	struct tal *tal = accept(text);

	ck_assert_str_eq(tal->name, "test");
	ck_assert_uint_eq(tal->num_uris, 1);
	ck_assert_str_eq(tal->uris[0], URI_RSYNC);
	assert_rsa_key(tal);
	tal_free(tal);
	free(text);
}
END_TEST

START_TEST(test_tal_accepts_crlf)
{
	char *lf = tal_text("# comment\n" URI_RSYNC "\n" URI_HTTPS "\n\n",
			    rsa_b64, 64);
	char *crlf = to_crlf(lf);
	struct tal *tal = accept(crlf);

	ck_assert_uint_eq(tal->num_uris, 2);
	ck_assert_str_eq(tal->uris[0], URI_RSYNC);
	ck_assert_str_eq(tal->uris[1], URI_HTTPS);
	assert_rsa_key(tal);
	tal_free(tal);
	free(crlf);
	free(lf);
}
END_TEST

START_TEST(test_tal_accepts_key_on_one_line)
{
	char *text = tal_text(URI_RSYNC "\n\n", rsa_b64, 0);
	struct tal *tal = accept(text);

	assert_rsa_key(tal);
	tal_free(tal);
	free(text);
}
END_TEST

START_TEST(test_tal_accepts_key_over_many_short_lines)
{
	char *text = tal_text(URI_RSYNC "\n\n", rsa_b64, 7);
	struct tal *tal = accept(text);

	assert_rsa_key(tal);
	tal_free(tal);
	free(text);
}
END_TEST

START_TEST(test_tal_accepts_missing_final_line_break)
{
	char *text = tal_text(URI_RSYNC "\n\n", rsa_b64, 64);
	struct tal *tal;

	text[strlen(text) - 1] = '\0';
	tal = accept(text);
	assert_rsa_key(tal);
	tal_free(tal);
	free(text);
}
END_TEST

START_TEST(test_tal_accepts_empty_lines_after_key)
{
	char *key = tal_text(URI_RSYNC "\n\n", rsa_b64, 64);
	char *text = str("%s\n\n", key);
	struct tal *tal = accept(text);

	assert_rsa_key(tal);
	tal_free(tal);
	free(text);
	free(key);
}
END_TEST

START_TEST(test_tal_comment_lines_skipped)
{
	char *text =
	    tal_text("# RIR test TA\n#\n#  more words: rsync://x/y.cer\n"
		     "#\n" URI_RSYNC "\n\n",
		     rsa_b64, 64);
	struct tal *tal = accept(text);

	ck_assert_uint_eq(tal->num_uris, 1);
	ck_assert_str_eq(tal->uris[0], URI_RSYNC);
	assert_rsa_key(tal);
	tal_free(tal);
	free(text);
}
END_TEST

START_TEST(test_tal_uris_kept_in_file_order)
{
	char *text = tal_text(URI_HTTPS "\n" URI_RSYNC "\n"
					"rsync://b.example/r/ta.cer\n\n",
			      rsa_b64, 64);
	struct tal *tal = accept(text);

	ck_assert_uint_eq(tal->num_uris, 3);
	ck_assert_str_eq(tal->uris[0], URI_HTTPS);
	ck_assert_str_eq(tal->uris[1], URI_RSYNC);
	ck_assert_str_eq(tal->uris[2], "rsync://b.example/r/ta.cer");
	tal_free(tal);
	free(text);
}
END_TEST

START_TEST(test_tal_accepts_max_uris)
{
	char *head = str("%s", ""), *prev, *text, *last;
	struct tal *tal;
	int i;

	for (i = 0; i < MAX_TAL_URIS; i++) {
		prev = head;
		head = str("%srsync://h%d.example/r/ta.cer\n", prev, i);
		free(prev);
	}
	prev = head;
	head = str("%s\n", prev);
	free(prev);
	text = tal_text(head, rsa_b64, 64);
	tal = accept(text);
	ck_assert_uint_eq(tal->num_uris, MAX_TAL_URIS);
	last = str("rsync://h%d.example/r/ta.cer", MAX_TAL_URIS - 1);
	ck_assert_str_eq(tal->uris[MAX_TAL_URIS - 1], last);
	tal_free(tal);
	free(last);
	free(text);
	free(head);
}
END_TEST

START_TEST(test_tal_rejects_too_many_uris)
{
	char *head = str("%s", ""), *prev, *why;
	int i;

	for (i = 0; i <= MAX_TAL_URIS; i++) {
		prev = head;
		head = str("%srsync://h%d.example/r/ta.cer\n", prev, i);
		free(prev);
	}
	prev = head;
	head = str("%s\n", prev);
	free(prev);
	why = str("more than %d URIs", MAX_TAL_URIS);
	reject_free(tal_text(head, rsa_b64, 64), why);
	free(why);
	free(head);
}
END_TEST

START_TEST(test_tal_rejects_ftp_uri)
{
	reject_free(tal_text(URI_RSYNC "\nftp://rpki.example.net/ta.cer\n\n",
			     rsa_b64, 64),
		    "line 2: URI scheme must be rsync or https (RFC 8630");
}
END_TEST

START_TEST(test_tal_rejects_http_uri)
{
	reject_free(tal_text("http://rpki.example.net/ta.cer\n\n", rsa_b64, 64),
		    "line 1: URI scheme must be rsync or https");
}
END_TEST

START_TEST(test_tal_rejects_uri_without_host)
{
	reject_free(tal_text("rsync:///repo/ta.cer\n\n", rsa_b64, 64),
		    "URI has no host or no path");
}
END_TEST

START_TEST(test_tal_rejects_uri_naming_a_directory)
{
	reject_free(tal_text("rsync://rpki.example.net/repo/\n\n", rsa_b64, 64),
		    "URI must name the TA certificate");
}
END_TEST

START_TEST(test_tal_rejects_uri_with_dotdot_segment)
{
	reject_free(tal_text("rsync://h.example/repo/../../etc/ta.cer\n\n",
			     rsa_b64, 64),
		    "'..' path segment");
}
END_TEST

START_TEST(test_tal_rejects_uri_with_space)
{
	reject_free(tal_text("rsync://rpki.example.net/my repo/ta.cer\n\n",
			     rsa_b64, 64),
		    "URI contains whitespace");
}
END_TEST

START_TEST(test_tal_rejects_overlong_uri)
{
	size_t pathlen = MAX_URI_LENGTH; /* plus scheme and host: too long */
	char *path = malloc(pathlen + 1), *head;

	ck_assert_ptr_nonnull(path);
	memset(path, 'a', pathlen);
	path[pathlen] = '\0';
	head = str("rsync://rpki.example.net/%s.cer\n\n", path);
	reject_free(tal_text(head, rsa_b64, 64), "URI longer than 2048 bytes");
	free(head);
	free(path);
}
END_TEST

START_TEST(test_tal_rejects_missing_blank_line)
{
	reject_free(tal_text(URI_RSYNC "\n", rsa_b64, 64),
		    "line 2: not a URI; the key must follow an empty line");
}
END_TEST

START_TEST(test_tal_rejects_two_blank_lines_before_key)
{
	reject_free(tal_text(URI_RSYNC "\n\n\n", rsa_b64, 64),
		    "line 3: more than one empty line before the key");
}
END_TEST

START_TEST(test_tal_rejects_blank_line_inside_key)
{
	char *key = strdup(rsa_b64);
	char *text;

	ck_assert_ptr_nonnull(key);
	key[100] = '\0'; /* split at a quantum boundary */
	text = str(URI_RSYNC "\n\n%s\n\n%s\n", key, rsa_b64 + 100);
	reject_free(text, "line 5: empty line inside the key");
	free(key);
}
END_TEST

START_TEST(test_tal_rejects_no_uri)
{
	reject_free(tal_text("# only a comment\n\n", rsa_b64, 64),
		    "line 2: empty line before any URI");
}
END_TEST

START_TEST(test_tal_rejects_comment_after_uri)
{
	reject_free(tal_text(URI_RSYNC "\n# late comment\n\n", rsa_b64, 64),
		    "line 2: comment after the first URI");
}
END_TEST

START_TEST(test_tal_rejects_empty_input)
{
	reject("", "no URI");
}
END_TEST

START_TEST(test_tal_rejects_uris_only)
{
	reject(URI_RSYNC "\n" URI_HTTPS "\n", "no empty line and key after");
}
END_TEST

START_TEST(test_tal_rejects_missing_key)
{
	reject(URI_RSYNC "\n\n", "no subjectPublicKeyInfo after the URIs");
}
END_TEST

START_TEST(test_tal_rejects_nul_byte)
{
	char *text = good_tal();

	text[3] = '\0';
	reject_len("test", text, strlen(text + 4) + 4, "contains a NUL byte");
	free(text);
}
END_TEST

START_TEST(test_tal_rejects_oversized_input)
{
	size_t len = MAX_TAL_FILE_SIZE + 1;
	char *text = malloc(len);

	ck_assert_ptr_nonnull(text);
	memset(text, '#', len);
	reject_len("test", text, len, "larger than 65536 bytes");
	free(text);
}
END_TEST

START_TEST(test_tal_rejects_non_base64_character)
{
	char *text = good_tal();

	text[strlen(URI_RSYNC) + 2 + 10] = '*';
	reject_free(text, "key is not base64");
}
END_TEST

START_TEST(test_tal_rejects_pem_armour)
{
	/* EVP_DecodeUpdate would stop quietly at the '-'. */
	char *text = str(URI_RSYNC "\n\n-----BEGIN PUBLIC KEY-----\n%s\n"
				   "-----END PUBLIC KEY-----\n",
			 rsa_b64);

	reject_free(text, "key is not base64");
}
END_TEST

START_TEST(test_tal_rejects_space_in_key)
{
	char *key = str("%.40s %s", rsa_b64, rsa_b64 + 40);

	reject_free(tal_text(URI_RSYNC "\n\n", key, 0), "key is not base64");
	free(key);
}
END_TEST

START_TEST(test_tal_rejects_padding_inside_key)
{
	char *key = strdup(rsa_b64);

	ck_assert_ptr_nonnull(key);
	key[40] = '=';
	reject_free(tal_text(URI_RSYNC "\n\n", key, 64),
		    "key is not valid base64");
	free(key);
}
END_TEST

START_TEST(test_tal_rejects_partial_base64_quantum)
{
	char *key = str("%sQUJD", rsa_b64);

	key[strlen(key) - 1] = '\0';
	reject_free(tal_text(URI_RSYNC "\n\n", key, 64),
		    "key is not valid base64");
	free(key);
}
END_TEST

START_TEST(test_tal_rejects_trailing_garbage_in_key)
{
	unsigned char *der = malloc(rsa_der_len + 3);
	char *key;

	ck_assert_ptr_nonnull(der);
	memcpy(der, rsa_der, rsa_der_len);
	memcpy(der + rsa_der_len, "\x05\x00\x00", 3);
	key = b64(der, rsa_der_len + 3);
	reject_free(tal_text(URI_RSYNC "\n\n", key, 64),
		    "3 bytes after the subjectPublicKeyInfo");
	free(key);
	free(der);
}
END_TEST

START_TEST(test_tal_rejects_truncated_key)
{
	char *key = b64(rsa_der, rsa_der_len - 30);

	reject_free(tal_text(URI_RSYNC "\n\n", key, 64),
		    "key is not a DER subjectPublicKeyInfo");
	free(key);
}
END_TEST

START_TEST(test_tal_rejects_ber_length_in_key)
{
	/* 30 82 01 22 ... -> 30 83 00 01 22 ...: same value, not DER. */
	unsigned char *ber = malloc(rsa_der_len + 1);
	char *key;

	ck_assert_ptr_nonnull(ber);
	ck_assert_uint_eq(rsa_der[0], 0x30);
	ck_assert_uint_eq(rsa_der[1], 0x82);
	ber[0] = 0x30;
	ber[1] = 0x83;
	ber[2] = 0x00;
	memcpy(ber + 3, rsa_der + 2, rsa_der_len - 2);
	key = b64(ber, rsa_der_len + 1);
	reject_free(tal_text(URI_RSYNC "\n\n", key, 64),
		    "subjectPublicKeyInfo is not DER (RFC 8630 s.2.2)");
	free(key);
	free(ber);
}
END_TEST

START_TEST(test_tal_rejects_non_rsa_key)
{
	EVP_PKEY *ec = EVP_EC_gen("P-256");
	char *key;

	ck_assert_ptr_nonnull(ec);
	key = spki_b64(ec);
	reject_free(tal_text(URI_RSYNC "\n\n", key, 64),
		    "key is not an RSA key (RFC 7935 s.3)");
	free(key);
	EVP_PKEY_free(ec);
}
END_TEST

START_TEST(test_tal_rejects_rsa_1024_key)
{
	BIGNUM *n = BN_new();
	EVP_PKEY *pkey;
	char *key;

	ck_assert_ptr_nonnull(n);
	ck_assert(BN_rand(n, 1024, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ODD));
	pkey = rsa_public(n, 65537);
	key = spki_b64(pkey);
	reject_free(tal_text(URI_RSYNC "\n\n", key, 64),
		    "RSA key has 1024 bits, not 2048 (RFC 7935 s.3)");
	free(key);
	EVP_PKEY_free(pkey);
	BN_free(n);
}
END_TEST

START_TEST(test_tal_rejects_rsa_exponent_not_65537)
{
	BIGNUM *n = NULL;
	EVP_PKEY *pkey;
	char *key;

	ck_assert(EVP_PKEY_get_bn_param(rsa_key, OSSL_PKEY_PARAM_RSA_N, &n));
	pkey = rsa_public(n, 3);
	key = spki_b64(pkey);
	reject_free(tal_text(URI_RSYNC "\n\n", key, 64),
		    "RSA exponent is not 65537 (RFC 7935 s.3)");
	free(key);
	EVP_PKEY_free(pkey);
	BN_free(n);
}
END_TEST

START_TEST(test_tal_rejects_bad_ta_name)
{
	char *text = good_tal();

	reject_len("../evil", text, strlen(text), "TA name must be");
	reject_len("", text, strlen(text), "TA name must be");
	free(text);
}
END_TEST

START_TEST(test_tal_free_accepts_null)
{
	tal_free(NULL);
}
END_TEST

/* tal_load: files in a fresh directory, removed again by each test. */

static char *tmpdir;

static void
tmpdir_setup(void)
{
	const char *base = getenv("TMPDIR");

	tmpdir = str("%s/check_tal.XXXXXX", base != NULL ? base : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void
tmpdir_teardown(void)
{
	char *cmd = str("rm -rf '%s'", tmpdir);

	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	free(tmpdir);
	tmpdir = NULL;
}

static char *
write_file(const char *name, const char *text, size_t len)
{
	char *path = str("%s/%s", tmpdir, name);
	FILE *fp = fopen(path, "w");

	ck_assert_ptr_nonnull(fp);
	ck_assert_uint_eq(fwrite(text, 1, len, fp), len);
	ck_assert_int_eq(fclose(fp), 0);
	return path;
}

START_TEST(test_tal_name_from_file_name)
{
	char *text = good_tal();
	char *path = write_file("ripe-ncc.tal", text, strlen(text));
	struct tal *tal = tal_load(path);

	ck_assert_ptr_nonnull(tal);
	ck_assert_str_eq(tal->name, "ripe-ncc");
	ck_assert_str_eq(tal->uris[0], URI_RSYNC);
	assert_rsa_key(tal);
	tal_free(tal);
	free(path);
	free(text);
}
END_TEST

START_TEST(test_tal_name_without_tal_suffix_kept_whole)
{
	char *text = good_tal();
	char *path = write_file("arin.txt", text, strlen(text));
	struct tal *tal = tal_load(path);

	ck_assert_ptr_nonnull(tal);
	ck_assert_str_eq(tal->name, "arin.txt");
	tal_free(tal);
	free(path);
	free(text);
}
END_TEST

START_TEST(test_tal_load_logs_file_path_and_line)
{
	char *text = tal_text("# c\n" URI_RSYNC "\nftp://x.example/ta.cer\n\n",
			      rsa_b64, 64);
	char *path = write_file("ta1.tal", text, strlen(text));
	char *want = str("tal: %s: line 3: URI scheme must be rsync or https "
			 "(RFC 8630 s.2.2)\n",
			 path);
	char *log = NULL;
	size_t loglen = 0;
	FILE *fp = open_memstream(&log, &loglen);

	ck_assert_ptr_nonnull(fp);
	log_setstream(fp);
	ck_assert_ptr_null(tal_load(path));
	log_setstream(NULL);
	fclose(fp);
	ck_assert_str_eq(log, want);
	free(log);
	free(want);
	free(path);
	free(text);
}
END_TEST

START_TEST(test_tal_load_rejects_oversized_file)
{
	size_t len = MAX_TAL_FILE_SIZE + 1;
	char *text = malloc(len);
	char *path;

	ck_assert_ptr_nonnull(text);
	memset(text, '#', len);
	path = write_file("big.tal", text, len);
	ck_assert_ptr_null(tal_load(path));
	free(path);
	free(text);
}
END_TEST

START_TEST(test_tal_load_accepts_file_of_max_size)
{
	char *key = good_tal();
	size_t keylen = strlen(key), len = MAX_TAL_FILE_SIZE, i;
	char *text = malloc(len), *path;
	struct tal *tal;

	/* Comment lines of 63 '#' and a line break fill the space. */
	ck_assert_ptr_nonnull(text);
	memset(text, '#', len - keylen);
	for (i = 63; i < len - keylen; i += 64)
		text[i] = '\n';
	text[len - keylen - 2] = '#'; /* no empty line before the URI */
	text[len - keylen - 1] = '\n';
	memcpy(text + len - keylen, key, keylen);
	path = write_file("full.tal", text, len);
	tal = tal_load(path);
	ck_assert_ptr_nonnull(tal);
	tal_free(tal);
	free(path);
	free(text);
	free(key);
}
END_TEST

START_TEST(test_tal_load_rejects_directory)
{
	char *path = str("%s/dir.tal", tmpdir);

	ck_assert_int_eq(mkdir(path, 0700), 0);
	ck_assert_ptr_null(tal_load(path));
	free(path);
}
END_TEST

START_TEST(test_tal_load_rejects_missing_file)
{
	char *path = str("%s/absent.tal", tmpdir);

	ck_assert_ptr_null(tal_load(path));
	free(path);
}
END_TEST

static Suite *
tal_suite(void)
{
	Suite *s = suite_create("tal");
	TCase *tc = tcase_create("parse");
	TCase *tl = tcase_create("load");

	/* Generous: sanitizers make OpenSSL several times slower. */
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_tal_accepts_minimal_tal);
	tcase_add_test(tc, test_tal_accepts_crlf);
	tcase_add_test(tc, test_tal_accepts_key_on_one_line);
	tcase_add_test(tc, test_tal_accepts_key_over_many_short_lines);
	tcase_add_test(tc, test_tal_accepts_missing_final_line_break);
	tcase_add_test(tc, test_tal_accepts_empty_lines_after_key);
	tcase_add_test(tc, test_tal_comment_lines_skipped);
	tcase_add_test(tc, test_tal_uris_kept_in_file_order);
	tcase_add_test(tc, test_tal_accepts_max_uris);
	tcase_add_test(tc, test_tal_rejects_too_many_uris);
	tcase_add_test(tc, test_tal_rejects_ftp_uri);
	tcase_add_test(tc, test_tal_rejects_http_uri);
	tcase_add_test(tc, test_tal_rejects_uri_without_host);
	tcase_add_test(tc, test_tal_rejects_uri_naming_a_directory);
	tcase_add_test(tc, test_tal_rejects_uri_with_dotdot_segment);
	tcase_add_test(tc, test_tal_rejects_uri_with_space);
	tcase_add_test(tc, test_tal_rejects_overlong_uri);
	tcase_add_test(tc, test_tal_rejects_missing_blank_line);
	tcase_add_test(tc, test_tal_rejects_two_blank_lines_before_key);
	tcase_add_test(tc, test_tal_rejects_blank_line_inside_key);
	tcase_add_test(tc, test_tal_rejects_no_uri);
	tcase_add_test(tc, test_tal_rejects_comment_after_uri);
	tcase_add_test(tc, test_tal_rejects_empty_input);
	tcase_add_test(tc, test_tal_rejects_uris_only);
	tcase_add_test(tc, test_tal_rejects_missing_key);
	tcase_add_test(tc, test_tal_rejects_nul_byte);
	tcase_add_test(tc, test_tal_rejects_oversized_input);
	tcase_add_test(tc, test_tal_rejects_non_base64_character);
	tcase_add_test(tc, test_tal_rejects_pem_armour);
	tcase_add_test(tc, test_tal_rejects_space_in_key);
	tcase_add_test(tc, test_tal_rejects_padding_inside_key);
	tcase_add_test(tc, test_tal_rejects_partial_base64_quantum);
	tcase_add_test(tc, test_tal_rejects_trailing_garbage_in_key);
	tcase_add_test(tc, test_tal_rejects_truncated_key);
	tcase_add_test(tc, test_tal_rejects_ber_length_in_key);
	tcase_add_test(tc, test_tal_rejects_non_rsa_key);
	tcase_add_test(tc, test_tal_rejects_rsa_1024_key);
	tcase_add_test(tc, test_tal_rejects_rsa_exponent_not_65537);
	tcase_add_test(tc, test_tal_rejects_bad_ta_name);
	tcase_add_test(tc, test_tal_free_accepts_null);
	suite_add_tcase(s, tc);

	tcase_set_timeout(tl, 60);
	tcase_add_checked_fixture(tl, tmpdir_setup, tmpdir_teardown);
	tcase_add_test(tl, test_tal_name_from_file_name);
	tcase_add_test(tl, test_tal_name_without_tal_suffix_kept_whole);
	tcase_add_test(tl, test_tal_load_logs_file_path_and_line);
	tcase_add_test(tl, test_tal_load_rejects_oversized_file);
	tcase_add_test(tl, test_tal_load_accepts_file_of_max_size);
	tcase_add_test(tl, test_tal_load_rejects_directory);
	tcase_add_test(tl, test_tal_load_rejects_missing_file);
	suite_add_tcase(s, tl);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed, n;

	/*
	 * Before srunner_run_all, so the forked tests inherit the key. No
	 * ck_assert here: Check only allows it inside a test.
	 */
	if ((rsa_key = EVP_RSA_gen(2048)) == NULL ||
	    (n = i2d_PUBKEY(rsa_key, &rsa_der)) <= 0 ||
	    (rsa_b64 = malloc(4 * (((size_t)n + 2) / 3) + 1)) == NULL) {
		fprintf(stderr, "check_tal: cannot make the test key\n");
		return 1;
	}
	rsa_der_len = (size_t)n;
	EVP_EncodeBlock((unsigned char *)rsa_b64, rsa_der, n);

	sr = srunner_create(tal_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);

	free(rsa_b64);
	OPENSSL_free(rsa_der);
	EVP_PKEY_free(rsa_key);
	return failed == 0 ? 0 : 1;
}
