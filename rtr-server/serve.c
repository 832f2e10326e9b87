/*
 * The RTR cache's loop. Producing a set (parsing a file, validating) runs
 * on libuv's thread pool, so routers are served from the old payload
 * meanwhile; publishing, like everything else that touches the history,
 * runs on the loop.
 */
#include "config.h"

#include <errno.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <uv.h>

#include "rp/log.h"
#include "rp/timefmt.h"

#include "control.h"
#include "serve.h"
#include "state.h"
#include "vrpfile.h"

/*
 * A writer replacing the file in several steps fires several events;
 * waiting this long after the last one reads the file once, finished.
 */
#define RELOAD_SETTLE_MS 20

/* How often the HTTP server's router list and numbers are refreshed. */
#define HTTP_TICK_MS 1000

struct serve {
	const struct serve_config *cfg;
	uv_loop_t *loop;
	struct history *h;
	struct server *srv;
	struct rtr_state state;
	bool have_state;
	uv_signal_t sighup, sigusr1, sigterm, sigint;
	uv_fs_event_t watch;
	uv_timer_t settle, refresh;
	char *dir, *base; /* FILE's directory and name, for the watch */
	bool watching;
	/* One load at a time; a trigger during a load asks for another. */
	bool loading, again, stopping;
	uv_work_t work;
	struct payload *loaded;
	struct vrpset *loaded_set; /* the same with TAs, for vrpctl */
	struct vrpset *current;	   /* what is served, with TAs */
	struct control *control;
	struct httpd *httpd;
	uv_timer_t http_tick;
	time_t served_since;
	char err[512];
	double load_ms;
};

static void serve_load(struct serve *sv);
static void refreshed(uv_timer_t *t);

static void
load_work(uv_work_t *req)
{
	struct serve *sv = req->data;
	struct vrpset *set;
	uint64_t t0 = uv_hrtime();

	sv->loaded = NULL;
	sv->loaded_set = NULL;
	sv->err[0] = '\0';
	set = sv->cfg->source.produce(sv->cfg->source.arg, sv->err,
				      sizeof(sv->err));
	/* vrpctl answers per TA; the payload drops the TAs. */
	if (set != NULL && (sv->loaded_set = vrpset_clone(set)) == NULL) {
		vrpset_free(set);
		set = NULL;
		snprintf(sv->err, sizeof(sv->err), "%s: out of memory",
			 sv->cfg->source.what);
	}
	if (set != NULL && (sv->loaded = payload_from_vrpset(set)) == NULL)
		snprintf(sv->err, sizeof(sv->err), "%s: out of memory",
			 sv->cfg->source.what);
	sv->load_ms = (double)(uv_hrtime() - t0) / 1e6;
}

static void
save_state(struct serve *sv)
{
	const struct payload *p = history_current(sv->h);

	if (sv->cfg->state_path == NULL)
		return;
	sv->state.session_id = history_session_id(sv->h, 0);
	sv->state.serial = history_serial(sv->h);
	memcpy(sv->state.digest, p->digest, sizeof(sv->state.digest));
	sv->have_state = true;
	if (!rtr_state_write(sv->cfg->state_path, &sv->state))
		log_warnx("%s: serial %u not saved; a restart may make "
			  "routers reload everything",
			  sv->cfg->state_path, sv->state.serial);
}

/*
 * The first payload after a restart keeps the saved serial if it is the
 * payload saved with it, and takes the next one otherwise.
 */
static void
first_serial(struct serve *sv, const struct payload *p)
{
	if (!sv->have_state || history_has_data(sv->h))
		return;
	if (memcmp(sv->state.digest, p->digest, sizeof(p->digest)) == 0)
		history_set_first_serial(sv->h, sv->state.serial);
	else
		history_set_first_serial(sv->h, sv->state.serial + 1);
}

/* Hands the HTTP server the numbers it shows (routers change anytime). */
static void
http_refresh(struct serve *sv)
{
	struct httpd_state st;
	FILE *fp;

	if (sv->httpd == NULL)
		return;
	memset(&st, 0, sizeof(st));
	st.has_data = history_has_data(sv->h);
	st.serial = history_serial(sv->h);
	st.session_id = history_session_id(sv->h, 0);
	st.routers = server_clients(sv->srv);
	if ((fp = fmemopen(st.routers_text, sizeof(st.routers_text) - 1,
			   "w")) != NULL) {
		server_describe(sv->srv, fp);
		fclose(fp);
	}
	if (sv->cfg->source.http_stats != NULL)
		sv->cfg->source.http_stats(sv->cfg->source.arg, &st);
	httpd_update(sv->httpd, &st);
	if (sv->cfg->source.http_extra != NULL)
		sv->cfg->source.http_extra(sv->cfg->source.arg, sv->httpd);
}

