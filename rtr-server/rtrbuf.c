/* Refcounted, growable byte buffers for encoded RTR responses. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "rtrbuf.h"

/* Enough for an empty response (Cache Response + End of Data). */
#define RTRBUF_MIN_CAP 64

struct rtrbuf *
rtrbuf_new(size_t hint)
{
	struct rtrbuf *buf;

	if ((buf = calloc(1, sizeof(*buf))) == NULL)
		return NULL;
	buf->refs = 1;
	if (!rtrbuf_reserve(buf,
			    hint < RTRBUF_MIN_CAP ? RTRBUF_MIN_CAP : hint)) {
		free(buf);
		return NULL;
	}
	return buf;
}

bool
rtrbuf_reserve(struct rtrbuf *buf, size_t need)
{
	unsigned char *p;
	size_t cap;

	if (need <= buf->cap - buf->len)
		return true;
	if (need > SIZE_MAX / 2 - buf->len) {
		errno = ENOMEM;
		return false;
	}
	cap = buf->cap == 0 ? RTRBUF_MIN_CAP : buf->cap;
	while (cap - buf->len < need)
		cap *= 2;
	if ((p = realloc(buf->data, cap)) == NULL)
		return false;
	buf->data = p;
	buf->cap = cap;
	return true;
}

void
rtrbuf_shrink(struct rtrbuf *buf)
{
	unsigned char *p;

	if (buf->len == 0 || buf->len == buf->cap)
		return;
	/* A failed shrink keeps the larger block, which is still valid. */
	if ((p = realloc(buf->data, buf->len)) != NULL) {
		buf->data = p;
		buf->cap = buf->len;
	}
}

struct rtrbuf *
rtrbuf_ref(struct rtrbuf *buf)
{
	buf->refs++;
	return buf;
}

void
rtrbuf_unref(struct rtrbuf *buf)
{
	if (buf == NULL || --buf->refs > 0)
		return;
	free(buf->data);
	free(buf);
}
