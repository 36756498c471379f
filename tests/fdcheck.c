/*
 * An LD_PRELOAD shim for tests/cli/faults.sh: when the process exits, append
 * to $FDCHECK_LOG each descriptor above stderr that is still open, with
 * what it points at, so that the test can say which were left open.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

void fdcheck_at_exit(void) __attribute__((destructor));

void fdcheck_at_exit(void)
{
	const char *path = getenv("FDCHECK_LOG");
	struct dirent *de;
	DIR *dir;
	FILE *log;

	if (!path || !(dir = opendir("/proc/self/fd")))
		return;
	if (!(log = fopen(path, "a"))) {
		closedir(dir);
		return;
	}
	while ((de = readdir(dir)) != NULL) {
		char link[64], target[512];
		ssize_t n;
		int fd = atoi(de->d_name);

		if (de->d_name[0] == '.' || fd <= 2 || fd == dirfd(dir) || fd == fileno(log))
			continue;
		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		n = readlink(link, target, sizeof(target) - 1);
		target[n > 0 ? n : 0] = '\0';
		fprintf(log, "%d %s\n", fd, target);
	}
	fprintf(log, "exit %ld\n", (long)getpid());
	fclose(log);
	closedir(dir);
}