static void
http_ticked(uv_timer_t *t)
{
	http_refresh(t->data);
}

/*
 * Makes p the current payload and tells the routers; set is the same with
 * its TAs, shared with the HTTP server (both owned from now on); logs as
 * what.
 */
static void
publish(struct serve *sv, struct payload *p, struct vrpset *set,
	const char *what)
{
	const struct payload *cur;
	size_t v4, v6;
	int r;

	first_serial(sv, p);
	r = history_publish(sv->h, p);
	cur = history_current(sv->h);
	if (r >= 0) {
		vrpset_free(sv->current);
		sv->current = set;
		sv->served_since = time(NULL);
		http_refresh(sv);
		if (sv->httpd != NULL)
			httpd_publish(sv->httpd, vrpset_ref(set));
	} else {
		vrpset_free(set);
	}
	if (r < 0) {
		log_warn("%s: publishing, keeping serial %u", what,
			 history_serial(sv->h));
	} else if (r == 0) {
		log_info("%s: unchanged, serial %u", what,
			 history_serial(sv->h));
	} else {
		vrpset_count(cur->owner, &v4, &v6);
		log_info("%s: %zu VRPs (%zu IPv4, %zu IPv6), %zu ASPAs, %zu "
			 "router keys; serial %u (%.0f ms)",
			 what, cur->num_prefixes, v4, v6, cur->num_aspas,
			 cur->num_keys, history_serial(sv->h), sv->load_ms);
		save_state(sv);
		server_notify(sv->srv);
	}
}

static void
load_done(uv_work_t *req, int status)
{
	struct serve *sv = req->data;

	sv->loading = false;
	if (status == UV_ECANCELED || sv->stopping) {
		payload_free(sv->loaded);
		vrpset_free(sv->loaded_set);
		return;
	}
	if (sv->loaded == NULL) {
		if (history_has_data(sv->h))
			log_warnx("%s, keeping serial %u", sv->err,
				  history_serial(sv->h));
		else
			log_warnx("%s; nothing to serve yet", sv->err);
	} else {
		publish(sv, sv->loaded, sv->loaded_set, sv->cfg->source.what);
		sv->loaded = NULL;
		sv->loaded_set = NULL;
	}
	if (sv->again) {
		sv->again = false;
		serve_load(sv);
	} else if (sv->cfg->source.refresh_ms > 0) {
		uv_timer_start(&sv->refresh, refreshed,
			       sv->cfg->source.refresh_ms, 0);
	}
}

static void
serve_load(struct serve *sv)
{
	int r;

	if (sv->stopping)
		return;
	if (sv->loading) {
		sv->again = true;
		return;
	}
	sv->work.data = sv;
	if ((r = uv_queue_work(sv->loop, &sv->work, load_work, load_done)) <
	    0) {
		log_warnx("%s: cannot start: %s", sv->cfg->source.what,
			  uv_strerror(r));
		return;
	}
	sv->loading = true;
}

static void
settled(uv_timer_t *t)
{
	serve_load(t->data);
}

static void
refreshed(uv_timer_t *t)
{
	serve_load(t->data);
}

static void
file_event(uv_fs_event_t *handle, const char *filename, int events, int status)
{
	struct serve *sv = handle->data;

	(void)events;
	if (status < 0) {
		log_warnx("%s: watching for changes: %s", sv->dir,
			  uv_strerror(status));
		return;
	}
	if (filename != NULL && strcmp(filename, sv->base) != 0)
		return;
	uv_timer_start(&sv->settle, settled, RELOAD_SETTLE_MS, 0);
}

static void
got_reload(uv_signal_t *handle, int signum)
{
	struct serve *sv = handle->data;

	log_info("%s: %s now", signum == SIGHUP ? "SIGHUP" : "SIGUSR1",
		 sv->cfg->source.watch_path != NULL ? "reloading"
						    : "validating");
	if (signum == SIGHUP && sv->cfg->source.hangup != NULL)
		sv->cfg->source.hangup(sv->cfg->source.arg);
	serve_load(sv);
}

static void
handle_closed(uv_handle_t *handle)
{
	(void)handle;
}

