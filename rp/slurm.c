/*
 * SLURM files (RFC 8416). A file is small and written by an operator, so it
 * is read whole, checked for JSON syntax with yajl's parser (which knows
 * the line of an error), then walked as a yajl tree. Every rule of RFC 8416
 * s.3 is checked before anything is kept, and members the RFC does not
 * define are refused: a misspelt "maxPrefixLenght" silently ignored would
 * widen an assertion the operator meant to narrow.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <yajl/yajl_parse.h>
#include <yajl/yajl_tree.h>

#include "log.h"
#include "slurm.h"
#include "vrpset.h"

/*
 * Largest SLURM file read. Operators' files hold a few exceptions, a few
 * kB; generated ones (bogon lists, a customer's prefixes) reach hundreds of
 * kB. The file and its yajl tree (about ten times the text) are held whole
 * while it is checked, so 16 MB bounds that at a few hundred MB.
 */
#define MAX_SLURM_FILE_SIZE (16 * 1024 * 1024)

/*
 * Deepest nesting read. The format is four deep (document, filters or
 * assertions, a list, an entry); the rest is room to refuse a misplaced
 * member by name. yajl's tree builder has no bound of its own, and a file
 * of nothing but '[' would cost it memory for every level.
 */
#define MAX_SLURM_DEPTH 16

/* A Router SKI is a SHA-1 hash (RFC 8416 s.3.3.2, RFC 6487 s.4.8.2). */
#define SLURM_SKI_LEN 20

/* A P-256 point, uncompressed (RFC 5480 s.2.2): 0x04, then X and Y. */
#define SLURM_P256_POINT_LEN 65

/*
 * Longest path to an entry: the longest list name (39), and "[%zu]" (22).
 * A member's path adds its name, at most "routerPublicKey" and a dot.
 */
#define SLURM_WHERE 64
#define SLURM_AT    (SLURM_WHERE + 16)

/* Longest piece of a file quoted in a message. */
#define SLURM_SHOW 64

/* The four lists of RFC 8416 s.3.2, as they are named in messages. */
enum slurm_list {
	LIST_PREFIX_FILTERS,
	LIST_BGPSEC_FILTERS,
	LIST_PREFIX_ASSERTIONS,
	LIST_BGPSEC_ASSERTIONS,
};

static const char *const slurm_list_names[] = {
    [LIST_PREFIX_FILTERS] = "validationOutputFilters.prefixFilters",
    [LIST_BGPSEC_FILTERS] = "validationOutputFilters.bgpsecFilters",
    [LIST_PREFIX_ASSERTIONS] = "locallyAddedAssertions.prefixAssertions",
    [LIST_BGPSEC_ASSERTIONS] = "locallyAddedAssertions.bgpsecAssertions",
};

/* Which optional members an entry had. */
#define HAS_PREFIX 0x1
#define HAS_ASN	   0x2
#define HAS_SKI	   0x4

/* A prefix filter or assertion; vrp.ta is unused. */
struct slurm_prefix {
	struct vrp vrp;
	uint8_t list; /* enum slurm_list */
	uint8_t has;
	size_t index; /* in its list, for messages */
};

/* A BGPsec filter or assertion. */
struct slurm_key {
	uint32_t asn;
	unsigned char ski[SLURM_SKI_LEN];
	unsigned char *spki; /* DER SubjectPublicKeyInfo; assertions only */
	size_t spki_len;
	uint8_t list; /* enum slurm_list */
	uint8_t has;
	size_t index;
};

struct slurm {
	char *path;
	struct slurm_prefix *prefixes; /* filters, then assertions */
	size_t num_prefixes;
	struct slurm_key *keys; /* filters, then assertions */
	size_t num_keys;
};

/* Where a loading error goes. */
struct slurm_ctx {
	const char *path;
	char *err;
	size_t errlen;
};

