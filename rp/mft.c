/*
 * Manifests: RFC 9286. The envelope is rp/cms.c's; this file decodes the
 * eContent with OpenSSL's ASN.1 templates and checks the profile of
 * RFC 9286 s.4.2 on top. Whether the manifest is current, and whether the
 * listed files are there with the listed hashes, is validate.c's business.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/asn1.h>
#include <openssl/asn1t.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/safestack.h>
#include <openssl/sha.h>

#include "cms.h"
#include "limits.h"
#include "log.h"
#include "mft.h"

/* RFC 9286 s.4.1: id-ct-rpkiManifest. */
#define MFT_OID "1.2.840.113549.1.9.16.1.26"

/* RFC 9286 s.4.2.1: version 0, the ASN.1 DEFAULT. */
#define MFT_VERSION 0

/*
 * RFC 9286 s.4.2.1: a manifestNumber of at most 20 octets of DER, and
 * non-negative, so the highest bit of the first octet is clear: 159 bits.
 */
#define MFT_NUMBER_LEN	    20
#define MFT_NUMBER_MAX_BITS (MFT_NUMBER_LEN * 8 - 1)

/* RFC 5280 s.4.1.2.5.2, which RFC 9286 s.4.2.1 points to: YYYYMMDDHHMMSSZ. */
#define GENERALIZEDTIME_LEN 15

/* RFC 9286 s.4.2.2: the extension after the one '.' is three letters. */
#define MFT_EXT_LEN 3

/*
 * RFC 9286 s.4.2:
 *
 * FileAndHash ::= SEQUENCE { file IA5String, hash BIT STRING }
 *
 * Manifest ::= SEQUENCE {
 *	version [0] INTEGER DEFAULT 0,
 *	manifestNumber INTEGER (0..MAX),
 *	thisUpdate GeneralizedTime,
 *	nextUpdate GeneralizedTime,
 *	fileHashAlg OBJECT IDENTIFIER,
 *	fileList SEQUENCE SIZE (1..MAX) OF FileAndHash } -- erratum 7118
 *
 * The module is EXPLICIT TAGS. The times are decoded as ASN1_TIME, which
 * also takes a UTCTime, so that a UTCTime is refused with its own log line
 * rather than as undecodable. The templates are static: nothing outside
 * this file needs them, and their names carry no module prefix.
 */
typedef struct {
	ASN1_IA5STRING *file;
	ASN1_BIT_STRING *hash;
} FileAndHash;

DEFINE_STACK_OF(FileAndHash)

typedef struct {
	ASN1_INTEGER *version;
	ASN1_INTEGER *manifestNumber;
	ASN1_TIME *thisUpdate;
	ASN1_TIME *nextUpdate;
	ASN1_OBJECT *fileHashAlg;
	STACK_OF(FileAndHash) * fileList;
} Manifest;

/* The template macros are not C that clang-format can lay out. */
/* clang-format off */
ASN1_SEQUENCE(FileAndHash) = {
	ASN1_SIMPLE(FileAndHash, file, ASN1_IA5STRING),
	ASN1_SIMPLE(FileAndHash, hash, ASN1_BIT_STRING),
} static_ASN1_SEQUENCE_END(FileAndHash)

ASN1_SEQUENCE(Manifest) = {
	ASN1_EXP_OPT(Manifest, version, ASN1_INTEGER, 0),
	ASN1_SIMPLE(Manifest, manifestNumber, ASN1_INTEGER),
	ASN1_SIMPLE(Manifest, thisUpdate, ASN1_TIME),
	ASN1_SIMPLE(Manifest, nextUpdate, ASN1_TIME),
	ASN1_SIMPLE(Manifest, fileHashAlg, ASN1_OBJECT),
	ASN1_SEQUENCE_OF(Manifest, fileList, FileAndHash),
} static_ASN1_SEQUENCE_END(Manifest)

IMPLEMENT_STATIC_ASN1_ENCODE_FUNCTIONS(Manifest)

static void
Manifest_free(Manifest *m)
{
	ASN1_item_free((ASN1_VALUE *)m, ASN1_ITEM_rptr(Manifest));
}
/* clang-format on */