static void
got_stop(uv_signal_t *handle, int signum)
{
	struct serve *sv = handle->data;

	if (sv->stopping)
		return;
	sv->stopping = true;
	if (sv->loading && sv->cfg->source.abandon_on_stop) {
		/* Served state is saved at each serial; files are atomic. */
		log_info("%s: stopping in the middle of %s", strsignal(signum),
			 sv->cfg->source.what);
		if (sv->control != NULL)
			unlink(sv->cfg->control_path);
		if (sv->cfg->cleanup != NULL)
			sv->cfg->cleanup(sv->cfg->bound_arg);
		fflush(stderr);
		_exit(0);
	}
	log_info("%s: stopping", strsignal(signum));
	control_close(sv->control);
	sv->control = NULL;
	if (sv->cfg->http_listen != NULL)
		uv_close((uv_handle_t *)&sv->http_tick, handle_closed);
	server_close(sv->srv);
	uv_close((uv_handle_t *)&sv->sighup, handle_closed);
	uv_close((uv_handle_t *)&sv->sigusr1, handle_closed);
	uv_close((uv_handle_t *)&sv->refresh, handle_closed);
	uv_close((uv_handle_t *)&sv->sigterm, handle_closed);
	uv_close((uv_handle_t *)&sv->sigint, handle_closed);
	uv_close((uv_handle_t *)&sv->settle, handle_closed);
	if (sv->watching)
		uv_close((uv_handle_t *)&sv->watch, handle_closed);
	if (sv->loading)
		uv_cancel((uv_req_t *)&sv->work);
}

/* Splits the file's path into the directory to watch and the name. */
static bool
split_path(struct serve *sv)
{
	char *a, *b;

	if ((a = strdup(sv->cfg->source.watch_path)) == NULL ||
	    (b = strdup(sv->cfg->source.watch_path)) == NULL) {
		free(a);
		return false;
	}
	sv->dir = strdup(dirname(a));
	sv->base = strdup(basename(b));
	free(a);
	free(b);
	return sv->dir != NULL && sv->base != NULL;
}

/*
 * Watches the source's file for changes (its directory, as a rename
 * replaces the file's inode); false only when the path is unusable.
 */
static bool
watch_file(struct serve *sv)
{
	int r;

	if (!split_path(sv)) {
		log_warn("%s", sv->cfg->source.watch_path);
		return false;
	}
	uv_fs_event_init(sv->loop, &sv->watch);
	sv->watch.data = sv;
	if ((r = uv_fs_event_start(&sv->watch, file_event, sv->dir, 0)) < 0) {
		/* Still served, and SIGHUP still reloads. */
		log_warnx("%s: cannot watch for changes (%s); reload with "
			  "SIGHUP",
			  sv->dir, uv_strerror(r));
		uv_close((uv_handle_t *)&sv->watch, handle_closed);
	} else {
		sv->watching = true;
	}
	return true;
}

/*
 * Serves the set saved by the last run at once, so a restart costs the
 * routers nothing; without one (first start) they wait for production.
 */
static void
serve_saved(struct serve *sv, const char *path)
{
	struct payload *p = NULL;
	struct vrpset *set, *copy = NULL;
	char what[600];
	uint64_t t0 = uv_hrtime();

	if (access(path, F_OK) != 0)
		return;
	set = vrpfile_load(path, sv->err, sizeof(sv->err));
	if (set != NULL && (copy = vrpset_clone(set)) == NULL) {
		vrpset_free(set);
		snprintf(sv->err, sizeof(sv->err), "%s: out of memory", path);
		set = NULL;
	}
	if (set == NULL || (p = payload_from_vrpset(set)) == NULL) {
		log_warnx("%s; not serving the saved set",
			  set == NULL ? sv->err : "out of memory");
		vrpset_free(copy);
		return;
	}
	sv->load_ms = (double)(uv_hrtime() - t0) / 1e6;
	snprintf(what, sizeof(what), "serving the saved set %s", path);
	/* Before the HTTP server starts (it takes sv->current then). */
	publish(sv, p, copy, what);
}

static const struct vrpset *
control_current(void *arg)
{
	struct serve *sv = arg;

	return sv->current;
}

