/*
 * The on-disk cache of RRDP repositories.
 *
 * DIR/rrdp/<id>/ belongs to one repository: id is the first 16 bytes of the
 * SHA-256 of its notification URI, in hex, so no URI a repository sends can
 * name another repository's directory. Inside it:
 *
 *   state   the number N of the current generation, the RRDP session and
 *           serial, the notification's etag, status; only ever replaced by
 *           rename(2)
 *   g<N>/   generation N, a mirror tree <authority>/<path>
 *
 * A transaction builds g<N+1> beside g<N>: from nothing for a snapshot, or
 * for deltas by hard-linking every file of g<N> (no data is copied). A put
 * never writes into an existing inode, which g<N> may share: it unlinks the
 * name in g<N+1> and creates a new file. Nothing reads g<N+1> until the
 * state file names it.
 *
 * Commit: one syncfs() makes g<N+1> durable (data, inodes and directory
 * entries); then the new state is written to a temporary file, fsynced,
 * renamed over state, and the directory fsynced; only then is g<N> removed.
 * The rename is the commit point. A crash before it leaves the old state
 * naming the untouched g<N>; after it, the new state names a g<N+1> that was
 * already on disk. Everything else in the directory (a half-built or
 * half-removed generation, a temporary state file) is named by no state and
 * is removed by the next store_open().
 *
 * One syncfs() per commit rather than an fsync() per file: a snapshot writes
 * hundreds of thousands of files, and on ext4 or XFS each fsync() forces a
 * journal commit of its own, while syncfs() writes everything back and
 * commits once. It also flushes other dirty files of the same file system,
 * which costs a commit time, never correctness.
 *
 * No state is kept in memory but the list of open transactions (under a
 * mutex), so repositories can be written from several threads; a lock file
 * keeps a second process from cleaning up under a running one.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/sha.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "limits.h"
#include "log.h"
#include "mirror.h"
#include "store.h"

/* Room below PATH_MAX for "/rrdp/<id>/g<N>/" and a short object path. */
#define STORE_DIR_MAX (PATH_MAX - 256)

#define STATE_MAGIC "vrpd-store-state 1"

struct store {
	char rrdp[PATH_MAX];	/* DIR/rrdp */
	int lock_fd;		/* holds this process's flock on the cache */
	pthread_mutex_t mu;	/* guards busy */
	struct store_txn *busy; /* the open transactions */
};

/* A repository's directory, found from its notification URI. */
struct repo {
	char notify[MAX_URI_LENGTH + 1];
	char id[33];
	char dir[PATH_MAX];
};

/* What a state file says. */
struct record {
	char notify[MAX_URI_LENGTH + 1];
	uint64_t generation; /* 0: no tree */
	struct store_state state;
	struct store_status status;
};

enum record_result {
	RECORD_OK,
	RECORD_NONE, /* no state file: never synced */
	RECORD_BAD,  /* unreadable or not ours: logged */
};

struct store_txn {
	struct store *st;
	struct store_txn *next; /* in st->busy */
	struct repo repo;
	uint64_t old_gen, new_gen;
	char gen[PATH_MAX]; /* the tree being built */
	uint64_t objects, bytes;
	bool failed;
};

/* Formats a path into buf, of PATH_MAX bytes; false, logged, if too long. */
static bool __attribute__((format(printf, 2, 3)))
path_fmt(char *buf, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, PATH_MAX, fmt, ap);
	va_end(ap);
	if (n < 0 || n >= PATH_MAX) {
		log_warnx("%.64s...: path too long", buf);
		return false;
	}
	return true;
}

static void
repo_id(const char *notify, char id[33])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[SHA256_DIGEST_LENGTH];
	int i;

	SHA256((const unsigned char *)notify, strlen(notify), md);
	for (i = 0; i < 16; i++) {
		id[2 * i] = hex[md[i] >> 4];
		id[2 * i + 1] = hex[md[i] & 0xf];
	}
	id[32] = '\0';
}

