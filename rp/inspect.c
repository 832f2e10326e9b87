/*
 * vrpctl inspect. The fields are read from the DER with OpenSSL directly,
 * so that an object its parser rejects still shows what it holds; the
 * parser's verdict (its log lines, captured) is printed beside them as the
 * object's errors. Validation in context runs the real tree walk once and
 * asks, per file, what the walk decided about it and why.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <arpa/inet.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "aspa.h"
#include "cert.h"
#include "crl.h"
#include "inspect.h"
#include "limits.h"
#include "log.h"
#include "mft.h"
#include "resources.h"
#include "roa.h"
#include "tal.h"
#include "validate.h"
#include "vrpset.h"

/* "label:" padded to this width starts every text line. */
#define TEXT_LABEL_WIDTH 20

/* Deepest JSON nesting written: object, list, list item, field object. */
#define MAX_JSON_DEPTH 4

/* RFC 3339 in UTC, "2026-06-01T00:00:00Z", and a NUL. */
#define TIME_STR_LEN 32

/* "ffff:...:ffff-ffff:...:ffff" or "a.b.c.d/nn", and a NUL. */
#define RANGE_STR_LEN (2 * INET6_ADDRSTRLEN + 8)

enum object_type {
	OBJ_UNKNOWN,
	OBJ_CER,
	OBJ_CRL,
	OBJ_MFT,
	OBJ_ROA,
	OBJ_ASPA,
	OBJ_TAL,
};

static const struct {
	const char *ext;
	enum object_type type;
	const char *name; /* the JSON "type" */
} object_types[] = {
    {".cer", OBJ_CER, "certificate"}, {".crl", OBJ_CRL, "crl"},
    {".mft", OBJ_MFT, "manifest"},    {".roa", OBJ_ROA, "roa"},
    {".asa", OBJ_ASPA, "aspa"},	      {".tal", OBJ_TAL, "tal"},
};

/* Text lines or one-line JSON, written field by field. */
struct printer {
	FILE *fp;
	bool json;
	int depth;		    /* JSON: open objects and lists */
	bool first[MAX_JSON_DEPTH]; /* JSON: nothing written yet at depth */
	const char *label;	    /* text: the list being written */
	bool item_first;	    /* text: no item of it written yet */
};

/* The engine's log, sent to memory while an object is decoded. */
struct capture {
	FILE *fp;
	char *buf;
	size_t len;
};

/* What the walk decided about one URI. */
struct decision {
	char *uri;
	bool valid; /* every decision about the URI said valid */
};

struct inspect_ctx {
	char *mirror; /* real path, no trailing '/' */
	pthread_mutex_t lock;
	struct decision *dec; /* sorted by URI once the run is over */
	size_t num_dec, cap_dec;
	bool oom;
	char *log; /* the whole log of the run; lines point into it */
	char **lines;
	size_t num_lines;
};

static enum object_type
object_type(const char *path)
{
	size_t len = strlen(path), i;

	for (i = 0; i < sizeof(object_types) / sizeof(object_types[0]); i++)
		if (len > 4 && strcmp(path + len - 4, object_types[i].ext) == 0)
			return object_types[i].type;
	return OBJ_UNKNOWN;
}

static const char *
object_type_name(enum object_type type)
{
	size_t i;

	for (i = 0; i < sizeof(object_types) / sizeof(object_types[0]); i++)
		if (object_types[i].type == type)
			return object_types[i].name;
	return "unknown";
}

static void
capture_start(struct capture *c)
{
	c->buf = NULL;
	c->len = 0;
	if ((c->fp = open_memstream(&c->buf, &c->len)) != NULL)
		log_setstream(c->fp);
}

/* The captured text, never NULL unless out of memory; caller frees. */
static char *
capture_stop(struct capture *c)
{
	if (c->fp == NULL)
		return strdup("");
	log_setstream(NULL);
	fclose(c->fp);
	return c->buf;
}

/* The whole file, at most MAX_OBJECT_SIZE bytes; NULL, errno set. */
static unsigned char *
read_file(const char *path, size_t *len)
{
	unsigned char *buf;
	FILE *fp;
	size_t n;

	if ((fp = fopen(path, "rb")) == NULL)
		return NULL;
	if ((buf = malloc((size_t)MAX_OBJECT_SIZE + 1)) == NULL) {
		fclose(fp);
		errno = ENOMEM;
		return NULL;
	}
	n = fread(buf, 1, (size_t)MAX_OBJECT_SIZE + 1, fp);
	if (ferror(fp) || n > MAX_OBJECT_SIZE) {
		free(buf);
		fclose(fp);
		errno = n > MAX_OBJECT_SIZE ? EFBIG : EIO;
		return NULL;
	}
	fclose(fp);
	*len = n;
	return buf;
}

/*
 * Writes s as a JSON string (RFC 8259 s.7); a byte outside printable ASCII
 * becomes \u00XX, so that a hostile name cannot break the document.
 */
static void
json_string(FILE *fp, const char *s)
{
	const unsigned char *p;

	putc('"', fp);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(fp, "\\%c", *p);
		else if (*p < 0x20 || *p >= 0x7f)
			fprintf(fp, "\\u%04x", *p);
		else
			putc(*p, fp);
	}
	putc('"', fp);
}

/* Text: a string with control bytes shown as '?', so a terminal is safe. */
static void
text_string(FILE *fp, const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++)
		putc(*p < 0x20 || *p == 0x7f ? '?' : *p, fp);
}

/* "label:" padded to the value column; only the padding for "". */
static void
text_label(FILE *fp, const char *label)
{
	int len = (int)strlen(label);

	if (len == 0)
		fprintf(fp, "%*s", TEXT_LABEL_WIDTH, "");
	else if (len + 2 > TEXT_LABEL_WIDTH)
		fprintf(fp, "%s: ", label);
	else
		fprintf(fp, "%s:%*s", label, TEXT_LABEL_WIDTH - 1 - len, "");
}

/* JSON: the separator before a member or element at the current depth. */
static void
json_sep(struct printer *p)
{
	if (!p->first[p->depth])
		fputs(", ", p->fp);
	p->first[p->depth] = false;
}

static void
json_key(struct printer *p, const char *key)
{
	json_sep(p);
	json_string(p->fp, key);
	fputs(": ", p->fp);
}

