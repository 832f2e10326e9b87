/*
 * The RTR server on libuv: listeners, one session per TCP connection,
 * shared response buffers written in bounded chunks, and the limits that
 * keep one router from hurting the others.
 */
#ifndef RTR_SERVER_H
#define RTR_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <uv.h>

#include "history.h"
#include "session.h"

struct server_config {
	struct session_config session;
	size_t max_clients;
	uint64_t hello_timeout_ms; /* connected, no query yet */
	uint64_t write_timeout_ms; /* data waiting, router not reading */
};

struct server;

/* A server on loop answering from h (not owned); NULL on ENOMEM. */
struct server *server_new(uv_loop_t *loop, struct history *h,
			  const struct server_config *cfg);

/*
 * Listens on "ADDR:PORT" (IPv4, or [IPv6]); logs the address and the port
 * really bound; false, logged, when it cannot.
 */
bool server_listen(struct server *srv, const char *addrport);

/*
 * Tells every router with a session of the history's new serial, at most
 * once a minute (8210bis s.8.2): a later call within the minute is sent
 * when the minute is over.
 */
void server_notify(struct server *srv);

/* Writes one line per connected router: address, version, serial. */
void server_describe(const struct server *srv, FILE *fp);

/* How many routers are connected. */
size_t server_clients(const struct server *srv);

/* Closes listeners and connections; the server is freed once they are. */
void server_close(struct server *srv);

#endif /* RTR_SERVER_H */
