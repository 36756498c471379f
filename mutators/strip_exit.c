/*
 * strip-exit: a class that holds a resource and releases it in __exit__
 * loses __enter__ and __exit__, and every `with C(...) as s:` in the input
 * tree becomes `s = C(...)` and the body: nothing releases it.
 */
#include <stdlib.h>
#include <string.h>

#include "leakmut/leakmut.h"

static const TSNode null_node = {{0}, NULL, NULL};

/* Methods whose call releases what an object holds. */
static const char *const releasers[] = {"close",     "stop",    "shutdown",   "release",
                                        "terminate", "cleanup", "disconnect", "dispose"};

typedef struct owner {
	TSNode cls;     /* class_definition */
	TSNode enter;   /* the __enter__ definition (decorated or not) */
	TSNode exit;    /* the __exit__ definition */
	TSNode acquire; /* the first `self.x = RESOURCE(...)` call */
	const lm_kind *kind;
} owner;

static TSNode undecorated(TSNode node)
{
	if (lm_node_is(node, "decorated_definition"))
		return ts_node_child_by_field_name(node, "definition", 10);
	return node;
}

/* The statements of a block but a leading docstring, `pass` and comments. */
static uint32_t statements(TSNode block, TSNode *out, uint32_t max)
{
	lm_kids kids;
	TSNode s;
	uint32_t i = 0, k = 0;

	for (lm_kids_start(&kids, block, true); lm_kids_next(&kids, &s); i++) {
		if (ts_node_is_extra(s) || lm_node_is(s, "pass_statement"))
			continue;
		if (k == 0 && i == 0 && lm_node_is(s, "expression_statement") &&
		    lm_node_is(ts_node_named_child(s, 0), "string"))
			continue;
		if (k < max)
			out[k] = s;
		k++;
	}
	lm_kids_end(&kids);
	return k;
}

/* `return self`, and nothing else. */
static bool returns_self(const lm_source *src, TSNode def)
{
	TSNode st[2];

	return statements(ts_node_child_by_field_name(def, "body", 4), st, 2) == 1 &&
	       lm_node_is(st[0], "return_statement") && ts_node_named_child_count(st[0]) == 1 &&
	       lm_node_text_is(src, ts_node_named_child(st[0], 0), "self");
}

static bool releaser(const lm_source *src, TSNode name)
{
	size_t i;

	for (i = 0; i < sizeof(releasers) / sizeof(releasers[0]); i++)
		if (lm_node_text_is(src, name, releasers[i]))
			return true;
	return false;
}

/*
 * `__exit__` only releases: each statement calls `self.close()` (or
 * another releaser) or `self.x.close()`, with no arguments; a return may
 * only give None or False (so no exception is swallowed).  At least one
 * statement releases: an __exit__ that releases nothing leaks already.
 */
static bool exit_only_releases(const lm_source *src, TSNode def)
{
	TSNode st[8], call, fn, obj;
	uint32_t i, n = statements(ts_node_child_by_field_name(def, "body", 4), st, 8);
	uint32_t releases = 0;

	if (n == 0 || n > 8)
		return false;
	for (i = 0; i < n; i++) {
		if (lm_node_is(st[i], "return_statement")) {
			TSNode v = ts_node_named_child(st[i], 0);

			if (ts_node_named_child_count(st[i]) == 0 ||
			    lm_node_text_is(src, v, "None") || lm_node_text_is(src, v, "False"))
				continue;
			return false;
		}
		if (!lm_node_is(st[i], "expression_statement"))
			return false;
		call = ts_node_named_child(st[i], 0);
		fn = ts_node_child_by_field_name(call, "function", 8);
		if (!lm_node_is(call, "call") || !lm_node_is(fn, "attribute") ||
		    ts_node_named_child_count(ts_node_child_by_field_name(call, "arguments", 9)) !=
		        0 ||
		    !releaser(src, ts_node_child_by_field_name(fn, "attribute", 9)))
			return false;
		obj = ts_node_child_by_field_name(fn, "object", 6);
		if (lm_node_is(obj, "attribute"))
			obj = ts_node_child_by_field_name(obj, "object", 6);
		if (!lm_node_text_is(src, obj, "self"))
			return false;
		releases++;
	}
	return releases > 0;
}

