/*
 * The HTTP server: libmicrohttpd's internal polling thread answers every
 * request from a copy of the daemon's numbers and a reference to the
 * current snapshot, both taken under one mutex that is held only for the
 * copy; the daemon's event loop never waits for a request.
 */
#include "config.h"

#include "httpd.h"

#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <microhttpd.h>

#include "rp/log.h"
#include "rp/output.h"
#include "rp/timefmt.h"
#include "rp/validity.h"

#include "addrport.h"

/* Enough for a Prometheus scraper, a few browsers and relays pulling
 * /json; more would only queue behind the one polling thread. */
#define HTTPD_MAX_CONNECTIONS 64
/* A client that sends nothing for this long is dropped (slowloris). */
#define HTTPD_TIMEOUT_SECONDS 10
/* Per connection: request line and headers must fit (MHD answers 414/431
 * beyond it); no endpoint takes a body. */
#define HTTPD_CONNECTION_MEMORY (32 * 1024)
/* "AS4294967295" and the longest IPv6 prefix text, with room to spare;
 * longer parts of a validity path are rejected unread. */
#define HTTPD_ROUTE_PART 64

#define VALIDITY_PATH "/api/v1/validity/"

#define TYPE_JSON    "application/json"
#define TYPE_HTML    "text/html; charset=utf-8"
#define TYPE_TEXT    "text/plain; charset=utf-8"
#define TYPE_METRICS "text/plain; version=0.0.4; charset=utf-8"

/*
 * One published set, refcounted: the httpd holds one reference while it is
 * current and every request one while it answers from it. The per-TA
 * counts are made at publish time; the JSON is rendered on first request
 * and kept, since relays poll it and it is the biggest thing served.
 */
struct snapshot {
	atomic_size_t refs;
	struct vrpset *set;
	struct vrpset_ta_count *per_ta; /* [set->num_tas] */
	time_t published;
	double elapsed; /* of the cycle that made it, for the JSON metadata */
	pthread_mutex_t json_lock;
	char *json; /* NULL until first rendered */
	size_t json_len;
};

/* The repositories shown, refcounted like a snapshot. */
struct repo_list {
	atomic_size_t refs;
	size_t n;
	struct httpd_repo *items; /* uris owned */
};

struct httpd {
	struct MHD_Daemon *mhd;
	struct repo_list *repos;
	uint16_t port;
	pthread_mutex_t lock; /* guards state and snap */
	struct httpd_state state;
	struct snapshot *snap;
	/* While starting, MHD's messages are kept to explain a failure. */
	atomic_bool starting;
	char start_msg[256];
};

/* What a request sees: the numbers, and references to the set and the
 * repositories (either may be NULL). */
struct view {
	struct httpd_state st;
	struct snapshot *snap;
	struct repo_list *repos;
};

static void
repo_list_unref(struct repo_list *l)
{
	size_t i;

	if (l == NULL || atomic_fetch_sub(&l->refs, 1) != 1)
		return;
	for (i = 0; i < l->n; i++)
		free((char *)l->items[i].uri);
	free(l->items);
	free(l);
}

static void
snapshot_unref(struct snapshot *s)
{
	if (s == NULL || atomic_fetch_sub(&s->refs, 1) != 1)
		return;
	vrpset_free(s->set);
	free(s->per_ta);
	free(s->json);
	pthread_mutex_destroy(&s->json_lock);
	free(s);
}

static struct snapshot *
snapshot_new(struct vrpset *set, double elapsed)
{
	struct snapshot *s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	if ((s->per_ta = vrpset_count_tas(set)) == NULL ||
	    pthread_mutex_init(&s->json_lock, NULL) != 0) {
		free(s->per_ta);
		free(s);
		return NULL;
	}
	atomic_init(&s->refs, 1);
	s->set = set;
	s->published = time(NULL);
	s->elapsed = elapsed;
	return s;
}

