#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <openssl/sha.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rp/limits.h"
#include "rp/log.h"
#include "rp/mirror.h"
#include "rp/store.h"

#define NOTIFY	"https://rrdp.example/notification.xml"
#define NOTIFY2 "https://other.example/rrdp/notify.xml"
#define SESSION "9df4b597-af9e-4dca-bdda-719cce2c4e28"

static char dir[64];
static struct store *st;

static int
rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void
setup_dir(void)
{
	snprintf(dir, sizeof(dir), "/tmp/check_store.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	st = store_open(dir);
	ck_assert_ptr_nonnull(st);
}

static void
teardown_dir(void)
{
	store_close(st);
	st = NULL;
	nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static struct store_state
state(uint64_t serial)
{
	struct store_state s;

	memset(&s, 0, sizeof(s));
	snprintf(s.session_id, sizeof(s.session_id), "%s", SESSION);
	s.serial = serial;
	return s;
}

static void
put(struct store_txn *t, const char *uri, const char *content)
{
	ck_assert_msg(store_put(t, uri, (const unsigned char *)content,
				strlen(content)),
		      "put %s", uri);
}

static void
commit(struct store_txn *t, uint64_t serial)
{
	struct store_state s = state(serial);

	ck_assert(store_commit(t, &s));
}

/* The object the repository's current tree holds for uri, or NULL. */
static char *
get(const char *notify, const char *uri)
{
	char root[PATH_MAX];
	unsigned char *data;
	char *s;
	size_t len;

	ck_assert(store_repo_root(st, notify, root, sizeof(root)));
	if ((data = mirror_read(root, uri, &len)) == NULL) {
		ck_assert_int_eq(errno, ENOENT);
		return NULL;
	}
	s = malloc(len + 1);
	ck_assert_ptr_nonnull(s);
	memcpy(s, data, len);
	s[len] = '\0';
	free(data);
	return s;
}

static void
assert_obj(const char *notify, const char *uri, const char *want)
{
	char *got = get(notify, uri);

	if (want == NULL)
		ck_assert_msg(got == NULL, "%s should be absent", uri);
	else {
		ck_assert_msg(got != NULL, "%s should be present", uri);
		ck_assert_str_eq(got, want);
	}
	free(got);
}

/* How many entries the repository's directory holds besides its state. */
static int
repo_dir_entries(const char *notify)
{
	char root[PATH_MAX], *slash, cmd[PATH_MAX + 64];
	FILE *p;
	int n;

	ck_assert(store_repo_root(st, notify, root, sizeof(root)));
	slash = strrchr(root, '/');
	*slash = '\0';
	snprintf(cmd, sizeof(cmd), "ls -A '%s' | grep -v '^state$' | wc -l",
		 root);
	p = popen(cmd, "r");
	ck_assert_int_eq(fscanf(p, "%d", &n), 1);
	pclose(p);
	return n;
}

static void
snapshot_abc(void)
{
	struct store_txn *t = store_begin(st, NOTIFY, true);

	ck_assert_ptr_nonnull(t);
	put(t, "rsync://rpki.example/repo/a.cer", "A1");
	put(t, "rsync://rpki.example/repo/ca/b.roa", "B1");
	put(t, "rsync://rpki.example:8873/repo/ca/sub/c.mft", "C1");
	commit(t, 1);
}

START_TEST(test_store_snapshot_is_read_back_through_mirror_read)
{
	struct store_state s;

	ck_assert(!store_repo_state(st, NOTIFY, &s));
	snapshot_abc();
	ck_assert(store_repo_state(st, NOTIFY, &s));
	ck_assert_str_eq(s.session_id, SESSION);
	ck_assert_uint_eq(s.serial, 1);
	assert_obj(NOTIFY, "rsync://rpki.example/repo/a.cer", "A1");
	assert_obj(NOTIFY, "rsync://rpki.example/repo/ca/b.roa", "B1");
	assert_obj(NOTIFY, "rsync://rpki.example:8873/repo/ca/sub/c.mft", "C1");
	assert_obj(NOTIFY, "rsync://rpki.example/repo/none.roa", NULL);
	ck_assert_int_eq(repo_dir_entries(NOTIFY), 1);
}
END_TEST

START_TEST(test_store_snapshot_replaces_every_object)
{
	struct store_txn *t;

	snapshot_abc();
	t = store_begin(st, NOTIFY, true);
	put(t, "rsync://rpki.example/repo/d.roa", "D1");
	commit(t, 7);
	assert_obj(NOTIFY, "rsync://rpki.example/repo/a.cer", NULL);
	assert_obj(NOTIFY, "rsync://rpki.example/repo/ca/b.roa", NULL);
	assert_obj(NOTIFY, "rsync://rpki.example/repo/d.roa", "D1");
	ck_assert_int_eq(repo_dir_entries(NOTIFY), 1);
}
END_TEST

START_TEST(test_store_delta_puts_replaces_and_deletes)
{
	struct store_state s;
	struct store_txn *t;

	snapshot_abc();
	t = store_begin(st, NOTIFY, false);
	ck_assert_ptr_nonnull(t);
	put(t, "rsync://rpki.example/repo/ca/b.roa", "B2");
	put(t, "rsync://rpki.example/repo/new/d.roa", "D2");
	ck_assert(store_delete(t, "rsync://rpki.example/repo/a.cer"));
	commit(t, 2);
	ck_assert(store_repo_state(st, NOTIFY, &s));
	ck_assert_uint_eq(s.serial, 2);
	assert_obj(NOTIFY, "rsync://rpki.example/repo/a.cer", NULL);
	assert_obj(NOTIFY, "rsync://rpki.example/repo/ca/b.roa", "B2");
	assert_obj(NOTIFY, "rsync://rpki.example:8873/repo/ca/sub/c.mft", "C1");
	assert_obj(NOTIFY, "rsync://rpki.example/repo/new/d.roa", "D2");
	ck_assert_int_eq(repo_dir_entries(NOTIFY), 1);
}
END_TEST

START_TEST(test_store_delta_never_writes_into_current_tree)
{
	char old_root[PATH_MAX];
	struct store_txn *t;

	snapshot_abc();
	ck_assert(store_repo_root(st, NOTIFY, old_root, sizeof(old_root)));
	t = store_begin(st, NOTIFY, false);
	put(t, "rsync://rpki.example/repo/ca/b.roa", "B2 is longer");
	ck_assert(store_delete(t, "rsync://rpki.example/repo/a.cer"));
	/* The transaction's tree shares inodes with the current one. */
	assert_obj(NOTIFY, "rsync://rpki.example/repo/ca/b.roa", "B1");
	assert_obj(NOTIFY, "rsync://rpki.example/repo/a.cer", "A1");
	commit(t, 2);
	assert_obj(NOTIFY, "rsync://rpki.example/repo/ca/b.roa",
		   "B2 is longer");
	/* The old tree is gone once the new one is current. */
	ck_assert_int_eq(access(old_root, F_OK), -1);
}
END_TEST

START_TEST(test_store_delete_of_absent_object_is_enoent)
{
	struct store_txn *t;

	snapshot_abc();
	t = store_begin(st, NOTIFY, false);
	errno = 0;
	ck_assert(!store_delete(t, "rsync://rpki.example/repo/none.roa"));
	ck_assert_int_eq(errno, ENOENT);
	ck_assert(!store_delete(t, "rsync://rpki.example/repo/ca"));
	ck_assert_int_eq(errno, ENOENT);
	/* Not an error of the transaction: it still commits. */
	commit(t, 2);
	assert_obj(NOTIFY, "rsync://rpki.example/repo/ca/b.roa", "B1");
}
END_TEST

START_TEST(test_store_delete_removes_emptied_directories)
{
	char root[PATH_MAX], path[PATH_MAX + 64];
	struct store_txn *t;

	snapshot_abc();
	t = store_begin(st, NOTIFY, false);
	ck_assert(
	    store_delete(t, "rsync://rpki.example:8873/repo/ca/sub/c.mft"));
	commit(t, 2);
	ck_assert(store_repo_root(st, NOTIFY, root, sizeof(root)));
	snprintf(path, sizeof(path), "%s/rpki.example:8873", root);
	ck_assert_int_eq(access(path, F_OK), -1);
	snprintf(path, sizeof(path), "%s/rpki.example/repo/ca", root);
	ck_assert_int_eq(access(path, F_OK), 0);
}
END_TEST

START_TEST(test_store_hash_is_sha256_of_object_in_transaction)
{
	unsigned char got[32], want[32];
	struct store_txn *t;

	snapshot_abc();
	t = store_begin(st, NOTIFY, false);
	ck_assert(store_hash(t, "rsync://rpki.example/repo/ca/b.roa", got));
	SHA256((const unsigned char *)"B1", 2, want);
	ck_assert_mem_eq(got, want, 32);
	put(t, "rsync://rpki.example/repo/ca/b.roa", "B2");
	ck_assert(store_hash(t, "rsync://rpki.example/repo/ca/b.roa", got));
	SHA256((const unsigned char *)"B2", 2, want);
	ck_assert_mem_eq(got, want, 32);
	ck_assert(store_delete(t, "rsync://rpki.example/repo/a.cer"));
	errno = 0;
	ck_assert(!store_hash(t, "rsync://rpki.example/repo/a.cer", got));
	ck_assert_int_eq(errno, ENOENT);
	ck_assert(!store_hash(t, "rsync://rpki.example/repo/ca", got));
	ck_assert_int_eq(errno, ENOENT);
	store_abort(t);
}
END_TEST

START_TEST(test_store_snapshot_transaction_holds_nothing_before_puts)
{
	unsigned char got[32];
	struct store_txn *t;

	snapshot_abc();
	t = store_begin(st, NOTIFY, true);
	ck_assert(!store_hash(t, "rsync://rpki.example/repo/a.cer", got));
	ck_assert_int_eq(errno, ENOENT);
	store_abort(t);
}
END_TEST

START_TEST(test_store_abort_leaves_old_state)
{
	struct store_state s;
	struct store_txn *t;

	snapshot_abc();
	t = store_begin(st, NOTIFY, false);
	put(t, "rsync://rpki.example/repo/ca/b.roa", "B2");
	ck_assert(store_delete(t, "rsync://rpki.example/repo/a.cer"));
	store_abort(t);
	t = store_begin(st, NOTIFY, true);
	put(t, "rsync://rpki.example/repo/x.roa", "X");
	store_abort(t);
	ck_assert(store_repo_state(st, NOTIFY, &s));
	ck_assert_uint_eq(s.serial, 1);
	assert_obj(NOTIFY, "rsync://rpki.example/repo/a.cer", "A1");
	assert_obj(NOTIFY, "rsync://rpki.example/repo/ca/b.roa", "B1");
	assert_obj(NOTIFY, "rsync://rpki.example/repo/x.roa", NULL);
	ck_assert_int_eq(repo_dir_entries(NOTIFY), 1);
}
END_TEST

START_TEST(test_store_repositories_never_see_each_others_files)
{
	char root1[PATH_MAX], root2[PATH_MAX];
	struct store_txn *t;

	snapshot_abc();
	/* The other repository publishes under the same rsync URIs. */
	t = store_begin(st, NOTIFY2, true);
	put(t, "rsync://rpki.example/repo/a.cer", "evil");
	put(t, "rsync://rpki.example/repo/e.roa", "E");
	commit(t, 1);
	assert_obj(NOTIFY, "rsync://rpki.example/repo/a.cer", "A1");
	assert_obj(NOTIFY, "rsync://rpki.example/repo/e.roa", NULL);
	assert_obj(NOTIFY2, "rsync://rpki.example/repo/a.cer", "evil");
	assert_obj(NOTIFY2, "rsync://rpki.example/repo/ca/b.roa", NULL);
	ck_assert(store_repo_root(st, NOTIFY, root1, sizeof(root1)));
	ck_assert(store_repo_root(st, NOTIFY2, root2, sizeof(root2)));
	ck_assert_str_ne(root1, root2);
	ck_assert(strncmp(root1, root2, strlen(dir) + 6) == 0);
}
END_TEST

START_TEST(test_store_refuses_unsafe_uris)
{
	static const char *bad[] = {
	    "rsync://rpki.example/repo/../../../../escape.roa",
	    "rsync://rpki.example/repo/ca/..",
	    "rsync://../escape.roa",
	    "rsync:///etc/passwd",
	    "/etc/passwd",
	    "rsync://rpki.example/repo/a\nb.roa",
	    "rsync://rpki.example/repo/a\x01"
	    "b.roa",
	    "rsync://rpki.example/repo//a.roa",
	    "rsync://rpki.example/repo/a\\b.roa",
	    "https://rpki.example/repo/a.roa",
	    "file:///etc/passwd",
	};
	unsigned char sha[32];
	struct store_txn *t;
	char path[PATH_MAX];
	size_t i;

	t = store_begin(st, NOTIFY, true);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(!store_put(t, bad[i], (const unsigned char *)"x",
					 1),
			      "put %s", bad[i]);
		ck_assert_msg(!store_delete(t, bad[i]), "delete %s", bad[i]);
		ck_assert_msg(!store_hash(t, bad[i], sha), "hash %s", bad[i]);
	}
	/* A refused URI does not fail the transaction. */
	put(t, "rsync://rpki.example/repo/good.roa", "G");
	commit(t, 1);
	assert_obj(NOTIFY, "rsync://rpki.example/repo/good.roa", "G");
	snprintf(path, sizeof(path), "%s/escape.roa", dir);
	ck_assert_int_eq(access(path, F_OK), -1);
	ck_assert_int_eq(access("/tmp/escape.roa", F_OK), -1);
	ck_assert_ptr_null(store_begin(st, "", true));
}
END_TEST

START_TEST(test_store_refuses_object_path_taken_by_directory)
{
	struct store_txn *t = store_begin(st, NOTIFY, true);

	put(t, "rsync://rpki.example/repo/ca/x.roa", "X");
	ck_assert(!store_put(t, "rsync://rpki.example/repo/ca",
			     (const unsigned char *)"C", 1));
	ck_assert(!store_put(t, "rsync://rpki.example/repo/ca/x.roa/y",
			     (const unsigned char *)"Y", 1));
	commit(t, 1);
	assert_obj(NOTIFY, "rsync://rpki.example/repo/ca/x.roa", "X");
}
END_TEST

START_TEST(test_store_refuses_object_over_size_limit)
{
	struct store_txn *t = store_begin(st, NOTIFY, true);
	unsigned char *big = calloc(1, MAX_OBJECT_SIZE + 1);

	ck_assert(!store_put(t, "rsync://rpki.example/repo/big.roa", big,
			     MAX_OBJECT_SIZE + 1));
	free(big);
	commit(t, 1);
	assert_obj(NOTIFY, "rsync://rpki.example/repo/big.roa", NULL);
}
END_TEST

START_TEST(test_store_write_error_fails_the_transaction)
{
	struct store_state s = state(2);
	struct rlimit saved, small;
	struct store_txn *t;
	bool put_ok;
	int set;

	snapshot_abc();
	t = store_begin(st, NOTIFY, false);
	put(t, "rsync://rpki.example/repo/ca/b.roa", "B2");
	/*
	 * Files may not grow past 16 bytes: the write fails with EFBIG. Check
	 * writes files too, so nothing is asserted until the limit is back.
	 */
	signal(SIGXFSZ, SIG_IGN);
	ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &saved), 0);
	small = saved;
	small.rlim_cur = 16;
	set = setrlimit(RLIMIT_FSIZE, &small);
	put_ok =
	    store_put(t, "rsync://rpki.example/repo/big.roa",
		      (const unsigned char *)"more than sixteen bytes", 23);
	setrlimit(RLIMIT_FSIZE, &saved);
	ck_assert_int_eq(set, 0);
	ck_assert(!put_ok);
	ck_assert(!store_put(t, "rsync://rpki.example/repo/small.roa",
			     (const unsigned char *)"s", 1));
	ck_assert(!store_commit(t, &s));
	ck_assert(store_repo_state(st, NOTIFY, &s));
	ck_assert_uint_eq(s.serial, 1);
	assert_obj(NOTIFY, "rsync://rpki.example/repo/ca/b.roa", "B1");
	ck_assert_int_eq(repo_dir_entries(NOTIFY), 1);
}
END_TEST

