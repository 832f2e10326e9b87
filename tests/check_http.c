/*
 * Tests for rp/http.c against tests/http_server.py, a hostile HTTPS server
 * on 127.0.0.1 that main() starts once (it makes its own test CA) and stops
 * at the end. Each test proves one rule of the fetcher: a bound on size,
 * time or redirects, https only, TLS verification, the same-origin rule
 * (RFC 9674), conditional GET, status reporting, and that one slow server
 * delays nobody else. Timeouts are short so the file runs in seconds.
 */
#include "config.h"

#include <check.h>
#include <dirent.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "rp/http.h"
#include "rp/log.h"

/* What the server needs to start: cert generation and a gzip bomb. */
#define SERVER_START_SECONDS 20

/* Longer than the whole file takes, even under sanitizers. */
#define SERVER_LIFETIME "300"

/* The limit the tests set, and the size of the server's bomb below it. */
#define TEST_MAX_SIZE (1024 * 1024)

static char tmpdir[] = "/tmp/check_http.XXXXXX";
static char ca_file[sizeof(tmpdir) + 16];
static pid_t server_pid = -1;
static int port_main, port_other, port_plain, port_h2, port_badname,
    port_tarpit;

/* When the running test's transfers started, for on_done's timestamps. */
static double t0;

/* What one transfer delivered. */
struct got {
	struct http_result r; /* strings copied */
	unsigned char *data;
	size_t len;
	int data_calls, done_calls;
	double done_at; /* seconds after t0 */
	bool refuse;	/* on_data says false */
	/* Added from on_data or on_done, to h. */
	struct http *h;
	struct got *then, *then2;
	const char *then_url, *then2_url;
	bool then_from_data;
};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* https://127.0.0.1:port path, in one of a few rotating buffers. */
static const char *
url(int port, const char *path)
{
	static char buf[16][256];
	static int next;
	char *u = buf[next++ % 16];

	snprintf(u, sizeof(buf[0]), "https://127.0.0.1:%d%s", port, path);
	return u;
}

/* The server's /ok/N body. */
static bool
is_pattern(const unsigned char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != i % 251)
			return false;
	return true;
}

static struct http_config
config(void)
{
	struct http_config c = {
	    .ca_file = ca_file,
	    .connect_timeout = 5,
	    .low_speed_time = 3,
	    .low_speed_limit = 100,
	    .total_timeout = 15,
	    .max_size = TEST_MAX_SIZE,
	    .max_redirects = 3,
	    .max_parallel = 4,
	};

	return c;
}

static void request(struct http *h, struct got *g, const char *u,
		    bool same_origin, const char *etag, const char *lm);

static bool
on_data(void *arg, const void *buf, size_t len)
{
	struct got *g = arg;

	g->data_calls++;
	if (g->refuse)
		return false;
	g->data = realloc(g->data, g->len + len);
	ck_assert_ptr_nonnull(g->data);
	memcpy(g->data + g->len, buf, len);
	g->len += len;
	if (g->then_url != NULL && g->then_from_data) {
		request(g->h, g->then, g->then_url, true, NULL, NULL);
		g->then_url = NULL;
	}
	return true;
}

static void
on_done(void *arg, const struct http_result *r)
{
	struct got *g = arg;

	g->done_calls++;
	g->done_at = now() - t0;
	g->r = *r;
	g->r.etag = r->etag != NULL ? strdup(r->etag) : NULL;
	g->r.last_modified =
	    r->last_modified != NULL ? strdup(r->last_modified) : NULL;
	if (g->then_url != NULL && !g->then_from_data) {
		request(g->h, g->then, g->then_url, true, NULL, NULL);
		g->then_url = NULL;
	}
	if (g->then2_url != NULL) {
		request(g->h, g->then2, g->then2_url, true, NULL, NULL);
		g->then2_url = NULL;
	}
	fprintf(stderr, "  %.3f s: %s: %s (status %ld, %zu bytes)\n",
		g->done_at, r->ok ? "ok" : "not ok", r->error, r->status,
		r->bytes);
}

static void
request(struct http *h, struct got *g, const char *u, bool same_origin,
	const char *etag, const char *lm)
{
	struct http_request req = {
	    .url = u,
	    .etag = etag,
	    .last_modified = lm,
	    .same_origin = same_origin,
	    .on_data = on_data,
	    .on_done = on_done,
	    .arg = g,
	};

	ck_assert(http_add(h, &req));
}

static void
got_free(struct got *g)
{
	free(g->data);
	free(g->r.etag);
	free(g->r.last_modified);
}

