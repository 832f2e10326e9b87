/*
 * vrpctl: the admin CLI. inspect works offline on object files; count,
 * check, dump, status and reload ask the running daemon over its control
 * socket (rtr-server/control.c has the other end).
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "inspect.h"
#include "limits.h"
#include "log.h"
#include "tal.h"
#include "timefmt.h"

/* Exit statuses: as with diff(1), 1 means "found something", 2 trouble. */
#define EXIT_FOUND 1
#define EXIT_USAGE 2
/* The daemon is not there or could not answer (check uses 0, 1, 2). */
#define EXIT_DAEMON 3

/* Where the daemon puts its socket as root; else in its cache dir. */
#define DEFAULT_SOCKET	"/run/vrpd/control.sock"
#define FALLBACK_SOCKET "/var/cache/vrpd/control.sock"
#define MAX_REQUEST	512

static void
usage(FILE *fp)
{
	fprintf(fp,
		"usage: vrpctl inspect [--json] FILE...\n"
		"       vrpctl inspect [--json] --tal FILE [--tal FILE]... "
		"--mirror DIR\n"
		"                      [--now TIME] [--jobs N] FILE...\n"
		"       vrpctl [--socket PATH] count [--json]\n"
		"       vrpctl [--socket PATH] check ASN PREFIX\n"
		"       vrpctl [--socket PATH] dump [--format "
		"csv|json|openbgpd|bird]\n"
		"       vrpctl [--socket PATH] status | reload\n"
		"       vrpctl --help | --version\n"
		"\n"
		"commands:\n"
		"  inspect  decode RPKI objects (.cer .crl .mft .roa .asa "
		".tal) and print\n"
		"           their fields and errors; with --tal and --mirror, "
		"also validate\n"
		"           each FILE (a path inside DIR) in its context and "
		"print \"valid\"\n"
		"           or the first rule it breaks\n"
		"  count    VRPs (IPv4, IPv6), ASPAs, router keys, in all and "
		"per TA\n"
		"  check    the RFC 6811 state of a route and the VRPs that "
		"decide it;\n"
		"           exit 0 valid, 1 invalid, 2 not found\n"
		"  dump     the served set in an output format\n"
		"  status   serial, last run, connected routers\n"
		"  reload   start a validation cycle now\n"
		"The daemon is asked over its control socket "
		"(default " DEFAULT_SOCKET ", then\n" FALLBACK_SOCKET
		"); exit 3 when it "
		"does not answer.\n"
		"\n"
		"TIME is seconds since the epoch or RFC 3339 "
		"(2026-06-01T00:00:00Z).\n"
		"Exit status: 0 if every FILE decoded (and is valid), 1 if "
		"not, 2 on trouble.\n");
}

static void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
	va_list ap;

	fputs("vrpctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(EXIT_USAGE);
}

static int
parse_jobs(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || end == s || v < 1 || v > 1024)
		die("--jobs: expected a number from 1 to 1024, got '%s'", s);
	return (int)v;
}

struct inspect_opts {
	enum inspect_format fmt;
	const char *tal_files[MAX_TAS];
	size_t num_tals;
	const char *mirror;
	time_t now;
	bool has_now;
	int jobs;
};

