/*
 * Tests for rp/rrdp.c: the fixture generator's real RRDP files parse, in
 * any chunking, into the objects of its rsync mirror; and each hostile or
 * malformed input is refused with exactly one log line that names the
 * file's URI and the rule. Rejections are tried whole, in 7-byte and in
 * 1-byte chunks, so that a rule holds however the bytes arrive.
 */
#include "config.h"

#include <check.h>
#include <glob.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <openssl/evp.h>
#include <openssl/sha.h>

#include "rp/limits.h"
#include "rp/log.h"
#include "rp/mirror.h"
#include "rp/rrdp.h"
#include "testdata.h"

#define FILE_URI   "https://rpki.example.net/rrdp/s/1/file.xml"
#define NOTIFY_URI "https://rpki.example.net/rrdp/notification.xml"
#define SESSION	   "9df4b597-af9e-4dca-bdda-719cce2c4e28"
#define OTHER_SID  "0c1a4a23-5b43-4c5e-9d36-2cfe0d0c0f4e"
#define NS	   "http://www.ripe.net/rpki/rrdp"
#define OBJ_URI	   "rsync://rpki.example.net/repo/ca/a.roa"
#define HASH_A                                                                 \
	"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"

/* The head of a snapshot or delta with the session and serial 1. */
#define SNAP_HEAD                                                              \
	"<snapshot xmlns=\"" NS "\" version=\"1\" session_id=\"" SESSION       \
	"\" serial=\"1\">"
#define DELTA_HEAD                                                             \
	"<delta xmlns=\"" NS "\" version=\"1\" session_id=\"" SESSION          \
	"\" serial=\"1\">"
#define NOTIF_HEAD                                                             \
	"<notification xmlns=\"" NS "\" version=\"1\" session_id=\"" SESSION   \
	"\" serial=\"3\">"
#define SNAP_REF                                                               \
	"<snapshot uri=\"https://rpki.example.net/rrdp/s/3/snapshot.xml\" "    \
	"hash=\"" HASH_A "\"/>"

/* "hello", base64. */
#define HELLO_B64 "aGVsbG8="

/* What a handler saw, one line per call, to compare between runs. */
struct record {
	FILE *fp;
	char *text;
	size_t len;
	size_t publishes, withdraws;
	size_t stop_after; /* return false on this call (1-based); 0: never */
	size_t calls;
};

static void
hex(const unsigned char *p, size_t len, char *out)
{
	size_t i;

	for (i = 0; i < len; i++)
		sprintf(out + 2 * i, "%02x", p[i]);
	out[2 * len] = '\0';
}

static bool
rec_publish(void *arg, const char *uri, const unsigned char *hash,
	    const unsigned char *data, size_t len)
{
	struct record *r = arg;
	unsigned char md[32];
	char mdhex[65], hhex[65];

	ck_assert_ptr_nonnull(data);
	SHA256(data, len, md);
	hex(md, 32, mdhex);
	if (hash != NULL)
		hex(hash, 32, hhex);
	fprintf(r->fp, "P %s %s %s %zu\n", uri, hash != NULL ? hhex : "-",
		mdhex, len);
	r->publishes++;
	return ++r->calls != r->stop_after;
}

static bool
rec_withdraw(void *arg, const char *uri, const unsigned char hash[32])
{
	struct record *r = arg;
	char hhex[65];

	hex(hash, 32, hhex);
	fprintf(r->fp, "W %s %s\n", uri, hhex);
	r->withdraws++;
	return ++r->calls != r->stop_after;
}

static void
rec_open(struct record *r)
{
	memset(r, 0, sizeof(*r));
	r->fp = open_memstream(&r->text, &r->len);
	ck_assert_ptr_nonnull(r->fp);
}

/* Closes r's stream; r->text stays, for the caller to free. */
static void
rec_close(struct record *r)
{
	fclose(r->fp);
	r->fp = NULL;
}

/*
 * Streams len bytes of xml in pieces of chunk bytes (0: whole) through a
 * parser expecting SESSION and serial; true if it finished well.
 */
static bool
stream_run(const char *uri, enum rrdp_file kind, const char *sid,
	   uint64_t serial, const void *xml, size_t len, size_t chunk,
	   struct record *r, unsigned char sha[32])
{
	struct rrdp_handler h = {rec_publish, rec_withdraw, r};
	struct rrdp_stream *s = rrdp_stream_new(uri, kind, sid, serial, &h);
	const unsigned char *p = xml;
	size_t off, n;
	bool ok = true;

	ck_assert_ptr_nonnull(s);
	if (chunk == 0)
		chunk = len > 0 ? len : 1;
	for (off = 0; off < len && ok; off += n) {
		n = len - off < chunk ? len - off : chunk;
		ok = rrdp_stream_feed(s, p + off, n);
	}
	if (ok)
		ok = rrdp_stream_finish(s, sha);
	else /* a failed stream stays failed, without another word */
		ck_assert(!rrdp_stream_feed(s, "<", 1) &&
			  !rrdp_stream_finish(s, sha));
	rrdp_stream_free(s);
	return ok;
}

static const size_t chunkings[] = {0, 7, 1};

/* xml must be refused in every chunking, with one line containing why. */
static void
reject_kind(enum rrdp_file kind, const char *xml, size_t len, const char *why)
{
	unsigned char sha[32];
	struct testlog cap;
	struct record r;
	size_t i;
	char *log;

	for (i = 0; i < sizeof(chunkings) / sizeof(chunkings[0]); i++) {
		/* Big inputs byte by byte only cost time; 64 KiB is enough. */
		size_t chunk =
		    len > 65536 && chunkings[i] != 0 ? 65536 : chunkings[i];

		rec_open(&r);
		testlog_start(&cap);
		ck_assert_msg(!stream_run(FILE_URI, kind, SESSION, 1, xml, len,
					  chunk, &r, sha),
			      "accepted in chunks of %zu", chunk);
		log = testlog_stop(&cap);
		testlog_assert_one_line(log, FILE_URI, why);
		free(log);
		rec_close(&r);
		free(r.text);
	}
}

static void
reject_snapshot(const char *xml, const char *why)
{
	reject_kind(RRDP_SNAPSHOT, xml, strlen(xml), why);
}

static void
reject_delta(const char *xml, const char *why)
{
	reject_kind(RRDP_DELTA, xml, strlen(xml), why);
}

/* xml must be accepted without a word, in every chunking alike. */
static char *
accept_kind(enum rrdp_file kind, const char *xml, size_t len)
{
	unsigned char sha[32], want[32];
	struct testlog cap;
	struct record r;
	char *first = NULL, *log;
	size_t i;

	SHA256((const unsigned char *)xml, len, want);
	for (i = 0; i < sizeof(chunkings) / sizeof(chunkings[0]); i++) {
		rec_open(&r);
		testlog_start(&cap);
		ck_assert_msg(stream_run(FILE_URI, kind, SESSION, 1, xml, len,
					 chunkings[i], &r, sha),
			      "refused in chunks of %zu", chunkings[i]);
		log = testlog_stop(&cap);
		ck_assert_str_eq(log, "");
		free(log);
		ck_assert_mem_eq(sha, want, 32);
		rec_close(&r);
		if (first == NULL)
			first = r.text;
		else {
			ck_assert_str_eq(r.text, first);
			free(r.text);
		}
	}
	return first;
}

static char *
accept_snapshot(const char *xml)
{
	return accept_kind(RRDP_SNAPSHOT, xml, strlen(xml));
}

static char *
accept_delta(const char *xml)
{
	return accept_kind(RRDP_DELTA, xml, strlen(xml));
}

static struct rrdp_notification *
notification(const char *xml)
{
	return rrdp_notification_parse(NOTIFY_URI, (const unsigned char *)xml,
				       strlen(xml));
}

static void
reject_notification(const char *xml, const char *why)
{
	struct testlog cap;
	char *log;

	testlog_start(&cap);
	ck_assert_ptr_null(notification(xml));
	log = testlog_stop(&cap);
	testlog_assert_one_line(log, NOTIFY_URI, why);
	free(log);
}

/*
 * The local file of a URI in the fixture tree: an https URI of generation
 * gen under gen/https, an rsync URI of the latest one under rsync.
 */
static char *
local_file(const char *gen, const char *uri)
{
	const char *rest = strstr(uri, "://");
	char rel[4096];

	ck_assert_ptr_nonnull(rest);
	if (strncmp(uri, "https://", 8) == 0)
		snprintf(rel, sizeof(rel), "%s/https/%s", gen, rest + 3);
	else
		snprintf(rel, sizeof(rel), "rsync/%s", rest + 3);
	return testdata_path("good", rel);
}

static char **
notification_files(const char *gen, size_t *count)
{
	char *pattern = testdata_path("good", gen);
	char *full;
	glob_t g;
	char **out;
	size_t i;

	ck_assert_int_ge(asprintf(&full, "%s/https/*/*/notification.xml",
				  pattern),
			 0);
	ck_assert_int_eq(glob(full, 0, NULL, &g), 0);
	ck_assert_uint_gt(g.gl_pathc, 0);
	out = calloc(g.gl_pathc + 1, sizeof(*out));
	ck_assert_ptr_nonnull(out);
	for (i = 0; i < g.gl_pathc; i++)
		out[i] = strdup(g.gl_pathv[i]);
	*count = g.gl_pathc;
	globfree(&g);
	free(full);
	free(pattern);
	return out;
}

