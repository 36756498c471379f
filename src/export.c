#include "leakmut/export.h"
#include "leakmut/operator.h"

#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "scratch.h"
#include "util.h"
#include "whole.h"

typedef struct exporter {
	git_repository *repo;
	git_tree *base;
	lm_export_format format;
	const char *dest;
	FILE *jsonl;
	lm_buf path;
	lm_buf stage;  /* diff, dir: DEST/.leakmut-export-PID, where files are written first */
	size_t staged; /* files written through it so far (the next one's name) */
} exporter;

/* A path from the truth that stays inside the folder it is joined to. */
static bool safe_path(const char *path)
{
	const char *p = path;

	if (!*path || path[0] == '/')
		return false;
	while (*p) {
		size_t len = strcspn(p, "/");

		if ((len == 2 && !strncmp(p, "..", 2)) || (len == 1 && p[0] == '.') || len == 0)
			return false;
		p += len;
		if (*p == '/')
			p++;
	}
	return true;
}

/*
 * mkdir -p for the folders of `path` (not the last component).  A folder
 * that cannot be made is named in the error as `as` followed by what
 * follows the first `from` bytes of `path` (a stage's folder by the name it
 * is to have), or as itself when `as` is NULL.
 */
static int make_parents(char *path, const char *as, size_t from)
{
	char *slash;

	for (slash = strchr(path + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST) {
			int error = lm_error_set(LM_EIO, "%s%s: cannot create: %s", as ? as : "",
			                         as ? path + from : path, strerror(errno));

			*slash = '/';
			return error;
		}
		*slash = '/';
	}
	return 0;
}

/* A diff file of the export, its folders made first; written whole, through the stage. */
static int write_file(exporter *x, char *path, const char *data, size_t len)
{
	lm_buf tmp = LM_BUF_INIT;
	int error;

	if ((error = make_parents(path, NULL, 0)) == 0 &&
	    (error = lm_buf_printf(&tmp, "%s/%zu", x->stage.ptr, x->staged++)) == 0)
		error = lm__write_whole_via(path, tmp.ptr, data, len);
	lm_buf_dispose(&tmp);
	return error;
}

/*
 * *out: the blob at `path` in `tree`, or NULL when `tree` has no such path
 * (the file is new, or the mutant removes it).  An entry whose blob cannot
 * be read (missing or corrupt in OUT) is an error naming `branch`.
 */
static int blob_at(git_blob **out, git_repository *repo, git_tree *tree, const char *path,
                   const char *branch)
{
	git_tree_entry *entry = NULL;
	int r = git_tree_entry_bypath(&entry, tree, path), error = 0;

	*out = NULL;
	if (r == GIT_ENOTFOUND)
		return 0;
	if (r < 0 || git_blob_lookup(out, repo, git_tree_entry_id(entry)) < 0) {
		const git_error *e = git_error_last();

		error = lm_error_set(LM_EGIT, "%s:%s: cannot read: %s", branch, path,
		                     e && e->message ? e->message : "failed");
	}
	git_tree_entry_free(entry);
	return error;
}

/*
 * Put the folder `from` (written whole) at `to`: renamed there, or, when
 * `to` is already there (a former export's), exchanged with it in one step
 * and the former one removed.  A reader finds the old folder or the new
 * one, never a part of either.
 */
static int publish_folder(const char *from, const char *to)
{
	int r = renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE);

	if (r < 0 && errno == EEXIST &&
	    (r = renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_EXCHANGE)) == 0)
		lm__remove_tree(from);
	if (r < 0 && (errno == EINVAL || errno == ENOSYS)) {
		/* A file system without these flags (or a kernel without
		 * renameat2): the former folder is removed first, and a kill
		 * between the two steps leaves neither there. */
		if ((r = rename(from, to)) < 0 && (errno == EEXIST || errno == ENOTEMPTY ||
		                                   errno == ENOTDIR || errno == EISDIR)) {
			lm__remove_tree(to);
			r = rename(from, to);
		}
	}
	return r == 0 ? 0 : lm_error_set(LM_EIO, "%s: cannot write: %s", to, strerror(errno));
}

