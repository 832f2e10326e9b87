/*
 * Loading a payload file. JSON goes through yajl's callback parser a chunk
 * at a time and each entry is added to the set as soon as its closing brace
 * is seen, so memory follows the payloads, never the text: no tree of a
 * 60 MB file is built. CSV is cut into lines from the same chunks.
 *
 * Every check writes what is wrong into in->why and returns false; the
 * format's code then adds the file name and the position, so one message
 * serves both formats.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <openssl/evp.h>
#include <yajl/yajl_parse.h>

#include "rp/limits.h"
#include "vrpfile.h"

/* Bytes read from the file at a time. */
#define VRPFILE_CHUNK (64 * 1024)

/*
 * The most payloads of each kind one file may hold, which bounds the memory
 * a file can make us take (the whole set is built before it is served).
 * The global RPKI has about 800,000 VRPs, a few thousand ASPAs and a few
 * hundred router keys today; these leave 25 times room or more. The unit
 * test lowers them to reach them quickly.
 */
#ifndef VRPFILE_MAX_VRPS
#define VRPFILE_MAX_VRPS 20000000 /* 24 bytes each: 480 MB */
#endif
#ifndef VRPFILE_MAX_VAPS
#define VRPFILE_MAX_VAPS 1000000
#endif
/* Over all ASPAs: MAX_ASPA_PROVIDERS for each would allow 40 GB. */
#ifndef VRPFILE_MAX_PROVIDERS
#define VRPFILE_MAX_PROVIDERS 20000000
#endif
#ifndef VRPFILE_MAX_KEYS
#define VRPFILE_MAX_KEYS 100000 /* each about 150 bytes */
#endif

/*
 * Longest router key SPKI, decoded. RFC 8208 s.3.1 allows only P-256 keys,
 * whose SubjectPublicKeyInfo is 91 bytes; 1 KiB leaves room without letting
 * one entry take megabytes.
 */
#define VRPFILE_MAX_SPKI 1024

/*
 * Deepest JSON nesting. The layout goes four deep (document, "aspas", an
 * entry, its providers); the rest is room for unknown members, which are
 * skipped, so their depth is all a hostile file could use against us.
 */
#define VRPFILE_MAX_JSON_DEPTH 16

/*
 * Longest CSV line. A row is an AS number, a prefix, a length and a TA name
 * of at most MAX_TAL_NAME_LENGTH, under 150 bytes; the extra columns of
 * rpki-client (expiry time) and Routinator fit many times over.
 */
#define VRPFILE_MAX_CSV_LINE 4096

/* Most characters of a bad value quoted in a message. */
#define VRPFILE_SHOW 48

/* "2001:db8::/128": the longest prefix text that can be right. */
#define VRPFILE_PREFIX_LEN (INET6_ADDRSTRLEN + sizeof("/128"))

/* The file being read: the chunk in hand and what came before it. */
struct vrpfile_in {
	FILE *fp;
	const char *name;
	unsigned char *buf; /* VRPFILE_CHUNK bytes */
	size_t len;	    /* bytes in buf */
	uint64_t off;	    /* file offset of buf[0] */
	uint64_t line;	    /* line number of buf[0], from 1 */
	struct vrpset *set;
	size_t num_providers; /* over all ASPAs so far */
	char why[256];	      /* what is wrong, for the message */
	char *err;
	size_t errlen;
};

/* Writes what is wrong into in->why; false, for the caller to return. */
static bool vrpfile_why(struct vrpfile_in *in, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static bool
vrpfile_why(struct vrpfile_in *in, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(in->why, sizeof(in->why), fmt, ap);
	va_end(ap);
	return false;
}

/*
 * The message: "name: line L, byte B: why", without the byte when has_byte
 * is false and without both when line is 0 (the file as a whole).
 */
static void
vrpfile_error(struct vrpfile_in *in, uint64_t line, bool has_byte,
	      uint64_t byte)
{
	if (in->errlen == 0)
		return;
	if (line == 0)
		snprintf(in->err, in->errlen, "%s: %s", in->name, in->why);
	else if (!has_byte)
		snprintf(in->err, in->errlen, "%s: line %llu: %s", in->name,
			 (unsigned long long)line, in->why);
	else
		snprintf(in->err, in->errlen, "%s: line %llu, byte %llu: %s",
			 in->name, (unsigned long long)line,
			 (unsigned long long)byte, in->why);
}

/* A bad value made safe to print: at most VRPFILE_SHOW bytes, printable. */
static const char *
vrpfile_show(char out[VRPFILE_SHOW + 4], const char *s, size_t len)
{
	size_t i, n = len > VRPFILE_SHOW ? VRPFILE_SHOW : len;

	for (i = 0; i < n; i++)
		out[i] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
	strcpy(out + n, len > n ? "..." : "");
	return out;
}

static uint64_t
vrpfile_newlines(const unsigned char *p, size_t len)
{
	const unsigned char *end = p + len;
	uint64_t n = 0;

	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		n++;
		p++;
	}
	return n;
}

/* The line of file offset off, which lies in the chunk in hand. */
static uint64_t
vrpfile_line_at(const struct vrpfile_in *in, uint64_t off)
{
	uint64_t n = off - in->off;

	return in->line + vrpfile_newlines(in->buf, n > in->len ? in->len : n);
}