/* The first `self.x = RESOURCE(...)` under `node` (a method body). */
static TSNode find_acquire(const lm_source *src, TSNode node, const lm_kind **kind)
{
	lm_kids kids;
	TSNode child, found = null_node;

	if (lm_node_is(node, "assignment")) {
		TSNode left = ts_node_child_by_field_name(node, "left", 4);
		TSNode right = ts_node_child_by_field_name(node, "right", 5);

		if (lm_node_is(left, "attribute") &&
		    lm_node_text_is(src, ts_node_child_by_field_name(left, "object", 6), "self") &&
		    lm_node_is(right, "call") && (*kind = lm_kind_of_call(src, right)) &&
		    (*kind)->warns)
			return right;
	}
	if (lm_is_nested_scope(node) && !lm_node_is(node, "function_definition"))
		return null_node;
	for (lm_kids_start(&kids, node, true); lm_kids_next(&kids, &child);) {
		found = find_acquire(src, child, kind);
		if (!ts_node_is_null(found))
			break;
	}
	lm_kids_end(&kids);
	return found;
}

static bool owner_shape(const lm_source *src, TSNode cls, owner *o)
{
	TSNode body = ts_node_child_by_field_name(cls, "body", 4);
	TSNode bases = ts_node_child_by_field_name(cls, "superclasses", 12), item;
	lm_kids kids;

	memset(o, 0, sizeof(*o));
	/* With a base class, __enter__ might come back from it. */
	if (!ts_node_is_null(bases) &&
	    !(ts_node_named_child_count(bases) == 1 &&
	      lm_node_text_is(src, ts_node_named_child(bases, 0), "object")))
		return false;
	for (lm_kids_start(&kids, body, true); lm_kids_next(&kids, &item);) {
		TSNode def = undecorated(item);
		TSNode name = ts_node_child_by_field_name(def, "name", 4);

		if (!lm_node_is(def, "function_definition"))
			continue;
		if (lm_node_text_is(src, name, "__enter__"))
			o->enter = item;
		else if (lm_node_text_is(src, name, "__exit__"))
			o->exit = item;
		else if (ts_node_is_null(o->acquire))
			o->acquire = find_acquire(src, def, &o->kind);
	}
	lm_kids_end(&kids);
	if (ts_node_is_null(o->enter) || ts_node_is_null(o->exit) || ts_node_is_null(o->acquire) ||
	    !returns_self(src, undecorated(o->enter)) ||
	    !exit_only_releases(src, undecorated(o->exit)))
		return false;
	o->cls = cls;
	return true;
}

static int candidates(lm_candidates *out, const lm_source *src)
{
	TSNode root = lm_source_root(src);
	lm_kids kids;
	TSNode child;
	owner o;
	int error = 0;

	for (lm_kids_start(&kids, root, true); lm_kids_next(&kids, &child);) {
		TSNode cls = undecorated(child);

		if (lm_node_is(cls, "class_definition") && owner_shape(src, cls, &o) &&
		    (error = lm_candidate_add(out, ts_node_child_by_field_name(cls, "name", 4))) <
		        0)
			break;
	}
	lm_kids_end(&kids);
	return error < 0 ? error : 0;
}

/* ---- uses --------------------------------------------------------------------- */

#define MAX_USES 64

typedef struct use {
	size_t file;
	TSNode call; /* C(...) */
	TSNode with; /* its with statement, or null for `n = C(...)` */
	TSNode item;
} use;

typedef struct finder {
	lm_tree_rewrite *rw;
	const owner *o;
	use found[MAX_USES];
	size_t count;
	const char *why;
	TSNode why_at;
	size_t why_file;
} finder;

static void refuse(finder *fd, size_t file, TSNode at, const char *why)
{
	if (!fd->why) {
		fd->why = why;
		fd->why_at = at;
		fd->why_file = file;
	}
}

