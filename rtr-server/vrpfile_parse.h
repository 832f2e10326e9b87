/*
 * What vrpfile.c shares with the parsers of the two formats, vrpfile_json.c
 * and vrpfile_csv.c, and with no one else: vrpfile.h is the module's face.
 *
 * The checks below write what is wrong into in->why and return false; the
 * format's code then calls vrpfile_error() with the position it knows.
 */
#ifndef RTR_VRPFILE_PARSE_H
#define RTR_VRPFILE_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "rp/limits.h"
#include "rp/vrpset.h"

/*
 * Longest router key SPKI, decoded. RFC 8208 s.3.1 allows only P-256 keys,
 * whose SubjectPublicKeyInfo is 91 bytes; 1 KiB leaves room without letting
 * one entry take megabytes.
 */
#define VRPFILE_MAX_SPKI 1024

/* The file being read: the chunk in hand and what came before it. */
struct vrpfile_in {
	FILE *fp;
	const char *name;
	unsigned char *buf; /* VRPFILE_CHUNK bytes */
	size_t len;	    /* bytes in buf */
	uint64_t off;	    /* file offset of buf[0] */
	uint64_t line;	    /* line number of buf[0], from 1 */
	struct vrpset *set;
	size_t num_providers; /* over all ASPAs so far */
	char why[256];	      /* what is wrong, for the message */
	char *err;
	size_t errlen;
};

/* Writes what is wrong into in->why; false, for the caller to return. */
bool vrpfile_why(struct vrpfile_in *in, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* "name: line L, byte B: why" into err; byte if has_byte, line if not 0. */
void vrpfile_error(struct vrpfile_in *in, uint64_t line, bool has_byte,
		   uint64_t byte);

/* The line of file offset off, which lies in the chunk in hand. */
uint64_t vrpfile_line_at(const struct vrpfile_in *in, uint64_t off);

/* Keeps the last keep bytes, reads on; false (message written) on error. */
bool vrpfile_read(struct vrpfile_in *in, size_t keep);

/* Space, tab or CR: around CSV fields, and before the format's first byte. */
bool vrpfile_blank(int c);

/* Decimal 0..max into *v; what names the field in the message. */
bool vrpfile_number(struct vrpfile_in *in, const char *what, const char *s,
		    size_t len, uint32_t max, uint32_t *v);

/* "AS64496" or "64496" into *asn; what names the field in the message. */
bool vrpfile_asn(struct vrpfile_in *in, const char *what, const char *s,
		 size_t len, uint32_t *asn);

/* "192.0.2.0/24" or "2001:db8::/32" into vrp's afi, addr and prefixlen. */
bool vrpfile_prefix(struct vrpfile_in *in, const char *s, size_t len,
		    struct vrp *vrp);

/* A TA name, short and without control characters, into ta with its NUL. */
bool vrpfile_ta(struct vrpfile_in *in, const char *s, size_t len,
		char ta[MAX_TAL_NAME_LENGTH + 1]);

/* The SKI as 40 hex digits, either case, into ski. */
bool vrpfile_ski(struct vrpfile_in *in, const char *s, size_t len,
		 unsigned char ski[SHA_DIGEST_LENGTH]);

/* The router key's SPKI from strict, padded base64 into out and *outlen. */
bool vrpfile_base64(struct vrpfile_in *in, const char *s, size_t len,
		    unsigned char out[VRPFILE_MAX_SPKI], size_t *outlen);

/* Adds vrp, its TA named by ta, if maxLength and the file's limits allow. */
bool vrpfile_add_vrp(struct vrpfile_in *in, struct vrp *vrp, const char *ta);

/* Adds an ASPA of at least one provider, within the file's limits. */
bool vrpfile_add_vap(struct vrpfile_in *in, uint32_t customer,
		     const uint32_t *providers, size_t num, const char *ta);

/* Adds a router key, within the file's limits. */
bool vrpfile_add_key(struct vrpfile_in *in, uint32_t asn,
		     const unsigned char *ski, const unsigned char *spki,
		     size_t spki_len, const char *ta);

/*
 * The formats' parsers: read the rest of the file, whose first chunk is in
 * hand, into in->set; false with the message in in->err.
 */
bool vrpfile_json(struct vrpfile_in *in);
bool vrpfile_csv(struct vrpfile_in *in);

#endif /* RTR_VRPFILE_PARSE_H */
