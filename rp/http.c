/*
 * HTTPS transfers on libcurl's multi interface. Every response is hostile
 * (doc/DESIGN.md, Safety): each transfer is bounded in size (as announced
 * and as decoded, so a compression bomb is cut off), in time (connect, low
 * speed, total) and in redirects, speaks https only, verifies TLS, and
 * with same_origin never follows a redirect to another origin (RFC 9674).
 * One loop serves all transfers, so a server that trickles or stalls
 * delays nobody but itself.
 *
 * Transfers wait in a queue until fewer than max_parallel are in flight;
 * libcurl gets a transfer only when it starts, so its timeouts count from
 * there, not from the time it was queued.
 */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include <curl/curl.h>

#include "http.h"
#include "limits.h"
#include "log.h"
#include "timefmt.h"

/* CURLOPT_PROTOCOLS_STR and CURLOPT_REDIR_PROTOCOLS_STR. */
#if LIBCURL_VERSION_NUM < 0x075500
#error "libcurl 7.85.0 or later is needed"
#endif

#define HTTP_USER_AGENT "vrpd/" PACKAGE_VERSION

/*
 * The system's CAs as a hashed directory, for when libcurl was built
 * without a default CA directory: Debian's and most others' place.
 */
#define HTTP_SYSTEM_CAPATH "/etc/ssl/certs"

/* Longest http_run() sleeps in one poll; libcurl wakes it sooner for its
 * own timers and for every socket event. */
#define HTTP_POLL_MS 1000

struct transfer {
	struct transfer *next; /* in the queue or the in-flight list */
	CURL *easy;	       /* while in flight */
	struct curl_slist *headers;
	struct http *h;
	char *url;
	char *if_none_match, *if_modified_since;
	bool same_origin;
	bool conditional; /* If-None-Match or If-Modified-Since sent */
	char *scheme, *host, *port; /* the URL's origin (RFC 6454 s.4) */
	bool (*on_data)(void *arg, const void *buf, size_t len);
	void (*on_done)(void *arg, const struct http_result *r);
	void *arg;

	/* The response being read; a redirect starts another. */
	long status;
	bool in_body;
	char *etag, *last_modified;

	size_t bytes;
	struct timespec start;
	bool failed;	 /* error says why, better than libcurl could */
	bool not_200;	 /* stopped at the body of a response not 200 */
	char error[256]; /* when failed */
	char curl_error[CURL_ERROR_SIZE];
};

struct http {
	struct http_config cfg; /* ca_file points at ca_file below */
	char *ca_file;
	char *capath; /* the system's CAs, when ca_file is set */
	bool http2;
	CURLM *multi;
	struct transfer *queue, **queue_tail;
	struct transfer *flying; /* in libcurl's hands */
	int in_flight;
	bool running, freeing;
};

