/*
 * One RRDP repository's sync: RFC 8182 s.3.4 as seen from the relying
 * party, with RFC 9674 (same origin for the files a notification names).
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "limits.h"
#include "lkg.h"
#include "log.h"
#include "mirror.h"
#include "repo.h"
#include "rrdp.h"

/* The notification file, collected whole: it is small and bounded. */
struct buffer {
	unsigned char *data;
	size_t len, cap;
};

/* Bytes gathered before they are fed to the RRDP parser (stream_add). */
#define STREAM_PIECE (64 * 1024)

/* One transfer's outcome, filled in by the callbacks. */
struct transfer {
	struct http_result res; /* copied; etag/last_modified owned */
	bool done;
	struct buffer buf;	    /* the notification, or a stream's piece */
	struct rrdp_stream *stream; /* snapshot or delta */
	bool stream_failed;
	bool too_big; /* notification over its bound, as decoded */
};

/* Applying one snapshot or delta to a transaction. */
struct apply {
	struct store_txn *txn;
	const char *file_uri; /* the snapshot or delta, for logs */
	const char *ns;
	bool replace_all;
};

static bool
buffer_add(void *arg, const void *data, size_t len)
{
	struct transfer *t = arg;
	struct buffer *b = &t->buf;

	if (len > rp_limits.notification_size - b->len) {
		t->too_big = true;
		return false;
	}
	if (b->len + len > b->cap) {
		size_t cap = b->cap ? b->cap : 16384;
		unsigned char *p;

		while (cap < b->len + len)
			cap *= 2;
		if ((p = realloc(b->data, cap)) == NULL)
			return false;
		b->data = p;
		b->cap = cap;
	}
	memcpy(b->data + b->len, data, len);
	b->len += len;
	return true;
}

/* Feeds what stream_add() gathered to the parser; false when it fails. */
static bool
stream_flush(struct transfer *t)
{
	struct buffer *b = &t->buf;
	bool ok = b->len == 0 || rrdp_stream_feed(t->stream, b->data, b->len);

	b->len = 0;
	if (!ok)
		t->stream_failed = true;
	return ok;
}

/*
 * libxml2's push parser looks for the end of a text node from its start
 * again with every chunk it is given, so a publish element of n bytes fed
 * in chunks of c bytes costs n * n / 2c: a server sending tiny TCP
 * segments made a 600 KB snapshot cost 30 s of CPU (found by fuzzing).
 * What libcurl hands over is gathered into pieces of STREAM_PIECE bytes.
 */
static bool
stream_add(void *arg, const void *data, size_t len)
{
	struct transfer *t = arg;
	struct buffer *b = &t->buf;

	if (b->data == NULL) {
		if ((b->data = malloc(STREAM_PIECE)) == NULL) {
			t->stream_failed = true;
			return false;
		}
		b->cap = STREAM_PIECE;
	}
	if (b->len + len > b->cap && !stream_flush(t))
		return false;
	if (len >= b->cap) {
		if (!rrdp_stream_feed(t->stream, data, len)) {
			t->stream_failed = true;
			return false;
		}
		return true;
	}
	memcpy(b->data + b->len, data, len);
	b->len += len;
	return true;
}

static void
transfer_done(void *arg, const struct http_result *r)
{
	struct transfer *t = arg;

	t->res = *r;
	t->res.etag = r->etag != NULL ? strdup(r->etag) : NULL;
	t->res.last_modified =
	    r->last_modified != NULL ? strdup(r->last_modified) : NULL;
	t->done = true;
}

static void
transfer_clear(struct transfer *t)
{
	free(t->res.etag);
	free(t->res.last_modified);
	free(t->buf.data);
	memset(t, 0, sizeof(*t));
}

