/*
 * What an RTR cache keeps across restarts: its session id, its serial and
 * the digest of the payload served at that serial. A restart serving the
 * same payload keeps the serial, so routers need not reload anything.
 */
#ifndef RTR_STATE_H
#define RTR_STATE_H

#include <stdbool.h>
#include <stdint.h>

#include <openssl/sha.h>

struct rtr_state {
	uint16_t session_id;
	uint32_t serial;
	unsigned char digest[SHA256_DIGEST_LENGTH];
};

/*
 * Reads the state file at path; false with errno ENOENT when there is
 * none, false (logged, naming the file and line) when it is malformed.
 */
bool rtr_state_read(const char *path, struct rtr_state *st);

/* Replaces the state file atomically (temporary file, fsync, rename). */
bool rtr_state_write(const char *path, const struct rtr_state *st);

/* A random session id (8210bis s.5.1: not derived from the clock). */
bool rtr_state_new_session(uint16_t *session_id);

#endif /* RTR_STATE_H */
