/*
 * The control socket vrpctl talks to: a Unix stream socket, one request
 * line per connection ("count", "check ASN PREFIX", "dump FORMAT",
 * "status", "reload"), answered by "exit N" and the text vrpctl prints.
 */
#ifndef RTR_CONTROL_H
#define RTR_CONTROL_H

#include <stdio.h>

#include <uv.h>

#include "rp/vrpset.h"

/* What the daemon lets the control socket see and do. */
struct control_ops {
	/* The set being served, with its TAs; NULL before the first. */
	const struct vrpset *(*current)(void *arg);
	/* Writes the daemon's status (serial, last run, routers) to fp. */
	void (*status)(void *arg, FILE *fp);
	/* Starts a new validation cycle (or reload) now. */
	void (*reload)(void *arg);
	void *arg;
};

struct control;

/*
 * Listens on the Unix socket path (a stale socket there is replaced;
 * mode 0660: the daemon's user and group); NULL, logged.
 */
struct control *control_new(uv_loop_t *loop, const char *path,
			    const struct control_ops *ops);

/* Stops listening, removes the socket file; connections finish alone. */
void control_close(struct control *c);

#endif /* RTR_CONTROL_H */