static bool
repo_find(struct store *st, const char *notify, struct repo *r)
{
	size_t len = strlen(notify);

	if (len == 0 || len > MAX_URI_LENGTH) {
		log_warnx("%.64s: not a notification URI of 1 to %d bytes",
			  notify, MAX_URI_LENGTH);
		return false;
	}
	memcpy(r->notify, notify, len + 1);
	repo_id(notify, r->id);
	return path_fmt(r->dir, "%s/%s", st->rrdp, r->id);
}

/* Creates directory path in parent if missing, durably. */
static bool
make_dir(const char *path, const char *parent)
{
	if (mkdir(path, 0755) == 0)
		return fsutil_fsync_dir(parent);
	if (errno == EEXIST)
		return true;
	log_warn("mkdir %s", path);
	return false;
}

/*
 * State file fields are one line each; bytes outside printable ASCII, space
 * and '%' are written as %XX, so an etag from a hostile server cannot add a
 * line.
 */
static bool
escape(const char *s, char *out, size_t size)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;

	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (o + 4 > size)
			return false;
		if (c <= 0x20 || c >= 0x7f || c == '%') {
			out[o++] = '%';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 0xf];
		} else
			out[o++] = (char)c;
	}
	out[o] = '\0';
	return true;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool
unescape(const char *s, char *out, size_t size)
{
	size_t o = 0;

	for (; *s != '\0'; s++) {
		int c = (unsigned char)*s;

		if (c <= 0x20 || c >= 0x7f)
			return false;
		if (c == '%') {
			int hi = hexval(s[1]), lo = hi < 0 ? -1 : hexval(s[2]);

			if (lo < 0 || (c = hi << 4 | lo) == 0)
				return false;
			s += 2;
		}
		if (o + 1 >= size)
			return false;
		out[o++] = (char)c;
	}
	out[o] = '\0';
	return true;
}

static bool
parse_u64(const char *s, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return false;
	*out = v;
	return true;
}

static bool
parse_time(const char *s, time_t *out)
{
	uint64_t v;

	if (!parse_u64(s, &v) || v > INT64_MAX)
		return false;
	*out = (time_t)v;
	return true;
}

/* The value of the next line, which must be "key value"; NULL if not. */
static const char *
next_field(char **cur, const char *key)
{
	char *line = *cur, *nl = strchr(line, '\n');
	size_t klen = strlen(key);

	if (nl == NULL || strncmp(line, key, klen) != 0 || line[klen] != ' ')
		return NULL;
	*nl = '\0';
	*cur = nl + 1;
	return line + klen + 1;
}

static bool
record_parse(char *buf, struct record *rec)
{
	const char *v;
	char *cur = buf;
	uint64_t t;

	memset(rec, 0, sizeof(*rec));
	if (strncmp(cur, STATE_MAGIC "\n", sizeof(STATE_MAGIC)) != 0)
		return false;
	cur += sizeof(STATE_MAGIC);
	if ((v = next_field(&cur, "notify")) == NULL ||
	    !unescape(v, rec->notify, sizeof(rec->notify)) ||
	    (v = next_field(&cur, "generation")) == NULL ||
	    !parse_u64(v, &rec->generation) ||
	    (v = next_field(&cur, "session")) == NULL ||
	    !unescape(v, rec->state.session_id,
		      sizeof(rec->state.session_id)) ||
	    (v = next_field(&cur, "serial")) == NULL ||
	    !parse_u64(v, &rec->state.serial) ||
	    (v = next_field(&cur, "etag")) == NULL ||
	    !unescape(v, rec->state.etag, sizeof(rec->state.etag)) ||
	    (v = next_field(&cur, "last-modified")) == NULL ||
	    !unescape(v, rec->state.last_modified,
		      sizeof(rec->state.last_modified)) ||
	    (v = next_field(&cur, "last-attempt")) == NULL ||
	    !parse_time(v, &rec->status.last_attempt) ||
	    (v = next_field(&cur, "last-success")) == NULL ||
	    !parse_time(v, &rec->status.last_success) ||
	    (v = next_field(&cur, "objects")) == NULL ||
	    !parse_u64(v, &rec->status.objects) ||
	    (v = next_field(&cur, "bytes")) == NULL || !parse_u64(v, &t) ||
	    (v = next_field(&cur, "last-error")) == NULL ||
	    !unescape(v, rec->status.last_error,
		      sizeof(rec->status.last_error)))
		return false;
	rec->status.bytes = t;
	return *cur == '\0';
}