/*
 * A mutant's files for --format dir, each file it changed against base as
 * the mutant has it: written into STAGE/ID, which is then put at DEST/ID
 * whole.  An error names the file by the name it was to have.
 */
static int write_folder(exporter *x, git_tree *tree, git_diff *diff, const char *id,
                        const char *branch)
{
	lm_buf folder = LM_BUF_INIT, file = LM_BUF_INIT, name = LM_BUF_INIT;
	int error;

	if ((error = lm_buf_printf(&folder, "%s/%s", x->stage.ptr, id)) < 0 ||
	    (error = lm_buf_printf(&name, "%s/%s", x->dest, id)) < 0)
		goto done;
	if (mkdir(folder.ptr, 0755) < 0) {
		error = lm_error_set(LM_EIO, "%s: cannot create: %s", name.ptr, strerror(errno));
		goto done;
	}
	for (size_t i = 0; error == 0 && i < git_diff_num_deltas(diff); i++) {
		const char *rel = git_diff_get_delta(diff, i)->new_file.path;
		git_blob *after;

		if (!safe_path(rel)) {
			error = lm_error_set(LM_EINVALID, "%s: unsafe path %s", branch, rel);
			break;
		}
		if ((error = blob_at(&after, x->repo, tree, rel, branch)) < 0)
			break;
		if (!after)
			continue; /* a file the mutant removes */
		lm_buf_clear(&file);
		lm_buf_clear(&name);
		if ((error = lm_buf_printf(&file, "%s/%s", folder.ptr, rel)) == 0 &&
		    (error = lm_buf_printf(&name, "%s/%s/%s", x->dest, id, rel)) == 0 &&
		    (error = make_parents(file.ptr, x->dest, x->stage.size)) == 0)
			error = lm__write_file(file.ptr, name.ptr, git_blob_rawcontent(after),
			                       (size_t)git_blob_rawsize(after));
		git_blob_free(after);
	}
	lm_buf_clear(&name);
	if (error == 0 && (error = lm_buf_printf(&name, "%s/%s", x->dest, id)) == 0)
		error = publish_folder(folder.ptr, name.ptr);
	if (error < 0)
		lm__remove_tree(folder.ptr); /* its space, at once: the disk may be full */
done:
	lm_buf_dispose(&name);
	lm_buf_dispose(&file);
	lm_buf_dispose(&folder);
	return error;
}

/*
 * Every file the mutant changes against base, as [{path, before, after}]
 * (the record's own path among them).
 */
static int file_changes(exporter *x, git_tree *tree, const char *branch, json_t **out)
{
	git_diff *diff = NULL;
	json_t *list = json_array();
	size_t i;
	int error = 0;

	*out = NULL;
	if (!list)
		return lm_error_set(LM_ENOMEM, "out of memory");
	if (git_diff_tree_to_tree(&diff, x->repo, x->base, tree, NULL) < 0) {
		json_decref(list);
		return lm__git_fail(branch);
	}
	for (i = 0; error == 0 && i < git_diff_num_deltas(diff); i++) {
		const char *p = git_diff_get_delta(diff, i)->new_file.path;
		git_blob *b = NULL, *a = NULL;
		json_t *item;

		if ((error = blob_at(&b, x->repo, x->base, p, "base")) < 0 ||
		    (error = blob_at(&a, x->repo, tree, p, branch)) < 0) {
			git_blob_free(b);
			break;
		}
		item = json_pack("{s:s, s:s%, s:s%}", "path", p, "before",
		                 b ? (const char *)git_blob_rawcontent(b) : "",
		                 b ? (size_t)git_blob_rawsize(b) : 0, "after",
		                 a ? (const char *)git_blob_rawcontent(a) : "",
		                 a ? (size_t)git_blob_rawsize(a) : 0);

		if (!item || json_array_append_new(list, item) < 0)
			error = lm_error_set(LM_ENOMEM, "%s: cannot encode (not UTF-8?)", branch);
		git_blob_free(b);
		git_blob_free(a);
	}
	git_diff_free(diff);
	if (error < 0)
		json_decref(list);
	else
		*out = list;
	return error;
}

