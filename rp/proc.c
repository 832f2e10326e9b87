/* Daemon process chores: detaching, the pid file, dropping root. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "proc.h"

/* Open directories nftw may hold while chowning the cache. */
#define PROC_NFTW_FDS 32

static char *pidfile_path;
static uid_t drop_uid;
static gid_t drop_gid;

/* The pipe to the parent waiting in proc_detach(); -1 when none. */
static int ready_fd = -1;

/*
 * In the parent: waits for the child's one byte (it is serving) and exits
 * 0, or exits 1 when the pipe closes without it (the child failed and has
 * said why on the terminal it still shared).
 */
static void __attribute__((noreturn)) await_child(int fd)
{
	char c;
	ssize_t n;

	do
		n = read(fd, &c, 1);
	while (n == -1 && errno == EINTR);
	_exit(n == 1 ? 0 : 1);
}

bool
proc_detach(void)
{
	int fds[2];
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) == -1) {
		log_warn("pipe");
		return false;
	}
	if ((pid = fork()) == -1) {
		log_warn("fork");
		return false;
	}
	if (pid > 0) {
		close(fds[1]);
		await_child(fds[0]);
	}
	close(fds[0]);
	ready_fd = fds[1];
	if (setsid() == -1) {
		log_warn("setsid");
		return false;
	}
	return true;
}

bool
proc_detach_done(void)
{
	int fd;

	if (ready_fd == -1)
		return true;
	if ((fd = open("/dev/null", O_RDWR)) == -1) {
		log_warn("/dev/null");
		return false;
	}
	if (write(ready_fd, "", 1) != 1) {
		log_warn("telling the starting process we run");
		close(fd);
		return false;
	}
	close(ready_fd);
	ready_fd = -1;
	dup2(fd, STDIN_FILENO);
	dup2(fd, STDOUT_FILENO);
	dup2(fd, STDERR_FILENO);
	if (fd > STDERR_FILENO)
		close(fd);
	return true;
}

bool
proc_pidfile(const char *path)
{
	char buf[32];
	int fd, len;

	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) == -1) {
		log_warn("pid file %s", path);
		return false;
	}
	/* The lock is the truth; the number inside is for people. */
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		ssize_t n = read(fd, buf, sizeof(buf) - 1);

		buf[n > 0 ? n : 0] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		log_warnx("pid file %s: another vrpd is running (pid %s)", path,
			  buf[0] != '\0' ? buf : "?");
		close(fd);
		return false;
	}
	len = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) == -1 || write(fd, buf, (size_t)len) != len) {
		log_warn("pid file %s", path);
		close(fd);
		return false;
	}
	/* fd stays open, and locked, until we exit. */
	pidfile_path = strdup(path);
	return true;
}

void
proc_pidfile_remove(void)
{
	if (pidfile_path != NULL)
		unlink(pidfile_path);
	free(pidfile_path);
	pidfile_path = NULL;
}

static int
chown_one(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)sb;
	(void)type;
	(void)ftw;
	if (lchown(path, drop_uid, drop_gid) == -1)
		log_warn("chown %s", path);
	return 0;
}

bool
proc_drop(const char *user, const char *const *dirs)
{
	struct passwd *pw;
	size_t i;

	errno = 0;
	if ((pw = getpwnam(user)) == NULL) {
		log_warnx("--user %s: no such user", user);
		return false;
	}
	drop_uid = pw->pw_uid;
	drop_gid = pw->pw_gid;
	for (i = 0; dirs[i] != NULL; i++) {
		if (nftw(dirs[i], chown_one, PROC_NFTW_FDS, FTW_PHYS) == -1)
			log_warn("chown %s", dirs[i]);
	}
	if (initgroups(user, pw->pw_gid) == -1 || setgid(pw->pw_gid) == -1 ||
	    setuid(pw->pw_uid) == -1) {
		log_warn("--user %s", user);
		return false;
	}
	/* Make sure there is no way back. */
	if (pw->pw_uid != 0 && setuid(0) == 0) {
		log_warnx("--user %s: root could be regained", user);
		return false;
	}
	log_info("running as %s (uid %u)", user, (unsigned)pw->pw_uid);
	return true;
}
