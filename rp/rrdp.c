/*
 * The RRDP files of RFC 8182 s.3.5, read with libxml2's SAX2 push parser so
 * that a snapshot of any size passes through in chunks: the bytes are
 * hashed as they are fed (EVP_Digest*), and the text of a publish element
 * is base64-decoded as it arrives (EVP_Decode*) into one reused buffer of
 * at most MAX_OBJECT_SIZE bytes. The notification goes through the same
 * machinery, fed whole.
 *
 * Every file is hostile. A DOCTYPE is refused at its first callback, before
 * any declaration in it is read, so no entity can be declared; a reference
 * to any but the five predefined entities is refused; libxml2 never touches
 * the network (XML_PARSE_NONET) and substitutes nothing (no XML_PARSE_NOENT).
 * Only the elements and attributes of the schema (s.3.5.4) are accepted,
 * nested at most MAX_RRDP_DEPTH deep. libxml2 holds a whole tag, comment or
 * processing instruction before it parses it; a scan of the raw bytes cuts
 * each off at MAX_RRDP_MARKUP, so that it never holds more than that (its
 * own limit, without XML_PARSE_HUGE, would be 10 MB). Text and CDATA are
 * streamed to the callbacks, which bound the rest.
 */
#include "config.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "limits.h"
#include "log.h"
#include "rrdp.h"

/* RFC 8182 s.3.5.4: the one namespace and the one version. */
#define RRDP_NS	     "http://www.ripe.net/rpki/rrdp"
#define RRDP_VERSION "1"

/* RFC 4122 s.3: 8-4-4-4-12 hexadecimal digits. */
#define UUID_LEN 36

/* RFC 8182 s.3.5.1.3: the hex of a SHA-256 hash. */
#define HASH_LEN     32
#define HASH_HEX_LEN (2 * HASH_LEN)

/* 2^64 - 1 = 18446744073709551615, the largest serial we can hold. */
#define SERIAL_MAX_DIGITS 20

/* xmlParseChunk takes an int; larger feeds are cut into pieces this big. */
#define FEED_PIECE (64 * 1024)

/* Base64 text is decoded this many characters at a time, on the stack. */
#define B64_PIECE 4096

/* First size of the object buffer; it doubles up to MAX_OBJECT_SIZE. */
#define OBJ_MIN_CAP (16 * 1024)

/*
 * A snapshot's URIs are remembered by 16 bytes of a keyed SHA-256: 128 bits
 * make an accidental collision among MAX_RRDP_OBJECTS URIs impossible in
 * practice, and the per-stream key keeps a publisher from choosing URIs
 * that pile up in one slot of the table.
 */
#define URISET_KEY_LEN	 16
#define URISET_MIN_SLOTS 1024

/* Hostile text quoted in a log line is cut at this many bytes. */
#define LOG_QUOTE_MAX 256

/* A UTF-8 byte order mark may open the file (XML 1.0 s.4.3.3). */
static const unsigned char UTF8_BOM[3] = {0xef, 0xbb, 0xbf};

enum doc { DOC_NOTIFICATION, DOC_SNAPSHOT, DOC_DELTA };

/* The root element and the section that defines it, by enum doc. */
static const char *const doc_root[] = {"notification", "snapshot", "delta"};
static const char *const doc_rfc[] = {"RFC 8182 s.3.5.1.3",
				      "RFC 8182 s.3.5.2.3",
				      "RFC 8182 s.3.5.3.3"};

/* Where the markup scan is (see markup_scan()). */
enum lex {
	LEX_TEXT,
	LEX_LT,		/* after '<' */
	LEX_BANG,	/* after "<!" */
	LEX_BANG_DASH,	/* after "<!-" */
	LEX_CDATA_OPEN, /* inside "<![CDATA[" */
	LEX_TAG,	/* a tag or declaration, outside quotes */
	LEX_QUOTE,	/* ... inside a quoted attribute value */
	LEX_PI,
	LEX_COMMENT,
	LEX_CDATA,
};

/* The child of the root being read. */
enum elem {
	ELEM_NONE,
	ELEM_PUBLISH,
	ELEM_WITHDRAW,
	ELEM_SNAPSHOT_REF, /* notification: <snapshot> */
	ELEM_DELTA_REF,	   /* notification: <delta> */
};

struct uriset {
	unsigned char *keys; /* slots * URISET_KEY_LEN; all zero is empty */
	size_t slots;	     /* a power of two, at least twice count */
	size_t count;
	unsigned char secret[32];
	EVP_MD_CTX *md;
};

struct rrdp_stream {
	char *uri; /* the file, for logs */
	enum doc doc;
	char session_id[UUID_LEN + 1]; /* snapshot, delta: expected */
	uint64_t serial;
	struct rrdp_handler h;

	xmlParserCtxtPtr xml;
	EVP_MD_CTX *md; /* SHA-256 of every byte fed */
	size_t bom;	/* bytes of a leading UTF-8 BOM matched so far */
	bool bom_done;	/* past the place where a BOM could be */
	bool failed;	/* logged, or a handler said stop */
	bool finished;

	enum lex lex;
	size_t lex_len; /* bytes of the current markup so far */
	size_t lex_k;	/* bytes of an opener or closer matched */
	unsigned char lex_quote;

	int depth;
	bool root_done;
	size_t white; /* whitespace since the last tag */

	enum elem elem;
	char elem_uri[MAX_URI_LENGTH + 1];
	unsigned char elem_hash[HASH_LEN];
	bool elem_has_hash;

	EVP_ENCODE_CTX *b64;
	bool b64_end; /* padding seen: only whitespace may follow */
	unsigned char *obj;
	size_t obj_len, obj_cap;

	struct uriset seen; /* snapshot, delta: the URIs named so far */

	struct rrdp_notification *n; /* notification: being filled */
	size_t deltas_cap;
	bool have_snapshot;
};

/* An attribute the element may carry, and where the parser found it. */
struct attr {
	const char *name;
	const char *value; /* not NUL-terminated; NULL if absent */
	size_t len;
};

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void
xml_init(void)
{
	/* Not thread-safe on first use in libxml2 2.9, hence the once. */
	xmlInitParser();
}

