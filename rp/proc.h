/*
 * What a Unix daemon does to itself: detach from the terminal, hold a
 * pid file, and give up root once its sockets are bound.
 */
#ifndef VRPD_PROC_H
#define VRPD_PROC_H

#include <stdbool.h>

/*
 * Forks into the background (new session, cwd /, stdio on /dev/null);
 * returns in the child only. False, logged, if it cannot.
 */
bool proc_detach(void);

/*
 * Creates path holding our pid, locked for as long as we run; false,
 * logged, when it cannot be written or another process holds it.
 */
bool proc_pidfile(const char *path);

/* Removes the pid file proc_pidfile wrote, if any. */
void proc_pidfile_remove(void);

/*
 * Becomes user (its uid, gid and groups) after handing it dirs (each
 * chowned with everything in it, NULL-terminated); false, logged.
 */
bool proc_drop(const char *user, const char *const *dirs);

#endif /* VRPD_PROC_H */