/* One GET with cfg, run to the end. */
static void
fetch_full(const struct http_config *cfg, struct got *g, const char *u,
	   bool same_origin, const char *etag, const char *lm)
{
	struct http *h = http_new(cfg);

	ck_assert_ptr_nonnull(h);
	request(h, g, u, same_origin, etag, lm);
	t0 = now();
	http_run(h);
	http_free(h);
	ck_assert_int_eq(g->done_calls, 1);
}

static void
fetch(const struct http_config *cfg, struct got *g, const char *u)
{
	fetch_full(cfg, g, u, true, NULL, NULL);
}

/* How many requests the listener on port had so far. */
static int
requests_seen(int port)
{
	struct http_config c = config();
	struct got g = {0};
	int n = -1;

	fetch(&c, &g, url(port, "/count"));
	ck_assert(g.r.ok);
	g.data = realloc(g.data, g.len + 1);
	g.data[g.len] = '\0';
	ck_assert_int_eq(sscanf((char *)g.data, "%d", &n), 1);
	got_free(&g);
	return n;
}

static void
assert_error(const struct got *g, const char *why)
{
	ck_assert(!g->r.ok);
	ck_assert_msg(strstr(g->r.error, why) != NULL,
		      "error \"%s\" does not say \"%s\"", g->r.error, why);
}

static void
assert_failed_between(const struct got *g, const char *why, double lo,
		      double hi)
{
	assert_error(g, why);
	ck_assert_msg(g->done_at >= lo && g->done_at <= hi,
		      "done after %.2f s, not in [%.1f, %.1f]", g->done_at, lo,
		      hi);
}

START_TEST(test_http_ok_delivers_every_byte)
{
	struct http_config c = config();
	struct got g = {0};

	fetch(&c, &g, url(port_main, "/ok/100000"));
	ck_assert(g.r.ok);
	ck_assert_int_eq(g.r.status, 200);
	ck_assert_int_eq(g.r.http_version, 11);
	ck_assert_uint_eq(g.r.bytes, 100000);
	ck_assert_uint_eq(g.len, 100000);
	ck_assert(is_pattern(g.data, g.len));
	ck_assert_str_eq(g.r.error, "");
	got_free(&g);
}
END_TEST

START_TEST(test_http_many_transfers_in_flight_up_to_max_parallel)
{
	struct http_config c = config();
	struct got g[12] = {0};
	struct http *h;
	double took;
	int i, seen, most = 0;

	c.max_parallel = 4;
	h = http_new(&c);
	ck_assert_ptr_nonnull(h);
	for (i = 0; i < 12; i++)
		request(h, &g[i], url(port_main, "/concurrent/400"), true, NULL,
			NULL);
	t0 = now();
	http_run(h);
	took = now() - t0;
	http_free(h);
	for (i = 0; i < 12; i++) {
		ck_assert_int_eq(g[i].done_calls, 1);
		ck_assert(g[i].r.ok);
		ck_assert_int_eq(sscanf((char *)g[i].data, "%d", &seen), 1);
		if (seen > most)
			most = seen;
		got_free(&g[i]);
	}
	/* Three rounds of four: 1.2 s; one at a time would take 4.8 s. */
	fprintf(stderr, "  at most %d in flight, %.2f s\n", most, took);
	ck_assert_int_le(most, 4);
	ck_assert_int_ge(most, 2);
	ck_assert_msg(took >= 1.2 && took < 3.0, "took %.2f s", took);
}
END_TEST

/* The h2 server's body: which connection and stream answered. */
static void
h2_answer(struct got *g, int *conn, int *stream)
{
	ck_assert(g->r.ok);
	ck_assert_int_eq(g->r.http_version, 20);
	g->data = realloc(g->data, g->len + 1);
	g->data[g->len] = '\0';
	ck_assert_int_eq(sscanf((char *)g->data, "h2 conn=%d stream=%d", conn,
				stream),
			 2);
}