static void
free_list(char **list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

static struct rrdp_notification *
fixture_notification(const char *path)
{
	size_t len;
	unsigned char *xml = testdata_read(path, &len);
	struct rrdp_notification *n;
	struct testlog cap;
	char *log;

	testlog_start(&cap);
	n = rrdp_notification_parse(path, xml, len);
	log = testlog_stop(&cap);
	ck_assert_msg(n != NULL, "%s refused: %s", path, log);
	ck_assert_str_eq(log, "");
	free(log);
	free(xml);
	return n;
}

/* --- the fixture files ---------------------------------------------- */

START_TEST(test_rrdp_notification_fixtures_parse)
{
	static const char *const gens[] = {"gen1", "gen2"};
	size_t g, i, n;

	for (g = 0; g < 2; g++) {
		char **files = notification_files(gens[g], &n);

		for (i = 0; i < n; i++) {
			struct rrdp_notification *no =
			    fixture_notification(files[i]);
			char want[64];

			/* The generator's layout: <session>/<serial>/. */
			snprintf(want, sizeof(want), "/%s/%llu/snapshot.xml",
				 no->session_id,
				 (unsigned long long)no->serial);
			ck_assert_uint_eq(no->serial, g + 1);
			ck_assert_ptr_nonnull(strstr(no->snapshot_uri, want));
			ck_assert(rrdp_same_origin(no->snapshot_uri,
						   "https://rpki0.example/") ||
				  rrdp_same_origin(no->snapshot_uri,
						   "https://rpki1.example/"));
			ck_assert_uint_eq(no->num_deltas, g);
			if (g == 1) {
				ck_assert_uint_eq(no->deltas[0].serial, 2);
				ck_assert_ptr_eq(rrdp_notification_delta(no, 2),
						 &no->deltas[0]);
			}
			rrdp_notification_free(no);
		}
		free_list(files, n);
	}
}
END_TEST

/* Checks each publish against the rsync mirror of the latest generation. */
struct mirror_check {
	size_t publishes, withdraws, replaces;
	struct record *old; /* gen1 objects: "P uri - sha256 len" lines */
};

static bool
in_old(const struct mirror_check *m, const char *uri, const char *hashhex)
{
	char line[4300];

	snprintf(line, sizeof(line), "P %s - %s ", uri, hashhex);
	return strstr(m->old->text, line) != NULL;
}

static bool
mirror_publish(void *arg, const char *uri, const unsigned char *hash,
	       const unsigned char *data, size_t len)
{
	struct mirror_check *m = arg;
	char *path = local_file(NULL, uri), hhex[65];
	size_t flen;
	unsigned char *file = testdata_read(path, &flen);

	ck_assert_msg(flen == len && memcmp(file, data, len) == 0,
		      "%s differs from %s", uri, path);
	if (hash != NULL) {
		/* A replace names the hash of gen1's object there. */
		hex(hash, 32, hhex);
		ck_assert_msg(in_old(m, uri, hhex), "%s replaces %s", uri,
			      hhex);
		m->replaces++;
	}
	m->publishes++;
	free(file);
	free(path);
	return true;
}

static bool
mirror_withdraw(void *arg, const char *uri, const unsigned char hash[32])
{
	struct mirror_check *m = arg;
	char *path = local_file(NULL, uri), hhex[65];
	FILE *fp = fopen(path, "rb");

	ck_assert_msg(fp == NULL, "%s withdrawn but in the mirror", uri);
	hex(hash, 32, hhex);
	ck_assert_msg(in_old(m, uri, hhex), "%s withdraws %s", uri, hhex);
	m->withdraws++;
	free(path);
	return true;
}

/* Streams the file at uri of generation gen in 4 KiB chunks into h. */
static void
stream_fixture(const char *gen, const char *uri, enum rrdp_file kind,
	       const struct rrdp_notification *n, uint64_t serial,
	       const unsigned char want[32], const struct rrdp_handler *h)
{
	char *path = local_file(gen, uri);
	size_t len, off;
	unsigned char *xml = testdata_read(path, &len), sha[32];
	struct rrdp_stream *s =
	    rrdp_stream_new(uri, kind, n->session_id, serial, h);

	ck_assert_ptr_nonnull(s);
	for (off = 0; off < len; off += 4096)
		ck_assert(
		    rrdp_stream_feed(s, xml + off,
				     len - off < 4096 ? len - off : 4096));
	ck_assert(rrdp_stream_finish(s, sha));
	ck_assert_mem_eq(sha, want, 32);
	rrdp_stream_free(s);
	free(xml);
	free(path);
}

START_TEST(test_rrdp_fixture_snapshots_and_deltas_match_rsync_mirror)
{
	size_t i, n, total = 0, withdraws = 0, replaces = 0;
	char **files = notification_files("gen2", &n);

	for (i = 0; i < n; i++) {
		struct rrdp_notification *no = fixture_notification(files[i]);
		struct rrdp_notification *old;
		char *gen1 = strdup(files[i]), *p;
		struct record rec;
		struct mirror_check m = {0, 0, 0, &rec};
		struct rrdp_handler h = {mirror_publish, mirror_withdraw, &m};
		struct rrdp_handler hr = {rec_publish, rec_withdraw, &rec};
		size_t d;

		/* gen1's objects, which gen2's deltas replace or withdraw. */
		p = strstr(gen1, "/gen2/");
		ck_assert_ptr_nonnull(p);
		p[4] = '1';
		old = fixture_notification(gen1);
		rec_open(&rec);
		stream_fixture("gen1", old->snapshot_uri, RRDP_SNAPSHOT, old,
			       old->serial, old->snapshot_hash, &hr);
		rec_close(&rec);

		stream_fixture("gen2", no->snapshot_uri, RRDP_SNAPSHOT, no,
			       no->serial, no->snapshot_hash, &h);
		ck_assert_uint_eq(m.replaces, 0);
		total += m.publishes;
		for (d = 0; d < no->num_deltas; d++) {
			m.publishes = 0;
			stream_fixture("gen2", no->deltas[d].uri, RRDP_DELTA,
				       no, no->deltas[d].serial,
				       no->deltas[d].hash, &h);
		}
		withdraws += m.withdraws;
		replaces += m.replaces;
		free(rec.text);
		free(gen1);
		rrdp_notification_free(old);
		rrdp_notification_free(no);
	}
	free_list(files, n);
	/* Every object of the mirror but the TA certificates came by RRDP. */
	{
		size_t all;
		char **everything = testdata_find_all("good", "", NULL, &all);
		char **tas = testdata_find_all("good", ".cer", "/ta/", &n);

		ck_assert_uint_eq(total, all - n);
		free_list(everything, all);
		free_list(tas, n);
	}
	/* gen2 changes something: its deltas are not all empty. */
	ck_assert_uint_gt(withdraws + replaces, 0);
}
END_TEST

START_TEST(test_rrdp_chunking_gives_identical_callbacks_and_hash)
{
	static const char *const gens[] = {"gen1", "gen2"};
	size_t g, i, n, d;

	for (g = 0; g < 2; g++) {
		char **files = notification_files(gens[g], &n);

		for (i = 0; i < n; i++) {
			struct rrdp_notification *no =
			    fixture_notification(files[i]);

			for (d = 0; d <= no->num_deltas; d++) {
				bool snap = d == no->num_deltas;
				const char *uri =
				    snap ? no->snapshot_uri : no->deltas[d].uri;
				const unsigned char *want = snap
				    ? no->snapshot_hash
				    : no->deltas[d].hash;
				uint64_t serial =
				    snap ? no->serial : no->deltas[d].serial;
				char *path = local_file(gens[g], uri), *first;

				size_t len, c;
				unsigned char *xml = testdata_read(path, &len);
				unsigned char sha[32];

				first = NULL;
				for (c = 0; c < 3; c++) {
					struct record r;

					rec_open(&r);
					ck_assert(
					    stream_run(uri,
						       snap ? RRDP_SNAPSHOT
							    : RRDP_DELTA,
						       no->session_id, serial,
						       xml, len, chunkings[c],
						       &r, sha));
					rec_close(&r);
					ck_assert_mem_eq(sha, want, 32);
					if (first == NULL) {
						first = r.text;
						continue;
					}
					ck_assert_str_eq(r.text, first);
					free(r.text);
				}
				free(first);
				free(xml);
				free(path);
			}
			rrdp_notification_free(no);
		}
		free_list(files, n);
	}
}
END_TEST

/* --- hostile XML ---------------------------------------------------- */

START_TEST(test_rrdp_doctype_rejected)
{
	reject_snapshot("<!DOCTYPE snapshot>" SNAP_HEAD "</snapshot>",
			"DOCTYPE");
	reject_snapshot("<!DOCTYPE snapshot SYSTEM "
			"\"http://evil/x.dtd\">" SNAP_HEAD "</snapshot>",
			"DOCTYPE");
}
END_TEST

START_TEST(test_rrdp_billion_laughs_rejected)
{
	reject_snapshot(
	    "<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE snapshot [\n"
	    " <!ENTITY lol \"lol\">\n"
	    " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
	    " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
	    " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
	    " <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
	    " <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
	    " <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
	    " <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
	    " <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
	    " <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
	    "]>\n" SNAP_HEAD "<publish uri=\"" OBJ_URI
	    "\">&lol9;</publish></snapshot>",
	    "DOCTYPE");
}
END_TEST

START_TEST(test_rrdp_xxe_in_element_rejected)
{
	reject_snapshot("<!DOCTYPE snapshot [<!ENTITY xxe SYSTEM "
			"\"file:///etc/passwd\">]>" SNAP_HEAD
			"<publish uri=\"" OBJ_URI
			"\">&xxe;</publish></snapshot>",
			"DOCTYPE");
	/* Without a DTD, the reference alone is refused too. */
	reject_snapshot(SNAP_HEAD "<publish uri=\"" OBJ_URI
				  "\">&xxe;</publish></snapshot>",
			"entity reference &xxe;");
}
END_TEST

START_TEST(test_rrdp_xxe_in_attribute_rejected)
{
	reject_snapshot("<!DOCTYPE snapshot [<!ENTITY u "
			"\"rsync://evil.example/x/a.roa\">]>" SNAP_HEAD
			"<publish uri=\"&u;\">" HELLO_B64
			"</publish></snapshot>",
			"DOCTYPE");
	reject_snapshot(SNAP_HEAD "<publish uri=\"&u;\">" HELLO_B64
				  "</publish></snapshot>",
			"entity reference &u;");
}
END_TEST

START_TEST(test_rrdp_wrong_namespace_rejected)
{
	reject_snapshot("<snapshot xmlns=\"http://www.ripe.net/rpki/rrdp/\" "
			"version=\"1\" session_id=\"" SESSION
			"\" serial=\"1\"></snapshot>",
			"namespace");
	reject_snapshot("<snapshot version=\"1\" session_id=\"" SESSION
			"\" serial=\"1\"></snapshot>",
			"namespace");
	/* A child in another namespace is not an RRDP element. */
	reject_snapshot(SNAP_HEAD "<publish xmlns=\"urn:x\" uri=\"" OBJ_URI
				  "\">" HELLO_B64 "</publish></snapshot>",
			"namespace");
	/* A prefix is fine, as long as it names the RRDP namespace. */
	free(accept_snapshot("<r:snapshot xmlns:r=\"" NS
			     "\" version=\"1\" session_id=\"" SESSION
			     "\" serial=\"1\"><r:publish uri=\"" OBJ_URI
			     "\">" HELLO_B64 "</r:publish></r:snapshot>"));
}
END_TEST

START_TEST(test_rrdp_version_2_rejected)
{
	reject_snapshot("<snapshot xmlns=\"" NS
			"\" version=\"2\" session_id=\"" SESSION
			"\" serial=\"1\"></snapshot>",
			"version \"2\" is not 1");
	reject_notification("<notification xmlns=\"" NS
			    "\" version=\"01\" session_id=\"" SESSION
			    "\" serial=\"1\">" SNAP_REF "</notification>",
			    "version \"01\" is not 1");
}
END_TEST

START_TEST(test_rrdp_bad_session_id_rejected)
{
	reject_snapshot("<snapshot xmlns=\"" NS
			"\" version=\"1\" session_id=\"not-a-uuid\" "
			"serial=\"1\"></snapshot>",
			"not a UUID");
	reject_notification("<notification xmlns=\"" NS "\" version=\"1\" "
			    "session_id=\"9df4b597-af9e-4dca-bdda-"
			    "719cce2c4e2g\" serial=\"1\">" SNAP_REF
			    "</notification>",
			    "not a UUID");
	reject_notification("<notification xmlns=\"" NS "\" version=\"1\" "
			    "session_id=\"9df4b597af9e-4dca-bdda-"
			    "719cce2c4e28a\" "
			    "serial=\"1\">" SNAP_REF "</notification>",
			    "not a UUID");
}
END_TEST

START_TEST(test_rrdp_session_mismatch_rejected)
{
	reject_snapshot("<snapshot xmlns=\"" NS
			"\" version=\"1\" session_id=\"" OTHER_SID
			"\" serial=\"1\"></snapshot>",
			"not the notification's");
}
END_TEST

START_TEST(test_rrdp_session_id_case_insensitive)
{
	struct rrdp_notification *n =
	    notification("<notification xmlns=\"" NS "\" version=\"1\" "
			 "session_id=\"9DF4B597-AF9E-4DCA-BDDA-719CCE2C4E28\" "
			 "serial=\"1\">" SNAP_REF "</notification>");

	ck_assert_ptr_nonnull(n);
	ck_assert_str_eq(n->session_id, SESSION);
	rrdp_notification_free(n);
	free(accept_snapshot(
	    "<snapshot xmlns=\"" NS "\" version=\"1\" "
	    "session_id=\"9DF4B597-af9e-4DCA-bdda-719CCE2C4E28\" "
	    "serial=\"1\"></snapshot>"));
}
END_TEST

START_TEST(test_rrdp_serial_mismatch_rejected)
{
	reject_snapshot("<snapshot xmlns=\"" NS
			"\" version=\"1\" session_id=\"" SESSION
			"\" serial=\"2\"></snapshot>",
			"serial 2 is not the notification's 1");
	reject_delta("<delta xmlns=\"" NS
		     "\" version=\"1\" session_id=\"" SESSION
		     "\" serial=\"18446744073709551615\"></delta>",
		     "not the notification's 1");
}
END_TEST

static void
reject_serial(const char *serial)
{
	char *xml;

	ck_assert_int_ge(asprintf(&xml,
				  "<snapshot xmlns=\"" NS
				  "\" version=\"1\" session_id=\"" SESSION
				  "\" serial=\"%s\"></snapshot>",
				  serial),
			 0);
	reject_snapshot(xml, "is not a positive decimal");
	free(xml);
}

START_TEST(test_rrdp_negative_or_leading_zero_serial_rejected)
{
	reject_serial("-1");
	reject_serial("+1");
	reject_serial("01");
	reject_serial("0");
	reject_serial("");
	reject_serial(" 1");
	reject_serial("1.0");
	reject_serial("0x1");
	reject_serial("18446744073709551616"); /* 2^64 */
	reject_serial("99999999999999999999");
	reject_serial("100000000000000000000");
}
END_TEST

START_TEST(test_rrdp_serial_up_to_2_64_minus_1_accepted)
{
	struct rrdp_notification *n = notification(
	    "<notification xmlns=\"" NS "\" version=\"1\" session_id=\"" SESSION
	    "\" serial=\"18446744073709551615\">" SNAP_REF "</notification>");

	ck_assert_ptr_nonnull(n);
	ck_assert(n->serial == UINT64_MAX);
	rrdp_notification_free(n);
}
END_TEST

START_TEST(test_rrdp_duplicate_publish_in_snapshot_rejected)
{
	reject_snapshot(SNAP_HEAD
			"<publish uri=\"" OBJ_URI "\">" HELLO_B64 "</publish>"
			"<publish uri=\"rsync://rpki.example.net/repo/"
			"ca/b.roa\">" HELLO_B64 "</publish>"
			"<publish uri=\"" OBJ_URI "\">AAAA</publish>"
			"</snapshot>",
			OBJ_URI " is published twice");
}
END_TEST

/*
 * A delta naming one URI twice would leave the object to the order of the
 * elements (publish A then replace A by B, in the other order refused;
 * withdraw then publish anew): refused in every order alike.
 */
START_TEST(test_rrdp_uri_named_twice_in_delta_rejected)
{
	static const char *const elems[] = {
	    "<publish uri=\"" OBJ_URI "\" hash=\"" HASH_A "\">AAAA</publish>",
	    "<publish uri=\"" OBJ_URI "\" hash=\"" HASH_A "\">" HELLO_B64
	    "</publish>",
	    "<publish uri=\"" OBJ_URI "\">" HELLO_B64 "</publish>",
	    "<withdraw uri=\"" OBJ_URI "\" hash=\"" HASH_A "\"/>",
	};
	size_t n = sizeof(elems) / sizeof(elems[0]), i, j;
	char *xml;

	for (i = 0; i < n; i++) {
		for (j = 0; j < n; j++) {
			ck_assert_int_ge(asprintf(&xml,
						  DELTA_HEAD
						  "%s<publish uri=\"rsync://"
						  "rpki.example.net/repo/ca/"
						  "b.roa\">AAAA</publish>%s"
						  "</delta>",
						  elems[i], elems[j]),
					 0);
			reject_delta(xml, OBJ_URI " is named twice");
			free(xml);
		}
	}
}
END_TEST

START_TEST(test_rrdp_many_distinct_publishes_accepted)
{
	/* Enough URIs to grow the set several times. */
	size_t i, n = 5000, cap = 200 * n + 200, len;
	char *xml = malloc(cap), *text;
	struct record r;
	unsigned char sha[32];

	ck_assert_ptr_nonnull(xml);
	len = (size_t)snprintf(xml, cap, "%s", SNAP_HEAD);
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(xml + len, cap - len,
					"<publish uri=\"rsync://h.example/r/"
					"%zu.roa\">" HELLO_B64 "</publish>\n",
					i);
	len += (size_t)snprintf(xml + len, cap - len, "</snapshot>");
	rec_open(&r);
	ck_assert(stream_run(FILE_URI, RRDP_SNAPSHOT, SESSION, 1, xml, len, 0,
			     &r, sha));
	rec_close(&r);
	ck_assert_uint_eq(r.publishes, n);
	text = r.text;
	free(text);
	free(xml);
}
END_TEST

START_TEST(test_rrdp_withdraw_without_hash_rejected)
{
	reject_delta(DELTA_HEAD "<withdraw uri=\"" OBJ_URI "\"/></delta>",
		     "<withdraw> has no hash attribute");
}
END_TEST

START_TEST(test_rrdp_publish_with_hash_in_snapshot_rejected)
{
	reject_snapshot(SNAP_HEAD "<publish uri=\"" OBJ_URI "\" hash=\"" HASH_A
				  "\">" HELLO_B64 "</publish></snapshot>",
			"hash attribute in a snapshot");
}
END_TEST

START_TEST(test_rrdp_withdraw_in_snapshot_rejected)
{
	reject_snapshot(SNAP_HEAD "<withdraw uri=\"" OBJ_URI "\" hash=\"" HASH_A
				  "\"/></snapshot>",
			"unknown element <withdraw>");
}
END_TEST

START_TEST(test_rrdp_delta_publish_and_withdraw_accepted)
{
	char *seen = accept_delta(
	    DELTA_HEAD
	    "\n  <publish uri=\"" OBJ_URI "\" hash=\"" HASH_A
	    "\">\n    aGVs\n    bG8=\n  </publish>\n"
	    "  <publish "
	    "uri=\"rsync://rpki.example.net/repo/ca/new.roa\">" HELLO_B64
	    "</publish>\n"
	    "  <withdraw uri=\"rsync://rpki.example.net/repo/ca/old.roa\" "
	    "hash=\"" HASH_A "\"></withdraw>\n</delta>\n");

	ck_assert_str_eq(seen,
			 "P " OBJ_URI " " HASH_A " " HASH_A " 5\n"
			 "P rsync://rpki.example.net/repo/ca/new.roa - " HASH_A
			 " 5\n"
			 "W rsync://rpki.example.net/repo/ca/old.roa " HASH_A
			 "\n");
	free(seen);
}
END_TEST

START_TEST(test_rrdp_bad_hash_rejected)
{
	reject_delta(DELTA_HEAD "<withdraw uri=\"" OBJ_URI "\" hash=\"" HASH_A
				"0\"/></delta>",
		     "is not 64 hexadecimal digits");
	reject_delta(DELTA_HEAD "<withdraw uri=\"" OBJ_URI "\" hash=\"g" HASH_A
				"\"/></delta>",
		     "is not 64 hexadecimal digits");
	reject_delta(DELTA_HEAD "<publish uri=\"" OBJ_URI
				"\" hash=\"\">AAAA</publish></delta>",
		     "is not 64 hexadecimal digits");
}
END_TEST

START_TEST(test_rrdp_malformed_base64_rejected)
{
	static const char *const bad[] = {
	    "aGVsbG8",		/* not a multiple of 4 */
	    "aGVs*G8=",		/* not a base64 character */
	    "aGVs-bG8=",	/* OpenSSL's end marker */
	    "aGVsbG8=aGVs",	/* data after the padding */
	    "aGVsbG8= \n aGVs", /* ... however spaced */
	    "QQ==QQ==",		/* padding in the middle */
	    "Q===",		/* too much padding */
	    "=",
	    "&amp;",
	};
	size_t i;
	char *xml;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_ge(asprintf(&xml,
					  SNAP_HEAD
					  "<publish uri=\"" OBJ_URI
					  "\">%s</publish></snapshot>",
					  bad[i]),
				 0);
		reject_snapshot(xml, "malformed base64");
		free(xml);
	}
}
END_TEST