/*
 * Reads dir's state file into rec. notify, when not NULL, is the URI the
 * caller expects it to name; the file must also hash to id, the name of
 * its directory.
 */
static enum record_result
record_read(const char *dir, const char *id, const char *notify,
	    struct record *rec)
{
	char path[PATH_MAX], buf[MAX_STORE_STATE_SIZE + 1], rid[33];
	struct stat sb;
	ssize_t n;
	int fd;

	if (!path_fmt(path, "%s/state", dir))
		return RECORD_BAD;
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1) {
		if (errno == ENOENT)
			return RECORD_NONE;
		log_warn("%s", path);
		return RECORD_BAD;
	}
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode) ||
	    sb.st_size > MAX_STORE_STATE_SIZE) {
		log_warnx("%s: not a state file of at most %d bytes", path,
			  MAX_STORE_STATE_SIZE);
		close(fd);
		return RECORD_BAD;
	}
	do
		n = pread(fd, buf, (size_t)sb.st_size, 0);
	while (n == -1 && errno == EINTR);
	close(fd);
	if (n < 0 || n != sb.st_size) {
		log_warn("%s: read", path);
		return RECORD_BAD;
	}
	buf[n] = '\0';
	if (strlen(buf) != (size_t)n || !record_parse(buf, rec)) {
		log_warnx("%s: malformed state file", path);
		return RECORD_BAD;
	}
	repo_id(rec->notify, rid);
	if (strcmp(rid, id) != 0 ||
	    (notify != NULL && strcmp(rec->notify, notify) != 0)) {
		log_warnx("%s: state file of %s, not of this repository", path,
			  rec->notify);
		return RECORD_BAD;
	}
	return RECORD_OK;
}

/*
 * Replaces dir's state file with rec: temporary file, fsync, rename, fsync
 * of the directory. True once the rename is done: rec is then the state,
 * even if the directory fsync failed (logged).
 */
static bool
record_write(const char *dir, const struct record *rec)
{
	char notify[3 * MAX_URI_LENGTH + 1], session[3 * 37], etag[3 * 256],
	    lm[3 * 64], err[3 * 256], buf[MAX_STORE_STATE_SIZE];
	char path[PATH_MAX];
	const struct store_status *s = &rec->status;
	int n;

	if (!escape(rec->notify, notify, sizeof(notify)) ||
	    !escape(rec->state.session_id, session, sizeof(session)) ||
	    !escape(rec->state.etag, etag, sizeof(etag)) ||
	    !escape(rec->state.last_modified, lm, sizeof(lm)) ||
	    !escape(s->last_error, err, sizeof(err)))
		return false;
	n = snprintf(buf, sizeof(buf),
		     STATE_MAGIC "\nnotify %s\ngeneration %llu\nsession %s\n"
				 "serial %llu\netag %s\nlast-modified %s\n"
				 "last-attempt %lld\nlast-success %lld\n"
				 "objects %llu\nbytes %llu\nlast-error %s\n",
		     notify, (unsigned long long)rec->generation, session,
		     (unsigned long long)rec->state.serial, etag, lm,
		     (long long)s->last_attempt, (long long)s->last_success,
		     (unsigned long long)s->objects,
		     (unsigned long long)s->bytes, err);
	if (n < 0 || (size_t)n >= sizeof(buf))
		return false;
	if (!path_fmt(path, "%s/state", dir))
		return false;
	return fsutil_replace(path, buf, (size_t)n);
}

/* The names in a directory, read at once so that no descriptor stays open
 * while the caller recurses into them: entries of a d_type byte, the name
 * and a NUL. */
struct names {
	char *buf;
	size_t len;
};

