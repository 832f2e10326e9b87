/* Small file-system helpers; see fsutil.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "log.h"

bool
fsutil_write_all(int fd, const void *data, size_t len)
{
	const unsigned char *p = data;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		p += n;
		len -= (size_t)n;
	}
	return true;
}

/* Opens dir and applies fn to it; what fn returned, logged as what. */
static bool
on_dir(const char *dir, int (*fn)(int), const char *what)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	bool ok;

	if (fd == -1) {
		log_warn("%s", dir);
		return false;
	}
	ok = fn(fd) == 0;
	if (!ok)
		log_warn("%s %s", what, dir);
	close(fd);
	return ok;
}

bool
fsutil_syncfs(const char *dir)
{
	return on_dir(dir, syncfs, "syncfs");
}

bool
fsutil_fsync_dir(const char *dir)
{
	return on_dir(dir, fsync, "fsync");
}

bool
fsutil_mkdirs(char *path, bool parents_only)
{
	char *slash = path;

	for (;;) {
		slash = strchr(slash + 1, '/');
		if (slash == NULL && parents_only)
			return true;
		if (slash != NULL)
			*slash = '\0';
		if (mkdir(path, 0755) == -1 && errno != EEXIST) {
			log_warn("mkdir %s", path);
			if (slash != NULL)
				*slash = '/';
			return false;
		}
		if (slash == NULL)
			return true;
		*slash = '/';
	}
}

bool
fsutil_replace(const char *path, const void *data, size_t len)
{
	char tmp[PATH_MAX], dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	int fd;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp.XXXXXX", path) >=
	    sizeof(tmp)) {
		log_warnx("%s: path too long", path);
		return false;
	}
	if ((fd = mkostemp(tmp, O_CLOEXEC)) == -1) {
		log_warn("%s", tmp);
		return false;
	}
	if (!fsutil_write_all(fd, data, len) || fchmod(fd, 0644) == -1 ||
	    fsync(fd) == -1) {
		log_warn("writing %s", tmp);
		close(fd);
		unlink(tmp);
		return false;
	}
	if (close(fd) == -1 || rename(tmp, path) == -1) {
		log_warn("replacing %s", path);
		unlink(tmp);
		return false;
	}
	/* The rename is done: path holds data even if this fails (logged). */
	if (slash == NULL)
		fsutil_fsync_dir(".");
	else if (slash == path)
		fsutil_fsync_dir("/");
	else if ((size_t)(slash - path) < sizeof(dir)) {
		memcpy(dir, path, (size_t)(slash - path));
		dir[slash - path] = '\0';
		fsutil_fsync_dir(dir);
	}
	return true;
}
