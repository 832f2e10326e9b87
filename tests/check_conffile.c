/*
 * Tests for rp/conffile.c: a config file becomes command-line options,
 * the command line wins, and every mistake names the file, the line and
 * the key.
 */
#include "config.h"

#include <check.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rp/conffile.h"

static const struct option OPTS[] = {
    {"tal", required_argument, NULL, 1},
    {"refresh", required_argument, NULL, 2},
    {"verbose", no_argument, NULL, 3},
    {"config", required_argument, NULL, 4},
    {NULL, 0, NULL, 0},
};

static char path[] = "/tmp/check_conffile.XXXXXX";

static void
write_conf(const char *text)
{
	int fd = mkstemp(path);
	FILE *fp;

	ck_assert_int_ge(fd, 0);
	ck_assert_ptr_nonnull(fp = fdopen(fd, "w"));
	fputs(text, fp);
	fclose(fp);
}

static void
cleanup(void)
{
	unlink(path);
	strcpy(path, "/tmp/check_conffile.XXXXXX");
}

static bool
load(const char *text, int argc, char **argv, struct config_args *out,
     char *err, size_t errlen)
{
	bool ok;

	write_conf(text);
	ok = config_load(path, OPTS, argc, argv, out, err, errlen);
	cleanup();
	return ok;
}

START_TEST(test_conffile_keys_become_options)
{
	char *argv[] = {(char[]){"vrpd"}, NULL};
	struct config_args a;
	char err[256];

	ck_assert(load("# comment\ntal = /etc/a.tal\ntal = /etc/b.tal\n"
		       "refresh = 300\nverbose = yes\n",
		       1, argv, &a, err, sizeof(err)));
	ck_assert_int_eq(a.argc, 5);
	ck_assert_str_eq(a.argv[0], "vrpd");
	ck_assert_str_eq(a.argv[1], "--tal=/etc/a.tal");
	ck_assert_str_eq(a.argv[2], "--tal=/etc/b.tal");
	ck_assert_str_eq(a.argv[3], "--refresh=300");
	ck_assert_str_eq(a.argv[4], "--verbose");
	config_args_free(&a);
}
END_TEST

START_TEST(test_conffile_command_line_wins)
{
	char *argv[] = {(char[]){"vrpd"}, (char[]){"--refresh"}, (char[]){"60"},
			(char[]){"--tal=/x.tal"}, NULL};
	struct config_args a;
	char err[256];

	ck_assert(load("tal = /etc/a.tal\nrefresh = 300\nverbose = no\n", 4,
		       argv, &a, err, sizeof(err)));
	/* nothing of the file's is left: both keys are on the line */
	ck_assert_int_eq(a.argc, 4);
	ck_assert_str_eq(a.argv[1], "--refresh");
	ck_assert_str_eq(a.argv[3], "--tal=/x.tal");
	config_args_free(&a);
}
END_TEST

static void
assert_refused(const char *text, const char *want)
{
	char *argv[] = {(char[]){"vrpd"}, NULL};
	struct config_args a;
	char err[256];

	ck_assert(!load(text, 1, argv, &a, err, sizeof(err)));
	ck_assert_msg(strstr(err, want) != NULL, "'%s' lacks '%s'", err, want);
	ck_assert_msg(strstr(err, "/tmp/check_conffile.") == err,
		      "'%s' does not name the file", err);
}

START_TEST(test_conffile_unknown_key_named_with_line)
{
	assert_refused("tal = /a\n\nrefrsh = 5\n", ":3: unknown key 'refrsh'");
}
END_TEST

START_TEST(test_conffile_syntax_error_named_with_line)
{
	assert_refused("tal = /a\nthis is not a setting\n",
		       ":2: not \"key = value\"");
}
END_TEST

START_TEST(test_conffile_flag_needs_yes_or_no)
{
	assert_refused("verbose = maybe\n",
		       ":1: key 'verbose' takes yes or no");
}
END_TEST

START_TEST(test_conffile_empty_value_and_sections_refused)
{
	assert_refused("refresh =\n", ":1: key 'refresh' needs a value");
	assert_refused("[main]\ntal = /a\n", ":2: sections are not used");
	assert_refused("config = /other\n", "belongs on the command line");
}
END_TEST

START_TEST(test_conffile_missing_file_named)
{
	char *argv[] = {(char[]){"vrpd"}, NULL};
	struct config_args a;
	char err[256];

	ck_assert(!config_load("/nonexistent/vrpd.conf", OPTS, 1, argv, &a, err,
			       sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "/nonexistent/vrpd.conf: "));
}
END_TEST

static Suite *
conffile_suite(void)
{
	Suite *s = suite_create("conffile");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_conffile_keys_become_options);
	tcase_add_test(tc, test_conffile_command_line_wins);
	tcase_add_test(tc, test_conffile_unknown_key_named_with_line);
	tcase_add_test(tc, test_conffile_syntax_error_named_with_line);
	tcase_add_test(tc, test_conffile_flag_needs_yes_or_no);
	tcase_add_test(tc, test_conffile_empty_value_and_sections_refused);
	tcase_add_test(tc, test_conffile_missing_file_named);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(conffile_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
