/*
 * vrpd's options, from the config file and the command line (see
 * options.h). Every error is a message naming the option and the value.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "options.h"
#include "timefmt.h"

#include "rtr-server/pdu.h"

#define DEFAULT_RTR_HISTORY	  10
#define DEFAULT_RTR_MAX_CLIENTS	  1024
#define DEFAULT_RTR_HELLO_TIMEOUT 60
#define DEFAULT_RTR_WRITE_TIMEOUT 60
#define DEFAULT_RTR_REFRESH	  3600
#define DEFAULT_RTR_RETRY	  600
#define DEFAULT_RTR_EXPIRE	  7200

#define RTR_STATE_NAME "rtr-state"

/* Where /metrics, /status and the validity API listen unless told. */
#define DEFAULT_HTTP_LISTEN "127.0.0.1:8080"

/* Read when it exists; --config names another (which must exist). */
#define DEFAULT_CONFIG "/etc/vrpd/vrpd.conf"

/* The daemon: one validation cycle every ten minutes. */
#define DEFAULT_REFRESH 600

/*
 * A transfer that stays under 1 KB/s for a minute is abandoned, and none
 * may take more than 30 minutes: the largest real snapshots are a few
 * hundred MB and arrive in a few minutes.
 */
#define DEFAULT_FETCH_TIMEOUT	    (30 * 60)
#define DEFAULT_FETCH_STALL_TIMEOUT 60

/* The bounds a --max-* flag may be set to (below, ordinary objects). */
#define MAX_OBJECT_SIZE_CEILING (256 * 1024 * 1024)

/* Long options only: each one's getopt_long code. */
enum option_code {
	OPT_ONCE = 256,
	OPT_TAL,
	OPT_TAL_DIR,
	OPT_MIRROR,
	OPT_CACHE_DIR,
	OPT_CA_FILE,
	OPT_NO_RSYNC,
	OPT_NO_RRDP,
	OPT_FETCH_JOBS,
	OPT_FETCH_TIMEOUT,
	OPT_FETCH_STALL_TIMEOUT,
	OPT_NOW,
	OPT_OUTPUT,
	OPT_JOBS,
	OPT_DEPTH,
	OPT_MAX_OBJECT_SIZE,
	OPT_MAX_MANIFEST_ENTRIES,
	OPT_MAX_CERT_RESOURCES,
	OPT_MAX_REPOS,
	OPT_MAX_REPO_OBJECTS,
	OPT_MAX_REPO_BYTES,
	OPT_MAX_NOTIFICATION_SIZE,
	OPT_MAX_RRDP_FILE_SIZE,
	OPT_MAX_XML_MARKUP,
	OPT_VERSION,
	OPT_VERBOSE,
	OPT_HELP,
	OPT_VRPS,
	OPT_RTR_LISTEN,
	OPT_RTR_HISTORY,
	OPT_RTR_MAX_VERSION,
	OPT_RTR_MAX_CLIENTS,
	OPT_RTR_MAX_PDU,
	OPT_RTR_HELLO_TIMEOUT,
	OPT_RTR_WRITE_TIMEOUT,
	OPT_RTR_REFRESH,
	OPT_RTR_RETRY,
	OPT_RTR_EXPIRE,
	OPT_RTR_STATE,
	OPT_REFRESH,
	OPT_SOCKET,
	OPT_SLURM,
	OPT_CONFIG,
	OPT_FOREGROUND,
	OPT_SYSLOG,
	OPT_PID_FILE,
	OPT_USER,
	OPT_HTTP_LISTEN,
	OPT_NO_HTTP
};

