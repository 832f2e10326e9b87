/*
 * A local mirror of the repositories: DIR/<authority>/<path> for each rsync
 * URI, the layout of an rsync mirror (or an archive of one). vrpd --once
 * --mirror reads objects from it and fetches nothing.
 */
#ifndef VRPD_MIRROR_H
#define VRPD_MIRROR_H

#include <stdbool.h>
#include <stddef.h>

/*
 * The path under dir that holds uri (rsync:// or https://), in buf. False,
 * logged, if the URI could climb out of dir or is not one we accept: an
 * authority of [A-Za-z0-9.-] with an optional :port, path segments of
 * printable ASCII without '\', and no empty, "." or ".." segment.
 */
bool mirror_path(const char *dir, const char *uri, char *buf, size_t size);

/*
 * The contents of uri's file in the mirror, at most MAX_OBJECT_SIZE bytes;
 * the caller frees it. NULL if the file is absent (errno ENOENT, not
 * logged: the caller knows what a missing file means) or unreadable, too
 * big or a bad URI (logged).
 */
unsigned char *mirror_read(const char *dir, const char *uri, size_t *len);

/*
 * Calls fn(arg, name) for each regular file directly inside the directory
 * that dir_uri (ending in '/') names in the mirror. False if it cannot be
 * listed: a bad URI (logged) or no such directory (errno set, not logged).
 */
bool mirror_list(const char *dir, const char *dir_uri,
		 void (*fn)(void *arg, const char *name), void *arg);

/*
 * The module an rsync URI lies in, "rsync://host/module/" (with its final
 * '/'), in buf: a CA's repository and the namespace its objects must stay
 * in. False if uri names no module or buf is too small.
 */
bool mirror_module(const char *uri, char *buf, size_t size);

#endif /* VRPD_MIRROR_H */