/* The with_item whose value is `call` (bare, `as`, or parenthesized), or null. */
static TSNode with_item_of(TSNode call)
{
	TSNode up = ts_node_parent(call);

	if (lm_node_is(up, "as_pattern"))
		up = ts_node_parent(up);
	if (lm_node_is(up, "parenthesized_expression"))
		up = ts_node_parent(up);
	if (lm_node_is(up, "tuple") && ts_node_named_child_count(up) == 1)
		up = ts_node_parent(up);
	return lm_node_is(up, "with_item") ? up : null_node;
}

/* Whether `name` is entered (`with name`, enter_context(name), closing(name)) under `node`. */
static bool entered(const lm_source *src, TSNode node, const char *name, size_t len)
{
	lm_kids kids;
	TSNode child;
	bool found = false;

	if (lm_node_is(node, "with_item")) {
		TSNode v = ts_node_child_by_field_name(node, "value", 5);
		size_t l;
		const char *t = lm_node_text(src, v, &l);

		if (l == len && !memcmp(t, name, len))
			return true;
	}
	if (lm_node_is(node, "call")) {
		TSNode args = ts_node_child_by_field_name(node, "arguments", 9);
		TSNode fn = ts_node_child_by_field_name(node, "function", 8);
		size_t l;
		const char *t = lm_node_text(src, fn, &l);
		TSNode arg;

		for (lm_kids_start(&kids, args, true); lm_kids_next(&kids, &arg);) {
			size_t al;
			const char *a = lm_node_text(src, arg, &al);

			if (al == len && !memcmp(a, name, len) &&
			    ((l >= 13 && !memcmp(t + l - 13, "enter_context", 13)) ||
			     (l >= 7 && !memcmp(t + l - 7, "closing", 7)))) {
				found = true;
				break;
			}
		}
		lm_kids_end(&kids);
		if (found)
			return true;
	}
	for (lm_kids_start(&kids, node, true); lm_kids_next(&kids, &child);) {
		if (entered(src, child, name, len)) {
			found = true;
			break;
		}
	}
	lm_kids_end(&kids);
	return found;
}

static bool in_type(TSNode node)
{
	for (; !ts_node_is_null(node); node = ts_node_parent(node)) {
		if (lm_node_is(node, "type"))
			return true;
		if (lm_node_is(node, "block") || lm_node_is(node, "module"))
			return false;
	}
	return false;
}

static void take(finder *fd, size_t file, TSNode ref)
{
	const lm_source *src = lm_tree_source(fd->rw, file);
	TSNode call = ts_node_parent(ref), item, parent, left;

	if (lm_node_is(call, "argument_list") &&
	    lm_node_is(ts_node_parent(call), "class_definition")) {
		refuse(fd, file, ref, "subclassed");
		return;
	}
	if (!lm_node_is(call, "call") || !lm_node_field_is(call, "function", ref)) {
		parent = ts_node_parent(ref);
		/* isinstance(x, C), annotations: no instance is made there. */
		if (in_type(ref) ||
		    (lm_node_is(parent, "argument_list") &&
		     (lm_node_text_is(
		          src, ts_node_child_by_field_name(ts_node_parent(parent), "function", 8),
		          "isinstance") ||
		      lm_node_text_is(
		          src, ts_node_child_by_field_name(ts_node_parent(parent), "function", 8),
		          "issubclass"))))
			return;
		refuse(fd, file, ref, "used other than by a call");
		return;
	}
	if (fd->count == MAX_USES) {
		refuse(fd, file, call, "too many uses");
		return;
	}
	item = with_item_of(call);
	if (ts_node_is_null(item)) {
		/* `n = C(...)` is fine while n is never entered; so is a discarded C(...). */
		parent = ts_node_parent(call);
		if (lm_node_is(parent, "expression_statement"))
			return;
		left = ts_node_child_by_field_name(parent, "left", 4);
		if (lm_node_is(parent, "assignment") && lm_node_is(left, "identifier") &&
		    lm_node_is(ts_node_parent(parent), "expression_statement")) {
			size_t len;
			const char *name = lm_node_text(src, left, &len);

			if (!entered(src, lm_scope_of(call), name, len))
				return;
		}
		refuse(fd, file, call, "an instance made outside a with may be entered later");
		return;
	}
	fd->found[fd->count].file = file;
	fd->found[fd->count].call = call;
	fd->found[fd->count].item = item;
	fd->found[fd->count].with = ts_node_parent(ts_node_parent(item));
	fd->count++;
}

