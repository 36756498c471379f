#include "leakmut/kind.h"

#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

static const lm_kind kinds[] = {
#define LM_KIND(id, api, release, with_releases, warns, cwe)                                       \
	{#id, api, release, with_releases, warns, cwe},
#include "kinds.def"
#undef LM_KIND
};

size_t lm_kind_count(void)
{
	return sizeof(kinds) / sizeof(kinds[0]);
}

const lm_kind *lm_kind_at(size_t i)
{
	return i < lm_kind_count() ? &kinds[i] : NULL;
}

static const lm_kind *kind_by_api(const char *api, size_t len)
{
	size_t i;

	for (i = 0; i < lm_kind_count(); i++)
		if (strlen(kinds[i].api) == len && memcmp(kinds[i].api, api, len) == 0)
			return &kinds[i];
	return NULL;
}

/* A dotted name, built without allocating: longer names are never kinds. */
typedef struct dotted {
	char text[128];
	size_t len;
} dotted;

static bool dotted_add(dotted *d, const char *text, size_t len)
{
	if (d->len + len >= sizeof(d->text))
		return false;
	memcpy(d->text + d->len, text, len);
	d->len += len;
	d->text[d->len] = '\0';
	return true;
}

/*
 * The dotted name of an identifier or attribute chain with its head
 * resolved through the imports, into `out`.  False when the expression is
 * not a plain dotted chain (or is too long to name a kind).
 */
static bool dotted_callee(dotted *out, const lm_source *src, TSNode node, bool *resolved)
{
	size_t len;
	const char *text;

	if (lm_node_is(node, "identifier")) {
		const char *resolved_name;

		text = lm_node_text(src, node, &len);
		resolved_name = lm_source_resolve(src, text, len);
		if (resolved_name)
			*resolved = true;
		return resolved_name ? dotted_add(out, resolved_name, strlen(resolved_name))
		                     : dotted_add(out, text, len);
	}
	if (lm_node_is(node, "attribute")) {
		TSNode object = ts_node_child_by_field_name(node, "object", 6);
		TSNode attr = ts_node_child_by_field_name(node, "attribute", 9);

		if (ts_node_is_null(object) || ts_node_is_null(attr) ||
		    !dotted_callee(out, src, object, resolved))
			return false;
		text = lm_node_text(src, attr, &len);
		return dotted_add(out, ".", 1) && dotted_add(out, text, len);
	}
	return false;
}

static bool is_path_name(const char *text, size_t len)
{
	static const char *const suffixes[] = {"path", "_path", "Path", "_file_path"};
	size_t i;

	for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		size_t slen = strlen(suffixes[i]);

		if (len == slen && memcmp(text, suffixes[i], slen) == 0)
			return true;
		if (suffixes[i][0] == '_' && len > slen &&
		    memcmp(text + len - slen, suffixes[i], slen) == 0)
			return true;
	}
	return false;
}

/* Whether `name` is a parameter annotated as a Path in the enclosing function. */
static bool annotated_path(const lm_source *src, TSNode at, const char *name, size_t len)
{
	TSNode fn = at, p;
	bool found = false;
	lm_kids kids;

	while (!ts_node_is_null(fn) && !lm_node_is(fn, "function_definition"))
		fn = ts_node_parent(fn);
	if (ts_node_is_null(fn))
		return false;
	for (lm_kids_start(&kids, ts_node_child_by_field_name(fn, "parameters", 10), true);
	     !found && lm_kids_next(&kids, &p);) {
		TSNode type, id;
		size_t tlen;
		const char *t;

		if (!lm_node_is(p, "typed_parameter") && !lm_node_is(p, "typed_default_parameter"))
			continue;
		type = ts_node_child_by_field_name(p, "type", 4);
		id = lm_node_is(p, "typed_parameter") ? ts_node_named_child(p, 0)
		                                      : ts_node_child_by_field_name(p, "name", 4);
		if (ts_node_is_null(type) || ts_node_is_null(id) || !lm_node_is(id, "identifier"))
			continue;
		t = lm_node_text(src, id, &tlen);
		if (tlen != len || memcmp(t, name, len) != 0)
			continue;
		t = lm_node_text(src, type, &tlen);
		found = (tlen == 4 && !memcmp(t, "Path", 4)) ||
		        (tlen == 12 && !memcmp(t, "pathlib.Path", 12));
	}
	lm_kids_end(&kids);
	return found;
}