START_TEST(test_rrdp_base64_whitespace_cdata_and_comments_accepted)
{
	char *seen = accept_snapshot(
	    "<?xml version=\"1.0\" encoding=\"US-ASCII\"?>\n"
	    "<!-- a comment -->\n" SNAP_HEAD "\r\n\t<publish uri=\"" OBJ_URI
	    "\">\r\n a G\tVs\n<!-- x -->"
	    "<![CDATA[bG8=]]>\n </publish><?pi ignored?>\n</snapshot>\n");

	ck_assert_str_eq(seen, "P " OBJ_URI " - " HASH_A " 5\n");
	free(seen);
}
END_TEST

START_TEST(test_rrdp_utf8_bom_accepted_utf16_rejected)
{
	static const char doc[] = "\xef\xbb\xbf" SNAP_HEAD "</snapshot>";
	static const char utf16[] = "\xff\xfe<\0s\0";

	free(accept_kind(RRDP_SNAPSHOT, doc, sizeof(doc) - 1));
	reject_kind(RRDP_SNAPSHOT, utf16, sizeof(utf16) - 1, "XML");
	reject_kind(RRDP_SNAPSHOT, "\xef\xbb" SNAP_HEAD "</snapshot>",
		    strlen("\xef\xbb" SNAP_HEAD "</snapshot>"), "XML");
}
END_TEST