/* The JSON of --output json for s, rendered once; false on ENOMEM. */
static bool
snapshot_json(struct snapshot *s)
{
	struct output_meta meta;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;
	bool ok;

	pthread_mutex_lock(&s->json_lock);
	if (s->json != NULL) {
		pthread_mutex_unlock(&s->json_lock);
		return true;
	}
	meta.generated = s->published;
	meta.elapsed = s->elapsed;
	if ((fp = open_memstream(&buf, &len)) == NULL) {
		pthread_mutex_unlock(&s->json_lock);
		return false;
	}
	ok = output_write(fp, OUTPUT_JSON, s->set, &meta);
	if (fclose(fp) != 0)
		ok = false;
	if (ok) {
		s->json = buf;
		s->json_len = len;
	} else {
		free(buf);
	}
	pthread_mutex_unlock(&s->json_lock);
	return ok;
}

static void
view_get(struct httpd *h, struct view *v)
{
	pthread_mutex_lock(&h->lock);
	v->st = h->state;
	v->snap = h->snap;
	if (v->snap != NULL)
		atomic_fetch_add(&v->snap->refs, 1);
	v->repos = h->repos;
	if (v->repos != NULL)
		atomic_fetch_add(&v->repos->refs, 1);
	pthread_mutex_unlock(&h->lock);
}

/* Escaping: each writer is for one context and escapes what it must. */

static void
json_string(FILE *fp, const char *s)
{
	putc('"', fp);
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(fp, "\\%c", c);
		else if (c < 0x20)
			fprintf(fp, "\\u%04x", c);
		else
			putc(c, fp);
	}
	putc('"', fp);
}

/* A label value of the text format 0.0.4: \\, \" and \n escaped. */
static void
prom_label(FILE *fp, const char *s)
{
	putc('"', fp);
	for (; *s != '\0'; s++) {
		if (*s == '\\')
			fputs("\\\\", fp);
		else if (*s == '"')
			fputs("\\\"", fp);
		else if (*s == '\n')
			fputs("\\n", fp);
		else
			putc(*s, fp);
	}
	putc('"', fp);
}

static void
html(FILE *fp, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", fp);
			break;
		case '<':
			fputs("&lt;", fp);
			break;
		case '>':
			fputs("&gt;", fp);
			break;
		case '"':
			fputs("&quot;", fp);
			break;
		case '\'':
			fputs("&#39;", fp);
			break;
		default:
			putc(*s, fp);
		}
	}
}

/* Responses. Every one is built whole in memory, then handed to MHD. */

static enum MHD_Result
respond(struct MHD_Connection *c, unsigned int status, const char *type,
	struct MHD_Response *r)
{
	enum MHD_Result ret;

	if (r == NULL)
		return MHD_NO; /* ENOMEM: MHD closes the connection */
	if (MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type) ==
		MHD_NO ||
	    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL,
				    "no-store") == MHD_NO) {
		MHD_destroy_response(r);
		return MHD_NO;
	}
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED &&
	    MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD") ==
		MHD_NO) {
		MHD_destroy_response(r);
		return MHD_NO;
	}
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

/* Sends buf[0..len) (from open_memstream, freed by MHD after sending). */
static enum MHD_Result
respond_buf(struct MHD_Connection *c, unsigned int status, const char *type,
	    char *buf, size_t len)
{
	struct MHD_Response *r;

	r = MHD_create_response_from_buffer(len, buf, MHD_RESPMEM_MUST_FREE);
	if (r == NULL)
		free(buf);
	return respond(c, status, type, r);
}

/* A memory stream for a body; the caller ends it with respond_stream. */
struct body {
	FILE *fp;
	char *buf;
	size_t len;
};

static bool
body_open(struct body *b)
{
	b->buf = NULL;
	b->len = 0;
	b->fp = open_memstream(&b->buf, &b->len);
	return b->fp != NULL;
}

static enum MHD_Result
respond_body(struct MHD_Connection *c, unsigned int status, const char *type,
	     struct body *b)
{
	if (ferror(b->fp) || fclose(b->fp) != 0) {
		free(b->buf);
		return MHD_NO;
	}
	return respond_buf(c, status, type, b->buf, b->len);
}

/* {"error":msg} with status. */
static enum MHD_Result
respond_error(struct MHD_Connection *c, unsigned int status, const char *msg)
{
	struct body b;

	if (!body_open(&b))
		return MHD_NO;
	fputs("{\"error\":", b.fp);
	json_string(b.fp, msg);
	fputs("}\n", b.fp);
	return respond_body(c, status, TYPE_JSON, &b);
}