/*
 * Drops all but the last keep bytes of the chunk (moving them to the front)
 * and reads more after them; at the end of the file nothing is added.
 */
static bool
vrpfile_read(struct vrpfile_in *in, size_t keep)
{
	size_t done = in->len - keep, n;

	in->line += vrpfile_newlines(in->buf, done);
	in->off += done;
	memmove(in->buf, in->buf + done, keep);
	n = fread(in->buf + keep, 1, VRPFILE_CHUNK - keep, in->fp);
	in->len = keep + n;
	if (n == 0 && ferror(in->fp)) {
		vrpfile_why(in, "read error: %s", strerror(errno));
		vrpfile_error(in, 0, false, 0);
		return false;
	}
	return true;
}

enum vrpfile_num {
	NUM_OK,
	NUM_SYNTAX,
	NUM_RANGE,
};

/* Decimal digits, with a '-' only to say "out of range" rather than junk. */
static enum vrpfile_num
vrpfile_uint(const char *s, size_t len, uint32_t max, uint32_t *v)
{
	uint64_t n = 0;
	size_t i = 0;

	if (len > 0 && s[0] == '-')
		i = 1;
	if (i == len)
		return NUM_SYNTAX;
	for (; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return NUM_SYNTAX;
		if (n <= max) /* stays far below 2^64 */
			n = n * 10 + (uint64_t)(s[i] - '0');
	}
	if (n > max || (s[0] == '-' && n != 0))
		return NUM_RANGE;
	*v = (uint32_t)n;
	return NUM_OK;
}

static bool
vrpfile_number(struct vrpfile_in *in, const char *what, const char *s,
	       size_t len, uint32_t max, uint32_t *v)
{
	char show[VRPFILE_SHOW + 4];

	switch (vrpfile_uint(s, len, max, v)) {
	case NUM_OK:
		return true;
	case NUM_SYNTAX:
		return vrpfile_why(in, "%s \"%s\" is not an integer", what,
				   vrpfile_show(show, s, len));
	default:
		return vrpfile_why(in, "%s %s is out of range 0..%u", what,
				   vrpfile_show(show, s, len), max);
	}
}

/* "AS64496" (StayRTR's and our CSV's form) or plain "64496". */
static bool
vrpfile_asn(struct vrpfile_in *in, const char *what, const char *s, size_t len,
	    uint32_t *asn)
{
	char show[VRPFILE_SHOW + 4];
	uint32_t v;

	if (len >= 2 && (s[0] == 'A' || s[0] == 'a') &&
	    (s[1] == 'S' || s[1] == 's')) {
		switch (vrpfile_uint(s + 2, len - 2, UINT32_MAX, &v)) {
		case NUM_OK:
			*asn = v;
			return true;
		case NUM_SYNTAX:
			return vrpfile_why(in, "%s \"%s\" is not an AS number",
					   what, vrpfile_show(show, s, len));
		default:
			return vrpfile_why(in, "%s %s is out of range 0..%u",
					   what, vrpfile_show(show, s, len),
					   UINT32_MAX);
		}
	}
	return vrpfile_number(in, what, s, len, UINT32_MAX, asn);
}

/* "192.0.2.0/24" or "2001:db8::/32" into vrp's afi, addr and prefixlen. */
static bool
vrpfile_prefix(struct vrpfile_in *in, const char *s, size_t len,
	       struct vrp *vrp)
{
	char addr[INET6_ADDRSTRLEN], show[VRPFILE_SHOW + 4];
	const char *slash = memchr(s, '/', len);
	uint32_t plen, bits;
	size_t alen;
	int af;

	if (slash == NULL || (alen = (size_t)(slash - s)) >= sizeof(addr))
		return vrpfile_why(in, "prefix \"%s\" is not address/length",
				   vrpfile_show(show, s, len));
	memcpy(addr, s, alen);
	addr[alen] = '\0';
	af = memchr(addr, ':', alen) != NULL ? AF_INET6 : AF_INET;
	bits = af == AF_INET6 ? 128 : 32;
	memset(vrp->addr, 0, sizeof(vrp->addr));
	if (inet_pton(af, addr, vrp->addr) != 1)
		return vrpfile_why(in, "prefix \"%s\": bad IPv%d address",
				   vrpfile_show(show, s, len),
				   af == AF_INET6 ? 6 : 4);
	switch (vrpfile_uint(slash + 1, len - alen - 1, bits, &plen)) {
	case NUM_OK:
		break;
	case NUM_SYNTAX:
		return vrpfile_why(in, "prefix \"%s\": bad length",
				   vrpfile_show(show, s, len));
	default:
		return vrpfile_why(in, "prefix \"%s\": length over %u",
				   vrpfile_show(show, s, len), bits);
	}
	vrp->afi = af == AF_INET6 ? 6 : 4;
	vrp->prefixlen = (uint8_t)plen;
	return true;
}

/*
 * A TA name: the engine's are short words; control characters would let a
 * file forge lines in our logs and CSV output.
 */