/* Opens a nested JSON object or list; inspect nests less than the limit. */
static void
json_open(struct printer *p, char c)
{
	putc(c, p->fp);
	if (p->depth + 1 < MAX_JSON_DEPTH)
		p->first[++p->depth] = true;
}

static void
json_close(struct printer *p, char c)
{
	putc(c, p->fp);
	if (p->depth > 0)
		p->depth--;
}

static void
field_str(struct printer *p, const char *key, const char *label, const char *s)
{
	if (s == NULL)
		return;
	if (p->json) {
		json_key(p, key);
		json_string(p->fp, s);
		return;
	}
	text_label(p->fp, label);
	text_string(p->fp, s);
	putc('\n', p->fp);
}

static void
field_uint(struct printer *p, const char *key, const char *label,
	   unsigned long long v)
{
	if (p->json) {
		json_key(p, key);
		fprintf(p->fp, "%llu", v);
		return;
	}
	text_label(p->fp, label);
	fprintf(p->fp, "%llu\n", v);
}

static void
time_str(time_t t, char buf[TIME_STR_LEN])
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, TIME_STR_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, TIME_STR_LEN, "%lld", (long long)t);
}

static void
field_time(struct printer *p, const char *key, const char *label, time_t t)
{
	char buf[TIME_STR_LEN];

	time_str(t, buf);
	field_str(p, key, label, buf);
}

static void
hex_str(const unsigned char *in, size_t len, bool upper, char *out)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	size_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 0xf];
	}
	out[2 * len] = '\0';
}

/* Upper-case hex, as SKIs appear in the file names of the RPKI. */
static void
field_hex(struct printer *p, const char *key, const char *label,
	  const unsigned char *in, size_t len)
{
	char *buf;

	if (in == NULL || (buf = malloc(2 * len + 1)) == NULL)
		return;
	hex_str(in, len, true, buf);
	field_str(p, key, label, buf);
	free(buf);
}

static void
list_begin(struct printer *p, const char *key, const char *label)
{
	if (p->json) {
		json_key(p, key);
		json_open(p, '[');
		return;
	}
	p->label = label;
	p->item_first = true;
}

/* Text: one item on a line of its own, the first beside the label. */
static void
text_item(struct printer *p, const char *s)
{
	text_label(p->fp, p->item_first ? p->label : "");
	text_string(p->fp, s);
	putc('\n', p->fp);
	p->item_first = false;
}

static void
list_str(struct printer *p, const char *s)
{
	if (p->json) {
		json_sep(p);
		json_string(p->fp, s);
		return;
	}
	text_item(p, s);
}

static void
list_end(struct printer *p)
{
	if (p->json) {
		json_close(p, ']');
		return;
	}
	if (p->item_first) {
		text_label(p->fp, p->label);
		fputs("(none)\n", p->fp);
	}
}

/* JSON only: an object as a list element. */
static void
item_begin(struct printer *p)
{
	json_sep(p);
	json_open(p, '{');
}

/* JSON: one family as a list of strings, or "inherit". */
static void
json_family(struct printer *p, const char *key, bool inherit,
	    const struct ip_range *ip, size_t n, int afi,
	    const struct as_range *as)
{
	char buf[RANGE_STR_LEN];
	size_t i;

	if (inherit) {
		field_str(p, key, key, "inherit");
		return;
	}
	list_begin(p, key, key);
	for (i = 0; i < n; i++) {
		if (as != NULL)
			resources_as_str(buf, sizeof(buf), &as[i]);
		else
			resources_ip_str(buf, sizeof(buf), &ip[i], afi);
		list_str(p, buf);
	}
	list_end(p);
}

/*
 * JSON: {"ipv4": [...], "ipv6": [...], "asn": [...]}, each family "inherit"
 * or absent when so. Text: one range per line, AS numbers first.
 */
static void
print_resources(struct printer *p, const struct resources *r)
{
	char buf[RANGE_STR_LEN];
	size_t i;

	if (p->json) {
		json_key(p, "resources");
		json_open(p, '{');
		if (r->has_as)
			json_family(p, "asn", r->as_inherit, NULL, r->as_len, 0,
				    r->as);
		if (r->has_ip && (r->v4_inherit || r->v4_len > 0))
			json_family(p, "ipv4", r->v4_inherit, r->v4, r->v4_len,
				    4, NULL);
		if (r->has_ip && (r->v6_inherit || r->v6_len > 0))
			json_family(p, "ipv6", r->v6_inherit, r->v6, r->v6_len,
				    6, NULL);
		json_close(p, '}');
		return;
	}
	list_begin(p, "resources", "resources");
	if (r->as_inherit)
		list_str(p, "AS inherit");
	for (i = 0; i < r->as_len; i++) {
		resources_as_str(buf, sizeof(buf), &r->as[i]);
		list_str(p, buf);
	}
	if (r->v4_inherit)
		list_str(p, "IPv4 inherit");
	for (i = 0; i < r->v4_len; i++) {
		resources_ip_str(buf, sizeof(buf), &r->v4[i], 4);
		list_str(p, buf);
	}
	if (r->v6_inherit)
		list_str(p, "IPv6 inherit");
	for (i = 0; i < r->v6_len; i++) {
		resources_ip_str(buf, sizeof(buf), &r->v6[i], 6);
		list_str(p, buf);
	}
	list_end(p);
}

static bool
asn1_time(const ASN1_TIME *t, time_t *out)
{
	struct tm tm;

	if (t == NULL || ASN1_TIME_to_tm(t, &tm) != 1)
		return false;
	*out = timegm(&tm);
	return true;
}

static void
field_asn1_time(struct printer *p, const char *key, const char *label,
		const ASN1_TIME *t)
{
	time_t when;

	if (asn1_time(t, &when))
		field_time(p, key, label, when);
}

/* An INTEGER in upper-case hex, as "openssl x509 -serial" shows it. */
static void
field_asn1_int(struct printer *p, const char *key, const char *label,
	       const ASN1_INTEGER *ai)
{
	BIGNUM *bn;
	char *hex = NULL;

	if (ai == NULL || (bn = ASN1_INTEGER_to_BN(ai, NULL)) == NULL)
		return;
	if ((hex = BN_bn2hex(bn)) != NULL)
		field_str(p, key, label, hex);
	OPENSSL_free(hex);
	BN_free(bn);
}

