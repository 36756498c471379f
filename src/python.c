#include "leakmut/python.h"

#include <string.h>

bool lm_node_field_is(TSNode parent, const char *field, TSNode node)
{
	TSNode f = ts_node_child_by_field_name(parent, field, (uint32_t)strlen(field));

	return !ts_node_is_null(f) && ts_node_eq(f, node);
}

bool lm_node_text_eq(const lm_source *src, TSNode node, const char *text, size_t len)
{
	size_t tlen;
	const char *t = lm_node_text(src, node, &tlen);

	return tlen == len && memcmp(t, text, len) == 0;
}

bool lm_is_nested_scope(TSNode node)
{
	return lm_node_is(node, "function_definition") || lm_node_is(node, "class_definition") ||
	       lm_node_is(node, "lambda");
}

bool lm_is_target(TSNode node)
{
	TSNode child = node, up = ts_node_parent(node);

	while (lm_node_is(up, "pattern_list") || lm_node_is(up, "tuple_pattern") ||
	       lm_node_is(up, "list_pattern") || lm_node_is(up, "list_splat_pattern") ||
	       lm_node_is(up, "parenthesized_expression") || lm_node_is(up, "tuple") ||
	       lm_node_is(up, "list") || lm_node_is(up, "expression_list") ||
	       lm_node_is(up, "dotted_name")) {
		child = up;
		up = ts_node_parent(up);
	}
	if (lm_node_is(up, "as_pattern_target") || lm_node_is(up, "delete_statement") ||
	    lm_node_is(up, "import_statement") || lm_node_is(up, "import_from_statement"))
		return true;
	if (lm_node_is(up, "assignment") || lm_node_is(up, "augmented_assignment") ||
	    lm_node_is(up, "for_statement"))
		return lm_node_field_is(up, "left", child);
	if (lm_node_is(up, "named_expression") || lm_node_is(up, "function_definition") ||
	    lm_node_is(up, "class_definition"))
		return lm_node_field_is(up, "name", child);
	if (lm_node_is(up, "aliased_import"))
		return lm_node_field_is(up, "alias", child);
	return false;
}

bool lm_rebound(const lm_source *src, TSNode node, const char *type, const char *text, size_t len)
{
	bool found = false;
	lm_kids kids;
	TSNode child;

	if (lm_node_is(node, type) && lm_node_text_eq(src, node, text, len) && lm_is_target(node))
		return true;
	if (lm_node_is(node, "string"))
		return false;
	for (lm_kids_start(&kids, node, true); !found && lm_kids_next(&kids, &child);) {
		if (lm_is_nested_scope(child)) {
			TSNode name = ts_node_child_by_field_name(child, "name", 4);

			found = !ts_node_is_null(name) && !strcmp(type, "identifier") &&
			        lm_node_text_eq(src, name, text, len);
			continue;
		}
		found = lm_rebound(src, child, type, text, len);
	}
	lm_kids_end(&kids);
	return found;
}

int lm_popen_pipes(const lm_source *src, TSNode call)
{
	TSNode args = ts_node_child_by_field_name(call, "arguments", 9), arg;
	uint32_t positional = 0;
	lm_kids kids;
	int pipes = 0;

	if (ts_node_is_null(args))
		return 0;
	for (lm_kids_start(&kids, args, true); !pipes && lm_kids_next(&kids, &arg);) {
		if (lm_node_is(arg, "keyword_argument")) {
			TSNode key = ts_node_child_by_field_name(arg, "name", 4);

			if (!ts_node_is_null(key) && (lm_node_text_is(src, key, "stdin") ||
			                              lm_node_text_is(src, key, "stdout") ||
			                              lm_node_text_is(src, key, "stderr")))
				pipes = 1;
		} else if (lm_node_is(arg, "list_splat") || lm_node_is(arg, "dictionary_splat")) {
			pipes = 2;
		} else if (!ts_node_is_extra(arg) && ++positional > 3) {
			pipes = 1;
		}
	}
	lm_kids_end(&kids);
	return pipes;
}

unsigned lm_with_item_count(TSNode clause)
{
	unsigned items = 0;
	lm_kids kids;
	TSNode child;

	for (lm_kids_start(&kids, clause, true); lm_kids_next(&kids, &child);)
		items += lm_node_is(child, "with_item");
	lm_kids_end(&kids);
	return items;
}

TSNode lm_block_first_statement(TSNode block)
{
	TSNode child, first = block;
	lm_kids kids;

	for (lm_kids_start(&kids, block, true); lm_kids_next(&kids, &child);) {
		if (!ts_node_is_extra(child)) {
			first = child;
			break;
		}
	}
	lm_kids_end(&kids);
	return first;
}