/* str, len bytes of it, made fit for a log line: printable ASCII, cut. */
static const char *
quote(const void *str, size_t len, char buf[LOG_QUOTE_MAX])
{
	const unsigned char *p = str;
	size_t i, n = 0;

	for (i = 0; i < len && n < LOG_QUOTE_MAX - 4; i++)
		buf[n++] = p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '?';
	if (i < len) {
		memcpy(buf + n, "...", 3);
		n += 3;
	}
	buf[n] = '\0';
	return buf;
}

static void
stop(struct rrdp_stream *s)
{
	s->failed = true;
	if (s->xml != NULL)
		xmlStopParser(s->xml);
}

/*
 * Logs the file's URI and the rule it broke, once, and stops the parser.
 * Callers return at once: libxml2's pointers are no longer valid.
 */
static void __attribute__((format(printf, 2, 3)))
fail(struct rrdp_stream *s, const char *fmt, ...)
{
	char msg[2 * MAX_URI_LENGTH];
	va_list ap;

	if (s->failed)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_warnx("%s: %s", s->uri, msg);
	stop(s);
}

static bool
is_xml_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* RFC 4122 s.3 (either case on input), written out in lower case. */
static bool
uuid_parse(const char *v, size_t len, char out[UUID_LEN + 1])
{
	size_t i;

	if (len != UUID_LEN)
		return false;
	for (i = 0; i < UUID_LEN; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (v[i] != '-')
				return false;
			out[i] = '-';
		} else if (OPENSSL_hexchar2int((unsigned char)v[i]) < 0)
			return false;
		else
			out[i] = "0123456789abcdef"[OPENSSL_hexchar2int(
			    (unsigned char)v[i])];
	}
	out[UUID_LEN] = '\0';
	return true;
}

/*
 * RFC 8182 s.3.5.1.3: a positive integer in decimal. No sign, no leading
 * zero (one number, one spelling), and at most 2^64 - 1, all we can hold.
 */
static bool
serial_parse(const char *v, size_t len, uint64_t *out)
{
	uint64_t n = 0;
	size_t i;

	if (len == 0 || len > SERIAL_MAX_DIGITS || v[0] == '0')
		return false;
	for (i = 0; i < len; i++) {
		unsigned d = (unsigned char)v[i] - '0';

		if (d > 9 || n > (UINT64_MAX - d) / 10)
			return false;
		n = n * 10 + d;
	}
	*out = n;
	return true;
}