static void
field_name(struct printer *p, const char *key, const char *label,
	   const X509_NAME *name)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *data, *s;
	long n;

	if (bio == NULL)
		return;
	if (X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253) >= 0 &&
	    (n = BIO_get_mem_data(bio, &data)) >= 0 &&
	    (s = strndup(data, (size_t)n)) != NULL) {
		field_str(p, key, label, s);
		free(s);
	}
	BIO_free(bio);
}

/* The URI of gn as a C string (NULs become '?'), or NULL. */
static char *
gn_uri(const GENERAL_NAME *gn)
{
	const ASN1_IA5STRING *s;
	char *uri;
	int i, n;

	if (gn == NULL || gn->type != GEN_URI)
		return NULL;
	s = gn->d.uniformResourceIdentifier;
	n = ASN1_STRING_length(s);
	if (n < 0 || (uri = malloc((size_t)n + 1)) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		char ch = (char)ASN1_STRING_get0_data(s)[i];

		uri[i] = ch == '\0' ? '?' : ch;
	}
	uri[n] = '\0';
	return uri;
}

/*
 * Keeps in *keep the first rsync URI among those offered, or the first
 * URI when there is no rsync one (RFC 6487 s.4.8: rsync is the one used).
 */
static void
pick_uri(char **keep, const GENERAL_NAME *gn)
{
	char *uri = gn_uri(gn);

	if (uri == NULL)
		return;
	if (*keep == NULL ||
	    (strncmp(*keep, "rsync://", 8) != 0 &&
	     strncmp(uri, "rsync://", 8) == 0)) {
		free(*keep);
		*keep = uri;
		return;
	}
	free(uri);
}

/* The caIssuers URI of x's AIA (RFC 6487 s.4.8.7), or NULL. */
static char *
x509_aia(X509 *x)
{
	AUTHORITY_INFO_ACCESS *aia;
	char *uri = NULL;
	int i;

	aia = X509_get_ext_d2i(x, NID_info_access, NULL, NULL);
	for (i = 0; i < sk_ACCESS_DESCRIPTION_num(aia); i++) {
		ACCESS_DESCRIPTION *ad = sk_ACCESS_DESCRIPTION_value(aia, i);

		if (OBJ_obj2nid(ad->method) == NID_ad_ca_issuers)
			pick_uri(&uri, ad->location);
	}
	AUTHORITY_INFO_ACCESS_free(aia);
	ERR_clear_error();
	return uri;
}

static void
print_crldp(struct printer *p, X509 *x)
{
	STACK_OF(DIST_POINT) * dps;
	char *uri = NULL;
	int i, j;

	dps = X509_get_ext_d2i(x, NID_crl_distribution_points, NULL, NULL);
	for (i = 0; i < sk_DIST_POINT_num(dps); i++) {
		DIST_POINT *dp = sk_DIST_POINT_value(dps, i);

		if (dp->distpoint == NULL || dp->distpoint->type != 0)
			continue;
		for (j = 0;
		     j < sk_GENERAL_NAME_num(dp->distpoint->name.fullname); j++)
			pick_uri(&uri,
				 sk_GENERAL_NAME_value(dp->distpoint->name
							   .fullname,
						       j));
	}
	sk_DIST_POINT_pop_free(dps, DIST_POINT_free);
	ERR_clear_error();
	field_str(p, "crldp", "crldp", uri);
	free(uri);
}

/* JSON: "sia": {"ca_repository", "manifest", "notify", "signed_object"}. */
static void
print_sia(struct printer *p, X509 *x)
{
	static const struct {
		int nid;
		const char *key, *label;
	} methods[] = {
	    {NID_caRepository, "ca_repository", "sia repository"},
	    {NID_rpkiManifest, "manifest", "sia manifest"},
	    {NID_rpkiNotify, "notify", "sia notify"},
	    {NID_signedObject, "signed_object", "sia signed object"},
	};
	char *uris[sizeof(methods) / sizeof(methods[0])] = {NULL};
	AUTHORITY_INFO_ACCESS *sia;
	size_t m;
	bool any = false;
	int i;

	sia = X509_get_ext_d2i(x, NID_sinfo_access, NULL, NULL);
	for (i = 0; i < sk_ACCESS_DESCRIPTION_num(sia); i++) {
		ACCESS_DESCRIPTION *ad = sk_ACCESS_DESCRIPTION_value(sia, i);

		for (m = 0; m < sizeof(methods) / sizeof(methods[0]); m++) {
			if (OBJ_obj2nid(ad->method) == methods[m].nid) {
				pick_uri(&uris[m], ad->location);
				any = true;
			}
		}
	}
	AUTHORITY_INFO_ACCESS_free(sia);
	ERR_clear_error();
	if (any && p->json) {
		json_key(p, "sia");
		json_open(p, '{');
	}
	for (m = 0; m < sizeof(methods) / sizeof(methods[0]); m++) {
		field_str(p, methods[m].key, methods[m].label, uris[m]);
		free(uris[m]);
	}
	if (any && p->json)
		json_close(p, '}');
}

static void
field_base64(struct printer *p, const char *key, const char *label,
	     const unsigned char *in, size_t len)
{
	char *b64;

	if (len > INT_MAX / 2 ||
	    (b64 = malloc(4 * ((len + 2) / 3) + 1)) == NULL)
		return;
	EVP_EncodeBlock((unsigned char *)b64, in, (int)len);
	field_str(p, key, label, b64);
	free(b64);
}

/* id-kp-bgpsec-router in the EKU makes a router certificate (RFC 8209). */
static bool
x509_is_router(X509 *x)
{
	EXTENDED_KEY_USAGE *eku;
	bool router = false;
	int i;

	eku = X509_get_ext_d2i(x, NID_ext_key_usage, NULL, NULL);
	for (i = 0; i < sk_ASN1_OBJECT_num(eku); i++)
		if (OBJ_obj2nid(sk_ASN1_OBJECT_value(eku, i)) ==
		    NID_id_kp_bgpsec_router)
			router = true;
	EXTENDED_KEY_USAGE_free(eku);
	ERR_clear_error();
	return router;
}

/* The parser's kind when it could tell, else what the extensions say. */
static const char *
cert_kind_name(X509 *x, const struct cert *c, bool router)
{
	if (c != NULL)
		return c->kind == CERT_CA    ? "ca"
		    : c->kind == CERT_ROUTER ? "router"
					     : "ee";
	if (X509_check_ca(x) != 0)
		return "ca";
	return router ? "router" : "ee";
}

