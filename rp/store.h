/*
 * The on-disk cache of RRDP repositories. Each repository, named by its
 * notification URI, has its own directory under DIR/rrdp, so one repository
 * can never write into another's files (doc/DESIGN.md, Safety). Its current
 * objects form a mirror tree (<root>/<authority>/<path>) that validate.c
 * reads with mirror_read(). A transaction builds the next tree beside the
 * current one and commit switches to it atomically: after a kill -9 or a
 * power cut at any moment the cache holds the old complete tree or the new
 * one, never a mix.
 *
 * Calls for different repositories may run in different threads at once;
 * calls for one repository must come from one thread at a time.
 */
#ifndef VRPD_STORE_H
#define VRPD_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct store;
struct store_txn;

/* What the last sync of a repository saw (RFC 8182 s.3.5.1, RFC 9110 s.8.8). */
struct store_state {
	char session_id[37]; /* a UUID (RFC 8182 s.3.5.1) */
	uint64_t serial;
	char etag[256];		/* of the notification file, "" if none */
	char last_modified[64]; /* of the notification file, "" if none */
};

/* For status pages and metrics. */
struct store_status {
	time_t last_attempt;  /* last commit, touch or failure; 0 if none */
	time_t last_success;  /* last commit or touch; 0 if none */
	uint64_t objects;     /* files in the current tree */
	uint64_t bytes;	      /* their total size */
	char last_error[256]; /* of a failure since last_success, or "" */
};

/*
 * Opens the cache under dir, creating dir and dir/rrdp, locking it against
 * a second process, and removing whatever a crashed transaction left. NULL,
 * logged, on failure.
 */
struct store *store_open(const char *dir);

/* Closes the cache; no transaction may be open. */
void store_close(struct store *st);

/* The repository's state in *out; false if it has no tree (never synced). */
bool store_repo_state(struct store *st, const char *notify_uri,
		      struct store_state *out);

/*
 * The directory holding the repository's current tree, in buf (PATH_MAX
 * bytes are always enough), for mirror_read(). False if it has none, or
 * buf is too small (logged). The directory stays until the next commit on
 * that repository removes it: do not commit while a reader uses it.
 */
bool store_repo_root(struct store *st, const char *notify_uri, char *buf,
		     size_t size);

/* The repository's status in *out; false if nothing was ever recorded. */
bool store_repo_status(struct store *st, const char *notify_uri,
		       struct store_status *out);

/*
 * Records a failed sync (the reason, cut at 255 bytes, and the time) and
 * keeps the tree and state as they are; false, logged, if it cannot.
 */
bool store_repo_failed(struct store *st, const char *notify_uri,
		       const char *reason);

/*
 * Starts building the repository's next tree: empty if replace_all (an RRDP
 * snapshot), else a copy of the current one (deltas). NULL, logged, if
 * there is no current tree to update, a transaction on the repository is
 * already open, or the file system fails.
 */
struct store_txn *store_begin(struct store *st, const char *notify_uri,
			      bool replace_all);

/*
 * The SHA-256 of the object the transaction's tree holds for uri, to check
 * an RRDP withdraw or replace (RFC 8182 s.3.5.3). False if there is none
 * (errno ENOENT, not logged) or it cannot be read (logged).
 */
bool store_hash(struct store_txn *t, const char *uri, unsigned char sha256[32]);

/*
 * Stores data as uri's object in the transaction's tree, replacing any.
 * False, logged, for a URI that is not a safe rsync URI (mirror_path()
 * rules) or collides with a directory: the transaction goes on and the
 * caller decides. False, logged, on a write error or when the repository
 * would exceed MAX_STORE_REPO_OBJECTS or MAX_STORE_REPO_BYTES: then the
 * transaction can no longer commit.
 */
bool store_put(struct store_txn *t, const char *uri, const unsigned char *data,
	       size_t len);

/*
 * Removes uri's object from the transaction's tree. False if there is none
 * (errno ENOENT, not logged), for a bad URI (logged), or on an error
 * (logged; the transaction can no longer commit).
 */
bool store_delete(struct store_txn *t, const char *uri);

/*
 * Makes the transaction's tree durable and the repository's current one,
 * with state, in one atomic step, then frees t. False, logged, if the
 * transaction failed or the switch could not be made: the old tree and
 * state stay current.
 */
bool store_commit(struct store_txn *t, const struct store_state *state);

/* Throws the transaction's tree away, leaving the old one current; frees t. */
void store_abort(struct store_txn *t);

/*
 * Records a sync that found nothing new: takes the etag and last_modified
 * of state, keeps the tree, and counts as a success. False, logged, if the
 * repository has no tree or state names another session or serial.
 */
bool store_touch_state(struct store *st, const char *notify_uri,
		       const struct store_state *state);

#endif /* VRPD_STORE_H */
