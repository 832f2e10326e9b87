/*
 * Fast RSA public keys for OpenSSL 3.0: see rsakeys.c for why.
 */
#ifndef VRPD_RSAKEYS_H
#define VRPD_RSAKEYS_H

#include <stdbool.h>

/*
 * Makes every RSA public key OpenSSL decodes from now on (in certificates,
 * as it parses them) take the direct RSAPublicKey path instead of the
 * provider decoder search. Call once, before any thread starts; false
 * (nothing changed, all still correct, only slower) if it cannot.
 */
bool rsakeys_init(void);

#endif /* VRPD_RSAKEYS_H */