/*
 * The fields of a resource certificate, or of a signed object's EE. The
 * resources come from c when its profile passed, else are read again
 * (their errors are then the parser's, already captured).
 */
static void
print_x509(struct printer *p, const char *path, X509 *x, const struct cert *c,
	   bool show_kind)
{
	const ASN1_OCTET_STRING *ski = X509_get0_subject_key_id(x);
	const ASN1_OCTET_STRING *aki = X509_get0_authority_key_id(x);
	struct resources res = {0};
	unsigned char *spki = NULL;
	char *aia = x509_aia(x);
	bool router = x509_is_router(x);
	int n;

	if (show_kind)
		field_str(p, "kind", "kind", cert_kind_name(x, c, router));
	field_name(p, "subject", "subject", X509_get_subject_name(x));
	field_name(p, "issuer", "issuer", X509_get_issuer_name(x));
	field_asn1_int(p, "serial", "serial", X509_get0_serialNumber(x));
	if (ski != NULL)
		field_hex(p, "ski", "ski", ASN1_STRING_get0_data(ski),
			  (size_t)ASN1_STRING_length(ski));
	if (aki != NULL)
		field_hex(p, "aki", "aki", ASN1_STRING_get0_data(aki),
			  (size_t)ASN1_STRING_length(aki));
	field_asn1_time(p, "not_before", "not before", X509_get0_notBefore(x));
	field_asn1_time(p, "not_after", "not after", X509_get0_notAfter(x));
	field_str(p, "aia", "aia", aia);
	free(aia);
	print_crldp(p, x);
	print_sia(p, x);
	if (c != NULL)
		print_resources(p, &c->res);
	else if (resources_from_x509(&res, path, x))
		print_resources(p, &res);
	resources_clear(&res);
	if (router && (n = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x), &spki)) > 0)
		field_base64(p, "router_key", "router key", spki, (size_t)n);
	OPENSSL_free(spki);
	ERR_clear_error();
}

static void
inspect_cer(struct printer *p, const char *path, const unsigned char *der,
	    size_t len)
{
	const unsigned char *q = der;
	struct cert *c = cert_parse(path, der, len);
	X509 *x = c != NULL ? c->x509 : d2i_X509(NULL, &q, (long)len);

	if (x != NULL)
		print_x509(p, path, x, c, true);
	if (c == NULL)
		X509_free(x);
	cert_free(c);
	ERR_clear_error();
}

static void
print_revoked(struct printer *p, X509_CRL *crl)
{
	STACK_OF(X509_REVOKED) *revoked = X509_CRL_get_REVOKED(crl);
	char line[TIME_STR_LEN + 128], when[TIME_STR_LEN];
	BIGNUM *bn;
	char *hex;
	time_t t;
	int i;

	list_begin(p, "revoked", "revoked");
	for (i = 0; i < sk_X509_REVOKED_num(revoked); i++) {
		const X509_REVOKED *r = sk_X509_REVOKED_value(revoked, i);

		bn =
		    ASN1_INTEGER_to_BN(X509_REVOKED_get0_serialNumber(r), NULL);
		hex = bn != NULL ? BN_bn2hex(bn) : NULL;
		BN_free(bn);
		if (hex == NULL)
			continue;
		if (!asn1_time(X509_REVOKED_get0_revocationDate(r), &t))
			t = 0;
		time_str(t, when);
		if (p->json) {
			item_begin(p);
			field_str(p, "serial", "serial", hex);
			field_str(p, "date", "date", when);
			json_close(p, '}');
		} else {
			snprintf(line, sizeof(line), "%.80s at %s", hex, when);
			list_str(p, line);
		}
		OPENSSL_free(hex);
	}
	list_end(p);
}

static void
inspect_crl(struct printer *p, const char *path, const unsigned char *der,
	    size_t len)
{
	const unsigned char *q = der;
	struct crl *crl = crl_parse(path, der, len);
	X509_CRL *x =
	    crl != NULL ? crl->x509_crl : d2i_X509_CRL(NULL, &q, (long)len);
	AUTHORITY_KEYID *akid;
	ASN1_INTEGER *number;

	if (x == NULL)
		goto out;
	field_name(p, "issuer", "issuer", X509_CRL_get_issuer(x));
	akid =
	    X509_CRL_get_ext_d2i(x, NID_authority_key_identifier, NULL, NULL);
	if (akid != NULL && akid->keyid != NULL)
		field_hex(p, "aki", "aki", ASN1_STRING_get0_data(akid->keyid),
			  (size_t)ASN1_STRING_length(akid->keyid));
	AUTHORITY_KEYID_free(akid);
	number = X509_CRL_get_ext_d2i(x, NID_crl_number, NULL, NULL);
	field_asn1_int(p, "crl_number", "crl number", number);
	ASN1_INTEGER_free(number);
	field_asn1_time(p, "this_update", "this update",
			X509_CRL_get0_lastUpdate(x));
	field_asn1_time(p, "next_update", "next update",
			X509_CRL_get0_nextUpdate(x));
	print_revoked(p, x);
out:
	if (crl == NULL)
		X509_CRL_free(x);
	crl_free(crl);
	ERR_clear_error();
}

/*
 * The EE and the eContent of a signed object, read without any check (its
 * parser made them and logged what failed); false if der is not CMS. The
 * caller frees *ee and *content, either of which may be NULL.
 */
static bool
raw_cms(const unsigned char *der, size_t len, X509 **ee,
	unsigned char **content, size_t *content_len)
{
	const unsigned char *q = der;
	CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &q, (long)len);
	STACK_OF(X509) * certs;
	ASN1_OCTET_STRING **oct;

	*ee = NULL;
	if (content != NULL)
		*content = NULL;
	if (cms == NULL) {
		ERR_clear_error();
		return false;
	}
	if ((certs = CMS_get1_certs(cms)) != NULL && sk_X509_num(certs) > 0 &&
	    X509_up_ref(sk_X509_value(certs, 0)))
		*ee = sk_X509_value(certs, 0);
	sk_X509_pop_free(certs, X509_free);
	if (content != NULL && (oct = CMS_get0_content(cms)) != NULL &&
	    *oct != NULL && ASN1_STRING_length(*oct) > 0) {
		*content_len = (size_t)ASN1_STRING_length(*oct);
		if ((*content = malloc(*content_len)) != NULL)
			memcpy(*content, ASN1_STRING_get0_data(*oct),
			       *content_len);
	}
	CMS_ContentInfo_free(cms);
	ERR_clear_error();
	return true;
}

