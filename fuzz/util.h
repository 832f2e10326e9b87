/*
 * What the libFuzzer harnesses (fuzz/fuzz_*.c) share: the entry point every
 * harness defines, and helpers that hand fuzz input to parsers in the form
 * vrpd gives them (a file path, a C string, a signed object's eContent).
 * The same harnesses build with clang for libFuzzer and with gcc for
 * fuzz/replay.c, which `make check` runs over the saved inputs.
 */
#ifndef VRPD_FUZZ_UTIL_H
#define VRPD_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* libFuzzer's entry point: parses one input; must not leak or crash. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Sends the engine's log to /dev/null, once: a rejection per input would
 * cost more than the parse. FUZZ_VERBOSE in the environment keeps it.
 */
void fuzz_quiet(void);

/*
 * A path whose file holds exactly data, for parsers that only open paths
 * (SLURM, the config file). One in-memory file, rewritten on every call;
 * the path stays valid until the next call. Aborts if it cannot be made.
 */
const char *fuzz_file(const uint8_t *data, size_t size);

/* data as a NUL-terminated string in a malloc'd copy; aborts on ENOMEM. */
char *fuzz_cstr(const uint8_t *data, size_t size);

/*
 * If data is a CMS SignedData with an eContent, a malloc'd copy of the
 * eContent and its length in *len; else NULL. A mutated signed object
 * fails its signature check, so the eContent decoders are fed this way
 * too, as cms_parse() would hand it to them.
 */
unsigned char *fuzz_econtent(const uint8_t *data, size_t size, size_t *len);

/*
 * A small deterministic generator seeded from the input, for choices that
 * must follow from the input (chunk sizes) without taking bytes from it.
 */
struct fuzz_rng {
	uint64_t state;
};

/* Seeds r from a hash of data. */
void fuzz_rng_init(struct fuzz_rng *r, const uint8_t *data, size_t size);

/* The next number in 1..max (max > 0). */
size_t fuzz_rng_next(struct fuzz_rng *r, size_t max);

#endif /* VRPD_FUZZ_UTIL_H */
