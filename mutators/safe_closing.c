/*
 * safe-closing: `with R as f:` becomes `with contextlib.closing(R) as f:`.
 * The with still releases the resource on every path (closing() calls
 * close() on exit), but the acquisition is no longer the with's own item:
 * a near miss for a detector that only trusts `with open(...)`.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "leakmut/leakmut.h"

#define MODULE  "contextlib"
#define CLOSING "contextlib.closing"

static const TSNode null_node = {{0}, NULL, NULL};

static TSNode field(TSNode node, const char *name)
{
	if (ts_node_is_null(node))
		return null_node;
	return ts_node_child_by_field_name(node, name, (uint32_t)strlen(name));
}

static bool text_is(const lm_source *src, TSNode node, const char *str, size_t len)
{
	size_t n;
	const char *text;

	if (ts_node_is_null(node))
		return false;
	text = lm_node_text(src, node, &n);
	return n == len && memcmp(text, str, len) == 0;
}

static bool is_import(TSNode node)
{
	return lm_node_is(node, "import_statement") || lm_node_is(node, "import_from_statement") ||
	       lm_node_is(node, "future_import_statement");
}

/* The statement of the module that holds `node` (a direct child of the root). */
static TSNode top_statement(TSNode node)
{
	TSNode up;

	for (up = ts_node_parent(node); !ts_node_is_null(up); up = ts_node_parent(up)) {
		if (lm_node_is(up, "module"))
			return node;
		node = up;
	}
	return null_node;
}

/* ---- which names a file binds -------------------------------------------- */

/*
 * The dotted name an import binds to `name` (for `from m import x as y`:
 * "m.x"), appended to `out`, or nothing when this import does not bind it.
 */
static int import_target(lm_buf *out, const lm_source *src, TSNode stmt, const char *name,
                         size_t len)
{
	TSNode module = field(stmt, "module_name"), item;
	lm_kids kids;
	const char *text, *mtext = "__future__";
	size_t tlen, mlen = strlen(mtext);
	int error = 0;

	for (lm_kids_start(&kids, stmt, true); lm_kids_next(&kids, &item);) {
		TSNode bound = item, what = item;

		if (ts_node_eq(item, module))
			continue;
		if (lm_node_is(item, "aliased_import")) {
			bound = field(item, "alias");
			what = field(item, "name");
		} else if (!lm_node_is(item, "dotted_name")) {
			continue;
		} else if (lm_node_is(stmt, "import_statement")) {
			/* `import a.b` binds a, to the module a */
			bound = what = ts_node_named_child(item, 0);
		}
		if (!text_is(src, bound, name, len))
			continue;
		text = lm_node_text(src, what, &tlen);
		if (lm_node_is(stmt, "import_statement")) {
			error = lm_buf_put(out, text, tlen);
			break;
		}
		if (!ts_node_is_null(module))
			mtext = lm_node_text(src, module, &mlen);
		error = lm_buf_printf(out, "%.*s.%.*s", (int)mlen, mtext, (int)tlen, text);
		break;
	}
	lm_kids_end(&kids);
	return error;
}

static bool is_pattern(TSNode node)
{
	static const char *const types[] = {"pattern_list",
	                                    "tuple_pattern",
	                                    "list_pattern",
	                                    "list_splat_pattern",
	                                    "dictionary_splat_pattern",
	                                    "parenthesized_expression",
	                                    "tuple",
	                                    "list",
	                                    "expression_list"};
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (lm_node_is(node, types[i]))
			return true;
	return false;
}

/*
 * Whether identifier `id` binds its name where it stands: an assignment,
 * loop, with, except or walrus target, a deletion, a parameter (default
 * values included: erring on the side of "bound"), a def or class name,
 * or a capture in a match pattern.
 */
