/*
 * Running rsync(1) for one module. rsync writes each file under a
 * temporary name and renames it, so an interrupted copy leaves whole
 * files; without -l it copies no symlinks, and a client never writes
 * outside its destination, so a module cannot reach another's files.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fsutil.h"
#include "limits.h"
#include "log.h"
#include "mirror.h"
#include "rsync.h"

/*
 * A module copy may take 30 minutes in all (the largest modules are a few
 * hundred MB); a server silent for 60 seconds is given up on.
 */
#define RSYNC_TIMEOUT	 (30 * 60)
#define RSYNC_IO_TIMEOUT 60

/* Waits for pid at most seconds, then kills it; its exit status or -1. */
static int
wait_bounded(pid_t pid, int seconds)
{
	struct timespec tick = {0, 100 * 1000 * 1000};
	int status, i;

	for (i = 0; i < seconds * 10; i++) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
		if (r == -1 && errno != EINTR)
			return -1;
		nanosleep(&tick, NULL);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	errno = ETIMEDOUT;
	return -1;
}

bool
rsync_fetch(const char *dir, const char *uri)
{
	char dest[MAX_URI_LENGTH + 4096], maxsize[32], timeout[32],
	    contimeout[32];
	/* RFC 6481 s.2 and later RFCs: the file types a repository holds. */
	/* posix_spawn's argv is char *const[] for old reasons; it writes none.
	 */
	const char *argv[] = {"rsync",
			      "-rt",
			      "--delete",
			      "--no-motd",
			      timeout,
			      contimeout,
			      maxsize,
			      "--include=*/",
			      "--include=*.cer",
			      "--include=*.crl",
			      "--include=*.mft",
			      "--include=*.roa",
			      "--include=*.asa",
			      "--include=*.gbr",
			      "--include=*.tak",
			      "--include=*.sig",
			      "--include=*.spl",
			      "--exclude=*",
			      "--",
			      uri,
			      dest,
			      NULL};
	char path_uri[MAX_URI_LENGTH + 1], *slash;
	size_t len = strlen(uri);
	bool module = len > 0 && uri[len - 1] == '/';
	pid_t pid;
	int rc;

	if (strncmp(uri, "rsync://", 8) != 0 || len > MAX_URI_LENGTH) {
		log_warnx("%s: not an rsync URI", uri);
		return false;
	}
	/* The URI must pass the mirror's checks: it decides where we write. */
	memcpy(path_uri, uri, len + 1);
	if (module)
		path_uri[len - 1] = '\0';
	if (!mirror_path(dir, path_uri, dest, sizeof(dest) - 1))
		return false;
	if (module) {
		if (!fsutil_mkdirs(dest, false))
			return false;
		strcat(dest, "/");
	} else {
		/* One file (a TA certificate): its directory, then no filter.
		 */
		if ((slash = strrchr(dest, '/')) == NULL)
			return false;
		*slash = '\0';
		if (!fsutil_mkdirs(dest, false))
			return false;
		*slash = '/';
		argv[7] = "--";
		argv[8] = uri;
		argv[9] = dest;
		argv[10] = NULL;
	}
	snprintf(timeout, sizeof(timeout), "--timeout=%d", RSYNC_IO_TIMEOUT);
	snprintf(contimeout, sizeof(contimeout), "--contimeout=%d",
		 RSYNC_IO_TIMEOUT);
	snprintf(maxsize, sizeof(maxsize), "--max-size=%zu",
		 rp_limits.object_size);
	if ((errno = posix_spawnp(&pid, "rsync", NULL, NULL,
				  (char *const *)argv, environ)) != 0) {
		log_warn("%s: cannot run rsync", uri);
		return false;
	}
	rc = wait_bounded(pid, RSYNC_TIMEOUT);
	if (rc == -1 && errno == ETIMEDOUT) {
		log_warnx("%s: rsync took more than %d seconds, stopped", uri,
			  RSYNC_TIMEOUT);
		return false;
	}
	if (rc != 0) {
		log_warnx("%s: rsync failed (exit status %d)", uri, rc);
		return false;
	}
	return true;
}
