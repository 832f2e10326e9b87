/*
 * vrpd: the relying party. It runs once (--once): it validates the trees
 * of the given TALs, writes the requested outputs and a one-line summary,
 * and exits. Or it serves a VRP file to routers over RTR (--vrps).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "conffile.h"
#include "cycle.h"
#include "limits.h"
#include "lkg.h"
#include "log.h"
#include "output.h"
#include "proc.h"
#include "rsakeys.h"
#include "tal.h"
#include "timefmt.h"
#include "validate.h"
#include "vrpset.h"

#include "rtr-server/pdu.h"
#include "rtr-server/serve.h"
#include "rtr-server/vrpfile.h"

#define MAX_OUTPUTS    16
#define MAX_RTR_LISTEN 16
#define MAX_SLURM      16

/* RTR defaults: RFC 8210 s.6 timers, and limits for a busy cache. */
#define DEFAULT_RTR_HISTORY	  10
#define DEFAULT_RTR_MAX_CLIENTS	  1024
#define DEFAULT_RTR_HELLO_TIMEOUT 60
#define DEFAULT_RTR_WRITE_TIMEOUT 60
#define DEFAULT_RTR_REFRESH	  3600
#define DEFAULT_RTR_RETRY	  600
#define DEFAULT_RTR_EXPIRE	  7200
/* The state file's name in --cache-dir, and the saved set's. */
#define RTR_STATE_NAME "rtr-state"
#define SAVED_SET_NAME "vrps.json"

/* The status page and metrics, for the local host only by default. */
#define DEFAULT_HTTP_LISTEN "127.0.0.1:8080"

/* The config file read when there is one and --config names none. */
#define DEFAULT_CONFIG "/etc/vrpd/vrpd.conf"

/* Where the control socket goes for root (vrpctl looks there first). */
#define DEFAULT_SOCKET_DIR "/run/vrpd"

/* The daemon validates this often by default (seconds). */
#define DEFAULT_REFRESH 600

/* Where fetched repositories are kept without --cache-dir (DESIGN.md). */
#define DEFAULT_CACHE_DIR "/var/cache/vrpd"

/* Repositories fetched at once by default (each in a worker thread). */
#define DEFAULT_FETCH_JOBS 8

/*
 * Transfer bounds. The largest real snapshots are a few hundred MB; a
 * transfer that stays under 1 KB/s for a minute is abandoned, and none
 * may take more than 30 minutes.
 */
#define HTTP_CONNECT_TIMEOUT 30
#define HTTP_LOW_SPEED_LIMIT 1024
#define HTTP_LOW_SPEED_TIME  60
#define HTTP_TOTAL_TIMEOUT   (30 * 60)
#define HTTP_MAX_REDIRECTS   5

struct options {
	bool once;
	const char *mirror;
	const char *cache_dir;
	const char *ca_file;
	bool no_rsync;
	bool no_rrdp;
	int fetch_jobs;
	const char *tal_files[MAX_TAS];
	size_t num_tal_files;
	const char *tal_dirs[16];
	size_t num_tal_dirs;
	struct output_req outputs[MAX_OUTPUTS];
	size_t num_outputs;
	time_t now;
	bool now_given;
	int refresh; /* daemon: seconds between validation cycles */
	const char *slurm[MAX_SLURM];
	size_t num_slurm;
	/* running as a daemon */
	bool foreground, syslog, no_http;
	const char *pid_file;
	const char *user;
	int jobs;
	int max_depth;
	/* --vrps mode */
	const char *vrps;
	const char *rtr_listen[MAX_RTR_LISTEN];
	size_t num_rtr_listen;
	const char *rtr_state;
	struct serve_config rtr;
};

static void
usage(FILE *fp)
{
	fprintf(
	    fp,
	    "usage: vrpd [--once] [--mirror DIR] [--tal FILE]... [--tal-dir "
	    "DIR]\n"
	    "            [--ca-file FILE] [--fetch-jobs N] "
	    "[--no-rsync|--no-rrdp]\n"
	    "            [--now TIME] [--output FORMAT[:PATH]]... "
	    "[--jobs N]\n"
	    "            [--max-cert-depth N] [--cache-dir DIR] "
	    "[--slurm FILE]...\n"
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
	    "FORMAT is csv, json, openbgpd or bird; PATH - is stdout.\n"
	    "TIME is seconds since the epoch or RFC 3339 "
	    "(2026-06-01T00:00:00Z).\n"
	    "ADDR:PORT is 192.0.2.1:8323 or [2001:db8::1]:8323.\n"
	    "Without --once vrpd is the daemon: it validates every --refresh "
	    "seconds\n(default 600) and serves routers over RTR.\n");
}

/*
 * While SIGHUP re-reads the configuration, die() returns here with its
 * message instead of exiting: a broken file must not stop the daemon.
 */
static jmp_buf *reload_jmp;
static char reload_err[PATH_MAX + 128];

