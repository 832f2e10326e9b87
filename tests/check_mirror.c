#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rp/limits.h"
#include "rp/log.h"
#include "rp/mirror.h"
#include "testdata.h"

static char path[8192];

static bool
maps(const char *uri)
{
	return mirror_path("/m", uri, path, sizeof(path));
}

START_TEST(test_mirror_maps_rsync_uri_under_authority)
{
	ck_assert(maps("rsync://rpki.example/repo/ca/x.roa"));
	ck_assert_str_eq(path, "/m/rpki.example/repo/ca/x.roa");
}
END_TEST

START_TEST(test_mirror_keeps_port_in_authority)
{
	ck_assert(maps("rsync://rpki.example:8873/repo/x.cer"));
	ck_assert_str_eq(path, "/m/rpki.example:8873/repo/x.cer");
	ck_assert(maps("https://127.0.0.1:8443/ta/ta.cer"));
	ck_assert_str_eq(path, "/m/127.0.0.1:8443/ta/ta.cer");
}
END_TEST

START_TEST(test_mirror_rejects_dot_dot_segment)
{
	ck_assert(!maps("rsync://rpki.example/repo/../../etc/passwd"));
	ck_assert(!maps("rsync://rpki.example/repo/ca/.."));
	ck_assert(!maps("rsync://rpki.example/./x.cer"));
}
END_TEST

START_TEST(test_mirror_rejects_authority_that_climbs)
{
	ck_assert(!maps("rsync://../x.cer"));
	ck_assert(!maps("rsync://./x.cer"));
	ck_assert(!maps("rsync:///etc/passwd"));
	ck_assert(!maps("rsync://host:/x.cer"));
	ck_assert(!maps("rsync://host:12ab/x.cer"));
	ck_assert(!maps("rsync://ho_st/x.cer"));
	ck_assert(!maps("rsync://host"));
}
END_TEST

START_TEST(test_mirror_rejects_empty_segments_and_control_chars)
{
	ck_assert(!maps("rsync://host/repo//x.cer"));
	ck_assert(!maps("rsync://host/repo/"));
	ck_assert(!maps("rsync://host/repo/a\tb.cer"));
	ck_assert(!maps("rsync://host/repo/a b.cer"));
	ck_assert(!maps("rsync://host/repo/a\\b.cer"));
	ck_assert(!maps("rsync://host/repo/\x7f.cer"));
	ck_assert(!maps("rsync://host/repo/caf\xc3\xa9.cer"));
}
END_TEST

START_TEST(test_mirror_rejects_other_schemes)
{
	ck_assert(!maps("file:///etc/passwd"));
	ck_assert(!maps("http://host/x.cer"));
	ck_assert(!maps("/etc/passwd"));
}
END_TEST

START_TEST(test_mirror_rejects_overlong_uri)
{
	char uri[MAX_URI_LENGTH + 64];

	strcpy(uri, "rsync://host/");
	memset(uri + 13, 'a', sizeof(uri) - 14);
	uri[sizeof(uri) - 1] = '\0';
	ck_assert(!maps(uri));
}
END_TEST

static char dir[64];

static void
make_file(const char *rel, size_t size)
{
	char p[4096], cmd[4200];
	FILE *fp;

	snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s/%s')\"", dir, rel);
	ck_assert_int_eq(system(cmd), 0);
	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	ck_assert_ptr_nonnull(fp = fopen(p, "w"));
	while (size-- > 0)
		fputc('x', fp);
	fclose(fp);
}

static void
setup_dir(void)
{
	strcpy(dir, "/tmp/vrpd-check-mirror-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void
teardown_dir(void)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

START_TEST(test_mirror_reads_file)
{
	unsigned char *buf;
	size_t len;

	make_file("host/repo/x.roa", 100);
	buf = mirror_read(dir, "rsync://host/repo/x.roa", &len);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(len, 100);
	free(buf);
}
END_TEST

START_TEST(test_mirror_missing_file_is_enoent)
{
	size_t len;

	errno = 0;
	ck_assert_ptr_null(mirror_read(dir, "rsync://host/none.roa", &len));
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

START_TEST(test_mirror_refuses_file_over_size_limit)
{
	size_t len;

	make_file("host/big.roa", 0);
	{
		char p[4096];

		snprintf(p, sizeof(p), "%s/host/big.roa", dir);
		ck_assert_int_eq(truncate(p, MAX_OBJECT_SIZE + 1), 0);
	}
	ck_assert_ptr_null(mirror_read(dir, "rsync://host/big.roa", &len));
	ck_assert_int_eq(errno, EFBIG);
}
END_TEST

START_TEST(test_mirror_refuses_symlink)
{
	char target[4096], link[4096];
	size_t len;

	make_file("host/real.roa", 10);
	snprintf(target, sizeof(target), "%s/host/real.roa", dir);
	snprintf(link, sizeof(link), "%s/host/link.roa", dir);
	ck_assert_int_eq(symlink(target, link), 0);
	ck_assert_ptr_null(mirror_read(dir, "rsync://host/link.roa", &len));
}
END_TEST

START_TEST(test_mirror_reads_fixture_ta)
{
	char *ta = testdata_find("good", "ta1.cer", "/ta/");
	unsigned char *want, *got;
	size_t wlen, glen;
	char *root = testdata_path("good", "rsync");

	want = testdata_read(ta, &wlen);
	got = mirror_read(root, "rsync://rpki0.example/ta/ta1.cer", &glen);
	ck_assert_ptr_nonnull(got);
	ck_assert_uint_eq(glen, wlen);
	ck_assert_mem_eq(got, want, wlen);
	free(want);
	free(got);
	free(ta);
	free(root);
}
END_TEST

static Suite *
mirror_suite(void)
{
	Suite *s = suite_create("mirror");
	TCase *tc = tcase_create("paths");
	TCase *files = tcase_create("files");

	log_setstream(fopen("/dev/null", "w"));
	tcase_add_test(tc, test_mirror_maps_rsync_uri_under_authority);
	tcase_add_test(tc, test_mirror_keeps_port_in_authority);
	tcase_add_test(tc, test_mirror_rejects_dot_dot_segment);
	tcase_add_test(tc, test_mirror_rejects_authority_that_climbs);
	tcase_add_test(tc,
		       test_mirror_rejects_empty_segments_and_control_chars);
	tcase_add_test(tc, test_mirror_rejects_other_schemes);
	tcase_add_test(tc, test_mirror_rejects_overlong_uri);
	suite_add_tcase(s, tc);
	tcase_add_checked_fixture(files, setup_dir, teardown_dir);
	tcase_add_test(files, test_mirror_reads_file);
	tcase_add_test(files, test_mirror_missing_file_is_enoent);
	tcase_add_test(files, test_mirror_refuses_file_over_size_limit);
	tcase_add_test(files, test_mirror_refuses_symlink);
	tcase_add_test(files, test_mirror_reads_fixture_ta);
	suite_add_tcase(s, files);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(mirror_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
