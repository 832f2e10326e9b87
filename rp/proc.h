/*
 * What a Unix daemon does to itself: detach from the terminal, hold a
 * pid file, and give up root once its sockets are bound.
 */
#ifndef VRPD_PROC_H
#define VRPD_PROC_H

#include <stdbool.h>

/*
 * Forks into the background, in a new session; returns in the child only.
 * The starting process waits until proc_detach_done() (exit status 0) or
 * the child's exit (status 1), so that an error while starting, such as
 * a port in use, still reaches the terminal. The working directory stays
 * (relative paths in the options keep their meaning). False, logged.
 */
bool proc_detach(void);

/*
 * After proc_detach(), once serving: lets the starting process exit 0 and
 * puts stdio on /dev/null. True at once without a proc_detach(). False,
 * logged.
 */
bool proc_detach_done(void);

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
