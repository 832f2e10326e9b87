/*
 * The config file (vrpd.conf(5)): "key = value" lines whose keys are the
 * long options of the command line, turned into those options so that
 * one parser checks both.
 */
#ifndef VRPD_CONFFILE_H
#define VRPD_CONFFILE_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>

/* An argument vector built from a config file and a command line. */
struct config_args {
	char **argv;
	int argc;
	char **owned; /* the file's words, freed with the vector */
	size_t num_owned;
};

/*
 * Reads path and returns in out: argv[0], the file's options, then
 * argv[1..] of the command line, leaving out the file's values of every
 * option the command line gives (the command line wins). Keys must be
 * in longopts; a flag takes yes/no/true/false/on/off. False with
 * "FILE:LINE: ..." in err, naming the key where there is one.
 */
bool config_load(const char *path, const struct option *longopts, int argc,
		 char **argv, struct config_args *out, char *err,
		 size_t errlen);

/* Frees what config_load built (not the strings from argv). */
void config_args_free(struct config_args *a);

#endif /* VRPD_CONFFILE_H */
