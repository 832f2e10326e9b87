/*
 * What an RTR cache serves at one serial: prefixes, router keys and ASPAs
 * without their trust anchors, each item once, in the order the responses
 * are sent. And the change from one payload to the next (a delta), and
 * several consecutive deltas folded into one.
 */
#ifndef RTR_PAYLOAD_H
#define RTR_PAYLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/sha.h>

#include "rp/vrpset.h"

/* The most serials a history keeps (--rtr-history); bounds a fold. */
#define RTR_MAX_HISTORY 1000

/*
 * Immutable once built. Prefixes are struct vrp with ta 0: RTR does not
 * carry the trust anchor, so the same VRP from two TAs is one item (sending
 * it twice makes some routers drop the session).
 */
struct payload {
	struct vrp *prefixes; /* ascending by payload_cmp_prefix: IPv4 first */
	size_t num_prefixes;
	struct router_key *keys; /* ascending by payload_cmp_key */
	size_t num_keys;
	struct vap *aspas; /* one per customer, the union over the TAs */
	size_t num_aspas;
	unsigned char digest[SHA256_DIGEST_LENGTH]; /* of all of the above */
	struct vrpset *owner;			    /* holds the memory */
};

/*
 * Takes set (finished with vrpset_finish) and makes a payload of it,
 * reusing its memory; NULL on ENOMEM (set is freed either way).
 */
struct payload *payload_from_vrpset(struct vrpset *set);

/* Whether a and b hold the same items (compares digests). */
bool payload_equal(const struct payload *a, const struct payload *b);

/* Frees p; NULL is allowed. */
void payload_free(struct payload *p);

/* One change to a prefix: announce, or withdraw. */
struct prefix_change {
	struct vrp vrp;
	uint32_t step; /* which delta of a fold it came from */
	bool announce;
};

/* One change to a router key; spki as in struct delta's comment. */
struct key_change {
	struct router_key key;
	uint32_t step;
	bool announce;
};

/* One change to a customer's ASPA: its provider set before and after. */
struct aspa_change {
	uint32_t customer;
	uint32_t step;
	bool had_before, has_after; /* false: no ASPA (before / withdrawn) */
	struct vap before, after;
};

/*
 * The changes from one payload to the next, each array ascending by item
 * (the encoder puts them in the order 8210bis s.11.2 sends). A delta
 * made by delta_diff owns copies of its keys' SPKIs and its provider
 * lists, so it outlives both payloads; a folded delta points into the
 * deltas it was folded from and must not outlive them.
 */
struct delta {
	struct prefix_change *prefixes;
	size_t num_prefixes;
	struct key_change *keys;
	size_t num_keys;
	struct aspa_change *aspas;
	size_t num_aspas;
	bool owns; /* the SPKIs and provider lists are ours to free */
};

/* The changes that turn from into to, tagged with step; NULL on ENOMEM. */
struct delta *delta_diff(const struct payload *from, const struct payload *to,
			 uint32_t step);

/*
 * Folds n (at most RTR_MAX_HISTORY) consecutive deltas, oldest first,
 * into one net delta: an item added and removed again is not in it, and no
 * item is in it twice. NULL on ENOMEM or EINVAL.
 */
struct delta *delta_fold(struct delta *const *deltas, size_t n);

/* Number of PDUs a delta needs, not counting Cache Response/End of Data. */
size_t delta_size(const struct delta *d);

/* Frees d and what it owns; NULL is allowed. */
void delta_free(struct delta *d);

/* RTR order of two prefixes (same as the order of payload.prefixes). */
int payload_cmp_prefix(const struct vrp *a, const struct vrp *b);

/* RTR order of two router keys. */
int payload_cmp_key(const struct router_key *a, const struct router_key *b);

#endif /* RTR_PAYLOAD_H */