START_TEST(test_store_delta_without_synced_tree_refused)
{
	ck_assert_ptr_null(store_begin(st, NOTIFY, false));
	ck_assert(store_repo_failed(st, NOTIFY, "fetch failed"));
	ck_assert_ptr_null(store_begin(st, NOTIFY, false));
}
END_TEST

START_TEST(test_store_second_transaction_on_repository_refused)
{
	struct store_txn *t, *t2;

	t = store_begin(st, NOTIFY, true);
	ck_assert_ptr_nonnull(t);
	ck_assert_ptr_null(store_begin(st, NOTIFY, true));
	t2 = store_begin(st, NOTIFY2, true);
	ck_assert_ptr_nonnull(t2);
	put(t, "rsync://rpki.example/repo/a.cer", "A1");
	put(t2, "rsync://rpki.example/repo/a.cer", "A2");
	commit(t, 1);
	commit(t2, 1);
	assert_obj(NOTIFY, "rsync://rpki.example/repo/a.cer", "A1");
	assert_obj(NOTIFY2, "rsync://rpki.example/repo/a.cer", "A2");
	t = store_begin(st, NOTIFY, false);
	ck_assert_ptr_nonnull(t);
	store_abort(t);
}
END_TEST

START_TEST(test_store_second_open_of_cache_refused)
{
	ck_assert_ptr_null(store_open(dir));
}
END_TEST

