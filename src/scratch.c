#include "scratch.h"
#include "util.h"

#include <errno.h>
#include <stdbool.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct materialize {
	git_repository *repo;
	const char *dir;
	int error;
	lm_buf path;
} materialize;

static int write_entry(const char *root, const git_tree_entry *entry, void *payload)
{
	materialize *m = payload;
	git_filemode_t mode = git_tree_entry_filemode(entry);
	const char *name = git_tree_entry_name(entry);
	git_blob *blob = NULL;
	FILE *f;
	bool ok;

	if (!strcmp(name, "..") || !strcmp(name, ".") || strchr(name, '/'))
		return 1;
	lm_buf_clear(&m->path);
	if ((m->error = lm_buf_printf(&m->path, "%s/%s%s", m->dir, root, name)) < 0)
		return -1;
	if (mode == GIT_FILEMODE_TREE) {
		if (mkdir(m->path.ptr, 0755) < 0 && errno != EEXIST) {
			m->error = lm_error_set(LM_EIO, "%s: %s", m->path.ptr, strerror(errno));
			return -1;
		}
		return 0;
	}
	if (mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE)
		return 0; /* links and submodules are not written */
	if (git_blob_lookup(&blob, m->repo, git_tree_entry_id(entry)) < 0) {
		m->error = lm__git_fail(name);
		return -1;
	}
	if (!(f = fopen(m->path.ptr, "wb"))) {
		git_blob_free(blob);
		m->error = lm_error_set(LM_EIO, "%s: %s", m->path.ptr, strerror(errno));
		return -1;
	}
	ok = fwrite(git_blob_rawcontent(blob), 1, (size_t)git_blob_rawsize(blob), f) ==
	     (size_t)git_blob_rawsize(blob);
	ok = fclose(f) == 0 && ok;
	git_blob_free(blob);
	if (!ok) {
		m->error = lm_error_set(LM_EIO, "%s: cannot write", m->path.ptr);
		return -1;
	}
	return 0;
}

int lm__write_tree(git_repository *repo, const char *rev, const char *dir)
{
	materialize m = {repo, dir, 0, LM_BUF_INIT};
	git_object *obj = NULL;
	git_tree *tree = NULL;
	int error = 0;

	if (git_revparse_single(&obj, repo, rev) < 0 ||
	    git_object_peel((git_object **)&tree, obj, GIT_OBJECT_TREE) < 0)
		error = lm__git_fail(rev);
	else if (git_tree_walk(tree, GIT_TREEWALK_PRE, write_entry, &m) < 0)
		error = m.error < 0 ? m.error : lm__git_fail(rev);
	lm_buf_dispose(&m.path);
	git_tree_free(tree);
	git_object_free(obj);
	return error;
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return type == FTW_DP ? rmdir(path) : unlink(path);
}

void lm__remove_tree(const char *dir)
{
	nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}