static bool
vrpfile_ta(struct vrpfile_in *in, const char *s, size_t len,
	   char ta[MAX_TAL_NAME_LENGTH + 1])
{
	char show[VRPFILE_SHOW + 4];
	size_t i;

	if (len > MAX_TAL_NAME_LENGTH)
		return vrpfile_why(in, "ta \"%s\" is longer than %d bytes",
				   vrpfile_show(show, s, len),
				   MAX_TAL_NAME_LENGTH);
	for (i = 0; i < len; i++) {
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return vrpfile_why(in,
					   "ta \"%s\" has a control character",
					   vrpfile_show(show, s, len));
	}
	memcpy(ta, s, len);
	ta[len] = '\0';
	return true;
}

static bool
vrpfile_ta_index(struct vrpfile_in *in, const char *ta, uint8_t *index)
{
	int i;

	errno = 0;
	if ((i = vrpset_add_ta(in->set, ta)) < 0) {
		if (errno == ERANGE)
			return vrpfile_why(in,
					   "ta \"%s\": more than %d trust "
					   "anchors",
					   ta, MAX_TAS);
		return vrpfile_why(in, "out of memory");
	}
	*index = (uint8_t)i;
	return true;
}

/* "192.0.2.0/24", for messages. */
static const char *
vrpfile_prefix_text(const struct vrp *vrp, char buf[VRPFILE_PREFIX_LEN])
{
	size_t n;

	inet_ntop(vrp->afi == 6 ? AF_INET6 : AF_INET, vrp->addr, buf,
		  VRPFILE_PREFIX_LEN);
	n = strlen(buf);
	snprintf(buf + n, VRPFILE_PREFIX_LEN - n, "/%u", vrp->prefixlen);
	return buf;
}

/* vrp with everything but its TA set, which is ta's name. */
static bool
vrpfile_add_vrp(struct vrpfile_in *in, struct vrp *vrp, const char *ta)
{
	char prefix[VRPFILE_PREFIX_LEN];
	unsigned int bits = vrp->afi == 6 ? 128 : 32;

	/* RFC 9582 s.4.3.2: prefix length <= maxLength <= address bits. */
	if (vrp->maxlen < vrp->prefixlen)
		return vrpfile_why(in,
				   "prefix %s: maxLength %u is below the "
				   "prefix length",
				   vrpfile_prefix_text(vrp, prefix),
				   vrp->maxlen);
	if (vrp->maxlen > bits)
		return vrpfile_why(in, "prefix %s: maxLength %u is over %u",
				   vrpfile_prefix_text(vrp, prefix),
				   vrp->maxlen, bits);
	if (in->set->num_vrps >= VRPFILE_MAX_VRPS)
		return vrpfile_why(in, "more than %d VRPs", VRPFILE_MAX_VRPS);
	if (!vrpfile_ta_index(in, ta, &vrp->ta))
		return false;
	errno = 0;
	if (!vrpset_add_vrp(in->set, vrp)) {
		/* Everything else vrpset checks was checked above. */
		if (errno == EINVAL)
			return vrpfile_why(in, "prefix %s: host bits set",
					   vrpfile_prefix_text(vrp, prefix));
		return vrpfile_why(in, "out of memory");
	}
	return true;
}

static bool
vrpfile_add_vap(struct vrpfile_in *in, uint32_t customer,
		const uint32_t *providers, size_t num, const char *ta)
{
	uint8_t index;

	if (num == 0)
		return vrpfile_why(in, "aspa of AS%u has no providers",
				   customer);
	if (in->set->num_vaps >= VRPFILE_MAX_VAPS)
		return vrpfile_why(in, "more than %d ASPAs", VRPFILE_MAX_VAPS);
	if (num > VRPFILE_MAX_PROVIDERS - in->num_providers)
		return vrpfile_why(in, "more than %d ASPA providers in all",
				   VRPFILE_MAX_PROVIDERS);
	if (!vrpfile_ta_index(in, ta, &index))
		return false;
	if (!vrpset_add_vap(in->set, index, customer, providers, num))
		return vrpfile_why(in, "out of memory");
	in->num_providers += num;
	return true;
}

static bool
vrpfile_add_key(struct vrpfile_in *in, uint32_t asn, const unsigned char *ski,
		const unsigned char *spki, size_t spki_len, const char *ta)
{
	uint8_t index;

	if (in->set->num_keys >= VRPFILE_MAX_KEYS)
		return vrpfile_why(in, "more than %d router keys",
				   VRPFILE_MAX_KEYS);
	if (!vrpfile_ta_index(in, ta, &index))
		return false;
	if (!vrpset_add_key(in->set, index, asn, ski, spki, spki_len))
		return vrpfile_why(in, "out of memory");
	return true;
}

