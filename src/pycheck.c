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
#include "whole.h"

extern char **environ;

/* src/pycheck.py, which says what the records are and what it prints. */
#include "pycheck_script.h"

/*
 * Records are spooled in chunks; a full chunk is handed to a python process
 * that runs while the next chunks are being made.  Up to RUNNING pythons
 * run at once (the scanning threads and the caller's work share the cores
 * with them: with one, the caller waited for it while the scanning threads
 * stood idle), and results are taken in the order the chunks were made, so
 * at most RUNNING + 1 chunks are on disk.
 */
#define CHUNK_RECORDS 512
#define CHUNK_BYTES   (4u << 20)
#define RUNNING       2
#define TEMP_PATH     4096 /* $TMPDIR/leakmut-py-XXXXXX, see lm__temp_file */

static const char bom_bytes[] = "\xEF\xBB\xBF";

/* A chunk handed over: a python compiles it. */
typedef struct busy_chunk {
	char path[TEMP_PATH]; /* the chunk file */
	size_t count;         /* its records */
	pid_t pid;            /* its python; 0 if it could not be started */
	int out_fd;           /* its stdout: an unlinked temporary file */
	bool asked;           /* its python says where it is */
	bool ran;             /* its python ran: out_fd holds its results */
} busy_chunk;

