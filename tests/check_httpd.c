/*
 * Tests for rtr-server/httpd.c over real sockets: /metrics parsed as
 * Prometheus text 0.0.4, /json loaded back into the published set, /status
 * escaping, the validity API's states and errors, 404/405/503, bind
 * errors, and sets published while requests run (meant for ASan).
 */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rp/vrpset.h"
#include "rtr-server/httpd.h"
#include "rtr-server/vrpfile.h"
#include "testdata.h"

/* A TA name that needs escaping in HTML, JSON and Prometheus labels. */
#define NASTY_TA "<x>\"\\"

struct reply {
	int status;
	char type[128]; /* Content-Type */
	char allow[64];
	char *body;
	size_t len;
};

static void
reply_free(struct reply *r)
{
	free(r->body);
	memset(r, 0, sizeof(*r));
}

/* The value of header name in head (NUL-terminated), into out. */
static void
header(const char *head, const char *name, char *out, size_t outlen)
{
	const char *p = head;
	size_t n = strlen(name), k;

	out[0] = '\0';
	while ((p = strstr(p, "\r\n")) != NULL) {
		p += 2;
		if (strncasecmp(p, name, n) != 0 || p[n] != ':')
			continue;
		p += n + 1;
		while (*p == ' ')
			p++;
		k = strcspn(p, "\r\n");
		if (k >= outlen)
			k = outlen - 1;
		memcpy(out, p, k);
		out[k] = '\0';
		return;
	}
}

/* One HTTP/1.0 request to 127.0.0.1:port; fails the test on socket errors. */
static struct reply
request(uint16_t port, const char *method, const char *path)
{
	struct sockaddr_in sin;
	struct reply r;
	char req[1024], *all = NULL, *sep;
	size_t len = 0, cap = 0;
	ssize_t n;
	int fd;

	memset(&r, 0, sizeof(r));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_msg(connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0,
		      "connect: %s", strerror(errno));
	snprintf(req, sizeof(req), "%s %s HTTP/1.0\r\nHost: t\r\n\r\n", method,
		 path);
	ck_assert_int_eq(write(fd, req, strlen(req)), (ssize_t)strlen(req));
	for (;;) {
		if (cap - len < 4096) {
			cap = cap * 2 + 8192;
			ck_assert_ptr_nonnull(all = realloc(all, cap + 1));
		}
		n = read(fd, all + len, cap - len);
		ck_assert_msg(n >= 0, "read: %s", strerror(errno));
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	all[len] = '\0';
	ck_assert_msg(sscanf(all, "HTTP/1.%*d %d", &r.status) == 1,
		      "no status line: %.80s", all);
	ck_assert_ptr_nonnull(sep = strstr(all, "\r\n\r\n"));
	*sep = '\0';
	header(all, "Content-Type", r.type, sizeof(r.type));
	header(all, "Allow", r.allow, sizeof(r.allow));
	r.len = len - (size_t)(sep + 4 - all);
	ck_assert_ptr_nonnull(r.body = malloc(r.len + 1));
	memcpy(r.body, sep + 4, r.len);
	r.body[r.len] = '\0';
	free(all);
	return r;
}

static struct reply
get(uint16_t port, const char *path)
{
	return request(port, "GET", path);
}

/*
 * The test set: ta1 has 192.0.2.0/24-24 AS65000, 10.0.0.0/8-16 AS65010 and
 * an ASPA; NASTY_TA has 2001:db8::/32-48 AS65002 and a router key.
 */
static struct vrpset *
test_set(void)
{
	static const unsigned char ski[20] = {1, 2, 3};
	static const unsigned char spki[4] = {0x30, 0x02, 0x05, 0x00};
	static const uint32_t providers[] = {65001, 65002};
	struct vrpset *set = vrpset_new();
	struct vrp v;

	ck_assert_ptr_nonnull(set);
	ck_assert_int_eq(vrpset_add_ta(set, "ta1"), 0);
	ck_assert_int_eq(vrpset_add_ta(set, NASTY_TA), 1);
	v = testdata_vrp("192.0.2.0", 24, 24, 65000, 0);
	ck_assert(vrpset_add_vrp(set, &v));
	v = testdata_vrp("10.0.0.0", 8, 16, 65010, 0);
	ck_assert(vrpset_add_vrp(set, &v));
	v = testdata_vrp("2001:db8::", 32, 48, 65002, 1);
	ck_assert(vrpset_add_vrp(set, &v));
	ck_assert(vrpset_add_vap(set, 0, 65000, providers, 2));
	ck_assert(vrpset_add_key(set, 1, 65002, ski, spki, sizeof(spki)));
	ck_assert(vrpset_finish(set));
	return set;
}

static struct httpd_state
test_state(void)
{
	struct httpd_state st;

	memset(&st, 0, sizeof(st));
	st.has_data = true;
	st.serial = 4242;
	st.session_id = 7;
	st.routers = 1;
	snprintf(st.routers_text, sizeof(st.routers_text),
		 "192.0.2.9 version 1, serial 4242\n");
	st.cycles = 3;
	st.last_cycle_end = 1700000000;
	st.last_cycle_seconds = 2.5;
	st.last_cycle_ok = true;
	snprintf(st.last_error, sizeof(st.last_error), "repo <down> & out");
	st.stats.tas = 2;
	st.stats.pubpoints = 10;
	st.stats.pubpoints_failed = 3;
	st.stats.pubpoints_kept = 1;
	st.stats.objects = 100;
	st.stats.objects_rejected = 4;
	st.stats.rejected[VALIDATE_ROA][VALIDATE_CONTENT] = 3;
	st.stats.rejected[VALIDATE_CERT][VALIDATE_ISSUER] = 1;
	st.fetched = true;
	st.fetch.repos = 5;
	st.fetch.repos_failed = 1;
	st.fetch.bytes = 123456;
	return st;
}

static struct httpd *
start(void)
{
	char err[256];
	struct httpd *h = httpd_start("127.0.0.1:0", err, sizeof(err));

	ck_assert_msg(h != NULL, "httpd_start: %s", err);
	ck_assert_uint_ne(httpd_port(h), 0);
	return h;
}

/* A server with the test state and set published. */
static struct httpd *
start_with_data(void)
{
	struct httpd *h = start();
	struct httpd_state st = test_state();

	httpd_update(h, &st);
	httpd_publish(h, test_set());
	return h;
}

/* Prometheus text format 0.0.4, checked line by line. */

#define MAX_SAMPLES 100

struct prom {
	char names[MAX_SAMPLES][64]; /* metric families with HELP and TYPE */
	size_t num_names;
	char keys[MAX_SAMPLES][160]; /* a sample as written before its value */
	double values[MAX_SAMPLES];
	size_t num_samples;
};

static bool
prom_has_name(const struct prom *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->num_names; i++)
		if (strcmp(p->names[i], name) == 0)
			return true;
	return false;
}

