/*
 * The control socket. Requests are tiny and answers are built in memory
 * (open_memstream) on the loop thread, which owns the served set, then
 * written in one go; a dump of a global-size set is a few tens of MB.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "rp/log.h"
#include "rp/output.h"
#include "rp/validity.h"

#include "control.h"

/* A request is one short line; anything longer is not vrpctl. */
#define CONTROL_MAX_REQUEST 512

/* vrpctl's exit statuses (check also uses 0, 1, 2 for its states). */
#define EXIT_OK	   0
#define EXIT_ERROR 3

struct control {
	uv_pipe_t pipe;
	char *path;
	struct control_ops ops;
};

struct conn {
	uv_pipe_t pipe;
	struct control *ctl;
	char req[CONTROL_MAX_REQUEST];
	size_t len;
	char *out;
	size_t out_len;
	uv_write_t wr;
};

static void
conn_closed(uv_handle_t *h)
{
	struct conn *c = h->data;

	free(c->out);
	free(c);
}

static void
conn_written(uv_write_t *req, int status)
{
	struct conn *c = req->data;

	(void)status;
	uv_close((uv_handle_t *)&c->pipe, conn_closed);
}

static int
cmd_count(const struct vrpset *set, bool json, FILE *fp)
{
	struct vrpset_ta_count *t;
	size_t i, v4, v6;

	if ((t = vrpset_count_tas(set)) == NULL) {
		fprintf(fp, "out of memory\n");
		return EXIT_ERROR;
	}
	vrpset_count(set, &v4, &v6);
	if (json) {
		fprintf(fp,
			"{\"vrps\":%zu,\"ipv4\":%zu,\"ipv6\":%zu,\"aspas\":%zu,"
			"\"router_keys\":%zu,\"tas\":{",
			set->num_vrps, v4, v6, set->num_vaps, set->num_keys);
		for (i = 0; i < set->num_tas; i++)
			fprintf(fp,
				"%s\"%s\":{\"vrps\":%zu,\"ipv4\":%zu,\"ipv6\":"
				"%zu,\"aspas\":%zu,\"router_keys\":%zu}",
				i == 0 ? "" : ",", set->tas[i],
				t[i].v4 + t[i].v6, t[i].v4, t[i].v6, t[i].vaps,
				t[i].keys);
		fprintf(fp, "}}\n");
	} else {
		fprintf(fp,
			"VRPs:        %zu (IPv4 %zu, IPv6 %zu)\n"
			"ASPAs:       %zu\nrouter keys: %zu\n",
			set->num_vrps, v4, v6, set->num_vaps, set->num_keys);
		for (i = 0; i < set->num_tas; i++)
			fprintf(fp,
				"  %-10s %zu VRPs (IPv4 %zu, IPv6 %zu), %zu "
				"ASPAs, %zu router keys\n",
				set->tas[i], t[i].v4 + t[i].v6, t[i].v4,
				t[i].v6, t[i].vaps, t[i].keys);
	}
	free(t);
	return EXIT_OK;
}

static void
print_vrp(FILE *fp, const struct vrpset *set, size_t i)
{
	const struct vrp *v = &set->vrps[i];
	char addr[INET6_ADDRSTRLEN];

	inet_ntop(v->afi == 4 ? AF_INET : AF_INET6, v->addr, addr,
		  sizeof(addr));
	fprintf(fp, "  %s/%u-%u AS%u (%s)\n", addr, v->prefixlen, v->maxlen,
		v->asn, set->tas[v->ta]);
}

/* RFC 6811: the state, and the VRPs that decide it. */
static int
cmd_check(const struct vrpset *set, const char *asn, const char *prefix,
	  FILE *fp)
{
	struct validity_result r;
	struct vrp route;
	uint32_t as;
	char err[256];
	size_t i;
	int rc;

	if (!validity_parse_route(asn, prefix, &as, &route, err, sizeof(err))) {
		fprintf(fp, "%s\n", err);
		return EXIT_ERROR;
	}
	if (!validity_check(set, as, &route, &r)) {
		fprintf(fp, "out of memory\n");
		return EXIT_ERROR;
	}
	fprintf(fp, "%s AS%u: %s\n", prefix, as, validity_name(r.state));
	if (r.state == VALIDITY_VALID) {
		fprintf(fp, "matched by:\n");
		for (i = 0; i < r.num_matched; i++)
			print_vrp(fp, set, r.matched[i]);
		rc = 0;
	} else if (r.state == VALIDITY_INVALID) {
		fprintf(fp, "covered, not matched, by:\n");
		for (i = 0; i < r.num_covering; i++)
			print_vrp(fp, set, r.covering[i]);
		rc = 1;
	} else {
		rc = 2;
	}
	validity_result_free(&r);
	return rc;
}

static int
cmd_dump(const struct vrpset *set, const char *format, FILE *fp)
{
	struct output_meta meta = {time(NULL), 0};
	enum output_format fmt;

	if (!output_format_parse(format, &fmt)) {
		fprintf(fp, "unknown format '%s' (csv, json, openbgpd, bird)\n",
			format);
		return EXIT_ERROR;
	}
	return output_write(fp, fmt, set, &meta) ? EXIT_OK : EXIT_ERROR;
}

