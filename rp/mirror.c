/*
 * Reading objects from a local mirror. Every URI comes from a repository
 * object, so it is hostile: it is mapped onto the file system only after
 * each part has been checked, and files are opened without following a
 * symbolic link at the last step and read with a size bound.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "limits.h"
#include "log.h"
#include "mirror.h"

static bool
authority_ok(const char *a, size_t len)
{
	size_t i, colon = len;

	if (len == 0)
		return false;
	for (i = 0; i < len; i++) {
		char c = a[i];

		if (c == ':' && colon == len) {
			colon = i;
			continue;
		}
		if (colon != len) {
			if (c < '0' || c > '9')
				return false;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '-'))
			return false;
	}
	/* A host of only dots would name "." or ".." in the mirror. */
	if (strspn(a, ".") >= colon)
		return false;
	return colon != 0 && colon != len - 1;
}

static bool
segment_ok(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || (len == 1 && s[0] == '.') ||
	    (len == 2 && s[0] == '.' && s[1] == '.'))
		return false;
	for (i = 0; i < len; i++)
		if (s[i] <= 0x20 || s[i] >= 0x7f || s[i] == '\\')
			return false;
	return true;
}

bool
mirror_path(const char *dir, const char *uri, char *buf, size_t size)
{
	const char *rest, *slash, *seg;
	size_t urilen = strlen(uri);
	int n;

	if (urilen > MAX_URI_LENGTH) {
		log_warnx("%.64s...: URI longer than %d bytes", uri,
			  MAX_URI_LENGTH);
		return false;
	}
	if (strncmp(uri, "rsync://", 8) == 0)
		rest = uri + 8;
	else if (strncmp(uri, "https://", 8) == 0)
		rest = uri + 8;
	else {
		log_warnx("%s: not an rsync or https URI", uri);
		return false;
	}
	slash = strchr(rest, '/');
	if (slash == NULL || !authority_ok(rest, (size_t)(slash - rest))) {
		log_warnx("%s: bad authority in URI", uri);
		return false;
	}
	for (seg = slash + 1;; seg = slash + 1) {
		slash = strchr(seg, '/');
		if (!segment_ok(seg,
				slash ? (size_t)(slash - seg) : strlen(seg))) {
			log_warnx("%s: bad path segment in URI", uri);
			return false;
		}
		if (slash == NULL)
			break;
	}
	n = snprintf(buf, size, "%s/%s", dir, rest);
	if (n < 0 || (size_t)n >= size) {
		log_warnx("%s: path in mirror too long", uri);
		return false;
	}
	return true;
}

unsigned char *
mirror_read(const char *dir, const char *uri, size_t *len)
{
	char path[MAX_URI_LENGTH + 4096];
	unsigned char *buf;
	struct stat st;
	size_t got = 0;
	ssize_t r;
	int fd;

	if (!mirror_path(dir, uri, path, sizeof(path))) {
		errno = EINVAL;
		return NULL;
	}
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1) {
		if (errno != ENOENT)
			log_warn("%s: %s", uri, path);
		return NULL;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		log_warnx("%s: %s is not a regular file", uri, path);
		close(fd);
		errno = EINVAL;
		return NULL;
	}
	if ((unsigned long long)st.st_size > rp_limits.object_size) {
		log_warnx("%s: %lld bytes, more than the %zu allowed", uri,
			  (long long)st.st_size, rp_limits.object_size);
		close(fd);
		errno = EFBIG;
		return NULL;
	}
	buf = malloc(st.st_size > 0 ? (size_t)st.st_size : 1);
	if (buf == NULL) {
		close(fd);
		return NULL;
	}
	while (got < (size_t)st.st_size) {
		r = read(fd, buf + got, (size_t)st.st_size - got);
		if (r <= 0) {
			if (r == -1 && errno == EINTR)
				continue;
			log_warn("%s: read %s", uri, path);
			free(buf);
			close(fd);
			return NULL;
		}
		got += (size_t)r;
	}
	close(fd);
	*len = got;
	return buf;
}

bool
mirror_list(const char *dir, const char *dir_uri,
	    void (*fn)(void *arg, const char *name), void *arg)
{
	char uri[MAX_URI_LENGTH + 1], path[MAX_URI_LENGTH + 4096];
	size_t len = strlen(dir_uri);
	struct dirent *de;
	DIR *d;
	int fd;

	/* mirror_path refuses the empty last segment a trailing '/' makes. */
	if (len < 2 || len > MAX_URI_LENGTH || dir_uri[len - 1] != '/') {
		log_warnx("%s: not a directory URI", dir_uri);
		return false;
	}
	memcpy(uri, dir_uri, len - 1);
	uri[len - 1] = '\0';
	if (!mirror_path(dir, uri, path, sizeof(path)))
		return false;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1 || (d = fdopendir(fd)) == NULL) {
		if (fd != -1)
			close(fd);
		return false;
	}
	while ((de = readdir(d)) != NULL) {
		struct stat st;

		if (fstatat(fd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISREG(st.st_mode))
			fn(arg, de->d_name);
	}
	closedir(d);
	return true;
}

bool
mirror_module(const char *uri, char *buf, size_t size)
{
	const char *host_end, *module_end;
	size_t len;

	if (strncmp(uri, "rsync://", 8) != 0 ||
	    (host_end = strchr(uri + 8, '/')) == NULL ||
	    (module_end = strchr(host_end + 1, '/')) == NULL)
		return false;
	len = (size_t)(module_end - uri + 1);
	if (len >= size)
		return false;
	memcpy(buf, uri, len);
	buf[len] = '\0';
	return true;
}
