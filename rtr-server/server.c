/*
 * The RTR server's sockets. Everything runs on one libuv loop thread.
 * Each connection writes from the history's shared buffers, one bounded
 * chunk at a time, so a router that stops reading holds references, not
 * copies, and the loop never waits for it.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#ifdef __linux__
#include <linux/sockios.h>
#endif

#include "rp/log.h"

#include "addrport.h"
#include "server.h"

/* Bytes handed to one uv_write: large enough to keep the socket busy. */
#define WRITE_CHUNK (256 * 1024)

/*
 * Responses queued for one router. A router sends one query and waits
 * (RFC 8210 s.8), so a few are plenty; reading pauses at QUEUE_PAUSE and
 * a router that pipelines past QUEUE_MAX in one read is cut off.
 */
#define QUEUE_PAUSE 4
#define QUEUE_MAX   64

/* How often the limits are checked. */
#define SWEEP_MS 250

/* 8210bis s.8.2: at most one Serial Notify a minute. */
#define NOTIFY_INTERVAL_MS (60 * 1000)

/* Routers that vanish without a FIN are found by TCP keepalive. */
#define KEEPALIVE_S 60

#define MAX_LISTENERS 16

/* Accept errors (EMFILE) are logged at most once a second. */
#define ACCEPT_LOG_MS 1000

struct outq {
	struct rtrbuf *buf;
	size_t off;
};

struct server;

struct client {
	uv_tcp_t tcp;
	struct server *srv;
	struct client *prev, *next;
	struct session session;
	struct outq queue[QUEUE_MAX];
	size_t qhead, qlen;
	uv_write_t req;
	size_t inflight;
	bool writing, reading, closing, close_when_flushed;
	uint64_t connected_at, progress_at;
	int sent_queue; /* bytes in the kernel's send queue at the last sweep */
};

/*
 * A listening socket we accept on ourselves: libuv's own accept path
 * drops connections silently when descriptors run out, and an operator
 * must hear of that.
 */
struct listener {
	uv_poll_t poll;
	int fd;
	struct server *srv;
	char name[64];
};

struct server {
	uv_loop_t *loop;
	struct history *h;
	struct server_config cfg;
	struct listener *listeners[MAX_LISTENERS];
	size_t num_listeners;
	struct client *clients;
	size_t num_clients;
	uv_timer_t sweep, notify_timer;
	uint64_t last_notify, last_accept_log;
	int reserve_fd; /* given up to shed a connection when fds run out */
	bool notified_once, notify_scheduled, closing;
	size_t open_handles;
};

/* One read buffer for all: each read is consumed before the next. */
static unsigned char read_buf[64 * 1024];

static void client_flush(struct client *c);

/* Frees the server once the last of its handles has closed. */
static void
server_release(struct server *srv)
{
	if (--srv->open_handles == 0)
		free(srv);
}

static void
timer_closed(uv_handle_t *handle)
{
	server_release(handle->data);
}

static void
listener_closed(uv_handle_t *handle)
{
	struct listener *l = handle->data;
	struct server *srv = l->srv;

	close(l->fd);
	free(l);
	server_release(srv);
}

static void
client_closed(uv_handle_t *handle)
{
	struct client *c = handle->data;
	struct server *srv = c->srv;

	while (c->qlen > 0) {
		rtrbuf_unref(c->queue[c->qhead].buf);
		c->qhead = (c->qhead + 1) % QUEUE_MAX;
		c->qlen--;
	}
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		srv->clients = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	srv->num_clients--;
	log_debug("rtr: %s: closed", c->session.name);
	session_free(&c->session);
	free(c);
	if (srv->closing)
		server_release(srv);
}

static void
client_close(struct client *c)
{
	if (c->closing)
		return;
	c->closing = true;
	uv_close((uv_handle_t *)&c->tcp, client_closed);
}

