/*
 * The RTR session state machine: framing, version negotiation, queries
 * and errors, per RFC 8210 and draft-ietf-sidrops-8210bis (-27). Sessions
 * never block and never copy a response: they hand out references to the
 * history's shared buffers.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rp/log.h"

#include "pdu.h"
#include "session.h"

/* Error Report text is for the operator at the other end; keep it short. */
#define SESSION_ERROR_TEXT 160

void
session_init(struct session *s, const char *name)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->name, sizeof(s->name), "%s", name);
	s->version = -1;
}

void
session_free(struct session *s)
{
	free(s->in.data);
	memset(&s->in, 0, sizeof(s->in));
}

bool
session_pending(const struct session *s)
{
	return s->in.len > 0;
}

/*
 * 8210bis s.12: every error but No Data Available, Unsupported Protocol
 * Version and Cache Restart ends the session. RFC 8210 s.12 also counts
 * code 4 as fatal; closing after it suits both, as the router reconnects
 * with the version we named.
 */
static bool
error_fatal(uint16_t code)
{
	return code != RTR_ERR_NO_DATA_AVAILABLE;
}

/* Whether a router's Error Report code means it is dropping the session. */
static bool
received_error_fatal(uint16_t code)
{
	return code != RTR_ERR_NO_DATA_AVAILABLE &&
	    code != RTR_ERR_UNSUPPORTED_VERSION &&
	    code != RTR_ERR_CACHE_RESTART;
}

static void
send_buf(const struct session_io *io, struct rtrbuf *buf)
{
	io->send(io->ctx, buf);
}

/*
 * Sends an Error Report quoting the offending PDU (at most pdu_len bytes
 * of it) and logs it; returns whether the session goes on.
 */