/* RFC 8182 s.3.5.1.3: the SHA-256 hash as 64 hexadecimal digits. */
static bool
hash_parse(const char *v, size_t len, unsigned char out[HASH_LEN])
{
	size_t i;

	if (len != HASH_HEX_LEN)
		return false;
	for (i = 0; i < HASH_LEN; i++) {
		int hi = OPENSSL_hexchar2int((unsigned char)v[2 * i]);
		int lo = OPENSSL_hexchar2int((unsigned char)v[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return false;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return true;
}

/*
 * The origin of an https URI (RFC 6454 s.4): host and port, the port 443
 * when absent or empty (RFC 3986 s.6.2.3). False if it is not https, has
 * no host, carries user information or has a bad port.
 */
static bool
https_origin(const char *uri, const char **host, size_t *hostlen,
	     unsigned long *port)
{
	const char *a, *end, *p;

	if (strncasecmp(uri, "https://", 8) != 0)
		return false;
	a = uri + 8;
	end = a + strcspn(a, "/?#");
	if (memchr(a, '@', (size_t)(end - a)) != NULL)
		return false;
	if (*a == '[') {
		if ((p = memchr(a, ']', (size_t)(end - a))) == NULL)
			return false;
		p++;
		if (p != end && *p != ':')
			return false;
	} else if ((p = memchr(a, ':', (size_t)(end - a))) == NULL)
		p = end;
	*host = a;
	*hostlen = (size_t)(p - a);
	if (*hostlen == 0)
		return false;
	*port = 443;
	if (p == end || p + 1 == end)
		return true;
	*port = 0;
	for (p++; p < end; p++) {
		if (*p < '0' || *p > '9')
			return false;
		*port = *port * 10 + (unsigned long)(*p - '0');
		if (*port > 65535)
			return false;
	}
	return true;
}

bool
rrdp_same_origin(const char *a, const char *b)
{
	const char *ha, *hb;
	size_t la, lb;
	unsigned long pa, pb;

	if (a == NULL || b == NULL || !https_origin(a, &ha, &la, &pa) ||
	    !https_origin(b, &hb, &lb, &pb))
		return false;
	return la == lb && strncasecmp(ha, hb, la) == 0 && pa == pb;
}

/* Printable ASCII only: no space, no control character, nothing above. */
static bool
printable(const char *v, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((unsigned char)v[i] <= 0x20 || (unsigned char)v[i] >= 0x7f)
			return false;
	return true;
}

/* mirror.c's authority rule: [A-Za-z0-9.-]+ not all dots, :port optional. */
static bool
authority_ok(const char *a, size_t len)
{
	const char *colon = memchr(a, ':', len);
	size_t i, host = colon != NULL ? (size_t)(colon - a) : len;
	bool all_dots = true;

	if (host == 0)
		return false;
	for (i = 0; i < host; i++) {
		if (!((a[i] >= 'a' && a[i] <= 'z') ||
		      (a[i] >= 'A' && a[i] <= 'Z') ||
		      (a[i] >= '0' && a[i] <= '9') || a[i] == '.' ||
		      a[i] == '-'))
			return false;
		all_dots = all_dots && a[i] == '.';
	}
	/* A host of only dots would name "." or ".." in the cache. */
	if (all_dots)
		return false;
	if (host == len)
		return true;
	if (host + 1 == len)
		return false;
	for (i = host + 1; i < len; i++)
		if (a[i] < '0' || a[i] > '9')
			return false;
	return true;
}

/*
 * What is wrong with the object URI u of a publish or withdraw, or NULL.
 * It names a file in the cache (rp/store.c), so it is held to the rules of
 * mirror_path(), checked here to log one line that names the RRDP file:
 * rsync://authority/path (RFC 8182 s.3.5.2.3), printable ASCII, no '\',
 * and no empty, "." or ".." segment that could climb out of the tree.
 * '%' is refused outright: no RPKI name needs an escape (RFC 9286 s.4.2.2
 * names are [a-zA-Z0-9_-]+.ext, directory names are the CAs' own), and a
 * URI with one spelling per object is what the duplicate check of a
 * snapshot and the hash checks of a delta rely on; "%2e%2e" can then
 * never turn into ".." in some later decoding either.
 */
static const char *
rsync_uri_problem(const char *u, size_t len)
{
	const char *p, *end = u + len, *seg;
	size_t seglen;

	if (!printable(u, len))
		return "has a character that is not printable ASCII";
	if (memchr(u, '\\', len) != NULL)
		return "has a '\\'";
	if (memchr(u, '%', len) != NULL)
		return "has a '%' escape";
	if (len < 8 || strncmp(u, "rsync://", 8) != 0)
		return "is not an rsync:// URI";
	if ((p = memchr(u + 8, '/', len - 8)) == NULL ||
	    !authority_ok(u + 8, (size_t)(p - (u + 8))))
		return "has a bad host";
	for (seg = p + 1;; seg = p + 1) {
		p = memchr(seg, '/', (size_t)(end - seg));
		seglen = (size_t)((p != NULL ? p : end) - seg);
		if (seglen == 0)
			return "has an empty path segment";
		if ((seglen == 1 && seg[0] == '.') ||
		    (seglen == 2 && seg[0] == '.' && seg[1] == '.'))
			return "has a \".\" or \"..\" path segment";
		if (p == NULL)
			return NULL;
	}
}

static bool
uriset_init(struct uriset *set)
{
	set->slots = URISET_MIN_SLOTS;
	set->count = 0;
	set->keys = calloc(set->slots, URISET_KEY_LEN);
	set->md = EVP_MD_CTX_new();
	return set->keys != NULL && set->md != NULL &&
	    RAND_bytes(set->secret, sizeof(set->secret)) == 1;
}

static void
uriset_free(struct uriset *set)
{
	free(set->keys);
	EVP_MD_CTX_free(set->md);
}

static size_t
uriset_slot(const struct uriset *set, const unsigned char *key)
{
	uint64_t h;

	memcpy(&h, key + URISET_KEY_LEN - sizeof(h), sizeof(h));
	return (size_t)h & (set->slots - 1);
}

/* Places key, known to be absent, into keys of slots entries. */
static void
uriset_place(const struct uriset *set, unsigned char *keys,
	     const unsigned char *key)
{
	static const unsigned char empty[URISET_KEY_LEN];
	size_t i = uriset_slot(set, key);

	while (memcmp(keys + i * URISET_KEY_LEN, empty, URISET_KEY_LEN) != 0)
		i = (i + 1) & (set->slots - 1);
	memcpy(keys + i * URISET_KEY_LEN, key, URISET_KEY_LEN);
}

static bool
uriset_grow(struct uriset *set)
{
	static const unsigned char empty[URISET_KEY_LEN];
	unsigned char *old = set->keys, *keys;
	size_t i, oldslots = set->slots;

	if ((keys = calloc(oldslots * 2, URISET_KEY_LEN)) == NULL)
		return false;
	set->keys = keys;
	set->slots = oldslots * 2;
	for (i = 0; i < oldslots; i++)
		if (memcmp(old + i * URISET_KEY_LEN, empty, URISET_KEY_LEN) !=
		    0)
			uriset_place(set, keys, old + i * URISET_KEY_LEN);
	free(old);
	return true;
}

/* 1 if uri was added, 0 if it was there already, -1 on a failure. */
static int
uriset_add(struct uriset *set, const char *uri)
{
	static const unsigned char empty[URISET_KEY_LEN];
	unsigned char digest[EVP_MAX_MD_SIZE], *slot;
	unsigned int dlen;
	size_t i;

	if (EVP_DigestInit_ex(set->md, EVP_sha256(), NULL) != 1 ||
	    EVP_DigestUpdate(set->md, set->secret, sizeof(set->secret)) != 1 ||
	    EVP_DigestUpdate(set->md, uri, strlen(uri)) != 1 ||
	    EVP_DigestFinal_ex(set->md, digest, &dlen) != 1)
		return -1;
	digest[0] |= 1; /* so that no key is all zero, the empty slot */
	for (i = uriset_slot(set, digest);; i = (i + 1) & (set->slots - 1)) {
		slot = set->keys + i * URISET_KEY_LEN;
		if (memcmp(slot, empty, URISET_KEY_LEN) == 0)
			break;
		if (memcmp(slot, digest, URISET_KEY_LEN) == 0)
			return 0;
	}
	/* Keep the table at most half full, so probes stay short. */
	if ((set->count + 1) * 2 > set->slots) {
		if (!uriset_grow(set))
			return -1;
		uriset_place(set, set->keys, digest);
	} else
		memcpy(slot, digest, URISET_KEY_LEN);
	set->count++;
	return 1;
}

/*
 * Finds the attributes named in want among the element's; any other, or
 * one in a namespace, is refused, and so is a value longer than the
 * longest RRDP attribute (a URI) can be.
 */
static bool
attrs_read(struct rrdp_stream *s, const char *elem, int nb,
	   const xmlChar **attrs, struct attr *want, size_t nwant)
{
	char buf[LOG_QUOTE_MAX];
	size_t i, j;

	for (i = 0; i < nwant; i++)
		want[i].value = NULL;
	for (i = 0; i < (size_t)nb; i++) {
		/* Five pointers each: name, prefix, URI, value, value end. */
		const xmlChar **a = attrs + 5 * i;
		const char *name = (const char *)a[0];
		size_t len = (size_t)(a[4] - a[3]);

		if (len > MAX_URI_LENGTH) {
			fail(s, "attribute %s of <%s> is longer than %d bytes",
			     quote(name, strlen(name), buf), elem,
			     MAX_URI_LENGTH);
			return false;
		}
		for (j = 0; j < nwant; j++)
			if (a[2] == NULL && strcmp(name, want[j].name) == 0)
				break;
		if (j == nwant) {
			fail(s, "unknown attribute %s%s%s of <%s> (%s)",
			     a[1] != NULL ? (const char *)a[1] : "",
			     a[1] != NULL ? ":" : "",
			     quote(name, strlen(name), buf), elem,
			     doc_rfc[s->doc]);
			return false;
		}
		want[j].value = (const char *)a[3];
		want[j].len = len;
	}
	return true;
}

/* The attributes of want[0..n) must all be there. */
static bool
attrs_required(struct rrdp_stream *s, const char *elem, const struct attr *want,
	       size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (want[i].value == NULL) {
			fail(s, "<%s> has no %s attribute (%s)", elem,
			     want[i].name, doc_rfc[s->doc]);
			return false;
		}
	}
	return true;
}

static bool
attr_uuid(struct rrdp_stream *s, const struct attr *a, char out[UUID_LEN + 1])
{
	char buf[LOG_QUOTE_MAX];

	if (uuid_parse(a->value, a->len, out))
		return true;
	fail(s, "session_id \"%s\" is not a UUID (%s, RFC 4122 s.3)",
	     quote(a->value, a->len, buf), doc_rfc[s->doc]);
	return false;
}

static bool
attr_serial(struct rrdp_stream *s, const struct attr *a, uint64_t *out)
{
	char buf[LOG_QUOTE_MAX];

	if (serial_parse(a->value, a->len, out))
		return true;
	fail(s,
	     "serial \"%s\" is not a positive decimal below 2^64 without "
	     "sign or leading zero (%s)",
	     quote(a->value, a->len, buf), doc_rfc[s->doc]);
	return false;
}

static bool
attr_hash(struct rrdp_stream *s, const char *elem, const struct attr *a,
	  unsigned char out[HASH_LEN])
{
	char buf[LOG_QUOTE_MAX];

	if (hash_parse(a->value, a->len, out))
		return true;
	fail(s, "hash \"%s\" of <%s> is not 64 hexadecimal digits (%s)",
	     quote(a->value, a->len, buf), elem, doc_rfc[s->doc]);
	return false;
}

/*
 * Copies an attribute value into out (len + 1 bytes), NUL-terminated, and
 * returns its length. libxml2 2.9, not substituting entities, hands a '&'
 * (written "&amp;" or "&#38;") to SAX2 as "&#38;"; any other '&' in a
 * value would be an entity reference, which on_get_entity() refuses. So
 * "&#38;" always stands for '&' here, and is put back.
 */
static size_t
attr_copy(const struct attr *a, char *out)
{
	static const char amp[] = "&#38;";
	size_t i, n = 0;

	for (i = 0; i < a->len; i++) {
		out[n++] = a->value[i];
		if (a->value[i] == '&' && a->len - i >= strlen(amp) &&
		    memcmp(a->value + i, amp, strlen(amp)) == 0)
			i += strlen(amp) - 1;
	}
	out[n] = '\0';
	return n;
}

static char *
attr_https_uri(struct rrdp_stream *s, const char *elem, const struct attr *a)
{
	char buf[LOG_QUOTE_MAX], *uri;
	const char *host;
	size_t len, hostlen;
	unsigned long port;

	if ((uri = malloc(a->len + 1)) == NULL) {
		fail(s, "out of memory");
		return NULL;
	}
	len = attr_copy(a, uri);
	/* RFC 8182 s.3.5.1.3: the files are fetched over https. */
	if (!printable(uri, len) ||
	    !https_origin(uri, &host, &hostlen, &port)) {
		fail(s, "uri \"%s\" of <%s> is not an https URI (%s)",
		     quote(a->value, a->len, buf), elem, doc_rfc[s->doc]);
		free(uri);
		return NULL;
	}
	return uri;
}

/* Checks an object URI and keeps it in s->elem_uri. */
static bool
attr_rsync_uri(struct rrdp_stream *s, const char *elem, const struct attr *a)
{
	char buf[LOG_QUOTE_MAX];
	const char *why;
	size_t len;

	/* attrs_read() let no value longer than MAX_URI_LENGTH through. */
	len = attr_copy(a, s->elem_uri);
	if ((why = rsync_uri_problem(s->elem_uri, len)) != NULL) {
		fail(s, "uri \"%s\" of <%s> %s (%s, doc/DESIGN.md Safety)",
		     quote(a->value, a->len, buf), elem, why, doc_rfc[s->doc]);
		return false;
	}
	return true;
}

static void
root_start(struct rrdp_stream *s, const char *name, int nb,
	   const xmlChar **attrs)
{
	struct attr a[] = {{.name = "version"},
			   {.name = "session_id"},
			   {.name = "serial"}};
	char session_id[UUID_LEN + 1], buf[LOG_QUOTE_MAX];
	uint64_t serial;

	if (strcmp(name, doc_root[s->doc]) != 0) {
		fail(s, "the root element is <%s>, not <%s> (%s)",
		     quote(name, strlen(name), buf), doc_root[s->doc],
		     doc_rfc[s->doc]);
		return;
	}
	if (!attrs_read(s, name, nb, attrs, a, 3) ||
	    !attrs_required(s, name, a, 3))
		return;
	if (a[0].len != strlen(RRDP_VERSION) ||
	    memcmp(a[0].value, RRDP_VERSION, a[0].len) != 0) {
		fail(s, "version \"%s\" is not " RRDP_VERSION " (%s)",
		     quote(a[0].value, a[0].len, buf), doc_rfc[s->doc]);
		return;
	}
	if (!attr_uuid(s, &a[1], session_id) || !attr_serial(s, &a[2], &serial))
		return;
	if (s->doc == DOC_NOTIFICATION) {
		memcpy(s->n->session_id, session_id, sizeof(session_id));
		s->n->serial = serial;
		return;
	}
	/* The file must be the one the notification named. */
	if (strcmp(session_id, s->session_id) != 0) {
		fail(s, "session_id %s is not the notification's %s (%s)",
		     session_id, s->session_id, doc_rfc[s->doc]);
		return;
	}
	if (serial != s->serial)
		fail(s, "serial %llu is not the notification's %llu (%s)",
		     (unsigned long long)serial, (unsigned long long)s->serial,
		     doc_rfc[s->doc]);
}

static void
notification_snapshot(struct rrdp_stream *s, int nb, const xmlChar **attrs)
{
	struct attr a[] = {{.name = "uri"}, {.name = "hash"}};

	if (s->have_snapshot) {
		fail(s, "more than one <snapshot> (%s)", doc_rfc[s->doc]);
		return;
	}
	if (!attrs_read(s, "snapshot", nb, attrs, a, 2) ||
	    !attrs_required(s, "snapshot", a, 2) ||
	    !attr_hash(s, "snapshot", &a[1], s->n->snapshot_hash) ||
	    (s->n->snapshot_uri = attr_https_uri(s, "snapshot", &a[0])) == NULL)
		return;
	s->have_snapshot = true;
	s->elem = ELEM_SNAPSHOT_REF;
}

static void
notification_delta(struct rrdp_stream *s, int nb, const xmlChar **attrs)
{
	struct attr a[] = {{.name = "serial"},
			   {.name = "uri"},
			   {.name = "hash"}};
	struct rrdp_notification *n = s->n;
	struct rrdp_delta_ref d;

	if (!attrs_read(s, "delta", nb, attrs, a, 3) ||
	    !attrs_required(s, "delta", a, 3) ||
	    !attr_serial(s, &a[0], &d.serial) ||
	    !attr_hash(s, "delta", &a[2], d.hash))
		return;
	/* The file size bounds the count: a delta element is > 100 bytes. */
	if (n->num_deltas == s->deltas_cap) {
		size_t cap = s->deltas_cap ? s->deltas_cap * 2 : 16;
		struct rrdp_delta_ref *p;

		if ((p = reallocarray(n->deltas, cap, sizeof(*p))) == NULL) {
			fail(s, "out of memory");
			return;
		}
		n->deltas = p;
		s->deltas_cap = cap;
	}
	if ((d.uri = attr_https_uri(s, "delta", &a[1])) == NULL)
		return;
	n->deltas[n->num_deltas++] = d;
	s->elem = ELEM_DELTA_REF;
}

/*
 * The object URI just read (s->elem_uri) must be the first element of the
 * file for that URI. A snapshot that publishes one URI twice, or a delta
 * that names one twice (two publishes, a withdraw and a publish), leaves
 * the object to the order of the elements: one order may apply where the
 * other is refused, or apply other content. The whole file is refused
 * instead, whatever the order; for a delta, the caller falls back to the
 * snapshot. A delta may name each object the repository holds and each
 * it adds, so it is allowed twice the objects of a repository.
 */
static bool
uri_once(struct rrdp_stream *s)
{
	size_t max = rp_limits.repo_objects;
	int added;

	if (s->doc == DOC_DELTA)
		max = max > SIZE_MAX / 2 ? SIZE_MAX : 2 * max;
	if (s->seen.count >= max) {
		fail(s, "more than %zu objects in the %s", max,
		     doc_root[s->doc]);
		return false;
	}
	if ((added = uriset_add(&s->seen, s->elem_uri)) < 0) {
		fail(s, "out of memory");
		return false;
	}
	if (added == 0) {
		if (s->doc == DOC_SNAPSHOT)
			fail(s, "%s is published twice (%s)", s->elem_uri,
			     doc_rfc[s->doc]);
		else
			fail(s,
			     "%s is named twice, so its object would depend on "
			     "the order of the elements (%s)",
			     s->elem_uri, doc_rfc[s->doc]);
		return false;
	}
	return true;
}

static void
publish_start(struct rrdp_stream *s, int nb, const xmlChar **attrs)
{
	struct attr a[] = {{.name = "uri"}, {.name = "hash"}};

	if (!attrs_read(s, "publish", nb, attrs, a, 2) ||
	    !attrs_required(s, "publish", a, 1))
		return;
	/* A snapshot holds every object whole; nothing is replaced. */
	if (s->doc == DOC_SNAPSHOT && a[1].value != NULL) {
		fail(s, "<publish> with a hash attribute in a snapshot (%s)",
		     doc_rfc[s->doc]);
		return;
	}
	if (!attr_rsync_uri(s, "publish", &a[0]))
		return;
	s->elem_has_hash = a[1].value != NULL;
	if (s->elem_has_hash && !attr_hash(s, "publish", &a[1], s->elem_hash))
		return;
	if (!uri_once(s))
		return;
	EVP_DecodeInit(s->b64);
	s->b64_end = false;
	s->obj_len = 0;
	s->elem = ELEM_PUBLISH;
}

static void
withdraw_start(struct rrdp_stream *s, int nb, const xmlChar **attrs)
{
	struct attr a[] = {{.name = "uri"}, {.name = "hash"}};

	if (!attrs_read(s, "withdraw", nb, attrs, a, 2) ||
	    !attrs_required(s, "withdraw", a, 2) ||
	    !attr_rsync_uri(s, "withdraw", &a[0]) ||
	    !attr_hash(s, "withdraw", &a[1], s->elem_hash) || !uri_once(s))
		return;
	s->elem = ELEM_WITHDRAW;
}

static void
child_start(struct rrdp_stream *s, const char *name, int nb,
	    const xmlChar **attrs)
{
	char buf[LOG_QUOTE_MAX];

	if (s->doc == DOC_NOTIFICATION && strcmp(name, "snapshot") == 0)
		notification_snapshot(s, nb, attrs);
	else if (s->doc == DOC_NOTIFICATION && strcmp(name, "delta") == 0)
		notification_delta(s, nb, attrs);
	else if (s->doc != DOC_NOTIFICATION && strcmp(name, "publish") == 0)
		publish_start(s, nb, attrs);
	else if (s->doc == DOC_DELTA && strcmp(name, "withdraw") == 0)
		withdraw_start(s, nb, attrs);
	else
		fail(s, "unknown element <%s> in <%s> (%s)",
		     quote(name, strlen(name), buf), doc_root[s->doc],
		     doc_rfc[s->doc]);
}

static void
on_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
	 const xmlChar *ns, int nb_namespaces, const xmlChar **namespaces,
	 int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
	struct rrdp_stream *s = ctx;
	const char *name = (const char *)localname;
	char buf[LOG_QUOTE_MAX], nsbuf[LOG_QUOTE_MAX];

	(void)prefix;
	(void)nb_namespaces;
	(void)namespaces;
	(void)nb_defaulted; /* always 0: there is no DTD to default from */
	if (s->failed)
		return;
	s->white = 0;
	if (++s->depth > MAX_RRDP_DEPTH) {
		fail(s, "<%s> is nested deeper than %d elements (%s)",
		     quote(name, strlen(name), buf), MAX_RRDP_DEPTH,
		     "RFC 8182 s.3.5.4");
		return;
	}
	if (ns == NULL || strcmp((const char *)ns, RRDP_NS) != 0) {
		fail(s, "<%s> is in namespace \"%s\", not " RRDP_NS " (%s)",
		     quote(name, strlen(name), buf),
		     ns != NULL ? quote(ns, strlen((const char *)ns), nsbuf)
				: "",
		     "RFC 8182 s.3.5.4");
		return;
	}
	if (s->depth == 1)
		root_start(s, name, nb_attributes, attributes);
	else
		child_start(s, name, nb_attributes, attributes);
}

/* Grows the object buffer to hold need bytes, need <= MAX_OBJECT_SIZE. */
static bool
obj_grow(struct rrdp_stream *s, size_t need)
{
	unsigned char *grown;
	size_t cap;

	for (cap = s->obj_cap ? s->obj_cap : OBJ_MIN_CAP; cap < need; cap *= 2)
		;
	if (cap > rp_limits.object_size)
		cap = rp_limits.object_size;
	if ((grown = realloc(s->obj, cap)) == NULL) {
		fail(s, "out of memory");
		return false;
	}
	s->obj = grown;
	s->obj_cap = cap;
	return true;
}

static bool
obj_append(struct rrdp_stream *s, const unsigned char *p, size_t len)
{
	if (len == 0)
		return true;
	/* Refused before one byte more is kept. */
	if (len > rp_limits.object_size - s->obj_len) {
		fail(s, "%s: object larger than %zu bytes", s->elem_uri,
		     rp_limits.object_size);
		return false;
	}
	if (s->obj_len + len > s->obj_cap && !obj_grow(s, s->obj_len + len))
		return false;
	memcpy(s->obj + s->obj_len, p, len);
	s->obj_len += len;
	return true;
}

static bool
is_b64(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '=';
}

static void
b64_malformed(struct rrdp_stream *s)
{
	fail(s,
	     "%s: malformed base64 in <publish> (RFC 8182 s.3.5.4, RFC 4648 "
	     "s.4)",
	     s->elem_uri);
}

/*
 * Decodes base64 text as it arrives. EVP_DecodeUpdate skips whitespace but
 * also treats '-' as the end of the data and forgets, between calls, that
 * padding was seen; so the characters are checked here first, and once
 * the padding is through, nothing but whitespace may follow.
 */
static void
b64_feed(struct rrdp_stream *s, const xmlChar *ch, int len)
{
	unsigned char out[B64_PIECE / 4 * 3 + 64];
	int i, n, outl, r;

	for (; len > 0; ch += n, len -= n) {
		n = len < B64_PIECE ? len : B64_PIECE;
		for (i = 0; i < n; i++) {
			if (is_xml_space(ch[i]))
				continue;
			if (!is_b64(ch[i]) || s->b64_end) {
				b64_malformed(s);
				return;
			}
		}
		if ((r = EVP_DecodeUpdate(s->b64, out, &outl, ch, n)) < 0) {
			b64_malformed(s);
			return;
		}
		if (r == 0)
			s->b64_end = true;
		if (!obj_append(s, out, (size_t)outl))
			return;
	}
}

static void
publish_end(struct rrdp_stream *s)
{
	unsigned char out[64];
	int outl = 0;

	if (EVP_DecodeFinal(s->b64, out, &outl) != 1) {
		b64_malformed(s);
		return;
	}
	if (!obj_append(s, out, (size_t)outl))
		return;
	if (!s->h.publish(s->h.arg, s->elem_uri,
			  s->elem_has_hash ? s->elem_hash : NULL,
			  s->obj != NULL ? s->obj : (const unsigned char *)"",
			  s->obj_len))
		stop(s); /* the handler has logged why */
}

static void
on_end(void *ctx, const xmlChar *localname, const xmlChar *prefix,
       const xmlChar *ns)
{
	struct rrdp_stream *s = ctx;

	(void)localname;
	(void)prefix;
	(void)ns;
	if (s->failed)
		return;
	s->white = 0;
	if (s->depth == 1)
		s->root_done = true;
	else if (s->elem == ELEM_PUBLISH)
		publish_end(s);
	else if (s->elem == ELEM_WITHDRAW &&
		 !s->h.withdraw(s->h.arg, s->elem_uri, s->elem_hash))
		stop(s); /* the handler has logged why */
	s->elem = ELEM_NONE;
	s->depth--;
}

/* Character data, CDATA sections (XML_PARSE_NOCDATA) and whitespace. */
static void
on_text(void *ctx, const xmlChar *ch, int len)
{
	struct rrdp_stream *s = ctx;
	int i;

	if (s->failed)
		return;
	if (s->elem == ELEM_PUBLISH) {
		b64_feed(s, ch, len);
		return;
	}
	for (i = 0; i < len; i++) {
		if (!is_xml_space(ch[i])) {
			fail(s, "text outside a <publish> element (%s)",
			     "RFC 8182 s.3.5.4");
			return;
		}
	}
	s->white += (size_t)len;
	if (s->white > MAX_RRDP_WHITESPACE)
		fail(s, "more than %d bytes of whitespace between two tags",
		     MAX_RRDP_WHITESPACE);
}

static void
on_dtd(void *ctx, const xmlChar *name, const xmlChar *external_id,
       const xmlChar *system_id)
{
	(void)name;
	(void)external_id;
	(void)system_id;
	fail(ctx,
	     "a DOCTYPE (DTD) is not allowed in RRDP (RFC 8182 s.3.5.4 "
	     "has none; doc/DESIGN.md Safety)");
}

static void
on_entity_decl(void *ctx, const xmlChar *name, int type,
	       const xmlChar *public_id, const xmlChar *system_id,
	       xmlChar *content)
{
	char buf[LOG_QUOTE_MAX];

	(void)type;
	(void)public_id;
	(void)system_id;
	(void)content;
	fail(ctx, "entity declaration %s is not allowed",
	     quote(name, strlen((const char *)name), buf));
}

/* Only for entities other than &lt; &gt; &amp; &quot; &apos;. */
static xmlEntityPtr
on_get_entity(void *ctx, const xmlChar *name)
{
	char buf[LOG_QUOTE_MAX];

	fail(ctx, "entity reference &%s; is not allowed",
	     quote(name, strlen((const char *)name), buf));
	return NULL;
}

static void
on_reference(void *ctx, const xmlChar *name)
{
	(void)on_get_entity(ctx, name);
}

/* libxml2's own errors; warnings are not errors in the file. */
static void
on_xml_error(void *ctx, xmlErrorPtr e)
{
	struct rrdp_stream *s = ctx;
	char buf[LOG_QUOTE_MAX];
	const char *msg;
	size_t len;

	if (e == NULL || e->level < XML_ERR_ERROR || s->failed)
		return;
	msg = e->message != NULL ? e->message : "unknown error";
	for (len = strlen(msg); len > 0 && is_xml_space(msg[len - 1]); len--)
		;
	fail(s, "not well-formed XML at line %d: %s", e->line,
	     quote(msg, len, buf));
}

/* Designated: the rest (comments, processing instructions) is ignored. */
static xmlSAXHandler rrdp_sax = {
    .internalSubset = on_dtd,
    .externalSubset = on_dtd,
    .entityDecl = on_entity_decl,
    .getEntity = on_get_entity,
    .getParameterEntity = on_get_entity,
    .reference = on_reference,
    .characters = on_text,
    .ignorableWhitespace = on_text,
    .cdataBlock = on_text,
    .startElementNs = on_start,
    .endElementNs = on_end,
    .serror = on_xml_error,
    .initialized = XML_SAX2_MAGIC,
};

/*
 * No network, no entity substitution (no XML_PARSE_NOENT), no DTD loading,
 * no XML_PARSE_HUGE. CDATA arrives as text. The declared encoding is
 * ignored: the file is read as UTF-8, of which US-ASCII, all that RRDP
 * needs, is a part.
 */
#define RRDP_XML_OPTIONS                                                       \
	(XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_IGNORE_ENC |          \
	 XML_PARSE_NOERROR | XML_PARSE_NOWARNING)

static struct rrdp_stream *
stream_create(const char *uri, enum doc doc)
{
	struct rrdp_stream *s;

	pthread_once(&xml_once, xml_init);
	if (uri == NULL)
		uri = "(no URI)";
	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (s->uri = strdup(uri)) == NULL)
		goto err;
	s->doc = doc;
	if ((s->md = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(s->md, EVP_sha256(), NULL) != 1)
		goto err;
	if (doc == DOC_NOTIFICATION) {
		if ((s->n = calloc(1, sizeof(*s->n))) == NULL)
			goto err;
	} else if ((s->b64 = EVP_ENCODE_CTX_new()) == NULL)
		goto err;
	if (doc != DOC_NOTIFICATION && !uriset_init(&s->seen))
		goto err;
	s->xml = xmlCreatePushParserCtxt(&rrdp_sax, s, NULL, 0, NULL);
	if (s->xml == NULL)
		goto err;
	xmlCtxtUseOptions(s->xml, RRDP_XML_OPTIONS);
	/* No guessing UTF-16 or EBCDIC from the first bytes either. */
	if (xmlSwitchEncoding(s->xml, XML_CHAR_ENCODING_UTF8) != 0)
		goto err;
	return s;
err:
	log_warnx("%s: cannot start the RRDP parser: out of memory", uri);
	rrdp_stream_free(s);
	return NULL;
}

struct rrdp_stream *
rrdp_stream_new(const char *uri, enum rrdp_file kind, const char *session_id,
		uint64_t serial, const struct rrdp_handler *h)
{
	struct rrdp_stream *s;
	char sid[UUID_LEN + 1];

	if (uri == NULL)
		uri = "(no URI)";
	if ((kind != RRDP_SNAPSHOT && kind != RRDP_DELTA) || h == NULL ||
	    h->publish == NULL || h->withdraw == NULL || session_id == NULL ||
	    !uuid_parse(session_id, strlen(session_id), sid) || serial == 0) {
		log_warnx("%s: bad arguments for an RRDP parser", uri);
		return NULL;
	}
	s = stream_create(uri,
			  kind == RRDP_SNAPSHOT ? DOC_SNAPSHOT : DOC_DELTA);
	if (s == NULL)
		return NULL;
	memcpy(s->session_id, sid, sizeof(sid));
	s->serial = serial;
	s->h = *h;
	return s;
}

static void
lex_tag(struct rrdp_stream *s, unsigned char c)
{
	s->lex = LEX_TAG;
	if (c == '"' || c == '\'') {
		s->lex = LEX_QUOTE;
		s->lex_quote = c;
	} else if (c == '>')
		s->lex = LEX_TEXT;
}

/*
 * How many of the n bytes at p keep every tag, comment and processing
 * instruction within MAX_RRDP_MARKUP bytes: n if all do. A scan of the raw
 * bytes, before libxml2 buffers them, that follows just enough of XML 1.0
 * (s.2.5-2.8, s.3.1) to find where markup ends: quoted attribute values
 * may hold '>', comments end at "-->", processing instructions at "?>",
 * CDATA sections (streamed by libxml2, so not counted) at "]]>". For
 * well-formed XML it never errs; anything else libxml2 refuses anyway.
 */
static size_t
markup_scan(struct rrdp_stream *s, const unsigned char *p, size_t n)
{
	static const char cdata[] = "[CDATA[";
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = p[i];

		if (s->lex == LEX_TEXT) {
			if (c == '<') {
				s->lex = LEX_LT;
				s->lex_len = 1;
			}
			continue;
		}
		if (s->lex == LEX_CDATA) {
			if (c == '>' && s->lex_k >= 2)
				s->lex = LEX_TEXT;
			s->lex_k = c == ']' ? s->lex_k + 1 : 0;
			continue;
		}
		if (++s->lex_len > rp_limits.xml_markup)
			return i;
		switch (s->lex) {
		case LEX_LT:
			if (c == '!')
				s->lex = LEX_BANG;
			else if (c == '?') {
				s->lex = LEX_PI;
				s->lex_k = 0;
			} else
				lex_tag(s, c);
			break;
		case LEX_BANG:
			if (c == '-')
				s->lex = LEX_BANG_DASH;
			else if (c == '[') {
				s->lex = LEX_CDATA_OPEN;
				s->lex_k = 1;
			} else
				lex_tag(s, c);
			break;
		case LEX_BANG_DASH:
			if (c == '-') {
				s->lex = LEX_COMMENT;
				s->lex_k = 0;
			} else
				lex_tag(s, c);
			break;
		case LEX_CDATA_OPEN:
			if (c != (unsigned char)cdata[s->lex_k])
				lex_tag(s, c);
			else if (++s->lex_k == strlen(cdata)) {
				s->lex = LEX_CDATA;
				s->lex_k = 0;
			}
			break;
		case LEX_COMMENT:
			if (c == '>' && s->lex_k >= 2)
				s->lex = LEX_TEXT;
			s->lex_k = c == '-' ? s->lex_k + 1 : 0;
			break;
		case LEX_PI:
			if (c == '>' && s->lex_k > 0)
				s->lex = LEX_TEXT;
			s->lex_k = c == '?';
			break;
		case LEX_QUOTE:
			if (c == s->lex_quote)
				s->lex = LEX_TAG;
			break;
		default:
			lex_tag(s, c);
			break;
		}
	}
	return n;
}