/* Every option; the config file's keys are the same names. */
static const struct option longopts[] = {
    {"once", no_argument, NULL, OPT_ONCE},
    {"tal", required_argument, NULL, OPT_TAL},
    {"tal-dir", required_argument, NULL, OPT_TAL_DIR},
    {"mirror", required_argument, NULL, OPT_MIRROR},
    {"cache-dir", required_argument, NULL, OPT_CACHE_DIR},
    {"ca-file", required_argument, NULL, OPT_CA_FILE},
    {"no-rsync", no_argument, NULL, OPT_NO_RSYNC},
    {"no-rrdp", no_argument, NULL, OPT_NO_RRDP},
    {"fetch-jobs", required_argument, NULL, OPT_FETCH_JOBS},
    {"fetch-timeout", required_argument, NULL, OPT_FETCH_TIMEOUT},
    {"fetch-stall-timeout", required_argument, NULL, OPT_FETCH_STALL_TIMEOUT},
    {"now", required_argument, NULL, OPT_NOW},
    {"output", required_argument, NULL, OPT_OUTPUT},
    {"jobs", required_argument, NULL, OPT_JOBS},
    {"max-cert-depth", required_argument, NULL, OPT_DEPTH},
    {"max-object-size", required_argument, NULL, OPT_MAX_OBJECT_SIZE},
    {"max-manifest-entries", required_argument, NULL, OPT_MAX_MANIFEST_ENTRIES},
    {"max-cert-resources", required_argument, NULL, OPT_MAX_CERT_RESOURCES},
    {"max-repos", required_argument, NULL, OPT_MAX_REPOS},
    {"max-repo-objects", required_argument, NULL, OPT_MAX_REPO_OBJECTS},
    {"max-repo-bytes", required_argument, NULL, OPT_MAX_REPO_BYTES},
    {"max-notification-size", required_argument, NULL,
     OPT_MAX_NOTIFICATION_SIZE},
    {"max-rrdp-file-size", required_argument, NULL, OPT_MAX_RRDP_FILE_SIZE},
    {"max-xml-markup", required_argument, NULL, OPT_MAX_XML_MARKUP},
    {"version", no_argument, NULL, OPT_VERSION},
    {"verbose", no_argument, NULL, OPT_VERBOSE},
    {"help", no_argument, NULL, OPT_HELP},
    {"config", required_argument, NULL, OPT_CONFIG},
    {"foreground", no_argument, NULL, OPT_FOREGROUND},
    {"syslog", no_argument, NULL, OPT_SYSLOG},
    {"pid-file", required_argument, NULL, OPT_PID_FILE},
    {"user", required_argument, NULL, OPT_USER},
    {"http-listen", required_argument, NULL, OPT_HTTP_LISTEN},
    {"no-http", no_argument, NULL, OPT_NO_HTTP},
    {"vrps", required_argument, NULL, OPT_VRPS},
    {"rtr-listen", required_argument, NULL, OPT_RTR_LISTEN},
    {"rtr-history", required_argument, NULL, OPT_RTR_HISTORY},
    {"rtr-max-version", required_argument, NULL, OPT_RTR_MAX_VERSION},
    {"rtr-max-clients", required_argument, NULL, OPT_RTR_MAX_CLIENTS},
    {"rtr-max-pdu", required_argument, NULL, OPT_RTR_MAX_PDU},
    {"rtr-hello-timeout", required_argument, NULL, OPT_RTR_HELLO_TIMEOUT},
    {"rtr-write-timeout", required_argument, NULL, OPT_RTR_WRITE_TIMEOUT},
    {"rtr-refresh", required_argument, NULL, OPT_RTR_REFRESH},
    {"rtr-retry", required_argument, NULL, OPT_RTR_RETRY},
    {"rtr-expire", required_argument, NULL, OPT_RTR_EXPIRE},
    {"rtr-state", required_argument, NULL, OPT_RTR_STATE},
    {"refresh", required_argument, NULL, OPT_REFRESH},
    {"socket", required_argument, NULL, OPT_SOCKET},
    {"slurm", required_argument, NULL, OPT_SLURM},
    {NULL, 0, NULL, 0},
};

