/*
 * Fetching for one validation run: the trust anchor certificates named by
 * the TALs, and each repository the tree walk reaches, synced once per run
 * however many CAs publish in it.
 */
#ifndef VRPD_FETCH_H
#define VRPD_FETCH_H

#include <stdbool.h>
#include <stddef.h>

#include "cert.h"
#include "http.h"
#include "tal.h"

struct fetch_stats {
	size_t repos;	     /* repositories synced this run */
	size_t repos_failed; /* of those, not updated (old copy or none) */
	size_t bytes;	     /* transferred */
};

/*
 * A fetcher caching under cache_dir, using RRDP and rsync as allowed (one
 * of them at least); NULL, logged.
 */
struct fetcher *fetch_new(const char *cache_dir, const struct http_config *hc,
			  bool rsync_allowed, bool rrdp_allowed);

/*
 * Downloads the TA certificate of tal from its first https URI that
 * answers into the directory fetch_ta_root() names; false, logged, if
 * none did (a copy from an earlier run is then used if there is one).
 */
bool fetch_ta(struct fetcher *f, const struct tal *tal);

/* Where fetch_ta() keeps TA certificates, laid out by URI (mirror.h). */
const char *fetch_ta_root(const struct fetcher *f);

/*
 * The root of the objects of ca's repository (laid out by rsync URI),
 * syncing it first if this run has not; NULL, logged, if there is no copy.
 * Thread-safe: a repository two CAs share is synced once, the second
 * caller waiting for the first.
 */
const char *fetch_repo(void *fetcher, const struct cert *ca);

/* This run's totals. */
void fetch_get_stats(struct fetcher *f, struct fetch_stats *out);

/* One repository of a run: its notification URI or rsync module. */
struct fetch_report {
	char *uri;
	bool ok; /* up to date with its server this run */
};

/*
 * The repositories this run synced, in the order they were reached, in
 * *out (free with fetch_reports_free); how many, or 0 (also on ENOMEM).
 */
size_t fetch_reports(struct fetcher *f, struct fetch_report **out);

/* Frees what fetch_reports() made. */
void fetch_reports_free(struct fetch_report *reports, size_t n);

void fetch_free(struct fetcher *f);

#endif /* VRPD_FETCH_H */