static void fail(struct transfer *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
fail(struct transfer *t, const char *fmt, ...)
{
	va_list ap;

	if (t->failed)
		return;
	t->failed = true;
	va_start(ap, fmt);
	vsnprintf(t->error, sizeof(t->error), fmt, ap);
	va_end(ap);
}

/*
 * A header value we would send back (If-None-Match, If-Modified-Since):
 * no control characters, so it cannot end the header line and add
 * another (RFC 9110 s.5.5), and short.
 */
static bool
value_ok(const char *v, size_t len)
{
	size_t i;

	if (len == 0 || len > MAX_HTTP_VALIDATOR_LENGTH)
		return false;
	for (i = 0; i < len; i++)
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
			return false;
	return true;
}

static bool
config_ok(const struct http_config *c)
{
	if (c->connect_timeout <= 0 || c->low_speed_time <= 0 ||
	    c->low_speed_limit <= 0 || c->total_timeout <= 0) {
		log_warnx("http: every timeout and the low-speed limit must be "
			  "positive");
		return false;
	}
	/* CURLOPT_MAXFILESIZE_LARGE takes a curl_off_t, 64 bits. */
	if (c->max_size == 0 || (uint64_t)c->max_size > (uint64_t)INT64_MAX) {
		log_warnx("http: maximum transfer size %zu out of range",
			  c->max_size);
		return false;
	}
	if (c->max_redirects < 0 || c->max_parallel < 1) {
		log_warnx("http: max_redirects must be 0 or more and "
			  "max_parallel 1 or more");
		return false;
	}
	return true;
}

/*
 * CURLOPT_CAINFO replaces libcurl's default bundle, so with ca_file the
 * system store must come from a CA directory: libcurl's default one
 * (Debian: /etc/ssl/certs, which holds the same CAs as the bundle), else
 * HTTP_SYSTEM_CAPATH if there is one. Without either only ca_file is
 * trusted, and the log says so.
 */
static bool
http_find_capath(struct http *h)
{
	CURL *e = curl_easy_init();
	const char *dir = NULL;
	char *def = NULL;
	struct stat sb;

	if (e == NULL)
		return false;
	if (curl_easy_getinfo(e, CURLINFO_CAPATH, &def) == CURLE_OK &&
	    def != NULL)
		dir = def;
	else if (stat(HTTP_SYSTEM_CAPATH, &sb) == 0 && S_ISDIR(sb.st_mode))
		dir = HTTP_SYSTEM_CAPATH;
	h->capath = dir != NULL ? strdup(dir) : NULL;
	curl_easy_cleanup(e);
	if (dir != NULL && h->capath == NULL)
		return false;
	if (h->capath == NULL)
		log_info("%s: no system CA directory, so only these CAs are "
			 "trusted for HTTPS",
			 h->ca_file);
	else
		log_debug("http: trusting the CAs in %s and %s", h->ca_file,
			  h->capath);
	return true;
}

struct http *
http_new(const struct http_config *cfg)
{
	const curl_version_info_data *v = curl_version_info(CURLVERSION_NOW);
	struct http *h;
	FILE *fp;

	if (!config_ok(cfg))
		return NULL;
	if ((h = calloc(1, sizeof(*h))) == NULL) {
		log_warn("http");
		return NULL;
	}
	h->cfg = *cfg;
	h->queue_tail = &h->queue;
	h->http2 = (v->features & CURL_VERSION_HTTP2) != 0;
	if (!h->http2)
		log_info("http: libcurl %s has no HTTP/2; using HTTP/1.1",
			 v->version);
	if (cfg->ca_file != NULL) {
		/* Read once here, so a missing file is one clear line. */
		if ((fp = fopen(cfg->ca_file, "r")) == NULL) {
			log_warn("%s: cannot read the CA file", cfg->ca_file);
			goto fail;
		}
		fclose(fp);
		if ((h->ca_file = strdup(cfg->ca_file)) == NULL ||
		    !http_find_capath(h)) {
			log_warn("http");
			goto fail;
		}
		h->cfg.ca_file = h->ca_file;
	}
	if ((h->multi = curl_multi_init()) == NULL) {
		log_warnx("http: libcurl cannot start");
		goto fail;
	}
	return h;
fail:
	free(h->capath);
	free(h->ca_file);
	free(h);
	return NULL;
}

static void
transfer_free(struct transfer *t)
{
	if (t == NULL)
		return;
	curl_easy_cleanup(t->easy);
	curl_slist_free_all(t->headers);
	free(t->url);
	free(t->if_none_match);
	free(t->if_modified_since);
	free(t->scheme);
	free(t->host);
	free(t->port);
	free(t->etag);
	free(t->last_modified);
	free(t);
}

/* Splits url into t's origin; false only when out of memory. */
static bool
transfer_origin(struct transfer *t, const char *url)
{
	CURLU *u = curl_url();
	CURLUcode uc;

	if (u == NULL)
		return false;
	uc = curl_url_set(u, CURLUPART_URL, url, 0);
	if (uc == CURLUE_OK)
		uc = curl_url_get(u, CURLUPART_SCHEME, &t->scheme, 0);
	if (uc == CURLUE_OK)
		uc = curl_url_get(u, CURLUPART_HOST, &t->host, 0);
	if (uc == CURLUE_OK)
		uc = curl_url_get(u, CURLUPART_PORT, &t->port,
				  CURLU_DEFAULT_PORT);
	curl_url_cleanup(u);
	if (uc == CURLUE_OUT_OF_MEMORY)
		return false;
	if (uc != CURLUE_OK)
		fail(t, "not a valid URL: %s", curl_url_strerror(uc));
	else if (strcasecmp(t->scheme, "https") != 0)
		fail(t, "not an https URL");
	return true;
}

/*
 * A transfer for req; a request that can never succeed (not https, a
 * validator that could inject a header) is queued already failed, so that
 * the caller hears of it through on_done like of any other failure.
 */
static struct transfer *
transfer_new(struct http *h, const struct http_request *req)
{
	struct transfer *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return NULL;
	t->h = h;
	t->same_origin = req->same_origin;
	t->on_data = req->on_data;
	t->on_done = req->on_done;
	t->arg = req->arg;
	t->conditional = req->etag != NULL || req->last_modified != NULL;
	if ((t->url = strdup(req->url)) == NULL)
		goto fail;
	if (strlen(req->url) > MAX_URI_LENGTH)
		fail(t, "URL longer than %d bytes", MAX_URI_LENGTH);
	else if (!transfer_origin(t, req->url))
		goto fail;
	if (req->etag != NULL && !value_ok(req->etag, strlen(req->etag)))
		fail(t,
		     "ETag to send is empty, too long or has control "
		     "characters");
	if (req->last_modified != NULL &&
	    !value_ok(req->last_modified, strlen(req->last_modified)))
		fail(t,
		     "Last-Modified to send is empty, too long or has "
		     "control characters");
	if (req->etag != NULL &&
	    asprintf(&t->if_none_match, "If-None-Match: %s", req->etag) == -1)
		goto fail;
	if (req->last_modified != NULL &&
	    asprintf(&t->if_modified_since, "If-Modified-Since: %s",
		     req->last_modified) == -1)
		goto fail;
	return t;
fail:
	transfer_free(t);
	return NULL;
}

bool
http_add(struct http *h, const struct http_request *req)
{
	struct transfer *t;

	if (req->url == NULL || req->on_data == NULL || req->on_done == NULL) {
		log_warnx("http: http_add() without a URL, on_data or on_done");
		return false;
	}
	if (h->freeing) {
		log_warnx("%s: http_add() while the transfers are freed",
			  req->url);
		return false;
	}
	if ((t = transfer_new(h, req)) == NULL) {
		log_warn("%s", req->url);
		return false;
	}
	*h->queue_tail = t;
	h->queue_tail = &t->next;
	return true;
}

/* value of the header line buf[0..len) if it is name's, trimmed. */
static bool
header_value(const char *buf, size_t len, const char *name, const char **v,
	     size_t *vlen)
{
	size_t n = strlen(name);

	if (len <= n || buf[n] != ':' || strncasecmp(buf, name, n) != 0)
		return false;
	buf += n + 1;
	len -= n + 1;
	while (len > 0 && (*buf == ' ' || *buf == '\t')) {
		buf++;
		len--;
	}
	while (len > 0 &&
	       (buf[len - 1] == '\r' || buf[len - 1] == '\n' ||
		buf[len - 1] == ' ' || buf[len - 1] == '\t'))
		len--;
	*v = buf;
	*vlen = len;
	return true;
}

/* Keeps a validator for the next conditional GET, if it could be sent. */
static void
keep_value(struct transfer *t, char **slot, const char *name, const char *v,
	   size_t len)
{
	free(*slot);
	*slot = NULL;
	if (!value_ok(v, len)) {
		log_debug("%s: %s ignored: empty, longer than %d bytes or with "
			  "control characters",
			  t->url, name, MAX_HTTP_VALIDATOR_LENGTH);
		return;
	}
	*slot = strndup(v, len);
}

/* "HTTP/1.1 200 OK", "HTTP/2 304": a response begins. */
static void
new_response(struct transfer *t, const char *buf, size_t len)
{
	size_t i = 5;
	long status = 0;

	while (i < len && buf[i] != ' ')
		i++;
	while (i < len && buf[i] == ' ')
		i++;
	for (; i < len && buf[i] >= '0' && buf[i] <= '9' && status < 1000; i++)
		status = status * 10 + (buf[i] - '0');
	t->status = status;
	t->in_body = false;
	free(t->etag);
	free(t->last_modified);
	t->etag = t->last_modified = NULL;
}

/* Whether u names the same origin as the transfer's URL (RFC 6454 s.5). */
static bool
same_origin(const struct transfer *t, CURLU *u)
{
	char *scheme = NULL, *host = NULL, *port = NULL;
	bool same;

	same = curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) ==
		CURLUE_OK &&
	    strcasecmp(scheme, t->scheme) == 0 &&
	    strcasecmp(host, t->host) == 0 && strcmp(port, t->port) == 0;
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	return same;
}

