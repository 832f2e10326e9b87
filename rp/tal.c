/*
 * Trust Anchor Locator parsing, RFC 8630 s.2.2:
 *
 *   an optional comment section: lines beginning with '#'
 *   a URI section: one or more lines, each an rsync or https URI
 *   an empty line
 *   the DER SubjectPublicKeyInfo in base64, possibly over several lines
 *
 * Lines end in LF or CRLF. Everything else is refused, with the line and the
 * rule in the log, because a TAL decides which keys the whole tree trusts.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "limits.h"
#include "log.h"
#include "tal.h"

/* RFC 7935 s.3: every RPKI CA key, the TA's included. */
#define TAL_RSA_BITS	 2048
#define TAL_RSA_EXPONENT 65537

enum tal_section {
	TAL_COMMENTS,
	TAL_URIS,
	TAL_KEY,
};

/* Parser state; fn is what log lines call the TAL (its path, or its name). */
struct tal_parser {
	const char *fn;
	size_t lineno;
	enum tal_section section;
	struct tal *tal;
	char *b64; /* key lines joined, line breaks removed */
	size_t b64_len;
	bool key_done; /* an empty line ended the key */
};

static bool
tal_name_valid(const char *name)
{
	size_t i, len = strlen(name);

	if (len == 0 || len > MAX_TAL_NAME_LENGTH)
		return false;
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return false;
	for (i = 0; i < len; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		      c == '-'))
			return false;
	}
	return true;
}

/*
 * A TA URI names one object, the TA certificate (RFC 8630 s.2.2). Its path is
 * later mapped into the local cache, so "." and ".." segments and anything
 * but printable ASCII are refused here, at the door.
 */
static bool
tal_uri_valid(struct tal_parser *p, const char *line, size_t len)
{
	const char *host, *path, *seg, *end = line + len;
	size_t i;

	if (len > MAX_URI_LENGTH) {
		log_warnx("tal: %s: line %zu: URI longer than %d bytes", p->fn,
			  p->lineno, MAX_URI_LENGTH);
		return false;
	}
	for (i = 0; i < len; i++) {
		if (line[i] <= 0x20 || line[i] >= 0x7f) {
			log_warnx("tal: %s: line %zu: URI contains whitespace, "
				  "a control character or non-ASCII (RFC 3986)",
				  p->fn, p->lineno);
			return false;
		}
	}
	if (memmem(line, len, "://", 3) == NULL) {
		log_warnx("tal: %s: line %zu: not a URI; the key must follow "
			  "an empty line (RFC 8630 s.2.2)",
			  p->fn, p->lineno);
		return false;
	}
	if (len > 8 && strncasecmp(line, "rsync://", 8) == 0)
		host = line + 8;
	else if (len > 8 && strncasecmp(line, "https://", 8) == 0)
		host = line + 8;
	else {
		log_warnx("tal: %s: line %zu: URI scheme must be rsync or "
			  "https (RFC 8630 s.2.2)",
			  p->fn, p->lineno);
		return false;
	}
	path = memchr(host, '/', end - host);
	if (path == NULL || path == host) {
		log_warnx("tal: %s: line %zu: URI has no host or no path "
			  "(RFC 8630 s.2.2)",
			  p->fn, p->lineno);
		return false;
	}
	for (seg = path + 1; seg < end;) {
		const char *next = memchr(seg, '/', end - seg);
		size_t seglen = (next != NULL ? next : end) - seg;

		if ((seglen == 1 && seg[0] == '.') ||
		    (seglen == 2 && seg[0] == '.' && seg[1] == '.')) {
			log_warnx("tal: %s: line %zu: URI has a '.' or '..' "
				  "path segment",
				  p->fn, p->lineno);
			return false;
		}
		if (next == NULL)
			break;
		seg = next + 1;
	}
	if (end - path < 6 || strncasecmp(end - 4, ".cer", 4) != 0) {
		log_warnx("tal: %s: line %zu: URI must name the TA "
			  "certificate, a .cer file (RFC 8630 s.2.2)",
			  p->fn, p->lineno);
		return false;
	}
	return true;
}

