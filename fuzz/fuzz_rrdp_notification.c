/*
 * Fuzzes the RRDP notification parser (rp/rrdp.c), and what vrpd asks of
 * a parsed notification: a delta by serial, and whether its URIs share
 * the notification's origin.
 */
#include "config.h"

#include <stdlib.h>

#include "rp/rrdp.h"

#include "util.h"

#define URI "https://fuzz.example/rrdp/notification.xml"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rrdp_notification *n;
	size_t i;

	fuzz_quiet();
	if ((n = rrdp_notification_parse(URI, data, size)) == NULL)
		return 0;
	(void)rrdp_same_origin(URI, n->snapshot_uri);
	for (i = 0; i < n->num_deltas; i++) {
		if (rrdp_notification_delta(n, n->deltas[i].serial) == NULL)
			abort(); /* a listed delta must be found */
		(void)rrdp_same_origin(n->snapshot_uri, n->deltas[i].uri);
	}
	(void)rrdp_notification_delta(n, n->serial + 1);
	rrdp_notification_free(n);
	return 0;
}
