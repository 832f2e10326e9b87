/*
 * Fuzzes the RTR session state machine (rtr-server/session.c) as a router
 * drives it: the input is what the router sends, cut into reads of sizes
 * drawn from the input, against a cache with VRPs, a router key and an
 * ASPA at serial 8 and a delta from 7. Every byte the cache sends back
 * must decode as whole PDUs.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "rp/vrpset.h"
#include "rtr-server/history.h"
#include "rtr-server/payload.h"
#include "rtr-server/pdu.h"
#include "rtr-server/session.h"

#include "util.h"

/* The session id of version 0; the seeds' Serial Queries carry it. */
#define SID 0x4242

static const struct rtr_timers TIMERS = {3600, 600, 7200};

/* Decodes what the cache sent; a PDU that does not decode is a bug. */
static void
sink_send(void *ctx, struct rtrbuf *buf)
{
	struct rtr_pdu p;
	size_t off, used;

	(void)ctx;
	for (off = 0; off < buf->len; off += used)
		if (pdu_decode(buf->data + off, buf->len - off, &p, &used) !=
		    PDU_OK)
			abort();
	rtrbuf_unref(buf);
}

/* A payload of one TA: one VRP of each family, a key, an ASPA; n varies. */
static struct payload *
payload(uint32_t n)
{
	static const unsigned char spki[91] = {0x30, 0x59};
	static const unsigned char ski[20] = {1, 2, 3};
	const uint32_t providers[] = {65002, 65003 + n};
	struct vrp v4 = {{10, (unsigned char)n}, 65001, 4, 16, 24, 0};
	struct vrp v6 = {{0x20, 0x01, 0x0d, 0xb8}, 65001 + n, 6, 32, 48, 0};
	struct vrpset *s;

	if ((s = vrpset_new()) == NULL || vrpset_add_ta(s, "fuzz") != 0 ||
	    !vrpset_add_vrp(s, &v4) || !vrpset_add_vrp(s, &v6) ||
	    !vrpset_add_key(s, 0, 65001, ski, spki, sizeof(spki)) ||
	    !vrpset_add_vap(s, 0, 65001, providers, 2) || !vrpset_finish(s))
		abort();
	return payload_from_vrpset(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t max_pdu[] = {64, 1024, RTR_PDU_MAX_LEN};
	static const size_t max_chunk[] = {1, 9, 100, SIZE_MAX};
	struct session_io io = {sink_send, NULL};
	struct session_config cfg;
	struct fuzz_rng rng;
	struct history *h;
	struct session s;
	size_t off, n, most;

	fuzz_quiet();
	fuzz_rng_init(&rng, data, size);
	if ((h = history_new(SID, 7, 4, &TIMERS)) == NULL ||
	    history_publish(h, payload(0)) != 1 ||
	    history_publish(h, payload(1)) != 1)
		abort();
	cfg.max_version =
	    (uint8_t)(fuzz_rng_next(&rng, RTR_VERSION_MAX + 1) - 1);
	cfg.max_pdu = max_pdu[fuzz_rng_next(&rng, 3) - 1];
	most = max_chunk[fuzz_rng_next(&rng, 4) - 1];
	session_init(&s, "fuzz");
	for (off = 0; off < size; off += n) {
		n = fuzz_rng_next(&rng, most < size - off ? most : size - off);
		if (session_input(&s, h, &cfg, data + off, n, &io) ==
		    SESSION_CLOSE)
			break;
		/* A new serial may come between any two reads. */
		if (fuzz_rng_next(&rng, 8) == 1) {
			if (history_publish(h, payload((uint32_t)off + 2)) <
				0 ||
			    !session_notify(&s, h, &io))
				abort();
		}
	}
	(void)session_pending(&s);
	session_free(&s);
	history_free(h);
	return 0;
}
