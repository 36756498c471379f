#include <string.h>

#include "helpers.h"

typedef struct fixture {
	lm_parser *parser;
	lm_source *src;
} fixture;

static fixture fx;

static int setup(void **state)
{
	static const char text[] = "open(a)\n"
	                           "io.open(b)\n"
	                           "close(c)\n"
	                           "opener(d)\n"
	                           "open(open)\n";

	(void)state;
	if (lm_parser_new(&fx.parser) < 0 ||
	    lm_source_from_bytes(&fx.src, "q.py", text, strlen(text)) < 0 ||
	    lm_source_parse(fx.src, fx.parser) < 0)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	lm_source_free(fx.src);
	lm_parser_free(fx.parser);
	return 0;
}

typedef struct collected {
	uint32_t capture;
	char names[256];
} collected;

static int collect(const lm_match *match, void *payload)
{
	collected *c = payload;
	size_t len;
	const char *text = lm_node_text(fx.src, lm_match_node(match, c->capture), &len);

	strncat(c->names, text, len);
	strcat(c->names, ";");
	return 0;
}

static void run(const char *query_text, const char *expected)
{
	lm_query *q = NULL;
	collected c = {0};

	assert_int_equal(lm_query_new(&q, "test-op", query_text), 0);
	c.capture = lm_query_capture(q, "call");
	assert_int_not_equal(c.capture, UINT32_MAX);
	assert_int_equal(lm_query_exec(q, fx.src, lm_source_root(fx.src), collect, &c), 0);
	assert_string_equal(c.names, expected);
	lm_query_free(q);
}

static void query__eq_filters_matches(void **state)
{
	(void)state;
	run("((call function: (identifier) @fn) @call (#eq? @fn \"open\"))", "open(a);open(open);");
	run("((call function: (identifier) @fn) @call (#not-eq? @fn \"open\"))",
	    "close(c);opener(d);");
}

static void query__eq_between_captures(void **state)
{
	(void)state;
	run("((call function: (identifier) @fn arguments: (argument_list (identifier) @arg)) @call"
	    " (#eq? @fn @arg))",
	    "open(open);");
}

static void query__any_of_and_match(void **state)
{
	(void)state;
	run("((call function: (identifier) @fn) @call (#any-of? @fn \"close\" \"opener\"))",
	    "close(c);opener(d);");
	run("((call function: (_) @fn) @call (#match? @fn \"^(io\\\\.)?open$\"))",
	    "open(a);io.open(b);open(open);");
	run("((call function: (_) @fn) @call (#not-match? @fn \"open\"))", "close(c);");
}

static void query__unsupported_predicate_names_owner(void **state)
{
	lm_query *q = NULL;

	(void)state;
	assert_int_equal(lm_query_new(&q, "my-op", "((identifier) @x (#set! x \"y\"))"),
	                 LM_EINVALID);
	assert_null(q);
	assert_non_null(strstr(lm_error_last(), "my-op"));
	assert_non_null(strstr(lm_error_last(), "#set!"));
	assert_int_equal(lm_query_new(&q, "my-op", "((identifier) @x (#eq? @x))"), LM_EINVALID);
	assert_int_equal(lm_query_new(&q, "my-op", "((identifier) @x (#match? @x \"(\"))"),
	                 LM_EINVALID);
	assert_non_null(strstr(lm_error_last(), "bad regex"));
}

static void query__syntax_error_has_position(void **state)
{
	lm_query *q = NULL;

	(void)state;
	assert_int_equal(lm_query_new(&q, "my-op", "(call\n  (no_such_node))"), LM_EPARSE);
	assert_string_equal(lm_error_last(), "my-op: query unknown node type at 2:4");
}

static int stop_after_two(const lm_match *match, void *payload)
{
	int *calls = payload;

	(void)match;
	return ++*calls == 2 ? 7 : 0;
}

static void query__callback_return_stops_the_walk(void **state)
{
	lm_query *q = NULL;
	int calls = 0;

	(void)state;
	assert_int_equal(lm_query_new(&q, "t", "(call) @call"), 0);
	assert_int_equal(lm_query_exec(q, fx.src, lm_source_root(fx.src), stop_after_two, &calls),
	                 7);
	assert_int_equal(calls, 2);
	lm_query_free(q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(query__eq_filters_matches),
	    cmocka_unit_test(query__eq_between_captures),
	    cmocka_unit_test(query__any_of_and_match),
	    cmocka_unit_test(query__unsupported_predicate_names_owner),
	    cmocka_unit_test(query__syntax_error_has_position),
	    cmocka_unit_test(query__callback_return_stops_the_walk),
	};
	return cmocka_run_group_tests_name("query", tests, setup, teardown);
}