START_TEST(test_http_uses_http2_when_offered)
{
	struct http_config c = config();
	struct got first = {0}, second = {0}, third = {0};
	struct http *h = http_new(&c);
	int conn[3], stream[3];

	ck_assert_ptr_nonnull(h);
	/* The first adds the others when done: both then go in flight at
	 * once, and share the HTTP/2 connection it left open. */
	first.h = h;
	first.then = &second;
	first.then_url = url(port_h2, "/b");
	first.then2 = &third;
	first.then2_url = url(port_h2, "/c");
	request(h, &first, url(port_h2, "/a"), true, NULL, NULL);
	t0 = now();
	http_run(h);
	http_free(h);
	h2_answer(&first, &conn[0], &stream[0]);
	h2_answer(&second, &conn[1], &stream[1]);
	h2_answer(&third, &conn[2], &stream[2]);
	ck_assert_int_eq(conn[1], conn[0]);
	ck_assert_int_eq(conn[2], conn[0]);
	ck_assert_int_ne(stream[1], stream[2]);
	ck_assert_int_lt(third.done_at, 1.0);
	got_free(&first);
	got_free(&second);
	got_free(&third);
}
END_TEST

START_TEST(test_http_asks_for_compression_and_decodes_it)
{
	struct http_config c = config();
	struct got g = {0};

	/* The server answers 406 unless the request offers gzip. */
	fetch(&c, &g, url(port_main, "/gzip/50000"));
	ck_assert(g.r.ok);
	ck_assert_uint_eq(g.len, 50000);
	ck_assert_uint_eq(g.r.bytes, 50000);
	ck_assert(is_pattern(g.data, g.len));
	got_free(&g);
}
END_TEST

START_TEST(test_http_gzip_bomb_cut_at_max_size)
{
	struct http_config c = config();
	struct got g = {0};

	/* 16 MiB of zeros in about 16 KiB of gzip. */
	fetch(&c, &g, url(port_main, "/gzip-bomb"));
	assert_failed_between(&g, "more than 1048576 bytes", 0, 5);
	ck_assert_uint_le(g.len, TEST_MAX_SIZE);
	ck_assert_uint_le(g.r.bytes, TEST_MAX_SIZE);
	ck_assert_uint_gt(g.len, TEST_MAX_SIZE / 2);
	got_free(&g);
}
END_TEST

START_TEST(test_http_sends_user_agent)
{
	struct http_config c = config();
	struct got g = {0};
	const char *ua = "vrpd/" PACKAGE_VERSION;

	fetch(&c, &g, url(port_main, "/ua"));
	ck_assert(g.r.ok);
	ck_assert_uint_eq(g.len, strlen(ua));
	ck_assert(memcmp(g.data, ua, g.len) == 0);
	got_free(&g);
}
END_TEST

START_TEST(test_http_refuses_plain_http_url)
{
	struct http_config c = config();
	struct got g = {0};
	char u[64];

	snprintf(u, sizeof(u), "http://127.0.0.1:%d/ok/1", port_plain);
	fetch(&c, &g, u);
	assert_error(&g, "not an https URL");
	ck_assert_int_eq(g.r.status, 0);
	ck_assert_int_eq(g.data_calls, 0);
	got_free(&g);
}
END_TEST

START_TEST(test_http_refuses_redirect_to_plain_http)
{
	struct http_config c = config();
	struct got g = {0};

	/* Even where any origin would do. */
	fetch_full(&c, &g, url(port_main, "/redirect-http"), false, NULL, NULL);
	assert_error(&g, "https only");
	ck_assert_int_eq(g.data_calls, 0);
	got_free(&g);
}
END_TEST

START_TEST(test_http_accepts_server_of_ca_file)
{
	struct http_config c = config();
	struct got g = {0};

	fetch(&c, &g, url(port_main, "/ok/1"));
	ck_assert(g.r.ok);
	got_free(&g);
}
END_TEST

START_TEST(test_http_refuses_server_of_test_ca_without_ca_file)
{
	struct http_config c = config();
	struct got g = {0};

	c.ca_file = NULL;
	fetch(&c, &g, url(port_main, "/ok/1"));
	assert_error(&g, "certificate");
	ck_assert_int_eq(g.r.status, 0);
	ck_assert_int_eq(g.data_calls, 0);
	got_free(&g);
}
END_TEST

START_TEST(test_http_refuses_certificate_for_another_name)
{
	struct http_config c = config();
	struct got g = {0};

	/* Signed by the test CA, but for wrong.example. */
	fetch(&c, &g, url(port_badname, "/ok/1"));
	assert_error(&g, "certificate");
	ck_assert_int_eq(g.data_calls, 0);
	got_free(&g);
}
END_TEST

START_TEST(test_http_new_refuses_bad_config)
{
	struct http_config c = config();

	c.ca_file = "/nonexistent/ca.pem";
	ck_assert_ptr_null(http_new(&c));
	c = config();
	c.max_parallel = 0;
	ck_assert_ptr_null(http_new(&c));
	c = config();
	c.max_size = 0;
	ck_assert_ptr_null(http_new(&c));
	c = config();
	c.total_timeout = 0;
	ck_assert_ptr_null(http_new(&c));
	c = config();
	c.max_redirects = -1;
	ck_assert_ptr_null(http_new(&c));
}
END_TEST

