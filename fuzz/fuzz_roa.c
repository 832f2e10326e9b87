/*
 * Fuzzes the ROA parser (rp/roa.c): the whole signed object through
 * roa_parse() as vrpd reads it, and the eContent through roa_decode(),
 * both as found inside the input's CMS envelope (whose signature a mutated
 * input no longer passes) and as the raw input.
 */
#include "config.h"

#include <stdlib.h>

#include "rp/roa.h"

#include "util.h"

#define URI "rsync://fuzz.example/repo/fuzz.roa"

static void
decode(const unsigned char *econtent, size_t len)
{
	struct roa *roa;

	/* Decoded into a zeroed struct, as roa_parse() does after cms_parse().
	 */
	if ((roa = calloc(1, sizeof(*roa))) == NULL)
		abort();
	(void)roa_decode(roa, URI, econtent, len);
	roa_free(roa);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *econtent;
	size_t len;

	fuzz_quiet();
	roa_free(roa_parse(URI, data, size));
	if ((econtent = fuzz_econtent(data, size, &len)) != NULL) {
		decode(econtent, len);
		free(econtent);
	}
	decode(data, size);
	return 0;
}
