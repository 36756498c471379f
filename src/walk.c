#include "leakmut/walk.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"

typedef struct walker {
	lm_walk_file_cb file_cb;
	lm_walk_error_cb error_cb;
	void *payload;
	size_t root_len; /* of the root prefix in the path buffer, with its '/' */
} walker;

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static void free_names(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* The sorted entry names of a directory, without hidden ones. */
static int list_dir(char ***out, size_t *count, const char *path)
{
	DIR *dir = opendir(path);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, alloc = 0;
	int error = 0;

	*out = NULL;
	*count = 0;
	if (!dir)
		return lm_error_set(LM_EIO, "%s: cannot open directory: %s", path, strerror(errno));
	while ((errno = 0, de = readdir(dir)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (n == alloc) {
			size_t grow = alloc ? alloc * 2 : 32;
			char **more = lm__realloc(names, grow * sizeof(*more));

			if (!more) {
				error = lm_error_set(LM_ENOMEM, "out of memory");
				goto cleanup;
			}
			names = more;
			alloc = grow;
		}
		if (!(names[n] = lm__strdup(de->d_name))) {
			error = lm_error_set(LM_ENOMEM, "out of memory");
			goto cleanup;
		}
		n++;
	}
	if (errno != 0)
		error =
		    lm_error_set(LM_EIO, "%s: cannot read directory: %s", path, strerror(errno));

cleanup:
	closedir(dir);
	if (error < 0) {
		free_names(names, n);
		return error;
	}
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	*out = names;
	*count = n;
	return 0;
}

static int walk_dir(walker *w, lm_buf *path, int depth)
{
	char **names = NULL;
	size_t n = 0, i, base = path->size;
	struct stat st;
	int error;

	if (depth > 256) {
		w->error_cb(path->ptr, "directories nested too deeply", w->payload);
		return 0;
	}
	if ((error = list_dir(&names, &n, path->ptr)) < 0) {
		if (error == LM_ENOMEM)
			return error;
		w->error_cb(path->ptr, lm_error_last(), w->payload);
		return 0;
	}
	for (i = 0; i < n; i++) {
		path->size = base;
		path->ptr[base] = '\0';
		if ((error = lm_buf_puts(path, "/")) < 0 ||
		    (error = lm_buf_puts(path, names[i])) < 0)
			goto cleanup;
		if (lstat(path->ptr, &st) < 0) {
			/* Vanished since it was listed, or unreadable. */
			w->error_cb(path->ptr, strerror(errno), w->payload);
			continue;
		}
		if (S_ISLNK(st.st_mode)) {
			w->error_cb(path->ptr, LM_WALK_SYMLINK, w->payload);
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			size_t here = path->size;

			if (!strcmp(names[i], "__pycache__"))
				continue;
			if ((error = lm_buf_puts(path, "/pyvenv.cfg")) < 0)
				goto cleanup;
			if (access(path->ptr, F_OK) == 0)
				continue;
			path->size = here;
			path->ptr[here] = '\0';
			if ((error = walk_dir(w, path, depth + 1)) != 0)
				goto cleanup;
		} else if (S_ISREG(st.st_mode) && ends_with(names[i], ".py")) {
			if ((error = w->file_cb(path->ptr, path->ptr + w->root_len, w->payload)) !=
			    0)
				goto cleanup;
		}
	}
	error = 0;

cleanup:
	path->size = base;
	if (path->ptr)
		path->ptr[base] = '\0';
	free_names(names, n);
	return error;
}

static void ignore_error(const char *path, const char *why, void *payload)
{
	(void)path;
	(void)why;
	(void)payload;
}

int lm_walk(const char *root, lm_walk_file_cb file_cb, lm_walk_error_cb error_cb, void *payload)
{
	walker w = {file_cb, error_cb ? error_cb : ignore_error, payload, 0};
	lm_buf path = LM_BUF_INIT;
	struct stat st;
	size_t len = strlen(root);
	int error;

	if (stat(root, &st) < 0)
		return lm_error_set(errno == ENOENT ? LM_ENOTFOUND : LM_EIO, "%s: %s", root,
		                    strerror(errno));
	if (!S_ISDIR(st.st_mode)) {
		const char *base = strrchr(root, '/');

		return file_cb(root, base ? base + 1 : root, payload);
	}
	while (len > 1 && root[len - 1] == '/')
		len--;
	if ((error = lm_buf_put(&path, root, len)) < 0)
		return error;
	w.root_len = len + 1;
	error = walk_dir(&w, &path, 0);
	lm_buf_dispose(&path);
	return error;
}
