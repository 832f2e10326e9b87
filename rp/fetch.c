/*
 * The fetching side of a validation run. The tree walk asks for a CA's
 * repository when it reaches the CA; the first CA of a repository syncs
 * it (in its worker thread: --jobs workers fetch in parallel while the
 * others validate), later ones reuse the result.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fetch.h"
#include "limits.h"
#include "lkg.h"
#include "log.h"
#include "mirror.h"
#include "repo.h"
#include "rsync.h"
#include "store.h"

/* One repository of this run. */
struct repo_entry {
	char *key;  /* the notification URI, or the rsync module */
	char *root; /* NULL: no copy */
	bool syncing;
	bool ok; /* up to date with its server (for reports) */
};

struct fetcher {
	const struct http_config *hc;
	struct store *store;
	char *ta_root;
	char *rsync_root;  /* modules copied by rsync, laid out by URI */
	char *rsync_ok;	   /* an empty file per module rsync once copied */
	char *notify_root; /* each repository's last notification file */
	bool rsync_allowed;
	bool rrdp_allowed;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct repo_entry **repos;
	size_t num_repos, cap_repos;
	struct fetch_stats stats;
};

struct fetcher *
fetch_new(const char *cache_dir, const struct http_config *hc,
	  bool rsync_allowed, bool rrdp_allowed)
{
	struct fetcher *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return NULL;
	f->hc = hc;
	f->rsync_allowed = rsync_allowed;
	f->rrdp_allowed = rrdp_allowed;
	if (asprintf(&f->ta_root, "%s/ta", cache_dir) == -1) {
		f->ta_root = NULL;
		goto fail;
	}
	if (asprintf(&f->rsync_root, "%s/rsync", cache_dir) == -1) {
		f->rsync_root = NULL;
		goto fail;
	}
	if (asprintf(&f->rsync_ok, "%s/rsync-ok", cache_dir) == -1) {
		f->rsync_ok = NULL;
		goto fail;
	}
	if (asprintf(&f->notify_root, "%s/notifications", cache_dir) == -1) {
		f->notify_root = NULL;
		goto fail;
	}
	if ((f->store = store_open(cache_dir)) == NULL)
		goto fail;
	pthread_mutex_init(&f->lock, NULL);
	pthread_cond_init(&f->cond, NULL);
	return f;
fail:
	free(f->notify_root);
	free(f->rsync_ok);
	free(f->rsync_root);
	free(f->ta_root);
	free(f);
	return NULL;
}

const char *
fetch_ta_root(const struct fetcher *f)
{
	return f->ta_root;
}

struct ta_body {
	unsigned char *data;
	size_t len;
	bool ok;
	char error[256];
};

static bool
ta_data(void *arg, const void *buf, size_t len)
{
	struct ta_body *b = arg;
	unsigned char *p;

	if (len > rp_limits.object_size - b->len ||
	    (p = realloc(b->data, b->len + len)) == NULL)
		return false;
	memcpy(p + b->len, buf, len);
	b->data = p;
	b->len += len;
	return true;
}

static void
ta_done(void *arg, const struct http_result *r)
{
	struct ta_body *b = arg;

	b->ok = r->ok;
	snprintf(b->error, sizeof(b->error), "%s", r->error);
}

/* GETs uri into memory; NULL, logged, on failure. */
static unsigned char *
get_small(const struct http_config *hc, const char *uri, size_t *len)
{
	struct ta_body b = {0};
	struct http_request req = {0};
	struct http *h;

	req.url = uri;
	req.same_origin = true;
	req.on_data = ta_data;
	req.on_done = ta_done;
	req.arg = &b;
	if ((h = http_new(hc)) == NULL)
		return NULL;
	if (http_add(h, &req))
		http_run(h);
	http_free(h);
	if (!b.ok) {
		log_warnx("%s: fetch failed: %s", uri, b.error);
		free(b.data);
		return NULL;
	}
	*len = b.len;
	return b.data;
}

