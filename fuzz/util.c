/*
 * Helpers for the fuzz harnesses; see util.h. Harness code, never linked
 * into vrpd: it may abort where the engine would log and go on.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <openssl/cms.h>

#include "rp/log.h"

#include "util.h"

void
fuzz_quiet(void)
{
	static int done;
	FILE *fp;

	if (done++ || getenv("FUZZ_VERBOSE") != NULL)
		return;
	if ((fp = fopen("/dev/null", "w")) == NULL)
		abort();
	log_setstream(fp);
}

const char *
fuzz_file(const uint8_t *data, size_t size)
{
	static char path[64];
	static int fd = -1;

	/*
	 * A memfd, not a file on disk: millions of writes would wear the
	 * disk and slow every run. Opening /proc/self/fd/N gives the parser
	 * its own offset, as a real file would.
	 */
	if (fd == -1) {
		if ((fd = memfd_create("fuzz", MFD_CLOEXEC)) == -1)
			abort();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) == -1 ||
	    (size > 0 && pwrite(fd, data, size, 0) != (ssize_t)size))
		abort();
	return path;
}

char *
fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s;

	if ((s = malloc(size + 1)) == NULL)
		abort();
	if (size > 0)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

unsigned char *
fuzz_econtent(const uint8_t *data, size_t size, size_t *len)
{
	const unsigned char *p = data;
	ASN1_OCTET_STRING **os;
	CMS_ContentInfo *cms;
	unsigned char *out = NULL;

	if (size > LONG_MAX ||
	    (cms = d2i_CMS_ContentInfo(NULL, &p, (long)size)) == NULL)
		return NULL;
	if ((os = CMS_get0_content(cms)) != NULL && *os != NULL &&
	    (out = malloc((size_t)(*os)->length + 1)) != NULL) {
		*len = (size_t)(*os)->length;
		if (*len > 0)
			memcpy(out, (*os)->data, *len);
	}
	CMS_ContentInfo_free(cms);
	return out;
}

void
fuzz_rng_init(struct fuzz_rng *r, const uint8_t *data, size_t size)
{
	uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a */
	size_t i;

	for (i = 0; i < size; i++)
		h = (h ^ data[i]) * 0x100000001b3ULL;
	r->state = h | 1;
}

size_t
fuzz_rng_next(struct fuzz_rng *r, size_t max)
{
	/* xorshift64: the state never becomes 0 from a nonzero start */
	r->state ^= r->state << 13;
	r->state ^= r->state >> 7;
	r->state ^= r->state << 17;
	return (size_t)(r->state % max) + 1;
}