START_TEST(test_store_reopen_sees_committed_state)
{
	struct store_state s;
	struct store_txn *t;

	snapshot_abc();
	t = store_begin(st, NOTIFY, false);
	put(t, "rsync://rpki.example/repo/ca/b.roa", "B3");
	commit(t, 3);
	store_close(st);
	st = store_open(dir);
	ck_assert_ptr_nonnull(st);
	ck_assert(store_repo_state(st, NOTIFY, &s));
	ck_assert_str_eq(s.session_id, SESSION);
	ck_assert_uint_eq(s.serial, 3);
	assert_obj(NOTIFY, "rsync://rpki.example/repo/a.cer", "A1");
	assert_obj(NOTIFY, "rsync://rpki.example/repo/ca/b.roa", "B3");
}
END_TEST

/* Leaves what a kill -9 in the middle of a transaction and of a commit
 * would: a half-built next generation and a temporary state file. */
static void
fake_crash(char *next, size_t size)
{
	char root[PATH_MAX], cmd[3 * PATH_MAX];
	char *g;

	ck_assert(store_repo_root(st, NOTIFY, root, sizeof(root)));
	g = strrchr(root, '/');
	snprintf(next, size, "%.*s/g%llu", (int)(g - root), root,
		 strtoull(g + 2, NULL, 10) + 1);
	snprintf(cmd, sizeof(cmd),
		 "mkdir -p '%s/rpki.example/repo' && "
		 "echo half > '%s/rpki.example/repo/a.cer' && "
		 "echo junk > '%.*s/state.tmp.abc123'",
		 next, next, (int)(g - root), root);
	ck_assert_int_eq(system(cmd), 0);
}

