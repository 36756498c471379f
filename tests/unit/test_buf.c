#include <stdlib.h>
#include <string.h>

#include "helpers.h"

static void buf__put_printf_and_detach(void **state)
{
	lm_buf buf = LM_BUF_INIT;
	char *owned;

	(void)state;
	assert_int_equal(lm_buf_puts(&buf, "ab"), 0);
	assert_int_equal(lm_buf_put(&buf, "cdef", 2), 0);
	assert_int_equal(lm_buf_printf(&buf, "-%d-%s", 42, "x"), 0);
	assert_string_equal(buf.ptr, "abcd-42-x");
	assert_int_equal(buf.size, 9);
	lm_buf_clear(&buf);
	assert_string_equal(buf.ptr, "");
	assert_int_equal(lm_buf_puts(&buf, "kept"), 0);
	owned = lm_buf_detach(&buf);
	assert_string_equal(owned, "kept");
	assert_null(buf.ptr);
	free(owned);
	lm_buf_dispose(&buf);
	lm_buf_dispose(NULL);
}

static void buf__grows_past_many_doublings(void **state)
{
	lm_buf buf = LM_BUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < 10000; i++)
		assert_int_equal(lm_buf_put(&buf, "0123456789", 10), 0);
	assert_int_equal(buf.size, 100000);
	assert_int_equal(buf.ptr[buf.size], '\0');
	assert_memory_equal(buf.ptr + 99990, "0123456789", 10);
	lm_buf_dispose(&buf);
}

static void error__set_returns_code_and_keeps_message(void **state)
{
	(void)state;
	assert_int_equal(lm_error_set(LM_EINVALID, "bad %s", "thing"), LM_EINVALID);
	assert_string_equal(lm_error_last(), "bad thing");
	assert_int_equal(lm_error_code(), LM_EINVALID);
	lm_error_clear();
	assert_string_equal(lm_error_last(), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(buf__put_printf_and_detach),
	    cmocka_unit_test(buf__grows_past_many_doublings),
	    cmocka_unit_test(error__set_returns_code_and_keeps_message),
	};
	return cmocka_run_group_tests_name("buf", tests, NULL, NULL);
}
