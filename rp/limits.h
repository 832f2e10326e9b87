/*
 * Every bound the engine puts on its input, in one place. Each input is
 * hostile (doc/DESIGN.md, Safety); a limit says how much we are willing to
 * read and why that is enough for any honest publisher.
 */
#ifndef VRPD_LIMITS_H
#define VRPD_LIMITS_H

#include <stddef.h>

/*
 * Longest URI accepted anywhere (TAL, SIA, AIA, CRLDP, RRDP). Real RPKI URIs
 * are well under 200 bytes; 2048 is the common HTTP client limit and
 * rpki-client's MAX_URI_LENGTH, so no honest URI is refused.
 */
#define MAX_URI_LENGTH 2048

/*
 * Largest TAL file read. A TAL is a few URIs and one RSA-2048 key in base64,
 * about 500 bytes; 64 KiB leaves room for long comment sections.
 */
#define MAX_TAL_FILE_SIZE (64 * 1024)

/*
 * Most URIs in one TAL (RFC 8630 s.2.2 allows "one or more"). Real TALs list
 * one to three; each URI is a fetch we may try, so the list stays short.
 */
#define MAX_TAL_URIS 32

/*
 * Longest TA name (the TAL file name without ".tal"). The name appears in
 * every log line and output row about the TA, so it is kept short.
 */
#define MAX_TAL_NAME_LENGTH 64

/*
 * Largest object file (certificate, CRL, manifest, ROA, ASPA) read from a
 * repository. The biggest real manifests and CRLs are a few MB; rpki-client
 * refuses more than 8 MB, and so do we.
 */
#define MAX_OBJECT_SIZE (8 * 1024 * 1024)

/*
 * Default longest chain of CA certificates below a TA (--max-cert-depth
 * overrides it). Real trees are 4-5 deep; rpki-client stops at 12, and a
 * hostile repository that nests CAs forever is cut off there.
 */
#define MAX_CERT_DEPTH 12

/* Most files one manifest may list (rpki-client: 100,000). */
#define MAX_MANIFEST_ENTRIES 100000

/* Longest file name on a manifest; RFC 9286 names are short hex or words. */
#define MAX_FILENAME_LENGTH 255

/*
 * Most distinct repositories (publication servers) one TA's tree may use;
 * each costs a fetch, so a tree that points everywhere is cut off
 * (rpki-client: 1000 per TAL).
 */
#define MAX_REPOS_PER_TA 1000

/* Most IP prefixes/ranges and AS ids/ranges in one certificate
 * (rpki-client: 200,000 each); the largest RIR certificates hold ~50,000. */
#define MAX_IP_ELEMENTS 200000
#define MAX_AS_ELEMENTS 200000

/* Most providers in one ASPA (rpki-client: 10,000). */
#define MAX_ASPA_PROVIDERS 10000

/*
 * Most AS numbers one BGPsec router certificate may speak for. RFC 8209
 * routers serve one AS or a few; each AS becomes one router key.
 */
#define MAX_ROUTER_ASNS 1024

/* Most trust anchors in one run: a VRP names its TA in one byte. */
#define MAX_TAS 255

/*
 * Most objects one RRDP repository may hold in the cache (rp/store.c). The
 * largest real repositories publish on the order of 100,000 objects; one
 * that tries to fill the disk with files is cut off at ten times that.
 */
#define MAX_STORE_REPO_OBJECTS 1000000

/*
 * Most bytes of objects one RRDP repository may hold in the cache. A cache of
 * the whole RPKI is on the order of a gigabyte; one repository holding four
 * times that is filling the disk, not publishing.
 */
#define MAX_STORE_REPO_BYTES (4ULL * 1024 * 1024 * 1024)

/*
 * Largest state file of one repository in the cache: a few short fields and
 * the notification URI, each at most tripled by escaping.
 */
#define MAX_STORE_STATE_SIZE (16 * 1024)

/*
 * Largest RRDP notification file (RFC 8182 s.3.5.1). It names one snapshot
 * and the deltas the server keeps, about 250 bytes each; the largest real
 * ones are a few hundred kB. 16 MB is room for 60,000 deltas, far more than
 * any server keeps, and the file is held whole while it is parsed.
 */
#define MAX_NOTIFICATION_SIZE (16 * 1024 * 1024)

/*
 * Most publish elements in one RRDP snapshot. Each URI is remembered (16
 * bytes, so at most 32 MB with the table's slack) to refuse a snapshot that
 * publishes one URI twice. It equals MAX_STORE_REPO_OBJECTS: a snapshot with
 * more objects than the cache keeps for one repository could never be
 * committed, so it is refused as soon as it passes that count.
 */
#define MAX_RRDP_OBJECTS 1000000

/*
 * Deepest element nesting in an RRDP file: the schema of RFC 8182 s.3.5.4
 * has a root and its children (publish, withdraw, snapshot, delta) and
 * nothing below them.
 */
#define MAX_RRDP_DEPTH 2

/*
 * Most whitespace between two tags of an RRDP file, outside publish
 * elements (non-white text there is refused outright). Pretty-printers
 * write a newline and some indentation; 4 KiB is far more than that.
 */
#define MAX_RRDP_WHITESPACE 4096

/*
 * Longest piece of markup in an RRDP file: a tag, comment or processing
 * instruction, from its '<' to its '>'. libxml2 holds each one whole before
 * it parses it, and 2.9 compares a tag's attributes pairwise, so this bounds
 * both the memory and the time one hostile tag costs. The longest honest
 * tag, a publish with a MAX_URI_LENGTH URI and a hash, is about 2,150
 * bytes; 16 KiB leaves room for character references and namespaces.
 */
#define MAX_RRDP_MARKUP (16 * 1024)

/*
 * Longest ETag or Last-Modified value kept from an HTTP response for the
 * next conditional GET (rp/http.c). Real ETags are a quoted hash or
 * version, well under 100 bytes, and Last-Modified is 29; a longer value
 * is dropped (the next GET is then unconditional), and this fits the
 * store's 256-byte etag field.
 */
#define MAX_HTTP_VALIDATOR_LENGTH 255

/*
 * Largest file one HTTPS transfer may deliver (after decompression): the
 * biggest RRDP snapshots today are a few hundred MB, and a transfer is
 * streamed, never held, so this bounds disk and time, not memory.
 */
#define MAX_RRDP_FILE_SIZE (2048UL * 1024 * 1024)

/*
 * The limits an operator may change, one vrpd flag each (README, Limits);
 * the defaults are the constants above. vrpd sets rp_limits once at start,
 * before any thread runs, and nothing writes it afterwards.
 */
struct rp_limits {
	size_t object_size;	       /* MAX_OBJECT_SIZE */
	size_t manifest_entries;       /* MAX_MANIFEST_ENTRIES */
	size_t cert_resources;	       /* MAX_IP_ELEMENTS, MAX_AS_ELEMENTS */
	size_t repos_per_ta;	       /* MAX_REPOS_PER_TA */
	size_t repo_objects;	       /* MAX_STORE_REPO_OBJECTS */
	unsigned long long repo_bytes; /* MAX_STORE_REPO_BYTES */
	size_t notification_size;      /* MAX_NOTIFICATION_SIZE */
	size_t rrdp_file_size;	       /* MAX_RRDP_FILE_SIZE */
	size_t xml_markup;	       /* MAX_RRDP_MARKUP */
};

/* The limits in force. */
extern struct rp_limits rp_limits;

/* The built-in limits, for resetting rp_limits. */
extern const struct rp_limits rp_limits_default;

#endif /* VRPD_LIMITS_H */