START_TEST(test_http_connect_timeout_covers_tls_handshake)
{
	struct http_config c = config();
	struct got g = {0};

	/* The tarpit accepts the connection and never answers the hello. */
	c.connect_timeout = 1;
	fetch(&c, &g, url(port_tarpit, "/ok/1"));
	assert_failed_between(&g, "timed out", 0.9, 2.5);
	ck_assert_int_eq(g.r.status, 0);
	got_free(&g);
}
END_TEST

START_TEST(test_http_low_speed_limit_cuts_trickle)
{
	struct http_config c = config();
	struct got g = {0};

	c.low_speed_time = 2;
	fetch(&c, &g, url(port_main, "/trickle"));
	assert_failed_between(&g, "timed out", 1.9, 4.5);
	ck_assert_uint_le(g.len, 5);
	got_free(&g);
}
END_TEST

START_TEST(test_http_low_speed_limit_cuts_silent_server)
{
	struct http_config c = config();
	struct got g = {0};

	c.low_speed_time = 2;
	fetch(&c, &g, url(port_main, "/hang"));
	assert_failed_between(&g, "timed out", 1.9, 4.5);
	ck_assert_int_eq(g.data_calls, 0);
	got_free(&g);
}
END_TEST

START_TEST(test_http_total_timeout_cuts_endless_stream)
{
	struct http_config c = config();
	struct got g = {0};

	/* 10 KiB/s: never too slow, never done. */
	c.total_timeout = 2;
	fetch(&c, &g, url(port_main, "/drip"));
	assert_failed_between(&g, "timed out", 1.9, 3.5);
	ck_assert_uint_gt(g.len, 0);
	got_free(&g);
}
END_TEST

/* The deadline (a repository's --fetch-timeout) cuts the transfer short. */
START_TEST(test_http_deadline_cuts_transfer_short)
{
	struct http_config c = config();
	struct got g = {0};
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	c.deadline = now.tv_sec + 2;
	fetch(&c, &g, url(port_main, "/drip"));
	assert_failed_between(&g, "timed out", 0.9, 3.5);
	got_free(&g);
}
END_TEST

START_TEST(test_http_past_deadline_not_started)
{
	struct http_config c = config();
	struct got g = {0};
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	c.deadline = now.tv_sec - 1;
	fetch(&c, &g, url(port_main, "/drip"));
	assert_failed_between(&g, "no time left", 0, 0.5);
	ck_assert_int_eq(g.data_calls, 0);
	got_free(&g);
}
END_TEST

START_TEST(test_http_content_length_over_limit_refused_up_front)
{
	struct http_config c = config();
	struct got g = {0};

	/* The server announces 1 TiB and sends nothing: only the header can
	 * end this before the timeouts. */
	fetch(&c, &g, url(port_main, "/big"));
	assert_failed_between(&g, "Content-Length over the limit", 0, 1.5);
	ck_assert_int_eq(g.data_calls, 0);
	got_free(&g);
}
END_TEST

START_TEST(test_http_stream_over_limit_cut_off)
{
	struct http_config c = config();
	struct got g = {0};

	c.max_size = 100000;
	fetch(&c, &g, url(port_main, "/stream/300000"));
	assert_error(&g, "more than 100000 bytes");
	ck_assert_uint_le(g.len, 100000);
	ck_assert_uint_le(g.r.bytes, 100000);
	got_free(&g);
}
END_TEST

START_TEST(test_http_stream_of_exactly_max_size_accepted)
{
	struct http_config c = config();
	struct got g = {0};

	c.max_size = 100000;
	fetch(&c, &g, url(port_main, "/stream/100000"));
	ck_assert(g.r.ok);
	ck_assert_uint_eq(g.len, 100000);
	ck_assert(is_pattern(g.data, g.len));
	got_free(&g);
}
END_TEST

START_TEST(test_http_redirect_loop_stopped)
{
	struct http_config c = config();
	struct got g = {0};

	fetch(&c, &g, url(port_main, "/redirect-loop"));
	assert_error(&g, "more than 3 redirects");
	ck_assert_int_eq(g.data_calls, 0);
	got_free(&g);
}
END_TEST