static enum MHD_Result
respond_text(struct MHD_Connection *c, unsigned int status, const char *msg)
{
	char *buf = strdup(msg);

	if (buf == NULL)
		return MHD_NO;
	return respond_buf(c, status, TYPE_TEXT, buf, strlen(buf));
}

/* /metrics: the Prometheus text exposition format 0.0.4. */

static void
metric_head(FILE *fp, const char *name, const char *type, const char *help)
{
	fprintf(fp, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void
metric(FILE *fp, const char *name, const char *type, const char *help,
       double value)
{
	metric_head(fp, name, type, help);
	fprintf(fp, "%s %.17g\n", name, value);
}

/*
 * name{ta="..."[,family="..."]} value, one line per TA; the value is
 * the struct vrpset_ta_count member at offset.
 */
static void
metric_per_ta(FILE *fp, const struct snapshot *s, const char *name,
	      const char *family, size_t offset)
{
	size_t i;

	for (i = 0; i < s->set->num_tas; i++) {
		fprintf(fp, "%s{ta=", name);
		prom_label(fp, s->set->tas[i]);
		if (family != NULL)
			fprintf(fp, ",family=\"%s\"", family);
		fprintf(fp, "} %zu\n",
			*(const size_t *)((const char *)&s->per_ta[i] +
					  offset));
	}
}

static void
metrics_set(FILE *fp, const struct snapshot *s)
{
	metric_head(fp, "vrpd_vrps", "gauge",
		    "VRPs served, per trust anchor and address family.");
	if (s != NULL) {
		metric_per_ta(fp, s, "vrpd_vrps", "ipv4",
			      offsetof(struct vrpset_ta_count, v4));
		metric_per_ta(fp, s, "vrpd_vrps", "ipv6",
			      offsetof(struct vrpset_ta_count, v6));
	}
	metric_head(fp, "vrpd_aspas", "gauge",
		    "ASPAs (VAPs) served, per trust anchor.");
	if (s != NULL)
		metric_per_ta(fp, s, "vrpd_aspas", NULL,
			      offsetof(struct vrpset_ta_count, vaps));
	metric_head(fp, "vrpd_router_keys", "gauge",
		    "BGPsec router keys served, per trust anchor.");
	if (s != NULL)
		metric_per_ta(fp, s, "vrpd_router_keys", NULL,
			      offsetof(struct vrpset_ta_count, keys));
}

static void
metrics_cycle(FILE *fp, const struct httpd_state *st)
{
	const struct validate_stats *vs = &st->stats;
	size_t failed = vs->pubpoints_failed, kept = vs->pubpoints_kept;
	size_t k, r;

	/* Kept points are among the failed; the states partition the total. */
	if (kept > failed)
		kept = failed;
	if (failed > vs->pubpoints)
		failed = vs->pubpoints;
	metric(fp, "vrpd_validation_cycles_total", "counter",
	       "Validation cycles completed.", (double)st->cycles);
	if (st->cycles == 0)
		return;
	metric(fp, "vrpd_validation_duration_seconds", "gauge",
	       "How long the last validation cycle took.",
	       st->last_cycle_seconds);
	metric(fp, "vrpd_validation_last_end_timestamp_seconds", "gauge",
	       "When the last validation cycle ended, in Unix time.",
	       (double)st->last_cycle_end);
	metric(fp, "vrpd_validation_last_success", "gauge",
	       "1 if the last validation cycle completed, else 0.",
	       st->last_cycle_ok ? 1 : 0);
	metric(fp, "vrpd_tas", "gauge",
	       "Trust anchors with a usable certificate, last cycle.",
	       (double)vs->tas);
	metric(fp, "vrpd_tas_failed", "gauge",
	       "Trust anchors without a usable certificate, last cycle.",
	       (double)vs->tas_failed);
	metric_head(fp, "vrpd_publication_points", "gauge",
		    "Publication points of the last cycle: ok, failed (RFC "
		    "9286 s.6.6, no copy used) or kept (failed, last good "
		    "copy used).");
	fprintf(fp,
		"vrpd_publication_points{state=\"ok\"} %zu\n"
		"vrpd_publication_points{state=\"failed\"} %zu\n"
		"vrpd_publication_points{state=\"kept\"} %zu\n",
		vs->pubpoints - failed, failed - kept, kept);
	metric(fp, "vrpd_objects", "gauge", "Objects read, last cycle.",
	       (double)vs->objects);
	metric(fp, "vrpd_objects_rejected", "gauge",
	       "Objects rejected (each logged once), last cycle.",
	       (double)vs->objects_rejected);
	metric_head(fp, "vrpd_objects_rejected_by", "gauge",
		    "Objects rejected last cycle, by kind (roa, aspa, cert) "
		    "and reason: object (profile, encoding, own signature), "
		    "issuer (chain, dates, revocation, resources), content "
		    "(a rule on what it says).");
	for (k = 0; k < VALIDATE_KINDS; k++)
		for (r = 0; r < VALIDATE_REASONS; r++)
			fprintf(fp,
				"vrpd_objects_rejected_by{kind=\"%s\","
				"reason=\"%s\"} %zu\n",
				validate_kind_names[k],
				validate_reason_names[r], vs->rejected[k][r]);
	if (!st->fetched)
		return;
	metric(fp, "vrpd_repositories", "gauge",
	       "Repositories synced, last cycle.", (double)st->fetch.repos);
	metric(fp, "vrpd_repositories_failed", "gauge",
	       "Repositories not updated (old copy or none), last cycle.",
	       (double)st->fetch.repos_failed);
	metric(fp, "vrpd_fetched_bytes", "gauge",
	       "Bytes transferred, last cycle.", (double)st->fetch.bytes);
}

/* One gauge pair per repository: up, and when it last was. */
static void
metrics_repos(FILE *fp, const struct repo_list *l)
{
	size_t i;

	if (l == NULL || l->n == 0)
		return;
	metric_head(fp, "vrpd_repository_up", "gauge",
		    "1 if the repository was brought up to date by the last "
		    "cycle, else 0 (an older copy, or none, was used).");
	for (i = 0; i < l->n; i++) {
		fputs("vrpd_repository_up{uri=", fp);
		prom_label(fp, l->items[i].uri);
		fprintf(fp, "} %d\n", l->items[i].ok ? 1 : 0);
	}
	metric_head(fp, "vrpd_repository_last_success_timestamp_seconds",
		    "gauge",
		    "When the repository was last brought up to date, in "
		    "Unix time; 0 if never since vrpd started.");
	for (i = 0; i < l->n; i++) {
		fputs("vrpd_repository_last_success_timestamp_seconds{uri=",
		      fp);
		prom_label(fp, l->items[i].uri);
		fprintf(fp, "} %lld\n", (long long)l->items[i].last_success);
	}
}

static enum MHD_Result
serve_metrics(struct MHD_Connection *c, const struct view *v)
{
	struct body b;

	if (!body_open(&b))
		return MHD_NO;
	metrics_set(b.fp, v->snap);
	if (v->st.has_data)
		metric(b.fp, "vrpd_rtr_serial", "gauge",
		       "The RTR serial served (RFC 8210 s.5.1).",
		       (double)v->st.serial);
	metric(b.fp, "vrpd_rtr_routers", "gauge",
	       "RTR clients (routers) connected.", (double)v->st.routers);
	metrics_cycle(b.fp, &v->st);
	metrics_repos(b.fp, v->repos);
	return respond_body(c, MHD_HTTP_OK, TYPE_METRICS, &b);
}

/* /json: the set as --output json writes it. */

static void
json_free(void *cls)
{
	snapshot_unref(cls);
}

static enum MHD_Result
serve_json(struct MHD_Connection *c, struct view *v)
{
	struct MHD_Response *r;

	if (v->snap == NULL)
		return respond_error(c, MHD_HTTP_SERVICE_UNAVAILABLE,
				     "no VRP set yet: first validation "
				     "running");
	if (!snapshot_json(v->snap))
		return MHD_NO;
	/* The response keeps the snapshot (and its JSON) until it is sent. */
	r = MHD_create_response_from_buffer_with_free_callback_cls(
	    v->snap->json_len, v->snap->json, json_free, v->snap);
	if (r == NULL)
		return MHD_NO;
	v->snap = NULL;
	return respond(c, MHD_HTTP_OK, TYPE_JSON, r);
}

/* /api/v1/validity/ASN/PREFIX: RFC 6811 s.2, in Routinator's layout. */

static void
validity_vrp(FILE *fp, const struct vrpset *set, size_t idx, bool first)
{
	const struct vrp *vrp = &set->vrps[idx];
	char addr[INET6_ADDRSTRLEN];

	inet_ntop(vrp->afi == 4 ? AF_INET : AF_INET6, vrp->addr, addr,
		  sizeof(addr));
	fprintf(fp, "%s{\"asn\":\"AS%u\",\"prefix\":\"%s/%u\",",
		first ? "" : ",", vrp->asn, addr, vrp->prefixlen);
	fprintf(fp, "\"max_length\":%u,\"ta\":", vrp->maxlen);
	json_string(fp, vrp->ta < set->num_tas ? set->tas[vrp->ta] : "");
	putc('}', fp);
}

/* The covering VRPs in list (matched, or not matched with AS differing or
 * equal, as which says), in set order. */
static void
validity_list(FILE *fp, const struct vrpset *set,
	      const struct validity_result *r, uint32_t asn, int which)
{
	size_t i, m = 0;
	bool first = true;
	bool matched;
	int kind;

	putc('[', fp);
	for (i = 0; i < r->num_covering; i++) {
		size_t idx = r->covering[i];

		while (m < r->num_matched && r->matched[m] < idx)
			m++;
		matched = m < r->num_matched && r->matched[m] == idx;
		if (matched)
			kind = 0;
		else
			kind = set->vrps[idx].asn != asn ? 1 : 2;
		if (kind != which)
			continue;
		validity_vrp(fp, set, idx, first);
		first = false;
	}
	putc(']', fp);
}

static enum MHD_Result
serve_validity(struct MHD_Connection *c, const struct view *v, const char *rest)
{
	char asn_text[HTTPD_ROUTE_PART], prefix[HTTPD_ROUTE_PART], err[256];
	char addr[INET6_ADDRSTRLEN];
	struct validity_result r;
	const char *slash;
	struct vrp route;
	struct body b;
	uint32_t asn;

	if ((slash = strchr(rest, '/')) == NULL)
		return respond_error(c, MHD_HTTP_BAD_REQUEST,
				     "expected /api/v1/validity/ASN/PREFIX");
	if ((size_t)(slash - rest) >= sizeof(asn_text) ||
	    strlen(slash + 1) >= sizeof(prefix))
		return respond_error(c, MHD_HTTP_BAD_REQUEST,
				     "ASN or prefix too long");
	memcpy(asn_text, rest, (size_t)(slash - rest));
	asn_text[slash - rest] = '\0';
	strcpy(prefix, slash + 1);
	if (!validity_parse_route(asn_text, prefix, &asn, &route, err,
				  sizeof(err)))
		return respond_error(c, MHD_HTTP_BAD_REQUEST, err);
	if (v->snap == NULL)
		return respond_error(c, MHD_HTTP_SERVICE_UNAVAILABLE,
				     "no VRP set yet: first validation "
				     "running");
	if (!validity_check(v->snap->set, asn, &route, &r))
		return respond_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR,
				     strerror(errno));
	if (!body_open(&b)) {
		validity_result_free(&r);
		return MHD_NO;
	}
	inet_ntop(route.afi == 4 ? AF_INET : AF_INET6, route.addr, addr,
		  sizeof(addr));
	fprintf(b.fp,
		"{\"route\":{\"origin_asn\":\"AS%u\",\"prefix\":\"%s/%u\"},"
		"\"validity\":{\"state\":\"%s\",\"VRPs\":{\"matched\":",
		asn, addr, route.prefixlen, validity_name(r.state));
	validity_list(b.fp, v->snap->set, &r, asn, 0);
	fputs(",\"unmatched_as\":", b.fp);
	validity_list(b.fp, v->snap->set, &r, asn, 1);
	fputs(",\"unmatched_length\":", b.fp);
	validity_list(b.fp, v->snap->set, &r, asn, 2);
	fputs("}}}\n", b.fp);
	validity_result_free(&r);
	return respond_body(c, MHD_HTTP_OK, TYPE_JSON, &b);
}

/* /status: one self-contained HTML page. */

static void
status_row(FILE *fp, const char *name, const char *value)
{
	fputs("<tr><th>", fp);
	html(fp, name);
	fputs("</th><td>", fp);
	html(fp, value);
	fputs("</td></tr>\n", fp);
}

static void
status_summary(FILE *fp, const struct view *v)
{
	const struct httpd_state *st = &v->st;
	char buf[128];
	struct tm tm;

	fputs("<h2>Summary</h2>\n<table>\n", fp);
	if (st->has_data) {
		snprintf(buf, sizeof(buf), "%u (session %u)", st->serial,
			 st->session_id);
		status_row(fp, "RTR serial", buf);
	} else {
		status_row(fp, "RTR serial", "none yet");
	}
	snprintf(buf, sizeof(buf), "%zu", st->cycles);
	status_row(fp, "Validation cycles", buf);
	if (st->cycles > 0 && gmtime_r(&st->last_cycle_end, &tm) != NULL) {
		strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S UTC", &tm);
		status_row(fp, "Last cycle ended", buf);
		snprintf(buf, sizeof(buf), "%.1f s, %s", st->last_cycle_seconds,
			 st->last_cycle_ok ? "completed" : "failed");
		status_row(fp, "Last cycle took", buf);
		snprintf(buf, sizeof(buf), "%zu (%zu failed)", st->stats.tas,
			 st->stats.tas_failed);
		status_row(fp, "Trust anchors", buf);
		snprintf(buf, sizeof(buf), "%zu (%zu failed, %zu kept)",
			 st->stats.pubpoints, st->stats.pubpoints_failed,
			 st->stats.pubpoints_kept);
		status_row(fp, "Publication points", buf);
		snprintf(buf, sizeof(buf), "%zu (%zu rejected)",
			 st->stats.objects, st->stats.objects_rejected);
		status_row(fp, "Objects", buf);
		if (st->fetched) {
			snprintf(buf, sizeof(buf),
				 "%zu (%zu failed), %zu bytes", st->fetch.repos,
				 st->fetch.repos_failed, st->fetch.bytes);
			status_row(fp, "Repositories", buf);
		}
	}
	if (v->snap != NULL) {
		const struct vrpset *set = v->snap->set;

		snprintf(buf, sizeof(buf),
			 "%zu VRPs, %zu ASPAs, %zu router keys", set->num_vrps,
			 set->num_vaps, set->num_keys);
		status_row(fp, "Served", buf);
	}
	fputs("</table>\n", fp);
}

static void
status_tas(FILE *fp, const struct snapshot *s)
{
	size_t i;

	if (s == NULL) {
		fputs("<p>No VRP set yet: the first validation is "
		      "running.</p>\n",
		      fp);
		return;
	}
	fputs("<h2>Trust anchors</h2>\n<table>\n<tr><th>TA</th><th>IPv4 "
	      "VRPs</th><th>IPv6 VRPs</th><th>ASPAs</th><th>Router "
	      "keys</th></tr>\n",
	      fp);
	for (i = 0; i < s->set->num_tas; i++) {
		fputs("<tr><td>", fp);
		html(fp, s->set->tas[i]);
		fprintf(fp,
			"</td><td>%zu</td><td>%zu</td><td>%zu</td>"
			"<td>%zu</td></tr>\n",
			s->per_ta[i].v4, s->per_ta[i].v6, s->per_ta[i].vaps,
			s->per_ta[i].keys);
	}
	fputs("</table>\n", fp);
}

/* The repositories not up to date, with when they last were. */
static void
status_repos(FILE *fp, const struct repo_list *l)
{
	char when[TIMEFMT_UTC_LEN];
	size_t i, failing = 0;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++)
		failing += !l->items[i].ok;
	fprintf(fp, "<h2>Repositories: %zu, %zu not up to date</h2>\n", l->n,
		failing);
	if (failing == 0)
		return;
	fputs("<table><tr><th>Repository</th><th>Last success</th></tr>\n", fp);
	for (i = 0; i < l->n; i++) {
		if (l->items[i].ok)
			continue;
		fputs("<tr><td>", fp);
		html(fp, l->items[i].uri);
		fprintf(fp, "</td><td>%s</td></tr>\n",
			timefmt_utc(l->items[i].last_success, "never", when));
	}
	fputs("</table>\n", fp);
}

