#include <string.h>

#include "helpers.h"

static void pycheck__compiles_many_in_one_run(void **state)
{
	static const char bad[] = "def f():\n    return\n    nonlocal x\n";
	lm_pycheck *pc = NULL;
	size_t a, b, c, d;

	(void)state;
	assert_int_equal(lm_pycheck_new(&pc, NULL), 0);
	assert_int_equal(lm_pycheck_add(pc, "ok.py", "x = 1\n", 6, &a), 0);
	/* Parses for tree-sitter, but CPython refuses it. */
	assert_int_equal(lm_pycheck_add(pc, "bad.py", bad, strlen(bad), &b), 0);
	assert_int_equal(lm_pycheck_add(pc, "empty.py", "", 0, &c), 0);
	assert_int_equal(lm_pycheck_run(pc), 0);
	assert_true(lm_pycheck_available(pc));
	assert_null(lm_pycheck_result(pc, a));
	assert_non_null(lm_pycheck_result(pc, b));
	assert_non_null(strstr(lm_pycheck_result(pc, b), "nonlocal"));
	assert_null(lm_pycheck_result(pc, c));
	/* A second batch continues the numbering. */
	assert_int_equal(lm_pycheck_add(pc, "again.py", "return 1\n", 9, &d), 0);
	assert_int_equal(d, 3);
	assert_int_equal(lm_pycheck_run(pc), 0);
	assert_non_null(lm_pycheck_result(pc, d));
	lm_pycheck_free(pc);
}

static void pycheck__missing_interpreter_is_reported_not_fatal(void **state)
{
	lm_pycheck *pc = NULL;
	size_t a;

	(void)state;
	assert_int_equal(lm_pycheck_new(&pc, "/nonexistent/python3"), 0);
	assert_int_equal(lm_pycheck_add(pc, "ok.py", "x = 1\n", 6, &a), 0);
	assert_int_equal(lm_pycheck_run(pc), 0);
	assert_false(lm_pycheck_available(pc));
	assert_null(lm_pycheck_result(pc, a));
	lm_pycheck_free(pc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(pycheck__compiles_many_in_one_run),
	    cmocka_unit_test(pycheck__missing_interpreter_is_reported_not_fatal),
	};
	return cmocka_run_group_tests_name("pycheck", tests, NULL, NULL);
}
