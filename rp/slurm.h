/*
 * SLURM (RFC 8416): an operator's local exceptions to the validated
 * payloads. A file is loaded and checked whole; several files are checked
 * against each other; then they filter the set and add to it.
 */
#ifndef VRPD_SLURM_H
#define VRPD_SLURM_H

#include <stdbool.h>
#include <stddef.h>

struct vrpset;

/* The TA name the set gives every VRP and router key a SLURM file adds. */
#define SLURM_TA_NAME "slurm"

struct slurm;

/*
 * The parsed and checked file; NULL with "FILE: where: what" in err (where
 * is a line for JSON syntax, else the member's path, e.g.
 * "locallyAddedAssertions.prefixAssertions[2].maxPrefixLength").
 */
struct slurm *slurm_load(const char *path, char *err, size_t errlen);

/*
 * True if no two of the files overlap (RFC 8416 s.4.2: a prefix of one
 * covering a prefix of another, or an ASN of a BGPsec entry in both); else
 * false with both places and the rule in err.
 */
bool slurm_check_overlap(struct slurm *const *files, size_t n, char *err,
			 size_t errlen);

/*
 * Removes from set every VRP and router key that a filter of any file
 * matches, then adds every file's assertions under SLURM_TA_NAME (RFC 8416
 * s.4: filters first, so no assertion is filtered), then vrpset_finish()es
 * set. False on ENOMEM (or no room for the TA): the set is then finished
 * and filtered but may lack assertions, so it should not be served.
 */
bool slurm_apply(struct slurm *const *files, size_t n, struct vrpset *set);

/* Frees s; NULL is allowed. */
void slurm_free(struct slurm *s);

#endif /* VRPD_SLURM_H */
