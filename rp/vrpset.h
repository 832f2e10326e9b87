/*
 * The validated payloads of one run: VRPs, ASPAs (VAPs) and BGPsec router
 * keys, each tagged with its trust anchor. Built by adding, then frozen by
 * vrpset_finish() into sorted, deduplicated arrays that are only read.
 */
#ifndef VRPD_VRPSET_H
#define VRPD_VRPSET_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/sha.h>

/* One VRP in 24 bytes: the packing DESIGN.md asks for. */
struct vrp {
	unsigned char addr[16]; /* big-endian; IPv4 in [0..3], rest zero */
	uint32_t asn;
	uint8_t afi; /* 4 or 6 */
	uint8_t prefixlen;
	uint8_t maxlen;
	uint8_t ta; /* index into vrpset.tas */
};

struct vap {
	uint32_t customer;
	uint32_t *providers; /* ascending, unique */
	size_t num_providers;
	uint8_t ta;
};

struct router_key {
	uint32_t asn;
	unsigned char ski[SHA_DIGEST_LENGTH];
	unsigned char *spki; /* DER SubjectPublicKeyInfo */
	size_t spki_len;
	uint8_t ta;
};

struct vrpset {
	char **tas; /* TA names, index = vrp.ta */
	size_t num_tas;
	struct vrp *vrps;
	size_t num_vrps;
	struct vap *vaps;
	size_t num_vaps;
	struct router_key *keys;
	size_t num_keys;
	size_t cap_vrps, cap_vaps, cap_keys;
	/* Owners besides the first (vrpset_ref); a shared set is read-only. */
	atomic_uint extra_refs;
};

/* An empty set; NULL on allocation failure. */
struct vrpset *vrpset_new(void);

/*
 * Registers a TA name and returns its index (the same index again for a name
 * already registered), or -1 (over MAX_TAS, ENOMEM).
 */
int vrpset_add_ta(struct vrpset *set, const char *name);

/*
 * Adds one VRP; false on allocation failure, or with EINVAL if the VRP is
 * malformed (unknown TA or family, maxlen out of range, host bits set).
 */
bool vrpset_add_vrp(struct vrpset *set, const struct vrp *vrp);

/*
 * Adds an ASPA (providers copied, then sorted and made unique); false on
 * allocation failure, or with EINVAL for an unknown TA.
 */
bool vrpset_add_vap(struct vrpset *set, uint8_t ta, uint32_t customer,
		    const uint32_t *providers, size_t num_providers);

/*
 * Adds a router key (spki copied); false on allocation failure, or with
 * EINVAL for an unknown TA or an empty or oversized spki.
 */
bool vrpset_add_key(struct vrpset *set, uint8_t ta, uint32_t asn,
		    const unsigned char *ski, const unsigned char *spki,
		    size_t spki_len);

/*
 * Moves everything from src into dst (TA indexes must agree: both sets got
 * the same vrpset_add_ta calls) and empties src; false on ENOMEM.
 */
bool vrpset_merge(struct vrpset *dst, struct vrpset *src);

/*
 * Sorts and deduplicates: VRPs by (afi, addr, prefixlen, maxlen, asn, ta);
 * VAPs of one customer and TA merged into one with the union of providers,
 * sorted by (customer, ta); keys by (asn, ski, spki, ta). False on ENOMEM
 * while merging provider sets: the set is then sorted but some VAPs of one
 * customer and TA are left unmerged.
 */
bool vrpset_finish(struct vrpset *set);

/* A deep copy of a finished set; NULL on ENOMEM. */
struct vrpset *vrpset_clone(const struct vrpset *set);

/* What one TA contributes to a set. */
struct vrpset_ta_count {
	size_t v4, v6, vaps, keys;
};

/*
 * The counts of each TA, indexed like set->tas (at least one element, so
 * an empty set gives a valid pointer); NULL on ENOMEM. The caller frees.
 */
struct vrpset_ta_count *vrpset_count_tas(const struct vrpset *set);

/* Counts of VRPs per family, for summaries; after vrpset_finish. */
void vrpset_count(const struct vrpset *set, size_t *v4, size_t *v6);

/*
 * Adds an owner to a finished set and returns it: the RTR server and the
 * HTTP thread share one set instead of each holding a copy. Thread-safe.
 */
struct vrpset *vrpset_ref(struct vrpset *set);

/*
 * Drops one owner; the last frees set and everything in it. NULL is
 * allowed.
 */
void vrpset_free(struct vrpset *set);

#endif /* VRPD_VRPSET_H */
