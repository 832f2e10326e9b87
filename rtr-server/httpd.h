/*
 * The daemon's HTTP server (libmicrohttpd, on its own thread): /metrics in
 * Prometheus text format, /json (the VRP JSON of --output json), /status
 * (an HTML page) and /api/v1/validity/ASN/PREFIX (RFC 6811 state as JSON).
 *
 * The daemon's event-loop thread pushes data in (httpd_update copies the
 * numbers, httpd_publish hands over a finished set); MHD's thread only
 * reads them. Each published set lives in a refcounted snapshot: a request
 * holds a reference while it answers, so a new set never waits for slow
 * clients and the old one is freed when its last request is done.
 */
#ifndef RTR_HTTPD_H
#define RTR_HTTPD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "rp/fetch.h"
#include "rp/validate.h"
#include "rp/vrpset.h"

/* Connected routers listed in /status: one "ADDR version V, serial S" line
 * each, newline-terminated, cut at a line boundary to fit. */
#define HTTPD_ROUTERS_TEXT 4096
#define HTTPD_ERROR_TEXT   256

/* The numbers the daemon knows, copied whole by httpd_update. */
struct httpd_state {
	bool has_data; /* serial and session_id mean something */
	uint32_t serial;
	uint16_t session_id;
	size_t routers; /* RTR clients connected */
	char routers_text[HTTPD_ROUTERS_TEXT];
	size_t cycles;		   /* validation cycles completed */
	time_t last_cycle_end;	   /* 0: none yet */
	double last_cycle_seconds; /* how long the last one took */
	bool last_cycle_ok;
	char last_error[HTTPD_ERROR_TEXT]; /* of the last cycle, "" if none */
	struct validate_stats stats;	   /* of the last cycle */
	struct fetch_stats fetch;	   /* of the last cycle, if fetched */
	bool fetched; /* false: --mirror, nothing fetched */
};

/* One repository as the daemon last saw it. */
struct httpd_repo {
	const char *uri;     /* notification URI or rsync module */
	bool ok;	     /* up to date after the last cycle */
	time_t last_success; /* 0: never */
};

struct httpd;

/*
 * Listens on addrport, "127.0.0.1:8080", "[::1]:8080" or "[::]:8080" (the
 * IPv6 any-address also takes IPv4), exactly that address; port 0 picks a
 * free one (see httpd_port). NULL with a one-line reason in err (logged
 * too) if the address is malformed or cannot be bound.
 */
struct httpd *httpd_start(const char *addrport, char *err, size_t errlen);

/* The port listened on (the one picked, for port 0). */
uint16_t httpd_port(const struct httpd *h);

/* Replaces the numbers served with a copy of *st. */
void httpd_update(struct httpd *h, const struct httpd_state *st);

/*
 * Serves set (after vrpset_finish, with its TAs) from now on, taking
 * ownership of it; the previous set is freed when no request uses it any
 * more. With h NULL (no HTTP server) the set is only freed. On ENOMEM the
 * set is freed and the previous one stays served (logged).
 */
void httpd_publish(struct httpd *h, struct vrpset *set);

/* Replaces the repositories /metrics and /status show (copied). */
void httpd_set_repos(struct httpd *h, const struct httpd_repo *repos, size_t n);

/* Stops serving, joins MHD's thread and frees everything; NULL allowed. */
void httpd_stop(struct httpd *h);

#endif /* RTR_HTTPD_H */
