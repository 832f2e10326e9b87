/*
 * The history of published serials. Only the current payload is kept
 * whole; older serials are kept as the deltas between them, which are
 * small, and folded on demand into the one delta a client needs. Every
 * response is encoded at most once per serial and version and handed out
 * as a refcounted buffer.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "history.h"
#include "pdu.h"

#define NUM_VERSIONS (RTR_VERSION_MAX + 1)

struct history {
	uint16_t session_id;
	uint32_t serial;
	struct rtr_timers timers;
	struct payload *current;
	/* deltas[i] leads to serial - (num_deltas - 1 - i): newest last. */
	struct delta **deltas;
	size_t num_deltas, max;
	struct rtrbuf *full[NUM_VERSIONS];
	/* since[v][k]: the response to a Serial Query k serials back. */
	struct rtrbuf **since[NUM_VERSIONS];
	struct rtrbuf *notify[NUM_VERSIONS];
};

struct history *
history_new(uint16_t session_id, uint32_t first_serial, size_t max,
	    const struct rtr_timers *timers)
{
	struct history *h;
	size_t v;

	if (max < 1 || max > RTR_MAX_HISTORY) {
		errno = EINVAL;
		return NULL;
	}
	if ((h = calloc(1, sizeof(*h))) == NULL)
		return NULL;
	h->session_id = session_id;
	h->serial = first_serial;
	h->timers = *timers;
	h->max = max;
	if ((h->deltas = calloc(max, sizeof(*h->deltas))) == NULL)
		goto fail;
	for (v = 0; v < NUM_VERSIONS; v++) {
		h->since[v] = calloc(max + 1, sizeof(*h->since[v]));
		if (h->since[v] == NULL)
			goto fail;
	}
	return h;
fail:
	history_free(h);
	return NULL;
}

/* Drops every encoded response: they all name the old serial. */
static void
history_drop_buffers(struct history *h)
{
	size_t v, k;

	for (v = 0; v < NUM_VERSIONS; v++) {
		rtrbuf_unref(h->full[v]);
		rtrbuf_unref(h->notify[v]);
		h->full[v] = h->notify[v] = NULL;
		for (k = 0; h->since[v] != NULL && k <= h->max; k++) {
			rtrbuf_unref(h->since[v][k]);
			h->since[v][k] = NULL;
		}
	}
}

int
history_publish(struct history *h, struct payload *p)
{
	struct delta *d;

	if (h->current == NULL) {
		h->current = p;
		return 1;
	}
	if (payload_equal(h->current, p)) {
		payload_free(p);
		return 0;
	}
	/* RFC 1982: the serial wraps from 2^32 - 1 to 0. */
	if ((d = delta_diff(h->current, p, h->serial + 1)) == NULL) {
		payload_free(p);
		return -1;
	}
	if (h->num_deltas == h->max) {
		delta_free(h->deltas[0]);
		memmove(h->deltas, h->deltas + 1,
			(h->max - 1) * sizeof(*h->deltas));
		h->num_deltas--;
	}
	h->deltas[h->num_deltas++] = d;
	payload_free(h->current);
	h->current = p;
	h->serial++;
	history_drop_buffers(h);
	return 1;
}

void
history_set_first_serial(struct history *h, uint32_t serial)
{
	if (h->current == NULL)
		h->serial = serial;
}

bool
history_has_data(const struct history *h)
{
	return h->current != NULL;
}

uint16_t
history_session_id(const struct history *h, uint8_t version)
{
	return (uint16_t)(h->session_id + version);
}

uint32_t
history_serial(const struct history *h)
{
	return h->serial;
}

const struct payload *
history_current(const struct history *h)
{
	return h->current;
}

/* What one response will hold, to size its buffer exactly. */
struct response_size {
	size_t bytes, pdus;
};

static void
count_prefix(struct response_size *s, const struct vrp *v)
{
	s->bytes += v->afi == 4 ? RTR_LEN_IPV4_PREFIX : RTR_LEN_IPV6_PREFIX;
	s->pdus++;
}

static void
count_key(struct response_size *s, uint8_t version, const struct router_key *k)
{
	if (version < RTR_ROUTER_KEY_MIN_VERSION)
		return;
	s->bytes += RTR_LEN_ROUTER_KEY_MIN + k->spki_len;
	s->pdus++;
}

static void
count_aspa(struct response_size *s, uint8_t version, const struct vap *a)
{
	if (version < RTR_ASPA_MIN_VERSION)
		return;
	s->bytes += RTR_LEN_ASPA_MIN + (a == NULL ? 0 : a->num_providers * 4);
	s->pdus++;
}

/* The writer of one response into a buffer sized beforehand. */
struct encoder {
	struct rtrbuf *buf;
	uint8_t version;
	bool ok;
};

static void
put(struct encoder *e, size_t n)
{
	if (n == 0) {
		e->ok = false;
		return;
	}
	e->buf->len += n;
	e->buf->pdus++;
}