static bool binds(TSNode id)
{
	TSNode child = id, up = ts_node_parent(id), cur;
	TSNode target;

	if (lm_node_is(up, "function_definition") || lm_node_is(up, "class_definition"))
		return ts_node_eq(field(up, "name"), id);
	for (cur = up; !ts_node_is_null(cur); cur = ts_node_parent(cur))
		if (lm_node_is(cur, "case_pattern"))
			return true;
	while (is_pattern(up)) {
		child = up;
		up = ts_node_parent(up);
	}
	if (lm_node_is(up, "as_pattern_target") || lm_node_is(up, "delete_statement") ||
	    lm_node_is(up, "parameters") || lm_node_is(up, "lambda_parameters") ||
	    lm_node_is(up, "default_parameter") || lm_node_is(up, "typed_parameter") ||
	    lm_node_is(up, "typed_default_parameter"))
		return true;
	if (lm_node_is(up, "assignment") || lm_node_is(up, "augmented_assignment") ||
	    lm_node_is(up, "for_statement") || lm_node_is(up, "for_in_clause"))
		target = field(up, "left");
	else if (lm_node_is(up, "named_expression"))
		target = field(up, "name");
	else
		return false;
	return ts_node_eq(target, child);
}

/*
 * What the file binds to one name, in one walk of it: whether anything
 * binds it to something other than `dotted` (an import of another thing,
 * an assignment, a parameter...), and the functions (byte spans) holding
 * an import of `dotted` under that name.  Kept with the source (sites of
 * one file ask about the same few names), a list for every name asked.
 */
typedef struct binding {
	char *name, *dotted;
	bool other;
	uint32_t (*fns)[2];
	size_t nfns;
	struct binding *next;
} binding;

static const char bindings_key; /* its address names the memo, a binding *list */

static void bindings_free(void *value)
{
	binding **list = value, *b = *list;

	while (b) {
		binding *next = b->next;

		free(b->name);
		free(b->dotted);
		free(b->fns);
		free(b);
		b = next;
	}
	free(list);
}

static int add_fn(binding *b, TSNode fn)
{
	uint32_t(*fns)[2] = realloc(b->fns, (b->nfns + 1) * sizeof(*fns));

	if (!fns)
		return lm_error_set(LM_ENOMEM, "out of memory");
	fns[b->nfns][0] = ts_node_start_byte(fn);
	fns[b->nfns][1] = ts_node_end_byte(fn);
	b->fns = fns;
	b->nfns++;
	return 0;
}

/* The walk; it stops at the first binding to something else. */
static int find_bindings(binding *b, const lm_source *src, size_t len)
{
	TSTreeCursor cursor = ts_tree_cursor_new(lm_source_root(src));
	lm_buf target = LM_BUF_INIT;
	bool descend;
	int error = 0;

	for (;;) {
		TSNode node = ts_tree_cursor_current_node(&cursor);

		descend = true;
		if (is_import(node)) {
			TSNode fn = lm_scope_of(node);

			descend = false;
			lm_buf_clear(&target);
			if ((error = import_target(&target, src, node, b->name, len)) < 0)
				break;
			if (target.size > 0 && strcmp(target.ptr, b->dotted) != 0)
				b->other = true;
			else if (target.size > 0 && lm_node_is(fn, "function_definition") &&
			         (error = add_fn(b, fn)) < 0)
				break;
		} else if (lm_node_is(node, "identifier") && text_is(src, node, b->name, len) &&
		           binds(node)) {
			b->other = true;
		}
		if (b->other)
			break;
		if (descend && ts_tree_cursor_goto_first_child(&cursor))
			continue;
		while (!ts_tree_cursor_goto_next_sibling(&cursor))
			if (!ts_tree_cursor_goto_parent(&cursor))
				goto done;
	}
done:
	ts_tree_cursor_delete(&cursor);
	lm_buf_dispose(&target);
	return error;
}

/*
 * Whether `name` is bound anywhere in the file to something other than
 * `dotted`, or imported inside a function that holds `site` (the name is
 * then local there, and may be unbound at the site).  The whole file is
 * searched, whatever the scopes: a false "yes" only costs a spelling or a
 * site.  Sets *error on failure.
 */
