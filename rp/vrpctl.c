/*
 * vrpctl: the admin CLI. Today it has one command, inspect, which works
 * offline on object files; the commands that ask the running daemon
 * (count, check, dump, status, reload) come with its control socket.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

static void
usage(FILE *fp)
{
	fprintf(fp,
		"usage: vrpctl inspect [--json] FILE...\n"
		"       vrpctl inspect [--json] --tal FILE [--tal FILE]... "
		"--mirror DIR\n"
		"                      [--now TIME] [--jobs N] FILE...\n"
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

int
main(int argc, char **argv)
{
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
	if (strcmp(argv[1], "inspect") == 0)
		return cmd_inspect(argc - 1, argv + 1);
	fprintf(stderr, "vrpctl: unknown command %s\n", argv[1]);
	return EXIT_USAGE;
}
