#include "leakmut/pycheck.h"

#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "alloc.h"

extern char **environ;

/*
 * The checker reads records "name\nsize\nbytes" and prints one line per
 * record: "ok" or "err <message>".  compile() on bytes honours a coding
 * cookie and a BOM, as the interpreter would.
 */
static const char script[] =
    "import sys\n"
    "with open(sys.argv[1], 'rb') as fh:\n"
    "    data = fh.read()\n"
    "i = 0\n"
    "out = []\n"
    "while i < len(data):\n"
    "    j = data.index(b'\\n', i); name = data[i:j].decode('utf-8', 'replace'); i = j + 1\n"
    "    j = data.index(b'\\n', i); size = int(data[i:j]); i = j + 1\n"
    "    src = data[i:i + size]; i += size\n"
    "    try:\n"
    "        compile(src, name, 'exec', dont_inherit=True)\n"
    "        out.append('ok')\n"
    "    except Exception as e:\n"
    "        out.append('err ' + ' '.join(str(e).split()))\n"
    "sys.stdout.write(''.join(r + '\\n' for r in out))\n";

/*
 * Records are spooled in chunks; a full chunk is handed to a python process
 * that runs while the next chunk is being made (one process at a time, so
 * results come back in order and at most two chunks are on disk).
 */
#define CHUNK_RECORDS 128
#define CHUNK_BYTES   (4u << 20)

struct lm_pycheck {
	char *python;
	char spool_path[64];
	FILE *spool;
	size_t pending;       /* records in the spool */
	size_t pending_bytes; /* their sources' bytes */
	size_t checked;       /* records whose results are in */
	char busy_path[64];   /* the chunk a running python reads */
	size_t busy;          /* its records (0: none running) */
	pid_t pid;            /* that python; 0 if it could not be started */
	int out_fd;           /* its stdout: an unlinked temporary file */
	char **results;       /* one per record: NULL ok, else message */
	size_t nresults;
	size_t alloc;
	bool available;
};

int lm_pycheck_new(lm_pycheck **out, const char *python)
{
	lm_pycheck *pc;
	const char *env = getenv("LEAKMUT_PYTHON");

	*out = NULL;
	if (!python)
		python = env && *env ? env : "python3";
	if (!(pc = lm__calloc(1, sizeof(*pc))) || !(pc->python = lm__strdup(python))) {
		free(pc);
		return lm_error_set(LM_ENOMEM, "out of memory");
	}
	pc->available = true;
	pc->out_fd = -1;
	*out = pc;
	return 0;
}

static void close_spool(lm_pycheck *pc)
{
	if (pc->spool) {
		fclose(pc->spool);
		pc->spool = NULL;
		unlink(pc->spool_path);
	}
}