static X509 *
raw_ee(const unsigned char *der, size_t len)
{
	X509 *ee;

	raw_cms(der, len, &ee, NULL, NULL);
	return ee;
}

/*
 * The envelope's fields: the signing time and the EE, whose profile is
 * checked here because no parser does (validate.c does, in context). With
 * a broken envelope (so NULL), the EE read from the DER as it is.
 */
static void
print_envelope(struct printer *p, const char *path,
	       const struct signed_object *so, X509 *raw)
{
	struct cert *c = NULL;

	if (so != NULL) {
		field_time(p, "signing_time", "signing time", so->signing_time);
		c = cert_from_ee(path, so->ee);
		print_x509(p, path, so->ee, c, false);
	} else if (raw != NULL)
		print_x509(p, path, raw, NULL, false);
	cert_free(c);
}

static void
print_roa(struct printer *p, const struct roa *roa)
{
	char addr[INET6_ADDRSTRLEN], line[INET6_ADDRSTRLEN + 32];
	size_t i;

	field_uint(p, "asid", "asid", roa->asid);
	list_begin(p, "prefixes", "prefixes");
	for (i = 0; i < roa->num_prefixes; i++) {
		const struct roa_prefix *rp = &roa->prefixes[i];

		inet_ntop(rp->afi == 4 ? AF_INET : AF_INET6, rp->addr, addr,
			  sizeof(addr));
		snprintf(line, sizeof(line), "%s/%u", addr, rp->prefixlen);
		if (p->json) {
			item_begin(p);
			field_str(p, "prefix", "prefix", line);
			field_uint(p, "max_length", "max length", rp->maxlen);
			json_close(p, '}');
			continue;
		}
		if (rp->maxlen != rp->prefixlen)
			snprintf(line + strlen(line),
				 sizeof(line) - strlen(line), " max %u",
				 rp->maxlen);
		list_str(p, line);
	}
	list_end(p);
}

static void
print_mft(struct printer *p, const struct mft *mft)
{
	char hash[2 * SHA256_DIGEST_LENGTH + 1], *line;
	BIGNUM *bn = BN_bin2bn(mft->number, sizeof(mft->number), NULL);
	char *number = bn != NULL ? BN_bn2hex(bn) : NULL;
	size_t i;

	field_str(p, "manifest_number", "manifest number", number);
	OPENSSL_free(number);
	BN_free(bn);
	field_time(p, "this_update", "this update", mft->this_update);
	field_time(p, "next_update", "next update", mft->next_update);
	list_begin(p, "files", "files");
	for (i = 0; i < mft->num_files; i++) {
		/* Lower case, as sha256sum(1) prints it. */
		hex_str(mft->files[i].hash, SHA256_DIGEST_LENGTH, false, hash);
		if (p->json) {
			item_begin(p);
			field_str(p, "name", "name", mft->files[i].name);
			field_str(p, "hash", "hash", hash);
			json_close(p, '}');
		} else if (asprintf(&line, "%s %s", hash, mft->files[i].name) !=
			   -1) {
			list_str(p, line);
			free(line);
		}
	}
	list_end(p);
}

static void
print_aspa(struct printer *p, const struct aspa *aspa)
{
	char buf[16];
	size_t i;

	field_uint(p, "customer", "customer", aspa->customer);
	if (p->json) {
		json_key(p, "providers");
		json_open(p, '[');
		for (i = 0; i < aspa->num_providers; i++) {
			json_sep(p);
			fprintf(p->fp, "%u", aspa->providers[i]);
		}
		json_close(p, ']');
		return;
	}
	list_begin(p, "providers", "providers");
	for (i = 0; i < aspa->num_providers; i++) {
		snprintf(buf, sizeof(buf), "AS%u", aspa->providers[i]);
		list_str(p, buf);
	}
	list_end(p);
}

/*
 * A signed object whose envelope fails (a bad signature, say) still has an
 * eContent worth showing: it is decoded alone, the envelope's errors being
 * captured already. Returns the EE as it is in the DER; caller frees.
 */
static X509 *
decode_raw(const char *path, const unsigned char *der, size_t len,
	   struct roa **roa, struct mft **mft, struct aspa **aspa)
{
	unsigned char *content;
	size_t clen;
	X509 *ee;

	if (!raw_cms(der, len, &ee, &content, &clen) || content == NULL)
		return ee;
	if (roa != NULL && (*roa = calloc(1, sizeof(**roa))) != NULL &&
	    !roa_decode(*roa, path, content, clen)) {
		roa_free(*roa);
		*roa = NULL;
	}
	if (mft != NULL && (*mft = calloc(1, sizeof(**mft))) != NULL &&
	    !mft_decode(*mft, path, content, clen)) {
		mft_free(*mft);
		*mft = NULL;
	}
	if (aspa != NULL && (*aspa = calloc(1, sizeof(**aspa))) != NULL &&
	    !aspa_decode(*aspa, path, content, clen)) {
		aspa_free(*aspa);
		*aspa = NULL;
	}
	free(content);
	return ee;
}

static void
inspect_signed(struct printer *p, enum object_type type, const char *path,
	       const unsigned char *der, size_t len)
{
	struct roa *roa = NULL;
	struct mft *mft = NULL;
	struct aspa *aspa = NULL;
	const struct signed_object *so = NULL;
	X509 *raw = NULL;

	if (type == OBJ_ROA && (roa = roa_parse(path, der, len)) != NULL)
		so = roa->so;
	else if (type == OBJ_MFT && (mft = mft_parse(path, der, len)) != NULL)
		so = mft->so;
	else if (type == OBJ_ASPA &&
		 (aspa = aspa_parse(path, der, len)) != NULL)
		so = aspa->so;
	else
		raw = decode_raw(path, der, len, type == OBJ_ROA ? &roa : NULL,
				 type == OBJ_MFT ? &mft : NULL,
				 type == OBJ_ASPA ? &aspa : NULL);
	if (roa != NULL)
		print_roa(p, roa);
	if (mft != NULL)
		print_mft(p, mft);
	if (aspa != NULL)
		print_aspa(p, aspa);
	print_envelope(p, path, so, raw);
	X509_free(raw);
	roa_free(roa);
	mft_free(mft);
	aspa_free(aspa);
}

