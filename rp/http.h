/*
 * HTTPS transfers for RRDP and trust anchor certificates, on libcurl's
 * multi interface: many transfers in flight at once, each bounded in size
 * and time, its bytes handed to the caller as they arrive. Nothing here
 * parses or stores what it fetches.
 *
 * The program calls curl_global_init() once, before the first http_new()
 * and before it starts any thread, and curl_global_cleanup() at exit
 * (vrpd's main and the tests do); this module calls neither. One struct
 * http belongs to one thread at a time; several may run in parallel.
 */
#ifndef VRPD_HTTP_H
#define VRPD_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct http_config {
	const char *ca_file;  /* extra CA bundle (--ca-file) added to the
				 system store, or NULL */
	long connect_timeout; /* seconds, TCP and TLS handshake */
	long low_speed_time;  /* abort when below low_speed_limit bytes/s
				 for this many seconds */
	long low_speed_limit;
	long total_timeout; /* seconds per transfer, redirects included */
	/*
	 * CLOCK_MONOTONIC second after which no transfer may run (cuts
	 * total_timeout short; one that would start later fails), or 0.
	 */
	time_t deadline;
	size_t max_size;    /* bytes per transfer as delivered to on_data
			       (after decompression): cut off as soon as
			       exceeded */
	long max_redirects; /* 0: no redirect is followed */
	int max_parallel;   /* transfers in flight at once (--fetch-jobs) */
};

struct http_result {
	long status;	     /* HTTP status of the last response; 304 when
				not modified, 0 when there was none */
	bool ok;	     /* 200 (or 304 for a conditional request) and no
				error */
	char error[256];     /* why not, for logs and status */
	char *etag;	     /* owned by the result, valid during on_done;
				when ok and sent, else NULL */
	char *last_modified; /* the same, the header as sent */
	long retry_after;    /* seconds a 429 or 503 asked us to wait
				(Retry-After), 0 if none: reported, never
				waited for */
	int http_version;    /* of the last response: 10, 11, 20, 30, or 0 */
	size_t bytes;	     /* delivered to on_data */
	double seconds;	     /* from the start of the transfer to its end */
};

struct http_request {
	const char *url; /* https only */
	/* A conditional GET when either is set (If-None-Match,
	 * If-Modified-Since), with the values as the server sent them. */
	const char *etag;
	const char *last_modified;
	/* Refuse any redirect that leaves the URL's origin (RFC 9674). */
	bool same_origin;
	/* Each piece of a 200's body as it arrives; false aborts. */
	bool (*on_data)(void *arg, const void *buf, size_t len);
	/* The outcome, exactly once; r is valid during the call only. */
	void (*on_done)(void *arg, const struct http_result *r);
	void *arg;
};

struct http;

/* A transfer engine with cfg's bounds (copied); NULL, logged, if a bound is
 * out of range, ca_file cannot be read or libcurl cannot start. */
struct http *http_new(const struct http_config *cfg);

/* Queues a copy of req; its on_done follows exactly once, from http_run()
 * or http_free(). False, logged, if req lacks a URL or callback, memory is
 * short or h is being freed; on_done never follows then. Callbacks may
 * call it. */
bool http_add(struct http *h, const struct http_request *req);

/* Runs the queued transfers, max_parallel at a time, and returns when every
 * one is done, including those added meanwhile. Not from a callback. */
void http_run(struct http *h);

/* Frees h; transfers still queued get on_done with an error first. Not
 * from a callback. NULL is fine. */
void http_free(struct http *h);

#endif /* VRPD_HTTP_H */
