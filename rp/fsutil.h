/* File-system steps the modules share (lkg.c, store.c, rsync.c, state.c). */
#ifndef VRPD_FSUTIL_H
#define VRPD_FSUTIL_H

#include <stdbool.h>
#include <stddef.h>

/* Writes all len bytes to fd, retrying short writes; false on error. */
bool fsutil_write_all(int fd, const void *data, size_t len);

/* Flushes the whole file system holding dir (syncfs); false, logged. */
bool fsutil_syncfs(const char *dir);

/* Makes dir's entries durable (fsync on the directory); false, logged. */
bool fsutil_fsync_dir(const char *dir);

/*
 * Replaces the file at path with len bytes of data, durably and at once:
 * a temporary file beside it, fsync, rename, fsync of the directory. A
 * crash leaves the old file or the new one. False, logged, when the old
 * file stays.
 */
bool fsutil_replace(const char *path, const void *data, size_t len);

/*
 * Creates every missing directory along path; with parents_only, all but
 * the last component (path names a file). path is restored on return;
 * false, logged.
 */
bool fsutil_mkdirs(char *path, bool parents_only);

#endif /* VRPD_FSUTIL_H */