/* The SHA-1 of the key's bits: the SKI its TA certificate must carry. */
static void
print_tal_key(struct printer *p, const struct tal *tal)
{
	const unsigned char *q = tal->spki;
	X509_PUBKEY *pub = d2i_X509_PUBKEY(NULL, &q, (long)tal->spki_len);
	const unsigned char *bits;
	unsigned char ski[SHA_DIGEST_LENGTH];
	int n;

	if (pub != NULL && X509_PUBKEY_get0_param(NULL, &bits, &n, NULL, pub) &&
	    n >= 0) {
		SHA1(bits, (size_t)n, ski);
		field_hex(p, "ski", "ski", ski, sizeof(ski));
	}
	X509_PUBKEY_free(pub);
	ERR_clear_error();
	field_base64(p, "key", "key", tal->spki, tal->spki_len);
}

static void
inspect_tal(struct printer *p, const char *path)
{
	struct tal *tal = tal_load(path);
	size_t i;

	if (tal == NULL)
		return;
	field_str(p, "name", "name", tal->name);
	list_begin(p, "uris", "uris");
	for (i = 0; i < tal->num_uris; i++)
		list_str(p, tal->uris[i]);
	list_end(p);
	print_tal_key(p, tal);
	tal_free(tal);
}

/* line without the "path: " every parser puts first. */
static const char *
strip_path(const char *line, const char *path)
{
	size_t len = strlen(path);

	if (strncmp(line, path, len) == 0 && strncmp(line + len, ": ", 2) == 0)
		return line + len + 2;
	return line;
}

/*
 * Prints the captured log lines (log is cut into lines in place) as the
 * object's errors, each once: several checks may read one broken field.
 * Returns how many there were.
 */
static size_t
print_errors(struct printer *p, const char *path, char *log)
{
	const char **lines = NULL, **grown;
	char *line, *next;
	size_t n = 0, i;

	for (line = log; line != NULL && *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		for (i = 0; i < n; i++)
			if (strcmp(lines[i], strip_path(line, path)) == 0)
				break;
		if (i < n)
			continue;
		if ((grown = reallocarray(lines, n + 1, sizeof(*lines))) ==
		    NULL)
			break;
		lines = grown;
		lines[n++] = strip_path(line, path);
	}
	list_begin(p, "errors", "error");
	for (i = 0; i < n; i++)
		list_str(p, lines[i]);
	if (p->json)
		list_end(p);
	free(lines);
	return n;
}

bool
inspect_file(FILE *fp, const char *path, enum inspect_format fmt,
	     const struct inspect_ctx *ctx)
{
	struct printer p = {.fp = fp, .json = fmt == INSPECT_JSON};
	enum object_type type = object_type(path);
	unsigned char *der = NULL;
	struct capture cap;
	size_t len = 0, nerr;
	char *log, *verdict = NULL;
	bool valid = true;

	if (p.json) {
		putc('{', fp);
		p.first[0] = true;
	}
	field_str(&p, "file", "file", path);
	field_str(&p, "type", "type", object_type_name(type));
	capture_start(&cap);
	if (type == OBJ_UNKNOWN)
		log_warnx("%s: unknown object type: the name does not end in "
			  ".cer, .crl, .mft, .roa, .asa or .tal",
			  path);
	else if (type == OBJ_TAL)
		inspect_tal(&p, path);
	else if ((der = read_file(path, &len)) == NULL)
		log_warn("%s: cannot read", path);
	else if (type == OBJ_CER)
		inspect_cer(&p, path, der, len);
	else if (type == OBJ_CRL)
		inspect_crl(&p, path, der, len);
	else
		inspect_signed(&p, type, path, der, len);
	free(der);
	if (ctx != NULL &&
	    (verdict = inspect_ctx_verdict(ctx, path, &valid)) == NULL) {
		log_warnx("%s: out of memory", path);
		valid = false;
	}
	log = capture_stop(&cap);
	nerr = print_errors(&p, path, log);
	free(log);
	field_str(&p, "validation", "validation", verdict);
	free(verdict);
	fputs(p.json ? "}\n" : "\n", fp);
	return nerr == 0 && valid;
}

/* Validation in context. */

static void
on_object(void *arg, const char *uri, bool valid)
{
	struct inspect_ctx *ctx = arg;
	struct decision *d;
	size_t cap;

	pthread_mutex_lock(&ctx->lock);
	if (ctx->num_dec == ctx->cap_dec) {
		cap = ctx->cap_dec ? ctx->cap_dec * 2 : 1024;
		d = reallocarray(ctx->dec, cap, sizeof(*d));
		if (d == NULL) {
			ctx->oom = true;
			goto out;
		}
		ctx->dec = d;
		ctx->cap_dec = cap;
	}
	d = &ctx->dec[ctx->num_dec];
	if ((d->uri = strdup(uri)) == NULL) {
		ctx->oom = true;
		goto out;
	}
	d->valid = valid;
	ctx->num_dec++;
out:
	pthread_mutex_unlock(&ctx->lock);
}

static int
cmp_decision(const void *a, const void *b)
{
	return strcmp(((const struct decision *)a)->uri,
		      ((const struct decision *)b)->uri);
}

/* Sorts the decisions and folds those about one URI into one. */
static void
fold_decisions(struct inspect_ctx *ctx)
{
	size_t i, n = 0;

	if (ctx->num_dec == 0)
		return;
	qsort(ctx->dec, ctx->num_dec, sizeof(*ctx->dec), cmp_decision);
	for (i = 1; i < ctx->num_dec; i++) {
		if (strcmp(ctx->dec[i].uri, ctx->dec[n].uri) == 0) {
			ctx->dec[n].valid =
			    ctx->dec[n].valid && ctx->dec[i].valid;
			free(ctx->dec[i].uri);
			continue;
		}
		ctx->dec[++n] = ctx->dec[i];
	}
	ctx->num_dec = n + 1;
}

