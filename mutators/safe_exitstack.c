/*
 * safe-exitstack: `with R as f:` BODY becomes `with contextlib.ExitStack()
 * as stack:`, `f = stack.enter_context(R)` and BODY, so the stack releases
 * f on every path.  The safe twin of drop-with and inline-open.
 */
#include <stdlib.h>
#include <string.h>

#include "leakmut/leakmut.h"

/* Whether `id` names a variable (not the attribute of `x.id`). */
static bool is_variable(TSNode id)
{
	TSNode up = ts_node_parent(id);

	return !(lm_node_is(up, "attribute") && lm_node_field_is(up, "attribute", id));
}

/* Whether the identifier `id` is bound where it stands, other than by an import. */
static bool is_binding(TSNode id)
{
	TSNode child = id, up = ts_node_parent(id);

	if (lm_node_is(up, "parameters") || lm_node_is(up, "lambda_parameters") ||
	    ((lm_node_is(up, "list_splat_pattern") || lm_node_is(up, "dictionary_splat_pattern")) &&
	     (lm_node_is(ts_node_parent(up), "parameters") ||
	      lm_node_is(ts_node_parent(up), "lambda_parameters"))) ||
	    (lm_node_is(up, "typed_parameter") && ts_node_eq(ts_node_named_child(up, 0), id)) ||
	    ((lm_node_is(up, "default_parameter") || lm_node_is(up, "typed_default_parameter")) &&
	     lm_node_field_is(up, "name", id)))
		return true;
	while (lm_node_is(up, "pattern_list") || lm_node_is(up, "tuple_pattern") ||
	       lm_node_is(up, "list_pattern") || lm_node_is(up, "list_splat_pattern") ||
	       lm_node_is(up, "parenthesized_expression") || lm_node_is(up, "tuple") ||
	       lm_node_is(up, "list") || lm_node_is(up, "expression_list")) {
		child = up;
		up = ts_node_parent(up);
	}
	if (lm_node_is(up, "as_pattern_target") || lm_node_is(up, "delete_statement") ||
	    lm_node_is(up, "global_statement") || lm_node_is(up, "nonlocal_statement"))
		return true;
	if (lm_node_is(up, "assignment") || lm_node_is(up, "augmented_assignment") ||
	    lm_node_is(up, "for_statement") || lm_node_is(up, "for_in_clause"))
		return lm_node_field_is(up, "left", child);
	if (lm_node_is(up, "named_expression") || lm_node_is(up, "function_definition") ||
	    lm_node_is(up, "class_definition"))
		return lm_node_field_is(up, "name", child);
	return false;
}

/*
 * Whether an identifier `name` appears under `node`: as a variable at all
 * (`binding_only` false), or bound other than by an import (true).
 */
static bool name_found(const lm_source *src, TSNode node, const char *name, size_t len,
                       bool binding_only)
{
	lm_kids kids;
	TSNode child;
	bool found = false;

	if (lm_node_is(node, "identifier"))
		return lm_node_text_eq(src, node, name, len) && is_variable(node) &&
		       (!binding_only || is_binding(node));
	if (lm_node_is(node, "string"))
		return false;
	for (lm_kids_start(&kids, node, true); lm_kids_next(&kids, &child);) {
		if (name_found(src, child, name, len, binding_only)) {
			found = true;
			break;
		}
	}
	lm_kids_end(&kids);
	return found;
}

/*
 * Whether the file binds `name` other than by an import: the same for
 * every site of the file, so worked out once a name and kept with the
 * source (a list).  Sets *error on failure.
 */
typedef struct rebound {
	char *name;
	bool found;
	struct rebound *next;
} rebound;

static const char rebound_key; /* its address names the memo, a rebound *list */

static void rebound_free(void *value)
{
	rebound **list = value, *r = *list;

	while (r) {
		rebound *next = r->next;

		free(r->name);
		free(r);
		r = next;
	}
	free(list);
}

static bool rebound_in_file(const lm_source *src, const char *name, size_t len, int *error)
{
	rebound **list = lm_source_memo(src, &rebound_key), *r;

	if (!list) {
		if (!(list = calloc(1, sizeof(*list)))) {
			*error = lm_error_set(LM_ENOMEM, "out of memory");
			return false;
		}
		if ((*error = lm_source_keep(src, &rebound_key, list, rebound_free)) < 0)
			return false;
	}
	for (r = *list; r; r = r->next)
		if (strlen(r->name) == len && !memcmp(r->name, name, len))
			return r->found;
	if (!(r = calloc(1, sizeof(*r))) || !(r->name = strndup(name, len))) {
		free(r);
		*error = lm_error_set(LM_ENOMEM, "out of memory");
		return false;
	}
	r->found = name_found(src, lm_source_root(src), name, len, true);
	r->next = *list;
	*list = r;
	return r->found;
}