/* Queues buf for c (takes the reference); the session's output. */
static void
client_send(void *ctx, struct rtrbuf *buf)
{
	struct client *c = ctx;

	if (c->closing || buf->len == 0) {
		rtrbuf_unref(buf);
		return;
	}
	if (c->qlen == QUEUE_MAX) {
		log_warnx("rtr: %s: more than %d queries unanswered without "
			  "reading; closing",
			  c->session.name, QUEUE_MAX);
		rtrbuf_unref(buf);
		client_close(c);
		return;
	}
	c->queue[(c->qhead + c->qlen) % QUEUE_MAX] =
	    (struct outq){.buf = buf, .off = 0};
	if (c->qlen++ == 0)
		c->progress_at = uv_now(c->srv->loop);
}

static void
client_wrote(uv_write_t *req, int status)
{
	struct client *c = req->data;
	struct outq *q;

	c->writing = false;
	if (c->closing)
		return;
	if (status < 0) {
		log_debug("rtr: %s: write: %s", c->session.name,
			  uv_strerror(status));
		client_close(c);
		return;
	}
	c->progress_at = uv_now(c->srv->loop);
	q = &c->queue[c->qhead];
	q->off += c->inflight;
	if (q->off == q->buf->len) {
		rtrbuf_unref(q->buf);
		c->qhead = (c->qhead + 1) % QUEUE_MAX;
		c->qlen--;
	}
	client_flush(c);
}

static void client_read(uv_stream_t *stream, ssize_t nread,
			const uv_buf_t *buf);
static void client_alloc(uv_handle_t *handle, size_t suggested, uv_buf_t *buf);

static void
client_resume(struct client *c)
{
	if (c->reading || c->closing || c->close_when_flushed ||
	    c->qlen >= QUEUE_PAUSE)
		return;
	if (uv_read_start((uv_stream_t *)&c->tcp, client_alloc, client_read) ==
	    0)
		c->reading = true;
}

static void
client_flush(struct client *c)
{
	struct outq *q;
	uv_buf_t b;
	size_t n;
	int r;

	if (c->writing || c->closing)
		return;
	if (c->qlen == 0) {
		if (c->close_when_flushed)
			client_close(c);
		else
			client_resume(c);
		return;
	}
	q = &c->queue[c->qhead];
	n = q->buf->len - q->off;
	if (n > WRITE_CHUNK)
		n = WRITE_CHUNK;
	b = uv_buf_init((char *)q->buf->data + q->off, (unsigned int)n);
	c->req.data = c;
	if ((r = uv_write(&c->req, (uv_stream_t *)&c->tcp, &b, 1,
			  client_wrote)) < 0) {
		log_debug("rtr: %s: write: %s", c->session.name,
			  uv_strerror(r));
		client_close(c);
		return;
	}
	c->writing = true;
	c->inflight = n;
	if (c->qlen < QUEUE_PAUSE)
		client_resume(c);
}

static void
client_alloc(uv_handle_t *handle, size_t suggested, uv_buf_t *buf)
{
	(void)handle;
	(void)suggested;
	*buf = uv_buf_init((char *)read_buf, sizeof(read_buf));
}

static void
client_read(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf)
{
	struct client *c = stream->data;
	struct session_io io = {client_send, c};
	enum session_result r;

	if (nread == 0 || c->closing)
		return;
	if (nread < 0) {
		if (nread != UV_EOF)
			log_debug("rtr: %s: read: %s", c->session.name,
				  uv_strerror((int)nread));
		client_close(c);
		return;
	}
	r = session_input(&c->session, c->srv->h, &c->srv->cfg.session,
			  (const unsigned char *)buf->base, (size_t)nread, &io);
	if (c->closing)
		return;
	if (r == SESSION_CLOSE) {
		c->close_when_flushed = true;
		uv_read_stop(stream);
		c->reading = false;
	} else if (c->qlen >= QUEUE_PAUSE) {
		uv_read_stop(stream);
		c->reading = false;
	}
	client_flush(c);
}

