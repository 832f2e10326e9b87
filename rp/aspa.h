/*
 * Autonomous System Provider Authorizations, draft-ietf-sidrops-aspa-profile.
 */
#ifndef VRPD_ASPA_H
#define VRPD_ASPA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cms.h"

struct aspa {
	struct signed_object *so; /* owned: the envelope and its EE */
	uint32_t customer;
	uint32_t *providers; /* ascending, unique, without the customer */
	size_t num_providers;
};

/*
 * Parses an ASPA and checks the profile: version 1 (explicitly encoded),
 * a customer other than AS0, providers in strictly ascending order, not
 * containing the customer, at most MAX_ASPA_PROVIDERS. NULL, logged with uri
 * and the rule. That the EE holds exactly the customer AS is checked by
 * validate.c.
 */
struct aspa *aspa_parse(const char *uri, const unsigned char *der, size_t len);

/*
 * Decodes an ASPA eContent into aspa's customer and providers (aspa->so
 * untouched); false, logged with uri and the rule. The other fields are
 * overwritten, not freed, and left empty on false, so aspa_free() is right
 * either way.
 */
bool aspa_decode(struct aspa *aspa, const char *uri,
		 const unsigned char *econtent, size_t len);

/* Frees aspa; NULL is allowed. */
void aspa_free(struct aspa *aspa);

#endif /* VRPD_ASPA_H */