START_TEST(test_rrdp_empty_publish_passed_on)
{
	char *seen = accept_snapshot(SNAP_HEAD "<publish uri=\"" OBJ_URI
					       "\"></publish></snapshot>");

	ck_assert_str_eq(seen,
			 "P " OBJ_URI " - "
			 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca"
			 "495991b7852b855 0\n");
	free(seen);
}
END_TEST

/* A snapshot with one object of size bytes, base64 in lines of 76. */
static char *
big_object_snapshot(size_t size, size_t *len)
{
	size_t b64len = (size + 2) / 3 * 4, cap = b64len + b64len / 76 + 1024;
	unsigned char *obj = malloc(size > 0 ? size : 1);
	char *xml = malloc(cap);
	size_t off, i;
	int n;

	ck_assert_ptr_nonnull(obj);
	ck_assert_ptr_nonnull(xml);
	for (i = 0; i < size; i++)
		obj[i] = (unsigned char)(i * 7 + i / 251);
	off = (size_t)snprintf(xml, cap,
			       SNAP_HEAD "<publish uri=\"" OBJ_URI "\">");
	for (i = 0; i < size; i += 57) {
		size_t in = size - i < 57 ? size - i : 57;

		n = EVP_EncodeBlock((unsigned char *)xml + off, obj + i,
				    (int)in);
		off += (size_t)n;
		xml[off++] = '\n';
	}
	off += (size_t)snprintf(xml + off, cap - off, "</publish></snapshot>");
	free(obj);
	*len = off;
	return xml;
}

START_TEST(test_rrdp_object_over_size_limit_rejected)
{
	size_t len;
	char *xml = big_object_snapshot(MAX_OBJECT_SIZE + 1, &len);

	reject_kind(RRDP_SNAPSHOT, xml, len, "object larger than");
	free(xml);
}
END_TEST

START_TEST(test_rrdp_object_at_size_limit_accepted)
{
	size_t len;
	char *xml = big_object_snapshot(MAX_OBJECT_SIZE, &len);
	struct record r;
	unsigned char sha[32];

	rec_open(&r);
	ck_assert(stream_run(FILE_URI, RRDP_SNAPSHOT, SESSION, 1, xml, len,
			     65536, &r, sha));
	rec_close(&r);
	ck_assert_uint_eq(r.publishes, 1);
	ck_assert_ptr_nonnull(strstr(r.text, " 8388608\n"));
	free(r.text);
	free(xml);
}
END_TEST

START_TEST(test_rrdp_deep_nesting_rejected)
{
	reject_snapshot(SNAP_HEAD "<publish uri=\"" OBJ_URI
				  "\"><publish uri=\"" OBJ_URI
				  "\"/></publish></snapshot>",
			"nested deeper than 2");
	reject_delta(DELTA_HEAD "<withdraw uri=\"" OBJ_URI "\" hash=\"" HASH_A
				"\"><x/></withdraw></delta>",
		     "nested deeper than 2");
}
END_TEST

START_TEST(test_rrdp_huge_attribute_rejected)
{
	size_t n = 1024 * 1024;
	char *xml = malloc(n + 256);
	int off;

	ck_assert_ptr_nonnull(xml);
	off = snprintf(xml, n + 256,
		       SNAP_HEAD "<publish uri=\"rsync://h.example/r/");
	memset(xml + off, 'a', n);
	snprintf(xml + off + n, 256, "\">AAAA</publish></snapshot>");
	reject_snapshot(xml, "longer than 16384 bytes");
	free(xml);
}
END_TEST

/* Markup held whole by libxml2 is cut off at MAX_RRDP_MARKUP. */
START_TEST(test_rrdp_long_markup_rejected)
{
	size_t cap = 2 * MAX_RRDP_MARKUP + 1024, off, i;
	char *xml = malloc(cap);

	ck_assert_ptr_nonnull(xml);
	/* Thousands of attributes: libxml2 2.9 compares them pairwise. */
	off = (size_t)snprintf(xml, cap, "%s<publish uri=\"" OBJ_URI "\"",
			       SNAP_HEAD);
	for (i = 0; off < strlen(SNAP_HEAD) + MAX_RRDP_MARKUP + 64; i++)
		off += (size_t)snprintf(xml + off, cap - off, " a%zu=''", i);
	snprintf(xml + off, cap - off, ">AAAA</publish></snapshot>");
	reject_snapshot(xml, "longer than 16384 bytes");

	/* A '>' in a quoted value does not end the tag. */
	off = (size_t)snprintf(xml, cap, "%s<publish uri='", SNAP_HEAD);
	for (i = 0; i < MAX_RRDP_MARKUP; i++)
		xml[off++] = '>';
	snprintf(xml + off, cap - off, "'>AAAA</publish></snapshot>");
	reject_snapshot(xml, "longer than 16384 bytes");

	off = (size_t)snprintf(xml, cap, "<!--");
	memset(xml + off, '-', MAX_RRDP_MARKUP);
	snprintf(xml + off + MAX_RRDP_MARKUP, cap - off - MAX_RRDP_MARKUP,
		 " -->%s</snapshot>", SNAP_HEAD);
	reject_snapshot(xml, "longer than 16384 bytes");

	off = (size_t)snprintf(xml, cap, "%s<?pi ", SNAP_HEAD);
	memset(xml + off, '>', MAX_RRDP_MARKUP);
	snprintf(xml + off + MAX_RRDP_MARKUP, cap - off - MAX_RRDP_MARKUP,
		 "?></snapshot>");
	reject_snapshot(xml, "longer than 16384 bytes");

	off = (size_t)snprintf(xml, cap, "%s</snapshot", SNAP_HEAD);
	memset(xml + off, ' ', MAX_RRDP_MARKUP);
	snprintf(xml + off + MAX_RRDP_MARKUP, cap - off - MAX_RRDP_MARKUP, ">");
	reject_snapshot(xml, "longer than 16384 bytes");
	free(xml);
}
END_TEST