static bool
split_lines(struct inspect_ctx *ctx)
{
	char *line, *next;
	size_t n = 0;

	for (line = ctx->log; *line != '\0'; line = next + 1) {
		if ((next = strchr(line, '\n')) == NULL)
			break;
		n++;
	}
	if ((ctx->lines = calloc(n + 1, sizeof(*ctx->lines))) == NULL)
		return false;
	for (line = ctx->log; ctx->num_lines < n; line = next + 1) {
		next = strchr(line, '\n');
		*next = '\0';
		ctx->lines[ctx->num_lines++] = line;
	}
	return true;
}

struct inspect_ctx *
inspect_ctx_run(const char *mirror, struct tal *const *tals, size_t num_tals,
		time_t now, int jobs)
{
	struct validate_config cfg = {0};
	struct validate_stats stats;
	struct inspect_ctx *ctx;
	struct vrpset *set;
	struct capture cap;
	bool ok;

	if ((ctx = calloc(1, sizeof(*ctx))) == NULL)
		return NULL;
	pthread_mutex_init(&ctx->lock, NULL);
	if ((ctx->mirror = realpath(mirror, NULL)) == NULL) {
		log_warn("%s", mirror);
		inspect_ctx_free(ctx);
		return NULL;
	}
	if ((set = vrpset_new()) == NULL) {
		inspect_ctx_free(ctx);
		return NULL;
	}
	cfg.mirror = ctx->mirror;
	cfg.now = now;
	cfg.jobs = jobs;
	cfg.max_depth = MAX_CERT_DEPTH;
	cfg.on_object = on_object;
	cfg.on_object_arg = ctx;
	capture_start(&cap);
	ok = validate_run(&cfg, tals, num_tals, set, &stats);
	ctx->log = capture_stop(&cap);
	vrpset_free(set);
	if (!ok || ctx->oom || ctx->log == NULL || !split_lines(ctx)) {
		log_warnx("%s: the validation run could not be completed%s",
			  mirror, ok ? ": out of memory" : "");
		inspect_ctx_free(ctx);
		return NULL;
	}
	fold_decisions(ctx);
	return ctx;
}

void
inspect_ctx_free(struct inspect_ctx *ctx)
{
	size_t i;

	if (ctx == NULL)
		return;
	for (i = 0; i < ctx->num_dec; i++)
		free(ctx->dec[i].uri);
	free(ctx->dec);
	free(ctx->lines);
	free(ctx->log);
	free(ctx->mirror);
	pthread_mutex_destroy(&ctx->lock);
	free(ctx);
}

static const struct decision *
find_decision(const struct inspect_ctx *ctx, const char *uri)
{
	struct decision key = {.uri = (char *)uri};

	if (ctx->num_dec == 0)
		return NULL;
	return bsearch(&key, ctx->dec, ctx->num_dec, sizeof(*ctx->dec),
		       cmp_decision);
}

/* uri names a file directly inside dir (which ends in '/'), or dir. */
static bool
in_dir(const char *uri, size_t len, const char *dir)
{
	size_t dlen = strlen(dir);

	return len >= dlen && strncmp(uri, dir, dlen) == 0 &&
	    memchr(uri + dlen, '/', len - dlen) == NULL;
}

/*
 * Whether line names uri, or (when dir is set) anything directly in dir;
 * only the first URI in the line counts when first_only. URIs are the
 * rsync:// and https:// words, without the punctuation after them.
 */
static bool
line_names(const char *line, const char *uri, const char *dir, bool first_only)
{
	const char *s = line, *r, *h;
	size_t len;

	for (;;) {
		r = strstr(s, "rsync://");
		h = strstr(s, "https://");
		if (r == NULL || (h != NULL && h < r))
			r = h;
		if (r == NULL)
			return false;
		len = strcspn(r, " \t");
		while (len > 0 && strchr(":,;).", r[len - 1]) != NULL)
			len--;
		if (uri != NULL && strlen(uri) == len &&
		    strncmp(r, uri, len) == 0)
			return true;
		if (dir != NULL && in_dir(r, len, dir))
			return true;
		if (first_only)
			return false;
		s = r + len;
	}
}

/* The first log line naming uri or dir, first as its subject; or NULL. */
static const char *
first_line(const struct inspect_ctx *ctx, const char *uri, const char *dir)
{
	size_t i;
	int pass;

	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < ctx->num_lines; i++)
			if (line_names(ctx->lines[i], uri, dir, pass == 0))
				return ctx->lines[i];
	return NULL;
}

/* The first log line that is about uri: names it first; or NULL. */
static const char *
first_line_subject(const struct inspect_ctx *ctx, const char *uri)
{
	size_t i;

	for (i = 0; i < ctx->num_lines; i++)
		if (line_names(ctx->lines[i], uri, NULL, true))
			return ctx->lines[i];
	return NULL;
}

/* The directory of uri, with its '/'; caller frees. */
static char *
dir_of(const char *uri)
{
	size_t i, len = 0;

	/* Indices, not strrchr: GCC 12 -O2 mistakes the pointer for dangling.
	 */
	for (i = 0; uri[i] != '\0'; i++)
		if (uri[i] == '/')
			len = i + 1;
	return strndup(uri, len);
}

/*
 * A manifest the walk decided on in dir, other than skip; a valid one if
 * there is one.
 */
static const struct decision *
dir_manifest(const struct inspect_ctx *ctx, const char *dir, const char *skip)
{
	const struct decision *found = NULL;
	size_t lo = 0, hi = ctx->num_dec, dlen = strlen(dir), len;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(ctx->dec[mid].uri, dir) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < ctx->num_dec && strncmp(ctx->dec[lo].uri, dir, dlen) == 0;
	     lo++) {
		const struct decision *d = &ctx->dec[lo];

		len = strlen(d->uri);
		if (!in_dir(d->uri, len, dir) || len < 4 ||
		    strcmp(d->uri + len - 4, ".mft") != 0 ||
		    strcmp(d->uri, skip) == 0)
			continue;
		if (found == NULL || (d->valid && !found->valid))
			found = d;
	}
	return found;
}

/*
 * The issuer of the object at path, by its AIA: the caIssuers of a
 * certificate or of a signed object's EE; for a CRL, which has none, that
 * of a manifest beside it. NULL if unknown.
 */
