#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "helpers.h"

#ifndef GOLDEN_DIR
#define GOLDEN_DIR "golden"
#endif

static void registry__ids_unique_sorted_kebab(void **state)
{
	size_t n, i;
	const lm_operator *const *ops = lm_operators(&n);

	(void)state;
	assert_true(n >= 1);
	for (i = 0; i < n; i++) {
		const char *p;

		for (p = ops[i]->id; *p; p++)
			assert_true((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
			            *p == '-');
		assert_true(ops[i]->version >= 1);
		if (i > 0)
			assert_true(strcmp(ops[i - 1]->id, ops[i]->id) < 0);
		assert_ptr_equal(lm_operator_find(ops[i]->id), ops[i]);
	}
	assert_null(lm_operator_find("no-such-op"));
}

static void registry__every_query_compiles(void **state)
{
	size_t n;
	const lm_operator *const *ops = lm_operators(&n);
	lm_engine *engine = NULL;

	(void)state;
	assert_int_equal(lm_engine_new(&engine, ops, n), 0);
	lm_engine_free(engine);
}

static void registry__every_operator_documented(void **state)
{
	size_t n, i;
	const lm_operator *const *ops = lm_operators(&n);

	(void)state;
	for (i = 0; i < n; i++) {
		const lm_operator *op = ops[i];

		assert_non_null(op->summary);
		assert_true(strlen(op->description) > 40);
		assert_true(strlen(op->before) > 0 && strlen(op->after) > 0);
		assert_string_not_equal(op->before, op->after);
		assert_true(op->cwe == 772 || op->cwe == 775);
		/* One of the two kinds: per-file (query and rewrite) or interprocedural. */
		assert_true((op->query && op->rewrite && !op->candidates && !op->rewrite_tree) ||
		            (!op->query && !op->rewrite && op->candidates && op->rewrite_tree));
	}
}

static void registry__golden_folders_match_operators(void **state)
{
	size_t n, i;
	const lm_operator *const *ops = lm_operators(&n);
	char path[512];
	struct stat st;

	(void)state;
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", GOLDEN_DIR, ops[i]->id);
		assert_int_equal(stat(path, &st), 0);
		assert_true(S_ISDIR(st.st_mode));
	}
}

static void registry__golden_folders_have_an_operator(void **state)
{
	DIR *dir = opendir(GOLDEN_DIR);
	struct dirent *de;

	(void)state;
	assert_non_null(dir);
	while ((de = readdir(dir)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (!lm_operator_find(de->d_name))
			fail_msg("golden/%s has no operator", de->d_name);
	}
	closedir(dir);
}

static void registry__select_by_id_and_group(void **state)
{
	const lm_operator **ops = NULL;
	size_t n = 0, all;

	(void)state;
	lm_operators(&all);
	assert_int_equal(lm_operators_select(&ops, &n, "drop-with"), 0);
	assert_int_equal(n, 1);
	assert_string_equal(ops[0]->id, "drop-with");
	free(ops);
	assert_int_equal(lm_operators_select(&ops, &n, "all,drop-with"), 0);
	assert_int_equal(n, all);
	free(ops);
	assert_int_equal(lm_operators_select(&ops, &n, "intraprocedural"), 0);
	assert_true(n >= 1);
	free(ops);
	assert_int_equal(lm_operators_select(&ops, &n, "drop-with,nope"), LM_ENOTFOUND);
	assert_null(ops);
	assert_non_null(strstr(lm_error_last(), "'nope'"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(registry__ids_unique_sorted_kebab),
	    cmocka_unit_test(registry__every_query_compiles),
	    cmocka_unit_test(registry__every_operator_documented),
	    cmocka_unit_test(registry__golden_folders_match_operators),
	    cmocka_unit_test(registry__golden_folders_have_an_operator),
	    cmocka_unit_test(registry__select_by_id_and_group),
	};
	return cmocka_run_group_tests_name("registry", tests, NULL, NULL);
}
