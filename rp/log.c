#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "limits.h"
#include "log.h"

static enum log_level log_level = LOG_LEVEL_INFO;
static FILE *log_stream;
static const char *log_prefix;

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
log_setstream(FILE *fp)
{
	log_stream = fp;
}

/*
 * The message is formatted first and written with one stdio call so that
 * lines from threads or processes sharing stderr do not interleave.
 */
static void __attribute__((format(printf, 1, 0)))
log_vwrite(const char *fmt, va_list ap, const char *suffix)
{
	/* Room for a maximal URI plus the rest of the message. */
	char line[2 * MAX_URI_LENGTH];
	FILE *fp = log_stream != NULL ? log_stream : stderr;
	int n;

	n = vsnprintf(line, sizeof(line), fmt, ap);
	if (n < 0)
		return;
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
	log_vwrite(fmt, ap, strerror(saved_errno));
	va_end(ap);
	errno = saved_errno;
}

void
log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(fmt, ap, NULL);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	if (log_level < LOG_LEVEL_INFO)
		return;
	va_start(ap, fmt);
	log_vwrite(fmt, ap, NULL);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list ap;

	if (log_level < LOG_LEVEL_DEBUG)
		return;
	va_start(ap, fmt);
	log_vwrite(fmt, ap, NULL);
	va_end(ap);
}
