/*
 * The serials an RTR cache has published: the current payload, the deltas
 * of the last N serials, and the encoded responses built from them, once
 * per serial and protocol version, shared by every client.
 */
#ifndef RTR_HISTORY_H
#define RTR_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "payload.h"
#include "rtrbuf.h"

/* RFC 8210 s.6: the End of Data timers, in seconds. */
struct rtr_timers {
	uint32_t refresh, retry, expire;
};

struct history;

/*
 * An empty history (no data yet) for session_id that will publish its
 * first payload as serial first_serial and keep max deltas (1 to
 * RTR_MAX_HISTORY); NULL on ENOMEM.
 */
struct history *history_new(uint16_t session_id, uint32_t first_serial,
			    size_t max, const struct rtr_timers *timers);

/*
 * Makes p (owned from now on) the current payload. Returns 1 when it
 * became a new serial, 0 when it serves the same items as the current one
 * (nothing changes), -1 on ENOMEM (the history is unchanged, p freed).
 */
int history_publish(struct history *h, struct payload *p);

/* Sets the serial the first payload will have; only before the first. */
void history_set_first_serial(struct history *h, uint32_t serial);

/* Whether any payload has been published. */
bool history_has_data(const struct history *h);

/*
 * The session id of version's sessions: the id given to history_new plus
 * the version, since 8210bis s.5.1 says one id SHOULD NOT serve two
 * versions. Version 0's is the one given.
 */
uint16_t history_session_id(const struct history *h, uint8_t version);

/* The current serial (meaningful once there is data). */
uint32_t history_serial(const struct history *h);

/* The current payload, or NULL before the first. */
const struct payload *history_current(const struct history *h);

enum history_answer {
	HISTORY_NO_DATA,     /* nothing published yet: Error Report 2 */
	HISTORY_CACHE_RESET, /* serial unknown: send Cache Reset */
	HISTORY_RESPONSE,    /* *out holds the whole response */
	HISTORY_ENOMEM,
};

/*
 * The response to a Reset Query in version (RTR_VERSION_0..MAX), in *out
 * with a reference the caller drops.
 */
enum history_answer history_reset(struct history *h, uint8_t version,
				  struct rtrbuf **out);

/*
 * The response to a Serial Query for serial: the changes since then, or
 * Cache Reset when serial is not one this history still has (too old, in
 * the future, or undefined under RFC 1982 such as the current XOR 2^31).
 */
enum history_answer history_serial_query(struct history *h, uint8_t version,
					 uint32_t serial, struct rtrbuf **out);

/* The Serial Notify of the current serial in version; NULL on ENOMEM. */
struct rtrbuf *history_notify(struct history *h, uint8_t version);

/* Frees h and drops its references to buffers; NULL is allowed. */
void history_free(struct history *h);

#endif /* RTR_HISTORY_H */
