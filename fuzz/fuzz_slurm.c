/*
 * Fuzzes the SLURM loader (rp/slurm.c) with the bytes of a SLURM file, and
 * applies what it accepts to a small set, as vrpd does on every run.
 */
#include "config.h"

#include <stdlib.h>

#include "rp/slurm.h"
#include "rp/vrpset.h"

#include "util.h"

/* A set for the filters to match: two VRPs, a router key, an ASPA. */
static struct vrpset *
set_new(void)
{
	static const unsigned char spki[91] = {0x30, 0x59};
	static const unsigned char ski[20] = {1, 2, 3};
	const uint32_t providers[] = {64497};
	struct vrp v4 = {{192, 0, 2}, 64496, 4, 24, 24, 0};
	struct vrp v6 = {{0x20, 0x01, 0x0d, 0xb8}, 64496, 6, 32, 48, 0};
	struct vrpset *s;

	if ((s = vrpset_new()) == NULL || vrpset_add_ta(s, "fuzz") != 0 ||
	    !vrpset_add_vrp(s, &v4) || !vrpset_add_vrp(s, &v6) ||
	    !vrpset_add_key(s, 0, 64496, ski, spki, sizeof(spki)) ||
	    !vrpset_add_vap(s, 0, 64496, providers, 1))
		abort();
	return s;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct slurm *files[2];
	struct vrpset *set;
	char err[512];

	fuzz_quiet();
	if ((files[0] = slurm_load(fuzz_file(data, size), err, sizeof(err))) ==
	    NULL)
		return 0;
	/* A file checked against itself: the overlap checks, all found. */
	files[1] = files[0];
	(void)slurm_check_overlap(files, 2, err, sizeof(err));
	set = set_new();
	(void)slurm_apply(files, 1, set);
	vrpset_free(set);
	slurm_free(files[0]);
	return 0;
}
