/*
 * The RTR cache's main loop: a source produces payload sets (a VRP file
 * for vrpd --vrps, a validation cycle for the daemon) on a worker thread;
 * the loop publishes each as a new serial and serves routers throughout.
 */
#ifndef RTR_SERVE_H
#define RTR_SERVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "history.h"
#include "httpd.h"
#include "server.h"

/* Where payload sets come from. */
struct serve_source {
	/*
	 * Runs on a worker thread: a finished set, or NULL with a message in
	 * err. Only one call runs at a time.
	 */
	struct vrpset *(*produce)(void *arg, char *err, size_t errlen);
	void *arg;
	/* How a publication is logged: "vrps loaded from FILE", ... */
	const char *what;
	/* A file to re-produce from whenever it changes, or NULL. */
	const char *watch_path;
	/* A set to serve at once on start (vrpfile format), or NULL. */
	const char *saved_path;
	/* Produce again this often (0: only on SIGHUP, SIGUSR1, changes). */
	uint64_t refresh_ms;
	/*
	 * Whether SIGTERM may end the process while produce() runs, rather
	 * than wait for it: a validation cycle can take minutes, and every
	 * file it writes is replaced atomically.
	 */
	bool abandon_on_stop;
	/* Writes what the source last did, for vrpctl status; or NULL. */
	void (*describe)(void *arg, FILE *fp);
	/* Told of SIGHUP before the production it starts; or NULL. */
	void (*hangup)(void *arg);
	/* Fills the cycle part of the HTTP server's numbers; or NULL. */
	void (*http_stats)(void *arg, struct httpd_state *st);
	/* Gives the HTTP server what else the source knows; or NULL. */
	void (*http_extra)(void *arg, struct httpd *h);
};

struct serve_config {
	struct serve_source source;
	const char *const *listen; /* ADDR:PORT strings */
	size_t num_listen;
	size_t history; /* serials kept with deltas */
	struct rtr_timers timers;
	struct server_config server;
	const char *state_path;	  /* NULL: a new session id each start */
	const char *control_path; /* vrpctl's socket, or NULL for none */
	const char *http_listen;  /* ADDR:PORT of /metrics etc., or NULL */
	/*
	 * Called once the listeners and the control socket are bound and
	 * before anything is produced (to drop privileges); false stops.
	 */
	bool (*bound)(void *arg);
	/* Called when stopping, also when a cycle is abandoned; or NULL. */
	void (*cleanup)(void *arg);
	void *bound_arg; /* for both */
};

/*
 * Serves until SIGTERM or SIGINT; returns the exit status (0 after a
 * signal, 1 when no listener could be opened).
 */
int serve_run(const struct serve_config *cfg);

#endif /* RTR_SERVE_H */