/*
 * X.690 s.10, s.11.5: DER, which RFC 6488 s.2.1.3.2 requires of the
 * eContent. OpenSSL's decoder takes some BER (long-form lengths); encoding
 * what it decoded must give back the input exactly.
 */
static bool
mft_is_der(const Manifest *m, const unsigned char *der, size_t len)
{
	unsigned char *enc = NULL;
	int n = i2d_Manifest(m, &enc);
	bool ok = n > 0 && (size_t)n == len && memcmp(enc, der, len) == 0;

	OPENSSL_free(enc);
	return ok;
}

/*
 * RFC 9286 s.4.2.1, s.4.4 item 2: version 0. DER leaves a DEFAULT value
 * out (X.690 s.11.5), so a version field that is there at all is wrong;
 * an explicit 0 is only worded differently in the log.
 */
static bool
mft_version_valid(const char *uri, const ASN1_INTEGER *version)
{
	int64_t v;

	if (version == NULL)
		return true;
	if (ASN1_INTEGER_get_int64(&v, version) == 1 && v == MFT_VERSION)
		log_warnx("%s: manifest version 0 is encoded, but DER omits a "
			  "DEFAULT value (RFC 9286 s.4.2, X.690 s.11.5)",
			  uri);
	else
		log_warnx("%s: manifest version is not 0 (RFC 9286 s.4.2.1)",
			  uri);
	return false;
}

/* RFC 9286 s.4.2.1: 0..MAX in at most 20 octets, kept big-endian. */
static bool
mft_number_read(const char *uri, const ASN1_INTEGER *num,
		unsigned char out[MFT_NUMBER_LEN])
{
	BIGNUM *bn;
	bool ok;

	if (ASN1_STRING_type(num) == V_ASN1_NEG_INTEGER) {
		log_warnx("%s: manifestNumber is negative (RFC 9286 s.4.2.1)",
			  uri);
		return false;
	}
	if ((bn = ASN1_INTEGER_to_BN(num, NULL)) == NULL) {
		log_warnx("%s: manifestNumber cannot be read (RFC 9286 "
			  "s.4.2.1)",
			  uri);
		return false;
	}
	ok = !BN_is_negative(bn) && BN_num_bits(bn) <= MFT_NUMBER_MAX_BITS &&
	    BN_bn2binpad(bn, out, MFT_NUMBER_LEN) == MFT_NUMBER_LEN;
	BN_free(bn);
	if (!ok)
		log_warnx("%s: manifestNumber is longer than 20 octets "
			  "(RFC 9286 s.4.2.1)",
			  uri);
	return ok;
}

/*
 * RFC 9286 s.4.2.1: thisUpdate and nextUpdate are GeneralizedTime, and
 * the RPKI's times take RFC 5280 s.4.1.2.5.2's one form, YYYYMMDDHHMMSSZ:
 * no fractions, no offsets.
 */
static bool
mft_time(const char *uri, const ASN1_TIME *t, const char *which, time_t *out)
{
	struct tm tm;
	int len = ASN1_STRING_length(t);

	if (ASN1_STRING_type(t) != V_ASN1_GENERALIZEDTIME ||
	    len != GENERALIZEDTIME_LEN ||
	    ASN1_STRING_get0_data(t)[len - 1] != 'Z' ||
	    ASN1_TIME_to_tm(t, &tm) != 1) {
		log_warnx("%s: manifest %s is not a GeneralizedTime of the "
			  "form "
			  "YYYYMMDDHHMMSSZ (RFC 9286 s.4.2.1, RFC 5280 "
			  "s.4.1.2.5.2)",
			  uri, which);
		return false;
	}
	*out = timegm(&tm);
	return true;
}

