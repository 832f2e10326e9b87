/*
 * Fuzzes the route validity query of the HTTP API (rp/validity.c), as
 * httpd.c answers /api/v1/validity/ASN/PREFIX: the ASN and the prefix as
 * the client wrote them (the input up to its first '/', and the rest),
 * parsed and then checked against a small set.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "rp/validity.h"
#include "rp/vrpset.h"

#include "util.h"

/* VRPs of both families, nested, so a route can match or be covered. */
static struct vrpset *
set_new(void)
{
	static const struct vrp vrps[] = {
	    {{192, 0, 2}, 64496, 4, 24, 24, 0},
	    {{192, 0}, 64497, 4, 16, 32, 0},
	    {{0}, 0, 4, 0, 8, 0},
	    {{0x20, 0x01, 0x0d, 0xb8}, 64496, 6, 32, 48, 0},
	    {{0x20, 0x01, 0x0d, 0xb8, 0, 1}, 64498, 6, 48, 128, 0},
	};
	struct vrpset *s;
	size_t i;

	if ((s = vrpset_new()) == NULL || vrpset_add_ta(s, "fuzz") != 0)
		abort();
	for (i = 0; i < sizeof(vrps) / sizeof(vrps[0]); i++)
		if (!vrpset_add_vrp(s, &vrps[i]))
			abort();
	if (!vrpset_finish(s))
		abort();
	return s;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vrpset *set;
	char *asn = fuzz_cstr(data, size), *prefix, err[256];
	struct validity_result r;
	struct vrp route;
	uint32_t as;

	fuzz_quiet();
	if (set == NULL)
		set = set_new();
	/* The API's path: ASN, then the prefix with its own '/'. */
	if ((prefix = strchr(asn, '/')) != NULL)
		*prefix++ = '\0';
	else
		prefix = asn + strlen(asn);
	if (validity_parse_route(asn, prefix, &as, &route, err, sizeof(err))) {
		if (!validity_check(set, as, &route, &r))
			abort(); /* a parsed route is one the check takes */
		if (r.num_matched > 0 && r.state != VALIDITY_VALID)
			abort();
		validity_result_free(&r);
	}
	free(asn);
	return 0;
}
