/* The limits in force (limits.h); vrpd's --max-* flags change them. */
#include "limits.h"

#define DEFAULTS                                                               \
	{                                                                      \
		.object_size = MAX_OBJECT_SIZE,                                \
		.manifest_entries = MAX_MANIFEST_ENTRIES,                      \
		.cert_resources = MAX_IP_ELEMENTS,                             \
		.repos_per_ta = MAX_REPOS_PER_TA,                              \
		.repo_objects = MAX_STORE_REPO_OBJECTS,                        \
		.repo_bytes = MAX_STORE_REPO_BYTES,                            \
		.notification_size = MAX_NOTIFICATION_SIZE,                    \
		.rrdp_file_size = MAX_RRDP_FILE_SIZE,                          \
		.xml_markup = MAX_RRDP_MARKUP,                                 \
	}

const struct rp_limits rp_limits_default = DEFAULTS;
struct rp_limits rp_limits = DEFAULTS;