START_TEST(test_http_redirects_followed_up_to_the_limit)
{
	struct http_config c = config();
	struct got ok = {0}, over = {0}, none = {0};

	fetch(&c, &ok, url(port_main, "/redirect/3"));
	ck_assert(ok.r.ok);
	ck_assert_uint_eq(ok.len, 10);
	fetch(&c, &over, url(port_main, "/redirect/4"));
	assert_error(&over, "more than 3 redirects");
	c.max_redirects = 0;
	fetch(&c, &none, url(port_main, "/redirect/1"));
	assert_error(&none, "more than 0 redirects");
	got_free(&ok);
	got_free(&over);
	got_free(&none);
}
END_TEST

START_TEST(test_http_same_origin_refuses_redirect_to_other_port)
{
	struct http_config c = config();
	struct got g = {0};
	int before = requests_seen(port_other);

	fetch(&c, &g, url(port_main, "/redirect-other-port"));
	assert_error(&g, "RFC 9674");
	ck_assert_int_eq(g.r.status, 302);
	ck_assert_int_eq(g.data_calls, 0);
	/* Refused before any request went there: only our /count came. */
	ck_assert_int_eq(requests_seen(port_other), before + 1);
	got_free(&g);
}
END_TEST

START_TEST(test_http_same_origin_refuses_redirect_to_other_host)
{
	struct http_config c = config();
	struct got g = {0};

	fetch(&c, &g, url(port_main, "/redirect-other-host"));
	assert_error(&g, "RFC 9674");
	ck_assert_int_eq(g.data_calls, 0);
	got_free(&g);
}
END_TEST

START_TEST(test_http_same_origin_refuses_scheme_relative_redirect)
{
	struct http_config c = config();
	struct got g = {0};
	int before = requests_seen(port_other);

	/* "//127.0.0.1:<other>/ok/1": relative, yet another origin. */
	fetch(&c, &g, url(port_main, "/redirect-scheme-relative"));
	assert_error(&g, "RFC 9674");
	ck_assert_int_eq(g.data_calls, 0);
	ck_assert_int_eq(requests_seen(port_other), before + 1);
	got_free(&g);
}
END_TEST

START_TEST(test_http_same_origin_follows_redirects_within_origin)
{
	struct http_config c = config();
	struct got absolute = {0}, relative = {0};

	fetch(&c, &absolute, url(port_main, "/redirect-same"));
	ck_assert(absolute.r.ok);
	ck_assert_uint_eq(absolute.len, 5);
	fetch(&c, &relative, url(port_main, "/redirect/2"));
	ck_assert(relative.r.ok);
	ck_assert_uint_eq(relative.len, 10);
	got_free(&absolute);
	got_free(&relative);
}
END_TEST

START_TEST(test_http_other_origin_followed_without_same_origin)
{
	struct http_config c = config();
	struct got g = {0};

	fetch_full(&c, &g, url(port_main, "/redirect-other-port"), false, NULL,
		   NULL);
	ck_assert(g.r.ok);
	ck_assert_uint_eq(g.len, 1);
	got_free(&g);
}
END_TEST

START_TEST(test_http_etag_conditional_get_gives_304)
{
	struct http_config c = config();
	struct got first = {0}, again = {0}, stale = {0};

	fetch(&c, &first, url(port_main, "/etag"));
	ck_assert(first.r.ok);
	ck_assert_int_eq(first.r.status, 200);
	ck_assert_str_eq(first.r.etag, "\"v1\"");
	fetch_full(&c, &again, url(port_main, "/etag"), true, first.r.etag,
		   NULL);
	ck_assert(again.r.ok);
	ck_assert_int_eq(again.r.status, 304);
	ck_assert_int_eq(again.data_calls, 0);
	ck_assert_str_eq(again.r.etag, "\"v1\"");
	fetch_full(&c, &stale, url(port_main, "/etag"), true, "\"v0\"", NULL);
	ck_assert(stale.r.ok);
	ck_assert_int_eq(stale.r.status, 200);
	ck_assert_uint_gt(stale.len, 0);
	got_free(&first);
	got_free(&again);
	got_free(&stale);
}
END_TEST

START_TEST(test_http_last_modified_conditional_get_gives_304)
{
	struct http_config c = config();
	struct got first = {0}, again = {0};

	fetch(&c, &first, url(port_main, "/lm"));
	ck_assert(first.r.ok);
	ck_assert_str_eq(first.r.last_modified,
			 "Wed, 21 Oct 2015 07:28:00 GMT");
	ck_assert_ptr_null(first.r.etag);
	/* The server answers 304 only to the exact string it sent. */
	fetch_full(&c, &again, url(port_main, "/lm"), true, NULL,
		   first.r.last_modified);
	ck_assert(again.r.ok);
	ck_assert_int_eq(again.r.status, 304);
	ck_assert_int_eq(again.data_calls, 0);
	got_free(&first);
	got_free(&again);
}
END_TEST