START_TEST(test_store_open_removes_crashed_generation)
{
	char next[PATH_MAX];
	struct store_state s;

	snapshot_abc();
	fake_crash(next, sizeof(next));
	ck_assert_int_eq(repo_dir_entries(NOTIFY), 3);
	store_close(st);
	st = store_open(dir);
	ck_assert_ptr_nonnull(st);
	ck_assert_int_eq(access(next, F_OK), -1);
	ck_assert_int_eq(repo_dir_entries(NOTIFY), 1);
	ck_assert(store_repo_state(st, NOTIFY, &s));
	ck_assert_uint_eq(s.serial, 1);
	assert_obj(NOTIFY, "rsync://rpki.example/repo/a.cer", "A1");
}
END_TEST

START_TEST(test_store_begin_replaces_leftover_generation)
{
	char next[PATH_MAX];
	struct store_txn *t;

	snapshot_abc();
	fake_crash(next, sizeof(next));
	t = store_begin(st, NOTIFY, false);
	ck_assert_ptr_nonnull(t);
	commit(t, 2);
	assert_obj(NOTIFY, "rsync://rpki.example/repo/a.cer", "A1");
	ck_assert_int_eq(repo_dir_entries(NOTIFY), 1);
}
END_TEST

START_TEST(test_store_open_without_state_removes_every_generation)
{
	char root[PATH_MAX], state_path[PATH_MAX + 8], *slash;

	snapshot_abc();
	ck_assert(store_repo_root(st, NOTIFY, root, sizeof(root)));
	slash = strrchr(root, '/');
	snprintf(state_path, sizeof(state_path), "%.*s/state",
		 (int)(slash - root), root);
	/* A first snapshot killed before its commit leaves a tree and no
	 * state. */
	ck_assert_int_eq(unlink(state_path), 0);
	store_close(st);
	st = store_open(dir);
	ck_assert_ptr_nonnull(st);
	ck_assert_int_eq(access(root, F_OK), -1);
	ck_assert(!store_repo_root(st, NOTIFY, root, sizeof(root)));
}
END_TEST

