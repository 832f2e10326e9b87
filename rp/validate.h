/*
 * The tree walk: from each trust anchor down through every CA and its
 * publication point (manifest, CRL, listed files), checking each object
 * against its issuer, and collecting what is valid into a vrpset.
 */
#ifndef VRPD_VALIDATE_H
#define VRPD_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "cert.h"
#include "tal.h"
#include "vrpset.h"

struct validate_config {
	const char *mirror; /* objects are read from this local mirror */
	/*
	 * Instead of mirror, when set: the root (laid out like a mirror) of
	 * the objects of ca's repository, NULL if there is none; called from
	 * the worker threads once per CA. TA certificates are then read
	 * from ta_root.
	 */
	const char *(*repo_root)(void *arg, const struct cert *ca);
	void *repo_arg;
	const char *ta_root;
	/*
	 * Where the last valid copy of each publication point is kept
	 * (lkg.h), or NULL to keep none.
	 */
	const char *lkg_dir;
	time_t now;    /* the evaluation time */
	int jobs;      /* worker threads, at least 1 */
	int max_depth; /* CA certificates allowed below a TA */
	/*
	 * When set, told of every object the walk decides on (TA and CA
	 * certificates, manifests, CRLs, ROAs, ASPAs, router certificates)
	 * and whether it was accepted; called from the worker threads.
	 */
	void (*on_object)(void *arg, const char *uri, bool valid);
	void *on_object_arg;
};

/* What kind of object was rejected (cert: CA or router certificate). */
enum validate_kind {
	VALIDATE_ROA,
	VALIDATE_ASPA,
	VALIDATE_CERT,
	VALIDATE_KINDS
};

/*
 * At which step: the object itself (its profile, its encoding, its own
 * CMS signature), its issuer (its certificate's chain, dates, revocation
 * or resources), or its content (a ROA prefix outside the EE's
 * resources, an ASPA EE not exactly the customer, a CA or router
 * certificate not admitted).
 */
enum validate_reason {
	VALIDATE_OBJECT,
	VALIDATE_ISSUER,
	VALIDATE_CONTENT,
	VALIDATE_REASONS
};

/* Names for the two enums above, for metrics: "roa", "object", ... */
extern const char *const validate_kind_names[VALIDATE_KINDS];
extern const char *const validate_reason_names[VALIDATE_REASONS];

struct validate_stats {
	size_t tas;		 /* TAs whose certificate was usable */
	size_t tas_failed;	 /* TAs with no usable certificate */
	size_t pubpoints;	 /* publication points visited */
	size_t pubpoints_failed; /* of those, failed as a whole (RFC 9286) */
	size_t pubpoints_kept;	 /* failed, but their kept copy was used */
	size_t objects;		 /* objects read */
	size_t objects_rejected; /* objects rejected, each logged once */
	/* Of those (manifests and CRLs fail whole publication points). */
	size_t rejected[VALIDATE_KINDS][VALIDATE_REASONS];
};

/*
 * Validates the trees of tals at cfg->now and adds every valid VRP, ASPA
 * and router key to set, registering the TAs in tals order. False only if
 * the run could not be completed (out of memory, no threads); rejected
 * objects are logged and counted in stats, never fatal.
 */
bool validate_run(const struct validate_config *cfg, struct tal *const *tals,
		  size_t num_tals, struct vrpset *set,
		  struct validate_stats *stats);

#endif /* VRPD_VALIDATE_H */