START_TEST(test_http_304_to_unconditional_request_not_ok)
{
	struct http_config c = config();
	struct got g = {0};

	fetch(&c, &g, url(port_main, "/304"));
	assert_error(&g, "not conditional");
	ck_assert_int_eq(g.r.status, 304);
	got_free(&g);
}
END_TEST

START_TEST(test_http_long_etag_not_kept)
{
	struct http_config c = config();
	struct got g = {0};

	fetch(&c, &g, url(port_main, "/long-etag"));
	ck_assert(g.r.ok);
	ck_assert_ptr_null(g.r.etag);
	got_free(&g);
}
END_TEST

START_TEST(test_http_refuses_control_characters_in_validators)
{
	struct http_config c = config();
	struct got g = {0};

	fetch_full(&c, &g, url(port_main, "/etag"), true,
		   "\"v1\"\r\nX-Injected: 1", NULL);
	assert_error(&g, "control characters");
	ck_assert_int_eq(g.r.status, 0);
	ck_assert_int_eq(g.data_calls, 0);
	got_free(&g);
}
END_TEST

START_TEST(test_http_404_not_ok)
{
	struct http_config c = config();
	struct got g = {0};

	fetch(&c, &g, url(port_main, "/status/404"));
	assert_error(&g, "HTTP 404");
	ck_assert_int_eq(g.r.status, 404);
	ck_assert_int_eq(g.data_calls, 0);
	got_free(&g);
}
END_TEST

START_TEST(test_http_500_not_ok)
{
	struct http_config c = config();
	struct got g = {0};

	fetch(&c, &g, url(port_main, "/status/500"));
	assert_error(&g, "HTTP 500");
	ck_assert_int_eq(g.r.status, 500);
	ck_assert_int_eq(g.data_calls, 0);
	got_free(&g);
}
END_TEST

START_TEST(test_http_429_reports_retry_after_without_waiting)
{
	struct http_config c = config();
	struct got g = {0};

	fetch(&c, &g, url(port_main, "/status/429"));
	assert_failed_between(&g, "HTTP 429 (Retry-After: 86400 seconds)", 0,
			      2);
	ck_assert_int_eq(g.r.status, 429);
	ck_assert_int_eq(g.r.retry_after, 86400);
	got_free(&g);
}
END_TEST

START_TEST(test_http_slow_servers_do_not_delay_others)
{
	struct http_config c = config();
	struct got slow[3] = {0}, fast[6] = {0};
	struct http *h;
	int i;

	c.max_parallel = 9;
	c.low_speed_time = 3;
	c.connect_timeout = 3;
	h = http_new(&c);
	ck_assert_ptr_nonnull(h);
	/* The slow ones first, so they are in flight before the others. */
	request(h, &slow[0], url(port_main, "/trickle"), true, NULL, NULL);
	request(h, &slow[1], url(port_main, "/hang"), true, NULL, NULL);
	request(h, &slow[2], url(port_tarpit, "/ok/1"), true, NULL, NULL);
	/* Some to the very server that trickles and hangs. */
	for (i = 0; i < 6; i++)
		request(h, &fast[i],
			url(i % 2 ? port_other : port_main, "/ok/20000"), true,
			NULL, NULL);
	t0 = now();
	http_run(h);
	http_free(h);
	for (i = 0; i < 6; i++) {
		ck_assert(fast[i].r.ok);
		ck_assert_msg(fast[i].done_at < 1.0,
			      "fast transfer done after %.2f s",
			      fast[i].done_at);
		got_free(&fast[i]);
	}
	for (i = 0; i < 3; i++) {
		assert_failed_between(&slow[i], "timed out", 2.9, 5);
		got_free(&slow[i]);
	}
}
END_TEST

START_TEST(test_http_on_data_false_aborts)
{
	struct http_config c = config();
	struct got g = {.refuse = true};

	fetch(&c, &g, url(port_main, "/ok/100000"));
	assert_error(&g, "stopped by the receiver");
	ck_assert_int_eq(g.data_calls, 1);
	got_free(&g);
}
END_TEST