static enum MHD_Result
serve_status(struct MHD_Connection *c, const struct view *v)
{
	const struct httpd_state *st = &v->st;
	struct body b;

	if (!body_open(&b))
		return MHD_NO;
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta "
	      "charset=\"utf-8\"><title>vrpd status</title>\n"
	      "<style>body{font-family:sans-serif}table{border-collapse:"
	      "collapse}th,td{border:1px solid #999;padding:2px 8px;"
	      "text-align:left}</style></head><body>\n<h1>vrpd</h1>\n",
	      b.fp);
	status_summary(b.fp, v);
	status_tas(b.fp, v->snap);
	if (st->last_error[0] != '\0') {
		fputs("<h2>Last cycle error</h2>\n<pre>", b.fp);
		html(b.fp, st->last_error);
		fputs("</pre>\n", b.fp);
	}
	status_repos(b.fp, v->repos);
	fprintf(b.fp, "<h2>Connected routers (%zu)</h2>\n", st->routers);
	if (st->routers_text[0] != '\0') {
		fputs("<pre>", b.fp);
		html(b.fp, st->routers_text);
		fputs("</pre>\n", b.fp);
	}
	fputs("</body></html>\n", b.fp);
	return respond_body(c, MHD_HTTP_OK, TYPE_HTML, &b);
}

