/* The TALs of a run (talset.h). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "limits.h"
#include "talset.h"

void
talset_free(struct tal **tals, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		tal_free(tals[i]);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Appends DIR's *.tal files, sorted, to tals; false with err. */
static bool
load_dir(const char *dir, struct tal **tals, size_t *n, char *err,
	 size_t errlen)
{
	char *names[MAX_TAS];
	struct dirent *de;
	size_t nn = 0, i, len;
	bool ok = true;
	DIR *d;

	if ((d = opendir(dir)) == NULL) {
		snprintf(err, errlen, "--tal-dir %s: %s", dir, strerror(errno));
		return false;
	}
	while (ok && (de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len <= 4 || strcmp(de->d_name + len - 4, ".tal") != 0)
			continue;
		if (*n + nn == MAX_TAS) {
			snprintf(err, errlen, "--tal-dir %s: more than %d TALs",
				 dir, MAX_TAS);
			ok = false;
		} else if (asprintf(&names[nn], "%s/%s", dir, de->d_name) ==
			   -1) {
			snprintf(err, errlen, "out of memory");
			ok = false;
		} else {
			nn++;
		}
	}
	closedir(d);
	qsort(names, nn, sizeof(names[0]), cmp_str);
	for (i = 0; i < nn; i++) {
		if (ok && (tals[*n] = tal_load(names[i])) == NULL) {
			snprintf(err, errlen,
				 "%s: cannot use this TAL (see the message "
				 "above)",
				 names[i]);
			ok = false;
		} else if (ok) {
			(*n)++;
		}
		free(names[i]);
	}
	return ok;
}

bool
talset_load(const char *const *files, size_t nfiles, const char *const *dirs,
	    size_t ndirs, struct tal **tals, size_t *n, char *err,
	    size_t errlen)
{
	size_t i, j;

	*n = 0;
	for (i = 0; i < nfiles; i++) {
		if ((tals[*n] = tal_load(files[i])) == NULL) {
			snprintf(err, errlen,
				 "%s: cannot use this TAL (see the message "
				 "above)",
				 files[i]);
			goto fail;
		}
		(*n)++;
	}
	for (i = 0; i < ndirs; i++) {
		if (!load_dir(dirs[i], tals, n, err, errlen))
			goto fail;
	}
	if (*n == 0) {
		snprintf(err, errlen,
			 "no TALs: give --tal FILE or --tal-dir DIR (the "
			 "bundled ones are installed in " VRPD_TALDIR ")");
		return false;
	}
	for (i = 0; i < *n; i++)
		for (j = i + 1; j < *n; j++)
			if (strcmp(tals[i]->name, tals[j]->name) == 0) {
				snprintf(err, errlen,
					 "two TALs are named %s: the name is "
					 "the trust anchor's in every output",
					 tals[i]->name);
				goto fail;
			}
	return true;
fail:
	talset_free(tals, *n);
	*n = 0;
	return false;
}
