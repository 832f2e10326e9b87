/* Fuzzes the TAL parser (rp/tal.c) with the bytes of a TAL file. */
#include "config.h"

#include "rp/tal.h"

#include "util.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_quiet();
	tal_free(tal_parse("fuzz", (const char *)data, size));
	return 0;
}