static bool is_docstring(TSNode stmt)
{
	TSNode expr = ts_node_named_child(stmt, 0);

	return lm_node_is(stmt, "expression_statement") && ts_node_named_child_count(stmt) == 1 &&
	       (lm_node_is(expr, "string") || lm_node_is(expr, "concatenated_string"));
}

/* How the module names ExitStack, and where `import contextlib` would go. */
struct naming {
	const char *local; /* a name bound to contextlib or contextlib.ExitStack */
	size_t local_len;
	bool is_module; /* `local` is contextlib itself: call local.ExitStack() */
	bool insert;    /* no usable import: insert `import contextlib` at `at` */
	size_t at;
};

/*
 * `import contextlib` (or `import contextlib as cl`) or `from contextlib
 * import ExitStack [as ES]`: a top-level statement before the with, its
 * local name still bound to it at the end of the module's imports.
 */
static void read_import(const lm_source *src, TSNode stmt, struct naming *out,
                        const char **from_name, size_t *from_len)
{
	lm_kids kids;
	bool from = lm_node_is(stmt, "import_from_statement");
	TSNode module = ts_node_child_by_field_name(stmt, "module_name", 11), it;

	if (from && !lm_node_text_is(src, module, "contextlib"))
		return;
	for (lm_kids_start(&kids, stmt, true); lm_kids_next(&kids, &it);) {
		TSNode name = it, local = it;
		const char *want = from ? "ExitStack" : "contextlib";
		const char *text, *dotted;
		size_t len;

		if (from && ts_node_eq(it, module))
			continue;
		if (lm_node_is(it, "aliased_import")) {
			name = ts_node_child_by_field_name(it, "name", 4);
			local = ts_node_child_by_field_name(it, "alias", 5);
		} else if (!lm_node_is(it, "dotted_name")) {
			continue;
		}
		if (!lm_node_text_is(src, name, want))
			continue;
		text = lm_node_text(src, local, &len);
		dotted = lm_source_resolve(src, text, len);
		if (!dotted || strcmp(dotted, from ? "contextlib.ExitStack" : "contextlib") != 0)
			continue;
		if (!from) {
			out->local = text;
			out->local_len = len;
			out->is_module = true;
		} else if (!*from_name) {
			*from_name = text;
			*from_len = len;
		}
	}
	lm_kids_end(&kids);
}

/*
 * Where a line inserted after the line holding `byte` starts: past its line
 * ending, or at the end of the text (then *needs_eol says that the line
 * ending must come first).
 */
static size_t next_line(const lm_source *src, size_t byte, bool *needs_eol)
{
	const char *text = lm_source_text(src);
	size_t len = lm_source_len(src), end = lm_line_end(src, byte);

	*needs_eol = end >= len;
	if (end < len && text[end] == '\r' && end + 1 < len && text[end + 1] == '\n')
		end++;
	return end < len ? end + 1 : end;
}

/*
 * Read the module's top-level statements before the with: its imports of
 * contextlib, and the last import (or the docstring) after which `import
 * contextlib` goes when there is none; with neither, it goes before the
 * first statement, after any leading comments (a shebang, a coding line).
 */
