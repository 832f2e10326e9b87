/*
 * Fuzzes the mapping of rsync and https URIs to paths in a local mirror
 * (rp/mirror.c), and of rsync URIs to their module: whatever the URI,
 * the path must stay under the mirror's directory.
 */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "rp/mirror.h"

#include "util.h"

#define DIR "/var/cache/vrpd"

/* A path that could name something outside DIR. */
static int
escapes(const char *path)
{
	size_t n = strlen(DIR);

	return strncmp(path, DIR "/", n + 1) != 0 ||
	    strstr(path, "/../") != NULL || strstr(path, "/./") != NULL ||
	    strstr(path, "//") != NULL ||
	    (strlen(path) >= 3 && strcmp(path + strlen(path) - 3, "/..") == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *uri = fuzz_cstr(data, size), path[PATH_MAX], small[32];

	fuzz_quiet();
	if (mirror_path(DIR, uri, path, sizeof(path)) && escapes(path))
		abort();
	/* Too small a buffer must be refused, never overrun. */
	if (mirror_path(DIR, uri, small, sizeof(small)) && escapes(small))
		abort();
	(void)mirror_module(uri, path, sizeof(path));
	(void)mirror_module(uri, small, sizeof(small));
	free(uri);
	return 0;
}