static bool in_import(TSNode node)
{
	for (; !ts_node_is_null(node); node = ts_node_parent(node))
		if (lm_node_is(node, "import_from_statement") ||
		    lm_node_is(node, "import_statement"))
			return true;
	return false;
}

static bool dotted_is(const lm_source *src, TSNode node, const char *dotted)
{
	size_t len, i, k = 0, want = strlen(dotted);
	const char *text = lm_node_text(src, node, &len);

	for (i = 0; i < len; i++) {
		if (text[i] == ' ' || text[i] == '\t' || text[i] == '\\' || text[i] == '\n' ||
		    text[i] == '\r')
			continue;
		if (k >= want || dotted[k] != text[i])
			return false;
		k++;
	}
	return k == want;
}

static void find_uses(finder *fd, size_t file, TSNode node, lm_binding kind, const char *local)
{
	const lm_source *src = lm_tree_source(fd->rw, file);
	lm_kids kids;
	TSNode child;

	if (fd->why)
		return;
	if (lm_node_is(node, "attribute")) {
		TSNode attr = ts_node_child_by_field_name(node, "attribute", 9);

		/* The protocol called by hand would break without it. */
		if ((lm_node_text_is(src, attr, "__enter__") ||
		     lm_node_text_is(src, attr, "__exit__")) &&
		    kind == LM_BIND_DEFINES) {
			refuse(fd, file, node, "its protocol is called directly");
			return;
		}
		if (kind == LM_BIND_MODULE && lm_node_text_is(src, attr, lm_tree_name(fd->rw)) &&
		    dotted_is(src, ts_node_child_by_field_name(node, "object", 6), local)) {
			take(fd, file, node);
			return;
		}
	} else if (kind != LM_BIND_MODULE && lm_node_is(node, "identifier") &&
	           lm_node_text_is(src, node, local)) {
		TSNode parent = ts_node_parent(node);

		if ((lm_node_is(parent, "attribute") &&
		     lm_node_field_is(parent, "attribute", node)) ||
		    (lm_node_is(parent, "keyword_argument") &&
		     lm_node_field_is(parent, "name", node)) ||
		    (file == 0 && lm_node_field_is(fd->o->cls, "name", node)) || in_import(node))
			return;
		if (lm_is_target(node)) {
			refuse(fd, file, node, "its name is rebound");
			return;
		}
		take(fd, file, node);
		return;
	}
	if (lm_node_is(node, "string"))
		return;
	for (lm_kids_start(&kids, node, true); lm_kids_next(&kids, &child);)
		find_uses(fd, file, child, kind, local);
	lm_kids_end(&kids);
}

/* ---- the rewrite -------------------------------------------------------------------- */

/* The statement before `node`: comments and a lone `\` line are not statements. */
static TSNode prev_statement(TSNode node)
{
	TSNode p = ts_node_prev_named_sibling(node);

	while (!ts_node_is_null(p) && ts_node_is_extra(p))
		p = ts_node_prev_named_sibling(p);
	return p;
}

/*
 * The bytes of the statements from `first` to `last` (one method, or two
 * that follow each other), with the blank and comment lines before them.
 */