bool
fetch_ta(struct fetcher *f, const struct tal *tal)
{
	unsigned char *data;
	size_t i, len;

	/* RFC 8630 s.2.2: the URIs in order; https is what we fetch. */
	for (i = 0; i < tal->num_uris; i++) {
		const char *uri = tal->uris[i];

		if (strncmp(uri, "https://", 8) != 0)
			continue;
		if ((data = get_small(f->hc, uri, &len)) == NULL)
			continue;
		/* Checked against the TAL's key by the walk (cert_check_ta). */
		if (lkg_store(f->ta_root, uri, data, len)) {
			free(data);
			return true;
		}
		free(data);
	}
	/* Then the rsync URIs, when rsync is allowed. */
	for (i = 0; f->rsync_allowed && i < tal->num_uris; i++)
		if (strncmp(tal->uris[i], "rsync://", 8) == 0 &&
		    rsync_fetch(f->ta_root, tal->uris[i]))
			return true;
	log_warnx("%s: no TA certificate could be fetched; an earlier copy "
		  "is used if there is one",
		  tal->name);
	return false;
}

/* The entry for key, created (and marked syncing) if new; NULL: ENOMEM. */
static struct repo_entry *
entry_get(struct fetcher *f, const char *key, bool *created)
{
	struct repo_entry *e;
	size_t i;

	*created = false;
	for (i = 0; i < f->num_repos; i++)
		if (strcmp(f->repos[i]->key, key) == 0)
			return f->repos[i];
	if (f->num_repos == f->cap_repos) {
		size_t cap = f->cap_repos ? 2 * f->cap_repos : 64;
		struct repo_entry **p =
		    reallocarray(f->repos, cap, sizeof(*f->repos));

		if (p == NULL)
			return NULL;
		f->repos = p;
		f->cap_repos = cap;
	}
	if ((e = calloc(1, sizeof(*e))) == NULL ||
	    (e->key = strdup(key)) == NULL) {
		free(e);
		return NULL;
	}
	e->syncing = true;
	f->repos[f->num_repos++] = e;
	*created = true;
	return e;
}

/*
 * Copies module ns with rsync; the rsync root if that worked or an earlier
 * run's copy succeeded (a stamp under DIR/rsync-ok/ says so), else NULL.
 */
static const char *
sync_rsync(struct fetcher *f, const char *ns)
{
	static const unsigned char none[1];
	char stamp[MAX_URI_LENGTH + 1];
	unsigned char *data;
	size_t len = strlen(ns);

	/* The stamp's URI is the module's without its final '/'. */
	if (len < 2 || len > MAX_URI_LENGTH)
		return NULL;
	memcpy(stamp, ns, len - 1);
	stamp[len - 1] = '\0';
	if (rsync_fetch(f->rsync_root, ns)) {
		lkg_store(f->rsync_ok, stamp, none, 0);
		return f->rsync_root;
	}
	if ((data = mirror_read(f->rsync_ok, stamp, &len)) != NULL) {
		free(data);
		log_info("%s: rsync failed, the last copy stays", ns);
		return f->rsync_root;
	}
	return NULL;
}

/*
 * Syncs one repository: RRDP when the CA offers it, rsync when it does not
 * or RRDP fails (and rsync is allowed). The root of the copy in root;
 * false if there is none.
 */