static bool
names_read(const char *path, struct names *n)
{
	size_t cap = 0;
	struct dirent *de;
	DIR *d;
	int fd;

	n->buf = NULL;
	n->len = 0;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1 || (d = fdopendir(fd)) == NULL) {
		if (fd != -1)
			close(fd);
		return false;
	}
	errno = 0;
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name) + 2;

		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (n->len + len > cap) {
			size_t ncap = cap == 0 ? 4096 : 2 * cap;
			char *p;

			if (ncap < n->len + len ||
			    (p = realloc(n->buf, ncap)) == NULL) {
				free(n->buf);
				closedir(d);
				errno = ENOMEM;
				return false;
			}
			n->buf = p;
			cap = ncap;
		}
		n->buf[n->len] = (char)de->d_type;
		memcpy(n->buf + n->len + 1, de->d_name, len - 1);
		n->len += len;
		errno = 0;
	}
	if (errno != 0) {
		free(n->buf);
		closedir(d);
		return false;
	}
	closedir(d);
	return true;
}

#define NAMES_FOREACH(n, e)                                                    \
	for ((e) = (n)->buf; (e) < (n)->buf + (n)->len;                        \
	     (e) += strlen((e) + 1) + 2)

/* Appends "/name" to path (of PATH_MAX bytes, len long). */
static bool
path_push(char *path, size_t len, const char *name)
{
	int n = snprintf(path + len, PATH_MAX - len, "/%s", name);

	if (n < 0 || (size_t)n >= PATH_MAX - len) {
		path[len] = '\0';
		log_warnx("%s/%s: path too long", path, name);
		return false;
	}
	return true;
}

static bool tree_remove(char *path);

static bool
dir_remove(char *path)
{
	size_t len = strlen(path);
	struct names n;
	const char *e;
	bool ok = true;

	if (!names_read(path, &n)) {
		if (errno == ENOENT)
			return true;
		log_warn("%s", path);
		return false;
	}
	NAMES_FOREACH(&n, e)
	{
		if (!path_push(path, len, e + 1)) {
			ok = false;
			continue;
		}
		if (!(e[0] == DT_DIR ? dir_remove(path) : tree_remove(path)))
			ok = false;
		path[len] = '\0';
	}
	free(n.buf);
	if (rmdir(path) == -1 && errno != ENOENT) {
		log_warn("rmdir %s", path);
		ok = false;
	}
	return ok;
}

/* Removes path (a buffer of PATH_MAX) and all below it; never follows a
 * symbolic link. */
static bool
tree_remove(char *path)
{
	if (unlink(path) == 0 || errno == ENOENT)
		return true;
	if (errno == EISDIR || errno == EPERM)
		return dir_remove(path);
	log_warn("unlink %s", path);
	return false;
}

/*
 * Makes dst a tree of hard links to the files of the tree src (both buffers
 * of PATH_MAX). Only directories and regular files are linked; the store
 * makes nothing else.
 */
static bool
tree_link(char *src, char *dst)
{
	size_t slen = strlen(src), dlen = strlen(dst);
	struct names n;
	const char *e;
	bool ok = true;

	if (mkdir(dst, 0755) == -1) {
		log_warn("mkdir %s", dst);
		return false;
	}
	if (!names_read(src, &n)) {
		log_warn("%s", src);
		return false;
	}
	NAMES_FOREACH(&n, e)
	{
		unsigned char type = (unsigned char)e[0];
		struct stat sb;

		if (!path_push(src, slen, e + 1) ||
		    !path_push(dst, dlen, e + 1)) {
			ok = false;
			break;
		}
		if (type == DT_UNKNOWN && lstat(src, &sb) == 0)
			type = S_ISDIR(sb.st_mode) ? DT_DIR
			    : S_ISREG(sb.st_mode)  ? DT_REG
						   : DT_UNKNOWN;
		if (type == DT_DIR)
			ok = tree_link(src, dst);
		else if (type == DT_REG) {
			if (link(src, dst) == -1) {
				log_warn("link %s", dst);
				ok = false;
			}
		} else
			log_warnx("%s: not a file or directory, left out", src);
		src[slen] = '\0';
		dst[dlen] = '\0';
		if (!ok)
			break;
	}
	src[slen] = '\0';
	dst[dlen] = '\0';
	free(n.buf);
	return ok;
}

static bool
gen_name(const char *name, uint64_t *gen)
{
	return name[0] == 'g' && parse_u64(name + 1, gen) && *gen != 0;
}

/*
 * Removes from a repository's directory every generation but keep (0: all)
 * and every temporary state file: what an interrupted transaction, commit
 * or cleanup left (logged if crashed), or the tree a commit replaced.
 */