static unsigned char *
room(struct encoder *e, size_t *size)
{
	*size = e->buf->cap - e->buf->len;
	return e->buf->data + e->buf->len;
}

static void
emit_prefix(struct encoder *e, const struct vrp *v, bool announce)
{
	uint8_t flags = announce ? RTR_FLAG_ANNOUNCE : RTR_FLAG_WITHDRAW;
	unsigned char *p;
	size_t size;

	p = room(e, &size);
	if (v->afi == 4)
		put(e,
		    pdu_encode_ipv4_prefix(p, size, e->version, flags,
					   v->prefixlen, v->maxlen, v->addr,
					   v->asn));
	else
		put(e,
		    pdu_encode_ipv6_prefix(p, size, e->version, flags,
					   v->prefixlen, v->maxlen, v->addr,
					   v->asn));
}

static void
emit_key(struct encoder *e, const struct router_key *k, bool announce)
{
	unsigned char *p;
	size_t size;

	if (e->version < RTR_ROUTER_KEY_MIN_VERSION)
		return;
	p = room(e, &size);
	put(e,
	    pdu_encode_router_key(p, size, e->version,
				  announce ? RTR_FLAG_ANNOUNCE
					   : RTR_FLAG_WITHDRAW,
				  k->ski, k->asn, k->spki, k->spki_len));
}

/* An ASPA announcement carries the providers; a withdrawal none. */
static void
emit_aspa(struct encoder *e, uint32_t customer, const struct vap *a)
{
	unsigned char *p;
	size_t size;

	if (e->version < RTR_ASPA_MIN_VERSION)
		return;
	p = room(e, &size);
	if (a != NULL)
		put(e,
		    pdu_encode_aspa(p, size, e->version, RTR_FLAG_ANNOUNCE,
				    customer, a->providers, a->num_providers));
	else
		put(e,
		    pdu_encode_aspa(p, size, e->version, RTR_FLAG_WITHDRAW,
				    customer, NULL, 0));
}

/* Starts a response of size s: the Cache Response PDU. */
static bool
encoder_begin(struct encoder *e, const struct history *h, uint8_t version,
	      const struct response_size *s)
{
	unsigned char *p;
	size_t size;

	e->version = version;
	e->ok = true;
	if ((e->buf = rtrbuf_new(s->bytes + RTR_LEN_CACHE_RESPONSE +
				 RTR_LEN_END_OF_DATA_V1)) == NULL)
		return false;
	p = room(e, &size);
	put(e,
	    pdu_encode_cache_response(p, size, version,
				      history_session_id(h, version)));
	return e->ok;
}

/* Ends the response with End of Data; the buffer, or NULL on failure. */
static struct rtrbuf *
encoder_end(struct encoder *e, const struct history *h)
{
	unsigned char *p;
	size_t size;

	p = room(e, &size);
	put(e,
	    pdu_encode_end_of_data(p, size, e->version,
				   history_session_id(h, e->version), h->serial,
				   h->timers.refresh, h->timers.retry,
				   h->timers.expire));
	if (!e->ok) {
		/* Sizing and encoding disagree: a bug, not bad input. */
		rtrbuf_unref(e->buf);
		errno = EINVAL;
		return NULL;
	}
	e->buf->pdus -= 2; /* count payload PDUs only */
	return e->buf;
}

/* The end of the IPv4 run in prefixes sorted IPv4 first. */
static size_t
v4_end(const struct vrp *v, size_t n, size_t stride)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (((const struct vrp *)((const char *)v + mid * stride))
			->afi == 4)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * 8210bis s.11.2: by PDU type (IPv4, IPv6, Router Key, ASPA); within one,
 * announcements first, prefixes among them descending, everything else
 * ascending. A full set is all announcements.
 */
static struct rtrbuf *
encode_full(const struct history *h, uint8_t version)
{
	const struct payload *p = h->current;
	struct response_size s = {0, 0};
	size_t i, n4;
	struct encoder e;

	for (i = 0; i < p->num_prefixes; i++)
		count_prefix(&s, &p->prefixes[i]);
	for (i = 0; i < p->num_keys; i++)
		count_key(&s, version, &p->keys[i]);
	for (i = 0; i < p->num_aspas; i++)
		count_aspa(&s, version, &p->aspas[i]);
	if (!encoder_begin(&e, h, version, &s))
		return NULL;
	n4 = v4_end(p->prefixes, p->num_prefixes, sizeof(*p->prefixes));
	for (i = n4; i > 0; i--)
		emit_prefix(&e, &p->prefixes[i - 1], true);
	for (i = p->num_prefixes; i > n4; i--)
		emit_prefix(&e, &p->prefixes[i - 1], true);
	for (i = 0; i < p->num_keys; i++)
		emit_key(&e, &p->keys[i], true);
	for (i = 0; i < p->num_aspas; i++)
		emit_aspa(&e, p->aspas[i].customer, &p->aspas[i]);
	return encoder_end(&e, h);
}