/* Runs one GET to completion; the caller reads t->res. */
static void
fetch(const struct http_config *hc, const char *url, bool notification,
      const struct store_state *cond, struct transfer *t)
{
	struct http_request req = {0};
	struct http *h;

	req.url = url;
	req.same_origin = true;
	req.on_data = notification ? buffer_add : stream_add;
	req.on_done = transfer_done;
	req.arg = t;
	if (cond != NULL && cond->etag[0] != '\0')
		req.etag = cond->etag;
	if (cond != NULL && cond->last_modified[0] != '\0')
		req.last_modified = cond->last_modified;
	if ((h = http_new(hc)) == NULL) {
		snprintf(t->res.error, sizeof(t->res.error), "cannot start");
		return;
	}
	if (http_add(h, &req))
		http_run(h);
	else
		snprintf(t->res.error, sizeof(t->res.error), "cannot start");
	http_free(h);
}

static bool
in_namespace(const struct apply *a, const char *uri)
{
	if (strncmp(uri, a->ns, strlen(a->ns)) == 0)
		return true;
	log_warnx("%s: %s is outside the repository's namespace %s "
		  "(RFC 8182 s.3.2)",
		  a->file_uri, uri, a->ns);
	return false;
}

static bool
apply_publish(void *arg, const char *uri, const unsigned char *hash,
	      const unsigned char *data, size_t len)
{
	struct apply *a = arg;
	unsigned char held[32];
	bool have;

	if (!in_namespace(a, uri))
		return false;
	have = !a->replace_all && store_hash(a->txn, uri, held);
	if (hash != NULL && (!have || memcmp(held, hash, sizeof(held)) != 0)) {
		log_warnx("%s: replaces %s, but not the object we hold "
			  "(RFC 8182 s.3.4.2)",
			  a->file_uri, uri);
		return false;
	}
	if (hash == NULL && have) {
		log_warnx("%s: publishes %s as new, but we hold it "
			  "(RFC 8182 s.3.4.2)",
			  a->file_uri, uri);
		return false;
	}
	return store_put(a->txn, uri, data, len);
}

static bool
apply_withdraw(void *arg, const char *uri, const unsigned char hash[32])
{
	struct apply *a = arg;
	unsigned char held[32];

	if (!in_namespace(a, uri))
		return false;
	if (!store_hash(a->txn, uri, held) ||
	    memcmp(held, hash, sizeof(held)) != 0) {
		log_warnx("%s: withdraws %s, but not the object we hold "
			  "(RFC 8182 s.3.4.2)",
			  a->file_uri, uri);
		return false;
	}
	return store_delete(a->txn, uri);
}

/*
 * Fetches one snapshot or delta into txn, checking its hash against the
 * notification's; false, logged, if anything about it is wrong.
 */
static bool
apply_file(const struct http_config *hc, struct store_txn *txn, const char *ns,
	   enum rrdp_file kind, const char *uri, const unsigned char want[32],
	   const struct rrdp_notification *n, uint64_t serial, size_t *bytes)
{
	struct apply a = {txn, uri, ns, kind == RRDP_SNAPSHOT};
	struct rrdp_handler h = {apply_publish, apply_withdraw, &a};
	struct transfer t = {0};
	unsigned char got[32];
	bool ok = false;

	if ((t.stream =
		 rrdp_stream_new(uri, kind, n->session_id, serial, &h)) == NULL)
		return false;
	fetch(hc, uri, false, NULL, &t);
	*bytes += t.res.bytes;
	if (!t.res.ok) {
		if (!t.stream_failed)
			log_warnx("%s: fetch failed: %s", uri, t.res.error);
	} else if (!t.stream_failed && stream_flush(&t) &&
		   rrdp_stream_finish(t.stream, got)) {
		ok = memcmp(got, want, sizeof(got)) == 0;
		if (!ok)
			log_warnx("%s: SHA-256 differs from the notification's "
				  "(RFC 8182 s.3.5.1.3)",
				  uri);
	}
	rrdp_stream_free(t.stream);
	t.stream = NULL;
	transfer_clear(&t);
	return ok;
}