/* Answers one request line into fp; the exit status for vrpctl. */
static int
answer(struct control *ctl, char *line, FILE *fp)
{
	const struct vrpset *set = ctl->ops.current(ctl->ops.arg);
	char *words[4] = {NULL, NULL, NULL, NULL};
	size_t n = 0;
	char *save, *w;

	for (w = strtok_r(line, " \t", &save); w != NULL && n < 4;
	     w = strtok_r(NULL, " \t", &save))
		words[n++] = w;
	if (n == 0) {
		fprintf(fp, "empty request\n");
		return EXIT_ERROR;
	}
	if (strcmp(words[0], "status") == 0 && n == 1) {
		ctl->ops.status(ctl->ops.arg, fp);
		return EXIT_OK;
	}
	if (strcmp(words[0], "reload") == 0 && n == 1) {
		ctl->ops.reload(ctl->ops.arg);
		fprintf(fp, "validation started\n");
		return EXIT_OK;
	}
	if (set == NULL &&
	    (strcmp(words[0], "count") == 0 || strcmp(words[0], "check") == 0 ||
	     strcmp(words[0], "dump") == 0)) {
		fprintf(fp, "vrpd has no validated data yet\n");
		return EXIT_ERROR;
	}
	if (strcmp(words[0], "count") == 0 &&
	    (n == 1 || (n == 2 && strcmp(words[1], "json") == 0)))
		return cmd_count(set, n == 2, fp);
	if (strcmp(words[0], "check") == 0 && n == 3)
		return cmd_check(set, words[1], words[2], fp);
	if (strcmp(words[0], "dump") == 0 && n <= 2)
		return cmd_dump(set, n == 2 ? words[1] : "csv", fp);
	fprintf(fp, "unknown request '%s'\n", words[0]);
	return EXIT_ERROR;
}

static void
respond(struct conn *c)
{
	char *body = NULL;
	size_t body_len = 0;
	FILE *fp;
	uv_buf_t b;
	int rc = EXIT_ERROR;

	c->req[c->len] = '\0';
	c->req[strcspn(c->req, "\r\n")] = '\0';
	if ((fp = open_memstream(&body, &body_len)) != NULL) {
		rc = answer(c->ctl, c->req, fp);
		fclose(fp);
	}
	if (asprintf(&c->out, "exit %d\n%s", rc, body != NULL ? body : "") <
	    0) {
		c->out = NULL;
		free(body);
		uv_close((uv_handle_t *)&c->pipe, conn_closed);
		return;
	}
	free(body);
	c->out_len = strlen(c->out);
	b = uv_buf_init(c->out, (unsigned int)c->out_len);
	c->wr.data = c;
	if (uv_write(&c->wr, (uv_stream_t *)&c->pipe, &b, 1, conn_written) < 0)
		uv_close((uv_handle_t *)&c->pipe, conn_closed);
}

static void
conn_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	struct conn *c = h->data;

	(void)suggested;
	*buf = uv_buf_init(c->req + c->len,
			   (unsigned int)(sizeof(c->req) - 1 - c->len));
}

static void
conn_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
	struct conn *c = s->data;

	(void)buf;
	if (nread < 0) {
		uv_close((uv_handle_t *)&c->pipe, conn_closed);
		return;
	}
	c->len += (size_t)nread;
	if (memchr(c->req, '\n', c->len) == NULL && c->len < sizeof(c->req) - 1)
		return;
	uv_read_stop(s);
	respond(c);
}

static void
control_accepted(uv_stream_t *server, int status)
{
	struct control *ctl = server->data;
	struct conn *c;

	if (status < 0) {
		log_warnx("control: accept: %s", uv_strerror(status));
		return;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return;
	c->ctl = ctl;
	c->pipe.data = c;
	uv_pipe_init(server->loop, &c->pipe, 0);
	if (uv_accept(server, (uv_stream_t *)&c->pipe) < 0) {
		uv_close((uv_handle_t *)&c->pipe, conn_closed);
		return;
	}
	uv_read_start((uv_stream_t *)&c->pipe, conn_alloc, conn_read);
}

static void
control_closed(uv_handle_t *h)
{
	struct control *ctl = h->data;

	free(ctl->path);
	free(ctl);
}

struct control *
control_new(uv_loop_t *loop, const char *path, const struct control_ops *ops)
{
	struct control *ctl;
	struct stat sb;
	int r;

	if ((ctl = calloc(1, sizeof(*ctl))) == NULL ||
	    (ctl->path = strdup(path)) == NULL) {
		free(ctl);
		log_warn("control socket %s", path);
		return NULL;
	}
	ctl->ops = *ops;
	/* A socket left by a killed daemon; never remove anything else. */
	if (lstat(path, &sb) == 0 && S_ISSOCK(sb.st_mode))
		unlink(path);
	uv_pipe_init(loop, &ctl->pipe, 0);
	ctl->pipe.data = ctl;
	if ((r = uv_pipe_bind(&ctl->pipe, path)) < 0 ||
	    (r = uv_listen((uv_stream_t *)&ctl->pipe, 16, control_accepted)) <
		0) {
		log_warnx("control socket %s: %s", path, uv_strerror(r));
		uv_close((uv_handle_t *)&ctl->pipe, control_closed);
		return NULL;
	}
	chmod(path, 0660);
	log_info("control socket %s", path);
	return ctl;
}

void
control_close(struct control *ctl)
{
	if (ctl == NULL)
		return;
	unlink(ctl->path);
	uv_close((uv_handle_t *)&ctl->pipe, control_closed);
}