static bool
repo_clean(const char *dir, uint64_t keep, bool crashed)
{
	char path[PATH_MAX];
	size_t len = strlen(dir);
	struct names n;
	const char *e;
	uint64_t gen;
	bool ok = true;

	if (!names_read(dir, &n)) {
		if (errno == ENOENT)
			return true;
		log_warn("%s", dir);
		return false;
	}
	memcpy(path, dir, len + 1);
	NAMES_FOREACH(&n, e)
	{
		const char *name = e + 1;
		bool old = gen_name(name, &gen) && gen != keep;

		if (!old && strncmp(name, "state.tmp.", 10) != 0)
			continue;
		if (crashed)
			log_info("%s: removing %s, left by an interrupted "
				 "transaction",
				 dir, name);
		if (!path_push(path, len, name) ||
		    !(old ? tree_remove(path) : unlink(path) == 0))
			ok = false;
		path[len] = '\0';
	}
	free(n.buf);
	return ok;
}

/* Recovers every repository from whatever a crash left. */
static void
store_recover(struct store *st)
{
	char dir[PATH_MAX];
	struct record rec;
	struct names n;
	const char *e;

	if (!names_read(st->rrdp, &n)) {
		log_warn("%s", st->rrdp);
		return;
	}
	NAMES_FOREACH(&n, e)
	{
		const char *id = e + 1;

		if (strlen(id) != 32 || strspn(id, "0123456789abcdef") != 32)
			continue;
		if (!path_fmt(dir, "%s/%s", st->rrdp, id))
			continue;
		switch (record_read(dir, id, NULL, &rec)) {
		case RECORD_OK:
			repo_clean(dir, rec.generation, true);
			break;
		case RECORD_NONE:
			repo_clean(dir, 0, true);
			break;
		case RECORD_BAD:
			/* Left alone; a snapshot will replace it. */
			break;
		}
	}
	free(n.buf);
}

struct store *
store_open(const char *dir)
{
	char lock[PATH_MAX];
	struct store *st;

	if (strlen(dir) > STORE_DIR_MAX) {
		log_warnx("%.64s...: cache directory name too long", dir);
		return NULL;
	}
	if ((st = calloc(1, sizeof(*st))) == NULL) {
		log_warn("store_open");
		return NULL;
	}
	if (!path_fmt(st->rrdp, "%s/rrdp", dir) ||
	    !path_fmt(lock, "%s/lock", st->rrdp)) {
		free(st);
		return NULL;
	}
	if (mkdir(dir, 0755) == -1 && errno != EEXIST) {
		log_warn("mkdir %s", dir);
		free(st);
		return NULL;
	}
	if (!make_dir(st->rrdp, dir)) {
		free(st);
		return NULL;
	}
	st->lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (st->lock_fd == -1 || flock(st->lock_fd, LOCK_EX | LOCK_NB) == -1) {
		if (errno == EWOULDBLOCK)
			log_warnx("%s: cache in use by another process", dir);
		else
			log_warn("%s", lock);
		if (st->lock_fd != -1)
			close(st->lock_fd);
		free(st);
		return NULL;
	}
	pthread_mutex_init(&st->mu, NULL);
	store_recover(st);
	return st;
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	close(st->lock_fd);
	pthread_mutex_destroy(&st->mu);
	free(st);
}

/*
 * The repository's record, if it names a tree that is there. A tree gone
 * from under its state (removed by hand) is logged and counts as none, so
 * the caller syncs a snapshot instead of applying deltas to nothing.
 */
static bool
repo_current(struct store *st, const char *notify, struct repo *r,
	     struct record *rec)
{
	char path[PATH_MAX];
	struct stat sb;

	if (!repo_find(st, notify, r) ||
	    record_read(r->dir, r->id, r->notify, rec) != RECORD_OK ||
	    rec->generation == 0)
		return false;
	if (!path_fmt(path, "%s/g%llu", r->dir,
		      (unsigned long long)rec->generation))
		return false;
	if (lstat(path, &sb) == -1 || !S_ISDIR(sb.st_mode)) {
		log_warnx("%s: tree %s of serial %llu is missing", notify, path,
			  (unsigned long long)rec->state.serial);
		return false;
	}
	return true;
}