/* The notification names files on its own origin only (RFC 9674). */
static bool
same_origin_files(const char *notify_uri, const struct rrdp_notification *n)
{
	size_t i;

	if (!rrdp_same_origin(notify_uri, n->snapshot_uri)) {
		log_warnx("%s: snapshot %s is on another origin (RFC 9674)",
			  notify_uri, n->snapshot_uri);
		return false;
	}
	for (i = 0; i < n->num_deltas; i++) {
		if (!rrdp_same_origin(notify_uri, n->deltas[i].uri)) {
			log_warnx("%s: delta %s is on another origin "
				  "(RFC 9674)",
				  notify_uri, n->deltas[i].uri);
			return false;
		}
	}
	return true;
}

/*
 * The index of the first delta to apply when the notification's deltas
 * continue our serial without a gap up to its serial; -1 if they do not.
 */
static long
delta_start(const struct rrdp_notification *n, uint64_t serial)
{
	size_t i;

	for (i = 0; i < n->num_deltas; i++) {
		if (n->deltas[i].serial != serial + 1)
			continue;
		for (size_t j = i; j < n->num_deltas; j++)
			if (n->deltas[j].serial != serial + 1 + (j - i))
				return -1;
		if (n->deltas[n->num_deltas - 1].serial != n->serial)
			return -1;
		return (long)i;
	}
	return -1;
}

static bool
apply_deltas(struct store *st, const struct http_config *hc,
	     const char *notify_uri, const char *ns,
	     const struct rrdp_notification *n, size_t first,
	     struct store_state *next, struct repo_result *res)
{
	struct store_txn *txn = store_begin(st, notify_uri, false);
	size_t i;

	if (txn == NULL)
		return false;
	for (i = first; i < n->num_deltas; i++) {
		const struct rrdp_delta_ref *d = &n->deltas[i];

		if (!apply_file(hc, txn, ns, RRDP_DELTA, d->uri, d->hash, n,
				d->serial, &res->bytes)) {
			store_abort(txn);
			return false;
		}
	}
	res->deltas = n->num_deltas - first;
	return store_commit(txn, next);
}

static bool
apply_snapshot(struct store *st, const struct http_config *hc,
	       const char *notify_uri, const char *ns,
	       const struct rrdp_notification *n, struct store_state *next,
	       struct repo_result *res)
{
	struct store_txn *txn = store_begin(st, notify_uri, true);

	if (txn == NULL)
		return false;
	if (!apply_file(hc, txn, ns, RRDP_SNAPSHOT, n->snapshot_uri,
			n->snapshot_hash, n, n->serial, &res->bytes)) {
		store_abort(txn);
		return false;
	}
	res->used_snapshot = true;
	return store_commit(txn, next);
}

static void
state_from(struct store_state *s, const struct rrdp_notification *n,
	   const struct transfer *t)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->session_id, sizeof(s->session_id), "%s", n->session_id);
	s->serial = n->serial;
	if (t->res.etag != NULL && strlen(t->res.etag) < sizeof(s->etag))
		snprintf(s->etag, sizeof(s->etag), "%s", t->res.etag);
	if (t->res.last_modified != NULL &&
	    strlen(t->res.last_modified) < sizeof(s->last_modified))
		snprintf(s->last_modified, sizeof(s->last_modified), "%s",
			 t->res.last_modified);
}

/*
 * RFC 9697: a delta we applied before must keep its hash. The notification
 * of the last sync is kept under keep_dir to compare; true if a delta up
 * to serial changed, and the repository must be re-synced from the
 * snapshot.
 */
static bool
deltas_changed(const char *keep_dir, const char *notify_uri,
	       const struct rrdp_notification *n, uint64_t serial)
{
	struct rrdp_notification *prev;
	unsigned char *data;
	bool changed = false;
	size_t len, i;

	if (keep_dir == NULL ||
	    (data = mirror_read(keep_dir, notify_uri, &len)) == NULL)
		return false;
	prev = rrdp_notification_parse(notify_uri, data, len);
	free(data);
	if (prev == NULL || strcmp(prev->session_id, n->session_id) != 0) {
		rrdp_notification_free(prev);
		return false;
	}
	for (i = 0; i < n->num_deltas && !changed; i++) {
		const struct rrdp_delta_ref *d = &n->deltas[i], *old;

		if (d->serial > serial)
			continue;
		old = rrdp_notification_delta(prev, d->serial);
		if (old != NULL && memcmp(old->hash, d->hash, 32) != 0) {
			log_info("%s: delta %llu changed since it was applied "
				 "(RFC 9697), re-syncing from the snapshot",
				 notify_uri, (unsigned long long)d->serial);
			changed = true;
		}
	}
	rrdp_notification_free(prev);
	return changed;
}