/* Length of a metric or label name at s (0 if none). */
static size_t
prom_name_len(const char *s)
{
	size_t n = 0;

	while (s[n] == '_' || s[n] == ':' || (s[n] >= 'a' && s[n] <= 'z') ||
	       (s[n] >= 'A' && s[n] <= 'Z') ||
	       (n > 0 && s[n] >= '0' && s[n] <= '9'))
		n++;
	return n;
}

/* A {label="value",...} block at s; its length, failing the test if bad. */
static size_t
prom_labels(const char *s, const char *line)
{
	size_t i = 1, n;

	for (;;) {
		n = prom_name_len(s + i);
		ck_assert_msg(n > 0 && s[i + n] == '=' && s[i + n + 1] == '"',
			      "bad label in: %s", line);
		for (i += n + 2; s[i] != '"'; i++) {
			ck_assert_msg(s[i] != '\0' && s[i] != '\n',
				      "unterminated label in: %s", line);
			if (s[i] == '\\') {
				i++;
				ck_assert_msg(s[i] == '\\' || s[i] == '"' ||
						  s[i] == 'n',
					      "bad escape in: %s", line);
			}
		}
		i++;
		if (s[i] == '}')
			return i + 1;
		ck_assert_msg(s[i] == ',', "bad label list in: %s", line);
		i++;
	}
}

