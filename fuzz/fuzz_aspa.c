/*
 * Fuzzes the ASPA parser (rp/aspa.c): the whole signed object through
 * aspa_parse() as vrpd reads it, and the eContent through aspa_decode(),
 * both as found inside the input's CMS envelope (whose signature a mutated
 * input no longer passes) and as the raw input.
 */
#include "config.h"

#include <stdlib.h>

#include "rp/aspa.h"

#include "util.h"

#define URI "rsync://fuzz.example/repo/fuzz.asa"

static void
decode(const unsigned char *econtent, size_t len)
{
	struct aspa *aspa;

	/* Decoded into a zeroed struct, as aspa_parse() does after cms_parse().
	 */
	if ((aspa = calloc(1, sizeof(*aspa))) == NULL)
		abort();
	(void)aspa_decode(aspa, URI, econtent, len);
	aspa_free(aspa);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *econtent;
	size_t len;

	fuzz_quiet();
	aspa_free(aspa_parse(URI, data, size));
	if ((econtent = fuzz_econtent(data, size, &len)) != NULL) {
		decode(econtent, len);
		free(econtent);
	}
	decode(data, size);
	return 0;
}
