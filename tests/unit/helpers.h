/* Shared helpers for the unit tests (cmocka). */
#ifndef LEAKMUT_TEST_HELPERS_H
#define LEAKMUT_TEST_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "leakmut/leakmut.h"

/* A parsed source from a string; fails the test when it does not parse. */
static inline lm_source *parse_text(lm_parser *parser, const char *text)
{
	lm_source *src = NULL;

	assert_int_equal(lm_source_from_bytes(&src, "t.py", text, strlen(text)), 0);
	assert_int_equal(lm_source_parse(src, parser), 0);
	return src;
}

#endif
