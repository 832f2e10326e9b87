/*
 * A validation cycle, the same for vrpd --once and each round of the
 * daemon: everything it needs is in its config, and it reports failure
 * instead of exiting, so a daemon survives a bad round.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cycle.h"
#include "lkg.h"
#include "log.h"
#include "slurm.h"
#include "timefmt.h"

/* Seconds between two progress lines. */
#define PROGRESS_INTERVAL_S 1

/* --slurm files at most; operators use one or two. */
#define MAX_SLURM_FILES 16

bool
cycle_write_output(const struct output_req *req, const struct vrpset *set,
		   const struct output_meta *meta)
{
	char tmp[PATH_MAX];
	FILE *fp;
	bool ok;

	if (strcmp(req->path, "-") == 0) {
		ok = output_write(stdout, req->fmt, set, meta) &&
		    fflush(stdout) == 0;
		if (!ok)
			log_warn("writing to stdout");
		return ok;
	}
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", req->path) >=
	    (int)sizeof(tmp)) {
		log_warnx("%s: path too long", req->path);
		return false;
	}
	if ((fp = fopen(tmp, "w")) == NULL) {
		log_warn("%s", tmp);
		return false;
	}
	ok = output_write(fp, req->fmt, set, meta);
	ok = fflush(fp) == 0 && ok;
	ok = fsync(fileno(fp)) == 0 && ok;
	ok = fclose(fp) == 0 && ok;
	if (!ok || rename(tmp, req->path) == -1) {
		log_warn("%s", req->path);
		unlink(tmp);
		return false;
	}
	return true;
}

/*
 * Reads every SLURM file and applies them to set; false with a message
 * naming the file when one is broken or they overlap (RFC 8416 s.4.2).
 */
static bool
cycle_slurm(const struct cycle_config *c, struct vrpset *set, char *err,
	    size_t errlen)
{
	struct slurm *files[MAX_SLURM_FILES];
	size_t i, n = 0;
	bool ok = false;

	if (c->num_slurm > MAX_SLURM_FILES) {
		snprintf(err, errlen, "more than %d SLURM files",
			 MAX_SLURM_FILES);
		return false;
	}
	for (; n < c->num_slurm; n++) {
		if ((files[n] = slurm_load(c->slurm[n], err, errlen)) == NULL)
			goto out;
	}
	if (!slurm_check_overlap(files, n, err, errlen))
		goto out;
	if (!slurm_apply(files, n, set)) {
		snprintf(err, errlen, "applying SLURM: out of memory");
		goto out;
	}
	ok = true;
out:
	for (i = 0; i < n; i++)
		slurm_free(files[i]);
	return ok;
}

/* What the progress line counts, and the thread that prints it. */
struct progress {
	atomic_size_t objects, rejected;
	struct fetcher *fetcher;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool done;
	pthread_t thread;
};

static void
progress_object(void *arg, const char *uri, bool valid)
{
	struct progress *p = arg;

	(void)uri;
	atomic_fetch_add(&p->objects, 1);
	if (!valid)
		atomic_fetch_add(&p->rejected, 1);
}

/* Once a second, one line rewritten in place; cleared at the end. */
static void *
progress_main(void *arg)
{
	struct progress *p = arg;
	struct fetch_stats fs = {0, 0, 0};
	struct timespec until;

	pthread_mutex_lock(&p->lock);
	while (!p->done) {
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += PROGRESS_INTERVAL_S;
		pthread_cond_timedwait(&p->cond, &p->lock, &until);
		if (p->done)
			break;
		if (p->fetcher != NULL)
			fetch_get_stats(p->fetcher, &fs);
		fprintf(stderr,
			"\r%zu objects validated (%zu rejected), %zu "
			"repositories fetched (%.1f MB)\033[K",
			atomic_load(&p->objects), atomic_load(&p->rejected),
			fs.repos, (double)fs.bytes / 1e6);
		fflush(stderr);
	}
	pthread_mutex_unlock(&p->lock);
	fputs("\r\033[K", stderr);
	fflush(stderr);
	return NULL;
}

static bool
progress_start(struct progress *p, struct validate_config *vc,
	       struct fetcher *fetcher)
{
	memset(p, 0, sizeof(*p));
	atomic_init(&p->objects, 0);
	atomic_init(&p->rejected, 0);
	p->fetcher = fetcher;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->cond, NULL);
	if (pthread_create(&p->thread, NULL, progress_main, p) != 0) {
		pthread_mutex_destroy(&p->lock);
		pthread_cond_destroy(&p->cond);
		return false;
	}
	vc->on_object = progress_object;
	vc->on_object_arg = p;
	return true;
}

static void
progress_stop(struct progress *p)
{
	pthread_mutex_lock(&p->lock);
	p->done = true;
	pthread_cond_signal(&p->cond);
	pthread_mutex_unlock(&p->lock);
	pthread_join(p->thread, NULL);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->cond);
}