static void
control_status(void *arg, FILE *fp)
{
	struct serve *sv = arg;
	char since[32] = "-";
	struct tm tm;

	if (sv->current != NULL && gmtime_r(&sv->served_since, &tm) != NULL)
		strftime(since, sizeof(since), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (history_has_data(sv->h))
		fprintf(fp, "serial:      %u (since %s)\n",
			history_serial(sv->h), since);
	else
		fprintf(fp, "serial:      none yet (no data)\n");
	fprintf(fp, "session id:  %u (version 0; +1 for 1, +2 for 2)\n",
		history_session_id(sv->h, 0));
	fprintf(fp, "%s\n",
		sv->loading ? "running:     yes" : "running:     no");
	if (sv->cfg->source.describe != NULL)
		sv->cfg->source.describe(sv->cfg->source.arg, fp);
	fprintf(fp, "routers:     %zu\n", server_clients(sv->srv));
	server_describe(sv->srv, fp);
}

static void
control_reload(void *arg)
{
	struct serve *sv = arg;

	log_info("vrpctl reload: %s now",
		 sv->cfg->source.watch_path != NULL ? "reloading"
						    : "validating");
	serve_load(sv);
}

static bool
serve_start(struct serve *sv)
{
	const struct serve_config *cfg = sv->cfg;
	uint16_t session_id;
	size_t i, ok = 0;

	if (cfg->state_path != NULL &&
	    rtr_state_read(cfg->state_path, &sv->state))
		sv->have_state = true;
	if (sv->have_state) {
		session_id = sv->state.session_id;
		log_info("rtr: session id %u, serial %u, from %s", session_id,
			 sv->state.serial, cfg->state_path);
	} else if (!rtr_state_new_session(&session_id)) {
		log_warnx("rtr: no random session id (RAND_bytes failed)");
		return false;
	}
	sv->h = history_new(session_id, 0, cfg->history, &cfg->timers);
	if (sv->h == NULL ||
	    (sv->srv = server_new(sv->loop, sv->h, &cfg->server)) == NULL) {
		log_warn("rtr");
		return false;
	}
	for (i = 0; i < cfg->num_listen; i++)
		ok += server_listen(sv->srv, cfg->listen[i]);
	if (ok == 0)
		return false;
	uv_signal_init(sv->loop, &sv->sighup);
	uv_signal_init(sv->loop, &sv->sigusr1);
	uv_signal_init(sv->loop, &sv->sigterm);
	uv_signal_init(sv->loop, &sv->sigint);
	uv_timer_init(sv->loop, &sv->settle);
	uv_timer_init(sv->loop, &sv->refresh);
	sv->sighup.data = sv->sigusr1.data = sv;
	sv->sigterm.data = sv->sigint.data = sv;
	sv->settle.data = sv->refresh.data = sv;
	uv_signal_start(&sv->sighup, got_reload, SIGHUP);
	uv_signal_start(&sv->sigusr1, got_reload, SIGUSR1);
	uv_signal_start(&sv->sigterm, got_stop, SIGTERM);
	uv_signal_start(&sv->sigint, got_stop, SIGINT);
	if (cfg->source.saved_path != NULL)
		serve_saved(sv, cfg->source.saved_path);
	if (cfg->control_path != NULL) {
		struct control_ops ops = {control_current, control_status,
					  control_reload, sv};

		sv->control = control_new(sv->loop, cfg->control_path, &ops);
	}
	if (cfg->http_listen != NULL) {
		char err[256];

		if ((sv->httpd = httpd_start(cfg->http_listen, err,
					     sizeof(err))) == NULL)
			log_warnx("%s; no HTTP status", err);
		uv_timer_init(sv->loop, &sv->http_tick);
		sv->http_tick.data = sv;
		uv_timer_start(&sv->http_tick, http_ticked, HTTP_TICK_MS,
			       HTTP_TICK_MS);
		uv_unref((uv_handle_t *)&sv->http_tick);
		if (sv->httpd != NULL && sv->current != NULL)
			httpd_publish(sv->httpd, vrpset_ref(sv->current));
		http_refresh(sv);
	}
	if (cfg->bound != NULL && !cfg->bound(cfg->bound_arg))
		return false;
	if (cfg->source.watch_path != NULL && !watch_file(sv))
		return false;
	serve_load(sv);
	return true;
}

static void
close_any(uv_handle_t *handle, void *arg)
{
	(void)arg;
	if (!uv_is_closing(handle))
		uv_close(handle, handle_closed);
}

int
serve_run(const struct serve_config *cfg)
{
	struct serve sv;
	int status = 0;

	memset(&sv, 0, sizeof(sv));
	sv.cfg = cfg;
	log_setprefix("vrpd");
	/* A router closing mid-write must not kill us. */
	signal(SIGPIPE, SIG_IGN);
	if ((sv.loop = malloc(sizeof(*sv.loop))) == NULL ||
	    uv_loop_init(sv.loop) != 0) {
		log_warn("rtr: event loop");
		free(sv.loop);
		return 1;
	}
	if (!serve_start(&sv)) {
		status = 1;
		if (sv.srv != NULL)
			server_close(sv.srv);
		uv_walk(sv.loop, close_any, NULL);
	}
	uv_run(sv.loop, UV_RUN_DEFAULT);
	httpd_stop(sv.httpd);
	history_free(sv.h);
	vrpset_free(sv.current);
	if (cfg->cleanup != NULL)
		cfg->cleanup(cfg->bound_arg);
	uv_loop_close(sv.loop);
	free(sv.loop);
	free(sv.dir);
	free(sv.base);
	return status;
}