static bool
tal_add_uri(struct tal_parser *p, const char *line, size_t len)
{
	struct tal *tal = p->tal;
	char **uris;

	if (tal->num_uris >= MAX_TAL_URIS) {
		log_warnx("tal: %s: line %zu: more than %d URIs", p->fn,
			  p->lineno, MAX_TAL_URIS);
		return false;
	}
	if (!tal_uri_valid(p, line, len))
		return false;
	uris = reallocarray(tal->uris, tal->num_uris + 1, sizeof(*uris));
	if (uris == NULL) {
		log_warn("tal: %s", p->fn);
		return false;
	}
	tal->uris = uris;
	if ((uris[tal->num_uris] = strndup(line, len)) == NULL) {
		log_warn("tal: %s", p->fn);
		return false;
	}
	tal->num_uris++;
	return true;
}

/* RFC 4648 s.4 alphabet; '=' is checked for position once the key is whole. */
static bool
tal_b64_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '=';
}

static bool
tal_add_key_line(struct tal_parser *p, const char *line, size_t len)
{
	size_t i;

	if (p->key_done) {
		log_warnx("tal: %s: line %zu: empty line inside the key "
			  "(RFC 8630 s.2.2)",
			  p->fn, p->lineno);
		return false;
	}
	for (i = 0; i < len; i++) {
		if (!tal_b64_char(line[i])) {
			log_warnx("tal: %s: line %zu: key is not base64 "
				  "(RFC 8630 s.2.2, RFC 4648 s.4)",
				  p->fn, p->lineno);
			return false;
		}
	}
	/* b64 was sized for the whole input, so this cannot overflow. */
	memcpy(p->b64 + p->b64_len, line, len);
	p->b64_len += len;
	return true;
}

static bool
tal_line(struct tal_parser *p, const char *line, size_t len)
{
	switch (p->section) {
	case TAL_COMMENTS:
		if (len > 0 && line[0] == '#')
			return true;
		p->section = TAL_URIS;
		return tal_line(p, line, len);
	case TAL_URIS:
		if (len == 0) {
			if (p->tal->num_uris == 0) {
				log_warnx("tal: %s: line %zu: empty line "
					  "before any URI (RFC 8630 s.2.2)",
					  p->fn, p->lineno);
				return false;
			}
			p->section = TAL_KEY;
			return true;
		}
		if (line[0] == '#') {
			log_warnx("tal: %s: line %zu: comment after the first "
				  "URI (RFC 8630 s.2.2)",
				  p->fn, p->lineno);
			return false;
		}
		return tal_add_uri(p, line, len);
	case TAL_KEY:
		if (len == 0) {
			if (p->b64_len == 0) {
				log_warnx("tal: %s: line %zu: more than one "
					  "empty line before the key "
					  "(RFC 8630 s.2.2)",
					  p->fn, p->lineno);
				return false;
			}
			/* Only further empty lines may follow the key. */
			p->key_done = true;
			return true;
		}
		return tal_add_key_line(p, line, len);
	}
	return false;
}

/*
 * EVP_DecodeUpdate() skips whitespace and stops quietly at '-', so the text
 * is checked here first: whole quanta, padding only at the very end.
 */
static unsigned char *
tal_b64_decode(struct tal_parser *p, size_t *outlen)
{
	const char *s = p->b64;
	size_t i, len = p->b64_len;
	unsigned char *out;
	EVP_ENCODE_CTX *ctx;
	int n1, n2;

	if (len == 0) {
		log_warnx("tal: %s: no subjectPublicKeyInfo after the URIs "
			  "(RFC 8630 s.2.2)",
			  p->fn);
		return NULL;
	}
	if (len % 4 != 0 || len > INT_MAX)
		goto bad;
	for (i = 0; i < len; i++) {
		if (s[i] != '=')
			continue;
		if (i < len - 2 || (i == len - 2 && s[len - 1] != '='))
			goto bad;
	}

	if ((out = malloc(len / 4 * 3)) == NULL) {
		log_warn("tal: %s", p->fn);
		return NULL;
	}
	if ((ctx = EVP_ENCODE_CTX_new()) == NULL) {
		log_warnx("tal: %s: EVP_ENCODE_CTX_new failed", p->fn);
		free(out);
		return NULL;
	}
	EVP_DecodeInit(ctx);
	if (EVP_DecodeUpdate(ctx, out, &n1, (const unsigned char *)s,
			     (int)len) < 0 ||
	    EVP_DecodeFinal(ctx, out + n1, &n2) != 1) {
		EVP_ENCODE_CTX_free(ctx);
		free(out);
		goto bad;
	}
	EVP_ENCODE_CTX_free(ctx);
	*outlen = (size_t)n1 + (size_t)n2;
	return out;

bad:
	log_warnx("tal: %s: key is not valid base64 (RFC 8630 s.2.2, "
		  "RFC 4648 s.4)",
		  p->fn);
	return NULL;
}