static void
prom_parse(char *text, struct prom *p)
{
	char *line, *save = NULL, *end;
	char name[64], type[32];
	size_t n, k;

	memset(p, 0, sizeof(*p));
	ck_assert_msg(text[0] != '\0' && text[strlen(text) - 1] == '\n',
		      "metrics must end with a newline");
	for (line = strtok_r(text, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "# HELP ", 7) == 0) {
			n = prom_name_len(line + 7);
			ck_assert_msg(n > 0 && n < sizeof(name) &&
					  line[7 + n] == ' ',
				      "bad HELP: %s", line);
			ck_assert_uint_lt(p->num_names, MAX_SAMPLES);
			memcpy(p->names[p->num_names], line + 7, n);
			p->names[p->num_names++][n] = '\0';
			continue;
		}
		if (strncmp(line, "# TYPE ", 7) == 0) {
			ck_assert_int_eq(sscanf(line + 7, "%63s %31s", name,
						type),
					 2);
			ck_assert_msg(prom_has_name(p, name),
				      "TYPE before HELP: %s", line);
			ck_assert_msg(strcmp(type, "gauge") == 0 ||
					  strcmp(type, "counter") == 0,
				      "bad type: %s", line);
			continue;
		}
		ck_assert_msg(line[0] != '#', "stray comment: %s", line);
		n = prom_name_len(line);
		ck_assert_msg(n > 0 && n < sizeof(name), "bad sample: %s",
			      line);
		memcpy(name, line, n);
		name[n] = '\0';
		ck_assert_msg(prom_has_name(p, name), "no HELP/TYPE for %s",
			      name);
		k = n;
		if (line[k] == '{')
			k += prom_labels(line + k, line);
		ck_assert_msg(line[k] == ' ', "no value in: %s", line);
		ck_assert_uint_lt(p->num_samples, MAX_SAMPLES);
		ck_assert_uint_lt(k, sizeof(p->keys[0]));
		memcpy(p->keys[p->num_samples], line, k);
		p->keys[p->num_samples][k] = '\0';
		p->values[p->num_samples] = strtod(line + k + 1, &end);
		ck_assert_msg(end != line + k + 1 && *end == '\0',
			      "bad value in: %s", line);
		p->num_samples++;
	}
}

/* The value of the sample written as key; fails if it is missing. */
static double
prom_value(const struct prom *p, const char *key)
{
	size_t i;

	for (i = 0; i < p->num_samples; i++)
		if (strcmp(p->keys[i], key) == 0)
			return p->values[i];
	ck_abort_msg("no sample %s", key);
	return 0;
}

static bool
prom_has(const struct prom *p, const char *key)
{
	size_t i;

	for (i = 0; i < p->num_samples; i++)
		if (strcmp(p->keys[i], key) == 0)
			return true;
	return false;
}

START_TEST(test_httpd_metrics_prometheus_text_per_ta)
{
	struct httpd *h = start_with_data();
	struct reply r = get(httpd_port(h), "/metrics");
	struct prom p;

	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(r.type, "text/plain; version=0.0.4; charset=utf-8");
	prom_parse(r.body, &p);
#define TA2 "ta=\"<x>\\\"\\\\\""
	ck_assert(prom_value(&p, "vrpd_vrps{ta=\"ta1\",family=\"ipv4\"}") == 2);
	ck_assert(prom_value(&p, "vrpd_vrps{ta=\"ta1\",family=\"ipv6\"}") == 0);
	ck_assert(prom_value(&p, "vrpd_vrps{" TA2 ",family=\"ipv4\"}") == 0);
	ck_assert(prom_value(&p, "vrpd_vrps{" TA2 ",family=\"ipv6\"}") == 1);
	ck_assert(prom_value(&p, "vrpd_aspas{ta=\"ta1\"}") == 1);
	ck_assert(prom_value(&p, "vrpd_aspas{" TA2 "}") == 0);
	ck_assert(prom_value(&p, "vrpd_router_keys{ta=\"ta1\"}") == 0);
	ck_assert(prom_value(&p, "vrpd_router_keys{" TA2 "}") == 1);
	ck_assert(prom_value(&p, "vrpd_rtr_serial") == 4242);
	ck_assert(prom_value(&p, "vrpd_rtr_routers") == 1);
	ck_assert(prom_value(&p, "vrpd_validation_cycles_total") == 3);
	ck_assert(prom_value(&p, "vrpd_validation_duration_seconds") == 2.5);
	ck_assert(
	    prom_value(&p, "vrpd_validation_last_end_timestamp_seconds") ==
	    1700000000);
	ck_assert(prom_value(&p, "vrpd_tas") == 2);
	ck_assert(prom_value(&p,
			     "vrpd_objects_rejected_by{kind=\"roa\","
			     "reason=\"content\"}") == 3);
	ck_assert(prom_value(&p,
			     "vrpd_objects_rejected_by{kind=\"cert\","
			     "reason=\"issuer\"}") == 1);
	ck_assert(prom_value(&p,
			     "vrpd_objects_rejected_by{kind=\"aspa\","
			     "reason=\"object\"}") == 0);
	ck_assert(prom_value(&p, "vrpd_tas_failed") == 0);
	ck_assert(prom_value(&p, "vrpd_publication_points{state=\"ok\"}") == 7);
	ck_assert(prom_value(&p, "vrpd_publication_points{state=\"failed\"}") ==
		  2);
	ck_assert(prom_value(&p, "vrpd_publication_points{state=\"kept\"}") ==
		  1);
	ck_assert(prom_value(&p, "vrpd_objects") == 100);
	ck_assert(prom_value(&p, "vrpd_objects_rejected") == 4);
	ck_assert(prom_value(&p, "vrpd_repositories") == 5);
	ck_assert(prom_value(&p, "vrpd_repositories_failed") == 1);
	ck_assert(prom_value(&p, "vrpd_fetched_bytes") == 123456);
#undef TA2
	reply_free(&r);
	httpd_stop(h);
}
END_TEST

