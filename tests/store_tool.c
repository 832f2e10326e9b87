/*
 * A driver for the store, for tests/store_crash.py and for timing:
 *
 *   store_tool snapshot DIR NOTIFY COUNT SEED SERIAL
 *	one transaction replacing the tree with objects 0..COUNT-1 of SEED
 *   store_tool delta DIR NOTIFY COUNT SEED SERIAL BASE
 *	one transaction on the current tree: withdraws each object i < BASE
 *	with i % 3 == 0 (checking it is held), then puts every object
 *	i < COUNT with i % 3 != 0 of SEED
 *   store_tool show DIR NOTIFY
 *	opens the store (which recovers it) and prints "serial N" and
 *	"root PATH", or "none"
 *   store_tool bench DIR COUNT DELTA
 *	times a snapshot of COUNT objects of about 2 KB, then a delta that
 *	changes DELTA of them
 *
 * With STORE_TOOL_PROGRESS set, snapshot and delta print "begin", "begun",
 * "put N" every 1000 objects, "commit" and "done" as they get there, so that
 * a test can kill them at a chosen step whatever the machine's speed.
 *
 * Object i of SEED is rsync://rpki.example/repo/<i % 97>/<i>.roa holding
 * "SEED:i:" repeated 1 + (7919 i + SEED) % 40 times (bench: % 200 + 150).
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rp/log.h"
#include "rp/store.h"

#define SESSION "9df4b597-af9e-4dca-bdda-719cce2c4e28"

static unsigned long repeat_mod = 40, repeat_min = 1;
static bool progress;

static void
step(const char *what, unsigned long n)
{
	if (!progress)
		return;
	if (n == 0)
		printf("%s\n", what);
	else
		printf("%s %lu\n", what, n);
	fflush(stdout);
}

static void
object(unsigned long seed, unsigned long i, char *uri, size_t urisize,
       char **body, size_t *len)
{
	unsigned long n = repeat_min + (7919 * i + seed) % repeat_mod, k;
	char unit[64];
	size_t ulen;

	snprintf(uri, urisize, "rsync://rpki.example/repo/%lu/%lu.roa", i % 97,
		 i);
	ulen = (size_t)snprintf(unit, sizeof(unit), "%lu:%lu:", seed, i);
	*len = n * ulen;
	if ((*body = malloc(*len)) == NULL)
		exit(2);
	for (k = 0; k < n; k++)
		memcpy(*body + k * ulen, unit, ulen);
}

static bool
put_object(struct store_txn *t, unsigned long seed, unsigned long i)
{
	char uri[128], *body;
	size_t len;
	bool ok;

	object(seed, i, uri, sizeof(uri), &body, &len);
	ok = store_put(t, uri, (unsigned char *)body, len);
	free(body);
	return ok;
}

static struct store_state
state(unsigned long serial)
{
	struct store_state s;

	memset(&s, 0, sizeof(s));
	snprintf(s.session_id, sizeof(s.session_id), "%s", SESSION);
	s.serial = serial;
	return s;
}

static bool
snapshot(struct store *st, const char *notify, unsigned long count,
	 unsigned long seed, unsigned long serial)
{
	struct store_state s = state(serial);
	struct store_txn *t;
	unsigned long i;

	step("begin", 0);
	if ((t = store_begin(st, notify, true)) == NULL)
		return false;
	step("begun", 0);
	for (i = 0; i < count; i++) {
		if (!put_object(t, seed, i)) {
			store_abort(t);
			return false;
		}
		if ((i + 1) % 1000 == 0)
			step("put", i + 1);
	}
	step("commit", 0);
	if (!store_commit(t, &s))
		return false;
	step("done", 0);
	return true;
}

static bool
delta(struct store *st, const char *notify, unsigned long count,
      unsigned long seed, unsigned long serial, unsigned long base)
{
	struct store_state s = state(serial);
	unsigned char sha[32];
	struct store_txn *t;
	char uri[128];
	unsigned long i;

	step("begin", 0);
	if ((t = store_begin(st, notify, false)) == NULL)
		return false;
	step("begun", 0);
	for (i = 0; i < base; i += 3) {
		snprintf(uri, sizeof(uri),
			 "rsync://rpki.example/repo/%lu/%lu.roa", i % 97, i);
		if (!store_hash(t, uri, sha) || !store_delete(t, uri)) {
			fprintf(stderr, "withdraw %s failed\n", uri);
			store_abort(t);
			return false;
		}
	}
	for (i = 0; i < count; i++) {
		if (i % 3 != 0 && !put_object(t, seed, i)) {
			store_abort(t);
			return false;
		}
		if ((i + 1) % 1000 == 0)
			step("put", i + 1);
	}
	step("commit", 0);
	if (!store_commit(t, &s))
		return false;
	step("done", 0);
	return true;
}

static int
show(struct store *st, const char *notify)
{
	char root[PATH_MAX];
	struct store_state s;

	if (!store_repo_state(st, notify, &s) ||
	    !store_repo_root(st, notify, root, sizeof(root)))
		printf("none\n");
	else
		printf("serial %llu\nroot %s\n", (unsigned long long)s.serial,
		       root);
	return 0;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
bench(struct store *st, unsigned long count, unsigned long changes)
{
	const char *notify = "https://bench.example/notification.xml";
	struct store_state s = state(1);
	struct store_status status;
	struct store_txn *t;
	double t0, t1, t2;
	char uri[128];
	unsigned long i;

	repeat_min = 150;
	repeat_mod = 200;
	t0 = now();
	if ((t = store_begin(st, notify, true)) == NULL)
		return 1;
	for (i = 0; i < count; i++)
		if (!put_object(t, 1, i))
			return 1;
	t1 = now();
	if (!store_commit(t, &s))
		return 1;
	t2 = now();
	store_repo_status(st, notify, &status);
	printf("snapshot of %lu objects (%llu bytes): %.2f s writing, %.2f s "
	       "commit, %.2f s in all\n",
	       count, (unsigned long long)status.bytes, t1 - t0, t2 - t1,
	       t2 - t0);

	s.serial = 2;
	t0 = now();
	if ((t = store_begin(st, notify, false)) == NULL)
		return 1;
	t1 = now();
	/* Half replaced, a quarter withdrawn, a quarter new. */
	for (i = 0; i < changes; i++) {
		unsigned long k = i * (count / changes);

		if (i % 4 == 0) {
			snprintf(uri, sizeof(uri),
				 "rsync://rpki.example/repo/%lu/%lu.roa",
				 k % 97, k);
			if (!store_delete(t, uri))
				return 1;
		} else if (!put_object(t, 2, i % 4 == 1 ? count + i : k))
			return 1;
	}
	t2 = now();
	if (!store_commit(t, &s))
		return 1;
	printf("delta of %lu changes on top: %.2f s begin (links), %.2f s "
	       "changes, %.2f s commit, %.2f s in all\n",
	       changes, t1 - t0, t2 - t1, now() - t2, now() - t0);
	return 0;
}

