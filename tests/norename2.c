/*
 * An LD_PRELOAD shim for tests/cli/faults.sh: renameat2() as a file system
 * without its flags has it (NFS, some FUSE ones): every call fails with
 * EINVAL, or with the errno $NORENAME2_ERRNO gives (ENOSYS, 38: a kernel
 * without the call), and each is counted as a line appended to
 * $NORENAME2_LOG, so that the test can tell the shim was in effect.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

int renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath,
              unsigned int flags)
{
	const char *path = getenv("NORENAME2_LOG");
	FILE *log;

	(void)olddirfd;
	(void)oldpath;
	(void)newdirfd;
	(void)newpath;
	if (path && (log = fopen(path, "a")) != NULL) {
		fprintf(log, "renameat2 %u\n", flags);
		fclose(log);
	}
	errno = getenv("NORENAME2_ERRNO") ? atoi(getenv("NORENAME2_ERRNO")) : EINVAL;
	return -1;
}
