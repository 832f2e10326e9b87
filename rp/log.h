/*
 * Logging for the engine: one line per event, to stderr unless redirected.
 * Messages name what happened to whom (URI, file) and the rule involved.
 */
#ifndef VRPD_LOG_H
#define VRPD_LOG_H

#include <stdio.h>

enum log_level {
	LOG_LEVEL_WARN,
	LOG_LEVEL_INFO,
	LOG_LEVEL_DEBUG,
};

/* Messages above level are dropped; the default is LOG_LEVEL_INFO. */
void log_setlevel(enum log_level level);

/*
 * Starts every further line with prefix and ": " (a daemon names itself
 * in a shared log); NULL for none, the default. prefix must outlive use.
 */
void log_setprefix(const char *prefix);

/*
 * Sends all further messages to syslog(3) under ident, at LOG_WARNING,
 * LOG_INFO or LOG_DEBUG by their level (a daemon without a terminal).
 */
void log_tosyslog(const char *ident);

/* Sends all further messages to fp (NULL means stderr again). */
void log_setstream(FILE *fp);

/* Logs a warning followed by ": " and strerror(errno), like warn(3). */
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Logs a warning, like warnx(3). */
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Logs at info level: normal operation an operator wants to see. */
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Logs at debug level: detail only a developer wants to see. */
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* VRPD_LOG_H */
