/*
 * Loading a payload file: its first byte tells the format, and the file is
 * handed to vrpfile_json.c or vrpfile_csv.c. What both formats need is here:
 * the reader that hands out the file a chunk at a time, the messages, the
 * checks of each field and the adding to the set, with the file's limits.
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

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "rp/limits.h"
#include "vrpfile.h"
#include "vrpfile_parse.h"

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

/* Most characters of a bad value quoted in a message. */
#define VRPFILE_SHOW 48

/* "2001:db8::/128": the longest prefix text that can be right. */
#define VRPFILE_PREFIX_LEN (INET6_ADDRSTRLEN + sizeof("/128"))

bool
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
void
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
uint64_t
vrpfile_line_at(const struct vrpfile_in *in, uint64_t off)
{
	uint64_t n = off - in->off;

	return in->line + vrpfile_newlines(in->buf, n > in->len ? in->len : n);
}

/*
 * Drops all but the last keep bytes of the chunk (moving them to the front)
 * and reads more after them; at the end of the file nothing is added.
 */
bool
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

/* Space, tab or CR: around CSV fields, and before the format's first byte. */
bool
vrpfile_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r';
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

bool
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
bool
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
bool
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
bool
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
bool
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

bool
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

bool
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

/* The SKI as rpki-client writes it: 40 hex digits, either case. */
bool
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
		hi = OPENSSL_hexchar2int((unsigned char)s[2 * i]);
		lo = OPENSSL_hexchar2int((unsigned char)s[2 * i + 1]);
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
bool
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
		       (vrpfile_blank(in.buf[pos]) || in.buf[pos] == '\n'))
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