/* Writes "FILE: where: what" into ctx->err; returns false. */
static bool __attribute__((format(printf, 3, 4)))
slurm_fail(struct slurm_ctx *ctx, const char *where, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(ctx->err, ctx->errlen, "%s: %s: ", ctx->path, where);
	if (n < 0 || (size_t)n >= ctx->errlen)
		return false;
	va_start(ap, fmt);
	vsnprintf(ctx->err + n, ctx->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return false;
}

/* s cut to SLURM_SHOW bytes, control characters as '?': safe to log. */
static const char *
slurm_show(char buf[SLURM_SHOW + 4], const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0' && i < SLURM_SHOW; i++)
		buf[i] =
		    (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
	strcpy(buf + i, s[i] != '\0' ? "..." : "");
	return buf;
}

/* Reading ---------------------------------------------------------------- */

/* The whole file, NUL-terminated, at most MAX_SLURM_FILE_SIZE bytes. */
static char *
slurm_read(struct slurm_ctx *ctx, size_t *outlen)
{
	struct stat st;
	char *buf = NULL;
	size_t len = 0, cap;
	ssize_t n;
	int fd;

	/* O_NONBLOCK: a FIFO given as --slurm must not hang a reload. */
	if ((fd = open(ctx->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) == -1 ||
	    fstat(fd, &st) == -1) {
		slurm_fail(ctx, "open", "%s", strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		slurm_fail(ctx, "open", "not a regular file");
		goto fail;
	}
	if (st.st_size > MAX_SLURM_FILE_SIZE)
		goto toobig;
	/* One byte more than fstat said: a file that grew is seen growing. */
	cap = (size_t)st.st_size + 1;
	if ((buf = malloc(cap + 1)) == NULL) {
		slurm_fail(ctx, "read", "out of memory");
		goto fail;
	}
	while (len < cap) {
		if ((n = read(fd, buf + len, cap - len)) == -1) {
			if (errno == EINTR)
				continue;
			slurm_fail(ctx, "read", "%s", strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len == cap) {
		slurm_fail(ctx, "read", "the file changed while it was read");
		goto fail;
	}
	close(fd);
	buf[len] = '\0';
	*outlen = len;
	return buf;
toobig:
	slurm_fail(ctx, "read", "larger than %d bytes", MAX_SLURM_FILE_SIZE);
fail:
	if (fd != -1)
		close(fd);
	free(buf);
	return NULL;
}

/* The line of byte off in buf, for messages. */
static size_t
slurm_line(const char *buf, size_t off)
{
	size_t i, line = 1;

	for (i = 0; i < off; i++)
		line += buf[i] == '\n';
	return line;
}

/*
 * Refuses what yajl's tree would accept or mishandle: NUL (raw, or "\u0000"
 * in a string, which the tree's NUL-terminated strings would cut short, so
 * "192.0.2.0/24\u0000junk" would pass as a prefix), and deep nesting.
 * Brackets inside strings do not count; escapes are skipped whole enough
 * for that ("\\" and "\"" are the only ones that matter).
 */
/* slurm_fail() at "line N". */
static bool
slurm_fail_line(struct slurm_ctx *ctx, size_t line, const char *what)
{
	char where[32];

	snprintf(where, sizeof(where), "line %zu", line);
	return slurm_fail(ctx, where, "%s", what);
}

static bool
slurm_prescan(struct slurm_ctx *ctx, const char *buf, size_t len)
{
	bool instr = false;
	size_t i, depth = 0, line = 1;

	for (i = 0; i < len; i++) {
		if (buf[i] == '\0')
			return slurm_fail_line(ctx, line, "NUL byte");
		line += buf[i] == '\n';
		if (instr) {
			if (buf[i] == '\\' && i + 1 < len) {
				if (strncmp(buf + i + 1, "u0000", 5) == 0)
					return slurm_fail_line(
					    ctx, line, "\\u0000 in a string");
				i++;
			} else if (buf[i] == '"') {
				instr = false;
			}
			continue;
		}
		if (buf[i] == '"') {
			instr = true;
		} else if (buf[i] == '{' || buf[i] == '[') {
			if (++depth > MAX_SLURM_DEPTH)
				return slurm_fail_line(ctx, line,
						       "nested too deep");
		} else if ((buf[i] == '}' || buf[i] == ']') && depth > 0) {
			depth--;
		}
	}
	return true;
}

/*
 * JSON syntax, checked by yajl's parser without callbacks: unlike the tree
 * parser it says where an error is. RFC 8416 s.3.1: a SLURM file is one
 * JSON value (RFC 8259), UTF-8, nothing after it.
 */
static bool
slurm_syntax(struct slurm_ctx *ctx, const char *buf, size_t len)
{
	yajl_handle yh;
	yajl_status st;
	unsigned char *msg;
	char text[256];
	size_t off, end;

	if ((yh = yajl_alloc(NULL, NULL, NULL)) == NULL)
		return slurm_fail(ctx, "parse", "out of memory");
	st = yajl_parse(yh, (const unsigned char *)buf, len);
	off = yajl_get_bytes_consumed(yh);
	if (st == yajl_status_ok) {
		st = yajl_complete_parse(yh);
		off = len;
	}
	if (st == yajl_status_ok) {
		yajl_free(yh);
		return true;
	}
	msg = yajl_get_error(yh, 0, NULL, 0);
	/* yajl ends its message with a newline. */
	end = msg != NULL ? strcspn((char *)msg, "\n") : 0;
	snprintf(text, sizeof(text), "not JSON: %.*s", (int)end,
		 msg != NULL ? (char *)msg : "");
	slurm_fail_line(ctx, slurm_line(buf, off < len ? off : len), text);
	yajl_free_error(yh, msg);
	yajl_free(yh);
	return false;
}

/* Members --------------------------------------------------------------- */

/* One member an object may have. */
struct slurm_member {
	const char *name;
	yajl_type type;
	bool required;
	yajl_val val; /* set by slurm_members */
};

static const char *
slurm_type_name(yajl_type t)
{
	switch (t) {
	case yajl_t_string:
		return "a string";
	case yajl_t_number:
		return "a number";
	case yajl_t_object:
		return "an object";
	case yajl_t_array:
		return "an array";
	default:
		return "true, false or null";
	}
}

/*
 * Fills m[].val from object obj at where: every member known, of its type,
 * given once, and every required one present.
 */
static bool
slurm_members(struct slurm_ctx *ctx, const char *where, yajl_val obj,
	      struct slurm_member *m, size_t n)
{
	char show[SLURM_SHOW + 4], at[SLURM_AT + SLURM_SHOW];
	size_t i, j;

	if (!YAJL_IS_OBJECT(obj))
		return slurm_fail(ctx, where, "is %s, not an object",
				  slurm_type_name(obj->type));
	for (j = 0; j < n; j++)
		m[j].val = NULL;
	for (i = 0; i < obj->u.object.len; i++) {
		const char *key = obj->u.object.keys[i];
		yajl_val v = obj->u.object.values[i];

		for (j = 0; j < n && strcmp(m[j].name, key) != 0; j++)
			;
		if (j == n)
			return slurm_fail(ctx, where, "unknown member \"%s\"",
					  slurm_show(show, key));
		snprintf(at, sizeof(at), "%s.%s", where, key);
		if (m[j].val != NULL)
			return slurm_fail(ctx, at, "given twice");
		if (v->type != m[j].type)
			return slurm_fail(ctx, at, "is %s, not %s",
					  slurm_type_name(v->type),
					  slurm_type_name(m[j].type));
		m[j].val = v;
	}
	for (j = 0; j < n; j++) {
		if (m[j].required && m[j].val == NULL)
			return slurm_fail(ctx, where, "missing member \"%s\"",
					  m[j].name);
	}
	return true;
}

/* Values ---------------------------------------------------------------- */

/* An integer in [min, max]; v is a number. */
static bool
slurm_uint(struct slurm_ctx *ctx, const char *where, yajl_val v, long long min,
	   long long max, long long *out)
{
	char show[SLURM_SHOW + 4];

	if (!YAJL_IS_INTEGER(v) || YAJL_GET_INTEGER(v) < min ||
	    YAJL_GET_INTEGER(v) > max)
		return slurm_fail(ctx, where,
				  "%s is not an integer from %lld "
				  "to %lld",
				  slurm_show(show, v->u.number.r), min, max);
	*out = YAJL_GET_INTEGER(v);
	return true;
}

/* RFC 8416 s.3.3.1 and s.3.4.1: "asn" is a number, an AS number. */
static bool
slurm_asn(struct slurm_ctx *ctx, const char *where, yajl_val v, uint32_t *asn)
{
	long long n;

	if (!slurm_uint(ctx, where, v, 0, UINT32_MAX, &n))
		return false;
	*asn = (uint32_t)n;
	return true;
}

/*
 * RFC 8416 s.3.3.1 and s.3.4.1: "prefix" is an IPv4 prefix (RFC 4632) or
 * an IPv6 prefix (RFC 5952), e.g. "2001:DB8::/32" in the RFC's own
 * examples, so any text inet_pton reads is taken, not only RFC 5952's
 * canonical form. Host bits are refused: "192.0.2.1/24" is a typo or a
 * misunderstanding, and either way not a prefix.
 */
static bool
slurm_prefix(struct slurm_ctx *ctx, const char *where, const char *s,
	     struct vrp *vrp)
{
	char addr[INET6_ADDRSTRLEN], show[SLURM_SHOW + 4], *end;
	const char *slash = strchr(s, '/');
	unsigned int bits, i;
	unsigned long len;

	if (slash == NULL || (size_t)(slash - s) >= sizeof(addr))
		return slurm_fail(ctx, where, "\"%s\" is not address/length",
				  slurm_show(show, s));
	memcpy(addr, s, (size_t)(slash - s));
	addr[slash - s] = '\0';
	vrp->afi = strchr(addr, ':') != NULL ? 6 : 4;
	bits = vrp->afi == 6 ? 128 : 32;
	if (inet_pton(vrp->afi == 6 ? AF_INET6 : AF_INET, addr, vrp->addr) != 1)
		return slurm_fail(ctx, where, "\"%s\" is not an IPv%u prefix",
				  slurm_show(show, s), vrp->afi);
	errno = 0;
	len = strtoul(slash + 1, &end, 10);
	if (slash[1] < '0' || slash[1] > '9' || *end != '\0' || errno != 0 ||
	    len > bits)
		return slurm_fail(ctx, where,
				  "\"%s\": length is not a number from 0 to %u",
				  slurm_show(show, s), bits);
	vrp->prefixlen = (uint8_t)len;
	vrp->maxlen = (uint8_t)len;
	for (i = (unsigned int)len; i < bits; i++) {
		if (vrp->addr[i / 8] & (0x80 >> (i % 8)))
			return slurm_fail(ctx, where,
					  "\"%s\" has bits set after its "
					  "length",
					  slurm_show(show, s));
	}
	return true;
}

/* RFC 4648 s.5's alphabet, as its s.4 counterpart; 0 for anything else. */
static char
slurm_b64url_char(char c)
{
	if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9'))
		return c;
	return c == '-' ? '+' : c == '_' ? '/' : 0;
}

/*
 * RFC 8416 s.3.3.2, s.3.4.2: "the Base64 encoding without trailing '='
 * (Section 5 of RFC 4648)", i.e. base64url unpadded. Translated to the
 * standard alphabet and padded for EVP_DecodeBlock, which counts the
 * padding as output; encoded back and compared, so that only one text
 * stands for a key (RFC 4648 s.3.5: the unused bits must be zero). Sets
 * *why on failure; *out is the caller's to free.
 */
static bool
slurm_b64url(const char *s, unsigned char **out, size_t *outlen,
	     const char **why)
{
	size_t len = strlen(s), padded, i;
	unsigned char *std = NULL, *der = NULL, *back = NULL;
	int n;

	*why = "is not base64url without padding (RFC 4648 s.5)";
	if (len == 0 || len % 4 == 1)
		return false;
	padded = (len + 3) / 4 * 4;
	if ((std = malloc(padded + 1)) == NULL ||
	    (der = malloc(padded / 4 * 3)) == NULL ||
	    (back = malloc(padded + 1)) == NULL) {
		*why = "out of memory";
		goto fail;
	}
	for (i = 0; i < len; i++) {
		if ((std[i] = (unsigned char)slurm_b64url_char(s[i])) == 0)
			goto fail;
	}
	memset(std + len, '=', padded - len);
	std[padded] = '\0';
	if ((n = EVP_DecodeBlock(der, std, (int)padded)) < 0 ||
	    (size_t)n < padded - len)
		goto fail;
	*outlen = (size_t)n - (padded - len);
	if (EVP_EncodeBlock(back, der, (int)*outlen) != (int)padded ||
	    memcmp(back, std, padded) != 0) {
		*why = "has bits set after its last byte (RFC 4648 s.3.5)";
		goto fail;
	}
	free(std);
	free(back);
	*out = der;
	return true;
fail:
	free(std);
	free(der);
	free(back);
	return false;
}

/* RFC 8416 s.3.3.2, s.3.4.2: "SKI" encodes the 160-bit Router SKI. */
static bool
slurm_ski(struct slurm_ctx *ctx, const char *where, const char *s,
	  unsigned char ski[SLURM_SKI_LEN])
{
	char show[SLURM_SHOW + 4];
	unsigned char *der;
	const char *why;
	size_t len;

	if (!slurm_b64url(s, &der, &len, &why))
		return slurm_fail(ctx, where, "\"%s\" %s", slurm_show(show, s),
				  why);
	if (len != SLURM_SKI_LEN) {
		free(der);
		return slurm_fail(ctx, where,
				  "\"%s\" is %zu bytes, not the %d of a "
				  "SHA-1 key identifier (RFC 8416 s.3.3.2)",
				  slurm_show(show, s), len, SLURM_SKI_LEN);
	}
	memcpy(ski, der, SLURM_SKI_LEN);
	free(der);
	return true;
}

/*
 * A router key as RFC 8208 s.3.1 (through RFC 8416 s.3.4.2) has it: an
 * ecPublicKey on the named curve P-256, one uncompressed point, and
 * nothing after the SubjectPublicKeyInfo. Routers receive these bytes as
 * they are (RFC 8210 s.5.10), so a key a router could not use is refused
 * here rather than sent. NULL if the key is good, else what is wrong.
 */
static const char *
slurm_spki_problem(const unsigned char *der, size_t len)
{
	const unsigned char *p = der, *pk;
	const char *why = NULL;
	X509_PUBKEY *pub;
	ASN1_OBJECT *alg;
	X509_ALGOR *algor;
	const void *curve;
	int pklen, ptype;

	if ((pub = d2i_X509_PUBKEY(NULL, &p, (long)len)) == NULL ||
	    p != der + len) {
		why = "is not a DER SubjectPublicKeyInfo";
		goto done;
	}
	if (!X509_PUBKEY_get0_param(&alg, &pk, &pklen, &algor, pub) ||
	    OBJ_obj2nid(alg) != NID_X9_62_id_ecPublicKey) {
		why = "is not an EC key (RFC 8208 s.3.1)";
		goto done;
	}
	X509_ALGOR_get0(NULL, &ptype, &curve, algor);
	if (ptype != V_ASN1_OBJECT ||
	    OBJ_obj2nid(curve) != NID_X9_62_prime256v1)
		why = "is not on the named curve P-256 (RFC 8208 s.3.1)";
	else if (pklen != SLURM_P256_POINT_LEN || pk[0] != 0x04 ||
		 X509_PUBKEY_get0(pub) == NULL)
		why = "is not an uncompressed P-256 point (RFC 8208 s.3.1)";
done:
	X509_PUBKEY_free(pub);
	ERR_clear_error();
	return why;
}

/* RFC 8416 s.3.4.2: "routerPublicKey", base64url like the SKI. */
static bool
slurm_spki(struct slurm_ctx *ctx, const char *where, const char *s,
	   struct slurm_key *key)
{
	char show[SLURM_SHOW + 4];
	const char *why;

	if (!slurm_b64url(s, &key->spki, &key->spki_len, &why))
		return slurm_fail(ctx, where, "\"%s\" %s", slurm_show(show, s),
				  why);
	if ((why = slurm_spki_problem(key->spki, key->spki_len)) != NULL)
		return slurm_fail(ctx, where, "%s", why);
	return true;
}

/* Entries ---------------------------------------------------------------- */

/*
 * RFC 8416 s.3.3.1 (filters: "prefix" and "asn" optional, at least one)
 * and s.3.4.1 (assertions: both required, and "maxPrefixLength" optional:
 * at least the prefix length, at most the family's bits, and the prefix
 * length when absent). A filter has no maxPrefixLength: it is refused as
 * unknown rather than ignored, as the filter would cover more than the
 * operator meant.
 */
static bool
slurm_prefix_entry(struct slurm_ctx *ctx, const char *where, yajl_val obj,
		   struct slurm_prefix *p)
{
	bool assertion = p->list == LIST_PREFIX_ASSERTIONS;
	struct slurm_member m[] = {
	    {"prefix", yajl_t_string, assertion, NULL},
	    {"asn", yajl_t_number, assertion, NULL},
	    {"comment", yajl_t_string, false, NULL},
	    {"maxPrefixLength", yajl_t_number, false, NULL},
	};
	char at[SLURM_AT];
	long long maxlen;

	if (!slurm_members(ctx, where, obj, m, assertion ? 4 : 3))
		return false;
	if (m[0].val == NULL && m[1].val == NULL)
		return slurm_fail(ctx, where,
				  "has neither \"prefix\" nor \"asn\" "
				  "(RFC 8416 s.3.3.1)");
	snprintf(at, sizeof(at), "%s.prefix", where);
	if (m[0].val != NULL) {
		if (!slurm_prefix(ctx, at, YAJL_GET_STRING(m[0].val), &p->vrp))
			return false;
		p->has |= HAS_PREFIX;
	}
	snprintf(at, sizeof(at), "%s.asn", where);
	if (m[1].val != NULL) {
		if (!slurm_asn(ctx, at, m[1].val, &p->vrp.asn))
			return false;
		p->has |= HAS_ASN;
	}
	snprintf(at, sizeof(at), "%s.maxPrefixLength", where);
	if (m[3].val != NULL) {
		if (!slurm_uint(ctx, at, m[3].val, p->vrp.prefixlen,
				p->vrp.afi == 6 ? 128 : 32, &maxlen))
			return false;
		p->vrp.maxlen = (uint8_t)maxlen;
	}
	return true;
}

/*
 * RFC 8416 s.3.3.2 (filters: "asn" and "SKI" optional, at least one) and
 * s.3.4.2 (assertions: "asn", "SKI" and "routerPublicKey" all required).
 */
static bool
slurm_key_entry(struct slurm_ctx *ctx, const char *where, yajl_val obj,
		struct slurm_key *k)
{
	bool assertion = k->list == LIST_BGPSEC_ASSERTIONS;
	struct slurm_member m[] = {
	    {"asn", yajl_t_number, assertion, NULL},
	    {"SKI", yajl_t_string, assertion, NULL},
	    {"comment", yajl_t_string, false, NULL},
	    {"routerPublicKey", yajl_t_string, true, NULL},
	};
	char at[SLURM_AT];

	if (!slurm_members(ctx, where, obj, m, assertion ? 4 : 3))
		return false;
	if (m[0].val == NULL && m[1].val == NULL)
		return slurm_fail(ctx, where,
				  "has neither \"asn\" nor \"SKI\" "
				  "(RFC 8416 s.3.3.2)");
	snprintf(at, sizeof(at), "%s.asn", where);
	if (m[0].val != NULL) {
		if (!slurm_asn(ctx, at, m[0].val, &k->asn))
			return false;
		k->has |= HAS_ASN;
	}
	snprintf(at, sizeof(at), "%s.SKI", where);
	if (m[1].val != NULL) {
		if (!slurm_ski(ctx, at, YAJL_GET_STRING(m[1].val), k->ski))
			return false;
		k->has |= HAS_SKI;
	}
	snprintf(at, sizeof(at), "%s.routerPublicKey", where);
	if (assertion && !slurm_spki(ctx, at, YAJL_GET_STRING(m[3].val), k))
		return false;
	return true;
}

/* Room for n more elements of size bytes at *arr, which holds *num. */
static bool
slurm_grow(struct slurm_ctx *ctx, void **arr, size_t num, size_t n, size_t size)
{
	void *p;

	if (n == 0)
		return true;
	if (num > SIZE_MAX - n ||
	    (p = reallocarray(*arr, num + n, size)) == NULL)
		return slurm_fail(ctx, "load", "out of memory");
	*arr = p;
	memset((char *)p + num * size, 0, n * size);
	return true;
}

/* Appends the entries of one of the four lists to s. */
static bool
slurm_list(struct slurm_ctx *ctx, struct slurm *s, enum slurm_list list,
	   yajl_val arr)
{
	bool prefixes =
	    list == LIST_PREFIX_FILTERS || list == LIST_PREFIX_ASSERTIONS;
	size_t i, n = arr->u.array.len;
	char where[SLURM_WHERE];

	if (prefixes ? !slurm_grow(ctx, (void **)&s->prefixes, s->num_prefixes,
				   n, sizeof(*s->prefixes))
		     : !slurm_grow(ctx, (void **)&s->keys, s->num_keys, n,
				   sizeof(*s->keys)))
		return false;
	for (i = 0; i < n; i++) {
		snprintf(where, sizeof(where), "%s[%zu]",
			 slurm_list_names[list], i);
		if (prefixes) {
			struct slurm_prefix *p =
			    &s->prefixes[s->num_prefixes++];

			p->list = (uint8_t)list;
			p->index = i;
			if (!slurm_prefix_entry(ctx, where,
						arr->u.array.values[i], p))
				return false;
		} else {
			struct slurm_key *k = &s->keys[s->num_keys++];

			k->list = (uint8_t)list;
			k->index = i;
			if (!slurm_key_entry(ctx, where, arr->u.array.values[i],
					     k))
				return false;
		}
	}
	return true;
}

/*
 * RFC 8416 s.3.2: the document and its two objects, each member required.
 * slurmVersion 2 (draft-ietf-sidrops-aspa-slurm, ASPA filters and
 * assertions) is refused by name: it is still a draft, and its ASPA lists
 * would otherwise be refused as unknown members, which says less.
 */
static bool
slurm_document(struct slurm_ctx *ctx, struct slurm *s, yajl_val root)
{
	struct slurm_member top[] = {
	    {"slurmVersion", yajl_t_number, true, NULL},
	    {"validationOutputFilters", yajl_t_object, true, NULL},
	    {"locallyAddedAssertions", yajl_t_object, true, NULL},
	};
	struct slurm_member filters[] = {
	    {"prefixFilters", yajl_t_array, true, NULL},
	    {"bgpsecFilters", yajl_t_array, true, NULL},
	};
	struct slurm_member assertions[] = {
	    {"prefixAssertions", yajl_t_array, true, NULL},
	    {"bgpsecAssertions", yajl_t_array, true, NULL},
	};
	char show[SLURM_SHOW + 4];
	yajl_val v;

	if (!YAJL_IS_OBJECT(root))
		return slurm_fail(ctx, "document", "is %s, not an object",
				  slurm_type_name(root->type));
	/* The version first: it says which members the rest may have. */
	v = yajl_tree_get(root, (const char *[]){"slurmVersion", NULL},
			  yajl_t_any);
	if (v != NULL && YAJL_IS_INTEGER(v) && YAJL_GET_INTEGER(v) == 2)
		return slurm_fail(ctx, "slurmVersion",
				  "2 (ASPA, draft-ietf-sidrops-aspa-slurm) is "
				  "not supported; only 1 (RFC 8416)");
	if (!slurm_members(ctx, "document", root, top, 3))
		return false;
	if (!YAJL_IS_INTEGER(top[0].val) || YAJL_GET_INTEGER(top[0].val) != 1)
		return slurm_fail(ctx, "slurmVersion",
				  "%s is not 1 (RFC 8416 s.3.2)",
				  slurm_show(show, top[0].val->u.number.r));
	if (!slurm_members(ctx, "validationOutputFilters", top[1].val, filters,
			   2) ||
	    !slurm_members(ctx, "locallyAddedAssertions", top[2].val,
			   assertions, 2))
		return false;
	return slurm_list(ctx, s, LIST_PREFIX_FILTERS, filters[0].val) &&
	    slurm_list(ctx, s, LIST_PREFIX_ASSERTIONS, assertions[0].val) &&
	    slurm_list(ctx, s, LIST_BGPSEC_FILTERS, filters[1].val) &&
	    slurm_list(ctx, s, LIST_BGPSEC_ASSERTIONS, assertions[1].val);
}

struct slurm *
slurm_load(const char *path, char *err, size_t errlen)
{
	struct slurm_ctx ctx = {.path = path, .err = err, .errlen = errlen};
	struct slurm *s = NULL;
	yajl_val root = NULL;
	char *buf, ybuf[256];
	size_t len;

	if ((buf = slurm_read(&ctx, &len)) == NULL)
		return NULL;
	if (!slurm_prescan(&ctx, buf, len) || !slurm_syntax(&ctx, buf, len))
		goto fail;
	/* The syntax is good, so this fails only for memory. */
	if ((root = yajl_tree_parse(buf, ybuf, sizeof(ybuf))) == NULL) {
		slurm_fail(&ctx, "parse", "%s",
			   ybuf[0] != '\0' ? ybuf : "out of memory");
		goto fail;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (s->path = strdup(path)) == NULL) {
		slurm_fail(&ctx, "load", "out of memory");
		goto fail;
	}
	if (!slurm_document(&ctx, s, root))
		goto fail;
	yajl_tree_free(root);
	free(buf);
	return s;
fail:
	yajl_tree_free(root);
	free(buf);
	slurm_free(s);
	return NULL;
}

void
slurm_free(struct slurm *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->num_keys; i++)
		free(s->keys[i].spki);
	free(s->keys);
	free(s->prefixes);
	free(s->path);
	free(s);
}

/* Matching --------------------------------------------------------------- */

/* True if prefix outer covers prefix inner (equal, or less specific). */
static bool
slurm_covers(const struct vrp *outer, const struct vrp *inner)
{
	unsigned int full = outer->prefixlen / 8, rest = outer->prefixlen % 8;

	if (outer->afi != inner->afi || outer->prefixlen > inner->prefixlen)
		return false;
	if (memcmp(outer->addr, inner->addr, full) != 0)
		return false;
	return rest == 0 ||
	    ((outer->addr[full] ^ inner->addr[full]) & (0xff00 >> rest)) == 0;
}

/* "192.0.2.0/24", for messages. */
static const char *
slurm_prefix_text(const struct vrp *vrp, char buf[INET6_ADDRSTRLEN + 4])
{
	size_t n;

	inet_ntop(vrp->afi == 6 ? AF_INET6 : AF_INET, vrp->addr, buf,
		  INET6_ADDRSTRLEN);
	n = strlen(buf);
	snprintf(buf + n, 5, "/%u", vrp->prefixlen);
	return buf;
}

/*
 * RFC 8416 s.4.2: files conflict when an address is in a prefix of the
 * prefixFilters or prefixAssertions of two files (for prefixes: one covers
 * the other), or an ASN is in the bgpsecFilters or bgpsecAssertions of two
 * files. Entries without a prefix (or ASN) take no part. Pairwise: files
 * are small and checked once per load.
 */
static bool
slurm_pair_overlap(const struct slurm *a, const struct slurm *b, char *err,
		   size_t errlen)
{
	char pa[INET6_ADDRSTRLEN + 4], pb[INET6_ADDRSTRLEN + 4];
	size_t i, j;

	for (i = 0; i < a->num_prefixes; i++) {
		const struct slurm_prefix *x = &a->prefixes[i];

		for (j = 0; (x->has & HAS_PREFIX) && j < b->num_prefixes; j++) {
			const struct slurm_prefix *y = &b->prefixes[j];

			if (!(y->has & HAS_PREFIX) ||
			    (!slurm_covers(&x->vrp, &y->vrp) &&
			     !slurm_covers(&y->vrp, &x->vrp)))
				continue;
			snprintf(err, errlen,
				 "%s: %s[%zu]: prefix %s overlaps %s in %s: "
				 "%s[%zu] (RFC 8416 s.4.2)",
				 a->path, slurm_list_names[x->list], x->index,
				 slurm_prefix_text(&x->vrp, pa),
				 slurm_prefix_text(&y->vrp, pb), b->path,
				 slurm_list_names[y->list], y->index);
			return true;
		}
	}
	for (i = 0; i < a->num_keys; i++) {
		const struct slurm_key *x = &a->keys[i];

		for (j = 0; (x->has & HAS_ASN) && j < b->num_keys; j++) {
			const struct slurm_key *y = &b->keys[j];

			if (!(y->has & HAS_ASN) || x->asn != y->asn)
				continue;
			snprintf(err, errlen,
				 "%s: %s[%zu]: AS%u is also in %s: %s[%zu] "
				 "(RFC 8416 s.4.2)",
				 a->path, slurm_list_names[x->list], x->index,
				 x->asn, b->path, slurm_list_names[y->list],
				 y->index);
			return true;
		}
	}
	return false;
}

bool
slurm_check_overlap(struct slurm *const *files, size_t n, char *err,
		    size_t errlen)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		for (j = i + 1; j < n; j++) {
			if (slurm_pair_overlap(files[i], files[j], err, errlen))
				return false;
		}
	}
	return true;
}

/* RFC 8416 s.3.3.1: every member a filter has must match. */
static bool
slurm_vrp_filtered(struct slurm *const *files, size_t n, const struct vrp *v)
{
	const struct slurm_prefix *f;
	size_t i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < files[i]->num_prefixes; j++) {
			f = &files[i]->prefixes[j];
			if (f->list != LIST_PREFIX_FILTERS)
				continue;
			if ((f->has & HAS_ASN) && f->vrp.asn != v->asn)
				continue;
			if ((f->has & HAS_PREFIX) && !slurm_covers(&f->vrp, v))
				continue;
			return true;
		}
	}
	return false;
}

/* RFC 8416 s.3.3.2: likewise for router keys. */
static bool
slurm_key_filtered(struct slurm *const *files, size_t n,
		   const struct router_key *k)
{
	const struct slurm_key *f;
	size_t i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < files[i]->num_keys; j++) {
			f = &files[i]->keys[j];
			if (f->list != LIST_BGPSEC_FILTERS)
				continue;
			if ((f->has & HAS_ASN) && f->asn != k->asn)
				continue;
			if ((f->has & HAS_SKI) &&
			    memcmp(f->ski, k->ski, SLURM_SKI_LEN) != 0)
				continue;
			return true;
		}
	}
	return false;
}