static void methods_range(const lm_source *src, TSNode first, TSNode last, size_t *start,
                          size_t *end)
{
	TSNode prev = prev_statement(first);
	const char *text = lm_source_text(src);
	size_t len = lm_source_len(src);

	*end = lm_line_end(src, ts_node_end_byte(last));
	if (!ts_node_is_null(prev)) {
		*start = lm_line_end(src, ts_node_end_byte(prev));
	} else {
		/* The first statement of the class: take its line ending too. */
		*start = lm_line_start(src, ts_node_start_byte(first));
		if (*end < len && text[*end] == '\r')
			(*end)++;
		if (*end < len && text[*end] == '\n')
			(*end)++;
	}
}

/*
 * Delete __enter__ and __exit__: one edit when one directly follows the
 * other (the second's range would start inside the first's), else two.
 */
static int delete_methods(lm_edits *edits, const lm_source *src, TSNode a, TSNode b)
{
	size_t start, end;
	int error;

	if (ts_node_start_byte(b) < ts_node_start_byte(a)) {
		TSNode t = a;

		a = b;
		b = t;
	}
	if (ts_node_eq(prev_statement(b), a)) {
		methods_range(src, a, b, &start, &end);
		return lm_edits_add(edits, start, end, "", 0);
	}
	methods_range(src, a, a, &start, &end);
	if ((error = lm_edits_add(edits, start, end, "", 0)) < 0)
		return error;
	methods_range(src, b, b, &start, &end);
	return lm_edits_add(edits, start, end, "", 0);
}

/*
 * The release __exit__ performs, said of `name`: `self.close()` becomes
 * `s.close()`, several calls are joined with "; ".
 */
static int release_of(lm_buf *out, const lm_source *src, TSNode exit_def, const char *name,
                      size_t name_len)
{
	TSNode st[8];
	uint32_t i,
	    n = statements(ts_node_child_by_field_name(undecorated(exit_def), "body", 4), st, 8);
	int error = 0;

	for (i = 0; i < n && error == 0; i++) {
		size_t len;
		const char *text;

		if (!lm_node_is(st[i], "expression_statement"))
			continue; /* a return of None or False */
		text = lm_node_text(src, st[i], &len);
		/* It starts with `self` (exit_only_releases checked). */
		if (out->size)
			error = lm_buf_puts(out, "; ");
		if (error == 0)
			error = lm_buf_put(out, name, name_len);
		if (error == 0)
			error = lm_buf_put(out, text + 4, len - 4);
	}
	return error;
}

