/*
 * Refcounted byte buffers holding encoded RTR responses. One buffer is
 * built per serial, protocol version and kind of response, and every client
 * that needs it writes from the same memory (DESIGN.md, Performance).
 * Buffers are used by the one event-loop thread only: the count is plain.
 * A session also keeps a router's partial PDU in one, unshared.
 */
#ifndef RTR_RTRBUF_H
#define RTR_RTRBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Refcounted: the builder holds the first reference; rtrbuf_unref frees. */
struct rtrbuf {
	size_t refs;
	size_t len;
	size_t cap;
	size_t pdus; /* how many PDUs, for logs */
	unsigned char *data;
};

/* An empty buffer with one reference; NULL on ENOMEM. */
struct rtrbuf *rtrbuf_new(size_t hint);

/* Room for at least need more bytes at data + len; false on ENOMEM. */
bool rtrbuf_reserve(struct rtrbuf *buf, size_t need);

/* Gives the unused capacity back once a buffer is complete. */
void rtrbuf_shrink(struct rtrbuf *buf);

/* Takes one more reference and returns buf. */
struct rtrbuf *rtrbuf_ref(struct rtrbuf *buf);

/* Drops one reference, freeing the buffer with the last; NULL is allowed. */
void rtrbuf_unref(struct rtrbuf *buf);

#endif /* RTR_RTRBUF_H */