void
options_usage(FILE *fp)
{
	fprintf(
	    fp,
	    "usage: vrpd [--once] [--mirror DIR] [--tal FILE]... [--tal-dir "
	    "DIR]\n"
	    "            [--ca-file FILE] [--fetch-jobs N] "
	    "[--no-rsync|--no-rrdp]\n"
	    "            [--fetch-timeout S] [--fetch-stall-timeout S]\n"
	    "            [--now TIME] [--output FORMAT[:PATH]]... "
	    "[--jobs N]\n"
	    "            [--cache-dir DIR] [--slurm FILE]... [limits]\n"
	    "            [--refresh S] [--socket PATH] [--http-listen "
	    "ADDR:PORT | --no-http]\n"
	    "            [--foreground] [--syslog] [--pid-file PATH] "
	    "[--user NAME]\n"
	    "            [--config FILE] [RTR options] [--verbose]\n"
	    "       vrpd --vrps FILE --rtr-listen ADDR:PORT... "
	    "[--rtr-history N]\n"
	    "            [--rtr-max-version V] [--rtr-max-clients N] "
	    "[--rtr-max-pdu BYTES]\n"
	    "            [--rtr-hello-timeout S] [--rtr-write-timeout S]\n"
	    "            [--rtr-refresh S] [--rtr-retry S] [--rtr-expire "
	    "S]\n"
	    "            [--rtr-state FILE | --cache-dir DIR] [--verbose]\n"
	    "       vrpd --version\n"
	    "limits: [--max-cert-depth N] [--max-object-size BYTES] "
	    "[--max-manifest-entries N]\n"
	    "        [--max-cert-resources N] [--max-repos N] "
	    "[--max-repo-objects N]\n"
	    "        [--max-repo-bytes BYTES] [--max-notification-size "
	    "BYTES]\n"
	    "        [--max-rrdp-file-size BYTES] [--max-xml-markup BYTES]\n"
	    "FORMAT is csv, json, openbgpd or bird; PATH - is stdout.\n"
	    "TIME is seconds since the epoch or RFC 3339 "
	    "(2026-06-01T00:00:00Z).\n"
	    "ADDR:PORT is 192.0.2.1:8323 or [2001:db8::1]:8323.\n"
	    "Without --once vrpd is the daemon: it validates every --refresh "
	    "seconds\n(default 600) and serves routers over RTR.\n");
}

/* Writes the message into err; always false, for "return fail(...)". */
static bool __attribute__((format(printf, 3, 4)))
fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return false;
}

/* s as a decimal number in [min, max] into *out; false with err. */
static bool
parse_num(const char *flag, const char *s, unsigned long long min,
	  unsigned long long max, unsigned long long *out, char *err,
	  size_t errlen)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || end == s || *s == '-' || v < min ||
	    v > max)
		return fail(err, errlen,
			    "%s: expected a number from %llu to %llu, got '%s'",
			    flag, min, max, s);
	*out = v;
	return true;
}

/* parse_num() into an int (max fits). */
static bool
parse_int(const char *flag, const char *s, int min, int max, int *out,
	  char *err, size_t errlen)
{
	unsigned long long v;

	if (!parse_num(flag, s, (unsigned long long)min,
		       (unsigned long long)max, &v, err, errlen))
		return false;
	*out = (int)v;
	return true;
}

/* parse_num() into a size_t. */
static bool
parse_size(const char *flag, const char *s, size_t min, size_t max, size_t *out,
	   char *err, size_t errlen)
{
	unsigned long long v;

	if (!parse_num(flag, s, min, max, &v, err, errlen))
		return false;
	*out = (size_t)v;
	return true;
}

static bool
parse_output(struct options *o, const char *arg, char *err, size_t errlen)
{
	char name[32];
	const char *colon = strchr(arg, ':');
	size_t len = colon ? (size_t)(colon - arg) : strlen(arg);
	struct output_req *req;

	if (o->num_outputs == OPTIONS_MAX_OUTPUTS)
		return fail(err, errlen, "--output: at most %d outputs",
			    OPTIONS_MAX_OUTPUTS);
	req = &o->outputs[o->num_outputs];
	if (len >= sizeof(name))
		return fail(err, errlen, "--output %s: unknown format", arg);
	memcpy(name, arg, len);
	name[len] = '\0';
	if (!output_format_parse(name, &req->fmt))
		return fail(err, errlen,
			    "--output %s: unknown format '%s' (csv, json, "
			    "openbgpd, bird)",
			    arg, name);
	req->path = colon ? colon + 1 : "-";
	if (*req->path == '\0')
		return fail(err, errlen, "--output %s: empty path", arg);
	o->num_outputs++;
	return true;
}