static int
vrpfile_hexdigit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The SKI as rpki-client writes it: 40 hex digits, either case. */
static bool
vrpfile_ski(struct vrpfile_in *in, const char *s, size_t len,
	    unsigned char ski[SHA_DIGEST_LENGTH])
{
	char show[VRPFILE_SHOW + 4];
	int hi, lo;
	size_t i;

	if (len != 2 * SHA_DIGEST_LENGTH)
		return vrpfile_why(in, "ski \"%s\" is not %d hex digits",
				   vrpfile_show(show, s, len),
				   2 * SHA_DIGEST_LENGTH);
	for (i = 0; i < SHA_DIGEST_LENGTH; i++) {
		hi = vrpfile_hexdigit(s[2 * i]);
		lo = vrpfile_hexdigit(s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return vrpfile_why(in, "ski \"%s\" is not hex",
					   vrpfile_show(show, s, len));
		ski[i] = (unsigned char)(hi << 4 | lo);
	}
	return true;
}

static bool
vrpfile_base64_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '+' || c == '/';
}

/*
 * The router key's SPKI from base64. EVP_DecodeBlock reads '=' as zero
 * bits wherever it stands, skips white space at the ends and counts the
 * padding as output bytes, so the alphabet and padding are checked here
 * and the padding's bytes taken off its result.
 */
static bool
vrpfile_base64(struct vrpfile_in *in, const char *s, size_t len,
	       unsigned char out[VRPFILE_MAX_SPKI], size_t *outlen)
{
	size_t pad = 0, i;
	int n;

	if (len == 0)
		return vrpfile_why(in, "pubkey is empty");
	if (len > VRPFILE_MAX_SPKI / 3 * 4)
		return vrpfile_why(in, "pubkey is longer than %d bytes",
				   VRPFILE_MAX_SPKI);
	if (len % 4 != 0)
		return vrpfile_why(in, "pubkey is not base64: %zu characters",
				   len);
	while (pad < 2 && s[len - 1 - pad] == '=')
		pad++;
	for (i = 0; i < len - pad; i++) {
		if (!vrpfile_base64_char(s[i]))
			return vrpfile_why(in,
					   "pubkey is not base64: character "
					   "%zu",
					   i + 1);
	}
	n = EVP_DecodeBlock(out, (const unsigned char *)s, (int)len);
	if (n < 0 || (size_t)n <= pad)
		return vrpfile_why(in, "pubkey is not base64");
	*outlen = (size_t)n - pad;
	return true;
}

/* JSON ------------------------------------------------------------------ */

enum json_kind {
	KIND_ROA,
	KIND_ASPA,
	KIND_KEY,
	KIND_TOP,
};

/* What a frame of the nesting stack is. */
enum json_role {
	ROLE_TOP,	/* the document's object */
	ROLE_LIST,	/* "roas", "aspas" or "bgpsec_keys" */
	ROLE_ENTRY,	/* one object of a list */
	ROLE_PROVIDERS, /* an ASPA's providers */
	ROLE_SKIP,	/* inside an unknown member */
};

/* What the value after a key is; also bits of json_entry.seen. */
enum json_field {
	F_NONE,
	F_SKIP,
	F_ROAS,
	F_ASPAS,
	F_KEYS,
	F_ASN,
	F_PREFIX,
	F_MAXLEN,
	F_TA,
	F_CUSTOMER,
	F_PROVIDERS,
	F_SKI,
	F_PUBKEY,
};

static const char *const json_field_names[] = {
    [F_ROAS] = "roas",
    [F_ASPAS] = "aspas",
    [F_KEYS] = "bgpsec_keys",
    [F_ASN] = "asn",
    [F_PREFIX] = "prefix",
    [F_MAXLEN] = "maxLength",
    [F_TA] = "ta",
    [F_CUSTOMER] = "customer_asid",
    [F_PROVIDERS] = "providers",
    [F_SKI] = "ski",
    [F_PUBKEY] = "pubkey",
};

/* The keys we read, by where they stand; all others are skipped. */
static const struct {
	const char *name;
	enum json_kind kind;
	enum json_field field;
} json_keys[] = {
    {"roas", KIND_TOP, F_ROAS},
    {"aspas", KIND_TOP, F_ASPAS},
    {"bgpsec_keys", KIND_TOP, F_KEYS},
    {"asn", KIND_ROA, F_ASN},
    {"prefix", KIND_ROA, F_PREFIX},
    {"maxLength", KIND_ROA, F_MAXLEN},
    {"ta", KIND_ROA, F_TA},
    {"customer_asid", KIND_ASPA, F_CUSTOMER},
    {"providers", KIND_ASPA, F_PROVIDERS},
    /* StayRTR reads this older name too. */
    {"provider_set", KIND_ASPA, F_PROVIDERS},
    {"ta", KIND_ASPA, F_TA},
    {"asn", KIND_KEY, F_ASN},
    {"ski", KIND_KEY, F_SKI},
    {"pubkey", KIND_KEY, F_PUBKEY},
    {"ta", KIND_KEY, F_TA},
};

static const char *const json_entry_names[] = {
    [KIND_ROA] = "roa",
    [KIND_ASPA] = "aspa",
    [KIND_KEY] = "bgpsec key",
};

enum json_type {
	TYPE_NULL,
	TYPE_BOOL,
	TYPE_NUMBER,
	TYPE_STRING,
	TYPE_OBJECT,
	TYPE_ARRAY,
};

static const char *const json_type_names[] = {
    [TYPE_NUMBER] = "a number",
    [TYPE_STRING] = "a string",
    [TYPE_ARRAY] = "an array",
};