START_TEST(test_store_missing_tree_counts_as_never_synced)
{
	char root[PATH_MAX], cmd[PATH_MAX + 16];
	struct store_state s;
	struct store_txn *t;

	snapshot_abc();
	ck_assert(store_repo_root(st, NOTIFY, root, sizeof(root)));
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	ck_assert_int_eq(system(cmd), 0);
	ck_assert(!store_repo_state(st, NOTIFY, &s));
	ck_assert_ptr_null(store_begin(st, NOTIFY, false));
	t = store_begin(st, NOTIFY, true);
	put(t, "rsync://rpki.example/repo/a.cer", "A9");
	commit(t, 9);
	assert_obj(NOTIFY, "rsync://rpki.example/repo/a.cer", "A9");
}
END_TEST

START_TEST(test_store_corrupt_state_is_replaced_by_snapshot)
{
	char root[PATH_MAX], state_path[PATH_MAX + 8], *slash;
	struct store_state s;
	struct store_txn *t;
	FILE *f;

	snapshot_abc();
	ck_assert(store_repo_root(st, NOTIFY, root, sizeof(root)));
	slash = strrchr(root, '/');
	snprintf(state_path, sizeof(state_path), "%.*s/state",
		 (int)(slash - root), root);
	f = fopen(state_path, "w");
	fputs("vrpd-store-state 1\nnotify https%0A\n", f);
	fclose(f);
	store_close(st);
	st = store_open(dir);
	/* Left alone by open, unusable, and replaced by the next snapshot. */
	ck_assert_int_eq(access(root, F_OK), 0);
	ck_assert(!store_repo_state(st, NOTIFY, &s));
	ck_assert_ptr_null(store_begin(st, NOTIFY, false));
	t = store_begin(st, NOTIFY, true);
	put(t, "rsync://rpki.example/repo/a.cer", "A5");
	commit(t, 5);
	assert_obj(NOTIFY, "rsync://rpki.example/repo/a.cer", "A5");
	ck_assert_int_eq(repo_dir_entries(NOTIFY), 1);
}
END_TEST