/* Drops what the filters match; returns how many VRPs and keys went. */
static void
slurm_filter(struct slurm *const *files, size_t n, struct vrpset *set,
	     size_t *vrps, size_t *keys)
{
	size_t i, w;

	for (i = w = 0; i < set->num_vrps; i++) {
		if (!slurm_vrp_filtered(files, n, &set->vrps[i]))
			set->vrps[w++] = set->vrps[i];
	}
	*vrps = set->num_vrps - w;
	set->num_vrps = w;
	for (i = w = 0; i < set->num_keys; i++) {
		if (slurm_key_filtered(files, n, &set->keys[i]))
			free(set->keys[i].spki);
		else
			set->keys[w++] = set->keys[i];
	}
	*keys = set->num_keys - w;
	set->num_keys = w;
}

/* The index of SLURM_TA_NAME in set, registered on first use; -1 if full. */
static int
slurm_ta(struct vrpset *set, int *ta)
{
	if (*ta < 0)
		*ta = vrpset_add_ta(set, SLURM_TA_NAME);
	return *ta;
}

/* Adds every assertion of files; counts them; false on ENOMEM. */
static bool
slurm_assert(struct slurm *const *files, size_t n, struct vrpset *set,
	     size_t *vrps, size_t *keys)
{
	const struct slurm_prefix *p;
	const struct slurm_key *k;
	struct vrp v;
	size_t i, j;
	int ta = -1; /* only a set that gets assertions gets the TA */

	*vrps = *keys = 0;
	for (i = 0; i < n; i++) {
		for (j = 0; j < files[i]->num_prefixes; j++) {
			p = &files[i]->prefixes[j];
			if (p->list != LIST_PREFIX_ASSERTIONS)
				continue;
			if (slurm_ta(set, &ta) < 0)
				return false;
			v = p->vrp;
			v.ta = (uint8_t)ta;
			if (!vrpset_add_vrp(set, &v))
				return false;
			(*vrps)++;
		}
		for (j = 0; j < files[i]->num_keys; j++) {
			k = &files[i]->keys[j];
			if (k->list != LIST_BGPSEC_ASSERTIONS)
				continue;
			if (slurm_ta(set, &ta) < 0 ||
			    !vrpset_add_key(set, (uint8_t)ta, k->asn, k->ski,
					    k->spki, k->spki_len))
				return false;
			(*keys)++;
		}
	}
	return true;
}

bool
slurm_apply(struct slurm *const *files, size_t n, struct vrpset *set)
{
	size_t fv, fk, av = 0, ak = 0;
	bool ok;

	slurm_filter(files, n, set, &fv, &fk);
	ok = slurm_assert(files, n, set, &av, &ak);
	if (!ok)
		log_warn("slurm: adding assertions");
	if (!vrpset_finish(set))
		ok = false;
	log_info("slurm: filtered %zu VRPs and %zu router keys, asserted %zu "
		 "VRPs and %zu router keys (SLURM files: %zu)",
		 fv, fk, av, ak, n);
	return ok;
}
