/*
 * Fuzzes the config file reader (rp/conffile.c, over inih) with the bytes
 * of a vrpd.conf, against options like vrpd's: flags and options with
 * values, one of them also on the command line (which wins).
 */
#include "config.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "rp/conffile.h"

#include "util.h"

static const struct option longopts[] = {
    {"once", no_argument, NULL, 'o'},
    {"tal", required_argument, NULL, 't'},
    {"cache-dir", required_argument, NULL, 'c'},
    {"no-rsync", no_argument, NULL, 'n'},
    {"rtr-listen", required_argument, NULL, 'l'},
    {"slurm", required_argument, NULL, 's'},
    {"verbose", no_argument, NULL, 'v'},
    {NULL, 0, NULL, 0},
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char prog[] = "vrpd", dir[] = "--cache-dir=/tmp",
		    verbose[] = "--verbose";
	char *argv[] = {prog, dir, verbose, NULL};
	struct config_args a;
	char err[512];
	int i;

	fuzz_quiet();
	if (!config_load(fuzz_file(data, size), longopts, 3, argv, &a, err,
			 sizeof(err)))
		return 0;
	/* Every word is an option (or argv[0]) and the vector ends in NULL. */
	for (i = 1; i < a.argc; i++)
		if (strncmp(a.argv[i], "--", 2) != 0)
			abort();
	if (a.argv[a.argc] != NULL)
		abort();
	config_args_free(&a);
	return 0;
}