/* Markup just within the bound, and CDATA of any length, pass. */
START_TEST(test_rrdp_markup_at_limit_and_long_cdata_accepted)
{
	size_t cap = 4 * MAX_RRDP_MARKUP, off, i;
	char *xml = malloc(cap), *seen;

	ck_assert_ptr_nonnull(xml);
	/* A comment of exactly MAX_RRDP_MARKUP bytes, "<!--" to "-->". */
	off = (size_t)snprintf(xml, cap, "<!--");
	memset(xml + off, 'x', MAX_RRDP_MARKUP - 7);
	off += MAX_RRDP_MARKUP - 7;
	off += (size_t)snprintf(xml + off, cap - off, "-->%s", SNAP_HEAD);
	off += (size_t)snprintf(xml + off, cap - off,
				"<publish uri=\"" OBJ_URI "\"><![CDATA[");
	while (off + 16 < cap - 64)
		off += (size_t)snprintf(xml + off, cap - off, "AAAA]>]");
	snprintf(xml + off, cap - off, "]]></publish></snapshot>");
	/* The scan must not end the CDATA section at "]>" ... */
	reject_snapshot(xml, "malformed base64");
	/* ... and passes it whole however long. */
	off = (size_t)(strstr(xml, "<![CDATA[") - xml) + 9;
	for (i = off; strncmp(xml + i, "]]>", 3) != 0; i++)
		if (xml[i] == ']' || xml[i] == '>')
			xml[i] = '\n';
	seen = accept_snapshot(xml);
	ck_assert_ptr_nonnull(strstr(seen, OBJ_URI));
	free(seen);
	free(xml);
}
END_TEST

START_TEST(test_rrdp_unknown_element_rejected)
{
	reject_snapshot(SNAP_HEAD "<foo/></snapshot>", "unknown element <foo>");
	reject_delta(DELTA_HEAD "<snapshot/></delta>",
		     "unknown element <snapshot>");
	reject_notification(NOTIF_HEAD SNAP_REF
			    "<publish uri=\"" OBJ_URI
			    "\">AAAA</publish></notification>",
			    "unknown element <publish>");
	/* The root must be the kind of file the caller asked for. */
	reject_snapshot(DELTA_HEAD "</delta>", "root element is <delta>");
	reject_delta(SNAP_HEAD "</snapshot>", "root element is <snapshot>");
}
END_TEST

START_TEST(test_rrdp_unknown_attribute_rejected)
{
	reject_snapshot(SNAP_HEAD "<publish uri=\"" OBJ_URI
				  "\" foo=\"1\">AAAA</publish></snapshot>",
			"unknown attribute foo of <publish>");
	reject_snapshot("<snapshot xmlns=\"" NS
			"\" xmlns:x=\"urn:x\" x:serial=\"1\" version=\"1\" "
			"session_id=\"" SESSION "\" serial=\"1\"></snapshot>",
			"unknown attribute x:serial");
}
END_TEST

START_TEST(test_rrdp_missing_attribute_rejected)
{
	reject_snapshot(SNAP_HEAD "<publish>AAAA</publish></snapshot>",
			"<publish> has no uri attribute");
	reject_snapshot("<snapshot xmlns=\"" NS
			"\" version=\"1\" session_id=\"" SESSION
			"\"></snapshot>",
			"<snapshot> has no serial attribute");
	reject_notification(NOTIF_HEAD "<snapshot uri=\"https://rpki.example."
				       "net/s.xml\"/></notification>",
			    "<snapshot> has no hash attribute");
}
END_TEST

static void
reject_uri(const char *uri, const char *why)
{
	char *xml;

	ck_assert_int_ge(asprintf(&xml,
				  SNAP_HEAD "<publish uri=\"%s\">" HELLO_B64
					    "</publish></snapshot>",
				  uri),
			 0);
	reject_snapshot(xml, why);
	free(xml);
	ck_assert_int_ge(asprintf(&xml,
				  DELTA_HEAD
				  "<withdraw uri=\"%s\" hash=\"" HASH_A
				  "\"/></delta>",
				  uri),
			 0);
	reject_delta(xml, why);
	free(xml);
}

START_TEST(test_rrdp_dot_dot_uri_rejected)
{
	reject_uri("rsync://rpki.example.net/repo/../../etc/passwd",
		   "\"..\" path segment");
	reject_uri("rsync://rpki.example.net/repo/ca/..",
		   "\"..\" path segment");
	reject_uri("rsync://rpki.example.net/./x.roa", "\".\" or");
	reject_uri("rsync://../x.roa", "bad host");
	reject_uri("rsync://rpki.example.net/repo//x.roa",
		   "empty path segment");
	reject_uri("rsync://rpki.example.net/repo/", "empty path segment");
}
END_TEST

START_TEST(test_rrdp_percent_and_backslash_uri_rejected)
{
	reject_uri("rsync://rpki.example.net/repo/%2e%2e/x.roa", "'%' escape");
	reject_uri("rsync://rpki.example.net/repo/a%41.roa", "'%' escape");
	reject_uri("rsync://rpki.example.net/repo/..\\x.roa", "'\\'");
}
END_TEST

START_TEST(test_rrdp_control_character_uri_rejected)
{
	reject_uri("rsync://rpki.example.net/repo/a&#9;b.roa", "not printable");
	reject_uri("rsync://rpki.example.net/repo/a&#127;.roa",
		   "not printable");
	reject_uri("rsync://rpki.example.net/repo/a&#10;b.roa",
		   "not printable");
	reject_uri("rsync://rpki.example.net/repo/caf\xc3\xa9.roa",
		   "not printable");
	reject_uri("rsync://rpki.example.net/repo/a b.roa", "not printable");
	reject_uri("", "not an rsync:// URI");
}
END_TEST

START_TEST(test_rrdp_non_rsync_uri_rejected)
{
	reject_uri("https://rpki.example.net/repo/x.roa", "not an rsync");
	reject_uri("RSYNC://rpki.example.net/repo/x.roa", "not an rsync");
	reject_uri("file:///etc/passwd", "not an rsync");
	reject_uri("/etc/passwd", "not an rsync");
	reject_uri("rsync:///etc/passwd", "bad host");
	reject_uri("rsync://rpki.example.net", "bad host");
	reject_uri("rsync://rpki.example.net:/x.roa", "bad host");
	reject_uri("rsync://user@rpki.example.net/x.roa", "bad host");
}
END_TEST

/*
 * Every URI the parser lets through maps into the cache by mirror_path(),
 * the rule rp/store.c applies: the two checks must not drift apart.
 */
START_TEST(test_rrdp_accepted_uris_map_into_mirror)
{
	static const char *const good[] = {
	    "rsync://rpki.example.net/repo/ca/a.roa",
	    "rsync://RPKI.example.net:873/repo/ca/A-b_c.mft",
	    "rsync://10.0.0.1/r/x.cer",
	    "rsync://h/.hidden/x~y+z=w,v;u@t!s$r&q'p(o)n*m:l",
	    "rsync://h/a?b#c",
	    "rsync://h/...",
	};
	char path[8192], esc[512], *xml, *seen;
	size_t i, j, n;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		ck_assert_msg(mirror_path("/cache", good[i], path,
					  sizeof(path)),
			      "mirror_path refuses %s", good[i]);
		/* In XML, '&' is "&amp;"; the rest stands for itself. */
		for (j = n = 0; good[i][j] != '\0'; j++) {
			if (good[i][j] == '&') {
				memcpy(esc + n, "&amp;", 5);
				n += 5;
			} else
				esc[n++] = good[i][j];
		}
		esc[n] = '\0';
		ck_assert_int_ge(asprintf(&xml,
					  SNAP_HEAD
					  "<publish uri=\"%s\">" HELLO_B64
					  "</publish></snapshot>",
					  esc),
				 0);
		seen = accept_snapshot(xml);
		ck_assert_msg(strstr(seen, good[i]) != NULL, "%s not in %s",
			      good[i], seen);
		free(seen);
		free(xml);
	}
}
END_TEST