/*
 * The limits on what repositories may make vrpd read (rp/limits.h says
 * why each default is enough); -1 for an option that is not one.
 */
static int
parse_limit(struct options *o, int ch, const char *arg, char *err,
	    size_t errlen)
{
	struct rp_limits *l = &o->limits;
	unsigned long long v;

	switch (ch) {
	case OPT_MAX_OBJECT_SIZE:
		return parse_size("--max-object-size", arg, 1024,
				  MAX_OBJECT_SIZE_CEILING, &l->object_size, err,
				  errlen);
	case OPT_MAX_MANIFEST_ENTRIES:
		return parse_size("--max-manifest-entries", arg, 1, 10000000,
				  &l->manifest_entries, err, errlen);
	case OPT_MAX_CERT_RESOURCES:
		return parse_size("--max-cert-resources", arg, 1, 10000000,
				  &l->cert_resources, err, errlen);
	case OPT_MAX_REPOS:
		return parse_size("--max-repos", arg, 1, 1000000,
				  &l->repos_per_ta, err, errlen);
	case OPT_MAX_REPO_OBJECTS:
		return parse_size("--max-repo-objects", arg, 1, 100000000,
				  &l->repo_objects, err, errlen);
	case OPT_MAX_REPO_BYTES:
		if (!parse_num("--max-repo-bytes", arg, 1024, 1ULL << 50, &v,
			       err, errlen))
			return false;
		l->repo_bytes = v;
		return true;
	case OPT_MAX_NOTIFICATION_SIZE:
		return parse_size("--max-notification-size", arg, 1024,
				  1024 * 1024 * 1024, &l->notification_size,
				  err, errlen);
	case OPT_MAX_RRDP_FILE_SIZE:
		return parse_size("--max-rrdp-file-size", arg, 1024,
				  (size_t)1 << 50, &l->rrdp_file_size, err,
				  errlen);
	case OPT_MAX_XML_MARKUP:
		return parse_size("--max-xml-markup", arg, 2 * MAX_URI_LENGTH,
				  1024 * 1024, &l->xml_markup, err, errlen);
	case OPT_DEPTH:
		return parse_int("--max-cert-depth", arg, 1, 64, &o->max_depth,
				 err, errlen);
	}
	return -1;
}