static bool
parse(struct rrdp_stream *s, const unsigned char *p, size_t len)
{
	size_t n, ok;

	for (; len > 0 && !s->failed; p += n, len -= n) {
		n = len < FEED_PIECE ? len : FEED_PIECE;
		ok = markup_scan(s, p, n);
		/* Errors come through on_xml_error(); this is a backstop. */
		if (ok > 0 &&
		    xmlParseChunk(s->xml, (const char *)p, (int)ok, 0) != 0 &&
		    !s->xml->wellFormed)
			fail(s, "not well-formed XML");
		if (ok < n)
			fail(s,
			     "a tag, comment or processing instruction longer "
			     "than %zu bytes",
			     rp_limits.xml_markup);
	}
	return !s->failed;
}

bool
rrdp_stream_feed(struct rrdp_stream *s, const void *buf, size_t len)
{
	const unsigned char *p = buf;

	if (s->failed || s->finished)
		return false;
	if (EVP_DigestUpdate(s->md, p, len) != 1) {
		fail(s, "cannot hash the file");
		return false;
	}
	/* A UTF-8 BOM is hashed but kept from libxml2, which reads UTF-8. */
	while (!s->bom_done && len > 0) {
		if (*p == UTF8_BOM[s->bom]) {
			p++;
			len--;
			s->bom_done = ++s->bom == sizeof(UTF8_BOM);
			continue;
		}
		s->bom_done = true;
		if (!parse(s, UTF8_BOM, s->bom))
			return false;
	}
	return parse(s, p, len);
}