/* RFC 7935 s.3: RSA, a 2048-bit modulus and the public exponent 65537. */
static bool
tal_key_profile_valid(struct tal_parser *p, EVP_PKEY *pkey)
{
	BIGNUM *e = NULL;
	bool ok;

	if (EVP_PKEY_get_base_id(pkey) != EVP_PKEY_RSA) {
		log_warnx("tal: %s: key is not an RSA key (RFC 7935 s.3)",
			  p->fn);
		return false;
	}
	if (EVP_PKEY_get_bits(pkey) != TAL_RSA_BITS) {
		log_warnx("tal: %s: RSA key has %d bits, not %d "
			  "(RFC 7935 s.3)",
			  p->fn, EVP_PKEY_get_bits(pkey), TAL_RSA_BITS);
		return false;
	}
	if (!EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_E, &e)) {
		log_warnx("tal: %s: cannot read the RSA exponent", p->fn);
		return false;
	}
	ok = BN_is_word(e, TAL_RSA_EXPONENT);
	BN_free(e);
	if (!ok) {
		log_warnx("tal: %s: RSA exponent is not %d (RFC 7935 s.3)",
			  p->fn, TAL_RSA_EXPONENT);
		return false;
	}
	return true;
}

static bool
tal_set_key(struct tal_parser *p)
{
	struct tal *tal = p->tal;
	const unsigned char *der;
	unsigned char *reenc = NULL;
	int reenc_len;
	bool canonical;

	if ((tal->spki = tal_b64_decode(p, &tal->spki_len)) == NULL)
		return false;
	if (tal->spki_len > LONG_MAX)
		goto bad;
	der = tal->spki;
	tal->pkey = d2i_PUBKEY(NULL, &der, (long)tal->spki_len);
	if (tal->pkey == NULL) {
		/* Our log line says it all; stale errors would mislead later.
		 */
		ERR_clear_error();
		goto bad;
	}
	if (der != tal->spki + tal->spki_len) {
		log_warnx("tal: %s: %zu bytes after the subjectPublicKeyInfo "
			  "(RFC 8630 s.2.2)",
			  p->fn, (size_t)(tal->spki + tal->spki_len - der));
		return false;
	}
	if (!tal_key_profile_valid(p, tal->pkey))
		return false;
	/*
	 * The key is compared byte for byte with the TA certificate's key
	 * later, so it must be in the one DER form: re-encoding must give
	 * back the same bytes.
	 */
	reenc_len = i2d_PUBKEY(tal->pkey, &reenc);
	canonical = reenc_len > 0 && (size_t)reenc_len == tal->spki_len &&
	    memcmp(reenc, tal->spki, tal->spki_len) == 0;
	OPENSSL_free(reenc);
	if (!canonical) {
		log_warnx("tal: %s: subjectPublicKeyInfo is not DER "
			  "(RFC 8630 s.2.2)",
			  p->fn);
		return false;
	}
	return true;

bad:
	log_warnx("tal: %s: key is not a DER subjectPublicKeyInfo "
		  "(RFC 8630 s.2.2)",
		  p->fn);
	return false;
}

/* The end of input is where missing sections show. */
static bool
tal_finish(struct tal_parser *p)
{
	if (p->section != TAL_KEY) {
		if (p->tal->num_uris == 0)
			log_warnx("tal: %s: no URI (RFC 8630 s.2.2)", p->fn);
		else
			log_warnx("tal: %s: no empty line and key after the "
				  "URIs (RFC 8630 s.2.2)",
				  p->fn);
		return false;
	}
	return tal_set_key(p);
}