/* The RTR and daemon options; -1 for an option that is not one. */
static int
parse_serve_option(struct options *o, int ch, const char *arg, char *err,
		   size_t errlen)
{
	struct serve_config *r = &o->rtr;
	size_t z;
	int v;

	switch (ch) {
	case OPT_VRPS:
		o->vrps = arg;
		return true;
	case OPT_RTR_LISTEN:
		if (o->num_rtr_listen == OPTIONS_MAX_RTR_LISTEN)
			return fail(err, errlen, "--rtr-listen: at most %d",
				    OPTIONS_MAX_RTR_LISTEN);
		o->rtr_listen[o->num_rtr_listen++] = arg;
		return true;
	case OPT_RTR_HISTORY:
		return parse_size("--rtr-history", arg, 1, RTR_MAX_HISTORY,
				  &r->history, err, errlen);
	case OPT_RTR_MAX_VERSION:
		if (!parse_int("--rtr-max-version", arg, 0, RTR_VERSION_MAX, &v,
			       err, errlen))
			return false;
		r->server.session.max_version = (uint8_t)v;
		return true;
	case OPT_RTR_MAX_CLIENTS:
		return parse_size("--rtr-max-clients", arg, 1, 100000,
				  &r->server.max_clients, err, errlen);
	case OPT_RTR_MAX_PDU:
		/* A Reset Query is 8 bytes; routers send nothing bigger than
		 * an Error Report quoting one of our PDUs. */
		return parse_size("--rtr-max-pdu", arg, 64, RTR_PDU_MAX_LEN,
				  &r->server.session.max_pdu, err, errlen);
	case OPT_RTR_HELLO_TIMEOUT:
		if (!parse_size("--rtr-hello-timeout", arg, 1, 86400, &z, err,
				errlen))
			return false;
		r->server.hello_timeout_ms = 1000ULL * z;
		return true;
	case OPT_RTR_WRITE_TIMEOUT:
		if (!parse_size("--rtr-write-timeout", arg, 1, 86400, &z, err,
				errlen))
			return false;
		r->server.write_timeout_ms = 1000ULL * z;
		return true;
	case OPT_RTR_REFRESH: /* RFC 8210 s.6: the allowed ranges */
		if (!parse_int("--rtr-refresh", arg, 1, 86400, &v, err, errlen))
			return false;
		r->timers.refresh = (uint32_t)v;
		return true;
	case OPT_RTR_RETRY:
		if (!parse_int("--rtr-retry", arg, 1, 7200, &v, err, errlen))
			return false;
		r->timers.retry = (uint32_t)v;
		return true;
	case OPT_RTR_EXPIRE:
		if (!parse_int("--rtr-expire", arg, 600, 172800, &v, err,
			       errlen))
			return false;
		r->timers.expire = (uint32_t)v;
		return true;
	case OPT_RTR_STATE:
		o->rtr_state = arg;
		return true;
	case OPT_REFRESH:
		return parse_int("--refresh", arg, 10, 86400, &o->refresh, err,
				 errlen);
	case OPT_SOCKET:
		r->control_path = arg;
		return true;
	case OPT_CONFIG: /* read before the options */
		return true;
	case OPT_FOREGROUND:
		o->foreground = true;
		return true;
	case OPT_SYSLOG:
		o->syslog = true;
		return true;
	case OPT_PID_FILE:
		o->pid_file = arg;
		return true;
	case OPT_USER:
		o->user = arg;
		return true;
	case OPT_HTTP_LISTEN:
		r->http_listen = arg;
		return true;
	case OPT_NO_HTTP:
		o->no_http = true;
		return true;
	case OPT_SLURM:
		if (o->num_slurm == OPTIONS_MAX_SLURM)
			return fail(err, errlen, "--slurm: at most %d files",
				    OPTIONS_MAX_SLURM);
		o->slurm[o->num_slurm++] = arg;
		return true;
	}
	return -1;
}

/* The validation options; -1 for an option that is not one. */
static int
parse_validate_option(struct options *o, int ch, const char *arg, char *err,
		      size_t errlen)
{
	switch (ch) {
	case OPT_ONCE:
		o->once = true;
		return true;
	case OPT_TAL:
		if (o->num_tal_files == MAX_TAS)
			return fail(err, errlen, "--tal: at most %d TALs",
				    MAX_TAS);
		o->tal_files[o->num_tal_files++] = arg;
		return true;
	case OPT_TAL_DIR:
		if (o->num_tal_dirs == OPTIONS_MAX_TAL_DIRS)
			return fail(err, errlen,
				    "--tal-dir: at most %d directories",
				    OPTIONS_MAX_TAL_DIRS);
		o->tal_dirs[o->num_tal_dirs++] = arg;
		return true;
	case OPT_MIRROR:
		o->mirror = arg;
		return true;
	case OPT_CACHE_DIR:
		o->cache_dir = arg;
		return true;
	case OPT_CA_FILE:
		o->ca_file = arg;
		return true;
	case OPT_NO_RSYNC:
		o->no_rsync = true;
		return true;
	case OPT_NO_RRDP:
		o->no_rrdp = true;
		return true;
	case OPT_FETCH_JOBS:
		return parse_int("--fetch-jobs", arg, 1, 256, &o->fetch_jobs,
				 err, errlen);
	case OPT_FETCH_TIMEOUT:
		return parse_int("--fetch-timeout", arg, 1, 86400,
				 &o->fetch_timeout, err, errlen);
	case OPT_FETCH_STALL_TIMEOUT:
		return parse_int("--fetch-stall-timeout", arg, 1, 3600,
				 &o->fetch_stall_timeout, err, errlen);
	case OPT_NOW:
		o->now_given = true;
		if (!timefmt_parse(arg, &o->now))
			return fail(err, errlen,
				    "--now: '%s' is neither seconds since the "
				    "epoch nor RFC 3339 (2026-06-01T00:00:00Z)",
				    arg);
		return true;
	case OPT_OUTPUT:
		return parse_output(o, arg, err, errlen);
	case OPT_JOBS:
		return parse_int("--jobs", arg, 1, 1024, &o->jobs, err, errlen);
	}
	return parse_limit(o, ch, arg, err, errlen);
}