/* "1.2.3.4:56" or "[::1]:56" for a socket address. */
static void
addr_name(const struct sockaddr_storage *ss, char *out, size_t len)
{
	char ip[INET6_ADDRSTRLEN] = "?";

	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *a = (const void *)ss;

		uv_ip6_name(a, ip, sizeof(ip));
		snprintf(out, len, "[%s]:%u", ip, ntohs(a->sin6_port));
	} else {
		const struct sockaddr_in *a = (const void *)ss;

		uv_ip4_name(a, ip, sizeof(ip));
		snprintf(out, len, "%s:%u", ip, ntohs(a->sin_port));
	}
}

/* Logs an accept() failure, at most once a second. */
static void
accept_failed(struct listener *l, int err)
{
	struct server *srv = l->srv;
	uint64_t now = uv_now(srv->loop);

	if (now - srv->last_accept_log < ACCEPT_LOG_MS)
		return;
	srv->last_accept_log = now;
	log_warnx("rtr: accept on %s: %s%s", l->name, strerror(err),
		  err == EMFILE || err == ENFILE
		      ? " (file descriptors exhausted: routers are turned "
			"away; raise the limit)"
		      : "");
}

/*
 * Out of descriptors, the pending connection would keep the listener
 * readable forever: give up the reserve to accept it and close it at once.
 */
static void
shed_connection(struct listener *l)
{
	struct server *srv = l->srv;
	int fd;

	if (srv->reserve_fd >= 0) {
		close(srv->reserve_fd);
		srv->reserve_fd = -1;
	}
	if ((fd = accept4(l->fd, NULL, NULL, SOCK_CLOEXEC)) >= 0)
		close(fd);
	srv->reserve_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
}

/* Starts a session on the accepted socket fd. */
static void
client_start(struct listener *l, int fd)
{
	struct server *srv = l->srv;
	struct sockaddr_storage ss;
	struct client *c;
	char name[64];
	int len = sizeof(ss);
	uint64_t now = uv_now(srv->loop);

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		log_warn("rtr: accept on %s", l->name);
		close(fd);
		return;
	}
	c->srv = srv;
	c->tcp.data = c;
	uv_tcp_init(srv->loop, &c->tcp);
	c->next = srv->clients;
	if (srv->clients != NULL)
		srv->clients->prev = c;
	srv->clients = c;
	srv->num_clients++;
	if (uv_tcp_open(&c->tcp, fd) != 0) {
		close(fd);
		session_init(&c->session, "?");
		client_close(c);
		return;
	}
	if (uv_tcp_getpeername(&c->tcp, (struct sockaddr *)&ss, &len) == 0)
		addr_name(&ss, name, sizeof(name));
	else
		snprintf(name, sizeof(name), "?");
	session_init(&c->session, name);
	if (srv->num_clients > srv->cfg.max_clients) {
		log_warnx("rtr: %s: %zu routers connected, the limit; closing",
			  name, srv->cfg.max_clients);
		client_close(c);
		return;
	}
	log_debug("rtr: %s: connected on %s", name, l->name);
	c->connected_at = c->progress_at = now;
	uv_tcp_nodelay(&c->tcp, 1);
	uv_tcp_keepalive(&c->tcp, 1, KEEPALIVE_S);
	client_resume(c);
}

/* Accepts every pending connection on a readable listener. */
static void
server_accepted(uv_poll_t *poll, int status, int events)
{
	struct listener *l = poll->data;
	int fd;

	(void)events;
	if (status < 0) {
		accept_failed(l, -status);
		return;
	}
	for (;;) {
		fd = accept4(l->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd >= 0) {
			client_start(l, fd);
			continue;
		}
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return;
		if (errno == EINTR || errno == ECONNABORTED)
			continue;
		accept_failed(l, errno);
		if (errno == EMFILE || errno == ENFILE)
			shed_connection(l);
		return;
	}
}