struct json_frame {
	uint8_t role;  /* enum json_role */
	uint8_t kind;  /* enum json_kind, of lists and entries */
	uint8_t field; /* of objects: what the last key said comes next */
};

/* The entry being read, reused for the next one. */
struct json_entry {
	bool open;
	unsigned int seen; /* 1 << enum json_field */
	uint64_t off;	   /* file offset of its '{' */
	uint64_t line;	   /* its line, once its chunk is done; else 0 */
	uint32_t asn;
	struct vrp vrp;
	char ta[MAX_TAL_NAME_LENGTH + 1];
	unsigned char ski[SHA_DIGEST_LENGTH];
	unsigned char spki[VRPFILE_MAX_SPKI];
	size_t spki_len;
	uint32_t *providers;
	size_t num_providers, cap_providers;
};

struct json {
	struct vrpfile_in *in;
	yajl_handle yh;
	struct json_frame stack[VRPFILE_MAX_JSON_DEPTH];
	size_t depth;
	unsigned int seen; /* top-level lists */
	uint64_t fail_line, fail_byte;
	struct json_entry e;
};

/* Notes the token just parsed as the place of the error in in->why. */
static int
json_fail(struct json *j)
{
	struct vrpfile_in *in = j->in;
	size_t n = yajl_get_bytes_consumed(j->yh);

	j->fail_byte = in->off + (n > in->len ? in->len : n);
	j->fail_line = vrpfile_line_at(in, j->fail_byte);
	return 0;
}

/* Notes the start of the current entry as the place of the error. */
static int
json_fail_entry(struct json *j)
{
	j->fail_byte = j->e.off;
	j->fail_line =
	    j->e.line != 0 ? j->e.line : vrpfile_line_at(j->in, j->e.off);
	return 0;
}

static int
json_push(struct json *j, enum json_role role, uint8_t kind)
{
	struct json_frame *f;

	if (j->depth == VRPFILE_MAX_JSON_DEPTH) {
		vrpfile_why(j->in, "nested deeper than %d",
			    VRPFILE_MAX_JSON_DEPTH);
		return json_fail(j);
	}
	f = &j->stack[j->depth++];
	f->role = (uint8_t)role;
	f->kind = kind;
	f->field = F_NONE;
	return 1;
}

static int
json_skip(struct json *j, enum json_type type)
{
	if (type == TYPE_OBJECT || type == TYPE_ARRAY)
		return json_push(j, ROLE_SKIP, 0);
	return 1;
}

static int
json_type_error(struct json *j, enum json_field field, enum json_type want)
{
	vrpfile_why(j->in, "\"%s\" is not %s", json_field_names[field],
		    json_type_names[want]);
	return json_fail(j);
}

static int
json_entry_begin(struct json *j, enum json_kind kind)
{
	struct json_entry *e = &j->e;

	e->open = true;
	e->seen = 0;
	e->off = j->in->off + yajl_get_bytes_consumed(j->yh) - 1;
	e->line = 0;
	e->ta[0] = '\0';
	e->num_providers = 0;
	memset(&e->vrp, 0, sizeof(e->vrp));
	return json_push(j, ROLE_ENTRY, (uint8_t)kind);
}

static int
json_entry_missing(struct json *j, enum json_kind kind, enum json_field field)
{
	vrpfile_why(j->in, "%s without \"%s\"", json_entry_names[kind],
		    json_field_names[field]);
	return json_fail_entry(j);
}

/* The entry's closing brace: everything is known, so it is added now. */
static int
json_entry_end(struct json *j, enum json_kind kind)
{
	static const enum json_field need[][3] = {
	    [KIND_ROA] = {F_ASN, F_PREFIX, F_NONE},
	    [KIND_ASPA] = {F_CUSTOMER, F_PROVIDERS, F_NONE},
	    [KIND_KEY] = {F_ASN, F_SKI, F_PUBKEY},
	};
	struct json_entry *e = &j->e;
	struct vrpfile_in *in = j->in;
	bool ok = false;
	size_t i;

	e->open = false;
	for (i = 0; i < 3 && need[kind][i] != F_NONE; i++) {
		if (!(e->seen & 1u << need[kind][i]))
			return json_entry_missing(j, kind, need[kind][i]);
	}
	switch (kind) {
	case KIND_ROA:
		e->vrp.asn = e->asn;
		/* StayRTR: no maxLength means the prefix length. */
		if (!(e->seen & 1u << F_MAXLEN))
			e->vrp.maxlen = e->vrp.prefixlen;
		ok = vrpfile_add_vrp(in, &e->vrp, e->ta);
		break;
	case KIND_ASPA:
		ok = vrpfile_add_vap(in, e->asn, e->providers, e->num_providers,
				     e->ta);
		break;
	case KIND_KEY:
		ok = vrpfile_add_key(in, e->asn, e->ski, e->spki, e->spki_len,
				     e->ta);
		break;
	default:
		break;
	}
	return ok ? 1 : json_fail_entry(j);
}