START_TEST(test_http_add_from_callbacks)
{
	struct http_config c = config();
	struct got first = {0}, second = {0}, third = {0};
	struct http *h = http_new(&c);

	ck_assert_ptr_nonnull(h);
	/* first adds second from on_done; second adds third from on_data. */
	first.h = second.h = h;
	first.then = &second;
	first.then_url = url(port_main, "/ok/2");
	second.then = &third;
	second.then_url = url(port_main, "/ok/3");
	second.then_from_data = true;
	request(h, &first, url(port_main, "/ok/1"), true, NULL, NULL);
	t0 = now();
	http_run(h);
	http_free(h);
	ck_assert_int_eq(first.done_calls, 1);
	ck_assert_int_eq(second.done_calls, 1);
	ck_assert_int_eq(third.done_calls, 1);
	ck_assert(first.r.ok && second.r.ok && third.r.ok);
	ck_assert_uint_eq(third.len, 3);
	got_free(&first);
	got_free(&second);
	got_free(&third);
}
END_TEST

START_TEST(test_http_free_reports_transfers_never_run)
{
	struct http_config c = config();
	struct got g = {0};
	struct http *h = http_new(&c);

	ck_assert_ptr_nonnull(h);
	request(h, &g, url(port_main, "/ok/1"), true, NULL, NULL);
	t0 = now();
	http_free(h);
	ck_assert_int_eq(g.done_calls, 1);
	assert_error(&g, "cancelled");
	got_free(&g);
}
END_TEST

START_TEST(test_http_add_refuses_request_without_url_or_callbacks)
{
	struct http_config c = config();
	struct http *h = http_new(&c);
	struct got g = {0};
	struct http_request req = {
	    .url = url(port_main, "/ok/1"),
	    .on_data = on_data,
	    .arg = &g,
	};

	ck_assert_ptr_nonnull(h);
	ck_assert(!http_add(h, &req));
	req.on_done = on_done;
	req.url = NULL;
	ck_assert(!http_add(h, &req));
	http_run(h);
	http_free(h);
	ck_assert_int_eq(g.done_calls, 0);
}
END_TEST

static Suite *
http_suite(void)
{
	Suite *s = suite_create("http");
	TCase *tc = tcase_create("http");

	/* The slowest test waits about 3 s for its timeouts. */
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_http_ok_delivers_every_byte);
	tcase_add_test(tc,
		       test_http_many_transfers_in_flight_up_to_max_parallel);
	tcase_add_test(tc, test_http_uses_http2_when_offered);
	tcase_add_test(tc, test_http_asks_for_compression_and_decodes_it);
	tcase_add_test(tc, test_http_gzip_bomb_cut_at_max_size);
	tcase_add_test(tc, test_http_sends_user_agent);
	tcase_add_test(tc, test_http_refuses_plain_http_url);
	tcase_add_test(tc, test_http_refuses_redirect_to_plain_http);
	tcase_add_test(tc, test_http_accepts_server_of_ca_file);
	tcase_add_test(tc, test_http_refuses_server_of_test_ca_without_ca_file);
	tcase_add_test(tc, test_http_refuses_certificate_for_another_name);
	tcase_add_test(tc, test_http_new_refuses_bad_config);
	tcase_add_test(tc, test_http_connect_timeout_covers_tls_handshake);
	tcase_add_test(tc, test_http_low_speed_limit_cuts_trickle);
	tcase_add_test(tc, test_http_low_speed_limit_cuts_silent_server);
	tcase_add_test(tc, test_http_total_timeout_cuts_endless_stream);
	tcase_add_test(tc, test_http_deadline_cuts_transfer_short);
	tcase_add_test(tc, test_http_past_deadline_not_started);
	tcase_add_test(tc,
		       test_http_content_length_over_limit_refused_up_front);
	tcase_add_test(tc, test_http_stream_over_limit_cut_off);
	tcase_add_test(tc, test_http_stream_of_exactly_max_size_accepted);
	tcase_add_test(tc, test_http_redirect_loop_stopped);
	tcase_add_test(tc, test_http_redirects_followed_up_to_the_limit);
	tcase_add_test(tc,
		       test_http_same_origin_refuses_redirect_to_other_port);
	tcase_add_test(tc,
		       test_http_same_origin_refuses_redirect_to_other_host);
	tcase_add_test(tc,
		       test_http_same_origin_refuses_scheme_relative_redirect);
	tcase_add_test(tc,
		       test_http_same_origin_follows_redirects_within_origin);
	tcase_add_test(tc, test_http_other_origin_followed_without_same_origin);
	tcase_add_test(tc, test_http_etag_conditional_get_gives_304);
	tcase_add_test(tc, test_http_last_modified_conditional_get_gives_304);
	tcase_add_test(tc, test_http_304_to_unconditional_request_not_ok);
	tcase_add_test(tc, test_http_long_etag_not_kept);
	tcase_add_test(tc, test_http_refuses_control_characters_in_validators);
	tcase_add_test(tc, test_http_404_not_ok);
	tcase_add_test(tc, test_http_500_not_ok);
	tcase_add_test(tc, test_http_429_reports_retry_after_without_waiting);
	tcase_add_test(tc, test_http_slow_servers_do_not_delay_others);
	tcase_add_test(tc, test_http_on_data_false_aborts);
	tcase_add_test(tc, test_http_add_from_callbacks);
	tcase_add_test(tc, test_http_free_reports_transfers_never_run);
	tcase_add_test(tc,
		       test_http_add_refuses_request_without_url_or_callbacks);
	suite_add_tcase(s, tc);
	return s;
}