/*
 * Whether the router took bytes from the kernel's send queue since the
 * last sweep. A uv_write completes only when a whole chunk is in that
 * queue, which the kernel grows to megabytes: a router reading slowly but
 * steadily may take longer than the timeout to drain one.
 */
static bool
client_drained(struct client *c)
{
#ifdef SIOCOUTQ
	uv_os_fd_t fd;
	int queued;

	if (uv_fileno((uv_handle_t *)&c->tcp, &fd) != 0 ||
	    ioctl(fd, SIOCOUTQ, &queued) != 0)
		return false;
	if (queued < c->sent_queue) {
		c->sent_queue = queued;
		return true;
	}
	c->sent_queue = queued;
#else
	(void)c;
#endif
	return false;
}

/* Applies the two timeouts to every connection. */
static void
server_sweep(uv_timer_t *t)
{
	struct server *srv = t->data;
	uint64_t now = uv_now(srv->loop);
	struct client *c, *next;

	for (c = srv->clients; c != NULL; c = next) {
		next = c->next;
		if (c->closing)
			continue;
		if (c->qlen > 0 && client_drained(c))
			c->progress_at = now;
		if (c->qlen > 0 &&
		    now - c->progress_at >= srv->cfg.write_timeout_ms) {
			log_warnx("rtr: %s: not reading for %llu s; closing",
				  c->session.name,
				  (unsigned long long)(now - c->progress_at) /
				      1000);
			client_close(c);
		} else if (!c->session.answered && c->qlen == 0 &&
			   now - c->connected_at >= srv->cfg.hello_timeout_ms) {
			log_warnx("rtr: %s: no query within %llu s; closing",
				  c->session.name,
				  (unsigned long long)
					  srv->cfg.hello_timeout_ms /
				      1000);
			client_close(c);
		}
	}
}

struct server *
server_new(uv_loop_t *loop, struct history *h, const struct server_config *cfg)
{
	struct server *srv;

	if ((srv = calloc(1, sizeof(*srv))) == NULL)
		return NULL;
	srv->loop = loop;
	srv->h = h;
	srv->cfg = *cfg;
	srv->reserve_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	uv_timer_init(loop, &srv->sweep);
	uv_timer_init(loop, &srv->notify_timer);
	srv->sweep.data = srv->notify_timer.data = srv;
	uv_timer_start(&srv->sweep, server_sweep, SWEEP_MS, SWEEP_MS);
	/* Keep the loop from waiting on the sweep alone. */
	uv_unref((uv_handle_t *)&srv->sweep);
	return srv;
}