/* Brings the repository up to date; false if it could not (logged). */
static bool
update(struct store *st, const struct http_config *hc, const char *keep_dir,
       const char *notify_uri, const char *ns, struct repo_result *res)
{
	struct store_state cur, next;
	struct rrdp_notification *n = NULL;
	struct transfer t = {0};
	bool have = store_repo_state(st, notify_uri, &cur);
	bool ok = false;
	long first;

	fetch(hc, notify_uri, true, have ? &cur : NULL, &t);
	res->bytes += t.res.bytes;
	if (have && t.res.status == 304) {
		res->fetched = true;
		transfer_clear(&t);
		return store_touch_state(st, notify_uri, &cur);
	}
	if (t.too_big) {
		/* http.c counts decoded bytes: a gzip bomb ends here too. */
		log_warnx("%s: notification file of more than the %zu bytes "
			  "allowed, refused",
			  notify_uri, rp_limits.notification_size);
		goto out;
	}
	if (!t.res.ok) {
		log_warnx("%s: fetch failed: %s", notify_uri, t.res.error);
		goto out;
	}
	res->fetched = true;
	if ((n = rrdp_notification_parse(notify_uri, t.buf.data, t.buf.len)) ==
		NULL ||
	    !same_origin_files(notify_uri, n))
		goto out;
	state_from(&next, n, &t);

	if (have && strcmp(cur.session_id, n->session_id) == 0 &&
	    !deltas_changed(keep_dir, notify_uri, n, cur.serial)) {
		if (n->serial == cur.serial) {
			ok = store_touch_state(st, notify_uri, &next);
			goto out;
		}
		if (n->serial > cur.serial &&
		    (first = delta_start(n, cur.serial)) >= 0) {
			if (apply_deltas(st, hc, notify_uri, ns, n,
					 (size_t)first, &next, res)) {
				res->changed = true;
				ok = true;
				goto out;
			}
			log_info("%s: deltas failed, falling back to the "
				 "snapshot",
				 notify_uri);
		} else
			log_info("%s: serial %llu cannot be reached from %llu "
				 "by deltas, using the snapshot",
				 notify_uri, (unsigned long long)n->serial,
				 (unsigned long long)cur.serial);
	} else if (have)
		log_info("%s: new session %s, using the snapshot", notify_uri,
			 n->session_id);
	ok = apply_snapshot(st, hc, notify_uri, ns, n, &next, res);
	res->changed = ok;
out:
	/* What RFC 9697's check compares the next notification with. */
	if (ok && n != NULL && keep_dir != NULL)
		lkg_store(keep_dir, notify_uri, t.buf.data, t.buf.len);
	rrdp_notification_free(n);
	transfer_clear(&t);
	return ok;
}

bool
repo_sync(struct store *st, const struct http_config *hc, const char *keep_dir,
	  const char *notify_uri, const char *ns, char *root, size_t size,
	  struct repo_result *res)
{
	struct http_config rc = *hc;
	struct timespec now;
	bool have;

	/* --fetch-timeout bounds the repository, not each transfer: a
	 * notification listing thousands of slow deltas ends there too. */
	clock_gettime(CLOCK_MONOTONIC, &now);
	rc.deadline = now.tv_sec + hc->total_timeout;
	memset(res, 0, sizeof(*res));
	res->ok = update(st, &rc, keep_dir, notify_uri, ns, res);
	if (!res->ok)
		store_repo_failed(st, notify_uri, "update failed, see the log");
	have = store_repo_root(st, notify_uri, root, size);
	if (!res->ok && have)
		log_info("%s: update failed, the last good copy stays",
			 notify_uri);
	return have;
}
