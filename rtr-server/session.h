/*
 * One router's RTR session as a state machine without sockets: bytes in,
 * refcounted response buffers out. The server feeds it what it reads and
 * writes what it is given; tests drive it directly.
 */
#ifndef RTR_SESSION_H
#define RTR_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "history.h"
#include "rtrbuf.h"

struct session_config {
	uint8_t max_version; /* highest version offered, 0..RTR_VERSION_MAX */
	size_t max_pdu;	     /* longest PDU accepted from the router */
};

/* Where a session's output goes. */
struct session_io {
	/* Queues buf for the router; takes the caller's reference. */
	void (*send)(void *ctx, struct rtrbuf *buf);
	void *ctx;
};

struct session {
	char name[64];	  /* the peer, for logs: "127.0.0.1:5555" */
	int version;	  /* -1 until the first PDU fixes it */
	bool answered;	  /* got a response: Serial Notify may follow */
	uint32_t serial;  /* the serial of the last response, when answered */
	bool closing;	  /* a fatal error was sent: read nothing more */
	struct rtrbuf in; /* a partial PDU; its refs are unused */
};

enum session_result {
	SESSION_CONTINUE,
	SESSION_CLOSE, /* close once what was sent has been written */
};

/* Starts a session for the peer called name. */
void session_init(struct session *s, const char *name);

/*
 * Takes len more bytes from the router and answers every whole PDU in
 * them through io; SESSION_CLOSE when the session must end (a fatal error
 * was reported, or the router reported one).
 */
enum session_result session_input(struct session *s, struct history *h,
				  const struct session_config *cfg,
				  const unsigned char *data, size_t len,
				  const struct session_io *io);

/*
 * Tells the router of a new serial (RFC 8210 s.5.2) if it has had a
 * response; false on ENOMEM.
 */
bool session_notify(struct session *s, struct history *h,
		    const struct session_io *io);

/* Whether the router has sent part of a PDU that is still incomplete. */
bool session_pending(const struct session *s);

/* Frees what the session holds (not s itself). */
void session_free(struct session *s);

#endif /* RTR_SESSION_H */
