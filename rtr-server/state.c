/*
 * The RTR state file, a few lines of text:
 *   vrpd-rtr-state 1
 *   session-id 12345
 *   serial 42
 *   digest <64 hex digits>
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "rp/fsutil.h"
#include "rp/log.h"

#include "state.h"

#define STATE_MAGIC "vrpd-rtr-state 1"

/* Far more than the four lines; a bigger file is not ours. */
#define STATE_MAX_SIZE 1024

static bool
parse_u32(const char *s, uint32_t max, uint32_t *out)
{
	unsigned long long v;
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > max)
		return false;
	*out = (uint32_t)v;
	return true;
}

static bool
parse_line(char *line, struct rtr_state *st, unsigned *seen)
{
	unsigned char *bin;
	uint32_t v;
	long len;

	if (strncmp(line, "session-id ", 11) == 0 &&
	    parse_u32(line + 11, UINT16_MAX, &v)) {
		st->session_id = (uint16_t)v;
		*seen |= 1;
		return true;
	}
	if (strncmp(line, "serial ", 7) == 0 &&
	    parse_u32(line + 7, UINT32_MAX, &v)) {
		st->serial = v;
		*seen |= 2;
		return true;
	}
	if (strncmp(line, "digest ", 7) == 0 &&
	    strlen(line + 7) == 2 * sizeof(st->digest)) {
		if ((bin = OPENSSL_hexstr2buf(line + 7, &len)) == NULL)
			return false;
		if (len == (long)sizeof(st->digest)) {
			memcpy(st->digest, bin, sizeof(st->digest));
			*seen |= 4;
		}
		OPENSSL_free(bin);
		return len == (long)sizeof(st->digest);
	}
	return false;
}

bool
rtr_state_read(const char *path, struct rtr_state *st)
{
	char text[STATE_MAX_SIZE + 1], *line, *next;
	unsigned seen = 0, lineno = 1;
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno != ENOENT)
			log_warn("%s", path);
		return false;
	}
	n = read(fd, text, sizeof(text));
	close(fd);
	if (n < 0 || n > STATE_MAX_SIZE) {
		log_warnx("%s: unreadable or over %d bytes", path,
			  STATE_MAX_SIZE);
		errno = EINVAL;
		return false;
	}
	text[n] = '\0';
	memset(st, 0, sizeof(*st));
	for (line = text; *line != '\0'; line = next, lineno++) {
		if ((next = strchr(line, '\n')) == NULL) {
			log_warnx("%s:%u: no newline at the end", path, lineno);
			errno = EINVAL;
			return false;
		}
		*next++ = '\0';
		if (lineno == 1 ? strcmp(line, STATE_MAGIC) != 0
				: !parse_line(line, st, &seen)) {
			log_warnx("%s:%u: not a vrpd RTR state line", path,
				  lineno);
			errno = EINVAL;
			return false;
		}
	}
	if (seen != 7) {
		log_warnx("%s: session-id, serial or digest missing", path);
		errno = EINVAL;
		return false;
	}
	return true;
}

bool
rtr_state_write(const char *path, const struct rtr_state *st)
{
	char text[STATE_MAX_SIZE], hex[2 * SHA256_DIGEST_LENGTH + 1];
	size_t i;
	int len;

	for (i = 0; i < sizeof(st->digest); i++)
		snprintf(hex + 2 * i, 3, "%02x", st->digest[i]);
	len = snprintf(text, sizeof(text),
		       STATE_MAGIC "\nsession-id %u\nserial %" PRIu32
				   "\ndigest %s\n",
		       st->session_id, st->serial, hex);
	return fsutil_replace(path, text, (size_t)len);
}

bool
rtr_state_new_session(uint16_t *session_id)
{
	unsigned char b[2];

	if (RAND_bytes(b, sizeof(b)) != 1)
		return false;
	*session_id = (uint16_t)(b[0] << 8 | b[1]);
	return true;
}