/*
 * RFC 9674: an RRDP client follows no redirect to another origin. The
 * Location is resolved against the URL as libcurl would (every hop before
 * this one had the URL's origin, so the URL is as good a base as the last
 * hop) and refused before libcurl can follow it.
 */
static bool
redirect_allowed(struct transfer *t, const char *v, size_t len)
{
	char loc[MAX_URI_LENGTH + 1];
	CURLU *u;
	bool ok;

	if (len > MAX_URI_LENGTH) {
		fail(t, "redirect to a URL longer than %d bytes",
		     MAX_URI_LENGTH);
		return false;
	}
	memcpy(loc, v, len);
	loc[len] = '\0';
	if ((u = curl_url()) == NULL) {
		fail(t, "out of memory");
		return false;
	}
	ok = curl_url_set(u, CURLUPART_URL, t->url, 0) == CURLUE_OK &&
	    curl_url_set(u, CURLUPART_URL, loc,
			 CURLU_NON_SUPPORT_SCHEME | CURLU_URLENCODE |
			     CURLU_ALLOW_SPACE) == CURLUE_OK &&
	    same_origin(t, u);
	curl_url_cleanup(u);
	if (!ok)
		fail(t,
		     "redirect to %s leaves the origin %s://%s:%s "
		     "(RFC 9674)",
		     loc, t->scheme, t->host, t->port);
	return ok;
}