/* Reads "name port" lines; false until the server has written them all. */
static bool
read_ports(const char *path)
{
	struct {
		const char *name;
		int *port;
	} want[] = {
	    {"main", &port_main},	{"other", &port_other},
	    {"plain", &port_plain},	{"h2", &port_h2},
	    {"badname", &port_badname}, {"tarpit", &port_tarpit},
	};
	char name[32];
	int port, found = 0;
	size_t i;
	FILE *fp;

	if ((fp = fopen(path, "r")) == NULL)
		return false;
	while (fscanf(fp, "%31s %d", name, &port) == 2)
		for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
			if (strcmp(name, want[i].name) == 0) {
				*want[i].port = port;
				found++;
			}
	fclose(fp);
	return found == (int)(sizeof(want) / sizeof(want[0]));
}

static bool
start_server(void)
{
	const char *top = getenv("top_srcdir");
	char script[4096], ports[sizeof(tmpdir) + 16];
	int i;

	snprintf(script, sizeof(script), "%s/tests/http_server.py",
		 top != NULL ? top : ".");
	snprintf(ports, sizeof(ports), "%s/ports", tmpdir);
	snprintf(ca_file, sizeof(ca_file), "%s/ca.pem", tmpdir);
	if ((server_pid = fork()) == -1)
		return false;
	if (server_pid == 0) {
		execl("/usr/bin/python3", "python3", script, "--dir", tmpdir,
		      "--port-file", ports, "--lifetime", SERVER_LIFETIME,
		      (char *)NULL);
		perror("check_http: /usr/bin/python3");
		_exit(127);
	}
	for (i = 0; i < SERVER_START_SECONDS * 10; i++) {
		if (read_ports(ports))
			return true;
		if (waitpid(server_pid, NULL, WNOHANG) == server_pid) {
			server_pid = -1;
			return false;
		}
		usleep(100 * 1000);
	}
	return false;
}

static void
stop_server(void)
{
	char path[sizeof(tmpdir) + 300];
	struct dirent *de;
	DIR *d;

	if (server_pid > 0) {
		kill(server_pid, SIGTERM);
		waitpid(server_pid, NULL, 0);
	}
	if ((d = opendir(tmpdir)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 ||
			    strcmp(de->d_name, "..") == 0)
				continue;
			snprintf(path, sizeof(path), "%s/%s", tmpdir,
				 de->d_name);
			unlink(path);
		}
		closedir(d);
	}
	rmdir(tmpdir);
}

int
main(void)
{
	static const char *proxies[] = {"http_proxy",  "https_proxy",
					"HTTPS_PROXY", "all_proxy",
					"ALL_PROXY",   "no_proxy",
					"NO_PROXY"};
	SRunner *sr;
	size_t i;
	int failed;

	/* Every test talks to 127.0.0.1 directly. */
	for (i = 0; i < sizeof(proxies) / sizeof(proxies[0]); i++)
		unsetenv(proxies[i]);
	/* Once, before any thread, as vrpd's main does (rp/http.h). */
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
		fprintf(stderr, "check_http: curl_global_init failed\n");
		return EXIT_FAILURE;
	}
	if (mkdtemp(tmpdir) == NULL) {
		perror("check_http: mkdtemp");
		return EXIT_FAILURE;
	}
	if (!start_server()) {
		fprintf(stderr, "check_http: the test server did not start\n");
		stop_server();
		curl_global_cleanup();
		return EXIT_FAILURE;
	}
	sr = srunner_create(http_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	stop_server();
	curl_global_cleanup();
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