bool
store_repo_state(struct store *st, const char *notify_uri,
		 struct store_state *out)
{
	struct record rec;
	struct repo r;

	if (!repo_current(st, notify_uri, &r, &rec))
		return false;
	*out = rec.state;
	return true;
}

bool
store_repo_root(struct store *st, const char *notify_uri, char *buf,
		size_t size)
{
	struct record rec;
	struct repo r;
	int n;

	if (!repo_current(st, notify_uri, &r, &rec))
		return false;
	n = snprintf(buf, size, "%s/g%llu", r.dir,
		     (unsigned long long)rec.generation);
	if (n < 0 || (size_t)n >= size) {
		log_warnx("%s: buffer too small for the tree's path", r.notify);
		return false;
	}
	return true;
}

bool
store_repo_status(struct store *st, const char *notify_uri,
		  struct store_status *out)
{
	struct record rec;
	struct repo r;

	if (!repo_find(st, notify_uri, &r) ||
	    record_read(r.dir, r.id, r.notify, &rec) != RECORD_OK)
		return false;
	*out = rec.status;
	return true;
}

bool
store_repo_failed(struct store *st, const char *notify_uri, const char *reason)
{
	struct record rec;
	struct repo r;

	if (!repo_find(st, notify_uri, &r))
		return false;
	switch (record_read(r.dir, r.id, r.notify, &rec)) {
	case RECORD_OK:
		break;
	case RECORD_NONE:
		memset(&rec, 0, sizeof(rec));
		snprintf(rec.notify, sizeof(rec.notify), "%s", r.notify);
		if (!make_dir(r.dir, st->rrdp))
			return false;
		break;
	case RECORD_BAD:
		return false;
	}
	rec.status.last_attempt = time(NULL);
	snprintf(rec.status.last_error, sizeof(rec.status.last_error), "%s",
		 reason);
	return record_write(r.dir, &rec);
}

/* Whether the caller's state can be stored: every string terminated. */
static bool
state_ok(const char *notify, const struct store_state *s)
{
	if (s->session_id[0] == '\0' ||
	    memchr(s->session_id, '\0', sizeof(s->session_id)) == NULL ||
	    memchr(s->etag, '\0', sizeof(s->etag)) == NULL ||
	    memchr(s->last_modified, '\0', sizeof(s->last_modified)) == NULL) {
		log_warnx("%s: state without a session or with an "
			  "unterminated field",
			  notify);
		return false;
	}
	return true;
}

bool
store_touch_state(struct store *st, const char *notify_uri,
		  const struct store_state *state)
{
	struct record rec;
	struct repo r;

	if (!state_ok(notify_uri, state))
		return false;
	if (!repo_current(st, notify_uri, &r, &rec)) {
		log_warnx("%s: no synced tree whose state to touch",
			  notify_uri);
		return false;
	}
	if (strcmp(rec.state.session_id, state->session_id) != 0 ||
	    rec.state.serial != state->serial) {
		log_warnx("%s: session %s serial %llu is not the stored "
			  "session %s serial %llu; a new state needs a commit",
			  notify_uri, state->session_id,
			  (unsigned long long)state->serial,
			  rec.state.session_id,
			  (unsigned long long)rec.state.serial);
		return false;
	}
	memcpy(rec.state.etag, state->etag, sizeof(rec.state.etag));
	memcpy(rec.state.last_modified, state->last_modified,
	       sizeof(rec.state.last_modified));
	rec.status.last_attempt = rec.status.last_success = time(NULL);
	rec.status.last_error[0] = '\0';
	return record_write(r.dir, &rec);
}

static bool
busy_add(struct store *st, struct store_txn *t)
{
	struct store_txn *b;
	bool ok = true;

	pthread_mutex_lock(&st->mu);
	for (b = st->busy; b != NULL; b = b->next)
		if (strcmp(b->repo.id, t->repo.id) == 0)
			ok = false;
	if (ok) {
		t->next = st->busy;
		st->busy = t;
	}
	pthread_mutex_unlock(&st->mu);
	return ok;
}

