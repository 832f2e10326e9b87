/*
 * The daemon (plain vrpd): a validation cycle on libuv's thread pool every
 * --refresh seconds, each new set served over RTR with deltas, vrpctl's
 * control socket and the HTTP status server, and SIGHUP reading the
 * configuration again.
 */
#include "config.h"

#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "daemon.h"
#include "log.h"
#include "proc.h"
#include "talset.h"
#include "timefmt.h"

#include "rtr-server/httpd.h"

/* The last valid set, served at once when vrpd starts again. */
#define SAVED_SET_NAME "vrps.json"

/* A repository across cycles. */
struct repo_seen {
	char *uri;
	bool ok;
	time_t last_success; /* 0: not since vrpd started */
};

/* The daemon's source of sets: a cycle, run on a worker thread. */
struct daemon_source {
	struct cycle_config *cycle;
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
	struct tal **tals; /* the array cycle->tals points to, MAX_TAS long */
	atomic_bool reread_tals;
	/* The command line as given, for SIGHUP to combine with the file. */
	int argc;
	char **argv;
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
	if (!talset_load(d->opts->tal_files, d->opts->num_tal_files,
			 d->opts->tal_dirs, d->opts->num_tal_dirs, fresh, &n,
			 err, sizeof(err))) {
		log_warnx("SIGHUP: %s; keeping the %zu TALs loaded before", err,
			  d->cycle->num_tals);
		return;
	}
	talset_free(d->tals, d->cycle->num_tals);
	memcpy(d->tals, fresh, n * sizeof(*fresh));
	d->cycle->num_tals = n;
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

	pthread_mutex_lock(&d->lock);
	if ((o = d->pending) == NULL) {
		pthread_mutex_unlock(&d->lock);
		return;
	}
	d->pending = NULL;
	options_apply(o, d->cycle);
	d->opts = o;
	free(d->applied);
	config_args_free(&d->applied_args);
	d->applied = o;
	d->applied_args = d->pending_args;
	memset(&d->pending_args, 0, sizeof(d->pending_args));
	pthread_mutex_unlock(&d->lock);
}

/*
 * SIGHUP, on the loop: the config file and the command line parsed
 * again. A broken file is logged and changes nothing; else the options
 * wait for the next cycle (apply_pending), which also reads the TALs.
 */
static void
hangup(void *arg)
{
	struct daemon_source *d = arg;
	struct config_args args;
	struct options *o;
	char err[PATH_MAX + 128];

	if ((o = calloc(1, sizeof(*o))) == NULL) {
		log_warn("SIGHUP");
		return;
	}
	if (options_parse(o, d->argc, d->argv, &args, err, sizeof(err)) !=
	    OPTIONS_OK) {
		log_warnx("SIGHUP: %s; keeping the old configuration", err);
		config_args_free(&args);
		free(o);
		return;
	}
	options_default_tals(o);
	/* The timer's period is read on the loop, after each cycle. */
	d->live->rtr.source.refresh_ms = 1000ULL * (unsigned)o->refresh;
	pthread_mutex_lock(&d->lock);
	if (d->pending != NULL) {
		free(d->pending);
		config_args_free(&d->pending_args);
	}
	d->pending = o;
	d->pending_args = args;
	pthread_mutex_unlock(&d->lock);
	atomic_store(&d->reread_tals, true);
	log_info("SIGHUP: configuration read again; TALs, outputs, SLURM, "
		 "refresh and fetching apply from the next cycle (listeners, "
		 "cache, sockets, user, limits and RTR settings need a "
		 "restart)");
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

	if (!cycle_run(d->cycle, &r, err, errlen)) {
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
	/* The pid file is there when the starting process exits. */
	if (!o->foreground && !proc_detach_done())
		return false;
	if (!o->foreground || o->syslog)
		log_tosyslog("vrpd");
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

int
daemon_run(struct options *o, struct cycle_config *c, struct tal **tals,
	   int argc, char **argv)
{
	static struct daemon_source d;
	static char saved[PATH_MAX];

	if ((size_t)snprintf(saved, sizeof(saved), "%s/%s", o->cache_dir,
			     SAVED_SET_NAME) >= sizeof(saved)) {
		log_warnx("--cache-dir %s: path too long", o->cache_dir);
		return 2;
	}
	d.cycle = c;
	d.tals = tals;
	d.argc = argc;
	d.argv = argv;
	d.saved.fmt = OUTPUT_JSON;
	d.saved.path = saved;
	o->rtr.source = (struct serve_source){
	    .produce = produce_cycle,
	    .arg = &d,
	    .what = "validation cycle complete",
	    .saved_path = saved,
	    .refresh_ms = 1000ULL * (unsigned)o->refresh,
	    .abandon_on_stop = true,
	    .describe = describe_cycle,
	    .http_stats = http_stats,
	    .hangup = hangup,
	    .http_extra = http_extra,
	};
	d.opts = o;
	d.live = o;
	atomic_init(&d.reread_tals, false);
	o->rtr.bound = daemon_bound;
	o->rtr.cleanup = daemon_cleanup;
	o->rtr.bound_arg = o;
	pthread_mutex_init(&d.lock, NULL);
	/* Errors until the sockets are bound still reach the terminal. */
	if (!o->foreground && !proc_detach())
		return 1;
	return serve_run(&o->rtr);
}
