/*
 * vrpd --vrps FILE: an RTR cache serving a VRP file without validating,
 * re-reading it on SIGHUP and whenever it changes on disk.
 */
#ifndef RTR_SERVE_H
#define RTR_SERVE_H

#include <stddef.h>

#include "history.h"
#include "server.h"

struct serve_config {
	const char *vrps_path;
	const char *const *listen; /* ADDR:PORT strings */
	size_t num_listen;
	size_t history; /* serials kept with deltas */
	struct rtr_timers timers;
	struct server_config server;
	const char *state_path; /* NULL: a new session id each start */
};

/*
 * Serves until SIGTERM or SIGINT; returns the exit status (0 after a
 * signal, 1 when no listener could be opened).
 */
int serve_vrps(const struct serve_config *cfg);

#endif /* RTR_SERVE_H */