/* However the XML spells a character, the URI is what it decodes to. */
START_TEST(test_rrdp_uri_character_references_decoded)
{
	char *seen = accept_delta(
	    DELTA_HEAD "<publish uri=\"rsync://h/a&amp;b&#38;c&#x26;d&#x2F;"
		       "e&lt;f&gt;g&quot;h&apos;i&#97;.roa\">" HELLO_B64
		       "</publish><withdraw uri='rsync://h/&amp;#38;' "
		       "hash='" HASH_A "'/></delta>");

	ck_assert_str_eq(seen,
			 "P rsync://h/a&b&c&d/e<f>g\"h'ia.roa - " HASH_A
			 " 5\nW rsync://h/&#38; " HASH_A "\n");
	free(seen);
}
END_TEST

START_TEST(test_rrdp_long_uri_rejected)
{
	char uri[MAX_URI_LENGTH + 2];
	size_t off = (size_t)snprintf(uri, sizeof(uri), "rsync://h.example/r/");

	memset(uri + off, 'a', sizeof(uri) - 1 - off);
	uri[sizeof(uri) - 1] = '\0'; /* MAX_URI_LENGTH + 1 bytes */
	reject_uri(uri, "longer than 2048 bytes");
	uri[MAX_URI_LENGTH] = '\0';
	{
		char *xml, *seen;

		ck_assert_int_ge(asprintf(&xml,
					  SNAP_HEAD
					  "<publish uri=\"%s\">" HELLO_B64
					  "</publish></snapshot>",
					  uri),
				 0);
		seen = accept_snapshot(xml);
		ck_assert_ptr_nonnull(strstr(seen, uri));
		free(seen);
		free(xml);
	}
}
END_TEST

START_TEST(test_rrdp_truncated_document_rejected)
{
	static const char doc[] =
	    SNAP_HEAD "\n <publish uri=\"" OBJ_URI "\">" HELLO_B64
		      "</publish>\n</snapshot>";
	size_t cut, end = strlen(doc);
	struct testlog cap;
	struct record r;
	unsigned char sha[32];
	char *log;

	/* Every prefix that stops before the root is closed. */
	for (cut = 0; cut < end; cut++) {
		rec_open(&r);
		testlog_start(&cap);
		ck_assert_msg(!stream_run(FILE_URI, RRDP_SNAPSHOT, SESSION, 1,
					  doc, cut, 0, &r, sha),
			      "accepted %zu bytes", cut);
		log = testlog_stop(&cap);
		testlog_assert_one_line(log, FILE_URI, "truncated");
		free(log);
		rec_close(&r);
		free(r.text);
	}
	free(accept_snapshot(doc));
}
END_TEST

START_TEST(test_rrdp_trailing_content_rejected)
{
	reject_snapshot(SNAP_HEAD "</snapshot><snapshot/>", "XML");
	reject_snapshot(SNAP_HEAD "</snapshot>junk", "XML");
	reject_snapshot(SNAP_HEAD "</publish>", "XML");
}
END_TEST

START_TEST(test_rrdp_text_outside_publish_rejected)
{
	reject_snapshot(SNAP_HEAD "AAAA</snapshot>", "text outside");
	reject_delta(DELTA_HEAD "<withdraw uri=\"" OBJ_URI "\" hash=\"" HASH_A
				"\">AAAA</withdraw></delta>",
		     "text outside");
	reject_notification(NOTIF_HEAD SNAP_REF "x</notification>",
			    "text outside");
}
END_TEST

START_TEST(test_rrdp_whitespace_cap_rejected)
{
	char *xml = malloc(MAX_RRDP_WHITESPACE + 256);
	int off;

	ck_assert_ptr_nonnull(xml);
	off = snprintf(xml, 256, "%s", SNAP_HEAD);
	memset(xml + off, ' ', MAX_RRDP_WHITESPACE + 1);
	strcpy(xml + off + MAX_RRDP_WHITESPACE + 1, "</snapshot>");
	reject_snapshot(xml, "whitespace between two tags");
	/* Exactly the limit is fine. */
	strcpy(xml + off + MAX_RRDP_WHITESPACE, "</snapshot>");
	free(accept_snapshot(xml));
	free(xml);
}
END_TEST

START_TEST(test_rrdp_handler_false_aborts_without_log)
{
	static const char doc[] = DELTA_HEAD
	    "<publish uri=\"" OBJ_URI "\">" HELLO_B64 "</publish>"
	    "<withdraw uri=\"rsync://h.example/r/b.roa\" hash=\"" HASH_A "\"/>"
	    "<publish uri=\"rsync://h.example/r/c.roa\">" HELLO_B64
	    "</publish></delta>";
	size_t stop_at, c;

	for (stop_at = 1; stop_at <= 3; stop_at++) {
		for (c = 0; c < 3; c++) {
			struct testlog cap;
			struct record r;
			unsigned char sha[32];
			char *log;

			rec_open(&r);
			r.stop_after = stop_at;
			testlog_start(&cap);
			ck_assert(!stream_run(FILE_URI, RRDP_DELTA, SESSION, 1,
					      doc, strlen(doc), chunkings[c],
					      &r, sha));
			log = testlog_stop(&cap);
			ck_assert_str_eq(log, "");
			ck_assert_uint_eq(r.calls, stop_at);
			free(log);
			rec_close(&r);
			free(r.text);
		}
	}
}
END_TEST

START_TEST(test_rrdp_stream_new_refuses_bad_arguments)
{
	struct record r;
	struct rrdp_handler h = {rec_publish, rec_withdraw, &r};
	struct rrdp_handler nopub = {NULL, rec_withdraw, &r};
	struct testlog cap;
	char *log;

	testlog_start(&cap);
	ck_assert_ptr_null(
	    rrdp_stream_new(FILE_URI, RRDP_SNAPSHOT, "x", 1, &h));
	ck_assert_ptr_null(
	    rrdp_stream_new(FILE_URI, RRDP_SNAPSHOT, SESSION, 0, &h));
	ck_assert_ptr_null(
	    rrdp_stream_new(FILE_URI, RRDP_DELTA, SESSION, 1, &nopub));
	ck_assert_ptr_null(
	    rrdp_stream_new(FILE_URI, (enum rrdp_file)7, SESSION, 1, &h));
	log = testlog_stop(&cap);
	ck_assert_ptr_nonnull(strstr(log, FILE_URI));
	free(log);
	rrdp_stream_free(NULL);
	rrdp_notification_free(NULL);
}
END_TEST

START_TEST(test_rrdp_empty_files_accepted)
{
	char *seen = accept_snapshot(SNAP_HEAD "</snapshot>");

	ck_assert_str_eq(seen, "");
	free(seen);
	seen = accept_delta(DELTA_HEAD "\n</delta>\n");
	ck_assert_str_eq(seen, "");
	free(seen);
}
END_TEST

/* --- the notification ----------------------------------------------- */

START_TEST(test_rrdp_notification_deltas_sorted)
{
	struct rrdp_notification *n = notification(
	    NOTIF_HEAD
	    "<delta serial=\"2\" uri=\"https://rpki.example.net/d2.xml\" "
	    "hash=\"" HASH_A "\"/>" SNAP_REF
	    "<delta serial=\"3\" uri=\"https://rpki.example.net/d3.xml\" "
	    "hash=\"" HASH_A "\"/>"
	    "<delta serial=\"1\" uri=\"https://rpki.example.net/d1.xml\" "
	    "hash=\"" HASH_A "\"/></notification>");

	ck_assert_ptr_nonnull(n);
	ck_assert_str_eq(n->session_id, SESSION);
	ck_assert(n->serial == 3);
	ck_assert_str_eq(n->snapshot_uri,
			 "https://rpki.example.net/rrdp/s/3/snapshot.xml");
	ck_assert_uint_eq(n->snapshot_hash[0], 0x2c);
	ck_assert_uint_eq(n->snapshot_hash[31], 0x24);
	ck_assert_uint_eq(n->num_deltas, 3);
	ck_assert(n->deltas[0].serial == 1 && n->deltas[1].serial == 2 &&
		  n->deltas[2].serial == 3);
	ck_assert_str_eq(n->deltas[0].uri, "https://rpki.example.net/d1.xml");
	ck_assert_str_eq(n->deltas[2].uri, "https://rpki.example.net/d3.xml");
	ck_assert_ptr_eq(rrdp_notification_delta(n, 2), &n->deltas[1]);
	ck_assert_ptr_null(rrdp_notification_delta(n, 4));
	ck_assert_ptr_null(rrdp_notification_delta(n, 0));
	rrdp_notification_free(n);
}
END_TEST

START_TEST(test_rrdp_notification_uri_attribute_ends_at_its_quote)
{
	/* A host-only URI: nothing after the value may count as its path. */
	struct rrdp_notification *n = notification(
	    NOTIF_HEAD "<snapshot uri=\"https://rpki.example.net\" "
		       "hash=\"" HASH_A "\"/></notification>");

	ck_assert_ptr_nonnull(n);
	ck_assert_str_eq(n->snapshot_uri, "https://rpki.example.net");
	rrdp_notification_free(n);
	reject_notification(NOTIF_HEAD
			    "<snapshot uri=\"https://\" hash=\"" HASH_A
			    "\"/></notification>",
			    "not an https URI");
}
END_TEST

START_TEST(test_rrdp_notification_duplicate_delta_serial_rejected)
{
	reject_notification(
	    NOTIF_HEAD SNAP_REF
	    "<delta serial=\"2\" uri=\"https://rpki.example.net/a.xml\" "
	    "hash=\"" HASH_A "\"/>"
	    "<delta serial=\"2\" uri=\"https://rpki.example.net/b.xml\" "
	    "hash=\"" HASH_A "\"/></notification>",
	    "two deltas with serial 2");
}
END_TEST