/* Dispatch. Every request is answered on the handler's first call. */

static enum MHD_Result
serve(struct httpd *h, struct MHD_Connection *c, const char *url)
{
	enum MHD_Result ret;
	struct view v;

	if (strcmp(url, "/metrics") != 0 && strcmp(url, "/json") != 0 &&
	    strcmp(url, "/status") != 0 &&
	    strncmp(url, VALIDITY_PATH, strlen(VALIDITY_PATH)) != 0)
		return respond_text(c, MHD_HTTP_NOT_FOUND,
				    "not found: try /metrics, /json, /status "
				    "or /api/v1/validity/ASN/PREFIX\n");
	view_get(h, &v);
	if (strcmp(url, "/metrics") == 0)
		ret = serve_metrics(c, &v);
	else if (strcmp(url, "/json") == 0)
		ret = serve_json(c, &v);
	else if (strcmp(url, "/status") == 0)
		ret = serve_status(c, &v);
	else
		ret = serve_validity(c, &v, url + strlen(VALIDITY_PATH));
	snapshot_unref(v.snap);
	repo_list_unref(v.repos);
	return ret;
}

static enum MHD_Result
httpd_access(void *cls, struct MHD_Connection *c, const char *url,
	     const char *method, const char *version, const char *upload_data,
	     size_t *upload_data_size, void **con_cls)
{
	static int headers_read;

	(void)version;
	(void)upload_data;
	/* HEAD is GET without the body, which MHD drops itself. Other
	 * methods are refused at once, their bodies unread. */
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 &&
	    strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
		return respond_text(c, MHD_HTTP_METHOD_NOT_ALLOWED,
				    "method not allowed: GET only\n");
	/* The first call only announces the headers; answering on the
	 * second, with the request whole, keeps the connection alive. */
	if (*con_cls == NULL) {
		*con_cls = &headers_read;
		return MHD_YES;
	}
	if (*upload_data_size != 0) {
		*upload_data_size = 0; /* a GET body: read and ignored */
		return MHD_YES;
	}
	return serve(cls, c, url);
}