static void
set_defaults(struct options *o)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

	memset(o, 0, sizeof(*o));
	o->jobs = ncpu > 0 ? (int)ncpu : 1;
	o->max_depth = MAX_CERT_DEPTH;
	o->limits = rp_limits_default;
	o->fetch_timeout = DEFAULT_FETCH_TIMEOUT;
	o->fetch_stall_timeout = DEFAULT_FETCH_STALL_TIMEOUT;
	o->refresh = DEFAULT_REFRESH;
	o->rtr.history = DEFAULT_RTR_HISTORY;
	o->rtr.timers =
	    (struct rtr_timers){DEFAULT_RTR_REFRESH, DEFAULT_RTR_RETRY,
				DEFAULT_RTR_EXPIRE};
	o->rtr.server.session.max_version = RTR_VERSION_MAX;
	o->rtr.server.session.max_pdu = RTR_PDU_MAX_LEN;
	o->rtr.server.max_clients = DEFAULT_RTR_MAX_CLIENTS;
	o->rtr.server.hello_timeout_ms = DEFAULT_RTR_HELLO_TIMEOUT * 1000;
	o->rtr.server.write_timeout_ms = DEFAULT_RTR_WRITE_TIMEOUT * 1000;
}

/*
 * The config file's options before the command line's: --config FILE
 * (which must exist), or DEFAULT_CONFIG when there is one.
 */
static bool
read_config(int *argc, char ***argv, struct config_args *args, char *err,
	    size_t errlen)
{
	const char *path = NULL;
	int i;

	for (i = 1; i < *argc; i++) {
		if (strcmp((*argv)[i], "--config") == 0 && i + 1 < *argc)
			path = (*argv)[i + 1];
		else if (strncmp((*argv)[i], "--config=", 9) == 0)
			path = (*argv)[i] + 9;
	}
	if (path == NULL && access(DEFAULT_CONFIG, F_OK) == 0)
		path = DEFAULT_CONFIG;
	if (path == NULL)
		return true;
	if (!config_load(path, longopts, *argc, *argv, args, err, errlen))
		return false;
	*argc = args->argc;
	*argv = args->argv;
	return true;
}

enum options_result
options_parse(struct options *o, int argc, char **argv,
	      struct config_args *args, char *err, size_t errlen)
{
	int ch, r;

	set_defaults(o);
	memset(args, 0, sizeof(*args));
	if (!read_config(&argc, &argv, args, err, errlen))
		return OPTIONS_ERROR;
	optind = 0; /* GNU getopt: start over (SIGHUP parses again) */
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case OPT_VERSION:
			printf("vrpd %s\n", PACKAGE_VERSION);
			return OPTIONS_EXIT;
		case OPT_HELP:
			options_usage(stdout);
			return OPTIONS_EXIT;
		case OPT_VERBOSE:
			log_setlevel(LOG_LEVEL_DEBUG);
			continue;
		}
		r = parse_validate_option(o, ch, optarg, err, errlen);
		if (r == -1)
			r = parse_serve_option(o, ch, optarg, err, errlen);
		if (r == 1)
			continue;
		if (r == -1 && optopt != 0)
			fail(err, errlen,
			     "option %s needs an argument (see "
			     "--help)",
			     argv[optind - 1]);
		else if (r == -1)
			fail(err, errlen, "unknown option %s (see --help)",
			     argv[optind - 1]);
		return OPTIONS_ERROR;
	}
	if (optind != argc) {
		fail(err, errlen, "unexpected argument '%s' (see --help)",
		     argv[optind]);
		return OPTIONS_ERROR;
	}
	return OPTIONS_OK;
}