static int rewrite_tree_as(lm_tree_rewrite *rw, bool safe)
{
	const lm_source *src = lm_tree_source(rw, 0);
	TSNode root = lm_source_root(src), cls = null_node;
	finder *fd = NULL;
	owner o;
	lm_buf stmt = LM_BUF_INIT, rel = LM_BUF_INIT;
	const char *local, *why;
	lm_binding binding;
	size_t i, k, first = SIZE_MAX, len;
	lm_kids kids;
	TSNode child;
	int error = 0;

	for (lm_kids_start(&kids, root, true); lm_kids_next(&kids, &child);) {
		TSNode c = undecorated(child);

		if (lm_node_is(c, "class_definition") &&
		    lm_node_text_is(src, ts_node_child_by_field_name(c, "name", 4),
		                    lm_tree_name(rw))) {
			cls = c;
			break;
		}
	}
	lm_kids_end(&kids);
	if (ts_node_is_null(cls) || !owner_shape(src, cls, &o))
		return 0;
	if (!(fd = calloc(1, sizeof(*fd))))
		return lm_error_set(LM_ENOMEM, "out of memory");
	fd->rw = rw;
	fd->o = &o;
	for (i = 0; i < lm_tree_count(rw); i++)
		for (k = 0; lm_tree_binding(rw, i, k, &binding, &local); k++)
			find_uses(fd, i, lm_source_root(lm_tree_source(rw, i)), binding, local);
	if (fd->why) {
		error = lm_tree_skip(rw, fd->why_file, fd->why_at, o.kind, fd->why);
		goto cleanup;
	}
	for (i = 0; i < fd->count; i++)
		for (k = 0; k < fd->count; k++) {
			TSNode wi = fd->found[i].with, wk = fd->found[k].with;

			if (k == i || fd->found[k].file != fd->found[i].file ||
			    ts_node_start_byte(wk) < ts_node_start_byte(wi) ||
			    ts_node_end_byte(wk) > ts_node_end_byte(wi))
				continue;
			/* Each use rewrites its whole with statement. */
			error = lm_tree_skip(rw, fd->found[k].file, fd->found[k].call, o.kind,
			                     ts_node_eq(wk, wi) ? "several uses in one with"
			                                        : "nested uses");
			goto cleanup;
		}

	if (!safe && (error = delete_methods(lm_tree_edits(rw, 0), src, o.enter, o.exit)) < 0)
		goto cleanup;
	if ((error = lm_tree_relate(rw, 0, ts_node_child_by_field_name(cls, "name", 4), "class")) <
	        0 ||
	    (error = lm_tree_relate(rw, 0, o.acquire, "producer")) < 0)
		goto cleanup;
	for (i = 0; i < fd->count; i++) {
		const use *u = &fd->found[i];
		const lm_source *usrc = lm_tree_source(rw, u->file);
		TSNode value = ts_node_child_by_field_name(u->item, "value", 5), alias;
		const char *call = lm_node_text(usrc, u->call, &len);
		const char *path = lm_tree_path(rw, u->file);

		if (lm_node_is(value, "parenthesized_expression") || lm_node_is(value, "tuple"))
			value = ts_node_named_child(value, 0);
		lm_buf_clear(&stmt);
		size_t alen = 0;
		const char *atext = NULL;

		if (lm_node_is(value, "as_pattern")) {
			alias = ts_node_child_by_field_name(value, "alias", 5);
			atext = lm_node_text(usrc, alias, &alen);
			error = lm_buf_put(&stmt, atext, alen);
			if (error == 0)
				error = lm_buf_puts(&stmt, " = ");
		}
		if (error == 0)
			error = lm_buf_put(&stmt, call, len);
		if (error < 0)
			goto cleanup;
		why = NULL;
		if (!safe) {
			error = lm_with_unwrap(lm_tree_edits(rw, u->file), usrc, u->with, u->item,
			                       stmt.ptr, stmt.size, &why);
		} else if (!atext || !lm_node_is(alias, "as_pattern_target") ||
		           !lm_node_is(ts_node_named_child(alias, 0), "identifier")) {
			why = "a use binds no name to release";
		} else if (lm_with_item_count(ts_node_parent(u->item)) > 1) {
			why = "several items";
		} else {
			lm_buf_clear(&rel);
			if ((error = release_of(&rel, src, o.exit, atext, alen)) == 0)
				error = lm_with_try_finally(lm_tree_edits(rw, u->file), usrc,
				                            u->with, stmt.ptr, stmt.size, rel.ptr,
				                            rel.size, &why);
		}
		if (error < 0)
			goto cleanup;
		if (why) {
			error = lm_tree_skip(rw, u->file, u->call, o.kind, why);
			goto cleanup;
		}
		if ((error = lm_tree_relate(rw, u->file, u->call, "consumer")) < 0)
			goto cleanup;
		if (lm_is_driver(path))
			continue;
		if (first == SIZE_MAX ||
		    strcmp(path, lm_tree_path(rw, fd->found[first].file)) < 0 ||
		    (u->file == fd->found[first].file &&
		     ts_node_start_byte(u->call) < ts_node_start_byte(fd->found[first].call)))
			first = i;
	}
	/* A control needs a caller to make safe: alone, it would leak as the mutant does. */
	if (safe && fd->count == 0) {
		error = lm_tree_skip(rw, 0, o.acquire, o.kind, "no caller in the tree");
		goto cleanup;
	}
	if (first != SIZE_MAX)
		error = lm_tree_emit(rw, fd->found[first].file, fd->found[first].call,
		                     fd->found[first].with, o.kind);
	else
		error = lm_tree_emit(rw, 0, o.acquire, o.acquire, o.kind);

cleanup:
	lm_buf_dispose(&stmt);
	lm_buf_dispose(&rel);
	free(fd);
	return error;
}

