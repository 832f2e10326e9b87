#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rp/log.h"
#include "testdata.h"

static const char *want_suffix, *want_contains;
static char **found;
static size_t nfound, capfound;

static const char *
fixtures_dir(void)
{
	const char *dir = getenv("FIXTURES");

	ck_assert_msg(dir != NULL && *dir != '\0',
		      "FIXTURES is not set: run the tests with make check");
	return dir;
}

static int
collect(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	size_t len = strlen(path), slen = strlen(want_suffix);

	(void)st;
	(void)ftw;
	if (type != FTW_F || len < slen ||
	    strcmp(path + len - slen, want_suffix) != 0)
		return 0;
	if (want_contains != NULL && strstr(path, want_contains) == NULL)
		return 0;
	if (nfound + 1 >= capfound) {
		capfound = capfound ? capfound * 2 : 16;
		found = realloc(found, capfound * sizeof(*found));
		ck_assert_ptr_nonnull(found);
	}
	found[nfound] = strdup(path);
	ck_assert_ptr_nonnull(found[nfound]);
	nfound++;
	return 0;
}

static int
cmp_paths(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **
testdata_find_all(const char *fixture_case, const char *suffix,
		  const char *contains, size_t *count)
{
	char root[4096];
	char **result;

	snprintf(root, sizeof(root), "%s/%s/rsync", fixtures_dir(),
		 fixture_case);
	want_suffix = suffix;
	want_contains = contains;
	found = NULL;
	nfound = capfound = 0;
	ck_assert_msg(nftw(root, collect, 16, FTW_PHYS) == 0, "cannot walk %s",
		      root);
	if (found == NULL) {
		found = calloc(1, sizeof(*found));
		ck_assert_ptr_nonnull(found);
	}
	qsort(found, nfound, sizeof(*found), cmp_paths);
	found[nfound] = NULL;
	*count = nfound;
	result = found;
	found = NULL;
	return result;
}

char *
testdata_find(const char *fixture_case, const char *suffix,
	      const char *contains)
{
	size_t n, i;
	char **all = testdata_find_all(fixture_case, suffix, contains, &n);
	char *first;

	ck_assert_msg(n > 0, "no *%s under %s/%s%s%s", suffix, fixture_case,
		      contains ? " containing " : "", contains ? contains : "",
		      "");
	first = all[0];
	for (i = 1; i < n; i++)
		free(all[i]);
	free(all);
	return first;
}

unsigned char *
testdata_read(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	unsigned char *buf;
	long size;

	ck_assert_msg(fp != NULL, "cannot open %s", path);
	ck_assert_int_eq(fseek(fp, 0, SEEK_END), 0);
	size = ftell(fp);
	ck_assert_int_ge(size, 0);
	rewind(fp);
	buf = malloc(size > 0 ? (size_t)size : 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)size, fp), (size_t)size);
	fclose(fp);
	*len = (size_t)size;
	return buf;
}

char *
testdata_path(const char *fixture_case, const char *rel)
{
	char *p;

	ck_assert_int_ge(asprintf(&p, "%s/%s/%s", fixtures_dir(), fixture_case,
				  rel),
			 0);
	return p;
}

bool
testdata_rejected(const char *fixture_case, const char *uri)
{
	char *path = testdata_path(fixture_case, "expected/rejected.txt");
	size_t cap = 0, len = strlen(uri);
	char *line = NULL;
	bool listed = false;
	FILE *fp = fopen(path, "r");

	free(path);
	if (fp == NULL)
		return false;
	while (!listed && getline(&line, &cap, fp) != -1)
		listed = strncmp(line, uri, len) == 0 && line[len] == ':';
	free(line);
	fclose(fp);
	return listed;
}

void
testlog_start(struct testlog *t)
{
	t->buf = NULL;
	t->len = 0;
	t->fp = open_memstream(&t->buf, &t->len);
	ck_assert_ptr_nonnull(t->fp);
	log_setstream(t->fp);
}

char *
testlog_stop(struct testlog *t)
{
	log_setstream(NULL);
	fclose(t->fp);
	fputs(t->buf, stderr); /* keep the line in the test log for readers */
	return t->buf;
}

void
testlog_assert_one_line(const char *log, const char *uri, const char *why)
{
	size_t len = strlen(log);

	ck_assert_msg(strstr(log, why) != NULL, "log \"%s\" lacks \"%s\"", log,
		      why);
	ck_assert_msg(strstr(log, uri) != NULL, "log \"%s\" lacks the URI %s",
		      log, uri);
	ck_assert_msg(len > 0 && strchr(log, '\n') == log + len - 1,
		      "want one log line, got \"%s\"", log);
}

struct vrp
testdata_vrp(const char *addr, unsigned int len, unsigned int maxlen,
	     uint32_t asn, uint8_t ta)
{
	struct vrp v;

	memset(&v, 0, sizeof(v));
	v.afi = strchr(addr, ':') != NULL ? 6 : 4;
	ck_assert_int_eq(inet_pton(v.afi == 6 ? AF_INET6 : AF_INET, addr,
				   v.addr),
			 1);
	v.prefixlen = (uint8_t)len;
	v.maxlen = (uint8_t)maxlen;
	v.asn = asn;
	v.ta = ta;
	return v;
}