START_TEST(test_rrdp_notification_delta_above_serial_rejected)
{
	reject_notification(NOTIF_HEAD SNAP_REF
			    "<delta serial=\"4\" "
			    "uri=\"https://rpki.example.net/a.xml\" "
			    "hash=\"" HASH_A "\"/></notification>",
			    "delta serial 4 is above the notification's 3");
}
END_TEST

START_TEST(test_rrdp_notification_snapshot_count_rejected)
{
	reject_notification(NOTIF_HEAD "</notification>", "no <snapshot>");
	reject_notification(NOTIF_HEAD SNAP_REF SNAP_REF "</notification>",
			    "more than one <snapshot>");
}
END_TEST

START_TEST(test_rrdp_notification_bad_uri_or_hash_rejected)
{
	reject_notification(NOTIF_HEAD "<snapshot uri=\"http://rpki.example."
				       "net/s.xml\" hash=\"" HASH_A
				       "\"/></notification>",
			    "not an https URI");
	reject_notification(NOTIF_HEAD "<snapshot uri=\"https:///s.xml\" "
				       "hash=\"" HASH_A "\"/></notification>",
			    "not an https URI");
	reject_notification(NOTIF_HEAD "<snapshot uri=\"https://rpki.example."
				       "net/a b.xml\" hash=\"" HASH_A
				       "\"/></notification>",
			    "not an https URI");
	reject_notification(NOTIF_HEAD
			    "<snapshot uri=\"https://rpki.example.net/s.xml\" "
			    "hash=\"" HASH_A "0\"/></notification>",
			    "not 64 hexadecimal digits");
	reject_notification(NOTIF_HEAD SNAP_REF
			    "<delta serial=\"2\" "
			    "uri=\"https://rpki.example.net/a.xml\"/>"
			    "</notification>",
			    "<delta> has no hash attribute");
	reject_notification(NOTIF_HEAD SNAP_REF
			    "<delta serial=\"02\" "
			    "uri=\"https://rpki.example.net/a.xml\" "
			    "hash=\"" HASH_A "\"/></notification>",
			    "is not a positive decimal");
}
END_TEST

START_TEST(test_rrdp_notification_hostile_xml_rejected)
{
	reject_notification("<!DOCTYPE notification [<!ENTITY x "
			    "\"y\">]>" NOTIF_HEAD SNAP_REF "</notification>",
			    "DOCTYPE");
	reject_notification("<notification xmlns=\"urn:other\" version=\"1\" "
			    "session_id=\"" SESSION "\" serial=\"3\">" SNAP_REF
			    "</notification>",
			    "namespace");
	reject_notification(NOTIF_HEAD SNAP_REF, "truncated");
	reject_notification("", "truncated");
	reject_notification(SNAP_HEAD "</snapshot>",
			    "root element is <snapshot>");
}
END_TEST

START_TEST(test_rrdp_notification_too_big_rejected)
{
	size_t len = MAX_NOTIFICATION_SIZE + 1;
	unsigned char *xml = malloc(len);
	struct testlog cap;
	char *log;

	ck_assert_ptr_nonnull(xml);
	memset(xml, ' ', len);
	testlog_start(&cap);
	ck_assert_ptr_null(rrdp_notification_parse(NOTIFY_URI, xml, len));
	log = testlog_stop(&cap);
	testlog_assert_one_line(log, NOTIFY_URI, "more than the 16777216");
	free(log);
	free(xml);
}
END_TEST

/* --- same origin ---------------------------------------------------- */

START_TEST(test_rrdp_same_origin)
{
	ck_assert(rrdp_same_origin("https://rrdp.example.net/n.xml",
				   "https://rrdp.example.net/a/b/s.xml"));
	ck_assert(rrdp_same_origin("https://RRDP.Example.NET/n.xml",
				   "https://rrdp.example.net:443/s.xml"));
	ck_assert(rrdp_same_origin("HTTPS://rrdp.example.net:/n.xml",
				   "https://rrdp.example.net"));
	ck_assert(rrdp_same_origin("https://rrdp.example.net:8443/n.xml",
				   "https://rrdp.example.net:08443/s.xml"));
	ck_assert(rrdp_same_origin("https://[2001:db8::1]/n.xml",
				   "https://[2001:DB8::1]:443/s.xml"));
	ck_assert(rrdp_same_origin("https://rrdp.example.net?x",
				   "https://rrdp.example.net#y"));

	ck_assert(!rrdp_same_origin("https://rrdp.example.net/n.xml",
				    "https://rrdp.example.org/s.xml"));
	ck_assert(!rrdp_same_origin("https://rrdp.example.net/n.xml",
				    "https://evil.rrdp.example.net/s.xml"));
	ck_assert(!rrdp_same_origin("https://rrdp.example.net/n.xml",
				    "https://rrdp.example.net:8443/s.xml"));
	ck_assert(!rrdp_same_origin("https://rrdp.example.net/n.xml",
				    "http://rrdp.example.net/s.xml"));
	ck_assert(!rrdp_same_origin("https://rrdp.example.net/n.xml",
				    "https://rrdp.example.net.evil/s.xml"));
	ck_assert(!rrdp_same_origin("https://rrdp.example.net/n.xml",
				    "https://rrdp.example.net@evil/s.xml"));
	ck_assert(!rrdp_same_origin("https://rrdp.example.net/n.xml",
				    "https://x@rrdp.example.net/s.xml"));
	ck_assert(!rrdp_same_origin("https://rrdp.example.net:443/n.xml",
				    "https://rrdp.example.net:65979/s.xml"));
	ck_assert(
	    !rrdp_same_origin("https://rrdp.example.net:99999999999999999999/",
			      "https://rrdp.example.net/"));
	ck_assert(!rrdp_same_origin("https://rrdp.example.net:44a/",
				    "https://rrdp.example.net/"));
	ck_assert(!rrdp_same_origin("https:///n.xml", "https:///s.xml"));
	ck_assert(!rrdp_same_origin("https://[2001:db8::1/",
				    "https://[2001:db8::1/"));
	ck_assert(!rrdp_same_origin("rsync://h/n", "rsync://h/n"));
	ck_assert(!rrdp_same_origin(NULL, "https://h/"));
}
END_TEST

/* --- memory --------------------------------------------------------- */

/* A snapshot of many 48 KiB objects, produced in 64 KiB pieces. */
struct bigsnap {
	char *b64; /* one object's base64, in lines of 76 */
	size_t b64len;
	size_t objects, done;
	int part; /* 0 head, 1 publish open, 2 body, 3 close, 4 tail, 5 end */
	size_t body_off;
	char tag[128];
};

static size_t
bigsnap_read(struct bigsnap *b, char *buf, size_t size)
{
	static const char head[] = SNAP_HEAD "\n", close[] = "</publish>\n",
			  tail[] = "</snapshot>\n";
	size_t n = 0, k, srclen;
	const char *src;

	while (n < size && b->part < 5) {
		if (b->part == 1)
			snprintf(b->tag, sizeof(b->tag),
				 "  <publish uri=\"rsync://big.example/repo/"
				 "%zu.roa\">\n",
				 b->done);
		src = b->part == 0 ? head
		    : b->part == 1 ? b->tag
		    : b->part == 2 ? b->b64
		    : b->part == 3 ? close
				   : tail;
		srclen = b->part == 2 ? b->b64len : strlen(src);
		k = srclen - b->body_off < size - n ? srclen - b->body_off
						    : size - n;
		memcpy(buf + n, src + b->body_off, k);
		n += k;
		b->body_off += k;
		if (b->body_off < srclen)
			break;
		b->body_off = 0;
		if (b->part == 3 && ++b->done < b->objects)
			b->part = 1;
		else if (b->part == 0 && b->objects == 0)
			b->part = 4;
		else
			b->part++;
	}
	return n;
}

static long
max_rss_kb(void)
{
	struct rusage ru;

	ck_assert_int_eq(getrusage(RUSAGE_SELF, &ru), 0);
	return ru.ru_maxrss;
}

static bool
count_publish(void *arg, const char *uri, const unsigned char *hash,
	      const unsigned char *data, size_t len)
{
	size_t *n = arg;

	(void)uri;
	(void)hash;
	(void)data;
	ck_assert_uint_eq(len, 48 * 1024);
	(*n)++;
	return true;
}

static bool
no_withdraw(void *arg, const char *uri, const unsigned char hash[32])
{
	(void)arg;
	(void)uri;
	(void)hash;
	ck_abort_msg("withdraw in a snapshot");
	return false;
}

