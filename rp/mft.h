/* Manifests, RFC 9286. */
#ifndef VRPD_MFT_H
#define VRPD_MFT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <openssl/sha.h>

#include "cms.h"

struct mft_file {
	char *name; /* [a-zA-Z0-9_-]+\.[a-z]{3} (RFC 9286 s.4.2.2) */
	unsigned char hash[SHA256_DIGEST_LENGTH];
};

struct mft {
	struct signed_object *so; /* owned: the envelope and its EE */
	unsigned char number[20]; /* manifestNumber, big-endian, left-padded */
	time_t this_update;
	time_t next_update;
	struct mft_file *files; /* in manifest order */
	size_t num_files;
};

/*
 * Parses a manifest and checks RFC 9286 s.4: version 0, a manifestNumber of
 * at most 20 octets, thisUpdate before nextUpdate, SHA-256, file names in
 * the RFC's character set, no name twice, at most MAX_MANIFEST_ENTRIES.
 * NULL, logged with uri and the rule.
 */
struct mft *mft_parse(const char *uri, const unsigned char *der, size_t len);

/*
 * Decodes a manifest eContent into mft (mft->so untouched); false, logged
 * with uri and the rule. The other fields are overwritten, not freed, and
 * left empty on false, so mft_free() is right either way.
 */
bool mft_decode(struct mft *mft, const char *uri, const unsigned char *econtent,
		size_t len);

/* <0, 0, >0 as a's manifestNumber is below, equal to, above b's. */
int mft_number_cmp(const struct mft *a, const struct mft *b);

/* Frees mft; NULL is allowed. */
void mft_free(struct mft *mft);

#endif /* VRPD_MFT_H */