/* Whether an expression evaluates to a pathlib.Path, as far as can be told. */
static bool is_path(const lm_source *src, TSNode expr, int depth)
{
	size_t len;
	const char *text;

	if (depth > 16)
		return false;
	if (lm_node_is(expr, "parenthesized_expression"))
		return is_path(src, ts_node_named_child(expr, 0), depth + 1);
	if (lm_node_is(expr, "call")) {
		TSNode fn = ts_node_child_by_field_name(expr, "function", 8);
		dotted name = {"", 0};
		bool resolved = false, yes = false;

		if (dotted_callee(&name, src, fn, &resolved))
			yes = !strcmp(name.text, "pathlib.Path") ||
			      !strcmp(name.text, "pathlib.PurePath") ||
			      !strcmp(name.text, "pathlib.PosixPath") ||
			      !strcmp(name.text, "pathlib.WindowsPath");
		if (yes)
			return true;
		/* Path methods that return a Path. */
		if (lm_node_is(fn, "attribute")) {
			static const char *const methods[] = {
			    "with_suffix", "with_name", "with_stem", "joinpath",
			    "resolve",     "absolute",  "expanduser"};
			TSNode attr = ts_node_child_by_field_name(fn, "attribute", 9);
			size_t i;

			for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
				if (lm_node_text_is(src, attr, methods[i]))
					return is_path(src,
					               ts_node_child_by_field_name(fn, "object", 6),
					               depth + 1);
		}
		return false;
	}
	if (lm_node_is(expr, "binary_operator")) {
		TSNode op = ts_node_child_by_field_name(expr, "operator", 8);

		return lm_node_text_is(src, op, "/") &&
		       is_path(src, ts_node_child_by_field_name(expr, "left", 4), depth + 1);
	}
	if (lm_node_is(expr, "identifier")) {
		text = lm_node_text(src, expr, &len);
		return is_path_name(text, len) || annotated_path(src, expr, text, len);
	}
	if (lm_node_is(expr, "attribute")) {
		TSNode attr = ts_node_child_by_field_name(expr, "attribute", 9);

		text = lm_node_text(src, attr, &len);
		return is_path_name(text, len) ||
		       (len == 6 && !memcmp(text, "parent", 6) &&
		        is_path(src, ts_node_child_by_field_name(expr, "object", 6), depth + 1));
	}
	return false;
}

const lm_kind *lm_kind_of_call(const lm_source *src, TSNode call)
{
	TSNode fn = ts_node_child_by_field_name(call, "function", 8);
	dotted name = {"", 0};
	const lm_kind *kind = NULL;
	bool resolved = false;

	if (!lm_node_is(call, "call") || ts_node_is_null(fn))
		return NULL;
	if (dotted_callee(&name, src, fn, &resolved)) {
		kind = kind_by_api(name.text, name.len);
		/* A bare `open` that was not imported is the builtin; an
		 * unresolved `x.open` is only a Path when x looks like one. */
		if (kind && lm_node_is(fn, "attribute") && !resolved)
			kind = NULL;
	}
	if (!kind && lm_node_is(fn, "attribute") &&
	    lm_node_text_is(src, ts_node_child_by_field_name(fn, "attribute", 9), "open") &&
	    is_path(src, ts_node_child_by_field_name(fn, "object", 6), 0))
		kind = kind_by_api(".open", 5);
	return kind;
}

/* The kind bound to the text `name` by an assignment under `node`. */
static const lm_kind *bound_kind(const lm_source *src, TSNode node, const char *name, size_t len,
                                 int depth)
{
	const lm_kind *kind = NULL;
	lm_kids kids;
	TSNode child;

	if (depth > 200)
		return NULL;
	if (lm_node_is(node, "assignment")) {
		TSNode left = ts_node_child_by_field_name(node, "left", 4);
		TSNode right = ts_node_child_by_field_name(node, "right", 5);
		size_t llen;
		const char *ltext = lm_node_text(src, left, &llen);

		if (llen == len && !memcmp(ltext, name, len) && lm_node_is(right, "call"))
			return lm_kind_of_call(src, right);
		return NULL;
	}
	if (lm_node_is(node, "string"))
		return NULL;
	for (lm_kids_start(&kids, node, true); !kind && lm_kids_next(&kids, &child);)
		kind = bound_kind(src, child, name, len, depth + 1);
	lm_kids_end(&kids);
	return kind;
}

