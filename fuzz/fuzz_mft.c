/*
 * Fuzzes the manifest parser (rp/mft.c): the whole signed object through
 * mft_parse() as vrpd reads it, and the eContent through mft_decode(),
 * both as found inside the input's CMS envelope (whose signature a mutated
 * input no longer passes) and as the raw input.
 */
#include "config.h"

#include <stdlib.h>

#include "rp/mft.h"

#include "util.h"

#define URI "rsync://fuzz.example/repo/fuzz.mft"

static void
decode(const unsigned char *econtent, size_t len)
{
	struct mft *mft;

	/* Decoded into a zeroed struct, as mft_parse() does after cms_parse().
	 */
	if ((mft = calloc(1, sizeof(*mft))) == NULL)
		abort();
	(void)mft_decode(mft, URI, econtent, len);
	mft_free(mft);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *econtent;
	size_t len;

	fuzz_quiet();
	mft_free(mft_parse(URI, data, size));
	if ((econtent = fuzz_econtent(data, size, &len)) != NULL) {
		decode(econtent, len);
		free(econtent);
	}
	decode(data, size);
	return 0;
}