START_TEST(test_httpd_metrics_before_data_still_parse)
{
	struct httpd *h = start();
	struct reply r = get(httpd_port(h), "/metrics");
	struct prom p;

	ck_assert_int_eq(r.status, 200);
	prom_parse(r.body, &p);
	ck_assert(!prom_has(&p, "vrpd_rtr_serial"));
	ck_assert(prom_value(&p, "vrpd_validation_cycles_total") == 0);
	reply_free(&r);
	httpd_stop(h);
}
END_TEST

/* /json */

/* TA name of a payload in set. */
static const char *
ta_of(const struct vrpset *set, uint8_t ta)
{
	ck_assert_uint_lt(ta, set->num_tas);
	return set->tas[ta];
}

START_TEST(test_httpd_json_loads_back_to_published_set)
{
	struct httpd *h = start_with_data();
	struct vrpset *want = test_set(), *got;
	struct reply r = get(httpd_port(h), "/json");
	char err[256];
	FILE *fp;
	size_t i;

	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(r.type, "application/json");
	ck_assert_ptr_nonnull(fp = fmemopen(r.body, r.len, "r"));
	got = vrpfile_load_fp(fp, "/json", err, sizeof(err));
	fclose(fp);
	ck_assert_msg(got != NULL, "%s", err);
	ck_assert_uint_eq(got->num_vrps, want->num_vrps);
	for (i = 0; i < want->num_vrps; i++) {
		const struct vrp *a = &want->vrps[i], *b = &got->vrps[i];

		ck_assert_mem_eq(a->addr, b->addr, sizeof(a->addr));
		ck_assert_uint_eq(a->asn, b->asn);
		ck_assert_uint_eq(a->afi, b->afi);
		ck_assert_uint_eq(a->prefixlen, b->prefixlen);
		ck_assert_uint_eq(a->maxlen, b->maxlen);
		ck_assert_str_eq(ta_of(want, a->ta), ta_of(got, b->ta));
	}
	ck_assert_uint_eq(got->num_vaps, 1);
	ck_assert_uint_eq(got->vaps[0].customer, 65000);
	ck_assert_uint_eq(got->vaps[0].num_providers, 2);
	ck_assert_str_eq(ta_of(got, got->vaps[0].ta), "ta1");
	ck_assert_uint_eq(got->num_keys, 1);
	ck_assert_uint_eq(got->keys[0].asn, 65002);
	ck_assert_str_eq(ta_of(got, got->keys[0].ta), NASTY_TA);
	vrpset_free(got);
	vrpset_free(want);
	reply_free(&r);
	httpd_stop(h);
}
END_TEST

START_TEST(test_httpd_before_data_503)
{
	struct httpd *h = start();
	struct reply r = get(httpd_port(h), "/json");

	ck_assert_int_eq(r.status, 503);
	ck_assert_str_eq(r.type, "application/json");
	ck_assert_ptr_nonnull(strstr(r.body, "\"error\""));
	reply_free(&r);
	r = get(httpd_port(h), "/api/v1/validity/AS65000/192.0.2.0/24");
	ck_assert_int_eq(r.status, 503);
	ck_assert_str_eq(r.type, "application/json");
	reply_free(&r);
	r = get(httpd_port(h), "/status");
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body, "No VRP set yet"));
	reply_free(&r);
	httpd_stop(h);
}
END_TEST