bool
rrdp_stream_finish(struct rrdp_stream *s, unsigned char sha256[32])
{
	unsigned int len;

	if (s->failed || s->finished)
		return false;
	s->finished = true;
	/*
	 * libxml2 parses a tag as soon as its '>' has arrived, so with every
	 * byte fed the root is closed unless the file is cut short. Checked
	 * before the last parse, which would make what it can of a partial
	 * tag at the end and complain about that instead.
	 */
	if (!s->root_done) {
		fail(s,
		     "the file ends before its root element is closed "
		     "(truncated)");
		return false;
	}
	/* Anything after the root but whitespace, comments and PIs. */
	xmlParseChunk(s->xml, NULL, 0, 1);
	if (!s->failed && !s->xml->wellFormed)
		fail(s, "not well-formed XML after the root element");
	if (s->failed)
		return false;
	if (EVP_DigestFinal_ex(s->md, sha256, &len) != 1 || len != 32) {
		fail(s, "cannot hash the file");
		return false;
	}
	return true;
}

void
rrdp_stream_free(struct rrdp_stream *s)
{
	if (s == NULL)
		return;
	if (s->xml != NULL)
		xmlFreeParserCtxt(s->xml);
	EVP_MD_CTX_free(s->md);
	EVP_ENCODE_CTX_free(s->b64);
	free(s->obj);
	if (s->doc != DOC_NOTIFICATION)
		uriset_free(&s->seen);
	rrdp_notification_free(s->n);
	free(s->uri);
	free(s);
}