static void
httpd_log(void *cls, const char *fmt, va_list ap)
{
	struct httpd *h = cls;
	char msg[256];
	size_t len;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	len = strlen(msg);
	while (len > 0 && (msg[len - 1] == '\n' || msg[len - 1] == '\r'))
		msg[--len] = '\0';
	if (atomic_load(&h->starting))
		memcpy(h->start_msg, msg, len + 1);
	else
		log_warnx("http: %s", msg);
}

/* Lifecycle. */

struct httpd *
httpd_start(const char *addrport, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	const union MHD_DaemonInfo *info;
	unsigned int flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG;
	struct httpd *h;
	uint16_t port;
	char why[200];

	if (!addrport_parse(addrport, &ss, why, sizeof(why))) {
		snprintf(err, errlen, "http: cannot listen on %s: %s", addrport,
			 why);
		log_warnx("%s", err);
		return NULL;
	}
	port = addrport_port(&ss);
	/* MHD_USE_AUTO picks epoll: a daemon with many RTR clients has fds
	 * beyond select()'s FD_SETSIZE. */
	if (ss.ss_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (void *)&ss;

		/* Only the any-address takes IPv4 too; [::1] means ::1. */
		flags |= IN6_IS_ADDR_UNSPECIFIED(&sin6->sin6_addr)
		    ? MHD_USE_DUAL_STACK
		    : MHD_USE_IPv6;
	}
	if ((h = calloc(1, sizeof(*h))) == NULL ||
	    pthread_mutex_init(&h->lock, NULL) != 0) {
		free(h);
		snprintf(err, errlen, "http: %s", strerror(ENOMEM));
		return NULL;
	}
	atomic_init(&h->starting, true);
	h->mhd =
	    MHD_start_daemon(flags, port, NULL, NULL, httpd_access, h,
			     MHD_OPTION_EXTERNAL_LOGGER, httpd_log, h,
			     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
			     MHD_OPTION_CONNECTION_LIMIT,
			     (unsigned int)HTTPD_MAX_CONNECTIONS,
			     MHD_OPTION_CONNECTION_TIMEOUT,
			     (unsigned int)HTTPD_TIMEOUT_SECONDS,
			     MHD_OPTION_CONNECTION_MEMORY_LIMIT,
			     (size_t)HTTPD_CONNECTION_MEMORY, MHD_OPTION_END);
	if (h->mhd == NULL) {
		snprintf(err, errlen, "http: cannot listen on %s: %s", addrport,
			 h->start_msg[0] != '\0' ? h->start_msg
						 : "libmicrohttpd failed");
		log_warnx("%s", err);
		pthread_mutex_destroy(&h->lock);
		free(h);
		return NULL;
	}
	atomic_store(&h->starting, false);
	info = MHD_get_daemon_info(h->mhd, MHD_DAEMON_INFO_BIND_PORT);
	h->port = info != NULL ? info->port : 0;
	log_info("http: listening on %s (port %u)", addrport, h->port);
	return h;
}