/* The validity API. */

static void
assert_validity(uint16_t port, const char *path, const char *want)
{
	struct reply r = get(port, path);

	ck_assert_msg(r.status == 200, "%s: %d %s", path, r.status, r.body);
	ck_assert_str_eq(r.type, "application/json");
	ck_assert_msg(strcmp(r.body, want) == 0, "%s:\n got %s\nwant %s", path,
		      r.body, want);
	reply_free(&r);
}

#define VRP_A                                                                  \
	"{\"asn\":\"AS65000\",\"prefix\":\"192.0.2.0/24\",\"max_length\":24,"  \
	"\"ta\":\"ta1\"}"

START_TEST(test_httpd_validity_valid)
{
	struct httpd *h = start_with_data();

	assert_validity(
	    httpd_port(h), "/api/v1/validity/AS65000/192.0.2.0/24",
	    "{\"route\":{\"origin_asn\":\"AS65000\",\"prefix\":\"192.0.2.0/"
	    "24\"},\"validity\":{\"state\":\"valid\",\"VRPs\":{\"matched\":"
	    "[" VRP_A "],\"unmatched_as\":[],\"unmatched_length\":[]}}}\n");
	/* A bare number is an ASN too; IPv6 works the same way. */
	assert_validity(
	    httpd_port(h), "/api/v1/validity/65002/2001:db8:1::/48",
	    "{\"route\":{\"origin_asn\":\"AS65002\",\"prefix\":\"2001:db8:"
	    "1::/48\"},\"validity\":{\"state\":\"valid\",\"VRPs\":{"
	    "\"matched\":[{\"asn\":\"AS65002\",\"prefix\":\"2001:db8::/"
	    "32\",\"max_length\":48,\"ta\":\"<x>\\\"\\\\\"}],"
	    "\"unmatched_as\":[],\"unmatched_length\":[]}}}\n");
	httpd_stop(h);
}
END_TEST

START_TEST(test_httpd_validity_invalid_wrong_as)
{
	struct httpd *h = start_with_data();

	assert_validity(httpd_port(h), "/api/v1/validity/AS65001/192.0.2.0/24",
			"{\"route\":{\"origin_asn\":\"AS65001\",\"prefix\":"
			"\"192.0.2.0/"
			"24\"},\"validity\":{\"state\":\"invalid\",\"VRPs\":{"
			"\"matched\":[],\"unmatched_as\":[" VRP_A
			"],\"unmatched_length\":[]}}}\n");
	httpd_stop(h);
}
END_TEST

START_TEST(test_httpd_validity_invalid_too_long)
{
	struct httpd *h = start_with_data();

	assert_validity(
	    httpd_port(h), "/api/v1/validity/AS65000/192.0.2.128/25",
	    "{\"route\":{\"origin_asn\":\"AS65000\",\"prefix\":\"192.0.2."
	    "128/25\"},\"validity\":{\"state\":\"invalid\",\"VRPs\":{"
	    "\"matched\":[],\"unmatched_as\":[],\"unmatched_length\":[" VRP_A
	    "]}}}\n");
	httpd_stop(h);
}
END_TEST

START_TEST(test_httpd_validity_not_found)
{
	struct httpd *h = start_with_data();

	assert_validity(
	    httpd_port(h), "/api/v1/validity/AS65000/198.51.100.0/24",
	    "{\"route\":{\"origin_asn\":\"AS65000\",\"prefix\":\"198.51.100."
	    "0/24\"},\"validity\":{\"state\":\"not-found\",\"VRPs\":{"
	    "\"matched\":[],\"unmatched_as\":[],\"unmatched_length\":[]}}}"
	    "\n");
	httpd_stop(h);
}
END_TEST