static int
delta_cmp(const void *a, const void *b)
{
	const struct rrdp_delta_ref *x = a, *y = b;

	return x->serial < y->serial ? -1 : x->serial > y->serial;
}

/* The rules that need the whole file: RFC 8182 s.3.5.1.3. */
static bool
notification_complete(struct rrdp_stream *s)
{
	struct rrdp_notification *n = s->n;
	size_t i;

	if (!s->have_snapshot) {
		fail(s, "no <snapshot> element (%s)", doc_rfc[s->doc]);
		return false;
	}
	if (n->num_deltas > 1)
		qsort(n->deltas, n->num_deltas, sizeof(*n->deltas), delta_cmp);
	for (i = 1; i < n->num_deltas; i++) {
		if (n->deltas[i].serial == n->deltas[i - 1].serial) {
			fail(s, "two deltas with serial %llu (%s)",
			     (unsigned long long)n->deltas[i].serial,
			     doc_rfc[s->doc]);
			return false;
		}
	}
	/* A delta leads to its serial; none can lead past the current one. */
	if (n->num_deltas > 0 &&
	    n->deltas[n->num_deltas - 1].serial > n->serial) {
		fail(s,
		     "delta serial %llu is above the notification's %llu (%s)",
		     (unsigned long long)n->deltas[n->num_deltas - 1].serial,
		     (unsigned long long)n->serial, doc_rfc[s->doc]);
		return false;
	}
	return true;
}

