#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

/* The first `block` under the root's first statement. */
static TSNode first_block(const lm_source *src)
{
	TSNode stmt = ts_node_named_child(lm_source_root(src), 0);

	return ts_node_child_by_field_name(stmt, "consequence", 11);
}

static char *reindent(const char *text, const char *from, const char *to)
{
	lm_source *src = parse_text(parser, text);
	lm_edits *edits = NULL;
	lm_buf out = LM_BUF_INIT;

	assert_int_equal(lm_edits_new(&edits), 0);
	assert_int_equal(
	    lm_reindent(edits, src, first_block(src), from, strlen(from), to, strlen(to)), 0);
	assert_int_equal(lm_edits_apply(&out, lm_source_text(src), lm_source_len(src), edits), 0);
	lm_edits_free(edits);
	lm_source_free(src);
	return lm_buf_detach(&out);
}

static void reindent__dedents_each_code_line(void **state)
{
	char *out = reindent("if x:\n    a = 1\n\n    if y:\n        b = 2\nc = 3\n", "    ", "");

	(void)state;
	assert_string_equal(out, "if x:\na = 1\n\nif y:\n    b = 2\nc = 3\n");
	free(out);
}

static void reindent__keeps_multiline_strings(void **state)
{
	char *out = reindent("if x:\n    s = '''\n    kept\n    '''\n    t = 1\n", "    ", "");

	(void)state;
	assert_string_equal(out, "if x:\ns = '''\n    kept\n    '''\nt = 1\n");
	free(out);
}

static void reindent__tabs_and_crlf(void **state)
{
	char *out = reindent("if x:\r\n\tif y:\r\n\t\tz()\r\n", "\t", "  ");

	(void)state;
	assert_string_equal(out, "if x:\r\n  if y:\r\n  \tz()\r\n");
	free(out);
}

static void reindent__leaves_lines_without_the_prefix(void **state)
{
	/* A bracket continuation at column 0 and a blank line with spaces. */
	char *out = reindent("if x:\n    a = [\n1]\n  \n    b = 2\n", "    ", "");

	(void)state;
	assert_string_equal(out, "if x:\na = [\n1]\n  \nb = 2\n");
	free(out);
}

static void reindent__counts_after_form_feeds(void **state)
{
	/* A form feed sets the column back to 0: the indentation is what follows. */
	char *out = reindent("if x:\n    a = 1\n\f\f    b = 2\n\f  \f    c = 3\n", "    ", "");
	char *from = reindent("if x:\n\f    a = 1\n    b = 2\n", "\f    ", "\f  ");

	(void)state;
	assert_string_equal(out, "if x:\na = 1\n\f\fb = 2\n\f  \fc = 3\n");
	assert_string_equal(from, "if x:\n\f  a = 1\n  b = 2\n");
	free(out);
	free(from);
}

static bool misses(const char *text, const char *from, const char *to)
{
	lm_source *src = parse_text(parser, text);
	bool missed = lm_reindent_misses(src, first_block(src), from, strlen(from), to, strlen(to));

	lm_source_free(src);
	return missed;
}

static void reindent__misses_lines_written_another_way(void **state)
{
	(void)state;
	/* Column 8 both ways, but not "        " as written: a dedent misses it. */
	assert_true(misses("if x:\n        a = 1\n       \tb = 2\n", "        ", ""));
	assert_true(misses("if x:\n        a = 1\n\f       \tb = 2\n", "        ", ""));
	/* Written alike (after form feeds), shallower, blank, comments, strings: none. */
	assert_false(misses("if x:\n        a = 1\n\f        b = 2\n", "        ", ""));
	assert_false(misses("if x:\n\ta = 1\n\tif y:\n\t\tb = 2\n", "\t", ""));
	assert_false(misses("if x:\n    a = [\n1]\n  \n    # c\n  # d\n", "    ", ""));
	assert_false(misses("if x:\n    s = '''\n\t\tkept\n'''\n", "    ", ""));
}

static void reindent__misses_tabs_the_new_prefix_moves(void **state)
{
	(void)state;
	/* Seven spaces and a tab is column 8 both ways, as deep as the line
	 * above; without the first four spaces it is column 8 and column 4
	 * (found by tests/fuzz: fifteen spaces and a tab, dedented by four). */
	assert_true(misses("if x:\n    if y:\n        a = 1\n       \tb = 2\n", "    ", ""));
	assert_true(misses("if x:\n    if y:\n        a = 1\n       \tb = 2\n", "    ", "  "));
	/* A shift by a multiple of 8, or tabs in both: every stop moves alike. */
	assert_false(misses("if x:\n        if y:\n        \ta = 1\n", "        ", ""));
	assert_false(misses("if x:\n    if y:\n       \ta = 1\n", "    ", "    "));
	assert_false(misses("if x:\n\tif y:\n\t\ta = 1\n", "\t", ""));
}

static void lines__start_end_and_indent(void **state)
{
	lm_source *src = parse_text(parser, "if a:\n    b = (2,\n)\n");

	(void)state;
	assert_int_equal(lm_line_start(src, 10), 6);
	assert_int_equal(lm_line_end(src, 10), 17);
	assert_int_equal(lm_indent_len(src, 6), 4);
	lm_source_free(src);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(reindent__dedents_each_code_line),
	    cmocka_unit_test(reindent__counts_after_form_feeds),
	    cmocka_unit_test(reindent__keeps_multiline_strings),
	    cmocka_unit_test(reindent__tabs_and_crlf),
	    cmocka_unit_test(reindent__leaves_lines_without_the_prefix),
	    cmocka_unit_test(reindent__misses_lines_written_another_way),
	    cmocka_unit_test(reindent__misses_tabs_the_new_prefix_moves),
	    cmocka_unit_test(lines__start_end_and_indent),
	};
	return cmocka_run_group_tests_name("indent", tests, parser_setup, parser_teardown);
}
