/*
 * The daemon: plain vrpd. Validates every --refresh seconds and serves
 * each new set to routers over RTR; vrpctl and HTTP ask it questions.
 */
#ifndef VRPD_DAEMON_H
#define VRPD_DAEMON_H

#include "cycle.h"
#include "options.h"
#include "tal.h"

/*
 * Runs until SIGTERM or SIGINT and returns the exit status. c is the
 * cycle (its TALs in tals, room for MAX_TAS); SIGHUP parses argc/argv and
 * the config file again and changes c and tals between cycles. Detaches
 * unless --foreground, once the sockets are bound.
 */
int daemon_run(struct options *o, struct cycle_config *c, struct tal **tals,
	       int argc, char **argv);

#endif /* VRPD_DAEMON_H */