static size_t
header_cb(char *buf, size_t size, size_t n, void *arg)
{
	struct transfer *t = arg;
	size_t len = size * n;
	const char *v;
	size_t vlen;

	if (len >= 5 && strncmp(buf, "HTTP/", 5) == 0) {
		new_response(t, buf, len);
		return len;
	}
	/* Trailers come here too; the validators are the header's. */
	if (t->in_body)
		return len;
	if (header_value(buf, len, "ETag", &v, &vlen))
		keep_value(t, &t->etag, "ETag", v, vlen);
	else if (header_value(buf, len, "Last-Modified", &v, &vlen))
		keep_value(t, &t->last_modified, "Last-Modified", v, vlen);
	else if (t->same_origin && t->status >= 300 && t->status < 400 &&
		 t->status != 304 &&
		 header_value(buf, len, "Location", &v, &vlen) &&
		 !redirect_allowed(t, v, vlen))
		return 0;
	return len;
}

static size_t
body_cb(char *buf, size_t size, size_t n, void *arg)
{
	struct transfer *t = arg;
	size_t len = size * n;

	t->in_body = true;
	/* An error page, or a redirect not followed: not the caller's data,
	 * and not worth reading. */
	if (t->status != 200) {
		t->not_200 = true;
		return 0;
	}
	if (len > t->h->cfg.max_size - t->bytes) {
		fail(t, "more than %zu bytes", t->h->cfg.max_size);
		return 0;
	}
	if (!t->on_data(t->arg, buf, len)) {
		fail(t, "stopped by the receiver after %zu bytes", t->bytes);
		return 0;
	}
	t->bytes += len;
	return len;
}

/*
 * The options below are ORed together: CURLE_OK is 0, so any option
 * libcurl refuses makes the result non-zero and the transfer fails to
 * start rather than run without a limit.
 */
static bool
set_limits(CURL *e, const struct http_config *c, time_t now)
{
	long timeout = c->total_timeout;
	int bad = 0;

	if (c->deadline != 0 && c->deadline - now < timeout)
		timeout = (long)(c->deadline - now);

	bad |= curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	bad |= curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, c->connect_timeout);
	bad |= curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, c->low_speed_time);
	bad |= curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, c->low_speed_limit);
	bad |= curl_easy_setopt(e, CURLOPT_TIMEOUT, timeout);
	/* Refuses a Content-Length over the limit before any body; body_cb
	 * counts the decoded bytes as they come. */
	bad |= curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE,
				(curl_off_t)c->max_size);
	bad |= curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
	bad |= curl_easy_setopt(e, CURLOPT_MAXREDIRS, c->max_redirects);
	return bad == 0;
}

/* https only, for the URL and for every redirect; TLS verified. */
static bool
set_tls(CURL *e, const struct http *h)
{
	int bad = 0;

	bad |= curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "https");
	bad |= curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "https");
	bad |= curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	bad |= curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	bad |= curl_easy_setopt(e, CURLOPT_SSLVERSION,
				(long)CURL_SSLVERSION_TLSv1_2);
	if (h->ca_file != NULL) {
		bad |= curl_easy_setopt(e, CURLOPT_CAINFO, h->ca_file);
		bad |= curl_easy_setopt(e, CURLOPT_CAPATH, h->capath);
	}
	return bad == 0;
}

static bool
add_header(struct transfer *t, const char *line)
{
	struct curl_slist *l;

	if (line == NULL)
		return true;
	if ((l = curl_slist_append(t->headers, line)) == NULL)
		return false;
	t->headers = l;
	return true;
}

