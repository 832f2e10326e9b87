/*
 * vrpd's options: the command line and the config file (whose keys are
 * the same long options), parsed into one struct. Nothing here exits: a
 * bad option is an error message, so that SIGHUP can read the file again
 * and keep the old options when the new ones are broken.
 */
#ifndef VRPD_OPTIONS_H
#define VRPD_OPTIONS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "conffile.h"
#include "cycle.h"
#include "limits.h"

#include "rtr-server/serve.h"

#define OPTIONS_MAX_OUTPUTS    16
#define OPTIONS_MAX_RTR_LISTEN 16
#define OPTIONS_MAX_SLURM      16
#define OPTIONS_MAX_TAL_DIRS   16

/* The cache directory, also where the daemon keeps its state. */
#define DEFAULT_CACHE_DIR "/var/cache/vrpd"

/* The control socket's and the pid file's directory when run as root. */
#define DEFAULT_SOCKET_DIR "/run/vrpd"

struct options {
	bool once;
	const char *mirror;
	const char *cache_dir;
	const char *ca_file;
	bool no_rsync;
	bool no_rrdp;
	int fetch_jobs;				/* 0: the default */
	int fetch_timeout, fetch_stall_timeout; /* seconds */
	const char *tal_files[MAX_TAS];
	size_t num_tal_files;
	const char *tal_dirs[OPTIONS_MAX_TAL_DIRS];
	size_t num_tal_dirs;
	struct output_req outputs[OPTIONS_MAX_OUTPUTS];
	size_t num_outputs;
	time_t now;
	bool now_given;
	int refresh; /* daemon: seconds between validation cycles */
	const char *slurm[OPTIONS_MAX_SLURM];
	size_t num_slurm;
	struct rp_limits limits;
	/* running as a daemon */
	bool foreground, syslog, no_http;
	const char *pid_file;
	const char *user;
	int jobs;
	int max_depth;
	/* --vrps mode */
	const char *vrps;
	const char *rtr_listen[OPTIONS_MAX_RTR_LISTEN];
	size_t num_rtr_listen;
	const char *rtr_state;
	struct serve_config rtr;
	/* Room for the paths the defaults build. */
	char buf_state[PATH_MAX], buf_socket[PATH_MAX];
	char buf_v4[32], buf_v6[32];
};

enum options_result {
	OPTIONS_OK,
	OPTIONS_EXIT, /* --help or --version printed: exit 0 */
	OPTIONS_ERROR
};

/*
 * Reads the config file (--config FILE, or /etc/vrpd/vrpd.conf when it
 * exists) and then argv into o, which it clears first; args keeps the
 * file's words (config_args_free). Only the options themselves: nothing
 * on the system is looked at. OPTIONS_ERROR with the message in err.
 */
enum options_result options_parse(struct options *o, int argc, char **argv,
				  struct config_args *args, char *err,
				  size_t errlen);

/*
 * Checks the options of the mode they select against each other and
 * fills in its defaults (listeners, cache and socket paths, the bundled
 * TALs); creates the daemon's cache directory. False with err.
 */
bool options_finish(struct options *o, char *err, size_t errlen);

/*
 * Sets what a validation cycle takes from the options and SIGHUP may
 * change: outputs, SLURM, how to fetch and how deep to validate.
 */
void options_apply(const struct options *o, struct cycle_config *c);

/* Adds the bundled TAL directory when no --tal or --tal-dir was given. */
void options_default_tals(struct options *o);

/* Prints the usage message. */
void options_usage(FILE *fp);

#endif /* VRPD_OPTIONS_H */