/* A non-blocking listening socket bound to ss; -1 with errno set. */
static int
listen_socket(const struct sockaddr_storage *ss)
{
	int fd, on = 1;
	socklen_t len = ss->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6)
						  : sizeof(struct sockaddr_in);

	fd = socket(ss->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    0);
	if (fd == -1)
		return -1;
	/* [::] serves IPv6 only, so 0.0.0.0 can have the same port. */
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == -1 ||
	    (ss->ss_family == AF_INET6 &&
	     setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on)) ==
		 -1) ||
	    bind(fd, (const struct sockaddr *)ss, len) == -1 ||
	    listen(fd, SOMAXCONN) == -1) {
		int saved = errno;

		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

bool
server_listen(struct server *srv, const char *addrport)
{
	struct sockaddr_storage ss, bound;
	socklen_t len = sizeof(bound);
	struct listener *l;
	char why[200];
	int fd;

	if (srv->num_listeners == MAX_LISTENERS) {
		log_warnx("rtr: %s: at most %d listeners", addrport,
			  MAX_LISTENERS);
		return false;
	}
	if (!addrport_parse(addrport, &ss, why, sizeof(why))) {
		log_warnx("rtr: cannot listen on %s: %s", addrport, why);
		return false;
	}
	if ((fd = listen_socket(&ss)) == -1) {
		log_warn("rtr: listen on %s", addrport);
		return false;
	}
	if ((l = calloc(1, sizeof(*l))) == NULL) {
		log_warn("rtr: %s", addrport);
		close(fd);
		return false;
	}
	l->srv = srv;
	l->fd = fd;
	l->poll.data = l;
	if (getsockname(fd, (struct sockaddr *)&bound, &len) == 0)
		addr_name(&bound, l->name, sizeof(l->name));
	else
		snprintf(l->name, sizeof(l->name), "%s", addrport);
	if (uv_poll_init_socket(srv->loop, &l->poll, fd) != 0) {
		log_warnx("rtr: listen on %s: cannot poll", addrport);
		close(fd);
		free(l);
		return false;
	}
	srv->listeners[srv->num_listeners++] = l;
	uv_poll_start(&l->poll, UV_READABLE, server_accepted);
	log_info("rtr: listening on %s", l->name);
	return true;
}

/* Notifies every router with a session; how many were told. */
static size_t
server_notify_now(struct server *srv)
{
	struct client *c;
	size_t told = 0;

	for (c = srv->clients; c != NULL; c = c->next) {
		struct session_io io = {client_send, c};
		size_t before = c->qlen;

		if (c->closing || c->close_when_flushed)
			continue;
		if (!session_notify(&c->session, srv->h, &io))
			log_warn("rtr: %s: serial notify", c->session.name);
		told += c->qlen > before;
		client_flush(c);
	}
	/* The once-a-minute limit is about what routers receive. */
	if (told > 0) {
		srv->last_notify = uv_now(srv->loop);
		srv->notified_once = true;
	}
	log_debug("rtr: serial %u: Serial Notify to %zu routers",
		  history_serial(srv->h), told);
	return told;
}

static void
server_notify_later(uv_timer_t *t)
{
	struct server *srv = t->data;

	srv->notify_scheduled = false;
	(void)server_notify_now(srv);
}

void
server_notify(struct server *srv)
{
	uint64_t now = uv_now(srv->loop), due;

	if (srv->closing || srv->notify_scheduled)
		return;
	due = srv->last_notify + NOTIFY_INTERVAL_MS;
	if (!srv->notified_once || now >= due) {
		(void)server_notify_now(srv);
		return;
	}
	log_info("rtr: next Serial Notify in %llu s (one a minute at most)",
		 (unsigned long long)(due - now + 999) / 1000);
	srv->notify_scheduled = true;
	uv_timer_start(&srv->notify_timer, server_notify_later, due - now, 0);
}

void
server_describe(const struct server *srv, FILE *fp)
{
	const struct client *c;

	for (c = srv->clients; c != NULL; c = c->next) {
		if (c->closing)
			continue;
		if (c->session.answered)
			fprintf(fp, "  %s version %d, serial %u\n",
				c->session.name, c->session.version,
				c->session.serial);
		else
			fprintf(fp, "  %s (no data sent yet)\n",
				c->session.name);
	}
}

size_t
server_clients(const struct server *srv)
{
	return srv->num_clients;
}

void
server_close(struct server *srv)
{
	struct client *c, *next;
	size_t i;

	srv->closing = true;
	srv->open_handles = 2 + srv->num_listeners + srv->num_clients;
	for (c = srv->clients; c != NULL; c = next) {
		next = c->next;
		if (c->closing)
			continue; /* its close callback is on its way */
		client_close(c);
	}
	for (i = 0; i < srv->num_listeners; i++)
		uv_close((uv_handle_t *)&srv->listeners[i]->poll,
			 listener_closed);
	if (srv->reserve_fd >= 0)
		close(srv->reserve_fd);
	uv_close((uv_handle_t *)&srv->sweep, timer_closed);
	uv_close((uv_handle_t *)&srv->notify_timer, timer_closed);
}
