/*
 * An LD_PRELOAD shim for tests/cli/faults.sh: posix_spawnp() as a system
 * out of processes has it: every call fails with EAGAIN, and each is
 * counted as a line appended to $NOSPAWN_LOG, so that the test can tell the
 * shim was in effect.
 */
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>

int posix_spawnp(pid_t *pid, const char *file, const posix_spawn_file_actions_t *actions,
                 const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
{
	const char *path = getenv("NOSPAWN_LOG");
	FILE *log;

	(void)pid;
	(void)actions;
	(void)attr;
	(void)argv;
	(void)envp;
	if (path && (log = fopen(path, "a")) != NULL) {
		fprintf(log, "posix_spawnp %s\n", file);
		fclose(log);
	}
	return EAGAIN;
}