/* Parses inspect's flags; returns the index of the first FILE. */
static int
parse_inspect(struct inspect_opts *o, int argc, char **argv)
{
	enum {
		OPT_JSON = 256,
		OPT_TAL,
		OPT_MIRROR,
		OPT_NOW,
		OPT_JOBS,
		OPT_HELP
	};
	static const struct option longopts[] = {
	    {"json", no_argument, NULL, OPT_JSON},
	    {"tal", required_argument, NULL, OPT_TAL},
	    {"mirror", required_argument, NULL, OPT_MIRROR},
	    {"now", required_argument, NULL, OPT_NOW},
	    {"jobs", required_argument, NULL, OPT_JOBS},
	    {"help", no_argument, NULL, OPT_HELP},
	    {NULL, 0, NULL, 0},
	};
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int ch;

	o->fmt = INSPECT_TEXT;
	o->now = time(NULL);
	o->jobs = ncpu > 0 ? (int)ncpu : 1;
	opterr = 0;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case OPT_JSON:
			o->fmt = INSPECT_JSON;
			break;
		case OPT_TAL:
			if (o->num_tals == MAX_TAS)
				die("--tal: at most %d TALs", MAX_TAS);
			o->tal_files[o->num_tals++] = optarg;
			break;
		case OPT_MIRROR:
			o->mirror = optarg;
			break;
		case OPT_NOW:
			if (!timefmt_parse(optarg, &o->now))
				die("--now: '%s' is neither seconds since the "
				    "epoch nor RFC 3339 (2026-06-01T00:00:00Z)",
				    optarg);
			o->has_now = true;
			break;
		case OPT_JOBS:
			o->jobs = parse_jobs(optarg);
			break;
		case OPT_HELP:
			usage(stdout);
			exit(0);
		default:
			if (optopt != 0)
				die("inspect: option %s needs an argument (see "
				    "--help)",
				    argv[optind - 1]);
			die("inspect: unknown option %s (see --help)",
			    argv[optind - 1]);
		}
	}
	if (optind == argc)
		die("inspect: give at least one FILE (see --help)");
	if ((o->num_tals > 0) != (o->mirror != NULL))
		die("inspect: --tal and --mirror go together: the TAL says "
		    "where the tree starts, the mirror holds it");
	if (o->has_now && o->mirror == NULL)
		die("inspect: --now is the time of the validation that --tal "
		    "and --mirror ask for");
	return optind;
}

/* Runs the validation for inspect's context, or dies saying why not. */
static struct inspect_ctx *
inspect_context(const struct inspect_opts *o)
{
	struct tal *tals[MAX_TAS];
	struct inspect_ctx *ctx;
	struct stat sb;
	size_t i;

	if (stat(o->mirror, &sb) == -1 || !S_ISDIR(sb.st_mode))
		die("--mirror %s: not a directory", o->mirror);
	for (i = 0; i < o->num_tals; i++)
		if ((tals[i] = tal_load(o->tal_files[i])) == NULL)
			die("%s: cannot use this TAL (see the message above)",
			    o->tal_files[i]);
	ctx = inspect_ctx_run(o->mirror, tals, o->num_tals, o->now, o->jobs);
	for (i = 0; i < o->num_tals; i++)
		tal_free(tals[i]);
	if (ctx == NULL)
		die("validation could not complete (see the message above)");
	return ctx;
}

static int
cmd_inspect(int argc, char **argv)
{
	struct inspect_opts o = {0};
	struct inspect_ctx *ctx = NULL;
	int first = parse_inspect(&o, argc, argv), i, rc = 0;

	for (i = first; i < argc; i++) {
		if (access(argv[i], R_OK) == -1)
			die("%s: %s", argv[i], strerror(errno));
	}
	if (o.mirror != NULL)
		ctx = inspect_context(&o);
	for (i = first; i < argc; i++) {
		if (!inspect_file(stdout, argv[i], o.fmt, ctx))
			rc = EXIT_FOUND;
	}
	inspect_ctx_free(ctx);
	if (fflush(stdout) != 0)
		die("writing to stdout: %s", strerror(errno));
	return rc;
}

