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

#endif /* VRPD_LIMITS_H */