static bool
sync_repo(struct fetcher *f, const struct cert *ca, const char *ns, char *root,
	  size_t size, struct repo_result *res)
{
	const char *r;
	bool have = false;

	memset(res, 0, sizeof(*res));
	if (ca->notify != NULL && f->rrdp_allowed) {
		have = repo_sync(f->store, f->hc, f->notify_root, ca->notify,
				 ns, root, size, res);
		log_info("%s: %s%s, %zu bytes", ca->notify,
			 res->changed
			     ? (res->used_snapshot ? "snapshot" : "deltas")
			     : (res->ok ? "unchanged" : "failed"),
			 have ? "" : ", no copy", res->bytes);
		if (res->ok)
			return have;
		if (!f->rsync_allowed) {
			log_warnx("%s: RRDP failed and rsync is off "
				  "(--no-rsync)",
				  ca->notify);
			return have;
		}
		log_info("%s: RRDP failed, falling back to rsync %s",
			 ca->notify, ns);
	} else if (!f->rsync_allowed) {
		log_warnx("%s: the CA offers no rpkiNotify and rsync is off "
			  "(--no-rsync)",
			  ca->repo);
		return false;
	}
	if ((r = sync_rsync(f, ns)) != NULL &&
	    (size_t)snprintf(root, size, "%s", r) < size) {
		res->ok = true;
		return true;
	}
	return have;
}

const char *
fetch_repo(void *arg, const struct cert *ca)
{
	struct fetcher *f = arg;
	char ns[MAX_URI_LENGTH + 1], key[MAX_URI_LENGTH + 16];
	struct repo_result res;
	struct repo_entry *e;
	char root[4096];
	bool created, have;

	if (!mirror_module(ca->repo, ns, sizeof(ns))) {
		log_warnx("%s: caRepository names no rsync module", ca->repo);
		return NULL;
	}
	/* One entry per RRDP server, or per rsync module without one. */
	snprintf(key, sizeof(key), "%s", ca->notify != NULL ? ca->notify : ns);
	pthread_mutex_lock(&f->lock);
	if ((e = entry_get(f, key, &created)) == NULL) {
		pthread_mutex_unlock(&f->lock);
		return NULL;
	}
	if (!created) {
		while (e->syncing)
			pthread_cond_wait(&f->cond, &f->lock);
		pthread_mutex_unlock(&f->lock);
		return e->root;
	}
	pthread_mutex_unlock(&f->lock);

	have = sync_repo(f, ca, ns, root, sizeof(root), &res);

	pthread_mutex_lock(&f->lock);
	e->root = have ? strdup(root) : NULL;
	e->syncing = false;
	e->ok = res.ok;
	f->stats.repos++;
	f->stats.repos_failed += !res.ok;
	f->stats.bytes += res.bytes;
	pthread_cond_broadcast(&f->cond);
	pthread_mutex_unlock(&f->lock);
	return e->root;
}

void
fetch_get_stats(struct fetcher *f, struct fetch_stats *out)
{
	pthread_mutex_lock(&f->lock);
	*out = f->stats;
	pthread_mutex_unlock(&f->lock);
}

size_t
fetch_reports(struct fetcher *f, struct fetch_report **out)
{
	size_t i, n = 0;

	*out = NULL;
	pthread_mutex_lock(&f->lock);
	if (f->num_repos > 0 &&
	    (*out = calloc(f->num_repos, sizeof(**out))) != NULL) {
		for (i = 0; i < f->num_repos; i++) {
			if (f->repos[i]->syncing)
				continue;
			if (((*out)[n].uri = strdup(f->repos[i]->key)) == NULL)
				break;
			(*out)[n++].ok = f->repos[i]->ok;
		}
	}
	pthread_mutex_unlock(&f->lock);
	if (*out != NULL && n == 0) {
		free(*out);
		*out = NULL;
	}
	return n;
}

void
fetch_reports_free(struct fetch_report *reports, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(reports[i].uri);
	free(reports);
}

void
fetch_free(struct fetcher *f)
{
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < f->num_repos; i++) {
		free(f->repos[i]->key);
		free(f->repos[i]->root);
		free(f->repos[i]);
	}
	free(f->repos);
	store_close(f->store);
	free(f->notify_root);
	free(f->rsync_ok);
	free(f->rsync_root);
	free(f->ta_root);
	pthread_cond_destroy(&f->cond);
	pthread_mutex_destroy(&f->lock);
	free(f);
}
