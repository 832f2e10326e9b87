/*
 * The rsync fallback: repository modules (and TA certificates) copied with
 * the rsync program, for CAs that offer no RRDP or whose RRDP server fails.
 */
#ifndef VRPD_RSYNC_H
#define VRPD_RSYNC_H

#include <stdbool.h>

/*
 * Copies uri with `rsync` into dir, laid out by URI (mirror.h): a module
 * ("rsync://host/module/", only RPKI object files) or one file (a TA
 * certificate); each file at most MAX_OBJECT_SIZE bytes, cut off after 30
 * minutes in all. False, logged, on failure; what an earlier run copied
 * stays.
 */
bool rsync_fetch(const char *dir, const char *uri);

#endif /* VRPD_RSYNC_H */
