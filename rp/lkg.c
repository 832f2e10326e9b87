/*
 * Keeping the last valid copy of each publication point.
 *
 * Files are written without an fsync each (half a million of them would
 * cost minutes); lkg_sync() flushes them all with one syncfs() at the end
 * of a run. A crash before that can leave a kept file short: the copy is
 * checked again, hash by hash against its manifest, every time it is
 * used, so such a file fails its point like any broken file would.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "limits.h"
#include "lkg.h"
#include "log.h"
#include "mirror.h"

bool
lkg_store(const char *dir, const char *uri, const unsigned char *data,
	  size_t len)
{
	char path[MAX_URI_LENGTH + 4096], tmp[sizeof(path) + 16];
	int fd, n;

	if (!mirror_path(dir, uri, path, sizeof(path)))
		return false;
	n = snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		return false;
	/* Directories only when missing: most files join an existing one. */
	if ((fd = mkstemp(tmp)) == -1 && errno == ENOENT) {
		if (!fsutil_mkdirs(path, true))
			return false;
		snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path);
		fd = mkstemp(tmp);
	}
	if (fd == -1) {
		log_warn("%s: keeping a copy in %s", uri, tmp);
		return false;
	}
	if (!fsutil_write_all(fd, data, len) || fchmod(fd, 0644) == -1 ||
	    close(fd) == -1) {
		log_warn("%s: writing %s", uri, tmp);
		unlink(tmp);
		return false;
	}
	if (rename(tmp, path) == -1) {
		log_warn("%s: rename %s", uri, tmp);
		unlink(tmp);
		return false;
	}
	return true;
}

bool
lkg_link(const char *dir, const char *uri, const char *root)
{
	static unsigned long counter;
	char path[MAX_URI_LENGTH + 4096], tmp[sizeof(path) + 48],
	    src[MAX_URI_LENGTH + 4096];
	int n;

	if (!mirror_path(dir, uri, path, sizeof(path)) ||
	    !mirror_path(root, uri, src, sizeof(src)))
		return false;
	/* Unique among threads and processes; mkstemp cannot make links. */
	n = snprintf(tmp, sizeof(tmp), "%s.%ld.%lu", path, (long)getpid(),
		     __atomic_fetch_add(&counter, 1, __ATOMIC_RELAXED));
	if (n < 0 || (size_t)n >= sizeof(tmp))
		return false;
	if (link(src, tmp) == -1) {
		if (errno != ENOENT || !fsutil_mkdirs(path, true) ||
		    link(src, tmp) == -1)
			return false;
	}
	if (rename(tmp, path) == -1) {
		log_warn("%s: rename %s", uri, tmp);
		unlink(tmp);
		return false;
	}
	return true;
}

bool
lkg_mft_newer(const char *dir, const char *uri, const unsigned char *der,
	      size_t len, const struct mft *cur, bool *same)
{
	unsigned char *kept_der;
	struct mft *kept;
	size_t kept_len;
	bool ok = true;

	*same = false;
	if ((kept_der = mirror_read(dir, uri, &kept_len)) == NULL)
		return true;
	if (kept_len == len && memcmp(kept_der, der, len) == 0) {
		*same = true;
		free(kept_der);
		return true;
	}
	/* A kept copy that no longer parses says nothing about cur. */
	kept = mft_parse(uri, kept_der, kept_len);
	free(kept_der);
	if (kept == NULL)
		return true;
	if (mft_number_cmp(cur, kept) <= 0) {
		log_warnx("%s: manifestNumber is not higher than that of the "
			  "last valid manifest (RFC 9286 s.4.2.1)",
			  uri);
		ok = false;
	} else if (cur->this_update <= kept->this_update) {
		log_warnx("%s: thisUpdate is not later than that of the last "
			  "valid manifest (RFC 9286 s.4.2.1)",
			  uri);
		ok = false;
	}
	mft_free(kept);
	return ok;
}

bool
lkg_sync(const char *dir)
{
	return fsutil_syncfs(dir);
}