static int
json_provider(struct json *j, enum json_type type, const char *s, size_t len)
{
	struct json_entry *e = &j->e;
	uint32_t *p;
	size_t cap;

	if (type != TYPE_NUMBER) {
		vrpfile_why(j->in, "a provider is not a number");
		return json_fail(j);
	}
	if (e->num_providers == MAX_ASPA_PROVIDERS) {
		vrpfile_why(j->in, "aspa of AS%u has more than %d providers",
			    e->asn, MAX_ASPA_PROVIDERS);
		return json_fail(j);
	}
	if (e->num_providers == e->cap_providers) {
		cap = e->cap_providers == 0 ? 16 : e->cap_providers * 2;
		if ((p = reallocarray(e->providers, cap, sizeof(*p))) == NULL) {
			vrpfile_why(j->in, "out of memory");
			return json_fail(j);
		}
		e->providers = p;
		e->cap_providers = cap;
	}
	if (!vrpfile_number(j->in, "provider", s, len, UINT32_MAX,
			    &e->providers[e->num_providers]))
		return json_fail(j);
	e->num_providers++;
	return 1;
}

/* The value of a key we read in an entry. */
static int
json_field(struct json *j, enum json_field field, enum json_type type,
	   const char *s, size_t len)
{
	struct json_entry *e = &j->e;
	struct vrpfile_in *in = j->in;
	uint32_t v;
	bool ok;

	if (field == F_PROVIDERS) {
		if (type != TYPE_ARRAY)
			return json_type_error(j, field, TYPE_ARRAY);
		return json_push(j, ROLE_PROVIDERS, 0);
	}
	if (field == F_ASN && type == TYPE_STRING)
		type = TYPE_NUMBER; /* StayRTR writes "AS64496" */
	else if (field == F_ASN || field == F_MAXLEN || field == F_CUSTOMER) {
		if (type != TYPE_NUMBER)
			return json_type_error(j, field, TYPE_NUMBER);
	} else if (type != TYPE_STRING)
		return json_type_error(j, field, TYPE_STRING);
	/* A "\u0000" would cut the C strings made from this short. */
	if (memchr(s, '\0', len) != NULL) {
		vrpfile_why(in, "\"%s\" has a NUL character",
			    json_field_names[field]);
		return json_fail(j);
	}
	switch (field) {
	case F_ASN:
	case F_CUSTOMER:
		ok = vrpfile_asn(in, json_field_names[field], s, len, &e->asn);
		break;
	case F_PREFIX:
		ok = vrpfile_prefix(in, s, len, &e->vrp);
		break;
	case F_MAXLEN:
		ok = vrpfile_number(in, "maxLength", s, len, 128, &v);
		e->vrp.maxlen = (uint8_t)v;
		break;
	case F_TA:
		ok = vrpfile_ta(in, s, len, e->ta);
		break;
	case F_SKI:
		ok = vrpfile_ski(in, s, len, e->ski);
		break;
	case F_PUBKEY:
		ok = vrpfile_base64(in, s, len, e->spki, &e->spki_len);
		break;
	default:
		ok = true;
		break;
	}
	return ok ? 1 : json_fail(j);
}

/* Every value and every opening bracket comes here. */
static int
json_value(struct json *j, enum json_type type, const char *s, size_t len)
{
	struct json_frame *f;
	enum json_field field;

	if (j->depth == 0) {
		/* The first byte was '{', so nothing else can come here. */
		return json_push(j, ROLE_TOP, KIND_TOP);
	}
	f = &j->stack[j->depth - 1];
	field = f->field;
	f->field = F_NONE;
	switch (f->role) {
	case ROLE_TOP:
		if (field == F_SKIP)
			return json_skip(j, type);
		if (type != TYPE_ARRAY)
			return json_type_error(j, field, TYPE_ARRAY);
		return json_push(j, ROLE_LIST, (uint8_t)(field - F_ROAS));
	case ROLE_LIST:
		if (type != TYPE_OBJECT) {
			vrpfile_why(j->in,
				    "an element of \"%s\" is not an "
				    "object",
				    json_field_names[F_ROAS + f->kind]);
			return json_fail(j);
		}
		return json_entry_begin(j, f->kind);
	case ROLE_ENTRY:
		if (field == F_SKIP)
			return json_skip(j, type);
		return json_field(j, field, type, s, len);
	case ROLE_PROVIDERS:
		return json_provider(j, type, s, len);
	default:
		return json_skip(j, type);
	}
}

static int
json_map_key(void *ctx, const unsigned char *key, size_t len)
{
	struct json *j = ctx;
	struct json_frame *f = &j->stack[j->depth - 1];
	unsigned int *seen;
	size_t i;

	if (f->role == ROLE_SKIP)
		return 1;
	seen = f->role == ROLE_TOP ? &j->seen : &j->e.seen;
	f->field = F_SKIP;
	for (i = 0; i < sizeof(json_keys) / sizeof(json_keys[0]); i++) {
		if (json_keys[i].kind == f->kind &&
		    strlen(json_keys[i].name) == len &&
		    memcmp(json_keys[i].name, key, len) == 0) {
			f->field = (uint8_t)json_keys[i].field;
			break;
		}
	}
	if (f->field == F_SKIP)
		return 1;
	/* Most JSON readers take the last of two; we refuse to guess. */
	if (*seen & 1u << f->field) {
		vrpfile_why(j->in, "\"%s\" given twice",
			    json_field_names[f->field]);
		return json_fail(j);
	}
	*seen |= 1u << f->field;
	return 1;
}