static void
txn_free(struct store_txn *t)
{
	struct store_txn **b;

	pthread_mutex_lock(&t->st->mu);
	for (b = &t->st->busy; *b != NULL; b = &(*b)->next)
		if (*b == t) {
			*b = t->next;
			break;
		}
	pthread_mutex_unlock(&t->st->mu);
	free(t);
}

struct store_txn *
store_begin(struct store *st, const char *notify_uri, bool replace_all)
{
	char src[PATH_MAX];
	struct store_txn *t;
	struct record rec;
	bool ok;

	if ((t = calloc(1, sizeof(*t))) == NULL) {
		log_warn("%s", notify_uri);
		return NULL;
	}
	t->st = st;
	if (!repo_find(st, notify_uri, &t->repo)) {
		free(t);
		return NULL;
	}
	if (!busy_add(st, t)) {
		log_warnx("%s: a transaction is already open", notify_uri);
		free(t);
		return NULL;
	}
	if (!repo_current(st, notify_uri, &t->repo, &rec))
		rec.generation = 0;
	if (rec.generation == 0 && !replace_all) {
		log_warnx("%s: no synced tree to apply deltas to", notify_uri);
		txn_free(t);
		return NULL;
	}
	t->old_gen = rec.generation;
	t->new_gen = rec.generation + 1;
	if (!replace_all) {
		t->objects = rec.status.objects;
		t->bytes = rec.status.bytes;
	}
	if (!path_fmt(t->gen, "%s/g%llu", t->repo.dir,
		      (unsigned long long)t->new_gen) ||
	    !path_fmt(src, "%s/g%llu", t->repo.dir,
		      (unsigned long long)t->old_gen)) {
		txn_free(t);
		return NULL;
	}
	/* A generation of that number is the leftover of an abort that
	 * could not finish: nothing names it. */
	ok = make_dir(t->repo.dir, st->rrdp) && tree_remove(t->gen);
	if (ok && replace_all) {
		ok = mkdir(t->gen, 0755) == 0;
		if (!ok)
			log_warn("mkdir %s", t->gen);
	} else if (ok)
		ok = tree_link(src, t->gen);
	if (!ok) {
		log_warnx("%s: cannot start a transaction in %s", notify_uri,
			  t->gen);
		tree_remove(t->gen);
		txn_free(t);
		return NULL;
	}
	return t;
}

/* The path of uri's object in the transaction's tree, in path. */
static bool
txn_path(struct store_txn *t, const char *uri, char path[PATH_MAX])
{
	if (strncmp(uri, "rsync://", 8) != 0) {
		log_warnx("%s: not an rsync URI (RFC 8182 s.3.5.2, s.3.5.3)",
			  uri);
		return false;
	}
	return mirror_path(t->gen, uri, path, PATH_MAX);
}

bool
store_hash(struct store_txn *t, const char *uri, unsigned char sha256[32])
{
	char path[PATH_MAX];
	unsigned char *data;
	struct stat sb;
	size_t len;

	if (!txn_path(t, uri, path)) {
		errno = EINVAL;
		return false;
	}
	if (lstat(path, &sb) == -1 || !S_ISREG(sb.st_mode)) {
		errno = ENOENT;
		return false;
	}
	if ((data = mirror_read(t->gen, uri, &len)) == NULL) {
		if (errno == ENOENT)
			log_warnx("%s: vanished from %s", uri, t->gen);
		errno = EIO;
		return false;
	}
	SHA256(data, len, sha256);
	free(data);
	return true;
}

/* Creates every directory between the tree's root and path's file. */
static void
make_parents(struct store_txn *t, char *path)
{
	char *slash;

	for (slash = strchr(path + strlen(t->gen) + 1, '/'); slash != NULL;
	     slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(path, 0755);
		*slash = '/';
	}
}

static int
create(const char *path)
{
	return open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		    0644);
}

static bool
txn_fail(struct store_txn *t)
{
	t->failed = true;
	return false;
}

