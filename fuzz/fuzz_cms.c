/*
 * Fuzzes the RPKI signed-object envelope (rp/cms.c): every RFC 6488 check
 * up to and including the signature. The eContentType asked for is the
 * one of the object kind the input claims to be, as vrpd asks for the
 * kind a file's name gives, so that inputs reach past the type check.
 */
#include "config.h"

#include <limits.h>
#include <string.h>

#include <openssl/cms.h>
#include <openssl/objects.h>

#include "rp/cms.h"

#include "util.h"

#define URI "rsync://fuzz.example/repo/fuzz.roa"

/* RFC 9582, RFC 9286, the ASPA profile: the types vrpd reads. */
static const char *const oids[] = {
    "1.2.840.113549.1.9.16.1.24",
    "1.2.840.113549.1.9.16.1.26",
    "1.2.840.113549.1.9.16.1.49",
};

/* The known eContentType the input carries, else the ROA one. */
static const char *
want_oid(const uint8_t *data, size_t size)
{
	const unsigned char *p = data;
	const char *want = oids[0];
	CMS_ContentInfo *cms;
	const ASN1_OBJECT *type;
	char text[64];
	size_t i;

	if (size > LONG_MAX ||
	    (cms = d2i_CMS_ContentInfo(NULL, &p, (long)size)) == NULL)
		return want;
	if ((type = CMS_get0_eContentType(cms)) != NULL &&
	    OBJ_obj2txt(text, sizeof(text), type, 1) > 0)
		for (i = 0; i < sizeof(oids) / sizeof(oids[0]); i++)
			if (strcmp(text, oids[i]) == 0)
				want = oids[i];
	CMS_ContentInfo_free(cms);
	return want;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_quiet();
	signed_object_free(cms_parse(URI, data, size, want_oid(data, size)));
	return 0;
}
