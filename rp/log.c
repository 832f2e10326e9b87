#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>

#include "limits.h"
#include "log.h"

static enum log_level log_level = LOG_LEVEL_INFO;
static FILE *log_stream;
static const char *log_prefix;
static bool log_syslog;

void
log_setlevel(enum log_level level)
{
	log_level = level;
}

void
log_setprefix(const char *prefix)
{
	log_prefix = prefix;
}

void
log_tosyslog(const char *ident)
{
	openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
	log_syslog = true;
}

void
log_setstream(FILE *fp)
{
	log_stream = fp;
}

/*
 * The message is formatted first and written with one stdio call so that
 * lines from threads or processes sharing stderr do not interleave.
 */
static void __attribute__((format(printf, 2, 0)))
log_vwrite(int priority, const char *fmt, va_list ap, const char *suffix)
{
	/* Room for a maximal URI plus the rest of the message. */
	char line[2 * MAX_URI_LENGTH];
	FILE *fp = log_stream != NULL ? log_stream : stderr;
	int n;

	n = vsnprintf(line, sizeof(line), fmt, ap);
	if (n < 0)
		return;
	if (log_syslog) {
		/* syslog names the program itself: no prefix. */
		syslog(priority, "%s%s%s", line, suffix != NULL ? ": " : "",
		       suffix != NULL ? suffix : "");
		return;
	}
	fprintf(fp, "%s%s%s%s%s\n", log_prefix != NULL ? log_prefix : "",
		log_prefix != NULL ? ": " : "", line,
		suffix != NULL ? ": " : "", suffix != NULL ? suffix : "");
	fflush(fp);
}

void
log_warn(const char *fmt, ...)
{
	va_list ap;
	int saved_errno = errno;

	va_start(ap, fmt);
	log_vwrite(LOG_WARNING, fmt, ap, strerror(saved_errno));
	va_end(ap);
	errno = saved_errno;
}

void
log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(LOG_WARNING, fmt, ap, NULL);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	if (log_level < LOG_LEVEL_INFO)
		return;
	va_start(ap, fmt);
	log_vwrite(LOG_INFO, fmt, ap, NULL);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list ap;

	if (log_level < LOG_LEVEL_DEBUG)
		return;
	va_start(ap, fmt);
	log_vwrite(LOG_DEBUG, fmt, ap, NULL);
	va_end(ap);
}