/* The RTR options both serving modes share: timers, state, listeners. */
static bool
finish_rtr_common(struct options *o, char *err, size_t errlen)
{
	/* RFC 8210 s.6: Expire MUST be larger than Refresh and Retry. */
	if (o->rtr.timers.expire <= o->rtr.timers.refresh ||
	    o->rtr.timers.expire <= o->rtr.timers.retry)
		return fail(err, errlen,
			    "--rtr-expire %u must be larger than --rtr-refresh "
			    "%u and --rtr-retry %u (RFC 8210 s.6)",
			    o->rtr.timers.expire, o->rtr.timers.refresh,
			    o->rtr.timers.retry);
	if (o->rtr_state == NULL && o->cache_dir != NULL) {
		if ((size_t)snprintf(o->buf_state, sizeof(o->buf_state),
				     "%s/%s", o->cache_dir,
				     RTR_STATE_NAME) >= sizeof(o->buf_state))
			return fail(err, errlen,
				    "--cache-dir %s: path too long",
				    o->cache_dir);
		o->rtr_state = o->buf_state;
	}
	o->rtr.listen = o->rtr_listen;
	o->rtr.num_listen = o->num_rtr_listen;
	o->rtr.state_path = o->rtr_state;
	return true;
}

/* Checks the --vrps mode's options against each other. */
static bool
finish_vrps(struct options *o, char *err, size_t errlen)
{
	if (o->once || o->mirror != NULL || o->num_tal_files > 0 ||
	    o->num_tal_dirs > 0 || o->num_outputs > 0 || o->num_slurm > 0 ||
	    o->user != NULL || o->pid_file != NULL || o->syslog)
		return fail(err, errlen,
			    "--vrps serves a file in the foreground without "
			    "validating: --once, --mirror, --tal, --tal-dir, "
			    "--output, --slurm, --user, --pid-file and "
			    "--syslog do not apply");
	if (o->num_rtr_listen == 0)
		return fail(err, errlen,
			    "--vrps %s: give at least one --rtr-listen "
			    "ADDR:PORT",
			    o->vrps);
	/* The default cache keeps the state when it is there to be used. */
	if (o->rtr_state == NULL && o->cache_dir == NULL &&
	    access(DEFAULT_CACHE_DIR, W_OK) == 0)
		o->cache_dir = DEFAULT_CACHE_DIR;
	return finish_rtr_common(o, err, errlen);
}

/*
 * The daemon listens for routers on the RTR port, 323 (RFC 6810 s.13),
 * or 8323 when it cannot bind privileged ports.
 */
static void
default_rtr_listen(struct options *o)
{
	int port = geteuid() == 0 ? 323 : 8323;

	if (o->num_rtr_listen > 0)
		return;
	snprintf(o->buf_v6, sizeof(o->buf_v6), "[::]:%d", port);
	snprintf(o->buf_v4, sizeof(o->buf_v4), "0.0.0.0:%d", port);
	o->rtr_listen[o->num_rtr_listen++] = o->buf_v6;
	o->rtr_listen[o->num_rtr_listen++] = o->buf_v4;
}

/*
 * vrpctl's socket: DEFAULT_SOCKET_DIR/control.sock for root (vrpctl's
 * default too), else in the cache directory.
 */