static void find_naming(const lm_source *src, TSNode with, struct naming *out, bool *needs_eol)
{
	TSNode root = lm_source_root(src), after = {{0}, NULL, NULL}, first = {{0}, NULL, NULL};
	TSNode stmt;
	lm_kids kids;
	const char *from_name = NULL;
	size_t from_len = 0;

	memset(out, 0, sizeof(*out));
	*needs_eol = false;
	for (lm_kids_start(&kids, root, true); lm_kids_next(&kids, &stmt);) {
		bool is_first;

		if (ts_node_is_extra(stmt))
			continue;
		is_first = ts_node_is_null(first);
		if (is_first)
			first = stmt;
		if (ts_node_start_byte(stmt) >= ts_node_start_byte(with))
			break;
		if (lm_node_is(stmt, "import_statement") ||
		    lm_node_is(stmt, "import_from_statement"))
			read_import(src, stmt, out, &from_name, &from_len);
		if (lm_node_is(stmt, "import_statement") ||
		    lm_node_is(stmt, "import_from_statement") ||
		    lm_node_is(stmt, "future_import_statement") || (is_first && is_docstring(stmt)))
			after = stmt;
	}
	lm_kids_end(&kids);
	if (out->local)
		return;
	if (from_name) {
		out->local = from_name;
		out->local_len = from_len;
		return;
	}
	out->local = "contextlib";
	out->local_len = strlen(out->local);
	out->is_module = true;
	out->insert = true;
	if (!ts_node_is_null(after))
		out->at = next_line(src, ts_node_end_byte(after) - 1, needs_eol);
	else
		out->at = lm_line_start(src, ts_node_start_byte(first));
}

/*
 * The name of the stack: `stack`, or `stack_2`, `stack_3`... when that is
 * taken in the enclosing scope.
 */
static int stack_name(lm_buf *out, const lm_source *src, TSNode scope)
{
	unsigned k;
	int error;

	for (k = 1;; k++) {
		lm_buf_clear(out);
		if ((error = k == 1 ? lm_buf_puts(out, "stack")
		                    : lm_buf_printf(out, "stack_%u", k)) < 0)
			return error;
		if (!name_found(src, scope, out->ptr, out->size, false))
			return 0;
	}
}

static int rewrite(lm_rewrite *rw, const lm_match *m)
{
	const lm_source *src = lm_rewrite_source(rw);
	const char *text = lm_source_text(src), *eol = lm_source_eol(src);
	TSNode with = lm_rewrite_node(rw, m, "with"), item = lm_rewrite_node(rw, m, "item");
	TSNode acquire = lm_rewrite_node(rw, m, "acquire"), name = lm_rewrite_node(rw, m, "name");
	TSNode body = lm_rewrite_node(rw, m, "body"), colon = lm_node_token(with, ":");
	lm_edits *edits = lm_rewrite_edits(rw);
	const lm_kind *kind = lm_kind_of_call(src, acquire);
	size_t ws = lm_line_start(src, ts_node_start_byte(with)), wlen, nlen, alen, inner_len;
	const char *ntext, *atext, *inner, *why = NULL;
	struct naming naming;
	bool same_line, needs_eol;
	lm_buf stack = LM_BUF_INIT, head = LM_BUF_INIT, deeper = LM_BUF_INIT, imp = LM_BUF_INIT;
	int error = 0;

	if (!kind)
		return 0; /* not a resource this tool knows */
	ntext = lm_node_text(src, name, &nlen);
	atext = lm_node_text(src, acquire, &alen);
	if (!ts_node_is_null(lm_node_token(with, "async")))
		return lm_rewrite_skip(rw, acquire, kind, "async with");
	if (!kind->with_releases)
		return lm_rewrite_skip(rw, acquire, kind, "its with does not release it");
	if (!strcmp(kind->id, "lock"))
		return lm_rewrite_skip(rw, acquire, kind, "a lock");
	if (lm_with_item_count(ts_node_parent(item)) > 1)
		return lm_rewrite_skip(rw, acquire, kind, "several items");
	if (lm_name_escapes(src, lm_scope_of(with), name, ntext, nlen, kind, &why))
		return lm_rewrite_skip(rw, acquire, kind, why);

	/* Layout: the with starts its line, the body is indented deeper. */
	if (ts_node_is_null(colon))
		return lm_rewrite_skip(rw, acquire, kind, "unexpected statement shape");
	wlen = ts_node_start_byte(with) - ws;
	if (lm_indent_len(src, ws) != wlen)
		return lm_rewrite_skip(rw, acquire, kind, "statement shares its line");
	same_line = ts_node_start_point(body).row == ts_node_start_point(colon).row;
	if (same_line) {
		if ((error = lm_buf_put(&deeper, text + ws, wlen)) < 0 ||
		    (error = lm_buf_puts(&deeper, lm_source_indent(src))) < 0)
			goto cleanup;
		inner = deeper.ptr;
		inner_len = deeper.size;
	} else {
		size_t bws = lm_line_start(src, ts_node_start_byte(lm_block_first_statement(body)));

		inner = text + bws;
		inner_len = lm_indent_len(src, bws);
		if (inner_len <= wlen || memcmp(inner, text + ws, wlen) != 0)
			return lm_rewrite_skip(rw, acquire, kind,
			                       "body indentation does not extend the with's");
	}

	/* Naming: ExitStack through an import, or a new `import contextlib`. */
	find_naming(src, with, &naming, &needs_eol);
	if (rebound_in_file(src, naming.local, naming.local_len, &error) || error < 0) {
		if (error == 0)
			error = lm_rewrite_skip(rw, acquire, kind, "contextlib's name is rebound");
		goto cleanup;
	}
	if ((error = stack_name(&stack, src, lm_scope_of(with))) < 0)
		goto cleanup;

	if (naming.insert) {
		if ((needs_eol && (error = lm_buf_puts(&imp, eol)) < 0) ||
		    (error = lm_buf_puts(&imp, "import contextlib")) < 0 ||
		    (!needs_eol && (error = lm_buf_puts(&imp, eol)) < 0) ||
		    (error = lm_edits_add(edits, naming.at, naming.at, imp.ptr, imp.size)) < 0)
			goto cleanup;
	}
	if ((error =
	         lm_buf_printf(&head, "with %.*s%s() as %s:%s", (int)naming.local_len, naming.local,
	                       naming.is_module ? ".ExitStack" : "", stack.ptr, eol)) < 0 ||
	    (error = lm_buf_put(&head, inner, inner_len)) < 0 ||
	    (error = lm_buf_printf(&head, "%.*s = %s.enter_context(%.*s)", (int)nlen, ntext,
	                           stack.ptr, (int)alen, atext)) < 0)
		goto cleanup;
	if (same_line && ((error = lm_buf_puts(&head, eol)) < 0 ||
	                  (error = lm_buf_put(&head, inner, inner_len)) < 0))
		goto cleanup;
	if ((error = lm_edits_add(edits, ts_node_start_byte(with),
	                          same_line ? ts_node_start_byte(body) : ts_node_end_byte(colon),
	                          head.ptr, head.size)) < 0)
		goto cleanup;
	error = lm_rewrite_emit(rw, acquire, item, kind);

cleanup:
	lm_buf_dispose(&stack);
	lm_buf_dispose(&head);
	lm_buf_dispose(&deeper);
	lm_buf_dispose(&imp);
	return error;
}

