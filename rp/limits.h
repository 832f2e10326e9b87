/*
 * Every bound the engine puts on its input, in one place. Each input is
 * hostile (doc/DESIGN.md, Safety); a limit says how much we are willing to
 * read and why that is enough for any honest publisher.
 */
#ifndef VRPD_LIMITS_H
#define VRPD_LIMITS_H

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

#endif /* VRPD_LIMITS_H */