/* The command line as given, for SIGHUP to combine with the file again. */
static int orig_argc;
static char **orig_argv;

static void read_config(int *argc, char ***argv, struct config_args *args);

static void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
	va_list ap;

	if (reload_jmp != NULL) {
		va_start(ap, fmt);
		vsnprintf(reload_err, sizeof(reload_err), fmt, ap);
		va_end(ap);
		longjmp(*reload_jmp, 1);
	}
	fputs("vrpd: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static int
parse_int(const char *flag, const char *s, int min, int max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || end == s || v < min || v > max)
		die("%s: expected a number from %d to %d, got '%s'", flag, min,
		    max, s);
	return (int)v;
}

static void
parse_output(struct options *o, const char *arg)
{
	char name[32];
	const char *colon = strchr(arg, ':');
	size_t len = colon ? (size_t)(colon - arg) : strlen(arg);
	struct output_req *req;

	if (o->num_outputs == MAX_OUTPUTS)
		die("--output: at most %d outputs", MAX_OUTPUTS);
	req = &o->outputs[o->num_outputs];
	if (len >= sizeof(name))
		die("--output %s: unknown format", arg);
	memcpy(name, arg, len);
	name[len] = '\0';
	if (!output_format_parse(name, &req->fmt))
		die("--output %s: unknown format '%s' (csv, json, openbgpd, "
		    "bird)",
		    arg, name);
	req->path = colon ? colon + 1 : "-";
	if (*req->path == '\0')
		die("--output %s: empty path", arg);
	o->num_outputs++;
}

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
	OPT_NOW,
	OPT_OUTPUT,
	OPT_JOBS,
	OPT_DEPTH,
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
    {"now", required_argument, NULL, OPT_NOW},
    {"output", required_argument, NULL, OPT_OUTPUT},
    {"jobs", required_argument, NULL, OPT_JOBS},
    {"max-cert-depth", required_argument, NULL, OPT_DEPTH},
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

/* The --vrps mode's options; false for an option that is not one. */
static bool
parse_rtr_option(struct options *o, int ch)
{
	struct serve_config *r = &o->rtr;

	switch (ch) {
	case OPT_VRPS:
		o->vrps = optarg;
		return true;
	case OPT_RTR_LISTEN:
		if (o->num_rtr_listen == MAX_RTR_LISTEN)
			die("--rtr-listen: at most %d", MAX_RTR_LISTEN);
		o->rtr_listen[o->num_rtr_listen++] = optarg;
		return true;
	case OPT_RTR_HISTORY:
		r->history = (size_t)parse_int("--rtr-history", optarg, 1,
					       RTR_MAX_HISTORY);
		return true;
	case OPT_RTR_MAX_VERSION:
		r->server.session.max_version =
		    (uint8_t)parse_int("--rtr-max-version", optarg, 0,
				       RTR_VERSION_MAX);
		return true;
	case OPT_RTR_MAX_CLIENTS:
		r->server.max_clients =
		    (size_t)parse_int("--rtr-max-clients", optarg, 1, 100000);
		return true;
	case OPT_RTR_MAX_PDU:
		/* A Reset Query is 8 bytes; routers send nothing bigger than
		 * an Error Report quoting one of our PDUs. */
		r->server.session.max_pdu =
		    (size_t)parse_int("--rtr-max-pdu", optarg, 64,
				      RTR_PDU_MAX_LEN);
		return true;
	case OPT_RTR_HELLO_TIMEOUT:
		r->server.hello_timeout_ms = 1000ULL *
		    (unsigned)parse_int("--rtr-hello-timeout", optarg, 1,
					86400);
		return true;
	case OPT_RTR_WRITE_TIMEOUT:
		r->server.write_timeout_ms = 1000ULL *
		    (unsigned)parse_int("--rtr-write-timeout", optarg, 1,
					86400);
		return true;
	case OPT_RTR_REFRESH: /* RFC 8210 s.6: the allowed ranges */
		r->timers.refresh =
		    (uint32_t)parse_int("--rtr-refresh", optarg, 1, 86400);
		return true;
	case OPT_RTR_RETRY:
		r->timers.retry =
		    (uint32_t)parse_int("--rtr-retry", optarg, 1, 7200);
		return true;
	case OPT_RTR_EXPIRE:
		r->timers.expire =
		    (uint32_t)parse_int("--rtr-expire", optarg, 600, 172800);
		return true;
	case OPT_RTR_STATE:
		o->rtr_state = optarg;
		return true;
	case OPT_REFRESH:
		o->refresh = parse_int("--refresh", optarg, 10, 86400);
		return true;
	case OPT_SOCKET:
		o->rtr.control_path = optarg;
		return true;
	case OPT_CONFIG: /* read before the options, in main() */
		return true;
	case OPT_FOREGROUND:
		o->foreground = true;
		return true;
	case OPT_SYSLOG:
		o->syslog = true;
		return true;
	case OPT_PID_FILE:
		o->pid_file = optarg;
		return true;
	case OPT_USER:
		o->user = optarg;
		return true;
	case OPT_HTTP_LISTEN:
		o->rtr.http_listen = optarg;
		return true;
	case OPT_NO_HTTP:
		o->no_http = true;
		return true;
	case OPT_SLURM:
		if (o->num_slurm == MAX_SLURM)
			die("--slurm: at most %d files", MAX_SLURM);
		o->slurm[o->num_slurm++] = optarg;
		return true;
	}
	return false;
}

