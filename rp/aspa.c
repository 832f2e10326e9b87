/*
 * Autonomous System Provider Authorizations: draft-ietf-sidrops-aspa-profile
 * (s.3 of the current draft is the eContent). The envelope is rp/cms.c's;
 * this file decodes the eContent with OpenSSL's ASN.1 templates and checks
 * the profile on top. That the EE certificate holds exactly the customer AS
 * is validate.c's business.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/asn1t.h>
#include <openssl/err.h>
#include <openssl/safestack.h>

#include "aspa.h"
#include "cms.h"
#include "limits.h"
#include "log.h"

/* ASPA profile s.2: id-ct-ASPA. */
#define ASPA_OID "1.2.840.113549.1.9.16.1.49"

/* ASPA profile s.3.1: version 1, explicitly encoded. */
#define ASPA_VERSION 1

/* ASPA profile s.3: CAS ::= INTEGER (1..4294967295), PAS from 0. */
#define ASPA_CUSTOMER_MIN 1
#define ASPA_ASID_MAX	  UINT32_MAX

/*
 * ASPA profile s.3:
 *
 * ASProviderAttestation ::= SEQUENCE {
 *	version [0] INTEGER DEFAULT 0,
 *	customerASID CAS,
 *	providers ProviderASSet }
 *
 * CAS ::= INTEGER (1..4294967295)
 * ProviderASSet ::= SEQUENCE (SIZE(1..MAX)) OF PAS
 * PAS ::= INTEGER (0..4294967295)
 *
 * The module is EXPLICIT TAGS. Version 1 differs from the DEFAULT, so DER
 * keeps it. The SIZE and value constraints are not the decoder's: each is
 * checked below with its own log line. The template is static: nothing
 * outside this file needs it, and its name carries no module prefix.
 */
typedef struct {
	ASN1_INTEGER *version;
	ASN1_INTEGER *customerASID;
	STACK_OF(ASN1_INTEGER) * providers;
} ASProviderAttestation;

/* The template macros are not C that clang-format can lay out. */
/* clang-format off */
ASN1_SEQUENCE(ASProviderAttestation) = {
	ASN1_EXP_OPT(ASProviderAttestation, version, ASN1_INTEGER, 0),
	ASN1_SIMPLE(ASProviderAttestation, customerASID, ASN1_INTEGER),
	ASN1_SEQUENCE_OF(ASProviderAttestation, providers, ASN1_INTEGER),
} static_ASN1_SEQUENCE_END(ASProviderAttestation)

IMPLEMENT_STATIC_ASN1_ENCODE_FUNCTIONS(ASProviderAttestation)

static void
ASProviderAttestation_free(ASProviderAttestation *a)
{
	ASN1_item_free((ASN1_VALUE *)a, ASN1_ITEM_rptr(ASProviderAttestation));
}
/* clang-format on */

/*
 * X.690 s.10, s.11: DER, which RFC 6488 s.2.1.3.2 requires of the
 * eContent. OpenSSL's decoder takes some BER (long-form and indefinite
 * lengths); encoding what it decoded must give back the input exactly.
 */
static bool
aspa_is_der(const ASProviderAttestation *a, const unsigned char *der,
	    size_t len)
{
	unsigned char *enc = NULL;
	int n = i2d_ASProviderAttestation(a, &enc);
	bool ok = n > 0 && (size_t)n == len && memcmp(enc, der, len) == 0;

	OPENSSL_free(enc);
	return ok;
}

/*
 * ASPA profile s.3.1: version 1, explicitly encoded. An absent version is
 * the DEFAULT 0 of earlier drafts' objects, which this profile replaces.
 */
static bool
aspa_version_valid(const char *uri, const ASN1_INTEGER *version)
{
	int64_t v;

	if (version == NULL) {
		log_warnx("%s: ASPA version is absent, it must be 1 and "
			  "explicitly encoded (ASPA profile s.3.1)",
			  uri);
		return false;
	}
	if (ASN1_INTEGER_get_int64(&v, version) != 1 || v != ASPA_VERSION) {
		log_warnx("%s: ASPA version is not 1 (ASPA profile s.3.1)",
			  uri);
		return false;
	}
	return true;
}

