/*
 * vrpd: the relying party. Once (--once), it validates the trees of the
 * TALs, writes the outputs and a one-line summary, and exits; without
 * --once it is the daemon (daemon.c); with --vrps it serves a file to
 * routers over RTR without validating.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <curl/curl.h>

#include "cycle.h"
#include "daemon.h"
#include "limits.h"
#include "log.h"
#include "options.h"
#include "rsakeys.h"
#include "talset.h"

#include "rtr-server/serve.h"
#include "rtr-server/vrpfile.h"

/* Repositories fetched at once unless --fetch-jobs says otherwise. */
#define DEFAULT_FETCH_JOBS 8

/* Connecting, TLS included, may take this many seconds. */
#define HTTP_CONNECT_TIMEOUT 30

/* The byte rate below which a transfer stalls (--fetch-stall-timeout). */
#define HTTP_LOW_SPEED_LIMIT 1024

/* Redirects followed within one repository's origin. */
#define HTTP_MAX_REDIRECTS 5

static void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
	va_list ap;

	fputs("vrpd: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

/*
 * DIR/valid, created when missing: where the last valid copy of each
 * publication point is kept between runs (RFC 9286 s.6.6).
 */
static char *
valid_dir(const char *cache_dir)
{
	char *dir;

	if (mkdir(cache_dir, 0755) == -1 && errno != EEXIST)
		die("--cache-dir %s: %s", cache_dir, strerror(errno));
	if (asprintf(&dir, "%s/valid", cache_dir) == -1)
		die("out of memory");
	if (mkdir(dir, 0755) == -1 && errno != EEXIST)
		die("--cache-dir %s: %s", dir, strerror(errno));
	return dir;
}

/* The cycle's configuration from the options (TALs loaded by then). */
static void
cycle_setup(struct options *o, struct cycle_config *c, struct tal **tals,
	    size_t ntals)
{
	memset(c, 0, sizeof(*c));
	options_apply(o, c);
	c->mirror = o->mirror;
	c->cache_dir = o->cache_dir;
	c->lkg_dir = o->cache_dir != NULL ? valid_dir(o->cache_dir) : NULL;
	c->tals = tals;
	c->num_tals = ntals;
	/* Long runs show where they are, but only to a person watching. */
	c->progress = isatty(STDERR_FILENO) && (o->once || o->foreground);
	if (o->mirror != NULL)
		return;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
		die("cannot initialise libcurl");
	c->http.connect_timeout = HTTP_CONNECT_TIMEOUT;
	c->http.low_speed_limit = HTTP_LOW_SPEED_LIMIT;
	c->http.max_size = rp_limits.rrdp_file_size;
	c->http.max_redirects = HTTP_MAX_REDIRECTS;
	c->http.max_parallel = 1; /* one transfer per sync; syncs in parallel */
	if (c->fetch_jobs == 0)
		c->fetch_jobs = DEFAULT_FETCH_JOBS;
}

/* --once: one cycle, the summary on stderr, and out. */
static int
run_once(const struct cycle_config *c)
{
	struct cycle_result r;
	char err[256], summary[1024];

	if (!cycle_run(c, &r, err, sizeof(err)))
		die("%s", err);
	cycle_summary(&r, summary, sizeof(summary));
	fprintf(stderr, "vrpd: %s\n", summary);
	cycle_result_free(&r);
	return r.written ? 0 : 1;
}

/* The --vrps mode's source of sets: the file, on a worker thread. */
static struct vrpset *
produce_file(void *arg, char *err, size_t errlen)
{
	return vrpfile_load(arg, err, errlen);
}

/* --vrps: serve the file over RTR, loading it again when it changes. */
static int
run_vrps(struct options *o)
{
	static char what[PATH_MAX + 32];

	if ((size_t)snprintf(what, sizeof(what), "vrps loaded from %s",
			     o->vrps) >= sizeof(what))
		die("--vrps %s: path too long", o->vrps);
	o->rtr.source = (struct serve_source){
	    .produce = produce_file,
	    .arg = (void *)o->vrps,
	    .what = what,
	    .watch_path = o->vrps,
	};
	return serve_run(&o->rtr);
}

int
main(int argc, char **argv)
{
	static struct config_args args;
	static struct tal *tals[MAX_TAS];
	static struct options o;
	struct cycle_config c;
	char err[PATH_MAX + 128];
	struct stat sb;
	size_t ntals;
	int rc;

	switch (options_parse(&o, argc, argv, &args, err, sizeof(err))) {
	case OPTIONS_EXIT:
		return 0;
	case OPTIONS_ERROR:
		die("%s", err);
	case OPTIONS_OK:
		break;
	}
	if (!options_finish(&o, err, sizeof(err)))
		die("%s", err);
	rp_limits = o.limits;
	if (o.vrps != NULL)
		return run_vrps(&o);
	if (o.mirror != NULL &&
	    (stat(o.mirror, &sb) == -1 || !S_ISDIR(sb.st_mode)))
		die("--mirror %s: not a directory", o.mirror);
	if (!rsakeys_init())
		log_info("fast RSA key decoding is unavailable; validating at "
			 "OpenSSL's default speed");
	if (!talset_load(o.tal_files, o.num_tal_files, o.tal_dirs,
			 o.num_tal_dirs, tals, &ntals, err, sizeof(err)))
		die("%s", err);
	cycle_setup(&o, &c, tals, ntals);
	rc = o.once ? run_once(&c) : daemon_run(&o, &c, tals, argc, argv);
	talset_free(tals, c.num_tals);
	free((char *)c.lkg_dir);
	if (o.mirror == NULL)
		curl_global_cleanup();
	config_args_free(&args);
	return rc;
}