bool
store_put(struct store_txn *t, const char *uri, const unsigned char *data,
	  size_t len)
{
	char path[PATH_MAX];
	uint64_t old_size = 0, objects, bytes;
	bool replaced = false, written;
	struct stat sb;
	int fd;

	if (t->failed) {
		log_warnx("%s: transaction for %s has failed", uri,
			  t->repo.notify);
		return false;
	}
	if (!txn_path(t, uri, path))
		return false;
	if (len > rp_limits.object_size) {
		log_warnx("%s: %zu bytes, more than the %zu allowed", uri, len,
			  rp_limits.object_size);
		return false;
	}
	if ((fd = create(path)) == -1 && errno == ENOENT) {
		make_parents(t, path);
		fd = create(path);
	}
	if (fd == -1 && errno == EEXIST) {
		if (lstat(path, &sb) == -1 || !S_ISREG(sb.st_mode))
			errno = EEXIST;
		else {
			/* The old file may be a link into the current tree:
			 * it is replaced, never written into. */
			old_size = (uint64_t)sb.st_size;
			replaced = true;
			if (unlink(path) == 0)
				fd = create(path);
		}
	}
	if (fd == -1) {
		if (errno == EEXIST || errno == ENOTDIR || errno == EISDIR) {
			log_warnx("%s: its path is taken by another object's "
				  "directory or file",
				  uri);
			return false;
		}
		log_warn("%s: creating %s", uri, path);
		return txn_fail(t);
	}
	/* The counts come from the state file; never let them wrap. */
	objects = t->objects + (replaced ? 0 : 1);
	bytes = (t->bytes > old_size ? t->bytes - old_size : 0) + len;
	if (objects > rp_limits.repo_objects || bytes > rp_limits.repo_bytes) {
		log_warnx("%s: %s would hold more than %zu objects or %llu "
			  "bytes",
			  uri, t->repo.notify, rp_limits.repo_objects,
			  rp_limits.repo_bytes);
		close(fd);
		unlink(path);
		return txn_fail(t);
	}
	written = fsutil_write_all(fd, data, len);
	if (close(fd) == -1)
		written = false;
	if (!written) {
		log_warn("%s: writing %s", uri, path);
		unlink(path);
		return txn_fail(t);
	}
	t->objects = objects;
	t->bytes = bytes;
	return true;
}

bool
store_delete(struct store_txn *t, const char *uri)
{
	char path[PATH_MAX], *slash;
	size_t root = strlen(t->gen);
	struct stat sb;

	if (t->failed) {
		log_warnx("%s: transaction for %s has failed", uri,
			  t->repo.notify);
		return false;
	}
	if (!txn_path(t, uri, path)) {
		errno = EINVAL;
		return false;
	}
	if (lstat(path, &sb) == -1 || !S_ISREG(sb.st_mode)) {
		errno = ENOENT;
		return false;
	}
	if (unlink(path) == -1) {
		log_warn("%s: removing %s", uri, path);
		return txn_fail(t);
	}
	t->objects -= t->objects > 0 ? 1 : 0;
	t->bytes -=
	    t->bytes > (uint64_t)sb.st_size ? (uint64_t)sb.st_size : t->bytes;
	/* Empty directories would otherwise pile up from tree to tree. */
	while ((slash = strrchr(path, '/')) != NULL &&
	       (size_t)(slash - path) > root) {
		*slash = '\0';
		if (rmdir(path) == -1)
			break;
	}
	return true;
}

bool
store_commit(struct store_txn *t, const struct store_state *state)
{
	struct record rec;
	bool ok = false;

	if (t->failed)
		log_warnx("%s: not committing a failed transaction",
			  t->repo.notify);
	else if (state_ok(t->repo.notify, state) && fsutil_syncfs(t->gen)) {
		memset(&rec, 0, sizeof(rec));
		snprintf(rec.notify, sizeof(rec.notify), "%s", t->repo.notify);
		rec.generation = t->new_gen;
		rec.state = *state;
		rec.status.last_attempt = rec.status.last_success = time(NULL);
		rec.status.objects = t->objects;
		rec.status.bytes = t->bytes;
		ok = record_write(t->repo.dir, &rec);
	}
	if (ok)
		repo_clean(t->repo.dir, t->new_gen, false);
	else
		tree_remove(t->gen);
	txn_free(t);
	return ok;
}

void
store_abort(struct store_txn *t)
{
	if (t == NULL)
		return;
	tree_remove(t->gen);
	txn_free(t);
}