static bool
default_socket(struct options *o, char *err, size_t errlen)
{
	if (o->rtr.control_path != NULL)
		return true;
	if (geteuid() == 0 &&
	    (mkdir(DEFAULT_SOCKET_DIR, 0750) == 0 || errno == EEXIST)) {
		snprintf(o->buf_socket, sizeof(o->buf_socket),
			 "%s/control.sock", DEFAULT_SOCKET_DIR);
	} else if ((size_t)snprintf(o->buf_socket, sizeof(o->buf_socket),
				    "%s/control.sock",
				    o->cache_dir) >= sizeof(o->buf_socket)) {
		return fail(err, errlen, "--cache-dir %s: path too long",
			    o->cache_dir);
	}
	o->rtr.control_path = o->buf_socket;
	return true;
}

/* The daemon's defaults: cache, listeners, sockets, HTTP, pid file. */
static bool
finish_daemon(struct options *o, char *err, size_t errlen)
{
	if (mkdir(o->cache_dir, 0755) == -1 && errno != EEXIST)
		return fail(err, errlen, "--cache-dir %s: %s", o->cache_dir,
			    strerror(errno));
	default_rtr_listen(o);
	if (!default_socket(o, err, errlen) ||
	    !finish_rtr_common(o, err, errlen))
		return false;
	if (o->user != NULL && geteuid() != 0)
		return fail(err, errlen,
			    "--user %s: only root can become another user",
			    o->user);
	if (o->no_http)
		o->rtr.http_listen = NULL;
	else if (o->rtr.http_listen == NULL)
		o->rtr.http_listen = DEFAULT_HTTP_LISTEN;
	if (o->pid_file == NULL && !o->foreground && geteuid() == 0)
		o->pid_file = DEFAULT_SOCKET_DIR "/vrpd.pid";
	return true;
}

void
options_apply(const struct options *o, struct cycle_config *c)
{
	c->outputs = o->outputs;
	c->num_outputs = o->num_outputs;
	c->slurm = o->slurm;
	c->num_slurm = o->num_slurm;
	c->max_depth = o->max_depth;
	c->jobs = o->jobs;
	c->rsync = !o->no_rsync;
	c->rrdp = !o->no_rrdp;
	c->http.ca_file = o->ca_file;
	c->http.low_speed_time = o->fetch_stall_timeout;
	c->http.total_timeout = o->fetch_timeout;
	if (o->fetch_jobs != 0)
		c->fetch_jobs = o->fetch_jobs;
	c->now = o->now_given ? o->now : 0;
}

void
options_default_tals(struct options *o)
{
	if (o->num_tal_files == 0 && o->num_tal_dirs == 0 &&
	    access(VRPD_TALDIR, F_OK) == 0)
		o->tal_dirs[o->num_tal_dirs++] = VRPD_TALDIR;
}

bool
options_finish(struct options *o, char *err, size_t errlen)
{
	if (o->vrps != NULL)
		return finish_vrps(o, err, errlen);
	if (o->once &&
	    (o->foreground || o->syslog || o->pid_file != NULL ||
	     o->user != NULL))
		return fail(err, errlen,
			    "--foreground, --syslog, --pid-file and --user "
			    "are for the daemon (no --once)");
	if (o->once && o->num_rtr_listen > 0)
		return fail(err, errlen,
			    "--once validates and exits; --rtr-listen is for "
			    "the daemon (no --once) and --vrps");
	if (o->no_rsync && o->no_rrdp)
		return fail(err, errlen,
			    "--no-rsync and --no-rrdp together leave no way to "
			    "fetch");
	options_default_tals(o);
	if (o->mirror != NULL && (o->ca_file != NULL || o->fetch_jobs != 0))
		return fail(err, errlen,
			    "--mirror reads a local copy: --ca-file and "
			    "--fetch-jobs are for fetching");
	if (o->mirror == NULL && o->cache_dir == NULL)
		o->cache_dir = DEFAULT_CACHE_DIR;
	if (o->once)
		return true;
	/* The daemon keeps its saved set and RTR state in the cache. */
	if (o->cache_dir == NULL)
		o->cache_dir = DEFAULT_CACHE_DIR;
	return finish_daemon(o, err, errlen);
}