static struct tal *
tal_parse_text(const char *fn, const char *name, const char *buf, size_t len)
{
	struct tal_parser p = {.fn = fn, .section = TAL_COMMENTS};
	const char *line, *nl, *end = buf + len;
	size_t linelen;

	if (!tal_name_valid(name)) {
		log_warnx("tal: %s: TA name must be 1 to %d characters of "
			  "[A-Za-z0-9._-]",
			  fn, MAX_TAL_NAME_LENGTH);
		return NULL;
	}
	if (len > MAX_TAL_FILE_SIZE) {
		log_warnx("tal: %s: larger than %d bytes", fn,
			  MAX_TAL_FILE_SIZE);
		return NULL;
	}
	if (memchr(buf, '\0', len) != NULL) {
		log_warnx("tal: %s: contains a NUL byte", fn);
		return NULL;
	}
	if ((p.tal = calloc(1, sizeof(*p.tal))) == NULL ||
	    (p.tal->name = strdup(name)) == NULL ||
	    (p.b64 = malloc(len + 1)) == NULL) {
		log_warn("tal: %s", fn);
		goto fail;
	}

	for (line = buf; line < end; line = nl + 1) {
		p.lineno++;
		if ((nl = memchr(line, '\n', end - line)) == NULL)
			nl = end; /* last line without a line break */
		linelen = nl - line;
		if (linelen > 0 && line[linelen - 1] == '\r')
			linelen--;
		if (!tal_line(&p, line, linelen))
			goto fail;
	}
	if (!tal_finish(&p))
		goto fail;
	free(p.b64);
	return p.tal;

fail:
	free(p.b64);
	tal_free(p.tal);
	return NULL;
}

struct tal *
tal_parse(const char *name, const char *buf, size_t len)
{
	return tal_parse_text(name, name, buf, len);
}

/* Like rpki-client: /etc/tals/ripe.tal is the TA "ripe". */
static char *
tal_name_from_path(const char *path)
{
	const char *base = strrchr(path, '/');
	size_t len;

	base = base != NULL ? base + 1 : path;
	len = strlen(base);
	if (len > 4 && strcmp(base + len - 4, ".tal") == 0)
		len -= 4;
	return strndup(base, len);
}

/* Reads at most max bytes; more than that is an error, not a truncation. */
static char *
tal_read_file(const char *path, size_t max, size_t *outlen)
{
	struct stat st;
	char *buf = NULL;
	size_t len = 0;
	ssize_t n;
	int fd;

	/* O_NONBLOCK: a FIFO in place of a TAL must not hang the start. */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) == -1) {
		log_warn("tal: %s", path);
		return NULL;
	}
	if (fstat(fd, &st) == -1) {
		log_warn("tal: %s", path);
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		log_warnx("tal: %s: not a regular file", path);
		goto fail;
	}
	if ((buf = malloc(max + 1)) == NULL) {
		log_warn("tal: %s", path);
		goto fail;
	}
	/* One byte over the limit tells a full file from an oversized one. */
	while (len <= max) {
		n = read(fd, buf + len, max + 1 - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			log_warn("tal: %s", path);
			goto fail;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len > max) {
		log_warnx("tal: %s: larger than %zu bytes", path, max);
		goto fail;
	}
	close(fd);
	*outlen = len;
	return buf;

fail:
	free(buf);
	close(fd);
	return NULL;
}

struct tal *
tal_load(const char *path)
{
	struct tal *tal;
	char *buf, *name;
	size_t len;

	if ((name = tal_name_from_path(path)) == NULL) {
		log_warn("tal: %s", path);
		return NULL;
	}
	if ((buf = tal_read_file(path, MAX_TAL_FILE_SIZE, &len)) == NULL) {
		free(name);
		return NULL;
	}
	tal = tal_parse_text(path, name, buf, len);
	free(buf);
	free(name);
	return tal;
}

void
tal_free(struct tal *tal)
{
	size_t i;

	if (tal == NULL)
		return;
	for (i = 0; i < tal->num_uris; i++)
		free(tal->uris[i]);
	free(tal->uris);
	free(tal->name);
	free(tal->spki);
	EVP_PKEY_free(tal->pkey);
	free(tal);
}
