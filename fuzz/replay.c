/*
 * A main() for a harness built without libFuzzer (with gcc, by `make
 * check`): feeds each file named on the command line, or each file in a
 * directory named there, to LLVMFuzzerTestOneInput once. It exits 0 when
 * all ran; a crash or sanitizer report is the failure it exists to show.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"

/* Inputs bigger than this are not ours: libFuzzer's default -max_len is
 * far below, and a regression input is small. */
#define REPLAY_MAX_INPUT (16 * 1024 * 1024)

/* Runs the harness on the file at path; false if it cannot be read. */
static bool
replay_file(const char *path)
{
	unsigned char *buf;
	struct stat st;
	size_t len;
	FILE *fp;

	if ((fp = fopen(path, "rb")) == NULL || fstat(fileno(fp), &st) == -1) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		if (fp != NULL)
			fclose(fp);
		return false;
	}
	if (st.st_size > REPLAY_MAX_INPUT) {
		fprintf(stderr, "replay: %s: too big\n", path);
		fclose(fp);
		return false;
	}
	/* One byte more, so an empty file still gets a real pointer. */
	if ((buf = malloc((size_t)st.st_size + 1)) == NULL) {
		fclose(fp);
		return false;
	}
	len = fread(buf, 1, (size_t)st.st_size, fp);
	fclose(fp);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return true;
}

/* Runs every regular file in dir, in name order; the count in *n. */
static bool
replay_dir(const char *dir, size_t *n)
{
	struct dirent **names;
	char path[4096];
	struct stat st;
	int i, num;
	bool ok = true;

	if ((num = scandir(dir, &names, NULL, alphasort)) == -1) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		return false;
	}
	for (i = 0; i < num; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		if (names[i]->d_name[0] != '.' && stat(path, &st) == 0 &&
		    S_ISREG(st.st_mode)) {
			ok = replay_file(path) && ok;
			(*n)++;
		}
		free(names[i]);
	}
	free(names);
	return ok;
}

int
main(int argc, char **argv)
{
	struct stat st;
	size_t n = 0;
	int i;
	bool ok = true;

	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
			ok = replay_dir(argv[i], &n) && ok;
		else {
			ok = replay_file(argv[i]) && ok;
			n++;
		}
	}
	printf("replay: %zu inputs\n", n);
	return ok ? 0 : 1;
}