struct lm_pycheck {
	char *python;
	char spool_path[TEMP_PATH];
	FILE *spool;
	size_t pending;           /* records in the spool that get a result */
	size_t pending_bytes;     /* the bytes of every record in it */
	size_t files;             /* F records in the spool */
	lm_buf last;              /* the last F record's name, a NUL, then its bytes */
	bool has_last;            /* whether `last` is in the spool */
	size_t checked;           /* records whose results are in */
	busy_chunk busy[RUNNING]; /* handed over, oldest at busy[first] */
	size_t first, nbusy;
	size_t busy_records; /* the records of all of them */
	char **results;      /* one per record: NULL ok, else message */
	size_t nresults;
	size_t alloc;
	bool available;
	bool resolved; /* pc->python is where a python said it is */
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

/* Stop the oldest chunk's python, if running, and remove the chunk. */
static void drop_oldest(lm_pycheck *pc)
{
	busy_chunk *b = &pc->busy[pc->first];
	int status;

	if (b->pid > 0) {
		kill(b->pid, SIGKILL);
		while (waitpid(b->pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	if (b->out_fd >= 0)
		close(b->out_fd);
	unlink(b->path);
	pc->busy_records -= b->count;
	memset(b, 0, sizeof(*b));
	pc->first = (pc->first + 1) % RUNNING;
	pc->nbusy--;
}

/* Stop every running python (the run failed) and remove the chunks. */
static void drop_busy(lm_pycheck *pc)
{
	while (pc->nbusy)
		drop_oldest(pc);
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
	lm_buf_dispose(&pc->last);
	free(pc);
}

bool lm_pycheck_available(const lm_pycheck *pc)
{
	return pc->available;
}

static int open_spool(lm_pycheck *pc)
{
	int fd, error;

	if ((error = lm__temp_file(pc->spool_path, sizeof(pc->spool_path), "leakmut-py", &fd)) <
	    0) /* python opens it by name */
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

/* Start python on the spool, which becomes the newest busy chunk. */
static int launch(lm_pycheck *pc)
{
	posix_spawn_file_actions_t actions;
	/*
	 * The first python says where it is (sys.executable) and the others
	 * start from there: a version manager's shim (pyenv's is a shell
	 * script) costs more than compiling a chunk.
	 */
	char *argv[] = {pc->python,     "-I",      "-W", "ignore", "-c", (char *)pycheck_script,
	                pc->spool_path, "--where", NULL};
	char out_path[TEMP_PATH];
	busy_chunk *b = &pc->busy[(pc->first + pc->nbusy) % RUNNING];
	int error;

	if (fflush(pc->spool) != 0)
		return lm_error_set(LM_EIO, "%s: cannot write: %s", pc->spool_path,
		                    strerror(errno));
	fclose(pc->spool);
	pc->spool = NULL;
	memcpy(b->path, pc->spool_path, sizeof(b->path));
	b->count = pc->pending;
	b->pid = 0;
	b->out_fd = -1;
	b->ran = false;
	pc->nbusy++;
	pc->busy_records += pc->pending;
	pc->pending = pc->pending_bytes = pc->files = 0;
	pc->has_last = false;
	if (!pc->available)
		return 0;
	if ((error = lm__temp_file(out_path, sizeof(out_path), "leakmut-py", &b->out_fd)) < 0)
		return error;
	unlink(out_path);
	b->asked = !pc->resolved;
	if (!b->asked)
		argv[7] = NULL;
	posix_spawn_file_actions_init(&actions);
	posix_spawn_file_actions_adddup2(&actions, b->out_fd, 1);
	posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
	error = posix_spawnp(&b->pid, pc->python, &actions, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&actions);
	if (error == 0) {
		b->ran = true;
		return 0;
	}
	b->pid = 0;
	/* No such program: mutants go unchecked, as the caller says.  Any
	 * other failure (no process or memory left) is the run's. */
	if (error != ENOENT && error != EACCES && error != ENOTDIR)
		return lm_error_set(LM_ERROR, "%s: cannot start: %s", pc->python, strerror(error));
	pc->available = false;
	return 0;
}

/* Wait for the oldest busy chunk's python and take its results. */
static int collect(lm_pycheck *pc)
{
	busy_chunk *b = &pc->busy[pc->first];
	lm_buf out = LM_BUF_INIT;
	size_t i, got = 0;
	int status = 0, error = 0;
	char chunk[65536], *line;

	if (!pc->nbusy)
		return 0;
	if (b->pid > 0) {
		while (waitpid(b->pid, &status, 0) < 0 && errno == EINTR)
			;
		b->pid = 0;
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			/* 127: posix_spawnp found no such program. */
			if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
				pc->available = false;
				b->ran = false;
			} else {
				error = lm_error_set(LM_ERROR, "%s failed while compiling mutants",
				                     pc->python);
				goto cleanup;
			}
		}
	}
	if (b->ran) {
		if (lseek(b->out_fd, 0, SEEK_SET) < 0) {
			error = lm_error_set(LM_EIO, "python's output: %s", strerror(errno));
			goto cleanup;
		}
		for (;;) {
			ssize_t n = read(b->out_fd, chunk, sizeof(chunk));

			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			if ((error = lm_buf_put(&out, chunk, (size_t)n)) < 0)
				goto cleanup;
		}
	}
	line = b->ran ? out.ptr : NULL;
	if (line && b->asked && !strncmp(line, "exe ", 4) && strchr(line, '\n')) {
		char *nl = strchr(line, '\n'), *exe;

		*nl = '\0';
		if (line[4] == '/' && access(line + 4, X_OK) == 0) {
			if (!(exe = lm__strdup(line + 4))) {
				error = lm_error_set(LM_ENOMEM, "out of memory");
				goto cleanup;
			}
			free(pc->python);
			pc->python = exe;
		}
		line = nl + 1;
	}
	if (b->asked)
		pc->resolved = true;
	for (i = 0; i < b->count; i++) {
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
	if (b->ran && got != b->count)
		error = lm_error_set(LM_ERROR, "%s answered for %zu of %zu sources", pc->python,
		                     got, b->count);
	pc->checked += b->count;

cleanup:
	drop_oldest(pc);
	lm_buf_dispose(&out);
	return error;
}

static int spool_fail(lm_pycheck *pc)
{
	return lm_error_set(LM_EIO, "%s: cannot write: %s", pc->spool_path, strerror(errno));
}

/* Record KIND with NAME, ending at the first newline (one would end it early). */
static int put_head(lm_pycheck *pc, char kind, const char *name)
{
	int error;

	if (!pc->spool && (error = open_spool(pc)) < 0)
		return error;
	if (fprintf(pc->spool, "%c\n%.*s\n", kind, (int)strcspn(name, "\n"), name) < 0)
		return spool_fail(pc);
	return 0;
}

static int put_bytes(lm_pycheck *pc, bool bom, const char *bytes, size_t len)
{
	if (fprintf(pc->spool, "%zu\n", len + (bom ? 3 : 0)) < 0 ||
	    (bom && fwrite(bom_bytes, 1, 3, pc->spool) != 3) ||
	    (len && fwrite(bytes, 1, len, pc->spool) != len))
		return spool_fail(pc);
	pc->pending_bytes += len;
	return 0;
}

/*
 * Python compiles the spool while the caller makes the next: after the
 * oldest chunk's results are in when RUNNING pythons run, or while the
 * first has yet to say where it is.
 */
static int hand_over(lm_pycheck *pc)
{
	int error;

	while (pc->nbusy == RUNNING || (pc->nbusy && !pc->resolved && pc->available))
		if ((error = collect(pc)) < 0)
			return error;
	return launch(pc);
}

int lm_pycheck_add(lm_pycheck *pc, const char *name, const char *bytes, size_t len, size_t *index)
{
	int error;

	if ((error = put_head(pc, 'W', name)) < 0 || (error = put_bytes(pc, false, bytes, len)) < 0)
		return error;
	*index = pc->checked + pc->busy_records + pc->pending++;
	if (pc->pending >= CHUNK_RECORDS || pc->pending_bytes >= CHUNK_BYTES)
		return hand_over(pc);
	return 0;
}

/* Whether the last F record in the spool is this file. */
static bool is_last(const lm_pycheck *pc, const char *name, bool bom, const char *text, size_t len)
{
	size_t nlen = strlen(name);

	return pc->has_last && pc->last.size == nlen + 2 + len &&
	       memcmp(pc->last.ptr, name, nlen + 1) == 0 && pc->last.ptr[nlen + 1] == (char)bom &&
	       memcmp(pc->last.ptr + nlen + 2, text, len) == 0;
}

int lm_pycheck_add_edits(lm_pycheck *pc, const char *name, bool bom, const char *text, size_t len,
                         const lm_edits *edits, size_t *index)
{
	size_t i, n = lm_edits_count(edits), shift = bom ? 3 : 0;
	int error;

	if (!is_last(pc, name, bom, text, len)) {
		/* A full chunk is handed over before a new file, not after its first mutant. */
		if (pc->pending && pc->pending_bytes >= CHUNK_BYTES && (error = hand_over(pc)) < 0)
			return error;
		pc->has_last = false;
		lm_buf_clear(&pc->last);
		if ((error = put_head(pc, 'F', name)) < 0 ||
		    (error = put_bytes(pc, bom, text, len)) < 0 ||
		    (error = lm_buf_put(&pc->last, name, strlen(name) + 1)) < 0 ||
		    (error = lm_buf_put(&pc->last, bom ? "\1" : "", 1)) < 0 ||
		    (error = lm_buf_put(&pc->last, text, len)) < 0)
			return error;
		pc->has_last = true;
		pc->files++;
	}
	if (fprintf(pc->spool, "M\n%zu\n%zu\n", pc->files - 1, n) < 0)
		return spool_fail(pc);
	for (i = 0; i < n; i++) {
		const lm_edit *e = lm_edits_get(edits, i);

		if (fprintf(pc->spool, "%zu %zu\n", e->start + shift, e->end + shift) < 0)
			return spool_fail(pc);
		if ((error = put_bytes(pc, false, e->text, e->len)) < 0)
			return error;
	}
	*index = pc->checked + pc->busy_records + pc->pending++;
	return pc->pending >= CHUNK_RECORDS ? hand_over(pc) : 0;
}

int lm_pycheck_run(lm_pycheck *pc)
{
	int error = 0;

	if (pc->pending && (error = hand_over(pc)) < 0)
		goto fail;
	while (pc->nbusy)
		if ((error = collect(pc)) < 0)
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