/* Stop a running python (the run failed) and remove its chunk. */
static void drop_busy(lm_pycheck *pc)
{
	int status;

	if (pc->pid > 0) {
		kill(pc->pid, SIGKILL);
		while (waitpid(pc->pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	pc->pid = 0;
	if (pc->out_fd >= 0)
		close(pc->out_fd);
	pc->out_fd = -1;
	if (pc->busy)
		unlink(pc->busy_path);
	pc->busy = 0;
}

void lm_pycheck_free(lm_pycheck *pc)
{
	size_t i;

	if (!pc)
		return;
	drop_busy(pc);
	close_spool(pc);
	for (i = 0; i < pc->nresults; i++)
		free(pc->results[i]);
	free(pc->results);
	free(pc->python);
	free(pc);
}

bool lm_pycheck_available(const lm_pycheck *pc)
{
	return pc->available;
}

static int temp_file(char path[64], int *fd)
{
	const char *dir = getenv("TMPDIR");

	if (!dir || !*dir || strlen(dir) > 64 - 24)
		dir = "/tmp";
	snprintf(path, 64, "%s/leakmut-py-XXXXXX", dir);
	if ((*fd = mkostemp(path, O_CLOEXEC)) < 0)
		return lm_error_set(LM_EIO, "%s: cannot create: %s", path, strerror(errno));
	return 0;
}

static int open_spool(lm_pycheck *pc)
{
	int fd, error;

	if ((error = temp_file(pc->spool_path, &fd)) < 0) /* python opens it by name */
		return error;
	if (!(pc->spool = fdopen(fd, "w+b"))) {
		int err = errno;

		close(fd);
		unlink(pc->spool_path);
		return lm_error_set(LM_EIO, "%s: %s", pc->spool_path, strerror(err));
	}
	return 0;
}

static int push_result(lm_pycheck *pc, char *msg)
{
	if (pc->nresults == pc->alloc) {
		size_t alloc = pc->alloc ? pc->alloc * 2 : 64;
		char **items = lm__realloc(pc->results, alloc * sizeof(*items));

		if (!items) {
			free(msg);
			return lm_error_set(LM_ENOMEM, "out of memory");
		}
		pc->results = items;
		pc->alloc = alloc;
	}
	pc->results[pc->nresults++] = msg;
	return 0;
}

/* Start python on the spool, which becomes the busy chunk. */
static int launch(lm_pycheck *pc)
{
	posix_spawn_file_actions_t actions;
	char *argv[] = {pc->python, "-I",           "-W",           "ignore",
	                "-c",       (char *)script, pc->spool_path, NULL};
	char out_path[64];
	int error;

	if (fflush(pc->spool) != 0)
		return lm_error_set(LM_EIO, "%s: cannot write: %s", pc->spool_path,
		                    strerror(errno));
	fclose(pc->spool);
	pc->spool = NULL;
	memcpy(pc->busy_path, pc->spool_path, sizeof(pc->busy_path));
	pc->busy = pc->pending;
	pc->pending = pc->pending_bytes = 0;
	if (!pc->available)
		return 0;
	if ((error = temp_file(out_path, &pc->out_fd)) < 0)
		return error;
	unlink(out_path);
	posix_spawn_file_actions_init(&actions);
	posix_spawn_file_actions_adddup2(&actions, pc->out_fd, 1);
	posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
	error = posix_spawnp(&pc->pid, pc->python, &actions, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&actions);
	if (error != 0) {
		pc->pid = 0;
		pc->available = false;
	}
	return 0;
}

/* Wait for the busy chunk's python and take its results. */
static int collect(lm_pycheck *pc)
{
	lm_buf out = LM_BUF_INIT;
	size_t i, got = 0;
	int status = 0, error = 0;
	char chunk[65536], *line;

	if (!pc->busy)
		return 0;
	if (pc->pid > 0) {
		while (waitpid(pc->pid, &status, 0) < 0 && errno == EINTR)
			;
		pc->pid = 0;
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			/* 127: posix_spawnp found no such program. */
			if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
				pc->available = false;
			} else {
				error = lm_error_set(LM_ERROR, "%s failed while compiling mutants",
				                     pc->python);
				goto cleanup;
			}
		}
	}
	if (pc->available && pc->out_fd >= 0) {
		if (lseek(pc->out_fd, 0, SEEK_SET) < 0) {
			error = lm_error_set(LM_EIO, "python's output: %s", strerror(errno));
			goto cleanup;
		}
		for (;;) {
			ssize_t n = read(pc->out_fd, chunk, sizeof(chunk));

			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			if ((error = lm_buf_put(&out, chunk, (size_t)n)) < 0)
				goto cleanup;
		}
	}
	line = pc->available ? out.ptr : NULL;
	for (i = 0; i < pc->busy; i++) {
		char *msg = NULL, *nl = line ? strchr(line, '\n') : NULL;

		if (nl) {
			*nl = '\0';
			if (strncmp(line, "err ", 4) == 0 && !(msg = lm__strdup(line + 4))) {
				error = lm_error_set(LM_ENOMEM, "out of memory");
				goto cleanup;
			}
			line = nl + 1;
			got++;
		}
		if ((error = push_result(pc, msg)) < 0)
			goto cleanup;
	}
	if (pc->available && got != pc->busy)
		error = lm_error_set(LM_ERROR, "%s answered for %zu of %zu sources", pc->python,
		                     got, pc->busy);
	pc->checked += pc->busy;

cleanup:
	drop_busy(pc);
	lm_buf_dispose(&out);
	return error;
}

int lm_pycheck_add(lm_pycheck *pc, const char *name, const char *bytes, size_t len, size_t *index)
{
	int error;

	if (!pc->spool && (error = open_spool(pc)) < 0)
		return error;
	/* The name ends at the first newline: one in a file name would end it early. */
	if (fprintf(pc->spool, "%.*s\n%zu\n", (int)strcspn(name, "\n"), name, len) < 0 ||
	    (len && fwrite(bytes, 1, len, pc->spool) != len))
		return lm_error_set(LM_EIO, "%s: cannot write: %s", pc->spool_path,
		                    strerror(errno));
	*index = pc->checked + pc->busy + pc->pending++;
	pc->pending_bytes += len;
	/* A full chunk: python compiles it while the caller makes the next. */
	if (pc->pending >= CHUNK_RECORDS || pc->pending_bytes >= CHUNK_BYTES) {
		if ((error = collect(pc)) < 0 || (error = launch(pc)) < 0)
			return error;
	}
	return 0;
}

int lm_pycheck_run(lm_pycheck *pc)
{
	int error;

	if ((error = collect(pc)) < 0)
		goto fail;
	if (pc->pending && ((error = launch(pc)) < 0 || (error = collect(pc)) < 0))
		goto fail;
	return 0;

fail:
	drop_busy(pc);
	close_spool(pc);
	pc->pending = pc->pending_bytes = 0;
	return error;
}

const char *lm_pycheck_result(const lm_pycheck *pc, size_t index)
{
	return index < pc->nresults ? pc->results[index] : NULL;
}