START_TEST(test_store_touch_state_keeps_tree)
{
	struct store_state s = state(1), got;
	char root1[PATH_MAX], root2[PATH_MAX];

	ck_assert(!store_touch_state(st, NOTIFY, &s));
	snapshot_abc();
	ck_assert(store_repo_root(st, NOTIFY, root1, sizeof(root1)));
	snprintf(s.etag, sizeof(s.etag), "\"v2\"");
	snprintf(s.last_modified, sizeof(s.last_modified),
		 "Wed, 21 Oct 2015 07:28:00 GMT");
	ck_assert(store_touch_state(st, NOTIFY, &s));
	ck_assert(store_repo_state(st, NOTIFY, &got));
	ck_assert_str_eq(got.etag, "\"v2\"");
	ck_assert_str_eq(got.last_modified, "Wed, 21 Oct 2015 07:28:00 GMT");
	ck_assert(store_repo_root(st, NOTIFY, root2, sizeof(root2)));
	ck_assert_str_eq(root1, root2);
	/* A new serial is new contents: that takes a commit. */
	s.serial = 2;
	ck_assert(!store_touch_state(st, NOTIFY, &s));
	s.serial = 1;
	s.session_id[0] = 'f';
	ck_assert(!store_touch_state(st, NOTIFY, &s));
	ck_assert(store_repo_state(st, NOTIFY, &got));
	ck_assert_str_eq(got.session_id, SESSION);
	ck_assert_uint_eq(got.serial, 1);
}
END_TEST