START_TEST(test_httpd_validity_bad_input_400)
{
	static const char *const paths[] = {
	    "/api/v1/validity/ASX/192.0.2.0/24",
	    "/api/v1/validity/AS65000/192.0.2.0",
	    "/api/v1/validity/AS65000/192.0.2.0/33",
	    "/api/v1/validity/AS65000/192.0.2.1/24",
	    "/api/v1/validity/AS65000",
	    "/api/v1/validity/",
	    "/api/v1/validity/AS4294967296/192.0.2.0/24",
	};
	struct httpd *h = start_with_data();
	struct reply r;
	size_t i;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		r = get(httpd_port(h), paths[i]);
		ck_assert_msg(r.status == 400, "%s: %d", paths[i], r.status);
		ck_assert_str_eq(r.type, "application/json");
		ck_assert_msg(strncmp(r.body, "{\"error\":\"", 10) == 0 &&
				  r.len > 14,
			      "%s: %s", paths[i], r.body);
		reply_free(&r);
	}
	httpd_stop(h);
}
END_TEST

/* /status */

START_TEST(test_httpd_status_html_escaped)
{
	struct httpd *h = start_with_data();
	struct reply r = get(httpd_port(h), "/status");

	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(r.type, "text/html; charset=utf-8");
	ck_assert_ptr_nonnull(strstr(r.body, "<!DOCTYPE html>"));
	ck_assert_ptr_nonnull(strstr(r.body, "4242"));
	ck_assert_ptr_nonnull(strstr(r.body, "<td>ta1</td>"));
	ck_assert_ptr_nonnull(strstr(r.body, "&lt;x&gt;&quot;\\"));
	ck_assert_ptr_null(strstr(r.body, "<x>"));
	ck_assert_ptr_nonnull(strstr(r.body, "repo &lt;down&gt; &amp; out"));
	ck_assert_ptr_nonnull(strstr(r.body, "192.0.2.9 version 1"));
	ck_assert_ptr_null(strstr(r.body, "http://"));
	ck_assert_ptr_null(strstr(r.body, "https://"));
	reply_free(&r);
	httpd_stop(h);
}
END_TEST

START_TEST(test_httpd_repositories_in_metrics_and_status)
{
	struct httpd *h = start_with_data();
	const struct httpd_repo repos[] = {
	    {"https://up.example/notification.xml", true, 1700000000},
	    {"rsync://down.example/<m>/", false, 0},
	};
	struct reply r;
	struct prom p;

	httpd_set_repos(h, repos, 2);
	r = get(httpd_port(h), "/metrics");
	prom_parse(r.body, &p);
	ck_assert(prom_value(&p,
			     "vrpd_repository_up{uri=\"https://"
			     "up.example/notification.xml\"}") == 1);
	ck_assert(prom_value(&p,
			     "vrpd_repository_up{uri=\"rsync://"
			     "down.example/<m>/\"}") == 0);
	ck_assert(prom_value(&p,
			     "vrpd_repository_last_success_timestamp_"
			     "seconds{uri=\"https://up.example/"
			     "notification.xml\"}") == 1700000000);
	reply_free(&r);
	r = get(httpd_port(h), "/status");
	ck_assert_ptr_nonnull(strstr(r.body, "2, 1 not up to date"));
	ck_assert_ptr_nonnull(
	    strstr(r.body, "rsync://down.example/&lt;m&gt;/"));
	ck_assert_ptr_nonnull(strstr(r.body, "<td>never</td>"));
	reply_free(&r);
	httpd_stop(h);
}
END_TEST

/* Errors. */

START_TEST(test_httpd_unknown_path_404)
{
	struct httpd *h = start_with_data();
	struct reply r = get(httpd_port(h), "/nope");

	ck_assert_int_eq(r.status, 404);
	ck_assert_str_eq(r.type, "text/plain; charset=utf-8");
	reply_free(&r);
	r = get(httpd_port(h), "/metrics/x");
	ck_assert_int_eq(r.status, 404);
	reply_free(&r);
	httpd_stop(h);
}
END_TEST

START_TEST(test_httpd_post_405)
{
	struct httpd *h = start_with_data();
	struct reply r = request(httpd_port(h), "POST", "/metrics");

	ck_assert_int_eq(r.status, 405);
	ck_assert_str_eq(r.allow, "GET, HEAD");
	ck_assert_str_eq(r.type, "text/plain; charset=utf-8");
	reply_free(&r);
	r = request(httpd_port(h), "DELETE", "/json");
	ck_assert_int_eq(r.status, 405);
	reply_free(&r);
	httpd_stop(h);
}
END_TEST