static enum session_result report(struct session *s,
				  const struct session_io *io, uint8_t version,
				  uint16_t code, const unsigned char *pdu,
				  size_t pdu_len, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

static enum session_result
report(struct session *s, const struct session_io *io, uint8_t version,
       uint16_t code, const unsigned char *pdu, size_t pdu_len, const char *fmt,
       ...)
{
	char text[SESSION_ERROR_TEXT];
	struct rtrbuf *buf;
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (code == RTR_ERR_NO_DATA_AVAILABLE)
		log_info("rtr: %s: %s", s->name, text);
	else
		log_warnx("rtr: %s: %s (Error Report %u, closing)", s->name,
			  text, code);
	if (pdu_len > RTR_PDU_MAX_LEN / 2)
		pdu_len = 0; /* corrupt length: quoting it would mislead */
	if ((buf = rtrbuf_new(RTR_HEADER_LEN + 8 + pdu_len + strlen(text))) !=
	    NULL) {
		n = pdu_encode_error_report(buf->data, buf->cap, version, code,
					    pdu, pdu_len, text, strlen(text));
		if (n > 0) {
			buf->len = n;
			buf->pdus = 1;
			send_buf(io, buf);
		} else {
			rtrbuf_unref(buf);
		}
	}
	if (error_fatal(code)) {
		s->closing = true;
		return SESSION_CLOSE;
	}
	return SESSION_CONTINUE;
}

static enum session_result
send_cache_reset(struct session *s, const struct session_io *io)
{
	struct rtrbuf *buf;

	if ((buf = rtrbuf_new(RTR_HEADER_LEN)) == NULL)
		return report(s, io, (uint8_t)s->version,
			      RTR_ERR_INTERNAL_ERROR, NULL, 0, "out of memory");
	buf->len =
	    pdu_encode_cache_reset(buf->data, buf->cap, (uint8_t)s->version);
	buf->pdus = 1;
	send_buf(io, buf);
	s->answered = true;
	return SESSION_CONTINUE;
}

static enum session_result
answer(struct session *s, struct history *h, const struct session_io *io,
       enum history_answer a, struct rtrbuf *buf, const unsigned char *pdu,
       size_t pdu_len, const char *what)
{
	uint8_t v = (uint8_t)s->version;

	switch (a) {
	case HISTORY_RESPONSE:
		log_debug("rtr: %s: %s: serial %u (%zu PDUs)", s->name, what,
			  history_serial(h), buf->pdus);
		send_buf(io, buf);
		s->answered = true;
		s->serial = history_serial(h);
		return SESSION_CONTINUE;
	case HISTORY_CACHE_RESET:
		log_debug("rtr: %s: %s: cache reset", s->name, what);
		return send_cache_reset(s, io);
	case HISTORY_NO_DATA:
		return report(s, io, v, RTR_ERR_NO_DATA_AVAILABLE, pdu, pdu_len,
			      "%s: no data yet", what);
	case HISTORY_ENOMEM:
		break;
	}
	return report(s, io, v, RTR_ERR_INTERNAL_ERROR, pdu, pdu_len,
		      "%s: out of memory", what);
}

static enum session_result
serial_query(struct session *s, struct history *h, const struct session_io *io,
	     const struct rtr_pdu *q, const unsigned char *pdu)
{
	struct rtrbuf *buf = NULL;
	enum history_answer a;
	char what[48];

	snprintf(what, sizeof(what), "serial query %u", q->u.serial.serial);
	/*
	 * 8210bis s.5.3: another session's id on a fresh connection means
	 * the router knew an earlier cache: Cache Reset. Within a session
	 * that already has our id it is corruption (s.5.1): Error 0.
	 */
	if (history_has_data(h) &&
	    q->u.serial.session_id != history_session_id(h, q->version)) {
		if (!s->answered) {
			log_debug("rtr: %s: %s: session id %u is not ours (%u)",
				  s->name, what, q->u.serial.session_id,
				  history_session_id(h, q->version));
			return send_cache_reset(s, io);
		}
		return report(s, io, (uint8_t)s->version, RTR_ERR_CORRUPT_DATA,
			      pdu, q->length, "%s: session id %u, ours is %u",
			      what, q->u.serial.session_id,
			      history_session_id(h, q->version));
	}
	a = history_serial_query(h, (uint8_t)s->version, q->u.serial.serial,
				 &buf);
	if (a == HISTORY_RESPONSE)
		snprintf(what, sizeof(what), "serial query %u: delta",
			 q->u.serial.serial);
	return answer(s, h, io, a, buf, pdu, q->length, what);
}

/* A PDU only a cache sends, or a router-to-cache PDU we do not know. */
static enum session_result
unexpected(struct session *s, const struct session_io *io,
	   const struct rtr_pdu *q, const unsigned char *pdu)
{
	return report(s, io, (uint8_t)s->version, RTR_ERR_INVALID_REQUEST, pdu,
		      q->length, "PDU type %u is not a query", q->type);
}

static enum session_result
received_error(struct session *s, const struct rtr_pdu *q)
{
	char text[SESSION_ERROR_TEXT];
	size_t i, n = q->u.error_report.text_len;

	/* The router's text goes into our log: printable ASCII only. */
	if (n > sizeof(text) - 1)
		n = sizeof(text) - 1;
	for (i = 0; i < n; i++) {
		unsigned char c = q->u.error_report.text[i];

		text[i] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	text[n] = '\0';
	/* 8210bis s.5.8: never answer an Error Report with another. */
	log_warnx("rtr: %s: router reports error %u: %s", s->name,
		  q->u.error_report.code, text);
	if (received_error_fatal(q->u.error_report.code)) {
		s->closing = true;
		return SESSION_CLOSE;
	}
	return SESSION_CONTINUE;
}

/* Answers one whole PDU at pdu (len bytes, already decoded into q). */
static enum session_result
dispatch(struct session *s, struct history *h, const struct session_io *io,
	 const struct rtr_pdu *q, const unsigned char *pdu)
{
	struct rtrbuf *buf = NULL;
	enum history_answer a;

	switch (q->type) {
	case RTR_PDU_RESET_QUERY:
		a = history_reset(h, (uint8_t)s->version, &buf);
		return answer(s, h, io, a, buf, pdu, q->length,
			      "reset query: full set");
	case RTR_PDU_SERIAL_QUERY:
		return serial_query(s, h, io, q, pdu);
	case RTR_PDU_ERROR_REPORT:
		return received_error(s, q);
	default:
		return unexpected(s, io, q, pdu);
	}
}

/*
 * Fixes the session's version from its first PDU (8210bis s.7): a version
 * we offer is taken as is; a higher one gets Error 4 in our highest.
 * Later PDUs must carry the same version (Error 8; v0 has no code 8).
 */
static enum session_result
check_version(struct session *s, const struct session_config *cfg,
	      const struct session_io *io, const unsigned char *pdu, size_t len,
	      bool *ok)
{
	uint8_t v = pdu[0];
	bool is_error = pdu[1] == RTR_PDU_ERROR_REPORT;

	*ok = false;
	if (s->version < 0) {
		if (v <= cfg->max_version) {
			s->version = v;
			*ok = true;
			return SESSION_CONTINUE;
		}
		if (is_error) {
			s->closing = true;
			return SESSION_CLOSE;
		}
		return report(s, io, cfg->max_version,
			      RTR_ERR_UNSUPPORTED_VERSION, pdu, len,
			      "version %u not supported, %u is the highest", v,
			      cfg->max_version);
	}
	if (v == s->version) {
		*ok = true;
		return SESSION_CONTINUE;
	}
	if (is_error) {
		s->closing = true;
		log_warnx("rtr: %s: Error Report in version %u, session is "
			  "version %d; closing",
			  s->name, v, s->version);
		return SESSION_CLOSE;
	}
	return report(s, io, (uint8_t)s->version,
		      s->version == 0 ? RTR_ERR_CORRUPT_DATA
				      : RTR_ERR_UNEXPECTED_VERSION,
		      pdu, len, "version %u in a version %d session", v,
		      s->version);
}

static uint32_t
header_length(const unsigned char *p)
{
	return ((uint32_t)p[4] << 24) | ((uint32_t)p[5] << 16) |
	    ((uint32_t)p[6] << 8) | (uint32_t)p[7];
}

/*
 * Answers the PDU at the start of buf (avail bytes) if it is whole; sets
 * *used to its length, or 0 when more bytes are needed.
 */
static enum session_result
one_pdu(struct session *s, struct history *h, const struct session_config *cfg,
	const unsigned char *buf, size_t avail, const struct session_io *io,
	size_t *used)
{
	enum session_result r;
	struct rtr_pdu q;
	uint32_t len;
	size_t consumed;
	bool ok;

	*used = 0;
	if (avail < RTR_HEADER_LEN)
		return SESSION_CONTINUE;
	len = header_length(buf);
	r = check_version(s, cfg, io, buf, avail < len ? avail : len, &ok);
	if (!ok)
		return r;
	if (len < RTR_HEADER_LEN || len > cfg->max_pdu) {
		if (buf[1] == RTR_PDU_ERROR_REPORT) {
			s->closing = true;
			log_warnx("rtr: %s: Error Report of length %u; closing",
				  s->name, len);
			return SESSION_CLOSE;
		}
		return report(s, io, (uint8_t)s->version, RTR_ERR_CORRUPT_DATA,
			      buf, RTR_HEADER_LEN,
			      "PDU type %u of length %u (limit %zu)", buf[1],
			      len, cfg->max_pdu);
	}
	if (avail < len)
		return SESSION_CONTINUE;
	*used = len;
	switch (pdu_decode(buf, len, &q, &consumed)) {
	case PDU_OK:
		return dispatch(s, h, io, &q, buf);
	case PDU_NEED_MORE: /* cannot happen: the whole PDU is here */
	case PDU_BAD:
		break;
	}
	if (buf[1] == RTR_PDU_ERROR_REPORT) {
		s->closing = true;
		log_warnx("rtr: %s: malformed Error Report; closing", s->name);
		return SESSION_CLOSE;
	}
	return report(s, io, (uint8_t)s->version, q.error, buf, len,
		      "malformed PDU type %u", buf[1]);
}

enum session_result
session_input(struct session *s, struct history *h,
	      const struct session_config *cfg, const unsigned char *data,
	      size_t len, const struct session_io *io)
{
	enum session_result r = SESSION_CONTINUE;
	const unsigned char *p;
	size_t avail, used;

	if (s->closing)
		return SESSION_CLOSE;
	/* Whole PDUs straight from the caller's bytes when nothing waits. */
	while (s->in.len == 0 && len > 0) {
		r = one_pdu(s, h, cfg, data, len, io, &used);
		if (r == SESSION_CLOSE)
			return r;
		if (used == 0)
			break;
		data += used;
		len -= used;
	}
	if (len == 0)
		return r;
	/*
	 * A partial PDU: keep it. It is at most cfg->max_pdu long (one_pdu
	 * rejects longer ones from their header), plus one read's worth.
	 */
	if (!rtrbuf_reserve(&s->in, len))
		return report(s, io,
			      s->version < 0 ? cfg->max_version
					     : (uint8_t)s->version,
			      RTR_ERR_INTERNAL_ERROR, NULL, 0, "out of memory");
	memcpy(s->in.data + s->in.len, data, len);
	s->in.len += len;
	p = s->in.data;
	avail = s->in.len;
	for (;;) {
		r = one_pdu(s, h, cfg, p, avail, io, &used);
		if (r == SESSION_CLOSE || used == 0)
			break;
		p += used;
		avail -= used;
	}
	memmove(s->in.data, p, avail);
	s->in.len = avail;
	return r;
}

bool
session_notify(struct session *s, struct history *h,
	       const struct session_io *io)
{
	struct rtrbuf *buf;

	/* 8210bis s.7: no Serial Notify before the version is settled. */
	if (!s->answered || s->closing || s->version < 0)
		return true;
	if ((buf = history_notify(h, (uint8_t)s->version)) == NULL)
		return false;
	send_buf(io, buf);
	return true;
}