START_TEST(test_store_state_keeps_odd_etag_intact)
{
	static const char etag[] = "W/\"a b\nserial 99\n%41\x7f\xc3\xa9\"";
	struct store_state s = state(1), got;
	struct store_txn *t;

	snprintf(s.etag, sizeof(s.etag), "%s", etag);
	memset(s.last_modified, 'x', sizeof(s.last_modified) - 1);
	t = store_begin(st, NOTIFY, true);
	ck_assert(store_commit(t, &s));
	store_close(st);
	st = store_open(dir);
	ck_assert(store_repo_state(st, NOTIFY, &got));
	ck_assert_str_eq(got.etag, etag);
	ck_assert_str_eq(got.last_modified, s.last_modified);
	ck_assert_uint_eq(got.serial, 1);
}
END_TEST

START_TEST(test_store_refuses_unterminated_state)
{
	struct store_state s = state(1);
	struct store_txn *t;

	memset(s.etag, 'x', sizeof(s.etag));
	t = store_begin(st, NOTIFY, true);
	ck_assert(!store_commit(t, &s));
	ck_assert(!store_repo_state(st, NOTIFY, &s));
	s = state(1);
	s.session_id[0] = '\0';
	t = store_begin(st, NOTIFY, true);
	ck_assert(!store_commit(t, &s));
}
END_TEST

START_TEST(test_store_status_counts_objects_and_failures)
{
	struct store_status s;
	struct store_txn *t;

	ck_assert(!store_repo_status(st, NOTIFY, &s));
	ck_assert(store_repo_failed(st, NOTIFY, "connection refused"));
	ck_assert(store_repo_status(st, NOTIFY, &s));
	ck_assert_str_eq(s.last_error, "connection refused");
	ck_assert_int_ne(s.last_attempt, 0);
	ck_assert_int_eq(s.last_success, 0);
	snapshot_abc();
	ck_assert(store_repo_status(st, NOTIFY, &s));
	ck_assert_uint_eq(s.objects, 3);
	ck_assert_uint_eq(s.bytes, 6);
	ck_assert_str_eq(s.last_error, "");
	ck_assert_int_ne(s.last_success, 0);
	t = store_begin(st, NOTIFY, false);
	put(t, "rsync://rpki.example/repo/ca/b.roa", "B22");
	put(t, "rsync://rpki.example/repo/d.roa", "D");
	ck_assert(store_delete(t, "rsync://rpki.example/repo/a.cer"));
	commit(t, 2);
	ck_assert(store_repo_failed(st, NOTIFY, "bad delta"));
	ck_assert(store_repo_status(st, NOTIFY, &s));
	ck_assert_uint_eq(s.objects, 3);
	ck_assert_uint_eq(s.bytes, 6);
	ck_assert_str_eq(s.last_error, "bad delta");
	/* A recorded failure keeps the tree. */
	assert_obj(NOTIFY, "rsync://rpki.example/repo/d.roa", "D");
}
END_TEST

struct writer {
	const char *notify;
	bool ok;
};