/* One family's changes [lo, hi): announcements descending, withdrawals up. */
static void
emit_prefix_changes(struct encoder *e, const struct prefix_change *c, size_t lo,
		    size_t hi)
{
	size_t i;

	for (i = hi; i > lo; i--) {
		if (c[i - 1].announce)
			emit_prefix(e, &c[i - 1].vrp, true);
	}
	for (i = lo; i < hi; i++) {
		if (!c[i].announce)
			emit_prefix(e, &c[i].vrp, false);
	}
}

static struct rtrbuf *
encode_delta(const struct history *h, uint8_t version, const struct delta *d)
{
	struct response_size s = {0, 0};
	const struct aspa_change *a;
	struct encoder e;
	size_t i, n4;
	int pass;

	for (i = 0; i < d->num_prefixes; i++)
		count_prefix(&s, &d->prefixes[i].vrp);
	for (i = 0; i < d->num_keys; i++)
		count_key(&s, version, &d->keys[i].key);
	for (i = 0; i < d->num_aspas; i++) {
		a = &d->aspas[i];
		count_aspa(&s, version, a->has_after ? &a->after : NULL);
	}
	if (!encoder_begin(&e, h, version, &s))
		return NULL;
	n4 = d->num_prefixes == 0 ? 0
				  : v4_end(&d->prefixes[0].vrp, d->num_prefixes,
					   sizeof(*d->prefixes));
	emit_prefix_changes(&e, d->prefixes, 0, n4);
	emit_prefix_changes(&e, d->prefixes, n4, d->num_prefixes);
	for (pass = 1; pass >= 0; pass--) {
		for (i = 0; i < d->num_keys; i++) {
			if (d->keys[i].announce == pass)
				emit_key(&e, &d->keys[i].key, pass);
		}
	}
	for (pass = 1; pass >= 0; pass--) {
		for (i = 0; i < d->num_aspas; i++) {
			a = &d->aspas[i];
			if (a->has_after == pass)
				emit_aspa(&e, a->customer,
					  pass ? &a->after : NULL);
		}
	}
	return encoder_end(&e, h);
}

enum history_answer
history_reset(struct history *h, uint8_t version, struct rtrbuf **out)
{
	if (h->current == NULL)
		return HISTORY_NO_DATA;
	if (version > RTR_VERSION_MAX)
		return HISTORY_ENOMEM;
	if (h->full[version] == NULL &&
	    (h->full[version] = encode_full(h, version)) == NULL)
		return HISTORY_ENOMEM;
	*out = rtrbuf_ref(h->full[version]);
	return HISTORY_RESPONSE;
}

enum history_answer
history_serial_query(struct history *h, uint8_t version, uint32_t serial,
		     struct rtrbuf **out)
{
	struct delta *d;
	uint32_t back;
	size_t k;

	if (h->current == NULL)
		return HISTORY_NO_DATA;
	if (version > RTR_VERSION_MAX)
		return HISTORY_ENOMEM;
	/*
	 * Only serials this cache published and still has deltas for are
	 * answered with data; anything else, including a serial ahead of
	 * ours or one RFC 1982 leaves undefined, gets Cache Reset.
	 */
	back = h->serial - serial;
	if (back > h->num_deltas)
		return HISTORY_CACHE_RESET;
	k = back;
	if (h->since[version][k] == NULL) {
		/* k = 0: the client is current; it gets an empty delta. */
		d = delta_fold(h->deltas + h->num_deltas - k, k);
		if (d == NULL)
			return HISTORY_ENOMEM;
		h->since[version][k] = encode_delta(h, version, d);
		delta_free(d);
		if (h->since[version][k] == NULL)
			return HISTORY_ENOMEM;
	}
	*out = rtrbuf_ref(h->since[version][k]);
	return HISTORY_RESPONSE;
}

struct rtrbuf *
history_notify(struct history *h, uint8_t version)
{
	struct rtrbuf *b;

	if (version > RTR_VERSION_MAX || h->current == NULL)
		return NULL;
	if (h->notify[version] == NULL) {
		if ((b = rtrbuf_new(RTR_HEADER_LEN + 4)) == NULL)
			return NULL;
		b->len =
		    pdu_encode_serial_notify(b->data, b->cap, version,
					     history_session_id(h, version),
					     h->serial);
		b->pdus = 1;
		h->notify[version] = b;
	}
	return rtrbuf_ref(h->notify[version]);
}

void
history_free(struct history *h)
{
	size_t i, v;

	if (h == NULL)
		return;
	history_drop_buffers(h);
	for (v = 0; v < NUM_VERSIONS; v++)
		free(h->since[v]);
	for (i = 0; i < h->num_deltas; i++)
		delta_free(h->deltas[i]);
	free(h->deltas);
	payload_free(h->current);
	free(h);
}