START_TEST(test_httpd_bad_address_rejected)
{
	static const char *const bad[] = {"nonsense",  "127.0.0.1",
					  ":80",       "::1:8080",
					  "[::1]8080", "127.0.0.1:99999",
					  "[]:80"};
	char err[256];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		ck_assert_msg(httpd_start(bad[i], err, sizeof(err)) == NULL,
			      "%s accepted", bad[i]);
		ck_assert_msg(err[0] != '\0', "%s: no reason", bad[i]);
	}
}
END_TEST

START_TEST(test_httpd_port_in_use_named)
{
	struct httpd *h = start();
	char addr[64], err[256];

	snprintf(addr, sizeof(addr), "127.0.0.1:%u", httpd_port(h));
	ck_assert_ptr_null(httpd_start(addr, err, sizeof(err)));
	ck_assert_msg(strstr(err, addr) != NULL, "%s", err);
	ck_assert_msg(strstr(err, "cannot listen") != NULL, "%s", err);
	httpd_stop(h);
}
END_TEST

START_TEST(test_httpd_ipv6_loopback_and_dual_stack_any)
{
	char err[256];
	struct httpd *h = httpd_start("[::1]:0", err, sizeof(err));
	struct reply r;

	/* A machine without IPv6 cannot run this; say so, do not fail. */
	if (h == NULL) {
		fprintf(stderr, "skipped, no IPv6: %s\n", err);
		return;
	}
	ck_assert_uint_ne(httpd_port(h), 0);
	httpd_stop(h);
	/* The any-address is dual-stack: IPv4 clients reach it too. */
	h = httpd_start("[::]:0", err, sizeof(err));
	ck_assert_msg(h != NULL, "%s", err);
	r = get(httpd_port(h), "/metrics");
	ck_assert_int_eq(r.status, 200);
	reply_free(&r);
	httpd_stop(h);
}
END_TEST

/* Publishing while requests run. */

struct hammer {
	uint16_t port;
	int failures;
};

static void *
hammer_run(void *arg)
{
	static const char *const paths[] =
	    {"/json", "/metrics", "/status",
	     "/api/v1/validity/AS65000/192.0.2.0/24"};
	struct hammer *hm = arg;
	struct reply r;
	int i;

	for (i = 0; i < 60; i++) {
		r = get(hm->port, paths[i % 4]);
		if (r.status != 200)
			hm->failures++;
		reply_free(&r);
	}
	return NULL;
}

START_TEST(test_httpd_publish_while_requests_run)
{
	struct httpd *h = start_with_data();
	struct httpd_state st = test_state();
	struct hammer hm[4];
	pthread_t t[4];
	int i;

	for (i = 0; i < 4; i++) {
		hm[i].port = httpd_port(h);
		hm[i].failures = 0;
		ck_assert_int_eq(pthread_create(&t[i], NULL, hammer_run,
						&hm[i]),
				 0);
	}
	for (i = 0; i < 200; i++) {
		st.serial++;
		httpd_update(h, &st);
		httpd_publish(h, test_set());
		usleep(1000);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		ck_assert_int_eq(hm[i].failures, 0);
	}
	httpd_stop(h);
}
END_TEST

static Suite *
httpd_suite(void)
{
	Suite *s = suite_create("httpd");
	TCase *tc = tcase_create("httpd");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_httpd_metrics_prometheus_text_per_ta);
	tcase_add_test(tc, test_httpd_metrics_before_data_still_parse);
	tcase_add_test(tc, test_httpd_json_loads_back_to_published_set);
	tcase_add_test(tc, test_httpd_before_data_503);
	tcase_add_test(tc, test_httpd_validity_valid);
	tcase_add_test(tc, test_httpd_validity_invalid_wrong_as);
	tcase_add_test(tc, test_httpd_validity_invalid_too_long);
	tcase_add_test(tc, test_httpd_validity_not_found);
	tcase_add_test(tc, test_httpd_validity_bad_input_400);
	tcase_add_test(tc, test_httpd_status_html_escaped);
	tcase_add_test(tc, test_httpd_unknown_path_404);
	tcase_add_test(tc, test_httpd_post_405);
	tcase_add_test(tc, test_httpd_bad_address_rejected);
	tcase_add_test(tc, test_httpd_port_in_use_named);
	tcase_add_test(tc, test_httpd_ipv6_loopback_and_dual_stack_any);
	tcase_add_test(tc, test_httpd_publish_while_requests_run);
	tcase_add_test(tc, test_httpd_repositories_in_metrics_and_status);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(httpd_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
