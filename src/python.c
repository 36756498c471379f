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
	uint32_t i, n;

	if (lm_node_is(node, type) && lm_node_text_eq(src, node, text, len) && lm_is_target(node))
		return true;
	if (lm_node_is(node, "string"))
		return false;
	n = ts_node_named_child_count(node);
	for (i = 0; i < n; i++) {
		TSNode child = ts_node_named_child(node, i);

		if (lm_is_nested_scope(child)) {
			TSNode name = ts_node_child_by_field_name(child, "name", 4);

			if (!ts_node_is_null(name) && !strcmp(type, "identifier") &&
			    lm_node_text_eq(src, name, text, len))
				return true;
			continue;
		}
		if (lm_rebound(src, child, type, text, len))
			return true;
	}
	return false;
}

int lm_popen_pipes(const lm_source *src, TSNode call)
{
	TSNode args = ts_node_child_by_field_name(call, "arguments", 9);
	uint32_t i, n = ts_node_is_null(args) ? 0 : ts_node_named_child_count(args), positional = 0;

	for (i = 0; i < n; i++) {
		TSNode arg = ts_node_named_child(args, i);

		if (lm_node_is(arg, "keyword_argument")) {
			TSNode key = ts_node_child_by_field_name(arg, "name", 4);

			if (!ts_node_is_null(key) && (lm_node_text_is(src, key, "stdin") ||
			                              lm_node_text_is(src, key, "stdout") ||
			                              lm_node_text_is(src, key, "stderr")))
				return 1;
		} else if (lm_node_is(arg, "list_splat") || lm_node_is(arg, "dictionary_splat")) {
			return 2;
		} else if (!ts_node_is_extra(arg) && ++positional > 3) {
			return 1;
		}
	}
	return 0;
}

unsigned lm_with_item_count(TSNode clause)
{
	uint32_t i, n = ts_node_named_child_count(clause);
	unsigned items = 0;

	for (i = 0; i < n; i++)
		if (lm_node_is(ts_node_named_child(clause, i), "with_item"))
			items++;
	return items;
}

TSNode lm_block_first_statement(TSNode block)
{
	uint32_t i, n = ts_node_named_child_count(block);

	for (i = 0; i < n; i++) {
		TSNode child = ts_node_named_child(block, i);

		if (!ts_node_is_extra(child))
			return child;
	}
	return block;
}