static void *
write_repo(void *arg)
{
	struct writer *w = arg;
	struct store_state s = state(1);
	char uri[128], body[64];
	struct store_txn *t;
	int i;

	if ((t = store_begin(st, w->notify, true)) == NULL)
		return NULL;
	for (i = 0; i < 300; i++) {
		snprintf(uri, sizeof(uri),
			 "rsync://rpki.example/repo/%d/%d.roa", i % 7, i);
		snprintf(body, sizeof(body), "%s %d", w->notify, i);
		if (!store_put(t, uri, (const unsigned char *)body,
			       strlen(body))) {
			store_abort(t);
			return NULL;
		}
	}
	w->ok = store_commit(t, &s);
	return NULL;
}

START_TEST(test_store_repositories_written_from_threads)
{
	struct writer w[2] = {{NOTIFY, false}, {NOTIFY2, false}};
	pthread_t th[2];
	char want[128];
	int i;

	for (i = 0; i < 2; i++)
		ck_assert_int_eq(pthread_create(&th[i], NULL, write_repo,
						&w[i]),
				 0);
	for (i = 0; i < 2; i++) {
		pthread_join(th[i], NULL);
		ck_assert(w[i].ok);
	}
	snprintf(want, sizeof(want), "%s 299", NOTIFY);
	assert_obj(NOTIFY, "rsync://rpki.example/repo/5/299.roa", want);
	snprintf(want, sizeof(want), "%s 299", NOTIFY2);
	assert_obj(NOTIFY2, "rsync://rpki.example/repo/5/299.roa", want);
}
END_TEST

static Suite *
store_suite(void)
{
	Suite *s = suite_create("store");
	TCase *tc = tcase_create("store");

	log_setstream(fopen("/dev/null", "w"));
	tcase_add_checked_fixture(tc, setup_dir, teardown_dir);
	tcase_add_test(tc,
		       test_store_snapshot_is_read_back_through_mirror_read);
	tcase_add_test(tc, test_store_snapshot_replaces_every_object);
	tcase_add_test(tc, test_store_delta_puts_replaces_and_deletes);
	tcase_add_test(tc, test_store_delta_never_writes_into_current_tree);
	tcase_add_test(tc, test_store_delete_of_absent_object_is_enoent);
	tcase_add_test(tc, test_store_delete_removes_emptied_directories);
	tcase_add_test(tc, test_store_hash_is_sha256_of_object_in_transaction);
	tcase_add_test(
	    tc, test_store_snapshot_transaction_holds_nothing_before_puts);
	tcase_add_test(tc, test_store_abort_leaves_old_state);
	tcase_add_test(tc, test_store_repositories_never_see_each_others_files);
	tcase_add_test(tc, test_store_refuses_unsafe_uris);
	tcase_add_test(tc, test_store_refuses_object_path_taken_by_directory);
	tcase_add_test(tc, test_store_refuses_object_over_size_limit);
	tcase_add_test(tc, test_store_write_error_fails_the_transaction);
	tcase_add_test(tc, test_store_delta_without_synced_tree_refused);
	tcase_add_test(tc, test_store_second_transaction_on_repository_refused);
	tcase_add_test(tc, test_store_second_open_of_cache_refused);
	tcase_add_test(tc, test_store_reopen_sees_committed_state);
	tcase_add_test(tc, test_store_open_removes_crashed_generation);
	tcase_add_test(tc, test_store_begin_replaces_leftover_generation);
	tcase_add_test(tc,
		       test_store_open_without_state_removes_every_generation);
	tcase_add_test(tc, test_store_missing_tree_counts_as_never_synced);
	tcase_add_test(tc, test_store_corrupt_state_is_replaced_by_snapshot);
	tcase_add_test(tc, test_store_touch_state_keeps_tree);
	tcase_add_test(tc, test_store_state_keeps_odd_etag_intact);
	tcase_add_test(tc, test_store_refuses_unterminated_state);
	tcase_add_test(tc, test_store_status_counts_objects_and_failures);
	tcase_add_test(tc, test_store_repositories_written_from_threads);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(store_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