static bool bound_elsewhere(const lm_source *src, const char *name, size_t len, const char *dotted,
                            TSNode site, int *error)
{
	binding **list = lm_source_memo(src, &bindings_key), *b = NULL;
	size_t i;

	if (!list) {
		if (!(list = calloc(1, sizeof(*list)))) {
			*error = lm_error_set(LM_ENOMEM, "out of memory");
			return false;
		}
		if ((*error = lm_source_keep(src, &bindings_key, list, bindings_free)) < 0)
			return false;
	}
	for (b = *list; b; b = b->next)
		if (strlen(b->name) == len && !memcmp(b->name, name, len) &&
		    !strcmp(b->dotted, dotted))
			break;
	if (!b) {
		if (!(b = calloc(1, sizeof(*b)))) {
			*error = lm_error_set(LM_ENOMEM, "out of memory");
			return false;
		}
		/* In the list at once, so that it is freed with it whatever happens. */
		b->next = *list;
		*list = b;
		if (!(b->name = strndup(name, len)) || !(b->dotted = strdup(dotted))) {
			*error = lm_error_set(LM_ENOMEM, "out of memory");
			return false;
		}
		if ((*error = find_bindings(b, src, len)) < 0)
			return false;
	}
	if (b->other)
		return true;
	for (i = 0; i < b->nfns; i++)
		if (b->fns[i][0] <= ts_node_start_byte(site) &&
		    ts_node_end_byte(site) <= b->fns[i][1])
			return true;
	return false;
}

/* ---- naming contextlib.closing --------------------------------------------- */

/*
 * The local name an import statement of the module binds to `dotted`
 * ("contextlib" or "contextlib.closing"), or NULL.
 */
static const char *local_name(const lm_source *src, TSNode stmt, const char *dotted, size_t *len)
{
	TSNode module = field(stmt, "module_name"), item;
	lm_kids kids;
	const char *dot = strrchr(dotted, '.'), *found = NULL;

	if (lm_node_is(stmt, "import_from_statement")) {
		/* `from contextlib import closing [as cl]` */
		if (!dot || !lm_node_is(module, "dotted_name") ||
		    !text_is(src, module, dotted, (size_t)(dot - dotted)))
			return NULL;
		dot++;
	} else if (!lm_node_is(stmt, "import_statement") || dot) {
		return NULL;
	}
	for (lm_kids_start(&kids, stmt, true); lm_kids_next(&kids, &item);) {
		TSNode what = item, bound = item;

		if (ts_node_eq(item, module))
			continue;
		if (lm_node_is(item, "aliased_import")) {
			what = field(item, "name");
			bound = field(item, "alias");
		} else if (!lm_node_is(item, "dotted_name")) {
			continue;
		}
		if (text_is(src, what, dot ? dot : dotted, strlen(dot ? dot : dotted))) {
			found = lm_node_text(src, bound, len);
			break;
		}
	}
	lm_kids_end(&kids);
	return found;
}

/*
 * Whether the local name `name` can stand for `dotted` where the site is:
 * the module's imports resolve it so (the last import wins) and nothing
 * else in the file binds it.
 */
static bool usable(const lm_source *src, const char *name, size_t len, const char *dotted,
                   TSNode site, int *error)
{
	const char *resolved = lm_source_resolve(src, name, len);

	return resolved && !strcmp(resolved, dotted) &&
	       !bound_elsewhere(src, name, len, dotted, site, error) && *error == 0;
}

/*
 * Where a new top-level statement can follow `stmt` (a child of the
 * module): the start of the line after it and anything sharing its last
 * line (`import os; x = 1  # note`).
 */
static size_t after_statement(const lm_source *src, TSNode stmt)
{
	TSNode next;

	for (next = ts_node_next_named_sibling(stmt);
	     !ts_node_is_null(next) && ts_node_start_point(next).row == ts_node_end_point(stmt).row;
	     next = ts_node_next_named_sibling(next))
		stmt = next;
	return lm_line_next(src, ts_node_end_byte(stmt) - (ts_node_end_byte(stmt) > 0));
}

