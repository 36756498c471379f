#include <stdlib.h>
#include <string.h>

#include "helpers.h"

static int setup(void **state)
{
	lm_edits *edits = NULL;

	if (lm_edits_new(&edits) < 0)
		return -1;
	*state = edits;
	return 0;
}

static int teardown(void **state)
{
	lm_edits_free(*state);
	return 0;
}

static char *apply(lm_edits *edits, const char *src, int *rc)
{
	lm_buf out = LM_BUF_INIT;

	*rc = lm_edits_apply(&out, src, strlen(src), edits);
	if (*rc < 0) {
		lm_buf_dispose(&out);
		return NULL;
	}
	return lm_buf_detach(&out);
}

static void edits__apply_keeps_bytes_outside(void **state)
{
	lm_edits *edits = *state;
	const char *src = "a\r\nbcd\tefg";
	char *out;
	int rc;

	/* Appended out of order on purpose: apply sorts them. */
	assert_int_equal(lm_edits_adds(edits, 7, 8, "E"), 0);
	assert_int_equal(lm_edits_adds(edits, 3, 4, "BB"), 0);
	assert_int_equal(lm_edits_adds(edits, 0, 0, "^"), 0);
	out = apply(edits, src, &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(out, "^a\r\nBBcd\tEfg");
	free(out);
}

static void edits__insertions_at_one_offset_keep_order(void **state)
{
	lm_edits *edits = *state;
	char *out;
	int rc;

	assert_int_equal(lm_edits_adds(edits, 1, 1, "1"), 0);
	assert_int_equal(lm_edits_adds(edits, 1, 1, "2"), 0);
	assert_int_equal(lm_edits_adds(edits, 1, 2, "3"), 0);
	out = apply(edits, "abc", &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(out, "a123c");
	free(out);
}

static void edits__overlap_is_refused(void **state)
{
	lm_edits *edits = *state;
	int rc;

	assert_int_equal(lm_edits_adds(edits, 0, 3, "x"), 0);
	assert_int_equal(lm_edits_adds(edits, 2, 4, "y"), 0);
	assert_null(apply(edits, "abcdef", &rc));
	assert_int_equal(rc, LM_EINVALID);
	assert_non_null(strstr(lm_error_last(), "overlap"));
}

static void edits__out_of_bounds_is_refused(void **state)
{
	lm_edits *edits = *state;
	int rc;

	assert_int_equal(lm_edits_adds(edits, 2, 9, "x"), 0);
	assert_null(apply(edits, "abc", &rc));
	assert_int_equal(rc, LM_EINVALID);
	assert_non_null(strstr(lm_error_last(), "past the end"));
}

static void edits__backwards_range_is_refused(void **state)
{
	lm_edits *edits = *state;

	assert_int_equal(lm_edits_adds(edits, 5, 2, "x"), LM_EINVALID);
	assert_int_equal(lm_edits_count(edits), 0);
}

static void edits__list_owns_its_text(void **state)
{
	lm_edits *edits = *state;
	char text[] = "new";
	char *out;
	int rc;

	assert_int_equal(lm_edits_add(edits, 0, 1, text, 3), 0);
	text[0] = 'X'; /* the caller's copy changes; the edit must not */
	assert_string_equal(lm_edits_get(edits, 0)->text, "new");
	out = apply(edits, "abc", &rc);
	assert_string_equal(out, "newbc");
	free(out);
	lm_edits_clear(edits);
	assert_int_equal(lm_edits_count(edits), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(edits__apply_keeps_bytes_outside, setup, teardown),
	    cmocka_unit_test_setup_teardown(edits__insertions_at_one_offset_keep_order, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(edits__overlap_is_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(edits__out_of_bounds_is_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(edits__backwards_range_is_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(edits__list_owns_its_text, setup, teardown),
	};
	return cmocka_run_group_tests_name("edit", tests, NULL, NULL);
}
