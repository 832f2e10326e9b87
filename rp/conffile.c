/*
 * The config file, parsed by inih. Each "key = value" becomes
 * "--key=value" (or "--key" for a flag set to yes), checked against the
 * command line's option table here so that a typo names its line.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ini.h>

#include "conffile.h"

/* Options a config file cannot hold: they are about the invocation. */
static const char *const NOT_IN_FILE[] = {"config", "help", "version", NULL};

/* A config file is a few dozen lines; more options than this are junk. */
#define CONFIG_MAX_OPTIONS 1024

struct parse {
	const struct option *longopts;
	char **opts;
	size_t num_opts;
	char why[256]; /* the first error, for the line ini_parse reports */
	bool failed;
};

static bool
truth(const char *value, bool *on)
{
	static const char *const yes[] = {"yes", "true", "on", "1", NULL};
	static const char *const no[] = {"no", "false", "off", "0", NULL};
	size_t i;

	for (i = 0; yes[i] != NULL; i++) {
		if (strcasecmp(value, yes[i]) == 0)
			return *on = true;
	}
	for (i = 0; no[i] != NULL; i++) {
		if (strcasecmp(value, no[i]) == 0) {
			*on = false;
			return true;
		}
	}
	return false;
}

/* Keeps the first error's text; 0 tells inih to report its line. */
static int __attribute__((format(printf, 2, 3)))
fail(struct parse *p, const char *fmt, ...)
{
	va_list ap;

	if (!p->failed) {
		va_start(ap, fmt);
		vsnprintf(p->why, sizeof(p->why), fmt, ap);
		va_end(ap);
	}
	p->failed = true;
	return 0;
}

static int
handler(void *user, const char *section, const char *key, const char *value)
{
	struct parse *p = user;
	const struct option *o;
	char *opt;
	bool on;
	size_t i;

	if (section[0] != '\0')
		return fail(p, "sections are not used ([%s])", section);
	for (i = 0; NOT_IN_FILE[i] != NULL; i++) {
		if (strcmp(key, NOT_IN_FILE[i]) == 0)
			return fail(p, "key '%s' belongs on the command line",
				    key);
	}
	for (o = p->longopts; o->name != NULL; o++) {
		if (strcmp(o->name, key) == 0)
			break;
	}
	if (o->name == NULL)
		return fail(p, "unknown key '%s'", key);
	if (p->num_opts == CONFIG_MAX_OPTIONS)
		return fail(p, "too many options (at '%s')", key);
	if (o->has_arg == no_argument) {
		if (!truth(value, &on))
			return fail(p, "key '%s' takes yes or no", key);
		if (!on)
			return 1;
		if (asprintf(&opt, "--%s", key) == -1)
			return fail(p, "out of memory at '%s'", key);
	} else {
		if (value[0] == '\0')
			return fail(p, "key '%s' needs a value", key);
		if (asprintf(&opt, "--%s=%s", key, value) == -1)
			return fail(p, "out of memory at '%s'", key);
	}
	p->opts[p->num_opts++] = opt;
	return 1;
}

/* The option name of a command-line word, or NULL: "--tal=x" -> "tal". */
static size_t
option_name(const char *arg, const char **name)
{
	if (strncmp(arg, "--", 2) != 0 || arg[2] == '\0') {
		*name = NULL;
		return 0;
	}
	*name = arg + 2;
	return strcspn(*name, "=");
}

/* Whether the command line gives the option of the config word opt. */
static bool
on_command_line(const char *opt, int argc, char **argv)
{
	const char *name, *cname;
	size_t len = option_name(opt, &name), clen;
	int i;

	for (i = 1; i < argc; i++) {
		clen = option_name(argv[i], &cname);
		if (cname != NULL && clen == len &&
		    strncmp(cname, name, len) == 0)
			return true;
	}
	return false;
}

bool
config_load(const char *path, const struct option *longopts, int argc,
	    char **argv, struct config_args *out, char *err, size_t errlen)
{
	struct parse p = {.longopts = longopts};
	size_t i;
	int line;

	memset(out, 0, sizeof(*out));
	if ((p.opts = calloc(CONFIG_MAX_OPTIONS, sizeof(*p.opts))) == NULL) {
		snprintf(err, errlen, "%s: out of memory", path);
		return false;
	}
	line = ini_parse(path, handler, &p);
	if (line != 0) {
		if (line == -1)
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
		else if (line == -2)
			snprintf(err, errlen, "%s: out of memory", path);
		else if (p.failed)
			snprintf(err, errlen, "%s:%d: %s", path, line, p.why);
		else
			snprintf(err, errlen,
				 "%s:%d: not \"key = value\" or a comment",
				 path, line);
		goto fail;
	}
	if ((out->argv = calloc(p.num_opts + (size_t)argc + 1,
				sizeof(*out->argv))) == NULL) {
		snprintf(err, errlen, "%s: out of memory", path);
		goto fail;
	}
	out->argv[out->argc++] = argv[0];
	for (i = 0; i < p.num_opts; i++) {
		if (on_command_line(p.opts[i], argc, argv))
			free(p.opts[i]);
		else
			out->argv[out->argc++] = p.opts[i];
		p.opts[i] = NULL;
	}
	for (i = 1; i < (size_t)argc; i++)
		out->argv[out->argc++] = argv[i];
	/* Kept to be freed: the words now in argv are the same pointers. */
	out->owned = p.opts;
	out->num_owned = 0;
	for (i = 1; i < (size_t)out->argc - ((size_t)argc - 1); i++)
		out->owned[out->num_owned++] = out->argv[i];
	return true;
fail:
	for (i = 0; i < p.num_opts; i++)
		free(p.opts[i]);
	free(p.opts);
	return false;
}

void
config_args_free(struct config_args *a)
{
	size_t i;

	for (i = 0; i < a->num_owned; i++)
		free(a->owned[i]);
	free(a->owned);
	free(a->argv);
	memset(a, 0, sizeof(*a));
}