static bool is_docstring(TSNode stmt)
{
	TSNode expr = ts_node_named_child(stmt, 0);

	return lm_node_is(stmt, "expression_statement") && ts_node_named_child_count(stmt) == 1 &&
	       (lm_node_is(expr, "string") || lm_node_is(expr, "concatenated_string"));
}

/*
 * Where `import contextlib` goes for a site in top-level statement `top`:
 * after the last top-level import before it; without one, after the
 * module docstring; without one, after the comment and blank lines that
 * open the file (a shebang, a coding declaration, a licence), so they keep
 * their lines.
 */
static size_t import_point(const lm_source *src, TSNode top)
{
	TSNode root = lm_source_root(src), last = null_node, doc = null_node;
	const char *text = lm_source_text(src);
	size_t len = lm_source_len(src), at = 0, line;
	lm_kids kids;
	TSNode c;
	bool first = true;

	for (lm_kids_start(&kids, root, true); lm_kids_next(&kids, &c);) {
		if (ts_node_start_byte(c) >= ts_node_start_byte(top))
			break;
		if (ts_node_is_extra(c))
			continue;
		if (first && is_docstring(c))
			doc = c;
		first = false;
		if (is_import(c))
			last = c;
	}
	lm_kids_end(&kids);
	if (!ts_node_is_null(last))
		return after_statement(src, last);
	if (!ts_node_is_null(doc))
		return after_statement(src, doc);
	for (line = 0; line < len; line = lm_line_next(src, line)) {
		size_t ws = line + lm_indent_len(src, line);

		if (ws < len && text[ws] == '#')
			at = lm_line_next(src, line);
		else if (ws != lm_line_end(src, line))
			break; /* code */
	}
	return at;
}

/*
 * How the site names contextlib.closing: a top-level `import contextlib
 * [as m]` (`m.closing`) or `from contextlib import closing [as c]` (`c`)
 * before the site's statement, or a new `import contextlib` (*insert
 * set, at *at).  Appends the callee to `callee`.  When no name works,
 * *why says why.
 */
static int name_closing(lm_buf *callee, bool *insert, size_t *at, const lm_source *src, TSNode with,
                        const char **why)
{
	TSNode root = lm_source_root(src), top = top_statement(with), c;
	lm_kids kids;
	const char *name;
	size_t len;
	bool found = false;
	int error = 0;

	*insert = false;
	if (ts_node_is_null(top)) {
		*why = "unexpected statement shape";
		return 0;
	}
	for (lm_kids_start(&kids, root, true); lm_kids_next(&kids, &c);) {
		if (ts_node_start_byte(c) >= ts_node_start_byte(top))
			break;
		if ((name = local_name(src, c, MODULE, &len)) != NULL &&
		    usable(src, name, len, MODULE, with, &error)) {
			found = true;
			break;
		}
		if (error < 0)
			break;
	}
	lm_kids_end(&kids);
	if (found)
		return lm_buf_printf(callee, "%.*s.closing", (int)len, name);
	if (error < 0)
		return error;
	for (lm_kids_start(&kids, root, true); lm_kids_next(&kids, &c);) {
		if (ts_node_start_byte(c) >= ts_node_start_byte(top))
			break;
		if ((name = local_name(src, c, CLOSING, &len)) != NULL &&
		    usable(src, name, len, CLOSING, with, &error)) {
			found = true;
			break;
		}
		if (error < 0)
			break;
	}
	lm_kids_end(&kids);
	if (found)
		return lm_buf_put(callee, name, len);
	if (error < 0)
		return error;
	if (bound_elsewhere(src, MODULE, strlen(MODULE), MODULE, with, &error) || error < 0) {
		*why = error < 0 ? NULL : "the name contextlib is taken";
		return error;
	}
	*insert = true;
	*at = import_point(src, top);
	return lm_buf_puts(callee, CLOSING);
}

/* ---- preconditions ----------------------------------------------------- */