static int
json_end(void *ctx)
{
	struct json *j = ctx;
	struct json_frame *f = &j->stack[--j->depth];

	if (f->role == ROLE_ENTRY)
		return json_entry_end(j, f->kind);
	if (f->role == ROLE_TOP && !(j->seen & 1u << F_ROAS)) {
		/* Serving nothing for want of a key would withdraw all. */
		vrpfile_why(j->in, "no \"roas\" array");
		return json_fail(j);
	}
	return 1;
}

static int
json_null(void *ctx)
{
	return json_value(ctx, TYPE_NULL, NULL, 0);
}

static int
json_boolean(void *ctx, int b)
{
	(void)b;
	return json_value(ctx, TYPE_BOOL, NULL, 0);
}

static int
json_number(void *ctx, const char *s, size_t len)
{
	return json_value(ctx, TYPE_NUMBER, s, len);
}

static int
json_string(void *ctx, const unsigned char *s, size_t len)
{
	return json_value(ctx, TYPE_STRING, (const char *)s, len);
}

static int
json_start_map(void *ctx)
{
	return json_value(ctx, TYPE_OBJECT, NULL, 0);
}

static int
json_start_array(void *ctx)
{
	return json_value(ctx, TYPE_ARRAY, NULL, 0);
}

/* Numbers come as text, so "24.0" and "1e100" are refused, not rounded. */
static const yajl_callbacks json_callbacks = {
    .yajl_null = json_null,
    .yajl_boolean = json_boolean,
    .yajl_number = json_number,
    .yajl_string = json_string,
    .yajl_start_map = json_start_map,
    .yajl_map_key = json_map_key,
    .yajl_end_map = json_end,
    .yajl_start_array = json_start_array,
    .yajl_end_array = json_end,
};

/* yajl's own message, for a syntax error at the chunk's byte n. */
static void
json_syntax_error(struct json *j, size_t n)
{
	struct vrpfile_in *in = j->in;
	unsigned char *msg;
	size_t len;

	msg = yajl_get_error(j->yh, 0, in->buf, in->len);
	vrpfile_why(in, "%s", msg != NULL ? (char *)msg : "JSON syntax error");
	if (msg != NULL)
		yajl_free_error(j->yh, msg);
	len = strlen(in->why);
	while (len > 0 && in->why[len - 1] == '\n')
		in->why[--len] = '\0';
	j->fail_byte = in->off + (n > in->len ? in->len : n);
	j->fail_line = vrpfile_line_at(in, j->fail_byte);
}

static bool
vrpfile_json(struct vrpfile_in *in)
{
	struct json *j;
	yajl_status st = yajl_status_ok;
	bool ok = false;

	/* Some 2 KiB: the entry holds a whole key. */
	if ((j = calloc(1, sizeof(*j))) == NULL) {
		vrpfile_why(in, "out of memory");
		vrpfile_error(in, 0, false, 0);
		return false;
	}
	j->in = in;
	if ((j->yh = yajl_alloc(&json_callbacks, NULL, j)) == NULL) {
		vrpfile_why(in, "out of memory");
		vrpfile_error(in, 0, false, 0);
		goto out;
	}
	while (in->len > 0) {
		st = yajl_parse(j->yh, in->buf, in->len);
		if (st != yajl_status_ok)
			break;
		/* The chunk goes now: keep the line of an entry begun in it. */
		if (j->e.open && j->e.line == 0)
			j->e.line = vrpfile_line_at(in, j->e.off);
		if (!vrpfile_read(in, 0))
			goto out;
	}
	if (st == yajl_status_ok)
		st = yajl_complete_parse(j->yh);
	if (st == yajl_status_error)
		json_syntax_error(j, yajl_get_bytes_consumed(j->yh));
	if (st != yajl_status_ok) {
		vrpfile_error(in, j->fail_line, true, j->fail_byte);
		goto out;
	}
	ok = true;
out:
	if (j->yh != NULL)
		yajl_free(j->yh);
	free(j->e.providers);
	free(j);
	return ok;
}

/* CSV ------------------------------------------------------------------- */

/* The columns we read: ASN, IP Prefix, Max Length, Trust Anchor. */
#define CSV_COLUMNS 4

struct csv_field {
	const char *s;
	size_t len;
};

static bool
csv_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/*
 * Splits s at commas into up to CSV_COLUMNS fields, without the blanks
 * around each; returns how many fields the line has in all.
 */
static size_t
csv_split(const char *s, size_t len, struct csv_field *f)
{
	const char *end = s + len, *comma;
	size_t n = 0;

	for (;;) {
		if ((comma = memchr(s, ',', (size_t)(end - s))) == NULL)
			comma = end;
		if (n < CSV_COLUMNS) {
			f[n].s = s;
			f[n].len = (size_t)(comma - s);
			while (f[n].len > 0 && csv_blank(f[n].s[0])) {
				f[n].s++;
				f[n].len--;
			}
			while (f[n].len > 0 && csv_blank(f[n].s[f[n].len - 1]))
				f[n].len--;
		}
		n++;
		if (comma == end)
			return n;
		s = comma + 1;
	}
}