static bool
name_char_valid(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/*
 * RFC 9286 s.4.2.2: one or more of [a-zA-Z0-9_-], one '.', and a
 * three-letter extension; lower case, as in the IANA "RPKI Repository
 * Name Schemes" registry. No '/' and no "..", so a name cannot leave the
 * publication point's directory; no NUL, so it is a C string.
 */
static bool
mft_name_valid(const unsigned char *s, size_t len)
{
	size_t i, base;

	if (len > MAX_FILENAME_LENGTH || len < 1 + 1 + MFT_EXT_LEN)
		return false;
	base = len - 1 - MFT_EXT_LEN;
	for (i = 0; i < base; i++)
		if (!name_char_valid(s[i]))
			return false;
	if (s[base] != '.')
		return false;
	for (i = base + 1; i < len; i++)
		if (s[i] < 'a' || s[i] > 'z')
			return false;
	return true;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * RFC 9286 s.4.2.2: the list names each file once; a second entry would
 * give one file two hashes. Sorted copies of the pointers keep this
 * O(n log n) for MAX_MANIFEST_ENTRIES names.
 */
static bool
mft_names_unique(const char *uri, const struct mft *mft)
{
	const char **names;
	size_t i;
	bool ok = true;

	if (mft->num_files < 2)
		return true;
	if ((names = calloc(mft->num_files, sizeof(*names))) == NULL) {
		log_warn("%s", uri);
		return false;
	}
	for (i = 0; i < mft->num_files; i++)
		names[i] = mft->files[i].name;
	qsort(names, mft->num_files, sizeof(*names), name_cmp);
	for (i = 1; i < mft->num_files && ok; i++) {
		if (strcmp(names[i - 1], names[i]) == 0) {
			log_warnx("%s: manifest lists %s twice (RFC 9286 "
				  "s.4.2.2)",
				  uri, names[i]);
			ok = false;
		}
	}
	free(names);
	return ok;
}

/* RFC 9286 s.4.2.1: a SHA-256 hash is 32 octets, whole ones. */
static bool
mft_hash_valid(const ASN1_BIT_STRING *hash)
{
	if (ASN1_STRING_length(hash) != SHA256_DIGEST_LENGTH)
		return false;
	return (hash->flags & ASN1_STRING_FLAG_BITS_LEFT) == 0 ||
	    (hash->flags & 0x07) == 0;
}

/* RFC 9286 s.4.2.1, s.4.2.2: fileList, copied into mft in order. */
static bool
mft_files_read(const char *uri, const STACK_OF(FileAndHash) * list,
	       struct mft *mft)
{
	int i, n = sk_FileAndHash_num(list);

	if (n < 0 || (size_t)n > rp_limits.manifest_entries) {
		log_warnx("%s: manifest lists more than %zu files", uri,
			  rp_limits.manifest_entries);
		return false;
	}
	/*
	 * Verified erratum 7118 to RFC 9286: SIZE (1..MAX), since a CA's
	 * manifest always lists at least its CRL (s.7).
	 */
	if (n == 0) {
		log_warnx("%s: manifest fileList is empty (RFC 9286 s.4.2, "
			  "erratum 7118)",
			  uri);
		return false;
	}
	if ((mft->files = calloc((size_t)n, sizeof(*mft->files))) == NULL) {
		log_warn("%s", uri);
		return false;
	}
	for (i = 0; i < n; i++) {
		const FileAndHash *fh = sk_FileAndHash_value(list, i);
		const unsigned char *s = ASN1_STRING_get0_data(fh->file);
		size_t len = (size_t)ASN1_STRING_length(fh->file);
		struct mft_file *f = &mft->files[i];

		/* By index: a hostile name could hold a newline. */
		if (!mft_name_valid(s, len)) {
			log_warnx("%s: manifest entry %d is not a file name of "
				  "the form [a-zA-Z0-9_-]+.xyz of at most %d "
				  "characters (RFC 9286 s.4.2.2)",
				  uri, i, MAX_FILENAME_LENGTH);
			return false;
		}
		if (!mft_hash_valid(fh->hash)) {
			log_warnx("%s: manifest hash of %.*s is not %d whole "
				  "octets (RFC 9286 s.4.2.1)",
				  uri, (int)len, (const char *)s,
				  SHA256_DIGEST_LENGTH);
			return false;
		}
		if ((f->name = strndup((const char *)s, len)) == NULL) {
			log_warn("%s", uri);
			return false;
		}
		mft->num_files++;
		memcpy(f->hash, ASN1_STRING_get0_data(fh->hash),
		       SHA256_DIGEST_LENGTH);
	}
	return mft_names_unique(uri, mft);
}

/* Empties everything mft_decode() fills, leaving mft->so alone. */
static void
mft_clear(struct mft *mft)
{
	size_t i;

	for (i = 0; i < mft->num_files; i++)
		free(mft->files[i].name);
	free(mft->files);
	mft->files = NULL;
	mft->num_files = 0;
	memset(mft->number, 0, sizeof(mft->number));
	mft->this_update = mft->next_update = 0;
}

static bool
mft_fields_valid(const char *uri, const Manifest *m, struct mft *mft)
{
	if (!mft_version_valid(uri, m->version) ||
	    !mft_number_read(uri, m->manifestNumber, mft->number) ||
	    !mft_time(uri, m->thisUpdate, "thisUpdate", &mft->this_update) ||
	    !mft_time(uri, m->nextUpdate, "nextUpdate", &mft->next_update))
		return false;
	/* RFC 9286 s.4.2.1, s.4.4 item 3. */
	if (mft->next_update <= mft->this_update) {
		log_warnx("%s: manifest nextUpdate is not after thisUpdate "
			  "(RFC 9286 s.4.2.1)",
			  uri);
		return false;
	}
	/* RFC 9286 s.4.2.1, RFC 7935 s.2: SHA-256 only. */
	if (OBJ_obj2nid(m->fileHashAlg) != NID_sha256) {
		log_warnx("%s: manifest fileHashAlg is not SHA-256 (RFC 9286 "
			  "s.4.2.1, RFC 7935 s.2)",
			  uri);
		return false;
	}
	return mft_files_read(uri, m->fileList, mft);
}

bool
mft_decode(struct mft *mft, const char *uri, const unsigned char *econtent,
	   size_t len)
{
	const unsigned char *p = econtent;
	Manifest *m;
	bool ok = false;

	mft->files = NULL;
	mft->num_files = 0;
	if (len > rp_limits.object_size) {
		log_warnx("%s: manifest eContent larger than %zu bytes", uri,
			  rp_limits.object_size);
		return false;
	}
	if ((m = d2i_Manifest(NULL, &p, (long)len)) == NULL) {
		log_warnx("%s: eContent is not a Manifest (RFC 9286 s.4.2)",
			  uri);
		goto out;
	}
	if (p != econtent + len) {
		log_warnx("%s: %zu bytes after the Manifest (RFC 9286 s.4.2)",
			  uri, (size_t)(econtent + len - p));
		goto out;
	}
	if (!mft_is_der(m, econtent, len)) {
		log_warnx("%s: Manifest is not DER-encoded (RFC 9286 s.4.2, "
			  "RFC 6488 s.2.1.3.2)",
			  uri);
		goto out;
	}
	ok = mft_fields_valid(uri, m, mft);
out:
	if (!ok)
		mft_clear(mft);
	Manifest_free(m);
	/* The log line says why; stale errors would mislead later. */
	ERR_clear_error();
	return ok;
}

struct mft *
mft_parse(const char *uri, const unsigned char *der, size_t len)
{
	struct mft *mft;

	if ((mft = calloc(1, sizeof(*mft))) == NULL) {
		log_warn("%s", uri);
		return NULL;
	}
	if ((mft->so = cms_parse(uri, der, len, MFT_OID)) == NULL ||
	    !mft_decode(mft, uri, mft->so->content, mft->so->content_len)) {
		mft_free(mft);
		return NULL;
	}
	return mft;
}

int
mft_number_cmp(const struct mft *a, const struct mft *b)
{
	/* Big-endian and left-padded: byte order is numeric order. */
	return memcmp(a->number, b->number, sizeof(a->number));
}

void
mft_free(struct mft *mft)
{
	if (mft == NULL)
		return;
	mft_clear(mft);
	signed_object_free(mft->so);
	free(mft);
}
