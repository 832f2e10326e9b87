/* Fuzzes the CRL parser (rp/crl.c). */
#include "config.h"

#include "rp/crl.h"

#include "util.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_quiet();
	crl_free(crl_parse("rsync://fuzz.example/repo/fuzz.crl", data, size));
	return 0;
}