/*
 * One line. The first that is not blank is the header, which names the
 * columns ("ASN,IP Prefix,Max Length,Trust Anchor", rpki-client's with an
 * Expires column after them, Routinator's); every row has as many fields.
 */
static bool
csv_line(struct vrpfile_in *in, size_t *columns, const char *s, size_t len)
{
	struct csv_field f[CSV_COLUMNS];
	char ta[MAX_TAL_NAME_LENGTH + 1] = "";
	struct vrp vrp;
	uint32_t maxlen;
	size_t i, n;

	for (i = 0; i < len && csv_blank(s[i]); i++)
		continue;
	if (i == len)
		return true;
	if (len > VRPFILE_MAX_CSV_LINE)
		return vrpfile_why(in, "line longer than %d bytes",
				   VRPFILE_MAX_CSV_LINE);
	if (memchr(s, '\0', len) != NULL)
		return vrpfile_why(in, "NUL byte in a CSV line");
	n = csv_split(s, len, f);
	if (*columns == 0) {
		if (f[0].len != 3 || memcmp(f[0].s, "ASN", 3) != 0 || n < 3)
			return vrpfile_why(in,
					   "neither JSON nor CSV with a "
					   "header \"ASN,IP Prefix,Max "
					   "Length,...\"");
		*columns = n;
		return true;
	}
	if (n != *columns)
		return vrpfile_why(in, "%zu fields, the header has %zu", n,
				   *columns);
	memset(&vrp, 0, sizeof(vrp));
	if (!vrpfile_asn(in, "ASN", f[0].s, f[0].len, &vrp.asn) ||
	    !vrpfile_prefix(in, f[1].s, f[1].len, &vrp) ||
	    !vrpfile_number(in, "Max Length", f[2].s, f[2].len, 128, &maxlen))
		return false;
	vrp.maxlen = (uint8_t)maxlen;
	if (n > 3 && !vrpfile_ta(in, f[3].s, f[3].len, ta))
		return false;
	return vrpfile_add_vrp(in, &vrp, ta);
}

static bool
vrpfile_csv(struct vrpfile_in *in)
{
	uint64_t line = in->line;
	size_t pos = 0, columns = 0, rest;
	const unsigned char *nl;
	bool eof = false;

	for (;;) {
		nl = memchr(in->buf + pos, '\n', in->len - pos);
		if (nl == NULL && !eof) {
			rest = in->len - pos;
			if (rest > VRPFILE_MAX_CSV_LINE) {
				vrpfile_why(in, "line longer than %d bytes",
					    VRPFILE_MAX_CSV_LINE);
				break;
			}
			if (!vrpfile_read(in, rest))
				return false;
			eof = in->len == rest;
			pos = 0;
			continue;
		}
		if (nl == NULL)
			nl = in->buf + in->len; /* the last line has no '\n' */
		if (!csv_line(in, &columns, (const char *)in->buf + pos,
			      (size_t)(nl - (in->buf + pos))))
			break;
		if (nl == in->buf + in->len)
			return true;
		pos = (size_t)(nl - in->buf) + 1;
		line++;
	}
	vrpfile_error(in, line, false, 0);
	return false;
}

/* Loading ---------------------------------------------------------------- */

struct vrpset *
vrpfile_load_fp(FILE *fp, const char *name, char *err, size_t errlen)
{
	struct vrpfile_in in = {
	    .fp = fp,
	    .name = name,
	    .line = 1,
	    .err = err,
	    .errlen = errlen,
	};
	size_t pos = 0;
	bool ok = false;

	if (errlen > 0)
		err[0] = '\0';
	if ((in.buf = malloc(VRPFILE_CHUNK)) == NULL ||
	    (in.set = vrpset_new()) == NULL) {
		vrpfile_why(&in, "out of memory");
		vrpfile_error(&in, 0, false, 0);
		goto out;
	}
	/* The first byte that is not white space tells the format. */
	for (;;) {
		while (pos < in.len &&
		       (csv_blank((char)in.buf[pos]) || in.buf[pos] == '\n'))
			pos++;
		if (pos < in.len)
			break;
		if (!vrpfile_read(&in, 0))
			goto out;
		if (in.len == 0) {
			vrpfile_why(&in, "empty file");
			vrpfile_error(&in, 0, false, 0);
			goto out;
		}
		pos = 0;
	}
	if (in.buf[pos] == '{')
		ok = vrpfile_json(&in);
	else
		ok = vrpfile_csv(&in);
	if (ok && !vrpset_finish(in.set)) {
		vrpfile_why(&in, "out of memory");
		vrpfile_error(&in, 0, false, 0);
		ok = false;
	}
out:
	free(in.buf);
	if (!ok) {
		vrpset_free(in.set);
		return NULL;
	}
	return in.set;
}

struct vrpset *
vrpfile_load(const char *path, char *err, size_t errlen)
{
	struct vrpset *set;
	FILE *fp;

	if ((fp = fopen(path, "re")) == NULL) {
		if (errlen > 0)
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	set = vrpfile_load_fp(fp, path, err, errlen);
	fclose(fp);
	return set;
}