/* Connects to the daemon's socket; -1 (errno set) when nobody listens. */
static int
connect_socket(const char *path)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(sun.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		int saved = errno;

		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

/*
 * Sends one request and copies the answer to stdout; the answer's first
 * line "exit N" is the exit status (3 goes to stderr as an error).
 */
static int
ask(const char *path, const char *request)
{
	const char *tried = path != NULL ? path : DEFAULT_SOCKET;
	char head[16], buf[65536];
	size_t hlen = 0;
	ssize_t n;
	int fd, rc = -1;
	FILE *out = stdout;

	fd = connect_socket(tried);
	if (fd == -1 && path == NULL)
		fd = connect_socket(tried = FALLBACK_SOCKET);
	if (fd == -1) {
		fprintf(stderr, "vrpctl: vrpd is not running (%s: %s)\n",
			path != NULL ? path
				     : DEFAULT_SOCKET " or " FALLBACK_SOCKET,
			strerror(errno));
		return EXIT_DAEMON;
	}
	if (write(fd, request, strlen(request)) != (ssize_t)strlen(request) ||
	    write(fd, "\n", 1) != 1) {
		fprintf(stderr, "vrpctl: %s: %s\n", tried, strerror(errno));
		close(fd);
		return EXIT_DAEMON;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		char *p = buf;

		/* The status line first, byte by byte until its newline. */
		while (rc < 0 && n > 0) {
			if (*p == '\n') {
				head[hlen] = '\0';
				if (sscanf(head, "exit %d", &rc) != 1)
					rc = EXIT_DAEMON;
				if (rc == EXIT_DAEMON) {
					out = stderr;
					fputs("vrpctl: ", stderr);
				}
			} else if (hlen < sizeof(head) - 1) {
				head[hlen++] = *p;
			}
			p++;
			n--;
		}
		if (n > 0 && fwrite(p, 1, (size_t)n, out) != (size_t)n)
			die("writing: %s", strerror(errno));
	}
	close(fd);
	if (rc < 0) {
		fprintf(stderr, "vrpctl: %s: vrpd closed without answering\n",
			tried);
		return EXIT_DAEMON;
	}
	if (fflush(stdout) != 0)
		die("writing to stdout: %s", strerror(errno));
	return rc;
}

/* The daemon commands: their words make the request line. */
static int
cmd_daemon(const char *socket_path, int argc, char **argv)
{
	char req[MAX_REQUEST];
	const char *cmd = argv[0];

	if (strcmp(cmd, "count") == 0 && argc == 1)
		return ask(socket_path, "count");
	if (strcmp(cmd, "count") == 0 && argc == 2 &&
	    strcmp(argv[1], "--json") == 0)
		return ask(socket_path, "count json");
	if (strcmp(cmd, "check") == 0 && argc == 3) {
		if (strlen(argv[1]) > 32 || strlen(argv[2]) > 64 ||
		    strpbrk(argv[1], " \t\n") || strpbrk(argv[2], " \t\n"))
			die("check: ASN and PREFIX are single words");
		snprintf(req, sizeof(req), "check %s %s", argv[1], argv[2]);
		return ask(socket_path, req);
	}
	if (strcmp(cmd, "dump") == 0 && argc == 1)
		return ask(socket_path, "dump csv");
	if (strcmp(cmd, "dump") == 0 && argc == 3 &&
	    strcmp(argv[1], "--format") == 0 && strlen(argv[2]) < 16 &&
	    !strpbrk(argv[2], " \t\n")) {
		snprintf(req, sizeof(req), "dump %s", argv[2]);
		return ask(socket_path, req);
	}
	if ((strcmp(cmd, "status") == 0 || strcmp(cmd, "reload") == 0) &&
	    argc == 1)
		return ask(socket_path, cmd);
	usage(stderr);
	return EXIT_USAGE;
}

int
main(int argc, char **argv)
{
	const char *socket_path = NULL;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("vrpctl %s\n", PACKAGE_VERSION);
		return 0;
	}
	if (strcmp(argv[1], "--socket") == 0) {
		if (argc < 4) {
			usage(stderr);
			return EXIT_USAGE;
		}
		socket_path = argv[2];
		argc -= 2;
		argv += 2;
	}
	if (strcmp(argv[1], "inspect") == 0 && socket_path == NULL)
		return cmd_inspect(argc - 1, argv + 1);
	if (strcmp(argv[1], "count") == 0 || strcmp(argv[1], "check") == 0 ||
	    strcmp(argv[1], "dump") == 0 || strcmp(argv[1], "status") == 0 ||
	    strcmp(argv[1], "reload") == 0)
		return cmd_daemon(socket_path, argc - 1, argv + 1);
	fprintf(stderr, "vrpctl: unknown command %s\n", argv[1]);
	return EXIT_USAGE;
}
