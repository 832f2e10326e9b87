/*
 * The RRDP files (RFC 8182 s.3.5): the notification, parsed whole, and
 * snapshots and deltas, parsed as they arrive with flat memory. The parsers
 * take bytes and call back; fetching and storing are the caller's.
 */
#ifndef VRPD_RRDP_H
#define VRPD_RRDP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rrdp_delta_ref {
	uint64_t serial;
	char *uri; /* https:// */
	unsigned char hash[32];
};

struct rrdp_notification {
	char session_id[37]; /* RFC 4122 UUID, in lower case */
	uint64_t serial;
	char *snapshot_uri; /* https:// */
	unsigned char snapshot_hash[32];
	struct rrdp_delta_ref *deltas; /* sorted by serial, ascending */
	size_t num_deltas;
};

/*
 * Parses a whole notification file fetched from uri: RFC 8182 s.3.5.1.3,
 * exactly one snapshot, no two deltas with one serial, none above the
 * notification's serial, at most MAX_NOTIFICATION_SIZE bytes. NULL, logged
 * with uri and the rule.
 */
struct rrdp_notification *
rrdp_notification_parse(const char *uri, const unsigned char *xml, size_t len);

/*
 * The notification's delta with this serial, or NULL if it lists none: to
 * compare its hash with the one an earlier notification gave (RFC 9697).
 */
const struct rrdp_delta_ref *
rrdp_notification_delta(const struct rrdp_notification *n, uint64_t serial);

/* Frees n; NULL is allowed. */
void rrdp_notification_free(struct rrdp_notification *n);

/*
 * True if the https URIs a and b have the same origin (RFC 9674, RFC 6454):
 * both https, the same host ignoring case, the same port (443 if none).
 * False for anything else, including URIs with user information.
 */
bool rrdp_same_origin(const char *a, const char *b);

enum rrdp_file { RRDP_SNAPSHOT, RRDP_DELTA };

/*
 * What a snapshot or delta says, element by element and in file order. The
 * uri passed is a checked rsync URI (rsync://host/path, printable ASCII,
 * no '\', '%', empty, "." or ".." segment, at most MAX_URI_LENGTH bytes).
 * Pointers are valid during the call only. A handler that returns false
 * aborts the parse and has logged why itself; the stream adds no line.
 */
struct rrdp_handler {
	/* hash is NULL for a publish of a new object, else the hash of the
	 * object it replaces; data is the decoded object, at most
	 * MAX_OBJECT_SIZE bytes */
	bool (*publish)(void *arg, const char *uri, const unsigned char *hash,
			const unsigned char *data, size_t len);
	bool (*withdraw)(void *arg, const char *uri,
			 const unsigned char hash[32]);
	void *arg;
};

/*
 * A streaming parser for one snapshot or delta file fetched from uri, whose
 * root must carry session_id and serial (from the notification). A snapshot
 * holds only publish elements without hash, a delta publish (hash optional)
 * and withdraw (hash required) elements; either names each URI at most once,
 * so that no result depends on the order of the elements. NULL, logged, if
 * the arguments are bad or memory runs out.
 */
struct rrdp_stream *rrdp_stream_new(const char *uri, enum rrdp_file kind,
				    const char *session_id, uint64_t serial,
				    const struct rrdp_handler *h);

/*
 * Parses the next len bytes of the file, calling the handler for each
 * complete element. False: the file is bad (logged once) or a handler said
 * stop; every later call then returns false without a word.
 */
bool rrdp_stream_feed(struct rrdp_stream *s, const void *buf, size_t len);

/*
 * Ends the file: true if it was a complete and valid document, with the
 * SHA-256 of every byte fed in sha256, for the caller to compare with the
 * notification's hash before committing anything. False, logged once, if
 * not (a truncated file, say).
 */
bool rrdp_stream_finish(struct rrdp_stream *s, unsigned char sha256[32]);

/* Frees s; NULL is allowed. */
void rrdp_stream_free(struct rrdp_stream *s);

#endif /* VRPD_RRDP_H */
