#include "leakmut/pycheck.h"

#include <errno.h>
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

struct lm_pycheck {
	char *python;
	char spool_path[64];
	FILE *spool;
	size_t pending; /* records in the spool */
	size_t checked; /* records before the spool */
	char **results; /* one per record: NULL ok, else message */
	size_t nresults;
	size_t alloc;
	bool available;
	bool tried;
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

void lm_pycheck_free(lm_pycheck *pc)
{
	size_t i;

	if (!pc)
		return;
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

static int open_spool(lm_pycheck *pc)
{
	const char *dir = getenv("TMPDIR");
	int fd;

	if (!dir || !*dir || strlen(dir) > sizeof(pc->spool_path) - 24)
		dir = "/tmp";
	snprintf(pc->spool_path, sizeof(pc->spool_path), "%s/leakmut-py-XXXXXX", dir);
	if ((fd = mkostemp(pc->spool_path, O_CLOEXEC)) < 0) /* python opens it by name */
		return lm_error_set(LM_EIO, "%s: cannot create: %s", pc->spool_path,
		                    strerror(errno));
	if (!(pc->spool = fdopen(fd, "w+b"))) {
		int err = errno;

		close(fd);
		unlink(pc->spool_path);
		return lm_error_set(LM_EIO, "%s: %s", pc->spool_path, strerror(err));
	}
	return 0;
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
	*index = pc->checked + pc->pending++;
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

/* Run python over the spool; its stdout goes to `out`. */
static int run_python(lm_pycheck *pc, lm_buf *out, int *status)
{
	posix_spawn_file_actions_t actions;
	char *argv[] = {pc->python, "-I",           "-W",           "ignore",
	                "-c",       (char *)script, pc->spool_path, NULL};
	int fds[2], error = 0;
	pid_t pid;
	char chunk[65536];

	if (pipe2(fds, O_CLOEXEC) < 0)
		return lm_error_set(LM_EIO, "pipe: %s", strerror(errno));
	posix_spawn_file_actions_init(&actions);
	posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
	posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
	error = posix_spawnp(&pid, pc->python, &actions, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&actions);
	close(fds[1]);
	if (error != 0) {
		close(fds[0]);
		return lm_error_set(LM_ENOTFOUND, "%s: cannot run: %s", pc->python,
		                    strerror(error));
	}
	for (;;) {
		ssize_t n = read(fds[0], chunk, sizeof(chunk));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (error == 0)
			error = lm_buf_put(out, chunk, (size_t)n);
	}
	close(fds[0]);
	while (waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
	return error;
}

int lm_pycheck_run(lm_pycheck *pc)
{
	lm_buf out = LM_BUF_INIT;
	size_t i, got = 0;
	int status = 0, error = 0;
	char *line;

	if (!pc->pending)
		return 0;
	if (fflush(pc->spool) != 0) {
		error =
		    lm_error_set(LM_EIO, "%s: cannot write: %s", pc->spool_path, strerror(errno));
		goto cleanup;
	}
	if (pc->available) {
		error = run_python(pc, &out, &status);
		if (error == LM_ENOTFOUND) {
			pc->available = false;
			error = 0;
		} else if (error < 0) {
			goto cleanup;
		} else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
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
	line = out.ptr;
	for (i = 0; i < pc->pending; i++) {
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
	if (pc->available && got != pc->pending)
		error = lm_error_set(LM_ERROR, "%s answered for %zu of %zu sources", pc->python,
		                     got, pc->pending);

cleanup:
	pc->checked += pc->pending;
	pc->pending = 0;
	close_spool(pc);
	lm_buf_dispose(&out);
	return error;
}

const char *lm_pycheck_result(const lm_pycheck *pc, size_t index)
{
	return index < pc->nresults ? pc->results[index] : NULL;
}