const lm_kind *lm_kind_of_value(const lm_source *src, TSNode expr)
{
	TSNode scope;
	size_t len;
	const char *text;

	if (lm_node_is(expr, "call"))
		return lm_kind_of_call(src, expr);
	text = lm_node_text(src, expr, &len);
	if (lm_node_is(expr, "attribute")) {
		TSNode object = ts_node_child_by_field_name(expr, "object", 6);

		if (!lm_node_text_is(src, object, "self"))
			return NULL;
		for (scope = ts_node_parent(expr); !ts_node_is_null(scope);
		     scope = ts_node_parent(scope))
			if (lm_node_is(scope, "class_definition"))
				return bound_kind(src, scope, text, len, 0);
		return NULL;
	}
	if (!lm_node_is(expr, "identifier"))
		return NULL;
	/* The enclosing functions, innermost first, then the module. */
	for (scope = ts_node_parent(expr); !ts_node_is_null(scope); scope = ts_node_parent(scope)) {
		const lm_kind *kind;

		if (!lm_node_is(scope, "function_definition") && !lm_node_is(scope, "module"))
			continue;
		if ((kind = bound_kind(src, scope, text, len, 0)) != NULL)
			return kind;
	}
	return NULL;
}

bool lm_writer_needs_close(const lm_source *src, TSNode call, const lm_kind *kind)
{
	static const char *const archives[] = {"gzip_open", "bz2_open", "lzma_open", "zipfile",
	                                       "tarfile"};
	TSNode args = ts_node_child_by_field_name(call, "arguments", 9), mode = {{0}, NULL, NULL};
	uint32_t positional = 0;
	bool archive = false, unknown = false;
	lm_kids kids;
	TSNode arg;
	size_t len, k;
	const char *text;

	for (k = 0; kind && k < sizeof(archives) / sizeof(archives[0]); k++)
		archive = archive || !strcmp(kind->id, archives[k]);
	if (!archive || ts_node_is_null(args))
		return false;
	for (lm_kids_start(&kids, args, true); !unknown && lm_kids_next(&kids, &arg);) {
		if (lm_node_is(arg, "keyword_argument")) {
			TSNode key = ts_node_child_by_field_name(arg, "name", 4);

			if (!ts_node_is_null(key) && lm_node_text_is(src, key, "mode"))
				mode = ts_node_child_by_field_name(arg, "value", 5);
		} else if (lm_node_is(arg, "list_splat") || lm_node_is(arg, "dictionary_splat")) {
			unknown = true; /* the mode may be in there */
		} else if (++positional == 2) {
			mode = arg;
		}
	}
	lm_kids_end(&kids);
	if (unknown)
		return true;
	if (ts_node_is_null(mode))
		return false; /* the default mode reads */
	if (!lm_node_is(mode, "string"))
		return true;
	text = lm_node_text(src, mode, &len);
	for (k = 0; k < len; k++)
		if (text[k] == 'w' || text[k] == 'a' || text[k] == 'x' || text[k] == '+')
			return true;
	return false;
}

TSNode lm_scope_of(TSNode node)
{
	TSNode cur = ts_node_parent(node), last = node;

	while (!ts_node_is_null(cur)) {
		if (lm_node_is(cur, "function_definition") || lm_node_is(cur, "lambda"))
			return cur;
		last = cur;
		cur = ts_node_parent(cur);
	}
	return last;
}

int lm_qualname(lm_buf *out, const lm_source *src, TSNode node)
{
	TSNode chain[64], cur;
	size_t n = 0, i, len;
	int error;

	for (cur = ts_node_parent(node); !ts_node_is_null(cur); cur = ts_node_parent(cur))
		if ((lm_node_is(cur, "function_definition") ||
		     lm_node_is(cur, "class_definition")) &&
		    n < sizeof(chain) / sizeof(chain[0]))
			chain[n++] = cur;
	if (n == 0)
		return lm_buf_puts(out, "<module>");
	for (i = n; i > 0; i--) {
		TSNode name = ts_node_child_by_field_name(chain[i - 1], "name", 4);
		const char *text = lm_node_text(src, name, &len);

		if ((i < n && (error = lm_buf_puts(out, ".")) < 0) ||
		    (error = lm_buf_put(out, text, len)) < 0)
			return error;
	}
	return 0;
}