static bool
set_request(CURL *e, struct transfer *t)
{
	int bad = 0;

	if (!add_header(t, t->if_none_match) ||
	    !add_header(t, t->if_modified_since))
		return false;
	bad |= curl_easy_setopt(e, CURLOPT_URL, t->url);
	bad |= curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers);
	bad |= curl_easy_setopt(e, CURLOPT_USERAGENT, HTTP_USER_AGENT);
	/* "": every encoding this libcurl decodes (gzip, br, zstd...). */
	bad |= curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	if (t->h->http2)
		bad |= curl_easy_setopt(e, CURLOPT_HTTP_VERSION,
					(long)CURL_HTTP_VERSION_2TLS);
	/*
	 * No CURLOPT_PIPEWAIT: a transfer would wait for another's
	 * connection to the same server to be set up, so a server slow to
	 * finish one handshake would hold up its other transfers (and libcurl
	 * 7.88 sometimes wakes such a waiting transfer only at the next poll
	 * timeout). A connection that is up and speaks HTTP/2 is shared all
	 * the same (libcurl multiplexes by default).
	 */
	bad |= curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, header_cb);
	bad |= curl_easy_setopt(e, CURLOPT_HEADERDATA, t);
	bad |= curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, body_cb);
	bad |= curl_easy_setopt(e, CURLOPT_WRITEDATA, t);
	bad |= curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->curl_error);
	bad |= curl_easy_setopt(e, CURLOPT_PRIVATE, t);
	return bad == 0;
}

static int
version_number(long v)
{
	switch (v) {
	case CURL_HTTP_VERSION_1_0:
		return 10;
	case CURL_HTTP_VERSION_1_1:
		return 11;
	case CURL_HTTP_VERSION_2_0:
		return 20;
	case CURL_HTTP_VERSION_3:
		return 30;
	default:
		return 0;
	}
}

/* Why libcurl ended the transfer, in words an operator can act on. */
static void
describe(const struct transfer *t, CURLcode rc, char *buf, size_t size)
{
	const char *detail =
	    t->curl_error[0] != '\0' ? t->curl_error : curl_easy_strerror(rc);

	switch (rc) {
	case CURLE_FILESIZE_EXCEEDED:
		snprintf(buf, size,
			 "Content-Length over the limit of %zu bytes",
			 t->h->cfg.max_size);
		break;
	case CURLE_TOO_MANY_REDIRECTS:
		snprintf(buf, size, "more than %ld redirects",
			 t->h->cfg.max_redirects);
		break;
	case CURLE_OPERATION_TIMEDOUT:
		snprintf(buf, size, "timed out: %.200s", detail);
		break;
	case CURLE_UNSUPPORTED_PROTOCOL:
		snprintf(buf, size, "https only: %.200s", detail);
		break;
	default:
		snprintf(buf, size, "%s", detail);
		break;
	}
}

/* Hands t's outcome to its on_done and frees it; rc is libcurl's. */
static void
finish(struct transfer *t, CURLcode rc)
{
	struct http_result r = {0};
	curl_off_t retry = 0;
	long status = 0, version = 0;

	if (t->easy != NULL) {
		if (curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE,
				      &status) != CURLE_OK)
			status = 0;
		if (curl_easy_getinfo(t->easy, CURLINFO_HTTP_VERSION,
				      &version) != CURLE_OK)
			version = 0;
		if (curl_easy_getinfo(t->easy, CURLINFO_RETRY_AFTER, &retry) !=
		    CURLE_OK)
			retry = 0;
		r.seconds = timefmt_since(&t->start);
	}
	r.status = status;
	r.http_version = version_number(version);
	r.bytes = t->bytes;
	if (status == 429 || status == 503)
		r.retry_after = retry > 0 ? (long)retry : 0;
	if (t->failed)
		snprintf(r.error, sizeof(r.error), "%s", t->error);
	else if (rc != CURLE_OK && !t->not_200)
		describe(t, rc, r.error, sizeof(r.error));
	else if (status == 200 || (status == 304 && t->conditional))
		r.ok = true;
	else if (status == 304)
		snprintf(r.error, sizeof(r.error),
			 "HTTP 304 to a request that was not conditional");
	else if (r.retry_after > 0)
		snprintf(r.error, sizeof(r.error),
			 "HTTP %ld (Retry-After: %ld seconds)", status,
			 r.retry_after);
	else
		snprintf(r.error, sizeof(r.error), "HTTP %ld", status);
	if (r.ok) {
		r.etag = t->etag;
		r.last_modified = t->last_modified;
	}
	log_debug("%s: %s, %zu bytes in %.3f s", t->url,
		  r.ok ? "done" : r.error, r.bytes, r.seconds);
	t->on_done(t->arg, &r);
	transfer_free(t);
}