/* The --vrps mode's source of sets: the file, on a worker thread. */
static struct vrpset *
produce_file(void *arg, char *err, size_t errlen)
{
	return vrpfile_load(arg, err, errlen);
}

/* The RTR options both serving modes share: timers, state, listeners. */
static void
check_rtr_common(struct options *o)
{
	static char state[PATH_MAX];

	/* RFC 8210 s.6: Expire MUST be larger than Refresh and Retry. */
	if (o->rtr.timers.expire <= o->rtr.timers.refresh ||
	    o->rtr.timers.expire <= o->rtr.timers.retry)
		die("--rtr-expire %u must be larger than --rtr-refresh %u and "
		    "--rtr-retry %u (RFC 8210 s.6)",
		    o->rtr.timers.expire, o->rtr.timers.refresh,
		    o->rtr.timers.retry);
	if (o->rtr_state == NULL && o->cache_dir != NULL) {
		if ((size_t)snprintf(state, sizeof(state), "%s/%s",
				     o->cache_dir,
				     RTR_STATE_NAME) >= sizeof(state))
			die("--cache-dir %s: path too long", o->cache_dir);
		o->rtr_state = state;
	}
	o->rtr.listen = o->rtr_listen;
	o->rtr.num_listen = o->num_rtr_listen;
	o->rtr.state_path = o->rtr_state;
}

/*
 * The daemon listens for routers on the RTR port, 323 (RFC 6810 s.13),
 * or 8323 when it cannot bind privileged ports.
 */
static void
default_rtr_listen(struct options *o)
{
	static char v4[32], v6[32];
	int port = geteuid() == 0 ? 323 : 8323;

	if (o->num_rtr_listen > 0)
		return;
	snprintf(v6, sizeof(v6), "[::]:%d", port);
	snprintf(v4, sizeof(v4), "0.0.0.0:%d", port);
	o->rtr_listen[o->num_rtr_listen++] = v6;
	o->rtr_listen[o->num_rtr_listen++] = v4;
}

/*
 * vrpctl's socket: DEFAULT_SOCKET_DIR/control.sock for root (vrpctl's
 * default too), else in the cache directory.
 */
static void
default_socket(struct options *o)
{
	static char path[PATH_MAX];

	if (o->rtr.control_path != NULL)
		return;
	if (geteuid() == 0 &&
	    (mkdir(DEFAULT_SOCKET_DIR, 0750) == 0 || errno == EEXIST)) {
		snprintf(path, sizeof(path), "%s/control.sock",
			 DEFAULT_SOCKET_DIR);
	} else if ((size_t)snprintf(path, sizeof(path), "%s/control.sock",
				    o->cache_dir) >= sizeof(path)) {
		die("--cache-dir %s: path too long", o->cache_dir);
	}
	o->rtr.control_path = path;
}

/* Checks the --vrps mode's options against each other. */
static void
check_rtr_options(struct options *o)
{
	static char what[PATH_MAX + 32];

	if (o->once || o->mirror != NULL || o->num_tal_files > 0 ||
	    o->num_tal_dirs > 0 || o->num_outputs > 0 || o->num_slurm > 0 ||
	    o->user != NULL || o->pid_file != NULL || o->syslog)
		die("--vrps serves a file in the foreground without "
		    "validating: --once, --mirror, --tal, --tal-dir, --output, "
		    "--slurm, --user, --pid-file and --syslog do not apply");
	if (o->num_rtr_listen == 0)
		die("--vrps %s: give at least one --rtr-listen ADDR:PORT",
		    o->vrps);
	/* The default cache keeps the state when it is there to be used. */
	if (o->rtr_state == NULL && o->cache_dir == NULL &&
	    access(DEFAULT_CACHE_DIR, W_OK) == 0)
		o->cache_dir = DEFAULT_CACHE_DIR;
	check_rtr_common(o);
	if ((size_t)snprintf(what, sizeof(what), "vrps loaded from %s",
			     o->vrps) >= sizeof(what))
		die("--vrps %s: path too long", o->vrps);
	o->rtr.source = (struct serve_source){
	    .produce = produce_file,
	    .arg = (void *)o->vrps,
	    .what = what,
	    .watch_path = o->vrps,
	};
}

/* The five RIRs' TALs that make install puts in VRPD_TALDIR, if none. */
static void
default_tals(struct options *o)
{
	if (o->num_tal_files == 0 && o->num_tal_dirs == 0 &&
	    access(VRPD_TALDIR, F_OK) == 0)
		o->tal_dirs[o->num_tal_dirs++] = VRPD_TALDIR;
}