/* An AS number in min..4294967295; false if negative or out of range. */
static bool
asid_read(const ASN1_INTEGER *i, uint64_t min, uint32_t *out)
{
	uint64_t v;

	/* ASN1_INTEGER_get_uint64 refuses a negative number. */
	if (ASN1_INTEGER_get_uint64(&v, i) != 1 || v < min || v > ASPA_ASID_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

/*
 * ASPA profile s.3.3: at least one provider, each an AS number, in
 * strictly ascending order (so each once), never the customer. The count
 * is checked against MAX_ASPA_PROVIDERS before anything is allocated.
 */
static bool
aspa_providers_read(const char *uri, const STACK_OF(ASN1_INTEGER) * list,
		    struct aspa *aspa)
{
	int i, n = sk_ASN1_INTEGER_num(list);
	uint32_t as;

	if (n < 1) {
		log_warnx("%s: ASPA providers is empty (ASPA profile s.3.3)",
			  uri);
		return false;
	}
	if (n > MAX_ASPA_PROVIDERS) {
		log_warnx("%s: ASPA lists more than %d providers", uri,
			  MAX_ASPA_PROVIDERS);
		return false;
	}
	if ((aspa->providers = calloc((size_t)n, sizeof(*aspa->providers))) ==
	    NULL) {
		log_warn("%s", uri);
		return false;
	}
	for (i = 0; i < n; i++) {
		if (!asid_read(sk_ASN1_INTEGER_value(list, i), 0, &as)) {
			log_warnx("%s: ASPA provider %d is not in "
				  "0..4294967295 (ASPA profile s.3)",
				  uri, i + 1);
			return false;
		}
		if (as == aspa->customer) {
			log_warnx("%s: ASPA providers contain the customer "
				  "AS%u (ASPA profile s.3.3)",
				  uri, as);
			return false;
		}
		if (i > 0 && as == aspa->providers[i - 1]) {
			log_warnx("%s: ASPA lists provider AS%u twice (ASPA "
				  "profile s.3.3)",
				  uri, as);
			return false;
		}
		if (i > 0 && as < aspa->providers[i - 1]) {
			log_warnx("%s: ASPA providers are not in ascending "
				  "order (ASPA profile s.3.3)",
				  uri);
			return false;
		}
		aspa->providers[i] = as;
		aspa->num_providers++;
	}
	return true;
}

/* Empties everything aspa_decode() fills, leaving aspa->so alone. */
static void
aspa_clear(struct aspa *aspa)
{
	free(aspa->providers);
	aspa->providers = NULL;
	aspa->num_providers = 0;
	aspa->customer = 0;
}

static bool
aspa_fields_valid(const char *uri, const ASProviderAttestation *a,
		  struct aspa *aspa)
{
	if (!aspa_version_valid(uri, a->version))
		return false;
	/* ASPA profile s.3.2: AS0 cannot be a customer. */
	if (!asid_read(a->customerASID, ASPA_CUSTOMER_MIN, &aspa->customer)) {
		log_warnx("%s: ASPA customerASID is not in 1..4294967295 "
			  "(ASPA profile s.3.2)",
			  uri);
		return false;
	}
	return aspa_providers_read(uri, a->providers, aspa);
}

bool
aspa_decode(struct aspa *aspa, const char *uri, const unsigned char *econtent,
	    size_t len)
{
	const unsigned char *p = econtent;
	ASProviderAttestation *a;
	bool ok = false;

	aspa->providers = NULL;
	aspa->num_providers = 0;
	aspa->customer = 0;
	if (len > rp_limits.object_size) {
		log_warnx("%s: ASPA eContent larger than %zu bytes", uri,
			  rp_limits.object_size);
		return false;
	}
	if ((a = d2i_ASProviderAttestation(NULL, &p, (long)len)) == NULL) {
		log_warnx("%s: eContent is not an ASProviderAttestation "
			  "(ASPA profile s.3)",
			  uri);
		goto out;
	}
	if (p != econtent + len) {
		log_warnx("%s: %zu bytes after the ASProviderAttestation "
			  "(ASPA profile s.3)",
			  uri, (size_t)(econtent + len - p));
		goto out;
	}
	if (!aspa_is_der(a, econtent, len)) {
		log_warnx("%s: ASProviderAttestation is not DER-encoded "
			  "(RFC 6488 s.2.1.3.2, X.690 s.10-11)",
			  uri);
		goto out;
	}
	ok = aspa_fields_valid(uri, a, aspa);
out:
	if (!ok)
		aspa_clear(aspa);
	ASProviderAttestation_free(a);
	/* The log line says why; stale errors would mislead later. */
	ERR_clear_error();
	return ok;
}

struct aspa *
aspa_parse(const char *uri, const unsigned char *der, size_t len)
{
	struct aspa *aspa;

	if ((aspa = calloc(1, sizeof(*aspa))) == NULL) {
		log_warn("%s", uri);
		return NULL;
	}
	if ((aspa->so = cms_parse(uri, der, len, ASPA_OID)) == NULL ||
	    !aspa_decode(aspa, uri, aspa->so->content, aspa->so->content_len)) {
		aspa_free(aspa);
		return NULL;
	}
	return aspa;
}

void
aspa_free(struct aspa *aspa)
{
	if (aspa == NULL)
		return;
	aspa_clear(aspa);
	signed_object_free(aspa->so);
	free(aspa);
}