static unsigned long
num(const char *s)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (*s == '\0' || *end != '\0') {
		fprintf(stderr, "store_tool: bad number %s\n", s);
		exit(2);
	}
	return v;
}

int
main(int argc, char *argv[])
{
	struct store *st;
	int rc = 2;

	if (argc < 3) {
		fprintf(stderr, "usage: see tests/store_tool.c\n");
		return 2;
	}
	progress = getenv("STORE_TOOL_PROGRESS") != NULL;
	if ((st = store_open(argv[2])) == NULL)
		return 1;
	if (strcmp(argv[1], "snapshot") == 0 && argc == 7)
		rc = snapshot(st, argv[3], num(argv[4]), num(argv[5]),
			      num(argv[6]))
		    ? 0
		    : 1;
	else if (strcmp(argv[1], "delta") == 0 && argc == 8)
		rc = delta(st, argv[3], num(argv[4]), num(argv[5]),
			   num(argv[6]), num(argv[7]))
		    ? 0
		    : 1;
	else if (strcmp(argv[1], "show") == 0 && argc == 4)
		rc = show(st, argv[3]);
	else if (strcmp(argv[1], "bench") == 0 && argc == 5)
		rc = bench(st, num(argv[3]), num(argv[4]));
	else
		fprintf(stderr, "store_tool: bad arguments\n");
	store_close(st);
	return rc;
}