/* A fetcher for this cycle with every TA certificate fetched; NULL, err. */
static struct fetcher *
cycle_fetcher(const struct cycle_config *c, char *err, size_t errlen)
{
	struct fetcher *f;
	size_t i;

	f = fetch_new(c->cache_dir, &c->http, c->rsync, c->rrdp);
	if (f == NULL) {
		snprintf(err, errlen, "%s: cannot open the cache",
			 c->cache_dir);
		return NULL;
	}
	for (i = 0; i < c->num_tals; i++)
		fetch_ta(f, c->tals[i]);
	return f;
}

bool
cycle_run(const struct cycle_config *c, struct cycle_result *r, char *err,
	  size_t errlen)
{
	struct validate_config vc = {0};
	struct fetcher *fetcher = NULL;
	struct progress progress;
	bool showing = false;
	struct output_meta meta;
	struct timespec start;
	size_t i;

	memset(r, 0, sizeof(*r));
	clock_gettime(CLOCK_MONOTONIC, &start);
	r->now = c->now != 0 ? c->now : time(NULL);
	r->written = true;
	vc.mirror = c->mirror;
	vc.lkg_dir = c->lkg_dir;
	vc.now = r->now;
	vc.jobs = c->jobs;
	vc.max_depth = c->max_depth;
	if (c->mirror == NULL) {
		if ((fetcher = cycle_fetcher(c, err, errlen)) == NULL)
			return false;
		vc.repo_root = fetch_repo;
		vc.repo_arg = fetcher;
		vc.ta_root = fetch_ta_root(fetcher);
		/* A worker syncs the repositories it reaches: enough of them
		 * that fetch_jobs transfers can be in flight. */
		if (vc.jobs < c->fetch_jobs)
			vc.jobs = c->fetch_jobs;
	}
	if ((r->set = vrpset_new()) == NULL) {
		snprintf(err, errlen, "out of memory");
		fetch_free(fetcher);
		return false;
	}
	if (c->progress)
		showing = progress_start(&progress, &vc, fetcher);
	if (!validate_run(&vc, c->tals, c->num_tals, r->set, &r->stats)) {
		if (showing)
			progress_stop(&progress);
		snprintf(err, errlen, "validation could not complete");
		goto fail;
	}
	if (showing)
		progress_stop(&progress);
	if (fetcher != NULL) {
		fetch_get_stats(fetcher, &r->fetch);
		r->num_repos = fetch_reports(fetcher, &r->repos);
		r->fetched = true;
	}
	fetch_free(fetcher);
	fetcher = NULL;
	if (c->lkg_dir != NULL && !lkg_sync(c->lkg_dir))
		r->written = false;
	if (!vrpset_finish(r->set)) {
		snprintf(err, errlen, "out of memory sorting the results");
		goto fail;
	}
	if (c->num_slurm > 0 && !cycle_slurm(c, r->set, err, errlen))
		goto fail;
	meta.generated = r->now;
	meta.elapsed = timefmt_since(&start);
	for (i = 0; i < c->num_outputs; i++) {
		if (!cycle_write_output(&c->outputs[i], r->set, &meta))
			r->written = false;
	}
	r->seconds = timefmt_since(&start);
	return true;
fail:
	fetch_free(fetcher);
	cycle_result_free(r);
	return false;
}

void
cycle_result_free(struct cycle_result *r)
{
	vrpset_free(r->set);
	r->set = NULL;
	fetch_reports_free(r->repos, r->num_repos);
	r->repos = NULL;
	r->num_repos = 0;
}

void
cycle_summary(const struct cycle_result *r, char *buf, size_t len)
{
	const struct validate_stats *st = &r->stats;
	char fetched[128] = "";
	size_t v4, v6;

	vrpset_count(r->set, &v4, &v6);
	if (r->fetched)
		snprintf(fetched, sizeof(fetched),
			 "%zu repositories (%zu not updated, %.1f MB "
			 "fetched), ",
			 r->fetch.repos, r->fetch.repos_failed,
			 (double)r->fetch.bytes / 1e6);
	snprintf(buf, len,
		 "%zu VRPs (%zu IPv4, %zu IPv6), %zu ASPAs, %zu router keys, "
		 "%zu TAs (%zu failed), %s%zu publication points (%zu failed, "
		 "%zu from kept copies), %zu objects (%zu rejected), %.1f "
		 "seconds",
		 r->set->num_vrps, v4, v6, r->set->num_vaps, r->set->num_keys,
		 st->tas, st->tas_failed, fetched, st->pubpoints,
		 st->pubpoints_failed, st->pubpoints_kept, st->objects,
		 st->objects_rejected, r->seconds);
}
