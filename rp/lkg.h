/*
 * The last valid copy of each publication point (RFC 9286 s.6.6): when a
 * point fails, the copy kept from the last run that validated it is used
 * while its manifest and CRL are still current. The copies are laid out
 * like a mirror (DIR/<authority>/<path>), so validate.c reads a kept point
 * with mirror_read() exactly as it reads a fresh one.
 */
#ifndef VRPD_LKG_H
#define VRPD_LKG_H

#include <stdbool.h>
#include <stddef.h>

#include "mft.h"

/*
 * Whether cur, the manifest at uri whose DER is der, may replace the copy
 * kept under dir: there is none, it is the same bytes (*same is set), or
 * cur's manifestNumber and thisUpdate are both higher (RFC 9286 s.4.2.1,
 * s.6.2). False, logged with uri and the rule, if cur goes backwards.
 */
bool lkg_mft_newer(const char *dir, const char *uri, const unsigned char *der,
		   size_t len, const struct mft *cur, bool *same);

/*
 * Stores data as uri's file under dir, replacing any older copy at once
 * (temporary file, rename); false, logged.
 */
bool lkg_store(const char *dir, const char *uri, const unsigned char *data,
	       size_t len);

/*
 * Like lkg_store(), but the copy is a hard link to uri's file under root
 * (laid out by URI), which must be a tree whose files are never written in
 * place (the store's, or rsync's): no data is copied. False if the link
 * cannot be made (another file system, say): the caller stores instead.
 */
bool lkg_link(const char *dir, const char *uri, const char *root);

/* Makes every copy stored under dir durable (one syncfs); false, logged. */
bool lkg_sync(const char *dir);

#endif /* VRPD_LKG_H */
