/*
 * The TALs of a run: every --tal file and every *.tal in each --tal-dir,
 * loaded together so that a broken or doubly named one refuses them all.
 */
#ifndef VRPD_TALSET_H
#define VRPD_TALSET_H

#include <stdbool.h>
#include <stddef.h>

#include "tal.h"

/*
 * Loads files, then each directory's *.tal in name order, into tals (room
 * for MAX_TAS) and sets *n; false with a message in err (nothing kept)
 * when one is missing or broken, two share a name, or there are none.
 */
bool talset_load(const char *const *files, size_t nfiles,
		 const char *const *dirs, size_t ndirs, struct tal **tals,
		 size_t *n, char *err, size_t errlen);

/* Frees the first n TALs of tals. */
void talset_free(struct tal **tals, size_t n);

#endif /* VRPD_TALSET_H */