struct rrdp_notification *
rrdp_notification_parse(const char *uri, const unsigned char *xml, size_t len)
{
	struct rrdp_notification *n = NULL;
	struct rrdp_stream *s;
	unsigned char digest[32];

	if (len > rp_limits.notification_size) {
		log_warnx("%s: notification file of %zu bytes, more than "
			  "the %zu allowed",
			  uri, len, rp_limits.notification_size);
		return NULL;
	}
	if ((s = stream_create(uri, DOC_NOTIFICATION)) == NULL)
		return NULL;
	if (rrdp_stream_feed(s, xml, len) && rrdp_stream_finish(s, digest) &&
	    notification_complete(s)) {
		n = s->n;
		s->n = NULL;
	}
	rrdp_stream_free(s);
	return n;
}

const struct rrdp_delta_ref *
rrdp_notification_delta(const struct rrdp_notification *n, uint64_t serial)
{
	size_t lo = 0, hi = n->num_deltas;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (n->deltas[mid].serial == serial)
			return &n->deltas[mid];
		if (n->deltas[mid].serial < serial)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

void
rrdp_notification_free(struct rrdp_notification *n)
{
	size_t i;

	if (n == NULL)
		return;
	for (i = 0; i < n->num_deltas; i++)
		free(n->deltas[i].uri);
	free(n->deltas);
	free(n->snapshot_uri);
	free(n);
}
