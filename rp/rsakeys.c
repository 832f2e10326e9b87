/*
 * OpenSSL 3.0 decodes the public key of every certificate as it parses it,
 * and does so by building a decoder context: a search through every
 * decoder of every provider, under locks, for each key. On the global
 * RPKI (half a million certificates, most of them the EE certificates of
 * signed objects) that search costs more CPU than all the RSA signature
 * verifications together. OpenSSL 3.1 and later cache it; Debian 12 ships
 * 3.0.
 *
 * 3.0 skips the search and decodes a key directly (the legacy
 * RSAPublicKey path) when an engine is registered for the key's algorithm.
 * So one is registered here, offering OpenSSL's own built-in RSA method:
 * the same code verifies the same signatures, and no third-party engine is
 * involved. The engine API is deprecated in 3.0; it is used in this file
 * only, and nothing else depends on it: without it all stays correct.
 */
#include "config.h"

#define OPENSSL_SUPPRESS_DEPRECATED 1

#include <openssl/engine.h>
#include <openssl/evp.h>

#include "rsakeys.h"

static const int rsakeys_nids[] = {EVP_PKEY_RSA};

/* ENGINE_PKEY_METHS_PTR: OpenSSL's own RSA method, for RSA only. */
static int
rsakeys_pkey_meths(ENGINE *e, EVP_PKEY_METHOD **pmeth, const int **nids,
		   int nid)
{
	(void)e;
	if (pmeth == NULL) {
		*nids = rsakeys_nids;
		return 1;
	}
	if (nid != EVP_PKEY_RSA) {
		*pmeth = NULL;
		return 0;
	}
	*pmeth = (EVP_PKEY_METHOD *)EVP_PKEY_meth_find(EVP_PKEY_RSA);
	return *pmeth != NULL;
}

bool
rsakeys_init(void)
{
	ENGINE *e;
	bool ok;

	if ((e = ENGINE_new()) == NULL)
		return false;
	ok = ENGINE_set_id(e, "vrpd-rsakeys") &&
	    ENGINE_set_name(e, "OpenSSL's built-in RSA, decoded directly") &&
	    ENGINE_set_pkey_meths(e, rsakeys_pkey_meths) && ENGINE_add(e) &&
	    ENGINE_register_pkey_meths(e);
	/* ENGINE_add holds its own reference; the tables hold theirs. */
	ENGINE_free(e);
	return ok;
}
