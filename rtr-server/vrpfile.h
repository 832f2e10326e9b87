/*
 * The payload file `vrpd --vrps FILE` serves: the JSON or CSV that
 * `vrpd --output` writes, rpki-client's -j JSON, StayRTR's JSON or
 * Routinator's CSV, read as it is (nothing is validated but its syntax).
 */
#ifndef RTR_VRPFILE_H
#define RTR_VRPFILE_H

#include <stddef.h>
#include <stdio.h>

#include "rp/vrpset.h"

/*
 * Reads the file at path into a finished set (vrpset_finish called). The
 * format is told by the first non-blank byte: '{' is JSON, anything else
 * CSV. NULL on failure, with a message in err (when errlen > 0) starting
 * with path, then the line (and for JSON the file offset the parser had
 * reached, from 0), then what is wrong. A file with any bad entry gives no
 * set at all.
 */
struct vrpset *vrpfile_load(const char *path, char *err, size_t errlen);

/* Like vrpfile_load, reading fp to its end; name is used in messages. */
struct vrpset *vrpfile_load_fp(FILE *fp, const char *name, char *err,
			       size_t errlen);

#endif /* RTR_VRPFILE_H */
