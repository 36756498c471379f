/* Shared helpers for the unit tests (cmocka). */
#ifndef LEAKMUT_TEST_HELPERS_H
#define LEAKMUT_TEST_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "leakmut/leakmut.h"

/* One parser for a test group: cmocka_run_group_tests(..., parser_setup, parser_teardown). */
static lm_parser *parser;

static inline int parser_setup(void **state)
{
	(void)state;
	return lm_parser_new(&parser) < 0 ? -1 : 0;
}

static inline int parser_teardown(void **state)
{
	(void)state;
	lm_parser_free(parser);
	parser = NULL;
	return 0;
}

/* A parsed source from a string; fails the test when it does not parse. */
static inline lm_source *parse_text(lm_parser *with, const char *text)
{
	lm_source *src = NULL;

	assert_int_equal(lm_source_from_bytes(&src, "t.py", text, strlen(text)), 0);
	assert_int_equal(lm_source_parse(src, with), 0);
	return src;
}

#endif