static bool is_handoff(const lm_source *src, TSNode fn)
{
	static const char *const names[] = {
	    "enter_context", "closing",  "callback",           "push",
	    "register",      "aclosing", "enter_async_context"};
	TSNode last =
	    lm_node_is(fn, "attribute") ? ts_node_child_by_field_name(fn, "attribute", 9) : fn;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (lm_node_text_is(src, last, names[i]))
			return true;
	return false;
}

/* Why this use of the name lets the handle escape or be released, or NULL. */
static const char *use_escapes(const lm_source *src, TSNode id, const lm_kind *kind)
{
	TSNode parent = ts_node_parent(id), up;

	if (lm_node_is(parent, "attribute") &&
	    ts_node_eq(ts_node_child_by_field_name(parent, "object", 6), id)) {
		TSNode attr = ts_node_child_by_field_name(parent, "attribute", 9);

		if (lm_node_text_is(src, attr, "close") || lm_node_text_is(src, attr, "__exit__") ||
		    lm_node_text_is(src, attr, "detach") ||
		    (kind && lm_node_text_is(src, attr, kind->release)) ||
		    (kind && !strcmp(kind->id, "subprocess") &&
		     lm_node_text_is(src, attr, "communicate")))
			return "handle released later";
		return NULL;
	}
	/* Look through parentheses and keyword arguments. */
	up = parent;
	while (lm_node_is(up, "parenthesized_expression") || lm_node_is(up, "keyword_argument"))
		up = ts_node_parent(up);
	if (lm_node_is(up, "argument_list")) {
		TSNode call = ts_node_parent(up);

		if (lm_node_is(call, "call") &&
		    is_handoff(src, ts_node_child_by_field_name(call, "function", 8)))
			return "handle handed to a cleanup manager";
		return NULL;
	}
	if (lm_node_is(up, "return_statement") || lm_node_is(up, "yield") ||
	    lm_node_is(up, "await"))
		return "handle returned or yielded";
	if (lm_node_is(up, "assignment") || lm_node_is(up, "augmented_assignment")) {
		TSNode right = ts_node_child_by_field_name(up, "right", 5);

		if (!ts_node_is_null(right) && ts_node_start_byte(right) <= ts_node_start_byte(id))
			return "handle stored for later";
		return NULL;
	}
	if (lm_node_is(up, "list") || lm_node_is(up, "tuple") || lm_node_is(up, "set") ||
	    lm_node_is(up, "pair") || lm_node_is(up, "expression_list") ||
	    lm_node_is(up, "dictionary"))
		return "handle stored for later";
	if (lm_node_is(up, "global_statement") || lm_node_is(up, "nonlocal_statement"))
		return "handle is global";
	return NULL;
}

static const char *walk_uses(const lm_source *src, TSNode node, TSNode skip, const char *name,
                             size_t len, const lm_kind *kind, bool nested)
{
	const char *why = NULL;
	lm_kids kids;
	TSNode child;

	if (ts_node_eq(node, skip))
		return NULL;
	if (lm_node_is(node, "identifier")) {
		size_t tlen;
		const char *text = lm_node_text(src, node, &tlen);

		if (tlen != len || memcmp(text, name, len) != 0)
			return NULL;
		if (nested)
			return "handle captured by a nested function";
		return use_escapes(src, node, kind);
	}
	if (lm_node_is(node, "string"))
		return NULL;
	for (lm_kids_start(&kids, node, true); !why && lm_kids_next(&kids, &child);) {
		bool inner = nested || lm_node_is(child, "function_definition") ||
		             lm_node_is(child, "lambda") || lm_node_is(child, "class_definition");

		why = walk_uses(src, child, skip, name, len, kind, inner);
	}
	lm_kids_end(&kids);
	return why;
}

bool lm_name_escapes(const lm_source *src, TSNode scope, TSNode skip, const char *name,
                     size_t name_len, const lm_kind *kind, const char **why)
{
	*why = walk_uses(src, scope, skip, name, name_len, kind, false);
	return *why != NULL;
}