static char *
issuer_of(const char *path)
{
	enum object_type type = object_type(path);
	unsigned char *der;
	const unsigned char *q;
	char *dir, *mpath, *aia = NULL;
	struct dirent *de;
	size_t len;
	DIR *d;
	X509 *x;

	if (type == OBJ_CRL) {
		if ((dir = dir_of(path)) == NULL ||
		    (d = opendir(dir)) == NULL) {
			free(dir);
			return NULL;
		}
		while (aia == NULL && (de = readdir(d)) != NULL) {
			if (object_type(de->d_name) != OBJ_MFT ||
			    asprintf(&mpath, "%s%s", dir, de->d_name) == -1)
				continue;
			aia = issuer_of(mpath);
			free(mpath);
		}
		closedir(d);
		free(dir);
		return aia;
	}
	if ((der = read_file(path, &len)) == NULL)
		return NULL;
	q = der;
	x = type == OBJ_CER ? d2i_X509(NULL, &q, (long)len) : raw_ee(der, len);
	if (x != NULL)
		aia = x509_aia(x);
	X509_free(x);
	free(der);
	ERR_clear_error();
	return aia;
}

/* "rsync://" and path's place in the mirror; NULL if it is outside. */
static char *
mirror_uri(const struct inspect_ctx *ctx, const char *path)
{
	char *real = realpath(path, NULL), *uri = NULL;
	size_t mlen = strlen(ctx->mirror);

	if (real != NULL && strncmp(real, ctx->mirror, mlen) == 0 &&
	    real[mlen] == '/' && real[mlen + 1] != '\0' &&
	    asprintf(&uri, "rsync://%s", real + mlen + 1) == -1)
		uri = NULL;
	free(real);
	return uri;
}

static char *
verdict_line(const char *prefix, const char *line)
{
	char *s;

	if (asprintf(&s, "%s%s", prefix, line) == -1)
		return NULL;
	return s;
}

/*
 * Why the walk never decided on uri: walks up its issuers until one was
 * rejected, or one's publication point failed or did not list the child.
 */
static char *
unreached(const struct inspect_ctx *ctx, const char *uri, const char *path)
{
	char *cur = strdup(uri), *cur_path = strdup(path), *dir = NULL;
	char *next, *out = NULL;
	const struct decision *d, *m;
	const char *line;
	int depth;

	/* The walk may have said why it passed the object by (unlisted). */
	if ((line = first_line_subject(ctx, uri)) != NULL)
		out = verdict_line("not reached: ", line);
	for (depth = 0; depth <= MAX_CERT_DEPTH + 1 && out == NULL; depth++) {
		if (cur == NULL || cur_path == NULL)
			break;
		d = depth > 0 ? find_decision(ctx, cur) : NULL;
		if (d != NULL && !d->valid) {
			line = first_line(ctx, cur, NULL);
			if (line == NULL && (dir = dir_of(cur)) != NULL)
				line = first_line(ctx, NULL, dir);
			out = line != NULL ? verdict_line("not reached: ", line)
					   : verdict_line("not reached: "
							  "rejected: ",
							  cur);
			break;
		}
		if (d != NULL) {
			if (asprintf(&out,
				     "not reached: not in the repository of "
				     "its issuer %s",
				     cur) == -1)
				out = NULL;
			break;
		}
		if ((dir = dir_of(cur)) == NULL)
			break;
		if ((m = dir_manifest(ctx, dir, cur)) != NULL) {
			if (m->valid) {
				if (asprintf(&out,
					     "not reached: %s is not listed on "
					     "the manifest %s (RFC 9286 s.6.4)",
					     cur, m->uri) == -1)
					out = NULL;
				break;
			}
			line = first_line(ctx, m->uri, dir);
			out = verdict_line("not reached: ",
					   line != NULL ? line : m->uri);
			break;
		}
		free(dir);
		dir = NULL;
		next = issuer_of(cur_path);
		free(cur);
		free(cur_path);
		cur = next;
		cur_path = NULL;
		if (cur == NULL || strncmp(cur, "rsync://", 8) != 0 ||
		    asprintf(&cur_path, "%s/%s", ctx->mirror, cur + 8) == -1)
			break;
	}
	free(dir);
	free(cur);
	free(cur_path);
	if (out == NULL)
		out = strdup("not reached: no CA of the given TALs leads here");
	return out;
}

/* A TAL is valid when the walk accepted its TA at one of its URIs. */
static char *
tal_verdict(const struct inspect_ctx *ctx, const char *path, bool *valid)
{
	struct tal *tal = tal_load(path);
	const struct decision *d;
	const char *line = NULL;
	size_t i;
	bool seen = false;

	*valid = false;
	if (tal == NULL)
		return strdup("not a usable TAL");
	for (i = 0; i < tal->num_uris && !*valid; i++) {
		if ((d = find_decision(ctx, tal->uris[i])) == NULL)
			continue;
		seen = true;
		*valid = d->valid;
		if (!d->valid && line == NULL)
			line = first_line(ctx, tal->uris[i], NULL);
	}
	tal_free(tal);
	if (*valid)
		return strdup("valid");
	if (!seen)
		return strdup("not reached: not one of the TALs validated "
			      "(--tal)");
	return strdup(line != NULL ? line : "rejected: no TA certificate");
}

char *
inspect_ctx_verdict(const struct inspect_ctx *ctx, const char *path,
		    bool *valid)
{
	const struct decision *d;
	const char *line;
	char *uri, *dir, *out;

	*valid = false;
	if (object_type(path) == OBJ_TAL)
		return tal_verdict(ctx, path, valid);
	if ((uri = mirror_uri(ctx, path)) == NULL)
		return verdict_line("not in the mirror ", ctx->mirror);
	if ((d = find_decision(ctx, uri)) == NULL) {
		out = unreached(ctx, uri, path);
		free(uri);
		return out;
	}
	if (d->valid) {
		free(uri);
		*valid = true;
		return strdup("valid");
	}
	if ((dir = dir_of(uri)) == NULL) {
		free(uri);
		return NULL;
	}
	/*
	 * A failed publication point is summed up under its manifest's URI
	 * after the line naming the file that broke it: for a manifest, the
	 * first line about it or its directory; for others, about it.
	 */
	if (object_type(path) == OBJ_MFT)
		line = first_line(ctx, uri, dir);
	else if ((line = first_line(ctx, uri, NULL)) == NULL)
		line = first_line(ctx, NULL, dir);
	out = line != NULL ? strdup(line)
			   : verdict_line("rejected, no reason logged: ", uri);
	free(dir);
	free(uri);
	return out;
}
