/*
 * Fuzzes the resource and router certificate parser (rp/cert.c), and the
 * TA checks a self-signed certificate meets when a TAL names its key.
 */
#include "config.h"

#include <openssl/x509.h>

#include "rp/cert.h"

#include "util.h"

#define URI "rsync://fuzz.example/repo/fuzz.cer"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cert *c;

	fuzz_quiet();
	if ((c = cert_parse(URI, data, size)) == NULL)
		return 0;
	/* As if a TAL gave this certificate's own key: the TA path. */
	if (c->self_signed)
		(void)cert_check_ta(c, URI, X509_get0_pubkey(c->x509));
	cert_free(c);
	return 0;
}