const lm_operator lm_op_safe_exitstack = {
    .id = "safe-exitstack",
    .version = 1,
    .family = LM_FAMILY_CONTROL,
    .scope = LM_SCOPE_INTRAPROCEDURAL,
    .cwe = 775,
    .summary = "acquire through ExitStack.enter_context instead of a plain with: safe on every "
               "path",
    .description =
        "The safe twin of drop-with and inline-open (same sites, same anchors). A `with` "
        "statement that acquires a resource into a name becomes `with contextlib.ExitStack() as "
        "stack:` whose first statement is `f = stack.enter_context(R)`, the body kept as it "
        "was, so the stack releases the resource on every path. The stack is named `stack`, or "
        "`stack_2`, `stack_3`... when the enclosing scope already uses that name. ExitStack is "
        "named through the module's top-level imports (`import contextlib`, `from contextlib "
        "import ExitStack [as ES]`); when there is none, `import contextlib` is inserted after "
        "the last top-level import before the with (or after the module docstring, or before "
        "the first statement). A body on the header's line moves to a line of its own. Not a "
        "site when the kind's `with` does not release it (sqlite3.connect), for locks, in an "
        "`async with`, when the with has several items, when the handle is released, handed "
        "on, stored, returned or captured anyway, or when the name it would use for contextlib "
        "or ExitStack is rebound in the module.",
    .kinds = "file,path_open,gzip_open,bz2_open,lzma_open,tarfile,zipfile,tempfile,"
             "tempfile_spooled,socket,subprocess,urlopen,process_pool",
    .before = "import json\n"
              "\n"
              "\n"
              "def load(path):\n"
              "    with open(path) as f:\n"
              "        return json.load(f)\n",
    .after = "import json\n"
             "import contextlib\n"
             "\n"
             "\n"
             "def load(path):\n"
             "    with contextlib.ExitStack() as stack:\n"
             "        f = stack.enter_context(open(path))\n"
             "        return json.load(f)\n",
    .query = LM_QUERY_WITH_AS_CALL,
    .rewrite = rewrite,
};