/* Hands t to libcurl, or finishes it at once if it cannot start. */
static void
start(struct http *h, struct transfer *t)
{
	clock_gettime(CLOCK_MONOTONIC, &t->start);
	if (!t->failed && h->cfg.deadline != 0 &&
	    t->start.tv_sec >= h->cfg.deadline)
		fail(t,
		     "no time left: the fetches of this repository took "
		     "the whole --fetch-timeout");
	if (!t->failed) {
		if ((t->easy = curl_easy_init()) == NULL ||
		    !set_limits(t->easy, &h->cfg, t->start.tv_sec) ||
		    !set_tls(t->easy, h) || !set_request(t->easy, t))
			fail(t, "libcurl cannot set the transfer up");
		else if (curl_multi_add_handle(h->multi, t->easy) != CURLM_OK)
			fail(t, "libcurl cannot start the transfer");
	}
	if (t->failed) {
		finish(t, CURLE_OK);
		return;
	}
	log_debug("%s: GET", t->url);
	t->next = h->flying;
	h->flying = t;
	h->in_flight++;
}

static void
start_queued(struct http *h)
{
	struct transfer *t;

	while (h->queue != NULL && h->in_flight < h->cfg.max_parallel) {
		t = h->queue;
		if ((h->queue = t->next) == NULL)
			h->queue_tail = &h->queue;
		t->next = NULL;
		start(h, t);
	}
}

/* Takes t back from libcurl. */
static void
land(struct http *h, struct transfer *t)
{
	struct transfer **p;

	curl_multi_remove_handle(h->multi, t->easy);
	for (p = &h->flying; *p != NULL; p = &(*p)->next)
		if (*p == t) {
			*p = t->next;
			break;
		}
	t->next = NULL;
	h->in_flight--;
}

/* Finishes the transfers libcurl is done with; whether there were any. */
static bool
collect(struct http *h)
{
	struct transfer *t;
	CURLMsg *msg;
	void *p;
	CURLcode rc;
	int left;
	bool any = false;

	while ((msg = curl_multi_info_read(h->multi, &left)) != NULL) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		rc = msg->data.result;
		if (curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &p) !=
			CURLE_OK ||
		    (t = p) == NULL)
			continue;
		land(h, t);
		finish(t, rc);
		any = true;
	}
	return any;
}

/* libcurl itself failed: every transfer in flight ends with why. */
static void
abort_flying(struct http *h, CURLMcode mc)
{
	struct transfer *t;

	log_warnx("http: libcurl failed: %s", curl_multi_strerror(mc));
	while ((t = h->flying) != NULL) {
		land(h, t);
		fail(t, "libcurl failed: %s", curl_multi_strerror(mc));
		finish(t, CURLE_OK);
	}
}

void
http_run(struct http *h)
{
	CURLMcode mc;
	int still;

	if (h->running) {
		log_warnx("http: http_run() from a callback of http_run()");
		return;
	}
	h->running = true;
	for (start_queued(h); h->in_flight > 0; start_queued(h)) {
		mc = curl_multi_perform(h->multi, &still);
		if (mc != CURLM_OK) {
			abort_flying(h, mc);
			continue;
		}
		/* New room: start the next ones before sleeping. */
		if (collect(h) && h->queue != NULL)
			continue;
		if (h->in_flight == 0)
			continue;
		mc = curl_multi_poll(h->multi, NULL, 0, HTTP_POLL_MS, NULL);
		if (mc != CURLM_OK)
			abort_flying(h, mc);
	}
	h->running = false;
}

void
http_free(struct http *h)
{
	struct transfer *t;

	if (h == NULL)
		return;
	h->freeing = true;
	while ((t = h->flying) != NULL) {
		land(h, t);
		fail(t, "cancelled");
		finish(t, CURLE_OK);
	}
	while ((t = h->queue) != NULL) {
		h->queue = t->next;
		fail(t, "cancelled before it started");
		finish(t, CURLE_OK);
	}
	curl_multi_cleanup(h->multi);
	free(h->capath);
	free(h->ca_file);
	free(h);
}