static int export_one(exporter *x, json_t *rec)
{
	const char *id = json_string_value(json_object_get(rec, "id"));
	const char *branch = json_string_value(json_object_get(rec, "branch"));
	const char *path = json_string_value(json_object_get(rec, "path"));
	git_object *obj = NULL;
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	git_diff *diff = NULL;
	git_buf patch = {0};
	git_blob *before = NULL, *after = NULL;
	int error = 0;

	if (!id || !branch || !path || strlen(id) != 12 || strspn(id, "0123456789abcdef") != 12 ||
	    !safe_path(path))
		return lm_error_set(LM_EINVALID, "truth record with a bad id or path (%s, %s)",
		                    id ? id : "?", path ? path : "?");
	if (git_revparse_single(&obj, x->repo, branch) < 0 ||
	    git_object_peel((git_object **)&commit, obj, GIT_OBJECT_COMMIT) < 0 ||
	    git_commit_tree(&tree, commit) < 0) {
		error = lm__git_fail(branch);
		goto cleanup;
	}
	lm_buf_clear(&x->path);
	switch (x->format) {
	case LM_EXPORT_DIFF:
		if (git_diff_tree_to_tree(&diff, x->repo, x->base, tree, NULL) < 0 ||
		    git_diff_to_buf(&patch, diff, GIT_DIFF_FORMAT_PATCH) < 0) {
			error = lm__git_fail(branch);
			break;
		}
		if ((error = lm_buf_printf(&x->path, "%s/%s.diff", x->dest, id)) == 0)
			error = write_file(x, x->path.ptr, patch.ptr ? patch.ptr : "", patch.size);
		break;
	case LM_EXPORT_DIR:
		/* Every file the mutant changed against base. */
		if (git_diff_tree_to_tree(&diff, x->repo, x->base, tree, NULL) < 0)
			error = lm__git_fail(branch);
		else
			error = write_folder(x, tree, diff, id, branch);
		break;
	case LM_EXPORT_JSONL: {
		json_t *row, *changes = NULL;
		char *line;

		if ((error = blob_at(&before, x->repo, x->base, path, "base")) < 0 ||
		    (error = blob_at(&after, x->repo, tree, path, branch)) < 0 ||
		    (error = file_changes(x, tree, branch, &changes)) < 0)
			break;
		row = json_pack("{s:s, s:O, s:s, s:s%, s:s%, s:o, s:O}", "id", id, "operator",
		                json_object_get(rec, "operator"), "path", path, "before",
		                before ? (const char *)git_blob_rawcontent(before) : "",
		                before ? (size_t)git_blob_rawsize(before) : 0, "after",
		                after ? (const char *)git_blob_rawcontent(after) : "",
		                after ? (size_t)git_blob_rawsize(after) : 0, "changes", changes,
		                "truth", rec);
		line = row ? json_dumps(row, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
		json_decref(row);
		if (!line) {
			error = lm_error_set(LM_ENOMEM, "%s: cannot encode (not UTF-8?)", branch);
			break;
		}
		if (fputs(line, x->jsonl) < 0 || fputc('\n', x->jsonl) < 0)
			error =
			    lm_error_set(LM_EIO, "%s: cannot write: %s", x->dest, strerror(errno));
		free(line);
		break;
	}
	}

cleanup:
	git_blob_free(before);
	git_blob_free(after);
	git_buf_dispose(&patch);
	git_diff_free(diff);
	git_tree_free(tree);
	git_commit_free(commit);
	git_object_free(obj);
	return error;
}

int lm_export(const char *repo_path, lm_export_format format, const char *dest, size_t *mutants,
              size_t *controls)
{
	exporter x = {0};
	git_object *obj = NULL, *base = NULL;
	git_blob *truth = NULL;
	lm_buf tmp = LM_BUF_INIT;
	const char *data;
	size_t len, pos = 0, line = 0;
	int error = 0;

	*mutants = *controls = 0;
	if (!*dest)
		return lm_error_set(LM_EINVALID, "export: an empty destination");
	x.format = format;
	x.dest = dest;
	if (git_repository_open_ext(&x.repo, repo_path, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0) {
		error = lm_error_set(LM_ENOTFOUND, "%s: not a git repository", repo_path);
		goto cleanup;
	}
	if (git_revparse_single(&obj, x.repo, "leakmut/truth:truth.jsonl") < 0 ||
	    git_object_peel((git_object **)&truth, obj, GIT_OBJECT_BLOB) < 0 ||
	    git_revparse_single(&base, x.repo, "base") < 0 ||
	    git_object_peel((git_object **)&x.base, base, GIT_OBJECT_TREE) < 0) {
		error = lm_error_set(LM_EINVALID, "%s: no leakmut truth or base: %s", repo_path,
		                     git_error_last() ? git_error_last()->message : "?");
		goto cleanup;
	}
	/* The folders leading to DEST (and DEST itself unless it is the JSONL file). */
	if ((error = lm_buf_printf(&x.path, format == LM_EXPORT_JSONL ? "%s" : "%s/", dest)) < 0 ||
	    (error = make_parents(x.path.ptr, NULL, 0)) < 0)
		goto cleanup;
	if (format != LM_EXPORT_JSONL) {
		/* Each diff file, and each mutant's folder, is written in the
		 * stage and renamed into place whole; a killed export's stage
		 * is removed by the next. */
		if ((error = lm__clear_stale(x.path.ptr, x.path.size, ".leakmut-export-",
		                             S_IFDIR)) < 0 ||
		    (error = lm_buf_printf(&x.stage, "%s/.leakmut-export-%ld", dest,
		                           (long)getpid())) < 0)
			goto cleanup;
		if (mkdir(x.stage.ptr, 0700) < 0) {
			error =
			    lm_error_set(LM_EIO, "%s: cannot create: %s", dest, strerror(errno));
			lm_buf_clear(&x.stage);
			goto cleanup;
		}
	}
	if (format == LM_EXPORT_JSONL) {
		/* Written beside DEST and renamed over it whole: a failed export
		 * leaves DEST as it was (and a killed one DEST.tmpPID, removed
		 * by the next). */
		if ((error = lm__clear_stale(dest, strlen(dest), ".tmp", S_IFREG)) < 0 ||
		    (error = lm_buf_printf(&tmp, "%s.tmp%ld", dest, (long)getpid())) < 0)
			goto cleanup;
		if (!(x.jsonl = fopen(tmp.ptr, "wb"))) {
			error =
			    lm_error_set(LM_EIO, "%s: cannot create: %s", dest, strerror(errno));
			goto cleanup;
		}
	}
	data = git_blob_rawcontent(truth);
	len = (size_t)git_blob_rawsize(truth);
	while (pos < len && error == 0) {
		const char *nl = memchr(data + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - data) : len;
		json_t *rec = json_loadb(data + pos, end - pos, 0, NULL);

		line++;
		if (!rec)
			error = lm_error_set(LM_EINVALID, "%s: truth.jsonl:%zu: not JSON",
			                     repo_path, line);
		else if ((error = export_one(&x, rec)) == 0 &&
		         !strcmp(lm__json_str(rec, "family"), lm_family_name(LM_FAMILY_CONTROL)))
			(*controls)++;
		else if (error == 0)
			(*mutants)++;
		json_decref(rec);
		pos = end + 1;
	}

cleanup:
	if (x.jsonl) {
		if (fclose(x.jsonl) != 0 && error == 0)
			error = lm_error_set(LM_EIO, "%s: cannot write: %s", dest, strerror(errno));
		if (error == 0 && rename(tmp.ptr, dest) < 0)
			error = lm_error_set(LM_EIO, "%s: cannot write: %s", dest, strerror(errno));
		if (error < 0)
			unlink(tmp.ptr);
	}
	if (x.stage.size > 0)
		lm__remove_tree(x.stage.ptr); /* empty but for a failed file's remains */
	lm_buf_dispose(&x.stage);
	lm_buf_dispose(&tmp);
	lm_buf_dispose(&x.path);
	git_tree_free(x.base);
	git_object_free(base);
	git_blob_free(truth);
	git_object_free(obj);
	git_repository_free(x.repo);
	return error;
}