/*
 * Whether a NamedTemporaryFile may be told to outlive close()
 * (`delete_on_close=False`, Python 3.12): its `with` deletes the file on
 * exit, closing() would only close it.
 */
static bool keeps_file_on_close(const lm_source *src, TSNode call, const lm_kind *kind)
{
	TSNode args = field(call, "arguments"), arg;
	lm_kids kids;
	bool found = false;

	if (strcmp(kind->api, "tempfile.NamedTemporaryFile") != 0 || ts_node_is_null(args))
		return false;
	for (lm_kids_start(&kids, args, true); lm_kids_next(&kids, &arg);) {
		if (lm_node_is(arg, "dictionary_splat") ||
		    (lm_node_is(arg, "keyword_argument") &&
		     lm_node_text_is(src, field(arg, "name"), "delete_on_close"))) {
			found = true;
			break;
		}
	}
	lm_kids_end(&kids);
	return found;
}

/*
 * Why drop-with could not unwrap this with, or NULL: the layout checks of
 * lm_with_unwrap(), so that both operators have the same sites.
 */
static const char *layout_why(const lm_source *src, TSNode with)
{
	const char *text = lm_source_text(src);
	TSNode body = field(with, "body"), colon = lm_node_token(with, ":");
	size_t ws = lm_line_start(src, ts_node_start_byte(with)), wlen, body_ws, body_ilen;

	if (ts_node_is_null(body) || ts_node_is_null(colon))
		return "unexpected statement shape";
	wlen = ts_node_start_byte(with) - ws;
	if (lm_indent_len(src, ws) != wlen)
		return "statement shares its line";
	if (ts_node_start_point(body).row == ts_node_start_point(colon).row)
		return NULL;
	body_ws = lm_line_start(src, ts_node_start_byte(body));
	body_ilen = lm_indent_len(src, body_ws);
	if (body_ilen <= wlen || memcmp(text + body_ws, text + ws, wlen) != 0)
		return "body indentation does not extend the with's";
	return NULL;
}

static unsigned count_items(TSNode item)
{
	TSNode clause = ts_node_parent(item), child;
	lm_kids kids;
	unsigned items = 0;

	for (lm_kids_start(&kids, clause, true); lm_kids_next(&kids, &child);)
		items += lm_node_is(child, "with_item");
	lm_kids_end(&kids);
	return items;
}

