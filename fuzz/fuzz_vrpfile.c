/*
 * Fuzzes the VRP file loader of `vrpd --vrps` (rtr-server/vrpfile*.c):
 * JSON when the first non-blank byte is '{', CSV otherwise.
 */
#include "config.h"

#include "rtr-server/vrpfile.h"

#include "util.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512];

	fuzz_quiet();
	vrpset_free(vrpfile_load(fuzz_file(data, size), err, sizeof(err)));
	return 0;
}
