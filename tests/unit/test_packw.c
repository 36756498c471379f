#include <dirent.h>
#include <ftw.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "packw.h"

static char root[64];
static char pack_dir[128];
static git_repository *repo;

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	return remove(path);
}

static int setup(void **state)
{
	(void)state;
	strcpy(root, "/tmp/lm-packw-XXXXXX");
	if (!mkdtemp(root) || git_libgit2_init() < 0 || git_repository_init(&repo, root, 1) < 0)
		return -1;
	snprintf(pack_dir, sizeof(pack_dir), "%s/objects/pack", root);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	git_repository_free(repo);
	git_libgit2_shutdown();
	return nftw(root, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static size_t files_in(const char *dir, const char *suffix)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0, k = strlen(suffix);

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (strlen(e->d_name) > k && !strcmp(e->d_name + strlen(e->d_name) - k, suffix))
			n++;
	closedir(d);
	return n;
}

/* The object `oid` as OUT reads it back: its type and content. */
static void assert_object(const git_oid *oid, git_object_t type, const char *data, size_t len)
{
	git_odb *odb = NULL;
	git_odb_object *obj = NULL;
	git_oid hashed;

	assert_int_equal(git_repository_odb(&odb, repo), 0);
	assert_int_equal(git_odb_refresh(odb), 0);
	assert_int_equal(git_odb_read(&obj, odb, oid), 0);
	assert_int_equal(git_odb_object_type(obj), type);
	assert_int_equal(git_odb_object_size(obj), len);
	assert_memory_equal(git_odb_object_data(obj), data, len);
	/* and the id is git's for that content */
	assert_int_equal(git_odb_hash(&hashed, data, len, type), 0);
	assert_true(git_oid_equal(&hashed, oid));
	git_odb_object_free(obj);
	git_odb_free(odb);
}

static void packw__writes_whole_objects_and_deltas_git_reads_back(void **state)
{
	/* Big enough that copies are split (at most 64 KiB each) and inserts too (127). */
	size_t base_len = 200000, i, index, blob_at, tree_at;
	char *base = malloc(base_len), *want, insert[300], *tree_base;
	lm__piece pieces[6];
	lm__packw *w = NULL;
	git_oid base_id, mutant_id, tree_id, tree2_id, commit_id, other;
	size_t want_len = 0, tree_len;
	const char *commit = "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n"
	                     "author a <a@b> 0 +0000\ncommitter a <a@b> 0 +0000\n\nm\n";

	(void)state;
	assert_non_null(base);
	for (i = 0; i < base_len; i++)
		base[i] = (char)('a' + (i * 7 + i / 13) % 26);
	for (i = 0; i < sizeof(insert); i++)
		insert[i] = (char)('0' + i % 10);
	assert_int_equal(lm__packw_new(&w, pack_dir), 0);
	assert_int_equal(lm__packw_write(w), 0); /* empty: nothing written */
	assert_int_equal(files_in(pack_dir, ".pack"), 0);

	pieces[0] = (lm__piece){base, base_len, false};
	lm__object_id(&base_id, GIT_OBJECT_BLOB, pieces, 1);
	assert_int_equal(
	    lm__packw_add(w, GIT_OBJECT_BLOB, &base_id, pieces, 1, -1, NULL, 0, &blob_at), 0);

	/* A mutant: copies (one at offset 0, one over 64 KiB), inserts, an empty piece. */
	pieces[0] = (lm__piece){base, 70000, true};
	pieces[1] = (lm__piece){insert, sizeof(insert), false};
	pieces[2] = (lm__piece){base + 70010, 70000, true};
	pieces[3] = (lm__piece){"", 0, false};
	pieces[4] = (lm__piece){base + 150000, base_len - 150000, true};
	pieces[5] = (lm__piece){"tail", 4, false};
	want = malloc(base_len + sizeof(insert) + 4);
	assert_non_null(want);
	for (i = 0; i < 6; i++) {
		memcpy(want + want_len, pieces[i].ptr, pieces[i].len);
		want_len += pieces[i].len;
	}
	lm__object_id(&mutant_id, GIT_OBJECT_BLOB, pieces, 6);
	assert_int_equal(lm__packw_add(w, GIT_OBJECT_BLOB, &mutant_id, pieces, 6, (long)blob_at,
	                               base, base_len, &index),
	                 0);

	/* A tree, and a second one as a delta of it with one id replaced. */
	tree_len = 2 * (7 + 2 + GIT_OID_RAWSZ);
	tree_base = malloc(tree_len);
	assert_non_null(tree_base);
	memcpy(tree_base, "100644 a", 9);
	memcpy(tree_base + 9, base_id.id, GIT_OID_RAWSZ);
	memcpy(tree_base + 29, "100644 b", 9);
	memcpy(tree_base + 38, base_id.id, GIT_OID_RAWSZ);
	pieces[0] = (lm__piece){tree_base, tree_len, false};
	lm__object_id(&tree_id, GIT_OBJECT_TREE, pieces, 1);
	assert_int_equal(
	    lm__packw_add(w, GIT_OBJECT_TREE, &tree_id, pieces, 1, -1, NULL, 0, &tree_at), 0);
	pieces[0] = (lm__piece){tree_base, 38, true};
	pieces[1] = (lm__piece){(const char *)mutant_id.id, GIT_OID_RAWSZ, false};
	lm__object_id(&tree2_id, GIT_OBJECT_TREE, pieces, 2);
	assert_int_equal(lm__packw_add(w, GIT_OBJECT_TREE, &tree2_id, pieces, 2, (long)tree_at,
	                               tree_base, tree_len, &index),
	                 0);

	pieces[0] = (lm__piece){commit, strlen(commit), false};
	lm__object_id(&commit_id, GIT_OBJECT_COMMIT, pieces, 1);
	assert_int_equal(
	    lm__packw_add(w, GIT_OBJECT_COMMIT, &commit_id, pieces, 1, -1, NULL, 0, &index), 0);

	/* A copy from outside its base is refused (the id: any other). */
	pieces[0] = (lm__piece){"other", 5, false};
	lm__object_id(&other, GIT_OBJECT_BLOB, pieces, 1);
	pieces[0] = (lm__piece){base + base_len - 10, 11, true};
	assert_int_equal(lm__packw_add(w, GIT_OBJECT_BLOB, &other, pieces, 1, (long)blob_at, base,
	                               base_len, &index),
	                 LM_EINVALID);
	/* and a delta against an object not yet in the pack */
	assert_int_equal(
	    lm__packw_add(w, GIT_OBJECT_BLOB, &other, pieces, 1, 99, base, base_len, &index),
	    LM_EINVALID);

	assert_int_equal(lm__packw_count(w), 5);
	assert_true(lm__packw_size(w) > 12);
	assert_int_equal(lm__packw_find(w, &base_id), (long)blob_at);
	assert_int_equal(lm__packw_find(w, &tree_id), (long)tree_at);
	assert_int_equal(lm__packw_find(w, &other), -1);

	assert_int_equal(lm__packw_write(w), 0);
	assert_int_equal(files_in(pack_dir, ".pack"), 1);
	assert_int_equal(files_in(pack_dir, ".idx"), 1);
	assert_int_equal(lm__packw_count(w), 0);
	assert_int_equal(lm__packw_find(w, &base_id), -1);

	assert_object(&base_id, GIT_OBJECT_BLOB, base, base_len);
	assert_object(&mutant_id, GIT_OBJECT_BLOB, want, want_len);
	assert_object(&tree_id, GIT_OBJECT_TREE, tree_base, tree_len);
	memcpy(tree_base + 38, mutant_id.id, GIT_OID_RAWSZ);
	assert_object(&tree2_id, GIT_OBJECT_TREE, tree_base, tree_len);
	assert_object(&commit_id, GIT_OBJECT_COMMIT, commit, strlen(commit));
	/* git itself: every object's id, the index's sums */
	{
		char cmd[512];

		snprintf(cmd, sizeof(cmd), "git --git-dir=%s verify-pack %s/*.idx >/dev/null 2>&1",
		         root, pack_dir);
		assert_int_equal(system(cmd), 0);
	}

	lm__packw_free(w);
	free(tree_base);
	free(want);
	free(base);
}

static void packw__finds_what_it_holds_among_many(void **state)
{
	lm__packw *w = NULL;
	git_oid ids[3000];
	char text[32];
	size_t i, index;

	(void)state;
	assert_int_equal(lm__packw_new(&w, pack_dir), 0);
	for (i = 0; i < 3000; i++) {
		lm__piece piece = {text, (size_t)snprintf(text, sizeof(text), "object %zu\n", i),
		                   false};

		lm__object_id(&ids[i], GIT_OBJECT_BLOB, &piece, 1);
		assert_int_equal(lm__packw_find(w, &ids[i]), -1);
		assert_int_equal(
		    lm__packw_add(w, GIT_OBJECT_BLOB, &ids[i], &piece, 1, -1, NULL, 0, &index), 0);
		assert_int_equal(index, i);
	}
	for (i = 0; i < 3000; i++)
		assert_int_equal(lm__packw_find(w, &ids[i]), (long)i);
	assert_int_equal(lm__packw_write(w), 0);
	for (i = 0; i < 3000; i += 97) {
		snprintf(text, sizeof(text), "object %zu\n", i);
		assert_object(&ids[i], GIT_OBJECT_BLOB, text, strlen(text));
	}
	lm__packw_free(w);
}

static void packw__names_the_folder_it_cannot_write_to(void **state)
{
	lm__packw *w = NULL;
	lm__piece piece = {"x", 1, false};
	git_oid id;
	size_t index;

	(void)state;
	assert_int_equal(lm__packw_new(&w, "/nonexistent/objects/pack"), 0);
	lm__object_id(&id, GIT_OBJECT_BLOB, &piece, 1);
	assert_int_equal(lm__packw_add(w, GIT_OBJECT_BLOB, &id, &piece, 1, -1, NULL, 0, &index), 0);
	assert_int_equal(lm__packw_write(w), LM_EIO);
	assert_non_null(strstr(lm_error_last(), "/nonexistent/objects/pack"));
	assert_int_equal(lm__packw_count(w), 0);
	lm__packw_free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(packw__writes_whole_objects_and_deltas_git_reads_back),
	    cmocka_unit_test(packw__finds_what_it_holds_among_many),
	    cmocka_unit_test(packw__names_the_folder_it_cannot_write_to),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