/*
 * Parses the options into o; with reload (SIGHUP), only the options
 * themselves, not the mode's defaults and checks that touch the system.
 */
static void
parse_args(struct options *o, int argc, char **argv, bool reload)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int ch;

	optind = 0; /* GNU getopt: start over (SIGHUP parses again) */
	o->jobs = ncpu > 0 ? (int)ncpu : 1;
	o->max_depth = MAX_CERT_DEPTH;
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
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case OPT_ONCE:
			o->once = true;
			break;
		case OPT_TAL:
			if (o->num_tal_files == MAX_TAS)
				die("--tal: at most %d TALs", MAX_TAS);
			o->tal_files[o->num_tal_files++] = optarg;
			break;
		case OPT_TAL_DIR:
			if (o->num_tal_dirs == 16)
				die("--tal-dir: at most 16 directories");
			o->tal_dirs[o->num_tal_dirs++] = optarg;
			break;
		case OPT_MIRROR:
			o->mirror = optarg;
			break;
		case OPT_CACHE_DIR:
			o->cache_dir = optarg;
			break;
		case OPT_CA_FILE:
			o->ca_file = optarg;
			break;
		case OPT_NO_RSYNC:
			o->no_rsync = true;
			break;
		case OPT_NO_RRDP:
			o->no_rrdp = true;
			break;
		case OPT_FETCH_JOBS:
			o->fetch_jobs =
			    parse_int("--fetch-jobs", optarg, 1, 256);
			break;
		case OPT_NOW:
			o->now_given = true;
			if (!timefmt_parse(optarg, &o->now))
				die("--now: '%s' is neither seconds since the "
				    "epoch nor RFC 3339 (2026-06-01T00:00:00Z)",
				    optarg);
			break;
		case OPT_OUTPUT:
			parse_output(o, optarg);
			break;
		case OPT_JOBS:
			o->jobs = parse_int("--jobs", optarg, 1, 1024);
			break;
		case OPT_DEPTH:
			o->max_depth =
			    parse_int("--max-cert-depth", optarg, 1, 64);
			break;
		case OPT_VERSION:
			printf("vrpd %s\n", PACKAGE_VERSION);
			exit(0);
		case OPT_VERBOSE:
			log_setlevel(LOG_LEVEL_DEBUG);
			break;
		case OPT_HELP:
			usage(stdout);
			exit(0);
		default:
			if (parse_rtr_option(o, ch))
				break;
			if (optopt != 0)
				die("option %s needs an argument (see --help)",
				    argv[optind - 1]);
			die("unknown option %s (see --help)", argv[optind - 1]);
		}
	}
	if (optind != argc)
		die("unexpected argument '%s' (see --help)", argv[optind]);
	if (reload)
		return;
	if (o->vrps != NULL) {
		check_rtr_options(o);
		return;
	}
	if (o->once &&
	    (o->foreground || o->syslog || o->pid_file != NULL ||
	     o->user != NULL))
		die("--foreground, --syslog, --pid-file and --user are for the "
		    "daemon (no --once)");
	if (o->once && o->num_rtr_listen > 0)
		die("--once validates and exits; --rtr-listen is for the "
		    "daemon (no --once) and --vrps");
	if (o->no_rsync && o->no_rrdp)
		die("--no-rsync and --no-rrdp together leave no way to fetch");
	default_tals(o);
	if (o->mirror == NULL && o->cache_dir == NULL)
		o->cache_dir = DEFAULT_CACHE_DIR;
	if (o->mirror != NULL && (o->ca_file != NULL || o->fetch_jobs != 0))
		die("--mirror reads a local copy: --ca-file and --fetch-jobs "
		    "are for fetching");
	if (o->once)
		return;
	/* The daemon keeps its saved set and RTR state in the cache. */
	if (o->cache_dir == NULL)
		o->cache_dir = DEFAULT_CACHE_DIR;
	if (mkdir(o->cache_dir, 0755) == -1 && errno != EEXIST)
		die("--cache-dir %s: %s", o->cache_dir, strerror(errno));
	default_rtr_listen(o);
	default_socket(o);
	check_rtr_common(o);
	if (o->user != NULL && geteuid() != 0)
		die("--user %s: only root can become another user", o->user);
	if (o->no_http)
		o->rtr.http_listen = NULL;
	else if (o->rtr.http_listen == NULL)
		o->rtr.http_listen = DEFAULT_HTTP_LISTEN;
	if (o->pid_file == NULL && !o->foreground && geteuid() == 0)
		o->pid_file = DEFAULT_SOCKET_DIR "/vrpd.pid";
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