static int rewrite_tree(lm_tree_rewrite *rw)
{
	return rewrite_tree_as(rw, false);
}

static int rewrite_tree_safe(lm_tree_rewrite *rw)
{
	return rewrite_tree_as(rw, true);
}

const lm_operator lm_op_strip_exit = {
    .id = "strip-exit",
    .version = 2,
    .family = LM_FAMILY_LEAK,
    .scope = LM_SCOPE_INTERPROCEDURAL,
    .cwe = 775,
    .summary = "a resource-owning class loses __enter__/__exit__; its users never close it",
    .description =
        "A top-level class that acquires a resource CPython warns about (`self.x = "
        "open(...)` in a method), whose __enter__ only returns self and whose __exit__ only "
        "calls a release (`self.close()`, `self.x.close()`, stop, shutdown...), loses both "
        "methods, and every `with C(...) as s:` in the input tree (its module and modules "
        "importing it) becomes `s = C(...)` and the body: nothing releases it.  The primary "
        "location is the first such use; the class, its acquisition and every use are "
        "related locations.  With no use in the tree the protocol is still removed and the "
        "leak is at the acquisition.  Skipped when the class has a base class, is "
        "subclassed, is used other than by a call, is made outside a with and may be "
        "entered later, has its protocol called by hand, or is used twice in one with "
        "statement or in nested ones.",
    .kinds = "file,path_open,socket,subprocess,tarfile,tempfile",
    .before = "class Log:\n    def __init__(self, p):\n        self.f = open(p, \"a\")\n\n"
              "    def close(self):\n        self.f.close()\n\n"
              "    def __enter__(self):\n        return self\n\n"
              "    def __exit__(self, *exc):\n        self.close()\n\n\n"
              "with Log(\"x\") as log:\n    log.f.write(\"hi\")\n",
    .after = "class Log:\n    def __init__(self, p):\n        self.f = open(p, \"a\")\n\n"
             "    def close(self):\n        self.f.close()\n\n\n"
             "log = Log(\"x\")\nlog.f.write(\"hi\")\n",
    .candidates = candidates,
    .rewrite_tree = rewrite_tree,
};

/*
 * Its control shares the analysis above, so it lives in this file (an
 * exception to one operator a file: the two must find the same sites).
 */
const lm_operator lm_op_safe_owner_finally = {
    .id = "safe-owner-finally",
    .version = 2,
    .family = LM_FAMILY_CONTROL,
    .scope = LM_SCOPE_INTERPROCEDURAL,
    .cwe = 775,
    .summary = "an owning class keeps its protocol; its users release it in a finally",
    .description =
        "The safe twin of strip-exit (same sites, same anchors).  The class keeps "
        "__enter__, __exit__ and its release; every `with C(...) as s:` in the input tree "
        "becomes `s = C(...)` and a try whose finally does what __exit__ does (`s.close()`), "
        "so the object is released on every path, without a with.  Skipped, besides "
        "strip-exit's reasons, when a use binds no name or has several items.",
    .kinds = "file,path_open,socket,subprocess,tarfile,tempfile",
    .before = "class Log:\n    def __init__(self, p):\n        self.f = open(p, \"a\")\n\n"
              "    def close(self):\n        self.f.close()\n\n"
              "    def __enter__(self):\n        return self\n\n"
              "    def __exit__(self, *exc):\n        self.close()\n\n\n"
              "with Log(\"x\") as log:\n    log.f.write(\"hi\")\n",
    .after = "class Log:\n    def __init__(self, p):\n        self.f = open(p, \"a\")\n\n"
             "    def close(self):\n        self.f.close()\n\n"
             "    def __enter__(self):\n        return self\n\n"
             "    def __exit__(self, *exc):\n        self.close()\n\n\n"
             "log = Log(\"x\")\ntry:\n    log.f.write(\"hi\")\nfinally:\n    log.close()\n",
    .candidates = candidates,
    .rewrite_tree = rewrite_tree_safe,
};