static int rewrite(lm_rewrite *rw, const lm_match *m)
{
	const lm_source *src = lm_rewrite_source(rw);
	TSNode with = lm_rewrite_node(rw, m, "with"), item = lm_rewrite_node(rw, m, "item");
	TSNode acquire = lm_rewrite_node(rw, m, "acquire"), name = lm_rewrite_node(rw, m, "name");
	lm_edits *edits = lm_rewrite_edits(rw);
	const lm_kind *kind = lm_kind_of_call(src, acquire);
	const char *ntext, *why = NULL, *eol = lm_source_eol(src);
	size_t nlen, at = 0;
	bool insert = false;
	lm_buf callee = LM_BUF_INIT, line = LM_BUF_INIT, glued = LM_BUF_INIT;
	int error;

	if (!kind)
		return 0; /* not a resource this tool knows */
	ntext = lm_node_text(src, name, &nlen);
	if (!ts_node_is_null(lm_node_token(with, "async")))
		return lm_rewrite_skip(rw, acquire, kind, "async with");
	if (!kind->with_releases)
		return lm_rewrite_skip(rw, acquire, kind, "its with does not release it");
	/* closing() calls close(): a process, a pool or a lock needs another call. */
	if (strcmp(kind->release, "close") != 0)
		return lm_rewrite_skip(rw, acquire, kind, "not released by close()");
	if (lm_writer_needs_close(src, acquire, kind))
		return lm_rewrite_skip(rw, acquire, kind, "a writer that loses data unless closed");
	if (lm_name_escapes(src, lm_scope_of(with), name, ntext, nlen, kind, &why))
		return lm_rewrite_skip(rw, acquire, kind, why);
	if (count_items(item) > 1)
		return lm_rewrite_skip(rw, acquire, kind, "several items");
	if ((why = layout_why(src, with)) != NULL)
		return lm_rewrite_skip(rw, acquire, kind, why);
	if (keeps_file_on_close(src, acquire, kind))
		return lm_rewrite_skip(rw, acquire, kind, "closing() may leave the file on disk");

	if ((error = name_closing(&callee, &insert, &at, src, with, &why)) < 0)
		goto cleanup;
	if (why) {
		error = lm_rewrite_skip(rw, acquire, kind, why);
		goto cleanup;
	}
	/* `with(R).open() as f`: a name glued to `with` would make `withcontextlib`
	 * (found by tests/fuzz); a space keeps them apart. */
	{
		const char *text = lm_source_text(src);
		size_t a = ts_node_start_byte(acquire);
		unsigned char before = a > 0 ? (unsigned char)text[a - 1] : ' ';

		if ((isalnum(before) || before == '_' || before >= 0x80) &&
		    (error = lm_buf_puts(&glued, " ")) < 0)
			goto cleanup;
	}
	if ((error = lm_buf_puts(&callee, "(")) < 0 ||
	    (error = lm_buf_puts(&glued, callee.ptr)) < 0 ||
	    (insert && ((error = lm_buf_printf(&line, "import %s%s", MODULE, eol)) < 0 ||
	                (error = lm_edits_add(edits, at, at, line.ptr, line.size)) < 0)) ||
	    (error = lm_edits_add(edits, ts_node_start_byte(acquire), ts_node_start_byte(acquire),
	                          glued.ptr, glued.size)) < 0 ||
	    (error = lm_edits_adds(edits, ts_node_end_byte(acquire), ts_node_end_byte(acquire),
	                           ")")) < 0)
		goto cleanup;
	error = lm_rewrite_emit(rw, acquire, item, kind);

cleanup:
	lm_buf_dispose(&callee);
	lm_buf_dispose(&glued);
	lm_buf_dispose(&line);
	return error;
}

const lm_operator lm_op_safe_closing = {
    .id = "safe-closing",
    .version = 1,
    .family = LM_FAMILY_CONTROL,
    .scope = LM_SCOPE_INTRAPROCEDURAL,
    .cwe = 775,
    .summary = "wrap a with's resource in contextlib.closing(): still released on every path",
    .description =
        "Control (safe twin) of drop-with. A `with R as f:` statement with one item, whose "
        "resource is released by close() (files, Path.open, gzip, bz2 and lzma files, tar and zip "
        "archives, temporary files, sockets, urlopen), becomes `with contextlib.closing(R) as "
        "f:`: closing() calls close() on exit, whether the body raises or not, so nothing leaks. "
        "Only R is wrapped. The module names closing through its own top-level `import "
        "contextlib [as m]` or `from contextlib import closing [as c]` before the site; "
        "otherwise `import contextlib` goes on a line of its own after the last top-level import "
        "before the site (or after the module docstring and `from __future__` imports, or after "
        "the comment and blank lines opening the file). Same sites as drop-with, minus those "
        "closing() cannot serve. Not a site: an async with, a kind whose with does not release it "
        "(sqlite3) or whose release is not close() (subprocess.Popen, multiprocessing.Pool, "
        "locks), a compressed file or archive opened for writing, a handle released, handed on, "
        "stored or returned anyway, a with of several items, a with whose layout drop-with "
        "refuses, a NamedTemporaryFile given delete_on_close (closing() would keep the file), or "
        "a module where the names contextlib and closing are taken by other bindings.",
    .kinds = "file,path_open,gzip_open,bz2_open,lzma_open,tarfile,zipfile,tempfile,"
             "tempfile_spooled,socket,urlopen",
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
             "    with contextlib.closing(open(path)) as f:\n"
             "        return json.load(f)\n",
    .query = LM_QUERY_WITH_AS_CALL,
    .rewrite = rewrite,
};