/* Frees the first n TALs of tals. */
static void
free_tals(struct tal **tals, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		tal_free(tals[i]);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Appends DIR's *.tal files, sorted, to tals; false with err. */
static bool
load_tal_dir(const char *dir, struct tal **tals, size_t *n, char *err,
	     size_t errlen)
{
	char *names[MAX_TAS];
	struct dirent *de;
	size_t nn = 0, i, len;
	bool ok = true;
	DIR *d;

	if ((d = opendir(dir)) == NULL) {
		snprintf(err, errlen, "--tal-dir %s: %s", dir, strerror(errno));
		return false;
	}
	while (ok && (de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len <= 4 || strcmp(de->d_name + len - 4, ".tal") != 0)
			continue;
		if (*n + nn == MAX_TAS) {
			snprintf(err, errlen, "--tal-dir %s: more than %d TALs",
				 dir, MAX_TAS);
			ok = false;
		} else if (asprintf(&names[nn], "%s/%s", dir, de->d_name) ==
			   -1) {
			snprintf(err, errlen, "out of memory");
			ok = false;
		} else {
			nn++;
		}
	}
	closedir(d);
	qsort(names, nn, sizeof(names[0]), cmp_str);
	for (i = 0; i < nn; i++) {
		if (ok && (tals[*n] = tal_load(names[i])) == NULL) {
			snprintf(err, errlen,
				 "%s: cannot use this TAL (see the message "
				 "above)",
				 names[i]);
			ok = false;
		} else if (ok) {
			(*n)++;
		}
		free(names[i]);
	}
	return ok;
}

/*
 * Loads every --tal and --tal-dir TAL into tals and sets *n; false with a
 * message in err (nothing kept) when one is missing, broken, or two share
 * a name.
 */
static bool
try_load_tals(const struct options *o, struct tal **tals, size_t *n, char *err,
	      size_t errlen)
{
	size_t i, j;

	*n = 0;
	for (i = 0; i < o->num_tal_files; i++) {
		if ((tals[*n] = tal_load(o->tal_files[i])) == NULL) {
			snprintf(err, errlen,
				 "%s: cannot use this TAL (see the message "
				 "above)",
				 o->tal_files[i]);
			goto fail;
		}
		(*n)++;
	}
	for (i = 0; i < o->num_tal_dirs; i++) {
		if (!load_tal_dir(o->tal_dirs[i], tals, n, err, errlen))
			goto fail;
	}
	if (*n == 0) {
		snprintf(err, errlen,
			 "no TALs: give --tal FILE or --tal-dir DIR (the "
			 "bundled ones are installed in " VRPD_TALDIR ")");
		return false;
	}
	for (i = 0; i < *n; i++)
		for (j = i + 1; j < *n; j++)
			if (strcmp(tals[i]->name, tals[j]->name) == 0) {
				snprintf(err, errlen,
					 "two TALs are named %s: the name is "
					 "the trust anchor's in every output",
					 tals[i]->name);
				goto fail;
			}
	return true;
fail:
	free_tals(tals, *n);
	*n = 0;
	return false;
}

/* Loads the TALs at start, or dies naming the one that fails. */
static size_t
load_tals(const struct options *o, struct tal **tals)
{
	char err[PATH_MAX + 128];
	size_t n;

	if (!try_load_tals(o, tals, &n, err, sizeof(err)))
		die("%s", err);
	return n;
}

/* The cycle's configuration from the options (TALs loaded by then). */
static void
cycle_setup(struct options *o, struct cycle_config *c, struct tal **tals,
	    size_t ntals)
{
	memset(c, 0, sizeof(*c));
	c->mirror = o->mirror;
	c->cache_dir = o->cache_dir;
	c->lkg_dir = o->cache_dir != NULL ? valid_dir(o->cache_dir) : NULL;
	c->rsync = !o->no_rsync;
	c->rrdp = !o->no_rrdp;
	c->jobs = o->jobs;
	c->max_depth = o->max_depth;
	c->now = o->now_given ? o->now : 0;
	c->tals = tals;
	c->num_tals = ntals;
	c->outputs = o->outputs;
	c->num_outputs = o->num_outputs;
	c->slurm = o->slurm;
	c->num_slurm = o->num_slurm;
	/* Long runs show where they are, but only to a person watching. */
	c->progress = isatty(STDERR_FILENO) && (o->once || o->foreground);
	if (o->mirror != NULL)
		return;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
		die("cannot initialise libcurl");
	if (mkdir(o->cache_dir, 0755) == -1 && errno != EEXIST)
		die("--cache-dir %s: %s", o->cache_dir, strerror(errno));
	c->http.ca_file = o->ca_file;
	c->http.connect_timeout = HTTP_CONNECT_TIMEOUT;
	c->http.low_speed_limit = HTTP_LOW_SPEED_LIMIT;
	c->http.low_speed_time = HTTP_LOW_SPEED_TIME;
	c->http.total_timeout = HTTP_TOTAL_TIMEOUT;
	c->http.max_size = MAX_RRDP_FILE_SIZE;
	c->http.max_redirects = HTTP_MAX_REDIRECTS;
	c->http.max_parallel = 1; /* one transfer per sync; syncs in parallel */
	c->fetch_jobs = o->fetch_jobs != 0 ? o->fetch_jobs : DEFAULT_FETCH_JOBS;
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

/* A repository across cycles. */
struct repo_seen {
	char *uri;
	bool ok;
	time_t last_success; /* 0: not since vrpd started */
};

/* The daemon's source of sets: a cycle, run on a worker thread. */
struct daemon_source {
	struct cycle_config cycle;
	struct output_req saved; /* the set a restart serves at once */
	/* The last cycle, for vrpctl status; written by the worker. */
	pthread_mutex_t lock;
	size_t cycles;
	time_t last_end;
	char last[1024];
	bool last_ok;
	struct cycle_result result; /* numbers only: .set is not kept */
	/* Each repository of the last cycle; when it was last up to date. */
	struct repo_seen *repos;
	size_t num_repos;
	size_t repos_gen, repos_sent; /* changes, and the last sent to HTTP */
	/*
	 * SIGHUP: the options read again (pending until the next cycle
	 * starts, then applied; the applied ones freed at the next), and
	 * the TALs read again before the next cycle.
	 */
	struct options *pending, *applied;
	struct options *live; /* what serve_run() was given */
	struct config_args pending_args, applied_args;
	const struct options *opts;
	struct tal **tals; /* the array cycle.tals points to, MAX_TAS long */
	atomic_bool reread_tals;
};

/*
 * Replaces the repositories with those of the cycle that ended at now,
 * carrying over when each was last up to date; takes the reports' URIs.
 * Called with d->lock held.
 */
static void
update_repos(struct daemon_source *d, struct cycle_result *r, time_t now)
{
	struct repo_seen *fresh;
	size_t i, j;

	if (r->num_repos == 0)
		return;
	if ((fresh = calloc(r->num_repos, sizeof(*fresh))) == NULL)
		return;
	for (i = 0; i < r->num_repos; i++) {
		fresh[i].uri = r->repos[i].uri;
		r->repos[i].uri = NULL;
		fresh[i].ok = r->repos[i].ok;
		if (fresh[i].ok) {
			fresh[i].last_success = now;
			continue;
		}
		for (j = 0; j < d->num_repos; j++) {
			if (strcmp(d->repos[j].uri, fresh[i].uri) == 0) {
				fresh[i].last_success =
				    d->repos[j].last_success;
				break;
			}
		}
	}
	for (j = 0; j < d->num_repos; j++)
		free(d->repos[j].uri);
	free(d->repos);
	d->repos = fresh;
	d->num_repos = r->num_repos;
	d->repos_gen++;
}

/*
 * After SIGHUP, on the worker before the cycle (none other runs): the
 * TALs read again; when one is broken the ones loaded before stay.
 */
static void
reread_tals(struct daemon_source *d)
{
	struct tal *fresh[MAX_TAS];
	char err[PATH_MAX + 128];
	size_t n;

	if (!atomic_exchange(&d->reread_tals, false))
		return;
	if (!try_load_tals(d->opts, fresh, &n, err, sizeof(err))) {
		log_warnx("SIGHUP: %s; keeping the %zu TALs loaded before", err,
			  d->cycle.num_tals);
		return;
	}
	free_tals(d->tals, d->cycle.num_tals);
	memcpy(d->tals, fresh, n * sizeof(*fresh));
	d->cycle.num_tals = n;
	log_info("SIGHUP: %zu TALs loaded", n);
}

/*
 * Applies options read again after SIGHUP to the cycle, on the worker
 * before a cycle (none runs): TALs, outputs, SLURM and how to fetch and
 * validate. The options the cycle used until now are freed.
 */
static void
apply_pending(struct daemon_source *d)
{
	struct options *o;
	struct cycle_config *c = &d->cycle;

	pthread_mutex_lock(&d->lock);
	if ((o = d->pending) == NULL) {
		pthread_mutex_unlock(&d->lock);
		return;
	}
	d->pending = NULL;
	c->outputs = o->outputs;
	c->num_outputs = o->num_outputs;
	c->slurm = o->slurm;
	c->num_slurm = o->num_slurm;
	c->max_depth = o->max_depth;
	c->jobs = o->jobs;
	c->rsync = !o->no_rsync;
	c->rrdp = !o->no_rrdp;
	c->http.ca_file = o->ca_file;
	if (o->fetch_jobs != 0)
		c->fetch_jobs = o->fetch_jobs;
	c->now = o->now_given ? o->now : 0;
	d->opts = o;
	free(d->applied);
	config_args_free(&d->applied_args);
	d->applied = o;
	d->applied_args = d->pending_args;
	memset(&d->pending_args, 0, sizeof(d->pending_args));
	pthread_mutex_unlock(&d->lock);
}

/* What SIGHUP parses into; static, as longjmp may cross their writes. */
static struct options *hup_opts;
static struct config_args hup_args;

/*
 * SIGHUP, on the loop: the config file and the command line parsed
 * again. A broken file is logged and changes nothing; else the options
 * wait for the next cycle (apply_pending), which also reads the TALs.
 */
static void
hangup(void *arg)
{
	struct daemon_source *d = arg;
	int argc = orig_argc;
	char **argv = orig_argv;
	jmp_buf jb;

	memset(&hup_args, 0, sizeof(hup_args));
	if ((hup_opts = calloc(1, sizeof(*hup_opts))) == NULL) {
		log_warn("SIGHUP");
		return;
	}
	if (setjmp(jb) != 0) {
		reload_jmp = NULL;
		log_warnx("SIGHUP: %s; keeping the old configuration",
			  reload_err);
		config_args_free(&hup_args);
		free(hup_opts);
		hup_opts = NULL;
		return;
	}
	reload_jmp = &jb;
	read_config(&argc, &argv, &hup_args);
	parse_args(hup_opts, argc, argv, true);
	reload_jmp = NULL;
	default_tals(hup_opts);
	/* The timer's period is read on the loop, after each cycle. */
	d->live->rtr.source.refresh_ms = 1000ULL * (unsigned)hup_opts->refresh;
	pthread_mutex_lock(&d->lock);
	if (d->pending != NULL) {
		free(d->pending);
		config_args_free(&d->pending_args);
	}
	d->pending = hup_opts;
	d->pending_args = hup_args;
	pthread_mutex_unlock(&d->lock);
	hup_opts = NULL;
	atomic_store(&d->reread_tals, true);
	log_info("SIGHUP: configuration read again; TALs, outputs, SLURM, "
		 "refresh and fetching apply from the next cycle (listeners, "
		 "cache, sockets, user and RTR settings need a restart)");
}

static struct vrpset *
produce_cycle(void *arg, char *err, size_t errlen)
{
	struct daemon_source *d = arg;

	apply_pending(d);
	reread_tals(d);
	struct output_meta meta;
	struct cycle_result r;
	char summary[1024];

	if (!cycle_run(&d->cycle, &r, err, errlen)) {
		pthread_mutex_lock(&d->lock);
		d->last_end = time(NULL);
		d->last_ok = false;
		snprintf(d->last, sizeof(d->last), "failed: %s", err);
		pthread_mutex_unlock(&d->lock);
		return NULL;
	}
	meta.generated = r.now;
	meta.elapsed = r.seconds;
	if (!cycle_write_output(&d->saved, r.set, &meta))
		log_warnx("%s: not saved; a restart will wait for validation",
			  d->saved.path);
	cycle_summary(&r, summary, sizeof(summary));
	pthread_mutex_lock(&d->lock);
	d->cycles++;
	d->last_end = time(NULL);
	d->last_ok = true;
	update_repos(d, &r, d->last_end);
	fetch_reports_free(r.repos, r.num_repos);
	d->result = r;
	d->result.set = NULL;
	d->result.repos = NULL;
	d->result.num_repos = 0;
	snprintf(d->last, sizeof(d->last), "%s", summary);
	pthread_mutex_unlock(&d->lock);
	log_info("validation cycle %zu: %s", d->cycles, summary);
	return r.set;
}

/* The repositories not up to date, for vrpctl status; lock held. */
static void
describe_repos(const struct daemon_source *d, FILE *fp)
{
	char when[TIMEFMT_UTC_LEN];
	size_t i, failing = 0;

	for (i = 0; i < d->num_repos; i++)
		failing += !d->repos[i].ok;
	fprintf(fp, "repositories: %zu, %zu not up to date\n", d->num_repos,
		failing);
	for (i = 0; i < d->num_repos; i++) {
		if (d->repos[i].ok)
			continue;
		fprintf(fp, "  %s (last up to date: %s)\n", d->repos[i].uri,
			timefmt_utc(d->repos[i].last_success,
				    "never since start", when));
	}
}

static void
describe_cycle(void *arg, FILE *fp)
{
	struct daemon_source *d = arg;
	char when[TIMEFMT_UTC_LEN];

	pthread_mutex_lock(&d->lock);
	fprintf(fp, "cycles:      %zu\nlast cycle:  ended %s\n  %s\n",
		d->cycles, timefmt_utc(d->last_end, "never", when),
		d->last[0] != '\0' ? d->last : "-");
	describe_repos(d, fp);
	pthread_mutex_unlock(&d->lock);
}

/*
 * Once the sockets are bound: the pid file, and root given up (the cache
 * and the control socket's directory handed to --user first).
 */
static bool
daemon_bound(void *arg)
{
	struct options *o = arg;
	const char *dirs[3] = {o->cache_dir, NULL, NULL};
	static char sockdir[PATH_MAX];

	if (o->pid_file != NULL && !proc_pidfile(o->pid_file))
		return false;
	if (o->user == NULL)
		return true;
	snprintf(sockdir, sizeof(sockdir), "%s", o->rtr.control_path);
	if (strrchr(sockdir, '/') != NULL && strrchr(sockdir, '/') != sockdir) {
		*strrchr(sockdir, '/') = '\0';
		if (strcmp(sockdir, o->cache_dir) != 0)
			dirs[1] = sockdir;
	}
	return proc_drop(o->user, dirs);
}

static void
daemon_cleanup(void *arg)
{
	(void)arg;
	proc_pidfile_remove();
}

static void
http_stats(void *arg, struct httpd_state *st)
{
	struct daemon_source *d = arg;

	pthread_mutex_lock(&d->lock);
	st->cycles = d->cycles;
	st->last_cycle_end = d->last_end;
	st->last_cycle_seconds = d->result.seconds;
	st->last_cycle_ok = d->last_ok;
	if (!d->last_ok && d->last_end != 0)
		snprintf(st->last_error, sizeof(st->last_error), "%.*s",
			 (int)sizeof(st->last_error) - 1, d->last);
	st->stats = d->result.stats;
	st->fetch = d->result.fetch;
	st->fetched = d->result.fetched;
	pthread_mutex_unlock(&d->lock);
}

/* Hands the HTTP server the repositories when they changed. */
static void
http_extra(void *arg, struct httpd *h)
{
	struct daemon_source *d = arg;
	struct httpd_repo *list;
	size_t i;

	pthread_mutex_lock(&d->lock);
	if (d->repos_gen != d->repos_sent &&
	    (list = calloc(d->num_repos + 1, sizeof(*list))) != NULL) {
		for (i = 0; i < d->num_repos; i++) {
			list[i].uri = d->repos[i].uri;
			list[i].ok = d->repos[i].ok;
			list[i].last_success = d->repos[i].last_success;
		}
		httpd_set_repos(h, list, d->num_repos);
		free(list);
		d->repos_sent = d->repos_gen;
	}
	pthread_mutex_unlock(&d->lock);
}

/* The daemon: validate every --refresh seconds and serve over RTR. */
static int
run_daemon(struct options *o, struct daemon_source *d)
{
	static char saved[PATH_MAX];

	if ((size_t)snprintf(saved, sizeof(saved), "%s/%s", o->cache_dir,
			     SAVED_SET_NAME) >= sizeof(saved))
		die("--cache-dir %s: path too long", o->cache_dir);
	d->saved.fmt = OUTPUT_JSON;
	d->saved.path = saved;
	o->rtr.source = (struct serve_source){
	    .produce = produce_cycle,
	    .arg = d,
	    .what = "validation cycle complete",
	    .saved_path = saved,
	    .refresh_ms = 1000ULL * (unsigned)o->refresh,
	    .abandon_on_stop = true,
	    .describe = describe_cycle,
	    .http_stats = http_stats,
	    .hangup = hangup,
	    .http_extra = http_extra,
	};
	d->opts = o;
	d->live = o;
	atomic_init(&d->reread_tals, false);
	o->rtr.bound = daemon_bound;
	o->rtr.cleanup = daemon_cleanup;
	o->rtr.bound_arg = o;
	pthread_mutex_init(&d->lock, NULL);
	if (!o->foreground) {
		log_tosyslog("vrpd");
		if (!proc_detach())
			return 1;
	} else if (o->syslog) {
		log_tosyslog("vrpd");
	}
	return serve_run(&o->rtr);
}

/*
 * The config file's options before the command line's: --config FILE
 * (which must exist), or DEFAULT_CONFIG when there is one.
 */
static void
read_config(int *argc, char ***argv, struct config_args *args)
{
	const char *path = NULL;
	char err[512];
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
		return;
	if (!config_load(path, longopts, *argc, *argv, args, err, sizeof(err)))
		die("%s", err);
	*argc = args->argc;
	*argv = args->argv;
}

int
main(int argc, char **argv)
{
	static struct daemon_source d;
	static struct config_args args;
	static struct tal *tals[MAX_TAS];
	static struct options o;
	struct stat sb;
	size_t ntals;
	int rc;

	orig_argc = argc;
	orig_argv = argv;
	read_config(&argc, &argv, &args);
	parse_args(&o, argc, argv, false);
	if (o.vrps != NULL)
		return serve_run(&o.rtr);
	if (o.mirror != NULL &&
	    (stat(o.mirror, &sb) == -1 || !S_ISDIR(sb.st_mode)))
		die("--mirror %s: not a directory", o.mirror);
	if (!rsakeys_init())
		log_info("fast RSA key decoding is unavailable; validating at "
			 "OpenSSL's default speed");
	ntals = load_tals(&o, tals);
	d.tals = tals;
	cycle_setup(&o, &d.cycle, tals, ntals);
	rc = o.once ? run_once(&d.cycle) : run_daemon(&o, &d);
	free_tals(tals, d.cycle.num_tals);
	free((char *)d.cycle.lkg_dir);
	if (o.mirror == NULL)
		curl_global_cleanup();
	return rc;
}
