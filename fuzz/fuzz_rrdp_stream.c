/*
 * Fuzzes the RRDP snapshot and delta stream parser (rp/rrdp.c), fed in
 * chunks of sizes drawn from the input (a parser that only works on whole
 * files, or on chunks of one size, is found out). The session_id and
 * serial the caller expects are taken from the input's root, as vrpd takes
 * them from the notification, so that inputs reach past the root check.
 */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "rp/limits.h"
#include "rp/rrdp.h"

#include "util.h"

#define URI "https://fuzz.example/rrdp/snapshot.xml"

struct sink {
	struct fuzz_rng *rng;
	unsigned sum; /* touches every byte handed out, for ASan to check */
};

/* The handler's promises (rrdp.h): checked URIs, bounded objects. */
static void
check_uri(const char *uri)
{
	if (strncmp(uri, "rsync://", 8) != 0 || strlen(uri) > MAX_URI_LENGTH)
		abort();
}

static bool
on_publish(void *arg, const char *uri, const unsigned char *hash,
	   const unsigned char *data, size_t len)
{
	struct sink *k = arg;
	size_t i;

	check_uri(uri);
	if (len > MAX_OBJECT_SIZE)
		abort();
	for (i = 0; i < len; i++)
		k->sum += data[i];
	if (hash != NULL)
		for (i = 0; i < 32; i++)
			k->sum += hash[i];
	/* Now and then a handler says stop, as a full disk would. */
	return fuzz_rng_next(k->rng, 64) != 1;
}

static bool
on_withdraw(void *arg, const char *uri, const unsigned char hash[32])
{
	struct sink *k = arg;
	size_t i;

	check_uri(uri);
	for (i = 0; i < 32; i++)
		k->sum += hash[i];
	return fuzz_rng_next(k->rng, 64) != 1;
}

/* The value of attribute name="..." at its first place in data, or "". */
static void
attribute(const uint8_t *data, size_t size, const char *name, char *out,
	  size_t outsize)
{
	const uint8_t *p, *end;
	size_t n = strlen(name);

	out[0] = '\0';
	if ((p = memmem(data, size, name, n)) == NULL)
		return;
	p += n;
	if ((end = memchr(p, '"', size - (size_t)(p - data))) == NULL ||
	    (size_t)(end - p) >= outsize)
		return;
	memcpy(out, p, (size_t)(end - p));
	out[end - p] = '\0';
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t max_chunk[] = {1, 7, 64, 4096, SIZE_MAX};
	struct fuzz_rng rng;
	struct sink k = {&rng, 0};
	struct rrdp_handler h = {on_publish, on_withdraw, &k};
	struct rrdp_stream *s;
	enum rrdp_file kind;
	unsigned char sha[32];
	char sid[64], serial[32];
	size_t off, n, most;
	bool ok = true;

	fuzz_quiet();
	fuzz_rng_init(&rng, data, size);
	attribute(data, size, "session_id=\"", sid, sizeof(sid));
	attribute(data, size, " serial=\"", serial, sizeof(serial));
	kind = memmem(data, size, "<delta", 6) != NULL ? RRDP_DELTA
						       : RRDP_SNAPSHOT;
	/* Sometimes the other kind than the root says: the mismatch path. */
	if (fuzz_rng_next(&rng, 16) == 1)
		kind = kind == RRDP_DELTA ? RRDP_SNAPSHOT : RRDP_DELTA;
	s = rrdp_stream_new(URI, kind, sid, strtoull(serial, NULL, 10), &h);
	if (s == NULL)
		return 0;
	most = max_chunk[fuzz_rng_next(&rng, 5) - 1];
	/*
	 * libxml2 costs n * n / 2c for a text node of n bytes fed in chunks
	 * of c (vrpd feeds it 64 KiB pieces, rp/repo.c): tiny chunks of a
	 * large input only time the harness out.
	 */
	if (size > 64 * 1024 && most < 4096)
		most = 4096;
	for (off = 0; off < size && ok; off += n) {
		n = fuzz_rng_next(&rng, most < size - off ? most : size - off);
		ok = rrdp_stream_feed(s, data + off, n);
	}
	if (ok)
		(void)rrdp_stream_finish(s, sha);
	else if (rrdp_stream_feed(s, "<", 1) || rrdp_stream_finish(s, sha))
		abort(); /* a failed stream stays failed */
	rrdp_stream_free(s);
	return 0;
}