START_TEST(test_rrdp_200mb_snapshot_in_flat_memory)
{
	const size_t objsize = 48 * 1024, total = 200 * 1024 * 1024;
	unsigned char *obj = malloc(objsize), sha[32], want[32];
	char *buf = malloc(65536);
	struct bigsnap b = {0};
	size_t i, n, published = 0, fed = 0;
	struct rrdp_handler h = {count_publish, no_withdraw, &published};
	struct rrdp_stream *s;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	long before, after;

	ck_assert_ptr_nonnull(obj);
	ck_assert_ptr_nonnull(buf);
	ck_assert_ptr_nonnull(md);
	for (i = 0; i < objsize; i++)
		obj[i] = (unsigned char)(i * 31 + 7);
	b.b64 = malloc(objsize / 57 * 78 + 200);
	ck_assert_ptr_nonnull(b.b64);
	for (i = 0; i < objsize; i += 57) {
		size_t in = objsize - i < 57 ? objsize - i : 57;

		b.b64len +=
		    (size_t)EVP_EncodeBlock((unsigned char *)b.b64 + b.b64len,
					    obj + i, (int)in);
		b.b64[b.b64len++] = '\n';
	}
	b.objects = total / (b.b64len + 60);
	ck_assert(EVP_DigestInit_ex(md, EVP_sha256(), NULL));

	s = rrdp_stream_new(FILE_URI, RRDP_SNAPSHOT, SESSION, 1, &h);
	ck_assert_ptr_nonnull(s);
	/* Warm up: the object buffer and the parser reach their size. */
	n = bigsnap_read(&b, buf, 65536);
	ck_assert(EVP_DigestUpdate(md, buf, n));
	ck_assert(rrdp_stream_feed(s, buf, n));
	fed += n;
	before = max_rss_kb();
	while ((n = bigsnap_read(&b, buf, 65536)) > 0) {
		ck_assert(EVP_DigestUpdate(md, buf, n));
		ck_assert(rrdp_stream_feed(s, buf, n));
		fed += n;
	}
	ck_assert(rrdp_stream_finish(s, sha));
	after = max_rss_kb();
	ck_assert(EVP_DigestFinal_ex(md, want, NULL));
	ck_assert_mem_eq(sha, want, 32);
	ck_assert_uint_eq(published, b.objects);
	ck_assert_uint_ge(fed, total - 2 * (b.b64len + 60));
	/*
	 * The 4,000-odd URIs remembered cost 128 KiB; anything that kept
	 * the input would cost 200 MB. The sanitizers' own bookkeeping
	 * (quarantine, shadow memory) is allowed more.
	 */
#if defined(__SANITIZE_ADDRESS__)
	ck_assert_msg(after - before < 64 * 1024, "RSS grew by %ld kB",
		      after - before);
#else
	ck_assert_msg(after - before < 4 * 1024, "RSS grew by %ld kB",
		      after - before);
#endif
	fprintf(stderr, "200 MB snapshot: %zu objects, RSS grew by %ld kB\n",
		published, after - before);
	rrdp_stream_free(s);
	EVP_MD_CTX_free(md);
	free(b.b64);
	free(buf);
	free(obj);
}
END_TEST

static bool
count_only(void *arg, const char *uri, const unsigned char *hash,
	   const unsigned char *data, size_t len)
{
	(void)uri;
	(void)hash;
	(void)data;
	(void)len;
	(*(size_t *)arg)++;
	return true;
}

START_TEST(test_rrdp_snapshot_over_object_limit_rejected)
{
	struct bigsnap b = {0};
	size_t published = 0, n;
	struct rrdp_handler h = {count_only, no_withdraw, &published};
	struct rrdp_stream *s;
	struct testlog cap;
	char *buf = malloc(65536), *log;
	bool ok = true;

	ck_assert_ptr_nonnull(buf);
	b.b64 = strdup("AAAA");
	ck_assert_ptr_nonnull(b.b64);
	b.b64len = 4;
	b.objects = MAX_RRDP_OBJECTS + 1;
	s = rrdp_stream_new(FILE_URI, RRDP_SNAPSHOT, SESSION, 1, &h);
	ck_assert_ptr_nonnull(s);
	testlog_start(&cap);
	while (ok && (n = bigsnap_read(&b, buf, 65536)) > 0)
		ok = rrdp_stream_feed(s, buf, n);
	log = testlog_stop(&cap);
	ck_assert(!ok);
	ck_assert_uint_eq(published, MAX_RRDP_OBJECTS);
	testlog_assert_one_line(log, FILE_URI, "more than 1000000 objects");
	free(log);
	rrdp_stream_free(s);
	free(b.b64);
	free(buf);
}
END_TEST

static Suite *
rrdp_suite(void)
{
	Suite *s = suite_create("rrdp");
	TCase *tf = tcase_create("fixtures");
	TCase *th = tcase_create("hostile");
	TCase *tn = tcase_create("notification");
	TCase *tm = tcase_create("memory");

	/* Generous: sanitizers make parsing byte by byte slow. */
	tcase_set_timeout(tf, 120);
	tcase_add_test(tf, test_rrdp_notification_fixtures_parse);
	tcase_add_test(
	    tf, test_rrdp_fixture_snapshots_and_deltas_match_rsync_mirror);
	tcase_add_test(tf,
		       test_rrdp_chunking_gives_identical_callbacks_and_hash);
	suite_add_tcase(s, tf);

	tcase_set_timeout(th, 120);
	tcase_add_test(th, test_rrdp_doctype_rejected);
	tcase_add_test(th, test_rrdp_billion_laughs_rejected);
	tcase_add_test(th, test_rrdp_xxe_in_element_rejected);
	tcase_add_test(th, test_rrdp_xxe_in_attribute_rejected);
	tcase_add_test(th, test_rrdp_wrong_namespace_rejected);
	tcase_add_test(th, test_rrdp_version_2_rejected);
	tcase_add_test(th, test_rrdp_bad_session_id_rejected);
	tcase_add_test(th, test_rrdp_session_mismatch_rejected);
	tcase_add_test(th, test_rrdp_session_id_case_insensitive);
	tcase_add_test(th, test_rrdp_serial_mismatch_rejected);
	tcase_add_test(th, test_rrdp_negative_or_leading_zero_serial_rejected);
	tcase_add_test(th, test_rrdp_serial_up_to_2_64_minus_1_accepted);
	tcase_add_test(th, test_rrdp_duplicate_publish_in_snapshot_rejected);
	tcase_add_test(th, test_rrdp_many_distinct_publishes_accepted);
	tcase_add_test(th, test_rrdp_withdraw_without_hash_rejected);
	tcase_add_test(th, test_rrdp_publish_with_hash_in_snapshot_rejected);
	tcase_add_test(th, test_rrdp_withdraw_in_snapshot_rejected);
	tcase_add_test(th, test_rrdp_delta_publish_and_withdraw_accepted);
	tcase_add_test(th, test_rrdp_uri_named_twice_in_delta_rejected);
	tcase_add_test(th, test_rrdp_bad_hash_rejected);
	tcase_add_test(th, test_rrdp_malformed_base64_rejected);
	tcase_add_test(th,
		       test_rrdp_base64_whitespace_cdata_and_comments_accepted);
	tcase_add_test(th, test_rrdp_utf8_bom_accepted_utf16_rejected);
	tcase_add_test(th, test_rrdp_empty_publish_passed_on);
	tcase_add_test(th, test_rrdp_object_over_size_limit_rejected);
	tcase_add_test(th, test_rrdp_object_at_size_limit_accepted);
	tcase_add_test(th, test_rrdp_deep_nesting_rejected);
	tcase_add_test(th, test_rrdp_huge_attribute_rejected);
	tcase_add_test(th, test_rrdp_long_markup_rejected);
	tcase_add_test(th, test_rrdp_markup_at_limit_and_long_cdata_accepted);
	tcase_add_test(th, test_rrdp_unknown_element_rejected);
	tcase_add_test(th, test_rrdp_unknown_attribute_rejected);
	tcase_add_test(th, test_rrdp_missing_attribute_rejected);
	tcase_add_test(th, test_rrdp_dot_dot_uri_rejected);
	tcase_add_test(th, test_rrdp_percent_and_backslash_uri_rejected);
	tcase_add_test(th, test_rrdp_control_character_uri_rejected);
	tcase_add_test(th, test_rrdp_non_rsync_uri_rejected);
	tcase_add_test(th, test_rrdp_accepted_uris_map_into_mirror);
	tcase_add_test(th, test_rrdp_uri_character_references_decoded);
	tcase_add_test(th, test_rrdp_long_uri_rejected);
	tcase_add_test(th, test_rrdp_truncated_document_rejected);
	tcase_add_test(th, test_rrdp_trailing_content_rejected);
	tcase_add_test(th, test_rrdp_text_outside_publish_rejected);
	tcase_add_test(th, test_rrdp_whitespace_cap_rejected);
	tcase_add_test(th, test_rrdp_handler_false_aborts_without_log);
	tcase_add_test(th, test_rrdp_stream_new_refuses_bad_arguments);
	tcase_add_test(th, test_rrdp_empty_files_accepted);
	suite_add_tcase(s, th);

	tcase_add_test(tn, test_rrdp_notification_deltas_sorted);
	tcase_add_test(tn,
		       test_rrdp_notification_uri_attribute_ends_at_its_quote);
	tcase_add_test(tn,
		       test_rrdp_notification_duplicate_delta_serial_rejected);
	tcase_add_test(tn, test_rrdp_notification_delta_above_serial_rejected);
	tcase_add_test(tn, test_rrdp_notification_snapshot_count_rejected);
	tcase_add_test(tn, test_rrdp_notification_bad_uri_or_hash_rejected);
	tcase_add_test(tn, test_rrdp_notification_hostile_xml_rejected);
	tcase_add_test(tn, test_rrdp_notification_too_big_rejected);
	tcase_add_test(tn, test_rrdp_same_origin);
	suite_add_tcase(s, tn);

	tcase_set_timeout(tm, 600);
	tcase_add_test(tm, test_rrdp_200mb_snapshot_in_flat_memory);
	tcase_add_test(tm, test_rrdp_snapshot_over_object_limit_rejected);
	suite_add_tcase(s, tm);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(rrdp_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
