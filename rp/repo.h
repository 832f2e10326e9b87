/*
 * Keeping the store's copy of one RRDP repository current (RFC 8182): the
 * notification file, then the deltas when the session is the same and the
 * chain is complete, else the snapshot. Each file's SHA-256 is checked
 * against the notification before anything from it is committed, and a
 * failed update leaves the last good copy in place.
 */
#ifndef VRPD_REPO_H
#define VRPD_REPO_H

#include <stdbool.h>
#include <stddef.h>

#include "http.h"
#include "store.h"

/* What one sync did, for the summary and, later, metrics. */
struct repo_result {
	bool ok;	    /* the copy is up to date with the server */
	bool fetched;	    /* the notification was fetched (200 or 304) */
	bool changed;	    /* a new state was committed */
	bool used_snapshot; /* ... from the snapshot (else from deltas) */
	size_t deltas;	    /* deltas applied */
	size_t bytes;	    /* bytes transferred */
};

/*
 * Brings the repository at notify_uri up to date in st, accepting only
 * objects under the rsync namespace ns ("rsync://host/module/"), and puts
 * the root of its current objects (store_repo_root()) in root: fresh, or
 * the last good copy when the update failed (logged with the reason).
 * keep_dir (or NULL) keeps the last notification, for RFC 9697's check
 * that applied deltas never change. False when there is no copy at all.
 */
bool repo_sync(struct store *st, const struct http_config *hc,
	       const char *keep_dir, const char *notify_uri, const char *ns,
	       char *root, size_t size, struct repo_result *res);

#endif /* VRPD_REPO_H */