uint16_t
httpd_port(const struct httpd *h)
{
	return h->port;
}

void
httpd_update(struct httpd *h, const struct httpd_state *st)
{
	pthread_mutex_lock(&h->lock);
	h->state = *st;
	h->state.routers_text[sizeof(h->state.routers_text) - 1] = '\0';
	h->state.last_error[sizeof(h->state.last_error) - 1] = '\0';
	pthread_mutex_unlock(&h->lock);
}

void
httpd_publish(struct httpd *h, struct vrpset *set)
{
	struct snapshot *s, *old;
	double elapsed;

	if (h == NULL || set == NULL) {
		vrpset_free(set);
		return;
	}
	pthread_mutex_lock(&h->lock);
	elapsed = h->state.last_cycle_seconds;
	pthread_mutex_unlock(&h->lock);
	if ((s = snapshot_new(set, elapsed)) == NULL) {
		log_warnx("http: cannot publish the new set: %s",
			  strerror(ENOMEM));
		vrpset_free(set);
		return;
	}
	pthread_mutex_lock(&h->lock);
	old = h->snap;
	h->snap = s;
	pthread_mutex_unlock(&h->lock);
	snapshot_unref(old);
}

void
httpd_set_repos(struct httpd *h, const struct httpd_repo *repos, size_t n)
{
	struct repo_list *l, *old;

	if (h == NULL)
		return;
	if ((l = calloc(1, sizeof(*l))) == NULL ||
	    (n > 0 && (l->items = calloc(n, sizeof(*l->items))) == NULL)) {
		free(l);
		log_warn("http: repositories");
		return;
	}
	atomic_init(&l->refs, 1);
	for (; l->n < n; l->n++) {
		l->items[l->n] = repos[l->n];
		if ((l->items[l->n].uri = strdup(repos[l->n].uri)) == NULL) {
			log_warn("http: repositories");
			repo_list_unref(l);
			return;
		}
	}
	pthread_mutex_lock(&h->lock);
	old = h->repos;
	h->repos = l;
	pthread_mutex_unlock(&h->lock);
	repo_list_unref(old);
}

void
httpd_stop(struct httpd *h)
{
	if (h == NULL)
		return;
	MHD_stop_daemon(h->mhd);
	snapshot_unref(h->snap);
	repo_list_unref(h->repos);
	pthread_mutex_destroy(&h->lock);
	free(h);
}
